/* roster.c — the roster import's rules: every row checked against the file and what parlearn
 * holds, the changes planned (added, changed, moved, deactivated, reactivated), the
 * deactivation guard, and the import run in one store transaction (roster.h;
 * docs/personnel-sync.md, "Import rules"). Pure except lms_roster_import, which goes through
 * the store interface. Lookups are binary searches over sorted indexes: a city roster has
 * 150,000 people and every row is looked up a few times. */
#include "lms/roster.h"

#include "lms/jsonw.h"
#include "lms/store.h"
#include "lms/validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const change_names[LMS_RC__COUNT] = {
	"unit_added", "unit_changed", "position_added", "position_changed", "person_added",
	"person_changed", "person_moved", "person_deactivated", "person_reactivated",
};

const char *lms_roster_change_name(lms_roster_change_kind k)
{
	return (unsigned)k < LMS_RC__COUNT ? change_names[k] : "?";
}

const char *lms_roster_outcome_name(lms_roster_outcome o)
{
	switch (o) {
	case LMS_ROSTER_APPLIED: return "applied";
	case LMS_ROSTER_DRY_RUN: return "dry_run";
	case LMS_ROSTER_REJECTED: return "rejected";
	case LMS_ROSTER_GUARDED: return "deactivation_guard";
	case LMS_ROSTER_STALE: return "stale";
	}
	return "?";
}

/* ---- growing lists in the arena ---- */

static void *grow(lms_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return old;
	*cap = *cap ? *cap * 2 : 16;
	p = lms_arena_alloc(a, *cap * size);
	if (old && n)
		memcpy(p, old, n * size);
	return p;
}

static char *vfmt(lms_arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static char *vfmt(lms_arena *a, const char *fmt, va_list ap)
{
	char tmp[512];

	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	return lms_arena_strdup(a, tmp);
}

static void problem_add(lms_arena *a, lms_roster_problem **list, size_t *n, size_t *cap,
                        const char *where, const char *code, const char *reason)
{
	*list = grow(a, *list, *n, cap, sizeof(**list));
	(*list)[*n].where = where;
	(*list)[*n].code = code;
	(*list)[*n].reason = reason;
	(*n)++;
}

void lms_roster_reject(lms_roster_result *r, lms_arena *a, const char *where, const char *code,
                       const char *fmt, ...)
{
	va_list ap;
	char *reason;

	r->rejects_total++;
	if (r->n_rejects >= LMS_ROSTER_REJECT_MAX)
		return;
	va_start(ap, fmt);
	reason = vfmt(a, fmt, ap);
	va_end(ap);
	problem_add(a, &r->rejects, &r->n_rejects, &r->cap_rejects, where, code, reason);
}

static void warn(lms_roster_result *r, lms_arena *a, const char *where, const char *code,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void warn(lms_roster_result *r, lms_arena *a, const char *where, const char *code,
                 const char *fmt, ...)
{
	va_list ap;
	char *reason;

	if (r->n_warnings >= LMS_ROSTER_LIST_MAX)
		return;
	va_start(ap, fmt);
	reason = vfmt(a, fmt, ap);
	va_end(ap);
	problem_add(a, &r->warnings, &r->n_warnings, &r->cap_warnings, where, code, reason);
}

static void change(lms_roster_result *r, lms_arena *a, lms_roster_change_kind k,
                   const char *code, const char *detail)
{
	r->counts[k]++;
	if (r->counts[k] > LMS_ROSTER_LIST_MAX)
		return;
	r->changes = grow(a, r->changes, r->n_changes, &r->cap_changes, sizeof(*r->changes));
	r->changes[r->n_changes].kind = change_names[k];
	r->changes[r->n_changes].code = code;
	r->changes[r->n_changes].detail = detail;
	r->n_changes++;
}

/* ---- sorted indexes: code → position ---- */

typedef struct ix {
	const char *key;
	size_t i;
} ix;

static int ix_cmp(const void *a, const void *b)
{
	const ix *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static ix *ix_sort(ix *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), ix_cmp);
	return v;
}

/* The first entry with key, or NULL. */
static const ix *ix_find(const ix *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	if (!key)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].key, key) == 0 ? &v[lo] : NULL;
}

static bool streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A date is in [from, to] (NULL ends are open); ISO dates compare as strings. */
static bool date_within(const char *d, const char *from, const char *to)
{
	return (!from || strcmp(from, d) <= 0) && (!to || strcmp(d, to) <= 0);
}

/* ---- the resulting unit tree: the file's units over parlearn's ---- */

typedef struct runit {
	const char *code, *parent, *valid_from, *valid_to;
	const lms_roster_unit *file;     /* NULL: only in parlearn */
	const lms_roster_cur_unit *cur;  /* NULL: new */
	signed char state;               /* cycle walk: 0 new, 1 on the path, 2 done */
	signed char scope;               /* -1 unknown, 0 out, 1 in */
} runit;

typedef struct planner {
	const lms_roster *in;
	const lms_roster_current *cur;
	const lms_roster_opts *opts;
	lms_arena *a;
	lms_roster_result *r;
	runit *units;          /* sorted by code */
	size_t n_units;
	ix *cur_units, *file_units, *cur_pos, *file_pos, *cur_people, *cur_pins, *file_people;
	bool *unit_rejected;
} planner;

static runit *runit_find(planner *p, const char *code)
{
	size_t lo = 0, hi = p->n_units;

	if (!code)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->units[mid].code, code);

		if (c == 0)
			return &p->units[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int runit_cmp(const void *a, const void *b)
{
	return strcmp(((const runit *)a)->code, ((const runit *)b)->code);
}

static void build_units(planner *p)
{
	const lms_roster *in = p->in;
	const lms_roster_current *cur = p->cur;
	size_t i, n = 0;

	p->units = lms_arena_alloc(p->a, (in->n_units + cur->n_units + 1) * sizeof(runit));
	for (i = 0; i < in->n_units; i++) {
		const lms_roster_unit *u = &in->units[i];
		const ix *dup = ix_find(p->file_units, in->n_units, u->code);

		if (p->unit_rejected[i] || !dup || dup->i != i)
			continue; /* the first of duplicates stands for the code */
		p->units[n].code = u->code;
		p->units[n].parent = u->parent_code;
		p->units[n].valid_from = u->valid_from;
		p->units[n].valid_to = u->valid_to;
		p->units[n].file = u;
		n++;
	}
	for (i = 0; i < cur->n_units; i++) {
		const lms_roster_cur_unit *c = &cur->units[i];
		const ix *f = ix_find(p->file_units, in->n_units, c->code);

		if (f && !p->unit_rejected[f->i])
			continue;
		p->units[n].code = c->code;
		p->units[n].parent = c->parent_code;
		p->units[n].valid_from = c->valid_from;
		p->units[n].valid_to = c->valid_to;
		n++;
	}
	qsort(p->units, n, sizeof(runit), runit_cmp);
	p->n_units = n;
	for (i = 0; i < n; i++) {
		const ix *c = ix_find(p->cur_units, cur->n_units, p->units[i].code);

		p->units[i].cur = c ? &cur->units[c->i] : NULL;
		p->units[i].scope = -1;
	}
}

/* Rejects the file's units on a cycle of parents. */
static void check_cycles(planner *p)
{
	runit **path = lms_arena_alloc(p->a, (p->n_units + 1) * sizeof(runit *));
	size_t i;

	for (i = 0; i < p->n_units; i++) {
		size_t depth = 0, k;
		runit *u = &p->units[i];

		while (u && u->state == 0) {
			u->state = 1;
			path[depth++] = u;
			u = runit_find(p, u->parent);
		}
		if (u && u->state == 1) {
			/* u is on the current path: the units from u on form a cycle. */
			char chain[400];
			size_t at = 0, start = 0;

			while (path[start] != u)
				start++;
			chain[0] = '\0';
			for (k = start; k < depth && at + 40 < sizeof(chain); k++)
				at += (size_t)snprintf(chain + at, sizeof(chain) - at, "%s → ",
				                       path[k]->code);
			snprintf(chain + at, sizeof(chain) - at, "%s", u->code);
			for (k = start; k < depth; k++)
				if (path[k]->file)
					lms_roster_reject(p->r, p->a, path[k]->file->where, path[k]->code,
					                  "parent_code makes a cycle: %s", chain);
		}
		for (k = 0; k < depth; k++)
			path[k]->state = 2;
	}
}

/* Is the unit inside the scope's subtree (always, without a scope)? Walks up once per unit
 * (memoised); cycles were found before and count as outside. */
static bool in_scope(planner *p, runit *u)
{
	runit *stack[64];
	size_t n = 0;
	int verdict = 0;

	if (!p->in->scope_unit_code)
		return true;
	while (u && u->scope < 0 && n < 64) {
		if (strcmp(u->code, p->in->scope_unit_code) == 0) {
			verdict = 1;
			u->scope = 1;
			break;
		}
		stack[n++] = u;
		u = runit_find(p, u->parent);
	}
	if (u && u->scope >= 0)
		verdict = u->scope;
	while (n)
		stack[--n]->scope = (signed char)verdict;
	return verdict == 1;
}

/* ---- the checks of each kind of row ---- */

static bool text_ok(const char *s, size_t max)
{
	lms_err e;

	return s && lms_check_text("x", s, max, &e) == 0;
}

static bool date_ok(const char *s)
{
	lms_err e;

	return !s || lms_check_date("x", s, &e) == 0;
}

static bool code_ok(const char *s)
{
	lms_err e;

	return s && lms_check_code("x", s, &e) == 0;
}

static void check_units(planner *p)
{
	const lms_roster *in = p->in;
	size_t i, j;

	for (i = 0; i < in->n_units; i++) {
		const lms_roster_unit *u = &in->units[i];
		const ix *first = ix_find(p->file_units, in->n_units, u->code);
		const char *bad = NULL;

		if (!code_ok(u->code))
			bad = "code must be 1 to 32 letters, digits, '.', '_' or '-'";
		else if (first && first->i != i)
			bad = "the same unit code appears twice in the file";
		else if (!text_ok(u->name, 200))
			bad = "name must be 1 to 200 characters on one line, without control characters";
		else if (!u->kind || !lms_unit_kind_valid(u->kind))
			bad = "kind must be city, department, office, district, ward, commune, "
			      "special_zone or other";
		else if (!date_ok(u->valid_from))
			bad = "valid_from is not a date YYYY-MM-DD";
		else if (!date_ok(u->valid_to))
			bad = "valid_to is not a date YYYY-MM-DD";
		else if (u->valid_from && u->valid_to && strcmp(u->valid_to, u->valid_from) < 0)
			bad = "valid_to is before valid_from";
		else if (u->n_successors && !u->valid_to)
			bad = "successor_codes on a unit with no valid_to: only a unit that ended has "
			      "successors";
		else if (u->parent_code && strcmp(u->parent_code, u->code) == 0)
			bad = "a unit cannot be its own parent";
		if (bad) {
			lms_roster_reject(p->r, p->a, u->where, u->code, "%s", bad);
			p->unit_rejected[i] = true;
		}
	}
	build_units(p);
	for (i = 0; i < in->n_units; i++) {
		const lms_roster_unit *u = &in->units[i];

		if (p->unit_rejected[i])
			continue;
		if (u->parent_code && !runit_find(p, u->parent_code))
			lms_roster_reject(p->r, p->a, u->where, u->code,
			                  "parent_code %s names no unit (in the file or in parlearn)",
			                  u->parent_code);
		for (j = 0; j < u->n_successors; j++) {
			if (!runit_find(p, u->successors[j]))
				lms_roster_reject(p->r, p->a, u->where, u->code,
				                  "successor_codes: %s names no unit (in the file or in "
				                  "parlearn)", u->successors[j]);
			else if (strcmp(u->successors[j], u->code) == 0)
				lms_roster_reject(p->r, p->a, u->where, u->code,
				                  "a unit cannot be its own successor");
		}
	}
	check_cycles(p);
	if (in->scope_unit_code && !runit_find(p, in->scope_unit_code)) {
		lms_roster_reject(p->r, p->a, "/scope_unit_code", in->scope_unit_code,
		                  "scope_unit_code names no unit (in the file or in parlearn)");
		return;
	}
	for (i = 0; i < in->n_units; i++) {
		runit *u = runit_find(p, in->units[i].code);

		if (!p->unit_rejected[i] && u && u->file == &in->units[i] && !in_scope(p, u))
			lms_roster_reject(p->r, p->a, in->units[i].where, in->units[i].code,
			                  "the unit lies outside the file's scope %s",
			                  in->scope_unit_code);
	}
}

static bool successors_added(const lms_roster_unit *u, const lms_roster_cur_unit *c)
{
	size_t i, j;

	for (i = 0; i < u->n_successors; i++) {
		for (j = 0; j < c->n_successors; j++)
			if (strcmp(u->successors[i], c->successors[j]) == 0)
				break;
		if (j == c->n_successors)
			return true;
	}
	return false;
}

static void plan_units(planner *p, lms_roster_plan *plan)
{
	const lms_roster *in = p->in;
	size_t i, n = 0;

	plan->units = lms_arena_alloc(p->a, (in->n_units + 1) * sizeof(*plan->units));
	for (i = 0; i < p->n_units; i++) {
		runit *u = &p->units[i];
		const lms_roster_unit *f = u->file;
		const lms_roster_cur_unit *c = u->cur;
		char what[200];
		size_t at = 0;

		if (!f) {
			if (c && !in->people_only && in_scope(p, u))
				warn(p->r, p->a, NULL, c->code,
				     "unit %s is in parlearn but not in the file: left as it is (a unit "
				     "ends only by getting valid_to)", c->code);
			continue;
		}
		if (!c) {
			plan->units[n++] = f;
			change(p->r, p->a, LMS_RC_UNIT_ADDED, f->code, f->name);
			continue;
		}
		what[0] = '\0';
#define FIELD(cond, name) \
	if (cond) at += (size_t)snprintf(what + at, sizeof(what) - at, "%s%s", at ? ", " : "", name)
		FIELD(!streq(f->name, c->name), "name");
		FIELD(!streq(f->kind, c->kind), "kind");
		FIELD(!streq(f->parent_code, c->parent_code), "parent");
		FIELD(!streq(f->valid_from, c->valid_from), "valid_from");
		FIELD(!streq(f->valid_to, c->valid_to), "valid_to");
		FIELD(successors_added(f, c), "successors");
#undef FIELD
		if (at) {
			plan->units[n++] = f;
			change(p->r, p->a, LMS_RC_UNIT_CHANGED, f->code,
			       lms_arena_strdup(p->a, what));
		}
	}
	plan->n_units = n;
}

static void plan_positions(planner *p, lms_roster_plan *plan)
{
	const lms_roster *in = p->in;
	size_t i, n = 0;

	plan->positions = lms_arena_alloc(p->a, (in->n_positions + 1) * sizeof(*plan->positions));
	for (i = 0; i < in->n_positions; i++) {
		const lms_roster_position *q = &in->positions[i];
		const ix *first = ix_find(p->file_pos, in->n_positions, q->code);
		const ix *c;

		if (!code_ok(q->code)) {
			lms_roster_reject(p->r, p->a, q->where, q->code,
			                  "code must be 1 to 32 letters, digits, '.', '_' or '-'");
			continue;
		}
		if (first && first->i != i) {
			lms_roster_reject(p->r, p->a, q->where, q->code,
			                  "the same position code appears twice in the file");
			continue;
		}
		if (!text_ok(q->name, 200)) {
			lms_roster_reject(p->r, p->a, q->where, q->code,
			                  "name must be 1 to 200 characters on one line, without control characters");
			continue;
		}
		c = ix_find(p->cur_pos, p->cur->n_positions, q->code);
		if (!c) {
			plan->positions[n++] = q;
			change(p->r, p->a, LMS_RC_POSITION_ADDED, q->code, q->name);
		} else if (strcmp(p->cur->positions[c->i].name, q->name) != 0) {
			plan->positions[n++] = q;
			change(p->r, p->a, LMS_RC_POSITION_CHANGED, q->code, q->name);
		}
	}
	plan->n_positions = n;
}

/* The position's name: from the file, else from parlearn. */
static const char *position_name(planner *p, const char *code)
{
	const ix *f = ix_find(p->file_pos, p->in->n_positions, code);

	if (f)
		return p->in->positions[f->i].name;
	f = ix_find(p->cur_pos, p->cur->n_positions, code);
	return f ? p->cur->positions[f->i].name : NULL;
}

static bool email_ok(const char *e)
{
	const char *at;

	if (!e)
		return true;
	if (!text_ok(e, 200) || strchr(e, ' ') || !(at = strchr(e, '@')) || at == e || !at[1])
		return false;
	return true;
}

/* One person's row: NULL when fine, else why not. */
static const char *person_problem(planner *p, const lms_roster_person *q, size_t i, runit **unit)
{
	const lms_roster *in = p->in;
	const ix *first = ix_find(p->file_people, in->n_people, q->employee_code);
	lms_err e;

	if (!code_ok(q->employee_code))
		return "employee_code must be 1 to 32 letters, digits, '.', '_' or '-'";
	if (first && first->i != i)
		return "the same employee_code appears twice in the file";
	if (!q->pin || lms_check_pin("pin", q->pin, &e) < 0)
		return "pin must be exactly 12 digits";
	if (!text_ok(q->full_name, 200))
		return "full_name must be 1 to 200 characters on one line, without control characters";
	if (!q->valid_from || !date_ok(q->valid_from))
		return "valid_from must be a date YYYY-MM-DD";
	if (p->opts->today && strcmp(q->valid_from, p->opts->today) > 0)
		return "valid_from is in the future: import the change on or after that day";
	if (!!q->position_code == !!q->position)
		return "give either position_code or position, not both and not neither";
	if (q->position && (!text_ok(q->position, 200)))
		return "position must be 1 to 200 characters on one line, without control characters";
	if (q->position_code && !position_name(p, q->position_code))
		return "position_code names no position (in the file or in parlearn)";
	if (!email_ok(q->email))
		return "email is not an address";
	if (!(*unit = runit_find(p, q->unit_code)))
		return "unit_code names no unit (in the file or in parlearn)";
	if (!in_scope(p, *unit))
		return "the person's unit lies outside the file's scope";
	if (!date_within(q->valid_from, (*unit)->valid_from, (*unit)->valid_to))
		return "the unit was not valid on the person's valid_from";
	return NULL;
}

static void check_pins(planner *p, const lms_roster_person *q)
{
	const ix *c = ix_find(p->cur_pins, p->cur->n_people, q->pin);

	if (c && strcmp(p->cur->people[c->i].employee_code, q->employee_code) != 0)
		lms_roster_reject(p->r, p->a, q->where, q->employee_code,
		                  "the identification number is held already by employee %s",
		                  p->cur->people[c->i].employee_code);
}

static int person_cmp_date(const void *a, const void *b)
{
	const lms_roster_person *x = *(const lms_roster_person *const *)a;
	const lms_roster_person *y = *(const lms_roster_person *const *)b;
	int c = strcmp(x->valid_from, y->valid_from);

	return c ? c : strcmp(x->employee_code, y->employee_code);
}

static void plan_people(planner *p, lms_roster_plan *plan)
{
	const lms_roster *in = p->in;
	const lms_roster_current *cur = p->cur;
	ix *file_pins = lms_arena_alloc(p->a, (in->n_people + 1) * sizeof(ix));
	size_t i, n = 0;
	bool *seen = lms_arena_alloc(p->a, cur->n_people + 1);

	/* Two rows of the file with one identification number. */
	for (i = 0; i < in->n_people; i++) {
		file_pins[i].key = in->people[i].pin ? in->people[i].pin : "";
		file_pins[i].i = i;
	}
	ix_sort(file_pins, in->n_people);
	for (i = 1; i < in->n_people; i++)
		if (file_pins[i].key[0] && strcmp(file_pins[i].key, file_pins[i - 1].key) == 0)
			lms_roster_reject(p->r, p->a, in->people[file_pins[i].i].where,
			                  in->people[file_pins[i].i].employee_code,
			                  "the same identification number as employee %s in the file",
			                  in->people[file_pins[i - 1].i].employee_code);

	plan->people = lms_arena_alloc(p->a, (in->n_people + 1) * sizeof(*plan->people));
	for (i = 0; i < in->n_people; i++) {
		const lms_roster_person *q = &in->people[i];
		const lms_roster_cur_person *c;
		const ix *ci;
		runit *unit = NULL;
		const char *bad = person_problem(p, q, i, &unit);
		const char *pos_text;
		bool moved, tracked, other, changed;

		if (bad) {
			lms_roster_reject(p->r, p->a, q->where, q->employee_code, "%s", bad);
			continue;
		}
		check_pins(p, q);
		ci = ix_find(p->cur_people, cur->n_people, q->employee_code);
		if (!ci) {
			plan->people[n++] = q;
			change(p->r, p->a, LMS_RC_PERSON_ADDED, q->employee_code,
			       q->active ? q->unit_code : "inactive");
			continue;
		}
		seen[ci->i] = true;
		c = &cur->people[ci->i];
		pos_text = q->position_code ? position_name(p, q->position_code) : q->position;
		moved = strcmp(c->unit_code, q->unit_code) != 0;
		/* A position of the table is compared by code (its name may have been renamed). */
		changed = !streq(c->position_code, q->position_code) ||
		          (!q->position_code && strcmp(c->position, pos_text) != 0) ||
		          c->is_leader != q->is_leader || c->par_role != q->par_role;
		tracked = moved || changed || c->active != q->active;
		other = strcmp(c->full_name, q->full_name) != 0 || !streq(c->email, q->email) ||
		        strcmp(c->pin, q->pin) != 0;
		if (tracked && c->period_from && strcmp(q->valid_from, c->period_from) < 0) {
			lms_roster_reject(p->r, p->a, q->where, q->employee_code,
			                  "valid_from %s is before the start of the person's current "
			                  "record (%s): an import cannot rewrite history",
			                  q->valid_from, c->period_from);
			continue;
		}
		if (!tracked && !other) {
			p->r->unchanged++;
			continue;
		}
		plan->people[n++] = q;
		if (moved)
			change(p->r, p->a, LMS_RC_PERSON_MOVED, q->employee_code,
			       lms_arena_strdup(p->a, c->unit_code));
		if (c->active && !q->active) {
			change(p->r, p->a, LMS_RC_PERSON_DEACTIVATED,
			       q->employee_code, "inactive in the file");
		} else if (!c->active && q->active) {
			change(p->r, p->a, LMS_RC_PERSON_REACTIVATED,
			       q->employee_code, NULL);
		}
		if (!moved && (other || changed))
			change(p->r, p->a, LMS_RC_PERSON_CHANGED, q->employee_code,
			       NULL);
	}
	if (n > 1)
		qsort(plan->people, n, sizeof(*plan->people), person_cmp_date);
	plan->n_people = n;

	/* People of the scope who are not in the file: deactivated, never deleted. */
	plan->deactivate = lms_arena_alloc(p->a, (cur->n_people + 1) * sizeof(char *));
	for (i = 0; i < cur->n_people; i++) {
		const lms_roster_cur_person *c = &cur->people[i];

		if (c->in_scope && c->active)
			p->r->active_in_scope++;
		if (seen[i] || !c->in_scope || !c->active)
			continue;
		plan->deactivate[plan->n_deactivate++] = c->employee_code;
		change(p->r, p->a, LMS_RC_PERSON_DEACTIVATED, c->employee_code,
		       "not in the file");
	}
}

static ix *index_of(lms_arena *a, size_t n, const void *base, size_t size, size_t offset)
{
	ix *v = lms_arena_alloc(a, (n + 1) * sizeof(ix));
	size_t i;

	for (i = 0; i < n; i++) {
		const char *key = *(const char *const *)((const char *)base + i * size + offset);

		v[i].key = key ? key : "";
		v[i].i = i;
	}
	return ix_sort(v, n);
}

#define INDEX(a, arr, n, type, member) \
	index_of(a, n, arr, sizeof(type), offsetof(type, member))

int lms_roster_plan_changes(const lms_roster *in, const lms_roster_current *cur,
                            const lms_roster_opts *opts, lms_arena *a, lms_roster_plan *plan,
                            lms_roster_result *r, lms_err *err)
{
	planner p;

	(void)err;
	memset(&p, 0, sizeof(p));
	memset(plan, 0, sizeof(*plan));
	p.in = in;
	p.cur = cur;
	p.opts = opts;
	p.a = a;
	p.r = r;
	p.unit_rejected = lms_arena_alloc(a, in->n_units + 1);
	p.cur_units = INDEX(a, cur->units, cur->n_units, lms_roster_cur_unit, code);
	p.file_units = INDEX(a, in->units, in->n_units, lms_roster_unit, code);
	p.cur_pos = INDEX(a, cur->positions, cur->n_positions, lms_roster_position, code);
	p.file_pos = INDEX(a, in->positions, in->n_positions, lms_roster_position, code);
	p.cur_people = INDEX(a, cur->people, cur->n_people, lms_roster_cur_person, employee_code);
	p.cur_pins = INDEX(a, cur->people, cur->n_people, lms_roster_cur_person, pin);
	p.file_people = INDEX(a, in->people, in->n_people, lms_roster_person, employee_code);

	check_units(&p);
	plan_units(&p, plan);
	plan_positions(&p, plan);
	plan_people(&p, plan);
	plan->today = opts->today;
	return LMS_OK;
}

/* ---- the import ---- */

static bool guard_trips(const lms_roster_result *r, const lms_roster_opts *opts)
{
	double share = opts->guard_percent > 0 ? opts->guard_percent : LMS_ROSTER_GUARD_DEFAULT;
	size_t n = r->counts[LMS_RC_PERSON_DEACTIVATED];

	if (opts->force || r->active_in_scope == 0)
		return false;
	return (double)n * 100.0 > share * (double)r->active_in_scope;
}

int lms_roster_import(lms_store *s, const lms_roster *in, const lms_roster_opts *opts,
                      lms_arena *a, lms_roster_result *r, lms_err *err)
{
	lms_roster_current cur;
	lms_roster_plan plan;
	bool commit = false;
	int rc;

	memset(&cur, 0, sizeof(cur));
	if ((rc = s->ops->roster_begin(s, in->source, in->scope_unit_code, a, &cur, err)) < 0)
		return rc;
	if (cur.last_generated_us && in->generated_us < cur.last_generated_us) {
		r->outcome = LMS_ROSTER_STALE;
		r->last_generated_at = cur.last_generated_at;
		goto finish;
	}
	if ((rc = lms_roster_plan_changes(in, &cur, opts, a, &plan, r, err)) < 0)
		goto fail;
	if (r->rejects_total)
		r->outcome = LMS_ROSTER_REJECTED;
	else if (guard_trips(r, opts))
		r->outcome = LMS_ROSTER_GUARDED;
	else if (opts->dry_run)
		r->outcome = LMS_ROSTER_DRY_RUN;
	else {
		if ((rc = s->ops->roster_apply(s, &plan, a, err)) < 0)
			goto fail;
		r->outcome = LMS_ROSTER_APPLIED;
		commit = true;
	}
finish:
	return s->ops->roster_end(s, commit, in, opts, r, &r->import_id, err);
fail:
	s->ops->roster_end(s, false, NULL, NULL, NULL, NULL, NULL);
	return rc;
}

/* ---- the report ---- */

static void problems_json(lms_jsonw *w, const lms_roster_problem *v, size_t n)
{
	size_t i;

	lms_jsonw_raw(w, "[");
	for (i = 0; i < n; i++) {
		lms_jsonw_raw(w, i ? ",{\"where\":" : "{\"where\":");
		lms_jsonw_str(w, v[i].where);
		lms_jsonw_raw(w, ",\"code\":");
		lms_jsonw_str(w, v[i].code);
		lms_jsonw_raw(w, ",\"reason\":");
		lms_jsonw_str(w, v[i].reason);
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]");
}

const char *lms_roster_result_json(const lms_roster_result *r, lms_arena *a)
{
	lms_jsonw w;
	size_t i;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "{\"outcome\":");
	lms_jsonw_str(&w, lms_roster_outcome_name(r->outcome));
	lms_jsonw_raw(&w, ",\"import_id\":");
	lms_jsonw_i64(&w, r->import_id);
	lms_jsonw_raw(&w, ",\"counts\":{");
	for (i = 0; i < LMS_RC__COUNT; i++) {
		lms_jsonw_raw(&w, i ? ",\"" : "\"");
		lms_jsonw_raw(&w, change_names[i]);
		lms_jsonw_raw(&w, "\":");
		lms_jsonw_i64(&w, (int64_t)r->counts[i]);
	}
	lms_jsonw_raw(&w, ",\"person_unchanged\":");
	lms_jsonw_i64(&w, (int64_t)r->unchanged);
	lms_jsonw_raw(&w, "},\"active_in_scope\":");
	lms_jsonw_i64(&w, (int64_t)r->active_in_scope);
	if (r->last_generated_at) {
		lms_jsonw_raw(&w, ",\"last_generated_at\":");
		lms_jsonw_str(&w, r->last_generated_at);
	}
	lms_jsonw_raw(&w, ",\"rejected_total\":");
	lms_jsonw_i64(&w, (int64_t)r->rejects_total);
	lms_jsonw_raw(&w, ",\"rejected\":");
	problems_json(&w, r->rejects, r->n_rejects);
	lms_jsonw_raw(&w, ",\"warnings\":");
	problems_json(&w, r->warnings, r->n_warnings);
	lms_jsonw_raw(&w, ",\"changes\":[");
	for (i = 0; i < r->n_changes; i++) {
		lms_jsonw_raw(&w, i ? ",{\"kind\":" : "{\"kind\":");
		lms_jsonw_str(&w, r->changes[i].kind);
		lms_jsonw_raw(&w, ",\"code\":");
		lms_jsonw_str(&w, r->changes[i].code);
		if (r->changes[i].detail) {
			lms_jsonw_raw(&w, ",\"detail\":");
			lms_jsonw_str(&w, r->changes[i].detail);
		}
		lms_jsonw_raw(&w, "}");
	}
	lms_jsonw_raw(&w, "]}");
	return lms_jsonw_text(&w);
}
