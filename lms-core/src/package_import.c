/* package_import.c — a course package becomes a new, immutable course version.
 *
 * Order, so that a failure at any step leaves nothing behind: check everything (zip, manifest,
 * files) before writing a byte; unpack into CONTENT/tmp/<key> (package_zip.c renames its
 * own temporary folder into place only when complete); store the files by content; move the
 * folder to CONTENT/v/<key>; then record the version in one database transaction — and if
 * that fails, remove the folder again. <key> is random, so no two imports meet.
 */
#include "lms/course.h"

#include "lms/auth.h"
#include "lms/log.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MANIFEST_MAX (8u * 1024u * 1024u)

void lms_import_opts_default(lms_import_opts *o, const char *content_dir)
{
	memset(o, 0, sizeof(*o));
	o->content_dir = content_dir;
	o->imported_by = "cli";
	lms_pkgzip_limits_default(&o->zip_limits);
	lms_manifest_limits_default(&o->manifest_limits);
}

static bool zip_has(void *ud, const char *path, bool *case_differs)
{
	lms_pkgzip *z = ud;

	*case_differs = false;
	if (lms_pkgzip_find(z, path) >= 0)
		return true;
	if (lms_pkgzip_find_nocase(z, path) >= 0) {
		*case_differs = true;
		return true;
	}
	return false;
}

/* A course code from the manifest's identifier: A-Z a-z 0-9 . _ - kept, the rest dropped,
 * at most 32 characters. */
static const char *code_from(lms_arena *a, const char *identifier)
{
	char buf[33];
	size_t i, n = 0;

	for (i = 0; identifier && identifier[i] && n < 32; i++) {
		char c = identifier[i];
		if (isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-')
			buf[n++] = c;
	}
	buf[n] = '\0';
	return n ? lms_arena_strdup(a, buf) : NULL;
}

static void flatten(const lms_mf_item *items, size_t n, int parent, lms_course_item_in *out,
                    size_t *count)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int ord = (int)*count;
		out[*count].ord = ord;
		out[*count].parent_ord = parent;
		out[*count].item = &items[i];
		(*count)++;
		flatten(items[i].children, items[i].n_children, ord, out, count);
	}
}

static size_t count_items(const lms_mf_item *items, size_t n)
{
	size_t i, total = n;

	for (i = 0; i < n; i++)
		total += count_items(items[i].children, items[i].n_children);
	return total;
}

/* The first launchable item's href with its parameters joined as SCORM CP says: a
 * parameters string starting with '?' joins an href that has a query with '&'. */
static const char *launch_href(lms_arena *a, const lms_course_item_in *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const lms_mf_item *it = items[i].item;
		const char *href = it->resource ? it->resource->href : NULL, *p = it->parameters;
		char *out;
		size_t hl, pl;
		if (!href)
			continue;
		if (!p || !*p)
			return href;
		hl = strlen(href);
		pl = strlen(p);
		out = lms_arena_alloc(a, hl + pl + 2);
		memcpy(out, href, hl);
		if (p[0] == '?' && strchr(href, '?')) {
			out[hl] = '&';
			memcpy(out + hl + 1, p + 1, pl);
		} else {
			memcpy(out + hl, p, pl + 1);
		}
		return out;
	}
	return NULL;
}

static int ensure_dir(const char *path, lms_err *err)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return lms_err_set(err, LMS_EINTERNAL, "content_store", NULL, "cannot create %s: %s", path,
		                   strerror(errno));
	return LMS_OK;
}

/* The resource of the default organisation's first item, if it is a PAR lesson. */
static const lms_mf_resource *lesson_resource(const lms_manifest *m)
{
	size_t i;

	for (i = 0; i < m->n_resources; i++)
		if (m->resources[i].type &&
		    strcasecmp(m->resources[i].type, LMS_LESSON_RESOURCE_TYPE) == 0)
			return &m->resources[i];
	return NULL;
}

int lms_package_check(lms_pkgzip *z, const lms_import_opts *o, lms_arena *a,
                      lms_report *report, lms_package_info *out, lms_err *err)
{
	const lms_mf_resource *res;
	lms_manifest_limits ll;
	lms_manifest *m = NULL;
	char *xml = NULL;
	size_t len = 0;
	long idx;
	int rc = LMS_OK;

	memset(out, 0, sizeof(*out));
	idx = lms_pkgzip_find(z, "imsmanifest.xml");
	if (idx < 0 && (idx = lms_pkgzip_find_nocase(z, "imsmanifest.xml")) >= 0)
		lms_report_add(report, LMS_SEV_WARNING, "manifest_name_case",
		               lms_pkgzip_name(z, (size_t)idx), 0,
		               "the manifest should be named imsmanifest.xml, in lower case");
	if (idx < 0) {
		lms_report_add(report, LMS_SEV_ERROR, "manifest_missing", "", 0,
		               "there is no imsmanifest.xml at the root of the package: is this a "
		               "SCORM package, zipped from inside its folder?");
		goto done;
	}
	out->manifest_file = lms_pkgzip_name(z, (size_t)idx);
	if ((rc = lms_pkgzip_read(z, (size_t)idx, MANIFEST_MAX, &xml, &len, err)) < 0) {
		lms_report_add(report, LMS_SEV_ERROR, err->code, out->manifest_file, 0, "%s", err->msg);
		goto done;
	}
	(void)lms_manifest_parse(xml, len, out->manifest_file, &o->manifest_limits, a, report, &m,
	                         err);
	free(xml);
	xml = NULL;
	if (!m)
		goto done;
	out->manifest = m;
	lms_manifest_check_files(m, out->manifest_file, zip_has, z, report);
	out->kind = m->version == LMS_SCORM_12 ? "scorm12" : m->version == LMS_SCORM_2004 ? "scorm2004"
	                                                                                : "ims";
	if (!(res = lesson_resource(m)))
		goto done;
	/* A native PAR lesson: the manifest only points at lesson.xml. */
	out->kind = "native";
	out->lesson_file = res->href;
	if (!o->lesson_schema) {
		lms_report_add(report, LMS_SEV_ERROR, "lesson_unsupported", out->manifest_file, res->line,
		               "this is a PAR lesson, which this command cannot check");
		goto done;
	}
	if (!res->href || (idx = lms_pkgzip_find(z, res->href)) < 0) {
		/* launch_file_missing has been reported by the manifest check */
		goto done;
	}
	lms_lesson_limits_default(&ll);
	if ((rc = lms_pkgzip_read(z, (size_t)idx, ll.max_bytes, &xml, &len, err)) < 0) {
		lms_report_add(report, LMS_SEV_ERROR, "lesson_too_big", res->href, 0, "%s", err->msg);
		goto done;
	}
	(void)lms_lesson_parse_with(xml, len, res->href, o->lesson_schema, &ll, a, report,
	                            &out->lesson, err);
	if (out->lesson)
		lms_lesson_check_files(out->lesson, res->href, zip_has, z, report);
done:
	free(xml);
	if (report->errors || !m || !m->default_org)
		return lms_err_set(err, LMS_EINVAL, "package_invalid", NULL, "the package has errors");
	return LMS_OK;
}

int lms_package_import(lms_store *s, const char *zip_path, const lms_import_opts *o,
                       lms_arena *a, lms_report *report, lms_course_version *out,
                       lms_err *err)
{
	char tmpdir[PATH_MAX], vdir[PATH_MAX], dir[PATH_MAX], key[32];
	lms_course_file_in *files = NULL;
	lms_course_item_in *items = NULL;
	lms_version_in in;
	lms_package_info info;
	lms_manifest *m = NULL;
	lms_pkgzip *z = NULL;
	uint64_t total = 0;
	size_t nfiles = 0, nitems = 0;
	bool unpacked = false, placed = false;
	int rc;

	memset(&in, 0, sizeof(in));
	/* 1. Check everything before writing anything. */
	if ((rc = lms_pkgzip_open(zip_path, &o->zip_limits, report, &z, err)) < 0)
		goto cleanup;
	if ((rc = lms_package_check(z, o, a, report, &info, err)) < 0)
		goto cleanup;
	m = info.manifest;
	if (info.lesson) {
		const lms_lesson *l = info.lesson;
		static const char *const audiences[] = { "all", "leader", "staff" };
		in.meta.par_area = l->par_area;
		in.meta.audience = (unsigned)l->audience < 3 ? audiences[l->audience] : NULL;
		in.meta.language = l->language;
		in.meta.training_periods = l->training_periods;
		in.meta.duration_s = l->duration_s;
		in.meta.minimum_time_s = l->minimum_time_s;
	}
	in.course_code = o->course_code ? o->course_code
	                 : code_from(a, info.lesson ? info.lesson->identifier : m->identifier);
	if (!in.course_code) {
		lms_report_add(report, LMS_SEV_ERROR, "course_code_missing", "", 0,
		               "the manifest has no usable identifier; give the course code");
		rc = lms_err_set(err, LMS_EINVAL, "package_invalid", NULL, "no course code");
		goto cleanup;
	}

	/* 2. Unpack under a random key, store the files by content. */
	if ((rc = lms_random_token(18, key, sizeof(key))) < 0) {
		lms_err_set(err, rc, NULL, NULL, "no random bytes");
		goto cleanup;
	}
	snprintf(dir, sizeof(dir), "%s/tmp", o->content_dir);
	if ((rc = ensure_dir(o->content_dir, err)) < 0 || (rc = ensure_dir(dir, err)) < 0)
		goto cleanup;
	snprintf(dir, sizeof(dir), "%s/v", o->content_dir);
	if ((rc = ensure_dir(dir, err)) < 0)
		goto cleanup;
	snprintf(tmpdir, sizeof(tmpdir), "%s/tmp/%s", o->content_dir, key);
	snprintf(vdir, sizeof(vdir), "%s/v/%s", o->content_dir, key);
	if ((rc = lms_pkgzip_extract(z, tmpdir, err)) < 0) {
		lms_report_add(report, LMS_SEV_ERROR, err->code, err->field, 0, "%s", err->msg);
		goto cleanup;
	}
	unpacked = true;
	if ((rc = lms_content_ingest(o->content_dir, tmpdir, a, &files, &nfiles, &total, err)) < 0)
		goto cleanup;
	if (rename(tmpdir, vdir) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, "content_store", NULL, "cannot move %s: %s", tmpdir,
		                 strerror(errno));
		goto cleanup;
	}
	unpacked = false;
	placed = true;

	/* 3. Record it. */
	nitems = count_items(m->default_org->items, m->default_org->n_items);
	items = lms_arena_alloc(a, (nitems + 1) * sizeof(*items));
	nitems = 0;
	flatten(m->default_org->items, m->default_org->n_items, -1, items, &nitems);
	if ((rc = lms_content_sha256_file(zip_path, in.package_sha256, NULL, err)) < 0)
		goto cleanup;
	in.course_title = info.lesson && info.lesson->title ? info.lesson->title
	                  : m->title && *m->title                 ? m->title
	                                                          : in.course_code;
	in.kind = info.kind;
	in.edition = m->edition;
	in.title = in.course_title;
	in.storage_key = key;
	in.org_sequencing_xml = m->default_org->sequencing_xml;
	in.sequencing_collection_xml = m->sequencing_collection_xml;
	in.imported_by = o->imported_by;
	in.warnings = (int)report->warnings;
	in.items = items;
	in.n_items = nitems;
	in.files = files;
	in.n_files = nfiles;
	in.total_bytes = total;
	if ((rc = s->ops->version_save(s, &in, a, out, err)) < 0)
		goto cleanup;
	out->launch_href = launch_href(a, items, nitems);
	placed = false;
	LMS_INFO("imported %s as course %s version %d (%zu files, %llu bytes)", zip_path,
	         out->course_code, out->version_no, nfiles, (unsigned long long)total);
	rc = LMS_OK;
cleanup:
	if (unpacked)
		lms_content_remove_tree(tmpdir);
	if (placed)
		lms_content_remove_tree(vdir);
	lms_pkgzip_close(z);
	return rc;
}
