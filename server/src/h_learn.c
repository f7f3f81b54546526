/* h_learn.c — the learner's endpoints: catalogue, enrolment, my courses, a course page,
 * launching, and the sessions behind a learner's time (docs/player-api.md). A learner sees
 * only their own enrolments; HR officers and admins may read another learner's time within
 * their unit scope.
 */
#include "http.h"
#include "json_out.h"

#include "lms/assess_store.h"
#include "lms/auth.h"
#include "lms/course.h"
#include "lms/course_quiz.h"
#include "lms/player.h"
#include "lms/validate.h"

#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLE(k) (1u << (k))
#define HEARTBEAT_S 30

static const char *enrol_status(const lms_enrolment *e)
{
	return e->completed_us ? "completed" : e->started_us ? "in_progress" : "enrolled";
}

static cJSON *json_enrolment(const lms_enrolment *e)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "course_code", e->course_code);
	cJSON_AddStringToObject(o, "course_title", e->course_title);
	cJSON_AddNumberToObject(o, "version", e->version_no);
	cJSON_AddStringToObject(o, "kind", e->kind);
	cJSON_AddStringToObject(o, "source", e->source);
	cJSON_AddStringToObject(o, "status", enrol_status(e));
	srv_json_str(o, "due_at", e->due_at);
	srv_json_time(o, "enrolled_at", e->enrolled_us);
	srv_json_time(o, "started_at", e->started_us);
	srv_json_time(o, "completed_at", e->completed_us);
	cJSON_AddNumberToObject(o, "scos_total", e->scos_total);
	cJSON_AddNumberToObject(o, "scos_done", e->scos_done);
	if (e->has_score)
		cJSON_AddNumberToObject(o, "score", e->score);
	else
		cJSON_AddNullToObject(o, "score");
	if (e->passed < 0)
		cJSON_AddNullToObject(o, "passed");
	else
		cJSON_AddBoolToObject(o, "passed", e->passed);
	cJSON_AddNumberToObject(o, "active_s", (double)(e->active_us / LMS_SECOND_US));
	cJSON_AddNumberToObject(o, "minimum_time_s", (double)e->minimum_time_s);
	return o;
}

/* Reads ?name= as a course code; on failure fills r->err. */
static int query_code(srv_req *r, const char *name, char *out, size_t size)
{
	const char *qs = r->ri->query_string;

	if (!qs || mg_get_var(qs, strlen(qs), name, out, size) <= 0 ||
	    lms_check_code(name, out, &r->err) < 0)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: give a course code",
		                   name);
	return LMS_OK;
}

int h_catalogue(srv_req *r)
{
	lms_catalogue_entry *list;
	size_t n, i;
	cJSON *o, *arr;

	if (r->store->ops->catalogue(r->store, r->who.user.id, r->arena, &list, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "courses");
	for (i = 0; i < n; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "code", list[i].code);
		cJSON_AddStringToObject(c, "title", list[i].title);
		cJSON_AddStringToObject(c, "kind", list[i].kind);
		cJSON_AddNumberToObject(c, "version", list[i].version_no);
		srv_json_str(c, "par_area", list[i].par_area);
		srv_json_str(c, "audience", list[i].audience);
		cJSON_AddNumberToObject(c, "training_periods", list[i].training_periods);
		cJSON_AddNumberToObject(c, "expected_duration_s", (double)list[i].expected_duration_s);
		cJSON_AddNumberToObject(c, "minimum_time_s", (double)list[i].minimum_time_s);
		cJSON_AddBoolToObject(c, "enrolled", list[i].enrolled);
		cJSON_AddItemToArray(arr, c);
	}
	return srv_reply_json(r, 200, o, NULL);
}

int h_enrol(srv_req *r)
{
	cJSON *body;
	const char *code;
	lms_enrolment e;
	bool created;
	int status;

	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	if (srv_json_string(r, body, "course", true, 32, &code) < 0 ||
	    lms_check_code("course", code, &r->err) < 0 ||
	    r->store->ops->enrol(r->store, r->who.user.id, code, "self", NULL, NULL,
	                         lms_now(r->app->clock), r->arena, &e, &created, &r->err) < 0) {
		cJSON_Delete(body);
		return srv_reply_error(r);
	}
	cJSON_Delete(body);
	return srv_reply_json(r, created ? 201 : 200, json_enrolment(&e), NULL);
}

int h_my_courses(srv_req *r)
{
	lms_enrolment *list;
	size_t n, i;
	cJSON *o, *arr;

	if (r->store->ops->enrolment_list(r->store, r->who.user.id, NULL, r->arena, &list, &n,
	                                  &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "enrolments");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, json_enrolment(&list[i]));
	return srv_reply_json(r, 200, o, NULL);
}

/* The course's quizzes for the course page (docs/assessment.md, "Quizzes that count toward a
 * course"): each with whether it counts toward the course, the attempts, whether the learner
 * may start one now, and the result across attempts only when the quiz's review rules let the
 * learner see a score. *counting gets how many count. */
static int json_course_quizzes(srv_req *r, const char *code, cJSON *o, size_t *counting)
{
	const lms_assess_ops *as = r->store->ops->assess;
	int64_t now = lms_now(r->app->clock);
	lms_cq_quiz *q = NULL;
	size_t n = 0, i, j;
	cJSON *arr = cJSON_AddArrayToObject(o, "quizzes");

	*counting = 0;
	if (!as || !as->course_quizzes)
		return LMS_OK;
	if (as->course_quizzes(r->store, r->who.user.id, code, false, r->arena, &q, &n, &r->err) < 0)
		return r->err.rc;
	for (i = 0; i < n; i++) {
		const lms_cq_quiz *x = &q[i];
		lms_cq_verdict v;
		lms_err e;
		bool see = lms_as_may_see(&x->def, x->def.show_score, now, x->published_us != 0);
		bool waiting = false, any = false;
		double best = 0;
		cJSON *jq = cJSON_CreateObject();

		memset(&e, 0, sizeof(e));
		lms_cq_decide(x, &v);
		*counting += x->counts;
		for (j = 0; j < x->n_attempts; j++) {
			if (x->attempts[j].needs_manual || !x->attempts[j].graded) {
				waiting = true;
				continue;
			}
			if (!any || x->attempts[j].fraction > best)
				best = x->attempts[j].fraction;
			any = true;
		}
		cJSON_AddStringToObject(jq, "code", x->code);
		cJSON_AddStringToObject(jq, "title", x->title);
		cJSON_AddStringToObject(jq, "status", lms_as_status_name((lms_as_status)x->status));
		cJSON_AddBoolToObject(jq, "counts_for_course", x->counts);
		cJSON_AddNumberToObject(jq, "attempts_used", x->used);
		cJSON_AddNumberToObject(jq, "attempts_allowed",
		                        x->def.max_attempts ? x->def.max_attempts + x->granted : 0);
		cJSON_AddNumberToObject(jq, "submitted", (double)x->n_attempts);
		if (x->open_attempt_id)
			cJSON_AddNumberToObject(jq, "open_attempt", (double)x->open_attempt_id);
		else
			cJSON_AddNullToObject(jq, "open_attempt");
		cJSON_AddBoolToObject(jq, "can_start",
		                      x->status == LMS_AS_OPEN && x->eligible && !x->open_attempt_id &&
		                          lms_as_may_start(&x->def, now, x->used, x->granted, &e) == 0);
		cJSON_AddBoolToObject(jq, "waiting_for_grading", waiting);
		if (see && any)
			cJSON_AddNumberToObject(jq, "best_fraction", best);
		else
			cJSON_AddNullToObject(jq, "best_fraction");
		/* passed by its grading across attempts: the fact the course's completion uses */
		if (see && v.has_grade)
			cJSON_AddBoolToObject(jq, "passed", v.passed);
		else
			cJSON_AddNullToObject(jq, "passed");
		cJSON_AddItemToArray(arr, jq);
	}
	return LMS_OK;
}

/* For an enrolment not completed in a course with counting quizzes: *waiting when the
 * content rule holds and only a quiz is missing. When both hold (the evaluation after the
 * quiz's result failed), the completion is recorded now and *recorded set. */
static int quiz_wait(srv_req *r, const lms_enrolment *e, bool *waiting, bool *recorded)
{
	bool content = false, quizzes = false;

	*waiting = *recorded = false;
	if (lms_player_completion_state(r->store, e->id, r->who.user.id, r->arena, &content,
	                                &quizzes, &r->err) < 0)
		return r->err.rc;
	*waiting = content && !quizzes;
	if (content && quizzes) {
		if (lms_player_check_completion(r->store, r->app->clock, e->id, r->who.user.id,
		                                r->arena, &r->err) < 0)
			return r->err.rc;
		*recorded = true;
	}
	return LMS_OK;
}

int h_my_course(srv_req *r)
{
	char code[40];
	lms_enrolment *list;
	lms_course_version *versions;
	lms_item *items = NULL;
	lms_item_status *st = NULL;
	lms_course_page page;
	size_t n, nv, ni = 0, nst = 0, i, k, counting = 0;
	cJSON *o, *arr, *nav, *quizzes = cJSON_CreateObject();
	int resume = -1;
	bool waiting = false, recorded = false;

	if (query_code(r, "course", code, sizeof(code)) < 0 ||
	    r->store->ops->enrolment_list(r->store, r->who.user.id, code, r->arena, &list, &n,
	                                  &r->err) < 0 ||
	    r->store->ops->version_list(r->store, code, r->arena, &versions, &nv, &r->err) < 0)
		goto fail;
	if (nv == 0) {
		cJSON_Delete(quizzes);
		return srv_reply_problem(r, 404, "not_found", "no such course", "course", NULL);
	}
	if (json_course_quizzes(r, code, quizzes, &counting) < 0)
		goto fail;
	if (n && counting && !list[0].completed_us &&
	    (quiz_wait(r, &list[0], &waiting, &recorded) < 0 ||
	     (recorded && r->store->ops->enrolment_list(r->store, r->who.user.id, code, r->arena,
	                                                &list, &n, &r->err) < 0)))
		goto fail;
	memset(&page, 0, sizeof(page));
	page.current_ord = -1;
	if (n) {
		if (lms_player_course_page(r->store, &list[0], r->arena, &page, &r->err) < 0 ||
		    r->store->ops->item_status_list(r->store, list[0].id, r->arena, &st, &nst, &r->err) < 0)
			goto fail;
	} else if (r->store->ops->item_list(r->store, versions[0].id, r->arena, &items, &ni,
	                                    &r->err) < 0) {
		goto fail;
	}
	o = cJSON_CreateObject();
	if (n)
		cJSON_AddItemToObject(o, "enrolment", json_enrolment(&list[0]));
	else
		cJSON_AddNullToObject(o, "enrolment");
	for (i = 0; i < nv; i++)
		if (versions[i].id == (n ? list[0].version_id : versions[0].id))
			break;
	cJSON_AddItemToObject(o, "course", srv_json_version(&versions[i < nv ? i : 0]));
	arr = cJSON_AddArrayToObject(o, "items");
	for (i = 0; i < (n ? page.n : ni); i++) {
		const lms_item *item = n ? page.toc[i].item : &items[i];
		const lms_item_status *s = NULL;
		cJSON *it = cJSON_CreateObject();
		for (k = 0; k < nst; k++)
			if (st[k].ord == item->ord)
				s = &st[k];
		cJSON_AddNumberToObject(it, "ord", item->ord);
		cJSON_AddNumberToObject(it, "parent", item->parent_ord);
		cJSON_AddNumberToObject(it, "depth", n ? page.toc[i].depth : 0);
		cJSON_AddStringToObject(it, "identifier", item->identifier);
		cJSON_AddStringToObject(it, "title", item->title);
		cJSON_AddBoolToObject(it, "launchable", item->href != NULL);
		cJSON_AddBoolToObject(it, "visible", item->visible);
		cJSON_AddBoolToObject(it, "choosable", n ? page.toc[i].choosable : item->href != NULL);
		srv_json_str(it, "refused", n ? page.toc[i].refused : NULL);
		cJSON_AddStringToObject(it, "status", n ? page.toc[i].status : "not_attempted");
		if (s && s->has_score)
			cJSON_AddNumberToObject(it, "score", s->score);
		else
			cJSON_AddNullToObject(it, "score");
		cJSON_AddNumberToObject(it, "attempts", s ? s->attempts : 0);
		cJSON_AddNumberToObject(it, "active_s", s ? (double)(s->active_us / LMS_SECOND_US) : 0);
		cJSON_AddBoolToObject(it, "current", n && page.toc[i].current);
		cJSON_AddBoolToObject(it, "suspended", n && page.toc[i].suspended);
		cJSON_AddItemToArray(arr, it);
		if (n && (page.toc[i].suspended || (page.toc[i].current && s && s->suspended)))
			resume = item->ord;
	}
	if (resume >= 0)
		cJSON_AddNumberToObject(o, "resume_ord", resume);
	else
		cJSON_AddNullToObject(o, "resume_ord");
	nav = cJSON_AddObjectToObject(o, "nav");
	cJSON_AddBoolToObject(nav, "continue", page.can_continue);
	cJSON_AddBoolToObject(nav, "previous", page.can_previous);
	cJSON_AddBoolToObject(nav, "resume", page.has_suspended || resume >= 0);
	srv_json_str(o, "course_status", n ? page.course_status : NULL);
	cJSON_AddItemToObject(o, "quizzes", cJSON_DetachItemFromObject(quizzes, "quizzes"));
	cJSON_Delete(quizzes);
	/* the lessons are done and only a quiz that counts toward the course is missing */
	cJSON_AddBoolToObject(o, "waiting_for_quiz", waiting);
	return srv_reply_json(r, 200, o, NULL);
fail:
	cJSON_Delete(quizzes);
	return srv_reply_error(r);
}

static int parse_nav(const char *s, lms_nav_req *out)
{
	static const struct {
		const char *name;
		lms_nav_req nav;
	} t[] = { { "start", LMS_NAV_REQ_START },       { "resume", LMS_NAV_REQ_RESUME },
	          { "choice", LMS_NAV_REQ_CHOICE },     { "continue", LMS_NAV_REQ_CONTINUE },
	          { "previous", LMS_NAV_REQ_PREVIOUS }, { "exit", LMS_NAV_REQ_EXIT },
	          { "exitAll", LMS_NAV_REQ_EXIT_ALL },  { "suspendAll", LMS_NAV_REQ_SUSPEND_ALL } };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*out = t[i].nav;
			return 0;
		}
	return -1;
}

int h_launch(srv_req *r)
{
	cJSON *body, *o, *it, *nav;
	const char *code, *navs, *item;
	const cJSON *from;
	lms_nav_req req = LMS_NAV_REQ_START;
	lms_launch_out out;
	char url[1024];
	int status;

	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	from = cJSON_GetObjectItemCaseSensitive(body, "from");
	if (srv_json_string(r, body, "course", true, 32, &code) < 0 ||
	    lms_check_code("course", code, &r->err) < 0 ||
	    srv_json_string(r, body, "nav", false, 16, &navs) < 0 ||
	    srv_json_string(r, body, "item", false, 512, &item) < 0)
		goto fail;
	if (navs && parse_nav(navs, &req) < 0) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "nav",
		            "nav: one of start, resume, choice, continue, previous, exit, exitAll, "
		            "suspendAll");
		goto fail;
	}
	if (req == LMS_NAV_REQ_CHOICE && !item) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "item", "item: required with choice");
		goto fail;
	}
	if (from && (!cJSON_IsNumber(from) || from->valuedouble < 0 || from->valuedouble > 1e6)) {
		lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "from", "from: an item's ord");
		goto fail;
	}
	/* "from" (the item on screen) is accepted for older pages; the sequencer knows it. */
	if (lms_player_launch(r->store, r->app->clock, &r->who.user, r->who.session.id, code, req,
	                      item, r->arena, &out, &r->err) < 0) {
		if (strcmp(r->err.code, "nav_refused") == 0) {
			cJSON *p = srv_problem_new(r, 409, "nav_refused", r->err.msg, NULL);
			cJSON_AddStringToObject(p, "reason", r->err.field);
			cJSON_Delete(body);
			return srv_reply_problem_json(r, 409, p, NULL);
		}
		goto fail;
	}
	cJSON_Delete(body);
	if (!out.item) {
		/* exit, exitAll, suspendAll, or the end of the course: nothing to open */
		o = cJSON_CreateObject();
		cJSON_AddNullToObject(o, "item");
		cJSON_AddBoolToObject(o, "ended", out.ended);
		cJSON_AddBoolToObject(o, "suspended", out.suspended);
		nav = cJSON_AddObjectToObject(o, "nav");
		cJSON_AddBoolToObject(nav, "previous", out.can_previous);
		cJSON_AddBoolToObject(nav, "continue", out.can_continue);
		cJSON_AddItemToObject(o, "enrolment", json_enrolment(&out.enrolment));
		return srv_reply_json(r, 200, o, "Cache-Control: no-store\r\n");
	}
	snprintf(url, sizeof(url), "%s/rt/launcher.html#t=%s&app=%s&v=%s", r->app->content_url,
	         out.token, r->app->public_url,
	         lms_player_cmi_version(out.enrolment.kind) == LMS_CMI_12 ? "1.2" : "2004");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "launch_token", out.token);
	cJSON_AddStringToObject(o, "launcher_url", url);
	it = cJSON_AddObjectToObject(o, "item");
	cJSON_AddNumberToObject(it, "ord", out.item->ord);
	cJSON_AddStringToObject(it, "identifier", out.item->identifier);
	cJSON_AddStringToObject(it, "title", out.item->title);
	cJSON_AddBoolToObject(o, "new_attempt", out.new_attempt);
	nav = cJSON_AddObjectToObject(o, "nav");
	cJSON_AddBoolToObject(nav, "previous", out.can_previous);
	cJSON_AddBoolToObject(nav, "continue", out.can_continue);
	cJSON_AddNumberToObject(o, "heartbeat_s", HEARTBEAT_S);
	cJSON_AddItemToObject(o, "enrolment", json_enrolment(&out.enrolment));
	return srv_reply_json(r, 201, o, "Cache-Control: no-store\r\n");
fail:
	cJSON_Delete(body);
	return srv_reply_error(r);
}

/* Whose time: the caller's own, or (user=NAME) a learner within an HR officer's or an
 * admin's scope. */
static int time_subject(srv_req *r, lms_user *out)
{
	const char *qs = r->ri->query_string;
	char name[80];
	lms_scope scope;
	bool within = false;

	if (!qs || mg_get_var(qs, strlen(qs), "user", name, sizeof(name)) <= 0) {
		*out = r->who.user;
		return LMS_OK;
	}
	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   &scope, &r->err) < 0 ||
	    r->store->ops->user_by_username(r->store, name, r->arena, out, &r->err) < 0)
		return r->err.rc;
	if (scope.all)
		return LMS_OK;
	if (out->person) {
		lms_unit u;
		if (r->store->ops->unit_find(r->store, out->person->unit_code, r->arena, &u, &r->err) < 0 ||
		    r->store->ops->unit_within(r->store, u.id, &scope, &within, &r->err) < 0)
			return r->err.rc;
	}
	if (!within)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", "user",
		                   "this learner is outside your units");
	return LMS_OK;
}

int h_my_time(srv_req *r)
{
	char code[40];
	lms_user who;
	lms_time_session *sess;
	size_t n, i;
	int64_t active = 0, reported = 0;
	cJSON *o, *arr;

	if (query_code(r, "course", code, sizeof(code)) < 0 || time_subject(r, &who) < 0 ||
	    r->store->ops->time_sessions(r->store, who.id, code, r->arena, &sess, &n, NULL, NULL,
	                                 &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "user", who.username);
	cJSON_AddStringToObject(o, "course", code);
	arr = cJSON_AddArrayToObject(o, "sessions");
	for (i = 0; i < n; i++) {
		const lms_time_session *t = &sess[i];
		int64_t end = t->closed_us ? t->closed_us : t->last_seen_us;
		cJSON *j = cJSON_CreateObject();
		cJSON_AddNumberToObject(j, "id", (double)t->id);
		cJSON_AddStringToObject(j, "item", t->item_identifier);
		cJSON_AddStringToObject(j, "item_title", t->item_title);
		cJSON_AddNumberToObject(j, "attempt", t->attempt_no);
		srv_json_time(j, "opened_at", t->opened_us);
		srv_json_time(j, "closed_at", t->closed_us);
		srv_json_str(j, "closed_reason", t->closed_reason);
		cJSON_AddNumberToObject(j, "active_s", (double)(t->active_us / LMS_SECOND_US));
		if (t->reported_cs >= 0)
			cJSON_AddNumberToObject(j, "reported_s", (double)(t->reported_cs / 100));
		else
			cJSON_AddNullToObject(j, "reported_s");
		cJSON_AddNumberToObject(j, "wall_s", (double)((end - t->opened_us) / LMS_SECOND_US));
		cJSON_AddNumberToObject(j, "heartbeats", t->beats);
		cJSON_AddBoolToObject(j, "flagged", t->flagged);
		cJSON_AddItemToArray(arr, j);
		active += t->active_us;
		if (t->reported_cs > 0)
			reported += t->reported_cs;
	}
	cJSON_AddNumberToObject(o, "active_s", (double)(active / LMS_SECOND_US));
	cJSON_AddNumberToObject(o, "reported_s", (double)(reported / 100));
	return srv_reply_json(r, 200, o, NULL);
}
