/* test_runtime.c — applying commits to an attempt's run-time state (runtime.h): batches that
 * mix valid and refused SetValues, dependency order inside one batch, the 2004 id rules,
 * counts derived from stored pairs, total_time accumulation over several sessions in both
 * versions, the entry/exit rules of the next session, and the size limits. */
#include "support.h"

#include "lms/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(x) (sizeof(x) / sizeof((x)[0]))

static void assert_sorted(const lms_rt_state *st)
{
	for (size_t i = 1; i < st->n; i++)
		assert_true(strcmp(st->pairs[i - 1].element, st->pairs[i].element) < 0);
}

static void batch_mixed_2004(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_rt_state empty = {0}, next;
	const lms_rt_change ch[] = {
		{"cmi.location", "page-3"},
		{"cmi.total_time", "PT1H"},               /* read-only */
		{"cmi.interactions.0.type", "choice"},    /* before its id */
		{"cmi.interactions.0.id", "q1"},
		{"cmi.interactions.0.type", "choice"},    /* now after its id, same batch */
		{"cmi.interactions.0.correct_responses.0.pattern", "a"},
		{"cmi.score.scaled", "2"},                /* out of range */
		{"cmi.interactions.2.id", "q3"},          /* index out of order */
		{"cmi.bogus", "1"},
		{"cmi.location", "page-4"},               /* replaces */
		{"cmi.comments_from_learner.0.comment", "hay"},
	};
	const int want[] = {0, 404, 408, 0, 0, 0, 407, 351, 401, 0, 0};
	int res[N(ch)];

	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &empty, ch, N(ch), a, &next, res, NULL), 0);
	for (size_t i = 0; i < N(ch); i++)
		assert_int_equal(res[i], want[i]);
	assert_int_equal(next.n, 5);
	assert_sorted(&next);
	assert_string_equal(lms_rt_get(&next, "cmi.location"), "page-4");
	assert_null(lms_rt_get(&next, "cmi.total_time"));
	assert_null(lms_rt_get(&next, "cmi.score.scaled"));
	assert_int_equal(next.counts.interactions, 1);
	assert_true(next.counts.interaction[0].has_id);
	assert_int_equal(next.counts.interaction[0].type, LMS_CMI_ITYPE_CHOICE);
	assert_int_equal(next.counts.interaction[0].correct_responses, 1);
	assert_int_equal(next.counts.interaction[0].objectives, 0);
	assert_int_equal(next.counts.objectives, 0);
	assert_int_equal(next.counts.comments_from_learner, 1);
	assert_int_equal(empty.n, 0); /* cur untouched */

	/* a second batch continues from the first one's counts */
	const lms_rt_change ch2[] = {
		{"cmi.interactions.1.id", "q2"},
		{"cmi.interactions.0.learner_response", "a"},
		{"cmi.interactions.3.id", "q4"},
	};
	const int want2[] = {0, 0, 351};
	int res2[N(ch2)];
	lms_rt_state next2;
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &next, ch2, N(ch2), a, &next2, res2, NULL), 0);
	for (size_t i = 0; i < N(ch2); i++)
		assert_int_equal(res2[i], want2[i]);
	assert_int_equal(next2.counts.interactions, 2);
	assert_int_equal(next.counts.interactions, 1);
	assert_int_equal(next2.n, 7);
	assert_sorted(&next2);
	lms_arena_free(a);
}

static void batch_mixed_12(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_rt_state next;
	const lms_rt_change ch[] = {
		{"cmi.core.lesson_status", "passed"},
		{"cmi.core.lesson_status", "not attempted"}, /* the LMS's value only */
		{"cmi.core.total_time", "0001:00:00"},       /* read-only */
		{"cmi.interactions.0.id", "q1"},
		{"cmi.interactions.1.id", "q2"},
		{"cmi.interactions.3.id", "q4"},             /* out of order */
		{"cmi.core._children", "x"},                 /* keyword */
		{"cmi.objectives.0.id", "o1"},
		{"cmi.objectives.0.id", "o2"},               /* 1.2 lets ids be rewritten */
		{"cmi.interactions.0.id", "q9"},
		{"cmi.core.score.raw", "101"},
	};
	const int want[] = {0, 405, 403, 0, 0, 201, 402, 0, 0, 0, 405};
	int res[N(ch)];

	assert_int_equal(lms_rt_apply(LMS_CMI_12, NULL, ch, N(ch), a, &next, res, NULL), 0);
	for (size_t i = 0; i < N(ch); i++)
		assert_int_equal(res[i], want[i]);
	assert_int_equal(next.counts.interactions, 2);
	assert_int_equal(next.counts.objectives, 1);
	assert_string_equal(lms_rt_get(&next, "cmi.objectives.0.id"), "o2");
	assert_string_equal(lms_rt_get(&next, "cmi.interactions.0.id"), "q9");
	assert_string_equal(lms_rt_get(&next, "cmi.core.lesson_status"), "passed");
	assert_int_equal(next.n, 4);
	lms_arena_free(a);
}

static void ids_2004(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	const lms_rt_pair stored[] = {
		{"cmi.objectives.0.id", "o1"},
		{"cmi.interactions.0.id", "q1"},
	};
	lms_rt_state cur, next;
	const lms_rt_change ch[] = {
		{"cmi.interactions.0.id", "q1"},                 /* same value: allowed */
		{"cmi.interactions.0.id", "q2"},                 /* change */
		{"cmi.objectives.1.id", "o1"},                   /* duplicate of objective 0 */
		{"cmi.objectives.1.id", "o2"},
		{"cmi.objectives.0.id", "o2"},                   /* change (and duplicate) */
		{"cmi.objectives.1.id", "o2"},                   /* same value again */
		{"cmi.interactions.0.objectives.0.id", "o1"},
		{"cmi.interactions.0.objectives.1.id", "o1"},    /* duplicate in the interaction */
		{"cmi.interactions.0.objectives.1.id", "o2"},
		{"cmi.interactions.1.id", "q1"},                 /* interaction ids may repeat */
	};
	const int want[] = {0, 351, 351, 0, 351, 0, 0, 351, 0, 0};
	int res[N(ch)];

	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, stored, N(stored), a, &cur, NULL), 0);
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &cur, ch, N(ch), a, &next, res, NULL), 0);
	for (size_t i = 0; i < N(ch); i++)
		assert_int_equal(res[i], want[i]);
	assert_string_equal(lms_rt_get(&next, "cmi.interactions.0.id"), "q1");
	assert_string_equal(lms_rt_get(&next, "cmi.objectives.0.id"), "o1");
	assert_string_equal(lms_rt_get(&next, "cmi.objectives.1.id"), "o2");
	assert_int_equal(next.counts.objectives, 2);
	assert_int_equal(next.counts.interactions, 2);
	assert_int_equal(next.counts.interaction[0].objectives, 2);
	lms_arena_free(a);
}

static void counts_from_load(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	char el[32][64];
	lms_rt_pair p[40];
	size_t n = 0;
	lms_rt_state st;
	lms_err err;

	/* interactions 0..11 stored in reverse (10 and 11 sort before 2 as strings) */
	for (int i = 11; i >= 0; i--) {
		snprintf(el[i], sizeof el[i], "cmi.interactions.%d.id", i);
		p[n++] = (lms_rt_pair){el[i], "q"};
	}
	p[n++] = (lms_rt_pair){"cmi.interactions.3.type", "numeric"};
	p[n++] = (lms_rt_pair){"cmi.interactions.3.correct_responses.0.pattern", "1[:]2"};
	p[n++] = (lms_rt_pair){"cmi.interactions.3.objectives.1.id", "b"};
	p[n++] = (lms_rt_pair){"cmi.interactions.3.objectives.0.id", "a"};
	p[n++] = (lms_rt_pair){"cmi.objectives.1.score.raw", "5"};
	p[n++] = (lms_rt_pair){"cmi.objectives.0.id", "o"};
	p[n++] = (lms_rt_pair){"cmi.comments_from_learner.0.comment", "x"};
	p[n++] = (lms_rt_pair){"cmi.suspend_data", "abc"};
	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, p, n, a, &st, NULL), 0);
	assert_int_equal(st.n, n);
	assert_sorted(&st);
	assert_int_equal(st.counts.interactions, 12);
	assert_int_equal(st.counts.interaction[3].type, LMS_CMI_ITYPE_NUMERIC);
	assert_int_equal(st.counts.interaction[3].objectives, 2);
	assert_int_equal(st.counts.interaction[3].correct_responses, 1);
	assert_int_equal(st.counts.interaction[4].type, LMS_CMI_ITYPE_UNSET);
	assert_true(st.counts.interaction[11].has_id);
	assert_int_equal(st.counts.objectives, 2);
	assert_true(st.counts.objective[0].has_id);
	assert_false(st.counts.objective[1].has_id);
	assert_int_equal(st.counts.comments_from_learner, 1);
	assert_string_equal(lms_rt_get(&st, "cmi.suspend_data"), "abc");
	assert_null(lms_rt_get(&st, "cmi.location"));

	/* the derived counts are what the validator sees: 12 appends, 13 is out of order */
	const lms_rt_change ch[] = {{"cmi.interactions.13.id", "z"},
	                            {"cmi.interactions.12.id", "z"},
	                            {"cmi.objectives.1.id", "o1"},
	                            {"cmi.interactions.3.correct_responses.1.pattern", "3"}};
	int res[N(ch)];
	lms_rt_state next;
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &st, ch, N(ch), a, &next, res, NULL), 0);
	assert_int_equal(res[0], 351);
	assert_int_equal(res[1], 0);
	assert_int_equal(res[2], 0);
	assert_int_equal(res[3], 351); /* numeric has one pattern */

	/* a duplicate element, a gap, an unknown version */
	lms_rt_pair dup[] = {{"cmi.location", "a"}, {"cmi.suspend_data", ""}, {"cmi.location", "b"}};
	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, dup, 3, a, &st, &err), LMS_EINVAL);
	lms_rt_pair gap[] = {{"cmi.interactions.0.id", "a"}, {"cmi.interactions.2.id", "c"}};
	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, gap, 2, a, &st, &err), LMS_EINVAL);
	lms_rt_pair far[] = {{"cmi.objectives.7.id", "a"}};
	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, far, 1, a, &st, &err), LMS_EINVAL);
	lms_rt_pair cgap[] = {{"cmi.comments_from_learner.1.comment", "a"}, {"cmi.location", ""}};
	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, cgap, 2, a, &st, &err), LMS_EINVAL);
	assert_int_equal(lms_rt_state_load((lms_cmi_version)7, NULL, 0, a, &st, &err), LMS_EINVAL);
	assert_int_equal(lms_rt_state_load(LMS_CMI_12, NULL, 0, a, &st, NULL), 0);
	assert_int_equal(st.n, 0);
	assert_int_equal(st.counts.interactions, 0);
	lms_arena_free(a);
}

/* One session: apply session_time (and exit), then finish. Returns the session's cs. */
static int64_t session(lms_cmi_version v, lms_rt_state *st, const char *stime, lms_arena *a)
{
	lms_rt_change ch[] = {
		{v == LMS_CMI_12 ? "cmi.core.session_time" : "cmi.session_time", stime},
		{v == LMS_CMI_12 ? "cmi.core.exit" : "cmi.exit", "suspend"},
	};
	int res[2];
	int64_t cs = -1;
	lms_rt_state mid;

	assert_int_equal(lms_rt_apply(v, st, ch, 2, a, &mid, res, NULL), 0);
	assert_int_equal(res[0], 0);
	assert_int_equal(res[1], 0);
	assert_int_equal(lms_rt_finish(v, &mid, a, st, &cs, NULL), 0);
	assert_null(lms_rt_get(st, ch[0].element));
	return cs;
}

static void total_time_12(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_rt_state st = {0}, again;
	int64_t cs = -1;

	assert_int_equal(session(LMS_CMI_12, &st, "0000:59:59.99", a), 359999);
	assert_string_equal(lms_rt_get(&st, "cmi.core.total_time"), "0000:59:59.99");
	assert_int_equal(session(LMS_CMI_12, &st, "0000:00:00.02", a), 2);
	assert_string_equal(lms_rt_get(&st, "cmi.core.total_time"), "0001:00:00.01");
	assert_int_equal(session(LMS_CMI_12, &st, "12:30:00", a), 4500000);
	assert_string_equal(lms_rt_get(&st, "cmi.core.total_time"), "0013:30:00.01");
	/* finishing twice adds nothing the second time */
	assert_int_equal(lms_rt_finish(LMS_CMI_12, &st, a, &again, &cs, NULL), 0);
	assert_int_equal(cs, 0);
	assert_string_equal(lms_rt_get(&again, "cmi.core.total_time"), "0013:30:00.01");
	/* saturation at the largest CMITimespan */
	assert_int_equal(session(LMS_CMI_12, &st, "9999:00:00", a), INT64_C(3599640000));
	assert_string_equal(lms_rt_get(&st, "cmi.core.total_time"), "9999:59:59.99");
	/* a first session without session_time still writes the total */
	lms_rt_state empty = {0};
	assert_int_equal(lms_rt_finish(LMS_CMI_12, &empty, a, &again, NULL, NULL), 0);
	assert_string_equal(lms_rt_get(&again, "cmi.core.total_time"), "0000:00:00.00");
	/* a damaged stored total is refused */
	lms_rt_pair bad[] = {{"cmi.core.total_time", "soon"}};
	lms_err err;
	assert_int_equal(lms_rt_state_load(LMS_CMI_12, bad, 1, a, &st, NULL), 0);
	assert_int_equal(lms_rt_finish(LMS_CMI_12, &st, a, &again, NULL, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void total_time_2004(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_rt_state st = {0}, again;
	int64_t cs = 0;

	assert_int_equal(session(LMS_CMI_2004, &st, "PT30M", a), 180000);
	assert_true(lms_cmi_parse_duration(lms_rt_get(&st, "cmi.total_time"), &cs));
	assert_int_equal(cs, 180000);
	assert_int_equal(session(LMS_CMI_2004, &st, "PT45M30.5S", a), 273050);
	assert_string_equal(lms_rt_get(&st, "cmi.total_time"), "PT1H15M30.50S");
	assert_int_equal(session(LMS_CMI_2004, &st, "P1DT0.01S", a), 8640001);
	assert_true(lms_cmi_parse_duration(lms_rt_get(&st, "cmi.total_time"), &cs));
	assert_int_equal(cs, 180000 + 273050 + 8640001);
	/* total_time stays read-only for the SCO */
	const lms_rt_change ch[] = {{"cmi.total_time", "PT0S"}};
	int res[1];
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &st, ch, 1, a, &again, res, NULL), 0);
	assert_int_equal(res[0], 404);
	assert_int_equal(lms_rt_finish(LMS_CMI_2004, &st, a, &again, &cs, NULL), 0);
	assert_int_equal(cs, 0);
	assert_string_equal(lms_rt_get(&again, "cmi.total_time"), lms_rt_get(&st, "cmi.total_time"));
	lms_rt_state empty = {0};
	assert_int_equal(lms_rt_finish(LMS_CMI_2004, &empty, a, &again, NULL, NULL), 0);
	assert_true(lms_cmi_parse_duration(lms_rt_get(&again, "cmi.total_time"), &cs));
	assert_int_equal(cs, 0);
	lms_arena_free(a);
}

static lms_rt_entry entry_after(lms_cmi_version v, const char *el, const char *val,
                                lms_arena *a, lms_rt_state *begun)
{
	lms_rt_state st = {0}, mid, last;
	lms_rt_change ch[] = {
		{v == LMS_CMI_12 ? "cmi.core.lesson_location" : "cmi.location", "p7"},
		{"cmi.suspend_data", "state"},
		{v == LMS_CMI_12 ? "cmi.core.session_time" : "cmi.session_time",
		 v == LMS_CMI_12 ? "00:10:00" : "PT10M"},
		{el, val},
	};
	int res[N(ch)];
	lms_rt_entry e = 0;

	assert_int_equal(lms_rt_apply(v, &st, ch, el ? N(ch) : N(ch) - 1, a, &mid, res, NULL), 0);
	assert_int_equal(lms_rt_finish(v, &mid, a, &last, NULL, NULL), 0);
	assert_int_equal(lms_rt_begin(v, &last, a, begun, &e, NULL), 0);
	assert_int_equal(e, lms_rt_next_entry(v, &last));
	return e;
}

static void entry_rules(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_rt_state b;

	/* 1.2 */
	assert_int_equal(entry_after(LMS_CMI_12, "cmi.core.exit", "suspend", a, &b), LMS_RT_RESUME);
	assert_string_equal(lms_rt_get(&b, "cmi.core.entry"), "resume");
	assert_string_equal(lms_rt_get(&b, "cmi.suspend_data"), "state");
	assert_string_equal(lms_rt_get(&b, "cmi.core.lesson_location"), "p7");
	assert_string_equal(lms_rt_get(&b, "cmi.core.total_time"), "0000:10:00.00");
	assert_null(lms_rt_get(&b, "cmi.core.exit"));
	assert_null(lms_rt_get(&b, "cmi.core.session_time"));
	assert_int_equal(entry_after(LMS_CMI_12, "cmi.core.exit", "logout", a, &b),
	                 LMS_RT_AB_INITIO);
	assert_int_equal(b.n, 1);
	assert_string_equal(lms_rt_get(&b, "cmi.core.entry"), "ab-initio");
	assert_int_equal(entry_after(LMS_CMI_12, "cmi.core.exit", "", a, &b), LMS_RT_AB_INITIO);
	assert_int_equal(entry_after(LMS_CMI_12, "cmi.core.exit", "time-out", a, &b),
	                 LMS_RT_AB_INITIO);
	assert_int_equal(entry_after(LMS_CMI_12, NULL, NULL, a, &b), LMS_RT_AB_INITIO);

	/* 2004 */
	assert_int_equal(entry_after(LMS_CMI_2004, "cmi.exit", "suspend", a, &b), LMS_RT_RESUME);
	assert_string_equal(lms_rt_get(&b, "cmi.entry"), "resume");
	assert_string_equal(lms_rt_get(&b, "cmi.location"), "p7");
	assert_string_equal(lms_rt_get(&b, "cmi.suspend_data"), "state");
	assert_null(lms_rt_get(&b, "cmi.exit"));
	assert_int_equal(entry_after(LMS_CMI_2004, "adl.nav.request", "suspendAll", a, &b),
	                 LMS_RT_RESUME);
	assert_null(lms_rt_get(&b, "adl.nav.request"));
	assert_int_equal(entry_after(LMS_CMI_2004, "cmi.exit", "normal", a, &b), LMS_RT_AB_INITIO);
	assert_int_equal(b.n, 1);
	assert_string_equal(lms_rt_get(&b, "cmi.entry"), "ab-initio");
	assert_int_equal(b.counts.interactions, 0);
	assert_int_equal(entry_after(LMS_CMI_2004, "cmi.exit", "", a, &b), LMS_RT_AB_INITIO);
	assert_int_equal(entry_after(LMS_CMI_2004, "cmi.exit", "logout", a, &b), LMS_RT_AB_INITIO);
	assert_int_equal(entry_after(LMS_CMI_2004, "adl.nav.request", "continue", a, &b),
	                 LMS_RT_AB_INITIO);
	assert_int_equal(lms_rt_next_entry(LMS_CMI_2004, NULL), LMS_RT_AB_INITIO);

	/* a resumed attempt keeps its collections for the next commit */
	lms_rt_state st = {0}, mid, last, begun, next;
	const lms_rt_change c1[] = {{"cmi.interactions.0.id", "q"}, {"cmi.exit", "suspend"}};
	const lms_rt_change c2[] = {{"cmi.interactions.0.type", "other"}};
	int res[2];
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &st, c1, 2, a, &mid, res, NULL), 0);
	assert_int_equal(lms_rt_finish(LMS_CMI_2004, &mid, a, &last, NULL, NULL), 0);
	assert_int_equal(lms_rt_begin(LMS_CMI_2004, &last, a, &begun, NULL, NULL), 0);
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &begun, c2, 1, a, &next, res, NULL), 0);
	assert_int_equal(res[0], 0);
	lms_arena_free(a);
}

static void limits(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	size_t n = LMS_RT_MAX_PAIRS + 2;
	lms_rt_change *ch = calloc(n, sizeof *ch);
	char (*el)[64] = calloc(n, sizeof *el);
	int *res = calloc(n, sizeof *res);
	lms_rt_state st = {0}, next;
	lms_err err;

	assert_non_null(ch);
	assert_non_null(el);
	assert_non_null(res);
	for (size_t i = 0; i < n; i++) {
		snprintf(el[i], sizeof el[i], "cmi.comments_from_learner.%zu.location", i);
		ch[i] = (lms_rt_change){el[i], "x"};
	}
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &st, ch, n, a, &next, res, NULL), 0);
	assert_int_equal(res[LMS_RT_MAX_PAIRS - 1], 0);
	assert_int_equal(res[LMS_RT_MAX_PAIRS], 351);
	assert_int_equal(res[LMS_RT_MAX_PAIRS + 1], 351); /* and the order rule follows */
	assert_int_equal(next.n, LMS_RT_MAX_PAIRS);
	assert_int_equal(next.counts.comments_from_learner, LMS_RT_MAX_PAIRS);
	/* replacing a value still works when full */
	const lms_rt_change one[] = {{"cmi.comments_from_learner.0.location", "y"}};
	lms_rt_state full;
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &next, one, 1, a, &full, res, NULL), 0);
	assert_int_equal(res[0], 0);
	/* a stored state over the limit does not load */
	assert_int_equal(lms_rt_state_load(LMS_CMI_2004, (const lms_rt_pair *)ch, n, a, &st, &err),
	                 LMS_ETOOBIG);

	/* the byte limit: 2004 comments of 4,000 characters; about 1,048 fit in 4 MiB */
	char *big = malloc(4001);
	assert_non_null(big);
	memset(big, 'a', 4000);
	big[4000] = '\0';
	for (size_t i = 0; i < 1100; i++) {
		snprintf(el[i], sizeof el[i], "cmi.comments_from_learner.%zu.comment", i);
		ch[i] = (lms_rt_change){el[i], big};
	}
	lms_rt_state s2 = {0}, n2;
	assert_int_equal(lms_rt_apply(LMS_CMI_2004, &s2, ch, 1100, a, &n2, res, NULL), 0);
	size_t first = 0;
	while (first < 1100 && res[first] == 0)
		first++;
	assert_true(first > 1000 && first < 1100);
	assert_int_equal(res[first], 351);
	assert_true(n2.bytes <= LMS_RT_MAX_BYTES);
	assert_true(n2.bytes + 4000 + strlen(el[first]) > LMS_RT_MAX_BYTES);
	assert_int_equal(n2.n, first);
	/* the same in 1.2 answers 101 (general): suspend_data can still be replaced by less */
	lms_rt_state s3 = {0}, n3;
	const lms_rt_change sd[] = {{"cmi.suspend_data", big}, {"cmi.comments", "c"}};
	assert_int_equal(lms_rt_apply(LMS_CMI_12, &s3, sd, 2, a, &n3, res, NULL), 0);
	assert_int_equal(res[0], 0);
	assert_int_equal(res[1], 0);
	free(big);
	free(res);
	free(el);
	free(ch);
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_mixed_2004),
		cmocka_unit_test(batch_mixed_12),
		cmocka_unit_test(ids_2004),
		cmocka_unit_test(counts_from_load),
		cmocka_unit_test(total_time_12),
		cmocka_unit_test(total_time_2004),
		cmocka_unit_test(entry_rules),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
