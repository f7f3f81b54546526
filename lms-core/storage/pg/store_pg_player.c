/* store_pg_player.c — the player's storage (store.h, player section) over libpq.
 *
 * Same invariants as store_pg.c: named statements run prepared with bound parameters only.
 * A commit is one statement (state, launch, log row) guarded by the attempt's revision, so
 * two tabs or a retry can never interleave half-writes; a heartbeat is one statement guarded
 * by the learner's clock. The run-time state is a jsonb object element -> value, written as
 * JSON text built by lms_jsonw and read back as rows by jsonb_each_text.
 */
#include "store_pg.h"
#include "store_pg_int.h"
#include "pg_util.h"

#include "lms/jsonw.h"
#include "lms/player.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TS(p) "('epoch'::timestamptz + " p "::bigint * interval '1 microsecond')"
#define US(c) "(extract(epoch from " c ") * 1000000)::bigint"
/* An item's launch href with its parameters joined as SCORM CP says. */
#define HREF(i)                                                                            \
	"CASE WHEN " i ".href IS NULL THEN NULL ELSE " i ".href || CASE WHEN " i               \
	".parameters IS NULL OR " i ".parameters = '' THEN '' WHEN position('?' in " i         \
	".href) > 0 AND left(" i ".parameters, 1) = '?' THEN '&' || substr(" i                 \
	".parameters, 2) ELSE " i ".parameters END END"
/* The result of an item: its latest completed attempt, else its latest. */
#define BEST_ORDER "ORDER BY a.item_ord, (a.completion_status = 'completed') DESC, a.attempt_no DESC"

enum {
	P_CATALOGUE,
	P_ENROL,
	P_ENROL_ASSIGN,
	P_ENROL_LIST,
	P_ITEM_LIST,
	P_ITEM_STATUS,
	P_ATTEMPT_LATEST,
	P_ATTEMPT_INSERT,
	P_ATTEMPT_RESET,
	P_LAUNCH_INSERT,
	P_ENROL_START,
	P_CLOCK_ENSURE,
	P_LAUNCH_LOAD,
	P_RT_WRITE,
	P_BEAT_WRITE,
	P_COMPLETION,
	P_TIME_SESSIONS,
	P_TIME_BEATS,
	P_LAUNCH_EXPIRE,
	P_SEQ_SAVE,
	P__COUNT
};

_Static_assert(P__COUNT <= PGX_SYNC_SLOT, "too many player statements for their slots");

static const pgx_stmt stmts[P__COUNT] = {
	[P_CATALOGUE] = {
		"SELECT c.code, c.title, v.kind, v.version_no, v.par_area, v.audience, "
		"v.training_periods, v.expected_duration_s, v.minimum_time_s, "
		"EXISTS (SELECT 1 FROM enrolment e WHERE e.user_id = $1::bigint AND e.course_id = c.id) "
		"FROM course c JOIN LATERAL (SELECT * FROM course_version x WHERE x.course_id = c.id "
		"ORDER BY x.version_no DESC LIMIT 1) v ON true "
		"ORDER BY c.title COLLATE \"vi-VN-x-icu\", c.code", 1, 1 },
	[P_ENROL] = {
		"WITH v AS (SELECT x.id, x.course_id FROM course_version x JOIN course c ON c.id = x.course_id "
		"WHERE c.code = $2 ORDER BY x.version_no DESC LIMIT 1) "
		"INSERT INTO enrolment (user_id, course_id, version_id, source, assigned_by, due_at, enrolled_at) "
		"SELECT $1::bigint, v.course_id, v.id, $3, $4, $5::date, " TS("$6") " FROM v "
		"ON CONFLICT (user_id, course_id) DO NOTHING RETURNING id", 6, 0 },
	[P_ENROL_ASSIGN] = {
		"UPDATE enrolment e SET source = 'assigned', assigned_by = $3, due_at = $4::date "
		"FROM course c WHERE c.id = e.course_id AND e.user_id = $1::bigint AND c.code = $2", 4, 0 },
	[P_ENROL_LIST] = {
		"SELECT e.id, e.user_id, e.course_id, e.version_id, c.code, c.title, v.kind, v.version_no, "
		"e.source, to_char(e.due_at, 'YYYY-MM-DD'), " US("e.enrolled_at") ", "
		"coalesce(" US("e.started_at") ", 0), coalesce(" US("e.completed_at") ", 0), "
		"(SELECT count(*) FROM course_item i WHERE i.version_id = e.version_id AND i.href IS NOT NULL), "
		"(SELECT count(DISTINCT a.item_ord) FROM sco_attempt a WHERE a.enrolment_id = e.id "
		" AND a.completion_status = 'completed'), "
		"coalesce(cp.score_scaled, (SELECT avg(b.score_scaled) FROM (SELECT DISTINCT ON (a.item_ord) "
		" a.score_scaled FROM sco_attempt a WHERE a.enrolment_id = e.id " BEST_ORDER ") b)), "
		"cp.passed, "
		"(SELECT coalesce(sum(l.active_us), 0) FROM launch l JOIN sco_attempt a ON a.id = l.attempt_id "
		" WHERE a.enrolment_id = e.id), "
		"v.minimum_time_s, v.storage_key, e.seq_state, e.rev, v.org_sequencing_xml, "
		"v.sequencing_collection_xml "
		"FROM enrolment e JOIN course c ON c.id = e.course_id "
		"JOIN course_version v ON v.id = e.version_id "
		"LEFT JOIN completion cp ON cp.enrolment_id = e.id "
		"WHERE e.user_id = $1::bigint AND ($2::text IS NULL OR c.code = $2) "
		"ORDER BY (e.completed_at IS NOT NULL), e.due_at NULLS LAST, "
		"c.title COLLATE \"vi-VN-x-icu\", c.code", 2, 1 },
	[P_ITEM_LIST] = {
		"SELECT i.ord, coalesce(i.parent_ord, -1), i.identifier, i.title, " HREF("i") ", "
		"i.is_visible, i.mastery_score, i.prerequisites, i.max_time_allowed, i.time_limit_action, "
		"i.data_from_lms, i.completion_threshold, i.sequencing_xml, i.scorm_type = 'asset' "
		"FROM course_item i WHERE i.version_id = $1::bigint ORDER BY i.ord", 1, 1 },
	[P_ITEM_STATUS] = {
		"SELECT DISTINCT ON (a.item_ord) a.item_ord, "
		"(SELECT count(*) FROM sco_attempt b WHERE b.enrolment_id = a.enrolment_id AND b.item_ord = a.item_ord), "
		"a.completion_status, a.success_status, a.score_scaled, "
		"(SELECT coalesce(sum(l.active_us), 0) FROM launch l JOIN sco_attempt b ON b.id = l.attempt_id "
		" WHERE b.enrolment_id = a.enrolment_id AND b.item_ord = a.item_ord), "
		"(SELECT b.ended_at IS NULL FROM sco_attempt b WHERE b.enrolment_id = a.enrolment_id "
		" AND b.item_ord = a.item_ord ORDER BY b.attempt_no DESC LIMIT 1), "
		"(SELECT " US("max(b.updated_at)") " FROM sco_attempt b WHERE b.enrolment_id = a.enrolment_id "
		" AND b.item_ord = a.item_ord) "
		"FROM sco_attempt a WHERE a.enrolment_id = $1::bigint " BEST_ORDER, 1, 1 },
	[P_ATTEMPT_LATEST] = {
		"SELECT a.id, a.attempt_no, a.ended_at IS NOT NULL, a.rev, s.key, s.value "
		"FROM (SELECT * FROM sco_attempt WHERE enrolment_id = $1::bigint AND item_ord = $2::int "
		"ORDER BY attempt_no DESC LIMIT 1) a LEFT JOIN LATERAL jsonb_each_text(a.state) s ON true", 2, 1 },
	[P_ATTEMPT_INSERT] = {
		"INSERT INTO sco_attempt (enrolment_id, item_ord, attempt_no, state, started_at, updated_at) "
		"VALUES ($1::bigint, $2::int, $3::int, $4::jsonb, " TS("$5") ", " TS("$5") ") RETURNING id", 5, 0 },
	[P_ATTEMPT_RESET] = {
		"UPDATE sco_attempt SET state = $3::jsonb, rev = rev + 1, updated_at = " TS("$4") " "
		"WHERE id = $1::bigint AND rev = $2::bigint RETURNING id", 4, 0 },
	[P_LAUNCH_INSERT] = {
		"INSERT INTO launch (token_hash, attempt_id, user_id, web_session_id, opened_at, last_seen_at) "
		"VALUES (decode($1, 'hex'), $2::bigint, $3::bigint, $4::bigint, " TS("$5") ", " TS("$5") ") "
		"RETURNING id", 5, 0 },
	[P_ENROL_START] = {
		"UPDATE enrolment SET started_at = coalesce(started_at, " TS("$2") ") WHERE id = $1::bigint", 2, 1 },
	[P_CLOCK_ENSURE] = {
		"INSERT INTO learner_clock (user_id, counted_until) VALUES ($1::bigint, 'epoch') "
		"ON CONFLICT DO NOTHING", 1, 1 },
	[P_LAUNCH_LOAD] = {
		"SELECT l.id, l.attempt_id, a.enrolment_id, l.user_id, e.version_id, e.course_id, a.item_ord, "
		"a.attempt_no, l.last_seq, l.closed_at IS NOT NULL, a.rev, v.kind, v.storage_key, "
		"i.identifier, i.title, " HREF("i") ", i.is_visible, i.mastery_score, i.prerequisites, "
		"i.max_time_allowed, i.time_limit_action, i.data_from_lms, i.completion_threshold, "
		"u.username, coalesce(p.full_name, u.display_name), " US("l.opened_at") ", "
		US("l.last_seen_at") ", v.minimum_time_s, coalesce(" US("l.last_beat_at") ", 0), "
		"coalesce(" US("l.last_input_at") ", 0), l.hidden_used_us, l.active_us, l.beats, "
		"coalesce(" US("k.counted_until") ", 0), "
		"st.ks, st.vs "
		"FROM launch l JOIN sco_attempt a ON a.id = l.attempt_id "
		"LEFT JOIN learner_clock k ON k.user_id = l.user_id "
		"JOIN enrolment e ON e.id = a.enrolment_id JOIN course_version v ON v.id = e.version_id "
		"JOIN course_item i ON i.version_id = v.id AND i.ord = a.item_ord "
		"JOIN app_user u ON u.id = l.user_id LEFT JOIN person p ON p.id = u.person_id "
		/* one pass over the state: keys and values in the same order */
		"CROSS JOIN LATERAL (SELECT array_agg(s.key) AS ks, array_agg(s.value) AS vs "
		" FROM jsonb_each_text(a.state) s) st "
		"WHERE l.token_hash = decode($1, 'hex')", 1, 1 },
	[P_RT_WRITE] = {
		"WITH a AS (UPDATE sco_attempt SET state = $3::jsonb, rev = rev + 1, updated_at = " TS("$4") ", "
		" completion_status = $5, success_status = $6, score_scaled = $7::float8, "
		" total_time_cs = $8::bigint, ended_at = CASE WHEN $9::boolean THEN " TS("$4") " ELSE ended_at END "
		" WHERE id = $1::bigint AND rev = $2::bigint AND EXISTS (SELECT 1 FROM launch x "
		"  WHERE x.id = $10::bigint AND x.last_seq = $11::int) RETURNING id), "
		"l AS (UPDATE launch SET last_seq = $12::int, last_seen_at = " TS("$4") ", "
		" closed_at = CASE WHEN $13::boolean THEN coalesce(closed_at, " TS("$4") ") ELSE closed_at END, "
		" closed_reason = CASE WHEN $13::boolean THEN coalesce(closed_reason, 'finish') ELSE closed_reason END, "
		" reported_cs = CASE WHEN $13::boolean THEN $14::bigint ELSE reported_cs END, "
		" flagged = flagged OR $15::boolean "
		" WHERE id = $10::bigint AND last_seq = $11::int AND EXISTS (SELECT 1 FROM a) RETURNING id) "
		"INSERT INTO runtime_log (launch_id, attempt_id, seq_from, seq_to, at, changes, refused, finish) "
		"SELECT $10::bigint, $1::bigint, $18::int, $12::int, " TS("$4") ", $16::json, $17::int, $13::boolean "
		"FROM l RETURNING id", 18, 0 },
	[P_BEAT_WRITE] = {
		"WITH c AS (UPDATE learner_clock SET counted_until = " TS("$4") " "
		" WHERE user_id = $2::bigint AND " US("counted_until") " = $3::bigint RETURNING 1), "
		"l AS (UPDATE launch SET beats = $13::int, last_beat_at = " TS("$5") ", last_seen_at = " TS("$5") ", "
		" last_input_at = CASE WHEN $11::bigint = 0 THEN NULL ELSE " TS("$11") " END, "
		" hidden_used_us = $12::bigint, active_us = active_us + $9::bigint "
		" WHERE id = $1::bigint AND beats = $13::int - 1 AND EXISTS (SELECT 1 FROM c) RETURNING 1) "
		"INSERT INTO launch_beat (launch_id, n, at, visible, idle_ms, hidden_ms, credited_us, reason) "
		"SELECT $1::bigint, $13::int, " TS("$5") ", $6::boolean, $7::bigint, $8::bigint, $9::bigint, $10 "
		"FROM l RETURNING 1", 13, 0 },
	[P_COMPLETION] = {
		"WITH c AS (INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, "
		" passed, score_scaled, active_s, reported_s, evidence) VALUES ($1::bigint, $2::bigint, $3::bigint, "
		" $4::bigint, " TS("$5") ", $6::boolean, $7::float8, $8::bigint, $9::bigint, $10) "
		" ON CONFLICT (enrolment_id) DO NOTHING RETURNING id, enrolment_id, user_id, course_id, "
		" version_id, completed_at, passed, score_scaled, active_s, reported_s), "
		"e AS (UPDATE enrolment e SET completed_at = c.completed_at FROM c WHERE e.id = c.enrolment_id "
		" RETURNING e.id), "
		/* the personnel system's event, in the same statement as the fact (0005) */
		"o AS (INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, occurred_at, "
		" payload, state) SELECT 'cmp_' || c.id, 'course_completion', p.id, p.employee_code, p.unit_id, "
		" c.completed_at, json_build_object('version', 1, 'event_id', 'cmp_' || c.id, "
		" 'kind', 'course_completion', 'occurred_at', c.completed_at, "
		" 'employee_code', p.employee_code, 'unit_code', ou.code, 'course_code', co.code, "
		" 'course_version', v.version_no, 'title', co.title, 'completed_at', c.completed_at, "
		" 'passed', c.passed, 'score', c.score_scaled, 'active_time_s', c.active_s, "
		" 'reported_time_s', c.reported_s, 'training_periods', v.training_periods, "
		" 'certificate_serial', NULL, 'evidence_url', NULL), "
		" CASE WHEN p.id IS NULL THEN 'unroutable' ELSE 'pending' END "
		" FROM c JOIN app_user u ON u.id = c.user_id LEFT JOIN person p ON p.id = u.person_id "
		" LEFT JOIN org_unit ou ON ou.id = p.unit_id "
		" JOIN course co ON co.id = c.course_id JOIN course_version v ON v.id = c.version_id "
		" RETURNING seq) "
		"SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM o)", 10, 0 },
	[P_TIME_SESSIONS] = {
		"SELECT l.id, i.identifier, i.title, a.attempt_no, " US("l.opened_at") ", "
		"coalesce(" US("l.closed_at") ", 0), " US("l.last_seen_at") ", l.closed_reason, l.active_us, "
		"coalesce(l.reported_cs, -1), l.beats, l.flagged "
		"FROM launch l JOIN sco_attempt a ON a.id = l.attempt_id JOIN enrolment e ON e.id = a.enrolment_id "
		"JOIN course c ON c.id = e.course_id "
		"JOIN course_item i ON i.version_id = e.version_id AND i.ord = a.item_ord "
		"WHERE l.user_id = $1::bigint AND c.code = $2 ORDER BY l.opened_at, l.id", 2, 1 },
	[P_TIME_BEATS] = {
		"SELECT b.launch_id, b.n, " US("b.at") ", b.visible, b.idle_ms, b.hidden_ms, b.credited_us, b.reason "
		"FROM launch_beat b JOIN launch l ON l.id = b.launch_id JOIN sco_attempt a ON a.id = l.attempt_id "
		"JOIN enrolment e ON e.id = a.enrolment_id JOIN course c ON c.id = e.course_id "
		"WHERE l.user_id = $1::bigint AND c.code = $2 ORDER BY b.launch_id, b.n", 2, 1 },
	[P_SEQ_SAVE] = {
		"UPDATE enrolment SET seq_state = $3, rev = rev + 1 WHERE id = $1::bigint AND rev = $2::bigint "
		"RETURNING id", 3, 0 },
	[P_LAUNCH_EXPIRE] = {
		"UPDATE launch SET closed_at = last_seen_at, closed_reason = 'timeout' "
		"WHERE closed_at IS NULL AND last_seen_at < " TS("$1"), 1, 1 },
};

/* ---- helpers --------------------------------------------------------------------- */

static PGresult *run(lms_store *s, int id, const char *const *vals, int *rc, lms_err *err)
{
	return pgx_run(s, id, &stmts[id], vals, rc, err);
}


/* The state as a JSON object. */
static const char *state_json(lms_arena *a, const lms_rt_state *st)
{
	lms_jsonw w;
	size_t i;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "{");
	for (i = 0; st && i < st->n; i++) {
		if (i)
			lms_jsonw_raw(&w, ",");
		lms_jsonw_str(&w, st->pairs[i].element);
		lms_jsonw_raw(&w, ":");
		lms_jsonw_str(&w, st->pairs[i].value);
	}
	lms_jsonw_raw(&w, "}");
	return lms_jsonw_text(&w);
}

/* Reads (key, value) pairs from columns kc, kc+1 of every row (NULL key: no pair). */
static lms_rt_pair *read_pairs(lms_arena *a, const PGresult *r, int kc, size_t *n)
{
	int rows = PQntuples(r), i;
	lms_rt_pair *p = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*p));
	size_t k = 0;

	for (i = 0; i < rows; i++) {
		if (PQgetisnull(r, i, kc))
			continue;
		p[k].element = pgu_str(a, r, i, kc);
		p[k].value = PQgetisnull(r, i, kc + 1) ? "" : pgu_str(a, r, i, kc + 1);
		k++;
	}
	*n = k;
	return p;
}

/* Parses a one-dimensional text[] in PostgreSQL's output format ("{a,\"b c\",NULL}":
 * elements double-quoted when empty or holding braces, commas, quotes, backslashes or
 * spaces, with \" and \\ escaped inside; an unquoted NULL is a null). libpq has no array
 * parser and this is the whole format for text[]. Strings go into a. */
static int parse_text_array(lms_arena *a, const char *s, const char ***out, size_t *n)
{
	size_t cap = 1, k = 0;
	const char **v;
	const char *p;

	if (*s++ != '{')
		return -1;
	for (p = s; *p; p++)
		cap += *p == ',';
	v = lms_arena_alloc(a, cap * sizeof(*v));
	if (*s == '}')
		goto done;
	for (;;) {
		char *e;
		size_t len = 0;
		if (k == cap)
			return -1;
		if (*s == '"') {
			const char *q;
			for (q = ++s; *q && *q != '"'; q++)
				if (*q == '\\' && q[1])
					q++;
			if (*q != '"')
				return -1;
			e = lms_arena_alloc(a, (size_t)(q - s) + 1);
			for (; s < q; s++) {
				if (*s == '\\')
					s++;
				e[len++] = *s;
			}
			e[len] = '\0';
			s = q + 1;
			v[k++] = e;
		} else {
			const char *q = s;
			while (*q && *q != ',' && *q != '}')
				q++;
			v[k++] = (q - s == 4 && strncmp(s, "NULL", 4) == 0)
			                 ? NULL
			                 : lms_arena_strndup(a, s, (size_t)(q - s));
			s = q;
		}
		if (*s == '}')
			break;
		if (*s++ != ',')
			return -1;
	}
done:
	*out = v;
	*n = k;
	return 0;
}

/* State pairs from two text[] columns (keys at kc, values at kc + 1; NULL: no state). */
static int array_pairs(lms_arena *a, const PGresult *r, int kc, const lms_rt_pair **out,
                       size_t *n)
{
	const char **keys, **vals;
	size_t nk, nv, i;
	lms_rt_pair *p;

	*out = NULL;
	*n = 0;
	if (PQgetisnull(r, 0, kc))
		return 0;
	if (parse_text_array(a, PQgetvalue(r, 0, kc), &keys, &nk) < 0 ||
	    parse_text_array(a, PQgetvalue(r, 0, kc + 1), &vals, &nv) < 0 || nk != nv)
		return -1;
	p = lms_arena_alloc(a, (nk + 1) * sizeof(*p));
	for (i = 0; i < nk; i++) {
		if (!keys[i])
			return -1;
		p[i].element = keys[i];
		p[i].value = vals[i] ? vals[i] : "";
	}
	*out = p;
	*n = nk;
	return 0;
}

/* ---- operations ------------------------------------------------------------------ */

int pgp_catalogue(lms_store *s, int64_t user_id, lms_arena *a, lms_catalogue_entry **out,
                  size_t *n, lms_err *err)
{
	const char *v[1] = { pgu_num(a, user_id) };
	lms_catalogue_entry *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, P_CATALOGUE, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_catalogue_entry *c = &list[i];
		c->code = pgu_str(a, r, i, 0);
		c->title = pgu_str(a, r, i, 1);
		c->kind = pgu_str(a, r, i, 2);
		c->version_no = (int)pgu_i64(r, i, 3);
		c->par_area = pgu_str(a, r, i, 4);
		c->audience = pgu_str(a, r, i, 5);
		c->training_periods = (int)pgu_i64(r, i, 6);
		c->expected_duration_s = pgu_i64(r, i, 7);
		c->minimum_time_s = pgu_i64(r, i, 8);
		c->enrolled = pgu_bool(r, i, 9);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgp_enrolment_list(lms_store *s, int64_t user_id, const char *course_code, lms_arena *a,
                       lms_enrolment **out, size_t *n, lms_err *err)
{
	const char *v[2] = { pgu_num(a, user_id), course_code };
	lms_enrolment *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, P_ENROL_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_enrolment *e = &list[i];
		e->id = pgu_i64(r, i, 0);
		e->user_id = pgu_i64(r, i, 1);
		e->course_id = pgu_i64(r, i, 2);
		e->version_id = pgu_i64(r, i, 3);
		e->course_code = pgu_str(a, r, i, 4);
		e->course_title = pgu_str(a, r, i, 5);
		e->kind = pgu_str(a, r, i, 6);
		e->version_no = (int)pgu_i64(r, i, 7);
		e->source = pgu_str(a, r, i, 8);
		e->due_at = pgu_str(a, r, i, 9);
		e->enrolled_us = pgu_i64(r, i, 10);
		e->started_us = pgu_i64(r, i, 11);
		e->completed_us = pgu_i64(r, i, 12);
		e->scos_total = (int)pgu_i64(r, i, 13);
		e->scos_done = (int)pgu_i64(r, i, 14);
		e->has_score = !PQgetisnull(r, i, 15);
		e->score = e->has_score ? strtod(PQgetvalue(r, i, 15), NULL) : 0;
		e->passed = PQgetisnull(r, i, 16) ? -1 : pgu_bool(r, i, 16);
		e->active_us = pgu_i64(r, i, 17);
		e->minimum_time_s = pgu_i64(r, i, 18);
		e->storage_key = pgu_str(a, r, i, 19);
		e->seq_state = pgu_str(a, r, i, 20);
		e->rev = pgu_i64(r, i, 21);
		e->org_sequencing_xml = pgu_str(a, r, i, 22);
		e->sequencing_collection_xml = pgu_str(a, r, i, 23);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgp_enrol(lms_store *s, int64_t user_id, const char *course_code, const char *source,
              const char *assigned_by, const char *due_at, int64_t at_us, lms_arena *a,
              lms_enrolment *out, bool *created, lms_err *err)
{
	const char *v[6] = { pgu_num(a, user_id), course_code, source, assigned_by, due_at, pgu_num(a, at_us) };
	lms_enrolment *list;
	size_t n;
	PGresult *r;
	int rc;

	if (!(r = run(s, P_ENROL, v, &rc, err)))
		return rc;
	*created = PQntuples(r) > 0;
	PQclear(r);
	if (!*created && strcmp(source, "assigned") == 0) {
		const char *u[4] = { v[0], course_code, assigned_by, due_at };
		if (!(r = run(s, P_ENROL_ASSIGN, u, &rc, err)))
			return rc;
		PQclear(r);
	}
	if ((rc = pgp_enrolment_list(s, user_id, course_code, a, &list, &n, err)) < 0)
		return rc;
	if (n == 0)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "no course with code %s",
		                   course_code);
	*out = list[0];
	return LMS_OK;
}

int pgp_item_list(lms_store *s, int64_t version_id, lms_arena *a, lms_item **out, size_t *n,
                  lms_err *err)
{
	const char *v[1] = { pgu_num(a, version_id) };
	lms_item *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, P_ITEM_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_item *it = &list[i];
		it->ord = (int)pgu_i64(r, i, 0);
		it->parent_ord = (int)pgu_i64(r, i, 1);
		it->identifier = pgu_str(a, r, i, 2);
		it->title = pgu_str(a, r, i, 3);
		it->href = pgu_str(a, r, i, 4);
		it->visible = pgu_bool(r, i, 5);
		it->mastery_score = pgu_str(a, r, i, 6);
		it->prerequisites = pgu_str(a, r, i, 7);
		it->max_time_allowed = pgu_str(a, r, i, 8);
		it->time_limit_action = pgu_str(a, r, i, 9);
		it->data_from_lms = pgu_str(a, r, i, 10);
		it->completion_threshold = pgu_str(a, r, i, 11);
		it->sequencing_xml = pgu_str(a, r, i, 12);
		it->asset = pgu_bool(r, i, 13);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgp_item_status_list(lms_store *s, int64_t enrolment_id, lms_arena *a,
                         lms_item_status **out, size_t *n, lms_err *err)
{
	const char *v[1] = { pgu_num(a, enrolment_id) };
	lms_item_status *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, P_ITEM_STATUS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_item_status *st = &list[i];
		st->ord = (int)pgu_i64(r, i, 0);
		st->attempts = (int)pgu_i64(r, i, 1);
		st->completion_status = pgu_str(a, r, i, 2);
		st->success_status = pgu_str(a, r, i, 3);
		st->has_score = !PQgetisnull(r, i, 4);
		st->score = st->has_score ? strtod(PQgetvalue(r, i, 4), NULL) : 0;
		st->active_us = pgu_i64(r, i, 5);
		st->suspended = pgu_bool(r, i, 6);
		st->last_us = pgu_i64(r, i, 7);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgp_attempt_latest(lms_store *s, int64_t enrolment_id, int item_ord, lms_arena *a,
                       lms_attempt_row *out, lms_err *err)
{
	const char *v[2] = { pgu_num(a, enrolment_id), pgu_num(a, item_ord) };
	PGresult *r;
	int rc;

	if (!(r = run(s, P_ATTEMPT_LATEST, v, &rc, err)))
		return rc;
	memset(out, 0, sizeof(*out));
	if (PQntuples(r) > 0) {
		out->id = pgu_i64(r, 0, 0);
		out->attempt_no = (int)pgu_i64(r, 0, 1);
		out->ended = pgu_bool(r, 0, 2);
		out->rev = pgu_i64(r, 0, 3);
		out->pairs = read_pairs(a, r, 4, &out->n_pairs);
	}
	PQclear(r);
	return LMS_OK;
}

int pgp_launch_create(lms_store *s, const lms_launch_in *in, int64_t *launch_id, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *state = state_json(a, in->state);
	const char *at = pgu_num(a, in->at_us);
	const char *attempt;
	PGresult *r = NULL;
	int rc;

	if ((rc = store_pg_begin(s, err)) < 0)
		goto out;
	if (in->attempt_id == 0) {
		const char *v[5] = { pgu_num(a, in->enrolment_id), pgu_num(a, in->item_ord),
		                     pgu_num(a, in->attempt_no), state, at };
		if (!(r = run(s, P_ATTEMPT_INSERT, v, &rc, err)))
			goto cleanup;
	} else {
		const char *v[4] = { pgu_num(a, in->attempt_id), pgu_num(a, in->expect_rev), state, at };
		if (!(r = run(s, P_ATTEMPT_RESET, v, &rc, err)))
			goto cleanup;
		if (PQntuples(r) == 0) {
			rc = lms_err_set(err, LMS_ECONFLICT, "conflict", NULL, "the attempt changed meanwhile");
			goto cleanup;
		}
	}
	attempt = pgu_str(a, r, 0, 0);
	PQclear(r);
	{
		const char *v[5] = { pgu_hex32(a, in->token_hash), attempt, pgu_num(a, in->user_id),
		                     in->web_session_id ? pgu_num(a, in->web_session_id) : NULL, at };
		if (!(r = run(s, P_LAUNCH_INSERT, v, &rc, err)))
			goto cleanup;
		*launch_id = pgu_i64(r, 0, 0);
		PQclear(r);
	}
	{
		const char *v[2] = { pgu_num(a, in->enrolment_id), at };
		if (!(r = run(s, P_ENROL_START, v, &rc, err)))
			goto cleanup;
		PQclear(r);
	}
	if (in->seq_state) {
		const char *v[3] = { pgu_num(a, in->enrolment_id), pgu_num(a, in->expect_seq_rev), in->seq_state };
		if (!(r = run(s, P_SEQ_SAVE, v, &rc, err)))
			goto cleanup;
		if (PQntuples(r) == 0) {
			rc = lms_err_set(err, LMS_ECONFLICT, "conflict", NULL,
			                 "the course's navigation changed meanwhile");
			goto cleanup;
		}
		PQclear(r);
	}
	{
		const char *v[1] = { pgu_num(a, in->user_id) };
		if (!(r = run(s, P_CLOCK_ENSURE, v, &rc, err)))
			goto cleanup;
		PQclear(r);
	}
	r = NULL;
	rc = store_pg_commit(s, err);
	goto out;
cleanup:
	PQclear(r);
	store_pg_rollback(s);
out:
	lms_arena_free(a);
	return rc;
}

int pgp_launch_load(lms_store *s, const unsigned char hash[32], lms_arena *a,
                    lms_launch_ctx *out, lms_err *err)
{
	const char *v[1] = { pgu_hex32(a, hash) };
	lms_launch_ctx c;
	PGresult *r;
	int rc;

	if (!(r = run(s, P_LAUNCH_LOAD, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "launch_unknown", NULL, "no such launch");
	}
	memset(&c, 0, sizeof(c));
	c.launch_id = pgu_i64(r, 0, 0);
	c.attempt_id = pgu_i64(r, 0, 1);
	c.enrolment_id = pgu_i64(r, 0, 2);
	c.user_id = pgu_i64(r, 0, 3);
	c.version_id = pgu_i64(r, 0, 4);
	c.course_id = pgu_i64(r, 0, 5);
	c.item_ord = (int)pgu_i64(r, 0, 6);
	c.attempt_no = (int)pgu_i64(r, 0, 7);
	c.last_seq = (int)pgu_i64(r, 0, 8);
	c.closed = pgu_bool(r, 0, 9);
	c.rev = pgu_i64(r, 0, 10);
	c.kind = pgu_str(a, r, 0, 11);
	c.storage_key = pgu_str(a, r, 0, 12);
	c.item.ord = c.item_ord;
	c.item.identifier = pgu_str(a, r, 0, 13);
	c.item.title = pgu_str(a, r, 0, 14);
	c.item.href = pgu_str(a, r, 0, 15);
	c.item.visible = pgu_bool(r, 0, 16);
	c.item.mastery_score = pgu_str(a, r, 0, 17);
	c.item.prerequisites = pgu_str(a, r, 0, 18);
	c.item.max_time_allowed = pgu_str(a, r, 0, 19);
	c.item.time_limit_action = pgu_str(a, r, 0, 20);
	c.item.data_from_lms = pgu_str(a, r, 0, 21);
	c.item.completion_threshold = pgu_str(a, r, 0, 22);
	c.username = pgu_str(a, r, 0, 23);
	c.learner_name = pgu_str(a, r, 0, 24);
	c.opened_us = pgu_i64(r, 0, 25);
	c.last_seen_us = pgu_i64(r, 0, 26);
	c.minimum_time_s = pgu_i64(r, 0, 27);
	c.tot.opened_us = c.opened_us;
	c.tot.last_beat_us = pgu_i64(r, 0, 28);
	c.tot.last_input_us = pgu_i64(r, 0, 29);
	c.tot.hidden_used_us = pgu_i64(r, 0, 30);
	c.tot.active_us = pgu_i64(r, 0, 31);
	c.tot.beats = (int)pgu_i64(r, 0, 32);
	c.clock_counted_us = pgu_i64(r, 0, 33);
	if (array_pairs(a, r, 34, &c.pairs, &c.n_pairs) < 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ESTORAGE, NULL, NULL, "an attempt's state could not be read");
	}
	c.cmi = lms_player_cmi_version(c.kind);
	PQclear(r);
	*out = c;
	return LMS_OK;
}

int pgp_rt_write(lms_store *s, const lms_rt_write *w, lms_arena *a, lms_err *err)
{
	char score[40];
	const char *v[18];
	PGresult *r;
	int rc;

	snprintf(score, sizeof(score), "%.17g", w->score);
	v[0] = pgu_num(a, w->attempt_id);
	v[1] = pgu_num(a, w->expect_rev);
	v[2] = state_json(a, w->state);
	v[3] = pgu_num(a, w->at_us);
	v[4] = w->completion_status;
	v[5] = w->success_status;
	v[6] = w->has_score ? score : NULL;
	v[7] = pgu_num(a, w->total_time_cs);
	v[8] = w->attempt_ended ? "true" : "false";
	v[9] = pgu_num(a, w->launch_id);
	v[10] = pgu_num(a, w->expect_last_seq);
	v[11] = pgu_num(a, w->seq_to);
	v[12] = w->finish ? "true" : "false";
	v[13] = w->reported_cs >= 0 ? pgu_num(a, w->reported_cs) : NULL;
	v[14] = w->flagged ? "true" : "false";
	v[15] = w->log_json;
	v[16] = pgu_num(a, w->refused);
	v[17] = pgu_num(a, w->seq_from);
	if (!(r = run(s, P_RT_WRITE, v, &rc, err)))
		return rc;
	rc = PQntuples(r) == 1 ? LMS_OK
	                       : lms_err_set(err, LMS_ECONFLICT, "conflict", NULL,
	                                     "the attempt changed meanwhile");
	PQclear(r);
	return rc;
}

int pgp_beat_write(lms_store *s, int64_t launch_id, int64_t user_id, int64_t expect_clock_us,
                   const lms_tot_beat_in *in, const lms_tot_beat_out *o, int64_t at_us,
                   lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[13];
	PGresult *r;
	int rc;

	v[0] = pgu_num(a, launch_id);
	v[1] = pgu_num(a, user_id);
	v[2] = pgu_num(a, expect_clock_us);
	v[3] = pgu_num(a, o->clock_until_us);
	v[4] = pgu_num(a, at_us);
	v[5] = in->visible ? "true" : "false";
	v[6] = pgu_num(a, in->idle_ms);
	v[7] = pgu_num(a, in->hidden_ms);
	v[8] = pgu_num(a, o->credited_us);
	v[9] = o->reason;
	v[10] = pgu_num(a, o->next.last_input_us);
	v[11] = pgu_num(a, o->next.hidden_used_us);
	v[12] = pgu_num(a, o->next.beats);
	if ((r = run(s, P_BEAT_WRITE, v, &rc, err))) {
		rc = PQntuples(r) == 1 ? LMS_OK
		                       : lms_err_set(err, LMS_ECONFLICT, "conflict", NULL,
		                                     "another heartbeat came first");
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

int pgp_completion_record(lms_store *s, const lms_completion_in *in, bool *created,
                          lms_err *err)
{
	lms_arena *a = lms_arena_new();
	char score[40];
	const char *v[10];
	PGresult *r;
	int rc;

	snprintf(score, sizeof(score), "%.17g", in->score);
	v[0] = pgu_num(a, in->enrolment_id);
	v[1] = pgu_num(a, in->user_id);
	v[2] = pgu_num(a, in->course_id);
	v[3] = pgu_num(a, in->version_id);
	v[4] = pgu_num(a, in->at_us);
	v[5] = in->passed < 0 ? NULL : in->passed ? "true" : "false";
	v[6] = in->has_score ? score : NULL;
	v[7] = pgu_num(a, in->active_s);
	v[8] = pgu_num(a, in->reported_s);
	v[9] = in->evidence_json;
	if ((r = run(s, P_COMPLETION, v, &rc, err))) {
		*created = pgu_i64(r, 0, 0) > 0;
		PQclear(r);
		rc = LMS_OK;
	}
	lms_arena_free(a);
	return rc;
}

int pgp_time_sessions(lms_store *s, int64_t user_id, const char *course_code, lms_arena *a,
                      lms_time_session **out, size_t *n, lms_time_beat **beats, size_t *nb,
                      lms_err *err)
{
	const char *v[2] = { pgu_num(a, user_id), course_code };
	lms_time_session *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, P_TIME_SESSIONS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_time_session *t = &list[i];
		t->id = pgu_i64(r, i, 0);
		t->item_identifier = pgu_str(a, r, i, 1);
		t->item_title = pgu_str(a, r, i, 2);
		t->attempt_no = (int)pgu_i64(r, i, 3);
		t->opened_us = pgu_i64(r, i, 4);
		t->closed_us = pgu_i64(r, i, 5);
		t->last_seen_us = pgu_i64(r, i, 6);
		t->closed_reason = pgu_str(a, r, i, 7);
		t->active_us = pgu_i64(r, i, 8);
		t->reported_cs = pgu_i64(r, i, 9);
		t->beats = (int)pgu_i64(r, i, 10);
		t->flagged = pgu_bool(r, i, 11);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	if (!beats)
		return LMS_OK;
	if (!(r = run(s, P_TIME_BEATS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*beats = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**beats));
	for (i = 0; i < rows; i++) {
		lms_time_beat *b = &(*beats)[i];
		b->launch_id = pgu_i64(r, i, 0);
		b->n = (int)pgu_i64(r, i, 1);
		b->at_us = pgu_i64(r, i, 2);
		b->visible = pgu_bool(r, i, 3);
		b->idle_ms = pgu_i64(r, i, 4);
		b->hidden_ms = pgu_i64(r, i, 5);
		b->credited_us = pgu_i64(r, i, 6);
		b->reason = pgu_str(a, r, i, 7);
	}
	PQclear(r);
	*nb = (size_t)rows;
	return LMS_OK;
}

int pgp_launch_expire(lms_store *s, int64_t idle_before_us, int64_t *closed, lms_err *err)
{
	char b[24];
	const char *v[1] = { b };
	PGresult *r;
	int rc;

	snprintf(b, sizeof(b), "%lld", (long long)idle_before_us);
	if (!(r = run(s, P_LAUNCH_EXPIRE, v, &rc, err)))
		return rc;
	*closed = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return LMS_OK;
}

int pgp_seq_save(lms_store *s, int64_t enrolment_id, int64_t expect_rev, const char *state,
                 lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[3] = { pgu_num(a, enrolment_id), pgu_num(a, expect_rev), state };
	PGresult *r;
	int rc;

	if ((r = run(s, P_SEQ_SAVE, v, &rc, err))) {
		rc = PQntuples(r) == 1 ? LMS_OK
		                       : lms_err_set(err, LMS_ECONFLICT, "conflict", NULL,
		                                     "the course's navigation changed meanwhile");
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}
