/* survey_report.c — what a reader of a survey's results may see (survey_report.h), and the
 * survey section of the HR report (reports.h, lms_rep_surveys_run).
 *
 * The suppression of small groups (docs/surveys.md, "What the results show (k = 5)") is
 * applied here once, for the survey page (server/src/h_survey.c) and for the HR report alike:
 * unit groups and course groups each partition the whole and are suppressed on their own
 * (lms_sv_suppress, survey.c), and a whole under k hides every group with responses.
 *
 * It holds no SQL and no HTTP; lms_rep_surveys_run reads through store->ops->report and
 * store->ops->survey_get. Free text never enters the report section: only Likert numbers.
 */
#include "lms/survey_report.h"

#include "lms/reports.h"

#include <string.h>

void lms_sv_results_suppress(bool anonymous, const lms_sv_results *res, lms_arena *a,
                             lms_sv_shown *out)
{
	size_t n = res->n_groups, i, nu = 0, nc = 0;
	int64_t *ns = lms_arena_alloc(a, (n + 1) * sizeof(*ns));
	size_t *idx = lms_arena_alloc(a, (n + 1) * sizeof(*idx));
	bool *part = lms_arena_alloc(a, n + 1);

	memset(out, 0, sizeof(*out));
	out->k = anonymous ? LMS_SV_K : 1;
	out->all_hidden = res->all.responses > 0 && res->all.responses < out->k;
	out->hidden = lms_arena_alloc(a, n + 1);
	out->why = lms_arena_alloc(a, n + 1);
	/* the unit groups, then the course groups: each partition on its own */
	for (i = 0; i < n; i++)
		if (res->groups[i].kind != 'c') {
			idx[nu] = i;
			ns[nu++] = res->groups[i].responses;
		}
	lms_sv_suppress(ns, nu, out->k, part);
	for (i = 0; i < nu; i++)
		out->hidden[idx[i]] = part[i];
	for (i = 0; i < n; i++)
		if (res->groups[i].kind == 'c') {
			idx[nc] = i;
			ns[nc++] = res->groups[i].responses;
		}
	lms_sv_suppress(ns, nc, out->k, part);
	for (i = 0; i < nc; i++)
		out->hidden[idx[i]] = part[i];
	for (i = 0; i < n; i++) {
		int64_t r = res->groups[i].responses;
		if (out->all_hidden)
			out->hidden[i] = r > 0;
		out->why[i] = !out->hidden[i] ? 0 : r < out->k ? 's' : 'c';
	}
}

int64_t lms_sv_count_of(const lms_sv_results *res, int group, int qid, int num)
{
	size_t i;

	for (i = 0; i < res->n_counts; i++)
		if (res->counts[i].group == group && res->counts[i].qid == qid && res->counts[i].num == num)
			return res->counts[i].n;
	return 0;
}

void lms_sv_dist(const lms_sv_results *res, int group, const lms_sv_question *q, int64_t *dist)
{
	size_t i;

	/* Likert values are 1..points, choices 0..n-1 */
	for (i = 0; i < q->n_options && i < LMS_SV_OPTIONS_MAX; i++)
		dist[i] = lms_sv_count_of(res, group, q->id, q->kind == LMS_SQ_LIKERT ? (int)i + 1 : (int)i);
}

/* ---- the HR report's survey section ---- */

double lms_rep_sv_rate(const lms_rep_sv_line *l)
{
	if (l->hidden || l->population <= 0)
		return -1;
	return 100.0 * (double)l->responses / (double)l->population;
}

/* The Likert numbers of group (-1: the whole) for each Likert question of x. */
static lms_rep_sv_q *line_numbers(const lms_rep_survey *x, const lms_sv_results *res, int group,
                                  lms_arena *a)
{
	lms_rep_sv_q *q = lms_arena_alloc(a, (x->n_likert + 1) * sizeof(*q));
	size_t i;

	for (i = 0; i < x->n_likert; i++) {
		const lms_sv_question *qq = x->likert[i];
		int64_t dist[LMS_SV_OPTIONS_MAX];
		lms_sv_likert_stats ls;
		int p, points = qq->points < LMS_SV_POINTS_MAX ? qq->points : LMS_SV_POINTS_MAX;
		memset(dist, 0, sizeof(dist));
		lms_sv_dist(res, group, qq, dist);
		for (p = 0; p < points; p++)
			q[i].dist[p] = dist[p];
		q[i].answered = lms_sv_count_of(res, group, qq->id, LMS_SV_ANSWERED);
		lms_sv_likert(dist, points, &ls);
		q[i].mean = ls.n ? ls.mean : -1;
	}
	return q;
}

void lms_rep_survey_build(const lms_survey *sv, const lms_sv_results *res, lms_arena *a,
                          lms_rep_survey *out)
{
	lms_sv_shown sh;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->sv = *sv;
	out->k = sv->anonymous ? LMS_SV_K : 0;
	out->likert = lms_arena_alloc(a, (sv->n_questions + 1) * sizeof(*out->likert));
	for (i = 0; i < sv->n_questions; i++)
		if (sv->questions[i].kind == LMS_SQ_LIKERT)
			out->likert[out->n_likert++] = &sv->questions[i];
	lms_sv_results_suppress(sv->anonymous, res, a, &sh);
	out->all.kind = 'a';
	out->all.responses = res->all.responses;
	out->all.population = res->all.population;
	out->all.hidden = sh.all_hidden;
	out->all.why = sh.all_hidden ? 's' : 0;
	if (!sh.all_hidden)
		out->all.q = line_numbers(out, res, -1, a);
	out->lines = lms_arena_alloc(a, (res->n_groups + 1) * sizeof(*out->lines));
	for (i = 0; i < res->n_groups; i++) {
		const lms_sv_group *g = &res->groups[i];
		lms_rep_sv_line *l;
		if (g->kind == 'c')
			continue; /* courses: a partition of their own, not a line of the report */
		l = &out->lines[out->n_lines++];
		l->kind = g->kind;
		l->code = g->code;
		l->name = g->name;
		l->responses = g->responses;
		l->population = g->population;
		l->hidden = sh.hidden[i];
		l->why = sh.why[i];
		if (!l->hidden)
			l->q = line_numbers(out, res, (int)i, a);
	}
}

int lms_rep_surveys_run(lms_store *s, const lms_rep_query *q, const lms_unit *root, lms_arena *a,
                        lms_rep_surveys *out, lms_err *err)
{
	const lms_report_ops *ops = s->ops->report;
	lms_rep_surveys r;
	const char **codes = NULL;
	size_t n = 0, i;
	int64_t *roots;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!ops || !ops->surveys || !ops->survey_results || !s->ops->survey_get)
		return lms_err_set(err, LMS_EUNSUPPORTED, "unsupported", NULL,
		                   "this store keeps no survey reports");
	if ((rc = ops->surveys(s, q, LMS_REP_SURVEYS_MAX + 1, a, &codes, &n, err)) < 0)
		return rc;
	if (n > LMS_REP_SURVEYS_MAX) {
		r.more = true;
		n = LMS_REP_SURVEYS_MAX;
	}
	r.surveys = lms_arena_alloc(a, (n + 1) * sizeof(*r.surveys));
	roots = lms_arena_alloc(a, sizeof(*roots));
	roots[0] = root->id;
	for (i = 0; i < n; i++) {
		lms_survey sv;
		lms_sv_filter f;
		lms_sv_results res;
		if ((rc = s->ops->survey_get(s, codes[i], a, &sv, err)) < 0)
			return rc;
		memset(&f, 0, sizeof(f));
		f.survey_id = sv.id;
		f.scope.roots = roots;
		f.scope.n_roots = 1;
		f.group_unit = root->id;
		if ((rc = ops->survey_results(s, &f, &q->period, a, &res, err)) < 0)
			return rc;
		lms_rep_survey_build(&sv, &res, a, &r.surveys[r.n_surveys++]);
	}
	r.root = *root;
	*out = r;
	return LMS_OK;
}
