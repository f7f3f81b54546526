/* cli_migrate.c — `parlearn migrate`: applies pending SQL migrations and says which. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cmd_migrate(int argc, char **argv)
{
	const srv_opt help_only[] = { { NULL, NULL, NULL, NULL, NULL, NULL } };
	bool help = false;
	const srv_opt help_opt[] = { { "help", NULL, NULL, &help, NULL, "show this help" },
		                     { NULL, NULL, NULL, NULL, NULL, NULL } };
	const srv_opt *tables[4];
	srv_config cfg;
	srv_db *db = NULL;
	lms_err err;
	int applied = 0, rc;

	memset(&cfg, 0, sizeof(cfg));
	lms_err_clear(&err);
	tables[0] = help_only;
	tables[1] = srv_config_db_opts(&cfg);
	tables[2] = help_opt;
	tables[3] = NULL;
	if (srv_args_parse(argc, argv, 1, tables, &err) < 0) {
		fprintf(stderr, "parlearn: %s\n", err.msg);
		return 2;
	}
	if (help) {
		srv_args_help("parlearn migrate [--data DIR | --db URI] [--migrations DIR]",
		              "Applies the SQL migrations not yet applied, in order, each in its own "
		              "transaction. Running it twice does nothing the second time.",
		              tables);
		return 0;
	}
	cfg.no_auto_migrate = true;
	if ((rc = srv_db_open(&cfg, false, &db, &err)) < 0 ||
	    (rc = srv_db_migrate(&cfg, db, stdout, &applied, &err)) < 0) {
		fprintf(stderr, "parlearn: %s\n", err.msg);
		srv_db_close(db);
		return 1;
	}
	printf(applied ? "%d migration(s) applied\n" : "database is up to date\n", applied);
	srv_db_close(db);
	return 0;
}
