/* certs.h — issuing, finding and revoking certificates (docs/certificates.md). The pieces:
 * cert_code.h (serials and signed verification codes), certificate.h (the PDF), and this
 * file: the rows the store keeps and the issuing pass. A certificate is issued for every
 * course completion that was not failed, by lms_certs_issue_pending (the server runs it in
 * housekeeping and before showing a learner their certificates), each in its own
 * transaction together with its certificate_issued event. */
#ifndef LMS_CERTS_H
#define LMS_CERTS_H

#include "lms/arena.h"
#include "lms/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lms_store;

#define LMS_CERT_KEY_ID 1        /* the first signing key: app_secret "cert_key_1" */
#define LMS_CERT_KEY_BYTES 32

/* A certificate as stored. Dates are "YYYY-MM-DD" in Ho Chi Minh City. */
typedef struct lms_cert_row {
	int64_t id, user_id, unit_id;
	const char *serial, *code, *kind;          /* kind "course" or "exam" */
	const char *learner_name, *employee_code;  /* employee_code NULL without a person */
	const char *title, *course_code;
	int version_no;                            /* 0 when none */
	int periods;                               /* -1 when none */
	int passed;                                /* -1 unknown, 0, 1 */
	bool has_score;
	double score;                              /* scaled 0..1 */
	const char *completed_on, *issued_on;
	const char *issuer_code, *issuer_name, *issuer_parent_name;
	const char *revoked_on, *revoke_reason;    /* NULL while valid */
} lms_cert_row;

/* What issuing needs besides the completion: the signing key and where the evidence lives. */
typedef struct lms_cert_issue_in {
	unsigned key_id;
	const unsigned char *key;
	size_t key_len;
	const char *issuer_code;   /* the issuing unit; NULL: the root of the unit tree */
	const char *public_url;    /* for evidence_url: <public_url>/verify/<code> */
	int64_t now_us;            /* the issue date (its year numbers the serial) */
} lms_cert_issue_in;

/* Issues the certificates still missing for completions (of user_id, or of everyone when 0),
 * at most limit. *issued counts them. Needs the store's signing key (secret_get). */
int lms_certs_issue_pending(struct lms_store *s, int64_t user_id, int limit,
                            const char *issuer_code, const char *public_url, int64_t now_us,
                            int *issued, lms_err *err);

/* The signing key of key_id, from the store's secrets (made at first use). */
int lms_certs_key(struct lms_store *s, unsigned key_id, unsigned char key[LMS_CERT_KEY_BYTES],
                  lms_err *err);

/* ---- keys and rotation (docs/certificates.md "Keys and rotation") ----
 * Keys are numbered from 1; the current one, which signs new certificates, is the highest id
 * not retired (key 1, made at first use, before any rotation). Older keys still verify the
 * certificates they signed until they are retired (their bytes destroyed, their id kept so
 * it is never reused). */
typedef struct lms_cert_key_row {
	unsigned id;
	const char *created_at;   /* UTC, ISO 8601 */
	bool retired;
	int64_t certificates;     /* certificates signed with it */
} lms_cert_key_row;

/* The current signing key and its id. */
int lms_certs_current_key(struct lms_store *s, unsigned *key_id,
                          unsigned char key[LMS_CERT_KEY_BYTES], lms_err *err);
/* Makes the next key and makes it current; *key_id is its id. */
int lms_certs_rotate(struct lms_store *s, unsigned *key_id, lms_err *err);
/* Retires key_id: LMS_ENOTFOUND when no such key, LMS_ECONFLICT when it is the current one
 * ("cert_key_current": rotate first) or retired already. */
int lms_certs_retire(struct lms_store *s, unsigned key_id, lms_err *err);

/* Checks a verification code and finds its certificate: LMS_EINVAL for a code that is not
 * one, LMS_ENOTFOUND when it is well formed but not genuine (a bad signature, an unknown key,
 * or no certificate with that serial and code). */
int lms_certs_verify(struct lms_store *s, const char *code, lms_arena *a, lms_cert_row *out,
                     lms_err *err);

#endif
