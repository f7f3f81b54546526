/* report_json.c — the HR reports as JSON (docs/reports.md, "API"): one writer for the web
 * (h_reports.c) and for `parlearn report --format json` (cli_report.c), so both give the same
 * document for the same parameters. Times are given in seconds and in hours (one decimal);
 * a rate or an average with nothing under it is null, never 0.
 */
#include "report_json.h"

#include <string.h>


void srv_rep_str_or_null(cJSON *o, const char *name, const char *v)
{
	if (v && *v)
		cJSON_AddStringToObject(o, name, v);
	else
		cJSON_AddNullToObject(o, name);
}

double srv_rep_round1(double v)
{
	return (double)(int64_t)(v * 10.0 + (v < 0 ? -0.5 : 0.5)) / 10.0;
}

static void add_counts(cJSON *o, const lms_rep_counts *c)
{
	double rate = lms_rep_rate(c);

	cJSON_AddNumberToObject(o, "people", (double)c->people);
	cJSON_AddNumberToObject(o, "enrolled", (double)c->enrolled);
	cJSON_AddNumberToObject(o, "enrolled_completed", (double)c->enrolled_done);
	if (rate < 0)
		cJSON_AddNullToObject(o, "completion_rate");
	else
		cJSON_AddNumberToObject(o, "completion_rate", srv_rep_round1(rate));
	cJSON_AddNumberToObject(o, "completed", (double)c->completed);
	cJSON_AddNumberToObject(o, "failed", (double)c->failed);
	cJSON_AddNumberToObject(o, "overdue", (double)c->overdue);
	cJSON_AddNumberToObject(o, "active_s", (double)c->active_s);
	cJSON_AddNumberToObject(o, "reported_s", (double)c->reported_s);
	cJSON_AddNumberToObject(o, "active_hours", srv_rep_round1((double)c->active_s / 3600.0));
	cJSON_AddNumberToObject(o, "reported_hours", srv_rep_round1((double)c->reported_s / 3600.0));
	cJSON_AddNumberToObject(o, "periods", (double)c->periods);
	if (c->people)
		cJSON_AddNumberToObject(o, "periods_per_person",
		                        srv_rep_round1((double)c->periods / (double)c->people));
	else
		cJSON_AddNullToObject(o, "periods_per_person");
	cJSON_AddNumberToObject(o, "at_target", (double)c->at_target);
}

cJSON *srv_rep_json_head(const lms_rep_query *q, const lms_unit *root)
{
	cJSON *o = cJSON_CreateObject(), *u, *p, *f;

	u = cJSON_AddObjectToObject(o, "unit");
	cJSON_AddStringToObject(u, "code", root->code);
	cJSON_AddStringToObject(u, "name", root->name);
	cJSON_AddStringToObject(u, "kind", root->kind);
	srv_rep_str_or_null(u, "valid_from", root->valid_from);
	srv_rep_str_or_null(u, "valid_to", root->valid_to);
	p = cJSON_AddObjectToObject(o, "period");
	cJSON_AddStringToObject(p, "label", q->period.label);
	cJSON_AddStringToObject(p, "from", q->period.from);
	cJSON_AddStringToObject(p, "to", q->period.to);
	f = cJSON_AddObjectToObject(o, "filters");
	srv_rep_str_or_null(f, "course", q->course_code);
	srv_rep_str_or_null(f, "par_area", q->par_area);
	srv_rep_str_or_null(f, "audience", lms_rep_leader_name(q->leader));
	srv_rep_str_or_null(f, "par_role", lms_rep_par_name(q->par));
	cJSON_AddNumberToObject(o, "target_periods", LMS_REP_PERIOD_TARGET);
	return o;
}

cJSON *srv_rep_json_completion(const lms_rep_query *q, const lms_unit *root,
                              const lms_rep_completion *c)
{
	cJSON *o = srv_rep_json_head(q, root), *rows, *s, *m, *a, *k, *pr;
	size_t i;

	cJSON_AddStringToObject(o, "drill", "units");
	rows = cJSON_AddArrayToObject(o, "rows");
	for (i = 0; i < c->n_rows; i++) {
		const lms_rep_unit_row *u = &c->rows[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "code", u->code);
		cJSON_AddStringToObject(e, "name", u->name);
		cJSON_AddStringToObject(e, "kind", u->kind);
		cJSON_AddBoolToObject(e, "own", u->own);
		cJSON_AddBoolToObject(e, "has_children", u->has_children);
		srv_rep_str_or_null(e, "valid_from", u->valid_from);
		srv_rep_str_or_null(e, "valid_to", u->valid_to);
		add_counts(e, &u->c);
		cJSON_AddItemToArray(rows, e);
	}
	add_counts(cJSON_AddObjectToObject(o, "total"), &c->total);
	s = cJSON_AddObjectToObject(o, "series");
	m = cJSON_AddArrayToObject(s, "months");
	a = cJSON_AddArrayToObject(s, "par_areas");
	k = cJSON_AddArrayToObject(s, "courses");
	for (i = 0; i < c->n_series; i++) {
		const lms_rep_series *x1 = &c->series[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "key", x1->key);
		if (x1->kind == 'c')
			cJSON_AddStringToObject(e, "title", x1->label);
		cJSON_AddNumberToObject(e, "enrolled", (double)x1->enrolled);
		cJSON_AddNumberToObject(e, "completed", (double)x1->completed);
		cJSON_AddItemToArray(x1->kind == 'm' ? m : x1->kind == 'a' ? a : k, e);
	}
	pr = cJSON_AddArrayToObject(o, "predecessors");
	for (i = 0; i < c->n_preds; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "code", c->preds[i].code);
		cJSON_AddStringToObject(e, "name", c->preds[i].name);
		cJSON_AddStringToObject(e, "kind", c->preds[i].kind);
		srv_rep_str_or_null(e, "valid_to", c->preds[i].valid_to);
		cJSON_AddStringToObject(e, "successors", c->preds[i].successor_code);
		cJSON_AddItemToArray(pr, e);
	}
	return o;
}

int srv_rep_json_person(void *ctx, const lms_rep_person_row *p, lms_err *err)
{
	cJSON *e = cJSON_CreateObject();

	(void)err;
	srv_rep_str_or_null(e, "employee_code", p->employee_code);
	srv_rep_str_or_null(e, "full_name", p->full_name);
	srv_rep_str_or_null(e, "unit_code", p->unit_code);
	srv_rep_str_or_null(e, "unit_name", p->unit_name);
	srv_rep_str_or_null(e, "position", p->position);
	cJSON_AddBoolToObject(e, "is_leader", p->is_leader);
	srv_rep_str_or_null(e, "par_role", p->par_role);
	cJSON_AddBoolToObject(e, "on_roster", p->on_roster);
	add_counts(e, &p->c);
	cJSON_AddNumberToObject(e, "periods_year", (double)p->periods_year);
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

int srv_rep_json_item(void *ctx, const lms_rep_item *it, lms_err *err)
{
	cJSON *e = cJSON_CreateObject();

	(void)err;
	srv_rep_str_or_null(e, "code", it->code);
	srv_rep_str_or_null(e, "name", it->name);
	srv_rep_str_or_null(e, "unit_code", it->unit_code);
	srv_rep_str_or_null(e, "unit_name", it->unit_name);
	cJSON_AddBoolToObject(e, "counted", it->counted);
	cJSON_AddNumberToObject(e, "n1", (double)it->n1);
	cJSON_AddNumberToObject(e, "n2", (double)it->n2);
	srv_rep_str_or_null(e, "detail", it->detail);
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

cJSON *srv_rep_json_indicators(const lms_rep_query *q, const lms_unit *root,
                               const lms_rep_indicator *ind)
{
	cJSON *o = srv_rep_json_head(q, root), *arr;
	int i;

	arr = cJSON_AddArrayToObject(o, "indicators");
	for (i = 0; i < LMS_IND_COUNT; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "id", lms_rep_ind_id(ind[i].ind));
		cJSON_AddStringToObject(e, "label", lms_rep_ind_label_vi(ind[i].ind));
		cJSON_AddBoolToObject(e, "available", ind[i].available);
		cJSON_AddStringToObject(e, "kind", ind[i].share ? "share" : "count");
		cJSON_AddNumberToObject(e, "target", (double)ind[i].target);
		if (!ind[i].available) {
			cJSON_AddNullToObject(e, "numerator");
			cJSON_AddNullToObject(e, "denominator");
			cJSON_AddNullToObject(e, "percent");
			cJSON_AddStringToObject(e, "note", "no data behind this indicator");
		} else {
			cJSON_AddNumberToObject(e, "numerator", (double)ind[i].numerator);
			if (ind[i].share) {
				cJSON_AddNumberToObject(e, "denominator", (double)ind[i].denominator);
				if (ind[i].denominator)
					cJSON_AddNumberToObject(e, "percent",
					                        srv_rep_round1(100.0 * (double)ind[i].numerator /
					                                       (double)ind[i].denominator));
				else
					cJSON_AddNullToObject(e, "percent");
			} else {
				cJSON_AddNullToObject(e, "denominator");
				cJSON_AddNullToObject(e, "percent");
			}
		}
		cJSON_AddItemToArray(arr, e);
	}
	return o;
}

/* ---- quiz and exam results ---- */

static void add_exam_counts(cJSON *o, const lms_rep_exam_counts *c)
{
	double avg = lms_rep_exam_avg(c), pass = lms_rep_exam_pass_rate(c);
	double bands[LMS_REP_BANDS];
	int b;

	cJSON_AddNumberToObject(o, "attempts", (double)c->attempts);
	cJSON_AddNumberToObject(o, "people", (double)c->people);
	cJSON_AddNumberToObject(o, "passed", (double)c->passed);
	if (avg < 0)
		cJSON_AddNullToObject(o, "average_score");
	else
		cJSON_AddNumberToObject(o, "average_score", srv_rep_round1(avg));
	if (pass < 0)
		cJSON_AddNullToObject(o, "pass_rate");
	else
		cJSON_AddNumberToObject(o, "pass_rate", srv_rep_round1(pass));
	cJSON_AddNumberToObject(o, "pending_essays", (double)c->pending);
	for (b = 0; b < LMS_REP_BANDS; b++)
		bands[b] = (double)c->bands[b];
	cJSON_AddItemToObject(o, "bands", cJSON_CreateDoubleArray(bands, LMS_REP_BANDS));
}

cJSON *srv_rep_json_exams(const lms_rep_query *q, const lms_unit *root, const lms_rep_exams *e)
{
	cJSON *o = srv_rep_json_head(q, root), *f, *rows, *as, *pr;
	size_t i;

	f = cJSON_GetObjectItemCaseSensitive(o, "filters");
	srv_rep_str_or_null(f, "assessment", q->assessment_code);
	srv_rep_str_or_null(f, "kind", lms_rep_akind_name(q->akind));
	rows = cJSON_AddArrayToObject(o, "rows");
	for (i = 0; i < e->n_rows; i++) {
		const lms_rep_exam_line *u = &e->rows[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", u->code);
		cJSON_AddStringToObject(x, "name", u->name);
		cJSON_AddStringToObject(x, "kind", u->kind);
		cJSON_AddBoolToObject(x, "own", u->own);
		cJSON_AddBoolToObject(x, "has_children", u->has_children);
		srv_rep_str_or_null(x, "valid_from", u->valid_from);
		srv_rep_str_or_null(x, "valid_to", u->valid_to);
		add_exam_counts(x, &u->c);
		cJSON_AddItemToArray(rows, x);
	}
	add_exam_counts(cJSON_AddObjectToObject(o, "total"), &e->total);
	as = cJSON_AddArrayToObject(o, "assessments");
	for (i = 0; i < e->n_assessments; i++) {
		const lms_rep_exam_line *a = &e->assessments[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", a->code);
		cJSON_AddStringToObject(x, "title", a->name);
		cJSON_AddStringToObject(x, "kind", a->kind);
		srv_rep_str_or_null(x, "course", a->course_code);
		srv_rep_str_or_null(x, "results_published_on", a->published);
		add_exam_counts(x, &a->c);
		cJSON_AddItemToArray(as, x);
	}
	pr = cJSON_AddArrayToObject(o, "predecessors");
	for (i = 0; i < e->n_preds; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "code", e->preds[i].code);
		cJSON_AddStringToObject(x, "name", e->preds[i].name);
		cJSON_AddStringToObject(x, "kind", e->preds[i].kind);
		srv_rep_str_or_null(x, "valid_to", e->preds[i].valid_to);
		cJSON_AddStringToObject(x, "successors", e->preds[i].successor_code);
		cJSON_AddItemToArray(pr, x);
	}
	return o;
}

int srv_rep_json_pool(void *ctx, const lms_rep_pool_row *p, lms_err *err)
{
	cJSON *e = cJSON_CreateObject();

	(void)err;
	srv_rep_str_or_null(e, "employee_code", p->employee_code);
	srv_rep_str_or_null(e, "full_name", p->full_name);
	srv_rep_str_or_null(e, "unit_code", p->unit_code);
	srv_rep_str_or_null(e, "unit_name", p->unit_name);
	srv_rep_str_or_null(e, "track", p->track);
	srv_rep_str_or_null(e, "assessment", p->assessment_code);
	srv_rep_str_or_null(e, "assessment_title", p->assessment_title);
	cJSON_AddNumberToObject(e, "rank", (double)p->rank);
	cJSON_AddNumberToObject(e, "score", p->score);
	if (p->fraction < 0)
		cJSON_AddNullToObject(e, "score_percent");
	else
		cJSON_AddNumberToObject(e, "score_percent", srv_rep_round1(100.0 * p->fraction));
	srv_rep_str_or_null(e, "status", p->status);
	srv_rep_str_or_null(e, "proposed_by", p->proposed_by);
	srv_rep_str_or_null(e, "proposed_at", p->proposed_at);
	srv_rep_str_or_null(e, "decided_by", p->decided_by);
	srv_rep_str_or_null(e, "decided_at", p->decided_at);
	srv_rep_str_or_null(e, "note", p->note);
	cJSON_AddItemToArray(ctx, e);
	return 0;
}

/* ---- survey results ---- */

/* A survey's line: responses, population, rate (per cent), suppression, Likert numbers. */
static cJSON *json_sv_line(const lms_rep_survey *x, const lms_rep_sv_line *l)
{
	cJSON *o = cJSON_CreateObject(), *qs;
	double rate = lms_rep_sv_rate(l);
	size_t i;
	int p;

	if (l->kind != 'a') {
		cJSON_AddStringToObject(o, "kind", l->kind == 'd' ? "direct" : l->kind == 'u' ? "unit" : "none");
		srv_rep_str_or_null(o, "code", l->code);
		srv_rep_str_or_null(o, "name", l->name);
	}
	if (l->hidden)
		cJSON_AddNullToObject(o, "responses");
	else
		cJSON_AddNumberToObject(o, "responses", (double)l->responses);
	cJSON_AddNumberToObject(o, "population", (double)l->population);
	if (rate < 0)
		cJSON_AddNullToObject(o, "response_rate");
	else
		cJSON_AddNumberToObject(o, "response_rate", srv_rep_round1(rate));
	cJSON_AddBoolToObject(o, "suppressed", l->hidden);
	if (l->hidden) {
		cJSON_AddStringToObject(o, "suppressed_because", l->why == 'c' ? "complement" : "fewer_than_k");
		cJSON_AddNullToObject(o, "questions");
		return o;
	}
	qs = cJSON_AddArrayToObject(o, "questions");
	for (i = 0; i < x->n_likert; i++) {
		const lms_rep_sv_q *q = &l->q[i];
		cJSON *j = cJSON_CreateObject(), *d;
		cJSON_AddNumberToObject(j, "id", x->likert[i]->id);
		cJSON_AddNumberToObject(j, "answered", (double)q->answered);
		if (q->mean < 0)
			cJSON_AddNullToObject(j, "mean");
		else
			cJSON_AddNumberToObject(j, "mean", srv_rep_round1(q->mean));
		d = cJSON_AddArrayToObject(j, "counts");
		for (p = 0; p < x->likert[i]->points && p < LMS_SV_POINTS_MAX; p++)
			cJSON_AddItemToArray(d, cJSON_CreateNumber((double)q->dist[p]));
		cJSON_AddItemToArray(qs, j);
	}
	return o;
}

cJSON *srv_rep_json_surveys(const lms_rep_query *q, const lms_unit *root,
                            const lms_rep_surveys *r)
{
	cJSON *o = srv_rep_json_head(q, root), *arr;
	size_t i, k, n;

	cJSON_AddNumberToObject(o, "k", LMS_SV_K);
	cJSON_AddBoolToObject(o, "more", r->more);
	arr = cJSON_AddArrayToObject(o, "surveys");
	for (i = 0; i < r->n_surveys; i++) {
		const lms_rep_survey *x = &r->surveys[i];
		cJSON *s = cJSON_CreateObject(), *qs, *lines;
		cJSON_AddStringToObject(s, "code", x->sv.code);
		cJSON_AddStringToObject(s, "title", x->sv.title);
		cJSON_AddStringToObject(s, "kind", lms_sv_kind_name(x->sv.kind));
		cJSON_AddStringToObject(s, "status", lms_sv_status_name(x->sv.status));
		cJSON_AddBoolToObject(s, "anonymous", x->sv.anonymous);
		cJSON_AddNumberToObject(s, "k", (double)x->k);
		srv_rep_str_or_null(s, "opens_on", x->sv.opens_on);
		srv_rep_str_or_null(s, "closes_on", x->sv.closes_on);
		qs = cJSON_AddArrayToObject(s, "questions");
		for (k = 0; k < x->n_likert; k++) {
			const lms_sv_question *qq = x->likert[k];
			cJSON *j = cJSON_CreateObject(), *labels;
			cJSON_AddNumberToObject(j, "id", qq->id);
			cJSON_AddStringToObject(j, "text", qq->text);
			cJSON_AddNumberToObject(j, "points", qq->points);
			labels = cJSON_AddArrayToObject(j, "labels");
			for (n = 0; n < qq->n_options; n++)
				cJSON_AddItemToArray(labels, cJSON_CreateString(qq->options[n]));
			cJSON_AddItemToArray(qs, j);
		}
		cJSON_AddItemToObject(s, "total", json_sv_line(x, &x->all));
		lines = cJSON_AddArrayToObject(s, "rows");
		for (k = 0; k < x->n_lines; k++)
			cJSON_AddItemToArray(lines, json_sv_line(x, &x->lines[k]));
		cJSON_AddItemToArray(arr, s);
	}
	return o;
}
