/* test_xapi.c — training-record events as xAPI 1.0.3 statements (xapi.h,
 * docs/personnel-sync.md "xAPI"): the name-based UUID against Python's uuid5 vectors, stable
 * ids, the statement of a course completion and of a passed and a failed exam member by
 * member, what is left out when null, ISO 8601 durations, Vietnamese and hostile titles,
 * certificates skipped, and every required member refused by name.
 *
 * Every statement is read back with a strict RFC 8259 parser (below: no trailing commas, no
 * raw control characters, valid escapes and UTF-8, no duplicate keys, nothing after the
 * value), so a malformed statement fails the test rather than passing a substring check.
 */
#include "support.h"

#include "lms/xapi.h"
#include "lms/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a strict JSON reader, into the test's arena ---- */

typedef struct jv {
	char type;            /* 'o' object, 'a' array, 's' string, 'n' number, 't', 'f', 'z' null */
	char *s;              /* a string's decoded bytes */
	double n;
	size_t count;
	char **keys;          /* an object's keys */
	struct jv **kids;     /* members or elements */
} jv;

typedef struct {
	const char *p, *end;
	lms_arena *a;
	int depth;
} jr;

static void jws(jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int jhex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *jstring(jr *r)
{
	size_t cap = (size_t)(r->end - r->p) + 1, len = 0; /* decoding never grows */
	char *out = lms_arena_alloc(r->a, cap);

	if (r->p >= r->end || *r->p != '"')
		return NULL;
	r->p++;
	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		if (c < 0x20)
			return NULL; /* raw control characters are not allowed in JSON strings */
		if (c != '\\') {
			out[len++] = (char)c;
			r->p++;
			continue;
		}
		if (r->end - r->p < 2)
			return NULL;
		r->p++;
		switch (*r->p) {
		case '"': out[len++] = '"'; break;
		case '\\': out[len++] = '\\'; break;
		case '/': out[len++] = '/'; break;
		case 'b': out[len++] = '\b'; break;
		case 'f': out[len++] = '\f'; break;
		case 'n': out[len++] = '\n'; break;
		case 'r': out[len++] = '\r'; break;
		case 't': out[len++] = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (r->end - r->p < 5 || jhex4(r->p + 1, &cp) < 0)
				return NULL;
			r->p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (r->end - r->p < 7 || r->p[1] != '\\' || r->p[2] != 'u' ||
				    jhex4(r->p + 3, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				r->p += 6;
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return NULL;
			}
			if (cp == 0)
				return NULL; /* would truncate the C string; never expected here */
			if (cp < 0x80) {
				out[len++] = (char)cp;
			} else if (cp < 0x800) {
				out[len++] = (char)(0xC0 | (cp >> 6));
				out[len++] = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				out[len++] = (char)(0xE0 | (cp >> 12));
				out[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				out[len++] = (char)(0x80 | (cp & 0x3F));
			} else {
				out[len++] = (char)(0xF0 | (cp >> 18));
				out[len++] = (char)(0x80 | ((cp >> 12) & 0x3F));
				out[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				out[len++] = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		default:
			return NULL;
		}
		r->p++;
	}
	if (r->p >= r->end)
		return NULL;
	r->p++; /* the closing quote */
	out[len] = '\0';
	return out;
}

static jv *jvalue(jr *r);

static jv *jnew(jr *r, char type)
{
	jv *v = lms_arena_alloc(r->a, sizeof(*v));
	v->type = type;
	return v;
}

static void jpush(jr *r, jv *parent, char *key, jv *kid)
{
	char **keys = lms_arena_alloc(r->a, (parent->count + 1) * sizeof(*keys));
	jv **kids = lms_arena_alloc(r->a, (parent->count + 1) * sizeof(*kids));
	if (parent->count) {
		memcpy(keys, parent->keys, parent->count * sizeof(*keys));
		memcpy(kids, parent->kids, parent->count * sizeof(*kids));
	}
	keys[parent->count] = key;
	kids[parent->count] = kid;
	parent->keys = keys;
	parent->kids = kids;
	parent->count++;
}

static jv *jcontainer(jr *r, char type)
{
	char close = type == 'o' ? '}' : ']';
	jv *v = jnew(r, type);

	if (++r->depth > 32)
		return NULL;
	r->p++;
	jws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		r->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		jv *kid;
		jws(r);
		if (type == 'o') {
			if (!(key = jstring(r)))
				return NULL;
			for (size_t i = 0; i < v->count; i++)
				if (strcmp(v->keys[i], key) == 0)
					return NULL; /* a duplicate key */
			jws(r);
			if (r->p >= r->end || *r->p != ':')
				return NULL;
			r->p++;
		}
		if (!(kid = jvalue(r)))
			return NULL;
		jpush(r, v, key, kid);
		jws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			r->depth--;
			return v;
		}
		return NULL;
	}
}

static jv *jnumber(jr *r)
{
	const char *s = r->p;
	char buf[64];
	jv *v;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0') {
		r->p++;
	} else if (r->p < r->end && *r->p >= '1' && *r->p <= '9') {
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
	} else {
		return NULL;
	}
	if (r->p < r->end && *r->p == '.') {
		const char *d = ++r->p;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
		if (r->p == d)
			return NULL;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		const char *d;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		d = r->p;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
			r->p++;
		if (r->p == d)
			return NULL;
	}
	if ((size_t)(r->p - s) >= sizeof(buf))
		return NULL;
	memcpy(buf, s, (size_t)(r->p - s));
	buf[r->p - s] = '\0';
	v = jnew(r, 'n');
	v->n = strtod(buf, NULL);
	v->s = lms_arena_strdup(r->a, buf);
	return v;
}

static jv *jvalue(jr *r)
{
	jws(r);
	if (r->p >= r->end)
		return NULL;
	switch (*r->p) {
	case '{': return jcontainer(r, 'o');
	case '[': return jcontainer(r, 'a');
	case '"': {
		char *s = jstring(r);
		jv *v;
		if (!s)
			return NULL;
		v = jnew(r, 's');
		v->s = s;
		return v;
	}
	case 't':
		if (r->end - r->p >= 4 && memcmp(r->p, "true", 4) == 0) {
			r->p += 4;
			return jnew(r, 't');
		}
		return NULL;
	case 'f':
		if (r->end - r->p >= 5 && memcmp(r->p, "false", 5) == 0) {
			r->p += 5;
			return jnew(r, 'f');
		}
		return NULL;
	case 'n':
		if (r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0) {
			r->p += 4;
			return jnew(r, 'z');
		}
		return NULL;
	default:
		return jnumber(r);
	}
}

/* The whole text as one JSON value, or NULL when it is not well-formed UTF-8 JSON. */
static jv *jparse(lms_arena *a, const char *text, size_t len)
{
	jr r = { text, text + len, a, 0 };
	jv *v;

	if (!lms_utf8_valid(text, len) || strlen(text) != len)
		return NULL;
	if (!(v = jvalue(&r)))
		return NULL;
	jws(&r);
	return r.p == r.end ? v : NULL;
}

/* obj[k1][k2]... (keys ended by END), or NULL when a member is missing. */
#define END ((const char *)NULL)
static const jv *jget(const jv *v, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, v);
	while (v && (k = va_arg(ap, const char *))) {
		const jv *next = NULL;
		if (v->type == 'o')
			for (size_t i = 0; i < v->count; i++)
				if (strcmp(v->keys[i], k) == 0)
					next = v->kids[i];
		v = next;
	}
	va_end(ap);
	return v;
}

static const char *jstr(const jv *v)
{
	return v && v->type == 's' ? v->s : "(not a string)";
}

/* The object's keys, sorted and comma-joined, into buf. */
static const char *jkeys(const jv *v, char *buf, size_t cap)
{
	const char *k[32];
	size_t n = 0, len = 0;

	buf[0] = '\0';
	if (!v || v->type != 'o' || v->count > 32)
		return "(not an object)";
	for (size_t i = 0; i < v->count; i++)
		k[n++] = v->keys[i];
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			const char *t = k[j];
			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, cap - len, "%s%s", i ? "," : "", k[i]);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

/* ---- fixtures: the examples of schemas/personnel/examples ---- */

#define PUBLIC_URL "https://parlearn.example"
#define HOME_PAGE "https://nhansu.hochiminhcity.gov.vn"
#define EXT PUBLIC_URL "/xapi/ext/"
#define TITLE_COURSE "Cải cách hành chính giai đoạn 2021 – 2030 và các chỉ tiêu của Thành phố Hồ Chí Minh"
#define TITLE_EXAM "Kiểm tra sát hạch nguồn lãnh đạo cải cách hành chính năm 2025"

static const lms_xapi_config CFG = { HOME_PAGE, PUBLIC_URL };

static lms_xapi_event course_event(void)
{
	/* examples/event-course_completion.json */
	lms_xapi_event e = {
		.event_id = "cmp_123", .kind = "course_completion",
		.occurred_at = "2025-09-15T10:42:07+07:00", .employee_code = "NV-000123",
		.unit_code = "SNV-VP", .course_code = "cchc-2021-2030", .course_version = 1,
		.title = TITLE_COURSE, .completed_at = "2025-09-15T10:42:07+07:00",
		.passed = LMS_XAPI_TRUE, .has_score = true, .score = 0.9, .active_time_s = 2712,
		.has_reported_time = true, .reported_time_s = 3005,
		.has_training_periods = true, .training_periods = 2,
	};
	return e;
}

static lms_xapi_event exam_event(void)
{
	/* examples/event-exam_result.json */
	lms_xapi_event e = {
		.event_id = "exr_45", .kind = "exam_result", .occurred_at = "2025-10-20T16:00:00+07:00",
		.employee_code = "PSG-0042", .unit_code = "P-SAIGON", .exam_code = "SH-2025-LD",
		.title = TITLE_EXAM, .completed_at = "2025-10-18T09:57:31+07:00",
		.passed_at = "2025-10-20T16:00:00+07:00", .passed = LMS_XAPI_TRUE,
		.has_score = true, .score = 0.86, .active_time_s = 3420,
	};
	return e;
}

typedef struct {
	lms_arena *a;
	lms_xapi_statement st;
	jv *root;
} built;

/* Builds ev's statement (which must succeed) and parses it back. */
static void build_ok(built *b, const lms_xapi_event *ev, const lms_xapi_config *cfg)
{
	lms_err err;

	lms_err_clear(&err);
	memset(b, 0, sizeof(*b));
	b->a = lms_arena_new();
	int rc = lms_xapi_statement_build(&b->st, b->a, ev, cfg, &err);
	if (rc != 0)
		fail_msg("build failed: %d %s (%s)", rc, err.msg, err.field);
	assert_non_null(b->st.json);
	assert_int_equal(strlen(b->st.json), b->st.json_len);
	b->root = jparse(b->a, b->st.json, b->st.json_len);
	if (!b->root)
		fail_msg("the statement is not well-formed JSON: %s", b->st.json);
}

static void built_free(built *b)
{
	lms_arena_free(b->a);
	b->a = NULL;
}

/* ---- the UUID ---- */

static void uuid5_matches_python(void **state)
{
	(void)state;
	char id[LMS_XAPI_UUID_LEN + 1];
	lms_err err;

	lms_err_clear(&err);
	/* Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") */
	assert_int_equal(lms_xapi_uuid5(id, "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", 10, &err), 0);
	assert_string_equal(id, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	/* the namespace in capitals is the same namespace */
	assert_int_equal(lms_xapi_uuid5(id, "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "python.org", 10, &err), 0);
	assert_string_equal(id, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	/* parlearn's namespace is what xapi.h says: uuid5(NAMESPACE_URL, "urn:parlearn:xapi:statement:1") */
	assert_int_equal(lms_xapi_uuid5(id, "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
	                                "urn:parlearn:xapi:statement:1", 29, &err), 0);
	assert_string_equal(id, LMS_XAPI_NAMESPACE);
	/* Python: uuid.uuid5(uuid.UUID("4e9a40c6-..."), "cmp_123") and "exr_45" */
	assert_int_equal(lms_xapi_statement_id(id, "cmp_123", &err), 0);
	assert_string_equal(id, "061de2e1-1df1-5501-ac58-519bed13cc99");
	assert_int_equal(lms_xapi_statement_id(id, "exr_45", &err), 0);
	assert_string_equal(id, "3c60010a-0472-5fae-a44d-a771a2908c94");

	const char *bad_ns[] = { NULL, "", "6ba7b810-9dad-11d1-80b4-00c04fd430c", "6ba7b810x9dad-11d1-80b4-00c04fd430c8",
	                         "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "6ba7b810-9dad-11d1-80b4-00c04fd430c8-" };
	for (size_t i = 0; i < sizeof(bad_ns) / sizeof(bad_ns[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_xapi_uuid5(id, bad_ns[i], "x", 1, &err), LMS_EINVAL);
		assert_string_equal(err.field, "namespace");
	}
	char id64[66];
	memset(id64, 'a', 64);
	id64[64] = '\0';
	assert_int_equal(lms_xapi_statement_id(id, id64, &err), 0); /* 64 characters: the longest */
	id64[64] = 'a';
	id64[65] = '\0';
	const char *bad_ids[] = { NULL, "", "cmp 1", "cmp/1", "cmp_1\n", "c\xc3\xa1", id64 };
	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_xapi_statement_id(id, bad_ids[i], &err), LMS_EINVAL);
		assert_string_equal(err.field, "event_id");
	}
}

static void same_event_same_id_other_event_other_id(void **state)
{
	(void)state;
	lms_xapi_event e = course_event();
	built b1, b2, b3;

	build_ok(&b1, &e, &CFG);
	build_ok(&b2, &e, &CFG);
	assert_string_equal(b1.st.id, b2.st.id);
	assert_string_equal(b1.st.json, b2.st.json); /* a re-sent statement is the same bytes */
	assert_string_equal(jstr(jget(b1.root, "id", END)), b1.st.id);
	/* version 5, RFC 4122 variant */
	assert_int_equal(b1.st.id[14], '5');
	assert_non_null(strchr("89ab", b1.st.id[19]));

	e.event_id = "cmp_124";
	build_ok(&b3, &e, &CFG);
	assert_string_not_equal(b1.st.id, b3.st.id);
	assert_string_equal(jstr(jget(b3.root, "id", END)), b3.st.id);
	built_free(&b1);
	built_free(&b2);
	built_free(&b3);
}

/* ---- statements ---- */

static void course_completion_with_all_fields(void **state)
{
	(void)state;
	lms_xapi_event e = course_event();
	char keys[256];
	built b;

	build_ok(&b, &e, &CFG);
	/* nothing but the members of the mapping: no PIN, no e-mail, nothing else of the event */
	assert_string_equal(jkeys(b.root, keys, sizeof(keys)), "actor,context,id,object,result,timestamp,verb");
	assert_string_equal(jstr(jget(b.root, "id", END)), "061de2e1-1df1-5501-ac58-519bed13cc99");

	assert_string_equal(jkeys(jget(b.root, "actor", END), keys, sizeof(keys)), "account,objectType");
	assert_string_equal(jstr(jget(b.root, "actor", "objectType", END)), "Agent");
	assert_string_equal(jkeys(jget(b.root, "actor", "account", END), keys, sizeof(keys)), "homePage,name");
	assert_string_equal(jstr(jget(b.root, "actor", "account", "homePage", END)), HOME_PAGE);
	assert_string_equal(jstr(jget(b.root, "actor", "account", "name", END)), "NV-000123");

	assert_string_equal(jstr(jget(b.root, "verb", "id", END)), "http://adlnet.gov/expapi/verbs/completed");
	assert_string_equal(jstr(jget(b.root, "verb", "display", "en-US", END)), "completed");

	assert_string_equal(jstr(jget(b.root, "object", "objectType", END)), "Activity");
	assert_string_equal(jstr(jget(b.root, "object", "id", END)),
	                    PUBLIC_URL "/xapi/course/cchc-2021-2030/1");
	assert_string_equal(jstr(jget(b.root, "object", "definition", "type", END)),
	                    "http://adlnet.gov/expapi/activities/course");
	assert_string_equal(jstr(jget(b.root, "object", "definition", "name", "vi-VN", END)), TITLE_COURSE);

	assert_string_equal(jkeys(jget(b.root, "result", END), keys, sizeof(keys)),
	                    "completion,duration,score,success");
	assert_int_equal(jget(b.root, "result", "completion", END)->type, 't');
	assert_int_equal(jget(b.root, "result", "success", END)->type, 't');
	const jv *scaled = jget(b.root, "result", "score", "scaled", END);
	assert_non_null(scaled);
	assert_int_equal(scaled->type, 'n');
	assert_true(scaled->n == 0.9);
	assert_string_equal(scaled->s, "0.9"); /* the shortest form, not 0.90000000000000002 */
	assert_string_equal(jstr(jget(b.root, "result", "duration", END)), "PT45M12S");

	assert_string_equal(jstr(jget(b.root, "timestamp", END)), "2025-09-15T10:42:07+07:00");

	const jv *ext = jget(b.root, "context", "extensions", END);
	assert_string_equal(jkeys(jget(b.root, "context", END), keys, sizeof(keys)), "extensions");
	assert_string_equal(jkeys(ext, keys, sizeof(keys)),
	                    EXT "reported_time_s," EXT "training_periods," EXT "unit_code");
	assert_string_equal(jstr(jget(ext, EXT "unit_code", END)), "SNV-VP");
	assert_int_equal(jget(ext, EXT "training_periods", END)->type, 'n');
	assert_string_equal(jget(ext, EXT "training_periods", END)->s, "2");
	assert_string_equal(jget(ext, EXT "reported_time_s", END)->s, "3005");
	built_free(&b);

	/* a PUBLIC_URL written with a trailing slash gives the same IRIs */
	lms_xapi_config slash = { HOME_PAGE, PUBLIC_URL "/" };
	built b2;
	build_ok(&b2, &e, &slash);
	assert_string_equal(jstr(jget(b2.root, "object", "id", END)), PUBLIC_URL "/xapi/course/cchc-2021-2030/1");
	assert_non_null(jget(b2.root, "context", "extensions", EXT "unit_code", END));
	built_free(&b2);

	/* under a path, and over plain http on a test machine */
	lms_xapi_config sub = { "http://127.0.0.1:8080/hr", "http://127.0.0.1:9000/lms" };
	built b3;
	build_ok(&b3, &e, &sub);
	assert_string_equal(jstr(jget(b3.root, "object", "id", END)),
	                    "http://127.0.0.1:9000/lms/xapi/course/cchc-2021-2030/1");
	assert_string_equal(jstr(jget(b3.root, "actor", "account", "homePage", END)), "http://127.0.0.1:8080/hr");
	built_free(&b3);
}

static void passed_exam(void **state)
{
	(void)state;
	lms_xapi_event e = exam_event();
	char keys[256];
	built b;

	build_ok(&b, &e, &CFG);
	assert_string_equal(jstr(jget(b.root, "id", END)), "3c60010a-0472-5fae-a44d-a771a2908c94");
	assert_string_equal(jstr(jget(b.root, "actor", "account", "name", END)), "PSG-0042");
	assert_string_equal(jstr(jget(b.root, "verb", "id", END)), "http://adlnet.gov/expapi/verbs/passed");
	assert_string_equal(jstr(jget(b.root, "verb", "display", "en-US", END)), "passed");
	assert_string_equal(jstr(jget(b.root, "object", "id", END)), PUBLIC_URL "/xapi/exam/SH-2025-LD");
	assert_string_equal(jstr(jget(b.root, "object", "definition", "type", END)),
	                    "http://adlnet.gov/expapi/activities/assessment");
	assert_string_equal(jstr(jget(b.root, "object", "definition", "name", "vi-VN", END)), TITLE_EXAM);
	assert_int_equal(jget(b.root, "result", "success", END)->type, 't');
	assert_int_equal(jget(b.root, "result", "completion", END)->type, 't');
	assert_true(jget(b.root, "result", "score", "scaled", END)->n == 0.86);
	assert_string_equal(jstr(jget(b.root, "result", "duration", END)), "PT57M");
	/* passed: the time the pass was established, not the submission */
	assert_string_equal(jstr(jget(b.root, "timestamp", END)), "2025-10-20T16:00:00+07:00");
	/* an exam has no periods and no reported time: only the unit */
	assert_string_equal(jkeys(jget(b.root, "context", "extensions", END), keys, sizeof(keys)), EXT "unit_code");
	assert_string_equal(jstr(jget(b.root, "context", "extensions", EXT "unit_code", END)), "P-SAIGON");
	built_free(&b);
}

static void failed_exam(void **state)
{
	(void)state;
	lms_xapi_event e = exam_event();
	built b;

	e.event_id = "exr_46";
	e.passed = LMS_XAPI_FALSE;
	e.passed_at = NULL;
	e.score = 0.42;
	build_ok(&b, &e, &CFG);
	assert_string_equal(jstr(jget(b.root, "verb", "id", END)), "http://adlnet.gov/expapi/verbs/failed");
	assert_string_equal(jstr(jget(b.root, "verb", "display", "en-US", END)), "failed");
	assert_int_equal(jget(b.root, "result", "success", END)->type, 'f');
	assert_int_equal(jget(b.root, "result", "completion", END)->type, 't');
	assert_true(jget(b.root, "result", "score", "scaled", END)->n == 0.42);
	assert_string_equal(jstr(jget(b.root, "timestamp", END)), "2025-10-18T09:57:31+07:00");
	built_free(&b);
}

static void null_score_and_null_passed_are_left_out(void **state)
{
	(void)state;
	lms_xapi_event e = course_event();
	char keys[256];
	built b;

	e.has_score = false;
	e.passed = LMS_XAPI_NULL;           /* a course without a pass mark */
	e.has_reported_time = false;        /* content that reports no time */
	build_ok(&b, &e, &CFG);
	assert_string_equal(jkeys(jget(b.root, "result", END), keys, sizeof(keys)), "completion,duration");
	assert_null(jget(b.root, "result", "score", END));
	assert_null(jget(b.root, "result", "success", END));
	assert_null(strstr(b.st.json, "null")); /* left out, not written as null */
	assert_string_equal(jkeys(jget(b.root, "context", "extensions", END), keys, sizeof(keys)),
	                    EXT "training_periods," EXT "unit_code");
	built_free(&b);

	/* a score of 0 and a failed course are kept: 0 and false are values */
	e = course_event();
	e.score = 0;
	e.passed = LMS_XAPI_FALSE;
	build_ok(&b, &e, &CFG);
	assert_string_equal(jget(b.root, "result", "score", "scaled", END)->s, "0");
	assert_int_equal(jget(b.root, "result", "success", END)->type, 'f');
	assert_string_equal(jstr(jget(b.root, "verb", "id", END)), "http://adlnet.gov/expapi/verbs/completed");
	built_free(&b);
}

static void durations(void **state)
{
	(void)state;
	static const struct { int64_t s; const char *iso; } cases[] = {
		{ 0, "PT0S" }, { 1, "PT1S" }, { 59, "PT59S" }, { 60, "PT1M" }, { 3600, "PT1H" },
		{ 45 * 60 + 12, "PT45M12S" }, { 3723, "PT1H2M3S" }, { 3601, "PT1H1S" },
		{ 86400 + 61, "PT24H1M1S" }, { INT64_MAX, "PT2562047788015215H30M7S" },
	};
	char out[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(lms_xapi_duration(out, sizeof(out), cases[i].s), (int)strlen(cases[i].iso));
		assert_string_equal(out, cases[i].iso);
	}
	assert_int_equal(lms_xapi_duration(out, sizeof(out), -1), -1);
	assert_string_equal(out, "");
	assert_int_equal(lms_xapi_duration(out, 5, 2712), -1); /* "PT45M12S" does not fit in 5 */
	assert_string_equal(out, "");
	assert_int_equal(lms_xapi_duration(out, 9, 2712), 8);

	/* in a statement */
	lms_xapi_event e = course_event();
	built b;
	e.active_time_s = 0;
	build_ok(&b, &e, &CFG);
	assert_string_equal(jstr(jget(b.root, "result", "duration", END)), "PT0S");
	built_free(&b);
	e.active_time_s = 3600;
	build_ok(&b, &e, &CFG);
	assert_string_equal(jstr(jget(b.root, "result", "duration", END)), "PT1H");
	built_free(&b);
}

static void vietnamese_title_survives(void **state)
{
	(void)state;
	lms_xapi_event e = course_event();
	const char *t = "Nghiệp vụ cải cách hành chính: Ủy ban nhân dân phường Sài Gòn — “một cửa” 🇻🇳";
	built b;

	e.title = t;
	build_ok(&b, &e, &CFG);
	assert_string_equal(jstr(jget(b.root, "object", "definition", "name", "vi-VN", END)), t);
	/* written as UTF-8, not as \u escapes */
	assert_non_null(strstr(b.st.json, "Nghiệp vụ cải cách hành chính"));
	built_free(&b);

	/* 300 characters (600 bytes) is the most a title may have */
	char long_title[4 * LMS_XAPI_TITLE_MAX + 8];
	size_t n = 0;
	for (int i = 0; i < LMS_XAPI_TITLE_MAX; i++) {
		memcpy(long_title + n, "ệ", 3);
		n += 3;
	}
	long_title[n] = '\0';
	e.title = long_title;
	build_ok(&b, &e, &CFG);
	assert_string_equal(jstr(jget(b.root, "object", "definition", "name", "vi-VN", END)), long_title);
	built_free(&b);
}

static void hostile_title_is_escaped(void **state)
{
	(void)state;
	lms_xapi_event e = course_event();
	const char *t = "Bài \"một\"\nhai\r\tba\\bốn\x01\x1f</script>";
	built b;

	e.title = t;
	build_ok(&b, &e, &CFG); /* parses, so the quotes and controls were escaped */
	assert_string_equal(jstr(jget(b.root, "object", "definition", "name", "vi-VN", END)), t);
	assert_non_null(strstr(b.st.json, "\\\"một\\\""));
	assert_non_null(strstr(b.st.json, "\\u000a"));
	assert_non_null(strstr(b.st.json, "\\u0001"));
	assert_non_null(strstr(b.st.json, "\\u001f"));
	assert_null(strchr(b.st.json, '\n'));
	assert_null(strchr(b.st.json, '\x01'));
	built_free(&b);
}

/* ---- refused ---- */

static void certificates_are_not_sent(void **state)
{
	(void)state;
	const char *kinds[] = { "certificate_issued", "certificate_revoked" };
	lms_arena *a = lms_arena_new();

	for (size_t i = 0; i < 2; i++) {
		lms_xapi_event e = course_event();
		lms_xapi_statement st = { .json = "untouched" };
		lms_err err;
		lms_err_clear(&err);
		e.kind = kinds[i];
		assert_int_equal(lms_xapi_statement_build(&st, a, &e, &CFG, &err), LMS_EUNSUPPORTED);
		assert_string_equal(err.code, "xapi_not_sent");
		assert_string_equal(err.field, "kind");
		assert_string_equal(st.json, "untouched");
		/* distinct from a bad event, whatever else the event holds */
		e.employee_code = NULL;
		lms_err_clear(&err);
		assert_int_equal(lms_xapi_statement_build(&st, a, &e, &CFG, &err), LMS_EUNSUPPORTED);
	}
	lms_arena_free(a);
}

typedef struct {
	const char *field;
	void (*spoil)(lms_xapi_event *e, lms_xapi_config *c);
} bad_case;

static void no_employee(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->employee_code = NULL; }
static void empty_employee(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->employee_code = ""; }
static void spaced_employee(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->employee_code = "NV 1"; }
static void no_unit(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->unit_code = NULL; }
static void no_event_id(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->event_id = NULL; }
static void no_kind(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->kind = NULL; }
static void odd_kind(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->kind = "course_started"; }
static void no_title(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->title = NULL; }
static void empty_title(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->title = ""; }
static void latin1_title(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->title = "C\xe1i c\xe1" "ch"; }
static void no_completed(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->completed_at = NULL; }
static void date_only(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->completed_at = "2025-09-15"; }
static void no_offset(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->completed_at = "2025-09-15T10:42:07"; }
static void feb30(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->completed_at = "2025-02-30T10:42:07Z"; }
static void hour25(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->completed_at = "2025-09-15T25:42:07Z"; }
static void no_course(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->course_code = NULL; }
static void course_slash(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->course_code = "a/b"; }
static void version0(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->course_version = 0; }
static void no_periods(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->has_training_periods = false; }
static void exam_on_course(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->exam_code = "SH-1"; }
static void score_over(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->score = 1.5; }
static void score_nan(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->score = NAN; }
static void negative_time(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->active_time_s = -1; }
static void negative_reported(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->reported_time_s = -5; }
static void odd_passed(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->passed = (lms_xapi_tristate)7; }
static void no_public_url(lms_xapi_event *e, lms_xapi_config *c) { (void)e; c->public_url = NULL; }
static void query_public_url(lms_xapi_event *e, lms_xapi_config *c) { (void)e; c->public_url = PUBLIC_URL "?a=1"; }
static void ftp_home(lms_xapi_event *e, lms_xapi_config *c) { (void)e; c->actor_home_page = "ftp://hr.example"; }
static void spaced_home(lms_xapi_event *e, lms_xapi_config *c) { (void)e; c->actor_home_page = "https://hr example"; }
static void no_host(lms_xapi_event *e, lms_xapi_config *c) { (void)e; c->actor_home_page = "https:///x"; }

static void exam_no_code(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->exam_code = NULL; }
static void exam_null_passed(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->passed = LMS_XAPI_NULL; }
static void exam_no_passed_at(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->passed_at = NULL; }
static void exam_failed_with_passed_at(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->passed = LMS_XAPI_FALSE; }
static void exam_no_score(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->has_score = false; }
static void exam_with_course(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->course_code = "cchc"; }
static void exam_with_periods(lms_xapi_event *e, lms_xapi_config *c) { (void)c; e->has_training_periods = true; }

static void check_refusals(const bad_case *cases, size_t n, lms_xapi_event (*make)(void))
{
	lms_arena *a = lms_arena_new();

	for (size_t i = 0; i < n; i++) {
		lms_xapi_event e = make();
		lms_xapi_config c = CFG;
		lms_xapi_statement st = { .json = "untouched" };
		lms_err err;
		lms_err_clear(&err);
		cases[i].spoil(&e, &c);
		int rc = lms_xapi_statement_build(&st, a, &e, &c, &err);
		if (rc != LMS_EINVAL || strcmp(err.field, cases[i].field) != 0)
			fail_msg("case %zu (%s): rc %d field \"%s\" msg \"%s\"", i, cases[i].field, rc,
			         err.field, err.msg);
		assert_string_equal(err.code, "invalid_field");
		assert_non_null(strstr(err.msg, cases[i].field)); /* the message names the field */
		assert_string_equal(st.json, "untouched");
		assert_string_equal(st.id, "");
	}
	lms_arena_free(a);
}

static void missing_and_malformed_members_are_refused_by_name(void **state)
{
	(void)state;
	static const bad_case course[] = {
		{ "employee_code", no_employee }, { "employee_code", empty_employee },
		{ "employee_code", spaced_employee }, { "unit_code", no_unit },
		{ "event_id", no_event_id }, { "kind", no_kind }, { "kind", odd_kind },
		{ "title", no_title }, { "title", empty_title }, { "title", latin1_title },
		{ "completed_at", no_completed }, { "completed_at", date_only },
		{ "completed_at", no_offset }, { "completed_at", feb30 }, { "completed_at", hour25 },
		{ "course_code", no_course }, { "course_code", course_slash },
		{ "course_version", version0 }, { "training_periods", no_periods },
		{ "exam_code", exam_on_course }, { "score", score_over }, { "score", score_nan },
		{ "active_time_s", negative_time }, { "reported_time_s", negative_reported },
		{ "passed", odd_passed },
		{ "config.public_url", no_public_url }, { "config.public_url", query_public_url },
		{ "config.actor_home_page", ftp_home }, { "config.actor_home_page", spaced_home },
		{ "config.actor_home_page", no_host },
	};
	static const bad_case exam[] = {
		{ "exam_code", exam_no_code }, { "passed", exam_null_passed },
		{ "passed_at", exam_no_passed_at }, { "passed_at", exam_failed_with_passed_at },
		{ "score", exam_no_score }, { "course_code", exam_with_course },
		{ "training_periods", exam_with_periods }, { "employee_code", no_employee },
	};
	check_refusals(course, sizeof(course) / sizeof(course[0]), course_event);
	check_refusals(exam, sizeof(exam) / sizeof(exam[0]), exam_event);

	/* a title one character too long */
	char long_title[LMS_XAPI_TITLE_MAX + 2];
	memset(long_title, 'a', LMS_XAPI_TITLE_MAX + 1);
	long_title[LMS_XAPI_TITLE_MAX + 1] = '\0';
	lms_xapi_event e = course_event();
	lms_xapi_statement st;
	lms_arena *a = lms_arena_new();
	lms_err err;
	lms_err_clear(&err);
	e.title = long_title;
	assert_int_equal(lms_xapi_statement_build(&st, a, &e, &CFG, &err), LMS_EINVAL);
	assert_string_equal(err.field, "title");
	lms_arena_free(a);
}

static void times_in_the_forms_rfc3339_allows(void **state)
{
	(void)state;
	const char *ok[] = { "2025-09-15T10:42:07Z", "2025-09-15T10:42:07.123+07:00",
	                     "2024-02-29T23:59:60-05:30" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		lms_xapi_event e = course_event();
		built b;
		e.completed_at = ok[i];
		build_ok(&b, &e, &CFG);
		assert_string_equal(jstr(jget(b.root, "timestamp", END)), ok[i]);
		built_free(&b);
	}
}

static void the_reader_refuses_malformed_json(void **state)
{
	(void)state;
	/* the checks above are only as good as the reader: it must refuse these */
	const char *bad[] = { "", "{", "{\"a\":1,}", "{\"a\":\"x\ny\"}", "{\"a\":\"\\q\"}",
	                      "{\"a\":1}x", "{\"a\":1,\"a\":2}", "[01]", "{'a':1}", "\"\xc3\"",
	                      "{\"a\":tru}", "[1.]", "{\"a\" 1}" };
	lms_arena *a = lms_arena_new();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (jparse(a, bad[i], strlen(bad[i])))
			fail_msg("accepted malformed JSON #%zu: %s", i, bad[i]);
	const char *good = "{\"a\":[1,-2.5e3,true,false,null,\"\\u00e9\\ud83d\\ude00\"]}";
	const jv *g = jparse(a, good, strlen(good));
	assert_non_null(g);
	assert_string_equal(jget(g, "a", END)->kids[5]->s, "\xc3\xa9\xf0\x9f\x98\x80"); /* é 😀 */
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uuid5_matches_python),
		cmocka_unit_test(same_event_same_id_other_event_other_id),
		cmocka_unit_test(course_completion_with_all_fields),
		cmocka_unit_test(passed_exam),
		cmocka_unit_test(failed_exam),
		cmocka_unit_test(null_score_and_null_passed_are_left_out),
		cmocka_unit_test(durations),
		cmocka_unit_test(vietnamese_title_survives),
		cmocka_unit_test(hostile_title_is_escaped),
		cmocka_unit_test(certificates_are_not_sent),
		cmocka_unit_test(missing_and_malformed_members_are_refused_by_name),
		cmocka_unit_test(times_in_the_forms_rfc3339_allows),
		cmocka_unit_test(the_reader_refuses_malformed_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
