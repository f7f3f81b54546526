/* certs.c — the issuing pass and verification of certificates (certs.h). */
#include "lms/certs.h"

#include "lms/cert_code.h"
#include "lms/store.h"

#include <stdio.h>
#include <string.h>

int lms_certs_key(lms_store *s, unsigned key_id, unsigned char key[LMS_CERT_KEY_BYTES],
                  lms_err *err)
{
	char name[32];

	snprintf(name, sizeof(name), "cert_key_%u", key_id);
	return s->ops->secret_get(s, name, LMS_CERT_KEY_BYTES, key, err);
}

int lms_certs_issue_pending(lms_store *s, int64_t user_id, int limit, const char *issuer_code,
                            const char *public_url, int64_t now_us, int *issued, lms_err *err)
{
	unsigned char key[LMS_CERT_KEY_BYTES];
	lms_cert_issue_in in;
	lms_arena *a = lms_arena_new();
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	*issued = 0;
	if ((rc = s->ops->cert_pending(s, user_id, limit, a, &ids, &n, err)) < 0 || n == 0)
		goto done;
	if ((rc = lms_certs_key(s, LMS_CERT_KEY_ID, key, err)) < 0)
		goto done;
	memset(&in, 0, sizeof(in));
	in.key_id = LMS_CERT_KEY_ID;
	in.key = key;
	in.key_len = sizeof(key);
	in.issuer_code = issuer_code;
	in.public_url = public_url;
	in.now_us = now_us;
	for (i = 0; i < n; i++) {
		bool done_one = false;

		if ((rc = s->ops->cert_issue(s, ids[i], &in, &done_one, err)) < 0)
			break;
		*issued += done_one;
	}
	memset(key, 0, sizeof(key));
done:
	lms_arena_free(a);
	return rc;
}

struct keyctx {
	lms_store *s;
	unsigned char key[LMS_CERT_KEY_BYTES];
};

static int key_lookup(void *ctx, unsigned key_id, const unsigned char **key, size_t *key_len)
{
	struct keyctx *k = ctx;
	lms_err e;

	/* Only keys that were made; secret_get would make a new one for any id asked. */
	if (key_id != LMS_CERT_KEY_ID || lms_certs_key(k->s, key_id, k->key, &e) < 0)
		return -1;
	*key = k->key;
	*key_len = sizeof(k->key);
	return 0;
}

int lms_certs_verify(lms_store *s, const char *code, lms_arena *a, lms_cert_row *out,
                     lms_err *err)
{
	struct keyctx k;
	lms_cert_serial serial;
	char text[LMS_CERT_SERIAL_BUF], want[LMS_CERT_CODE_BUF];
	unsigned key_id = 0;
	lms_cert_row row;
	int rc;

	memset(&k, 0, sizeof(k));
	k.s = s;
	rc = lms_cert_code_check(&serial, &key_id, code, code ? strlen(code) : 0, key_lookup, &k, err);
	if (rc == LMS_EINVAL)
		goto out;
	if (rc < 0) {
		rc = lms_err_set(err, LMS_ENOTFOUND, "certificate_not_genuine", "code",
		                 "no certificate has this verification code");
		goto out;
	}
	if ((rc = lms_cert_serial_format(text, serial, err)) < 0 ||
	    (rc = lms_cert_code_make(want, key_id, k.key, sizeof(k.key), serial, err)) < 0)
		goto out;
	if ((rc = s->ops->cert_get(s, text, a, &row, err)) < 0 || strcmp(row.code, want) != 0) {
		rc = lms_err_set(err, LMS_ENOTFOUND, "certificate_not_genuine", "code",
		                 "no certificate has this verification code");
		goto out;
	}
	*out = row;
out:
	memset(&k, 0, sizeof(k));
	return rc;
}
