/* report.h — a validation report: every problem found in an input (a package, a manifest,
 * a lesson file), each an error or a warning with the file and line it was found at, in a
 * sentence a trainer can act on. Errors make the input unusable; warnings do not.
 *
 * A report owns nothing itself: its entries and their strings live in the arena given to
 * lms_report_init. Adding never fails (allocation failure aborts, as in arena.h).
 */
#ifndef LMS_REPORT_H
#define LMS_REPORT_H

#include "lms/arena.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum lms_severity {
	LMS_SEV_ERROR = 0,
	LMS_SEV_WARNING = 1
} lms_severity;

typedef struct lms_problem {
	lms_severity severity;
	const char *code;    /* stable machine-readable code, e.g. "launch_file_missing" */
	const char *file;    /* path inside the package ("imsmanifest.xml"), or "" for the whole */
	int line;            /* 1-based line in file, 0 when not applicable */
	const char *message; /* one sentence, English, no trailing period needed */
} lms_problem;

typedef struct lms_report {
	lms_arena *arena;
	lms_problem *items;
	size_t n, cap;
	size_t errors, warnings;
	size_t max_items;    /* further problems are counted but not stored (default 1000) */
	size_t dropped;
} lms_report;

void lms_report_init(lms_report *r, lms_arena *a);

/* Records a problem; file may be NULL (""), line 0. The message is formatted. */
void lms_report_add(lms_report *r, lms_severity sev, const char *code, const char *file,
                    int line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static inline bool lms_report_ok(const lms_report *r) { return r->errors == 0; }

#endif
