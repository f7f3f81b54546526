/* test_survey_report.c — the one suppression rule applied to a survey's results
 * (survey_report.h: unit and course groups as separate partitions, a whole under k hiding
 * everything, a named survey hiding nothing) and the HR report's survey section built from
 * results (reports.h, lms_rep_survey_build: lines, rates, Likert distributions and means
 * worked out by hand, no number in a hidden line). */
#include "support.h"

#include "lms/reports.h"
#include "lms/survey_report.h"

#include <string.h>

static lms_sv_group grp(char kind, int64_t id, const char *code, int64_t responses,
                        int64_t population)
{
	lms_sv_group g;

	memset(&g, 0, sizeof(g));
	g.kind = kind;
	g.id = id;
	g.code = code;
	g.name = code;
	g.responses = responses;
	g.population = population;
	return g;
}

static void units_and_courses_are_suppressed_apart(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_sv_group g[6];
	lms_sv_results res;
	lms_sv_shown sh;

	(void)state;
	/* units: own people 0, A 6, B 4, C 5 (15 in all); courses: X 12, Y 3 */
	g[0] = grp('d', 1, "SD", 0, 0);
	g[1] = grp('u', 2, "A", 6, 10);
	g[2] = grp('u', 3, "B", 4, 4);
	g[3] = grp('u', 4, "C", 5, 6);
	g[4] = grp('c', 9, "X", 12, 0);
	g[5] = grp('c', 8, "Y", 3, 0);
	memset(&res, 0, sizeof(res));
	res.all.kind = 'a';
	res.all.responses = 15;
	res.groups = g;
	res.n_groups = 6;
	lms_sv_results_suppress(true, &res, a, &sh);
	assert_int_equal(sh.k, 5);
	assert_false(sh.all_hidden);
	/* B (4) is small; the hidden part (4) is under 5, so the smallest unit shown, C (5), goes
	 * too: A stays; the empty own-people group is never hidden */
	assert_false(sh.hidden[0]);
	assert_false(sh.hidden[1]);
	assert_true(sh.hidden[2]);
	assert_int_equal(sh.why[2], 's');
	assert_true(sh.hidden[3]);
	assert_int_equal(sh.why[3], 'c');
	assert_int_equal(sh.why[1], 0);
	/* courses on their own: Y (3) small, X (12) the complement — not A or C */
	assert_true(sh.hidden[5]);
	assert_int_equal(sh.why[5], 's');
	assert_true(sh.hidden[4]);
	assert_int_equal(sh.why[4], 'c');

	/* courses listed before units: each group keeps its own flag, whatever the order */
	{
		lms_sv_group h[3] = { grp('c', 9, "X", 12, 0), grp('u', 2, "A", 3, 0), grp('u', 3, "B", 9, 0) };
		res.groups = h;
		res.n_groups = 3;
		lms_sv_results_suppress(true, &res, a, &sh);
		assert_false(sh.hidden[0]); /* the one course: nothing smaller than 5 */
		assert_true(sh.hidden[1]);
		assert_int_equal(sh.why[1], 's');
		assert_true(sh.hidden[2]);
		assert_int_equal(sh.why[2], 'c');
	}
	lms_arena_free(a);
}

static void a_small_whole_hides_everything_and_named_surveys_nothing(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_sv_group g[3];
	lms_sv_results res;
	lms_sv_shown sh;

	(void)state;
	g[0] = grp('u', 2, "A", 3, 10);
	g[1] = grp('u', 3, "B", 0, 4);
	g[2] = grp('c', 9, "X", 3, 0);
	memset(&res, 0, sizeof(res));
	res.all.responses = 3;
	res.groups = g;
	res.n_groups = 3;
	lms_sv_results_suppress(true, &res, a, &sh);
	assert_true(sh.all_hidden);
	assert_true(sh.hidden[0]);
	assert_false(sh.hidden[1]); /* 0: nothing to protect */
	assert_true(sh.hidden[2]);
	/* named: k 1, nothing hidden, not even a single response */
	lms_sv_results_suppress(false, &res, a, &sh);
	assert_int_equal(sh.k, 1);
	assert_false(sh.all_hidden);
	assert_false(sh.hidden[0] || sh.hidden[1] || sh.hidden[2]);
	/* nobody answered: nothing hidden, nothing to show */
	res.all.responses = 0;
	g[0].responses = 0;
	g[2].responses = 0;
	lms_sv_results_suppress(true, &res, a, &sh);
	assert_false(sh.all_hidden);
	assert_false(sh.hidden[0] || sh.hidden[2]);
	lms_arena_free(a);
}

static void counts_are_looked_up(void **state)
{
	lms_sv_count c[] = { { -1, 1, 4, 7 }, { 0, 1, 4, 2 }, { 0, 1, LMS_SV_ANSWERED, 3 },
		                 { 1, 2, 0, 5 } };
	lms_sv_results res;
	lms_sv_question q;
	int64_t dist[LMS_SV_OPTIONS_MAX];
	static const char *opts[] = { "a", "b", "c" };

	(void)state;
	memset(&res, 0, sizeof(res));
	res.counts = c;
	res.n_counts = 4;
	assert_int_equal(lms_sv_count_of(&res, -1, 1, 4), 7);
	assert_int_equal(lms_sv_count_of(&res, 0, 1, 4), 2);
	assert_int_equal(lms_sv_count_of(&res, 0, 1, LMS_SV_ANSWERED), 3);
	assert_int_equal(lms_sv_count_of(&res, 0, 1, 5), 0);
	/* a choice question counts options from 0, a Likert question points from 1 */
	memset(&q, 0, sizeof(q));
	q.id = 2;
	q.kind = LMS_SQ_SINGLE;
	q.options = opts;
	q.n_options = 3;
	lms_sv_dist(&res, 1, &q, dist);
	assert_int_equal(dist[0], 5);
	assert_int_equal(dist[1], 0);
	q.kind = LMS_SQ_LIKERT;
	lms_sv_dist(&res, 1, &q, dist);
	assert_int_equal(dist[0], 0);
}

/* A survey: 1 Likert (5 points), 2 free text, 3 Likert (3 points). */
static void make_survey(lms_survey *sv, lms_sv_question q[3])
{
	memset(sv, 0, sizeof(*sv));
	memset(q, 0, 3 * sizeof(*q));
	sv->code = "KS1";
	sv->title = "Khảo sát";
	sv->kind = LMS_SV_STANDALONE;
	sv->anonymous = true;
	q[0].id = 1;
	q[0].kind = LMS_SQ_LIKERT;
	q[0].points = 5;
	q[0].options = lms_sv_likert5_vi;
	q[0].n_options = 5;
	q[1].id = 2;
	q[1].kind = LMS_SQ_TEXT;
	q[2].id = 3;
	q[2].kind = LMS_SQ_LIKERT;
	q[2].points = 3;
	q[2].options = lms_sv_likert5_vi;
	q[2].n_options = 3;
	sv->questions = q;
	sv->n_questions = 3;
}

static void the_report_section_is_built(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_survey sv;
	lms_sv_question q[3];
	lms_sv_group g[3];
	lms_sv_results res;
	lms_rep_survey out;
	/* A (group 0): 6 responses, points 5 4 4 3 5 4; B (group 1): 4 responses, 1 2 2 5;
	 * C (group 2): 5 responses, 3 3 4 4 5 */
	lms_sv_count c[] = {
		{ -1, 1, 1, 1 }, { -1, 1, 2, 2 }, { -1, 1, 3, 3 }, { -1, 1, 4, 5 }, { -1, 1, 5, 4 },
		{ -1, 1, LMS_SV_ANSWERED, 15 },
		{ 0, 1, 3, 1 }, { 0, 1, 4, 3 }, { 0, 1, 5, 2 }, { 0, 1, LMS_SV_ANSWERED, 6 },
		{ 1, 1, 1, 1 }, { 1, 1, 2, 2 }, { 1, 1, 5, 1 }, { 1, 1, LMS_SV_ANSWERED, 4 },
		{ 2, 1, 3, 2 }, { 2, 1, 4, 2 }, { 2, 1, 5, 1 }, { 2, 1, LMS_SV_ANSWERED, 5 },
		{ -1, 2, LMS_SV_ANSWERED, 2 },
	};

	(void)state;
	make_survey(&sv, q);
	g[0] = grp('u', 2, "A", 6, 10);
	g[1] = grp('u', 3, "B", 4, 4);
	g[2] = grp('u', 4, "C", 5, 6);
	memset(&res, 0, sizeof(res));
	res.all.kind = 'a';
	res.all.responses = 15;
	res.all.population = 20;
	res.groups = g;
	res.n_groups = 3;
	res.counts = c;
	res.n_counts = sizeof(c) / sizeof(c[0]);
	lms_rep_survey_build(&sv, &res, a, &out);
	assert_int_equal(out.k, 5);
	/* only the Likert questions, in order: the free text is not in the report */
	assert_int_equal(out.n_likert, 2);
	assert_int_equal(out.likert[0]->id, 1);
	assert_int_equal(out.likert[1]->id, 3);
	/* the whole: 15 of 20 = 75 %, mean 54 / 15 = 3.6 */
	assert_false(out.all.hidden);
	assert_true(lms_rep_sv_rate(&out.all) == 75.0);
	assert_int_equal(out.all.q[0].answered, 15);
	assert_int_equal(out.all.q[0].dist[0], 1);
	assert_int_equal(out.all.q[0].dist[3], 5);
	assert_int_equal(out.all.q[0].dist[4], 4);
	assert_true(out.all.q[0].mean > 3.5999 && out.all.q[0].mean < 3.6001);
	/* question 3 answered by nobody: no mean */
	assert_int_equal(out.all.q[1].answered, 0);
	assert_true(out.all.q[1].mean < 0);
	/* lines: A shown (6 of 10 = 60 %, mean 25 / 6), B hidden (4), C hidden (complement) */
	assert_int_equal(out.n_lines, 3);
	assert_false(out.lines[0].hidden);
	assert_true(lms_rep_sv_rate(&out.lines[0]) == 60.0);
	assert_true(out.lines[0].q[0].mean > 4.1666 && out.lines[0].q[0].mean < 4.1667);
	assert_int_equal(out.lines[0].q[0].dist[2], 1);
	assert_true(out.lines[1].hidden);
	assert_int_equal(out.lines[1].why, 's');
	assert_null(out.lines[1].q);
	assert_true(lms_rep_sv_rate(&out.lines[1]) < 0);
	assert_true(out.lines[2].hidden);
	assert_int_equal(out.lines[2].why, 'c');
	assert_null(out.lines[2].q);
	assert_int_equal(out.lines[2].population, 6); /* the population is still said */
	lms_arena_free(a);
}

static void a_small_whole_gives_no_numbers_and_course_groups_are_no_lines(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_survey sv;
	lms_sv_question q[3];
	lms_sv_group g[3];
	lms_sv_results res;
	lms_rep_survey out;

	(void)state;
	make_survey(&sv, q);
	sv.kind = LMS_SV_COURSE;
	g[0] = grp('u', 2, "A", 2, 0);
	g[1] = grp('u', 3, "B", 0, 3);
	g[2] = grp('c', 9, "X", 2, 0);
	memset(&res, 0, sizeof(res));
	res.all.responses = 2;
	res.all.population = 0;
	res.groups = g;
	res.n_groups = 3;
	lms_rep_survey_build(&sv, &res, a, &out);
	assert_true(out.all.hidden);
	assert_null(out.all.q);
	assert_true(lms_rep_sv_rate(&out.all) < 0);
	assert_int_equal(out.n_lines, 2); /* the course group is not a line */
	assert_true(out.lines[0].hidden);
	assert_false(out.lines[1].hidden);
	assert_int_equal(out.lines[1].responses, 0);
	assert_true(lms_rep_sv_rate(&out.lines[1]) == 0.0);
	/* named: everything shown, k 0; no population known: no rate */
	sv.anonymous = false;
	lms_rep_survey_build(&sv, &res, a, &out);
	assert_int_equal(out.k, 0);
	assert_false(out.all.hidden);
	assert_true(lms_rep_sv_rate(&out.all) < 0);
	assert_false(out.lines[0].hidden);
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(units_and_courses_are_suppressed_apart),
		cmocka_unit_test(a_small_whole_hides_everything_and_named_surveys_nothing),
		cmocka_unit_test(counts_are_looked_up),
		cmocka_unit_test(the_report_section_is_built),
		cmocka_unit_test(a_small_whole_gives_no_numbers_and_course_groups_are_no_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
