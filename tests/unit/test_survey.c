/* test_survey.c — the pure rules of surveys (survey.h): checking a definition (defaults,
 * every field path), what an edit may change, checking a response (each refusal with its
 * code and field), who may answer, Likert statistics worked by hand, k-anonymity
 * suppression (primary and secondary) and CSV cells (quoting, formula neutralising). */
#include "support.h"

#include "lms/survey.h"

#include <math.h>
#include <string.h>

static const char *opts3[] = { "Có", "Không", "Chưa rõ" };
static const char *labels4[] = { "Kém", "Trung bình", "Khá", "Tốt" };

/* A standalone survey with one question of each kind: 1 Likert (5 points, default labels,
 * required), 2 single (3 options), 3 multiple (3 options, at most 2), 4 text (at most 10). */
static void make(lms_survey *sv, lms_sv_question q[4])
{
	static const char *units[] = { "SNV" };

	memset(sv, 0, sizeof(*sv));
	memset(q, 0, 4 * sizeof(*q));
	sv->code = "KS-2026";
	sv->title = "Khảo sát mức độ hài lòng";
	sv->kind = LMS_SV_STANDALONE;
	sv->units = units;
	sv->n_units = 1;
	sv->anonymous = true;
	q[0].kind = LMS_SQ_LIKERT;
	q[0].text = "Nội dung bồi dưỡng phù hợp với công việc";
	q[0].required = true;
	q[1].kind = LMS_SQ_SINGLE;
	q[1].text = "Bạn học chủ yếu ở đâu?";
	q[1].options = opts3;
	q[1].n_options = 3;
	q[2].kind = LMS_SQ_MULTI;
	q[2].text = "Chủ đề bạn muốn học thêm";
	q[2].options = opts3;
	q[2].n_options = 3;
	q[2].max_select = 2;
	q[3].kind = LMS_SQ_TEXT;
	q[3].text = "Góp ý khác\n(không bắt buộc)";
	q[3].max_length = 10;
	sv->questions = q;
	sv->n_questions = 4;
}

static lms_survey checked(lms_sv_question q[4])
{
	lms_survey sv;
	lms_err err;

	make(&sv, q);
	lms_err_clear(&err);
	assert_int_equal(lms_sv_check(&sv, &err), 0);
	return sv;
}

/* Runs f on a fresh survey after mutate; expects LMS_EINVAL with field. */
#define EXPECT_BAD(mutate, fieldpath)                                                \
	do {                                                                             \
		lms_survey sv_;                                                              \
		lms_sv_question q_[4];                                                       \
		lms_err e_;                                                                  \
		make(&sv_, q_);                                                              \
		{ lms_survey *sv = &sv_; lms_sv_question *q = q_; (void)sv; (void)q; mutate; } \
		lms_err_clear(&e_);                                                          \
		assert_int_equal(lms_sv_check(&sv_, &e_), LMS_EINVAL);                       \
		assert_string_equal(e_.code, "invalid_field");                               \
		assert_string_equal(e_.field, fieldpath);                                    \
	} while (0)

static void a_definition_is_completed(void **state)
{
	(void)state;
	lms_sv_question q[4];
	lms_survey sv = checked(q);

	for (int i = 0; i < 4; i++)
		assert_int_equal(q[i].id, i + 1);
	assert_int_equal(q[0].points, 5);
	assert_int_equal(q[0].n_options, 5);
	assert_string_equal(q[0].options[0], "Hoàn toàn không đồng ý");
	assert_string_equal(q[0].options[4], "Hoàn toàn đồng ý");
	assert_int_equal(q[1].max_select, 1);
	assert_int_equal(q[2].max_select, 2);
	assert_int_equal(q[3].max_length, 10);
	assert_string_equal(sv.description, "");

	/* a 4-point scale with its own labels; defaults of max_select and max_length */
	make(&sv, q);
	q[0].options = labels4;
	q[0].n_options = 4;
	q[2].max_select = 0;
	q[3].max_length = 0;
	lms_err err;
	assert_int_equal(lms_sv_check(&sv, &err), 0);
	assert_int_equal(q[0].points, 4);
	assert_int_equal(q[2].max_select, 3);
	assert_int_equal(q[3].max_length, LMS_SV_TEXT_DEFAULT);
}

static void bad_definitions_name_their_field(void **state)
{
	(void)state;
	static const char *dup[] = { "Có", "Có" };
	static const char *nl[] = { "Có", "Hai\ndòng" };
	static const char *units2[] = { "SNV", "SNV" };
	static const char *badcode[] = { "S N V" };
	static const char *courses[] = { "C1" };
	static lms_sv_question many[LMS_SV_QUESTIONS_MAX + 1];

	EXPECT_BAD(sv->title = "", "title");
	EXPECT_BAD(sv->title = "   ", "title");
	EXPECT_BAD(sv->title = "Hai\ndòng", "title");
	EXPECT_BAD(sv->kind = (lms_sv_kind)9, "kind");
	EXPECT_BAD(sv->n_units = 0, "units");
	EXPECT_BAD((sv->units = units2, sv->n_units = 2), "units[1]");
	EXPECT_BAD(sv->units = badcode, "units[0]");
	EXPECT_BAD((sv->courses = courses, sv->n_courses = 1), "courses");
	EXPECT_BAD(sv->par_roles = 8, "par_roles");
	EXPECT_BAD(memcpy(sv->opens_on, "2026-02-30", 11), "opens_on");
	EXPECT_BAD((memcpy(sv->opens_on, "2026-03-02", 11), memcpy(sv->closes_on, "2026-03-01", 11)),
	           "closes_on");
	EXPECT_BAD(sv->n_questions = 0, "questions");
	EXPECT_BAD((sv->questions = many, sv->n_questions = LMS_SV_QUESTIONS_MAX + 1), "questions");
	EXPECT_BAD(q[2].kind = (lms_sv_qkind)0, "questions[2].kind");
	EXPECT_BAD(q[1].text = NULL, "questions[1].text");
	EXPECT_BAD(q[0].points = 8, "questions[0].points");
	EXPECT_BAD(q[0].points = 2, "questions[0].points");
	EXPECT_BAD(q[0].points = 4, "questions[0].options"); /* 4 points, no labels */
	EXPECT_BAD(q[1].n_options = 1, "questions[1].options");
	EXPECT_BAD(q[1].options = dup, "questions[1].options[1]");
	EXPECT_BAD((q[1].options = nl, q[1].n_options = 2), "questions[1].options[1]");
	EXPECT_BAD(q[2].max_select = 4, "questions[2].max_select");
	EXPECT_BAD(q[3].max_length = LMS_SV_TEXT_MAX + 1, "questions[3].max_length");
	EXPECT_BAD((q[3].options = opts3, q[3].n_options = 3), "questions[3].options");

	/* a course survey names courses, and no audience */
	EXPECT_BAD(sv->kind = LMS_SV_COURSE, "courses");
	EXPECT_BAD((sv->kind = LMS_SV_COURSE, sv->courses = courses, sv->n_courses = 1), "units");
	lms_survey sv;
	lms_sv_question q[4];
	lms_err err;
	make(&sv, q);
	sv.kind = LMS_SV_COURSE;
	sv.courses = courses;
	sv.n_courses = 1;
	sv.units = NULL;
	sv.n_units = 0;
	assert_int_equal(lms_sv_check(&sv, &err), 0);
}

static void edits_after_responses_are_limited(void **state)
{
	(void)state;
	lms_sv_question qa[4], qb[4];
	lms_survey old = checked(qa), new_ = checked(qb);
	bool structural = true;
	lms_err err;

	/* a new title is never structural */
	new_.title = "Tiêu đề mới";
	old.status = LMS_SV_OPEN;
	old.responses = 3;
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), 0);
	assert_false(structural);

	/* a question's text changes: refused with responses, allowed without */
	qb[1].text = "Câu hỏi khác";
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_has_responses");
	assert_true(structural);
	old.responses = 0;
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), 0);
	assert_true(structural);

	/* anonymity and kind are fixed from publication, not in a draft */
	new_ = checked(qb);
	new_.anonymous = false;
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "anonymous_fixed");
	old.status = LMS_SV_DRAFT;
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), 0);

	/* the audience is structural too; a closed survey is never edited */
	new_ = checked(qb);
	new_.level = LMS_SV_LEADERS;
	old.status = LMS_SV_OPEN;
	old.responses = 1;
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_has_responses");
	old.status = LMS_SV_CLOSED;
	new_ = checked(qb);
	assert_int_equal(lms_sv_check_edit(&old, &new_, &structural, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_closed");
}

/* Checks answers against the standard survey; returns the rc, err in *e. */
static int respond(const lms_sv_answer *a, size_t n, lms_err *e)
{
	lms_sv_question q[4];
	lms_survey sv = checked(q);

	lms_err_clear(e);
	return lms_sv_check_response(&sv, a, n, e);
}

#define EXPECT_REFUSED(answers, code_, field_)                                            \
	do {                                                                                  \
		lms_err e_;                                                                       \
		assert_int_equal(respond(answers, sizeof(answers) / sizeof(answers[0]), &e_), LMS_EINVAL); \
		assert_string_equal(e_.code, code_);                                              \
		assert_string_equal(e_.field, field_);                                            \
	} while (0)

static void responses_are_checked(void **state)
{
	(void)state;
	static const int two[] = { 0, 2 }, three[] = { 0, 1, 2 }, out[] = { 3 }, twice[] = { 1, 1 };
	lms_err err;

	/* a complete response, in any order; optional questions may be left out */
	lms_sv_answer ok[] = {
		{ .question = 4, .text = "Tốt lắm" },
		{ .question = 3, .choices = two, .n_choices = 2 },
		{ .question = 1, .value = 5 },
		{ .question = 2, .value = 0 },
	};
	assert_int_equal(respond(ok, 4, &err), 0);
	lms_sv_answer minimal[] = { { .question = 1, .value = 1 } };
	assert_int_equal(respond(minimal, 1, &err), 0);
	/* exactly at the text cap, in characters, not bytes: "ắ" is 3 bytes */
	lms_sv_answer cap[] = { { .question = 1, .value = 3 }, { .question = 4, .text = "ắắắắắắắắắắ" } };
	assert_int_equal(respond(cap, 2, &err), 0);

	lms_sv_answer none[] = { { .question = 2, .value = 1 } };
	EXPECT_REFUSED(none, "answer_required", "questions[0]");
	lms_sv_answer unknown[] = { { .question = 1, .value = 1 }, { .question = 5, .value = 1 } };
	EXPECT_REFUSED(unknown, "unknown_question", "answers[1].question");
	lms_sv_answer zero[] = { { .question = 0, .value = 1 } };
	EXPECT_REFUSED(zero, "unknown_question", "answers[0].question");
	lms_sv_answer dup[] = { { .question = 1, .value = 1 }, { .question = 1, .value = 2 } };
	EXPECT_REFUSED(dup, "duplicate_answer", "answers[1].question");
	lms_sv_answer likert_hi[] = { { .question = 1, .value = 6 } };
	EXPECT_REFUSED(likert_hi, "value_out_of_range", "answers[0].value");
	lms_sv_answer likert_lo[] = { { .question = 1, .value = 0 } };
	EXPECT_REFUSED(likert_lo, "value_out_of_range", "answers[0].value");
	lms_sv_answer likert_text[] = { { .question = 1, .text = "5" } };
	EXPECT_REFUSED(likert_text, "invalid_field", "answers[0].value");
	lms_sv_answer mistyped[] = { { .question = 1, .value = INT32_MIN } };
	EXPECT_REFUSED(mistyped, "invalid_field", "answers[0].value");
	lms_sv_answer single_out[] = { { .question = 1, .value = 2 }, { .question = 2, .value = 3 } };
	EXPECT_REFUSED(single_out, "choice_out_of_range", "answers[1].value");
	lms_sv_answer single_neg[] = { { .question = 1, .value = 2 }, { .question = 2, .value = -1 } };
	EXPECT_REFUSED(single_neg, "choice_out_of_range", "answers[1].value");
	lms_sv_answer multi_many[] = { { .question = 1, .value = 2 },
		                           { .question = 3, .choices = three, .n_choices = 3 } };
	EXPECT_REFUSED(multi_many, "too_many_choices", "answers[1].value");
	lms_sv_answer multi_out[] = { { .question = 1, .value = 2 },
		                          { .question = 3, .choices = out, .n_choices = 1 } };
	EXPECT_REFUSED(multi_out, "choice_out_of_range", "answers[1].value[0]");
	lms_sv_answer multi_twice[] = { { .question = 1, .value = 2 },
		                            { .question = 3, .choices = twice, .n_choices = 2 } };
	EXPECT_REFUSED(multi_twice, "invalid_field", "answers[1].value[1]");
	lms_sv_answer multi_scalar[] = { { .question = 1, .value = 2 }, { .question = 3, .value = 1 } };
	EXPECT_REFUSED(multi_scalar, "invalid_field", "answers[1].value");
	lms_sv_answer long_text[] = { { .question = 1, .value = 2 }, { .question = 4, .text = "ắắắắắắắắắắắ" } };
	EXPECT_REFUSED(long_text, "text_too_long", "answers[1].value");
	lms_sv_answer blank[] = { { .question = 1, .value = 2 }, { .question = 4, .text = "  \n " } };
	EXPECT_REFUSED(blank, "invalid_field", "answers[1].value");
	lms_sv_answer ctrl[] = { { .question = 1, .value = 2 }, { .question = 4, .text = "a\x01" } };
	EXPECT_REFUSED(ctrl, "invalid_field", "answers[1].value");
	lms_sv_answer bad_utf8[] = { { .question = 1, .value = 2 }, { .question = 4, .text = "a\xC3" } };
	EXPECT_REFUSED(bad_utf8, "invalid_field", "answers[1].value");
	lms_sv_answer text_num[] = { { .question = 1, .value = 2 }, { .question = 4, .value = 7 } };
	EXPECT_REFUSED(text_num, "invalid_field", "answers[1].value");
}

static void who_may_answer(void **state)
{
	(void)state;
	lms_sv_question q[4];
	lms_survey sv = checked(q);
	lms_sv_who who = { .has_person = true, .active = true, .is_leader = false,
		               .par_role = LMS_PAR_CONCURRENT, .in_units = true };
	lms_err err;

	sv.status = LMS_SV_OPEN;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), 0);
	/* the audience: units, level, PAR roles, a roster person */
	sv.level = LMS_SV_LEADERS;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "not_in_audience");
	sv.level = LMS_SV_STAFF;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), 0);
	sv.par_roles = 1u << LMS_PAR_DEDICATED;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), LMS_EFORBIDDEN);
	sv.par_roles |= 1u << LMS_PAR_CONCURRENT;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), 0);
	who.in_units = false;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), LMS_EFORBIDDEN);
	who.in_units = true;
	who.has_person = false;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), LMS_EFORBIDDEN);
	who.has_person = true;

	/* dates: the first and last day are included */
	memcpy(sv.opens_on, "2026-03-01", 11);
	memcpy(sv.closes_on, "2026-03-31", 11);
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-02-28", &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_not_open");
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-01", &err), 0);
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-31", &err), 0);
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-04-01", &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_closed");

	/* status, then one response each */
	sv.status = LMS_SV_DRAFT;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-10", &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_not_open");
	sv.status = LMS_SV_CLOSED;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-10", &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "survey_closed");
	sv.status = LMS_SV_OPEN;
	who.responded = true;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-10", &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "already_responded");

	/* a course survey asks who completed the course, whatever their unit */
	static const char *courses[] = { "C1" };
	sv.kind = LMS_SV_COURSE;
	sv.courses = courses;
	sv.n_courses = 1;
	who.responded = false;
	who.has_person = false;
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-10", &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "course_not_completed");
	who.completed_course = "C1";
	assert_int_equal(lms_sv_can_answer(&sv, &who, "2026-03-10", &err), 0);
}

static void likert_statistics_by_hand(void **state)
{
	(void)state;
	lms_sv_likert_stats st;

	/* 1,2,2,4,5 (n 5): mean 14/5, median 2 */
	int64_t a[5] = { 1, 2, 0, 1, 1 };
	lms_sv_likert(a, 5, &st);
	assert_int_equal(st.n, 5);
	assert_true(fabs(st.mean - 2.8) < 1e-12);
	assert_true(fabs(st.median - 2.0) < 1e-12);
	/* 1,1,4,5 (n 4): mean 11/4, median (1+4)/2 */
	int64_t b[5] = { 2, 0, 0, 1, 1 };
	lms_sv_likert(b, 5, &st);
	assert_true(fabs(st.mean - 2.75) < 1e-12);
	assert_true(fabs(st.median - 2.5) < 1e-12);
	/* a 3-point scale, all in the top point */
	int64_t c[3] = { 0, 0, 7 };
	lms_sv_likert(c, 3, &st);
	assert_true(st.mean == 3.0 && st.median == 3.0);
	/* nobody: zeros, not NaN */
	int64_t d[7] = { 0 };
	lms_sv_likert(d, 7, &st);
	assert_int_equal(st.n, 0);
	assert_true(st.mean == 0.0 && st.median == 0.0);
}

static void small_groups_are_suppressed(void **state)
{
	(void)state;
	bool h[6];

	/* primary only: the hidden groups hold 3 + 4 = 7 >= 5 together */
	int64_t a[] = { 12, 3, 4, 20 };
	lms_sv_suppress(a, 4, 5, h);
	assert_false(h[0]);
	assert_true(h[1]);
	assert_true(h[2]);
	assert_false(h[3]);
	/* one small group (2): the smallest shown one (6) is hidden too, so total - shown never
	 * gives the 2 */
	int64_t b[] = { 10, 2, 6, 9 };
	lms_sv_suppress(b, 4, 5, h);
	assert_false(h[0]);
	assert_true(h[1]);
	assert_true(h[2]);
	assert_false(h[3]);
	/* empty groups are shown (0), and never count as the secondary one */
	int64_t c[] = { 0, 1, 0, 7, 8 };
	lms_sv_suppress(c, 5, 5, h);
	assert_false(h[0]);
	assert_true(h[1]);
	assert_false(h[2]);
	assert_true(h[3]);
	assert_false(h[4]);
	/* fewer than k in all: everything non-empty is hidden */
	int64_t d[] = { 1, 2, 0 };
	lms_sv_suppress(d, 3, 5, h);
	assert_true(h[0] && h[1] && !h[2]);
	/* exactly k is shown; k 1 hides nothing */
	int64_t e[] = { 5, 5 };
	lms_sv_suppress(e, 2, 5, h);
	assert_false(h[0] || h[1]);
	int64_t f[] = { 1, 1 };
	lms_sv_suppress(f, 2, 1, h);
	assert_false(h[0] || h[1]);
}

static void csv_cells_are_quoted_and_neutralised(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();

	assert_string_equal(lms_sv_csv_cell(a, "Sở Nội vụ"), "Sở Nội vụ");
	assert_string_equal(lms_sv_csv_cell(a, NULL), "");
	assert_string_equal(lms_sv_csv_cell(a, "a,b"), "\"a,b\"");
	assert_string_equal(lms_sv_csv_cell(a, "say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(lms_sv_csv_cell(a, "two\nlines"), "\"two\nlines\"");
	assert_string_equal(lms_sv_csv_cell(a, "=SUM(A1:A9)"), "'=SUM(A1:A9)");
	assert_string_equal(lms_sv_csv_cell(a, "+1"), "'+1");
	assert_string_equal(lms_sv_csv_cell(a, "-2"), "'-2");
	assert_string_equal(lms_sv_csv_cell(a, "@cmd"), "'@cmd");
	assert_string_equal(lms_sv_csv_cell(a, "\t=1"), "'\t=1");
	assert_string_equal(lms_sv_csv_cell(a, "=HYPERLINK(\"http://x\",\"y\")"),
	                    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	assert_string_equal(lms_sv_csv_cell(a, "a=b"), "a=b"); /* only a leading sign counts */
	lms_arena_free(a);
}

static void names_round_trip(void **state)
{
	(void)state;
	lms_sv_kind k;
	lms_sv_qkind q;
	lms_sv_level l;

	assert_int_equal(lms_sv_kind_parse("standalone", &k), 0);
	assert_string_equal(lms_sv_kind_name(k), "standalone");
	assert_int_equal(lms_sv_kind_parse("other", &k), LMS_EINVAL);
	assert_int_equal(lms_sv_kind_parse(NULL, &k), LMS_EINVAL);
	assert_int_equal(lms_sv_qkind_parse("multiple", &q), 0);
	assert_string_equal(lms_sv_qkind_name(q), "multiple");
	assert_int_equal(lms_sv_qkind_parse("essay", &q), LMS_EINVAL);
	assert_int_equal(lms_sv_level_parse("staff", &l), 0);
	assert_string_equal(lms_sv_level_name(l), "staff");
	assert_string_equal(lms_sv_status_name(LMS_SV_CLOSED), "closed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_definition_is_completed),
		cmocka_unit_test(bad_definitions_name_their_field),
		cmocka_unit_test(edits_after_responses_are_limited),
		cmocka_unit_test(responses_are_checked),
		cmocka_unit_test(who_may_answer),
		cmocka_unit_test(likert_statistics_by_hand),
		cmocka_unit_test(small_groups_are_suppressed),
		cmocka_unit_test(csv_cells_are_quoted_and_neutralised),
		cmocka_unit_test(names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
