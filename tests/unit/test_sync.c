/* test_sync.c — the personnel sync's pure rules (sync.h): the Standard Webhooks signature
 * (the specification's own example), secrets, what an answer means, and the backoff. */
#include "support.h"

#include "lms/sync.h"

#include <string.h>

static void signature_matches_the_spec_example(void **state)
{
	(void)state;
	/* github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md */
	unsigned char key[LMS_SYNC_KEY_MAX];
	size_t n = 0;
	char sig[LMS_SYNC_SIG_MAX];
	const char *body = "{\"test\": 2432232314}";
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_sync_secret_parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", key, &n, &err), 0);
	assert_int_equal(n, 24);
	assert_int_equal(lms_sync_sign(key, n, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body,
	                               strlen(body), sig, &err), 0);
	assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

static void bad_secrets_are_refused_without_echo(void **state)
{
	(void)state;
	unsigned char key[LMS_SYNC_KEY_MAX];
	size_t n;
	lms_err err;
	const char *bad[] = { NULL, "", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_abc",
	                      "whsec_!!!!", "whsec_" "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
	                      "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_sync_secret_parse(bad[i], key, &n, &err), LMS_EINVAL);
		assert_string_equal(err.code, "sync_secret_invalid");
		if (bad[i] && strlen(bad[i]) > 8)
			assert_null(strstr(err.msg, bad[i] + 6));
	}
}

static void answers(void **state)
{
	(void)state;
	assert_int_equal(lms_sync_classify(200, 1), LMS_SYNC_DELIVERED);
	assert_int_equal(lms_sync_classify(204, 1), LMS_SYNC_DELIVERED);
	assert_int_equal(lms_sync_classify(409, 3), LMS_SYNC_DELIVERED); /* had it already */
	assert_int_equal(lms_sync_classify(429, 1), LMS_SYNC_RETRY);
	assert_int_equal(lms_sync_classify(503, 1), LMS_SYNC_RETRY);
	assert_int_equal(lms_sync_classify(0, 1), LMS_SYNC_RETRY);       /* no answer */
	assert_int_equal(lms_sync_classify(400, 1), LMS_SYNC_DEAD);
	assert_int_equal(lms_sync_classify(401, 1), LMS_SYNC_DEAD);
	assert_int_equal(lms_sync_classify(301, 1), LMS_SYNC_DEAD);      /* no redirects */
	assert_int_equal(lms_sync_classify(503, LMS_SYNC_MAX_ATTEMPTS), LMS_SYNC_DEAD);
}

static void backoff_doubles_with_jitter_and_a_cap(void **state)
{
	(void)state;
	const int64_t s = 1000000;
	assert_int_equal(lms_sync_backoff_us(1, 0, 0), 30 * s);
	assert_int_equal(lms_sync_backoff_us(2, 0, 0), 60 * s);
	assert_int_equal(lms_sync_backoff_us(3, 0, 0), 120 * s);
	assert_int_equal(lms_sync_backoff_us(30, 0, 0), 6 * 3600 * s);
	assert_int_equal(lms_sync_backoff_us(1, 0, 0.5), 30 * s + 30 * s / 8);
	assert_true(lms_sync_backoff_us(30, 0, 0.999) <= 6 * 3600 * s * 5 / 4);
	assert_int_equal(lms_sync_backoff_us(2, 0, 7.0), 60 * s); /* a bad jitter counts as none */
	assert_int_equal(lms_sync_backoff_us(3, 100000, 0), 400000);  /* a configured base */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signature_matches_the_spec_example),
		cmocka_unit_test(bad_secrets_are_refused_without_echo),
		cmocka_unit_test(answers),
		cmocka_unit_test(backoff_doubles_with_jitter_and_a_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
