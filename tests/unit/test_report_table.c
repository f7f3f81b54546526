/* test_report_table.c — the report files (report_table.h): CSV with a BOM, CRLF and RFC 4180
 * quoting, formula-like text neutralised; XLSX whose sheets hold strings as strings (no
 * formula element anywhere), numbers as numbers, a frozen header, and the same bytes for the
 * same data. The XLSX is opened again with the project's zip reader. */
#include "support.h"

#include "lms/package_zip.h"
#include "lms/report.h"
#include "lms/report_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct buf {
	char data[8192];
	size_t n;
	int calls;
} buf;

static int to_buf(void *ctx, const void *p, size_t n)
{
	buf *b = ctx;

	if (b->n + n >= sizeof(b->data))
		return LMS_ETOOBIG;
	memcpy(b->data + b->n, p, n);
	b->n += n;
	b->data[b->n] = '\0';
	b->calls++;
	return 0;
}

static const lms_tab_col cols[] = {
	{ "Họ và tên", LMS_TAB_TEXT, 20 },
	{ "Số", LMS_TAB_INT, 8 },
	{ "Giờ", LMS_TAB_NUM1, 8 },
	{ "Tỷ lệ (%)", LMS_TAB_PCT, 8 },
	{ "Ngày", LMS_TAB_DATE, 12 },
};

static const char *hostile[] = { "=HYPERLINK(\"http://x.example/\",\"bấm\")", "+1+1", "-2+3",
	                             "@SUM(A1:A2)", "\tcmd", "\rcmd", "Nguyễn \"Tí\", Ba\nDòng" };
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static int write_table(lms_tab *t, lms_err *err)
{
	static const lms_tab_col other[] = { { "Khác", LMS_TAB_TEXT, 10 } };
	size_t i;
	int rc;

	if ((rc = lms_tab_sheet(t, "Bảng chính", cols, 5, true, err)) < 0)
		return rc;
	for (i = 0; i < N_HOSTILE; i++) {
		lms_tab_cell c[5] = { lms_cell_text(hostile[i]), lms_cell_int(-7 - (int64_t)i),
			                  lms_cell_num(12.25), lms_cell_num(66.666), lms_cell_int(20270) };
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	{
		lms_tab_cell c[5] = { lms_cell_null(), lms_cell_null(), lms_cell_null(), lms_cell_null(),
			                  lms_cell_null() };
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	/* a second sheet: in the XLSX, never in the CSV */
	if ((rc = lms_tab_sheet(t, "Thông tin", other, 1, false, err)) < 0)
		return rc;
	{
		lms_tab_cell c[1] = { lms_cell_text("KHÔNG-TRONG-CSV") };
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	return lms_tab_finish(t, err);
}

static void csv_is_excel_friendly_and_neutralised(void **state)
{
	(void)state;
	buf b;
	lms_tab *t = NULL;
	lms_err err;
	const char *line;

	memset(&b, 0, sizeof(b));
	lms_err_clear(&err);
	assert_int_equal(lms_tab_csv_new(&t, to_buf, &b, &err), 0);
	assert_int_equal(write_table(t, &err), 0);
	assert_int_equal(lms_tab_rows(t), (int64_t)N_HOSTILE + 1); /* the other sheet is not in it */
	lms_tab_free(t);
	/* BOM, then the header, CRLF */
	assert_memory_equal(b.data, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(b.data, "Họ và tên,Số,Giờ,Tỷ lệ (%),Ngày\r\n"));
	/* every formula-like cell starts with an apostrophe; numbers are numbers */
	assert_non_null(strstr(b.data, "\r\n\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"bấm\"\")\",-7,12.2,66.7,2025-07-01\r\n") ||
	                strstr(b.data, "\r\n\"'=HYPERLINK(\"\"http://x.example/\"\",\"\"bấm\"\")\",-7,12.3,66.7,2025-07-01\r\n"));
	assert_non_null(strstr(b.data, "\r\n'+1+1,-8,"));
	assert_non_null(strstr(b.data, "\r\n'-2+3,-9,"));
	assert_non_null(strstr(b.data, "\r\n'@SUM(A1:A2),-10,"));
	assert_non_null(strstr(b.data, "\r\n'\tcmd,-11,"));
	assert_non_null(strstr(b.data, "\r\n\"'\rcmd\",-12,")); /* CR: quoted too */
	/* quotes doubled, a comma and a newline kept inside quotes (RFC 4180) */
	assert_non_null(strstr(b.data, "\r\n\"Nguyễn \"\"Tí\"\", Ba\nDòng\",-13,"));
	/* the empty row */
	assert_non_null(strstr(b.data, "\r\n,,,,\r\n"));
	assert_null(strstr(b.data, "KHÔNG-TRONG-CSV"));
	/* no line starts with a formula character (outside quotes) */
	for (line = b.data; (line = strstr(line, "\r\n")); line += 2)
		assert_true(line[2] != '=' && line[2] != '+' && line[2] != '-' && line[2] != '@');
}

static void csv_field_alone(void **state)
{
	(void)state;
	char out[64];

	assert_int_equal(lms_csv_field(out, sizeof(out), "plain"), 5);
	assert_string_equal(out, "plain");
	assert_int_equal(lms_csv_field(out, sizeof(out), "a,b"), 5);
	assert_string_equal(out, "\"a,b\"");
	assert_int_equal(lms_csv_field(out, sizeof(out), "=1"), 3);
	assert_string_equal(out, "'=1");
	assert_int_equal(lms_csv_field(out, sizeof(out), NULL), 0);
	/* too small: truncated, the needed length returned */
	assert_int_equal(lms_csv_field(out, 3, "abcdef"), 6);
	assert_string_equal(out, "ab");
}

static char *read_entry(const char *path, const char *name)
{
	lms_arena *a = lms_arena_new();
	lms_report rep;
	lms_pkgzip_limits lim;
	lms_pkgzip *z = NULL;
	lms_err err;
	char *text = NULL;
	size_t len;
	long i;

	lms_err_clear(&err);
	lms_report_init(&rep, a);
	lms_pkgzip_limits_default(&lim);
	assert_int_equal(lms_pkgzip_open(path, &lim, &rep, &z, &err), 0);
	i = lms_pkgzip_find(z, name);
	if (i >= 0)
		assert_int_equal(lms_pkgzip_read(z, (size_t)i, 1 << 20, &text, &len, &err), 0);
	lms_pkgzip_close(z);
	lms_arena_free(a);
	return text;
}

static void xlsx_holds_strings_never_formulas(void **state)
{
	(void)state;
	char path[] = "/tmp/parlearn-xlsx-XXXXXX", path2[] = "/tmp/parlearn-xlsx-XXXXXX";
	lms_tab *t = NULL;
	lms_err err;
	char *sheet, *wb, *a, *b;
	FILE *f1, *f2;
	long n1, n2;
	int fd;

	lms_err_clear(&err);
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(lms_tab_xlsx_new(&t, path, NULL, 1759251600, &err), 0);
	assert_int_equal(write_table(t, &err), 0);
	assert_int_equal(lms_tab_rows(t), (int64_t)N_HOSTILE + 2);
	lms_tab_free(t);

	wb = read_entry(path, "xl/workbook.xml");
	assert_non_null(wb);
	assert_non_null(strstr(wb, "name=\"Bảng chính\""));
	assert_non_null(strstr(wb, "name=\"Thông tin\""));
	free(wb);
	sheet = read_entry(path, "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	assert_null(strstr(sheet, "<f>"));
	assert_null(strstr(sheet, "<f "));
	/* the hostile text is there, as text */
	assert_non_null(strstr(sheet, "=HYPERLINK(&quot;http://x.example/&quot;,&quot;bấm&quot;)") ||
	                strstr(sheet, "=HYPERLINK(\"http://x.example/\",\"bấm\")"));
	assert_non_null(strstr(sheet, "t=\"inlineStr\"") || strstr(sheet, "t=\"s\""));
	/* numbers are numbers, the header row frozen */
	assert_non_null(strstr(sheet, "<v>-7</v>"));
	assert_non_null(strstr(sheet, "state=\"frozen\""));
	free(sheet);

	/* the same data, the same creation time: the same bytes */
	assert_true((fd = mkstemp(path2)) >= 0);
	close(fd);
	assert_int_equal(lms_tab_xlsx_new(&t, path2, NULL, 1759251600, &err), 0);
	assert_int_equal(write_table(t, &err), 0);
	lms_tab_free(t);
	f1 = fopen(path, "rb");
	f2 = fopen(path2, "rb");
	assert_non_null(f1);
	assert_non_null(f2);
	fseek(f1, 0, SEEK_END);
	fseek(f2, 0, SEEK_END);
	n1 = ftell(f1);
	n2 = ftell(f2);
	assert_int_equal(n1, n2);
	rewind(f1);
	rewind(f2);
	a = malloc((size_t)n1);
	b = malloc((size_t)n2);
	assert_int_equal(fread(a, 1, (size_t)n1, f1), (size_t)n1);
	assert_int_equal(fread(b, 1, (size_t)n2, f2), (size_t)n2);
	assert_memory_equal(a, b, (size_t)n1);
	free(a);
	free(b);
	fclose(f1);
	fclose(f2);
	unlink(path);
	unlink(path2);
}

static void a_bad_sheet_name_fails_cleanly(void **state)
{
	(void)state;
	char path[] = "/tmp/parlearn-xlsx-XXXXXX";
	lms_tab *t = NULL;
	lms_err err;
	int fd;

	lms_err_clear(&err);
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	assert_int_equal(lms_tab_xlsx_new(&t, path, NULL, 0, &err), 0);
	assert_int_equal(lms_tab_sheet(t, "bad/name", cols, 5, true, &err), LMS_EINTERNAL);
	lms_tab_free(t); /* never closed: freed without writing */
	unlink(path);
}

static int failing_sink(void *ctx, const void *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return LMS_EUNAVAIL;
}

static void a_failing_sink_stops_the_csv(void **state)
{
	(void)state;
	lms_tab *t = NULL;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_tab_csv_new(&t, failing_sink, NULL, &err), 0);
	assert_int_equal(write_table(t, &err), LMS_EUNAVAIL);
	lms_tab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_is_excel_friendly_and_neutralised),
		cmocka_unit_test(csv_field_alone),
		cmocka_unit_test(xlsx_holds_strings_never_formulas),
		cmocka_unit_test(a_bad_sheet_name_fails_cleanly),
		cmocka_unit_test(a_failing_sink_stops_the_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
