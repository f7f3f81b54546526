/* content_url.c — signing and checking content links (see content_url.h). Comparison of
 * MACs is constant-time. */
#include "lms/content_url.h"

#include "lms/error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

#define MAC_CHARS 22

static void mac_of(const unsigned char secret[LMS_CONTENT_SECRET_LEN], const char *msg,
                   size_t len, char out[MAC_CHARS + 1])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned bits = 0, acc = 0;
	size_t i, o = 0;

	HMAC(EVP_sha256(), secret, LMS_CONTENT_SECRET_LEN, (const unsigned char *)msg, len, md,
	     &mdlen);
	for (i = 0; i < mdlen && o < MAC_CHARS; i++) {
		acc = (acc << 8) | md[i];
		bits += 8;
		while (bits >= 6 && o < MAC_CHARS) {
			bits -= 6;
			out[o++] = b64[(acc >> bits) & 63];
		}
	}
	out[o] = '\0';
	OPENSSL_cleanse(md, sizeof(md));
}

int lms_content_token_make(const unsigned char secret[LMS_CONTENT_SECRET_LEN],
                           const char *storage_key, int64_t expires_s, char *out,
                           size_t outsz)
{
	char msg[LMS_CONTENT_TOKEN_MAX], mac[MAC_CHARS + 1];
	int n = snprintf(msg, sizeof(msg), "%s.%lld", storage_key, (long long)expires_s);

	if (n < 0 || (size_t)n >= sizeof(msg))
		return LMS_EINVAL;
	mac_of(secret, msg, (size_t)n, mac);
	n = snprintf(out, outsz, "%s.%s", msg, mac);
	return n < 0 || (size_t)n >= outsz ? LMS_EINVAL : LMS_OK;
}

int lms_content_token_check(const unsigned char secret[LMS_CONTENT_SECRET_LEN],
                            const char *token, size_t len, int64_t now_s, char *key,
                            size_t keysz)
{
	char msg[LMS_CONTENT_TOKEN_MAX], mac[MAC_CHARS + 1];
	const char *dot1, *dot2;
	long long expires = 0;
	size_t i, mlen;

	if (len >= sizeof(msg) || len < MAC_CHARS + 4)
		return LMS_EFORBIDDEN;
	memcpy(msg, token, len);
	msg[len] = '\0';
	dot2 = strrchr(msg, '.');
	if (!dot2 || strlen(dot2 + 1) != MAC_CHARS)
		return LMS_EFORBIDDEN;
	mlen = (size_t)(dot2 - msg);
	mac_of(secret, msg, mlen, mac);
	if (CRYPTO_memcmp(mac, dot2 + 1, MAC_CHARS) != 0)
		return LMS_EFORBIDDEN;
	msg[mlen] = '\0';
	dot1 = strrchr(msg, '.');
	if (!dot1 || dot1 == msg || (size_t)(dot1 - msg) >= keysz)
		return LMS_EFORBIDDEN;
	for (i = 1; dot1[i]; i++) {
		if (dot1[i] < '0' || dot1[i] > '9' || i > 12)
			return LMS_EFORBIDDEN;
		expires = expires * 10 + (dot1[i] - '0');
	}
	if (expires <= now_s)
		return LMS_EUNAUTH;
	memcpy(key, msg, (size_t)(dot1 - msg));
	key[dot1 - msg] = '\0';
	return LMS_OK;
}
