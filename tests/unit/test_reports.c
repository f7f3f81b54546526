/* test_reports.c — the HR reports' core (reports.h): the audience filters, the indicators'
 * names, the completion rate, what a store without reports answers, and the completion
 * report's CSV file built from known rows (one line per row, then the total; Vietnamese
 * headers; empty cells for a rate with nothing under it). */
#include "support.h"

#include "lms/report_table.h"
#include "lms/reports.h"

#include <string.h>

static void audience_filters(void **state)
{
	(void)state;
	lms_rep_query q;
	lms_err err;

	memset(&q, 0, sizeof(q));
	lms_err_clear(&err);
	assert_int_equal(lms_rep_parse_audience("leader", "par", &q, &err), 0);
	assert_int_equal(q.leader, LMS_REP_LEADERS);
	assert_int_equal(q.par, LMS_REP_PAR_STAFF);
	assert_string_equal(lms_rep_leader_name(q.leader), "leader");
	assert_string_equal(lms_rep_par_name(q.par), "par");
	assert_int_equal(lms_rep_parse_audience("", NULL, &q, &err), 0);
	assert_int_equal(q.leader, LMS_REP_ANYONE);
	assert_int_equal(q.par, LMS_REP_PAR_ANY);
	assert_int_equal(lms_rep_parse_audience("staff", "dedicated", &q, &err), 0);
	assert_int_equal(q.par, LMS_REP_PAR_DEDICATED);
	assert_int_equal(lms_rep_parse_audience("boss", NULL, &q, &err), LMS_EINVAL);
	assert_string_equal(err.field, "audience");
	assert_int_equal(lms_rep_parse_audience(NULL, "all", &q, &err), LMS_EINVAL);
	assert_string_equal(err.field, "par_role");
}

static void indicator_ids(void **state)
{
	(void)state;
	lms_rep_ind ind;
	lms_err err;
	int i;

	lms_err_clear(&err);
	for (i = 0; i < LMS_IND_COUNT; i++) {
		assert_int_equal(lms_rep_ind_parse(lms_rep_ind_id((lms_rep_ind)i), &ind, &err), 0);
		assert_int_equal(ind, i);
		assert_true(strlen(lms_rep_ind_label_vi((lms_rep_ind)i)) > 10);
	}
	assert_int_equal(lms_rep_ind_parse("leaders", &ind, &err), LMS_EINVAL);
	assert_string_equal(err.field, "id");
	assert_int_equal(lms_rep_ind_parse(NULL, &ind, &err), LMS_EINVAL);
}

static void rate(void **state)
{
	(void)state;
	lms_rep_counts c;

	memset(&c, 0, sizeof(c));
	assert_true(lms_rep_rate(&c) < 0); /* nothing enrolled: no rate, not 0 % */
	c.enrolled = 3;
	c.enrolled_done = 2;
	assert_true(lms_rep_rate(&c) > 66.6 && lms_rep_rate(&c) < 66.7);
}

static void a_store_without_reports_says_so(void **state)
{
	(void)state;
	fake_store *f = fake_store_new();
	lms_arena *a = lms_arena_new();
	lms_scope all = { true, NULL, 0 };
	lms_rep_query q;
	lms_unit root;
	lms_err err;

	memset(&q, 0, sizeof(q));
	lms_err_clear(&err);
	assert_int_equal(lms_rep_prepare(&f->store, &all, &q, a, &root, &err), LMS_EUNSUPPORTED);
	lms_arena_free(a);
	fake_store_free(f);
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

static void completion_file_has_the_rows_then_the_total(void **state)
{
	(void)state;
	lms_rep_unit_row rows[2];
	lms_rep_completion c;
	lms_rep_query q;
	lms_tab *t = NULL;
	lms_err err;
	buf b;
	const char *p;
	int lines = 0;

	memset(&c, 0, sizeof(c));
	memset(rows, 0, sizeof(rows));
	memset(&q, 0, sizeof(q));
	memset(&b, 0, sizeof(b));
	lms_err_clear(&err);
	assert_int_equal(lms_period_parse(&q.period, "2025-Q3", NULL, NULL, SUPPORT_T0, &err), 0);
	rows[0].code = "P-1";
	rows[0].name = "=Phường Một";
	rows[0].kind = "ward";
	rows[0].c.people = 10;
	rows[0].c.enrolled = 4;
	rows[0].c.enrolled_done = 1;
	rows[0].c.active_s = 5400;
	rows[1].code = "Q";
	rows[1].name = "Quận";
	rows[1].kind = "district";
	rows[1].own = true;
	c.rows = rows;
	c.n_rows = 2;
	c.total = rows[0].c;
	c.root.code = "Q";
	c.root.name = "Quận";
	c.root.kind = "district";
	assert_int_equal(lms_tab_csv_new(&t, to_buf, &b, &err), 0);
	assert_int_equal(lms_rep_file_completion(t, &q, &c, &err), 0);
	assert_int_equal(lms_tab_finish(t, &err), 0);
	assert_int_equal(lms_tab_rows(t), 3);
	lms_tab_free(t);
	for (p = b.data; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, 4); /* the header, two rows, the total */
	assert_non_null(strstr(b.data, "Mã đơn vị,Tên đơn vị,Loại,Số người cuối kỳ"));
	assert_non_null(strstr(b.data, "\r\nP-1,'=Phường Một,Phường,10,4,1,25.0,0,0,0,1.5,0.0,0,0.0,0\r\n"));
	/* the root's own people; no enrolment: no rate (empty), no average */
	assert_non_null(strstr(b.data, "\r\nQ,Quận (trực thuộc),\"Quận, huyện\",0,0,0,,0,0,0,0.0,0.0,0,,0\r\n"));
	assert_non_null(strstr(b.data, "\r\nQ,Tổng cộng,"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(audience_filters),
		cmocka_unit_test(indicator_ids),
		cmocka_unit_test(rate),
		cmocka_unit_test(a_store_without_reports_says_so),
		cmocka_unit_test(completion_file_has_the_rows_then_the_total),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
