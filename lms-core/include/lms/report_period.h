/* report_period.h — the period of an HR report: a quarter ("2025-Q3"), a half-year
 * ("2025-H1"), a year ("2025"), or any first and last day ("2025-07-01".."2025-08-15").
 *
 * Days are calendar days in Ho Chi Minh City (UTC+7 all year; Vietnam has no daylight
 * saving), so a quarter's first instant is its first day at 00:00 UTC+7 (17:00 UTC the day
 * before). Both the first and the last day are part of the period.
 *
 * Pure functions: no clock (the caller passes "now"), no allocation. Refused, with
 * LMS_EINVAL "invalid_field" and the field at fault ("period", "from" or "to"): a malformed
 * period or date; both a period and dates; a first day after the last (inverted); a day
 * before 2000-01-01 or after the end of next year (absurd: parlearn holds no such data); a
 * period longer than ten years.
 */
#ifndef LMS_REPORT_PERIOD_H
#define LMS_REPORT_PERIOD_H

#include "lms/error.h"

#include <stdint.h>

/* The first year a period may touch. */
#define LMS_PERIOD_FIRST_YEAR 2000
/* The longest period, in days (ten years and their leap days). */
#define LMS_PERIOD_MAX_DAYS 3653

typedef enum lms_period_kind {
	LMS_PERIOD_QUARTER = 'Q',
	LMS_PERIOD_HALF = 'H',
	LMS_PERIOD_YEAR = 'Y',
	LMS_PERIOD_DAYS = 'D'
} lms_period_kind;

typedef struct lms_period {
	lms_period_kind kind;
	int64_t from_day;   /* days since 1970-01-01: the first day */
	int64_t to_day;     /* the last day, included */
	char label[32];     /* "2025-Q3", "2025-H1", "2025", or "2025-07-01..2025-08-15" */
	char from[11];      /* "YYYY-MM-DD" */
	char to[11];
} lms_period;

/* Parses a period: period ("2025-Q3", "2025-q3", "2025-H2", "2025"), or from and to
 * ("YYYY-MM-DD", both required together); NULL or "" means absent. With neither, the quarter
 * that contains now_us (Ho Chi Minh City time). now_us bounds the last allowed day (31
 * December of the year after now). On success fills *out. */
int lms_period_parse(lms_period *out, const char *period, const char *from, const char *to,
                     int64_t now_us, lms_err *err);

/* The first instant of the period and the first instant after it (00:00 UTC+7 of the day
 * after the last), in microseconds since the epoch. */
int64_t lms_period_start_us(const lms_period *p);
int64_t lms_period_end_us(const lms_period *p);

/* 1 January of the year of the period's last day (the start of "the year to date" of the
 * city's 40-period target), in days since 1970-01-01. */
int64_t lms_period_year_start_day(const lms_period *p);

/* Days since 1970-01-01 as "YYYY-MM-DD" (out has 11 bytes). */
void lms_day_format(int64_t day, char out[11]);

/* "YYYY-MM-DD" (a real date, 1900..2999) to days since 1970-01-01. LMS_EINVAL naming field. */
int lms_day_parse(const char *s, const char *field, int64_t *day, lms_err *err);

#endif
