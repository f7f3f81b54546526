/* roster_csv.c — the people-only CSV roster (docs/personnel-sync.md, "CSV"), read with
 * libcsv (RFC 4180 quoting, quoted line breaks). The file is fed one physical line at a time
 * so that every record knows the line it began on, for the report. Encoding is checked
 * first, line by line: a file that is not UTF-8 is refused whole, naming the first bad line
 * (parlearn does not guess between Windows-1258 and others). */
#include "lms/roster.h"

#include "lms/validate.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>

#define NCOLS 11
static const char *const header[NCOLS] = {
	"employee_code", "pin", "full_name", "unit_code", "position_code", "position",
	"is_leader", "par_role", "active", "valid_from", "email",
};

typedef struct csv_ctx {
	lms_arena *a;
	lms_roster *out;
	lms_roster_result *res;
	size_t cap;
	char *fields[NCOLS];
	size_t nfields;
	bool too_many;
	size_t line, record_line;      /* the physical line being fed; where the record began */
	bool in_record;
	bool header_seen, header_bad;
	size_t records;
} csv_ctx;

static void on_field(void *s, size_t len, void *data)
{
	csv_ctx *c = data;

	if (!c->in_record) {
		c->in_record = true;
		c->record_line = c->line;
	}
	if (c->nfields >= NCOLS) {
		c->too_many = true;
		return;
	}
	/* An empty field is an absent member. */
	c->fields[c->nfields++] = len ? lms_arena_strndup(c->a, s, len) : NULL;
}

static int parse_bool(const char *s, bool *out)
{
	if (s && strcmp(s, "true") == 0)
		*out = true;
	else if (s && strcmp(s, "false") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

static void person_row(csv_ctx *c, const char *where)
{
	lms_roster_person *p;
	char **f = c->fields;

	if (c->out->n_people >= LMS_ROSTER_MAX_PEOPLE) {
		lms_roster_reject(c->res, c->a, where, f[0], "more than %d people in one file",
		                  LMS_ROSTER_MAX_PEOPLE);
		return;
	}
	if (c->nfields != NCOLS || c->too_many) {
		lms_roster_reject(c->res, c->a, where, f[0],
		                  "the row has %s%zu fields; the header has %d",
		                  c->too_many ? "more than " : "", c->nfields, NCOLS);
		return;
	}
	if (c->out->n_people == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		lms_roster_person *v = lms_arena_alloc(c->a, cap * sizeof(*v));

		if (c->cap)
			memcpy(v, c->out->people, c->cap * sizeof(*v));
		c->out->people = v;
		c->cap = cap;
	}
	p = &c->out->people[c->out->n_people];
	memset(p, 0, sizeof(*p));
	p->where = where;
	p->employee_code = f[0];
	p->pin = f[1];
	p->full_name = f[2];
	p->unit_code = f[3];
	p->position_code = f[4];
	p->position = f[5];
	p->valid_from = f[9];
	p->email = f[10];
	if (parse_bool(f[6], &p->is_leader) < 0) {
		lms_roster_reject(c->res, c->a, where, f[0], "is_leader must be true or false");
		return;
	}
	if (parse_bool(f[8], &p->active) < 0) {
		lms_roster_reject(c->res, c->a, where, f[0], "active must be true or false");
		return;
	}
	if (!f[7] || lms_par_role_parse(f[7], &p->par_role) < 0) {
		lms_roster_reject(c->res, c->a, where, f[0],
		                  "par_role must be none, concurrent or dedicated");
		return;
	}
	c->out->n_people++;
}

static void on_record(int term, void *data)
{
	csv_ctx *c = data;
	char where[32];
	size_t i;

	(void)term;
	if (!c->in_record)
		return; /* an empty line */
	if (!c->header_seen) {
		c->header_seen = true;
		for (i = 0; i < NCOLS; i++)
			if (i >= c->nfields || !c->fields[i] || strcmp(c->fields[i], header[i]) != 0)
				c->header_bad = true;
		if (c->nfields != NCOLS || c->too_many)
			c->header_bad = true;
	} else if (!c->header_bad) {
		snprintf(where, sizeof(where), "line %zu", c->record_line);
		person_row(c, lms_arena_strdup(c->a, where));
		c->records++;
	}
	memset(c->fields, 0, sizeof(c->fields));
	c->nfields = 0;
	c->too_many = false;
	c->in_record = false;
}

int lms_roster_parse_csv(const char *buf, size_t len, lms_arena *a, lms_roster *out,
                         lms_roster_result *res, lms_err *err)
{
	struct csv_parser p;
	csv_ctx c;
	size_t at = 0, line = 1;
	int rc = LMS_OK;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.out = out;
	c.res = res;
	out->people_only = true;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	/* Encoding first, so a Windows-1258 file is refused as a whole. */
	{
		size_t i = at, start = at;

		for (; i <= len; i++) {
			if (i == len || buf[i] == '\n') {
				if (!lms_utf8_valid(buf + start, i - start) ||
				    memchr(buf + start, '\0', i - start))
					return lms_err_set(err, LMS_EINVAL, "roster_encoding", "file",
					                   "line %zu is not UTF-8 text: save the file as "
					                   "UTF-8 (Windows-1258 and other encodings are not "
					                   "read)", line);
				line++;
				start = i + 1;
			}
		}
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "no CSV parser");
	c.line = 1;
	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (buf + at)) + 1 : len - at;

		if (csv_parse(&p, buf + at, n, on_field, on_record, &c) != n)
			goto bad_csv;
		if (c.header_seen && c.header_bad)
			break;
		at += n;
		c.line++;
	}
	if (!c.header_bad && csv_fini(&p, on_field, on_record, &c) != 0)
		goto bad_csv;
	if (!c.header_seen || c.header_bad) {
		rc = lms_err_set(err, LMS_EINVAL, "roster_header", "file",
		                 "line 1 must be exactly the header employee_code,pin,full_name,"
		                 "unit_code,position_code,position,is_leader,par_role,active,"
		                 "valid_from,email");
		goto done;
	}
	goto done;
bad_csv:
	rc = lms_err_set(err, LMS_EINVAL, "roster_csv", "file",
	                 "line %zu: %s (a field with a comma, a quote or a line break must be in "
	                 "double quotes, and a quote inside it doubled)",
	                 c.in_record ? c.record_line : c.line, csv_strerror(csv_error(&p)));
done:
	csv_free(&p);
	return rc;
}
