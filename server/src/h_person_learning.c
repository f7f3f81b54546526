/* h_person_learning.c — GET /api/people/learning?employee_code=X: one person's learning
 * record for HR officers and auditors (docs/reports.md, "A person's record"): who they are,
 * their account, their courses with progress, deadline, time (the server's measure and the
 * content's claim, each as GET /api/my/time?course=&user= shows it, and as the completion
 * recorded it for the HR report), training periods and certificate, and the quiz and exam
 * results an HR officer may see.
 *
 * Invariants: HR officers whose subtree holds the person's current unit, and admins; anyone
 * else 403 (as /api/people: an unknown code is 404, a person out of reach 403). Every answer
 * given is first written to the audit log (action "person.learning": who looked at whose
 * record), so an auditor can see it. The identification number is never read.
 * Not here: the sessions and heartbeats behind a course's time (GET /api/my/time, h_learn.c).
 */
#include "http.h"
#include "json_out.h"

#include "lms/assess_store.h"
#include "lms/auth.h"
#include "lms/certs.h"
#include "lms/log.h"
#include "lms/player.h"
#include "lms/reports.h"
#include "lms/validate.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

#define ROLE(k) (1u << (k))

/* Reads ?employee_code= (a code, as the roster keeps it); on failure fills r->err. */
static int query_employee(srv_req *r, char *out, size_t size)
{
	const char *qs = r->ri->query_string;

	if (!qs || mg_get_var(qs, strlen(qs), "employee_code", out, size) <= 0 ||
	    lms_check_code("employee_code", out, &r->err) < 0)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "employee_code",
		                   "employee_code: give the person's employee code");
	return LMS_OK;
}

/* Loads the record and checks the caller's reach over the person's current unit. */
static int load_record(srv_req *r, const char *code, lms_as_person_record *rec)
{
	const lms_assess_ops *as = r->store->ops->assess;
	lms_scope scope;
	bool within = false;

	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   &scope, &r->err) < 0)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   "a person's record is for HR officers and administrators");
	if (!as || !as->person_record || !r->store->ops->report)
		return lms_err_set(&r->err, LMS_EUNSUPPORTED, "unsupported", NULL,
		                   "this store keeps no learning records");
	if (as->person_record(r->store, code, r->arena, rec, &r->err) < 0)
		return r->err.rc;
	if (!scope.all &&
	    (r->store->ops->unit_within(r->store, rec->unit_id, &scope, &within, &r->err) < 0))
		return r->err.rc;
	if (!scope.all && !within)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", "employee_code",
		                   "this person is outside your units");
	return LMS_OK;
}

static int audit(srv_req *r, const char *code, int64_t rows)
{
	cJSON *o = cJSON_CreateObject();
	char *params;
	lms_audit a;
	int rc;

	cJSON_AddStringToObject(o, "employee_code", code);
	params = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	memset(&a, 0, sizeof(a));
	a.actor = r->who.user.username;
	a.user_id = r->who.user.id;
	a.action = "person.learning";
	a.params_json = params ? params : "{}";
	a.row_count = rows;
	a.client_addr = r->client_addr;
	a.request_id = r->id;
	rc = r->store->ops->report->audit(r->store, &a, &r->err);
	cJSON_free(params);
	if (rc == 0)
		LMS_INFO("audit: %s (user %lld) read the learning record of %s (request %s)",
		         r->who.user.username, (long long)r->who.user.id, code, r->id);
	return rc;
}

static cJSON *json_person(const lms_as_person_record *rec)
{
	const lms_person *p = &rec->person;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "employee_code", p->employee_code);
	cJSON_AddStringToObject(o, "full_name", p->full_name);
	cJSON_AddStringToObject(o, "unit_code", p->unit_code);
	cJSON_AddStringToObject(o, "unit_name", p->unit_name);
	cJSON_AddStringToObject(o, "position", p->position ? p->position : "");
	cJSON_AddBoolToObject(o, "is_leader", p->is_leader);
	cJSON_AddStringToObject(o, "par_role", lms_par_role_name(p->par_role));
	cJSON_AddBoolToObject(o, "active", p->active);
	return o;
}

static const lms_as_person_course *extra_of(const lms_as_person_record *rec, int64_t id)
{
	size_t i;

	for (i = 0; i < rec->n_courses; i++)
		if (rec->courses[i].enrolment_id == id)
			return &rec->courses[i];
	return NULL;
}

/* The newest course certificate of a course (cert_list is newest first), or NULL. */
static const lms_cert_row *cert_of(const lms_cert_row *certs, size_t n, const char *course)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(certs[i].kind, "course") == 0 && certs[i].course_code &&
		    strcmp(certs[i].course_code, course) == 0)
			return &certs[i];
	return NULL;
}

/* One course: the enrolment (as GET /api/my/courses), its time as GET /api/my/time sums it,
 * what the completion recorded, and its certificate. */
static int json_course(srv_req *r, const lms_as_person_record *rec, const lms_enrolment *e,
                       const lms_cert_row *cert, const char *today, cJSON **out)
{
	const lms_as_person_course *x = extra_of(rec, e->id);
	lms_time_session *sess = NULL;
	size_t n = 0, i;
	int64_t reported_cs = 0;
	bool completed = e->completed_us != 0, overdue;
	cJSON *o;

	if (e->started_us && r->store->ops->time_sessions(r->store, rec->user_id, e->course_code,
	                                                  r->arena, &sess, &n, NULL, NULL,
	                                                  &r->err) < 0)
		return r->err.rc;
	for (i = 0; i < n; i++)
		if (sess[i].reported_cs > 0)
			reported_cs += sess[i].reported_cs;
	overdue = !completed && e->due_at && strcmp(e->source, "assigned") == 0 &&
	          strcmp(e->due_at, today) < 0;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "course_code", e->course_code);
	cJSON_AddStringToObject(o, "course_title", e->course_title);
	cJSON_AddNumberToObject(o, "version", e->version_no);
	cJSON_AddStringToObject(o, "source", e->source);
	srv_json_str(o, "due_at", e->due_at);
	srv_json_time(o, "enrolled_at", e->enrolled_us);
	srv_json_time(o, "started_at", e->started_us);
	srv_json_time(o, "completed_at", e->completed_us);
	cJSON_AddStringToObject(o, "status", completed ? "completed" : e->started_us ? "in_progress"
	                                                                            : "enrolled");
	if (e->passed < 0)
		cJSON_AddNullToObject(o, "passed");
	else
		cJSON_AddBoolToObject(o, "passed", e->passed);
	cJSON_AddBoolToObject(o, "overdue", overdue);
	cJSON_AddNumberToObject(o, "scos_total", e->scos_total);
	cJSON_AddNumberToObject(o, "scos_done", e->scos_done);
	cJSON_AddNumberToObject(o, "active_s", (double)(e->active_us / LMS_SECOND_US));
	cJSON_AddNumberToObject(o, "reported_s", (double)(reported_cs / 100));
	cJSON_AddNumberToObject(o, "sessions", (double)n);
	cJSON_AddNumberToObject(o, "minimum_time_s", (double)e->minimum_time_s);
	cJSON_AddNumberToObject(o, "training_periods", x ? x->training_periods : 0);
	cJSON_AddNumberToObject(o, "periods_credited",
	                        x && x->completed && e->passed != 0 ? x->training_periods : 0);
	if (x && x->completed) {
		cJSON_AddNumberToObject(o, "completion_active_s", (double)x->completion_active_s);
		cJSON_AddNumberToObject(o, "completion_reported_s", (double)x->completion_reported_s);
	} else {
		cJSON_AddNullToObject(o, "completion_active_s");
		cJSON_AddNullToObject(o, "completion_reported_s");
	}
	if (cert) {
		cJSON *c = cJSON_AddObjectToObject(o, "certificate");
		cJSON_AddStringToObject(c, "serial", cert->serial);
		cJSON_AddStringToObject(c, "code", cert->code);
		cJSON_AddBoolToObject(c, "revoked", cert->revoked_on != NULL);
	} else {
		cJSON_AddNullToObject(o, "certificate");
	}
	*out = o;
	return LMS_OK;
}

static cJSON *json_result(const lms_as_person_result *x)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", x->code);
	cJSON_AddStringToObject(o, "title", x->title);
	cJSON_AddStringToObject(o, "kind", x->kind);
	cJSON_AddNumberToObject(o, "attempt", x->attempt_no);
	srv_json_time(o, "submitted_at", x->submitted_us);
	if (x->final) {
		cJSON_AddNumberToObject(o, "score_percent", x->fraction * 100.0);
		cJSON_AddBoolToObject(o, "passed", x->passed);
	} else { /* an essay waits for a trainer: no score yet */
		cJSON_AddNullToObject(o, "score_percent");
		cJSON_AddNullToObject(o, "passed");
	}
	return o;
}

int h_person_learning(srv_req *r)
{
	char code[40], today[11];
	lms_as_person_record rec;
	lms_enrolment *list = NULL;
	lms_cert_row *certs = NULL;
	size_t n = 0, nc = 0, i;
	cJSON *o = NULL, *arr, *c = NULL;

	if (query_employee(r, code, sizeof(code)) < 0 || load_record(r, code, &rec) < 0)
		return srv_reply_error(r);
	if (rec.user_id) {
		/* what is stored, as it is: looking at a record never changes it (a certificate still
		 * owed appears once serve's pass, every minute, has issued it) */
		if (r->store->ops->enrolment_list(r->store, rec.user_id, NULL, r->arena, &list, &n,
		                                  &r->err) < 0 ||
		    r->store->ops->cert_list(r->store, rec.user_id, r->arena, &certs, &nc, &r->err) < 0)
			return srv_reply_error(r);
	}
	lms_hcm_date(lms_now(r->app->clock), today);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "person", json_person(&rec));
	srv_json_str(o, "account", rec.username);
	cJSON_AddStringToObject(o, "today", today);
	arr = cJSON_AddArrayToObject(o, "enrolments");
	for (i = 0; i < n; i++) {
		if (json_course(r, &rec, &list[i], cert_of(certs, nc, list[i].course_code), today,
		                &c) < 0) {
			cJSON_Delete(o);
			return srv_reply_error(r);
		}
		cJSON_AddItemToArray(arr, c);
	}
	arr = cJSON_AddArrayToObject(o, "exams");
	for (i = 0; i < rec.n_results; i++)
		cJSON_AddItemToArray(arr, json_result(&rec.results[i]));
	if (audit(r, code, (int64_t)(n + rec.n_results)) < 0) {
		cJSON_Delete(o);
		return srv_reply_error(r);
	}
	return srv_reply_json(r, 200, o, NULL);
}
