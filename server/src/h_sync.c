/* h_sync.c — reconciliation of the personnel sync on the web, and its metrics
 * (docs/personnel-sync.md "Reconciliation" and "The 3-working-day rule"; docs/operations.md):
 *
 *   GET  /api/sync/status?unit=&from=&to=&bucket=  per unit and day or month: produced,
 *        delivered, pending, dead, unroutable, overdue, oldest pending; the dead letters and
 *        overdue events. Admins see every unit, HR officers the subtrees of their units.
 *   POST /api/sync/resend {from_seq, to_seq}          admin: send a range again
 *   POST /api/sync/retry-dead {from_seq?, to_seq?}    admin: dead letters pending again
 *   GET  /metrics                                     Prometheus text format 0.0.4
 *
 * "Overdue" is an event still undelivered (pending or dead) PARLEARN_SYNC_ALERT_DAYS working
 * days (default 2; Monday to Friday in UTC+7, working_days.h) after it occurred. Answers name
 * an event by id, kind, employee code, unit, time, state, attempts and last error: never its
 * payload, never a personal identification number. Periods are days of Ho Chi Minh City time;
 * `to` is the last day, included (the CLI's --to is the day after).
 *
 * /metrics answers only a client on this machine that came straight to the server: not the
 * trusted proxy (nginx), and no request carrying a proxy's forwarding headers, so it is
 * never reachable from the internet through nginx (404, as if it did not exist).
 */
#include "http.h"
#include "json_out.h"

#include "lms/auth.h"
#include "lms/log.h"
#include "lms/validate.h"
#include "lms/working_days.h"

#include <civetweb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLE(k) (1u << (k))
#define ALERT_DAYS_DEFAULT 2
#define ALERT_DAYS_MAX 60
#define DEFAULT_DAYS 30          /* the period when none is given: the last 30 days */
#define MAX_DAY_BUCKETS 366      /* bucket=day over at most a year */
#define AUTO_DAY_BUCKETS 62      /* without bucket=: days up to two months, then months */
#define MAX_ROWS 20000           /* unit × period lines in one answer */
#define MAX_PROBLEMS 500         /* dead letters and overdue events listed */
#define MAX_RANGE 100000         /* events in one resend or retry */
#define FIRST_DAY "2000-01-01"   /* the dates a period may name */
#define LAST_DAY "2099-12-31"

int srv_sync_alert_days(void)
{
	static atomic_int warned;
	const char *v = getenv("PARLEARN_SYNC_ALERT_DAYS");
	char *end;
	long d;

	if (!v || !*v)
		return ALERT_DAYS_DEFAULT;
	d = strtol(v, &end, 10);
	if (*end || d < 1 || d > ALERT_DAYS_MAX) {
		if (!atomic_exchange(&warned, 1))
			LMS_WARN("PARLEARN_SYNC_ALERT_DAYS must be a whole number of working days from 1 to "
			         "%d; using %d", ALERT_DAYS_MAX, ALERT_DAYS_DEFAULT);
		return ALERT_DAYS_DEFAULT;
	}
	return (int)d;
}

static int64_t now_us(const srv_req *r)
{
	return lms_now(r->app->clock);
}

/* ---- GET /api/sync/status ------------------------------------------------------------ */

typedef struct status_query {
	char unit[40];             /* "" for every unit of the caller's reach */
	char from[16], to[16];     /* YYYY-MM-DD, both included */
	int64_t from_day, to_day;  /* days since 1970-01-01 */
	bool by_month;
} status_query;

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

static int64_t day_of(const char *date)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (int)strtol(date, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(date + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(date + 8, NULL, 10);
	return (int64_t)timegm(&tm) / 86400;
}

static void date_of(int64_t day, char out[16])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* from or to: absent (the default day), or a real date from FIRST_DAY to LAST_DAY. */
static int query_date(srv_req *r, const char *name, int64_t def_day, char out[16], int64_t *day)
{
	int rc = query_var(r, name, out, 16);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		date_of(def_day, out);
		*day = def_day;
		return LMS_OK;
	}
	if (lms_check_date(name, out, &r->err) < 0)
		return r->err.rc;
	*day = day_of(out);
	if (*day < day_of(FIRST_DAY) || *day > day_of(LAST_DAY))
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a date from " FIRST_DAY " to " LAST_DAY, name);
	return LMS_OK;
}

static int parse_status_query(srv_req *r, status_query *q)
{
	int64_t today = (now_us(r) + LMS_WD_OFFSET_US) / LMS_WD_DAY_US, days;
	char bucket[8];
	int rc;

	memset(q, 0, sizeof(*q));
	if ((rc = query_var(r, "unit", q->unit, sizeof(q->unit))) < 0 ||
	    (rc == 1 && lms_check_code("unit", q->unit, &r->err) < 0) ||
	    query_date(r, "to", today, q->to, &q->to_day) < 0 ||
	    query_date(r, "from", q->to_day - (DEFAULT_DAYS - 1), q->from, &q->from_day) < 0 ||
	    (rc = query_var(r, "bucket", bucket, sizeof(bucket))) < 0)
		return r->err.rc;
	if (q->to_day < q->from_day)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "to",
		                   "to: the last day comes on or after from");
	days = q->to_day - q->from_day + 1;
	if (rc == 1 && strcmp(bucket, "day") != 0 && strcmp(bucket, "month") != 0)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "bucket",
		                   "bucket: \"day\" or \"month\"");
	q->by_month = rc == 1 ? strcmp(bucket, "month") == 0 : days > AUTO_DAY_BUCKETS;
	if (!q->by_month && days > MAX_DAY_BUCKETS)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "bucket",
		                   "bucket: days over at most %d days; ask for months", MAX_DAY_BUCKETS);
	return LMS_OK;
}

/* The unit asked for (if any) must exist and lie in the caller's reach. */
static int check_unit(srv_req *r, const lms_scope *scope, const char *code)
{
	lms_unit unit;
	bool within = false;

	if (!*code)
		return LMS_OK;
	if (r->store->ops->unit_find(r->store, code, r->arena, &unit, &r->err) < 0 ||
	    (!scope->all && r->store->ops->unit_within(r->store, unit.id, scope, &within, &r->err) < 0))
		return r->err.rc;
	if (!scope->all && !within)
		return lms_err_set(&r->err, LMS_EFORBIDDEN, "forbidden", "unit",
		                   "this unit is outside your reach");
	return LMS_OK;
}

static void add_counts(cJSON *o, const lms_sync_status_row *c, int64_t now)
{
	cJSON_AddNumberToObject(o, "produced", (double)c->produced);
	cJSON_AddNumberToObject(o, "delivered", (double)c->delivered);
	cJSON_AddNumberToObject(o, "pending", (double)c->pending);
	cJSON_AddNumberToObject(o, "dead", (double)c->dead);
	cJSON_AddNumberToObject(o, "unroutable", (double)c->unroutable);
	cJSON_AddNumberToObject(o, "overdue", (double)c->overdue);
	srv_json_time(o, "oldest_pending_at", c->oldest_pending_us);
	if (c->oldest_pending_us)
		cJSON_AddNumberToObject(o, "oldest_pending_age_s",
		                        (double)((now > c->oldest_pending_us ? now - c->oldest_pending_us : 0) /
		                                 LMS_SECOND_US));
	else
		cJSON_AddNullToObject(o, "oldest_pending_age_s");
}

static void sum_into(lms_sync_status_row *t, const lms_sync_status_row *c)
{
	t->produced += c->produced;
	t->delivered += c->delivered;
	t->pending += c->pending;
	t->dead += c->dead;
	t->unroutable += c->unroutable;
	t->overdue += c->overdue;
	if (c->oldest_pending_us && (!t->oldest_pending_us || c->oldest_pending_us < t->oldest_pending_us))
		t->oldest_pending_us = c->oldest_pending_us;
}

static bool same_unit(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Rows (ordered by unit, then period) as units with their periods; the grand total in *all. */
static cJSON *json_units(const lms_sync_status_row *rows, size_t n, int64_t now,
                         lms_sync_status_row *all)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i = 0, j;

	memset(all, 0, sizeof(*all));
	while (i < n) {
		lms_sync_status_row tot;
		cJSON *u = cJSON_CreateObject(), *periods;

		memset(&tot, 0, sizeof(tot));
		srv_json_str(u, "code", rows[i].unit_code);
		srv_json_str(u, "name", rows[i].unit_name);
		periods = cJSON_CreateArray();
		for (j = i; j < n && same_unit(rows[j].unit_code, rows[i].unit_code); j++) {
			cJSON *p = cJSON_CreateObject();
			cJSON_AddStringToObject(p, "period", rows[j].period ? rows[j].period : "");
			add_counts(p, &rows[j], now);
			cJSON_AddItemToArray(periods, p);
			sum_into(&tot, &rows[j]);
		}
		add_counts(u, &tot, now);
		cJSON_AddItemToObject(u, "periods", periods);
		cJSON_AddItemToArray(arr, u);
		sum_into(all, &tot);
		i = j;
	}
	return arr;
}

static cJSON *json_problem(const lms_sync_problem *p, int64_t now)
{
	cJSON *o = cJSON_CreateObject();
	double age = (double)lms_wd_elapsed_us(p->occurred_us, now) / (double)LMS_WD_DAY_US;

	cJSON_AddNumberToObject(o, "seq", (double)p->seq);
	cJSON_AddStringToObject(o, "event_id", p->event_id);
	cJSON_AddStringToObject(o, "kind", p->kind);
	srv_json_str(o, "employee_code", p->employee_code);
	srv_json_str(o, "unit_code", p->unit_code);
	srv_json_str(o, "unit_name", p->unit_name);
	srv_json_time(o, "occurred_at", p->occurred_us);
	cJSON_AddNumberToObject(o, "age_working_days", (double)(int64_t)(age * 100.0) / 100.0);
	cJSON_AddStringToObject(o, "state", p->state);
	cJSON_AddBoolToObject(o, "blocked", p->blocked);
	cJSON_AddNumberToObject(o, "attempts", p->attempts);
	srv_json_str(o, "last_error", p->last_error);
	return o;
}

/* The first MAX_PROBLEMS of list as two lists (a dead letter that is overdue is in both). */
static void add_problems(cJSON *o, const lms_sync_problem *list, size_t n, int64_t dead_total,
                         int64_t overdue_total, int64_t now)
{
	cJSON *dead = cJSON_CreateArray(), *late = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n && i < MAX_PROBLEMS; i++) {
		if (strcmp(list[i].state, "dead") == 0)
			cJSON_AddItemToArray(dead, json_problem(&list[i], now));
		if (list[i].overdue)
			cJSON_AddItemToArray(late, json_problem(&list[i], now));
	}
	cJSON_AddNumberToObject(o, "dead_total", (double)dead_total);
	cJSON_AddNumberToObject(o, "overdue_total", (double)overdue_total);
	cJSON_AddItemToObject(o, "dead", dead);
	cJSON_AddItemToObject(o, "overdue", late);
	cJSON_AddBoolToObject(o, "lists_truncated", n > MAX_PROBLEMS);
}

int h_sync_status(srv_req *r)
{
	int64_t now = now_us(r), cutoff, dead_total, overdue_total;
	int days = srv_sync_alert_days();
	lms_sync_status_row *rows, all;
	lms_sync_problem *probs;
	status_query q;
	lms_scope scope;
	size_t n, np;
	cJSON *o;

	cutoff = lms_wd_cutoff_us(now, days);
	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   &scope, &r->err) < 0 ||
	    parse_status_query(r, &q) < 0 || check_unit(r, &scope, q.unit) < 0 ||
	    r->store->ops->sync_status(r->store, &scope, q.unit[0] ? q.unit : NULL,
	                               q.from_day * LMS_WD_DAY_US - LMS_WD_OFFSET_US,
	                               (q.to_day + 1) * LMS_WD_DAY_US - LMS_WD_OFFSET_US, q.by_month,
	                               cutoff, MAX_ROWS + 1, r->arena, &rows, &n, &r->err) < 0 ||
	    r->store->ops->sync_problems(r->store, &scope, q.unit[0] ? q.unit : NULL, cutoff,
	                                 MAX_PROBLEMS + 1, r->arena, &probs, &np, &dead_total,
	                                 &overdue_total, &r->err) < 0)
		return srv_reply_error(r);
	if (n > MAX_ROWS)
		return srv_reply_problem(r, 422, "invalid_field",
		                         "more lines than one answer holds: choose a unit, a shorter "
		                         "period or months", "unit", NULL);
	o = cJSON_CreateObject();
	srv_json_str(o, "unit", q.unit[0] ? q.unit : NULL);
	cJSON_AddStringToObject(o, "from", q.from);
	cJSON_AddStringToObject(o, "to", q.to);
	cJSON_AddStringToObject(o, "bucket", q.by_month ? "month" : "day");
	cJSON_AddNumberToObject(o, "alert_working_days", days);
	srv_json_time(o, "now", now);
	srv_json_time(o, "overdue_cutoff", cutoff);
	cJSON_AddItemToObject(o, "units", json_units(rows, n, now, &all));
	add_counts(cJSON_AddObjectToObject(o, "totals"), &all, now);
	add_problems(o, probs, np, dead_total, overdue_total, now);
	return srv_reply_json(r, 200, o, NULL);
}

/* ---- POST /api/sync/resend and /api/sync/retry-dead ------------------------------------- */

/* A member that is an event seq: a whole number from 1 to 2^53 − 1 (exact in JSON). *out 0
 * when absent and not required. */
static int seq_member(srv_req *r, const cJSON *body, const char *name, bool required,
                      int64_t *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, name);
	double v;

	*out = 0;
	if (!m || cJSON_IsNull(m)) {
		if (!required)
			return LMS_OK;
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: is required", name);
	}
	v = cJSON_IsNumber(m) ? m->valuedouble : 0;
	if (!cJSON_IsNumber(m) || !(v >= 1 && v <= 9007199254740991.0) || v != (double)(int64_t)v)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: an event seq, a whole number from 1", name);
	*out = (int64_t)v;
	return LMS_OK;
}

/* Admin only; reads {from_seq, to_seq} (required or not), from <= to, at most MAX_RANGE
 * events. 0, or the status of the problem already sent. */
static int read_range(srv_req *r, bool required, int64_t *from, int64_t *to)
{
	cJSON *body = NULL;
	int status, rc;

	if (!lms_user_has_role(&r->who.user, LMS_ROLE_ADMIN))
		return srv_reply_problem(r, 403, "forbidden",
		                         "only an administrator may send events again", NULL, NULL);
	if ((status = srv_read_json(r, &body)) != 0)
		return status;
	if ((rc = seq_member(r, body, "from_seq", required, from)) == 0)
		rc = seq_member(r, body, "to_seq", required, to);
	cJSON_Delete(body);
	if (rc == 0 && *from && *to && *to < *from)
		rc = lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "to_seq",
		                 "to_seq: comes on or after from_seq");
	if (rc == 0 && *from && *to && *to - *from >= MAX_RANGE)
		rc = lms_err_set(&r->err, LMS_EINVAL, "invalid_field", "to_seq",
		                 "to_seq: at most %d events at a time", MAX_RANGE);
	return rc < 0 ? srv_reply_error(r) : 0;
}

static int queued(srv_req *r, const char *what, int64_t from, int64_t to, int64_t n)
{
	cJSON *o = cJSON_CreateObject();

	/* There is no audit table yet: the log is the record of who sent what again. */
	LMS_INFO("audit: %s (user %lld) %s, seq %lld to %lld: %lld event(s) queued (request %s)",
	         r->who.user.username, (long long)r->who.user.id, what, (long long)from,
	         (long long)to, (long long)n, r->id);
	cJSON_AddNumberToObject(o, "queued", (double)n);
	if (from)
		cJSON_AddNumberToObject(o, "from_seq", (double)from);
	else
		cJSON_AddNullToObject(o, "from_seq");
	if (to)
		cJSON_AddNumberToObject(o, "to_seq", (double)to);
	else
		cJSON_AddNullToObject(o, "to_seq");
	return srv_reply_json(r, 200, o, NULL);
}

int h_sync_resend(srv_req *r)
{
	int64_t from = 0, to = 0, n = 0;
	int status;

	if ((status = read_range(r, true, &from, &to)) != 0)
		return status;
	if (r->store->ops->sync_resend(r->store, from, to, &n, &r->err) < 0)
		return srv_reply_error(r);
	return queued(r, "resent", from, to, n);
}

int h_sync_retry_dead(srv_req *r)
{
	int64_t from = 0, to = 0, n = 0;
	int status;

	if ((status = read_range(r, false, &from, &to)) != 0)
		return status;
	if (r->store->ops->sync_retry_dead(r->store, from, to, &n, &r->err) < 0)
		return srv_reply_error(r);
	return queued(r, "retried dead letters", from, to, n);
}

/* ---- GET /metrics ---------------------------------------------------------------------- */

/* Straight from this machine: a loopback peer that is not the trusted proxy, and no
 * forwarding header (nginx always sets X-Forwarded-For, even without --trusted-proxy). */
static bool direct_local(const srv_req *r)
{
	static const char *const fwd[] = { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
	                                   "X-Real-IP", "Forwarded" };
	const char *peer = r->ri->remote_addr, *proxy = r->app->cfg->trusted_proxy;
	size_t i;

	if (proxy && *proxy && strcmp(peer, proxy) == 0)
		return false;
	for (i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		if (mg_get_header(r->conn, fwd[i]))
			return false;
	return strncmp(peer, "127.", 4) == 0 || strcmp(peer, "::1") == 0 ||
	       strncmp(peer, "::ffff:127.", 11) == 0;
}

int h_metrics(srv_req *r)
{
	int64_t now = now_us(r), overdue = 0, age = 0;
	int days = srv_sync_alert_days();
	lms_sync_report_row t;
	char body[2048];
	int len;

	if (!direct_local(r))
		return srv_reply_problem(r, 404, "not_found", "no such resource", NULL, NULL);
	if (r->store->ops->sync_totals(r->store, lms_wd_cutoff_us(now, days), &t, &overdue,
	                               &r->err) < 0)
		return srv_reply_error(r);
	if (t.oldest_pending_us && now > t.oldest_pending_us)
		age = (now - t.oldest_pending_us) / LMS_SECOND_US;
	len = snprintf(body, sizeof(body),
	               "# HELP parlearn_sync_events Training-record events in the outbox, by state.\n"
	               "# TYPE parlearn_sync_events gauge\n"
	               "parlearn_sync_events{state=\"pending\"} %lld\n"
	               "parlearn_sync_events{state=\"delivered\"} %lld\n"
	               "parlearn_sync_events{state=\"dead\"} %lld\n"
	               "parlearn_sync_events{state=\"unroutable\"} %lld\n"
	               "# HELP parlearn_sync_oldest_pending_age_seconds Age of the oldest pending "
	               "event, 0 when none.\n"
	               "# TYPE parlearn_sync_oldest_pending_age_seconds gauge\n"
	               "parlearn_sync_oldest_pending_age_seconds %lld\n"
	               "# HELP parlearn_sync_overdue_events Events still undelivered (pending or "
	               "dead) %d working days or more after they occurred.\n"
	               "# TYPE parlearn_sync_overdue_events gauge\n"
	               "parlearn_sync_overdue_events %lld\n"
	               "# HELP parlearn_sync_alert_working_days The alert age, in working days "
	               "(PARLEARN_SYNC_ALERT_DAYS).\n"
	               "# TYPE parlearn_sync_alert_working_days gauge\n"
	               "parlearn_sync_alert_working_days %d\n"
	               "# HELP parlearn_build_info The running parlearn; always 1.\n"
	               "# TYPE parlearn_build_info gauge\n"
	               "parlearn_build_info{version=\"%s\"} 1\n",
	               (long long)t.pending, (long long)t.delivered, (long long)t.dead,
	               (long long)t.unroutable, (long long)age, days, (long long)overdue, days,
	               PARLEARN_VERSION);
	if (len < 0 || (size_t)len >= sizeof(body))
		return srv_reply_problem(r, 500, "internal", "the metrics could not be written", NULL,
		                         NULL);
	mg_printf(r->conn,
	          "HTTP/1.1 200 OK\r\n"
	          "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
	          "Content-Length: %d\r\n"
	          "Cache-Control: no-store\r\n"
	          "X-Request-Id: %s\r\n"
	          "%s\r\n",
	          len, r->id, srv_security_headers);
	if (strcmp(r->ri->request_method, "HEAD") != 0)
		mg_write(r->conn, body, (size_t)len);
	r->status = 200;
	r->bytes_out = len;
	return 200;
}
