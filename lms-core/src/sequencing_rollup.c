/* sequencing_rollup.c — SCORM 2004 rollup (SN RB.1): Overall Rollup Process RB.1.5 over
 * the path from an activity to the root, with Measure Rollup RB.1.1, Objective Rollup
 * RB.1.2 (using measure RB.1.2.a, using rules RB.1.2.b), Activity Progress Rollup RB.1.3,
 * Rollup Rule Check RB.1.4, Evaluate Rollup Conditions RB.1.4.1 and Check Child for
 * Rollup RB.1.4.2 (requiredFor* of adlseq:rollupConsiderations).
 *
 * Default rules when an activity defines none for a pair of actions (SN 4.6.x):
 *   not satisfied if all contributing children have objectiveStatusKnown; satisfied if
 *   all are satisfied; incomplete if all have activityProgressKnown; completed if all are
 *   completed. The positive rule is applied after the negative one, so it wins.
 * A rule over an empty set of contributing children never fires. Not here: completion by
 * measure (4th ed. completedByMeasure), useCurrentAttempt*Info, time durations.
 * SCORM 1.2 courses do not use this file (sequencing.c summarises them directly).
 */
#include "sequencing_int.h"

static bool contributes(const lms_seq_tree *t, int child, sq_action action)
{
	const sq_def *d = &t->acts[child].def;
	const sq_act_state *s = &t->st.act[child];
	sq_required req;

	if (!d->tracked)
		return false;
	switch (action) {
	case SQ_A_SATISFIED:
	case SQ_A_NOT_SATISFIED:
		if (!d->rollup_satisfied)
			return false;
		req = action == SQ_A_SATISFIED ? d->req_satisfied : d->req_not_satisfied;
		break;
	default:
		if (!d->rollup_completion)
			return false;
		req = action == SQ_A_COMPLETED ? d->req_completed : d->req_incomplete;
		break;
	}
	switch (req) {
	case SQ_REQ_IF_NOT_SUSPENDED:
		if (!s->attempted || (s->attempts > 0 && s->suspended))
			return false;
		break;
	case SQ_REQ_IF_ATTEMPTED:
		if (!s->attempted || s->attempts == 0)
			return false;
		break;
	case SQ_REQ_IF_NOT_SKIPPED:
		if (sq_rules_check(t, child, d->pre, d->n_pre, SQ_A_SKIP))
			return false;
		break;
	case SQ_REQ_ALWAYS:
		break;
	}
	return true;
}

/* RB.1.4.1: the rule's conditions for one child, three-valued. */
static int child_value(const lms_seq_tree *t, int child, const sq_rule *r)
{
	bool unknown = false;

	for (size_t i = 0; i < r->n; i++) {
		int v = sq_condition_eval(t, child, &r->c[i]);
		if (v < 0)
			unknown = true;
		else if (r->any && v == 1)
			return 1;
		else if (!r->any && v == 0)
			return 0;
	}
	if (unknown)
		return -1;
	return r->any ? 0 : 1;
}

static bool rule_fires(const lms_seq_tree *t, int act, const sq_rule *r)
{
	const sq_activity *a = &t->acts[act];
	size_t bag = 0, yes = 0, no = 0;

	for (size_t i = 0; i < a->n_children; i++) {
		int c = a->children[i], v;

		if (!contributes(t, c, r->action))
			continue;
		bag++;
		v = child_value(t, c, r);
		if (v == 1)
			yes++;
		else if (v == 0)
			no++;
	}
	if (bag == 0)
		return false;
	switch (r->set) {
	case SQ_SET_ALL:
		return yes == bag;
	case SQ_SET_ANY:
		return yes > 0;
	case SQ_SET_NONE:
		return no == bag;
	case SQ_SET_COUNT:
		return yes >= (size_t)r->min_count;
	case SQ_SET_PERCENT:
		return (double)yes / (double)bag >= r->min_percent - 1e-9;
	}
	return false;
}

/* RB.1.4 Rollup Rule Check for one action; *defined tells whether any rule names it. */
static bool rollup_check(const lms_seq_tree *t, int act, sq_action action, bool *defined)
{
	const sq_def *d = &t->acts[act].def;
	bool fired = false;

	for (size_t i = 0; i < d->n_rollup; i++) {
		if (d->rollup[i].action != action)
			continue;
		*defined = true;
		if (!fired && rule_fires(t, act, &d->rollup[i]))
			fired = true;
	}
	return fired;
}

static bool default_rule(const lms_seq_tree *t, int act, sq_action action, sq_cond cond)
{
	sq_condition c = {cond, false, 0, 0.0};
	sq_rule r = {false, &c, 1, action, SQ_SET_ALL, 0, 0.0};

	return rule_fires(t, act, &r);
}

/* RB.1.1 */
static void measure_rollup(lms_seq_tree *t, int act)
{
	const sq_activity *a = &t->acts[act];
	double total = 0.0, counted = 0.0;
	bool valid = false;

	for (size_t i = 0; i < a->n_children; i++) {
		int c = a->children[i];
		const sq_def *cd = &t->acts[c].def;
		sq_obj_state o;

		if (!cd->tracked)
			continue;
		counted += cd->weight;
		sq_obj_read(t, c, 0, &o);
		if (o.measure_known) {
			total += o.measure * cd->weight;
			valid = true;
		}
	}
	if (!valid || counted <= 0.0)
		sq_obj_set_measure(t, act, 0, false, 0.0);
	else
		sq_obj_set_measure(t, act, 0, true, total / counted);
}

/* RB.1.2.a */
static void objective_by_measure(lms_seq_tree *t, int act)
{
	const sq_def *d = &t->acts[act].def;
	sq_obj_state o;

	sq_obj_read(t, act, 0, &o);
	if (!o.measure_known || (t->st.act[act].active && !d->measure_if_active)) {
		sq_obj_set_status(t, act, 0, false, false);
		return;
	}
	sq_obj_set_status(t, act, 0, true, o.measure >= d->obj[0].min_measure);
}

/* RB.1.2.b */
static void objective_by_rules(lms_seq_tree *t, int act)
{
	bool def_not = false, def_sat = false;
	bool not_sat = rollup_check(t, act, SQ_A_NOT_SATISFIED, &def_not);
	bool sat = rollup_check(t, act, SQ_A_SATISFIED, &def_sat);

	if (!def_not)
		not_sat = default_rule(t, act, SQ_A_NOT_SATISFIED, SQ_C_STATUS_KNOWN);
	if (!def_sat)
		sat = default_rule(t, act, SQ_A_SATISFIED, SQ_C_SATISFIED);
	if (not_sat)
		sq_obj_set_status(t, act, 0, true, false);
	if (sat)
		sq_obj_set_status(t, act, 0, true, true);
}

/* RB.1.3 */
static void progress_rollup(lms_seq_tree *t, int act)
{
	sq_act_state *s = &t->st.act[act];
	bool def_inc = false, def_comp = false;
	bool inc = rollup_check(t, act, SQ_A_INCOMPLETE, &def_inc);
	bool comp = rollup_check(t, act, SQ_A_COMPLETED, &def_comp);

	if (!def_inc)
		inc = default_rule(t, act, SQ_A_INCOMPLETE, SQ_C_PROGRESS_KNOWN);
	if (!def_comp)
		comp = default_rule(t, act, SQ_A_COMPLETED, SQ_C_COMPLETED);
	if (inc) {
		s->prog_known = true;
		s->completed = false;
	}
	if (comp) {
		s->prog_known = true;
		s->completed = true;
	}
}

void sq_overall_rollup(lms_seq_tree *t, int act)
{
	if (t->v != LMS_CMI_2004)
		return;
	for (int a = act; a >= 0; a = t->acts[a].parent) {
		bool leaf = t->acts[a].n_children == 0;

		if (!leaf)
			measure_rollup(t, a);
		if (t->acts[a].def.obj[0].by_measure)
			objective_by_measure(t, a);
		else if (!leaf)
			objective_by_rules(t, a);
		if (!leaf)
			progress_rollup(t, a);
	}
}
