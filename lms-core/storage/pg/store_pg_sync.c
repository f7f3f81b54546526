/* store_pg_sync.c — the personnel sync outbox (store.h, sync_* operations; schemas/sql/0005).
 * Claims use FOR UPDATE SKIP LOCKED and a lease, so several nodes can deliver at once and an
 * event is never sent by two of them at the same time; per-person order is kept by claiming
 * only a person's earliest undelivered event.
 */
#include "pg_util.h"
#include "store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TS(p) "('epoch'::timestamptz + " p "::bigint * interval '1 microsecond')"
/* The caller's reach (the subtrees of the roots in $2, or everything when $1) and the subtree
 * of unit code $3 (everything when NULL), for the reconciliation statements; IN_REACH keeps
 * the outbox rows o inside both (rows with no unit only when both are everything). */
#define REACH_SUB                                                                         \
	"WITH RECURSIVE reach AS (SELECT id FROM org_unit WHERE id = ANY($2::bigint[]) "      \
	" UNION SELECT c.id FROM org_unit c JOIN reach ON c.parent_id = reach.id), "          \
	"sub AS (SELECT id FROM org_unit WHERE code = $3::text "                              \
	" UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id)"
#define IN_REACH                                                                          \
	" AND ($1::boolean OR o.unit_id IN (SELECT id FROM reach)) "                          \
	" AND ($3::text IS NULL OR o.unit_id IN (SELECT id FROM sub))"

enum { S_CLAIM, S_DONE, S_RETRY_DEAD, S_BACKLOG, S_KEY_CREATE, S_KEY_LOOKUP, S_KEY_REVOKE, S_PAGE, S_REPORT, S_RESEND, S_STATUS, S_PROBLEMS, S_TOTALS, S__COUNT };

_Static_assert(PGX_SYNC_SLOT + S__COUNT <= PGX_SLOTS - PGX_SLOT_BASE, "too many sync statements");

static const pgx_stmt stmts[S__COUNT] = {
	[S_CLAIM] = {
		"WITH c AS (SELECT o.seq FROM sync_outbox o WHERE o.state = 'pending' "
		" AND o.next_attempt_at <= " TS("$1") " AND NOT EXISTS (SELECT 1 FROM sync_outbox p "
		"  WHERE p.person_id = o.person_id AND p.seq < o.seq AND p.state IN ('pending', 'dead')) "
		" ORDER BY o.seq LIMIT $3::int FOR UPDATE SKIP LOCKED) "
		"UPDATE sync_outbox o SET attempts = o.attempts + 1, "
		" next_attempt_at = " TS("$1") " + $2::bigint * interval '1 microsecond' "
		"FROM c WHERE o.seq = c.seq RETURNING o.seq, o.event_id, o.payload::text, o.attempts",
		3, 0 },
	[S_DONE] = {
		"UPDATE sync_outbox SET state = $2, last_error = $5, "
		" delivered_at = CASE WHEN $2 = 'delivered' THEN " TS("$3") " ELSE NULL END, "
		" next_attempt_at = CASE WHEN $2 = 'pending' THEN " TS("$4") " ELSE next_attempt_at END "
		"WHERE seq = $1::bigint AND state = 'pending'",
		5, 0 },
	[S_RETRY_DEAD] = {
		"UPDATE sync_outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), "
		" last_error = NULL WHERE state = 'dead' AND ($1::bigint = 0 OR seq >= $1::bigint) "
		" AND ($2::bigint = 0 OR seq <= $2::bigint)",
		2, 0 },
	[S_BACKLOG] = {
		"SELECT count(*), coalesce((extract(epoch from min(occurred_at)) * 1000000)::bigint, 0) "
		"FROM sync_outbox WHERE state IN ('pending', 'dead')",
		0, 1 },
	[S_KEY_CREATE] = {
		"INSERT INTO api_key (name, key_hash, scope_unit_id) SELECT $1, decode($2, 'hex'), "
		" (SELECT id FROM org_unit WHERE code = $3) "
		"WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM org_unit WHERE code = $3) RETURNING id",
		3, 0 },
	[S_KEY_LOOKUP] = {
		"UPDATE api_key SET last_used_at = now() WHERE key_hash = decode($1, 'hex') "
		" AND revoked_at IS NULL RETURNING id, coalesce(scope_unit_id, 0)",
		1, 0 },
	[S_KEY_REVOKE] = {
		"UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE name = $1 RETURNING id",
		1, 0 },
	[S_PAGE] = {
		"WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE id = $1::bigint "
		" UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id) "
		"SELECT o.seq, o.event_id, o.payload::text, 0 FROM sync_outbox o "
		"WHERE o.seq > $2::bigint AND o.state <> 'unroutable' "
		" AND o.occurred_at < now() - $4::bigint * interval '1 microsecond' "
		" AND ($1::bigint = 0 OR o.unit_id IN (SELECT id FROM sub)) "
		"ORDER BY o.seq LIMIT $3::int",
		4, 1 },
	[S_REPORT] = {
		"WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE code = $1 "
		" UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id) "
		"SELECT u.code, u.name, count(*), count(*) FILTER (WHERE o.state = 'delivered'), "
		" count(*) FILTER (WHERE o.state = 'pending'), count(*) FILTER (WHERE o.state = 'dead'), "
		" count(*) FILTER (WHERE o.state = 'unroutable'), "
		" coalesce((extract(epoch from min(o.occurred_at) FILTER (WHERE o.state = 'pending')) "
		"  * 1000000)::bigint, 0) "
		"FROM sync_outbox o LEFT JOIN org_unit u ON u.id = o.unit_id "
		"WHERE o.occurred_at >= " TS("$2") " AND o.occurred_at < " TS("$3") " "
		" AND ($1::text IS NULL OR o.unit_id IN (SELECT id FROM sub)) "
		"GROUP BY u.code, u.name ORDER BY u.name COLLATE \"vi-VN-x-icu\" NULLS LAST",
		3, 1 },
	[S_RESEND] = {
		"UPDATE sync_outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), "
		" last_error = NULL, delivered_at = NULL WHERE state IN ('delivered', 'dead') "
		" AND seq BETWEEN $1::bigint AND $2::bigint",
		2, 0 },
	/* The reconciliation page: $1 all units?, $2 the roots of the caller's reach, $3 a unit
	 * whose subtree to keep (NULL: all), then the period, day or month, the cutoff of
	 * "overdue" and the row limit. Periods are days of UTC+7 (no daylight saving). */
	[S_STATUS] = {
		REACH_SUB ", ev AS (SELECT o.unit_id, o.state, o.occurred_at, "
		" to_char((o.occurred_at AT TIME ZONE 'UTC') + interval '7 hours', "
		"  CASE WHEN $6::boolean THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END) AS period "
		" FROM sync_outbox o WHERE o.occurred_at >= " TS("$4") " AND o.occurred_at < " TS("$5")
		IN_REACH ") "
		"SELECT u.code, u.name, e.period, count(*), count(*) FILTER (WHERE e.state = 'delivered'), "
		" count(*) FILTER (WHERE e.state = 'pending'), count(*) FILTER (WHERE e.state = 'dead'), "
		" count(*) FILTER (WHERE e.state = 'unroutable'), "
		" coalesce((extract(epoch from min(e.occurred_at) FILTER (WHERE e.state = 'pending')) "
		"  * 1000000)::bigint, 0), "
		" count(*) FILTER (WHERE e.state IN ('pending', 'dead') AND e.occurred_at <= " TS("$7") ") "
		"FROM ev e LEFT JOIN org_unit u ON u.id = e.unit_id GROUP BY u.code, u.name, e.period "
		"ORDER BY u.name COLLATE \"vi-VN-x-icu\" NULLS LAST, u.code, e.period LIMIT $8::int",
		8, 1 },
	[S_PROBLEMS] = {
		REACH_SUB ", p AS (SELECT o.seq, o.event_id, o.kind, o.employee_code, o.unit_id, "
		" o.occurred_at, o.state, o.attempts, o.last_error, o.occurred_at <= " TS("$4") " AS late, "
		/* held back by an earlier dead letter of the same person (per-person order) */
		" (o.state = 'pending' AND EXISTS (SELECT 1 FROM sync_outbox d WHERE d.person_id = o.person_id "
		"  AND d.state = 'dead' AND d.seq < o.seq)) AS blocked "
		" FROM sync_outbox o WHERE (o.state = 'dead' OR (o.state = 'pending' AND "
		" o.occurred_at <= " TS("$4") "))" IN_REACH ") "
		"SELECT p.seq, p.event_id, p.kind, p.employee_code, u.code, u.name, "
		" (extract(epoch from p.occurred_at) * 1000000)::bigint, p.state, p.attempts, "
		" left(p.last_error, 300), p.late, count(*) FILTER (WHERE p.state = 'dead') OVER (), "
		" count(*) FILTER (WHERE p.late) OVER (), p.blocked "
		"FROM p LEFT JOIN org_unit u ON u.id = p.unit_id ORDER BY p.seq LIMIT $5::int",
		5, 1 },
	[S_TOTALS] = {
		"SELECT count(*), count(*) FILTER (WHERE state = 'delivered'), "
		" count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'dead'), "
		" count(*) FILTER (WHERE state = 'unroutable'), "
		" coalesce((extract(epoch from min(occurred_at) FILTER (WHERE state = 'pending')) "
		"  * 1000000)::bigint, 0), "
		" count(*) FILTER (WHERE state IN ('pending', 'dead') AND occurred_at <= " TS("$1") ") "
		"FROM sync_outbox",
		1, 1 },
};

static PGresult *run(lms_store *s, int id, const char *const *vals, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_SYNC_SLOT + id, &stmts[id], vals, rc, err);
}

int pgs_claim(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
              lms_sync_event **out, size_t *n, lms_err *err)
{
	const char *v[3] = { pgu_num(a, now_us), pgu_num(a, lease_us), pgu_num(a, max) };
	lms_sync_event *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, S_CLAIM, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		list[i].seq = pgu_i64(r, i, 0);
		list[i].event_id = pgu_str(a, r, i, 1);
		list[i].payload = pgu_str(a, r, i, 2);
		list[i].attempts = (int)pgu_i64(r, i, 3);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgs_done(lms_store *s, int64_t seq, const char *state, int64_t at_us, int64_t next_us,
             const char *error, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[5] = { pgu_num(a, seq), state, pgu_num(a, at_us), pgu_num(a, next_us), error };
	PGresult *r;
	int rc;

	if ((r = run(s, S_DONE, v, &rc, err))) {
		PQclear(r);
		rc = LMS_OK;
	}
	lms_arena_free(a);
	return rc;
}

/* Runs a two-parameter (from, to) update; *n gets the rows it changed. */
static int update_range(lms_store *s, int id, int64_t from, int64_t to, int64_t *n, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[2] = { pgu_num(a, from), pgu_num(a, to) };
	PGresult *r;
	int rc;

	if ((r = run(s, id, v, &rc, err))) {
		*n = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		rc = LMS_OK;
	}
	lms_arena_free(a);
	return rc;
}

int pgs_retry_dead(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err)
{
	return update_range(s, S_RETRY_DEAD, from, to, n, err);
}

int pgs_backlog(lms_store *s, int64_t *n, int64_t *oldest_us, lms_err *err)
{
	PGresult *r;
	int rc;

	if (!(r = run(s, S_BACKLOG, NULL, &rc, err)))
		return rc;
	*n = pgu_i64(r, 0, 0);
	*oldest_us = pgu_i64(r, 0, 1);
	PQclear(r);
	return LMS_OK;
}

int pgs_apikey_create(lms_store *s, const char *name, const char *scope_unit_code,
                      const unsigned char hash[32], lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[3] = { name, pgu_hex32(a, hash), scope_unit_code };
	PGresult *r;
	int rc;

	if ((r = run(s, S_KEY_CREATE, v, &rc, err))) {
		rc = PQntuples(r) ? LMS_OK
		                  : lms_err_set(err, LMS_ENOTFOUND, "not_found", "scope",
		                                "no unit with code %s", scope_unit_code);
		PQclear(r);
	} else if (rc == LMS_ECONFLICT) {
		lms_err_set(err, LMS_ECONFLICT, "conflict", "name", "a key named %s exists already", name);
	}
	lms_arena_free(a);
	return rc;
}

int pgs_apikey_lookup(lms_store *s, const unsigned char hash[32], int64_t *key_id,
                      int64_t *scope_unit_id, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[1] = { pgu_hex32(a, hash) };
	PGresult *r;
	int rc;

	if ((r = run(s, S_KEY_LOOKUP, v, &rc, err))) {
		if (PQntuples(r)) {
			*key_id = pgu_i64(r, 0, 0);
			*scope_unit_id = pgu_i64(r, 0, 1);
			rc = LMS_OK;
		} else {
			rc = lms_err_set(err, LMS_ENOTFOUND, "unauthenticated", NULL, "unknown or revoked key");
		}
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

int pgs_apikey_revoke(lms_store *s, const char *name, lms_err *err)
{
	const char *v[1] = { name };
	PGresult *r;
	int rc;

	if (!(r = run(s, S_KEY_REVOKE, v, &rc, err)))
		return rc;
	rc = PQntuples(r) ? LMS_OK
	                  : lms_err_set(err, LMS_ENOTFOUND, "not_found", "name", "no key named %s", name);
	PQclear(r);
	return rc;
}

int pgs_records_page(lms_store *s, int64_t scope_unit_id, int64_t after, int limit,
                     int64_t settle_us, lms_arena *a, lms_sync_event **out, size_t *n,
                     lms_err *err)
{
	const char *v[4] = { pgu_num(a, scope_unit_id), pgu_num(a, after), pgu_num(a, limit), pgu_num(a, settle_us) };
	lms_sync_event *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, S_PAGE, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		list[i].seq = pgu_i64(r, i, 0);
		list[i].event_id = pgu_str(a, r, i, 1);
		list[i].payload = pgu_str(a, r, i, 2);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgs_report(lms_store *s, const char *unit_code, int64_t from_us, int64_t to_us,
               lms_arena *a, lms_sync_report_row **out, size_t *n, lms_err *err)
{
	const char *v[3] = { unit_code, pgu_num(a, from_us), pgu_num(a, to_us) };
	lms_sync_report_row *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, S_REPORT, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		list[i].unit_code = pgu_str(a, r, i, 0);
		list[i].unit_name = pgu_str(a, r, i, 1);
		list[i].produced = pgu_i64(r, i, 2);
		list[i].delivered = pgu_i64(r, i, 3);
		list[i].pending = pgu_i64(r, i, 4);
		list[i].dead = pgu_i64(r, i, 5);
		list[i].unroutable = pgu_i64(r, i, 6);
		list[i].oldest_pending_us = pgu_i64(r, i, 7);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgs_resend(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err)
{
	return update_range(s, S_RESEND, from, to, n, err);
}

/* The scope's roots as a PostgreSQL array literal of integers (no input text in it). */
int pgs_status(lms_store *s, const lms_scope *scope, const char *unit_code, int64_t from_us,
               int64_t to_us, bool by_month, int64_t cutoff_us, int limit, lms_arena *a,
               lms_sync_status_row **out, size_t *n, lms_err *err)
{
	const char *v[8] = { scope->all ? "true" : "false", pgu_scope_roots(a, scope), unit_code,
	                     pgu_num(a, from_us), pgu_num(a, to_us), by_month ? "true" : "false",
	                     pgu_num(a, cutoff_us), pgu_num(a, limit) };
	lms_sync_status_row *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, S_STATUS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		list[i].unit_code = pgu_str(a, r, i, 0);
		list[i].unit_name = pgu_str(a, r, i, 1);
		list[i].period = pgu_str(a, r, i, 2);
		list[i].produced = pgu_i64(r, i, 3);
		list[i].delivered = pgu_i64(r, i, 4);
		list[i].pending = pgu_i64(r, i, 5);
		list[i].dead = pgu_i64(r, i, 6);
		list[i].unroutable = pgu_i64(r, i, 7);
		list[i].oldest_pending_us = pgu_i64(r, i, 8);
		list[i].overdue = pgu_i64(r, i, 9);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgs_problems(lms_store *s, const lms_scope *scope, const char *unit_code, int64_t cutoff_us,
                 int limit, lms_arena *a, lms_sync_problem **out, size_t *n, int64_t *dead_total,
                 int64_t *overdue_total, lms_err *err)
{
	const char *v[5] = { scope->all ? "true" : "false", pgu_scope_roots(a, scope), unit_code,
	                     pgu_num(a, cutoff_us), pgu_num(a, limit) };
	lms_sync_problem *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, S_PROBLEMS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		list[i].seq = pgu_i64(r, i, 0);
		list[i].event_id = pgu_str(a, r, i, 1);
		list[i].kind = pgu_str(a, r, i, 2);
		list[i].employee_code = pgu_str(a, r, i, 3);
		list[i].unit_code = pgu_str(a, r, i, 4);
		list[i].unit_name = pgu_str(a, r, i, 5);
		list[i].occurred_us = pgu_i64(r, i, 6);
		list[i].state = pgu_str(a, r, i, 7);
		list[i].attempts = (int)pgu_i64(r, i, 8);
		list[i].last_error = pgu_str(a, r, i, 9);
		list[i].overdue = pgu_bool(r, i, 10);
		list[i].blocked = pgu_bool(r, i, 13);
	}
	*dead_total = rows ? pgu_i64(r, 0, 11) : 0;
	*overdue_total = rows ? pgu_i64(r, 0, 12) : 0;
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgs_totals(lms_store *s, int64_t cutoff_us, lms_sync_report_row *out, int64_t *overdue,
               lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[1] = { pgu_num(a, cutoff_us) };
	PGresult *r;
	int rc;

	if ((r = run(s, S_TOTALS, v, &rc, err))) {
		memset(out, 0, sizeof(*out));
		out->produced = pgu_i64(r, 0, 0);
		out->delivered = pgu_i64(r, 0, 1);
		out->pending = pgu_i64(r, 0, 2);
		out->dead = pgu_i64(r, 0, 3);
		out->unroutable = pgu_i64(r, 0, 4);
		out->oldest_pending_us = pgu_i64(r, 0, 5);
		*overdue = pgu_i64(r, 0, 6);
		PQclear(r);
		rc = LMS_OK;
	}
	lms_arena_free(a);
	return rc;
}
