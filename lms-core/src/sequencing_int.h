/* sequencing_int.h — the activity tree's definitions and tracking state, shared by the
 * sequencing_*.c files (internal to lms-core).
 *
 * Invariants: activity 0 is the root (the organisation); item i of the input is activity
 * i + 1; a parent's index is below its children's. The whole tracking state is three flat
 * arrays (activities, objectives, globals) plus two indices, so it can be copied and
 * restored with memcpy (dry runs, failed loads). Definitions never change after build.
 */
#ifndef LMS_SEQUENCING_INT_H
#define LMS_SEQUENCING_INT_H

#include "lms/sequencing.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- definitions (from the imsss XML) ---- */

typedef enum sq_cond {
	SQ_C_NEVER = 0, /* unknown or unimplemented conditions: false */
	SQ_C_SATISFIED,
	SQ_C_STATUS_KNOWN,
	SQ_C_MEASURE_KNOWN,
	SQ_C_MEASURE_GT,
	SQ_C_MEASURE_LT,
	SQ_C_COMPLETED,
	SQ_C_PROGRESS_KNOWN,
	SQ_C_ATTEMPTED,
	SQ_C_LIMIT_EXCEEDED,
	SQ_C_ALWAYS
} sq_cond;

typedef enum sq_action {
	SQ_A_NONE = 0,
	/* preConditionRule */
	SQ_A_SKIP, SQ_A_DISABLED, SQ_A_HIDDEN, SQ_A_STOP_FORWARD,
	/* exitConditionRule */
	SQ_A_EXIT,
	/* postConditionRule */
	SQ_A_EXIT_PARENT, SQ_A_EXIT_ALL, SQ_A_RETRY, SQ_A_RETRY_ALL, SQ_A_CONTINUE,
	SQ_A_PREVIOUS,
	/* rollupRule */
	SQ_A_SATISFIED, SQ_A_NOT_SATISFIED, SQ_A_COMPLETED, SQ_A_INCOMPLETE
} sq_action;

typedef struct sq_condition {
	sq_cond cond;
	bool negate;
	int obj;           /* index into the activity's objectives (0 = primary) */
	double threshold;  /* measureThreshold */
} sq_condition;

typedef enum sq_set { SQ_SET_ALL = 0, SQ_SET_ANY, SQ_SET_NONE, SQ_SET_COUNT, SQ_SET_PERCENT } sq_set;

typedef struct sq_rule {
	bool any;          /* conditionCombination any (default: all for sequencing rules,
	                      any for rollup rules) */
	sq_condition *c;
	size_t n;
	sq_action action;
	/* rollup rules only */
	sq_set set;
	int min_count;
	double min_percent;
} sq_rule;

typedef struct sq_map {
	int global;        /* index into the tree's globals */
	bool read_sat, read_measure, write_sat, write_measure;
} sq_map;

typedef struct sq_objective {
	const char *id;    /* objectiveID, or NULL */
	bool by_measure;   /* satisfiedByMeasure */
	double min_measure;/* minNormalizedMeasure, default 1.0 */
	sq_map *maps;
	size_t n_maps;
} sq_objective;

typedef enum sq_required { SQ_REQ_ALWAYS = 0, SQ_REQ_IF_ATTEMPTED, SQ_REQ_IF_NOT_SKIPPED,
                           SQ_REQ_IF_NOT_SUSPENDED } sq_required;

typedef struct sq_def {
	/* controlMode */
	bool choice, choice_exit, flow, forward_only;
	/* limitConditions */
	int attempt_limit; /* 0: none */
	/* sequencingRules */
	sq_rule *pre, *exit, *post;
	size_t n_pre, n_exit, n_post;
	/* rollupRules */
	bool rollup_satisfied, rollup_completion;
	double weight;
	sq_rule *rollup;
	size_t n_rollup;
	/* adlseq:rollupConsiderations */
	sq_required req_satisfied, req_not_satisfied, req_completed, req_incomplete;
	bool measure_if_active;
	/* objectives: [0] is the primary (always present, id may be NULL) */
	sq_objective *obj;
	size_t n_obj;
	/* deliveryControls */
	bool tracked, completion_by_content, objective_by_content;
} sq_def;

/* The defaults of SN table 3.x (choice, choiceExit, flow=false ...). */
void sq_def_defaults(sq_def *d);

/* Global objective ids, shared by the whole tree (collected while parsing). */
typedef struct sq_globals {
	const char **ids;
	size_t n, cap;
} sq_globals;

int sq_global_index(sq_globals *g, lms_arena *a, const char *id);

/* The imsss parser (sequencing_xml.c, the only sequencing file with libxml2): open parses
 * the sequencingCollection once (NULL: none); parse_def reads one activity's definition
 * (xml NULL: defaults), where names it in messages; close frees the collection. */
typedef struct sq_xml sq_xml;
int sq_xml_open(const char *collection_xml, sq_globals *g, lms_arena *a, lms_report *rep,
                sq_xml **out, lms_err *err);
int sq_parse_def(sq_xml *x, const char *xml, const char *where, sq_def *d, lms_err *err);
void sq_xml_close(sq_xml *x); /* NULL is fine */

/* ---- SCORM 1.2 prerequisites (sequencing_prereq.c) ---- */

typedef struct sq_prereq sq_prereq;
/* Resolves an identifier to an activity index, or -1. */
typedef int (*sq_lookup_fn)(const void *ud, const char *id, size_t len);
/* Parses an AICC script; NULL with *why set on a syntax error or unknown identifier. */
sq_prereq *sq_prereq_parse(const char *s, sq_lookup_fn lookup, const void *ud, lms_arena *a,
                           const char **why);
/* Evaluates against the 1.2 statuses (status_of(ud, activity)). */
typedef lms_seq_status (*sq_status_fn)(const void *ud, int act);
bool sq_prereq_eval(const sq_prereq *p, sq_status_fn status_of, const void *ud);

/* ---- tracking state ---- */

typedef struct sq_act_state {
	int attempts;              /* Activity Attempt Count */
	bool attempted;            /* Activity Progress Status */
	bool prog_known;           /* Attempt Progress Status */
	bool completed;            /* Attempt Completion Status */
	bool amount_known;
	double amount;             /* Attempt Completion Amount */
	bool active, suspended;
	lms_seq_status st12;       /* 1.2 lesson status as reported (NOT_ATTEMPTED: none) */
} sq_act_state;

typedef struct sq_obj_state {
	bool known;                /* Objective Progress Status */
	bool satisfied;            /* Objective Satisfied Status */
	bool measure_known;        /* Objective Measure Status */
	double measure;            /* Objective Normalized Measure */
} sq_obj_state;

typedef struct sq_activity {
	const char *identifier, *title;
	int ord, parent;           /* parent: activity index, -1 for the root */
	int *children;
	size_t n_children;
	int depth;                 /* root 0 */
	bool launchable, asset, visible;
	const char *completion_threshold;
	sq_def def;
	size_t obj_base;           /* its objectives in the state's objective array */
	sq_prereq *prereq;         /* 1.2 */
} sq_activity;

typedef struct sq_state {
	sq_act_state *act;
	sq_obj_state *obj;
	sq_obj_state *glob;
	int current, suspended;    /* activity index or -1 */
} sq_state;

typedef struct sq_ordmap {
	int ord, act;
} sq_ordmap;

struct lms_seq_tree {
	lms_cmi_version v;
	sq_activity *acts;
	size_t n;                  /* activities, root included */
	size_t n_obj;
	sq_globals globals;
	sq_ordmap *by_ord;         /* items sorted by ord */
	sq_state st;
};

/* ---- shared helpers (sequencing.c) ---- */

int sq_find_ord(const lms_seq_tree *t, int ord); /* activity index, or -1 */
int sq_ord_of(const lms_seq_tree *t, int act);   /* LMS_SEQ_ROOT for the root */
bool sq_is_leaf(const lms_seq_tree *t, int act);
/* A copy of t whose state arrays are fresh copies in a (for dry runs). */
lms_seq_tree *sq_clone(const lms_seq_tree *t, lms_arena *a);
void sq_copy_state(lms_seq_tree *dst, const lms_seq_tree *src);

/* ---- objectives and rules (sequencing_rules.c) ---- */

sq_obj_state *sq_obj(lms_seq_tree *t, int act, int oi);
/* The objective's status as sequencing sees it: read through mapInfo when the global is
 * known. */
void sq_obj_read(const lms_seq_tree *t, int act, int oi, sq_obj_state *out);
/* Sets the local status and writes it to the globals mapped for writing (known values only). */
void sq_obj_set_status(lms_seq_tree *t, int act, int oi, bool known, bool satisfied);
void sq_obj_set_measure(lms_seq_tree *t, int act, int oi, bool known, double measure);
/* The first rule of rules[0..n) whose conditions hold for act, or NULL (UP.2). */
const sq_rule *sq_rules_check(const lms_seq_tree *t, int act, const sq_rule *rules, size_t n,
                              sq_action only);
bool sq_limit_exceeded(const lms_seq_tree *t, int act); /* UP.1 */
/* One condition of act: 1 true, 0 false, -1 unknown (negation applied). */
int sq_condition_eval(const lms_seq_tree *t, int act, const sq_condition *c);
/* UP.5 Check Activity: disabled (2004 rule, 1.2 prerequisites) or over its limit. reason:
 * "disabled", "prerequisites" or "attempt_limit". */
bool sq_check_activity(const lms_seq_tree *t, int act, const char **reason);
lms_seq_status sq_status12(const lms_seq_tree *t, int act);

/* ---- rollup (sequencing_rollup.c) ---- */

void sq_overall_rollup(lms_seq_tree *t, int act); /* RB.1.5 */

/* ---- navigation (sequencing_nav.c) ---- */

void sq_navigate(lms_seq_tree *t, lms_seq_nav req, int target, lms_seq_outcome *out);

#endif
