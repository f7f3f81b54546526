/* fuzz_json_body.c — every request body goes through srv_json_parse: whatever the bytes,
 * it must return an object or a clean refusal, never crash, leak or read out of bounds. */
#include "fuzz.h"
#include "json_body.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	const char *code = NULL, *detail = NULL;
	cJSON *j = NULL;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	rc = srv_json_parse(buf, size, &j, &code, &detail);
	if (rc == 0) {
		FUZZ_CHECK(j && cJSON_IsObject(j));
		cJSON_Delete(j);
	} else {
		FUZZ_CHECK(!j && code && detail);
		FUZZ_CHECK(strcmp(code, "invalid_json") == 0 || strcmp(code, "invalid_utf8") == 0);
	}
	free(buf);
	return 0;
}
