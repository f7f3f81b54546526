/* qbank.c — the question bank's use cases over the store (qbank.h): importing a GIFT or
 * Moodle XML file whole or not at all, exporting the current versions, and editing (a new
 * version). The same functions serve `parlearn questions` and the trainer's endpoints, so a
 * trainer reads the same report in a terminal and on the page.
 *
 * Invariants: a file with any error writes no question (its refusal is recorded); the
 * questions a store is asked to write have passed lms_question_check (the parsers apply it,
 * and an edit applies it here); a version's JSON is lms_question_to_json's canonical text,
 * so an edit that changes nothing is recognised by comparing texts and writes nothing.
 * No SQL, no HTTP: the store does the writing (store->ops->qbank).
 */
#include "lms/qbank.h"

#include "lms/validate.h"

#include <stdio.h>
#include <string.h>

static int no_bank(lms_store *s, lms_err *err)
{
	if (s->ops->qbank)
		return 0;
	return lms_err_set(err, LMS_EUNSUPPORTED, "unsupported", NULL,
	                   "this store keeps no question bank");
}

lms_qbank_format lms_qbank_format_parse(const char *s)
{
	if (!s)
		return 0;
	if (strcmp(s, "gift") == 0)
		return LMS_QBANK_GIFT;
	if (strcmp(s, "moodlexml") == 0 || strcmp(s, "xml") == 0)
		return LMS_QBANK_MOODLEXML;
	return 0;
}

const char *lms_qbank_format_name(lms_qbank_format f)
{
	return f == LMS_QBANK_GIFT ? "gift" : f == LMS_QBANK_MOODLEXML ? "moodlexml" : "?";
}

const char *lms_qbank_outcome_name(lms_qbank_outcome o)
{
	switch (o) {
	case LMS_QBANK_APPLIED: return "applied";
	case LMS_QBANK_DRY_RUN: return "dry_run";
	case LMS_QBANK_REJECTED: return "rejected";
	case LMS_QBANK_ALREADY: return "already_imported";
	}
	return "?";
}

int lms_qbank_category_clean(lms_arena *a, const char *path, const char **out, lms_err *err)
{
	size_t n = path ? strlen(path) : 0, i, k = 0;
	char *o;

	if (n > LMS_Q_MAX_CATEGORY || (n && !lms_utf8_valid(path, n)))
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "category",
		                   "category: a path of at most %d bytes of UTF-8 text, segments "
		                   "separated by '/'", LMS_Q_MAX_CATEGORY);
	for (i = 0; i < n; i++)
		if ((unsigned char)path[i] < 0x20 || path[i] == 0x7f)
			return lms_err_set(err, LMS_EINVAL, "invalid_field", "category",
			                   "category: control characters are not allowed");
	o = lms_arena_alloc(a, n + 1);
	for (i = 0; i < n;) {
		size_t j = i, b, e;
		while (j < n && path[j] != '/')
			j++;
		b = i;
		e = j;
		while (b < e && (path[b] == ' ' || path[b] == '\t'))
			b++;
		while (e > b && (path[e - 1] == ' ' || path[e - 1] == '\t'))
			e--;
		if (e > b) {
			if (k)
				o[k++] = '/';
			memcpy(o + k, path + b, e - b);
			k += e - b;
		}
		i = j + 1;
	}
	o[k] = '\0';
	return lms_qtext_nfc(a, o, k, out, err) < 0
	               ? lms_err_set(err, LMS_EINVAL, "invalid_field", "category",
	                             "category: not UTF-8 text")
	               : 0;
}

/* The file's name for the record: UTF-8 without control characters, at most 255 bytes (cut
 * at a character boundary); "file" when nothing usable is left. */
static const char *record_name(lms_arena *a, const char *name)
{
	size_t n = name ? strlen(name) : 0, i;

	if (n > 255)
		n = 255;
	while (n && !lms_utf8_valid(name, n))
		n--;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "file";
	return n ? lms_arena_strndup(a, name, n) : "file";
}

/* A question's JSON and its files' bytes, for the store. */
static int encode(lms_arena *a, const lms_question *q, lms_qbank_new *out, lms_err *err)
{
	lms_qfile **files;
	lms_jsonw w;
	size_t n, i;
	int rc;

	lms_jsonw_init(&w, a);
	if ((rc = lms_question_to_json(q, &w, err)) < 0)
		return rc;
	out->q = q;
	out->body = lms_jsonw_text(&w);
	lms_question_files(q, a, &files, &n);
	out->files = n ? lms_arena_alloc(a, n * sizeof(*out->files)) : NULL;
	for (i = 0; i < n; i++) {
		out->files[i].data = files[i]->data;
		out->files[i].size = files[i]->size;
	}
	out->n_files = n;
	return 0;
}

static void problems_json(lms_jsonw *w, const lms_qreport *rep)
{
	size_t i;

	lms_jsonw_raw(w, "\"errors\":");
	lms_jsonw_i64(w, (int64_t)rep->errors);
	lms_jsonw_raw(w, ",\"warnings\":");
	lms_jsonw_i64(w, (int64_t)rep->warnings);
	lms_jsonw_raw(w, ",\"dropped\":");
	lms_jsonw_i64(w, (int64_t)rep->dropped);
	lms_jsonw_raw(w, ",\"problems\":[");
	for (i = 0; i < rep->n; i++) {
		const lms_qproblem *p = &rep->items[i];
		lms_jsonw_raw(w, i ? ",{\"severity\":" : "{\"severity\":");
		lms_jsonw_str(w, p->severity == LMS_SEV_ERROR ? "error" : "warning");
		lms_jsonw_raw(w, ",\"code\":");
		lms_jsonw_str(w, p->code);
		lms_jsonw_raw(w, ",\"index\":");
		lms_jsonw_i64(w, (int64_t)p->index);
		lms_jsonw_raw(w, ",\"line\":");
		lms_jsonw_i64(w, p->line);
		lms_jsonw_raw(w, ",\"name\":");
		lms_jsonw_str(w, p->name ? p->name : "");
		lms_jsonw_raw(w, ",\"message\":");
		lms_jsonw_str(w, p->message);
		lms_jsonw_raw(w, ",\"message_vi\":");
		lms_jsonw_str(w, p->message_vi);
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]");
}

static const char *report_json(const lms_qreport *rep, lms_arena *a)
{
	lms_jsonw w;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "{");
	problems_json(&w, rep);
	lms_jsonw_raw(&w, "}");
	return lms_jsonw_text(&w);
}

const char *lms_qbank_import_json(const lms_qbank_import_result *r, lms_arena *a)
{
	lms_jsonw w;
	int t;

	lms_jsonw_init(&w, a);
	lms_jsonw_raw(&w, "{\"outcome\":");
	lms_jsonw_str(&w, lms_qbank_outcome_name(r->outcome));
	lms_jsonw_raw(&w, ",\"import_id\":");
	lms_jsonw_i64(&w, r->import_id);
	lms_jsonw_raw(&w, ",\"previous_import_id\":");
	if (r->previous_id)
		lms_jsonw_i64(&w, r->previous_id);
	else
		lms_jsonw_raw(&w, "null");
	lms_jsonw_raw(&w, ",\"sha256\":");
	lms_jsonw_str(&w, r->sha256[0] ? r->sha256 : NULL);
	lms_jsonw_raw(&w, ",\"format\":");
	lms_jsonw_str(&w, r->format);
	lms_jsonw_raw(&w, ",\"category\":");
	lms_jsonw_str(&w, r->category);
	lms_jsonw_raw(&w, ",\"file_name\":");
	lms_jsonw_str(&w, r->file_name);
	lms_jsonw_raw(&w, ",\"questions\":");
	lms_jsonw_i64(&w, (int64_t)r->questions);
	lms_jsonw_raw(&w, ",\"by_type\":{");
	for (t = LMS_Q_SINGLE; t <= LMS_Q_DESCRIPTION; t++) {
		if (t > LMS_Q_SINGLE)
			lms_jsonw_raw(&w, ",");
		lms_jsonw_str(&w, lms_qtype_name((lms_qtype)t));
		lms_jsonw_raw(&w, ":");
		lms_jsonw_i64(&w, (int64_t)r->by_type[t]);
	}
	lms_jsonw_raw(&w, "},\"categories_created\":");
	lms_jsonw_i64(&w, (int64_t)r->categories_created);
	lms_jsonw_raw(&w, ",");
	problems_json(&w, &r->report);
	lms_jsonw_raw(&w, "}");
	return lms_jsonw_text(&w);
}

int lms_qbank_import(lms_store *s, const char *data, size_t len, const lms_qbank_import_opts *o,
                     lms_arena *a, lms_qbank_import_result *r, lms_err *err)
{
	lms_qbank_import_in in;
	lms_qbank_import_out out;
	lms_qimport_opts io;
	lms_qbank_new *qs = NULL;
	lms_qset set;
	size_t i;
	int rc, prc;

	memset(r, 0, sizeof(*r));
	lms_qreport_init(&r->report, a);
	r->format = lms_qbank_format_name(o->format);
	r->category = o->category ? o->category : "";
	r->file_name = record_name(a, o->file_name);
	if ((rc = no_bank(s, err)) < 0)
		return rc;
	if (o->format != LMS_QBANK_GIFT && o->format != LMS_QBANK_MOODLEXML)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "format",
		                   "format: must be gift or moodlexml");
	lms_qimport_opts_default(&io);
	io.category = r->category[0] ? r->category : NULL;
	memset(&set, 0, sizeof(set));
	if (o->format == LMS_QBANK_GIFT) {
		prc = lms_gift_parse(data, len, &io, a, &set, &r->report, err);
	} else {
		io.limits.max_file_bytes = LMS_Q_XML_MAX_BYTES;
		prc = lms_moodlexml_parse(data, len, &io, a, &set, &r->report, err);
	}
	if (prc < 0 && prc != LMS_EINVAL && prc != LMS_ETOOBIG)
		return prc; /* not the file's fault */
	if (prc == LMS_ETOOBIG && r->report.errors == 0) {
		char detail[48];
		snprintf(detail, sizeof(detail), "%zu MiB",
		         (o->format == LMS_QBANK_GIFT ? LMS_Q_GIFT_MAX_BYTES : LMS_Q_XML_MAX_BYTES) >> 20);
		lms_qreport_add(&r->report, LMS_SEV_ERROR, "questions_file_too_big", 0, 0, NULL, detail);
	}
	if (prc == 0 && set.n == 0 && r->report.errors == 0)
		lms_qreport_add(&r->report, LMS_SEV_ERROR, "questions_file_empty", 0, 0, NULL, NULL);
	r->questions = set.n;
	for (i = 0; i < set.n; i++)
		if (set.items[i]->type >= LMS_Q_SINGLE && set.items[i]->type <= LMS_Q_DESCRIPTION)
			r->by_type[set.items[i]->type]++;
	if (r->report.errors == 0 && set.n) {
		qs = lms_arena_alloc(a, set.n * sizeof(*qs));
		for (i = 0; i < set.n; i++) {
			lms_err qerr;
			lms_err_clear(&qerr);
			if (encode(a, set.items[i], &qs[i], &qerr) < 0)
				lms_qreport_add(&r->report, LMS_SEV_ERROR, "type_invalid", i + 1,
				                set.items[i]->line, set.items[i]->name, qerr.field);
		}
	}
	memset(&in, 0, sizeof(in));
	in.file_name = r->file_name;
	in.format = r->format;
	in.data = data;
	in.len = len;
	in.category = r->category;
	in.actor = o->actor && o->actor[0] ? o->actor : "unknown";
	in.rejected = r->report.errors > 0;
	in.qs = in.rejected ? NULL : qs;
	in.n = in.rejected ? 0 : set.n;
	in.dry_run = o->dry_run;
	in.report_json = report_json(&r->report, a);
	if (in.rejected && o->dry_run) {
		r->outcome = LMS_QBANK_REJECTED;
		return 0;
	}
	memset(&out, 0, sizeof(out));
	lms_err_clear(err);
	if ((rc = s->ops->qbank->import(s, &in, a, &out, err)) < 0)
		return rc;
	r->import_id = out.import_id;
	r->previous_id = out.previous_id;
	r->categories_created = out.categories_created;
	memcpy(r->sha256, out.sha256, sizeof(r->sha256));
	r->outcome = in.rejected ? LMS_QBANK_REJECTED
	             : out.already ? LMS_QBANK_ALREADY
	             : o->dry_run  ? LMS_QBANK_DRY_RUN
	                           : LMS_QBANK_APPLIED;
	return 0;
}

int lms_qbank_decode(const lms_qbank_body *b, lms_arena *a, lms_question **out, lms_err *err)
{
	lms_qlimits lim;
	lms_question *q;
	lms_qfile **files;
	size_t n, i;
	int rc;

	lms_qlimits_default(&lim);
	if ((rc = lms_question_from_json(b->body, b->body_len, &lim, a, &q, err)) < 0)
		return rc;
	lms_question_files(q, a, &files, &n);
	if (n != b->n_files)
		return lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
		                   "version %lld names %zu files, the store holds %zu",
		                   (long long)b->version_id, n, b->n_files);
	for (i = 0; i < n; i++) {
		if (files[i]->size != b->files[i].size)
			return lms_err_set(err, LMS_EINTERNAL, "internal", NULL,
			                   "version %lld: file %zu has another size in the store",
			                   (long long)b->version_id, i);
		files[i]->data = b->files[i].data;
	}
	*out = q;
	return 0;
}

/* How many distinct questions the writer left out (reported by index). */
static size_t skipped(const lms_qreport *rep)
{
	size_t i, n = 0, last = 0;

	for (i = 0; i < rep->n; i++) {
		const lms_qproblem *p = &rep->items[i];
		if ((strcmp(p->code, "gift_type_unsupported") == 0 || strcmp(p->code, "gift_arrow") == 0) &&
		    p->index != last) {
			n++;
			last = p->index;
		}
	}
	return n;
}

int lms_qbank_export(lms_store *s, lms_qbank_format format, const char *category, lms_arena *a,
                     lms_qbank_export_result *r, lms_err *err)
{
	lms_qwrite_opts wo = { true };
	lms_qbank_body *b = NULL;
	lms_question **qs;
	size_t n = 0, i;
	int rc;

	memset(r, 0, sizeof(*r));
	lms_qreport_init(&r->report, a);
	if ((rc = no_bank(s, err)) < 0)
		return rc;
	if (format != LMS_QBANK_GIFT && format != LMS_QBANK_MOODLEXML)
		return lms_err_set(err, LMS_EINVAL, "invalid_field", "format",
		                   "format: must be gift or moodlexml");
	if ((rc = s->ops->qbank->bodies(s, 0, 0, category ? category : "", a, &b, &n, err)) < 0)
		return rc;
	qs = lms_arena_alloc(a, (n + 1) * sizeof(*qs));
	for (i = 0; i < n; i++)
		if ((rc = lms_qbank_decode(&b[i], a, &qs[i], err)) < 0)
			return rc;
	r->questions = n;
	if (format == LMS_QBANK_GIFT)
		rc = lms_gift_write((const lms_question *const *)qs, n, &wo, a, &r->report, &r->text,
		                    &r->len, err);
	else
		rc = lms_moodlexml_write((const lms_question *const *)qs, n, &wo, a, &r->report,
		                         &r->text, &r->len, err);
	if (rc < 0)
		return rc;
	r->written = n - skipped(&r->report);
	return 0;
}

/* The file of cur with f's path, name and size, or NULL. */
static const lms_qfile *same_file(lms_qfile *const *cur, size_t n, const lms_qfile *f)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cur[i]->size == f->size && strcmp(cur[i]->name, f->name) == 0 &&
		    strcmp(cur[i]->path, f->path) == 0)
			return cur[i];
	return NULL;
}

int lms_qbank_edit(lms_store *s, int64_t id, int expect_version, const char *json, size_t len,
                   const char *actor, lms_arena *a, lms_qbank_edit_result *r, lms_err *err)
{
	lms_qbank_new now, before;
	lms_qbank_body *b = NULL;
	lms_question *nq, *cur;
	lms_qfile **nf, **cf;
	size_t n = 0, nn, cn, i;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = no_bank(s, err)) < 0)
		return rc;
	if ((rc = lms_question_from_json(json, len, NULL, a, &nq, err)) < 0)
		return rc;
	if ((rc = s->ops->qbank->bodies(s, 0, id, NULL, a, &b, &n, err)) < 0)
		return rc;
	if (n != 1)
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "id", "no question has this id");
	if ((rc = lms_qbank_decode(&b[0], a, &cur, err)) < 0)
		return rc;
	if (expect_version && expect_version != b[0].version_no)
		return lms_err_set(err, LMS_ECONFLICT, "version_conflict", "version",
		                   "the question is at version %d now (someone edited it); reload it "
		                   "and edit again", b[0].version_no);
	if (nq->type != cur->type)
		return lms_err_set(err, LMS_EINVAL, "type_readonly", "type",
		                   "type: a question keeps its type (%s); make a new question instead",
		                   lms_qtype_name(cur->type));
	if (nq->category[0] && strcmp(nq->category, cur->category) != 0)
		return lms_err_set(err, LMS_EINVAL, "category_readonly", "category",
		                   "category: an edit keeps the question's category");
	nq->category = cur->category;
	lms_question_files(nq, a, &nf, &nn);
	lms_question_files(cur, a, &cf, &cn);
	for (i = 0; i < nn; i++) {
		const lms_qfile *f = same_file(cf, cn, nf[i]);
		if (!f)
			return lms_err_set(err, LMS_EINVAL, "file_unknown", "files",
			                   "files: \"%s\" is not a file of the current version (new "
			                   "files come with a Moodle XML import)", nf[i]->name);
		nf[i]->data = f->data;
	}
	if ((rc = lms_question_check(nq, NULL, err)) < 0)
		return rc;
	if ((rc = encode(a, nq, &now, err)) < 0 || (rc = encode(a, cur, &before, err)) < 0)
		return rc;
	if (strcmp(now.body, before.body) == 0) {
		r->unchanged = true;
		r->version_no = b[0].version_no;
		r->version_id = b[0].version_id;
		return 0;
	}
	return s->ops->qbank->edit(s, id, b[0].version_no, &now,
	                           actor && actor[0] ? actor : "unknown", r, err);
}
