/* test_working_days.c — working time Monday to Friday in Ho Chi Minh City time
 * (working_days.h), the rule behind the personnel sync's overdue alert: weekends, the hours
 * around midnight where UTC and UTC+7 disagree on the day, Friday evening to Monday morning,
 * exactly N days, leap years, instants before 1970 and far in the future, and the cutoff that
 * the store compares with, checked against a day-by-day count. */
#include "support.h"

#include "lms/working_days.h"

#define H (INT64_C(3600) * LMS_SECOND_US)
#define M (INT64_C(60) * LMS_SECOND_US)
#define D LMS_WD_DAY_US

/* Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's days_from_civil),
 * written here independently of the code under test. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const int64_t yoe = y - era * 400;
	const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* An instant given in Ho Chi Minh City time. */
static int64_t vn(int y, int mo, int d, int h, int mi)
{
	return days_from_civil(y, mo, d) * D + h * H + mi * M - LMS_WD_OFFSET_US;
}

/* The oracle: walk the interval one city day at a time and add the part of each weekday. */
static int64_t slow_elapsed(int64_t from, int64_t to)
{
	int64_t sum = 0, t = from;

	while (t < to) {
		int64_t local = t + LMS_WD_OFFSET_US;
		int64_t day = local / D - (local % D < 0);
		int64_t next = (day + 1) * D - LMS_WD_OFFSET_US;
		int64_t wd = ((day % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
		int64_t end = next < to ? next : to;
		if (wd < 5)
			sum += end - t;
		t = end;
	}
	return sum;
}

static void weekdays_count_and_weekends_do_not(void **state)
{
	(void)state;
	/* 2026-01-05 is a Monday, 2026-01-10 a Saturday */
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 5, 0, 0), vn(2026, 1, 10, 0, 0)), 5 * D);
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 10, 0, 0), vn(2026, 1, 12, 0, 0)), 0);
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 5, 0, 0), vn(2026, 1, 12, 0, 0)), 5 * D);
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 5, 0, 0), vn(2026, 1, 19, 0, 0)), 10 * D);
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 9, 12, 0), vn(2026, 1, 10, 12, 0)), 12 * H);
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 10, 9, 0), vn(2026, 1, 11, 18, 0)), 0);
	/* an empty or backwards interval */
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 7, 0, 0), vn(2026, 1, 7, 0, 0)), 0);
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 8, 0, 0), vn(2026, 1, 7, 0, 0)), 0);
	/* a whole calendar week, starting on any day, is five working days */
	for (int d = 0; d < 7; d++)
		assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 5 + d, 15, 30), vn(2026, 1, 12 + d, 15, 30)), 5 * D);
}

static void the_day_is_the_city_day_not_the_utc_day(void **state)
{
	(void)state;
	/* Friday 23:30 to Saturday 00:30 in the city is 16:30 to 17:30 UTC on Friday: only the
	 * first half hour is on a working day. */
	int64_t fri = vn(2026, 1, 9, 23, 30), sat = vn(2026, 1, 10, 0, 30);
	assert_int_equal(lms_wd_elapsed_us(fri, sat), 30 * M);
	/* Monday 06:00 in the city is Sunday 23:00 UTC, and already working time */
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 12, 0, 0), vn(2026, 1, 12, 6, 0)), 6 * H);
	/* the whole weekend in UTC terms: Friday 17:00 UTC to Sunday 17:00 UTC is the city's
	 * Saturday 00:00 to Monday 00:00 */
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 10, 0, 0), vn(2026, 1, 12, 0, 0)), 0);
}

static void friday_evening_to_monday_morning(void **state)
{
	(void)state;
	int64_t fri17 = vn(2026, 1, 9, 17, 0);

	assert_int_equal(lms_wd_elapsed_us(fri17, vn(2026, 1, 12, 9, 0)), 16 * H);
	assert_int_equal(lms_wd_elapsed_us(fri17, vn(2026, 1, 12, 17, 0)), D);
	assert_false(lms_wd_overdue(fri17, vn(2026, 1, 12, 9, 0), 1));
	assert_false(lms_wd_overdue(fri17, vn(2026, 1, 12, 17, 0) - 1, 1));
	assert_true(lms_wd_overdue(fri17, vn(2026, 1, 12, 17, 0), 1));
	/* the default alert age, 2 working days: Tuesday 17:00, not Sunday 17:00 */
	assert_false(lms_wd_overdue(fri17, vn(2026, 1, 11, 17, 0), 2));
	assert_false(lms_wd_overdue(fri17, vn(2026, 1, 13, 16, 59), 2));
	assert_true(lms_wd_overdue(fri17, vn(2026, 1, 13, 17, 0), 2));
	/* the national rule, 3 working days: Wednesday 17:00 */
	assert_false(lms_wd_overdue(fri17, vn(2026, 1, 14, 16, 59), 3));
	assert_true(lms_wd_overdue(fri17, vn(2026, 1, 14, 17, 0), 3));
}

static void exactly_n_days_is_overdue_a_microsecond_less_is_not(void **state)
{
	(void)state;
	int64_t tue = vn(2026, 1, 6, 10, 0), thu = vn(2026, 1, 8, 10, 0);

	assert_int_equal(lms_wd_elapsed_us(tue, thu), 2 * D);
	assert_true(lms_wd_overdue(tue, thu, 2));
	assert_false(lms_wd_overdue(tue, thu - 1, 2));
	assert_false(lms_wd_overdue(tue + 1, thu, 2));
	assert_int_equal(lms_wd_cutoff_us(thu, 2), tue);
	/* over a weekend: Thursday 10:00 + 2 working days = Monday 10:00 */
	assert_int_equal(lms_wd_cutoff_us(vn(2026, 1, 12, 10, 0), 2), thu);
	assert_true(lms_wd_overdue(thu, vn(2026, 1, 12, 10, 0), 2));
	assert_false(lms_wd_overdue(thu, vn(2026, 1, 12, 9, 59), 2));
	/* an event after now is never overdue */
	assert_false(lms_wd_overdue(thu + D, thu, 1));
	assert_int_equal(lms_wd_elapsed_us(thu + D, thu), 0);
}

static void cutoff_over_a_weekend_is_the_monday_morning(void **state)
{
	(void)state;
	/* At Tuesday 00:00, one working day back is all of Monday: everything up to Monday 00:00
	 * (the whole weekend, and Friday) is a day old; Monday 00:00 and a microsecond is not. */
	int64_t now = vn(2026, 1, 13, 0, 0), mon = vn(2026, 1, 12, 0, 0);

	assert_int_equal(lms_wd_cutoff_us(now, 1), mon);
	assert_true(lms_wd_overdue(mon, now, 1));
	assert_true(lms_wd_overdue(vn(2026, 1, 10, 12, 0), now, 1));
	assert_false(lms_wd_overdue(mon + 1, now, 1));
	/* now on a Sunday: the cutoff is on a working day before it */
	assert_int_equal(lms_wd_cutoff_us(vn(2026, 1, 11, 15, 0), 2), vn(2026, 1, 8, 0, 0));
	assert_int_equal(lms_wd_cutoff_us(vn(2026, 1, 11, 15, 0), 5), vn(2026, 1, 5, 0, 0));
	/* the cutoff is always before now */
	assert_true(lms_wd_cutoff_us(now, 1) < now);
}

static void leap_years_change_nothing(void **state)
{
	(void)state;
	/* 2024-02-29 was a Thursday, 2024-03-04 a Monday */
	assert_int_equal(lms_wd_elapsed_us(vn(2024, 2, 29, 9, 0), vn(2024, 3, 4, 9, 0)), 2 * D);
	assert_int_equal(lms_wd_cutoff_us(vn(2024, 3, 4, 9, 0), 2), vn(2024, 2, 29, 9, 0));
	/* 2100 is not a leap year: Friday 2100-02-26 is followed by Monday 2100-03-01 */
	assert_int_equal(lms_wd_elapsed_us(vn(2100, 2, 26, 12, 0), vn(2100, 3, 1, 12, 0)), D);
	/* 2024 (leap, from a Monday) had 262 weekdays; 2023 (from a Sunday) had 260 */
	assert_int_equal(lms_wd_elapsed_us(vn(2024, 1, 1, 0, 0), vn(2025, 1, 1, 0, 0)), 262 * D);
	assert_int_equal(lms_wd_elapsed_us(vn(2023, 1, 1, 0, 0), vn(2024, 1, 1, 0, 0)), 260 * D);
}

static void before_1970_and_far_future(void **state)
{
	(void)state;
	/* 1969-12-29 was a Monday: the week around the epoch */
	assert_int_equal(lms_wd_elapsed_us(vn(1969, 12, 29, 0, 0), vn(1970, 1, 5, 0, 0)), 5 * D);
	assert_int_equal(lms_wd_elapsed_us(vn(1969, 12, 31, 12, 0), vn(1970, 1, 1, 12, 0)), D);
	assert_int_equal(lms_wd_cutoff_us(vn(1970, 1, 1, 12, 0), 1), vn(1969, 12, 31, 12, 0));
	/* 9999-12-31 is a Friday; from Monday 2026-01-05 there are 2,080,314 weekdays before it */
	assert_int_equal(lms_wd_elapsed_us(vn(2026, 1, 5, 0, 0), vn(9999, 12, 31, 0, 0)), INT64_C(2080314) * D);
	assert_int_equal(lms_wd_cutoff_us(vn(10000, 1, 3, 8, 0), 1), vn(9999, 12, 31, 8, 0));
	/* the extremes of int64 neither overflow (UBSan watches) nor go backwards */
	assert_true(lms_wd_elapsed_us(0, INT64_MAX) > 0);
	assert_true(lms_wd_elapsed_us(INT64_MIN, INT64_MAX) >= lms_wd_elapsed_us(0, INT64_MAX));
	assert_int_equal(lms_wd_elapsed_us(INT64_MAX - 1, INT64_MAX), 0); /* both beyond the limit */
	assert_true(lms_wd_cutoff_us(INT64_MAX, LMS_WD_MAX_DAYS) < LMS_WD_LIMIT_US);
	assert_true(lms_wd_cutoff_us(INT64_MIN, LMS_WD_MAX_DAYS) < -LMS_WD_LIMIT_US + 1);
	assert_true(lms_wd_overdue(INT64_MIN, INT64_MAX, LMS_WD_MAX_DAYS));
	assert_false(lms_wd_overdue(INT64_MAX, INT64_MIN, 1));
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static int64_t rnd(int64_t lo, int64_t hi)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return lo + (int64_t)(rng % (uint64_t)(hi - lo + 1));
}

static void agrees_with_a_day_by_day_count(void **state)
{
	(void)state;
	int64_t base = vn(2020, 1, 1, 0, 0);

	for (int i = 0; i < 20000; i++) {
		int64_t a = base + rnd(0, 3650 * D), b = a + rnd(0, 40 * D);
		int days = (int)rnd(1, 10);
		int64_t cut;
		/* some instants on whole hours, where the edges are */
		if (i % 3 == 0) {
			a -= a % H;
			b -= b % H;
		}
		cut = lms_wd_cutoff_us(b, days);
		assert_int_equal(lms_wd_elapsed_us(a, b), slow_elapsed(a, b));
		/* the cutoff is the edge of "overdue": on it overdue, just after it not */
		assert_true(lms_wd_overdue(cut, b, days));
		assert_false(lms_wd_overdue(cut + 1, b, days));
		assert_int_equal(slow_elapsed(cut, b), (int64_t)days * D);
		assert_int_equal(lms_wd_overdue(a, b, days), a <= lms_wd_cutoff_us(b, days));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekdays_count_and_weekends_do_not),
		cmocka_unit_test(the_day_is_the_city_day_not_the_utc_day),
		cmocka_unit_test(friday_evening_to_monday_morning),
		cmocka_unit_test(exactly_n_days_is_overdue_a_microsecond_less_is_not),
		cmocka_unit_test(cutoff_over_a_weekend_is_the_monday_morning),
		cmocka_unit_test(leap_years_change_nothing),
		cmocka_unit_test(before_1970_and_far_future),
		cmocka_unit_test(agrees_with_a_day_by_day_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
