/* player.c — the learner's use cases: launch, initial data, commit, heartbeat, completion
 * (player.h, docs/player-api.md). Each is a short sequence of store calls around the pure
 * rules of runtime.c and time_on_task.c. Concurrency: commits and heartbeats are written by
 * one guarded statement each; when another writer came first (two tabs, a retry racing its
 * original) the call reads again and re-applies, up to MAX_RETRIES times.
 */
#include "lms/player.h"

#include "player_int.h"

#include "lms/assess_store.h"
#include "lms/auth.h"
#include "lms/course_quiz.h"
#include "lms/jsonw.h"
#include "lms/log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RETRIES 12

/* Waits a little before reading again after losing a race: (tries + 1) ms plus up to 3 ms of
 * jitter, so two writers that keep colliding fall out of step. */
void pl_backoff(int tries)
{
	static _Thread_local unsigned x = 0x9e3779b9u;
	struct timespec ts;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(tries + 1) * 1000000L + (long)(x % 3000u) * 1000L;
	nanosleep(&ts, NULL);
}
#define MAX_CHANGES_PER_COMMIT 20000

lms_cmi_version lms_player_cmi_version(const char *kind)
{
	return kind && strcmp(kind, "scorm12") == 0 ? LMS_CMI_12 : LMS_CMI_2004;
}

/* ---- statuses ----------------------------------------------------------------------- */

static bool parse_num(const char *s, double *out)
{
	char *end;
	double d;

	if (!s || !*s)
		return false;
	d = strtod(s, &end);
	if (*end || !isfinite(d))
		return false;
	*out = d;
	return true;
}

/* What the attempt's state says, as reports read it; the LMS's own rules applied: 1.2's
 * mastery score decides passed / failed from the raw score, 2004's completion threshold
 * decides completion from the progress measure (RTE 4.2.4.1). */
void pl_status_of(lms_cmi_version v, const lms_rt_state *st, const lms_item *it,
                  pl_status *out)
{
	double raw, max = 100, min = 0, d, threshold;

	memset(out, 0, sizeof(*out));
	out->completion = "not attempted";
	out->success = "unknown";
	if (v == LMS_CMI_12) {
		const char *ls = lms_rt_get(st, "cmi.core.lesson_status");
		if (parse_num(lms_rt_get(st, "cmi.core.score.raw"), &raw)) {
			(void)parse_num(lms_rt_get(st, "cmi.core.score.max"), &max);
			(void)parse_num(lms_rt_get(st, "cmi.core.score.min"), &min);
			if (max > min) {
				out->has_score = true;
				out->score = (raw - min) / (max - min);
			}
			if (it && parse_num(it->mastery_score, &d) && ls &&
			    (strcmp(ls, "completed") == 0 || strcmp(ls, "incomplete") == 0))
				ls = raw >= d ? "passed" : "failed";
		}
		if (!ls)
			return;
		if (strcmp(ls, "passed") == 0 || strcmp(ls, "failed") == 0) {
			out->completion = "completed";
			out->success = ls;
		} else if (strcmp(ls, "completed") == 0) {
			out->completion = "completed";
		} else if (strcmp(ls, "incomplete") == 0 || strcmp(ls, "browsed") == 0) {
			out->completion = "incomplete";
		}
		return;
	}
	{
		const char *cs = lms_rt_get(st, "cmi.completion_status");
		const char *ss = lms_rt_get(st, "cmi.success_status");
		if (parse_num(lms_rt_get(st, "cmi.score.scaled"), &d)) {
			out->has_score = true;
			out->score = d;
		} else if (parse_num(lms_rt_get(st, "cmi.score.raw"), &raw) &&
		           parse_num(lms_rt_get(st, "cmi.score.max"), &max)) {
			(void)parse_num(lms_rt_get(st, "cmi.score.min"), &min);
			if (max > min) {
				out->has_score = true;
				out->score = (raw - min) / (max - min);
			}
		}
		if (it && parse_num(it->completion_threshold, &threshold) &&
		    parse_num(lms_rt_get(st, "cmi.progress_measure"), &d))
			cs = d >= threshold ? "completed" : "incomplete";
		if (cs && (strcmp(cs, "completed") == 0 || strcmp(cs, "incomplete") == 0 ||
		           strcmp(cs, "not attempted") == 0))
			out->completion = cs;
		else if (cs)
			out->completion = "unknown";
		if (ss && (strcmp(ss, "passed") == 0 || strcmp(ss, "failed") == 0))
			out->success = ss;
		/* RTE 4.2.21: with a passing score, the score decides. */
		if (out->has_score && parse_num(lms_rt_get(st, "cmi.scaled_passing_score"), &d))
			out->success = out->score >= d ? "passed" : "failed";
	}
}

/* ---- launch ------------------------------------------------------------------------- */

static bool launchable(const lms_item *it)
{
	return it->href && it->href[0];
}

static const lms_item_status *status_for(const lms_item_status *st, size_t n, int ord)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (st[i].ord == ord)
			return &st[i];
	return NULL;
}

/* The state a new launch of an attempt starts from. An attempt that has not ended (suspended,
 * or left without Terminate: a closed tab, a lost connection) is resumed; an ended one is
 * followed by a new attempt. */
static int begin_state(lms_cmi_version v, const lms_attempt_row *last, lms_arena *a,
                       lms_rt_state *out, bool *new_attempt, lms_err *err)
{
	lms_rt_state prev;
	lms_rt_pair *pairs;
	const char *exit_el = v == LMS_CMI_12 ? "cmi.core.exit" : "cmi.exit";
	size_t i, n = 0;
	bool content = false;

	*new_attempt = !last->id || last->ended;
	if (*new_attempt)
		return lms_rt_begin(v, NULL, a, out, NULL, err);
	/* Not ended: resume when the SCO stored anything, as if it had suspended. */
	pairs = lms_arena_alloc(a, (last->n_pairs + 1) * sizeof(*pairs));
	for (i = 0; i < last->n_pairs; i++) {
		if (strcmp(last->pairs[i].element, exit_el) == 0)
			continue;
		if (strcmp(last->pairs[i].element, "cmi.core.entry") != 0 &&
		    strcmp(last->pairs[i].element, "cmi.entry") != 0)
			content = true;
		pairs[n++] = last->pairs[i];
	}
	if (content) {
		pairs[n].element = exit_el;
		pairs[n].value = "suspend";
		n++;
	}
	if (lms_rt_state_load(v, pairs, n, a, &prev, err) < 0)
		return err->rc;
	return lms_rt_begin(v, content ? &prev : NULL, a, out, NULL, err);
}

static bool has_content(const lms_attempt_row *r)
{
	size_t i;

	for (i = 0; i < r->n_pairs; i++)
		if (strcmp(r->pairs[i].element, "cmi.core.entry") != 0 &&
		    strcmp(r->pairs[i].element, "cmi.entry") != 0 &&
		    strcmp(r->pairs[i].element, "cmi.scaled_passing_score") != 0 &&
		    strncmp(r->pairs[i].element, "cmi.objectives.", 15) != 0)
			return true;
	return false;
}

/* Brings the sequencer up to date with the current item's stored run-time data (its finish
 * may not have arrived: a closed tab, or a commit still on its way). An attempt left open
 * with data is reported as suspended, so that it resumes. *left_open tells so. */
static void report_current(lms_store *s, const lms_enrolment *e, pl_seq *q, lms_arena *a,
                           bool *left_open)
{
	lms_attempt_row row;
	lms_rt_state st;
	lms_seq_sco_result res;
	lms_err err;
	bool active;
	int cur = lms_seq_current(q->tree, &active);

	*left_open = false;
	lms_err_clear(&err);
	if (cur < 0 || !active || s->ops->attempt_latest(s, e->id, cur, a, &row, &err) < 0 || !row.id ||
	    lms_rt_state_load(q->v, row.pairs, row.n_pairs, a, &st, &err) < 0)
		return;
	pl_seq_result(q->v, &st, pl_item(q, cur), a, &res);
	if (!row.ended && has_content(&row)) {
		res.exit = "suspend";
		*left_open = true;
	}
	(void)lms_seq_report(q->tree, cur, &res, &err);
}

/* The first item the learner may choose, in table-of-contents order, or -1. */
static int first_choosable(const pl_seq *q, lms_arena *a)
{
	lms_seq_toc_entry *toc;
	size_t n, i;

	if (lms_seq_toc(q->tree, a, &toc, &n) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (toc[i].launchable && toc[i].choosable)
			return toc[i].ord;
	return -1;
}

/* Runs nav on the tree; for START / RESUME, picks what the learner expects. */
static int navigate(pl_seq *q, lms_nav_req nav, const char *identifier, bool left_open,
                    lms_arena *a, lms_seq_outcome *o, lms_err *err)
{
	const lms_item *it;
	bool active;
	int cur, rc, first;
	size_t i;

	switch (nav) {
	case LMS_NAV_REQ_START:
	case LMS_NAV_REQ_RESUME:
		if (lms_seq_has_suspended(q->tree))
			return lms_seq_navigate(q->tree, LMS_NAV_RESUME_ALL, -1, o, err);
		cur = lms_seq_current(q->tree, &active);
		if (cur >= 0 && active && left_open) {
			if ((rc = lms_seq_navigate(q->tree, LMS_NAV_SUSPEND_ALL, -1, o, err)) < 0)
				return rc;
			return lms_seq_navigate(q->tree, LMS_NAV_RESUME_ALL, -1, o, err);
		}
		if (cur >= 0 && active && lms_seq_nav_allowed(q->tree, LMS_NAV_CONTINUE, -1, a, NULL)) {
			if ((rc = lms_seq_navigate(q->tree, LMS_NAV_CONTINUE, -1, o, err)) < 0 ||
			    o->deliver_ord >= 0)
				return rc;
		}
		if ((rc = lms_seq_navigate(q->tree, LMS_NAV_START, -1, o, err)) < 0 || o->deliver_ord >= 0)
			return rc;
		/* SCORM 2004's default is choice without flow: the learner picks from the table
		 * of contents; open the first item they may pick. */
		if ((first = first_choosable(q, a)) < 0)
			return rc;
		return lms_seq_navigate(q->tree, LMS_NAV_CHOICE, first, o, err);
	case LMS_NAV_REQ_CHOICE:
		for (i = 0; i < q->n_items; i++) {
			it = &q->items[i];
			if (identifier && strcmp(it->identifier, identifier) == 0)
				return lms_seq_navigate(q->tree, LMS_NAV_CHOICE, it->ord, o, err);
		}
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "item", "no such item in this course");
	case LMS_NAV_REQ_CONTINUE:
		return lms_seq_navigate(q->tree, LMS_NAV_CONTINUE, -1, o, err);
	case LMS_NAV_REQ_PREVIOUS:
		return lms_seq_navigate(q->tree, LMS_NAV_PREVIOUS, -1, o, err);
	case LMS_NAV_REQ_EXIT:
		return lms_seq_navigate(q->tree, LMS_NAV_EXIT, -1, o, err);
	case LMS_NAV_REQ_EXIT_ALL:
		return lms_seq_navigate(q->tree, LMS_NAV_EXIT_ALL, -1, o, err);
	case LMS_NAV_REQ_SUSPEND_ALL:
		return lms_seq_navigate(q->tree, LMS_NAV_SUSPEND_ALL, -1, o, err);
	}
	return lms_err_set(err, LMS_EINVAL, "invalid_field", "nav", "nav: unknown request");
}

static const char *refusal_text(const char *reason)
{
	if (strcmp(reason, "end_of_course") == 0)
		return "this is the last part of the course";
	if (strcmp(reason, "start_of_course") == 0)
		return "this is the first part of the course";
	if (strcmp(reason, "prerequisites") == 0)
		return "finish the parts this one depends on first";
	if (strcmp(reason, "attempt_limit") == 0)
		return "no attempts are left for this part";
	return "the course's rules do not allow this step now";
}

/* The initial state of a new 2004 attempt: what sequencing hands the SCO (the passing score
 * of its primary objective, its objectives with the statuses read from global objectives). */
static int seq_launch_pairs(const pl_seq *q, int ord, const lms_rt_state *base, lms_arena *a,
                            lms_rt_state *out, lms_err *err)
{
	lms_seq_launch ld;
	lms_rt_pair *p;
	size_t n = 0, i;
	char buf[40];

	*out = *base;
	if (q->v != LMS_CMI_2004 || lms_seq_launch_data(q->tree, ord, a, &ld, err) < 0) {
		lms_err_clear(err);
		return LMS_OK;
	}
	p = lms_arena_alloc(a, (base->n + 1 + 3 * ld.n_objectives) * sizeof(*p));
	for (i = 0; i < base->n; i++)
		p[n++] = base->pairs[i];
	if (ld.has_scaled_passing_score) {
		snprintf(buf, sizeof(buf), "%.7g", ld.scaled_passing_score);
		p[n].element = "cmi.scaled_passing_score";
		p[n++].value = lms_arena_strdup(a, buf);
	}
	for (i = 0; i < ld.n_objectives; i++) {
		char key[64];
		snprintf(key, sizeof(key), "cmi.objectives.%zu.id", i);
		p[n].element = lms_arena_strdup(a, key);
		p[n++].value = ld.objectives[i].id;
		if (ld.objectives[i].success_status &&
		    strcmp(ld.objectives[i].success_status, "unknown") != 0) {
			snprintf(key, sizeof(key), "cmi.objectives.%zu.success_status", i);
			p[n].element = lms_arena_strdup(a, key);
			p[n++].value = ld.objectives[i].success_status;
		}
		if (ld.objectives[i].has_score) {
			snprintf(key, sizeof(key), "cmi.objectives.%zu.score.scaled", i);
			snprintf(buf, sizeof(buf), "%.7g", ld.objectives[i].score_scaled);
			p[n].element = lms_arena_strdup(a, key);
			p[n++].value = lms_arena_strdup(a, buf);
		}
	}
	return lms_rt_state_load(q->v, p, n, a, out, err);
}

int lms_player_launch(lms_store *s, const lms_clock *clock, const lms_user *u,
                      int64_t web_session_id, const char *course_code, lms_nav_req nav,
                      const char *item_identifier, lms_arena *a, lms_launch_out *out,
                      lms_err *err)
{
	const lms_store_ops *ops = s->ops;
	bool created;
	int rc, tries;

	memset(out, 0, sizeof(*out));
	if ((rc = ops->enrol(s, u->id, course_code, "self", NULL, NULL, lms_now(clock), a,
	                     &out->enrolment, &created, err)) < 0)
		return rc;
	for (tries = 0; tries < MAX_RETRIES; tries++) {
		lms_enrolment *e = &out->enrolment;
		lms_seq_outcome o;
		lms_attempt_row last;
		lms_launch_in in;
		lms_rt_state state;
		const lms_item *it;
		bool left_open, new_attempt;
		int64_t launch_id;
		pl_seq q;

		if (tries > 0) {
			lms_enrolment *list;
			size_t n;
			if ((rc = ops->enrolment_list(s, u->id, course_code, a, &list, &n, err)) < 0)
				return rc;
			if (n == 0)
				return lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "no such course");
			*e = list[0];
		}
		if ((rc = pl_seq_open(s, e, a, &q, err)) < 0)
			return rc;
		report_current(s, e, &q, a, &left_open);
		if ((rc = navigate(&q, nav, item_identifier, left_open, a, &o, err)) < 0)
			return rc;
		if (o.refused || o.deliver_ord < 0) {
			/* Nothing to deliver; the request may still have ended the current item. */
			rc = ops->seq_save(s, e->id, e->rev, lms_seq_state_dump(q.tree, a), err);
			if (rc == LMS_ECONFLICT) {
				pl_backoff(tries);
				continue;
			}
			if (rc < 0)
				return rc;
			if (o.refused)
				return lms_err_set(err, LMS_ECONFLICT, "nav_refused", o.refused, "%s",
				                   refusal_text(o.refused));
			out->ended = o.end_of_course || nav == LMS_NAV_REQ_EXIT_ALL;
			out->suspended = o.suspended;
			lms_seq_flow_allowed(q.tree, a, &out->can_continue, &out->can_previous);
			return LMS_OK;
		}
		if (!(it = pl_item(&q, o.deliver_ord)) || !it->href)
			return lms_err_set(err, LMS_ECONFLICT, "nav_refused", "not_a_leaf",
			                   "this part has no content to open");
		if ((rc = ops->attempt_latest(s, e->id, it->ord, a, &last, err)) < 0)
			return rc;
		new_attempt = !last.id || last.ended || (o.new_attempt && has_content(&last));
		if (new_attempt) {
			lms_rt_state fresh;
			if ((rc = lms_rt_begin(q.v, NULL, a, &fresh, NULL, err)) < 0 ||
			    (rc = seq_launch_pairs(&q, it->ord, &fresh, a, &state, err)) < 0)
				return rc;
		} else if ((rc = begin_state(q.v, &last, a, &state, &new_attempt, err)) < 0) {
			return rc;
		}
		if (lms_random_token(32, out->token, sizeof(out->token)) < 0)
			return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "no random bytes for a launch");
		memset(&in, 0, sizeof(in));
		in.enrolment_id = e->id;
		in.user_id = u->id;
		in.web_session_id = web_session_id;
		in.item_ord = it->ord;
		in.attempt_id = new_attempt && (last.ended || has_content(&last)) ? 0 : last.id;
		in.attempt_no = in.attempt_id ? last.attempt_no : last.attempt_no + 1;
		in.expect_rev = last.rev;
		in.state = &state;
		lms_token_hash(out->token, in.token_hash);
		in.at_us = lms_now(clock);
		in.seq_state = lms_seq_state_dump(q.tree, a);
		in.expect_seq_rev = e->rev;
		rc = ops->launch_create(s, &in, &launch_id, err);
		if (rc == LMS_ECONFLICT) {
			pl_backoff(tries); /* another tab navigated at the same moment: read again */
			continue;
		}
		if (rc < 0)
			return rc;
		out->item = it;
		out->new_attempt = in.attempt_id == 0;
		lms_seq_flow_allowed(q.tree, a, &out->can_continue, &out->can_previous);
		return LMS_OK;
	}
	return lms_err_set(err, LMS_EUNAVAIL, "busy", NULL, "too many changes at once; try again");
}

/* ---- initial data ------------------------------------------------------------------- */

/* "Family, Given" from a Vietnamese full name (family name first): "Nguyễn Văn An" gives
 * "Nguyễn, Văn An"; SCORM 1.2 asks for last name, first name. */
static const char *scorm12_name(lms_arena *a, const char *full)
{
	const char *sp = full ? strchr(full, ' ') : NULL;
	size_t fam;
	char *out;

	if (!full)
		return "";
	if (!sp)
		return full;
	fam = (size_t)(sp - full);
	out = lms_arena_alloc(a, strlen(full) + 2);
	memcpy(out, full, fam);
	out[fam] = ',';
	memcpy(out + fam + 1, sp, strlen(sp) + 1); /* fits: one byte more than full */
	return out;
}

static void add(lms_rt_pair *p, size_t *n, const char *el, const char *val)
{
	if (!val)
		return;
	p[*n].element = el;
	p[*n].value = val;
	(*n)++;
}

int lms_player_init(const lms_launch_ctx *ctx, lms_arena *a, lms_rt_pair **pairs, size_t *n,
                    lms_err *err)
{
	lms_rt_pair *p = lms_arena_alloc(a, (ctx->n_pairs + 16) * sizeof(*p));
	size_t k = 0, i;
	lms_rt_state st;
	bool v12 = ctx->cmi == LMS_CMI_12;

	if (lms_rt_state_load(ctx->cmi, ctx->pairs, ctx->n_pairs, a, &st, err) < 0)
		return err->rc;
	for (i = 0; i < st.n; i++)
		p[k++] = st.pairs[i];
	if (v12) {
		add(p, &k, "cmi.core.student_id", ctx->username);
		add(p, &k, "cmi.core.student_name", scorm12_name(a, ctx->learner_name));
		add(p, &k, "cmi.core.credit", "credit");
		add(p, &k, "cmi.core.lesson_mode", "normal");
		add(p, &k, "cmi.launch_data", ctx->item.data_from_lms);
		add(p, &k, "cmi.student_data.mastery_score", ctx->item.mastery_score);
		add(p, &k, "cmi.student_data.max_time_allowed", ctx->item.max_time_allowed);
		add(p, &k, "cmi.student_data.time_limit_action", ctx->item.time_limit_action);
		if (!lms_rt_get(&st, "cmi.core.total_time"))
			add(p, &k, "cmi.core.total_time", "0000:00:00.00");
		if (!lms_rt_get(&st, "cmi.core.entry"))
			add(p, &k, "cmi.core.entry", "ab-initio");
	} else {
		add(p, &k, "cmi.learner_id", ctx->username);
		add(p, &k, "cmi.learner_name", ctx->learner_name ? ctx->learner_name : "");
		add(p, &k, "cmi.credit", "credit");
		add(p, &k, "cmi.mode", "normal");
		add(p, &k, "cmi.launch_data", ctx->item.data_from_lms);
		add(p, &k, "cmi.completion_threshold", ctx->item.completion_threshold);
		add(p, &k, "cmi.max_time_allowed", ctx->item.max_time_allowed);
		add(p, &k, "cmi.time_limit_action", ctx->item.time_limit_action);
		if (!lms_rt_get(&st, "cmi.total_time"))
			add(p, &k, "cmi.total_time", "PT0S");
		if (!lms_rt_get(&st, "cmi.entry"))
			add(p, &k, "cmi.entry", "ab-initio");
	}
	*pairs = p;
	*n = k;
	return LMS_OK;
}

int lms_player_open(lms_store *s, const unsigned char token_hash[32], lms_arena *a,
                    lms_launch_ctx *out, lms_err *err)
{
	int rc = s->ops->launch_load(s, token_hash, a, out, err);

	if (rc == LMS_ENOTFOUND)
		return lms_err_set(err, LMS_EUNAUTH, "launch_unknown", NULL,
		                   "this launch is unknown; open the lesson again from the course page");
	return rc;
}

/* ---- commit ------------------------------------------------------------------------- */

int lms_player_commit(lms_store *s, const lms_clock *clock, const unsigned char token_hash[32],
                      const lms_commit_batch *batches, size_t n_batches, bool finish,
                      lms_arena *a, lms_commit_out *out, lms_err *err)
{
	size_t total = 0, i, j;
	int rc, tries;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n_batches; i++) {
		if (batches[i].seq < 1 || (i > 0 && batches[i].seq != batches[i - 1].seq + 1))
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "batches",
			                   "batches: seq must start from 1 and grow by one");
		total += batches[i].n;
	}
	if (total > MAX_CHANGES_PER_COMMIT)
		return lms_err_set(err, LMS_ETOOBIG, "too_many_changes", "batches",
		                   "batches: more than %d changes in one commit", MAX_CHANGES_PER_COMMIT);
	out->refused = lms_arena_alloc(a, (total + 1) * sizeof(*out->refused));

	for (tries = 0; tries < MAX_RETRIES; tries++) {
		lms_launch_ctx ctx;
		lms_rt_state st;
		lms_rt_write w;
		lms_jsonw log;
		pl_status status;
		size_t first;
		int64_t session_cs = 0;
		bool any = false;

		if ((rc = lms_player_open(s, token_hash, a, &ctx, err)) < 0)
			return rc;
		out->n_refused = 0;
		out->acked = ctx.last_seq;
		/* Batches applied before (a retry whose answer was lost) are skipped. */
		for (first = 0; first < n_batches && batches[first].seq <= ctx.last_seq; first++)
			;
		if (first < n_batches && batches[first].seq != ctx.last_seq + 1) {
			out->expected = ctx.last_seq + 1;
			return lms_err_set(err, LMS_ECONFLICT, "seq_gap", "batches",
			                   "batches: the server has up to seq %d; send from %d",
			                   ctx.last_seq, ctx.last_seq + 1);
		}
		if (first == n_batches && (!finish || ctx.closed)) {
			out->duplicate = n_batches > 0 || finish;
			out->finished = ctx.closed;
			return LMS_OK;
		}
		if (ctx.closed)
			return lms_err_set(err, LMS_ECONFLICT, "launch_closed", NULL,
			                   "this launch has ended; open the lesson again");
		if ((rc = lms_rt_state_load(ctx.cmi, ctx.pairs, ctx.n_pairs, a, &st, err)) < 0)
			return rc;
		lms_jsonw_init(&log, a);
		lms_jsonw_raw(&log, "[");
		for (i = first; i < n_batches; i++) {
			const lms_commit_batch *b = &batches[i];
			int *results = lms_arena_alloc(a, (b->n + 1) * sizeof(int));
			lms_rt_state next;
			if ((rc = lms_rt_apply(ctx.cmi, &st, b->changes, b->n, a, &next, results, err)) < 0)
				return rc;
			st = next;
			for (j = 0; j < b->n; j++) {
				lms_jsonw_raw(&log, any ? ",[" : "[");
				any = true;
				lms_jsonw_str(&log, b->changes[j].element);
				lms_jsonw_raw(&log, ",");
				lms_jsonw_str(&log, b->changes[j].value);
				lms_jsonw_raw(&log, ",");
				lms_jsonw_i64(&log, results[j]);
				lms_jsonw_raw(&log, "]");
				if (results[j]) {
					lms_commit_refusal *f = &out->refused[out->n_refused++];
					f->seq = b->seq;
					f->index = (int)j;
					f->element = b->changes[j].element;
					f->error = results[j];
				}
			}
		}
		lms_jsonw_raw(&log, "]");
		memset(&w, 0, sizeof(w));
		w.reported_cs = -1;
		if (finish) {
			lms_rt_state done;
			const char *nav = lms_rt_get(&st, "adl.nav.request");
			w.attempt_ended = lms_rt_next_entry(ctx.cmi, &st) == LMS_RT_AB_INITIO;
			out->nav_request = nav && strcmp(nav, "_none_") != 0 ? nav : NULL;
			if ((rc = lms_rt_finish(ctx.cmi, &st, a, &done, &session_cs, err)) < 0)
				return rc;
			st = done;
			w.finish = true;
			w.reported_cs = session_cs;
			w.flagged = lms_tot_flag(ctx.tot.active_us, session_cs * 10000);
		}
		pl_status_of(ctx.cmi, &st, &ctx.item, &status);
		w.launch_id = ctx.launch_id;
		w.attempt_id = ctx.attempt_id;
		w.expect_rev = ctx.rev;
		w.expect_last_seq = ctx.last_seq;
		w.seq_from = first < n_batches ? batches[first].seq : ctx.last_seq + 1;
		w.seq_to = first < n_batches ? batches[n_batches - 1].seq : ctx.last_seq;
		w.at_us = lms_now(clock);
		w.state = &st;
		w.log_json = lms_jsonw_text(&log);
		w.refused = (int)out->n_refused;
		w.completion_status = status.completion;
		w.success_status = status.success;
		w.has_score = status.has_score;
		w.score = status.score;
		{
			int64_t tt = 0;
			const char *t = lms_rt_get(&st, ctx.cmi == LMS_CMI_12 ? "cmi.core.total_time"
			                                                      : "cmi.total_time");
			if (t && !(ctx.cmi == LMS_CMI_12 ? lms_cmi_parse_timespan12(t, &tt)
			                                 : lms_cmi_parse_duration(t, &tt)))
				tt = 0;
			w.total_time_cs = tt;
		}
		rc = s->ops->rt_write(s, &w, a, err);
		if (rc == LMS_ECONFLICT) {
			pl_backoff(tries); /* another writer came first: read again */
			continue;
		}
		if (rc < 0)
			return rc;
		out->acked = w.seq_to;
		out->finished = finish;
		if (out->n_refused)
			LMS_INFO("launch %lld: %zu run-time values refused", (long long)ctx.launch_id,
			         out->n_refused);
		if (finish) {
			lms_err cerr;
			memset(&cerr, 0, sizeof(cerr));
			if (pl_seq_after_finish(s, ctx.user_id, ctx.enrolment_id, ctx.item_ord, &st, a, &cerr) < 0)
				LMS_WARN("sequencing update of enrolment %lld failed: %s",
				         (long long)ctx.enrolment_id, cerr.msg);
			lms_err_clear(&cerr);
			if (lms_player_check_completion(s, clock, ctx.enrolment_id, ctx.user_id, a, &cerr) < 0)
				LMS_WARN("completion check of enrolment %lld failed: %s",
				         (long long)ctx.enrolment_id, cerr.msg);
		}
		return LMS_OK;
	}
	return lms_err_set(err, LMS_EUNAVAIL, "busy", NULL, "too many changes at once; try again");
}

/* ---- heartbeat ---------------------------------------------------------------------- */

int lms_player_beat(lms_store *s, const lms_clock *clock, const lms_tot_params *p,
                    const unsigned char token_hash[32], const lms_tot_beat_in *in,
                    int64_t *active_us, lms_err *err)
{
	int rc, tries;

	for (tries = 0; tries < MAX_RETRIES; tries++) {
		lms_arena *a = lms_arena_new();
		lms_launch_ctx ctx;
		lms_tot_beat_out o;
		int64_t now = lms_now(clock);

		if ((rc = lms_player_open(s, token_hash, a, &ctx, err)) < 0)
			goto next;
		if (ctx.closed) {
			rc = lms_err_set(err, LMS_ECONFLICT, "launch_closed", NULL,
			                 "this launch has ended; open the lesson again");
			goto next;
		}
		if (ctx.tot.last_beat_us && now - ctx.tot.last_beat_us < LMS_TOT_MIN_BEAT_US) {
			rc = lms_err_set(err, LMS_ETHROTTLED, "too_many_heartbeats", NULL,
			                 "heartbeats come too often; this one was not counted");
			err->retry_after_s = 5;
			goto next;
		}
		lms_tot_beat(p, &ctx.tot, ctx.clock_counted_us, in, now, &o);
		rc = s->ops->beat_write(s, ctx.launch_id, ctx.user_id, ctx.clock_counted_us, in, &o, now,
		                        err);
		if (rc == LMS_OK) {
			*active_us = o.next.active_us;
			if (in->closing) {
				lms_err cerr;
				memset(&cerr, 0, sizeof(cerr));
				(void)lms_player_check_completion(s, clock, ctx.enrolment_id, ctx.user_id, a,
				                                  &cerr);
			}
		}
	next:
		lms_arena_free(a);
		if (rc != LMS_ECONFLICT || strcmp(err->code, "launch_closed") == 0)
			return rc;
	}
	return rc;
}

/* ---- completion --------------------------------------------------------------------- */

/* The quizzes that count toward e's course (course_quiz.h): *passed when each is passed (or
 * none counts); their evidence appended to ev when there are any. A store without them: none. */
static int quizzes_passed(lms_store *s, const lms_enrolment *e, int64_t user_id, lms_arena *a,
                          lms_jsonw *ev, bool *passed, lms_err *err)
{
	const lms_assess_ops *as = s->ops->assess;
	lms_cq_quiz *q = NULL;
	lms_cq_verdict *v;
	size_t n = 0;
	int rc;

	*passed = true;
	if (!as || !as->course_quizzes)
		return LMS_OK;
	if ((rc = as->course_quizzes(s, user_id, e->course_code, true, a, &q, &n, err)) < 0)
		return rc;
	if (n == 0)
		return LMS_OK;
	v = lms_arena_alloc(a, n * sizeof(*v));
	*passed = lms_cq_all_passed(q, n, v, NULL);
	if (ev) {
		lms_jsonw_raw(ev, ",\"quiz_rule\":");
		lms_jsonw_str(ev, "and each quiz that counts toward the course passed, by its grading "
		                  "across the learner's submitted, graded attempts against its pass mark");
		lms_jsonw_raw(ev, ",\"quizzes\":");
		lms_cq_evidence_json(q, n, v, ev);
	}
	return LMS_OK;
}

/* What the completion rule says of enrolment_id now: *content (the content rule: the rollup
 * completed and not failed, the minimum active time), *quizzes (the counting quizzes passed),
 * and, when both hold, the completion to record in *c (its evidence built in a). *done when
 * the enrolment has its completion already (then nothing else is set). */
static int completion_eval(lms_store *s, int64_t enrolment_id, int64_t user_id, int64_t now_us,
                           lms_arena *a, bool *done, bool *content, bool *quizzes,
                           lms_completion_in *c, lms_err *err)
{
	const lms_store_ops *ops = s->ops;
	lms_enrolment *e;
	lms_item *items;
	lms_item_status *st;
	lms_time_session *sess;
	size_t n_items, n_st, n_sess, i;
	lms_seq_course course;
	lms_jsonw ev;
	int total = 0, failed = 0, passed = 0, scored = 0, rc;
	double score_sum = 0;
	int64_t reported_cs = 0;
	bool native;
	pl_seq q;

	*done = *content = *quizzes = false;
	if (!(e = pl_enrolment_by_id(s, user_id, enrolment_id, a, err)))
		return err->rc;
	if (e->completed_us) {
		*done = true;
		return LMS_OK;
	}
	native = strcmp(e->kind, "native") == 0;
	if ((rc = pl_seq_open(s, e, a, &q, err)) < 0)
		return rc;
	lms_seq_course_status(q.tree, &course);
	items = q.items;
	n_items = q.n_items;
	if ((rc = ops->item_status_list(s, e->id, a, &st, &n_st, err)) < 0 ||
	    (rc = ops->time_sessions(s, user_id, e->course_code, a, &sess, &n_sess, NULL, NULL, err)) < 0)
		return rc;
	for (i = 0; i < n_sess; i++)
		if (sess[i].reported_cs > 0)
			reported_cs += sess[i].reported_cs;
	lms_jsonw_init(&ev, a);
	lms_jsonw_raw(&ev, "{\"rule\":");
	lms_jsonw_str(&ev, native ? "the lesson completed (every page seen, every quiz submitted), "
	                            "its quizzes passed, and the minimum active time"
	                          : "the course completed by the SCORM rollup of its SCOs' statuses, "
	                            "not failed, and the minimum active time");
	lms_jsonw_raw(&ev, ",\"rollup\":");
	lms_jsonw_str(&ev, lms_seq_status_name(course.status));
	lms_jsonw_raw(&ev, ",\"items\":[");
	for (i = 0; i < n_items; i++) {
		const lms_item_status *is;
		if (!launchable(&items[i]))
			continue;
		is = status_for(st, n_st, items[i].ord);
		total++;
		if (is && is->success_status && strcmp(is->success_status, "failed") == 0)
			failed++;
		if (is && is->success_status && strcmp(is->success_status, "passed") == 0)
			passed++;
		if (is && is->has_score) {
			scored++;
			score_sum += is->score;
		}
		lms_jsonw_raw(&ev, total > 1 ? ",{\"identifier\":" : "{\"identifier\":");
		lms_jsonw_str(&ev, items[i].identifier);
		lms_jsonw_raw(&ev, ",\"completion\":");
		lms_jsonw_str(&ev, is ? is->completion_status : "not attempted");
		lms_jsonw_raw(&ev, ",\"success\":");
		lms_jsonw_str(&ev, is ? is->success_status : "unknown");
		lms_jsonw_raw(&ev, ",\"score\":");
		if (is && is->has_score)
			lms_jsonw_num(&ev, is->score);
		else
			lms_jsonw_raw(&ev, "null");
		lms_jsonw_raw(&ev, ",\"attempts\":");
		lms_jsonw_i64(&ev, is ? is->attempts : 0);
		lms_jsonw_raw(&ev, ",\"active_s\":");
		lms_jsonw_i64(&ev, is ? is->active_us / LMS_SECOND_US : 0);
		lms_jsonw_raw(&ev, "}");
	}
	lms_jsonw_raw(&ev, "],\"active_s\":");
	lms_jsonw_i64(&ev, e->active_us / LMS_SECOND_US);
	lms_jsonw_raw(&ev, ",\"minimum_time_s\":");
	lms_jsonw_i64(&ev, e->minimum_time_s);
	lms_jsonw_raw(&ev, ",\"reported_s\":");
	lms_jsonw_i64(&ev, reported_cs / 100);
	/* A course completed but failed (its test failed) is not recorded: the learner may try
	 * again, and the record, made once, must be the one that counts. */
	if (total == 0 || !course.completion_known || !course.completed ||
	    (course.success_known && !course.passed) ||
	    e->active_us < e->minimum_time_s * LMS_SECOND_US)
		return LMS_OK;
	*content = true;
	/* and each quiz that counts toward the course passed (docs/assessment.md) */
	if ((rc = quizzes_passed(s, e, user_id, a, &ev, quizzes, err)) < 0 || !*quizzes)
		return rc;
	lms_jsonw_raw(&ev, "}");
	memset(c, 0, sizeof(*c));
	c->enrolment_id = e->id;
	c->user_id = user_id;
	c->course_id = e->course_id;
	c->version_id = e->version_id;
	c->at_us = now_us;
	/* the time and score fields are the content's, as without quizzes */
	c->passed = course.success_known ? course.passed : failed ? 0 : passed ? 1 : -1;
	c->has_score = scored > 0;
	c->score = scored ? score_sum / scored : 0;
	c->active_s = e->active_us / LMS_SECOND_US;
	c->reported_s = reported_cs / 100;
	c->evidence_json = lms_jsonw_text(&ev);
	return LMS_OK;
}

int lms_player_check_completion(lms_store *s, const lms_clock *clock, int64_t enrolment_id,
                                int64_t user_id, lms_arena *a, lms_err *err)
{
	lms_completion_in c;
	bool done, content, quizzes, created;
	int rc;

	if ((rc = completion_eval(s, enrolment_id, user_id, lms_now(clock), a, &done, &content,
	                          &quizzes, &c, err)) < 0)
		return rc;
	if (done || !content || !quizzes)
		return LMS_OK;
	if ((rc = s->ops->completion_record(s, &c, &created, err)) < 0)
		return rc;
	if (created)
		LMS_INFO("enrolment %lld completed", (long long)enrolment_id);
	return LMS_OK;
}

int lms_player_completion_state(lms_store *s, int64_t enrolment_id, int64_t user_id,
                                lms_arena *a, bool *content, bool *quizzes, lms_err *err)
{
	lms_completion_in c;
	bool done;
	int rc;

	if ((rc = completion_eval(s, enrolment_id, user_id, 0, a, &done, content, quizzes, &c,
	                          err)) < 0)
		return rc;
	if (done)
		*content = *quizzes = true;
	return LMS_OK;
}
