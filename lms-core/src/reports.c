/* reports.c — the HR reports' use cases (reports.h): resolving what a report is about within
 * the caller's reach, the audience filters, the indicators' names, and the completion report.
 *
 * It holds no SQL and no HTTP: the numbers come from the store (store->ops->report), the
 * files from report_files.c. A query is checked here once, so the web and the CLI refuse the
 * same things with the same fields.
 */
#include "lms/reports.h"

#include "lms/validate.h"

#include <string.h>

static const struct {
	const char *id, *vi;
} indicators[LMS_IND_COUNT] = {
	[LMS_IND_LEADERS_TRAINED] = { "leaders_trained",
	                              "Lãnh đạo được bồi dưỡng về cải cách hành chính trong kỳ" },
	[LMS_IND_REQUIRED_DONE] = { "par_required_done",
	                            "Công chức làm công tác CCHC hoàn thành các khóa học được giao" },
	[LMS_IND_ACCESS] = { "par_access",
	                     "Công chức làm công tác CCHC được tiếp cận bài giảng điện tử" },
	[LMS_IND_EXPERTS] = { "experts_certified", "Chuyên gia CCHC được cấp chứng chỉ (chỉ tiêu 50)" },
	[LMS_IND_POOL] = { "leadership_pool",
	                   "Công chức làm công tác CCHC được quy hoạch lãnh đạo (chỉ tiêu 20)" },
	[LMS_IND_UNITS_POSITION] = { "units_par_position",
	                             "Cơ quan, đơn vị có ít nhất 01 vị trí việc làm CCHC" },
};

const char *lms_rep_ind_id(lms_rep_ind ind)
{
	return (unsigned)ind < LMS_IND_COUNT ? indicators[ind].id : "";
}

const char *lms_rep_ind_label_vi(lms_rep_ind ind)
{
	return (unsigned)ind < LMS_IND_COUNT ? indicators[ind].vi : "";
}

int lms_rep_ind_parse(const char *id, lms_rep_ind *out, lms_err *err)
{
	int i;

	for (i = 0; id && i < LMS_IND_COUNT; i++)
		if (strcmp(id, indicators[i].id) == 0) {
			*out = (lms_rep_ind)i;
			return LMS_OK;
		}
	return lms_err_set(err, LMS_EINVAL, "invalid_field", "id",
	                   "id: one of leaders_trained, par_required_done, par_access, "
	                   "experts_certified, leadership_pool, units_par_position");
}

int lms_rep_parse_audience(const char *leader, const char *par, lms_rep_query *q, lms_err *err)
{
	if (!leader || !*leader)
		q->leader = LMS_REP_ANYONE;
	else if (strcmp(leader, "leader") == 0)
		q->leader = LMS_REP_LEADERS;
	else if (strcmp(leader, "staff") == 0)
		q->leader = LMS_REP_STAFF;
	else
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "audience",
		                   "audience: \"leader\" or \"staff\" (or nothing for everyone)");
	if (!par || !*par)
		q->par = LMS_REP_PAR_ANY;
	else if (strcmp(par, "par") == 0)
		q->par = LMS_REP_PAR_STAFF;
	else if (strcmp(par, "dedicated") == 0)
		q->par = LMS_REP_PAR_DEDICATED;
	else if (strcmp(par, "concurrent") == 0)
		q->par = LMS_REP_PAR_CONCURRENT;
	else if (strcmp(par, "none") == 0)
		q->par = LMS_REP_PAR_NONE;
	else
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "par_role",
		                   "par_role: \"par\", \"dedicated\", \"concurrent\" or \"none\" (or "
		                   "nothing for anyone)");
	return LMS_OK;
}

const char *lms_rep_leader_name(lms_rep_leader l)
{
	return l == LMS_REP_LEADERS ? "leader" : l == LMS_REP_STAFF ? "staff" : "";
}

const char *lms_rep_par_name(lms_rep_par p)
{
	switch (p) {
	case LMS_REP_PAR_STAFF: return "par";
	case LMS_REP_PAR_DEDICATED: return "dedicated";
	case LMS_REP_PAR_CONCURRENT: return "concurrent";
	case LMS_REP_PAR_NONE: return "none";
	default: return "";
	}
}

double lms_rep_rate(const lms_rep_counts *c)
{
	if (c->enrolled <= 0)
		return -1;
	return 100.0 * (double)c->enrolled_done / (double)c->enrolled;
}

int lms_rep_prepare(lms_store *s, const lms_scope *scope, lms_rep_query *q, lms_arena *a,
                    lms_unit *root, lms_err *err)
{
	const lms_report_ops *ops = s->ops->report;
	bool within = false;
	int rc;

	if (!ops)
		return lms_err_set(err, LMS_EUNSUPPORTED, "unsupported", NULL,
		                   "this store keeps no reports");
	if (q->par_area && *q->par_area && lms_check_text("par_area", q->par_area, 64, err) < 0)
		return LMS_EINVAL;
	if (q->par_area && !*q->par_area)
		q->par_area = NULL;
	if (q->course_code && !*q->course_code)
		q->course_code = NULL;
	if (q->unit_code && !*q->unit_code)
		q->unit_code = NULL;
	if (q->unit_code && lms_check_code("unit", q->unit_code, err) < 0)
		return LMS_EINVAL;
	if (q->course_code && lms_check_code("course", q->course_code, err) < 0)
		return LMS_EINVAL;
	if (!q->unit_code) {
		if (scope->all) {
			if ((rc = ops->root(s, a, root, err)) < 0)
				return rc;
			q->unit_code = root->code;
		} else if (scope->n_roots == 0) {
			return lms_err_set(err, LMS_EFORBIDDEN, "forbidden", "unit",
			                   "your role reaches no unit");
		} else {
			/* the first unit of the caller's reach, by its code */
			lms_unit *all = NULL;
			size_t n = 0, i;
			if ((rc = s->ops->unit_list(s, scope, a, &all, &n, err)) < 0)
				return rc;
			for (i = 0; i < n && all[i].id != scope->roots[0]; i++)
				;
			if (i == n)
				return lms_err_set(err, LMS_EFORBIDDEN, "forbidden", "unit",
				                   "your role reaches no unit");
			q->unit_code = all[i].code;
		}
	}
	if ((rc = s->ops->unit_find(s, q->unit_code, a, root, err)) < 0) {
		if (rc == LMS_ENOTFOUND)
			return lms_err_set(err, LMS_ENOTFOUND, "not_found", "unit", "unit %s: no such unit",
			                   q->unit_code);
		return rc;
	}
	if (!scope->all) {
		if ((rc = s->ops->unit_within(s, root->id, scope, &within, err)) < 0)
			return rc;
		if (!within)
			return lms_err_set(err, LMS_EFORBIDDEN, "forbidden", "unit",
			                   "unit %s is outside your reach", q->unit_code);
	}
	q->unit_id = root->id;
	q->course_id = 0;
	if (q->course_code && (rc = ops->course_id(s, q->course_code, &q->course_id, err)) < 0)
		return rc;
	q->assessment_id = 0;
	if (q->assessment_code && !*q->assessment_code)
		q->assessment_code = NULL;
	if (q->assessment_code) {
		if (lms_check_code("assessment", q->assessment_code, err) < 0)
			return LMS_EINVAL;
		if ((rc = ops->assessment_id(s, q->assessment_code, &q->assessment_id, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

int lms_rep_completion_run(lms_store *s, const lms_rep_query *q, const lms_unit *root, lms_arena *a,
                       lms_rep_completion *out, lms_err *err)
{
	lms_rep_completion r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!s->ops->report)
		return lms_err_set(err, LMS_EUNSUPPORTED, "unsupported", NULL,
		                   "this store keeps no reports");
	if ((rc = s->ops->report->completion(s, q, a, &r, err)) < 0)
		return rc;
	r.root = *root;
	*out = r;
	return LMS_OK;
}

/* ---- quiz and exam results ---- */

double lms_rep_exam_avg(const lms_rep_exam_counts *c)
{
	return c->attempts > 0 ? c->score_sum / (double)c->attempts : -1;
}

double lms_rep_exam_pass_rate(const lms_rep_exam_counts *c)
{
	return c->attempts > 0 ? 100.0 * (double)c->passed / (double)c->attempts : -1;
}

int lms_rep_parse_akind(const char *kind, lms_rep_query *q, lms_err *err)
{
	if (!kind || !*kind)
		q->akind = LMS_REP_AK_ANY;
	else if (strcmp(kind, "quiz") == 0)
		q->akind = LMS_REP_AK_QUIZ;
	else if (strcmp(kind, "exam") == 0)
		q->akind = LMS_REP_AK_EXAM;
	else
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "kind",
		                   "kind: \"quiz\" or \"exam\" (or nothing for both)");
	return LMS_OK;
}

const char *lms_rep_akind_name(int akind)
{
	return akind == LMS_REP_AK_QUIZ ? "quiz" : akind == LMS_REP_AK_EXAM ? "exam" : "";
}

int lms_rep_exams_run(lms_store *s, const lms_rep_query *q, const lms_unit *root, lms_arena *a,
                      lms_rep_exams *out, lms_err *err)
{
	lms_rep_exams r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!s->ops->report || !s->ops->report->exams)
		return lms_err_set(err, LMS_EUNSUPPORTED, "unsupported", NULL,
		                   "this store keeps no reports");
	if ((rc = s->ops->report->exams(s, q, a, &r, err)) < 0)
		return rc;
	r.root = *root;
	*out = r;
	return LMS_OK;
}

/* ---- the talent-pool list ---- */

static const char *const pool_status[] = { "", "proposed", "approved", "rejected" };

int lms_rep_parse_pool_status(const char *status, lms_rep_query *q, lms_err *err)
{
	int i;

	q->pool_status = 0;
	if (!status || !*status)
		return LMS_OK;
	for (i = 1; i < 4; i++)
		if (strcmp(status, pool_status[i]) == 0) {
			q->pool_status = i;
			return LMS_OK;
		}
	return lms_err_set(err, LMS_EINVAL, "invalid_field", "status",
	                   "status: proposed, approved or rejected (or nothing for all)");
}

const char *lms_rep_pool_status_name(int status)
{
	return status > 0 && status < 4 ? pool_status[status] : "";
}
