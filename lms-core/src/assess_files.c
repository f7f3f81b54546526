/* assess_files.c — which file of a question version a learner (through a slot of their own
 * attempt) or a trainer (through the bank) may read, and as what type (assess_files.h).
 *
 * Invariants: a learner gets a file only of the version fixed in the slot, only of a part
 * the slot shows, or of the feedback once the review rules show it; never of the grader's
 * information; every refusal is the same "not found". A file is offered to be shown inline
 * only when its stored type is a raster image and its bytes start with that format's
 * signature. Not here: HTTP headers (server/src/qfile_reply.c) and SQL (storage/pg).
 */
#include "lms/assess_files.h"

#include "lms/assess_store.h"
#include "lms/qbank.h"
#include "lms/validate.h"

#include <string.h>

int lms_qfile_ref_check(const char *ref, lms_err *err)
{
	size_t len = ref ? strlen(ref) : 0, i, seg = 0;

	if (len == 0 || len > LMS_QFILE_MAX_REF || !lms_utf8_valid(ref, len))
		goto bad;
	for (i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)ref[i];
		if (c == '/' || c == '\0') {
			size_t n = i - seg;
			if (n == 0 || (n == 1 && ref[seg] == '.') ||
			    (n == 2 && ref[seg] == '.' && ref[seg + 1] == '.'))
				goto bad;
			seg = i + 1;
		} else if (c < 0x20 || c == 0x7f || c == '\\') {
			goto bad;
		}
	}
	return LMS_OK;
bad:
	return lms_err_set(err, LMS_EINVAL, "invalid_field", "name",
	                   "name: the file's name as the text refers to it (1 to %d bytes)",
	                   LMS_QFILE_MAX_REF);
}

static bool in_text(const lms_qtext *t, const lms_qfile *f)
{
	return t->n_files && f >= t->files && f < t->files + t->n_files;
}

lms_qfile_part lms_qfile_part_of(const lms_question *q, size_t ord, lms_arena *a)
{
	lms_qfile **all = NULL;
	const lms_qfile *f;
	size_t n = 0, i;

	lms_question_files(q, a, &all, &n);
	if (ord >= n)
		return LMS_QFILE_NONE;
	f = all[ord];
	if (in_text(&q->text, f) || in_text(&q->response_template, f))
		return LMS_QFILE_SHOWN;
	for (i = 0; i < q->n_options; i++)
		if (in_text(&q->options[i].text, f))
			return LMS_QFILE_SHOWN;
	for (i = 0; i < q->n_pairs; i++)
		if (in_text(&q->pairs[i].stem, f))
			return LMS_QFILE_SHOWN;
	for (i = 0; i < q->n_items; i++)
		if (in_text(&q->items[i], f))
			return LMS_QFILE_SHOWN;
	if (in_text(&q->grader_info, f))
		return LMS_QFILE_GRADER;
	return LMS_QFILE_FEEDBACK;
}

static bool starts(const lms_qfile_row *f, size_t at, const char *magic, size_t n)
{
	return f->size >= at + n && memcmp(f->data + at, magic, n) == 0;
}

const char *lms_qfile_inline_type(const lms_qfile_row *f)
{
	if (!f || !f->mime || !f->data)
		return NULL;
	if (strcmp(f->mime, "image/png") == 0 && starts(f, 0, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (strcmp(f->mime, "image/jpeg") == 0 && starts(f, 0, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (strcmp(f->mime, "image/gif") == 0 &&
	    (starts(f, 0, "GIF87a", 6) || starts(f, 0, "GIF89a", 6)))
		return "image/gif";
	if (strcmp(f->mime, "image/webp") == 0 && starts(f, 0, "RIFF", 4) &&
	    starts(f, 8, "WEBP", 4))
		return "image/webp";
	return NULL;
}

static int not_found(lms_err *err)
{
	return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such file");
}

int lms_as_attempt_file(lms_store *s, int64_t attempt_id, int64_t user_id, int slot_no,
                        const char *ref, int64_t now_us, lms_arena *a, lms_qfile_row *out,
                        lms_err *err)
{
	lms_as_file f;
	lms_question *q = NULL;
	lms_qfile **all = NULL;
	lms_qlimits lim;
	lms_as_def def;
	lms_err e;
	size_t n = 0;
	int rc;

	if ((rc = lms_qfile_ref_check(ref, err)) < 0)
		return rc;
	if (attempt_id <= 0 || user_id <= 0 || slot_no < 0 || slot_no >= LMS_AS_MAX_SLOTS)
		return not_found(err);
	if (!s->ops->assess || !s->ops->assess->attempt_file)
		return not_found(err);
	memset(&f, 0, sizeof(f));
	if ((rc = s->ops->assess->attempt_file(s, attempt_id, user_id, slot_no, ref, a, &f, err)) < 0)
		return rc == LMS_ENOTFOUND ? not_found(err) : rc;
	/* the version's JSON says which text the file belongs to: it was written by the codec,
	 * so it reads back; if it did not, the file is not shown rather than guessed about */
	lms_qlimits_default(&lim);
	lms_err_clear(&e);
	if (lms_question_from_json(f.body, f.body_len, &lim, a, &q, &e) < 0)
		return lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
		                   "question version %lld does not read back: %s",
		                   (long long)f.file.version_id, e.msg);
	lms_question_files(q, a, &all, &n);
	if (f.file.ord < 0 || (size_t)f.file.ord >= n ||
	    strcmp(all[f.file.ord]->name, f.file.name) != 0 ||
	    strcmp(all[f.file.ord]->path, f.file.path) != 0)
		return lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
		                   "question version %lld: file %d is not the one its JSON names",
		                   (long long)f.file.version_id, f.file.ord);
	switch (lms_qfile_part_of(q, (size_t)f.file.ord, a)) {
	case LMS_QFILE_SHOWN:
		break;
	case LMS_QFILE_FEEDBACK:
		memset(&def, 0, sizeof(def));
		def.kind = f.kind;
		def.closes_us = f.closes_us;
		if (!f.submitted || !lms_as_may_see(&def, f.show_feedback, now_us, f.published))
			return not_found(err);
		break;
	default:
		return not_found(err);
	}
	*out = f.file;
	return LMS_OK;
}

int lms_qbank_file(lms_store *s, int64_t version_id, const char *ref, lms_arena *a,
                   lms_qfile_row *out, lms_err *err)
{
	lms_qfile_row f;
	int rc;

	if ((rc = lms_qfile_ref_check(ref, err)) < 0)
		return rc;
	if (version_id <= 0)
		return not_found(err);
	if (!s->ops->qbank || !s->ops->qbank->file)
		return not_found(err);
	memset(&f, 0, sizeof(f));
	if ((rc = s->ops->qbank->file(s, version_id, ref, a, &f, err)) < 0)
		return rc == LMS_ENOTFOUND ? not_found(err) : rc;
	*out = f;
	return LMS_OK;
}
