/* survey_report.h — what a reader of one survey's results may see (docs/surveys.md, "What the
 * results show (k = 5)"): the k-anonymity suppression applied to the groups of a survey's
 * results, and the numbers of one question in one group. The survey page (h_survey.c) and the
 * HR report's survey section (lms_rep_surveys_run, reports.h) both call these, so there is one
 * suppression rule in the code base.
 *
 * Pure: no storage, no JSON, no clock. Arrays come from the arena given.
 */
#ifndef LMS_SURVEY_REPORT_H
#define LMS_SURVEY_REPORT_H

#include "lms/arena.h"
#include "lms/survey.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Which groups of one survey's results are shown. */
typedef struct lms_sv_shown {
	int64_t k;               /* LMS_SV_K for an anonymous survey; 1 for a named one (nothing hidden) */
	bool all_hidden;         /* the whole has 0 < responses < k: no number and no text at all */
	bool *hidden;            /* per group of the results (res->n_groups entries) */
	char *why;               /* per group: 0 shown, 's' fewer than k responses, 'c' hidden so
	                            that a small group cannot be worked out (the complement) */
} lms_sv_shown;

/* Applies the rule to res: the unit groups (kinds 'u', 'd', 'n') and the course groups ('c')
 * each partition the whole, so each partition is suppressed on its own with lms_sv_suppress
 * (a group with 0 < n < k hidden, then the smallest groups still shown until the hidden ones
 * hold at least k); when the whole has 0 < responses < k, every group with responses is
 * hidden too. A named survey (anonymous false) hides nothing. Allocates in a; never fails. */
void lms_sv_results_suppress(bool anonymous, const lms_sv_results *res, lms_arena *a,
                             lms_sv_shown *out);

/* n of res's counts for (group, qid, num): group -1 is the whole, num LMS_SV_ANSWERED the
 * responses that answered the question; 0 when there is none. */
int64_t lms_sv_count_of(const lms_sv_results *res, int group, int qid, int num);

/* The distribution of question q in group: dist[i] the responses choosing option i (for a
 * Likert question, point i + 1), for the first min(n_options, LMS_SV_OPTIONS_MAX) options. */
void lms_sv_dist(const lms_sv_results *res, int group, const lms_sv_question *q, int64_t *dist);

#endif
