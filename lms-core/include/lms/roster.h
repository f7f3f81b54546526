/* roster.h — importing the roster from the city's personnel system, as in docs/personnel-sync.md
 * section 1: units with their validity dates and successors, positions, and people.
 *
 * The flow is: a format adapter fills an lms_roster (server/src/roster_json.c for JSON,
 * lms_roster_parse_csv for CSV) and rejects rows it cannot read; lms_roster_import then, in
 * one store transaction, loads what parlearn holds (lms_roster_current), checks every row
 * against the file and the database, plans the changes (lms_roster_plan), stops on any
 * rejected row or on the deactivation guard, and applies the plan unless it is a dry run.
 * Everything lives in the caller's arena. The PIN never goes into a message or a report.
 */
#ifndef LMS_ROSTER_H
#define LMS_ROSTER_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_ROSTER_MAX_UNITS 20000
#define LMS_ROSTER_MAX_PEOPLE 500000
#define LMS_ROSTER_MAX_SUCCESSORS 32
#define LMS_ROSTER_LIST_MAX 1000      /* changes listed by name in a report, per kind */
#define LMS_ROSTER_REJECT_MAX 10000   /* rejected rows listed; more are only counted */
#define LMS_ROSTER_GUARD_DEFAULT 10.0 /* per cent of the scope's active people */

typedef struct lms_roster_unit {
	const char *where;           /* "/units/3" */
	const char *code, *name, *kind, *parent_code;   /* parent_code NULL: a root */
	const char *valid_from, *valid_to;              /* "YYYY-MM-DD" or NULL */
	const char **successors;
	size_t n_successors;
} lms_roster_unit;

typedef struct lms_roster_position {
	const char *where, *code, *name;
} lms_roster_position;

typedef struct lms_roster_person {
	const char *where;           /* "/people/41" or "line 43" */
	const char *employee_code, *pin, *full_name, *unit_code;
	const char *position_code, *position;           /* exactly one of them */
	const char *valid_from, *email;                 /* email may be NULL */
	bool is_leader, active;
	lms_par_role par_role;
} lms_roster_person;

/* A file as read. source, generated_at (RFC 3339) and generated_us are the file's (or the
 * caller's, for CSV); scope_unit_code NULL means the whole city. */
typedef struct lms_roster {
	const char *source, *generated_at, *scope_unit_code;
	int64_t generated_us;
	bool people_only;                     /* CSV: units and positions must exist already */
	lms_roster_unit *units;
	size_t n_units;
	lms_roster_position *positions;
	size_t n_positions;
	lms_roster_person *people;
	size_t n_people;
} lms_roster;

/* One rejected row, or a warning. reason is English, one line, never holds a PIN. */
typedef struct lms_roster_problem {
	const char *where, *code, *reason;
} lms_roster_problem;

/* One change, listed by code (at most LMS_ROSTER_LIST_MAX of each kind). */
typedef struct lms_roster_change {
	const char *kind;    /* "unit_added", "person_moved", ... (LMS_RC_* names) */
	const char *code, *detail;
} lms_roster_change;

typedef enum {
	LMS_RC_UNIT_ADDED, LMS_RC_UNIT_CHANGED, LMS_RC_POSITION_ADDED, LMS_RC_POSITION_CHANGED,
	LMS_RC_PERSON_ADDED, LMS_RC_PERSON_CHANGED, LMS_RC_PERSON_MOVED,
	LMS_RC_PERSON_DEACTIVATED, LMS_RC_PERSON_REACTIVATED, LMS_RC__COUNT
} lms_roster_change_kind;

const char *lms_roster_change_name(lms_roster_change_kind k);

typedef struct lms_roster_opts {
	bool dry_run, force;
	double guard_percent;     /* 0: LMS_ROSTER_GUARD_DEFAULT */
	const char *today;        /* "YYYY-MM-DD" in Ho Chi Minh City: deactivation by absence */
	const char *actor;        /* who imports, for the import record ("cli:root", "api") */
	const char *file_sha256;  /* hex, for the import record */
} lms_roster_opts;

typedef enum {
	LMS_ROSTER_APPLIED = 1,   /* changes written (maybe none) */
	LMS_ROSTER_DRY_RUN,       /* checked, nothing written */
	LMS_ROSTER_REJECTED,      /* rows rejected: nothing written */
	LMS_ROSTER_GUARDED,       /* too many deactivations without force: nothing written */
	LMS_ROSTER_STALE          /* older than the last import from the same source */
} lms_roster_outcome;

const char *lms_roster_outcome_name(lms_roster_outcome o);

typedef struct lms_roster_result {
	lms_roster_outcome outcome;
	int64_t import_id;                    /* the import record, 0 if none */
	size_t counts[LMS_RC__COUNT];
	size_t unchanged;                     /* people in the file that changed nothing */
	size_t active_in_scope;               /* for the guard */
	const char *last_generated_at;        /* LMS_ROSTER_STALE: the newer import's */
	lms_roster_change *changes;
	size_t n_changes;
	lms_roster_problem *rejects;
	size_t n_rejects, rejects_total;
	lms_roster_problem *warnings;
	size_t n_warnings;
	size_t cap_rejects, cap_warnings, cap_changes;   /* private: list capacities */
} lms_roster_result;

/* ---- what the store holds (loaded inside the import's transaction) ---- */

typedef struct lms_roster_cur_unit {
	const char *code, *name, *kind, *parent_code, *valid_from, *valid_to;
	const char **successors;
	size_t n_successors;
} lms_roster_cur_unit;

typedef struct lms_roster_cur_person {
	const char *employee_code, *pin, *full_name, *unit_code, *position, *position_code;
	const char *email, *period_from;      /* the start of the open history period */
	bool is_leader, active, in_scope;     /* in_scope: the unit is in the file's scope */
	lms_par_role par_role;
} lms_roster_cur_person;

typedef struct lms_roster_current {
	lms_roster_cur_unit *units;
	size_t n_units;
	lms_roster_position *positions;
	size_t n_positions;
	lms_roster_cur_person *people;
	size_t n_people;
	int64_t last_generated_us;            /* of the same source; 0: none */
	const char *last_generated_at;
} lms_roster_current;

/* ---- the plan: what the store writes ---- */

typedef struct lms_roster_plan {
	const lms_roster_unit **units;        /* added or changed (upserted), parents first */
	size_t n_units;
	const lms_roster_position **positions;
	size_t n_positions;
	/* People added or changed, sorted by valid_from (history periods begin there). */
	const lms_roster_person **people;
	size_t n_people;
	const char **deactivate;              /* employee codes, from opts.today */
	size_t n_deactivate;
	const char *today;
} lms_roster_plan;

/* Reads a people-only CSV file (the header of docs/personnel-sync.md; UTF-8, BOM allowed,
 * RFC 4180). Rows that cannot be read go to result->rejects with their line; a file that is
 * not UTF-8 or has the wrong header fails LMS_EINVAL naming the line. */
int lms_roster_parse_csv(const char *buf, size_t len, lms_arena *a, lms_roster *out,
                         lms_roster_result *result, lms_err *err);

/* Checks roster against current and plans the changes. Rejected rows and warnings go to
 * result; the plan holds only rows that are not rejected. Pure. */
int lms_roster_plan_changes(const lms_roster *roster, const lms_roster_current *current,
                            const lms_roster_opts *opts, lms_arena *a, lms_roster_plan *plan,
                            lms_roster_result *result, lms_err *err);

struct lms_store;
/* The whole import in one store transaction (see the top of this file). result->outcome
 * says what happened; the return is 0 for every outcome, negative only when the import
 * could not run (storage). result may already hold the adapter's rejects. */
int lms_roster_import(struct lms_store *s, const lms_roster *roster, const lms_roster_opts *opts,
                      lms_arena *a, lms_roster_result *result, lms_err *err);

/* Adds a rejected row (or counts it past LMS_ROSTER_REJECT_MAX). */
void lms_roster_reject(lms_roster_result *r, lms_arena *a, const char *where, const char *code,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The report as JSON (the endpoint's body, `roster import --json`). */
const char *lms_roster_result_json(const lms_roster_result *r, lms_arena *a);

#endif
