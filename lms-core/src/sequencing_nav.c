/* sequencing_nav.c — the SN Overall Sequencing Process (OP.1) for one navigation request:
 * Navigation Request Process NB.2.1, Termination Request Process TB.2.3 (with End Attempt
 * UP.4, Terminate Descendent Attempts UP.3, Sequencing Exit Action Rules TB.2.1 and
 * Sequencing Post Condition Rules TB.2.2), Sequencing Request Process SB.2.12 (start
 * SB.2.5, resumeAll SB.2.6, continue SB.2.7, previous SB.2.8, choice SB.2.9, retry
 * SB.2.10, exit SB.2.11, jump SB.2.13), the flow processes SB.2.1-SB.2.3, Choice Activity
 * Traversal SB.2.9.1, Delivery Request DB.1.1 and Content Delivery Environment DB.2.
 *
 * Invariants: activity indices are preorder (a parent before its children, siblings in
 * document order), so "forward of" is "a larger index". Loops replace the SN book's
 * recursion where a chain of skipped activities could be long. Simplifications are listed
 * in docs/sequencing.md (no randomisation/selection, no constrained choice, no time
 * limits; a new attempt on a cluster resets its descendants only through retry).
 */
#include "sequencing_int.h"

#include <string.h>

typedef enum sreq { SR_NONE, SR_START, SR_RESUME, SR_CONTINUE, SR_PREVIOUS, SR_CHOICE, SR_JUMP,
                    SR_EXIT, SR_RETRY } sreq;

typedef enum treq { TR_NONE, TR_EXIT, TR_EXIT_ALL, TR_SUSPEND_ALL, TR_ABANDON,
                    TR_ABANDON_ALL } treq;

typedef struct nav {
	lms_seq_tree *t;
	lms_seq_outcome *out;
	bool end;            /* flow walked past the last activity */
} nav;

static int refuse(nav *n, const char *reason, const char *exception)
{
	if (!n->out->refused) {
		n->out->refused = reason;
		n->out->exception = exception;
	}
	return -1;
}

static int parent(const lms_seq_tree *t, int a)
{
	return t->acts[a].parent;
}

static bool leaf(const lms_seq_tree *t, int a)
{
	return t->acts[a].n_children == 0;
}

static const sq_def *def(const lms_seq_tree *t, int a)
{
	return &t->acts[a].def;
}

static bool is_ancestor(const lms_seq_tree *t, int anc, int a)
{
	for (; a >= 0; a = parent(t, a))
		if (a == anc)
			return true;
	return false;
}

static int common_ancestor(const lms_seq_tree *t, int a, int b)
{
	for (; a >= 0; a = parent(t, a))
		if (is_ancestor(t, a, b))
			return a;
	return 0;
}

static bool rule(const lms_seq_tree *t, int a, sq_action action)
{
	const sq_def *d = def(t, a);

	if (t->v != LMS_CMI_2004)
		return false;
	return sq_rules_check(t, a, d->pre, d->n_pre, action) != NULL;
}

/* ---- UP.4 End Attempt, UP.3 Terminate Descendent Attempts ---- */

static void end_attempt(lms_seq_tree *t, int a)
{
	sq_act_state *s = &t->st.act[a];
	const sq_def *d = def(t, a);

	if (leaf(t, a)) {
		if (d->tracked && !s->suspended) {
			if (t->v == LMS_CMI_2004) {
				if (!d->completion_by_content && !s->prog_known) {
					s->prog_known = true;
					s->completed = true;
				}
				if (!d->objective_by_content && !sq_obj(t, a, 0)->known)
					sq_obj_set_status(t, a, 0, true, true);
			} else if (t->acts[a].asset && s->st12 == LMS_SEQ_NOT_ATTEMPTED) {
				s->st12 = LMS_SEQ_COMPLETED;
			}
		}
	} else {
		s->suspended = false;
		for (size_t i = 0; i < t->acts[a].n_children; i++)
			if (t->st.act[t->acts[a].children[i]].suspended)
				s->suspended = true;
	}
	s->active = false;
	sq_overall_rollup(t, a);
}

/* Ends the active attempts below a, from the current activity up (a excluded). */
static void terminate_descendents(lms_seq_tree *t, int a)
{
	for (int x = t->st.current; x >= 0 && x != a; x = parent(t, x))
		if (t->st.act[x].active)
			end_attempt(t, x);
}

/* ---- NB.2.1 ---- */

static int navigation_request(nav *n, lms_seq_nav req, int target, treq *term, sreq *seq)
{
	lms_seq_tree *t = n->t;
	int cur = t->st.current;
	bool active = cur >= 0 && t->st.act[cur].active;

	*term = TR_NONE;
	*seq = SR_NONE;
	switch (req) {
	case LMS_NAV_START:
		if (cur >= 0)
			return refuse(n, "already_started", "NB.2.1-1");
		*seq = SR_START;
		return 0;
	case LMS_NAV_RESUME_ALL:
		if (cur >= 0)
			return refuse(n, "already_started", "NB.2.1-1");
		if (t->st.suspended < 0)
			return refuse(n, "nothing_suspended", "NB.2.1-3");
		*seq = SR_RESUME;
		return 0;
	case LMS_NAV_CONTINUE:
	case LMS_NAV_PREVIOUS:
		if (cur < 0)
			return refuse(n, "not_started", "NB.2.1-2");
		if (cur != 0 && !def(t, parent(t, cur))->flow)
			return refuse(n, "flow_disabled", req == LMS_NAV_CONTINUE ? "NB.2.1-4" : "NB.2.1-5");
		if (req == LMS_NAV_PREVIOUS && cur != 0 && def(t, parent(t, cur))->forward_only)
			return refuse(n, "forward_only", "NB.2.1-5");
		*term = active ? TR_EXIT : TR_NONE;
		*seq = req == LMS_NAV_CONTINUE ? SR_CONTINUE : SR_PREVIOUS;
		return 0;
	case LMS_NAV_CHOICE:
	case LMS_NAV_JUMP:
		if (target < 0)
			return refuse(n, "no_target", req == LMS_NAV_CHOICE ? "NB.2.1-11" : "NB.2.1-16");
		if (req == LMS_NAV_CHOICE && target != 0 && !def(t, parent(t, target))->choice)
			return refuse(n, "choice_disabled", "NB.2.1-10");
		if (req == LMS_NAV_CHOICE && cur >= 0) {
			int ca = common_ancestor(t, cur, target);
			for (int x = cur; x >= 0 && x != ca; x = parent(t, x))
				if (t->st.act[x].active && !def(t, x)->choice_exit)
					return refuse(n, "choice_exit", "NB.2.1-8");
		}
		*term = active ? TR_EXIT : TR_NONE;
		*seq = req == LMS_NAV_CHOICE ? SR_CHOICE : SR_JUMP;
		return 0;
	case LMS_NAV_EXIT:
	case LMS_NAV_ABANDON:
		if (cur < 0)
			return refuse(n, "not_started", "NB.2.1-2");
		if (!active)
			return refuse(n, "not_active", "NB.2.1-12");
		*term = req == LMS_NAV_EXIT ? TR_EXIT : TR_ABANDON;
		*seq = SR_EXIT;
		return 0;
	case LMS_NAV_EXIT_ALL:
	case LMS_NAV_ABANDON_ALL:
	case LMS_NAV_SUSPEND_ALL:
		if (cur < 0)
			return refuse(n, "not_started", "NB.2.1-2");
		*term = req == LMS_NAV_EXIT_ALL      ? TR_EXIT_ALL
		        : req == LMS_NAV_ABANDON_ALL ? TR_ABANDON_ALL
		                                     : TR_SUSPEND_ALL;
		*seq = SR_EXIT;
		return 0;
	case LMS_NAV_NONE:
		break;
	}
	return refuse(n, "no_request", "NB.2.1-13");
}

/* ---- TB.2.3 ---- */

static void exit_all(lms_seq_tree *t)
{
	int cur = t->st.current;

	if (cur >= 0 && t->st.act[cur].active)
		end_attempt(t, cur);
	terminate_descendents(t, 0);
	end_attempt(t, 0);
	t->st.current = 0;
}

/* TB.2.1: the topmost ancestor of the current activity whose exit rule fires ends. */
static void exit_action_rules(lms_seq_tree *t)
{
	int path[64], depth = 0, cur = t->st.current;

	if (t->v != LMS_CMI_2004)
		return;
	for (int x = parent(t, cur); x >= 0 && depth < 64; x = parent(t, x))
		path[depth++] = x;
	for (int i = depth - 1; i >= 0; i--) {
		const sq_def *d = def(t, path[i]);
		if (sq_rules_check(t, path[i], d->exit, d->n_exit, SQ_A_EXIT)) {
			terminate_descendents(t, path[i]);
			end_attempt(t, path[i]);
			t->st.current = path[i];
			return;
		}
	}
}

static int termination_request(nav *n, treq term, sreq *seq)
{
	lms_seq_tree *t = n->t;
	int cur = t->st.current;

	if (cur < 0)
		return refuse(n, "not_started", "TB.2.3-1");
	switch (term) {
	case TR_NONE:
		return 0;
	case TR_EXIT:
		if (!t->st.act[cur].active)
			return refuse(n, "not_active", "TB.2.3-2");
		terminate_descendents(t, cur);
		end_attempt(t, cur);
		exit_action_rules(t);
		for (;;) {
			const sq_rule *r = NULL;
			cur = t->st.current;
			if (t->v == LMS_CMI_2004 && !t->st.act[cur].suspended)
				r = sq_rules_check(t, cur, def(t, cur)->post, def(t, cur)->n_post, SQ_A_NONE);
			if (!r)
				break;
			if (r->action == SQ_A_EXIT_ALL) {
				exit_all(t);
				*seq = SR_EXIT;
				return 0;
			}
			if (r->action == SQ_A_EXIT_PARENT) {
				if (cur == 0)
					return refuse(n, "no_parent", "TB.2.3-4");
				t->st.current = parent(t, cur);
				end_attempt(t, t->st.current);
				continue;
			}
			if (r->action == SQ_A_RETRY_ALL) {
				exit_all(t);
				*seq = SR_RETRY;
				return 0;
			}
			if (r->action == SQ_A_RETRY)
				*seq = SR_RETRY;
			else if (r->action == SQ_A_CONTINUE)
				*seq = SR_CONTINUE;
			else if (r->action == SQ_A_PREVIOUS)
				*seq = SR_PREVIOUS;
			break;
		}
		if (t->st.current == 0 && *seq != SR_RETRY)
			*seq = SR_EXIT;
		return 0;
	case TR_EXIT_ALL:
		exit_all(t);
		*seq = SR_EXIT;
		return 0;
	case TR_SUSPEND_ALL: {
		int s;
		if (t->st.act[cur].active || t->st.act[cur].suspended) {
			sq_overall_rollup(t, cur);
			s = cur;
		} else if (cur != 0) {
			s = parent(t, cur);
		} else {
			return refuse(n, "not_active", "TB.2.3-3");
		}
		t->st.suspended = s;
		for (int x = s; x >= 0; x = parent(t, x)) {
			t->st.act[x].active = false;
			t->st.act[x].suspended = true;
		}
		t->st.current = 0;
		*seq = SR_EXIT;
		n->out->suspended = true;
		return 0;
	}
	case TR_ABANDON:
		t->st.act[cur].active = false;
		return 0;
	case TR_ABANDON_ALL:
		for (int x = cur; x >= 0; x = parent(t, x))
			t->st.act[x].active = false;
		t->st.current = 0;
		*seq = SR_EXIT;
		return 0;
	}
	return 0;
}

/* ---- SB.2.1 Flow Tree Traversal ---- */

/* The next activity from a in direction fwd (children: may descend into a), or -1 with
 * n->end set (past the last activity) or a refusal. */
static int tree_next(nav *n, int a, bool fwd, bool children)
{
	const lms_seq_tree *t = n->t;

	for (;;) {
		if (fwd) {
			int p;
			if ((size_t)a == t->n - 1 || (a == 0 && !children)) {
				n->end = true;
				return -1;
			}
			if (!leaf(t, a) && children)
				return t->acts[a].children[0];
			p = parent(t, a);
			if (p < 0) {
				n->end = true;
				return -1;
			}
			/* next sibling, else climb */
			const sq_activity *pa = &t->acts[p];
			if (pa->children[pa->n_children - 1] != a) {
				for (size_t i = 0; i + 1 < pa->n_children; i++)
					if (pa->children[i] == a)
						return pa->children[i + 1];
			}
			a = p;
			children = false;
		} else {
			int p;
			if (a == 0)
				return refuse(n, "start_of_course", "SB.2.1-3");
			if (!leaf(t, a) && children)
				return t->acts[a].children[t->acts[a].n_children - 1];
			p = parent(t, a);
			if (def(t, p)->forward_only)
				return refuse(n, "forward_only", "SB.2.1-4");
			const sq_activity *pa = &t->acts[p];
			if (pa->children[0] != a) {
				for (size_t i = 1; i < pa->n_children; i++)
					if (pa->children[i] == a)
						return pa->children[i - 1];
			}
			a = p;
			children = false;
		}
	}
}

/* ---- SB.2.2 Flow Activity Traversal ---- */

static int flow_activity(nav *n, int a, bool fwd)
{
	const lms_seq_tree *t = n->t;
	const char *why;

	for (;;) {
		int p = parent(t, a);
		if (p >= 0 && !def(t, p)->flow)
			return refuse(n, "flow_disabled", "SB.2.2-1");
		if (rule(t, a, SQ_A_SKIP) || (leaf(t, a) && !t->acts[a].launchable)) {
			/* skipped, or an empty container item (nothing to launch) */
			if ((a = tree_next(n, a, fwd, false)) < 0)
				return -1;
			continue;
		}
		if (sq_check_activity(t, a, &why))
			return refuse(n, why, "SB.2.2-2");
		if (leaf(t, a))
			return a;
		/* descend: a forward-only cluster entered backwards is walked forwards */
		if (!fwd && def(t, a)->forward_only)
			fwd = true;
		a = fwd ? t->acts[a].children[0] : t->acts[a].children[t->acts[a].n_children - 1];
	}
}

/* SB.2.3 */
static int flow(nav *n, int a, bool fwd, bool children)
{
	int next = tree_next(n, a, fwd, children);

	if (next < 0)
		return -1;
	return flow_activity(n, next, fwd);
}

/* ---- SB.2.9 choice ---- */

/* SB.2.9.1 Choice Activity Traversal */
static int choice_traversal(nav *n, int a, bool fwd)
{
	const lms_seq_tree *t = n->t;

	if (fwd) {
		if (rule(t, a, SQ_A_STOP_FORWARD))
			return refuse(n, "stop_forward", "SB.2.9.1-1");
		return 0;
	}
	if (a != 0 && def(t, parent(t, a))->forward_only)
		return refuse(n, "forward_only", "SB.2.9.1-2");
	return 0;
}

static void reset_tracking(lms_seq_tree *t, int a); /* below */

static int choice_request(nav *n, int target)
{
	lms_seq_tree *t = n->t;
	int cur = t->st.current, path[64], depth = 0;

	if (target < 0)
		return refuse(n, "no_target", "SB.2.9-1");
	for (int x = target; x >= 0 && depth < 64; x = parent(t, x))
		path[depth++] = x;
	for (int i = depth - 1; i >= 0; i--)
		if (rule(t, path[i], SQ_A_HIDDEN))
			return refuse(n, "hidden", "SB.2.9-3");
	if (t->v == LMS_CMI_12 && target != 0 && !t->acts[target].visible)
		return refuse(n, "hidden", "SB.2.9-3");
	if (target != 0 && !def(t, parent(t, target))->choice)
		return refuse(n, "choice_disabled", "SB.2.9-4");
	if (cur >= 0 && cur != target) {
		int ca = common_ancestor(t, cur, target);
		bool fwd = target > cur;

		if (parent(t, cur) == parent(t, target)) {
			/* siblings: every activity from the current one towards the target */
			const sq_activity *pa = &t->acts[parent(t, cur)];
			for (size_t i = 0; i < pa->n_children; i++) {
				int c = pa->children[i];
				bool between = fwd ? (c >= cur && c < target) : (c <= cur && c > target);
				if (between && choice_traversal(n, c, fwd) < 0)
					return -1;
			}
		} else if (ca == cur) {
			/* the target is below the current activity */
			for (int i = depth - 1; i > 0; i--)
				if (path[i] != cur && is_ancestor(t, cur, path[i]) &&
				    choice_traversal(n, path[i], true) < 0)
					return -1;
		} else if (ca != target) {
			/* another branch: leave up to the common ancestor, go down to the target */
			for (int x = cur; x >= 0 && x != ca; x = parent(t, x))
				if (t->st.act[x].active && !def(t, x)->choice_exit)
					return refuse(n, "choice_exit", "SB.2.9-7");
			for (int i = depth - 1; i >= 0; i--) {
				if (path[i] == ca || !is_ancestor(t, ca, path[i]))
					continue;
				if (fwd) {
					if (path[i] != target && choice_traversal(n, path[i], true) < 0)
						return -1;
				} else if (parent(t, path[i]) == ca) {
					if (choice_traversal(n, path[i], false) < 0)
						return -1;
				}
			}
		}
		/* leaving the current branch ends its attempts up to the common ancestor */
		terminate_descendents(t, ca);
	}
	if (leaf(t, target))
		return target;
	return flow(n, target, true, true);
}

/* ---- DB.1.1, DB.2 ---- */

static void reset_tracking(lms_seq_tree *t, int a)
{
	sq_act_state *s = &t->st.act[a];

	s->prog_known = s->completed = false;
	s->amount_known = false;
	s->amount = 0.0;
	for (size_t i = 0; i < def(t, a)->n_obj; i++)
		memset(sq_obj(t, a, (int)i), 0, sizeof(sq_obj_state));
}

static int delivery_request(nav *n, int target)
{
	lms_seq_tree *t = n->t;
	const char *why;

	if (!leaf(t, target) || !t->acts[target].launchable)
		return refuse(n, "not_a_leaf", "DB.1.1-1");
	for (int x = target; x >= 0; x = parent(t, x))
		if (sq_check_activity(t, x, &why))
			return refuse(n, why, "DB.1.1-3");
	return 0;
}

static void content_delivery(nav *n, int target)
{
	lms_seq_tree *t = n->t;
	int path[64], depth = 0;

	if (t->st.suspended >= 0 && t->st.suspended != target) {
		/* Clear Suspended Activity Subprocess: the old suspended branch up to where it
		 * meets the new path no longer holds a suspended attempt */
		int ca = common_ancestor(t, t->st.suspended, target);
		for (int x = t->st.suspended; x >= 0 && x != ca; x = parent(t, x)) {
			if (leaf(t, x)) {
				t->st.act[x].suspended = false;
			} else {
				bool any = false;
				for (size_t i = 0; i < t->acts[x].n_children; i++)
					any = any || t->st.act[t->acts[x].children[i]].suspended;
				t->st.act[x].suspended = any;
			}
		}
	}
	t->st.suspended = -1;
	for (int x = target; x >= 0 && depth < 64; x = parent(t, x))
		path[depth++] = x;
	for (int i = depth - 1; i >= 0; i--) {
		sq_act_state *s = &t->st.act[path[i]];
		if (s->active)
			continue;
		if (s->suspended) {
			s->suspended = false;
		} else {
			if (s->attempts < 1000000)
				s->attempts++;
			s->attempted = true;
			if (leaf(t, path[i]))
				reset_tracking(t, path[i]);
			if (path[i] == target)
				n->out->new_attempt = true;
		}
		s->active = true;
	}
	t->st.current = target;
	n->out->deliver_ord = sq_ord_of(t, target);
}

/* A retried cluster starts over: its descendants' tracking and suspended flags go. */
static void retry_reset(lms_seq_tree *t, int a)
{
	for (size_t x = (size_t)a + 1; x < t->n && is_ancestor(t, a, (int)x); x++) {
		reset_tracking(t, (int)x);
		t->st.act[x].suspended = false;
		t->st.act[x].st12 = LMS_SEQ_NOT_ATTEMPTED;
	}
	reset_tracking(t, a);
}

static void end_session(nav *n)
{
	lms_seq_tree *t = n->t;

	if (!n->out->suspended) {
		terminate_descendents(t, 0);
		if (t->st.act[0].active)
			end_attempt(t, 0);
		n->out->end_of_course = true;
	}
	t->st.current = -1;
}

/* SB.2.12, then delivery. */
static void sequencing_request(nav *n, sreq seq, int target)
{
	lms_seq_tree *t = n->t;
	int cur = t->st.current, d = -1;

	switch (seq) {
	case SR_NONE:
		return;
	case SR_START:
		if (cur >= 0) {
			refuse(n, "already_started", "SB.2.5-1");
			return;
		}
		d = flow(n, 0, true, true);
		break;
	case SR_RESUME:
		if (cur >= 0) {
			refuse(n, "already_started", "SB.2.6-1");
			return;
		}
		if (t->st.suspended < 0) {
			refuse(n, "nothing_suspended", "SB.2.6-2");
			return;
		}
		d = t->st.suspended;
		break;
	case SR_CONTINUE:
	case SR_PREVIOUS:
		if (cur < 0) {
			refuse(n, "not_started", seq == SR_CONTINUE ? "SB.2.7-1" : "SB.2.8-1");
			return;
		}
		if (cur != 0 && !def(t, parent(t, cur))->flow) {
			refuse(n, "flow_disabled", seq == SR_CONTINUE ? "SB.2.7-2" : "SB.2.8-2");
			return;
		}
		d = flow(n, cur, seq == SR_CONTINUE, false);
		break;
	case SR_CHOICE:
		d = choice_request(n, target);
		break;
	case SR_JUMP:
		d = target;
		break;
	case SR_EXIT:
		if (cur < 0) {
			refuse(n, "not_started", "SB.2.11-1");
			return;
		}
		if (t->st.act[cur].active) {
			refuse(n, "not_active", "SB.2.11-2");
			return;
		}
		if (cur == 0)
			end_session(n);
		return;
	case SR_RETRY:
		if (cur < 0) {
			refuse(n, "not_started", "SB.2.10-1");
			return;
		}
		if (t->st.act[cur].active || t->st.act[cur].suspended) {
			refuse(n, "not_active", "SB.2.10-2");
			return;
		}
		retry_reset(t, cur);
		sq_overall_rollup(t, cur);
		if (leaf(t, cur))
			d = cur;
		else if (cur == 0) {
			/* retryAll: a new sequencing session from the start */
			t->st.current = -1;
			d = flow(n, 0, true, true);
		} else
			d = flow(n, cur, true, true);
		break;
	}
	if (d < 0) {
		if (n->end) {
			end_session(n);
			return;
		}
		if (!n->out->refused)
			refuse(n, "nothing_to_deliver", "SB.2.12-6");
		return;
	}
	if (delivery_request(n, d) < 0)
		return;
	content_delivery(n, d);
}

void sq_navigate(lms_seq_tree *t, lms_seq_nav req, int target, lms_seq_outcome *out)
{
	nav n = {t, out, false};
	treq term;
	sreq seq, seq2 = SR_NONE;

	if (navigation_request(&n, req, target, &term, &seq) < 0)
		goto done;
	if (term != TR_NONE) {
		if (termination_request(&n, term, &seq2) < 0)
			goto done;
		if (seq2 != SR_NONE)
			seq = seq2;
	}
	sequencing_request(&n, seq, target);
done:
	out->current_ord = t->st.current > 0 ? sq_ord_of(t, t->st.current) : -1;
}
