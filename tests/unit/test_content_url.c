/* test_content_url.c — signed content links: a link made for a version opens it until it
 * expires, and any change to the key, the expiry or the MAC is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lms/content_url.h"
#include "lms/error.h"

#include <string.h>

static const unsigned char secret[LMS_CONTENT_SECRET_LEN] = "0123456789abcdef0123456789abcde";
static const unsigned char other[LMS_CONTENT_SECRET_LEN] = "0123456789abcdef0123456789abcdX";

static void roundtrip(void **state)
{
	char tok[LMS_CONTENT_TOKEN_MAX], key[64];
	(void)state;
	assert_int_equal(lms_content_token_make(secret, "Ab-_12345678901234567890", 2000000000, tok,
	                                        sizeof(tok)),
	                 LMS_OK);
	assert_int_equal(lms_content_token_check(secret, tok, strlen(tok), 1999999999, key, sizeof(key)),
	                 LMS_OK);
	assert_string_equal(key, "Ab-_12345678901234567890");
	/* the token is URL-safe */
	assert_int_equal(strspn(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
	                 strlen(tok));
}

static void expired(void **state)
{
	char tok[LMS_CONTENT_TOKEN_MAX], key[64];
	(void)state;
	assert_int_equal(lms_content_token_make(secret, "k1234567890123456", 1000, tok, sizeof(tok)),
	                 LMS_OK);
	assert_int_equal(lms_content_token_check(secret, tok, strlen(tok), 1000, key, sizeof(key)),
	                 LMS_EUNAUTH);
	assert_int_equal(lms_content_token_check(secret, tok, strlen(tok), 999, key, sizeof(key)),
	                 LMS_OK);
}

static void tampering_is_refused(void **state)
{
	char tok[LMS_CONTENT_TOKEN_MAX], bad[LMS_CONTENT_TOKEN_MAX], key[64];
	size_t i, n;
	(void)state;
	assert_int_equal(lms_content_token_make(secret, "k1234567890123456", 2000000000, tok,
	                                        sizeof(tok)),
	                 LMS_OK);
	n = strlen(tok);
	/* every single-character change is refused */
	for (i = 0; i < n; i++) {
		memcpy(bad, tok, n + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		assert_int_not_equal(lms_content_token_check(secret, bad, n, 1, key, sizeof(key)), LMS_OK);
	}
	/* another installation's secret */
	assert_int_equal(lms_content_token_check(other, tok, n, 1, key, sizeof(key)), LMS_EFORBIDDEN);
	/* truncated, empty, garbage, too long */
	assert_int_equal(lms_content_token_check(secret, tok, n - 1, 1, key, sizeof(key)), LMS_EFORBIDDEN);
	assert_int_equal(lms_content_token_check(secret, "", 0, 1, key, sizeof(key)), LMS_EFORBIDDEN);
	assert_int_equal(lms_content_token_check(secret, "a.b.c", 5, 1, key, sizeof(key)), LMS_EFORBIDDEN);
	memset(bad, 'a', sizeof(bad) - 1);
	bad[sizeof(bad) - 1] = '\0';
	assert_int_equal(lms_content_token_check(secret, bad, strlen(bad), 1, key, sizeof(key)),
	                 LMS_EFORBIDDEN);
	/* a key buffer too small is refused, not overrun */
	assert_int_equal(lms_content_token_check(secret, tok, n, 1, key, 4), LMS_EFORBIDDEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip),
		cmocka_unit_test(expired),
		cmocka_unit_test(tampering_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
