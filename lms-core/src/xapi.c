/* xapi.c — a training-record event as an xAPI 1.0.3 statement (xapi.h). Pure: checks the
 * event and the configuration, then writes compact JSON with jsonw into the caller's arena.
 * OpenSSL (EVP) only for the SHA-1 of the name-based UUID.
 *
 * Invariants: every string written comes from a member checked here (codes, an RFC 3339
 * time, UTF-8 text of at most LMS_XAPI_TITLE_MAX code points, URLs of at most
 * LMS_XAPI_URL_MAX bytes), so the statement is bounded (a few kilobytes) and every IRI is
 * well formed. It does not send anything, parse events, or know certificates (not sent as
 * xAPI in version 1).
 */
#include "lms/xapi.h"

#include "lms/jsonw.h"
#include "lms/validate.h"

#include <openssl/evp.h>

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERB_BASE "http://adlnet.gov/expapi/verbs/"
#define ACTIVITY_BASE "http://adlnet.gov/expapi/activities/"

typedef enum { KIND_COURSE, KIND_EXAM } kind_t;

static int bad(lms_err *err, const char *field, const char *what)
{
	return lms_err_set(err, LMS_EINVAL, "invalid_field", field, "%s: %s", field, what);
}

/* ---- UUID v5 ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool uuid_parse(const char *s, unsigned char out[16])
{
	size_t i, k = 0;

	if (!s || strlen(s) != LMS_XAPI_UUID_LEN)
		return false;
	for (i = 0; i < LMS_XAPI_UUID_LEN;) {
		int hi, lo;
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			i++;
			continue;
		}
		hi = hexval(s[i]);
		lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[k++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return k == 16;
}

static void uuid_format(const unsigned char b[16], char out[LMS_XAPI_UUID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
}

int lms_xapi_uuid5(char out[LMS_XAPI_UUID_LEN + 1], const char *namespace_uuid, const char *name,
                   size_t name_len, lms_err *err)
{
	unsigned char ns[16], md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = NULL;
	int rc = LMS_OK;

	assert(out && (name || name_len == 0));
	if (!uuid_parse(namespace_uuid, ns))
		return bad(err, "namespace", "must be a UUID xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
	if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, ns, sizeof(ns)) != 1 ||
	    (name_len > 0 && EVP_DigestUpdate(ctx, name, name_len) != 1) ||
	    EVP_DigestFinal_ex(ctx, md, &md_len) != 1 || md_len < 16) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot compute SHA-1");
		goto cleanup;
	}
	/* RFC 9562 section 5.5: the first 16 bytes of the hash, version 5, variant 10xx. */
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	uuid_format(md, out);
cleanup:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static bool event_id_ok(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 64)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int lms_xapi_statement_id(char out[LMS_XAPI_UUID_LEN + 1], const char *event_id, lms_err *err)
{
	if (!event_id_ok(event_id))
		return bad(err, "event_id", "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
	return lms_xapi_uuid5(out, LMS_XAPI_NAMESPACE, event_id, strlen(event_id), err);
}

/* ---- durations ---- */

int lms_xapi_duration(char *out, size_t cap, int64_t seconds)
{
	char b[32];
	long long h, m, s;
	int n;
	size_t len = 2;

	if (out && cap > 0)
		out[0] = '\0';
	if (!out || seconds < 0)
		return -1;
	h = (long long)(seconds / 3600);
	m = (long long)(seconds % 3600 / 60);
	s = (long long)(seconds % 60);
	memcpy(b, "PT", 2);
	if (h > 0) {
		n = snprintf(b + len, sizeof(b) - len, "%lldH", h);
		len += (size_t)n;
	}
	if (m > 0) {
		n = snprintf(b + len, sizeof(b) - len, "%lldM", m);
		len += (size_t)n;
	}
	if (s > 0 || (h == 0 && m == 0)) {
		n = snprintf(b + len, sizeof(b) - len, "%lldS", s);
		len += (size_t)n;
	}
	/* INT64_MAX seconds is "PT2562047788015215H30M7S": 25 characters, so b never fills. */
	if (len + 1 > cap)
		return -1;
	memcpy(out, b, len);
	out[len] = '\0';
	return (int)len;
}

/* ---- checks ---- */

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* RFC 3339 date-time with an offset, as the schema's format "date-time" (and ISO 8601, as
 * xAPI's timestamp wants): YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM). */
static int check_time(const char *field, const char *s, lms_err *err)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	char date[11];
	lms_err tmp;
	size_t i, n = s ? strlen(s) : 0;

	if (n < sizeof(shape) || n > 40)
		goto fail;
	for (i = 0; i + 1 < sizeof(shape); i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			goto fail;
	memcpy(date, s, 10);
	date[10] = '\0';
	lms_err_clear(&tmp);
	if (lms_check_date(field, date, &tmp) < 0)
		goto fail;
	if (two(s + 11) > 23 || two(s + 14) > 59 || two(s + 17) > 60) /* 60: a leap second */
		goto fail;
	i = sizeof(shape) - 1;
	if (s[i] == '.') {
		size_t start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			goto fail;
	}
	if (i + 1 == n && s[i] == 'Z')
		return LMS_OK;
	if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
	    s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9' &&
	    s[i + 4] >= '0' && s[i + 4] <= '9' && s[i + 5] >= '0' && s[i + 5] <= '9' &&
	    two(s + i + 1) <= 23 && two(s + i + 4) <= 59)
		return LMS_OK;
fail:
	return bad(err, field, "must be an RFC 3339 time with an offset, e.g. 2025-09-15T10:42:07+07:00");
}

/* An absolute http(s) URL usable as (the start of) an IRI: a host, no space, control or
 * character an IRI forbids, valid UTF-8; as a base (PUBLIC_URL), no query or fragment. */
static int check_url(const char *field, const char *s, bool base, lms_err *err)
{
	size_t i, start, n = s ? strlen(s) : 0;

	if (n == 0 || n > LMS_XAPI_URL_MAX || !lms_utf8_valid(s, n))
		goto fail;
	if (strncmp(s, "https://", 8) == 0)
		start = 8;
	else if (strncmp(s, "http://", 7) == 0)
		start = 7;
	else
		goto fail;
	if (start >= n || s[start] == '/' || s[start] == '?' || s[start] == '#')
		goto fail;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f || strchr("\"<>\\^`{|}", c))
			goto fail;
		if (base && (c == '?' || c == '#'))
			goto fail;
	}
	return LMS_OK;
fail:
	return bad(err, field, base ? "must be an http(s) URL with a host and no query or fragment"
	                            : "must be an http(s) URL with a host");
}

static int check_title(const char *s, lms_err *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || !lms_utf8_valid(s, n) || lms_utf8_length(s, n) > LMS_XAPI_TITLE_MAX)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "title",
		                   "title: must be UTF-8 text of 1 to %d characters", LMS_XAPI_TITLE_MAX);
	return LMS_OK;
}

static int check_event(const lms_xapi_event *ev, kind_t kind, lms_err *err)
{
	int rc;

	if ((rc = lms_check_code("employee_code", ev->employee_code, err)) < 0 ||
	    (rc = lms_check_code("unit_code", ev->unit_code, err)) < 0 ||
	    (rc = check_title(ev->title, err)) < 0 ||
	    (rc = check_time("completed_at", ev->completed_at, err)) < 0)
		return rc;
	if (ev->passed != LMS_XAPI_NULL && ev->passed != LMS_XAPI_FALSE && ev->passed != LMS_XAPI_TRUE)
		return bad(err, "passed", "must be true, false or null");
	if (ev->has_score && !(isfinite(ev->score) && ev->score >= 0 && ev->score <= 1))
		return bad(err, "score", "must be a number from 0 to 1");
	if (ev->active_time_s < 0)
		return bad(err, "active_time_s", "must be a number of seconds, 0 or more");
	if (ev->has_reported_time && ev->reported_time_s < 0)
		return bad(err, "reported_time_s", "must be a number of seconds, 0 or more");
	if (ev->has_training_periods && ev->training_periods < 0)
		return bad(err, "training_periods", "must be 0 or more");

	if (kind == KIND_COURSE) {
		if ((rc = lms_check_code("course_code", ev->course_code, err)) < 0)
			return rc;
		if (ev->course_version < 1)
			return bad(err, "course_version", "required for a course completion, 1 or more");
		if (!ev->has_training_periods)
			return bad(err, "training_periods", "required for a course completion");
		if (ev->exam_code)
			return bad(err, "exam_code", "not allowed on a course completion");
		if (ev->passed_at)
			return bad(err, "passed_at", "not allowed on a course completion");
		return LMS_OK;
	}
	if ((rc = lms_check_code("exam_code", ev->exam_code, err)) < 0)
		return rc;
	if (ev->passed == LMS_XAPI_NULL)
		return bad(err, "passed", "an exam result is passed or failed, not null");
	if (!ev->has_score)
		return bad(err, "score", "required for an exam result");
	if (ev->passed == LMS_XAPI_TRUE && (rc = check_time("passed_at", ev->passed_at, err)) < 0)
		return rc;
	if (ev->passed == LMS_XAPI_FALSE && ev->passed_at)
		return bad(err, "passed_at", "must be null when the exam was failed");
	if (ev->course_code || ev->course_version != 0)
		return bad(err, ev->course_code ? "course_code" : "course_version",
		           "not allowed on an exam result");
	if (ev->has_training_periods)
		return bad(err, "training_periods", "not allowed on an exam result");
	return LMS_OK;
}

/* ---- writing ---- */

/* The shortest "%.Ng" that reads back as v, so 0.9 is written 0.9, not 0.90000000000000002. */
static void put_number(lms_jsonw *w, double v)
{
	char b[32];
	int prec;

	if (v == 0)
		v = fabs(v); /* -0.0 equals 0: write "0", never "-0" */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(b, sizeof(b), "%.*g", prec, v);
		if (strtod(b, NULL) == v)
			break;
	}
	lms_jsonw_raw(w, b);
}

static void put_member(lms_jsonw *w, bool *first, const char *name)
{
	if (!*first)
		lms_jsonw_raw(w, ",");
	*first = false;
	lms_jsonw_str(w, name);
	lms_jsonw_raw(w, ":");
}

/* base[0..base_len) followed by p1, p2, p3 (NULL: nothing), in the arena. The parts are
 * checked members (a code, a number, a fixed name) and base at most LMS_XAPI_URL_MAX bytes. */
static const char *iri(lms_arena *a, const char *base, size_t base_len, const char *p1,
                       const char *p2, const char *p3)
{
	const char *parts[3] = { p1, p2, p3 };
	size_t i, len = base_len, cap = base_len + 1;
	char *out;

	for (i = 0; i < 3; i++)
		cap += parts[i] ? strlen(parts[i]) : 0;
	out = lms_arena_alloc(a, cap);
	memcpy(out, base, base_len);
	for (i = 0; i < 3; i++) {
		size_t n = parts[i] ? strlen(parts[i]) : 0;
		memcpy(out + len, parts[i] ? parts[i] : "", n);
		len += n;
	}
	out[len] = '\0';
	return out;
}

int lms_xapi_statement_build(lms_xapi_statement *out, lms_arena *a, const lms_xapi_event *ev,
                             const lms_xapi_config *cfg, lms_err *err)
{
	lms_xapi_statement st;
	lms_jsonw w;
	kind_t kind;
	const char *verb, *object_id, *timestamp;
	char dur[32];
	size_t base_len;
	bool first;
	int rc;

	assert(out && a && ev && cfg);
	if (!ev->kind)
		return bad(err, "kind", "required");
	if (strcmp(ev->kind, "certificate_issued") == 0 || strcmp(ev->kind, "certificate_revoked") == 0)
		return lms_err_set(err, LMS_EUNSUPPORTED, "xapi_not_sent", "kind",
		                   "kind: %s events are not sent as xAPI statements (no common verb)",
		                   ev->kind);
	if (strcmp(ev->kind, "course_completion") == 0)
		kind = KIND_COURSE;
	else if (strcmp(ev->kind, "exam_result") == 0)
		kind = KIND_EXAM;
	else
		return bad(err, "kind", "must be course_completion, exam_result, certificate_issued or certificate_revoked");

	memset(&st, 0, sizeof(st));
	if ((rc = lms_xapi_statement_id(st.id, ev->event_id, err)) < 0 ||
	    (rc = check_url("config.public_url", cfg->public_url, true, err)) < 0 ||
	    (rc = check_url("config.actor_home_page", cfg->actor_home_page, false, err)) < 0 ||
	    (rc = check_event(ev, kind, err)) < 0)
		return rc;

	base_len = strlen(cfg->public_url);
	if (cfg->public_url[base_len - 1] == '/')
		base_len--;
	if (kind == KIND_COURSE) {
		char version[24];
		verb = "completed";
		snprintf(version, sizeof(version), "/%lld", (long long)ev->course_version);
		object_id = iri(a, cfg->public_url, base_len, "/xapi/course/", ev->course_code, version);
		timestamp = ev->completed_at;
	} else {
		verb = ev->passed == LMS_XAPI_TRUE ? "passed" : "failed";
		object_id = iri(a, cfg->public_url, base_len, "/xapi/exam/", ev->exam_code, NULL);
		timestamp = ev->passed == LMS_XAPI_TRUE ? ev->passed_at : ev->completed_at;
	}
	if (lms_xapi_duration(dur, sizeof(dur), ev->active_time_s) < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot write the duration");

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "{\"id\":");
	lms_jsonw_str(&w, st.id);

	lms_jsonw_raw(&w, ",\"actor\":{\"objectType\":\"Agent\",\"account\":{\"homePage\":");
	lms_jsonw_str(&w, cfg->actor_home_page);
	lms_jsonw_raw(&w, ",\"name\":");
	lms_jsonw_str(&w, ev->employee_code);
	lms_jsonw_raw(&w, "}}");

	lms_jsonw_raw(&w, ",\"verb\":{\"id\":\"" VERB_BASE);
	lms_jsonw_raw(&w, verb);
	lms_jsonw_raw(&w, "\",\"display\":{\"en-US\":\"");
	lms_jsonw_raw(&w, verb);
	lms_jsonw_raw(&w, "\"}}");

	lms_jsonw_raw(&w, ",\"object\":{\"objectType\":\"Activity\",\"id\":");
	lms_jsonw_str(&w, object_id);
	lms_jsonw_raw(&w, ",\"definition\":{\"type\":\"" ACTIVITY_BASE);
	lms_jsonw_raw(&w, kind == KIND_COURSE ? "course" : "assessment");
	lms_jsonw_raw(&w, "\",\"name\":{\"vi-VN\":");
	lms_jsonw_str(&w, ev->title);
	lms_jsonw_raw(&w, "}}}");

	lms_jsonw_raw(&w, ",\"result\":{\"completion\":true");
	if (ev->passed != LMS_XAPI_NULL)
		lms_jsonw_raw(&w, ev->passed == LMS_XAPI_TRUE ? ",\"success\":true" : ",\"success\":false");
	if (ev->has_score) {
		lms_jsonw_raw(&w, ",\"score\":{\"scaled\":");
		put_number(&w, ev->score);
		lms_jsonw_raw(&w, "}");
	}
	lms_jsonw_raw(&w, ",\"duration\":");
	lms_jsonw_str(&w, dur);
	lms_jsonw_raw(&w, "}");

	lms_jsonw_raw(&w, ",\"timestamp\":");
	lms_jsonw_str(&w, timestamp);

	lms_jsonw_raw(&w, ",\"context\":{\"extensions\":{");
	first = true;
	put_member(&w, &first, iri(a, cfg->public_url, base_len, "/xapi/ext/unit_code", NULL, NULL));
	lms_jsonw_str(&w, ev->unit_code);
	if (ev->has_training_periods) {
		put_member(&w, &first, iri(a, cfg->public_url, base_len, "/xapi/ext/training_periods", NULL, NULL));
		lms_jsonw_i64(&w, ev->training_periods);
	}
	if (ev->has_reported_time) {
		put_member(&w, &first, iri(a, cfg->public_url, base_len, "/xapi/ext/reported_time_s", NULL, NULL));
		lms_jsonw_i64(&w, ev->reported_time_s);
	}
	lms_jsonw_raw(&w, "}}}");

	st.json = lms_jsonw_text(&w);
	st.json_len = w.len;
	*out = st;
	return LMS_OK;
}
