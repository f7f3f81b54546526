/* error.c — recording errors into an lms_err (see error.h). */
#include "lms/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lms_err_clear(lms_err *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

const char *lms_err_default_code(int rc)
{
	switch (rc) {
	case LMS_OK: return "ok";
	case LMS_EINVAL: return "invalid_field";
	case LMS_ENOTFOUND: return "not_found";
	case LMS_ECONFLICT: return "conflict";
	case LMS_EFORBIDDEN: return "forbidden";
	case LMS_EUNAUTH: return "unauthenticated";
	case LMS_ETOOBIG: return "body_too_large";
	case LMS_EUNSUPPORTED: return "unsupported_media_type";
	case LMS_EUNAVAIL: return "db_unavailable";
	case LMS_ETHROTTLED: return "too_many_attempts";
	case LMS_ESTORAGE:
	case LMS_EINTERNAL:
	default: return "internal";
	}
}

int lms_err_set(lms_err *err, int rc, const char *code, const char *field,
                const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return rc;
	err->rc = rc;
	snprintf(err->code, sizeof(err->code), "%s", code ? code : lms_err_default_code(rc));
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}
