/* test_question.c — the question model (question.h): the rules of lms_question_check,
 * grading of every type (partial credit, short-answer comparison with diacritics and case on
 * and off, numerical input with "," or "."), responses of the wrong shape, the learner's view
 * without keys and the mapping of shown positions back to stored indexes, the problem table
 * and the small helpers (numbers, categories, pseudo-tags). */
#include "support.h"

#include "lms/question.h"

#include <math.h>
#include <string.h>

/* ---- building questions ---- */

static lms_qtext T(const char *s)
{
	lms_qtext t;

	memset(&t, 0, sizeof(t));
	t.text = s;
	t.format = LMS_QF_HTML;
	return t;
}

static lms_question *choice_q(lms_arena *a, lms_qtype type, size_t n, const char *const *texts,
                              const double *fractions)
{
	lms_question *q = lms_question_new(a, type);
	size_t i;

	q->name = "Chỉ tiêu";
	q->text = T("Theo Đề án 2709, chỉ tiêu nào đúng?");
	q->options = lms_arena_alloc(a, n * sizeof(lms_qoption));
	q->n_options = n;
	for (i = 0; i < n; i++) {
		q->options[i].text = T(texts[i]);
		q->options[i].fraction = fractions[i];
		q->options[i].feedback = T("PHAN_HOI_RIENG");
	}
	q->general_feedback = T("PHAN_HOI_CHUNG");
	return q;
}

static lms_question *short_q(lms_arena *a, const char *answer)
{
	static const double one = 1.0;
	const char *texts[1];
	lms_question *q;

	texts[0] = answer;
	q = choice_q(a, LMS_Q_SHORT, 1, texts, &one);
	q->options[0].text.format = LMS_QF_MOODLE;
	return q;
}

static lms_question *numerical_q(lms_arena *a)
{
	lms_question *q = lms_question_new(a, LMS_Q_NUMERICAL);

	q->name = "Tỉ lệ hài lòng";
	q->text = T("Tỉ lệ hài lòng năm 2020 là bao nhiêu phần trăm?");
	q->numerics = lms_arena_alloc(a, 3 * sizeof(lms_qnumeric));
	q->n_numerics = 3;
	q->numerics[0].value = 3.5;
	q->numerics[0].tolerance = 0.1;
	q->numerics[0].fraction = 1.0;
	q->numerics[1].value = 3.5;
	q->numerics[1].tolerance = 1.0;
	q->numerics[1].fraction = 0.5;
	q->numerics[2].any = true;
	q->numerics[2].fraction = 0;
	q->numerics[2].feedback = T("Chưa đúng");
	return q;
}

static lms_question *matching_q(lms_arena *a)
{
	lms_question *q = lms_question_new(a, LMS_Q_MATCHING);

	q->name = "Ghép chỉ tiêu";
	q->text = T("Ghép chỉ tiêu với con số.");
	q->pairs = lms_arena_alloc(a, 4 * sizeof(lms_qpair));
	q->n_pairs = 4;
	q->pairs[0].stem = T("Chuyên gia cải cách hành chính");
	q->pairs[0].answer = "50";
	q->pairs[1].stem = T("Công chức quy hoạch lãnh đạo");
	q->pairs[1].answer = "20";
	q->pairs[2].stem = T("Lớp bồi dưỡng ở nước ngoài");
	q->pairs[2].answer = "05";
	q->pairs[3].stem = T("");
	q->pairs[3].answer = "100"; /* a distractor */
	return q;
}

static lms_question *ordering_q(lms_arena *a, size_t n)
{
	static const char *const items[] = { "Cải cách thể chế", "Cải cách thủ tục hành chính",
		                             "Cải cách tổ chức bộ máy", "Cải cách chế độ công vụ",
		                             "Cải cách tài chính công" };
	lms_question *q = lms_question_new(a, LMS_Q_ORDERING);
	size_t i;

	q->name = "Thứ tự lĩnh vực";
	q->text = T("Sắp xếp các lĩnh vực theo thứ tự của Đề án.");
	q->items = lms_arena_alloc(a, n * sizeof(lms_qtext));
	q->n_items = n;
	for (i = 0; i < n; i++)
		q->items[i] = T(items[i]);
	return q;
}

static double grade_ok(const lms_question *q, const lms_response *r, lms_grade *g)
{
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_question_check(q, NULL, &err), 0);
	assert_int_equal(lms_question_grade(q, r, g, &err), 0);
	return g->fraction;
}

static int grade_rc(const lms_question *q, const lms_response *r, lms_err *err)
{
	lms_grade g;

	lms_err_clear(err);
	return lms_question_grade(q, r, &g, err);
}

static double grade_text(const lms_question *q, const char *text)
{
	lms_response r = { .kind = LMS_R_TEXT, .text = text };
	lms_grade g;

	return grade_ok(q, &r, &g);
}

/* ---- grading ---- */

static void single_choice(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const char *const t[] = { "50", "20", "05" };
	static const double f[] = { 1.0, 0.5, -0.5 };
	lms_question *q = choice_q(a, LMS_Q_SINGLE, 3, t, f);
	lms_response r = { .kind = LMS_R_CHOICE, .choice = 0 };
	lms_grade g;
	lms_err err;

	q->default_mark = 2;
	assert_true(grade_ok(q, &r, &g) == 1.0);
	assert_true(g.points == 2.0 && g.max_points == 2.0 && g.graded && !g.needs_manual);
	assert_int_equal(g.parts[0], LMS_PART_RIGHT);
	r.choice = 1;
	assert_true(fabs(grade_ok(q, &r, &g) - 0.5) < 1e-12);
	assert_int_equal(g.parts[1], LMS_PART_PARTIAL);
	assert_int_equal(g.parts[0], LMS_PART_MISSED);
	r.choice = 2; /* a negative option in a single choice gives 0, not less */
	assert_true(grade_ok(q, &r, &g) == 0.0);
	assert_int_equal(g.parts[2], LMS_PART_WRONG);
	r.kind = LMS_R_NONE;
	assert_true(grade_ok(q, &r, &g) == 0.0);
	/* the wrong shape is an error, never a crash */
	r.kind = LMS_R_CHOICE;
	r.choice = 3;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	assert_string_equal(err.code, "response_shape");
	r.kind = LMS_R_TEXT;
	r.text = "50";
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	r.kind = LMS_R_PAIRS;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void multiple_choice_partial_credit(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const char *const t[] = { "Cải cách thể chế", "Cải cách thủ tục hành chính",
		                         "Cải cách tài chính công", "Cải cách ruộng đất" };
	static const double f[] = { 0.3333333, 0.3333333, 0.3333334, -1.0 };
	lms_question *q = choice_q(a, LMS_Q_MULTI, 4, t, f);
	size_t two[] = { 0, 1 }, all_right[] = { 2, 0, 1 }, with_wrong[] = { 0, 1, 2, 3 },
	       twice[] = { 1, 1 }, out_of_range[] = { 0, 9 };
	lms_response r = { .kind = LMS_R_CHOICES, .choices = two, .n_choices = 2 };
	lms_grade g;
	lms_err err;

	assert_true(fabs(grade_ok(q, &r, &g) - 0.6666666) < 1e-9);
	assert_int_equal(g.parts[0], LMS_PART_RIGHT);
	assert_int_equal(g.parts[2], LMS_PART_MISSED);
	assert_int_equal(g.parts[3], LMS_PART_NONE);
	r.choices = all_right;
	r.n_choices = 3;
	assert_true(grade_ok(q, &r, &g) == 1.0);
	/* the sum of the chosen fractions, clamped to [0, 1] */
	r.choices = with_wrong;
	r.n_choices = 4;
	assert_true(grade_ok(q, &r, &g) == 0.0);
	assert_int_equal(g.parts[3], LMS_PART_WRONG);
	r.choices = two + 1;
	r.n_choices = 1;
	assert_true(fabs(grade_ok(q, &r, &g) - 0.3333333) < 1e-9);
	r.choices = twice;
	r.n_choices = 2;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	r.choices = out_of_range;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	r.choices = NULL;
	r.n_choices = 3;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void true_false(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = lms_question_new(a, LMS_Q_TRUEFALSE);
	lms_response r = { .kind = LMS_R_BOOL, .value = false };
	lms_grade g;
	lms_err err;

	q->name = "Thời gian";
	q->text = T("Đề án thực hiện từ 2022 đến hết 2025.");
	q->tf_answer = true;
	assert_true(grade_ok(q, &r, &g) == 0.0);
	r.value = true;
	assert_true(grade_ok(q, &r, &g) == 1.0);
	q->tf_answer = false;
	assert_true(grade_ok(q, &r, &g) == 0.0);
	r.kind = LMS_R_CHOICE;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void short_answer_diacritics_and_case(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = short_q(a, "Sở Nội vụ");
	lms_question *ma = short_q(a, "Mà");

	/* default: diacritics must match, case does not */
	assert_true(q->diacritics_must_match && !q->case_sensitive);
	assert_true(grade_text(q, "Sở Nội vụ") == 1.0);
	assert_true(grade_text(q, "sở nội vụ") == 1.0);
	assert_true(grade_text(q, "SỞ NỘI VỤ") == 1.0);
	assert_true(grade_text(q, "  Sở \t Nội   vụ  ") == 1.0);
	assert_true(grade_text(q, "So Noi vu") == 0.0);
	assert_true(grade_text(q, "Sơ Nội vụ") == 0.0);
	/* the same words typed decomposed (NFD) are the same answer */
	assert_true(grade_text(q, "So\xcc\x9b\xcc\x89 No\xcc\x82\xcc\xa3i vu\xcc\xa3") == 1.0);
	/* "Ma" and "Mà" are different words */
	assert_true(grade_text(ma, "Mà") == 1.0);
	assert_true(grade_text(ma, "Ma") == 0.0);
	ma->diacritics_must_match = false;
	assert_true(grade_text(ma, "Ma") == 1.0);
	assert_true(grade_text(ma, "mả") == 1.0);
	q->diacritics_must_match = false;
	assert_true(grade_text(q, "so noi vu") == 1.0);
	assert_true(grade_text(q, "SO NOI VU") == 1.0);
	q->options[0].text.text = "Đề án";
	assert_true(grade_text(q, "de an") == 1.0); /* đ, which does not decompose */
	/* case on */
	q->options[0].text.text = "Sở Nội vụ";
	q->diacritics_must_match = true;
	q->case_sensitive = true;
	assert_true(grade_text(q, "Sở Nội vụ") == 1.0);
	assert_true(grade_text(q, "sở nội vụ") == 0.0);
	q->diacritics_must_match = false;
	assert_true(grade_text(q, "So Noi vu") == 1.0);
	assert_true(grade_text(q, "so noi vu") == 0.0);
	lms_arena_free(a);
}

static void short_answer_weights_and_wildcards(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const char *const t[] = { "Nội vụ", "Sở Nội vụ", "Sở *", "2\\*3" };
	static const double f[] = { 0.5, 1.0, 0.25, 1.0 };
	lms_question *q = choice_q(a, LMS_Q_SHORT, 4, t, f);
	lms_response r = { .kind = LMS_R_TEXT };
	lms_grade g;
	lms_err err;
	char big[LMS_Q_MAX_RESPONSE_SHORT + 2];

	assert_true(grade_text(q, "Sở Nội vụ") == 1.0); /* the best match counts */
	r.text = "Sở Nội vụ";
	grade_ok(q, &r, &g);
	assert_int_equal(g.matched, 1);
	assert_true(grade_text(q, "nội vụ") == 0.5);
	assert_true(grade_text(q, "Sở Tư pháp") == 0.25);
	assert_true(grade_text(q, "2*3") == 1.0);
	assert_true(grade_text(q, "2x3") == 0.0);
	assert_true(grade_text(q, "") == 0.0);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r.text = big;
	assert_int_equal(grade_rc(q, &r, &err), LMS_ETOOBIG);
	r.text = "S\xe1\xbb"; /* cut in the middle of a character */
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	r.text = NULL;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void numerical_comma_and_tolerance(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = numerical_q(a);
	lms_response r = { .kind = LMS_R_TEXT };
	lms_grade g;

	assert_true(grade_text(q, "3,5") == 1.0);
	assert_true(grade_text(q, "3.5") == 1.0);
	assert_true(grade_text(q, " +3.6 ") == 1.0); /* 3.5 + 0.1, despite binary rounding */
	assert_true(grade_text(q, "3,4") == 1.0);
	assert_true(grade_text(q, "3.65") == 0.5);
	assert_true(grade_text(q, "4,5") == 0.5);
	assert_true(grade_text(q, "35e-1") == 1.0);
	assert_true(grade_text(q, "9") == 0.0); /* the "*" answer: 0 with its feedback */
	r.text = "9";
	grade_ok(q, &r, &g);
	assert_int_equal(g.matched, 2);
	assert_false(g.not_a_number);
	r.text = "1.234,5";
	assert_true(grade_ok(q, &r, &g) == 0.0);
	assert_true(g.not_a_number);
	r.text = "3 5";
	assert_true(grade_ok(q, &r, &g) == 0.0 && g.not_a_number);
	r.text = "ba phẩy năm";
	assert_true(grade_ok(q, &r, &g) == 0.0 && g.not_a_number);
	lms_arena_free(a);
}

static void matching_partial_credit(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = matching_q(a);
	lms_rpair all[] = { { 0, 0 }, { 1, 1 }, { 2, 2 } };
	lms_rpair some[] = { { 0, 0 }, { 1, 3 } };
	lms_rpair bad_stem[] = { { 3, 3 } }, twice[] = { { 0, 0 }, { 0, 1 } };
	lms_response r = { .kind = LMS_R_PAIRS, .pairs = all, .n_pairs = 3 };
	lms_grade g;
	lms_err err;

	assert_true(grade_ok(q, &r, &g) == 1.0);
	r.pairs = some;
	r.n_pairs = 2;
	assert_true(fabs(grade_ok(q, &r, &g) - 1.0 / 3.0) < 1e-12);
	assert_int_equal(g.parts[0], LMS_PART_RIGHT);
	assert_int_equal(g.parts[1], LMS_PART_WRONG);  /* chose the distractor */
	assert_int_equal(g.parts[2], LMS_PART_MISSED); /* left unanswered */
	assert_int_equal(g.parts[3], LMS_PART_NONE);
	/* two pairs with the same answer text: either index is right */
	q->pairs[2].answer = "20";
	some[1].choice = 2;
	assert_true(fabs(grade_ok(q, &r, &g) - 2.0 / 3.0) < 1e-12);
	r.pairs = bad_stem; /* a distractor is not a stem */
	r.n_pairs = 1;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	r.pairs = twice;
	r.n_pairs = 2;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void ordering_share_in_position(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = ordering_q(a, 5);
	size_t right[] = { 0, 1, 2, 3, 4 }, swap[] = { 1, 0, 2, 3, 4 }, rot[] = { 4, 0, 1, 2, 3 };
	size_t dup[] = { 0, 0, 2, 3, 4 }, short_order[] = { 0, 1 };
	lms_response r = { .kind = LMS_R_ORDER, .order = right, .n_order = 5 };
	lms_grade g;
	lms_err err;

	assert_true(grade_ok(q, &r, &g) == 1.0);
	r.order = swap;
	assert_true(fabs(grade_ok(q, &r, &g) - 0.6) < 1e-12);
	assert_int_equal(g.parts[0], LMS_PART_WRONG);
	assert_int_equal(g.parts[2], LMS_PART_RIGHT);
	r.order = rot; /* every item one place off: nothing in its position */
	assert_true(grade_ok(q, &r, &g) == 0.0);
	q->ordering_grading = LMS_QO_ALL_OR_NOTHING;
	r.order = swap;
	assert_true(grade_ok(q, &r, &g) == 0.0);
	r.order = right;
	assert_true(grade_ok(q, &r, &g) == 1.0);
	r.order = dup;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	r.order = short_order;
	r.n_order = 2;
	assert_int_equal(grade_rc(q, &r, &err), LMS_EINVAL);
	lms_arena_free(a);
}

static void essay_and_description(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *e = lms_question_new(a, LMS_Q_ESSAY);
	lms_question *d = lms_question_new(a, LMS_Q_DESCRIPTION);
	lms_response r = { .kind = LMS_R_TEXT, .text = "Ba giải pháp: ..." };
	lms_grade g;
	lms_err err;

	e->name = "Giải pháp";
	e->text = T("Trình bày ba giải pháp.");
	e->default_mark = 5;
	assert_true(grade_ok(e, &r, &g) == 0.0);
	assert_true(g.needs_manual && !g.graded && g.max_points == 5.0);
	d->name = "Giới thiệu";
	d->text = T("<p>Phần sau ...</p>");
	assert_int_equal(grade_rc(d, &r, &err), LMS_EINVAL);
	r.kind = LMS_R_NONE;
	assert_true(grade_ok(d, &r, &g) == 0.0);
	assert_true(!g.graded && !g.needs_manual && g.max_points == 0.0);
	lms_arena_free(a);
}

/* ---- the rules ---- */

static void check_rules(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const char *const t[] = { "a", "b", "c" };
	static const double no_full[] = { 0.9, 0, 0 }, bad_sum[] = { 0.5, 0.3, 0 },
	                    out_of_range[] = { 1.0, -1.5, 0 };
	lms_question *q;
	lms_err err;

	q = choice_q(a, LMS_Q_SINGLE, 3, t, no_full);
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "no_full_marks");
	q = choice_q(a, LMS_Q_MULTI, 3, t, bad_sum);
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "fractions_sum");
	assert_non_null(strstr(err.msg, "80"));
	q = choice_q(a, LMS_Q_SINGLE, 3, t, out_of_range);
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "fraction_range");
	assert_string_equal(err.field, "options[1].fraction");
	q = choice_q(a, LMS_Q_SINGLE, 1, t, no_full);
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "too_few_options");
	q = ordering_q(a, 3);
	q->items[2] = q->items[0];
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "item_duplicate");
	q = matching_q(a);
	q->pairs[1].stem = T("");
	q->pairs[2].stem = T("");
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "stems_too_few");
	q = short_q(a, "Sở Nội vụ");
	q->text = T("Tab\tand new line\n are fine, \x01 is not");
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "text_control_char");
	q = short_q(a, "Sở Nội vụ");
	q->name = "";
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "name_missing");
	q = numerical_q(a);
	q->numerics[0].tolerance = -1;
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "tolerance_range");
	q = numerical_q(a);
	q->default_mark = NAN;
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "mark_range");
	q = numerical_q(a);
	assert_int_equal(lms_question_check(q, NULL, &err), 0);
	lms_arena_free(a);
}

/* ---- the learner's view ---- */

static const char *delivery(lms_arena *a, const lms_question *q, uint64_t seed,
                            lms_qlayout *lay)
{
	lms_jsonw w;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_question_layout(q, seed, a, lay, &err), 0);
	lms_jsonw_init(&w, a);
	assert_int_equal(lms_question_delivery_json(q, lay, &w, &err), 0);
	return lms_jsonw_text(&w);
}

static void no_keys(const char *json)
{
	static const char *const banned[] = { "fraction", "feedback", "PHAN_HOI", "tolerance",
		                              "correct", "answer\"", "grader", "\"name\"" };
	size_t i;

	for (i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
		if (strstr(json, banned[i])) {
			print_error("the learner's view contains %s: %s\n", banned[i], json);
			fail();
		}
}

static void delivery_has_no_keys(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const char *const t[] = { "OPT_A", "OPT_B", "OPT_C", "OPT_D" };
	static const double f[] = { 0, 1.0, 0, 0 };
	lms_question *single = choice_q(a, LMS_Q_SINGLE, 4, t, f);
	lms_question *sa = short_q(a, "Sở Nội vụ");
	lms_question *num = numerical_q(a);
	lms_question *tf = lms_question_new(a, LMS_Q_TRUEFALSE);
	lms_question *essay = lms_question_new(a, LMS_Q_ESSAY);
	lms_qlayout lay;
	const char *j;
	size_t seed, moved = 0;

	j = delivery(a, single, 7, &lay);
	no_keys(j);
	assert_non_null(strstr(j, "\"type\":\"single\""));
	assert_non_null(strstr(j, "OPT_B"));
	/* every option is shown the same way: nothing marks the right one */
	assert_non_null(strstr(j, "{\"id\":0,\"text\":{\"text\":\"OPT_"));
	/* ids are shown positions: over seeds, the right option is not always id 1 */
	for (seed = 0; seed < 20; seed++) {
		lms_qlayout l2;
		(void)delivery(a, single, seed, &l2);
		moved += l2.option_order[1] != 1;
	}
	assert_true(moved > 5);
	j = delivery(a, sa, 1, &lay);
	no_keys(j);
	assert_null(strstr(j, "Sở Nội vụ"));
	j = delivery(a, num, 1, &lay);
	no_keys(j);
	assert_null(strstr(j, "3.5"));
	assert_null(strstr(j, "Chưa đúng"));
	tf->name = "Đúng sai";
	tf->text = T("Đề án thực hiện đến hết 2025.");
	tf->tf_feedback_true = T("PHAN_HOI_DUNG");
	j = delivery(a, tf, 1, &lay);
	no_keys(j);
	assert_string_equal(j, "{\"type\":\"truefalse\",\"text\":{\"text\":\"Đề án thực hiện đến "
	                       "hết 2025.\",\"format\":\"html\"},\"points\":1}");
	essay->name = "Tự luận";
	essay->text = T("Trình bày.");
	essay->grader_info = T("BAREM_CHAM");
	j = delivery(a, essay, 1, &lay);
	no_keys(j);
	assert_null(strstr(j, "BAREM_CHAM"));
	lms_arena_free(a);
}

static void ordering_never_shown_in_order(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = ordering_q(a, 2);
	lms_question *q5 = ordering_q(a, 5);
	uint64_t seed;

	for (seed = 0; seed < 64; seed++) {
		lms_qlayout lay;
		const char *j = delivery(a, q, seed, &lay);
		const char *first = strstr(j, q->items[0].text), *second = strstr(j, q->items[1].text);
		no_keys(j);
		assert_non_null(first);
		assert_non_null(second);
		assert_true(second < first); /* two items: always shown swapped */
		j = delivery(a, q5, seed, &lay);
		assert_false(lay.option_order[0] == 0 && lay.option_order[1] == 1 &&
		             lay.option_order[2] == 2 && lay.option_order[3] == 3);
	}
	lms_arena_free(a);
}

static void shown_positions_map_back(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *m = matching_q(a), *o = ordering_q(a, 5);
	static const char *const t[] = { "OPT_A", "OPT_B", "OPT_C" };
	static const double f[] = { 0.5, 0.5, 0 };
	lms_question *multi = choice_q(a, LMS_Q_MULTI, 3, t, f);
	lms_qlayout lay, again;
	lms_rpair shown_pairs[3];
	size_t shown_order[5], shown_choices[2], i, p;
	lms_response shown, stored;
	lms_grade g;
	lms_err err;
	const char *j;

	/* matching: the browser answers in shown stem and choice positions */
	j = delivery(a, m, 42, &lay);
	no_keys(j);
	assert_int_equal(lay.n_stems, 3);
	assert_int_equal(lay.n_choices, 4);
	(void)delivery(a, m, 42, &again);
	assert_memory_equal(lay.choice_order, again.choice_order, 4 * sizeof(size_t));
	for (i = 0; i < 3; i++) {
		size_t stem = lay.stem_order[i];
		shown_pairs[i].stem = i;
		for (p = 0; p < lay.n_choices; p++)
			if (!strcmp(m->pairs[lay.choice_order[p]].answer, m->pairs[stem].answer))
				shown_pairs[i].choice = p;
	}
	memset(&shown, 0, sizeof(shown));
	shown.kind = LMS_R_PAIRS;
	shown.pairs = shown_pairs;
	shown.n_pairs = 3;
	assert_int_equal(lms_question_response_from_delivered(m, &lay, &shown, a, &stored, &err), 0);
	assert_true(grade_ok(m, &stored, &g) == 1.0);
	shown_pairs[0].choice = 9;
	assert_int_equal(lms_question_response_from_delivered(m, &lay, &shown, a, &stored, &err),
	                 LMS_EINVAL);
	/* ordering: the learner puts the shown items back in order */
	(void)delivery(a, o, 5, &lay);
	for (i = 0; i < 5; i++)
		for (p = 0; p < 5; p++)
			if (lay.option_order[p] == i)
				shown_order[i] = p;
	memset(&shown, 0, sizeof(shown));
	shown.kind = LMS_R_ORDER;
	shown.order = shown_order;
	shown.n_order = 5;
	assert_int_equal(lms_question_response_from_delivered(o, &lay, &shown, a, &stored, &err), 0);
	assert_true(grade_ok(o, &stored, &g) == 1.0);
	/* multi: shown positions of the two right options */
	(void)delivery(a, multi, 3, &lay);
	for (p = 0, i = 0; p < 3; p++)
		if (lay.option_order[p] != 2)
			shown_choices[i++] = p;
	memset(&shown, 0, sizeof(shown));
	shown.kind = LMS_R_CHOICES;
	shown.choices = shown_choices;
	shown.n_choices = 2;
	assert_int_equal(lms_question_response_from_delivered(multi, &lay, &shown, a, &stored,
	                                                      &err), 0);
	assert_true(grade_ok(multi, &stored, &g) == 1.0);
	lms_arena_free(a);
}

/* ---- helpers and the problem table ---- */

static void helpers(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const double values[] = { 3.5, -0.1, 83.74, 1e-5, 0.1 + 0.2, 1e300, 22 };
	lms_question *q = lms_question_new(a, LMS_Q_SHORT);
	const char *s;
	char b[32];
	double v;
	size_t i;
	lms_err err;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		lms_qnumber_format(values[i], b);
		assert_true(lms_qnumber_parse(b, &v));
		assert_true(v == values[i]);
	}
	lms_qnumber_format(3.5, b);
	assert_string_equal(b, "3.5");
	assert_false(lms_qnumber_parse("", &v));
	assert_false(lms_qnumber_parse("1e", &v));
	assert_false(lms_qnumber_parse("inf", &v));
	assert_false(lms_qnumber_parse("1e999", &v));
	assert_true(lms_qfraction_from_percent(33.33333) == lms_qfraction_from_percent(33.333330001));
	assert_string_equal(lms_qcategory_from_file(a, NULL, "$course$/top/CCHC/Thủ tục hành chính",
	                                            strlen("$course$/top/CCHC/Thủ tục hành chính")),
	                    "CCHC/Thủ tục hành chính");
	assert_string_equal(lms_qcategory_from_file(a, "Sở Nội vụ", "top/ CCHC /x", 12),
	                    "Sở Nội vụ/CCHC/x");
	assert_string_equal(lms_qcategory_from_file(a, "Sở Nội vụ/", "", 0), "Sở Nội vụ");
	assert_int_equal(lms_question_pseudo_tag(q, "Difficulty:Hard"), 1);
	assert_int_equal(q->difficulty, LMS_QD_HARD);
	assert_int_equal(lms_question_pseudo_tag(q, "diacritics:ignore"), 1);
	assert_false(q->diacritics_must_match);
	assert_int_equal(lms_question_pseudo_tag(q, "difficulty:5"), -1);
	assert_int_equal(lms_question_pseudo_tag(q, "Đề án 2709"), 0);
	assert_int_equal(lms_qtext_nfc(a, "Mo\xcc\x9b\xcc\x80", 6, &s, &err), 0);
	assert_string_equal(s, "Mờ");
	assert_int_equal(lms_qtext_nfc(a, "\xc3\x28", 2, &s, &err), LMS_EINVAL);
	assert_string_equal(lms_question_default_name(a, "<p>Theo   Đề án</p>", 3), "Theo Đề án");
	assert_string_equal(lms_question_default_name(a, "<img src=x>", 3), "Câu hỏi 3");
	lms_arena_free(a);
}

static void problem_table(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_report pkg;

	lms_qreport_init(&rep, a);
	lms_qreport_add(&rep, LMS_SEV_ERROR, "type_unsupported", 4, 12, "Tính tỉ lệ", "calculated");
	lms_qreport_add(&rep, LMS_SEV_WARNING, "no_such_code", 0, 0, NULL, "x");
	assert_int_equal(rep.errors, 1);
	assert_int_equal(rep.warnings, 1);
	assert_string_equal(rep.items[0].message, "Question type \"calculated\" is not supported");
	assert_string_equal(rep.items[0].message_vi,
	                    "Kiểu câu hỏi \"calculated\" chưa được hỗ trợ");
	assert_string_equal(rep.items[0].name, "Tính tỉ lệ");
	assert_non_null(strstr(rep.items[1].message, "x"));
	lms_report_init(&pkg, a);
	lms_qreport_to_report(&rep, "bank.xml", &pkg);
	assert_int_equal(pkg.n, 2);
	assert_int_equal(pkg.items[0].line, 12);
	assert_string_equal(pkg.items[0].message,
	                    "Question 4 (Tính tỉ lệ): Question type \"calculated\" is not supported");
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_choice),
		cmocka_unit_test(multiple_choice_partial_credit),
		cmocka_unit_test(true_false),
		cmocka_unit_test(short_answer_diacritics_and_case),
		cmocka_unit_test(short_answer_weights_and_wildcards),
		cmocka_unit_test(numerical_comma_and_tolerance),
		cmocka_unit_test(matching_partial_credit),
		cmocka_unit_test(ordering_share_in_position),
		cmocka_unit_test(essay_and_description),
		cmocka_unit_test(check_rules),
		cmocka_unit_test(delivery_has_no_keys),
		cmocka_unit_test(ordering_never_shown_in_order),
		cmocka_unit_test(shown_positions_map_back),
		cmocka_unit_test(helpers),
		cmocka_unit_test(problem_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
