/* clock.c — the system clock behind the lms_clock interface. */
#include "lms/clock.h"

#include <time.h>

static int64_t system_now(void *ud)
{
	struct timespec ts;

	(void)ud;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * LMS_SECOND_US + ts.tv_nsec / 1000;
}

static const lms_clock system_clock = { system_now, 0 };

const lms_clock *lms_clock_system(void)
{
	return &system_clock;
}
