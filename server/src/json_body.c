/* json_body.c — request bodies to JSON objects (see json_body.h).
 *
 * Order matters: UTF-8 is checked first (cJSON does not), then a bracket-depth scan bounds
 * nesting before cJSON recurses (its own limit is 1000 levels of C stack), then the parse,
 * then "only whitespace after the value" (cJSON's require_null_terminated flag reads past a
 * length-bounded buffer, so that check is ours).
 */
#include "json_body.h"

#include "lms/validate.h"

#include <string.h>

static int depth_ok(const cJSON *j, int depth)
{
	const cJSON *c;

	if (depth > SRV_JSON_MAX_DEPTH)
		return 0;
	for (c = j->child; c; c = c->next)
		if (!depth_ok(c, depth + 1))
			return 0;
	return 1;
}

/* An upper bound of nesting: bracket depth outside strings. */
static int text_depth_ok(const char *s, size_t n)
{
	int depth = 0, in_str = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > SRV_JSON_MAX_DEPTH)
				return 0;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 1;
}

int srv_json_parse(const char *buf, size_t len, cJSON **out, const char **code,
                   const char **detail)
{
	const char *end = NULL;
	cJSON *j;

	*out = NULL;
	if (!lms_utf8_valid(buf, len)) {
		*code = "invalid_utf8";
		*detail = "the body is not valid UTF-8 text";
		return -1;
	}
	*code = "invalid_json";
	if (memchr(buf, '\0', len)) {
		*detail = "the body contains a NUL byte";
		return -1;
	}
	if (!text_depth_ok(buf, len)) {
		*detail = "the JSON is nested too deeply";
		return -1;
	}
	j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (j && (!end || end < buf || end > buf + len ||
	          strspn(end, " \t\r\n") != (size_t)(buf + len - end))) {
		cJSON_Delete(j);
		j = NULL;
	}
	if (!j) {
		*detail = "the body is not well-formed JSON";
		return -1;
	}
	if (!cJSON_IsObject(j) || !depth_ok(j, 0)) {
		cJSON_Delete(j);
		*detail = "the body must be a JSON object";
		return -1;
	}
	*out = j;
	return 0;
}
