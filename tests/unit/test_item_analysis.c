/* test_item_analysis.c — classical item analysis (item_analysis.h): a small textbook matrix
 * worked by hand, an all-correct item, random draws (items not presented to some), option
 * counts and distractor flags, the flags, n = 1, empty input, invalid input, and the speed of
 * 10,000 attempts x 200 items. */
#include "support.h"

#include "lms/item_analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NP LMS_IA_NOT_PRESENTED
#define EPS 1e-9

static lms_ia_result *run(size_t n, size_t k, const lms_ia_item *items, const double *points,
                          const int *choice)
{
	lms_ia_input in = { n, k, items, points, choice };
	lms_ia_result *r = NULL;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_ia_analyse(&r, &in, &err), 0);
	assert_non_null(r);
	return r;
}

static void assert_num(lms_ia_num x, double expected)
{
	assert_int_equal(x.why, LMS_IA_DEFINED);
	assert_true(fabs(x.value - expected) < EPS);
}

static void assert_undef(lms_ia_num x, lms_ia_why why)
{
	assert_int_equal(x.why, why);
	assert_true(x.value == 0.0); /* never NaN */
}

/* Ten examinees E1..E10, five right/wrong items, 1 point each.
 *
 *        i1 i2 i3 i4 i5  total
 *   E1    1  1  1  1  1    5
 *   E2    1  1  1  1  0    4
 *   E3    1  1  1  0  1    4
 *   E4    1  1  0  1  0    3
 *   E5    1  0  1  1  0    3
 *   E6    1  1  0  0  0    2
 *   E7    0  1  1  0  0    2
 *   E8    1  0  0  0  1    2
 *   E9    0  0  1  0  0    1
 *   E10   0  0  0  0  1    1
 *
 * Facility p = correct / 10: i1 .7, i2 .6, i3 .6, i4 .4, i5 .4.
 * Groups: round(.27 x 10) = 3. Ranked by total, ties by examinee order: E1 E2 E3 | E4 E5 E6
 * E7 | E8 E9 E10. E6, E7 and E8 tie on 2 at the lower cut; the later one (E8) is in the lower
 * group. Upper = {E1, E2, E3}, lower = {E8, E9, E10}.
 *   i1: upper 3/3, lower 1/3 (E8)  D = 2/3
 *   i2: upper 3/3, lower 0/3       D = 1
 *   i3: upper 3/3, lower 1/3 (E9)  D = 2/3
 *   i4: upper 2/3, lower 0/3       D = 2/3
 *   i5: upper 2/3, lower 2/3       D = 0
 * Item-rest r for i1: x = 1 1 1 1 1 1 0 1 0 0 (mean .7), rest = total - x =
 * 4 3 3 2 2 1 2 1 1 1 (mean 2). Sxx = 7(.3^2) + 3(.7^2) = 2.1; Syy = 4+1+1+0+0+1+0+1+1+1 = 10;
 * Sxy = .3(2+1+1+0+0-1-1) + (-.7)(0-1-1) = .6 + 1.4 = 2; r = 2 / sqrt(2.1 x 10) = 2/sqrt(21).
 * For i5: x = 1 0 1 0 0 0 0 1 0 1 (mean .4), rest = 4 4 3 3 3 2 2 1 1 0 (mean 2.3).
 * Sxx = 4(.36) + 6(.16) = 2.4; Syy = 2.89+2.89+.49+.49+.49+.09+.09+1.69+1.69+5.29 = 16.1;
 * Sxy = .6(1.7+.7-1.3-2.3) - .4(1.7+.7+.7-.3-.3-1.3) = -.72 - .48 = -1.2;
 * r = -1.2 / sqrt(2.4 x 16.1).
 * Item SD (n-1) for i1: sqrt(2.1 / 9).
 * Totals: mean 27/10 = 2.7; squared deviations 2.3^2 + 2(1.3^2) + 2(.3^2) + 3(.7^2) + 2(1.7^2)
 * = 5.29 + 3.38 + .18 + 1.47 + 5.78 = 16.1; SD = sqrt(16.1 / 9).
 * KR-20 = k/(k-1) (1 - sum pq / var) with var = 16.1/10 = 1.61 and
 * sum pq = .21 + .24 + .24 + .24 + .24 = 1.17: 5/4 x (1 - 1.17/1.61) = 5/4 x .44/1.61 = 55/161.
 * SEM = SD x sqrt(1 - 55/161) = sqrt(16.1/9 x 106/161).
 */
static const double textbook[10][6] = {
	{ 1, 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 0, 1 }, { 1, 1, 1, 0, 1, 1 }, { 1, 1, 0, 1, 0, 1 },
	{ 1, 0, 1, 1, 0, 1 }, { 1, 1, 0, 0, 0, 1 }, { 0, 1, 1, 0, 0, 1 }, { 1, 0, 0, 0, 1, 1 },
	{ 0, 0, 1, 0, 0, 1 }, { 0, 0, 0, 0, 1, 1 },
}; /* the sixth column (all correct) is used by all_correct_item only */

static void copy_columns(double *dst, size_t k)
{
	for (size_t a = 0; a < 10; a++)
		for (size_t i = 0; i < k; i++)
			dst[a * k + i] = textbook[a][i];
}

static const lms_ia_item one_point[6] = { { 1, 0, NULL }, { 1, 0, NULL }, { 1, 0, NULL },
                                          { 1, 0, NULL }, { 1, 0, NULL }, { 1, 0, NULL } };

static void textbook_matrix(void **state)
{
	(void)state;
	double pts[10 * 5];
	copy_columns(pts, 5);
	lms_ia_result *r = run(10, 5, one_point, pts, NULL);
	const double p[5] = { .7, .6, .6, .4, .4 };
	const double d[5] = { 2.0 / 3, 1, 2.0 / 3, 2.0 / 3, 0 };

	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(r->items[i].n, 10);
		assert_num(r->items[i].facility, p[i]);
		assert_num(r->items[i].discrimination, d[i]);
		assert_int_equal(r->items[i].group_size, 3);
		assert_int_equal(r->items[i].n_options, 0);
	}
	assert_num(r->items[0].facility_upper, 1);
	assert_num(r->items[0].facility_lower, 1.0 / 3); /* E8 won the tie into the lower group */
	assert_num(r->items[0].sd, sqrt(2.1 / 9));
	assert_num(r->items[0].item_rest_r, 2 / sqrt(21));
	assert_num(r->items[4].item_rest_r, -1.2 / sqrt(2.4 * 16.1));
	assert_num(r->items[4].facility_upper, 2.0 / 3);
	assert_num(r->items[4].facility_lower, 2.0 / 3);

	assert_int_equal(r->test.n, 10);
	assert_true(r->test.same_paper);
	assert_int_equal(r->test.paper_items, 5);
	assert_true(fabs(r->test.paper_max - 5) < EPS);
	assert_num(r->test.mean, 2.7);
	assert_num(r->test.sd, sqrt(16.1 / 9));
	assert_true(r->test.kr20);
	assert_num(r->test.alpha, 55.0 / 161);
	assert_num(r->test.sem, sqrt(16.1 / 9 * 106 / 161));

	/* i5: D = 0 and a negative item-rest r: negative discrimination, not "poor" as well */
	assert_int_equal(r->items[4].flags, LMS_IA_FLAG_NEGATIVE_DISCRIMINATION);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(r->items[i].flags, 0);
	lms_ia_result_free(r);
}

/* The same rows in another order give the same numbers, except where the tie rule speaks:
 * moving E6 after E8 puts E6 (not E8) into the lower group. */
static void tie_rule_is_by_attempt_order(void **state)
{
	(void)state;
	const size_t perm[10] = { 0, 1, 2, 3, 4, 6, 7, 5, 8, 9 }; /* E1..E5 E7 E8 E6 E9 E10 */
	double pts[10 * 5];
	for (size_t a = 0; a < 10; a++)
		for (size_t i = 0; i < 5; i++)
			pts[a * 5 + i] = textbook[perm[a]][i];
	lms_ia_result *r = run(10, 5, one_point, pts, NULL);

	/* lower = {E6, E9, E10}: i1 = 1 0 0, i5 = 0 0 1 */
	assert_num(r->items[0].facility_lower, 1.0 / 3);
	assert_num(r->items[4].facility_lower, 1.0 / 3);
	assert_num(r->items[4].discrimination, 2.0 / 3 - 1.0 / 3);
	/* what does not depend on groups is unchanged */
	assert_num(r->items[4].item_rest_r, -1.2 / sqrt(2.4 * 16.1));
	assert_num(r->test.alpha, 55.0 / 161);
	lms_ia_result_free(r);
}

/* A sixth item everyone got right: facility 1, spread 0, no correlation; D = 1 - 1 = 0.
 * Alpha over six items: the sum of item variances and the total variance are unchanged (every
 * total moves up by 1), so alpha = 6/5 x (1 - 1.17/1.61) = 6/5 x 44/161 = 264/805. */
static void all_correct_item(void **state)
{
	(void)state;
	double pts[10 * 6];
	copy_columns(pts, 6);
	lms_ia_result *r = run(10, 6, one_point, pts, NULL);
	const lms_ia_item_stats *it = &r->items[5];

	assert_num(it->facility, 1);
	assert_num(it->sd, 0);
	assert_num(it->discrimination, 0);
	assert_undef(it->item_rest_r, LMS_IA_ITEM_CONSTANT);
	assert_int_equal(it->flags, LMS_IA_FLAG_TOO_EASY | LMS_IA_FLAG_POOR_DISCRIMINATION);
	assert_num(r->test.alpha, 264.0 / 805);
	assert_num(r->test.mean, 3.7);
	lms_ia_result_free(r);
}

/* Partial credit (items of 2 points): alpha, not KR-20.
 *   A: 2 2 (4)   B: 1 2 (3)   C: 1 0 (1)   D: 0 1 (1)
 * Item 1: mean 1, squared deviations 1+0+0+1 = 2. Item 2: mean 1.25, .5625+.5625+1.5625+.0625
 * = 2.75. Totals: mean 2.25, 3.0625+.5625+1.5625+1.5625 = 6.75. With the (n-1) cancelling:
 * alpha = 2/1 x (1 - 4.75/6.75) = 2 x 2/6.75 = 16/27. */
static void partial_credit_is_alpha(void **state)
{
	(void)state;
	const lms_ia_item items[2] = { { 2, 0, NULL }, { 2, 0, NULL } };
	const double pts[] = { 2, 2, 1, 2, 1, 0, 0, 1 };
	lms_ia_result *r = run(4, 2, items, pts, NULL);

	assert_false(r->test.kr20);
	assert_num(r->test.alpha, 16.0 / 27);
	assert_num(r->items[0].facility, 0.5);
	assert_num(r->items[1].facility, 1.25 / 2);
	assert_num(r->items[1].sd, sqrt(2.75 / 3) / 2); /* SD as a share of the max */
	assert_undef(r->items[0].discrimination, LMS_IA_GROUP_TOO_SMALL);
	lms_ia_result_free(r);
}

/* Random draws: each item's numbers use only the attempts given it; alpha is not defined.
 *        i1  i2  i3
 *   a0    1   1   -
 *   a1    0   -   1
 *   a2    -   1   0
 *   a3    1   0   -
 *   a4    -   -   1      (a4 was given i3 alone: it has no rest score for i3)
 * i3's item-rest r uses a1 and a2 only: x = (1, 0), rest share = (0/1, 1/1) = (0, 1): r = -1. */
static void items_not_presented_to_some(void **state)
{
	(void)state;
	const double pts[] = { 1, 1, NP, 0, NP, 1, NP, 1, 0, 1, 0, NP, NP, NP, 1 };
	lms_ia_result *r = run(5, 3, one_point, pts, NULL);

	assert_int_equal(r->items[0].n, 3);
	assert_int_equal(r->items[1].n, 3);
	assert_int_equal(r->items[2].n, 3);
	assert_num(r->items[0].facility, 2.0 / 3);
	assert_num(r->items[1].facility, 2.0 / 3);
	assert_num(r->items[2].facility, 2.0 / 3);
	assert_num(r->items[2].item_rest_r, -1);
	assert_false(r->test.same_paper);
	assert_int_equal(r->test.paper_items, 0);
	assert_undef(r->test.alpha, LMS_IA_PAPERS_DIFFER);
	assert_undef(r->test.sem, LMS_IA_PAPERS_DIFFER);
	assert_num(r->test.mean, (2.0 + 1 + 1 + 1 + 1) / 5); /* raw totals */
	assert_string_equal(lms_ia_why_code(r->test.alpha.why), "papers_differ");
	assert_true(strlen(lms_ia_why_text(r->test.alpha.why)) > 0);

	/* an item nobody was given */
	const double none[] = { 1, NP, 0, NP, 1, NP };
	lms_ia_result *r2 = run(3, 2, one_point, none, NULL);
	assert_int_equal(r2->items[1].n, 0);
	assert_undef(r2->items[1].facility, LMS_IA_NO_ATTEMPTS);
	assert_undef(r2->items[1].discrimination, LMS_IA_NO_ATTEMPTS);
	assert_true(r2->test.same_paper); /* everybody got the same one-item paper */
	assert_undef(r2->test.alpha, LMS_IA_TOO_FEW_ITEMS);
	lms_ia_result_free(r2);
	lms_ia_result_free(r);
}

/* Twelve attempts on a 4-option item (A is the key) and an anchor item of 22 points whose
 * scores 22, 20, ..., 0 fix the ranking a0 > a1 > ... > a11 (the choice item's 1 point cannot
 * reorder them). Groups: round(.27 x 12) = 3, upper a0-a2, lower a9-a11.
 *   choices: a0 C, a1 C, a2 A, a3 A, a4 A, a5 A, a6 A, a7 (none), a8 B, a9 B, a10 B, a11 A
 *   A 6 (upper 1, lower 1), B 3 (upper 0, lower 2), C 2 (upper 2), D 0, none 1.
 * C: the upper group chose it more often (2) than the key (1). D: nobody chose it.
 * Facility 6/12; D = 1/3 - 1/3 = 0: poor discrimination. */
static void option_counts_and_distractors(void **state)
{
	(void)state;
	const double frac[4] = { 1, 0, 0, 0 };
	const lms_ia_item items[2] = { { 1, 4, frac }, { 22, 0, NULL } };
	const int pick[12] = { 2, 2, 0, 0, 0, 0, 0, LMS_IA_NO_CHOICE, 1, 1, 1, 0 };
	double pts[24];
	int choice[24];

	for (size_t a = 0; a < 12; a++) {
		pts[a * 2] = pick[a] == 0 ? 1 : 0;
		pts[a * 2 + 1] = (double)(2 * (11 - a));
		choice[a * 2] = pick[a];
		choice[a * 2 + 1] = 99; /* not a choice item: never read */
	}
	lms_ia_result *r = run(12, 2, items, pts, choice);
	const lms_ia_item_stats *it = &r->items[0];

	assert_int_equal(it->n_options, 4);
	assert_int_equal(it->group_size, 3);
	assert_int_equal(it->options[0].count, 6);
	assert_int_equal(it->options[0].upper, 1);
	assert_int_equal(it->options[0].lower, 1);
	assert_int_equal(it->options[1].count, 3);
	assert_int_equal(it->options[1].upper, 0);
	assert_int_equal(it->options[1].lower, 2);
	assert_int_equal(it->options[2].count, 2);
	assert_int_equal(it->options[2].upper, 2);
	assert_int_equal(it->options[2].lower, 0);
	assert_int_equal(it->options[3].count, 0);
	assert_int_equal(it->no_choice.count, 1);
	assert_int_equal(it->no_choice.upper + it->no_choice.lower, 0);

	assert_int_equal(it->options[0].flags, 0);  /* the key is never judged a distractor */
	assert_int_equal(it->options[1].flags, 0);
	assert_int_equal(it->options[2].flags, LMS_IA_OPT_BEATS_KEY);
	assert_int_equal(it->options[3].flags, LMS_IA_OPT_UNCHOSEN);
	assert_num(it->facility, 0.5);
	assert_num(it->discrimination, 0);
	assert_true(it->item_rest_r.value > 0);
	assert_int_equal(it->flags, LMS_IA_FLAG_UNCHOSEN_DISTRACTOR |
	                                LMS_IA_FLAG_DISTRACTOR_BEATS_KEY |
	                                LMS_IA_FLAG_POOR_DISCRIMINATION);
	assert_int_equal(r->items[1].n_options, 0);
	lms_ia_result_free(r);
}

/* Ten attempts ranked a0 > ... > a9 by an anchor item (18, 16, ..., 0 of 20).
 * i0: only a0 right: facility .1 (too hard), D = 1/3 - 0.
 * i1: a4, a7, a8, a9 right: facility .4, upper 0/3, lower 3/3, D = -1 (negative).
 * With the last attempt left out (n = 9 < 10) the same data raise no flag at all. */
static void flags(void **state)
{
	(void)state;
	const lms_ia_item items[3] = { { 1, 0, NULL }, { 1, 0, NULL }, { 20, 0, NULL } };
	double pts[30];

	for (size_t a = 0; a < 10; a++) {
		pts[a * 3] = a == 0;
		pts[a * 3 + 1] = a == 4 || a >= 7;
		pts[a * 3 + 2] = (double)(2 * (9 - a));
	}
	lms_ia_result *r = run(10, 3, items, pts, NULL);
	assert_num(r->items[0].facility, .1);
	assert_num(r->items[0].discrimination, 1.0 / 3);
	assert_int_equal(r->items[0].flags, LMS_IA_FLAG_TOO_HARD);
	assert_num(r->items[1].discrimination, -1);
	assert_int_equal(r->items[1].flags, LMS_IA_FLAG_NEGATIVE_DISCRIMINATION);
	assert_string_equal(lms_ia_flag_code(LMS_IA_FLAG_TOO_HARD), "too_hard");
	for (unsigned b = 0; b < LMS_IA_FLAG_COUNT; b++) {
		assert_true(strlen(lms_ia_flag_code(1u << b)) > 0);
		assert_true(strlen(lms_ia_flag_text(1u << b)) > 0);
	}
	assert_string_equal(lms_ia_flag_code(1u << LMS_IA_FLAG_COUNT), "");
	lms_ia_result_free(r);

	r = run(9, 3, items, pts, NULL);
	assert_int_equal(r->items[0].flags, 0);
	assert_int_equal(r->items[1].flags, 0);
	assert_undef(r->items[1].discrimination, LMS_IA_GROUP_TOO_SMALL);
	assert_int_equal(r->items[1].group_size, 0);
	lms_ia_result_free(r);
}

/* Everyone has the same total: no groups, no correlation, no reliability. */
static void everyone_equal(void **state)
{
	(void)state;
	double pts[20];
	for (size_t a = 0; a < 10; a++) {
		pts[a * 2] = 1;
		pts[a * 2 + 1] = 0;
	}
	lms_ia_result *r = run(10, 2, one_point, pts, NULL);
	assert_undef(r->items[0].discrimination, LMS_IA_SCORES_ALL_EQUAL);
	assert_undef(r->items[0].item_rest_r, LMS_IA_ITEM_CONSTANT);
	assert_undef(r->test.alpha, LMS_IA_TOTAL_CONSTANT);
	assert_undef(r->test.sem, LMS_IA_TOTAL_CONSTANT);
	assert_num(r->test.sd, 0);
	assert_int_equal(r->items[0].flags, LMS_IA_FLAG_TOO_EASY);
	assert_int_equal(r->items[1].flags, LMS_IA_FLAG_TOO_HARD);
	lms_ia_result_free(r);
}

static void one_attempt(void **state)
{
	(void)state;
	const double pts[2] = { 1, 0 };
	lms_ia_result *r = run(1, 2, one_point, pts, NULL);

	assert_int_equal(r->items[0].n, 1);
	assert_num(r->items[0].facility, 1);
	assert_undef(r->items[0].sd, LMS_IA_TOO_FEW_ATTEMPTS);
	assert_undef(r->items[0].discrimination, LMS_IA_GROUP_TOO_SMALL);
	assert_undef(r->items[0].item_rest_r, LMS_IA_TOO_FEW_ATTEMPTS);
	assert_int_equal(r->items[0].flags, 0);
	assert_num(r->test.mean, 1);
	assert_undef(r->test.sd, LMS_IA_TOO_FEW_ATTEMPTS);
	assert_undef(r->test.alpha, LMS_IA_TOO_FEW_ATTEMPTS);
	assert_undef(r->test.sem, LMS_IA_TOO_FEW_ATTEMPTS);
	lms_ia_result_free(r);
}

static void empty(void **state)
{
	(void)state;
	lms_ia_result *r = run(0, 3, one_point, NULL, NULL);

	assert_int_equal(r->n_items, 3);
	assert_int_equal(r->items[2].n, 0);
	assert_undef(r->items[2].facility, LMS_IA_NO_ATTEMPTS);
	assert_undef(r->items[2].item_rest_r, LMS_IA_NO_ATTEMPTS);
	assert_int_equal(r->test.n, 0);
	assert_false(r->test.kr20);
	assert_undef(r->test.mean, LMS_IA_NO_ATTEMPTS);
	assert_undef(r->test.alpha, LMS_IA_NO_ATTEMPTS);
	lms_ia_result_free(r);

	r = run(0, 0, NULL, NULL, NULL);
	assert_int_equal(r->n_items, 0);
	assert_undef(r->test.alpha, LMS_IA_NO_ATTEMPTS);
	lms_ia_result_free(r);

	r = run(4, 0, NULL, NULL, NULL); /* attempts of a paper without items */
	assert_num(r->test.mean, 0);
	assert_undef(r->test.alpha, LMS_IA_TOO_FEW_ITEMS);
	lms_ia_result_free(r);
	lms_ia_result_free(NULL);
}

static void expect_invalid(const lms_ia_input *in, int rc, const char *field)
{
	lms_ia_result *r = NULL;
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_ia_analyse(&r, in, &err), rc);
	assert_null(r);
	if (field)
		assert_string_equal(err.field, field);
}

static void invalid_input(void **state)
{
	(void)state;
	const double frac[3] = { 1, 0, 0 };
	const lms_ia_item items[2] = { { 1, 0, NULL }, { 2, 3, frac } };
	double pts[4] = { 1, 2, 0, 1 };
	int choice[4] = { 0, 1, 0, 2 };
	lms_ia_input in = { 2, 2, items, pts, choice };

	pts[2] = 1.5; /* over the max */
	expect_invalid(&in, LMS_EINVAL, "points[1][0]");
	pts[2] = -0.5; /* negative but not the not-presented mark */
	expect_invalid(&in, LMS_EINVAL, "points[1][0]");
	pts[2] = NAN;
	expect_invalid(&in, LMS_EINVAL, "points[1][0]");
	pts[2] = 0;
	choice[3] = 3; /* the item has options 0..2 */
	expect_invalid(&in, LMS_EINVAL, "choice[1][1]");
	choice[3] = -2;
	expect_invalid(&in, LMS_EINVAL, "choice[1][1]");
	choice[3] = 2;
	in.choice = NULL;
	expect_invalid(&in, LMS_EINVAL, "choice");
	in.choice = choice;

	lms_ia_item bad[2] = { { 0, 0, NULL }, { 2, 3, frac } };
	in.items = bad;
	expect_invalid(&in, LMS_EINVAL, "items[0].max_points");
	bad[0].max_points = INFINITY;
	expect_invalid(&in, LMS_EINVAL, "items[0].max_points");
	bad[0].max_points = 1;
	bad[1].n_options = LMS_IA_MAX_OPTIONS + 1;
	expect_invalid(&in, LMS_EINVAL, "items[1].n_options");
	bad[1].n_options = 3;
	bad[1].option_fraction = NULL;
	expect_invalid(&in, LMS_EINVAL, "items[1].n_options");
	const double bad_frac[3] = { 1, 2, 0 };
	bad[1].option_fraction = bad_frac;
	expect_invalid(&in, LMS_EINVAL, "items[1].option_fraction[1]");

	/* sizes are checked before any array is read */
	lms_ia_input huge = { LMS_IA_MAX_ATTEMPTS + 1, 1, items, NULL, NULL };
	expect_invalid(&huge, LMS_ETOOBIG, NULL);
	lms_ia_input wide = { 1, LMS_IA_MAX_ITEMS + 1, items, NULL, NULL };
	expect_invalid(&wide, LMS_ETOOBIG, NULL);
	lms_ia_input cells = { LMS_IA_MAX_CELLS / 500 + 1, 500, items, NULL, NULL };
	expect_invalid(&cells, LMS_ETOOBIG, NULL);

	/* accepted: a tiny excess from rounding partial credit */
	in.items = items;
	pts[1] = 2 + 1e-12;
	lms_ia_result *r = NULL;
	lms_err err;
	assert_int_equal(lms_ia_analyse(&r, &in, &err), 0);
	lms_ia_result_free(r);
}

/* 10,000 attempts x 200 four-option items from a simple ability model: under a second even at
 * -O0 with ASan, and the numbers are sane. */
static void ten_thousand_by_two_hundred(void **state)
{
	(void)state;
	const size_t n = 10000, k = 200;
	const double frac[4] = { 1, 0, 0, 0 };
	lms_ia_item *items = calloc(k, sizeof(*items));
	double *pts = malloc(n * k * sizeof(*pts));
	int *choice = malloc(n * k * sizeof(*choice));
	uint64_t seed = 0x9E3779B97F4A7C15u;
	struct timespec t0, t1;

	assert_non_null(items);
	assert_non_null(pts);
	assert_non_null(choice);
	for (size_t i = 0; i < k; i++)
		items[i] = (lms_ia_item){ 1, 4, frac };
	for (size_t a = 0; a < n; a++) {
		double ability = (double)(a % 100) / 100.0;
		for (size_t i = 0; i < k; i++) {
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			double u = (double)(seed >> 11) / 9007199254740992.0;
			int right = u < 0.2 + 0.7 * ability * (0.5 + (double)(i % 10) / 20.0);
			pts[a * k + i] = right ? 1 : 0;
			choice[a * k + i] = right ? 0 : 1 + (int)((seed >> 7) % 3);
		}
	}
	lms_ia_input in = { n, k, items, pts, choice };
	lms_ia_result *r = NULL;
	lms_err err;

	/* CPU time of this process: the machine running the tests may be shared, and time spent
	 * waiting for a core is not the analysis being slow. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	assert_int_equal(lms_ia_analyse(&r, &in, &err), 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("item analysis of %zu x %zu: %.3f s of CPU\n", n, k, secs);
	assert_true(secs < 1.0);

	assert_true(r->test.kr20);
	assert_true(lms_ia_defined(r->test.alpha));
	assert_true(r->test.alpha.value > 0.8 && r->test.alpha.value <= 1);
	for (size_t i = 0; i < k; i++) {
		assert_int_equal(r->items[i].n, n);
		assert_int_equal(r->items[i].group_size, 2700);
		assert_true(r->items[i].discrimination.value > 0.1);
		assert_true(r->items[i].item_rest_r.value > 0.1);
		assert_int_equal(r->items[i].options[0].count + r->items[i].options[1].count +
		                     r->items[i].options[2].count + r->items[i].options[3].count,
		                 n);
	}
	lms_ia_result_free(r);
	free(items);
	free(pts);
	free(choice);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(textbook_matrix),
		cmocka_unit_test(tie_rule_is_by_attempt_order),
		cmocka_unit_test(all_correct_item),
		cmocka_unit_test(partial_credit_is_alpha),
		cmocka_unit_test(items_not_presented_to_some),
		cmocka_unit_test(option_counts_and_distractors),
		cmocka_unit_test(flags),
		cmocka_unit_test(everyone_equal),
		cmocka_unit_test(one_attempt),
		cmocka_unit_test(empty),
		cmocka_unit_test(invalid_input),
		cmocka_unit_test(ten_thousand_by_two_hundred),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
