/* test_qbank.c — the question bank's use cases (qbank.c) against a fake store that keeps one
 * bank in memory and records what it was asked: a file with an error reaches the store as a
 * refusal with no question (and not at all on a dry run); a good file reaches it whole, each
 * question as canonical JSON with its files' bytes; the store's "imported before" and its
 * failures come back as they are; an edit that changes nothing writes nothing, an edit keeps
 * the type and category, keeps an image's bytes by path, name and size, and is refused on a
 * stale version; an export through GIFT leaves out what GIFT cannot hold and says so. */
#include "support.h"

#include "lms/qbank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a fake bank ---- */

typedef struct fake_bank {
	int import_calls, edit_calls, bodies_calls;
	int fail_import;                 /* answer the import with LMS_EUNAVAIL */
	bool already;                    /* answer "imported before" */
	lms_qbank_import_in last_in;     /* pointers into the caller's arena */
	/* the current versions, as the store would give them back */
	lms_qbank_body bodies[32];
	size_t n;
	lms_arena *a;
	int edit_version_no;
	const char *edit_body;
} fake_bank;

static fake_bank bank;

static int fb_import(lms_store *s, const lms_qbank_import_in *in, lms_arena *a,
                     lms_qbank_import_out *out, lms_err *err)
{
	size_t i;

	(void)s;
	(void)a;
	bank.import_calls++;
	bank.last_in = *in;
	memset(out, 0, sizeof(*out));
	if (bank.fail_import)
		return lms_err_set(err, LMS_EUNAVAIL, "db_unavailable", NULL, "down");
	snprintf(out->sha256, sizeof(out->sha256), "%064d", 7);
	if (bank.already) {
		out->already = true;
		out->previous_id = 41;
		return 0;
	}
	out->import_id = in->rejected ? 9 : 42;
	if (in->rejected || in->dry_run)
		return 0;
	for (i = 0; i < in->n && bank.n < 32; i++, bank.n++) {
		lms_qbank_body *b = &bank.bodies[bank.n];
		size_t k;
		b->question_id = (int64_t)bank.n + 1;
		b->version_id = (int64_t)bank.n + 100;
		b->version_no = 1;
		b->body = lms_arena_strdup(bank.a, in->qs[i].body);
		b->body_len = strlen(b->body);
		b->n_files = in->qs[i].n_files;
		b->files = lms_arena_alloc(bank.a, (b->n_files + 1) * sizeof(*b->files));
		for (k = 0; k < b->n_files; k++) {
			unsigned char *d = lms_arena_alloc(bank.a, in->qs[i].files[k].size + 1);
			memcpy(d, in->qs[i].files[k].data, in->qs[i].files[k].size);
			b->files[k].data = d;
			b->files[k].size = in->qs[i].files[k].size;
		}
	}
	return 0;
}

static int fb_bodies(lms_store *s, int64_t version_id, int64_t question_id, const char *category,
                     lms_arena *a, lms_qbank_body **out, size_t *n, lms_err *err)
{
	size_t i;

	(void)s;
	(void)a;
	(void)version_id;
	(void)category;
	bank.bodies_calls++;
	if (!question_id) {
		*out = bank.bodies;
		*n = bank.n;
		return 0;
	}
	for (i = 0; i < bank.n; i++)
		if (bank.bodies[i].question_id == question_id) {
			*out = &bank.bodies[i];
			*n = 1;
			return 0;
		}
	return lms_err_set(err, LMS_ENOTFOUND, "not_found", "id", "no question has this id");
}

static int fb_edit(lms_store *s, int64_t id, int expect_version, const lms_qbank_new *v,
                   const char *actor, lms_qbank_edit_result *r, lms_err *err)
{
	(void)s;
	(void)id;
	(void)actor;
	(void)err;
	bank.edit_calls++;
	bank.edit_version_no = expect_version + 1;
	bank.edit_body = lms_arena_strdup(bank.a, v->body);
	r->version_no = expect_version + 1;
	r->version_id = 999;
	r->unchanged = false;
	return 0;
}

static const lms_qbank_ops fake_ops = {
	.import = fb_import, .bodies = fb_bodies, .edit = fb_edit,
};

static lms_store_ops store_ops;
static lms_store store = { &store_ops, NULL };

static int setup(void **state)
{
	(void)state;
	memset(&bank, 0, sizeof(bank));
	bank.a = lms_arena_new();
	store_ops.qbank = &fake_ops;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lms_arena_free(bank.a);
	return 0;
}

static char *load(const char *name, size_t *len)
{
	static const char suffix[] = "/tests/unit/test_qbank.c";
	const char *src = getenv("PARLEARN_SOURCE");
	size_t n = strlen(__FILE__), k = strlen(suffix);
	char path[4096];
	char *buf;
	long size;
	FILE *f;

	if (src && *src)
		snprintf(path, sizeof(path), "%s/tests/unit/data/questions/%s", src, name);
	else if (n > k && strcmp(__FILE__ + n - k, suffix) == 0)
		snprintf(path, sizeof(path), "%.*s/tests/unit/data/questions/%s", (int)(n - k),
		         __FILE__, name);
	else
		snprintf(path, sizeof(path), "tests/unit/data/questions/%s", name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)size + 1);
	*len = fread(buf, 1, (size_t)size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int import_text(lms_arena *a, lms_qbank_format f, const char *text, bool dry,
                       lms_qbank_import_result *r, lms_err *err)
{
	lms_qbank_import_opts o;

	memset(&o, 0, sizeof(o));
	o.format = f;
	o.category = "Sở Nội vụ";
	o.file_name = "bank.gift";
	o.actor = "gv1";
	o.dry_run = dry;
	lms_err_clear(err);
	return lms_qbank_import(&store, text, strlen(text), &o, a, r, err);
}

static const lms_qproblem *problem_with(const lms_qreport *rep, const char *code)
{
	size_t i;

	for (i = 0; i < rep->n; i++)
		if (strcmp(rep->items[i].code, code) == 0)
			return &rep->items[i];
	return NULL;
}

/* ---- import ---- */

static void a_good_file_reaches_the_store_whole(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qbank_import_result r;
	size_t len, i;
	char *xml = load("cchc-de-an-2709.xml", &len);
	lms_err err;

	assert_int_equal(import_text(a, LMS_QBANK_MOODLEXML, xml, false, &r, &err), 0);
	assert_int_equal(r.outcome, LMS_QBANK_APPLIED);
	assert_int_equal(r.import_id, 42);
	assert_int_equal(bank.import_calls, 1);
	assert_false(bank.last_in.rejected);
	assert_int_equal(bank.last_in.n, 9);
	assert_int_equal(r.questions, 9);
	assert_int_equal(r.by_type[LMS_Q_ORDERING], 1);
	assert_string_equal(bank.last_in.category, "Sở Nội vụ");
	assert_string_equal(bank.last_in.actor, "gv1");
	assert_string_equal(bank.last_in.format, "moodlexml");
	assert_ptr_equal(bank.last_in.data, xml);
	for (i = 0; i < bank.last_in.n; i++) {
		const lms_qbank_new *q = &bank.last_in.qs[i];
		/* under the caller's category, as canonical JSON */
		assert_int_equal(strncmp(q->q->category, "Sở Nội vụ/", strlen("Sở Nội vụ/")), 0);
		assert_int_equal(strncmp(q->body, "{\"v\":1,\"type\":", 14), 0);
	}
	/* the image of the first question, with its bytes */
	assert_int_equal(bank.last_in.qs[0].n_files, 1);
	assert_int_equal(bank.last_in.qs[0].files[0].size, 68);
	assert_memory_equal(bank.last_in.qs[0].files[0].data, "\x89PNG", 4);
	assert_non_null(strstr(lms_qbank_import_json(&r, a), "\"outcome\":\"applied\""));
	free(xml);
	lms_arena_free(a);
}

static void a_bad_file_is_only_recorded_and_a_bad_dry_run_not_at_all(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qbank_import_result r;
	const char *bad = "::Tốt::Đúng?{T}\n\n::Hỏng::Thiếu ngoặc {=a ~b\n\n::Cũng hỏng::{~a ~b}\n";
	const lms_qproblem *p;
	lms_err err;

	assert_int_equal(import_text(a, LMS_QBANK_GIFT, bad, false, &r, &err), 0);
	assert_int_equal(r.outcome, LMS_QBANK_REJECTED);
	assert_int_equal(bank.import_calls, 1);
	assert_true(bank.last_in.rejected);
	assert_int_equal(bank.last_in.n, 0);
	assert_null(bank.last_in.qs);
	assert_true(r.report.errors >= 2);
	assert_non_null(p = problem_with(&r.report, "gift_brace"));
	assert_string_equal(p->name, "Hỏng");
	assert_int_equal(p->line, 3);
	assert_non_null(strstr(bank.last_in.report_json, "\"code\":\"gift_brace\""));
	assert_non_null(strstr(lms_qbank_import_json(&r, a), "\"message_vi\":"));

	assert_int_equal(import_text(a, LMS_QBANK_GIFT, bad, true, &r, &err), 0);
	assert_int_equal(r.outcome, LMS_QBANK_REJECTED);
	assert_int_equal(bank.import_calls, 1); /* a refused dry run records nothing */

	/* the file's name is kept as UTF-8 of at most 255 bytes, cut between characters */
	{
		lms_qbank_import_opts o;
		char name[401];
		size_t i;
		memset(&o, 0, sizeof(o));
		for (i = 0; i < 200; i++)
			memcpy(name + 2 * i, "\xC4\x91", 2); /* đ */
		name[400] = '\0';
		o.format = LMS_QBANK_GIFT;
		o.file_name = name;
		assert_int_equal(lms_qbank_import(&store, bad, strlen(bad), &o, a, &r, &err), 0);
		assert_int_equal(strlen(bank.last_in.file_name), 254);
		o.file_name = "a\x01b";
		assert_int_equal(lms_qbank_import(&store, bad, strlen(bad), &o, a, &r, &err), 0);
		assert_string_equal(bank.last_in.file_name, "file");
	}

	/* an empty file is refused too */
	assert_int_equal(import_text(a, LMS_QBANK_GIFT, "// nothing here\n", false, &r, &err), 0);
	assert_int_equal(r.outcome, LMS_QBANK_REJECTED);
	assert_non_null(problem_with(&r.report, "questions_file_empty"));
	lms_arena_free(a);
}

static void already_imported_dry_run_and_store_failure(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qbank_import_result r;
	const char *good = "::Tốt::Đúng?{T}\n";
	lms_err err;

	assert_int_equal(import_text(a, LMS_QBANK_GIFT, good, true, &r, &err), 0);
	assert_int_equal(r.outcome, LMS_QBANK_DRY_RUN);
	assert_true(bank.last_in.dry_run);
	assert_int_equal(bank.n, 0);

	bank.already = true;
	assert_int_equal(import_text(a, LMS_QBANK_GIFT, good, false, &r, &err), 0);
	assert_int_equal(r.outcome, LMS_QBANK_ALREADY);
	assert_int_equal(r.previous_id, 41);
	assert_non_null(strstr(lms_qbank_import_json(&r, a), "\"previous_import_id\":41"));

	bank.already = false;
	bank.fail_import = 1;
	assert_int_equal(import_text(a, LMS_QBANK_GIFT, good, false, &r, &err), LMS_EUNAVAIL);

	lms_err_clear(&err);
	{
		lms_qbank_import_opts o;
		memset(&o, 0, sizeof(o));
		assert_int_equal(lms_qbank_import(&store, good, strlen(good), &o, a, &r, &err), LMS_EINVAL);
		assert_string_equal(err.field, "format");
	}
	lms_arena_free(a);
}

static void categories_are_cleaned(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	const char *out;
	lms_err err;

	assert_int_equal(lms_qbank_category_clean(a, " Sở Nội vụ / /CCHC/ ", &out, &err), 0);
	assert_string_equal(out, "Sở Nội vụ/CCHC");
	assert_int_equal(lms_qbank_category_clean(a, NULL, &out, &err), 0);
	assert_string_equal(out, "");
	assert_int_equal(lms_qbank_category_clean(a, "a\tb\x01", &out, &err), LMS_EINVAL);
	assert_int_equal(lms_qbank_category_clean(a, "\xC3\x28", &out, &err), LMS_EINVAL);
	lms_arena_free(a);
}

/* ---- edit ---- */

/* The first question's current JSON with one change (a member's text replaced). */
static char *changed(const char *from, const char *what, const char *to)
{
	const char *at = strstr(from, what);
	size_t n = strlen(from) - strlen(what) + strlen(to) + 1;
	char *s = malloc(n);

	assert_non_null(at);
	snprintf(s, n, "%.*s%s%s", (int)(at - from), from, to, at + strlen(what));
	return s;
}

static void edits(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qbank_import_result r;
	lms_qbank_edit_result e;
	lms_question *q;
	size_t len;
	char *xml = load("cchc-de-an-2709.xml", &len), *json;
	const char *cur;
	lms_err err;

	assert_int_equal(import_text(a, LMS_QBANK_MOODLEXML, xml, false, &r, &err), 0);
	cur = bank.bodies[0].body;

	/* the same JSON: nothing written */
	assert_int_equal(lms_qbank_edit(&store, 1, 1, cur, strlen(cur), "gv1", a, &e, &err), 0);
	assert_true(e.unchanged);
	assert_int_equal(e.version_no, 1);
	assert_int_equal(bank.edit_calls, 0);

	/* a new text: version 2, the image kept by path, name and size */
	json = changed(cur, "\"general_feedback\":{\"text\":\"", "\"general_feedback\":{\"text\":\"Đã sửa. ");
	assert_int_equal(lms_qbank_edit(&store, 1, 1, json, strlen(json), "gv1", a, &e, &err), 0);
	assert_false(e.unchanged);
	assert_int_equal(e.version_no, 2);
	assert_int_equal(bank.edit_calls, 1);
	assert_non_null(strstr(bank.edit_body, "Đã sửa. "));
	assert_int_equal(lms_question_from_json(bank.edit_body, strlen(bank.edit_body), NULL, a, &q, &err), 0);
	assert_string_equal(q->category, "Sở Nội vụ/CCHC/Đề án 2709");
	assert_int_equal(q->text.n_files, 1);
	free(json);

	/* a stale version */
	json = changed(cur, "\"hidden\":false", "\"hidden\":true");
	assert_int_equal(lms_qbank_edit(&store, 1, 3, json, strlen(json), "gv1", a, &e, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "version_conflict");
	free(json);

	/* the type and the category stay */
	json = changed(cur, "\"type\":\"single\"", "\"type\":\"multi\"");
	assert_int_equal(lms_qbank_edit(&store, 1, 0, json, strlen(json), "gv1", a, &e, &err), LMS_EINVAL);
	assert_string_equal(err.code, "type_readonly");
	free(json);
	json = changed(cur, "\"category\":\"Sở Nội vụ/", "\"category\":\"Nơi khác/");
	assert_int_equal(lms_qbank_edit(&store, 1, 0, json, strlen(json), "gv1", a, &e, &err), LMS_EINVAL);
	assert_string_equal(err.code, "category_readonly");
	free(json);

	/* a file that is not the current version's */
	json = changed(cur, "\"name\":\"logo cchc.png\"", "\"name\":\"khac.png\"");
	assert_int_equal(lms_qbank_edit(&store, 1, 0, json, strlen(json), "gv1", a, &e, &err), LMS_EINVAL);
	assert_string_equal(err.code, "file_unknown");
	free(json);

	/* the model's rules */
	json = changed(cur, "\"fraction\":1,", "\"fraction\":0.5,");
	assert_int_equal(lms_qbank_edit(&store, 1, 0, json, strlen(json), "gv1", a, &e, &err), LMS_EINVAL);
	assert_string_equal(err.code, "no_full_marks");
	free(json);

	/* an unknown question */
	assert_int_equal(lms_qbank_edit(&store, 77, 0, cur, strlen(cur), "gv1", a, &e, &err), LMS_ENOTFOUND);
	assert_int_equal(bank.edit_calls, 1);
	free(xml);
	lms_arena_free(a);
}

/* ---- export ---- */

static void export_gift_leaves_out_what_it_cannot_hold(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qbank_import_result r;
	lms_qbank_export_result x;
	size_t len;
	char *xml = load("cchc-de-an-2709.xml", &len);
	lms_err err;

	assert_int_equal(import_text(a, LMS_QBANK_MOODLEXML, xml, false, &r, &err), 0);
	assert_int_equal(lms_qbank_export(&store, LMS_QBANK_GIFT, NULL, a, &x, &err), 0);
	assert_int_equal(x.questions, 9);
	assert_int_equal(x.written, 8);
	assert_non_null(problem_with(&x.report, "gift_type_unsupported"));
	assert_non_null(strstr(x.text, "$CATEGORY: $course$/top/Sở Nội vụ/"));
	assert_int_equal(lms_qbank_export(&store, LMS_QBANK_MOODLEXML, NULL, a, &x, &err), 0);
	assert_int_equal(x.written, 9);
	assert_non_null(strstr(x.text, "<question type=\"ordering\">"));
	assert_non_null(strstr(x.text, "encoding=\"base64\">iVBORw0KGgo"));
	free(xml);
	lms_arena_free(a);
}

static void a_store_without_a_bank(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_qbank_export_result x;
	lms_err err;

	store_ops.qbank = NULL;
	assert_int_equal(lms_qbank_export(&store, LMS_QBANK_GIFT, NULL, a, &x, &err), LMS_EUNSUPPORTED);
	store_ops.qbank = &fake_ops;
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_good_file_reaches_the_store_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(a_bad_file_is_only_recorded_and_a_bad_dry_run_not_at_all,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(already_imported_dry_run_and_store_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(categories_are_cleaned, setup, teardown),
		cmocka_unit_test_setup_teardown(edits, setup, teardown),
		cmocka_unit_test_setup_teardown(export_gift_leaves_out_what_it_cannot_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(a_store_without_a_bank, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
