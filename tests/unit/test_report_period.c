/* test_report_period.c — the periods of HR reports (report_period.h): quarters, half-years,
 * years and date ranges cut at 00:00 in Ho Chi Minh City, and every bad period refused with
 * its field. */
#include "support.h"

#include "lms/report_period.h"

#include <string.h>

/* 2026-11-28T10:00:00Z */
#define NOW (INT64_C(1795860000) * LMS_SECOND_US)
#define DAY_US (INT64_C(86400) * LMS_SECOND_US)

static int64_t utc_us(int y, unsigned m, unsigned d, int h)
{
	return (lms_days_from_civil(y, m, d) * 86400 + h * 3600) * LMS_SECOND_US;
}

static void quarter_is_cut_in_ho_chi_minh_city(void **state)
{
	(void)state;
	lms_period p;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_period_parse(&p, "2025-Q3", NULL, NULL, NOW, &err), 0);
	assert_int_equal(p.kind, LMS_PERIOD_QUARTER);
	assert_string_equal(p.label, "2025-Q3");
	assert_string_equal(p.from, "2025-07-01");
	assert_string_equal(p.to, "2025-09-30");
	/* 1 July 00:00 in UTC+7 is 30 June 17:00 UTC; the end is 30 September 17:00 UTC */
	assert_int_equal(lms_period_start_us(&p), utc_us(2025, 6, 30, 17));
	assert_int_equal(lms_period_end_us(&p), utc_us(2025, 9, 30, 17));
	assert_int_equal(lms_period_year_start_day(&p), lms_days_from_civil(2025, 1, 1));
	/* a lower-case letter is the same quarter */
	assert_int_equal(lms_period_parse(&p, "2025-q4", "", "", NOW, &err), 0);
	assert_string_equal(p.from, "2025-10-01");
	assert_string_equal(p.to, "2025-12-31");
	assert_string_equal(p.label, "2025-Q4");
}

static void halves_years_and_dates(void **state)
{
	(void)state;
	lms_period p;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_period_parse(&p, "2024-H1", NULL, NULL, NOW, &err), 0);
	assert_string_equal(p.from, "2024-01-01");
	assert_string_equal(p.to, "2024-06-30");
	assert_int_equal(lms_period_parse(&p, "2024-h2", NULL, NULL, NOW, &err), 0);
	assert_string_equal(p.to, "2024-12-31");
	assert_int_equal(lms_period_parse(&p, "2024", NULL, NULL, NOW, &err), 0);
	assert_int_equal(p.kind, LMS_PERIOD_YEAR);
	assert_int_equal(p.to_day - p.from_day + 1, 366); /* a leap year */
	assert_int_equal(lms_period_parse(&p, NULL, "2025-06-15", "2025-07-14", NOW, &err), 0);
	assert_int_equal(p.kind, LMS_PERIOD_DAYS);
	assert_string_equal(p.label, "2025-06-15..2025-07-14");
	assert_int_equal(p.to_day - p.from_day + 1, 30);
	/* one day is a period too */
	assert_int_equal(lms_period_parse(&p, NULL, "2025-07-01", "2025-07-01", NOW, &err), 0);
	assert_int_equal(lms_period_end_us(&p) - lms_period_start_us(&p), DAY_US);
}

static void default_is_the_current_quarter_here(void **state)
{
	(void)state;
	lms_period p;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_period_parse(&p, NULL, NULL, NULL, NOW, &err), 0);
	assert_string_equal(p.label, "2026-Q4");
	/* 30 September 2026 at 18:00 UTC is already 1 October in Ho Chi Minh City */
	assert_int_equal(lms_period_parse(&p, NULL, NULL, NULL, utc_us(2026, 9, 30, 18), &err), 0);
	assert_string_equal(p.label, "2026-Q4");
	assert_int_equal(lms_period_parse(&p, NULL, NULL, NULL, utc_us(2026, 9, 30, 16), &err), 0);
	assert_string_equal(p.label, "2026-Q3");
}

static void refused(const char *period, const char *from, const char *to, const char *field,
                    const char *words)
{
	lms_period p;
	lms_err err;

	lms_err_clear(&err);
	memset(&p, 0x5a, sizeof(p));
	assert_int_equal(lms_period_parse(&p, period, from, to, NOW, &err), LMS_EINVAL);
	assert_string_equal(err.code, "invalid_field");
	assert_string_equal(err.field, field);
	if (words && !strstr(err.msg, words))
		fail_msg("message \"%s\" does not say \"%s\"", err.msg, words);
	assert_int_equal(p.label[0], 0x5a); /* nothing written on failure */
}

static void bad_periods_are_refused_with_their_field(void **state)
{
	(void)state;
	refused("2025-Q5", NULL, NULL, "period", "quarter");
	refused("2025-Q0", NULL, NULL, "period", NULL);
	refused("2025-H3", NULL, NULL, "period", NULL);
	refused("2025Q3", NULL, NULL, "period", NULL);
	refused("25-Q3", NULL, NULL, "period", NULL);
	refused("2025-Q3x", NULL, NULL, "period", NULL);
	refused("2025-03", NULL, NULL, "period", NULL);
	refused("abcd", NULL, NULL, "period", NULL);
	refused("2025-Q3", "2025-07-01", "2025-09-30", "period", "not both");
	refused(NULL, "2025-07-01", NULL, "to", "required");
	refused(NULL, NULL, "2025-07-01", "from", "required");
	refused(NULL, "2025-02-30", "2025-03-01", "from", "date");
	refused(NULL, "2025-07-01", "01/08/2025", "to", "date");
	/* inverted */
	refused(NULL, "2025-09-30", "2025-07-01", "to", "inverted");
	/* absurd: before 2000, after the end of next year, longer than ten years */
	refused("1999", NULL, NULL, "period", "2000-01-01");
	refused(NULL, "1999-12-31", "2000-01-31", "from", "2000-01-01");
	refused("2028-Q1", NULL, NULL, "period", "2027-12-31");
	refused(NULL, "2026-01-01", "2028-01-01", "to", "2027-12-31");
	refused(NULL, "2001-01-01", "2011-01-02", "to", "ten years");
}

static void the_edges_are_accepted(void **state)
{
	(void)state;
	lms_period p;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_period_parse(&p, "2000-Q1", NULL, NULL, NOW, &err), 0);
	assert_int_equal(lms_period_parse(&p, "2027", NULL, NULL, NOW, &err), 0);
	assert_int_equal(lms_period_parse(&p, NULL, "2001-01-01", "2010-12-31", NOW, &err), 0);
	assert_int_equal(p.to_day - p.from_day + 1, 3652);
}

static void days_round_trip(void **state)
{
	(void)state;
	char buf[11];
	int64_t d;
	lms_err err;
	const char *dates[] = { "2000-01-01", "2000-02-29", "2024-12-31", "2025-07-01", "2099-03-01" };

	lms_err_clear(&err);
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		assert_int_equal(lms_day_parse(dates[i], "d", &d, &err), 0);
		lms_day_format(d, buf);
		assert_string_equal(buf, dates[i]);
	}
	assert_int_equal(lms_day_parse("2025-7-1", "d", &d, &err), LMS_EINVAL);
	assert_string_equal(err.field, "d");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quarter_is_cut_in_ho_chi_minh_city),
		cmocka_unit_test(halves_years_and_dates),
		cmocka_unit_test(default_is_the_current_quarter_here),
		cmocka_unit_test(bad_periods_are_refused_with_their_field),
		cmocka_unit_test(the_edges_are_accepted),
		cmocka_unit_test(days_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
