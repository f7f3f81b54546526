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

int lms_certs_current_key(lms_store *s, unsigned *key_id, unsigned char key[LMS_CERT_KEY_BYTES],
                          lms_err *err)
{
	lms_arena *a = lms_arena_new();
	lms_cert_key_row *keys = NULL;
	size_t n = 0, i;
	bool found = false;
	int rc;

	*key_id = 0;
	if ((rc = s->ops->cert_key_list(s, a, &keys, &n, err)) < 0)
		goto out;
	for (i = n; i-- > 0 && !*key_id;)
		if (!keys[i].retired)
			*key_id = keys[i].id;
	if (n == 0) {
		/* before any rotation: key 1, made at first use */
		*key_id = LMS_CERT_KEY_ID;
		rc = lms_certs_key(s, LMS_CERT_KEY_ID, key, err);
		goto out;
	}
	if (*key_id == 0) {
		rc = lms_err_set(err, LMS_ECONFLICT, "cert_key_none", NULL,
		                 "every certificate key is retired: make a new one "
		                 "(parlearn certificate key rotate)");
		goto out;
	}
	if ((rc = s->ops->cert_key_get(s, *key_id, key, &found, err)) == 0 && !found)
		rc = lms_err_set(err, LMS_ECONFLICT, "cert_key_race", NULL,
		                 "the current certificate key changed meanwhile; try again");
out:
	lms_arena_free(a);
	return rc;
}

int lms_certs_rotate(lms_store *s, unsigned *key_id, lms_err *err)
{
	unsigned char key[LMS_CERT_KEY_BYTES];
	int rc;

	/* key 1 exists before the first rotation makes key 2 (it may have signed certificates
	 * already without a row of its own yet: it is made at first use) */
	if ((rc = lms_certs_current_key(s, key_id, key, err)) < 0 && rc != LMS_ECONFLICT)
		return rc;
	memset(key, 0, sizeof(key));
	lms_err_clear(err);
	return s->ops->cert_key_rotate(s, key_id, err);
}

int lms_certs_retire(lms_store *s, unsigned key_id, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	lms_cert_key_row *keys = NULL;
	size_t n = 0, i;
	bool retired = false;
	int rc;

	if ((rc = s->ops->cert_key_retire(s, key_id, &retired, err)) < 0 || retired)
		goto out;
	if ((rc = s->ops->cert_key_list(s, a, &keys, &n, err)) < 0)
		goto out;
	for (i = 0; i < n && keys[i].id != key_id; i++)
		;
	if (i == n)
		rc = lms_err_set(err, LMS_ENOTFOUND, "cert_key_unknown", "key",
		                 "there is no certificate key %u", key_id);
	else if (keys[i].retired)
		rc = lms_err_set(err, LMS_ECONFLICT, "cert_key_retired", "key",
		                 "certificate key %u was retired already", key_id);
	else
		rc = lms_err_set(err, LMS_ECONFLICT, "cert_key_current", "key",
		                 "certificate key %u signs new certificates: make a new key first "
		                 "(parlearn certificate key rotate)", key_id);
out:
	lms_arena_free(a);
	return rc;
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
	memset(&in, 0, sizeof(in));
	if ((rc = lms_certs_current_key(s, &in.key_id, key, err)) < 0)
		goto done;
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
	bool found = false;
	lms_err e;

	/* Only keys that were made and not retired (secret_get would make one for any id). A
	 * database failure is passed up as such, never as "not genuine". */
	if (k->s->ops->cert_key_get(k->s, key_id, k->key, &found, &e) < 0)
		return e.rc < 0 ? e.rc : LMS_ESTORAGE;
	if (!found)
		return LMS_ENOTFOUND;
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
	if (rc == LMS_EINVAL || (rc < 0 && rc != LMS_ENOTFOUND && rc != LMS_EFORBIDDEN))
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
