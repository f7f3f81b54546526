/* clock.h — time as the core sees it: injected, so tests control it.
 * Times are microseconds since the Unix epoch (UTC). */
#ifndef LMS_CLOCK_H
#define LMS_CLOCK_H

#include <stdint.h>

typedef struct lms_clock {
	int64_t (*now_us)(void *ud);
	void *ud;
} lms_clock;

/* The real clock (CLOCK_REALTIME). */
const lms_clock *lms_clock_system(void);

static inline int64_t lms_now(const lms_clock *c) { return c->now_us(c->ud); }

#define LMS_SECOND_US INT64_C(1000000)

/* Parses an RFC 3339 date-time with an offset ("2025-07-02T06:30:00+07:00", "...Z",
 * fractional seconds allowed) into microseconds since the epoch. 0 or -1 (not one). */
int lms_rfc3339_parse(const char *s, int64_t *us);

/* The date in Ho Chi Minh City (UTC+7, no daylight saving) at us: "YYYY-MM-DD". */
void lms_hcm_date(int64_t us, char out[11]);

/* Days since 1970-01-01 of a proleptic Gregorian date (no range check). */
int64_t lms_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
