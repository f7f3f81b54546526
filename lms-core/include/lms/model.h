/* model.h — the domain's plain records: units, people, accounts, roles, sessions.
 *
 * Strings in these structs are borrowed from the arena that the call producing them was
 * given; nothing here is freed on its own. Dates are "YYYY-MM-DD" text ("" when open).
 */
#ifndef LMS_MODEL_H
#define LMS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An organisational unit of the city. The tree changes over time: a unit is valid between
 * two dates and, when it is dissolved or merged, points to its successor units. */
typedef struct lms_unit {
	int64_t id;
	const char *code;        /* stable code, e.g. "SNV" */
	const char *name;
	const char *kind;        /* one of lms_unit_kinds */
	const char *parent_code; /* NULL for a root */
	const char *parent_name; /* NULL for a root */
	char valid_from[11];     /* "" when valid since before the records */
	char valid_to[11];       /* "" while still valid */
	const char **successor_codes;
	size_t n_successors;
} lms_unit;

typedef enum lms_par_role {
	LMS_PAR_NONE = 0,
	LMS_PAR_CONCURRENT = 1, /* does PAR work beside other duties (kiêm nhiệm) */
	LMS_PAR_DEDICATED = 2   /* PAR is the job (chuyên trách) */
} lms_par_role;

/* A person of the roster. The personal identification number is never part of this
 * struct: it is written once, on creation, and read by no API. */
typedef struct lms_person {
	int64_t id;
	const char *employee_code;
	const char *full_name;
	const char *unit_code;
	const char *unit_name;
	const char *position;
	bool is_leader;
	lms_par_role par_role;
	bool active;
} lms_person;

typedef enum lms_role_kind {
	LMS_ROLE_LEARNER = 0,
	LMS_ROLE_TRAINER = 1,
	LMS_ROLE_HR_OFFICER = 2,
	LMS_ROLE_ADMIN = 3
} lms_role_kind;

#define LMS_ROLE_COUNT 4

/* A role of an account. Trainers and HR officers reach the subtree of unit; learners and
 * admins have no unit (an admin reaches everything). */
typedef struct lms_role {
	lms_role_kind kind;
	int64_t unit_id;        /* 0 when none */
	const char *unit_code;
	const char *unit_name;
} lms_role;

typedef struct lms_user {
	int64_t id;
	const char *username;
	const char *display_name;
	const char *password_hash; /* encoded argon2id; only set by lookups made for login */
	bool active;
	lms_role *roles;
	size_t n_roles;
	lms_person *person;        /* NULL when the account is not linked to a person */
} lms_user;

/* A server-side session. The token itself is never stored: only its SHA-256. */
typedef struct lms_session {
	int64_t id;
	int64_t user_id;
	char csrf_token[48];     /* base64url of 32 random bytes */
	int64_t created_us;
	int64_t last_seen_us;
	int64_t expires_us;      /* absolute expiry */
	bool ended;              /* logged out, expired or ended by a new password */
} lms_session;

/* Input records for creation. */
typedef struct lms_unit_input {
	const char *code, *name, *kind, *parent_code; /* parent_code may be NULL */
	const char *valid_from, *valid_to;            /* NULL or "YYYY-MM-DD" */
} lms_unit_input;

typedef struct lms_person_input {
	const char *employee_code, *pin, *full_name, *unit_code, *position;
	bool is_leader;
	lms_par_role par_role;
	const char *since; /* date the unit/position started, NULL = today */
} lms_person_input;

typedef struct lms_user_input {
	const char *username, *display_name, *password_hash;
	const char *person_employee_code; /* NULL when not linked */
} lms_user_input;

const char *lms_role_name(lms_role_kind k);
int lms_role_parse(const char *s, lms_role_kind *out);   /* 0 or LMS_EINVAL */
const char *lms_par_role_name(lms_par_role r);
int lms_par_role_parse(const char *s, lms_par_role *out); /* 0 or LMS_EINVAL */
bool lms_unit_kind_valid(const char *kind);
extern const char *const lms_unit_kinds[];

#endif
