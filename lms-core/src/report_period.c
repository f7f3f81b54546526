/* report_period.c — the periods of HR reports (report_period.h): quarters, half-years, years
 * and date ranges, cut at 00:00 in Ho Chi Minh City (UTC+7).
 *
 * Days are counted from 1970-01-01 with the proleptic Gregorian calendar
 * (lms_days_from_civil); the instants follow from the fixed offset. Nothing here reads a
 * clock: "now" is an argument, so tests pin it.
 */
#include "lms/report_period.h"

#include "lms/clock.h"
#include "lms/validate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define DAY_US (INT64_C(86400) * LMS_SECOND_US)
#define HCM_OFFSET_US (INT64_C(7) * 3600 * LMS_SECOND_US)

/* Howard Hinnant's civil_from_days. */
static void civil(int64_t day, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = day + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void lms_day_format(int64_t day, char out[11])
{
	int64_t y;
	unsigned m, d;

	civil(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0; /* never for a day that was parsed; keeps the buffer's size */
	snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

int lms_day_parse(const char *s, const char *field, int64_t *day, lms_err *err)
{
	unsigned y, m, d;

	if (lms_check_date(field, s, err) < 0)
		return LMS_EINVAL;
	y = (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	*day = lms_days_from_civil(y, m, d);
	return LMS_OK;
}

/* A year of four digits, 1000..9999; -1 when s[0..4) is not one. */
static int year4(const char *s)
{
	int i, v = 0;

	for (i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1000 ? v : -1;
}

/* "YYYY", "YYYY-Qn", "YYYY-Hn" (case-insensitive letter) into kind and days. */
static int parse_named(lms_period *p, const char *s, lms_err *err)
{
	size_t len = strlen(s);
	int y = len >= 4 ? year4(s) : -1, n;
	unsigned first_month, months;

	if (y < 0 || (len != 4 && len != 7))
		goto bad;
	if (len == 4) {
		p->kind = LMS_PERIOD_YEAR;
		first_month = 1;
		months = 12;
		snprintf(p->label, sizeof(p->label), "%04d", y);
	} else {
		char k = s[5];
		if (s[4] != '-' || s[6] < '1' || s[6] > '9')
			goto bad;
		n = s[6] - '0';
		if ((k == 'Q' || k == 'q') && n <= 4) {
			p->kind = LMS_PERIOD_QUARTER;
			first_month = (unsigned)(3 * (n - 1) + 1);
			months = 3;
		} else if ((k == 'H' || k == 'h') && n <= 2) {
			p->kind = LMS_PERIOD_HALF;
			first_month = (unsigned)(6 * (n - 1) + 1);
			months = 6;
		} else {
			goto bad;
		}
		snprintf(p->label, sizeof(p->label), "%04d-%c%d", y, (char)p->kind, n);
	}
	p->from_day = lms_days_from_civil(y, first_month, 1);
	/* the day before the first day of the next period */
	if (first_month + months > 12)
		p->to_day = lms_days_from_civil(y + 1, 1, 1) - 1;
	else
		p->to_day = lms_days_from_civil(y, first_month + months, 1) - 1;
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "invalid_field", "period",
	                   "period: a quarter (2025-Q3), a half-year (2025-H1) or a year (2025)");
}

static bool given(const char *s)
{
	return s && *s;
}

int lms_period_parse(lms_period *out, const char *period, const char *from, const char *to,
                     int64_t now_us, lms_err *err)
{
	lms_period p;
	int64_t today, y;
	unsigned m, d;
	int64_t first, last;
	char bound[11];

	memset(&p, 0, sizeof(p));
	today = (now_us + HCM_OFFSET_US) / DAY_US - ((now_us + HCM_OFFSET_US) % DAY_US < 0);
	civil(today, &y, &m, &d);
	first = lms_days_from_civil(LMS_PERIOD_FIRST_YEAR, 1, 1);
	last = lms_days_from_civil(y + 2, 1, 1) - 1; /* 31 December of next year */

	if (given(period) && (given(from) || given(to)))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "period",
		                   "period: give a period or the dates from and to, not both");
	if (given(period)) {
		if (strlen(period) > 16 || parse_named(&p, period, err) < 0)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "period",
			                   "period: a quarter (2025-Q3), a half-year (2025-H1) or a "
			                   "year (2025)");
	} else if (given(from) || given(to)) {
		if (!given(from))
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "from",
			                   "from: the first day is required with to");
		if (!given(to))
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "to",
			                   "to: the last day is required with from");
		if (lms_day_parse(from, "from", &p.from_day, err) < 0 ||
		    lms_day_parse(to, "to", &p.to_day, err) < 0)
			return LMS_EINVAL;
		p.kind = LMS_PERIOD_DAYS;
	} else {
		int64_t q = (int64_t)((m - 1) / 3);
		char named[16];
		snprintf(named, sizeof(named), "%04d-Q%d", (int)(y % 10000), (int)(q % 4) + 1);
		if (parse_named(&p, named, err) < 0)
			return LMS_EINTERNAL;
	}
	if (p.to_day < p.from_day)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "to",
		                   "to: the last day comes before the first day (the period is inverted)");
	if (p.from_day < first) {
		lms_day_format(first, bound);
		return lms_err_set(err, LMS_EINVAL, "invalid_field", given(period) ? "period" : "from",
		                   "%s: the period starts before %s; parlearn holds nothing that old",
		                   given(period) ? "period" : "from", bound);
	}
	if (p.to_day > last) {
		lms_day_format(last, bound);
		return lms_err_set(err, LMS_EINVAL, "invalid_field", given(period) ? "period" : "to",
		                   "%s: the period ends after %s, the end of next year",
		                   given(period) ? "period" : "to", bound);
	}
	if (p.to_day - p.from_day + 1 > LMS_PERIOD_MAX_DAYS)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "to",
		                   "to: a period of at most ten years");
	lms_day_format(p.from_day, p.from);
	lms_day_format(p.to_day, p.to);
	if (p.kind == LMS_PERIOD_DAYS)
		snprintf(p.label, sizeof(p.label), "%s..%s", p.from, p.to);
	*out = p;
	return LMS_OK;
}

int64_t lms_period_start_us(const lms_period *p)
{
	return p->from_day * DAY_US - HCM_OFFSET_US;
}

int64_t lms_period_end_us(const lms_period *p)
{
	return (p->to_day + 1) * DAY_US - HCM_OFFSET_US;
}

int64_t lms_period_year_start_day(const lms_period *p)
{
	int64_t y;
	unsigned m, d;

	civil(p->to_day, &y, &m, &d);
	return lms_days_from_civil(y, 1, 1);
}
