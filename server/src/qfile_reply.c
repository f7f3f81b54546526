/* qfile_reply.c — the headers and body of one question file (qfile_reply.h).
 *
 * Why these headers: the file comes from a trainer's import and is served on the app's own
 * origin, next to the session cookie. Only a raster image whose bytes match its type is
 * offered inline; anything else (an SVG, which can carry script; HTML named .png) is a
 * download, never rendered. nosniff keeps the browser to that type; the CSP "sandbox;
 * default-src 'none'" makes even a document opened directly inert; CORP same-origin keeps
 * other sites from embedding it with the learner's cookie. A version's files never change,
 * so a browser may keep them (private: never a shared cache) and revalidate by ETag.
 */
#include "qfile_reply.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>

#define QFILE_HEADERS                                                                    \
	"X-Content-Type-Options: nosniff\r\n"                                              \
	"X-Frame-Options: DENY\r\n"                                                        \
	"Referrer-Policy: same-origin\r\n"                                                 \
	"Cross-Origin-Resource-Policy: same-origin\r\n"                                    \
	"Content-Security-Policy: sandbox; default-src 'none'; frame-ancestors 'none'\r\n"

/* name as RFC 5987 ext-value (UTF-8''%XX...) into out; cut, never overflowing. */
static void pct_name(const char *name, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p && o + 4 < size; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '-' || *p == '_') {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
}

static bool etag_matches(srv_req *r, const char *etag)
{
	const char *inm = mg_get_header(r->conn, "If-None-Match");

	return inm && etag[0] && (strstr(inm, etag) != NULL || strcmp(inm, "*") == 0);
}

int srv_reply_qfile(srv_req *r, const lms_qfile_row *f, int max_age_s)
{
	const char *type = lms_qfile_inline_type(f);
	char etag[72], disp[1100], enc[1000];
	bool head = r->ri->request_method && strcmp(r->ri->request_method, "HEAD") == 0;

	etag[0] = '\0';
	if (f->sha256 && strlen(f->sha256) == 64)
		snprintf(etag, sizeof(etag), "\"%s\"", f->sha256);
	pct_name(f->name ? f->name : "file", enc, sizeof(enc));
	snprintf(disp, sizeof(disp), "%s; filename=\"file\"; filename*=UTF-8''%s",
	         type ? "inline" : "attachment", enc);
	if (etag_matches(r, etag)) {
		mg_printf(r->conn,
		          "HTTP/1.1 304 Not Modified\r\n"
		          "Cache-Control: private, max-age=%d\r\n"
		          "ETag: %s\r\n"
		          "X-Request-Id: %s\r\n" QFILE_HEADERS "\r\n",
		          max_age_s, etag, r->id);
		r->status = 304;
		return 304;
	}
	mg_printf(r->conn,
	          "HTTP/1.1 200 OK\r\n"
	          "Content-Type: %s\r\n"
	          "Content-Length: %zu\r\n"
	          "Content-Disposition: %s\r\n"
	          "Cache-Control: private, max-age=%d\r\n"
	          "%s%s%s"
	          "X-Request-Id: %s\r\n" QFILE_HEADERS "\r\n",
	          type ? type : "application/octet-stream", f->size, disp, max_age_s,
	          etag[0] ? "ETag: " : "", etag, etag[0] ? "\r\n" : "", r->id);
	if (f->size && !head)
		mg_write(r->conn, f->data, f->size);
	r->status = 200;
	r->bytes_out = (long long)f->size;
	return 200;
}
