/* static_gz.c — our own static files (pages, assets, the launcher, scorm-again) sent
 * gzip-compressed to browsers that accept it: a learner on a phone with a slow connection
 * downloads a quarter of the bytes. The compressed copy is made on first request (zlib,
 * level 9) under DATA/cache/gz/, named after the file's absolute path, and made again when
 * the file is newer; it is written to a temporary name and renamed, so concurrent requests
 * never see half a file. Package content is not compressed here (it is other people's, and
 * often already compressed media).
 */
#include "http.h"

#include "lms/log.h"

#include <civetweb.h>
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define GZ_MIN_BYTES 1024
#define GZ_MAX_BYTES (8u << 20)
#define GZ_CHUNK 65536

static bool compressible(const char *type)
{
	return strncmp(type, "text/", 5) == 0 || strstr(type, "javascript") || strstr(type, "json") ||
	       strstr(type, "svg") || strstr(type, "xml");
}

static bool accepts_gzip(srv_req *r)
{
	const char *ae = mg_get_header(r->conn, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* mkdir -p of the folders of path (inside the cache, which we own). */
static int make_parents(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Worker threads have small stacks (Debian's CivetWeb: 100 KiB): buffers go on the heap. */
static int compress_to(const char *src, const char *dst)
{
	size_t tlen = strlen(dst) + 48;
	char *tmp = malloc(tlen), *buf = malloc(GZ_CHUNK);
	int in = -1, rc = -1;
	gzFile out = NULL;
	ssize_t got;
	static _Atomic unsigned long n;

	if (!tmp || !buf)
		goto cleanup;
	snprintf(tmp, tlen, "%s.%ld-%lu.tmp", dst, (long)getpid(), atomic_fetch_add(&n, 1));
	if ((in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		goto cleanup;
	if (!(out = gzopen(tmp, "wb9")))
		goto cleanup;
	while ((got = read(in, buf, GZ_CHUNK)) > 0)
		if (gzwrite(out, buf, (unsigned)got) != (int)got)
			goto cleanup;
	if (got < 0)
		goto cleanup;
	if (gzclose(out) != Z_OK) {
		out = NULL;
		goto cleanup;
	}
	out = NULL;
	rc = rename(tmp, dst);
cleanup:
	if (out)
		gzclose(out);
	if (in >= 0)
		close(in);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(tmp);
	free(buf);
	return rc;
}

void srv_send_static(srv_req *r, const char *path, const struct stat *st, const char *type,
                     const char *headers)
{
	size_t glen = strlen(r->app->cache_dir) + strlen(path) + 8;
	char *gz = lms_arena_alloc(r->arena, glen), hdr[2048];
	struct stat gst;

	if (!accepts_gzip(r) || !compressible(type) || st->st_size < GZ_MIN_BYTES ||
	    st->st_size > (off_t)GZ_MAX_BYTES || path[0] != '/' || strlen(headers) > 1900)
		goto plain;
	snprintf(gz, glen, "%s/gz%s.gz", r->app->cache_dir, path);
	if (stat(gz, &gst) < 0 || gst.st_mtime < st->st_mtime) {
		if (make_parents(gz) < 0 || compress_to(path, gz) < 0 || stat(gz, &gst) < 0) {
			LMS_WARN("cannot compress %s into the cache: %s", path, strerror(errno));
			goto plain;
		}
	}
	snprintf(hdr, sizeof(hdr), "%sContent-Encoding: gzip\r\nVary: Accept-Encoding\r\n", headers);
	mg_send_mime_file2(r->conn, gz, type, hdr);
	r->bytes_out = (long long)gst.st_size;
	return;
plain:
	snprintf(hdr, sizeof(hdr), "%sVary: Accept-Encoding\r\n", headers);
	mg_send_mime_file2(r->conn, path, type, hdr);
	r->bytes_out = (long long)st->st_size;
}
