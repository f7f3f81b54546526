/* store_pg_roster.c — the roster import's storage (lms/roster.h, store.h roster_*): one
 * transaction that takes the import lock, loads every unit, position and person, writes the
 * plan with set-based statements over arrays (unnest), and records the import.
 *
 * People's history periods begin on each row's valid_from: the person_history trigger reads
 * the transaction's parlearn.effective_date, so the plan's people (sorted by valid_from) are
 * written one date at a time, each group after setting the date. */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/jsonw.h"
#include "lms/roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TS_TEXT(c) "to_char(" c " AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"')"

enum {
	R_LOCK, R_UNITS, R_POSITIONS, R_PEOPLE, R_LAST, R_UNIT_UPSERT, R_UNIT_PARENT,
	R_UNIT_SUCC, R_POS_UPSERT, R_SET_DATE, R_PERSON_UPSERT, R_DEACTIVATE, R_RECORD,
	R_DELIVERY, R__COUNT
};
_Static_assert(PGX_ROSTER_SLOT + R__COUNT <= PGX_XAPI_SLOT, "too many roster statements");

static const pgx_stmt stmts[R__COUNT] = {
	/* One import at a time, city-wide: two imports of overlapping scopes would each
	 * deactivate what the other adds. */
	[R_LOCK] = { "SELECT pg_advisory_xact_lock(7270001)", 0, 0 },
	[R_UNITS] = { "SELECT u.code, u.name, u.kind, p.code, u.valid_from::text, u.valid_to::text, "
	              "(SELECT string_agg(s.code, ' ' ORDER BY s.code) FROM unit_successor us "
	              "JOIN org_unit s ON s.id = us.successor_id WHERE us.unit_id = u.id) "
	              "FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id", 0, 0 },
	[R_POSITIONS] = { "SELECT code, name FROM job_position", 0, 0 },
	[R_PEOPLE] = { "WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE $1::text IS NULL "
	               "OR code = $1 UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id) "
	               "SELECT p.employee_code, p.pin, p.full_name, u.code, p.position, jp.code, "
	               "p.email, h.valid_from::text, p.is_leader, p.active, p.par_role, "
	               "p.unit_id IN (SELECT id FROM sub) "
	               "FROM person p JOIN org_unit u ON u.id = p.unit_id "
	               "LEFT JOIN job_position jp ON jp.id = p.position_id "
	               "LEFT JOIN person_history h ON h.person_id = p.id AND h.valid_to IS NULL", 1, 0 },
	[R_LAST] = { "SELECT " TS_TEXT("generated_at") ", (extract(epoch FROM generated_at) * 1000000)::bigint "
	             "FROM roster_import WHERE source = $1 AND outcome = 'applied' "
	             "ORDER BY generated_at DESC LIMIT 1", 1, 0 },
	[R_UNIT_UPSERT] = { "INSERT INTO org_unit (code, name, kind, valid_from, valid_to) "
	                    "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[]) "
	                    "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, "
	                    "valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to", 5, 0 },
	[R_UNIT_PARENT] = { "UPDATE org_unit u SET parent_id = p.id "
	                    "FROM unnest($1::text[], $2::text[]) AS x(code, parent) "
	                    "LEFT JOIN org_unit p ON p.code = x.parent "
	                    "WHERE u.code = x.code AND u.parent_id IS DISTINCT FROM p.id", 2, 0 },
	[R_UNIT_SUCC] = { "INSERT INTO unit_successor (unit_id, successor_id) SELECT a.id, b.id "
	                  "FROM unnest($1::text[], $2::text[]) AS x(code, succ) "
	                  "JOIN org_unit a ON a.code = x.code JOIN org_unit b ON b.code = x.succ "
	                  "ON CONFLICT DO NOTHING", 2, 0 },
	[R_POS_UPSERT] = { "INSERT INTO job_position (code, name) SELECT * FROM unnest($1::text[], $2::text[]) "
	                   "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, updated_at = now()", 2, 0 },
	[R_SET_DATE] = { "SELECT set_config('parlearn.effective_date', $1, true)", 1, 0 },
	/* A person who keeps a position of the table keeps the position text they had (a
	 * renamed position does not rewrite history). */
	[R_PERSON_UPSERT] = {
		"INSERT INTO person AS t (employee_code, pin, full_name, unit_id, position, position_id, "
		"is_leader, par_role, active, email) "
		"SELECT x.code, x.pin, x.name, u.id, coalesce(jp.name, x.pos), jp.id, x.leader, x.role, "
		"x.active, x.email FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
		"$6::text[], $7::boolean[], $8::text[], $9::boolean[], $10::text[]) "
		"AS x(code, pin, name, unit, pos_code, pos, leader, role, active, email) "
		"JOIN org_unit u ON u.code = x.unit LEFT JOIN job_position jp ON jp.code = x.pos_code "
		"ON CONFLICT (employee_code) DO UPDATE SET pin = EXCLUDED.pin, full_name = EXCLUDED.full_name, "
		"unit_id = EXCLUDED.unit_id, position = CASE WHEN EXCLUDED.position_id IS NOT NULL AND "
		"t.position_id IS NOT DISTINCT FROM EXCLUDED.position_id THEN t.position ELSE EXCLUDED.position END, "
		"position_id = EXCLUDED.position_id, is_leader = EXCLUDED.is_leader, "
		"par_role = EXCLUDED.par_role, active = EXCLUDED.active, email = EXCLUDED.email, "
		"updated_at = now()", 10, 0 },
	[R_DEACTIVATE] = { "UPDATE person SET active = false WHERE employee_code = ANY($1::text[]) AND active", 1, 0 },
	[R_RECORD] = { "INSERT INTO roster_import (source, generated_at, scope_unit_code, actor, "
	               "file_sha256, outcome, forced, counts, rejected) "
	               "VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7::boolean, $8::jsonb, $9::integer) "
	               "RETURNING id", 9, 0 },
	[R_DELIVERY] = { "INSERT INTO roster_delivery (webhook_id) VALUES ($1) ON CONFLICT DO NOTHING "
	                 "RETURNING 1", 1, 0 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_ROSTER_SLOT + id, &stmts[id], v, rc, err);
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

/* "A B C" → {"A","B","C"} */
static const char **split_codes(lms_arena *a, const char *s, size_t *n)
{
	const char **v;
	size_t k = 1, i = 0;
	const char *p;
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

static int load(lms_store *s, const char *source, const char *scope, lms_arena *a,
                lms_roster_current *out, lms_err *err)
{
	const char *v[1];
	PGresult *r = NULL;
	int rc, i, n;

	if (!(r = run(s, R_UNITS, NULL, &rc, err)))
		return rc;
	n = PQntuples(r);
	out->units = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*out->units));
	for (i = 0; i < n; i++) {
		lms_roster_cur_unit *u = &out->units[i];

		u->code = pgu_str(a, r, i, 0);
		u->name = pgu_str(a, r, i, 1);
		u->kind = pgu_str(a, r, i, 2);
		u->parent_code = pgu_str(a, r, i, 3);
		u->valid_from = pgu_str(a, r, i, 4);
		u->valid_to = pgu_str(a, r, i, 5);
		u->successors = split_codes(a, PQgetisnull(r, i, 6) ? NULL : PQgetvalue(r, i, 6),
		                            &u->n_successors);
	}
	out->n_units = (size_t)n;
	PQclear(r);

	if (!(r = run(s, R_POSITIONS, NULL, &rc, err)))
		return rc;
	n = PQntuples(r);
	out->positions = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*out->positions));
	for (i = 0; i < n; i++) {
		out->positions[i].code = pgu_str(a, r, i, 0);
		out->positions[i].name = pgu_str(a, r, i, 1);
	}
	out->n_positions = (size_t)n;
	PQclear(r);

	v[0] = scope;
	if (!(r = run(s, R_PEOPLE, v, &rc, err)))
		return rc;
	n = PQntuples(r);
	out->people = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*out->people));
	for (i = 0; i < n; i++) {
		lms_roster_cur_person *p = &out->people[i];

		p->employee_code = pgu_str(a, r, i, 0);
		p->pin = pgu_str(a, r, i, 1);
		p->full_name = pgu_str(a, r, i, 2);
		p->unit_code = pgu_str(a, r, i, 3);
		p->position = pgu_str(a, r, i, 4);
		p->position_code = pgu_str(a, r, i, 5);
		p->email = pgu_str(a, r, i, 6);
		p->period_from = pgu_str(a, r, i, 7);
		p->is_leader = pgu_bool(r, i, 8);
		p->active = pgu_bool(r, i, 9);
		if (lms_par_role_parse(PQgetvalue(r, i, 10), &p->par_role) < 0)
			p->par_role = LMS_PAR_NONE;
		p->in_scope = pgu_bool(r, i, 11);
	}
	out->n_people = (size_t)n;
	PQclear(r);

	v[0] = source;
	if (!(r = run(s, R_LAST, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 1) {
		out->last_generated_at = pgu_str(a, r, 0, 0);
		out->last_generated_us = pgu_i64(r, 0, 1);
	}
	PQclear(r);
	return LMS_OK;
}

int pgr_begin(lms_store *s, const char *source, const char *scope_code, lms_arena *a,
              lms_roster_current *out, lms_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pgx_begin(s, err)) < 0)
		return rc;
	if ((rc = exec(s, R_LOCK, NULL, err)) < 0 ||
	    (rc = load(s, source, scope_code, a, out, err)) < 0) {
		pgx_rollback(s);
		return rc;
	}
	return LMS_OK;
}

static int write_units(lms_store *s, const lms_roster_plan *plan, lms_arena *a, lms_err *err)
{
	size_t n = plan->n_units, i, j, ns = 0;
	const char **code = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **name = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **kind = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **from = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **to = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **parent = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **scode, **succ;
	const char *v[5];
	int rc;

	if (!n)
		return LMS_OK;
	for (i = 0; i < n; i++)
		ns += plan->units[i]->n_successors;
	scode = lms_arena_alloc(a, (ns + 1) * sizeof(char *));
	succ = lms_arena_alloc(a, (ns + 1) * sizeof(char *));
	ns = 0;
	for (i = 0; i < n; i++) {
		const lms_roster_unit *u = plan->units[i];

		code[i] = u->code;
		name[i] = u->name;
		kind[i] = u->kind;
		from[i] = u->valid_from;
		to[i] = u->valid_to;
		parent[i] = u->parent_code;
		for (j = 0; j < u->n_successors; j++) {
			scode[ns] = u->code;
			succ[ns++] = u->successors[j];
		}
	}
	v[0] = pgu_text_array(a, code, n);
	v[1] = pgu_text_array(a, name, n);
	v[2] = pgu_text_array(a, kind, n);
	v[3] = pgu_text_array(a, from, n);
	v[4] = pgu_text_array(a, to, n);
	if ((rc = exec(s, R_UNIT_UPSERT, v, err)) < 0)
		return rc;
	v[1] = pgu_text_array(a, parent, n);
	if ((rc = exec(s, R_UNIT_PARENT, v, err)) < 0)
		return rc;
	if (!ns)
		return LMS_OK;
	v[0] = pgu_text_array(a, scode, ns);
	v[1] = pgu_text_array(a, succ, ns);
	return exec(s, R_UNIT_SUCC, v, err);
}

static int write_positions(lms_store *s, const lms_roster_plan *plan, lms_arena *a, lms_err *err)
{
	size_t n = plan->n_positions, i;
	const char **code = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **name = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char *v[2];

	if (!n)
		return LMS_OK;
	for (i = 0; i < n; i++) {
		code[i] = plan->positions[i]->code;
		name[i] = plan->positions[i]->name;
	}
	v[0] = pgu_text_array(a, code, n);
	v[1] = pgu_text_array(a, name, n);
	return exec(s, R_POS_UPSERT, v, err);
}

/* People [from, to) of the plan, all with one valid_from. */
static int write_people(lms_store *s, const lms_roster_plan *plan, size_t from, size_t to,
                        lms_arena *a, lms_err *err)
{
	size_t n = to - from, i;
	const char **col[10];
	const char *v[10], *date[1];
	int rc, c;

	for (c = 0; c < 10; c++)
		col[c] = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	for (i = 0; i < n; i++) {
		const lms_roster_person *p = plan->people[from + i];

		col[0][i] = p->employee_code;
		col[1][i] = p->pin;
		col[2][i] = p->full_name;
		col[3][i] = p->unit_code;
		col[4][i] = p->position_code;
		col[5][i] = p->position;
		col[6][i] = p->is_leader ? "t" : "f";
		col[7][i] = lms_par_role_name(p->par_role);
		col[8][i] = p->active ? "t" : "f";
		col[9][i] = p->email;
	}
	for (c = 0; c < 10; c++)
		v[c] = pgu_text_array(a, col[c], n);
	date[0] = plan->people[from]->valid_from;
	if ((rc = exec(s, R_SET_DATE, date, err)) < 0)
		return rc;
	return exec(s, R_PERSON_UPSERT, v, err);
}

int pgr_apply(lms_store *s, const lms_roster_plan *plan, lms_arena *a, lms_err *err)
{
	size_t i, start = 0;
	const char *v[1];
	int rc;

	if ((rc = write_units(s, plan, a, err)) < 0 || (rc = write_positions(s, plan, a, err)) < 0)
		return rc;
	for (i = 1; i <= plan->n_people; i++) {
		if (i < plan->n_people &&
		    strcmp(plan->people[i]->valid_from, plan->people[start]->valid_from) == 0)
			continue;
		if ((rc = write_people(s, plan, start, i, a, err)) < 0)
			return rc;
		start = i;
	}
	if (!plan->n_deactivate)
		return LMS_OK;
	v[0] = plan->today;
	if ((rc = exec(s, R_SET_DATE, v, err)) < 0)
		return rc;
	v[0] = pgu_text_array(a, plan->deactivate, plan->n_deactivate);
	return exec(s, R_DEACTIVATE, v, err);
}

static const char *counts_json(const lms_roster_result *r, lms_arena *a)
{
	lms_jsonw w;
	int i;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "{");
	for (i = 0; i < LMS_RC__COUNT; i++) {
		lms_jsonw_raw(&w, i ? ",\"" : "\"");
		lms_jsonw_raw(&w, lms_roster_change_name((lms_roster_change_kind)i));
		lms_jsonw_raw(&w, "\":");
		lms_jsonw_i64(&w, (int64_t)r->counts[i]);
	}
	lms_jsonw_raw(&w, ",\"person_unchanged\":");
	lms_jsonw_i64(&w, (int64_t)r->unchanged);
	lms_jsonw_raw(&w, "}");
	return lms_jsonw_text(&w);
}

int pgr_end(lms_store *s, bool commit, const lms_roster *in, const lms_roster_opts *opts,
            const lms_roster_result *r, int64_t *import_id, lms_err *err)
{
	lms_arena *a;
	const char *v[9];
	PGresult *res;
	int rc;

	if (!commit)
		pgx_rollback(s);
	if (!in)
		return LMS_OK;
	if (!(a = lms_arena_new()))
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	v[0] = in->source;
	v[1] = in->generated_at;
	v[2] = in->scope_unit_code;
	v[3] = opts->actor ? opts->actor : "unknown";
	v[4] = opts->file_sha256;
	v[5] = lms_roster_outcome_name(r->outcome);
	v[6] = opts->force ? "t" : "f";
	v[7] = counts_json(r, a);
	v[8] = pgu_num(a, (int64_t)r->rejects_total);
	res = run(s, R_RECORD, v, &rc, err);
	if (res) {
		*import_id = pgu_i64(res, 0, 0);
		PQclear(res);
		rc = commit ? pgx_commit(s, err) : LMS_OK;
	} else if (commit) {
		pgx_rollback(s);
	}
	lms_arena_free(a);
	return rc;
}

int pgr_delivery_claim(lms_store *s, const char *webhook_id, bool *fresh, lms_err *err)
{
	const char *v[1] = { webhook_id };
	PGresult *r;
	int rc;

	if (!(r = run(s, R_DELIVERY, v, &rc, err)))
		return rc;
	*fresh = PQntuples(r) == 1;
	PQclear(r);
	return LMS_OK;
}
