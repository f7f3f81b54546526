/* assess_json.c — an assessment's definition read from JSON and written as JSON, the result
 * rows, and the CSV files of the results and the item analysis: one form shared by the HTTP
 * API (h_assess.c) and the CLI (cli_assessment.c), so that a definition file for
 * `parlearn assessment create` is the body of POST /api/assessments.
 *
 * Invariants: every member is type-checked and capped before it is used; strings are copied
 * into the caller's arena; an error names the member at fault (e.g. "rules[1]"). A score, a
 * time or a user in a body is never read. Not here: who may use a unit (the caller), whether
 * units, courses, questions and people exist (the store).
 */
#include "assess_json.h"
#include "json_out.h"

#include "lms/clock.h"
#include "lms/jsonw.h"
#include "lms/model.h"
#include "lms/qbank.h"
#include "lms/question.h"
#include "lms/survey.h"
#include "lms/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- members ------------------------------------------------------------------------------ */

typedef struct rd {
	lms_arena *a;
	lms_err *err;
} rd;

static int bad_field(rd *r, const char *field, const char *what)
{
	return lms_err_set(r->err, LMS_EINVAL, "invalid_field", field, "%s: %s", field, what);
}

/* A whole number member in [lo, hi]; absent: def (required: an error). */
static int int_member(rd *r, const cJSON *o, const char *name, bool required, int64_t lo,
                      int64_t hi, int64_t def, int64_t *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
	double v;

	*out = def;
	if (!m || cJSON_IsNull(m))
		return required ? bad_field(r, name, "is required") : LMS_OK;
	v = cJSON_IsNumber(m) ? m->valuedouble : NAN;
	if (!(v >= (double)lo && v <= (double)hi) || v != floor(v))
		return lms_err_set(r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a whole number from %lld to %lld", name, (long long)lo,
		                   (long long)hi);
	*out = (int64_t)v;
	return LMS_OK;
}

static int num_member(rd *r, const cJSON *o, const char *name, bool required, double lo,
                      double hi, double def, double *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = def;
	if (!m || cJSON_IsNull(m))
		return required ? bad_field(r, name, "is required") : LMS_OK;
	if (!cJSON_IsNumber(m) || !(m->valuedouble >= lo && m->valuedouble <= hi))
		return lms_err_set(r->err, LMS_EINVAL, "invalid_field", name,
		                   "%s: a number from %g to %g", name, lo, hi);
	*out = m->valuedouble;
	return LMS_OK;
}

static int bool_member(rd *r, const cJSON *o, const char *name, bool def, bool *out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = def;
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsBool(m))
		return bad_field(r, name, "true or false");
	*out = cJSON_IsTrue(m);
	return LMS_OK;
}

/* An optional string member of at most max bytes ("" is absent); copied into the arena. */
static int str_member(rd *r, const cJSON *o, const char *name, size_t max, const char **out)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);

	*out = NULL;
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsString(m) || strlen(m->valuestring) > max)
		return bad_field(r, name, "text, not too long");
	if (*m->valuestring)
		*out = lms_arena_strdup(r->a, m->valuestring);
	return LMS_OK;
}

static int code_member(rd *r, const cJSON *o, const char *name, const char **out)
{
	if (str_member(r, o, name, 32, out) < 0)
		return r->err->rc;
	if (!*out || lms_check_code(name, *out, r->err) < 0)
		return bad_field(r, name, "give a code");
	return LMS_OK;
}

static int time_member(rd *r, const cJSON *b, const char *name, int64_t *out)
{
	const char *s = NULL;

	*out = 0;
	if (str_member(r, b, name, 40, &s) < 0)
		return r->err->rc;
	if (s && lms_rfc3339_parse(s, out) != 0)
		return bad_field(r, name, "a date and time with its offset, e.g. 2025-10-18T08:00:00+07:00");
	return LMS_OK;
}

static int show_member(rd *r, const cJSON *b, const char *name, lms_as_show def, lms_as_show *out)
{
	const char *s = NULL;

	*out = def;
	if (str_member(r, b, name, 20, &s) < 0)
		return r->err->rc;
	if (s && lms_as_show_parse(s, out) < 0)
		return bad_field(r, name, "\"never\", \"after_submit\", \"after_close\" or \"after_publish\"");
	return LMS_OK;
}

/* ---- the lists ------------------------------------------------------------------------------ */

static int parse_rules(rd *r, const cJSON *b, lms_as_def *d)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(b, "rules"), *e;
	lms_as_rule *rules;
	size_t i = 0;

	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) > LMS_AS_MAX_RULES)
		return bad_field(r, "rules", "a list of at most 50 draw rules");
	rules = lms_arena_alloc(r->a, ((size_t)cJSON_GetArraySize(m) + 1) * sizeof(*rules));
	d->rules = rules;
	cJSON_ArrayForEach(e, m)
	{
		lms_as_rule *x = &rules[i];
		const char *diff = NULL, *cat = NULL;
		int64_t count;
		char field[48];

		snprintf(field, sizeof(field), "rules[%zu]", i);
		if (!cJSON_IsObject(e))
			return bad_field(r, field, "an object");
		if (str_member(r, e, "category", LMS_Q_MAX_CATEGORY, &cat) < 0 ||
		    str_member(r, e, "tag", LMS_Q_MAX_TAG, &x->tag) < 0 ||
		    str_member(r, e, "difficulty", 10, &diff) < 0 ||
		    int_member(r, e, "count", true, 1, LMS_AS_MAX_SLOTS, 1, &count) < 0 ||
		    num_member(r, e, "points", false, 0, 1000, 0, &x->points) < 0) {
			snprintf(r->err->field, sizeof(r->err->field), "%s", field);
			return r->err->rc;
		}
		x->count = (int)count;
		if (cat && lms_qbank_category_clean(r->a, cat, &x->category, r->err) < 0)
			return bad_field(r, field, "category: a category path");
		x->difficulty = LMS_QD_NONE;
		if (diff) {
			if (strcmp(diff, "easy") == 0)
				x->difficulty = LMS_QD_EASY;
			else if (strcmp(diff, "medium") == 0)
				x->difficulty = LMS_QD_MEDIUM;
			else if (strcmp(diff, "hard") == 0)
				x->difficulty = LMS_QD_HARD;
			else
				return bad_field(r, field, "difficulty: \"easy\", \"medium\" or \"hard\"");
		}
		i++;
	}
	d->n_rules = i;
	return LMS_OK;
}

static int parse_strings(rd *r, const cJSON *m, const char *field, size_t max, size_t bytes,
                         const char ***out, size_t *n)
{
	const cJSON *e;
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsArray(m) || (size_t)cJSON_GetArraySize(m) > max)
		return bad_field(r, field, "a list, not too long");
	*out = lms_arena_alloc(r->a, ((size_t)cJSON_GetArraySize(m) + 1) * sizeof(**out));
	cJSON_ArrayForEach(e, m)
	{
		if (!cJSON_IsString(e) || !*e->valuestring || strlen(e->valuestring) > bytes)
			return bad_field(r, field, "a list of texts");
		(*out)[i++] = lms_arena_strdup(r->a, e->valuestring);
	}
	*n = i;
	return LMS_OK;
}

static int parse_audience(rd *r, const cJSON *b, lms_assessment *as)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(b, "audience"), *e;
	size_t i = 0;

	if (parse_strings(r, cJSON_GetObjectItemCaseSensitive(b, "named"), "named",
	                  LMS_AS_MAX_NAMED, 32, &as->named, &as->n_named) < 0)
		return r->err->rc;
	if (!m || cJSON_IsNull(m))
		return LMS_OK;
	if (!cJSON_IsArray(m) || cJSON_GetArraySize(m) > LMS_AS_MAX_AUDIENCE)
		return bad_field(r, "audience", "a list of at most 100 lines");
	as->audience = lms_arena_alloc(r->a, ((size_t)cJSON_GetArraySize(m) + 1) * sizeof(*as->audience));
	cJSON_ArrayForEach(e, m)
	{
		lms_as_audience *au = &as->audience[i];
		const cJSON *leader = cJSON_GetObjectItemCaseSensitive(e, "leader");
		const char *role = NULL;
		char field[48];

		snprintf(field, sizeof(field), "audience[%zu]", i);
		if (!cJSON_IsObject(e))
			return bad_field(r, field, "an object");
		if (str_member(r, e, "unit", 32, &au->unit_code) < 0 ||
		    str_member(r, e, "par_role", 16, &role) < 0 ||
		    parse_strings(r, cJSON_GetObjectItemCaseSensitive(e, "positions"), field,
		                  LMS_AS_MAX_POSITIONS, 800, &au->positions, &au->n_positions) < 0) {
			snprintf(r->err->field, sizeof(r->err->field), "%s", field);
			return r->err->rc;
		}
		au->par_role = -1;
		if (role) {
			lms_par_role pr;
			if (lms_par_role_parse(role, &pr) < 0)
				return bad_field(r, field, "par_role: \"none\", \"concurrent\" or \"dedicated\"");
			au->par_role = (int)pr;
		}
		au->leader = !leader || cJSON_IsNull(leader) ? -1 : cJSON_IsTrue(leader) ? 1
		             : cJSON_IsFalse(leader) ? 0 : -2;
		if (au->leader == -2)
			return bad_field(r, field, "leader: true, false or null");
		i++;
	}
	as->n_audience = i;
	return LMS_OK;
}

static int parse_fixed(rd *r, const cJSON *b, lms_as_def *d)
{
	const cJSON *fx = cJSON_GetObjectItemCaseSensitive(b, "fixed"), *e;
	int64_t *ids;
	size_t i = 0;

	if (!fx || cJSON_IsNull(fx))
		return LMS_OK;
	if (!cJSON_IsArray(fx) || cJSON_GetArraySize(fx) > LMS_AS_MAX_SLOTS)
		return bad_field(r, "fixed", "a list of at most 500 question ids");
	ids = lms_arena_alloc(r->a, ((size_t)cJSON_GetArraySize(fx) + 1) * sizeof(*ids));
	cJSON_ArrayForEach(e, fx)
	{
		if (!cJSON_IsNumber(e) || e->valuedouble < 1 || e->valuedouble > 9e15 ||
		    e->valuedouble != floor(e->valuedouble))
			return bad_field(r, "fixed", "a list of question ids");
		ids[i++] = (int64_t)e->valuedouble;
	}
	d->fixed = ids;
	d->n_fixed = i;
	return LMS_OK;
}

/* ---- the definition ------------------------------------------------------------------------- */

int srv_as_def_parse(const cJSON *b, bool create, const char *default_unit, lms_arena *a,
                     lms_assessment *as, lms_err *err)
{
	rd r = { a, err };
	lms_as_def *d = &as->def;
	const char *kind = NULL, *grading = NULL;
	int64_t tl, ma;

	if (!cJSON_IsObject(b))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "", "a definition is one JSON object");
	if (create && code_member(&r, b, "code", &as->code) < 0)
		return err->rc;
	if (str_member(&r, b, "kind", 8, &kind) < 0)
		return err->rc;
	if (!kind || lms_as_kind_parse(kind, &d->kind) < 0)
		return bad_field(&r, "kind", "\"quiz\" or \"exam\"");
	if (str_member(&r, b, "title", LMS_AS_MAX_TITLE * 4, &as->title) < 0 ||
	    str_member(&r, b, "description", LMS_AS_MAX_DESCRIPTION * 4, &as->description) < 0 ||
	    str_member(&r, b, "unit", 32, &as->unit_code) < 0 ||
	    str_member(&r, b, "course", 32, &as->course_code) < 0 ||
	    bool_member(&r, b, "counts_for_course", false, &as->counts_for_course) < 0 ||
	    time_member(&r, b, "opens_at", &d->opens_us) < 0 ||
	    time_member(&r, b, "closes_at", &d->closes_us) < 0 ||
	    int_member(&r, b, "time_limit_s", false, 0, 86400, 0, &tl) < 0 ||
	    int_member(&r, b, "max_attempts", false, 0, 100, d->kind == LMS_AS_EXAM ? 1 : 0, &ma) < 0 ||
	    num_member(&r, b, "pass_fraction", false, 0, 1, 0.5, &d->pass_fraction) < 0 ||
	    str_member(&r, b, "grading", 10, &grading) < 0 ||
	    bool_member(&r, b, "shuffle_questions", false, &d->shuffle_questions) < 0 ||
	    show_member(&r, b, "show_score", d->kind == LMS_AS_EXAM ? LMS_AS_SHOW_AFTER_PUBLISH
	                                                           : LMS_AS_SHOW_AFTER_SUBMIT,
	                &d->show_score) < 0 ||
	    show_member(&r, b, "show_answers", d->kind == LMS_AS_EXAM ? LMS_AS_SHOW_NEVER
	                                                             : LMS_AS_SHOW_AFTER_SUBMIT,
	                &d->show_answers) < 0 ||
	    show_member(&r, b, "show_feedback", d->kind == LMS_AS_EXAM ? LMS_AS_SHOW_NEVER
	                                                              : LMS_AS_SHOW_AFTER_SUBMIT,
	                &d->show_feedback) < 0 ||
	    parse_rules(&r, b, d) < 0 || parse_audience(&r, b, as) < 0 || parse_fixed(&r, b, d) < 0)
		return err->rc;
	if (!as->title)
		return bad_field(&r, "title", "is required");
	d->time_limit_us = tl * LMS_SECOND_US;
	d->max_attempts = (int)ma;
	d->grading = LMS_AS_GRADE_HIGHEST;
	if (grading && lms_as_grading_parse(grading, &d->grading) < 0)
		return bad_field(&r, "grading", "\"highest\", \"average\", \"first\" or \"last\"");
	if (!as->unit_code)
		as->unit_code = default_unit;
	if (!as->unit_code)
		return bad_field(&r, "unit", "give the organising unit");
	return lms_as_check(as, err);
}

/* ---- JSON out --------------------------------------------------------------------------------- */

cJSON *srv_as_json(const lms_assessment *as, bool detail)
{
	cJSON *o = cJSON_CreateObject(), *u, *c;
	const lms_as_def *d = &as->def;
	size_t i, j;

	cJSON_AddStringToObject(o, "code", as->code);
	cJSON_AddStringToObject(o, "kind", lms_as_kind_name(d->kind));
	cJSON_AddStringToObject(o, "title", as->title);
	cJSON_AddStringToObject(o, "description", as->description ? as->description : "");
	cJSON_AddStringToObject(o, "status", lms_as_status_name(as->status));
	u = cJSON_AddObjectToObject(o, "unit");
	cJSON_AddStringToObject(u, "code", as->unit_code ? as->unit_code : "");
	cJSON_AddStringToObject(u, "name", as->unit_name ? as->unit_name : "");
	srv_json_str(o, "course", as->course_code);
	cJSON_AddBoolToObject(o, "counts_for_course", as->counts_for_course);
	srv_json_time_ms(o, "opens_at", d->opens_us);
	srv_json_time_ms(o, "closes_at", d->closes_us);
	cJSON_AddNumberToObject(o, "time_limit_s", (double)(d->time_limit_us / LMS_SECOND_US));
	cJSON_AddNumberToObject(o, "max_attempts", d->max_attempts);
	cJSON_AddNumberToObject(o, "pass_fraction", d->pass_fraction);
	cJSON_AddStringToObject(o, "grading", lms_as_grading_name(d->grading));
	cJSON_AddBoolToObject(o, "shuffle_questions", d->shuffle_questions);
	cJSON_AddStringToObject(o, "show_score", lms_as_show_name(d->show_score));
	cJSON_AddStringToObject(o, "show_answers", lms_as_show_name(d->show_answers));
	cJSON_AddStringToObject(o, "show_feedback", lms_as_show_name(d->show_feedback));
	cJSON_AddNumberToObject(o, "rev", (double)as->rev);
	srv_json_str(o, "created_by", as->created_by);
	srv_json_time_ms(o, "created_at", as->created_us);
	srv_json_time_ms(o, "opened_at", as->opened_us);
	srv_json_time_ms(o, "closed_at", as->closed_us);
	srv_json_time_ms(o, "published_at", as->published_us);
	srv_json_str(o, "published_by", as->published_by);
	c = cJSON_AddObjectToObject(o, "counts");
	cJSON_AddNumberToObject(c, "attempts", (double)as->attempts);
	cJSON_AddNumberToObject(c, "submitted", (double)as->submitted);
	cJSON_AddNumberToObject(c, "to_grade", (double)as->to_grade);
	if (!detail)
		return o;
	c = cJSON_AddArrayToObject(o, "fixed");
	for (i = 0; i < d->n_fixed; i++)
		cJSON_AddItemToArray(c, cJSON_CreateNumber((double)d->fixed[i]));
	c = cJSON_AddArrayToObject(o, "rules");
	for (i = 0; i < d->n_rules; i++) {
		static const char *const diff[] = { NULL, "easy", "medium", "hard" };
		cJSON *x = cJSON_CreateObject();
		srv_json_str(x, "category", d->rules[i].category);
		srv_json_str(x, "difficulty", (unsigned)d->rules[i].difficulty <= 3 ? diff[d->rules[i].difficulty] : NULL);
		srv_json_str(x, "tag", d->rules[i].tag);
		cJSON_AddNumberToObject(x, "count", d->rules[i].count);
		cJSON_AddNumberToObject(x, "points", d->rules[i].points);
		cJSON_AddItemToArray(c, x);
	}
	c = cJSON_AddArrayToObject(o, "audience");
	for (i = 0; i < as->n_audience; i++) {
		const lms_as_audience *au = &as->audience[i];
		cJSON *x = cJSON_CreateObject(), *p = cJSON_AddArrayToObject(x, "positions");
		srv_json_str(x, "unit", au->unit_code);
		for (j = 0; j < au->n_positions; j++)
			cJSON_AddItemToArray(p, cJSON_CreateString(au->positions[j]));
		srv_json_str(x, "par_role", au->par_role >= 0 ? lms_par_role_name((lms_par_role)au->par_role) : NULL);
		if (au->leader < 0)
			cJSON_AddNullToObject(x, "leader");
		else
			cJSON_AddBoolToObject(x, "leader", au->leader == 1);
		cJSON_AddItemToArray(c, x);
	}
	c = cJSON_AddArrayToObject(o, "named");
	for (i = 0; i < as->n_named; i++)
		cJSON_AddItemToArray(c, cJSON_CreateString(as->named[i]));
	return o;
}

/* ---- results ------------------------------------------------------------------------------------ */

cJSON *srv_as_result_json(const lms_as_result_row *x)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "attempt", (double)x->attempt_id);
	cJSON_AddNumberToObject(o, "attempt_no", x->attempt_no);
	cJSON_AddStringToObject(o, "learner", x->learner_name ? x->learner_name : "");
	srv_json_str(o, "employee_code", x->employee_code);
	srv_json_str(o, "unit_code", x->unit_code);
	srv_json_str(o, "unit_name", x->unit_name);
	srv_json_str(o, "position", x->position);
	cJSON_AddBoolToObject(o, "is_leader", x->is_leader);
	srv_json_time_ms(o, "started_at", x->started_us);
	srv_json_time_ms(o, "submitted_at", x->submitted_us);
	srv_json_str(o, "submitted_by", x->submitted_by);
	cJSON_AddNumberToObject(o, "time_used_s", (double)((x->submitted_us - x->started_us) / LMS_SECOND_US));
	cJSON_AddBoolToObject(o, "waiting_for_grading", !x->graded || x->needs_manual);
	if (x->graded) {
		cJSON_AddNumberToObject(o, "score", x->score);
		cJSON_AddNumberToObject(o, "max_score", x->max_score);
		cJSON_AddNumberToObject(o, "fraction", x->fraction);
	}
	if (x->graded && !x->needs_manual)
		cJSON_AddBoolToObject(o, "passed", x->passed);
	else
		cJSON_AddNullToObject(o, "passed");
	if (x->rank)
		cJSON_AddNumberToObject(o, "rank", x->rank);
	else
		cJSON_AddNullToObject(o, "rank");
	cJSON_AddBoolToObject(o, "best", x->best);
	cJSON_AddNumberToObject(o, "integrity_events", (double)x->integrity_events);
	return o;
}

static int cmp_rank(const void *a, const void *b)
{
	const lms_as_result_row *x = a, *y = b;
	int rx = x->rank ? x->rank : 1 << 30, ry = y->rank ? y->rank : 1 << 30;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x->attempt_id < y->attempt_id ? -1 : x->attempt_id > y->attempt_id;
}

void srv_as_results_sort(lms_as_result_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_rank);
}

/* ---- CSV files ----------------------------------------------------------------------------------- */

static void csv_row(lms_jsonw *w, lms_arena *a, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			lms_jsonw_raw(w, ",");
		lms_jsonw_raw(w, lms_sv_csv_cell(a, cells[i]));
	}
	lms_jsonw_raw(w, "\r\n");
}

/* v with digits decimals. */
static const char *fmt(lms_arena *a, int digits, double v)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%.*f", digits, v);
	return lms_arena_strdup(a, buf);
}

static const char *fmt_id(lms_arena *a, long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", v);
	return lms_arena_strdup(a, buf);
}

/* A time in Ho Chi Minh City (UTC+7, no daylight saving), as a spreadsheet reads it. */
static const char *city_time(lms_arena *a, int64_t us)
{
	char buf[32];
	time_t t = (time_t)(us / LMS_SECOND_US) + 7 * 3600;
	struct tm tm;

	if (!us || !gmtime_r(&t, &tm))
		return "";
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	return lms_arena_strdup(a, buf);
}

const char *srv_as_results_csv(lms_arena *a, const lms_assessment *as,
                               const lms_as_result_row *rows, size_t n)
{
	static const char *const head[] = {
		"Hạng", "Họ và tên", "Mã cán bộ", "Mã đơn vị", "Đơn vị", "Chức vụ", "Lãnh đạo",
		"Điểm", "Điểm tối đa", "Tỷ lệ", "Kết quả", "Thời gian làm (giây)",
		"Bắt đầu (giờ TP.HCM)", "Nộp lúc (giờ TP.HCM)", "Nộp bởi", "Mã lượt làm", "Lượt thứ",
		"Lượt được xếp hạng", "Sự kiện bất thường", "Mã bài kiểm tra"
	};
	enum { NCOL = sizeof(head) / sizeof(head[0]) };
	lms_jsonw w;
	size_t i;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "\xEF\xBB\xBF"); /* the BOM: Excel then reads UTF-8 */
	csv_row(&w, a, head, NCOL);
	for (i = 0; i < n; i++) {
		const lms_as_result_row *x = &rows[i];
		const char *c[NCOL];
		bool final = x->graded && !x->needs_manual;

		c[0] = x->rank ? fmt_id(a, x->rank) : "";
		c[1] = x->learner_name;
		c[2] = x->employee_code;
		c[3] = x->unit_code;
		c[4] = x->unit_name;
		c[5] = x->position;
		c[6] = x->is_leader ? "có" : "không";
		c[7] = x->graded ? fmt(a, 2, x->score) : "";
		c[8] = x->graded ? fmt(a, 2, x->max_score) : "";
		c[9] = x->graded ? fmt(a, 4, x->fraction) : "";
		c[10] = !final ? "chờ chấm" : x->passed ? "đạt" : "không đạt";
		c[11] = fmt_id(a, (long long)((x->submitted_us - x->started_us) / LMS_SECOND_US));
		c[12] = city_time(a, x->started_us);
		c[13] = city_time(a, x->submitted_us);
		c[14] = x->submitted_by;
		c[15] = fmt_id(a, (long long)x->attempt_id);
		c[16] = fmt_id(a, x->attempt_no);
		c[17] = x->best ? "có" : "không";
		c[18] = fmt_id(a, (long long)x->integrity_events);
		c[19] = as->code;
		csv_row(&w, a, c, NCOL);
	}
	return lms_jsonw_text(&w);
}

static const char *num_cell(lms_arena *a, lms_ia_num v)
{
	return lms_ia_defined(v) ? fmt(a, 3, v.value) : "";
}

const char *srv_as_items_csv(lms_arena *a, const lms_assessment *as, const lms_ia_result *res,
                             const char *const *labels, const char *const *types,
                             const int64_t *qids)
{
	static const char *const head[] = { "Mã câu hỏi", "Câu hỏi", "Loại", "Số lượt làm",
		                            "Độ khó (p)", "Độ lệch chuẩn", "Độ phân biệt (D)",
		                            "Tương quan câu - phần còn lại", "Cảnh báo" };
	lms_jsonw w;
	size_t i;
	unsigned b;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "\xEF\xBB\xBF");
	{
		const char *meta[] = { as->code, as->title, "Cronbach alpha / KR-20",
			               num_cell(a, res->test.alpha) };
		csv_row(&w, a, meta, 4);
	}
	csv_row(&w, a, head, 9);
	for (i = 0; i < res->n_items; i++) {
		const lms_ia_item_stats *s = &res->items[i];
		char flags[256];
		size_t fl = 0;
		const char *cells[9];

		flags[0] = '\0';
		for (b = 0; b < LMS_IA_FLAG_COUNT && fl < sizeof(flags) - 1; b++)
			if (s->flags & (1u << b)) {
				int k = snprintf(flags + fl, sizeof(flags) - fl, "%s%s", fl ? "; " : "",
				                 lms_ia_flag_code(1u << b));
				fl = k < 0 ? fl : fl + (size_t)k < sizeof(flags) ? fl + (size_t)k : sizeof(flags) - 1;
			}
		cells[0] = fmt_id(a, (long long)qids[i]);
		cells[1] = labels[i];
		cells[2] = types[i];
		cells[3] = fmt_id(a, (long long)s->n);
		cells[4] = num_cell(a, s->facility);
		cells[5] = num_cell(a, s->sd);
		cells[6] = num_cell(a, s->discrimination);
		cells[7] = num_cell(a, s->item_rest_r);
		cells[8] = lms_arena_strdup(a, flags);
		csv_row(&w, a, cells, 9);
	}
	return lms_jsonw_text(&w);
}
