/* working_days.h — working time between two instants, for the personnel sync's alert
 * (docs/personnel-sync.md, "The 3-working-day rule": the national cadre database asks for
 * changes within 3 working days; parlearn alerts after a configured age, default 2).
 *
 * A working day is Monday to Friday in Ho Chi Minh City time (UTC+7; Vietnam has no daylight
 * saving). Public holidays are not known to parlearn and count as working days, so an alert
 * can come early, never late. Working time is measured to the microsecond: an event recorded
 * on Friday at 17:00 is one working day old on Monday at 17:00.
 *
 * Pure functions of their arguments: no clock, no allocation, no failure. Instants are
 * microseconds since the Unix epoch (UTC), as everywhere in the core; instants beyond
 * ±LMS_WD_LIMIT_US (about 146,000 years) are treated as that limit, so nothing overflows.
 */
#ifndef LMS_WORKING_DAYS_H
#define LMS_WORKING_DAYS_H

#include "lms/clock.h"

#include <stdbool.h>
#include <stdint.h>

#define LMS_WD_DAY_US (INT64_C(86400) * LMS_SECOND_US)
/* Ho Chi Minh City's offset from UTC, all year. */
#define LMS_WD_OFFSET_US (INT64_C(7) * 3600 * LMS_SECOND_US)
/* Instants are clamped to [-LMS_WD_LIMIT_US, LMS_WD_LIMIT_US]. */
#define LMS_WD_LIMIT_US (INT64_C(1) << 62)
/* The largest age in working days the functions below take (ten years of them). */
#define LMS_WD_MAX_DAYS 2610

/* The working time in [from_us, to_us), in microseconds: the part of the interval that falls
 * on a Monday to Friday in UTC+7. 0 when to_us <= from_us. */
int64_t lms_wd_elapsed_us(int64_t from_us, int64_t to_us);

/* The latest instant an event may have occurred at and be overdue at now_us, given an
 * allowed age of days working days (1..LMS_WD_MAX_DAYS; an assertion): for every t within
 * the limits, t <= lms_wd_cutoff_us(now_us, days) exactly when lms_wd_overdue(t, now_us,
 * days). Always before now_us. Lets a store count overdue events with one comparison. */
int64_t lms_wd_cutoff_us(int64_t now_us, int days);

/* Is an event that occurred at occurred_us, still undelivered at now_us, overdue: has at
 * least days (1..LMS_WD_MAX_DAYS) working days, days × 24 h of working time, passed since it
 * occurred? Never for an event after now_us. */
bool lms_wd_overdue(int64_t occurred_us, int64_t now_us, int days);

#endif
