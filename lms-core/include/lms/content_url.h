/* content_url.h — signed links to a package version's files.
 *
 * Package content is served from a separate origin (docs/decisions/0005) that never sees a
 * session: who may open a version is decided by the application, which hands out a link
 * /c/<token>/<path> whose token names the version's storage key, an expiry time and an
 * HMAC-SHA256 over both with the installation's secret. Any node can check it without the
 * database. Tokens are URL-safe: <key>.<expiry>.<mac> with mac = 22 base64url characters
 * (the first 128 bits of the HMAC).
 */
#ifndef LMS_CONTENT_URL_H
#define LMS_CONTENT_URL_H

#include <stddef.h>
#include <stdint.h>

#define LMS_CONTENT_SECRET_LEN 32
#define LMS_CONTENT_TOKEN_MAX 128

/* Writes the token for storage_key valid until expires_s (Unix seconds) into out. */
int lms_content_token_make(const unsigned char secret[LMS_CONTENT_SECRET_LEN],
                           const char *storage_key, int64_t expires_s, char *out,
                           size_t outsz);

/* Checks token[0..len) at now_s. 0 with the storage key copied into key (keysz bytes);
 * LMS_EFORBIDDEN when the MAC is wrong or the token malformed, LMS_EUNAUTH when expired. */
int lms_content_token_check(const unsigned char secret[LMS_CONTENT_SECRET_LEN],
                            const char *token, size_t len, int64_t now_s, char *key,
                            size_t keysz);

#endif
