/* course_quiz.h — quizzes that count toward a course's completion (docs/assessment.md,
 * "Quizzes that count toward a course"; schemas/sql/0015_course_quiz.sql).
 *
 * A quiz with a course may be marked counts_for_course. A course with such quizzes is
 * complete for a learner when its content rule holds (player.c, as before) AND each counting
 * quiz that is not a draft is passed by that learner by its grading across attempts against
 * its pass mark. This header holds:
 *   - the records the store gives (a quiz of a course with the learner's submitted attempts);
 *   - the decision, pure and unit-tested (tests/unit/test_course_quiz.c): lms_cq_decide;
 *   - the evidence an auditor reads in the completion record (lms_cq_evidence_json);
 *   - the recheck after a quiz's result becomes known (lms_cq_after_attempt), called by
 *     assess_run.c after a submission or a trainer's essay grade has been committed.
 * What does not count yet: an attempt still open, and an attempt waiting for a trainer to grade
 * an essay (see lms_cq_decide for what that means for each grading method).
 */
#ifndef LMS_COURSE_QUIZ_H
#define LMS_COURSE_QUIZ_H

#include "lms/arena.h"
#include "lms/assess.h"
#include "lms/error.h"
#include "lms/jsonw.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A submitted attempt of a learner at a quiz of the course. */
typedef struct lms_cq_attempt {
	int64_t id;
	int attempt_no;
	int64_t submitted_us;
	bool graded;                 /* a result is written (always, once submitted) */
	bool needs_manual;           /* an essay waits for a trainer: the result is provisional */
	bool passed;                 /* the attempt's own pass/fail (provisional while needs_manual) */
	double fraction;             /* score / max, 0..1 */
} lms_cq_attempt;

/* A quiz of a course (not a draft) with what the course page and the rule need. */
typedef struct lms_cq_quiz {
	int64_t id;
	const char *code, *title;
	int status;                  /* lms_as_status: LMS_AS_OPEN or LMS_AS_CLOSED */
	bool counts;                 /* counts toward the course's completion */
	lms_as_def def;              /* scalars only: grading, pass mark, window, limits, review */
	int64_t published_us;        /* 0: results not published */
	bool eligible;               /* assessment_eligible for the learner */
	int used, granted;           /* attempts started; extra attempts granted */
	int64_t open_attempt_id;     /* an attempt in progress, 0: none */
	lms_cq_attempt *attempts;    /* submitted, in order (attempt_no) */
	size_t n_attempts;
} lms_cq_quiz;

/* What one quiz says for the course. */
typedef struct lms_cq_verdict {
	bool passed;                 /* the quiz counts as passed for the course */
	bool waiting;                /* not passed, and an attempt waiting for an essay grade may
	                                still decide it */
	bool has_grade;              /* a grade across attempts exists (some attempt counted) */
	double fraction;             /* that grade (lms_as_final_fraction) */
	int64_t decided_by;          /* the attempt that decided it (0: none), see lms_cq_decide */
	size_t counted;              /* attempts the grade is computed from */
} lms_cq_verdict;

/* The decision for one quiz, from its submitted attempts (in order), by its grading:
 *   - highest: the graded attempts (an attempt waiting for an essay grade is left out until
 *     graded: it can only raise the best); decided by the first attempt with the best grade;
 *   - average: every submitted attempt, so nothing is decided while one waits; decided by
 *     the latest attempt (the average is of all of them);
 *   - first: the first submitted attempt; waiting while it waits;
 *   - last: the latest submitted attempt; waiting while it waits.
 * Passed when that grade reaches the pass mark (with assess.c's 1e-9 tolerance, so 7 of 10
 * passes 70 %). No attempts: not passed, no grade. */
void lms_cq_decide(const lms_cq_quiz *q, lms_cq_verdict *out);

/* Are all the counting quizzes among q[0..n) passed? (verdicts: n of them, filled for every
 * quiz, counting or not; may be NULL). *n_counting gets how many count (may be NULL). True
 * when none counts. */
bool lms_cq_all_passed(const lms_cq_quiz *q, size_t n, lms_cq_verdict *verdicts,
                       size_t *n_counting);

/* The evidence of the counting quizzes for the completion record: a JSON array with, per
 * counting quiz, its code, title, grading, pass mark, the grade, passed, the attempt that
 * decided it and the attempts counted ({"id","no","fraction","passed","waiting"}). */
void lms_cq_evidence_json(const lms_cq_quiz *q, size_t n, const lms_cq_verdict *v,
                          lms_jsonw *w);

/* After attempt_id's result was committed (a submission, a trainer's essay grade): when its
 * quiz counts toward a course and the learner's enrolment there is not completed, evaluates
 * the course's completion at now_us (lms_player_check_completion), which records it once.
 * A store without the operations does nothing. Errors are returned (the caller logs them: the
 * quiz result itself is already committed; the next completion check catches up). */
int lms_cq_after_attempt(lms_store *s, int64_t attempt_id, int64_t now_us, lms_err *err);

#endif
