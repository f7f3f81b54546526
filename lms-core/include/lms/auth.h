/* auth.h — passwords, login with throttling, sessions and CSRF tokens, role reach.
 *
 * Passwords are hashed with argon2id (libargon2); the encoded hash carries its salt and
 * parameters, so they can be raised later without breaking old hashes. Session tokens are
 * 32 random bytes (OpenSSL RAND_bytes) in base64url; only their SHA-256 is stored.
 */
#ifndef LMS_AUTH_H
#define LMS_AUTH_H

#include "lms/arena.h"
#include "lms/clock.h"
#include "lms/error.h"
#include "lms/model.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>

#define LMS_TOKEN_LEN 43        /* base64url of 32 bytes, no padding */
#define LMS_PASSWORD_HASH_MAX 160
#define LMS_PASSWORD_MIN_CHARS 10

typedef struct lms_auth_policy {
	int64_t session_idle_us;    /* a session unused this long expires */
	int64_t session_max_us;     /* a session expires this long after login in any case */
	int64_t touch_interval_us;  /* last_seen is written at most this often */
	int max_user_failures;      /* failed logins per username within the window */
	int max_addr_failures;      /* failed logins per address within the window */
	int64_t failure_window_us;
	unsigned argon2_t_cost, argon2_m_cost_kib, argon2_parallelism;
} lms_auth_policy;

/* Defaults: idle 4 h, max 12 h, touch 60 s, 5 per user / 20 per address in 15 min,
 * argon2id t=2 m=19 MiB p=1 (OWASP's minimum recommendation). */
void lms_auth_policy_default(lms_auth_policy *p);

/* Hashes password into out (NUL-terminated encoded argon2id string). */
int lms_password_hash(const lms_auth_policy *p, const char *password, char *out,
                      size_t outsz, lms_err *err);
/* 0 when password matches encoded, LMS_EUNAUTH when not, LMS_EINVAL when encoded is not
 * an argon2id hash. Constant time in the password. */
int lms_password_verify(const char *encoded, const char *password);

/* What a successful login gives the caller. */
typedef struct lms_login_result {
	char token[LMS_TOKEN_LEN + 1]; /* goes into the cookie; never logged */
	lms_session session;
	lms_user user;
} lms_login_result;

/* Records the attempt (before anything else, so parallel guesses count at once), checks
 * throttling, then the password, and creates a session.
 * Fails LMS_ETHROTTLED (retry_after_s set) before checking the password when the username
 * or the address is at its limit; LMS_EUNAUTH "invalid_credentials" for an unknown user,
 * a wrong password or a disabled account alike (the same work is done for each, so timing
 * does not tell them apart). username must already be lowercased. */
int lms_auth_login(lms_store *s, const lms_clock *clock, const lms_auth_policy *p,
                   const char *username, const char *password, const char *addr,
                   const char *user_agent, lms_arena *a, lms_login_result *out,
                   lms_err *err);

/* The caller of a request: its session and account. */
typedef struct lms_principal {
	lms_session session;
	lms_user user;
} lms_principal;

/* Resolves a session token. LMS_EUNAUTH "unauthenticated" for a malformed or unknown token;
 * "session_expired" for a session that has ended (logout, a new password, a disabled
 * account) or expired (which is then ended). Ended sessions are remembered for a day
 * (LMS_SESSION_HISTORY_US), after which their tokens are simply unknown. Refreshes last_seen at most
 * every touch_interval. */
int lms_auth_session(lms_store *s, const lms_clock *clock, const lms_auth_policy *p,
                     const char *token, lms_arena *a, lms_principal *out, lms_err *err);

/* Ends the caller's session. */
int lms_auth_logout(lms_store *s, const lms_clock *clock, const lms_principal *who,
                    lms_err *err);

/* Deletes expired sessions and login attempts older than the retention (90 days: the audit
 * trail of logins). Safe to run from several nodes at once. */
int lms_auth_housekeep(lms_store *s, const lms_clock *clock, const lms_auth_policy *p,
                       int64_t *deleted, lms_err *err);

#define LMS_LOGIN_ATTEMPT_RETENTION_US (INT64_C(90) * 86400 * LMS_SECOND_US)
#define LMS_SESSION_HISTORY_US (INT64_C(86400) * LMS_SECOND_US)

/* Constant-time comparison of a presented CSRF token with the session's. */
bool lms_auth_csrf_ok(const lms_session *sess, const char *presented);

/* The first role of kind k the user holds, or NULL. */
const lms_role *lms_user_role(const lms_user *u, lms_role_kind k);
bool lms_user_has_role(const lms_user *u, lms_role_kind k);

/* The reach of the user through the given roles (a bitmask of 1 << lms_role_kind): all
 * units for an admin, else the units of the matching roles. LMS_EFORBIDDEN when the user
 * holds none of them. roots are allocated in a. */
int lms_user_scope(const lms_user *u, unsigned role_mask, lms_arena *a, lms_scope *out,
                   lms_err *err);

/* Fills out with n random bytes encoded as base64url (no padding); out needs 4*n/3+2. */
int lms_random_token(size_t nbytes, char *out, size_t outsz);

/* The SHA-256 of a token (what the store keeps of session and launch tokens). */
void lms_token_hash(const char *token, unsigned char out[32]);

#endif
