/* sync.c — Standard Webhooks signing and the delivery rules (sync.h). OpenSSL for HMAC and
 * base64. */
#include "lms/sync.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lms_sync_secret_parse(const char *secret, unsigned char *key, size_t *key_len, lms_err *err)
{
	unsigned char buf[3 * ((4 * LMS_SYNC_KEY_MAX / 3 + 8) / 4) + 3];
	const char *b64;
	size_t len, pad = 0;
	int n;

	if (!secret || strncmp(secret, "whsec_", 6) != 0)
		goto bad;
	b64 = secret + 6;
	len = strlen(b64);
	if (len == 0 || len % 4 != 0 || len > 4 * ((LMS_SYNC_KEY_MAX + 2) / 3))
		goto bad;
	if (b64[len - 1] == '=')
		pad++;
	if (len > 1 && b64[len - 2] == '=')
		pad++;
	n = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)len);
	if (n < 0 || (size_t)n < pad || (size_t)n - pad == 0 || (size_t)n - pad > LMS_SYNC_KEY_MAX)
		goto bad;
	*key_len = (size_t)n - pad;
	memcpy(key, buf, *key_len);
	OPENSSL_cleanse(buf, sizeof(buf));
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "sync_secret_invalid", "secret",
	                   "the sync secret must be \"whsec_\" followed by base64 of 1 to %d bytes",
	                   LMS_SYNC_KEY_MAX);
}

int lms_sync_sign(const unsigned char *key, size_t key_len, const char *id, int64_t timestamp,
                  const char *body, size_t body_len, char out[LMS_SYNC_SIG_MAX], lms_err *err)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	char prefix[160];
	unsigned char *msg;
	int n;

	n = snprintf(prefix, sizeof(prefix), "%s.%lld.", id, (long long)timestamp);
	if (n < 0 || (size_t)n >= sizeof(prefix))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "id", "event id too long");
	if (!(msg = malloc((size_t)n + body_len + 1)))
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
	memcpy(msg, prefix, (size_t)n);
	memcpy(msg + n, body, body_len);
	if (!HMAC(EVP_sha256(), key, (int)key_len, msg, (size_t)n + body_len, mac, &mac_len) ||
	    mac_len != 32) {
		free(msg);
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "cannot compute the signature");
	}
	free(msg);
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)mac_len); /* 44 characters + NUL */
	return LMS_OK;
}

int lms_sync_verify(const unsigned char *key, size_t key_len, const char *id,
                    const char *ts_header, const char *sig_header, const char *body,
                    size_t body_len, int64_t now_s, int64_t tolerance_s, lms_err *err)
{
	char want[LMS_SYNC_SIG_MAX], *end;
	const char *p;
	long long ts;
	int rc;

	if (!id || !*id || strlen(id) > 120 || !ts_header || !sig_header)
		return lms_err_set(err, LMS_EUNAUTH, "signature_invalid", NULL,
		                   "sign the request: webhook-id, webhook-timestamp and "
		                   "webhook-signature are required");
	ts = strtoll(ts_header, &end, 10);
	if (end == ts_header || *end || ts <= 0)
		return lms_err_set(err, LMS_EUNAUTH, "signature_invalid", "webhook-timestamp",
		                   "webhook-timestamp must be Unix seconds");
	if (ts < now_s - tolerance_s || ts > now_s + tolerance_s)
		return lms_err_set(err, LMS_EUNAUTH, "signature_invalid", "webhook-timestamp",
		                   "webhook-timestamp is more than %lld s from parlearn's clock",
		                   (long long)tolerance_s);
	if ((rc = lms_sync_sign(key, key_len, id, ts, body, body_len, want, err)) < 0)
		return rc;
	for (p = sig_header; *p;) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n == strlen(want) && CRYPTO_memcmp(p, want, n) == 0)
			return LMS_OK;
		p += n;
	}
	return lms_err_set(err, LMS_EUNAUTH, "signature_invalid", "webhook-signature",
	                   "the signature does not match the body (wrong secret, or the body "
	                   "changed on the way)");
}

lms_sync_outcome lms_sync_classify(int status, int attempt)
{
	if ((status >= 200 && status < 300) || status == 409)
		return LMS_SYNC_DELIVERED;
	if (status == 0 || status == 429 || status >= 500)
		return attempt >= LMS_SYNC_MAX_ATTEMPTS ? LMS_SYNC_DEAD : LMS_SYNC_RETRY;
	return LMS_SYNC_DEAD;
}

int64_t lms_sync_backoff_us(int attempt, int64_t base_us, double jitter01)
{
	const int64_t cap = 6LL * 3600 * 1000000;
	int64_t d = base_us > 0 ? base_us : 30LL * 1000000;
	int i;

	for (i = 1; i < attempt && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	if (jitter01 < 0 || jitter01 >= 1)
		jitter01 = 0;
	return d + (int64_t)((double)d / 4 * jitter01);
}
