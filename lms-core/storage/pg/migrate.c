/* migrate.c — applies the numbered SQL files of schemas/sql/ (see store_pg.h).
 *
 * Each file runs in its own transaction together with its row in schema_migration, so a
 * file is either applied and recorded or neither. An advisory lock, held for the
 * transaction, serialises nodes that start at the same time; the second one finds the row
 * and skips the file.
 */
#include "pg_util.h"
#include "store_pg.h"

#include "lms/log.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An arbitrary constant naming parlearn's migration lock ("plmigrat"). */
#define MIGRATION_LOCK "7055442170707817844"

static const char SQL_CREATE_TABLE[] =
	"CREATE TABLE IF NOT EXISTS schema_migration ("
	" name text PRIMARY KEY, checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now())";
static const char SQL_LOCK[] = "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")";
static const char SQL_FIND[] = "SELECT checksum FROM schema_migration WHERE name = $1";
static const char SQL_RECORD[] = "INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)";

static void sha256_hex(const char *text, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char h[32];
	int i;

	SHA256((const unsigned char *)text, strlen(text), h);
	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	out[64] = '\0';
}

static int simple(PGconn *c, const char *sql, lms_err *err)
{
	PGresult *r = PQexec(c, sql);
	int rc = LMS_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pgu_map_error(r, err);
	PQclear(r);
	return rc;
}

/* The line of sql at which PostgreSQL's 1-based character position falls. */
static int line_of(const char *sql, const char *pos)
{
	long n = pos ? strtol(pos, NULL, 10) : 0, chars = 0;
	int line = 1;
	const unsigned char *s = (const unsigned char *)sql;

	for (; *s && chars < n - 1; s++) {
		if ((*s & 0xC0) != 0x80)
			chars++;
		if (*s == '\n')
			line++;
	}
	return line;
}

static int apply_one(PGconn *c, const store_pg_migration *m, FILE *report, int *applied,
                     lms_err *err)
{
	char sum[65];
	const char *v[2];
	PGresult *r = NULL;
	int rc;

	sha256_hex(m->sql, sum);
	if ((rc = simple(c, "BEGIN", err)) < 0)
		return rc;
	if ((rc = simple(c, SQL_LOCK, err)) < 0)
		goto cleanup;
	v[0] = m->name;
	r = PQexecParams(c, SQL_FIND, 1, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pgu_map_error(r, err);
		goto cleanup;
	}
	if (PQntuples(r) == 1) {
		if (strcmp(PQgetvalue(r, 0, 0), sum) != 0)
			rc = lms_err_set(err, LMS_ECONFLICT, "migration_changed", NULL,
			                 "migration %s was applied with other contents; never edit an "
			                 "applied migration, add a new one",
			                 m->name);
		goto cleanup; /* applied already: nothing to do */
	}
	PQclear(r);
	r = PQexec(c, m->sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
		if (PQstatus(c) == CONNECTION_BAD)
			rc = lms_err_set(err, LMS_EUNAVAIL, "db_unavailable", NULL,
			                 "migration %s: the database connection was lost", m->name);
		else
			rc = lms_err_set(err, LMS_ESTORAGE, "migration_failed", NULL,
			                 "migration %s failed at line %d: %s (SQLSTATE %s); nothing of it "
			                 "was applied",
			                 m->name, line_of(m->sql, pos), primary ? primary : "error",
			                 state ? state : "?");
		goto cleanup;
	}
	PQclear(r);
	v[1] = sum;
	r = PQexecParams(c, SQL_RECORD, 2, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pgu_map_error(r, err);
		goto cleanup;
	}
	if ((rc = simple(c, "COMMIT", err)) < 0)
		goto cleanup;
	(*applied)++;
	if (report)
		fprintf(report, "applied %s\n", m->name);
	LMS_INFO("migration %s applied", m->name);
cleanup:
	PQclear(r);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		(void)simple(c, "ROLLBACK", NULL);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	const store_pg_migration *x = a, *y = b;
	return strcmp(x->name, y->name);
}

int store_pg_migrate(lms_store *s, const store_pg_migration *m, size_t n, FILE *report,
                     int *applied, lms_err *err)
{
	store_pg_migration *sorted = NULL;
	PGconn *c;
	size_t i;
	int rc;

	*applied = 0;
	if (!(c = store_pg_conn(s, err)))
		return LMS_EUNAVAIL;
	if ((rc = simple(c, "BEGIN", err)) < 0)
		return rc;
	if ((rc = simple(c, SQL_LOCK, err)) < 0 || (rc = simple(c, SQL_CREATE_TABLE, err)) < 0 ||
	    (rc = simple(c, "COMMIT", err)) < 0) {
		(void)simple(c, "ROLLBACK", NULL);
		return rc;
	}
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	memcpy(sorted, m, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_name);
	for (i = 0; i < n; i++)
		if ((rc = apply_one(c, &sorted[i], report, applied, err)) < 0)
			break;
	free(sorted);
	return rc < 0 ? rc : LMS_OK;
}
