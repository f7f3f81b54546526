/* assess_store.h — quizzes and capability exams kept in the store (docs/assessment.md): the
 * records, the store's table of operations (lms_assess_ops, reached as store->ops->assess),
 * and the use cases over it (assess_run.c) that the HTTP handlers and the server's
 * housekeeping call.
 *
 * The rules themselves are assess.h's (pure): the use cases load what the rules need, call
 * them, and write what they decide, each decision in one transaction:
 *   - starting an attempt: eligibility, attempts left (with grants), the window, the paper
 *     drawn from the bank's current versions with a seed from RAND_bytes, the slots (each
 *     with the question as shown, without keys) and the deadline on the server's clock;
 *   - saving an answer: one guarded statement (the learner's own open attempt, before the
 *     deadline, a slot of the paper, an answer of the slot's shape); an older revision is
 *     ignored and the stored one returned; past the deadline it is refused and the attempt
 *     is submitted by the server;
 *   - submitting: the attempt is closed, graded (lms_as_grade) and its result and, for an
 *     exam, its exam_result event for the personnel system written together;
 *   - an essay graded by a trainer completes the result (and then writes the event);
 *   - results, ranking (lms_as_rank), item analysis (item_analysis.h), the talent pool,
 *     exam certificates once the results are published.
 *
 * Answers are kept as the learner gave them, in the positions of the options as shown
 * (question.h's delivery view); grading maps them back with the slot's layout seed. Times
 * are microseconds since the epoch on the server's clock; a browser's clock is never read.
 */
#ifndef LMS_ASSESS_STORE_H
#define LMS_ASSESS_STORE_H

#include "lms/arena.h"
#include "lms/assess.h"
#include "lms/error.h"
#include "lms/item_analysis.h"
#include "lms/jsonw.h"
#include "lms/model.h"
#include "lms/question.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lms_cert_issue_in;
struct lms_cq_quiz;          /* course_quiz.h */
struct lms_as_file;         /* assess_files.h */
struct lms_as_person_record; /* below: a person's learning record */

/* ---- limits ---- */

#define LMS_AS_MAX_AUDIENCE 100        /* audience lines */
#define LMS_AS_MAX_NAMED 5000          /* people of a named list */
#define LMS_AS_MAX_POSITIONS 50        /* positions of one audience line */
#define LMS_AS_MAX_TITLE 300           /* characters */
#define LMS_AS_MAX_DESCRIPTION 4000
#define LMS_AS_MAX_REASON 500          /* a grant's reason, a decision's note */
#define LMS_AS_MAX_COMMENT 2000        /* a trainer's comment on an essay */
#define LMS_AS_MAX_DETAIL 500          /* an integrity event's detail */
#define LMS_AS_MAX_LIST 500            /* assessments in one list */
#define LMS_AS_MAX_RESULTS 20000       /* attempts in one result list */

typedef enum { LMS_AS_DRAFT = 0, LMS_AS_OPEN = 1, LMS_AS_CLOSED = 2 } lms_as_status;

const char *lms_as_status_name(lms_as_status s);          /* "draft", "open", "closed" */
const char *lms_as_kind_name(lms_as_kind k);              /* "quiz", "exam" */
int lms_as_kind_parse(const char *s, lms_as_kind *out);   /* 0 or LMS_EINVAL */
const char *lms_as_show_name(lms_as_show s);              /* "never", "after_submit", ... */
int lms_as_show_parse(const char *s, lms_as_show *out);
const char *lms_as_grading_name(lms_as_grading g);        /* "highest", "average", ... */
int lms_as_grading_parse(const char *s, lms_as_grading *out);

/* ---- the records ---- */

/* One line of eligibility by roster: the people of the subtree of unit (NULL: any unit),
 * holding one of positions (none: any), with par_role (-1: any), leaders or not (-1: either). */
typedef struct lms_as_audience {
	const char *unit_code;
	const char **positions;
	size_t n_positions;
	int par_role;                /* -1, or an lms_par_role */
	int leader;                  /* -1, 0 staff, 1 leaders */
} lms_as_audience;

/* An assessment: its definition and what the store knows about it. */
typedef struct lms_assessment {
	int64_t id;
	const char *code, *title, *description;
	lms_as_status status;
	lms_as_def def;              /* kind, fixed questions, rules, window, limits, review */
	const char *unit_code;       /* the organising unit (a trainer's reach) */
	const char *unit_name;
	const char *course_code;     /* a quiz inside or beside a course; NULL: none */
	bool counts_for_course;      /* a quiz with a course: passing it is needed to complete the
	                                course (course_quiz.h, 0015) */
	lms_as_audience *audience;
	size_t n_audience;
	const char **named;          /* the named list: employee codes */
	size_t n_named;
	int64_t rev;                 /* bumped by each change */
	const char *created_by;
	int64_t created_us;
	int64_t opened_us, closed_us, published_us;   /* 0: not yet */
	const char *published_by;
	int64_t attempts, submitted, to_grade;        /* counts (get, list) */
} lms_assessment;

/* What a learner sees in their list: an assessment offered to them or taken by them. */
typedef struct lms_as_mine {
	const char *code, *title, *description, *course_code;
	lms_as_status status;
	lms_as_def def;              /* scalars only: no fixed questions or rules */
	bool eligible;
	int used, granted;           /* attempts started; extra attempts granted */
	int64_t open_attempt_id;     /* an attempt in progress, 0: none */
	int64_t open_deadline_us;
	int64_t last_attempt_id;     /* the latest submitted attempt, 0: none */
	bool last_graded, last_needs_manual, last_passed;
	double last_fraction;
	double final_fraction;       /* across submitted attempts by def.grading */
	bool published;
} lms_as_mine;

/* A slot of an attempt's paper as stored, with its current answer. */
typedef struct lms_as_slot_row {
	int slot_no;
	int64_t question_id, version_id;
	double points;
	uint64_t layout_seed;
	const char *qtype, *rkind;
	int n_a, n_b;
	const char *shown;           /* the question as shown: a JSON object */
	const char *answer;          /* the current answer (JSON object), NULL: none */
	int64_t rev, saved_us;       /* its revision and the server's time of the save */
	/* after submission */
	bool has_result, answered, needs_manual;
	double fraction, earned;     /* earned: points, or the trainer's when graded */
	bool manual_graded;
	const char *manual_comment;
} lms_as_slot_row;

/* An attempt and its paper. */
typedef struct lms_as_attempt {
	int64_t id, assessment_id, user_id, person_id;
	const char *code, *title;
	lms_as_status status;
	lms_as_def def;              /* scalars only */
	int64_t published_us;
	int attempt_no;
	uint64_t seed;
	int64_t started_us, deadline_us, submitted_us;  /* deadline 0: none */
	const char *submitted_by;    /* "learner", "server", NULL while open */
	bool graded, needs_manual, passed;
	double score, max_score, fraction;
	int64_t rev;
	const char *device;          /* the first device; NULL */
	const char *learner_name, *employee_code, *unit_code;
	lms_as_slot_row *slots;
	size_t n_slots;
} lms_as_attempt;

/* What an answer is for a slot, checked in the save's statement (0014, attempt_slot). */
typedef struct lms_as_shape {
	const char *rkind;           /* "choice", "choices", "bool", "text", "pairs", "order", "none" */
	int a, b;                    /* the largest position used (or text length) per list, -1 */
	int count;                   /* order: how many items; -1 otherwise */
} lms_as_shape;

typedef struct lms_as_save_in {
	int64_t attempt_id, user_id, session_id;
	int slot_no;
	int64_t rev;
	const char *response;        /* canonical JSON (lms_as_response_json) */
	lms_as_shape shape;
	int64_t now_us;
} lms_as_save_in;

/* Why a save was not written, as the store found it. */
typedef enum {
	LMS_AS_SAVED = 0,            /* written: rev is the new revision */
	LMS_AS_SAVE_STALE,           /* not newer: rev is the stored one */
	LMS_AS_SAVE_NO_ATTEMPT,      /* no such attempt, or another learner's */
	LMS_AS_SAVE_SUBMITTED,
	LMS_AS_SAVE_DEADLINE,
	LMS_AS_SAVE_NO_SLOT,
	LMS_AS_SAVE_SHAPE
} lms_as_save_status;

typedef struct lms_as_save_out {
	lms_as_save_status status;
	int64_t rev, saved_us;       /* the revision kept and when it was saved (0: none yet) */
	int64_t deadline_us;
} lms_as_save_out;

/* A slot's grade, written at submission. */
typedef struct lms_as_slot_result {
	int slot_no;
	int64_t rev;                 /* the revision graded; 0: unanswered */
	bool answered, needs_manual;
	double fraction, points;
	int choice;                  /* single choice: the stored index chosen, -1 otherwise */
} lms_as_slot_result;

typedef struct lms_as_graded {
	double score, max_score, fraction;
	bool passed, needs_manual;
	const lms_as_slot_result *slots;
	size_t n_slots;
} lms_as_graded;

/* The current answer of a slot, in shown positions, as the store read it. */
typedef struct lms_as_answer {
	int slot_no;
	int64_t rev;
	lms_response shown;
} lms_as_answer;

/* A result of the results list: a submitted attempt with its person. */
typedef struct lms_as_result_row {
	int64_t attempt_id, user_id, person_id;
	int attempt_no;
	const char *learner_name, *employee_code, *unit_code, *unit_name, *position;
	bool is_leader;
	int64_t started_us, submitted_us;
	const char *submitted_by;
	bool graded, needs_manual, passed;
	double score, max_score, fraction;
	int64_t integrity_events;
	int rank;                    /* filled by lms_as_results: 0 when not ranked */
	bool best;                   /* the person's best attempt (the one ranked) */
} lms_as_result_row;

/* An essay to grade. */
typedef struct lms_as_essay {
	int64_t attempt_id;
	int slot_no;
	const char *learner_name, *employee_code;
	double points;               /* the slot's */
	const char *shown, *answer;  /* JSON objects; answer NULL when unanswered */
	bool graded;
	double given;
	const char *comment;
} lms_as_essay;

/* One cell of the item analysis: a slot of a submitted, graded attempt. */
typedef struct lms_as_item_cell {
	int64_t attempt_id, version_id, question_id;
	double fraction, max_points;
	int choice;                  /* single choice: stored index, -1 none */
} lms_as_item_cell;

/* A talent-pool entry. */
typedef struct lms_as_pool_row {
	int64_t id, attempt_id;
	const char *assessment_code, *assessment_title;
	const char *employee_code, *learner_name, *unit_code, *unit_name;
	const char *track;           /* "leader", "expert" */
	int rank;
	double score;
	const char *proposed_by;
	int64_t proposed_us;
	const char *status;          /* "proposed", "approved", "rejected" */
	const char *decided_by, *note;
	int64_t decided_us;
} lms_as_pool_row;

/* An integrity event as stored. */
typedef struct lms_as_event_row {
	const char *kind, *source, *detail, *client_at;
	int64_t at_us;
} lms_as_event_row;

/* A version as the bank keeps it (question_version.body). */
typedef struct lms_as_version {
	int64_t version_id;
	const char *body;
	size_t body_len;
} lms_as_version;

/* What starting an attempt needs to know, read under the start's lock. */
typedef struct lms_as_start_info {
	lms_assessment as;           /* with fixed questions and rules */
	bool eligible;
	int used, granted;
	int64_t open_attempt_id;     /* an attempt in progress: it is resumed */
	int64_t person_id;           /* 0: the account has no roster person */
} lms_as_start_info;

typedef struct lms_as_new_slot {
	int64_t question_id, version_id;
	double points;
	uint64_t layout_seed;
	const char *qtype, *rkind;
	int n_a, n_b;
	const char *shown;
} lms_as_new_slot;

typedef struct lms_as_new_attempt {
	int64_t assessment_id, user_id;
	int attempt_no;
	uint64_t seed;
	int64_t started_us, deadline_us;
	double max_score;
	const lms_as_new_slot *slots;
	size_t n_slots;
} lms_as_new_attempt;

/* ---- the store's operations (store->ops->assess) ---- */

/* Every operation returns 0 or a negative LMS_* code with err (store.h). Those marked "(tx)"
 * run inside begin/commit; the others are one statement each. */
typedef struct lms_assess_ops {
	int (*begin)(lms_store *s, lms_err *err);
	int (*commit)(lms_store *s, lms_err *err);
	void (*rollback)(lms_store *s);

	/* Stores a new draft with its children in one transaction; *id. LMS_ECONFLICT
	 * "assessment_code_taken"; LMS_ENOTFOUND naming the field for an unknown unit
	 * ("unit", "audience[i].unit"), course ("course"), question ("fixed[i]") or person
	 * ("named[i]"). */
	int (*create)(lms_store *s, const lms_assessment *in, const char *actor, int64_t *id,
	              lms_err *err);
	/* Replaces draft in->id's definition if its rev is expect_rev (LMS_ECONFLICT
	 * "assessment_changed"); a non-draft is LMS_ECONFLICT "not_draft". */
	int (*update)(lms_store *s, const lms_assessment *in, int64_t expect_rev, const char *actor,
	              lms_err *err);
	/* The assessment with code, with its children and counts. LMS_ENOTFOUND. */
	int (*get)(lms_store *s, const char *code, lms_arena *a, lms_assessment *out, lms_err *err);
	/* Assessments whose unit lies in scope, newest first, without children. */
	int (*list)(lms_store *s, const lms_scope *scope, lms_arena *a, lms_assessment **out,
	            size_t *n, lms_err *err);
	/* Moves id from one status to the next (logged with actor); LMS_ECONFLICT
	 * "assessment_changed" when it is not in from any more. */
	int (*set_status)(lms_store *s, int64_t id, lms_as_status from, lms_as_status to,
	                  const char *actor, int64_t now_us, lms_err *err);
	/* Publishes id's results once (LMS_ECONFLICT "already_published"). */
	int (*publish)(lms_store *s, int64_t id, const char *actor, int64_t now_us, lms_err *err);
	/* Grants username an extra attempt at id, with reason (LMS_ENOTFOUND field
	 * "username"). */
	int (*grant)(lms_store *s, int64_t id, const char *username, const char *reason,
	             const char *actor, lms_err *err);
	/* Appends to the assessment's log. */
	int (*log)(lms_store *s, int64_t id, const char *actor, const char *action,
	           const char *detail, lms_err *err);

	/* The assessments user_id is offered (open or closed, eligible) or has taken. */
	int (*mine)(lms_store *s, int64_t user_id, lms_arena *a, lms_as_mine **out, size_t *n,
	            lms_err *err);
	/* (tx) Takes the start lock of (code, user_id) and reads what a start needs.
	 * LMS_ENOTFOUND for an unknown code. */
	int (*start_info)(lms_store *s, const char *code, int64_t user_id, lms_arena *a,
	                  lms_as_start_info *out, lms_err *err);
	/* The bank's current versions the definition can draw from: its fixed questions and the
	 * questions of its rules' categories (not retired). */
	int (*pool)(lms_store *s, const lms_as_def *def, lms_arena *a, lms_as_candidate **out,
	            size_t *n, lms_err *err);
	/* The bodies of versions ids[0..n), in that order (LMS_ENOTFOUND for a missing one). */
	int (*versions)(lms_store *s, const int64_t *ids, size_t n, lms_arena *a,
	                lms_as_version **out, lms_err *err);
	/* (tx) Writes the attempt and its slots; *id. */
	int (*attempt_insert)(lms_store *s, const lms_as_new_attempt *in, int64_t *id, lms_err *err);
	/* The attempt (of user_id, or anyone's when 0) with its slots, current answers and
	 * results. LMS_ENOTFOUND. */
	int (*attempt_get)(lms_store *s, int64_t id, int64_t user_id, lms_arena *a,
	                   lms_as_attempt *out, lms_err *err);
	/* The guarded save (one statement); out->status says what happened. */
	int (*save)(lms_store *s, const lms_as_save_in *in, lms_as_save_out *out, lms_err *err);
	/* Records an integrity event at at_us (user_id 0: the server's). Not the attempt's
	 * learner: LMS_ENOTFOUND. */
	int (*event)(lms_store *s, int64_t attempt_id, int64_t user_id, const char *kind,
	             const char *source, const char *detail, const char *client_at,
	             int64_t session_id, int64_t at_us, lms_err *err);
	/* Records the first device of an attempt; *second true when another was recorded. */
	int (*device)(lms_store *s, int64_t attempt_id, const char *device, bool *second,
	              lms_err *err);
	/* The attempt's events, oldest first. */
	int (*events)(lms_store *s, int64_t attempt_id, lms_arena *a, lms_as_event_row **out,
	              size_t *n, lms_err *err);
	/* (tx) Closes the attempt (of user_id, or anyone's when 0) at at_us by by ("learner",
	 * "server"; an attempt past its deadline is closed by the server at its deadline).
	 * LMS_ENOTFOUND when it is not theirs, LMS_ECONFLICT "attempt_submitted" when it was
	 * closed already. */
	int (*submit_mark)(lms_store *s, int64_t id, int64_t user_id, const char *by, int64_t at_us,
	                   lms_err *err);
	/* (tx) The current answer of every answered slot, in shown positions. */
	int (*answers)(lms_store *s, int64_t id, lms_arena *a, lms_as_answer **out, size_t *n,
	               lms_err *err);
	/* (tx) Writes the slots' grades and the attempt's result; for an exam whose result is
	 * final, its exam_result event (0005's outbox) in the same transaction. */
	int (*submit_write)(lms_store *s, int64_t id, const lms_as_graded *g, int64_t now_us,
	                    lms_err *err);
	/* Open attempts whose deadline is at or before now_us, oldest first, at most limit. */
	int (*due)(lms_store *s, int64_t now_us, int limit, lms_arena *a, int64_t **ids, size_t *n,
	           lms_err *err);

	/* Essays of assessment id's submitted attempts, to grade. */
	int (*essays)(lms_store *s, int64_t id, lms_arena *a, lms_as_essay **out, size_t *n,
	              lms_err *err);
	/* (tx) Records a trainer's points for an essay slot (LMS_ENOTFOUND when the slot is not
	 * an essay of a submitted attempt of assessment id). */
	int (*manual_grade)(lms_store *s, int64_t id, int64_t attempt_id, int slot_no,
	                    double points, const char *comment, const char *grader, int64_t now_us,
	                    lms_err *err);
	/* (tx) Replaces the result of a submitted attempt whose essays were graded (score,
	 * fraction, passed, needs_manual) and, when it becomes final on an exam, writes its
	 * exam_result event. */
	int (*result_write)(lms_store *s, int64_t attempt_id, const lms_as_graded *g,
	                    int64_t now_us, lms_err *err);

	/* Submitted attempts of assessment id (of people in scope when not NULL), each account's
	 * attempts one after another (by account, then attempt number). */
	int (*results)(lms_store *s, int64_t id, const lms_scope *scope, lms_arena *a,
	               lms_as_result_row **out, size_t *n, lms_err *err);
	/* Every slot of every graded attempt of assessment id. */
	int (*item_cells)(lms_store *s, int64_t id, lms_arena *a, lms_as_item_cell **out,
	                  size_t *n, lms_err *err);
	/* Proposes the person of attempt_id for the talent pool (LMS_ECONFLICT
	 * "already_proposed"). */
	int (*pool_propose)(lms_store *s, int64_t id, int64_t attempt_id, const char *track,
	                    int rank, double score, const char *actor, lms_err *err);
	/* Talent-pool entries (of assessment id when not 0; of people in scope when not NULL). */
	int (*pool_list)(lms_store *s, int64_t id, const lms_scope *scope, lms_arena *a,
	                 lms_as_pool_row **out, size_t *n, lms_err *err);
	/* Decides entry_id once, if its person lies in scope (LMS_ENOTFOUND otherwise;
	 * LMS_ECONFLICT "already_decided"). */
	int (*pool_decide)(lms_store *s, int64_t entry_id, bool approve, const char *note,
	                   const char *actor, const lms_scope *scope, int64_t now_us, lms_err *err);

	/* Passed, final attempts of exams whose results are published, without a certificate. */
	int (*cert_pending)(lms_store *s, int limit, lms_arena *a, int64_t **ids, size_t *n,
	                    lms_err *err);
	/* Issues the exam certificate of attempt_id and its certificate_issued event in one
	 * transaction; *issued false when it exists already. */
	int (*cert_issue)(lms_store *s, int64_t attempt_id, const struct lms_cert_issue_in *in,
	                  bool *issued, lms_err *err);

	/* The file ref (assess_files.h) of the version in slot slot_no of user_id's attempt
	 * attempt_id, with the attempt's and the assessment's state that deciding about it
	 * needs. LMS_ENOTFOUND when the attempt is not user_id's, the slot or the file missing. */
	int (*attempt_file)(lms_store *s, int64_t attempt_id, int64_t user_id, int slot_no,
	                    const char *ref, lms_arena *a, struct lms_as_file *out, lms_err *err);

	/* ---- quizzes that count toward a course (course_quiz.h, 0015) ---- */
	/* The quizzes of course_code that are not drafts (only those counting toward it when
	 * counting_only), by title, each with what user_id may do there and user_id's submitted
	 * attempts in order. */
	int (*course_quizzes)(lms_store *s, int64_t user_id, const char *course_code,
	                      bool counting_only, lms_arena *a, struct lms_cq_quiz **out, size_t *n,
	                      lms_err *err);
	/* The learner of attempt_id and their enrolment in the course of its quiz, when that quiz
	 * counts toward the course and the enrolment is not completed; *enrolment_id 0 otherwise. */
	int (*course_quiz_enrolment)(lms_store *s, int64_t attempt_id, int64_t *user_id,
	                             int64_t *enrolment_id, lms_err *err);

	/* ---- a person's learning record (docs/reports.md, "A person's record") ---- */
	/* Read-only: the person with employee_code (their current unit), their account, per
	 * enrolment of that account the version's training periods and the completion's figures,
	 * and the account's submitted attempts an HR officer may see (quizzes; exams once their
	 * results are published), newest first. LMS_ENOTFOUND "not_found" (field
	 * "employee_code") for an unknown code. Never the identification number. */
	int (*person_record)(lms_store *s, const char *employee_code, lms_arena *a,
	                     struct lms_as_person_record *out, lms_err *err);
} lms_assess_ops;

/* May a learner see this part of a submitted attempt now? lms_as_may_show, except that an
 * exam shows nothing about scoring before its results are published, whatever the rule. */
bool lms_as_may_see(const lms_as_def *d, lms_as_show when, int64_t now_us, bool published);

/* ---- answers: what the browser sends (pure) ---- */

/* Checks an answer given in shown positions and says what it needs of its slot: positions
 * within LMS_Q_MAX_OPTIONS, no position twice, an order that is a permutation, text valid
 * UTF-8 within LMS_Q_MAX_RESPONSE_ESSAY bytes. LMS_EINVAL "response_shape" (field
 * "response") otherwise. */
int lms_as_response_check(const lms_response *shown, lms_as_shape *out, lms_err *err);

/* Writes the answer as its canonical JSON ({"choice":n}, {"choices":[..]}, {"value":b},
 * {"text":".."}, {"pairs":[{"stem":s,"choice":c}..]}, {"order":[..]}, {} for none). */
void lms_as_response_json(const lms_response *shown, lms_jsonw *w);

/* What an answer to q shown with layout may be (attempt_slot's rkind, n_a, n_b). */
void lms_as_slot_shape(const lms_question *q, const lms_qlayout *layout, const char **rkind,
                       int *n_a, int *n_b);

/* The right answers of q in the positions of layout, as one JSON object (for a review the
 * rules allow): "options" (indexes of the options worth credit, with their share),
 * "value", "accepted" (texts), "numbers", "pairs", "order". */
void lms_as_key_json(const lms_question *q, const lms_qlayout *layout, lms_jsonw *w);

/* The feedback of q for a learner's answer (stored indexes): the general feedback and that
 * of the options chosen, as one JSON object {"general", "chosen": [..]}. */
void lms_as_feedback_json(const lms_question *q, const lms_response *stored, lms_jsonw *w);

/* ---- use cases (assess_run.c) ---- */

/* Checks a definition for storing: code, title, description, unit, audience and named
 * list within their caps, and lms_as_def_check. LMS_EINVAL naming the field. */
int lms_as_check(const lms_assessment *in, lms_err *err);

/* Starts an attempt of code for u at now_us, or resumes the one in progress (*resumed).
 * Refusals: LMS_ENOTFOUND (unknown, or a draft); LMS_EFORBIDDEN "not_eligible",
 * "not_open", "closed"; LMS_ECONFLICT "no_attempts_left"; LMS_EINVAL "paper_short" when the
 * bank cannot fill the paper (a trainer's problem: logged). */
int lms_as_start(lms_store *s, const char *code, const lms_user *u, int64_t now_us,
                 lms_arena *a, int64_t *attempt_id, bool *resumed, lms_err *err);

/* The attempt of user_id (anyone's when 0) with its paper. An open attempt past its
 * deadline is submitted by the server first. device (NULL: not given): recorded as the
 * attempt's first device, or an integrity event second_device when it is another. */
int lms_as_attempt_load(lms_store *s, int64_t attempt_id, int64_t user_id, const char *device,
                        int64_t session_id, int64_t now_us, lms_arena *a, lms_as_attempt *out,
                        lms_err *err);

/* Saves an answer (in->response and shape are filled here from shown). A stale revision is
 * not an error (out->status LMS_AS_SAVE_STALE). Refusals: LMS_ENOTFOUND (not the learner's
 * attempt), LMS_ECONFLICT "attempt_submitted", LMS_EFORBIDDEN "deadline_passed" (the
 * attempt is then submitted by the server and a late_save event logged), LMS_EINVAL
 * "not_in_paper" (field slot), "response_shape" (field response). */
int lms_as_save(lms_store *s, lms_as_save_in *in, const lms_response *shown, lms_arena *a,
                lms_as_save_out *out, lms_err *err);

/* Submits and grades attempt id of user_id (0 and by "server": the deadline passed).
 * LMS_ENOTFOUND; LMS_ECONFLICT "attempt_submitted" when it was submitted already. */
int lms_as_submit(lms_store *s, int64_t id, int64_t user_id, const char *by, int64_t now_us,
                  lms_err *err);

/* Submits every open attempt whose deadline has passed (at most limit); *done. */
int lms_as_submit_due(lms_store *s, int64_t now_us, int limit, int *done, lms_err *err);

/* Can the bank fill a paper of this definition now? Draws one (and forgets it): LMS_EINVAL
 * "paper_short" naming the rule when it cannot, as a learner's start would be refused. */
int lms_as_check_bank(lms_store *s, const lms_as_def *def, lms_err *err);

/* Records a trainer's points for an essay and completes the attempt's result when no essay
 * waits any more. LMS_EINVAL "points_out_of_range" (field points). */
int lms_as_grade_essay(lms_store *s, int64_t assessment_id, int64_t attempt_id, int slot_no,
                       double points, const char *comment, const char *grader,
                       int64_t now_us, lms_err *err);

/* Results of assessment id (of people in scope when not NULL), each person's best attempt
 * ranked (lms_as_rank, graded results only). */
int lms_as_results(lms_store *s, const lms_assessment *as, const lms_scope *scope,
                   lms_arena *a, lms_as_result_row **out, size_t *n, lms_err *err);

/* Item analysis of assessment id: items are the question versions given, in order of first
 * appearance; labels[i] the version's question name and type. *out to free with
 * lms_ia_result_free. */
int lms_as_items(lms_store *s, int64_t id, lms_arena *a, lms_ia_result **out,
                 const char ***labels, const char ***types, int64_t **question_ids,
                 lms_err *err);

/* The review of a submitted attempt as the rules allow it now (lms_as_may_show): per slot
 * the question as shown, the learner's answer, and when allowed the points, the right
 * answers and the feedback; the score when allowed. One JSON object into w. */
int lms_as_review_json(lms_store *s, const lms_as_attempt *at, int64_t now_us, lms_arena *a,
                       lms_jsonw *w, lms_err *err);

/* Issues exam certificates for passed exams whose results are published (at most limit). */
int lms_as_certs_issue_pending(lms_store *s, int limit, const char *issuer_code,
                               const char *public_url, int64_t now_us, int *issued,
                               lms_err *err);


/* ---- a person's learning record (person_record above) ---- */

/* What the record adds to an enrolment (store->ops->enrolment_list has the rest). */
typedef struct lms_as_person_course {
	int64_t enrolment_id;
	int training_periods;          /* of the enrolled version */
	bool completed;                /* a completion row exists */
	int64_t completion_active_s;   /* as recorded at completion (what the HR report counts) */
	int64_t completion_reported_s;
} lms_as_person_course;

/* A submitted attempt an HR officer may see. */
typedef struct lms_as_person_result {
	const char *code, *title, *kind; /* kind "quiz" | "exam" */
	int attempt_no;
	int64_t submitted_us;
	bool final;                    /* graded and no essay waiting: score and passed hold */
	bool passed;
	double fraction;               /* 0..1 */
} lms_as_person_result;

typedef struct lms_as_person_record {
	lms_person person;             /* unit_code, unit_name: the current unit */
	int64_t unit_id;               /* the current unit, for the caller's scope check */
	int64_t user_id;               /* the person's account; 0: none */
	const char *username;          /* NULL: none */
	lms_as_person_course *courses;
	size_t n_courses;
	lms_as_person_result *results;
	size_t n_results;
} lms_as_person_record;

#endif
