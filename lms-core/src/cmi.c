/* cmi.c — SCORM run-time data model checks (see cmi.h and docs/scorm-runtime.md).
 *
 * One table per version lists every element with its access and value type; "n" in a name
 * stands for a collection index. A write is matched against the table, then checked in the
 * order of the standards' SetValue: defined, keyword, read-only, index order, dependency,
 * type, range. Pure: no allocation, no I/O, no global state; every scan is bounded by the
 * value's length. Values are UTF-8 and character limits count code points (SCORM counts
 * characters, not bytes). Does not store anything, nor track ids: the caller passes what it
 * knows of the collections in lms_cmi_counts.
 */
#include "lms/cmi.h"

#include "lms/validate.h"

#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ELEMENT 4096 /* longer element names are undefined */
#define MAX_SEGS 8
#define MAX_REAL 64      /* characters of a real(10,7) or CMIDecimal */
#define MAX_ITEMS 256    /* [,]-separated items of a response: above every SPM (250) */

enum access { RO, WO, RW };

enum kind {
	K_KEYWORD,   /* _version, _children, _count */
	K_RO,        /* read-only value: nothing to check */
	K_STR,       /* characterstring / CMIString of at most max characters */
	K_LSTR,      /* 2004 localized_string_type: optional {lang=..} then max characters */
	K_ID,        /* 2004 long_identifier_type of at most max characters */
	K_ID12,      /* 1.2 CMIIdentifier */
	K_VOCAB,     /* one of vocab */
	K_REAL,      /* real(10,7), 1.2 CMIDecimal; range in lo/hi */
	K_SCORE12,   /* 1.2 CMIDecimal or CMIBlank, range in lo/hi */
	K_SINT12,    /* 1.2 CMISInteger, range in lo/hi */
	K_DURATION,  /* 2004 timeinterval */
	K_TIME,      /* 2004 time */
	K_TIMESPAN12,
	K_TIME12,
	K_LANG,      /* 2004 language_type, or empty */
	K_RESULT,    /* vocab or real */
	K_NAVREQ,
	K_ITYPE,
	K_PATTERN,   /* interactions.n.correct_responses.n.pattern */
	K_RESPONSE   /* learner_response (2004), student_response (1.2) */
};

enum range { R_NONE, R_LO, R_BOTH };

struct elem {
	const char *name;
	unsigned char access, kind, range;
	size_t max;
	double lo, hi;
	const char *const *vocab;
};

static const char *const status12_set[] = {"passed", "completed", "failed", "incomplete",
                                           "browsed", NULL};
static const char *const status12_all[] = {"passed", "completed", "failed", "incomplete",
                                           "browsed", "not attempted", NULL};
static const char *const exit12[] = {"time-out", "suspend", "logout", "", NULL};
static const char *const result12[] = {"correct", "wrong", "unanticipated", "neutral", NULL};
static const char *const cstatus[] = {"completed", "incomplete", "not attempted", "unknown",
                                      NULL};
static const char *const sstatus[] = {"passed", "failed", "unknown", NULL};
static const char *const exit04[] = {"time-out", "suspend", "logout", "normal", "", NULL};
static const char *const result04[] = {"correct", "incorrect", "unanticipated", "neutral",
                                       NULL};
static const char *const captioning[] = {"-1", "0", "1", NULL};
static const char *const navreq[] = {"continue", "previous", "exit", "exitAll", "abandon",
                                     "abandonAll", "suspendAll", "_none_", NULL};

#define KW(n) {n, RO, K_KEYWORD, R_NONE, 0, 0, 0, NULL}
#define ROV(n) {n, RO, K_RO, R_NONE, 0, 0, 0, NULL}
#define T(n, a, k) {n, a, k, R_NONE, 0, 0, 0, NULL}
#define STR(n, a, k, m) {n, a, k, R_NONE, m, 0, 0, NULL}
#define VOC(n, a, v) {n, a, K_VOCAB, R_NONE, 0, 0, 0, v}
#define RNG(n, a, k, r, l, h) {n, a, k, r, 0, l, h, NULL}

/* SCORM 1.2 RTE section 3.4. */
static const struct elem model12[] = {
	KW("cmi._version"),
	KW("cmi.core._children"),
	ROV("cmi.core.student_id"),
	ROV("cmi.core.student_name"),
	STR("cmi.core.lesson_location", RW, K_STR, 255),
	ROV("cmi.core.credit"),
	/* 3.4.4: "not attempted" is the LMS's initial value; a SCO may not set it. */
	VOC("cmi.core.lesson_status", RW, status12_set),
	ROV("cmi.core.entry"),
	KW("cmi.core.score._children"),
	RNG("cmi.core.score.raw", RW, K_SCORE12, R_BOTH, 0, 100),
	RNG("cmi.core.score.max", RW, K_SCORE12, R_BOTH, 0, 100),
	RNG("cmi.core.score.min", RW, K_SCORE12, R_BOTH, 0, 100),
	ROV("cmi.core.total_time"),
	ROV("cmi.core.lesson_mode"),
	VOC("cmi.core.exit", WO, exit12),
	T("cmi.core.session_time", WO, K_TIMESPAN12),
	/* CMIString4096 in the standard; issue 4 asks for 64,000 characters in both versions,
	 * because real 1.2 packages (authoring tools) write more than 4096. */
	STR("cmi.suspend_data", RW, K_STR, 64000),
	ROV("cmi.launch_data"),
	STR("cmi.comments", RW, K_STR, 4096),
	ROV("cmi.comments_from_lms"),
	KW("cmi.objectives._children"),
	KW("cmi.objectives._count"),
	T("cmi.objectives.n.id", RW, K_ID12),
	KW("cmi.objectives.n.score._children"),
	RNG("cmi.objectives.n.score.raw", RW, K_SCORE12, R_BOTH, 0, 100),
	RNG("cmi.objectives.n.score.max", RW, K_SCORE12, R_BOTH, 0, 100),
	RNG("cmi.objectives.n.score.min", RW, K_SCORE12, R_BOTH, 0, 100),
	VOC("cmi.objectives.n.status", RW, status12_all),
	KW("cmi.student_data._children"),
	ROV("cmi.student_data.mastery_score"),
	ROV("cmi.student_data.max_time_allowed"),
	ROV("cmi.student_data.time_limit_action"),
	KW("cmi.student_preference._children"),
	RNG("cmi.student_preference.audio", RW, K_SINT12, R_BOTH, -1, 100),
	STR("cmi.student_preference.language", RW, K_STR, 255),
	RNG("cmi.student_preference.speed", RW, K_SINT12, R_BOTH, -100, 100),
	RNG("cmi.student_preference.text", RW, K_SINT12, R_BOTH, -1, 1),
	KW("cmi.interactions._children"),
	KW("cmi.interactions._count"),
	T("cmi.interactions.n.id", WO, K_ID12),
	KW("cmi.interactions.n.objectives._count"),
	T("cmi.interactions.n.objectives.n.id", WO, K_ID12),
	T("cmi.interactions.n.time", WO, K_TIME12),
	T("cmi.interactions.n.type", WO, K_ITYPE),
	KW("cmi.interactions.n.correct_responses._count"),
	T("cmi.interactions.n.correct_responses.n.pattern", WO, K_PATTERN),
	T("cmi.interactions.n.weighting", WO, K_REAL),
	T("cmi.interactions.n.student_response", WO, K_RESPONSE),
	{"cmi.interactions.n.result", WO, K_RESULT, R_NONE, 0, 0, 0, result12},
	T("cmi.interactions.n.latency", WO, K_TIMESPAN12),
};

/* SCORM 2004 4th edition RTE section 4.2. */
static const struct elem model2004[] = {
	KW("cmi._version"),
	KW("cmi.comments_from_learner._children"),
	KW("cmi.comments_from_learner._count"),
	STR("cmi.comments_from_learner.n.comment", RW, K_LSTR, 4000),
	STR("cmi.comments_from_learner.n.location", RW, K_STR, 250),
	T("cmi.comments_from_learner.n.timestamp", RW, K_TIME),
	KW("cmi.comments_from_lms._children"),
	KW("cmi.comments_from_lms._count"),
	ROV("cmi.comments_from_lms.n.comment"),
	ROV("cmi.comments_from_lms.n.location"),
	ROV("cmi.comments_from_lms.n.timestamp"),
	VOC("cmi.completion_status", RW, cstatus),
	ROV("cmi.completion_threshold"),
	ROV("cmi.credit"),
	ROV("cmi.entry"),
	VOC("cmi.exit", WO, exit04),
	KW("cmi.interactions._children"),
	KW("cmi.interactions._count"),
	STR("cmi.interactions.n.id", RW, K_ID, 4000),
	T("cmi.interactions.n.type", RW, K_ITYPE),
	KW("cmi.interactions.n.objectives._count"),
	STR("cmi.interactions.n.objectives.n.id", RW, K_ID, 4000),
	T("cmi.interactions.n.timestamp", RW, K_TIME),
	KW("cmi.interactions.n.correct_responses._count"),
	T("cmi.interactions.n.correct_responses.n.pattern", RW, K_PATTERN),
	T("cmi.interactions.n.weighting", RW, K_REAL),
	T("cmi.interactions.n.learner_response", RW, K_RESPONSE),
	{"cmi.interactions.n.result", RW, K_RESULT, R_NONE, 0, 0, 0, result04},
	T("cmi.interactions.n.latency", RW, K_DURATION),
	STR("cmi.interactions.n.description", RW, K_LSTR, 250),
	ROV("cmi.launch_data"),
	ROV("cmi.learner_id"),
	ROV("cmi.learner_name"),
	KW("cmi.learner_preference._children"),
	RNG("cmi.learner_preference.audio_level", RW, K_REAL, R_LO, 0, 0),
	T("cmi.learner_preference.language", RW, K_LANG),
	RNG("cmi.learner_preference.delivery_speed", RW, K_REAL, R_LO, 0, 0),
	VOC("cmi.learner_preference.audio_captioning", RW, captioning),
	STR("cmi.location", RW, K_STR, 1000),
	ROV("cmi.max_time_allowed"),
	ROV("cmi.mode"),
	KW("cmi.objectives._children"),
	KW("cmi.objectives._count"),
	STR("cmi.objectives.n.id", RW, K_ID, 4000),
	KW("cmi.objectives.n.score._children"),
	RNG("cmi.objectives.n.score.scaled", RW, K_REAL, R_BOTH, -1, 1),
	T("cmi.objectives.n.score.raw", RW, K_REAL),
	T("cmi.objectives.n.score.min", RW, K_REAL),
	T("cmi.objectives.n.score.max", RW, K_REAL),
	VOC("cmi.objectives.n.success_status", RW, sstatus),
	VOC("cmi.objectives.n.completion_status", RW, cstatus),
	RNG("cmi.objectives.n.progress_measure", RW, K_REAL, R_BOTH, 0, 1),
	STR("cmi.objectives.n.description", RW, K_LSTR, 250),
	RNG("cmi.progress_measure", RW, K_REAL, R_BOTH, 0, 1),
	ROV("cmi.scaled_passing_score"),
	KW("cmi.score._children"),
	RNG("cmi.score.scaled", RW, K_REAL, R_BOTH, -1, 1),
	T("cmi.score.raw", RW, K_REAL),
	T("cmi.score.min", RW, K_REAL),
	T("cmi.score.max", RW, K_REAL),
	T("cmi.session_time", WO, K_DURATION),
	VOC("cmi.success_status", RW, sstatus),
	STR("cmi.suspend_data", RW, K_STR, 64000),
	ROV("cmi.time_limit_action"),
	ROV("cmi.total_time"),
	T("adl.nav.request", RW, K_NAVREQ),
	ROV("adl.nav.request_valid.continue"),
	ROV("adl.nav.request_valid.previous"),
};

/* ---- small helpers on spans (s, len) ---- */

static bool span_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(s, lit, len) == 0;
}

static bool starts(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	return len >= n && memcmp(s, lit, n) == 0;
}

static const char *find(const char *s, size_t len, const char *delim)
{
	size_t dl = strlen(delim);
	if (dl > len)
		return NULL;
	for (size_t i = 0; i + dl <= len; i++)
		if (memcmp(s + i, delim, dl) == 0)
			return s + i;
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool in_vocab(const char *s, size_t len, const char *const *vocab)
{
	for (; *vocab; vocab++)
		if (span_eq(s, len, *vocab))
			return true;
	return false;
}

/* Valid UTF-8 of at most max code points, no NUL. */
static bool chars_ok(const char *s, size_t len, size_t max)
{
	if (memchr(s, '\0', len))
		return false;
	return lms_utf8_valid(s, len) && lms_utf8_length(s, len) <= max;
}

/* Reads n digits (exactly) as an int. */
static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* ---- value types ---- */

static bool real_span(const char *s, size_t len, double *out)
{
	char buf[MAX_REAL + 1];
	size_t i = 0, d = 0;

	if (len == 0 || len > MAX_REAL)
		return false;
	if (s[0] == '-')
		i++;
	while (i < len && is_digit(s[i]))
		i++, d++;
	if (d == 0)
		return false;
	if (i < len && s[i] == '.') {
		i++;
		d = 0;
		while (i < len && is_digit(s[i]))
			i++, d++;
		if (d == 0)
			return false;
	}
	if (i != len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (out)
		*out = strtod(buf, NULL);
	return true;
}

bool lms_cmi_real(const char *s, double *out)
{
	assert(s);
	return real_span(s, strnlen(s, MAX_REAL + 1), out);
}

/* language_type (RFC 1766 as SCORM 2004 RTE 4.1.1.4 has it): a 2-3 letter code, or i or x,
 * then "-" subcodes of 1-8 letters and digits. At most 250 characters. */
static bool lang_ok(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || len > 250)
		return false;
	while (i < len && is_alpha(s[i]))
		i++;
	if (!(i == 2 || i == 3 || (i == 1 && (s[0] == 'i' || s[0] == 'x' || s[0] == 'I' ||
	                                        s[0] == 'X'))))
		return false;
	while (i < len) {
		size_t k = 0;
		if (s[i] != '-')
			return false;
		i++;
		while (i < len && (is_alpha(s[i]) || is_digit(s[i])))
			i++, k++;
		if (k < 1 || k > 8)
			return false;
	}
	return true;
}

/* localized_string_type: an optional "{lang=<language_type>}" then at most max characters. */
static bool lstr_ok(const char *s, size_t len, size_t max)
{
	if (starts(s, len, "{lang=")) {
		const char *end = memchr(s, '}', len);
		if (!end || !lang_ok(s + 6, (size_t)(end - s) - 6))
			return false;
		len -= (size_t)(end - s) + 1;
		s = end + 1;
	}
	return chars_ok(s, len, max);
}

/* long_identifier_type / short_identifier_type (2004 RTE 4.1.1.3): 1..max characters, no
 * white space or control characters (a URI); a "urn:" must have a 1-31 character NID of
 * letters, digits and '-', then ':' and a non-empty NSS. */
static bool id_ok(const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len == 0 || !chars_ok(s, len, max))
		return false;
	for (size_t i = 0; i < len; i++)
		if (u[i] <= 0x20 || u[i] == 0x7F)
			return false;
	if (len >= 4 && (u[0] | 0x20) == 'u' && (u[1] | 0x20) == 'r' && (u[2] | 0x20) == 'n' &&
	    u[3] == ':') {
		size_t i = 4, k = 0;
		while (i < len && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '-'))
			i++, k++;
		if (k < 1 || k > 31 || i >= len || s[i] != ':' || i + 1 >= len)
			return false;
	}
	return true;
}

/* CMIIdentifier (1.2 RTE 3.4.2): 1-255 printable ASCII characters, no white space. */
static bool id12_ok(const char *s, size_t len)
{
	if (len == 0 || len > 255)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7E)
			return false;
	return true;
}

/* CMITime (1.2): "HH:MM:SS[.S[S]]", a time of day. */
static bool time12_ok(const char *s, size_t len)
{
	int h, m, sec, f;
	if (len != 8 && len != 10 && len != 11)
		return false;
	if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) || s[5] != ':' ||
	    !digits(s + 6, 2, &sec) || h > 23 || m > 59 || sec > 59)
		return false;
	return len == 8 || (s[8] == '.' && digits(s + 9, len - 9, &f));
}

bool lms_cmi_parse_timespan12(const char *s, int64_t *cs)
{
	size_t len, hl = 0;
	int h, m, sec, f = 0;

	assert(s && cs);
	len = strnlen(s, 16);
	while (hl < len && is_digit(s[hl]))
		hl++;
	if (hl < 2 || hl > 4 || len < hl + 6)
		return false;
	if (!digits(s, hl, &h) || s[hl] != ':' || !digits(s + hl + 1, 2, &m) ||
	    s[hl + 3] != ':' || !digits(s + hl + 4, 2, &sec) || m > 59 || sec > 59)
		return false;
	if (len != hl + 6) {
		size_t fl = len - hl - 7;
		if (s[hl + 6] != '.' || fl < 1 || fl > 2 || !digits(s + hl + 7, fl, &f))
			return false;
		if (fl == 1)
			f *= 10;
	}
	*cs = (((int64_t)h * 60 + m) * 60 + sec) * 100 + f;
	return true;
}

/* Adds n units of `unit` hundredths to *total, failing on overflow. */
static bool add_units(int64_t *total, int64_t n, int64_t unit)
{
	if (n > (INT64_MAX - *total) / unit)
		return false;
	*total += n * unit;
	return true;
}

bool lms_cmi_parse_duration(const char *s, int64_t *cs)
{
	static const char date_des[] = "YMD", time_des[] = "HMS";
	static const int64_t date_unit[] = {365LL * 86400 * 100, 30LL * 86400 * 100, 86400LL * 100};
	static const int64_t time_unit[] = {3600LL * 100, 60LL * 100, 100};
	int64_t total = 0;
	size_t i = 1, len;
	int next = 0, parts = 0;
	bool in_time = false;

	assert(s && cs);
	len = strnlen(s, 256);
	if (len == 0 || len >= 256 || s[0] != 'P')
		return false;
	while (i < len) {
		int64_t n = 0, frac = 0;
		size_t d = 0, fd = 0;
		const char *des;
		int k;

		if (s[i] == 'T') {
			if (in_time)
				return false;
			in_time = true, next = 0, i++;
			if (i == len)
				return false; /* a T must be followed by a time component */
			continue;
		}
		while (i < len && is_digit(s[i])) {
			if (++d > 9)
				return false;
			n = n * 10 + (s[i++] - '0');
		}
		if (d == 0 || i == len)
			return false;
		if (s[i] == '.') {
			i++;
			while (i < len && is_digit(s[i])) {
				if (++fd > 9)
					return false;
				if (fd <= 2)
					frac = frac * 10 + (s[i] - '0');
				i++;
			}
			if (fd == 0 || i == len || !in_time || s[i] != 'S')
				return false; /* only seconds may have a fraction */
			if (fd == 1)
				frac *= 10;
		}
		des = strchr(in_time ? time_des : date_des, s[i]);
		if (!des)
			return false;
		k = (int)(des - (in_time ? time_des : date_des));
		if (k < next)
			return false; /* out of order or repeated */
		next = k + 1;
		if (!add_units(&total, n, in_time ? time_unit[k] : date_unit[k]) ||
		    !add_units(&total, frac, 1))
			return false;
		parts++;
		i++;
	}
	if (parts == 0)
		return false;
	*cs = total;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool tzd_ok(const char *s, size_t len)
{
	int h, m;
	if (len == 1)
		return s[0] == 'Z';
	if ((s[0] != '+' && s[0] != '-') || !(len == 3 || len == 6))
		return false;
	if (!digits(s + 1, 2, &h) || h > 23)
		return false;
	return len == 3 || (s[3] == ':' && digits(s + 4, 2, &m) && m <= 59);
}

bool lms_cmi_parse_time(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t len;
	int y, mo, d, h, mi, sec, f;

	assert(s);
	len = strnlen(s, 64);
	if (len < 4 || len >= 64 || !digits(s, 4, &y) || y < 1970 || y > 2038)
		return false;
	if (len == 4)
		return true;
	if (len < 7 || s[4] != '-' || !digits(s + 5, 2, &mo) || mo < 1 || mo > 12)
		return false;
	if (len == 7)
		return true;
	if (len < 10 || s[7] != '-' || !digits(s + 8, 2, &d) || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return false;
	if (len == 10)
		return true;
	if (len < 13 || s[10] != 'T' || !digits(s + 11, 2, &h) || h > 23)
		return false;
	if (len == 13)
		return true;
	if (len < 16 || s[13] != ':' || !digits(s + 14, 2, &mi) || mi > 59)
		return false;
	if (len == 16)
		return true;
	if (len < 19 || s[16] != ':' || !digits(s + 17, 2, &sec) || sec > 59)
		return false;
	s += 19, len -= 19;
	if (len > 0 && s[0] == '.') {
		size_t fl = 0;
		while (fl + 1 < len && is_digit(s[fl + 1]))
			fl++;
		if (fl < 1 || fl > 2 || !digits(s + 1, fl, &f))
			return false;
		s += fl + 1, len -= fl + 1;
	}
	return len == 0 || tzd_ok(s, len);
}

/* ---- interaction responses ---- */

struct span {
	const char *p;
	size_t n;
};

/* Splits s at every delim into items; returns the number of items, or 0 when more than
 * MAX_ITEMS. An empty s gives one empty item. */
static size_t split(const char *s, size_t len, const char *delim, struct span *out)
{
	size_t k = 0, dl = strlen(delim);

	for (;;) {
		const char *d = find(s, len, delim);
		size_t n = d ? (size_t)(d - s) : len;
		if (k == MAX_ITEMS)
			return 0;
		out[k].p = s, out[k].n = n, k++;
		if (!d)
			return k;
		len -= n + dl;
		s = d + dl;
	}
}

/* An identifier inside a response may not hold the response delimiters [,] [.] [:],
 * which would make the value ambiguous. */
static bool short_id(const char *s, size_t len)
{
	return id_ok(s, len, 250) && !find(s, len, "[,]") && !find(s, len, "[.]") &&
	       !find(s, len, "[:]");
}

/* Strips the leading {case_matters=true|false} and {order_matters=true|false} delimiters a
 * correct response pattern of the type allows, each at most once. */
static bool strip_flags(const char **s, size_t *len, bool case_ok, bool order_ok)
{
	bool seen_case = false, seen_order = false;

	for (;;) {
		const char *names[] = {"{case_matters=", "{order_matters="};
		int which = -1;
		for (int k = 0; k < 2; k++)
			if (starts(*s, *len, names[k]))
				which = k;
		if (which < 0)
			return true;
		if (which == 0 ? (!case_ok || seen_case) : (!order_ok || seen_order))
			return false;
		{
			size_t nl = strlen(names[which]);
			const char *v = *s + nl;
			size_t rest = *len - nl;
			size_t vl;
			if (starts(v, rest, "true}"))
				vl = 5;
			else if (starts(v, rest, "false}"))
				vl = 6;
			else
				return false;
			*s = v + vl;
			*len = rest - vl;
		}
		if (which == 0)
			seen_case = true;
		else
			seen_order = true;
	}
}

static bool unique_items(const struct span *it, size_t k)
{
	for (size_t a = 0; a < k; a++)
		for (size_t b = a + 1; b < k; b++)
			if (it[a].n == it[b].n && memcmp(it[a].p, it[b].p, it[a].n) == 0)
				return false;
	return true;
}

/* A numeric range "min[:]max" (either side may be empty) or one real. */
static bool numeric_range(const char *s, size_t len)
{
	const char *d = find(s, len, "[:]");
	double lo, hi;
	size_t ll, hl;

	if (!d)
		return real_span(s, len, NULL);
	ll = (size_t)(d - s);
	hl = len - ll - 3;
	if (ll > 0 && !real_span(s, ll, &lo))
		return false;
	if (hl > 0 && !real_span(d + 3, hl, &hi))
		return false;
	return !(ll > 0 && hl > 0 && lo > hi);
}

/* 2004 RTE 4.2.9.1 (learner_response) and 4.2.9.2 (correct_responses.n.pattern). */
static bool response04_ok(lms_cmi_itype t, const char *s, size_t len, bool pattern)
{
	struct span it[MAX_ITEMS];
	size_t k;

	switch (t) {
	case LMS_CMI_ITYPE_TRUE_FALSE:
		return span_eq(s, len, "true") || span_eq(s, len, "false");
	case LMS_CMI_ITYPE_CHOICE:
		if (len == 0)
			return true; /* no choice made / no choice is correct */
		k = split(s, len, "[,]", it);
		if (k == 0 || !unique_items(it, k))
			return false;
		for (size_t i = 0; i < k; i++)
			if (!short_id(it[i].p, it[i].n))
				return false;
		return true;
	case LMS_CMI_ITYPE_FILL_IN:
		if (pattern && !strip_flags(&s, &len, true, true))
			return false;
		k = split(s, len, "[,]", it);
		for (size_t i = 0; i < k; i++)
			if (!lstr_ok(it[i].p, it[i].n, 250))
				return false;
		return k > 0;
	case LMS_CMI_ITYPE_LONG_FILL_IN:
		if (pattern && !strip_flags(&s, &len, true, false))
			return false;
		return lstr_ok(s, len, 4000);
	case LMS_CMI_ITYPE_MATCHING:
		k = split(s, len, "[,]", it);
		for (size_t i = 0; i < k; i++) {
			const char *d = find(it[i].p, it[i].n, "[.]");
			size_t a;
			if (!d)
				return false;
			a = (size_t)(d - it[i].p);
			if (!short_id(it[i].p, a) || !short_id(d + 3, it[i].n - a - 3))
				return false;
		}
		return k > 0;
	case LMS_CMI_ITYPE_PERFORMANCE:
		if (pattern && !strip_flags(&s, &len, false, true))
			return false;
		k = split(s, len, "[,]", it);
		for (size_t i = 0; i < k; i++) {
			const char *d = find(it[i].p, it[i].n, "[.]");
			const char *ans;
			size_t a, al;
			if (!d)
				return false;
			a = (size_t)(d - it[i].p);
			ans = d + 3;
			al = it[i].n - a - 3;
			if (a == 0 && al == 0)
				return false;
			if (a > 0 && !short_id(it[i].p, a))
				return false;
			if (al > 0 && !short_id(ans, al) && !real_span(ans, al, NULL) &&
			    !(pattern && numeric_range(ans, al)))
				return false;
		}
		return k > 0;
	case LMS_CMI_ITYPE_SEQUENCING:
		k = split(s, len, "[,]", it);
		for (size_t i = 0; i < k; i++)
			if (!short_id(it[i].p, it[i].n))
				return false;
		return k > 0;
	case LMS_CMI_ITYPE_LIKERT:
		return short_id(s, len);
	case LMS_CMI_ITYPE_NUMERIC:
		return pattern ? numeric_range(s, len) : real_span(s, len, NULL);
	case LMS_CMI_ITYPE_OTHER:
		return chars_ok(s, len, 4000);
	case LMS_CMI_ITYPE_UNSET:
	default:
		return false;
	}
}

/* CMIFeedback (1.2 RTE 3.4.2): checked by type where the standard fixes a format; the
 * others (and an unknown type: 1.2 has no dependency rules) as CMIString255. */
static bool feedback12_ok(lms_cmi_itype t, const char *s, size_t len)
{
	switch (t) {
	case LMS_CMI_ITYPE_TRUE_FALSE:
		return len == 1 && strchr("01tf", s[0]);
	case LMS_CMI_ITYPE_CHOICE: {
		size_t i = 0, end = len;
		if (len >= 2 && s[0] == '{' && s[len - 1] == '}')
			i = 1, end = len - 1;
		if (i == end)
			return true;
		for (;;) {
			if (i >= end || !(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'z')))
				return false;
			if (++i == end)
				return true;
			if (s[i++] != ',')
				return false;
		}
	}
	case LMS_CMI_ITYPE_LIKERT:
		return len == 0 || (len == 1 && (is_digit(s[0]) || (s[0] >= 'a' && s[0] <= 'z')));
	case LMS_CMI_ITYPE_NUMERIC:
		return real_span(s, len, NULL);
	default:
		return chars_ok(s, len, 255);
	}
}

lms_cmi_itype lms_cmi_itype_parse(lms_cmi_version v, const char *s)
{
	static const struct {
		const char *name;
		lms_cmi_itype t;
		bool only2004;
	} types[] = {
		{"true-false", LMS_CMI_ITYPE_TRUE_FALSE, false},
		{"choice", LMS_CMI_ITYPE_CHOICE, false},
		{"fill-in", LMS_CMI_ITYPE_FILL_IN, false},
		{"long-fill-in", LMS_CMI_ITYPE_LONG_FILL_IN, true},
		{"matching", LMS_CMI_ITYPE_MATCHING, false},
		{"performance", LMS_CMI_ITYPE_PERFORMANCE, false},
		{"sequencing", LMS_CMI_ITYPE_SEQUENCING, false},
		{"likert", LMS_CMI_ITYPE_LIKERT, false},
		{"numeric", LMS_CMI_ITYPE_NUMERIC, false},
		{"other", LMS_CMI_ITYPE_OTHER, true},
	};
	assert(s);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(s, types[i].name) == 0 && (v == LMS_CMI_2004 || !types[i].only2004))
			return types[i].t;
	return LMS_CMI_ITYPE_UNSET;
}

/* adl.nav.request (2004 4th edition, SCORM CAM/SN): the vocabulary, or
 * {target=<identifier>}choice / {target=<identifier>}jump. */
static bool navreq_ok(const char *s, size_t len)
{
	const char *end;
	size_t rest;

	if (in_vocab(s, len, navreq))
		return true;
	if (!starts(s, len, "{target="))
		return false;
	end = memchr(s, '}', len);
	if (!end || !id_ok(s + 8, (size_t)(end - s) - 8, 4000))
		return false;
	rest = len - (size_t)(end - s) - 1;
	return span_eq(end + 1, rest, "choice") || span_eq(end + 1, rest, "jump");
}

/* ---- element matching ---- */

struct match {
	const struct elem *e;
	int idx[2];
	int nidx;
};

/* Splits an element name at '.'; false when there are too many segments. */
static bool segments(const char *s, struct span *seg, size_t *nseg)
{
	size_t k = 0;
	for (;;) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		if (k == MAX_SEGS)
			return false;
		seg[k].p = s, seg[k].n = n, k++;
		if (!dot)
			break;
		s = dot + 1;
	}
	*nseg = k;
	return true;
}

/* A collection index: canonical decimal digits (no sign, no leading zero). Indexes above
 * INT_MAX are read as INT_MAX, which is out of order for any count. */
static bool index_seg(const char *s, size_t n, int *out)
{
	long long v = 0;
	if (n == 0 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		if (v <= INT_MAX)
			v = v * 10 + (s[i] - '0');
	}
	*out = v > INT_MAX ? INT_MAX : (int)v;
	return true;
}

static bool match_elem(const struct elem *e, const struct span *seg, size_t nseg,
                       struct match *m)
{
	struct span ps[MAX_SEGS];
	size_t np;

	if (!segments(e->name, ps, &np) || np != nseg)
		return false;
	m->nidx = 0;
	for (size_t i = 0; i < np; i++) {
		if (span_eq(ps[i].p, ps[i].n, "n")) {
			if (m->nidx == 2 || !index_seg(seg[i].p, seg[i].n, &m->idx[m->nidx]))
				return false;
			m->nidx++;
		} else if (ps[i].n != seg[i].n || memcmp(ps[i].p, seg[i].p, ps[i].n) != 0) {
			return false;
		}
	}
	m->e = e;
	return true;
}

static const struct elem nav_valid_target = {"adl.nav.request_valid.*.{target=}", RO, K_RO,
                                             R_NONE, 0, 0, 0, NULL};

static bool lookup(lms_cmi_version v, const char *element, struct match *m)
{
	const struct elem *tab = v == LMS_CMI_12 ? model12 : model2004;
	size_t n = v == LMS_CMI_12 ? sizeof model12 / sizeof model12[0]
	                           : sizeof model2004 / sizeof model2004[0];
	size_t len = strnlen(element, MAX_ELEMENT + 1), nseg;
	struct span seg[MAX_SEGS];

	if (len > MAX_ELEMENT)
		return false;
	if (v == LMS_CMI_2004) {
		/* adl.nav.request_valid.choice.{target=ID} (the ID may itself hold dots) */
		const char *pre[] = {"adl.nav.request_valid.choice.{target=",
		                     "adl.nav.request_valid.jump.{target="};
		for (int k = 0; k < 2; k++) {
			size_t pl = strlen(pre[k]);
			if (starts(element, len, pre[k]) && len > pl + 1 && element[len - 1] == '}' &&
			    id_ok(element + pl, len - pl - 1, 4000)) {
				m->e = &nav_valid_target;
				m->nidx = 0;
				return true;
			}
		}
	}
	if (!segments(element, seg, &nseg))
		return false;
	for (size_t i = 0; i < n; i++)
		if (match_elem(&tab[i], seg, nseg, m))
			return true;
	return false;
}

static int fail(int *scorm_error, int code)
{
	*scorm_error = code;
	return LMS_EINVAL;
}

/* The error for an undefined element. In 1.2, _children and _count of something that has
 * none are errors of their own (202, 203). */
static int undefined(lms_cmi_version v, const char *element, int *scorm_error)
{
	const char *dot;

	if (v == LMS_CMI_2004)
		return fail(scorm_error, LMS_SCORM2004_UNDEFINED);
	dot = strrchr(element, '.');
	if (dot) {
		if (strcmp(dot + 1, "_children") == 0)
			return fail(scorm_error, LMS_SCORM12_NO_CHILDREN);
		if (strcmp(dot + 1, "_count") == 0)
			return fail(scorm_error, LMS_SCORM12_NO_COUNT);
	}
	return fail(scorm_error, LMS_SCORM12_INVALID_ARGUMENT);
}

static bool name_ends(const struct elem *e, const char *suffix)
{
	size_t n = strlen(e->name), k = strlen(suffix);
	return n >= k && strcmp(e->name + n - k, suffix) == 0;
}

/* Index order and (2004) dependency rules. Sets *type to the interaction's type. */
static int check_collections(lms_cmi_version v, const struct match *m,
                             const lms_cmi_counts *c, lms_cmi_itype *type, int *scorm_error)
{
	static const lms_cmi_counts empty = {0, NULL, 0, NULL, 0};
	const int order = v == LMS_CMI_12 ? LMS_SCORM12_INVALID_ARGUMENT
	                                  : LMS_SCORM2004_GENERAL_SET;
	const bool v04 = v == LMS_CMI_2004;
	const char *name = m->e->name;

	*type = LMS_CMI_ITYPE_UNSET;
	if (!c)
		c = &empty;
	if (m->nidx == 0)
		return 0;
	if (starts(name, strlen(name), "cmi.interactions.")) {
		lms_cmi_interaction_state fresh = {false, LMS_CMI_ITYPE_UNSET, 0, 0};
		const lms_cmi_interaction_state *st = &fresh;
		int n = m->idx[0];
		assert(c->interactions >= 0 && (c->interactions == 0 || c->interaction));
		if (n > c->interactions)
			return fail(scorm_error, order);
		if (n < c->interactions)
			st = &c->interaction[n];
		*type = st->type;
		if (v04 && !st->has_id && strcmp(name, "cmi.interactions.n.id") != 0)
			return fail(scorm_error, LMS_SCORM2004_DEPENDENCY);
		if (m->nidx == 2) {
			bool cr = name_ends(m->e, ".pattern");
			if (m->idx[1] > (cr ? st->correct_responses : st->objectives))
				return fail(scorm_error, order);
			if (cr && v04) {
				if (st->type == LMS_CMI_ITYPE_UNSET)
					return fail(scorm_error, LMS_SCORM2004_DEPENDENCY);
				/* 4.2.9.2: these types have exactly one correct response pattern */
				if (m->idx[1] > 0 && (st->type == LMS_CMI_ITYPE_TRUE_FALSE ||
				                      st->type == LMS_CMI_ITYPE_LIKERT ||
				                      st->type == LMS_CMI_ITYPE_NUMERIC ||
				                      st->type == LMS_CMI_ITYPE_OTHER))
					return fail(scorm_error, LMS_SCORM2004_GENERAL_SET);
			}
		}
		if (v04 && name_ends(m->e, ".learner_response") && st->type == LMS_CMI_ITYPE_UNSET)
			return fail(scorm_error, LMS_SCORM2004_DEPENDENCY);
		return 0;
	}
	if (starts(name, strlen(name), "cmi.objectives.")) {
		int n = m->idx[0];
		assert(c->objectives >= 0 && (c->objectives == 0 || c->objective));
		if (n > c->objectives)
			return fail(scorm_error, order);
		if (v04 && strcmp(name, "cmi.objectives.n.id") != 0 &&
		    (n == c->objectives || !c->objective[n].has_id))
			return fail(scorm_error, LMS_SCORM2004_DEPENDENCY);
		return 0;
	}
	if (starts(name, strlen(name), "cmi.comments_from_learner.")) {
		if (m->idx[0] > c->comments_from_learner)
			return fail(scorm_error, order);
	}
	return 0;
}

static int check_value(lms_cmi_version v, const struct elem *e, lms_cmi_itype itype,
                       const char *value, int *scorm_error)
{
	const int type = v == LMS_CMI_12 ? LMS_SCORM12_TYPE : LMS_SCORM2004_TYPE;
	const int range = v == LMS_CMI_12 ? LMS_SCORM12_TYPE : LMS_SCORM2004_RANGE;
	size_t len = strlen(value);
	bool ok = false;
	double d = 0;

	switch (e->kind) {
	case K_STR:
		ok = chars_ok(value, len, e->max);
		break;
	case K_LSTR:
		ok = lstr_ok(value, len, e->max);
		break;
	case K_ID:
		ok = id_ok(value, len, e->max);
		break;
	case K_ID12:
		ok = id12_ok(value, len);
		break;
	case K_VOCAB:
		ok = in_vocab(value, len, e->vocab);
		break;
	case K_SCORE12:
		if (len == 0)
			return 0; /* CMIBlank */
		ok = real_span(value, len, &d);
		break;
	case K_REAL:
		ok = real_span(value, len, &d);
		break;
	case K_SINT12: {
		size_t i = value[0] == '-' ? 1 : 0;
		ok = len > i && len - i <= 6 && strspn(value + i, "0123456789") == len - i;
		if (ok)
			d = strtod(value, NULL);
		break;
	}
	case K_DURATION: {
		int64_t cs;
		ok = lms_cmi_parse_duration(value, &cs);
		break;
	}
	case K_TIME:
		ok = lms_cmi_parse_time(value);
		break;
	case K_TIMESPAN12: {
		int64_t cs;
		ok = lms_cmi_parse_timespan12(value, &cs);
		break;
	}
	case K_TIME12:
		ok = time12_ok(value, len);
		break;
	case K_LANG:
		ok = len == 0 || lang_ok(value, len);
		break;
	case K_RESULT:
		ok = in_vocab(value, len, e->vocab) || real_span(value, len, NULL);
		break;
	case K_NAVREQ:
		ok = navreq_ok(value, len);
		break;
	case K_ITYPE:
		ok = lms_cmi_itype_parse(v, value) != LMS_CMI_ITYPE_UNSET;
		break;
	case K_PATTERN:
	case K_RESPONSE:
		if (v == LMS_CMI_12)
			ok = feedback12_ok(itype, value, len);
		else
			ok = chars_ok(value, len, 64000) &&
			     response04_ok(itype, value, len, e->kind == K_PATTERN);
		break;
	default:
		/* K_KEYWORD and K_RO are refused before their value is checked */
		assert(e->kind != K_KEYWORD && e->kind != K_RO);
		break;
	}
	if (!ok)
		return fail(scorm_error, type);
	if ((e->range == R_LO || e->range == R_BOTH) && d < e->lo)
		return fail(scorm_error, range);
	if (e->range == R_BOTH && d > e->hi)
		return fail(scorm_error, range);
	return 0;
}

int lms_cmi_check_set(lms_cmi_version v, const char *element, const char *value,
                      const lms_cmi_counts *counts, int *scorm_error)
{
	struct match m;
	lms_cmi_itype itype;
	int rc;

	assert(element && value && scorm_error);
	assert(v == LMS_CMI_12 || v == LMS_CMI_2004);
	*scorm_error = 0;
	if (!lookup(v, element, &m))
		return undefined(v, element, scorm_error);
	if (m.e->kind == K_KEYWORD)
		return fail(scorm_error, v == LMS_CMI_12 ? LMS_SCORM12_KEYWORD
		                                         : LMS_SCORM2004_READ_ONLY);
	if (m.e->access == RO)
		return fail(scorm_error, v == LMS_CMI_12 ? LMS_SCORM12_READ_ONLY
		                                         : LMS_SCORM2004_READ_ONLY);
	if ((rc = check_collections(v, &m, counts, &itype, scorm_error)) < 0)
		return rc;
	return check_value(v, m.e, itype, value, scorm_error);
}

bool lms_cmi_readable(lms_cmi_version v, const char *element)
{
	struct match m;

	assert(element);
	return lookup(v, element, &m) && m.e->access != WO;
}

int lms_cmi_format_duration(int64_t cs, char *out, size_t n)
{
	int w;

	assert(out || n == 0);
	if (cs < 0)
		return LMS_EINVAL;
	if (cs % 100)
		w = snprintf(out, n, "PT%lldH%dM%d.%02dS", (long long)(cs / 360000),
		             (int)(cs / 6000 % 60), (int)(cs / 100 % 60), (int)(cs % 100));
	else
		w = snprintf(out, n, "PT%lldH%dM%dS", (long long)(cs / 360000),
		             (int)(cs / 6000 % 60), (int)(cs / 100 % 60));
	return w < 0 || (size_t)w >= n ? LMS_ETOOBIG : 0;
}

int lms_cmi_format_timespan12(int64_t cs, char *out, size_t n)
{
	const int64_t max = ((9999LL * 60 + 59) * 60 + 59) * 100 + 99;
	int w;

	assert(out || n == 0);
	if (cs < 0)
		return LMS_EINVAL;
	if (cs > max)
		cs = max;
	w = snprintf(out, n, "%04d:%02d:%02d.%02d", (int)(cs / 360000), (int)(cs / 6000 % 60),
	             (int)(cs / 100 % 60), (int)(cs % 100));
	return w < 0 || (size_t)w >= n ? LMS_ETOOBIG : 0;
}
