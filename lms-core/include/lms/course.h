/* course.h — courses and their package versions as the store keeps them, and importing a
 * package as a new version (package_import.c, content_store.c).
 *
 * A course has a stable code and versions 1, 2, ...; a version's files are unpacked once
 * under CONTENT/v/<storage_key>/ as hard links to content-addressed blobs under
 * CONTENT/blobs/ (the same file in two versions or two courses is stored once). Versions are
 * immutable: a new import never changes an earlier one.
 */
#ifndef LMS_COURSE_H
#define LMS_COURSE_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/lesson.h"
#include "lms/manifest.h"
#include "lms/package_zip.h"
#include "lms/report.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct lms_course_item_in {
	int ord, parent_ord;          /* document order; parent_ord -1 at the top */
	const lms_mf_item *item;      /* borrowed from the parsed manifest */
} lms_course_item_in;

typedef struct lms_course_file_in {
	const char *path;
	char sha256[65];
	uint64_t size;
} lms_course_file_in;

/* What a PAR lesson says of itself (native packages), stored with the version. */
typedef struct lms_version_meta {
	const char *par_area;          /* e.g. "civil-service", or NULL */
	const char *audience;          /* "leader", "staff", "all", or NULL */
	const char *language;          /* e.g. "vi", or NULL */
	int training_periods;          /* tiết, 0 when unknown */
	int64_t duration_s, minimum_time_s;
} lms_version_meta;

typedef struct lms_version_in {
	const char *course_code, *course_title;
	const char *kind;              /* "scorm12", "scorm2004", "native", "ims" */
	lms_version_meta meta;
	int edition;
	const char *title;
	char package_sha256[65];
	const char *storage_key;
	const char *org_sequencing_xml;        /* SCORM 2004: the organisation's, or NULL */
	const char *sequencing_collection_xml; /* imsss:sequencingCollection, or NULL */
	const char *imported_by;
	int warnings;
	const lms_course_item_in *items;
	size_t n_items;
	const lms_course_file_in *files;
	size_t n_files;
	uint64_t total_bytes;
} lms_version_in;

typedef struct lms_course_version {
	int64_t id;
	const char *course_code, *course_title;
	int version_no;
	const char *kind;
	int edition;
	const char *title;
	const char *storage_key;
	int file_count;
	int64_t total_bytes;
	int warnings;
	const char *imported_by;
	const char *imported_at;       /* ISO 8601, UTC */
	const char *launch_href;       /* the first launchable item's href + parameters, or NULL */
} lms_course_version;

typedef struct lms_import_opts {
	const char *content_dir;       /* DATA/content */
	const lms_lesson_schema *lesson_schema; /* compiled PAR lesson XSD; NULL refuses native
	                                           lessons with a clear error */
	const char *course_code;       /* NULL: from the manifest's identifier */
	const char *imported_by;       /* a username, or "cli" */
	lms_pkgzip_limits zip_limits;
	lms_manifest_limits manifest_limits;
} lms_import_opts;

void lms_import_opts_default(lms_import_opts *o, const char *content_dir);

/* What checking a package found. */
typedef struct lms_package_info {
	const char *kind;              /* "scorm12", "scorm2004", "native", "ims" */
	const char *manifest_file;     /* its name in the zip */
	lms_manifest *manifest;        /* NULL when unreadable */
	lms_lesson *lesson;            /* native packages: the lesson, else NULL */
	const char *lesson_file;       /* its path in the package */
} lms_package_info;

/* The resource type that marks a native PAR lesson (docs/par-lesson-format.md). */
#define LMS_LESSON_RESOURCE_TYPE "application/x-parlearn-lesson+xml"

/* Checks an open package without writing anything: the manifest (parsed and checked against
 * the package's files) and, when its resource is a PAR lesson, the lesson (schema, rules,
 * media files). Every problem goes into report. 0 when usable, LMS_EINVAL
 * "package_invalid" when report has errors. */
int lms_package_check(lms_pkgzip *z, const lms_import_opts *o, lms_arena *a,
                      lms_report *report, lms_package_info *out, lms_err *err);

/* Imports the package at zip_path as the next version of its course: checks it (every
 * problem into report), unpacks it, stores its files once by content, and records the
 * version, its item tree and files in one transaction. A package with errors, or any
 * failure, leaves no folder and no row (blobs already stored may stay: they are only
 * content, named by their hash). *out gets the new version. */
int lms_package_import(lms_store *s, const char *zip_path, const lms_import_opts *o,
                       lms_arena *a, lms_report *report, lms_course_version *out,
                       lms_err *err);

/* Content store (content_store.c). */

/* SHA-256 of a file, as 64 hex digits. */
int lms_content_sha256_file(const char *path, char out[65], uint64_t *size, lms_err *err);

/* Replaces every file under dir by a hard link to its blob in content_dir/blobs (storing the
 * blob first when new) and lists them (paths relative to dir, sorted). */
int lms_content_ingest(const char *content_dir, const char *dir, lms_arena *a,
                       lms_course_file_in **files, size_t *n, uint64_t *total, lms_err *err);

/* Removes a folder tree without following links. */
void lms_content_remove_tree(const char *dir);

#endif
