/* report_table.c — the table writer interface (report_table.h) and its CSV format: UTF-8
 * with a byte-order mark, CRLF, RFC 4180 quoting, formula-like text neutralised.
 *
 * The CSV writer buffers at most CSV_CHUNK bytes before handing them to its sink, so a large
 * export streams with flat memory. Numbers are written with a dot as the decimal mark (the
 * file is data; the XLSX is the one formatted for people). Only sheets marked csv reach the
 * file: a CSV holds one table.
 */
#include "lms/report_table.h"

#include "lms/report_period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_CHUNK 65536

typedef struct csv_tab {
	lms_tab base;
	lms_tab_sink sink;
	void *ctx;
	size_t used;
	bool started;     /* the BOM went out */
	char buf[CSV_CHUNK];
} csv_tab;

/* A text cell a spreadsheet would read as a formula (or as a command, for tab and CR). */
static bool formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

/* One decimal with a point, whatever the process's locale (printf's %f follows LC_NUMERIC),
 * rounded half away from zero as the JSON is (report_json.c), so the file and the page
 * agree: 51.25 is 51.3 in both (printf would give 51.2). */
void lms_csv_num1(char *out, size_t size, double d)
{
	double r = d * 10.0 + (d < 0 ? -0.5 : 0.5);
	long long t;

	if (!(r > -9.2e18 && r < 9.2e18)) { /* NaN or out of range: nothing sensible to write */
		snprintf(out, size, "%s", "");
		return;
	}
	t = (long long)r;
	snprintf(out, size, "%s%lld.%lld", t < 0 ? "-" : "", (t < 0 ? -t : t) / 10, (t < 0 ? -t : t) % 10);
}

size_t lms_csv_field(char *buf, size_t cap, const char *s)
{
	size_t n = 0;
	bool quote = false;
	const char *p;

	if (!s)
		s = "";
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
			quote = true;
#define PUT(ch)                  \
	do {                         \
		if (n + 1 < cap)         \
			buf[n] = (char)(ch); \
		n++;                     \
	} while (0)
	if (quote)
		PUT('"');
	if (formula_like(s))
		PUT('\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			PUT('"');
		PUT(*p);
	}
	if (quote)
		PUT('"');
#undef PUT
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

static int flush(csv_tab *c)
{
	int rc = 0;

	if (c->used)
		rc = c->sink(c->ctx, c->buf, c->used);
	c->used = 0;
	return rc;
}

static int put(csv_tab *c, const char *s, size_t n, lms_err *err)
{
	int rc;

	while (n) {
		size_t room = sizeof(c->buf) - c->used, k = n < room ? n : room;
		memcpy(c->buf + c->used, s, k);
		c->used += k;
		s += k;
		n -= k;
		if (c->used == sizeof(c->buf) && (rc = flush(c)) < 0)
			return lms_err_set(err, rc, NULL, NULL, "the file could not be written");
	}
	return LMS_OK;
}

static int put_field(csv_tab *c, const char *s, lms_err *err)
{
	char small[512];
	size_t need = lms_csv_field(small, sizeof(small), s);
	char *big;
	int rc;

	if (need < sizeof(small))
		return put(c, small, need, err);
	if (!(big = malloc(need + 1)))
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	lms_csv_field(big, need + 1, s);
	rc = put(c, big, need, err);
	free(big);
	return rc;
}

static int start(csv_tab *c, lms_err *err)
{
	if (c->started)
		return LMS_OK;
	c->started = true;
	return put(c, "\xEF\xBB\xBF", 3, err);
}

static int csv_sheet(lms_tab *t, const char *name, const lms_tab_col *cols, size_t n, bool csv,
                     lms_err *err)
{
	csv_tab *c = (csv_tab *)t;
	size_t i;
	int rc;

	(void)name;
	if (!csv)
		return LMS_OK;
	if ((rc = start(c, err)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((i && (rc = put(c, ",", 1, err)) < 0) || (rc = put_field(c, cols[i].head, err)) < 0)
			return rc;
	return put(c, "\r\n", 2, err);
}

static int csv_row(lms_tab *t, const lms_tab_cell *cells, lms_err *err)
{
	csv_tab *c = (csv_tab *)t;
	char num[48];
	size_t i;
	int rc;

	if (!t->csv_sheet)
		return LMS_OK;
	for (i = 0; i < t->n_cols; i++) {
		const lms_tab_cell *x = &cells[i];
		if (i && (rc = put(c, ",", 1, err)) < 0)
			return rc;
		if (x->null)
			continue;
		switch (t->cols[i].type) {
		case LMS_TAB_TEXT:
			if ((rc = put_field(c, x->s, err)) < 0)
				return rc;
			continue;
		case LMS_TAB_INT:
			snprintf(num, sizeof(num), "%lld", (long long)x->i);
			break;
		case LMS_TAB_NUM1:
		case LMS_TAB_PCT:
			lms_csv_num1(num, sizeof(num), x->d);
			break;
		case LMS_TAB_DATE:
			lms_day_format(x->i, num);
			break;
		default:
			num[0] = '\0';
			break;
		}
		if ((rc = put(c, num, strlen(num), err)) < 0)
			return rc;
	}
	t->rows++;
	return put(c, "\r\n", 2, err);
}

static int csv_finish(lms_tab *t, lms_err *err)
{
	csv_tab *c = (csv_tab *)t;
	int rc;

	if ((rc = start(c, err)) < 0)
		return rc;
	if ((rc = flush(c)) < 0)
		return lms_err_set(err, rc, NULL, NULL, "the file could not be written");
	return LMS_OK;
}

static void csv_destroy(lms_tab *t)
{
	free(t);
}

static const lms_tab_vt csv_vt = { csv_sheet, csv_row, csv_finish, csv_destroy };

int lms_tab_csv_new(lms_tab **out, lms_tab_sink sink, void *ctx, lms_err *err)
{
	csv_tab *c = calloc(1, sizeof(*c));

	if (!c)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	c->base.vt = &csv_vt;
	c->sink = sink;
	c->ctx = ctx;
	*out = &c->base;
	return LMS_OK;
}

int lms_tab_sheet(lms_tab *t, const char *name, const lms_tab_col *cols, size_t n, bool csv,
                  lms_err *err)
{
	int rc = t->vt->sheet(t, name, cols, n, csv, err);

	if (rc == 0) {
		t->cols = cols;
		t->n_cols = n;
		t->csv_sheet = csv;
	}
	return rc;
}

int lms_tab_row(lms_tab *t, const lms_tab_cell *cells, lms_err *err)
{
	return t->vt->row(t, cells, err);
}

int lms_tab_finish(lms_tab *t, lms_err *err)
{
	return t->vt->finish(t, err);
}

int64_t lms_tab_rows(const lms_tab *t)
{
	return t->rows;
}

void lms_tab_free(lms_tab *t)
{
	if (t)
		t->vt->destroy(t);
}
