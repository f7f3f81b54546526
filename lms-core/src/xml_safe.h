/* xml_safe.h — parsing untrusted XML (package manifests, PAR lessons) with libxml2 safely:
 * no network, no entity substitution, no DTD loading; element count and depth capped while
 * parsing (SAX wrappers stop the parser at once); entity declarations refused, and either
 * any DOCTYPE refused or only one naming an external DTD; libxml2's own errors go into the
 * report with their lines, through the context's callback (no global state).
 * Internal to lms-core (the adapters manifest.c and lesson.c). */
#ifndef LMS_XML_SAFE_H
#define LMS_XML_SAFE_H

#include "lms/manifest.h"
#include "lms/report.h"

#include <libxml/parser.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum xs_doctype_policy {
	XS_DOCTYPE_NO_EXTERNAL = 0, /* an internal DOCTYPE without entities is fine */
	XS_DOCTYPE_NEVER = 1        /* any DOCTYPE is refused */
} xs_doctype_policy;

typedef enum xs_refusal {
	XS_OK = 0,
	XS_ENTITIES,
	XS_EXTERNAL_DTD,
	XS_DOCTYPE,
	XS_NODES,
	XS_DEPTH
} xs_refusal;

typedef struct xs_result {
	xmlDocPtr doc;        /* the caller frees it with xmlFreeDoc; NULL when refused */
	xs_refusal refused;
	bool well_formed;
	int line;             /* where the parser stopped */
} xs_result;

/* Parses xml[0..len) (len already checked against limits->max_bytes by the caller).
 * what names the document in messages ("manifest", "lesson"). Problems are reported
 * against file; at most max_messages of libxml2's own. Returns 0, or LMS_EINTERNAL when
 * no parser could be made. */
int xml_safe_parse(const char *xml, size_t len, const char *file, const char *what,
                   const lms_manifest_limits *limits, xs_doctype_policy policy, int options,
                   size_t max_messages, lms_report *report, xs_result *out);

/* Trims trailing newlines and spaces (libxml2's messages end with one). */
void xml_safe_trim(char *msg);

#endif
