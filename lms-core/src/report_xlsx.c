/* report_xlsx.c — the XLSX format of report_table.h, over libxlsxwriter (Debian
 * libxlsxwriter-dev): the one file that includes <xlsxwriter.h> (scripts/lint).
 *
 * Invariants: the workbook runs in constant-memory mode (each row is flushed to a temporary
 * file as the next one starts, strings written inline), so memory does not grow with the
 * rows; every text cell goes through worksheet_write_string — a cell is never a formula,
 * whatever it starts with; numbers are numbers, dates are real Excel dates (dd/mm/yyyy),
 * per cents are ratios shown as 0.0 %. The creation time is set by the caller, so the same
 * data give the same bytes (libxlsxwriter then uses it for the zip entries too).
 * It does not stream the zip itself: libxlsxwriter writes the file at workbook_close; the
 * caller sends that file on.
 */
#include "lms/report_table.h"

#include "lms/report_period.h"

#include <xlsxwriter.h>

#include <stdlib.h>
#include <string.h>

typedef struct xlsx_tab {
	lms_tab base;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *num1, *pct, *date;
	lxw_row_t row;
	bool closed;
} xlsx_tab;

static int lib_error(lms_err *err, lxw_error e, const char *what)
{
	return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "xlsx: %s: %s", what,
	                   lxw_strerror(e));
}

static int xlsx_sheet(lms_tab *t, const char *name, const lms_tab_col *cols, size_t n, bool csv,
                      lms_err *err)
{
	xlsx_tab *x = (xlsx_tab *)t;
	lxw_error e;
	size_t i;

	(void)csv;
	if (!(x->ws = workbook_add_worksheet(x->wb, name)))
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "xlsx: the sheet name is not valid");
	for (i = 0; i < n; i++) {
		lxw_format *f = cols[i].type == LMS_TAB_NUM1 ? x->num1
		                : cols[i].type == LMS_TAB_PCT ? x->pct
		                : cols[i].type == LMS_TAB_DATE ? x->date : NULL;
		if ((e = worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
		                              cols[i].width ? cols[i].width : 12, f)) != LXW_NO_ERROR)
			return lib_error(err, e, "column");
	}
	for (i = 0; i < n; i++)
		if ((e = worksheet_write_string(x->ws, 0, (lxw_col_t)i, cols[i].head, x->head)) !=
		    LXW_NO_ERROR)
			return lib_error(err, e, "header");
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	return LMS_OK;
}

static int xlsx_row(lms_tab *t, const lms_tab_cell *cells, lms_err *err)
{
	xlsx_tab *x = (xlsx_tab *)t;
	lxw_error e = LXW_NO_ERROR;
	size_t i;

	if (!x->ws)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "xlsx: a row before a sheet");
	if (x->row >= LXW_ROW_MAX)
		return lms_err_set(err, LMS_ETOOBIG, "too_many_rows", NULL,
		                   "more rows than a sheet holds (%u)", (unsigned)LXW_ROW_MAX);
	for (i = 0; i < t->n_cols && e == LXW_NO_ERROR; i++) {
		const lms_tab_cell *c = &cells[i];
		lxw_col_t col = (lxw_col_t)i;
		if (c->null)
			continue;
		switch (t->cols[i].type) {
		case LMS_TAB_TEXT:
			if (c->s && *c->s)
				e = worksheet_write_string(x->ws, x->row, col, c->s, NULL);
			break;
		case LMS_TAB_INT:
			e = worksheet_write_number(x->ws, x->row, col, (double)c->i, NULL);
			break;
		case LMS_TAB_NUM1:
			e = worksheet_write_number(x->ws, x->row, col, c->d, x->num1);
			break;
		case LMS_TAB_PCT:
			e = worksheet_write_number(x->ws, x->row, col, c->d / 100.0, x->pct);
			break;
		case LMS_TAB_DATE: {
			char d[11];
			lxw_datetime dt;
			lms_day_format(c->i, d);
			memset(&dt, 0, sizeof(dt));
			dt.year = (int)strtol(d, NULL, 10);
			dt.month = (int)strtol(d + 5, NULL, 10);
			dt.day = (int)strtol(d + 8, NULL, 10);
			e = worksheet_write_datetime(x->ws, x->row, col, &dt, x->date);
			break;
		}
		}
	}
	if (e != LXW_NO_ERROR)
		return lib_error(err, e, "cell");
	x->row++;
	t->rows++;
	return LMS_OK;
}

static int xlsx_finish(lms_tab *t, lms_err *err)
{
	xlsx_tab *x = (xlsx_tab *)t;
	lxw_error e;

	if (x->closed)
		return LMS_OK;
	x->closed = true;
	e = workbook_close(x->wb); /* writes the file and frees the workbook */
	x->wb = NULL;
	if (e != LXW_NO_ERROR)
		return lib_error(err, e, "the workbook could not be written");
	return LMS_OK;
}

static void xlsx_destroy(lms_tab *t)
{
	xlsx_tab *x = (xlsx_tab *)t;

	if (x->wb)
		lxw_workbook_free(x->wb); /* never closed: nothing is written */
	free(x);
}

static const lms_tab_vt xlsx_vt = { xlsx_sheet, xlsx_row, xlsx_finish, xlsx_destroy };

/* lxw_doc_properties takes char *; the library only reads it. */
static char doc_title[] = "parlearn";

int lms_tab_xlsx_new(lms_tab **out, const char *path, const char *tmpdir, int64_t created_s,
                     lms_err *err)
{
	lxw_workbook_options opt;
	lxw_doc_properties props;
	xlsx_tab *x = calloc(1, sizeof(*x));

	if (!x)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = (char *)(uintptr_t)tmpdir; /* the library does not write through it */
	opt.use_zip64 = LXW_FALSE;
	if (!(x->wb = workbook_new_opt(path, &opt))) {
		free(x);
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "xlsx: the workbook could not be made");
	}
	memset(&props, 0, sizeof(props));
	props.title = doc_title;
	props.author = doc_title;
	props.created = (time_t)created_s;
	if (workbook_set_properties(x->wb, &props) != LXW_NO_ERROR ||
	    !(x->head = workbook_add_format(x->wb)) || !(x->num1 = workbook_add_format(x->wb)) ||
	    !(x->pct = workbook_add_format(x->wb)) || !(x->date = workbook_add_format(x->wb))) {
		lxw_workbook_free(x->wb);
		free(x);
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "xlsx: the workbook could not be made");
	}
	format_set_bold(x->head);
	format_set_text_wrap(x->head);
	format_set_num_format(x->num1, "0.0");
	format_set_num_format(x->pct, "0.0%");
	format_set_num_format(x->date, "dd/mm/yyyy");
	x->base.vt = &xlsx_vt;
	*out = &x->base;
	return LMS_OK;
}
