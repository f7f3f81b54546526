/* test_question_json.c — a question version as JSON (qbank.h, question_json.c): every type of
 * both sample banks and a question with every member set come back member for member (every
 * member, whatever the type: the store keeps exactly what was imported); the text is
 * canonical (writing what was read gives the same text); files keep their order, names,
 * paths and sizes; text typed decomposed comes back NFC. Hostile JSON — not JSON, not UTF-8,
 * nested too deep, "\u0000", trailing bytes, wrong types, unknown and repeated members, too
 * many options/tags/files, values out of range, a missing or unknown type or version, a
 * 64 MiB input — is refused with a code and the path of the member at fault, never a crash. */
#include "support.h"

#include "lms/qbank.h"

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

static void same_text(const lms_qtext *x, const lms_qtext *y, const char *what)
{
	size_t i;

	if (strcmp(x->text ? x->text : "", y->text ? y->text : "") != 0 || x->format != y->format) {
		print_error("%s differs: [%s] (%d) vs [%s] (%d)\n", what, x->text, (int)x->format,
		            y->text, (int)y->format);
		fail();
	}
	assert_int_equal(x->n_files, y->n_files);
	for (i = 0; i < x->n_files; i++) {
		assert_string_equal(x->files[i].name, y->files[i].name);
		assert_string_equal(x->files[i].path, y->files[i].path);
		assert_int_equal(x->files[i].size, y->files[i].size);
	}
}

/* Every member, whatever the type. */
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
	assert_int_equal(x->shuffle, y->shuffle);
	assert_string_equal(x->answer_numbering, y->answer_numbering);
	assert_int_equal(x->n_options, y->n_options);
	for (i = 0; i < x->n_options; i++) {
		same_text(&x->options[i].text, &y->options[i].text, "option");
		same_text(&x->options[i].feedback, &y->options[i].feedback, "option feedback");
		assert_true(x->options[i].fraction == y->options[i].fraction);
	}
	assert_int_equal(x->case_sensitive, y->case_sensitive);
	assert_int_equal(x->diacritics_must_match, y->diacritics_must_match);
	assert_int_equal(x->tf_answer, y->tf_answer);
	same_text(&x->tf_feedback_true, &y->tf_feedback_true, "feedback true");
	same_text(&x->tf_feedback_false, &y->tf_feedback_false, "feedback false");
	assert_int_equal(x->n_numerics, y->n_numerics);
	for (i = 0; i < x->n_numerics; i++) {
		assert_int_equal(x->numerics[i].any, y->numerics[i].any);
		assert_true(x->numerics[i].value == y->numerics[i].value);
		assert_true(x->numerics[i].tolerance == y->numerics[i].tolerance);
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
	assert_int_equal(x->ordering_grading, y->ordering_grading);
	same_text(&x->correct_feedback, &y->correct_feedback, "correct feedback");
	same_text(&x->partial_feedback, &y->partial_feedback, "partial feedback");
	same_text(&x->incorrect_feedback, &y->incorrect_feedback, "incorrect feedback");
	assert_string_equal(x->response_format, y->response_format);
	assert_int_equal(x->response_required, y->response_required);
	assert_int_equal(x->response_lines, y->response_lines);
	assert_int_equal(x->attachments, y->attachments);
	same_text(&x->grader_info, &y->grader_info, "grader info");
	same_text(&x->response_template, &y->response_template, "template");
}

static const char *to_json(lms_arena *a, const lms_question *q)
{
	lms_jsonw w;
	lms_err err;

	lms_jsonw_init(&w, a);
	lms_err_clear(&err);
	if (lms_question_to_json(q, &w, &err) != 0) {
		print_error("to_json: %s (%s)\n", err.msg, err.field);
		fail();
	}
	return lms_jsonw_text(&w);
}

/* to_json, from_json, compare; and the text is canonical. */
static void round_trip(lms_arena *a, const lms_question *q)
{
	const char *text = to_json(a, q), *again;
	lms_question *back = NULL;
	lms_err err;

	lms_err_clear(&err);
	if (lms_question_from_json(text, strlen(text), NULL, a, &back, &err) != 0) {
		print_error("from_json: %s (%s) in %s\n", err.msg, err.field, text);
		fail();
	}
	same_question(q, back);
	again = to_json(a, back);
	assert_string_equal(text, again);
}

static int from(lms_arena *a, const char *json, lms_question **q, lms_err *err)
{
	lms_err_clear(err);
	*q = NULL;
	return lms_question_from_json(json, strlen(json), NULL, a, q, err);
}

/* json is refused with code and, when field is not NULL, that field. */
static void refused(lms_arena *a, const char *json, const char *code, const char *field)
{
	lms_question *q;
	lms_err err;
	int rc = from(a, json, &q, &err);

	if (rc != LMS_EINVAL || strcmp(err.code, code) != 0 ||
	    (field && strcmp(err.field, field) != 0)) {
		print_error("%s\n  -> rc %d code %s field %s (%s); wanted %s %s\n", json, rc, err.code,
		            err.field, err.msg, code, field ? field : "");
		fail();
	}
	assert_null(q);
	assert_true(err.msg[0] != '\0');
}

static lms_qtext TX(const char *s, lms_qformat f)
{
	lms_qtext t;

	memset(&t, 0, sizeof(t));
	t.text = s;
	t.format = f;
	return t;
}

/* ---- round trips ---- */

static void every_type_of_both_sample_banks(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	const char *files[] = { "cchc-de-an-2709.gift", "cchc-de-an-2709.xml" };
	bool seen[LMS_Q_DESCRIPTION + 1] = { false };
	size_t f, i, len;
	int t;

	for (f = 0; f < 2; f++) {
		char *text = load(files[f], &len);
		lms_qreport rep;
		lms_qset set;
		lms_err err;

		lms_qreport_init(&rep, a);
		if (f == 0)
			assert_int_equal(lms_gift_parse(text, len, NULL, a, &set, &rep, &err), 0);
		else
			assert_int_equal(lms_moodlexml_parse(text, len, NULL, a, &set, &rep, &err), 0);
		assert_true(set.n >= 9);
		for (i = 0; i < set.n; i++) {
			round_trip(a, set.items[i]);
			seen[set.items[i]->type] = true;
		}
		free(text);
	}
	for (t = LMS_Q_SINGLE; t <= LMS_Q_DESCRIPTION; t++)
		if (!seen[t]) {
			print_error("no sample question of type %s\n", lms_qtype_name((lms_qtype)t));
			fail();
		}
	lms_arena_free(a);
}

static void every_member_set(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	static const unsigned char bin[] = { 0x00, 0xff, 0x10 };
	lms_question *q = lms_question_new(a, LMS_Q_MULTI);
	lms_qfile **files;
	size_t n;

	q->name = "Tên <có> & \"ngoặc\" \\ 'nháy'";
	q->idnumber = "MC-01";
	q->category = "Sở Nội vụ/CCHC & Một cửa";
	q->text = TX("<p>Dòng 1\r\nDòng 2\tTab</p><img src=\"@@PLUGINFILE@@/ảnh.png\">", LMS_QF_HTML);
	q->text.files = lms_arena_alloc(a, 2 * sizeof(lms_qfile));
	q->text.files[0].name = "ảnh.png";
	q->text.files[0].path = "/";
	q->text.files[0].data = bin;
	q->text.files[0].size = sizeof(bin);
	q->text.files[1].name = "b.gif";
	q->text.files[1].path = "/dir/";
	q->text.files[1].data = bin;
	q->text.files[1].size = 1;
	q->text.n_files = 2;
	q->general_feedback = TX("Chung", LMS_QF_MARKDOWN);
	q->default_mark = 2.5;
	q->penalty = 0.1;
	q->hidden = true;
	q->tags = lms_arena_alloc(a, 2 * sizeof(char *));
	q->tags[0] = "Đề án 2709";
	q->tags[1] = "thẻ \"hai\"";
	q->n_tags = 2;
	q->difficulty = LMS_QD_HARD;
	q->shuffle = false;
	q->answer_numbering = "none";
	q->options = lms_arena_alloc(a, 3 * sizeof(lms_qoption));
	q->n_options = 3;
	q->options[0].text = TX("a", LMS_QF_PLAIN);
	q->options[0].fraction = 0.3333333;
	q->options[1].text = TX("b", LMS_QF_HTML);
	q->options[1].fraction = 0.6666667;
	q->options[1].feedback = TX("<b>tốt</b>", LMS_QF_HTML);
	q->options[1].feedback.files = lms_arena_alloc(a, sizeof(lms_qfile));
	q->options[1].feedback.files[0].name = "fb.png";
	q->options[1].feedback.files[0].path = "/";
	q->options[1].feedback.files[0].size = 2;
	q->options[1].feedback.n_files = 1;
	q->options[2].text = TX("c", LMS_QF_MOODLE);
	q->options[2].fraction = -0.1428571;
	/* members other types use are kept too */
	q->case_sensitive = true;
	q->diacritics_must_match = false;
	q->tf_answer = false;
	q->tf_feedback_true = TX("Sai rồi", LMS_QF_HTML);
	q->tf_feedback_false = TX("Đúng rồi", LMS_QF_PLAIN);
	q->numerics = lms_arena_alloc(a, 2 * sizeof(lms_qnumeric));
	q->n_numerics = 2;
	q->numerics[0].value = 83.74;
	q->numerics[0].tolerance = 0.01;
	q->numerics[0].fraction = 1;
	q->numerics[1].any = true;
	q->numerics[1].value = -1e-300;
	q->numerics[1].tolerance = 1e21;
	q->numerics[1].feedback = TX("Số khác", LMS_QF_MOODLE);
	q->pairs = lms_arena_alloc(a, 2 * sizeof(lms_qpair));
	q->n_pairs = 2;
	q->pairs[0].stem = TX("Chuyên gia", LMS_QF_MOODLE);
	q->pairs[0].answer = "50";
	q->pairs[1].stem = TX("", LMS_QF_MOODLE);
	q->pairs[1].answer = "100";
	q->items = lms_arena_alloc(a, 2 * sizeof(lms_qtext));
	q->n_items = 2;
	q->items[0] = TX("một", LMS_QF_MOODLE);
	q->items[1] = TX("<i>hai</i>", LMS_QF_HTML);
	q->ordering_grading = LMS_QO_ALL_OR_NOTHING;
	q->correct_feedback = TX("Đúng", LMS_QF_MOODLE);
	q->partial_feedback = TX("Một phần", LMS_QF_PLAIN);
	q->incorrect_feedback = TX("Sai", LMS_QF_MARKDOWN);
	q->response_format = "plain";
	q->response_required = false;
	q->response_lines = 5;
	q->attachments = -1;
	q->grader_info = TX("Barem", LMS_QF_HTML);
	q->response_template = TX("Mở bài:", LMS_QF_PLAIN);
	round_trip(a, q);

	/* the files in the codec's order: text, then the options' feedback */
	lms_question_files(q, a, &files, &n);
	assert_int_equal(n, 3);
	assert_string_equal(files[0]->name, "ảnh.png");
	assert_string_equal(files[1]->name, "b.gif");
	assert_string_equal(files[2]->name, "fb.png");
	assert_ptr_equal(files[0]->data, bin);
	lms_arena_free(a);
}

static void defaults_decomposed_text_and_a_missing_member(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q, *d = lms_question_new(a, LMS_Q_TRUEFALSE);
	lms_err err;

	/* "Sở" written decomposed: o + combining horn + combining hook above */
	assert_int_equal(from(a, "{\"v\":1,\"type\":\"truefalse\",\"name\":\"S\\u006f\\u031b\\u0309 N\\u00f4\\u0323i vu\\u0323\","
	                         "\"text\":{\"text\":\"\xC4\x90\xC3\xBAng?\"}}", &q, &err), 0);
	assert_string_equal(q->name, "Sở Nội vụ");
	assert_string_equal(q->text.text, "Đúng?");
	/* everything not given is lms_question_new's */
	d->name = q->name;
	d->text = q->text;
	same_question(d, q);
	assert_true(q->penalty == 1.0);
	lms_arena_free(a);
}

/* ---- hostile input ---- */

static void not_json_not_utf8_too_deep(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	char deep[256];
	size_t i;

	refused(a, "", "json_invalid", NULL);
	refused(a, "{", "json_invalid", NULL);
	refused(a, "{\"v\":1,\"type\":\"essay\"} x", "json_invalid", NULL);
	refused(a, "{\"v\":1,\"type\":\"essay\",\"name\":\"\xC3\x28\"}", "json_invalid", NULL);
	refused(a, "{\"v\":1,\"type\":\"essay\",\"name\":\"a\\u0000b\"}", "json_invalid", NULL);
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	deep[i] = '\0';
	refused(a, deep, "json_invalid", NULL);
	refused(a, "[1,2]", "json_member", NULL);
	refused(a, "\"text\"", "json_member", NULL);
	/* a tag deeper than the format goes, in a member that is an array */
	refused(a, "{\"v\":1,\"type\":\"essay\",\"tags\":[[[[[[[[[\"x\"]]]]]]]]]}", "json_invalid", NULL);
	lms_arena_free(a);
}

static void version_and_type(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();

	refused(a, "{\"type\":\"essay\"}", "json_member", "v");
	refused(a, "{\"v\":2,\"type\":\"essay\"}", "json_member", "v");
	refused(a, "{\"v\":\"1\",\"type\":\"essay\"}", "json_member", "v");
	refused(a, "{\"v\":1}", "json_member", "type");
	refused(a, "{\"v\":1,\"type\":\"calculated\"}", "json_member", "type");
	refused(a, "{\"v\":1,\"type\":3}", "json_member", "type");
	lms_arena_free(a);
}

static void wrong_types_unknown_and_repeated_members(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();

	refused(a, "{\"v\":1,\"type\":\"essay\",\"name\":5}", "json_member", "name");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"name\":null}", "json_member", "name");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"hidden\":\"yes\"}", "json_member", "hidden");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"text\":\"plain\"}", "json_member", "text");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"text\":{\"format\":\"rtf\"}}", "json_member",
	        "text.format");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"text\":{\"txt\":\"a\"}}", "json_member", "text.txt");
	refused(a, "{\"v\":1,\"type\":\"single\",\"options\":{}}", "json_member", "options");
	refused(a, "{\"v\":1,\"type\":\"single\",\"options\":[{\"fraction\":\"1\"}]}", "json_member",
	        "options[0].fraction");
	refused(a, "{\"v\":1,\"type\":\"single\",\"options\":[{},{\"text\":{\"text\":1}}]}",
	        "json_member", "options[1].text.text");
	refused(a, "{\"v\":1,\"type\":\"matching\",\"pairs\":[{\"stem\":{},\"answer\":[]}]}",
	        "json_member", "pairs[0].answer");
	refused(a, "{\"v\":1,\"type\":\"numerical\",\"numerics\":[{\"value\":1e999}]}", "json_member",
	        "numerics[0].value");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"response_lines\":2.5}", "json_member",
	        "response_lines");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"attachments\":-2}", "json_member", "attachments");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"difficulty\":\"extreme\"}", "json_member",
	        "difficulty");
	refused(a, "{\"v\":1,\"type\":\"ordering\",\"ordering_grading\":\"partial\"}", "json_member",
	        "ordering_grading");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"owner\":\"me\"}", "json_member", "owner");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"name\":\"a\",\"name\":\"b\"}", "json_member", "name");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"text\":{\"files\":[{\"name\":\"a.png\",\"size\":1}]}}",
	        "json_member", "text.files[0]");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"text\":{\"files\":[{\"name\":\"a.png\",\"path\":\"/\","
	           "\"size\":-1}]}}", "json_member", "text.files[0].size");
	refused(a, "{\"v\":1,\"type\":\"essay\",\"text\":{\"files\":[{\"name\":\"a.png\",\"path\":\"/\","
	           "\"size\":99999999}]}}", "json_member", "text.files[0].size");
	lms_arena_free(a);
}

/* A list of n copies of item, as a JSON array. */
static char *array_of(const char *item, size_t n)
{
	size_t k = strlen(item), i;
	char *s = malloc(n * (k + 1) + 3), *o = s;

	assert_non_null(s);
	*o++ = '[';
	for (i = 0; i < n; i++) {
		if (i)
			*o++ = ',';
		memcpy(o, item, k);
		o += k;
	}
	*o++ = ']';
	*o = '\0';
	return s;
}

static void huge_arrays_and_strings(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	char *list, *json, *big;
	size_t n;
	lms_question *q;
	lms_err err;

	list = array_of("{\"text\":{\"text\":\"x\"},\"fraction\":0}", 101);
	n = strlen(list) + 64;
	json = malloc(n);
	snprintf(json, n, "{\"v\":1,\"type\":\"single\",\"options\":%s}", list);
	refused(a, json, "json_member", "options");
	free(list);
	free(json);

	list = array_of("\"t\"", LMS_Q_MAX_TAGS + 1);
	n = strlen(list) + 64;
	json = malloc(n);
	snprintf(json, n, "{\"v\":1,\"type\":\"essay\",\"tags\":%s}", list);
	refused(a, json, "json_member", "tags");
	free(list);
	free(json);

	list = array_of("{\"name\":\"a.png\",\"path\":\"/\",\"size\":1}", LMS_Q_MAX_FILES + 1);
	n = strlen(list) + 64;
	json = malloc(n);
	snprintf(json, n, "{\"v\":1,\"type\":\"essay\",\"text\":{\"files\":%s}}", list);
	refused(a, json, "json_member", "text.files");
	free(list);
	free(json);

	/* a name one byte over the cap, and a text one byte over max_text */
	big = malloc(70000);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	json = malloc(70100);
	snprintf(json, 70100, "{\"v\":1,\"type\":\"essay\",\"name\":\"%.*s\"}", LMS_Q_MAX_NAME + 1, big);
	refused(a, json, "json_member", "name");
	snprintf(json, 70100, "{\"v\":1,\"type\":\"essay\",\"text\":{\"text\":\"%.*s\"}}", 65537, big);
	refused(a, json, "json_member", "text.text");
	/* at the caps it is read */
	snprintf(json, 70100, "{\"v\":1,\"type\":\"essay\",\"name\":\"%.*s\"}", LMS_Q_MAX_NAME, big);
	assert_int_equal(from(a, json, &q, &err), 0);
	assert_int_equal(strlen(q->name), LMS_Q_MAX_NAME);
	free(big);
	free(json);

	/* more than LMS_QJSON_MAX_BYTES is refused before it is read */
	big = malloc(LMS_QJSON_MAX_BYTES + 1);
	assert_non_null(big);
	memset(big, ' ', LMS_QJSON_MAX_BYTES + 1);
	lms_err_clear(&err);
	assert_int_equal(lms_question_from_json(big, LMS_QJSON_MAX_BYTES + 1, NULL, a, &q, &err),
	                 LMS_ETOOBIG);
	assert_string_equal(err.code, "json_too_big");
	free(big);
	lms_arena_free(a);
}

static void a_question_the_model_refuses_is_still_read(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q;
	lms_err err;

	/* the codec reads; the rules are lms_question_check's */
	assert_int_equal(from(a, "{\"v\":1,\"type\":\"single\",\"name\":\"x\",\"text\":{\"text\":\"?\"},"
	                         "\"options\":[{\"text\":{\"text\":\"a\"},\"fraction\":0.5},"
	                         "{\"text\":{\"text\":\"b\"},\"fraction\":0}]}", &q, &err), 0);
	assert_int_equal(lms_question_check(q, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "no_full_marks");
	lms_arena_free(a);
}

static void writing_refuses_what_the_model_cannot_hold(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_question *q = lms_question_new(a, LMS_Q_NUMERICAL);
	lms_jsonw w;
	lms_err err;

	q->numerics = lms_arena_alloc(a, sizeof(lms_qnumeric));
	q->n_numerics = 1;
	q->numerics[0].value = INFINITY;
	lms_jsonw_init(&w, a);
	assert_int_equal(lms_question_to_json(q, &w, &err), LMS_EINVAL);
	assert_string_equal(err.code, "question_invalid");
	assert_string_equal(err.field, "numerics");
	q = lms_question_new(a, (lms_qtype)42);
	lms_jsonw_init(&w, a);
	assert_int_equal(lms_question_to_json(q, &w, &err), LMS_EINVAL);
	assert_string_equal(err.field, "type");
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_of_both_sample_banks),
		cmocka_unit_test(every_member_set),
		cmocka_unit_test(defaults_decomposed_text_and_a_missing_member),
		cmocka_unit_test(not_json_not_utf8_too_deep),
		cmocka_unit_test(version_and_type),
		cmocka_unit_test(wrong_types_unknown_and_repeated_members),
		cmocka_unit_test(huge_arrays_and_strings),
		cmocka_unit_test(a_question_the_model_refuses_is_still_read),
		cmocka_unit_test(writing_refuses_what_the_model_cannot_hold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
