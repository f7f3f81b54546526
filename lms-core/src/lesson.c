/* lesson.c — the libxml2 adapter that reads a PAR lesson XML 1.0 file (lesson.xml of a
 * native package) into the plain structs of lesson.h: XML safety, the XML Schema, the rules
 * beyond the schema, and the check of the files the lesson references.
 *
 * Invariants:
 * - With manifest.c, the only files that include libxml2 (scripts/lint). Every xmlDoc,
 *   context and string libxml2 hands out is freed here before a public function returns;
 *   every string of the result is copied into the caller's arena.
 * - XML safety (issue 3, STYLE.md, docs/par-lesson-format.md "XML safety"): the lesson is
 *   parsed from memory with XML_PARSE_NONET (and BIG_LINES), never NOENT, DTDLOAD,
 *   DTDVALID or HUGE. The parser context's own SAX table (no global state) stops the parse
 *   at the first sight of a DOCTYPE — the internalSubset callback runs before the internal
 *   subset is read, so no entity is ever declared, let alone opened — and at the element
 *   that goes over the element count or depth limit.
 * - The only process-wide state is the external entity loader installed once (lesson.h,
 *   "The xml.xsd import"): it answers one URN from a constant and delegates the rest.
 * - The rules beyond the schema also run on a schema-invalid document (a trainer gets every
 *   problem at once, and "page id p1 is used twice (lines 12 and 30)" is the clearer twin of
 *   libxml2's xs:ID message), so every reader here tolerates any shape: missing attributes,
 *   unexpected elements, huge values (each copied string is capped at LS_MAX_STR bytes).
 * - Content is walked iteratively; the only recursion is course > module > lesson, fixed.
 *
 * What this file does not do: it reads no package file (lms_lesson_check_files asks a
 * callback), normalises no text to NFC (it only warns), and checks nothing of the manifest.
 */
#include "lms/lesson.h"

#include "xml_safe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LS_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)
/* Longest string copied out of the document (titles are at most 300 characters by the
 * schema; this only bounds what a schema-invalid document can make us copy). */
#define LS_MAX_STR 4096
/* libxml2 messages (well-formedness and schema) recorded per document. */
#define LS_MAX_XML_MESSAGES 200
/* Titles per element compared for duplicate languages (the schema sets no maximum). */
#define LS_MAX_TITLES 32
/* Choices or accepted answers compared per question (the schema allows 10 and 20). */
#define LS_MAX_COMPARED 64
/* A quiz time limit above this is a warning (rule 12). */
#define LS_QUIZ_TIME_LIMIT_MAX_S (3 * 3600)

#define LS_XML_XSD_URN "urn:parlearn:embedded:xml.xsd"
#define LS_XML_NS "http://www.w3.org/XML/1998/namespace"
#define LS_XS_NS "http://www.w3.org/2001/XMLSchema"

/* schemas/par-lesson/xml.xsd without its comments: xml:lang as xs:language. */
static const char ls_xml_xsd[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"\n"
	"           targetNamespace=\"http://www.w3.org/XML/1998/namespace\" xml:lang=\"en\">\n"
	"  <xs:attribute name=\"lang\" type=\"xs:language\"/>\n"
	"</xs:schema>\n";

struct lms_lesson_schema {
	xmlDocPtr doc;      /* the patched XSD tree; kept for the schema's lifetime */
	xmlSchemaPtr schema;
};

/* ---- process-wide set-up ---- */

static pthread_once_t ls_once = PTHREAD_ONCE_INIT;
static xmlExternalEntityLoader ls_prev_loader;

static xmlParserInputPtr ls_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (url && strcmp(url, LS_XML_XSD_URN) == 0)
		return xmlNewStringInputStream(ctxt, (const xmlChar *)ls_xml_xsd);
	return ls_prev_loader ? ls_prev_loader(url, id, ctxt) : NULL;
}

static void ls_init_once(void)
{
	xmlInitParser();
	ls_prev_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(ls_loader);
}

void lms_lesson_global_init(void)
{
	(void)pthread_once(&ls_once, ls_init_once);
}

void lms_lesson_limits_default(lms_manifest_limits *l)
{
	l->max_bytes = (size_t)8 * 1024 * 1024;
	l->max_nodes = 100000;
	l->max_depth = 64;
}

/* ---- small helpers ---- */

static bool ls_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static bool ls_ascii_ieq(const char *x, const char *y)
{
	for (; *x && *y; x++, y++) {
		char p = *x, q = *y;
		if (p >= 'A' && p <= 'Z')
			p = (char)(p - 'A' + 'a');
		if (q >= 'A' && q <= 'Z')
			q = (char)(q - 'A' + 'a');
		if (p != q)
			return false;
	}
	return *x == *y;
}

/* Same language tag, or the same primary subtag ("vi" and "vi-VN"). */
static bool ls_lang_match(const char *x, const char *y)
{
	char p[16], q[16];
	size_t i;

	if (!x || !y)
		return false;
	if (ls_ascii_ieq(x, y))
		return true;
	for (i = 0; i + 1 < sizeof(p) && x[i] && x[i] != '-'; i++)
		p[i] = x[i];
	p[i] = '\0';
	for (i = 0; i + 1 < sizeof(q) && y[i] && y[i] != '-'; i++)
		q[i] = y[i];
	q[i] = '\0';
	return p[0] && ls_ascii_ieq(p, q);
}

static int ls_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	if (l < 0)
		return 0;
	return l > INT_MAX ? INT_MAX : (int)l;
}

/* ---- UTF-8: folding for comparisons, and the NFC heuristic ---- */

static size_t ls_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (uint32_t)(s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		      (uint32_t)(s[2] & 0x3F);
		return 3;
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (uint32_t)(s[3] & 0x3F);
		return 4;
	}
	*cp = s[0]; /* not UTF-8 (libxml2 never hands that out): taken byte by byte */
	return 1;
}

static size_t ls_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Lower case for ASCII and the Latin letters Vietnamese uses (Latin-1, Latin Extended-A,
 * Ơ/Ư, Latin Extended Additional): enough to compare Vietnamese and English answers
 * without a Unicode library. */
static uint32_t ls_fold_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if ((cp >= 0x100 && cp <= 0x137 && cp % 2 == 0) ||
	    (cp >= 0x139 && cp <= 0x148 && cp % 2 == 1) ||
	    (cp >= 0x14A && cp <= 0x177 && cp % 2 == 0) ||
	    (cp >= 0x179 && cp <= 0x17E && cp % 2 == 1))
		return cp + 1;
	if (cp == 0x178)
		return 0xFF;
	if (cp == 0x1A0 || cp == 0x1AF)
		return cp + 1;
	if (cp >= 0x1E00 && cp <= 0x1EFF && cp % 2 == 0 && cp != 0x1E9E)
		return cp + 1;
	return cp;
}

/* s with white space trimmed and collapsed to one space and, when fold, case folded; into
 * out[cap] (truncated, always terminated). */
static void ls_normalise(const char *s, bool fold, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	bool pending_space = false;

	assert(cap >= 5);
	while (*p && ls_space(*p))
		p++;
	while (*p) {
		uint32_t cp;
		size_t k;
		char enc[4];
		if (ls_space(*p)) {
			pending_space = true;
			p++;
			continue;
		}
		k = ls_utf8_decode(p, &cp);
		p += k;
		if (fold)
			cp = ls_fold_cp(cp);
		k = ls_utf8_encode(cp, enc);
		if (o + k + (pending_space ? 1 : 0) + 1 > cap)
			break;
		if (pending_space)
			out[o++] = ' ';
		pending_space = false;
		memcpy(out + o, enc, k);
		o += k;
	}
	out[o] = '\0';
}

/* A combining diacritical mark (U+0300-U+036F): Vietnamese in NFC never needs one. */
static bool ls_has_combining(const xmlChar *s)
{
	const unsigned char *p = s;

	while (*p) {
		uint32_t cp;
		p += ls_utf8_decode(p, &cp);
		if (cp >= 0x300 && cp <= 0x36F)
			return true;
	}
	return false;
}

/* ---- numbers and durations (the schema's lexical forms; false when not one) ---- */

static const char *ls_skip_space(const char *s)
{
	while (ls_space((unsigned char)*s))
		s++;
	return s;
}

static bool ls_at_end(const char *s)
{
	return *ls_skip_space(s) == '\0';
}

/* A non-negative xs:integer, saturated at INT64_MAX. */
static bool ls_integer(const char *s, int64_t *out)
{
	int64_t v = 0;
	bool digits = false;

	if (!s)
		return false;
	s = ls_skip_space(s);
	if (*s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		int d = *s - '0';
		digits = true;
		v = v > (INT64_MAX - d) / 10 ? INT64_MAX : v * 10 + d;
	}
	if (!digits || !ls_at_end(s))
		return false;
	*out = v;
	return true;
}

/* An xs:decimal ("-1", "83.74", ".5"). */
static bool ls_decimal(const char *s, double *out)
{
	double v = 0, scale = 1;
	bool digits = false, neg = false;

	if (!s)
		return false;
	s = ls_skip_space(s);
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		digits = true;
		if (v < 1e300)
			v = v * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			digits = true;
			if (scale > 1e-300) {
				scale /= 10;
				v += (*s - '0') * scale;
			}
		}
	}
	if (!digits || !ls_at_end(s))
		return false;
	*out = neg ? -v : v;
	return true;
}

static bool ls_boolean(const char *s, bool dflt)
{
	if (!s)
		return dflt;
	s = ls_skip_space(s);
	if (strncmp(s, "true", 4) == 0 || s[0] == '1')
		return true;
	if (strncmp(s, "false", 5) == 0 || s[0] == '0')
		return false;
	return dflt;
}

typedef enum ls_dur { LS_DUR_OK, LS_DUR_SYNTAX, LS_DUR_RANGE } ls_dur;

/* A duration of the schema's positiveDuration form, P[nD][T[nH][nM][n[.n]S]], as whole
 * seconds (a fraction rounds up: a minimum time is never shortened). */
static ls_dur ls_duration(const char *s, int64_t *out)
{
	static const int64_t unit_s[] = {86400, 3600, 60, 1};
	static const char unit_c[] = {'D', 'H', 'M', 'S'};
	int64_t total = 0;
	int next = 0; /* the first unit still allowed */
	bool in_time = false, any = false;

	if (!s)
		return LS_DUR_SYNTAX;
	s = ls_skip_space(s);
	if (*s++ != 'P')
		return LS_DUR_SYNTAX;
	while (*s && !ls_space((unsigned char)*s)) {
		int64_t v = 0;
		bool digits = false, frac = false, overflow = false;
		int u;
		if (*s == 'T') {
			if (in_time)
				return LS_DUR_SYNTAX;
			in_time = true;
			next = 1;
			s++;
			continue;
		}
		for (; *s >= '0' && *s <= '9'; s++) {
			int d = *s - '0';
			digits = true;
			if (v > (INT64_MAX - d) / 10)
				overflow = true;
			else
				v = v * 10 + d;
		}
		if (*s == '.') {
			for (s++; *s >= '0' && *s <= '9'; s++)
				frac = frac || *s != '0';
		}
		if (!digits)
			return LS_DUR_SYNTAX;
		for (u = next; u < 4 && unit_c[u] != *s; u++)
			;
		if (u == 4 || (u == 0 && in_time) || (u > 0 && !in_time) || (frac && u != 3))
			return LS_DUR_SYNTAX;
		s++;
		next = u + 1;
		any = true;
		if (frac)
			v = v == INT64_MAX ? v : v + 1;
		if (overflow || v > (INT64_MAX - total) / unit_s[u])
			return LS_DUR_RANGE;
		total += v * unit_s[u];
	}
	if (!any || !ls_at_end(s))
		return LS_DUR_SYNTAX;
	*out = total;
	return LS_DUR_OK;
}

/* The package path grammar of the schema (packagePath): segments of [A-Za-z0-9_.-], each
 * starting with [A-Za-z0-9_], joined by '/', at most 255 bytes. */
static bool ls_package_path(const char *s, size_t n)
{
	size_t i;
	bool seg_start = true;

	if (n == 0 || n > 255)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		             (ch >= '0' && ch <= '9') || ch == '_';
		if (ch == '/') {
			if (seg_start)
				return false;
			seg_start = true;
			continue;
		}
		if (seg_start ? !alnum : !(alnum || ch == '.' || ch == '-'))
			return false;
		seg_start = false;
	}
	return !seg_start;
}

/* ---- parsing with limits ---- */

/* Parsing with limits and the DOCTYPE refusal are xml_safe.c's job. */

/* ---- the schema ---- */

typedef struct ls_schema_msgs {
	char first[256];
	int count;
} ls_schema_msgs;

static void ls_schema_parse_error(void *ud, xmlErrorPtr e)
{
	ls_schema_msgs *m = ud;

	if (!e || e->level == XML_ERR_NONE || e->level == XML_ERR_WARNING)
		return;
	if (m->count++ == 0) {
		snprintf(m->first, sizeof(m->first), "line %d: %s", e->line,
		         e->message ? e->message : "schema error");
		xml_safe_trim(m->first);
	}
}

int lms_lesson_schema_new(const char *xsd, size_t len, lms_lesson_schema **out, lms_err *err)
{
	xmlSchemaParserCtxtPtr pc = NULL;
	lms_lesson_schema *s = NULL;
	ls_schema_msgs msgs;
	xmlNodePtr root, n;
	int rc = 0;

	assert(out && (xsd || len == 0));
	*out = NULL;
	lms_lesson_global_init();
	memset(&msgs, 0, sizeof(msgs));
	if (len == 0 || len > (size_t)INT_MAX) {
		rc = lms_err_set(err, LMS_EINTERNAL, "lesson_schema_unusable", NULL,
		                 "the lesson schema is empty or too big");
		goto cleanup;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
		goto cleanup;
	}
	s->doc = xmlReadMemory(xsd, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                                      XML_PARSE_NOWARNING);
	if (!s->doc || !(root = xmlDocGetRootElement(s->doc))) {
		rc = lms_err_set(err, LMS_EINTERNAL, "lesson_schema_unusable", NULL,
		                 "the lesson schema is not well-formed XML");
		goto cleanup;
	}
	/* Serve the XML namespace schema from memory (lesson.h, "The xml.xsd import"). */
	for (n = root->children; n; n = n->next) {
		xmlChar *ns;
		bool xml_ns;
		if (n->type != XML_ELEMENT_NODE || !n->ns ||
		    !xmlStrEqual(n->ns->href, (const xmlChar *)LS_XS_NS) ||
		    !xmlStrEqual(n->name, (const xmlChar *)"import"))
			continue;
		ns = xmlGetNoNsProp(n, (const xmlChar *)"namespace");
		xml_ns = ns && xmlStrEqual(ns, (const xmlChar *)LS_XML_NS);
		if (ns)
			xmlFree(ns);
		if (xml_ns && !xmlSetProp(n, (const xmlChar *)"schemaLocation",
		                          (const xmlChar *)LS_XML_XSD_URN)) {
			rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "out of memory");
			goto cleanup;
		}
	}
	pc = xmlSchemaNewDocParserCtxt(s->doc);
	if (!pc) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not create a schema parser");
		goto cleanup;
	}
	xmlSchemaSetParserStructuredErrors(pc, ls_schema_parse_error, &msgs);
	s->schema = xmlSchemaParse(pc);
	if (!s->schema) {
		rc = lms_err_set(err, LMS_EINTERNAL, "lesson_schema_unusable", NULL,
		                 "the lesson schema does not compile (%d error(s); %s)", msgs.count,
		                 msgs.first[0] ? msgs.first : "no message");
		goto cleanup;
	}
	*out = s;
	s = NULL;
cleanup:
	if (pc)
		xmlSchemaFreeParserCtxt(pc);
	lms_lesson_schema_free(s);
	return rc;
}

void lms_lesson_schema_free(lms_lesson_schema *s)
{
	if (!s)
		return;
	if (s->schema)
		xmlSchemaFree(s->schema);
	if (s->doc)
		xmlFreeDoc(s->doc);
	free(s);
}

typedef struct ls_valid {
	lms_report *rep;
	const char *file;
	size_t n_messages, dropped;
} ls_valid;

static void ls_schema_valid_error(void *ud, xmlErrorPtr e)
{
	ls_valid *v = ud;
	char msg[400];

	if (!e || e->level == XML_ERR_NONE)
		return;
	/* libxml2 follows an invalid xs:ID value with this internal note: noise for a trainer
	 * (the previous message says what is wrong). */
	if (e->message && strstr(e->message, "No precomputed value available"))
		return;
	if (v->n_messages >= LS_MAX_XML_MESSAGES) {
		v->dropped++;
		return;
	}
	v->n_messages++;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "schema error");
	xml_safe_trim(msg);
	lms_report_add(v->rep, e->level == XML_ERR_WARNING ? LMS_SEV_WARNING : LMS_SEV_ERROR,
	               "schema_invalid", v->file, e->line, "%s", msg);
}

/* ---- building the structs and the rules beyond the schema ---- */

typedef enum ls_kind { LS_MODULE, LS_LESSON, LS_PAGE, LS_QUESTION, LS_QUIZ } ls_kind;

static const char *const ls_kind_name[] = {"module", "lesson", "page", "question", "quiz"};

typedef struct ls_id {
	const char *id;
	int line;
	ls_kind kind;
	double points; /* questions */
} ls_id;

typedef struct ls_ref {
	size_t quiz;
	const char *ref;
	int line;
} ls_ref;

typedef struct ls_ctx {
	lms_arena *a;
	lms_report *rep;
	const char *file;
	lms_lesson *l;
	const char *lang;
	lms_lesson_module *modules;
	size_t n_modules, cap_modules;
	lms_lesson_unit *units;
	size_t n_units, cap_units;
	lms_lesson_page *pages;
	size_t n_pages, cap_pages;
	lms_lesson_quiz *quizzes;
	size_t n_quizzes, cap_quizzes;
	lms_lesson_media *media;
	size_t n_media, cap_media;
	ls_id *ids;
	size_t n_ids, cap_ids;
	ls_ref *refs;
	size_t n_refs, cap_refs;
	size_t n_questions;
	bool nfc_warned;
} ls_ctx;

static void *ls_grow(lms_arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	void *bigger;
	size_t ncap;

	if (n < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	bigger = lms_arena_alloc(a, ncap * size);
	if (n)
		memcpy(bigger, arr, n * size);
	*cap = ncap;
	return bigger;
}

static bool ls_is(xmlNodePtr n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       xmlStrEqual(n->ns->href, (const xmlChar *)LMS_LESSON_NS) &&
	       xmlStrEqual(n->name, (const xmlChar *)local);
}

static bool ls_is_question(xmlNodePtr n)
{
	return ls_is(n, "single-choice") || ls_is(n, "multiple-choice") ||
	       ls_is(n, "true-false") || ls_is(n, "short-answer") || ls_is(n, "numerical");
}

static xmlNodePtr ls_child(xmlNodePtr n, const char *local)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next)
		if (ls_is(c, local))
			return c;
	return NULL;
}

/* Copies s into the arena, trimmed and with inner white space collapsed (every string the
 * result keeps is a token or a title), capped at LS_MAX_STR bytes; NULL when s is NULL or
 * blank. */
static const char *ls_copy(ls_ctx *c, const xmlChar *s)
{
	char buf[LS_MAX_STR + 1];

	if (!s)
		return NULL;
	ls_normalise((const char *)s, false, buf, sizeof(buf));
	return buf[0] ? lms_arena_strdup(c->a, buf) : NULL;
}

static const char *ls_attr(ls_ctx *c, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	const char *s = ls_copy(c, v);

	if (v)
		xmlFree(v);
	return s;
}

static const char *ls_text(ls_ctx *c, xmlNodePtr n)
{
	xmlChar *v;
	const char *s;

	if (!n)
		return NULL;
	v = xmlNodeGetContent(n);
	s = ls_copy(c, v);
	if (v)
		xmlFree(v);
	return s;
}

/* The language of n: its own or inherited xml:lang, else the course language. */
static const char *ls_lang(ls_ctx *c, xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetLang(n);
	const char *s = ls_copy(c, v);

	if (v)
		xmlFree(v);
	return s ? s : c->lang;
}

static void ls_add_id(ls_ctx *c, const char *id, int line, ls_kind kind, double points)
{
	if (!id)
		return;
	c->ids = ls_grow(c->a, c->ids, c->n_ids, &c->cap_ids, sizeof(*c->ids));
	c->ids[c->n_ids].id = id;
	c->ids[c->n_ids].line = line;
	c->ids[c->n_ids].kind = kind;
	c->ids[c->n_ids].points = points;
	c->n_ids++;
}

static int ls_id_cmp(const void *x, const void *y)
{
	const ls_id *p = x, *q = y;
	int k = strcmp(p->id, q->id);

	if (k)
		return k;
	return (p->line > q->line) - (p->line < q->line);
}

static const ls_id *ls_find_id(const ls_ctx *c, const char *id)
{
	size_t lo = 0, hi = c->n_ids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int k = strcmp(c->ids[mid].id, id);
		if (k == 0) {
			while (mid > 0 && strcmp(c->ids[mid - 1].id, id) == 0)
				mid--; /* the first occurrence */
			return &c->ids[mid];
		}
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Rule 10 for one element: at most one title per language; the title in the course
 * language (required for course, module, lesson, page). Sets *title (course language),
 * and *vi, *en when asked. */
static void ls_titles(ls_ctx *c, xmlNodePtr parent, const char *what, const char *id,
                      bool required, const char **title, const char **vi, const char **en)
{
	const char *langs[LS_MAX_TITLES];
	int lines[LS_MAX_TITLES];
	size_t n = 0, i;
	xmlNodePtr t;

	*title = NULL;
	for (t = parent->children; t; t = t->next) {
		const char *lang, *text;
		int line;
		if (!ls_is(t, "title"))
			continue;
		lang = ls_lang(c, t);
		text = ls_text(c, t);
		line = ls_line(t);
		for (i = 0; i < n; i++) {
			if (ls_ascii_ieq(langs[i], lang)) {
				lms_report_add(c->rep, LMS_SEV_ERROR, "title_language_duplicate", c->file,
				               line,
				               "The %s%s%s%s has two titles in language \"%s\" (lines %d "
				               "and %d); give one title per language",
				               what, id ? " \"" : "", id ? id : "", id ? "\"" : "", lang,
				               lines[i], line);
				break;
			}
		}
		if (n < LS_MAX_TITLES) {
			langs[n] = lang;
			lines[n] = line;
			n++;
		}
		if (!text)
			continue;
		if (!*title && ls_lang_match(lang, c->lang))
			*title = text;
		if (vi && !*vi && ls_lang_match(lang, "vi"))
			*vi = text;
		if (en && !*en && ls_lang_match(lang, "en"))
			*en = text;
	}
	if (required && !*title)
		lms_report_add(c->rep, LMS_SEV_ERROR, "title_missing", c->file, ls_line(parent),
		               "The %s%s%s%s has no title in the course language (\"%s\")", what,
		               id ? " \"" : "", id ? id : "", id ? "\"" : "", c->lang);
}

/* The int64 seconds of a duration child (0 when absent or not a duration: the schema says
 * why). */
static int64_t ls_duration_of(ls_ctx *c, xmlNodePtr n)
{
	int64_t s = 0;
	const char *v;

	if (!n || !(v = ls_text(c, n)))
		return 0;
	if (ls_duration(v, &s) == LS_DUR_RANGE) {
		lms_report_add(c->rep, LMS_SEV_ERROR, "duration_out_of_range", c->file, ls_line(n),
		               "The duration \"%s\" is too long", v);
		return 0;
	}
	return s;
}

static void ls_check_minimum(ls_ctx *c, xmlNodePtr n, const char *what, const char *id,
                             int64_t duration_s, int64_t minimum_s)
{
	if (duration_s > 0 && minimum_s > duration_s)
		lms_report_add(c->rep, LMS_SEV_WARNING, "minimum_time_over_duration", c->file,
		               ls_line(n),
		               "The minimum time of the %s%s%s%s (%lld s) is above its expected "
		               "duration (%lld s)",
		               what, id ? " \"" : "", id ? id : "", id ? "\"" : "",
		               (long long)minimum_s, (long long)duration_s);
}

static void ls_add_media(ls_ctx *c, xmlNodePtr n, const char *path, lms_media_kind kind,
                         const char *page_id)
{
	if (!path || !ls_package_path(path, strlen(path)))
		return; /* absent or outside the grammar: the schema reported it */
	c->media = ls_grow(c->a, c->media, c->n_media, &c->cap_media, sizeof(*c->media));
	c->media[c->n_media].path = path;
	c->media[c->n_media].kind = kind;
	c->media[c->n_media].page_id = page_id;
	c->media[c->n_media].line = ls_line(n);
	c->n_media++;
}

/* Rule 8: alt text that is the file name or a placeholder. */
static void ls_check_alt(ls_ctx *c, xmlNodePtr n, const char *src, const char *alt)
{
	static const char *const placeholders[] = {
		"hình", "ảnh", "hình ảnh", "ảnh minh họa", "ảnh minh hoạ", "hình minh họa",
		"hình minh hoạ", "hinh", "anh", "hinh anh", "image", "picture", "img", "photo",
		"photograph", "graphic", "figure", "alt", "untitled", "no alt", "placeholder"};
	char norm[LS_MAX_STR + 1], base[LS_MAX_STR + 1];
	const char *slash, *dot;
	size_t i, n_base;

	if (!alt)
		return;
	ls_normalise(alt, true, norm, sizeof(norm));
	for (i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++) {
		if (strcmp(norm, placeholders[i]) == 0) {
			lms_report_add(c->rep, LMS_SEV_WARNING, "alt_placeholder", c->file, ls_line(n),
			               "The alt text \"%s\" is a placeholder; say what the picture shows "
			               "or says",
			               alt);
			return;
		}
	}
	if (!src)
		return;
	slash = strrchr(src, '/');
	slash = slash ? slash + 1 : src;
	ls_normalise(slash, true, base, sizeof(base));
	dot = strrchr(base, '.');
	n_base = dot ? (size_t)(dot - base) : strlen(base);
	if (strcmp(norm, base) == 0 || (n_base > 0 && strlen(norm) == n_base &&
	                                memcmp(norm, base, n_base) == 0))
		lms_report_add(c->rep, LMS_SEV_WARNING, "alt_placeholder", c->file, ls_line(n),
		               "The alt text \"%s\" is just the file name; say what the picture shows "
		               "or says",
		               alt);
}

static void ls_video(ls_ctx *c, xmlNodePtr n)
{
	xmlNodePtr t;
	bool has_tracks = false;

	for (t = n->children; t; t = t->next) {
		const char *srclang;
		if (!ls_is(t, "track"))
			continue;
		has_tracks = true;
		srclang = ls_attr(c, t, "srclang");
		if (ls_lang_match(srclang, c->lang))
			return;
	}
	if (has_tracks) /* no track at all is the schema's error */
		lms_report_add(c->rep, LMS_SEV_WARNING, "video_captions_language", c->file,
		               ls_line(n),
		               "The video has no captions track in the course language (\"%s\")",
		               c->lang);
}

static void ls_link(ls_ctx *c, xmlNodePtr n, const char *page_id)
{
	const char *href = ls_attr(c, n, "href");
	const char *hash;

	if (!href)
		return;
	if (strncmp(href, "http://", 7) == 0) {
		lms_report_add(c->rep, LMS_SEV_WARNING, "link_not_https", c->file, ls_line(n),
		               "The link \"%s\" uses http:; use https: where the site offers it", href);
		return;
	}
	hash = strchr(href, '#');
	if (hash)
		href = lms_arena_strndup(c->a, href, (size_t)(hash - href));
	ls_add_media(c, n, href, LMS_MEDIA_LINK, page_id);
}

/* Rule 9 for one question, and its id (rule 7). */
static void ls_question(ls_ctx *c, xmlNodePtr q)
{
	const char *id = ls_attr(c, q, "id");
	const char *pts = ls_attr(c, q, "points");
	const char *ids[LS_MAX_COMPARED];
	char norms[LS_MAX_COMPARED][256];
	int lines[LS_MAX_COMPARED];
	size_t n = 0, i, correct = 0;
	double points = 1;
	xmlNodePtr ch;
	int line = ls_line(q);

	if (pts && !ls_decimal(pts, &points))
		points = 1;
	c->n_questions++;
	ls_add_id(c, id, line, LS_QUESTION, points);
	if (!id)
		id = "";
	if (ls_is(q, "single-choice") || ls_is(q, "multiple-choice")) {
		for (ch = q->children; ch; ch = ch->next) {
			const char *cid;
			if (!ls_is(ch, "choice"))
				continue;
			if (ls_boolean(ls_attr(c, ch, "correct"), false))
				correct++;
			cid = ls_attr(c, ch, "id");
			if (!cid)
				continue;
			for (i = 0; i < n; i++) {
				if (strcmp(ids[i], cid) == 0) {
					lms_report_add(c->rep, LMS_SEV_ERROR, "choice_id_duplicate", c->file,
					               ls_line(ch),
					               "Question \"%s\" has two choices with id \"%s\" (lines %d "
					               "and %d)",
					               id, cid, lines[i], ls_line(ch));
					break;
				}
			}
			if (n < LS_MAX_COMPARED) {
				ids[n] = cid;
				lines[n] = ls_line(ch);
				n++;
			}
		}
		if (ls_is(q, "single-choice") && correct != 1)
			lms_report_add(c->rep, LMS_SEV_ERROR, "single_choice_correct", c->file, line,
			               "Single-choice question \"%s\" has %zu correct choices; it needs "
			               "exactly one (mark it correct=\"true\")",
			               id, correct);
		else if (ls_is(q, "multiple-choice") && correct == 0)
			lms_report_add(c->rep, LMS_SEV_ERROR, "multiple_choice_no_correct", c->file,
			               line,
			               "Multiple-choice question \"%s\" has no correct choice; mark at "
			               "least one correct=\"true\"",
			               id);
	} else if (ls_is(q, "short-answer")) {
		bool cs = ls_boolean(ls_attr(c, q, "case-sensitive"), false);
		for (ch = q->children; ch; ch = ch->next) {
			xmlChar *v;
			if (!ls_is(ch, "accept") || n >= LS_MAX_COMPARED)
				continue;
			v = xmlNodeGetContent(ch);
			ls_normalise(v ? (const char *)v : "", !cs, norms[n], sizeof(norms[n]));
			if (v)
				xmlFree(v);
			lines[n] = ls_line(ch);
			for (i = 0; i < n; i++) {
				if (strcmp(norms[i], norms[n]) == 0) {
					lms_report_add(c->rep, LMS_SEV_ERROR, "short_answer_duplicate", c->file,
					               lines[n],
					               "Short-answer question \"%s\" accepts \"%s\" twice (lines "
					               "%d and %d): answers are compared after trimming, "
					               "collapsing spaces%s",
					               id, norms[n], lines[i], lines[n],
					               cs ? "" : " and ignoring letter case");
					break;
				}
			}
			n++;
		}
	}
}

/* Everything inside a page or a question bank: media, links, alt text, questions. */
static void ls_walk_content(ls_ctx *c, xmlNodePtr root, const char *page_id)
{
	xmlNodePtr n = root->children;

	while (n) {
		if (n->type == XML_ELEMENT_NODE) {
			if (ls_is(n, "img") || ls_is(n, "image")) {
				const char *src = ls_attr(c, n, "src");
				ls_add_media(c, n, src, LMS_MEDIA_IMAGE, page_id);
				ls_check_alt(c, n, src, ls_attr(c, n, "alt"));
			} else if (ls_is(n, "audio")) {
				ls_add_media(c, n, ls_attr(c, n, "src"), LMS_MEDIA_AUDIO, page_id);
			} else if (ls_is(n, "video")) {
				ls_add_media(c, n, ls_attr(c, n, "src"), LMS_MEDIA_VIDEO, page_id);
				ls_add_media(c, n, ls_attr(c, n, "poster"), LMS_MEDIA_POSTER, page_id);
				ls_video(c, n);
			} else if (ls_is(n, "track")) {
				ls_add_media(c, n, ls_attr(c, n, "src"), LMS_MEDIA_CAPTIONS, page_id);
			} else if (ls_is(n, "a")) {
				ls_link(c, n, page_id);
			} else if (ls_is_question(n)) {
				ls_question(c, n);
			}
			if (n->children) {
				n = n->children;
				continue;
			}
		}
		while (n != root && !n->next)
			n = n->parent;
		if (n == root)
			break;
		n = n->next;
	}
}

static void ls_quiz(ls_ctx *c, xmlNodePtr q, size_t unit_index)
{
	lms_lesson_quiz *z;
	const char *title, *v;
	xmlNodePtr r;
	size_t n = 0;

	c->quizzes = ls_grow(c->a, c->quizzes, c->n_quizzes, &c->cap_quizzes, sizeof(*c->quizzes));
	z = &c->quizzes[c->n_quizzes];
	z->id = ls_attr(c, q, "id");
	z->lesson_id = c->units[unit_index].id;
	z->lesson_index = unit_index;
	z->line = ls_line(q);
	ls_add_id(c, z->id, z->line, LS_QUIZ, 0);
	if (!ls_decimal(ls_attr(c, q, "passing-score"), &z->passing_score))
		z->passing_score = 0;
	if ((v = ls_attr(c, q, "max-attempts")) && !ls_integer(v, &z->max_attempts))
		z->max_attempts = 0;
	if ((v = ls_attr(c, q, "time-limit"))) {
		ls_dur d = ls_duration(v, &z->time_limit_s);
		if (d != LS_DUR_OK)
			z->time_limit_s = 0;
		if (d == LS_DUR_RANGE || z->time_limit_s > LS_QUIZ_TIME_LIMIT_MAX_S)
			lms_report_add(c->rep, LMS_SEV_WARNING, "quiz_time_limit_long", c->file, z->line,
			               "The time limit \"%s\" of quiz \"%s\" is over 3 hours", v,
			               z->id ? z->id : "");
	}
	z->shuffle_questions = ls_boolean(ls_attr(c, q, "shuffle-questions"), false);
	ls_titles(c, q, "quiz", z->id, false, &title, NULL, NULL);
	for (r = q->children; r; r = r->next)
		if (ls_is(r, "question-ref"))
			n++;
	z->question_ids = n ? lms_arena_alloc(c->a, n * sizeof(*z->question_ids)) : NULL;
	for (r = q->children; r; r = r->next) {
		const char *ref;
		if (!ls_is(r, "question-ref") || !(ref = ls_attr(c, r, "ref")))
			continue;
		z->question_ids[z->n_questions++] = ref;
		c->refs = ls_grow(c->a, c->refs, c->n_refs, &c->cap_refs, sizeof(*c->refs));
		c->refs[c->n_refs].quiz = c->n_quizzes;
		c->refs[c->n_refs].ref = ref;
		c->refs[c->n_refs].line = ls_line(r);
		c->n_refs++;
	}
	c->n_quizzes++; /* units[].quiz is set once this array stops moving (ls_finish) */
}

static bool ls_course_has_area(const ls_ctx *c, const char *area)
{
	size_t i;

	for (i = 0; i < c->l->n_par_areas; i++)
		if (strcmp(c->l->par_areas[i], area) == 0)
			return true;
	return false;
}

static void ls_unit(ls_ctx *c, xmlNodePtr n, size_t module_index)
{
	lms_lesson_unit *u;
	const lms_lesson_module *m = &c->modules[module_index];
	xmlNodePtr ch;
	size_t unit_index = c->n_units;

	c->units = ls_grow(c->a, c->units, c->n_units, &c->cap_units, sizeof(*c->units));
	u = &c->units[c->n_units++];
	u->id = ls_attr(c, n, "id");
	u->line = ls_line(n);
	u->module_index = module_index;
	u->first_page = c->n_pages;
	ls_add_id(c, u->id, u->line, LS_LESSON, 0);
	ls_titles(c, n, "lesson", u->id, true, &u->title, NULL, NULL);
	u->duration_s = ls_duration_of(c, ls_child(n, "duration"));
	u->minimum_time_s = ls_duration_of(c, ls_child(n, "minimum-time"));
	ls_check_minimum(c, n, "lesson", u->id, u->duration_s, u->minimum_time_s);
	for (ch = n->children; ch; ch = ch->next) {
		if (ls_is(ch, "par-area")) {
			const char *area = ls_text(c, ch);
			if (area && c->l->n_par_areas > 0 && !ls_course_has_area(c, area))
				lms_report_add(c->rep, LMS_SEV_WARNING, "lesson_par_area_outside", c->file,
				               ls_line(ch),
				               "Lesson \"%s\" has PAR area \"%s\", which is not among the "
				               "course's",
				               u->id ? u->id : "", area);
		} else if (ls_is(ch, "page")) {
			lms_lesson_page *p;
			c->pages = ls_grow(c->a, c->pages, c->n_pages, &c->cap_pages, sizeof(*c->pages));
			p = &c->pages[c->n_pages++];
			p->id = ls_attr(c, ch, "id");
			p->line = ls_line(ch);
			p->module_index = module_index;
			p->module_id = m->id;
			p->module_title = m->title;
			p->lesson_index = unit_index;
			p->lesson_id = u->id;
			p->lesson_title = u->title;
			ls_add_id(c, p->id, p->line, LS_PAGE, 0);
			ls_titles(c, ch, "page", p->id, true, &p->title, NULL, NULL);
			ls_walk_content(c, ch, p->id);
		} else if (ls_is(ch, "questions")) {
			ls_walk_content(c, ch, NULL);
		} else if (ls_is(ch, "quiz")) {
			ls_quiz(c, ch, unit_index);
		}
	}
	u->n_pages = c->n_pages - u->first_page;
}

static void ls_metadata(ls_ctx *c, xmlNodePtr md)
{
	lms_lesson *l = c->l;
	xmlNodePtr ch;
	const char *v;
	int64_t periods = 0;

	ls_titles(c, md, "course", l->identifier, true, &l->title, &l->title_vi, &l->title_en);
	for (ch = md->children; ch; ch = ch->next) {
		if (ls_is(ch, "description") && !l->description && ls_lang_match(ls_lang(c, ch), c->lang))
			l->description = ls_text(c, ch);
		else if (ls_is(ch, "par-area") && (v = ls_text(c, ch)) &&
		         l->n_par_areas < LMS_LESSON_MAX_PAR_AREAS && !ls_course_has_area(c, v))
			l->par_areas[l->n_par_areas++] = v;
	}
	l->par_area = l->n_par_areas ? l->par_areas[0] : NULL;
	v = ls_text(c, ls_child(md, "audience"));
	if (v && strcmp(v, "leader") == 0)
		l->audience = LMS_AUDIENCE_LEADER;
	else if (v && strcmp(v, "staff") == 0)
		l->audience = LMS_AUDIENCE_STAFF;
	else if (v && strcmp(v, "all") == 0)
		l->audience = LMS_AUDIENCE_ALL;
	l->duration_s = ls_duration_of(c, ls_child(md, "duration"));
	l->minimum_time_s = ls_duration_of(c, ls_child(md, "minimum-time"));
	ls_check_minimum(c, md, "course", l->identifier, l->duration_s, l->minimum_time_s);
	if (ls_integer(ls_text(c, ls_child(md, "training-periods")), &periods) && periods > 0 &&
	    periods <= 1000)
		l->training_periods = (int)periods;
}

/* Rule 7 (ids unique, in a trainer's words), then rule 9 (references, points). */
static void ls_finish(ls_ctx *c)
{
	size_t i;

	if (c->n_ids > 1)
		qsort(c->ids, c->n_ids, sizeof(*c->ids), ls_id_cmp);
	for (i = 1; i < c->n_ids; i++) {
		const ls_id *p = &c->ids[i - 1], *q = &c->ids[i];
		if (strcmp(p->id, q->id) != 0)
			continue;
		if (p->kind == q->kind)
			lms_report_add(c->rep, LMS_SEV_ERROR, "id_duplicate", c->file, q->line,
			               "%s id %s is used twice (lines %d and %d)", ls_kind_name[q->kind],
			               q->id, p->line, q->line);
		else
			lms_report_add(c->rep, LMS_SEV_ERROR, "id_duplicate", c->file, q->line,
			               "id %s is used twice, by a %s (line %d) and a %s (line %d); ids "
			               "are unique in the whole file",
			               q->id, ls_kind_name[p->kind], p->line, ls_kind_name[q->kind],
			               q->line);
	}
	for (i = 0; i < c->n_refs; i++) {
		const ls_ref *r = &c->refs[i];
		lms_lesson_quiz *z = &c->quizzes[r->quiz];
		const ls_id *t = ls_find_id(c, r->ref);
		size_t j;
		bool dup = false;
		for (j = i; j > 0 && c->refs[j - 1].quiz == r->quiz; j--) {
			if (strcmp(c->refs[j - 1].ref, r->ref) == 0) {
				dup = true;
				break;
			}
		}
		if (dup) {
			lms_report_add(c->rep, LMS_SEV_ERROR, "quiz_ref_duplicate", c->file, r->line,
			               "Quiz \"%s\" lists question \"%s\" twice (lines %d and %d)",
			               z->id ? z->id : "", r->ref, c->refs[j - 1].line, r->line);
		} else if (!t) {
			lms_report_add(c->rep, LMS_SEV_ERROR, "quiz_ref_unresolved", c->file, r->line,
			               "Quiz \"%s\" refers to question \"%s\", which is not in the course",
			               z->id ? z->id : "", r->ref);
		} else if (t->kind != LS_QUESTION) {
			lms_report_add(c->rep, LMS_SEV_ERROR, "quiz_ref_not_question", c->file, r->line,
			               "Quiz \"%s\" refers to \"%s\", which is a %s (line %d), not a "
			               "question",
			               z->id ? z->id : "", r->ref, ls_kind_name[t->kind], t->line);
		} else {
			z->total_points += t->points;
		}
	}
	for (i = 0; i < c->n_quizzes; i++)
		if (!(c->quizzes[i].total_points > 0))
			lms_report_add(c->rep, LMS_SEV_ERROR, "quiz_no_points", c->file,
			               c->quizzes[i].line,
			               "Quiz \"%s\" has no question worth any points",
			               c->quizzes[i].id ? c->quizzes[i].id : "");
	for (i = 0; i < c->n_quizzes; i++) /* the schema allows one per lesson; else the last */
		c->units[c->quizzes[i].lesson_index].quiz = &c->quizzes[i];
	if (c->n_pages > LMS_LESSON_MAX_PAGES)
		lms_report_add(c->rep, LMS_SEV_ERROR, "too_many_pages", c->file, 0,
		               "The course has %zu pages, over the limit of %d", c->n_pages,
		               LMS_LESSON_MAX_PAGES);
	if (c->n_questions > LMS_LESSON_MAX_QUESTIONS)
		lms_report_add(c->rep, LMS_SEV_ERROR, "too_many_questions", c->file, 0,
		               "The course has %zu questions, over the limit of %d", c->n_questions,
		               LMS_LESSON_MAX_QUESTIONS);
}

/* Rule 14: decomposed text, reported once at its first line. */
static void ls_check_nfc(ls_ctx *c, xmlNodePtr root)
{
	xmlNodePtr n = root;

	while (n && !c->nfc_warned) {
		bool found = false;
		if (n->type == XML_ELEMENT_NODE) {
			xmlAttrPtr at;
			for (at = n->properties; at && !found; at = at->next)
				if (at->children && at->children->content &&
				    ls_has_combining(at->children->content))
					found = true;
		} else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		           n->content) {
			found = ls_has_combining(n->content);
		}
		if (found) {
			lms_report_add(c->rep, LMS_SEV_WARNING, "text_not_nfc", c->file, ls_line(n),
			               "Text here is in decomposed Unicode (letters followed by separate "
			               "accent marks); save the file in NFC, or it will not match in "
			               "search and short answers");
			c->nfc_warned = true;
			break;
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next)
			n = n->parent;
		if (n == root)
			break;
		n = n->next;
	}
}

static void ls_build(ls_ctx *c, xmlNodePtr root)
{
	lms_lesson *l = c->l;
	xmlNodePtr ch, md;

	l->identifier = ls_attr(c, root, "code");
	l->version = ls_attr(c, root, "version");
	c->lang = ls_lang(c, root); /* c->lang is still NULL here: NULL when absent */
	if (!c->lang)
		c->lang = "vi";
	l->language = c->lang;
	md = ls_child(root, "metadata");
	if (md)
		ls_metadata(c, md);
	for (ch = root->children; ch; ch = ch->next) {
		lms_lesson_module *m;
		size_t mi = c->n_modules, before;
		xmlNodePtr le;
		if (!ls_is(ch, "module"))
			continue;
		c->modules = ls_grow(c->a, c->modules, c->n_modules, &c->cap_modules,
		                     sizeof(*c->modules));
		m = &c->modules[c->n_modules++];
		m->id = ls_attr(c, ch, "id");
		m->line = ls_line(ch);
		ls_add_id(c, m->id, m->line, LS_MODULE, 0);
		ls_titles(c, ch, "module", m->id, true, &m->title, NULL, NULL);
		before = c->n_units;
		for (le = ch->children; le; le = le->next)
			if (ls_is(le, "lesson"))
				ls_unit(c, le, mi);
		c->modules[mi].n_units = c->n_units - before;
	}
	ls_finish(c);
	ls_check_nfc(c, root);
	l->modules = c->modules;
	l->n_modules = c->n_modules;
	l->units = c->units;
	l->n_lessons = c->n_units;
	l->pages = c->pages;
	l->n_pages = c->n_pages;
	l->quizzes = c->quizzes;
	l->n_quizzes = c->n_quizzes;
	l->media = c->media;
	l->n_media = c->n_media;
	l->n_questions = c->n_questions;
}

/* ---- the public entry points ---- */

int lms_lesson_parse_with(const char *xml, size_t len, const char *file,
                          const lms_lesson_schema *schema, const lms_manifest_limits *limits,
                          lms_arena *a, lms_report *report, lms_lesson **out, lms_err *err)
{
	lms_manifest_limits deflim;
	xs_result parsed;
	xmlSchemaValidCtxtPtr vc = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	lms_lesson *l = NULL;
	ls_valid v;
	ls_ctx c;
	size_t errors_before;
	int rc = 0, vrc;

	assert(schema && a && report && out && (xml || len == 0));
	*out = NULL;
	lms_lesson_global_init();
	if (!file)
		file = "lesson.xml";
	if (!limits) {
		lms_lesson_limits_default(&deflim);
		limits = &deflim;
	}
	errors_before = report->errors;
	if (len > limits->max_bytes || len > (size_t)INT_MAX) {
		lms_report_add(report, LMS_SEV_ERROR, "lesson_too_big", file, 0,
		               "The lesson file is %zu bytes, over the limit of %zu", len,
		               limits->max_bytes);
		rc = lms_err_set(err, LMS_ETOOBIG, "lesson_too_big", NULL,
		                 "%s is over the size limit", file);
		goto cleanup;
	}
	if (len == 0) {
		lms_report_add(report, LMS_SEV_ERROR, "xml_not_well_formed", file, 0,
		               "The lesson file is empty");
		rc = lms_err_set(err, LMS_EINVAL, "lesson_invalid", NULL, "%s is empty", file);
		goto cleanup;
	}

	if (xml_safe_parse(xml, len, file, "lesson", limits, XS_DOCTYPE_NEVER, LS_XML_OPTIONS,
	                   LS_MAX_XML_MESSAGES, report, &parsed) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not create an XML parser");
		goto cleanup;
	}
	doc = parsed.doc;
	if (parsed.refused) {
		if (parsed.refused == XS_DOCTYPE || parsed.refused == XS_ENTITIES ||
		    parsed.refused == XS_EXTERNAL_DTD)
			rc = lms_err_set(err, LMS_EINVAL, "lesson_invalid", NULL,
			                 "%s is refused for safety (it has a DOCTYPE)", file);
		else
			rc = lms_err_set(err, LMS_ETOOBIG, "lesson_too_big", NULL,
			                 "%s is over the element count or depth limit", file);
		goto cleanup;
	}
	if (!parsed.well_formed || !doc || !(root = xmlDocGetRootElement(doc))) {
		if (report->errors == errors_before)
			lms_report_add(report, LMS_SEV_ERROR, "xml_not_well_formed", file, parsed.line,
			               "The lesson is not well-formed XML");
		rc = lms_err_set(err, LMS_EINVAL, "lesson_invalid", NULL,
		                 "%s is not well-formed XML", file);
		goto cleanup;
	}
	if (doc->encoding && !ls_ascii_ieq((const char *)doc->encoding, "UTF-8") &&
	    !ls_ascii_ieq((const char *)doc->encoding, "UTF8"))
		lms_report_add(report, LMS_SEV_WARNING, "encoding_not_utf8", file, 1,
		               "The lesson is encoded in %.40s; save it as UTF-8",
		               (const char *)doc->encoding);

	/* The schema: every message, with its line. */
	memset(&v, 0, sizeof(v));
	v.rep = report;
	v.file = file;
	vc = xmlSchemaNewValidCtxt(schema->schema);
	if (!vc) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not create a schema validator");
		goto cleanup;
	}
	xmlSchemaSetValidStructuredErrors(vc, ls_schema_valid_error, &v);
	vrc = xmlSchemaValidateDoc(vc, doc);
	if (v.dropped)
		lms_report_add(report, LMS_SEV_ERROR, "schema_invalid", file, 0,
		               "%zu more schema errors are not shown", v.dropped);
	if (vrc != 0 && report->errors == errors_before)
		lms_report_add(report, LMS_SEV_ERROR, "schema_invalid", file, 0,
		               "The lesson does not validate against the PAR lesson schema");

	if (!ls_is(root, "course")) {
		lms_report_add(report, LMS_SEV_ERROR, "not_a_lesson", file, ls_line(root),
		               "The root element is <%.60s> in namespace \"%.80s\", not <course> in "
		               "namespace \"%s\"",
		               (const char *)root->name,
		               root->ns && root->ns->href ? (const char *)root->ns->href : "",
		               LMS_LESSON_NS);
		rc = lms_err_set(err, LMS_EINVAL, "lesson_invalid", NULL,
		                 "%s is not a PAR lesson", file);
		goto cleanup;
	}

	/* The rules beyond the schema, on whatever shape the document has. */
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.rep = report;
	c.file = lms_arena_strdup(a, file);
	l = lms_arena_alloc(a, sizeof(*l));
	c.l = l;
	ls_build(&c, root);
	*out = l;
	if (report->errors > errors_before)
		rc = lms_err_set(err, LMS_EINVAL, "lesson_invalid", NULL, "%s has %zu error(s)", file,
		                 report->errors - errors_before);

cleanup:
	if (vc)
		xmlSchemaFreeValidCtxt(vc);
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}

int lms_lesson_parse(const char *xml, size_t len, const char *file, const char *xsd,
                     size_t xsd_len, const lms_manifest_limits *limits, lms_arena *a,
                     lms_report *report, lms_lesson **out, lms_err *err)
{
	lms_lesson_schema *s = NULL;
	int rc;

	assert(out);
	*out = NULL;
	if ((rc = lms_lesson_schema_new(xsd, xsd_len, &s, err)) < 0)
		return rc;
	rc = lms_lesson_parse_with(xml, len, file, s, limits, a, report, out, err);
	lms_lesson_schema_free(s);
	return rc;
}

/* ---- checking files ---- */

static int ls_media_cmp(const void *x, const void *y)
{
	const lms_lesson_media *p = *(const lms_lesson_media *const *)x;
	const lms_lesson_media *q = *(const lms_lesson_media *const *)y;
	int k = strcmp(p->path, q->path);

	if (k)
		return k;
	return (p->line > q->line) - (p->line < q->line);
}

void lms_lesson_check_files(const lms_lesson *l, const char *file, lms_file_exists_fn exists,
                            void *ud, lms_report *report)
{
	const lms_lesson_media **sorted;
	size_t i;

	assert(l && exists && report);
	if (!file)
		file = "lesson.xml";
	if (l->n_media == 0)
		return;
	sorted = lms_arena_alloc(report->arena, l->n_media * sizeof(*sorted));
	for (i = 0; i < l->n_media; i++)
		sorted[i] = &l->media[i];
	qsort(sorted, l->n_media, sizeof(*sorted), ls_media_cmp);
	for (i = 0; i < l->n_media; i++) {
		const lms_lesson_media *m = sorted[i];
		bool case_differs = false;
		if (i > 0 && strcmp(sorted[i - 1]->path, m->path) == 0)
			continue; /* each path once, at its first line */
		if (!ls_package_path(m->path, strlen(m->path)))
			continue; /* never built so; never handed to the callback either */
		if (exists(ud, m->path, &case_differs))
			continue;
		if (case_differs)
			lms_report_add(report, LMS_SEV_ERROR, "media_file_case", file, m->line,
			               "File \"%s\" is in the package only with different letter case; "
			               "names are case-sensitive",
			               m->path);
		else if (m->kind == LMS_MEDIA_CAPTIONS)
			lms_report_add(report, LMS_SEV_ERROR, "captions_file_missing", file, m->line,
			               "Captions file \"%s\" is not in the package", m->path);
		else
			lms_report_add(report, LMS_SEV_ERROR, "media_file_missing", file, m->line,
			               "File \"%s\" is not in the package", m->path);
	}
}
