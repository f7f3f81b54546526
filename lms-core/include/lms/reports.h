/* reports.h — HR reports (issue 7; docs/reports.md): the completion and time report of a unit
 * subtree for a period, the indicators of Decision 2709/QĐ-UBND (section II.2), the lists
 * behind them, and their files (CSV and XLSX, through report_table.h).
 *
 * Who counts where: every fact (an enrolment, a completion, an assignment falling due) counts
 * under the unit the person belonged to on that fact's day (their roster history), and a
 * person counts in the head count of the unit they were in on the period's last day. A unit's
 * subtree is taken as it stood in the period (a unit has one parent for all time). A unit
 * that began after the period's first day (the wards and communes of 1 July 2025) also
 * reaches, for the days before it existed, its predecessors (unit_successor, followed back):
 * a predecessor's fact counts under it when the person was in its subtree on the day it
 * began — each person counted once, under the unit they moved to; the predecessors are
 * named in the answer.
 *
 * The report grows by sections: the quiz and exam results (lms_rep_exams_run), the
 * talent-pool list (talent_pool below) and the survey results (lms_rep_surveys_run) are
 * sections of their own, with the same subtree, period and filters (an indicator whose data
 * do not exist is returned with available = false, never as a number).
 *
 * Storage: store->ops->report (lms_report_ops below), NULL in a store that keeps none.
 */
#ifndef LMS_REPORTS_H
#define LMS_REPORTS_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/model.h"
#include "lms/report_period.h"
#include "lms/store.h"
#include "lms/survey.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The city's yearly target of training periods per civil servant. */
#define LMS_REP_PERIOD_TARGET 40
/* The largest page of people or list items one answer holds. */
#define LMS_REP_PAGE_MAX 1000

typedef enum lms_rep_leader {
	LMS_REP_ANYONE = 0,
	LMS_REP_LEADERS = 1,  /* is_leader on the fact's day */
	LMS_REP_STAFF = 2     /* not a leader */
} lms_rep_leader;

typedef enum lms_rep_par {
	LMS_REP_PAR_ANY = 0,
	LMS_REP_PAR_STAFF = 1,      /* PAR role dedicated or concurrent */
	LMS_REP_PAR_DEDICATED = 2,
	LMS_REP_PAR_CONCURRENT = 3,
	LMS_REP_PAR_NONE = 4
} lms_rep_par;

/* What a report is about. lms_rep_prepare fills the ids from the codes. */
typedef struct lms_rep_query {
	const char *unit_code;     /* the root of the subtree; NULL: the caller's first unit */
	int64_t unit_id;
	lms_period period;
	const char *course_code;   /* NULL: every course */
	int64_t course_id;
	const char *par_area;      /* NULL: every PAR area (course_version.par_area) */
	lms_rep_leader leader;
	lms_rep_par par;
	/* the quiz and exam results only (lms_rep_exams_run) */
	const char *assessment_code; /* NULL: every assessment */
	int64_t assessment_id;
	int akind;                   /* 0 quizzes and exams, 1 quizzes, 2 exams (lms_rep_akind) */
	/* the talent-pool list only: 0 every status, else 1 proposed, 2 approved, 3 rejected (on
	 * the period's last day) */
	int pool_status;
} lms_rep_query;

/* The numbers of one line (a unit, the total, or a person). */
typedef struct lms_rep_counts {
	int64_t people;        /* on the roster (active) in the unit on the period's last day */
	int64_t enrolled;      /* enrolments made in the period */
	int64_t enrolled_done; /* of those, completed by the period's last day */
	int64_t completed;     /* completions in the period, not failed */
	int64_t failed;        /* completions in the period whose result is failed */
	int64_t overdue;       /* assignments due by the last day and not completed by then */
	int64_t active_s;      /* server-measured active time of the completions in the period */
	int64_t reported_s;    /* the time the content reported for the same completions */
	int64_t periods;       /* training periods credited from 1 January to the last day */
	int64_t at_target;     /* people with at least 40 such periods (of the head count) */
} lms_rep_counts;

/* One line of the completion report: a child unit of the root (its whole subtree), or the
 * root's own people (own = true). */
typedef struct lms_rep_unit_row {
	const char *code, *name, *kind;
	char valid_from[11], valid_to[11]; /* "" when open */
	bool own;
	bool has_children;
	lms_rep_counts c;
} lms_rep_unit_row;

/* A series for the charts: by month ('m', key "YYYY-MM"), by PAR area ('a', key the area,
 * "" for none) or by course ('c', key the code, label the title). */
typedef struct lms_rep_series {
	char kind;
	const char *key, *label;
	int64_t enrolled, completed;
} lms_rep_series;

/* A predecessor reached for the days before a unit of the subtree began. */
typedef struct lms_rep_pred {
	const char *code, *name, *kind;
	char valid_to[11];
	const char *successor_code;  /* the unit of the subtree it leads to */
} lms_rep_pred;

typedef struct lms_rep_completion {
	lms_unit root;
	lms_rep_unit_row *rows;
	size_t n_rows;
	lms_rep_counts total;
	lms_rep_series *series;
	size_t n_series;
	lms_rep_pred *preds;
	size_t n_preds;
} lms_rep_completion;

/* One person of the people drill-down: the person's facts within the subtree. unit is where
 * they were on the period's last day, or (not on the roster then) of their last fact. Strings
 * are valid only during the callback that receives the row. */
typedef struct lms_rep_person_row {
	const char *employee_code, *full_name, *unit_code, *unit_name, *position, *par_role;
	bool is_leader;
	bool on_roster;          /* counted in the head count */
	int64_t periods_year;    /* the person's own periods from 1 January to the last day */
	lms_rep_counts c;
} lms_rep_person_row;

/* The indicators of section II.2, in this order. */
typedef enum lms_rep_ind {
	LMS_IND_LEADERS_TRAINED = 0, /* leaders who completed a PAR training course in the period */
	LMS_IND_REQUIRED_DONE,       /* PAR staff who completed every assigned course due */
	LMS_IND_ACCESS,              /* PAR staff with access to the e-lectures (an enrolment) */
	LMS_IND_EXPERTS,             /* people certified by an expert programme (target 50) */
	LMS_IND_POOL,                /* PAR staff in the leadership pool (target 20) */
	LMS_IND_UNITS_POSITION,      /* units with a PAR job position */
	LMS_IND_COUNT
} lms_rep_ind;

typedef struct lms_rep_indicator {
	lms_rep_ind ind;
	bool available;          /* false: the data do not exist yet (no number) */
	bool share;              /* numerator / denominator against 100 %; else a count */
	int64_t numerator, denominator;
	int64_t target;          /* 100 (per cent) for shares, the count for counts */
} lms_rep_indicator;

/* One entry of the list behind an indicator: a person, or a unit (LMS_IND_UNITS_POSITION).
 * Strings are valid only during the callback. */
typedef struct lms_rep_item {
	const char *code, *name;            /* employee code and name, or unit code and name */
	const char *unit_code, *unit_name;  /* the person's unit (the unit's parent for units) */
	bool counted;                       /* in the numerator */
	int64_t n1, n2;                     /* indicator-specific (docs/reports.md) */
	const char *detail;                 /* e.g. a course or certificate, or NULL */
} lms_rep_item;

typedef enum lms_rep_only {
	LMS_REP_ALL = 0,
	LMS_REP_COUNTED = 1,   /* the numerator */
	LMS_REP_MISSING = 2    /* in the denominator, not the numerator */
} lms_rep_only;

/* An entry of the audit log. */
typedef struct lms_audit {
	const char *actor;       /* username, or "cli:<os user>" */
	int64_t user_id;         /* 0 when none */
	const char *action;      /* e.g. "report.completion.xlsx" */
	const char *params_json; /* the parameters, a JSON object */
	int64_t row_count;       /* -1 when not known */
	const char *client_addr; /* NULL for the CLI */
	const char *request_id;  /* NULL for the CLI */
} lms_audit;

/* ---- quiz and exam results (docs/reports.md, "Quiz and exam results") ---- */

#define LMS_REP_BANDS 10

typedef enum lms_rep_akind {
	LMS_REP_AK_ANY = 0,
	LMS_REP_AK_QUIZ = 1,
	LMS_REP_AK_EXAM = 2
} lms_rep_akind;

/* The numbers of one line. An attempt counts when it was submitted in the period, its
 * result is final (graded, no essay waiting) and, for an exam, the results are published;
 * an attempt whose essay waits for a trainer is not counted but shown (pending). */
typedef struct lms_rep_exam_counts {
	int64_t attempts;              /* counted attempts */
	int64_t people;                /* distinct people among them */
	int64_t passed;                /* of them, passed */
	int64_t pending;               /* submitted in the period, an essay waiting: not counted */
	double score_sum;              /* the sum of their scores in per cent (0..100) */
	int64_t bands[LMS_REP_BANDS];  /* by score: [0, 10) %, [10, 20) % ... [90, 100] % */
} lms_rep_exam_counts;

/* A line: a child unit of the root (its subtree), the root's own people (own), or an
 * assessment (code, title as name, kind "quiz" | "exam", course_code, published). */
typedef struct lms_rep_exam_line {
	const char *code, *name, *kind;
	char valid_from[11], valid_to[11]; /* units: "" when open */
	bool own, has_children;
	const char *course_code;           /* assessments: the course, or NULL */
	char published[11];                /* exams: the day results were published (city), "" */
	lms_rep_exam_counts c;
} lms_rep_exam_line;

typedef struct lms_rep_exams {
	lms_unit root;
	lms_rep_exam_line *rows;           /* by unit, as the completion report */
	size_t n_rows;
	lms_rep_exam_counts total;         /* people counted once across the lines */
	lms_rep_exam_line *assessments;    /* by assessment, over the whole subtree */
	size_t n_assessments;
	lms_rep_pred *preds;
	size_t n_preds;
} lms_rep_exams;

/* The average score (per cent) and the pass rate (per cent) of a line; -1 without attempts. */
double lms_rep_exam_avg(const lms_rep_exam_counts *c);
double lms_rep_exam_pass_rate(const lms_rep_exam_counts *c);
/* "quiz" | "exam" | "" (both) to lms_rep_akind; LMS_EINVAL field "kind". */
int lms_rep_parse_akind(const char *kind, lms_rep_query *q, lms_err *err);
const char *lms_rep_akind_name(int akind);

/* ---- the talent-pool list ---- */

/* One entry as it stood on the period's last day (status "proposed" when decided after it).
 * Strings are valid only during the callback. */
typedef struct lms_rep_pool_row {
	const char *employee_code, *full_name, *unit_code, *unit_name;
	const char *track;                 /* "leader" | "expert" */
	const char *assessment_code, *assessment_title;
	int64_t rank;
	double score;                      /* the ranking's score, as stored */
	double fraction;                   /* the attempt's score fraction (0..1), -1 when none */
	const char *status;                /* "proposed" | "approved" | "rejected" */
	const char *proposed_by, *proposed_at, *decided_by, *decided_at; /* times: ISO 8601, UTC */
	const char *note;
} lms_rep_pool_row;

typedef int (*lms_rep_pool_cb)(void *ctx, const lms_rep_pool_row *row, lms_err *err);

/* "proposed" | "approved" | "rejected" | "" (all) to q->pool_status; LMS_EINVAL "status". */
int lms_rep_parse_pool_status(const char *status, lms_rep_query *q, lms_err *err);
const char *lms_rep_pool_status_name(int status);

/* ---- survey results (docs/reports.md, "Survey results") ---- */

/* The most surveys one survey section holds (the newest; `more` says when there were more). */
#define LMS_REP_SURVEYS_MAX 100

/* One Likert question's numbers in one line. */
typedef struct lms_rep_sv_q {
	int64_t answered;                  /* responses that answered it */
	int64_t dist[LMS_SV_POINTS_MAX];   /* dist[i]: responses choosing point i + 1 */
	double mean;                       /* the mean point; -1 without answers */
} lms_rep_sv_q;

/* A line of one survey: the whole ('a'), the root's own people ('d') or a child unit's
 * subtree ('u'). A hidden line has no numbers but its population (lms_sv_results_suppress). */
typedef struct lms_rep_sv_line {
	char kind;
	const char *code, *name;           /* NULL for the whole */
	int64_t responses;                 /* responses of the period from the line's units */
	int64_t population;                /* whom the survey asks, of the line's units now */
	bool hidden;
	char why;                          /* hidden: 's' fewer than k responses, 'c' complement */
	lms_rep_sv_q *q;                   /* per Likert question (n_likert); NULL when hidden */
} lms_rep_sv_line;

typedef struct lms_rep_survey {
	lms_survey sv;                     /* with its questions */
	const lms_sv_question **likert;    /* its Likert questions, in their order */
	size_t n_likert;
	int64_t k;                         /* LMS_SV_K for an anonymous survey, 0 for a named one */
	lms_rep_sv_line all;
	lms_rep_sv_line *lines;            /* the root's own people first, then its children */
	size_t n_lines;
} lms_rep_survey;

typedef struct lms_rep_surveys {
	lms_unit root;
	lms_rep_survey *surveys;           /* newest first */
	size_t n_surveys;
	bool more;                         /* more than LMS_REP_SURVEYS_MAX surveys matched */
} lms_rep_surveys;

/* A line's response rate in per cent (responses / population), -1 when it is not defined:
 * hidden, or no population known. */
double lms_rep_sv_rate(const lms_rep_sv_line *l);

/* One survey's section from its results (pure; survey_report.c): the suppression of
 * lms_sv_results_suppress, then the unit lines and, for each line shown, each Likert
 * question's distribution and mean. Course groups are not lines (they are suppressed as
 * their own partition all the same). Allocates in a. */
void lms_rep_survey_build(const lms_survey *sv, const lms_sv_results *res, lms_arena *a,
                          lms_rep_survey *out);

typedef int (*lms_rep_person_cb)(void *ctx, const lms_rep_person_row *row, lms_err *err);
typedef int (*lms_rep_item_cb)(void *ctx, const lms_rep_item *item, lms_err *err);

/* The store's part (storage/pg/store_pg_report.c). Every call reads one consistent snapshot.
 * limit < 0 means every row (exports), streamed in batches: memory stays flat. A callback
 * returning < 0 stops the call with that code. */
typedef struct lms_report_ops {
	/* The root unit of the city (a unit without a parent, the city first). */
	int (*root)(lms_store *s, lms_arena *a, lms_unit *out, lms_err *err);
	/* A course's id by code; LMS_ENOTFOUND (field "course"). */
	int (*course_id)(lms_store *s, const char *code, int64_t *id, lms_err *err);
	/* The completion report: rows (children of the root, then the root's own line when it has
	 * people or facts), total, series and predecessors; root not filled. */
	int (*completion)(lms_store *s, const lms_rep_query *q, lms_arena *a, lms_rep_completion *out,
	                  lms_err *err);
	/* The people of the subtree with a fact or on the roster at the end, in Vietnamese order of
	 * unit name then full name, limit from offset; *total counts them all. */
	int (*people)(lms_store *s, const lms_rep_query *q, int limit, int offset, lms_rep_person_cb cb,
	              void *ctx, int64_t *total, lms_err *err);
	/* The indicators, out[LMS_IND_COUNT]. The course, PAR area and audience filters do not
	 * apply (each indicator defines its people). */
	int (*indicators)(lms_store *s, const lms_rep_query *q, lms_rep_indicator *out, lms_err *err);
	/* The list behind indicator ind: its denominator (or, for counts, its numerator), counted
	 * first, then by unit and name, limit from offset; *total counts them all. */
	int (*indicator_list)(lms_store *s, const lms_rep_query *q, lms_rep_ind ind, lms_rep_only only,
	                      int limit, int offset, lms_rep_item_cb cb, void *ctx, int64_t *total,
	                      lms_err *err);
	/* Trainers' flags: par_training -1 (follow the PAR area), 0 or 1, -2 unchanged; expert
	 * -1 unchanged, 0 or 1. LMS_ENOTFOUND (field "course"). */
	int (*flag_course)(lms_store *s, const char *course_code, int par_training, int expert,
	                   lms_err *err);
	/* A job position's PAR flag. LMS_ENOTFOUND (field "position"). */
	int (*flag_position)(lms_store *s, const char *position_code, bool par, lms_err *err);
	/* Appends an entry to the audit log. */
	int (*audit)(lms_store *s, const lms_audit *in, lms_err *err);
	/* An assessment's id by code; LMS_ENOTFOUND (field "assessment"). */
	int (*assessment_id)(lms_store *s, const char *code, int64_t *id, lms_err *err);
	/* The quiz and exam results (lms_rep_exams below): unit lines, total, assessments and
	 * predecessors; root not filled. */
	int (*exams)(lms_store *s, const lms_rep_query *q, lms_arena *a, lms_rep_exams *out,
	             lms_err *err);
	/* The talent-pool entries of the subtree's people (q->pool_status), as they stood on the
	 * period's last day, by unit, track, rank; limit from offset; *total counts them all. */
	int (*talent_pool)(lms_store *s, const lms_rep_query *q, int limit, int offset,
	                   lms_rep_pool_cb cb, void *ctx, int64_t *total, lms_err *err);
	/* The codes of the surveys, not drafts, with at least one response of a day of the period
	 * from a unit of the subtree, that are course surveys (of course q->course_id when set)
	 * or standalone surveys addressed to a unit meeting the subtree (in it, or above its
	 * root); newest first, at most limit. */
	int (*surveys)(lms_store *s, const lms_rep_query *q, int limit, lms_arena *a,
	               const char ***codes, size_t *n, lms_err *err);
	/* survey_results (store.h) counting only the responses of the days of p. */
	int (*survey_results)(lms_store *s, const lms_sv_filter *f, const lms_period *p,
	                      lms_arena *a, lms_sv_results *out, lms_err *err);
} lms_report_ops;

/* ---- use cases (reports.c) ---- */

/* Resolves q's codes against the store and the caller's reach: the unit (absent: the first
 * root of the scope, or the city for a scope of everything), LMS_ENOTFOUND "not_found"
 * (field "unit") for an unknown one, LMS_EFORBIDDEN "forbidden" (field "unit") outside the
 * scope; the course (LMS_ENOTFOUND, field "course"). Fills q->unit_id, q->course_id and
 * *root. LMS_EUNSUPPORTED when the store keeps no reports. */
int lms_rep_prepare(lms_store *s, const lms_scope *scope, lms_rep_query *q, lms_arena *a,
                    lms_unit *root, lms_err *err);

/* The completion report of a prepared query; out->root is root. */
int lms_rep_completion_run(lms_store *s, const lms_rep_query *q, const lms_unit *root, lms_arena *a,
                           lms_rep_completion *out, lms_err *err);

/* The quiz and exam results of a prepared query (q->assessment_id, q->akind); out->root is
 * root. */
int lms_rep_exams_run(lms_store *s, const lms_rep_query *q, const lms_unit *root, lms_arena *a,
                      lms_rep_exams *out, lms_err *err);

/* The survey results of a prepared query (survey_report.c): the surveys of ops->surveys,
 * each with its results over the subtree of root for the period, by the root's own people
 * and its children (survey_results with the root as group unit), suppressed as the survey
 * page suppresses them. The audience and PAR-area filters do not apply (a response keeps no
 * person); the course filter keeps the surveys of that course. */
int lms_rep_surveys_run(lms_store *s, const lms_rep_query *q, const lms_unit *root, lms_arena *a,
                        lms_rep_surveys *out, lms_err *err);

/* Reads the filters' text: leader "leader" | "staff" | "" (anyone), par "par" | "dedicated" |
 * "concurrent" | "none" | "" (any). LMS_EINVAL naming the field. */
int lms_rep_parse_audience(const char *leader, const char *par, lms_rep_query *q, lms_err *err);
/* The same back to text ("" for any). */
const char *lms_rep_leader_name(lms_rep_leader l);
const char *lms_rep_par_name(lms_rep_par p);

/* Indicator names: the stable id ("leaders_trained" ...), its Vietnamese label; and by id
 * (LMS_EINVAL, field "id", for an unknown one). */
const char *lms_rep_ind_id(lms_rep_ind ind);
const char *lms_rep_ind_label_vi(lms_rep_ind ind);
int lms_rep_ind_parse(const char *id, lms_rep_ind *out, lms_err *err);

/* Completion rate in per cent (enrolled_done / enrolled), -1 when nothing was enrolled. */
double lms_rep_rate(const lms_rep_counts *c);

/* ---- files (report_files.c): the same rows as the screen, Vietnamese headers ---- */
struct lms_tab;

/* The completion report: sheet "Đơn vị" (the file's CSV table: the rows then "Tổng cộng"),
 * then "Theo tháng", "Theo lĩnh vực", "Theo khóa học" and "Thông tin" (the parameters). */
int lms_rep_file_completion(struct lms_tab *t, const lms_rep_query *q,
                            const lms_rep_completion *r, lms_err *err);
/* The people drill-down, every person (streamed from the store): sheet "Cán bộ", then
 * "Thông tin". *rows gets the number of people written. */
int lms_rep_file_people(lms_store *s, struct lms_tab *t, const lms_rep_query *q,
                        const lms_unit *root, int64_t *rows, lms_err *err);
/* The indicators: sheet "Chỉ tiêu", then "Thông tin". */
int lms_rep_file_indicators(struct lms_tab *t, const lms_rep_query *q, const lms_unit *root,
                            const lms_rep_indicator *ind, lms_err *err);
/* The whole list behind an indicator (streamed): sheet "Danh sách", then "Thông tin". */
int lms_rep_file_list(lms_store *s, struct lms_tab *t, const lms_rep_query *q,
                      const lms_unit *root, lms_rep_ind ind, lms_rep_only only, int64_t *rows,
                      lms_err *err);

/* The quiz and exam results: sheet "Kết quả kiểm tra" (the CSV table: unit lines, then
 * "Tổng cộng"), "Theo bài kiểm tra", "Đơn vị tiền nhiệm" when reached, "Thông tin". */
int lms_rep_file_exams(struct lms_tab *t, const lms_rep_query *q, const lms_rep_exams *r,
                       lms_err *err);
/* The same two tables as extra sheets of another workbook ("Kiểm tra theo đơn vị", "Kiểm tra
 * theo bài"), never in a CSV: the completion workbook carries them. */
int lms_rep_file_exam_sheets(struct lms_tab *t, const lms_rep_exams *r, lms_err *err);
/* The talent-pool list, every entry (streamed): sheet "Danh sách nguồn", then "Thông tin". */
int lms_rep_file_pool(lms_store *s, struct lms_tab *t, const lms_rep_query *q,
                      const lms_unit *root, int64_t *rows, lms_err *err);

/* The survey results: sheet "Khảo sát" (the CSV table: per survey, its whole then each unit
 * line, one row per Likert question; a hidden line says "ẩn (dưới 5 phản hồi)" and shows no
 * number), then "Thông tin". *rows gets the number of rows of the first sheet. */
int lms_rep_file_surveys(struct lms_tab *t, const lms_rep_query *q, const lms_rep_surveys *r,
                         int64_t *rows, lms_err *err);
/* The same table as an extra sheet of another workbook ("Khảo sát"), never in a CSV. */
int lms_rep_file_survey_sheet(struct lms_tab *t, const lms_rep_surveys *r, lms_err *err);

/* Vietnamese words the files and pages share: a PAR role, a unit kind. */
const char *lms_rep_par_role_vi(const char *par_role);
const char *lms_rep_kind_vi(const char *kind);

/* ---- what counts in the indicators (docs/reports.md, "Setting what counts") ----
 * The administrators' page lists the flags below and changes them through flag_course and
 * flag_position above (the CLI's calls); its reads are a table of their own,
 * store->ops->report_flags (storage/pg/store_pg_report_flags.c), NULL in a store that keeps
 * none. */

/* A course as the leaders' and experts' indicators see it. */
typedef struct lms_rep_flag_course {
	const char *code;
	const char *title;
	const char *par_area;  /* the PAR area of its latest version naming one; NULL when none does */
	int par_training;      /* course.par_training: -1 NULL (follow the PAR area), 0 no, 1 yes */
	bool counts;           /* what that resolves to: par_training, or for -1 par_area != NULL */
	bool expert_programme; /* course.expert_programme */
} lms_rep_flag_course;

/* A job position as the units indicator sees it. */
typedef struct lms_rep_flag_position {
	const char *code;
	const char *name;
	bool par_position;     /* job_position.par_position */
	int64_t people;        /* active people holding it now: person.position_id is it, or the
	                        * person's position text is its name */
} lms_rep_flag_position;

/* Work run inside one transaction (in_transaction below). */
typedef int (*lms_rep_tx_fn)(lms_store *s, void *ctx, lms_err *err);

typedef struct lms_rep_flags_ops {
	/* Every course, in Vietnamese order of title (then code). */
	int (*courses)(lms_store *s, lms_arena *a, lms_rep_flag_course **out, size_t *n,
	               lms_err *err);
	/* Every job position, in Vietnamese order of name (then code). */
	int (*positions)(lms_store *s, lms_arena *a, lms_rep_flag_position **out, size_t *n,
	                 lms_err *err);
	/* One course by code, its row locked until the transaction ends when run inside one;
	 * LMS_ENOTFOUND "not_found" (field "course"). */
	int (*course)(lms_store *s, const char *code, lms_arena *a, lms_rep_flag_course *out,
	              lms_err *err);
	/* One position by code, locked likewise; LMS_ENOTFOUND "not_found" (field "position"). */
	int (*position)(lms_store *s, const char *code, lms_arena *a, lms_rep_flag_position *out,
	                lms_err *err);
	/* Runs fn(s, ctx) in one transaction: committed when it returns 0, rolled back (and its
	 * code returned) otherwise. A change and its audit entry go in together. */
	int (*in_transaction)(lms_store *s, lms_rep_tx_fn fn, void *ctx, lms_err *err);
} lms_rep_flags_ops;

#endif
