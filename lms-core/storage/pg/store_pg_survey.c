/* store_pg_survey.c — surveys' storage (store.h survey_*, schemas/sql/0010_survey.sql,
 * docs/surveys.md).
 *
 * Invariants: every statement is a named constant below, run prepared with bound values.
 * A response is written in one transaction that first takes a share lock on the survey's
 * row (an edit takes an update lock), so an answer is never stored against a definition
 * that changed after it was checked, and a definition never changes under a response. For
 * an anonymous survey, the respondents row and the response row are written by two
 * statements that share no value: the response gets no account id, no time (the day only)
 * and a random key. Results are computed here in SQL over the responses within the caller's
 * reach; suppression of small groups is the core's (survey_report.h), applied by its callers.
 */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/reports.h"
#include "lms/survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TS(p) "('epoch'::timestamptz + " p "::bigint * interval '1 microsecond')"

enum {
	SV_MISSING_UNIT, SV_MISSING_COURSE, SV_INSERT, SV_UNITS_SET, SV_COURSES_SET, SV_QUESTION_SET,
	SV_CLEAR_DEF, SV_LOCK, SV_UPDATE, SV_GET, SV_QUESTIONS, SV_SET_STATUS, SV_SHUFFLE, SV_LIST,
	SV_OFFERS, SV_LOCK_SHARE, SV_RESPONDENT, SV_RESPONSE, SV_GROUPS, SV_COUNTS, SV_TEXTS,
	SV_REP_LIST, SV_REP_GROUPS, SV_REP_COUNTS, /* the HR report's survey section (reports.h) */
	SV__COUNT
};
_Static_assert(PGX_SURVEY_SLOT + SV__COUNT <= PGX_SURVEY_SLOT_END, "too many survey statements");
_Static_assert(PGX_SURVEY_SLOT_END <= PGX_SLOTS - PGX_SLOT_BASE, "survey slots past the end");

/* A survey's row: 20 columns (fill_survey reads them). */
#define SV_COLS                                                                                    \
	"s.id, s.rev, s.code, s.title, s.description, s.kind, s.status, s.anonymous, s.level, "         \
	"array_to_string(s.par_roles, ' '), coalesce(s.opens_on::text, ''), "                          \
	"coalesce(s.closes_on::text, ''), coalesce(s.owner_unit_id, 0), ou.code, s.owner_id, "         \
	"ow.display_name, (SELECT count(*) FROM survey_response x WHERE x.survey_id = s.id), "         \
	"(SELECT string_agg(u.code, ' ' ORDER BY su.ord) FROM survey_unit su "                          \
	" JOIN org_unit u ON u.id = su.unit_id WHERE su.survey_id = s.id), "                            \
	"(SELECT string_agg(su.unit_id::text, ' ' ORDER BY su.ord) FROM survey_unit su "                \
	" WHERE su.survey_id = s.id), "                                                                  \
	"(SELECT string_agg(c.code, ' ' ORDER BY sc.ord) FROM survey_course sc "                        \
	" JOIN course c ON c.id = sc.course_id WHERE sc.survey_id = s.id) "
#define SV_NCOLS 20
#define SV_FROM                                                                                    \
	"FROM survey s LEFT JOIN org_unit ou ON ou.id = s.owner_unit_id "                              \
	"JOIN app_user ow ON ow.id = s.owner_id "

/* The results read the responses of survey $1 within the reach ($2 all, else the subtrees
 * of the units $3) and, when $4 is not 0, within the subtree of unit $4. */
#define RESP_CTES                                                                                  \
	"WITH RECURSIVE reach AS (SELECT id FROM org_unit WHERE id = ANY($3::bigint[]) "               \
	" UNION SELECT c.id FROM org_unit c JOIN reach ON c.parent_id = reach.id), "                   \
	"sub AS (SELECT id FROM org_unit WHERE id = $4::bigint "                                        \
	" UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id), "                       \
	"resp AS (SELECT r.* FROM survey_response r WHERE r.survey_id = $1::bigint "                    \
	" AND ($2::boolean OR r.unit_id IN (SELECT id FROM reach)) "                                    \
	" AND ($4::bigint = 0 OR r.unit_id IN (SELECT id FROM sub))), "
/* Each unit of members to its group: the unit $4 itself, or its child whose subtree holds
 * it; with $4 = 0, the top unit above it. */
#define GROUP_CTES(members)                                                                        \
	"up AS (SELECT u.id AS start, u.id AS cur, u.parent_id FROM org_unit u WHERE u.id IN ("       \
	members ") UNION SELECT up.start, p.id, p.parent_id FROM up JOIN org_unit p "                 \
	" ON p.id = up.parent_id WHERE up.cur <> $4::bigint), "                                         \
	"grp AS (SELECT start, cur AS gid FROM up WHERE CASE WHEN $4::bigint = 0 THEN "                 \
	" parent_id IS NULL ELSE parent_id = $4::bigint OR (cur = $4::bigint AND start = $4::bigint) " \
	" END) "
/* Whom the survey asks: the audience's active people (standalone), or the accounts that
 * completed one of its courses (course), with their unit now; within the same reach. */
#define POP_CTES                                                                                   \
	"aud AS (SELECT unit_id AS id FROM survey_unit WHERE survey_id = $1::bigint "                  \
	" UNION SELECT c.id FROM org_unit c JOIN aud ON c.parent_id = aud.id), "                       \
	"pop AS (SELECT 'p' || p.id AS k, p.unit_id, NULL::bigint AS course_id FROM person p "          \
	"  JOIN survey s ON s.id = $1::bigint AND s.kind = 'standalone' "                               \
	"  WHERE p.active AND p.unit_id IN (SELECT id FROM aud) "                                      \
	"  AND (s.level = 'any' OR (s.level = 'leaders') = p.is_leader) "                              \
	"  AND (cardinality(s.par_roles) = 0 OR p.par_role = ANY (s.par_roles)) "                      \
	" UNION ALL SELECT 'u' || c.user_id, p.unit_id, c.course_id FROM completion c "                \
	"  JOIN survey_course sc ON sc.survey_id = $1::bigint AND sc.course_id = c.course_id "         \
	"  JOIN app_user au ON au.id = c.user_id LEFT JOIN person p ON p.id = au.person_id), "          \
	"popf AS (SELECT * FROM pop WHERE ($2::boolean OR unit_id IN (SELECT id FROM reach)) "          \
	" AND ($4::bigint = 0 OR unit_id IN (SELECT id FROM sub))), "

/* The HR report's survey section (reports.h, ops->report->surveys and survey_results): the
 * results' statements again, over the responses of the days $5..$6 only (a response keeps its
 * day, city time). */
#define RESP_DAYS_CTES                                                                             \
	"WITH RECURSIVE reach AS (SELECT id FROM org_unit WHERE id = ANY($3::bigint[]) "               \
	" UNION SELECT c.id FROM org_unit c JOIN reach ON c.parent_id = reach.id), "                   \
	"sub AS (SELECT id FROM org_unit WHERE id = $4::bigint "                                        \
	" UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id), "                       \
	"resp AS (SELECT r.* FROM survey_response r WHERE r.survey_id = $1::bigint "                    \
	" AND ($2::boolean OR r.unit_id IN (SELECT id FROM reach)) "                                    \
	" AND ($4::bigint = 0 OR r.unit_id IN (SELECT id FROM sub)) "                                   \
	" AND r.submitted_on BETWEEN $5::date AND $6::date), "

static const pgx_stmt stmts[SV__COUNT] = {
	/* the first code of $1 that names no unit (course), 1-based */
	[SV_MISSING_UNIT] = { "SELECT x.i FROM unnest($1::text[]) WITH ORDINALITY AS x(code, i) "
	                      "WHERE NOT EXISTS (SELECT 1 FROM org_unit u WHERE u.code = x.code) "
	                      "ORDER BY x.i LIMIT 1", 1, 1 },
	[SV_MISSING_COURSE] = { "SELECT x.i FROM unnest($1::text[]) WITH ORDINALITY AS x(code, i) "
	                        "WHERE NOT EXISTS (SELECT 1 FROM course c WHERE c.code = x.code) "
	                        "ORDER BY x.i LIMIT 1", 1, 1 },
	[SV_INSERT] = { "INSERT INTO survey (code, title, description, kind, anonymous, level, par_roles, "
	                "opens_on, closes_on, owner_unit_id, owner_id) VALUES ($1, $2, $3, $4, "
	                "$5::boolean, $6, $7::text[], nullif($8, '')::date, nullif($9, '')::date, "
	                "nullif($10::bigint, 0), $11::bigint) RETURNING id", 11, 0 },
	[SV_UNITS_SET] = { "INSERT INTO survey_unit (survey_id, unit_id, ord) SELECT $1::bigint, u.id, "
	                   "x.i FROM unnest($2::text[]) WITH ORDINALITY AS x(code, i) "
	                   "JOIN org_unit u ON u.code = x.code", 2, 0 },
	[SV_COURSES_SET] = { "INSERT INTO survey_course (survey_id, course_id, ord) SELECT $1::bigint, "
	                     "c.id, x.i FROM unnest($2::text[]) WITH ORDINALITY AS x(code, i) "
	                     "JOIN course c ON c.code = x.code", 2, 0 },
	[SV_QUESTION_SET] = { "INSERT INTO survey_question (survey_id, qid, kind, text, required, points, "
	                      "options, max_select, max_length) VALUES ($1::bigint, $2::int, $3, $4, "
	                      "$5::boolean, $6::int, $7::text[], $8::int, $9::int)", 9, 0 },
	[SV_CLEAR_DEF] = { "WITH a AS (DELETE FROM survey_unit WHERE survey_id = $1::bigint), "
	                   "b AS (DELETE FROM survey_course WHERE survey_id = $1::bigint) "
	                   "DELETE FROM survey_question WHERE survey_id = $1::bigint", 1, 0 },
	[SV_LOCK] = { "SELECT s.rev, EXISTS (SELECT 1 FROM survey_response r WHERE r.survey_id = s.id) "
	              "FROM survey s WHERE s.id = $1::bigint FOR UPDATE", 1, 0 },
	[SV_UPDATE] = { "UPDATE survey SET title = $2, description = $3, kind = $4, anonymous = $5::boolean, "
	                "level = $6, par_roles = $7::text[], opens_on = nullif($8, '')::date, "
	                "closes_on = nullif($9, '')::date, owner_unit_id = nullif($10::bigint, 0), "
	                "rev = rev + 1, updated_at = now() WHERE id = $1::bigint", 10, 0 },
	[SV_GET] = { "SELECT " SV_COLS SV_FROM "WHERE s.code = $1", 1, 1 },
	[SV_QUESTIONS] = { "SELECT q.qid, q.kind, q.text, q.required, q.points, q.max_select, "
	                   "q.max_length, o.label FROM survey_question q "
	                   "LEFT JOIN LATERAL unnest(q.options) WITH ORDINALITY AS o(label, i) ON true "
	                   "WHERE q.survey_id = $1::bigint ORDER BY q.qid, o.i", 1, 1 },
	[SV_SET_STATUS] = { "UPDATE survey SET status = $3, rev = rev + 1, updated_at = now(), "
	                    "published_at = CASE WHEN $3 = 'open' THEN now() ELSE published_at END, "
	                    "closed_at = CASE WHEN $3 = 'closed' THEN now() ELSE closed_at END "
	                    "WHERE id = $1::bigint AND status = $2 RETURNING anonymous", 3, 0 },
	/* Every response again, in a random order, with new keys: the rows no longer sit in the
	 * order they arrived in, nor carry the transaction that wrote them (docs/surveys.md). */
	[SV_SHUFFLE] = { "WITH d AS (DELETE FROM survey_response WHERE survey_id = $1::bigint "
	                 "RETURNING survey_id, user_id, unit_id, course_id, submitted_on, submitted_at, "
	                 "qids, nums, text_qids, texts) INSERT INTO survey_response (survey_id, user_id, "
	                 "unit_id, course_id, submitted_on, submitted_at, qids, nums, text_qids, texts) "
	                 "SELECT * FROM d ORDER BY random()", 1, 0 },
	/* $1 user, $2 all, $3 trainer roots, $4 HR roots, $5 code or NULL, $6 limit */
	[SV_LIST] = {
		"WITH RECURSIVE tr AS (SELECT id FROM org_unit WHERE id = ANY($3::bigint[]) "
		" UNION SELECT c.id FROM org_unit c JOIN tr ON c.parent_id = tr.id), "
		"hr AS (SELECT id FROM org_unit WHERE id = ANY($4::bigint[]) "
		" UNION SELECT c.id FROM org_unit c JOIN hr ON c.parent_id = hr.id), "
		"hr_up AS (SELECT id, parent_id FROM org_unit WHERE id = ANY($4::bigint[]) "
		" UNION SELECT o.id, o.parent_id FROM org_unit o JOIN hr_up ON o.id = hr_up.parent_id), "
		"v AS (SELECT s.id, coalesce($2::boolean OR s.owner_id = $1::bigint "
		"  OR s.owner_unit_id IN (SELECT id FROM tr) OR (s.kind = 'standalone' "
		"  AND cardinality($3::bigint[]) > 0 AND NOT EXISTS (SELECT 1 FROM survey_unit su "
		"  WHERE su.survey_id = s.id AND su.unit_id NOT IN (SELECT id FROM tr))), false) AS manage, "
		" coalesce(s.status <> 'draft' AND cardinality($4::bigint[]) > 0 AND (s.kind = 'course' "
		"  OR EXISTS (SELECT 1 FROM survey_unit su WHERE su.survey_id = s.id AND "
		"  (su.unit_id IN (SELECT id FROM hr) OR su.unit_id IN (SELECT id FROM hr_up)))), false) "
		"  AS hr_read FROM survey s WHERE $5::text IS NULL OR s.code = $5) "
		"SELECT " SV_COLS ", v.manage, v.hr_read " SV_FROM "JOIN v ON v.id = s.id "
		"WHERE v.manage OR v.hr_read ORDER BY s.created_at DESC, s.id DESC LIMIT $6::int",
		6, 1 },
	/* $1 user, $2 course code or NULL, $3 survey id (0: every open survey) */
	[SV_OFFERS] = {
		"WITH RECURSIVE me AS (SELECT u.id, p.id AS pid, p.unit_id, p.is_leader, p.par_role, "
		" p.active FROM app_user u LEFT JOIN person p ON p.id = u.person_id WHERE u.id = $1::bigint), "
		"up AS (SELECT o.id, o.parent_id FROM org_unit o WHERE o.id = (SELECT unit_id FROM me) "
		" UNION SELECT o.id, o.parent_id FROM org_unit o JOIN up ON o.id = up.parent_id) "
		"SELECT " SV_COLS ", me.pid IS NOT NULL, coalesce(me.active, false), "
		" coalesce(me.is_leader, false), coalesce(me.par_role, 'none'), "
		" EXISTS (SELECT 1 FROM survey_unit su WHERE su.survey_id = s.id "
		"  AND su.unit_id IN (SELECT id FROM up)), cc.code, coalesce(cc.id, 0), "
		" EXISTS (SELECT 1 FROM survey_respondent sr WHERE sr.survey_id = s.id "
		"  AND sr.user_id = $1::bigint), coalesce(me.unit_id, 0) "
		SV_FROM "CROSS JOIN me LEFT JOIN LATERAL (SELECT c.id, c.code FROM survey_course sc "
		" JOIN course c ON c.id = sc.course_id JOIN completion cp ON cp.course_id = sc.course_id "
		" AND cp.user_id = $1::bigint WHERE sc.survey_id = s.id AND ($2::text IS NULL OR c.code = $2) "
		" ORDER BY sc.ord LIMIT 1) cc ON true "
		"WHERE CASE WHEN $3::bigint = 0 THEN s.status = 'open' ELSE s.id = $3::bigint END "
		"ORDER BY s.published_at DESC NULLS LAST, s.id DESC LIMIT 200",
		3, 1 },
	[SV_LOCK_SHARE] = { "SELECT rev, status FROM survey WHERE id = $1::bigint FOR SHARE", 1, 0 },
	[SV_RESPONDENT] = { "INSERT INTO survey_respondent (survey_id, user_id) "
	                    "VALUES ($1::bigint, $2::bigint) ON CONFLICT DO NOTHING RETURNING 1", 2, 0 },
	[SV_RESPONSE] = { "INSERT INTO survey_response (survey_id, user_id, unit_id, course_id, "
	                  "submitted_on, submitted_at, qids, nums, text_qids, texts) VALUES ($1::bigint, "
	                  "nullif($2::bigint, 0), nullif($3::bigint, 0), nullif($4::bigint, 0), $5::date, "
	                  "CASE WHEN $6::bigint = 0 THEN NULL ELSE " TS("$6") " END, $7::int[], $8::int[], "
	                  "$9::int[], $10::text[])", 10, 0 },
	/* Responses and population per unit group (gs 1), per course (gs 2) and in all (gs 3). */
	[SV_GROUPS] = {
		RESP_CTES POP_CTES
		"x AS (SELECT r.id::text AS k, r.unit_id, r.course_id, true AS resp FROM resp r "
		" UNION ALL SELECT k, unit_id, course_id, false FROM popf), "
		GROUP_CTES("SELECT unit_id FROM x")
		", agg AS (SELECT grouping(g.gid, x.course_id) AS gs, g.gid, x.course_id, "
		" count(DISTINCT x.k) FILTER (WHERE x.resp) AS nr, "
		" count(DISTINCT x.k) FILTER (WHERE NOT x.resp) AS np "
		" FROM x LEFT JOIN grp g ON g.start = x.unit_id "
		" GROUP BY GROUPING SETS ((g.gid), (x.course_id), ())) "
		"SELECT agg.gs, coalesce(agg.gid, 0), coalesce(agg.course_id, 0), coalesce(u.code, c.code), "
		" coalesce(u.name, c.title), agg.nr, agg.np FROM agg "
		"LEFT JOIN org_unit u ON agg.gs = 1 AND u.id = agg.gid "
		"LEFT JOIN course c ON agg.gs = 2 AND c.id = agg.course_id "
		"ORDER BY agg.gs, (agg.gid = $4::bigint) DESC NULLS LAST, u.name COLLATE \"vi-VN-x-icu\", "
		" c.code",
		4, 1 },
	/* Answers per question and value (and responses that answered: gs bit 0 set), in all,
	 * per unit group and per course. */
	[SV_COUNTS] = {
		RESP_CTES GROUP_CTES("SELECT unit_id FROM resp")
		"SELECT grouping(g.gid, r.course_id, a.n), coalesce(g.gid, 0), coalesce(r.course_id, 0), "
		" a.q, coalesce(a.n, 0), count(*), count(DISTINCT r.id) "
		"FROM resp r LEFT JOIN grp g ON g.start = r.unit_id "
		"CROSS JOIN LATERAL unnest(r.qids, r.nums) AS a(q, n) "
		"GROUP BY GROUPING SETS ((a.q, a.n), (a.q), (g.gid, a.q, a.n), (g.gid, a.q), "
		" (r.course_id, a.q, a.n), (r.course_id, a.q))",
		4, 1 },
	[SV_TEXTS] = {
		RESP_CTES "un AS (SELECT unit_id, count(*) AS n FROM survey_response "
		" WHERE survey_id = $1::bigint GROUP BY unit_id) "
		"SELECT t.body, u.code, u.name, coalesce(un.n, 0), au.display_name, r.submitted_on::text, "
		" count(*) OVER () FROM resp r CROSS JOIN LATERAL unnest(r.text_qids, r.texts) AS t(q, body) "
		"LEFT JOIN org_unit u ON u.id = r.unit_id LEFT JOIN un ON un.unit_id = r.unit_id "
		"LEFT JOIN app_user au ON au.id = r.user_id WHERE t.q = $5::int "
		"ORDER BY r.id LIMIT $6::int OFFSET $7::int",
		7, 1 },
	/* Surveys for the HR report of subtree $1 and days $2..$3: not drafts, with a response of
	 * those days from the subtree; course surveys (of course $4 when not 0) or standalone ones
	 * addressed to a unit in the subtree or above its root. Newest first, at most $5. */
	[SV_REP_LIST] = {
		"WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE id = $1::bigint "
		" UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id), "
		"up AS (SELECT id, parent_id FROM org_unit WHERE id = $1::bigint "
		" UNION SELECT o.id, o.parent_id FROM org_unit o JOIN up ON o.id = up.parent_id) "
		"SELECT s.code FROM survey s WHERE s.status <> 'draft' "
		" AND (s.kind = 'course' OR EXISTS (SELECT 1 FROM survey_unit su WHERE su.survey_id = s.id "
		"  AND (su.unit_id IN (SELECT id FROM sub) OR su.unit_id IN (SELECT id FROM up)))) "
		" AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM survey_course sc WHERE sc.survey_id = s.id "
		"  AND sc.course_id = $4::bigint)) "
		" AND EXISTS (SELECT 1 FROM survey_response r WHERE r.survey_id = s.id "
		"  AND r.submitted_on BETWEEN $2::date AND $3::date AND r.unit_id IN (SELECT id FROM sub)) "
		"ORDER BY s.published_at DESC NULLS LAST, s.id DESC LIMIT $5::int",
		5, 1 },
	/* SV_GROUPS and SV_COUNTS over the responses of days $5..$6 */
	[SV_REP_GROUPS] = {
		RESP_DAYS_CTES POP_CTES
		"x AS (SELECT r.id::text AS k, r.unit_id, r.course_id, true AS resp FROM resp r "
		" UNION ALL SELECT k, unit_id, course_id, false FROM popf), "
		GROUP_CTES("SELECT unit_id FROM x")
		", agg AS (SELECT grouping(g.gid, x.course_id) AS gs, g.gid, x.course_id, "
		" count(DISTINCT x.k) FILTER (WHERE x.resp) AS nr, "
		" count(DISTINCT x.k) FILTER (WHERE NOT x.resp) AS np "
		" FROM x LEFT JOIN grp g ON g.start = x.unit_id "
		" GROUP BY GROUPING SETS ((g.gid), (x.course_id), ())) "
		"SELECT agg.gs, coalesce(agg.gid, 0), coalesce(agg.course_id, 0), coalesce(u.code, c.code), "
		" coalesce(u.name, c.title), agg.nr, agg.np FROM agg "
		"LEFT JOIN org_unit u ON agg.gs = 1 AND u.id = agg.gid "
		"LEFT JOIN course c ON agg.gs = 2 AND c.id = agg.course_id "
		"ORDER BY agg.gs, (agg.gid = $4::bigint) DESC NULLS LAST, u.name COLLATE \"vi-VN-x-icu\", "
		" c.code",
		6, 1 },
	[SV_REP_COUNTS] = {
		RESP_DAYS_CTES GROUP_CTES("SELECT unit_id FROM resp")
		"SELECT grouping(g.gid, r.course_id, a.n), coalesce(g.gid, 0), coalesce(r.course_id, 0), "
		" a.q, coalesce(a.n, 0), count(*), count(DISTINCT r.id) "
		"FROM resp r LEFT JOIN grp g ON g.start = r.unit_id "
		"CROSS JOIN LATERAL unnest(r.qids, r.nums) AS a(q, n) "
		"GROUP BY GROUPING SETS ((a.q, a.n), (a.q), (g.gid, a.q, a.n), (g.gid, a.q), "
		" (r.course_id, a.q, a.n), (r.course_id, a.q))",
		6, 1 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_SURVEY_SLOT + id, &stmts[id], v, rc, err);
}

static int exec(lms_store *s, int id, const char *const *v, lms_err *err)
{
	PGresult *r;
	int rc;

	if (!(r = run(s, id, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

/* ---- parameters --------------------------------------------------------------------- */

static const char *int_array(lms_arena *a, const int *v, size_t n)
{
	char *buf = lms_arena_alloc(a, n * 12 + 3), *w = buf;
	size_t i;

	*w++ = '{';
	for (i = 0; i < n; i++)
		w += snprintf(w, 13, "%s%d", i ? "," : "", v[i]);
	*w++ = '}';
	*w = '\0';
	return buf;
}

static const char *par_roles_array(lms_arena *a, unsigned bits)
{
	const char *names[3];
	size_t n = 0;
	int r;

	for (r = 0; r < 3; r++)
		if (bits & (1u << r))
			names[n++] = lms_par_role_name((lms_par_role)r);
	return pgu_text_array(a, names, n);
}

/* ---- reading ------------------------------------------------------------------------- */

/* "A B C" → {"A","B","C"}; NULL or "" → none. */
static const char **split(lms_arena *a, const char *s, size_t *n)
{
	const char **v;
	const char *p;
	size_t k = 1, i = 0;
	char *copy;

	*n = 0;
	if (!s || !*s)
		return NULL;
	for (p = s; *p; p++)
		k += *p == ' ';
	v = lms_arena_alloc(a, k * sizeof(*v));
	copy = lms_arena_strdup(a, s);
	while (copy) {
		char *sp = strchr(copy, ' ');
		if (sp)
			*sp = '\0';
		v[i++] = copy;
		copy = sp ? sp + 1 : NULL;
	}
	*n = i;
	return v;
}

static void fill_survey(lms_arena *a, const PGresult *r, int row, lms_survey *sv)
{
	const char *st = PQgetvalue(r, row, 6);
	size_t n, i;
	const char **roles, **ids;
	int64_t *unit_ids;

	memset(sv, 0, sizeof(*sv));
	sv->id = pgu_i64(r, row, 0);
	sv->rev = pgu_i64(r, row, 1);
	sv->code = pgu_str(a, r, row, 2);
	sv->title = pgu_str(a, r, row, 3);
	sv->description = pgu_str(a, r, row, 4);
	(void)lms_sv_kind_parse(PQgetvalue(r, row, 5), &sv->kind);
	sv->status = strcmp(st, "open") == 0 ? LMS_SV_OPEN : strcmp(st, "closed") == 0 ? LMS_SV_CLOSED
	                                                                                : LMS_SV_DRAFT;
	sv->anonymous = pgu_bool(r, row, 7);
	(void)lms_sv_level_parse(PQgetvalue(r, row, 8), &sv->level);
	roles = split(a, PQgetvalue(r, row, 9), &n);
	for (i = 0; i < n; i++) {
		lms_par_role pr;
		if (lms_par_role_parse(roles[i], &pr) == 0)
			sv->par_roles |= 1u << pr;
	}
	snprintf(sv->opens_on, sizeof(sv->opens_on), "%s", PQgetvalue(r, row, 10));
	snprintf(sv->closes_on, sizeof(sv->closes_on), "%s", PQgetvalue(r, row, 11));
	sv->owner_unit_id = pgu_i64(r, row, 12);
	sv->owner_unit = pgu_str(a, r, row, 13);
	sv->owner_id = pgu_i64(r, row, 14);
	sv->owner_name = pgu_str(a, r, row, 15);
	sv->responses = pgu_i64(r, row, 16);
	sv->units = split(a, pgu_str(a, r, row, 17), &sv->n_units);
	ids = split(a, pgu_str(a, r, row, 18), &n);
	unit_ids = lms_arena_alloc(a, (n + 1) * sizeof(*unit_ids));
	for (i = 0; i < n; i++)
		unit_ids[i] = strtoll(ids[i], NULL, 10);
	sv->unit_ids = unit_ids;
	sv->courses = split(a, pgu_str(a, r, row, 19), &sv->n_courses);
}

/* LMS_ENOTFOUND with field "name[i]" when a code of v names nothing (stmt: SV_MISSING_*). */
static int check_known(lms_store *s, int stmt, const char *name, const char *const *v, size_t n,
                       lms_arena *a, lms_err *err)
{
	const char *p[1];
	PGresult *r;
	int rc;
	int64_t i;

	if (n == 0)
		return LMS_OK;
	p[0] = pgu_text_array(a, v, n);
	if (!(r = run(s, stmt, p, &rc, err)))
		return rc;
	i = PQntuples(r) ? pgu_i64(r, 0, 0) : 0;
	PQclear(r);
	if (!i)
		return LMS_OK;
	lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "%s[%lld]: no %s has the code %s", name,
	            (long long)i - 1, stmt == SV_MISSING_UNIT ? "unit" : "course", v[i - 1]);
	snprintf(err->field, sizeof(err->field), "%s[%lld]", name, (long long)i - 1);
	return LMS_ENOTFOUND;
}

/* Writes the audience, courses and questions of survey id. */
static int write_parts(lms_store *s, int64_t id, const lms_survey *sv, lms_arena *a, lms_err *err)
{
	const char *v[9];
	size_t i;
	int rc;

	v[0] = pgu_num(a, id);
	v[1] = pgu_text_array(a, sv->units, sv->n_units);
	if (sv->n_units && (rc = exec(s, SV_UNITS_SET, v, err)) < 0)
		return rc;
	v[1] = pgu_text_array(a, sv->courses, sv->n_courses);
	if (sv->n_courses && (rc = exec(s, SV_COURSES_SET, v, err)) < 0)
		return rc;
	for (i = 0; i < sv->n_questions; i++) {
		const lms_sv_question *q = &sv->questions[i];
		v[1] = pgu_num(a, q->id);
		v[2] = lms_sv_qkind_name(q->kind);
		v[3] = q->text;
		v[4] = q->required ? "true" : "false";
		v[5] = pgu_num(a, q->points);
		v[6] = pgu_text_array(a, (const char *const *)q->options, q->n_options);
		v[7] = pgu_num(a, q->max_select);
		v[8] = pgu_num(a, q->max_length);
		if ((rc = exec(s, SV_QUESTION_SET, v, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

/* The definition's columns in the order of SV_INSERT $2..$10 into v[1..9]. */
static void def_params(lms_arena *a, const lms_survey *sv, const char **v)
{
	v[1] = sv->title;
	v[2] = sv->description ? sv->description : "";
	v[3] = lms_sv_kind_name(sv->kind);
	v[4] = sv->anonymous ? "true" : "false";
	v[5] = lms_sv_level_name(sv->level);
	v[6] = par_roles_array(a, sv->par_roles);
	v[7] = sv->opens_on;
	v[8] = sv->closes_on;
	v[9] = pgu_num(a, sv->owner_unit_id);
}

int pgsv_create(lms_store *s, const lms_survey *sv, int64_t *id, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[11];
	PGresult *r = NULL;
	int64_t new_id = 0;
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		goto done;
	if ((rc = check_known(s, SV_MISSING_UNIT, "units", sv->units, sv->n_units, a, err)) < 0 ||
	    (rc = check_known(s, SV_MISSING_COURSE, "courses", sv->courses, sv->n_courses, a, err)) < 0)
		goto fail;
	v[0] = sv->code;
	def_params(a, sv, v);
	v[10] = pgu_num(a, sv->owner_id);
	if (!(r = run(s, SV_INSERT, v, &rc, err))) {
		if (rc == LMS_ECONFLICT)
			lms_err_set(err, LMS_ECONFLICT, "survey_code_taken", "code",
			            "code: a survey with the code %s exists already", sv->code);
		goto fail;
	}
	new_id = pgu_i64(r, 0, 0);
	PQclear(r);
	if ((rc = write_parts(s, new_id, sv, a, err)) < 0 || (rc = pgx_commit(s, err)) < 0)
		goto fail;
	*id = new_id;
	goto done;
fail:
	pgx_rollback(s);
done:
	lms_arena_free(a);
	return rc;
}

int pgsv_update(lms_store *s, const lms_survey *sv, int64_t expect_rev, bool structural,
                lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[11];
	PGresult *r = NULL;
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		goto done;
	v[0] = pgu_num(a, sv->id);
	if (!(r = run(s, SV_LOCK, v, &rc, err)))
		goto fail;
	if (!PQntuples(r))
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such survey");
	else if (pgu_i64(r, 0, 0) != expect_rev)
		rc = lms_err_set(err, LMS_ECONFLICT, "survey_changed", NULL,
		                 "the survey was changed meanwhile: load it again");
	else if (structural && pgu_bool(r, 0, 1))
		rc = lms_err_set(err, LMS_ECONFLICT, "survey_has_responses", "questions",
		                 "the survey has responses: its questions, audience and courses no longer "
		                 "change; copy it to make a new version");
	PQclear(r);
	if (rc < 0)
		goto fail;
	if (structural &&
	    ((rc = check_known(s, SV_MISSING_UNIT, "units", sv->units, sv->n_units, a, err)) < 0 ||
	     (rc = check_known(s, SV_MISSING_COURSE, "courses", sv->courses, sv->n_courses, a, err)) < 0))
		goto fail;
	def_params(a, sv, v);
	if ((rc = exec(s, SV_UPDATE, v, err)) < 0)
		goto fail;
	if (structural && ((rc = exec(s, SV_CLEAR_DEF, v, err)) < 0 ||
	                   (rc = write_parts(s, sv->id, sv, a, err)) < 0))
		goto fail;
	if ((rc = pgx_commit(s, err)) < 0)
		goto fail;
	goto done;
fail:
	pgx_rollback(s);
done:
	lms_arena_free(a);
	return rc;
}

int pgsv_get(lms_store *s, const char *code, lms_arena *a, lms_survey *out, lms_err *err)
{
	const char *v[1] = { code };
	lms_survey sv;
	lms_sv_question *qs;
	const char **opts = NULL;
	PGresult *r;
	int rc, i, rows;
	size_t nq = 0;

	if (!(r = run(s, SV_GET, v, &rc, err)))
		return rc;
	if (!PQntuples(r)) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "code", "no survey has the code %s",
		                   code);
	}
	fill_survey(a, r, 0, &sv);
	PQclear(r);
	v[0] = pgu_num(a, sv.id);
	if (!(r = run(s, SV_QUESTIONS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	/* one row per option (or one for a question without any) */
	qs = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*qs));
	for (i = 0; i < rows; i++) {
		int qid = (int)pgu_i64(r, i, 0);
		lms_sv_question *q;
		if (!nq || qs[nq - 1].id != qid) {
			q = &qs[nq++];
			q->id = qid;
			(void)lms_sv_qkind_parse(PQgetvalue(r, i, 1), &q->kind);
			q->text = pgu_str(a, r, i, 2);
			q->required = pgu_bool(r, i, 3);
			q->points = (int)pgu_i64(r, i, 4);
			q->max_select = (int)pgu_i64(r, i, 5);
			q->max_length = (int)pgu_i64(r, i, 6);
			q->options = opts = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(char *));
		}
		q = &qs[nq - 1];
		if (!PQgetisnull(r, i, 7))
			opts[q->n_options++] = pgu_str(a, r, i, 7);
	}
	PQclear(r);
	sv.questions = qs;
	sv.n_questions = nq;
	*out = sv;
	return LMS_OK;
}

int pgsv_set_status(lms_store *s, int64_t id, int from, int to, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[3] = { pgu_num(a, id), lms_sv_status_name((lms_sv_status)from),
	                     lms_sv_status_name((lms_sv_status)to) };
	PGresult *r = NULL;
	bool anonymous = false;
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		goto done;
	if (!(r = run(s, SV_SET_STATUS, v, &rc, err)))
		goto fail;
	if (!PQntuples(r))
		rc = lms_err_set(err, LMS_ECONFLICT, "survey_changed", NULL,
		                 "the survey is no longer %s: load it again", v[1]);
	else
		anonymous = pgu_bool(r, 0, 0);
	PQclear(r);
	if (rc < 0)
		goto fail;
	if (anonymous && to == LMS_SV_CLOSED && (rc = exec(s, SV_SHUFFLE, v, err)) < 0)
		goto fail;
	if ((rc = pgx_commit(s, err)) < 0)
		goto fail;
	goto done;
fail:
	pgx_rollback(s);
done:
	lms_arena_free(a);
	return rc;
}

int pgsv_list(lms_store *s, int64_t user_id, bool all, const lms_scope *trainer,
              const lms_scope *hr, const char *code, int limit, lms_arena *a, lms_survey **out,
              size_t *n, lms_err *err)
{
	const char *v[6] = { pgu_num(a, user_id), all ? "true" : "false", pgu_scope_roots(a, trainer),
	                     pgu_scope_roots(a, hr), code, pgu_num(a, limit) };
	lms_survey *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, SV_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		fill_survey(a, r, i, &list[i]);
		list[i].manage = pgu_bool(r, i, SV_NCOLS);
		list[i].hr_read = pgu_bool(r, i, SV_NCOLS + 1);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgsv_offers(lms_store *s, int64_t user_id, int64_t survey_id, const char *course_code,
                lms_arena *a, lms_sv_offer **out, size_t *n, lms_err *err)
{
	const char *v[3] = { pgu_num(a, user_id), course_code, pgu_num(a, survey_id) };
	lms_sv_offer *list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, SV_OFFERS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		lms_sv_offer *o = &list[i];
		lms_par_role pr = LMS_PAR_NONE;
		fill_survey(a, r, i, &o->sv);
		o->who.has_person = pgu_bool(r, i, SV_NCOLS);
		o->who.active = pgu_bool(r, i, SV_NCOLS + 1);
		o->who.is_leader = pgu_bool(r, i, SV_NCOLS + 2);
		(void)lms_par_role_parse(PQgetvalue(r, i, SV_NCOLS + 3), &pr);
		o->who.par_role = pr;
		o->who.in_units = pgu_bool(r, i, SV_NCOLS + 4);
		o->who.completed_course = pgu_str(a, r, i, SV_NCOLS + 5);
		o->course_id = pgu_i64(r, i, SV_NCOLS + 6);
		o->who.responded = pgu_bool(r, i, SV_NCOLS + 7);
		o->unit_id = pgu_i64(r, i, SV_NCOLS + 8);
	}
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgsv_respond(lms_store *s, const lms_sv_submit *in, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[10];
	PGresult *r = NULL;
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		goto done;
	v[0] = pgu_num(a, in->survey_id);
	if (!(r = run(s, SV_LOCK_SHARE, v, &rc, err)))
		goto fail;
	if (!PQntuples(r) || pgu_i64(r, 0, 0) != in->expect_rev || strcmp(PQgetvalue(r, 0, 1), "open"))
		rc = lms_err_set(err, LMS_ECONFLICT, "survey_changed", NULL,
		                 "the survey changed while you answered: load it again");
	PQclear(r);
	if (rc < 0)
		goto fail;
	/* who has responded: no time, nothing of the response */
	v[1] = pgu_num(a, in->user_id);
	if (!(r = run(s, SV_RESPONDENT, v, &rc, err)))
		goto fail;
	if (!PQntuples(r))
		rc = lms_err_set(err, LMS_ECONFLICT, "already_responded", NULL,
		                 "you have answered this survey already: one response each");
	PQclear(r);
	if (rc < 0)
		goto fail;
	/* the response: for an anonymous survey no account and no time, only the day */
	v[1] = in->anonymous ? "0" : pgu_num(a, in->user_id);
	v[2] = pgu_num(a, in->unit_id);
	v[3] = pgu_num(a, in->course_id);
	v[4] = in->day;
	v[5] = in->anonymous ? "0" : pgu_num(a, in->at_us);
	v[6] = int_array(a, in->qids, in->n_nums);
	v[7] = int_array(a, in->nums, in->n_nums);
	v[8] = int_array(a, in->text_qids, in->n_texts);
	v[9] = pgu_text_array(a, in->texts, in->n_texts);
	if ((rc = exec(s, SV_RESPONSE, v, err)) < 0 || (rc = pgx_commit(s, err)) < 0)
		goto fail;
	goto done;
fail:
	pgx_rollback(s);
done:
	lms_arena_free(a);
	return rc;
}

static void filter_params(lms_arena *a, const lms_sv_filter *f, const char **v)
{
	v[0] = pgu_num(a, f->survey_id);
	v[1] = f->scope.all ? "true" : "false";
	v[2] = pgu_scope_roots(a, &f->scope);
	v[3] = pgu_num(a, f->group_unit);
}

/* The index in groups of unit group gid (kind 'u', 'd' or 'n') or course cid, or -1. */
static int group_index(const lms_sv_results *res, bool course, int64_t id)
{
	size_t i;

	for (i = 0; i < res->n_groups; i++)
		if ((res->groups[i].kind == 'c') == course && res->groups[i].id == id)
			return (int)i;
	return -1;
}

/* The results from statements groups and counts (SV_GROUPS and SV_COUNTS, or the HR
 * report's SV_REP_GROUPS and SV_REP_COUNTS) run with v. */
static int read_results(lms_store *s, int groups, int counts, const char *const *v,
                        const lms_sv_filter *f, lms_arena *a, lms_sv_results *out, lms_err *err)
{
	lms_sv_results res;
	PGresult *r;
	int rc, i, rows;

	memset(&res, 0, sizeof(res));
	if (!(r = run(s, groups, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	res.groups = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*res.groups));
	res.all.kind = 'a';
	for (i = 0; i < rows; i++) {
		int gs = (int)pgu_i64(r, i, 0);
		lms_sv_group g;
		memset(&g, 0, sizeof(g));
		g.responses = pgu_i64(r, i, 5);
		g.population = pgu_i64(r, i, 6);
		if (gs == 3) {
			res.all.responses = g.responses;
			res.all.population = g.population;
			continue;
		}
		g.id = pgu_i64(r, i, gs == 1 ? 1 : 2);
		if (gs == 2 && g.id == 0)
			continue; /* a standalone survey: no courses */
		g.kind = gs == 2 ? 'c' : g.id == 0 ? 'n' : g.id == f->group_unit ? 'd' : 'u';
		g.code = pgu_str(a, r, i, 3);
		g.name = pgu_str(a, r, i, 4);
		res.groups[res.n_groups++] = g;
	}
	PQclear(r);
	if (!(r = run(s, counts, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	res.counts = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*res.counts));
	for (i = 0; i < rows; i++) {
		int gs = (int)pgu_i64(r, i, 0);
		lms_sv_count c;
		c.qid = (int)pgu_i64(r, i, 3);
		c.num = (gs & 1) ? LMS_SV_ANSWERED : (int)pgu_i64(r, i, 4);
		c.n = pgu_i64(r, i, (gs & 1) ? 6 : 5);
		if ((gs & 6) == 6)
			c.group = -1;
		else if (!(gs & 4))
			c.group = group_index(&res, false, pgu_i64(r, i, 1));
		else
			c.group = group_index(&res, true, pgu_i64(r, i, 2));
		if (c.group == -1 && (gs & 6) != 6)
			continue; /* a group the first statement did not list: never */
		res.counts[res.n_counts++] = c;
	}
	PQclear(r);
	*out = res;
	return LMS_OK;
}

int pgsv_results(lms_store *s, const lms_sv_filter *f, lms_arena *a, lms_sv_results *out,
                 lms_err *err)
{
	const char *v[4];

	filter_params(a, f, v);
	return read_results(s, SV_GROUPS, SV_COUNTS, v, f, a, out, err);
}

int pgsv_texts(lms_store *s, const lms_sv_filter *f, int qid, int limit, int offset,
               lms_arena *a, lms_sv_text **out, size_t *n, int64_t *total, lms_err *err)
{
	const char *v[7];
	lms_sv_text *list;
	PGresult *r;
	int rc, i, rows;

	filter_params(a, f, v);
	v[4] = pgu_num(a, qid);
	v[5] = pgu_num(a, limit);
	v[6] = pgu_num(a, offset);
	if (!(r = run(s, SV_TEXTS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++) {
		list[i].text = pgu_str(a, r, i, 0);
		list[i].unit_code = pgu_str(a, r, i, 1);
		list[i].unit_name = pgu_str(a, r, i, 2);
		list[i].unit_responses = pgu_i64(r, i, 3);
		list[i].respondent = pgu_str(a, r, i, 4);
		list[i].day = pgu_str(a, r, i, 5);
	}
	*total = rows ? pgu_i64(r, 0, 6) : 0;
	PQclear(r);
	*out = list;
	*n = (size_t)rows;
	return LMS_OK;
}

/* ---- the HR report's survey section (reports.h, lms_report_ops) ---- */

int pgsv_report_list(lms_store *s, const lms_rep_query *q, int limit, lms_arena *a,
                     const char ***codes, size_t *n, lms_err *err)
{
	const char *v[5] = { pgu_num(a, q->unit_id), q->period.from, q->period.to,
	                     pgu_num(a, q->course_id), pgu_num(a, limit) };
	const char **list;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, SV_REP_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	list = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*list));
	for (i = 0; i < rows; i++)
		list[i] = pgu_str(a, r, i, 0);
	PQclear(r);
	*codes = list;
	*n = (size_t)rows;
	return LMS_OK;
}

int pgsv_report_results(lms_store *s, const lms_sv_filter *f, const lms_period *p, lms_arena *a,
                        lms_sv_results *out, lms_err *err)
{
	const char *v[6];

	filter_params(a, f, v);
	v[4] = p->from;
	v[5] = p->to;
	return read_results(s, SV_REP_GROUPS, SV_REP_COUNTS, v, f, a, out, err);
}
