/* assign.h — assignment rules (giao khóa học): an HR officer or an administrator assigns a
 * course to the people of a unit subtree (optionally one position, leaders or staff, a PAR
 * role) with a deadline, a date or a number of days after each person's enrolment. Applying a
 * rule enrols every matching active person with an account who has no enrolment in the course,
 * and turns a self-enrolment not completed into an assigned one; a deadline assigned already
 * is never moved. A rule is applied when made and again periodically, so later joiners get it
 * too; ending it stops that and keeps its enrolments. docs/assignments.md, 0018_assignment.sql.
 *
 * The checks here are pure; the store does the rest behind lms_assign_ops
 * (store->ops->assign; storage/pg/store_pg_assign.c). */
#ifndef LMS_ASSIGN_H
#define LMS_ASSIGN_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_ASG_POSITION_MAX 200     /* characters */
#define LMS_ASG_NOTE_MAX 500
#define LMS_ASG_DUE_DAYS_MAX 3650
#define LMS_ASG_PAGE_MAX 500

/* A new rule, as asked. Strings are borrowed. */
typedef struct lms_assign_in {
	const char *course_code;
	const char *unit_code;
	const char *position;        /* NULL: every position */
	const char *audience;        /* "all" (NULL means all), "leader", "staff" */
	const char *par_role;        /* NULL: any; "par" (dedicated or concurrent), "dedicated",
	                              * "concurrent", "none" */
	const char *due_on;          /* YYYY-MM-DD, or NULL with due_days */
	int due_days;                /* 1..LMS_ASG_DUE_DAYS_MAX, or 0 with due_on */
	const char *note;            /* NULL or up to LMS_ASG_NOTE_MAX characters */
} lms_assign_in;

/* What applying a rule did (or, in a dry run, would do). */
typedef struct lms_assign_counts {
	int64_t matched;       /* active people of the subtree the rule selects */
	int64_t no_account;    /* of those, without an account: not enrolled until they get one */
	int64_t enrolled;      /* enrolments made */
	int64_t converted;     /* self-enrolments turned into assigned ones */
	int64_t untouched;     /* enrolled already: assigned before, or completed */
} lms_assign_counts;

/* A rule as stored, with what it has made so far. Dates are YYYY-MM-DD (city time); times
 * ISO 8601 UTC. */
typedef struct lms_assign_rule {
	int64_t id;
	const char *course_code, *course_title;
	const char *unit_code, *unit_name;
	const char *position, *audience, *par_role;  /* position and par_role NULL: any */
	const char *due_on;                          /* NULL with due_days */
	int due_days;
	const char *note;
	const char *created_by, *created_at;
	const char *ended_by, *ended_at;             /* NULL while in force */
	int64_t enrolments, completed, overdue;      /* enrolments it made or converted */
} lms_assign_rule;

typedef struct lms_assign_ops {
	/* Stores the rule (its course and unit resolved: LMS_ENOTFOUND "course_not_found" /
	 * "unit_not_found"; the unit must be within scope, else LMS_EFORBIDDEN) and applies it,
	 * in one transaction, rolled back when dry_run. *id is the rule's id (0 in a dry run). */
	int (*create)(lms_store *s, const lms_assign_in *in, const lms_scope *scope,
	              const char *actor, int64_t now_us, bool dry_run, int64_t *id,
	              lms_assign_counts *out, lms_err *err);
	/* The rules whose unit is within scope (and within the subtree of unit_code when not
	 * NULL), newest first; ended ones too when with_ended. *total counts them all. */
	int (*list)(lms_store *s, const lms_scope *scope, const char *unit_code, bool with_ended,
	            int limit, int offset, lms_arena *a, lms_assign_rule **out, size_t *n,
	            int64_t *total, lms_err *err);
	/* Ends a rule in force within scope: LMS_ENOTFOUND when there is none (or it is out of
	 * scope: not told apart), LMS_ECONFLICT "rule_ended" when it was ended already. */
	int (*end)(lms_store *s, int64_t id, const lms_scope *scope, const char *actor,
	           int64_t now_us, lms_err *err);
	/* Applies every rule in force (safe with several nodes at once); out sums them. */
	int (*apply)(lms_store *s, int64_t now_us, lms_assign_counts *out, lms_err *err);
	/* The positions the active people of the scope hold (at most 500), in Vietnamese order:
	 * what a rule's position may name. */
	int (*positions)(lms_store *s, const lms_scope *scope, lms_arena *a, const char ***out,
	                 size_t *n, lms_err *err);
} lms_assign_ops;

/* Checks a rule as asked, against today (YYYY-MM-DD in the city): every field's shape, one
 * deadline (a date not before today, or a number of days), LMS_EINVAL naming the field. */
int lms_assign_check(const lms_assign_in *in, const char *today, lms_err *err);

/* The checks, then the store's create. */
int lms_assign_create(lms_store *s, const lms_assign_in *in, const lms_scope *scope,
                      const char *actor, int64_t now_us, bool dry_run, int64_t *id,
                      lms_assign_counts *out, lms_err *err);

#endif
