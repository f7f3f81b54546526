/* jsonw.h — writing JSON text into an arena, for the few places outside server/ that store
 * JSON (run-time state and log rows, completion evidence). Strings must be UTF-8 (the caller
 * has checked); control characters, quotes and backslashes are escaped.
 */
#ifndef LMS_JSONW_H
#define LMS_JSONW_H

#include "lms/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lms_jsonw {
	lms_arena *a;
	char *buf;
	size_t len, cap;
} lms_jsonw;

void lms_jsonw_init(lms_jsonw *w, lms_arena *a);
void lms_jsonw_raw(lms_jsonw *w, const char *text);     /* appended as is */
void lms_jsonw_str(lms_jsonw *w, const char *s);        /* a quoted string; NULL writes null */
void lms_jsonw_i64(lms_jsonw *w, int64_t v);
void lms_jsonw_num(lms_jsonw *w, double v);             /* %.17g; not finite writes null */
/* The text so far (NUL-terminated, in the arena). */
const char *lms_jsonw_text(const lms_jsonw *w);

#endif
