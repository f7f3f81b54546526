/* test_cert_code.c — certificate serials and verification codes (cert_code.h): the serial
 * format and its strict parser, make/check round trips, the tag recomputed here from the
 * documented message with OpenSSL, every single-character change of a code, what a person
 * may type differently (case, dashes, spaces, O/0, I/L/1), key ids and key lengths,
 * truncation, sequences past 999999, and that checking reads nothing past the input (every
 * input below sits in a heap buffer of exactly its length, so ASan would see an overread). */
#include "support.h"

#include "lms/cert_code.h"

#include <openssl/hmac.h>

#include <stdlib.h>
#include <string.h>

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Two keys the "server" holds: id 1 and id 37; id 5 is a key that was configured too short. */
static unsigned char key1[32], key37[48], short5[31];

typedef struct keyring {
	int calls;
	int fail_with; /* when non-zero, every lookup returns it */
} keyring;

static int lookup(void *ctx, unsigned key_id, const unsigned char **key, size_t *key_len)
{
	keyring *kr = ctx;

	kr->calls++;
	if (kr->fail_with)
		return kr->fail_with;
	switch (key_id) {
	case 1: *key = key1; *key_len = sizeof(key1); return 0;
	case 37: *key = key37; *key_len = sizeof(key37); return 0;
	case 5: *key = short5; *key_len = sizeof(short5); return 0;
	default: return LMS_ENOTFOUND;
	}
}

static int setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(key1); i++)
		key1[i] = (unsigned char)(i * 7 + 1);
	for (size_t i = 0; i < sizeof(key37); i++)
		key37[i] = (unsigned char)(255 - i * 3);
	memset(short5, 0x42, sizeof(short5));
	return 0;
}

/* Checks s[0..len) from a heap copy of exactly len bytes (no NUL). */
static int check_exact(const char *s, size_t len, lms_cert_serial *serial, unsigned *id,
                       lms_err *err)
{
	keyring kr = { 0, 0 };
	char *buf = malloc(len ? len : 1);
	int rc;

	assert_non_null(buf);
	memcpy(buf, s, len);
	lms_err_clear(err);
	rc = lms_cert_code_check(serial, id, buf, len, lookup, &kr, err);
	free(buf);
	return rc;
}

static int check_str(const char *s, lms_cert_serial *serial, lms_err *err)
{
	return check_exact(s, strlen(s), serial, NULL, err);
}

static void make(char out[LMS_CERT_CODE_BUF], unsigned id, int year, uint32_t seq)
{
	const unsigned char *key = id == 1 ? key1 : key37;
	size_t len = id == 1 ? sizeof(key1) : sizeof(key37);
	lms_cert_serial s = { year, seq };
	lms_err err;

	lms_err_clear(&err);
	assert_int_equal(lms_cert_code_make(out, id, key, len, s, &err), 0);
}

/* What a person may type differently: the test's own reading of Crockford's rules. */
static size_t normalise(const char *s, char *out)
{
	size_t n = 0;
	for (; *s; s++) {
		char c = *s;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (c == 'O')
			c = '0';
		if (c == 'I' || c == 'L')
			c = '1';
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

static void serial_parse_exact(const char *s, int rc, int year, uint32_t seq)
{
	size_t len = strlen(s);
	char *buf = malloc(len ? len : 1);
	lms_cert_serial out = { 0, 0 };
	lms_err err;

	assert_non_null(buf);
	memcpy(buf, s, len);
	lms_err_clear(&err);
	assert_int_equal(lms_cert_serial_parse(&out, buf, len, &err), rc);
	if (rc == 0) {
		assert_int_equal(out.year, year);
		assert_int_equal(out.seq, seq);
	} else {
		assert_string_equal(err.code, "cert_serial_invalid");
	}
	free(buf);
}

static void serials(void **state)
{
	(void)state;
	char out[LMS_CERT_SERIAL_BUF];
	lms_err err;
	const struct { int year; uint32_t seq; const char *text; } ok[] = {
		{ 2026, 123, "PAR-2026-000123" },
		{ 2026, 1, "PAR-2026-000001" },
		{ 2026, 999999, "PAR-2026-999999" },
		{ 2026, 1000000, "PAR-2026-1000000" }, /* widened past six digits */
		{ 2031, 99999999, "PAR-2031-99999999" },
		{ 2000, 5, "PAR-2000-000005" },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		lms_cert_serial s = { ok[i].year, ok[i].seq };
		assert_int_equal(lms_cert_serial_format(out, s, &err), 0);
		assert_string_equal(out, ok[i].text);
		serial_parse_exact(ok[i].text, 0, ok[i].year, ok[i].seq);
	}
	const lms_cert_serial bad[] = { { 2026, 0 }, { 2026, 100000000 }, { 1999, 1 }, { 10000, 1 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lms_err_clear(&err);
		assert_int_equal(lms_cert_serial_format(out, bad[i], &err), LMS_EINVAL);
		assert_string_equal(err.code, "cert_serial_invalid");
	}
	const char *refused[] = {
		"", "PAR", "par-2026-000123", "PAR-2026-00123", "PAR-2026-0123456", "PAR-2026-000000",
		"PAR-26-000123", "PAR-2026-000123 ", " PAR-2026-000123", "PAR-2026-00012A",
		"PAR_2026-000123", "PAR-2026_000123", "PAR-2026-123456789", "PAR-1999-000123",
		"PAR-2026--00123", "PAR-20X6-000123", "PAR-2026-+00123",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		serial_parse_exact(refused[i], LMS_EINVAL, 0, 0);
	lms_cert_serial s;
	assert_int_equal(lms_cert_serial_parse(&s, NULL, 0, &err), LMS_EINVAL);
}

static void round_trip_and_shape(void **state)
{
	(void)state;
	char code[LMS_CERT_CODE_BUF];
	lms_cert_serial s;
	unsigned id = 0;
	lms_err err;

	make(code, 1, 2026, 123);
	/* KK-YYYY-SSSSSS-TTTTT-TTTTT-TTTTT-TTTTT */
	assert_int_equal(strlen(code), 38);
	assert_memory_equal(code, "01-2026-000123-", 15);
	for (size_t i = 0; i < strlen(code); i++) {
		if (i == 2 || i == 7 || i == 14 || i == 20 || i == 26 || i == 32)
			assert_int_equal(code[i], '-');
		else
			assert_non_null(strchr(alphabet, code[i]));
	}
	assert_int_equal(check_exact(code, strlen(code), &s, &id, &err), 0);
	assert_int_equal(s.year, 2026);
	assert_int_equal(s.seq, 123);
	assert_int_equal(id, 1);

	make(code, 37, 2027, 45);
	assert_memory_equal(code, "15-2027-000045-", 15); /* 37 = 1 x 32 + 5 */
	assert_int_equal(check_exact(code, strlen(code), &s, &id, &err), 0);
	assert_int_equal(id, 37);
	assert_int_equal(s.seq, 45);

	/* different serials and different keys give different tags */
	char a[LMS_CERT_CODE_BUF], b[LMS_CERT_CODE_BUF], c[LMS_CERT_CODE_BUF];
	make(a, 1, 2026, 124);
	make(b, 1, 2026, 125);
	make(c, 37, 2026, 124);
	assert_string_not_equal(a + 15, b + 15);
	assert_string_not_equal(a + 15, c + 15);
	/* and the same input the same code */
	make(b, 1, 2026, 124);
	assert_string_equal(a, b);
}

/* The tag, recomputed from the message docs/certificates.md documents: the first 100 bits of
 * HMAC-SHA256(key, "parlearn-cert-code-v1" NUL key-id NUL serial) in Crockford base32. An
 * independent verifier can do exactly this. */
static void tag_is_the_documented_hmac(void **state)
{
	(void)state;
	const char *domain = "parlearn-cert-code-v1", *kid = "15", *serial = "PAR-2026-1000000";
	unsigned char msg[80], mac[32];
	unsigned int mac_len = 0;
	size_t m = 0;
	char tag[21], code[LMS_CERT_CODE_BUF], got[21];

	memcpy(msg, domain, strlen(domain) + 1);
	m = strlen(domain) + 1;
	memcpy(msg + m, kid, 2);
	m += 2;
	msg[m++] = 0;
	memcpy(msg + m, serial, strlen(serial));
	m += strlen(serial);
	assert_non_null(HMAC(EVP_sha256(), key37, sizeof(key37), msg, m, mac, &mac_len));
	for (size_t i = 0; i < 20; i++) { /* bits 5i .. 5i+4 */
		unsigned v = 0;
		for (size_t b = 5 * i; b < 5 * i + 5; b++)
			v = (v << 1) | ((mac[b / 8] >> (7 - b % 8)) & 1u);
		tag[i] = alphabet[v];
	}
	tag[20] = '\0';

	make(code, 37, 2026, 1000000);
	assert_memory_equal(code, "15-2026-1000000-", 16);
	normalise(code + 16, got);
	assert_string_equal(got, tag);
}

/* The test vectors of docs/certificates.md, computed with Python's hmac module (an
 * independent implementation): key = bytes 0x00..0x1f, key id 1. */
static void documented_test_vectors(void **state)
{
	(void)state;
	unsigned char key[32];
	char code[LMS_CERT_CODE_BUF];
	lms_cert_serial s1 = { 2026, 123 }, s2 = { 2026, 1000000 };
	lms_err err;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)i;
	assert_int_equal(lms_cert_code_make(code, 1, key, sizeof(key), s1, &err), 0);
	assert_string_equal(code, "01-2026-000123-RTHZQ-HRZ41-2WJJ0-T9MSN");
	assert_int_equal(lms_cert_code_make(code, 1, key, sizeof(key), s2, &err), 0);
	assert_string_equal(code, "01-2026-1000000-MZEJM-XTJXY-55GVC-2ZCXV");
}

/* Every single-character change either spells the same code (another case, O for 0, I or L
 * for 1, a space for a dash) and still verifies, or fails. */
static void every_single_change(void **state)
{
	(void)state;
	const char subst[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyzOoIiLlUu -_.+/";
	char code[LMS_CERT_CODE_BUF], want[LMS_CERT_CODE_BUF], mutated[LMS_CERT_CODE_BUF],
		got[LMS_CERT_CODE_BUF];
	lms_cert_serial s;
	lms_err err;
	size_t same = 0, failed = 0, forged = 0;

	make(code, 1, 2026, 123);
	normalise(code, want);
	for (size_t pos = 0; code[pos]; pos++) {
		for (size_t j = 0; subst[j]; j++) {
			if (subst[j] == code[pos])
				continue;
			memcpy(mutated, code, sizeof(code));
			mutated[pos] = subst[j];
			int rc = check_str(mutated, &s, &err);
			normalise(mutated, got);
			if (strcmp(got, want) == 0) {
				assert_int_equal(rc, 0);
				assert_int_equal(s.seq, 123);
				same++;
			} else {
				assert_true(rc < 0);
				failed++;
				if (pos >= 15 && strchr(alphabet, subst[j]) && code[pos] != '-') {
					/* another valid symbol in the tag: a signature failure */
					assert_int_equal(rc, LMS_EFORBIDDEN);
					assert_string_equal(err.code, LMS_CERT_ERR_BAD_SIGNATURE);
					forged++;
				}
			}
		}
		/* deleting the character */
		memcpy(mutated, code, pos);
		memcpy(mutated + pos, code + pos + 1, strlen(code) - pos);
		normalise(mutated, got);
		if (strcmp(got, want) != 0)
			assert_true(check_str(mutated, &s, &err) < 0);
	}
	assert_true(same > 0);
	assert_true(failed > 1000);
	assert_true(forged >= 20 * 31);
}

static void what_people_type(void **state)
{
	(void)state;
	char code[LMS_CERT_CODE_BUF], typed[3 * LMS_CERT_CODE_BUF];
	lms_cert_serial s;
	lms_err err;
	size_t i, n;

	make(code, 1, 2026, 101);
	/* lower case */
	for (i = 0; code[i]; i++)
		typed[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	typed[i] = '\0';
	assert_int_equal(check_str(typed, &s, &err), 0);
	assert_int_equal(s.seq, 101);
	/* without dashes */
	for (i = 0, n = 0; code[i]; i++)
		if (code[i] != '-')
			typed[n++] = code[i];
	typed[n] = '\0';
	assert_int_equal(check_str(typed, &s, &err), 0);
	/* spaces instead of dashes, and extra spaces and dashes */
	for (i = 0, n = 0; code[i]; i++) {
		typed[n++] = code[i] == '-' ? ' ' : code[i];
		if (i % 4 == 0)
			typed[n++] = i % 8 ? ' ' : '-';
	}
	typed[n] = '\0';
	assert_int_equal(check_str(typed, &s, &err), 0);
	/* O for 0, I and L for 1 (the key id "01", the serial "2026-000101" have both) */
	const char *o_for_0[] = { "O", "o" }, *i_for_1[] = { "I", "i", "L", "l" };
	for (size_t a = 0; a < 2; a++)
		for (size_t b = 0; b < 4; b++) {
			for (i = 0; code[i]; i++)
				typed[i] = code[i] == '0' ? o_for_0[a][0]
				                          : code[i] == '1' ? i_for_1[b][0] : code[i];
			typed[i] = '\0';
			assert_non_null(strchr(typed, o_for_0[a][0]));
			assert_non_null(strchr(typed, i_for_1[b][0]));
			assert_int_equal(check_str(typed, &s, &err), 0);
			assert_int_equal(s.year, 2026);
			assert_int_equal(s.seq, 101);
		}
	/* U is not a Crockford symbol; tabs and other separators are not accepted */
	memcpy(typed, code, sizeof(code));
	typed[20] = '\t';
	assert_int_equal(check_str(typed, &s, &err), LMS_EINVAL);
	assert_string_equal(err.code, LMS_CERT_ERR_MALFORMED);
	/* a NUL byte inside the input is not a symbol */
	memcpy(typed, code, strlen(code) + 1);
	typed[20] = '\0';
	assert_int_equal(check_exact(typed, strlen(code), &s, NULL, &err), LMS_EINVAL);
	typed[20] = ' ';
	typed[22] = '\0';
	assert_int_equal(check_exact(typed, strlen(code), &s, NULL, &err), LMS_EINVAL);
	/* only len bytes are read: what follows in the buffer does not matter */
	memcpy(typed, code, strlen(code));
	memcpy(typed + strlen(code), "XYZ!", 5);
	assert_int_equal(check_exact(typed, strlen(code), &s, NULL, &err), 0);
	/* input over the cap is refused before it is read, even when it would normalise fine */
	memset(typed, ' ', sizeof(typed));
	memcpy(typed + sizeof(typed) - strlen(code) - 1, code, strlen(code) + 1);
	assert_true(strlen(typed) > LMS_CERT_CODE_INPUT_MAX);
	assert_int_equal(check_str(typed, &s, &err), LMS_EINVAL);
}

static void key_ids_and_keys(void **state)
{
	(void)state;
	char code[LMS_CERT_CODE_BUF], other[LMS_CERT_CODE_BUF];
	unsigned char big[LMS_CERT_KEY_MAX + 1];
	lms_cert_serial s = { 2026, 7 }, got;
	keyring kr = { 0, 0 };
	lms_err err;

	/* a key id nobody holds (never issued, or retired): unknown key, not "forged" */
	lms_err_clear(&err);
	assert_int_equal(lms_cert_code_make(code, 2, key1, sizeof(key1), s, &err), 0);
	assert_int_equal(check_str(code, &got, &err), LMS_ENOTFOUND);
	assert_string_equal(err.code, LMS_CERT_ERR_UNKNOWN_KEY);
	/* key 1's bytes under id 37: the server's key 37 does not verify it */
	assert_int_equal(lms_cert_code_make(code, 37, key1, sizeof(key1), s, &err), 0);
	assert_int_equal(check_str(code, &got, &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, LMS_CERT_ERR_BAD_SIGNATURE);
	/* the same tag under another key id: the key id is signed too */
	make(code, 1, 2026, 7);
	make(other, 37, 2026, 7);
	memcpy(other + 2, code + 2, strlen(code) - 2);
	assert_int_equal(check_str(other, &got, &err), LMS_EFORBIDDEN);
	/* the largest key id */
	memset(big, 9, sizeof(big));
	assert_int_equal(lms_cert_code_make(code, LMS_CERT_KEY_ID_MAX, big, 32, s, &err), 0);
	assert_memory_equal(code, "ZZ-", 3);
	lms_err_clear(&err);
	assert_int_equal(lms_cert_code_make(code, LMS_CERT_KEY_ID_MAX + 1, big, 32, s, &err),
	                 LMS_EINVAL);
	assert_string_equal(err.code, "cert_key_id_invalid");

	/* key length: at least 32 bytes when making, and when the server's key file is short */
	assert_int_equal(lms_cert_code_make(code, 1, key1, 31, s, &err), LMS_EINVAL);
	assert_string_equal(err.code, "cert_key_too_short");
	assert_int_equal(lms_cert_code_make(code, 1, big, sizeof(big), s, &err), LMS_EINVAL);
	assert_string_equal(err.code, "cert_key_too_long");
	assert_int_equal(lms_cert_code_make(code, 5, big, 32, s, &err), 0);
	assert_int_equal(check_str(code, &got, &err), LMS_EINTERNAL);
	assert_string_equal(err.code, "cert_key_too_short");

	/* a lookup that fails (the key store is unreachable) passes its code up */
	make(code, 1, 2026, 7);
	kr.fail_with = LMS_EUNAVAIL;
	lms_err_clear(&err);
	assert_int_equal(lms_cert_code_check(&got, NULL, code, strlen(code), lookup, &kr, &err),
	                 LMS_EUNAVAIL);
	assert_int_equal(kr.calls, 1);
	/* a malformed code never reaches the lookup */
	kr.calls = 0;
	kr.fail_with = 0;
	assert_int_equal(lms_cert_code_check(&got, NULL, "01-2026-000007", 14, lookup, &kr, &err),
	                 LMS_EINVAL);
	assert_int_equal(kr.calls, 0);
}

static void truncated(void **state)
{
	(void)state;
	char code[LMS_CERT_CODE_BUF];
	lms_cert_serial s;
	lms_err err;

	make(code, 1, 2026, 123);
	for (size_t len = 0; len < strlen(code); len++) {
		assert_int_equal(check_exact(code, len, &s, NULL, &err), LMS_EINVAL);
		assert_string_equal(err.code, LMS_CERT_ERR_MALFORMED);
	}
	/* with a widened serial a shorter prefix can look like a shorter serial: still refused */
	make(code, 1, 2026, 12345678);
	for (size_t len = 0; len < strlen(code); len++)
		assert_true(check_exact(code, len, &s, NULL, &err) < 0);
	assert_int_equal(check_exact(code, strlen(code), &s, NULL, &err), 0);
	assert_int_equal(lms_cert_code_check(&s, NULL, NULL, 0, lookup, NULL, &err), LMS_EINVAL);
}

static void past_six_digits(void **state)
{
	(void)state;
	char code[LMS_CERT_CODE_BUF];
	lms_cert_serial s = { 2026, 100000000 }, got;
	lms_err err;

	make(code, 1, 2026, 1000000);
	assert_int_equal(strlen(code), 39);
	assert_memory_equal(code, "01-2026-1000000-", 16);
	assert_int_equal(check_str(code, &got, &err), 0);
	assert_int_equal(got.seq, 1000000);
	make(code, 1, 2026, LMS_CERT_SEQ_MAX);
	assert_int_equal(strlen(code), 40);
	assert_true(strlen(code) < LMS_CERT_CODE_BUF);
	assert_int_equal(check_str(code, &got, &err), 0);
	assert_int_equal(got.seq, LMS_CERT_SEQ_MAX);
	/* beyond eight digits there is no serial and no code */
	lms_err_clear(&err);
	assert_int_equal(lms_cert_code_make(code, 1, key1, sizeof(key1), s, &err), LMS_EINVAL);
	assert_string_equal(err.code, "cert_serial_invalid");
	/* a seven-digit sequence with a leading zero is not a spelling of a six-digit one */
	make(code, 1, 2026, 123456);
	char padded[LMS_CERT_CODE_BUF + 1];
	memcpy(padded, code, 8);
	padded[8] = '0';
	memcpy(padded + 9, code + 8, strlen(code) - 8 + 1);
	assert_int_equal(check_str(padded, &got, &err), LMS_EINVAL);
}

/* Random bytes and random mangling of a real code, each in a heap buffer of exactly its
 * length: no crash, no read past the end (ASan), and nothing verifies by accident. */
static void random_input(void **state)
{
	(void)state;
	char code[LMS_CERT_CODE_BUF], buf[200];
	lms_cert_serial s;
	lms_err err;
	uint64_t x = 0x2545F4914F6CDD1Du;

	make(code, 1, 2026, 321);
	for (int round = 0; round < 20000; round++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t len = (size_t)(x % sizeof(buf));
		if (round % 2 == 0) {
			for (size_t i = 0; i < len; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[i] = (char)(x & 0xFF);
			}
		} else { /* a real code with two to four characters replaced */
			len = strlen(code);
			memcpy(buf, code, len);
			for (int m = 0; m < 2 + (int)(x % 3); m++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[(x >> 8) % len] = alphabet[(x >> 20) % 32];
			}
			if (memcmp(buf, code, len) == 0)
				continue;
		}
		assert_true(check_exact(buf, len, &s, NULL, &err) < 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(serials),
		cmocka_unit_test(round_trip_and_shape),
		cmocka_unit_test(tag_is_the_documented_hmac),
		cmocka_unit_test(documented_test_vectors),
		cmocka_unit_test(every_single_change),
		cmocka_unit_test(what_people_type),
		cmocka_unit_test(key_ids_and_keys),
		cmocka_unit_test(truncated),
		cmocka_unit_test(past_six_digits),
		cmocka_unit_test(random_input),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
