/* working_days.c — working time Monday to Friday in UTC+7 (working_days.h).
 *
 * The idea: W(t), the working time from a fixed Monday 00:00 (UTC+7) up to t, is easy to
 * compute (whole weeks give five days each, the week in progress gives min(time into it,
 * five days)), never decreases, and the working time in [a, b) is W(b) − W(a). The cutoff
 * inverts W: the latest t with W(t) <= W(now) − days, which is always inside Monday..Friday
 * (at a Monday 00:00 when the target falls on a weekend), so W grows just after it and the
 * "<= cutoff" test matches "overdue" exactly.
 *
 * The reference is Monday 1969-12-29 00:00 in UTC+7, three days and seven hours before the
 * Unix epoch (1970-01-01 was a Thursday). The calendar (month lengths, leap years) never
 * matters: weekdays repeat every 7 × 24 h, and UTC+7 has no daylight saving.
 */
#include "lms/working_days.h"

#include <assert.h>

#define WEEK_US (7 * LMS_WD_DAY_US)
#define WORK_WEEK_US (5 * LMS_WD_DAY_US)
/* From the reference Monday 00:00 UTC+7 to the Unix epoch. */
#define SHIFT_US (3 * LMS_WD_DAY_US + LMS_WD_OFFSET_US)

static int64_t clamp(int64_t t)
{
	return t < -LMS_WD_LIMIT_US ? -LMS_WD_LIMIT_US : t > LMS_WD_LIMIT_US ? LMS_WD_LIMIT_US : t;
}

/* Floor division and its remainder in [0, d), for negative instants too. */
static int64_t floor_div(int64_t x, int64_t d, int64_t *rem)
{
	int64_t q = x / d, r = x % d;

	if (r < 0) {
		r += d;
		q--;
	}
	*rem = r;
	return q;
}

/* W(t): working time from the reference Monday to t (negative before it). */
static int64_t work_before(int64_t t)
{
	int64_t r, weeks = floor_div(clamp(t) + SHIFT_US, WEEK_US, &r);

	return weeks * WORK_WEEK_US + (r < WORK_WEEK_US ? r : WORK_WEEK_US);
}

int64_t lms_wd_elapsed_us(int64_t from_us, int64_t to_us)
{
	if (to_us <= from_us)
		return 0;
	return work_before(to_us) - work_before(from_us);
}

int64_t lms_wd_cutoff_us(int64_t now_us, int days)
{
	int64_t r, weeks, target;

	assert(days >= 1 && days <= LMS_WD_MAX_DAYS);
	target = work_before(now_us) - (int64_t)days * LMS_WD_DAY_US;
	weeks = floor_div(target, WORK_WEEK_US, &r);
	return weeks * WEEK_US + r - SHIFT_US;
}

bool lms_wd_overdue(int64_t occurred_us, int64_t now_us, int days)
{
	assert(days >= 1 && days <= LMS_WD_MAX_DAYS);
	/* An event "from the future" (two nodes' clocks apart) has no working time behind it. */
	return lms_wd_elapsed_us(occurred_us, now_us) >= (int64_t)days * LMS_WD_DAY_US;
}
