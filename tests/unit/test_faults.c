/* test_faults.c — storage fault injection, SQLite-style: for a login and for a session
 * resolution, make the 1st, 2nd, ... store call fail in turn (LMS_EUNAVAIL, as when the
 * database drops) until the operation makes no more calls, and check each time that the
 * error is passed up unchanged (not a crash, not a success), that no session was created,
 * that the caller's output was not written, and (under ASan) that nothing leaks.
 */
#include "support.h"

#include "lms/log.h"

#include <string.h>

#define PW "m\xE1\xBA\xADt kh\xE1\xBA\xA9u d\xC3\xA0i" /* mật khẩu dài */
#define ADDR "203.113.0.10"

static char lan_hash[LMS_PASSWORD_HASH_MAX];

typedef struct world {
	fake_store *f;
	fake_clock clock;
	lms_auth_policy p;
	lms_arena *a;
	fake_user *lan;
} world;

static void world_open(world *w)
{
	if (!lan_hash[0])
		support_hash(PW, lan_hash);
	w->f = fake_store_new();
	fake_clock_init(&w->clock, SUPPORT_T0);
	support_cheap_policy(&w->p);
	w->a = lms_arena_new();
	w->lan = fake_store_add_user(w->f, "lan.nguyen", lan_hash, true);
	fake_user_add_role(w->lan, LMS_ROLE_HR_OFFICER, 7, "SNV");
}

static void world_close(world *w)
{
	lms_arena_free(w->a);
	fake_store_free(w->f);
}

static int do_login(world *w, const char *username, const char *password,
                    lms_login_result *out, lms_err *err)
{
	lms_err_clear(err);
	return lms_auth_login(&w->f->store, &w->clock.clock, &w->p, username, password, ADDR,
	                      "test-agent", w->a, out, err);
}

/* Prepares the world before the faults are armed (e.g. past failures). */
typedef void (*prepare_fn)(world *w);

static void five_failures(world *w)
{
	lms_login_result r;
	lms_err err;
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(do_login(w, "lan.nguyen", "wrong", &r, &err), LMS_EUNAUTH);
}

static void disable_lan(world *w)
{
	w->lan->active = false;
}

/* Fails each store call of one login in turn with fault; returns how many calls the login
 * makes when nothing fails. clean_rc is what the login answers without faults. */
static unsigned long sweep_login(prepare_fn prepare, const char *username, const char *password,
                                 int fault, int clean_rc)
{
	unsigned long n, calls = 0;

	for (n = 1; n < 100; n++) {
		world w;
		lms_login_result r, untouched;
		lms_err err;
		size_t sessions_before;
		int rc;

		world_open(&w);
		if (prepare)
			prepare(&w);
		sessions_before = fake_store_live_sessions(w.f);
		fake_store_reset_calls(w.f);
		fake_store_fail_nth(w.f, n, fault);
		memset(&r, 0x5A, sizeof(r));
		memset(&untouched, 0x5A, sizeof(untouched));
		rc = do_login(&w, username, password, &r, &err);
		if (w.f->injected == 0) {
			/* the login made fewer than n calls: this is the clean run */
			assert_int_equal(rc, clean_rc);
			calls = w.f->total_calls;
			world_close(&w);
			assert_int_equal(calls, n - 1);
			return calls;
		}
		assert_int_equal(rc, fault);
		assert_int_equal(err.rc, fault);
		assert_string_equal(err.code, lms_err_default_code(fault));
		assert_int_equal(fake_store_live_sessions(w.f), sessions_before);
		assert_memory_equal(&r, &untouched, sizeof(r));
		/* the call that failed was the last one made: nothing goes on after an error */
		assert_int_equal(w.f->total_calls, n);
		world_close(&w);
	}
	fail_msg("the login never stopped calling the store");
	return calls;
}

static void login_success_fails_cleanly_at_every_store_call(void **state)
{
	(void)state;
	/* login_counts, user_by_username, login_record, session_create */
	assert_int_equal(sweep_login(NULL, "lan.nguyen", PW, LMS_EUNAVAIL, LMS_OK), 4);
}

static void login_wrong_password_fails_cleanly_at_every_store_call(void **state)
{
	(void)state;
	assert_int_equal(sweep_login(NULL, "lan.nguyen", "wrong", LMS_EUNAVAIL, LMS_EUNAUTH), 3);
}

static void login_unknown_user_fails_cleanly_at_every_store_call(void **state)
{
	(void)state;
	assert_int_equal(sweep_login(NULL, "nobody", PW, LMS_EUNAVAIL, LMS_EUNAUTH), 3);
}

static void login_disabled_account_fails_cleanly_at_every_store_call(void **state)
{
	(void)state;
	assert_int_equal(sweep_login(disable_lan, "lan.nguyen", PW, LMS_EUNAVAIL, LMS_EUNAUTH), 3);
}

static void login_throttled_fails_cleanly_at_every_store_call(void **state)
{
	(void)state;
	/* begin (record + count), end (mark throttled) */
	assert_int_equal(sweep_login(five_failures, "lan.nguyen", PW, LMS_EUNAVAIL,
	                             LMS_ETHROTTLED),
	                 2);
}

/* Another class (a storage error) is passed up unchanged too, not turned into a success. */
static void login_passes_storage_errors_up_unchanged(void **state)
{
	(void)state;
	assert_int_equal(sweep_login(NULL, "lan.nguyen", PW, LMS_ESTORAGE, LMS_OK), 4);
}

/* A failing store during a login must not lock the account: attempts cut short stay
 * pending and count as failures (fail closed), but fewer than the limit, and once the
 * store is back, the same login works. */
static void login_works_again_after_the_store_recovers(void **state)
{
	world w;
	lms_login_result r;
	lms_err err;
	unsigned long n;
	(void)state;

	world_open(&w);
	for (n = 1; n <= 4; n++) {
		fake_store_fail_nth(w.f, n, LMS_EUNAVAIL);
		assert_int_equal(do_login(&w, "lan.nguyen", PW, &r, &err), LMS_EUNAVAIL);
	}
	/* 1st fault (begin): nothing recorded; 2nd (account lookup) and 3rd (end): the
	 * attempt stays pending; 4th (session create): already recorded as a success */
	assert_int_equal(fake_store_attempts(w.f, false), 2);
	assert_int_equal(do_login(&w, "lan.nguyen", PW, &r, &err), LMS_OK);
	assert_int_equal(fake_store_live_sessions(w.f), 1);
	world_close(&w);
}

/* ---- sessions ---- */

typedef struct session_case {
	prepare_fn prepare;     /* after the login, before the faults */
	int64_t advance_us;     /* time between login and the request */
	int clean_rc;
	const char *clean_code; /* err.code of the clean run when it fails */
} session_case;

static void lan_gone(world *w)
{
	w->lan->deleted = true;
}

/* Logs in cleanly, then fails each store call of lms_auth_session in turn. When the failing
 * call is the deletion of a session found expired, the request is still refused as expired
 * (auth.c ignores that failure; the row goes at the next request); otherwise the fault
 * is the answer. */
static unsigned long sweep_session(const session_case *c)
{
	unsigned long n, calls = 0;

	for (n = 1; n < 100; n++) {
		world w;
		lms_login_result r;
		lms_principal who, untouched;
		lms_err err;
		int rc;
		bool deleting;

		world_open(&w);
		assert_int_equal(do_login(&w, "lan.nguyen", PW, &r, &err), LMS_OK);
		if (c->prepare)
			c->prepare(&w);
		fake_clock_advance(&w.clock, c->advance_us);
		fake_store_reset_calls(w.f);
		fake_store_fail_nth(w.f, n, LMS_EUNAVAIL);
		memset(&who, 0x5A, sizeof(who));
		memset(&untouched, 0x5A, sizeof(untouched));
		lms_err_clear(&err);
		rc = lms_auth_session(&w.f->store, &w.clock.clock, &w.p, r.token, w.a, &who, &err);
		if (w.f->injected == 0) {
			assert_int_equal(rc, c->clean_rc);
			if (c->clean_code)
				assert_string_equal(err.code, c->clean_code);
			calls = w.f->total_calls;
			world_close(&w);
			assert_int_equal(calls, n - 1);
			return calls;
		}
		assert_memory_equal(&who, &untouched, sizeof(who));
		deleting = w.f->calls[FAKE_SESSION_END] > 0;
		if (deleting) {
			assert_int_equal(rc, LMS_EUNAUTH);
			assert_string_equal(err.code, "session_expired");
		} else {
			assert_int_equal(rc, LMS_EUNAVAIL);
			assert_int_equal(err.rc, LMS_EUNAVAIL);
			assert_string_equal(err.code, "db_unavailable");
			/* a database blip does not log anybody out */
			assert_int_equal(fake_store_live_sessions(w.f), 1);
			/* and the next request, with the store back, goes through as without it */
			lms_err_clear(&err);
			assert_int_equal(lms_auth_session(&w.f->store, &w.clock.clock, &w.p, r.token,
			                                  w.a, &who, &err),
			                 c->clean_rc);
		}
		world_close(&w);
	}
	fail_msg("the session lookup never stopped calling the store");
	return calls;
}

static void session_fails_cleanly_at_every_store_call(void **state)
{
	/* lookup (session and account in one call), touch (two minutes since the login) */
	const session_case c = { NULL, 2 * 60 * LMS_SECOND_US, LMS_OK, NULL };
	(void)state;
	assert_int_equal(sweep_session(&c), 2);
}

static void session_without_touch_fails_cleanly_at_every_store_call(void **state)
{
	const session_case c = { NULL, 10 * LMS_SECOND_US, LMS_OK, NULL };
	(void)state;
	assert_int_equal(sweep_session(&c), 1);
}

static void expired_session_fails_cleanly_at_every_store_call(void **state)
{
	/* lookup, delete */
	const session_case c = { NULL, 13 * 3600 * LMS_SECOND_US, LMS_EUNAUTH, "session_expired" };
	(void)state;
	assert_int_equal(sweep_session(&c), 2);
}

static void disabled_account_session_fails_cleanly_at_every_store_call(void **state)
{
	/* lookup, delete */
	const session_case c = { disable_lan, LMS_SECOND_US, LMS_EUNAUTH, "session_expired" };
	(void)state;
	assert_int_equal(sweep_session(&c), 2);
}

static void deleted_account_session_fails_cleanly_at_every_store_call(void **state)
{
	/* lookup only: the session went with the account (ON DELETE CASCADE) */
	const session_case c = { lan_gone, LMS_SECOND_US, LMS_EUNAUTH, "unauthenticated" };
	(void)state;
	assert_int_equal(sweep_session(&c), 1);
}

static void logout_passes_the_fault_up(void **state)
{
	world w;
	lms_login_result r;
	lms_principal who;
	lms_err err;
	(void)state;

	world_open(&w);
	assert_int_equal(do_login(&w, "lan.nguyen", PW, &r, &err), LMS_OK);
	memset(&who, 0, sizeof(who));
	who.session = r.session;
	who.user = r.user;
	fake_store_fail_nth(w.f, 1, LMS_EUNAVAIL);
	lms_err_clear(&err);
	assert_int_equal(lms_auth_logout(&w.f->store, &w.clock.clock, &who, &err), LMS_EUNAVAIL);
	assert_int_equal(err.rc, LMS_EUNAVAIL);
	assert_int_equal(lms_auth_logout(&w.f->store, &w.clock.clock, &who, &err), LMS_OK);
	assert_int_equal(fake_store_live_sessions(w.f), 0);
	world_close(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(login_success_fails_cleanly_at_every_store_call),
		cmocka_unit_test(login_wrong_password_fails_cleanly_at_every_store_call),
		cmocka_unit_test(login_unknown_user_fails_cleanly_at_every_store_call),
		cmocka_unit_test(login_disabled_account_fails_cleanly_at_every_store_call),
		cmocka_unit_test(login_throttled_fails_cleanly_at_every_store_call),
		cmocka_unit_test(login_passes_storage_errors_up_unchanged),
		cmocka_unit_test(login_works_again_after_the_store_recovers),
		cmocka_unit_test(session_fails_cleanly_at_every_store_call),
		cmocka_unit_test(session_without_touch_fails_cleanly_at_every_store_call),
		cmocka_unit_test(expired_session_fails_cleanly_at_every_store_call),
		cmocka_unit_test(disabled_account_session_fails_cleanly_at_every_store_call),
		cmocka_unit_test(deleted_account_session_fails_cleanly_at_every_store_call),
		cmocka_unit_test(logout_passes_the_fault_up),
	};
	lms_log_level = LMS_LOG_ERROR; /* failed logins are logged at INFO */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
