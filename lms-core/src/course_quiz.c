/* course_quiz.c — quizzes that count toward a course's completion (course_quiz.h).
 *
 * The decision (lms_cq_decide, lms_cq_all_passed) and the evidence are pure: they read the
 * records the store gave and nothing else. lms_cq_after_attempt is the one use case here: after
 * a quiz result is committed it asks the player to evaluate the course's completion again, so
 * that "lessons first, then the quiz" completes at the quiz (the other order completes at the
 * lesson's finish, where the player checks anyway).
 * Not here: SQL (store_pg_assess.c), the content rule and the completion record (player.c).
 */
#include "lms/course_quiz.h"

#include "lms/assess_store.h"
#include "lms/clock.h"
#include "lms/log.h"
#include "lms/player.h"

#include <string.h>

/* The pass mark as lms_as_grade applies it (assess.c). */
static bool reaches(double fraction, double pass_fraction)
{
	return fraction + 1e-9 >= pass_fraction;
}

/* Has attempt a its final result? */
static bool final_result(const lms_cq_attempt *a)
{
	return a->graded && !a->needs_manual;
}

void lms_cq_decide(const lms_cq_quiz *q, lms_cq_verdict *out)
{
	const lms_cq_attempt *at = q->attempts, *x;
	size_t n = q->n_attempts, i, best = 0;
	bool any_waiting = false, have_best = false;
	double sum = 0;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		any_waiting |= !final_result(&at[i]);
	switch (q->def.grading) {
	case LMS_AS_GRADE_FIRST:
	case LMS_AS_GRADE_LAST:
		x = &at[q->def.grading == LMS_AS_GRADE_FIRST ? 0 : n - 1];
		if (!final_result(x)) {
			out->waiting = true;
			return;
		}
		out->fraction = x->fraction;
		out->counted = 1;
		out->decided_by = x->id;
		break;
	case LMS_AS_GRADE_AVERAGE:
		if (any_waiting) {
			out->waiting = true;
			return;
		}
		for (i = 0; i < n; i++)
			sum += at[i].fraction;
		out->fraction = sum / (double)n;
		out->counted = n;
		out->decided_by = at[n - 1].id;
		break;
	case LMS_AS_GRADE_HIGHEST:
	default:
		for (i = 0; i < n; i++) {
			if (!final_result(&at[i]))
				continue;
			out->counted++;
			if (!have_best || at[i].fraction > at[best].fraction) {
				best = i;
				have_best = true;
			}
		}
		/* a waiting attempt can only raise the best grade: not passed yet, waiting */
		out->waiting = any_waiting;
		if (!have_best)
			return;
		out->fraction = at[best].fraction;
		out->decided_by = at[best].id;
		break;
	}
	out->has_grade = true;
	out->passed = reaches(out->fraction, q->def.pass_fraction);
	if (out->passed)
		out->waiting = false;
}

bool lms_cq_all_passed(const lms_cq_quiz *q, size_t n, lms_cq_verdict *verdicts,
                       size_t *n_counting)
{
	bool all = true;
	size_t i, c = 0;

	for (i = 0; i < n; i++) {
		lms_cq_verdict v;
		lms_cq_decide(&q[i], &v);
		if (verdicts)
			verdicts[i] = v;
		if (!q[i].counts)
			continue;
		c++;
		if (!v.passed)
			all = false;
	}
	if (n_counting)
		*n_counting = c;
	return all;
}

/* Is attempt a counted in verdict v of quiz q? */
static bool counted(const lms_cq_quiz *q, const lms_cq_verdict *v, const lms_cq_attempt *a)
{
	if (!v->has_grade)
		return false;
	switch (q->def.grading) {
	case LMS_AS_GRADE_FIRST:
	case LMS_AS_GRADE_LAST:
		return a->id == v->decided_by;
	case LMS_AS_GRADE_AVERAGE:
		return true;
	case LMS_AS_GRADE_HIGHEST:
	default:
		return final_result(a);
	}
}

void lms_cq_evidence_json(const lms_cq_quiz *q, size_t n, const lms_cq_verdict *v,
                          lms_jsonw *w)
{
	size_t i, j, k = 0;

	lms_jsonw_raw(w, "[");
	for (i = 0; i < n; i++) {
		bool first = true;
		if (!q[i].counts)
			continue;
		lms_jsonw_raw(w, k++ ? ",{\"code\":" : "{\"code\":");
		lms_jsonw_str(w, q[i].code);
		lms_jsonw_raw(w, ",\"title\":");
		lms_jsonw_str(w, q[i].title);
		lms_jsonw_raw(w, ",\"grading\":");
		lms_jsonw_str(w, lms_as_grading_name(q[i].def.grading));
		lms_jsonw_raw(w, ",\"pass_fraction\":");
		lms_jsonw_num(w, q[i].def.pass_fraction);
		lms_jsonw_raw(w, ",\"fraction\":");
		if (v[i].has_grade)
			lms_jsonw_num(w, v[i].fraction);
		else
			lms_jsonw_raw(w, "null");
		lms_jsonw_raw(w, ",\"passed\":");
		lms_jsonw_raw(w, v[i].passed ? "true" : "false");
		lms_jsonw_raw(w, ",\"decided_by_attempt\":");
		if (v[i].decided_by)
			lms_jsonw_i64(w, v[i].decided_by);
		else
			lms_jsonw_raw(w, "null");
		lms_jsonw_raw(w, ",\"attempts\":[");
		for (j = 0; j < q[i].n_attempts; j++) {
			const lms_cq_attempt *a = &q[i].attempts[j];
			lms_jsonw_raw(w, first ? "{\"id\":" : ",{\"id\":");
			first = false;
			lms_jsonw_i64(w, a->id);
			lms_jsonw_raw(w, ",\"no\":");
			lms_jsonw_i64(w, a->attempt_no);
			lms_jsonw_raw(w, ",\"fraction\":");
			lms_jsonw_num(w, a->fraction);
			lms_jsonw_raw(w, ",\"waiting\":");
			lms_jsonw_raw(w, final_result(a) ? "false" : "true");
			lms_jsonw_raw(w, ",\"counted\":");
			lms_jsonw_raw(w, counted(&q[i], &v[i], a) ? "true" : "false");
			lms_jsonw_raw(w, "}");
		}
		lms_jsonw_raw(w, "]}");
	}
	lms_jsonw_raw(w, "]");
}

/* ---- the recheck after a quiz result ---- */

static int64_t fixed_now(void *ud)
{
	return *(const int64_t *)ud;
}

int lms_cq_after_attempt(lms_store *s, int64_t attempt_id, int64_t now_us, lms_err *err)
{
	const lms_assess_ops *ops = s->ops->assess;
	int64_t user_id = 0, enrolment_id = 0;
	lms_clock clock;
	lms_arena *a;
	int rc;

	if (!ops || !ops->course_quiz_enrolment)
		return LMS_OK;
	if ((rc = ops->course_quiz_enrolment(s, attempt_id, &user_id, &enrolment_id, err)) < 0)
		return rc;
	if (!enrolment_id)
		return LMS_OK;
	clock.now_us = fixed_now;
	clock.ud = &now_us;
	a = lms_arena_new();
	rc = lms_player_check_completion(s, &clock, enrolment_id, user_id, a, err);
	lms_arena_free(a);
	return rc;
}
