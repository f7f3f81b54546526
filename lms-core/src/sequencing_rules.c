/* sequencing_rules.c — objectives as sequencing sees them (local status, read and written
 * through mapInfo to the course's global objectives) and sequencing rule evaluation:
 * Sequencing Rules Check UP.2 / Sequencing Rule Check UP.2.1 with the 4th edition's
 * three-valued conditions (true / false / unknown; "not unknown" is unknown; a rule fires
 * only when its combination is true), Limit Conditions Check UP.1 (attempt limit only) and
 * Check Activity UP.5 (plus SCORM 1.2 prerequisites, treated as a "disabled" rule).
 */
#include "sequencing_int.h"

#include <assert.h>

enum { T_FALSE = 0, T_TRUE = 1, T_UNKNOWN = -1 };

sq_obj_state *sq_obj(lms_seq_tree *t, int act, int oi)
{
	assert(oi >= 0 && (size_t)oi < t->acts[act].def.n_obj);
	return &t->st.obj[t->acts[act].obj_base + (size_t)oi];
}

void sq_obj_read(const lms_seq_tree *t, int act, int oi, sq_obj_state *out)
{
	const sq_objective *o = &t->acts[act].def.obj[oi];
	bool got_sat = false, got_measure = false;

	*out = t->st.obj[t->acts[act].obj_base + (size_t)oi];
	for (size_t i = 0; i < o->n_maps; i++) {
		const sq_obj_state *g = &t->st.glob[o->maps[i].global];
		if (o->maps[i].read_sat && !got_sat && g->known) {
			out->known = true;
			out->satisfied = g->satisfied;
			got_sat = true;
		}
		if (o->maps[i].read_measure && !got_measure && g->measure_known) {
			out->measure_known = true;
			out->measure = g->measure;
			got_measure = true;
		}
	}
}

void sq_obj_set_status(lms_seq_tree *t, int act, int oi, bool known, bool satisfied)
{
	const sq_objective *o = &t->acts[act].def.obj[oi];
	sq_obj_state *s = sq_obj(t, act, oi);

	s->known = known;
	s->satisfied = known && satisfied;
	if (!known)
		return; /* an unknown status never erases a global one */
	for (size_t i = 0; i < o->n_maps; i++)
		if (o->maps[i].write_sat) {
			t->st.glob[o->maps[i].global].known = true;
			t->st.glob[o->maps[i].global].satisfied = satisfied;
		}
}

void sq_obj_set_measure(lms_seq_tree *t, int act, int oi, bool known, double measure)
{
	const sq_objective *o = &t->acts[act].def.obj[oi];
	sq_obj_state *s = sq_obj(t, act, oi);

	s->measure_known = known;
	s->measure = known ? measure : 0.0;
	if (!known)
		return;
	for (size_t i = 0; i < o->n_maps; i++)
		if (o->maps[i].write_measure) {
			t->st.glob[o->maps[i].global].measure_known = true;
			t->st.glob[o->maps[i].global].measure = measure;
		}
}

bool sq_limit_exceeded(const lms_seq_tree *t, int act)
{
	const sq_def *d = &t->acts[act].def;
	const sq_act_state *s = &t->st.act[act];

	if (!d->tracked || s->active || s->suspended)
		return false;
	return d->attempt_limit > 0 && s->attempted && s->attempts >= d->attempt_limit;
}

static int condition(const lms_seq_tree *t, int act, const sq_condition *c)
{
	const sq_act_state *s = &t->st.act[act];
	sq_obj_state o;
	int r;

	sq_obj_read(t, act, c->obj, &o);
	switch (c->cond) {
	case SQ_C_SATISFIED:
		r = o.known ? o.satisfied : T_UNKNOWN;
		break;
	case SQ_C_STATUS_KNOWN:
		r = o.known;
		break;
	case SQ_C_MEASURE_KNOWN:
		r = o.measure_known;
		break;
	case SQ_C_MEASURE_GT:
		r = o.measure_known ? o.measure > c->threshold : T_UNKNOWN;
		break;
	case SQ_C_MEASURE_LT:
		r = o.measure_known ? o.measure < c->threshold : T_UNKNOWN;
		break;
	case SQ_C_COMPLETED:
		r = s->prog_known ? s->completed : T_UNKNOWN;
		break;
	case SQ_C_PROGRESS_KNOWN:
		r = s->attempted && s->prog_known;
		break;
	case SQ_C_ATTEMPTED:
		r = s->attempted && s->attempts > 0;
		break;
	case SQ_C_LIMIT_EXCEEDED: {
		const sq_def *d = &t->acts[act].def;
		r = d->tracked && d->attempt_limit > 0 && s->attempted &&
		    s->attempts >= d->attempt_limit;
		break;
	}
	case SQ_C_ALWAYS:
		r = T_TRUE;
		break;
	case SQ_C_NEVER:
	default:
		r = T_FALSE;
		break;
	}
	if (c->negate && r != T_UNKNOWN)
		r = !r;
	return r;
}

static int combine(const lms_seq_tree *t, int act, const sq_rule *r)
{
	bool unknown = false;

	for (size_t i = 0; i < r->n; i++) {
		int v = condition(t, act, &r->c[i]);
		if (v == T_UNKNOWN)
			unknown = true;
		else if (r->any && v == T_TRUE)
			return T_TRUE;
		else if (!r->any && v == T_FALSE)
			return T_FALSE;
	}
	if (unknown)
		return T_UNKNOWN;
	return r->any ? T_FALSE : T_TRUE;
}

int sq_condition_eval(const lms_seq_tree *t, int act, const sq_condition *c)
{
	return condition(t, act, c);
}

const sq_rule *sq_rules_check(const lms_seq_tree *t, int act, const sq_rule *rules, size_t n,
                              sq_action only)
{
	for (size_t i = 0; i < n; i++) {
		if (only != SQ_A_NONE && rules[i].action != only)
			continue;
		if (combine(t, act, &rules[i]) == T_TRUE)
			return &rules[i];
	}
	return NULL;
}

static lms_seq_status status12_cb(const void *ud, int act)
{
	return sq_status12(ud, act);
}

lms_seq_status sq_status12(const lms_seq_tree *t, int act)
{
	const sq_act_state *s = &t->st.act[act];

	if (s->st12 != LMS_SEQ_NOT_ATTEMPTED)
		return s->st12;
	return s->attempted ? LMS_SEQ_INCOMPLETE : LMS_SEQ_NOT_ATTEMPTED;
}

bool sq_check_activity(const lms_seq_tree *t, int act, const char **reason)
{
	const sq_activity *a = &t->acts[act];

	if (t->v == LMS_CMI_2004 && sq_rules_check(t, act, a->def.pre, a->def.n_pre, SQ_A_DISABLED)) {
		*reason = "disabled";
		return true;
	}
	if (t->v == LMS_CMI_12 && a->prereq && !sq_prereq_eval(a->prereq, status12_cb, t)) {
		*reason = "prerequisites";
		return true;
	}
	if (sq_limit_exceeded(t, act)) {
		*reason = "attempt_limit";
		return true;
	}
	return false;
}
