/* db.c — opening the database for a command (see db.h). */
#include "db.h"

#include "lms/log.h"
#include "migrations.h"
#include "store_pg.h"

#include <stdlib.h>
#include <string.h>

int srv_db_migrate(const srv_config *cfg, const srv_db *db, FILE *report, int *applied,
                   lms_err *err)
{
	store_pg_migration *loaded = NULL;
	size_t n = 0;
	lms_store *s;
	int rc;

	if (cfg->migrations) {
		if ((rc = srv_migrations_load(cfg->migrations, &loaded, &n, err)) < 0)
			return rc;
	}
	if (!(s = store_pg_new(db->conninfo))) {
		srv_migrations_free(loaded, n);
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	}
	rc = store_pg_migrate(s, loaded ? loaded : srv_builtin_migrations,
	                      loaded ? n : srv_builtin_migrations_count, report, applied, err);
	store_pg_free(s);
	srv_migrations_free(loaded, n);
	return rc;
}

int srv_db_open(const srv_config *cfg, bool server, srv_db **out, lms_err *err)
{
	srv_db *db = calloc(1, sizeof(*db));
	int level, rc, applied = 0;

	if (!db)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	level = lms_log_level_parse(cfg->log_level ? cfg->log_level : "info");
	if (level < 0) {
		rc = lms_err_set(err, LMS_EINVAL, "usage", NULL,
		                 "--log-level must be error, warn, info or debug");
		goto fail;
	}
	lms_log_level = level;
	if (cfg->db) {
		db->conninfo = strdup(cfg->db);
	} else {
		srv_cluster_opts o = { cfg->data_dir, cfg->pg_bin, cfg->pg_user, server };
		if ((rc = srv_cluster_open(&o, &db->cluster, err)) < 0)
			goto fail;
		db->conninfo = strdup(srv_cluster_conninfo(db->cluster));
	}
	if (!db->conninfo) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
		goto fail;
	}
	/* Every command applies pending migrations (the built-in ones, or --migrations'),
	 * except `parlearn migrate`, which does it itself and reports each file. */
	if (!cfg->no_auto_migrate && (rc = srv_db_migrate(cfg, db, NULL, &applied, err)) < 0)
		goto fail;
	*out = db;
	return LMS_OK;
fail:
	srv_db_close(db);
	return rc;
}

void srv_db_close(srv_db *db)
{
	if (!db)
		return;
	srv_cluster_close(db->cluster);
	free(db->conninfo);
	free(db);
}
