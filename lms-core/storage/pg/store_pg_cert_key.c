/* store_pg_cert_key.c — the signing keys of certificate verification codes (certs.h,
 * docs/certificates.md "Keys and rotation"): app_secret rows "cert_key_<id>". A key is made
 * with fresh random bytes by rotation (the next id after the highest ever made); it is
 * retired by emptying its bytes, so its id stays taken and is never reused for other bytes.
 * The current key is the highest id not retired. */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/cert_code.h"
#include "lms/certs.h"

#include <openssl/rand.h>

#include <stdio.h>
#include <string.h>

enum { K_LIST, K_GET, K_ROTATE, K_RETIRE, K__COUNT };
_Static_assert(PGX_CERT_KEY_SLOT + K__COUNT <= 96, "too many certificate key statements");

#define KEY_ID "substring(s.name FROM 10)::int"
#define KEY_ROWS "FROM app_secret s WHERE s.name ~ '^cert_key_[0-9]{1,4}$'"

static const pgx_stmt stmts[K__COUNT] = {
	[K_LIST] = { "SELECT " KEY_ID ", to_char(s.created_at AT TIME ZONE 'UTC', "
	             "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), length(s.value) = 0, "
	             "(SELECT count(*) FROM certificate c WHERE c.key_id = " KEY_ID ") "
	             KEY_ROWS " ORDER BY 1", 0, 0 },
	[K_GET] = { "SELECT encode(value, 'hex') FROM app_secret "
	            "WHERE name = 'cert_key_' || $1::int AND length(value) > 0", 1, 1 },
	/* the next id after every one made (retired ones included); a concurrent rotation
	 * loses on the primary key and is reported, never merged */
	[K_ROTATE] = { "INSERT INTO app_secret (name, value) SELECT 'cert_key_' || "
	               "(coalesce(max(" KEY_ID "), 0) + 1), decode($1, 'hex') " KEY_ROWS
	               " HAVING coalesce(max(" KEY_ID "), 0) < $2::int "
	               "RETURNING substring(name FROM 10)::int", 2, 0 },
	/* never the current key: only one with a newer key not retired after it */
	[K_RETIRE] = { "UPDATE app_secret SET value = '\\x'::bytea "
	               "WHERE name = 'cert_key_' || $1::int AND length(value) > 0 "
	               "AND EXISTS (SELECT 1 " KEY_ROWS " AND " KEY_ID " > $1::int "
	               "AND length(s.value) > 0) RETURNING 1", 1, 0 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_CERT_KEY_SLOT + id, &stmts[id], v, rc, err);
}

int pgk_list(lms_store *s, lms_arena *a, lms_cert_key_row **out, size_t *n, lms_err *err)
{
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, K_LIST, NULL, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(lms_cert_key_row));
	for (i = 0; i < rows; i++) {
		lms_cert_key_row *k = &(*out)[i];
		k->id = (unsigned)pgu_i64(r, i, 0);
		k->created_at = pgu_str(a, r, i, 1);
		k->retired = pgu_bool(r, i, 2);
		k->certificates = pgu_i64(r, i, 3);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int pgk_get(lms_store *s, unsigned id, unsigned char *key, bool *found,
            lms_err *err)
{
	char num[16];
	const char *v[1] = { num };
	const char *hex;
	PGresult *r;
	size_t i;
	int rc;

	*found = false;
	snprintf(num, sizeof(num), "%u", id);
	if (!(r = run(s, K_GET, v, &rc, err)))
		return rc;
	hex = PQntuples(r) ? PQgetvalue(r, 0, 0) : "";
	if (strlen(hex) == 2 * LMS_CERT_KEY_BYTES) {
		*found = true;
		for (i = 0; i < LMS_CERT_KEY_BYTES; i++) {
			int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
			if (hi < 0 || lo < 0)
				*found = false;
			key[i] = (unsigned char)((hi & 15) << 4 | (lo & 15));
		}
	}
	PQclear(r);
	if (!*found)
		memset(key, 0, LMS_CERT_KEY_BYTES);
	return LMS_OK;
}

int pgk_rotate(lms_store *s, unsigned *id, lms_err *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char fresh[LMS_CERT_KEY_BYTES];
	char hex[2 * LMS_CERT_KEY_BYTES + 1], max[16];
	const char *v[2] = { hex, max };
	PGresult *r;
	size_t i;
	int rc;

	if (RAND_bytes(fresh, (int)sizeof(fresh)) != 1)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "no random bytes for a key");
	for (i = 0; i < sizeof(fresh); i++) {
		hex[2 * i] = digits[fresh[i] >> 4];
		hex[2 * i + 1] = digits[fresh[i] & 15];
	}
	hex[sizeof(hex) - 1] = '\0';
	memset(fresh, 0, sizeof(fresh));
	snprintf(max, sizeof(max), "%u", (unsigned)LMS_CERT_KEY_ID_MAX);
	r = run(s, K_ROTATE, v, &rc, err);
	memset(hex, 0, sizeof(hex));
	if (!r) {
		if (err->code[0] && strcmp(err->code, "conflict") == 0)
			return lms_err_set(err, LMS_ECONFLICT, "cert_key_race", NULL,
			                   "another node made a key at the same time; run it again");
		return rc;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ECONFLICT, "cert_key_ids_used", NULL,
		                   "every key id up to %u has been used", (unsigned)LMS_CERT_KEY_ID_MAX);
	}
	*id = (unsigned)pgu_i64(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

int pgk_retire(lms_store *s, unsigned id, bool *retired, lms_err *err)
{
	char num[16];
	const char *v[1] = { num };
	PGresult *r;
	int rc;

	snprintf(num, sizeof(num), "%u", id);
	if (!(r = run(s, K_RETIRE, v, &rc, err)))
		return rc;
	*retired = PQntuples(r) == 1;
	PQclear(r);
	return LMS_OK;
}
