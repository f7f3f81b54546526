/* fuzz_assess_def.c — an assessment's definition (the body of POST /api/assessments and the
 * file of `parlearn assessment create`) goes through srv_as_def_parse: whatever the bytes, it
 * must give a definition that the core's check accepts and that writes back as JSON, or a
 * clean refusal with a code and a message — never crash, leak or read out of bounds. */
#include "assess_json.h"
#include "fuzz.h"
#include "json_body.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *code = NULL, *detail = NULL;
	char *buf = malloc(size + 1);
	lms_arena *a = NULL;
	lms_assessment as;
	cJSON *j = NULL, *out;
	lms_err err;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (srv_json_parse(buf, size, &j, &code, &detail) != 0)
		goto done;
	a = lms_arena_new();
	memset(&as, 0, sizeof(as));
	lms_err_clear(&err);
	if (srv_as_def_parse(j, true, NULL, a, &as, &err) == 0) {
		FUZZ_CHECK(lms_as_check(&as, &err) == 0);
		FUZZ_CHECK(as.code && as.title && as.unit_code);
		out = srv_as_json(&as, true);
		FUZZ_CHECK(out != NULL);
		cJSON_Delete(out);
	} else {
		FUZZ_CHECK(err.rc < 0 && err.code[0] && err.msg[0]);
	}
done:
	cJSON_Delete(j);
	lms_arena_free(a);
	free(buf);
	return 0;
}
