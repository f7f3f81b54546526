/* h_report_flags.c — what counts in the Decision's indicators, for administrators
 * (docs/reports.md, "Setting what counts"; lms/reports.h):
 *
 *   GET  /api/indicator-flags           the courses and the job positions with their flags
 *   POST /api/indicator-flags/course    {course, par_training?: true|false|null,
 *                                        expert_programme?: true|false}
 *   POST /api/indicator-flags/position  {position, par_position: true|false}
 *
 * Administrators only; anyone else 403 (an HR officer reads the indicators, the flags are the
 * city's). A change runs the report module's flag_course / flag_position — the statements
 * `parlearn report flag-course|flag-position` runs — and writes its audit entry (who, the
 * values before and after) in the same transaction: a change that cannot be logged is not
 * made. par_training absent leaves it, null makes it follow the PAR area; expert_programme
 * absent leaves it. The answer is the row as stored after the change.
 */
#include "http.h"

#include "lms/auth.h"
#include "lms/log.h"
#include "lms/reports.h"

#include <stdio.h>
#include <string.h>

/* The longest course or position code (schemas/sql/0002 and 0007: 1 to 32 characters). */
#define CODE_MAX 32

static int admin_only(srv_req *r)
{
	if (!lms_user_has_role(&r->who.user, LMS_ROLE_ADMIN))
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   "what counts in the indicators is set by administrators");
	if (!r->store->ops->report || !r->store->ops->report_flags)
		return lms_err_set(&r->err, LMS_EINTERNAL, NULL, NULL, "no report store");
	return LMS_OK;
}

static void add_str_or_null(cJSON *o, const char *name, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

/* par_training as the API shows it: null (follow the PAR area), true or false. */
static void add_tristate(cJSON *o, const char *name, int v)
{
	if (v < 0)
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddBoolToObject(o, name, v == 1);
}

static cJSON *course_json(const lms_rep_flag_course *c)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", c->code);
	cJSON_AddStringToObject(o, "title", c->title);
	add_str_or_null(o, "par_area", c->par_area);
	add_tristate(o, "par_training", c->par_training);
	cJSON_AddBoolToObject(o, "counts_as_par_training", c->counts);
	cJSON_AddBoolToObject(o, "expert_programme", c->expert_programme);
	return o;
}

static cJSON *position_json(const lms_rep_flag_position *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", p->code);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddBoolToObject(o, "par_position", p->par_position);
	cJSON_AddNumberToObject(o, "people", (double)p->people);
	return o;
}

int h_indicator_flags_get(srv_req *r)
{
	const lms_rep_flags_ops *f;
	lms_rep_flag_course *courses = NULL;
	lms_rep_flag_position *positions = NULL;
	size_t nc = 0, np = 0, i;
	cJSON *o, *arr;

	if (admin_only(r) < 0)
		return srv_reply_error(r);
	f = r->store->ops->report_flags;
	if (f->courses(r->store, r->arena, &courses, &nc, &r->err) < 0 ||
	    f->positions(r->store, r->arena, &positions, &np, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "courses");
	for (i = 0; i < nc; i++)
		cJSON_AddItemToArray(arr, course_json(&courses[i]));
	arr = cJSON_AddArrayToObject(o, "positions");
	for (i = 0; i < np; i++)
		cJSON_AddItemToArray(arr, position_json(&positions[i]));
	return srv_reply_json(r, 200, o, NULL);
}

/* Writes the audit entry of a change: action, the parameters (consumed). */
static int audit(srv_req *r, const char *action, cJSON *params, lms_err *err)
{
	char *text = cJSON_PrintUnformatted(params);
	lms_audit a;
	int rc;

	cJSON_Delete(params);
	if (!text)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	memset(&a, 0, sizeof(a));
	a.actor = r->who.user.username;
	a.user_id = r->who.user.id;
	a.action = action;
	a.params_json = text;
	a.row_count = 1;
	a.client_addr = r->client_addr;
	a.request_id = r->id;
	rc = r->store->ops->report->audit(r->store, &a, err);
	cJSON_free(text);
	return rc;
}

/* ---- a course ---- */

typedef struct course_change {
	srv_req *r;
	const char *code;
	int par_training; /* -2 unchanged, -1 follow the PAR area, 0, 1 (flag_course's values) */
	int expert;       /* -1 unchanged, 0, 1 */
	lms_rep_flag_course before, after;
} course_change;

static cJSON *course_state(const lms_rep_flag_course *c)
{
	cJSON *o = cJSON_CreateObject();

	add_tristate(o, "par_training", c->par_training);
	cJSON_AddBoolToObject(o, "counts_as_par_training", c->counts);
	cJSON_AddBoolToObject(o, "expert_programme", c->expert_programme);
	return o;
}

static int course_tx(lms_store *s, void *ctx, lms_err *err)
{
	course_change *c = ctx;
	cJSON *p;
	int rc;

	if ((rc = s->ops->report_flags->course(s, c->code, c->r->arena, &c->before, err)) < 0 ||
	    (rc = s->ops->report->flag_course(s, c->code, c->par_training, c->expert, err)) < 0 ||
	    (rc = s->ops->report_flags->course(s, c->code, c->r->arena, &c->after, err)) < 0)
		return rc;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "course", c->code);
	cJSON_AddItemToObject(p, "before", course_state(&c->before));
	cJSON_AddItemToObject(p, "after", course_state(&c->after));
	return audit(c->r, "report.flag-course", p, err);
}

int h_indicator_flags_course(srv_req *r)
{
	course_change c;
	const cJSON *m;
	cJSON *body = NULL;
	int rc;

	if (admin_only(r) < 0)
		return srv_reply_error(r);
	if ((rc = srv_read_json(r, &body)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.par_training = -2;
	c.expert = -1;
	if (srv_json_string(r, body, "course", true, CODE_MAX, &c.code) < 0)
		goto fail;
	m = cJSON_GetObjectItemCaseSensitive(body, "par_training");
	if (m && cJSON_IsNull(m))
		c.par_training = -1;
	else if (m && cJSON_IsBool(m))
		c.par_training = cJSON_IsTrue(m) ? 1 : 0;
	else if (m) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "par_training",
		            "par_training: true, false or null (follow the course's PAR area)");
		goto fail;
	}
	m = cJSON_GetObjectItemCaseSensitive(body, "expert_programme");
	if (m && cJSON_IsBool(m))
		c.expert = cJSON_IsTrue(m) ? 1 : 0;
	else if (m) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "expert_programme",
		            "expert_programme: true or false");
		goto fail;
	}
	if (c.par_training == -2 && c.expert == -1) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "par_training",
		            "nothing to change: give par_training, expert_programme or both");
		goto fail;
	}
	if (r->store->ops->report_flags->in_transaction(r->store, course_tx, &c, &r->err) < 0)
		goto fail;
	LMS_INFO("audit: %s set course %s: par_training %d -> %d, expert_programme %d -> %d "
	         "(request %s)", r->who.user.username, c.code, c.before.par_training,
	         c.after.par_training, (int)c.before.expert_programme, (int)c.after.expert_programme,
	         r->id);
	cJSON_Delete(body);
	return srv_reply_json(r, 200, course_json(&c.after), NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

/* ---- a job position ---- */

typedef struct position_change {
	srv_req *r;
	const char *code;
	bool par;
	lms_rep_flag_position before, after;
} position_change;

static int position_tx(lms_store *s, void *ctx, lms_err *err)
{
	position_change *c = ctx;
	cJSON *p, *o;
	int rc;

	if ((rc = s->ops->report_flags->position(s, c->code, c->r->arena, &c->before, err)) < 0 ||
	    (rc = s->ops->report->flag_position(s, c->code, c->par, err)) < 0 ||
	    (rc = s->ops->report_flags->position(s, c->code, c->r->arena, &c->after, err)) < 0)
		return rc;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "position", c->code);
	o = cJSON_AddObjectToObject(p, "before");
	cJSON_AddBoolToObject(o, "par_position", c->before.par_position);
	o = cJSON_AddObjectToObject(p, "after");
	cJSON_AddBoolToObject(o, "par_position", c->after.par_position);
	return audit(c->r, "report.flag-position", p, err);
}

int h_indicator_flags_position(srv_req *r)
{
	position_change c;
	const cJSON *m;
	cJSON *body = NULL;
	int rc;

	if (admin_only(r) < 0)
		return srv_reply_error(r);
	if ((rc = srv_read_json(r, &body)) != 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.r = r;
	if (srv_json_string(r, body, "position", true, CODE_MAX, &c.code) < 0)
		goto fail;
	m = cJSON_GetObjectItemCaseSensitive(body, "par_position");
	if (!cJSON_IsBool(m)) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "par_position",
		            "par_position: true or false");
		goto fail;
	}
	c.par = cJSON_IsTrue(m);
	if (r->store->ops->report_flags->in_transaction(r->store, position_tx, &c, &r->err) < 0)
		goto fail;
	LMS_INFO("audit: %s set position %s: par_position %d -> %d (request %s)",
	         r->who.user.username, c.code, (int)c.before.par_position, (int)c.after.par_position,
	         r->id);
	cJSON_Delete(body);
	return srv_reply_json(r, 200, position_json(&c.after), NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}
