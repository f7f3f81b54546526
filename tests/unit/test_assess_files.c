/* test_assess_files.c — which file of a question version a learner or a trainer may read
 * (assess_files.c), over a fake table of the two store operations it uses: a reference is
 * checked before the store is asked; a file of what a slot shows is served during the
 * attempt and after; a feedback file only once the review rules show feedback (never
 * before an exam's publication); the grader's information never; every refusal is the
 * same 404; only a raster image whose bytes match its type is offered inline. */
#include "support.h"

#include "lms/assess_files.h"
#include "lms/assess_store.h"
#include "lms/qbank.h"

#include <string.h>

#define NOW (INT64_C(1767600000) * LMS_SECOND_US)

static const unsigned char PNG[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };

/* ---- the fake -------------------------------------------------------------------------- */

typedef struct fake {
	const char *body;            /* the version's JSON */
	lms_as_file row;             /* what the store answers (file.name/path set per call) */
	const char *names[8];        /* the version's files: "path+name" without the leading / */
	int n;
	int calls;
	int fail;                    /* a class to fail with, 0 none */
} fake;

static fake F;

static int find(const char *ref)
{
	int i;

	for (i = 0; i < F.n; i++)
		if (strcmp(F.names[i], ref) == 0)
			return i;
	return -1;
}

static void fill(int i, lms_qfile_row *out)
{
	const char *slash = strrchr(F.names[i], '/');

	out->version_id = 77;
	out->ord = i;
	out->name = slash ? slash + 1 : F.names[i];
	out->path = slash ? "/dir/" : "/";
	out->mime = "image/png";
	out->sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	out->data = PNG;
	out->size = sizeof(PNG);
}

static int f_attempt_file(lms_store *s, int64_t attempt_id, int64_t user_id, int slot_no,
                          const char *ref, lms_arena *a, lms_as_file *out, lms_err *err)
{
	int i;

	(void)s;
	(void)a;
	F.calls++;
	if (F.fail)
		return lms_err_set(err, F.fail, NULL, NULL, "injected");
	/* the attempt 5 of user 9, slot 0: anything else is not theirs */
	if (attempt_id != 5 || user_id != 9 || slot_no != 0 || (i = find(ref)) < 0)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "none");
	*out = F.row;
	fill(i, &out->file);
	out->body = F.body;
	out->body_len = strlen(F.body);
	return LMS_OK;
}

static int f_bank_file(lms_store *s, int64_t version_id, const char *ref, lms_arena *a,
                       lms_qfile_row *out, lms_err *err)
{
	int i;

	(void)s;
	(void)a;
	F.calls++;
	if (version_id != 77 || (i = find(ref)) < 0)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "none");
	fill(i, out);
	return LMS_OK;
}

static lms_assess_ops assess_ops;
static lms_qbank_ops qbank_ops;
static lms_store_ops ops;
static lms_store store = { &ops, NULL };

/* A single-choice question with a file in its text, its general feedback, an option's text
 * and that option's feedback; and the JSON the bank would keep of it. */
static void setup_single(lms_arena *a)
{
	lms_question *q = lms_question_new(a, LMS_Q_SINGLE);
	static lms_qfile text_f[1], gen_f[1], opt_f[1], fb_f[1];
	static lms_qoption opts[2];
	lms_jsonw w;
	lms_err err;

	q->name = "Ảnh";
	q->text.text = "<p>Xem <img src=\"@@PLUGINFILE@@/a.png\" alt=\"sơ đồ\"></p>";
	q->text.format = LMS_QF_HTML;
	text_f[0] = (lms_qfile){ "a.png", "/", NULL, sizeof(PNG) };
	q->text.files = text_f;
	q->text.n_files = 1;
	gen_f[0] = (lms_qfile){ "g.png", "/", NULL, sizeof(PNG) };
	q->general_feedback.text = "<img src=\"@@PLUGINFILE@@/g.png\">";
	q->general_feedback.files = gen_f;
	q->general_feedback.n_files = 1;
	memset(opts, 0, sizeof(opts));
	opts[0].text.text = "<img src=\"@@PLUGINFILE@@/dir/o.png\">";
	opt_f[0] = (lms_qfile){ "o.png", "/dir/", NULL, sizeof(PNG) };
	opts[0].text.files = opt_f;
	opts[0].text.n_files = 1;
	opts[0].fraction = 1;
	opts[0].feedback.text = "<img src=\"@@PLUGINFILE@@/fb.png\">";
	fb_f[0] = (lms_qfile){ "fb.png", "/", NULL, sizeof(PNG) };
	opts[0].feedback.files = fb_f;
	opts[0].feedback.n_files = 1;
	opts[1].text.text = "Không";
	opts[1].feedback.text = "";
	q->options = opts;
	q->n_options = 2;
	lms_jsonw_init(&w, a);
	lms_err_clear(&err);
	assert_int_equal(lms_question_to_json(q, &w, &err), 0);
	F.body = lms_jsonw_text(&w);
	/* lms_question_files order: text, general feedback, option 0 text, option 0 feedback */
	F.names[0] = "a.png";
	F.names[1] = "g.png";
	F.names[2] = "dir/o.png";
	F.names[3] = "fb.png";
	F.n = 4;
}

static int setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	memset(&ops, 0, sizeof(ops));
	memset(&assess_ops, 0, sizeof(assess_ops));
	memset(&qbank_ops, 0, sizeof(qbank_ops));
	assess_ops.attempt_file = f_attempt_file;
	qbank_ops.file = f_bank_file;
	ops.assess = &assess_ops;
	ops.qbank = &qbank_ops;
	F.row.kind = LMS_AS_QUIZ;
	F.row.show_feedback = LMS_AS_SHOW_AFTER_SUBMIT;
	return 0;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void references_are_checked(void **state)
{
	static const char *const good[] = { "a.png", "dir/a b.png", "ảnh sơ đồ.PNG", "a/b/c.gif", ".x" };
	static const char *const bad[] = { "", "/a.png", "../a.png", "a/../b", "a//b", "a/", "./a",
		                           "a\\b", "a\001b", "a\177", "\xc3\x28" };
	char big[LMS_QFILE_MAX_REF + 2];
	lms_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(lms_qfile_ref_check(good[i], &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_qfile_ref_check(bad[i], &err), LMS_EINVAL);
		assert_string_equal(err.code, "invalid_field");
		assert_string_equal(err.field, "name");
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(lms_qfile_ref_check(big, &err), LMS_EINVAL);
	big[LMS_QFILE_MAX_REF] = '\0';
	assert_int_equal(lms_qfile_ref_check(big, &err), 0);
}

static void only_matching_rasters_are_inline(void **state)
{
	static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0 };
	static const unsigned char gif[] = "GIF87a....";
	static const unsigned char webp[] = "RIFF\x10\0\0\0WEBPVP8 ";
	static const unsigned char svg[] = "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>";
	lms_qfile_row f;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.mime = "image/png", f.data = PNG, f.size = sizeof(PNG);
	assert_string_equal(lms_qfile_inline_type(&f), "image/png");
	f.size = 7; /* cut inside the signature */
	assert_null(lms_qfile_inline_type(&f));
	f.mime = "image/jpeg", f.data = jpg, f.size = sizeof(jpg);
	assert_string_equal(lms_qfile_inline_type(&f), "image/jpeg");
	f.mime = "image/gif", f.data = gif, f.size = sizeof(gif) - 1;
	assert_string_equal(lms_qfile_inline_type(&f), "image/gif");
	f.mime = "image/webp", f.data = webp, f.size = sizeof(webp) - 1;
	assert_string_equal(lms_qfile_inline_type(&f), "image/webp");
	/* an SVG is never inline, under its own type or named .png */
	f.mime = "image/svg+xml", f.data = svg, f.size = sizeof(svg) - 1;
	assert_null(lms_qfile_inline_type(&f));
	f.mime = "image/png";
	assert_null(lms_qfile_inline_type(&f));
	/* a PNG under another type is not shown as that type */
	f.mime = "application/pdf", f.data = PNG, f.size = sizeof(PNG);
	assert_null(lms_qfile_inline_type(&f));
	f.mime = "image/jpeg";
	assert_null(lms_qfile_inline_type(&f));
	assert_null(lms_qfile_inline_type(NULL));
}

static void files_belong_to_their_part(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_question *q = lms_question_new(a, LMS_Q_ESSAY);
	static lms_qfile t[1], g[1], r[1];

	(void)state;
	t[0] = (lms_qfile){ "t.png", "/", NULL, 1 };
	g[0] = (lms_qfile){ "g.png", "/", NULL, 1 };
	r[0] = (lms_qfile){ "r.png", "/", NULL, 1 };
	q->text.files = t, q->text.n_files = 1;
	q->grader_info.files = g, q->grader_info.n_files = 1;
	q->response_template.files = r, q->response_template.n_files = 1;
	assert_int_equal(lms_qfile_part_of(q, 0, a), LMS_QFILE_SHOWN);
	assert_int_equal(lms_qfile_part_of(q, 1, a), LMS_QFILE_GRADER);
	assert_int_equal(lms_qfile_part_of(q, 2, a), LMS_QFILE_SHOWN);
	assert_int_equal(lms_qfile_part_of(q, 3, a), LMS_QFILE_NONE);
	lms_arena_free(a);
}

static void a_learner_reads_what_the_slot_shows(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_qfile_row f;
	lms_err err;

	(void)state;
	setup_single(a);
	/* during the attempt: the text's and the option's images */
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "a.png", NOW, a, &f, &err), 0);
	assert_string_equal(f.name, "a.png");
	assert_int_equal(f.size, sizeof(PNG));
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "dir/o.png", NOW, a, &f, &err), 0);
	assert_string_equal(f.path, "/dir/");
	/* the feedback's are not served before submission, whatever the rules say later */
	lms_err_clear(&err);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "g.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_string_equal(err.code, "not_found");
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "fb.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	/* another learner, another attempt, another slot, a made-up name: the same 404 */
	assert_int_equal(lms_as_attempt_file(&store, 5, 10, 0, "a.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_as_attempt_file(&store, 6, 9, 0, "a.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 1, "a.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "b.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_string_equal(err.code, "not_found");
	/* a malformed name never reaches the store; a slot out of range neither */
	F.calls = 0;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "../a.png", NOW, a, &f, &err), LMS_EINVAL);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, -1, "a.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, LMS_AS_MAX_SLOTS, "a.png", NOW, a, &f, &err),
	                 LMS_ENOTFOUND);
	assert_int_equal(F.calls, 0);
	/* a store that cannot be reached says so (503), not "not found" */
	F.fail = LMS_EUNAVAIL;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "a.png", NOW, a, &f, &err), LMS_EUNAVAIL);
	lms_arena_free(a);
}

static void feedback_files_follow_the_review_rules(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_qfile_row f;
	lms_err err;

	(void)state;
	setup_single(a);
	/* a quiz showing feedback after submission: submitted, the feedback's images too */
	F.row.submitted = true;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "g.png", NOW, a, &f, &err), 0);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "fb.png", NOW, a, &f, &err), 0);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "a.png", NOW, a, &f, &err), 0);
	/* a quiz that never shows feedback */
	F.row.show_feedback = LMS_AS_SHOW_NEVER;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "g.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	/* after the window closes: not before */
	F.row.show_feedback = LMS_AS_SHOW_AFTER_CLOSE;
	F.row.closes_us = NOW + LMS_SECOND_US;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "g.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "g.png", NOW + 2 * LMS_SECOND_US, a, &f,
	                                     &err), 0);
	/* an exam: nothing of the feedback before publication, whatever the rule */
	F.row.kind = LMS_AS_EXAM;
	F.row.show_feedback = LMS_AS_SHOW_AFTER_SUBMIT;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "fb.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	F.row.published = true;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "fb.png", NOW, a, &f, &err), 0);
	/* the text's image stays readable in the review */
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "a.png", NOW, a, &f, &err), 0);
	lms_arena_free(a);
}

static void the_grader_information_never(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_question *q = lms_question_new(a, LMS_Q_ESSAY);
	static lms_qfile t[1], g[1];
	lms_qfile_row f;
	lms_jsonw w;
	lms_err err;

	(void)state;
	q->name = "Tự luận";
	q->text.text = "<img src=\"@@PLUGINFILE@@/t.png\">";
	t[0] = (lms_qfile){ "t.png", "/", NULL, sizeof(PNG) };
	q->text.files = t, q->text.n_files = 1;
	g[0] = (lms_qfile){ "key.png", "/", NULL, sizeof(PNG) };
	q->grader_info.text = "<img src=\"@@PLUGINFILE@@/key.png\">";
	q->grader_info.files = g, q->grader_info.n_files = 1;
	lms_jsonw_init(&w, a);
	assert_int_equal(lms_question_to_json(q, &w, &err), 0);
	F.body = lms_jsonw_text(&w);
	F.names[0] = "t.png";
	F.names[1] = "key.png";
	F.n = 2;
	F.row.kind = LMS_AS_QUIZ;
	F.row.submitted = true;
	F.row.published = true;
	F.row.show_feedback = LMS_AS_SHOW_AFTER_SUBMIT;
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "t.png", NOW, a, &f, &err), 0);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "key.png", NOW, a, &f, &err), LMS_ENOTFOUND);
	/* the bank's users read it */
	assert_int_equal(lms_qbank_file(&store, 77, "key.png", a, &f, &err), 0);
	assert_string_equal(f.name, "key.png");
	lms_arena_free(a);
}

static void a_row_that_disagrees_with_its_json_is_an_internal_error(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_qfile_row f;
	lms_err err;

	(void)state;
	setup_single(a);
	F.names[0] = "other.png"; /* the store's file 0 is not the one the JSON names */
	lms_err_clear(&err);
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "other.png", NOW, a, &f, &err),
	                 LMS_EINTERNAL);
	F.body = "{\"v\":1,\"type\":\"nonsense\"}";
	assert_int_equal(lms_as_attempt_file(&store, 5, 9, 0, "a.png", NOW, a, &f, &err) < 0, 1);
	lms_arena_free(a);
}

static void the_bank_reads_any_file_of_a_version(void **state)
{
	lms_arena *a = lms_arena_new();
	lms_qfile_row f;
	lms_err err;

	(void)state;
	setup_single(a);
	assert_int_equal(lms_qbank_file(&store, 77, "fb.png", a, &f, &err), 0);
	assert_int_equal(f.ord, 3);
	assert_int_equal(lms_qbank_file(&store, 78, "fb.png", a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_qbank_file(&store, 77, "nope.png", a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_qbank_file(&store, 0, "fb.png", a, &f, &err), LMS_ENOTFOUND);
	assert_int_equal(lms_qbank_file(&store, 77, "", a, &f, &err), LMS_EINVAL);
	/* a store without a bank has no files */
	ops.qbank = NULL;
	assert_int_equal(lms_qbank_file(&store, 77, "fb.png", a, &f, &err), LMS_ENOTFOUND);
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(references_are_checked, setup),
		cmocka_unit_test_setup(only_matching_rasters_are_inline, setup),
		cmocka_unit_test_setup(files_belong_to_their_part, setup),
		cmocka_unit_test_setup(a_learner_reads_what_the_slot_shows, setup),
		cmocka_unit_test_setup(feedback_files_follow_the_review_rules, setup),
		cmocka_unit_test_setup(the_grader_information_never, setup),
		cmocka_unit_test_setup(a_row_that_disagrees_with_its_json_is_an_internal_error, setup),
		cmocka_unit_test_setup(the_bank_reads_any_file_of_a_version, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
