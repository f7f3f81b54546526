/* store_pg.h — the PostgreSQL implementation of the store interface (libpq).
 *
 * One store per thread: it owns one connection, made lazily and remade when it drops, and
 * prepares its statements on first use on each connection. SQL text lives only in this
 * module (store_pg.c, migrate.c) and every value is a bound parameter.
 */
#ifndef STORE_PG_H
#define STORE_PG_H

#include "lms/error.h"
#include "lms/store.h"

#include <stdio.h>

/* Makes a store for conninfo (a libpq connection string or URI). It does not connect yet:
 * the first call does, and a store whose database is down answers LMS_EUNAVAIL until it is
 * back. The store keeps a copy of conninfo. */
lms_store *store_pg_new(const char *conninfo);
void store_pg_free(lms_store *s); /* NULL is fine */

/* Runs statements that the interface does not cover (demo data, tests): a plain SQL text
 * with no parameters, for trusted text only. */
int store_pg_exec_script(lms_store *s, const char *sql, lms_err *err);

/* A transaction around several store calls (the CLI's user create). While one is open, a
 * lost connection fails every call with LMS_EUNAVAIL: nothing is retried on a new
 * connection, where it would run outside the transaction. */
int store_pg_begin(lms_store *s, lms_err *err);
int store_pg_commit(lms_store *s, lms_err *err);
void store_pg_rollback(lms_store *s);

/* One migration: a name like "0001_units_people_accounts.sql" and its SQL text. */
typedef struct store_pg_migration {
	const char *name;
	const char *sql;
} store_pg_migration;

/* Applies, in name order, the migrations not yet recorded in schema_migration, each in its
 * own transaction with its record, under an advisory lock so several nodes starting at once
 * apply each file once. A failing file is rolled back whole and reported with its name and
 * PostgreSQL's message; the ones before it stay applied. A recorded migration whose text
 * has changed is refused (LMS_ECONFLICT). Writes one line per applied file to report (may
 * be NULL). *applied gets the number applied. */
int store_pg_migrate(lms_store *s, const store_pg_migration *m, size_t n, FILE *report,
                     int *applied, lms_err *err);

#endif
