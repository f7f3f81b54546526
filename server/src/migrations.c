/* migrations.c — loading migration files from a folder (parlearn migrate --migrations). */
#include "migrations.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATION_MAX_BYTES (8 * 1024 * 1024)

static int is_migration_name(const char *n)
{
	size_t len = strlen(n);
	int i;

	if (len < 9 || strcmp(n + len - 4, ".sql") != 0)
		return 0;
	for (i = 0; i < 4; i++)
		if (n[i] < '0' || n[i] > '9')
			return 0;
	return n[4] == '_';
}

static char *read_file(const char *path, lms_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f) {
		lms_err_set(err, LMS_EINVAL, "migration_unreadable", NULL, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 || size > MIGRATION_MAX_BYTES ||
	    fseek(f, 0, SEEK_SET) < 0) {
		lms_err_set(err, LMS_EINVAL, "migration_unreadable", NULL, "%s: unreadable or over 8 MiB",
		            path);
		goto cleanup;
	}
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
		lms_err_set(err, LMS_EINVAL, "migration_unreadable", NULL, "%s: read failed", path);
		goto cleanup;
	}
	buf[size] = '\0';
cleanup:
	fclose(f);
	return buf;
}

void srv_migrations_free(store_pg_migration *m, size_t n)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < n; i++) {
		free((void *)(uintptr_t)m[i].name);
		free((void *)(uintptr_t)m[i].sql);
	}
	free(m);
}

int srv_migrations_load(const char *dir, store_pg_migration **out, size_t *n, lms_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	store_pg_migration *m = NULL;
	size_t count = 0, cap = 0;
	int rc = LMS_OK;

	if (!d)
		return lms_err_set(err, LMS_EINVAL, "migration_unreadable", NULL, "%s: %s", dir,
		                   strerror(errno));
	while ((e = readdir(d))) {
		char path[4096];
		char *sql;

		if (!is_migration_name(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(sql = read_file(path, err))) {
			rc = LMS_EINVAL;
			goto cleanup;
		}
		if (count == cap) {
			store_pg_migration *bigger;
			cap = cap ? cap * 2 : 16;
			bigger = realloc(m, cap * sizeof(*m));
			if (!bigger) {
				free(sql);
				rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
				goto cleanup;
			}
			m = bigger;
		}
		m[count].name = strdup(e->d_name);
		m[count].sql = sql;
		count++;
	}
cleanup:
	closedir(d);
	if (rc < 0) {
		srv_migrations_free(m, count);
		return rc;
	}
	*out = m;
	*n = count;
	return LMS_OK;
}
