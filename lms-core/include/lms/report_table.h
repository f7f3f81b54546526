/* report_table.h — tables written as files: one writer interface, two formats.
 *
 *   CSV  (report_table.c): UTF-8 with a byte-order mark (so that Excel reads Vietnamese
 *        right), CRLF line ends, RFC 4180 quoting; only the sheets marked csv are written
 *        (a CSV file holds one table). A text cell that begins with = + - @, a tab or a
 *        carriage return gets a leading apostrophe, so a spreadsheet never reads it as a
 *        formula (OWASP "CSV injection").
 *   XLSX (report_xlsx.c, libxlsxwriter): one sheet per section, Vietnamese headers in bold
 *        on a frozen first row, column widths, real number and date cells, every text cell
 *        written as a string (never a formula), constant-memory mode (rows go to a temporary
 *        file as they come, so a 150,000-row sheet keeps memory flat). The workbook is
 *        written to a file path; its creation time is given, so the same data give the
 *        same bytes.
 *
 * Use: lms_tab_sheet, then lms_tab_row for each row (one cell per column), ... then
 * lms_tab_finish; lms_tab_free always (NULL is fine). Errors are LMS_EINTERNAL (the library
 * failed) or the sink's code.
 */
#ifndef LMS_REPORT_TABLE_H
#define LMS_REPORT_TABLE_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum lms_tab_type {
	LMS_TAB_TEXT = 0,
	LMS_TAB_INT,       /* i */
	LMS_TAB_NUM1,      /* d, shown with one decimal */
	LMS_TAB_PCT,       /* d, a per cent value (66.7 means 66.7 %) */
	LMS_TAB_DATE       /* i, days since 1970-01-01 */
} lms_tab_type;

typedef struct lms_tab_col {
	const char *head;    /* the header, Vietnamese */
	lms_tab_type type;
	unsigned width;      /* in characters (XLSX) */
} lms_tab_col;

typedef struct lms_tab_cell {
	bool null;           /* an empty cell */
	const char *s;       /* LMS_TAB_TEXT (NULL is empty) */
	int64_t i;
	double d;
} lms_tab_cell;

typedef struct lms_tab lms_tab;

/* Where the CSV bytes go (an HTTP response, a file): 0 or a negative code. */
typedef int (*lms_tab_sink)(void *ctx, const void *buf, size_t n);

/* A CSV writer that sends its bytes to sink, in chunks of at most 64 KiB. */
int lms_tab_csv_new(lms_tab **out, lms_tab_sink sink, void *ctx, lms_err *err);
/* An XLSX writer whose workbook lands in path at lms_tab_finish (temporary files in tmpdir,
 * NULL for the system's); created_s is the document's creation time (seconds, UTC). */
int lms_tab_xlsx_new(lms_tab **out, const char *path, const char *tmpdir, int64_t created_s,
                     lms_err *err);

/* Starts a sheet (a name of at most 31 characters, none of []:*?/\); csv: written to a CSV
 * file. Columns are borrowed until the next sheet. */
int lms_tab_sheet(lms_tab *t, const char *name, const lms_tab_col *cols, size_t n, bool csv,
                  lms_err *err);
/* A row of the current sheet: n_cols cells. */
int lms_tab_row(lms_tab *t, const lms_tab_cell *cells, lms_err *err);
/* Writes what is left (the XLSX file). */
int lms_tab_finish(lms_tab *t, lms_err *err);
/* Rows written to sheets that reach the file (CSV: csv sheets; XLSX: all), headers not
 * counted. */
int64_t lms_tab_rows(const lms_tab *t);
void lms_tab_free(lms_tab *t);

/* The CSV text of one cell value (quoted when needed, neutralised when it starts like a
 * formula) appended to buf of size cap; returns the length it needs (like snprintf). For
 * tests and for callers that write CSV themselves. */
size_t lms_csv_field(char *buf, size_t cap, const char *s);

/* A number as the CSV writes it: one decimal, a decimal point in every locale, rounded half
 * away from zero (as the JSON pages round). */
void lms_csv_num1(char *out, size_t size, double d);

/* Cells. */
static inline lms_tab_cell lms_cell_text(const char *s)
{
	lms_tab_cell c = { s == NULL, s, 0, 0 };
	return c;
}
static inline lms_tab_cell lms_cell_int(int64_t i)
{
	lms_tab_cell c = { false, NULL, i, 0 };
	return c;
}
static inline lms_tab_cell lms_cell_num(double d)
{
	lms_tab_cell c = { false, NULL, 0, d };
	return c;
}
static inline lms_tab_cell lms_cell_null(void)
{
	lms_tab_cell c = { true, NULL, 0, 0 };
	return c;
}

/* Internal: the writer interface both formats implement. */
typedef struct lms_tab_vt {
	int (*sheet)(lms_tab *t, const char *name, const lms_tab_col *cols, size_t n, bool csv,
	             lms_err *err);
	int (*row)(lms_tab *t, const lms_tab_cell *cells, lms_err *err);
	int (*finish)(lms_tab *t, lms_err *err);
	void (*destroy)(lms_tab *t);
} lms_tab_vt;

struct lms_tab {
	const lms_tab_vt *vt;
	const lms_tab_col *cols;
	size_t n_cols;
	int64_t rows;
	bool csv_sheet;
};

#endif
