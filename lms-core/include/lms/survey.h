/* survey.h — surveys (khảo sát): the model, the checks of a definition and of a response
 * against it, who may answer, what may change once answers exist, and the pure parts of the
 * results (Likert statistics, k-anonymity suppression with secondary suppression, CSV cells).
 * docs/surveys.md describes the whole feature and its anonymity guarantees.
 *
 * A survey is either attached to courses (LMS_SV_COURSE: asked of a learner who completed one
 * of them) or standalone (LMS_SV_STANDALONE: asked of the people of a set of unit subtrees,
 * optionally only leaders or only staff, and only some PAR roles). It goes draft → open →
 * closed. Questions are numbered 1..n in their order; an answer names its question by that
 * number. Once a response exists, the questions, the audience and the courses never change
 * (make a copy instead), and the anonymous flag is fixed from publication.
 *
 * Pure: no storage, no JSON, no clock. Strings are borrowed; nothing here allocates except
 * the functions taking an arena. Every size is capped by the constants below.
 */
#ifndef LMS_SURVEY_H
#define LMS_SURVEY_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/model.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_SV_TITLE_MAX 300          /* characters */
#define LMS_SV_DESCRIPTION_MAX 4000
#define LMS_SV_QUESTIONS_MAX 100
#define LMS_SV_QUESTION_TEXT_MAX 1000
#define LMS_SV_OPTIONS_MIN 2
#define LMS_SV_OPTIONS_MAX 20
#define LMS_SV_OPTION_MAX 200         /* characters of an option or a scale label */
#define LMS_SV_POINTS_MIN 3           /* a Likert scale has 3 to 7 points */
#define LMS_SV_POINTS_MAX 7
#define LMS_SV_TEXT_MAX 4000          /* the highest cap a free-text question may set */
#define LMS_SV_TEXT_DEFAULT 1000
#define LMS_SV_UNITS_MAX 50           /* audience units of a standalone survey */
#define LMS_SV_COURSES_MAX 20
/* Groups of fewer responses than this are never shown for an anonymous survey. */
#define LMS_SV_K 5

typedef enum lms_sv_kind { LMS_SV_COURSE = 1, LMS_SV_STANDALONE = 2 } lms_sv_kind;
typedef enum lms_sv_status { LMS_SV_DRAFT = 0, LMS_SV_OPEN = 1, LMS_SV_CLOSED = 2 } lms_sv_status;
typedef enum lms_sv_qkind {
	LMS_SQ_LIKERT = 1,
	LMS_SQ_SINGLE = 2,
	LMS_SQ_MULTI = 3,
	LMS_SQ_TEXT = 4
} lms_sv_qkind;
typedef enum lms_sv_level {
	LMS_SV_ANY_LEVEL = 0,  /* leaders and staff */
	LMS_SV_LEADERS = 1,    /* lãnh đạo only */
	LMS_SV_STAFF = 2       /* everyone but leaders */
} lms_sv_level;

typedef struct lms_sv_question {
	int id;                  /* 1..n, its position (set by lms_sv_check) */
	lms_sv_qkind kind;
	const char *text;
	bool required;
	int points;              /* Likert: 3..7 */
	const char *const *options; /* Likert: the points' labels (points of them); choices: options */
	size_t n_options;
	int max_select;          /* multiple choice: 1..n_options */
	int max_length;          /* free text: 1..LMS_SV_TEXT_MAX characters */
} lms_sv_question;

typedef struct lms_survey {
	int64_t id;              /* 0 before it is stored */
	int64_t rev;             /* bumped by every change; guards concurrent edits and answers */
	const char *code;
	const char *title;
	const char *description; /* "" when none */
	lms_sv_kind kind;
	lms_sv_status status;
	bool anonymous;
	const char **courses;    /* LMS_SV_COURSE: course codes */
	size_t n_courses;
	const char **units;      /* LMS_SV_STANDALONE: audience unit codes (each its subtree) */
	size_t n_units;
	const int64_t *unit_ids; /* filled by the store: ids of units[] */
	lms_sv_level level;
	unsigned par_roles;      /* bits 1 << lms_par_role; 0 = every PAR role */
	char opens_on[11];       /* "YYYY-MM-DD" or "" (open from publication) */
	char closes_on[11];      /* "YYYY-MM-DD" or "" (open until closed); last day included */
	const char *owner_unit;  /* the unit the survey belongs to (its managers' reach); NULL city */
	int64_t owner_unit_id;
	int64_t owner_id;        /* the account that created it */
	const char *owner_name;
	lms_sv_question *questions;
	size_t n_questions;
	int64_t responses;       /* filled by the store */
	bool manage;             /* survey_list: the caller may edit it and read every response */
	bool hr_read;            /* survey_list: the caller reads the responses of their units */
} lms_survey;

/* One answer of a response. value: Likert 1..points, single choice 0..n_options-1; choices:
 * the options chosen (multiple choice); text: free text. */
typedef struct lms_sv_answer {
	int question;
	int value;
	const int *choices;
	size_t n_choices;
	const char *text;
} lms_sv_answer;

/* The five labels of the default scale, "Hoàn toàn không đồng ý" … "Hoàn toàn đồng ý". */
extern const char *const lms_sv_likert5_vi[5];

/* Names: "course"/"standalone", "draft"/"open"/"closed", "likert"/"single"/"multiple"/"text",
 * "any"/"leaders"/"staff". _parse returns 0 or LMS_EINVAL (err untouched). */
const char *lms_sv_kind_name(lms_sv_kind k);
int lms_sv_kind_parse(const char *s, lms_sv_kind *out);
const char *lms_sv_status_name(lms_sv_status s);
const char *lms_sv_qkind_name(lms_sv_qkind k);
int lms_sv_qkind_parse(const char *s, lms_sv_qkind *out);
const char *lms_sv_level_name(lms_sv_level l);
int lms_sv_level_parse(const char *s, lms_sv_level *out);

/* Checks a definition and completes it: numbers the questions 1..n, fills a Likert scale's
 * default labels (5 points with no labels given; the labels live in static storage), a
 * multiple-choice question's max_select (0 → every option) and a free-text question's
 * max_length (0 → LMS_SV_TEXT_DEFAULT). Fails LMS_EINVAL "invalid_field" with the field path
 * ("questions[2].options[1]", "units[0]", "closes_on") and a message for a person. */
int lms_sv_check(lms_survey *sv, lms_err *err);

/* What an edit of stored survey old into new may do. Fails LMS_ECONFLICT with code
 * "survey_closed" (a closed survey is never edited), "anonymous_fixed" (the flag is fixed
 * from publication), "kind_fixed" (a published survey keeps its kind) or
 * "survey_has_responses" (questions, audience or courses differ and a response exists:
 * copy the survey instead). *structural tells whether questions, audience or courses
 * differ (the store checks again, under a lock, that no response arrived meanwhile). */
int lms_sv_check_edit(const lms_survey *old, const lms_survey *new_, bool *structural,
                      lms_err *err);

/* Checks a response (answers in any order) against sv. Fails LMS_EINVAL with field
 * "answers[i]..." and code: "unknown_question" (no such question), "duplicate_answer",
 * "invalid_field" (a value of the wrong type for the question: the caller marks a missing or
 * mistyped value with value INT32_MIN), "value_out_of_range" (Likert), "choice_out_of_range",
 * "too_many_choices", "text_too_long" (over the question's cap, in characters),
 * "invalid_field" (empty or invalid UTF-8 text), "answer_required" (field
 * "questions[k]" of an unanswered required question). */
int lms_sv_check_response(const lms_survey *sv, const lms_sv_answer *answers, size_t n,
                          lms_err *err);

/* What the store knows of a learner for one survey. */
typedef struct lms_sv_who {
	bool has_person;         /* the account is linked to a roster person */
	bool active;             /* that person is active */
	bool is_leader;
	lms_par_role par_role;
	bool in_units;           /* their unit lies in an audience unit's subtree */
	const char *completed_course; /* a course of the survey they completed, or NULL */
	bool responded;
} lms_sv_who;

/* May this learner answer sv today ("YYYY-MM-DD", Ho Chi Minh City)? 0, or, checked in
 * this order (so someone outside the audience learns nothing of the survey's state):
 * LMS_EFORBIDDEN "not_in_audience" (standalone: no roster person, an inactive one, or not of
 * its units, level or PAR roles) or "course_not_completed"; LMS_ECONFLICT "survey_not_open"
 * (a draft, or before opens_on), "survey_closed" (closed, or after closes_on),
 * "already_responded". */
int lms_sv_can_answer(const lms_survey *sv, const lms_sv_who *who, const char *today,
                      lms_err *err);

/* Likert statistics from a distribution: dist[i] responses chose point i + 1 (points
 * entries). Median: the middle value, or the mean of the two middle values. n == 0 leaves
 * mean and median 0. */
typedef struct lms_sv_likert_stats {
	int64_t n;
	double mean;
	double median;
} lms_sv_likert_stats;
void lms_sv_likert(const int64_t *dist, int points, lms_sv_likert_stats *out);

/* k-anonymity suppression of groups that partition one total (units, courses). hidden[i] is
 * set for every group with 0 < n[i] < k (primary), then, while the hidden groups hold
 * together more than 0 and fewer than k responses, for the smallest group still shown
 * (secondary), so the hidden part can never be worked out as the total minus what is shown.
 * Groups with n == 0 are never hidden (there is nothing to protect). k <= 1 hides nothing. */
void lms_sv_suppress(const int64_t *n, size_t count, int64_t k, bool *hidden);

/* One CSV cell (RFC 4180) in a: quoted when it holds a comma, a quote, CR or LF; a value
 * starting with = + - @ TAB or CR gets a leading ' so that a spreadsheet never reads it as a
 * formula (OWASP "CSV injection"). NULL is the empty cell. */
const char *lms_sv_csv_cell(lms_arena *a, const char *s);

/* ---- what the store exchanges (store.h survey_*) ---- */

/* An open survey as a learner sees it (survey_offers), with the facts about them. */
typedef struct lms_sv_offer {
	lms_survey sv;           /* no questions */
	lms_sv_who who;
	int64_t unit_id;         /* the learner's unit now (0: no roster person) */
	int64_t course_id;       /* of who.completed_course, or 0 */
} lms_sv_offer;

/* A response ready to store: answers flattened by lms_sv_flatten. */
typedef struct lms_sv_submit {
	int64_t survey_id;
	int64_t expect_rev;      /* the definition the answers were checked against */
	int64_t user_id;         /* goes into the respondents table; into the response only when
	                            the survey is not anonymous */
	bool anonymous;
	int64_t unit_id;         /* 0: none */
	int64_t course_id;       /* 0: none */
	char day[11];            /* "YYYY-MM-DD", Ho Chi Minh City */
	int64_t at_us;           /* named surveys only: when */
	int *qids, *nums;        /* qids[i] answered nums[i] */
	size_t n_nums;
	int *text_qids;
	const char **texts;
	size_t n_texts;
} lms_sv_submit;

/* Flattens checked answers into out's arrays (allocated in a): a Likert point or a choice
 * index per question, one entry per option chosen, 0 for free text (whose words go to
 * texts). The other members of out are left as they are. */
void lms_sv_flatten(const lms_survey *sv, const lms_sv_answer *answers, size_t n, lms_arena *a,
                    lms_sv_submit *out);

/* Which responses the results read. */
typedef struct lms_sv_filter {
	int64_t survey_id;
	lms_scope scope;         /* responses whose unit lies within (all: every response, those
	                            without a unit too); the population likewise */
	int64_t group_unit;      /* 0: groups are the top units; else only its subtree counts, and
	                            the groups are the unit itself and each of its children */
} lms_sv_filter;

/* A group of the results: a unit's subtree ('u'), the group unit's own people ('d'), the
 * responses with no unit ('n'), a course ('c') or everything ('a'). */
typedef struct lms_sv_group {
	char kind;
	int64_t id;              /* unit or course id; 0 for 'n' and 'a' */
	const char *code, *name; /* NULL for 'n' and 'a' */
	int64_t responses;
	int64_t population;      /* audience (standalone) or learners who completed (course) */
} lms_sv_group;

#define LMS_SV_ANSWERED (-1) /* lms_sv_count.num: responses that answered the question */

/* n answers num to question qid within group (an index into groups; -1: everything). */
typedef struct lms_sv_count {
	int group;
	int qid;
	int num;
	int64_t n;
} lms_sv_count;

typedef struct lms_sv_results {
	lms_sv_group all;        /* kind 'a' */
	lms_sv_group *groups;    /* units (in Vietnamese order of name, 'd' first, 'n' last), then courses */
	size_t n_groups;
	lms_sv_count *counts;
	size_t n_counts;
} lms_sv_results;

/* One free-text answer (survey_texts), in a stable order that says nothing of arrival. */
typedef struct lms_sv_text {
	const char *text;
	const char *unit_code, *unit_name; /* NULL when none */
	int64_t unit_responses;  /* responses to the survey from exactly that unit */
	const char *respondent;  /* named surveys: the account's display name; else NULL */
	const char *day;         /* "YYYY-MM-DD" */
} lms_sv_text;

#endif
