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

#endif
