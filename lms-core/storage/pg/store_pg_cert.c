/* store_pg_cert.c — certificates (certs.h, 0009_certificate.sql): the completions still
 * without one, issuing one with its event in a transaction (the serial numbered without gaps
 * per year: the year's counter row is locked until commit, and a lost race rolls it back),
 * finding, listing, and revoking with its event. */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/cert_code.h"
#include "lms/certs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HCM_DAY(c) "to_char(" c " AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD')"

enum { C_PENDING, C_YEAR, C_SERIAL, C_INSERT, C_GET, C_LIST, C_REVOKE, C_EXISTS, C__COUNT };
_Static_assert(PGX_CERT_SLOT + C__COUNT <= PGX_CERT_KEY_SLOT, "too many certificate statements");

#define ROW_COLS                                                                          \
	"c.id, c.user_id, coalesce(c.unit_id, 0), c.serial, c.code, c.kind, c.learner_name, "  \
	"c.employee_code, c.title, co.code, coalesce(c.version_no, 0), coalesce(c.periods, -1), " \
	"CASE WHEN c.passed IS NULL THEN -1 WHEN c.passed THEN 1 ELSE 0 END, c.score, "       \
	HCM_DAY("c.completed_at") ", " HCM_DAY("c.issued_at") ", iu.code, iu.name, ip.name, "  \
	HCM_DAY("c.revoked_at") ", c.revoke_reason "
#define ROW_FROM                                                                          \
	"FROM certificate c LEFT JOIN course co ON co.id = c.course_id "                      \
	"JOIN org_unit iu ON iu.id = c.issuing_unit_id LEFT JOIN org_unit ip ON ip.id = iu.parent_id "

/* The event of a certificate (certificate_issued or _revoked), as the sync pushes it. */
#define EVENT_JSON(kind, id_prefix, url_param, extra)                                     \
	"json_build_object('version', 1, 'event_id', '" id_prefix "' || x.id, 'kind', '" kind "', " \
	"'occurred_at', x.at, 'employee_code', p.employee_code, 'unit_code', pu.code, "        \
	"'course_code', co.code, 'course_version', x.version_no, 'title', x.title, "            \
	"'certificate_serial', x.serial, "                                                     \
	"'issuing_unit_code', iu.code, 'evidence_url', " url_param " || '/verify/' || x.code" extra ")"

static const pgx_stmt stmts[C__COUNT] = {
	[C_PENDING] = { "SELECT c.id FROM completion c WHERE c.passed IS NOT FALSE "
	                "AND ($1::bigint = 0 OR c.user_id = $1::bigint) "
	                "AND NOT EXISTS (SELECT 1 FROM certificate t WHERE t.completion_id = c.id) "
	                "ORDER BY c.id LIMIT $2::int", 2, 1 },
	[C_YEAR] = { "SELECT extract(year FROM to_timestamp($1::bigint / 1000000.0) "
	             "AT TIME ZONE 'Asia/Ho_Chi_Minh')::int", 1, 1 },
	[C_SERIAL] = { "INSERT INTO certificate_serial (year, last_seq) VALUES ($1::int, 1) "
	               "ON CONFLICT (year) DO UPDATE SET last_seq = certificate_serial.last_seq + 1 "
	               "RETURNING last_seq", 1, 0 },
	/* $1 completion, $2 serial, $3 code, $4 key id, $5 issuer code or NULL, $6 public URL,
	 * $7 issue time (µs). Nothing when the completion has a certificate already or is
	 * unknown; the event is routable when the learner is a person of the roster. */
	[C_INSERT] = {
		"WITH src AS (SELECT c.id AS completion_id, c.user_id, u.person_id, p.unit_id, "
		" coalesce(p.full_name, u.display_name) AS learner_name, p.employee_code, c.course_id, "
		" v.version_no, co.title, c.passed, c.score_scaled, v.training_periods, c.completed_at, "
		" (SELECT id FROM org_unit WHERE CASE WHEN $5::text IS NULL THEN parent_id IS NULL "
		"  ELSE code = $5 END ORDER BY id LIMIT 1) AS issuer "
		" FROM completion c JOIN app_user u ON u.id = c.user_id LEFT JOIN person p ON p.id = u.person_id "
		" JOIN course co ON co.id = c.course_id JOIN course_version v ON v.id = c.version_id "
		" WHERE c.id = $1::bigint AND c.passed IS NOT FALSE), "
		"x AS (INSERT INTO certificate (serial, code, key_id, kind, completion_id, user_id, person_id, "
		" unit_id, learner_name, employee_code, course_id, version_no, title, passed, score, periods, "
		" completed_at, issued_at, issuing_unit_id) "
		" SELECT $2, $3, $4::int, 'course', completion_id, user_id, person_id, unit_id, learner_name, "
		" employee_code, course_id, version_no, title, passed, score_scaled, training_periods, "
		" completed_at, to_timestamp($7::bigint / 1000000.0), issuer FROM src WHERE issuer IS NOT NULL "
		" ON CONFLICT (completion_id) DO NOTHING "
		" RETURNING id, serial, code, person_id, course_id, version_no, title, periods, "
		" issuing_unit_id, issued_at AS at), "
		"o AS (INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, occurred_at, "
		" payload, state) SELECT 'crt_' || x.id, 'certificate_issued', p.id, p.employee_code, p.unit_id, "
		" x.at, " EVENT_JSON("certificate_issued", "crt_", "$6", ", 'training_periods', x.periods") ", "
		" CASE WHEN p.id IS NULL THEN 'unroutable' ELSE 'pending' END "
		" FROM x LEFT JOIN person p ON p.id = x.person_id LEFT JOIN org_unit pu ON pu.id = p.unit_id "
		" JOIN course co ON co.id = x.course_id JOIN org_unit iu ON iu.id = x.issuing_unit_id "
		" RETURNING seq) "
		"SELECT (SELECT count(*) FROM x), (SELECT count(*) FROM o), "
		"(SELECT count(*) FROM src WHERE issuer IS NULL)", 7, 0 },
	[C_GET] = { "SELECT " ROW_COLS ROW_FROM "WHERE c.serial = $1", 1, 1 },
	[C_LIST] = { "SELECT " ROW_COLS ROW_FROM "WHERE c.user_id = $1::bigint ORDER BY c.issued_at DESC, c.id DESC "
	             "LIMIT 500", 1, 1 },
	/* $1 serial, $2 by, $3 reason, $4 public URL. */
	[C_REVOKE] = {
		"WITH x AS (UPDATE certificate SET revoked_at = now(), revoked_by = $2, revoke_reason = $3 "
		" WHERE serial = $1 AND revoked_at IS NULL "
		" RETURNING id, serial, code, person_id, course_id, version_no, title, periods, "
		" issuing_unit_id, revoked_at AS at, revoke_reason), "
		"o AS (INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, occurred_at, "
		" payload, state) SELECT 'crv_' || x.id, 'certificate_revoked', p.id, p.employee_code, p.unit_id, "
		" x.at, " EVENT_JSON("certificate_revoked", "crv_", "$4", ", 'revokes_event_id', 'crt_' || x.id, "
		"'reason', x.revoke_reason") ", "
		" CASE WHEN p.id IS NULL THEN 'unroutable' ELSE 'pending' END "
		" FROM x LEFT JOIN person p ON p.id = x.person_id LEFT JOIN org_unit pu ON pu.id = p.unit_id "
		" LEFT JOIN course co ON co.id = x.course_id JOIN org_unit iu ON iu.id = x.issuing_unit_id "
		" RETURNING seq) "
		"SELECT (SELECT count(*) FROM x), (SELECT count(*) FROM o)", 4, 0 },
	[C_EXISTS] = { "SELECT revoked_at IS NOT NULL FROM certificate WHERE serial = $1", 1, 1 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_CERT_SLOT + id, &stmts[id], v, rc, err);
}

int pgc_pending(lms_store *s, int64_t user_id, int limit, lms_arena *a, int64_t **ids, size_t *n,
                lms_err *err)
{
	const char *v[2] = { pgu_num(a, user_id), pgu_num(a, limit) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, C_PENDING, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*ids = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(int64_t));
	for (i = 0; i < rows; i++)
		(*ids)[i] = pgu_i64(r, i, 0);
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

int pgc_issue_with(lms_store *s, int insert_slot, const pgx_stmt *insert, int64_t source_id,
                   const lms_cert_issue_in *in, bool *issued, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	char serial_text[LMS_CERT_SERIAL_BUF], code[LMS_CERT_CODE_BUF];
	lms_cert_serial serial;
	const char *v[7];
	PGresult *r = NULL;
	int rc;

	*issued = false;
	v[0] = pgu_num(a, in->now_us);
	if (!(r = run(s, C_YEAR, v, &rc, err)))
		goto out;
	serial.year = (int)pgu_i64(r, 0, 0);
	PQclear(r);
	r = NULL;
	if ((rc = pgx_begin(s, err)) < 0)
		goto out;
	v[0] = pgu_num(a, serial.year);
	if (!(r = run(s, C_SERIAL, v, &rc, err)))
		goto rollback;
	serial.seq = (uint32_t)pgu_i64(r, 0, 0);
	PQclear(r);
	r = NULL;
	if ((rc = lms_cert_serial_format(serial_text, serial, err)) < 0 ||
	    (rc = lms_cert_code_make(code, in->key_id, in->key, in->key_len, serial, err)) < 0)
		goto rollback;
	v[0] = pgu_num(a, source_id);
	v[1] = serial_text;
	v[2] = code;
	v[3] = pgu_num(a, in->key_id);
	v[4] = in->issuer_code;
	v[5] = in->public_url ? in->public_url : "";
	v[6] = pgu_num(a, in->now_us);
	if (!(r = pgx_run(s, insert_slot, insert, v, &rc, err)))
		goto rollback;
	/* a third column, when the statement has one, counts sources without an issuing unit */
	if (PQnfields(r) >= 3 && pgu_i64(r, 0, 2) > 0) {
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "issuer",
		                 "no issuing unit %s: certificates cannot be issued", in->issuer_code ?
		                 in->issuer_code : "(no unit at all)");
		goto rollback;
	}
	if (pgu_i64(r, 0, 0) != 1)
		goto rollback; /* issued by another node meanwhile: give the serial back */
	PQclear(r);
	r = NULL;
	if ((rc = pgx_commit(s, err)) == 0)
		*issued = true;
	goto out;
rollback:
	PQclear(r);
	r = NULL;
	pgx_rollback(s);
out:
	lms_arena_free(a);
	return rc;
}

int pgc_issue(lms_store *s, int64_t completion_id, const lms_cert_issue_in *in, bool *issued,
              lms_err *err)
{
	return pgc_issue_with(s, PGX_CERT_SLOT + C_INSERT, &stmts[C_INSERT], completion_id, in,
	                      issued, err);
}

static void read_row(lms_arena *a, PGresult *r, int i, lms_cert_row *o)
{
	memset(o, 0, sizeof(*o));
	o->id = pgu_i64(r, i, 0);
	o->user_id = pgu_i64(r, i, 1);
	o->unit_id = pgu_i64(r, i, 2);
	o->serial = pgu_str(a, r, i, 3);
	o->code = pgu_str(a, r, i, 4);
	o->kind = pgu_str(a, r, i, 5);
	o->learner_name = pgu_str(a, r, i, 6);
	o->employee_code = pgu_str(a, r, i, 7);
	o->title = pgu_str(a, r, i, 8);
	o->course_code = pgu_str(a, r, i, 9);
	o->version_no = (int)pgu_i64(r, i, 10);
	o->periods = (int)pgu_i64(r, i, 11);
	o->passed = (int)pgu_i64(r, i, 12);
	if ((o->has_score = !PQgetisnull(r, i, 13)))
		o->score = strtod(PQgetvalue(r, i, 13), NULL);
	o->completed_on = pgu_str(a, r, i, 14);
	o->issued_on = pgu_str(a, r, i, 15);
	o->issuer_code = pgu_str(a, r, i, 16);
	o->issuer_name = pgu_str(a, r, i, 17);
	o->issuer_parent_name = pgu_str(a, r, i, 18);
	o->revoked_on = pgu_str(a, r, i, 19);
	o->revoke_reason = pgu_str(a, r, i, 20);
}

int pgc_get(lms_store *s, const char *serial, lms_arena *a, lms_cert_row *out, lms_err *err)
{
	const char *v[1] = { serial };
	PGresult *r;
	int rc;

	if (!(r = run(s, C_GET, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "serial", "no certificate %s", serial);
	}
	read_row(a, r, 0, out);
	PQclear(r);
	return LMS_OK;
}

int pgc_list(lms_store *s, int64_t user_id, lms_arena *a, lms_cert_row **out, size_t *n,
             lms_err *err)
{
	const char *v[1] = { pgu_num(a, user_id) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, C_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(lms_cert_row));
	for (i = 0; i < rows; i++)
		read_row(a, r, i, &(*out)[i]);
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

int pgc_revoke(lms_store *s, const char *serial, const char *by, const char *reason,
               const char *public_url, lms_err *err)
{
	const char *v[4] = { serial, by, reason, public_url ? public_url : "" };
	PGresult *r;
	int rc;
	int64_t n;

	if (!(r = run(s, C_REVOKE, v, &rc, err)))
		return rc;
	n = pgu_i64(r, 0, 0);
	PQclear(r);
	if (n == 1)
		return LMS_OK;
	if (!(r = run(s, C_EXISTS, v, &rc, err)))
		return rc;
	rc = PQntuples(r) == 1 ? lms_err_set(err, LMS_ECONFLICT, "already_revoked", "serial",
	                                     "certificate %s was revoked already", serial)
	                       : lms_err_set(err, LMS_ENOTFOUND, "not_found", "serial",
	                                     "no certificate %s", serial);
	PQclear(r);
	return rc;
}
