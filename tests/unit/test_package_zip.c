/* test_package_zip.c — the safe zip reader (package_zip.h) against a corpus of hostile and
 * broken zips written by tests/package/make_hostile.py, and against the real SCORM samples.
 *
 * Driven by tests/package/zip.sh, which writes the corpus and sets PARLEARN_ZIP_CORPUS (and
 * PARLEARN_SCORM_SAMPLES when the samples are there); run bare, as unit tests are, every test
 * skips. For each hostile zip it checks the report code, that the problem names the entry in
 * a readable sentence, and that nothing was written: not at the destination, not in a
 * temporary folder beside it, not where a traversal would have put a file. Memory growth
 * around extracting a 50 MB entry is checked with getrusage.
 */
#include "support.h"

#include "lms/package_zip.h"
#include "lms/validate.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define RSS_GROWTH_MAX_KB (100L * 1024)
#else
#define RSS_GROWTH_MAX_KB (32L * 1024)
#endif

static const char *corpus;
static char work[1024];      /* a fresh folder per test (short: paths are built from it) */
static char dest[1100];      /* work/a/b/out: traversals from it land inside work */

static const char MANIFEST[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest identifier=\"m1\"/>\n";
static const char INDEX[] =
	"<!doctype html><title>Ch\xc3\xa0o</title><p>Xin ch\xc3\xa0o</p>\n";

/* ---- helpers ---- */

static int rm_cb(const char *p, const struct stat *sb, int type, struct FTW *f)
{
	(void)sb;
	(void)f;
	if (type == FTW_DP || type == FTW_D || type == FTW_DNR)
		return rmdir(p) < 0 ? -1 : 0;
	return unlink(p) < 0 ? -1 : 0;
}

static size_t tree_count(const char *dir)
{
	/* entries under dir, recursively, without following symlinks */
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char sub[PATH_MAX];
		struct stat sb;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			n += tree_count(sub);
	}
	closedir(d);
	return n;
}

static bool exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

static int setup(void **state)
{
	char ab[PATH_MAX];
	(void)state;
	if (!corpus)
		return 0;
	snprintf(work, sizeof(work), "%s/pzXXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(work));
	snprintf(ab, sizeof(ab), "%s/a", work);
	assert_int_equal(mkdir(ab, 0755), 0);
	snprintf(ab, sizeof(ab), "%s/a/b", work);
	assert_int_equal(mkdir(ab, 0755), 0);
	snprintf(dest, sizeof(dest), "%s/a/b/out", work);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (corpus && work[0])
		nftw(work, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	work[0] = '\0';
	return 0;
}

static void need_corpus(void)
{
	if (!corpus) {
		print_message("PARLEARN_ZIP_CORPUS is not set: run tests/package/zip.sh\n");
		skip();
	}
}

static void corpus_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", corpus, name);
}

/* Nothing was left next to dest: only the folders a and a/b exist under work. */
static void assert_nothing_written(void)
{
	assert_false(exists(dest));
	assert_int_equal(tree_count(work), 2);
}

static bool readable(const char *s)
{
	size_t i, n = strlen(s);
	if (n < 10 || !lms_utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* The problem with code (naming entry, when given) in r, or NULL. */
static const lms_problem *find_problem(const lms_report *r, const char *code, const char *entry)
{
	size_t i;
	for (i = 0; i < r->n; i++) {
		const lms_problem *p = &r->items[i];
		if (strcmp(p->code, code) != 0)
			continue;
		if (entry && strcmp(p->file, entry) != 0)
			continue;
		return p;
	}
	return NULL;
}

static void dump_report(const lms_report *r)
{
	size_t i;
	for (i = 0; i < r->n; i++)
		print_message("  %s %s [%s] %s\n", r->items[i].severity ? "warning" : "error",
		              r->items[i].code, r->items[i].file, r->items[i].message);
}

/* Opens name with lim (NULL: defaults), expects rc and an error with code naming entry
 * (shown form; NULL for the whole package), and checks nothing was written. */
static void expect_rejected(const char *name, const lms_pkgzip_limits *lim, int want_rc,
                            const char *code, const char *entry)
{
	char path[PATH_MAX];
	lms_arena *a = lms_arena_new();
	lms_report r;
	lms_pkgzip *z = NULL;
	lms_err err;
	const lms_problem *p;
	int rc;

	lms_report_init(&r, a);
	lms_err_clear(&err);
	corpus_path(path, sizeof(path), name);
	rc = lms_pkgzip_open(path, lim, &r, &z, &err);
	if (rc != want_rc || !find_problem(&r, code, entry)) {
		print_message("%s: rc %d (%s: %s), report:\n", name, rc, err.code, err.msg);
		dump_report(&r);
	}
	assert_int_equal(rc, want_rc);
	assert_null(z);
	assert_true(r.errors >= 1);
	p = find_problem(&r, code, entry);
	assert_non_null(p);
	assert_int_equal(p->severity, LMS_SEV_ERROR);
	assert_true(readable(p->message));
	if (entry)
		assert_non_null(strstr(p->message, entry));
	assert_true(readable(err.msg));
	assert_string_equal(err.code, want_rc == LMS_EUNSUPPORTED ? "not_a_zip" : "package_rejected");
	assert_nothing_written();
	lms_arena_free(a);
}

static lms_pkgzip *open_ok(const char *path, const lms_pkgzip_limits *lim, lms_report *r)
{
	lms_pkgzip *z = NULL;
	lms_err err;
	int rc;

	lms_err_clear(&err);
	rc = lms_pkgzip_open(path, lim, r, &z, &err);
	if (rc != 0) {
		print_message("%s: rc %d (%s: %s)\n", path, rc, err.code, err.msg);
		dump_report(r);
	}
	assert_int_equal(rc, 0);
	assert_non_null(z);
	assert_int_equal(r->errors, 0);
	return z;
}

static void assert_file(const char *path, const char *want, size_t len, mode_t mode)
{
	char buf[4096];
	struct stat sb;
	FILE *f;
	size_t n;

	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, mode);
	assert_int_equal((size_t)sb.st_size, len);
	assert_true(len <= sizeof(buf));
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, len);
	assert_memory_equal(buf, want, len);
}

static long maxrss_kb(void)
{
	struct rusage ru;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* ---- the valid package ---- */

static void valid_package_opens_lists_reads_and_extracts(void **state)
{
	char path[PATH_MAX], f[PATH_MAX], page[1500], *buf = NULL;
	lms_arena *a;
	lms_report r;
	lms_pkgzip *z;
	lms_err err;
	size_t len = 0, i;
	struct stat sb;

	(void)state;
	need_corpus();
	for (i = 0; i < 100; i++)
		memcpy(page + i * 15, "<p>Trang 1</p>\n", 15);
	a = lms_arena_new();
	lms_report_init(&r, a);
	corpus_path(path, sizeof(path), "valid.zip");
	z = open_ok(path, NULL, &r);
	assert_int_equal(r.warnings, 0);

	assert_int_equal(lms_pkgzip_count(z), 3); /* the "lessons/" folder entry is not listed */
	assert_string_equal(lms_pkgzip_name(z, 0), "imsmanifest.xml");
	assert_string_equal(lms_pkgzip_name(z, 1), "index.html");
	assert_string_equal(lms_pkgzip_name(z, 2), "lessons/one/page.html");
	assert_int_equal(lms_pkgzip_size(z, 2), 1500);
	assert_int_equal(lms_pkgzip_find(z, "index.html"), 1);
	assert_int_equal(lms_pkgzip_find(z, "INDEX.html"), -1);
	assert_int_equal(lms_pkgzip_find_nocase(z, "INDEX.html"), 1);
	assert_int_equal(lms_pkgzip_find_nocase(z, "Lessons/One/Page.HTML"), 2);
	assert_int_equal(lms_pkgzip_find(z, "lessons"), -1);
	assert_int_equal(lms_pkgzip_find(z, "nope.html"), -1);

	lms_err_clear(&err);
	assert_int_equal(lms_pkgzip_read(z, 0, 4096, &buf, &len, &err), 0);
	assert_int_equal(len, strlen(MANIFEST));
	assert_string_equal(buf, MANIFEST);
	free(buf);
	buf = NULL;
	assert_int_equal(lms_pkgzip_read(z, 2, 100, &buf, &len, &err), LMS_ETOOBIG);
	assert_null(buf);
	assert_string_equal(err.code, "entry_too_large");
	assert_true(readable(err.msg));

	/* extraction into a parent that does not exist fails cleanly */
	snprintf(f, sizeof(f), "%s/missing/out", work);
	assert_true(lms_pkgzip_extract(z, f, &err) < 0);
	assert_true(readable(err.msg));
	assert_nothing_written();

	umask(022);
	lms_err_clear(&err);
	assert_int_equal(lms_pkgzip_extract(z, dest, &err), 0);
	snprintf(f, sizeof(f), "%s/imsmanifest.xml", dest);
	assert_file(f, MANIFEST, strlen(MANIFEST), 0644);
	snprintf(f, sizeof(f), "%s/index.html", dest);
	assert_file(f, INDEX, strlen(INDEX), 0644);
	snprintf(f, sizeof(f), "%s/lessons/one/page.html", dest);
	assert_file(f, page, sizeof(page), 0644);
	snprintf(f, sizeof(f), "%s/lessons/one", dest);
	assert_int_equal(lstat(f, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0755);
	assert_int_equal(lstat(dest, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0755);
	/* a, a/b, out, and out's 3 files and 2 folders: no temporary folder left */
	assert_int_equal(tree_count(work), 2 + 1 + 5);

	/* a second extraction to the same place fails and changes nothing */
	lms_err_clear(&err);
	assert_int_equal(lms_pkgzip_extract(z, dest, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "destination_exists");
	assert_int_equal(tree_count(work), 2 + 1 + 5);

	lms_pkgzip_close(z);
	lms_pkgzip_close(NULL);
	lms_arena_free(a);
}

static void case_collision_is_a_warning(void **state)
{
	char path[PATH_MAX];
	lms_arena *a;
	lms_report r;
	lms_pkgzip *z;
	const lms_problem *p;

	(void)state;
	need_corpus();
	a = lms_arena_new();
	lms_report_init(&r, a);
	corpus_path(path, sizeof(path), "case.zip");
	z = open_ok(path, NULL, &r);
	assert_int_equal(r.warnings, 1);
	p = find_problem(&r, "duplicate_name_case", NULL);
	assert_non_null(p);
	assert_int_equal(p->severity, LMS_SEV_WARNING);
	assert_non_null(strstr(p->message, "Index.html"));
	assert_non_null(strstr(p->message, "index.HTML"));
	assert_int_equal(lms_pkgzip_count(z), 3);
	lms_pkgzip_close(z);
	lms_arena_free(a);
}

/* ---- hostile names and entries ---- */

static void traversal_is_rejected_and_writes_nothing(void **state)
{
	char target[PATH_MAX];
	(void)state;
	need_corpus();
	expect_rejected("traversal.zip", NULL, LMS_EINVAL, "name_parent_ref", "../../evil.txt");
	expect_rejected("traversal_mid.zip", NULL, LMS_EINVAL, "name_parent_ref",
	                "a/../../evil2.txt");
	/* where out/../../evil.txt and out/a/../../evil2.txt would have landed */
	snprintf(target, sizeof(target), "%s/a/evil.txt", work);
	assert_false(exists(target));
	snprintf(target, sizeof(target), "%s/a/b/evil2.txt", work);
	assert_false(exists(target));
}

static void absolute_drive_backslash_are_rejected(void **state)
{
	(void)state;
	need_corpus();
	expect_rejected("absolute.zip", NULL, LMS_EINVAL, "name_absolute", "/etc/passwd-x");
	assert_false(exists("/etc/passwd-x"));
	expect_rejected("drive_letter.zip", NULL, LMS_EINVAL, "name_drive_letter", "C:/x.html");
	expect_rejected("backslash.zip", NULL, LMS_EINVAL, "name_backslash", "a\\b.html");
}

static void bad_characters_in_names_are_rejected(void **state)
{
	lms_pkgzip_limits lim;
	(void)state;
	need_corpus();
	expect_rejected("nul_name.zip", NULL, LMS_EINVAL, "name_control_char", "a\\x00b.html");
	expect_rejected("control_name.zip", NULL, LMS_EINVAL, "name_control_char",
	                "a\\x1bb.html");
	expect_rejected("not_utf8.zip", NULL, LMS_EINVAL, "name_not_utf8", "caf\\xe9.html");
	expect_rejected("long_name.zip", NULL, LMS_EINVAL, "name_too_long", NULL);
	lms_pkgzip_limits_default(&lim);
	lim.max_name_bytes = 12;
	expect_rejected("valid.zip", &lim, LMS_EINVAL, "name_too_long", "imsmanifest.xml");
}

static void links_special_files_duplicates_encryption_are_rejected(void **state)
{
	(void)state;
	need_corpus();
	expect_rejected("symlink.zip", NULL, LMS_EINVAL, "symlink", "link");
	expect_rejected("fifo.zip", NULL, LMS_EINVAL, "not_regular_file", "pipe");
	expect_rejected("duplicate.zip", NULL, LMS_EINVAL, "duplicate_name", "index.html");
	expect_rejected("duplicate_normalised.zip", NULL, LMS_EINVAL, "duplicate_name",
	                "index.html");
	expect_rejected("encrypted.zip", NULL, LMS_EINVAL, "encrypted", "secret.html");
}

static void not_zips_and_empty_zips_are_rejected(void **state)
{
	(void)state;
	need_corpus();
	expect_rejected("not_a_zip.zip", NULL, LMS_EUNSUPPORTED, "not_a_zip", NULL);
	expect_rejected("truncated.zip", NULL, LMS_EUNSUPPORTED, "not_a_zip", NULL);
	expect_rejected("empty.zip", NULL, LMS_EINVAL, "empty_package", NULL);
}

static void entry_count_is_limited(void **state)
{
	char path[PATH_MAX];
	lms_pkgzip_limits lim;
	lms_arena *a;
	lms_report r;
	lms_pkgzip *z;

	(void)state;
	need_corpus();
	a = lms_arena_new();
	lms_pkgzip_limits_default(&lim);
	lim.max_entries = 50;
	expect_rejected("many.zip", &lim, LMS_EINVAL, "too_many_entries", NULL);
	lim.max_entries = 61; /* exactly the count: accepted */
	lms_report_init(&r, a);
	corpus_path(path, sizeof(path), "many.zip");
	z = open_ok(path, &lim, &r);
	assert_int_equal(lms_pkgzip_count(z), 61);
	lms_pkgzip_close(z);
	lms_arena_free(a);
}

/* ---- sizes: bombs and liars ---- */

static void bomb_is_rejected_at_open(void **state)
{
	lms_pkgzip_limits lim;
	(void)state;
	need_corpus();
	expect_rejected("bomb.zip", NULL, LMS_EINVAL, "compression_ratio", "zeros.bin");
	lms_pkgzip_limits_default(&lim);
	lim.max_entry_bytes = 10u * 1000 * 1000;
	expect_rejected("bomb.zip", &lim, LMS_EINVAL, "entry_too_large", "zeros.bin");
	lim.max_ratio = 5000;
	lim.max_total_bytes = 20u * 1000 * 1000;
	expect_rejected("bomb.zip", &lim, LMS_EINVAL, "total_too_large", NULL);
}

/* With limits that let it through, a 50 MB entry extracts in bounded memory. */
static void big_entry_extracts_in_bounded_memory(void **state)
{
	char path[PATH_MAX], f[PATH_MAX];
	lms_pkgzip_limits lim;
	lms_arena *a;
	lms_report r;
	lms_pkgzip *z;
	lms_err err;
	struct stat sb;
	long before, after;

	(void)state;
	need_corpus();
	a = lms_arena_new();
	lms_pkgzip_limits_default(&lim);
	lim.max_ratio = 5000;
	lms_report_init(&r, a);
	corpus_path(path, sizeof(path), "bomb.zip");
	z = open_ok(path, &lim, &r);
	before = maxrss_kb();
	lms_err_clear(&err);
	assert_int_equal(lms_pkgzip_extract(z, dest, &err), 0);
	after = maxrss_kb();
	print_message("extracting 50 MB: max RSS grew by %ld KiB\n", after - before);
	assert_true(after - before < RSS_GROWTH_MAX_KB);
	snprintf(f, sizeof(f), "%s/zeros.bin", dest);
	assert_int_equal(stat(f, &sb), 0);
	assert_int_equal(sb.st_size, 50 * 1000 * 1000);
	lms_pkgzip_close(z);
	lms_arena_free(a);
}

/* The bomb that declares 9 MB passes the open checks under a 10 MB limit; extraction
 * finds the lie, stops there, and leaves nothing. */
static void lying_bomb_stops_at_extraction(void **state)
{
	char path[PATH_MAX], *buf = NULL;
	lms_pkgzip_limits lim;
	lms_arena *a;
	lms_report r;
	lms_pkgzip *z;
	lms_err err;
	long before, after;
	size_t len = 0;
	long i;

	(void)state;
	need_corpus();
	a = lms_arena_new();
	lms_pkgzip_limits_default(&lim);
	lim.max_entry_bytes = 10u * 1000 * 1000;
	lms_report_init(&r, a);
	corpus_path(path, sizeof(path), "bomb_liar.zip");
	z = open_ok(path, &lim, &r);
	i = lms_pkgzip_find(z, "zeros.bin");
	assert_true(i >= 0);
	assert_int_equal(lms_pkgzip_size(z, (size_t)i), 9 * 1000 * 1000);

	before = maxrss_kb();
	lms_err_clear(&err);
	assert_int_equal(lms_pkgzip_extract(z, dest, &err), LMS_EINVAL);
	after = maxrss_kb();
	print_message("lying bomb: %s; max RSS grew by %ld KiB\n", err.msg, after - before);
	assert_true(after - before < RSS_GROWTH_MAX_KB);
	assert_string_equal(err.code, "size_mismatch");
	assert_string_equal(err.field, "zeros.bin");
	assert_true(readable(err.msg));
	assert_non_null(strstr(err.msg, "zeros.bin"));
	assert_nothing_written();

	lms_err_clear(&err);
	assert_int_equal(lms_pkgzip_read(z, (size_t)i, 20u * 1000 * 1000, &buf, &len, &err),
	                 LMS_EINVAL);
	assert_null(buf);
	assert_string_equal(err.code, "size_mismatch");
	lms_pkgzip_close(z);
	lms_arena_free(a);
}

static void entry_lying_about_its_size_fails_cleanly(void **state)
{
	char path[PATH_MAX], *buf = NULL;
	lms_arena *a;
	lms_report r;
	lms_pkgzip *z = NULL;
	lms_err err;
	size_t len = 0;
	long i;
	int rc;

	(void)state;
	need_corpus();
	a = lms_arena_new();
	lms_report_init(&r, a);
	lms_err_clear(&err);
	corpus_path(path, sizeof(path), "size_lie.zip");
	rc = lms_pkgzip_open(path, NULL, &r, &z, &err);
	if (rc < 0) { /* refused at open: fine too, with the entry named */
		dump_report(&r);
		assert_int_equal(rc, LMS_EINVAL);
		assert_nothing_written();
		lms_arena_free(a);
		return;
	}
	i = lms_pkgzip_find(z, "big.html");
	assert_true(i >= 0);
	assert_int_equal(lms_pkgzip_extract(z, dest, &err), LMS_EINVAL);
	assert_string_equal(err.code, "size_mismatch");
	assert_non_null(strstr(err.msg, "big.html"));
	assert_true(readable(err.msg));
	assert_nothing_written();
	assert_int_equal(lms_pkgzip_read(z, (size_t)i, 1 << 20, &buf, &len, &err), LMS_EINVAL);
	assert_null(buf);
	assert_string_equal(err.code, "size_mismatch");
	lms_pkgzip_close(z);
	lms_arena_free(a);
}

/* ---- real packages ---- */

static void real_scorm_samples_open_and_extract(void **state)
{
	const char *dir = getenv("PARLEARN_SCORM_SAMPLES");
	char pattern[PATH_MAX], out[PATH_MAX];
	glob_t g;
	size_t k, files = 0;

	(void)state;
	need_corpus();
	if (!dir || !*dir) {
		print_message("PARLEARN_SCORM_SAMPLES is not set: samples not checked\n");
		skip();
	}
	snprintf(pattern, sizeof(pattern), "%s/*.zip", dir);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc > 0);
	for (k = 0; k < g.gl_pathc; k++) {
		lms_arena *a = lms_arena_new();
		lms_report r;
		lms_pkgzip *z;
		lms_err err;
		char *buf = NULL;
		size_t len = 0;
		long m;

		lms_report_init(&r, a);
		z = open_ok(g.gl_pathv[k], NULL, &r);
		m = lms_pkgzip_find(z, "imsmanifest.xml");
		assert_true(m >= 0);
		lms_err_clear(&err);
		assert_int_equal(lms_pkgzip_read(z, (size_t)m, 4u << 20, &buf, &len, &err), 0);
		assert_true(len > 0);
		free(buf);
		snprintf(out, sizeof(out), "%s/sample%zu", work, k);
		assert_int_equal(lms_pkgzip_extract(z, out, &err), 0);
		print_message("%s: %zu files, %zu warnings\n", strrchr(g.gl_pathv[k], '/') + 1,
		              lms_pkgzip_count(z), r.warnings);
		files += lms_pkgzip_count(z);
		lms_pkgzip_close(z);
		lms_arena_free(a);
	}
	print_message("%zu samples, %zu files, all opened and extracted\n", g.gl_pathc, files);
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* the memory checks first, while the process's high-water mark is low */
		cmocka_unit_test_setup_teardown(big_entry_extracts_in_bounded_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(lying_bomb_stops_at_extraction, setup, teardown),
		cmocka_unit_test_setup_teardown(valid_package_opens_lists_reads_and_extracts, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(case_collision_is_a_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(traversal_is_rejected_and_writes_nothing, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(absolute_drive_backslash_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_characters_in_names_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(links_special_files_duplicates_encryption_are_rejected,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(not_zips_and_empty_zips_are_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(entry_count_is_limited, setup, teardown),
		cmocka_unit_test_setup_teardown(bomb_is_rejected_at_open, setup, teardown),
		cmocka_unit_test_setup_teardown(entry_lying_about_its_size_fails_cleanly, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(real_scorm_samples_open_and_extract, setup, teardown),
	};
	corpus = getenv("PARLEARN_ZIP_CORPUS");
	if (corpus && !*corpus)
		corpus = NULL;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
