/* cmi.h — the SCORM run-time data model (CMI) as the server re-checks it.
 *
 * The browser's API adapter already answers the SCO; the server checks every commit again
 * against the data model of the attempt's SCORM version (1.2, or 2004 4th edition), so that
 * nothing a browser forges reaches stored state. Pure functions: no I/O, no allocation, no
 * global state. Durations are int64 hundredths of a second (SCORM's resolution).
 *
 * SCORM error numbers are domain data (what the standard says SetValue would answer), not
 * LMS_* codes. The element-by-element coverage and the deliberate deviations from the
 * standards are in docs/scorm-runtime.md.
 */
#ifndef LMS_CMI_H
#define LMS_CMI_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { LMS_CMI_12 = 1, LMS_CMI_2004 = 2 } lms_cmi_version;

/* SCORM 1.2 RTE 3.3.4 error codes. */
enum {
	LMS_SCORM12_GENERAL = 101,
	LMS_SCORM12_INVALID_ARGUMENT = 201, /* unknown element, index out of order */
	LMS_SCORM12_NO_CHILDREN = 202,      /* _children on an element without children */
	LMS_SCORM12_NO_COUNT = 203,         /* _count on an element that is not an array */
	LMS_SCORM12_NOT_INITIALIZED = 301,
	LMS_SCORM12_NOT_IMPLEMENTED = 401,
	LMS_SCORM12_KEYWORD = 402,          /* SetValue on _children, _count, _version */
	LMS_SCORM12_READ_ONLY = 403,
	LMS_SCORM12_WRITE_ONLY = 404,
	LMS_SCORM12_TYPE = 405              /* wrong type, and (1.2 has no other code) out of range */
};

/* SCORM 2004 4th edition RTE 3.1.7 error codes (those SetValue can answer). */
enum {
	LMS_SCORM2004_GENERAL_SET = 351,    /* index out of order, too many patterns */
	LMS_SCORM2004_UNDEFINED = 401,
	LMS_SCORM2004_UNIMPLEMENTED = 402,
	LMS_SCORM2004_NOT_INITIALIZED = 403,
	LMS_SCORM2004_READ_ONLY = 404,      /* also keywords: _version, _children, _count */
	LMS_SCORM2004_WRITE_ONLY = 405,
	LMS_SCORM2004_TYPE = 406,
	LMS_SCORM2004_RANGE = 407,
	LMS_SCORM2004_DEPENDENCY = 408
};

/* cmi.interactions.n.type. The 1.2 vocabulary is the 2004 one without long-fill-in and
 * other. */
typedef enum {
	LMS_CMI_ITYPE_UNSET = 0,
	LMS_CMI_ITYPE_TRUE_FALSE,
	LMS_CMI_ITYPE_CHOICE,
	LMS_CMI_ITYPE_FILL_IN,
	LMS_CMI_ITYPE_LONG_FILL_IN,
	LMS_CMI_ITYPE_MATCHING,
	LMS_CMI_ITYPE_PERFORMANCE,
	LMS_CMI_ITYPE_SEQUENCING,
	LMS_CMI_ITYPE_LIKERT,
	LMS_CMI_ITYPE_NUMERIC,
	LMS_CMI_ITYPE_OTHER
} lms_cmi_itype;

/* What the server knows of one stored interaction. */
typedef struct lms_cmi_interaction_state {
	bool has_id;            /* cmi.interactions.n.id has been set */
	lms_cmi_itype type;     /* cmi.interactions.n.type, or UNSET */
	int objectives;         /* cmi.interactions.n.objectives._count */
	int correct_responses;  /* cmi.interactions.n.correct_responses._count */
} lms_cmi_interaction_state;

/* What the server knows of one stored objective. */
typedef struct lms_cmi_objective_state {
	bool has_id;            /* cmi.objectives.n.id has been set */
} lms_cmi_objective_state;

/* The current state of the attempt's collections, before the write being checked.
 * interaction points to `interactions` entries and objective to `objectives` entries (either
 * may be NULL when its count is 0). A NULL lms_cmi_counts means "all collections empty". */
typedef struct lms_cmi_counts {
	int interactions;                               /* cmi.interactions._count */
	const lms_cmi_interaction_state *interaction;
	int objectives;                                 /* cmi.objectives._count */
	const lms_cmi_objective_state *objective;
	int comments_from_learner;                      /* 2004 cmi.comments_from_learner._count */
} lms_cmi_counts;

/* Checks SetValue(element, value) against data model v and the collections in counts.
 * Returns 0 and sets *scorm_error to 0 when the write is allowed; otherwise returns
 * LMS_EINVAL and sets *scorm_error to the number the standard names (LMS_SCORM12_* or
 * LMS_SCORM2004_*). Checks run in the order: element defined, keyword, read-only, index
 * (n <= _count: n == _count appends), dependency (2004: id before anything else of an
 * interaction or objective, type before correct_responses and learner_response), then type
 * and range. element, value and scorm_error must not be NULL; value is the whole string
 * (SCORM values are NUL-free). Never reads more than 4096 bytes of element, never more than
 * strlen(value) of value. */
int lms_cmi_check_set(lms_cmi_version v, const char *element, const char *value,
                      const lms_cmi_counts *counts, int *scorm_error);

/* True when GetValue(element) may return a value in data model v: a defined element (or a
 * keyword: _version, _children, _count) that is not write-only. Index values are not checked
 * against counts. */
bool lms_cmi_readable(lms_cmi_version v, const char *element);

/* The interaction type a cmi.interactions.n.type value names in data model v, or
 * LMS_CMI_ITYPE_UNSET when it names none. For the caller's lms_cmi_interaction_state. */
lms_cmi_itype lms_cmi_itype_parse(lms_cmi_version v, const char *s);

/* SCORM 1.2 CMITimespan "HHHH:MM:SS[.S[S]]": 2-4 digits of hours, minutes and seconds
 * 00-59. On success stores hundredths of a second in *cs. */
bool lms_cmi_parse_timespan12(const char *s, int64_t *cs);

/* SCORM 2004 timeinterval(second,10,2), ISO 8601 "P[nY][nM][nD][T[nH][nM][n[.n]S]]": at least
 * one component, T only before a time component, at most 9 digits a component. Fraction
 * digits beyond hundredths are truncated. SCORM gives Y and M no length: we count a year as
 * 365 days and a month as 30 days. On success stores hundredths of a second in *cs. */
bool lms_cmi_parse_duration(const char *s, int64_t *cs);

/* SCORM 2004 time(second,10,0), "YYYY[-MM[-DD[Thh[:mm[:ss[.s[s]][TZD]]]]]]" with the year in
 * 1970-2038, a real calendar date, and TZD one of Z, +hh, -hh, +hh:mm, -hh:mm. */
bool lms_cmi_parse_time(const char *s);

/* real(10,7): "-?digits(.digits)?" of at most 64 characters (no exponent, no '+', no leading
 * '.'). On success stores the value in *out (out may be NULL). */
bool lms_cmi_real(const char *s, double *out);

/* Writes cs (>= 0) as an ISO 8601 duration "PT<h>H<m>M<s>[.<ss>]S" that
 * lms_cmi_parse_duration reads back to cs. Returns 0, LMS_EINVAL for cs < 0, or LMS_ETOOBIG
 * when n bytes (with the NUL) are not enough; 32 bytes always are. */
int lms_cmi_format_duration(int64_t cs, char *out, size_t n);

/* Writes cs (>= 0) as a SCORM 1.2 CMITimespan "HHHH:MM:SS.SS"; values above
 * 9999:59:59.99 (the largest the type can hold) are written as that. Returns 0, LMS_EINVAL
 * for cs < 0, or LMS_ETOOBIG when n bytes are not enough; 14 bytes always are. */
int lms_cmi_format_timespan12(int64_t cs, char *out, size_t n);

#endif
