/* auth.c — password hashing, login with throttling, sessions, CSRF, role reach.
 *
 * Invariants: a session token or password never leaves this file except into
 * lms_login_result.token (for the cookie); the store sees only SHA-256(token). Every attempt
 * is recorded as pending before its password is checked, so parallel guesses see each other
 * and at most the limit are ever checked. An attempt refused by throttling is recorded as
 * throttled and does not count (otherwise a locked account could be kept locked for ever by
 * one more request per window).
 */
#include "lms/auth.h"

#include "lms/log.h"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <string.h>

#define SALT_LEN 16
#define HASH_LEN 32

void lms_auth_policy_default(lms_auth_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->session_idle_us = 4 * 3600 * LMS_SECOND_US;
	p->session_max_us = 12 * 3600 * LMS_SECOND_US;
	p->touch_interval_us = 60 * LMS_SECOND_US;
	p->max_user_failures = 5;
	p->max_addr_failures = 20;
	p->failure_window_us = 15 * 60 * LMS_SECOND_US;
	p->argon2_t_cost = 2;
	p->argon2_m_cost_kib = 19 * 1024;
	p->argon2_parallelism = 1;
}

int lms_random_token(size_t nbytes, char *out, size_t outsz)
{
	unsigned char raw[64];
	unsigned char b64[96];
	int n, i, j;

	if (nbytes > sizeof(raw) || outsz < (nbytes * 4 + 2) / 3 + 1)
		return LMS_EINTERNAL;
	if (RAND_bytes(raw, (int)nbytes) != 1)
		return LMS_EINTERNAL;
	n = EVP_EncodeBlock(b64, raw, (int)nbytes);
	for (i = 0, j = 0; i < n; i++) {
		unsigned char c = b64[i];
		if (c == '=')
			break;
		out[j++] = c == '+' ? '-' : c == '/' ? '_' : (char)c;
	}
	out[j] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return LMS_OK;
}

int lms_password_hash(const lms_auth_policy *p, const char *password, char *out,
                      size_t outsz, lms_err *err)
{
	unsigned char salt[SALT_LEN];
	int rc;

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "no random bytes for a salt");
	rc = argon2id_hash_encoded(p->argon2_t_cost, p->argon2_m_cost_kib, p->argon2_parallelism,
	                           password, strlen(password), salt, sizeof(salt), HASH_LEN,
	                           out, outsz);
	if (rc != ARGON2_OK)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "argon2id: %s",
		                   argon2_error_message(rc));
	return LMS_OK;
}

int lms_password_verify(const char *encoded, const char *password)
{
	int rc;

	if (!encoded || strncmp(encoded, "$argon2id$", 10) != 0)
		return LMS_EINVAL;
	rc = argon2id_verify(encoded, password, strlen(password));
	if (rc == ARGON2_OK)
		return LMS_OK;
	if (rc == ARGON2_VERIFY_MISMATCH)
		return LMS_EUNAUTH;
	return LMS_EINVAL;
}

/* Seconds until the oldest counted failure leaves the window. The store counts failures at
 * or after now - window, so the oldest stops counting 1 µs after oldest + window: a client
 * that waits the whole answer is then let through. */
static int64_t retry_after(int64_t oldest_us, int64_t window_us, int64_t now)
{
	int64_t left = oldest_us + window_us - now;
	return left < 0 ? 1 : left / LMS_SECOND_US + 1;
}

void lms_token_hash(const char *token, unsigned char out[32])
{
	SHA256((const unsigned char *)token, strlen(token), out);
}

static void token_hash(const char *token, unsigned char out[32])
{
	lms_token_hash(token, out);
}

int lms_auth_login(lms_store *s, const lms_clock *clock, const lms_auth_policy *p,
                   const char *username, const char *password, const char *addr,
                   const char *user_agent, lms_arena *a, lms_login_result *out,
                   lms_err *err)
{
	lms_login_counts counts;
	lms_user user;
	lms_session sess;
	unsigned char th[32];
	char token[LMS_TOKEN_LEN + 1];
	int64_t now = lms_now(clock), attempt = 0;
	int rc, vrc = LMS_EUNAUTH, found = 0, ok = 0;

	memset(&counts, 0, sizeof(counts));
	memset(&sess, 0, sizeof(sess));
	memset(token, 0, sizeof(token));
	rc = s->ops->login_begin(s, username, addr, now, now - p->failure_window_us, &attempt,
	                         &counts, err);
	if (rc < 0)
		return rc;
	if (counts.user_failures >= p->max_user_failures ||
	    counts.addr_failures >= p->max_addr_failures) {
		bool by_user = counts.user_failures >= p->max_user_failures;
		if ((rc = s->ops->login_end(s, attempt, LMS_LOGIN_THROTTLED, err)) < 0)
			return rc;
		rc = lms_err_set(err, LMS_ETHROTTLED, "too_many_attempts", NULL,
		                 by_user ? "too many failed logins for this account; try again later"
		                         : "too many failed logins from this address; try again later");
		err->retry_after_s = retry_after(by_user ? counts.user_oldest_us : counts.addr_oldest_us,
		                                 p->failure_window_us, now);
		return rc;
	}

	rc = s->ops->user_by_username(s, username, a, &user, err);
	if (rc == LMS_OK)
		found = 1;
	else if (rc != LMS_ENOTFOUND)
		return rc; /* the attempt stays pending: it counts as a failure */

	if (found)
		vrc = lms_password_verify(user.password_hash, password);
	if (!found || vrc == LMS_EINVAL) {
		/* Unknown username (or a stored hash that is not argon2id): spend one argon2id
		 * computation with the same parameters, as a verify would, so the answer takes as
		 * long as for a wrong password. */
		char spent[LMS_PASSWORD_HASH_MAX];
		(void)lms_password_hash(p, password, spent, sizeof(spent), NULL);
	}
	ok = found && vrc == LMS_OK && user.active;

	rc = s->ops->login_end(s, attempt, ok ? LMS_LOGIN_SUCCESS : LMS_LOGIN_FAILURE, err);
	if (rc < 0)
		return rc;
	if (!ok) {
		LMS_INFO("login failed for a %s account from %s", found ? "known" : "unknown", addr);
		return lms_err_set(err, LMS_EUNAUTH, "invalid_credentials", NULL,
		                   "wrong username or password");
	}

	if (lms_random_token(32, token, sizeof(token)) < 0 ||
	    lms_random_token(32, sess.csrf_token, sizeof(sess.csrf_token)) < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "no random bytes for a session");
	token_hash(token, th);
	sess.user_id = user.id;
	sess.created_us = now;
	sess.last_seen_us = now;
	sess.expires_us = now + p->session_max_us;
	rc = s->ops->session_create(s, th, &sess, addr, user_agent, err);
	OPENSSL_cleanse(th, sizeof(th));
	if (rc < 0)
		goto cleanup;

	user.password_hash = NULL;
	memcpy(out->token, token, sizeof(token));
	out->session = sess;
	out->user = user;
	rc = LMS_OK;
cleanup:
	OPENSSL_cleanse(token, sizeof(token));
	return rc;
}

static bool token_well_formed(const char *t)
{
	size_t i, n = t ? strlen(t) : 0;

	if (n != LMS_TOKEN_LEN)
		return false;
	for (i = 0; i < n; i++) {
		char c = t[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* How often last_seen is written: the policy's interval, but at least ten times per idle
 * period, so that short idle limits are measured correctly. */
static int64_t touch_interval(const lms_auth_policy *p)
{
	int64_t tenth = p->session_idle_us / 10;
	return tenth < p->touch_interval_us ? tenth : p->touch_interval_us;
}

int lms_auth_session(lms_store *s, const lms_clock *clock, const lms_auth_policy *p,
                     const char *token, lms_arena *a, lms_principal *out, lms_err *err)
{
	lms_session sess;
	lms_user user;
	unsigned char th[32];
	int64_t now = lms_now(clock);
	int rc;

	if (!token_well_formed(token))
		return lms_err_set(err, LMS_EUNAUTH, "unauthenticated", NULL, "no valid session");
	token_hash(token, th);
	rc = s->ops->session_lookup(s, th, a, &sess, &user, err);
	if (rc == LMS_ENOTFOUND)
		return lms_err_set(err, LMS_EUNAUTH, "unauthenticated", NULL,
		                   "no such session; log in");
	if (rc < 0)
		return rc;
	if (sess.ended)
		return lms_err_set(err, LMS_EUNAUTH, "session_expired", NULL,
		                   "the session has ended; log in again");
	if (now >= sess.expires_us || now - sess.last_seen_us >= p->session_idle_us) {
		(void)s->ops->session_end(s, sess.id, now, NULL);
		return lms_err_set(err, LMS_EUNAUTH, "session_expired", NULL,
		                   "the session has expired; log in again");
	}
	if (!user.active) {
		(void)s->ops->session_end(s, sess.id, now, NULL);
		return lms_err_set(err, LMS_EUNAUTH, "session_expired", NULL,
		                   "the account is no longer active");
	}
	if (now - sess.last_seen_us >= touch_interval(p)) {
		rc = s->ops->session_touch(s, sess.id, now, err);
		if (rc < 0)
			return rc;
		sess.last_seen_us = now;
	}
	out->session = sess;
	out->user = user;
	return LMS_OK;
}

int lms_auth_logout(lms_store *s, const lms_clock *clock, const lms_principal *who,
                    lms_err *err)
{
	return s->ops->session_end(s, who->session.id, lms_now(clock), err);
}

int lms_auth_housekeep(lms_store *s, const lms_clock *clock, const lms_auth_policy *p,
                       int64_t *deleted, lms_err *err)
{
	int64_t now = lms_now(clock);

	return s->ops->purge_expired(s, now - LMS_SESSION_HISTORY_US,
	                             now - p->session_idle_us - LMS_SESSION_HISTORY_US,
	                             now - LMS_LOGIN_ATTEMPT_RETENTION_US, deleted, err);
}

bool lms_auth_csrf_ok(const lms_session *sess, const char *presented)
{
	size_t n = strlen(sess->csrf_token);

	if (!presented || n == 0 || strlen(presented) != n)
		return false;
	return CRYPTO_memcmp(sess->csrf_token, presented, n) == 0;
}

const lms_role *lms_user_role(const lms_user *u, lms_role_kind k)
{
	size_t i;

	for (i = 0; i < u->n_roles; i++)
		if (u->roles[i].kind == k)
			return &u->roles[i];
	return NULL;
}

bool lms_user_has_role(const lms_user *u, lms_role_kind k)
{
	return lms_user_role(u, k) != NULL;
}

int lms_user_scope(const lms_user *u, unsigned role_mask, lms_arena *a, lms_scope *out,
                   lms_err *err)
{
	int64_t *roots;
	size_t i, n = 0;
	bool any = false;

	memset(out, 0, sizeof(*out));
	if ((role_mask & (1u << LMS_ROLE_ADMIN)) && lms_user_has_role(u, LMS_ROLE_ADMIN)) {
		out->all = true;
		return LMS_OK;
	}
	roots = lms_arena_alloc(a, (u->n_roles + 1) * sizeof(*roots));
	for (i = 0; i < u->n_roles; i++) {
		const lms_role *r = &u->roles[i];
		if (!(role_mask & (1u << r->kind)))
			continue;
		any = true;
		if (r->unit_id)
			roots[n++] = r->unit_id;
	}
	if (!any)
		return lms_err_set(err, LMS_EFORBIDDEN, "forbidden", NULL,
		                   "your roles do not allow this");
	out->roots = roots;
	out->n_roots = n;
	return LMS_OK;
}
