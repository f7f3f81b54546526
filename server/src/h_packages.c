/* h_packages.c — POST /api/packages[?course=CODE]: a trainer uploads a course package.
 *
 * The body is the zip itself (Content-Type application/zip), streamed to a file under
 * DATA/content/uploads in 64 KiB chunks — never held in memory — up to --max-upload bytes;
 * then imported exactly as `parlearn package import` does (package_import.c): checked first,
 * nothing stored when it has errors. The answer carries the same report the CLI prints:
 * 201 with the new version and its warnings, or 422 package_invalid with every problem.
 */
#include "http.h"
#include "lesson_schema.h"

#include "lms/auth.h"
#include "lms/course.h"
#include "lms/log.h"
#include "lms/validate.h"

#include <civetweb.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROLE(k) (1u << (k))
#define CHUNK (64u * 1024u)

static cJSON *problems_json(const lms_report *rep)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < rep->n; i++) {
		const lms_problem *p = &rep->items[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "severity", p->severity == LMS_SEV_ERROR ? "error" : "warning");
		cJSON_AddStringToObject(j, "code", p->code);
		cJSON_AddStringToObject(j, "file", p->file);
		cJSON_AddNumberToObject(j, "line", p->line);
		cJSON_AddStringToObject(j, "message", p->message);
		cJSON_AddItemToArray(arr, j);
	}
	return arr;
}

static bool zip_type(const char *ctype)
{
	static const char *const ok[] = { "application/zip", "application/x-zip-compressed",
		                          "application/octet-stream", NULL };
	size_t i, n;

	if (!ctype)
		return false;
	for (i = 0; ok[i]; i++) {
		n = strlen(ok[i]);
		if (strncasecmp(ctype, ok[i], n) == 0 && (ctype[n] == '\0' || ctype[n] == ';'))
			return true;
	}
	return false;
}

/* Streams the body into path; 0, or an HTTP status already answered. */
static int receive(srv_req *r, const char *path, long long *size)
{
	long long declared = r->ri->content_length, total = 0;
	char *buf = lms_arena_alloc(r->arena, CHUNK);
	int fd, got;

	if (declared > r->app->max_upload)
		goto too_big;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		LMS_ERROR("upload: cannot create %s: %s", path, strerror(errno));
		return srv_reply_problem(r, 500, "internal", "the upload could not be stored", NULL, NULL);
	}
	while ((got = mg_read(r->conn, buf, CHUNK)) > 0) {
		const char *p = buf;
		total += got;
		if (total > r->app->max_upload) {
			close(fd);
			unlink(path);
			goto too_big;
		}
		while (got > 0) {
			ssize_t w = write(fd, p, (size_t)got);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				close(fd);
				unlink(path);
				return srv_reply_problem(r, 507, "internal", "the server has no room for the upload",
				                         NULL, NULL);
			}
			p += w;
			got -= (int)w;
		}
	}
	close(fd);
	if (declared >= 0 && total != declared) {
		unlink(path);
		return srv_reply_problem(r, 400, "bad_request", "the upload was cut short; send it again",
		                         NULL, NULL);
	}
	*size = total;
	return 0;
too_big: {
	char detail[128];
	cJSON *problem;
	if (r->app->max_upload >= 1024 * 1024)
		snprintf(detail, sizeof(detail), "a package may be at most %lld MiB",
		         r->app->max_upload / (1024 * 1024));
	else
		snprintf(detail, sizeof(detail), "a package may be at most %lld KiB",
		         r->app->max_upload / 1024);
	problem = srv_problem_new(r, 413, "body_too_large", detail, NULL);
	cJSON_AddNumberToObject(problem, "max_bytes", (double)r->app->max_upload);
	return srv_reply_problem_json(r, 413, problem, "Connection: close\r\n");
}
}

int h_packages_upload(srv_req *r)
{
	const char *qs = r->ri->query_string;
	char course[40] = "", dir[PATH_MAX + 32], path[PATH_MAX + 96], key[32];
	lms_course_version v;
	lms_import_opts o;
	lms_report rep;
	lms_scope scope;
	long long size = 0;
	cJSON *body;
	int status, rc;

	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_TRAINER), r->arena,
	                   &scope, &r->err) < 0)
		return srv_reply_error(r);
	if (qs && (rc = mg_get_var(qs, strlen(qs), "course", course, sizeof(course))) != -1) {
		if (rc < 0 || lms_check_code("course", course, &r->err) < 0) {
			lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "course",
			            "course: must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
			return srv_reply_error(r);
		}
	}
	if (!zip_type(mg_get_header(r->conn, "Content-Type")))
		return srv_reply_problem(r, 415, "unsupported_media_type",
		                         "send the package itself as the body, with Content-Type: "
		                         "application/zip",
		                         NULL, NULL);
	snprintf(dir, sizeof(dir), "%s/uploads", r->app->content_dir);
	if ((mkdir(r->app->content_dir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0700) < 0 && errno != EEXIST) || lms_random_token(18, key, sizeof(key)) < 0)
		return srv_reply_problem(r, 500, "internal", "the upload could not be stored", NULL, NULL);
	snprintf(path, sizeof(path), "%s/%s.zip", dir, key);
	if ((status = receive(r, path, &size)) != 0)
		return status;

	lms_import_opts_default(&o, r->app->content_dir);
	o.course_code = course[0] ? course : NULL;
	o.imported_by = r->who.user.username;
	o.lesson_schema = srv_lesson_schema();
	lms_report_init(&rep, r->arena);
	rc = lms_package_import(r->store, path, &o, r->arena, &rep, &v, &r->err);
	unlink(path);
	if (rc == LMS_OK) {
		cJSON *report;
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "version", srv_json_version(&v));
		report = cJSON_AddObjectToObject(body, "report");
		cJSON_AddNumberToObject(report, "errors", (double)rep.errors);
		cJSON_AddNumberToObject(report, "warnings", (double)rep.warnings);
		cJSON_AddItemToObject(report, "problems", problems_json(&rep));
		LMS_INFO("request %s: %s imported %s version %d (%lld bytes uploaded)", r->id,
		         r->who.user.username, v.course_code, v.version_no, size);
		return srv_reply_json(r, 201, body, NULL);
	}
	if (rc == LMS_EINVAL || rc == LMS_ETOOBIG || rc == LMS_EUNSUPPORTED) {
		body = srv_problem_new(r, 422, "package_invalid",
		                       rep.errors ? "the package has errors; nothing was stored"
		                                  : r->err.msg,
		                       NULL);
		cJSON_AddNumberToObject(body, "errors", (double)rep.errors);
		cJSON_AddNumberToObject(body, "warnings", (double)rep.warnings);
		cJSON_AddItemToObject(body, "problems", problems_json(&rep));
		return srv_reply_problem_json(r, 422, body, NULL);
	}
	return srv_reply_error(r);
}
