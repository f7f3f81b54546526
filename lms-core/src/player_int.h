/* player_int.h — what player.c and player_seq.c share (not a public header). */
#ifndef LMS_PLAYER_INT_H
#define LMS_PLAYER_INT_H

#include "lms/player.h"
#include "lms/sequencing.h"

/* An enrolment's course as the sequencer sees it, with the learner's tracking state. */
typedef struct pl_seq {
	lms_seq_tree *tree;
	lms_item *items;
	size_t n_items;
	lms_cmi_version v;
} pl_seq;

/* Builds the tree of e's version and loads e's tracking state (a damaged state is logged
 * and replaced by a fresh one: navigation must never lock a learner out). */
int pl_seq_open(lms_store *s, const lms_enrolment *e, lms_arena *a, pl_seq *out, lms_err *err);

/* What an attempt's state says, as reports read it, with the LMS's rules applied: 1.2's
 * mastery score decides passed / failed from the raw score; 2004's completion threshold
 * decides completion from the progress measure, its scaled passing score success from the
 * scaled score (RTE 4.2). it may be NULL. */
typedef struct pl_status {
	const char *completion;   /* "completed", "incomplete", "not attempted", "unknown" */
	const char *success;      /* "passed", "failed", "unknown" */
	bool has_score;
	double score;             /* scaled */
} pl_status;
void pl_status_of(lms_cmi_version v, const lms_rt_state *st, const lms_item *it,
                  pl_status *out);

/* What an attempt's run-time state reports to the sequencer (statuses as pl_status_of). */
void pl_seq_result(lms_cmi_version v, const lms_rt_state *st, const lms_item *it, lms_arena *a,
                   lms_seq_sco_result *out);

/* The item with ord, or NULL. */
const lms_item *pl_item(const pl_seq *q, int ord);

/* Reports a finished attempt's final state to the sequencer of its enrolment and saves the
 * tracking state (retrying on a concurrent change). */
int pl_seq_after_finish(lms_store *s, int64_t user_id, int64_t enrolment_id, int item_ord,
                        const lms_rt_state *final, lms_arena *a, lms_err *err);

/* Sleeps before retrying after a lost race (player.c). */
void pl_backoff(int tries);

/* The enrolment id of user, or NULL. */
lms_enrolment *pl_enrolment_by_id(lms_store *s, int64_t user_id, int64_t enrolment_id,
                                  lms_arena *a, lms_err *err);

#endif
