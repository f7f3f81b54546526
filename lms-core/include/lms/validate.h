/* validate.h — checks of input values shared by the CLI and the HTTP handlers.
 * Each returns 0 or LMS_EINVAL with err naming field and saying what is expected. */
#ifndef LMS_VALIDATE_H
#define LMS_VALIDATE_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool lms_utf8_valid(const char *s, size_t len);
/* Number of code points of valid UTF-8 text. */
size_t lms_utf8_length(const char *s, size_t len);

/* Unit and employee codes: 1-32 of A-Z a-z 0-9 . _ - */
int lms_check_code(const char *field, const char *s, lms_err *err);
/* A person's or unit's name: 1..max code points of valid UTF-8, no control characters. */
int lms_check_text(const char *field, const char *s, size_t max_chars, lms_err *err);
/* Username: 1-64 of a-z 0-9 . _ - @ (lowercase; the caller lowercases first). */
int lms_check_username(const char *field, const char *s, lms_err *err);
/* Personal identification number (CCCD): exactly 12 ASCII digits. */
int lms_check_pin(const char *field, const char *s, lms_err *err);
/* A calendar date "YYYY-MM-DD" between 1900 and 2999 that exists. */
int lms_check_date(const char *field, const char *s, lms_err *err);
/* Password: 1-1024 bytes of valid UTF-8 (the login form); for new passwords, at least
 * 10 characters (min_chars) as well. */
int lms_check_password(const char *field, const char *s, size_t min_chars, lms_err *err);

#endif
