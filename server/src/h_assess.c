/* h_assess.c — quizzes and capability exams on the web (docs/assessment.md):
 *
 *   trainers (assessments of a unit in their reach) and admins
 *   GET  /api/assessments                      the assessments they manage (HR: published ones)
 *   POST /api/assessments                      create a draft: {code, kind, title, ...}
 *   GET  /api/assessments/detail?code=         one definition, with its counts
 *   POST /api/assessments/update               {code, rev, ...definition} (drafts only)
 *   POST /api/assessments/open, /close         {code}: draft → open → closed
 *   POST /api/assessments/grant                {code, username, reason}: one more attempt
 *   POST /api/assessments/publish              {code}: the results, once
 *   GET  /api/assessments/essays?code=         essays to grade
 *   POST /api/assessments/grade                {code, attempt, slot, points, comment}
 *   GET  /api/assessments/items?code=          item analysis; items.csv the same as CSV
 *   trainers who manage it, HR officers (their subtree, once published), admins
 *   GET  /api/assessments/results?code=&unit=  submitted attempts, each person's best ranked
 *   GET  /api/assessments/attempt?id=          one attempt for an audit: paper, answers, events
 *   GET  /api/talent-pool?code=                the talent-pool list
 *   POST /api/talent-pool/propose              {code, attempt, track} (trainers)
 *   POST /api/talent-pool/decide               {id, approve, note} (HR officers, admins)
 *   learners
 *   GET  /api/my/assessments                   what is offered to me, and what I took
 *   POST /api/my/assessments/start             {code}: a new attempt, or the open one
 *   GET  /api/my/attempt?id=&device=           the paper (no keys, no score), saved answers
 *   POST /api/my/attempt/save                  {attempt, slot, rev, response}
 *   POST /api/my/attempt/event                 {attempt, kind, detail?, client_at?}
 *   POST /api/my/attempt/submit                {attempt}
 *   GET  /api/my/attempt/review?id=            what the review rules allow now
 *   GET  /api/my/attempt/file?attempt=&slot=&name=   an image of a slot's question (404 for
 *                                              anyone but the attempt's learner)
 *
 * Invariants: the learner is always the session's account (an id in a body is never read as
 * a user); a score, a fraction, a time or a deadline in a body is never read (the server
 * computes scores and keeps time); every endpoint checks the role and the unit subtree;
 * answers and keys go through the core (assess_store.h), which decides what may be shown.
 * Also here: the housekeeping pass of `serve` (srv_exam_housekeep).
 */
#include "answer_json.h"
#include "assess_json.h"
#include "http.h"
#include "json_out.h"
#include "qfile_reply.h"

#include "lms/assess_files.h"
#include "lms/assess_store.h"
#include "lms/auth.h"
#include "lms/jsonw.h"
#include "lms/log.h"
#include "lms/qbank.h"
#include "lms/survey.h"
#include "lms/validate.h"

#include <civetweb.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLE(k) (1u << (k))
#define OPS(r) ((r)->store->ops->assess)

/* ---- small helpers ---------------------------------------------------------------------- */

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

static int query_id(srv_req *r, const char *name, int64_t *out)
{
	char buf[24], *end;
	long long v;

	if (query_var(r, name, buf, sizeof(buf)) <= 0 || !buf[0])
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: give a number", name);
	v = strtoll(buf, &end, 10);
	if (*end || v < 1)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: give a number", name);
	*out = v;
	return LMS_OK;
}

static int bad_field(srv_req *r, const char *field, const char *what)
{
	return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", field, "%s: %s", field, what);
}

/* A whole number member in [lo, hi]; absent: def (required: an error). */
static int int_member(srv_req *r, const cJSON *o, const char *name, bool required, int64_t lo,
                      int64_t hi, int64_t def, int64_t *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	double v;

	*out = def;
	if (!m || cJSON_IsNull(m))
		return required ? bad_field(r, name, "is required") : LMS_OK;
	v = cJSON_IsNumber(m) ? m->valuedouble : NAN;
	if (!(v >= (double)lo && v <= (double)hi) || v != floor(v))
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a whole number from %lld to %lld", name, (long long)lo,
		                   (long long)hi);
	*out = (int64_t)v;
	return LMS_OK;
}

static int num_member(srv_req *r, const cJSON *o, const char *name, bool required, double lo,
                      double hi, double def, double *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = def;
	if (!m || cJSON_IsNull(m))
		return required ? bad_field(r, name, "is required") : LMS_OK;
	if (!cJSON_IsNumber(m) || !(m->valuedouble >= lo && m->valuedouble <= hi))
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a number from %g to %g", name, lo, hi);
	*out = m->valuedouble;
	return LMS_OK;
}

/* An optional string member of at most max bytes ("" is absent); copied into the arena. */
static int str_member(srv_req *r, const cJSON *o, const char *name, size_t max, const char **out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = NULL;
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsString(m) || strlen(m->valuestring) > max)
		return bad_field(r, name, "text, not too long");
	if (*m->valuestring)
		*out = lms_arena_strdup(r->arena, m->valuestring);
	return LMS_OK;
}

static int code_member(srv_req *r, const cJSON *o, const char *name, const char **out)
{
	if (str_member(r, o, name, 32, out) < 0)
		return r->err.rc;
	if (!*out || lms_check_code(name, *out, &r->err) < 0)
		return bad_field(r, name, "give a code");
	return LMS_OK;
}

static int64_t now_us(const srv_req *r)
{
	return lms_now(r->app->clock);
}

/* Reads the JSON body; on failure the problem was sent and its status is returned. */
static int body_of(srv_req *r, cJSON **body)
{
	return srv_read_json(r, body);
}

/* ---- who may do what --------------------------------------------------------------------- */

typedef struct who {
	bool admin;
	lms_scope trainer, hr; /* n_roots 0 when the role is not held */
} who;

static void who_of(srv_req *r, who *w)
{
	const lms_user *u = &r->who.user;
	lms_err e;

	memset(w, 0, sizeof(*w));
	w->admin = lms_user_has_role(u, LMS_ROLE_ADMIN);
	if (lms_user_has_role(u, LMS_ROLE_TRAINER))
		(void)lms_user_scope(u, ROLE(LMS_ROLE_TRAINER), r->arena, &w->trainer, &e);
	if (lms_user_has_role(u, LMS_ROLE_HR_OFFICER))
		(void)lms_user_scope(u, ROLE(LMS_ROLE_HR_OFFICER), r->arena, &w->hr, &e);
}

static int forbidden(srv_req *r, const char *why)
{
	return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL, "%s", why);
}

/* Is unit code inside scope? */
static int unit_in(srv_req *r, const char *code, const lms_scope *scope, bool *in)
{
	lms_unit u;

	*in = false;
	if (scope->all)
		return (*in = true), LMS_OK;
	if (!scope->n_roots)
		return LMS_OK;
	if (r->store->ops->unit_find(r->store, code, r->arena, &u, &r->err) < 0)
		return r->err.rc == LMS_ENOTFOUND ? (lms_err_clear(&r->err), LMS_OK) : r->err.rc;
	return r->store->ops->unit_within(r->store, u.id, scope, in, &r->err);
}

static int may_manage_unit(srv_req *r, const who *w, const char *unit_code, bool *ok)
{
	*ok = w->admin;
	if (*ok)
		return LMS_OK;
	return unit_in(r, unit_code, &w->trainer, ok);
}

/* Loads assessment code for a trainer of its unit (or an admin); LMS_EFORBIDDEN otherwise. */
static int load_managed(srv_req *r, const who *w, const char *code, lms_assessment *as)
{
	bool ok = false;

	if (!w->admin && !w->trainer.n_roots)
		return forbidden(r, "assessments are managed by trainers and administrators");
	if (OPS(r)->get(r->store, code, r->arena, as, &r->err) < 0 ||
	    may_manage_unit(r, w, as->unit_code, &ok) < 0)
		return r->err.rc;
	if (!ok)
		return forbidden(r, "this assessment belongs to a unit outside your reach");
	return LMS_OK;
}

/* Loads assessment code for reading results: its trainers and admins at any time, HR
 * officers once the results are published (their subtree only: *scope). */
static int load_for_results(srv_req *r, const who *w, const char *code, lms_assessment *as,
                            const lms_scope **scope, bool *manager)
{
	static const lms_scope all = { true, NULL, 0 };
	bool ok = false;

	*manager = false;
	if (!w->admin && !w->trainer.n_roots && !w->hr.n_roots)
		return forbidden(r, "results are for trainers, HR officers and administrators");
	if (OPS(r)->get(r->store, code, r->arena, as, &r->err) < 0 ||
	    may_manage_unit(r, w, as->unit_code, &ok) < 0)
		return r->err.rc;
	if (ok) {
		*manager = true;
		*scope = &all;
		return LMS_OK;
	}
	if (!w->hr.n_roots)
		return forbidden(r, "this assessment belongs to a unit outside your reach");
	if (!as->published_us)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "not_published", NULL,
		                   "the results of this assessment are not published yet");
	*scope = &w->hr;
	return LMS_OK;
}

static bool is_learner(srv_req *r)
{
	return lms_user_has_role(&r->who.user, LMS_ROLE_LEARNER);
}

/* ---- JSON of an assessment ---------------------------------------------------------------- */

/* The JSON of an assessment and of a result row live in assess_json.c (srv_as_json,
 * srv_as_result_json), shared with `parlearn assessment show|results`: add members there. */
static cJSON *json_assessment(const lms_assessment *as, bool detail)
{
	return srv_as_json(as, detail);
}

/* ---- reading a definition (assess_json.c, shared with the CLI) ---------------------------- */

/* The definition in body (the code too when create). unit defaults to the trainer's first
 * unit; it must lie in the caller's reach. */
static int parse_def(srv_req *r, const who *w, const cJSON *b, bool create, lms_assessment *as)
{
	const lms_role *role = lms_user_role(&r->who.user, LMS_ROLE_TRAINER);
	bool ok;

	if (srv_as_def_parse(b, create, role ? role->unit_code : NULL, r->arena, as, &r->err) < 0 ||
	    may_manage_unit(r, w, as->unit_code, &ok) < 0)
		return r->err.rc;
	if (!ok)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", "unit",
		                   "unit: the organising unit must lie in your reach");
	return LMS_OK;
}

/* ---- trainers ---------------------------------------------------------------------------- */

int h_assessments_list(srv_req *r)
{
	lms_assessment *list = NULL;
	cJSON *o, *arr;
	size_t n = 0, i;
	bool hr_only;
	who w;

	who_of(r, &w);
	if (!w.admin && !w.trainer.n_roots && !w.hr.n_roots) {
		forbidden(r, "assessments are for trainers, HR officers and administrators");
		return srv_reply_error(r);
	}
	/* trainers: those of their units; HR officers: every published one (its results are
	 * theirs to read for their own units only) */
	hr_only = !w.admin && !w.trainer.n_roots;
	if (w.admin || hr_only)
		w.trainer.all = true;
	if (OPS(r)->list(r->store, &w.trainer, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "assessments");
	for (i = 0; i < n; i++)
		if (!hr_only || list[i].published_us)
			cJSON_AddItemToArray(arr, json_assessment(&list[i], false));
	return srv_reply_json(r, 200, o, NULL);
}

static int reply_detail(srv_req *r, int status, const char *code)
{
	lms_assessment as;

	if (OPS(r)->get(r->store, code, r->arena, &as, &r->err) < 0)
		return srv_reply_error(r);
	return srv_reply_json(r, status, json_assessment(&as, true), NULL);
}

int h_assessment_create(srv_req *r)
{
	lms_assessment as;
	cJSON *body = NULL;
	int64_t id;
	int status;
	who w;

	who_of(r, &w);
	if (!w.admin && !w.trainer.n_roots) {
		forbidden(r, "assessments are made by trainers and administrators");
		return srv_reply_error(r);
	}
	if ((status = body_of(r, &body)) != 0)
		return status;
	memset(&as, 0, sizeof(as));
	if (parse_def(r, &w, body, true, &as) < 0 ||
	    OPS(r)->create(r->store, &as, r->who.user.username, &id, &r->err) < 0) {
		cJSON_Delete(body);
		return srv_reply_error(r);
	}
	cJSON_Delete(body);
	return reply_detail(r, 201, as.code);
}

int h_assessment_detail(srv_req *r)
{
	lms_assessment as;
	char code[40];
	who w;

	who_of(r, &w);
	if (query_code(r, "code", true, code, sizeof(code)) < 0 || load_managed(r, &w, code, &as) < 0)
		return srv_reply_error(r);
	return srv_reply_json(r, 200, json_assessment(&as, true), NULL);
}

int h_assessment_update(srv_req *r)
{
	lms_assessment old, as;
	cJSON *body = NULL;
	int64_t rev;
	int status;
	who w;

	who_of(r, &w);
	if ((status = body_of(r, &body)) != 0)
		return status;
	memset(&as, 0, sizeof(as));
	if (code_member(r, body, "code", &as.code) < 0 ||
	    int_member(r, body, "rev", true, 1, INT64_C(1) << 50, 0, &rev) < 0 ||
	    load_managed(r, &w, as.code, &old) < 0 || parse_def(r, &w, body, false, &as) < 0)
		goto fail;
	as.id = old.id;
	if (OPS(r)->update(r->store, &as, rev, r->who.user.username, &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	return reply_detail(r, 200, as.code);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

/* A body {code} of an assessment the caller manages. */
static int managed_from_body(srv_req *r, const who *w, cJSON **body, lms_assessment *as)
{
	const char *code;
	int status;

	if ((status = body_of(r, body)) != 0)
		return status;
	if (code_member(r, *body, "code", &code) < 0 || load_managed(r, w, code, as) < 0)
		return -1;
	return 0;
}

static int set_status(srv_req *r, lms_as_status from, lms_as_status to)
{
	lms_assessment as;
	cJSON *body = NULL;
	int status;
	who w;

	who_of(r, &w);
	if ((status = managed_from_body(r, &w, &body, &as)) > 0)
		return status;
	cJSON_Delete(body);
	if (status < 0)
		return srv_reply_error(r);
	if (as.status != from)
		return srv_reply_problem(r, 409, from == LMS_AS_DRAFT ? "not_draft" : "not_open",
		                         from == LMS_AS_DRAFT ? "only a draft is opened"
		                                              : "only an open assessment is closed",
		                         NULL, NULL);
	/* a paper the bank cannot fill would refuse every learner: said now, to the trainer */
	if (to == LMS_AS_OPEN && lms_as_check_bank(r->store, &as.def, &r->err) < 0)
		return srv_reply_error(r);
	if (OPS(r)->set_status(r->store, as.id, from, to, r->who.user.username, now_us(r), &r->err) < 0)
		return srv_reply_error(r);
	LMS_INFO("assessment %s %s by %s", as.code, lms_as_status_name(to), r->who.user.username);
	return reply_detail(r, 200, as.code);
}

int h_assessment_open(srv_req *r)
{
	return set_status(r, LMS_AS_DRAFT, LMS_AS_OPEN);
}

int h_assessment_close(srv_req *r)
{
	return set_status(r, LMS_AS_OPEN, LMS_AS_CLOSED);
}

int h_assessment_grant(srv_req *r)
{
	lms_assessment as;
	cJSON *body = NULL;
	const char *user = NULL, *reason = NULL;
	int status;
	who w;

	who_of(r, &w);
	if ((status = managed_from_body(r, &w, &body, &as)) > 0)
		return status;
	if (status < 0 || str_member(r, body, "username", 64, &user) < 0 ||
	    str_member(r, body, "reason", LMS_AS_MAX_REASON * 4, &reason) < 0)
		goto fail;
	if (!user) {
		bad_field(r, "username", "is required");
		goto fail;
	}
	if (!reason || lms_check_text("reason", reason, LMS_AS_MAX_REASON, &r->err) < 0) {
		bad_field(r, "reason", "say why another attempt is given (1 to 500 characters)");
		goto fail;
	}
	if (OPS(r)->grant(r->store, as.id, user, reason, r->who.user.username, &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	return reply_detail(r, 200, as.code);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

int h_assessment_publish(srv_req *r)
{
	lms_assessment as;
	cJSON *body = NULL;
	int status, issued = 0;
	lms_err e;
	who w;

	who_of(r, &w);
	if ((status = managed_from_body(r, &w, &body, &as)) > 0)
		return status;
	cJSON_Delete(body);
	if (status < 0 || OPS(r)->publish(r->store, as.id, r->who.user.username, now_us(r), &r->err) < 0)
		return srv_reply_error(r);
	/* the certificates of those who passed, now that they may know */
	lms_err_clear(&e);
	if (lms_as_certs_issue_pending(r->store, 5000, getenv("PARLEARN_CERT_ISSUER"),
	                               r->app->public_url, now_us(r), &issued, &e) < 0)
		LMS_WARN("exam certificates: %s", e.msg);
	return reply_detail(r, 200, as.code);
}

int h_assessment_essays(srv_req *r)
{
	lms_assessment as;
	lms_as_essay *list = NULL;
	char code[40];
	size_t n = 0, i;
	cJSON *o, *arr;
	who w;

	who_of(r, &w);
	if (query_code(r, "code", true, code, sizeof(code)) < 0 || load_managed(r, &w, code, &as) < 0 ||
	    OPS(r)->essays(r->store, as.id, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "essays");
	for (i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "attempt", (double)list[i].attempt_id);
		cJSON_AddNumberToObject(x, "slot", list[i].slot_no);
		cJSON_AddStringToObject(x, "learner", list[i].learner_name);
		srv_json_str(x, "employee_code", list[i].employee_code);
		cJSON_AddNumberToObject(x, "points", list[i].points);
		cJSON_AddItemToObject(x, "question", cJSON_CreateRaw(list[i].shown));
		cJSON_AddItemToObject(x, "answer", list[i].answer ? cJSON_CreateRaw(list[i].answer)
		                                                  : cJSON_CreateNull());
		cJSON_AddBoolToObject(x, "graded", list[i].graded);
		if (list[i].graded) {
			cJSON_AddNumberToObject(x, "given", list[i].given);
			srv_json_str(x, "comment", list[i].comment);
		}
		cJSON_AddItemToArray(arr, x);
	}
	return srv_reply_json(r, 200, o, NULL);
}

int h_assessment_grade(srv_req *r)
{
	lms_assessment as;
	cJSON *body = NULL, *o;
	const char *comment = NULL;
	int64_t attempt, slot;
	double points;
	int status;
	who w;

	who_of(r, &w);
	if ((status = managed_from_body(r, &w, &body, &as)) > 0)
		return status;
	if (status < 0 || int_member(r, body, "attempt", true, 1, INT64_C(1) << 53, 0, &attempt) < 0 ||
	    int_member(r, body, "slot", true, 0, LMS_AS_MAX_SLOTS - 1, 0, &slot) < 0 ||
	    num_member(r, body, "points", true, 0, 1000, 0, &points) < 0 ||
	    str_member(r, body, "comment", LMS_AS_MAX_COMMENT * 4, &comment) < 0 ||
	    lms_as_grade_essay(r->store, as.id, attempt, (int)slot, points, comment,
	                       r->who.user.username, now_us(r), &r->err) < 0) {
		cJSON_Delete(body);
		return srv_reply_error(r);
	}
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "graded", true);
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- results, ranking, audit -------------------------------------------------------------- */

static cJSON *json_result(const lms_as_result_row *x)
{
	return srv_as_result_json(x);
}

int h_assessment_results(srv_req *r)
{
	lms_assessment as;
	lms_as_result_row *rows = NULL;
	const lms_scope *scope = NULL;
	lms_scope sub;
	int64_t sub_root;
	char code[40], unit[40];
	size_t n = 0, i;
	bool manager;
	cJSON *o, *arr;
	who w;

	who_of(r, &w);
	if (query_code(r, "code", true, code, sizeof(code)) < 0 ||
	    query_code(r, "unit", false, unit, sizeof(unit)) < 0 ||
	    load_for_results(r, &w, code, &as, &scope, &manager) < 0)
		return srv_reply_error(r);
	if (unit[0]) {
		lms_unit u;
		bool in = false;
		if (unit_in(r, unit, scope, &in) < 0)
			return srv_reply_error(r);
		if (!in) {
			forbidden(r, "this unit is outside your reach");
			return srv_reply_error(r);
		}
		if (r->store->ops->unit_find(r->store, unit, r->arena, &u, &r->err) < 0)
			return srv_reply_error(r);
		sub.all = false;
		sub.n_roots = 1;
		sub_root = u.id;
		sub.roots = &sub_root;
		scope = &sub;
	}
	if (lms_as_results(r->store, &as, scope, r->arena, &rows, &n, &r->err) < 0)
		return srv_reply_error(r);
	srv_as_results_sort(rows, n);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "assessment", json_assessment(&as, false));
	cJSON_AddBoolToObject(o, "manager", manager);
	arr = cJSON_AddArrayToObject(o, "results");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, json_result(&rows[i]));
	return srv_reply_json(r, 200, o, NULL);
}

/* One attempt for an audit: its paper as shown, the answers kept, the grades, the events. */
int h_assessment_attempt(srv_req *r)
{
	lms_as_attempt at;
	lms_assessment as;
	lms_as_event_row *ev = NULL;
	const lms_scope *scope = NULL;
	size_t n = 0, i;
	int64_t id;
	bool manager, in = true;
	cJSON *o, *slots, *events;
	who w;

	who_of(r, &w);
	if (query_id(r, "id", &id) < 0 ||
	    OPS(r)->attempt_get(r->store, id, 0, r->arena, &at, &r->err) < 0 ||
	    load_for_results(r, &w, at.code, &as, &scope, &manager) < 0)
		return srv_reply_error(r);
	if (!manager && (!at.unit_code || unit_in(r, at.unit_code, scope, &in) < 0 || !in)) {
		lms_err_set(&r->err, LMS_ENOTFOUND, "not_found", "id", "no attempt %lld in your units",
		            (long long)id);
		return srv_reply_error(r);
	}
	if (OPS(r)->events(r->store, id, r->arena, &ev, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "attempt", (double)at.id);
	cJSON_AddStringToObject(o, "code", at.code);
	cJSON_AddNumberToObject(o, "attempt_no", at.attempt_no);
	cJSON_AddStringToObject(o, "learner", at.learner_name ? at.learner_name : "");
	srv_json_str(o, "employee_code", at.employee_code);
	srv_json_str(o, "unit_code", at.unit_code);
	{
		char seed[24];
		snprintf(seed, sizeof(seed), "%016llx", (unsigned long long)at.seed);
		cJSON_AddStringToObject(o, "seed", seed);
	}
	srv_json_time_ms(o, "started_at", at.started_us);
	srv_json_time_ms(o, "deadline_at", at.deadline_us);
	srv_json_time_ms(o, "submitted_at", at.submitted_us);
	srv_json_str(o, "submitted_by", at.submitted_by);
	cJSON_AddNumberToObject(o, "saves", (double)at.rev);
	if (at.graded) {
		cJSON_AddNumberToObject(o, "score", at.score);
		cJSON_AddNumberToObject(o, "max_score", at.max_score);
		cJSON_AddNumberToObject(o, "fraction", at.fraction);
		cJSON_AddBoolToObject(o, "waiting_for_grading", at.needs_manual);
		if (!at.needs_manual)
			cJSON_AddBoolToObject(o, "passed", at.passed);
	}
	slots = cJSON_AddArrayToObject(o, "slots");
	for (i = 0; i < at.n_slots; i++) {
		const lms_as_slot_row *s = &at.slots[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "slot", s->slot_no);
		cJSON_AddNumberToObject(x, "question_id", (double)s->question_id);
		cJSON_AddNumberToObject(x, "version_id", (double)s->version_id);
		cJSON_AddNumberToObject(x, "points", s->points);
		cJSON_AddItemToObject(x, "question", cJSON_CreateRaw(s->shown));
		cJSON_AddItemToObject(x, "answer", s->answer ? cJSON_CreateRaw(s->answer) : cJSON_CreateNull());
		cJSON_AddNumberToObject(x, "rev", (double)s->rev);
		srv_json_time_ms(x, "saved_at", s->saved_us);
		if (s->has_result) {
			cJSON_AddNumberToObject(x, "earned", s->earned);
			cJSON_AddBoolToObject(x, "manual", s->manual_graded);
		}
		cJSON_AddItemToArray(slots, x);
	}
	events = cJSON_AddArrayToObject(o, "events");
	for (i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "kind", ev[i].kind);
		cJSON_AddStringToObject(x, "source", ev[i].source);
		srv_json_time_ms(x, "at", ev[i].at_us);
		cJSON_AddStringToObject(x, "detail", ev[i].detail ? ev[i].detail : "");
		srv_json_str(x, "client_at", ev[i].client_at);
		cJSON_AddItemToArray(events, x);
	}
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- item analysis ------------------------------------------------------------------------- */

typedef struct items {
	lms_assessment as;
	lms_ia_result *res;
	const char **labels, **types;
	int64_t *qids;
} items;

static int load_items(srv_req *r, items *x)
{
	char code[40];
	who w;

	who_of(r, &w);
	memset(x, 0, sizeof(*x));
	if (query_code(r, "code", true, code, sizeof(code)) < 0 || load_managed(r, &w, code, &x->as) < 0 ||
	    lms_as_items(r->store, x->as.id, r->arena, &x->res, &x->labels, &x->types, &x->qids,
	                 &r->err) < 0)
		return r->err.rc;
	return LMS_OK;
}

static void add_num(cJSON *o, const char *name, lms_ia_num v)
{
	if (lms_ia_defined(v)) {
		cJSON_AddNumberToObject(o, name, v.value);
	} else {
		char why[48];
		cJSON_AddNullToObject(o, name);
		snprintf(why, sizeof(why), "%s_why", name);
		cJSON_AddStringToObject(o, why, lms_ia_why_code(v.why));
	}
}

static cJSON *flag_list(unsigned flags)
{
	cJSON *a = cJSON_CreateArray();
	unsigned b;

	for (b = 0; b < LMS_IA_FLAG_COUNT; b++)
		if (flags & (1u << b))
			cJSON_AddItemToArray(a, cJSON_CreateString(lms_ia_flag_code(1u << b)));
	return a;
}

int h_assessment_items(srv_req *r)
{
	items x;
	cJSON *o, *t, *arr;
	size_t i, k;

	if (load_items(r, &x) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", x.as.code);
	t = cJSON_AddObjectToObject(o, "test");
	cJSON_AddNumberToObject(t, "n", (double)x.res->test.n);
	cJSON_AddBoolToObject(t, "same_paper", x.res->test.same_paper);
	cJSON_AddNumberToObject(t, "paper_items", (double)x.res->test.paper_items);
	cJSON_AddNumberToObject(t, "paper_max", x.res->test.paper_max);
	add_num(t, "mean", x.res->test.mean);
	add_num(t, "sd", x.res->test.sd);
	add_num(t, "alpha", x.res->test.alpha);
	cJSON_AddBoolToObject(t, "kr20", x.res->test.kr20);
	add_num(t, "sem", x.res->test.sem);
	arr = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < x.res->n_items; i++) {
		const lms_ia_item_stats *s = &x.res->items[i];
		cJSON *it = cJSON_CreateObject(), *opts;
		cJSON_AddNumberToObject(it, "question_id", (double)x.qids[i]);
		cJSON_AddStringToObject(it, "name", x.labels[i] ? x.labels[i] : "");
		cJSON_AddStringToObject(it, "type", x.types[i]);
		cJSON_AddNumberToObject(it, "n", (double)s->n);
		add_num(it, "facility", s->facility);
		add_num(it, "sd", s->sd);
		add_num(it, "discrimination", s->discrimination);
		add_num(it, "item_rest_r", s->item_rest_r);
		cJSON_AddItemToObject(it, "flags", flag_list(s->flags));
		opts = cJSON_AddArrayToObject(it, "options");
		for (k = 0; k < s->n_options; k++) {
			cJSON *op = cJSON_CreateObject();
			cJSON_AddNumberToObject(op, "count", (double)s->options[k].count);
			cJSON_AddNumberToObject(op, "upper", (double)s->options[k].upper);
			cJSON_AddNumberToObject(op, "lower", (double)s->options[k].lower);
			cJSON_AddItemToArray(opts, op);
		}
		if (s->n_options)
			cJSON_AddNumberToObject(it, "no_choice", (double)s->no_choice.count);
		cJSON_AddItemToArray(arr, it);
	}
	lms_ia_result_free(x.res);
	return srv_reply_json(r, 200, o, NULL);
}

int h_assessment_items_csv(srv_req *r)
{
	char extra[160];
	const char *csv;
	items x;

	if (load_items(r, &x) < 0)
		return srv_reply_error(r);
	csv = srv_as_items_csv(r->arena, &x.as, x.res, x.labels, x.types, x.qids);
	lms_ia_result_free(x.res);
	snprintf(extra, sizeof(extra),
	         "Content-Disposition: attachment; filename=\"phan-tich-cau-hoi-%s.csv\"\r\n", x.as.code);
	return srv_reply_bytes(r, 200, "text/csv; charset=utf-8", csv, strlen(csv), extra);
}

/* ---- the talent pool ------------------------------------------------------------------------ */

static cJSON *json_pool(const lms_as_pool_row *x)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "id", (double)x->id);
	cJSON_AddNumberToObject(o, "attempt", (double)x->attempt_id);
	cJSON_AddStringToObject(o, "code", x->assessment_code);
	cJSON_AddStringToObject(o, "title", x->assessment_title);
	cJSON_AddStringToObject(o, "employee_code", x->employee_code);
	cJSON_AddStringToObject(o, "learner", x->learner_name);
	cJSON_AddStringToObject(o, "unit_code", x->unit_code);
	cJSON_AddStringToObject(o, "unit_name", x->unit_name);
	cJSON_AddStringToObject(o, "track", x->track);
	cJSON_AddNumberToObject(o, "rank", x->rank);
	cJSON_AddNumberToObject(o, "score", x->score);
	cJSON_AddStringToObject(o, "proposed_by", x->proposed_by);
	srv_json_time_ms(o, "proposed_at", x->proposed_us);
	cJSON_AddStringToObject(o, "status", x->status);
	srv_json_str(o, "decided_by", x->decided_by);
	srv_json_time_ms(o, "decided_at", x->decided_us);
	srv_json_str(o, "note", x->note);
	return o;
}

int h_talent_pool_list(srv_req *r)
{
	static const lms_scope all = { true, NULL, 0 };
	lms_assessment as;
	lms_as_pool_row *rows = NULL;
	const lms_scope *scope = NULL;
	char code[40];
	size_t n = 0, i;
	int64_t id = 0;
	bool manager = false;
	cJSON *o, *arr;
	who w;

	who_of(r, &w);
	if (query_code(r, "code", false, code, sizeof(code)) < 0)
		return srv_reply_error(r);
	if (!w.admin && code[0] && w.trainer.n_roots) {
		manager = load_managed(r, &w, code, &as) == 0;
		lms_err_clear(&r->err);
	}
	if (w.admin || manager) {
		scope = &all;
	} else if (w.hr.n_roots) {
		scope = &w.hr;
	} else if (w.trainer.n_roots) {
		scope = &w.trainer; /* without an exam of theirs: the people of their reach */
	} else {
		forbidden(r, "the talent pool is for the exam's trainers, HR officers and administrators");
		return srv_reply_error(r);
	}
	if (code[0]) {
		if (OPS(r)->get(r->store, code, r->arena, &as, &r->err) < 0)
			return srv_reply_error(r);
		id = as.id;
	}
	if (OPS(r)->pool_list(r->store, id, scope, r->arena, &rows, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "entries");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, json_pool(&rows[i]));
	return srv_reply_json(r, 200, o, NULL);
}

int h_talent_pool_propose(srv_req *r)
{
	lms_assessment as;
	lms_as_result_row *rows = NULL;
	cJSON *body = NULL;
	const char *track = NULL;
	int64_t attempt;
	size_t n = 0, i;
	int status;
	who w;

	who_of(r, &w);
	if ((status = managed_from_body(r, &w, &body, &as)) > 0)
		return status;
	if (status < 0 || int_member(r, body, "attempt", true, 1, INT64_C(1) << 53, 0, &attempt) < 0 ||
	    str_member(r, body, "track", 8, &track) < 0)
		goto fail;
	if (!track || (strcmp(track, "leader") != 0 && strcmp(track, "expert") != 0)) {
		bad_field(r, "track", "\"leader\" or \"expert\"");
		goto fail;
	}
	if (as.def.kind != LMS_AS_EXAM || !as.published_us) {
		lms_err_set(&r->err, LMS_ECONFLICT, "not_published", NULL,
		            "people are proposed from the ranking of an exam whose results are published");
		goto fail;
	}
	/* the rank and the score are the server's, from its own ranking */
	if (lms_as_results(r->store, &as, NULL, r->arena, &rows, &n, &r->err) < 0)
		goto fail;
	for (i = 0; i < n && rows[i].attempt_id != attempt; i++)
		;
	if (i == n || !rows[i].rank) {
		lms_err_set(&r->err, LMS_EINVAL, "not_ranked", "attempt",
		            "attempt: not a ranked result of this exam (each person's best final result)");
		goto fail;
	}
	if (OPS(r)->pool_propose(r->store, as.id, attempt, track, rows[i].rank, rows[i].fraction,
	                         r->who.user.username, &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	{
		cJSON *o = cJSON_CreateObject();
		cJSON_AddBoolToObject(o, "proposed", true);
		cJSON_AddNumberToObject(o, "rank", rows[i].rank);
		return srv_reply_json(r, 201, o, NULL);
	}
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

int h_talent_pool_decide(srv_req *r)
{
	static const lms_scope all = { true, NULL, 0 };
	cJSON *body = NULL, *o;
	const char *note = NULL;
	int64_t id;
	bool approve = false;
	const cJSON *ap;
	int status;
	who w;

	who_of(r, &w);
	if (!w.admin && !w.hr.n_roots) {
		forbidden(r, "the talent pool is approved by HR officers");
		return srv_reply_error(r);
	}
	if ((status = body_of(r, &body)) != 0)
		return status;
	ap = cJSON_GetObjectItemCaseSensitive(body, "approve");
	if (int_member(r, body, "id", true, 1, INT64_C(1) << 53, 0, &id) < 0 ||
	    str_member(r, body, "note", LMS_AS_MAX_REASON * 4, &note) < 0)
		goto fail;
	if (!cJSON_IsBool(ap)) {
		bad_field(r, "approve", "true (approve) or false (reject)");
		goto fail;
	}
	approve = cJSON_IsTrue(ap);
	if (note && lms_check_text("note", note, LMS_AS_MAX_REASON, &r->err) < 0)
		goto fail;
	if (!approve && !note) {
		bad_field(r, "note", "say why the entry is rejected");
		goto fail;
	}
	if (OPS(r)->pool_decide(r->store, id, approve, note, r->who.user.username,
	                        w.admin ? &all : &w.hr, now_us(r), &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", approve ? "approved" : "rejected");
	cJSON_AddStringToObject(o, "decided_by", r->who.user.username);
	srv_json_time_ms(o, "decided_at", now_us(r));
	return srv_reply_json(r, 200, o, NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

/* ---- learners ---------------------------------------------------------------------------- */

static int learner_only(srv_req *r)
{
	if (!is_learner(r))
		return forbidden(r, "quizzes and exams are taken by learners");
	return LMS_OK;
}

/* The answer as the browser sends it, in the positions it was shown (answer_json.c, the
 * code tests/fuzz/fuzz_answer.c fuzzes). */
static int parse_response(srv_req *r, const cJSON *m, lms_response *out)
{
	return srv_response_parse(m, r->arena, out, &r->err);
}

static bool may_start_now(const lms_as_mine *m, int64_t now)
{
	if (m->status != LMS_AS_OPEN || !m->eligible || m->open_attempt_id)
		return false;
	if ((m->def.opens_us && now < m->def.opens_us) || (m->def.closes_us && now >= m->def.closes_us))
		return false;
	return !m->def.max_attempts || m->used < m->def.max_attempts + m->granted;
}

int h_my_assessments(srv_req *r)
{
	lms_as_mine *list = NULL;
	size_t n = 0, i;
	int64_t now = now_us(r);
	cJSON *o, *arr;

	if (learner_only(r) < 0 ||
	    OPS(r)->mine(r->store, r->who.user.id, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "server_now_ms", (double)(now / 1000));
	arr = cJSON_AddArrayToObject(o, "assessments");
	for (i = 0; i < n; i++) {
		const lms_as_mine *m = &list[i];
		cJSON *x = cJSON_CreateObject();
		bool score = m->last_attempt_id &&
		             lms_as_may_see(&m->def, m->def.show_score, now, m->published);

		cJSON_AddStringToObject(x, "code", m->code);
		cJSON_AddStringToObject(x, "kind", lms_as_kind_name(m->def.kind));
		cJSON_AddStringToObject(x, "title", m->title);
		cJSON_AddStringToObject(x, "description", m->description ? m->description : "");
		cJSON_AddStringToObject(x, "status", lms_as_status_name(m->status));
		srv_json_str(x, "course", m->course_code);
		srv_json_time_ms(x, "opens_at", m->def.opens_us);
		srv_json_time_ms(x, "closes_at", m->def.closes_us);
		cJSON_AddNumberToObject(x, "time_limit_s", (double)(m->def.time_limit_us / LMS_SECOND_US));
		cJSON_AddNumberToObject(x, "attempts_used", m->used);
		cJSON_AddNumberToObject(x, "attempts_allowed",
		                        m->def.max_attempts ? m->def.max_attempts + m->granted : 0);
		if (m->open_attempt_id) {
			cJSON_AddNumberToObject(x, "open_attempt", (double)m->open_attempt_id);
			srv_json_time_ms(x, "open_deadline_at", m->open_deadline_us);
		} else {
			cJSON_AddNullToObject(x, "open_attempt");
		}
		if (m->last_attempt_id)
			cJSON_AddNumberToObject(x, "last_attempt", (double)m->last_attempt_id);
		else
			cJSON_AddNullToObject(x, "last_attempt");
		cJSON_AddBoolToObject(x, "can_start", may_start_now(m, now));
		cJSON_AddBoolToObject(x, "published", m->published);
		if (score && m->last_graded) {
			cJSON *res = cJSON_AddObjectToObject(x, "result");
			cJSON_AddNumberToObject(res, "fraction", m->last_fraction);
			if (m->last_needs_manual)
				cJSON_AddNullToObject(res, "passed");
			else
				cJSON_AddBoolToObject(res, "passed", m->last_passed);
			cJSON_AddBoolToObject(res, "waiting_for_grading", m->last_needs_manual);
			if (m->def.kind == LMS_AS_QUIZ)
				cJSON_AddNumberToObject(res, "final_fraction", m->final_fraction);
		} else {
			cJSON_AddNullToObject(x, "result");
		}
		cJSON_AddItemToArray(arr, x);
	}
	return srv_reply_json(r, 200, o, NULL);
}

int h_my_assessment_start(srv_req *r)
{
	cJSON *body = NULL, *o;
	const char *code = NULL;
	int64_t id = 0;
	bool resumed = false;
	int status;

	if (learner_only(r) < 0)
		return srv_reply_error(r);
	if ((status = body_of(r, &body)) != 0)
		return status;
	if (code_member(r, body, "code", &code) < 0 ||
	    lms_as_start(r->store, code, &r->who.user, now_us(r), r->arena, &id, &resumed, &r->err) < 0) {
		cJSON_Delete(body);
		return srv_reply_error(r);
	}
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "attempt", (double)id);
	cJSON_AddBoolToObject(o, "resumed", resumed);
	return srv_reply_json(r, resumed ? 200 : 201, o, NULL);
}

/* The attempt's times: the page's timer counts from deadline_ms - server_now_ms, never from
 * the browser's own clock. */
static void add_clock(cJSON *o, const lms_as_attempt *at, int64_t now)
{
	cJSON_AddNumberToObject(o, "server_now_ms", (double)(now / 1000));
	if (at->deadline_us)
		cJSON_AddNumberToObject(o, "deadline_ms", (double)(at->deadline_us / 1000));
	else
		cJSON_AddNullToObject(o, "deadline_ms");
}

int h_my_attempt(srv_req *r)
{
	lms_as_attempt at;
	char device[72];
	int64_t id, now = now_us(r);
	size_t i;
	cJSON *o, *qs;

	if (learner_only(r) < 0 || query_id(r, "id", &id) < 0 ||
	    query_var(r, "device", device, sizeof(device)) < 0)
		return srv_reply_error(r);
	if (device[0] && (strlen(device) < 8 || strlen(device) > 64 ||
	                  strspn(device, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
	                      strlen(device))) {
		bad_field(r, "device", "8 to 64 letters, digits, _ or -");
		return srv_reply_error(r);
	}
	if (lms_as_attempt_load(r->store, id, r->who.user.id, device, r->who.session.id, now,
	                        r->arena, &at, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "attempt", (double)at.id);
	cJSON_AddStringToObject(o, "code", at.code);
	cJSON_AddStringToObject(o, "title", at.title);
	cJSON_AddStringToObject(o, "kind", lms_as_kind_name(at.def.kind));
	cJSON_AddNumberToObject(o, "attempt_no", at.attempt_no);
	srv_json_time_ms(o, "started_at", at.started_us);
	srv_json_time_ms(o, "deadline_at", at.deadline_us);
	add_clock(o, &at, now);
	cJSON_AddBoolToObject(o, "open", at.submitted_us == 0);
	srv_json_time_ms(o, "submitted_at", at.submitted_us);
	srv_json_str(o, "submitted_by", at.submitted_by);
	qs = cJSON_AddArrayToObject(o, "questions");
	for (i = 0; i < at.n_slots; i++) {
		const lms_as_slot_row *s = &at.slots[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "slot", s->slot_no);
		cJSON_AddItemToObject(x, "question", cJSON_CreateRaw(s->shown));
		cJSON_AddItemToObject(x, "answer", s->answer ? cJSON_CreateRaw(s->answer) : cJSON_CreateNull());
		cJSON_AddNumberToObject(x, "rev", (double)s->rev);
		srv_json_time_ms(x, "saved_at", s->saved_us);
		cJSON_AddItemToArray(qs, x);
	}
	return srv_reply_json(r, 200, o, NULL);
}

int h_my_attempt_save(srv_req *r)
{
	lms_as_save_in in;
	lms_as_save_out out;
	lms_response shown;
	cJSON *body = NULL, *o;
	int64_t attempt, slot, rev;
	int status;

	if (learner_only(r) < 0)
		return srv_reply_error(r);
	if ((status = body_of(r, &body)) != 0)
		return status;
	memset(&in, 0, sizeof(in));
	/* only these members are read: a score, a time or a user id sent along is ignored */
	if (int_member(r, body, "attempt", true, 1, INT64_C(1) << 53, 0, &attempt) < 0 ||
	    int_member(r, body, "slot", true, 0, 100000, 0, &slot) < 0 ||
	    int_member(r, body, "rev", true, 1, INT64_C(1) << 53, 0, &rev) < 0 ||
	    parse_response(r, cJSON_GetObjectItemCaseSensitive(body, "response"), &shown) < 0)
		goto fail;
	in.attempt_id = attempt;
	in.user_id = r->who.user.id;
	in.session_id = r->who.session.id;
	in.slot_no = (int)slot;
	in.rev = rev;
	in.now_us = now_us(r);
	if (lms_as_save(r->store, &in, &shown, r->arena, &out, &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "slot", (double)slot);
	cJSON_AddNumberToObject(o, "rev", (double)out.rev);
	cJSON_AddBoolToObject(o, "stale", out.status == LMS_AS_SAVE_STALE);
	srv_json_time_ms(o, "saved_at", out.saved_us);
	cJSON_AddNumberToObject(o, "server_now_ms", (double)(in.now_us / 1000));
	if (out.deadline_us)
		cJSON_AddNumberToObject(o, "deadline_ms", (double)(out.deadline_us / 1000));
	else
		cJSON_AddNullToObject(o, "deadline_ms");
	return srv_reply_json(r, 200, o, NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

int h_my_attempt_event(srv_req *r)
{
	static const char *const kinds[] = { "focus_lost", "page_hidden", "reconnect", "offline",
		                             "reload", "copy", "paste" };
	cJSON *body = NULL, *o;
	const char *kind = NULL, *detail = NULL, *client_at = NULL;
	int64_t attempt;
	size_t i;
	int status;

	if (learner_only(r) < 0)
		return srv_reply_error(r);
	if ((status = body_of(r, &body)) != 0)
		return status;
	if (int_member(r, body, "attempt", true, 1, INT64_C(1) << 53, 0, &attempt) < 0 ||
	    str_member(r, body, "kind", 20, &kind) < 0 ||
	    str_member(r, body, "detail", LMS_AS_MAX_DETAIL, &detail) < 0 ||
	    str_member(r, body, "client_at", 40, &client_at) < 0)
		goto fail;
	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]) && strcmp(kind, kinds[i]) != 0; i++)
		;
	if (!kind || i == sizeof(kinds) / sizeof(kinds[0])) {
		bad_field(r, "kind", "focus_lost, page_hidden, reconnect, offline, reload, copy or paste");
		goto fail;
	}
	if ((detail && lms_check_text("detail", detail, LMS_AS_MAX_DETAIL, &r->err) < 0) ||
	    (client_at && lms_check_text("client_at", client_at, 40, &r->err) < 0))
		goto fail;
	if (OPS(r)->event(r->store, attempt, r->who.user.id, kind, "client", detail, client_at,
	                  r->who.session.id, now_us(r), &r->err) < 0)
		goto fail;
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "recorded", true);
	return srv_reply_json(r, 200, o, NULL);
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

int h_my_attempt_submit(srv_req *r)
{
	cJSON *body = NULL, *o;
	int64_t attempt;
	int status;

	if (learner_only(r) < 0)
		return srv_reply_error(r);
	if ((status = body_of(r, &body)) != 0)
		return status;
	if (int_member(r, body, "attempt", true, 1, INT64_C(1) << 53, 0, &attempt) < 0 ||
	    lms_as_submit(r->store, attempt, r->who.user.id, "learner", now_us(r), &r->err) < 0) {
		cJSON_Delete(body);
		return srv_reply_error(r);
	}
	cJSON_Delete(body);
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "submitted", true);
	return srv_reply_json(r, 200, o, NULL);
}

int h_my_attempt_review(srv_req *r)
{
	lms_as_attempt at;
	lms_jsonw w;
	int64_t id, now = now_us(r);
	const char *text;

	if (learner_only(r) < 0 || query_id(r, "id", &id) < 0 ||
	    lms_as_attempt_load(r->store, id, r->who.user.id, NULL, r->who.session.id, now, r->arena,
	                        &at, &r->err) < 0)
		return srv_reply_error(r);
	if (!at.submitted_us)
		return srv_reply_problem(r, 409, "attempt_open", "this attempt is still open: submit it first",
		                         NULL, NULL);
	lms_jsonw_init(&w, r->arena);
	if (lms_as_review_json(r->store, &at, now, r->arena, &w, &r->err) < 0)
		return srv_reply_error(r);
	text = lms_jsonw_text(&w);
	return srv_reply_bytes(r, 200, "application/json; charset=utf-8", text, strlen(text), NULL);
}

/* ---- housekeeping ---------------------------------------------------------------------------- */

void srv_exam_housekeep(lms_store *s, const srv_app *app)
{
	static unsigned long calls; /* the housekeeping thread's own: one caller */
	int64_t now = lms_now(app->clock);
	int done = 0, issued = 0;
	lms_err e;

	lms_err_clear(&e);
	if (lms_as_submit_due(s, now, 200, &done, &e) < 0)
		LMS_WARN("exams: the deadline pass failed: %s", e.msg);
	else if (done)
		LMS_INFO("exams: %d attempt(s) submitted by the server at their deadline", done);
	/* certificates are issued at publication; this pass (once a minute) catches the results
	 * that became final later (an essay graded after publication) */
	if (calls++ % 60 != 0)
		return;
	lms_err_clear(&e);
	if (lms_as_certs_issue_pending(s, 500, getenv("PARLEARN_CERT_ISSUER"), app->public_url, now,
	                               &issued, &e) < 0)
		LMS_WARN("exam certificates: %s", e.msg);
	else if (issued)
		LMS_INFO("exam certificates: %d issued", issued);
}

/* ---- files of a slot's question (images) ------------------------------------------------- */

/* GET /api/my/attempt/file?attempt=&slot=&name= — a file (an image) of the question version
 * fixed in a slot of the learner's own attempt, during the attempt and in the review
 * (assess_files.h decides which). Anyone else, another slot, another name: 404, the same
 * answer whether or not such a file exists. name is the text's reference after
 * "@@PLUGINFILE@@/", URL-decoded. The browser may keep the file for an hour (private). */
int h_my_attempt_file(srv_req *r)
{
	char name[LMS_QFILE_MAX_REF + 2], slot_s[8], *end;
	lms_qfile_row f;
	int64_t attempt;
	long slot;

	if (query_id(r, "attempt", &attempt) < 0)
		return srv_reply_error(r);
	if (query_var(r, "slot", slot_s, sizeof(slot_s)) <= 0 || !slot_s[0] ||
	    (slot = strtol(slot_s, &end, 10), *end) || slot < 0 || slot >= LMS_AS_MAX_SLOTS) {
		bad_field(r, "slot", "a slot of the paper, from 0");
		return srv_reply_error(r);
	}
	if (query_var(r, "name", name, sizeof(name)) < 0 ||
	    lms_as_attempt_file(r->store, attempt, r->who.user.id, (int)slot, name, now_us(r),
	                        r->arena, &f, &r->err) < 0)
		return srv_reply_error(r);
	return srv_reply_qfile(r, &f, 3600);
}
