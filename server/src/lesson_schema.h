/* lesson_schema.h — the built-in PAR lesson schema, compiled once (NULL if it does not
 * compile, which a test would catch). */
#ifndef SRV_LESSON_SCHEMA_H
#define SRV_LESSON_SCHEMA_H

#include "lms/lesson.h"

const lms_lesson_schema *srv_lesson_schema(void);

#endif
