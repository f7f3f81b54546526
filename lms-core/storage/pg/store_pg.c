/* store_pg.c — lms_store over libpq.
 *
 * Invariants: every statement is a named constant below and is run prepared, with its values
 * bound as parameters; nothing from input is ever put into SQL text. A dropped connection is
 * remade at the next call; a read that failed because the connection had dropped is retried
 * once on a new connection, a write is not (its outcome is unknown) and answers LMS_EUNAVAIL.
 * PGresult objects never leave this file: rows are copied into the caller's arena.
 */
#include "store_pg.h"
#include "store_pg_int.h"

#include "lms/course.h"
#include "lms/log.h"
#include "pg_util.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Microsecond conversions, used inside the statements. */
#define TS(p) "('epoch'::timestamptz + " p "::bigint * interval '1 microsecond')"
#define US(c) "(extract(epoch from " c ") * 1000000)::bigint"

enum stmt {
	ST_PING,
	ST_UNIT_ID,
	ST_UNIT_INSERT,
	ST_SUCC_INSERT,
	ST_UNIT_FIND,
	ST_UNIT_LIST,
	ST_UNIT_WITHIN,
	ST_PERSON_INSERT,
	ST_PERSON_ID,
	ST_PERSON_LIST,
	ST_PERSON_COUNT,
	ST_USER_INSERT,
	ST_ROLE_INSERT,
	ST_USER_SET_PW,
	ST_USER_SET_ACTIVE,
	ST_USER_DROP_SESSIONS,
	ST_USER_BY_NAME,
	ST_USER_BY_ID,
	ST_USER_ROLES,
	ST_LOGIN_BEGIN,
	ST_LOGIN_COUNTS,
	ST_LOGIN_END,
	ST_SESSION_INSERT,
	ST_SESSION_LOOKUP,
	ST_SESSION_TOUCH,
	ST_SESSION_END,
	ST_SET_EFFECTIVE_DATE,
	ST_COURSE_UPSERT,
	ST_VERSION_NEXT,
	ST_VERSION_INSERT,
	ST_ITEM_INSERT,
	ST_FILE_INSERT,
	ST_VERSION_LIST,
	ST_SECRET_INSERT,
	ST_SECRET_GET,
	ST_PURGE_SESSIONS,
	ST_PURGE_ATTEMPTS,
	ST__COUNT
};
_Static_assert(ST__COUNT <= PGX_SLOT_BASE, "too many statements for the slots");

#define UNIT_COLS                                                                          \
	"u.id, u.code, u.name, u.kind, p.code, "                                            \
	"coalesce(to_char(u.valid_from, 'YYYY-MM-DD'), ''), p.name, "                        \
	"coalesce(to_char(u.valid_to, 'YYYY-MM-DD'), ''), "                                 \
	"(SELECT coalesce(string_agg(s.code, ',' ORDER BY s.code), '') FROM unit_successor us " \
	"  JOIN org_unit s ON s.id = us.successor_id WHERE us.unit_id = u.id) "
#define SUBTREE                                                                            \
	"WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE id = ANY($1::bigint[]) "      \
	"UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id) "
#define USER_COLS                                                                          \
	"SELECT u.id, u.username, u.display_name, u.password_hash, u.active, "              \
	"coalesce(p.id, 0), p.employee_code, p.full_name, ou.code, ou.name, p.position, "    \
	"p.is_leader, p.par_role, p.active "                                                \
	"FROM app_user u LEFT JOIN person p ON p.id = u.person_id "                         \
	"LEFT JOIN org_unit ou ON ou.id = p.unit_id "

static const pgx_stmt stmts[ST__COUNT] = {
	[ST_PING] = { "SELECT 1", 0, 1 },
	[ST_UNIT_ID] = { "SELECT id FROM org_unit WHERE code = $1", 1, 1 },
	[ST_UNIT_INSERT] = { "INSERT INTO org_unit (code, name, kind, parent_id, valid_from, valid_to) "
	                     "VALUES ($1, $2, $3, $4::bigint, $5::date, $6::date) RETURNING id",
	                     6, 0 },
	[ST_SUCC_INSERT] = { "INSERT INTO unit_successor (unit_id, successor_id) "
	                     "SELECT a.id, b.id FROM org_unit a, org_unit b "
	                     "WHERE a.code = $1 AND b.code = $2 ON CONFLICT DO NOTHING",
	                     2, 1 },
	[ST_UNIT_FIND] = { "SELECT " UNIT_COLS "FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id "
	                   "WHERE u.code = $1",
	                   1, 1 },
	[ST_UNIT_LIST] = { SUBTREE "SELECT " UNIT_COLS
	                   "FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id "
	                   "WHERE $2::boolean OR u.id IN (SELECT id FROM sub) "
	                   "ORDER BY u.name COLLATE \"vi-VN-x-icu\", u.code",
	                   2, 1 },
	[ST_UNIT_WITHIN] = { "WITH RECURSIVE up AS (SELECT id, parent_id FROM org_unit WHERE id = $1 "
	                     "UNION SELECT o.id, o.parent_id FROM org_unit o JOIN up ON o.id = up.parent_id) "
	                     "SELECT EXISTS (SELECT 1 FROM up WHERE id = ANY($2::bigint[]))",
	                     2, 1 },
	[ST_PERSON_INSERT] = { "INSERT INTO person (employee_code, pin, full_name, unit_id, position, "
	                       "is_leader, par_role) VALUES ($1, $2, $3, $4::bigint, $5, $6::boolean, $7) "
	                       "RETURNING id",
	                       7, 0 },
	[ST_PERSON_ID] = { "SELECT id FROM person WHERE employee_code = $1", 1, 1 },
	[ST_PERSON_LIST] = { SUBTREE "SELECT p.id, p.employee_code, p.full_name, u.code, u.name, p.position, "
	                     "p.is_leader, p.par_role, p.active, count(*) OVER () "
	                     "FROM person p JOIN org_unit u ON u.id = p.unit_id "
	                     "WHERE $2::boolean OR p.unit_id IN (SELECT id FROM sub) "
	                     "ORDER BY p.full_name COLLATE \"vi-VN-x-icu\", p.employee_code "
	                     "LIMIT $3::int OFFSET $4::int",
	                     4, 1 },
	[ST_PERSON_COUNT] = { SUBTREE "SELECT count(*) FROM person p "
	                      "WHERE $2::boolean OR p.unit_id IN (SELECT id FROM sub)",
	                      2, 1 },
	[ST_USER_INSERT] = { "INSERT INTO app_user (username, display_name, password_hash, person_id) "
	                     "VALUES ($1, $2, $3, $4::bigint) RETURNING id",
	                     4, 0 },
	[ST_ROLE_INSERT] = { "INSERT INTO user_role (user_id, role, unit_id) "
	                     "VALUES ($1::bigint, $2, $3::bigint) ON CONFLICT DO NOTHING",
	                     3, 1 },
	[ST_USER_SET_PW] = { "UPDATE app_user SET password_hash = $2, password_changed_at = now() "
	                     "WHERE id = $1::bigint",
	                     2, 1 },
	[ST_USER_SET_ACTIVE] = { "UPDATE app_user SET active = $2::boolean WHERE id = $1::bigint", 2, 1 },
	[ST_USER_DROP_SESSIONS] = { "UPDATE user_session SET ended_at = now() "
	                            "WHERE user_id = $1::bigint AND ended_at IS NULL",
	                            1, 1 },
	[ST_USER_BY_NAME] = { USER_COLS "WHERE u.username = $1", 1, 1 },
	[ST_USER_BY_ID] = { USER_COLS "WHERE u.id = $1::bigint", 1, 1 },
	[ST_USER_ROLES] = { "SELECT r.role, coalesce(r.unit_id, 0), ou.code, ou.name FROM user_role r "
	                    "LEFT JOIN org_unit ou ON ou.id = r.unit_id WHERE r.user_id = $1::bigint "
	                    "ORDER BY r.role, ou.code",
	                    1, 1 },
	[ST_LOGIN_BEGIN] = { "INSERT INTO login_attempt (username, client_addr, outcome, at) "
	                     "VALUES ($1, $2, 'pending', " TS("$3") ") RETURNING id",
	                     3, 0 },
	/* Failed and pending attempts other than this one ($4) since $3. */
	[ST_LOGIN_COUNTS] = { "SELECT count(*) FILTER (WHERE username = $1), "
	                      "coalesce(min(us) FILTER (WHERE username = $1), 0), "
	                      "count(*) FILTER (WHERE client_addr = $2), "
	                      "coalesce(min(us) FILTER (WHERE client_addr = $2), 0) "
	                      "FROM (SELECT username, client_addr, " US("at") " AS us FROM login_attempt "
	                      "WHERE outcome IN ('pending', 'failure') AND at >= " TS("$3")
	                      " AND id <> $4::bigint AND (username = $1 OR client_addr = $2)) x",
	                      4, 1 },
	[ST_LOGIN_END] = { "UPDATE login_attempt SET outcome = $2 WHERE id = $1::bigint", 2, 1 },
	[ST_SESSION_INSERT] = { "INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, "
	                        "last_seen_at, expires_at, client_addr, user_agent) "
	                        "VALUES ($1::bytea, $2::bigint, $3, " TS("$4") ", " TS("$5") ", " TS("$6")
	                        ", $7, $8) RETURNING id",
	                        8, 0 },
	/* One row per role (at least one row): session, account, person, role. */
	[ST_SESSION_LOOKUP] = { "SELECT s.id, s.user_id, s.csrf_token, " US("s.created_at") ", "
	                        US("s.last_seen_at") ", " US("s.expires_at") ", "
	                        "u.username, u.display_name, u.active, "
	                        "coalesce(p.id, 0), p.employee_code, p.full_name, ou.code, ou.name, "
	                        "p.position, p.is_leader, p.par_role, p.active, "
	                        "r.role, coalesce(r.unit_id, 0), ru.code, ru.name, "
	                        "s.ended_at IS NOT NULL "
	                        "FROM user_session s JOIN app_user u ON u.id = s.user_id "
	                        "LEFT JOIN person p ON p.id = u.person_id "
	                        "LEFT JOIN org_unit ou ON ou.id = p.unit_id "
	                        "LEFT JOIN user_role r ON r.user_id = u.id "
	                        "LEFT JOIN org_unit ru ON ru.id = r.unit_id "
	                        "WHERE s.token_hash = $1::bytea ORDER BY r.role, ru.code",
	                        1, 1 },
	[ST_SESSION_TOUCH] = { "UPDATE user_session SET last_seen_at = " TS("$2") " WHERE id = $1::bigint", 2, 1 },
	[ST_SESSION_END] = { "UPDATE user_session SET ended_at = " TS("$2")
	                     " WHERE id = $1::bigint AND ended_at IS NULL",
	                     2, 1 },
	[ST_COURSE_UPSERT] = { "INSERT INTO course (code, title) VALUES ($1, $2) "
	                       "ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id",
	                       2, 0 },
	/* The course row is locked for the transaction, so two imports number apart. */
	[ST_VERSION_NEXT] = { "SELECT coalesce((SELECT max(version_no) FROM course_version "
	                      "WHERE course_id = c.id), 0) + 1 FROM course c WHERE c.id = $1::bigint "
	                      "FOR UPDATE",
	                      1, 0 },
	[ST_VERSION_INSERT] = { "INSERT INTO course_version (course_id, version_no, kind, scorm_edition, "
	                        "title, package_sha256, storage_key, file_count, total_bytes, warnings, "
	                        "imported_by, par_area, audience, language, training_periods, "
	                        "expected_duration_s, minimum_time_s, org_sequencing_xml, "
	                        "sequencing_collection_xml) VALUES ($1::bigint, $2::int, $3, "
	                        "$4::int, $5, $6, $7, $8::int, $9::bigint, $10::int, $11, $12, $13, $14, "
	                        "$15::int, $16::bigint, $17::bigint, $18, $19) RETURNING id, "
	                        "to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
	                        19, 0 },
	[ST_ITEM_INSERT] = { "INSERT INTO course_item (version_id, ord, parent_ord, identifier, title, "
	                     "href, parameters, scorm_type, is_visible, mastery_score, prerequisites, "
	                     "max_time_allowed, time_limit_action, data_from_lms, completion_threshold, "
	                     "sequencing_xml, presentation_xml) VALUES ($1::bigint, $2::int, $3::int, $4, "
	                     "$5, $6, $7, $8, $9::boolean, $10, $11, $12, $13, $14, $15, $16, $17)",
	                     17, 0 },
	[ST_FILE_INSERT] = { "INSERT INTO course_file (version_id, path, sha256, size) "
	                     "VALUES ($1::bigint, $2, $3, $4::bigint)",
	                     4, 0 },
	[ST_VERSION_LIST] = { "SELECT v.id, c.code, c.title, v.version_no, v.kind, v.scorm_edition, "
	                      "v.title, v.storage_key, v.file_count, v.total_bytes, v.warnings, "
	                      "v.imported_by, to_char(v.imported_at AT TIME ZONE 'UTC', "
	                      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	                      /* SCORM CP: parameters join the href's query with '&' */
	                      "(SELECT i.href || CASE WHEN i.parameters IS NULL OR i.parameters = '' THEN '' "
	                      "WHEN position('?' in i.href) > 0 AND left(i.parameters, 1) = '?' "
	                      "THEN '&' || substr(i.parameters, 2) ELSE i.parameters END "
	                      "FROM course_item i WHERE i.version_id = v.id AND i.href IS NOT NULL "
	                      "ORDER BY i.ord LIMIT 1) "
	                      "FROM course_version v JOIN course c ON c.id = v.course_id "
	                      "WHERE $1::text IS NULL OR c.code = $1 "
	                      "ORDER BY c.code, v.version_no DESC",
	                      1, 1 },
	[ST_SECRET_INSERT] = { "INSERT INTO app_secret (name, value) VALUES ($1, decode($2, 'hex')) "
	                       "ON CONFLICT (name) DO NOTHING",
	                       2, 1 },
	[ST_SECRET_GET] = { "SELECT encode(value, 'hex') FROM app_secret WHERE name = $1", 1, 1 },
	[ST_PURGE_SESSIONS] = { "DELETE FROM user_session WHERE ended_at < " TS("$1")
	                        " OR expires_at < " TS("$1") " OR last_seen_at < " TS("$2"),
	                        2, 1 },
	[ST_PURGE_ATTEMPTS] = { "DELETE FROM login_attempt WHERE at < " TS("$1"), 1, 1 },
	[ST_SET_EFFECTIVE_DATE] = { "SELECT set_config('parlearn.effective_date', coalesce($1, ''), true)", 1, 0 },
};

typedef struct store_pg {
	char *conninfo;
	PGconn *conn;
	bool in_tx;           /* between begin() and commit()/rollback() */
	unsigned char prepared[PGX_SLOTS];
} store_pg;

/* How long a statement may take before the connection is given up: PostgreSQL's own
 * statement_timeout cannot help when the server itself has stopped answering. */
#define QUERY_TIMEOUT_MS 30000
#define PING_TIMEOUT_MS 3000

static store_pg *impl(lms_store *s)
{
	return s->impl;
}

/* ---- connection ---------------------------------------------------------------- */

static void drop_conn(store_pg *p)
{
	if (p->conn)
		PQfinish(p->conn);
	p->conn = NULL;
	p->in_tx = false;
	memset(p->prepared, 0, sizeof(p->prepared));
}

/* PostgreSQL's notices (e.g. "already exists, skipping") go to the debug log. */
static void on_notice(void *arg, const char *message)
{
	(void)arg;
	LMS_DEBUG("database notice: %s", pgu_first_line(message));
}

static int unavailable(lms_err *err, const char *msg)
{
	lms_err_set(err, LMS_EUNAVAIL, "db_unavailable", NULL, "%s", msg);
	if (err)
		err->retry_after_s = 5;
	return LMS_EUNAVAIL;
}

static int ensure_conn(store_pg *p, lms_err *err)
{
	/* Our defaults first; the configured string (expanded) overrides them. */
	const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *const vals[] = { "3", p->conninfo, NULL };

	if (p->conn && PQstatus(p->conn) == CONNECTION_OK)
		return LMS_OK;
	if (p->in_tx) {
		/* The transaction went with the connection: never go on in a new one. */
		drop_conn(p);
		return unavailable(err, "the database connection was lost; try again shortly");
	}
	drop_conn(p);
	p->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		LMS_WARN("database connection failed: %s", pgu_first_line(PQerrorMessage(p->conn)));
		drop_conn(p);
		return unavailable(err, "the database is not reachable; try again shortly");
	}
	PQsetNoticeProcessor(p->conn, on_notice, NULL);
	return LMS_OK;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the answer to what was sent, until timeout_ms. Returns the last result (the
 * caller clears it), or NULL when the connection failed or the time ran out (*timed_out). */
static PGresult *await(store_pg *p, int timeout_ms, bool *timed_out)
{
	int64_t deadline = now_ms() + timeout_ms;
	PGresult *last = NULL, *r;
	int fd = PQsocket(p->conn);

	*timed_out = false;
	for (;;) {
		int flushed = PQflush(p->conn);
		struct pollfd pfd;
		int64_t left;
		if (flushed < 0)
			break;
		if (flushed == 0 && !PQisBusy(p->conn)) {
			r = PQgetResult(p->conn);
			if (!r)
				return last;
			PQclear(last);
			last = r;
			continue;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			*timed_out = true;
			break;
		}
		pfd.fd = fd;
		pfd.events = (short)(POLLIN | (flushed ? POLLOUT : 0));
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			break;
		if ((pfd.revents & (POLLIN | POLLERR | POLLHUP)) && !PQconsumeInput(p->conn))
			break;
	}
	PQclear(last);
	return NULL;
}

/* Sends statement st in slot (preparing it first on this connection) and waits for its
 * result. */
static PGresult *send_prepared(store_pg *p, int slot, const pgx_stmt *st, const char *const *vals,
                               int timeout_ms, bool *timed_out)
{
	char name[16];
	PGresult *res;

	snprintf(name, sizeof(name), "s%d", slot);
	if (!p->prepared[slot]) {
		if (!PQsendPrepare(p->conn, name, st->sql, st->nparams, NULL))
			return NULL;
		res = await(p, timeout_ms, timed_out);
		if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
			return res;
		PQclear(res);
		p->prepared[slot] = 1;
	}
	if (!PQsendQueryPrepared(p->conn, name, st->nparams, vals, NULL, NULL, 0))
		return NULL;
	return await(p, timeout_ms, timed_out);
}

/* Runs statement id with text parameters. Returns a PGresult the caller clears, or NULL with
 * err set (and the rc in *rcp). A read whose connection had dropped (the server restarted)
 * is retried once on a new connection, outside a transaction only. */
static PGresult *run_slot(store_pg *p, int slot, const pgx_stmt *st, const char *const *vals,
                          int timeout_ms, int *rcp, lms_err *err)
{
	PGresult *res = NULL;
	bool timed_out = false;
	int attempt, rc;

	for (attempt = 0; attempt < 2; attempt++) {
		bool in_tx = p->in_tx;
		if ((rc = ensure_conn(p, err)) < 0)
			goto fail;
		res = send_prepared(p, slot, st, vals, timeout_ms, &timed_out);
		if (res && (PQresultStatus(res) == PGRES_TUPLES_OK ||
		            PQresultStatus(res) == PGRES_COMMAND_OK))
			return res;
		if (timed_out) {
			PQclear(res);
			LMS_WARN("database did not answer in %d ms; dropping the connection", timeout_ms);
			drop_conn(p);
			rc = unavailable(err, "the database did not answer in time; try again shortly");
			goto fail;
		}
		if (!res || PQstatus(p->conn) == CONNECTION_BAD) {
			PQclear(res);
			res = NULL;
			drop_conn(p);
			if (st->idempotent && attempt == 0 && !in_tx)
				continue; /* the server restarted under us: one more try */
			rc = unavailable(err, "the database connection was lost; try again shortly");
			goto fail;
		}
		rc = pgu_map_error(res, err);
		PQclear(res);
		res = NULL;
		goto fail;
	}
	rc = LMS_EUNAVAIL;
fail:
	*rcp = rc;
	return NULL;
}

static PGresult *run_t(store_pg *p, enum stmt id, const char *const *vals, int timeout_ms,
                       int *rcp, lms_err *err)
{
	return run_slot(p, (int)id, &stmts[id], vals, timeout_ms, rcp, err);
}

PGresult *pgx_run(lms_store *s, int slot, const pgx_stmt *st, const char *const *vals, int *rcp,
                  lms_err *err)
{
	return run_slot(s->impl, PGX_SLOT_BASE + slot, st, vals, QUERY_TIMEOUT_MS, rcp, err);
}

static PGresult *run(store_pg *p, enum stmt id, const char *const *vals, int *rcp, lms_err *err)
{
	return run_t(p, id, vals, QUERY_TIMEOUT_MS, rcp, err);
}

static int exec_simple(store_pg *p, const char *sql, lms_err *err)
{
	PGresult *res;
	bool timed_out = false;
	int rc;

	if ((rc = ensure_conn(p, err)) < 0)
		return rc;
	res = PQsendQuery(p->conn, sql) ? await(p, QUERY_TIMEOUT_MS, &timed_out) : NULL;
	if (res && (PQresultStatus(res) == PGRES_COMMAND_OK ||
	            PQresultStatus(res) == PGRES_TUPLES_OK)) {
		PQclear(res);
		return LMS_OK;
	}
	if (timed_out || !res || PQstatus(p->conn) == CONNECTION_BAD) {
		PQclear(res);
		drop_conn(p);
		return unavailable(err, timed_out ? "the database did not answer in time; try again shortly"
		                                  : "the database connection was lost; try again shortly");
	}
	rc = pgu_map_error(res, err);
	PQclear(res);
	return rc;
}

static int begin(store_pg *p, lms_err *err)
{
	int rc;

	if (p->in_tx)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "nested transaction");
	if ((rc = exec_simple(p, "BEGIN", err)) < 0)
		return rc;
	p->in_tx = true;
	return LMS_OK;
}

static int commit(store_pg *p, lms_err *err)
{
	int rc;

	if (!p->in_tx || !p->conn)
		return unavailable(err, "the database connection was lost; try again shortly");
	rc = exec_simple(p, "COMMIT", err);
	p->in_tx = false;
	return rc;
}

static void rollback(store_pg *p)
{
	if (p->conn && PQstatus(p->conn) == CONNECTION_OK &&
	    PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		(void)exec_simple(p, "ROLLBACK", NULL);
	p->in_tx = false;
}

int pgx_begin(lms_store *s, lms_err *err)
{
	return begin(s->impl, err);
}

int pgx_commit(lms_store *s, lms_err *err)
{
	return commit(s->impl, err);
}

void pgx_rollback(lms_store *s)
{
	rollback(s->impl);
}

/* ---- helpers --------------------------------------------------------------------- */


/* Looks up an id by code with a one-parameter statement; 0 when absent. */
static int lookup_id(store_pg *p, enum stmt id, const char *code, int64_t *out, lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(p, id, v, &rc, err)))
		return rc;
	*out = PQntuples(r) ? pgu_i64(r, 0, 0) : 0;
	PQclear(r);
	return LMS_OK;
}

static void fill_unit(lms_arena *a, const PGresult *r, int i, lms_unit *u)
{
	const char *succ = PQgetvalue(r, i, 8);
	size_t n = 0, k;

	memset(u, 0, sizeof(*u));
	u->id = pgu_i64(r, i, 0);
	u->code = pgu_str(a, r, i, 1);
	u->name = pgu_str(a, r, i, 2);
	u->kind = pgu_str(a, r, i, 3);
	u->parent_code = pgu_str(a, r, i, 4);
	snprintf(u->valid_from, sizeof(u->valid_from), "%s", PQgetvalue(r, i, 5));
	u->parent_name = pgu_str(a, r, i, 6);
	snprintf(u->valid_to, sizeof(u->valid_to), "%s", PQgetvalue(r, i, 7));
	if (*succ) {
		const char *c;
		n = 1;
		for (c = succ; *c; c++)
			n += *c == ',';
		u->successor_codes = lms_arena_alloc(a, n * sizeof(char *));
		for (k = 0; k < n; k++) {
			const char *end = strchr(succ, ',');
			size_t len = end ? (size_t)(end - succ) : strlen(succ);
			u->successor_codes[k] = lms_arena_strndup(a, succ, len);
			succ += len + (end ? 1 : 0);
		}
	}
	u->n_successors = n;
}

/* Writes the scope's roots as a PostgreSQL array literal of integers (no input text). */
/* ---- operations ------------------------------------------------------------------- */

static int op_ping(lms_store *s, lms_err *err)
{
	PGresult *r;
	int rc;

	if (!(r = run_t(impl(s), ST_PING, NULL, PING_TIMEOUT_MS, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static int op_unit_create(lms_store *s, const lms_unit_input *in, int64_t *id, lms_err *err)
{
	store_pg *p = impl(s);
	char parent[24] = "";
	int64_t parent_id = 0;
	const char *v[6];
	PGresult *r;
	int rc;

	if (in->parent_code) {
		if ((rc = lookup_id(p, ST_UNIT_ID, in->parent_code, &parent_id, err)) < 0)
			return rc;
		if (!parent_id)
			return lms_err_set(err, LMS_ENOTFOUND, "invalid_field", "parent",
			                   "parent: no unit with code %s", in->parent_code);
		snprintf(parent, sizeof(parent), "%lld", (long long)parent_id);
	}
	v[0] = in->code;
	v[1] = in->name;
	v[2] = in->kind;
	v[3] = parent_id ? parent : NULL;
	v[4] = in->valid_from;
	v[5] = in->valid_to;
	if (!(r = run(p, ST_UNIT_INSERT, v, &rc, err))) {
		if (rc == LMS_ECONFLICT)
			lms_err_set(err, LMS_ECONFLICT, "conflict", "code",
			            "code: a unit with code %s exists already", in->code);
		return rc;
	}
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

static int op_unit_add_successor(lms_store *s, const char *code, const char *successor,
                                 lms_err *err)
{
	store_pg *p = impl(s);
	const char *v[2] = { code, successor };
	int64_t a_id = 0, b_id = 0;
	PGresult *r;
	int rc;

	if ((rc = lookup_id(p, ST_UNIT_ID, code, &a_id, err)) < 0)
		return rc;
	if (!a_id)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "code", "no unit with code %s", code);
	if ((rc = lookup_id(p, ST_UNIT_ID, successor, &b_id, err)) < 0)
		return rc;
	if (!b_id)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "successor",
		                   "no unit with code %s", successor);
	if (a_id == b_id)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "successor",
		                   "a unit cannot succeed itself");
	if (!(r = run(p, ST_SUCC_INSERT, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static int op_unit_find(lms_store *s, const char *code, lms_arena *a, lms_unit *out,
                        lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(impl(s), ST_UNIT_FIND, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "unit", "no unit with code %s",
		                   code);
	}
	fill_unit(a, r, 0, out);
	PQclear(r);
	return LMS_OK;
}

static int op_unit_list(lms_store *s, const lms_scope *scope, lms_arena *a, lms_unit **out,
                        size_t *n, lms_err *err)
{
	const char *v[2];
	PGresult *r;
	lms_unit *units;
	int rc, i, rows;

	v[0] = pgu_scope_roots(a, scope);
	v[1] = scope->all ? "true" : "false";
	if (!(r = run(impl(s), ST_UNIT_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	units = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*units));
	for (i = 0; i < rows; i++)
		fill_unit(a, r, i, &units[i]);
	PQclear(r);
	*out = units;
	*n = (size_t)rows;
	return LMS_OK;
}

static int op_unit_within(lms_store *s, int64_t unit_id, const lms_scope *scope, bool *out,
                          lms_err *err)
{
	char idbuf[24];
	const char *v[2];
	lms_arena *a;
	PGresult *r;
	int rc;

	if (scope->all) {
		*out = true;
		return LMS_OK;
	}
	a = lms_arena_new();
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)unit_id);
	v[0] = idbuf;
	v[1] = pgu_scope_roots(a, scope);
	r = run(impl(s), ST_UNIT_WITHIN, v, &rc, err);
	lms_arena_free(a);
	if (!r)
		return rc;
	*out = pgu_bool(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

static int op_person_create(lms_store *s, const lms_person_input *in, int64_t *id,
                            lms_err *err)
{
	store_pg *p = impl(s);
	char unit[24];
	int64_t unit_id = 0;
	const char *v[7], *d[1] = { in->since };
	PGresult *r = NULL;
	int rc;

	if ((rc = lookup_id(p, ST_UNIT_ID, in->unit_code, &unit_id, err)) < 0)
		return rc;
	if (!unit_id)
		return lms_err_set(err, LMS_ENOTFOUND, "invalid_field", "unit", "unit: no unit with code %s",
		                   in->unit_code);
	snprintf(unit, sizeof(unit), "%lld", (long long)unit_id);
	v[0] = in->employee_code;
	v[1] = in->pin;
	v[2] = in->full_name;
	v[3] = unit;
	v[4] = in->position ? in->position : "";
	v[5] = in->is_leader ? "true" : "false";
	v[6] = lms_par_role_name(in->par_role);
	if ((rc = begin(p, err)) < 0)
		return rc;
	if (!(r = run(p, ST_SET_EFFECTIVE_DATE, d, &rc, err)))
		goto cleanup;
	PQclear(r);
	if (!(r = run(p, ST_PERSON_INSERT, v, &rc, err))) {
		if (rc == LMS_ECONFLICT)
			lms_err_set(err, LMS_ECONFLICT, "conflict", "employee_code",
			            "a person with this employee code or identification number exists already");
		goto cleanup;
	}
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	rc = commit(p, err);
cleanup:
	if (rc < 0)
		rollback(p);
	return rc;
}

static void fill_person(lms_arena *a, const PGresult *r, int i, int col, lms_person *pp)
{
	lms_par_role pr = LMS_PAR_NONE;

	memset(pp, 0, sizeof(*pp));
	pp->id = pgu_i64(r, i, col);
	pp->employee_code = pgu_str(a, r, i, col + 1);
	pp->full_name = pgu_str(a, r, i, col + 2);
	pp->unit_code = pgu_str(a, r, i, col + 3);
	pp->unit_name = pgu_str(a, r, i, col + 4);
	pp->position = pgu_str(a, r, i, col + 5);
	pp->is_leader = pgu_bool(r, i, col + 6);
	(void)lms_par_role_parse(PQgetvalue(r, i, col + 7), &pr);
	pp->par_role = pr;
	pp->active = pgu_bool(r, i, col + 8);
}

static int op_person_list(lms_store *s, const lms_scope *scope, int64_t unit_id, int limit,
                          int offset, lms_arena *a, lms_person **out, size_t *n,
                          int64_t *total, lms_err *err)
{
	char lim[16], off[16];
	const char *v[4];
	lms_person *people;
	PGresult *r;
	int rc, i, rows;

	if (unit_id) {
		v[0] = pgu_i64_array(a, &unit_id, 1);
		v[1] = "false";
	} else {
		v[0] = pgu_scope_roots(a, scope);
		v[1] = scope->all ? "true" : "false";
	}
	snprintf(lim, sizeof(lim), "%d", limit);
	snprintf(off, sizeof(off), "%d", offset);
	v[2] = lim;
	v[3] = off;
	if (!(r = run(impl(s), ST_PERSON_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	people = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*people));
	for (i = 0; i < rows; i++)
		fill_person(a, r, i, 0, &people[i]);
	*total = rows ? pgu_i64(r, 0, 9) : 0;
	PQclear(r);
	if (rows == 0 && offset > 0) {
		if (!(r = run(impl(s), ST_PERSON_COUNT, v, &rc, err)))
			return rc;
		*total = pgu_i64(r, 0, 0);
		PQclear(r);
	}
	*out = people;
	*n = (size_t)rows;
	return LMS_OK;
}

static int op_user_create(lms_store *s, const lms_user_input *in, int64_t *id, lms_err *err)
{
	store_pg *p = impl(s);
	char pid[24];
	int64_t person_id = 0;
	const char *v[4];
	PGresult *r;
	int rc;

	if (in->person_employee_code) {
		if ((rc = lookup_id(p, ST_PERSON_ID, in->person_employee_code, &person_id, err)) < 0)
			return rc;
		if (!person_id)
			return lms_err_set(err, LMS_ENOTFOUND, "invalid_field", "person",
			                   "person: no person with employee code %s",
			                   in->person_employee_code);
		snprintf(pid, sizeof(pid), "%lld", (long long)person_id);
	}
	v[0] = in->username;
	v[1] = in->display_name;
	v[2] = in->password_hash;
	v[3] = person_id ? pid : NULL;
	if (!(r = run(p, ST_USER_INSERT, v, &rc, err))) {
		if (rc == LMS_ECONFLICT)
			lms_err_set(err, LMS_ECONFLICT, "conflict", "username",
			            "username %s is taken, or the person has an account already",
			            in->username);
		return rc;
	}
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

static int op_user_add_role(lms_store *s, int64_t user_id, lms_role_kind role,
                            const char *unit_code, lms_err *err)
{
	store_pg *p = impl(s);
	char uid[24], unit[24];
	int64_t unit_id = 0;
	const char *v[3];
	PGresult *r;
	int rc;

	if (unit_code) {
		if ((rc = lookup_id(p, ST_UNIT_ID, unit_code, &unit_id, err)) < 0)
			return rc;
		if (!unit_id)
			return lms_err_set(err, LMS_ENOTFOUND, "invalid_field", "scope",
			                   "scope: no unit with code %s", unit_code);
		snprintf(unit, sizeof(unit), "%lld", (long long)unit_id);
	}
	snprintf(uid, sizeof(uid), "%lld", (long long)user_id);
	v[0] = uid;
	v[1] = lms_role_name(role);
	v[2] = unit_id ? unit : NULL;
	if (!(r = run(p, ST_ROLE_INSERT, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static int op_user_set_password(lms_store *s, int64_t user_id, const char *hash, lms_err *err)
{
	store_pg *p = impl(s);
	char uid[24];
	const char *v[2] = { uid, hash };
	PGresult *r;
	int rc;

	snprintf(uid, sizeof(uid), "%lld", (long long)user_id);
	if ((rc = begin(p, err)) < 0)
		return rc;
	if (!(r = run(p, ST_USER_SET_PW, v, &rc, err)))
		goto cleanup;
	if (strcmp(PQcmdTuples(r), "0") == 0) {
		PQclear(r);
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such account");
		goto cleanup;
	}
	PQclear(r);
	/* A new password ends every session of the account. */
	if (!(r = run(p, ST_USER_DROP_SESSIONS, v, &rc, err)))
		goto cleanup;
	PQclear(r);
	rc = commit(p, err);
cleanup:
	if (rc < 0)
		rollback(p);
	return rc;
}

static int op_user_set_active(lms_store *s, int64_t user_id, bool active, lms_err *err)
{
	store_pg *p = impl(s);
	char uid[24];
	const char *v[2] = { uid, active ? "true" : "false" };
	PGresult *r;
	int rc;

	snprintf(uid, sizeof(uid), "%lld", (long long)user_id);
	if ((rc = begin(p, err)) < 0)
		return rc;
	if (!(r = run(p, ST_USER_SET_ACTIVE, v, &rc, err)))
		goto cleanup;
	if (strcmp(PQcmdTuples(r), "0") == 0) {
		PQclear(r);
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such account");
		goto cleanup;
	}
	PQclear(r);
	if (!active) {
		if (!(r = run(p, ST_USER_DROP_SESSIONS, v, &rc, err)))
			goto cleanup;
		PQclear(r);
	}
	rc = commit(p, err);
cleanup:
	if (rc < 0)
		rollback(p);
	return rc;
}

static int load_user(store_pg *p, enum stmt id, const char *key, lms_arena *a, lms_user *out,
                     lms_err *err)
{
	const char *v[1] = { key };
	char uid[24];
	PGresult *r;
	lms_user u;
	int rc, i, rows;

	if (!(r = run(p, id, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such account");
	}
	memset(&u, 0, sizeof(u));
	u.id = pgu_i64(r, 0, 0);
	u.username = pgu_str(a, r, 0, 1);
	u.display_name = pgu_str(a, r, 0, 2);
	u.password_hash = id == ST_USER_BY_NAME ? pgu_str(a, r, 0, 3) : NULL;
	u.active = pgu_bool(r, 0, 4);
	if (pgu_i64(r, 0, 5)) {
		u.person = lms_arena_alloc(a, sizeof(*u.person));
		fill_person(a, r, 0, 5, u.person);
	}
	PQclear(r);

	snprintf(uid, sizeof(uid), "%lld", (long long)u.id);
	v[0] = uid;
	if (!(r = run(p, ST_USER_ROLES, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	u.roles = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*u.roles));
	for (i = 0; i < rows; i++) {
		lms_role_kind k = LMS_ROLE_LEARNER;
		(void)lms_role_parse(PQgetvalue(r, i, 0), &k);
		u.roles[i].kind = k;
		u.roles[i].unit_id = pgu_i64(r, i, 1);
		u.roles[i].unit_code = pgu_str(a, r, i, 2);
		u.roles[i].unit_name = pgu_str(a, r, i, 3);
	}
	u.n_roles = (size_t)rows;
	PQclear(r);
	*out = u;
	return LMS_OK;
}

static int op_user_by_username(lms_store *s, const char *username, lms_arena *a,
                               lms_user *out, lms_err *err)
{
	return load_user(impl(s), ST_USER_BY_NAME, username, a, out, err);
}

static int op_user_by_id(lms_store *s, int64_t id, lms_arena *a, lms_user *out, lms_err *err)
{
	char uid[24];

	snprintf(uid, sizeof(uid), "%lld", (long long)id);
	return load_user(impl(s), ST_USER_BY_ID, uid, a, out, err);
}

static int op_login_begin(lms_store *s, const char *username, const char *addr, int64_t at_us,
                          int64_t since_us, int64_t *attempt_id, lms_login_counts *out,
                          lms_err *err)
{
	char at[24], since[24], id[24];
	const char *v[4] = { username, addr, at, NULL };
	PGresult *r;
	int rc;

	snprintf(at, sizeof(at), "%lld", (long long)at_us);
	if (!(r = run(impl(s), ST_LOGIN_BEGIN, v, &rc, err)))
		return rc;
	*attempt_id = pgu_i64(r, 0, 0);
	snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	snprintf(since, sizeof(since), "%lld", (long long)since_us);
	v[2] = since;
	v[3] = id;
	if (!(r = run(impl(s), ST_LOGIN_COUNTS, v, &rc, err)))
		return rc;
	out->user_failures = (int)pgu_i64(r, 0, 0);
	out->user_oldest_us = pgu_i64(r, 0, 1);
	out->addr_failures = (int)pgu_i64(r, 0, 2);
	out->addr_oldest_us = pgu_i64(r, 0, 3);
	PQclear(r);
	return LMS_OK;
}

static int op_login_end(lms_store *s, int64_t attempt_id, lms_login_outcome outcome,
                        lms_err *err)
{
	char id[24];
	const char *v[2] = { id, outcome == LMS_LOGIN_SUCCESS   ? "success"
	                         : outcome == LMS_LOGIN_THROTTLED ? "throttled"
	                                                          : "failure" };
	PGresult *r;
	int rc;

	snprintf(id, sizeof(id), "%lld", (long long)attempt_id);
	if (!(r = run(impl(s), ST_LOGIN_END, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static void hex_bytea(const unsigned char h[32], char out[67])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	out[0] = '\\';
	out[1] = 'x';
	for (i = 0; i < 32; i++) {
		out[2 + 2 * i] = digits[h[i] >> 4];
		out[3 + 2 * i] = digits[h[i] & 15];
	}
	out[66] = '\0';
}

static int op_session_create(lms_store *s, const unsigned char th[32], lms_session *sess,
                             const char *addr, const char *user_agent, lms_err *err)
{
	char hex[67], uid[24], c[24], l[24], e[24];
	const char *v[8] = { hex, uid, sess->csrf_token, c, l, e, addr ? addr : "",
		             user_agent ? user_agent : "" };
	PGresult *r;
	int rc;

	hex_bytea(th, hex);
	snprintf(uid, sizeof(uid), "%lld", (long long)sess->user_id);
	snprintf(c, sizeof(c), "%lld", (long long)sess->created_us);
	snprintf(l, sizeof(l), "%lld", (long long)sess->last_seen_us);
	snprintf(e, sizeof(e), "%lld", (long long)sess->expires_us);
	if (!(r = run(impl(s), ST_SESSION_INSERT, v, &rc, err)))
		return rc;
	sess->id = pgu_i64(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

static int op_session_lookup(lms_store *s, const unsigned char th[32], lms_arena *a,
                             lms_session *out, lms_user *user, lms_err *err)
{
	char hex[67];
	const char *v[1] = { hex };
	PGresult *r;
	lms_user u;
	int rc, i, rows;

	hex_bytea(th, hex);
	if (!(r = run(impl(s), ST_SESSION_LOOKUP, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	if (rows == 0) {
		PQclear(r);
		return LMS_ENOTFOUND;
	}
	memset(out, 0, sizeof(*out));
	out->id = pgu_i64(r, 0, 0);
	out->user_id = pgu_i64(r, 0, 1);
	snprintf(out->csrf_token, sizeof(out->csrf_token), "%s", PQgetvalue(r, 0, 2));
	out->created_us = pgu_i64(r, 0, 3);
	out->last_seen_us = pgu_i64(r, 0, 4);
	out->expires_us = pgu_i64(r, 0, 5);
	out->ended = pgu_bool(r, 0, 22);
	memset(&u, 0, sizeof(u));
	u.id = out->user_id;
	u.username = pgu_str(a, r, 0, 6);
	u.display_name = pgu_str(a, r, 0, 7);
	u.active = pgu_bool(r, 0, 8);
	if (pgu_i64(r, 0, 9)) {
		u.person = lms_arena_alloc(a, sizeof(*u.person));
		fill_person(a, r, 0, 9, u.person);
	}
	u.roles = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*u.roles));
	for (i = 0; i < rows; i++) {
		lms_role_kind k = LMS_ROLE_LEARNER;
		if (PQgetisnull(r, i, 18))
			continue; /* an account without roles: one row of NULLs */
		(void)lms_role_parse(PQgetvalue(r, i, 18), &k);
		u.roles[u.n_roles].kind = k;
		u.roles[u.n_roles].unit_id = pgu_i64(r, i, 19);
		u.roles[u.n_roles].unit_code = pgu_str(a, r, i, 20);
		u.roles[u.n_roles].unit_name = pgu_str(a, r, i, 21);
		u.n_roles++;
	}
	PQclear(r);
	*user = u;
	return LMS_OK;
}

static int op_session_touch(lms_store *s, int64_t id, int64_t at_us, lms_err *err)
{
	char sid[24], at[24];
	const char *v[2] = { sid, at };
	PGresult *r;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	snprintf(at, sizeof(at), "%lld", (long long)at_us);
	if (!(r = run(impl(s), ST_SESSION_TOUCH, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static int op_session_end(lms_store *s, int64_t id, int64_t at_us, lms_err *err)
{
	char sid[24], at[24];
	const char *v[2] = { sid, at };
	PGresult *r;
	int rc;

	snprintf(sid, sizeof(sid), "%lld", (long long)id);
	snprintf(at, sizeof(at), "%lld", (long long)at_us);
	if (!(r = run(impl(s), ST_SESSION_END, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static int op_purge_expired(lms_store *s, int64_t ended_before_us, int64_t idle_before_us,
                            int64_t attempts_before_us, int64_t *deleted, lms_err *err)
{
	char ended[24], idle[24], att[24];
	const char *v[2] = { ended, idle }, *w[1] = { att };
	PGresult *r;
	int rc;

	snprintf(ended, sizeof(ended), "%lld", (long long)ended_before_us);
	snprintf(idle, sizeof(idle), "%lld", (long long)idle_before_us);
	snprintf(att, sizeof(att), "%lld", (long long)attempts_before_us);
	if (!(r = run(impl(s), ST_PURGE_SESSIONS, v, &rc, err)))
		return rc;
	*deleted = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	if (!(r = run(impl(s), ST_PURGE_ATTEMPTS, w, &rc, err)))
		return rc;
	*deleted += strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return LMS_OK;
}

static void i64s(char *buf, size_t size, int64_t v)
{
	snprintf(buf, size, "%lld", (long long)v);
}

static int op_version_save(lms_store *s, const lms_version_in *in, lms_arena *a,
                           lms_course_version *out, lms_err *err)
{
	store_pg *p = impl(s);
	char course_id[24], vno[16], vid[24], ed[16], nfiles[16], total[24], warn[16];
	char periods[16], dur[24], mint[24];
	const char *v[19];
	lms_course_version cv;
	PGresult *r = NULL;
	size_t i;
	int rc;

	memset(&cv, 0, sizeof(cv));
	if ((rc = begin(p, err)) < 0)
		return rc;
	v[0] = in->course_code;
	v[1] = in->course_title;
	if (!(r = run(p, ST_COURSE_UPSERT, v, &rc, err)))
		goto cleanup;
	snprintf(course_id, sizeof(course_id), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	v[0] = course_id;
	if (!(r = run(p, ST_VERSION_NEXT, v, &rc, err)))
		goto cleanup;
	snprintf(vno, sizeof(vno), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	snprintf(ed, sizeof(ed), "%d", in->edition);
	snprintf(nfiles, sizeof(nfiles), "%zu", in->n_files);
	i64s(total, sizeof(total), (int64_t)in->total_bytes);
	snprintf(warn, sizeof(warn), "%d", in->warnings);
	v[0] = course_id;
	v[1] = vno;
	v[2] = in->kind;
	v[3] = ed;
	v[4] = in->title;
	v[5] = in->package_sha256;
	v[6] = in->storage_key;
	v[7] = nfiles;
	v[8] = total;
	v[9] = warn;
	v[10] = in->imported_by;
	v[11] = in->meta.par_area;
	v[12] = in->meta.audience;
	v[13] = in->meta.language;
	snprintf(periods, sizeof(periods), "%d", in->meta.training_periods);
	i64s(dur, sizeof(dur), in->meta.duration_s);
	i64s(mint, sizeof(mint), in->meta.minimum_time_s);
	v[14] = periods;
	v[15] = dur;
	v[16] = mint;
	v[17] = in->org_sequencing_xml;
	v[18] = in->sequencing_collection_xml;
	if (!(r = run(p, ST_VERSION_INSERT, v, &rc, err)))
		goto cleanup;
	cv.id = pgu_i64(r, 0, 0);
	cv.imported_at = pgu_str(a, r, 0, 1);
	snprintf(vid, sizeof(vid), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	for (i = 0; i < in->n_items; i++) {
		const lms_mf_item *it = in->items[i].item;
		char ord[16], parent[16];
		snprintf(ord, sizeof(ord), "%d", in->items[i].ord);
		snprintf(parent, sizeof(parent), "%d", in->items[i].parent_ord);
		v[0] = vid;
		v[1] = ord;
		v[2] = in->items[i].parent_ord >= 0 ? parent : NULL;
		v[3] = it->identifier ? it->identifier : "";
		v[4] = it->title ? it->title : (it->identifier ? it->identifier : "");
		v[5] = it->resource ? it->resource->href : NULL;
		v[6] = it->parameters;
		v[7] = it->resource ? it->resource->scorm_type : NULL;
		v[8] = it->isvisible ? "true" : "false";
		v[9] = it->masteryscore;
		v[10] = it->prerequisites;
		v[11] = it->maxtimeallowed;
		v[12] = it->timelimitaction;
		v[13] = it->data_from_lms ? it->data_from_lms : it->datafromlms;
		v[14] = it->completion_threshold;
		v[15] = it->sequencing_xml;
		v[16] = it->presentation_xml;
		if (!(r = run(p, ST_ITEM_INSERT, v, &rc, err)))
			goto cleanup;
		PQclear(r);
	}
	for (i = 0; i < in->n_files; i++) {
		char size[24];
		i64s(size, sizeof(size), (int64_t)in->files[i].size);
		v[0] = vid;
		v[1] = in->files[i].path;
		v[2] = in->files[i].sha256;
		v[3] = size;
		if (!(r = run(p, ST_FILE_INSERT, v, &rc, err)))
			goto cleanup;
		PQclear(r);
	}
	if ((rc = commit(p, err)) < 0)
		goto cleanup;
	cv.course_code = lms_arena_strdup(a, in->course_code);
	cv.course_title = lms_arena_strdup(a, in->course_title);
	cv.version_no = (int)strtol(vno, NULL, 10);
	cv.kind = lms_arena_strdup(a, in->kind);
	cv.edition = in->edition;
	cv.title = lms_arena_strdup(a, in->title);
	cv.storage_key = lms_arena_strdup(a, in->storage_key);
	cv.file_count = (int)in->n_files;
	cv.total_bytes = (int64_t)in->total_bytes;
	cv.warnings = in->warnings;
	cv.imported_by = lms_arena_strdup(a, in->imported_by);
	*out = cv;
	return LMS_OK;
cleanup:
	rollback(p);
	return rc;
}

static int op_version_list(lms_store *s, const char *course_code, lms_arena *a,
                           lms_course_version **out, size_t *n, lms_err *err)
{
	const char *v[1] = { course_code };
	lms_course_version *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(impl(s), ST_VERSION_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_course_version *c = &list[i];
		c->id = pgu_i64(r, i, 0);
		c->course_code = pgu_str(a, r, i, 1);
		c->course_title = pgu_str(a, r, i, 2);
		c->version_no = (int)pgu_i64(r, i, 3);
		c->kind = pgu_str(a, r, i, 4);
		c->edition = (int)pgu_i64(r, i, 5);
		c->title = pgu_str(a, r, i, 6);
		c->storage_key = pgu_str(a, r, i, 7);
		c->file_count = (int)pgu_i64(r, i, 8);
		c->total_bytes = pgu_i64(r, i, 9);
		c->warnings = (int)pgu_i64(r, i, 10);
		c->imported_by = pgu_str(a, r, i, 11);
		c->imported_at = pgu_str(a, r, i, 12);
		c->launch_href = pgu_str(a, r, i, 13);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

static int op_secret_get(lms_store *s, const char *name, size_t nbytes, unsigned char *out,
                         lms_err *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char fresh[64];
	char hex[129];
	const char *v[2] = { name, hex };
	const char *got;
	PGresult *r;
	size_t i;
	int rc;

	if (nbytes > sizeof(fresh) || RAND_bytes(fresh, (int)nbytes) != 1)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "no random bytes for a secret");
	for (i = 0; i < nbytes; i++) {
		hex[2 * i] = digits[fresh[i] >> 4];
		hex[2 * i + 1] = digits[fresh[i] & 15];
	}
	hex[2 * nbytes] = '\0';
	if (!(r = run(impl(s), ST_SECRET_INSERT, v, &rc, err)))
		return rc;
	PQclear(r);
	if (!(r = run(impl(s), ST_SECRET_GET, v, &rc, err)))
		return rc;
	got = PQntuples(r) ? PQgetvalue(r, 0, 0) : "";
	if (strlen(got) != 2 * nbytes) {
		PQclear(r);
		return lms_err_set(err, LMS_ESTORAGE, NULL, NULL, "secret %s has the wrong length", name);
	}
	for (i = 0; i < nbytes; i++) {
		unsigned hi = (unsigned)(strchr(digits, got[2 * i]) - digits);
		unsigned lo = (unsigned)(strchr(digits, got[2 * i + 1]) - digits);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	PQclear(r);
	OPENSSL_cleanse(fresh, sizeof(fresh));
	OPENSSL_cleanse(hex, sizeof(hex));
	return LMS_OK;
}

static const lms_store_ops pg_ops = {
	.ping = op_ping,
	.unit_create = op_unit_create,
	.unit_add_successor = op_unit_add_successor,
	.unit_find = op_unit_find,
	.unit_list = op_unit_list,
	.unit_within = op_unit_within,
	.person_create = op_person_create,
	.person_list = op_person_list,
	.user_create = op_user_create,
	.user_add_role = op_user_add_role,
	.user_set_password = op_user_set_password,
	.user_set_active = op_user_set_active,
	.user_by_username = op_user_by_username,
	.user_by_id = op_user_by_id,
	.login_begin = op_login_begin,
	.login_end = op_login_end,
	.session_create = op_session_create,
	.session_lookup = op_session_lookup,
	.session_touch = op_session_touch,
	.session_end = op_session_end,
	.purge_expired = op_purge_expired,
	.version_save = op_version_save,
	.version_list = op_version_list,
	.secret_get = op_secret_get,
	.assess = &pga_ops,
	.assign = &pgasg_ops,
	.report_flags = &pgrf_ops,
	.report = &pgrep_ops,
	.qbank = &pgq_ops,
	.survey_create = pgsv_create, .survey_get = pgsv_get, .survey_update = pgsv_update,
	.survey_set_status = pgsv_set_status, .survey_list = pgsv_list,
	.survey_offers = pgsv_offers, .survey_respond = pgsv_respond,
	.survey_results = pgsv_results, .survey_texts = pgsv_texts,
	.roster_begin = pgr_begin, .roster_apply = pgr_apply, .roster_end = pgr_end,
	.roster_delivery_claim = pgr_delivery_claim,
	.xapi_claim = pgx_xapi_claim, .xapi_done = pgx_xapi_done,
	.cert_pending = pgc_pending, .cert_issue = pgc_issue, .cert_get = pgc_get,
	.cert_list = pgc_list, .cert_revoke = pgc_revoke,
	.cert_key_list = pgk_list, .cert_key_get = pgk_get, .cert_key_rotate = pgk_rotate,
	.cert_key_retire = pgk_retire,
	PGX_PLAYER_OPS
};

lms_store *store_pg_new(const char *conninfo)
{
	lms_store *s = calloc(1, sizeof(*s));
	store_pg *p = calloc(1, sizeof(*p));

	if (!s || !p || !(p->conninfo = strdup(conninfo))) {
		free(s);
		free(p);
		return NULL;
	}
	s->ops = &pg_ops;
	s->impl = p;
	return s;
}

void store_pg_free(lms_store *s)
{
	store_pg *p;

	if (!s)
		return;
	p = s->impl;
	drop_conn(p);
	free(p->conninfo);
	free(p);
	free(s);
}

int store_pg_exec_script(lms_store *s, const char *sql, lms_err *err)
{
	return exec_simple(impl(s), sql, err);
}

int store_pg_begin(lms_store *s, lms_err *err)
{
	return begin(impl(s), err);
}

int store_pg_commit(lms_store *s, lms_err *err)
{
	return commit(impl(s), err);
}

void store_pg_rollback(lms_store *s)
{
	rollback(impl(s));
}

PGconn *store_pg_conn(lms_store *s, lms_err *err)
{
	store_pg *p = impl(s);
	return ensure_conn(p, err) < 0 ? NULL : p->conn;
}
