/* fuzz_validate.c — the input checks of lms-core on arbitrary bytes: UTF-8 validation and
 * length, codes, usernames, identification numbers, dates, names, passwords. None may
 * crash; an accepted value must really have the documented shape. */
#include "fuzz.h"
#include "lms/validate.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	lms_err err;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	n = strlen(s);
	if (lms_utf8_valid((const char *)data, size))
		FUZZ_CHECK(lms_utf8_length((const char *)data, size) <= size);
	if (lms_check_pin("pin", s, &err) == LMS_OK)
		FUZZ_CHECK(n == 12 && strspn(s, "0123456789") == 12);
	if (lms_check_date("date", s, &err) == LMS_OK)
		FUZZ_CHECK(n == 10 && s[4] == '-' && s[7] == '-');
	if (lms_check_code("code", s, &err) == LMS_OK)
		FUZZ_CHECK(n >= 1 && n <= 32);
	if (lms_check_username("username", s, &err) == LMS_OK)
		FUZZ_CHECK(n >= 1 && n <= 64);
	if (lms_check_text("name", s, 200, &err) == LMS_OK)
		FUZZ_CHECK(lms_utf8_valid(s, n));
	(void)lms_check_password("password", s, 10, &err);
	free(s);
	return 0;
}
