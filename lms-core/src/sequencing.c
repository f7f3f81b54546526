/* sequencing.c — the public face of sequencing.h: building the activity tree from the
 * manifest's items, recording a SCO's results, running navigation requests (on a copy of
 * the state for dry runs), and the read-only views (table of contents, course status,
 * launch values). The SN processes themselves are in sequencing_nav.c and
 * sequencing_rollup.c, rule evaluation in sequencing_rules.c, the imsss XML in
 * sequencing_xml.c, 1.2 prerequisites in sequencing_prereq.c and the state text in
 * sequencing_state.c.
 *
 * Invariants: see sequencing_int.h (activity 0 is the root, indices are preorder, the
 * state is flat). Nothing here allocates outside the caller's arenas.
 */
#include "sequencing_int.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SQ_MAX_DEPTH 60
#define SQ_MAX_GLOBALS 20000

void sq_def_defaults(sq_def *d)
{
	memset(d, 0, sizeof(*d));
	d->choice = true;
	d->choice_exit = true;
	d->flow = false;
	d->forward_only = false;
	d->rollup_satisfied = true;
	d->rollup_completion = true;
	d->weight = 1.0;
	d->measure_if_active = true;
	d->tracked = true;
}

int sq_global_index(sq_globals *g, lms_arena *a, const char *id)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->ids[i], id) == 0)
			return (int)i;
	if (g->n >= SQ_MAX_GLOBALS)
		return -1;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		const char **bigger = lms_arena_alloc(a, cap * sizeof(*bigger));
		if (g->n)
			memcpy(bigger, g->ids, g->n * sizeof(*bigger));
		g->ids = bigger;
		g->cap = cap;
	}
	g->ids[g->n] = lms_arena_strdup(a, id);
	return (int)g->n++;
}

static int ordmap_cmp(const void *x, const void *y)
{
	const sq_ordmap *a = x, *b = y;
	return (a->ord > b->ord) - (a->ord < b->ord);
}

int sq_find_ord(const lms_seq_tree *t, int ord)
{
	sq_ordmap key = {ord, 0};
	const sq_ordmap *m;

	if (ord == LMS_SEQ_ROOT)
		return 0;
	m = bsearch(&key, t->by_ord, t->n - 1, sizeof(*t->by_ord), ordmap_cmp);
	return m ? m->act : -1;
}

int sq_ord_of(const lms_seq_tree *t, int act)
{
	return t->acts[act].ord;
}

bool sq_is_leaf(const lms_seq_tree *t, int act)
{
	return t->acts[act].n_children == 0;
}

void sq_copy_state(lms_seq_tree *dst, const lms_seq_tree *src)
{
	memcpy(dst->st.act, src->st.act, src->n * sizeof(*src->st.act));
	if (src->n_obj)
		memcpy(dst->st.obj, src->st.obj, src->n_obj * sizeof(*src->st.obj));
	if (src->globals.n)
		memcpy(dst->st.glob, src->st.glob, src->globals.n * sizeof(*src->st.glob));
	dst->st.current = src->st.current;
	dst->st.suspended = src->st.suspended;
}

static void alloc_state(lms_seq_tree *t, lms_arena *a)
{
	t->st.act = lms_arena_alloc(a, t->n * sizeof(*t->st.act));
	t->st.obj = lms_arena_alloc(a, (t->n_obj ? t->n_obj : 1) * sizeof(*t->st.obj));
	t->st.glob = lms_arena_alloc(a, (t->globals.n ? t->globals.n : 1) * sizeof(*t->st.glob));
	t->st.current = -1;
	t->st.suspended = -1;
}

lms_seq_tree *sq_clone(const lms_seq_tree *t, lms_arena *a)
{
	lms_seq_tree *c = lms_arena_alloc(a, sizeof(*c));

	*c = *t;
	alloc_state(c, a);
	sq_copy_state(c, t);
	return c;
}

/* ---- build ---- */

static int lookup_identifier(const void *ud, const char *id, size_t len)
{
	const lms_seq_tree *t = ud;

	for (size_t i = 1; i < t->n; i++)
		if (strlen(t->acts[i].identifier) == len && memcmp(t->acts[i].identifier, id, len) == 0)
			return (int)i;
	for (size_t i = 1; i < t->n; i++)
		if (strlen(t->acts[i].identifier) == len &&
		    strncasecmp(t->acts[i].identifier, id, len) == 0)
			return (int)i;
	return -1;
}

static bool ancestor_or_self(const lms_seq_tree *t, int anc, int a)
{
	for (; a >= 0; a = t->acts[a].parent)
		if (a == anc)
			return true;
	return false;
}

static int build_shape(lms_seq_tree *t, const lms_seq_item_in *items, size_t n, lms_arena *a,
                       lms_err *err)
{
	size_t *fill;

	t->acts = lms_arena_alloc(a, t->n * sizeof(*t->acts));
	t->by_ord = lms_arena_alloc(a, n * sizeof(*t->by_ord));
	for (size_t i = 0; i < n; i++) {
		if (items[i].ord < 0)
			return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", "items",
			                   "item %zu has a negative ord", i);
		t->by_ord[i].ord = items[i].ord;
		t->by_ord[i].act = (int)i + 1;
	}
	qsort(t->by_ord, n, sizeof(*t->by_ord), ordmap_cmp);
	for (size_t i = 1; i < n; i++)
		if (t->by_ord[i].ord == t->by_ord[i - 1].ord)
			return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", "items",
			                   "ord %d is used twice", t->by_ord[i].ord);
	t->acts[0].identifier = "";
	t->acts[0].title = "";
	t->acts[0].ord = LMS_SEQ_ROOT;
	t->acts[0].parent = -1;
	t->acts[0].visible = true;
	for (size_t i = 0; i < n; i++) {
		sq_activity *x = &t->acts[i + 1];
		int p = items[i].parent_ord < 0 ? 0 : sq_find_ord(t, items[i].parent_ord);

		if (p < 0 || (size_t)p >= i + 1)
			return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", "items",
			                   "the parent of item %d is not an earlier item", items[i].ord);
		if (i > 0 && !ancestor_or_self(t, p, (int)i))
			return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", "items",
			                   "item %d is not in document order", items[i].ord);
		x->parent = p;
		x->depth = t->acts[p].depth + 1;
		if (x->depth > SQ_MAX_DEPTH)
			return lms_err_set(err, LMS_ETOOBIG, "sequencing_too_big", "items",
			                   "items are nested more than %d deep", SQ_MAX_DEPTH);
		x->ord = items[i].ord;
		x->identifier = lms_arena_strdup(a, items[i].identifier ? items[i].identifier : "");
		x->title = lms_arena_strdup(a, items[i].title ? items[i].title : "");
		x->launchable = items[i].launchable;
		x->asset = items[i].asset;
		x->visible = items[i].visible;
		x->completion_threshold = lms_arena_strdup(a, items[i].completion_threshold);
		t->acts[p].n_children++;
	}
	fill = lms_arena_alloc(a, t->n * sizeof(*fill));
	for (size_t i = 0; i < t->n; i++)
		if (t->acts[i].n_children)
			t->acts[i].children =
			        lms_arena_alloc(a, t->acts[i].n_children * sizeof(*t->acts[i].children));
	for (size_t i = 1; i < t->n; i++) {
		int p = t->acts[i].parent;
		t->acts[p].children[fill[p]++] = (int)i;
	}
	return 0;
}

static int build_defs(lms_seq_tree *t, const char *org_xml, const char *collection_xml,
                      const lms_seq_item_in *items, lms_arena *a, lms_report *report,
                      lms_err *err)
{
	sq_xml *x = NULL;
	int rc = 0;

	if (t->v == LMS_CMI_12) {
		for (size_t i = 0; i < t->n; i++) {
			sq_def *d = &t->acts[i].def;
			sq_def_defaults(d);
			d->flow = true; /* 1.2: every cluster allows flow and choice */
			d->completion_by_content = d->objective_by_content = true;
			d->n_obj = 1;
			d->obj = lms_arena_alloc(a, sizeof(*d->obj));
			d->obj[0].min_measure = 1.0;
		}
		for (size_t i = 1; i < t->n; i++) {
			const char *pre = items[i - 1].prerequisites, *why;
			if (!pre || !*pre)
				continue;
			t->acts[i].prereq = sq_prereq_parse(pre, lookup_identifier, t, a, &why);
			if (!t->acts[i].prereq && report)
				lms_report_add(report, LMS_SEV_WARNING, "prerequisites_ignored",
				               "imsmanifest.xml", 0,
				               "The prerequisites of item %s are ignored: %s",
				               t->acts[i].identifier, why);
		}
		return 0;
	}
	if ((rc = sq_xml_open(collection_xml, &t->globals, a, report, &x, err)) < 0)
		goto cleanup;
	if ((rc = sq_parse_def(x, org_xml, "the organization", &t->acts[0].def, err)) < 0)
		goto cleanup;
	for (size_t i = 1; i < t->n; i++) {
		char where[160];
		snprintf(where, sizeof(where), "item %.140s", t->acts[i].identifier);
		if ((rc = sq_parse_def(x, items[i - 1].sequencing_xml, where, &t->acts[i].def, err)) <
		    0)
			goto cleanup;
	}
cleanup:
	sq_xml_close(x);
	return rc;
}

int lms_seq_tree_build(lms_cmi_version v, const char *org_sequencing_xml,
                       const char *collection_xml, const lms_seq_item_in *items, size_t n,
                       lms_arena *a, lms_report *report, lms_seq_tree **out, lms_err *err)
{
	lms_seq_tree *t;
	int rc;

	assert(a && out && (items || n == 0));
	if (v != LMS_CMI_12 && v != LMS_CMI_2004)
		return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", NULL, "unknown SCORM version");
	if (n == 0)
		return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", "items",
		                   "the organization has no items");
	if (n > LMS_SEQ_MAX_ITEMS)
		return lms_err_set(err, LMS_ETOOBIG, "sequencing_too_big", "items",
		                   "more than %d items", LMS_SEQ_MAX_ITEMS);
	t = lms_arena_alloc(a, sizeof(*t));
	t->v = v;
	t->n = n + 1;
	if ((rc = build_shape(t, items, n, a, err)) < 0)
		return rc;
	if ((rc = build_defs(t, org_sequencing_xml, collection_xml, items, a, report, err)) < 0)
		return rc;
	for (size_t i = 0; i < t->n; i++) {
		t->acts[i].obj_base = t->n_obj;
		t->n_obj += t->acts[i].def.n_obj;
	}
	alloc_state(t, a);
	*out = t;
	return 0;
}

/* ---- results ---- */

static bool real_ok(double d, double lo, double hi)
{
	return isfinite(d) && d >= lo && d <= hi;
}

static void set_success(lms_seq_tree *t, int act, int oi, const char *s)
{
	if (s && strcmp(s, "passed") == 0)
		sq_obj_set_status(t, act, oi, true, true);
	else if (s && strcmp(s, "failed") == 0)
		sq_obj_set_status(t, act, oi, true, false);
	else
		sq_obj_set_status(t, act, oi, false, false);
}

static lms_seq_status parse12(const char *s)
{
	static const struct {
		const char *w;
		lms_seq_status st;
	} w[] = {{"passed", LMS_SEQ_PASSED},         {"completed", LMS_SEQ_COMPLETED},
	         {"failed", LMS_SEQ_FAILED},         {"incomplete", LMS_SEQ_INCOMPLETE},
	         {"browsed", LMS_SEQ_BROWSED},       {"not attempted", LMS_SEQ_NOT_ATTEMPTED}};

	for (size_t i = 0; s && i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(s, w[i].w) == 0)
			return w[i].st;
	return LMS_SEQ_NOT_ATTEMPTED;
}

int lms_seq_report(lms_seq_tree *t, int ord, const lms_seq_sco_result *r, lms_err *err)
{
	int act = sq_find_ord(t, ord);
	sq_act_state *s;
	const sq_def *d;
	const char *completion, *success;

	assert(t && r);
	if (act <= 0 || !sq_is_leaf(t, act) || !t->st.act[act].attempted)
		return lms_err_set(err, LMS_EINVAL, "sequencing_not_delivered", "ord",
		                   "item %d is not a delivered activity", ord);
	s = &t->st.act[act];
	d = &t->acts[act].def;
	if (s->active)
		s->suspended = r->exit && strcmp(r->exit, "suspend") == 0;
	if (!d->tracked)
		return 0;
	completion = r->completion_status;
	success = r->success_status;
	if (t->v == LMS_CMI_12 && r->lesson_status) {
		s->st12 = parse12(r->lesson_status);
		switch (s->st12) {
		case LMS_SEQ_PASSED:
			completion = "completed", success = "passed";
			break;
		case LMS_SEQ_FAILED:
			completion = "completed", success = "failed";
			break;
		case LMS_SEQ_COMPLETED:
			completion = "completed", success = NULL;
			break;
		case LMS_SEQ_INCOMPLETE:
		case LMS_SEQ_BROWSED:
			completion = "incomplete", success = NULL;
			break;
		case LMS_SEQ_NOT_ATTEMPTED:
			completion = success = NULL;
			break;
		}
	}
	/* objectives first: cmi.success_status / cmi.score decide the primary objective */
	for (size_t i = 0; i < r->n_objectives; i++) {
		const lms_seq_objective_report *o = &r->objectives[i];
		for (size_t k = 0; o->id && k < d->n_obj; k++) {
			if (!d->obj[k].id || strcmp(d->obj[k].id, o->id) != 0)
				continue;
			set_success(t, act, (int)k, o->success_status);
			if (o->has_score && real_ok(o->score_scaled, -1, 1))
				sq_obj_set_measure(t, act, (int)k, true, o->score_scaled);
		}
	}
	if (completion && (strcmp(completion, "completed") == 0 ||
	                   strcmp(completion, "incomplete") == 0 ||
	                   strcmp(completion, "not attempted") == 0)) {
		s->prog_known = true;
		s->completed = strcmp(completion, "completed") == 0;
	} else {
		s->prog_known = s->completed = false;
	}
	set_success(t, act, 0, success);
	if (r->has_score && real_ok(r->score_scaled, -1, 1))
		sq_obj_set_measure(t, act, 0, true, r->score_scaled);
	else
		sq_obj_set_measure(t, act, 0, false, 0.0);
	s->amount_known = r->has_progress && real_ok(r->progress_measure, 0, 1);
	s->amount = s->amount_known ? r->progress_measure : 0.0;
	if (!s->active)
		sq_overall_rollup(t, act);
	return 0;
}

static int find_identifier(const lms_seq_tree *t, const char *id, size_t len)
{
	for (size_t i = 1; i < t->n; i++)
		if (strlen(t->acts[i].identifier) == len && memcmp(t->acts[i].identifier, id, len) == 0)
			return (int)i;
	return -1;
}

int lms_seq_request_of(const lms_seq_tree *t, const lms_seq_sco_result *r, lms_seq_nav *req,
                       int *target_ord, lms_err *err)
{
	static const struct {
		const char *w;
		lms_seq_nav nav;
	} w[] = {{"continue", LMS_NAV_CONTINUE},    {"previous", LMS_NAV_PREVIOUS},
	         {"exit", LMS_NAV_EXIT},            {"exitAll", LMS_NAV_EXIT_ALL},
	         {"abandon", LMS_NAV_ABANDON},      {"abandonAll", LMS_NAV_ABANDON_ALL},
	         {"suspendAll", LMS_NAV_SUSPEND_ALL}, {"start", LMS_NAV_START},
	         {"resumeAll", LMS_NAV_RESUME_ALL}, {"_none_", LMS_NAV_NONE}};
	const char *s = r->nav_request;

	*req = LMS_NAV_NONE;
	*target_ord = -1;
	if (r->exit && (strcmp(r->exit, "time-out") == 0 || strcmp(r->exit, "logout") == 0)) {
		*req = LMS_NAV_EXIT_ALL;
		return 0;
	}
	if (!s || !*s)
		return 0;
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(s, w[i].w) == 0) {
			*req = w[i].nav;
			return 0;
		}
	if (strncmp(s, "{target=", 8) == 0) {
		const char *close = strchr(s + 8, '}');
		int act;
		if (close && (strcmp(close + 1, "choice") == 0 || strcmp(close + 1, "jump") == 0)) {
			act = find_identifier(t, s + 8, (size_t)(close - (s + 8)));
			if (act < 0)
				return lms_err_set(err, LMS_EINVAL, "sequencing_no_target", "adl.nav.request",
				                   "the navigation request names an unknown activity");
			*req = close[1] == 'c' ? LMS_NAV_CHOICE : LMS_NAV_JUMP;
			*target_ord = t->acts[act].ord;
			return 0;
		}
	}
	return lms_err_set(err, LMS_EINVAL, "sequencing_bad_request", "adl.nav.request",
	                   "unknown navigation request");
}

/* ---- navigation ---- */

static void outcome_init(lms_seq_outcome *out)
{
	memset(out, 0, sizeof(*out));
	out->deliver_ord = -1;
	out->current_ord = -1;
}

static int target_act(const lms_seq_tree *t, lms_seq_nav req, int target_ord)
{
	if (req != LMS_NAV_CHOICE && req != LMS_NAV_JUMP)
		return -1;
	return sq_find_ord(t, target_ord);
}

int lms_seq_navigate(lms_seq_tree *t, lms_seq_nav req, int target_ord, lms_seq_outcome *out,
                     lms_err *err)
{
	int target;

	assert(t && out);
	outcome_init(out);
	if ((int)req < LMS_NAV_NONE || req > LMS_NAV_ABANDON_ALL)
		return lms_err_set(err, LMS_EINVAL, "sequencing_bad_request", "request",
		                   "unknown navigation request");
	target = target_act(t, req, target_ord);
	if (req == LMS_NAV_CHOICE || req == LMS_NAV_JUMP) {
		/* a refused choice leaves the running activity alone: try it on a copy first */
		lms_arena *scratch = lms_arena_new();
		lms_seq_tree *c = sq_clone(t, scratch);
		sq_navigate(c, req, target, out);
		if (!out->refused)
			sq_copy_state(t, c);
		lms_arena_free(scratch);
		return 0;
	}
	sq_navigate(t, req, target, out);
	return 0;
}

bool lms_seq_nav_allowed(const lms_seq_tree *t, lms_seq_nav req, int target_ord, lms_arena *a,
                         lms_seq_outcome *out)
{
	lms_seq_outcome tmp;
	lms_seq_tree *c;

	if (!out)
		out = &tmp;
	outcome_init(out);
	if ((int)req < LMS_NAV_NONE || req > LMS_NAV_ABANDON_ALL)
		return false;
	c = sq_clone(t, a);
	sq_navigate(c, req, target_act(t, req, target_ord), out);
	return !out->refused;
}

void lms_seq_flow_allowed(const lms_seq_tree *t, lms_arena *a, bool *continue_ok,
                          bool *previous_ok)
{
	*continue_ok = lms_seq_nav_allowed(t, LMS_NAV_CONTINUE, 0, a, NULL);
	*previous_ok = lms_seq_nav_allowed(t, LMS_NAV_PREVIOUS, 0, a, NULL);
}

bool lms_seq_has_suspended(const lms_seq_tree *t)
{
	return t->st.suspended >= 0;
}

int lms_seq_current(const lms_seq_tree *t, bool *active)
{
	if (active)
		*active = t->st.current >= 0 && t->st.act[t->st.current].active;
	return t->st.current > 0 ? t->acts[t->st.current].ord : -1;
}

/* ---- views ---- */

const char *lms_seq_status_name(lms_seq_status s)
{
	switch (s) {
	case LMS_SEQ_NOT_ATTEMPTED:
		return "not_attempted";
	case LMS_SEQ_INCOMPLETE:
		return "incomplete";
	case LMS_SEQ_COMPLETED:
		return "completed";
	case LMS_SEQ_PASSED:
		return "passed";
	case LMS_SEQ_FAILED:
		return "failed";
	case LMS_SEQ_BROWSED:
		return "browsed";
	}
	return "not_attempted";
}

typedef struct agg12 {
	size_t leaves, done, failed, passed, attempted;
} agg12;

static void aggregate12(const lms_seq_tree *t, int act, agg12 *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t x = (size_t)act; x < t->n && ancestor_or_self(t, act, (int)x); x++) {
		lms_seq_status st;
		if (!t->acts[x].launchable || !sq_is_leaf(t, (int)x))
			continue;
		st = sq_status12(t, (int)x);
		g->leaves++;
		g->done += st == LMS_SEQ_COMPLETED || st == LMS_SEQ_PASSED;
		g->failed += st == LMS_SEQ_FAILED;
		g->passed += st == LMS_SEQ_PASSED;
		g->attempted += st != LMS_SEQ_NOT_ATTEMPTED;
	}
}

static lms_seq_status status_of(const lms_seq_tree *t, int act)
{
	const sq_act_state *s = &t->st.act[act];
	sq_obj_state o;

	if (t->v == LMS_CMI_12) {
		agg12 g;
		if (act != 0 && sq_is_leaf(t, act))
			return sq_status12(t, act);
		aggregate12(t, act, &g);
		if (g.failed)
			return LMS_SEQ_FAILED;
		if (g.leaves && g.done == g.leaves)
			return g.passed ? LMS_SEQ_PASSED : LMS_SEQ_COMPLETED;
		return g.attempted ? LMS_SEQ_INCOMPLETE : LMS_SEQ_NOT_ATTEMPTED;
	}
	sq_obj_read(t, act, 0, &o);
	if (o.known)
		return o.satisfied ? LMS_SEQ_PASSED : LMS_SEQ_FAILED;
	if (s->prog_known)
		return s->completed ? LMS_SEQ_COMPLETED : LMS_SEQ_INCOMPLETE;
	return s->attempted ? LMS_SEQ_INCOMPLETE : LMS_SEQ_NOT_ATTEMPTED;
}

lms_seq_status lms_seq_item_status(const lms_seq_tree *t, int ord)
{
	int act = sq_find_ord(t, ord);

	return act < 0 ? LMS_SEQ_NOT_ATTEMPTED : status_of(t, act);
}

void lms_seq_course_status(const lms_seq_tree *t, lms_seq_course *out)
{
	memset(out, 0, sizeof(*out));
	out->status = status_of(t, 0);
	if (t->v == LMS_CMI_12) {
		agg12 g;
		aggregate12(t, 0, &g);
		out->completion_known = true;
		out->completed = g.leaves > 0 && g.done == g.leaves;
		if (g.failed) {
			out->success_known = true;
			out->passed = false;
		} else if (out->completed) {
			out->success_known = true;
			out->passed = true;
		}
	} else {
		sq_obj_state o;
		out->completion_known = t->st.act[0].prog_known;
		out->completed = t->st.act[0].prog_known && t->st.act[0].completed;
		sq_obj_read(t, 0, 0, &o);
		out->success_known = o.known;
		out->passed = o.known && o.satisfied;
		out->measure_known = o.measure_known;
		out->measure = o.measure_known ? o.measure : 0.0;
	}
}

int lms_seq_toc(const lms_seq_tree *t, lms_arena *a, lms_seq_toc_entry **out, size_t *n)
{
	lms_seq_toc_entry *e = lms_arena_alloc(a, (t->n - 1) * sizeof(*e));
	lms_arena *scratch = lms_arena_new();
	lms_seq_tree *c = sq_clone(t, scratch);

	for (size_t i = 1; i < t->n; i++) {
		lms_seq_toc_entry *x = &e[i - 1];
		const sq_activity *ac = &t->acts[i];
		lms_seq_outcome o;

		x->ord = ac->ord;
		x->parent_ord = ac->parent > 0 ? t->acts[ac->parent].ord : -1;
		x->depth = ac->depth - 1;
		x->identifier = ac->identifier;
		x->title = ac->title;
		x->launchable = ac->launchable;
		x->visible = ac->visible;
		if (t->v == LMS_CMI_2004 && sq_rules_check(t, (int)i, ac->def.pre, ac->def.n_pre,
		                                           SQ_A_HIDDEN))
			x->visible = false;
		sq_copy_state(c, t);
		outcome_init(&o);
		sq_navigate(c, LMS_NAV_CHOICE, (int)i, &o);
		x->choosable = !o.refused && o.deliver_ord >= 0;
		x->refused = o.refused ? o.refused : (x->choosable ? NULL : "nothing_to_deliver");
		x->status = status_of(t, (int)i);
		x->attempts = t->st.act[i].attempts;
		x->current = t->st.current == (int)i;
		x->suspended = t->st.act[i].suspended;
	}
	lms_arena_free(scratch);
	*out = e;
	*n = t->n - 1;
	return 0;
}

int lms_seq_launch_data(const lms_seq_tree *t, int ord, lms_arena *a, lms_seq_launch *out,
                        lms_err *err)
{
	int act = sq_find_ord(t, ord);
	const sq_activity *ac;
	size_t k = 0;

	memset(out, 0, sizeof(*out));
	if (act <= 0)
		return lms_err_set(err, LMS_EINVAL, "sequencing_no_target", "ord", "unknown item %d",
		                   ord);
	ac = &t->acts[act];
	if (ac->completion_threshold) {
		char *end;
		double d = strtod(ac->completion_threshold, &end);
		if (*end == '\0' && end != ac->completion_threshold && real_ok(d, 0, 1)) {
			out->has_completion_threshold = true;
			out->completion_threshold = d;
		}
	}
	if (ac->def.obj[0].by_measure) {
		out->has_scaled_passing_score = true;
		out->scaled_passing_score = ac->def.obj[0].min_measure;
	}
	out->objectives = lms_arena_alloc(a, ac->def.n_obj * sizeof(*out->objectives));
	for (size_t i = 0; i < ac->def.n_obj; i++) {
		sq_obj_state o;
		lms_seq_launch_objective *lo;
		if (!ac->def.obj[i].id)
			continue;
		sq_obj_read(t, act, (int)i, &o);
		lo = &out->objectives[k++];
		lo->id = ac->def.obj[i].id;
		lo->success_status = !o.known ? "unknown" : o.satisfied ? "passed" : "failed";
		lo->has_score = o.measure_known;
		lo->score_scaled = o.measure_known ? o.measure : 0.0;
	}
	out->n_objectives = k;
	return 0;
}
