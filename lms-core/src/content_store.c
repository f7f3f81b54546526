/* content_store.c — course files stored once by content.
 *
 * CONTENT/blobs/ab/<sha256> holds each distinct file (mode 0644, never changed); a version's
 * folder CONTENT/v/<key>/ holds hard links to them under the package's paths, so serving a
 * file is opening a path, and the same file in many versions costs one copy. Hard links
 * need blobs and versions on one filesystem: both live under CONTENT. Nothing here
 * follows a symbolic link: trees are walked with FTW_PHYS and only regular files are taken.
 */
#include "lms/course.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_CHUNK (64u * 1024u)

int lms_content_sha256_file(const char *path, char out[65], uint64_t *size, lms_err *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx = NULL;
	char *buf = NULL;
	uint64_t total = 0;
	ssize_t got;
	int fd = -1, rc = LMS_OK;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return lms_err_set(err, LMS_EINTERNAL, "content_store", NULL, "cannot read %s: %s", path,
		                   strerror(errno));
	buf = malloc(HASH_CHUNK);
	ctx = EVP_MD_CTX_new();
	if (!buf || !ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot start a SHA-256");
		goto cleanup;
	}
	while ((got = read(fd, buf, HASH_CHUNK)) > 0) {
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		total += (uint64_t)got;
	}
	if (got < 0 || EVP_DigestFinal_ex(ctx, md, &mdlen) != 1) {
		rc = lms_err_set(err, LMS_EINTERNAL, "content_store", NULL, "cannot read %s", path);
		goto cleanup;
	}
	for (i = 0; i < mdlen && i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
	if (size)
		*size = total;
cleanup:
	EVP_MD_CTX_free(ctx);
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* nftw has no user pointer: one walk at a time, under this lock. */
static pthread_mutex_t walk_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	const char *content_dir;
	size_t root_len;
	lms_arena *arena;
	lms_course_file_in *files;
	size_t n, cap;
	uint64_t total;
	lms_err *err;
	int rc;
} W;

static int link_blob(const char *path, const char *rel)
{
	char dir[PATH_MAX], blob[PATH_MAX + 80];
	lms_course_file_in *f;
	uint64_t size = 0;
	char hash[65];
	int rc;

	if ((rc = lms_content_sha256_file(path, hash, &size, W.err)) < 0)
		return rc;
	snprintf(dir, sizeof(dir), "%s/blobs/%.2s", W.content_dir, hash);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return lms_err_set(W.err, LMS_EINTERNAL, "content_store", NULL, "cannot create %s: %s",
		                   dir, strerror(errno));
	snprintf(blob, sizeof(blob), "%s/%s", dir, hash);
	if (link(path, blob) < 0) {
		if (errno != EEXIST)
			return lms_err_set(W.err, LMS_EINTERNAL, "content_store", NULL,
			                   "cannot store %s: %s", rel, strerror(errno));
		/* Stored already: point the version's path at the existing blob. */
		if (unlink(path) < 0 || link(blob, path) < 0)
			return lms_err_set(W.err, LMS_EINTERNAL, "content_store", NULL,
			                   "cannot link %s: %s", rel, strerror(errno));
	} else {
		chmod(blob, 0644);
	}
	if (W.n == W.cap) {
		size_t cap = W.cap ? W.cap * 2 : 64;
		lms_course_file_in *bigger = lms_arena_alloc(W.arena, cap * sizeof(*bigger));
		if (W.n)
			memcpy(bigger, W.files, W.n * sizeof(*bigger));
		W.files = bigger;
		W.cap = cap;
	}
	f = &W.files[W.n++];
	f->path = lms_arena_strdup(W.arena, rel);
	memcpy(f->sha256, hash, sizeof(hash));
	f->size = size;
	W.total += size;
	return LMS_OK;
}

static int on_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D || type == FTW_DP)
		return 0;
	if (type != FTW_F || !S_ISREG(st->st_mode)) {
		W.rc = lms_err_set(W.err, LMS_EINVAL, "content_store", NULL,
		                   "%s is not a regular file", path + W.root_len);
		return 1;
	}
	if ((W.rc = link_blob(path, path + W.root_len + 1)) < 0)
		return 1;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const lms_course_file_in *)a)->path, ((const lms_course_file_in *)b)->path);
}

int lms_content_ingest(const char *content_dir, const char *dir, lms_arena *a,
                       lms_course_file_in **files, size_t *n, uint64_t *total, lms_err *err)
{
	char blobs[PATH_MAX];
	int rc;

	snprintf(blobs, sizeof(blobs), "%s/blobs", content_dir);
	if (mkdir(blobs, 0755) < 0 && errno != EEXIST)
		return lms_err_set(err, LMS_EINTERNAL, "content_store", NULL, "cannot create %s: %s",
		                   blobs, strerror(errno));
	pthread_mutex_lock(&walk_lock);
	memset(&W, 0, sizeof(W));
	W.content_dir = content_dir;
	W.root_len = strlen(dir);
	W.arena = a;
	W.err = err;
	if (nftw(dir, on_file, 32, FTW_PHYS) != 0 && W.rc == 0)
		W.rc = lms_err_set(err, LMS_EINTERNAL, "content_store", NULL, "cannot walk %s", dir);
	rc = W.rc;
	if (rc == LMS_OK) {
		if (W.n)
			qsort(W.files, W.n, sizeof(*W.files), by_path);
		*files = W.files;
		*n = W.n;
		*total = W.total;
	}
	memset(&W, 0, sizeof(W));
	pthread_mutex_unlock(&walk_lock);
	return rc;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void lms_content_remove_tree(const char *dir)
{
	if (dir && *dir)
		nftw(dir, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}
