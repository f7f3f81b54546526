/* h_assign.c — assignment rules (assign.h, docs/assignments.md), for HR officers within their
 * unit subtree and administrators:
 *   GET  /api/assignments?unit=&ended=1&limit=&offset=   the rules, newest first, with counts
 *   GET  /api/assignments/options                         courses and positions for the form
 *   POST /api/assignments          {course, unit, position?, audience?, par_role?,
 *                                   due_on? | due_days?, note?, dry_run?}
 *   POST /api/assignments/end      {id}
 * A dry run answers what the rule would do now (200) and keeps nothing; a rule made answers
 * 201 with its id and what applying it did. */
#include "http.h"
#include "json_out.h"

#include "lms/assign.h"
#include "lms/clock.h"
#include "lms/log.h"
#include "lms/player.h"

#include <civetweb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLE(k) (1u << (k))

static int reach(srv_req *r, lms_scope *scope)
{
	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   scope, &r->err) < 0)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   "assigning courses is for HR officers and administrators");
	if (!r->store->ops->assign)
		return lms_err_set(&r->err, LMS_EINTERNAL, NULL, NULL, "no assignment store");
	return LMS_OK;
}

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

static int query_int(srv_req *r, const char *name, long min, long max, long def, long *out)
{
	char buf[24], *end;
	int rc;

	*out = def;
	if ((rc = query_var(r, name, buf, sizeof(buf))) <= 0)
		return rc;
	*out = strtol(buf, &end, 10);
	if (!*buf || *end || *out < min || *out > max)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a whole number from %ld to %ld", name, min, max);
	return LMS_OK;
}

static cJSON *counts_json(const lms_assign_counts *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "matched", (double)c->matched);
	cJSON_AddNumberToObject(o, "no_account", (double)c->no_account);
	cJSON_AddNumberToObject(o, "enrolled", (double)c->enrolled);
	cJSON_AddNumberToObject(o, "converted", (double)c->converted);
	cJSON_AddNumberToObject(o, "untouched", (double)c->untouched);
	return o;
}

int h_assignments_list(srv_req *r)
{
	char unit[40], ended[4];
	lms_assign_rule *rules = NULL;
	lms_scope scope;
	int64_t total = 0;
	long limit, offset;
	size_t n = 0, i;
	cJSON *o, *arr;

	if (reach(r, &scope) < 0 || query_var(r, "unit", unit, sizeof(unit)) < 0 ||
	    query_var(r, "ended", ended, sizeof(ended)) < 0 ||
	    query_int(r, "limit", 1, LMS_ASG_PAGE_MAX, 100, &limit) < 0 ||
	    query_int(r, "offset", 0, 10000000, 0, &offset) < 0 ||
	    r->store->ops->assign->list(r->store, &scope, *unit ? unit : NULL, strcmp(ended, "1") == 0,
	                                (int)limit, (int)offset, r->arena, &rules, &n, &total,
	                                &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "total", (double)total);
	arr = cJSON_AddArrayToObject(o, "rules");
	for (i = 0; i < n; i++) {
		const lms_assign_rule *g = &rules[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "id", (double)g->id);
		srv_json_str(x, "course", g->course_code);
		srv_json_str(x, "course_title", g->course_title);
		srv_json_str(x, "unit", g->unit_code);
		srv_json_str(x, "unit_name", g->unit_name);
		srv_json_str(x, "position", g->position);
		srv_json_str(x, "audience", g->audience);
		srv_json_str(x, "par_role", g->par_role);
		srv_json_str(x, "due_on", g->due_on);
		if (g->due_days)
			cJSON_AddNumberToObject(x, "due_days", g->due_days);
		else
			cJSON_AddNullToObject(x, "due_days");
		srv_json_str(x, "note", g->note);
		srv_json_str(x, "created_by", g->created_by);
		srv_json_str(x, "created_at", g->created_at);
		srv_json_str(x, "ended_by", g->ended_by);
		srv_json_str(x, "ended_at", g->ended_at);
		cJSON_AddNumberToObject(x, "enrolments", (double)g->enrolments);
		cJSON_AddNumberToObject(x, "completed", (double)g->completed);
		cJSON_AddNumberToObject(x, "overdue", (double)g->overdue);
		cJSON_AddItemToArray(arr, x);
	}
	return srv_reply_json(r, 200, o, NULL);
}

int h_assignments_options(srv_req *r)
{
	lms_catalogue_entry *courses = NULL;
	const char **positions = NULL;
	size_t nc = 0, np = 0, i;
	lms_scope scope;
	cJSON *o, *arr;

	if (reach(r, &scope) < 0 ||
	    r->store->ops->catalogue(r->store, r->who.user.id, r->arena, &courses, &nc, &r->err) < 0 ||
	    r->store->ops->assign->positions(r->store, &scope, r->arena, &positions, &np, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "courses");
	for (i = 0; i < nc; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", courses[i].code);
		cJSON_AddStringToObject(x, "title", courses[i].title);
		cJSON_AddItemToArray(arr, x);
	}
	arr = cJSON_AddArrayToObject(o, "positions");
	for (i = 0; i < np; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(positions[i]));
	return srv_reply_json(r, 200, o, NULL);
}

/* An optional string member: absent or null gives NULL; "" too (an empty form field). */
static int opt_string(srv_req *r, const cJSON *in, const char *name, size_t max,
                      const char **out)
{
	if (srv_json_string(r, in, name, false, max, out) < 0)
		return LMS_EINVAL;
	if (*out && !**out)
		*out = NULL;
	return LMS_OK;
}

int h_assignment_create(srv_req *r)
{
	lms_assign_counts counts;
	lms_assign_in in;
	lms_scope scope;
	const cJSON *m;
	cJSON *body = NULL, *o;
	char actor[96];
	bool dry_run = false;
	int64_t id = 0;
	int rc;

	if (reach(r, &scope) < 0)
		return srv_reply_error(r);
	if ((rc = srv_read_json(r, &body)) != 0)
		return rc;
	memset(&in, 0, sizeof(in));
	if (srv_json_string(r, body, "course", true, 32, &in.course_code) < 0 ||
	    srv_json_string(r, body, "unit", true, 32, &in.unit_code) < 0 ||
	    opt_string(r, body, "position", 800, &in.position) < 0 ||
	    opt_string(r, body, "audience", 16, &in.audience) < 0 ||
	    opt_string(r, body, "par_role", 16, &in.par_role) < 0 ||
	    opt_string(r, body, "due_on", 10, &in.due_on) < 0 ||
	    opt_string(r, body, "note", 2000, &in.note) < 0)
		goto fail;
	m = cJSON_GetObjectItemCaseSensitive(body, "due_days");
	if (m && !cJSON_IsNull(m)) {
		if (!cJSON_IsNumber(m) || m->valuedouble != (double)(int)m->valuedouble ||
		    m->valuedouble < 1 || m->valuedouble > LMS_ASG_DUE_DAYS_MAX) {
			lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "due_days",
			            "due_days: a whole number of days from 1 to %d", LMS_ASG_DUE_DAYS_MAX);
			goto fail;
		}
		in.due_days = (int)m->valuedouble;
	}
	m = cJSON_GetObjectItemCaseSensitive(body, "dry_run");
	if (m && !cJSON_IsBool(m)) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "dry_run", "dry_run: true or false");
		goto fail;
	}
	dry_run = cJSON_IsTrue(m);
	snprintf(actor, sizeof(actor), "user:%s", r->who.user.username);
	if (lms_assign_create(r->store, &in, &scope, actor, lms_now(r->app->clock), dry_run, &id,
	                      &counts, &r->err) < 0)
		goto fail;
	if (!dry_run)
		LMS_INFO("audit: %s made assignment rule %lld (course %s, unit %s): %lld enrolled, "
		         "%lld converted", r->who.user.username, (long long)id, in.course_code,
		         in.unit_code, (long long)counts.enrolled, (long long)counts.converted);
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "dry_run", dry_run);
	if (dry_run)
		cJSON_AddNullToObject(o, "id");
	else
		cJSON_AddNumberToObject(o, "id", (double)id);
	cJSON_AddItemToObject(o, "counts", counts_json(&counts));
	return srv_reply_json(r, dry_run ? 200 : 201, o, NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

int h_assignment_end(srv_req *r)
{
	lms_scope scope;
	const cJSON *m;
	cJSON *body = NULL;
	char actor[96];
	int rc;

	if (reach(r, &scope) < 0)
		return srv_reply_error(r);
	if ((rc = srv_read_json(r, &body)) != 0)
		return rc;
	m = cJSON_GetObjectItemCaseSensitive(body, "id");
	if (!cJSON_IsNumber(m) || m->valuedouble < 1 || m->valuedouble > 9e15 ||
	    m->valuedouble != (double)(int64_t)m->valuedouble) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "id", "id: a rule's number");
		goto fail;
	}
	snprintf(actor, sizeof(actor), "user:%s", r->who.user.username);
	if (r->store->ops->assign->end(r->store, (int64_t)m->valuedouble, &scope, actor,
	                               lms_now(r->app->clock), &r->err) < 0)
		goto fail;
	LMS_INFO("audit: %s ended assignment rule %lld", r->who.user.username,
	         (long long)m->valuedouble);
	cJSON_Delete(body);
	return srv_reply_empty(r, 204, NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

void srv_assign_apply(lms_store *s, const srv_app *app)
{
	lms_assign_counts c;
	lms_err err;

	lms_err_clear(&err);
	if (!s->ops->assign || s->ops->assign->apply(s, lms_now(app->clock), &c, &err) < 0) {
		LMS_WARN("assignment rules: %s", err.msg[0] ? err.msg : "no store");
		return;
	}
	if (c.enrolled || c.converted)
		LMS_INFO("assignment rules: %lld enrolled, %lld converted", (long long)c.enrolled,
		         (long long)c.converted);
}
