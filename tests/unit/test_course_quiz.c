/* test_course_quiz.c — quizzes that count toward a course (course_quiz.h): the decision for
 * each grading method (highest, average, first, last) against the pass mark, an attempt waiting
 * for an essay grade, no attempts, practice quizzes that do not count, the evidence an auditor
 * reads, the definition check (only a quiz with a course counts), and the recheck after a
 * result doing nothing when the quiz does not count. */
#include "support.h"

#include "lms/assess_store.h"
#include "lms/course_quiz.h"

#include <string.h>

static lms_cq_attempt att(int64_t id, int no, double fraction, bool needs_manual)
{
	lms_cq_attempt a;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.attempt_no = no;
	a.submitted_us = 1000 * no;
	a.graded = true;
	a.needs_manual = needs_manual;
	a.fraction = fraction;
	a.passed = fraction >= 0.7;
	return a;
}

static lms_cq_quiz quiz(const char *code, lms_as_grading g, double pass, lms_cq_attempt *at,
                        size_t n)
{
	lms_cq_quiz q;

	memset(&q, 0, sizeof(q));
	q.id = 1;
	q.code = code;
	q.title = "Kiểm tra cuối khóa";
	q.status = LMS_AS_OPEN;
	q.counts = true;
	q.def.kind = LMS_AS_QUIZ;
	q.def.grading = g;
	q.def.pass_fraction = pass;
	q.attempts = at;
	q.n_attempts = n;
	return q;
}

static void no_attempts_is_not_passed(void **state)
{
	lms_cq_quiz q = quiz("CK", LMS_AS_GRADE_HIGHEST, 0.7, NULL, 0);
	lms_cq_verdict v;

	(void)state;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_false(v.has_grade);
	assert_false(v.waiting);
	assert_int_equal(v.decided_by, 0);
	assert_int_equal(v.counted, 0);
}

static void highest_takes_the_best_graded_attempt(void **state)
{
	lms_cq_attempt a[] = { att(11, 1, 0.4, false), att(12, 2, 0.8, false), att(13, 3, 0.8, false),
		               att(14, 4, 0.6, false) };
	lms_cq_quiz q = quiz("CK", LMS_AS_GRADE_HIGHEST, 0.7, a, 4);
	lms_cq_verdict v;

	(void)state;
	lms_cq_decide(&q, &v);
	assert_true(v.passed);
	assert_true(v.has_grade);
	assert_float_equal(v.fraction, 0.8, 1e-12);
	assert_int_equal(v.decided_by, 12); /* the first attempt that reached the best */
	assert_int_equal(v.counted, 4);
	/* a failed first attempt then a passed one: passed after the failure */
	q.n_attempts = 1;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_int_equal(v.decided_by, 11);
}

static void highest_leaves_a_waiting_attempt_out(void **state)
{
	lms_cq_attempt a[] = { att(21, 1, 0.5, false), att(22, 2, 0.25, true) };
	lms_cq_quiz q = quiz("CK", LMS_AS_GRADE_HIGHEST, 0.7, a, 2);
	lms_cq_verdict v;

	(void)state;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_true(v.waiting);       /* the essay may still raise the best */
	assert_int_equal(v.counted, 1);
	assert_int_equal(v.decided_by, 21);
	/* only a waiting attempt: no grade yet */
	q.attempts = &a[1];
	q.n_attempts = 1;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_false(v.has_grade);
	assert_true(v.waiting);
	/* once graded (a trainer's points), it counts */
	a[1].needs_manual = false;
	a[1].fraction = 0.9;
	lms_cq_decide(&q, &v);
	assert_true(v.passed);
	assert_false(v.waiting);
	assert_int_equal(v.decided_by, 22);
	/* a passed attempt decides even while another one waits */
	a[0] = att(23, 1, 0.75, false);
	a[1] = att(24, 2, 0.1, true);
	q.attempts = a;
	q.n_attempts = 2;
	lms_cq_decide(&q, &v);
	assert_true(v.passed);
	assert_false(v.waiting);
	assert_int_equal(v.decided_by, 23);
}

static void average_needs_every_attempt_graded(void **state)
{
	lms_cq_attempt a[] = { att(31, 1, 0.6, false), att(32, 2, 0.9, false), att(33, 3, 1.0, true) };
	lms_cq_quiz q = quiz("CK", LMS_AS_GRADE_AVERAGE, 0.75, a, 2);
	lms_cq_verdict v;

	(void)state;
	lms_cq_decide(&q, &v);
	assert_true(v.passed);         /* (0.6 + 0.9) / 2 = 0.75 reaches 75 % */
	assert_float_equal(v.fraction, 0.75, 1e-12);
	assert_int_equal(v.counted, 2);
	assert_int_equal(v.decided_by, 32);
	q.n_attempts = 3;              /* the third waits for an essay: nothing is decided */
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_true(v.waiting);
	assert_false(v.has_grade);
	q.n_attempts = 1;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_float_equal(v.fraction, 0.6, 1e-12);
}

static void first_and_last_take_one_attempt(void **state)
{
	lms_cq_attempt a[] = { att(41, 1, 0.5, false), att(42, 2, 1.0, false), att(43, 3, 0.3, false) };
	lms_cq_quiz q = quiz("CK", LMS_AS_GRADE_FIRST, 0.7, a, 3);
	lms_cq_verdict v;

	(void)state;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);        /* the first attempt failed: later ones do not count */
	assert_int_equal(v.decided_by, 41);
	assert_int_equal(v.counted, 1);
	q.def.grading = LMS_AS_GRADE_LAST;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);        /* the last failed, although the second passed */
	assert_int_equal(v.decided_by, 43);
	q.n_attempts = 2;
	lms_cq_decide(&q, &v);
	assert_true(v.passed);
	assert_int_equal(v.decided_by, 42);
	/* the attempt that decides waits for an essay: waiting, not passed */
	a[1].needs_manual = true;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_true(v.waiting);
	q.def.grading = LMS_AS_GRADE_FIRST;
	a[0].needs_manual = true;
	a[0].fraction = 0.9;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
	assert_true(v.waiting);
}

static void the_pass_mark_has_assess_tolerance(void **state)
{
	lms_cq_attempt a[] = { att(51, 1, 7.0 / 10.0, false) };
	lms_cq_quiz q = quiz("CK", LMS_AS_GRADE_HIGHEST, 0.7, a, 1);
	lms_cq_verdict v;

	(void)state;
	lms_cq_decide(&q, &v);
	assert_true(v.passed);
	a[0].fraction = 0.69;
	lms_cq_decide(&q, &v);
	assert_false(v.passed);
}

static void only_counting_quizzes_decide_the_course(void **state)
{
	lms_cq_attempt pass[] = { att(61, 1, 0.9, false) };
	lms_cq_attempt fail[] = { att(62, 1, 0.1, false) };
	lms_cq_quiz q[2];
	lms_cq_verdict v[2];
	size_t nc = 9;

	(void)state;
	q[0] = quiz("CK", LMS_AS_GRADE_HIGHEST, 0.7, pass, 1);
	q[1] = quiz("LUYEN-TAP", LMS_AS_GRADE_HIGHEST, 0.7, fail, 1);
	q[1].counts = false;
	assert_true(lms_cq_all_passed(q, 2, v, &nc));
	assert_int_equal(nc, 1);
	assert_false(v[1].passed); /* filled for the practice quiz too */
	q[1].counts = true;
	assert_false(lms_cq_all_passed(q, 2, NULL, &nc));
	assert_int_equal(nc, 2);
	assert_true(lms_cq_all_passed(q, 0, NULL, &nc));
	assert_int_equal(nc, 0);
}

static void the_evidence_names_the_deciding_attempt(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_cq_attempt at[] = { att(71, 1, 0.5, false), att(72, 2, 0.85, false), att(73, 3, 0.2, true) };
	lms_cq_quiz q[2];
	lms_cq_verdict v[2];
	lms_jsonw w;
	const char *j;

	(void)state;
	q[0] = quiz("CK-2025", LMS_AS_GRADE_HIGHEST, 0.7, at, 3);
	q[1] = quiz("LUYEN-TAP", LMS_AS_GRADE_HIGHEST, 0.7, NULL, 0);
	q[1].counts = false;
	lms_cq_all_passed(q, 2, v, NULL);
	lms_jsonw_init(&w, a);
	lms_cq_evidence_json(q, 2, v, &w);
	j = lms_jsonw_text(&w);
	assert_non_null(strstr(j, "\"code\":\"CK-2025\""));
	assert_non_null(strstr(j, "\"grading\":\"highest\""));
	assert_non_null(strstr(j, "\"passed\":true"));
	assert_non_null(strstr(j, "\"decided_by_attempt\":72"));
	assert_non_null(strstr(j, "{\"id\":73,\"no\":3,\"fraction\":0.20000000000000001,"
	                          "\"waiting\":true,\"counted\":false}"));
	assert_null(strstr(j, "LUYEN-TAP")); /* a practice quiz is not part of the rule */
	assert_int_equal(j[0], '[');
	lms_arena_free(a);
}

static void only_a_quiz_with_a_course_counts(void **state)
{
	int64_t fixed[] = { 5 };
	lms_assessment as;
	lms_err err;

	(void)state;
	memset(&as, 0, sizeof(as));
	as.code = "CK-1";
	as.title = "Kiểm tra cuối khóa";
	as.unit_code = "SNV";
	as.course_code = "5s-scorm12";
	as.counts_for_course = true;
	as.def.kind = LMS_AS_QUIZ;
	as.def.fixed = fixed;
	as.def.n_fixed = 1;
	as.def.pass_fraction = 0.7;
	as.def.grading = LMS_AS_GRADE_HIGHEST;
	memset(&err, 0, sizeof(err));
	assert_int_equal(lms_as_check(&as, &err), 0);
	as.course_code = NULL;
	assert_int_equal(lms_as_check(&as, &err), LMS_EINVAL);
	assert_string_equal(err.field, "counts_for_course");
	as.counts_for_course = false;
	assert_int_equal(lms_as_check(&as, &err), 0);
}

/* A store whose assess table says the attempt's quiz counts toward nothing. */
static int calls;
static int f_none(lms_store *s, int64_t attempt_id, int64_t *user_id, int64_t *enrolment_id,
                  lms_err *err)
{
	(void)s;
	(void)attempt_id;
	(void)err;
	calls++;
	*user_id = 7;
	*enrolment_id = 0;
	return 0;
}

static int f_fail(lms_store *s, int64_t attempt_id, int64_t *user_id, int64_t *enrolment_id,
                  lms_err *err)
{
	(void)s;
	(void)attempt_id;
	(void)user_id;
	(void)enrolment_id;
	calls++;
	return lms_err_set(err, LMS_EUNAVAIL, "db_unavailable", NULL, "down");
}

static void the_recheck_does_nothing_without_a_counting_quiz(void **state)
{
	static const lms_assess_ops none = { .course_quiz_enrolment = f_none };
	static const lms_assess_ops fail = { .course_quiz_enrolment = f_fail };
	static const lms_assess_ops empty = { .begin = NULL };
	lms_store_ops ops;
	lms_store s;
	lms_err err;

	(void)state;
	memset(&ops, 0, sizeof(ops));
	memset(&err, 0, sizeof(err));
	s.ops = &ops;
	s.impl = NULL;
	assert_int_equal(lms_cq_after_attempt(&s, 5, 1000, &err), 0); /* no assess table */
	ops.assess = &empty;
	assert_int_equal(lms_cq_after_attempt(&s, 5, 1000, &err), 0); /* no operation */
	ops.assess = &none;
	calls = 0;
	assert_int_equal(lms_cq_after_attempt(&s, 5, 1000, &err), 0);
	assert_int_equal(calls, 1);
	ops.assess = &fail;
	assert_int_equal(lms_cq_after_attempt(&s, 5, 1000, &err), LMS_EUNAVAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_attempts_is_not_passed),
		cmocka_unit_test(highest_takes_the_best_graded_attempt),
		cmocka_unit_test(highest_leaves_a_waiting_attempt_out),
		cmocka_unit_test(average_needs_every_attempt_graded),
		cmocka_unit_test(first_and_last_take_one_attempt),
		cmocka_unit_test(the_pass_mark_has_assess_tolerance),
		cmocka_unit_test(only_counting_quizzes_decide_the_course),
		cmocka_unit_test(the_evidence_names_the_deciding_attempt),
		cmocka_unit_test(only_a_quiz_with_a_course_counts),
		cmocka_unit_test(the_recheck_does_nothing_without_a_counting_quiz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
