/* h_survey.c — surveys on the web (docs/surveys.md):
 *
 *   trainers, HR officers, admins
 *   GET  /api/surveys                         the surveys the caller may see
 *   GET  /api/surveys/detail?code=            one survey's definition
 *   POST /api/surveys                         create a draft (trainer, admin)
 *   POST /api/surveys/update                  {code, rev, ...definition}
 *   POST /api/surveys/publish, /close         {code}: draft → open → closed
 *   POST /api/surveys/copy                    {from, code, title?}: a new draft
 *   GET  /api/surveys/results?code=&unit=     counts, Likert statistics, response rate, by
 *                                             unit (children of unit) and by course
 *   GET  /api/surveys/texts?code=&question=&unit=&limit=&offset=   free-text answers
 *   GET  /api/surveys/results.csv?code=&unit= the results as CSV (UTF-8 with BOM)
 *   learners
 *   GET  /api/my/surveys[?course=]            the surveys asked of me, answered or not
 *   GET  /api/my/survey?code=                 one of them, to answer
 *   POST /api/my/survey/respond               {survey, answers, course?}
 *
 * Who: a trainer manages (edits, publishes, closes, reads every response of) the surveys
 * they created, those of a unit in their reach and those whose whole audience lies in it; an
 * HR officer reads the responses from their units' subtrees of published surveys addressed
 * to them (and of course surveys); an admin does everything. The store computes these
 * flags (survey_list), so the rule lives in one place. The respondent is always the
 * session's account: a user id in a body is never read.
 *
 * Anonymous surveys: every group (the whole, a unit, a course) with fewer than LMS_SV_K
 * responses shows no number ("< 5"), and one more group is hidden when needed so that no
 * hidden group can be computed from the others (lms_sv_results_suppress, survey_report.c: the
 * one rule, which the HR report's survey section applies too); free-text answers name
 * their unit only when that unit has at least LMS_SV_K responses, and never a day.
 */
#include "http.h"

#include "lms/auth.h"
#include "lms/jsonw.h"
#include "lms/log.h"
#include "lms/survey.h"
#include "lms/survey_report.h"
#include "lms/validate.h"
#include "lms/working_days.h"

#include <civetweb.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLE(k) (1u << (k))
#define LIST_MAX 500          /* surveys in one list */
#define TEXTS_PAGE_MAX 200    /* free-text answers in one page */
#define CSV_TEXTS_MAX 20000   /* free-text answers in one CSV file */
#define TEXT_BYTES_MAX (LMS_SV_TEXT_MAX * 4) /* UTF-8: at most 4 bytes a character */

/* ---- small helpers ---------------------------------------------------------------------- */

/* A query parameter: 0 absent, 1 present (in buf), or LMS_EINVAL (too long) with r->err. */
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

/* ?name= as a code: required or not (buf "" when absent). */
static int query_code(srv_req *r, const char *name, bool required, char *buf, size_t size)
{
	int rc = query_var(r, name, buf, size);

	if (rc < 0)
		return rc;
	if (rc == 0 && !required)
		return LMS_OK;
	if (rc == 0 || lms_check_code(name, buf, &r->err) < 0)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: give a code", name);
	return LMS_OK;
}

static int query_long(srv_req *r, const char *name, long min, long max, long def, long *out)
{
	char buf[24], *end;
	int rc = query_var(r, name, buf, sizeof(buf));
	long v;

	*out = def;
	if (rc < 0)
		return rc;
	if (rc == 0)
		return LMS_OK;
	v = strtol(buf, &end, 10);
	if (!buf[0] || *end || v < min || v > max)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a whole number from %ld to %ld", name, min, max);
	*out = v;
	return LMS_OK;
}

/* Today in Ho Chi Minh City (UTC+7, no daylight saving), "YYYY-MM-DD". */
static void city_today(const srv_req *r, char out[11])
{
	time_t t = (time_t)((lms_now(r->app->clock) + LMS_WD_OFFSET_US) / LMS_SECOND_US);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void add_str_or_null(cJSON *o, const char *name, const char *v)
{
	if (v && *v)
		cJSON_AddStringToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

static cJSON *str_list(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static int fail_field(srv_req *r, const char *code, const char *field, const char *msg)
{
	return lms_err_set(&r->err, LMS_EINVAL, code, field, "%s: %s", field, msg);
}

/* ---- JSON of a survey --------------------------------------------------------------------- */

static cJSON *json_question(const lms_sv_question *q)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", q->id);
	cJSON_AddStringToObject(o, "kind", lms_sv_qkind_name(q->kind));
	cJSON_AddStringToObject(o, "text", q->text);
	cJSON_AddBoolToObject(o, "required", q->required);
	if (q->kind == LMS_SQ_LIKERT)
		cJSON_AddNumberToObject(o, "points", q->points);
	if (q->kind != LMS_SQ_TEXT)
		cJSON_AddItemToObject(o, "options", str_list(q->options, q->n_options));
	if (q->kind == LMS_SQ_MULTI)
		cJSON_AddNumberToObject(o, "max_select", q->max_select);
	if (q->kind == LMS_SQ_TEXT)
		cJSON_AddNumberToObject(o, "max_length", q->max_length);
	return o;
}

/* staff: every member; else what a learner needs to answer. questions: with the questions. */
static cJSON *json_survey(const lms_survey *sv, bool staff, bool questions)
{
	cJSON *o = cJSON_CreateObject(), *roles;
	size_t i;

	cJSON_AddStringToObject(o, "code", sv->code);
	cJSON_AddStringToObject(o, "title", sv->title);
	cJSON_AddStringToObject(o, "description", sv->description ? sv->description : "");
	cJSON_AddStringToObject(o, "kind", lms_sv_kind_name(sv->kind));
	cJSON_AddStringToObject(o, "status", lms_sv_status_name(sv->status));
	cJSON_AddBoolToObject(o, "anonymous", sv->anonymous);
	add_str_or_null(o, "opens_on", sv->opens_on);
	add_str_or_null(o, "closes_on", sv->closes_on);
	if (staff) {
		cJSON_AddNumberToObject(o, "rev", (double)sv->rev);
		cJSON_AddItemToObject(o, "courses", str_list(sv->courses, sv->n_courses));
		cJSON_AddItemToObject(o, "units", str_list(sv->units, sv->n_units));
		cJSON_AddStringToObject(o, "level", lms_sv_level_name(sv->level));
		roles = cJSON_AddArrayToObject(o, "par_roles");
		for (i = 0; i < 3; i++)
			if (sv->par_roles & (1u << i))
				cJSON_AddItemToArray(roles, cJSON_CreateString(lms_par_role_name((lms_par_role)i)));
		add_str_or_null(o, "unit", sv->owner_unit);
		add_str_or_null(o, "owner", sv->owner_name);
		cJSON_AddNumberToObject(o, "responses", (double)sv->responses);
	}
	if (questions) {
		cJSON *qs = cJSON_AddArrayToObject(o, "questions");
		for (i = 0; i < sv->n_questions; i++)
			cJSON_AddItemToArray(qs, json_question(&sv->questions[i]));
	}
	return o;
}

/* ---- reading a definition ------------------------------------------------------------------ */

/* An optional array of strings: absent or null gives none. */
static int str_array(srv_req *r, const cJSON *o, const char *path, const char *name, size_t max,
                     size_t max_bytes, const char ***out, size_t *n)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name), *e;
	char field[96];
	const char **v;
	size_t i = 0;

	*out = NULL;
	*n = 0;
	snprintf(field, sizeof(field), "%s%s", path, name);
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsArray(m) || (size_t)cJSON_GetArraySize(m) > max)
		return fail_field(r, "invalid_field", field, "a list of text, not too long");
	v = lms_arena_alloc(r->arena, ((size_t)cJSON_GetArraySize(m) + 1) * sizeof(*v));
	cJSON_ArrayForEach(e, m)
	{
		if (!cJSON_IsString(e) || strlen(e->valuestring) > max_bytes) {
			snprintf(field, sizeof(field), "%s%s[%zu]", path, name, i);
			return fail_field(r, "invalid_field", field, "text");
		}
		v[i++] = e->valuestring;
	}
	*out = v;
	*n = i;
	return LMS_OK;
}

/* An optional string (absent or null: *out untouched). */
static int str_member(srv_req *r, const cJSON *o, const char *path, const char *name,
                      size_t max_bytes, const char **out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	char field[96];

	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	snprintf(field, sizeof(field), "%s%s", path, name);
	if (!cJSON_IsString(m) || strlen(m->valuestring) > max_bytes)
		return fail_field(r, "invalid_field", field, "text, not too long");
	*out = m->valuestring;
	return LMS_OK;
}

static int bool_member(srv_req *r, const cJSON *o, const char *path, const char *name, bool *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	char field[96];

	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	snprintf(field, sizeof(field), "%s%s", path, name);
	if (!cJSON_IsBool(m))
		return fail_field(r, "invalid_field", field, "true or false");
	*out = cJSON_IsTrue(m);
	return LMS_OK;
}

static int int_member(srv_req *r, const cJSON *o, const char *path, const char *name, int max,
                      int *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	char field[96];
	double v;

	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	snprintf(field, sizeof(field), "%s%s", path, name);
	v = cJSON_IsNumber(m) ? m->valuedouble : -1;
	if (!cJSON_IsNumber(m) || !(v >= 1 && v <= max) || v != floor(v))
		return fail_field(r, "invalid_field", field, "a whole number in the allowed range");
	*out = (int)v;
	return LMS_OK;
}

static int date_member(srv_req *r, const cJSON *o, const char *name, char out[11])
{
	const char *s = NULL;

	out[0] = '\0';
	if (str_member(r, o, "", name, 10, &s) < 0)
		return r->err.rc;
	if (s && *s) {
		if (lms_check_date(name, s, &r->err) < 0)
			return r->err.rc;
		memcpy(out, s, 11);
	}
	return LMS_OK;
}

static int parse_question(srv_req *r, const cJSON *j, size_t i, lms_sv_question *q)
{
	char path[32];
	const char *kind = NULL;
	const char **opts = NULL;

	snprintf(path, sizeof(path), "questions[%zu].", i);
	memset(q, 0, sizeof(*q));
	if (!cJSON_IsObject(j)) {
		path[strlen(path) - 1] = '\0';
		return fail_field(r, "invalid_field", path, "an object");
	}
	if (str_member(r, j, path, "kind", 16, &kind) < 0 ||
	    str_member(r, j, path, "text", LMS_SV_QUESTION_TEXT_MAX * 4, &q->text) < 0 ||
	    bool_member(r, j, path, "required", &q->required) < 0 ||
	    int_member(r, j, path, "points", LMS_SV_POINTS_MAX * 10, &q->points) < 0 ||
	    int_member(r, j, path, "max_select", LMS_SV_OPTIONS_MAX * 10, &q->max_select) < 0 ||
	    int_member(r, j, path, "max_length", LMS_SV_TEXT_MAX * 10, &q->max_length) < 0 ||
	    str_array(r, j, path, "options", LMS_SV_OPTIONS_MAX, LMS_SV_OPTION_MAX * 4, &opts,
	              &q->n_options) < 0)
		return r->err.rc;
	q->options = opts;
	if (!kind || lms_sv_qkind_parse(kind, &q->kind) < 0) {
		char field[96];
		snprintf(field, sizeof(field), "%skind", path);
		return fail_field(r, "invalid_field", field,
		                  "\"likert\", \"single\", \"multiple\" or \"text\"");
	}
	return LMS_OK;
}

/* The definition members of body into sv (code only when create); then lms_sv_check. */
static int parse_def(srv_req *r, const cJSON *b, bool create, lms_survey *sv)
{
	const char *kind = NULL, *level = NULL;
	const char **roles = NULL;
	const cJSON *qs, *e;
	size_t n_roles = 0, i = 0;

	if (create && srv_json_string(r, b, "code", true, 32, &sv->code) < 0)
		return r->err.rc;
	sv->anonymous = true;
	if (str_member(r, b, "", "title", LMS_SV_TITLE_MAX * 4, &sv->title) < 0 ||
	    str_member(r, b, "", "description", LMS_SV_DESCRIPTION_MAX * 4, &sv->description) < 0 ||
	    str_member(r, b, "", "kind", 16, &kind) < 0 ||
	    bool_member(r, b, "", "anonymous", &sv->anonymous) < 0 ||
	    str_array(r, b, "", "courses", LMS_SV_COURSES_MAX, 64, &sv->courses, &sv->n_courses) < 0 ||
	    str_array(r, b, "", "units", LMS_SV_UNITS_MAX, 64, &sv->units, &sv->n_units) < 0 ||
	    str_member(r, b, "", "level", 16, &level) < 0 ||
	    str_array(r, b, "", "par_roles", 3, 16, &roles, &n_roles) < 0 ||
	    date_member(r, b, "opens_on", sv->opens_on) < 0 ||
	    date_member(r, b, "closes_on", sv->closes_on) < 0 ||
	    str_member(r, b, "", "unit", 64, &sv->owner_unit) < 0)
		return r->err.rc;
	if (!kind || lms_sv_kind_parse(kind, &sv->kind) < 0)
		return fail_field(r, "invalid_field", "kind", "\"course\" or \"standalone\"");
	if (level && lms_sv_level_parse(level, &sv->level) < 0)
		return fail_field(r, "invalid_field", "level", "\"any\", \"leaders\" or \"staff\"");
	for (i = 0; i < n_roles; i++) {
		lms_par_role pr;
		if (lms_par_role_parse(roles[i], &pr) < 0) {
			char field[96];
			snprintf(field, sizeof(field), "par_roles[%zu]", i);
			return fail_field(r, "invalid_field", field,
			                  "\"none\", \"concurrent\" or \"dedicated\"");
		}
		sv->par_roles |= 1u << pr;
	}
	qs = cJSON_GetObjectItemCaseSensitive(b, "questions");
	if (!cJSON_IsArray(qs) || cJSON_GetArraySize(qs) < 1 ||
	    cJSON_GetArraySize(qs) > LMS_SV_QUESTIONS_MAX)
		return fail_field(r, "invalid_field", "questions", "a list of 1 to 100 questions");
	sv->n_questions = (size_t)cJSON_GetArraySize(qs);
	sv->questions = lms_arena_alloc(r->arena, sv->n_questions * sizeof(*sv->questions));
	i = 0;
	cJSON_ArrayForEach(e, qs)
	{
		if (parse_question(r, e, i, &sv->questions[i]) < 0)
			return r->err.rc;
		i++;
	}
	return lms_sv_check(sv, &r->err);
}

/* ---- who may do what ---------------------------------------------------------------------- */

typedef struct staff {
	bool admin;
	lms_scope trainer, hr; /* n_roots 0 when the role is not held */
} staff;

/* The caller's reach as a trainer and as an HR officer; LMS_EFORBIDDEN for anyone else. */
static int staff_of(srv_req *r, staff *st)
{
	const lms_user *u = &r->who.user;

	memset(st, 0, sizeof(*st));
	st->admin = lms_user_has_role(u, LMS_ROLE_ADMIN);
	if (!st->admin && lms_user_has_role(u, LMS_ROLE_TRAINER) &&
	    lms_user_scope(u, ROLE(LMS_ROLE_TRAINER), r->arena, &st->trainer, &r->err) < 0)
		return r->err.rc;
	if (!st->admin && lms_user_has_role(u, LMS_ROLE_HR_OFFICER) &&
	    lms_user_scope(u, ROLE(LMS_ROLE_HR_OFFICER), r->arena, &st->hr, &r->err) < 0)
		return r->err.rc;
	if (!st->admin && !st->trainer.n_roots && !st->hr.n_roots)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   "surveys are for trainers, HR officers and administrators");
	return LMS_OK;
}

/* Loads survey code into sv and the caller's flags (manage, hr_read). LMS_ENOTFOUND;
 * LMS_EFORBIDDEN when the caller may not see it, or (need_manage) not manage it. */
static int load_for_staff(srv_req *r, const staff *st, const char *code, bool need_manage,
                          lms_survey *sv)
{
	lms_survey *row;
	size_t n;

	if (r->store->ops->survey_get(r->store, code, r->arena, sv, &r->err) < 0 ||
	    r->store->ops->survey_list(r->store, r->who.user.id, st->admin, &st->trainer, &st->hr, code,
	                               1, r->arena, &row, &n, &r->err) < 0)
		return r->err.rc;
	if (n == 1) {
		sv->manage = row->manage;
		sv->hr_read = row->hr_read;
	}
	if (!sv->manage && (need_manage || !sv->hr_read))
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   need_manage ? "only the survey's trainers may change it"
		                               : "this survey is outside your reach");
	return LMS_OK;
}

/* A trainer's survey belongs to a unit of their reach (the first one when none is named),
 * and a standalone survey's audience lies in their reach; an admin's may name any unit. An
 * edit that keeps the survey's unit (old not NULL) keeps it whoever edits. */
static int check_units(srv_req *r, const staff *st, const lms_survey *old, lms_survey *sv)
{
	lms_unit unit;
	size_t i;
	bool within = true;

	if (old && old->owner_unit && sv->owner_unit && strcmp(old->owner_unit, sv->owner_unit) == 0) {
		sv->owner_unit_id = old->owner_unit_id;
	} else if (sv->owner_unit && *sv->owner_unit) {
		if (lms_check_code("unit", sv->owner_unit, &r->err) < 0 ||
		    r->store->ops->unit_find(r->store, sv->owner_unit, r->arena, &unit, &r->err) < 0)
			return r->err.rc;
		sv->owner_unit_id = unit.id;
		if (!st->admin &&
		    r->store->ops->unit_within(r->store, unit.id, &st->trainer, &within, &r->err) < 0)
			return r->err.rc;
	} else if (old && !old->owner_unit) {
		sv->owner_unit_id = 0;
	} else if (!st->admin) {
		sv->owner_unit_id = st->trainer.roots[0];
	}
	if (!within)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", "unit", "unit: outside your reach");
	for (i = 0; i < sv->n_units; i++) {
		char field[96];
		snprintf(field, sizeof(field), "units[%zu]", i);
		if (r->store->ops->unit_find(r->store, sv->units[i], r->arena, &unit, &r->err) < 0) {
			snprintf(r->err.field, sizeof(r->err.field), "%s", field);
			return r->err.rc;
		}
		if (st->admin)
			continue;
		if (r->store->ops->unit_within(r->store, unit.id, &st->trainer, &within, &r->err) < 0)
			return r->err.rc;
		if (!within)
			return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", field,
			                   "%s: outside your reach", field);
	}
	return LMS_OK;
}

/* ---- staff endpoints ------------------------------------------------------------------------ */

int h_surveys_list(srv_req *r)
{
	staff st;
	lms_survey *list;
	size_t n, i;
	cJSON *o, *arr;

	if (staff_of(r, &st) < 0 ||
	    r->store->ops->survey_list(r->store, r->who.user.id, st.admin, &st.trainer, &st.hr, NULL,
	                               LIST_MAX, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "can_create", st.admin || st.trainer.n_roots > 0);
	arr = cJSON_AddArrayToObject(o, "surveys");
	for (i = 0; i < n; i++) {
		cJSON *j = json_survey(&list[i], true, false);
		cJSON_AddBoolToObject(j, "manage", list[i].manage);
		cJSON_AddItemToArray(arr, j);
	}
	return srv_reply_json(r, 200, o, NULL);
}

static int reply_detail(srv_req *r, int status, const char *code)
{
	lms_survey sv;
	staff st;
	cJSON *o;

	if (staff_of(r, &st) < 0 || load_for_staff(r, &st, code, false, &sv) < 0)
		return srv_reply_error(r);
	o = json_survey(&sv, true, true);
	cJSON_AddBoolToObject(o, "manage", sv.manage);
	return srv_reply_json(r, status, o, NULL);
}

int h_survey_detail(srv_req *r)
{
	char code[40];

	if (query_code(r, "code", true, code, sizeof(code)) < 0)
		return srv_reply_error(r);
	return reply_detail(r, 200, code);
}

static void audit(const srv_req *r, const char *what, const char *code)
{
	LMS_INFO("audit: %s (user %lld) %s survey %s (request %s)", r->who.user.username,
	         (long long)r->who.user.id, what, code, r->id);
}

int h_survey_create(srv_req *r)
{
	lms_survey sv;
	staff st;
	cJSON *body = NULL;
	int64_t id;
	int status;

	if (staff_of(r, &st) < 0)
		return srv_reply_error(r);
	if (!st.admin && !st.trainer.n_roots)
		return srv_reply_problem(r, 403, "forbidden", "only trainers and administrators build surveys",
		                         NULL, NULL);
	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	memset(&sv, 0, sizeof(sv));
	sv.owner_id = r->who.user.id;
	if (parse_def(r, body, true, &sv) < 0 || check_units(r, &st, NULL, &sv) < 0 ||
	    r->store->ops->survey_create(r->store, &sv, &id, &r->err) < 0) {
		cJSON_Delete(body);
		return srv_reply_error(r);
	}
	audit(r, "created", sv.code);
	status = reply_detail(r, 201, sv.code);
	cJSON_Delete(body);
	return status;
}

int h_survey_update(srv_req *r)
{
	lms_survey old, sv;
	staff st;
	cJSON *body = NULL;
	const cJSON *rev;
	const char *code;
	bool structural = false;
	int status;

	if (staff_of(r, &st) < 0)
		return srv_reply_error(r);
	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	rev = cJSON_GetObjectItemCaseSensitive(body, "rev");
	memset(&sv, 0, sizeof(sv));
	if (srv_json_string(r, body, "code", true, 32, &code) < 0 ||
	    lms_check_code("code", code, &r->err) < 0)
		goto fail;
	if (!cJSON_IsNumber(rev) || rev->valuedouble < 1 || rev->valuedouble != floor(rev->valuedouble)) {
		fail_field(r, "invalid_field", "rev", "the rev of the survey as it was loaded");
		goto fail;
	}
	if (load_for_staff(r, &st, code, true, &old) < 0)
		goto fail;
	sv.code = old.code;
	sv.id = old.id;
	sv.owner_id = old.owner_id;
	if (parse_def(r, body, false, &sv) < 0)
		goto fail;
	if (!sv.owner_unit)
		sv.owner_unit = old.owner_unit;
	if (check_units(r, &st, &old, &sv) < 0 || lms_sv_check_edit(&old, &sv, &structural, &r->err) < 0 ||
	    r->store->ops->survey_update(r->store, &sv, (int64_t)rev->valuedouble, structural,
	                                 &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	audit(r, "edited", old.code);
	return reply_detail(r, 200, old.code);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

/* Reads {code} (and {from} for a copy) of a manager's action; 0 or the status sent. */
static int read_code(srv_req *r, const char *name, cJSON **body, const char **code)
{
	int status;

	if ((status = srv_read_json(r, body)) != 0)
		return status;
	if (srv_json_string(r, *body, name, true, 32, code) < 0 ||
	    lms_check_code(name, *code, &r->err) < 0) {
		cJSON_Delete(*body);
		*body = NULL;
		return srv_reply_error(r);
	}
	return 0;
}

static int set_status(srv_req *r, lms_sv_status from, lms_sv_status to)
{
	lms_survey sv;
	staff st;
	cJSON *body = NULL;
	const char *code;
	char keep[40];
	int status;

	if (staff_of(r, &st) < 0)
		return srv_reply_error(r);
	if ((status = read_code(r, "code", &body, &code)) != 0)
		return status;
	snprintf(keep, sizeof(keep), "%s", code);
	cJSON_Delete(body);
	if (load_for_staff(r, &st, keep, true, &sv) < 0)
		return srv_reply_error(r);
	if (sv.status != from)
		return srv_reply_problem(r, 409, from == LMS_SV_DRAFT ? "survey_not_draft" : "survey_not_open",
		                         from == LMS_SV_DRAFT ? "only a draft is published"
		                                              : "only an open survey is closed",
		                         NULL, NULL);
	if (r->store->ops->survey_set_status(r->store, sv.id, from, to, &r->err) < 0)
		return srv_reply_error(r);
	audit(r, to == LMS_SV_OPEN ? "published" : "closed", keep);
	return reply_detail(r, 200, keep);
}

int h_survey_publish(srv_req *r)
{
	return set_status(r, LMS_SV_DRAFT, LMS_SV_OPEN);
}

int h_survey_close(srv_req *r)
{
	return set_status(r, LMS_SV_OPEN, LMS_SV_CLOSED);
}

int h_survey_copy(srv_req *r)
{
	lms_survey src, sv;
	staff st;
	cJSON *body = NULL;
	const char *from, *code = NULL, *title = NULL;
	int64_t id;
	int status;

	if (staff_of(r, &st) < 0)
		return srv_reply_error(r);
	if (!st.admin && !st.trainer.n_roots)
		return srv_reply_problem(r, 403, "forbidden", "only trainers and administrators build surveys",
		                         NULL, NULL);
	if ((status = read_code(r, "from", &body, &from)) != 0)
		return status;
	if (srv_json_string(r, body, "code", true, 32, &code) < 0 ||
	    str_member(r, body, "", "title", LMS_SV_TITLE_MAX * 4, &title) < 0 ||
	    load_for_staff(r, &st, from, true, &src) < 0)
		goto fail;
	sv = src;
	sv.id = 0;
	sv.code = code;
	sv.title = title ? title : src.title;
	sv.status = LMS_SV_DRAFT;
	sv.owner_id = r->who.user.id;
	sv.responses = 0;
	if (lms_sv_check(&sv, &r->err) < 0 ||
	    r->store->ops->survey_create(r->store, &sv, &id, &r->err) < 0)
		goto fail;
	audit(r, "copied", sv.code);
	status = reply_detail(r, 201, sv.code);
	cJSON_Delete(body);
	return status;
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

/* ---- results ------------------------------------------------------------------------------ */

typedef struct results {
	lms_survey sv;
	lms_sv_filter f;
	lms_sv_results res;
	int64_t k;             /* groups under k responses are hidden (1: named survey) */
	bool *hidden;          /* per group */
	const char *hidden_why;/* per group: 's' small, 'c' complement */
	bool all_hidden;
	char unit[40];
} results;

/* Loads survey ?code= and its counts within the caller's reach and ?unit=. */
static int load_results(srv_req *r, results *x)
{
	char code[40];
	staff st;
	lms_unit unit;
	lms_sv_shown sh;
	bool within;

	memset(x, 0, sizeof(*x));
	if (staff_of(r, &st) < 0 || query_code(r, "code", true, code, sizeof(code)) < 0 ||
	    query_code(r, "unit", false, x->unit, sizeof(x->unit)) < 0 ||
	    load_for_staff(r, &st, code, false, &x->sv) < 0)
		return r->err.rc;
	x->f.survey_id = x->sv.id;
	if (x->sv.manage)
		x->f.scope.all = true; /* trainers of the survey and admins read every response */
	else
		x->f.scope = st.hr;
	if (x->unit[0]) {
		if (r->store->ops->unit_find(r->store, x->unit, r->arena, &unit, &r->err) < 0)
			return r->err.rc;
		if (!x->f.scope.all) {
			if (r->store->ops->unit_within(r->store, unit.id, &x->f.scope, &within, &r->err) < 0)
				return r->err.rc;
			if (!within)
				return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", "unit",
				                   "unit: outside your reach");
		}
		x->f.group_unit = unit.id;
	} else if (!x->f.scope.all && x->f.scope.n_roots == 1) {
		x->f.group_unit = x->f.scope.roots[0]; /* an HR officer's unit: all they see */
	}
	if (r->store->ops->survey_results(r->store, &x->f, r->arena, &x->res, &r->err) < 0)
		return r->err.rc;
	/* suppression: the one rule (survey_report.c), shared with the HR report */
	lms_sv_results_suppress(x->sv.anonymous, &x->res, r->arena, &sh);
	x->k = sh.k;
	x->all_hidden = sh.all_hidden;
	x->hidden = sh.hidden;
	x->hidden_why = sh.why;
	return LMS_OK;
}

/* The question's numbers in one group (group -1: all), or NULL when the group is hidden. */
static cJSON *json_qstats(const lms_sv_results *res, int group, const lms_sv_question *q)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	int64_t dist[LMS_SV_OPTIONS_MAX];
	size_t i;

	cJSON_AddNumberToObject(o, "id", q->id);
	cJSON_AddNumberToObject(o, "answered", (double)lms_sv_count_of(res, group, q->id, LMS_SV_ANSWERED));
	if (q->kind == LMS_SQ_TEXT)
		return o;
	arr = cJSON_AddArrayToObject(o, "counts");
	for (i = 0; i < q->n_options && i < LMS_SV_OPTIONS_MAX; i++) {
		/* Likert values are 1..points, choices 0..n-1 */
		dist[i] = lms_sv_count_of(res, group, q->id, q->kind == LMS_SQ_LIKERT ? (int)i + 1 : (int)i);
		cJSON_AddItemToArray(arr, cJSON_CreateNumber((double)dist[i]));
	}
	if (q->kind == LMS_SQ_LIKERT) {
		lms_sv_likert_stats ls;
		lms_sv_likert(dist, q->points, &ls);
		if (ls.n) {
			cJSON_AddNumberToObject(o, "mean", round(ls.mean * 100) / 100);
			cJSON_AddNumberToObject(o, "median", ls.median);
		} else {
			cJSON_AddNullToObject(o, "mean");
			cJSON_AddNullToObject(o, "median");
		}
	}
	return o;
}

static void add_rate(cJSON *o, int64_t responses, int64_t population, bool hidden)
{
	if (hidden) {
		cJSON_AddNullToObject(o, "responses");
		cJSON_AddNullToObject(o, "response_rate");
	} else {
		cJSON_AddNumberToObject(o, "responses", (double)responses);
		if (population > 0)
			cJSON_AddNumberToObject(o, "response_rate",
			                        round((double)responses / (double)population * 1000) / 1000);
		else
			cJSON_AddNullToObject(o, "response_rate");
	}
	cJSON_AddNumberToObject(o, "population", (double)population);
}

static const char *group_kind(char k)
{
	return k == 'u' ? "unit" : k == 'd' ? "direct" : k == 'n' ? "none" : "course";
}

int h_survey_results(srv_req *r)
{
	results x;
	cJSON *o, *arr, *qs;
	size_t i, k;

	if (load_results(r, &x) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "survey", json_survey(&x.sv, true, true));
	cJSON_AddNumberToObject(o, "k", (double)(x.sv.anonymous ? LMS_SV_K : 0));
	cJSON_AddStringToObject(o, "reach", x.f.scope.all ? "all" : "units");
	add_str_or_null(o, "unit", x.unit);
	cJSON_AddBoolToObject(o, "suppressed", x.all_hidden);
	add_rate(o, x.res.all.responses, x.res.all.population, x.all_hidden);
	qs = cJSON_AddArrayToObject(o, "questions");
	for (k = 0; !x.all_hidden && k < x.sv.n_questions; k++)
		cJSON_AddItemToArray(qs, json_qstats(&x.res, -1, &x.sv.questions[k]));
	arr = cJSON_AddArrayToObject(o, "groups");
	for (i = 0; i < x.res.n_groups; i++) {
		const lms_sv_group *g = &x.res.groups[i];
		cJSON *j = cJSON_CreateObject(), *gq;
		cJSON_AddStringToObject(j, "kind", group_kind(g->kind));
		add_str_or_null(j, "code", g->code);
		add_str_or_null(j, "name", g->name);
		add_rate(j, g->responses, g->population, x.hidden[i]);
		cJSON_AddBoolToObject(j, "suppressed", x.hidden[i]);
		if (x.hidden[i])
			cJSON_AddStringToObject(j, "suppressed_because",
			                        x.hidden_why[i] == 's' ? "fewer_than_k" : "complement");
		gq = cJSON_AddArrayToObject(j, "questions");
		for (k = 0; !x.hidden[i] && g->responses > 0 && k < x.sv.n_questions; k++)
			cJSON_AddItemToArray(gq, json_qstats(&x.res, (int)i, &x.sv.questions[k]));
		cJSON_AddItemToArray(arr, j);
	}
	return srv_reply_json(r, 200, o, NULL);
}

/* One free-text answer as the caller may see it. */
static cJSON *json_text(const lms_survey *sv, const lms_sv_text *t)
{
	cJSON *o = cJSON_CreateObject();
	bool unit = t->unit_code && (!sv->anonymous || t->unit_responses >= LMS_SV_K);

	cJSON_AddStringToObject(o, "text", t->text);
	if (unit) {
		cJSON *u = cJSON_AddObjectToObject(o, "unit");
		cJSON_AddStringToObject(u, "code", t->unit_code);
		cJSON_AddStringToObject(u, "name", t->unit_name ? t->unit_name : "");
	} else {
		cJSON_AddNullToObject(o, "unit");
	}
	if (!sv->anonymous) {
		add_str_or_null(o, "respondent", t->respondent);
		add_str_or_null(o, "day", t->day);
	}
	return o;
}

int h_survey_texts(srv_req *r)
{
	results x;
	lms_sv_text *list;
	int64_t total;
	long qid, limit, offset;
	size_t n, i;
	cJSON *o, *arr;

	memset(&x, 0, sizeof(x));
	if (query_long(r, "question", 1, LMS_SV_QUESTIONS_MAX, 0, &qid) < 0 ||
	    query_long(r, "limit", 1, TEXTS_PAGE_MAX, 50, &limit) < 0 ||
	    query_long(r, "offset", 0, 10000000, 0, &offset) < 0)
		return srv_reply_error(r);
	if (!qid)
		return srv_reply_problem(r, 422, "invalid_field", "question: give a question's number",
		                         "question", NULL);
	if (load_results(r, &x) < 0)
		return srv_reply_error(r);
	if ((size_t)qid > x.sv.n_questions || x.sv.questions[qid - 1].kind != LMS_SQ_TEXT)
		return srv_reply_problem(r, 422, "unknown_question",
		                         "question: the survey has no free-text question with this number",
		                         "question", NULL);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "question", (double)qid);
	cJSON_AddNumberToObject(o, "limit", (double)limit);
	cJSON_AddNumberToObject(o, "offset", (double)offset);
	arr = cJSON_AddArrayToObject(o, "items");
	total = 0;
	if (!x.all_hidden) {
		if (r->store->ops->survey_texts(r->store, &x.f, (int)qid, (int)limit, (int)offset, r->arena,
		                                &list, &n, &total, &r->err) < 0) {
			cJSON_Delete(o);
			return srv_reply_error(r);
		}
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, json_text(&x.sv, &list[i]));
	}
	cJSON_AddNumberToObject(o, "total", (double)total);
	cJSON_AddBoolToObject(o, "suppressed", x.all_hidden);
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static void csv_row(lms_jsonw *w, lms_arena *a, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			lms_jsonw_raw(w, ",");
		lms_jsonw_raw(w, lms_sv_csv_cell(a, cells[i]));
	}
	lms_jsonw_raw(w, "\r\n");
}

static const char *num_text(lms_arena *a, double v, int digits)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.*f", digits, v);
	return lms_arena_strdup(a, buf);
}

static const char *qkind_vi(lms_sv_qkind k)
{
	switch (k) {
	case LMS_SQ_LIKERT: return "Thang đo Likert";
	case LMS_SQ_SINGLE: return "Chọn một";
	case LMS_SQ_MULTI: return "Chọn nhiều";
	default: return "Trả lời tự do";
	}
}

/* The rows of one group: one per option (or one for a free-text question). */
static void csv_group(lms_jsonw *w, lms_arena *a, const results *x, int group, const char *label,
                      const char *code, const char *name, int64_t responses, int64_t population,
                      bool hidden)
{
	const char *cells[12];
	size_t k, i;

	for (k = 0; k < x->sv.n_questions; k++) {
		const lms_sv_question *q = &x->sv.questions[k];
		int64_t dist[LMS_SV_OPTIONS_MAX];
		lms_sv_likert_stats ls = { 0, 0, 0 };
		size_t rows = q->kind == LMS_SQ_TEXT ? 1 : q->n_options;
		for (i = 0; i < q->n_options && i < LMS_SV_OPTIONS_MAX; i++)
			dist[i] = lms_sv_count_of(&x->res, group, q->id, q->kind == LMS_SQ_LIKERT ? (int)i + 1 : (int)i);
		if (q->kind == LMS_SQ_LIKERT)
			lms_sv_likert(dist, q->points, &ls);
		for (i = 0; i < rows; i++) {
			cells[0] = label;
			cells[1] = code;
			cells[2] = name;
			cells[3] = hidden ? "< 5" : num_text(a, (double)responses, 0);
			cells[4] = num_text(a, (double)population, 0);
			cells[5] = num_text(a, q->id, 0);
			cells[6] = q->text;
			cells[7] = qkind_vi(q->kind);
			cells[8] = q->kind == LMS_SQ_TEXT ? "(số người trả lời)" : q->options[i];
			cells[9] = hidden ? "< 5"
			                  : num_text(a, (double)(q->kind == LMS_SQ_TEXT
			                                            ? lms_sv_count_of(&x->res, group, q->id, LMS_SV_ANSWERED)
			                                            : dist[i]), 0);
			cells[10] = !hidden && ls.n ? num_text(a, ls.mean, 2) : "";
			cells[11] = !hidden && ls.n ? num_text(a, ls.median, 1) : "";
			csv_row(w, a, cells, 12);
		}
	}
}

int h_survey_csv(srv_req *r)
{
	static const char *const head[] = { "Nhóm", "Mã", "Tên", "Số phiếu", "Đối tượng khảo sát",
		                                "Câu", "Nội dung câu hỏi", "Loại câu hỏi", "Phương án",
		                                "Số lượt chọn", "Điểm trung bình", "Trung vị" };
	results x;
	lms_jsonw w;
	char name[96];
	const char *body;
	size_t i, k, len;

	if (load_results(r, &x) < 0)
		return srv_reply_error(r);
	lms_jsonw_init(&w, r->arena);
	lms_jsonw_raw(&w, "\xEF\xBB\xBF"); /* the BOM: Excel then reads UTF-8 */
	{
		const char *meta[] = { "Khảo sát", x.sv.code, x.sv.title,
			                   x.sv.anonymous ? "Ẩn danh: nhóm dưới 5 phiếu không hiển thị số liệu"
			                                  : "Không ẩn danh" };
		csv_row(&w, r->arena, meta, 4);
	}
	csv_row(&w, r->arena, head, 12);
	csv_group(&w, r->arena, &x, -1, "Tất cả", "", "", x.res.all.responses, x.res.all.population,
	          x.all_hidden);
	for (i = 0; i < x.res.n_groups; i++) {
		const lms_sv_group *g = &x.res.groups[i];
		const char *label = g->kind == 'c' ? "Khóa học" : g->kind == 'n' ? "Không thuộc đơn vị"
		                    : g->kind == 'd' ? "Trực thuộc đơn vị" : "Đơn vị";
		csv_group(&w, r->arena, &x, (int)i, label, g->code ? g->code : "", g->name ? g->name : "",
		          g->responses, g->population, x.hidden[i]);
	}
	/* the free-text answers, as the results page shows them */
	for (k = 0; !x.all_hidden && k < x.sv.n_questions; k++) {
		const lms_sv_question *q = &x.sv.questions[k];
		lms_sv_text *list;
		int64_t total;
		size_t n;
		if (q->kind != LMS_SQ_TEXT)
			continue;
		if (r->store->ops->survey_texts(r->store, &x.f, q->id, CSV_TEXTS_MAX, 0, r->arena, &list, &n,
		                                &total, &r->err) < 0)
			return srv_reply_error(r);
		for (i = 0; i < n; i++) {
			bool unit = list[i].unit_code && (!x.sv.anonymous || list[i].unit_responses >= LMS_SV_K);
			const char *cells[6] = { "Trả lời tự do", num_text(r->arena, q->id, 0), q->text,
				                     unit ? list[i].unit_name : "",
				                     x.sv.anonymous ? "" : list[i].respondent, list[i].text };
			csv_row(&w, r->arena, cells, 6);
		}
	}
	body = lms_jsonw_text(&w);
	len = strlen(body);
	snprintf(name, sizeof(name), "khao-sat-%s.csv", x.sv.code); /* a code: A-Z a-z 0-9 . _ - */
	mg_printf(r->conn,
	          "HTTP/1.1 200 OK\r\n"
	          "Content-Type: text/csv; charset=utf-8\r\n"
	          "Content-Disposition: attachment; filename=\"%s\"\r\n"
	          "Content-Length: %zu\r\n"
	          "Cache-Control: no-store\r\n"
	          "X-Request-Id: %s\r\n"
	          "%s\r\n",
	          name, len, r->id, srv_security_headers);
	if (strcmp(r->ri->request_method, "HEAD") != 0)
		mg_write(r->conn, body, len);
	r->status = 200;
	r->bytes_out = (long long)len;
	return 200;
}

/* ---- learners -------------------------------------------------------------------------------- */

/* The learner's view of offer o: its state for them ("open", "answered", "closed", ...). */
static cJSON *json_offer(const lms_sv_offer *o, int rc, const lms_err *e)
{
	cJSON *j = json_survey(&o->sv, false, false);

	add_str_or_null(j, "course", o->who.completed_course);
	cJSON_AddBoolToObject(j, "responded", o->who.responded);
	cJSON_AddBoolToObject(j, "can_answer", rc == 0);
	if (rc < 0)
		cJSON_AddStringToObject(j, "reason", e->code);
	else
		cJSON_AddNullToObject(j, "reason");
	return j;
}

int h_my_surveys(srv_req *r)
{
	char course[40], today[11];
	lms_sv_offer *list;
	size_t n, i;
	cJSON *o, *arr;

	if (query_code(r, "course", false, course, sizeof(course)) < 0 ||
	    r->store->ops->survey_offers(r->store, r->who.user.id, 0, course[0] ? course : NULL,
	                                 r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	city_today(r, today);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "surveys");
	for (i = 0; i < n; i++) {
		lms_err e;
		int rc;
		lms_err_clear(&e);
		if (course[0] && list[i].sv.kind != LMS_SV_COURSE)
			continue;
		rc = lms_sv_can_answer(&list[i].sv, &list[i].who, today, &e);
		/* listed: what they may answer, and what they answered */
		if (rc == 0 || strcmp(e.code, "already_responded") == 0)
			cJSON_AddItemToArray(arr, json_offer(&list[i], rc, &e));
	}
	return srv_reply_json(r, 200, o, NULL);
}

/* Survey code with the facts about the caller (and course, when given). */
static int load_for_learner(srv_req *r, const char *code, const char *course, lms_survey *sv,
                            lms_sv_offer *offer)
{
	lms_sv_offer *list;
	size_t n;

	if (r->store->ops->survey_get(r->store, code, r->arena, sv, &r->err) < 0 ||
	    r->store->ops->survey_offers(r->store, r->who.user.id, sv->id, course, r->arena, &list, &n,
	                                 &r->err) < 0)
		return r->err.rc;
	if (n != 1)
		return lms_err_set(&r->err, LMS_ENOTFOUND, "not_found", "code", "no such survey");
	*offer = list[0];
	return LMS_OK;
}

int h_my_survey(srv_req *r)
{
	char code[40], today[11];
	lms_survey sv;
	lms_sv_offer offer;
	lms_err e;
	int rc;
	cJSON *o;

	memset(&offer, 0, sizeof(offer));
	if (query_code(r, "code", true, code, sizeof(code)) < 0 ||
	    load_for_learner(r, code, NULL, &sv, &offer) < 0)
		return srv_reply_error(r);
	city_today(r, today);
	lms_err_clear(&e);
	rc = lms_sv_can_answer(&sv, &offer.who, today, &e);
	/* not addressed to them, or not open yet (a draft's questions are not shown early) */
	if (rc == LMS_EFORBIDDEN || (rc < 0 && strcmp(e.code, "survey_not_open") == 0)) {
		r->err = e;
		return srv_reply_error(r);
	}
	o = json_survey(&sv, false, true);
	add_str_or_null(o, "course", offer.who.completed_course);
	cJSON_AddBoolToObject(o, "responded", offer.who.responded);
	cJSON_AddBoolToObject(o, "can_answer", rc == 0);
	if (rc < 0)
		cJSON_AddStringToObject(o, "reason", e.code);
	else
		cJSON_AddNullToObject(o, "reason");
	return srv_reply_json(r, 200, o, NULL);
}

/* answers[] of a response body into a; a value of the wrong type becomes INT32_MIN. */
static int parse_answers(srv_req *r, const cJSON *body, lms_sv_answer **out, size_t *n)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(body, "answers"), *e;
	lms_sv_answer *v;
	char field[96];
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return fail_field(r, "invalid_field", "answers", "a list of answers");
	if (cJSON_GetArraySize(arr) > LMS_SV_QUESTIONS_MAX)
		return fail_field(r, "invalid_field", "answers", "more answers than any survey has questions");
	v = lms_arena_alloc(r->arena, ((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*v));
	cJSON_ArrayForEach(e, arr)
	{
		const cJSON *q = cJSON_GetObjectItemCaseSensitive(e, "question");
		const cJSON *val = cJSON_GetObjectItemCaseSensitive(e, "value");
		lms_sv_answer *a = &v[i];
		if (!cJSON_IsObject(e)) {
			snprintf(field, sizeof(field), "answers[%zu]", i);
			return fail_field(r, "invalid_field", field, "an object {question, value}");
		}
		if (!cJSON_IsNumber(q) || q->valuedouble != floor(q->valuedouble) ||
		    fabs(q->valuedouble) > 1e6) {
			snprintf(field, sizeof(field), "answers[%zu].question", i);
			return fail_field(r, "invalid_field", field, "a question's number");
		}
		a->question = (int)q->valuedouble;
		if (cJSON_IsNumber(val) && val->valuedouble == floor(val->valuedouble) &&
		    fabs(val->valuedouble) <= 1e6) {
			a->value = (int)val->valuedouble;
		} else if (cJSON_IsString(val)) {
			if (strlen(val->valuestring) > TEXT_BYTES_MAX) {
				snprintf(field, sizeof(field), "answers[%zu].value", i);
				return fail_field(r, "text_too_long", field,
				                  "the answer is longer than the question allows");
			}
			a->text = val->valuestring;
		} else if (cJSON_IsArray(val)) {
			const cJSON *c;
			int *ch;
			size_t k = 0;
			if (cJSON_GetArraySize(val) > LMS_SV_OPTIONS_MAX) {
				snprintf(field, sizeof(field), "answers[%zu].value", i);
				return fail_field(r, "too_many_choices", field, "more options than the question allows");
			}
			ch = lms_arena_alloc(r->arena, ((size_t)cJSON_GetArraySize(val) + 1) * sizeof(int));
			cJSON_ArrayForEach(c, val)
			{
				if (!cJSON_IsNumber(c) || c->valuedouble != floor(c->valuedouble) ||
				    fabs(c->valuedouble) > 1e6) {
					snprintf(field, sizeof(field), "answers[%zu].value[%zu]", i, k);
					return fail_field(r, "invalid_field", field, "the index of an option");
				}
				ch[k++] = (int)c->valuedouble;
			}
			a->choices = ch;
			a->n_choices = k;
		} else {
			a->value = INT32_MIN; /* missing, or of no type any question takes */
		}
		i++;
	}
	*out = v;
	*n = i;
	return LMS_OK;
}

int h_my_survey_respond(srv_req *r)
{
	cJSON *body = NULL;
	const char *code = NULL, *course = NULL;
	char today[11];
	lms_survey sv;
	lms_sv_offer offer;
	lms_sv_answer *answers = NULL;
	lms_sv_submit in;
	size_t n = 0;
	int status;

	memset(&offer, 0, sizeof(offer));
	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	/* the respondent is the session's account: "user", "user_id" ... are never read */
	if (srv_json_string(r, body, "survey", true, 32, &code) < 0 ||
	    lms_check_code("survey", code, &r->err) < 0 ||
	    str_member(r, body, "", "course", 32, &course) < 0 ||
	    (course && lms_check_code("course", course, &r->err) < 0) ||
	    parse_answers(r, body, &answers, &n) < 0 ||
	    load_for_learner(r, code, course, &sv, &offer) < 0)
		goto fail;
	city_today(r, today);
	if (lms_sv_can_answer(&sv, &offer.who, today, &r->err) < 0 ||
	    lms_sv_check_response(&sv, answers, n, &r->err) < 0)
		goto fail;
	memset(&in, 0, sizeof(in));
	in.survey_id = sv.id;
	in.expect_rev = sv.rev;
	in.user_id = r->who.user.id;
	in.anonymous = sv.anonymous;
	in.unit_id = offer.unit_id;
	in.course_id = sv.kind == LMS_SV_COURSE ? offer.course_id : 0;
	memcpy(in.day, today, sizeof(in.day));
	in.at_us = sv.anonymous ? 0 : lms_now(r->app->clock);
	lms_sv_flatten(&sv, answers, n, r->arena, &in);
	if (r->store->ops->survey_respond(r->store, &in, &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	{
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "survey", sv.code);
		cJSON_AddBoolToObject(o, "responded", true);
		cJSON_AddBoolToObject(o, "anonymous", sv.anonymous);
		return srv_reply_json(r, 201, o, NULL);
	}
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}
