/* reply.c — writing JSON and problem details, reading JSON bodies within limits.
 *
 * One table maps error classes and codes to HTTP statuses. A 500 never carries internal
 * text: the detail is logged with the request id and the client gets a fixed sentence.
 */
#include "http.h"

#include "json_body.h"

#include "lms/log.h"
#include "lms/validate.h"

#include <civetweb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char srv_security_headers[] =
	"X-Content-Type-Options: nosniff\r\n"
	"X-Frame-Options: DENY\r\n"
	"Referrer-Policy: same-origin\r\n"
	"Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
	"form-action 'self'\r\n";

static const struct {
	const char *code;
	int status;
	const char *title;
} problems[] = {
	{ "invalid_json", 400, "Invalid JSON" },
	{ "invalid_utf8", 400, "Invalid UTF-8" },
	{ "bad_request", 400, "Bad request" },
	{ "unauthenticated", 401, "Not logged in" },
	{ "session_expired", 401, "Session expired" },
	{ "invalid_credentials", 401, "Wrong username or password" },
	{ "csrf_failed", 403, "CSRF token missing or wrong" },
	{ "forbidden", 403, "Forbidden" },
	{ "not_found", 404, "Not found" },
	{ "method_not_allowed", 405, "Method not allowed" },
	{ "conflict", 409, "Conflict" },
	{ "body_too_large", 413, "Request body too large" },
	{ "headers_too_large", 431, "Request headers too large" },
	{ "unsupported_media_type", 415, "Unsupported media type" },
	{ "invalid_field", 422, "Invalid field" },
	{ "weak_password", 422, "Invalid field" },
	{ "too_many_attempts", 429, "Too many attempts" },
	{ "package_invalid", 422, "Package not valid" },
	{ "launch_unknown", 401, "Unknown launch" },
	{ "launch_closed", 410, "Launch closed" },
	{ "seq_gap", 409, "Commit out of order" },
	{ "nav_refused", 409, "Navigation refused" },
	{ "too_many_heartbeats", 429, "Too many heartbeats" },
	{ "too_many_changes", 413, "Too many changes" },
	{ "busy", 503, "Busy" },
	{ "invalid_cursor", 400, "Invalid cursor" },
	{ "too_many_requests", 429, "Too many requests" },
	{ "internal", 500, "Internal error" },
	{ "db_unavailable", 503, "Database unavailable" },
	{ "shutting_down", 503, "Shutting down" },
};

static const char *title_of(const char *code, int status)
{
	size_t i;

	for (i = 0; i < sizeof(problems) / sizeof(problems[0]); i++)
		if (strcmp(problems[i].code, code) == 0)
			return problems[i].title;
	return status >= 500 ? "Internal error" : "Error";
}

int srv_status_of(int rc, const char *code)
{
	size_t i;

	if (rc == LMS_ESTORAGE || rc == LMS_EINTERNAL)
		return 500;
	if (rc == LMS_EUNAVAIL)
		return 503;
	for (i = 0; code && i < sizeof(problems) / sizeof(problems[0]); i++)
		if (strcmp(problems[i].code, code) == 0)
			return problems[i].status;
	switch (rc) {
	case LMS_EINVAL: return 422;
	case LMS_ENOTFOUND: return 404;
	case LMS_ECONFLICT: return 409;
	case LMS_EFORBIDDEN: return 403;
	case LMS_EUNAUTH: return 401;
	case LMS_ETOOBIG: return 413;
	case LMS_EUNSUPPORTED: return 415;
	case LMS_ETHROTTLED: return 429;
	default: return 500;
	}
}

/* True when the extra headers ask to close the connection: CivetWeb must be told too, or
 * it keeps the connection (and its worker thread) waiting for a body we refused. */
static void maybe_close(srv_req *r, const char *extra)
{
	if (extra && strstr(extra, "Connection: close"))
		mg_disable_connection_keep_alive(r->conn);
}

static bool is_head(const srv_req *r)
{
	return r->ri && r->ri->request_method && strcmp(r->ri->request_method, "HEAD") == 0;
}

static int send_body(srv_req *r, int status, const char *ctype, const char *body, size_t len,
                     const char *extra)
{
	maybe_close(r, extra);
	mg_printf(r->conn,
	          "HTTP/1.1 %d %s\r\n"
	          "Content-Type: %s\r\n"
	          "Content-Length: %zu\r\n"
	          "Cache-Control: no-store\r\n"
	          "X-Request-Id: %s\r\n"
	          "%s%s\r\n",
	          status, mg_get_response_code_text(r->conn, status), ctype, len, r->id,
	          srv_security_headers, extra ? extra : "");
	if (len && !is_head(r))
		mg_write(r->conn, body, len);
	r->status = status;
	r->bytes_out = (long long)len;
	return status;
}

int srv_reply_bytes(srv_req *r, int status, const char *ctype, const char *body, size_t len,
                    const char *extra)
{
	return send_body(r, status, ctype, body, len, extra);
}

int srv_reply_json(srv_req *r, int status, cJSON *obj, const char *extra)
{
	char *text = cJSON_PrintUnformatted(obj);
	int rc;

	cJSON_Delete(obj);
	if (!text)
		return srv_reply_problem(r, 500, "internal", "the answer could not be written", NULL,
		                         NULL);
	rc = send_body(r, status, "application/json; charset=utf-8", text, strlen(text), extra);
	cJSON_free(text);
	return rc;
}

int srv_reply_empty(srv_req *r, int status, const char *extra)
{
	maybe_close(r, extra);
	mg_printf(r->conn,
	          "HTTP/1.1 %d %s\r\n"
	          "Cache-Control: no-store\r\n"
	          "X-Request-Id: %s\r\n"
	          "%s%s\r\n",
	          status, mg_get_response_code_text(r->conn, status), r->id, srv_security_headers,
	          extra ? extra : "");
	r->status = status;
	return status;
}

cJSON *srv_problem_new(const srv_req *r, int status, const char *code, const char *detail,
                       const char *field)
{
	char type[96], instance[64];
	cJSON *o = cJSON_CreateObject();

	snprintf(type, sizeof(type), "urn:parlearn:problem:%s", code);
	snprintf(instance, sizeof(instance), "urn:parlearn:request:%s", r->id);
	cJSON_AddStringToObject(o, "type", type);
	cJSON_AddStringToObject(o, "title", title_of(code, status));
	cJSON_AddNumberToObject(o, "status", status);
	cJSON_AddStringToObject(o, "detail", detail && *detail ? detail : title_of(code, status));
	cJSON_AddStringToObject(o, "code", code);
	if (field && *field)
		cJSON_AddStringToObject(o, "field", field);
	cJSON_AddStringToObject(o, "instance", instance);
	return o;
}

int srv_reply_problem_json(srv_req *r, int status, cJSON *problem, const char *extra)
{
	char *text = cJSON_PrintUnformatted(problem);
	int rc;

	cJSON_Delete(problem);
	if (!text)
		return send_body(r, 500, "application/problem+json", "{}", 2, NULL);
	rc = send_body(r, status, "application/problem+json", text, strlen(text), extra);
	cJSON_free(text);
	return rc;
}

int srv_reply_problem(srv_req *r, int status, const char *code, const char *detail,
                      const char *field, const char *extra)
{
	return srv_reply_problem_json(r, status, srv_problem_new(r, status, code, detail, field),
	                              extra);
}

int srv_reply_error(srv_req *r)
{
	char extra[64] = "";
	int status = srv_status_of(r->err.rc, r->err.code);

	if (status >= 500 && status != 503) {
		LMS_ERROR("request %s: %s %s: %s (%s)", r->id, r->ri->request_method, r->ri->local_uri,
		          r->err.msg, r->err.code);
		return srv_reply_problem(r, status, "internal",
		                         "an internal error occurred; quote the request id to support",
		                         NULL, NULL);
	}
	if (r->err.retry_after_s > 0)
		snprintf(extra, sizeof(extra), "Retry-After: %lld\r\n", (long long)r->err.retry_after_s);
	else if (status == 503)
		snprintf(extra, sizeof(extra), "Retry-After: 5\r\n");
	return srv_reply_problem(r, status, status == 503 ? "db_unavailable" : r->err.code,
	                         r->err.msg, r->err.field, extra[0] ? extra : NULL);
}

/* Refuses a body over the limit. The answer goes out first; then, for a small body (at
 * most DRAIN_MAX bytes in all, or up to DRAIN_MAX more of a chunked one), the rest of it is
 * read and discarded: closing a socket with
 * unread data makes the kernel send a reset, which can destroy the answer before the
 * client reads it. A larger body is not waited for (a client that declares one and sends
 * nothing must not hold a worker thread); the connection is closed at once. */
#define DRAIN_MAX (64u * 1024u)

static int too_large(srv_req *r, size_t cap, long long declared, size_t already)
{
	char detail[96], sink[4096];
	size_t left;
	int status, got;

	snprintf(detail, sizeof(detail), "the body is larger than %zu bytes", cap);
	status = srv_reply_problem(r, 413, "body_too_large", detail, NULL, "Connection: close\r\n");
	if (declared < 0)
		left = DRAIN_MAX; /* chunked: read on while the client sends, up to the bound */
	else if (declared <= (long long)DRAIN_MAX)
		left = (size_t)declared - already;
	else
		left = 0;
	while (left > 0 &&
	       (got = mg_read(r->conn, sink, left < sizeof(sink) ? left : sizeof(sink))) > 0)
		left -= (size_t)got;
	return status;
}

int srv_read_json(srv_req *r, cJSON **out)
{
	return srv_read_json_as(r, false, out);
}

int srv_read_json_as(srv_req *r, bool text_plain, cJSON **out)
{
	const char *ctype = mg_get_header(r->conn, "Content-Type");
	long long declared = r->ri->content_length;
	size_t cap = r->app->max_body, len = 0;
	const char *code, *detail;
	char *buf;
	cJSON *j;

	if (text_plain && ctype && strncasecmp(ctype, "text/plain", 10) == 0 &&
	    (ctype[10] == '\0' || ctype[10] == ';' || ctype[10] == ' '))
		; /* the launcher's CORS-simple requests (docs/player-api.md) */
	else if (!ctype || strncasecmp(ctype, "application/json", 16) != 0 ||
	    (ctype[16] != '\0' && ctype[16] != ';' && ctype[16] != ' '))
		return srv_reply_problem(r, 415, "unsupported_media_type",
		                         "send the body as JSON with Content-Type: application/json",
		                         NULL, NULL);
	if (declared > (long long)cap)
		return too_large(r, cap, declared, 0);
	/* Room for what was declared (a chunked body may use up to the limit). */
	if (declared >= 0 && (size_t)declared < cap)
		cap = (size_t)declared;
	buf = lms_arena_alloc(r->arena, cap + 2);
	for (;;) {
		int got = mg_read(r->conn, buf + len, cap + 1 - len);
		if (got <= 0)
			break;
		len += (size_t)got;
		if (len > cap)
			return too_large(r, cap, declared, len);
	}
	buf[len] = '\0';
	if (srv_json_parse(buf, len, &j, &code, &detail) < 0)
		return srv_reply_problem(r, 400, code, detail, NULL, NULL);
	*out = j;
	return 0;
}

int srv_read_raw(srv_req *r, size_t cap, char **out, size_t *len)
{
	long long declared = r->ri->content_length;
	size_t n = 0;
	char *buf;

	if (declared > (long long)cap)
		return too_large(r, cap, declared, 0);
	if (declared >= 0)
		cap = (size_t)declared;
	buf = lms_arena_alloc(r->arena, cap + 2);
	for (;;) {
		int got = mg_read(r->conn, buf + n, cap + 1 - n > (1u << 30) ? (1u << 30) : cap + 1 - n);
		if (got <= 0)
			break;
		n += (size_t)got;
		if (n > cap)
			return too_large(r, cap, declared, n);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int srv_json_string(srv_req *r, const cJSON *obj, const char *name, bool required,
                    size_t max_bytes, const char **out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, name);

	*out = NULL;
	if (!m || cJSON_IsNull(m)) {
		if (!required)
			return LMS_OK;
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: is required", name);
	}
	if (!cJSON_IsString(m) || !m->valuestring)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name, "%s: must be a string",
		                   name);
	if (strlen(m->valuestring) == 0 || strlen(m->valuestring) > max_bytes)
		return lms_err_set(&r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: must be a string of 1 to %zu bytes", name, max_bytes);
	*out = m->valuestring;
	return LMS_OK;
}
