/* pg_util.c — SQLSTATE mapping and log helpers for the PostgreSQL store. */
#include "pg_util.h"

#include "lms/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pgu_first_line(const char *msg)
{
	static _Thread_local char line[256];
	size_t n;

	if (!msg)
		return "";
	n = strcspn(msg, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, msg, n);
	line[n] = '\0';
	return line;
}

int pgu_map_error(const PGresult *res, lms_err *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *text = res ? PQresultErrorMessage(res) : "no result";

	if (!state)
		state = "";
	if (strcmp(state, "23505") == 0)
		return lms_err_set(err, LMS_ECONFLICT, "conflict", NULL, "it exists already");
	if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0) {
		LMS_WARN("database unavailable: SQLSTATE %s: %s", state, pgu_first_line(text));
		lms_err_set(err, LMS_EUNAVAIL, "db_unavailable", NULL,
		            "the database is not reachable; try again shortly");
		if (err)
			err->retry_after_s = 5;
		return LMS_EUNAVAIL;
	}
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return lms_err_set(err, LMS_ECONFLICT, "conflict", NULL,
		                   "a concurrent change won; try again");
	if (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0) {
		LMS_INFO("database refused a value: SQLSTATE %s: %s", state, pgu_first_line(text));
		return lms_err_set(err, LMS_EINVAL, "invalid_field", NULL,
		                   "a value was refused by the database's rules");
	}
	LMS_ERROR("database error: SQLSTATE %s: %s", state, pgu_first_line(text));
	return lms_err_set(err, LMS_ESTORAGE, "internal", NULL, "internal storage error");
}

int64_t pgu_i64(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool pgu_bool(const PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col)[0] == 't';
}

const char *pgu_str(lms_arena *a, const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return NULL;
	return lms_arena_strndup(a, PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col));
}

const char *pgu_num(lms_arena *a, int64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	return lms_arena_strdup(a, b);
}

const char *pgu_hex32(lms_arena *a, const unsigned char h[32])
{
	static const char digits[] = "0123456789abcdef";
	char *out = lms_arena_alloc(a, 65);
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[h[i] >> 4];
		out[2 * i + 1] = digits[h[i] & 15];
	}
	return out;
}

const char *pgu_i64_array(lms_arena *a, const int64_t *v, size_t n)
{
	char *buf = lms_arena_alloc(a, n * 21 + 3), *w = buf;
	size_t i;

	*w++ = '{';
	for (i = 0; i < n; i++)
		w += snprintf(w, 22, "%s%lld", i ? "," : "", (long long)v[i]);
	*w++ = '}';
	*w = '\0';
	return buf;
}

const char *pgu_scope_roots(lms_arena *a, const lms_scope *scope)
{
	return !scope || scope->all ? "{}" : pgu_i64_array(a, scope->roots, scope->n_roots);
}

const char *pgu_text_array(lms_arena *a, const char *const *v, size_t n)
{
	size_t i, len = 3;
	char *out, *o;

	for (i = 0; i < n; i++) {
		const char *c;

		len += 6; /* two quotes and a comma, or NULL and a comma */
		for (c = v[i] ? v[i] : ""; *c; c++)
			len += (*c == '"' || *c == '\\') ? 2 : 1;
	}
	o = out = lms_arena_alloc(a, len);
	*o++ = '{';
	for (i = 0; i < n; i++) {
		const char *c;

		if (i)
			*o++ = ',';
		if (!v[i]) {
			memcpy(o, "NULL", 4);
			o += 4;
			continue;
		}
		*o++ = '"';
		for (c = v[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	return out;
}
