/* qbank.h — the question bank kept in the store (docs/question-bank.md): a question's
 * versions as JSON (the codec), the import of a GIFT or Moodle XML file as one
 * transaction, the export of the current versions, and editing (a new version).
 *
 * Versioning rule: a version is never changed or deleted (the store refuses it); editing a
 * question appends a version and moves the question's current_version, so a past attempt
 * that names a version id reads exactly what the learner was shown.
 *
 * The JSON codec (question_json.c, the core's one adapter of the JSON library) writes
 * every member of lms_question (question.h) except `line`, and reads it back exactly: for
 * any question q that lms_question_check accepts, from_json(to_json(q)) equals q member for
 * member, but for the files' bytes: a file is written as {"name", "path", "size"} and the
 * store keeps its bytes (question_file) in the order of lms_question_files.
 *
 * The rest (qbank.c) goes through the store's table of bank operations (lms_qbank_ops,
 * reached as store->ops->qbank).
 */
#ifndef LMS_QBANK_H
#define LMS_QBANK_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/jsonw.h"
#include "lms/question.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the JSON codec (question_json.c) ---- */

#define LMS_QJSON_VERSION 1                     /* the "v" member */
#define LMS_QJSON_MAX_BYTES ((size_t)64 << 20)  /* one question's JSON, files inline */
#define LMS_QJSON_MAX_DEPTH 8                   /* the format nests 5 levels */

/* Writes q as one JSON object into w (UTF-8; numbers as the shortest text that reads back
 * exactly; a NULL string as ""). Files are written as name, path and size: their bytes are
 * the store's (question_file). Returns 0, or LMS_EINVAL "question_invalid" (field: the
 * member) for a type, format or enumeration out of range or a number that is not finite. */
int lms_question_to_json(const lms_question *q, lms_jsonw *w, lms_err *err);

/* Reads a question written by lms_question_to_json (or sent by a client) from
 * json[0..len), into a. Every string is checked as UTF-8 and made NFC (an NFC text comes
 * back byte for byte); sizes are capped by lim (NULL: defaults): max_text per string,
 * max_options per list (never above LMS_Q_MAX_OPTIONS), LMS_Q_MAX_TAGS tags,
 * LMS_Q_MAX_FILES files per text, max_attachment bytes per file, the whole input at
 * LMS_QJSON_MAX_BYTES, nesting at LMS_QJSON_MAX_DEPTH. "v" and "type" are required; any
 * other member left out takes lms_question_new's default; an unknown or repeated member is
 * an error. Files come back with data NULL and their size. Returns 0 and *out, or
 * LMS_EINVAL with err->code "json_invalid" (not JSON, not UTF-8, too deep), "json_member"
 * (a member of the wrong type, an unknown member, a value out of range: err->field is its
 * path, e.g. "options[2].fraction") or "json_too_big" (LMS_ETOOBIG). Does not apply
 * lms_question_check: the caller does. */
int lms_question_from_json(const char *json, size_t len, const lms_qlimits *lim, lms_arena *a,
                           lms_question **out, lms_err *err);

/* Every file of q, in the codec's order (text, general feedback, options' text then
 * feedback, true/false feedback, numerics' feedback, stems, items, combined feedback,
 * grader information, response template), as pointers into q, in a. */
void lms_question_files(const lms_question *q, lms_arena *a, lms_qfile ***out, size_t *n);

/* ---- what the store keeps and gives back ---- */

#define LMS_QBANK_MAX_LIST 500        /* questions in one page of a list */
#define LMS_QBANK_MAX_VERSIONS 200    /* versions shown with one question */

/* A category: a node of the tree, named by its path ("CCHC/Đề án 2709"). */
typedef struct lms_qbank_category {
	int64_t id;
	int64_t parent_id;           /* 0 for a top category */
	const char *path, *name;     /* name: the last segment */
	int64_t questions;           /* questions directly in it, not retired */
} lms_qbank_category;

/* A question as a list shows it (its current version). */
typedef struct lms_qbank_row {
	int64_t id;
	const char *category;        /* path, "" for the bank's root */
	lms_qtype type;
	const char *name;
	int current_version;
	int64_t current_version_id;
	lms_qdifficulty difficulty;
	const char *tags;            /* tags joined with ", " in Vietnamese order, "" when none */
	const char *created_by;
	int64_t created_us;          /* the question's */
	int64_t updated_us;          /* its current version's */
	bool retired;
} lms_qbank_row;

typedef struct lms_qbank_filter {
	const char *category;        /* a path: it and its subtree; NULL or "" for all */
	const char *tag;             /* NULL for any */
	lms_qtype type;              /* 0 for any */
	int difficulty;              /* -1 for any, else an lms_qdifficulty */
	const char *q;               /* a piece of the name, case-insensitive; NULL for any */
	int limit, offset;           /* limit 1..LMS_QBANK_MAX_LIST */
} lms_qbank_filter;

/* One stored version of a question. */
typedef struct lms_qbank_version {
	int64_t id;
	int version_no;
	const char *body;            /* its JSON as stored (PostgreSQL's jsonb text) */
	const char *body_sha256;     /* of the JSON as written by lms_question_to_json */
	lms_qdifficulty difficulty;
	const char *created_by;
	int64_t created_us;
} lms_qbank_version;

/* A version's bytes: the JSON as written, and its files in lms_question_files order. */
typedef struct lms_qbank_blob {
	const unsigned char *data;
	size_t size;
} lms_qbank_blob;

typedef struct lms_qbank_body {
	int64_t question_id, version_id;
	int version_no;
	const char *body;
	size_t body_len;
	lms_qbank_blob *files;
	size_t n_files;
} lms_qbank_body;

/* A question to write: its JSON (written without file data) and its files' bytes. */
typedef struct lms_qbank_new {
	const lms_question *q;
	const char *body;
	lms_qbank_blob *files;
	size_t n_files;
} lms_qbank_new;

/* What the store is asked to do with one file. */
typedef struct lms_qbank_import_in {
	const char *file_name;       /* for the record, as given */
	const char *format;          /* "gift" or "moodlexml" */
	const char *data;            /* the file: the store records its SHA-256 */
	size_t len;
	const char *category;        /* the caller's prefix, "" for none */
	const char *actor;
	const lms_qbank_new *qs;     /* every question of the file */
	size_t n;
	bool rejected;               /* the file was refused: record it, write no question */
	bool dry_run;                /* write everything, then roll back, record nothing */
	const char *report_json;     /* the problems, for the record */
} lms_qbank_import_in;

typedef struct lms_qbank_import_out {
	int64_t import_id;           /* the record (0 for a dry run) */
	bool already;                /* the same content went into the same category before */
	int64_t previous_id;         /* that import */
	size_t categories_created;
	char sha256[65];             /* of the file */
} lms_qbank_import_out;

typedef struct lms_qbank_edit_result {
	int version_no;              /* the new version (or the current one when unchanged) */
	int64_t version_id;
	bool unchanged;              /* the JSON equals the current version: nothing written */
} lms_qbank_edit_result;

struct lms_qfile_row;         /* assess_files.h */

/* The store's question-bank operations (lms_store_ops.qbank). Each returns 0 or a negative
 * LMS_* code with err, as every store operation (store.h). */
typedef struct lms_qbank_ops {
	/* One file in one transaction: the categories its questions name (and their parents),
	 * the questions, their first versions, tags and files, and the record of the import;
	 * out->already (nothing written) when an applied import of the same content into the
	 * same category exists. in->rejected: the record only; in->dry_run: everything written,
	 * then rolled back, nothing recorded. */
	int (*import)(lms_store *s, const lms_qbank_import_in *in, lms_arena *a,
	              lms_qbank_import_out *out, lms_err *err);
	/* Every category, in Vietnamese order of path, with its count of questions. */
	int (*categories)(lms_store *s, lms_arena *a, lms_qbank_category **out, size_t *n,
	                  lms_err *err);
	/* Questions matching f (not retired), in Vietnamese order of category path and name;
	 * *total counts every match. */
	int (*list)(lms_store *s, const lms_qbank_filter *f, lms_arena *a, lms_qbank_row **out,
	            size_t *n, int64_t *total, lms_err *err);
	/* One question and its versions, newest first (at most LMS_QBANK_MAX_VERSIONS).
	 * LMS_ENOTFOUND for an unknown id. */
	int (*get)(lms_store *s, int64_t id, lms_arena *a, lms_qbank_row *row,
	           lms_qbank_version **versions, size_t *n, lms_err *err);
	/* Stored versions with their files: version_id's when not 0 (LMS_ENOTFOUND), else the
	 * current version of question_id when not 0 (LMS_ENOTFOUND), else the current versions
	 * of the questions of category's subtree (NULL or "": all; not retired) in Vietnamese
	 * order of category path and name. */
	int (*bodies)(lms_store *s, int64_t version_id, int64_t question_id, const char *category,
	              lms_arena *a, lms_qbank_body **out, size_t *n, lms_err *err);
	/* Appends version expect_version + 1 of question id in one transaction and makes it the
	 * current one (the question's name and tags follow it). LMS_ENOTFOUND for an unknown
	 * question, LMS_ECONFLICT "version_conflict" when its current version is not
	 * expect_version. */
	int (*edit)(lms_store *s, int64_t id, int expect_version, const lms_qbank_new *v,
	            const char *actor, lms_qbank_edit_result *r, lms_err *err);
	/* The file ref (assess_files.h: "name" or "dir/name", as @@PLUGINFILE@@/ref) of version
	 * version_id. LMS_ENOTFOUND. */
	int (*file)(lms_store *s, int64_t version_id, const char *ref, lms_arena *a,
	            struct lms_qfile_row *out, lms_err *err);
} lms_qbank_ops;

/* ---- the operations (qbank.c) ---- */

typedef enum lms_qbank_format {
	LMS_QBANK_GIFT = 1,
	LMS_QBANK_MOODLEXML
} lms_qbank_format;

/* "gift" → LMS_QBANK_GIFT, "moodlexml" (also "xml") → LMS_QBANK_MOODLEXML; 0 otherwise. */
lms_qbank_format lms_qbank_format_parse(const char *s);
const char *lms_qbank_format_name(lms_qbank_format f);

/* A category path as a caller gives it (--category, ?category=): segments separated by '/',
 * each trimmed; empty segments dropped. "" (or NULL) stays "". Returns 0 with *out in a, or
 * LMS_EINVAL "invalid_field" (field "category") when it is not UTF-8, has a control
 * character, or is over LMS_Q_MAX_CATEGORY bytes. */
int lms_qbank_category_clean(lms_arena *a, const char *path, const char **out, lms_err *err);

typedef struct lms_qbank_import_opts {
	lms_qbank_format format;
	const char *category;        /* the prefix (cleaned by lms_qbank_category_clean) */
	const char *file_name;       /* for the record */
	const char *actor;           /* "cli:uid 0", a username */
	bool dry_run;
} lms_qbank_import_opts;

typedef enum lms_qbank_outcome {
	LMS_QBANK_APPLIED = 1,
	LMS_QBANK_DRY_RUN,
	LMS_QBANK_REJECTED,
	LMS_QBANK_ALREADY             /* the same content into the same category, before */
} lms_qbank_outcome;

const char *lms_qbank_outcome_name(lms_qbank_outcome o); /* "applied", "dry_run", ... */

typedef struct lms_qbank_import_result {
	lms_qbank_outcome outcome;
	int64_t import_id, previous_id;
	size_t questions;             /* read from the file (written, when applied) */
	size_t categories_created;
	char sha256[65];
	const char *format, *category, *file_name;
	lms_qreport report;           /* every problem, errors and warnings */
	size_t by_type[LMS_Q_DESCRIPTION + 1];
} lms_qbank_import_result;

/* Imports one file: parses it whole (every problem in r->report); a file with any error is
 * refused whole (outcome REJECTED, recorded unless dry_run, nothing else written); else
 * every question goes in one transaction (APPLIED), or is written and rolled back
 * (DRY_RUN), or nothing is written because the same content was imported into the same
 * category before (ALREADY). Returns 0 with r filled for all four outcomes; negative only
 * when the store failed (err). */
int lms_qbank_import(lms_store *s, const char *data, size_t len,
                     const lms_qbank_import_opts *o, lms_arena *a, lms_qbank_import_result *r,
                     lms_err *err);

/* The result as JSON: outcome, import_id, previous_import_id, sha256, format, category,
 * file_name, questions, by_type, categories_created, errors, warnings, dropped, problems
 * [{severity, code, index, line, name, message, message_vi}]. */
const char *lms_qbank_import_json(const lms_qbank_import_result *r, lms_arena *a);

/* Reads a question version the store gave back (its JSON and files) into a question. */
int lms_qbank_decode(const lms_qbank_body *b, lms_arena *a, lms_question **out, lms_err *err);

typedef struct lms_qbank_export_result {
	const char *text;            /* the file, NUL-terminated */
	size_t len;
	size_t questions;            /* current versions in the category */
	size_t written;              /* of them, in the file */
	lms_qreport report;          /* what the format could not hold (warnings) */
} lms_qbank_export_result;

/* Writes the current versions of the questions of category (its subtree; NULL or "" for
 * all) in format. What the format cannot hold is left out and said in r->report (GIFT:
 * ordering questions, and the fields of gift_field_lost). Returns 0, or the store's error,
 * or LMS_EINTERNAL when a stored version does not read back (a bug: logged). */
int lms_qbank_export(lms_store *s, lms_qbank_format format, const char *category,
                     lms_arena *a, lms_qbank_export_result *r, lms_err *err);

/* Makes a new version of question id from json (lms_question_from_json, then
 * lms_question_check). expect_version, when not 0, must be the current version
 * (LMS_ECONFLICT "version_conflict" otherwise: someone edited it meanwhile). The type and
 * the category cannot change ("type_readonly", "category_readonly"; an absent category is
 * the question's). Each file keeps the bytes of the current version's file with the same
 * path, name and size ("file_unknown" when there is none: new files come by import). Returns 0 with
 * *r, LMS_EINVAL with the problem code and field, LMS_ENOTFOUND for an unknown question. */
int lms_qbank_edit(lms_store *s, int64_t id, int expect_version, const char *json,
                   size_t len, const char *actor, lms_arena *a, lms_qbank_edit_result *r,
                   lms_err *err);

#endif
