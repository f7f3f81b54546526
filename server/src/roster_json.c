/* roster_json.c — the JSON roster (docs/personnel-sync.md, section 1, "JSON";
 * schemas/personnel/roster.schema.json) read with cJSON into the core's lms_roster. The file
 * as a whole must be the format's object; a row whose members have the wrong types or
 * unknown names is rejected with its JSON pointer, and the other rows are still read so the
 * report lists every problem at once. */
#include "roster_json.h"

#include "json_body.h"
#include "lms/clock.h"
#include "lms/store.h"

#include <openssl/evp.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct rj {
	lms_arena *a;
	lms_roster_result *res;
	const char *where;
	const char *code;
	bool bad;
} rj;

static void row_bad(rj *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row_bad(rj *c, const char *fmt, ...)
{
	char reason[200];
	va_list ap;

	if (c->bad)
		return; /* one reason per row is enough */
	c->bad = true;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	lms_roster_reject(c->res, c->a, c->where, c->code, "%s", reason);
}

/* A string member (NULL when absent or null and optional). */
static const char *str(rj *c, const cJSON *o, const char *name, bool required)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!m || cJSON_IsNull(m)) {
		if (required)
			row_bad(c, "%s is missing", name);
		return NULL;
	}
	if (!cJSON_IsString(m)) {
		row_bad(c, "%s must be a string", name);
		return NULL;
	}
	return lms_arena_strdup(c->a, m->valuestring);
}

static bool boolean(rj *c, const cJSON *o, const char *name)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!m) {
		row_bad(c, "%s is missing", name);
		return false;
	}
	if (!cJSON_IsBool(m)) {
		row_bad(c, "%s must be true or false", name);
		return false;
	}
	return cJSON_IsTrue(m);
}

static void only(rj *c, const cJSON *o, const char *const *names)
{
	const cJSON *m;
	size_t i;

	cJSON_ArrayForEach(m, o) {
		for (i = 0; names[i]; i++)
			if (m->string && strcmp(m->string, names[i]) == 0)
				break;
		if (!names[i])
			row_bad(c, "unknown member %s", m->string ? m->string : "?");
	}
}

static const char *where(lms_arena *a, const char *list, int i)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "/%s/%d", list, i);
	return lms_arena_strdup(a, buf);
}

static const char *code_of(const cJSON *o, const char *name, lms_arena *a)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(m) && strlen(m->valuestring) <= 64 ? lms_arena_strdup(a, m->valuestring)
	                                                           : NULL;
}

static void read_unit(rj *c, const cJSON *o, lms_roster_unit *u)
{
	static const char *const names[] = { "code", "name", "kind", "parent_code", "valid_from",
	                                     "valid_to", "successor_codes", NULL };
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "successor_codes");

	only(c, o, names);
	u->code = str(c, o, "code", true);
	u->name = str(c, o, "name", true);
	u->kind = str(c, o, "kind", true);
	u->parent_code = str(c, o, "parent_code", false);
	u->valid_from = str(c, o, "valid_from", false);
	u->valid_to = str(c, o, "valid_to", false);
	if (s && !cJSON_IsNull(s)) {
		const cJSON *e;
		int n = cJSON_GetArraySize(s), i = 0;

		if (!cJSON_IsArray(s) || n > LMS_ROSTER_MAX_SUCCESSORS) {
			row_bad(c, "%s must be a list of at most 32 unit codes", "successor_codes");
			return;
		}
		u->successors = lms_arena_alloc(c->a, ((size_t)n + 1) * sizeof(char *));
		cJSON_ArrayForEach(e, s) {
			if (!cJSON_IsString(e)) {
				row_bad(c, "%s must hold unit codes (strings)", "successor_codes");
				return;
			}
			u->successors[i++] = lms_arena_strdup(c->a, e->valuestring);
		}
		u->n_successors = (size_t)i;
	}
}

static void read_person(rj *c, const cJSON *o, lms_roster_person *p)
{
	static const char *const names[] = { "employee_code", "pin", "full_name", "unit_code",
	                                     "position_code", "position", "is_leader", "par_role",
	                                     "active", "valid_from", "email", NULL };
	const char *role;

	only(c, o, names);
	p->employee_code = str(c, o, "employee_code", true);
	p->pin = str(c, o, "pin", true);
	p->full_name = str(c, o, "full_name", true);
	p->unit_code = str(c, o, "unit_code", true);
	p->position_code = str(c, o, "position_code", false);
	p->position = str(c, o, "position", false);
	p->is_leader = boolean(c, o, "is_leader");
	p->active = boolean(c, o, "active");
	p->valid_from = str(c, o, "valid_from", true);
	p->email = str(c, o, "email", false);
	role = str(c, o, "par_role", true);
	if (role && lms_par_role_parse(role, &p->par_role) < 0)
		row_bad(c, "%s must be none, concurrent or dedicated", "par_role");
}

/* The list member name (an array, possibly absent when optional); -1 after a file error. */
static int list(const cJSON *root, const char *name, bool required, size_t max,
                const cJSON **out, lms_err *err)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, name);

	*out = NULL;
	if (!m && !required)
		return 0;
	if (!cJSON_IsArray(m))
		return lms_err_set(err, LMS_EINVAL, "roster_format", name, "%s must be a list", name);
	if ((size_t)cJSON_GetArraySize(m) > max)
		return lms_err_set(err, LMS_ETOOBIG, "roster_too_big", name,
		                   "%s has more than %zu entries", name, max);
	*out = m;
	return 0;
}

int srv_roster_from_json(const char *buf, size_t len, lms_arena *a, lms_roster *out,
                         lms_roster_result *res, lms_err *err)
{
	static const char *const top[] = { "format", "version", "generated_at", "source",
	                                   "scope_unit_code", "units", "positions", "people", NULL };
	cJSON *root = NULL;
	const cJSON *m, *units, *positions, *people, *e;
	const char *code, *detail;
	rj c;
	int rc = LMS_OK, i;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (srv_json_parse(buf, len, &root, &code, &detail) < 0)
		return lms_err_set(err, LMS_EINVAL, strcmp(code, "invalid_utf8") == 0 ? "roster_encoding"
		                                                                     : "roster_json",
		                   "file", "%s", detail);
	m = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsString(m) || strcmp(m->valuestring, "parlearn-roster") != 0) {
		rc = lms_err_set(err, LMS_EINVAL, "roster_format", "format",
		                 "format must be \"parlearn-roster\"");
		goto done;
	}
	m = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(m) || m->valuedouble != 1) {
		rc = lms_err_set(err, LMS_EUNSUPPORTED, "roster_version", "version",
		                 "version must be 1 (this parlearn reads version 1 of the format)");
		goto done;
	}
	cJSON_ArrayForEach(m, root) {
		for (i = 0; top[i]; i++)
			if (strcmp(m->string, top[i]) == 0)
				break;
		if (!top[i]) {
			rc = lms_err_set(err, LMS_EINVAL, "roster_format", m->string,
			                 "unknown member %.60s", m->string);
			goto done;
		}
	}
	m = cJSON_GetObjectItemCaseSensitive(root, "source");
	if (!cJSON_IsString(m) || !*m->valuestring || strlen(m->valuestring) > 200) {
		rc = lms_err_set(err, LMS_EINVAL, "roster_format", "source",
		                 "source must be a name of 1 to 200 characters");
		goto done;
	}
	out->source = lms_arena_strdup(a, m->valuestring);
	m = cJSON_GetObjectItemCaseSensitive(root, "generated_at");
	if (!cJSON_IsString(m) || lms_rfc3339_parse(m->valuestring, &out->generated_us) < 0) {
		rc = lms_err_set(err, LMS_EINVAL, "roster_format", "generated_at",
		                 "generated_at must be a time like 2025-07-02T06:30:00+07:00");
		goto done;
	}
	out->generated_at = lms_arena_strdup(a, m->valuestring);
	m = cJSON_GetObjectItemCaseSensitive(root, "scope_unit_code");
	if (m && !cJSON_IsNull(m)) {
		if (!cJSON_IsString(m)) {
			rc = lms_err_set(err, LMS_EINVAL, "roster_format", "scope_unit_code",
			                 "scope_unit_code must be a unit code or null");
			goto done;
		}
		out->scope_unit_code = lms_arena_strdup(a, m->valuestring);
	}
	if ((rc = list(root, "units", true, LMS_ROSTER_MAX_UNITS, &units, err)) < 0 ||
	    (rc = list(root, "positions", false, LMS_ROSTER_MAX_UNITS, &positions, err)) < 0 ||
	    (rc = list(root, "people", true, LMS_ROSTER_MAX_PEOPLE, &people, err)) < 0)
		goto done;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.res = res;
	out->units = lms_arena_alloc(a, ((size_t)cJSON_GetArraySize(units) + 1) * sizeof(*out->units));
	i = 0;
	cJSON_ArrayForEach(e, units) {
		c.where = where(a, "units", i++);
		c.code = code_of(e, "code", a);
		c.bad = false;
		if (!cJSON_IsObject(e)) {
			row_bad(&c, "%s", "a unit must be an object");
			continue;
		}
		read_unit(&c, e, &out->units[out->n_units]);
		out->units[out->n_units].where = c.where;
		if (!c.bad)
			out->n_units++;
	}
	if (positions) {
		out->positions = lms_arena_alloc(a, ((size_t)cJSON_GetArraySize(positions) + 1) *
		                                    sizeof(*out->positions));
		i = 0;
		cJSON_ArrayForEach(e, positions) {
			static const char *const names[] = { "code", "name", NULL };
			lms_roster_position *p = &out->positions[out->n_positions];

			c.where = where(a, "positions", i++);
			c.code = code_of(e, "code", a);
			c.bad = false;
			if (!cJSON_IsObject(e)) {
				row_bad(&c, "%s", "a position must be an object");
				continue;
			}
			only(&c, e, names);
			p->where = c.where;
			p->code = str(&c, e, "code", true);
			p->name = str(&c, e, "name", true);
			if (!c.bad)
				out->n_positions++;
		}
	}
	out->people = lms_arena_alloc(a, ((size_t)cJSON_GetArraySize(people) + 1) * sizeof(*out->people));
	i = 0;
	cJSON_ArrayForEach(e, people) {
		c.where = where(a, "people", i++);
		c.code = code_of(e, "employee_code", a);
		c.bad = false;
		if (!cJSON_IsObject(e)) {
			row_bad(&c, "%s", "a person must be an object");
			continue;
		}
		read_person(&c, e, &out->people[out->n_people]);
		out->people[out->n_people].where = c.where;
		if (!c.bad)
			out->n_people++;
	}
done:
	cJSON_Delete(root);
	return rc;
}

int srv_roster_run(lms_store *s, const char *buf, size_t len, bool csv, const char *source,
                   const char *generated_at, const char *scope, lms_roster_opts *opts,
                   lms_arena *a, lms_roster_result *res, lms_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *hex = lms_arena_alloc(a, 65);
	lms_roster roster;
	unsigned i;
	int rc;

	if (len > SRV_ROSTER_MAX_BYTES)
		return lms_err_set(err, LMS_ETOOBIG, "roster_too_big", "file",
		                   "the roster file is larger than %u MiB", SRV_ROSTER_MAX_BYTES >> 20);
	if (!EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL))
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "SHA-256 failed");
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	opts->file_sha256 = hex;
	memset(&roster, 0, sizeof(roster));
	if (csv) {
		if ((rc = lms_roster_parse_csv(buf, len, a, &roster, res, err)) < 0)
			return rc;
		roster.source = source;
		roster.generated_at = generated_at;
		roster.scope_unit_code = scope;
		if (!source || !*source || strlen(source) > 200)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "source",
			                   "a CSV roster needs a source name of 1 to 200 characters");
		if (!generated_at || lms_rfc3339_parse(generated_at, &roster.generated_us) < 0)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "generated_at",
			                   "generated_at must be a time like 2025-07-02T06:30:00+07:00");
	} else if ((rc = srv_roster_from_json(buf, len, a, &roster, res, err)) < 0) {
		return rc;
	}
	return lms_roster_import(s, &roster, opts, a, res, err);
}
