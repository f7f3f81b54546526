/* sync.h — delivering training-record events to the personnel system: issue 6,
 * docs/personnel-sync.md. The Standard Webhooks signature, what an answer means, and when
 * to try again. Pure functions; the outbox is the store's (store.h, sync_* operations) and
 * the HTTP client the server's (server/src/sync_http.c, libcurl).
 */
#ifndef LMS_SYNC_H
#define LMS_SYNC_H

#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_SYNC_KEY_MAX 64
#define LMS_SYNC_SIG_MAX 64        /* "v1," + base64 of 32 bytes, with the NUL */
#define LMS_SYNC_MAX_ATTEMPTS 20   /* then the event is a dead letter */

/* Decodes a Standard Webhooks secret "whsec_<base64>" into key (1..LMS_SYNC_KEY_MAX bytes).
 * LMS_EINVAL "sync_secret_invalid" otherwise (the message never repeats the secret). */
int lms_sync_secret_parse(const char *secret, unsigned char *key, size_t *key_len,
                          lms_err *err);

/* The webhook-signature header value "v1,<base64(HMAC-SHA256(key, id.timestamp.body))>". */
int lms_sync_sign(const unsigned char *key, size_t key_len, const char *id, int64_t timestamp,
                  const char *body, size_t body_len, char out[LMS_SYNC_SIG_MAX], lms_err *err);

/* Verifies a signed request the Standard Webhooks way (a roster push to parlearn): the
 * timestamp header must be within tolerance_s of now_s, and one of the space-separated
 * "v1,<base64>" signatures in sig_header must match (compared in constant time). 0, or
 * LMS_EUNAUTH "signature_invalid" with the reason in words. */
int lms_sync_verify(const unsigned char *key, size_t key_len, const char *id,
                    const char *ts_header, const char *sig_header, const char *body,
                    size_t body_len, int64_t now_s, int64_t tolerance_s, lms_err *err);

typedef enum {
	LMS_SYNC_DELIVERED = 1,    /* 2xx, or 409 (the receiver had it already) */
	LMS_SYNC_RETRY = 2,        /* 429, 5xx, a timeout or a transport error */
	LMS_SYNC_DEAD = 3          /* any other answer, or too many attempts */
} lms_sync_outcome;

/* What an HTTP status means for an event on its attempt'th try (status 0: no answer). */
lms_sync_outcome lms_sync_classify(int status, int attempt);

/* Microseconds to wait before try attempt + 1: base_us (0: 30 s) doubling, at most 6 h, with
 * up to a quarter of random jitter (jitter01 in [0, 1)). */
int64_t lms_sync_backoff_us(int attempt, int64_t base_us, double jitter01);

#endif
