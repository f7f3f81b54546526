/* time_on_task.c — crediting heartbeats (time_on_task.h). */
#include "lms/time_on_task.h"

#include <stddef.h>

void lms_tot_params_default(lms_tot_params *p)
{
	p->max_gap_us = 90LL * 1000000;
	p->idle_threshold_us = 5LL * 60 * 1000000;
	p->hidden_threshold_us = 60LL * 1000000;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

void lms_tot_beat(const lms_tot_params *p, const lms_tot_launch *l, int64_t clock_us,
                  const lms_tot_beat_in *in, int64_t now_us, lms_tot_beat_out *out)
{
	int64_t prev = l->last_beat_us ? l->last_beat_us : l->opened_us;
	int64_t len = max64(0, now_us - prev);
	int64_t start = max64(prev, clock_us);
	int64_t idle_us = max64(0, in->idle_ms) * 1000;
	int64_t hidden_us = min64(max64(0, in->hidden_ms) * 1000, len);
	int64_t input_at, credit, cap;
	const char *reason = "active";

	out->next = *l;
	out->next.last_beat_us = now_us;
	out->next.beats = l->beats + 1;
	out->clock_until_us = max64(clock_us, now_us);

	/* Input within this interval moves the last input forward; a claim of input before the
	 * previous heartbeat says nothing new. */
	input_at = now_us - min64(idle_us, len);
	if (idle_us <= len)
		out->next.last_input_us = max64(l->last_input_us, input_at);
	else if (!l->last_input_us)
		out->next.last_input_us = prev; /* no input seen yet: count from the opening */

	if (now_us <= start) {
		out->credited_us = 0;
		out->reason = l->last_beat_us || now_us > prev ? "overlap" : "first";
		return;
	}
	credit = now_us - start;
	if (credit > p->max_gap_us) {
		credit = p->max_gap_us;
		reason = "gap_cut";
	}
	/* Idle: nothing after the last input + the threshold. */
	cap = max64(0, out->next.last_input_us + p->idle_threshold_us - start);
	if (credit > cap) {
		credit = cap;
		reason = "idle_cut";
	}
	/* Hidden: the visible part, plus hidden time up to what is left of the allowance. */
	if (hidden_us > 0) {
		int64_t allow = max64(0, p->hidden_threshold_us - l->hidden_used_us);
		int64_t hidden_credit = min64(hidden_us, allow);
		int64_t visible_part = len - hidden_us;
		if (credit > visible_part + hidden_credit) {
			credit = max64(0, visible_part + hidden_credit);
			reason = "hidden_cut";
		}
		out->next.hidden_used_us = l->hidden_used_us + hidden_credit;
	}
	if (in->visible && hidden_us == 0)
		out->next.hidden_used_us = 0; /* a new stretch starts when it is next hidden */
	credit = max64(0, credit);
	out->credited_us = credit;
	out->reason = credit == 0 && reason[0] == 'a' ? "overlap" : reason;
	out->next.active_us = l->active_us + credit;
}

bool lms_tot_flag(int64_t active_us, int64_t reported_us)
{
	int64_t d = active_us > reported_us ? active_us - reported_us : reported_us - active_us;
	int64_t big = active_us > reported_us ? active_us : reported_us;

	return d > 5LL * 60 * 1000000 && d * 2 > big;
}
