/* h_courses.c — courses and versions for trainers and admins: the list, and a signed link to
 * preview a version's launch page on the content origin. (Learners reach content through
 * their enrolments, in the player.) */
#include "http.h"

#include "lms/content_url.h"
#include "lms/course.h"
#include "lms/validate.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLE(k) (1u << (k))
#define PREVIEW_TTL_S 3600

static int trainer_or_admin(srv_req *r)
{
	lms_scope scope;

	return lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_TRAINER), r->arena,
	                      &scope, &r->err);
}

cJSON *srv_json_version(const lms_course_version *v)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "course_code", v->course_code);
	cJSON_AddStringToObject(o, "course_title", v->course_title);
	cJSON_AddNumberToObject(o, "version", v->version_no);
	cJSON_AddStringToObject(o, "kind", v->kind);
	cJSON_AddStringToObject(o, "title", v->title);
	cJSON_AddNumberToObject(o, "files", v->file_count);
	cJSON_AddNumberToObject(o, "bytes", (double)v->total_bytes);
	cJSON_AddNumberToObject(o, "warnings", v->warnings);
	cJSON_AddStringToObject(o, "imported_at", v->imported_at ? v->imported_at : "");
	cJSON_AddStringToObject(o, "imported_by", v->imported_by ? v->imported_by : "");
	if (v->launch_href)
		cJSON_AddStringToObject(o, "launch_href", v->launch_href);
	else
		cJSON_AddNullToObject(o, "launch_href");
	return o;
}

int h_courses_list(srv_req *r)
{
	lms_course_version *list;
	size_t n, i;
	cJSON *o, *arr;

	if (trainer_or_admin(r) < 0 ||
	    r->store->ops->version_list(r->store, NULL, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "versions");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, srv_json_version(&list[i]));
	return srv_reply_json(r, 200, o, NULL);
}

/* GET /api/courses/preview?course=CODE&version=N → {"url": ..., "expires_at": ...} */
int h_course_preview(srv_req *r)
{
	const char *qs = r->ri->query_string;
	char code[40], vbuf[16], token[LMS_CONTENT_TOKEN_MAX], url[1024];
	lms_course_version *list, *v = NULL;
	long want = 0;
	size_t n, i;
	int64_t expires = (int64_t)time(NULL) + PREVIEW_TTL_S;
	cJSON *o;

	if (trainer_or_admin(r) < 0)
		return srv_reply_error(r);
	if (!qs || mg_get_var(qs, strlen(qs), "course", code, sizeof(code)) <= 0 ||
	    lms_check_code("course", code, &r->err) < 0) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "course", "course: give a course code");
		return srv_reply_error(r);
	}
	if (mg_get_var(qs, strlen(qs), "version", vbuf, sizeof(vbuf)) > 0) {
		char *end;
		want = strtol(vbuf, &end, 10);
		if (*end || want < 1 || want > 100000) {
			lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "version",
			            "version: must be a whole number from 1");
			return srv_reply_error(r);
		}
	}
	if (r->store->ops->version_list(r->store, code, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	for (i = 0; i < n && !v; i++)
		if (!want || list[i].version_no == want)
			v = &list[i]; /* newest first: without version=, the latest */
	if (!v)
		return srv_reply_problem(r, 404, "not_found", "no such course or version", "course", NULL);
	if (lms_content_token_make(r->app->content_secret, v->storage_key, expires, token,
	                           sizeof(token)) < 0)
		return srv_reply_problem(r, 500, "internal", "cannot sign the link", NULL, NULL);
	snprintf(url, sizeof(url), "%s/c/%s/", r->app->content_url, token);
	o = srv_json_version(v);
	cJSON_AddStringToObject(o, "content_base", url);
	cJSON_AddNumberToObject(o, "expires_at", (double)expires);
	return srv_reply_json(r, 200, o, NULL);
}
