/* h_questions.c — the question bank on the web (docs/question-bank.md, docs/api.md):
 *
 *   POST /api/questions/import?format=&category=&dry_run=&name=   the file itself as the body
 *        (text/plain, application/xml, text/xml or application/octet-stream; at most 50 MiB):
 *        200 with the report (applied, dry_run, already_imported), or 422 questions_rejected
 *        with the report; the same call as `parlearn questions import`
 *   GET  /api/questions/export?format=&category=   a download (Content-Disposition)
 *   GET  /api/questions?category=&tag=&type=&difficulty=&q=&limit=&offset=   the list
 *   GET  /api/question?id=          a question, its current version and its history
 *   POST /api/question/edit?id=&version=   the question's JSON as the body: a new version
 *   GET  /api/categories            the category tree
 *   GET  /api/questions/file?version=&name=   a file (image) of a version, by its reference
 *
 * Who: question banks are city-wide shared content, so every trainer and every admin may
 * read, import and edit them, whatever their unit; HR officers and learners get 403 (a
 * learner must never read keys). The session and, on POST, the CSRF token are checked by
 * the dispatcher (R_AUTH). Every query value and body is capped; JSON of a stored version is
 * embedded as PostgreSQL gave it (it came from lms_question_to_json).
 */
#include "http.h"
#include "json_out.h"
#include "qfile_reply.h"

#include "lms/log.h"
#include "lms/qbank.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define EDIT_MAX_BODY ((size_t)8 << 20)
#define LIST_DEFAULT 50

/* Trainers and admins; 403 otherwise (answered: return its status). */
static int may_use_bank(srv_req *r)
{
	if (lms_user_has_role(&r->who.user, LMS_ROLE_TRAINER) ||
	    lms_user_has_role(&r->who.user, LMS_ROLE_ADMIN))
		return 0;
	return srv_reply_problem(r, 403, "forbidden",
	                         "question banks are for trainers and administrators", NULL, NULL);
}

/* A query parameter into buf: 0 absent, 1 present, LMS_EINVAL (r->err) when too long. */
static int query_var(srv_req *r, const char *name, char *buf, size_t size)
{
	const char *qs = r->ri->query_string;
	int got;

	buf[0] = '\0';
	if (!qs || (got = mg_get_var(qs, strlen(qs), name, buf, size)) == -1)
		return 0;
	if (got < 0)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: too long", name);
	return 1;
}

/* An integer parameter in [lo, hi], def when absent. */
static int query_int(srv_req *r, const char *name, long long lo, long long hi, long long def,
                     long long *out)
{
	char buf[24], *end;
	int rc;

	*out = def;
	if ((rc = query_var(r, name, buf, sizeof(buf))) <= 0)
		return rc;
	*out = strtoll(buf, &end, 10);
	if (!buf[0] || *end || *out < lo || *out > hi)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a whole number from %lld to %lld", name, lo, hi);
	return 0;
}

static int query_category(srv_req *r, const char **out)
{
	char buf[LMS_Q_MAX_CATEGORY + 2];
	int rc;

	if ((rc = query_var(r, "category", buf, sizeof(buf))) < 0)
		return rc;
	return lms_qbank_category_clean(r->arena, buf, out, &r->err);
}

static int query_format(srv_req *r, const char *ctype, lms_qbank_format *out)
{
	char buf[16];
	int rc;

	if ((rc = query_var(r, "format", buf, sizeof(buf))) < 0)
		return rc;
	*out = lms_qbank_format_parse(buf);
	if (!rc && ctype && (strncasecmp(ctype, "application/xml", 15) == 0 ||
	                     strncasecmp(ctype, "text/xml", 8) == 0))
		*out = LMS_QBANK_MOODLEXML;
	if (!*out)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "format",
		                   "format: must be gift or moodlexml");
	return 0;
}

static const char *difficulty_name(lms_qdifficulty d)
{
	static const char *const names[] = { "none", "easy", "medium", "hard" };

	return (unsigned)d <= LMS_QD_HARD ? names[d] : "none";
}

static bool body_type_ok(const char *ctype)
{
	static const char *const ok[] = { "text/plain", "application/xml", "text/xml",
		                          "application/octet-stream", NULL };
	size_t i, n;

	for (i = 0; ctype && ok[i]; i++) {
		n = strlen(ok[i]);
		if (strncasecmp(ctype, ok[i], n) == 0 &&
		    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' '))
			return true;
	}
	return false;
}

/* ---- POST /api/questions/import ------------------------------------------------------ */

int h_questions_import(srv_req *r)
{
	const char *ctype = mg_get_header(r->conn, "Content-Type");
	lms_qbank_import_opts o;
	lms_qbank_import_result res;
	char name[256], flag[8];
	const char *json;
	size_t len = 0;
	char *body;
	cJSON *p;
	int rc;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	memset(&o, 0, sizeof(o));
	if (query_format(r, ctype, &o.format) < 0 || query_category(r, &o.category) < 0 ||
	    query_var(r, "name", name, sizeof(name)) < 0 ||
	    query_var(r, "dry_run", flag, sizeof(flag)) < 0)
		return srv_reply_error(r);
	if (!body_type_ok(ctype))
		return srv_reply_problem(r, 415, "unsupported_media_type",
		                         "send the question file itself as the body, with Content-Type "
		                         "text/plain (GIFT) or application/xml (Moodle XML)", NULL, NULL);
	if ((rc = srv_read_raw(r, LMS_Q_XML_MAX_BYTES, &body, &len)) != 0)
		return rc;
	o.file_name = name[0] ? name : "upload";
	o.actor = r->who.user.username;
	o.dry_run = strcmp(flag, "1") == 0 || strcmp(flag, "true") == 0;
	if (lms_qbank_import(r->store, body, len, &o, r->arena, &res, &r->err) < 0)
		return srv_reply_error(r);
	json = lms_qbank_import_json(&res, r->arena);
	LMS_INFO("request %s: %s imported questions (%s): %s, %zu questions, %zu errors", r->id,
	         r->who.user.username, res.format, lms_qbank_outcome_name(res.outcome), res.questions,
	         res.report.errors);
	if (res.outcome != LMS_QBANK_REJECTED)
		return srv_reply_json(r, 200, cJSON_CreateRaw(json), NULL);
	p = srv_problem_new(r, 422, "questions_rejected",
	                    "the file has problems; no question was imported (see report.problems)",
	                    NULL);
	cJSON_AddItemToObject(p, "report", cJSON_CreateRaw(json));
	return srv_reply_problem_json(r, 422, p, NULL);
}

/* ---- GET /api/questions/export ------------------------------------------------------- */

int h_questions_export(srv_req *r)
{
	lms_qbank_export_result res;
	lms_qbank_format f;
	const char *category;
	char headers[256];
	int rc;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	if (query_format(r, NULL, &f) < 0 || query_category(r, &category) < 0 ||
	    lms_qbank_export(r->store, f, category, r->arena, &res, &r->err) < 0)
		return srv_reply_error(r);
	/* what the format could not hold: counted here; the CLI lists it (docs/question-bank.md) */
	snprintf(headers, sizeof(headers),
	         "Content-Disposition: attachment; filename=\"questions.%s\"\r\n"
	         "X-Questions-Total: %zu\r\nX-Questions-Written: %zu\r\nX-Questions-Warnings: %zu\r\n",
	         f == LMS_QBANK_GIFT ? "gift" : "xml", res.questions, res.written, res.report.warnings);
	return srv_reply_bytes(r, 200,
	                       f == LMS_QBANK_GIFT ? "text/plain; charset=utf-8"
	                                           : "application/xml; charset=utf-8",
	                       res.text, res.len, headers);
}

/* ---- GET /api/questions -------------------------------------------------------------- */

static cJSON *row_json(const lms_qbank_row *q)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", (double)q->id);
	cJSON_AddStringToObject(o, "category", q->category);
	cJSON_AddStringToObject(o, "type", lms_qtype_name(q->type));
	cJSON_AddStringToObject(o, "name", q->name);
	cJSON_AddNumberToObject(o, "version", q->current_version);
	cJSON_AddNumberToObject(o, "version_id", (double)q->current_version_id);
	cJSON_AddStringToObject(o, "difficulty", difficulty_name(q->difficulty));
	cJSON_AddStringToObject(o, "tags", q->tags ? q->tags : "");
	cJSON_AddStringToObject(o, "created_by", q->created_by ? q->created_by : "");
	srv_json_time(o, "created_at", q->created_us);
	srv_json_time(o, "updated_at", q->updated_us);
	cJSON_AddBoolToObject(o, "retired", q->retired);
	return o;
}

int h_questions_list(srv_req *r)
{
	static const char *const diffs[] = { "none", "easy", "medium", "hard" };
	char tag[LMS_Q_MAX_TAG + 2], type[16], diff[16], q[204];
	long long limit, offset;
	lms_qbank_filter f;
	lms_qbank_row *rows;
	int64_t total = 0;
	size_t n, i;
	cJSON *o, *arr;
	int rc, t;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	f.difficulty = -1;
	if (query_category(r, &f.category) < 0 || query_var(r, "tag", tag, sizeof(tag)) < 0 ||
	    query_var(r, "type", type, sizeof(type)) < 0 ||
	    query_var(r, "difficulty", diff, sizeof(diff)) < 0 || query_var(r, "q", q, sizeof(q)) < 0 ||
	    query_int(r, "limit", 1, LMS_QBANK_MAX_LIST, LIST_DEFAULT, &limit) < 0 ||
	    query_int(r, "offset", 0, 10000000, 0, &offset) < 0)
		return srv_reply_error(r);
	if (strlen(q) > 200) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "q", "q: at most 200 bytes");
		return srv_reply_error(r);
	}
	for (t = LMS_Q_SINGLE; type[0] && t <= LMS_Q_DESCRIPTION; t++)
		if (strcmp(type, lms_qtype_name((lms_qtype)t)) == 0)
			f.type = (lms_qtype)t;
	if (type[0] && !f.type) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "type",
		            "type: single, multi, truefalse, short, numerical, matching, ordering, "
		            "essay or description");
		return srv_reply_error(r);
	}
	for (t = 0; diff[0] && t < 4; t++)
		if (strcmp(diff, diffs[t]) == 0)
			f.difficulty = t;
	if (diff[0] && f.difficulty < 0) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "difficulty",
		            "difficulty: none, easy, medium or hard");
		return srv_reply_error(r);
	}
	f.tag = tag;
	f.q = q;
	f.limit = (int)limit;
	f.offset = (int)offset;
	if (r->store->ops->qbank->list(r->store, &f, r->arena, &rows, &n, &total, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "total", (double)total);
	cJSON_AddNumberToObject(o, "limit", (double)limit);
	cJSON_AddNumberToObject(o, "offset", (double)offset);
	arr = cJSON_AddArrayToObject(o, "questions");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, row_json(&rows[i]));
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- GET /api/question --------------------------------------------------------------- */

int h_question_get(srv_req *r)
{
	lms_qbank_version *vs;
	lms_qbank_row row;
	long long id;
	size_t n, i;
	cJSON *o, *arr;
	int rc;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	if (query_int(r, "id", 1, INT64_MAX, 0, &id) < 0)
		return srv_reply_error(r);
	if (!id) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "id", "id: is required");
		return srv_reply_error(r);
	}
	if (r->store->ops->qbank->get(r->store, id, r->arena, &row, &vs, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "question", row_json(&row));
	arr = cJSON_AddArrayToObject(o, "versions");
	for (i = 0; i < n; i++) {
		cJSON *v = cJSON_CreateObject();
		cJSON_AddNumberToObject(v, "id", (double)vs[i].id);
		cJSON_AddNumberToObject(v, "version", vs[i].version_no);
		cJSON_AddStringToObject(v, "difficulty", difficulty_name(vs[i].difficulty));
		cJSON_AddStringToObject(v, "created_by", vs[i].created_by ? vs[i].created_by : "");
		srv_json_time(v, "created_at", vs[i].created_us);
		cJSON_AddStringToObject(v, "sha256", vs[i].body_sha256 ? vs[i].body_sha256 : "");
		cJSON_AddItemToObject(v, "body", cJSON_CreateRaw(vs[i].body ? vs[i].body : "null"));
		cJSON_AddItemToArray(arr, v);
	}
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- POST /api/question/edit --------------------------------------------------------- */

int h_question_edit(srv_req *r)
{
	const char *ctype = mg_get_header(r->conn, "Content-Type");
	lms_qbank_edit_result res;
	long long id, version;
	size_t len = 0;
	char *body;
	cJSON *o;
	int rc;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	if (query_int(r, "id", 1, INT64_MAX, 0, &id) < 0 ||
	    query_int(r, "version", 0, 1000000000, 0, &version) < 0)
		return srv_reply_error(r);
	if (!id) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "id", "id: is required");
		return srv_reply_error(r);
	}
	if (!ctype || strncasecmp(ctype, "application/json", 16) != 0 ||
	    (ctype[16] != '\0' && ctype[16] != ';' && ctype[16] != ' '))
		return srv_reply_problem(r, 415, "unsupported_media_type",
		                         "send the question as JSON with Content-Type: application/json",
		                         NULL, NULL);
	if ((rc = srv_read_raw(r, EDIT_MAX_BODY, &body, &len)) != 0)
		return rc;
	if (lms_qbank_edit(r->store, id, (int)version, body, len, r->who.user.username, r->arena,
	                   &res, &r->err) < 0)
		return srv_reply_error(r);
	if (!res.unchanged)
		LMS_INFO("request %s: %s edited question %lld: version %d", r->id, r->who.user.username,
		         id, res.version_no);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)id);
	cJSON_AddNumberToObject(o, "version", res.version_no);
	cJSON_AddNumberToObject(o, "version_id", (double)res.version_id);
	cJSON_AddBoolToObject(o, "unchanged", res.unchanged);
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- GET /api/categories ------------------------------------------------------------- */

int h_categories_list(srv_req *r)
{
	lms_qbank_category *cs;
	size_t n, i;
	cJSON *o, *arr;
	int rc;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	if (r->store->ops->qbank->categories(r->store, r->arena, &cs, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "categories");
	for (i = 0; i < n; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddNumberToObject(c, "id", (double)cs[i].id);
		if (cs[i].parent_id)
			cJSON_AddNumberToObject(c, "parent_id", (double)cs[i].parent_id);
		else
			cJSON_AddNullToObject(c, "parent_id");
		cJSON_AddStringToObject(c, "path", cs[i].path);
		cJSON_AddStringToObject(c, "name", cs[i].name);
		cJSON_AddNumberToObject(c, "questions", (double)cs[i].questions);
		cJSON_AddItemToArray(arr, c);
	}
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- GET /api/questions/file?version=&name= ------------------------------------------ */

/* A file (an image) of a question version, for the bank's users: name is the text's
 * reference after "@@PLUGINFILE@@/", URL-decoded. Versions never change: the browser may
 * keep it a day (private). */
int h_question_file(srv_req *r)
{
	char name[LMS_QFILE_MAX_REF + 2];
	long long version;
	lms_qfile_row f;
	int rc;

	if ((rc = may_use_bank(r)) != 0)
		return rc;
	if (query_int(r, "version", 1, INT64_C(1) << 53, 0, &version) < 0)
		return srv_reply_error(r);
	if (!version) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "version", "version: give a number");
		return srv_reply_error(r);
	}
	if (query_var(r, "name", name, sizeof(name)) < 0 ||
	    lms_qbank_file(r->store, version, name, r->arena, &f, &r->err) < 0)
		return srv_reply_error(r);
	return srv_reply_qfile(r, &f, 86400);
}
