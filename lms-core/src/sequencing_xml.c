/* sequencing_xml.c — the libxml2 adapter that reads an activity's <imsss:sequencing> (and
 * the manifest's <imsss:sequencingCollection> for IDRef) into an sq_def.
 *
 * Invariants:
 * - The only sequencing file that includes libxml2; every document is freed here (the
 *   collection's in sq_xml_close). Strings kept are copied into the arena.
 * - Untrusted XML goes through xml_safe_parse with no DOCTYPE allowed at all, no network,
 *   no entity substitution; size (LMS_SEQ_MAX_XML), element count and depth are capped.
 * - Names are compared by local name, ignoring prefix and letter case, like manifest.c.
 * - IDRef (CAM 3.4.1.1): each child element (controlMode, sequencingRules, ...) is taken
 *   from the item's own element, else from the referenced collection entry.
 *
 * Lenient: unknown elements, attributes and vocabulary are ignored with a warning; it
 * does not read randomizationControls, selectionControls, auxiliaryResources,
 * constrainedChoiceConsiderations, adlseq:objectives nor time limits (docs/sequencing.md).
 */
#include "sequencing_int.h"

#include "xml_safe.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SQ_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)
#define SQ_MAX_NODES 4000
#define SQ_MAX_DEPTH 32
#define SQ_MAX_ID 4000 /* bytes of an objective id */

struct sq_xml {
	lms_arena *a;
	lms_report *rep;
	sq_globals *g;
	xmlDocPtr coll;       /* the sequencingCollection, or NULL */
	const char *where;    /* the activity being read, for messages */
};

static bool is(xmlNodePtr n, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       strcasecmp((const char *)n->name, local) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *local)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is(c, local))
			return c;
	return NULL;
}

/* An attribute by local name (any prefix, any case), copied into the arena, blanks
 * trimmed; NULL when absent. */
static const char *attr(sq_xml *x, xmlNodePtr n, const char *local)
{
	for (xmlAttrPtr at = n->properties; at; at = at->next) {
		if (!at->name || strcasecmp((const char *)at->name, local) != 0)
			continue;
		xmlChar *v = xmlNodeListGetString(n->doc, at->children, 1);
		const char *b = v ? (const char *)v : "";
		size_t len;
		char *s;

		while (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r')
			b++;
		len = strlen(b);
		while (len > 0 && (b[len - 1] == ' ' || b[len - 1] == '\t' || b[len - 1] == '\n' ||
		                   b[len - 1] == '\r'))
			len--;
		if (len > SQ_MAX_ID)
			len = SQ_MAX_ID;
		s = lms_arena_strndup(x->a, b, len);
		if (v)
			xmlFree(v);
		return s;
	}
	return NULL;
}

static void warn(sq_xml *x, xmlNodePtr n, const char *what, const char *value)
{
	lms_report_add(x->rep, LMS_SEV_WARNING, "sequencing_ignored", "imsmanifest.xml",
	               n ? (int)xmlGetLineNo(n) : 0, "Sequencing of %s: %s \"%s\" is ignored",
	               x->where, what, value ? value : "");
}

static bool attr_bool(sq_xml *x, xmlNodePtr n, const char *local, bool def)
{
	const char *v = attr(x, n, local);

	if (!v)
		return def;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return true;
	if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
		return false;
	warn(x, n, local, v);
	return def;
}

static bool parse_real(const char *s, double lo, double hi, double *out)
{
	char *end;
	double d;

	if (!s || !*s)
		return false;
	d = strtod(s, &end);
	if (*end || !isfinite(d) || d < lo || d > hi)
		return false;
	*out = d;
	return true;
}

static double attr_real(sq_xml *x, xmlNodePtr n, const char *local, double lo, double hi,
                        double def)
{
	const char *v = attr(x, n, local);
	double d;

	if (!v)
		return def;
	if (parse_real(v, lo, hi, &d))
		return d;
	warn(x, n, local, v);
	return def;
}

static int attr_int(sq_xml *x, xmlNodePtr n, const char *local, int def)
{
	const char *v = attr(x, n, local);
	double d;

	if (!v)
		return def;
	if (parse_real(v, 0, 1000000, &d) && d == floor(d))
		return (int)d;
	warn(x, n, local, v);
	return def;
}

static size_t count_children(xmlNodePtr n, const char *local)
{
	size_t k = 0;

	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is(c, local))
			k++;
	return k;
}

/* ---- vocabularies ---- */

typedef struct word {
	const char *s;
	int v;
} word;

static const word conditions[] = {
	{"satisfied", SQ_C_SATISFIED},
	{"objectiveStatusKnown", SQ_C_STATUS_KNOWN},
	{"objectiveMeasureKnown", SQ_C_MEASURE_KNOWN},
	{"objectiveMeasureGreaterThan", SQ_C_MEASURE_GT},
	{"objectiveMeasureLessThan", SQ_C_MEASURE_LT},
	{"completed", SQ_C_COMPLETED},
	{"activityProgressKnown", SQ_C_PROGRESS_KNOWN},
	{"attempted", SQ_C_ATTEMPTED},
	{"attemptLimitExceeded", SQ_C_LIMIT_EXCEEDED},
	{"always", SQ_C_ALWAYS},
	{"never", SQ_C_NEVER},
	/* not implemented (no clock in sequencing): evaluate to false */
	{"timeLimitExceeded", SQ_C_NEVER},
	{"outsideAvailableTimeRange", SQ_C_NEVER},
	{NULL, 0}};

static const word actions[] = {
	{"skip", SQ_A_SKIP},
	{"disabled", SQ_A_DISABLED},
	{"hiddenFromChoice", SQ_A_HIDDEN},
	{"stopForwardTraversal", SQ_A_STOP_FORWARD},
	{"exit", SQ_A_EXIT},
	{"exitParent", SQ_A_EXIT_PARENT},
	{"exitAll", SQ_A_EXIT_ALL},
	{"retry", SQ_A_RETRY},
	{"retryAll", SQ_A_RETRY_ALL},
	{"continue", SQ_A_CONTINUE},
	{"previous", SQ_A_PREVIOUS},
	{"satisfied", SQ_A_SATISFIED},
	{"notSatisfied", SQ_A_NOT_SATISFIED},
	{"completed", SQ_A_COMPLETED},
	{"incomplete", SQ_A_INCOMPLETE},
	{NULL, 0}};

static const word sets[] = {
	{"all", SQ_SET_ALL}, {"any", SQ_SET_ANY}, {"none", SQ_SET_NONE},
	{"atLeastCount", SQ_SET_COUNT}, {"atLeastPercent", SQ_SET_PERCENT}, {NULL, 0}};

static const word requireds[] = {
	{"always", SQ_REQ_ALWAYS}, {"ifAttempted", SQ_REQ_IF_ATTEMPTED},
	{"ifNotSkipped", SQ_REQ_IF_NOT_SKIPPED}, {"ifNotSuspended", SQ_REQ_IF_NOT_SUSPENDED},
	{NULL, 0}};

/* The value of attribute local in vocabulary w; def when absent; -1 when unknown. */
static int attr_word(sq_xml *x, xmlNodePtr n, const char *local, const word *w, int def)
{
	const char *v = attr(x, n, local);

	if (!v)
		return def;
	for (; w->s; w++)
		if (strcasecmp(w->s, v) == 0)
			return w->v;
	warn(x, n, local, v);
	return -1;
}

/* ---- pieces ---- */

static int objective_index(const sq_def *d, const char *id)
{
	if (!id)
		return 0;
	for (size_t i = 0; i < d->n_obj; i++)
		if (d->obj[i].id && strcmp(d->obj[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int read_objective(sq_xml *x, xmlNodePtr n, sq_objective *o)
{
	xmlNodePtr m = child(n, "minNormalizedMeasure");
	size_t k = 0;

	o->id = attr(x, n, "objectiveID");
	o->by_measure = attr_bool(x, n, "satisfiedByMeasure", false);
	o->min_measure = 1.0;
	if (m) {
		xmlChar *v = xmlNodeGetContent(m);
		double d;
		char buf[64];
		size_t len = v ? strlen((const char *)v) : 0;

		if (len < sizeof(buf)) {
			memcpy(buf, v ? (const char *)v : "", len + 1);
			/* trim */
			char *b = buf;
			while (*b == ' ' || *b == '\n' || *b == '\t' || *b == '\r')
				b++;
			size_t bl = strlen(b);
			while (bl > 0 && (b[bl - 1] == ' ' || b[bl - 1] == '\n' || b[bl - 1] == '\t' ||
			                  b[bl - 1] == '\r'))
				b[--bl] = '\0';
			if (parse_real(b, -1, 1, &d))
				o->min_measure = d;
			else
				warn(x, m, "minNormalizedMeasure", b);
		} else {
			warn(x, m, "minNormalizedMeasure", "(too long)");
		}
		if (v)
			xmlFree(v);
	}
	o->n_maps = count_children(n, "mapInfo");
	o->maps = o->n_maps ? lms_arena_alloc(x->a, o->n_maps * sizeof(*o->maps)) : NULL;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		const char *target;
		int gi;

		if (!is(c, "mapInfo"))
			continue;
		target = attr(x, c, "targetObjectiveID");
		if (!target || !*target) {
			warn(x, c, "mapInfo without targetObjectiveID", "");
			continue;
		}
		if ((gi = sq_global_index(x->g, x->a, target)) < 0)
			return LMS_ETOOBIG;
		o->maps[k].global = gi;
		o->maps[k].read_sat = attr_bool(x, c, "readSatisfiedStatus", true);
		o->maps[k].read_measure = attr_bool(x, c, "readNormalizedMeasure", true);
		o->maps[k].write_sat = attr_bool(x, c, "writeSatisfiedStatus", false);
		o->maps[k].write_measure = attr_bool(x, c, "writeNormalizedMeasure", false);
		k++;
	}
	o->n_maps = k;
	return 0;
}

static int read_objectives(sq_xml *x, xmlNodePtr n, sq_def *d)
{
	xmlNodePtr prim = n ? child(n, "primaryObjective") : NULL;
	size_t k = 1;
	int rc;

	d->n_obj = 1 + count_children(n, "objective");
	d->obj = lms_arena_alloc(x->a, d->n_obj * sizeof(*d->obj));
	d->obj[0].min_measure = 1.0;
	if (prim && (rc = read_objective(x, prim, &d->obj[0])) < 0)
		return rc;
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
		if (!is(c, "objective"))
			continue;
		if ((rc = read_objective(x, c, &d->obj[k])) < 0)
			return rc;
		if (!d->obj[k].id) {
			warn(x, c, "objective without objectiveID", "");
			continue;
		}
		k++;
	}
	d->n_obj = k;
	return 0;
}

/* Reads the rules named elem ("preConditionRule" ...) of a sequencingRules element. */
static void read_rules(sq_xml *x, xmlNodePtr rules, const char *elem, const sq_def *d,
                       sq_rule **out, size_t *n_out)
{
	size_t n = count_children(rules, elem), k = 0;
	sq_rule *r = n ? lms_arena_alloc(x->a, n * sizeof(*r)) : NULL;

	for (xmlNodePtr c = rules ? rules->children : NULL; c; c = c->next) {
		xmlNodePtr conds, act;
		int a, comb;
		size_t j = 0;

		if (!is(c, elem))
			continue;
		conds = child(c, "ruleConditions");
		act = child(c, "ruleAction");
		a = act ? attr_word(x, act, "action", actions, -1) : -1;
		if (a <= 0) {
			warn(x, c, "rule without a known action", "");
			continue;
		}
		r[k].action = (sq_action)a;
		comb = conds ? attr_word(x, conds, "conditionCombination",
		                         (const word[]){{"all", 0}, {"any", 1}, {NULL, 0}}, 0)
		             : 0;
		r[k].any = comb == 1;
		r[k].n = count_children(conds, "ruleCondition");
		r[k].c = r[k].n ? lms_arena_alloc(x->a, r[k].n * sizeof(*r[k].c)) : NULL;
		for (xmlNodePtr rc = conds ? conds->children : NULL; rc; rc = rc->next) {
			const char *ref;
			int ci, oi;

			if (!is(rc, "ruleCondition"))
				continue;
			ci = attr_word(x, rc, "condition", conditions, -1);
			r[k].c[j].cond = ci < 0 ? SQ_C_NEVER : (sq_cond)ci;
			r[k].c[j].negate = attr_word(x, rc, "operator",
			                             (const word[]){{"noOp", 0}, {"not", 1}, {NULL, 0}},
			                             0) == 1;
			r[k].c[j].threshold = attr_real(x, rc, "measureThreshold", -1, 1, 0.0);
			ref = attr(x, rc, "referencedObjective");
			oi = ref && *ref ? objective_index(d, ref) : 0;
			if (oi < 0) {
				warn(x, rc, "referencedObjective (not an objective; the primary is used)",
				     ref);
				oi = 0;
			}
			r[k].c[j].obj = oi;
			j++;
		}
		r[k].n = j;
		if (j == 0) {
			warn(x, c, "rule without conditions", "");
			continue;
		}
		k++;
	}
	*out = r;
	*n_out = k;
}

static void read_rollup(sq_xml *x, xmlNodePtr n, sq_def *d)
{
	size_t k = 0;

	d->rollup_satisfied = attr_bool(x, n, "rollupObjectiveSatisfied", true);
	d->rollup_completion = attr_bool(x, n, "rollupProgressCompletion", true);
	d->weight = attr_real(x, n, "objectiveMeasureWeight", 0, 1, 1.0);
	d->n_rollup = count_children(n, "rollupRule");
	d->rollup = d->n_rollup ? lms_arena_alloc(x->a, d->n_rollup * sizeof(*d->rollup)) : NULL;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		sq_rule *r = &d->rollup[k];
		xmlNodePtr conds, act;
		int a, set;
		size_t j = 0;

		if (!is(c, "rollupRule"))
			continue;
		conds = child(c, "rollupConditions");
		act = child(c, "rollupAction");
		a = act ? attr_word(x, act, "action", actions, -1) : -1;
		if (a != SQ_A_SATISFIED && a != SQ_A_NOT_SATISFIED && a != SQ_A_COMPLETED &&
		    a != SQ_A_INCOMPLETE) {
			warn(x, c, "rollupRule without a rollup action", "");
			continue;
		}
		r->action = (sq_action)a;
		set = attr_word(x, c, "childActivitySet", sets, SQ_SET_ALL);
		r->set = set < 0 ? SQ_SET_ALL : (sq_set)set;
		r->min_count = attr_int(x, c, "minimumCount", 0);
		r->min_percent = attr_real(x, c, "minimumPercent", 0, 1, 0.0);
		r->any = !conds || attr_word(x, conds, "conditionCombination",
		                             (const word[]){{"all", 0}, {"any", 1}, {NULL, 0}},
		                             1) != 0;
		r->n = count_children(conds, "rollupCondition");
		r->c = r->n ? lms_arena_alloc(x->a, r->n * sizeof(*r->c)) : NULL;
		for (xmlNodePtr rc = conds ? conds->children : NULL; rc; rc = rc->next) {
			int ci;

			if (!is(rc, "rollupCondition"))
				continue;
			ci = attr_word(x, rc, "condition", conditions, -1);
			r->c[j].cond = ci < 0 ? SQ_C_NEVER : (sq_cond)ci;
			r->c[j].negate = attr_word(x, rc, "operator",
			                           (const word[]){{"noOp", 0}, {"not", 1}, {NULL, 0}},
			                           0) == 1;
			j++;
		}
		r->n = j;
		if (j == 0) {
			warn(x, c, "rollupRule without conditions", "");
			continue;
		}
		k++;
	}
	d->n_rollup = k;
}

static sq_required req_attr(sq_xml *x, xmlNodePtr n, const char *local)
{
	int v = attr_word(x, n, local, requireds, SQ_REQ_ALWAYS);

	return v < 0 ? SQ_REQ_ALWAYS : (sq_required)v;
}

/* Parses xml (at most LMS_SEQ_MAX_XML bytes, no DOCTYPE) into *doc. */
static int parse_doc(sq_xml *x, const char *xml, const char *what, xmlDocPtr *doc, lms_err *err)
{
	lms_manifest_limits lim = {LMS_SEQ_MAX_XML, SQ_MAX_NODES, SQ_MAX_DEPTH};
	size_t len = strlen(xml);
	xs_result r;

	*doc = NULL;
	if (len > LMS_SEQ_MAX_XML)
		return lms_err_set(err, LMS_ETOOBIG, "sequencing_too_big", NULL,
		                   "the sequencing of %s is over %u bytes", what, LMS_SEQ_MAX_XML);
	if (len == 0)
		return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", NULL,
		                   "the sequencing of %s is empty", what);
	if (xml_safe_parse(xml, len, "imsmanifest.xml", "sequencing element", &lim,
	                   XS_DOCTYPE_NEVER, SQ_XML_OPTIONS, 10, x->rep, &r) < 0)
		return lms_err_set(err, LMS_EINTERNAL, NULL, NULL, "could not create an XML parser");
	if (r.refused == XS_NODES || r.refused == XS_DEPTH)
		return lms_err_set(err, LMS_ETOOBIG, "sequencing_too_big", NULL,
		                   "the sequencing of %s is over the element count or depth limit",
		                   what);
	if (r.refused)
		return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", NULL,
		                   "the sequencing of %s is refused for safety (DOCTYPE or entities)",
		                   what);
	if (!r.doc || !r.well_formed || !xmlDocGetRootElement(r.doc)) {
		if (r.doc)
			xmlFreeDoc(r.doc);
		return lms_err_set(err, LMS_EINVAL, "sequencing_invalid", NULL,
		                   "the sequencing of %s is not well-formed XML", what);
	}
	*doc = r.doc;
	return 0;
}

int sq_xml_open(const char *collection_xml, sq_globals *g, lms_arena *a, lms_report *rep,
                sq_xml **out, lms_err *err)
{
	sq_xml *x = lms_arena_alloc(a, sizeof(*x));
	int rc;

	x->a = a;
	x->g = g;
	if (!rep) {
		rep = lms_arena_alloc(a, sizeof(*rep));
		lms_report_init(rep, a);
	}
	x->rep = rep;
	if (collection_xml && *collection_xml) {
		if ((rc = parse_doc(x, collection_xml, "the sequencingCollection", &x->coll, err)) < 0)
			return rc;
	}
	*out = x;
	return 0;
}

void sq_xml_close(sq_xml *x)
{
	if (x && x->coll) {
		xmlFreeDoc(x->coll);
		x->coll = NULL;
	}
}

static xmlNodePtr find_collection_entry(sq_xml *x, const char *id)
{
	xmlNodePtr root = x->coll ? xmlDocGetRootElement(x->coll) : NULL;

	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		const char *cid;
		if (!is(c, "sequencing"))
			continue;
		cid = attr(x, c, "ID");
		if (cid && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

/* The child named local of own, else of ref. */
static xmlNodePtr pick(xmlNodePtr own, xmlNodePtr ref, const char *local)
{
	xmlNodePtr c = own ? child(own, local) : NULL;

	return c ? c : (ref ? child(ref, local) : NULL);
}

int sq_parse_def(sq_xml *x, const char *xml, const char *where, sq_def *d, lms_err *err)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr own = NULL, ref = NULL, n;
	const char *idref;
	int rc = 0;

	sq_def_defaults(d);
	x->where = where;
	if (xml) {
		if ((rc = parse_doc(x, xml, where, &doc, err)) < 0)
			goto cleanup;
		own = xmlDocGetRootElement(doc);
		if (!is(own, "sequencing")) {
			rc = lms_err_set(err, LMS_EINVAL, "sequencing_invalid", NULL,
			                 "the sequencing of %s is not an <imsss:sequencing> element",
			                 where);
			goto cleanup;
		}
		idref = attr(x, own, "IDRef");
		if (idref && *idref && !(ref = find_collection_entry(x, idref))) {
			rc = lms_err_set(err, LMS_EINVAL, "sequencing_invalid", NULL,
			                 "the sequencing of %s refers to IDRef \"%s\", which the "
			                 "sequencingCollection does not hold",
			                 where, idref);
			goto cleanup;
		}
	}
	if ((n = pick(own, ref, "controlMode"))) {
		d->choice = attr_bool(x, n, "choice", true);
		d->choice_exit = attr_bool(x, n, "choiceExit", true);
		d->flow = attr_bool(x, n, "flow", false);
		d->forward_only = attr_bool(x, n, "forwardOnly", false);
	}
	if ((n = pick(own, ref, "limitConditions")))
		d->attempt_limit = attr_int(x, n, "attemptLimit", 0);
	if ((n = pick(own, ref, "deliveryControls"))) {
		d->tracked = attr_bool(x, n, "tracked", true);
		d->completion_by_content = attr_bool(x, n, "completionSetByContent", false);
		d->objective_by_content = attr_bool(x, n, "objectiveSetByContent", false);
	}
	if ((n = pick(own, ref, "rollupConsiderations"))) {
		d->req_satisfied = req_attr(x, n, "requiredForSatisfied");
		d->req_not_satisfied = req_attr(x, n, "requiredForNotSatisfied");
		d->req_completed = req_attr(x, n, "requiredForCompleted");
		d->req_incomplete = req_attr(x, n, "requiredForIncomplete");
		d->measure_if_active = attr_bool(x, n, "measureSatisfactionIfActive", true);
	}
	/* objectives before rules: conditions name objectives */
	if ((rc = read_objectives(x, pick(own, ref, "objectives"), d)) < 0) {
		rc = lms_err_set(err, rc, "sequencing_too_big", NULL, "too many global objectives");
		goto cleanup;
	}
	if ((n = pick(own, ref, "sequencingRules"))) {
		read_rules(x, n, "preConditionRule", d, &d->pre, &d->n_pre);
		read_rules(x, n, "exitConditionRule", d, &d->exit, &d->n_exit);
		read_rules(x, n, "postConditionRule", d, &d->post, &d->n_post);
	}
	if ((n = pick(own, ref, "rollupRules")))
		read_rollup(x, n, d);
	if ((n = pick(own, ref, "randomizationControls")))
		warn(x, n, "element", "randomizationControls");
	if ((n = pick(own, ref, "selectionControls")))
		warn(x, n, "element", "selectionControls");
	if ((n = pick(own, ref, "constrainedChoiceConsiderations")))
		warn(x, n, "element", "constrainedChoiceConsiderations");
cleanup:
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}
