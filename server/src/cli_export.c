/* cli_export.c — `parlearn package export-scorm COURSE --scorm 1.2|2004 -o FILE`: a native
 * PAR lesson as a SCORM package other LMSs (Moodle...) can run.
 *
 * The package holds the lesson's own files unchanged at its root (lesson.xml and media), a
 * small player under player/ (server/templates/lesson-player, built into the binary) that
 * renders the lesson and talks to the LMS through the SCORM run-time API, and a generated
 * imsmanifest.xml with one SCO launching player/index.html and listing every file. The
 * result is checked like any upload before the command reports success.
 */
#include "cli.h"

#include "lesson_schema.h"
#include "lms/course.h"
#include "lms/package_zip.h"
#include "lms/report.h"
#include "lms/validate.h"
#include "store_pg.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const unsigned char srv_player_index[], srv_player_js[], srv_player_css[];
extern const size_t srv_player_index_len, srv_player_js_len, srv_player_css_len;

#define EXPORT_MAX_FILES 20000

static struct {
	char **paths;
	size_t n;
	size_t root_len;
} X; /* nftw has no user pointer; the CLI is single-threaded */

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode) && X.n < EXPORT_MAX_FILES)
		X.paths[X.n++] = strdup(path + X.root_len + 1);
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Writes text into dir/name (name may hold one '/'), creating the folder. */
static int write_file(const char *dir, const char *name, const void *data, size_t len,
                      lms_err *err)
{
	char path[PATH_MAX + 64], sub[PATH_MAX + 64];
	const char *slash = strchr(name, '/');
	FILE *f;

	if (slash) {
		snprintf(sub, sizeof(sub), "%s/%.*s", dir, (int)(slash - name), name);
		if (mkdir(sub, 0755) < 0 && errno != EEXIST)
			return lms_err_set(err, LMS_EINTERNAL, "export_failed", NULL, "cannot create %s", sub);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wbx")))
		return lms_err_set(err, LMS_EINTERNAL, "export_failed", NULL, "cannot create %s: %s", path,
		                   strerror(errno));
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return lms_err_set(err, LMS_EINTERNAL, "export_failed", NULL, "cannot write %s", path);
	}
	return fclose(f) == 0 ? LMS_OK
	                      : lms_err_set(err, LMS_EINTERNAL, "export_failed", NULL,
	                                    "cannot write %s", path);
}

/* Appends s to the buffer with XML escaping. */
static void xml_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static char *manifest_text(const lms_course_version *v, bool scorm12, char **paths, size_t n,
                           size_t *len)
{
	char *buf = NULL;
	size_t i;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fputs("<manifest identifier=\"", f);
	xml_escaped(f, v->course_code);
	fprintf(f, "-v%d\" version=\"%d\"\n", v->version_no, v->version_no);
	if (scorm12)
		fputs("  xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n"
		      "  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">\n"
		      "  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>\n",
		      f);
	else
		fputs("  xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"\n"
		      "  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\">\n"
		      "  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>\n",
		      f);
	fputs("  <organizations default=\"org\">\n    <organization identifier=\"org\">\n      <title>", f);
	xml_escaped(f, v->title);
	fputs("</title>\n      <item identifier=\"item\" identifierref=\"sco\">\n        <title>", f);
	xml_escaped(f, v->title);
	fputs("</title>\n      </item>\n    </organization>\n  </organizations>\n  <resources>\n", f);
	fprintf(f, "    <resource identifier=\"sco\" type=\"webcontent\" %s=\"sco\" href=\"player/index.html\">\n",
	        scorm12 ? "adlcp:scormtype" : "adlcp:scormType");
	for (i = 0; i < n; i++) {
		fputs("      <file href=\"", f);
		xml_escaped(f, paths[i]);
		fputs("\"/>\n", f);
	}
	fputs("    </resource>\n  </resources>\n</manifest>\n", f);
	fclose(f);
	return buf;
}

int cmd_export(int argc, char **argv)
{
	const char *course = NULL, *version = NULL, *scorm = NULL, *out = NULL;
	const srv_opt own[] = {
		{ "version", NULL, &version, NULL, NULL, "version number (default: the newest)" },
		{ "scorm", NULL, &scorm, NULL, NULL, "1.2 or 2004" },
		{ "o", NULL, &out, NULL, NULL, "the zip file to write" },
		{ NULL, NULL, NULL, NULL, NULL, NULL },
	};
	char stage[PATH_MAX], vdir[PATH_MAX + 96];
	lms_course_version *list, *v = NULL;
	lms_pkgzip_limits zl;
	lms_import_opts io;
	lms_package_info info;
	lms_report rep;
	lms_pkgzip *z = NULL;
	char *manifest = NULL;
	size_t n, i, mlen = 0;
	long want = 0;
	bool scorm12;
	cli_ctx c;
	int rc, k;

	/* -o FILE as in `package build`: turn it into --o for the common parser. */
	for (k = 3; k < argc; k++)
		if (strcmp(argv[k], "-o") == 0)
			argv[k] = (char *)(uintptr_t)"--o";
	if (argc < 3 || argv[2][0] == '-') {
		printf("usage: parlearn package export-scorm COURSE --scorm 1.2|2004 -o FILE [--version N]\n\n"
		       "Writes a native PAR lesson as a SCORM package that other LMSs can run.\n");
		return argc >= 3 && strcmp(argv[2], "--help") == 0 ? 0 : 2;
	}
	course = argv[2];
	if ((rc = cli_begin(&c, argc, argv, 3, own,
	                    "parlearn package export-scorm COURSE --scorm 1.2|2004 -o FILE",
	                    "Writes a native PAR lesson as a SCORM package.")) != 0)
		return rc == 1 ? 0 : rc;
	memset(&X, 0, sizeof(X));
	stage[0] = '\0';
	if (!scorm || (strcmp(scorm, "1.2") != 0 && strcmp(scorm, "2004") != 0) || !out) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "usage", NULL, "give --scorm 1.2 or 2004, and -o FILE");
		goto done;
	}
	scorm12 = strcmp(scorm, "1.2") == 0;
	if ((rc = lms_check_code("course", course, &c.err)) < 0)
		goto done;
	if (version) {
		char *end;
		want = strtol(version, &end, 10);
		if (*end || want < 1) {
			rc = lms_err_set(&c.err, LMS_EINVAL, "usage", NULL, "--version must be a number from 1");
			goto done;
		}
	}
	if ((rc = c.store->ops->version_list(c.store, course, c.arena, &list, &n, &c.err)) < 0)
		goto done;
	for (i = 0; i < n && !v; i++)
		if (!want || list[i].version_no == want)
			v = &list[i];
	if (!v) {
		rc = lms_err_set(&c.err, LMS_ENOTFOUND, "not_found", NULL, "no course %s%s%s", course,
		                 want ? " with version " : "", want ? version : "");
		goto done;
	}
	if (strcmp(v->kind, "native") != 0) {
		rc = lms_err_set(&c.err, LMS_EINVAL, "not_native", NULL,
		                 "course %s version %d is a %s package already; only native PAR "
		                 "lessons are exported",
		                 course, v->version_no, v->kind);
		goto done;
	}

	/* Stage: the version's files (hard links), the player, the manifest. */
	snprintf(stage, sizeof(stage), "%s/content", c.cfg.data_dir);
	(void)mkdir(stage, 0755);
	snprintf(stage, sizeof(stage), "%s/content/tmp", c.cfg.data_dir);
	(void)mkdir(stage, 0755);
	snprintf(stage, sizeof(stage), "%s/content/tmp/export-XXXXXX", c.cfg.data_dir);
	if (!mkdtemp(stage)) {
		rc = lms_err_set(&c.err, LMS_EINTERNAL, "export_failed", NULL, "cannot create %s: %s", stage,
		                 strerror(errno));
		stage[0] = '\0';
		goto done;
	}
	snprintf(vdir, sizeof(vdir), "%s/content/v/%s", c.cfg.data_dir, v->storage_key);
	X.paths = calloc(EXPORT_MAX_FILES + 4, sizeof(char *));
	X.root_len = strlen(vdir);
	if (!X.paths || nftw(vdir, collect, 32, FTW_PHYS) != 0) {
		rc = lms_err_set(&c.err, LMS_EINTERNAL, "export_failed", NULL, "cannot read %s", vdir);
		goto done;
	}
	for (i = 0; i < X.n; i++) {
		char from[PATH_MAX * 2], to[PATH_MAX * 2], *slash, *p;
		if (strcmp(X.paths[i], "imsmanifest.xml") == 0)
			continue; /* replaced by the SCORM one */
		snprintf(from, sizeof(from), "%s/%s", vdir, X.paths[i]);
		snprintf(to, sizeof(to), "%s/%s", stage, X.paths[i]);
		for (p = to + strlen(stage) + 1; (slash = strchr(p, '/')); p = slash + 1) {
			*slash = '\0';
			(void)mkdir(to, 0755);
			*slash = '/';
		}
		if (link(from, to) < 0) {
			rc = lms_err_set(&c.err, LMS_EINTERNAL, "export_failed", NULL, "cannot stage %s: %s",
			                 X.paths[i], strerror(errno));
			goto done;
		}
	}
	/* The manifest of the native package is left out; the player files join. */
	for (i = 0; i < X.n; i++)
		if (strcmp(X.paths[i], "imsmanifest.xml") == 0) {
			free(X.paths[i]);
			X.paths[i] = X.paths[--X.n];
			break;
		}
	if ((rc = write_file(stage, "player/index.html", srv_player_index, srv_player_index_len, &c.err)) < 0 ||
	    (rc = write_file(stage, "player/player.js", srv_player_js, srv_player_js_len, &c.err)) < 0 ||
	    (rc = write_file(stage, "player/player.css", srv_player_css, srv_player_css_len, &c.err)) < 0)
		goto done;
	X.paths[X.n++] = strdup("player/index.html");
	X.paths[X.n++] = strdup("player/player.js");
	X.paths[X.n++] = strdup("player/player.css");
	qsort(X.paths, X.n, sizeof(char *), by_str);
	if (!(manifest = manifest_text(v, scorm12, X.paths, X.n, &mlen)) ||
	    (rc = write_file(stage, "imsmanifest.xml", manifest, mlen, &c.err)) < 0) {
		if (!manifest)
			rc = lms_err_set(&c.err, LMS_EINTERNAL, "export_failed", NULL, "out of memory");
		goto done;
	}
	X.paths[X.n++] = strdup("imsmanifest.xml");
	qsort(X.paths, X.n, sizeof(char *), by_str);
	if ((rc = lms_pkgzip_write(out, stage, (const char *const *)X.paths, X.n, &c.err)) < 0)
		goto done;

	/* The result must pass the checks of any upload. */
	lms_report_init(&rep, c.arena);
	lms_pkgzip_limits_default(&zl);
	lms_import_opts_default(&io, NULL);
	io.lesson_schema = srv_lesson_schema();
	if ((rc = lms_pkgzip_open(out, &zl, &rep, &z, &c.err)) < 0 ||
	    (rc = lms_package_check(z, &io, c.arena, &rep, &info, &c.err)) < 0) {
		for (i = 0; i < rep.n; i++)
			fprintf(stderr, "%s %s:%d: %s [%s]\n",
			        rep.items[i].severity == LMS_SEV_ERROR ? "error" : "warning",
			        rep.items[i].file, rep.items[i].line, rep.items[i].message, rep.items[i].code);
		unlink(out);
		rc = lms_err_set(&c.err, LMS_EINTERNAL, "export_failed", NULL,
		                 "the exported package did not pass the checks (a bug); nothing written");
		goto done;
	}
	printf("%s: SCORM %s package of %s version %d (%zu files)\n", out, scorm12 ? "1.2" : "2004",
	       v->course_code, v->version_no, X.n);
	rc = 0;
done:
	lms_pkgzip_close(z);
	free(manifest);
	for (i = 0; i < X.n; i++)
		free(X.paths[i]);
	free(X.paths);
	memset(&X, 0, sizeof(X));
	if (stage[0])
		lms_content_remove_tree(stage);
	return cli_end(&c, rc);
}
