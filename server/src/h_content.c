/* h_content.c — the package-content origin: GET /c/<token>/<path> on its own port.
 *
 * This origin never reads or sets a cookie and never authenticates: a link works because the
 * application signed it (content_url.h) for someone it authorised. The path is taken as sent
 * (CivetWeb does not decode it here), decoded once by us, and refused if any segment is
 * empty, "." or "..", or holds a NUL, a backslash or a control character; the file must be a
 * regular file inside the version's folder, which holds only what the importer put there
 * (no links). The answer may be framed only by the application's origin.
 */
#include "http.h"

#include "lms/content_url.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define CONTENT_PATH_MAX 1024

/* The headers of every content-origin answer: no sniffing, no referrer, readable by the
 * application's site only, and the page's own Content-Security-Policy (csp). */
static void content_headers(srv_req *r, const char *csp, char *out, size_t size)
{
	snprintf(out, size,
	         "X-Request-Id: %s\r\n"
	         "X-Content-Type-Options: nosniff\r\n"
	         "Referrer-Policy: no-referrer\r\n"
	         "Cross-Origin-Resource-Policy: same-site\r\n"
	         "Content-Security-Policy: %s\r\n",
	         r->id, csp);
}

/* Package content may be framed by the application and by the package's own pages. */
static void package_csp(srv_req *r, char *out, size_t size)
{
	snprintf(out, size, "frame-ancestors 'self' %s", r->app->public_url);
}

static int not_found(srv_req *r)
{
	return srv_reply_problem(r, 404, "not_found", "no such file in this package", NULL, NULL);
}

/* Decodes %XX once and checks every segment. */
static int clean_path(const char *raw, char *out, size_t size)
{
	const char *seg;
	int n;
	size_t i;

	if (strlen(raw) >= size)
		return -1;
	n = mg_url_decode(raw, (int)strlen(raw), out, (int)size, 0);
	if (n <= 0 || (size_t)n != strlen(out))
		return -1; /* undecodable, or a %00 inside */
	for (i = 0; out[i]; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20 || c == 0x7F || c == '\\')
			return -1;
	}
	for (seg = out;;) {
		const char *end = strchr(seg, '/');
		size_t len = end ? (size_t)(end - seg) : strlen(seg);
		if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return -1;
		if (!end)
			break;
		seg = end + 1;
	}
	return 0;
}

extern const unsigned char srv_player_index[], srv_player_js[], srv_player_css[];
extern const size_t srv_player_index_len, srv_player_js_len, srv_player_css_len;

/* The PAR lesson player (server/templates/lesson-player, built in) for native lessons: a
 * version's folder holds lesson.xml and its media, and the player plays it from player/,
 * exactly as in a package made by `parlearn package export-scorm`. */
static int builtin_player(srv_req *r, const char *name)
{
	const unsigned char *body;
	size_t len;
	const char *type;
	char csp[320], headers[768];

	if (strcmp(name, "index.html") == 0) {
		body = srv_player_index;
		len = srv_player_index_len;
		type = "text/html; charset=utf-8";
	} else if (strcmp(name, "player.js") == 0) {
		body = srv_player_js;
		len = srv_player_js_len;
		type = "text/javascript; charset=utf-8";
	} else if (strcmp(name, "player.css") == 0) {
		body = srv_player_css;
		len = srv_player_css_len;
		type = "text/css; charset=utf-8";
	} else {
		return not_found(r);
	}
	package_csp(r, csp, sizeof(csp));
	content_headers(r, csp, headers, sizeof(headers));
	mg_printf(r->conn,
	          "HTTP/1.1 200 OK\r\n"
	          "Content-Type: %s\r\n"
	          "Content-Length: %zu\r\n"
	          "Cache-Control: no-cache\r\n"
	          "%s\r\n",
	          type, len, headers);
	if (strcmp(r->ri->request_method, "HEAD") != 0)
		mg_write(r->conn, body, len);
	r->status = 200;
	r->bytes_out = (long long)len;
	return 200;
}

int srv_content(srv_req *r)
{
	/* The path as sent: CivetWeb's cleaned local_uri would hide "..", "." and "//". */
	const char *uri = r->ri->local_uri_raw ? r->ri->local_uri_raw : r->ri->local_uri;
	const char *tok, *slash, *type;
	char key[72], path[CONTENT_PATH_MAX], file[PATH_MAX + CONTENT_PATH_MAX + 96], headers[1024];
	struct stat st;
	int rc;

	if (strcmp(r->ri->request_method, "GET") != 0 && strcmp(r->ri->request_method, "HEAD") != 0)
		return srv_reply_problem(r, 405, "method_not_allowed", "package content is read-only",
		                         NULL, "Allow: GET, HEAD\r\n");
	if (strncmp(uri, "/rt/", 4) == 0)
		return srv_content_rt(r, uri + 4);
	if (strncmp(uri, "/c/", 3) != 0)
		return not_found(r);
	tok = uri + 3;
	if (!(slash = strchr(tok, '/')))
		return not_found(r);
	rc = lms_content_token_check(r->app->content_secret, tok, (size_t)(slash - tok),
	                             (int64_t)time(NULL), key, sizeof(key));
	if (rc == LMS_EUNAUTH)
		return srv_reply_problem(r, 403, "content_link_expired",
		                         "this link to the course has expired; open the course again",
		                         NULL, NULL);
	if (rc < 0)
		return srv_reply_problem(r, 403, "forbidden", "this link to the course is not valid", NULL,
		                         NULL);
	if (clean_path(slash + 1, path, sizeof(path)) < 0)
		return not_found(r);
	snprintf(file, sizeof(file), "%s/v/%s/%s", r->app->content_dir, key, path);
	if (lstat(file, &st) < 0 && strncmp(path, "player/", 7) == 0)
		return builtin_player(r, path + 7);
	if (lstat(file, &st) < 0 || !S_ISREG(st.st_mode) || !(type = srv_mime_type(path)))
		return not_found(r);
	/* Framed only by the application; scripts of the package run on this origin, which
	 * has no cookie and no API. */
	{
		char csp[320];
		package_csp(r, csp, sizeof(csp));
		content_headers(r, csp, headers, sizeof(headers));
	}
	mg_send_mime_file2(r->conn, file, type, headers);
	r->status = 200;
	r->bytes_out = (long long)st.st_size;
	return 200;
}

/* The launcher (server/rt): static files of ours on the content origin, framed only by the
 * application. Revalidated each time (names carry no version). */
int srv_content_rt(srv_req *r, const char *raw)
{
	char path[CONTENT_PATH_MAX], file[PATH_MAX + CONTENT_PATH_MAX + 8], headers[1536];
	const char *type;
	struct stat st;

	if (clean_path(raw, path, sizeof(path)) < 0 || path[0] == '.' ||
	    strncmp(path, "node_modules", 12) == 0 || strstr(path, "/.") ||
	    strcmp(path, "package.json") == 0 || strcmp(path, "package-lock.json") == 0)
		return not_found(r);
	snprintf(file, sizeof(file), "%s/%s", r->app->rt_dir, path);
	if (lstat(file, &st) < 0 || !S_ISREG(st.st_mode) || !(type = srv_mime_type(path)))
		return not_found(r);
	{
		char csp[1024];
		snprintf(csp, sizeof(csp),
		         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
		         "frame-src 'self'; connect-src %s; base-uri 'none'; form-action 'none'; "
		         "frame-ancestors %s",
		         r->app->public_url, r->app->public_url);
		content_headers(r, csp, headers, sizeof(headers));
	}
	srv_send_static(r, file, &st, type, headers);
	r->status = 200;
	return 200;
}
