/* validate.c — input checks (see validate.h). Pure functions; no allocation. */
#include "lms/validate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

bool lms_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

size_t lms_utf8_length(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int lms_check_code(const char *field, const char *s, lms_err *err)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 32)
		goto bad;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			goto bad;
	}
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
	                   "%s: must be 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' or '-'", field);
}

int lms_check_text(const char *field, const char *s, size_t max_chars, lms_err *err)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || !lms_utf8_valid(s, n) || lms_utf8_length(s, n) > max_chars)
		goto bad;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			goto bad;
		/* C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8 (valid, checked above). */
		if (c == 0xC2 && (unsigned char)s[i + 1] <= 0x9F)
			goto bad;
	}
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
	                   "%s: must be text of 1 to %zu characters without control characters",
	                   field, max_chars);
}

int lms_check_username(const char *field, const char *s, lms_err *err)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 64)
		goto bad;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-' || c == '@'))
			goto bad;
	}
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
	                   "%s: must be 1 to 64 characters of a-z, 0-9, '.', '_', '-' or '@'",
	                   field);
}

int lms_check_pin(const char *field, const char *s, lms_err *err)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n != 12)
		goto bad;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			goto bad;
	return LMS_OK;
bad:
	/* Never echo the value: it is a personal identification number. */
	return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
	                   "%s: must be exactly 12 digits", field);
}

int lms_check_date(const char *field, const char *s, lms_err *err)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap, i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		goto bad;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			goto bad;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		goto bad;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		goto bad;
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
	                   "%s: must be a date YYYY-MM-DD", field);
}

int lms_check_password(const char *field, const char *s, size_t min_chars, lms_err *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 1024 || !lms_utf8_valid(s, n))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", field,
		                   "%s: must be 1 to 1024 bytes of UTF-8 text", field);
	if (lms_utf8_length(s, n) < min_chars)
		return lms_err_set(err, LMS_EINVAL, "weak_password", field,
		                   "%s: must be at least %zu characters", field, min_chars);
	return LMS_OK;
}
