/* support.h — shared helpers of the unit tests: an in-memory fake lms_store that counts
 * calls per operation and can fail the Nth call (SQLite-style fault injection), a settable
 * clock, and a cheap argon2 policy so that hashing stays fast under ASan.
 *
 * The fake keeps everything in fixed arrays inside one heap object, so a test that forgets
 * nothing but fake_store_free leaks nothing. Strings handed back by lookups are copied into
 * the caller's arena, as the PostgreSQL store does. Include this header after cmocka's
 * prerequisites (stdarg.h, stddef.h, stdint.h, setjmp.h) or on its own: it includes them.
 */
#ifndef PARLEARN_TEST_SUPPORT_H
#define PARLEARN_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lms/arena.h"
#include "lms/auth.h"
#include "lms/clock.h"
#include "lms/error.h"
#include "lms/model.h"
#include "lms/store.h"

/* 2026-01-05T08:00:00Z, a Monday morning: the start of every test's clock. */
#define SUPPORT_T0 (INT64_C(1767600000) * LMS_SECOND_US)

/* ---- fake store ---- */

typedef enum fake_op {
	FAKE_PING,
	FAKE_UNIT_CREATE,
	FAKE_UNIT_ADD_SUCCESSOR,
	FAKE_UNIT_FIND,
	FAKE_UNIT_LIST,
	FAKE_UNIT_WITHIN,
	FAKE_PERSON_CREATE,
	FAKE_PERSON_LIST,
	FAKE_USER_CREATE,
	FAKE_USER_ADD_ROLE,
	FAKE_USER_SET_PASSWORD,
	FAKE_USER_BY_USERNAME,
	FAKE_USER_BY_ID,
	FAKE_LOGIN_BEGIN,
	FAKE_LOGIN_END,
	FAKE_SESSION_CREATE,
	FAKE_SESSION_LOOKUP,
	FAKE_SESSION_TOUCH,
	FAKE_SESSION_END,
	FAKE_OP_COUNT
} fake_op;

#define FAKE_MAX_USERS 64
#define FAKE_MAX_ROLES 4
#define FAKE_MAX_ATTEMPTS 512
#define FAKE_MAX_SESSIONS 64

typedef struct fake_user {
	int64_t id;
	char username[65];
	char display_name[128];
	char password_hash[LMS_PASSWORD_HASH_MAX]; /* "" = no password (lookup gives NULL) */
	bool active;
	bool deleted;                               /* lookups answer LMS_ENOTFOUND */
	lms_role roles[FAKE_MAX_ROLES];             /* unit_code/unit_name: string literals */
	size_t n_roles;
} fake_user;

typedef struct fake_attempt {
	int64_t id;
	char username[65];
	char addr[64];
	int outcome;                /* 0 while pending, else an lms_login_outcome */
	bool success;               /* outcome == LMS_LOGIN_SUCCESS */
	int64_t at_us;
} fake_attempt;

typedef struct fake_session {
	bool live;                  /* false once ended */
	unsigned char token_hash[32];
	lms_session sess;
	char addr[64];
	char user_agent[128];
} fake_session;

typedef struct fake_store {
	lms_store store;            /* give &f->store to the core */
	fake_user users[FAKE_MAX_USERS];
	size_t n_users;
	fake_attempt attempts[FAKE_MAX_ATTEMPTS];
	size_t n_attempts;
	fake_session sessions[FAKE_MAX_SESSIONS];
	size_t n_sessions;          /* slots used, live or not */
	int64_t next_session_id;
	unsigned long calls[FAKE_OP_COUNT];
	unsigned long total_calls;
	unsigned long fail_at;      /* total_calls value whose call fails; 0 = none */
	int fail_rc;
	unsigned long injected;     /* faults injected so far */
} fake_store;

fake_store *fake_store_new(void);
void fake_store_free(fake_store *f); /* NULL is fine */

/* Adds an account (ids from 1). password_hash NULL: no password. */
fake_user *fake_store_add_user(fake_store *f, const char *username, const char *password_hash,
                               bool active);
void fake_user_add_role(fake_user *u, lms_role_kind k, int64_t unit_id, const char *unit_code);

/* The nth store call from now (1 = the next one), whatever its op, fails with rc and fills
 * err. One shot: later calls succeed again. */
void fake_store_fail_nth(fake_store *f, unsigned long n, int rc);
/* Zeroes the call counters (and cancels a pending fault). */
void fake_store_reset_calls(fake_store *f);

size_t fake_store_live_sessions(const fake_store *f);
/* The session row with this id, live or deleted, or NULL. */
fake_session *fake_store_session(fake_store *f, int64_t id);
/* Recorded login attempts: successes (success true), or failures and pending attempts
 * (success false) — throttled attempts are in neither. */
size_t fake_store_attempts(const fake_store *f, bool success);
/* Attempts refused by throttling. */
size_t fake_store_throttled(const fake_store *f);

/* ---- fake clock ---- */

typedef struct fake_clock {
	lms_clock clock;            /* give &c->clock to the core */
	int64_t now_us;
} fake_clock;

void fake_clock_init(fake_clock *c, int64_t now_us);
void fake_clock_advance(fake_clock *c, int64_t us);

/* ---- auth helpers ---- */

/* The default policy with argon2id m=64 KiB, t=1, p=1: cheap enough for hundreds of hashes. */
void support_cheap_policy(lms_auth_policy *p);
/* Hashes password with the cheap policy; fails the test on error. */
void support_hash(const char *password, char out[LMS_PASSWORD_HASH_MAX]);
/* True when s is exactly len characters of A-Z a-z 0-9 - _ (base64url without padding). */
bool support_is_base64url(const char *s, size_t len);

/* ---- files of the source tree ---- */

/* Reads the file at rel (a path inside the source tree, e.g.
 * "tests/unit/data/questions/x.gift") into a malloc'd, NUL-terminated buffer the caller
 * frees; *len its length. The tree is PARLEARN_SOURCE (ctest sets it), else found from this
 * file's own path. Fails the test when the file cannot be read. */
char *support_read_source_file(const char *rel, size_t *len);

#endif
