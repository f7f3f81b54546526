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

enum { S_CLAIM, S_DONE, S_RETRY_DEAD, S_BACKLOG, S__COUNT };

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
};

static PGresult *run(lms_store *s, int id, const char *const *vals, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_SYNC_SLOT + id, &stmts[id], vals, rc, err);
}

static const char *num(lms_arena *a, int64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	return lms_arena_strdup(a, b);
}

int pgs_claim(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
              lms_sync_event **out, size_t *n, lms_err *err)
{
	const char *v[3] = { num(a, now_us), num(a, lease_us), num(a, max) };
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
	const char *v[5] = { num(a, seq), state, num(a, at_us), num(a, next_us), error };
	PGresult *r;
	int rc;

	if ((r = run(s, S_DONE, v, &rc, err))) {
		PQclear(r);
		rc = LMS_OK;
	}
	lms_arena_free(a);
	return rc;
}

int pgs_retry_dead(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[2] = { num(a, from), num(a, to) };
	PGresult *r;
	int rc;

	if ((r = run(s, S_RETRY_DEAD, v, &rc, err))) {
		*n = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
		rc = LMS_OK;
	}
	lms_arena_free(a);
	return rc;
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
