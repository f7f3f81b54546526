/* cert_code.h — certificate serial numbers and their verification codes (issue: certificates;
 * docs/certificates.md).
 *
 * A serial is "PAR-<year>-<sequence>", the sequence zero-padded to 6 digits and widened to 7
 * or 8 digits past 999999 ("PAR-2026-000123", "PAR-2026-1000000"). Exactly one spelling of
 * each serial is accepted.
 *
 * A verification code is what is printed under the QR code and typed into /verify/{code}:
 *
 *     KK-YYYY-SSSSSS-TTTTT-TTTTT-TTTTT-TTTTT      e.g. 01-2026-000123-RTHZQ-HRZ41-2WJJ0-T9MSN
 *
 * KK is the key id (two Crockford base32 symbols, 0..1023), YYYY-SSSSSS the serial's digits,
 * and T.. the tag: the first 100 bits of HMAC-SHA256(key, "parlearn-cert-code-v1" NUL KK NUL
 * serial) in 20 Crockford base32 symbols. Crockford's alphabet (0-9, A-Z without I L O U)
 * makes the code case-insensitive, URL-safe and hard to misread; when checking, dashes and
 * spaces are ignored, lower case is upper case, O reads as 0 and I, L as 1.
 *
 * Pure: keys come from the caller (the server reads key files), nothing is stored here;
 * whether a certificate was revoked is the store's business, not the code's.
 */
#ifndef LMS_CERT_CODE_H
#define LMS_CERT_CODE_H

#include "lms/error.h"

#include <stddef.h>
#include <stdint.h>

#define LMS_CERT_YEAR_MIN 2000
#define LMS_CERT_YEAR_MAX 9999
#define LMS_CERT_SEQ_MAX 99999999u   /* 8 digits; 6 until 999999, then widened */
#define LMS_CERT_SERIAL_BUF 20       /* "PAR-2026-99999999" and the NUL fit */
#define LMS_CERT_KEY_ID_MAX 1023u    /* two base32 symbols */
#define LMS_CERT_KEY_MIN 32          /* bytes; shorter keys are refused */
#define LMS_CERT_KEY_MAX 256
#define LMS_CERT_TAG_BITS 100
#define LMS_CERT_CODE_BUF 48         /* the longest code (40 characters) and the NUL fit */
#define LMS_CERT_CODE_INPUT_MAX 128  /* longer input is refused before it is read */

/* Stable error codes (lms_err.code) of lms_cert_code_check. */
#define LMS_CERT_ERR_MALFORMED "cert_code_malformed"         /* LMS_EINVAL */
#define LMS_CERT_ERR_UNKNOWN_KEY "cert_key_unknown"          /* LMS_ENOTFOUND */
#define LMS_CERT_ERR_BAD_SIGNATURE "cert_code_bad_signature" /* LMS_EFORBIDDEN */

typedef struct lms_cert_serial {
	int year;     /* LMS_CERT_YEAR_MIN..LMS_CERT_YEAR_MAX */
	uint32_t seq; /* 1..LMS_CERT_SEQ_MAX */
} lms_cert_serial;

/* Writes the serial ("PAR-2026-000123") into out. LMS_EINVAL "cert_serial_invalid" when the
 * year or the sequence is out of range. */
int lms_cert_serial_format(char out[LMS_CERT_SERIAL_BUF], lms_cert_serial serial,
                           lms_err *err);

/* Parses text[0..len) (no NUL needed; nothing past len is read). Only the canonical form is
 * accepted: upper-case "PAR", dashes, a 4-digit year in range, a sequence of exactly 6 digits
 * or of 7-8 digits without a leading zero, not 0. LMS_EINVAL "cert_serial_invalid" otherwise. */
int lms_cert_serial_parse(lms_cert_serial *out, const char *text, size_t len, lms_err *err);

/* Writes the verification code of serial under key key_id into out (upper case, with
 * dashes). key_len must be LMS_CERT_KEY_MIN..LMS_CERT_KEY_MAX bytes ("cert_key_too_short" /
 * "cert_key_too_long"), key_id at most LMS_CERT_KEY_ID_MAX; LMS_EINVAL otherwise, and
 * LMS_EINTERNAL if OpenSSL fails. */
int lms_cert_code_make(char out[LMS_CERT_CODE_BUF], unsigned key_id, const unsigned char *key,
                       size_t key_len, lms_cert_serial serial, lms_err *err);

/* Finds the key with this id. Returns 0 and points *key at it (borrowed: it must stay valid
 * until the check returns), LMS_ENOTFOUND when there is no such key (never issued, or retired),
 * or another negative code (passed up unchanged). */
typedef int (*lms_cert_key_lookup)(void *ctx, unsigned key_id, const unsigned char **key,
                                   size_t *key_len);

/* Checks code[0..len) (as typed or scanned; no NUL needed; nothing past len is read). On
 * success fills *serial and, when key_id is not NULL, *key_id. Fails with
 *   LMS_EINVAL     LMS_CERT_ERR_MALFORMED      not a code: wrong length, a symbol outside
 *                                              Crockford base32, a serial out of range;
 *   LMS_ENOTFOUND  LMS_CERT_ERR_UNKNOWN_KEY    no key with that id;
 *   LMS_EFORBIDDEN LMS_CERT_ERR_BAD_SIGNATURE  the tag does not match (forged or mistyped);
 *   LMS_EINTERNAL  "cert_key_too_short"        the lookup gave a key under 32 bytes;
 * or what the lookup returned. The tag is compared with CRYPTO_memcmp. */
int lms_cert_code_check(lms_cert_serial *serial, unsigned *key_id, const char *code,
                        size_t len, lms_cert_key_lookup lookup, void *ctx, lms_err *err);

#endif
