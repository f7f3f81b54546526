/* fuzz_lesson.c — every native package's lesson.xml goes through lms_lesson_parse_with, then
 * lms_lesson_check_files: whatever the bytes, the parser must return a lesson or a clean
 * refusal with the problem in the report, never crash, leak, read out of bounds, fetch
 * anything or hand the file callback a path outside the package. The schema is compiled
 * once, from the source tree found through __FILE__ (schemas/par-lesson/). Small limits
 * make the depth and node caps reachable by mutation. */
#include "fuzz.h"
#include "lms/lesson.h"

#include <stdlib.h>
#include <string.h>

static lms_lesson_schema *load_schema(void)
{
	static const char suffix[] = "/tests/fuzz/fuzz_lesson.c";
	static const char rel[] = "/schemas/par-lesson/par-lesson-1.0.xsd";
	const char *env = getenv("PARLEARN_SOURCE");
	char path[4096];
	size_t n = strlen(__FILE__), k = strlen(suffix), len;
	lms_lesson_schema *s = NULL;
	lms_err err;
	char *xsd;
	long size;
	FILE *f;

	if (env && *env)
		snprintf(path, sizeof(path), "%s%s", env, rel);
	else if (n > k && strcmp(&__FILE__[n - k], suffix) == 0)
		snprintf(path, sizeof(path), "%.*s%s", (int)(n - k), __FILE__, rel);
	else
		snprintf(path, sizeof(path), "../..%s", rel);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_lesson: cannot open %s\n", path);
		abort();
	}
	FUZZ_CHECK(fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
	           fseek(f, 0, SEEK_SET) == 0);
	xsd = malloc((size_t)size);
	FUZZ_CHECK(xsd != NULL);
	len = fread(xsd, 1, (size_t)size, f);
	fclose(f);
	lms_err_clear(&err);
	if (lms_lesson_schema_new(xsd, len, &s, &err) < 0) {
		fprintf(stderr, "fuzz_lesson: schema: %s\n", err.msg);
		abort();
	}
	free(xsd);
	return s;
}

/* The file callback only ever sees package paths; pretends even lengths exist and odd ones
 * exist in another letter case. */
static bool fake_exists(void *ud, const char *path, bool *case_differs)
{
	size_t n = strlen(path);

	(void)ud;
	FUZZ_CHECK(n > 0 && n <= 255 && path[0] != '/' && path[0] != '.' &&
	           !strstr(path, "/.") && !strstr(path, "//") && path[n - 1] != '/' &&
	           !strchr(path, '\\') && !strchr(path, ':') && !strchr(path, '%'));
	*case_differs = (n % 2) == 1;
	return (n % 2) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static lms_lesson_schema *schema;
	lms_manifest_limits lim;
	lms_lesson *l = NULL;
	lms_report rep;
	lms_arena *a;
	lms_err err;
	char *buf;
	size_t i, pages;
	int rc;

	if (!schema) {
		lms_lesson_global_init(); /* once, as the server does */
		schema = load_schema();   /* kept for the process: libFuzzer never returns */
	}
	buf = malloc(size ? size : 1); /* exactly size bytes: no terminator to lean on */
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	a = lms_arena_new();
	lms_report_init(&rep, a);
	lms_err_clear(&err);
	lms_lesson_limits_default(&lim);
	lim.max_nodes = 5000;
	lim.max_depth = 32;
	rc = lms_lesson_parse_with(buf, size, "lesson.xml", schema, &lim, a, &rep, &l, &err);
	FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL || rc == LMS_ETOOBIG);
	if (rc == 0) {
		FUZZ_CHECK(l && rep.errors == 0);
		FUZZ_CHECK(l->identifier && l->version && l->title && l->n_modules > 0 &&
		           l->n_lessons > 0 && l->n_pages > 0);
		FUZZ_CHECK(l->audience != LMS_AUDIENCE_UNKNOWN && l->training_periods > 0);
	} else {
		FUZZ_CHECK(rep.errors > 0 && err.code[0] != '\0');
		FUZZ_CHECK(rc != LMS_ETOOBIG || !l);
	}
	if (l) {
		FUZZ_CHECK(l->language && l->n_par_areas <= LMS_LESSON_MAX_PAR_AREAS);
		for (i = 0, pages = 0; i < l->n_lessons; i++) {
			FUZZ_CHECK(l->units[i].module_index < l->n_modules);
			FUZZ_CHECK(l->units[i].first_page == pages);
			pages += l->units[i].n_pages;
		}
		FUZZ_CHECK(pages == l->n_pages);
		for (i = 0; i < l->n_quizzes; i++)
			FUZZ_CHECK(l->quizzes[i].lesson_index < l->n_lessons &&
			           l->quizzes[i].total_points >= 0);
		lms_lesson_check_files(l, "lesson.xml", fake_exists, NULL, &rep);
	}
	lms_arena_free(a);
	free(buf);
	return 0;
}
