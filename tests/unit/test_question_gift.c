/* test_question_gift.c — Moodle GIFT import and export (question.h): every type of the
 * sample bank (tests/unit/data/questions/cchc-de-an-2709.gift, Vietnamese, facts from
 * Decision 2709/QĐ-UBND), every escape, weights, Vietnamese kept byte for byte in NFC, every
 * problem reported with its line while the other questions are still read, files that are not
 * UTF-8 (Windows-1258) refused naming the lines, a BOM, the size and count caps, the caller's
 * category, and parse(write(x)) == x for every type GIFT can express. */
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
                 lms_qset *set, lms_qreport *rep)
{
	lms_err err;

	lms_err_clear(&err);
	lms_qreport_init(rep, a);
	return lms_gift_parse(text, len, o, a, set, rep, &err);
}

static int parse_str(lms_arena *a, const char *text, lms_qset *set, lms_qreport *rep)
{
	return parse(a, text, strlen(text), NULL, set, rep);
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

/* ---- deep comparison (for the round trips) ---- */

static void same_text(const lms_qtext *x, const lms_qtext *y, const char *what)
{
	size_t i;
	const char *xt = x->text ? x->text : "", *yt = y->text ? y->text : "";

	/* an empty text has no format worth keeping */
	if (strcmp(xt, yt) != 0 || (xt[0] && x->format != y->format)) {
		print_error("%s differs: [%s] (%d) vs [%s] (%d)\n", what, x->text, (int)x->format,
		            y->text, (int)y->format);
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
	assert_int_equal(x->case_sensitive, y->case_sensitive);
	assert_int_equal(x->diacritics_must_match, y->diacritics_must_match);
	assert_int_equal(x->n_options, y->n_options);
	for (i = 0; i < x->n_options; i++) {
		same_text(&x->options[i].text, &y->options[i].text, "option");
		same_text(&x->options[i].feedback, &y->options[i].feedback, "option feedback");
		if (x->options[i].fraction != y->options[i].fraction) {
			print_error("fraction %zu: %.17g vs %.17g\n", i, x->options[i].fraction,
			            y->options[i].fraction);
			fail();
		}
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
}

/* write as GIFT, read back, compare; returns the GIFT text */
static const char *round_trip(lms_arena *a, const lms_qset *set)
{
	lms_qreport rep;
	lms_qset back;
	const char *text;
	size_t len, i;
	lms_err err;

	lms_qreport_init(&rep, a);
	lms_err_clear(&err);
	assert_int_equal(lms_gift_write((const lms_question *const *)set->items, set->n, NULL, a,
	                                &rep, &text, &len, &err),
	                 0);
	assert_int_equal(strlen(text), len);
	if (parse(a, text, len, NULL, &back, &rep) != 0) {
		dump(&rep);
		print_error("%s\n", text);
		fail();
	}
	assert_int_equal(back.n, set->n);
	for (i = 0; i < set->n; i++)
		same_question(set->items[i], back.items[i]);
	return text;
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
	char *text = load("cchc-de-an-2709.gift", &len);

	if (parse(a, text, len, NULL, &set, &rep) != 0)
		dump(&rep);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(set.n, 14);

	q = by_name(&set, "Chỉ tiêu chuyên gia");
	assert_int_equal(q->type, LMS_Q_SINGLE);
	assert_string_equal(q->category, "CCHC/Đề án 2709");
	assert_string_equal(q->idnumber, "DA2709-01");
	assert_int_equal(q->difficulty, LMS_QD_EASY);
	assert_int_equal(q->n_tags, 1);
	assert_string_equal(q->tags[0], "Đề án 2709");
	assert_int_equal(q->n_options, 4);
	assert_string_equal(q->options[0].text.text, "50");
	assert_true(q->options[0].fraction == 1.0 && q->options[1].fraction == 0.0);
	assert_string_equal(q->options[0].feedback.text, "Đúng: ít nhất 50 chuyên gia.");
	assert_string_equal(q->general_feedback.text, "Xem mục II.2 \"Chỉ tiêu\" của Đề án.");
	assert_int_equal(q->line, 8);
	assert_int_equal(q->text.format, LMS_QF_MOODLE);

	q = by_name(&set, "Lĩnh vực cải cách");
	assert_int_equal(q->type, LMS_Q_MULTI);
	assert_int_equal(q->difficulty, LMS_QD_MEDIUM);
	assert_true(q->options[0].fraction == 0.3333333);
	assert_true(q->options[2].fraction == 0.3333334);
	assert_true(q->options[3].fraction == -1.0);
	assert_string_equal(q->options[3].feedback.text, "Không có trong Đề án.");

	q = by_name(&set, "Thời gian thực hiện");
	assert_int_equal(q->type, LMS_Q_TRUEFALSE);
	assert_true(q->tf_answer);
	assert_string_equal(q->tf_feedback_true.text, "Đúng.");
	assert_string_equal(q->tf_feedback_false.text, "Chưa đúng, xem mục III.2.");
	assert_true(q->penalty == 1.0);
	q = by_name(&set, "Lớp bồi dưỡng ở nước ngoài");
	assert_int_equal(q->type, LMS_Q_TRUEFALSE);
	assert_false(q->tf_answer);

	q = by_name(&set, "Cơ quan tham mưu");
	assert_int_equal(q->type, LMS_Q_SHORT);
	assert_int_equal(q->n_options, 2);
	assert_string_equal(q->options[0].text.text, "Sở Nội vụ");
	assert_true(q->options[0].fraction == 1.0 && q->options[1].fraction == 0.5);
	assert_string_equal(q->options[1].feedback.text, "Gần đúng: ghi đầy đủ \"Sở Nội vụ\".");
	assert_true(q->diacritics_must_match);
	q = by_name(&set, "Chỉ số");
	assert_false(q->diacritics_must_match);
	assert_int_equal(q->difficulty, LMS_QD_HARD);
	assert_int_equal(q->n_tags, 0);

	q = by_name(&set, "Tỉ lệ hài lòng năm 2020");
	assert_int_equal(q->type, LMS_Q_NUMERICAL);
	assert_int_equal(q->n_numerics, 1);
	assert_true(q->numerics[0].value == 83.74 && q->numerics[0].tolerance == 0.01);
	q = by_name(&set, "Mục tiêu hài lòng");
	assert_true(q->numerics[0].value == 97.5 && q->numerics[0].tolerance == 2.5);
	q = by_name(&set, "Phòng Nội vụ");
	assert_int_equal(q->n_numerics, 3);
	assert_true(q->numerics[1].fraction == 0.5 && q->numerics[1].tolerance == 2);
	assert_true(q->numerics[2].any && q->numerics[2].fraction == 0);
	assert_string_equal(q->numerics[2].feedback.text, "Chưa đúng.");

	q = by_name(&set, "Ghép chỉ tiêu");
	assert_int_equal(q->type, LMS_Q_MATCHING);
	assert_string_equal(q->category, "CCHC/Đề án 2709/Chỉ tiêu");
	assert_int_equal(q->n_pairs, 4);
	assert_string_equal(q->pairs[1].stem.text,
	                    "Công chức được quy hoạch, bổ nhiệm giữ chức vụ lãnh đạo");
	assert_string_equal(q->pairs[1].answer, "20");
	assert_string_equal(q->pairs[3].stem.text, ""); /* the distractor */
	assert_string_equal(q->pairs[3].answer, "100");

	q = by_name(&set, "Thực hành 5S");
	assert_int_equal(q->type, LMS_Q_SINGLE);
	assert_string_equal(q->text.text, "Đề án thí điểm sắp xếp nơi làm việc theo tiêu chuẩn "
	                                  "thực hành _____ tại một số Sở - ngành, quận - huyện.");

	q = by_name(&set, "Giải pháp tại đơn vị");
	assert_int_equal(q->type, LMS_Q_ESSAY);
	q = by_name(&set, "Giới thiệu");
	assert_int_equal(q->type, LMS_Q_DESCRIPTION);
	assert_int_equal(q->text.format, LMS_QF_HTML);
	assert_true(q->default_mark == 0);
	assert_string_equal(q->text.text,
	                    "<p>Các câu hỏi sau đây dựa trên <b>Quyết định 2709/QĐ-UBND</b>.</p>");

	q = by_name(&set, "Ký hiệu: thoát");
	assert_string_equal(q->text.text, "Trong GIFT, các ký tự { } ~ = # : và \\ phải được thoát."
	                                  "\nDòng thứ hai.");
	assert_string_equal(q->options[0].text.text, "a=b#c");
	free(text);
	lms_arena_free(a);
}

static void vietnamese_byte_exact_nfc(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	/* NFC as typed, then the same words decomposed (NFD): both come out NFC */
	const char *nfc = "::Thủ tục::Thủ tục hành chính được giải quyết ở Bộ phận Một cửa.{=Một cửa}";
	const char *nfd = "::Thu\xcc\x89 tu\xcc\xa3\x63::Mo\xcc\xa3\xcc\x82t cu\xcc\x9b\xcc\x89\x61{T}";

	assert_int_equal(parse_str(a, nfc, &set, &rep), 0);
	assert_string_equal(set.items[0]->name, "Th\xe1\xbb\xa7 t\xe1\xbb\xa5\x63");
	assert_string_equal(set.items[0]->text.text,
	                    "Thủ tục hành chính được giải quyết ở Bộ phận Một cửa.");
	assert_string_equal(set.items[0]->options[0].text.text, "Một cửa");
	assert_int_equal(parse_str(a, nfd, &set, &rep), 0);
	assert_string_equal(set.items[0]->name, "Thủ tục");
	assert_string_equal(set.items[0]->text.text, "Một cửa");
	lms_arena_free(a);
}

static void every_escape(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	const lms_question *q;

	assert_int_equal(parse_str(a, "::a\\:b\\:\\:c::x \\~ \\= \\# \\{ \\} \\: \\\\ \\n y \\q{"
	                              "=\\~1\\=2\\#3\\{4\\}5\\:6\\\\7#f\\#b\\n}",
	                              &set, &rep), 0);
	q = set.items[0];
	assert_string_equal(q->name, "a:b::c");
	assert_string_equal(q->text.text, "x ~ = # { } : \\ \n y \\q");
	assert_int_equal(q->type, LMS_Q_SHORT);
	assert_int_equal(q->n_options, 1);
	assert_string_equal(q->options[0].text.text, "~1=2#3{4}5:6\\7");
	assert_string_equal(q->options[0].feedback.text, "f#b"); /* a trailing \n is trimmed */
	/* escaped markers do not split a multiple choice */
	assert_int_equal(parse_str(a, "Chọn{=a\\~b ~c\\=d}", &set, &rep), 0);
	assert_int_equal(set.items[0]->n_options, 2);
	assert_string_equal(set.items[0]->options[0].text.text, "a~b");
	assert_string_equal(set.items[0]->options[1].text.text, "c=d");
	lms_arena_free(a);
}

static void weights_formats_and_feedback(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	const lms_question *q;

	assert_int_equal(parse_str(a, "[html]<p>Chọn</p>{~%50%[plain]A#[html]<b>ok</b> ~%50%B "
	                              "~%-50%C ~D####[markdown]*chung*}",
	                              &set, &rep), 0);
	q = set.items[0];
	assert_int_equal(q->type, LMS_Q_MULTI);
	assert_int_equal(q->text.format, LMS_QF_HTML);
	assert_string_equal(q->text.text, "<p>Chọn</p>");
	assert_int_equal(q->options[0].text.format, LMS_QF_PLAIN);
	assert_int_equal(q->options[0].feedback.format, LMS_QF_HTML);
	assert_int_equal(q->options[1].text.format, LMS_QF_HTML); /* the question's format */
	assert_true(q->options[2].fraction == -0.5 && q->options[3].fraction == 0);
	assert_int_equal(q->general_feedback.format, LMS_QF_MARKDOWN);
	assert_string_equal(q->general_feedback.text, "*chung*");
	assert_string_equal(q->name, "Chọn"); /* from the text, without tags */
	/* T/F feedback: the first is for a wrong answer, the second for a right one */
	assert_int_equal(parse_str(a, "Sai?{FALSE#sai rồi#đúng rồi####chung}", &set, &rep), 0);
	q = set.items[0];
	assert_false(q->tf_answer);
	assert_string_equal(q->tf_feedback_false.text, "đúng rồi");
	assert_string_equal(q->tf_feedback_true.text, "sai rồi");
	assert_string_equal(q->general_feedback.text, "chung");
	/* a weight outside -100..100 is an error */
	assert_int_equal(parse_str(a, "Q{~%150%a ~%-50%b =c}", &set, &rep), LMS_EINVAL);
	assert_non_null(problem_with(&rep, "bad_weight"));
	/* multi fractions must add up to 100% */
	assert_int_equal(parse_str(a, "Q{~%50%a ~%30%b ~c}", &set, &rep), LMS_EINVAL);
	assert_non_null(problem_with(&rep, "fractions_sum"));
	lms_arena_free(a);
}

/* ---- problems ---- */

static void malformed_question_in_the_middle(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	const lms_qproblem *p;
	const char *text = "// ba câu hỏi, câu giữa hỏng\n"
	                   "::Một::Câu một?{=a ~b}\n"
	                   "\n"
	                   "::Hai::Câu hai thiếu ngoặc đóng?{=Sở Nội vụ\n"
	                   "~Sở Tư pháp\n"
	                   "\n"
	                   "::Ba::Câu ba?{TRUE}\n";

	assert_int_equal(parse_str(a, text, &set, &rep), LMS_EINVAL);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.items[0]->name, "Một");
	assert_string_equal(set.items[1]->name, "Ba");
	assert_int_equal(set.items[1]->line, 7);
	assert_int_equal(rep.errors, 1);
	p = &rep.items[0];
	assert_string_equal(p->code, "gift_brace");
	assert_int_equal(p->index, 2);
	assert_int_equal(p->line, 4);
	assert_string_equal(p->name, "Hai");
	assert_non_null(strstr(p->message, "closed"));
	assert_non_null(strstr(p->message_vi, "Khối đáp án"));
	lms_arena_free(a);
}

static void every_problem_is_reported(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	const char *text = "::Tốt::Câu tốt{=x}\n\n"
	                   "::Tên chưa đóng: Câu{=x}\n\n"
	                   "Hai khối {=a} và {=b}\n\n"
	                   "Ghép thiếu mũi tên{=a -> 1 =b 2}\n\n"
	                   "Số sai{#ba}\n\n"
	                   "Một lựa chọn{~a =}\n\n"
	                   "Một đáp án{=a ~b}\n";

	assert_int_equal(parse_str(a, text, &set, &rep), LMS_EINVAL);
	assert_int_equal(set.n, 2);
	assert_int_equal(rep.errors, 5);
	assert_string_equal(rep.items[0].code, "gift_name_unclosed");
	assert_int_equal(rep.items[0].line, 3);
	assert_string_equal(rep.items[1].code, "gift_two_blocks");
	assert_int_equal(rep.items[1].line, 5);
	assert_string_equal(rep.items[2].code, "gift_matching_arrow");
	assert_int_equal(rep.items[2].index, 4);
	assert_non_null(strstr(rep.items[2].message, "b 2"));
	assert_string_equal(rep.items[3].code, "bad_number");
	assert_int_equal(rep.items[3].line, 9);
	assert_string_equal(rep.items[4].code, "answer_empty");
	assert_int_equal(rep.items[4].line, 11);
	lms_arena_free(a);
}

static void not_utf8_is_refused_naming_the_lines(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;
	size_t len;
	char *text = load("windows-1258.gift", &len);
	lms_err err;

	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_parse(text, len, NULL, a, &set, &rep, &err), LMS_EINVAL);
	assert_string_equal(err.code, "questions_not_utf8");
	assert_int_equal(set.n, 0);
	assert_int_equal(rep.errors, 2);
	assert_string_equal(rep.items[0].code, "not_utf8");
	assert_int_equal(rep.items[0].line, 1);
	assert_int_equal(rep.items[1].line, 3);
	assert_non_null(strstr(rep.items[1].message, "Line 3"));
	assert_non_null(strstr(rep.items[1].message, "Windows-1258"));
	assert_non_null(strstr(rep.items[1].message_vi, "Dòng 3"));
	/* an overlong form and a NUL are refused too */
	assert_int_equal(parse_str(a, "Q{=\xc0\xaf}", &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "not_utf8");
	assert_int_equal(parse(a, "Q{=a}\n\nR{=\0}", sizeof("Q{=a}\n\nR{=\0}") - 1, NULL, &set, &rep),
	                 LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "nul_byte");
	assert_int_equal(rep.items[0].line, 3);
	free(text);
	lms_arena_free(a);
}

static void bom_is_accepted(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;

	assert_int_equal(parse_str(a, "\xEF\xBB\xBF::Có BOM::Tệp lưu bằng Notepad?{T}\r\n\r\n"
	                              "::Hai::Dòng Windows?{=Có}\r\n", &set, &rep), 0);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.items[0]->name, "Có BOM");
	assert_string_equal(set.items[1]->text.text, "Dòng Windows?");
	assert_int_equal(set.items[1]->line, 3);
	lms_arena_free(a);
}

static void size_and_count_caps(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	size_t big = (size_t)60 * 1024 * 1024, i;
	char *huge = malloc(big);
	lms_qimport_opts o;
	lms_qreport rep;
	lms_qset set;
	lms_err err;
	char many[256];
	size_t used = 0;

	assert_non_null(huge);
	memset(huge, 'a', big);
	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_parse(huge, big, NULL, a, &set, &rep, &err), LMS_ETOOBIG);
	assert_string_equal(err.code, "questions_file_too_big");
	assert_string_equal(rep.items[0].code, "questions_file_too_big");
	free(huge);
	lms_qimport_opts_default(&o);
	o.limits.max_questions = 3;
	for (i = 0; i < 5; i++)
		used += (size_t)snprintf(many + used, sizeof(many) - used, "Câu %zu?{T}\n\n", i);
	assert_int_equal(parse(a, many, used, &o, &set, &rep), LMS_EINVAL);
	assert_int_equal(set.n, 3);
	assert_non_null(problem_with(&rep, "too_many_questions"));
	lms_qimport_opts_default(&o);
	o.limits.max_options = 3;
	assert_int_equal(parse_str(a, "Q{=a ~b ~c ~d}\n\nR{=a ~b ~c}", &set, &rep), 0);
	assert_int_equal(parse(a, "Q{=a ~b ~c ~d}\n\nR{=a ~b ~c}", 27, &o, &set, &rep), LMS_EINVAL);
	assert_int_equal(set.n, 1);
	assert_string_equal(problem_with(&rep, "too_many_options")->name, "Q");
	lms_qimport_opts_default(&o);
	o.limits.max_text = 10;
	assert_int_equal(parse(a, "Một câu hỏi dài hơn mười byte{T}",
	                       strlen("Một câu hỏi dài hơn mười byte{T}"), &o, &set, &rep),
	                 LMS_EINVAL);
	assert_non_null(problem_with(&rep, "text_too_long"));
	lms_arena_free(a);
}

static void categories_and_the_callers_prefix(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qimport_opts o;
	lms_qreport rep;
	lms_qset set;
	const char *text = "Không danh mục{T}\n\n$CATEGORY: $course$/top/Thủ tục\n\nCó danh mục{T}\n"
	                   "\n$CATEGORY: Một cửa/Liên thông\n// chú thích\nNgay sau{T}\n";

	assert_int_equal(parse_str(a, text, &set, &rep), 0);
	assert_string_equal(set.items[0]->category, "");
	assert_string_equal(set.items[1]->category, "Thủ tục");
	assert_string_equal(set.items[2]->category, "Một cửa/Liên thông");
	lms_qimport_opts_default(&o);
	o.category = "Sở Nội vụ/CCHC";
	assert_int_equal(parse(a, text, strlen(text), &o, &set, &rep), 0);
	assert_string_equal(set.items[0]->category, "Sở Nội vụ/CCHC");
	assert_string_equal(set.items[1]->category, "Sở Nội vụ/CCHC/Thủ tục");
	assert_string_equal(set.items[2]->category, "Sở Nội vụ/CCHC/Một cửa/Liên thông");
	lms_arena_free(a);
}

static void lowercase_true_is_a_short_answer_with_a_warning(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qreport rep;
	lms_qset set;

	assert_int_equal(parse_str(a, "Đúng?{true}", &set, &rep), 0);
	assert_int_equal(set.items[0]->type, LMS_Q_SHORT);
	assert_int_equal(rep.warnings, 1);
	assert_string_equal(rep.items[0].code, "gift_tf_case");
	assert_non_null(strstr(rep.items[0].message, "{TRUE}"));
	assert_int_equal(parse_str(a, "", &set, &rep), LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "questions_file_empty");
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
	char *text = load("cchc-de-an-2709.gift", &len);
	const char *out;

	assert_int_equal(parse(a, text, len, NULL, &set, &rep), 0);
	out = round_trip(a, &set);
	assert_non_null(strstr(out, "$CATEGORY: $course$/top/CCHC/Đề án 2709\n"));
	assert_non_null(strstr(out, "// [id:DA2709-01] [tag:Đề án 2709] [tag:difficulty:easy]\n"));
	assert_non_null(strstr(out, "::Ký hiệu\\: thoát::"));
	free(text);
	lms_arena_free(a);
}

static lms_qtext TX(const char *s, lms_qformat f)
{
	lms_qtext t;

	memset(&t, 0, sizeof(t));
	t.text = s;
	t.format = f;
	return t;
}

static void round_trip_tricky_texts(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *qs[7];
	lms_qset set = { qs, 7 };
	lms_question *q;

	/* a single choice whose texts look like GIFT syntax */
	q = qs[0] = lms_question_new(a, LMS_Q_SINGLE);
	q->name = "Tên: có {ngoặc} và #thăng";
	q->text = TX("[html] is not a format here: a=b, ~c, \\d, 100%", LMS_QF_MOODLE);
	q->category = "CCHC/Một cửa";
	q->options = lms_arena_alloc(a, 3 * sizeof(lms_qoption));
	q->n_options = 3;
	q->options[0].text = TX("%50% nghe như trọng số", LMS_QF_MOODLE);
	q->options[0].fraction = 1.0;
	q->options[1].text = TX("%chưa đúng", LMS_QF_HTML);
	q->options[1].fraction = 0.0;
	q->options[1].feedback = TX("dòng 1\ndòng 2", LMS_QF_MOODLE);
	q->options[2].text = TX("[plain] text", LMS_QF_PLAIN);
	q->options[2].fraction = -0.3333333;
	q->general_feedback = TX("#### không phải phân cách", LMS_QF_MOODLE);
	q->idnumber = "ID]với ngoặc";
	q->tags = lms_arena_alloc(a, 2 * sizeof(char *));
	q->tags[0] = "thẻ [một]";
	q->tags[1] = "CCHC";
	q->n_tags = 2;
	q->difficulty = LMS_QD_MEDIUM;
	/* a short answer with its flags */
	q = qs[1] = lms_question_new(a, LMS_Q_SHORT);
	q->name = "Ngắn";
	q->text = TX("Cơ quan?", LMS_QF_MOODLE);
	q->category = "CCHC/Một cửa";
	q->case_sensitive = true;
	q->diacritics_must_match = false;
	q->options = lms_arena_alloc(a, 2 * sizeof(lms_qoption));
	q->n_options = 2;
	q->options[0].text = TX("Sở Nội vụ - Phòng CCHC > Tổ 1", LMS_QF_MOODLE);
	q->options[0].fraction = 1.0;
	q->options[1].text = TX("[Sở]", LMS_QF_MOODLE);
	q->options[1].fraction = 0.1;
	/* a numerical question with negative, tiny and "any" answers */
	q = qs[2] = lms_question_new(a, LMS_Q_NUMERICAL);
	q->name = "Số";
	q->text = TX("Bao nhiêu?", LMS_QF_HTML);
	q->numerics = lms_arena_alloc(a, 3 * sizeof(lms_qnumeric));
	q->n_numerics = 3;
	q->numerics[0].value = -0.1;
	q->numerics[0].tolerance = 1e-5;
	q->numerics[0].fraction = 1.0;
	q->numerics[1].value = 1e20;
	q->numerics[1].fraction = 0.1428571;
	q->numerics[1].feedback = TX("xa", LMS_QF_HTML);
	q->numerics[2].any = true;
	q->numerics[2].fraction = 0.05;
	/* matching whose answers contain arrows and escapes */
	q = qs[3] = lms_question_new(a, LMS_Q_MATCHING);
	q->name = "Ghép";
	q->text = TX("Ghép", LMS_QF_MOODLE);
	q->pairs = lms_arena_alloc(a, 3 * sizeof(lms_qpair));
	q->n_pairs = 3;
	q->pairs[0].stem = TX("[x] một", LMS_QF_MOODLE);
	q->pairs[0].answer = "1 -> 2 = {3}";
	q->pairs[1].stem = TX("<b>hai</b>", LMS_QF_HTML);
	q->pairs[1].answer = "#2";
	q->pairs[2].stem = TX("", LMS_QF_MOODLE);
	q->pairs[2].answer = "nhiễu";
	/* true/false with only the right feedback, and an essay with general feedback */
	q = qs[4] = lms_question_new(a, LMS_Q_TRUEFALSE);
	q->name = "Đúng sai";
	q->text = TX("Đúng?", LMS_QF_MOODLE);
	q->tf_answer = false;
	q->tf_feedback_false = TX("Chính xác", LMS_QF_MOODLE);
	q = qs[5] = lms_question_new(a, LMS_Q_ESSAY);
	q->name = "Tự luận";
	q->text = TX("Viết: a:b", LMS_QF_MARKDOWN);
	q->general_feedback = TX("Gợi ý", LMS_QF_HTML);
	/* a single choice where every option gives full marks stays a single choice */
	q = qs[6] = lms_question_new(a, LMS_Q_SINGLE);
	q->name = "Hai đáp án đúng";
	q->text = TX("Chọn một", LMS_QF_MOODLE);
	q->options = lms_arena_alloc(a, 2 * sizeof(lms_qoption));
	q->n_options = 2;
	q->options[0].text = TX("Sở Nội vụ", LMS_QF_MOODLE);
	q->options[0].fraction = 1.0;
	q->options[1].text = TX("Sở Nội Vụ", LMS_QF_MOODLE);
	q->options[1].fraction = 1.0;
	(void)round_trip(a, &set);
	lms_arena_free(a);
}

static void writer_reports_what_gift_cannot_hold(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *qs[2];
	lms_qwrite_opts skip = { true };
	lms_qreport rep;
	lms_qset back;
	const char *out = NULL;
	size_t len = 0;
	lms_err err;

	qs[0] = lms_question_new(a, LMS_Q_ORDERING);
	qs[0]->name = "Thứ tự";
	qs[0]->text = TX("Sắp xếp", LMS_QF_MOODLE);
	qs[0]->items = lms_arena_alloc(a, 2 * sizeof(lms_qtext));
	qs[0]->items[0] = TX("một", LMS_QF_MOODLE);
	qs[0]->items[1] = TX("hai", LMS_QF_MOODLE);
	qs[0]->n_items = 2;
	qs[1] = lms_question_new(a, LMS_Q_TRUEFALSE);
	qs[1]->name = "Đúng sai";
	qs[1]->text = TX("Đúng?", LMS_QF_MOODLE);
	qs[1]->default_mark = 2;
	qs[1]->hidden = true;
	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_write((const lms_question *const *)qs, 2, NULL, a, &rep, &out,
	                                &len, &err),
	                 LMS_EUNSUPPORTED);
	assert_null(out);
	assert_string_equal(rep.items[0].code, "gift_type_unsupported");
	assert_int_equal(rep.items[0].index, 1);
	assert_non_null(strstr(rep.items[0].message, "ordering"));
	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_write((const lms_question *const *)qs, 2, &skip, a, &rep, &out,
	                                &len, &err),
	                 0);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(rep.warnings, 2);
	assert_string_equal(rep.items[0].code, "gift_type_unsupported");
	assert_string_equal(rep.items[1].code, "gift_field_lost");
	assert_non_null(strstr(rep.items[1].message, "points, hidden"));
	assert_null(strstr(out, "Thứ tự"));
	assert_int_equal(parse(a, out, len, NULL, &back, &rep), 0);
	assert_int_equal(back.n, 1);
	/* a short answer with "->" would come back as matching: reported, not written wrong */
	qs[0] = lms_question_new(a, LMS_Q_SHORT);
	qs[0]->name = "Mũi tên";
	qs[0]->text = TX("Quy trình?", LMS_QF_MOODLE);
	qs[0]->options = lms_arena_alloc(a, sizeof(lms_qoption));
	qs[0]->options[0].text = TX("Tiếp nhận -> Trả kết quả", LMS_QF_MOODLE);
	qs[0]->options[0].fraction = 1.0;
	qs[0]->n_options = 1;
	lms_qreport_init(&rep, a);
	out = NULL;
	assert_int_equal(lms_gift_write((const lms_question *const *)qs, 1, NULL, a, &rep, &out,
	                                &len, &err),
	                 LMS_EUNSUPPORTED);
	assert_string_equal(rep.items[0].code, "gift_arrow");
	assert_null(out);
	/* an invalid question is refused, not written */
	qs[1]->text = TX("", LMS_QF_MOODLE);
	lms_qreport_init(&rep, a);
	assert_int_equal(lms_gift_write((const lms_question *const *)&qs[1], 1, NULL, a, &rep, &out,
	                                &len, &err),
	                 LMS_EINVAL);
	assert_string_equal(rep.items[0].code, "text_empty");
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_bank_every_type),
		cmocka_unit_test(vietnamese_byte_exact_nfc),
		cmocka_unit_test(every_escape),
		cmocka_unit_test(weights_formats_and_feedback),
		cmocka_unit_test(malformed_question_in_the_middle),
		cmocka_unit_test(every_problem_is_reported),
		cmocka_unit_test(not_utf8_is_refused_naming_the_lines),
		cmocka_unit_test(bom_is_accepted),
		cmocka_unit_test(size_and_count_caps),
		cmocka_unit_test(categories_and_the_callers_prefix),
		cmocka_unit_test(lowercase_true_is_a_short_answer_with_a_warning),
		cmocka_unit_test(round_trip_the_sample_bank),
		cmocka_unit_test(round_trip_tricky_texts),
		cmocka_unit_test(writer_reports_what_gift_cannot_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
