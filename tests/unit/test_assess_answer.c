/* test_assess_answer.c — the pure pieces of quizzes and exams (assess_store.h,
 * lms-core/src/assess_answer.c): what an answer from a browser may be and its canonical
 * JSON, what each kind of slot accepts (the shape the save statement checks), the right
 * answers and the feedback in the positions a learner was shown, and the rule that an exam
 * shows nothing about scoring before its results are published. */
#include "support.h"

#include "lms/assess_store.h"

#include <stdio.h>
#include <string.h>

static const char GIFT[] =
	"::S::Chọn một.{=Đúng#FB-ĐÚNG ~Sai một#FB-SAI-1 ~Sai hai}\n\n"
	"::G::Ghép.{=Chuyên gia -> 50 =Lãnh đạo -> 20 = -> 100}\n\n"
	"::T::Đúng hay sai.{T#FB-KHI-SAI#FB-KHI-ĐÚNG}\n\n"
	"::A::Cơ quan?{=Sở Nội vụ =%50%Nội vụ}\n";

static lms_question *question(lms_arena *a, size_t i)
{
	lms_qset set;
	lms_qreport rep;
	lms_err err;

	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_parse(GIFT, strlen(GIFT), NULL, a, &set, &rep, &err), 0);
	assert_true(i < set.n);
	return set.items[i];
}

static void answers_are_checked(void **state)
{
	(void)state;
	lms_response r;
	lms_as_shape sh;
	lms_err err;
	size_t two[2] = { 3, 3 }, perm[3] = { 2, 0, 1 }, gap[3] = { 0, 1, 3 };
	lms_rpair pairs[2] = { { 1, 0 }, { 1, 2 } };

	memset(&r, 0, sizeof(r));
	assert_int_equal(lms_as_response_check(&r, &sh, &err), 0);
	assert_string_equal(sh.rkind, "none");
	r.kind = LMS_R_CHOICE;
	r.choice = 4;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), 0);
	assert_string_equal(sh.rkind, "choice");
	assert_int_equal(sh.a, 4);
	r.choice = LMS_Q_MAX_OPTIONS;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), LMS_EINVAL);
	assert_string_equal(err.code, "response_shape");
	assert_string_equal(err.field, "response");
	/* a position twice */
	r.kind = LMS_R_CHOICES;
	r.choices = two;
	r.n_choices = 2;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), LMS_EINVAL);
	/* an order must be every item once */
	r.kind = LMS_R_ORDER;
	r.order = perm;
	r.n_order = 3;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), 0);
	assert_int_equal(sh.count, 3);
	assert_int_equal(sh.a, 2);
	r.order = gap;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), LMS_EINVAL);
	/* a stem answered twice */
	r.kind = LMS_R_PAIRS;
	r.pairs = pairs;
	r.n_pairs = 2;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), LMS_EINVAL);
	pairs[1].stem = 0;
	assert_int_equal(lms_as_response_check(&r, &sh, &err), 0);
	assert_int_equal(sh.a, 1);
	assert_int_equal(sh.b, 2);
	/* text: UTF-8 only, within the essay cap */
	r.kind = LMS_R_TEXT;
	r.text = "Sở Nội vụ";
	assert_int_equal(lms_as_response_check(&r, &sh, &err), 0);
	assert_int_equal(sh.a, (int)strlen("Sở Nội vụ"));
	r.text = "S\xC3";
	assert_int_equal(lms_as_response_check(&r, &sh, &err), LMS_EINVAL);
}

static void canonical_json(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_response r;
	lms_jsonw w;
	size_t c[2] = { 2, 0 };
	lms_rpair p[1] = { { 1, 3 } };

	memset(&r, 0, sizeof(r));
	lms_jsonw_init(&w, a);
	lms_as_response_json(&r, &w);
	assert_string_equal(lms_jsonw_text(&w), "{}");
	r.kind = LMS_R_CHOICES;
	r.choices = c;
	r.n_choices = 2;
	lms_jsonw_init(&w, a);
	lms_as_response_json(&r, &w);
	assert_string_equal(lms_jsonw_text(&w), "{\"choices\":[2,0]}");
	r.kind = LMS_R_PAIRS;
	r.pairs = p;
	r.n_pairs = 1;
	lms_jsonw_init(&w, a);
	lms_as_response_json(&r, &w);
	assert_string_equal(lms_jsonw_text(&w), "{\"pairs\":[{\"stem\":1,\"choice\":3}]}");
	r.kind = LMS_R_TEXT;
	r.text = "a \"b\"";
	lms_jsonw_init(&w, a);
	lms_as_response_json(&r, &w);
	assert_string_equal(lms_jsonw_text(&w), "{\"text\":\"a \\\"b\\\"\"}");
	lms_arena_free(a);
}

static void slots_say_what_they_take(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qlayout l;
	lms_err err;
	const char *kind;
	int na, nb;
	lms_question *s = question(a, 0), *g = question(a, 1), *t = question(a, 2), *sa = question(a, 3);

	assert_int_equal(lms_question_layout(s, 7, a, &l, &err), 0);
	lms_as_slot_shape(s, &l, &kind, &na, &nb);
	assert_string_equal(kind, "choice");
	assert_int_equal(na, 3);
	assert_int_equal(nb, 0);
	assert_int_equal(lms_question_layout(g, 7, a, &l, &err), 0);
	lms_as_slot_shape(g, &l, &kind, &na, &nb);
	assert_string_equal(kind, "pairs");
	assert_int_equal(na, 2); /* two stems; the pair without one is a distractor */
	assert_int_equal(nb, 3);
	assert_int_equal(lms_question_layout(t, 7, a, &l, &err), 0);
	lms_as_slot_shape(t, &l, &kind, &na, &nb);
	assert_string_equal(kind, "bool");
	assert_int_equal(lms_question_layout(sa, 7, a, &l, &err), 0);
	lms_as_slot_shape(sa, &l, &kind, &na, &nb);
	assert_string_equal(kind, "text");
	assert_int_equal(na, LMS_Q_MAX_RESPONSE_SHORT + 1);
	lms_arena_free(a);
}

/* The key names the right option by the position it was shown at, whatever the layout. */
static void the_key_follows_the_layout(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *s = question(a, 0), *g = question(a, 1);
	lms_qlayout l;
	lms_jsonw w;
	lms_err err;
	char want[64];
	uint64_t seed;
	size_t p, shown_right = 0;

	for (seed = 1; seed < 40; seed++) {
		assert_int_equal(lms_question_layout(s, seed, a, &l, &err), 0);
		for (p = 0; p < l.n_options; p++)
			if (l.option_order[p] == 0) /* the stored index of "Đúng" */
				shown_right = p;
		lms_jsonw_init(&w, a);
		lms_as_key_json(s, &l, &w);
		snprintf(want, sizeof(want), "{\"options\":[{\"id\":%zu,\"share\":1}]}", shown_right);
		assert_string_equal(lms_jsonw_text(&w), want);
	}
	/* matching: each shown stem with the shown position of its answer */
	assert_int_equal(lms_question_layout(g, 3, a, &l, &err), 0);
	lms_jsonw_init(&w, a);
	lms_as_key_json(g, &l, &w);
	for (p = 0; p < l.n_stems; p++) {
		const char *answer = g->pairs[l.stem_order[p]].answer;
		size_t c;
		for (c = 0; c < l.n_choices && strcmp(g->pairs[l.choice_order[c]].answer, answer) != 0; c++)
			;
		snprintf(want, sizeof(want), "{\"stem\":%zu,\"choice\":%zu}", p, c);
		assert_non_null(strstr(lms_jsonw_text(&w), want));
	}
	lms_arena_free(a);
}

static void feedback_of_the_answer(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *s = question(a, 0), *t = question(a, 2);
	lms_response r;
	lms_jsonw w;

	memset(&r, 0, sizeof(r));
	r.kind = LMS_R_CHOICE;
	r.choice = 1; /* stored index: "Sai một" */
	lms_jsonw_init(&w, a);
	lms_as_feedback_json(s, &r, &w);
	assert_non_null(strstr(lms_jsonw_text(&w), "\"chosen\":[\"FB-SAI-1\"]"));
	assert_null(strstr(lms_jsonw_text(&w), "FB-ĐÚNG"));
	r.kind = LMS_R_BOOL;
	r.value = false;
	lms_jsonw_init(&w, a);
	lms_as_feedback_json(t, &r, &w);
	assert_non_null(strstr(lms_jsonw_text(&w), "FB-KHI-SAI"));
	/* unanswered: the general feedback only */
	lms_jsonw_init(&w, a);
	lms_as_feedback_json(t, NULL, &w);
	assert_non_null(strstr(lms_jsonw_text(&w), "\"chosen\":[]"));
	lms_arena_free(a);
}

static void exams_show_nothing_before_publication(void **state)
{
	(void)state;
	lms_as_def d;

	memset(&d, 0, sizeof(d));
	d.kind = LMS_AS_EXAM;
	d.closes_us = 1000;
	/* after the window closed, unpublished: nothing, whatever the rule says */
	assert_false(lms_as_may_see(&d, LMS_AS_SHOW_AFTER_CLOSE, 2000, false));
	assert_false(lms_as_may_see(&d, LMS_AS_SHOW_AFTER_SUBMIT, 2000, false));
	assert_true(lms_as_may_see(&d, LMS_AS_SHOW_AFTER_CLOSE, 2000, true));
	assert_false(lms_as_may_see(&d, LMS_AS_SHOW_NEVER, 2000, true));
	d.kind = LMS_AS_QUIZ;
	assert_true(lms_as_may_see(&d, LMS_AS_SHOW_AFTER_SUBMIT, 0, false));
	assert_true(lms_as_may_see(&d, LMS_AS_SHOW_AFTER_CLOSE, 2000, false));
	assert_false(lms_as_may_see(&d, LMS_AS_SHOW_AFTER_CLOSE, 500, false));
}

static void names_read_back(void **state)
{
	(void)state;
	lms_as_show s;
	lms_as_grading g;
	lms_as_kind k;
	unsigned i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(lms_as_show_parse(lms_as_show_name((lms_as_show)i), &s), 0);
		assert_int_equal(s, i);
	}
	for (i = 1; i < 5; i++) {
		assert_int_equal(lms_as_grading_parse(lms_as_grading_name((lms_as_grading)i), &g), 0);
		assert_int_equal(g, i);
	}
	assert_int_equal(lms_as_kind_parse("exam", &k), 0);
	assert_int_equal(k, LMS_AS_EXAM);
	assert_int_equal(lms_as_kind_parse("Exam", &k), LMS_EINVAL);
	assert_int_equal(lms_as_show_parse("later", &s), LMS_EINVAL);
	assert_string_equal(lms_as_status_name(LMS_AS_CLOSED), "closed");
}

/* A definition for storing: the codes, the caps, an exam's audience, then assess.h's rules. */
static void definitions_for_storing(void **state)
{
	(void)state;
	int64_t fixed[1] = { 7 };
	lms_as_audience au = { "SNV", NULL, 0, -1, 1 };
	const char *named[1] = { "NV 1" };
	lms_assessment as;
	lms_err err;

	memset(&as, 0, sizeof(as));
	as.code = "EXAM-1";
	as.title = "Kỳ sát hạch";
	as.unit_code = "SNV";
	as.def.kind = LMS_AS_EXAM;
	as.def.fixed = fixed;
	as.def.n_fixed = 1;
	as.def.max_attempts = 1;
	as.def.opens_us = 1;
	as.def.closes_us = 2;
	as.def.pass_fraction = 0.5;
	assert_int_equal(lms_as_check(&as, &err), LMS_EINVAL);
	assert_string_equal(err.field, "audience");
	as.audience = &au;
	as.n_audience = 1;
	assert_int_equal(lms_as_check(&as, &err), 0);
	as.named = named;
	as.n_named = 1;
	assert_int_equal(lms_as_check(&as, &err), LMS_EINVAL);
	assert_string_equal(err.field, "named");
	as.n_named = 0;
	as.code = "mã sai";
	assert_int_equal(lms_as_check(&as, &err), LMS_EINVAL);
	assert_string_equal(err.field, "code");
	as.code = "EXAM-1";
	as.course_code = "C1";
	assert_int_equal(lms_as_check(&as, &err), LMS_EINVAL);
	assert_string_equal(err.field, "course");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_are_checked),
		cmocka_unit_test(canonical_json),
		cmocka_unit_test(slots_say_what_they_take),
		cmocka_unit_test(the_key_follows_the_layout),
		cmocka_unit_test(feedback_of_the_answer),
		cmocka_unit_test(exams_show_nothing_before_publication),
		cmocka_unit_test(names_read_back),
		cmocka_unit_test(definitions_for_storing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
