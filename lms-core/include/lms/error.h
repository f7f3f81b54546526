/* error.h — the one error type of parlearn.
 *
 * A fallible function returns int: 0 (LMS_OK) or one of the negative codes below. The detail
 * (a stable machine-readable code, the field at fault, a one-line message) goes into an
 * lms_err owned by the caller, usually one per request, and is passed up unchanged. The
 * server maps the class to an HTTP status in one table (server/src/problem.c).
 */
#ifndef LMS_ERROR_H
#define LMS_ERROR_H

#include <stdint.h>

enum {
	LMS_OK = 0,
	LMS_EINVAL = -1,      /* invalid input: a field, a value, a format */
	LMS_ENOTFOUND = -2,   /* no such resource */
	LMS_ECONFLICT = -3,   /* already exists, or a concurrent change won */
	LMS_EFORBIDDEN = -4,  /* authenticated but not allowed */
	LMS_EUNAUTH = -5,     /* not authenticated (bad credentials, no or expired session) */
	LMS_ETOOBIG = -6,     /* over a size limit */
	LMS_EUNSUPPORTED = -7,/* a format or media type we do not take */
	LMS_ESTORAGE = -8,    /* the database refused in an unexpected way (a bug or a constraint) */
	LMS_EUNAVAIL = -9,    /* the database (or another dependency) cannot be reached */
	LMS_EINTERNAL = -10,  /* an impossible state or a failed allocation */
	LMS_ETHROTTLED = -11  /* too many attempts; retry_after_s says when to try again */
};

typedef struct lms_err {
	int rc;                 /* the class, one of the codes above */
	char code[48];          /* stable machine-readable code, e.g. "invalid_field" */
	char field[96];         /* the input member at fault, or "" */
	char msg[256];          /* one line for a person; never SQL text or secrets */
	int64_t retry_after_s;  /* for LMS_ETHROTTLED and LMS_EUNAVAIL, else 0 */
} lms_err;

/* Resets err to "no error". */
void lms_err_clear(lms_err *err);

/* Records an error and returns rc, so callers can write `return lms_err_set(...)`.
 * code and field may be NULL. The message is formatted with vsnprintf and truncated. */
int lms_err_set(lms_err *err, int rc, const char *code, const char *field,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The default machine-readable code of a class ("invalid_field" for LMS_EINVAL ...). */
const char *lms_err_default_code(int rc);

#endif
