/* test_assess.c — the rules of quizzes and exams (assess.h): definitions, drawing a paper
 * (reproducible from its seed, no question twice, categories with subcategories, a short bank
 * explained), the deadline on the server's clock, what a save may be, grading a paper with
 * points per slot and pass marks, grades across attempts, when scoring may be shown, ranks. */
#include "support.h"

#include "lms/assess.h"

#include <string.h>

#define MIN_US (INT64_C(60) * 1000000)

static const char *const tags_luat[] = { "luat" };

/* 30 questions: 10 per category, difficulties cycling, every third tagged "luat". */
static lms_as_candidate pool[30];

static void make_pool(void)
{
	static const char *const cats[] = { "CCHC/Thể chế", "CCHC/Thủ tục", "Chuyển đổi số" };
	for (int i = 0; i < 30; i++) {
		pool[i].question_id = 100 + i;
		pool[i].version_id = 1000 + i;
		pool[i].category = cats[i / 10];
		pool[i].difficulty = (lms_qdifficulty)(1 + i % 3);
		pool[i].tags = i % 3 == 0 ? tags_luat : NULL;
		pool[i].n_tags = i % 3 == 0 ? 1 : 0;
		pool[i].default_mark = 1;
	}
}

static lms_as_def exam_def(const lms_as_rule *rules, size_t n)
{
	lms_as_def d;

	memset(&d, 0, sizeof(d));
	d.kind = LMS_AS_EXAM;
	d.rules = rules;
	d.n_rules = n;
	d.max_attempts = 1;
	d.opens_us = 1000 * MIN_US;
	d.closes_us = 1120 * MIN_US;
	d.time_limit_us = 45 * MIN_US;
	d.pass_fraction = 0.7;
	d.shuffle_questions = true;
	d.show_score = LMS_AS_SHOW_AFTER_PUBLISH;
	d.show_answers = LMS_AS_SHOW_AFTER_PUBLISH;
	d.show_feedback = LMS_AS_SHOW_NEVER;
	return d;
}

static void definitions_are_checked(void **state)
{
	(void)state;
	lms_as_rule r = { "CCHC", LMS_QD_NONE, NULL, 5, 0 };
	lms_as_def d = exam_def(&r, 1);
	lms_err err;

	assert_int_equal(lms_as_def_check(&d, &err), 0);
	d.max_attempts = 2;
	assert_int_equal(lms_as_def_check(&d, &err), LMS_EINVAL);
	assert_string_equal(err.field, "max_attempts");
	d.max_attempts = 1;
	d.show_score = LMS_AS_SHOW_AFTER_SUBMIT;   /* an exam never shows a score before publication */
	assert_int_equal(lms_as_def_check(&d, &err), LMS_EINVAL);
	d.show_score = LMS_AS_SHOW_AFTER_PUBLISH;
	d.closes_us = d.opens_us;
	assert_int_equal(lms_as_def_check(&d, &err), LMS_EINVAL);
	assert_string_equal(err.field, "closes_at");
	d.closes_us = 1120 * MIN_US;
	d.pass_fraction = 1.5;
	assert_int_equal(lms_as_def_check(&d, &err), LMS_EINVAL);
}

static void a_paper_is_drawn_reproducibly_without_repeats(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_as_rule rules[2] = { { "CCHC", LMS_QD_NONE, NULL, 12, 2 },   /* both CCHC subcategories */
	                         { "Chuyển đổi số", LMS_QD_HARD, NULL, 3, 0 } };
	lms_as_def d = exam_def(rules, 2);
	lms_as_paper p1, p2, p3;
	lms_err err;
	bool seen[30] = { false };

	make_pool();
	assert_int_equal(lms_as_draw(&d, pool, 30, 42, a, &p1, &err), 0);
	assert_int_equal(p1.n_slots, 15);
	assert_true(p1.max_points == 12 * 2 + 3 * 1);
	for (size_t i = 0; i < p1.n_slots; i++) {
		int k = (int)(p1.slots[i].question_id - 100);
		assert_false(seen[k]);   /* never a question twice */
		seen[k] = true;
		assert_int_equal(p1.slots[i].version_id, 1000 + k);
		if (p1.slots[i].points == 1)   /* from rule 2: hard, digital transformation */
			assert_true(k >= 20 && pool[k].difficulty == LMS_QD_HARD);
		else
			assert_true(k < 20);
	}
	assert_int_equal(lms_as_draw(&d, pool, 30, 42, a, &p2, &err), 0);
	assert_memory_equal(p1.slots, p2.slots, p1.n_slots * sizeof(lms_as_slot)); /* same seed */
	assert_int_equal(lms_as_draw(&d, pool, 30, 43, a, &p3, &err), 0);
	assert_true(memcmp(p1.slots, p3.slots, p1.n_slots * sizeof(lms_as_slot)) != 0);
	lms_arena_free(a);
}

static void a_short_bank_is_explained(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_as_rule rules[2] = { { "CCHC/Thủ tục", LMS_QD_NONE, NULL, 8, 0 },
	                         { "CCHC", LMS_QD_NONE, "luat", 5, 0 } };
	lms_as_def d = exam_def(rules, 2);
	lms_as_paper p;
	lms_err err;

	make_pool();
	/* 20 CCHC questions of which 7 are tagged luat (0, 3, ..., 18): a rule asking for 8 of
	 * them cannot be filled, whatever rule 1 drew first. */
	rules[1].count = 8;
	assert_int_equal(lms_as_draw(&d, pool, 30, 1, a, &p, &err), LMS_EINVAL);
	assert_string_equal(err.code, "paper_short");
	assert_non_null(strstr(err.msg, "rule 2 asks for 8 question(s) of CCHC"));
	lms_arena_free(a);
}

static void the_deadline_is_the_earlier_of_limit_and_close(void **state)
{
	(void)state;
	lms_as_rule r = { NULL, LMS_QD_NONE, NULL, 1, 0 };
	lms_as_def d = exam_def(&r, 1);
	lms_err err;

	assert_int_equal(lms_as_deadline(&d, 1000 * MIN_US), 1045 * MIN_US);
	assert_int_equal(lms_as_deadline(&d, 1100 * MIN_US), 1120 * MIN_US); /* late start */
	assert_int_equal(lms_as_may_start(&d, 999 * MIN_US, 0, 0, &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "not_open");
	assert_int_equal(lms_as_may_start(&d, 1000 * MIN_US, 0, 0, &err), 0);
	assert_int_equal(lms_as_may_start(&d, 1001 * MIN_US, 1, 0, &err), LMS_ECONFLICT);
	assert_int_equal(lms_as_may_start(&d, 1001 * MIN_US, 1, 1, &err), 0); /* granted another */
	assert_int_equal(lms_as_may_start(&d, 1120 * MIN_US, 0, 0, &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "closed");
}

static void saves_are_checked(void **state)
{
	(void)state;
	lms_as_slot slots[3];
	lms_as_paper p = { slots, 3, 3 };
	int64_t dl = 1045 * MIN_US;
	bool stale;
	lms_err err;

	assert_int_equal(lms_as_check_save(&p, 2, dl - 1, dl, false, 5, 4, &stale, &err), 0);
	assert_false(stale);
	assert_int_equal(lms_as_check_save(&p, 3, dl - 1, dl, false, 5, 4, &stale, &err), LMS_EINVAL);
	assert_string_equal(err.code, "not_in_paper");
	assert_int_equal(lms_as_check_save(&p, 0, dl, dl, false, 5, 4, &stale, &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "deadline_passed");
	assert_int_equal(lms_as_check_save(&p, 0, dl - 1, dl, true, 5, 4, &stale, &err), LMS_ECONFLICT);
	assert_int_equal(lms_as_check_save(&p, 0, dl - 1, dl, false, 4, 4, &stale, &err), 0);
	assert_true(stale); /* a replay is ignored, not an error */
}

static lms_question *single(lms_arena *a, int right)
{
	lms_question *q = lms_question_new(a, LMS_Q_SINGLE);
	q->options = lms_arena_alloc(a, 3 * sizeof(lms_qoption));
	q->n_options = 3;
	for (int i = 0; i < 3; i++) {
		q->options[i].text.text = i == 0 ? "Một cửa" : i == 1 ? "Một cửa liên thông" : "Khác";
		q->options[i].feedback.text = "";
		q->options[i].fraction = i == right ? 1 : 0;
	}
	q->default_mark = 1;
	return q;
}

static void a_paper_is_graded_with_slot_points(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_as_rule r = { NULL, LMS_QD_NONE, NULL, 4, 0 };
	lms_as_def d = exam_def(&r, 1);
	lms_as_slot slots[4] = { { 1, 1, 2, 0 }, { 2, 2, 2, 0 }, { 3, 3, 3, 0 }, { 4, 4, 3, 0 } };
	lms_as_paper p = { slots, 4, 10 };
	const lms_question *qs[4] = { single(a, 0), single(a, 1), single(a, 2), single(a, 0) };
	lms_response right0 = { .kind = LMS_R_CHOICE, .choice = 0 }, right1 = { .kind = LMS_R_CHOICE, .choice = 1 },
	             wrong = { .kind = LMS_R_CHOICE, .choice = 1 }, bad = { .kind = LMS_R_TEXT, .text = "x" };
	const lms_response *rs[4] = { &right0, &right1, NULL, &right0 };
	lms_as_result res;
	lms_err err;

	assert_int_equal(lms_as_grade(&d, &p, qs, rs, a, &res, &err), 0);
	assert_true(res.points == 2 + 2 + 0 + 3);
	assert_true(res.fraction > 0.6999 && res.fraction < 0.7001);
	assert_true(res.passed);              /* exactly the 70 % pass mark */
	assert_int_equal(res.answered, 3);
	rs[3] = &wrong;
	assert_int_equal(lms_as_grade(&d, &p, qs, rs, a, &res, &err), 0);
	assert_false(res.passed);
	rs[3] = &bad;                         /* a wrong shape counts as wrong, never a crash */
	assert_int_equal(lms_as_grade(&d, &p, qs, rs, a, &res, &err), 0);
	assert_true(res.slots[3].points == 0);
	lms_arena_free(a);
}

static void attempts_review_and_ranks(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	double f[4] = { 0.5, 0.9, 0.7, 0.9 };
	int64_t t[4] = { 100, 300, 50, 200 };
	int rank[4];

	assert_true(lms_as_final_fraction(LMS_AS_GRADE_HIGHEST, f, 3) == 0.9);
	assert_true(lms_as_final_fraction(LMS_AS_GRADE_FIRST, f, 3) == 0.5);
	assert_true(lms_as_final_fraction(LMS_AS_GRADE_LAST, f, 3) == 0.7);
	assert_true(lms_as_final_fraction(LMS_AS_GRADE_AVERAGE, f, 2) == 0.7);
	assert_true(lms_as_final_fraction(LMS_AS_GRADE_HIGHEST, f, 0) == 0);

	assert_false(lms_as_may_show(LMS_AS_SHOW_AFTER_PUBLISH, 5, 1, false));
	assert_true(lms_as_may_show(LMS_AS_SHOW_AFTER_PUBLISH, 5, 1, true));
	assert_false(lms_as_may_show(LMS_AS_SHOW_AFTER_CLOSE, 5, 10, false));
	assert_true(lms_as_may_show(LMS_AS_SHOW_AFTER_CLOSE, 10, 10, false));
	assert_false(lms_as_may_show(LMS_AS_SHOW_NEVER, 10, 10, true));

	lms_as_rank(f, t, 4, a, rank);        /* 0.9 in 200 first, 0.9 in 300, 0.7, 0.5 */
	assert_int_equal(rank[3], 1);
	assert_int_equal(rank[1], 2);
	assert_int_equal(rank[2], 3);
	assert_int_equal(rank[0], 4);
	t[1] = 200;                           /* equal score and time share the rank: 1, 1, 3, 4 */
	lms_as_rank(f, t, 4, a, rank);
	assert_int_equal(rank[1], 1);
	assert_int_equal(rank[3], 1);
	assert_int_equal(rank[2], 3);
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(definitions_are_checked),
		cmocka_unit_test(a_paper_is_drawn_reproducibly_without_repeats),
		cmocka_unit_test(a_short_bank_is_explained),
		cmocka_unit_test(the_deadline_is_the_earlier_of_limit_and_close),
		cmocka_unit_test(saves_are_checked),
		cmocka_unit_test(a_paper_is_graded_with_slot_points),
		cmocka_unit_test(attempts_review_and_ranks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
