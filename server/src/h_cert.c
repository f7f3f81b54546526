/* h_cert.c — certificates over HTTP (docs/certificates.md):
 *   GET  /api/my/certificates          the learner's certificates (issuing any still missing)
 *   GET  /api/certificate.pdf?serial=  the PDF: its holder, an HR officer of the holder's
 *                                      unit subtree, or an admin; a revoked one is gone (410)
 *   POST /api/certificates/revoke      admin: {serial, reason}
 *   GET  /api/verify?code=             public: is this code genuine, and is it revoked
 *   GET  /verify/<code>                public: the same as a page (the QR code's target)
 * The public answers say only what the paper says (name, title, dates, result, issuer,
 * serial) plus the revocation, never the employee code; they are rate-limited per address. */
#include "http.h"

#include "lms/certificate.h"
#include "lms/certs.h"
#include "lms/clock.h"
#include "lms/log.h"

#include <civetweb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROLE(k) (1u << (k))
#define VERIFY_PER_MIN 30.0

/* ---- a token bucket per client address for the public verification ---- */
#define BUCKETS 256
static struct {
	char addr[64];
	double tokens, at;
} buckets[BUCKETS];
static pthread_mutex_t buckets_lock = PTHREAD_MUTEX_INITIALIZER;

static bool verify_allowed(const char *addr)
{
	struct timespec ts;
	unsigned h = 5381;
	const char *p;
	double now;
	bool ok;
	size_t i;

	for (p = addr; *p; p++)
		h = h * 33u + (unsigned char)*p;
	i = h % BUCKETS;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	pthread_mutex_lock(&buckets_lock);
	if (strcmp(buckets[i].addr, addr) != 0) {
		snprintf(buckets[i].addr, sizeof(buckets[i].addr), "%s", addr);
		buckets[i].tokens = VERIFY_PER_MIN;
		buckets[i].at = now;
	}
	buckets[i].tokens += (now - buckets[i].at) * VERIFY_PER_MIN / 60.0;
	if (buckets[i].tokens > VERIFY_PER_MIN)
		buckets[i].tokens = VERIFY_PER_MIN;
	buckets[i].at = now;
	ok = buckets[i].tokens >= 1.0;
	if (ok)
		buckets[i].tokens -= 1.0;
	pthread_mutex_unlock(&buckets_lock);
	return ok;
}

static const char *issuer_code(void)
{
	const char *v = getenv("PARLEARN_CERT_ISSUER");

	return v && *v ? v : NULL;
}

/* Issues what is missing for user_id (0: everyone), at most limit; logs and goes on on
 * failure (the listing still shows what exists). */
void srv_certs_issue(lms_store *s, const srv_app *app, int64_t user_id, int limit)
{
	int issued = 0;
	lms_err e;

	lms_err_clear(&e);
	if (lms_certs_issue_pending(s, user_id, limit, issuer_code(), app->public_url,
	                            lms_now(app->clock), &issued, &e) < 0)
		LMS_WARN("certificates: cannot issue: %s", e.msg);
	else if (issued)
		LMS_INFO("certificates: %d issued", issued);
}

static cJSON *cert_json(const srv_app *app, const lms_cert_row *c, bool public_view)
{
	cJSON *o = cJSON_CreateObject(), *res = cJSON_AddObjectToObject(o, "result");
	char url[512];

	cJSON_AddStringToObject(o, "serial", c->serial);
	cJSON_AddStringToObject(o, "kind", c->kind);
	cJSON_AddStringToObject(o, "learner_name", c->learner_name);
	cJSON_AddStringToObject(o, "title", c->title);
	if (c->course_code)
		cJSON_AddStringToObject(o, "course_code", c->course_code);
	if (c->version_no)
		cJSON_AddNumberToObject(o, "course_version", c->version_no);
	if (c->periods >= 0)
		cJSON_AddNumberToObject(o, "training_periods", c->periods);
	if (c->passed >= 0)
		cJSON_AddBoolToObject(res, "passed", c->passed == 1);
	if (c->has_score)
		cJSON_AddNumberToObject(res, "score", c->score);
	cJSON_AddStringToObject(o, "completed_on", c->completed_on);
	cJSON_AddStringToObject(o, "issued_on", c->issued_on);
	cJSON_AddStringToObject(o, "issuer", c->issuer_name);
	cJSON_AddBoolToObject(o, "revoked", c->revoked_on != NULL);
	if (c->revoked_on) {
		cJSON_AddStringToObject(o, "revoked_on", c->revoked_on);
		cJSON_AddStringToObject(o, "revoke_reason", c->revoke_reason);
	}
	snprintf(url, sizeof(url), "%s/verify/%s", app->public_url, c->code);
	cJSON_AddStringToObject(o, "verify_url", url);
	if (!public_view) {
		cJSON_AddStringToObject(o, "code", c->code);
		snprintf(url, sizeof(url), "/api/certificate.pdf?serial=%s", c->serial);
		cJSON_AddStringToObject(o, "pdf_url", url);
	}
	return o;
}

int h_my_certificates(srv_req *r)
{
	lms_cert_row *rows;
	size_t n, i;
	cJSON *o, *arr;

	srv_certs_issue(r->store, r->app, r->who.user.id, 50);
	if (r->store->ops->cert_list(r->store, r->who.user.id, r->arena, &rows, &n, &r->err) < 0)
		return srv_reply_error(r);
	o = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(o, "certificates");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cert_json(r->app, &rows[i], false));
	return srv_reply_json(r, 200, o, NULL);
}

/* May the caller have this certificate's PDF? Its holder, an admin, or an HR officer whose
 * subtree holds the holder's unit when it was issued. */
static int may_see(srv_req *r, const lms_cert_row *c)
{
	lms_scope scope;
	bool within = false;

	if (c->user_id == r->who.user.id)
		return LMS_OK;
	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN) | ROLE(LMS_ROLE_HR_OFFICER), r->arena,
	                   &scope, &r->err) < 0)
		return lms_err_set(&r->err, LMS_ENOTFOUND, "not_found", "serial", "no such certificate");
	if (scope.all)
		return LMS_OK;
	if (c->unit_id && r->store->ops->unit_within(r->store, c->unit_id, &scope, &within,
	                                             &r->err) < 0)
		return r->err.rc;
	if (!within)
		return lms_err_set(&r->err, LMS_ENOTFOUND, "not_found", "serial", "no such certificate");
	return LMS_OK;
}

static lms_cert_date date_of(const char *ymd)
{
	lms_cert_date d = { 0, 0, 0 };

	if (ymd && strlen(ymd) == 10) {
		d.year = (int)strtol(ymd, NULL, 10);
		d.month = (int)strtol(ymd + 5, NULL, 10);
		d.day = (int)strtol(ymd + 8, NULL, 10);
	}
	return d;
}

int h_certificate_pdf(srv_req *r)
{
	const char *qs = r->ri->query_string;
	char serial[40], url[512], version[16];
	unsigned char *pdf = NULL;
	size_t len = 0;
	lms_cert_row c;
	lms_cert doc;

	if (!qs || mg_get_var(qs, strlen(qs), "serial", serial, sizeof(serial)) <= 0)
		return srv_reply_problem(r, 422, "invalid_field", "serial: give the certificate's serial",
		                         "serial", NULL);
	if (r->store->ops->cert_get(r->store, serial, r->arena, &c, &r->err) < 0 || may_see(r, &c) < 0)
		return srv_reply_error(r);
	if (c.revoked_on)
		return srv_reply_problem(r, 410, "certificate_revoked",
		                         "this certificate was revoked; its page at /verify says why",
		                         "serial", NULL);
	memset(&doc, 0, sizeof(doc));
	doc.kind = strcmp(c.kind, "exam") == 0 ? LMS_CERT_EXAM : LMS_CERT_COURSE;
	doc.learner_name = c.learner_name;
	doc.employee_code = c.employee_code;
	doc.title = c.title;
	if (c.version_no) {
		snprintf(version, sizeof(version), "%d", c.version_no);
		doc.course_version = version;
	}
	doc.periods = c.periods > 0 ? c.periods : 0;
	doc.passed = c.passed != 0;
	if (c.has_score && c.score >= 0 && c.score <= 1) {
		doc.has_score = true;
		doc.score_x100 = (int32_t)(c.score * 1000 + 0.5);
		doc.max_score_x100 = 1000;
	}
	doc.completed = date_of(c.completed_on);
	doc.issued = date_of(c.issued_on);
	doc.serial = c.serial;
	doc.verify_code = c.code;
	snprintf(url, sizeof(url), "%s/verify/%s", r->app->public_url, c.code);
	doc.verify_url = url;
	doc.issuer = c.issuer_name;
	doc.issuer_parent = c.issuer_parent_name;
	doc.place = "Thành phố Hồ Chí Minh";
	if (lms_cert_pdf_render(&pdf, &len, &doc, &r->err) < 0) {
		LMS_ERROR("certificate %s: cannot render: %s", serial, r->err.msg);
		return srv_reply_error(r);
	}
	{
		char extra[160];

		snprintf(extra, sizeof(extra),
		         "Content-Disposition: attachment; filename=\"chung-nhan-%s.pdf\"\r\n", c.serial);
		srv_reply_bytes(r, 200, "application/pdf", (const char *)pdf, len, extra);
	}
	lms_cert_pdf_free(pdf);
	return 200;
}

int h_certificate_revoke(srv_req *r)
{
	const char *serial, *reason;
	char by[96];
	lms_scope scope;
	cJSON *in = NULL;
	int rc;

	if (lms_user_scope(&r->who.user, ROLE(LMS_ROLE_ADMIN), r->arena, &scope, &r->err) < 0)
		return srv_reply_error(r);
	if ((rc = srv_read_json(r, &in)) != 0)
		return rc;
	if (srv_json_string(r, in, "serial", true, 32, &serial) < 0 ||
	    srv_json_string(r, in, "reason", true, 500, &reason) < 0 ||
	    r->store->ops->cert_revoke(r->store, serial, (snprintf(by, sizeof(by), "user:%s",
	                                                           r->who.user.username), by),
	                               reason, r->app->public_url, &r->err) < 0) {
		cJSON_Delete(in);
		return srv_reply_error(r);
	}
	LMS_INFO("audit: %s revoked certificate %s", r->who.user.username, serial);
	cJSON_Delete(in);
	return srv_reply_empty(r, 204, NULL);
}

/* ---- public verification ---- */

static int verify(srv_req *r, const char *code, lms_cert_row *c)
{
	if (!verify_allowed(r->client_addr))
		return lms_err_set(&r->err, LMS_ETHROTTLED, "too_many_requests", NULL,
		                   "too many verifications from this address; wait a minute");
	return lms_certs_verify(r->store, code, r->arena, c, &r->err);
}

int h_verify_api(srv_req *r)
{
	const char *qs = r->ri->query_string;
	char code[160];
	lms_cert_row c;
	cJSON *o;

	if (!qs || mg_get_var(qs, strlen(qs), "code", code, sizeof(code)) <= 0)
		return srv_reply_problem(r, 422, "invalid_field", "code: give the verification code",
		                         "code", NULL);
	if (verify(r, code, &c) < 0) {
		if (r->err.rc == LMS_ETHROTTLED)
			return srv_reply_problem(r, 429, "too_many_requests", r->err.msg, NULL,
			                         "Retry-After: 60\r\n");
		return srv_reply_error(r);
	}
	o = cert_json(r->app, &c, true);
	cJSON_AddBoolToObject(o, "genuine", true);
	return srv_reply_json(r, 200, o, NULL);
}

/* Appends s HTML-escaped. */
static void html(char *buf, size_t cap, size_t *at, const char *s)
{
	for (; s && *s && *at + 8 < cap; s++) {
		const char *e = NULL;

		switch (*s) {
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '&': e = "&amp;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		}
		if (e) {
			size_t n = strlen(e);
			memcpy(buf + *at, e, n);
			*at += n;
		} else {
			buf[(*at)++] = *s;
		}
	}
	buf[*at] = '\0';
}

static void raw(char *buf, size_t cap, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + n + 1 >= cap)
		n = cap - *at - 1;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
}

static void row(char *buf, size_t cap, size_t *at, const char *vi, const char *en, const char *v)
{
	raw(buf, cap, at, "<tr><th scope=\"row\">");
	raw(buf, cap, at, vi);
	raw(buf, cap, at, " <span lang=\"en\">/ ");
	raw(buf, cap, at, en);
	raw(buf, cap, at, "</span></th><td>");
	html(buf, cap, at, v);
	raw(buf, cap, at, "</td></tr>");
}

int h_verify_page(srv_req *r)
{
	const char *code = r->ri->local_uri + strlen("/verify/");
	size_t cap = 16384, at = 0;
	char *b = lms_arena_alloc(r->arena, cap), decoded[160], result[96];
	lms_cert_row c;
	int status = 200;

	if (mg_url_decode(code, (int)strlen(code), decoded, sizeof(decoded), 0) < 0)
		decoded[0] = '\0';
	raw(b, cap, &at, "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
	                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	                 "<title>Xác minh giấy chứng nhận — parlearn</title>"
	                 "<link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body>"
	                 "<main class=\"verify\"><h1>Xác minh giấy chứng nhận "
	                 "<span lang=\"en\">/ Certificate verification</span></h1>");
	if (verify(r, decoded, &c) < 0) {
		status = r->err.rc == LMS_ETHROTTLED ? 429 : r->err.rc == LMS_EINVAL ? 400 : 404;
		raw(b, cap, &at, "<p class=\"verify-bad\" role=\"alert\"><strong>");
		raw(b, cap, &at, status == 429 ? "Quá nhiều lần kiểm tra từ địa chỉ này; hãy thử lại sau một phút."
		                 : status == 400 ? "Mã xác minh không đúng định dạng."
		                                 : "Không có giấy chứng nhận nào mang mã xác minh này: giấy "
		                                   "chứng nhận không phải do parlearn cấp, hoặc mã đã bị sửa.");
		raw(b, cap, &at, "</strong><br><span lang=\"en\">");
		raw(b, cap, &at, status == 429 ? "Too many verifications from this address; try again in a minute."
		                 : status == 400 ? "This is not a verification code."
		                                 : "No certificate has this verification code: it was not "
		                                   "issued by parlearn, or the code was altered.");
		raw(b, cap, &at, "</span></p>");
	} else {
		if (c.revoked_on) {
			raw(b, cap, &at, "<p class=\"verify-bad\" role=\"alert\"><strong>Giấy chứng nhận này "
			                 "ĐÃ BỊ THU HỒI ngày ");
			html(b, cap, &at, c.revoked_on);
			raw(b, cap, &at, ".</strong> <span lang=\"en\">This certificate was REVOKED.</span> "
			                 "Lý do / <span lang=\"en\">Reason</span>: ");
			html(b, cap, &at, c.revoke_reason);
			raw(b, cap, &at, "</p>");
		} else {
			raw(b, cap, &at, "<p class=\"verify-ok\" role=\"status\"><strong>Giấy chứng nhận "
			                 "hợp lệ, do parlearn cấp.</strong> <span lang=\"en\">A genuine "
			                 "certificate issued by parlearn.</span></p>");
		}
		raw(b, cap, &at, "<table class=\"verify-table\"><tbody>");
		row(b, cap, &at, "Số", "Serial", c.serial);
		row(b, cap, &at, "Cấp cho", "Issued to", c.learner_name);
		row(b, cap, &at, strcmp(c.kind, "exam") == 0 ? "Kỳ kiểm tra" : "Khóa học",
		    strcmp(c.kind, "exam") == 0 ? "Exam" : "Course", c.title);
		snprintf(result, sizeof(result), "%s", c.passed == 0 ? "Không đạt" : "Đạt");
		if (c.has_score) {
			char *dot;

			/* Vietnamese writes a decimal comma: 8,5/10 */
			snprintf(result, sizeof(result), "%s — %.1f/10", c.passed == 0 ? "Không đạt" : "Đạt",
			         c.score * 10);
			if ((dot = strrchr(result, '.')))
				*dot = ',';
		}
		row(b, cap, &at, "Kết quả", "Result", result);
		row(b, cap, &at, "Hoàn thành ngày", "Completed on", c.completed_on);
		row(b, cap, &at, "Cấp ngày", "Issued on", c.issued_on);
		row(b, cap, &at, "Đơn vị cấp", "Issued by", c.issuer_name);
		raw(b, cap, &at, "</tbody></table>");
	}
	raw(b, cap, &at, "</main></body></html>");
	return srv_reply_bytes(r, status, "text/html; charset=utf-8", b, at,
	                       status == 429 ? "Retry-After: 60\r\n" : NULL);
}
