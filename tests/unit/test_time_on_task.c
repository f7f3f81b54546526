/* test_time_on_task.c — crediting heartbeats (time_on_task.h): steady active beats, idle and
 * hidden cuts, long gaps, a lying client, two tabs sharing the learner's clock (never more
 * than wall-clock time), and the session-time flag. */
#include "support.h"

#include "lms/time_on_task.h"

#define S(x) ((int64_t)(x) * 1000000)
#define T0 S(1700000000)

static lms_tot_params params(void)
{
	lms_tot_params p;
	lms_tot_params_default(&p);
	return p;
}

static lms_tot_launch opened(int64_t at)
{
	lms_tot_launch l = {0};
	l.opened_us = at;
	return l;
}

/* Sends a beat at t and moves l and the clock on. */
static int64_t beat(const lms_tot_params *p, lms_tot_launch *l, int64_t *clock, int64_t t,
                    bool visible, int64_t idle_ms, int64_t hidden_ms, const char **reason)
{
	lms_tot_beat_in in = {visible, idle_ms, hidden_ms, false};
	lms_tot_beat_out o;

	lms_tot_beat(p, l, *clock, &in, t, &o);
	*l = o.next;
	*clock = o.clock_until_us;
	if (reason)
		*reason = o.reason;
	return o.credited_us;
}

static void steady_active(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch l = opened(T0);
	int64_t clock = 0, sum = 0;
	const char *why;

	for (int i = 1; i <= 20; i++)
		sum += beat(&p, &l, &clock, T0 + S(30 * i), true, 1000, 0, &why);
	assert_int_equal(sum, S(600));
	assert_int_equal(l.active_us, S(600));
	assert_string_equal(why, "active");
	assert_int_equal(l.beats, 20);
}

static void idle_is_cut(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch l = opened(T0);
	int64_t clock = 0, sum = 0;
	const char *why = NULL;

	/* Input at 10 s, then nothing for 20 minutes: credit stops 5 minutes after it. */
	sum += beat(&p, &l, &clock, T0 + S(30), true, 20000, 0, NULL);
	for (int i = 2; i <= 40; i++)
		sum += beat(&p, &l, &clock, T0 + S(30 * i), true, (30 * i - 10) * 1000, 0, &why);
	assert_int_equal(sum, S(10 + 300));
	assert_string_equal(why, "idle_cut");
	/* Input again: counting resumes. */
	assert_int_equal(beat(&p, &l, &clock, T0 + S(1230), true, 0, 0, &why), S(30));
}

static void hidden_is_cut(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch l = opened(T0);
	int64_t clock = 0, sum = 0;
	const char *why = NULL;

	sum += beat(&p, &l, &clock, T0 + S(30), true, 0, 0, NULL);
	/* Hidden for 10 minutes in 30 s beats: 60 s of it count. */
	for (int i = 2; i <= 21; i++)
		sum += beat(&p, &l, &clock, T0 + S(30 * i), false, 0, 30000, &why);
	assert_int_equal(sum, S(30 + 60));
	assert_string_equal(why, "hidden_cut");
	/* Visible again: a new hidden stretch later gets its allowance again. */
	sum += beat(&p, &l, &clock, T0 + S(660), true, 0, 0, NULL);
	assert_int_equal(sum, S(30 + 60 + 30));
	assert_int_equal(beat(&p, &l, &clock, T0 + S(690), false, 0, 30000, NULL), S(30));
}

static void gap_is_cut(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch l = opened(T0);
	int64_t clock = 0;
	const char *why;

	/* The laptop slept for an hour, and the client claims it was active all along. */
	assert_int_equal(beat(&p, &l, &clock, T0 + S(3600), true, 0, 0, &why), p.max_gap_us);
	assert_string_equal(why, "gap_cut");
}

static void lying_client_gets_wall_clock_at_most(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch l = opened(T0);
	int64_t clock = 0, sum = 0;

	/* Negative and absurd durations are clamped into the interval. */
	sum += beat(&p, &l, &clock, T0 + S(30), true, -5000, -7000, NULL);
	sum += beat(&p, &l, &clock, T0 + S(60), true, 0, (int64_t)1e12, NULL);
	sum += beat(&p, &l, &clock, T0 + S(90), true, (int64_t)1e12, 0, NULL);
	assert_true(sum <= S(90));
	assert_true(sum >= 0);
}

static void two_tabs_never_count_twice(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch a = opened(T0), b = opened(T0 + S(10));
	int64_t clock = 0, sum = 0;

	/* Both tabs beat every 30 s, 10 s apart, for 10 minutes of wall clock. */
	for (int i = 1; i <= 20; i++) {
		sum += beat(&p, &a, &clock, T0 + S(30 * i), true, 0, 0, NULL);
		sum += beat(&p, &b, &clock, T0 + S(10 + 30 * i), true, 0, 0, NULL);
	}
	assert_true(sum <= S(610));
	assert_int_equal(sum, S(610));
	assert_int_equal(a.active_us + b.active_us, sum);
}

static void overlap_reason(void **state)
{
	(void)state;
	lms_tot_params p = params();
	lms_tot_launch l = opened(T0);
	const char *why;
	int64_t clock = T0 + S(100); /* another tab counted up to 100 s */

	assert_int_equal(beat(&p, &l, &clock, T0 + S(30), true, 0, 0, &why), 0);
	assert_string_equal(why, "overlap");
	assert_int_equal(clock, T0 + S(100)); /* the clock never goes back */
}

static void flag_rule(void **state)
{
	(void)state;
	assert_false(lms_tot_flag(S(600), S(620)));
	assert_false(lms_tot_flag(S(60), S(200)));      /* differ by less than 5 minutes */
	assert_true(lms_tot_flag(S(600), S(3600)));     /* the SCO says an hour, we saw 10 min */
	assert_true(lms_tot_flag(S(3600), S(0)));
	assert_false(lms_tot_flag(S(3600), S(3000)));   /* 10 min off an hour: under half */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(steady_active),
		cmocka_unit_test(idle_is_cut),
		cmocka_unit_test(hidden_is_cut),
		cmocka_unit_test(gap_is_cut),
		cmocka_unit_test(lying_client_gets_wall_clock_at_most),
		cmocka_unit_test(two_tabs_never_count_twice),
		cmocka_unit_test(overlap_reason),
		cmocka_unit_test(flag_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
