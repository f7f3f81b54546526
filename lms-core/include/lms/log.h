/* log.h — leveled logging to stderr (or a file the server opens). The macro checks the
 * level before formatting. Never log a password, a session token, a CSRF token or a
 * personal identification number. */
#ifndef LMS_LOG_H
#define LMS_LOG_H

#include <stdio.h>

enum { LMS_LOG_ERROR = 0, LMS_LOG_WARN = 1, LMS_LOG_INFO = 2, LMS_LOG_DEBUG = 3 };

extern int lms_log_level;

void lms_log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses "error", "warn", "info", "debug"; returns -1 when unknown. */
int lms_log_level_parse(const char *s);

#define LMS_LOG(level, ...)                                                      \
	do {                                                                     \
		if ((level) <= lms_log_level)                                    \
			lms_log_write((level), __VA_ARGS__);                     \
	} while (0)
#define LMS_ERROR(...) LMS_LOG(LMS_LOG_ERROR, __VA_ARGS__)
#define LMS_WARN(...) LMS_LOG(LMS_LOG_WARN, __VA_ARGS__)
#define LMS_INFO(...) LMS_LOG(LMS_LOG_INFO, __VA_ARGS__)
#define LMS_DEBUG(...) LMS_LOG(LMS_LOG_DEBUG, __VA_ARGS__)

#endif
