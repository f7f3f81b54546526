/* time_on_task.h — active time counted by the server from heartbeats (docs/time-on-task.md).
 *
 * The launcher sends a heartbeat every 30 s and whenever the page is hidden, shown or closed,
 * saying whether the page is visible now, how long it was hidden since the previous heartbeat
 * and how long ago the learner last gave input. The server credits the interval since the
 * previous heartbeat of the launch, on its own clock, by these rules:
 *   - the interval starts at the later of the launch's previous heartbeat (or its opening)
 *     and the learner's clock (up to when their time has been counted, across all launches:
 *     an interval is never credited twice when two tabs are open);
 *   - a gap longer than max_gap (the laptop slept, the network was down) is credited only
 *     up to max_gap;
 *   - no input for longer than idle_threshold: the time after last input + idle_threshold is
 *     not credited;
 *   - hidden time is credited up to hidden_threshold per hidden stretch;
 *   - the client's durations are clamped into the interval: a client clock set wrong, or a
 *     client that lies, cannot get more than the wall-clock time between heartbeats.
 * Pure functions; no clock of their own.
 */
#ifndef LMS_TIME_ON_TASK_H
#define LMS_TIME_ON_TASK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct lms_tot_params {
	int64_t max_gap_us;          /* default 90 s (three missed heartbeats) */
	int64_t idle_threshold_us;   /* default 5 min */
	int64_t hidden_threshold_us; /* default 60 s */
} lms_tot_params;

/* A heartbeat more often than this per launch is refused (not counted). */
#define LMS_TOT_MIN_BEAT_US (2LL * 1000000)

void lms_tot_params_default(lms_tot_params *p);

/* What the server keeps of a launch between heartbeats. */
typedef struct lms_tot_launch {
	int64_t opened_us;
	int64_t last_beat_us;        /* 0 before the first heartbeat */
	int64_t last_input_us;       /* 0 when unknown */
	int64_t hidden_used_us;      /* hidden time credited in the current hidden stretch */
	int64_t active_us;
	int beats;
} lms_tot_launch;

/* One heartbeat as received (client durations, not client times). */
typedef struct lms_tot_beat_in {
	bool visible;
	int64_t idle_ms;             /* since the last input; clamped to >= 0 */
	int64_t hidden_ms;           /* hidden since the previous heartbeat; clamped to >= 0 */
	bool closing;
} lms_tot_beat_in;

typedef struct lms_tot_beat_out {
	int64_t credited_us;
	const char *reason;          /* "active", "idle_cut", "hidden_cut", "gap_cut", "overlap",
	                                "first" (nothing to credit yet) */
	lms_tot_launch next;         /* the launch after this heartbeat */
	int64_t clock_until_us;      /* the learner's clock after it */
} lms_tot_beat_out;

/* Credits one heartbeat received at now_us for a launch in state l, the learner's clock
 * being at clock_us (0 when never counted). */
void lms_tot_beat(const lms_tot_params *p, const lms_tot_launch *l, int64_t clock_us,
                  const lms_tot_beat_in *in, int64_t now_us, lms_tot_beat_out *out);

/* Is the content's own session time far from the server's count? True when they differ by
 * more than 5 minutes and by more than half of the larger one. */
bool lms_tot_flag(int64_t active_us, int64_t reported_us);

#endif
