/* test_manifest.c — the IMS manifest parser (manifest.h): SCORM 1.2 and 2004 manifests
 * written inline for each rule (lenient names, version inference, strict references,
 * xml:base, sub-manifests, sequencing XML, LOM metadata), hostile XML (XXE, billion laughs,
 * external DTD, depth, node count, size) refused, lms_manifest_check_files, and the real
 * packages of ../shared/scorm-samples read with libzip (the test only: the core never
 * includes <zip.h> outside its adapter). The samples are skipped with a message when the
 * folder is not found (PARLEARN_SCORM_SAMPLES, else beside the source tree). */
#include "support.h"

#include "lms/manifest.h"

#include <libxml/parser.h>
#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct tstate {
	lms_arena *a;
	lms_report rep;
	lms_err err;
	lms_manifest *m;
} tstate;

static int setup(void **state)
{
	tstate *t = calloc(1, sizeof(*t));

	xmlInitParser(); /* the server does this once at start-up */
	if (!t)
		return -1;
	t->a = lms_arena_new();
	lms_report_init(&t->rep, t->a);
	lms_err_clear(&t->err);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tstate *t = *state;

	lms_arena_free(t->a);
	free(t);
	return 0;
}

static int parse_with(tstate *t, const char *xml, const lms_manifest_limits *lim)
{
	t->m = NULL;
	return lms_manifest_parse(xml, strlen(xml), "imsmanifest.xml", lim, t->a, &t->rep, &t->m,
	                          &t->err);
}

static int parse(tstate *t, const char *xml)
{
	return parse_with(t, xml, NULL);
}

static void dump_report(const lms_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		print_message("  %s %s %s:%d %s\n",
		              r->items[i].severity == LMS_SEV_ERROR ? "error" : "warning",
		              r->items[i].code, r->items[i].file, r->items[i].line, r->items[i].message);
}

static const lms_problem *find_problem(const lms_report *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].code, code) == 0)
			return &r->items[i];
	return NULL;
}

static size_t count_problems(const lms_report *r, const char *code)
{
	size_t i, k = 0;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->items[i].code, code) == 0)
			k++;
	return k;
}

static void expect_problem(const lms_report *r, const char *code, lms_severity sev, int line)
{
	const lms_problem *p = find_problem(r, code);

	if (!p) {
		print_message("expected problem %s, report:\n", code);
		dump_report(r);
	}
	assert_non_null(p);
	assert_int_equal(p->severity, sev);
	assert_string_equal(p->file, "imsmanifest.xml");
	if (line >= 0)
		assert_int_equal(p->line, line);
}

static void expect_clean(const lms_report *r)
{
	if (r->n) {
		print_message("expected no problems, report:\n");
		dump_report(r);
	}
	assert_int_equal(r->n, 0);
}

/* ---- inline manifests ---- */

#define NS12                                                                                  \
	" xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""                           \
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\""
#define NS2004                                                                                \
	" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""                                  \
	" xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\""                               \
	" xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\""                             \
	" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\""

static void scorm12_item_tree_and_data(void **state)
{
	tstate *t = *state;
	const char *xml =
		"<?xml version=\"1.0\"?>\n"                                                  /* 1 */
		"<manifest identifier=\"m1\"" NS12 ">\n"                                     /* 2 */
		"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>\n"
		"<organizations default=\"o1\">\n"                                           /* 4 */
		" <organization identifier=\"o1\"><title> Course A </title>\n"             /* 5 */
		"  <item identifier=\"i1\"><title>Module</title>\n"                         /* 6 */
		"   <item identifier=\"i2\" identifierref=\"r1\" isvisible=\"false\" "
		"parameters=\"?page=2\">\n"                                                  /* 7 */
		"    <title>Lesson</title>\n"
		"    <adlcp:masteryscore>80</adlcp:masteryscore>\n"
		"    <adlcp:prerequisites type=\"aicc_script\">i0</adlcp:prerequisites>\n"
		"    <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>\n"
		"    <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>\n"
		"    <adlcp:datafromlms>hello</adlcp:datafromlms>\n"
		"   </item>\n"
		"  </item>\n"
		" </organization>\n"
		"</organizations>\n"
		"<resources>\n"
		" <resource identifier=\"r1\" type=\"webcontent\" adlcp:scormtype=\"sco\" "
		"href=\"sco/index.html\">\n"                                                 /* 19 */
		"  <file href=\"sco/index.html\"/><file href=\"sco/a.js\"/>\n"
		" </resource>\n"
		"</resources>\n"
		"</manifest>\n";
	const lms_mf_item *mod, *les;

	assert_int_equal(parse(t, xml), 0);
	expect_clean(&t->rep);
	assert_non_null(t->m);
	assert_int_equal(t->m->version, LMS_SCORM_12);
	assert_string_equal(t->m->schemaversion, "1.2");
	assert_string_equal(t->m->identifier, "m1");
	assert_string_equal(t->m->title, "Course A");
	assert_int_equal(t->m->n_organizations, 1);
	assert_ptr_equal(t->m->default_org, &t->m->organizations[0]);
	assert_int_equal(t->m->organizations[0].line, 5);
	assert_int_equal(t->m->organizations[0].n_items, 1);
	mod = &t->m->organizations[0].items[0];
	assert_string_equal(mod->title, "Module");
	assert_null(mod->identifierref);
	assert_true(mod->isvisible);
	assert_int_equal(mod->n_children, 1);
	les = &mod->children[0];
	assert_int_equal(les->line, 7);
	assert_string_equal(les->identifierref, "r1");
	assert_false(les->isvisible);
	assert_string_equal(les->parameters, "?page=2");
	assert_string_equal(les->masteryscore, "80");
	assert_string_equal(les->prerequisites, "i0");
	assert_string_equal(les->maxtimeallowed, "00:30:00");
	assert_string_equal(les->timelimitaction, "exit,message");
	assert_string_equal(les->datafromlms, "hello");
	assert_null(les->data_from_lms);
	assert_ptr_equal(les->resource, &t->m->resources[0]);
	assert_string_equal(les->resource->href, "sco/index.html");
	assert_string_equal(les->resource->scorm_type, "sco");
	assert_string_equal(les->resource->type, "webcontent");
	assert_int_equal(les->resource->n_files, 2);
	assert_string_equal(les->resource->files[1], "sco/a.js");
	assert_int_equal(les->resource->line, 19);
}

static void scorm2004_sequencing_presentation_kept(void **state)
{
	tstate *t = *state;
	const char *xml =
		"<manifest identifier=\"m\"" NS2004 ">\n"
		"<metadata><schemaversion>2004 4th Edition</schemaversion></metadata>\n"
		"<organizations default=\"o\"><organization identifier=\"o\"><title>T</title>\n"
		"<item identifier=\"i\" identifierref=\"r\"><title>I</title>\n"
		"<adlcp:dataFromLMS>x=1</adlcp:dataFromLMS>\n"
		"<adlcp:completionThreshold minProgressMeasure=\"0.75\"/>\n"
		"<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exit"
		"</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>\n"
		"<imsss:sequencing IDRef=\"common\"><imsss:deliveryControls "
		"completionSetByContent=\"true\"/></imsss:sequencing>\n"
		"</item>\n"
		"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>\n"
		"</organization></organizations>\n"
		"<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\" "
		"href=\"index.html\"/></resources>\n"
		"<imsss:sequencingCollection><imsss:sequencing ID=\"common\"/>"
		"</imsss:sequencingCollection>\n"
		"</manifest>\n";
	const lms_mf_item *it;

	assert_int_equal(parse(t, xml), 0);
	expect_clean(&t->rep);
	assert_int_equal(t->m->version, LMS_SCORM_2004);
	assert_int_equal(t->m->edition, 4);
	it = &t->m->organizations[0].items[0];
	assert_string_equal(it->data_from_lms, "x=1");
	assert_null(it->datafromlms);
	assert_string_equal(it->completion_threshold, "0.75");
	assert_non_null(it->presentation_xml);
	assert_non_null(strstr(it->presentation_xml, "<adlnav:presentation"));
	assert_non_null(strstr(it->presentation_xml, "adlnav:hideLMSUI>exit<"));
	assert_non_null(
		strstr(it->presentation_xml, "xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\""));
	assert_non_null(strstr(it->sequencing_xml, "IDRef=\"common\""));
	assert_non_null(strstr(it->sequencing_xml, "xmlns:imsss="));
	assert_non_null(strstr(t->m->organizations[0].sequencing_xml, "controlMode"));
	assert_non_null(strstr(t->m->sequencing_collection_xml, "ID=\"common\""));
	assert_string_equal(it->resource->scorm_type, "sco");
}

static void names_are_compared_case_insensitively(void **state)
{
	tstate *t = *state;
	const char *xml = "<Manifest Identifier=\"m\"" NS12 ">\n"
	                  "<METADATA><SchemaVersion>1.2</SchemaVersion></METADATA>\n"
	                  "<Organizations Default=\"o\"><Organization IDENTIFIER=\"o\">"
	                  "<Title>T</Title>\n"
	                  "<Item Identifier=\"i\" IdentifierRef=\"r\" IsVisible=\"FALSE\">"
	                  "<TITLE>I</TITLE><adlcp:MasteryScore>70</adlcp:MasteryScore></Item>\n"
	                  "<unknownElement foo=\"bar\"/>\n"
	                  "</Organization></Organizations>\n"
	                  "<Resources><Resource Identifier=\"r\" Type=\"webcontent\" "
	                  "adlcp:SCORMTYPE=\"SCO\" HREF=\"a.html\"><File Href=\"a.html\"/>"
	                  "</Resource></Resources>\n"
	                  "</Manifest>\n";
	const lms_mf_item *it;

	assert_int_equal(parse(t, xml), 0);
	expect_clean(&t->rep);
	it = &t->m->organizations[0].items[0];
	assert_false(it->isvisible);
	assert_string_equal(it->masteryscore, "70");
	assert_non_null(it->resource);
	assert_string_equal(it->resource->scorm_type, "sco");
	assert_string_equal(it->resource->href, "a.html");
	assert_int_equal(it->resource->n_files, 1);
}

#define META12 "<metadata><schemaversion>1.2</schemaversion></metadata>"

#define BODY_MIN                                                                              \
	"<organizations default=\"o\"><organization identifier=\"o\"><title>T</title>"        \
	"<item identifier=\"i\" identifierref=\"r\"><title>I</title></item>"                  \
	"</organization></organizations>"                                                     \
	"<resources><resource identifier=\"r\" type=\"webcontent\" href=\"a.html\"/>"         \
	"</resources>"

static void missing_schemaversion_is_inferred_with_a_warning(void **state)
{
	tstate *t = *state;

	/* SCORM 1.2 namespaces, scormtype with a lower-case t */
	assert_int_equal(parse(t, "<manifest identifier=\"m\"" NS12 ">\n" BODY_MIN "</manifest>"), 0);
	assert_int_equal(t->m->version, LMS_SCORM_12);
	assert_null(t->m->schemaversion);
	expect_problem(&t->rep, "schemaversion_missing", LMS_SEV_WARNING, 1);
	assert_int_equal(t->rep.errors, 0);

	/* SCORM 2004: adlcp_v1p3, imsss */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\"" NS2004 ">\n<metadata/>\n" BODY_MIN
	                          "</manifest>"),
	                 0);
	assert_int_equal(t->m->version, LMS_SCORM_2004);
	assert_int_equal(t->m->edition, 0);
	expect_problem(&t->rep, "schemaversion_missing", LMS_SEV_WARNING, 2);

	/* nothing to go on */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\">" BODY_MIN "</manifest>"), 0);
	assert_int_equal(t->m->version, LMS_SCORM_UNKNOWN);
	expect_problem(&t->rep, "schemaversion_missing", LMS_SEV_WARNING, 1);

	/* a value that names no version */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\"" NS2004 ">\n<metadata>\n"
	                          "<schemaversion>banana</schemaversion></metadata>" BODY_MIN
	                          "</manifest>"),
	                 0);
	assert_int_equal(t->m->version, LMS_SCORM_2004);
	expect_problem(&t->rep, "schemaversion_unknown", LMS_SEV_WARNING, 3);

	/* the 2nd edition's "CAM 1.3" */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\"><metadata><schemaversion>CAM 1.3"
	                          "</schemaversion></metadata>" BODY_MIN "</manifest>"),
	                 0);
	assert_int_equal(t->m->version, LMS_SCORM_2004);
	assert_int_equal(t->m->edition, 2);
	expect_clean(&t->rep);
}

static void not_well_formed_is_an_error_with_its_line(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<organizations>\n</resources>\n"
	                          "</manifest>\n"),
	                 LMS_EINVAL);
	assert_null(t->m);
	assert_string_equal(t->err.code, "manifest_invalid");
	expect_problem(&t->rep, "xml_not_well_formed", LMS_SEV_ERROR, 3);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest>\n&undeclared;\n</manifest>"), LMS_EINVAL);
	expect_problem(&t->rep, "xml_not_well_formed", LMS_SEV_ERROR, 2);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(lms_manifest_parse("", 0, NULL, NULL, t->a, &t->rep, &t->m, &t->err),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "xml_not_well_formed", LMS_SEV_ERROR, 0);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<?xml version=\"1.0\"?>\n<html><body/></html>"), LMS_EINVAL);
	expect_problem(&t->rep, "not_a_manifest", LMS_SEV_ERROR, 2);
}

static void organizations_and_resources_are_required(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<resources/>\n</manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "organizations_missing", LMS_SEV_ERROR, 1);
	assert_non_null(t->m); /* a partial view */

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<organizations>\n"
	                          "<organization identifier=\"o\"><title>T</title>"
	                          "<item identifier=\"i\"><title>I</title></item>"
	                          "</organization></organizations></manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "resources_missing", LMS_SEV_ERROR, 1);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<organizations/>\n<resources/>"
	                          "</manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "organization_missing", LMS_SEV_ERROR, 2);
}

static void unresolved_identifierref_is_an_error(void **state)
{
	tstate *t = *state;
	const char *xml = "<manifest identifier=\"m\"" NS12 ">\n"
	                  "<organizations default=\"o\"><organization identifier=\"o\">"
	                  "<title>T</title>\n"
	                  "<item identifier=\"i1\" identifierref=\"r1\"><title>A</title></item>\n"
	                  "<item identifier=\"i2\" identifierref=\"nope\"><title>B</title></item>\n"
	                  "</organization></organizations>\n"
	                  "<resources><resource identifier=\"r1\" type=\"webcontent\" "
	                  "href=\"a.html\"/></resources></manifest>";

	assert_int_equal(parse(t, xml), LMS_EINVAL);
	assert_string_equal(t->err.code, "manifest_invalid");
	assert_int_equal(t->rep.errors, 1);
	expect_problem(&t->rep, "identifierref_unresolved", LMS_SEV_ERROR, 4);
	assert_non_null(t->m);
	assert_null(t->m->organizations[0].items[1].resource);
	assert_non_null(t->m->organizations[0].items[0].resource);
}

static void duplicate_identifiers_are_errors(void **state)
{
	tstate *t = *state;
	const char *xml = "<manifest identifier=\"m\">\n"
	                  "<organizations><organization identifier=\"o\"><title>T</title>\n"
	                  "<item identifier=\"x\" identifierref=\"r\"><title>A</title></item>\n"
	                  "<item identifier=\"o\" identifierref=\"r\"><title>B</title></item>\n"
	                  "</organization></organizations>\n"
	                  "<resources><resource identifier=\"r\" type=\"webcontent\" "
	                  "href=\"a.html\"/>\n"
	                  "<resource identifier=\"x\" type=\"webcontent\" href=\"b.html\"/>\n"
	                  "</resources></manifest>";

	assert_int_equal(parse(t, xml), LMS_EINVAL);
	assert_int_equal(count_problems(&t->rep, "identifier_duplicate"), 2);
	assert_int_equal(t->rep.errors, 2);
	expect_problem(&t->rep, "identifier_duplicate", LMS_SEV_ERROR, -1);
	{
		size_t i;
		int lines = 0;
		for (i = 0; i < t->rep.n; i++)
			if (strcmp(t->rep.items[i].code, "identifier_duplicate") == 0)
				lines += t->rep.items[i].line;
		assert_int_equal(lines, 4 + 7); /* item "o" (line 4), resource "x" (line 7) */
	}
}

static void dependency_cycle_and_unknown_dependency_are_errors(void **state)
{
	tstate *t = *state;
	const char *xml = "<manifest identifier=\"m\">\n"
	                  "<organizations><organization identifier=\"o\"><title>T</title>\n"
	                  "<item identifier=\"i\" identifierref=\"a\"><title>A</title></item>\n"
	                  "</organization></organizations>\n"
	                  "<resources>\n"
	                  "<resource identifier=\"a\" type=\"webcontent\" href=\"a.html\">"
	                  "<dependency identifierref=\"b\"/></resource>\n"
	                  "<resource identifier=\"b\" type=\"webcontent\">"
	                  "<dependency identifierref=\"c\"/></resource>\n"
	                  "<resource identifier=\"c\" type=\"webcontent\">"
	                  "<dependency identifierref=\"a\"/>"
	                  "<dependency identifierref=\"ghost\"/></resource>\n"
	                  "</resources></manifest>";

	assert_int_equal(parse(t, xml), LMS_EINVAL);
	expect_problem(&t->rep, "dependency_cycle", LMS_SEV_ERROR, 8);
	assert_int_equal(count_problems(&t->rep, "dependency_cycle"), 1);
	expect_problem(&t->rep, "dependency_unresolved", LMS_SEV_ERROR, 8);
	assert_int_equal(t->m->resources[0].n_dependencies, 1);
	assert_string_equal(t->m->resources[0].dependencies[0], "b");

	/* a shared dependency (diamond) is no cycle */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(
		parse(t, "<manifest identifier=\"m\">" META12 "<organizations><organization identifier=\"o\">"
		         "<title>T</title><item identifier=\"i\" identifierref=\"a\"><title>A</title>"
		         "</item></organization></organizations><resources>"
		         "<resource identifier=\"a\" type=\"webcontent\" href=\"a.html\">"
		         "<dependency identifierref=\"b\"/><dependency identifierref=\"c\"/>"
		         "</resource><resource identifier=\"b\" type=\"webcontent\">"
		         "<dependency identifierref=\"c\"/></resource>"
		         "<resource identifier=\"c\" type=\"webcontent\"/></resources></manifest>"),
		0);
	expect_clean(&t->rep);
}

static void unknown_default_falls_back_to_the_first_organization(void **state)
{
	tstate *t = *state;
	const char *xml = "<manifest identifier=\"m\">\n"
	                  "<organizations default=\"ghost\">\n"
	                  "<organization identifier=\"o1\"><title>First</title>"
	                  "<item identifier=\"i1\" identifierref=\"r\"><title>A</title></item>"
	                  "</organization>\n"
	                  "<organization identifier=\"o2\"><title>Second</title>"
	                  "<item identifier=\"i2\" identifierref=\"r\"><title>B</title></item>"
	                  "</organization>\n"
	                  "</organizations><resources><resource identifier=\"r\" "
	                  "type=\"webcontent\" href=\"a.html\"/></resources></manifest>";

	assert_int_equal(parse(t, xml), 0);
	expect_problem(&t->rep, "default_org_unknown", LMS_SEV_WARNING, 2);
	assert_int_equal(t->rep.errors, 0);
	assert_ptr_equal(t->m->default_org, &t->m->organizations[0]);
	assert_string_equal(t->m->title, "First");

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\"><organizations default=\"o2\">"
	                          "<organization identifier=\"o1\"><title>First</title>"
	                          "<item identifier=\"i1\" identifierref=\"r\"><title>A</title>"
	                          "</item></organization><organization identifier=\"o2\">"
	                          "<title>Second</title><item identifier=\"i2\" "
	                          "identifierref=\"r\"><title>B</title></item></organization>"
	                          "</organizations><resources><resource identifier=\"r\" "
	                          "type=\"webcontent\" href=\"a.html\"/></resources></manifest>"),
	                 0);
	assert_ptr_equal(t->m->default_org, &t->m->organizations[1]);
	assert_string_equal(t->m->title, "Second");
}

static void organization_without_identifier_or_title_is_an_error(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<organizations default=\"o\">\n"
	                          "<organization><title>T</title>\n"
	                          "<item identifier=\"i\" identifierref=\"r\"><title>I</title>"
	                          "</item></organization></organizations><resources>"
	                          "<resource identifier=\"r\" type=\"webcontent\" href=\"a.html\"/>"
	                          "</resources></manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "identifier_missing", LMS_SEV_ERROR, 3);
	expect_problem(&t->rep, "default_org_unknown", LMS_SEV_WARNING, 2);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<organizations>\n"
	                          "<organization identifier=\"o\">\n"
	                          "<item identifier=\"i\" identifierref=\"r\"><title>I</title>"
	                          "</item>\n<item identifier=\"j\" identifierref=\"r\"/>"
	                          "</organization></organizations><resources>"
	                          "<resource identifier=\"r\" type=\"webcontent\" href=\"a.html\"/>"
	                          "</resources></manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "title_missing", LMS_SEV_ERROR, 3);
	assert_int_equal(count_problems(&t->rep, "title_missing"), 2);
	assert_int_equal(t->rep.items[t->rep.n - 1].line, 5); /* item "j" */
}

static void leaf_item_on_a_resource_without_href_is_launch_missing(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, "<manifest identifier=\"m\">\n<organizations>"
	                          "<organization identifier=\"o\"><title>T</title>\n"
	                          "<item identifier=\"i\" identifierref=\"r\"><title>I</title>"
	                          "</item>\n"
	                          "<item identifier=\"c\"><title>Empty</title></item>\n"
	                          "</organization></organizations><resources>"
	                          "<resource identifier=\"r\" type=\"webcontent\" "
	                          "adlcp:scormtype=\"sco\" xmlns:adlcp=\"x\">"
	                          "<file href=\"index.html\"/></resource>"
	                          "</resources></manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "launch_missing", LMS_SEV_ERROR, 3);
	expect_problem(&t->rep, "item_no_resource", LMS_SEV_WARNING, 4);
	assert_null(t->m->resources[0].href);
}

static void xml_base_is_applied_at_every_level(void **state)
{
	tstate *t = *state;
	const char *xml =
		"<manifest identifier=\"m\" xml:base=\"course/\">\n"
		"<organizations><organization identifier=\"o\"><title>T</title>"
		"<item identifier=\"i\" identifierref=\"r\"><title>I</title></item>"
		"<item identifier=\"j\" identifierref=\"w\"><title>W</title></item>"
		"</organization></organizations>\n"
		"<resources xml:base=\"sco1\">\n"
		"<resource identifier=\"r\" type=\"webcontent\" xml:base=\"pages/\" "
		"href=\"a.html?x=1\"><file href=\"a.html\"/><file href=\"img/b.png\"/></resource>\n"
		"<resource identifier=\"w\" type=\"webcontent\" href=\"https://example.org/x\"/>\n"
		"<resource identifier=\"n\" type=\"webcontent\"><file href=\"c.css\"/></resource>\n"
		"</resources></manifest>";

	assert_int_equal(parse(t, xml), 0);
	assert_int_equal(t->rep.errors, 0);
	assert_string_equal(t->m->resources[0].href, "course/sco1/pages/a.html?x=1");
	assert_string_equal(t->m->resources[0].files[0], "course/sco1/pages/a.html");
	assert_string_equal(t->m->resources[0].files[1], "course/sco1/pages/img/b.png");
	assert_string_equal(t->m->resources[1].href, "https://example.org/x");
	assert_null(t->m->resources[2].href);
	assert_string_equal(t->m->resources[2].files[0], "course/sco1/c.css");
}

static void sub_manifest_resources_and_organizations_resolve(void **state)
{
	tstate *t = *state;
	const char *xml =
		"<manifest identifier=\"m\">" META12 "\n"
		"<organizations><organization identifier=\"o\"><title>T</title>\n"
		"<item identifier=\"i1\" identifierref=\"sr\"><title>Sub resource</title></item>\n"
		"<item identifier=\"i2\" identifierref=\"sub\"><title>Sub manifest</title></item>\n"
		"</organization></organizations>\n"
		"<resources/>\n"
		"<manifest identifier=\"sub\" xml:base=\"sub/\">\n"
		"<organizations default=\"so\"><organization identifier=\"so\"><title>S</title>"
		"<item identifier=\"si\" identifierref=\"sr2\"><title>Inner</title></item>"
		"</organization></organizations>\n"
		"<resources><resource identifier=\"sr\" type=\"webcontent\" href=\"x.html\"/>"
		"<resource identifier=\"sr2\" type=\"webcontent\" href=\"y.html\"/></resources>\n"
		"</manifest>\n"
		"</manifest>";
	const lms_mf_item *items;

	assert_int_equal(parse(t, xml), 0);
	expect_clean(&t->rep);
	assert_int_equal(t->m->n_organizations, 1);
	assert_int_equal(t->m->n_resources, 2);
	items = t->m->organizations[0].items;
	assert_non_null(items[0].resource);
	assert_string_equal(items[0].resource->href, "sub/x.html");
	assert_null(items[1].resource);
	assert_int_equal(items[1].n_children, 1);
	assert_string_equal(items[1].children[0].title, "Inner");
	assert_string_equal(items[1].children[0].resource->href, "sub/y.html");

	/* a sub-manifest item aggregating its own sub-manifest would make a cycle: refused */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(
		parse(t, "<manifest identifier=\"m\">" META12 "\n"
		         "<organizations><organization identifier=\"o\"><title>T</title>"
		         "<item identifier=\"i\" identifierref=\"sub\"><title>S</title></item>"
		         "</organization></organizations><resources/>\n"
		         "<manifest identifier=\"sub\"><organizations><organization identifier=\"so\">"
		         "<title>S</title>\n<item identifier=\"loop\" identifierref=\"sub\">"
		         "<title>L</title></item></organization></organizations><resources/>"
		         "</manifest></manifest>"),
		LMS_EINVAL);
	expect_problem(&t->rep, "identifierref_unresolved", LMS_SEV_ERROR, 4);
	assert_int_equal(t->rep.errors, 1);
	assert_int_equal(t->m->organizations[0].items[0].n_children, 1);
	assert_int_equal(t->m->organizations[0].items[0].children[0].n_children, 0);
}

static void lom_metadata_is_read_and_external_metadata_ignored(void **state)
{
	tstate *t = *state;

	assert_int_equal(
		parse(t, "<manifest identifier=\"m\" xmlns:imsmd=\"http://www.imsglobal.org/xsd/"
		         "imsmd_rootv1p2p1\"><metadata><schema>ADL SCORM</schema>"
		         "<schemaversion>1.2</schemaversion><imsmd:lom><imsmd:general>"
		         "<imsmd:title><imsmd:langstring xml:lang=\"vi\">C\xE1\xBA\xA3i c\xC3\xA1"
		         "ch h\xC3\xA0nh ch\xC3\xADnh</imsmd:langstring></imsmd:title>"
		         "<imsmd:language>vi</imsmd:language><imsmd:description><imsmd:langstring>"
		         "Gi\xE1\xBB\x9Bi thi\xE1\xBB\x87u</imsmd:langstring></imsmd:description>"
		         "</imsmd:general></imsmd:lom></metadata>" BODY_MIN "</manifest>"),
		0);
	expect_clean(&t->rep);
	assert_string_equal(t->m->title, "C\xE1\xBA\xA3i c\xC3\xA1" "ch h\xC3\xA0nh ch\xC3\xADnh");
	assert_string_equal(t->m->description, "Gi\xE1\xBB\x9Bi thi\xE1\xBB\x87u");
	assert_string_equal(t->m->language, "vi");

	/* LOM (IEEE 1484.12.3) as SCORM 2004 writes it */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\"><metadata><schemaversion>2004 3rd "
	                          "Edition</schemaversion><lom xmlns=\"http://ltsc.ieee.org/xsd/"
	                          "LOM\"><general><title><string language=\"en\">Golf</string>"
	                          "</title></general></lom></metadata>" BODY_MIN "</manifest>"),
	                 0);
	expect_clean(&t->rep);
	assert_string_equal(t->m->title, "Golf");
	assert_null(t->m->description);

	/* only a pointer to a metadata file: nothing recorded, nothing reported */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<manifest identifier=\"m\" xmlns:adlcp=\"http://www.adlnet.org/"
	                          "xsd/adlcp_rootv1p2\"><metadata><schemaversion>1.2</schemaversion>"
	                          "<adlcp:location>metadata.xml</adlcp:location></metadata>" BODY_MIN
	                          "</manifest>"),
	                 0);
	expect_clean(&t->rep);
	assert_string_equal(t->m->title, "T"); /* the default organisation's */
	assert_null(t->m->language);
}

/* ---- hostile XML ---- */

static void xxe_is_refused(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, "<?xml version=\"1.0\"?>\n<!DOCTYPE manifest [\n"
	                          "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n"
	                          "<manifest identifier=\"&xxe;\">" BODY_MIN "</manifest>"),
	                 LMS_EINVAL);
	assert_null(t->m);
	assert_string_equal(t->err.code, "manifest_invalid");
	expect_problem(&t->rep, "xml_entities", LMS_SEV_ERROR, 3);
	assert_int_equal(t->rep.errors, 1);

	/* a parameter entity fetching a remote DTD */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<!DOCTYPE manifest [\n<!ENTITY % remote SYSTEM "
	                          "\"http://127.0.0.1:1/evil.dtd\">\n%remote;\n]>\n"
	                          "<manifest/>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "xml_entities", LMS_SEV_ERROR, 2);
	assert_null(t->m);
}

static void billion_laughs_is_refused(void **state)
{
	tstate *t = *state;
	const char *xml =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n<manifest identifier=\"&lol9;\"><organizations/><resources/></manifest>\n";

	assert_int_equal(parse(t, xml), LMS_EINVAL);
	assert_null(t->m);
	expect_problem(&t->rep, "xml_entities", LMS_SEV_ERROR, 3);
	assert_int_equal(t->rep.n, 1);
}

static void external_dtd_is_refused(void **state)
{
	tstate *t = *state;

	assert_int_equal(parse(t, "<?xml version=\"1.0\"?>\n"
	                          "<!DOCTYPE manifest SYSTEM \"http://127.0.0.1:1/manifest.dtd\">\n"
	                          "<manifest identifier=\"m\">" BODY_MIN "</manifest>"),
	                 LMS_EINVAL);
	assert_null(t->m);
	expect_problem(&t->rep, "xml_external_dtd", LMS_SEV_ERROR, 2);

	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<!DOCTYPE manifest PUBLIC \"-//X//DTD X//EN\" \"x.dtd\">\n"
	                          "<manifest identifier=\"m\">" BODY_MIN "</manifest>"),
	                 LMS_EINVAL);
	expect_problem(&t->rep, "xml_external_dtd", LMS_SEV_ERROR, 1);

	/* an internal DOCTYPE without entities is harmless */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse(t, "<!DOCTYPE manifest [ <!ELEMENT manifest ANY> ]>\n"
	                          "<manifest identifier=\"m\">" BODY_MIN "</manifest>"),
	                 0);
	assert_int_equal(t->rep.errors, 0);
}

static char *repeat_xml(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p;

	assert_non_null(s);
	memcpy(s, head, hl);
	p = s + hl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void too_deep_is_refused(void **state)
{
	tstate *t = *state;
	size_t i;
	char *open = repeat_xml("<manifest identifier=\"m\"><organizations><organization "
	                        "identifier=\"o\"><title>T</title>\n",
	                        "<item identifier=\"x\">\n", 100, "");
	char *closing = repeat_xml("", "</item>", 100, "</organization></organizations></manifest>");
	size_t lo = strlen(open), lc = strlen(closing);
	char *xml = malloc(lo + lc + 1);

	assert_non_null(xml);
	memcpy(xml, open, lo);
	memcpy(xml + lo, closing, lc + 1);
	assert_int_equal(parse(t, xml), LMS_ETOOBIG);
	assert_null(t->m);
	assert_string_equal(t->err.code, "manifest_too_big");
	/* manifest, organizations, organization = 3; item number 62 is element 65, line 63 */
	expect_problem(&t->rep, "xml_too_deep", LMS_SEV_ERROR, 63);
	for (i = 0; i < t->rep.n; i++)
		assert_string_not_equal(t->rep.items[i].code, "xml_not_well_formed");
	free(open);
	free(closing);
	free(xml);
}

static void too_many_nodes_is_refused(void **state)
{
	tstate *t = *state;
	lms_manifest_limits lim;
	char *xml = repeat_xml("<manifest identifier=\"m\"><resources><resource identifier=\"r\">",
	                       "<file href=\"a\"/>", 200000, "</resource></resources></manifest>");

	/* default limit: 200,000 elements; this document has 200,003 */
	assert_int_equal(parse(t, xml), LMS_ETOOBIG);
	assert_null(t->m);
	expect_problem(&t->rep, "xml_too_many_nodes", LMS_SEV_ERROR, 1);
	free(xml);

	lms_report_init(&t->rep, t->a);
	lms_manifest_limits_default(&lim);
	lim.max_nodes = 7;
	assert_int_equal(parse_with(t, "<manifest identifier=\"m\">" BODY_MIN "</manifest>", &lim),
	                 LMS_ETOOBIG);
	expect_problem(&t->rep, "xml_too_many_nodes", LMS_SEV_ERROR, 1);
	lim.max_nodes = 8; /* exactly enough */
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse_with(t, "<manifest identifier=\"m\">" BODY_MIN "</manifest>", &lim),
	                 0);
}

static void too_many_bytes_is_refused(void **state)
{
	tstate *t = *state;
	lms_manifest_limits lim;
	const char *xml = "<manifest identifier=\"m\">" BODY_MIN "</manifest>";

	lms_manifest_limits_default(&lim);
	assert_int_equal(lim.max_bytes, 8 * 1024 * 1024);
	assert_int_equal(lim.max_nodes, 200000);
	assert_int_equal(lim.max_depth, 64);
	lim.max_bytes = strlen(xml) - 1;
	assert_int_equal(parse_with(t, xml, &lim), LMS_ETOOBIG);
	expect_problem(&t->rep, "manifest_too_big", LMS_SEV_ERROR, 0);
	lim.max_bytes = strlen(xml);
	lms_report_init(&t->rep, t->a);
	assert_int_equal(parse_with(t, xml, &lim), 0);
}

static void overlong_value_is_an_error(void **state)
{
	tstate *t = *state;
	char *xml = repeat_xml("<manifest identifier=\"m\">\n<organizations><organization "
	                       "identifier=\"o\"><title>",
	                       "x", 5000, "</title><item identifier=\"i\" identifierref=\"r\">"
	                                  "<title>I</title></item></organization></organizations>"
	                                  "<resources><resource identifier=\"r\" "
	                                  "type=\"webcontent\" href=\"a.html\"/></resources>"
	                                  "</manifest>");

	assert_int_equal(parse(t, xml), LMS_EINVAL);
	expect_problem(&t->rep, "value_too_long", LMS_SEV_ERROR, 2);
	free(xml);
}

/* ---- files ---- */

typedef struct file_list {
	const char **names;
	size_t n;
} file_list;

static bool list_exists(void *ud, const char *path, bool *case_differs)
{
	const file_list *l = ud;
	size_t i;

	*case_differs = false;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->names[i], path) == 0)
			return true;
	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->names[i], path) == 0)
			*case_differs = true;
	return false;
}

static void check_files_reports_missing_and_case(void **state)
{
	tstate *t = *state;
	const char *names[] = { "sco/index.html", "Sco/Page Two.html", "shared/x.js" };
	file_list fl = { names, 3 };
	const char *xml =
		"<manifest identifier=\"m\">" META12 "\n"
		"<organizations><organization identifier=\"o\"><title>T</title>\n"
		"<item identifier=\"i1\" identifierref=\"r1\" parameters=\"?a=1\"><title>1</title></item>\n"
		"<item identifier=\"i1b\" identifierref=\"r1\"><title>1 again</title></item>\n"
		"<item identifier=\"i2\" identifierref=\"r2\"><title>2</title></item>\n"
		"<item identifier=\"i3\" identifierref=\"r3\"><title>3</title></item>\n"
		"<item identifier=\"i4\" identifierref=\"r4\"><title>4</title></item>\n"
		"<item identifier=\"i5\" identifierref=\"r5\"><title>5</title></item>\n"
		"<item identifier=\"i6\" identifierref=\"r6\"><title>6</title></item>\n"
		"</organization></organizations>\n"
		"<resources>\n"
		"<resource identifier=\"r1\" type=\"webcontent\" href=\"./sco/index.html?x=1#top\">"
		"<file href=\"sco/index.html\"/><file href=\"shared/X.js\"/></resource>\n" /* 12 */
		"<resource identifier=\"r2\" type=\"webcontent\" href=\"sco/page%20two.html\"/>\n"
		"<resource identifier=\"r3\" type=\"webcontent\" href=\"sco/gone.html\">"
		"<file href=\"sco/gone.html\"/></resource>\n" /* 14 */
		"<resource identifier=\"r4\" type=\"webcontent\" href=\"http://example.org/\"/>\n"
		"<resource identifier=\"r5\" type=\"webcontent\" href=\"sco/../../etc/passwd\"/>\n"
		"<resource identifier=\"r6\" type=\"webcontent\" href=\"sco/%2e%2e/sco/index.html\"/>\n"
		"<resource identifier=\"unused\" type=\"webcontent\" href=\"nowhere.html\"/>\n"
		"</resources></manifest>";

	assert_int_equal(parse(t, xml), 0);
	expect_clean(&t->rep);
	lms_manifest_check_files(t->m, "imsmanifest.xml", list_exists, &fl, &t->rep);
	if (t->rep.n != 5)
		dump_report(&t->rep);
	assert_int_equal(t->rep.n, 5);
	expect_problem(&t->rep, "file_case", LMS_SEV_WARNING, 12);
	expect_problem(&t->rep, "launch_file_case", LMS_SEV_WARNING, 13);
	expect_problem(&t->rep, "launch_file_missing", LMS_SEV_ERROR, 14);
	assert_non_null(strstr(find_problem(&t->rep, "launch_file_missing")->message,
	                       "sco/gone.html"));
	expect_problem(&t->rep, "file_missing", LMS_SEV_WARNING, 14);
	expect_problem(&t->rep, "launch_outside_package", LMS_SEV_ERROR, 16);
	assert_int_equal(t->rep.errors, 2);
}

/* ---- the real packages ---- */

static const char *samples_dir(void)
{
	static char dir[4096];
	static int done;
	const char *env = getenv("PARLEARN_SCORM_SAMPLES");
	struct stat st;

	if (done)
		return dir[0] ? dir : NULL;
	done = 1;
	if (env && *env && stat(env, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	{
		/* __FILE__ = <source>/tests/unit/test_manifest.c -> <source>/../shared/scorm-samples */
		const char *f = __FILE__;
		const char *cut = strstr(f, "tests/unit/test_manifest.c");
		if (cut && f[0] == '/') {
			snprintf(dir, sizeof(dir), "%.*s../shared/scorm-samples", (int)(cut - f), f);
			if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
				return dir;
		}
	}
	dir[0] = '\0';
	return NULL;
}

typedef struct package {
	char *manifest;
	size_t manifest_len;
	char **names;
	size_t n;
} package;

static bool load_package(const char *name, package *p)
{
	const char *dir = samples_dir();
	char path[4200];
	zip_t *z;
	zip_int64_t n, i;
	int zerr = 0;

	memset(p, 0, sizeof(*p));
	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s.zip", dir, name);
	z = zip_open(path, ZIP_RDONLY, &zerr);
	assert_non_null(z);
	n = zip_get_num_entries(z, 0);
	assert_true(n > 0 && n < 10000);
	p->names = calloc((size_t)n, sizeof(*p->names));
	assert_non_null(p->names);
	for (i = 0; i < n; i++) {
		const char *en = zip_get_name(z, (zip_uint64_t)i, 0);
		zip_stat_t st;
		assert_non_null(en);
		p->names[p->n++] = strdup(en);
		if (strcmp(en, "imsmanifest.xml") == 0) {
			zip_file_t *zf;
			assert_int_equal(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
			assert_true(st.size < 8 * 1024 * 1024);
			p->manifest = malloc(st.size + 1);
			assert_non_null(p->manifest);
			zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
			assert_non_null(zf);
			assert_int_equal(zip_fread(zf, p->manifest, st.size), (zip_int64_t)st.size);
			zip_fclose(zf);
			p->manifest[st.size] = '\0';
			p->manifest_len = st.size;
		}
	}
	zip_discard(z);
	assert_non_null(p->manifest);
	return true;
}

static void free_package(package *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	free(p->manifest);
}

static bool package_exists(void *ud, const char *path, bool *case_differs)
{
	const package *p = ud;
	size_t i;

	*case_differs = false;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->names[i], path) == 0)
			return true;
	for (i = 0; i < p->n; i++)
		if (strcasecmp(p->names[i], path) == 0)
			*case_differs = true;
	return false;
}

static size_t count_items(const lms_mf_item *items, size_t n)
{
	size_t i, k = n;

	for (i = 0; i < n; i++)
		k += count_items(items[i].children, items[i].n_children);
	return k;
}

/* The first item in document order that launches something (how an LMS starts a course). */
static const lms_mf_item *first_launch(const lms_mf_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const lms_mf_item *f;
		if (items[i].resource && items[i].resource->href)
			return &items[i];
		if ((f = first_launch(items[i].children, items[i].n_children)))
			return f;
	}
	return NULL;
}

typedef struct sample {
	const char *name;
	lms_scorm_version version;
	int edition;
	const char *title;
	size_t n_items;
	const char *first_id, *first_href;
	size_t n_resources;
} sample;

static const sample complete_samples[] = {
	{ "ContentPackagingSingleSCO_SCORM12", LMS_SCORM_12, 0, "Golf Explained - CP Single SCO", 1,
	  "item_1", "shared/launchpage.html", 1 },
	{ "ContentPackagingWithMetadata_SCORM12", LMS_SCORM_12, 0, "SCORM 1.2 With Metadata", 1,
	  "i1", "index.html", 1 },
	{ "LaunchUrlFromNestedItem_SCORM12", LMS_SCORM_12, 0, "Launch URL From Nested Item Test", 7,
	  "topic_1_1_1_1", "content/topic1.html", 2 },
	{ "MultipleItemsWithIdentifierRef_SCORM12", LMS_SCORM_12, 0,
	  "Multiple Items With IdentifierRef Test", 3, "item_1", "content/item1.html", 3 },
	{ "ContentPackagingSingleSCO_SCORM20043rdEdition", LMS_SCORM_2004, 3,
	  "Golf Explained - CP Single SCO", 1, "item_1", "shared/launchpage.html", 1 },
	{ "ContentPackagingOneFilePerSCO_SCORM20043rdEdition", LMS_SCORM_2004, 3,
	  "Golf Explained - CP One File Per SCO", 22, "playing_playing_item", "Playing/Playing.html",
	  19 },
	{ "RuntimeBasicCalls_SCORM20043rdEdition", LMS_SCORM_2004, 3,
	  "Golf Explained - Run-time Basic Calls", 1, "item_1", "shared/launchpage.html", 1 },
	{ "RuntimeMinimumCalls_SCORM20043rdEdition", LMS_SCORM_2004, 3,
	  "Golf Explained - Minimum Run-time Calls", 22, "playing_playing_item",
	  "Playing/Playing.html", 19 },
	{ "SequencingPostTestRollup_SCORM20043rdEdition", LMS_SCORM_2004, 3,
	  "Golf Explained - Sequencing Post Test Rollup", 5, "playing_item",
	  "shared/launchpage.html?content=playing", 6 },
};

static void complete_samples_parse_with_their_item_trees(void **state)
{
	tstate *t = *state;
	size_t i;

	if (!samples_dir()) {
		print_message("SKIPPED: ../shared/scorm-samples not found (set PARLEARN_SCORM_SAMPLES)\n");
		skip();
	}
	for (i = 0; i < sizeof(complete_samples) / sizeof(complete_samples[0]); i++) {
		const sample *s = &complete_samples[i];
		const lms_mf_organization *o;
		const lms_mf_item *f;
		package p;
		int rc;

		lms_report_init(&t->rep, t->a);
		assert_true(load_package(s->name, &p));
		rc = lms_manifest_parse(p.manifest, p.manifest_len, "imsmanifest.xml", NULL, t->a,
		                        &t->rep, &t->m, &t->err);
		lms_manifest_check_files(t->m, "imsmanifest.xml", package_exists, &p, &t->rep);
		print_message("%s: %zu items, %zu errors, %zu warnings\n", s->name,
		              count_items(t->m->default_org->items, t->m->default_org->n_items),
		              t->rep.errors, t->rep.warnings);
		dump_report(&t->rep);
		assert_int_equal(rc, 0);
		assert_int_equal(t->rep.errors, 0);
		assert_int_equal(t->m->version, s->version);
		assert_int_equal(t->m->edition, s->edition);
		o = t->m->default_org;
		assert_non_null(o);
		assert_string_equal(t->m->title, s->title);
		assert_int_equal(count_items(o->items, o->n_items), s->n_items);
		assert_int_equal(t->m->n_resources, s->n_resources);
		f = first_launch(o->items, o->n_items);
		assert_non_null(f);
		assert_string_equal(f->identifier, s->first_id);
		assert_string_equal(f->resource->href, s->first_href);
		free_package(&p);
	}
}

static void complete_samples_details(void **state)
{
	tstate *t = *state;
	package p;
	const lms_mf_item *it;

	if (!samples_dir())
		skip();
	/* sequencing kept for the player, with its IDRef to the collection */
	assert_true(load_package("SequencingPostTestRollup_SCORM20043rdEdition", &p));
	assert_int_equal(lms_manifest_parse(p.manifest, p.manifest_len, NULL, NULL, t->a, &t->rep,
	                                    &t->m, &t->err),
	                 0);
	it = &t->m->default_org->items[0];
	assert_non_null(strstr(it->sequencing_xml, "IDRef=\"content_seq_rules\""));
	assert_non_null(strstr(t->m->sequencing_collection_xml, "ID=\"content_seq_rules\""));
	assert_non_null(strstr(t->m->default_org->sequencing_xml, "controlMode"));
	assert_string_equal(t->m->default_org->items[4].title, "Quiz");
	assert_string_equal(t->m->resources[5].identifier, "common_files");
	assert_null(t->m->resources[5].href);
	assert_string_equal(t->m->resources[0].dependencies[0], "common_files");
	free_package(&p);

	/* parameters on quiz items */
	assert_true(load_package("ContentPackagingOneFilePerSCO_SCORM20043rdEdition", &p));
	assert_int_equal(lms_manifest_parse(p.manifest, p.manifest_len, NULL, NULL, t->a, &t->rep,
	                                    &t->m, &t->err),
	                 0);
	assert_int_equal(t->m->default_org->n_items, 4);
	it = &t->m->default_org->items[0];
	assert_null(it->resource);
	assert_int_equal(it->n_children, 6);
	assert_string_equal(it->children[5].parameters, "?questions=Playing");
	assert_string_equal(it->children[5].resource->href, "shared/assessmenttemplate.html");
	assert_string_equal(it->children[5].resource->scorm_type, "asset");
	free_package(&p);

	/* SCORM 1.2 datafromlms and an explicit isvisible */
	assert_true(load_package("ContentPackagingWithMetadata_SCORM12", &p));
	assert_int_equal(lms_manifest_parse(p.manifest, p.manifest_len, NULL, NULL, t->a, &t->rep,
	                                    &t->m, &t->err),
	                 0);
	it = &t->m->default_org->items[0];
	assert_string_equal(it->datafromlms, "RANDOM");
	assert_true(it->isvisible);
	assert_null(t->m->description); /* its LOM is in metadata.xml, not read */
	assert_int_equal(t->m->resources[0].n_files, 1);
	free_package(&p);

	/* many files listed, all present */
	assert_true(load_package("ContentPackagingSingleSCO_SCORM12", &p));
	assert_int_equal(lms_manifest_parse(p.manifest, p.manifest_len, NULL, NULL, t->a, &t->rep,
	                                    &t->m, &t->err),
	                 0);
	assert_int_equal(t->m->resources[0].n_files, 39);
	assert_string_equal(t->m->resources[0].files[38], "shared/style.css");
	free_package(&p);
}

typedef struct fixture {
	const char *name;
	int rc;                       /* of lms_manifest_parse */
	const char *parse_codes[3];   /* problems expected from parsing (code:line) */
	const char *check_error;      /* the error lms_manifest_check_files adds, or NULL */
	int check_line;
	size_t n_items;
} fixture;

static const fixture fixtures[] = {
	{ "MinimalValid_SCORM20043rdEdition", 0, { NULL }, "launch_file_missing", 19, 1 },
	{ "AdlAttributes_SCORM20043rdEdition", 0, { NULL }, "launch_file_missing", 36, 1 },
	{ "ComplexNestedOrganization_SCORM12", 0, { NULL }, "launch_file_missing", 70, 11 },
	{ "ContentPackagingNoSchemaVersion_SCORM20042ndEdition", 0, { "schemaversion_missing:10" },
	  "launch_file_missing", 20, 1 },
	{ "InvalidFileReferences_SCORM12", 0, { NULL }, "launch_file_missing", 26, 1 },
	{ "InvalidMissingOrgIdentifier_SCORM20043rdEdition", LMS_EINVAL,
	  { "identifier_missing:12", "default_org_unknown:10" }, NULL, 0, 1 },
	{ "MissingLaunchUrl_SCORM12", LMS_EINVAL, { "launch_missing:24" }, NULL, 0, 1 },
	{ "MissingRequiredFields_SCORM12", LMS_EINVAL, { "title_missing:18" }, NULL, 0, 1 },
};

static void fixtures_get_the_report_they_deserve(void **state)
{
	tstate *t = *state;
	size_t i, j;

	if (!samples_dir()) {
		print_message("SKIPPED: ../shared/scorm-samples not found (set PARLEARN_SCORM_SAMPLES)\n");
		skip();
	}
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const fixture *f = &fixtures[i];
		size_t expected = 0, parse_errors;
		package p;
		int rc;

		lms_report_init(&t->rep, t->a);
		assert_true(load_package(f->name, &p));
		rc = lms_manifest_parse(p.manifest, p.manifest_len, "imsmanifest.xml", NULL, t->a,
		                        &t->rep, &t->m, &t->err);
		parse_errors = t->rep.errors;
		if (t->m)
			lms_manifest_check_files(t->m, "imsmanifest.xml", package_exists, &p, &t->rep);
		print_message("%s: rc %d, %zu errors, %zu warnings\n", f->name, rc, t->rep.errors,
		              t->rep.warnings);
		dump_report(&t->rep);
		assert_int_equal(rc, f->rc);
		assert_non_null(t->m);
		assert_int_equal(count_items(t->m->default_org->items, t->m->default_org->n_items),
		                 f->n_items);
		for (j = 0; j < 3 && f->parse_codes[j]; j++) {
			char code[64];
			const char *colon = strchr(f->parse_codes[j], ':');
			const lms_problem *pr;
			snprintf(code, sizeof(code), "%.*s", (int)(colon - f->parse_codes[j]),
			         f->parse_codes[j]);
			pr = find_problem(&t->rep, code);
			assert_non_null(pr);
			assert_int_equal(pr->line, (int)strtol(colon + 1, NULL, 10));
			if (pr->severity == LMS_SEV_ERROR)
				expected++;
		}
		assert_int_equal(parse_errors, expected);
		if (f->check_error) {
			expect_problem(&t->rep, f->check_error, LMS_SEV_ERROR, f->check_line);
			assert_true(t->rep.errors > parse_errors);
		}
		free_package(&p);
	}
}

static void invalid_file_references_warns_for_each_listed_file(void **state)
{
	tstate *t = *state;
	package p;

	if (!samples_dir())
		skip();
	assert_true(load_package("InvalidFileReferences_SCORM12", &p));
	assert_int_equal(lms_manifest_parse(p.manifest, p.manifest_len, NULL, NULL, t->a, &t->rep,
	                                    &t->m, &t->err),
	                 0);
	lms_manifest_check_files(t->m, "imsmanifest.xml", package_exists, &p, &t->rep);
	assert_int_equal(count_problems(&t->rep, "launch_file_missing"), 1);
	assert_int_equal(count_problems(&t->rep, "file_missing"), 4);
	assert_int_equal(t->m->resources[0].n_dependencies, 1);
	free_package(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(scorm12_item_tree_and_data, setup, teardown),
		cmocka_unit_test_setup_teardown(scorm2004_sequencing_presentation_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(names_are_compared_case_insensitively, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_schemaversion_is_inferred_with_a_warning, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(not_well_formed_is_an_error_with_its_line, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(organizations_and_resources_are_required, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(unresolved_identifierref_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_identifiers_are_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(dependency_cycle_and_unknown_dependency_are_errors, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(unknown_default_falls_back_to_the_first_organization,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(organization_without_identifier_or_title_is_an_error,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(leaf_item_on_a_resource_without_href_is_launch_missing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(xml_base_is_applied_at_every_level, setup, teardown),
		cmocka_unit_test_setup_teardown(sub_manifest_resources_and_organizations_resolve, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(lom_metadata_is_read_and_external_metadata_ignored,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(xxe_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(billion_laughs_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(external_dtd_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(too_deep_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_nodes_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_bytes_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(overlong_value_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(check_files_reports_missing_and_case, setup, teardown),
		cmocka_unit_test_setup_teardown(complete_samples_parse_with_their_item_trees, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(complete_samples_details, setup, teardown),
		cmocka_unit_test_setup_teardown(fixtures_get_the_report_they_deserve, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_file_references_warns_for_each_listed_file, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
