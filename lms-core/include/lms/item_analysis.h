/* item_analysis.h — classical item analysis of a quiz or an exam (issue: assessment).
 *
 * For each item: how many attempts were given it, the facility (difficulty) index, its
 * standard deviation, the upper–lower 27 % discrimination index D, the corrected item–rest
 * correlation (Moodle calls this one its "discrimination index"), per-option choice counts
 * overall and in the upper and lower groups, and flags a trainer understands. For the whole
 * test: n, mean, SD, Cronbach's alpha (KR-20 when every item is scored all-or-nothing) and the
 * standard error of measurement. Formulas, references and how to read each number:
 * docs/item-analysis.md.
 *
 * Pure and allocation-bounded: the input is plain arrays owned by the caller (the store
 * fills them), the result is one heap object. A value that is not defined (too few attempts,
 * zero variance, papers that differ) carries a reason instead of a number: `why` is non-zero
 * and `value` is 0, so no NaN or infinity can reach JSON or a spreadsheet.
 * ("ia" = item analysis in every name below.)
 */
#ifndef LMS_ITEM_ANALYSIS_H
#define LMS_ITEM_ANALYSIS_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>

/* A cell value meaning "this item was not on this attempt's paper" (a random draw). */
#define LMS_IA_NOT_PRESENTED (-1.0)
/* A choice meaning "presented but no option chosen". */
#define LMS_IA_NO_CHOICE (-1)

/* Input caps (LMS_ETOOBIG beyond them). */
#define LMS_IA_MAX_ATTEMPTS 1000000u
#define LMS_IA_MAX_ITEMS 1000u
#define LMS_IA_MAX_CELLS 50000000u /* attempts x items */
#define LMS_IA_MAX_OPTIONS 26      /* A..Z */

/* The upper and lower groups each hold round(27 % of n) attempts (Kelley 1939). */
#define LMS_IA_GROUP_PERCENT 27
/* D is not defined when a group would hold fewer attempts than this (n < 10). */
#define LMS_IA_MIN_GROUP 3
/* Flags are raised only for an item given to at least this many attempts; below it every
 * number is still reported, but none is judged. */
#define LMS_IA_MIN_N_FOR_FLAGS 10
/* Thresholds of the flags (docs/item-analysis.md gives their sources). */
#define LMS_IA_TOO_EASY_ABOVE 0.9
#define LMS_IA_TOO_HARD_BELOW 0.2
#define LMS_IA_POOR_D_BELOW 0.2

/* Why a value is not defined. 0 means it is. */
typedef enum lms_ia_why {
	LMS_IA_DEFINED = 0,
	LMS_IA_NO_ATTEMPTS,          /* nobody was given the item / no attempt at all */
	LMS_IA_TOO_FEW_ATTEMPTS,     /* a spread or a correlation needs n >= 2 */
	LMS_IA_GROUP_TOO_SMALL,      /* 27 % of n is under LMS_IA_MIN_GROUP */
	LMS_IA_SCORES_ALL_EQUAL,     /* every attempt has the same score: no upper or lower group */
	LMS_IA_ITEM_CONSTANT,        /* everyone scored the same on the item (e.g. all correct) */
	LMS_IA_REST_CONSTANT,        /* everyone scored the same on the rest of the test */
	LMS_IA_TOTAL_CONSTANT,       /* everyone has the same total */
	LMS_IA_PAPERS_DIFFER,        /* random draws: not every attempt was given the same items */
	LMS_IA_TOO_FEW_ITEMS,        /* reliability needs at least 2 items */
	LMS_IA_NEGATIVE_RELIABILITY  /* alpha < 0: the SEM formula has no meaning */
} lms_ia_why;

/* A number, or the reason it is not defined (then value is 0). */
typedef struct lms_ia_num {
	double value;
	lms_ia_why why;
} lms_ia_num;

/* Item flags (bits of lms_ia_item_stats.flags). */
enum {
	LMS_IA_FLAG_TOO_EASY = 1u << 0,                /* facility > 0.9 */
	LMS_IA_FLAG_TOO_HARD = 1u << 1,                /* facility < 0.2 */
	LMS_IA_FLAG_POOR_DISCRIMINATION = 1u << 2,     /* 0 <= D < 0.2 */
	LMS_IA_FLAG_NEGATIVE_DISCRIMINATION = 1u << 3, /* D < 0 or item-rest r < 0 */
	LMS_IA_FLAG_UNCHOSEN_DISTRACTOR = 1u << 4,     /* a wrong option nobody chose */
	LMS_IA_FLAG_DISTRACTOR_BEATS_KEY = 1u << 5     /* upper group chose a wrong option more
	                                                  often than the key */
};
#define LMS_IA_FLAG_COUNT 6

/* Option flags (bits of lms_ia_option_stats.flags); only wrong options (distractors) get any. */
enum {
	LMS_IA_OPT_UNCHOSEN = 1u << 0,
	LMS_IA_OPT_BEATS_KEY = 1u << 1
};

/* One item of the test. */
typedef struct lms_ia_item {
	double max_points;            /* > 0, finite */
	int n_options;                /* 0: not a choice item; else 1..LMS_IA_MAX_OPTIONS */
	const double *option_fraction;/* n_options entries in [-1, 1]: the share of max_points
	                                 that option earns; > 0 marks a correct option (a key) */
} lms_ia_item;

/* The data: n_attempts rows of n_items cells, row-major (cell = a * n_items + i). */
typedef struct lms_ia_input {
	size_t n_attempts;
	size_t n_items;
	const lms_ia_item *items;     /* n_items */
	const double *points;         /* points earned, 0..max_points, or LMS_IA_NOT_PRESENTED */
	const int *choice;            /* option index or LMS_IA_NO_CHOICE per cell; read only for
	                                 choice items on presented cells; may be NULL when no item
	                                 is a choice item */
} lms_ia_input;

typedef struct lms_ia_option_stats {
	size_t count;   /* attempts (given the item) that chose it */
	size_t upper;   /* of those, in the upper group */
	size_t lower;   /* of those, in the lower group */
	unsigned flags; /* LMS_IA_OPT_* */
} lms_ia_option_stats;

typedef struct lms_ia_item_stats {
	size_t n;                        /* attempts given the item */
	lms_ia_num facility;             /* mean points / max points, 0..1 */
	lms_ia_num sd;                   /* sample SD (n-1) of points / max points */
	size_t group_size;               /* attempts in each of the upper and lower groups */
	lms_ia_num facility_upper;       /* facility within the upper group */
	lms_ia_num facility_lower;       /* facility within the lower group */
	lms_ia_num discrimination;       /* D = facility_upper - facility_lower, -1..1 */
	lms_ia_num item_rest_r;          /* Pearson r of the item score with the rest score (the
	                                    total without this item); the corrected point-biserial
	                                    for 0/1 items; Moodle's "discrimination index" */
	size_t n_options;                /* as in the input */
	lms_ia_option_stats options[LMS_IA_MAX_OPTIONS];
	lms_ia_option_stats no_choice;   /* attempts given the item that chose nothing */
	unsigned flags;                  /* LMS_IA_FLAG_* */
} lms_ia_item_stats;

typedef struct lms_ia_test_stats {
	size_t n;               /* attempts */
	bool same_paper;        /* every attempt was given the same items */
	size_t paper_items;     /* items on that paper (0 when the papers differ) */
	double paper_max;       /* its maximum total (0 when the papers differ) */
	lms_ia_num mean;        /* of total points */
	lms_ia_num sd;          /* sample SD (n-1) of total points */
	lms_ia_num alpha;       /* Cronbach's alpha */
	bool kr20;              /* every presented item score is 0 or the item's max: alpha is
	                           then exactly KR-20, report it under that name */
	lms_ia_num sem;         /* standard error of measurement = sd * sqrt(1 - alpha), points */
} lms_ia_test_stats;

typedef struct lms_ia_result {
	lms_ia_test_stats test;
	size_t n_items;
	lms_ia_item_stats *items; /* n_items, in input order */
} lms_ia_result;

/* Analyses in. On success *out is a new result (free it with lms_ia_result_free).
 * Fails with LMS_EINVAL (err->field names the cell or item, e.g. "points[3][7]",
 * "items[2].max_points", "choice[3][7]") when a value is outside its range, not finite, or a
 * choice array is missing for a choice item; LMS_ETOOBIG over the caps above; LMS_EINTERNAL
 * when memory runs out. Zero attempts or zero items is not an error: every value is then
 * reported as not defined. Deterministic: the same input gives the same output. */
int lms_ia_analyse(lms_ia_result **out, const lms_ia_input *in, lms_err *err);

/* Frees a result; NULL is fine. */
void lms_ia_result_free(lms_ia_result *r);

/* True when x holds a number. */
static inline bool lms_ia_defined(lms_ia_num x)
{
	return x.why == LMS_IA_DEFINED;
}

/* Stable machine-readable name of a reason ("too_few_attempts"), for JSON and exports;
 * "defined" for LMS_IA_DEFINED. Never NULL. */
const char *lms_ia_why_code(lms_ia_why why);
/* One line in Vietnamese for the trainer's page. Never NULL. */
const char *lms_ia_why_text(lms_ia_why why);

/* Stable name ("too_easy") and a Vietnamese line for one LMS_IA_FLAG_* bit; "" for an
 * unknown bit. */
const char *lms_ia_flag_code(unsigned flag);
const char *lms_ia_flag_text(unsigned flag);

#endif
