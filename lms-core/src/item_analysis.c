/* item_analysis.c — classical item analysis (item_analysis.h, docs/item-analysis.md).
 *
 * One pass over the cells validates them and sums each attempt's total and possible points;
 * the attempts are then ranked once (score as a share of the attempt's possible points,
 * highest first, ties by attempt index so the result is deterministic); each item walks that
 * ranking, copies the scores of the attempts given it into scratch arrays, and computes its
 * numbers with two-pass sums in long double (mean first, then squared deviations), which is
 * stable for 10^6 attempts. Whether a spread is zero is decided on the minimum and maximum,
 * never on a rounded variance. Cost: O(n log n + n k) time, O(n + k) memory besides the result.
 *
 * It does not read storage, format JSON or decide what a page shows.
 */
#include "lms/item_analysis.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Scores a little over max (rounding in partial credit, 1/3 + 1/3 + 1/3) are accepted. */
#define OVER_MAX_TOLERANCE 1e-9
/* A value within this of a flag's threshold counts as on it: rounding noise (an item-rest r
 * of -1e-17 where the exact value is 0) must not raise a flag. */
#define FLAG_EPS 1e-9

typedef struct ranked {
	double score; /* total / possible of the attempt, 0 when it was given nothing */
	size_t a;     /* attempt index */
} ranked;

/* Per attempt: sums over the items it was given. */
typedef struct attempt_sum {
	long double total;
	long double possible;
} attempt_sum;

/* Scratch arrays of n entries, reused by every item. */
typedef struct scratch {
	double *x;          /* points of the attempts given the item, in rank order */
	double *score;      /* their rank scores */
	long double *rest;  /* their rest scores, or -1 when the item was all of their paper */
	int *choice;        /* their choices (choice items only) */
} scratch;

/* LMS_EINVAL with field "<name>[a][b]" (a cell) or "items[a].<name>" (b unused). */
static int bad_field(lms_err *err, const char *msg, bool cell, const char *name, size_t a,
                     size_t b)
{
	if (!err)
		return LMS_EINVAL;
	lms_err_set(err, LMS_EINVAL, "invalid_field", NULL, "%s", msg);
	if (cell)
		snprintf(err->field, sizeof(err->field), "%s[%zu][%zu]", name, a, b);
	else
		snprintf(err->field, sizeof(err->field), "items[%zu].%s", a, name);
	return LMS_EINVAL;
}

static int by_score_desc(const void *pa, const void *pb)
{
	const ranked *x = pa, *y = pb;

	if (x->score > y->score)
		return -1;
	if (x->score < y->score)
		return 1;
	return x->a < y->a ? -1 : x->a > y->a;
}

static lms_ia_num num(long double v)
{
	lms_ia_num r = { (double)v, LMS_IA_DEFINED };
	return r;
}

static lms_ia_num undefined(lms_ia_why why)
{
	lms_ia_num r = { 0.0, why };
	return r;
}

static int validate_items(const lms_ia_input *in, bool *any_choice, lms_err *err)
{
	size_t i;
	int j;

	*any_choice = false;
	for (i = 0; i < in->n_items; i++) {
		const lms_ia_item *it = &in->items[i];

		if (!isfinite(it->max_points) || it->max_points <= 0)
			return bad_field(err, "an item's max points must be a finite number > 0",
			                 false, "max_points", i, 0);
		if (it->n_options < 0 || it->n_options > LMS_IA_MAX_OPTIONS ||
		    (it->n_options > 0 && !it->option_fraction))
			return bad_field(err, "a choice item has 1 to 26 options, each with a fraction",
			                 false, "n_options", i, 0);
		for (j = 0; j < it->n_options; j++) {
			double f = it->option_fraction[j];
			if (!isfinite(f) || f < -1 || f > 1) {
				char name[32];
				snprintf(name, sizeof(name), "option_fraction[%d]", j);
				return bad_field(err, "an option's fraction must be between -1 and 1", false,
				                 name, i, 0);
			}
		}
		if (it->n_options > 0)
			*any_choice = true;
	}
	return LMS_OK;
}

/* Checks every cell and fills sums[a]; tells whether all attempts had the same items and
 * whether every presented score is 0 or the max. */
static int validate_cells(const lms_ia_input *in, attempt_sum *sums, bool *same_paper,
                          bool *dichotomous, lms_err *err)
{
	const size_t n = in->n_attempts, k = in->n_items;
	size_t a, i;

	*same_paper = n > 0;
	*dichotomous = true;
	for (a = 0; a < n; a++) {
		const double *row = in->points + a * k;
		long double total = 0, possible = 0;

		for (i = 0; i < k; i++) {
			const lms_ia_item *it = &in->items[i];
			double p = row[i];
			bool presented = !(p == LMS_IA_NOT_PRESENTED);

			if (presented) {
				if (!(p >= 0) || p > it->max_points * (1 + OVER_MAX_TOLERANCE))
					return bad_field(err,
					                 "points must be between 0 and the item's max points, "
					                 "or the not-presented mark",
					                 true, "points", a, i);
				if (it->n_options > 0) {
					int c = in->choice[a * k + i];
					if (c < LMS_IA_NO_CHOICE || c >= it->n_options)
						return bad_field(err, "a choice must name one of the item's options "
						                      "or be -1 (none)",
						                 true, "choice", a, i);
				}
				if (p != 0 && p != it->max_points)
					*dichotomous = false;
				total += p;
				possible += it->max_points;
			}
			if (a > 0 && presented != !(in->points[i] == LMS_IA_NOT_PRESENTED))
				*same_paper = false;
		}
		sums[a].total = total;
		sums[a].possible = possible;
	}
	return LMS_OK;
}

/* Sum of squared deviations from the mean of v[0..n), n > 0; *mean gets the mean. */
static long double sq_dev(const double *v, size_t n, long double *mean)
{
	long double s = 0, m, d, ss = 0;
	size_t j;

	for (j = 0; j < n; j++)
		s += v[j];
	m = s / (long double)n;
	for (j = 0; j < n; j++) {
		d = v[j] - m;
		ss += d * d;
	}
	*mean = m;
	return ss;
}

static long double mean_of(const double *v, size_t n)
{
	long double s = 0;
	size_t j;

	for (j = 0; j < n; j++)
		s += v[j];
	return s / (long double)n;
}

/* The corrected item-rest correlation over the attempts whose rest is defined. */
static lms_ia_num item_rest_r(const scratch *s, size_t n)
{
	long double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, dx, dy;
	double xmin = INFINITY, xmax = -INFINITY;
	long double ymin = INFINITY, ymax = -INFINITY;
	size_t j, m = 0;

	for (j = 0; j < n; j++) {
		if (s->rest[j] < 0)
			continue;
		m++;
		mx += s->x[j];
		my += s->rest[j];
		if (s->x[j] < xmin)
			xmin = s->x[j];
		if (s->x[j] > xmax)
			xmax = s->x[j];
		if (s->rest[j] < ymin)
			ymin = s->rest[j];
		if (s->rest[j] > ymax)
			ymax = s->rest[j];
	}
	if (m == 0)
		return undefined(LMS_IA_NO_ATTEMPTS);
	if (m < 2)
		return undefined(LMS_IA_TOO_FEW_ATTEMPTS);
	if (xmin == xmax)
		return undefined(LMS_IA_ITEM_CONSTANT);
	if (ymin == ymax)
		return undefined(LMS_IA_REST_CONSTANT);
	mx /= (long double)m;
	my /= (long double)m;
	for (j = 0; j < n; j++) {
		if (s->rest[j] < 0)
			continue;
		dx = s->x[j] - mx;
		dy = s->rest[j] - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	return num(sxy / sqrtl(sxx * syy));
}

/* Option counts and the distractor flags of a choice item. */
static void count_options(lms_ia_item_stats *st, const lms_ia_item *it, const scratch *s,
                          size_t n, size_t g, bool judge)
{
	double best = 0;
	size_t key_upper = 0, j;
	int o;
	bool has_key = false;

	for (j = 0; j < n; j++) {
		lms_ia_option_stats *os =
			s->choice[j] == LMS_IA_NO_CHOICE ? &st->no_choice : &st->options[s->choice[j]];
		os->count++;
		if (g > 0 && j < g)
			os->upper++;
		if (g > 0 && j >= n - g)
			os->lower++;
	}
	if (!judge)
		return;
	for (o = 0; o < it->n_options; o++)
		if (it->option_fraction[o] > best)
			best = it->option_fraction[o];
	for (o = 0; o < it->n_options; o++)
		if (best > 0 && it->option_fraction[o] == best) {
			has_key = true;
			if (st->options[o].upper > key_upper)
				key_upper = st->options[o].upper;
		}
	for (o = 0; o < it->n_options; o++) {
		lms_ia_option_stats *os = &st->options[o];
		if (it->option_fraction[o] > 0)
			continue; /* a key or a partly correct option, not a distractor */
		if (os->count == 0) {
			os->flags |= LMS_IA_OPT_UNCHOSEN;
			st->flags |= LMS_IA_FLAG_UNCHOSEN_DISTRACTOR;
		}
		if (has_key && g > 0 && os->upper > key_upper) {
			os->flags |= LMS_IA_OPT_BEATS_KEY;
			st->flags |= LMS_IA_FLAG_DISTRACTOR_BEATS_KEY;
		}
	}
}

static void analyse_item(lms_ia_item_stats *st, size_t i, const lms_ia_input *in,
                         const ranked *order, const attempt_sum *sums, scratch *s,
                         long double *item_ss)
{
	const size_t n_all = in->n_attempts, k = in->n_items;
	const lms_ia_item *it = &in->items[i];
	const long double max = it->max_points;
	long double mean = 0, ss, fu, fl;
	size_t r, n = 0, g = 0;
	bool judge;

	*item_ss = 0;
	st->n_options = (size_t)it->n_options; /* validated: 0..LMS_IA_MAX_OPTIONS */
	for (r = 0; r < n_all; r++) {
		size_t a = order[r].a;
		double p = in->points[a * k + i];
		long double rest_possible;

		if (p == LMS_IA_NOT_PRESENTED)
			continue;
		s->x[n] = p;
		s->score[n] = order[r].score;
		rest_possible = sums[a].possible - max;
		s->rest[n] = rest_possible > 0 ? (sums[a].total - p) / rest_possible : -1;
		if (it->n_options > 0)
			s->choice[n] = in->choice[a * k + i];
		n++;
	}
	st->n = n;
	if (n == 0) {
		st->facility = st->sd = undefined(LMS_IA_NO_ATTEMPTS);
		st->facility_upper = st->facility_lower = st->discrimination =
			undefined(LMS_IA_NO_ATTEMPTS);
		st->item_rest_r = undefined(LMS_IA_NO_ATTEMPTS);
		return;
	}
	ss = sq_dev(s->x, n, &mean);
	*item_ss = ss;
	st->facility = num(mean / max);
	if (n < 2)
		st->sd = undefined(LMS_IA_TOO_FEW_ATTEMPTS);
	else
		st->sd = num(sqrtl(ss / (long double)(n - 1)) / max);

	/* Upper and lower groups: the first and last g of the ranked attempts given the item,
	 * g = round(27 % of n), half up. */
	g = (LMS_IA_GROUP_PERCENT * n + 50) / 100;
	if (g < LMS_IA_MIN_GROUP) {
		g = 0;
		st->facility_upper = st->facility_lower = st->discrimination =
			undefined(LMS_IA_GROUP_TOO_SMALL);
	} else if (s->score[0] == s->score[n - 1]) {
		g = 0;
		st->facility_upper = st->facility_lower = st->discrimination =
			undefined(LMS_IA_SCORES_ALL_EQUAL);
	} else {
		fu = mean_of(s->x, g) / max;
		fl = mean_of(s->x + (n - g), g) / max;
		st->facility_upper = num(fu);
		st->facility_lower = num(fl);
		st->discrimination = num(fu - fl);
	}
	st->group_size = g;
	st->item_rest_r = item_rest_r(s, n);

	judge = n >= LMS_IA_MIN_N_FOR_FLAGS;
	if (judge) {
		double f = st->facility.value, d = st->discrimination.value;
		bool d_ok = lms_ia_defined(st->discrimination);

		if (f > LMS_IA_TOO_EASY_ABOVE + FLAG_EPS)
			st->flags |= LMS_IA_FLAG_TOO_EASY;
		if (f < LMS_IA_TOO_HARD_BELOW - FLAG_EPS)
			st->flags |= LMS_IA_FLAG_TOO_HARD;
		if ((d_ok && d < -FLAG_EPS) ||
		    (lms_ia_defined(st->item_rest_r) && st->item_rest_r.value < -FLAG_EPS))
			st->flags |= LMS_IA_FLAG_NEGATIVE_DISCRIMINATION;
		else if (d_ok && d < LMS_IA_POOR_D_BELOW - FLAG_EPS)
			st->flags |= LMS_IA_FLAG_POOR_DISCRIMINATION;
	}
	if (it->n_options > 0)
		count_options(st, it, s, n, g, judge);
}

/* Whole-test numbers; item_ss[i] are the items' sums of squared deviations. */
static void analyse_test(lms_ia_test_stats *t, const lms_ia_input *in, const attempt_sum *sums,
                         const long double *item_ss, bool same_paper, bool dichotomous)
{
	const size_t n = in->n_attempts;
	long double mean = 0, ss = 0, d, sum_item_ss = 0, alpha, kk, tmin, tmax;
	size_t a, i, k_paper = 0;
	double paper_max = 0;

	t->n = n;
	t->same_paper = same_paper;
	t->kr20 = dichotomous && n > 0 && in->n_items > 0;
	if (n == 0) {
		t->mean = t->sd = t->alpha = t->sem = undefined(LMS_IA_NO_ATTEMPTS);
		return;
	}
	tmin = tmax = sums[0].total;
	for (a = 0; a < n; a++) {
		mean += sums[a].total;
		if (sums[a].total < tmin)
			tmin = sums[a].total;
		if (sums[a].total > tmax)
			tmax = sums[a].total;
	}
	mean /= (long double)n;
	for (a = 0; a < n; a++) {
		d = sums[a].total - mean;
		ss += d * d;
	}
	t->mean = num(mean);
	t->sd = n < 2 ? undefined(LMS_IA_TOO_FEW_ATTEMPTS) : num(sqrtl(ss / (long double)(n - 1)));

	if (same_paper) {
		for (i = 0; i < in->n_items; i++)
			if (!(in->points[i] == LMS_IA_NOT_PRESENTED)) {
				k_paper++;
				paper_max += in->items[i].max_points;
				sum_item_ss += item_ss[i];
			}
		t->paper_items = k_paper;
		t->paper_max = paper_max;
	}
	if (!same_paper)
		t->alpha = undefined(LMS_IA_PAPERS_DIFFER);
	else if (k_paper < 2)
		t->alpha = undefined(LMS_IA_TOO_FEW_ITEMS);
	else if (n < 2)
		t->alpha = undefined(LMS_IA_TOO_FEW_ATTEMPTS);
	else if (tmin == tmax)
		t->alpha = undefined(LMS_IA_TOTAL_CONSTANT);
	else {
		/* alpha = k/(k-1) * (1 - sum of item variances / total variance); the (n-1)
		 * denominators cancel, so the sums of squares are used directly. */
		kk = (long double)k_paper;
		alpha = kk / (kk - 1) * (1 - sum_item_ss / ss);
		t->alpha = num(alpha);
	}
	if (!lms_ia_defined(t->alpha))
		t->sem = undefined(t->alpha.why);
	else if (!lms_ia_defined(t->sd))
		t->sem = undefined(t->sd.why);
	else if (t->alpha.value < 0)
		t->sem = undefined(LMS_IA_NEGATIVE_RELIABILITY);
	else
		t->sem = num(sqrtl(ss / (long double)(n - 1)) * sqrtl(1 - (long double)t->alpha.value));
}

int lms_ia_analyse(lms_ia_result **out, const lms_ia_input *in, lms_err *err)
{
	lms_ia_result *res = NULL;
	attempt_sum *sums = NULL;
	ranked *order = NULL;
	long double *item_ss = NULL;
	scratch s = { NULL, NULL, NULL, NULL };
	size_t n, k, a, i, alloc_n;
	bool any_choice = false, same_paper = false, dichotomous = true;
	int rc;

	n = in->n_attempts;
	k = in->n_items;
	if (n > LMS_IA_MAX_ATTEMPTS || k > LMS_IA_MAX_ITEMS ||
	    (k > 0 && n > LMS_IA_MAX_CELLS / k))
		return lms_err_set(err, LMS_ETOOBIG, "too_many_attempts_or_items", NULL,
		                   "item analysis takes at most %u attempts, %u items and %u cells",
		                   LMS_IA_MAX_ATTEMPTS, LMS_IA_MAX_ITEMS, LMS_IA_MAX_CELLS);
	if ((k > 0 && !in->items) || (n > 0 && k > 0 && !in->points))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "points",
		                   "the item list or the score matrix is missing");
	if ((rc = validate_items(in, &any_choice, err)) < 0)
		return rc;
	if (any_choice && n > 0 && !in->choice)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "choice",
		                   "choice items need the options chosen");

	alloc_n = n > 0 ? n : 1;
	res = calloc(1, sizeof(*res));
	sums = calloc(alloc_n, sizeof(*sums));
	order = calloc(alloc_n, sizeof(*order));
	item_ss = calloc(k > 0 ? k : 1, sizeof(*item_ss));
	s.x = calloc(alloc_n, sizeof(*s.x));
	s.score = calloc(alloc_n, sizeof(*s.score));
	s.rest = calloc(alloc_n, sizeof(*s.rest));
	s.choice = calloc(alloc_n, sizeof(*s.choice));
	if (!res || !sums || !order || !item_ss || !s.x || !s.score || !s.rest || !s.choice) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
		goto cleanup;
	}
	if (k > 0 && !(res->items = calloc(k, sizeof(*res->items)))) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
		goto cleanup;
	}
	res->n_items = k;

	if (k > 0 && (rc = validate_cells(in, sums, &same_paper, &dichotomous, err)) < 0)
		goto cleanup;
	if (k == 0)
		same_paper = n > 0;

	for (a = 0; a < n; a++) {
		order[a].a = a;
		order[a].score =
			sums[a].possible > 0 ? (double)(sums[a].total / sums[a].possible) : 0.0;
	}
	if (n > 1)
		qsort(order, n, sizeof(*order), by_score_desc);

	for (i = 0; i < k; i++)
		analyse_item(&res->items[i], i, in, order, sums, &s, &item_ss[i]);
	analyse_test(&res->test, in, sums, item_ss, same_paper, dichotomous);

	*out = res;
	res = NULL;
	rc = LMS_OK;
cleanup:
	lms_ia_result_free(res);
	free(sums);
	free(order);
	free(item_ss);
	free(s.x);
	free(s.score);
	free(s.rest);
	free(s.choice);
	return rc;
}

void lms_ia_result_free(lms_ia_result *r)
{
	if (!r)
		return;
	free(r->items);
	free(r);
}

const char *lms_ia_why_code(lms_ia_why why)
{
	switch (why) {
	case LMS_IA_DEFINED: return "defined";
	case LMS_IA_NO_ATTEMPTS: return "no_attempts";
	case LMS_IA_TOO_FEW_ATTEMPTS: return "too_few_attempts";
	case LMS_IA_GROUP_TOO_SMALL: return "group_too_small";
	case LMS_IA_SCORES_ALL_EQUAL: return "scores_all_equal";
	case LMS_IA_ITEM_CONSTANT: return "item_constant";
	case LMS_IA_REST_CONSTANT: return "rest_constant";
	case LMS_IA_TOTAL_CONSTANT: return "total_constant";
	case LMS_IA_PAPERS_DIFFER: return "papers_differ";
	case LMS_IA_TOO_FEW_ITEMS: return "too_few_items";
	case LMS_IA_NEGATIVE_RELIABILITY: return "negative_reliability";
	}
	return "unknown";
}

const char *lms_ia_why_text(lms_ia_why why)
{
	switch (why) {
	case LMS_IA_DEFINED: return "";
	case LMS_IA_NO_ATTEMPTS: return "Chưa có bài làm nào";
	case LMS_IA_TOO_FEW_ATTEMPTS: return "Cần ít nhất 2 bài làm";
	case LMS_IA_GROUP_TOO_SMALL:
		return "Cần ít nhất 10 bài làm để chia nhóm điểm cao và nhóm điểm thấp";
	case LMS_IA_SCORES_ALL_EQUAL:
		return "Mọi bài làm có cùng điểm, không chia được nhóm điểm cao và nhóm điểm thấp";
	case LMS_IA_ITEM_CONSTANT:
		return "Mọi thí sinh đạt cùng một điểm ở câu này (ví dụ: tất cả đều đúng)";
	case LMS_IA_REST_CONSTANT: return "Mọi thí sinh có cùng điểm ở các câu còn lại";
	case LMS_IA_TOTAL_CONSTANT: return "Mọi thí sinh có cùng tổng điểm";
	case LMS_IA_PAPERS_DIFFER:
		return "Không xác định: các đề khác nhau (câu hỏi được rút ngẫu nhiên)";
	case LMS_IA_TOO_FEW_ITEMS: return "Cần ít nhất 2 câu hỏi";
	case LMS_IA_NEGATIVE_RELIABILITY:
		return "Độ tin cậy âm nên sai số chuẩn đo lường không có ý nghĩa";
	}
	return "";
}

const char *lms_ia_flag_code(unsigned flag)
{
	switch (flag) {
	case LMS_IA_FLAG_TOO_EASY: return "too_easy";
	case LMS_IA_FLAG_TOO_HARD: return "too_hard";
	case LMS_IA_FLAG_POOR_DISCRIMINATION: return "poor_discrimination";
	case LMS_IA_FLAG_NEGATIVE_DISCRIMINATION: return "negative_discrimination";
	case LMS_IA_FLAG_UNCHOSEN_DISTRACTOR: return "unchosen_distractor";
	case LMS_IA_FLAG_DISTRACTOR_BEATS_KEY: return "distractor_beats_key";
	default: return "";
	}
}

const char *lms_ia_flag_text(unsigned flag)
{
	switch (flag) {
	case LMS_IA_FLAG_TOO_EASY:
		return "Quá dễ (độ khó > 0,9): hầu hết thí sinh đều làm đúng";
	case LMS_IA_FLAG_TOO_HARD:
		return "Quá khó (độ khó < 0,2): rất ít thí sinh làm đúng";
	case LMS_IA_FLAG_POOR_DISCRIMINATION:
		return "Độ phân biệt kém (D < 0,2): câu hỏi ít phân biệt được người nắm vững và "
		       "người chưa nắm vững bài";
	case LMS_IA_FLAG_NEGATIVE_DISCRIMINATION:
		return "Độ phân biệt âm: người có điểm thấp làm câu này tốt hơn người có điểm cao "
		       "— hãy kiểm tra lại đáp án";
	case LMS_IA_FLAG_UNCHOSEN_DISTRACTOR: return "Có phương án nhiễu không ai chọn";
	case LMS_IA_FLAG_DISTRACTOR_BEATS_KEY:
		return "Nhóm điểm cao chọn một phương án nhiễu nhiều hơn đáp án đúng — hãy kiểm tra "
		       "lại đáp án và cách diễn đạt";
	default: return "";
	}
}
