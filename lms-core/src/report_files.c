/* report_files.c — the HR reports as files (reports.h, report_table.h): the same rows the
 * page shows, with Vietnamese headers, written through a table writer (CSV or XLSX), so
 * that the web and `parlearn report` give the same bytes for the same parameters.
 *
 * Each file's first sheet is its table (the one a CSV file holds); the others are the
 * series and "Thông tin", the parameters the numbers answer. The file names no time of
 * making: the data are what change, not the file.
 */
#include "lms/reports.h"

#include "lms/report_table.h"

#include <stdio.h>
#include <string.h>

#define TEXT(s) lms_cell_text(s)
#define INT(i) lms_cell_int(i)

const char *lms_rep_par_role_vi(const char *par_role)
{
	if (!par_role)
		return "";
	if (strcmp(par_role, "dedicated") == 0)
		return "Chuyên trách";
	if (strcmp(par_role, "concurrent") == 0)
		return "Kiêm nhiệm";
	return "";
}

const char *lms_rep_kind_vi(const char *kind)
{
	static const char *const map[][2] = {
		{ "city", "Thành phố" },   { "department", "Sở, ngành" }, { "office", "Phòng, đơn vị" },
		{ "district", "Quận, huyện" }, { "ward", "Phường" },       { "commune", "Xã" },
		{ "special_zone", "Đặc khu" }, { "other", "Khác" },
	};
	size_t i;

	for (i = 0; kind && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(kind, map[i][0]) == 0)
			return map[i][1];
	return kind ? kind : "";
}

static const char *yes_no(bool b)
{
	return b ? "Có" : "Không";
}

static double hours(int64_t s)
{
	return (double)s / 3600.0;
}

/* ---- "Thông tin": what the numbers answer ---- */

static int info_sheet(lms_tab *t, const char *report, const lms_rep_query *q, const lms_unit *root,
                      lms_err *err)
{
	static const lms_tab_col cols[] = {
		{ "Mục", LMS_TAB_TEXT, 28 }, { "Giá trị", LMS_TAB_TEXT, 60 }, { "Ngày", LMS_TAB_DATE, 12 },
	};
	char unit[300];
	const char *leader = q->leader == LMS_REP_LEADERS ? "Lãnh đạo"
	                     : q->leader == LMS_REP_STAFF ? "Không giữ chức vụ lãnh đạo" : "Tất cả";
	const char *par = q->par == LMS_REP_PAR_STAFF ? "Làm công tác CCHC (chuyên trách, kiêm nhiệm)"
	                  : q->par == LMS_REP_PAR_DEDICATED ? "Chuyên trách CCHC"
	                  : q->par == LMS_REP_PAR_CONCURRENT ? "Kiêm nhiệm CCHC"
	                  : q->par == LMS_REP_PAR_NONE ? "Không làm công tác CCHC" : "Tất cả";
	struct {
		const char *k, *v;
		bool date;
		int64_t day;
	} rows[] = {
		{ "Báo cáo", report, false, 0 },
		{ "Đơn vị", unit, false, 0 },
		{ "Kỳ báo cáo", q->period.label, false, 0 },
		{ "Từ ngày", NULL, true, q->period.from_day },
		{ "Đến ngày", NULL, true, q->period.to_day },
		{ "Khóa học", q->course_code ? q->course_code : "Tất cả", false, 0 },
		{ "Lĩnh vực CCHC", q->par_area ? q->par_area : "Tất cả", false, 0 },
		{ "Đối tượng", leader, false, 0 },
		{ "Vai trò CCHC", par, false, 0 },
		{ "Giờ", "Giờ Việt Nam (UTC+7); ngày đầu và ngày cuối đều tính", false, 0 },
		{ "Nguồn", "parlearn — docs/reports.md giải thích từng số liệu", false, 0 },
	};
	size_t i;
	int rc;

	snprintf(unit, sizeof(unit), "%s — %s", root->code, root->name);
	if ((rc = lms_tab_sheet(t, "Thông tin", cols, 3, false, err)) < 0)
		return rc;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lms_tab_cell c[3] = { TEXT(rows[i].k), TEXT(rows[i].v),
			                  rows[i].date ? INT(rows[i].day) : lms_cell_null() };
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	/* the filters of the sections that have them, only when set */
	if (q->assessment_code || q->akind) {
		lms_tab_cell a[3] = { TEXT("Bài kiểm tra"),
			                  TEXT(q->assessment_code ? q->assessment_code : "Tất cả"),
			                  lms_cell_null() };
		lms_tab_cell k[3] = { TEXT("Loại bài"),
			                  TEXT(q->akind == LMS_REP_AK_QUIZ   ? "Bài kiểm tra"
			                       : q->akind == LMS_REP_AK_EXAM ? "Kỳ sát hạch"
			                                                     : "Tất cả"),
			                  lms_cell_null() };
		if ((rc = lms_tab_row(t, a, err)) < 0 || (rc = lms_tab_row(t, k, err)) < 0)
			return rc;
	}
	if (q->pool_status) {
		lms_tab_cell st[3] = { TEXT("Trạng thái"),
			                   TEXT(q->pool_status == 1   ? "Chờ phê duyệt"
			                        : q->pool_status == 2 ? "Đã phê duyệt"
			                                              : "Từ chối"),
			                   lms_cell_null() };
		if ((rc = lms_tab_row(t, st, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

/* ---- the completion report ---- */

static const lms_tab_col unit_cols[] = {
	{ "Mã đơn vị", LMS_TAB_TEXT, 12 },
	{ "Tên đơn vị", LMS_TAB_TEXT, 40 },
	{ "Loại", LMS_TAB_TEXT, 14 },
	{ "Số người cuối kỳ", LMS_TAB_INT, 12 },
	{ "Ghi danh trong kỳ", LMS_TAB_INT, 12 },
	{ "Trong đó đã hoàn thành", LMS_TAB_INT, 14 },
	{ "Tỷ lệ hoàn thành (%)", LMS_TAB_PCT, 12 },
	{ "Lượt hoàn thành trong kỳ", LMS_TAB_INT, 14 },
	{ "Hoàn thành không đạt", LMS_TAB_INT, 12 },
	{ "Quá hạn cuối kỳ", LMS_TAB_INT, 12 },
	{ "Giờ học (máy chủ đo)", LMS_TAB_NUM1, 14 },
	{ "Giờ học (nội dung báo)", LMS_TAB_NUM1, 14 },
	{ "Tiết học từ đầu năm", LMS_TAB_INT, 12 },
	{ "Tiết bình quân mỗi người", LMS_TAB_NUM1, 12 },
	{ "Số người đạt 40 tiết", LMS_TAB_INT, 12 },
};
#define UNIT_COLS (sizeof(unit_cols) / sizeof(unit_cols[0]))

static void counts_cells(lms_tab_cell *c, const lms_rep_counts *n)
{
	double rate = lms_rep_rate(n);

	c[0] = INT(n->people);
	c[1] = INT(n->enrolled);
	c[2] = INT(n->enrolled_done);
	c[3] = rate < 0 ? lms_cell_null() : lms_cell_num(rate);
	c[4] = INT(n->completed);
	c[5] = INT(n->failed);
	c[6] = INT(n->overdue);
	c[7] = lms_cell_num(hours(n->active_s));
	c[8] = lms_cell_num(hours(n->reported_s));
	c[9] = INT(n->periods);
	c[10] = n->people ? lms_cell_num((double)n->periods / (double)n->people) : lms_cell_null();
	c[11] = INT(n->at_target);
}

static int series_sheet(lms_tab *t, const lms_rep_completion *r, char kind, const char *name,
                        lms_err *err)
{
	static const lms_tab_col cols3[] = {
		{ "Tháng", LMS_TAB_TEXT, 10 }, { "Ghi danh", LMS_TAB_INT, 12 }, { "Hoàn thành", LMS_TAB_INT, 12 },
	};
	static const lms_tab_col cols_a[] = {
		{ "Lĩnh vực CCHC", LMS_TAB_TEXT, 30 }, { "Ghi danh", LMS_TAB_INT, 12 },
		{ "Hoàn thành", LMS_TAB_INT, 12 },
	};
	static const lms_tab_col cols_c[] = {
		{ "Mã khóa học", LMS_TAB_TEXT, 14 }, { "Tên khóa học", LMS_TAB_TEXT, 50 },
		{ "Ghi danh", LMS_TAB_INT, 12 },     { "Hoàn thành", LMS_TAB_INT, 12 },
	};
	size_t i;
	int rc;

	if (kind == 'c')
		rc = lms_tab_sheet(t, name, cols_c, 4, false, err);
	else
		rc = lms_tab_sheet(t, name, kind == 'm' ? cols3 : cols_a, 3, false, err);
	if (rc < 0)
		return rc;
	for (i = 0; i < r->n_series; i++) {
		const lms_rep_series *x = &r->series[i];
		lms_tab_cell c[4];
		if (x->kind != kind)
			continue;
		if (kind == 'c') {
			c[0] = TEXT(x->key);
			c[1] = TEXT(x->label);
			c[2] = INT(x->enrolled);
			c[3] = INT(x->completed);
		} else {
			c[0] = TEXT(*x->key ? x->key : "(không ghi)");
			c[1] = INT(x->enrolled);
			c[2] = INT(x->completed);
		}
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

int lms_rep_file_completion(lms_tab *t, const lms_rep_query *q, const lms_rep_completion *r,
                            lms_err *err)
{
	lms_tab_cell c[UNIT_COLS];
	char own[300];
	size_t i;
	int rc;

	if ((rc = lms_tab_sheet(t, "Đơn vị", unit_cols, UNIT_COLS, true, err)) < 0)
		return rc;
	for (i = 0; i < r->n_rows; i++) {
		const lms_rep_unit_row *u = &r->rows[i];
		snprintf(own, sizeof(own), "%s (trực thuộc)", u->name);
		c[0] = TEXT(u->code);
		c[1] = TEXT(u->own ? own : u->name);
		c[2] = TEXT(lms_rep_kind_vi(u->kind));
		counts_cells(c + 3, &u->c);
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	c[0] = TEXT(r->root.code);
	c[1] = TEXT("Tổng cộng");
	c[2] = TEXT(lms_rep_kind_vi(r->root.kind));
	counts_cells(c + 3, &r->total);
	if ((rc = lms_tab_row(t, c, err)) < 0 ||
	    (rc = series_sheet(t, r, 'm', "Theo tháng", err)) < 0 ||
	    (rc = series_sheet(t, r, 'a', "Theo lĩnh vực", err)) < 0 ||
	    (rc = series_sheet(t, r, 'c', "Theo khóa học", err)) < 0 ||
	    (rc = info_sheet(t, "Hoàn thành và thời gian học theo đơn vị", q, &r->root, err)) < 0)
		return rc;
	if (r->n_preds) {
		static const lms_tab_col pcols[] = {
			{ "Mã đơn vị cũ", LMS_TAB_TEXT, 14 }, { "Tên đơn vị cũ", LMS_TAB_TEXT, 36 },
			{ "Hết hiệu lực", LMS_TAB_TEXT, 12 }, { "Đơn vị kế thừa", LMS_TAB_TEXT, 14 },
		};
		if ((rc = lms_tab_sheet(t, "Đơn vị tiền nhiệm", pcols, 4, false, err)) < 0)
			return rc;
		for (i = 0; i < r->n_preds; i++) {
			lms_tab_cell p[4] = { TEXT(r->preds[i].code), TEXT(r->preds[i].name),
				                  TEXT(r->preds[i].valid_to), TEXT(r->preds[i].successor_code) };
			if ((rc = lms_tab_row(t, p, err)) < 0)
				return rc;
		}
	}
	return LMS_OK;
}

/* ---- the people ---- */

static const lms_tab_col people_cols[] = {
	{ "Mã cán bộ", LMS_TAB_TEXT, 12 },
	{ "Họ và tên", LMS_TAB_TEXT, 28 },
	{ "Mã đơn vị", LMS_TAB_TEXT, 12 },
	{ "Đơn vị", LMS_TAB_TEXT, 32 },
	{ "Chức vụ", LMS_TAB_TEXT, 20 },
	{ "Lãnh đạo", LMS_TAB_TEXT, 9 },
	{ "Vai trò CCHC", LMS_TAB_TEXT, 13 },
	{ "Có mặt cuối kỳ", LMS_TAB_TEXT, 9 },
	{ "Ghi danh trong kỳ", LMS_TAB_INT, 12 },
	{ "Trong đó đã hoàn thành", LMS_TAB_INT, 14 },
	{ "Lượt hoàn thành trong kỳ", LMS_TAB_INT, 14 },
	{ "Hoàn thành không đạt", LMS_TAB_INT, 12 },
	{ "Quá hạn cuối kỳ", LMS_TAB_INT, 12 },
	{ "Giờ học (máy chủ đo)", LMS_TAB_NUM1, 14 },
	{ "Giờ học (nội dung báo)", LMS_TAB_NUM1, 14 },
	{ "Tiết học từ đầu năm", LMS_TAB_INT, 12 },
	{ "Đạt 40 tiết", LMS_TAB_TEXT, 9 },
};
#define PEOPLE_COLS (sizeof(people_cols) / sizeof(people_cols[0]))

typedef struct file_ctx {
	lms_tab *t;
	int64_t n;
} file_ctx;

static int person_row(void *ctx, const lms_rep_person_row *p, lms_err *err)
{
	file_ctx *f = ctx;
	lms_tab_cell c[PEOPLE_COLS] = {
		TEXT(p->employee_code), TEXT(p->full_name), TEXT(p->unit_code), TEXT(p->unit_name),
		TEXT(p->position), TEXT(yes_no(p->is_leader)), TEXT(lms_rep_par_role_vi(p->par_role)),
		TEXT(yes_no(p->on_roster)), INT(p->c.enrolled), INT(p->c.enrolled_done),
		INT(p->c.completed), INT(p->c.failed), INT(p->c.overdue),
		lms_cell_num(hours(p->c.active_s)), lms_cell_num(hours(p->c.reported_s)),
		INT(p->periods_year), TEXT(yes_no(p->periods_year >= LMS_REP_PERIOD_TARGET)),
	};
	int rc = lms_tab_row(f->t, c, err);

	if (rc == 0)
		f->n++;
	return rc;
}

int lms_rep_file_people(lms_store *s, lms_tab *t, const lms_rep_query *q, const lms_unit *root,
                        int64_t *rows, lms_err *err)
{
	file_ctx f = { t, 0 };
	int64_t total = 0;
	int rc;

	if ((rc = lms_tab_sheet(t, "Cán bộ", people_cols, PEOPLE_COLS, true, err)) < 0 ||
	    (rc = s->ops->report->people(s, q, -1, 0, person_row, &f, &total, err)) < 0 ||
	    (rc = info_sheet(t, "Hoàn thành và thời gian học theo cán bộ", q, root, err)) < 0)
		return rc;
	*rows = f.n;
	return LMS_OK;
}

/* ---- the indicators ---- */

int lms_rep_file_indicators(lms_tab *t, const lms_rep_query *q, const lms_unit *root,
                            const lms_rep_indicator *ind, lms_err *err)
{
	static const lms_tab_col cols[] = {
		{ "Mã chỉ tiêu", LMS_TAB_TEXT, 20 }, { "Chỉ tiêu", LMS_TAB_TEXT, 60 },
		{ "Tử số", LMS_TAB_INT, 10 },        { "Mẫu số", LMS_TAB_INT, 10 },
		{ "Tỷ lệ (%)", LMS_TAB_PCT, 10 },    { "Mục tiêu", LMS_TAB_TEXT, 12 },
		{ "Ghi chú", LMS_TAB_TEXT, 50 },
	};
	int i, rc;

	if ((rc = lms_tab_sheet(t, "Chỉ tiêu", cols, 7, true, err)) < 0)
		return rc;
	for (i = 0; i < LMS_IND_COUNT; i++) {
		const lms_rep_indicator *x = &ind[i];
		char target[32];
		lms_tab_cell c[7];
		snprintf(target, sizeof(target), x->share ? "%lld%%" : "%lld người",
		         (long long)x->target);
		c[0] = TEXT(lms_rep_ind_id(x->ind));
		c[1] = TEXT(lms_rep_ind_label_vi(x->ind));
		if (!x->available) {
			c[2] = c[3] = c[4] = lms_cell_null();
			c[5] = TEXT(target);
			c[6] = TEXT("Chưa có số liệu");
		} else {
			c[2] = INT(x->numerator);
			c[3] = x->share ? INT(x->denominator) : lms_cell_null();
			c[4] = x->share && x->denominator
			           ? lms_cell_num(100.0 * (double)x->numerator / (double)x->denominator)
			           : lms_cell_null();
			c[5] = TEXT(target);
			c[6] = lms_cell_null();
		}
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	return info_sheet(t, "Chỉ tiêu của Quyết định 2709/QĐ-UBND (mục II.2)", q, root, err);
}

/* The columns of each list: the person's (or unit's) and two numbers named per indicator. */
static void list_heads(lms_rep_ind ind, const char **n1, const char **n2, const char **detail)
{
	*detail = "Chi tiết";
	switch (ind) {
	case LMS_IND_LEADERS_TRAINED:
		*n1 = "Khóa CCHC hoàn thành trong kỳ";
		*n2 = "Tiết học CCHC trong kỳ";
		*detail = "Khóa học gần nhất";
		break;
	case LMS_IND_REQUIRED_DONE:
		*n1 = "Khóa được giao";
		*n2 = "Khóa được giao chưa hoàn thành";
		break;
	case LMS_IND_ACCESS:
		*n1 = "Khóa đã ghi danh";
		*n2 = "Phiên học";
		break;
	case LMS_IND_EXPERTS:
		*n1 = "Chứng chỉ";
		*n2 = "Năm cấp";
		*detail = "Số hiệu chứng chỉ — chương trình";
		break;
	case LMS_IND_POOL:
		*n1 = "Lượt được phê duyệt (diện lãnh đạo)";
		*n2 = "Thứ hạng cao nhất";
		*detail = "Kỳ sát hạch";
		break;
	case LMS_IND_UNITS_POSITION:
		*n1 = "Người giữ vị trí CCHC";
		*n2 = "Số người cuối kỳ";
		*detail = "Vị trí việc làm CCHC";
		break;
	default:
		*n1 = "Số 1";
		*n2 = "Số 2";
		break;
	}
}

typedef struct list_ctx {
	lms_tab *t;
	int64_t n;
} list_ctx;

static int item_row(void *ctx, const lms_rep_item *it, lms_err *err)
{
	list_ctx *l = ctx;
	lms_tab_cell c[8] = {
		TEXT(it->code), TEXT(it->name), TEXT(it->unit_code), TEXT(it->unit_name),
		TEXT(yes_no(it->counted)), INT(it->n1), INT(it->n2), TEXT(it->detail),
	};
	int rc = lms_tab_row(l->t, c, err);

	if (rc == 0)
		l->n++;
	return rc;
}

int lms_rep_file_list(lms_store *s, lms_tab *t, const lms_rep_query *q, const lms_unit *root,
                      lms_rep_ind ind, lms_rep_only only, int64_t *rows, lms_err *err)
{
	lms_tab_col cols[8] = {
		{ "Mã", LMS_TAB_TEXT, 12 },           { "Họ và tên / tên đơn vị", LMS_TAB_TEXT, 30 },
		{ "Mã đơn vị", LMS_TAB_TEXT, 12 },    { "Đơn vị", LMS_TAB_TEXT, 32 },
		{ "Tính vào tử số", LMS_TAB_TEXT, 10 }, { NULL, LMS_TAB_INT, 12 },
		{ NULL, LMS_TAB_INT, 12 },            { NULL, LMS_TAB_TEXT, 40 },
	};
	list_ctx l = { t, 0 };
	int64_t total = 0;
	char title[200];
	int rc;

	if (ind == LMS_IND_UNITS_POSITION)
		cols[3].head = "Đơn vị cấp trên";
	list_heads(ind, &cols[5].head, &cols[6].head, &cols[7].head);
	snprintf(title, sizeof(title), "Danh sách: %s", lms_rep_ind_label_vi(ind));
	if ((rc = lms_tab_sheet(t, "Danh sách", cols, 8, true, err)) < 0 ||
	    (rc = s->ops->report->indicator_list(s, q, ind, only, -1, 0, item_row, &l, &total, err)) < 0 ||
	    (rc = info_sheet(t, title, q, root, err)) < 0)
		return rc;
	*rows = l.n;
	return LMS_OK;
}

/* ---- quiz and exam results ---- */

#define BAND_COLS                                                                              \
	{ "0–10 %", LMS_TAB_INT, 8 }, { "10–20 %", LMS_TAB_INT, 8 }, { "20–30 %", LMS_TAB_INT, 8 },   \
	{ "30–40 %", LMS_TAB_INT, 8 }, { "40–50 %", LMS_TAB_INT, 8 }, { "50–60 %", LMS_TAB_INT, 8 },  \
	{ "60–70 %", LMS_TAB_INT, 8 }, { "70–80 %", LMS_TAB_INT, 8 }, { "80–90 %", LMS_TAB_INT, 8 },  \
	{ "90–100 %", LMS_TAB_INT, 9 }
#define EXAM_NUMS 5 /* attempts, people, average, pass rate, pending; then the bands */

static const lms_tab_col exam_unit_cols[] = {
	{ "Mã đơn vị", LMS_TAB_TEXT, 12 },
	{ "Tên đơn vị", LMS_TAB_TEXT, 40 },
	{ "Loại", LMS_TAB_TEXT, 14 },
	{ "Lượt làm bài được tính", LMS_TAB_INT, 12 },
	{ "Số người", LMS_TAB_INT, 10 },
	{ "Điểm trung bình (%)", LMS_TAB_PCT, 12 },
	{ "Tỷ lệ đạt (%)", LMS_TAB_PCT, 10 },
	{ "Bài tự luận chờ chấm (không tính)", LMS_TAB_INT, 14 },
	BAND_COLS,
};
#define EXAM_UNIT_COLS (sizeof(exam_unit_cols) / sizeof(exam_unit_cols[0]))

static const lms_tab_col exam_asmt_cols[] = {
	{ "Mã bài", LMS_TAB_TEXT, 14 },
	{ "Tên bài kiểm tra", LMS_TAB_TEXT, 40 },
	{ "Loại", LMS_TAB_TEXT, 14 },
	{ "Khóa học", LMS_TAB_TEXT, 12 },
	{ "Ngày công bố kết quả", LMS_TAB_DATE, 12 },
	{ "Lượt làm bài được tính", LMS_TAB_INT, 12 },
	{ "Số người", LMS_TAB_INT, 10 },
	{ "Điểm trung bình (%)", LMS_TAB_PCT, 12 },
	{ "Tỷ lệ đạt (%)", LMS_TAB_PCT, 10 },
	{ "Bài tự luận chờ chấm (không tính)", LMS_TAB_INT, 14 },
	BAND_COLS,
};
#define EXAM_ASMT_COLS (sizeof(exam_asmt_cols) / sizeof(exam_asmt_cols[0]))

static void exam_cells(lms_tab_cell *c, const lms_rep_exam_counts *n)
{
	double avg = lms_rep_exam_avg(n), pass = lms_rep_exam_pass_rate(n);
	int b;

	c[0] = INT(n->attempts);
	c[1] = INT(n->people);
	c[2] = avg < 0 ? lms_cell_null() : lms_cell_num(avg);
	c[3] = pass < 0 ? lms_cell_null() : lms_cell_num(pass);
	c[4] = INT(n->pending);
	for (b = 0; b < LMS_REP_BANDS; b++)
		c[EXAM_NUMS + b] = INT(n->bands[b]);
}

static const char *akind_vi(const char *kind)
{
	return kind && strcmp(kind, "exam") == 0 ? "Kỳ sát hạch" : "Bài kiểm tra";
}

static int exam_units(lms_tab *t, const lms_rep_exams *r, const char *name, bool csv,
                      lms_err *err)
{
	lms_tab_cell c[EXAM_UNIT_COLS];
	char own[300];
	size_t i;
	int rc;

	if ((rc = lms_tab_sheet(t, name, exam_unit_cols, EXAM_UNIT_COLS, csv, err)) < 0)
		return rc;
	for (i = 0; i < r->n_rows; i++) {
		const lms_rep_exam_line *u = &r->rows[i];
		snprintf(own, sizeof(own), "%s (trực thuộc)", u->name);
		c[0] = TEXT(u->code);
		c[1] = TEXT(u->own ? own : u->name);
		c[2] = TEXT(lms_rep_kind_vi(u->kind));
		exam_cells(c + 3, &u->c);
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	c[0] = TEXT(r->root.code);
	c[1] = TEXT("Tổng cộng");
	c[2] = TEXT(lms_rep_kind_vi(r->root.kind));
	exam_cells(c + 3, &r->total);
	return lms_tab_row(t, c, err);
}

static int exam_assessments(lms_tab *t, const lms_rep_exams *r, const char *name, lms_err *err)
{
	lms_tab_cell c[EXAM_ASMT_COLS];
	int64_t day;
	lms_err ignore;
	size_t i;
	int rc;

	if ((rc = lms_tab_sheet(t, name, exam_asmt_cols, EXAM_ASMT_COLS, false, err)) < 0)
		return rc;
	for (i = 0; i < r->n_assessments; i++) {
		const lms_rep_exam_line *x = &r->assessments[i];
		c[0] = TEXT(x->code);
		c[1] = TEXT(x->name);
		c[2] = TEXT(akind_vi(x->kind));
		c[3] = TEXT(x->course_code);
		c[4] = *x->published && lms_day_parse(x->published, "published", &day, &ignore) == 0
		           ? INT(day)
		           : lms_cell_null();
		exam_cells(c + 5, &x->c);
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

int lms_rep_file_exams(lms_tab *t, const lms_rep_query *q, const lms_rep_exams *r, lms_err *err)
{
	size_t i;
	int rc;

	if ((rc = exam_units(t, r, "Kết quả kiểm tra", true, err)) < 0 ||
	    (rc = exam_assessments(t, r, "Theo bài kiểm tra", err)) < 0 ||
	    (rc = info_sheet(t, "Kết quả kiểm tra, sát hạch theo đơn vị", q, &r->root, err)) < 0)
		return rc;
	if (r->n_preds) {
		static const lms_tab_col pcols[] = {
			{ "Mã đơn vị cũ", LMS_TAB_TEXT, 14 }, { "Tên đơn vị cũ", LMS_TAB_TEXT, 36 },
			{ "Hết hiệu lực", LMS_TAB_TEXT, 12 }, { "Đơn vị kế thừa", LMS_TAB_TEXT, 14 },
		};
		if ((rc = lms_tab_sheet(t, "Đơn vị tiền nhiệm", pcols, 4, false, err)) < 0)
			return rc;
		for (i = 0; i < r->n_preds; i++) {
			lms_tab_cell p[4] = { TEXT(r->preds[i].code), TEXT(r->preds[i].name),
				                  TEXT(r->preds[i].valid_to), TEXT(r->preds[i].successor_code) };
			if ((rc = lms_tab_row(t, p, err)) < 0)
				return rc;
		}
	}
	return LMS_OK;
}

int lms_rep_file_exam_sheets(lms_tab *t, const lms_rep_exams *r, lms_err *err)
{
	int rc;

	if ((rc = exam_units(t, r, "Kiểm tra theo đơn vị", false, err)) < 0)
		return rc;
	return exam_assessments(t, r, "Kiểm tra theo bài", err);
}

/* ---- the talent-pool list ---- */

static const lms_tab_col pool_cols[] = {
	{ "Mã cán bộ", LMS_TAB_TEXT, 12 },
	{ "Họ và tên", LMS_TAB_TEXT, 28 },
	{ "Mã đơn vị", LMS_TAB_TEXT, 12 },
	{ "Đơn vị", LMS_TAB_TEXT, 32 },
	{ "Diện quy hoạch", LMS_TAB_TEXT, 12 },
	{ "Mã kỳ sát hạch", LMS_TAB_TEXT, 14 },
	{ "Kỳ sát hạch", LMS_TAB_TEXT, 36 },
	{ "Thứ hạng", LMS_TAB_INT, 9 },
	{ "Điểm", LMS_TAB_NUM1, 9 },
	{ "Điểm (%)", LMS_TAB_PCT, 9 },
	{ "Trạng thái", LMS_TAB_TEXT, 12 },
	{ "Người đề xuất", LMS_TAB_TEXT, 16 },
	{ "Thời điểm đề xuất", LMS_TAB_TEXT, 26 },
	{ "Người quyết định", LMS_TAB_TEXT, 16 },
	{ "Thời điểm quyết định", LMS_TAB_TEXT, 26 },
	{ "Ghi chú", LMS_TAB_TEXT, 40 },
};
#define POOL_COLS (sizeof(pool_cols) / sizeof(pool_cols[0]))

static const char *pool_status_vi(const char *st)
{
	if (st && strcmp(st, "approved") == 0)
		return "Đã phê duyệt";
	if (st && strcmp(st, "rejected") == 0)
		return "Từ chối";
	return "Chờ phê duyệt";
}

static int pool_row(void *ctx, const lms_rep_pool_row *p, lms_err *err)
{
	file_ctx *f = ctx;
	lms_tab_cell c[POOL_COLS] = {
		TEXT(p->employee_code), TEXT(p->full_name), TEXT(p->unit_code), TEXT(p->unit_name),
		TEXT(p->track && strcmp(p->track, "leader") == 0 ? "Lãnh đạo" : "Chuyên gia"),
		TEXT(p->assessment_code), TEXT(p->assessment_title), INT(p->rank), lms_cell_num(p->score),
		p->fraction < 0 ? lms_cell_null() : lms_cell_num(100.0 * p->fraction),
		TEXT(pool_status_vi(p->status)), TEXT(p->proposed_by), TEXT(p->proposed_at),
		TEXT(p->decided_by), TEXT(p->decided_at), TEXT(p->note),
	};
	int rc = lms_tab_row(f->t, c, err);

	if (rc == 0)
		f->n++;
	return rc;
}

int lms_rep_file_pool(lms_store *s, lms_tab *t, const lms_rep_query *q, const lms_unit *root,
                      int64_t *rows, lms_err *err)
{
	file_ctx f = { t, 0 };
	int64_t total = 0;
	int rc;

	if ((rc = lms_tab_sheet(t, "Danh sách nguồn", pool_cols, POOL_COLS, true, err)) < 0 ||
	    (rc = s->ops->report->talent_pool(s, q, -1, 0, pool_row, &f, &total, err)) < 0 ||
	    (rc = info_sheet(t, "Danh sách nguồn (quy hoạch lãnh đạo, chuyên gia CCHC)", q, root, err)) < 0)
		return rc;
	*rows = f.n;
	return LMS_OK;
}

/* ---- survey results ---- */

#define SV_HIDDEN_VI "ẩn (dưới 5 phản hồi)"

static const lms_tab_col survey_cols[] = {
	{ "Mã khảo sát", LMS_TAB_TEXT, 14 },
	{ "Tên khảo sát", LMS_TAB_TEXT, 36 },
	{ "Loại khảo sát", LMS_TAB_TEXT, 14 },
	{ "Ẩn danh", LMS_TAB_TEXT, 8 },
	{ "Mã đơn vị", LMS_TAB_TEXT, 12 },
	{ "Tên đơn vị", LMS_TAB_TEXT, 36 },
	{ "Số phiếu trong kỳ", LMS_TAB_INT, 10 },
	{ "Đối tượng khảo sát", LMS_TAB_INT, 10 },
	{ "Tỷ lệ phản hồi (%)", LMS_TAB_PCT, 10 },
	{ "Ghi chú", LMS_TAB_TEXT, 22 },
	{ "Câu", LMS_TAB_INT, 6 },
	{ "Nội dung câu hỏi", LMS_TAB_TEXT, 40 },
	{ "Số người trả lời câu", LMS_TAB_INT, 10 },
	{ "Điểm trung bình", LMS_TAB_NUM1, 10 },
	{ "Mức 1", LMS_TAB_INT, 7 }, { "Mức 2", LMS_TAB_INT, 7 }, { "Mức 3", LMS_TAB_INT, 7 },
	{ "Mức 4", LMS_TAB_INT, 7 }, { "Mức 5", LMS_TAB_INT, 7 }, { "Mức 6", LMS_TAB_INT, 7 },
	{ "Mức 7", LMS_TAB_INT, 7 },
};
#define SURVEY_COLS (sizeof(survey_cols) / sizeof(survey_cols[0]))
#define SURVEY_Q0 10 /* the first question column */

/* The rows of one line of survey x: one per Likert question, or one without a question when
 * the line is hidden or the survey has none. */
static int survey_line_rows(lms_tab *t, const lms_rep_survey *x, const lms_rep_sv_line *l,
                            const lms_unit *root, int64_t *rows, lms_err *err)
{
	lms_tab_cell c[SURVEY_COLS];
	char name[300];
	double rate = lms_rep_sv_rate(l);
	size_t i, n = l->hidden || !x->n_likert ? 1 : x->n_likert;
	int p, rc;

	if (l->kind == 'a')
		snprintf(name, sizeof(name), "Tổng cộng");
	else if (l->kind == 'd')
		snprintf(name, sizeof(name), "%s (trực thuộc)", l->name ? l->name : "");
	else
		snprintf(name, sizeof(name), "%s", l->name ? l->name : "");
	for (i = 0; i < n; i++) {
		c[0] = TEXT(x->sv.code);
		c[1] = TEXT(x->sv.title);
		c[2] = TEXT(x->sv.kind == LMS_SV_COURSE ? "Sau khóa học" : "Độc lập");
		c[3] = TEXT(yes_no(x->sv.anonymous));
		c[4] = TEXT(l->kind == 'a' ? root->code : l->code);
		c[5] = TEXT(name);
		c[6] = l->hidden ? lms_cell_null() : INT(l->responses);
		c[7] = INT(l->population);
		c[8] = rate < 0 ? lms_cell_null() : lms_cell_num(rate);
		c[9] = l->hidden ? TEXT(SV_HIDDEN_VI) : lms_cell_null();
		for (p = SURVEY_Q0; p < (int)SURVEY_COLS; p++)
			c[p] = lms_cell_null();
		if (!l->hidden && x->n_likert) {
			const lms_sv_question *q = x->likert[i];
			const lms_rep_sv_q *v = &l->q[i];
			c[SURVEY_Q0] = INT(q->id);
			c[SURVEY_Q0 + 1] = TEXT(q->text);
			c[SURVEY_Q0 + 2] = INT(v->answered);
			c[SURVEY_Q0 + 3] = v->mean < 0 ? lms_cell_null() : lms_cell_num(v->mean);
			for (p = 0; p < q->points && p < LMS_SV_POINTS_MAX; p++)
				c[SURVEY_Q0 + 4 + p] = INT(v->dist[p]);
		}
		if ((rc = lms_tab_row(t, c, err)) < 0)
			return rc;
		(*rows)++;
	}
	return LMS_OK;
}

static int survey_table(lms_tab *t, const lms_rep_surveys *r, const char *name, bool csv,
                        int64_t *rows, lms_err *err)
{
	size_t i, k;
	int rc;

	if ((rc = lms_tab_sheet(t, name, survey_cols, SURVEY_COLS, csv, err)) < 0)
		return rc;
	for (i = 0; i < r->n_surveys; i++) {
		const lms_rep_survey *x = &r->surveys[i];
		for (k = 0; k < x->n_lines; k++)
			if ((rc = survey_line_rows(t, x, &x->lines[k], &r->root, rows, err)) < 0)
				return rc;
		if ((rc = survey_line_rows(t, x, &x->all, &r->root, rows, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

int lms_rep_file_surveys(lms_tab *t, const lms_rep_query *q, const lms_rep_surveys *r,
                         int64_t *rows, lms_err *err)
{
	int64_t n = 0;
	int rc;

	if ((rc = survey_table(t, r, "Khảo sát", true, &n, err)) < 0 ||
	    (rc = info_sheet(t, "Kết quả khảo sát theo đơn vị", q, &r->root, err)) < 0)
		return rc;
	*rows = n;
	return LMS_OK;
}

int lms_rep_file_survey_sheet(lms_tab *t, const lms_rep_surveys *r, lms_err *err)
{
	int64_t n = 0;

	return survey_table(t, r, "Khảo sát", false, &n, err);
}
