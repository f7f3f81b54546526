/* json_out.h — small writers of JSON members shared by the handlers and the CLI (json.c). */
#ifndef SRV_JSON_OUT_H
#define SRV_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stdint.h>

/* A string member, or null when v is NULL. */
void srv_json_str(cJSON *o, const char *name, const char *v);
/* A time member (µs since the epoch) as ISO 8601 UTC, to the second or to the millisecond;
 * null for 0. */
void srv_json_time(cJSON *o, const char *name, int64_t us);
void srv_json_time_ms(cJSON *o, const char *name, int64_t us);

#endif
