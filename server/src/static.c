/* static.c — the web pages: "/" and "/index.html", and "/assets/NAME" from the www folder.
 *
 * Only flat names of [A-Za-z0-9._-] not starting with a dot are served, so no request can
 * name a path outside the folder; nothing is executed, no directory is listed. CivetWeb's
 * mg_send_mime_file2 does ETag / If-None-Match and ranges.
 */
#include "http.h"

#include <civetweb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The types parlearn serves, for its own pages and for package content (SCORM packages
 * carry video with captions, fonts, SVG, JSON...). Unknown extensions are not served. */
static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },      { ".htm", "text/html; charset=utf-8" },
	{ ".xhtml", "application/xhtml+xml" },         { ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },  { ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },              { ".xml", "application/xml" },
	{ ".xsd", "application/xml" },                { ".txt", "text/plain; charset=utf-8" },
	{ ".vtt", "text/vtt; charset=utf-8" },        { ".srt", "application/x-subrip" },
	{ ".svg", "image/svg+xml" },                  { ".png", "image/png" },
	{ ".jpg", "image/jpeg" },                     { ".jpeg", "image/jpeg" },
	{ ".gif", "image/gif" },                      { ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },                   { ".bmp", "image/bmp" },
	{ ".mp4", "video/mp4" },                      { ".m4v", "video/mp4" },
	{ ".webm", "video/webm" },                    { ".ogv", "video/ogg" },
	{ ".mp3", "audio/mpeg" },                     { ".m4a", "audio/mp4" },
	{ ".ogg", "audio/ogg" },                      { ".oga", "audio/ogg" },
	{ ".wav", "audio/wav" },                      { ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },                   { ".ttf", "font/ttf" },
	{ ".otf", "font/otf" },                       { ".eot", "application/vnd.ms-fontobject" },
	{ ".pdf", "application/pdf" },                { ".swf", "application/x-shockwave-flash" },
	{ ".wasm", "application/wasm" },              { ".csv", "text/csv; charset=utf-8" },
};

const char *srv_mime_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

static int safe_name(const char *n)
{
	size_t len = strlen(n);

	return len > 0 && len < 128 && n[0] != '.' &&
	       strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

int srv_static(srv_req *r)
{
	const char *uri = r->ri->local_uri, *name, *type;
	char path[PATH_MAX + 160], headers[1024];
	struct stat st;

	if (strcmp(uri, "/") == 0 || strcmp(uri, "/index.html") == 0)
		snprintf(path, sizeof(path), "%s/index.html", r->app->www);
	else if (strncmp(uri, "/assets/", 8) == 0 && safe_name(name = uri + 8))
		snprintf(path, sizeof(path), "%s/assets/%s", r->app->www, name);
	else
		return srv_reply_problem(r, 404, "not_found", "no such resource", NULL, NULL);
	type = srv_mime_type(path);
	if (!type || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return srv_reply_problem(r, 404, "not_found", "no such resource", NULL, NULL);
	/* Cache-Control comes from CivetWeb's static_file_cache_control (http.c). */
	/* The same headers as every answer, except that pages may frame the content origin
	 * (the player's launcher, trainers' previews). */
	snprintf(headers, sizeof(headers),
	         "X-Request-Id: %s\r\n"
	         "X-Content-Type-Options: nosniff\r\n"
	         "X-Frame-Options: DENY\r\n"
	         "Referrer-Policy: same-origin\r\n"
	         "Content-Security-Policy: default-src 'self'; frame-src %s; frame-ancestors 'none'; "
	         "base-uri 'self'; form-action 'self'\r\n",
	         r->id, r->app->content_url);
	srv_send_static(r, path, &st, type, headers);
	r->status = 200;
	return 200;
}
