/* json_body.h — turning a request body into a JSON object, with the checks every body gets:
 * valid UTF-8, bounded nesting, one well-formed object and nothing after it. Pure: no
 * CivetWeb, so the fuzzer and the unit tests can drive it directly. */
#ifndef SRV_JSON_BODY_H
#define SRV_JSON_BODY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define SRV_JSON_MAX_DEPTH 32

/* Parses buf[0..len) (buf[len] must be readable and '\0'). On success *out is the object
 * (the caller frees it with cJSON_Delete) and 0 is returned. On failure -1, *out NULL, and
 * *code / *detail say why: "invalid_utf8" or "invalid_json", in words for a person. */
int srv_json_parse(const char *buf, size_t len, cJSON **out, const char **code,
                   const char **detail);

#endif
