/* test_validate.c — input checks of lms-core (validate.h): UTF-8 well-formedness and length,
 * codes, usernames, personal identification numbers (never echoed), calendar dates, names
 * and passwords (lengths in code points, not bytes). */
#include "support.h"

#include "lms/validate.h"

#include <string.h>

/* Vietnamese names in NFC, as typed on a Vietnamese keyboard. */
#define NGUYEN_THI_ANH "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B \xC3\x81nh" /* Nguyễn Thị Ánh */
#define DANG "\xC4\x90\xE1\xBA\xB7ng"                                /* Đặng */

static bool valid(const char *s)
{
	return lms_utf8_valid(s, strlen(s));
}

static void utf8_valid_accepts_vietnamese(void **state)
{
	(void)state;
	assert_int_equal(strlen(NGUYEN_THI_ANH), 19);
	assert_true(valid(NGUYEN_THI_ANH));
	assert_true(valid(DANG));
	assert_true(valid("S\xE1\xBB\x9F N\xE1\xBB\x99i v\xE1\xBB\xA5")); /* Sở Nội vụ */
	assert_true(valid("plain ASCII"));
	assert_true(lms_utf8_valid("", 0));
	assert_true(valid("\xF0\x9F\x98\x80"));     /* U+1F600, 4 bytes */
	assert_true(valid("\xF4\x8F\xBF\xBF"));     /* U+10FFFF, the last code point */
	assert_true(valid("\xEE\x80\x80"));         /* U+E000, just after the surrogates */
	assert_true(valid("\xED\x9F\xBF"));         /* U+D7FF, just before them */
	assert_true(lms_utf8_valid("a\0b", 3));     /* NUL is a code point */
}

static void utf8_valid_rejects_overlongs(void **state)
{
	(void)state;
	assert_false(valid("\xC0\xAF"));         /* '/' in two bytes */
	assert_false(valid("\xC1\xBF"));
	assert_false(valid("\xC0\x80"));         /* "modified UTF-8" NUL */
	assert_false(valid("\xE0\x80\xAF"));     /* '/' in three bytes */
	assert_false(valid("\xE0\x9F\xBF"));     /* U+07FF in three bytes */
	assert_false(valid("\xF0\x80\x80\xAF")); /* '/' in four bytes */
	assert_false(valid("\xF0\x8F\xBF\xBF")); /* U+FFFF in four bytes */
	assert_false(valid("a\xC0\xAF" "b"));
}

static void utf8_valid_rejects_surrogates_and_beyond_unicode(void **state)
{
	(void)state;
	assert_false(valid("\xED\xA0\x80")); /* U+D800 */
	assert_false(valid("\xED\xBF\xBF")); /* U+DFFF */
	assert_false(valid("\xED\xA0\xBD\xED\xB8\x80")); /* CESU-8 pair for U+1F600 */
	assert_false(lms_utf8_valid("\xF4\x90", 2));      /* starts > U+10FFFF, truncated too */
	assert_false(valid("\xF4\x90\x80\x80"));          /* U+110000 */
	assert_false(valid("\xF5\x80\x80\x80"));
	assert_false(valid("\xF7\xBF\xBF\xBF"));
	assert_false(valid("\xF8\x88\x80\x80\x80")); /* old 5-byte form */
	assert_false(valid("\xFC\x84\x80\x80\x80\x80"));
	assert_false(valid("\xFE"));
	assert_false(valid("\xFF"));
}

static void utf8_valid_rejects_truncated_sequences(void **state)
{
	(void)state;
	assert_false(valid("\xC4"));                 /* first byte of Đ alone */
	assert_false(valid("\xE1\xBA"));             /* two of the three bytes of ặ */
	assert_false(valid("\xF0\x9F\x98"));
	assert_false(valid("\xC4\x90\xE1"));          /* Đ then a cut ặ */
	assert_false(valid("\xE1\x41\x42"));          /* lead byte followed by ASCII */
	assert_false(valid("\xC4 "));
	/* a length that cuts a character in the middle */
	assert_false(lms_utf8_valid(DANG, 3));
	assert_true(lms_utf8_valid(DANG, 2));
	assert_false(lms_utf8_valid(NGUYEN_THI_ANH, 16));
}

static void utf8_valid_rejects_lone_continuation_bytes(void **state)
{
	(void)state;
	assert_false(valid("\x80"));
	assert_false(valid("\xBF"));
	assert_false(valid("abc\x80"));
	assert_false(valid("\xC4\x90\x90")); /* Đ then one continuation byte too many */
}

static void utf8_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(lms_utf8_length(NGUYEN_THI_ANH, strlen(NGUYEN_THI_ANH)), 14);
	assert_int_equal(lms_utf8_length(DANG, strlen(DANG)), 4);
	assert_int_equal(lms_utf8_length("", 0), 0);
	assert_int_equal(lms_utf8_length("abc", 3), 3);
	assert_int_equal(lms_utf8_length("\xF0\x9F\x98\x80", 4), 1);
}

/* err names the field, has the stable code, and rc matches the return. */
static void assert_invalid(int rc, const lms_err *err, const char *field, const char *code)
{
	assert_int_equal(rc, LMS_EINVAL);
	assert_int_equal(err->rc, LMS_EINVAL);
	assert_string_equal(err->code, code);
	assert_string_equal(err->field, field);
	assert_true(err->msg[0] != '\0');
}

static void check_code_accepts_codes(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_int_equal(lms_check_code("code", "SNV", &err), LMS_OK);
	assert_int_equal(lms_check_code("code", "P.BEN-THANH_01", &err), LMS_OK);
	assert_int_equal(lms_check_code("code", "a", &err), LMS_OK);
	assert_int_equal(lms_check_code("code", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", &err), LMS_OK);
	assert_int_equal(err.rc, LMS_OK);
}

static void check_code_rejects_others(void **state)
{
	static const char *const bad[] = {
		"", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456" /* 33 */, "S NV", "SNV/1", "S\xE1\xBB\x9F",
		"SNV\n", "a+b", "'; DROP TABLE org_unit; --", "x%s",
	};
	size_t i;
	lms_err err;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_invalid(lms_check_code("units[2].code", bad[i], &err), &err, "units[2].code",
		               "invalid_field");
	}
	lms_err_clear(&err);
	assert_invalid(lms_check_code("code", NULL, &err), &err, "code", "invalid_field");
}

static void check_username_rules(void **state)
{
	char u64[65], u65[66];
	lms_err err;
	(void)state;

	memset(u64, 'a', 64);
	u64[64] = '\0';
	memset(u65, 'a', 65);
	u65[65] = '\0';
	lms_err_clear(&err);
	assert_int_equal(lms_check_username("username", "nguyen.van.a@tphcm.gov.vn", &err), LMS_OK);
	assert_int_equal(lms_check_username("username", "hr_officer-01", &err), LMS_OK);
	assert_int_equal(lms_check_username("username", u64, &err), LMS_OK);
	assert_invalid(lms_check_username("username", u65, &err), &err, "username",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_username("username", "Nguyen", &err), &err, "username",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_username("username", "", &err), &err, "username",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_username("username", "a b", &err), &err, "username",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_username("username", "\xC4\x91\x61ng", &err), &err, "username",
	               "invalid_field"); /* đang */
	lms_err_clear(&err);
	assert_invalid(lms_check_username("username", NULL, &err), &err, "username",
	               "invalid_field");
}

static void check_pin_exactly_twelve_digits(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_int_equal(lms_check_pin("pin", "079123456789", &err), LMS_OK);
	assert_int_equal(lms_check_pin("pin", "000000000000", &err), LMS_OK);
	assert_int_equal(err.rc, LMS_OK);
}

static void check_pin_rejects_and_never_echoes_the_value(void **state)
{
	static const char *const bad[] = {
		"07912345678",         /* 11 */
		"0791234567890",       /* 13 */
		"07912345678a",
		"079 123456789",
		" 079123456789",
		"079123456789\n",
		"-79123456789",
		"07912345678\xEF\xBC\x99", /* a full-width 9 */
		"",
	};
	size_t i;
	lms_err err;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_invalid(lms_check_pin("people[0].pin", bad[i], &err), &err, "people[0].pin",
		               "invalid_field");
		if (bad[i][0]) {
			assert_null(strstr(err.msg, bad[i]));
			/* not even its first digits */
			assert_null(strstr(err.msg, "0791234"));
		}
		assert_null(strstr(err.field, "0791234"));
	}
	lms_err_clear(&err);
	assert_invalid(lms_check_pin("pin", NULL, &err), &err, "pin", "invalid_field");
}

static void check_date_valid_dates(void **state)
{
	static const char *const good[] = { "2024-02-29", "2000-02-29", "2025-07-01",
		                            "2025-12-31", "1900-01-01", "2999-12-31",
		                            "2025-04-30", "2022-08-10" };
	size_t i;
	lms_err err;
	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_check_date("valid_from", good[i], &err), LMS_OK);
	}
}

static void check_date_invalid_dates(void **state)
{
	static const char *const bad[] = {
		"2025-02-29", /* not a leap year */
		"1900-02-29", /* divisible by 100, not by 400 */
		"2100-02-29",
		"2024-02-30",
		"2025-13-01", /* month 13 */
		"2025-00-10",
		"2025-01-00", /* day 00 */
		"2025-04-31",
		"2025-01-32",
		"2025/01/01", /* wrong separators */
		"2025.01.01",
		"2025-01/01",
		"20250101",
		"2025-1-01",
		"2025-01-1",
		"2025-01-01T00:00",
		" 2025-01-01",
		"2025-01-01 ",
		"1899-12-31", /* out of range */
		"3000-01-01",
		"0000-01-01",
		"+025-01-01",
		"2025-0a-01",
		"01-01-2025",
		"",
	};
	size_t i;
	lms_err err;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_invalid(lms_check_date("valid_to", bad[i], &err), &err, "valid_to",
		               "invalid_field");
	}
	lms_err_clear(&err);
	assert_invalid(lms_check_date("valid_to", NULL, &err), &err, "valid_to", "invalid_field");
}

static void check_text_accepts_names(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_int_equal(lms_check_text("full_name", NGUYEN_THI_ANH, 200, &err), LMS_OK);
	/* Đặng: 4 code points in 7 bytes, so a limit of 4 characters takes it */
	assert_int_equal(strlen(DANG), 7);
	assert_int_equal(lms_check_text("full_name", DANG, 4, &err), LMS_OK);
	assert_int_equal(lms_check_text("full_name", NGUYEN_THI_ANH, 14, &err), LMS_OK);
	assert_int_equal(err.rc, LMS_OK);
}

static void check_text_counts_code_points_not_bytes(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_invalid(lms_check_text("full_name", DANG, 3, &err), &err, "full_name",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_text("full_name", NGUYEN_THI_ANH, 13, &err), &err, "full_name",
	               "invalid_field");
}

static void check_text_rejects_control_characters(void **state)
{
	static const char *const bad[] = {
		"Nguy\xE1\xBB\x85n\nTh\xE1\xBB\x8B",
		"Nguy\xE1\xBB\x85n\tTh\xE1\xBB\x8B",
		"\rName",
		"Name\x1B[31m",
		"Name\x7F",
	};
	size_t i;
	lms_err err;
	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_invalid(lms_check_text("name", bad[i], 200, &err), &err, "name",
		               "invalid_field");
	}
}

/* U+0080..U+009F are control characters too (Unicode category Cc), e.g. U+0085 NEXT LINE,
 * which some log viewers and terminals treat as a line break. */
static void check_text_rejects_c1_control_characters(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_invalid(lms_check_text("name", "Nguy\xE1\xBB\x85n\xC2\x85Th\xE1\xBB\x8B", 200, &err),
	               &err, "name", "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_text("name", "Name\xC2\x9B" "31m", 200, &err), &err, "name",
	               "invalid_field");
}

static void check_text_rejects_empty_and_invalid_utf8(void **state)
{
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_invalid(lms_check_text("name", "", 10, &err), &err, "name", "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_text("name", NULL, 10, &err), &err, "name", "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_text("name", "Nguy\xE1\xBBn", 10, &err), &err, "name",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_text("name", "\xC0\xAF", 10, &err), &err, "name",
	               "invalid_field");
}

static void check_password_min_chars_in_code_points(void **state)
{
	/* "ẩ" is 3 bytes: nine of them are 27 bytes but only 9 characters */
	static const char nine[] = "\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9"
	                           "\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9";
	static const char ten[] = "\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9"
	                          "\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9\xE1\xBA\xA9";
	lms_err err;
	(void)state;
	lms_err_clear(&err);
	assert_invalid(lms_check_password("password", nine, LMS_PASSWORD_MIN_CHARS, &err), &err,
	               "password", "weak_password");
	assert_null(strstr(err.msg, nine));
	lms_err_clear(&err);
	assert_int_equal(lms_check_password("password", ten, LMS_PASSWORD_MIN_CHARS, &err), LMS_OK);
	assert_int_equal(lms_check_password("password", "0123456789", LMS_PASSWORD_MIN_CHARS, &err),
	                 LMS_OK);
	assert_invalid(lms_check_password("password", "012345678", LMS_PASSWORD_MIN_CHARS, &err),
	               &err, "password", "weak_password");
	assert_null(strstr(err.msg, "012345678"));
	/* at login any non-empty password is checked against the hash */
	lms_err_clear(&err);
	assert_int_equal(lms_check_password("password", "x", 0, &err), LMS_OK);
}

static void check_password_bytes_and_encoding(void **state)
{
	char big[1026];
	lms_err err;
	(void)state;

	memset(big, 'p', 1024);
	big[1024] = '\0';
	lms_err_clear(&err);
	assert_int_equal(lms_check_password("password", big, LMS_PASSWORD_MIN_CHARS, &err), LMS_OK);
	big[1024] = 'p';
	big[1025] = '\0';
	assert_invalid(lms_check_password("password", big, LMS_PASSWORD_MIN_CHARS, &err), &err,
	               "password", "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_password("password", "", 0, &err), &err, "password",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_password("password", NULL, 0, &err), &err, "password",
	               "invalid_field");
	lms_err_clear(&err);
	assert_invalid(lms_check_password("password", "secret\xC0\xAFsecret", 0, &err), &err,
	               "password", "invalid_field");
	assert_null(strstr(err.msg, "secret"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_valid_accepts_vietnamese),
		cmocka_unit_test(utf8_valid_rejects_overlongs),
		cmocka_unit_test(utf8_valid_rejects_surrogates_and_beyond_unicode),
		cmocka_unit_test(utf8_valid_rejects_truncated_sequences),
		cmocka_unit_test(utf8_valid_rejects_lone_continuation_bytes),
		cmocka_unit_test(utf8_length_counts_code_points),
		cmocka_unit_test(check_code_accepts_codes),
		cmocka_unit_test(check_code_rejects_others),
		cmocka_unit_test(check_username_rules),
		cmocka_unit_test(check_pin_exactly_twelve_digits),
		cmocka_unit_test(check_pin_rejects_and_never_echoes_the_value),
		cmocka_unit_test(check_date_valid_dates),
		cmocka_unit_test(check_date_invalid_dates),
		cmocka_unit_test(check_text_accepts_names),
		cmocka_unit_test(check_text_counts_code_points_not_bytes),
		cmocka_unit_test(check_text_rejects_control_characters),
		cmocka_unit_test(check_text_rejects_c1_control_characters),
		cmocka_unit_test(check_text_rejects_empty_and_invalid_utf8),
		cmocka_unit_test(check_password_min_chars_in_code_points),
		cmocka_unit_test(check_password_bytes_and_encoding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
