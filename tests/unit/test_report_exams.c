/* test_report_exams.c — the HR reports' quiz and exam section and talent-pool list in the core
 * (reports.h): averages and pass rates with nothing under them, the filters' words, and the
 * exam results' CSV built from known lines (the unit lines then the total, the ten bands);
 * and the CSV's numbers: a decimal point and the JSON's rounding whatever the locale. */
#include "support.h"

#include "lms/report_table.h"
#include "lms/reports.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static void averages_and_rates(void **state)
{
	(void)state;
	lms_rep_exam_counts c;

	memset(&c, 0, sizeof(c));
	assert_true(lms_rep_exam_avg(&c) < 0); /* no attempt: no average, not 0 % */
	assert_true(lms_rep_exam_pass_rate(&c) < 0);
	c.attempts = 4;
	c.passed = 1;
	c.score_sum = 205;
	assert_true(lms_rep_exam_avg(&c) > 51.249 && lms_rep_exam_avg(&c) < 51.251);
	assert_true(lms_rep_exam_pass_rate(&c) > 24.99 && lms_rep_exam_pass_rate(&c) < 25.01);
}

static void filter_words(void **state)
{
	(void)state;
	lms_rep_query q;
	lms_err err;

	memset(&q, 0, sizeof(q));
	lms_err_clear(&err);
	assert_int_equal(lms_rep_parse_akind("exam", &q, &err), 0);
	assert_int_equal(q.akind, LMS_REP_AK_EXAM);
	assert_string_equal(lms_rep_akind_name(q.akind), "exam");
	assert_int_equal(lms_rep_parse_akind("quiz", &q, &err), 0);
	assert_int_equal(q.akind, LMS_REP_AK_QUIZ);
	assert_int_equal(lms_rep_parse_akind("", &q, &err), 0);
	assert_int_equal(q.akind, LMS_REP_AK_ANY);
	assert_string_equal(lms_rep_akind_name(q.akind), "");
	assert_int_equal(lms_rep_parse_akind("Exam", &q, &err), LMS_EINVAL);
	assert_string_equal(err.field, "kind");
	assert_int_equal(lms_rep_parse_pool_status("approved", &q, &err), 0);
	assert_int_equal(q.pool_status, 2);
	assert_string_equal(lms_rep_pool_status_name(q.pool_status), "approved");
	assert_int_equal(lms_rep_parse_pool_status(NULL, &q, &err), 0);
	assert_int_equal(q.pool_status, 0);
	assert_int_equal(lms_rep_parse_pool_status("done", &q, &err), LMS_EINVAL);
	assert_string_equal(err.field, "status");
}

typedef struct buf {
	char data[8192];
	size_t n;
} buf;

static int to_buf(void *ctx, const void *p, size_t n)
{
	buf *b = ctx;

	if (b->n + n >= sizeof(b->data))
		return LMS_ETOOBIG;
	memcpy(b->data + b->n, p, n);
	b->n += n;
	b->data[b->n] = '\0';
	return 0;
}

static void exams_file_has_the_lines_then_the_total(void **state)
{
	(void)state;
	lms_rep_exam_line rows[2], asm1;
	lms_rep_exams e;
	lms_rep_query q;
	lms_tab *t = NULL;
	lms_err err;
	buf b;
	const char *p;
	int lines = 0;

	memset(&e, 0, sizeof(e));
	memset(rows, 0, sizeof(rows));
	memset(&asm1, 0, sizeof(asm1));
	memset(&q, 0, sizeof(q));
	memset(&b, 0, sizeof(b));
	lms_err_clear(&err);
	assert_int_equal(lms_period_parse(&q.period, "2025-Q1", NULL, NULL, SUPPORT_T0, &err), 0);
	rows[0].code = "P-1";
	rows[0].name = "+Phường Một";
	rows[0].kind = "ward";
	rows[0].c.attempts = 4;
	rows[0].c.people = 2;
	rows[0].c.passed = 2;
	rows[0].c.score_sum = 205; /* 70 + 100 + 35 + 0: an average of 51.25, shown 51.3 */
	rows[0].c.bands[0] = 1;
	rows[0].c.bands[3] = 1;
	rows[0].c.bands[7] = 1;
	rows[0].c.bands[9] = 1;
	rows[1].code = "Q";
	rows[1].name = "Quận";
	rows[1].kind = "district";
	rows[1].own = true;
	rows[1].c.pending = 1; /* an essay waits: not counted, shown */
	asm1.code = "EX1";
	asm1.name = "Sát hạch";
	asm1.kind = "exam";
	snprintf(asm1.published, sizeof(asm1.published), "2025-03-30");
	asm1.c = rows[0].c;
	e.rows = rows;
	e.n_rows = 2;
	e.total = rows[0].c;
	e.total.pending = 1;
	e.assessments = &asm1;
	e.n_assessments = 1;
	e.root.code = "Q";
	e.root.name = "Quận";
	e.root.kind = "district";
	assert_int_equal(lms_tab_csv_new(&t, to_buf, &b, &err), 0);
	assert_int_equal(lms_rep_file_exams(t, &q, &e, &err), 0);
	assert_int_equal(lms_tab_finish(t, &err), 0);
	assert_int_equal(lms_tab_rows(t), 3); /* the CSV holds the first sheet only */
	lms_tab_free(t);
	for (p = b.data; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 4);
	assert_non_null(strstr(b.data, "Mã đơn vị,Tên đơn vị,Loại,Lượt làm bài được tính,Số người,"
	                               "Điểm trung bình (%),Tỷ lệ đạt (%),"));
	assert_non_null(strstr(b.data, ",0–10 %,10–20 %,20–30 %,30–40 %,40–50 %,50–60 %,60–70 %,"
	                               "70–80 %,80–90 %,90–100 %\r\n"));
	assert_non_null(strstr(b.data, "\r\nP-1,'+Phường Một,Phường,4,2,51.3,50.0,0,1,0,0,1,0,0,0,1,0,1\r\n"));
	/* the root's own people: no attempt, no average and no rate (empty cells) */
	assert_non_null(strstr(b.data, "\r\nQ,Quận (trực thuộc),\"Quận, huyện\",0,0,,,1,0,0,0,0,0,0,0,0,0,0\r\n"));
	assert_non_null(strstr(b.data, "\r\nQ,Tổng cộng,\"Quận, huyện\",4,2,51.3,50.0,1,"));
}

static void csv_numbers_have_a_point_in_any_locale(void **state)
{
	(void)state;
	char out[48];

	/* a locale whose decimal separator is a comma, when the machine has one */
	if (!setlocale(LC_NUMERIC, "vi_VN.UTF-8") && !setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		setlocale(LC_NUMERIC, "C");
	lms_csv_num1(out, sizeof(out), 51.25);
	assert_string_equal(out, "51.3");
	lms_csv_num1(out, sizeof(out), 66.66666);
	assert_string_equal(out, "66.7");
	lms_csv_num1(out, sizeof(out), 0);
	assert_string_equal(out, "0.0");
	lms_csv_num1(out, sizeof(out), 1.5);
	assert_string_equal(out, "1.5");
	lms_csv_num1(out, sizeof(out), -2.25);
	assert_string_equal(out, "-2.3");
	lms_csv_num1(out, sizeof(out), 123456.04);
	assert_string_equal(out, "123456.0");
	setlocale(LC_NUMERIC, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(averages_and_rates),
		cmocka_unit_test(filter_words),
		cmocka_unit_test(exams_file_has_the_lines_then_the_total),
		cmocka_unit_test(csv_numbers_have_a_point_in_any_locale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
