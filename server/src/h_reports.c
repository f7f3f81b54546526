/* h_reports.c — HR reports on the web (docs/reports.md; lms/reports.h):
 *
 *   GET /api/reports/completion?unit=&period=|from=&to=&course=&par_area=&audience=&par_role=
 *       &drill=units|people&limit=&offset=&format=json|csv|xlsx
 *   GET /api/reports/indicators?unit=&period=|from=&to=&format=json|csv|xlsx
 *   GET /api/reports/indicator-list?id=&unit=&period=|from=&to=&only=&limit=&offset=&format=
 *   GET /api/reports/exams?unit=&period=|from=&to=&course=&par_area=&audience=&par_role=
 *       &assessment=&kind=quiz|exam&format=
 *   GET /api/reports/talent-pool?unit=&period=|from=&to=&status=&limit=&offset=&format=
 *   GET /api/reports/surveys?unit=&period=|from=&to=&course=&format=
 *
 * HR officers see the subtrees of their units (a unit outside: 403), admins every unit,
 * anyone else 403. A page holds at most LMS_REP_PAGE_MAX rows (a larger limit is refused,
 * 422). A file (csv, xlsx) holds every row, the same rows the page shows, and is streamed:
 * CSV in chunks as the store's cursor delivers them; XLSX written by libxlsxwriter in
 * constant-memory mode to a temporary file under DATA/tmp, then sent from it and removed.
 * Every file is written to the audit log (who, what, parameters, rows, when) before it is
 * sent; a file that cannot be logged is not sent.
 */
#include "http.h"
#include "report_json.h"

#include "lms/auth.h"
#include "lms/log.h"
#include "lms/report_table.h"
#include "lms/reports.h"

#include <civetweb.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROLE(k) (1u << (k))
#define DEFAULT_PAGE 100
#define MAX_OFFSET 10000000

enum rep_format { FMT_JSON, FMT_CSV, FMT_XLSX };

typedef struct rep_req {
	lms_rep_query q;
	lms_unit root;
	lms_scope scope;
	enum rep_format format;
	bool people;              /* drill=people */
	int limit, offset;
	lms_rep_ind ind;
	lms_rep_only only;
	char unit[40], period[24], from[16], to[16], course[40], area[200], audience[16], par[16];
	char fmt[8], drill[10], id[32], only_s[12];
	char assessment[40], kind[8], status[12];
} rep_req;

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

/* limit (1..LMS_REP_PAGE_MAX, refused above) and offset. */
static int page_params(srv_req *r, rep_req *x)
{
	char buf[24], *end;
	long v;
	int rc;

	x->limit = DEFAULT_PAGE;
	x->offset = 0;
	if ((rc = query_var(r, "limit", buf, sizeof(buf))) < 0)
		return rc;
	if (rc == 1) {
		v = strtol(buf, &end, 10);
		if (!*buf || *end || v < 1 || v > LMS_REP_PAGE_MAX)
			return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "limit",
			                   "limit: a page of 1 to %d rows (files hold every row)",
			                   LMS_REP_PAGE_MAX);
		x->limit = (int)v;
	}
	if ((rc = query_var(r, "offset", buf, sizeof(buf))) < 0)
		return rc;
	if (rc == 1) {
		v = strtol(buf, &end, 10);
		if (!*buf || *end || v < 0 || v > MAX_OFFSET)
			return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "offset",
			                   "offset: a whole number from 0 to %d", MAX_OFFSET);
		x->offset = (int)v;
	}
	return LMS_OK;
}

/* The parameters every report takes, checked against the caller's reach; x's section
 * fields (assessment, kind, status), read before, are checked and resolved here too. */
static int parse_common_with(srv_req *r, rep_req *x)
{
	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   &x->scope, &r->err) < 0)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   "reports are for HR officers and administrators");
	if (query_var(r, "unit", x->unit, sizeof(x->unit)) < 0 ||
	    query_var(r, "period", x->period, sizeof(x->period)) < 0 ||
	    query_var(r, "from", x->from, sizeof(x->from)) < 0 ||
	    query_var(r, "to", x->to, sizeof(x->to)) < 0 ||
	    query_var(r, "course", x->course, sizeof(x->course)) < 0 ||
	    query_var(r, "par_area", x->area, sizeof(x->area)) < 0 ||
	    query_var(r, "audience", x->audience, sizeof(x->audience)) < 0 ||
	    query_var(r, "par_role", x->par, sizeof(x->par)) < 0 ||
	    query_var(r, "format", x->fmt, sizeof(x->fmt)) < 0)
		return r->err.rc;
	if (!*x->fmt || strcmp(x->fmt, "json") == 0)
		x->format = FMT_JSON;
	else if (strcmp(x->fmt, "csv") == 0)
		x->format = FMT_CSV;
	else if (strcmp(x->fmt, "xlsx") == 0)
		x->format = FMT_XLSX;
	else
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "format",
		                   "format: json, csv or xlsx");
	if (lms_period_parse(&x->q.period, x->period, x->from, x->to, lms_now(r->app->clock),
	                     &r->err) < 0 ||
	    lms_rep_parse_audience(x->audience, x->par, &x->q, &r->err) < 0)
		return r->err.rc;
	if (lms_rep_parse_akind(x->kind, &x->q, &r->err) < 0 ||
	    lms_rep_parse_pool_status(x->status, &x->q, &r->err) < 0)
		return r->err.rc;
	x->q.unit_code = x->unit;
	x->q.course_code = x->course;
	x->q.par_area = x->area;
	x->q.assessment_code = x->assessment;
	return lms_rep_prepare(r->store, &x->scope, &x->q, r->arena, &x->root, &r->err);
}

static int parse_common(srv_req *r, rep_req *x)
{
	memset(x, 0, sizeof(*x));
	return parse_common_with(r, x);
}

/* ---- files ---- */

typedef struct stream {
	srv_req *r;
	const char *ctype, *name;
	bool started;
	long long bytes;
} stream;

/* Sends the headers before the first bytes (so a failure before them is still a problem
 * answer), then each chunk; a failure after them cuts the connection: the client sees a
 * truncated transfer, never a complete-looking file. */
static int stream_sink(void *ctx, const void *buf, size_t n)
{
	stream *s = ctx;

	if (!s->started) {
		s->started = true;
		mg_printf(s->r->conn,
		          "HTTP/1.1 200 OK\r\n"
		          "Content-Type: %s\r\n"
		          "Content-Disposition: attachment; filename=\"%s\"\r\n"
		          "Transfer-Encoding: chunked\r\n"
		          "Cache-Control: no-store\r\n"
		          "X-Request-Id: %s\r\n"
		          "%s\r\n",
		          s->ctype, s->name, s->r->id, srv_security_headers);
		s->r->status = 200;
	}
	if (n && mg_send_chunk(s->r->conn, buf, (unsigned int)n) < 0)
		return LMS_EUNAVAIL;
	s->bytes += (long long)n;
	return 0;
}

static char *audit_params(const rep_req *x, const char *report)
{
	cJSON *o = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(o, "report", report);
	cJSON_AddStringToObject(o, "unit", x->root.code);
	cJSON_AddStringToObject(o, "period", x->q.period.label);
	cJSON_AddStringToObject(o, "from", x->q.period.from);
	cJSON_AddStringToObject(o, "to", x->q.period.to);
	srv_rep_str_or_null(o, "course", x->q.course_code);
	srv_rep_str_or_null(o, "par_area", x->q.par_area);
	srv_rep_str_or_null(o, "audience", lms_rep_leader_name(x->q.leader));
	srv_rep_str_or_null(o, "par_role", lms_rep_par_name(x->q.par));
	if (strcmp(report, "completion") == 0)
		cJSON_AddStringToObject(o, "drill", x->people ? "people" : "units");
	if (strcmp(report, "indicator-list") == 0) {
		cJSON_AddStringToObject(o, "id", lms_rep_ind_id(x->ind));
		srv_rep_str_or_null(o, "only", x->only_s);
	}
	if (strcmp(report, "exams") == 0) {
		srv_rep_str_or_null(o, "assessment", x->q.assessment_code);
		srv_rep_str_or_null(o, "kind", lms_rep_akind_name(x->q.akind));
	}
	if (strcmp(report, "talent-pool") == 0)
		srv_rep_str_or_null(o, "status", lms_rep_pool_status_name(x->q.pool_status));
	cJSON_AddStringToObject(o, "format", x->format == FMT_CSV ? "csv" : "xlsx");
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static int audit(srv_req *r, const rep_req *x, const char *report, int64_t rows)
{
	char action[64], *params = audit_params(x, report);
	lms_audit a;
	int rc;

	snprintf(action, sizeof(action), "report.%s.%s", report, x->format == FMT_CSV ? "csv" : "xlsx");
	memset(&a, 0, sizeof(a));
	a.actor = r->who.user.username;
	a.user_id = r->who.user.id;
	a.action = action;
	a.params_json = params ? params : "{}";
	a.row_count = rows;
	a.client_addr = r->client_addr;
	a.request_id = r->id;
	rc = r->store->ops->report->audit(r->store, &a, &r->err);
	cJSON_free(params);
	return rc;
}

/* What a file is made of: the report's rows written to t. */
typedef int (*fill_fn)(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows);

static void file_name(const rep_req *x, const char *report, char *out, size_t size)
{
	snprintf(out, size, "bao-cao-%s-%s-%s.%s", report, x->root.code, x->q.period.label,
	         x->format == FMT_CSV ? "csv" : "xlsx");
}

/* CSV: streamed as the rows come; the audit entry (with the row count) is written before
 * the last, empty chunk, so a file whose export could not be logged never arrives whole. */
static int send_csv(srv_req *r, rep_req *x, const char *report, fill_fn fill)
{
	char name[160];
	stream s = { r, "text/csv; charset=utf-8", name, false, 0 };
	lms_tab *t = NULL;
	int64_t rows = 0;
	int rc;

	file_name(x, report, name, sizeof(name));
	if ((rc = lms_tab_csv_new(&t, stream_sink, &s, &r->err)) < 0 ||
	    (rc = fill(r, x, t, &rows)) < 0 || (rc = lms_tab_finish(t, &r->err)) < 0 ||
	    (rc = audit(r, x, report, rows)) < 0) {
		lms_tab_free(t);
		if (!s.started)
			return srv_reply_error(r);
		LMS_ERROR("request %s: the report file broke off after %lld bytes: %s", r->id, s.bytes,
		          r->err.msg);
		mg_disable_connection_keep_alive(r->conn);
		r->bytes_out = s.bytes;
		return 200;
	}
	lms_tab_free(t);
	mg_send_chunk(r->conn, "", 0);
	r->bytes_out = s.bytes;
	LMS_INFO("audit: %s (user %lld) exported %s of %s, %s: %lld row(s) (request %s)",
	         r->who.user.username, (long long)r->who.user.id, report, x->root.code,
	         x->q.period.label, (long long)rows, r->id);
	return 200;
}

/* XLSX: written to DATA/tmp, then sent with its length and removed. The paths and the copy
 * buffer live in the request's arena: a worker thread's stack is small. */
#define COPY_CHUNK 65536
static int send_xlsx(srv_req *r, rep_req *x, const char *report, fill_fn fill)
{
	size_t dlen = strlen(r->app->cfg->data_dir) + 8, plen = dlen + 32;
	char *dir = lms_arena_alloc(r->arena, dlen), *path = lms_arena_alloc(r->arena, plen);
	char *buf = lms_arena_alloc(r->arena, COPY_CHUNK), name[160];
	lms_tab *t = NULL;
	int64_t rows = 0;
	struct stat st;
	int fd = -1, rc;
	size_t got;
	FILE *f = NULL;

	file_name(x, report, name, sizeof(name));
	snprintf(dir, dlen, "%s/tmp", r->app->cfg->data_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		LMS_ERROR("request %s: cannot make %s: %s", r->id, dir, strerror(errno));
		return srv_reply_problem(r, 500, "internal", "the file could not be made", NULL, NULL);
	}
	snprintf(path, plen, "%s/report-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0) {
		LMS_ERROR("request %s: cannot make a file in %s: %s", r->id, dir, strerror(errno));
		return srv_reply_problem(r, 500, "internal", "the file could not be made", NULL, NULL);
	}
	close(fd);
	if ((rc = lms_tab_xlsx_new(&t, path, dir, lms_period_end_us(&x->q.period) / LMS_SECOND_US,
	                           &r->err)) < 0 ||
	    (rc = fill(r, x, t, &rows)) < 0 || (rc = lms_tab_finish(t, &r->err)) < 0 ||
	    (rc = audit(r, x, report, rows)) < 0) {
		lms_tab_free(t);
		unlink(path);
		return srv_reply_error(r);
	}
	lms_tab_free(t);
	if (!(f = fopen(path, "rb")) || fstat(fileno(f), &st) < 0) {
		if (f)
			fclose(f);
		unlink(path);
		return srv_reply_problem(r, 500, "internal", "the file could not be read", NULL, NULL);
	}
	unlink(path); /* the open file stays readable; nothing is left behind */
	mg_printf(r->conn,
	          "HTTP/1.1 200 OK\r\n"
	          "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
	          "Content-Disposition: attachment; filename=\"%s\"\r\n"
	          "Content-Length: %lld\r\n"
	          "Cache-Control: no-store\r\n"
	          "X-Request-Id: %s\r\n"
	          "%s\r\n",
	          name, (long long)st.st_size, r->id, srv_security_headers);
	r->status = 200;
	while ((got = fread(buf, 1, COPY_CHUNK, f)) > 0) {
		if (mg_write(r->conn, buf, got) <= 0)
			break;
		r->bytes_out += (long long)got;
	}
	fclose(f);
	LMS_INFO("audit: %s (user %lld) exported %s of %s, %s: %lld row(s) (request %s)",
	         r->who.user.username, (long long)r->who.user.id, report, x->root.code,
	         x->q.period.label, (long long)rows, r->id);
	return 200;
}

static int send_file(srv_req *r, rep_req *x, const char *report, fill_fn fill)
{
	return x->format == FMT_CSV ? send_csv(r, x, report, fill) : send_xlsx(r, x, report, fill);
}

/* ---- GET /api/reports/completion ---- */

static int fill_units(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	lms_rep_completion c;
	int rc;

	if ((rc = lms_rep_completion_run(r->store, &x->q, &x->root, r->arena, &c, &r->err)) < 0 ||
	    (rc = lms_rep_file_completion(t, &x->q, &c, &r->err)) < 0)
		return rc;
	if (x->format == FMT_XLSX) {
		/* the quarter's workbook carries the quiz and exam results and the surveys too */
		lms_rep_exams e;
		lms_rep_surveys sv;
		if ((rc = lms_rep_exams_run(r->store, &x->q, &x->root, r->arena, &e, &r->err)) < 0 ||
		    (rc = lms_rep_file_exam_sheets(t, &e, &r->err)) < 0)
			return rc;
		if ((rc = lms_rep_surveys_run(r->store, &x->q, &x->root, r->arena, &sv, &r->err)) < 0 ||
		    (rc = lms_rep_file_survey_sheet(t, &sv, &r->err)) < 0)
			return rc;
	}
	*rows = (int64_t)c.n_rows + 1;
	return LMS_OK;
}

static int fill_people(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	return lms_rep_file_people(r->store, t, &x->q, &x->root, rows, &r->err);
}

int h_reports_completion(srv_req *r)
{
	lms_rep_completion c;
	rep_req x;
	int64_t total = 0;
	cJSON *o, *arr;

	if (parse_common(r, &x) < 0 || query_var(r, "drill", x.drill, sizeof(x.drill)) < 0 ||
	    page_params(r, &x) < 0)
		return srv_reply_error(r);
	if (*x.drill && strcmp(x.drill, "units") != 0 && strcmp(x.drill, "people") != 0)
		return srv_reply_problem(r, 422, "invalid_field", "drill: units or people", "drill", NULL);
	x.people = strcmp(x.drill, "people") == 0;
	if (x.format != FMT_JSON)
		return send_file(r, &x, "completion", x.people ? fill_people : fill_units);
	if (x.people) {
		o = srv_rep_json_head(&x.q, &x.root);
		cJSON_AddStringToObject(o, "drill", "people");
		arr = cJSON_AddArrayToObject(o, "people");
		if (r->store->ops->report->people(r->store, &x.q, x.limit, x.offset, srv_rep_json_person, arr,
		                                  &total, &r->err) < 0) {
			cJSON_Delete(o);
			return srv_reply_error(r);
		}
		cJSON_AddNumberToObject(o, "total", (double)total);
		cJSON_AddNumberToObject(o, "limit", x.limit);
		cJSON_AddNumberToObject(o, "offset", x.offset);
		return srv_reply_json(r, 200, o, NULL);
	}
	if (lms_rep_completion_run(r->store, &x.q, &x.root, r->arena, &c, &r->err) < 0)
		return srv_reply_error(r);
	return srv_reply_json(r, 200, srv_rep_json_completion(&x.q, &x.root, &c), NULL);
}

/* ---- GET /api/reports/indicators ---- */

static int load_indicators(srv_req *r, rep_req *x, lms_rep_indicator *ind)
{
	return r->store->ops->report->indicators(r->store, &x->q, ind, &r->err);
}

static int fill_indicators(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	lms_rep_indicator ind[LMS_IND_COUNT];
	int rc;

	if ((rc = load_indicators(r, x, ind)) < 0 ||
	    (rc = lms_rep_file_indicators(t, &x->q, &x->root, ind, &r->err)) < 0)
		return rc;
	*rows = LMS_IND_COUNT;
	return LMS_OK;
}

int h_reports_indicators(srv_req *r)
{
	lms_rep_indicator ind[LMS_IND_COUNT];
	rep_req x;

	if (parse_common(r, &x) < 0)
		return srv_reply_error(r);
	if (x.format != FMT_JSON)
		return send_file(r, &x, "indicators", fill_indicators);
	if (load_indicators(r, &x, ind) < 0)
		return srv_reply_error(r);
	return srv_reply_json(r, 200, srv_rep_json_indicators(&x.q, &x.root, ind), NULL);
}

/* ---- GET /api/reports/indicator-list ---- */

static int fill_list(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	return lms_rep_file_list(r->store, t, &x->q, &x->root, x->ind, x->only, rows, &r->err);
}

int h_reports_indicator_list(srv_req *r)
{
	rep_req x;
	int64_t total = 0;
	cJSON *o, *arr;

	if (parse_common(r, &x) < 0 || query_var(r, "id", x.id, sizeof(x.id)) < 0 ||
	    query_var(r, "only", x.only_s, sizeof(x.only_s)) < 0 || page_params(r, &x) < 0 ||
	    lms_rep_ind_parse(x.id, &x.ind, &r->err) < 0)
		return srv_reply_error(r);
	if (!*x.only_s)
		x.only = LMS_REP_ALL;
	else if (strcmp(x.only_s, "counted") == 0)
		x.only = LMS_REP_COUNTED;
	else if (strcmp(x.only_s, "missing") == 0)
		x.only = LMS_REP_MISSING;
	else
		return srv_reply_problem(r, 422, "invalid_field", "only: counted or missing", "only", NULL);
	if (x.format != FMT_JSON)
		return send_file(r, &x, "indicator-list", fill_list);
	o = srv_rep_json_head(&x.q, &x.root);
	cJSON_AddStringToObject(o, "id", lms_rep_ind_id(x.ind));
	cJSON_AddStringToObject(o, "label", lms_rep_ind_label_vi(x.ind));
	cJSON_AddBoolToObject(o, "available", true);
	arr = cJSON_AddArrayToObject(o, "items");
	if (r->store->ops->report->indicator_list(r->store, &x.q, x.ind, x.only, x.limit, x.offset,
	                                          srv_rep_json_item, arr, &total, &r->err) < 0) {
		cJSON_Delete(o);
		return srv_reply_error(r);
	}
	cJSON_AddNumberToObject(o, "total", (double)total);
	cJSON_AddNumberToObject(o, "limit", x.limit);
	cJSON_AddNumberToObject(o, "offset", x.offset);
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- GET /api/reports/exams ---- */

static int fill_exams(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	lms_rep_exams e;
	int rc;

	if ((rc = lms_rep_exams_run(r->store, &x->q, &x->root, r->arena, &e, &r->err)) < 0 ||
	    (rc = lms_rep_file_exams(t, &x->q, &e, &r->err)) < 0)
		return rc;
	*rows = (int64_t)e.n_rows + 1;
	return LMS_OK;
}

int h_reports_exams(srv_req *r)
{
	lms_rep_exams e;
	rep_req x;

	/* the assessment filters are read before the common ones, which resolve them */
	memset(&x, 0, sizeof(x));
	if (query_var(r, "assessment", x.assessment, sizeof(x.assessment)) < 0 ||
	    query_var(r, "kind", x.kind, sizeof(x.kind)) < 0)
		return srv_reply_error(r);
	if (parse_common_with(r, &x) < 0)
		return srv_reply_error(r);
	if (x.format != FMT_JSON)
		return send_file(r, &x, "exams", fill_exams);
	if (lms_rep_exams_run(r->store, &x.q, &x.root, r->arena, &e, &r->err) < 0)
		return srv_reply_error(r);
	return srv_reply_json(r, 200, srv_rep_json_exams(&x.q, &x.root, &e), NULL);
}

/* ---- GET /api/reports/talent-pool ---- */

static int fill_pool(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	return lms_rep_file_pool(r->store, t, &x->q, &x->root, rows, &r->err);
}

int h_reports_talent_pool(srv_req *r)
{
	rep_req x;
	int64_t total = 0;
	cJSON *o, *arr;

	memset(&x, 0, sizeof(x));
	if (query_var(r, "status", x.status, sizeof(x.status)) < 0)
		return srv_reply_error(r);
	if (parse_common_with(r, &x) < 0 || page_params(r, &x) < 0)
		return srv_reply_error(r);
	if (x.format != FMT_JSON)
		return send_file(r, &x, "talent-pool", fill_pool);
	o = srv_rep_json_head(&x.q, &x.root);
	srv_rep_str_or_null(o, "status", lms_rep_pool_status_name(x.q.pool_status));
	arr = cJSON_AddArrayToObject(o, "entries");
	if (r->store->ops->report->talent_pool(r->store, &x.q, x.limit, x.offset, srv_rep_json_pool,
	                                       arr, &total, &r->err) < 0) {
		cJSON_Delete(o);
		return srv_reply_error(r);
	}
	cJSON_AddNumberToObject(o, "total", (double)total);
	cJSON_AddNumberToObject(o, "limit", x.limit);
	cJSON_AddNumberToObject(o, "offset", x.offset);
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- GET /api/reports/surveys ---- */

static int fill_surveys(srv_req *r, rep_req *x, lms_tab *t, int64_t *rows)
{
	lms_rep_surveys sv;
	int rc;

	if ((rc = lms_rep_surveys_run(r->store, &x->q, &x->root, r->arena, &sv, &r->err)) < 0)
		return rc;
	return lms_rep_file_surveys(t, &x->q, &sv, rows, &r->err);
}

int h_reports_surveys(srv_req *r)
{
	lms_rep_surveys sv;
	rep_req x;

	if (parse_common(r, &x) < 0)
		return srv_reply_error(r);
	if (x.format != FMT_JSON)
		return send_file(r, &x, "surveys", fill_surveys);
	if (lms_rep_surveys_run(r->store, &x.q, &x.root, r->arena, &sv, &r->err) < 0)
		return srv_reply_error(r);
	return srv_reply_json(r, 200, srv_rep_json_surveys(&x.q, &x.root, &sv), NULL);
}
