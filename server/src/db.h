/* db.h — getting at the database for a command: the external one (--db) or the embedded
 * cluster of the data folder, with the migrations applied. */
#ifndef SRV_DB_H
#define SRV_DB_H

#include "cluster.h"
#include "config.h"
#include "lms/error.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct srv_db {
	srv_cluster *cluster; /* NULL with an external database */
	char *conninfo;
} srv_db;

/* Opens the database of cfg (starting the embedded cluster if needed; server says the
 * caller is `parlearn serve`), applies pending migrations, and sets the log level. */
int srv_db_open(const srv_config *cfg, bool server, srv_db **out, lms_err *err);
void srv_db_close(srv_db *db); /* NULL is fine; stops a cluster this process owns */

/* Applies migrations (built-in, or cfg->migrations); prints applied files to report. */
int srv_db_migrate(const srv_config *cfg, const srv_db *db, FILE *report, int *applied,
                   lms_err *err);

#endif
