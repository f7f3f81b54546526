/* store_pg_assign.c — assignment rules (assign.h, 0018_assignment.sql): making one and
 * applying it in one transaction (rolled back for a dry run), listing, ending, and applying
 * every rule in force, set-based: one statement enrols a whole subtree. */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/assign.h"

#include <stdio.h>
#include <string.h>

enum { G_COURSE, G_UNIT, G_IN_SCOPE, G_INSERT, G_MATCHED, G_APPLY, G_LIST, G_END, G_END_WHY,
       G_POSITIONS, G__COUNT };
_Static_assert(PGX_ASSIGN_SLOT + G__COUNT <= PGX_ASSIGN_SLOT_END, "assignments have 16 slots");
_Static_assert(PGX_ASSIGN_SLOT_END + PGX_SLOT_BASE <= PGX_SLOTS, "slots");

#define ISO(c) "to_char(" c " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define CITY_DAY(us) "(to_timestamp(" us "::bigint / 1e6) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"

/* unit (an expression) is within the scope of $all (boolean) and $roots (bigint[]) */
#define IN_SCOPE(unit, all, roots)                                                          \
	"(" all "::boolean OR EXISTS (WITH RECURSIVE up AS (SELECT id, parent_id FROM org_unit " \
	"WHERE id = " unit " UNION SELECT o.id, o.parent_id FROM org_unit o "                  \
	"JOIN up ON o.id = up.parent_id) SELECT 1 FROM up WHERE up.id = ANY(" roots "::bigint[])))"

/* The people each rule of r selects: rule_id, person, course, due date (for due_days: that
 * many days after the day $2 in the city). Active people of the subtree only. */
#define SELECTED                                                                            \
	"sub AS (SELECT id AS rule_id, unit_id FROM r UNION "                                   \
	" SELECT sub.rule_id, o.id FROM org_unit o JOIN sub ON o.parent_id = sub.unit_id), "    \
	"sel AS (SELECT r.id AS rule_id, r.course_id, p.id AS person_id, "                      \
	" coalesce(r.due_on, " CITY_DAY("$2") " + r.due_days) AS due "                          \
	" FROM r JOIN sub ON sub.rule_id = r.id JOIN person p ON p.unit_id = sub.unit_id "      \
	" WHERE p.active AND (r.position IS NULL OR p.position = r.position) "                  \
	" AND (r.audience = 'all' OR p.is_leader = (r.audience = 'leader')) "                   \
	" AND (r.par_role IS NULL OR p.par_role = r.par_role "                                  \
	"      OR (r.par_role = 'par' AND p.par_role <> 'none'))) "

#define RULES_IN_FORCE                                                                      \
	"WITH RECURSIVE r AS (SELECT id, course_id, unit_id, position, audience, par_role, "    \
	" due_on, due_days FROM assignment_rule WHERE ended_at IS NULL "                        \
	" AND ($1::bigint = 0 OR id = $1::bigint)), "

static const pgx_stmt stmts[G__COUNT] = {
	[G_COURSE] = { "SELECT id FROM course WHERE code = $1", 1, 1 },
	[G_UNIT] = { "SELECT id FROM org_unit WHERE code = $1", 1, 1 },
	/* $1 unit, $2 every unit, $3 roots */
	[G_IN_SCOPE] = { "SELECT " IN_SCOPE("$1::bigint", "$2", "$3"), 3, 1 },
	/* $1 course, $2 unit, $3 position, $4 audience, $5 PAR role, $6 due on, $7 due days,
	 * $8 note, $9 by, $10 at (µs) */
	[G_INSERT] = { "INSERT INTO assignment_rule (course_id, unit_id, position, audience, par_role, "
	               "due_on, due_days, note, created_by, created_at) VALUES ($1::bigint, $2::bigint, "
	               "$3, $4, $5, $6::date, $7::int, $8, $9, to_timestamp($10::bigint / 1e6)) "
	               "RETURNING id", 10, 0 },
	/* $1 rule, $2 now (µs): the people it selects, and how many have no active account */
	[G_MATCHED] = { RULES_IN_FORCE SELECTED
	                "SELECT count(DISTINCT sel.person_id), count(DISTINCT sel.person_id) FILTER "
	                "(WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = sel.person_id "
	                "AND u.active)) FROM sel", 2, 1 },
	/* $1 rule (0: every rule in force), $2 now (µs): enrolments made, self-enrolments
	 * converted. One person and course taken once, by the oldest rule; a deadline assigned
	 * already is never moved; a completed enrolment is never touched. Safe on several nodes:
	 * a concurrent insert loses on the unique key, a concurrent update re-checks 'self'. */
	[G_APPLY] = {
		RULES_IN_FORCE SELECTED ", "
		"m AS (SELECT DISTINCT ON (u.id, sel.course_id) sel.rule_id, sel.course_id, u.id AS user_id, "
		" sel.due FROM sel JOIN app_user u ON u.person_id = sel.person_id AND u.active "
		" ORDER BY u.id, sel.course_id, sel.rule_id), "
		"v AS (SELECT DISTINCT ON (course_id) id, course_id FROM course_version "
		" WHERE course_id IN (SELECT course_id FROM r) ORDER BY course_id, version_no DESC), "
		"ins AS (INSERT INTO enrolment (user_id, course_id, version_id, source, assigned_by, "
		" due_at, enrolled_at, rule_id) SELECT m.user_id, m.course_id, v.id, 'assigned', "
		" 'rule:' || m.rule_id, m.due, to_timestamp($2::bigint / 1e6), m.rule_id "
		" FROM m JOIN v ON v.course_id = m.course_id "
		" ON CONFLICT (user_id, course_id) DO NOTHING RETURNING 1), "
		"upd AS (UPDATE enrolment e SET source = 'assigned', assigned_by = 'rule:' || m.rule_id, "
		" due_at = m.due, rule_id = m.rule_id FROM m WHERE e.user_id = m.user_id "
		" AND e.course_id = m.course_id AND e.source = 'self' AND e.completed_at IS NULL "
		" RETURNING 1) "
		"SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM upd)", 2, 0 },
	/* $1 every unit, $2 roots, $3 with ended, $4 within unit (0: any), $5 limit, $6 offset.
	 * One row even past the last page: the total, then a rule's columns or NULLs. */
	[G_LIST] = {
		"WITH ok AS (SELECT ar.id FROM assignment_rule ar WHERE ($3::boolean OR ar.ended_at IS NULL) "
		" AND " IN_SCOPE("ar.unit_id", "$1", "$2") " AND ($4::bigint = 0 OR "
		IN_SCOPE("ar.unit_id", "false", "ARRAY[$4::bigint]") ")) "
		"SELECT t.total, x.* FROM (SELECT count(*) AS total FROM ok) t LEFT JOIN LATERAL ("
		" SELECT ar.id, c.code, c.title, u.code AS unit_code, u.name, ar.position, ar.audience, "
		" ar.par_role, to_char(ar.due_on, 'YYYY-MM-DD'), coalesce(ar.due_days, 0), ar.note, "
		" ar.created_by, " ISO("ar.created_at") ", ar.ended_by, " ISO("ar.ended_at") ", "
		" (SELECT count(*) FROM enrolment e WHERE e.rule_id = ar.id), "
		" (SELECT count(*) FROM enrolment e WHERE e.rule_id = ar.id AND e.completed_at IS NOT NULL), "
		" (SELECT count(*) FROM enrolment e WHERE e.rule_id = ar.id AND e.completed_at IS NULL "
		"  AND e.due_at < (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) "
		" FROM assignment_rule ar JOIN ok ON ok.id = ar.id JOIN course c ON c.id = ar.course_id "
		" JOIN org_unit u ON u.id = ar.unit_id ORDER BY ar.id DESC LIMIT $5::int OFFSET $6::int"
		") x ON true", 6, 1 },
	/* $1 rule, $2 every unit, $3 roots, $4 by, $5 at (µs) */
	[G_END] = { "UPDATE assignment_rule ar SET ended_by = $4, ended_at = to_timestamp($5::bigint / 1e6) "
	            "WHERE ar.id = $1::bigint AND ar.ended_at IS NULL AND "
	            IN_SCOPE("ar.unit_id", "$2", "$3") " RETURNING 1", 5, 0 },
	[G_END_WHY] = { "SELECT ar.ended_at IS NOT NULL FROM assignment_rule ar WHERE ar.id = $1::bigint "
	                "AND " IN_SCOPE("ar.unit_id", "$2", "$3"), 3, 1 },
	/* $1 every unit, $2 roots: the positions active people of the scope hold */
	[G_POSITIONS] = { "WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE $1::boolean "
	                  "OR id = ANY($2::bigint[]) UNION SELECT o.id FROM org_unit o "
	                  "JOIN sub ON o.parent_id = sub.id) "
	                  "SELECT p.position FROM person p JOIN sub ON sub.id = p.unit_id "
	                  "WHERE p.active AND p.position <> '' GROUP BY p.position "
	                  "ORDER BY p.position COLLATE \"vi-VN-x-icu\" LIMIT 500", 2, 1 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_ASSIGN_SLOT + id, &stmts[id], v, rc, err);
}

/* The id of a code through a one-column statement; LMS_ENOTFOUND (code, field) when none. */
static int find_id(lms_store *s, int st, const char *code, const char *err_code,
                   const char *field, int64_t *id, lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(s, st, v, &rc, err)))
		return rc;
	*id = PQntuples(r) ? pgu_i64(r, 0, 0) : 0;
	PQclear(r);
	if (!*id)
		return lms_err_set(err, LMS_ENOTFOUND, err_code, field, "%s: no %s with code %s", field,
		                   field, code);
	return LMS_OK;
}

static int apply(lms_store *s, int64_t rule, int64_t now_us, lms_arena *a,
                 lms_assign_counts *out, lms_err *err)
{
	const char *v[2] = { pgu_num(a, rule), pgu_num(a, now_us) };
	PGresult *r;
	int rc;

	if (!(r = run(s, G_APPLY, v, &rc, err)))
		return rc;
	out->enrolled += pgu_i64(r, 0, 0);
	out->converted += pgu_i64(r, 0, 1);
	PQclear(r);
	return LMS_OK;
}

static int op_create(lms_store *s, const lms_assign_in *in, const lms_scope *scope,
                     const char *actor, int64_t now_us, bool dry_run, int64_t *id,
                     lms_assign_counts *out, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	int64_t course = 0, unit = 0;
	const char *v[10];
	PGresult *r = NULL;
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		goto out;
	if ((rc = find_id(s, G_COURSE, in->course_code, "course_not_found", "course", &course, err)) < 0 ||
	    (rc = find_id(s, G_UNIT, in->unit_code, "unit_not_found", "unit", &unit, err)) < 0)
		goto rollback;
	v[0] = pgu_num(a, unit);
	v[1] = scope->all ? "true" : "false";
	v[2] = pgu_scope_roots(a, scope);
	if (!(r = run(s, G_IN_SCOPE, v, &rc, err)))
		goto rollback;
	if (!pgu_bool(r, 0, 0)) {
		rc = lms_err_set(err, LMS_EFORBIDDEN, "forbidden", "unit",
		                 "unit %s is outside the units you may assign to", in->unit_code);
		goto rollback;
	}
	PQclear(r);
	v[0] = pgu_num(a, course);
	v[1] = pgu_num(a, unit);
	v[2] = in->position;
	v[3] = in->audience ? in->audience : "all";
	v[4] = in->par_role;
	v[5] = in->due_on;
	v[6] = in->due_days ? pgu_num(a, in->due_days) : NULL;
	v[7] = in->note ? in->note : "";
	v[8] = actor;
	v[9] = pgu_num(a, now_us);
	if (!(r = run(s, G_INSERT, v, &rc, err)))
		goto rollback;
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	v[0] = pgu_num(a, *id);
	v[1] = pgu_num(a, now_us);
	if (!(r = run(s, G_MATCHED, v, &rc, err)))
		goto rollback;
	out->matched = pgu_i64(r, 0, 0);
	out->no_account = pgu_i64(r, 0, 1);
	PQclear(r);
	r = NULL;
	if ((rc = apply(s, *id, now_us, a, out, err)) < 0)
		goto rollback;
	out->untouched = out->matched - out->no_account - out->enrolled - out->converted;
	if (out->untouched < 0)
		out->untouched = 0;
	if (dry_run) {
		pgx_rollback(s);
		*id = 0;
		goto out;
	}
	rc = pgx_commit(s, err);
	goto out;
rollback:
	PQclear(r);
	pgx_rollback(s);
	*id = 0;
out:
	lms_arena_free(a);
	return rc;
}

static int op_list(lms_store *s, const lms_scope *scope, const char *unit_code, bool with_ended,
                   int limit, int offset, lms_arena *a, lms_assign_rule **out, size_t *n,
                   int64_t *total, lms_err *err)
{
	int64_t unit = 0;
	const char *v[6];
	PGresult *r;
	int rc, i, rows;

	*n = 0;
	*total = 0;
	if (unit_code && (rc = find_id(s, G_UNIT, unit_code, "unit_not_found", "unit", &unit, err)) < 0)
		return rc;
	v[0] = scope->all ? "true" : "false";
	v[1] = pgu_scope_roots(a, scope);
	v[2] = with_ended ? "true" : "false";
	v[3] = pgu_num(a, unit);
	v[4] = pgu_num(a, limit);
	v[5] = pgu_num(a, offset);
	if (!(r = run(s, G_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(lms_assign_rule));
	for (i = 0; i < rows; i++) {
		lms_assign_rule *g = &(*out)[*n];
		*total = pgu_i64(r, i, 0);
		if (PQgetisnull(r, i, 1))
			continue;
		memset(g, 0, sizeof(*g));
		g->id = pgu_i64(r, i, 1);
		g->course_code = pgu_str(a, r, i, 2);
		g->course_title = pgu_str(a, r, i, 3);
		g->unit_code = pgu_str(a, r, i, 4);
		g->unit_name = pgu_str(a, r, i, 5);
		g->position = pgu_str(a, r, i, 6);
		g->audience = pgu_str(a, r, i, 7);
		g->par_role = pgu_str(a, r, i, 8);
		g->due_on = pgu_str(a, r, i, 9);
		g->due_days = (int)pgu_i64(r, i, 10);
		g->note = pgu_str(a, r, i, 11);
		g->created_by = pgu_str(a, r, i, 12);
		g->created_at = pgu_str(a, r, i, 13);
		g->ended_by = pgu_str(a, r, i, 14);
		g->ended_at = pgu_str(a, r, i, 15);
		g->enrolments = pgu_i64(r, i, 16);
		g->completed = pgu_i64(r, i, 17);
		g->overdue = pgu_i64(r, i, 18);
		(*n)++;
	}
	PQclear(r);
	return LMS_OK;
}

static int op_end(lms_store *s, int64_t id, const lms_scope *scope, const char *actor,
                  int64_t now_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[5] = { pgu_num(a, id), scope->all ? "true" : "false", pgu_scope_roots(a, scope), actor,
	                     pgu_num(a, now_us) };
	PGresult *r;
	int rc = LMS_OK;

	if (!(r = run(s, G_END, v, &rc, err)))
		goto out;
	if (PQntuples(r) == 1)
		goto out;
	PQclear(r);
	if (!(r = run(s, G_END_WHY, v, &rc, err)))
		goto out;
	if (PQntuples(r) == 0)
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "id", "no assignment rule %lld",
		                 (long long)id);
	else
		rc = lms_err_set(err, LMS_ECONFLICT, "rule_ended", "id",
		                 "assignment rule %lld was ended already", (long long)id);
out:
	PQclear(r);
	lms_arena_free(a);
	return rc;
}

static int op_apply(lms_store *s, int64_t now_us, lms_assign_counts *out, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	int rc;

	memset(out, 0, sizeof(*out));
	rc = apply(s, 0, now_us, a, out, err);
	lms_arena_free(a);
	return rc;
}

static int op_positions(lms_store *s, const lms_scope *scope, lms_arena *a, const char ***out,
                        size_t *n, lms_err *err)
{
	const char *v[2] = { scope->all ? "true" : "false", pgu_scope_roots(a, scope) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, G_POSITIONS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(char *));
	for (i = 0; i < rows; i++)
		(*out)[i] = pgu_str(a, r, i, 0);
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

const lms_assign_ops pgasg_ops = {
	.positions = op_positions,
	.create = op_create,
	.list = op_list,
	.end = op_end,
	.apply = op_apply,
};
