/* support_helpers.c — the fake clock and the auth helpers of the unit tests (see support.h). */
#include "support.h"

static int64_t fake_now(void *ud)
{
	return ((const fake_clock *)ud)->now_us;
}

void fake_clock_init(fake_clock *c, int64_t now_us)
{
	c->clock.now_us = fake_now;
	c->clock.ud = c;
	c->now_us = now_us;
}

void fake_clock_advance(fake_clock *c, int64_t us)
{
	c->now_us += us;
}

void support_cheap_policy(lms_auth_policy *p)
{
	lms_auth_policy_default(p);
	p->argon2_t_cost = 1;
	p->argon2_m_cost_kib = 64;
	p->argon2_parallelism = 1;
}

void support_hash(const char *password, char out[LMS_PASSWORD_HASH_MAX])
{
	lms_auth_policy p;
	lms_err err;

	lms_err_clear(&err);
	support_cheap_policy(&p);
	assert_int_equal(lms_password_hash(&p, password, out, LMS_PASSWORD_HASH_MAX, &err), LMS_OK);
}

bool support_is_base64url(const char *s, size_t len)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return i == len;
}
