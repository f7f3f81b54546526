/* cli_package.c — `parlearn package validate FILE`: what a trainer sees before importing;
 * `parlearn package build DIR -o FILE`: a folder checked, then zipped the way LMSs expect.
 *
 * Opens the zip safely (package_zip.h: names, symlinks, encryption, sizes, ratios), reads
 * imsmanifest.xml from its root, parses it (manifest.h) and checks it against the package's
 * files. Prints one line per problem — "error|warning FILE:LINE: message [code]" — then a
 * summary with the SCORM version and the item tree, or with --json the same as JSON.
 * Exit status: 0 valid (warnings allowed), 1 with errors, 2 unusable input (no such file,
 * not a zip, usage).
 */
#include "cli.h"

#include "lms/validate.h"
#include "lesson_schema.h"
#include "store_pg.h"

#include "lms/arena.h"
#include "lms/course.h"
#include "lms/manifest.h"
#include "lms/package_zip.h"
#include "lms/report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANIFEST_MAX (8u * 1024u * 1024u)

static const char *version_name(const lms_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n_resources; i++)
		if (m->resources[i].type &&
		    strcasecmp(m->resources[i].type, LMS_LESSON_RESOURCE_TYPE) == 0)
			return "PAR lesson";
	if (m->version == LMS_SCORM_12)
		return "SCORM 1.2";
	if (m->version != LMS_SCORM_2004)
		return "IMS content package";
	switch (m->edition) {
	case 2: return "SCORM 2004 2nd Edition";
	case 3: return "SCORM 2004 3rd Edition";
	case 4: return "SCORM 2004 4th Edition";
	default: return "SCORM 2004";
	}
}

static void print_items(const lms_mf_item *items, size_t n, int depth)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const lms_mf_item *it = &items[i];
		printf("  %*s- %s", depth * 2, "", it->title ? it->title : it->identifier);
		if (it->resource && it->resource->href)
			printf("  → %s%s", it->resource->href, it->parameters ? it->parameters : "");
		if (it->resource && it->resource->scorm_type)
			printf("  (%s)", it->resource->scorm_type);
		printf("\n");
		print_items(it->children, it->n_children, depth + 1);
	}
}

static cJSON *items_json(const lms_mf_item *items, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++) {
		const lms_mf_item *it = &items[i];
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "identifier", it->identifier ? it->identifier : "");
		cJSON_AddStringToObject(o, "title", it->title ? it->title : "");
		if (it->resource && it->resource->href)
			cJSON_AddStringToObject(o, "href", it->resource->href);
		if (it->resource && it->resource->scorm_type)
			cJSON_AddStringToObject(o, "scorm_type", it->resource->scorm_type);
		cJSON_AddItemToObject(o, "items", items_json(it->children, it->n_children));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static void print_report(const lms_report *r, bool json, const lms_manifest *m,
                         const char *path)
{
	size_t i;

	if (json) {
		cJSON *o = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(o, "problems");
		char *text;
		cJSON_AddStringToObject(o, "package", path);
		cJSON_AddBoolToObject(o, "valid", r->errors == 0);
		cJSON_AddNumberToObject(o, "errors", (double)r->errors);
		cJSON_AddNumberToObject(o, "warnings", (double)r->warnings);
		for (i = 0; i < r->n; i++) {
			const lms_problem *p = &r->items[i];
			cJSON *j = cJSON_CreateObject();
			cJSON_AddStringToObject(j, "severity", p->severity == LMS_SEV_ERROR ? "error" : "warning");
			cJSON_AddStringToObject(j, "code", p->code);
			cJSON_AddStringToObject(j, "file", p->file);
			cJSON_AddNumberToObject(j, "line", p->line);
			cJSON_AddStringToObject(j, "message", p->message);
			cJSON_AddItemToArray(arr, j);
		}
		if (m) {
			cJSON_AddStringToObject(o, "version", version_name(m));
			cJSON_AddStringToObject(o, "title", m->title ? m->title : "");
			if (m->default_org)
				cJSON_AddItemToObject(o, "items",
				                      items_json(m->default_org->items, m->default_org->n_items));
		}
		text = cJSON_Print(o);
		if (text)
			printf("%s\n", text);
		cJSON_free(text);
		cJSON_Delete(o);
		return;
	}
	for (i = 0; i < r->n; i++) {
		const lms_problem *p = &r->items[i];
		printf("%s %s", p->severity == LMS_SEV_ERROR ? "error" : "warning",
		       p->file[0] ? p->file : path);
		if (p->line > 0)
			printf(":%d", p->line);
		printf(": %s [%s]\n", p->message, p->code);
	}
	if (r->dropped)
		printf("... and %zu more problems\n", r->dropped);
	if (m) {
		printf("%s: %s, \"%s\"\n", path, version_name(m), m->title ? m->title : "");
		if (m->default_org)
			print_items(m->default_org->items, m->default_org->n_items, 0);
	}
	printf("%s: %s (%zu error%s, %zu warning%s)\n", path,
	       r->errors ? "NOT VALID" : "valid", r->errors, r->errors == 1 ? "" : "s", r->warnings,
	       r->warnings == 1 ? "" : "s");
}

static int package_validate(int argc, char **argv)
{
	bool json = false, help = false;
	const srv_opt own[] = {
		{ "json", NULL, NULL, &json, NULL, "print the report as JSON" },
		{ "help", NULL, NULL, &help, NULL, "show this help" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	const srv_opt *tables[] = { own, NULL };
	lms_pkgzip_limits zl;
	lms_manifest *m = NULL;
	lms_lesson *lesson = NULL;
	lms_package_info info;
	lms_import_opts io;
	lms_pkgzip *z = NULL;
	lms_report report;
	lms_arena *a = NULL;
	const char *path;
	struct stat st;
	lms_err err;
	int rc, status = 2;

	lms_err_clear(&err);
	if (argc < 3 || argv[2][0] == '-') {
		if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
			srv_args_help("parlearn package validate FILE [--json]",
			              "Checks a course package (a SCORM 1.2 / 2004 zip) and prints every "
			              "problem with its file and line. Exit status: 0 valid, 1 with errors, "
			              "2 unusable input.",
			              tables);
			return 0;
		}
		fprintf(stderr, "usage: parlearn package validate FILE [--json]\n");
		return 2;
	}
	path = argv[2];
	if (srv_args_parse(argc, argv, 3, tables, &err) < 0) {
		fprintf(stderr, "parlearn: %s\n", err.msg);
		return 2;
	}
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "parlearn: %s: %s\n", path,
		        stat(path, &st) < 0 ? strerror(errno) : "not a regular file");
		return 2;
	}
	a = lms_arena_new();
	lms_report_init(&report, a);
	lms_pkgzip_limits_default(&zl);
	rc = lms_pkgzip_open(path, &zl, &report, &z, &err);
	if (rc == LMS_EUNSUPPORTED || (rc < 0 && report.n == 0)) {
		fprintf(stderr, "parlearn: %s: %s\n", path, err.msg);
		goto cleanup;
	}
	status = 1;
	if (rc < 0)
		goto report;
	lms_import_opts_default(&io, NULL);
	io.lesson_schema = srv_lesson_schema();
	(void)lms_package_check(z, &io, a, &report, &info, &err);
	m = info.manifest;
	lesson = info.lesson;
report:
	print_report(&report, json, m, path);
	if (lesson && !json)
		printf("%s: PAR lesson \"%s\" (%s), %zu modules, %zu lessons, %zu pages, %zu questions, "
		       "%d training periods\n",
		       path, lesson->title ? lesson->title : "", lesson->par_area ? lesson->par_area : "",
		       lesson->n_modules, lesson->n_lessons, lesson->n_pages, lesson->n_questions,
		       lesson->training_periods);
	status = report.errors ? 1 : 0;
cleanup:
	lms_pkgzip_close(z);
	lms_arena_free(a);
	return status;
}

/* ---- build ---------------------------------------------------------------------- */

#define BUILD_MAX_FILES 20000

typedef struct walk {
	char **paths;
	size_t n;
	size_t root_len;
	lms_report *report;
} walk;

static walk *the_walk; /* nftw has no user pointer; the CLI is single-threaded */

static int on_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	walk *w = the_walk;
	const char *rel = path + w->root_len + 1;

	(void)st;
	if (ftw->level == 0 || type == FTW_D || type == FTW_DP)
		return 0;
	if (type == FTW_SL || type == FTW_SLN) {
		lms_report_add(w->report, LMS_SEV_ERROR, "symlink", rel, 0,
		               "\"%s\" is a symbolic link; a package may hold only files and folders", rel);
		return 0;
	}
	if (type != FTW_F || !S_ISREG(st->st_mode)) {
		lms_report_add(w->report, LMS_SEV_ERROR, "not_regular_file", rel, 0,
		               "\"%s\" is not a regular file", rel);
		return 0;
	}
	if (w->n >= BUILD_MAX_FILES) {
		lms_report_add(w->report, LMS_SEV_ERROR, "too_many_entries", "", 0,
		               "the folder holds more than %d files", BUILD_MAX_FILES);
		return 1;
	}
	w->paths[w->n++] = strdup(rel);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool dir_has(void *ud, const char *path, bool *case_differs)
{
	const walk *w = ud;
	size_t i;

	*case_differs = false;
	if (bsearch(&path, w->paths, w->n, sizeof(char *), cmp_str))
		return true;
	for (i = 0; i < w->n; i++)
		if (strcasecmp(w->paths[i], path) == 0) {
			*case_differs = true;
			return true;
		}
	return false;
}

static char *read_small_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	*len = buf ? fread(buf, 1, max + 1, f) : 0;
	fclose(f);
	if (buf && *len > max) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[*len] = '\0';
	return buf;
}

static int package_build(int argc, char **argv)
{
	const char *out = NULL;
	const srv_opt own[] = {
		{ "o", NULL, &out, NULL, NULL, "the zip file to write (also --output)" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	const srv_opt *tables[] = { own, NULL };
	int k;
	char root[PATH_MAX], mpath[PATH_MAX + 32];
	lms_manifest_limits ml;
	lms_pkgzip_limits zl;
	lms_import_opts io;
	lms_package_info info;
	lms_manifest *m = NULL;
	lms_pkgzip *z = NULL;
	lms_report report, zreport;
	lms_arena *a = NULL;
	walk w;
	char *xml = NULL;
	size_t len = 0, i;
	lms_err err;
	int status = 2;

	memset(&w, 0, sizeof(w));
	lms_err_clear(&err);
	if (argc < 3 || argv[2][0] == '-') {
		if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
			srv_args_help("parlearn package build DIR -o FILE",
			              "Checks a package folder (imsmanifest.xml at its root, every launch "
			              "file present, no links) and zips it. Exit status: 0 written, 1 with "
			              "errors (nothing written), 2 unusable input.",
			              tables);
			return 0;
		}
		fprintf(stderr, "usage: parlearn package build DIR -o FILE\n");
		return 2;
	}
	for (k = 3; k < argc; k++) {
		if ((strcmp(argv[k], "-o") == 0 || strcmp(argv[k], "--output") == 0) && k + 1 < argc) {
			out = argv[++k];
		} else {
			fprintf(stderr, "parlearn: unexpected argument '%s'\n(usage: parlearn package build "
			                "DIR -o FILE)\n", argv[k]);
			return 2;
		}
	}
	if (!out) {
		fprintf(stderr, "parlearn: -o FILE is required\n");
		return 2;
	}
	if (!realpath(argv[2], root)) {
		fprintf(stderr, "parlearn: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	a = lms_arena_new();
	lms_report_init(&report, a);
	w.paths = calloc(BUILD_MAX_FILES, sizeof(char *));
	w.root_len = strlen(root);
	w.report = &report;
	the_walk = &w;
	if (!w.paths || nftw(root, on_entry, 32, FTW_PHYS) < 0) {
		fprintf(stderr, "parlearn: %s: cannot read the folder\n", argv[2]);
		goto cleanup;
	}
	qsort(w.paths, w.n, sizeof(char *), cmp_str);
	status = 1;
	snprintf(mpath, sizeof(mpath), "%s/imsmanifest.xml", root);
	if (!(xml = read_small_file(mpath, MANIFEST_MAX, &len))) {
		lms_report_add(&report, LMS_SEV_ERROR, "manifest_missing", "", 0,
		               "there is no readable imsmanifest.xml (at most 8 MiB) at the root of the "
		               "folder");
		goto report;
	}
	lms_manifest_limits_default(&ml);
	(void)lms_manifest_parse(xml, len, "imsmanifest.xml", &ml, a, &report, &m, &err);
	if (m)
		lms_manifest_check_files(m, "imsmanifest.xml", dir_has, &w, &report);
	if (report.errors)
		goto report;
	if (lms_pkgzip_write(out, root, (const char *const *)w.paths, w.n, &err) < 0) {
		lms_report_add(&report, LMS_SEV_ERROR, err.code, "", 0, "%s", err.msg);
		goto report;
	}
	/* The zip itself through the same checks as an upload (names, sizes, ratios, and a
	 * PAR lesson's schema and rules). */
	lms_pkgzip_limits_default(&zl);
	lms_import_opts_default(&io, NULL);
	io.lesson_schema = srv_lesson_schema();
	lms_report_init(&zreport, a);
	if (lms_pkgzip_open(out, &zl, &zreport, &z, &err) < 0 ||
	    lms_package_check(z, &io, a, &zreport, &info, &err) < 0) {
		size_t e;
		unlink(out);
		for (e = 0; e < zreport.n; e++)
			if (zreport.items[e].severity == LMS_SEV_ERROR)
				lms_report_add(&report, LMS_SEV_ERROR, zreport.items[e].code,
				               zreport.items[e].file, zreport.items[e].line, "%s",
				               zreport.items[e].message);
		goto report;
	}
	printf("%s: %zu files written\n", out, w.n);
report:
	print_report(&report, false, m, argv[2]);
	status = report.errors ? 1 : 0;
cleanup:
	for (i = 0; i < w.n; i++)
		free(w.paths[i]);
	free(w.paths);
	free(xml);
	lms_pkgzip_close(z);
	lms_arena_free(a);
	return status;
}

/* ---- import and list ---------------------------------------------------------------- */

static int package_import(int argc, char **argv)
{
	const char *course = NULL, *path;
	bool json = false;
	const srv_opt own[] = {
		{ "course", NULL, &course, NULL, NULL,
		  "course code (default: from the manifest's identifier); an existing course gets a "
		  "new version" },
		{ "json", NULL, NULL, &json, NULL, "print the report as JSON" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char content[PATH_MAX + 16];
	lms_course_version v;
	lms_import_opts o;
	lms_report report;
	struct stat st;
	cli_ctx c;
	int rc;

	if (argc < 3 || argv[2][0] == '-') {
		if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
			printf("usage: parlearn package import FILE [--course CODE] [--data DIR | --db URI]\n\n"
			       "Checks the package and, when it has no errors, stores it as the next "
			       "version of its course.\nExit status: 0 imported, 1 refused (nothing "
			       "stored), 2 unusable input.\n");
			return 0;
		}
		fprintf(stderr, "usage: parlearn package import FILE [--course CODE]\n");
		return 2;
	}
	path = argv[2];
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "parlearn: %s: %s\n", path,
		        stat(path, &st) < 0 ? strerror(errno) : "not a regular file");
		return 2;
	}
	if ((rc = cli_begin(&c, argc, argv, 3, own, "parlearn package import FILE [--course CODE]",
	                    "Imports a course package as a new version.")) != 0)
		return rc == 1 ? 0 : rc;
	if (course && (rc = lms_check_code("course", course, &c.err)) < 0)
		goto done;
	snprintf(content, sizeof(content), "%s/content", c.cfg.data_dir);
	lms_import_opts_default(&o, content);
	o.course_code = course;
	o.lesson_schema = srv_lesson_schema();
	lms_report_init(&report, c.arena);
	rc = lms_package_import(c.store, path, &o, c.arena, &report, &v, &c.err);
	print_report(&report, json, NULL, path);
	if (rc == LMS_OK) {
		printf("%s: imported as course %s version %d (%d files, %lld bytes)\n", path,
		       v.course_code, v.version_no, v.file_count, (long long)v.total_bytes);
	} else if (rc == LMS_EINVAL || rc == LMS_ETOOBIG || rc == LMS_EUNSUPPORTED) {
		(void)cli_end(&c, 0); /* the report said why */
		return rc == LMS_EUNSUPPORTED ? 2 : 1;
	}
done:
	return cli_end(&c, rc);
}

static int course_list(int argc, char **argv)
{
	const char *course = NULL;
	const srv_opt own[] = {
		{ "course", NULL, &course, NULL, NULL, "only this course" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	lms_course_version *list;
	size_t n, i;
	cli_ctx c;
	int rc;

	if ((rc = cli_begin(&c, argc, argv, 2, own, "parlearn course list [--course CODE]",
	                    "Lists courses and their versions, newest first.")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = c.store->ops->version_list(c.store, course, c.arena, &list, &n, &c.err)) < 0)
		goto done;
	for (i = 0; i < n; i++)
		printf("%s\tv%d\t%s\t%d files\t%lld bytes\t%s by %s\t%s\n", list[i].course_code,
		       list[i].version_no, list[i].kind, list[i].file_count,
		       (long long)list[i].total_bytes, list[i].imported_at, list[i].imported_by,
		       list[i].title);
done:
	return cli_end(&c, rc);
}

int cmd_course(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "list") == 0)
		return course_list(argc, argv);
	printf("usage: parlearn course list [--course CODE]  (takes --help)\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}

int cmd_package(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "--help";

	if (strcmp(sub, "validate") == 0)
		return package_validate(argc, argv);
	if (strcmp(sub, "build") == 0)
		return package_build(argc, argv);
	if (strcmp(sub, "import") == 0)
		return package_import(argc, argv);
	if (strcmp(sub, "export-scorm") == 0)
		return cmd_export(argc, argv);
	printf("usage: parlearn package COMMAND ...  (each takes --help)\n"
	       "  validate FILE [--json]                       check a package, print every problem\n"
	       "  build DIR -o FILE                            check a folder and zip it\n"
	       "  import FILE [--course CODE]                  store it as the next course version\n"
	       "  export-scorm COURSE --scorm 1.2|2004 -o FILE a native PAR lesson as SCORM\n");
	return strcmp(sub, "--help") == 0 ? 0 : 2;
}
