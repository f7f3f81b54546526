/* question_json.c — a question version as JSON (qbank.h): what the store keeps in
 * question_version.body and what a trainer's edit sends. This file is the core's cJSON
 * adapter: no cJSON type leaves it, and every cJSON object is freed here.
 *
 * Writing is canonical: the same question always gives the same text (members in one fixed
 * order, numbers as the shortest text that reads back exactly), so two versions can be
 * compared by their text. Reading is strict, because edits come from clients: the input is
 * checked as UTF-8 and for depth before cJSON sees it (cJSON checks neither, and recurses
 * 1,000 levels deep), a "\u0000" escape is refused (cJSON would cut the string there), and
 * a member of the wrong type, unknown or given twice is an error naming its path. Every
 * count is capped before anything is allocated for it. Nothing here checks the model's rules
 * (lms_question_check does).
 */
#include "lms/qbank.h"

#include "lms/validate.h"

#include <cjson/cJSON.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- writing ---- */

static const char *difficulty_name(lms_qdifficulty d)
{
	switch (d) {
	case LMS_QD_EASY: return "easy";
	case LMS_QD_MEDIUM: return "medium";
	case LMS_QD_HARD: return "hard";
	case LMS_QD_NONE: break;
	}
	return "none";
}

static const char *grading_name(lms_qordering_grading g)
{
	return g == LMS_QO_ALL_OR_NOTHING ? "all_or_nothing" : "absolute_position";
}

typedef struct wctx {
	lms_jsonw *w;
	lms_err *err;
	int rc;
} wctx;

static void bad(wctx *c, const char *field)
{
	if (c->rc == 0)
		c->rc = lms_err_set(c->err, LMS_EINVAL, "question_invalid", field,
		                    "%s: not a value the question model allows", field);
}

static void key(wctx *c, const char *name, bool first)
{
	lms_jsonw_raw(c->w, first ? "\"" : ",\"");
	lms_jsonw_raw(c->w, name);
	lms_jsonw_raw(c->w, "\":");
}

static void str(wctx *c, const char *s)
{
	lms_jsonw_str(c->w, s ? s : "");
}

static void num(wctx *c, double v, const char *field)
{
	char b[32];

	if (!isfinite(v)) {
		bad(c, field);
		lms_jsonw_raw(c->w, "0");
		return;
	}
	lms_qnumber_format(v, b);
	lms_jsonw_raw(c->w, b);
}

static void boolean(wctx *c, bool v)
{
	lms_jsonw_raw(c->w, v ? "true" : "false");
}

static void text(wctx *c, const lms_qtext *t, const char *field)
{
	size_t i;

	if (t->format > LMS_QF_MARKDOWN)
		bad(c, field);
	lms_jsonw_raw(c->w, "{\"text\":");
	str(c, t->text);
	lms_jsonw_raw(c->w, ",\"format\":");
	lms_jsonw_str(c->w, lms_qformat_name(t->format));
	if (t->n_files) {
		lms_jsonw_raw(c->w, ",\"files\":[");
		for (i = 0; i < t->n_files; i++) {
			lms_jsonw_raw(c->w, i ? ",{\"name\":" : "{\"name\":");
			str(c, t->files[i].name);
			lms_jsonw_raw(c->w, ",\"path\":");
			str(c, t->files[i].path);
			lms_jsonw_raw(c->w, ",\"size\":");
			lms_jsonw_i64(c->w, (int64_t)t->files[i].size);
			lms_jsonw_raw(c->w, "}");
		}
		lms_jsonw_raw(c->w, "]");
	}
	lms_jsonw_raw(c->w, "}");
}

int lms_question_to_json(const lms_question *q, lms_jsonw *w, lms_err *err)
{
	wctx c = { w, err, 0 };
	size_t i;

	if (q->type < LMS_Q_SINGLE || q->type > LMS_Q_DESCRIPTION)
		bad(&c, "type");
	if (q->difficulty > LMS_QD_HARD)
		bad(&c, "difficulty");
	if (q->ordering_grading > LMS_QO_ALL_OR_NOTHING)
		bad(&c, "ordering_grading");
	lms_jsonw_raw(w, "{");
	key(&c, "v", true);
	lms_jsonw_i64(w, LMS_QJSON_VERSION);
	key(&c, "type", false);
	lms_jsonw_str(w, lms_qtype_name(q->type));
	key(&c, "name", false);
	str(&c, q->name);
	key(&c, "idnumber", false);
	str(&c, q->idnumber);
	key(&c, "category", false);
	str(&c, q->category);
	key(&c, "text", false);
	text(&c, &q->text, "text");
	key(&c, "general_feedback", false);
	text(&c, &q->general_feedback, "general_feedback");
	key(&c, "default_mark", false);
	num(&c, q->default_mark, "default_mark");
	key(&c, "penalty", false);
	num(&c, q->penalty, "penalty");
	key(&c, "hidden", false);
	boolean(&c, q->hidden);
	key(&c, "tags", false);
	lms_jsonw_raw(w, "[");
	for (i = 0; i < q->n_tags; i++) {
		if (i)
			lms_jsonw_raw(w, ",");
		str(&c, q->tags[i]);
	}
	lms_jsonw_raw(w, "]");
	key(&c, "difficulty", false);
	lms_jsonw_str(w, difficulty_name(q->difficulty));
	key(&c, "shuffle", false);
	boolean(&c, q->shuffle);
	key(&c, "answer_numbering", false);
	str(&c, q->answer_numbering);
	key(&c, "options", false);
	lms_jsonw_raw(w, "[");
	for (i = 0; i < q->n_options; i++) {
		lms_jsonw_raw(w, i ? ",{\"text\":" : "{\"text\":");
		text(&c, &q->options[i].text, "options");
		lms_jsonw_raw(w, ",\"fraction\":");
		num(&c, q->options[i].fraction, "options");
		lms_jsonw_raw(w, ",\"feedback\":");
		text(&c, &q->options[i].feedback, "options");
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]");
	key(&c, "case_sensitive", false);
	boolean(&c, q->case_sensitive);
	key(&c, "diacritics_must_match", false);
	boolean(&c, q->diacritics_must_match);
	key(&c, "tf_answer", false);
	boolean(&c, q->tf_answer);
	key(&c, "tf_feedback_true", false);
	text(&c, &q->tf_feedback_true, "tf_feedback_true");
	key(&c, "tf_feedback_false", false);
	text(&c, &q->tf_feedback_false, "tf_feedback_false");
	key(&c, "numerics", false);
	lms_jsonw_raw(w, "[");
	for (i = 0; i < q->n_numerics; i++) {
		const lms_qnumeric *n = &q->numerics[i];
		lms_jsonw_raw(w, i ? ",{\"any\":" : "{\"any\":");
		boolean(&c, n->any);
		lms_jsonw_raw(w, ",\"value\":");
		num(&c, n->value, "numerics");
		lms_jsonw_raw(w, ",\"tolerance\":");
		num(&c, n->tolerance, "numerics");
		lms_jsonw_raw(w, ",\"fraction\":");
		num(&c, n->fraction, "numerics");
		lms_jsonw_raw(w, ",\"feedback\":");
		text(&c, &n->feedback, "numerics");
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]");
	key(&c, "pairs", false);
	lms_jsonw_raw(w, "[");
	for (i = 0; i < q->n_pairs; i++) {
		lms_jsonw_raw(w, i ? ",{\"stem\":" : "{\"stem\":");
		text(&c, &q->pairs[i].stem, "pairs");
		lms_jsonw_raw(w, ",\"answer\":");
		str(&c, q->pairs[i].answer);
		lms_jsonw_raw(w, "}");
	}
	lms_jsonw_raw(w, "]");
	key(&c, "items", false);
	lms_jsonw_raw(w, "[");
	for (i = 0; i < q->n_items; i++) {
		if (i)
			lms_jsonw_raw(w, ",");
		text(&c, &q->items[i], "items");
	}
	lms_jsonw_raw(w, "]");
	key(&c, "ordering_grading", false);
	lms_jsonw_str(w, grading_name(q->ordering_grading));
	key(&c, "correct_feedback", false);
	text(&c, &q->correct_feedback, "correct_feedback");
	key(&c, "partial_feedback", false);
	text(&c, &q->partial_feedback, "partial_feedback");
	key(&c, "incorrect_feedback", false);
	text(&c, &q->incorrect_feedback, "incorrect_feedback");
	key(&c, "response_format", false);
	str(&c, q->response_format);
	key(&c, "response_required", false);
	boolean(&c, q->response_required);
	key(&c, "response_lines", false);
	lms_jsonw_i64(w, q->response_lines);
	key(&c, "attachments", false);
	lms_jsonw_i64(w, q->attachments);
	key(&c, "grader_info", false);
	text(&c, &q->grader_info, "grader_info");
	key(&c, "response_template", false);
	text(&c, &q->response_template, "response_template");
	lms_jsonw_raw(w, "}");
	return c.rc;
}

/* ---- every file, in one order ---- */

typedef struct fwalk {
	lms_qfile **v;
	size_t n;
} fwalk;

static void walk_text(fwalk *f, const lms_qtext *t)
{
	size_t i;

	for (i = 0; i < t->n_files; i++) {
		if (f->v)
			f->v[f->n] = &t->files[i];
		f->n++;
	}
}

static void walk(fwalk *f, const lms_question *q)
{
	size_t i;

	walk_text(f, &q->text);
	walk_text(f, &q->general_feedback);
	for (i = 0; i < q->n_options; i++) {
		walk_text(f, &q->options[i].text);
		walk_text(f, &q->options[i].feedback);
	}
	walk_text(f, &q->tf_feedback_true);
	walk_text(f, &q->tf_feedback_false);
	for (i = 0; i < q->n_numerics; i++)
		walk_text(f, &q->numerics[i].feedback);
	for (i = 0; i < q->n_pairs; i++)
		walk_text(f, &q->pairs[i].stem);
	for (i = 0; i < q->n_items; i++)
		walk_text(f, &q->items[i]);
	walk_text(f, &q->correct_feedback);
	walk_text(f, &q->partial_feedback);
	walk_text(f, &q->incorrect_feedback);
	walk_text(f, &q->grader_info);
	walk_text(f, &q->response_template);
}

void lms_question_files(const lms_question *q, lms_arena *a, lms_qfile ***out, size_t *n)
{
	fwalk f = { NULL, 0 };

	walk(&f, q);
	*n = f.n;
	*out = NULL;
	if (!f.n)
		return;
	f.v = lms_arena_alloc(a, f.n * sizeof(*f.v));
	f.n = 0;
	walk(&f, q);
	*out = f.v;
}

/* ---- reading ---- */

typedef struct rctx {
	lms_arena *a;
	const lms_qlimits *lim;
	lms_err *err;
	char path[96];     /* the member being read, for the error */
} rctx;

static int fail(rctx *c, const char *what)
{
	return lms_err_set(c->err, LMS_EINVAL, "json_member", c->path, "%s: %s", c->path, what);
}

/* c->path = prefix + "." + name, or "[i]" */
static void at(rctx *c, const char *prefix, const char *name, size_t index, bool is_index)
{
	if (is_index)
		snprintf(c->path, sizeof(c->path), "%s[%zu]", prefix, index);
	else if (prefix[0])
		snprintf(c->path, sizeof(c->path), "%s.%s", prefix, name);
	else
		snprintf(c->path, sizeof(c->path), "%s", name);
}

static int get_str(rctx *c, const cJSON *j, size_t max, const char **out)
{
	size_t n;

	if (!cJSON_IsString(j) || !j->valuestring)
		return fail(c, "must be a string");
	n = strlen(j->valuestring);
	if (n > max)
		return lms_err_set(c->err, LMS_EINVAL, "json_member", c->path,
		                   "%s: longer than %zu bytes", c->path, max);
	if (lms_qtext_nfc(c->a, j->valuestring, n, out, c->err) < 0)
		return fail(c, "is not UTF-8 text");
	if (strlen(*out) > max) /* NFC lengthens a few characters */
		return lms_err_set(c->err, LMS_EINVAL, "json_member", c->path,
		                   "%s: longer than %zu bytes", c->path, max);
	return 0;
}

static int get_bool(rctx *c, const cJSON *j, bool *out)
{
	if (!cJSON_IsBool(j))
		return fail(c, "must be true or false");
	*out = cJSON_IsTrue(j);
	return 0;
}

static int get_num(rctx *c, const cJSON *j, double *out)
{
	if (!cJSON_IsNumber(j) || !isfinite(j->valuedouble))
		return fail(c, "must be a number");
	*out = j->valuedouble;
	return 0;
}

static int get_int(rctx *c, const cJSON *j, int lo, int hi, int *out)
{
	double d;

	if (!cJSON_IsNumber(j) || !isfinite(d = j->valuedouble) || d != floor(d) || d < lo || d > hi)
		return lms_err_set(c->err, LMS_EINVAL, "json_member", c->path,
		                   "%s: must be a whole number from %d to %d", c->path, lo, hi);
	*out = (int)d;
	return 0;
}

/* An array's length, capped before anything is allocated. */
static int get_array(rctx *c, const cJSON *j, size_t max, size_t *n)
{
	const cJSON *e;
	size_t k = 0;

	if (!cJSON_IsArray(j))
		return fail(c, "must be an array");
	for (e = j->child; e; e = e->next)
		if (++k > max)
			return lms_err_set(c->err, LMS_EINVAL, "json_member", c->path,
			                   "%s: more than %zu elements", c->path, max);
	*n = k;
	return 0;
}

static int enum_of(rctx *c, const cJSON *j, const char *const *names, size_t n, int *out)
{
	size_t i;

	if (!cJSON_IsString(j) || !j->valuestring)
		return fail(c, "must be a string");
	for (i = 0; i < n; i++)
		if (strcmp(j->valuestring, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	return fail(c, "is not one of the allowed values");
}

/* Walks obj's members: each must be one of names, none twice; each(c, its index in names,
 * the member, prefix, arg) reads it, with c->path naming it. */
typedef int member_fn(rctx *c, int index, const cJSON *m, const char *prefix, void *arg);

static int members(rctx *c, const cJSON *obj, const char *const *names, size_t n,
                   const char *prefix, member_fn *each, void *arg)
{
	unsigned long long seen = 0;
	const cJSON *m;
	size_t i;
	int rc;

	if (!cJSON_IsObject(obj)) {
		snprintf(c->path, sizeof(c->path), "%s", prefix[0] ? prefix : "(root)");
		return fail(c, "must be an object");
	}
	for (m = obj->child; m; m = m->next) {
		for (i = 0; i < n; i++)
			if (m->string && strcmp(m->string, names[i]) == 0)
				break;
		at(c, prefix, m->string ? m->string : "?", 0, false);
		if (i == n)
			return fail(c, "is not a member of a question");
		if (seen & (1ULL << i))
			return fail(c, "is given twice");
		seen |= 1ULL << i;
		if ((rc = each(c, (int)i, m, prefix, arg)) < 0)
			return rc;
	}
	return 0;
}

static const char *const format_names[] = { "moodle_auto_format", "html", "plain_text",
	                                    "markdown" };
static const char *const file_members[] = { "name", "path", "size" };
static const char *const text_members[] = { "text", "format", "files" };

static int file_member(rctx *c, int i, const cJSON *m, const char *prefix, void *arg)
{
	lms_qfile *f = arg;
	double d = 0;

	(void)prefix;
	switch (i) {
	case 0: return get_str(c, m, 255, &f->name);
	case 1: return get_str(c, m, 255, &f->path);
	default:
		if (get_num(c, m, &d) < 0 || d != floor(d) || d < 0 || d > (double)c->lim->max_attachment)
			return lms_err_set(c->err, LMS_EINVAL, "json_member", c->path,
			                   "%s: must be a size from 0 to %zu bytes", c->path,
			                   c->lim->max_attachment);
		f->size = (size_t)d;
		return 0;
	}
}

static int text_member(rctx *c, int i, const cJSON *m, const char *prefix, void *arg)
{
	lms_qtext *t = arg;
	char base[64];
	const cJSON *e;
	size_t n, k = 0;
	int fmt = 0, rc;

	(void)prefix;
	switch (i) {
	case 0: return get_str(c, m, c->lim->max_text, &t->text);
	case 1:
		if ((rc = enum_of(c, m, format_names, 4, &fmt)) < 0)
			return rc;
		t->format = (lms_qformat)fmt;
		return 0;
	default:
		if ((rc = get_array(c, m, LMS_Q_MAX_FILES, &n)) < 0)
			return rc;
		snprintf(base, sizeof(base), "%.60s", c->path);
		t->files = n ? lms_arena_alloc(c->a, n * sizeof(*t->files)) : NULL;
		for (e = m->child; e; e = e->next, k++) {
			char here[96];
			snprintf(here, sizeof(here), "%s[%zu]", base, k);
			if ((rc = members(c, e, file_members, 3, here, file_member, &t->files[k])) < 0)
				return rc;
			if (!t->files[k].name || !t->files[k].path) {
				snprintf(c->path, sizeof(c->path), "%s", here);
				return fail(c, "a file needs a name and a path");
			}
		}
		t->n_files = n;
		return 0;
	}
}

static int get_text(rctx *c, const cJSON *j, lms_qtext *t)
{
	char here[96];

	snprintf(here, sizeof(here), "%s", c->path);
	t->text = "";
	t->format = LMS_QF_MOODLE;
	t->files = NULL;
	t->n_files = 0;
	return members(c, j, text_members, 3, here, text_member, t);
}

static const char *const option_members[] = { "text", "fraction", "feedback" };

static int option_member(rctx *c, int i, const cJSON *m, const char *prefix, void *arg)
{
	lms_qoption *o = arg;

	(void)prefix;
	switch (i) {
	case 0: return get_text(c, m, &o->text);
	case 1: return get_num(c, m, &o->fraction);
	default: return get_text(c, m, &o->feedback);
	}
}

static const char *const numeric_members[] = { "any", "value", "tolerance", "fraction",
	                                       "feedback" };

static int numeric_member(rctx *c, int i, const cJSON *m, const char *prefix, void *arg)
{
	lms_qnumeric *n = arg;

	(void)prefix;
	switch (i) {
	case 0: return get_bool(c, m, &n->any);
	case 1: return get_num(c, m, &n->value);
	case 2: return get_num(c, m, &n->tolerance);
	case 3: return get_num(c, m, &n->fraction);
	default: return get_text(c, m, &n->feedback);
	}
}

static const char *const pair_members[] = { "stem", "answer" };

static int pair_member(rctx *c, int i, const cJSON *m, const char *prefix, void *arg)
{
	lms_qpair *p = arg;

	(void)prefix;
	if (i == 0)
		return get_text(c, m, &p->stem);
	return get_str(c, m, c->lim->max_text, &p->answer);
}

static void text_default(lms_qtext *t)
{
	t->text = "";
	t->format = LMS_QF_MOODLE;
}

/* A list of objects: count (capped), allocate, read each with its member table. */
static int get_list(rctx *c, const cJSON *j, size_t size, void **out, size_t *n,
                    const char *const *names, size_t nnames, member_fn *each,
                    void (*init)(void *))
{
	char base[64];
	const cJSON *e;
	size_t k = 0, max = c->lim->max_options;
	unsigned char *v;
	int rc;

	if (max > LMS_Q_MAX_OPTIONS)
		max = LMS_Q_MAX_OPTIONS;
	if ((rc = get_array(c, j, max, n)) < 0)
		return rc;
	snprintf(base, sizeof(base), "%.60s", c->path);
	v = *n ? lms_arena_alloc(c->a, *n * size) : NULL;
	for (e = j->child; e; e = e->next, k++) {
		char here[96];
		snprintf(here, sizeof(here), "%s[%zu]", base, k);
		init(v + k * size);
		if ((rc = members(c, e, names, nnames, here, each, v + k * size)) < 0)
			return rc;
	}
	*out = v;
	return 0;
}

static void option_init(void *p)
{
	lms_qoption *o = p;

	text_default(&o->text);
	text_default(&o->feedback);
}

static void numeric_init(void *p)
{
	text_default(&((lms_qnumeric *)p)->feedback);
}

static void pair_init(void *p)
{
	lms_qpair *pr = p;

	text_default(&pr->stem);
	pr->answer = "";
}

enum {
	M_V, M_TYPE, M_NAME, M_IDNUMBER, M_CATEGORY, M_TEXT, M_GENERAL_FEEDBACK, M_DEFAULT_MARK,
	M_PENALTY, M_HIDDEN, M_TAGS, M_DIFFICULTY, M_SHUFFLE, M_ANSWER_NUMBERING, M_OPTIONS,
	M_CASE_SENSITIVE, M_DIACRITICS, M_TF_ANSWER, M_TF_TRUE, M_TF_FALSE, M_NUMERICS, M_PAIRS,
	M_ITEMS, M_ORDERING_GRADING, M_CORRECT, M_PARTIAL, M_INCORRECT, M_RESPONSE_FORMAT,
	M_RESPONSE_REQUIRED, M_RESPONSE_LINES, M_ATTACHMENTS, M_GRADER_INFO, M_TEMPLATE, M__COUNT
};

static const char *const question_members[M__COUNT] = {
	"v", "type", "name", "idnumber", "category", "text", "general_feedback", "default_mark",
	"penalty", "hidden", "tags", "difficulty", "shuffle", "answer_numbering", "options",
	"case_sensitive", "diacritics_must_match", "tf_answer", "tf_feedback_true",
	"tf_feedback_false", "numerics", "pairs", "items", "ordering_grading", "correct_feedback",
	"partial_feedback", "incorrect_feedback", "response_format", "response_required",
	"response_lines", "attachments", "grader_info", "response_template",
};
_Static_assert(M__COUNT <= 64, "members are tracked in a 64-bit set");

static const char *const type_names[] = { "single", "multi", "truefalse", "short", "numerical",
	                                  "matching", "ordering", "essay", "description" };
static const char *const difficulty_names[] = { "none", "easy", "medium", "hard" };
static const char *const grading_names[] = { "absolute_position", "all_or_nothing" };

static int question_member(rctx *c, int i, const cJSON *m, const char *prefix, void *arg)
{
	lms_question *q = arg;
	const cJSON *e;
	size_t n, k;
	int v = 0, rc;

	(void)prefix;
	switch (i) {
	case M_V:
	case M_TYPE: return 0; /* read first, by question_from() */
	case M_NAME: return get_str(c, m, LMS_Q_MAX_NAME, &q->name);
	case M_IDNUMBER: return get_str(c, m, 100, &q->idnumber);
	case M_CATEGORY: return get_str(c, m, LMS_Q_MAX_CATEGORY, &q->category);
	case M_TEXT: return get_text(c, m, &q->text);
	case M_GENERAL_FEEDBACK: return get_text(c, m, &q->general_feedback);
	case M_DEFAULT_MARK: return get_num(c, m, &q->default_mark);
	case M_PENALTY: return get_num(c, m, &q->penalty);
	case M_HIDDEN: return get_bool(c, m, &q->hidden);
	case M_TAGS:
		if ((rc = get_array(c, m, LMS_Q_MAX_TAGS, &n)) < 0)
			return rc;
		q->tags = n ? lms_arena_alloc(c->a, n * sizeof(*q->tags)) : NULL;
		for (e = m->child, k = 0; e; e = e->next, k++) {
			at(c, "tags", NULL, k, true);
			if ((rc = get_str(c, e, LMS_Q_MAX_TAG, &q->tags[k])) < 0)
				return rc;
		}
		q->n_tags = n;
		return 0;
	case M_DIFFICULTY:
		if ((rc = enum_of(c, m, difficulty_names, 4, &v)) < 0)
			return rc;
		q->difficulty = (lms_qdifficulty)v;
		return 0;
	case M_SHUFFLE: return get_bool(c, m, &q->shuffle);
	case M_ANSWER_NUMBERING: return get_str(c, m, 20, &q->answer_numbering);
	case M_OPTIONS:
		return get_list(c, m, sizeof(lms_qoption), (void **)&q->options, &q->n_options,
		                option_members, 3, option_member, option_init);
	case M_CASE_SENSITIVE: return get_bool(c, m, &q->case_sensitive);
	case M_DIACRITICS: return get_bool(c, m, &q->diacritics_must_match);
	case M_TF_ANSWER: return get_bool(c, m, &q->tf_answer);
	case M_TF_TRUE: return get_text(c, m, &q->tf_feedback_true);
	case M_TF_FALSE: return get_text(c, m, &q->tf_feedback_false);
	case M_NUMERICS:
		return get_list(c, m, sizeof(lms_qnumeric), (void **)&q->numerics, &q->n_numerics,
		                numeric_members, 5, numeric_member, numeric_init);
	case M_PAIRS:
		return get_list(c, m, sizeof(lms_qpair), (void **)&q->pairs, &q->n_pairs,
		                pair_members, 2, pair_member, pair_init);
	case M_ITEMS:
		n = c->lim->max_options < LMS_Q_MAX_OPTIONS ? c->lim->max_options : LMS_Q_MAX_OPTIONS;
		if ((rc = get_array(c, m, n, &n)) < 0)
			return rc;
		q->items = n ? lms_arena_alloc(c->a, n * sizeof(*q->items)) : NULL;
		for (e = m->child, k = 0; e; e = e->next, k++) {
			at(c, "items", NULL, k, true);
			if ((rc = get_text(c, e, &q->items[k])) < 0)
				return rc;
		}
		q->n_items = n;
		return 0;
	case M_ORDERING_GRADING:
		if ((rc = enum_of(c, m, grading_names, 2, &v)) < 0)
			return rc;
		q->ordering_grading = (lms_qordering_grading)v;
		return 0;
	case M_CORRECT: return get_text(c, m, &q->correct_feedback);
	case M_PARTIAL: return get_text(c, m, &q->partial_feedback);
	case M_INCORRECT: return get_text(c, m, &q->incorrect_feedback);
	case M_RESPONSE_FORMAT: return get_str(c, m, 20, &q->response_format);
	case M_RESPONSE_REQUIRED: return get_bool(c, m, &q->response_required);
	case M_RESPONSE_LINES: return get_int(c, m, 0, 1000, &q->response_lines);
	case M_ATTACHMENTS: return get_int(c, m, -1, 100, &q->attachments);
	case M_GRADER_INFO: return get_text(c, m, &q->grader_info);
	default: return get_text(c, m, &q->response_template);
	}
}

/* An upper bound of nesting (bracket depth outside strings), and no "\u0000" escape. */
static int scan(const char *s, size_t n, lms_err *err)
{
	int depth = 0;
	bool in_str = false;
	size_t i;

	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (in_str) {
			if (ch == '\\') {
				if (i + 5 < n && s[i + 1] == 'u' && memcmp(s + i + 2, "0000", 4) == 0)
					return lms_err_set(err, LMS_EINVAL, "json_invalid", NULL,
					                   "the JSON holds a NUL character (\\u0000)");
				i++;
			} else if (ch == '"') {
				in_str = false;
			}
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '{' || ch == '[') {
			if (++depth > LMS_QJSON_MAX_DEPTH)
				return lms_err_set(err, LMS_EINVAL, "json_invalid", NULL,
				                   "the JSON is nested more than %d levels deep",
				                   LMS_QJSON_MAX_DEPTH);
		} else if (ch == '}' || ch == ']') {
			depth--;
		}
	}
	return 0;
}

static int question_from(rctx *c, const cJSON *root, lms_question **out)
{
	const cJSON *v, *t;
	lms_question *q;
	int type = 0, rc;

	snprintf(c->path, sizeof(c->path), "(root)");
	if (!cJSON_IsObject(root))
		return fail(c, "must be an object");
	v = cJSON_GetObjectItemCaseSensitive(root, "v");
	snprintf(c->path, sizeof(c->path), "v");
	if (!cJSON_IsNumber(v) || v->valuedouble != LMS_QJSON_VERSION)
		return lms_err_set(c->err, LMS_EINVAL, "json_member", "v",
		                   "v: must be %d (the version of this format)", LMS_QJSON_VERSION);
	t = cJSON_GetObjectItemCaseSensitive(root, "type");
	snprintf(c->path, sizeof(c->path), "type");
	if (!t)
		return fail(c, "is required");
	if ((rc = enum_of(c, t, type_names, 9, &type)) < 0)
		return rc;
	q = lms_question_new(c->a, (lms_qtype)(type + 1));
	if ((rc = members(c, root, question_members, M__COUNT, "", question_member, q)) < 0)
		return rc;
	*out = q;
	return 0;
}

int lms_question_from_json(const char *json, size_t len, const lms_qlimits *lim, lms_arena *a,
                           lms_question **out, lms_err *err)
{
	lms_qlimits deflim;
	const char *end = NULL;
	cJSON *root = NULL;
	rctx c;
	int rc;

	if (!lim) {
		lms_qlimits_default(&deflim);
		lim = &deflim;
	}
	if (len > LMS_QJSON_MAX_BYTES)
		return lms_err_set(err, LMS_ETOOBIG, "json_too_big", NULL,
		                   "a question's JSON may be at most %zu MiB", LMS_QJSON_MAX_BYTES >> 20);
	if (!lms_utf8_valid(json, len) || memchr(json, '\0', len))
		return lms_err_set(err, LMS_EINVAL, "json_invalid", NULL,
		                   "the JSON is not UTF-8 text");
	if ((rc = scan(json, len, err)) < 0)
		return rc;
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root && end && end >= json && end <= json + len) {
		/* only white space may follow the value (cJSON leaves that to us) */
		size_t k;
		for (k = (size_t)(end - json); k < len; k++)
			if (json[k] != ' ' && json[k] != '\t' && json[k] != '\r' && json[k] != '\n')
				break;
		if (k < len) {
			cJSON_Delete(root);
			root = NULL;
		}
	} else {
		cJSON_Delete(root);
		root = NULL;
	}
	if (!root)
		return lms_err_set(err, LMS_EINVAL, "json_invalid", NULL,
		                   "the question is not well-formed JSON");
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.lim = lim;
	c.err = err;
	rc = question_from(&c, root, out);
	cJSON_Delete(root);
	return rc;
}
