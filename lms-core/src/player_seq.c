/* player_seq.c — the player's use of the sequencer (sequencing.h): building an enrolment's
 * activity tree, reporting attempts' run-time data, and the course page's table of contents.
 */
#include "player_int.h"

#include "lms/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_RETRIES 5

const lms_item *pl_item(const pl_seq *q, int ord)
{
	size_t i;

	for (i = 0; i < q->n_items; i++)
		if (q->items[i].ord == ord)
			return &q->items[i];
	return NULL;
}

int pl_seq_open(lms_store *s, const lms_enrolment *e, lms_arena *a, pl_seq *out, lms_err *err)
{
	lms_seq_item_in *in;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->v = lms_player_cmi_version(e->kind);
	if ((rc = s->ops->item_list(s, e->version_id, a, &out->items, &out->n_items, err)) < 0)
		return rc;
	if (out->n_items == 0)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "this course has no items");
	in = lms_arena_alloc(a, out->n_items * sizeof(*in));
	for (i = 0; i < out->n_items; i++) {
		const lms_item *it = &out->items[i];
		in[i].ord = it->ord;
		in[i].parent_ord = it->parent_ord;
		in[i].identifier = it->identifier;
		in[i].title = it->title;
		in[i].launchable = it->href != NULL;
		in[i].asset = it->asset;
		in[i].visible = it->visible;
		in[i].sequencing_xml = it->sequencing_xml;
		in[i].prerequisites = it->prerequisites;
		in[i].completion_threshold = it->completion_threshold;
	}
	if ((rc = lms_seq_tree_build(out->v, e->org_sequencing_xml, e->sequencing_collection_xml, in,
	                             out->n_items, a, NULL, &out->tree, err)) < 0)
		return rc;
	if (lms_seq_state_load(out->tree, e->seq_state, err) < 0) {
		LMS_WARN("enrolment %lld: sequencing state unreadable (%s); starting afresh",
		         (long long)e->id, err->msg);
		lms_err_clear(err);
	}
	return LMS_OK;
}

static bool num(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return false;
	*out = strtod(s, &end);
	return *end == '\0';
}

void pl_seq_result(lms_cmi_version v, const lms_rt_state *st, const lms_item *it, lms_arena *a,
                   lms_seq_sco_result *out)
{
	pl_status ps;
	double d;
	char key[64];
	int n, i;

	memset(out, 0, sizeof(*out));
	pl_status_of(v, st, it, &ps);
	out->has_score = ps.has_score;
	out->score_scaled = ps.score;
	if (v == LMS_CMI_12) {
		const char *ls = lms_rt_get(st, "cmi.core.lesson_status");
		out->lesson_status = strcmp(ps.success, "unknown") != 0 ? ps.success
		                     : strcmp(ps.completion, "completed") == 0 ? "completed"
		                                                             : ls;
		out->exit = lms_rt_get(st, "cmi.core.exit");
		return;
	}
	out->completion_status = ps.completion;
	out->success_status = ps.success;
	out->exit = lms_rt_get(st, "cmi.exit");
	out->nav_request = lms_rt_get(st, "adl.nav.request");
	if (num(lms_rt_get(st, "cmi.progress_measure"), &d)) {
		out->has_progress = true;
		out->progress_measure = d;
	}
	n = st->counts.objectives;
	if (n > 0) {
		lms_seq_objective_report *o = lms_arena_alloc(a, (size_t)n * sizeof(*o));
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "cmi.objectives.%d.id", i);
			o[i].id = lms_rt_get(st, key);
			snprintf(key, sizeof(key), "cmi.objectives.%d.success_status", i);
			o[i].success_status = lms_rt_get(st, key);
			snprintf(key, sizeof(key), "cmi.objectives.%d.completion_status", i);
			o[i].completion_status = lms_rt_get(st, key);
			snprintf(key, sizeof(key), "cmi.objectives.%d.score.scaled", i);
			o[i].has_score = num(lms_rt_get(st, key), &o[i].score_scaled);
		}
		out->objectives = o;
		out->n_objectives = (size_t)n;
	}
}

lms_enrolment *pl_enrolment_by_id(lms_store *s, int64_t user_id, int64_t enrolment_id,
                                  lms_arena *a, lms_err *err)
{
	lms_enrolment *list;
	size_t n, i;

	if (s->ops->enrolment_list(s, user_id, NULL, a, &list, &n, err) < 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (list[i].id == enrolment_id)
			return &list[i];
	lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such enrolment");
	return NULL;
}

int pl_seq_after_finish(lms_store *s, int64_t user_id, int64_t enrolment_id, int item_ord,
                        const lms_rt_state *final, lms_arena *a, lms_err *err)
{
	int tries, rc = LMS_OK;

	for (tries = 0; tries < SEQ_RETRIES; tries++) {
		lms_enrolment *e = pl_enrolment_by_id(s, user_id, enrolment_id, a, err);
		lms_seq_sco_result res;
		pl_seq q;

		if (!e)
			return err->rc;
		if ((rc = pl_seq_open(s, e, a, &q, err)) < 0)
			return rc;
		pl_seq_result(q.v, final, pl_item(&q, item_ord), a, &res);
		if (lms_seq_report(q.tree, item_ord, &res, err) < 0) {
			/* Not delivered by the sequencer (an attempt from before it ran): nothing
			 * to roll up. */
			lms_err_clear(err);
			return LMS_OK;
		}
		/* Terminate ends the attempt (RTE: the termination request "exit"), which rolls
		 * the course up — unless the SCO suspended, or asked for a navigation request
		 * that the player is about to send (and that will end it). */
		if (!(res.exit && strcmp(res.exit, "suspend") == 0) &&
		    (!res.nav_request || strcmp(res.nav_request, "_none_") == 0)) {
			bool active;
			lms_seq_outcome o;
			if (lms_seq_current(q.tree, &active) == item_ord && active &&
			    lms_seq_navigate(q.tree, LMS_NAV_EXIT, -1, &o, err) < 0)
				lms_err_clear(err);
		}
		rc = s->ops->seq_save(s, e->id, e->rev, lms_seq_state_dump(q.tree, a), err);
		if (rc != LMS_ECONFLICT)
			return rc;
		pl_backoff(tries);
	}
	return rc;
}

int lms_player_course_page(lms_store *s, const lms_enrolment *e, lms_arena *a,
                           lms_course_page *out, lms_err *err)
{
	lms_seq_toc_entry *toc;
	lms_seq_course course;
	size_t n, i;
	bool active;
	pl_seq q;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = pl_seq_open(s, e, a, &q, err)) < 0 || (rc = lms_seq_toc(q.tree, a, &toc, &n)) < 0)
		return rc;
	out->toc = lms_arena_alloc(a, (n + 1) * sizeof(*out->toc));
	for (i = 0; i < n; i++) {
		lms_toc_item *t = &out->toc[out->n];
		if (!(t->item = pl_item(&q, toc[i].ord)))
			continue;
		t->depth = toc[i].depth;
		t->choosable = toc[i].choosable;
		t->refused = toc[i].refused;
		t->status = lms_seq_status_name(toc[i].status);
		t->current = toc[i].current;
		t->suspended = toc[i].suspended;
		out->n++;
	}
	lms_seq_flow_allowed(q.tree, a, &out->can_continue, &out->can_previous);
	out->has_suspended = lms_seq_has_suspended(q.tree);
	out->current_ord = lms_seq_current(q.tree, &active);
	lms_seq_course_status(q.tree, &course);
	out->course_status = lms_seq_status_name(course.status);
	return LMS_OK;
}

int lms_player_launch_page(lms_store *s, const lms_launch_ctx *ctx, lms_arena *a,
                           lms_course_page *out, lms_err *err)
{
	lms_enrolment *e = pl_enrolment_by_id(s, ctx->user_id, ctx->enrolment_id, a, err);

	if (!e)
		return err->rc;
	return lms_player_course_page(s, e, a, out, err);
}
