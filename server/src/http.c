/* http.c — CivetWeb set-up, the route table and request dispatch.
 *
 * CivetWeb pitfalls handled here (STYLE.md): no document_root, no CGI/SSI patterns, no
 * directory listing — one catch-all handler does exact routing itself, so "/api/me" never
 * matches "/api/meX"; body limits are enforced in reply.c; only option names that 1.15
 * knows are used. Each worker thread owns one store (one PostgreSQL connection), made on
 * first use and freed when the thread exits.
 */
#include "http.h"

#include "lms/log.h"
#include "store_pg.h"

#include <civetweb.h>
#include <openssl/rand.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { R_AUTH = 1 }; /* route flags */

typedef struct route {
	const char *method;
	const char *path;
	srv_handler handler;
	unsigned flags;
} route;

static const route routes[] = {
	{ "GET", "/healthz", h_healthz_get, 0 },
	{ "GET", "/readyz", h_readyz_get, 0 },
	{ "POST", "/api/auth/login", h_auth_login, 0 },
	{ "POST", "/api/auth/logout", h_auth_logout, R_AUTH },
	{ "GET", "/api/me", h_me_get, R_AUTH },
	{ "GET", "/api/units", h_units_list, R_AUTH },
	{ "GET", "/api/people", h_people_list, R_AUTH },
	{ "GET", "/api/courses", h_courses_list, R_AUTH },
	{ "GET", "/api/courses/preview", h_course_preview, R_AUTH },
	{ "POST", "/api/packages", h_packages_upload, R_AUTH },
	{ "GET", "/api/catalogue", h_catalogue, R_AUTH },
	{ "POST", "/api/enrolments", h_enrol, R_AUTH },
	{ "GET", "/api/my/courses", h_my_courses, R_AUTH },
	{ "GET", "/api/my/course", h_my_course, R_AUTH },
	{ "GET", "/api/my/time", h_my_time, R_AUTH },
	{ "POST", "/api/launch", h_launch, R_AUTH },
	{ "GET", "/api/my/certificates", h_my_certificates, R_AUTH },
	{ "GET", "/api/certificate.pdf", h_certificate_pdf, R_AUTH },
	{ "POST", "/api/certificates/revoke", h_certificate_revoke, R_AUTH },
	{ "GET", "/api/assignments", h_assignments_list, R_AUTH },
	{ "GET", "/api/assignments/options", h_assignments_options, R_AUTH },
	{ "POST", "/api/assignments", h_assignment_create, R_AUTH },
	{ "POST", "/api/assignments/end", h_assignment_end, R_AUTH },
	{ "GET", "/api/verify", h_verify_api, 0 },
	/* Surveys (h_survey.c, docs/surveys.md). */
	{ "GET", "/api/surveys", h_surveys_list, R_AUTH },
	{ "POST", "/api/surveys", h_survey_create, R_AUTH },
	{ "GET", "/api/surveys/detail", h_survey_detail, R_AUTH },
	{ "POST", "/api/surveys/update", h_survey_update, R_AUTH },
	{ "POST", "/api/surveys/publish", h_survey_publish, R_AUTH },
	{ "POST", "/api/surveys/close", h_survey_close, R_AUTH },
	{ "POST", "/api/surveys/copy", h_survey_copy, R_AUTH },
	{ "GET", "/api/surveys/results", h_survey_results, R_AUTH },
	{ "GET", "/api/surveys/texts", h_survey_texts, R_AUTH },
	{ "GET", "/api/surveys/results.csv", h_survey_csv, R_AUTH },
	{ "GET", "/api/my/surveys", h_my_surveys, R_AUTH },
	{ "GET", "/api/my/survey", h_my_survey, R_AUTH },
	{ "POST", "/api/my/survey/respond", h_my_survey_respond, R_AUTH },
	/* Question banks (h_questions.c): trainers and admins. */
	{ "POST", "/api/questions/import", h_questions_import, R_AUTH },
	{ "GET", "/api/questions/export", h_questions_export, R_AUTH },
	{ "GET", "/api/questions", h_questions_list, R_AUTH },
	{ "GET", "/api/question", h_question_get, R_AUTH },
	{ "POST", "/api/question/edit", h_question_edit, R_AUTH },
	{ "GET", "/api/categories", h_categories_list, R_AUTH },
	{ "GET", "/api/questions/file", h_question_file, R_AUTH },
	/* HR reports (h_reports.c, docs/reports.md): HR officers in their subtree, admins. */
	{ "GET", "/api/reports/completion", h_reports_completion, R_AUTH },
	{ "GET", "/api/reports/indicators", h_reports_indicators, R_AUTH },
	{ "GET", "/api/reports/indicator-list", h_reports_indicator_list, R_AUTH },
	{ "GET", "/api/reports/exams", h_reports_exams, R_AUTH },
	{ "GET", "/api/reports/talent-pool", h_reports_talent_pool, R_AUTH },
	{ "GET", "/api/reports/surveys", h_reports_surveys, R_AUTH },
	/* What counts in the indicators (h_report_flags.c, docs/reports.md): admins only. */
	{ "GET", "/api/indicator-flags", h_indicator_flags_get, R_AUTH },
	{ "POST", "/api/indicator-flags/course", h_indicator_flags_course, R_AUTH },
	{ "POST", "/api/indicator-flags/position", h_indicator_flags_position, R_AUTH },
	{ "GET", "/api/people/learning", h_person_learning, R_AUTH }, /* a person's record */
	/* Quizzes and capability exams (h_assess.c, docs/assessment.md). */
	{ "GET", "/api/assessments", h_assessments_list, R_AUTH },
	{ "POST", "/api/assessments", h_assessment_create, R_AUTH },
	{ "GET", "/api/assessments/detail", h_assessment_detail, R_AUTH },
	{ "POST", "/api/assessments/update", h_assessment_update, R_AUTH },
	{ "POST", "/api/assessments/open", h_assessment_open, R_AUTH },
	{ "POST", "/api/assessments/close", h_assessment_close, R_AUTH },
	{ "POST", "/api/assessments/grant", h_assessment_grant, R_AUTH },
	{ "POST", "/api/assessments/publish", h_assessment_publish, R_AUTH },
	{ "GET", "/api/assessments/essays", h_assessment_essays, R_AUTH },
	{ "POST", "/api/assessments/grade", h_assessment_grade, R_AUTH },
	{ "GET", "/api/assessments/results", h_assessment_results, R_AUTH },
	{ "GET", "/api/assessments/attempt", h_assessment_attempt, R_AUTH },
	{ "GET", "/api/assessments/items", h_assessment_items, R_AUTH },
	{ "GET", "/api/assessments/items.csv", h_assessment_items_csv, R_AUTH },
	{ "GET", "/api/talent-pool", h_talent_pool_list, R_AUTH },
	{ "POST", "/api/talent-pool/propose", h_talent_pool_propose, R_AUTH },
	{ "POST", "/api/talent-pool/decide", h_talent_pool_decide, R_AUTH },
	{ "GET", "/api/my/assessments", h_my_assessments, R_AUTH },
	{ "POST", "/api/my/assessments/start", h_my_assessment_start, R_AUTH },
	{ "GET", "/api/my/attempt", h_my_attempt, R_AUTH },
	{ "POST", "/api/my/attempt/save", h_my_attempt_save, R_AUTH },
	{ "POST", "/api/my/attempt/event", h_my_attempt_event, R_AUTH },
	{ "POST", "/api/my/attempt/submit", h_my_attempt_submit, R_AUTH },
	{ "GET", "/api/my/attempt/review", h_my_attempt_review, R_AUTH },
	{ "GET", "/api/my/attempt/file", h_my_attempt_file, R_AUTH },
	/* The launcher on the content origin: a launch token in the body, no session. */
	{ "POST", "/api/rt/init", h_rt_init, 0 },
	{ "POST", "/api/rt/commit", h_rt_commit, 0 },
	{ "POST", "/api/rt/beat", h_rt_beat, 0 },
	/* The personnel system, with an API key. */
	{ "GET", "/api/hr/v1/training-records", h_hr_records, 0 },
	/* Reconciliation of the personnel sync (h_sync.c); /metrics answers loopback only. */
	{ "GET", "/api/sync/status", h_sync_status, R_AUTH },
	{ "POST", "/api/sync/resend", h_sync_resend, R_AUTH },
	{ "POST", "/api/sync/retry-dead", h_sync_retry_dead, R_AUTH },
	{ "GET", "/metrics", h_metrics, 0 },
	/* The personnel system pushes the roster, signed (Standard Webhooks). */
	{ "POST", "/api/hr/v1/roster", h_hr_roster, 0 },
};

static _Thread_local lms_store *thread_store;

static lms_store *store_for_thread(srv_app *app)
{
	if (!thread_store)
		thread_store = store_pg_new(app->conninfo);
	return thread_store;
}

static void *on_init_thread(const struct mg_context *ctx, int thread_type)
{
	(void)ctx;
	(void)thread_type;
	return NULL;
}

static void on_exit_thread(const struct mg_context *ctx, int thread_type, void *user)
{
	(void)ctx;
	(void)thread_type;
	(void)user;
	store_pg_free(thread_store);
	thread_store = NULL;
}

static int on_log_message(const struct mg_connection *conn, const char *message)
{
	(void)conn;
	LMS_WARN("civetweb: %s", message);
	return 1;
}

static bool unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static void set_client(srv_req *r)
{
	const srv_config *cfg = r->app->cfg;
	const char *fwd, *proto;

	snprintf(r->client_addr, sizeof(r->client_addr), "%s", r->ri->remote_addr);
	if (!cfg->trusted_proxy || strcmp(r->ri->remote_addr, cfg->trusted_proxy) != 0)
		return; /* X-Forwarded-* from anyone else are ignored */
	if ((fwd = mg_get_header(r->conn, "X-Forwarded-For")) && *fwd) {
		/* The proxy overwrites the header with the address it saw; if several are present
		 * the last one is the one it added. */
		const char *last = strrchr(fwd, ',');
		last = last ? last + 1 : fwd;
		while (*last == ' ')
			last++;
		if (strlen(last) < sizeof(r->client_addr) && strspn(last, "0123456789abcdefABCDEF.:") ==
		                                                    strlen(last))
			snprintf(r->client_addr, sizeof(r->client_addr), "%s", last);
	}
	proto = mg_get_header(r->conn, "X-Forwarded-Proto");
	r->via_tls = proto && strcmp(proto, "https") == 0;
}

/* The path for the log: decoded by CivetWeb, so control characters, quotes and backslashes
 * are escaped (\xNN) to keep one request on one line; long paths are cut. */
static void log_path(const char *in, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; *in && o + 5 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void access_log(srv_req *r, double ms)
{
	FILE *f = r->app->access_log;
	char stamp[32], path[512];
	time_t now = time(NULL);
	struct tm tm;

	if (!f)
		return;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* The path only: a query string may carry values we do not want in logs. */
	log_path(r->ri->local_uri ? r->ri->local_uri : "", path, sizeof(path));
	fprintf(f, "%s %s %s \"%s %s\" %d %lld %.1fms user=%lld%s\n", stamp, r->id, r->client_addr,
	        r->ri->request_method, path, r->status, r->bytes_out, ms,
	        r->authenticated ? (long long)r->who.user.id : 0LL, r->via_tls ? " tls" : "");
	fflush(f);
}

static int authenticate(srv_req *r)
{
	const char *cookie = mg_get_header(r->conn, "Cookie");
	char token[LMS_TOKEN_LEN + 2];
	int rc;

	const char *site = mg_get_header(r->conn, "Sec-Fetch-Site");

	/* Browsers say where a request comes from. The session is for the application's own
	 * pages: a request from another origin — package content included, which is same-site
	 * but not same-origin — never uses it. */
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return srv_reply_problem(r, 403, "cross_origin_refused",
		                         "requests from other origins cannot use the session", NULL, NULL);
	if (!cookie || mg_get_cookie(cookie, "parlearn_session", token, sizeof(token)) <= 0)
		return srv_reply_problem(r, 401, "unauthenticated", "log in first", NULL, NULL);
	rc = lms_auth_session(r->store, r->app->clock, &r->app->policy, token, r->arena, &r->who,
	                      &r->err);
	memset(token, 0, sizeof(token));
	if (rc < 0)
		return srv_reply_error(r);
	r->authenticated = true;
	if (unsafe_method(r->ri->request_method) &&
	    !lms_auth_csrf_ok(&r->who.session, mg_get_header(r->conn, "X-CSRF-Token")))
		return srv_reply_problem(r, 403, "csrf_failed",
		                         "send the X-CSRF-Token header given at login", NULL, NULL);
	return 0;
}

static int dispatch(struct mg_connection *conn, void *cbdata)
{
	srv_req req;
	srv_req *r = &req;
	const route *match = NULL;
	char allow[64] = "";
	struct timespec t0, t1;
	unsigned char idb[8];
	size_t i;
	int status = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	atomic_fetch_add(&((srv_app *)cbdata)->in_flight, 1);
	memset(r, 0, sizeof(*r));
	r->conn = conn;
	r->ri = mg_get_request_info(conn);
	r->app = cbdata;
	r->arena = lms_arena_new();
	if (RAND_bytes(idb, sizeof(idb)) != 1)
		memset(idb, 0, sizeof(idb));
	for (i = 0; i < sizeof(idb); i++)
		snprintf(r->id + 2 * i, 3, "%02x", idb[i]);
	set_client(r);
	/* The content origin serves package files only, never the application. */
	if (r->ri->server_port == r->app->content_port) {
		status = srv_content(r);
		goto done;
	}
	/* Paths are not decoded (decode_url=no), but say plainly why a NUL is refused. */
	if (r->ri->local_uri && strstr(r->ri->local_uri, "%00")) {
		status = srv_reply_problem(r, 400, "bad_request", "the path contains a NUL byte",
		                           NULL, NULL);
		goto done;
	}
	if (atomic_load(&r->app->draining)) {
		status = srv_reply_problem(r, 503, "shutting_down",
		                           "this server is shutting down; retry on another node",
		                           NULL, "Retry-After: 5\r\nConnection: close\r\n");
		goto done;
	}

	/* The public verification page of a certificate, the one route with a parameter in
	 * its path (it is the QR code's target). */
	if (strncmp(r->ri->local_uri, "/verify/", 8) == 0 &&
	    (strcmp(r->ri->request_method, "GET") == 0 || strcmp(r->ri->request_method, "HEAD") == 0)) {
		r->store = store_for_thread(r->app);
		status = r->store ? h_verify_page(r)
		                  : srv_reply_problem(r, 500, "internal", "out of memory", NULL, NULL);
		goto done;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, r->ri->local_uri) != 0)
			continue;
		if (strcmp(routes[i].method, r->ri->request_method) == 0 ||
		    (strcmp(routes[i].method, "GET") == 0 && strcmp(r->ri->request_method, "HEAD") == 0)) {
			match = &routes[i];
			break;
		}
		snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
		         allow[0] ? ", " : "", routes[i].method);
	}
	if (!match) {
		if (allow[0]) {
			char extra[96];
			snprintf(extra, sizeof(extra), "Allow: %s\r\n", allow);
			status = srv_reply_problem(r, 405, "method_not_allowed",
			                           "this method is not allowed here", NULL, extra);
		} else if (strcmp(r->ri->request_method, "GET") == 0 ||
		           strcmp(r->ri->request_method, "HEAD") == 0) {
			status = srv_static(r);
		} else {
			status = srv_reply_problem(r, 404, "not_found", "no such resource", NULL, NULL);
		}
		goto done;
	}
	r->store = store_for_thread(r->app);
	if (!r->store) {
		status = srv_reply_problem(r, 500, "internal", "out of memory", NULL, NULL);
		goto done;
	}
	if ((match->flags & R_AUTH) && (status = authenticate(r)) != 0)
		goto done;
	status = match->handler(r);
done:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	access_log(r, (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	lms_arena_free(r->arena);
	atomic_fetch_sub(&r->app->in_flight, 1);
	return status ? status : 500;
}

/* CivetWeb's own errors (a malformed request line, headers too large) in our shape. The
 * request may not have been parsed at all: nothing here may rely on its fields. */
static int on_http_error(struct mg_connection *conn, int status, const char *msg)
{
	srv_req r;
	const char *code = status == 413 || status == 431 ? "headers_too_large"
	                   : status == 404               ? "not_found"
	                   : status == 405               ? "method_not_allowed"
	                   : status >= 500               ? "internal"
	                                                 : "bad_request";

	(void)msg;
	memset(&r, 0, sizeof(r));
	r.conn = conn;
	r.ri = mg_get_request_info(conn);
	snprintf(r.id, sizeof(r.id), "0000000000000000");
	srv_reply_problem(&r, status, code,
	                  status == 413 || status == 431
	                          ? "the request headers are larger than 16 KiB"
	                          : "the request could not be read as HTTP",
	                  NULL, "Connection: close\r\n");
	LMS_INFO("refused a malformed request: %d", status);
	return 0;
}

int srv_http_start(srv_app *app, lms_err *err)
{
	char ports[128];
	const srv_config *cfg = app->cfg;
	const char *options[] = {
		"listening_ports", ports,
		"num_threads", cfg->threads,
		"request_timeout_ms", "30000",
		/* Each connection holds a worker thread while it waits for its next request:
		 * keep that short (nginx in front keeps its own pool; docs/operations.md). */
		"keep_alive_timeout_ms", "5000",
		"enable_keep_alive", "yes",
		"max_request_size", "16384",
		"enable_directory_listing", "no",
		/* Paths stay as sent: routes and asset names are plain ASCII, so an encoded path
		 * simply does not match, and "%00" cannot cut a path short. */
		"decode_url", "no",
		"tcp_nodelay", "1",
		"listen_backlog", "512",
		/* Static pages: revalidate every time (cheap with ETags); names carry no version. */
		"static_file_cache_control", "no-cache",
		"connection_queue", "256",
		NULL,
	};
	struct mg_callbacks cb;

	if (strchr(cfg->listen, ':'))
		snprintf(ports, sizeof(ports), "[%s]:%d,[%s]:%d", cfg->listen, app->port, cfg->listen,
		         app->content_port);
	else
		snprintf(ports, sizeof(ports), "%s:%d,%s:%d", cfg->listen, app->port, cfg->listen,
		         app->content_port);
	memset(&cb, 0, sizeof(cb));
	cb.init_thread = on_init_thread;
	cb.exit_thread = on_exit_thread;
	cb.log_message = on_log_message;
	cb.http_error = on_http_error;
	mg_init_library(0);
	app->ctx = mg_start(&cb, app, options);
	if (!app->ctx)
		return lms_err_set(err, LMS_EUNAVAIL, "listen_failed", NULL,
		                   "cannot listen on %s (in use, or not allowed)", ports);
	mg_set_request_handler(app->ctx, "/", dispatch, app);
	LMS_INFO("parlearn listening on %s (package content on %s)", app->public_url,
	         app->content_url);
	return LMS_OK;
}

void srv_http_stop(srv_app *app)
{
	int i;

	if (!app->ctx)
		return;
	/* CivetWeb's mg_stop abandons responses still being written (its send loop gives up
	 * once the stop flag is set), so first refuse new requests and let the ones in flight
	 * finish, for at most 30 s. */
	atomic_store(&app->draining, 1);
	for (i = 0; i < 3000 && atomic_load(&app->in_flight) > 0; i++) {
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (atomic_load(&app->in_flight) > 0)
		LMS_WARN("%d requests still running after 30 s; stopping anyway",
		         atomic_load(&app->in_flight));
	mg_stop(app->ctx);
	app->ctx = NULL;
	mg_exit_library();
}
