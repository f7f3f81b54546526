/* test_auth.c — lms-core's auth (auth.h) against the fake store and the fake clock:
 * argon2id hashes, login (sessions, recorded attempts, one answer for every kind of bad
 * credentials, throttling per account and per address), session resolution (idle and
 * absolute expiry, touch interval, disabled accounts), CSRF comparison, role reach and
 * random tokens. Every test uses the cheap argon2 policy except one that checks the defaults.
 */
#include "support.h"

#include "lms/log.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "M\xE1\xBA\xADt kh\xE1\xBA\xA9u C\xE1\xBA\xA3i c\xC3\xA1" "ch 2025" /* Vietnamese */
#define ADDR "203.113.0.10"
#define UA "Mozilla/5.0 (unit test)"
#define HOUR_US (3600 * LMS_SECOND_US)

typedef struct fx {
	fake_store *f;
	fake_clock clock;
	lms_auth_policy p;
	lms_arena *a;
	fake_user *lan; /* "lan.nguyen", active, password PW */
	lms_err err;
} fx;

static int setup(void **state)
{
	fx *x = calloc(1, sizeof(*x));
	char h[LMS_PASSWORD_HASH_MAX];

	assert_non_null(x);
	x->f = fake_store_new();
	fake_clock_init(&x->clock, SUPPORT_T0);
	support_cheap_policy(&x->p);
	x->a = lms_arena_new();
	support_hash(PW, h);
	x->lan = fake_store_add_user(x->f, "lan.nguyen", h, true);
	fake_user_add_role(x->lan, LMS_ROLE_LEARNER, 0, NULL);
	lms_err_clear(&x->err);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	fx *x = *state;

	lms_arena_free(x->a);
	fake_store_free(x->f);
	free(x);
	return 0;
}

static int login_from(fx *x, const char *user, const char *pw, const char *addr,
                      lms_login_result *out)
{
	lms_err_clear(&x->err);
	return lms_auth_login(&x->f->store, &x->clock.clock, &x->p, user, pw, addr, UA, x->a, out,
	                      &x->err);
}

static int login(fx *x, const char *user, const char *pw, lms_login_result *out)
{
	return login_from(x, user, pw, ADDR, out);
}

static int resolve(fx *x, const char *token, lms_principal *out)
{
	lms_err_clear(&x->err);
	return lms_auth_session(&x->f->store, &x->clock.clock, &x->p, token, x->a, out, &x->err);
}

static void assert_err(const lms_err *err, int rc, const char *code)
{
	assert_int_equal(err->rc, rc);
	assert_string_equal(err->code, code);
}

/* ---------------- passwords ---------------- */

static void hash_carries_algorithm_and_policy_params(void **state)
{
	lms_auth_policy p;
	char h[LMS_PASSWORD_HASH_MAX];
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	support_cheap_policy(&p);
	assert_int_equal(lms_password_hash(&p, PW, h, sizeof(h), &err), LMS_OK);
	assert_true(strncmp(h, "$argon2id$v=19$m=64,t=1,p=1$", 28) == 0);
	assert_int_equal(lms_password_verify(h, PW), LMS_OK);

	p.argon2_m_cost_kib = 128;
	p.argon2_t_cost = 2;
	p.argon2_parallelism = 2;
	assert_int_equal(lms_password_hash(&p, PW, h, sizeof(h), &err), LMS_OK);
	assert_true(strncmp(h, "$argon2id$v=19$m=128,t=2,p=2$", 29) == 0);
	assert_int_equal(lms_password_verify(h, PW), LMS_OK);
}

static void hash_with_default_policy(void **state)
{
	lms_auth_policy p;
	char h[LMS_PASSWORD_HASH_MAX];
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	lms_auth_policy_default(&p);
	assert_int_equal(p.argon2_m_cost_kib, 19 * 1024);
	assert_int_equal(p.argon2_t_cost, 2);
	assert_int_equal(p.argon2_parallelism, 1);
	assert_int_equal(lms_password_hash(&p, PW, h, sizeof(h), &err), LMS_OK);
	assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0);
	assert_true(strlen(h) < LMS_PASSWORD_HASH_MAX);
	assert_int_equal(lms_password_verify(h, PW), LMS_OK);
	assert_int_equal(lms_password_verify(h, "wrong password"), LMS_EUNAUTH);
}

static void default_policy_values(void **state)
{
	lms_auth_policy p;
	(void)state;

	lms_auth_policy_default(&p);
	assert_true(p.session_idle_us == 4 * HOUR_US);
	assert_true(p.session_max_us == 12 * HOUR_US);
	assert_true(p.touch_interval_us == 60 * LMS_SECOND_US);
	assert_int_equal(p.max_user_failures, 5);
	assert_int_equal(p.max_addr_failures, 20);
	assert_true(p.failure_window_us == 15 * 60 * LMS_SECOND_US);
}

static void two_hashes_of_one_password_differ(void **state)
{
	char h1[LMS_PASSWORD_HASH_MAX], h2[LMS_PASSWORD_HASH_MAX];
	(void)state;

	support_hash(PW, h1);
	support_hash(PW, h2);
	assert_string_not_equal(h1, h2);
	assert_int_equal(lms_password_verify(h1, PW), LMS_OK);
	assert_int_equal(lms_password_verify(h2, PW), LMS_OK);
}

static void verify_ok_mismatch_and_garbage(void **state)
{
	char h[LMS_PASSWORD_HASH_MAX], other[LMS_PASSWORD_HASH_MAX];
	(void)state;

	support_hash(PW, h);
	assert_int_equal(lms_password_verify(h, PW), LMS_OK);
	assert_int_equal(lms_password_verify(h, "wrong password"), LMS_EUNAUTH);
	assert_int_equal(lms_password_verify(h, ""), LMS_EUNAUTH);
	/* the same letters without diacritics are another password */
	assert_int_equal(lms_password_verify(h, "Mat khau Cai cach 2025"), LMS_EUNAUTH);

	assert_int_equal(lms_password_verify(NULL, PW), LMS_EINVAL);
	assert_int_equal(lms_password_verify("", PW), LMS_EINVAL);
	assert_int_equal(lms_password_verify(PW, PW), LMS_EINVAL); /* a plaintext "hash" */
	assert_int_equal(lms_password_verify("$argon2id$", PW), LMS_EINVAL);
	assert_int_equal(lms_password_verify("$argon2id$v=19$m=64,t=1,p=1$!!!!$!!!!", PW),
	                 LMS_EINVAL);
	/* another argon2 variant is refused, not verified with the wrong algorithm */
	memcpy(other, "$argon2i$", 9);
	memcpy(other + 9, h + 10, strlen(h + 10) + 1);
	assert_int_equal(lms_password_verify(other, PW), LMS_EINVAL);
	/* bcrypt-looking input */
	assert_int_equal(
		lms_password_verify("$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", PW),
		LMS_EINVAL);
}

static void hash_into_too_small_buffer_fails_cleanly(void **state)
{
	lms_auth_policy p;
	char h[24];
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	support_cheap_policy(&p);
	assert_int_equal(lms_password_hash(&p, PW, h, sizeof(h), &err), LMS_EINTERNAL);
	assert_int_equal(err.rc, LMS_EINTERNAL);
	assert_null(strstr(err.msg, "2025"));
}

/* ---------------- random tokens ---------------- */

static void random_token_length_alphabet_and_uniqueness(void **state)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char seen[256] = { 0 };
	char t1[LMS_TOKEN_LEN + 1], t2[LMS_TOKEN_LEN + 1], small[40];
	int i;
	size_t k;
	(void)state;

	assert_int_equal(lms_random_token(32, t1, sizeof(t1)), LMS_OK);
	assert_int_equal(lms_random_token(32, t2, sizeof(t2)), LMS_OK);
	assert_true(support_is_base64url(t1, LMS_TOKEN_LEN));
	assert_true(support_is_base64url(t2, LMS_TOKEN_LEN));
	assert_string_not_equal(t1, t2);
	assert_int_equal(lms_random_token(24, small, sizeof(small)), LMS_OK);
	assert_true(support_is_base64url(small, 32));
	assert_int_equal(lms_random_token(1, small, 3), LMS_OK);
	assert_true(support_is_base64url(small, 2));

	/* over 300 tokens every one of the 64 characters shows up, '-' and '_' included
	 * (so '+' and '/' were mapped, and the bytes are not stuck) */
	for (i = 0; i < 300; i++) {
		assert_int_equal(lms_random_token(32, t1, sizeof(t1)), LMS_OK);
		for (k = 0; t1[k]; k++)
			seen[(unsigned char)t1[k]] = 1;
	}
	for (k = 0; k < 64; k++)
		assert_true(seen[(unsigned char)alphabet[k]]);
}

static void random_token_refuses_small_buffers(void **state)
{
	char out[128];
	(void)state;

	assert_int_equal(lms_random_token(32, out, LMS_TOKEN_LEN), LMS_EINTERNAL);
	assert_int_equal(lms_random_token(32, out, LMS_TOKEN_LEN + 1), LMS_OK);
	assert_int_equal(lms_random_token(65, out, sizeof(out)), LMS_EINTERNAL);
	assert_int_equal(lms_random_token(64, out, sizeof(out)), LMS_OK);
	assert_true(support_is_base64url(out, 86));
}

/* ---------------- login ---------------- */

static void login_success_creates_session_and_records_it(void **state)
{
	fx *x = *state;
	lms_login_result r;
	unsigned char th[32];
	fake_session *row;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	assert_true(support_is_base64url(r.token, LMS_TOKEN_LEN));
	assert_true(support_is_base64url(r.session.csrf_token, LMS_TOKEN_LEN));
	assert_string_not_equal(r.token, r.session.csrf_token);
	assert_true(r.session.created_us == SUPPORT_T0);
	assert_true(r.session.last_seen_us == SUPPORT_T0);
	assert_true(r.session.expires_us == SUPPORT_T0 + x->p.session_max_us);
	assert_true(r.session.user_id == x->lan->id);
	assert_true(r.session.id != 0);
	assert_true(r.user.id == x->lan->id);
	assert_string_equal(r.user.username, "lan.nguyen");
	assert_true(r.user.active);
	assert_null(r.user.password_hash); /* the hash does not travel further */
	assert_int_equal(r.user.n_roles, 1);

	/* the store holds SHA-256(token), never the token */
	assert_int_equal(fake_store_live_sessions(x->f), 1);
	row = fake_store_session(x->f, r.session.id);
	assert_non_null(row);
	SHA256((const unsigned char *)r.token, strlen(r.token), th);
	assert_memory_equal(row->token_hash, th, 32);
	assert_true(row->sess.user_id == x->lan->id);
	assert_true(row->sess.expires_us == SUPPORT_T0 + 12 * HOUR_US);
	assert_string_equal(row->sess.csrf_token, r.session.csrf_token);
	assert_string_equal(row->addr, ADDR);
	assert_string_equal(row->user_agent, UA);

	/* one successful attempt, with who, where and when */
	assert_int_equal(x->f->n_attempts, 1);
	assert_true(x->f->attempts[0].success);
	assert_string_equal(x->f->attempts[0].username, "lan.nguyen");
	assert_string_equal(x->f->attempts[0].addr, ADDR);
	assert_true(x->f->attempts[0].at_us == SUPPORT_T0);
}

static void two_logins_get_different_tokens(void **state)
{
	fx *x = *state;
	lms_login_result r1, r2;

	assert_int_equal(login(x, "lan.nguyen", PW, &r1), LMS_OK);
	assert_int_equal(login(x, "lan.nguyen", PW, &r2), LMS_OK);
	assert_string_not_equal(r1.token, r2.token);
	assert_string_not_equal(r1.session.csrf_token, r2.session.csrf_token);
	assert_true(r1.session.id != r2.session.id);
	assert_int_equal(fake_store_live_sessions(x->f), 2);
}

/* A failed login: the expected answer, one recorded failure, no session, out untouched. */
static void assert_refused(fx *x, const char *username, const lms_login_result *r)
{
	lms_login_result untouched;

	memset(&untouched, 0x5A, sizeof(untouched));
	assert_err(&x->err, LMS_EUNAUTH, "invalid_credentials");
	assert_string_equal(x->err.field, "");
	assert_null(strstr(x->err.msg, "2025"));
	assert_int_equal(fake_store_live_sessions(x->f), 0);
	assert_int_equal(fake_store_attempts(x->f, true), 0);
	assert_int_equal(fake_store_attempts(x->f, false), 1);
	assert_string_equal(x->f->attempts[0].username, username);
	assert_string_equal(x->f->attempts[0].addr, ADDR);
	assert_true(x->f->attempts[0].at_us == SUPPORT_T0);
	assert_memory_equal(r, &untouched, sizeof(*r));
}

/* What a client can see of two answers is the same. */
static void assert_same_answer(const lms_err *a, const lms_err *b)
{
	assert_int_equal(a->rc, b->rc);
	assert_string_equal(a->code, b->code);
	assert_string_equal(a->field, b->field);
	assert_string_equal(a->msg, b->msg);
	assert_true(a->retry_after_s == b->retry_after_s);
}

static void wrong_password_is_refused_and_recorded(void **state)
{
	fx *x = *state;
	lms_login_result r;

	memset(&r, 0x5A, sizeof(r));
	assert_int_equal(login(x, "lan.nguyen", "wrong password", &r), LMS_EUNAUTH);
	assert_refused(x, "lan.nguyen", &r);
}

static void unknown_user_answers_like_wrong_password(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_err wrong;

	memset(&r, 0x5A, sizeof(r));
	assert_int_equal(login(x, "lan.nguyen", "wrong password", &r), LMS_EUNAUTH);
	wrong = x->err;
	x->f->n_attempts = 0;
	assert_int_equal(login(x, "nobody", PW, &r), LMS_EUNAUTH);
	assert_refused(x, "nobody", &r);
	assert_same_answer(&x->err, &wrong);
}

static void inactive_account_answers_like_wrong_password(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_err wrong;

	memset(&r, 0x5A, sizeof(r));
	assert_int_equal(login(x, "lan.nguyen", "wrong password", &r), LMS_EUNAUTH);
	wrong = x->err;
	x->f->n_attempts = 0;
	x->lan->active = false;
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_EUNAUTH); /* right password */
	assert_refused(x, "lan.nguyen", &r);
	assert_same_answer(&x->err, &wrong);
}

static void account_without_password_cannot_log_in(void **state)
{
	fx *x = *state;
	lms_login_result r;

	memset(&r, 0x5A, sizeof(r));
	(void)fake_store_add_user(x->f, "no.password", NULL, true);
	assert_int_equal(login(x, "no.password", PW, &r), LMS_EUNAUTH);
	assert_refused(x, "no.password", &r);
}

/* n failed logins for username, one every 10 s from the current time on. */
static void fail_logins(fx *x, const char *username, const char *addr, int n)
{
	lms_login_result r;
	int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(login_from(x, username, "wrong password", addr, &r), LMS_EUNAUTH);
		assert_string_equal(x->err.code, "invalid_credentials");
		fake_clock_advance(&x->clock, 10 * LMS_SECOND_US);
	}
}

static void below_the_limit_a_correct_password_still_works(void **state)
{
	fx *x = *state;
	lms_login_result r;

	fail_logins(x, "lan.nguyen", ADDR, x->p.max_user_failures - 1);
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
}

static void account_throttled_after_max_failures(void **state)
{
	fx *x = *state;
	lms_login_result r;
	size_t attempts;
	unsigned long lookups;

	fail_logins(x, "lan.nguyen", ADDR, 5); /* at T0, +10 s, ... +40 s; now T0+50 s */
	attempts = fake_store_attempts(x->f, false);
	lookups = x->f->calls[FAKE_USER_BY_USERNAME];

	/* even the right password is refused, and it is not even looked at */
	memset(&r, 0, sizeof(r));
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_ETHROTTLED);
	assert_err(&x->err, LMS_ETHROTTLED, "too_many_attempts");
	/* the oldest failure leaves the window 1 µs after oldest + window (counts are at >= start) */
	assert_true(x->err.retry_after_s == 900 - 50 + 1);
	assert_int_equal(x->f->calls[FAKE_USER_BY_USERNAME], lookups);
	assert_int_equal(fake_store_attempts(x->f, false), attempts); /* recorded, not counted */
	assert_int_equal(fake_store_throttled(x->f), 1);
	assert_int_equal(fake_store_live_sessions(x->f), 0);
	assert_string_equal(r.token, "");

	/* a wrong password gets the same answer */
	assert_int_equal(login(x, "lan.nguyen", "wrong password", &r), LMS_ETHROTTLED);
	assert_true(x->err.retry_after_s == 851);

	/* retry_after counts down with the clock */
	x->clock.now_us = SUPPORT_T0 + 600 * LMS_SECOND_US + LMS_SECOND_US / 2;
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_ETHROTTLED);
	assert_true(x->err.retry_after_s == 300); /* 299.5 s rounded up */
	x->clock.now_us = SUPPORT_T0 + 899 * LMS_SECOND_US + LMS_SECOND_US / 2;
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_ETHROTTLED);
	assert_true(x->err.retry_after_s == 1);

	/* once the oldest failure is out of the window, four remain: below the limit */
	x->clock.now_us = SUPPORT_T0 + 901 * LMS_SECOND_US;
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	assert_int_equal(fake_store_live_sessions(x->f), 1);
	assert_int_equal(fake_store_attempts(x->f, false), attempts); /* a success is no failure */
	assert_int_equal(fake_store_attempts(x->f, true), 1);
}

/* Waiting exactly the retry_after_s the answer gave is enough to be let in. */
static void waiting_retry_after_is_enough(void **state)
{
	fx *x = *state;
	lms_login_result r;

	fail_logins(x, "lan.nguyen", ADDR, 5); /* now T0+50 s */
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_ETHROTTLED);
	fake_clock_advance(&x->clock, x->err.retry_after_s * LMS_SECOND_US);
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
}

static void account_throttle_ignores_the_address(void **state)
{
	fx *x = *state;
	lms_login_result r;
	char addr[32];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", i + 1);
		fail_logins(x, "lan.nguyen", addr, 1);
	}
	assert_int_equal(login_from(x, "lan.nguyen", PW, "192.0.2.200", &r), LMS_ETHROTTLED);
	assert_err(&x->err, LMS_ETHROTTLED, "too_many_attempts");
	/* another account is not affected */
	(void)fake_store_add_user(x->f, "binh.tran", x->lan->password_hash, true);
	assert_int_equal(login_from(x, "binh.tran", PW, "192.0.2.200", &r), LMS_OK);
}

static void throttled_attempts_do_not_extend_the_lock(void **state)
{
	fx *x = *state;
	lms_login_result r;
	int i;

	fail_logins(x, "lan.nguyen", ADDR, 5);
	for (i = 1; i <= 8; i++) { /* one more guess every 100 s */
		x->clock.now_us = SUPPORT_T0 + i * 100 * LMS_SECOND_US;
		assert_int_equal(login(x, "lan.nguyen", "guess", &r), LMS_ETHROTTLED);
	}
	assert_int_equal(fake_store_attempts(x->f, false), 5);
	x->clock.now_us = SUPPORT_T0 + 901 * LMS_SECOND_US;
	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
}

static void address_throttled_after_max_failures(void **state)
{
	fx *x = *state;
	lms_login_result r;
	char name[32];
	size_t attempts;
	int i;

	/* 20 guesses at 20 different accounts from one address, one a second */
	for (i = 0; i < x->p.max_addr_failures; i++) {
		snprintf(name, sizeof(name), "guess%d", i);
		assert_int_equal(login_from(x, name, "123456", "10.0.0.66", &r), LMS_EUNAUTH);
		fake_clock_advance(&x->clock, LMS_SECOND_US);
	}
	attempts = fake_store_attempts(x->f, false);
	/* now T0+20 s: the next attempt from that address is refused, whoever it names */
	assert_int_equal(login_from(x, "lan.nguyen", PW, "10.0.0.66", &r), LMS_ETHROTTLED);
	assert_err(&x->err, LMS_ETHROTTLED, "too_many_attempts");
	assert_true(x->err.retry_after_s == 900 - 20 + 1);
	assert_int_equal(fake_store_attempts(x->f, false), attempts);
	assert_int_equal(fake_store_live_sessions(x->f), 0);
	assert_int_equal(login_from(x, "guess99", "123456", "10.0.0.66", &r), LMS_ETHROTTLED);
	assert_int_equal(fake_store_attempts(x->f, false), attempts);

	/* the same account from another address is fine */
	assert_int_equal(login_from(x, "lan.nguyen", PW, ADDR, &r), LMS_OK);

	/* and the address recovers when its oldest failure leaves the window */
	x->clock.now_us = SUPPORT_T0 + 901 * LMS_SECOND_US;
	assert_int_equal(login_from(x, "lan.nguyen", PW, "10.0.0.66", &r), LMS_OK);
}

/* ---------------- sessions ---------------- */

static void session_resolves_a_fresh_token(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	fake_clock_advance(&x->clock, 5 * LMS_SECOND_US);
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	assert_true(who.session.id == r.session.id);
	assert_true(who.session.user_id == x->lan->id);
	assert_true(who.user.id == x->lan->id);
	assert_string_equal(who.user.username, "lan.nguyen");
	assert_string_equal(who.session.csrf_token, r.session.csrf_token);
	assert_true(who.session.expires_us == r.session.expires_us);
	assert_true(lms_user_has_role(&who.user, LMS_ROLE_LEARNER));
}

static void malformed_tokens_are_unauthenticated_without_a_lookup(void **state)
{
	/* each replaces the end of a well-formed 43-character token */
	static const char *const tails[] = { "+", "/", "=", " ", "\n", ".", "\xC4\x90" };
	fx *x = *state;
	lms_principal who;
	char good[LMS_TOKEN_LEN + 1], t[LMS_TOKEN_LEN + 8];
	size_t i;

	assert_int_equal(lms_random_token(32, good, sizeof(good)), LMS_OK);
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		size_t n = strlen(tails[i]);
		memcpy(t, good, LMS_TOKEN_LEN - n);
		memcpy(t + LMS_TOKEN_LEN - n, tails[i], n + 1);
		assert_int_equal(strlen(t), LMS_TOKEN_LEN);
		assert_int_equal(resolve(x, t, &who), LMS_EUNAUTH);
		assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	}
	memcpy(t, good, LMS_TOKEN_LEN - 1); /* 42 characters */
	t[LMS_TOKEN_LEN - 1] = '\0';
	assert_int_equal(resolve(x, t, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	memcpy(t, good, LMS_TOKEN_LEN); /* 44 characters */
	t[LMS_TOKEN_LEN] = 'A';
	t[LMS_TOKEN_LEN + 1] = '\0';
	assert_int_equal(resolve(x, t, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	assert_int_equal(resolve(x, "", &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	assert_int_equal(resolve(x, "' OR '1'='1", &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	assert_int_equal(resolve(x, NULL, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	assert_int_equal(x->f->total_calls, 0); /* the store was not asked */
}

/* auth.c answers "session_expired" for a well-formed token it does not know (a session that
 * was deleted looks just like that); auth.h says "unauthenticated". We follow auth.c. */
static void unknown_token_is_refused(void **state)
{
	fx *x = *state;
	lms_principal who;
	char token[LMS_TOKEN_LEN + 1];

	assert_int_equal(lms_random_token(32, token, sizeof(token)), LMS_OK);
	assert_int_equal(resolve(x, token, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated"); /* unknown, not expired */
	assert_int_equal(x->f->calls[FAKE_SESSION_LOOKUP], 1);
}

static void idle_session_expires_and_is_deleted(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	x->clock.now_us = SUPPORT_T0 + x->p.session_idle_us - 1;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK); /* just in time; touches */
	assert_true(fake_store_session(x->f, r.session.id)->sess.last_seen_us == x->clock.now_us);

	/* four idle hours after that last use */
	fake_clock_advance(&x->clock, x->p.session_idle_us);
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "session_expired");
	assert_false(fake_store_session(x->f, r.session.id)->live);
	assert_int_equal(fake_store_live_sessions(x->f), 0);
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "session_expired");
}

static void session_expires_after_max_even_when_used(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who;
	int h;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	for (h = 3; h <= 11; h += 3) { /* used every 3 hours: never idle */
		x->clock.now_us = SUPPORT_T0 + h * HOUR_US;
		assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	}
	x->clock.now_us = SUPPORT_T0 + 12 * HOUR_US - 1;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	x->clock.now_us = SUPPORT_T0 + 12 * HOUR_US;
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
	assert_err(&x->err, LMS_EUNAUTH, "session_expired");
	assert_false(fake_store_session(x->f, r.session.id)->live);
}

static void last_seen_is_written_only_after_touch_interval(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who;
	fake_session *row;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	row = fake_store_session(x->f, r.session.id);
	fake_store_reset_calls(x->f);

	x->clock.now_us = SUPPORT_T0 + 30 * LMS_SECOND_US;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	x->clock.now_us = SUPPORT_T0 + 60 * LMS_SECOND_US - 1;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	assert_int_equal(x->f->calls[FAKE_SESSION_TOUCH], 0);
	assert_true(row->sess.last_seen_us == SUPPORT_T0);
	assert_true(who.session.last_seen_us == SUPPORT_T0);

	x->clock.now_us = SUPPORT_T0 + 60 * LMS_SECOND_US;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	assert_int_equal(x->f->calls[FAKE_SESSION_TOUCH], 1);
	assert_true(row->sess.last_seen_us == SUPPORT_T0 + 60 * LMS_SECOND_US);
	assert_true(who.session.last_seen_us == SUPPORT_T0 + 60 * LMS_SECOND_US);

	x->clock.now_us = SUPPORT_T0 + 100 * LMS_SECOND_US;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	assert_int_equal(x->f->calls[FAKE_SESSION_TOUCH], 1);
	x->clock.now_us = SUPPORT_T0 + 120 * LMS_SECOND_US;
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	assert_int_equal(x->f->calls[FAKE_SESSION_TOUCH], 2);
	assert_int_equal(x->f->calls[FAKE_SESSION_END], 0);
}

static void session_of_a_disabled_account_is_refused(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who, untouched;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	x->lan->active = false;
	memset(&who, 0x5A, sizeof(who));
	memset(&untouched, 0x5A, sizeof(untouched));
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
	assert_memory_equal(&who, &untouched, sizeof(who));
	assert_err(&x->err, LMS_EUNAUTH, "session_expired");
	assert_false(fake_store_session(x->f, r.session.id)->live);
	/* re-enabling the account does not bring the session back */
	x->lan->active = true;
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
}

static void session_of_a_deleted_account_is_refused(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	x->lan->deleted = true;
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
	/* its sessions went with it (ON DELETE CASCADE): the token is unknown now */
	assert_err(&x->err, LMS_EUNAUTH, "unauthenticated");
	/* the store finds no session for a deleted account (PostgreSQL: ON DELETE CASCADE),
	 * so it stays refused */
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
}

static void logout_ends_the_session(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_principal who;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	assert_int_equal(resolve(x, r.token, &who), LMS_OK);
	assert_int_equal(lms_auth_logout(&x->f->store, &x->clock.clock, &who, &x->err), LMS_OK);
	assert_int_equal(fake_store_live_sessions(x->f), 0);
	assert_int_equal(resolve(x, r.token, &who), LMS_EUNAUTH);
}

/* ---------------- CSRF ---------------- */

static void csrf_comparison(void **state)
{
	fx *x = *state;
	lms_login_result r;
	lms_session empty;
	char copy[64];
	size_t n;

	assert_int_equal(login(x, "lan.nguyen", PW, &r), LMS_OK);
	n = strlen(r.session.csrf_token);
	assert_int_equal(n, LMS_TOKEN_LEN);
	memcpy(copy, r.session.csrf_token, n + 1);
	assert_true(lms_auth_csrf_ok(&r.session, copy));

	copy[0] = copy[0] == 'A' ? 'B' : 'A';
	assert_false(lms_auth_csrf_ok(&r.session, copy));
	memcpy(copy, r.session.csrf_token, n + 1);
	copy[n - 1] = copy[n - 1] == 'A' ? 'B' : 'A';
	assert_false(lms_auth_csrf_ok(&r.session, copy));

	memcpy(copy, r.session.csrf_token, n + 1);
	copy[n - 1] = '\0'; /* a prefix */
	assert_false(lms_auth_csrf_ok(&r.session, copy));
	memcpy(copy, r.session.csrf_token, n);
	copy[n] = 'x'; /* one character more */
	copy[n + 1] = '\0';
	assert_false(lms_auth_csrf_ok(&r.session, copy));
	assert_false(lms_auth_csrf_ok(&r.session, ""));
	assert_false(lms_auth_csrf_ok(&r.session, NULL));
	assert_false(lms_auth_csrf_ok(&r.session, r.token)); /* the session token is not it */

	memset(&empty, 0, sizeof(empty)); /* a session without a CSRF token matches nothing */
	assert_false(lms_auth_csrf_ok(&empty, ""));
	assert_false(lms_auth_csrf_ok(&empty, NULL));
}

/* ---------------- role reach ---------------- */

#define MASK(k) (1u << (k))

static void admin_reaches_everything(void **state)
{
	lms_role roles[] = { { LMS_ROLE_ADMIN, 0, NULL, NULL } };
	lms_user u = { .id = 1, .username = "admin", .active = true, .roles = roles, .n_roles = 1 };
	lms_arena *a = lms_arena_new();
	lms_scope sc;
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	assert_int_equal(lms_user_scope(&u, MASK(LMS_ROLE_HR_OFFICER) | MASK(LMS_ROLE_ADMIN), a, &sc,
	                                &err),
	                 LMS_OK);
	assert_true(sc.all);
	assert_int_equal(sc.n_roots, 0);
	lms_arena_free(a);
}

static void hr_officer_reaches_the_units_of_the_role(void **state)
{
	lms_role roles[] = {
		{ LMS_ROLE_LEARNER, 0, NULL, NULL },
		{ LMS_ROLE_HR_OFFICER, 7, "SNV", "S\xE1\xBB\x9F N\xE1\xBB\x99i v\xE1\xBB\xA5" },
		{ LMS_ROLE_TRAINER, 9, "HVCB", "H\xE1\xBB\x8D\x63 vi\xE1\xBB\x87n" },
		{ LMS_ROLE_HR_OFFICER, 12, "P.BEN-THANH", "Ph\xC6\xB0\xE1\xBB\x9Dng B\xE1\xBA\xBFn" },
	};
	lms_user u = { .id = 2, .username = "hr", .active = true, .roles = roles, .n_roles = 4 };
	lms_arena *a = lms_arena_new();
	lms_scope sc;
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	assert_int_equal(lms_user_scope(&u, MASK(LMS_ROLE_HR_OFFICER) | MASK(LMS_ROLE_ADMIN), a, &sc,
	                                &err),
	                 LMS_OK);
	assert_false(sc.all);
	assert_int_equal(sc.n_roots, 2);
	assert_true(sc.roots[0] == 7);
	assert_true(sc.roots[1] == 12);

	assert_int_equal(lms_user_scope(&u, MASK(LMS_ROLE_TRAINER), a, &sc, &err), LMS_OK);
	assert_false(sc.all);
	assert_int_equal(sc.n_roots, 1);
	assert_true(sc.roots[0] == 9);
	lms_arena_free(a);
}

static void learner_is_forbidden_hr_and_admin_reach(void **state)
{
	lms_role roles[] = { { LMS_ROLE_LEARNER, 0, NULL, NULL } };
	lms_user u = { .id = 3, .username = "lan", .active = true, .roles = roles, .n_roles = 1 };
	lms_user nobody = { .id = 4, .username = "nobody", .active = true };
	lms_arena *a = lms_arena_new();
	lms_scope sc;
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	assert_int_equal(lms_user_scope(&u, MASK(LMS_ROLE_HR_OFFICER) | MASK(LMS_ROLE_ADMIN), a, &sc,
	                                &err),
	                 LMS_EFORBIDDEN);
	assert_err(&err, LMS_EFORBIDDEN, "forbidden");
	assert_false(sc.all);
	assert_int_equal(sc.n_roots, 0);

	lms_err_clear(&err);
	assert_int_equal(lms_user_scope(&nobody, MASK(LMS_ROLE_ADMIN), a, &sc, &err),
	                 LMS_EFORBIDDEN);
	assert_false(sc.all);

	/* through the learner role itself: allowed, but no unit (0 is "none", not a root) */
	lms_err_clear(&err);
	assert_int_equal(lms_user_scope(&u, MASK(LMS_ROLE_LEARNER), a, &sc, &err), LMS_OK);
	assert_false(sc.all);
	assert_int_equal(sc.n_roots, 0);
	lms_arena_free(a);
}

static void hr_officer_is_forbidden_admin_reach(void **state)
{
	lms_role roles[] = { { LMS_ROLE_HR_OFFICER, 7, "SNV", "SNV" } };
	lms_user u = { .id = 5, .username = "hr", .active = true, .roles = roles, .n_roles = 1 };
	lms_arena *a = lms_arena_new();
	lms_scope sc;
	lms_err err;
	(void)state;

	lms_err_clear(&err);
	assert_int_equal(lms_user_scope(&u, MASK(LMS_ROLE_ADMIN), a, &sc, &err), LMS_EFORBIDDEN);
	assert_false(sc.all);
	lms_arena_free(a);
}

static void user_role_lookup(void **state)
{
	lms_role roles[] = {
		{ LMS_ROLE_TRAINER, 9, "HVCB", "HVCB" },
		{ LMS_ROLE_HR_OFFICER, 7, "SNV", "SNV" },
		{ LMS_ROLE_HR_OFFICER, 12, "PBT", "PBT" },
	};
	lms_user u = { .id = 6, .username = "t", .active = true, .roles = roles, .n_roles = 3 };
	(void)state;

	assert_ptr_equal(lms_user_role(&u, LMS_ROLE_HR_OFFICER), &roles[1]);
	assert_ptr_equal(lms_user_role(&u, LMS_ROLE_TRAINER), &roles[0]);
	assert_null(lms_user_role(&u, LMS_ROLE_ADMIN));
	assert_true(lms_user_has_role(&u, LMS_ROLE_HR_OFFICER));
	assert_false(lms_user_has_role(&u, LMS_ROLE_LEARNER));
}

#define FX(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_carries_algorithm_and_policy_params),
		cmocka_unit_test(hash_with_default_policy),
		cmocka_unit_test(default_policy_values),
		cmocka_unit_test(two_hashes_of_one_password_differ),
		cmocka_unit_test(verify_ok_mismatch_and_garbage),
		cmocka_unit_test(hash_into_too_small_buffer_fails_cleanly),
		cmocka_unit_test(random_token_length_alphabet_and_uniqueness),
		cmocka_unit_test(random_token_refuses_small_buffers),
		FX(login_success_creates_session_and_records_it),
		FX(two_logins_get_different_tokens),
		FX(wrong_password_is_refused_and_recorded),
		FX(unknown_user_answers_like_wrong_password),
		FX(inactive_account_answers_like_wrong_password),
		FX(account_without_password_cannot_log_in),
		FX(below_the_limit_a_correct_password_still_works),
		FX(account_throttled_after_max_failures),
		FX(waiting_retry_after_is_enough),
		FX(account_throttle_ignores_the_address),
		FX(throttled_attempts_do_not_extend_the_lock),
		FX(address_throttled_after_max_failures),
		FX(session_resolves_a_fresh_token),
		FX(malformed_tokens_are_unauthenticated_without_a_lookup),
		FX(unknown_token_is_refused),
		FX(idle_session_expires_and_is_deleted),
		FX(session_expires_after_max_even_when_used),
		FX(last_seen_is_written_only_after_touch_interval),
		FX(session_of_a_disabled_account_is_refused),
		FX(session_of_a_deleted_account_is_refused),
		FX(logout_ends_the_session),
		FX(csrf_comparison),
		cmocka_unit_test(admin_reaches_everything),
		cmocka_unit_test(hr_officer_reaches_the_units_of_the_role),
		cmocka_unit_test(learner_is_forbidden_hr_and_admin_reach),
		cmocka_unit_test(hr_officer_is_forbidden_admin_reach),
		cmocka_unit_test(user_role_lookup),
	};
	lms_log_level = LMS_LOG_ERROR; /* failed logins are logged at INFO */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
