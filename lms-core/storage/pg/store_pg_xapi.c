/* store_pg_xapi.c — the xAPI delivery state of the outbox's events (0008_xapi.sql): claiming
 * due events with a lease (FOR UPDATE SKIP LOCKED, so several workers never send one event
 * at once) and recording each attempt's outcome. Unlike the push, xAPI statements carry
 * their own timestamps, so events are sent in seq order without holding a person's later
 * events back. */
#include "store_pg_int.h"

#include "pg_util.h"

#include <string.h>

#define TSP(p) "to_timestamp(" p "::bigint / 1000000.0)"

enum { X_CLAIM, X_DONE, X__COUNT };
_Static_assert(PGX_XAPI_SLOT + X__COUNT <= PGX_CERT_SLOT, "too many xAPI statements");

static const pgx_stmt stmts[X__COUNT] = {
	[X_CLAIM] = { "UPDATE sync_outbox o SET xapi_lease_until = " TSP("$1") " + $2::bigint * "
	              "interval '1 microsecond', xapi_attempts = o.xapi_attempts + 1 "
	              "WHERE o.seq IN (SELECT seq FROM sync_outbox WHERE xapi_state = 'pending' "
	              "AND state <> 'unroutable' AND employee_code IS NOT NULL "
	              "AND xapi_next_at <= " TSP("$1") " "
	              "AND (xapi_lease_until IS NULL OR xapi_lease_until <= " TSP("$1") ") "
	              "ORDER BY seq LIMIT $3::int FOR UPDATE SKIP LOCKED) "
	              "RETURNING o.seq, o.event_id, o.payload::text, o.xapi_attempts", 3, 0 },
	[X_DONE] = { "UPDATE sync_outbox SET xapi_state = $2, xapi_lease_until = NULL, "
	             "xapi_last_error = $3, xapi_next_at = CASE WHEN $4::bigint > 0 THEN " TSP("$4")
	             " ELSE xapi_next_at END, xapi_delivered_at = CASE WHEN $2 = 'delivered' THEN "
	             "now() ELSE xapi_delivered_at END WHERE seq = $1::bigint", 4, 0 },
};

int pgx_xapi_claim(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
                   lms_sync_event **out, size_t *n, lms_err *err)
{
	const char *v[3] = { pgu_num(a, now_us), pgu_num(a, lease_us), pgu_num(a, max) };
	lms_sync_event *ev;
	PGresult *r;
	int rc, i, rows;

	if (!(r = pgx_run(s, PGX_XAPI_SLOT + X_CLAIM, &stmts[X_CLAIM], v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	ev = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*ev));
	for (i = 0; i < rows; i++) {
		ev[i].seq = pgu_i64(r, i, 0);
		ev[i].event_id = pgu_str(a, r, i, 1);
		ev[i].payload = pgu_str(a, r, i, 2);
		ev[i].attempts = (int)pgu_i64(r, i, 3);
	}
	PQclear(r);
	*out = ev;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgx_xapi_done(lms_store *s, int64_t seq, const char *state, int64_t next_us,
                  const char *error, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[4];
	PGresult *r;
	int rc = LMS_OK;

	v[0] = pgu_num(a, seq);
	v[1] = state;
	v[2] = error;
	v[3] = pgu_num(a, next_us);
	if ((r = pgx_run(s, PGX_XAPI_SLOT + X_DONE, &stmts[X_DONE], v, &rc, err)))
		PQclear(r);
	lms_arena_free(a);
	return r ? LMS_OK : rc;
}
