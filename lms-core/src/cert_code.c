/* cert_code.c — certificate serials and HMAC-signed verification codes (cert_code.h,
 * docs/certificates.md). OpenSSL for HMAC-SHA256 and the constant-time comparison.
 *
 * Invariants: input is read only within [code, code + len) and never more than
 * LMS_CERT_CODE_INPUT_MAX bytes of it; key bytes and the MAC are cleansed from the stack; the
 * message signed is domain-separated so a tag can never be mistaken for any other HMAC the
 * project makes (sync signatures, content links).
 */
#include "lms/cert_code.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define DOMAIN "parlearn-cert-code-v1"
#define TAG_CHARS (LMS_CERT_TAG_BITS / 5)      /* 20 */
#define KEY_ID_CHARS 2
#define SERIAL_DIGITS_MIN 10                   /* year + 6 */
#define SERIAL_DIGITS_MAX 12                   /* year + 8 */
#define NORM_MAX (KEY_ID_CHARS + SERIAL_DIGITS_MAX + TAG_CHARS)

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static bool serial_ok(lms_cert_serial s)
{
	return s.year >= LMS_CERT_YEAR_MIN && s.year <= LMS_CERT_YEAR_MAX && s.seq >= 1 &&
	       s.seq <= LMS_CERT_SEQ_MAX;
}

int lms_cert_serial_format(char out[LMS_CERT_SERIAL_BUF], lms_cert_serial serial,
                           lms_err *err)
{
	if (!serial_ok(serial))
		return lms_err_set(err, LMS_EINVAL, "cert_serial_invalid", "serial",
		                   "a certificate serial needs a year %d-%d and a sequence 1-%u",
		                   LMS_CERT_YEAR_MIN, LMS_CERT_YEAR_MAX, LMS_CERT_SEQ_MAX);
	snprintf(out, LMS_CERT_SERIAL_BUF, "PAR-%04d-%06u", serial.year, (unsigned)serial.seq);
	return LMS_OK;
}

/* Reads digits[0..n) as a year and a canonical sequence (4 + 6..8 digits). */
static bool digits_to_serial(const char *d, size_t n, lms_cert_serial *out)
{
	lms_cert_serial s = { 0, 0 };
	size_t i;

	if (n < SERIAL_DIGITS_MIN || n > SERIAL_DIGITS_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	if (n > SERIAL_DIGITS_MIN && d[4] == '0')
		return false; /* a widened sequence has no leading zero: one spelling per serial */
	for (i = 0; i < 4; i++)
		s.year = s.year * 10 + (d[i] - '0');
	for (i = 4; i < n; i++)
		s.seq = s.seq * 10 + (uint32_t)(d[i] - '0');
	if (!serial_ok(s))
		return false;
	*out = s;
	return true;
}

int lms_cert_serial_parse(lms_cert_serial *out, const char *text, size_t len, lms_err *err)
{
	char digits[SERIAL_DIGITS_MAX];

	/* "PAR-" YYYY "-" 6..8 digits */
	if (!text || len < 4 + 4 + 1 + 6 || len > 4 + 4 + 1 + 8 || memcmp(text, "PAR-", 4) != 0 ||
	    text[8] != '-')
		goto bad;
	memcpy(digits, text + 4, 4);
	memcpy(digits + 4, text + 9, len - 9);
	if (!digits_to_serial(digits, len - 5, out))
		goto bad;
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "cert_serial_invalid", "serial",
	                   "a certificate serial looks like PAR-2026-000123");
}

/* The tag of (key id, serial) as TAG_CHARS base32 symbols (no NUL). */
static int tag_of(char tag[TAG_CHARS], unsigned key_id, const unsigned char *key,
                  size_t key_len, lms_cert_serial serial)
{
	unsigned char msg[sizeof(DOMAIN) + KEY_ID_CHARS + 1 + LMS_CERT_SERIAL_BUF];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	char serial_text[LMS_CERT_SERIAL_BUF];
	size_t m = 0, slen, i;
	unsigned acc = 0, bits = 0, o = 0;
	int rc = LMS_OK;

	if (lms_cert_serial_format(serial_text, serial, NULL) < 0)
		return LMS_EINVAL;
	slen = strlen(serial_text);
	memcpy(msg, DOMAIN, sizeof(DOMAIN)); /* with its NUL: the separator */
	m = sizeof(DOMAIN);
	msg[m++] = (unsigned char)crockford[(key_id >> 5) & 31];
	msg[m++] = (unsigned char)crockford[key_id & 31];
	msg[m++] = 0;
	memcpy(msg + m, serial_text, slen);
	m += slen;
	if (!HMAC(EVP_sha256(), key, (int)key_len, msg, m, mac, &mac_len) || mac_len < 13) {
		rc = LMS_EINTERNAL;
		goto cleanup;
	}
	/* Big-endian 5-bit groups of the first 100 bits (12.5 bytes). */
	for (i = 0; i < mac_len && o < TAG_CHARS; i++) {
		acc = ((acc << 8) | mac[i]) & 0xFFFu;
		bits += 8;
		while (bits >= 5 && o < TAG_CHARS) {
			bits -= 5;
			tag[o++] = crockford[(acc >> bits) & 31];
		}
	}
cleanup:
	OPENSSL_cleanse(mac, sizeof(mac));
	return rc;
}

static int check_key(unsigned key_id, size_t key_len, lms_err *err)
{
	if (key_id > LMS_CERT_KEY_ID_MAX)
		return lms_err_set(err, LMS_EINVAL, "cert_key_id_invalid", "key_id",
		                   "a certificate key id is 0 to %u", LMS_CERT_KEY_ID_MAX);
	if (key_len < LMS_CERT_KEY_MIN)
		return lms_err_set(err, LMS_EINVAL, "cert_key_too_short", "key",
		                   "a certificate key must be at least %d bytes", LMS_CERT_KEY_MIN);
	if (key_len > LMS_CERT_KEY_MAX)
		return lms_err_set(err, LMS_EINVAL, "cert_key_too_long", "key",
		                   "a certificate key must be at most %d bytes", LMS_CERT_KEY_MAX);
	return LMS_OK;
}

int lms_cert_code_make(char out[LMS_CERT_CODE_BUF], unsigned key_id, const unsigned char *key,
                       size_t key_len, lms_cert_serial serial, lms_err *err)
{
	char tag[TAG_CHARS];
	int rc;

	if ((rc = check_key(key_id, key_len, err)) < 0)
		return rc;
	if (!serial_ok(serial))
		return lms_cert_serial_format(out, serial, err);
	if ((rc = tag_of(tag, key_id, key, key_len, serial)) < 0)
		return lms_err_set(err, rc, NULL, NULL, "cannot compute the certificate code");
	snprintf(out, LMS_CERT_CODE_BUF, "%c%c-%04d-%06u-%.5s-%.5s-%.5s-%.5s",
	         crockford[(key_id >> 5) & 31], crockford[key_id & 31], serial.year,
	         (unsigned)serial.seq, tag, tag + 5, tag + 10, tag + 15);
	return LMS_OK;
}

/* Crockford's decoding of one character: its value, -1 for a separator to skip, -2 for a
 * character that is not in a code. */
static int symbol_value(char c)
{
	const char *p;

	if (c == '-' || c == ' ')
		return -1;
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0' || !(p = strchr(crockford, c)))
		return -2;
	return (int)(p - crockford);
}

int lms_cert_code_check(lms_cert_serial *serial, unsigned *key_id, const char *code,
                        size_t len, lms_cert_key_lookup lookup, void *ctx, lms_err *err)
{
	char norm[NORM_MAX], tag[TAG_CHARS];
	const unsigned char *key = NULL;
	size_t i, n = 0, key_len = 0;
	lms_cert_serial s = { 0, 0 };
	unsigned id;
	int v, rc;

	if (!code || len > LMS_CERT_CODE_INPUT_MAX)
		goto malformed;
	for (i = 0; i < len; i++) {
		v = symbol_value(code[i]);
		if (v == -1)
			continue;
		if (v < 0 || n == NORM_MAX)
			goto malformed;
		norm[n++] = crockford[v];
	}
	if (n < KEY_ID_CHARS + SERIAL_DIGITS_MIN + TAG_CHARS)
		goto malformed;
	if (!digits_to_serial(norm + KEY_ID_CHARS, n - KEY_ID_CHARS - TAG_CHARS, &s))
		goto malformed;
	id = (unsigned)((strchr(crockford, norm[0]) - crockford) * 32 +
	                (strchr(crockford, norm[1]) - crockford));

	rc = lookup(ctx, id, &key, &key_len);
	if (rc == LMS_ENOTFOUND)
		return lms_err_set(err, LMS_ENOTFOUND, LMS_CERT_ERR_UNKNOWN_KEY, "code",
		                   "Mã xác minh dùng khóa không còn được hệ thống giữ "
		                   "(the code's key is unknown)");
	if (rc < 0)
		return lms_err_set(err, rc, NULL, NULL, "cannot look up the certificate key");
	if (!key || key_len < LMS_CERT_KEY_MIN || key_len > LMS_CERT_KEY_MAX)
		return lms_err_set(err, LMS_EINTERNAL, "cert_key_too_short", NULL,
		                   "certificate key %u is shorter than %d bytes or too long", id,
		                   LMS_CERT_KEY_MIN);
	if (tag_of(tag, id, key, key_len, s) < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot compute the certificate code");
	if (CRYPTO_memcmp(tag, norm + n - TAG_CHARS, TAG_CHARS) != 0)
		return lms_err_set(err, LMS_EFORBIDDEN, LMS_CERT_ERR_BAD_SIGNATURE, "code",
		                   "Mã xác minh không khớp: chứng chỉ không do hệ thống cấp hoặc mã bị "
		                   "gõ sai (the code does not verify)");
	*serial = s;
	if (key_id)
		*key_id = id;
	return LMS_OK;
malformed:
	return lms_err_set(err, LMS_EINVAL, LMS_CERT_ERR_MALFORMED, "code",
	                   "Mã xác minh không đúng định dạng (not a certificate code)");
}
