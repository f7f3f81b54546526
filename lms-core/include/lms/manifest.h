/* manifest.h — an IMS content package manifest (imsmanifest.xml), SCORM 1.2 or 2004, as
 * plain structs (libxml2 adapter in src/manifest.c; no libxml2 type leaves it).
 *
 * Parsing is lenient where real packages are loose (element and attribute letter case, a
 * missing schemaversion, extra namespaces and unknown elements — warnings at most) and
 * strict where it matters (not well-formed XML, no organizations or resources element, an
 * identifierref that resolves to nothing, duplicate identifiers, a dependency cycle —
 * errors). Every problem goes into the report with the file and line.
 *
 * XML safety: parsed from memory with XML_PARSE_NONET, never XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD or XML_PARSE_HUGE; a document with a DTD that declares entities is
 * refused; input size, element count and nesting depth are capped (lms_manifest_limits).
 *
 * All strings live in the arena passed to lms_manifest_parse.
 */
#ifndef LMS_MANIFEST_H
#define LMS_MANIFEST_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/report.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum lms_scorm_version {
	LMS_SCORM_UNKNOWN = 0, /* an IMS content package that says neither */
	LMS_SCORM_12 = 1,
	LMS_SCORM_2004 = 2
} lms_scorm_version;

typedef struct lms_mf_resource {
	const char *identifier;
	const char *type;          /* e.g. "webcontent" */
	const char *scorm_type;    /* "sco", "asset", or NULL when absent */
	const char *href;          /* launch path with every xml:base applied, query kept; NULL
	                              when the resource has no href */
	const char **files;        /* <file href>, xml:base applied */
	size_t n_files;
	const char **dependencies; /* identifierrefs of <dependency> */
	size_t n_dependencies;
	int line;
} lms_mf_resource;

typedef struct lms_mf_item {
	const char *identifier;
	const char *identifierref; /* NULL for a pure container item */
	const lms_mf_resource *resource; /* resolved identifierref, or NULL */
	const char *title;
	const char *parameters;    /* appended to the launch href (SCORM CP rules) */
	bool isvisible;            /* default true */
	/* SCORM 1.2 (adlcp:) */
	const char *masteryscore, *prerequisites, *maxtimeallowed, *timelimitaction, *datafromlms;
	/* SCORM 2004 */
	const char *data_from_lms;          /* adlcp:dataFromLMS */
	const char *completion_threshold;   /* adlcp:completionThreshold: text, or the
	                                       minProgressMeasure attribute (4th edition) */
	const char *presentation_xml;       /* adlnav:presentation, serialised, or NULL */
	const char *sequencing_xml;         /* imsss:sequencing, serialised, or NULL */
	struct lms_mf_item *children;
	size_t n_children;
	int line;
} lms_mf_item;

typedef struct lms_mf_organization {
	const char *identifier;
	const char *title;
	lms_mf_item *items;
	size_t n_items;
	const char *sequencing_xml;
	int line;
} lms_mf_organization;

typedef struct lms_manifest {
	lms_scorm_version version;
	const char *schemaversion;   /* as written ("1.2", "2004 3rd Edition", "CAM 1.3"...), or NULL */
	int edition;                 /* 2004: 2, 3 or 4 when known, else 0 */
	const char *identifier;
	const char *title;           /* LOM general/title, else the default organisation's title */
	const char *description;     /* LOM general/description, or NULL */
	const char *language;        /* LOM general/language, or NULL */
	lms_mf_organization *organizations;
	size_t n_organizations;
	const lms_mf_organization *default_org; /* the one named by default=, else the first */
	lms_mf_resource *resources;
	size_t n_resources;
	const char *sequencing_collection_xml;  /* imsss:sequencingCollection, or NULL */
} lms_manifest;

typedef struct lms_manifest_limits {
	size_t max_bytes;   /* default 8 MiB */
	size_t max_nodes;   /* elements, default 200,000 */
	int max_depth;      /* element nesting, default 64 */
} lms_manifest_limits;

void lms_manifest_limits_default(lms_manifest_limits *l);

/* Initialises the XML library once per process, before any thread parses (libxml2's
 * xmlInitParser is not thread-safe on first use). main() calls it. */
void lms_manifest_global_init(void);

/* Parses xml[0..len), reporting problems against file (usually "imsmanifest.xml").
 * Returns 0 with *out set when the manifest is usable (warnings allowed); LMS_EINVAL
 * "manifest_invalid" when it has errors (all in report; *out may still be set for a
 * partial view, or NULL when nothing usable was found); LMS_ETOOBIG when over a limit. */
int lms_manifest_parse(const char *xml, size_t len, const char *file,
                       const lms_manifest_limits *limits, lms_arena *a, lms_report *report,
                       lms_manifest **out, lms_err *err);

/* Does the package hold this path? exact: the same bytes; else set *case_differs when only
 * an ASCII-case-insensitive match exists. */
typedef bool (*lms_file_exists_fn)(void *ud, const char *path, bool *case_differs);

/* Checks the manifest against the package's files: every launch href of a resource that an
 * item uses (path part, URL-decoded, without query or fragment) must exist — an error;
 * listed <file> entries that are missing — a warning; a match that differs only in letter
 * case — a warning (it would fail on a case-sensitive server). */
void lms_manifest_check_files(const lms_manifest *m, const char *file,
                              lms_file_exists_fn exists, void *ud, lms_report *report);

#endif
