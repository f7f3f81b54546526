/* support_helpers.c — the fake clock, the auth helpers and reading the source tree's files,
 * for the unit tests (see support.h). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

char *support_read_source_file(const char *rel, size_t *len)
{
	static const char suffix[] = "/tests/unit/support_helpers.c";
	const char *src = getenv("PARLEARN_SOURCE");
	size_t n = strlen(__FILE__), k = strlen(suffix);
	char path[4096];
	char *buf;
	long size;
	FILE *f;

	if (src && *src)
		snprintf(path, sizeof(path), "%s/%s", src, rel);
	else if (n > k && strcmp(__FILE__ + n - k, suffix) == 0)
		snprintf(path, sizeof(path), "%.*s/%s", (int)(n - k), __FILE__, rel);
	else
		snprintf(path, sizeof(path), "%s", rel);
	f = fopen(path, "rb");
	if (!f) {
		print_error("cannot open %s\n", path);
		fail();
	}
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, (size_t)size, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}
