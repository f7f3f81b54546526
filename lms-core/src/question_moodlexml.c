/* question_moodlexml.c — Moodle XML question files (question.h): the libxml2 adapter that
 * reads <quiz><question type="..."> into the question model, and the writer.
 *
 * Invariants:
 * - Untrusted XML goes only through xml_safe_parse (xml_safe.h): from memory, with
 *   XML_PARSE_NONET, never NOENT, DTDLOAD or HUGE; any DOCTYPE is refused before its internal
 *   subset is read (a Moodle export never has one), so no entity is declared, expanded or
 *   fetched: XXE and "billion laughs" are refused with a message, not parsed. Element count
 *   and depth are capped while parsing. This file includes no libxml2 header of its own.
 * - Every xmlDoc and string libxml2 hands out is freed here; every string of the result is
 *   copied into the caller's arena, trimmed and in NFC.
 * - Every size from input is capped before use: the file (50 MiB), each text (limits), the
 *   answers of a question (counted before they are allocated), each attached file and all of
 *   them together (the base64 length is checked before decoding).
 * - A question with a problem is left out and reported with its ordinal among the
 *   <question> elements, its line and its name; the others are still read. A type we do not
 *   model is such a problem ("type_unsupported").
 *
 * What this file does not do: Moodle's units, hints, and the plugin types we do not model
 * (docs/question-formats.md lists them); grading (question.c).
 */
#include "lms/question.h"

#include "xml_safe.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MX_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)
#define MX_MAX_NODES 2000000   /* 20,000 questions of ~100 elements */
#define MX_MAX_DEPTH 32        /* a Moodle file nests 5 deep */
#define MX_MAX_XML_MESSAGES 50

static pthread_once_t mx_once = PTHREAD_ONCE_INIT;

static void mx_init_once(void)
{
	xmlInitParser();
}

void lms_moodlexml_global_init(void)
{
	(void)pthread_once(&mx_once, mx_init_once);
}

typedef struct mctx {
	lms_arena *a;
	lms_qreport *rep;
	const lms_qimport_opts *opts;
	size_t index;
	int line;
	const char *name;
	bool failed;
	size_t files_total;  /* decoded bytes of all files so far */
	bool total_reported;
} mctx;

static void problem(mctx *c, int line, const char *code, const char *detail)
{
	lms_qreport_add(c->rep, LMS_SEV_ERROR, code, c->index, line ? line : c->line, c->name,
	                detail);
	c->failed = true;
}

static void warning(mctx *c, int line, const char *code, const char *detail)
{
	lms_qreport_add(c->rep, LMS_SEV_WARNING, code, c->index, line ? line : c->line, c->name,
	                detail);
}

static int node_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	return l > 0 && l < INT_MAX ? (int)l : 0;
}

static bool is_elem(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	xmlNodePtr k;

	if (!n)
		return NULL;
	for (k = n->children; k; k = k->next)
		if (is_elem(k, name))
			return k;
	return NULL;
}

static xmlNodePtr next_elem(xmlNodePtr k, const char *name)
{
	for (k = k ? k->next : NULL; k; k = k->next)
		if (is_elem(k, name))
			return k;
	return NULL;
}

static size_t count_children(xmlNodePtr n, const char *name)
{
	size_t k = 0;
	xmlNodePtr c;

	for (c = child(n, name); c; c = next_elem(c, name))
		k++;
	return k;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The text and CDATA directly inside n, trimmed and in NFC, into a; "" for none. Over
 * max bytes is a problem (what names the element) and gives "". */
static const char *text_of(mctx *c, xmlNodePtr n, size_t max, const char *what)
{
	xmlNodePtr k;
	size_t total = 0, off = 0;
	const char *out;
	char *buf;
	lms_err err;

	if (!n)
		return "";
	for (k = n->children; k; k = k->next)
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content) {
			total += strlen((const char *)k->content);
			if (total > max) {
				problem(c, node_line(n), "text_too_long", what);
				return "";
			}
		}
	buf = malloc(total + 1);
	if (!buf)
		abort(); /* as the arena does */
	for (k = n->children; k; k = k->next)
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content) {
			size_t len = strlen((const char *)k->content);
			memcpy(buf + off, k->content, len);
			off += len;
		}
	{
		size_t lo = 0, hi = off;
		while (lo < hi && is_space(buf[lo]))
			lo++;
		while (hi > lo && is_space(buf[hi - 1]))
			hi--;
		if (lms_qtext_nfc(c->a, buf + lo, hi - lo, &out, &err) < 0) {
			problem(c, node_line(n), "text_not_utf8", what);
			out = "";
		}
	}
	free(buf);
	return out;
}

/* <holder><text>..</text></holder>'s text. */
static const char *inner_text(mctx *c, xmlNodePtr holder, const char *what)
{
	return text_of(c, child(holder, "text"), c->opts->limits.max_text, what);
}

/* A short value: <name>value</name> directly. */
static const char *value_of(mctx *c, xmlNodePtr q, const char *name)
{
	return text_of(c, child(q, name), 1000, name);
}

static const char *attr(mctx *c, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *out = NULL;

	if (v) {
		size_t len = strlen((const char *)v);
		out = lms_arena_strndup(c->a, (const char *)v, len > 1000 ? 1000 : len);
		xmlFree(v);
	}
	return out;
}

static lms_qformat format_of(const char *f, lms_qformat def)
{
	if (!f)
		return def;
	if (strcmp(f, "html") == 0)
		return LMS_QF_HTML;
	if (strcmp(f, "plain_text") == 0)
		return LMS_QF_PLAIN;
	if (strcmp(f, "markdown") == 0)
		return LMS_QF_MARKDOWN;
	return LMS_QF_MOODLE;
}

static bool truthy(const char *v)
{
	return v && v[0] && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
	       strcasecmp(v, "no") != 0;
}

static bool number_of(mctx *c, xmlNodePtr q, const char *name, double *out)
{
	xmlNodePtr n = child(q, name);
	const char *v;

	if (!n)
		return true;
	v = text_of(c, n, 100, name);
	if (!lms_qnumber_parse(v, out)) {
		problem(c, node_line(n), "bad_value", name);
		return false;
	}
	return true;
}

/* ---- base64 ---- */

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* Decodes s (white space ignored, '=' padding only at the end) into out (at least
 * len/4*3+3 bytes). Returns the size, or SIZE_MAX when s is not base64. */
static size_t b64_decode(const char *s, size_t len, unsigned char *out)
{
	uint32_t acc = 0;
	size_t i, n = 0, k = 0, pad = 0;

	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		int v;
		if (is_space((char)ch))
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		if (pad || (v = b64_value(ch)) < 0)
			return SIZE_MAX;
		acc = (acc << 6) | (uint32_t)v;
		if (++k == 4) {
			out[n++] = (unsigned char)(acc >> 16);
			out[n++] = (unsigned char)(acc >> 8);
			out[n++] = (unsigned char)acc;
			acc = 0;
			k = 0;
		}
	}
	if (k == 1 || pad > 2 || (pad && (k + pad) != 4))
		return SIZE_MAX;
	if (k == 2)
		out[n++] = (unsigned char)(acc >> 4);
	else if (k == 3) {
		out[n++] = (unsigned char)(acc >> 10);
		out[n++] = (unsigned char)(acc >> 2);
	}
	return n;
}

/* ---- texts with their files ---- */

static size_t raw_len(xmlNodePtr n)
{
	size_t total = 0;
	xmlNodePtr k;

	for (k = n->children; k; k = k->next)
		if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) && k->content)
			total += strlen((const char *)k->content);
	return total;
}

static void read_files(mctx *c, xmlNodePtr holder, lms_qtext *t, const char *what)
{
	size_t n = count_children(holder, "file"), k = 0;
	xmlNodePtr f;

	if (n == 0)
		return;
	if (n > LMS_Q_MAX_FILES) {
		problem(c, node_line(holder), "attachment_count", what);
		return;
	}
	t->files = lms_arena_alloc(c->a, n * sizeof(lms_qfile));
	for (f = child(holder, "file"); f; f = next_elem(f, "file")) {
		lms_qfile *qf = &t->files[k];
		const char *name = attr(c, f, "name"), *path = attr(c, f, "path");
		const char *enc = attr(c, f, "encoding");
		size_t len = raw_len(f), size;
		unsigned char *data;
		char *b64;
		xmlNodePtr x;
		size_t off = 0;
		qf->name = name ? name : "";
		qf->path = path && path[0] ? path : "/";
		if (enc && strcmp(enc, "base64") != 0) {
			problem(c, node_line(f), "attachment_base64", qf->name);
			return;
		}
		if (len / 4 * 3 > c->opts->limits.max_attachment + 3) {
			problem(c, node_line(f), "attachment_too_big", qf->name);
			return;
		}
		b64 = malloc(len + 1);
		if (!b64)
			abort();
		for (x = f->children; x; x = x->next)
			if ((x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) &&
			    x->content) {
				size_t l = strlen((const char *)x->content);
				memcpy(b64 + off, x->content, l);
				off += l;
			}
		data = lms_arena_alloc(c->a, len / 4 * 3 + 4);
		size = b64_decode(b64, off, data);
		free(b64);
		if (size == SIZE_MAX) {
			problem(c, node_line(f), "attachment_base64", qf->name);
			return;
		}
		if (size > c->opts->limits.max_attachment) {
			problem(c, node_line(f), "attachment_too_big", qf->name);
			return;
		}
		c->files_total += size;
		if (c->files_total > c->opts->limits.max_attachments_total) {
			if (!c->total_reported) {
				char num[24];
				snprintf(num, sizeof(num), "%zu", c->opts->limits.max_attachments_total);
				lms_qreport_add(c->rep, LMS_SEV_ERROR, "attachments_total", 0,
				                node_line(f), NULL, num);
				c->total_reported = true;
			}
			c->failed = true;
			return;
		}
		qf->data = data;
		qf->size = size;
		k++;
	}
	t->n_files = k;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Every @@PLUGINFILE@@/path/name in the text must name one of its files (a warning). */
static void check_refs(mctx *c, const lms_qtext *t, int line)
{
	static const char mark[] = "@@PLUGINFILE@@/";
	const char *p = t->text;

	while (p && (p = strstr(p, mark))) {
		char ref[512];
		size_t k = 0, i;
		bool found = false;
		p += sizeof(mark) - 1;
		while (*p && !strchr("\"' \t\n\r<>?#)", *p) && k < sizeof(ref) - 1) {
			int h, l;
			if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
				ref[k++] = (char)(h * 16 + l);
				p += 3;
			} else {
				ref[k++] = *p++;
			}
		}
		ref[k] = '\0';
		for (i = 0; i < t->n_files && !found; i++) {
			const lms_qfile *f = &t->files[i];
			size_t pl = strlen(f->path) - 1; /* path without its leading "/" */
			found = strncmp(ref, f->path + 1, pl) == 0 && strcmp(ref + pl, f->name) == 0;
		}
		if (!found && k > 0)
			warning(c, line, "attachment_missing", ref);
	}
}

/* A text holder: <holder format=".."><text>..</text><file ../>..</holder>. */
static void read_text(mctx *c, xmlNodePtr holder, lms_qformat def, lms_qtext *out,
                      const char *what)
{
	memset(out, 0, sizeof(*out));
	out->text = "";
	out->format = def;
	if (!holder)
		return;
	out->format = format_of(attr(c, holder, "format"), def);
	out->text = inner_text(c, holder, what);
	read_files(c, holder, out, what);
	check_refs(c, out, node_line(holder));
}

/* ---- the question types ---- */

/* The <answer> elements, counted first against the cap. */
static xmlNodePtr *answers_of(mctx *c, xmlNodePtr q, size_t *n)
{
	size_t total = count_children(q, "answer"), k = 0;
	xmlNodePtr *v, x;

	*n = 0;
	if (total > c->opts->limits.max_options) {
		problem(c, 0, "too_many_options", "answer");
		return NULL;
	}
	v = lms_arena_alloc(c->a, (total ? total : 1) * sizeof(*v));
	for (x = child(q, "answer"); x; x = next_elem(x, "answer"))
		v[k++] = x;
	*n = total;
	return v;
}

static bool fraction_of(mctx *c, xmlNodePtr ans, double *out)
{
	const char *f = attr(c, ans, "fraction");
	double v = 0;

	if (f && !lms_qnumber_parse(f, &v)) {
		problem(c, node_line(ans), "bad_weight", f);
		return false;
	}
	*out = lms_qfraction_from_percent(v);
	return true;
}

static void read_combined(mctx *c, xmlNodePtr q, lms_question *out)
{
	read_text(c, child(q, "correctfeedback"), LMS_QF_HTML, &out->correct_feedback,
	          "correctfeedback");
	read_text(c, child(q, "partiallycorrectfeedback"), LMS_QF_HTML, &out->partial_feedback,
	          "partiallycorrectfeedback");
	read_text(c, child(q, "incorrectfeedback"), LMS_QF_HTML, &out->incorrect_feedback,
	          "incorrectfeedback");
}

static void read_multichoice(mctx *c, xmlNodePtr q, lms_question *out)
{
	xmlNodePtr *ans;
	size_t n, k;
	const char *numbering = value_of(c, q, "answernumbering");

	out->type = truthy(child(q, "single") ? value_of(c, q, "single") : "true") ? LMS_Q_SINGLE
	                                                                          : LMS_Q_MULTI;
	out->shuffle = truthy(value_of(c, q, "shuffleanswers"));
	if (numbering[0])
		out->answer_numbering = numbering;
	read_combined(c, q, out);
	if (!(ans = answers_of(c, q, &n)))
		return;
	out->options = lms_arena_alloc(c->a, (n ? n : 1) * sizeof(lms_qoption));
	for (k = 0; k < n; k++) {
		lms_qoption *o = &out->options[out->n_options];
		read_text(c, ans[k], out->text.format, &o->text, "answer");
		if (!o->text.text[0] && !o->text.n_files)
			continue; /* Moodle drops blank answers */
		if (!fraction_of(c, ans[k], &o->fraction))
			return;
		read_text(c, child(ans[k], "feedback"), out->text.format, &o->feedback, "feedback");
		out->n_options++;
	}
}

static void read_truefalse(mctx *c, xmlNodePtr q, lms_question *out)
{
	xmlNodePtr *ans;
	size_t n, k;
	bool seen_true = false, seen_false = false;

	out->type = LMS_Q_TRUEFALSE;
	if (!(ans = answers_of(c, q, &n)))
		return;
	for (k = 0; k < n; k++) {
		const char *t = inner_text(c, ans[k], "answer");
		double f;
		if (!fraction_of(c, ans[k], &f))
			return;
		if (strcasecmp(t, "true") == 0 && !seen_true) {
			seen_true = true;
			out->tf_answer = f >= 0.5;
			read_text(c, child(ans[k], "feedback"), out->text.format,
			          &out->tf_feedback_true, "feedback");
		} else if (strcasecmp(t, "false") == 0 && !seen_false) {
			seen_false = true;
			read_text(c, child(ans[k], "feedback"), out->text.format,
			          &out->tf_feedback_false, "feedback");
		}
	}
	if (!seen_true || !seen_false)
		problem(c, 0, "tf_answers", NULL);
}

static void read_shortanswer(mctx *c, xmlNodePtr q, lms_question *out)
{
	xmlNodePtr *ans;
	size_t n, k;

	out->type = LMS_Q_SHORT;
	out->case_sensitive = truthy(value_of(c, q, "usecase"));
	if (!(ans = answers_of(c, q, &n)))
		return;
	out->options = lms_arena_alloc(c->a, (n ? n : 1) * sizeof(lms_qoption));
	for (k = 0; k < n; k++) {
		lms_qoption *o = &out->options[out->n_options];
		o->text.text = inner_text(c, ans[k], "answer");
		o->text.format = LMS_QF_MOODLE;
		if (!o->text.text[0])
			continue;
		if (!fraction_of(c, ans[k], &o->fraction))
			return;
		read_text(c, child(ans[k], "feedback"), out->text.format, &o->feedback, "feedback");
		out->n_options++;
	}
}

static void read_numerical(mctx *c, xmlNodePtr q, lms_question *out)
{
	xmlNodePtr *ans, units = child(q, "units");
	size_t n, k;

	out->type = LMS_Q_NUMERICAL;
	if (units && child(units, "unit"))
		warning(c, node_line(units), "units_ignored", NULL);
	if (!(ans = answers_of(c, q, &n)))
		return;
	out->numerics = lms_arena_alloc(c->a, (n ? n : 1) * sizeof(lms_qnumeric));
	for (k = 0; k < n; k++) {
		lms_qnumeric *nu = &out->numerics[out->n_numerics];
		const char *t = inner_text(c, ans[k], "answer");
		if (!t[0])
			continue;
		if (!fraction_of(c, ans[k], &nu->fraction))
			return;
		if (strcmp(t, "*") == 0) {
			nu->any = true;
		} else if (!lms_qnumber_parse(t, &nu->value)) {
			problem(c, node_line(ans[k]), "bad_number", t);
			return;
		} else if (!number_of(c, ans[k], "tolerance", &nu->tolerance)) {
			return;
		}
		read_text(c, child(ans[k], "feedback"), out->text.format, &nu->feedback, "feedback");
		out->n_numerics++;
	}
}

static void read_matching(mctx *c, xmlNodePtr q, lms_question *out)
{
	size_t n = count_children(q, "subquestion");
	xmlNodePtr s;

	out->type = LMS_Q_MATCHING;
	out->shuffle = truthy(value_of(c, q, "shuffleanswers"));
	read_combined(c, q, out);
	if (n > c->opts->limits.max_options) {
		problem(c, 0, "too_many_options", "subquestion");
		return;
	}
	out->pairs = lms_arena_alloc(c->a, (n ? n : 1) * sizeof(lms_qpair));
	for (s = child(q, "subquestion"); s; s = next_elem(s, "subquestion")) {
		lms_qpair *p = &out->pairs[out->n_pairs];
		read_text(c, s, out->text.format, &p->stem, "subquestion");
		p->answer = inner_text(c, child(s, "answer"), "subquestion/answer");
		if (!p->stem.text[0] && !p->answer[0])
			continue; /* Moodle drops blank pairs */
		out->n_pairs++;
	}
}

static void read_ordering(mctx *c, xmlNodePtr q, lms_question *out)
{
	xmlNodePtr *ans, gt = child(q, "gradingtype");
	const char *grading = value_of(c, q, "gradingtype");
	const char *select = value_of(c, q, "selecttype");
	double count = 0;
	size_t n, k;

	out->type = LMS_Q_ORDERING;
	read_combined(c, q, out);
	if (!strcasecmp(grading, "ALL_OR_NOTHING") || !strcmp(grading, "-1"))
		out->ordering_grading = LMS_QO_ALL_OR_NOTHING;
	else if (grading[0] && strcasecmp(grading, "ABSOLUTE_POSITION") &&
	         strcasecmp(grading, "ABSOLUTE") && strcasecmp(grading, "ABS") &&
	         strcmp(grading, "0"))
		warning(c, node_line(gt), "ordering_grading", grading);
	if (!(ans = answers_of(c, q, &n)))
		return;
	(void)number_of(c, q, "selectcount", &count);
	if (select[0] && strcasecmp(select, "ALL") && strcmp(select, "0") && count > 0 &&
	    count < (double)n)
		warning(c, 0, "ordering_select", select);
	out->items = lms_arena_alloc(c->a, (n ? n : 1) * sizeof(lms_qtext));
	for (k = 0; k < n; k++) {
		lms_qtext *t = &out->items[out->n_items];
		read_text(c, ans[k], LMS_QF_MOODLE, t, "answer");
		if (!t->text[0] && !t->n_files)
			continue;
		out->n_items++;
	}
}

static void read_essay(mctx *c, xmlNodePtr q, lms_question *out)
{
	const char *rf = value_of(c, q, "responseformat");
	double lines = 15, att = 0;

	out->type = LMS_Q_ESSAY;
	if (rf[0])
		out->response_format = rf;
	if (child(q, "responserequired"))
		out->response_required = truthy(value_of(c, q, "responserequired"));
	if (!number_of(c, q, "responsefieldlines", &lines) || !number_of(c, q, "attachments", &att))
		return;
	if (lines < 0 || lines > 1000 || att < -1 || att > 100) {
		problem(c, 0, "essay_options", "responsefieldlines/attachments");
		return;
	}
	out->response_lines = (int)lines;
	out->attachments = (int)att;
	read_text(c, child(q, "graderinfo"), LMS_QF_HTML, &out->grader_info, "graderinfo");
	read_text(c, child(q, "responsetemplate"), LMS_QF_HTML, &out->response_template,
	          "responsetemplate");
}

static void read_tags(mctx *c, xmlNodePtr q, lms_question *out)
{
	xmlNodePtr tags = child(q, "tags"), t;
	size_t n = count_children(tags, "tag"), k = 0;
	const char **v;

	if (n == 0)
		return;
	if (n > LMS_Q_MAX_TAGS + 3) {
		problem(c, node_line(tags), "tags_too_many", NULL);
		return;
	}
	v = lms_arena_alloc(c->a, n * sizeof(*v));
	for (t = child(tags, "tag"); t; t = next_elem(t, "tag")) {
		const char *s = inner_text(c, t, "tag");
		int pseudo;
		if (!s[0])
			continue;
		pseudo = lms_question_pseudo_tag(out, s);
		if (pseudo < 0)
			warning(c, node_line(t), "difficulty_unknown", s);
		if (pseudo <= 0)
			v[k++] = s;
	}
	out->tags = v;
	out->n_tags = k;
}

static const char *const mx_types[] = { "multichoice", "truefalse", "shortanswer", "numerical",
	                                "matching",    "match",     "essay",       "description",
	                                "ordering" };

static lms_question *read_question(mctx *c, xmlNodePtr q, const char *type,
                                   const char *category)
{
	lms_question *out = lms_question_new(c->a, LMS_Q_DESCRIPTION);
	lms_err err;
	size_t i;
	bool known = false;

	for (i = 0; i < sizeof(mx_types) / sizeof(mx_types[0]); i++)
		known = known || strcmp(type, mx_types[i]) == 0;
	out->line = c->line;
	out->name = inner_text(c, child(q, "name"), "name");
	c->name = out->name;
	if (!known) {
		char shown[48];
		snprintf(shown, sizeof(shown), "%.40s", type);
		problem(c, 0, "type_unsupported", shown);
		return NULL;
	}
	out->category = category;
	read_text(c, child(q, "questiontext"), LMS_QF_HTML, &out->text, "questiontext");
	read_text(c, child(q, "generalfeedback"), out->text.format, &out->general_feedback,
	          "generalfeedback");
	if (!out->name[0])
		out->name = lms_question_default_name(c->a, out->text.text, c->index);
	c->name = out->name;
	out->idnumber = value_of(c, q, "idnumber");
	out->hidden = truthy(value_of(c, q, "hidden"));
	out->shuffle = false;
	if (!strcmp(type, "multichoice"))
		read_multichoice(c, q, out);
	else if (!strcmp(type, "truefalse"))
		read_truefalse(c, q, out);
	else if (!strcmp(type, "shortanswer"))
		read_shortanswer(c, q, out);
	else if (!strcmp(type, "numerical"))
		read_numerical(c, q, out);
	else if (!strcmp(type, "matching") || !strcmp(type, "match"))
		read_matching(c, q, out);
	else if (!strcmp(type, "essay"))
		read_essay(c, q, out);
	else if (!strcmp(type, "ordering"))
		read_ordering(c, q, out);
	out->default_mark = out->type == LMS_Q_DESCRIPTION ? 0.0 : 1.0;
	out->penalty = out->type == LMS_Q_TRUEFALSE ? 1.0 : 0.3333333;
	if (!number_of(c, q, "defaultgrade", &out->default_mark) ||
	    !number_of(c, q, "penalty", &out->penalty))
		return NULL;
	read_tags(c, q, out);
	if (c->failed)
		return NULL;
	if (out->type != LMS_Q_SHORT) {
		out->case_sensitive = false;
		out->diacritics_must_match = true;
	}
	if (lms_question_check(out, &c->opts->limits, &err) < 0) {
		problem(c, 0, err.code, err.field);
		return NULL;
	}
	return out;
}

/* ---- the file ---- */

static const char *xml_code_detail(const lms_problem *p)
{
	static const char prefix[] = "Not well-formed XML: ";

	if (strncmp(p->message, prefix, sizeof(prefix) - 1) == 0)
		return p->message + sizeof(prefix) - 1;
	if (strcmp(p->code, "xml_warning") == 0 || strcmp(p->code, "xml_not_well_formed") == 0)
		return p->message;
	return NULL;
}

int lms_moodlexml_parse(const char *data, size_t len, const lms_qimport_opts *opts,
                        lms_arena *a, lms_qset *out, lms_qreport *rep, lms_err *err)
{
	lms_qimport_opts defopts;
	lms_manifest_limits lim;
	lms_report xrep;
	xs_result res;
	xmlNodePtr root, q;
	lms_question **items = NULL;
	size_t max_bytes, n_items = 0, cap = 0, i, index = 0, seen = 0;
	const char *category;
	mctx c;
	int rc = 0;

	assert(a && out && rep && (data || len == 0));
	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	if (!opts) {
		lms_qimport_opts_default(&defopts);
		opts = &defopts;
	}
	max_bytes = opts->limits.max_file_bytes;
	if (max_bytes == 0 || max_bytes == LMS_Q_GIFT_MAX_BYTES)
		max_bytes = LMS_Q_XML_MAX_BYTES;
	if (len > max_bytes || len > (size_t)INT_MAX) {
		char num[24];
		snprintf(num, sizeof(num), "%zu", len);
		lms_qreport_add(rep, LMS_SEV_ERROR, "questions_file_too_big", 0, 0, NULL, num);
		return lms_err_set(err, LMS_ETOOBIG, "questions_file_too_big", NULL,
		                   "the Moodle XML file is %zu bytes, over the limit of %zu", len,
		                   max_bytes);
	}
	if (len == 0) {
		lms_qreport_add(rep, LMS_SEV_ERROR, "questions_file_empty", 0, 0, NULL, NULL);
		return lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL, "the file is empty");
	}
	lms_moodlexml_global_init();
	lim.max_bytes = max_bytes;
	lim.max_nodes = MX_MAX_NODES;
	lim.max_depth = MX_MAX_DEPTH;
	lms_report_init(&xrep, a);
	if (xml_safe_parse(data, len, "questions.xml", "question file", &lim, XS_DOCTYPE_NEVER,
	                   MX_OPTIONS, MX_MAX_XML_MESSAGES, &xrep, &res) < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not create an XML parser");
	for (i = 0; i < xrep.n; i++) {
		const lms_problem *p = &xrep.items[i];
		char num[24];
		const char *detail = xml_code_detail(p);
		if (!strcmp(p->code, "xml_too_many_nodes") || !strcmp(p->code, "xml_too_deep")) {
			snprintf(num, sizeof(num), "%zu",
			         !strcmp(p->code, "xml_too_deep") ? (size_t)lim.max_depth : lim.max_nodes);
			detail = num;
		}
		lms_qreport_add(rep, p->severity, p->code, 0, p->line, NULL, detail);
	}
	if (res.refused) {
		rc = lms_err_set(err, res.refused == XS_NODES || res.refused == XS_DEPTH ? LMS_ETOOBIG
		                                                                        : LMS_EINVAL,
		                 "questions_invalid", NULL,
		                 res.refused == XS_NODES || res.refused == XS_DEPTH
		                         ? "the file is over the element count or depth limit"
		                         : "the file is refused for safety (it has a DOCTYPE)");
		goto cleanup;
	}
	if (!res.well_formed || !res.doc || !(root = xmlDocGetRootElement(res.doc))) {
		if (rep->errors == 0)
			lms_qreport_add(rep, LMS_SEV_ERROR, "xml_not_well_formed", 0, res.line, NULL,
			                "the document ended early");
		rc = lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL,
		                 "the file is not well-formed XML");
		goto cleanup;
	}
	if (!is_elem(root, "quiz")) {
		char shown[48];
		snprintf(shown, sizeof(shown), "%.40s", (const char *)root->name);
		lms_qreport_add(rep, LMS_SEV_ERROR, "xml_root", 0, node_line(root), NULL, shown);
		rc = lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL,
		                 "the file is not a Moodle question file");
		goto cleanup;
	}
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.rep = rep;
	c.opts = opts;
	category = lms_qcategory_from_file(a, opts->category, "", 0);
	for (q = child(root, "question"); q; q = next_elem(q, "question")) {
		const char *type = attr(&c, q, "type");
		lms_question *one;
		c.index = ++index;
		c.line = node_line(q);
		c.name = NULL;
		c.failed = false;
		if (!type || !type[0]) {
			problem(&c, 0, "type_missing", NULL);
			continue;
		}
		if (!strcmp(type, "category")) {
			xmlNodePtr cat = child(q, "category");
			const char *path = inner_text(&c, cat, "category");
			if (strlen(path) > LMS_Q_MAX_CATEGORY)
				problem(&c, 0, "category_too_long", NULL);
			else
				category = lms_qcategory_from_file(a, opts->category, path, strlen(path));
			continue;
		}
		if (++seen > opts->limits.max_questions) {
			char num[24];
			snprintf(num, sizeof(num), "%zu", opts->limits.max_questions);
			lms_qreport_add(rep, LMS_SEV_ERROR, "too_many_questions", 0, c.line, NULL, num);
			break;
		}
		if (!(one = read_question(&c, q, type, category)))
			continue;
		if (n_items == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			lms_question **bigger = lms_arena_alloc(a, ncap * sizeof(*bigger));
			if (n_items)
				memcpy(bigger, items, n_items * sizeof(*bigger));
			items = bigger;
			cap = ncap;
		}
		items[n_items++] = one;
	}
	out->items = items;
	out->n = n_items;
	if (n_items == 0 && rep->errors == 0)
		lms_qreport_add(rep, LMS_SEV_ERROR, "questions_file_empty", 0, 0, NULL, NULL);
	if (res.doc->encoding && strcasecmp((const char *)res.doc->encoding, "UTF-8") != 0 &&
	    strcasecmp((const char *)res.doc->encoding, "UTF8") != 0)
		lms_qreport_add(rep, LMS_SEV_WARNING, "xml_warning", 0, 1, NULL,
		                "the file is not declared UTF-8; it was converted");
	if (rep->errors)
		rc = lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL,
		                 "the Moodle XML file has %zu problems", rep->errors);
cleanup:
	if (res.doc)
		xmlFreeDoc(res.doc);
	return rc;
}

/* ---- the writer ---- */

typedef struct mbuf {
	lms_arena *a;
	char *b;
	size_t n, cap;
} mbuf;

static void put_n(mbuf *w, const char *s, size_t n)
{
	if (w->n + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 8192;
		char *nb;
		while (cap < w->n + n + 1)
			cap *= 2;
		nb = lms_arena_alloc(w->a, cap);
		if (w->n)
			memcpy(nb, w->b, w->n);
		w->b = nb;
		w->cap = cap;
	}
	memcpy(w->b + w->n, s, n);
	w->n += n;
	w->b[w->n] = '\0';
}

static void put(mbuf *w, const char *s)
{
	put_n(w, s, strlen(s));
}

/* XML character data or attribute value: & < > " escaped, \r kept as &#13;. */
static void put_esc(mbuf *w, const char *s)
{
	const char *run = s;

	for (; s && *s; s++) {
		const char *e = NULL;
		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\r': e = "&#13;"; break;
		default: continue;
		}
		put_n(w, run, (size_t)(s - run));
		put(w, e);
		run = s + 1;
	}
	if (s)
		put_n(w, run, (size_t)(s - run));
}

static void put_b64(mbuf *w, const unsigned char *d, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = tbl[d[i] >> 2];
		q[1] = tbl[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = tbl[((d[i + 1] & 15) << 2) | (d[i + 2] >> 6)];
		q[3] = tbl[d[i + 2] & 63];
		put_n(w, q, 4);
	}
	if (n - i == 1) {
		q[0] = tbl[d[i] >> 2];
		q[1] = tbl[(d[i] & 3) << 4];
		q[2] = q[3] = '=';
		put_n(w, q, 4);
	} else if (n - i == 2) {
		q[0] = tbl[d[i] >> 2];
		q[1] = tbl[((d[i] & 3) << 4) | (d[i + 1] >> 4)];
		q[2] = tbl[(d[i + 1] & 15) << 2];
		q[3] = '=';
		put_n(w, q, 4);
	}
}

static void put_elem(mbuf *w, const char *indent, const char *name, const char *value)
{
	put(w, indent);
	put(w, "<");
	put(w, name);
	put(w, ">");
	put_esc(w, value);
	put(w, "</");
	put(w, name);
	put(w, ">\n");
}

static void put_elem_num(mbuf *w, const char *indent, const char *name, double v)
{
	char b[32];

	lms_qnumber_format(v, b);
	put_elem(w, indent, name, b);
}

static void put_files(mbuf *w, const char *indent, const lms_qtext *t)
{
	size_t i;

	for (i = 0; i < t->n_files; i++) {
		put(w, indent);
		put(w, "<file name=\"");
		put_esc(w, t->files[i].name);
		put(w, "\" path=\"");
		put_esc(w, t->files[i].path ? t->files[i].path : "/");
		put(w, "\" encoding=\"base64\">");
		put_b64(w, t->files[i].data, t->files[i].size);
		put(w, "</file>\n");
	}
}

/* <name format=".."><text>..</text>files</name>; extra goes inside before the close tag. */
static void put_text_open(mbuf *w, const char *indent, const char *name, const lms_qtext *t,
                          const char *attrs)
{
	char in2[16];

	snprintf(in2, sizeof(in2), "%s  ", indent);
	put(w, indent);
	put(w, "<");
	put(w, name);
	if (attrs)
		put(w, attrs);
	put(w, " format=\"");
	put(w, lms_qformat_name(t->format));
	put(w, "\">\n");
	put_elem(w, in2, "text", t->text ? t->text : "");
	put_files(w, in2, t);
}

static void put_close(mbuf *w, const char *indent, const char *name)
{
	put(w, indent);
	put(w, "</");
	put(w, name);
	put(w, ">\n");
}

static void put_text(mbuf *w, const char *indent, const char *name, const lms_qtext *t)
{
	put_text_open(w, indent, name, t, NULL);
	put_close(w, indent, name);
}

static void put_answer(mbuf *w, double fraction, const lms_qtext *t, const lms_qtext *fb,
                       const char *tolerance)
{
	char attrs[64], pct[32];

	lms_qnumber_format(round(fraction * 1e7) / 1e5, pct); /* seven decimals, as Moodle */
	snprintf(attrs, sizeof(attrs), " fraction=\"%s\"", pct);
	put_text_open(w, "    ", "answer", t, attrs);
	if (fb)
		put_text(w, "      ", "feedback", fb);
	if (tolerance)
		put_elem(w, "      ", "tolerance", tolerance);
	put_close(w, "    ", "answer");
}

static void put_combined(mbuf *w, const lms_question *q)
{
	put_text(w, "    ", "correctfeedback", &q->correct_feedback);
	put_text(w, "    ", "partiallycorrectfeedback", &q->partial_feedback);
	put_text(w, "    ", "incorrectfeedback", &q->incorrect_feedback);
}

static const char *mx_type_name(lms_qtype t)
{
	switch (t) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI: return "multichoice";
	case LMS_Q_TRUEFALSE: return "truefalse";
	case LMS_Q_SHORT: return "shortanswer";
	case LMS_Q_NUMERICAL: return "numerical";
	case LMS_Q_MATCHING: return "matching";
	case LMS_Q_ORDERING: return "ordering";
	case LMS_Q_ESSAY: return "essay";
	case LMS_Q_DESCRIPTION: break;
	}
	return "description";
}

static void write_question(mbuf *w, const lms_question *q)
{
	const char *pseudo[3];
	size_t np = lms_question_pseudo_tags(q, pseudo), i;
	char num[32];

	put(w, "  <question type=\"");
	put(w, mx_type_name(q->type));
	put(w, "\">\n    <name>\n");
	put_elem(w, "      ", "text", q->name);
	put(w, "    </name>\n");
	put_text(w, "    ", "questiontext", &q->text);
	put_text(w, "    ", "generalfeedback", &q->general_feedback);
	put_elem_num(w, "    ", "defaultgrade", q->default_mark);
	put_elem_num(w, "    ", "penalty", q->penalty);
	put_elem(w, "    ", "hidden", q->hidden ? "1" : "0");
	put_elem(w, "    ", "idnumber", q->idnumber ? q->idnumber : "");
	switch (q->type) {
	case LMS_Q_SINGLE:
	case LMS_Q_MULTI:
		put_elem(w, "    ", "single", q->type == LMS_Q_SINGLE ? "true" : "false");
		put_elem(w, "    ", "shuffleanswers", q->shuffle ? "true" : "false");
		put_elem(w, "    ", "answernumbering", q->answer_numbering ? q->answer_numbering
		                                                          : "abc");
		put_combined(w, q);
		for (i = 0; i < q->n_options; i++)
			put_answer(w, q->options[i].fraction, &q->options[i].text,
			           &q->options[i].feedback, NULL);
		break;
	case LMS_Q_TRUEFALSE: {
		lms_qtext t = { "true", LMS_QF_MOODLE, NULL, 0 }, f = { "false", LMS_QF_MOODLE, NULL, 0 };
		put_answer(w, q->tf_answer ? 1.0 : 0.0, &t, &q->tf_feedback_true, NULL);
		put_answer(w, q->tf_answer ? 0.0 : 1.0, &f, &q->tf_feedback_false, NULL);
		break;
	}
	case LMS_Q_SHORT:
		put_elem(w, "    ", "usecase", q->case_sensitive ? "1" : "0");
		for (i = 0; i < q->n_options; i++) {
			lms_qtext t = q->options[i].text;
			t.format = LMS_QF_MOODLE;
			put_answer(w, q->options[i].fraction, &t, &q->options[i].feedback, NULL);
		}
		break;
	case LMS_Q_NUMERICAL:
		for (i = 0; i < q->n_numerics; i++) {
			const lms_qnumeric *nu = &q->numerics[i];
			lms_qtext t = { "*", LMS_QF_MOODLE, NULL, 0 };
			char val[32];
			if (!nu->any) {
				lms_qnumber_format(nu->value, val);
				t.text = val;
			}
			lms_qnumber_format(nu->any ? 0 : nu->tolerance, num);
			put_answer(w, nu->fraction, &t, &nu->feedback, num);
		}
		break;
	case LMS_Q_MATCHING:
		put_elem(w, "    ", "shuffleanswers", q->shuffle ? "true" : "false");
		put_combined(w, q);
		for (i = 0; i < q->n_pairs; i++) {
			put_text_open(w, "    ", "subquestion", &q->pairs[i].stem, NULL);
			put(w, "      <answer>\n");
			put_elem(w, "        ", "text", q->pairs[i].answer);
			put(w, "      </answer>\n");
			put_close(w, "    ", "subquestion");
		}
		break;
	case LMS_Q_ORDERING:
		put_elem(w, "    ", "layouttype", "VERTICAL");
		put_elem(w, "    ", "selecttype", "ALL");
		put_elem(w, "    ", "selectcount", "0");
		put_elem(w, "    ", "gradingtype", q->ordering_grading == LMS_QO_ALL_OR_NOTHING
		                                           ? "ALL_OR_NOTHING"
		                                           : "ABSOLUTE_POSITION");
		put_elem(w, "    ", "showgrading", "SHOW");
		put_combined(w, q);
		for (i = 0; i < q->n_items; i++)
			put_answer(w, (double)(i + 1) / 100.0, &q->items[i], NULL, NULL);
		break;
	case LMS_Q_ESSAY:
		put_elem(w, "    ", "responseformat", q->response_format ? q->response_format
		                                                         : "editor");
		put_elem(w, "    ", "responserequired", q->response_required ? "1" : "0");
		snprintf(num, sizeof(num), "%d", q->response_lines);
		put_elem(w, "    ", "responsefieldlines", num);
		snprintf(num, sizeof(num), "%d", q->attachments);
		put_elem(w, "    ", "attachments", num);
		put_elem(w, "    ", "attachmentsrequired", "0");
		put_text(w, "    ", "graderinfo", &q->grader_info);
		put_text(w, "    ", "responsetemplate", &q->response_template);
		break;
	case LMS_Q_DESCRIPTION:
		break;
	}
	if (q->n_tags || np) {
		put(w, "    <tags>\n");
		for (i = 0; i < q->n_tags + np; i++) {
			put(w, "      <tag><text>");
			put_esc(w, i < q->n_tags ? q->tags[i] : pseudo[i - q->n_tags]);
			put(w, "</text></tag>\n");
		}
		put(w, "    </tags>\n");
	}
	put(w, "  </question>\n\n");
}

int lms_moodlexml_write(const lms_question *const *qs, size_t n, const lms_qwrite_opts *opts,
                        lms_arena *a, lms_qreport *rep, const char **out, size_t *out_len,
                        lms_err *err)
{
	mbuf w = { a, NULL, 0, 0 };
	const char *category = NULL;
	size_t i, invalid = 0;

	(void)opts;
	assert(a && rep && out && out_len && (qs || n == 0));
	put(&w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
	for (i = 0; i < n; i++) {
		const lms_question *q = qs[i];
		lms_err qerr;
		if (lms_question_check(q, NULL, &qerr) < 0) {
			lms_qreport_add(rep, LMS_SEV_ERROR, qerr.code, i + 1, q->line, q->name,
			                qerr.field);
			invalid++;
			continue;
		}
		if (!category || strcmp(category, q->category ? q->category : "") != 0) {
			category = q->category ? q->category : "";
			put(&w, "  <question type=\"category\">\n    <category>\n      <text>$course$/top");
			if (category[0]) {
				put(&w, "/");
				put_esc(&w, category);
			}
			put(&w, "</text>\n    </category>\n"
			        "    <info format=\"moodle_auto_format\">\n      <text></text>\n"
			        "    </info>\n  </question>\n\n");
		}
		write_question(&w, q);
	}
	put(&w, "</quiz>\n");
	if (invalid)
		return lms_err_set(err, LMS_EINVAL, "questions_invalid", NULL,
		                   "%zu questions are not valid", invalid);
	*out = w.b;
	*out_len = w.n;
	return 0;
}
