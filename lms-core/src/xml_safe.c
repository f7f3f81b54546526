/* xml_safe.c — the one place where untrusted XML is turned into a libxml2 tree (see
 * xml_safe.h). The SAX table is the parser context's own copy, so wrapping its callbacks
 * touches no global state. */
#include "xml_safe.h"

#include "lms/error.h"

#include <libxml/parserInternals.h>
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

typedef struct xs_parse {
	const lms_manifest_limits *lim;
	lms_report *rep;
	const char *file, *what;
	xs_doctype_policy policy;
	size_t nodes, n_messages, max_messages;
	int depth;
	xs_refusal refused;
	startElementNsSAX2Func start;
	endElementNsSAX2Func end;
	internalSubsetSAXFunc internal_subset;
} xs_parse;

static int ctxt_line(xmlParserCtxtPtr pc)
{
	return pc->input && pc->input->line > 0 ? pc->input->line : 0;
}

void xml_safe_trim(char *msg)
{
	size_t n = strlen(msg);

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' '))
		msg[--n] = '\0';
}

static void refuse(xmlParserCtxtPtr pc, xs_parse *p, xs_refusal why)
{
	int line = ctxt_line(pc);

	if (p->refused)
		return;
	p->refused = why;
	switch (why) {
	case XS_ENTITIES:
		lms_report_add(p->rep, LMS_SEV_ERROR, "xml_entities", p->file, line,
		               "The document declares XML entities, which a %s never needs; it is "
		               "refused for safety",
		               p->what);
		break;
	case XS_EXTERNAL_DTD:
		lms_report_add(p->rep, LMS_SEV_ERROR, "xml_external_dtd", p->file, line,
		               "The DOCTYPE names an external DTD, which is never loaded; the document "
		               "is refused for safety");
		break;
	case XS_DOCTYPE:
		lms_report_add(p->rep, LMS_SEV_ERROR, "xml_doctype", p->file, line,
		               "The %s has a DOCTYPE; it never needs one (no DTD, no entities), so it "
		               "is refused for safety",
		               p->what);
		break;
	case XS_NODES:
		lms_report_add(p->rep, LMS_SEV_ERROR, "xml_too_many_nodes", p->file, line,
		               "The %s has more than %zu elements", p->what, p->lim->max_nodes);
		break;
	case XS_DEPTH:
		lms_report_add(p->rep, LMS_SEV_ERROR, "xml_too_deep", p->file, line,
		               "Elements are nested more than %d deep", p->lim->max_depth);
		break;
	case XS_OK:
		break;
	}
	xmlStopParser(pc);
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr pc = ctx;
	xs_parse *p = pc->_private;

	if (p->refused)
		return;
	p->nodes++;
	p->depth++;
	if (p->nodes > p->lim->max_nodes) {
		refuse(pc, p, XS_NODES);
		return;
	}
	if (p->depth > p->lim->max_depth) {
		refuse(pc, p, XS_DEPTH);
		return;
	}
	p->start(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
	         nb_defaulted, attributes);
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                    const xmlChar *uri)
{
	xmlParserCtxtPtr pc = ctx;
	xs_parse *p = pc->_private;

	if (p->refused)
		return;
	p->depth--;
	p->end(ctx, localname, prefix, uri);
}

/* Called as soon as "<!DOCTYPE name [PUBLIC|SYSTEM ...]" is read, before any internal
 * subset. */
static void sax_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                                const xmlChar *system_id)
{
	xmlParserCtxtPtr pc = ctx;
	xs_parse *p = pc->_private;

	if (p->policy == XS_DOCTYPE_NEVER) {
		refuse(pc, p, XS_DOCTYPE);
		return;
	}
	if (external_id || system_id) {
		refuse(pc, p, XS_EXTERNAL_DTD);
		return;
	}
	p->internal_subset(ctx, name, external_id, system_id);
}

static void sax_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                            const xmlChar *system_id, xmlChar *content)
{
	xmlParserCtxtPtr pc = ctx;
	xs_parse *p = pc->_private;

	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	refuse(pc, p, p->policy == XS_DOCTYPE_NEVER ? XS_DOCTYPE : XS_ENTITIES);
}

static void sax_unparsed_entity_decl(void *ctx, const xmlChar *name, const xmlChar *public_id,
                                     const xmlChar *system_id, const xmlChar *notation)
{
	xmlParserCtxtPtr pc = ctx;
	xs_parse *p = pc->_private;

	(void)name;
	(void)public_id;
	(void)system_id;
	(void)notation;
	refuse(pc, p, p->policy == XS_DOCTYPE_NEVER ? XS_DOCTYPE : XS_ENTITIES);
}

/* The context's structured error callback: libxml2 passes ctxt->userData, the context. */
static void xml_error(void *ud, xmlErrorPtr e)
{
	xmlParserCtxtPtr pc = ud;
	xs_parse *p;
	char msg[400];

	if (!pc || !e || !(p = pc->_private) || p->refused || e->level == XML_ERR_NONE)
		return;
	if (p->n_messages >= p->max_messages)
		return;
	p->n_messages++;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "XML error");
	xml_safe_trim(msg);
	if (e->level == XML_ERR_WARNING)
		lms_report_add(p->rep, LMS_SEV_WARNING, "xml_warning", p->file, e->line, "%s", msg);
	else
		lms_report_add(p->rep, LMS_SEV_ERROR, "xml_not_well_formed", p->file, e->line,
		               "Not well-formed XML: %s", msg);
}

int xml_safe_parse(const char *xml, size_t len, const char *file, const char *what,
                   const lms_manifest_limits *limits, xs_doctype_policy policy, int options,
                   size_t max_messages, lms_report *report, xs_result *out)
{
	xmlParserCtxtPtr pc;
	xs_parse p;

	assert(len <= (size_t)INT_MAX);
	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.lim = limits;
	p.rep = report;
	p.file = file;
	p.what = what;
	p.policy = policy;
	p.max_messages = max_messages;
	pc = xmlCreateMemoryParserCtxt(xml, (int)len);
	if (!pc || !pc->sax) {
		if (pc)
			xmlFreeParserCtxt(pc);
		return LMS_EINTERNAL;
	}
	pc->_private = &p;
	p.start = pc->sax->startElementNs;
	p.end = pc->sax->endElementNs;
	p.internal_subset = pc->sax->internalSubset;
	assert(p.start && p.end && p.internal_subset);
	pc->sax->startElementNs = sax_start;
	pc->sax->endElementNs = sax_end;
	pc->sax->internalSubset = sax_internal_subset;
	pc->sax->entityDecl = sax_entity_decl;
	pc->sax->unparsedEntityDecl = sax_unparsed_entity_decl;
	pc->sax->serror = xml_error;
	xmlCtxtUseOptions(pc, options);
	(void)xmlParseDocument(pc);
	out->doc = pc->myDoc;
	pc->myDoc = NULL;
	out->refused = p.refused;
	out->well_formed = pc->wellFormed != 0;
	out->line = ctxt_line(pc);
	if (p.refused && out->doc) {
		xmlFreeDoc(out->doc);
		out->doc = NULL;
	}
	xmlFreeParserCtxt(pc);
	return LMS_OK;
}
