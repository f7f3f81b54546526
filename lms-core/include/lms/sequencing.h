/* sequencing.h — SCORM navigation and sequencing over a course's activity tree, for one
 * learner on one course: which activity to deliver next, what the table of contents offers,
 * and how the course rolls up.
 *
 * SCORM 2004 (4th edition Sequencing and Navigation book, "SN"): the imsss:sequencing of
 * each item and of the organisation (with IDRef into the manifest's sequencingCollection)
 * is parsed at build time; navigation requests run the SN processes (navigation,
 * termination, sequencing, delivery, rollup). SCORM 1.2: every cluster allows choice and
 * flow, adlcp:prerequisites (AICC script) gate an item like a "disabled" precondition, and
 * the course rolls up as "complete when every launchable item is".
 * Exactly which SN processes are implemented, partly or not: docs/sequencing.md.
 *
 * Pure functions: no I/O, no global state. A tree and its tracking state live in the arena
 * given to lms_seq_tree_build; the caller loads a learner's state into it
 * (lms_seq_state_load), calls report / navigate, and stores lms_seq_state_dump's text.
 * A tree is not thread-safe: one request uses one tree. Ords are the caller's item numbers
 * (lms_seq_item_in.ord); the organisation (the root activity) has ord -1.
 */
#ifndef LMS_SEQUENCING_H
#define LMS_SEQUENCING_H

#include "lms/arena.h"
#include "lms/cmi.h"
#include "lms/error.h"
#include "lms/report.h"

#include <stdbool.h>
#include <stddef.h>

#define LMS_SEQ_MAX_ITEMS 5000          /* items of one course; more: LMS_ETOOBIG */
#define LMS_SEQ_MAX_XML (256u << 10)    /* bytes of one sequencing element or collection */
#define LMS_SEQ_MAX_STATE (4u << 20)    /* bytes of a state text */
#define LMS_SEQ_ROOT (-1)               /* the ord of the organisation */

/* One manifest item, in document order (a parent before its children). */
typedef struct lms_seq_item_in {
	int ord;                       /* the caller's number for it, >= 0, unique */
	int parent_ord;                /* -1 for a top-level item */
	const char *identifier;        /* item identifier (prerequisites name these) */
	const char *title;
	bool launchable;               /* has a resource href (a SCO or an asset) */
	bool asset;                    /* the resource is adlcp:scormtype asset: it never reports,
	                                  so 1.2 marks it completed once delivered (2004 does so
	                                  for every activity whose content sets nothing) */
	bool visible;                  /* isvisible */
	const char *sequencing_xml;    /* 2004: <imsss:sequencing ...> serialised, or NULL */
	const char *prerequisites;     /* 1.2: adlcp:prerequisites, or NULL */
	const char *completion_threshold; /* 2004: adlcp:completionThreshold text (a real in
	                                     0..1), or NULL; only handed back at launch */
} lms_seq_item_in;

typedef struct lms_seq_tree lms_seq_tree;

/* Builds the activity tree of one course (the organisation as root, items[0..n) below it)
 * with a fresh tracking state, in a. For 2004, parses org_sequencing_xml and each item's
 * sequencing_xml (NULL: defaults), resolving IDRef against collection_xml (the
 * imsss:sequencingCollection, or NULL): the referenced element's children are taken where
 * the item's own element has none of the same name (CAM 3.4.1.1). XML is parsed safely
 * (xml_safe.h: no DTD at all, no entities, no network), each element at most
 * LMS_SEQ_MAX_XML bytes, 4,000 elements and 32 deep. For 1.2, parses the prerequisites.
 * Lenient where packages are loose (unknown elements, attributes and values are ignored;
 * an unparsable prerequisites script or one naming an unknown item is ignored — the item
 * is not gated): each such case adds a warning to report (may be NULL). Errors:
 * LMS_EINVAL "sequencing_invalid" for a bad tree (duplicate ord, a parent_ord that is not
 * an earlier item, n == 0), an unknown IDRef, XML that is not well-formed or is refused
 * for safety; LMS_ETOOBIG over LMS_SEQ_MAX_ITEMS or an XML limit. *out is set only on
 * success. Strings of items are copied. */
int lms_seq_tree_build(lms_cmi_version v, const char *org_sequencing_xml,
                       const char *collection_xml, const lms_seq_item_in *items, size_t n,
                       lms_arena *a, lms_report *report, lms_seq_tree **out, lms_err *err);

/* Loads a learner's tracking state (a text from lms_seq_state_dump) into t, replacing its
 * state. NULL or "" gives a fresh state. Activities and objectives are named by their
 * identifiers, so a state outlives a re-imported package: lines naming an item, objective
 * or global objective the tree no longer has are skipped. Returns 0; LMS_EINVAL
 * "sequencing_state_invalid" when the text is damaged (unknown version or line, bad
 * number, flags or escape) and LMS_ETOOBIG over LMS_SEQ_MAX_STATE; on error t's state is
 * what it was before the call. */
int lms_seq_state_load(lms_seq_tree *t, const char *text, lms_err *err);

/* The tracking state as text (in a): a first line "parlearn-seq 1", then one line per
 * piece of non-default state, identifiers %-escaped. Never NULL. */
const char *lms_seq_state_dump(const lms_seq_tree *t, lms_arena *a);

/* One cmi.objectives.n of a SCO's run-time data. */
typedef struct lms_seq_objective_report {
	const char *id;                /* cmi.objectives.n.id */
	const char *success_status;    /* "passed" / "failed" / "unknown" or NULL */
	const char *completion_status; /* ignored (4th-ed. objective completion is not tracked) */
	bool has_score;
	double score_scaled;           /* -1..1 */
} lms_seq_objective_report;

/* What a SCO's attempt reported when its session ended (from its run-time data). */
typedef struct lms_seq_sco_result {
	const char *completion_status; /* 2004 cmi.completion_status (completed / incomplete /
	                                  not attempted / unknown), or NULL */
	const char *success_status;    /* 2004 cmi.success_status (passed / failed / unknown) */
	const char *lesson_status;     /* 1.2 only: cmi.core.lesson_status as stored; when set,
	                                  completion_status and success_status are derived from
	                                  it (and the two fields are ignored) */
	bool has_score;
	double score_scaled;           /* 2004 cmi.score.scaled; 1.2 raw/max, or raw/100 */
	bool has_progress;
	double progress_measure;       /* 2004 cmi.progress_measure */
	const char *exit;              /* cmi.exit / cmi.core.exit: "suspend" keeps the attempt */
	const char *nav_request;       /* adl.nav.request, or NULL (see lms_seq_request_of) */
	const lms_seq_objective_report *objectives;
	size_t n_objectives;
} lms_seq_sco_result;

typedef enum lms_seq_nav {
	LMS_NAV_NONE = 0,              /* no request ("_none_") */
	LMS_NAV_START,
	LMS_NAV_RESUME_ALL,
	LMS_NAV_CONTINUE,
	LMS_NAV_PREVIOUS,
	LMS_NAV_CHOICE,                /* target_ord */
	LMS_NAV_JUMP,                  /* target_ord (4th ed.: no choice constraints) */
	LMS_NAV_EXIT,
	LMS_NAV_EXIT_ALL,
	LMS_NAV_SUSPEND_ALL,
	LMS_NAV_ABANDON,
	LMS_NAV_ABANDON_ALL
} lms_seq_nav;

typedef struct lms_seq_outcome {
	int deliver_ord;        /* the activity to launch now, or -1 */
	bool new_attempt;       /* deliver_ord starts a new attempt (give the SCO a fresh
	                           run-time state); false: it resumes a suspended attempt */
	bool end_of_course;     /* the sequencing session ended (exitAll, continue past the last
	                           activity, an exitAll / exit-at-root rule) */
	bool suspended;         /* suspendAll: the session ended suspended; resume with
	                           LMS_NAV_RESUME_ALL */
	int current_ord;        /* the current activity after the request, or -1 (when a
	                           request is refused after the current activity was exited, it
	                           stays current but not active: show the table of contents) */
	const char *refused;    /* NULL, or a stable reason: "not_started", "already_started",
	                           "nothing_suspended", "not_active", "no_request",
	                           "no_parent", "start_of_course", "flow_disabled",
	                           "choice_disabled", "choice_exit", "forward_only",
	                           "stop_forward", "hidden", "disabled", "prerequisites",
	                           "attempt_limit", "no_target", "not_a_leaf" (a cluster, or an
	                           item with nothing to launch), "nothing_to_deliver" */
	const char *exception;  /* the SN exception code of the refusal, e.g. "SB.2.2-2" */
} lms_seq_outcome;

/* Records the result of activity ord's attempt (the SCO's run-time data when its session
 * ends, or at any commit). Sets the attempt's completion and progress measure, the primary
 * objective's satisfaction and measure, the objectives whose id matches a
 * cmi.objectives.n.id (writing mapped global objectives), and whether the attempt is
 * suspended (exit "suspend"). Statuses that are NULL, "unknown" or unparsable leave that
 * part unknown. When ord is not the active current activity, rolls up at once (else the
 * rollup runs when the navigation request ends the attempt). Returns 0, or LMS_EINVAL when
 * ord is not a launchable item that has been delivered. */
int lms_seq_report(lms_seq_tree *t, int ord, const lms_seq_sco_result *r, lms_err *err);

/* The navigation request a SCO's result asks for: cmi.exit "time-out" or "logout" ->
 * EXIT_ALL; else adl.nav.request: "continue", "previous", "exit", "exitAll", "abandon",
 * "abandonAll", "suspendAll", "start", "resumeAll", "{target=ID}choice", "{target=ID}jump"
 * (target_ord set), "_none_" / NULL -> LMS_NAV_NONE (the learner chooses in the UI).
 * Returns 0; LMS_EINVAL for an unknown request or target identifier. */
int lms_seq_request_of(const lms_seq_tree *t, const lms_seq_sco_result *r, lms_seq_nav *req,
                       int *target_ord, lms_err *err);

/* Runs one navigation request (SN Overall Sequencing Process OP.1): validates it, ends the
 * current attempt when the request does (End Attempt with rollup, exit and post-condition
 * rules), and finds the activity to deliver, beginning its attempt. target_ord is used by
 * CHOICE and JUMP only (LMS_SEQ_ROOT is a valid choice target). A refused request fills
 * out->refused and returns 0: the state may still have changed (the current activity
 * was exited). Returns LMS_EINVAL only for an unknown req value. out is always filled. */
int lms_seq_navigate(lms_seq_tree *t, lms_seq_nav req, int target_ord, lms_seq_outcome *out,
                     lms_err *err);

/* Would navigate(req, target_ord) be accepted now (not refused: it delivers an activity, or
 * ends or suspends the session — continue from the last activity ends the course)? Runs it
 * on a copy of the state (scratch allocations in a), t unchanged. When out is not NULL it
 * gets that outcome. */
bool lms_seq_nav_allowed(const lms_seq_tree *t, lms_seq_nav req, int target_ord, lms_arena *a,
                         lms_seq_outcome *out);

typedef enum lms_seq_status {
	LMS_SEQ_NOT_ATTEMPTED = 0,
	LMS_SEQ_INCOMPLETE,
	LMS_SEQ_COMPLETED,
	LMS_SEQ_PASSED,
	LMS_SEQ_FAILED,
	LMS_SEQ_BROWSED         /* 1.2 only */
} lms_seq_status;

/* "not_attempted", "incomplete", "completed", "passed", "failed", "browsed". */
const char *lms_seq_status_name(lms_seq_status s);

/* One row of the table of contents. */
typedef struct lms_seq_toc_entry {
	int ord;
	int parent_ord;
	int depth;              /* 0 for a top-level item */
	const char *identifier, *title;
	bool launchable;
	bool visible;           /* isvisible and not hiddenFromChoice now */
	bool choosable;         /* a CHOICE of it now would deliver something */
	const char *refused;    /* when not choosable: the reason (lms_seq_outcome.refused) */
	lms_seq_status status;
	int attempts;           /* attempt count */
	bool current, suspended;
} lms_seq_toc_entry;

/* The table of contents, one entry per item in document order (the root is not listed).
 * choosable is a dry run of CHOICE per item (t unchanged). Entries in a. Returns 0. */
int lms_seq_toc(const lms_seq_tree *t, lms_arena *a, lms_seq_toc_entry **out, size_t *n);

/* Which flow buttons to enable: dry runs of CONTINUE and PREVIOUS. */
void lms_seq_flow_allowed(const lms_seq_tree *t, lms_arena *a, bool *continue_ok,
                          bool *previous_ok);

/* True when a suspended session waits (call RESUME_ALL rather than START). */
bool lms_seq_has_suspended(const lms_seq_tree *t);

/* The current activity's ord, or -1 when no sequencing session runs (none started, or the
 * last one ended or was suspended). *active (may be NULL) tells whether its attempt is
 * still running (delivered, not yet ended by a navigation request). */
int lms_seq_current(const lms_seq_tree *t, bool *active);

/* The course as a whole (the root activity after rollup). */
typedef struct lms_seq_course {
	bool completion_known, completed;
	bool success_known, passed;   /* 2004: root primary objective satisfied */
	bool measure_known;
	double measure;               /* -1..1 */
	lms_seq_status status;        /* the same summarised for display */
} lms_seq_course;

void lms_seq_course_status(const lms_seq_tree *t, lms_seq_course *out);

/* Status of one item (LMS_SEQ_ROOT: the course) for display; NOT_ATTEMPTED for an
 * unknown ord. */
lms_seq_status lms_seq_item_status(const lms_seq_tree *t, int ord);

/* One objective handed to a SCO at launch (2004 cmi.objectives.n). */
typedef struct lms_seq_launch_objective {
	const char *id;               /* objectiveID */
	const char *success_status;   /* "passed", "failed" or "unknown" */
	bool has_score;
	double score_scaled;
} lms_seq_launch_objective;

/* Launch values of a 2004 SCO that come from sequencing. */
typedef struct lms_seq_launch {
	bool has_completion_threshold;
	double completion_threshold;  /* cmi.completion_threshold (adlcp:completionThreshold) */
	bool has_scaled_passing_score;
	double scaled_passing_score;  /* cmi.scaled_passing_score: minNormalizedMeasure of a
	                                 primary objective with satisfiedByMeasure */
	lms_seq_launch_objective *objectives; /* every objective with an objectiveID, primary
	                                         first; statuses read through mapInfo */
	size_t n_objectives;
} lms_seq_launch;

/* Fills *out (arrays and strings in a) for launching activity ord. Returns 0, or
 * LMS_EINVAL for an unknown ord. */
int lms_seq_launch_data(const lms_seq_tree *t, int ord, lms_arena *a, lms_seq_launch *out,
                        lms_err *err);

#endif
