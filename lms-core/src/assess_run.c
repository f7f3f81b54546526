/* assess_run.c — the use cases of quizzes and capability exams over the store
 * (assess_store.h): starting an attempt, loading its paper, saving answers, submitting and
 * grading, the server's submission at the deadline, essays graded by a trainer, results and
 * ranking, item analysis, the learner's review, exam certificates.
 *
 * Invariants: every decision is assess.h's rule applied to what the store read, and what it
 * decides is written in one transaction (start: the paper and its slots; submit: the close,
 * the grades, the result and the exam_result event). The seed of a paper comes from
 * RAND_bytes. Times come from the caller (the server's clock); nothing here reads a browser's
 * clock. A question version is read from the bank as stored (immutable), so the paper of an
 * attempt is the same whenever it is drawn again or graded.
 * Not here: SQL (storage/pg/store_pg_assess.c), HTTP (server/src/h_assess.c).
 */
#include "lms/assess_store.h"

#include "lms/certs.h"
#include "lms/course_quiz.h"
#include "lms/log.h"
#include "lms/qbank.h"
#include "lms/validate.h"

#include <openssl/rand.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OPS(s) ((s)->ops->assess)

/* ---- checking a definition ---- */

int lms_as_check(const lms_assessment *in, lms_err *err)
{
	size_t i, j;
	int rc;

	if ((rc = lms_check_code("code", in->code, err)) < 0)
		return rc;
	if ((rc = lms_check_text("title", in->title, LMS_AS_MAX_TITLE, err)) < 0)
		return rc;
	if (in->description && *in->description &&
	    (rc = lms_check_text("description", in->description, LMS_AS_MAX_DESCRIPTION, err)) < 0)
		return rc;
	if (!in->unit_code || lms_check_code("unit", in->unit_code, err) < 0)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "unit", "unit: give a unit code");
	if (in->course_code && lms_check_code("course", in->course_code, err) < 0)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "course", "course: give a course code");
	if (in->course_code && in->def.kind == LMS_AS_EXAM)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "course",
		                   "course: only a quiz sits inside a course");
	if (in->counts_for_course && (in->def.kind != LMS_AS_QUIZ || !in->course_code))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "counts_for_course",
		                   "counts_for_course: only a quiz with a course counts toward it");
	if (in->n_audience > LMS_AS_MAX_AUDIENCE)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
		                   "audience: at most %d lines", LMS_AS_MAX_AUDIENCE);
	for (i = 0; i < in->n_audience; i++) {
		const lms_as_audience *au = &in->audience[i];
		if (au->unit_code && lms_check_code("unit", au->unit_code, err) < 0)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
			                   "audience[%zu].unit: give a unit code", i);
		if (au->n_positions > LMS_AS_MAX_POSITIONS)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
			                   "audience[%zu].positions: at most %d", i, LMS_AS_MAX_POSITIONS);
		for (j = 0; j < au->n_positions; j++)
			if (lms_check_text("position", au->positions[j], 200, err) < 0)
				return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
				                   "audience[%zu].positions[%zu]: 1 to 200 characters", i, j);
		if (au->par_role < -1 || au->par_role > LMS_PAR_DEDICATED || au->leader < -1 ||
		    au->leader > 1)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
			                   "audience[%zu]: par_role or leader out of range", i);
	}
	if (in->n_named > LMS_AS_MAX_NAMED)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "named",
		                   "named: at most %d people", LMS_AS_MAX_NAMED);
	for (i = 0; i < in->n_named; i++)
		if (lms_check_code("named", in->named[i], err) < 0)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "named",
			                   "named[%zu]: give an employee code", i);
	if (in->def.kind == LMS_AS_EXAM && in->n_audience == 0 && in->n_named == 0)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
		                   "an exam names who may sit it: audience lines or a named list");
	for (i = 0; i < in->def.n_rules; i++) {
		const lms_as_rule *r = &in->def.rules[i];
		if (r->category && strlen(r->category) > LMS_Q_MAX_CATEGORY)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "rules",
			                   "rules[%zu].category: too long", i);
		if (r->tag && (strlen(r->tag) == 0 || strlen(r->tag) > LMS_Q_MAX_TAG))
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "rules",
			                   "rules[%zu].tag: 1 to %d bytes", i, LMS_Q_MAX_TAG);
	}
	return lms_as_def_check(&in->def, err);
}

/* ---- a question of a paper ---- */

typedef struct shown_q {
	lms_question *q;
	lms_qlayout layout;
} shown_q;

/* Reads version v and lays it out with seed. */
static int decode(const lms_as_version *v, uint64_t seed, lms_arena *a, shown_q *out,
                  lms_err *err)
{
	lms_qlimits lim;
	int rc;

	lms_qlimits_default(&lim);
	if ((rc = lms_question_from_json(v->body, v->body_len, &lim, a, &out->q, err)) < 0 ||
	    (rc = lms_question_layout(out->q, seed, a, &out->layout, err)) < 0) {
		LMS_ERROR("assessment: question version %lld does not read back: %s",
		          (long long)v->version_id, err ? err->msg : "");
		return lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
		                   "a question of the paper cannot be read");
	}
	return LMS_OK;
}

static int load_versions(lms_store *s, const int64_t *ids, const uint64_t *seeds, size_t n,
                         lms_arena *a, shown_q **out, lms_err *err)
{
	lms_as_version *v = NULL;
	shown_q *q = lms_arena_alloc(a, (n + 1) * sizeof(*q));
	size_t i;
	int rc;

	if (n && (rc = OPS(s)->versions(s, ids, n, a, &v, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = decode(&v[i], seeds[i], a, &q[i], err)) < 0)
			return rc;
	*out = q;
	return LMS_OK;
}

/* ---- starting an attempt ---- */

static uint64_t random_seed(void)
{
	unsigned char b[8];
	uint64_t v = 0;
	size_t i;

	if (RAND_bytes(b, sizeof(b)) != 1)
		abort(); /* no randomness: nothing fair can be drawn */
	for (i = 0; i < sizeof(b); i++)
		v = (v << 8) | b[i];
	return v;
}

static int start_in_tx(lms_store *s, const char *code, const lms_user *u, int64_t now_us,
                       lms_arena *a, int64_t *attempt_id, bool *resumed, lms_err *err)
{
	lms_as_start_info info;
	lms_as_candidate *pool = NULL;
	lms_as_paper paper;
	lms_as_new_attempt na;
	lms_as_new_slot *slots;
	int64_t *ids;
	uint64_t *seeds;
	shown_q *qs;
	size_t n = 0, i;
	uint64_t seed;
	int rc;

	memset(&info, 0, sizeof(info));
	if ((rc = OPS(s)->start_info(s, code, u->id, a, &info, err)) < 0)
		return rc;
	if (info.as.status == LMS_AS_DRAFT)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "code", "no assessment %s", code);
	if (info.open_attempt_id) {
		*attempt_id = info.open_attempt_id;
		*resumed = true;
		return LMS_OK;
	}
	if (!info.eligible)
		return lms_err_set(err, LMS_EFORBIDDEN, "not_eligible", NULL,
		                   "you are not on the list of this %s",
		                   info.as.def.kind == LMS_AS_EXAM ? "exam" : "quiz");
	if (info.as.status == LMS_AS_CLOSED)
		return lms_err_set(err, LMS_EFORBIDDEN, "closed", NULL, "this has closed");
	if ((rc = lms_as_may_start(&info.as.def, now_us, info.used, info.granted, err)) < 0)
		return rc;
	if ((rc = OPS(s)->pool(s, &info.as.def, a, &pool, &n, err)) < 0)
		return rc;
	seed = random_seed();
	if ((rc = lms_as_draw(&info.as.def, pool, n, seed, a, &paper, err)) < 0) {
		LMS_WARN("assessment %s: the paper cannot be drawn: %s", code, err ? err->msg : "");
		return rc;
	}
	memset(&na, 0, sizeof(na));
	ids = lms_arena_alloc(a, (paper.n_slots + 1) * sizeof(*ids));
	seeds = lms_arena_alloc(a, (paper.n_slots + 1) * sizeof(*seeds));
	for (i = 0; i < paper.n_slots; i++) {
		ids[i] = paper.slots[i].version_id;
		seeds[i] = paper.slots[i].layout_seed;
	}
	if ((rc = load_versions(s, ids, seeds, paper.n_slots, a, &qs, err)) < 0)
		return rc;
	slots = lms_arena_alloc(a, (paper.n_slots + 1) * sizeof(*slots));
	for (i = 0; i < paper.n_slots; i++) {
		lms_question shown = *qs[i].q;
		lms_jsonw w;

		shown.default_mark = paper.slots[i].points; /* the slot's points, not the bank's */
		lms_jsonw_init(&w, a);
		if ((rc = lms_question_delivery_json(&shown, &qs[i].layout, &w, err)) < 0)
			return rc;
		slots[i].question_id = paper.slots[i].question_id;
		slots[i].version_id = paper.slots[i].version_id;
		slots[i].points = paper.slots[i].points;
		slots[i].layout_seed = paper.slots[i].layout_seed;
		slots[i].qtype = lms_qtype_name(qs[i].q->type);
		lms_as_slot_shape(qs[i].q, &qs[i].layout, &slots[i].rkind, &slots[i].n_a, &slots[i].n_b);
		slots[i].shown = lms_jsonw_text(&w);
	}
	na.assessment_id = info.as.id;
	na.user_id = u->id;
	na.attempt_no = info.used + 1;
	na.started_us = now_us;
	na.deadline_us = lms_as_deadline(&info.as.def, now_us);
	na.max_score = paper.max_points;
	na.slots = slots;
	na.n_slots = paper.n_slots;
	/* the seed the paper was drawn from is kept: lms_as_draw with it gives this paper again */
	na.seed = seed;
	return OPS(s)->attempt_insert(s, &na, attempt_id, err);
}

int lms_as_start(lms_store *s, const char *code, const lms_user *u, int64_t now_us,
                 lms_arena *a, int64_t *attempt_id, bool *resumed, lms_err *err)
{
	int rc;

	*resumed = false;
	if ((rc = OPS(s)->begin(s, err)) < 0)
		return rc;
	if ((rc = start_in_tx(s, code, u, now_us, a, attempt_id, resumed, err)) < 0) {
		OPS(s)->rollback(s);
		return rc;
	}
	return OPS(s)->commit(s, err);
}

int lms_as_check_bank(lms_store *s, const lms_as_def *def, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	lms_as_candidate *pool = NULL;
	lms_as_paper paper;
	size_t n = 0;
	int rc;

	if ((rc = OPS(s)->pool(s, def, a, &pool, &n, err)) == 0)
		rc = lms_as_draw(def, pool, n, random_seed(), a, &paper, err);
	lms_arena_free(a);
	return rc;
}

/* ---- the paper ---- */

int lms_as_attempt_load(lms_store *s, int64_t attempt_id, int64_t user_id, const char *device,
                        int64_t session_id, int64_t now_us, lms_arena *a, lms_as_attempt *out,
                        lms_err *err)
{
	bool second = false;
	int rc;

	if ((rc = OPS(s)->attempt_get(s, attempt_id, user_id, a, out, err)) < 0)
		return rc;
	if (out->submitted_us)
		return LMS_OK;
	if (out->deadline_us && now_us >= out->deadline_us) {
		/* the time is up: the server submits it before anyone sees it again */
		rc = lms_as_submit(s, attempt_id, 0, "server", now_us, err);
		if (rc < 0 && rc != LMS_ECONFLICT)
			return rc;
		lms_err_clear(err);
		return OPS(s)->attempt_get(s, attempt_id, user_id, a, out, err);
	}
	if (device && *device) {
		if ((rc = OPS(s)->device(s, attempt_id, device, &second, err)) < 0)
			return rc;
		if (second && (rc = OPS(s)->event(s, attempt_id, 0, "second_device", "server",
		                                  "the paper was opened on another device", NULL,
		                                  session_id, now_us, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

/* ---- saving an answer ---- */

int lms_as_save(lms_store *s, lms_as_save_in *in, const lms_response *shown, lms_arena *a,
                lms_as_save_out *out, lms_err *err)
{
	lms_jsonw w;
	int rc;

	if (in->rev < 1)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "rev", "rev: a whole number from 1");
	if ((rc = lms_as_response_check(shown, &in->shape, err)) < 0)
		return rc;
	lms_jsonw_init(&w, a);
	lms_as_response_json(shown, &w);
	in->response = lms_jsonw_text(&w);
	memset(out, 0, sizeof(*out));
	if ((rc = OPS(s)->save(s, in, out, err)) < 0)
		return rc;
	switch (out->status) {
	case LMS_AS_SAVED:
	case LMS_AS_SAVE_STALE:
		return LMS_OK;
	case LMS_AS_SAVE_NO_ATTEMPT:
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "attempt",
		                   "no attempt %lld of yours", (long long)in->attempt_id);
	case LMS_AS_SAVE_SUBMITTED:
		return lms_err_set(err, LMS_ECONFLICT, "attempt_submitted", NULL,
		                   "this attempt was submitted; answers cannot change");
	case LMS_AS_SAVE_DEADLINE:
		/* recorded, then the attempt is closed by the server (it may be already) */
		if ((rc = OPS(s)->event(s, in->attempt_id, 0, "late_save", "server",
		                        "an answer arrived after the deadline and was refused", NULL,
		                        in->session_id, in->now_us, err)) < 0)
			return rc;
		rc = lms_as_submit(s, in->attempt_id, 0, "server", in->now_us, err);
		if (rc < 0 && rc != LMS_ECONFLICT)
			return rc;
		return lms_err_set(err, LMS_EFORBIDDEN, "deadline_passed", NULL,
		                   "the time is up: answers are no longer saved");
	case LMS_AS_SAVE_NO_SLOT:
		return lms_err_set(err, LMS_EINVAL, "not_in_paper", "slot",
		                   "slot %d is not a question of your paper", in->slot_no);
	case LMS_AS_SAVE_SHAPE:
	default:
		return lms_err_set(err, LMS_EINVAL, "response_shape", "response",
		                   "response: not an answer this question takes");
	}
}

/* ---- submitting ---- */

static const lms_as_answer *answer_of(const lms_as_answer *ans, size_t n, int slot_no)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ans[i].slot_no == slot_no)
			return &ans[i];
	return NULL;
}

static int submit_in_tx(lms_store *s, int64_t id, int64_t user_id, const char *by,
                        int64_t now_us, lms_arena *a, lms_err *err)
{
	lms_as_attempt at;
	lms_as_answer *ans = NULL;
	size_t na = 0, i, n;
	int64_t *ids;
	uint64_t *seeds;
	shown_q *qs;
	const lms_question **questions;
	const lms_response **responses;
	lms_as_slot *pslots;
	lms_as_paper paper;
	lms_as_result res;
	lms_as_slot_result *sr;
	lms_as_graded g;
	int rc;

	if ((rc = OPS(s)->submit_mark(s, id, user_id, by, now_us, err)) < 0)
		return rc;
	if ((rc = OPS(s)->attempt_get(s, id, 0, a, &at, err)) < 0 ||
	    (rc = OPS(s)->answers(s, id, a, &ans, &na, err)) < 0)
		return rc;
	n = at.n_slots;
	ids = lms_arena_alloc(a, (n + 1) * sizeof(*ids));
	seeds = lms_arena_alloc(a, (n + 1) * sizeof(*seeds));
	pslots = lms_arena_alloc(a, (n + 1) * sizeof(*pslots));
	for (i = 0; i < n; i++) {
		ids[i] = at.slots[i].version_id;
		seeds[i] = at.slots[i].layout_seed;
		pslots[i].question_id = at.slots[i].question_id;
		pslots[i].version_id = at.slots[i].version_id;
		pslots[i].points = at.slots[i].points;
		pslots[i].layout_seed = at.slots[i].layout_seed;
	}
	paper.slots = pslots;
	paper.n_slots = n;
	paper.max_points = at.max_score;
	if ((rc = load_versions(s, ids, seeds, n, a, &qs, err)) < 0)
		return rc;
	questions = lms_arena_alloc(a, (n + 1) * sizeof(*questions));
	responses = lms_arena_alloc(a, (n + 1) * sizeof(*responses));
	sr = lms_arena_alloc(a, (n + 1) * sizeof(*sr));
	for (i = 0; i < n; i++) {
		const lms_as_answer *x = answer_of(ans, na, at.slots[i].slot_no);
		lms_response *stored;
		lms_err e;

		questions[i] = qs[i].q;
		sr[i].slot_no = at.slots[i].slot_no;
		sr[i].choice = -1;
		if (!x || x->shown.kind == LMS_R_NONE)
			continue;
		stored = lms_arena_alloc(a, sizeof(*stored));
		/* a stored answer that no longer maps (it cannot: the save checked its shape) is
		 * graded as given, which scores nothing */
		if (lms_question_response_from_delivered(qs[i].q, &qs[i].layout, &x->shown, a, stored,
		                                         &e) < 0)
			*stored = x->shown;
		responses[i] = stored;
		sr[i].rev = x->rev;
		if (qs[i].q->type == LMS_Q_SINGLE && stored->kind == LMS_R_CHOICE)
			sr[i].choice = (int)stored->choice;
	}
	if ((rc = lms_as_grade(&at.def, &paper, questions, responses, a, &res, err)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		sr[i].answered = res.slots[i].answered;
		sr[i].needs_manual = res.slots[i].needs_manual;
		sr[i].fraction = res.slots[i].fraction;
		sr[i].points = res.slots[i].points;
	}
	g.score = res.points;
	g.max_score = res.max_points;
	g.fraction = res.fraction;
	g.passed = res.passed;
	g.needs_manual = res.needs_manual;
	g.slots = sr;
	g.n_slots = n;
	if ((rc = OPS(s)->submit_write(s, id, &g, now_us, err)) < 0)
		return rc;
	if (strcmp(by, "server") == 0)
		rc = OPS(s)->event(s, id, 0, "server_submit", "server",
		                   "submitted by the server at the deadline", NULL, 0, now_us, err);
	return rc;
}

/* After a committed result (a submission, a trainer's essay grade): the course this quiz
 * counts toward may be complete now (course_quiz.h). A failure is logged, not returned: the
 * result stands, and the course page or the next lesson's finish evaluates it again. */
static void course_recheck(lms_store *s, int64_t attempt_id, int64_t now_us)
{
	lms_err e;

	memset(&e, 0, sizeof(e));
	if (lms_cq_after_attempt(s, attempt_id, now_us, &e) < 0)
		LMS_WARN("attempt %lld: the completion of its course was not evaluated: %s",
		         (long long)attempt_id, e.msg);
}

int lms_as_submit(lms_store *s, int64_t id, int64_t user_id, const char *by, int64_t now_us,
                  lms_err *err)
{
	lms_arena *a = lms_arena_new();
	int rc;

	if ((rc = OPS(s)->begin(s, err)) < 0)
		goto done;
	if ((rc = submit_in_tx(s, id, user_id, by, now_us, a, err)) < 0) {
		OPS(s)->rollback(s);
		goto done;
	}
	if ((rc = OPS(s)->commit(s, err)) == 0)
		course_recheck(s, id, now_us);
done:
	lms_arena_free(a);
	return rc;
}

int lms_as_submit_due(lms_store *s, int64_t now_us, int limit, int *done, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	*done = 0;
	if ((rc = OPS(s)->due(s, now_us, limit, a, &ids, &n, err)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		rc = lms_as_submit(s, ids[i], 0, "server", now_us, err);
		if (rc == LMS_ECONFLICT || rc == LMS_ENOTFOUND) {
			rc = LMS_OK; /* submitted meanwhile, by its learner or another node */
			lms_err_clear(err);
			continue;
		}
		if (rc < 0)
			break;
		++*done;
	}
out:
	lms_arena_free(a);
	return rc;
}

/* ---- essays ---- */

/* The pass mark as lms_as_grade applies it: a tiny tolerance, so 7 of 10 points pass 70 %. */
static bool passes(double fraction, double pass_fraction)
{
	return fraction + 1e-9 >= pass_fraction;
}

int lms_as_grade_essay(lms_store *s, int64_t assessment_id, int64_t attempt_id, int slot_no,
                       double points, const char *comment, const char *grader,
                       int64_t now_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	lms_as_attempt at;
	lms_as_graded g;
	size_t i;
	int rc;

	if (!isfinite(points) || points < 0) {
		rc = lms_err_set(err, LMS_EINVAL, "points_out_of_range", "points",
		                 "points: a number from 0 to the question's points");
		goto out;
	}
	if ((rc = OPS(s)->begin(s, err)) < 0)
		goto out;
	if ((rc = OPS(s)->manual_grade(s, assessment_id, attempt_id, slot_no, points,
	                               comment ? comment : "", grader, now_us, err)) < 0 ||
	    (rc = OPS(s)->attempt_get(s, attempt_id, 0, a, &at, err)) < 0)
		goto rollback;
	memset(&g, 0, sizeof(g));
	g.max_score = at.max_score;
	for (i = 0; i < at.n_slots; i++) {
		const lms_as_slot_row *r = &at.slots[i];
		g.score += r->earned;
		if (r->needs_manual && !r->manual_graded)
			g.needs_manual = true;
	}
	g.fraction = g.max_score > 0 ? g.score / g.max_score : 0;
	if (g.fraction > 1)
		g.fraction = 1;
	g.passed = passes(g.fraction, at.def.pass_fraction);
	if ((rc = OPS(s)->result_write(s, attempt_id, &g, now_us, err)) < 0)
		goto rollback;
	if ((rc = OPS(s)->commit(s, err)) == 0 && !g.needs_manual)
		course_recheck(s, attempt_id, now_us);
	goto out;
rollback:
	OPS(s)->rollback(s);
out:
	lms_arena_free(a);
	return rc;
}

/* ---- results and ranking ---- */

int lms_as_results(lms_store *s, const lms_assessment *as, const lms_scope *scope,
                   lms_arena *a, lms_as_result_row **out, size_t *n, lms_err *err)
{
	lms_as_result_row *r = NULL;
	size_t nr = 0, i, j, nb = 0;
	size_t *best;
	double *frac;
	int64_t *used;
	int *rank;
	int rc;

	if ((rc = OPS(s)->results(s, as->id, scope, a, &r, &nr, err)) < 0)
		return rc;
	best = lms_arena_alloc(a, (nr + 1) * sizeof(*best));
	/* each person's best final result: the highest fraction, then the least time used (the
	 * store gives each person's attempts one after another) */
	for (i = 0; i < nr; i++) {
		int64_t ti = r[i].submitted_us - r[i].started_us;
		if (!r[i].graded || r[i].needs_manual)
			continue;
		if (nb > 0 && r[best[nb - 1]].user_id == r[i].user_id) {
			lms_as_result_row *b = &r[best[nb - 1]];
			int64_t tb = b->submitted_us - b->started_us;
			if (r[i].fraction > b->fraction || (r[i].fraction == b->fraction && ti < tb))
				best[nb - 1] = i;
			continue;
		}
		best[nb++] = i;
	}
	frac = lms_arena_alloc(a, (nb + 1) * sizeof(*frac));
	used = lms_arena_alloc(a, (nb + 1) * sizeof(*used));
	rank = lms_arena_alloc(a, (nb + 1) * sizeof(*rank));
	for (j = 0; j < nb; j++) {
		frac[j] = r[best[j]].fraction;
		used[j] = r[best[j]].submitted_us - r[best[j]].started_us;
	}
	lms_as_rank(frac, used, nb, a, rank);
	for (j = 0; j < nb; j++) {
		r[best[j]].rank = rank[j];
		r[best[j]].best = true;
	}
	*out = r;
	*n = nr;
	return LMS_OK;
}

/* ---- item analysis ---- */

int lms_as_items(lms_store *s, int64_t id, lms_arena *a, lms_ia_result **out,
                 const char ***labels, const char ***types, int64_t **question_ids,
                 lms_err *err)
{
	lms_as_item_cell *c = NULL;
	size_t nc = 0, i, k, ni = 0, na = 0;
	int64_t *items, *attempts, *qids;
	uint64_t *zero;
	shown_q *qs;
	lms_ia_item *it;
	double *points;
	int *choice;
	const char **lab, **typ;
	lms_ia_input in;
	int rc;

	if ((rc = OPS(s)->item_cells(s, id, a, &c, &nc, err)) < 0)
		return rc;
	items = lms_arena_alloc(a, (nc + 1) * sizeof(*items));
	qids = lms_arena_alloc(a, (nc + 1) * sizeof(*qids));
	attempts = lms_arena_alloc(a, (nc + 1) * sizeof(*attempts));
	for (i = 0; i < nc; i++) {
		for (k = 0; k < ni && items[k] != c[i].version_id; k++)
			;
		if (k == ni) {
			qids[ni] = c[i].question_id;
			items[ni++] = c[i].version_id;
		}
		for (k = 0; k < na && attempts[k] != c[i].attempt_id; k++)
			;
		if (k == na)
			attempts[na++] = c[i].attempt_id;
	}
	if (ni > LMS_IA_MAX_ITEMS || na > LMS_IA_MAX_ATTEMPTS || ni * na > LMS_IA_MAX_CELLS)
		return lms_err_set(err, LMS_ETOOBIG, "too_big", NULL,
		                   "too many attempts or questions for one analysis");
	zero = lms_arena_alloc(a, (ni + 1) * sizeof(*zero));
	if ((rc = load_versions(s, items, zero, ni, a, &qs, err)) < 0)
		return rc;
	it = lms_arena_alloc(a, (ni + 1) * sizeof(*it));
	lab = lms_arena_alloc(a, (ni + 1) * sizeof(*lab));
	typ = lms_arena_alloc(a, (ni + 1) * sizeof(*typ));
	for (k = 0; k < ni; k++) {
		const lms_question *q = qs[k].q;
		lab[k] = q->name;
		typ[k] = lms_qtype_name(q->type);
		it[k].max_points = 0;
		if (q->type == LMS_Q_SINGLE && q->n_options >= 1 && q->n_options <= LMS_IA_MAX_OPTIONS) {
			double *f = lms_arena_alloc(a, q->n_options * sizeof(*f));
			for (i = 0; i < q->n_options; i++)
				f[i] = q->options[i].fraction;
			it[k].n_options = (int)q->n_options;
			it[k].option_fraction = f;
		}
	}
	points = lms_arena_alloc(a, (ni * na + 1) * sizeof(*points));
	choice = lms_arena_alloc(a, (ni * na + 1) * sizeof(*choice));
	for (i = 0; i < ni * na; i++) {
		points[i] = LMS_IA_NOT_PRESENTED;
		choice[i] = LMS_IA_NO_CHOICE;
	}
	for (i = 0; i < nc; i++) {
		size_t ki;
		for (ki = 0; items[ki] != c[i].version_id; ki++)
			;
		if (c[i].max_points > it[ki].max_points)
			it[ki].max_points = c[i].max_points;
	}
	for (k = 0; k < ni; k++)
		if (!(it[k].max_points > 0))
			it[k].max_points = 1; /* a question worth nothing (a description) */
	for (i = 0; i < nc; i++) {
		size_t ai, ki;
		for (ki = 0; items[ki] != c[i].version_id; ki++)
			;
		for (ai = 0; attempts[ai] != c[i].attempt_id; ai++)
			;
		points[ai * ni + ki] = c[i].fraction * it[ki].max_points;
		if (it[ki].n_options && c[i].choice >= 0 && c[i].choice < it[ki].n_options)
			choice[ai * ni + ki] = c[i].choice;
	}
	memset(&in, 0, sizeof(in));
	in.n_attempts = na;
	in.n_items = ni;
	in.items = it;
	in.points = points;
	in.choice = choice;
	if ((rc = lms_ia_analyse(out, &in, err)) < 0)
		return rc;
	*labels = lab;
	*types = typ;
	*question_ids = qids;
	return LMS_OK;
}

/* ---- the learner's review ---- */

int lms_as_review_json(lms_store *s, const lms_as_attempt *at, int64_t now_us, lms_arena *a,
                       lms_jsonw *w, lms_err *err)
{
	bool published = at->published_us != 0;
	bool score = lms_as_may_see(&at->def, at->def.show_score, now_us, published);
	bool answers = lms_as_may_see(&at->def, at->def.show_answers, now_us, published);
	bool feedback = lms_as_may_see(&at->def, at->def.show_feedback, now_us, published);
	lms_as_answer *ans = NULL;
	shown_q *qs = NULL;
	size_t na = 0, i, n = at->n_slots;
	int rc;

	if (answers || feedback) {
		int64_t *ids = lms_arena_alloc(a, (n + 1) * sizeof(*ids));
		uint64_t *seeds = lms_arena_alloc(a, (n + 1) * sizeof(*seeds));
		for (i = 0; i < n; i++) {
			ids[i] = at->slots[i].version_id;
			seeds[i] = at->slots[i].layout_seed;
		}
		if ((rc = load_versions(s, ids, seeds, n, a, &qs, err)) < 0 ||
		    (rc = OPS(s)->answers(s, at->id, a, &ans, &na, err)) < 0)
			return rc;
	}
	lms_jsonw_raw(w, "{\"show\":{\"score\":");
	lms_jsonw_raw(w, score ? "true" : "false");
	lms_jsonw_raw(w, ",\"answers\":");
	lms_jsonw_raw(w, answers ? "true" : "false");
	lms_jsonw_raw(w, ",\"feedback\":");
	lms_jsonw_raw(w, feedback ? "true" : "false");
	lms_jsonw_raw(w, "},\"result\":");
	if (score && at->graded) {
		lms_jsonw_raw(w, "{\"score\":");
		lms_jsonw_num(w, at->score);
		lms_jsonw_raw(w, ",\"max_score\":");
		lms_jsonw_num(w, at->max_score);
		lms_jsonw_raw(w, ",\"fraction\":");
		lms_jsonw_num(w, at->fraction);
		lms_jsonw_raw(w, ",\"passed\":");
		lms_jsonw_raw(w, at->needs_manual ? "null" : at->passed ? "true" : "false");
		lms_jsonw_raw(w, ",\"waiting_for_grading\":");
		lms_jsonw_raw(w, at->needs_manual ? "true" : "false");
		lms_jsonw_raw(w, "}");
	} else {
		lms_jsonw_raw(w, "null");
	}
	lms_jsonw_raw(w, ",\"slots\":[");
	for (i = 0; i < n; i++) {
		const lms_as_slot_row *r = &at->slots[i];
		if (i)
			lms_jsonw_raw(w, ",");
		lms_jsonw_raw(w, "{\"slot\":");
		lms_jsonw_i64(w, r->slot_no);
		lms_jsonw_raw(w, ",\"question\":");
		lms_jsonw_raw(w, r->shown);
		lms_jsonw_raw(w, ",\"answer\":");
		lms_jsonw_raw(w, r->answer ? r->answer : "null");
		if (score && r->has_result) {
			lms_jsonw_raw(w, ",\"earned\":");
			if (r->needs_manual && !r->manual_graded)
				lms_jsonw_raw(w, "null");
			else
				lms_jsonw_num(w, r->earned);
		}
		if (answers) {
			lms_jsonw_raw(w, ",\"key\":");
			lms_as_key_json(qs[i].q, &qs[i].layout, w);
		}
		if (feedback) {
			const lms_as_answer *x = answer_of(ans, na, r->slot_no);
			lms_response stored;
			lms_err e;
			const lms_response *sp = NULL;

			if (x && x->shown.kind != LMS_R_NONE &&
			    lms_question_response_from_delivered(qs[i].q, &qs[i].layout, &x->shown, a,
			                                         &stored, &e) == 0)
				sp = &stored;
			lms_jsonw_raw(w, ",\"feedback\":");
			lms_as_feedback_json(qs[i].q, sp, w);
			lms_jsonw_raw(w, ",\"comment\":");
			lms_jsonw_str(w, r->manual_graded && r->manual_comment ? r->manual_comment : NULL);
		}
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]}");
	return LMS_OK;
}

/* ---- exam certificates ---- */

int lms_as_certs_issue_pending(lms_store *s, int limit, const char *issuer_code,
                               const char *public_url, int64_t now_us, int *issued,
                               lms_err *err)
{
	unsigned char key[LMS_CERT_KEY_BYTES];
	lms_cert_issue_in in;
	lms_arena *a = lms_arena_new();
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	*issued = 0;
	if ((rc = OPS(s)->cert_pending(s, limit, a, &ids, &n, err)) < 0 || n == 0)
		goto done;
	memset(&in, 0, sizeof(in));
	if ((rc = lms_certs_current_key(s, &in.key_id, key, err)) < 0)
		goto done;
	in.key = key;
	in.key_len = sizeof(key);
	in.issuer_code = issuer_code;
	in.public_url = public_url;
	in.now_us = now_us;
	for (i = 0; i < n; i++) {
		bool one = false;
		if ((rc = OPS(s)->cert_issue(s, ids[i], &in, &one, err)) < 0)
			break;
		*issued += one;
	}
	memset(key, 0, sizeof(key));
done:
	lms_arena_free(a);
	return rc;
}
