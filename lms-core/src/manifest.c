/* manifest.c — the libxml2 adapter that turns an IMS content package manifest
 * (imsmanifest.xml, SCORM 1.2 or SCORM 2004 2nd/3rd/4th edition) into the plain structs of
 * manifest.h, and checks a parsed manifest against a package's file list.
 *
 * Invariants:
 * - This is the only file that includes libxml2; every xmlDoc, parser context, buffer and
 *   string libxml2 hands out is freed here, before the public function returns. Every
 *   string in the result is copied into the caller's arena.
 * - XML safety (issue 3, STYLE.md): the document is parsed from memory with XML_PARSE_NONET,
 *   never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE. Through the parser
 *   context's own SAX table (never global state, so it is thread-safe), the parse stops at
 *   the first entity declaration (billion laughs, XXE: "xml_entities"), at a DOCTYPE that
 *   names an external DTD ("xml_external_dtd"), and at the element that goes over the node
 *   count or nesting depth limit. libxml2's own errors go through the context's structured
 *   error callback into the report, with their line. xmlInitParser is the caller's job
 *   (once per process).
 * - Input sizes are capped: the document (limits.max_bytes), elements (max_nodes), depth
 *   (max_depth), and each attribute or text value (MF_MAX_STR bytes).
 * - Names of elements and attributes are compared by local name, ignoring the namespace
 *   prefix and letter case (real packages write scormtype, scormType and SCORMTYPE).
 *   Namespaces are only used to infer the SCORM version when schemaversion is missing.
 *
 * Sub-manifests (<manifest> inside <manifest>): their resources are appended to the
 * manifest's resources (so identifierrefs and dependencies may point at them and their
 * files are checked), their items and organizations take part in the duplicate check,
 * and an item whose identifierref names a sub-manifest sitting directly in the item's own
 * manifest gets, when it has no children of its own, the items of the sub-manifest's
 * default organization as its children (the IMS CP aggregation rule), sharing the same
 * structs. Only a direct sub-manifest counts, so the links always go deeper: no cycle.
 *
 * xml:base (IMS CP 1.1.4 section 3.3): the values on <manifest> (and each enclosing
 * sub-manifest), <resources> and <resource> are concatenated in that order and prefixed to
 * each relative href of the resource and of its files. A "/" is inserted between parts
 * that lack one (lenient: authoring tools often write xml:base="content").
 *
 * What this file does not do: it validates no XML Schema, runs no sequencing (it only keeps
 * the sequencing and presentation XML for the player) and reads no metadata file named by
 * adlcp:location.
 */
#include "lms/manifest.h"

#include "xml_safe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest attribute or text value kept; longer is an error (no real identifier, title or
 * href comes near it). */
#define MF_MAX_STR 4096
/* Longest href after xml:base is applied (three bases and the href). */
#define MF_MAX_PATH (4 * MF_MAX_STR)
/* libxml2 messages recorded per document; the rest are counted by the parser only. */
#define MF_MAX_XML_MESSAGES 50

#define MF_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

/* Parsing with limits is xml_safe.c's job. */

/* ---- building the structs ---- */

typedef enum mf_kind { MF_ID_ORG, MF_ID_ITEM, MF_ID_RESOURCE, MF_ID_SUBMANIFEST } mf_kind;

typedef struct mf_id {
	const char *id;
	int line;
	mf_kind kind;
	size_t index;
} mf_id;

#define MF_ROOT SIZE_MAX /* the owner of the root manifest's items */

typedef struct mf_sub {
	const char *identifier;
	size_t parent; /* the manifest it sits in: MF_ROOT or an index into subs */
	lms_mf_item *items;
	size_t n_items;
} mf_sub;

typedef struct mf_ctx {
	lms_arena *a;
	lms_report *rep;
	const char *file;
	xmlDocPtr doc;
	lms_scorm_version version;
	lms_mf_resource *res;
	size_t n_res, cap_res;
	mf_id *ids;
	size_t n_ids, cap_ids;
	lms_mf_item **items;
	size_t *item_owner; /* the manifest each item sits in (MF_ROOT or a sub index) */
	size_t n_items, cap_items, cap_owner;
	size_t owner;       /* the manifest being read */
	mf_sub *subs;
	size_t n_subs, cap_subs;
	mf_id *res_index; /* resources sorted by identifier */
	size_t n_res_index;
} mf_ctx;

/* Grows an arena array to hold one more element. */
static void *mf_grow(lms_arena *a, void *arr, size_t n, size_t *cap, size_t size)
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

static int mf_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	if (l < 0)
		return 0;
	return l > INT_MAX ? INT_MAX : (int)l;
}

static bool mf_is(xmlNodePtr n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       xmlStrcasecmp(n->name, (const xmlChar *)local) == 0;
}

static xmlNodePtr mf_child(xmlNodePtr n, const char *local)
{
	xmlNodePtr c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (mf_is(c, local))
			return c;
	return NULL;
}

static size_t mf_count_children(xmlNodePtr n, const char *local)
{
	size_t k = 0;
	xmlNodePtr c;

	for (c = n->children; c; c = c->next)
		if (mf_is(c, local))
			k++;
	return k;
}

static bool mf_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Copies s into the arena with surrounding white space removed; NULL when s is NULL or
 * blank, or (with an error) when longer than MF_MAX_STR. */
static const char *mf_copy(mf_ctx *c, const xmlChar *s, int line, const char *what)
{
	const char *b = (const char *)s;
	size_t n;

	if (!b)
		return NULL;
	while (mf_space(*b))
		b++;
	n = strlen(b);
	while (n > 0 && mf_space(b[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (n > MF_MAX_STR) {
		lms_report_add(c->rep, LMS_SEV_ERROR, "value_too_long", c->file, line,
		               "The %s is longer than %d bytes", what, MF_MAX_STR);
		return NULL;
	}
	return lms_arena_strndup(c->a, b, n);
}

static xmlAttrPtr mf_attr_node(xmlNodePtr n, const char *local)
{
	xmlAttrPtr at;

	for (at = n->properties; at; at = at->next) {
		if (at->ns && at->ns->href &&
		    xmlStrEqual(at->ns->href, (const xmlChar *)XML_XML_NAMESPACE))
			continue; /* xml:base, xml:lang: read with mf_xml_base only */
		if (at->name && xmlStrcasecmp(at->name, (const xmlChar *)local) == 0)
			return at;
	}
	return NULL;
}

static const char *mf_attr_value(mf_ctx *c, xmlNodePtr n, xmlAttrPtr at, const char *what)
{
	xmlChar *v;
	const char *s;

	if (!at)
		return NULL;
	v = xmlNodeListGetString(c->doc, at->children, 1);
	s = mf_copy(c, v, mf_line(n), what);
	if (v)
		xmlFree(v);
	return s;
}

/* An attribute by local name, any prefix, any letter case; NULL when absent or blank. */
static const char *mf_attr(mf_ctx *c, xmlNodePtr n, const char *local)
{
	return mf_attr_value(c, n, mf_attr_node(n, local), local);
}

static const char *mf_xml_base(mf_ctx *c, xmlNodePtr n)
{
	xmlAttrPtr at;

	for (at = n->properties; at; at = at->next)
		if (at->ns && at->ns->href &&
		    xmlStrEqual(at->ns->href, (const xmlChar *)XML_XML_NAMESPACE) && at->name &&
		    xmlStrEqual(at->name, (const xmlChar *)"base"))
			return mf_attr_value(c, n, at, "xml:base");
	return NULL;
}

static const char *mf_text(mf_ctx *c, xmlNodePtr n, const char *what)
{
	xmlChar *v;
	const char *s;

	if (!n)
		return NULL;
	v = xmlNodeGetContent(n);
	s = mf_copy(c, v, mf_line(n), what);
	if (v)
		xmlFree(v);
	return s;
}

/* The element serialised with the namespace declarations it uses, for the player. */
static const char *mf_dump(mf_ctx *c, xmlNodePtr n)
{
	xmlNodePtr copy = NULL;
	xmlBufferPtr buf = NULL;
	const char *s = NULL;

	copy = xmlDocCopyNode(n, c->doc, 1);
	if (!copy)
		goto cleanup;
	buf = xmlBufferCreate();
	if (!buf)
		goto cleanup;
	if (xmlNodeDump(buf, c->doc, copy, 0, 0) < 0)
		goto cleanup;
	s = lms_arena_strndup(c->a, (const char *)xmlBufferContent(buf),
	                      (size_t)xmlBufferLength(buf));
cleanup:
	if (buf)
		xmlBufferFree(buf);
	if (copy)
		xmlFreeNode(copy);
	if (!s)
		lms_report_add(c->rep, LMS_SEV_ERROR, "internal", c->file, mf_line(n),
		               "Could not keep the <%s> element", (const char *)n->name);
	return s;
}

static bool mf_contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i;
		for (i = 0; i < n && hay[i]; i++) {
			char x = hay[i], y = needle[i];
			if (x >= 'A' && x <= 'Z')
				x = (char)(x - 'A' + 'a');
			if (y >= 'A' && y <= 'Z')
				y = (char)(y - 'A' + 'a');
			if (x != y)
				break;
		}
		if (i == n)
			return true;
	}
	return false;
}

/* A URI scheme ("http:", "https:", "data:"), so not a path inside the package. A single
 * letter before ':' is a drive letter, not a scheme. */
static bool mf_has_scheme(const char *s)
{
	size_t i = 0;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 1; s[i]; i++) {
		char ch = s[i];
		if (ch == ':')
			return i > 1;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.'))
			return false;
	}
	return false;
}

static const char *mf_join(mf_ctx *c, const char *base, const char *href, int line)
{
	size_t nb, nh;
	bool slash;
	char *s;

	if (!href)
		return base;
	if (!base || mf_has_scheme(href) || href[0] == '/')
		return href;
	nb = strlen(base);
	nh = strlen(href);
	slash = nb > 0 && base[nb - 1] != '/';
	if (nb + nh + 1 > MF_MAX_PATH) {
		lms_report_add(c->rep, LMS_SEV_ERROR, "value_too_long", c->file, line,
		               "The path with its xml:base is longer than %d bytes", MF_MAX_PATH);
		return href;
	}
	s = lms_arena_alloc(c->a, nb + nh + 2);
	memcpy(s, base, nb);
	if (slash)
		s[nb++] = '/';
	memcpy(s + nb, href, nh);
	s[nb + nh] = '\0';
	return s;
}

static void mf_add_id(mf_ctx *c, const char *id, int line, mf_kind kind, size_t index)
{
	if (!id)
		return;
	c->ids = mf_grow(c->a, c->ids, c->n_ids, &c->cap_ids, sizeof(*c->ids));
	c->ids[c->n_ids].id = id;
	c->ids[c->n_ids].line = line;
	c->ids[c->n_ids].kind = kind;
	c->ids[c->n_ids].index = index;
	c->n_ids++;
}

static int mf_id_cmp(const void *x, const void *y)
{
	const mf_id *a = x, *b = y;
	int r = strcmp(a->id, b->id);

	if (r)
		return r;
	return (a->line > b->line) - (a->line < b->line);
}

static const mf_id *mf_find(const mf_id *sorted, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(sorted[mid].id, id);
		if (r == 0) {
			while (mid > 0 && strcmp(sorted[mid - 1].id, id) == 0)
				mid--;
			return &sorted[mid];
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *mf_kind_name(mf_kind k)
{
	switch (k) {
	case MF_ID_ORG:
		return "organization";
	case MF_ID_ITEM:
		return "item";
	case MF_ID_RESOURCE:
		return "resource";
	case MF_ID_SUBMANIFEST:
		return "sub-manifest";
	}
	return "element";
}

/* ---- version ---- */

enum {
	MF_HINT_12_ADLCP = 1 << 0,    /* http://www.adlnet.org/xsd/adlcp_rootv1p2 */
	MF_HINT_12_IMSCP = 1 << 1,    /* http://www.imsproject.org/xsd/imscp_rootv1p1p2 */
	MF_HINT_12_ATTR = 1 << 2,     /* adlcp:scormtype */
	MF_HINT_2004_ADLCP = 1 << 3,  /* http://www.adlnet.org/xsd/adlcp_v1p3 */
	MF_HINT_2004_IMSSS = 1 << 4,  /* http://www.imsglobal.org/xsd/imsss */
	MF_HINT_2004_ADLSEQ = 1 << 5, /* http://www.adlnet.org/xsd/adlseq_v1p3 */
	MF_HINT_2004_ADLNAV = 1 << 6, /* http://www.adlnet.org/xsd/adlnav_v1p3 */
	MF_HINT_2004_IMSCP = 1 << 7,  /* http://www.imsglobal.org/xsd/imscp_v1p1 */
	MF_HINT_2004_ATTR = 1 << 8    /* adlcp:scormType */
};

static unsigned mf_ns_hint(const xmlChar *href)
{
	const char *h = (const char *)href;

	if (!h)
		return 0;
	if (mf_contains_ci(h, "adlcp_rootv1p2"))
		return MF_HINT_12_ADLCP;
	if (mf_contains_ci(h, "imscp_rootv1p1p2"))
		return MF_HINT_12_IMSCP;
	if (mf_contains_ci(h, "adlcp_v1p3"))
		return MF_HINT_2004_ADLCP;
	if (mf_contains_ci(h, "imsglobal.org/xsd/imsss"))
		return MF_HINT_2004_IMSSS;
	if (mf_contains_ci(h, "adlseq_v1p3"))
		return MF_HINT_2004_ADLSEQ;
	if (mf_contains_ci(h, "adlnav_v1p3"))
		return MF_HINT_2004_ADLNAV;
	if (mf_contains_ci(h, "imscp_v1p1"))
		return MF_HINT_2004_IMSCP;
	return 0;
}

/* Recursion is bounded by the depth limit enforced while parsing. */
static unsigned mf_scan_hints(xmlNodePtr n)
{
	unsigned h = 0;
	xmlNsPtr ns;
	xmlAttrPtr at;
	xmlNodePtr ch;

	if (n->ns)
		h |= mf_ns_hint(n->ns->href);
	for (ns = n->nsDef; ns; ns = ns->next)
		h |= mf_ns_hint(ns->href);
	for (at = n->properties; at; at = at->next) {
		if (at->ns)
			h |= mf_ns_hint(at->ns->href);
		if (at->name && xmlStrEqual(at->name, (const xmlChar *)"scormtype"))
			h |= MF_HINT_12_ATTR;
		if (at->name && xmlStrEqual(at->name, (const xmlChar *)"scormType"))
			h |= MF_HINT_2004_ATTR;
	}
	for (ch = n->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE)
			h |= mf_scan_hints(ch);
	return h;
}

static unsigned mf_popcount(unsigned x)
{
	unsigned k = 0;

	for (; x; x &= x - 1)
		k++;
	return k;
}

/* schemaversion as written by SCORM: "1.2"; 2004 "CAM 1.3" (2nd edition), "2004 3rd
 * Edition", "2004 4th Edition". Returns false when it names none of them. */
static bool mf_version_from_schemaversion(const char *s, lms_scorm_version *v, int *edition)
{
	*edition = 0;
	if (mf_contains_ci(s, "3rd")) {
		*v = LMS_SCORM_2004;
		*edition = 3;
	} else if (mf_contains_ci(s, "4th")) {
		*v = LMS_SCORM_2004;
		*edition = 4;
	} else if (mf_contains_ci(s, "2nd") || mf_contains_ci(s, "CAM 1.3")) {
		*v = LMS_SCORM_2004;
		*edition = 2;
	} else if (mf_contains_ci(s, "2004") || mf_contains_ci(s, "1.3")) {
		*v = LMS_SCORM_2004;
	} else if (mf_contains_ci(s, "1.2")) {
		*v = LMS_SCORM_12;
	} else {
		return false;
	}
	return true;
}

static void mf_version(mf_ctx *c, xmlNodePtr root, xmlNodePtr metadata, lms_manifest *m)
{
	xmlNodePtr sv = metadata ? mf_child(metadata, "schemaversion") : NULL;
	unsigned h, n12, n2004;

	m->schemaversion = mf_text(c, sv, "schemaversion");
	/* A native PAR lesson's manifest (docs/par-lesson-format.md) names its own schema and
	 * version: no SCORM version to find. */
	{
		xmlNodePtr schema = metadata ? mf_child(metadata, "schema") : NULL;
		const char *name = mf_text(c, schema, "schema");
		if (name && mf_contains_ci(name, "parlearn PAR lesson")) {
			m->version = LMS_SCORM_UNKNOWN;
			c->version = m->version;
			return;
		}
	}
	if (m->schemaversion &&
	    mf_version_from_schemaversion(m->schemaversion, &m->version, &m->edition)) {
		c->version = m->version;
		return;
	}
	h = mf_scan_hints(root);
	n12 = mf_popcount(h & (MF_HINT_12_ADLCP | MF_HINT_12_IMSCP | MF_HINT_12_ATTR));
	n2004 = mf_popcount(h & ~(unsigned)(MF_HINT_12_ADLCP | MF_HINT_12_IMSCP | MF_HINT_12_ATTR));
	m->version = n12 > n2004 ? LMS_SCORM_12 : n2004 > n12 ? LMS_SCORM_2004 : LMS_SCORM_UNKNOWN;
	c->version = m->version;
	if (m->schemaversion)
		lms_report_add(c->rep, LMS_SEV_WARNING, "schemaversion_unknown", c->file,
		               mf_line(sv), "schemaversion \"%s\" names no SCORM version; %s",
		               m->schemaversion,
		               m->version == LMS_SCORM_12     ? "taken as SCORM 1.2 from its namespaces"
		               : m->version == LMS_SCORM_2004 ? "taken as SCORM 2004 from its namespaces"
		                                              : "the version is unknown");
	else
		lms_report_add(c->rep, LMS_SEV_WARNING, "schemaversion_missing", c->file,
		               mf_line(metadata ? metadata : root),
		               "The manifest has no <schemaversion>; %s",
		               m->version == LMS_SCORM_12     ? "taken as SCORM 1.2 from its namespaces"
		               : m->version == LMS_SCORM_2004 ? "taken as SCORM 2004 from its namespaces"
		                                              : "the SCORM version is unknown");
}

/* ---- metadata (LOM, inline only) ---- */

/* <title><langstring>..</langstring></title> (IMS MD 1.2) or <title><string>..</string>
 * (LOM 2004): the first one; else the element's own text. */
static const char *mf_langstring(mf_ctx *c, xmlNodePtr n, const char *what)
{
	xmlNodePtr ch;

	if (!n)
		return NULL;
	for (ch = n->children; ch; ch = ch->next)
		if (mf_is(ch, "langstring") || mf_is(ch, "string"))
			return mf_text(c, ch, what);
	return mf_text(c, n, what);
}

static void mf_metadata(mf_ctx *c, xmlNodePtr metadata, lms_manifest *m)
{
	xmlNodePtr lom, general;

	if (!metadata)
		return;
	lom = mf_child(metadata, "lom");
	if (!lom)
		lom = mf_child(metadata, "record");
	general = lom ? mf_child(lom, "general") : NULL;
	if (!general)
		return; /* no inline LOM, or only adlcp:location: nothing to record */
	m->title = mf_langstring(c, mf_child(general, "title"), "LOM title");
	m->description = mf_langstring(c, mf_child(general, "description"), "LOM description");
	m->language = mf_text(c, mf_child(general, "language"), "LOM language");
}

/* ---- organizations and items ---- */

static void mf_items(mf_ctx *c, xmlNodePtr parent, lms_mf_item **out, size_t *n_out);

static void mf_item(mf_ctx *c, xmlNodePtr n, lms_mf_item *it)
{
	xmlNodePtr ch;
	const char *v;

	it->line = mf_line(n);
	it->identifier = mf_attr(c, n, "identifier");
	it->identifierref = mf_attr(c, n, "identifierref");
	it->parameters = mf_attr(c, n, "parameters");
	v = mf_attr(c, n, "isvisible");
	it->isvisible = !(v && xmlStrcasecmp((const xmlChar *)v, (const xmlChar *)"false") == 0);
	if (!it->identifier)
		lms_report_add(c->rep, LMS_SEV_ERROR, "identifier_missing", c->file, it->line,
		               "An <item> has no identifier attribute");
	mf_add_id(c, it->identifier, it->line, MF_ID_ITEM, 0);
	c->items = mf_grow(c->a, c->items, c->n_items, &c->cap_items, sizeof(*c->items));
	c->item_owner =
		mf_grow(c->a, c->item_owner, c->n_items, &c->cap_owner, sizeof(*c->item_owner));
	c->items[c->n_items] = it;
	c->item_owner[c->n_items++] = c->owner;

	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (mf_is(ch, "title") && !it->title) {
			it->title = mf_text(c, ch, "title");
		} else if (mf_is(ch, "masteryscore")) {
			it->masteryscore = mf_text(c, ch, "adlcp:masteryscore");
		} else if (mf_is(ch, "prerequisites")) {
			it->prerequisites = mf_text(c, ch, "adlcp:prerequisites");
		} else if (mf_is(ch, "maxtimeallowed")) {
			it->maxtimeallowed = mf_text(c, ch, "adlcp:maxtimeallowed");
		} else if (mf_is(ch, "timelimitaction")) {
			it->timelimitaction = mf_text(c, ch, "adlcp:timelimitaction");
		} else if (mf_is(ch, "datafromlms")) {
			if (c->version == LMS_SCORM_2004)
				it->data_from_lms = mf_text(c, ch, "adlcp:dataFromLMS");
			else
				it->datafromlms = mf_text(c, ch, "adlcp:datafromlms");
		} else if (mf_is(ch, "completionthreshold")) {
			it->completion_threshold = mf_text(c, ch, "adlcp:completionThreshold");
			if (!it->completion_threshold)
				it->completion_threshold = mf_attr(c, ch, "minProgressMeasure");
		} else if (mf_is(ch, "presentation") && !it->presentation_xml) {
			it->presentation_xml = mf_dump(c, ch);
		} else if (mf_is(ch, "sequencing") && !it->sequencing_xml) {
			it->sequencing_xml = mf_dump(c, ch);
		}
	}
	if (!it->title)
		lms_report_add(c->rep, LMS_SEV_ERROR, "title_missing", c->file, it->line,
		               "Item \"%s\" has no <title>", it->identifier ? it->identifier : "");
	mf_items(c, n, &it->children, &it->n_children);
}

/* Recursion is bounded by the depth limit enforced while parsing. */
static void mf_items(mf_ctx *c, xmlNodePtr parent, lms_mf_item **out, size_t *n_out)
{
	size_t n = mf_count_children(parent, "item"), k = 0;
	lms_mf_item *items;
	xmlNodePtr ch;

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return;
	items = lms_arena_alloc(c->a, n * sizeof(*items));
	for (ch = parent->children; ch && k < n; ch = ch->next)
		if (mf_is(ch, "item"))
			mf_item(c, ch, &items[k++]);
	*out = items;
	*n_out = k;
}

static void mf_organizations(mf_ctx *c, xmlNodePtr orgs_el, lms_mf_organization **out,
                             size_t *n_out, const lms_mf_organization **def, bool top)
{
	size_t n = mf_count_children(orgs_el, "organization"), k = 0;
	const char *def_id = mf_attr(c, orgs_el, "default");
	lms_mf_organization *orgs = NULL;
	xmlNodePtr ch;

	*def = NULL;
	if (n)
		orgs = lms_arena_alloc(c->a, n * sizeof(*orgs));
	for (ch = orgs_el->children; ch && k < n; ch = ch->next) {
		lms_mf_organization *o;
		xmlNodePtr t;
		if (!mf_is(ch, "organization"))
			continue;
		o = &orgs[k++];
		o->line = mf_line(ch);
		o->identifier = mf_attr(c, ch, "identifier");
		if (!o->identifier)
			lms_report_add(c->rep, LMS_SEV_ERROR, "identifier_missing", c->file, o->line,
			               "An <organization> has no identifier attribute");
		mf_add_id(c, o->identifier, o->line, MF_ID_ORG, 0);
		o->title = mf_text(c, mf_child(ch, "title"), "title");
		if (!o->title)
			lms_report_add(c->rep, LMS_SEV_ERROR, "title_missing", c->file, o->line,
			               "Organization \"%s\" has no <title>",
			               o->identifier ? o->identifier : "");
		t = mf_child(ch, "sequencing");
		if (t)
			o->sequencing_xml = mf_dump(c, t);
		mf_items(c, ch, &o->items, &o->n_items);
		if (o->n_items == 0 && top)
			lms_report_add(c->rep, LMS_SEV_WARNING, "organization_empty", c->file, o->line,
			               "Organization \"%s\" has no items",
			               o->identifier ? o->identifier : "");
		if (def_id && !*def && o->identifier && strcmp(o->identifier, def_id) == 0)
			*def = o;
	}
	if (def_id && !*def && k > 0)
		lms_report_add(c->rep, LMS_SEV_WARNING, "default_org_unknown", c->file,
		               mf_line(orgs_el),
		               "default=\"%s\" names no organization; the first one is used", def_id);
	if (!*def && k > 0)
		*def = &orgs[0];
	if (k == 0 && top)
		lms_report_add(c->rep, LMS_SEV_ERROR, "organization_missing", c->file,
		               mf_line(orgs_el), "<organizations> holds no <organization> to launch");
	*out = orgs;
	*n_out = k;
}

/* ---- resources ---- */

static const char **mf_hrefs(mf_ctx *c, xmlNodePtr n, const char *child, const char *attr,
                             const char *base, size_t *n_out)
{
	size_t cnt = mf_count_children(n, child), k = 0;
	const char **v;
	xmlNodePtr ch;

	*n_out = 0;
	if (cnt == 0)
		return NULL;
	v = lms_arena_alloc(c->a, cnt * sizeof(*v));
	for (ch = n->children; ch && k < cnt; ch = ch->next) {
		const char *h;
		if (!mf_is(ch, child))
			continue;
		h = mf_attr(c, ch, attr);
		if (!h) {
			lms_report_add(c->rep, LMS_SEV_WARNING, "attribute_missing", c->file,
			               mf_line(ch), "A <%s> has no %s attribute", child, attr);
			continue;
		}
		v[k++] = base ? mf_join(c, base, h, mf_line(ch)) : h;
	}
	*n_out = k;
	return v;
}

static void mf_resources(mf_ctx *c, xmlNodePtr res_el, const char *base)
{
	xmlNodePtr ch;

	base = mf_join(c, base, mf_xml_base(c, res_el), mf_line(res_el));
	for (ch = res_el->children; ch; ch = ch->next) {
		lms_mf_resource *r;
		const char *rbase, *st, *href;
		if (!mf_is(ch, "resource"))
			continue;
		c->res = mf_grow(c->a, c->res, c->n_res, &c->cap_res, sizeof(*c->res));
		r = &c->res[c->n_res];
		memset(r, 0, sizeof(*r));
		r->line = mf_line(ch);
		r->identifier = mf_attr(c, ch, "identifier");
		if (!r->identifier)
			lms_report_add(c->rep, LMS_SEV_ERROR, "identifier_missing", c->file, r->line,
			               "A <resource> has no identifier attribute");
		mf_add_id(c, r->identifier, r->line, MF_ID_RESOURCE, c->n_res);
		r->type = mf_attr(c, ch, "type");
		st = mf_attr(c, ch, "scormtype");
		if (st && xmlStrcasecmp((const xmlChar *)st, (const xmlChar *)"sco") == 0) {
			r->scorm_type = "sco";
		} else if (st && xmlStrcasecmp((const xmlChar *)st, (const xmlChar *)"asset") == 0) {
			r->scorm_type = "asset";
		} else if (st) {
			r->scorm_type = st;
			lms_report_add(c->rep, LMS_SEV_WARNING, "scormtype_unknown", c->file, r->line,
			               "Resource \"%s\" has scormType \"%s\", neither sco nor asset",
			               r->identifier ? r->identifier : "", st);
		}
		rbase = mf_join(c, base, mf_xml_base(c, ch), r->line);
		href = mf_attr(c, ch, "href");
		r->href = href ? mf_join(c, rbase, href, r->line) : NULL;
		r->files = mf_hrefs(c, ch, "file", "href", rbase, &r->n_files);
		r->dependencies = mf_hrefs(c, ch, "dependency", "identifierref", NULL,
		                           &r->n_dependencies);
		c->n_res++;
	}
}

/* One <manifest> element: the root or a sub-manifest (recursion bounded by the depth limit
 * enforced while parsing). */
static void mf_manifest_body(mf_ctx *c, xmlNodePtr mnode, const char *base, bool top,
                             lms_mf_organization **orgs, size_t *n_orgs,
                             const lms_mf_organization **def, bool *have_orgs, bool *have_res)
{
	xmlNodePtr ch;

	*orgs = NULL;
	*n_orgs = 0;
	*def = NULL;
	*have_orgs = *have_res = false;
	base = mf_join(c, base, mf_xml_base(c, mnode), mf_line(mnode));
	for (ch = mnode->children; ch; ch = ch->next) {
		if (mf_is(ch, "organizations") && !*have_orgs) {
			*have_orgs = true;
			mf_organizations(c, ch, orgs, n_orgs, def, top);
		} else if (mf_is(ch, "resources")) {
			*have_res = true;
			mf_resources(c, ch, base);
		} else if (mf_is(ch, "manifest")) {
			lms_mf_organization *sorgs;
			const lms_mf_organization *sdef;
			size_t sn, idx = c->n_subs, saved = c->owner;
			bool ho, hr;
			const char *sid = mf_attr(c, ch, "identifier");
			/* reserve the slot first: the sub-manifest's own items name it as owner */
			c->subs = mf_grow(c->a, c->subs, c->n_subs, &c->cap_subs, sizeof(*c->subs));
			c->n_subs++;
			c->subs[idx].identifier = sid;
			c->subs[idx].parent = saved;
			mf_add_id(c, sid, mf_line(ch), MF_ID_SUBMANIFEST, idx);
			c->owner = idx;
			mf_manifest_body(c, ch, base, false, &sorgs, &sn, &sdef, &ho, &hr);
			c->owner = saved;
			c->subs[idx].items = sdef ? sdef->items : NULL;
			c->subs[idx].n_items = sdef ? sdef->n_items : 0;
		}
	}
}

/* ---- cross-references ---- */

static void mf_check_duplicates(mf_ctx *c)
{
	mf_id *sorted;
	size_t i;

	if (c->n_ids < 2)
		return;
	sorted = lms_arena_alloc(c->a, c->n_ids * sizeof(*sorted));
	memcpy(sorted, c->ids, c->n_ids * sizeof(*sorted));
	qsort(sorted, c->n_ids, sizeof(*sorted), mf_id_cmp);
	for (i = 1; i < c->n_ids; i++)
		if (strcmp(sorted[i].id, sorted[i - 1].id) == 0)
			lms_report_add(c->rep, LMS_SEV_ERROR, "identifier_duplicate", c->file,
			               sorted[i].line,
			               "Identifier \"%s\" of this %s is already used by the %s on line %d",
			               sorted[i].id, mf_kind_name(sorted[i].kind),
			               mf_kind_name(sorted[i - 1].kind), sorted[i - 1].line);
}

static void mf_index_resources(mf_ctx *c)
{
	size_t i, k = 0;

	c->res_index = c->n_res ? lms_arena_alloc(c->a, c->n_res * sizeof(*c->res_index)) : NULL;
	for (i = 0; i < c->n_res; i++) {
		if (!c->res[i].identifier)
			continue;
		c->res_index[k].id = c->res[i].identifier;
		c->res_index[k].line = c->res[i].line;
		c->res_index[k].kind = MF_ID_RESOURCE;
		c->res_index[k].index = i;
		k++;
	}
	c->n_res_index = k;
	if (k > 1)
		qsort(c->res_index, k, sizeof(*c->res_index), mf_id_cmp);
}

/* A sub-manifest that sits directly in manifest owner: an item may aggregate only those,
 * so following the links always goes deeper and the item tree has no cycle. */
static const mf_sub *mf_find_sub(const mf_ctx *c, const char *id, size_t owner)
{
	size_t i;

	for (i = 0; i < c->n_subs; i++)
		if (c->subs[i].identifier && c->subs[i].parent == owner &&
		    strcmp(c->subs[i].identifier, id) == 0)
			return &c->subs[i];
	return NULL;
}

static void mf_resolve_items(mf_ctx *c)
{
	size_t i;

	for (i = 0; i < c->n_items; i++) {
		lms_mf_item *it = c->items[i];
		if (it->identifierref) {
			const mf_id *r = mf_find(c->res_index, c->n_res_index, it->identifierref);
			const mf_sub *s;
			if (r) {
				it->resource = &c->res[r->index];
			} else if ((s = mf_find_sub(c, it->identifierref, c->item_owner[i])) != NULL) {
				if (it->n_children == 0) {
					it->children = s->items;
					it->n_children = s->n_items;
				}
			} else {
				lms_report_add(c->rep, LMS_SEV_ERROR, "identifierref_unresolved", c->file,
				               it->line,
				               "Item \"%s\" refers to \"%s\", which is no resource of the "
				               "package nor a sub-manifest of its manifest",
				               it->identifier ? it->identifier : "", it->identifierref);
			}
		}
		if (it->n_children > 0)
			continue;
		if (it->resource && !it->resource->href)
			lms_report_add(c->rep, LMS_SEV_ERROR, "launch_missing", c->file, it->line,
			               "Item \"%s\" launches resource \"%s\" (line %d), which has no href",
			               it->identifier ? it->identifier : "", it->identifierref,
			               it->resource->line);
		else if (!it->identifierref)
			lms_report_add(c->rep, LMS_SEV_WARNING, "item_no_resource", c->file, it->line,
			               "Item \"%s\" has neither children nor a resource to launch",
			               it->identifier ? it->identifier : "");
	}
}

/* Dependencies must resolve and must not form a cycle: an iterative depth-first search
 * (no recursion, so a long chain cannot exhaust the stack). */
static void mf_check_dependencies(mf_ctx *c)
{
	unsigned char *color; /* 0 white, 1 on the stack, 2 done */
	size_t *stack_res, *stack_dep, sp, i, j;

	if (c->n_res == 0)
		return;
	for (i = 0; i < c->n_res; i++)
		for (j = 0; j < c->res[i].n_dependencies; j++)
			if (!mf_find(c->res_index, c->n_res_index, c->res[i].dependencies[j]))
				lms_report_add(c->rep, LMS_SEV_ERROR, "dependency_unresolved", c->file,
				               c->res[i].line,
				               "Resource \"%s\" depends on \"%s\", which is no resource",
				               c->res[i].identifier ? c->res[i].identifier : "",
				               c->res[i].dependencies[j]);
	color = lms_arena_alloc(c->a, c->n_res);
	stack_res = lms_arena_alloc(c->a, c->n_res * sizeof(*stack_res));
	stack_dep = lms_arena_alloc(c->a, c->n_res * sizeof(*stack_dep));
	for (i = 0; i < c->n_res; i++) {
		if (color[i])
			continue;
		sp = 0;
		stack_res[sp] = i;
		stack_dep[sp] = 0;
		sp++;
		color[i] = 1;
		while (sp > 0) {
			size_t r = stack_res[sp - 1], d = stack_dep[sp - 1];
			const mf_id *t;
			if (d >= c->res[r].n_dependencies) {
				color[r] = 2;
				sp--;
				continue;
			}
			stack_dep[sp - 1] = d + 1;
			t = mf_find(c->res_index, c->n_res_index, c->res[r].dependencies[d]);
			if (!t)
				continue;
			if (color[t->index] == 1) {
				lms_report_add(c->rep, LMS_SEV_ERROR, "dependency_cycle", c->file,
				               c->res[r].line,
				               "Resource \"%s\" depends on \"%s\", which depends back on it "
				               "(a dependency cycle)",
				               c->res[r].identifier, c->res[t->index].identifier);
			} else if (color[t->index] == 0) {
				color[t->index] = 1;
				stack_res[sp] = t->index;
				stack_dep[sp] = 0;
				sp++;
			}
		}
	}
}

static void mf_build(mf_ctx *c, xmlNodePtr root, lms_manifest *m)
{
	xmlNodePtr metadata = mf_child(root, "metadata"), sc;
	bool have_orgs, have_res;

	m->identifier = mf_attr(c, root, "identifier");
	if (!m->identifier)
		lms_report_add(c->rep, LMS_SEV_WARNING, "identifier_missing", c->file, mf_line(root),
		               "The <manifest> has no identifier attribute");
	mf_version(c, root, metadata, m);
	mf_metadata(c, metadata, m);
	mf_manifest_body(c, root, NULL, true, &m->organizations, &m->n_organizations,
	                 &m->default_org, &have_orgs, &have_res);
	if (!have_orgs)
		lms_report_add(c->rep, LMS_SEV_ERROR, "organizations_missing", c->file, mf_line(root),
		               "The manifest has no <organizations> element");
	if (!have_res)
		lms_report_add(c->rep, LMS_SEV_ERROR, "resources_missing", c->file, mf_line(root),
		               "The manifest has no <resources> element");
	sc = mf_child(root, "sequencingCollection");
	if (sc)
		m->sequencing_collection_xml = mf_dump(c, sc);
	m->resources = c->res;
	m->n_resources = c->n_res;
	if (!m->title && m->default_org)
		m->title = m->default_org->title;

	mf_check_duplicates(c);
	mf_index_resources(c);
	mf_resolve_items(c);
	mf_check_dependencies(c);
}

void lms_manifest_limits_default(lms_manifest_limits *l)
{
	l->max_bytes = (size_t)8 * 1024 * 1024;
	l->max_nodes = 200000;
	l->max_depth = 64;
}

int lms_manifest_parse(const char *xml, size_t len, const char *file,
                       const lms_manifest_limits *limits, lms_arena *a, lms_report *report,
                       lms_manifest **out, lms_err *err)
{
	lms_manifest_limits deflim;
	xs_result parsed;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	lms_manifest *m;
	mf_ctx c;
	size_t errors_before;
	int rc = 0;

	assert(a && report && out && (xml || len == 0));
	*out = NULL;
	if (!file)
		file = "imsmanifest.xml";
	if (!limits) {
		lms_manifest_limits_default(&deflim);
		limits = &deflim;
	}
	errors_before = report->errors;
	if (len > limits->max_bytes || len > (size_t)INT_MAX) {
		lms_report_add(report, LMS_SEV_ERROR, "manifest_too_big", file, 0,
		               "The manifest is %zu bytes, over the limit of %zu", len,
		               limits->max_bytes);
		rc = lms_err_set(err, LMS_ETOOBIG, "manifest_too_big", NULL,
		                 "%s is over the size limit", file);
		goto cleanup;
	}
	if (len == 0) {
		lms_report_add(report, LMS_SEV_ERROR, "xml_not_well_formed", file, 0,
		               "The manifest is empty");
		rc = lms_err_set(err, LMS_EINVAL, "manifest_invalid", NULL, "%s is empty", file);
		goto cleanup;
	}

	if (xml_safe_parse(xml, len, file, "manifest", limits, XS_DOCTYPE_NO_EXTERNAL, MF_XML_OPTIONS,
	                   MF_MAX_XML_MESSAGES, report, &parsed) < 0) {
		rc = lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not create an XML parser");
		goto cleanup;
	}
	doc = parsed.doc;
	if (parsed.refused) {
		if (parsed.refused == XS_NODES || parsed.refused == XS_DEPTH)
			rc = lms_err_set(err, LMS_ETOOBIG, "manifest_too_big", NULL,
			                 "%s is over the element count or depth limit", file);
		else
			rc = lms_err_set(err, LMS_EINVAL, "manifest_invalid", NULL,
			                 "%s is refused for safety (entities or external DTD)", file);
		goto cleanup;
	}
	if (!parsed.well_formed || !doc || !(root = xmlDocGetRootElement(doc))) {
		if (report->errors == errors_before)
			lms_report_add(report, LMS_SEV_ERROR, "xml_not_well_formed", file, parsed.line,
			               "The manifest is not well-formed XML");
		rc = lms_err_set(err, LMS_EINVAL, "manifest_invalid", NULL,
		                 "%s is not well-formed XML", file);
		goto cleanup;
	}
	if (!mf_is(root, "manifest")) {
		lms_report_add(report, LMS_SEV_ERROR, "not_a_manifest", file, mf_line(root),
		               "The root element is <%s>, not <manifest>", (const char *)root->name);
		rc = lms_err_set(err, LMS_EINVAL, "manifest_invalid", NULL,
		                 "%s is not an IMS manifest", file);
		goto cleanup;
	}

	memset(&c, 0, sizeof(c));
	c.owner = MF_ROOT;
	c.a = a;
	c.rep = report;
	c.file = lms_arena_strdup(a, file);
	c.doc = doc;
	m = lms_arena_alloc(a, sizeof(*m));
	mf_build(&c, root, m);
	*out = m; /* a partial view even when there are errors (manifest.h) */
	if (report->errors > errors_before)
		rc = lms_err_set(err, LMS_EINVAL, "manifest_invalid", NULL,
		                 "%s has %zu error(s)", file, report->errors - errors_before);

cleanup:
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}

/* ---- checking files ---- */

typedef enum mf_path_kind { MF_PATH_LOCAL, MF_PATH_EXTERNAL, MF_PATH_OUTSIDE } mf_path_kind;

static int mf_hex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The package path of an href: no query or fragment, %XX decoded, "." and ".." segments
 * resolved. External when it is a URL with a scheme; outside when it is absolute, climbs
 * above the package root, holds a NUL, or is too long. */
static mf_path_kind mf_package_path(const char *href, char *out, size_t cap)
{
	char dec[MF_MAX_PATH + 1];
	size_t n = 0, o = 0, i;

	if (mf_has_scheme(href))
		return MF_PATH_EXTERNAL;
	for (i = 0; href[i] && href[i] != '?' && href[i] != '#'; i++) {
		char ch = href[i];
		int h1, h2;
		if (ch == '%' && (h1 = mf_hex(href[i + 1])) >= 0 && (h2 = mf_hex(href[i + 2])) >= 0) {
			ch = (char)(h1 * 16 + h2);
			i += 2;
			if (ch == '\0')
				return MF_PATH_OUTSIDE;
		}
		if (n >= MF_MAX_PATH)
			return MF_PATH_OUTSIDE;
		dec[n++] = ch;
	}
	dec[n] = '\0';
	if (n == 0 || dec[0] == '/' || dec[0] == '\\')
		return MF_PATH_OUTSIDE;
	i = 0;
	while (i < n) {
		size_t s = i, len;
		while (i < n && dec[i] != '/')
			i++;
		len = i - s;
		i++; /* past '/' */
		if (len == 0 || (len == 1 && dec[s] == '.'))
			continue;
		if (len == 2 && dec[s] == '.' && dec[s + 1] == '.') {
			if (o == 0)
				return MF_PATH_OUTSIDE;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the '/' before the dropped segment */
			continue;
		}
		if (o + len + 2 > cap)
			return MF_PATH_OUTSIDE;
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, dec + s, len);
		o += len;
	}
	if (o == 0)
		return MF_PATH_OUTSIDE;
	out[o] = '\0';
	return MF_PATH_LOCAL;
}

static void mf_check_launch(const lms_mf_resource *r, const char *file, lms_file_exists_fn exists,
                            void *ud, lms_report *report)
{
	char path[MF_MAX_PATH + 2];
	bool case_differs = false;

	switch (mf_package_path(r->href, path, sizeof(path))) {
	case MF_PATH_EXTERNAL:
		return;
	case MF_PATH_OUTSIDE:
		lms_report_add(report, LMS_SEV_ERROR, "launch_outside_package", file, r->line,
		               "Resource \"%s\" launches \"%s\", which is not a path inside the package",
		               r->identifier ? r->identifier : "", r->href);
		return;
	case MF_PATH_LOCAL:
		break;
	}
	if (exists(ud, path, &case_differs))
		return;
	if (case_differs)
		lms_report_add(report, LMS_SEV_WARNING, "launch_file_case", file, r->line,
		               "Launch file \"%s\" of resource \"%s\" exists only with different letter "
		               "case; it would fail on a case-sensitive server",
		               path, r->identifier ? r->identifier : "");
	else
		lms_report_add(report, LMS_SEV_ERROR, "launch_file_missing", file, r->line,
		               "Launch file \"%s\" of resource \"%s\" is not in the package", path,
		               r->identifier ? r->identifier : "");
}

static void mf_check_items(const lms_manifest *m, const lms_mf_item *items, size_t n,
                           unsigned char *seen, const char *file, lms_file_exists_fn exists,
                           void *ud, lms_report *report, int depth)
{
	size_t i;

	if (depth > 256) /* sub-manifest sharing cannot loop, but never trust a tree blindly */
		return;
	for (i = 0; i < n; i++) {
		const lms_mf_resource *r = items[i].resource;
		if (r && r->href) {
			size_t idx = (size_t)(r - m->resources);
			bool in_array = r >= m->resources && idx < m->n_resources;
			if (!in_array || !seen[idx]) {
				if (in_array)
					seen[idx] = 1;
				mf_check_launch(r, file, exists, ud, report);
			}
		}
		mf_check_items(m, items[i].children, items[i].n_children, seen, file, exists, ud,
		               report, depth + 1);
	}
}

void lms_manifest_check_files(const lms_manifest *m, const char *file,
                              lms_file_exists_fn exists, void *ud, lms_report *report)
{
	unsigned char *seen;
	size_t i, j;

	assert(m && exists && report);
	if (!file)
		file = "imsmanifest.xml";
	seen = lms_arena_alloc(report->arena, m->n_resources + 1);
	for (i = 0; i < m->n_organizations; i++)
		mf_check_items(m, m->organizations[i].items, m->organizations[i].n_items, seen, file,
		               exists, ud, report, 0);
	for (i = 0; i < m->n_resources; i++) {
		const lms_mf_resource *r = &m->resources[i];
		for (j = 0; j < r->n_files; j++) {
			char path[MF_MAX_PATH + 2];
			bool case_differs = false;
			mf_path_kind k = mf_package_path(r->files[j], path, sizeof(path));
			if (k == MF_PATH_EXTERNAL)
				continue;
			if (k == MF_PATH_OUTSIDE) {
				lms_report_add(report, LMS_SEV_WARNING, "file_outside_package", file, r->line,
				               "File \"%s\" of resource \"%s\" is not a path inside the "
				               "package", r->files[j], r->identifier ? r->identifier : "");
				continue;
			}
			if (exists(ud, path, &case_differs))
				continue;
			if (case_differs)
				lms_report_add(report, LMS_SEV_WARNING, "file_case", file, r->line,
				               "File \"%s\" of resource \"%s\" exists only with different "
				               "letter case", path, r->identifier ? r->identifier : "");
			else
				lms_report_add(report, LMS_SEV_WARNING, "file_missing", file, r->line,
				               "File \"%s\" of resource \"%s\" is listed but not in the "
				               "package", path, r->identifier ? r->identifier : "");
		}
	}
}

void lms_manifest_global_init(void)
{
	xmlInitParser();
}
