/* fuzz_cmi.c — the SCORM data model checks (cmi.h) on arbitrary bytes, split as
 * "element\0value" (no NUL: the whole input is the element and the value is empty). Whatever
 * the bytes, a check must answer 0 with no SCORM error, or LMS_EINVAL with one of the
 * standard's numbers; the time parsers must round-trip what they accept. */
#include "fuzz.h"
#include "lms/cmi.h"

#include <stdlib.h>
#include <string.h>

static bool known12(int e)
{
	return e == 201 || e == 202 || e == 203 || e == 402 || e == 403 || e == 405;
}

static bool known2004(int e)
{
	return e == 351 || e == 401 || e == 404 || (e >= 406 && e <= 408);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const lms_cmi_interaction_state inter[3] = {
		{true, LMS_CMI_ITYPE_CHOICE, 1, 1},
		{true, LMS_CMI_ITYPE_NUMERIC, 0, 1},
		{false, LMS_CMI_ITYPE_UNSET, 0, 0},
	};
	static const lms_cmi_objective_state obj[2] = {{true}, {false}};
	const lms_cmi_counts counts = {3, inter, 2, obj, 1};
	char *buf = malloc(size + 2);
	const char *element, *value;
	int err, rc;
	int64_t cs;
	char out[40];

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	element = buf;
	value = buf + strlen(buf) + 1; /* at most buf + size + 1, which is "" */

	for (int v = LMS_CMI_12; v <= LMS_CMI_2004; v++) {
		rc = lms_cmi_check_set((lms_cmi_version)v, element, value, &counts, &err);
		if (rc == 0)
			FUZZ_CHECK(err == 0);
		else
			FUZZ_CHECK(rc == LMS_EINVAL &&
			           (v == LMS_CMI_12 ? known12(err) : known2004(err)));
		rc = lms_cmi_check_set((lms_cmi_version)v, element, value, NULL, &err);
		FUZZ_CHECK(rc == 0 || rc == LMS_EINVAL);
		(void)lms_cmi_readable((lms_cmi_version)v, element);
		(void)lms_cmi_itype_parse((lms_cmi_version)v, value);
	}
	if (lms_cmi_parse_duration(value, &cs)) {
		int64_t back;
		FUZZ_CHECK(cs >= 0);
		if (cs < INT64_C(360000) * 999999999) {
			FUZZ_CHECK(lms_cmi_format_duration(cs, out, sizeof out) == 0);
			FUZZ_CHECK(lms_cmi_parse_duration(out, &back) && back == cs);
		}
	}
	if (lms_cmi_parse_timespan12(value, &cs)) {
		int64_t back;
		FUZZ_CHECK(cs >= 0 && cs <= INT64_C(3599999999));
		FUZZ_CHECK(lms_cmi_format_timespan12(cs, out, sizeof out) == 0);
		FUZZ_CHECK(lms_cmi_parse_timespan12(out, &back) && back == cs);
	}
	(void)lms_cmi_parse_time(value);
	(void)lms_cmi_real(value, NULL);
	free(buf);
	return 0;
}
