/* test_lesson.c — the PAR lesson XML parser and checker (lesson.h): the schema compiled from
 * the source tree without reading xml.xsd from anywhere, the real sample course
 * (content/courses/cchc-2021-2030: no problem, its metadata and counts), every broken or
 * hostile lesson of tests/package/par-lessons (each refused with the error its
 * "<!-- expect: ... -->" comment names, DOCTYPEs with xml_doctype), an inline case for each
 * rule beyond the schema, the limits, and lms_lesson_check_files with a fake package.
 * The source tree is found from __FILE__ (or PARLEARN_SOURCE). */
#include "support.h"

#include "lms/lesson.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_root[4096];
static char *g_xsd;
static size_t g_xsd_len;
static lms_lesson_schema *g_schema;

typedef struct tstate {
	lms_arena *a;
	lms_report rep;
	lms_err err;
	lms_lesson *l;
} tstate;

/* ---- files ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf) {
			*len = fread(buf, 1, (size_t)n, f);
			buf[*len] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static void find_root(void)
{
	const char *env = getenv("PARLEARN_SOURCE");
	const char *suffix = "/tests/unit/test_lesson.c";
	size_t n = strlen(__FILE__), k = strlen(suffix);

	if (env && *env) {
		snprintf(g_root, sizeof(g_root), "%s", env);
		return;
	}
	if (n > k && strcmp(&__FILE__[n - k], suffix) == 0 && n - k < sizeof(g_root)) {
		memcpy(g_root, __FILE__, n - k);
		g_root[n - k] = '\0';
		return;
	}
	snprintf(g_root, sizeof(g_root), "../.."); /* a relative __FILE__: ctest's folder */
}

static char *slurp_rel(const char *rel, size_t *len)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", g_root, rel);
	return slurp(path, len);
}

static int group_setup(void **state)
{
	lms_err err;

	(void)state;
	lms_lesson_global_init();
	find_root();
	g_xsd = slurp_rel("schemas/par-lesson/par-lesson-1.0.xsd", &g_xsd_len);
	if (!g_xsd) {
		fprintf(stderr, "cannot read the XSD under %s\n", g_root);
		return -1;
	}
	lms_err_clear(&err);
	if (lms_lesson_schema_new(g_xsd, g_xsd_len, &g_schema, &err) < 0) {
		fprintf(stderr, "schema: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	lms_lesson_schema_free(g_schema);
	free(g_xsd);
	return 0;
}

static int setup(void **state)
{
	tstate *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	t->a = lms_arena_new();
	lms_report_init(&t->rep, t->a);
	lms_err_clear(&t->err);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tstate *t = *state;

	lms_arena_free(t->a);
	free(t);
	return 0;
}

/* ---- report helpers ---- */

static void dump_report(const lms_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		print_message("  %s %s %s:%d %s\n",
		              r->items[i].severity == LMS_SEV_ERROR ? "error" : "warning",
		              r->items[i].code, r->items[i].file, r->items[i].line, r->items[i].message);
}

static const lms_problem *find_problem(const lms_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].code, code) == 0)
			return &r->items[i];
	return NULL;
}

static const lms_problem *expect_problem(const lms_report *r, const char *code,
                                         lms_severity sev)
{
	const lms_problem *p = find_problem(r, code);

	if (!p) {
		print_message("expected problem %s, report:\n", code);
		dump_report(r);
	}
	assert_non_null(p);
	assert_int_equal(p->severity, sev);
	assert_string_equal(p->file, "lesson.xml");
	return p;
}

static void expect_no_problem(const lms_report *r, const char *code)
{
	if (find_problem(r, code)) {
		print_message("unexpected problem %s, report:\n", code);
		dump_report(r);
	}
	assert_null(find_problem(r, code));
}

static void expect_clean(const lms_report *r)
{
	if (r->n) {
		print_message("expected no problems, report:\n");
		dump_report(r);
	}
	assert_int_equal(r->n, 0);
}

static int parse_len(tstate *t, const char *xml, size_t len, const lms_manifest_limits *lim)
{
	t->l = NULL;
	return lms_lesson_parse_with(xml, len, "lesson.xml", g_schema, lim, t->a, &t->rep, &t->l,
	                             &t->err);
}

static int parse(tstate *t, const char *xml)
{
	return parse_len(t, xml, strlen(xml), NULL);
}

/* ---- an inline lesson, valid as written; each rule test changes one thing ---- */

static const char BASE[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                        /* 1 */
	"<course xmlns=\"urn:parlearn:par-lesson:1.0\" code=\"vi-du\" version=\"1.2.0\" "
	"xml:lang=\"vi\">\n"                                                                  /* 2 */
	"  <metadata>\n"                                                                      /* 3 */
	"    <title>Khóa học mẫu</title>\n"                                                   /* 4 */
	"    <title xml:lang=\"en\">Sample course</title>\n"                                  /* 5 */
	"    <description>Mô tả.</description>\n"                                             /* 6 */
	"    <par-area>admin-procedures</par-area>\n"                                         /* 7 */
	"    <par-area>e-government</par-area>\n"                                             /* 8 */
	"    <audience>staff</audience>\n"                                                    /* 9 */
	"    <duration>PT20M</duration>\n"                                                    /* 10 */
	"    <training-periods>3</training-periods>\n"                                        /* 11 */
	"    <minimum-time>PT10M</minimum-time>\n"                                            /* 12 */
	"  </metadata>\n"                                                                     /* 13 */
	"  <module id=\"m1\">\n"                                                              /* 14 */
	"    <title>Phần 1</title>\n"                                                         /* 15 */
	"    <lesson id=\"l1\">\n"                                                            /* 16 */
	"      <title>Bài 1</title>\n"                                                        /* 17 */
	"      <page id=\"p1\">\n"                                                            /* 18 */
	"        <title>Trang 1</title>\n"                                                    /* 19 */
	"        <p>Xem <a href=\"https://example.org/\">trang</a> và "
	"<a href=\"tai-lieu/qd.pdf#phan-2\">tài liệu</a>.</p>\n"                              /* 20 */
	"        <image src=\"media/so-do.svg\" alt=\"Sơ đồ quy trình một cửa\"/>\n"          /* 21 */
	"        <video src=\"media/gioi-thieu.mp4\" poster=\"media/poster.png\">"
	"<track kind=\"captions\" srclang=\"vi\" src=\"media/gioi-thieu.vi.vtt\"/></video>\n" /* 22 */
	"        <single-choice id=\"q1\"><prompt>Câu hỏi?</prompt>"
	"<choice id=\"a\" correct=\"true\"><text>Có</text></choice>"
	"<choice id=\"b\"><text>Không</text></choice></single-choice>\n"                      /* 23 */
	"      </page>\n"                                                                     /* 24 */
	"      <page id=\"p2\">\n"                                                            /* 25 */
	"        <title>Trang 2</title>\n"                                                    /* 26 */
	"        <p>Nội dung.</p>\n"                                                          /* 27 */
	"        <multiple-choice id=\"q2\"><prompt>Chọn?</prompt>"
	"<choice id=\"a\" correct=\"true\"><text>A</text></choice>"
	"<choice id=\"b\"><text>B</text></choice></multiple-choice>\n"                        /* 28 */
	"        <short-answer id=\"q3\"><prompt>Cơ quan?</prompt>"
	"<accept>Sở Nội vụ</accept><accept>Sở Nội vụ Thành phố</accept></short-answer>\n"     /* 29 */
	"      </page>\n"                                                                     /* 30 */
	"      <questions>\n"                                                                 /* 31 */
	"        <numerical id=\"q4\" points=\"2.5\"><prompt>Bao nhiêu?</prompt>"
	"<answer value=\"83.74\" tolerance=\"0.01\"/></numerical>\n"                          /* 32 */
	"      </questions>\n"                                                                /* 33 */
	"      <quiz id=\"z1\" passing-score=\"66.5\" max-attempts=\"2\" time-limit=\"PT30M\">\n" /* 34 */
	"        <question-ref ref=\"q1\"/>\n"                                                /* 35 */
	"        <question-ref ref=\"q4\"/>\n"                                                /* 36 */
	"      </quiz>\n"                                                                     /* 37 */
	"    </lesson>\n"                                                                     /* 38 */
	"  </module>\n"                                                                       /* 39 */
	"</course>\n";

/* BASE with the first occurrence of from replaced by to (the test fails if absent). */
static char *with(tstate *t, const char *from, const char *to)
{
	const char *at = strstr(BASE, from);
	size_t nb = strlen(BASE), nf = strlen(from), nt = strlen(to), pre;
	char *s;

	if (!at)
		print_message("fragment not in BASE: %s\n", from);
	assert_non_null(at);
	pre = (size_t)(at - BASE);
	s = lms_arena_alloc(t->a, nb - nf + nt + 1);
	memcpy(s, BASE, pre);
	memcpy(s + pre, to, nt);
	memcpy(s + pre + nt, at + nf, nb - pre - nf);
	s[nb - nf + nt] = '\0';
	return s;
}

/* ---- the schema ---- */

static void test_schema_ignores_xml_xsd_in_cwd(void **state)
{
	char dir[] = "/tmp/parlearn-lesson-XXXXXX", path[64], cwd[4096];
	lms_lesson_schema *s = NULL;
	tstate *t = *state;
	FILE *f;

	/* A hostile xml.xsd where libxml2 would look for "xml.xsd" relative to a memory
	 * buffer: compiling must not read it. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/xml.xsd", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is not a schema", f);
	fclose(f);
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(lms_lesson_schema_new(g_xsd, g_xsd_len, &s, &t->err), 0);
	assert_int_equal(chdir(cwd), 0);
	unlink(path);
	rmdir(dir);
	assert_non_null(s);
	lms_lesson_schema_free(s);
}

static void test_schema_unusable(void **state)
{
	tstate *t = *state;
	lms_lesson_schema *s = NULL;

	assert_int_equal(lms_lesson_schema_new("<not-xml", 8, &s, &t->err), LMS_EINTERNAL);
	assert_null(s);
	assert_string_equal(t->err.code, "lesson_schema_unusable");
	lms_err_clear(&t->err);
	assert_int_equal(lms_lesson_parse(BASE, strlen(BASE), NULL, "<a/>", 4, NULL, t->a,
	                                  &t->rep, &t->l, &t->err),
	                 LMS_EINTERNAL);
	assert_null(t->l);
	assert_int_equal(t->rep.n, 0);
}

/* ---- the real sample ---- */

static bool sample_exists(void *ud, const char *path, bool *case_differs)
{
	char full[8192];
	struct stat st;

	(void)ud;
	*case_differs = false;
	snprintf(full, sizeof(full), "%s/content/courses/cchc-2021-2030/%s", g_root, path);
	return stat(full, &st) == 0 && S_ISREG(st.st_mode);
}

static bool nothing_exists(void *ud, const char *path, bool *case_differs)
{
	(void)ud;
	(void)path;
	*case_differs = false;
	return false;
}

static void test_sample_course(void **state)
{
	tstate *t = *state;
	size_t len = 0, i;
	char *xml = slurp_rel("content/courses/cchc-2021-2030/lesson.xml", &len);
	const lms_lesson *l;

	assert_non_null(xml);
	/* the one-shot API, compiling the schema for this call */
	assert_int_equal(lms_lesson_parse(xml, len, NULL, g_xsd, g_xsd_len, NULL, t->a, &t->rep,
	                                  &t->l, &t->err),
	                 0);
	free(xml);
	expect_clean(&t->rep);
	l = t->l;
	assert_non_null(l);
	assert_string_equal(l->identifier, "cchc-2021-2030");
	assert_string_equal(l->version, "1.0.0");
	assert_string_equal(l->language, "vi");
	assert_string_equal(l->title, "Cải cách hành chính giai đoạn 2021 – 2030 và các chỉ tiêu "
	                              "của Thành phố Hồ Chí Minh");
	assert_ptr_equal(l->title_vi, l->title);
	assert_string_equal(l->title_en,
	                    "Public administration reform 2021–2030 and Ho Chi Minh City's targets");
	assert_non_null(l->description);
	assert_string_equal(l->par_area, "leadership");
	assert_int_equal(l->n_par_areas, 2);
	assert_string_equal(l->par_areas[1], "civil-service");
	assert_int_equal(l->audience, LMS_AUDIENCE_ALL);
	assert_int_equal(l->duration_s, 5400);
	assert_int_equal(l->minimum_time_s, 2700);
	assert_int_equal(l->training_periods, 2);
	assert_int_equal(l->n_modules, 2);
	assert_int_equal(l->n_lessons, 4);
	assert_int_equal(l->n_pages, 8);
	assert_int_equal(l->n_questions, 8);
	assert_int_equal(l->n_quizzes, 1);
	assert_int_equal(l->n_media, 2);

	assert_string_equal(l->modules[0].id, "m-boi-canh");
	assert_int_equal(l->modules[0].n_units, 2);
	assert_string_equal(l->modules[1].title, "Phần 2. Mục tiêu và chỉ tiêu của Đề án");
	assert_string_equal(l->units[0].id, "l-chuong-trinh");
	assert_int_equal(l->units[0].duration_s, 1200);
	assert_int_equal(l->units[0].minimum_time_s, 600);
	assert_int_equal(l->units[2].minimum_time_s, 0);
	assert_int_equal(l->units[3].first_page, 5);
	assert_int_equal(l->units[3].n_pages, 3);
	assert_null(l->units[0].quiz);
	assert_non_null(l->units[3].quiz);

	assert_string_equal(l->pages[0].id, "p-can-cu");
	assert_string_equal(l->pages[0].module_id, "m-boi-canh");
	assert_string_equal(l->pages[0].module_title, "Phần 1. Căn cứ và thực trạng");
	assert_string_equal(l->pages[0].lesson_title,
	                    "Bài 1. Chương trình tổng thể và Đề án của Thành phố");
	assert_string_equal(l->pages[0].title,
	                    "Căn cứ: Nghị quyết số 76/NQ-CP và Quyết định số 2709/QĐ-UBND");
	assert_string_equal(l->pages[7].id, "p-dao-tao-truc-tuyen");
	assert_string_equal(l->pages[7].lesson_id, "l-chi-tieu");
	assert_int_equal(l->pages[7].lesson_index, 3);
	assert_int_equal(l->pages[7].module_index, 1);
	for (i = 1; i < l->n_pages; i++)
		assert_true(l->pages[i].line > l->pages[i - 1].line);

	assert_string_equal(l->quizzes[0].id, "quiz-cuoi-khoa");
	assert_string_equal(l->quizzes[0].lesson_id, "l-chi-tieu");
	assert_true(l->quizzes[0].passing_score == 80.0);
	assert_int_equal(l->quizzes[0].max_attempts, 3);
	assert_int_equal(l->quizzes[0].time_limit_s, 900);
	assert_true(l->quizzes[0].shuffle_questions);
	assert_int_equal(l->quizzes[0].n_questions, 7);
	assert_string_equal(l->quizzes[0].question_ids[0], "q-xep-hang");
	assert_true(l->quizzes[0].total_points == 7.0);

	assert_string_equal(l->media[0].path, "media/linh-vuc-cchc.svg");
	assert_int_equal(l->media[0].kind, LMS_MEDIA_IMAGE);
	assert_string_equal(l->media[0].page_id, "p-linh-vuc");
	assert_string_equal(l->media[1].path, "media/chi-tieu-2025.svg");

	lms_lesson_check_files(l, NULL, sample_exists, NULL, &t->rep);
	expect_clean(&t->rep);
	lms_lesson_check_files(l, NULL, nothing_exists, NULL, &t->rep);
	assert_int_equal(t->rep.errors, 2);
	expect_problem(&t->rep, "media_file_missing", LMS_SEV_ERROR);
}

/* ---- the broken and hostile corpus ---- */

static void test_hostile_corpus(void **state)
{
	tstate *t = *state;
	char dir[8192];
	DIR *d;
	struct dirent *e;
	size_t files = 0, doctype = 0, by_fragment = 0;

	snprintf(dir, sizeof(dir), "%s/tests/package/par-lessons", g_root);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[8192 + 256], expect[400];
		const char *x, *y;
		size_t len = 0, n, i;
		char *xml;
		lms_report rep;
		lms_lesson *l = NULL;
		lms_err err;
		bool found = false;
		int rc;

		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		xml = slurp(path, &len);
		assert_non_null(xml);
		x = strstr(xml, "<!-- expect: ");
		assert_non_null(x);
		x += strlen("<!-- expect: ");
		y = strstr(x, " -->");
		assert_non_null(y);
		snprintf(expect, sizeof(expect), "%.*s", (int)(y - x), x);
		lms_report_init(&rep, t->a);
		lms_err_clear(&err);
		rc = lms_lesson_parse_with(xml, len, "lesson.xml", g_schema, NULL, t->a, &rep, &l,
		                           &err);
		if (rc == 0 || rep.errors == 0) {
			print_message("%s was accepted\n", e->d_name);
			dump_report(&rep);
		}
		assert_int_not_equal(rc, 0);
		assert_true(rep.errors > 0);
		assert_string_equal(err.code, "lesson_invalid");
		for (i = 0; i < rep.n; i++) /* no byte of /etc/passwd or similar */
			assert_null(strstr(rep.items[i].message, "root:"));
		if (strstr(xml, "<!DOCTYPE")) {
			/* refused before the schema, at the DOCTYPE, and for nothing else */
			assert_int_equal(rep.n, 1);
			assert_string_equal(rep.items[0].code, "xml_doctype");
			assert_null(l);
			doctype++;
		} else {
			for (i = 0; i < rep.n; i++)
				if (strcmp(rep.items[i].code, "schema_invalid") == 0 &&
				    strstr(rep.items[i].message, expect) && rep.items[i].line > 0)
					found = true;
			if (!found) {
				print_message("%s: no schema_invalid with \"%s\"\n", e->d_name, expect);
				dump_report(&rep);
			}
			assert_true(found);
			by_fragment++;
		}
		free(xml);
		files++;
	}
	closedir(d);
	print_message("par-lessons: %zu files, %zu DOCTYPE, %zu by schema fragment\n", files,
	              doctype, by_fragment);
	assert_true(files >= 31);
	assert_int_equal(doctype, 3);
}

/* The clearer twins of libxml2's schema messages. */
static void test_corpus_duplicate_page_id_wording(void **state)
{
	tstate *t = *state;
	size_t len = 0;
	char *xml = slurp_rel("tests/package/par-lessons/duplicate-page-id.xml", &len);
	const lms_problem *p;

	assert_non_null(xml);
	assert_int_equal(parse_len(t, xml, len, NULL), LMS_EINVAL);
	free(xml);
	p = expect_problem(&t->rep, "id_duplicate", LMS_SEV_ERROR);
	assert_string_equal(p->message, "page id p1 is used twice (lines 16 and 23)");
	assert_int_equal(p->line, 23);
	assert_non_null(t->l); /* a partial view of a well-formed course */
}

/* ---- inline: the base lesson ---- */

static bool base_exists(void *ud, const char *path, bool *case_differs)
{
	const char *const *have = ud;

	*case_differs = false;
	for (; *have; have++) {
		if (strcmp(*have, path) == 0)
			return true;
		if (strcasecmp(*have, path) == 0)
			*case_differs = true;
	}
	return false;
}

static void test_base_lesson(void **state)
{
	tstate *t = *state;
	const lms_lesson *l;
	static const char *all[] = {"media/so-do.svg",          "media/gioi-thieu.mp4",
	                                  "media/gioi-thieu.vi.vtt", "media/poster.png",
	                                  "tai-lieu/qd.pdf",         NULL};
	static const char *some[] = {"media/SO-DO.svg", "media/gioi-thieu.mp4",
	                                   "media/poster.png", NULL};

	assert_int_equal(parse(t, BASE), 0);
	expect_clean(&t->rep);
	l = t->l;
	assert_string_equal(l->identifier, "vi-du");
	assert_string_equal(l->version, "1.2.0");
	assert_string_equal(l->title, "Khóa học mẫu");
	assert_string_equal(l->description, "Mô tả.");
	assert_int_equal(l->audience, LMS_AUDIENCE_STAFF);
	assert_int_equal(l->training_periods, 3);
	assert_int_equal(l->duration_s, 1200);
	assert_int_equal(l->minimum_time_s, 600);
	assert_int_equal(l->n_questions, 4);
	assert_true(l->quizzes[0].passing_score == 66.5);
	assert_true(l->quizzes[0].total_points == 3.5);
	assert_int_equal(l->quizzes[0].time_limit_s, 1800);
	assert_int_equal(l->n_media, 5);
	assert_string_equal(l->media[0].path, "tai-lieu/qd.pdf");
	assert_int_equal(l->media[0].kind, LMS_MEDIA_LINK);
	assert_int_equal(l->media[0].line, 20);
	assert_int_equal(l->media[2].kind, LMS_MEDIA_VIDEO);
	assert_int_equal(l->media[3].kind, LMS_MEDIA_POSTER);
	assert_int_equal(l->media[4].kind, LMS_MEDIA_CAPTIONS);

	lms_lesson_check_files(l, "lesson.xml", base_exists, (void *)all, &t->rep);
	expect_clean(&t->rep);
	lms_lesson_check_files(l, "lesson.xml", base_exists, (void *)some, &t->rep);
	assert_int_equal(expect_problem(&t->rep, "media_file_case", LMS_SEV_ERROR)->line, 21);
	assert_int_equal(expect_problem(&t->rep, "captions_file_missing", LMS_SEV_ERROR)->line, 22);
	assert_int_equal(expect_problem(&t->rep, "media_file_missing", LMS_SEV_ERROR)->line, 20);
	assert_int_equal(t->rep.errors, 3);
}

static void test_media_reported_once_per_path(void **state)
{
	tstate *t = *state;
	char *xml = with(t, "<p>Nội dung.</p>",
	                 "<p><img src=\"media/so-do.svg\" alt=\"Sơ đồ một cửa, lần hai\"/></p>");

	assert_int_equal(parse(t, xml), 0);
	assert_int_equal(t->l->n_media, 6);
	lms_lesson_check_files(t->l, NULL, nothing_exists, NULL, &t->rep);
	assert_int_equal(t->rep.errors, 5); /* six references, five paths */
}

/* ---- inline: rule by rule ---- */

static void test_rule_doctype(void **state)
{
	tstate *t = *state;
	static const char *const doctypes[] = {
		"<!DOCTYPE course>\n<course",
		"<!DOCTYPE course SYSTEM \"http://example.org/lesson.dtd\">\n<course",
		"<!DOCTYPE course [<!ELEMENT course ANY>]>\n<course",
		"<!DOCTYPE course [<!ENTITY e SYSTEM \"/dev/zero\">]>\n<course"};
	size_t i;

	for (i = 0; i < sizeof(doctypes) / sizeof(doctypes[0]); i++) {
		lms_report_init(&t->rep, t->a);
		assert_int_equal(parse(t, with(t, "<course", doctypes[i])), LMS_EINVAL);
		assert_int_equal(t->rep.n, 1);
		assert_int_equal(expect_problem(&t->rep, "xml_doctype", LMS_SEV_ERROR)->line, 2);
		assert_null(t->l);
	}
}

static void test_rule_ids(void **state)
{
	tstate *t = *state;
	const lms_problem *p;

	assert_int_equal(parse(t, with(t, "<numerical id=\"q4\"", "<numerical id=\"p2\"")),
	                 LMS_EINVAL);
	p = expect_problem(&t->rep, "id_duplicate", LMS_SEV_ERROR);
	assert_string_equal(p->message, "id p2 is used twice, by a page (line 25) and a question "
	                                "(line 32); ids are unique in the whole file");
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<choice id=\"b\"><text>B", "<choice id=\"a\"><text>B")),
	                 LMS_EINVAL);
	assert_int_equal(expect_problem(&t->rep, "choice_id_duplicate", LMS_SEV_ERROR)->line, 28);
}

static void test_rule_quiz_refs(void **state)
{
	tstate *t = *state;
	const lms_problem *p;

	assert_int_equal(parse(t, with(t, "ref=\"q4\"", "ref=\"q9\"")), LMS_EINVAL);
	p = expect_problem(&t->rep, "quiz_ref_unresolved", LMS_SEV_ERROR);
	assert_int_equal(p->line, 36);
	assert_non_null(strstr(p->message, "\"q9\""));

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "ref=\"q4\"", "ref=\"p2\"")), LMS_EINVAL);
	p = expect_problem(&t->rep, "quiz_ref_not_question", LMS_SEV_ERROR);
	assert_non_null(strstr(p->message, "which is a page (line 25)"));

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "ref=\"q4\"", "ref=\"q1\"")), LMS_EINVAL);
	assert_int_equal(expect_problem(&t->rep, "quiz_ref_duplicate", LMS_SEV_ERROR)->line, 36);

	/* no resolvable question: no points */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<question-ref ref=\"q1\"/>\n        <question-ref "
	                                  "ref=\"q4\"/>",
	                               "<question-ref ref=\"l1\"/>")),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "quiz_no_points", LMS_SEV_ERROR);
}

static void test_rule_choices(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, with(t, "<choice id=\"b\"><text>Không",
	                               "<choice id=\"b\" correct=\"1\"><text>Không")),
	                 LMS_EINVAL);
	assert_int_equal(expect_problem(&t->rep, "single_choice_correct", LMS_SEV_ERROR)->line, 23);
	expect_no_problem(&t->rep, "schema_invalid");

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<choice id=\"a\" correct=\"true\"><text>Có",
	                               "<choice id=\"a\"><text>Có")),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "single_choice_correct", LMS_SEV_ERROR);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<choice id=\"a\" correct=\"true\"><text>A",
	                               "<choice id=\"a\" correct=\"false\"><text>A")),
	                 LMS_EINVAL);
	assert_int_equal(expect_problem(&t->rep, "multiple_choice_no_correct", LMS_SEV_ERROR)->line,
	                 28);
}

static void test_rule_short_answer(void **state)
{
	tstate *t = *state;

	/* Vietnamese capitals fold: Ở, Ộ, Ụ */
	assert_int_equal(parse(t, with(t, "<accept>Sở Nội vụ Thành phố</accept>",
	                               "<accept>  SỞ  NỘI\tVỤ </accept>")),
	                 LMS_EINVAL);
	assert_int_equal(expect_problem(&t->rep, "short_answer_duplicate", LMS_SEV_ERROR)->line,
	                 29);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<short-answer id=\"q3\"><prompt>Cơ quan?</prompt>"
	                                  "<accept>Sở Nội vụ</accept><accept>Sở Nội vụ Thành "
	                                  "phố</accept>",
	                               "<short-answer id=\"q3\" case-sensitive=\"true\"><prompt>Cơ "
	                               "quan?</prompt><accept>Sở Nội vụ</accept><accept>SỞ NỘI "
	                               "VỤ</accept>")),
	                 0);
	expect_clean(&t->rep);
}

static void test_rule_titles(void **state)
{
	tstate *t = *state;
	const lms_problem *p;

	/* A title without xml:lang is in the course language: the schema's unique constraint
	 * cannot see this duplicate, the rule does. */
	assert_int_equal(parse(t, with(t, "<title>Trang 1</title>",
	                               "<title>Trang 1</title><title xml:lang=\"VI\">Trang một</title>")),
	                 LMS_EINVAL);
	p = expect_problem(&t->rep, "title_language_duplicate", LMS_SEV_ERROR);
	assert_non_null(strstr(p->message, "page \"p1\""));
	assert_int_equal(p->line, 19);
	expect_no_problem(&t->rep, "schema_invalid");

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<title>Phần 1</title>", "<title xml:lang=\"en\">Part "
	                                                          "1</title>")),
	                 LMS_EINVAL);
	p = expect_problem(&t->rep, "title_missing", LMS_SEV_ERROR);
	assert_string_equal(p->message, "The module \"m1\" has no title in the course language (\"vi\")");
	assert_int_equal(p->line, 14);

	/* An English course: the untagged titles are English, so the course has two English
	 * titles and none in Vietnamese. */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "xml:lang=\"vi\">", "xml:lang=\"en\">")), LMS_EINVAL);
	assert_int_equal(expect_problem(&t->rep, "title_language_duplicate", LMS_SEV_ERROR)->line,
	                 5);
	assert_string_equal(t->l->language, "en");
	assert_string_equal(t->l->title, "Khóa học mẫu");
	assert_null(t->l->title_vi);
	expect_problem(&t->rep, "video_captions_language", LMS_SEV_WARNING);
}

static void test_rule_warnings(void **state)
{
	tstate *t = *state;
	static const struct {
		const char *from, *to, *code;
		int line;
	} cases[] = {
		{"srclang=\"vi\"", "srclang=\"en\"", "video_captions_language", 22},
		{"alt=\"Sơ đồ quy trình một cửa\"", "alt=\" HÌNH \"", "alt_placeholder", 21},
		{"alt=\"Sơ đồ quy trình một cửa\"", "alt=\"picture\"", "alt_placeholder", 21},
		{"alt=\"Sơ đồ quy trình một cửa\"", "alt=\"so-do.svg\"", "alt_placeholder", 21},
		{"alt=\"Sơ đồ quy trình một cửa\"", "alt=\"So-Do\"", "alt_placeholder", 21},
		{"<title>Bài 1</title>", "<title>Bài 1</title><par-area>public-finance</par-area>",
		 "lesson_par_area_outside", 17},
		{"<minimum-time>PT10M</minimum-time>", "<minimum-time>PT2H</minimum-time>",
		 "minimum_time_over_duration", 3},
		{"<title>Bài 1</title>",
		 "<title>Bài 1</title><duration>PT5M</duration><minimum-time>PT6M</minimum-time>",
		 "minimum_time_over_duration", 16},
		{"time-limit=\"PT30M\"", "time-limit=\"P1D\"", "quiz_time_limit_long", 34},
		{"https://example.org/", "http://example.org/", "link_not_https", 20},
		/* "Nội" typed as o + combining circumflex + combining dot below */
		{"<p>Nội dung.</p>", "<p>No\xcc\x82\xcc\xa3i dung.</p>", "text_not_nfc", 27},
		{"encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", "encoding_not_utf8", 1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const lms_problem *p;
		lms_report_init(&t->rep, t->a);
		if (parse(t, with(t, cases[i].from, cases[i].to)) != 0) {
			print_message("case %zu (%s) refused:\n", i, cases[i].code);
			dump_report(&t->rep);
			fail();
		}
		p = expect_problem(&t->rep, cases[i].code, LMS_SEV_WARNING);
		assert_int_equal(p->line, cases[i].line);
		assert_int_equal(t->rep.errors, 0);
	}
}

static void test_durations(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, with(t, "<duration>PT20M</duration>",
	                               "<duration>P1DT2H3M4.5S</duration>")),
	                 0);
	assert_int_equal(t->l->duration_s, 86400 + 7200 + 180 + 5); /* a fraction rounds up */

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<duration>PT20M</duration>",
	                               "<duration>PT99999999999999999999H</duration>")),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "duration_out_of_range", LMS_SEV_ERROR);
	assert_int_equal(t->l->duration_s, 0);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, with(t, "<duration>PT20M</duration>", "<duration>PT0S</duration>")),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "schema_invalid", LMS_SEV_ERROR);
}

/* head, then n pages (questions false) or true-false questions, then tail; malloc'd. */
static char *many(const char *head, bool questions, size_t n, const char *tail)
{
	size_t cap = strlen(head) + strlen(tail) + n * 128 + 1, o;
	char *s = malloc(cap);
	size_t i;

	assert_non_null(s);
	o = (size_t)snprintf(s, cap, "%s", head);
	for (i = 0; i < n; i++)
		o += (size_t)(questions ? snprintf(s + o, cap - o,
		                                   "<true-false id=\"x%zu\" answer=\"true\">"
		                                   "<prompt>%zu</prompt></true-false>\n",
		                                   i, i)
		                        : snprintf(s + o, cap - o,
		                                   "<page id=\"x%zu\"><title>T %zu</title><p>.</p>"
		                                   "</page>\n",
		                                   i, i));
	snprintf(s + o, cap - o, "%s", tail);
	return s;
}

static void test_rule_counts(void **state)
{
	tstate *t = *state;
	const char *head = strstr(BASE, "      <questions>");
	char *pre, *xml;
	size_t npre;

	assert_non_null(head);
	npre = (size_t)(head - BASE);
	pre = lms_arena_strndup(t->a, BASE, npre);
	/* 501 pages */
	xml = many(pre, false, 499, head);
	assert_int_equal(parse(t, xml), LMS_EINVAL);
	free(xml);
	expect_problem(&t->rep, "too_many_pages", LMS_SEV_ERROR);
	assert_int_equal(t->l->n_pages, 501);
	expect_no_problem(&t->rep, "schema_invalid");

	/* 2001 questions */
	lms_report_init(&t->rep, t->a);
	{
		char *bank = many("      <questions>\n", true, 1997, "");
		const char *after = strstr(BASE, "      <questions>\n") + strlen("      <questions>\n");
		size_t nb = strlen(bank), na = strlen(after);
		xml = malloc(npre + nb + na + 1);
		assert_non_null(xml);
		memcpy(xml, BASE, npre);
		memcpy(xml + npre, bank, nb);
		memcpy(xml + npre + nb, after, na + 1);
		free(bank);
	}
	assert_int_equal(parse(t, xml), LMS_EINVAL);
	free(xml);
	expect_problem(&t->rep, "too_many_questions", LMS_SEV_ERROR);
	assert_int_equal(t->l->n_questions, 2001);
}

static void test_limits(void **state)
{
	tstate *t = *state;
	lms_manifest_limits lim;

	lms_lesson_limits_default(&lim);
	assert_int_equal(lim.max_bytes, 8u * 1024 * 1024);
	assert_int_equal(lim.max_nodes, 100000);
	assert_int_equal(lim.max_depth, 64);

	lim.max_bytes = 100;
	assert_int_equal(parse_len(t, BASE, strlen(BASE), &lim), LMS_ETOOBIG);
	expect_problem(&t->rep, "lesson_too_big", LMS_SEV_ERROR);
	assert_string_equal(t->err.code, "lesson_too_big");
	assert_null(t->l);

	lms_report_init(&t->rep, t->a);
	lms_lesson_limits_default(&lim);
	lim.max_nodes = 20;
	assert_int_equal(parse_len(t, BASE, strlen(BASE), &lim), LMS_ETOOBIG);
	expect_problem(&t->rep, "xml_too_many_nodes", LMS_SEV_ERROR);
	assert_int_equal(t->rep.n, 1);

	lms_report_init(&t->rep, t->a);
	lms_lesson_limits_default(&lim);
	lim.max_depth = 5;
	assert_int_equal(parse_len(t, BASE, strlen(BASE), &lim), LMS_ETOOBIG);
	expect_problem(&t->rep, "xml_too_deep", LMS_SEV_ERROR);
	assert_int_equal(t->rep.n, 1);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse_len(t, BASE, 0, NULL), LMS_EINVAL);
	expect_problem(&t->rep, "xml_not_well_formed", LMS_SEV_ERROR);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse_len(t, BASE, strlen(BASE) / 2, NULL), LMS_EINVAL);
	expect_problem(&t->rep, "xml_not_well_formed", LMS_SEV_ERROR);
	assert_null(t->l);
}

static void test_not_a_lesson(void **state)
{
	tstate *t = *state;
	const lms_problem *p;

	assert_int_equal(parse(t, "<manifest xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"/>"),
	                 LMS_EINVAL);
	p = expect_problem(&t->rep, "not_a_lesson", LMS_SEV_ERROR);
	assert_int_equal(p->line, 1);
	expect_problem(&t->rep, "schema_invalid", LMS_SEV_ERROR);
	assert_null(t->l);
}

/* A schema-invalid document with every odd shape still gives a partial view, safely. */
static void test_partial_view_is_safe(void **state)
{
	tstate *t = *state;
	static const char xml[] =
		"<course xmlns=\"urn:parlearn:par-lesson:1.0\">"
		"<module><lesson><page><image src=\"../../etc/passwd.png\" alt=\"x\"/>"
		"<a href=\"/etc/passwd\">x</a><video src=\"a.mp4\"/><quiz/></page>"
		"<quiz><question-ref/><question-ref ref=\"nope\"/></quiz></lesson></module>"
		"<module id=\"m\"/></course>";

	assert_int_equal(parse(t, xml), LMS_EINVAL);
	assert_non_null(t->l);
	assert_null(t->l->identifier);
	assert_string_equal(t->l->language, "vi");
	assert_int_equal(t->l->n_modules, 2);
	assert_int_equal(t->l->n_media, 1); /* only a.mp4 is a package path */
	assert_string_equal(t->l->media[0].path, "a.mp4");
	expect_problem(&t->rep, "quiz_ref_unresolved", LMS_SEV_ERROR);
	expect_problem(&t->rep, "title_missing", LMS_SEV_ERROR);
	lms_lesson_check_files(t->l, NULL, nothing_exists, NULL, &t->rep);
	expect_problem(&t->rep, "media_file_missing", LMS_SEV_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schema_ignores_xml_xsd_in_cwd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_unusable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_course, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_corpus, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corpus_duplicate_page_id_wording, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_lesson, setup, teardown),
		cmocka_unit_test_setup_teardown(test_media_reported_once_per_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_doctype, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_quiz_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_choices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_short_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_titles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_durations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_lesson, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_view_is_safe, setup, teardown),
	};

	return cmocka_run_group_tests_name("lesson", tests, group_setup, group_teardown);
}
