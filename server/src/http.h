/* http.h — the HTTP layer: the application, one request's context, routing and replies.
 *
 * A request flows: CivetWeb worker thread → srv_dispatch (request id, arena, client address,
 * exact route match, session and CSRF checks) → one handler (parse, validate, one core call,
 * JSON out) → access log line. Everything a request allocates lives in its arena. Library
 * types of CivetWeb and cJSON stay in server/.
 */
#ifndef SRV_HTTP_H
#define SRV_HTTP_H

#include "cluster.h"
#include "config.h"
#include "lms/arena.h"
#include "lms/auth.h"
#include "lms/clock.h"
#include "lms/error.h"
#include "lms/store.h"
#include "lms/time_on_task.h"

#include <cjson/cJSON.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct mg_connection;
struct mg_context;
struct mg_request_info;

typedef struct srv_app {
	const srv_config *cfg;
	const char *conninfo;
	srv_cluster *cluster;      /* the embedded cluster, or NULL */
	lms_auth_policy policy;
	const lms_clock *clock;
	size_t max_body;
	long long max_upload;      /* course packages (POST /api/packages), bytes */
	char www[PATH_MAX];
	FILE *access_log;
	struct mg_context *ctx;
	int port, content_port;    /* the app's and the content origin's listening ports */
	char public_url[256];      /* the app's origin, e.g. https://parlearn.example.vn */
	char content_url[256];     /* the content origin, e.g. https://content.parlearn.example.vn */
	char content_dir[PATH_MAX + 16]; /* DATA/content */
	char rt_dir[PATH_MAX];     /* the launcher's files (server/rt) */
	char cache_dir[PATH_MAX + 16]; /* DATA/cache: compressed copies of our static files */
	lms_tot_params tot;        /* time-on-task thresholds */
	unsigned char content_secret[32]; /* signs content links (content_url.h) */
	_Atomic int in_flight;     /* requests being handled now */
	_Atomic int draining;      /* shutting down: new requests get 503 */
} srv_app;

typedef struct srv_req {
	struct mg_connection *conn;
	const struct mg_request_info *ri;
	srv_app *app;
	lms_arena *arena;
	lms_store *store;
	lms_err err;
	char id[17];             /* request id, hex */
	char client_addr[64];    /* the client's address (from the trusted proxy if any) */
	bool via_tls;            /* came through the trusted TLS proxy over https */
	bool authenticated;
	lms_principal who;       /* valid when authenticated */
	int status;              /* status sent, for the access log */
	long long bytes_out;
} srv_req;

typedef int (*srv_handler)(srv_req *r);

/* Starts CivetWeb with the app's configuration. */
int srv_http_start(srv_app *app, lms_err *err);
/* Stops accepting, lets in-flight requests finish, joins the workers. */
void srv_http_stop(srv_app *app);

/* ---- replies (reply.c) ---- */

/* Sends obj (consumed) as JSON with status. extra_headers: "Name: value\r\n" lines or NULL. */
int srv_reply_json(srv_req *r, int status, cJSON *obj, const char *extra_headers);
/* A problem object (type, title, status, detail, code, field, instance) to add members to;
 * srv_reply_problem_json sends it (and frees it). */
cJSON *srv_problem_new(const srv_req *r, int status, const char *code, const char *detail,
                       const char *field);
int srv_reply_problem_json(srv_req *r, int status, cJSON *problem, const char *extra);
/* Sends body[0..len) as ctype (not cached; the security headers as every reply). */
int srv_reply_bytes(srv_req *r, int status, const char *ctype, const char *body, size_t len,
                    const char *extra_headers);
/* Sends 204 No Content. */
int srv_reply_empty(srv_req *r, int status, const char *extra_headers);
/* Sends a problem+json body for code, with detail and (optional) field. */
int srv_reply_problem(srv_req *r, int status, const char *code, const char *detail,
                      const char *field, const char *extra_headers);
/* Sends r->err as a problem, status from its class (the one mapping table). */
int srv_reply_error(srv_req *r);
/* The HTTP status of an LMS error class and code. */
int srv_status_of(int rc, const char *code);

/* Reads and parses a JSON object body: checks Content-Type, the size limit (declared or
 * chunked), UTF-8 and nesting depth. On failure a problem has been sent: return its status. */
int srv_read_json(srv_req *r, cJSON **out);
/* The same, also taking Content-Type: text/plain (the launcher's requests). */
int srv_read_json_as(srv_req *r, bool text_plain, cJSON **out);

/* Reads a raw body of at most cap bytes into the arena (NUL-terminated). On failure a
 * problem has been sent (413 past cap): return its status. */
int srv_read_raw(srv_req *r, size_t cap, char **out, size_t *len);
/* Gets a string member: required or not, with a character limit. On failure fills r->err
 * (invalid_field naming the member) and returns LMS_EINVAL. */
int srv_json_string(srv_req *r, const cJSON *obj, const char *name, bool required,
                    size_t max_bytes, const char **out);

/* Security headers sent on every response. */
extern const char srv_security_headers[];

/* ---- static files (static.c) ---- */
int srv_static(srv_req *r);
/* Sends one of our own static files (st its stat, headers the extra header lines), gzip-
 * compressed when the client accepts it and the type is text (static_gz.c). */
struct stat;
void srv_send_static(srv_req *r, const char *path, const struct stat *st, const char *type,
                     const char *headers);
/* The MIME type of a file name, or NULL when not served. */
const char *srv_mime_type(const char *name);

/* ---- package content origin (h_content.c) ---- */
int srv_content(srv_req *r);

/* ---- handlers ---- */
int h_healthz_get(srv_req *r);
int h_readyz_get(srv_req *r);
int h_auth_login(srv_req *r);
int h_auth_logout(srv_req *r);
int h_me_get(srv_req *r);
int h_units_list(srv_req *r);
int h_people_list(srv_req *r);
int h_courses_list(srv_req *r);
int h_course_preview(srv_req *r);

struct lms_course_version;
/* JSON of a course version (h_courses.c). */
cJSON *srv_json_version(const struct lms_course_version *v);
int h_packages_upload(srv_req *r);
int h_hr_roster(srv_req *r);           /* h_roster.c */
/* h_survey.c: surveys (docs/surveys.md) */
int h_surveys_list(srv_req *r);
int h_survey_create(srv_req *r);
int h_survey_detail(srv_req *r);
int h_survey_update(srv_req *r);
int h_survey_publish(srv_req *r);
int h_survey_close(srv_req *r);
int h_survey_copy(srv_req *r);
int h_survey_results(srv_req *r);
int h_survey_texts(srv_req *r);
int h_survey_csv(srv_req *r);
int h_my_surveys(srv_req *r);
int h_my_survey(srv_req *r);
int h_my_survey_respond(srv_req *r);
int h_my_certificates(srv_req *r);     /* h_cert.c */
int h_certificate_pdf(srv_req *r);
int h_certificate_revoke(srv_req *r);
int h_verify_api(srv_req *r);
int h_verify_page(srv_req *r);         /* GET /verify/<code>, routed by prefix */
int h_assignments_list(srv_req *r);    /* h_assign.c: assignment rules (docs/assignments.md) */
int h_assignments_options(srv_req *r);
int h_assignment_create(srv_req *r);
int h_assignment_end(srv_req *r);
/* Applies every assignment rule in force (serve's loop, every few minutes); logs failures. */
void srv_assign_apply(lms_store *s, const srv_app *app);
/* h_assess.c: quizzes and capability exams (docs/assessment.md) */
int h_assessments_list(srv_req *r);
int h_assessment_create(srv_req *r);
int h_assessment_detail(srv_req *r);
int h_assessment_update(srv_req *r);
int h_assessment_open(srv_req *r);
int h_assessment_close(srv_req *r);
int h_assessment_grant(srv_req *r);
int h_assessment_publish(srv_req *r);
int h_assessment_essays(srv_req *r);
int h_assessment_grade(srv_req *r);
int h_assessment_results(srv_req *r);
int h_assessment_attempt(srv_req *r);
int h_assessment_items(srv_req *r);
int h_assessment_items_csv(srv_req *r);
int h_talent_pool_list(srv_req *r);
int h_talent_pool_propose(srv_req *r);
int h_talent_pool_decide(srv_req *r);
int h_my_assessments(srv_req *r);
int h_my_assessment_start(srv_req *r);
int h_my_attempt(srv_req *r);
int h_my_attempt_save(srv_req *r);
int h_my_attempt_event(srv_req *r);
int h_my_attempt_submit(srv_req *r);
int h_my_attempt_review(srv_req *r);
int h_my_attempt_file(srv_req *r);     /* an image of a slot's question */
/* The exams' housekeeping (serve's loop, every second): attempts past their deadline are
 * submitted by the server; once a minute, exam certificates of published results that are
 * still missing are issued. Logs and goes on on failure. Called from one thread only. */
void srv_exam_housekeep(lms_store *s, const srv_app *app);
int h_reports_completion(srv_req *r);  /* h_reports.c: HR reports (docs/reports.md) */
int h_reports_indicators(srv_req *r);
int h_reports_indicator_list(srv_req *r);
int h_reports_exams(srv_req *r);
int h_reports_talent_pool(srv_req *r);
int h_reports_surveys(srv_req *r);
/* h_report_flags.c: what counts in the indicators (docs/reports.md, "Setting what counts") */
int h_indicator_flags_get(srv_req *r);
int h_indicator_flags_course(srv_req *r);
int h_indicator_flags_position(srv_req *r);
int h_person_learning(srv_req *r);   /* h_person_learning.c: a person's record */
int h_questions_import(srv_req *r);    /* h_questions.c: the question bank */
int h_questions_export(srv_req *r);
int h_questions_list(srv_req *r);
int h_question_get(srv_req *r);
int h_question_edit(srv_req *r);
int h_categories_list(srv_req *r);
int h_question_file(srv_req *r);       /* an image of a question version */
/* Issues the certificates still missing (of user_id, or everyone's when 0), at most limit. */
void srv_certs_issue(lms_store *s, const srv_app *app, int64_t user_id, int limit);

/* ---- the learner (h_learn.c) and the launcher (h_rt.c) ---- */
int h_catalogue(srv_req *r);
int h_enrol(srv_req *r);
int h_my_courses(srv_req *r);
int h_my_course(srv_req *r);
int h_launch(srv_req *r);
int h_my_time(srv_req *r);
int h_rt_init(srv_req *r);
int h_rt_commit(srv_req *r);
int h_rt_beat(srv_req *r);
int h_hr_records(srv_req *r);  /* h_hr.c: the personnel system's pull API */
/* h_sync.c: reconciliation of the personnel sync, and GET /metrics (loopback only). */
int h_sync_status(srv_req *r);
int h_sync_resend(srv_req *r);
int h_sync_retry_dead(srv_req *r);
int h_metrics(srv_req *r);
/* The sync alert age in working days: PARLEARN_SYNC_ALERT_DAYS (1..60), default 2; an
 * invalid value is logged once and the default used. */
int srv_sync_alert_days(void);
/* Serves the launcher's files (server/rt) on the content origin under /rt/. */
int srv_content_rt(srv_req *r, const char *path);

/* JSON of an account as /api/me shows it (json.c). */
cJSON *srv_json_me(const lms_user *u, const char *csrf_token);

#endif
