/* test_question_moodlexml.c — Moodle XML import and export (question.h): every type of the
 * sample bank (tests/unit/data/questions/cchc-de-an-2709.xml, Vietnamese) with its files,
 * tags and categories; XXE, billion laughs and external DTDs refused with a message and
 * nothing loaded; a 60 MB file refused by size; unsupported types (calculated, ddwtos,
 * multianswer) each reported while the rest is read; malformed XML with its line; attached
 * files checked (base64, size, references); parse(write(x)) == x for every type and field. */
#include "support.h"

#include "lms/question.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static char *load(const char *name, size_t *len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/unit/data/questions/%s", name);
	return support_read_source_file(rel, len);
}

static int parse(lms_arena *a, const char *text, size_t len, const lms_qimport_opts *o,
                 lms_qset *set, lms_qreport *rep, lms_err *err)
{
	lms_err_clear(err);
	lms_qreport_init(rep, a);
	return lms_moodlexml_parse(text, len, o, a, set, rep, err);
}

static int parse_str(lms_arena *a, const char *text, lms_qset *set, lms_qreport *rep)
{
	lms_err err;

	return parse(a, text, strlen(text), NULL, set, rep, &err);
}

static const lms_question *by_name(const lms_qset *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->items[i]->name, name) == 0)
			return set->items[i];
	print_error("no question named %s\n", name);
	fail();
	return NULL;
}

static const lms_qproblem *problem_with(const lms_qreport *rep, const char *code)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (strcmp(rep->items[i].code, code) == 0)
			return &rep->items[i];
	return NULL;
}

static void dump(const lms_qreport *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		print_message("  %s q%zu line %d %s: %s\n", rep->items[i].code, rep->items[i].index,
		              rep->items[i].line, rep->items[i].name, rep->items[i].message);
}

/* ---- deep comparison: every field of the model ---- */

static void same_text(const lms_qtext *x, const lms_qtext *y, const char *what)
{
	const char *xt = x->text ? x->text : "", *yt = y->text ? y->text : "";
	size_t i;

	if (strcmp(xt, yt) != 0 || x->format != y->format) {
		print_error("%s differs: [%s] (%d) vs [%s] (%d)\n", what, xt, (int)x->format, yt,
		            (int)y->format);
		fail();
	}
	assert_int_equal(x->n_files, y->n_files);
	for (i = 0; i < x->n_files; i++) {
		assert_string_equal(x->files[i].name, y->files[i].name);
		assert_string_equal(x->files[i].path, y->files[i].path);
		assert_int_equal(x->files[i].size, y->files[i].size);
		assert_memory_equal(x->files[i].data, y->files[i].data, x->files[i].size);
	}
}

static void same_question(const lms_question *x, const lms_question *y)
{
	size_t i;

	assert_int_equal(x->type, y->type);
	assert_string_equal(x->name, y->name);
	assert_string_equal(x->idnumber, y->idnumber);
	assert_string_equal(x->category, y->category);
	same_text(&x->text, &y->text, "text");
	same_text(&x->general_feedback, &y->general_feedback, "general feedback");
	assert_true(x->default_mark == y->default_mark);
	assert_true(x->penalty == y->penalty);
	assert_int_equal(x->hidden, y->hidden);
	assert_int_equal(x->n_tags, y->n_tags);
	for (i = 0; i < x->n_tags; i++)
		assert_string_equal(x->tags[i], y->tags[i]);
	assert_int_equal(x->difficulty, y->difficulty);
	if (x->type == LMS_Q_SINGLE || x->type == LMS_Q_MULTI || x->type == LMS_Q_MATCHING)
		assert_int_equal(x->shuffle, y->shuffle);
	if (x->type == LMS_Q_SINGLE || x->type == LMS_Q_MULTI)
		assert_string_equal(x->answer_numbering, y->answer_numbering);
	assert_int_equal(x->case_sensitive, y->case_sensitive);
	assert_int_equal(x->diacritics_must_match, y->diacritics_must_match);
	assert_int_equal(x->n_options, y->n_options);
	for (i = 0; i < x->n_options; i++) {
		same_text(&x->options[i].text, &y->options[i].text, "option");
		same_text(&x->options[i].feedback, &y->options[i].feedback, "option feedback");
		assert_true(x->options[i].fraction == y->options[i].fraction);
	}
	if (x->type == LMS_Q_TRUEFALSE) {
		assert_int_equal(x->tf_answer, y->tf_answer);
		same_text(&x->tf_feedback_true, &y->tf_feedback_true, "feedback true");
		same_text(&x->tf_feedback_false, &y->tf_feedback_false, "feedback false");
	}
	assert_int_equal(x->n_numerics, y->n_numerics);
	for (i = 0; i < x->n_numerics; i++) {
		assert_int_equal(x->numerics[i].any, y->numerics[i].any);
		if (!x->numerics[i].any) {
			assert_true(x->numerics[i].value == y->numerics[i].value);
			assert_true(x->numerics[i].tolerance == y->numerics[i].tolerance);
		}
		assert_true(x->numerics[i].fraction == y->numerics[i].fraction);
		same_text(&x->numerics[i].feedback, &y->numerics[i].feedback, "numeric feedback");
	}
	assert_int_equal(x->n_pairs, y->n_pairs);
	for (i = 0; i < x->n_pairs; i++) {
		same_text(&x->pairs[i].stem, &y->pairs[i].stem, "stem");
		assert_string_equal(x->pairs[i].answer, y->pairs[i].answer);
	}
	assert_int_equal(x->n_items, y->n_items);
	for (i = 0; i < x->n_items; i++)
		same_text(&x->items[i], &y->items[i], "item");
	if (x->type == LMS_Q_ORDERING)
		assert_int_equal(x->ordering_grading, y->ordering_grading);
	if (x->type == LMS_Q_SINGLE || x->type == LMS_Q_MULTI || x->type == LMS_Q_MATCHING ||
	    x->type == LMS_Q_ORDERING) {
		same_text(&x->correct_feedback, &y->correct_feedback, "correct feedback");
		same_text(&x->partial_feedback, &y->partial_feedback, "partial feedback");
		same_text(&x->incorrect_feedback, &y->incorrect_feedback, "incorrect feedback");
	}
	if (x->type == LMS_Q_ESSAY) {
		assert_string_equal(x->response_format, y->response_format);
		assert_int_equal(x->response_required, y->response_required);
		assert_int_equal(x->response_lines, y->response_lines);
		assert_int_equal(x->attachments, y->attachments);
		same_text(&x->grader_info, &y->grader_info, "grader info");
		same_text(&x->response_template, &y->response_template, "template");
	}
}

static const char *round_trip(lms_arena *a, const lms_qset *set)
{
	lms_qreport rep;
	lms_qset back;
	const char *text;
	size_t len, i;
	lms_err err;

	lms_qreport_init(&rep, a);
	lms_err_clear(&err);
	if (lms_moodlexml_write((const lms_question *const *)set->items, set->n, NULL, a, &rep,
	                        &text, &len, &err) != 0) {
		dump(&rep);
		fail();
	}
	assert_int_equal(strlen(text), len);
	if (parse(a, text, len, NULL, &back, &rep, &err) != 0 || rep.warnings) {
		dump(&rep);
		print_error("%s\n", text);
		fail();
	}
	assert_int_equal(back.n, set->n);
	for (i = 0; i < set->n; i++)
		same_question(set->items[i], back.items[i]);
	return text;
}

static lms_qtext TX(const char *s, lms_qformat f)
{
	lms_qtext t;

	memset(&t, 0, sizeof(t));
	t.text = s;
	t.format = f;
	return t;
}

/* ---- the sample bank ---- */

static void sample_bank_every_type(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	const lms_question *q;
	size_t len;
	char *text = load("cchc-de-an-2709.xml", &len);
	lms_err err;

	if (parse(a, text, len, NULL, &set, &rep, &err) != 0 || rep.n)
		dump(&rep);
	assert_int_equal(rep.errors + rep.warnings, 0);
	assert_int_equal(set.n, 9);

	q = by_name(&set, "Chỉ tiêu chuyên gia");
	assert_int_equal(q->type, LMS_Q_SINGLE);
	assert_int_equal(q->line, 13);
	assert_string_equal(q->category, "CCHC/Đề án 2709");
	assert_int_equal(q->text.format, LMS_QF_HTML);
	assert_non_null(strstr(q->text.text, "trở thành <b>chuyên gia</b> về cải cách hành chính?"));
	assert_int_equal(q->text.n_files, 1);
	assert_string_equal(q->text.files[0].name, "logo cchc.png");
	assert_string_equal(q->text.files[0].path, "/");
	assert_int_equal(q->text.files[0].size, 68);
	assert_memory_equal(q->text.files[0].data, "\x89PNG\r\n\x1a\n", 8);
	assert_true(q->default_mark == 2.0 && q->penalty == 0.3333333);
	assert_string_equal(q->idnumber, "DA2709-01");
	assert_string_equal(q->answer_numbering, "ABCD");
	assert_true(q->shuffle);
	assert_string_equal(q->correct_feedback.text, "Chính xác.");
	assert_string_equal(q->incorrect_feedback.text, "Chưa chính xác.");
	assert_int_equal(q->n_options, 3);
	assert_string_equal(q->options[1].feedback.text,
	                    "20 là chỉ tiêu quy hoạch chức danh lãnh đạo.");
	assert_int_equal(q->n_tags, 1);
	assert_string_equal(q->tags[0], "Đề án 2709");
	assert_int_equal(q->difficulty, LMS_QD_EASY);

	q = by_name(&set, "Lĩnh vực cải cách");
	assert_int_equal(q->type, LMS_Q_MULTI);
	assert_true(q->options[0].fraction == 0.3333333 && q->options[3].fraction == -1.0);

	q = by_name(&set, "Thời gian thực hiện");
	assert_int_equal(q->type, LMS_Q_TRUEFALSE);
	assert_true(q->tf_answer);
	assert_string_equal(q->tf_feedback_true.text, "Đúng.");
	assert_string_equal(q->tf_feedback_false.text, "Chưa đúng, xem mục III.2.");
	assert_int_equal(q->text.format, LMS_QF_MOODLE);

	q = by_name(&set, "Cơ quan tham mưu");
	assert_int_equal(q->type, LMS_Q_SHORT);
	assert_false(q->case_sensitive);
	assert_true(q->diacritics_must_match);
	assert_string_equal(q->options[1].text.text, "Nội vụ");
	assert_true(q->options[1].fraction == 0.5);

	q = by_name(&set, "Tỉ lệ hài lòng năm 2020");
	assert_int_equal(q->type, LMS_Q_NUMERICAL);
	assert_int_equal(q->n_numerics, 2);
	assert_true(q->numerics[0].value == 83.74 && q->numerics[0].tolerance == 0.01);
	assert_true(q->numerics[1].any);

	q = by_name(&set, "Ghép chỉ tiêu");
	assert_int_equal(q->type, LMS_Q_MATCHING);
	assert_string_equal(q->category, "CCHC/Đề án 2709/Chỉ tiêu");
	assert_int_equal(q->n_pairs, 4);
	assert_string_equal(q->pairs[3].stem.text, "");
	assert_string_equal(q->pairs[3].answer, "100");
	assert_true(q->default_mark == 3);

	q = by_name(&set, "Thứ tự lĩnh vực");
	assert_int_equal(q->type, LMS_Q_ORDERING);
	assert_int_equal(q->n_items, 6);
	assert_string_equal(q->items[0].text, "Cải cách thể chế");
	assert_string_equal(q->items[5].text, "Công tác chỉ đạo, điều hành");
	assert_int_equal(q->ordering_grading, LMS_QO_ABSOLUTE_POSITION);
	assert_true(q->hidden);
	assert_string_equal(q->idnumber, "DA2709-ORD");

	q = by_name(&set, "Giải pháp tại đơn vị");
	assert_int_equal(q->type, LMS_Q_ESSAY);
	assert_int_equal(q->response_lines, 20);
	assert_int_equal(q->attachments, 1);
	assert_true(q->default_mark == 5 && q->penalty == 0);
	assert_string_equal(q->grader_info.text,
	                    "Chấm theo ba tiêu chí: tính khả thi, gắn với vị trí việc làm, có số liệu.");

	q = by_name(&set, "Giới thiệu");
	assert_int_equal(q->type, LMS_Q_DESCRIPTION);
	assert_string_equal(q->text.text,
	                    "<p>Các câu hỏi sau đây dựa trên <b>Quyết định 2709/QĐ-UBND</b>.</p>");
	free(text);
	lms_arena_free(a);
}

/* ---- refusals ---- */

static void xxe_and_billion_laughs_are_refused(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const char *const attacks[] = {
		"<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
		"<quiz><question type=\"shortanswer\"><name><text>&e;</text></name>"
		"<questiontext><text>&e;</text></questiontext>"
		"<answer fraction=\"100\"><text>&e;</text></answer></question></quiz>",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol9 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		"]>\n<quiz><question type=\"essay\"><name><text>&lol9;</text></name></question></quiz>",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE quiz SYSTEM \"http://127.0.0.1:9/quiz.dtd\">\n"
		"<quiz/>",
		"<?xml version=\"1.0\"?>\n<!DOCTYPE quiz [<!ENTITY % p SYSTEM \"file:///etc/hostname\">"
		" %p;]>\n<quiz/>",
	};
	size_t i, k;

	for (i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		lms_qreport rep;
		lms_qset set;
		lms_err err;
		assert_int_equal(parse(a, attacks[i], strlen(attacks[i]), NULL, &set, &rep, &err),
		                 LMS_EINVAL);
		assert_string_equal(err.code, "questions_invalid");
		assert_non_null(strstr(err.msg, "refused for safety"));
		assert_int_equal(set.n, 0);
		assert_true(rep.errors >= 1);
		assert_string_equal(rep.items[0].code, "xml_doctype");
		assert_int_equal(rep.items[0].line, 2);
		assert_non_null(strstr(rep.items[0].message, "DOCTYPE"));
		assert_non_null(strstr(rep.items[0].message, "refused for safety"));
		assert_non_null(strstr(rep.items[0].message_vi, "an toàn"));
		for (k = 0; k < rep.n; k++)
			assert_null(strstr(rep.items[k].message, "root:"));
	}
	lms_arena_free(a);
}

static void a_60_mb_file_is_refused_by_size(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	size_t big = (size_t)60 * 1024 * 1024;
	char *huge = malloc(big);
	lms_qreport rep;
	lms_qset set;
	lms_err err;

	assert_non_null(huge);
	memset(huge, ' ', big);
	memcpy(huge, "<quiz>", 6);
	assert_int_equal(parse(a, huge, big, NULL, &set, &rep, &err), LMS_ETOOBIG);
	assert_string_equal(err.code, "questions_file_too_big");
	assert_string_equal(rep.items[0].code, "questions_file_too_big");
	assert_non_null(strstr(rep.items[0].message, "62914560"));
	free(huge);
	lms_arena_free(a);
}

static void unsupported_types_are_each_reported(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	size_t len;
	char *text = load("unsupported-types.xml", &len);
	lms_err err;

	assert_int_equal(parse(a, text, len, NULL, &set, &rep, &err), LMS_EINVAL);
	assert_string_equal(err.code, "questions_invalid");
	assert_int_equal(set.n, 1);
	assert_string_equal(set.items[0]->name, "Cơ quan tham mưu");
	assert_int_equal(rep.errors, 3);
	assert_string_equal(rep.items[0].code, "type_unsupported");
	assert_int_equal(rep.items[0].index, 2);
	assert_int_equal(rep.items[0].line, 8);
	assert_string_equal(rep.items[0].name, "Tính tỉ lệ");
	assert_string_equal(rep.items[0].message, "Question type \"calculated\" is not supported");
	assert_string_equal(rep.items[0].message_vi, "Kiểu câu hỏi \"calculated\" chưa được hỗ trợ");
	assert_string_equal(rep.items[1].name, "Kéo thả");
	assert_non_null(strstr(rep.items[1].message, "ddwtos"));
	assert_int_equal(rep.items[2].index, 4);
	assert_non_null(strstr(rep.items[2].message, "multianswer"));
	free(text);
	lms_arena_free(a);
}

static void malformed_xml_and_wrong_root(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;

	assert_int_equal(parse_str(a, "<quiz>\n<question type=\"essay\">\n<name><text>x</name>\n"
	                              "</question>\n</quiz>\n", &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "xml_not_well_formed");
	assert_int_equal(rep.items[0].line, 3);
	assert_non_null(strstr(rep.items[0].message_vi, "XML"));
	assert_int_equal(parse_str(a, "<manifest/>", &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "xml_root");
	assert_non_null(strstr(rep.items[0].message, "<manifest>"));
	assert_int_equal(parse_str(a, "<quiz><question><name><text>x</text></name></question>"
	                              "<question type=\"essay\"><name><text>y</text></name>"
	                              "<questiontext><text>Viết</text></questiontext></question>"
	                              "</quiz>", &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "type_missing");
	assert_int_equal(set.n, 1);
	assert_int_equal(parse_str(a, "", &set, &rep), LMS_EINVAL);
	assert_int_equal(parse_str(a, "<quiz></quiz>", &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "questions_file_empty");
	lms_arena_free(a);
}

static void attached_files_are_checked(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qimport_opts o;
	lms_qreport rep;
	lms_qset set;
	lms_err err;
	char doc[1024];
#define DOC_FMT                                                                            \
	"<quiz><question type=\"essay\"><name><text>Ảnh</text></name>"                        \
	"<questiontext format=\"html\"><text>&lt;img src=\"@@PLUGINFILE@@/%s\"&gt;"           \
	"</text><file name=\"a.png\" path=\"/\" encoding=\"base64\">%s</file>"                \
	"</questiontext></question></quiz>"

	snprintf(doc, sizeof(doc), DOC_FMT, "a.png", "aGVs\nbG8=");
	assert_int_equal(parse_str(a, doc, &set, &rep), 0);
	assert_int_equal(rep.warnings, 0);
	assert_int_equal(set.items[0]->text.files[0].size, 5);
	assert_memory_equal(set.items[0]->text.files[0].data, "hello", 5);
	snprintf(doc, sizeof(doc), DOC_FMT, "b.png", "aGVsbG8=");
	assert_int_equal(parse_str(a, doc, &set, &rep), 0);
	assert_string_equal(rep.items[0].code, "attachment_missing");
	assert_non_null(strstr(rep.items[0].message, "b.png"));
	snprintf(doc, sizeof(doc), DOC_FMT, "a.png", "aGVs*bG8=");
	assert_int_equal(parse_str(a, doc, &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "attachment_base64");
	lms_qimport_opts_default(&o);
	o.limits.max_attachment = 4;
	snprintf(doc, sizeof(doc), DOC_FMT, "a.png", "aGVsbG8=");
	assert_int_equal(parse(a, doc, strlen(doc), &o, &set, &rep, &err), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "attachment_too_big");
	lms_qimport_opts_default(&o);
	o.limits.max_attachments_total = 4;
	assert_int_equal(parse(a, doc, strlen(doc), &o, &set, &rep, &err), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "attachments_total");
	snprintf(doc, sizeof(doc), DOC_FMT, "a.png", "aGVsbG8=");
	memcpy(strstr(doc, "name=\"a.png\""), "name=\"../x\" ", 12);
	assert_int_equal(parse_str(a, doc, &set, &rep), LMS_EINVAL);
	assert_non_null(problem_with(&rep, "attachment_name"));
#undef DOC_FMT
	lms_arena_free(a);
}

static void caps_on_answers_and_questions(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qimport_opts o;
	lms_qreport rep;
	lms_qset set;
	lms_err err;
	const char *doc = "<quiz>"
	                  "<question type=\"multichoice\"><name><text>Ba</text></name>"
	                  "<questiontext><text>Q</text></questiontext>"
	                  "<answer fraction=\"100\"><text>a</text></answer>"
	                  "<answer fraction=\"0\"><text>b</text></answer>"
	                  "<answer fraction=\"0\"><text>c</text></answer></question>"
	                  "<question type=\"truefalse\"><name><text>Đúng sai</text></name>"
	                  "<questiontext><text>Q</text></questiontext>"
	                  "<answer fraction=\"0\"><text>true</text></answer>"
	                  "<answer fraction=\"100\"><text>false</text></answer></question>"
	                  "<question type=\"description\"><name><text>Mô tả</text></name>"
	                  "<questiontext><text>Q</text></questiontext></question>"
	                  "</quiz>";

	lms_qimport_opts_default(&o);
	o.limits.max_options = 2;
	assert_int_equal(parse(a, doc, strlen(doc), &o, &set, &rep, &err), LMS_EINVAL);
	assert_int_equal(set.n, 2);
	assert_false(set.items[0]->tf_answer);
	assert_string_equal(problem_with(&rep, "too_many_options")->name, "Ba");
	lms_qimport_opts_default(&o);
	o.limits.max_questions = 2;
	assert_int_equal(parse(a, doc, strlen(doc), &o, &set, &rep, &err), LMS_EINVAL);
	assert_int_equal(set.n, 2);
	assert_non_null(problem_with(&rep, "too_many_questions"));
	lms_arena_free(a);
}

/* ---- the writer ---- */

static void round_trip_the_sample_bank(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	size_t len;
	char *text = load("cchc-de-an-2709.xml", &len);
	const char *out;
	lms_err err;

	assert_int_equal(parse(a, text, len, NULL, &set, &rep, &err), 0);
	out = round_trip(a, &set);
	assert_non_null(strstr(out, "<text>$course$/top/CCHC/Đề án 2709/Chỉ tiêu</text>"));
	assert_non_null(strstr(out, "<question type=\"ordering\">"));
	assert_non_null(strstr(out, "<tag><text>difficulty:easy</text></tag>"));
	free(text);
	lms_arena_free(a);
}

static void round_trip_every_field(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const unsigned char bin[] = { 0x00, 0xff, 0x10, 0x80, 0x00, 0x3c, 0x26 };
	lms_question *qs[5];
	lms_qset set = { qs, 5 };
	lms_question *q;

	q = qs[0] = lms_question_new(a, LMS_Q_MULTI);
	q->name = "Tên <có> & \"ngoặc\" ]]> 'nháy'";
	q->text = TX("<p>Dòng 1\r\nDòng 2\tTab &amp; ]]></p><img src=\"@@PLUGINFILE@@/dir/ảnh%201.bin\">",
	             LMS_QF_HTML);
	q->text.files = lms_arena_alloc(a, sizeof(lms_qfile));
	q->text.files[0].name = "ảnh 1.bin";
	q->text.files[0].path = "/dir/";
	q->text.files[0].data = bin;
	q->text.files[0].size = sizeof(bin);
	q->text.n_files = 1;
	q->category = "Sở Nội vụ/CCHC & Một cửa";
	q->idnumber = "MC-01";
	q->hidden = true;
	q->shuffle = false;
	q->answer_numbering = "none";
	q->default_mark = 2.5;
	q->penalty = 0.1;
	q->difficulty = LMS_QD_HARD;
	q->correct_feedback = TX("Đúng", LMS_QF_MOODLE);
	q->partial_feedback = TX("Một phần", LMS_QF_PLAIN);
	q->incorrect_feedback = TX("Sai", LMS_QF_MARKDOWN);
	q->options = lms_arena_alloc(a, 3 * sizeof(lms_qoption));
	q->n_options = 3;
	q->options[0].text = TX("a", LMS_QF_PLAIN);
	q->options[0].fraction = 0.3333333;
	q->options[1].text = TX("b", LMS_QF_HTML);
	q->options[1].fraction = 0.6666667;
	q->options[1].feedback = TX("<b>tốt</b>", LMS_QF_HTML);
	q->options[2].text = TX("c", LMS_QF_MOODLE);
	q->options[2].fraction = -0.1428571;
	q = qs[1] = lms_question_new(a, LMS_Q_SHORT);
	q->name = "Ngắn";
	q->text = TX("Cơ quan?", LMS_QF_MOODLE);
	q->case_sensitive = true;
	q->diacritics_must_match = false;
	q->options = lms_arena_alloc(a, 1 * sizeof(lms_qoption));
	q->n_options = 1;
	q->options[0].text = TX("Sở Nội vụ -> Phòng CCHC", LMS_QF_MOODLE);
	q->options[0].fraction = 1.0;
	q->tags = lms_arena_alloc(a, sizeof(char *));
	q->tags[0] = "thẻ";
	q->n_tags = 1;
	q = qs[2] = lms_question_new(a, LMS_Q_ORDERING);
	q->name = "Thứ tự";
	q->text = TX("Sắp xếp", LMS_QF_MOODLE);
	q->ordering_grading = LMS_QO_ALL_OR_NOTHING;
	q->items = lms_arena_alloc(a, 3 * sizeof(lms_qtext));
	q->items[0] = TX("một", LMS_QF_MOODLE);
	q->items[1] = TX("<i>hai</i>", LMS_QF_HTML);
	q->items[2] = TX("ba", LMS_QF_MOODLE);
	q->n_items = 3;
	q = qs[3] = lms_question_new(a, LMS_Q_ESSAY);
	q->name = "Tự luận";
	q->text = TX("Viết", LMS_QF_MOODLE);
	q->response_format = "plain";
	q->response_required = false;
	q->response_lines = 5;
	q->attachments = -1;
	q->grader_info = TX("Barem", LMS_QF_HTML);
	q->response_template = TX("Mở bài:", LMS_QF_PLAIN);
	q = qs[4] = lms_question_new(a, LMS_Q_TRUEFALSE);
	q->name = "Đúng sai";
	q->text = TX("Đúng?", LMS_QF_MOODLE);
	q->tf_answer = false;
	q->tf_feedback_true = TX("Sai rồi", LMS_QF_HTML);
	q->tf_feedback_false = TX("Đúng rồi", LMS_QF_HTML);
	q->general_feedback = TX("Chung", LMS_QF_MOODLE);
	(void)round_trip(a, &set);
	lms_arena_free(a);
}

static void gift_to_xml_keeps_everything_gift_holds(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	size_t len;
	char *text = load("cchc-de-an-2709.gift", &len);
	lms_err err;

	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_parse(text, len, NULL, a, &set, &rep, &err), 0);
	(void)round_trip(a, &set);
	free(text);
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_bank_every_type),
		cmocka_unit_test(xxe_and_billion_laughs_are_refused),
		cmocka_unit_test(a_60_mb_file_is_refused_by_size),
		cmocka_unit_test(unsupported_types_are_each_reported),
		cmocka_unit_test(malformed_xml_and_wrong_root),
		cmocka_unit_test(attached_files_are_checked),
		cmocka_unit_test(caps_on_answers_and_questions),
		cmocka_unit_test(round_trip_the_sample_bank),
		cmocka_unit_test(round_trip_every_field),
		cmocka_unit_test(gift_to_xml_keeps_everything_gift_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
