/* assess_files.h — the files (images) of question versions as a browser reads them
 * (docs/assessment.md and docs/question-bank.md, "Images and rich text"): which file of a
 * version a learner may read through an attempt, which a trainer through the bank, and how
 * a file may be served.
 *
 * A text refers to its files as @@PLUGINFILE@@/name (path "/") or @@PLUGINFILE@@/dir/name
 * (path "/dir/"); the part after "@@PLUGINFILE@@/" is the file's reference ("ref") here.
 * Versions never change (qbank.h), so neither does a file once its version is known.
 *
 * A learner reads, through a slot of their own attempt, only the files of the version fixed
 * in that slot, and of those only the files of what the slot shows (the question's text,
 * options, matching stems, ordering items, the essay's template) — during the attempt and
 * after; the files of feedback only once the review rules let them see the feedback; the
 * grader's information never. Everything else is "not found", so a learner cannot tell a
 * file that exists from one that does not.
 */
#ifndef LMS_ASSESS_FILES_H
#define LMS_ASSESS_FILES_H

#include "lms/arena.h"
#include "lms/assess.h"
#include "lms/error.h"
#include "lms/question.h"
#include "lms/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LMS_QFILE_MAX_REF 511      /* bytes of a reference: a path and a name of 255 each */

/* One stored file of a version (question_file). */
typedef struct lms_qfile_row {
	int64_t version_id;
	int ord;                     /* its place in lms_question_files order */
	const char *name, *path;     /* path "/" or "/dir/" */
	const char *mime;            /* as the import guessed it from the name */
	const char *sha256;          /* of the bytes, hex */
	const unsigned char *data;
	size_t size;
} lms_qfile_row;

/* One file of one slot of an attempt, with what deciding about it needs. */
typedef struct lms_as_file {
	lms_qfile_row file;
	const char *body;            /* the version's JSON (qbank.h's codec) */
	size_t body_len;
	lms_as_kind kind;
	lms_as_show show_feedback;
	int64_t closes_us;           /* the assessment's window; 0: open-ended */
	bool submitted, published;
} lms_as_file;

/* Which part of a question a file belongs to. */
typedef enum lms_qfile_part {
	LMS_QFILE_SHOWN = 1,         /* the text, options, stems, items, response template */
	LMS_QFILE_FEEDBACK,          /* general, per option or answer, true/false, combined */
	LMS_QFILE_GRADER,            /* the grader's information: trainers only */
	LMS_QFILE_NONE               /* no file has this ord */
} lms_qfile_part;

/* Checks a reference as a client sends it: 1..LMS_QFILE_MAX_REF bytes of UTF-8, no control
 * character, no backslash, no leading "/", no empty, "." or ".." segment. LMS_EINVAL
 * "invalid_field" (field "name") otherwise. */
int lms_qfile_ref_check(const char *ref, lms_err *err);

/* The part of q that its file number ord (lms_question_files order) belongs to (a: scratch). */
lms_qfile_part lms_qfile_part_of(const lms_question *q, size_t ord, lms_arena *a);

/* The type a browser may be given to show f inline: its stored type when that is PNG, JPEG,
 * GIF or WebP and its bytes start with that format's signature; NULL for anything else
 * (an SVG, which can carry script; a PDF; bytes that are not what the name says), which is
 * then only ever sent as a download. */
const char *lms_qfile_inline_type(const lms_qfile_row *f);

/* The file ref of the version in slot slot_no of attempt_id, for its learner user_id, at
 * now_us, by the rules above. LMS_ENOTFOUND "not_found" for another learner's attempt, a
 * slot not in the paper, a file the version does not have or that the learner may not see
 * (now); LMS_EINVAL for a malformed ref. *out on 0, in a. */
int lms_as_attempt_file(lms_store *s, int64_t attempt_id, int64_t user_id, int slot_no,
                        const char *ref, int64_t now_us, lms_arena *a, lms_qfile_row *out,
                        lms_err *err);

/* The file ref of question version version_id, for the bank's users (trainers and admins:
 * the caller checks the role). LMS_ENOTFOUND; LMS_EINVAL for a malformed ref. */
int lms_qbank_file(lms_store *s, int64_t version_id, const char *ref, lms_arena *a,
                   lms_qfile_row *out, lms_err *err);

#endif
