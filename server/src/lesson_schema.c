/* lesson_schema.c — the PAR lesson XSD built into the binary (schemas/par-lesson/), compiled
 * once per process on first use and shared by every thread. */
#include "lesson_schema.h"

#include "lms/log.h"

#include <pthread.h>
#include <stddef.h>

extern const unsigned char srv_lesson_xsd[];
extern const size_t srv_lesson_xsd_len;

static lms_lesson_schema *schema;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile(void)
{
	lms_err err;

	lms_err_clear(&err);
	if (lms_lesson_schema_new((const char *)srv_lesson_xsd, srv_lesson_xsd_len, &schema, &err) < 0) {
		LMS_ERROR("the built-in PAR lesson schema does not compile: %s", err.msg);
		schema = NULL;
	}
}

const lms_lesson_schema *srv_lesson_schema(void)
{
	pthread_once(&once, compile);
	return schema;
}
