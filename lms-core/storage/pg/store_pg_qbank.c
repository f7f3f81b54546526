/* store_pg_qbank.c — the question bank's storage (qbank.h, lms_qbank_ops;
 * schemas/sql/0011_question_bank.sql).
 *
 * An import is one transaction, written set-based so that a 5,000-question file takes a
 * few statements, not thousands: the import's record, the categories (one statement per
 * depth of the tree, parents first), a block of ids taken from the sequences, then the
 * questions, their first versions, tags and files, each one INSERT over arrays (unnest).
 * A city-wide advisory lock serialises imports, so "the same file into the same category"
 * is decided before anything is written (the unique index would catch a race anyway).
 * An edit locks the question's row, checks its current version, appends the next version
 * and moves the question to it. Versions and files are only ever inserted (0011's triggers
 * refuse anything else). Every statement is a named constant run with bound parameters.
 */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/assess_files.h"
#include "lms/qbank.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PGX_QBANK_SLOT 128
#define US(c) "(extract(epoch from " c ") * 1000000)::bigint"
#define VI "COLLATE \"vi-VN-x-icu\""
/* c.path in the subtree of the path in parameter p ('' for every question) */
#define IN_CATEGORY(p)                                                                   \
	"(" p "::text = '' OR c.path = " p " OR left(c.path, length(" p ") + 1) = " p " || '/')"
#define ROW_COLS                                                                         \
	"q.id, coalesce(c.path, ''), q.qtype, q.name, q.current_version, v.id, v.difficulty, " \
	"coalesce((SELECT string_agg(t.tag, ', ' ORDER BY t.tag " VI ") FROM question_tag t " \
	"WHERE t.question_id = q.id), ''), q.created_by, " US("q.created_at") ", "           \
	US("v.created_at") ", q.retired_at IS NOT NULL "
#define ROW_FROM                                                                         \
	"FROM question q JOIN question_version v ON v.question_id = q.id "                   \
	"AND v.version_no = q.current_version LEFT JOIN question_category c ON c.id = q.category_id "
#define ROW_ORDER "ORDER BY coalesce(c.path, '') " VI ", q.name " VI ", q.id "

enum {
	Q_LOCK, Q_FIND_IMPORT, Q_RECORD, Q_CATS, Q_IDS, Q_VIDS, Q_QUESTIONS, Q_VERSIONS, Q_TAGS,
	Q_FILES, Q_CATEGORIES, Q_LIST, Q_GET, Q_GET_VERSIONS, Q_BODY_VERSION, Q_BODY_CURRENT,
	Q_BODY_CATEGORY, Q_FILES_OF, Q_EDIT_LOCK, Q_EDIT_MOVE, Q_TAGS_CLEAR, Q_FILE, Q__COUNT
};
_Static_assert(PGX_QBANK_SLOT + Q__COUNT < 160, "the question bank has slots 128..159");
_Static_assert(PGX_QBANK_SLOT + Q__COUNT + PGX_SLOT_BASE <= PGX_SLOTS, "slots");

static const pgx_stmt stmts[Q__COUNT] = {
	/* One import at a time, city-wide ("qbank" as a number). */
	[Q_LOCK] = { "SELECT pg_advisory_xact_lock(7270011)", 0, 0 },
	[Q_FIND_IMPORT] = { "SELECT id FROM question_import WHERE sha256 = $1 AND category = $2 "
	                    "AND outcome = 'applied'", 2, 1 },
	[Q_RECORD] = { "INSERT INTO question_import (file_name, format, sha256, category, actor, "
	               "outcome, questions, report) VALUES ($1, $2, $3, $4, $5, $6, $7::int, $8::jsonb) "
	               "RETURNING id", 8, 0 },
	/* One depth of the tree: the parents were written by the statement before. */
	[Q_CATS] = { "INSERT INTO question_category (path, name, parent_id) "
	             "SELECT x.path, x.name, p.id FROM unnest($1::text[], $2::text[], $3::text[]) "
	             "AS x(path, name, parent) LEFT JOIN question_category p ON p.path = x.parent "
	             "ON CONFLICT (path) DO NOTHING RETURNING 1", 3, 0 },
	[Q_IDS] = { "SELECT nextval(pg_get_serial_sequence('question', 'id')) "
	            "FROM generate_series(1, $1::int)", 1, 0 },
	[Q_VIDS] = { "SELECT nextval(pg_get_serial_sequence('question_version', 'id')) "
	             "FROM generate_series(1, $1::int)", 1, 0 },
	[Q_QUESTIONS] = { "INSERT INTO question (id, category_id, qtype, name, current_version, "
	                  "created_by, import_id) SELECT x.id, c.id, x.qtype, x.name, 1, $5, $6::bigint "
	                  "FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) "
	                  "AS x(id, cat, qtype, name) LEFT JOIN question_category c ON c.path = x.cat",
	                  6, 0 },
	[Q_VERSIONS] = { "INSERT INTO question_version (id, question_id, version_no, body, "
	                 "body_sha256, difficulty, created_by) SELECT x.id, x.qid, x.no, x.body, x.sha, "
	                 "x.diff, $7 FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::jsonb[], "
	                 "$5::text[], $6::text[]) AS x(id, qid, no, body, sha, diff)", 7, 0 },
	[Q_TAGS] = { "INSERT INTO question_tag (question_id, tag) "
	             "SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING", 2, 0 },
	[Q_FILES] = { "INSERT INTO question_file (version_id, ord, name, path, mime, bytes, sha256) "
	              "SELECT x.v, x.o, x.n, x.p, x.m, decode(x.h, 'hex'), "
	              "encode(sha256(decode(x.h, 'hex')), 'hex') FROM unnest($1::bigint[], $2::int[], "
	              "$3::text[], $4::text[], $5::text[], $6::text[]) AS x(v, o, n, p, m, h)", 6, 0 },
	[Q_CATEGORIES] = { "SELECT c.id, coalesce(c.parent_id, 0), c.path, c.name, "
	                   "(SELECT count(*) FROM question q WHERE q.category_id = c.id "
	                   "AND q.retired_at IS NULL) FROM question_category c ORDER BY c.path " VI,
	                   0, 1 },
	/* $1 category ('' any), $2 tag, $3 type, $4 difficulty, $5 a piece of the name (each
	 * NULL for any), $6 limit, $7 offset */
	[Q_LIST] = { "SELECT " ROW_COLS ", count(*) OVER () " ROW_FROM "WHERE q.retired_at IS NULL "
	             "AND " IN_CATEGORY("$1") " AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM "
	             "question_tag t WHERE t.question_id = q.id AND t.tag = $2)) "
	             "AND ($3::text IS NULL OR q.qtype = $3) AND ($4::text IS NULL OR v.difficulty = $4) "
	             "AND ($5::text IS NULL OR strpos(lower(q.name " VI "), lower($5 " VI ")) > 0) "
	             ROW_ORDER "LIMIT $6::int OFFSET $7::int", 7, 1 },
	[Q_GET] = { "SELECT " ROW_COLS ROW_FROM "WHERE q.id = $1::bigint", 1, 1 },
	[Q_GET_VERSIONS] = { "SELECT id, version_no, body::text, body_sha256, difficulty, created_by, "
	                     US("created_at") " FROM question_version WHERE question_id = $1::bigint "
	                     "ORDER BY version_no DESC LIMIT $2::int", 2, 1 },
	[Q_BODY_VERSION] = { "SELECT question_id, id, version_no, body::text FROM question_version "
	                     "WHERE id = $1::bigint", 1, 1 },
	[Q_BODY_CURRENT] = { "SELECT q.id, v.id, v.version_no, v.body::text FROM question q "
	                     "JOIN question_version v ON v.question_id = q.id "
	                     "AND v.version_no = q.current_version WHERE q.id = $1::bigint", 1, 1 },
	[Q_BODY_CATEGORY] = { "SELECT q.id, v.id, v.version_no, v.body::text " ROW_FROM
	                      "WHERE q.retired_at IS NULL AND " IN_CATEGORY("$1") ROW_ORDER, 1, 1 },
	[Q_FILES_OF] = { "SELECT version_id, ord, bytes FROM question_file "
	                 "WHERE version_id = ANY($1::bigint[]) ORDER BY version_id, ord", 1, 1 },
	[Q_EDIT_LOCK] = { "SELECT current_version FROM question WHERE id = $1::bigint FOR UPDATE", 1, 0 },
	[Q_EDIT_MOVE] = { "UPDATE question SET current_version = $2::int, name = $3 "
	                  "WHERE id = $1::bigint", 3, 0 },
	[Q_TAGS_CLEAR] = { "DELETE FROM question_tag WHERE question_id = $1::bigint", 1, 0 },
	/* $1 version, $2 the file's reference ("name", "dir/name": @@PLUGINFILE@@/ref) */
	[Q_FILE] = { "SELECT version_id, ord, name, path, mime, sha256, bytes FROM question_file "
	             "WHERE version_id = $1::bigint AND path || name = '/' || $2::text "
	             "ORDER BY ord LIMIT 1", 2, 1 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_QBANK_SLOT + id, &stmts[id], v, rc, err);
}

static int exec(lms_store *s, int id, const char *const *v, lms_err *err)
{
	PGresult *r;
	int rc;

	if (!(r = run(s, id, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static int oom(lms_err *err)
{
	return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
}

static void hex_of(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int sha256_hex(const void *data, size_t n, char out[65], lms_err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "SHA-256 failed");
	hex_of(md, 32, out);
	return 0;
}

static const char *difficulty_name(lms_qdifficulty d)
{
	static const char *const names[] = { "none", "easy", "medium", "hard" };

	return (unsigned)d <= LMS_QD_HARD ? names[d] : "none";
}

static lms_qdifficulty difficulty_of(const char *s)
{
	if (strcmp(s, "easy") == 0)
		return LMS_QD_EASY;
	if (strcmp(s, "medium") == 0)
		return LMS_QD_MEDIUM;
	if (strcmp(s, "hard") == 0)
		return LMS_QD_HARD;
	return LMS_QD_NONE;
}

static lms_qtype type_of(const char *s)
{
	int t;

	for (t = LMS_Q_SINGLE; t <= LMS_Q_DESCRIPTION; t++)
		if (strcmp(s, lms_qtype_name((lms_qtype)t)) == 0)
			return (lms_qtype)t;
	return 0;
}

/* The type of a file, by its name: what a browser may show of a question's images. */
static const char *mime_of(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" }, { ".webp", "image/webp" }, { ".svg", "image/svg+xml" },
		{ ".mp3", "audio/mpeg" }, { ".mp4", "video/mp4" }, { ".pdf", "application/pdf" },
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* ---- writing ---------------------------------------------------------------------- */

static int take_ids(lms_store *s, int stmt, size_t n, lms_arena *a, int64_t **out, lms_err *err)
{
	const char *v[1];
	PGresult *r;
	int64_t *ids;
	size_t i;
	int rc;

	v[0] = pgu_num(a, (int64_t)n);
	if (!(r = run(s, stmt, v, &rc, err)))
		return rc;
	if ((size_t)PQntuples(r) != n) {
		PQclear(r);
		return lms_err_set(err, LMS_ESTORAGE, "internal", NULL, "the sequence gave too few ids");
	}
	ids = lms_arena_alloc(a, (n + 1) * sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = pgu_i64(r, (int)i, 0);
	PQclear(r);
	*out = ids;
	return 0;
}

static size_t depth_of(const char *path)
{
	size_t d = 0;

	for (; *path; path++)
		d += *path == '/';
	return d;
}

static int by_depth_then_path(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	size_t da = depth_of(a), db = depth_of(b);

	if (da != db)
		return da < db ? -1 : 1;
	return strcmp(a, b);
}

/* Every category the questions name, with its ancestors: one statement per depth, parents
 * first. *created counts the new ones. */
static int write_categories(lms_store *s, const lms_qbank_new *qs, size_t n, lms_arena *a,
                            size_t *created, lms_err *err)
{
	const char **all, **path, **name, **parent, *v[3];
	size_t k = 0, cap = 0, i, u, start, end, m;
	PGresult *r;
	int rc;

	for (i = 0; i < n; i++)
		if (qs[i].q->category)
			cap += 1 + depth_of(qs[i].q->category);
	if (!cap)
		return 0;
	all = lms_arena_alloc(a, cap * sizeof(*all));
	for (i = 0; i < n; i++) {
		const char *c = qs[i].q->category, *p;
		if (!c || !*c)
			continue;
		for (p = c; *p; p++)
			if (*p == '/')
				all[k++] = lms_arena_strndup(a, c, (size_t)(p - c));
		all[k++] = c;
	}
	if (!k)
		return 0;
	qsort(all, k, sizeof(*all), by_depth_then_path);
	for (i = 1, u = 1; i < k; i++)
		if (strcmp(all[i], all[u - 1]) != 0)
			all[u++] = all[i];
	path = lms_arena_alloc(a, u * sizeof(*path));
	name = lms_arena_alloc(a, u * sizeof(*name));
	parent = lms_arena_alloc(a, u * sizeof(*parent));
	for (start = 0; start < u; start = end) {
		size_t depth = depth_of(all[start]);
		for (end = start; end < u && depth_of(all[end]) == depth; end++)
			;
		for (m = start; m < end; m++) {
			const char *slash = strrchr(all[m], '/');
			path[m - start] = all[m];
			name[m - start] = slash ? slash + 1 : all[m];
			parent[m - start] = slash ? lms_arena_strndup(a, all[m], (size_t)(slash - all[m]))
			                          : NULL;
		}
		v[0] = pgu_text_array(a, path, end - start);
		v[1] = pgu_text_array(a, name, end - start);
		v[2] = pgu_text_array(a, parent, end - start);
		if (!(r = run(s, Q_CATS, v, &rc, err)))
			return rc;
		*created += (size_t)PQntuples(r);
		PQclear(r);
	}
	return 0;
}

#define FILE_BATCH_BYTES ((size_t)16 << 20)

typedef struct fbatch {
	lms_arena *a;
	const char **vid, **ord, **name, **path, **mime, **hex;
	size_t n, cap, bytes;
} fbatch;

static int fbatch_flush(lms_store *s, fbatch *b, lms_err *err)
{
	const char *v[6];
	int rc = 0;

	if (b->n) {
		v[0] = pgu_text_array(b->a, b->vid, b->n);
		v[1] = pgu_text_array(b->a, b->ord, b->n);
		v[2] = pgu_text_array(b->a, b->name, b->n);
		v[3] = pgu_text_array(b->a, b->path, b->n);
		v[4] = pgu_text_array(b->a, b->mime, b->n);
		v[5] = pgu_text_array(b->a, b->hex, b->n);
		rc = exec(s, Q_FILES, v, err);
	}
	lms_arena_free(b->a);
	memset(b, 0, sizeof(*b));
	return rc;
}

/* The files of questions qs[0..n) (versions vids), in batches of about 16 MiB, each batch in
 * its own arena. */
static int write_files(lms_store *s, const int64_t *vids, const lms_qbank_new *qs, size_t n,
                       lms_err *err)
{
	fbatch b;
	size_t i, k;
	int rc;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < n; i++) {
		lms_qfile **files;
		size_t nf;
		lms_arena *tmp;

		if (!qs[i].n_files)
			continue;
		tmp = lms_arena_new();
		if (!tmp)
			return oom(err);
		lms_question_files(qs[i].q, tmp, &files, &nf);
		if (nf != qs[i].n_files) {
			lms_arena_free(tmp);
			lms_arena_free(b.a);
			return lms_err_set(err, LMS_EINTERNAL, "internal", NULL, "files out of step");
		}
		for (k = 0; k < nf; k++) {
			char *h;
			if (!b.a && !(b.a = lms_arena_new())) {
				lms_arena_free(tmp);
				return oom(err);
			}
			if (b.n == b.cap) {
				size_t nc = b.cap ? b.cap * 2 : 64;
				const char ***cols[6] = { &b.vid, &b.ord, &b.name, &b.path, &b.mime, &b.hex };
				int c;
				for (c = 0; c < 6; c++) {
					const char **nv = lms_arena_alloc(b.a, nc * sizeof(char *));
					if (b.n)
						memcpy(nv, *cols[c], b.n * sizeof(char *));
					*cols[c] = nv;
				}
				b.cap = nc;
			}
			h = lms_arena_alloc(b.a, 2 * qs[i].files[k].size + 1);
			hex_of(qs[i].files[k].data ? qs[i].files[k].data : (const unsigned char *)"",
			       qs[i].files[k].data ? qs[i].files[k].size : 0, h);
			b.vid[b.n] = pgu_num(b.a, vids[i]);
			b.ord[b.n] = pgu_num(b.a, (int64_t)k);
			b.name[b.n] = lms_arena_strdup(b.a, files[k]->name);
			b.path[b.n] = lms_arena_strdup(b.a, files[k]->path);
			b.mime[b.n] = mime_of(files[k]->name);
			b.hex[b.n] = h;
			b.n++;
			b.bytes += qs[i].files[k].size;
			if (b.bytes >= FILE_BATCH_BYTES && (rc = fbatch_flush(s, &b, err)) < 0) {
				lms_arena_free(tmp);
				return rc;
			}
		}
		lms_arena_free(tmp);
	}
	return fbatch_flush(s, &b, err);
}

/* Versions vids[i] of questions qids[i], numbered nos[i], with their tags and files. */
static int write_versions(lms_store *s, const int64_t *qids, const int64_t *vids, int no,
                          const lms_qbank_new *qs, size_t n, const char *actor, lms_arena *a,
                          lms_err *err)
{
	const char **vid = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **qid = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **nos = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **body = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **sha = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **diff = lms_arena_alloc(a, (n + 1) * sizeof(char *));
	const char **tq, **tt, *v[7], *num = pgu_num(a, no);
	size_t i, k, nt = 0;
	int rc;

	for (i = 0; i < n; i++) {
		char *h = lms_arena_alloc(a, 65);
		if ((rc = sha256_hex(qs[i].body, strlen(qs[i].body), h, err)) < 0)
			return rc;
		vid[i] = pgu_num(a, vids[i]);
		qid[i] = pgu_num(a, qids[i]);
		nos[i] = num;
		body[i] = qs[i].body;
		sha[i] = h;
		diff[i] = difficulty_name(qs[i].q->difficulty);
		nt += qs[i].q->n_tags;
	}
	v[0] = pgu_text_array(a, vid, n);
	v[1] = pgu_text_array(a, qid, n);
	v[2] = pgu_text_array(a, nos, n);
	v[3] = pgu_text_array(a, body, n);
	v[4] = pgu_text_array(a, sha, n);
	v[5] = pgu_text_array(a, diff, n);
	v[6] = actor;
	if ((rc = exec(s, Q_VERSIONS, v, err)) < 0)
		return rc;
	if (nt) {
		tq = lms_arena_alloc(a, nt * sizeof(char *));
		tt = lms_arena_alloc(a, nt * sizeof(char *));
		for (i = 0, nt = 0; i < n; i++)
			for (k = 0; k < qs[i].q->n_tags; k++) {
				tq[nt] = qid[i];
				tt[nt++] = qs[i].q->tags[k];
			}
		v[0] = pgu_text_array(a, tq, nt);
		v[1] = pgu_text_array(a, tt, nt);
		if ((rc = exec(s, Q_TAGS, v, err)) < 0)
			return rc;
	}
	return write_files(s, vids, qs, n, err);
}

static int record(lms_store *s, const lms_qbank_import_in *in, const char *outcome,
                  const char *sha, lms_arena *a, int64_t *id, lms_err *err)
{
	const char *v[8];
	PGresult *r;
	int rc;

	v[0] = in->file_name;
	v[1] = in->format;
	v[2] = sha;
	v[3] = in->category;
	v[4] = in->actor;
	v[5] = outcome;
	v[6] = pgu_num(a, (int64_t)in->n);
	v[7] = in->report_json ? in->report_json : "{}";
	if (!(r = run(s, Q_RECORD, v, &rc, err)))
		return rc;
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

static int write_questions(lms_store *s, const lms_qbank_import_in *in, int64_t import_id,
                           lms_arena *a, lms_qbank_import_out *out, lms_err *err)
{
	size_t n = in->n, i;
	const char **id, **cat, **type, **name, *v[6];
	int64_t *qids, *vids;
	int rc;

	if ((rc = write_categories(s, in->qs, n, a, &out->categories_created, err)) < 0 ||
	    (rc = take_ids(s, Q_IDS, n, a, &qids, err)) < 0 ||
	    (rc = take_ids(s, Q_VIDS, n, a, &vids, err)) < 0)
		return rc;
	id = lms_arena_alloc(a, n * sizeof(char *));
	cat = lms_arena_alloc(a, n * sizeof(char *));
	type = lms_arena_alloc(a, n * sizeof(char *));
	name = lms_arena_alloc(a, n * sizeof(char *));
	for (i = 0; i < n; i++) {
		id[i] = pgu_num(a, qids[i]);
		cat[i] = in->qs[i].q->category ? in->qs[i].q->category : "";
		type[i] = lms_qtype_name(in->qs[i].q->type);
		name[i] = in->qs[i].q->name;
	}
	v[0] = pgu_text_array(a, id, n);
	v[1] = pgu_text_array(a, cat, n);
	v[2] = pgu_text_array(a, type, n);
	v[3] = pgu_text_array(a, name, n);
	v[4] = in->actor;
	v[5] = import_id ? pgu_num(a, import_id) : NULL;
	if ((rc = exec(s, Q_QUESTIONS, v, err)) < 0)
		return rc;
	return write_versions(s, qids, vids, 1, in->qs, n, in->actor, a, err);
}

static int pgq_import(lms_store *s, const lms_qbank_import_in *in, lms_arena *a,
                      lms_qbank_import_out *out, lms_err *err)
{
	const char *v[2];
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = sha256_hex(in->data ? in->data : "", in->data ? in->len : 0, out->sha256, err)) < 0)
		return rc;
	if (in->rejected) /* the refusal alone, in its own transaction */
		return record(s, in, "rejected", out->sha256, a, &out->import_id, err);
	if ((rc = pgx_begin(s, err)) < 0)
		return rc;
	if ((rc = exec(s, Q_LOCK, NULL, err)) < 0)
		goto fail;
	v[0] = out->sha256;
	v[1] = in->category;
	if (!(r = run(s, Q_FIND_IMPORT, v, &rc, err)))
		goto fail;
	if (PQntuples(r)) {
		out->already = true;
		out->previous_id = pgu_i64(r, 0, 0);
		PQclear(r);
		pgx_rollback(s);
		return 0;
	}
	PQclear(r);
	if (!in->dry_run && (rc = record(s, in, "applied", out->sha256, a, &out->import_id, err)) < 0)
		goto fail;
	if (in->n && (rc = write_questions(s, in, out->import_id, a, out, err)) < 0)
		goto fail;
	if (in->dry_run) {
		pgx_rollback(s);
		return 0;
	}
	return pgx_commit(s, err);
fail:
	pgx_rollback(s);
	return rc;
}

static int pgq_edit(lms_store *s, int64_t id, int expect_version, const lms_qbank_new *nv,
                    const char *actor, lms_qbank_edit_result *res, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[3];
	int64_t qid = id, *vids;
	PGresult *r;
	int rc, cur;

	if (!a)
		return oom(err);
	if ((rc = pgx_begin(s, err)) < 0)
		goto done;
	v[0] = pgu_num(a, id);
	if (!(r = run(s, Q_EDIT_LOCK, v, &rc, err)))
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "id", "no question has this id");
		goto fail;
	}
	cur = (int)pgu_i64(r, 0, 0);
	PQclear(r);
	if (cur != expect_version) {
		rc = lms_err_set(err, LMS_ECONFLICT, "version_conflict", "version",
		                 "the question is at version %d now (someone edited it); reload it and "
		                 "edit again", cur);
		goto fail;
	}
	if ((rc = take_ids(s, Q_VIDS, 1, a, &vids, err)) < 0 ||
	    (rc = exec(s, Q_TAGS_CLEAR, v, err)) < 0 ||
	    (rc = write_versions(s, &qid, vids, cur + 1, nv, 1, actor, a, err)) < 0)
		goto fail;
	v[1] = pgu_num(a, cur + 1);
	v[2] = nv->q->name;
	if ((rc = exec(s, Q_EDIT_MOVE, v, err)) < 0)
		goto fail;
	if ((rc = pgx_commit(s, err)) < 0)
		goto done;
	res->version_no = cur + 1;
	res->version_id = vids[0];
	res->unchanged = false;
	goto done;
fail:
	pgx_rollback(s);
done:
	lms_arena_free(a);
	return rc;
}

/* ---- reading ---------------------------------------------------------------------- */

static void fill_row(lms_arena *a, const PGresult *r, int i, lms_qbank_row *o)
{
	o->id = pgu_i64(r, i, 0);
	o->category = pgu_str(a, r, i, 1);
	o->type = type_of(PQgetvalue(r, i, 2));
	o->name = pgu_str(a, r, i, 3);
	o->current_version = (int)pgu_i64(r, i, 4);
	o->current_version_id = pgu_i64(r, i, 5);
	o->difficulty = difficulty_of(PQgetvalue(r, i, 6));
	o->tags = pgu_str(a, r, i, 7);
	o->created_by = pgu_str(a, r, i, 8);
	o->created_us = pgu_i64(r, i, 9);
	o->updated_us = pgu_i64(r, i, 10);
	o->retired = pgu_bool(r, i, 11);
}

static int pgq_categories(lms_store *s, lms_arena *a, lms_qbank_category **out, size_t *n,
                          lms_err *err)
{
	lms_qbank_category *v;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, Q_CATEGORIES, NULL, &rc, err)))
		return rc;
	rows = PQntuples(r);
	v = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*v));
	for (i = 0; i < rows; i++) {
		v[i].id = pgu_i64(r, i, 0);
		v[i].parent_id = pgu_i64(r, i, 1);
		v[i].path = pgu_str(a, r, i, 2);
		v[i].name = pgu_str(a, r, i, 3);
		v[i].questions = pgu_i64(r, i, 4);
	}
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return 0;
}

static int pgq_list(lms_store *s, const lms_qbank_filter *f, lms_arena *a, lms_qbank_row **out,
                    size_t *n, int64_t *total, lms_err *err)
{
	const char *v[7];
	lms_qbank_row *rows;
	PGresult *r;
	int rc, i, k;

	v[0] = f->category ? f->category : "";
	v[1] = f->tag && f->tag[0] ? f->tag : NULL;
	v[2] = f->type ? lms_qtype_name(f->type) : NULL;
	v[3] = f->difficulty >= 0 ? difficulty_name((lms_qdifficulty)f->difficulty) : NULL;
	v[4] = f->q && f->q[0] ? f->q : NULL;
	v[5] = pgu_num(a, f->limit);
	v[6] = pgu_num(a, f->offset);
	if (!(r = run(s, Q_LIST, v, &rc, err)))
		return rc;
	k = PQntuples(r);
	rows = lms_arena_alloc(a, ((size_t)k + 1) * sizeof(*rows));
	for (i = 0; i < k; i++)
		fill_row(a, r, i, &rows[i]);
	*total = k ? pgu_i64(r, 0, 12) : 0;
	PQclear(r);
	*out = rows;
	*n = (size_t)k;
	return 0;
}

static int pgq_get(lms_store *s, int64_t id, lms_arena *a, lms_qbank_row *row,
                   lms_qbank_version **versions, size_t *n, lms_err *err)
{
	const char *v[2];
	lms_qbank_version *vs;
	PGresult *r;
	int rc, i, k;

	v[0] = pgu_num(a, id);
	v[1] = pgu_num(a, LMS_QBANK_MAX_VERSIONS);
	if (!(r = run(s, Q_GET, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "id", "no question has this id");
	}
	fill_row(a, r, 0, row);
	PQclear(r);
	if (!(r = run(s, Q_GET_VERSIONS, v, &rc, err)))
		return rc;
	k = PQntuples(r);
	vs = lms_arena_alloc(a, ((size_t)k + 1) * sizeof(*vs));
	for (i = 0; i < k; i++) {
		vs[i].id = pgu_i64(r, i, 0);
		vs[i].version_no = (int)pgu_i64(r, i, 1);
		vs[i].body = pgu_str(a, r, i, 2);
		vs[i].body_sha256 = pgu_str(a, r, i, 3);
		vs[i].difficulty = difficulty_of(PQgetvalue(r, i, 4));
		vs[i].created_by = pgu_str(a, r, i, 5);
		vs[i].created_us = pgu_i64(r, i, 6);
	}
	PQclear(r);
	*versions = vs;
	*n = (size_t)k;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A bytea cell in text form ("\x4142...") into a. */
static int bytea_of(lms_arena *a, const PGresult *r, int row, int col, lms_qbank_blob *out,
                    lms_err *err)
{
	const char *s = PQgetvalue(r, row, col);
	size_t len = (size_t)PQgetlength(r, row, col), i, n;
	unsigned char *d;

	if (len < 2 || s[0] != '\\' || s[1] != 'x' || (len - 2) % 2)
		return lms_err_set(err, LMS_ESTORAGE, "internal", NULL, "unexpected bytea format");
	n = (len - 2) / 2;
	d = lms_arena_alloc(a, n + 1);
	for (i = 0; i < n; i++) {
		int hi = hexval(s[2 + 2 * i]), lo = hexval(s[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return lms_err_set(err, LMS_ESTORAGE, "internal", NULL, "unexpected bytea format");
		d[i] = (unsigned char)(hi << 4 | lo);
	}
	out->data = d;
	out->size = n;
	return 0;
}

static int by_version(const void *x, const void *y)
{
	const lms_qbank_body *a = x, *b = y;

	return a->version_id < b->version_id ? -1 : a->version_id > b->version_id;
}

static int pgq_bodies(lms_store *s, int64_t version_id, int64_t question_id, const char *category,
                      lms_arena *a, lms_qbank_body **out, size_t *n, lms_err *err)
{
	const char *v[1];
	lms_qbank_body *b, *sorted;
	const char **ids;
	PGresult *r;
	int rc, i, k, stmt;

	if (version_id) {
		stmt = Q_BODY_VERSION;
		v[0] = pgu_num(a, version_id);
	} else if (question_id) {
		stmt = Q_BODY_CURRENT;
		v[0] = pgu_num(a, question_id);
	} else {
		stmt = Q_BODY_CATEGORY;
		v[0] = category ? category : "";
	}
	if (!(r = run(s, stmt, v, &rc, err)))
		return rc;
	k = PQntuples(r);
	if (!k && (version_id || question_id)) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "id",
		                   version_id ? "no question version has this id"
		                              : "no question has this id");
	}
	b = lms_arena_alloc(a, ((size_t)k + 1) * sizeof(*b));
	ids = lms_arena_alloc(a, ((size_t)k + 1) * sizeof(*ids));
	for (i = 0; i < k; i++) {
		b[i].question_id = pgu_i64(r, i, 0);
		b[i].version_id = pgu_i64(r, i, 1);
		b[i].version_no = (int)pgu_i64(r, i, 2);
		b[i].body = pgu_str(a, r, i, 3);
		b[i].body_len = (size_t)PQgetlength(r, i, 3);
		ids[i] = pgu_str(a, r, i, 1);
	}
	PQclear(r);
	*out = b;
	*n = (size_t)k;
	if (k <= 0)
		return 0;
	/* the files, matched to their versions through a copy sorted by version id */
	sorted = lms_arena_alloc(a, (size_t)k * sizeof(*sorted));
	memcpy(sorted, b, (size_t)k * sizeof(*sorted));
	for (i = 0; i < k; i++)
		sorted[i].n_files = (size_t)i; /* where it came from */
	qsort(sorted, (size_t)k, sizeof(*sorted), by_version);
	v[0] = pgu_text_array(a, ids, (size_t)k);
	if (!(r = run(s, Q_FILES_OF, v, &rc, err)))
		return rc;
	{
		int rows = PQntuples(r), j = 0, start;
		while (j < rows) {
			lms_qbank_body key, *hit;
			lms_qbank_body *dst;
			int m;
			key.version_id = pgu_i64(r, j, 0);
			for (start = j; j < rows && pgu_i64(r, j, 0) == key.version_id; j++)
				;
			hit = bsearch(&key, sorted, (size_t)k, sizeof(*sorted), by_version);
			if (!hit)
				continue;
			dst = &b[hit->n_files];
			dst->files = lms_arena_alloc(a, (size_t)(j - start) * sizeof(*dst->files));
			for (m = start; m < j; m++) {
				if ((int)pgu_i64(r, m, 1) != m - start) {
					PQclear(r);
					return lms_err_set(err, LMS_ESTORAGE, "internal", NULL,
					                   "version %lld: its files are not numbered in order",
					                   (long long)key.version_id);
				}
				if ((rc = bytea_of(a, r, m, 2, &dst->files[m - start], err)) < 0) {
					PQclear(r);
					return rc;
				}
			}
			dst->n_files = (size_t)(j - start);
		}
	}
	PQclear(r);
	return 0;
}

static int pgq_file(lms_store *s, int64_t version_id, const char *ref, lms_arena *a,
                    lms_qfile_row *out, lms_err *err)
{
	const char *v[2];
	lms_qbank_blob b;
	PGresult *r;
	int rc;

	v[0] = pgu_num(a, version_id);
	v[1] = ref;
	if (!(r = run(s, Q_FILE, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such file");
	}
	if ((rc = bytea_of(a, r, 0, 6, &b, err)) < 0) {
		PQclear(r);
		return rc;
	}
	memset(out, 0, sizeof(*out));
	out->version_id = pgu_i64(r, 0, 0);
	out->ord = (int)pgu_i64(r, 0, 1);
	out->name = pgu_str(a, r, 0, 2);
	out->path = pgu_str(a, r, 0, 3);
	out->mime = pgu_str(a, r, 0, 4);
	out->sha256 = pgu_str(a, r, 0, 5);
	out->data = b.data;
	out->size = b.size;
	PQclear(r);
	return 0;
}

const lms_qbank_ops pgq_ops = {
	.import = pgq_import,
	.categories = pgq_categories,
	.list = pgq_list,
	.get = pgq_get,
	.bodies = pgq_bodies,
	.edit = pgq_edit,
	.file = pgq_file,
};
