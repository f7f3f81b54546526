/* cli_common.c — the frame of every subcommand: options, the database, errors on stderr. */
#include "cli.h"

#include "store_pg.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int cli_begin(cli_ctx *c, int argc, char **argv, int first, const srv_opt *own,
              const char *usage, const char *about)
{
	const srv_opt help[] = { { "help", NULL, NULL, &c->help, NULL, "show this help" },
		                 { NULL, NULL, NULL, NULL, NULL, NULL } };
	const srv_opt *tables[4];
	int rc;

	memset(c, 0, sizeof(*c));
	tables[0] = own;
	tables[1] = srv_config_db_opts(&c->cfg);
	tables[2] = help;
	tables[3] = NULL;
	if ((rc = srv_args_parse(argc, argv, first, tables, &c->err)) < 0) {
		fprintf(stderr, "parlearn: %s\n(try: %s --help)\n", c->err.msg, usage);
		return 2;
	}
	if (c->help) {
		srv_args_help(usage, about, tables);
		return 1;
	}
	if ((rc = srv_db_open(&c->cfg, false, &c->db, &c->err)) < 0) {
		fprintf(stderr, "parlearn: %s\n", c->err.msg);
		return 2;
	}
	c->store = store_pg_new(c->db->conninfo);
	c->arena = lms_arena_new();
	return 0;
}

int cli_end(cli_ctx *c, int rc)
{
	if (rc < 0)
		fprintf(stderr, "parlearn: %s\n", c->err.msg[0] ? c->err.msg : "failed");
	store_pg_free(c->store);
	srv_db_close(c->db);
	lms_arena_free(c->arena);
	return rc < 0 ? 1 : 0;
}

int cli_read_secret(const char *prompt, char *buf, size_t size, lms_err *err)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fprintf(stderr, "%s: ", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(buf, (int)size, stdin))
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	if (n == size - 1 && buf[n - 1] != '\n')
		return lms_err_set(err, LMS_EINVAL, "invalid_field", prompt,
		                   "%s: longer than %zu bytes", prompt, size - 2);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n == 0)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", prompt,
		                   "%s: expected on standard input, one line", prompt);
	return LMS_OK;
}
