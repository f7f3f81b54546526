/* assess.h — the rules of quizzes and capability exams (issue 5, items 2 and 3), pure: no
 * storage, no clock of its own, no I/O, so every rule is unit-tested (tests/unit/test_assess.c)
 * and the storage and HTTP layers only carry data to and from them.
 *
 *   - drawing a paper: a fixed list and/or random draws by category (with its subcategories),
 *     difficulty and tag, without a question twice, from a seed that is stored with the attempt
 *     (so the paper can be drawn again and checked by an auditor);
 *   - the deadline of an attempt on the server's clock: the earlier of start + time limit and
 *     the close of the window; saves after it are refused;
 *   - what an answer save must be: a slot of this paper, before the deadline, not after
 *     submission, a newer revision than the stored one (replays are harmless);
 *   - grading a paper (lms_question_grade per slot, scaled to the slot's points), pass/fail;
 *   - the grade across attempts of a quiz (highest, average, first, last);
 *   - whether a learner may see their score, the right answers, the feedback, and when;
 *   - ranking (ties share a rank: 1, 2, 2, 4).
 * Times are microseconds since the epoch, from the caller (the server's clock). */
#ifndef LMS_ASSESS_H
#define LMS_ASSESS_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/question.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_AS_MAX_SLOTS 500        /* questions in one paper */
#define LMS_AS_MAX_RULES 50

typedef enum { LMS_AS_QUIZ = 1, LMS_AS_EXAM = 2 } lms_as_kind;

typedef enum {
	LMS_AS_GRADE_HIGHEST = 1, LMS_AS_GRADE_AVERAGE, LMS_AS_GRADE_FIRST, LMS_AS_GRADE_LAST
} lms_as_grading;

/* When the learner may see something about a submitted attempt. */
typedef enum {
	LMS_AS_SHOW_NEVER = 0,
	LMS_AS_SHOW_AFTER_SUBMIT,     /* as soon as the attempt is submitted */
	LMS_AS_SHOW_AFTER_CLOSE,      /* once the window has closed */
	LMS_AS_SHOW_AFTER_PUBLISH     /* once a trainer published the results (exams) */
} lms_as_show;

/* One random draw: count questions from the pool matching every given criterion. */
typedef struct lms_as_rule {
	const char *category;         /* a category path; its subcategories count; NULL: any */
	lms_qdifficulty difficulty;   /* LMS_QD_NONE: any */
	const char *tag;              /* NULL: any */
	int count;                    /* 1..LMS_AS_MAX_SLOTS */
	double points;                /* points of each drawn question; 0: its default mark */
} lms_as_rule;

typedef struct lms_as_def {
	lms_as_kind kind;
	const int64_t *fixed;         /* question ids always in the paper, in this order */
	size_t n_fixed;
	const lms_as_rule *rules;
	size_t n_rules;
	bool shuffle_questions;       /* the paper's order is shuffled (by the attempt's seed) */
	int64_t time_limit_us;        /* 0: none */
	int64_t opens_us, closes_us;  /* the window; 0: open-ended */
	int max_attempts;             /* 0: unlimited (quizzes); exams have 1 */
	double pass_fraction;         /* of the paper's points, 0..1 */
	lms_as_grading grading;       /* quizzes: across attempts */
	lms_as_show show_score, show_answers, show_feedback;
} lms_as_def;

/* A question the bank offers to a draw: its current version and what rules look at. */
typedef struct lms_as_candidate {
	int64_t question_id, version_id;
	const char *category;
	lms_qdifficulty difficulty;
	const char *const *tags;
	size_t n_tags;
	double default_mark;
} lms_as_candidate;

/* One question of a paper: fixed at start, never changed by later edits of the question. */
typedef struct lms_as_slot {
	int64_t question_id, version_id;
	double points;
	uint64_t layout_seed;         /* option order (lms_question_layout) */
} lms_as_slot;

typedef struct lms_as_paper {
	lms_as_slot *slots;
	size_t n_slots;
	double max_points;
} lms_as_paper;

/* Checks a definition: counts, fractions, a window that ends after it opens, an exam with
 * one attempt and no review before publication of answers... LMS_EINVAL naming the field. */
int lms_as_def_check(const lms_as_def *d, lms_err *err);

/* Draws a paper from pool with seed: the fixed questions first (each must be in the pool), then
 * each rule in order, never a question twice; then the order is shuffled when asked. A rule
 * the pool cannot fill fails LMS_EINVAL "paper_short" naming the rule and how many it found. */
int lms_as_draw(const lms_as_def *d, const lms_as_candidate *pool, size_t n, uint64_t seed,
                lms_arena *a, lms_as_paper *out, lms_err *err);

/* The attempt's deadline: the earlier of started + time limit and the window's close; 0 none. */
int64_t lms_as_deadline(const lms_as_def *d, int64_t started_us);

/* May the learner start an attempt now? LMS_EFORBIDDEN "not_open" / "closed" for the window,
 * LMS_ECONFLICT "no_attempts_left" when attempts_used >= max (plus extra granted). */
int lms_as_may_start(const lms_as_def *d, int64_t now_us, int attempts_used, int extra_granted,
                     lms_err *err);

/* May this answer be saved? slot must be of the paper (LMS_EINVAL "not_in_paper"); not after
 * submission (LMS_ECONFLICT "attempt_submitted"); not after the deadline (LMS_EFORBIDDEN
 * "deadline_passed"); rev must be newer than the stored one (else *stale = true and 0: the
 * save is a replay or arrived out of order, and is ignored without error). */
int lms_as_check_save(const lms_as_paper *p, size_t slot, int64_t now_us, int64_t deadline_us,
                      bool submitted, int64_t rev, int64_t stored_rev, bool *stale, lms_err *err);

/* The grade of one slot, and of a paper. */
typedef struct lms_as_slot_grade {
	bool answered, needs_manual;
	double fraction, points;       /* points = fraction * slot points */
	lms_grade detail;
} lms_as_slot_grade;

typedef struct lms_as_result {
	double points, max_points, fraction;
	bool passed, needs_manual;     /* needs_manual: an essay awaits a trainer; passed provisional */
	size_t answered;
	lms_as_slot_grade *slots;
} lms_as_result;

/* Grades the paper: questions[i] is the version of slot i, responses[i] its answer (NULL:
 * unanswered, zero points). A response of the wrong shape counts as wrong (zero points) rather
 * than failing the paper: the answer was already accepted by the save check. */
int lms_as_grade(const lms_as_def *d, const lms_as_paper *p, const lms_question *const *questions,
                 const lms_response *const *responses, lms_arena *a, lms_as_result *out,
                 lms_err *err);

/* The grade of a quiz across its submitted attempts (fractions in submission order). */
double lms_as_final_fraction(lms_as_grading g, const double *fractions, size_t n);

/* May a learner see this part of a submitted attempt now? */
bool lms_as_may_show(lms_as_show when, int64_t now_us, int64_t closes_us, bool published);

/* Ranks by fraction (descending), then time used (ascending); equal keys share the rank
 * ("1, 2, 2, 4"). rank[i] is the rank of entry i. */
void lms_as_rank(const double *fraction, const int64_t *time_used_us, size_t n, lms_arena *a,
                 int *rank);

#endif
