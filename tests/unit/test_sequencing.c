/* test_sequencing.c — SCORM navigation and sequencing (sequencing.h) on real trees built
 * from imsss XML: the Rustici "post test rollup" golf sample (collection IDRef, global
 * objectives gating with "disabled", rollup from the post test only), a linear
 * forwardOnly course, attempt limits, skip rules, exitAll and retry post-conditions,
 * suspendAll / resumeAll through the state text, rollup rules and measure weights, launch
 * values, SCORM 1.2 prerequisites (& | ~ = <> and sets), damaged state texts (every
 * truncation and byte flip of a real one) and hostile XML; and the real sample packages
 * of ../shared/scorm-samples through lms_manifest_parse (read with libzip in the test
 * only; skipped with a message when the folder is not found, PARLEARN_SCORM_SAMPLES). */
#include "support.h"

#include "lms/manifest.h"
#include "lms/sequencing.h"

#include <libxml/parser.h>
#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define N(x) (sizeof(x) / sizeof((x)[0]))

#define NS                                                                                     \
	" xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\""                                    \
	" xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\""
#define SEQ(body) "<imsss:sequencing" NS ">" body "</imsss:sequencing>"
#define SEQREF(id, body) "<imsss:sequencing" NS " IDRef=\"" id "\">" body "</imsss:sequencing>"
#define FLOW_CHOICE SEQ("<imsss:controlMode choice=\"true\" flow=\"true\"/>")

static int setup(void **state)
{
	(void)state;
	xmlInitParser();
	return 0;
}

static lms_seq_item_in leaf(int ord, const char *id, const char *seq)
{
	lms_seq_item_in it = {0};
	it.ord = ord;
	it.parent_ord = -1;
	it.identifier = id;
	it.title = id;
	it.launchable = true;
	it.visible = true;
	it.sequencing_xml = seq;
	return it;
}

static lms_seq_tree *build(lms_arena *a, lms_cmi_version v, const char *org, const char *coll,
                           const lms_seq_item_in *items, size_t n)
{
	lms_seq_tree *t = NULL;
	lms_err err;
	int rc;

	lms_err_clear(&err);
	rc = lms_seq_tree_build(v, org, coll, items, n, a, NULL, &t, &err);
	if (rc != 0)
		fprintf(stderr, "build: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(t);
	return t;
}

static lms_seq_outcome nav(lms_seq_tree *t, lms_seq_nav req, int target)
{
	lms_seq_outcome o;
	assert_int_equal(lms_seq_navigate(t, req, target, &o, NULL), 0);
	return o;
}

static void delivered(lms_seq_outcome o, int ord)
{
	if (o.refused)
		fprintf(stderr, "refused: %s %s\n", o.refused, o.exception ? o.exception : "");
	assert_null(o.refused);
	assert_int_equal(o.deliver_ord, ord);
}

static void refused(lms_seq_outcome o, const char *reason, const char *exception)
{
	assert_int_equal(o.deliver_ord, -1);
	assert_non_null(o.refused);
	assert_string_equal(o.refused, reason);
	if (exception)
		assert_string_equal(o.exception, exception);
}

static void report(lms_seq_tree *t, int ord, const char *completion, const char *success,
                   bool has_score, double score, const char *exit)
{
	lms_seq_sco_result r = {0};
	r.completion_status = completion;
	r.success_status = success;
	r.has_score = has_score;
	r.score_scaled = score;
	r.exit = exit;
	assert_int_equal(lms_seq_report(t, ord, &r, NULL), 0);
}

static const lms_seq_toc_entry *toc_entry(const lms_seq_tree *t, lms_arena *a, int ord)
{
	lms_seq_toc_entry *e;
	size_t n;
	assert_int_equal(lms_seq_toc(t, a, &e, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (e[i].ord == ord)
			return &e[i];
	fail_msg("no toc entry %d", ord);
	return NULL;
}

/* ---- the golf "post test rollup" sample (SequencingPostTestRollup_SCORM20043rdEdition) ---- */

#define GOLF_GATE(prev)                                                                       \
	"<imsss:sequencingRules><imsss:preConditionRule>"                                          \
	"<imsss:ruleConditions conditionCombination=\"any\">"                                      \
	"<imsss:ruleCondition referencedObjective=\"previous_sco_satisfied\" operator=\"not\" "   \
	"condition=\"satisfied\"/>"                                                               \
	"<imsss:ruleCondition referencedObjective=\"previous_sco_satisfied\" operator=\"not\" "   \
	"condition=\"objectiveStatusKnown\"/>"                                                    \
	"</imsss:ruleConditions><imsss:ruleAction action=\"disabled\"/>"                          \
	"</imsss:preConditionRule></imsss:sequencingRules>"
#define GOLF_PREV(prev)                                                                       \
	"<imsss:objective objectiveID=\"previous_sco_satisfied\">"                                 \
	"<imsss:mapInfo targetObjectiveID=\"golf." prev "\" readSatisfiedStatus=\"true\" "         \
	"writeSatisfiedStatus=\"false\"/></imsss:objective>"
#define GOLF_PRIMARY(name)                                                                    \
	"<imsss:primaryObjective objectiveID=\"" name "_satisfied\">"                              \
	"<imsss:mapInfo targetObjectiveID=\"golf." name "\" readSatisfiedStatus=\"true\" "         \
	"writeSatisfiedStatus=\"true\"/></imsss:primaryObjective>"

static const char golf_collection[] =
        "<imsss:sequencingCollection" NS "><imsss:sequencing ID=\"content_seq_rules\">"
        "<imsss:rollupRules rollupObjectiveSatisfied=\"false\" rollupProgressCompletion=\"false\" "
        "objectiveMeasureWeight=\"0\"></imsss:rollupRules>"
        "<imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>"
        "</imsss:sequencing></imsss:sequencingCollection>";

static lms_seq_tree *golf(lms_arena *a)
{
	static const char *seqs[] = {
	        SEQREF("content_seq_rules",
	               "<imsss:objectives>" GOLF_PRIMARY("playing") "</imsss:objectives>"),
	        SEQREF("content_seq_rules", GOLF_GATE("playing") "<imsss:objectives>" GOLF_PRIMARY(
	                                            "etiquette") GOLF_PREV("playing") "</imsss:objectives>"),
	        SEQREF("content_seq_rules",
	               GOLF_GATE("etiquette") "<imsss:objectives>" GOLF_PRIMARY(
	                       "handicapping") GOLF_PREV("etiquette") "</imsss:objectives>"),
	        SEQREF("content_seq_rules",
	               GOLF_GATE("handicapping") "<imsss:objectives>" GOLF_PRIMARY(
	                       "havingfun") GOLF_PREV("handicapping") "</imsss:objectives>"),
	        SEQ(GOLF_GATE("havingfun")
	            "<imsss:rollupRules rollupObjectiveSatisfied=\"true\" "
	            "rollupProgressCompletion=\"true\" objectiveMeasureWeight=\"1\"></imsss:rollupRules>"
	            "<imsss:objectives><imsss:primaryObjective objectiveID=\"assessment_satisfied\"/>"
	            GOLF_PREV("havingfun") "</imsss:objectives>"
	            "<imsss:deliveryControls completionSetByContent=\"true\" "
	            "objectiveSetByContent=\"true\"/>"),
	};
	static const char *ids[] = {"playing_item", "etuqiette_item", "handicapping_item",
	                            "havingfun_item", "assessment_item"};
	lms_seq_item_in items[5];

	for (int i = 0; i < 5; i++)
		items[i] = leaf(i, ids[i], seqs[i]);
	return build(a, LMS_CMI_2004, FLOW_CHOICE, golf_collection, items, 5);
}

static void golf_posttest_rollup(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_tree *t = golf(a);
	lms_seq_course c;
	lms_seq_outcome o;

	delivered(nav(t, LMS_NAV_START, 0), 0);
	/* the etiquette SCO is disabled until playing's global objective is satisfied */
	assert_false(toc_entry(t, a, 1)->choosable);
	assert_string_equal(toc_entry(t, a, 1)->refused, "disabled");
	assert_true(toc_entry(t, a, 0)->choosable);
	refused(nav(t, LMS_NAV_CHOICE, 1), "disabled", "DB.1.1-3");
	assert_int_equal(lms_seq_current(t, NULL), 0); /* the refused choice left it running */

	/* content sets only completion: continue is refused after playing ends */
	report(t, 0, "completed", NULL, false, 0, NULL);
	o = nav(t, LMS_NAV_CONTINUE, 0);
	refused(o, "disabled", "SB.2.2-2");
	assert_int_equal(o.current_ord, 0);
	lms_seq_course_status(t, &c);
	assert_false(c.completion_known); /* content SCOs do not count */

	/* once it reports passed (a late commit), etiquette opens */
	report(t, 0, "completed", "passed", false, 0, NULL);
	assert_true(toc_entry(t, a, 1)->choosable);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 1);
	report(t, 1, "completed", "passed", false, 0, NULL);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2);
	/* backwards by choice is allowed (no forwardOnly) */
	delivered(nav(t, LMS_NAV_CHOICE, 0), 0);
	delivered(nav(t, LMS_NAV_CHOICE, 2), 2);
	report(t, 2, "completed", "passed", false, 0, NULL);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 3);
	assert_false(toc_entry(t, a, 4)->choosable);
	report(t, 3, "completed", "passed", false, 0, NULL);
	o = nav(t, LMS_NAV_CONTINUE, 0);
	delivered(o, 4);
	assert_true(o.new_attempt);
	lms_seq_course_status(t, &c);
	assert_false(c.completion_known);
	assert_false(c.success_known);

	/* the post test alone decides the course: failed with 0.4 */
	report(t, 4, "completed", "failed", true, 0.4, NULL);
	o = nav(t, LMS_NAV_CONTINUE, 0);
	assert_null(o.refused);
	assert_true(o.end_of_course);
	assert_int_equal(o.deliver_ord, -1);
	assert_int_equal(lms_seq_current(t, NULL), -1);
	lms_seq_course_status(t, &c);
	assert_true(c.completion_known);
	assert_true(c.completed);
	assert_true(c.success_known);
	assert_false(c.passed);
	assert_true(c.measure_known);
	assert_true(c.measure > 0.399 && c.measure < 0.401);
	assert_int_equal(c.status, LMS_SEQ_FAILED);
	assert_int_equal(lms_seq_item_status(t, 0), LMS_SEQ_PASSED);

	/* a new session: the state text carries everything, globals included */
	const char *dump = lms_seq_state_dump(t, a);
	lms_seq_tree *t2 = golf(a);
	assert_int_equal(lms_seq_state_load(t2, dump, NULL), 0);
	assert_string_equal(lms_seq_state_dump(t2, a), dump);
	assert_non_null(strstr(dump, "\ng golf.playing ks "));
	assert_true(toc_entry(t2, a, 4)->choosable);
	delivered(nav(t2, LMS_NAV_CHOICE, 4), 4);
	assert_int_equal(toc_entry(t2, a, 4)->attempts, 2);
	report(t2, 4, "completed", "passed", true, 0.9, NULL);
	o = nav(t2, LMS_NAV_EXIT_ALL, 0);
	assert_true(o.end_of_course);
	lms_seq_course_status(t2, &c);
	assert_true(c.passed);
	assert_true(c.measure > 0.899 && c.measure < 0.901);
	lms_arena_free(a);
}

/* ---- linear: flow only, forwardOnly, no choice ---- */

static void linear_forward_only(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {leaf(10, "one", NULL), leaf(11, "two", NULL),
	                           leaf(12, "three", NULL)};
	lms_seq_tree *t = build(a, LMS_CMI_2004,
	                        SEQ("<imsss:controlMode choice=\"false\" flow=\"true\" "
	                            "forwardOnly=\"true\"/>"),
	                        NULL, items, N(items));
	bool cont, prev;

	refused(nav(t, LMS_NAV_CONTINUE, 0), "not_started", "NB.2.1-2");
	delivered(nav(t, LMS_NAV_START, 0), 10);
	refused(nav(t, LMS_NAV_START, 0), "already_started", "NB.2.1-1");
	lms_seq_flow_allowed(t, a, &cont, &prev);
	assert_true(cont);
	assert_false(prev);
	refused(nav(t, LMS_NAV_PREVIOUS, 0), "forward_only", "NB.2.1-5");
	refused(nav(t, LMS_NAV_CHOICE, 12), "choice_disabled", "NB.2.1-10");
	assert_false(toc_entry(t, a, 11)->choosable);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 11);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 12);
	/* default delivery controls: the LMS marks an activity completed and satisfied when
	 * the content set nothing, so the course rolls up completed and passed */
	lms_seq_outcome o = nav(t, LMS_NAV_CONTINUE, 0);
	assert_true(o.end_of_course);
	lms_seq_course c;
	lms_seq_course_status(t, &c);
	assert_true(c.completed);
	assert_true(c.passed);
	assert_int_equal(lms_seq_item_status(t, 11), LMS_SEQ_PASSED);
	lms_arena_free(a);
}

/* 2004 defaults: flow is false, so start is refused and choice is the way in. */
static void defaults_no_flow(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {leaf(0, "a", NULL), leaf(1, "b", NULL)};
	lms_seq_tree *t = build(a, LMS_CMI_2004, NULL, NULL, items, N(items));

	refused(nav(t, LMS_NAV_START, 0), "flow_disabled", "SB.2.2-1");
	refused(nav(t, LMS_NAV_CHOICE, LMS_SEQ_ROOT), "flow_disabled", "SB.2.2-1");
	delivered(nav(t, LMS_NAV_CHOICE, 1), 1);
	refused(nav(t, LMS_NAV_CONTINUE, 0), "flow_disabled", "NB.2.1-4");
	delivered(nav(t, LMS_NAV_CHOICE, 0), 0);
	lms_arena_free(a);
}

/* ---- attempt limit ---- */

static void attempt_limit_one(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {
	        leaf(0, "once", SEQ("<imsss:limitConditions attemptLimit=\"1\"/>")),
	        leaf(1, "other", NULL)};
	lms_seq_tree *t = build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));
	bool active;

	delivered(nav(t, LMS_NAV_START, 0), 0);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 1);
	refused(nav(t, LMS_NAV_CHOICE, 0), "attempt_limit", "DB.1.1-3");
	assert_int_equal(lms_seq_current(t, &active), 1);
	assert_true(active);
	assert_false(toc_entry(t, a, 0)->choosable);
	assert_int_equal(toc_entry(t, a, 0)->attempts, 1);
	refused(nav(t, LMS_NAV_PREVIOUS, 0), "attempt_limit", "SB.2.2-2");
	/* "other" has no limit */
	delivered(nav(t, LMS_NAV_CHOICE, 1), 1);
	lms_arena_free(a);
}

/* ---- skip: a passed pretest skips the content ---- */

static lms_seq_tree *pretest_course(lms_arena *a)
{
	static const char pre[] = SEQ(
	        "<imsss:objectives><imsss:primaryObjective objectiveID=\"pre\">"
	        "<imsss:mapInfo targetObjectiveID=\"mastery\" writeSatisfiedStatus=\"true\"/>"
	        "</imsss:primaryObjective></imsss:objectives>"
	        "<imsss:deliveryControls objectiveSetByContent=\"true\"/>");
	static const char content[] = SEQ(
	        "<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
	        "<imsss:ruleCondition referencedObjective=\"m\" condition=\"satisfied\"/>"
	        "</imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule>"
	        "</imsss:sequencingRules>"
	        "<imsss:objectives><imsss:primaryObjective/><imsss:objective objectiveID=\"m\">"
	        "<imsss:mapInfo targetObjectiveID=\"mastery\"/></imsss:objective></imsss:objectives>");
	lms_seq_item_in items[] = {leaf(0, "pretest", pre), leaf(1, "content", content),
	                           leaf(2, "posttest", NULL)};
	return build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));
}

static void skip_rule(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_tree *t = pretest_course(a);

	delivered(nav(t, LMS_NAV_START, 0), 0);
	report(t, 0, "completed", "passed", false, 0, NULL);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2);
	/* previous skips it too */
	delivered(nav(t, LMS_NAV_PREVIOUS, 0), 0);
	/* choice is not flow: a skipped activity may still be chosen */
	delivered(nav(t, LMS_NAV_CHOICE, 1), 1);

	lms_seq_tree *t2 = pretest_course(a);
	delivered(nav(t2, LMS_NAV_START, 0), 0);
	report(t2, 0, "completed", "failed", false, 0, NULL);
	delivered(nav(t2, LMS_NAV_CONTINUE, 0), 1);
	lms_arena_free(a);
}

/* ---- disabled until a global objective is satisfied ---- */

static void disabled_until_global(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {
	        leaf(0, "lesson",
	             SEQ("<imsss:objectives><imsss:primaryObjective objectiveID=\"p\">"
	                 "<imsss:mapInfo targetObjectiveID=\"gate\" writeSatisfiedStatus=\"true\"/>"
	                 "</imsss:primaryObjective></imsss:objectives>"
	                 "<imsss:deliveryControls objectiveSetByContent=\"true\"/>")),
	        leaf(1, "exam",
	             SEQ("<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"
	                 "<imsss:ruleCondition referencedObjective=\"g\" operator=\"not\" "
	                 "condition=\"satisfied\"/>"
	                 "</imsss:ruleConditions><imsss:ruleAction action=\"disabled\"/>"
	                 "</imsss:preConditionRule></imsss:sequencingRules>"
	                 "<imsss:objectives><imsss:primaryObjective/>"
	                 "<imsss:objective objectiveID=\"g\"><imsss:mapInfo targetObjectiveID=\"gate\" "
	                 "readSatisfiedStatus=\"true\"/></imsss:objective></imsss:objectives>"))};
	lms_seq_tree *t = build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));

	delivered(nav(t, LMS_NAV_START, 0), 0);
	/* "not satisfied" of an unknown status is unknown: the rule does not fire (which is
	 * why the golf sample adds "not objectiveStatusKnown"), but a failed lesson makes it
	 * true */
	assert_true(toc_entry(t, a, 1)->choosable);
	report(t, 0, "completed", "failed", false, 0, NULL);
	refused(nav(t, LMS_NAV_CHOICE, 1), "disabled", "DB.1.1-3");
	assert_false(toc_entry(t, a, 1)->choosable);
	report(t, 0, "completed", "passed", false, 0, NULL);
	assert_true(toc_entry(t, a, 1)->choosable);
	delivered(nav(t, LMS_NAV_CHOICE, 1), 1);

	lms_seq_launch l;
	assert_int_equal(lms_seq_launch_data(t, 1, a, &l, NULL), 0);
	assert_int_equal(l.n_objectives, 1);
	assert_string_equal(l.objectives[0].id, "g");
	assert_string_equal(l.objectives[0].success_status, "passed");
	lms_arena_free(a);
}

/* ---- post conditions: exitAll, retry ---- */

static void exit_all_post_condition(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {
	        leaf(0, "quiz",
	             SEQ("<imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
	                 "<imsss:ruleCondition condition=\"satisfied\"/></imsss:ruleConditions>"
	                 "<imsss:ruleAction action=\"exitAll\"/></imsss:postConditionRule>"
	                 "<imsss:postConditionRule><imsss:ruleConditions>"
	                 "<imsss:ruleCondition condition=\"satisfied\" operator=\"not\"/>"
	                 "</imsss:ruleConditions><imsss:ruleAction action=\"retry\"/>"
	                 "</imsss:postConditionRule></imsss:sequencingRules>"
	                 "<imsss:deliveryControls objectiveSetByContent=\"true\" "
	                 "completionSetByContent=\"true\"/>")),
	        leaf(1, "remedial", NULL)};
	lms_seq_tree *t = build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));
	lms_seq_outcome o;

	delivered(nav(t, LMS_NAV_START, 0), 0);
	report(t, 0, "completed", "failed", false, 0, NULL);
	o = nav(t, LMS_NAV_CONTINUE, 0); /* retry wins over continue */
	delivered(o, 0);
	assert_true(o.new_attempt);
	assert_int_equal(toc_entry(t, a, 0)->attempts, 2);
	report(t, 0, "completed", "passed", false, 0, NULL);
	o = nav(t, LMS_NAV_CONTINUE, 0); /* exitAll: the remedial item is never reached */
	assert_null(o.refused);
	assert_true(o.end_of_course);
	assert_int_equal(o.deliver_ord, -1);
	assert_int_equal(lms_seq_item_status(t, 1), LMS_SEQ_NOT_ATTEMPTED);
	lms_arena_free(a);
}

/* ---- choice constraints across clusters ---- */

#define ALWAYS_PRE(action)                                                                    \
	"<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>"                    \
	"<imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions>"                      \
	"<imsss:ruleAction action=\"" action "\"/></imsss:preConditionRule></imsss:sequencingRules>"

static void choice_constraints(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {
	        {.ord = 0, .parent_ord = -1, .identifier = "A", .visible = true,
	         .sequencing_xml = SEQ("<imsss:controlMode choice=\"true\" flow=\"true\" "
	                               "choiceExit=\"false\"/>")},
	        {.ord = 1, .parent_ord = 0, .identifier = "a1", .launchable = true, .visible = true,
	         .sequencing_xml = SEQ(ALWAYS_PRE("stopForwardTraversal"))},
	        {.ord = 2, .parent_ord = 0, .identifier = "a2", .launchable = true, .visible = true},
	        {.ord = 3, .parent_ord = -1, .identifier = "B", .visible = true,
	         .sequencing_xml = SEQ("<imsss:controlMode choice=\"true\" flow=\"true\" "
	                               "forwardOnly=\"true\"/>")},
	        {.ord = 4, .parent_ord = 3, .identifier = "b1", .launchable = true, .visible = true,
	         .sequencing_xml = SEQ(ALWAYS_PRE("hiddenFromChoice"))},
	        {.ord = 5, .parent_ord = 3, .identifier = "b2", .launchable = true, .visible = true},
	};
	lms_seq_tree *t = build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));

	delivered(nav(t, LMS_NAV_START, 0), 1);
	refused(nav(t, LMS_NAV_CHOICE, 2), "stop_forward", "SB.2.9.1-1");
	refused(nav(t, LMS_NAV_CHOICE, 5), "choice_exit", "NB.2.1-8");
	/* the navigation request checks (choiceExit) come before the sequencing ones */
	refused(nav(t, LMS_NAV_CHOICE, 4), "choice_exit", "NB.2.1-8");
	assert_false(toc_entry(t, a, 4)->visible);
	refused(nav(t, LMS_NAV_CHOICE, 42), "no_target", "NB.2.1-11");
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2); /* flow ignores stopForwardTraversal */
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 4); /* nor does it care about hidden */
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 5);
	/* B is forwardOnly: no way back inside it, by flow or by choice */
	refused(nav(t, LMS_NAV_CHOICE, 4), "hidden", "SB.2.9-3");
	lms_seq_outcome o = nav(t, LMS_NAV_PREVIOUS, 0);
	refused(o, "forward_only", "NB.2.1-5");
	/* choosing the cluster A flows into it */
	delivered(nav(t, LMS_NAV_CHOICE, 0), 1);
	/* jump ignores choice constraints (4th ed.) */
	delivered(nav(t, LMS_NAV_JUMP, 4), 4);
	lms_arena_free(a);
}

/* ---- suspendAll, a new request, resumeAll ---- */

static lms_seq_tree *three(lms_arena *a)
{
	lms_seq_item_in items[] = {leaf(0, "a", NULL), leaf(1, "b b", NULL), leaf(2, "c%", NULL)};
	return build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));
}

static void suspend_resume(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_tree *t = three(a);
	lms_seq_outcome o;

	refused(nav(t, LMS_NAV_RESUME_ALL, 0), "nothing_suspended", "NB.2.1-3");
	delivered(nav(t, LMS_NAV_START, 0), 0);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 1);
	report(t, 1, "incomplete", NULL, false, 0, "suspend");
	o = nav(t, LMS_NAV_SUSPEND_ALL, 0);
	assert_true(o.suspended);
	assert_false(o.end_of_course);
	assert_int_equal(o.deliver_ord, -1);
	assert_true(lms_seq_has_suspended(t));

	const char *dump = lms_seq_state_dump(t, a);
	assert_non_null(strstr(dump, "susp b%20b\n"));
	lms_seq_tree *t2 = three(a);
	assert_int_equal(lms_seq_state_load(t2, dump, NULL), 0);
	assert_true(lms_seq_has_suspended(t2));
	assert_int_equal(lms_seq_item_status(t2, 1), LMS_SEQ_INCOMPLETE);
	o = nav(t2, LMS_NAV_RESUME_ALL, 0);
	delivered(o, 1);
	assert_false(o.new_attempt);
	assert_int_equal(toc_entry(t2, a, 1)->attempts, 1);
	assert_false(lms_seq_has_suspended(t2));
	/* the resumed attempt ends normally: completed by the LMS (nothing set by content) */
	report(t2, 1, NULL, NULL, false, 0, "");
	delivered(nav(t2, LMS_NAV_CONTINUE, 0), 2);
	assert_int_equal(lms_seq_item_status(t2, 1), LMS_SEQ_PASSED);
	/* the id with '%' round-trips */
	dump = lms_seq_state_dump(t2, a);
	assert_non_null(strstr(dump, "cur c%25\n"));
	lms_seq_tree *t3 = three(a);
	assert_int_equal(lms_seq_state_load(t3, dump, NULL), 0);
	assert_int_equal(lms_seq_current(t3, NULL), 2);
	lms_arena_free(a);
}

/* ---- rollup rules, weights, satisfiedByMeasure, launch values ---- */

static void rollup_rules_and_measure(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {
	        {.ord = 0, .parent_ord = -1, .identifier = "module", .visible = true,
	         .sequencing_xml = SEQ(
	                 "<imsss:controlMode choice=\"true\" flow=\"true\"/>"
	                 "<imsss:rollupRules><imsss:rollupRule childActivitySet=\"atLeastCount\" "
	                 "minimumCount=\"2\"><imsss:rollupConditions><imsss:rollupCondition "
	                 "condition=\"satisfied\"/></imsss:rollupConditions>"
	                 "<imsss:rollupAction action=\"satisfied\"/></imsss:rollupRule>"
	                 "<imsss:rollupRule childActivitySet=\"any\"><imsss:rollupConditions>"
	                 "<imsss:rollupCondition condition=\"attempted\"/></imsss:rollupConditions>"
	                 "<imsss:rollupAction action=\"incomplete\"/></imsss:rollupRule>"
	                 "<imsss:rollupRule childActivitySet=\"atLeastPercent\" minimumPercent=\"0.6\">"
	                 "<imsss:rollupConditions><imsss:rollupCondition condition=\"completed\"/>"
	                 "</imsss:rollupConditions><imsss:rollupAction action=\"completed\"/>"
	                 "</imsss:rollupRule></imsss:rollupRules>")},
	        {.ord = 1, .parent_ord = 0, .identifier = "x", .launchable = true, .visible = true,
	         .completion_threshold = "0.75",
	         .sequencing_xml = SEQ(
	                 "<imsss:rollupRules objectiveMeasureWeight=\"1\"/>"
	                 "<imsss:objectives><imsss:primaryObjective objectiveID=\"px\" "
	                 "satisfiedByMeasure=\"true\"><imsss:minNormalizedMeasure>0.8"
	                 "</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>"
	                 "<imsss:deliveryControls objectiveSetByContent=\"true\" "
	                 "completionSetByContent=\"true\"/>")},
	        {.ord = 2, .parent_ord = 0, .identifier = "y", .launchable = true, .visible = true,
	         .sequencing_xml = SEQ("<imsss:rollupRules objectiveMeasureWeight=\"0.5\"/>"
	                               "<imsss:deliveryControls objectiveSetByContent=\"true\" "
	                               "completionSetByContent=\"true\"/>")},
	        {.ord = 3, .parent_ord = 0, .identifier = "z", .launchable = true, .visible = true,
	         .sequencing_xml = SEQ("<imsss:rollupRules objectiveMeasureWeight=\"0\"/>"
	                               "<imsss:deliveryControls objectiveSetByContent=\"true\" "
	                               "completionSetByContent=\"true\"/>")},
	};
	lms_seq_tree *t = build(a, LMS_CMI_2004, FLOW_CHOICE, NULL, items, N(items));
	lms_seq_course c;
	lms_seq_launch l;

	assert_int_equal(lms_seq_launch_data(t, 1, a, &l, NULL), 0);
	assert_true(l.has_scaled_passing_score);
	assert_true(l.scaled_passing_score > 0.799 && l.scaled_passing_score < 0.801);
	assert_true(l.has_completion_threshold);
	assert_true(l.completion_threshold > 0.749 && l.completion_threshold < 0.751);
	assert_int_equal(l.n_objectives, 1);
	assert_string_equal(l.objectives[0].success_status, "unknown");

	delivered(nav(t, LMS_NAV_START, 0), 1);       /* flows into the module */
	report(t, 1, "completed", "failed", true, 0.85, NULL); /* by measure: passed */
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2);
	assert_int_equal(lms_seq_item_status(t, 1), LMS_SEQ_PASSED);
	assert_int_equal(lms_seq_item_status(t, 0), LMS_SEQ_INCOMPLETE);
	report(t, 2, "incomplete", "passed", true, 0.4, NULL);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 3);
	/* 2 of 3 satisfied -> the module is satisfied; 1 of 3 completed < 60% -> incomplete */
	lms_seq_course_status(t, &c);
	assert_true(c.success_known);
	assert_true(c.passed);
	assert_true(c.completion_known);
	assert_false(c.completed);
	/* measure: (0.85 * 1 + 0.4 * 0.5 + unknown * 0) / 1.5 = 0.7 */
	assert_true(c.measure_known);
	assert_true(c.measure > 0.6999 && c.measure < 0.7001);
	report(t, 3, "completed", "failed", true, -1.0, NULL);
	assert_true(nav(t, LMS_NAV_CONTINUE, 0).end_of_course);
	lms_seq_course_status(t, &c);
	assert_true(c.completed); /* 2 of 3 completed >= 60% */
	assert_true(c.passed);
	assert_true(c.measure > 0.6999 && c.measure < 0.7001); /* z weighs 0 */
	lms_arena_free(a);
}

/* ---- SCORM 1.2 prerequisites ---- */

static void prerequisites_12(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_report rep;
	lms_seq_item_in items[] = {
	        {.ord = 0, .parent_ord = -1, .identifier = "intro", .launchable = true, .visible = true},
	        {.ord = 1, .parent_ord = -1, .identifier = "module", .visible = true},
	        {.ord = 2, .parent_ord = 1, .identifier = "a", .launchable = true, .visible = true,
	         .prerequisites = "intro"},
	        {.ord = 3, .parent_ord = 1, .identifier = "b", .launchable = true, .visible = true,
	         .prerequisites = "a | intro=failed"},
	        {.ord = 4, .parent_ord = -1, .identifier = "c", .launchable = true, .visible = true,
	         .prerequisites = "2*{intro, a, b}"},
	        {.ord = 5, .parent_ord = -1, .identifier = "d", .launchable = true, .visible = true,
	         .prerequisites = "a & (b=incomplete | b = \"browsed\") & ~c"},
	        {.ord = 6, .parent_ord = -1, .identifier = "e", .launchable = true, .visible = true,
	         .prerequisites = "intro <> not attempted & nosuch"},
	        {.ord = 7, .parent_ord = -1, .identifier = "hidden", .launchable = true,
	         .visible = false},
	};
	lms_seq_tree *t = NULL;
	lms_seq_course c;
	lms_seq_sco_result r = {0};

	lms_report_init(&rep, a);
	assert_int_equal(lms_seq_tree_build(LMS_CMI_12, NULL, NULL, items, N(items), a, &rep, &t,
	                                    NULL),
	                 0);
	assert_int_equal(rep.warnings, 1); /* e's script names an unknown item: ignored */

	delivered(nav(t, LMS_NAV_START, 0), 0);
	assert_false(toc_entry(t, a, 2)->choosable);
	assert_string_equal(toc_entry(t, a, 2)->refused, "prerequisites");
	assert_false(toc_entry(t, a, 4)->choosable);
	assert_true(toc_entry(t, a, 6)->choosable);
	assert_false(toc_entry(t, a, 7)->choosable);
	assert_string_equal(toc_entry(t, a, 7)->refused, "hidden");
	/* a 1.2 SCO that reports nothing is incomplete, so "a" stays locked */
	refused(nav(t, LMS_NAV_CONTINUE, 0), "prerequisites", "SB.2.2-2");
	assert_int_equal(lms_seq_item_status(t, 0), LMS_SEQ_INCOMPLETE);
	r.lesson_status = "completed";
	assert_int_equal(lms_seq_report(t, 0, &r, NULL), 0);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2); /* into the container, to its first child */
	assert_false(toc_entry(t, a, 3)->choosable); /* a is not yet passed/completed */
	r.lesson_status = "passed";
	assert_int_equal(lms_seq_report(t, 2, &r, NULL), 0);
	assert_true(toc_entry(t, a, 3)->choosable);
	assert_true(toc_entry(t, a, 4)->choosable); /* 2 of {intro, a, b} */
	assert_false(toc_entry(t, a, 5)->choosable); /* b is not attempted */
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 3);
	r.lesson_status = "browsed";
	assert_int_equal(lms_seq_report(t, 3, &r, NULL), 0);
	assert_true(toc_entry(t, a, 5)->choosable); /* a, b browsed, c not done */
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 4);
	r.lesson_status = "completed";
	assert_int_equal(lms_seq_report(t, 4, &r, NULL), 0);
	assert_false(toc_entry(t, a, 5)->choosable); /* ~c fails now */
	refused(nav(t, LMS_NAV_CONTINUE, 0), "prerequisites", "SB.2.2-2");
	lms_seq_course_status(t, &c);
	assert_false(c.completed);
	assert_false(c.success_known);
	assert_int_equal(lms_seq_item_status(t, 1), LMS_SEQ_INCOMPLETE); /* b only browsed */

	/* "intro=failed" opens b on its own */
	lms_seq_tree *t2 = NULL;
	assert_int_equal(lms_seq_tree_build(LMS_CMI_12, NULL, NULL, items, N(items), a, NULL, &t2,
	                                    NULL),
	                 0);
	delivered(nav(t2, LMS_NAV_START, 0), 0);
	r.lesson_status = "failed";
	assert_int_equal(lms_seq_report(t2, 0, &r, NULL), 0);
	assert_false(toc_entry(t2, a, 2)->choosable);
	assert_true(toc_entry(t2, a, 3)->choosable);
	lms_seq_course_status(t2, &c);
	assert_true(c.success_known);
	assert_false(c.passed);
	assert_int_equal(c.status, LMS_SEQ_FAILED);
	lms_arena_free(a);
}

/* Scripts that do not parse are ignored with a warning (the item is not gated). */
static void prerequisites_broken(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	char deep[400], nots[300];
	lms_report rep;
	lms_seq_tree *t = NULL;

	memset(deep, '(', 100);
	memcpy(deep + 100, "x", 1);
	memset(deep + 101, ')', 100);
	deep[201] = '\0';
	memset(nots, '~', 200);
	memcpy(nots + 200, "x", 2);
	lms_seq_item_in items[] = {
	        leaf(0, "x", NULL), leaf(1, "p1", NULL), leaf(2, "p2", NULL), leaf(3, "p3", NULL),
	        leaf(4, "p4", NULL), leaf(5, "p5", NULL), leaf(6, "p6", NULL), leaf(7, "ok", NULL)};
	items[1].prerequisites = deep;
	items[2].prerequisites = nots;
	items[3].prerequisites = "x &";
	items[4].prerequisites = "x = maybe";
	items[5].prerequisites = "2*{x,";
	items[6].prerequisites = "(x | x";
	items[7].prerequisites = "((x)) & ~~x & X = \"passed\" | 1*{x}"; /* ids match any case */
	lms_report_init(&rep, a);
	assert_int_equal(lms_seq_tree_build(LMS_CMI_12, NULL, NULL, items, N(items), a, &rep, &t,
	                                    NULL),
	                 0);
	assert_int_equal(rep.warnings, 6);
	assert_true(toc_entry(t, a, 1)->choosable);
	assert_false(toc_entry(t, a, 7)->choosable);
	lms_arena_free(a);
}

static void complete_12(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_item_in items[] = {leaf(0, "s1", NULL), leaf(5, "empty", NULL), leaf(1, "s2", NULL),
	                           leaf(2, "pdf", NULL)};
	lms_seq_sco_result r = {0};
	lms_seq_course c;
	lms_seq_tree *t;

	items[1].launchable = false; /* an empty container: flow passes over it */
	items[3].asset = true;
	t = build(a, LMS_CMI_12, NULL, NULL, items, N(items));
	delivered(nav(t, LMS_NAV_START, 0), 0);
	r.lesson_status = "passed";
	assert_int_equal(lms_seq_report(t, 0, &r, NULL), 0);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 1);
	r.lesson_status = "completed";
	assert_int_equal(lms_seq_report(t, 1, &r, NULL), 0);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2);
	lms_seq_course_status(t, &c);
	assert_false(c.completed);
	refused(nav(t, LMS_NAV_CHOICE, 5), "not_a_leaf", "DB.1.1-1");
	delivered(nav(t, LMS_NAV_PREVIOUS, 0), 1); /* passes over "empty" backwards too */
	lms_seq_course_status(t, &c);
	assert_true(c.completed); /* the asset completed when its attempt ended */
	assert_int_equal(lms_seq_item_status(t, 2), LMS_SEQ_COMPLETED);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 2);
	assert_true(nav(t, LMS_NAV_CONTINUE, 0).end_of_course);
	lms_seq_course_status(t, &c);
	assert_true(c.completed);
	assert_true(c.success_known);
	assert_true(c.passed);
	assert_int_equal(c.status, LMS_SEQ_PASSED);
	lms_arena_free(a);
}

/* ---- adl.nav.request ---- */

static void request_of(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_tree *t = three(a);
	lms_seq_sco_result r = {0};
	lms_seq_nav req;
	int target;

	r.nav_request = "{target=b b}choice";
	assert_int_equal(lms_seq_request_of(t, &r, &req, &target, NULL), 0);
	assert_int_equal(req, LMS_NAV_CHOICE);
	assert_int_equal(target, 1);
	r.nav_request = "continue";
	assert_int_equal(lms_seq_request_of(t, &r, &req, &target, NULL), 0);
	assert_int_equal(req, LMS_NAV_CONTINUE);
	r.nav_request = "_none_";
	assert_int_equal(lms_seq_request_of(t, &r, &req, &target, NULL), 0);
	assert_int_equal(req, LMS_NAV_NONE);
	r.exit = "time-out";
	assert_int_equal(lms_seq_request_of(t, &r, &req, &target, NULL), 0);
	assert_int_equal(req, LMS_NAV_EXIT_ALL);
	r.exit = NULL;
	r.nav_request = "{target=nope}choice";
	assert_int_equal(lms_seq_request_of(t, &r, &req, &target, NULL), LMS_EINVAL);
	r.nav_request = "jump";
	assert_int_equal(lms_seq_request_of(t, &r, &req, &target, NULL), LMS_EINVAL);
	/* reporting on an activity never delivered is refused */
	assert_int_equal(lms_seq_report(t, 2, &r, NULL), LMS_EINVAL);
	assert_int_equal(lms_seq_report(t, 99, &r, NULL), LMS_EINVAL);
	lms_arena_free(a);
}

/* ---- damaged state ---- */

static void damaged_state(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_seq_tree *t = golf(a);
	lms_err err;
	static const char *bad[] = {
	        "garbage",
	        "parlearn-seq 2\nend\n",
	        "parlearn-seq 1\n",                               /* no end: cut */
	        "parlearn-seq 1\nend",                            /* no final newline */
	        "parlearn-seq 1\nend\nend\n",
	        "parlearn-seq 1\na playing_item 1 tz 0 -\nend\n", /* unknown flag */
	        "parlearn-seq 1\na playing_item 1 tt 0 -\nend\n", /* twice */
	        "parlearn-seq 1\na playing_item -1 t 0 -\nend\n",
	        "parlearn-seq 1\na playing_item 1 t nan -\nend\n",
	        "parlearn-seq 1\na playing_item 1 t 1e999 -\nend\n",
	        "parlearn-seq 1\na playing_item 1 t 0 bogus\nend\n",
	        "parlearn-seq 1\na playing_item 1 t 0\nend\n",
	        "parlearn-seq 1\na playing_item 1 t 0 - x\nend\n",
	        "parlearn-seq 1\na  playing_item 1 t 0 -\nend\n",  /* empty token */
	        "parlearn-seq 1\na play%zzing 1 t 0 -\nend\n",
	        "parlearn-seq 1\na play%00 1 t 0 -\nend\n",
	        "parlearn-seq 1\no playing_item #x k 0\nend\n",
	        "parlearn-seq 1\ng golf.playing k 2\nend\n",
	        "parlearn-seq 1\ncur playing_item\nsusp playing_item\nend\n",
	        "parlearn-seq 1\nzz\nend\n",
	};
	const char *before, *good;

	delivered(nav(t, LMS_NAV_START, 0), 0);
	report(t, 0, "completed", "passed", true, 0.5, NULL);
	delivered(nav(t, LMS_NAV_CONTINUE, 0), 1);
	before = lms_seq_state_dump(t, a);
	for (size_t i = 0; i < N(bad); i++) {
		lms_err_clear(&err);
		if (lms_seq_state_load(t, bad[i], &err) != LMS_EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_string_equal(err.code, "sequencing_state_invalid");
		assert_string_equal(lms_seq_state_dump(t, a), before);
	}
	/* unknown names are skipped (a re-imported package), not errors */
	assert_int_equal(lms_seq_state_load(t, "parlearn-seq 1\na gone 3 t 0 -\ng old k 0\nend\n",
	                                    NULL),
	                 0);
	assert_int_equal(lms_seq_item_status(t, 0), LMS_SEQ_NOT_ATTEMPTED);
	assert_int_equal(lms_seq_state_load(t, "", NULL), 0);
	assert_int_equal(lms_seq_state_load(t, before, NULL), 0);
	assert_string_equal(lms_seq_state_dump(t, a), before);

	/* every cut and many byte flips of a real text: 0 or EINVAL, never a crash */
	good = before;
	size_t len = strlen(good);
	char *buf = malloc(len + 1);
	assert_non_null(buf);
	for (size_t cut = 0; cut < len; cut++) {
		memcpy(buf, good, cut);
		buf[cut] = '\0';
		int rc = lms_seq_state_load(t, buf, NULL);
		assert_true(rc == 0 || rc == LMS_EINVAL);
		if (cut > 0 && cut < len - 1)
			assert_int_equal(rc, LMS_EINVAL); /* only the whole text ends with "end\n" */
	}
	static const char flips[] = {' ', '\n', '%', '#', '-', '9', 'x', '\r', '/', '\x7f'};
	for (size_t pos = 0; pos < len; pos++)
		for (size_t f = 0; f < N(flips); f++) {
			memcpy(buf, good, len + 1);
			buf[pos] = flips[f];
			int rc = lms_seq_state_load(t, buf, NULL);
			assert_true(rc == 0 || rc == LMS_EINVAL);
			(void)lms_seq_state_dump(t, a);
		}
	free(buf);

	/* over the size limit */
	char *big = malloc((size_t)LMS_SEQ_MAX_STATE + 2);
	assert_non_null(big);
	memset(big, 'a', (size_t)LMS_SEQ_MAX_STATE + 1);
	big[LMS_SEQ_MAX_STATE + 1] = '\0';
	assert_int_equal(lms_seq_state_load(t, big, NULL), LMS_ETOOBIG);
	free(big);
	lms_arena_free(a);
}

/* ---- hostile and broken XML ---- */

static int try_build(lms_arena *a, const char *item_xml, const char *coll, lms_err *err)
{
	lms_seq_item_in items[] = {leaf(0, "x", item_xml)};
	lms_seq_tree *t = NULL;

	lms_err_clear(err);
	return lms_seq_tree_build(LMS_CMI_2004, NULL, coll, items, 1, a, NULL, &t, err);
}

static void hostile_xml(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_err err;
	static const char lol[] =
	        "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\">"
	        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
	        "<imsss:sequencing" NS "><imsss:objectives><imsss:primaryObjective "
	        "objectiveID=\"&b;\"/></imsss:objectives></imsss:sequencing>";
	static const char xxe[] =
	        "<?xml version=\"1.0\"?><!DOCTYPE s SYSTEM \"file:///etc/passwd\">"
	        "<imsss:sequencing" NS "/>";
	static const char doctype[] = "<!DOCTYPE s><imsss:sequencing" NS "/>";

	assert_int_equal(try_build(a, lol, NULL, &err), LMS_EINVAL);
	assert_string_equal(err.code, "sequencing_invalid");
	assert_int_equal(try_build(a, xxe, NULL, &err), LMS_EINVAL);
	assert_int_equal(try_build(a, doctype, NULL, &err), LMS_EINVAL);
	assert_int_equal(try_build(a, "<imsss:sequencing" NS ">", NULL, &err), LMS_EINVAL);
	assert_int_equal(try_build(a, "<imsss:controlMode" NS "/>", NULL, &err), LMS_EINVAL);
	assert_int_equal(try_build(a, SEQREF("nope", ""), NULL, &err), LMS_EINVAL);
	assert_int_equal(try_build(a, SEQREF("nope", ""), lol, &err), LMS_EINVAL);

	/* size, depth, node count */
	size_t big = (size_t)LMS_SEQ_MAX_XML + 100;
	char *x = malloc(big + 1);
	assert_non_null(x);
	int k = snprintf(x, big + 1, "<imsss:sequencing" NS ">");
	memset(x + k, ' ', big - (size_t)k);
	x[big] = '\0';
	assert_int_equal(try_build(a, x, NULL, &err), LMS_ETOOBIG);
	k = snprintf(x, big + 1, "<imsss:sequencing" NS ">");
	for (int i = 0; i < 40; i++)
		k += snprintf(x + k, big + 1 - (size_t)k, "<d>");
	for (int i = 0; i < 40; i++)
		k += snprintf(x + k, big + 1 - (size_t)k, "</d>");
	snprintf(x + k, big + 1 - (size_t)k, "</imsss:sequencing>");
	assert_int_equal(try_build(a, x, NULL, &err), LMS_ETOOBIG);
	k = snprintf(x, big + 1, "<imsss:sequencing" NS ">");
	for (int i = 0; i < 5000; i++)
		k += snprintf(x + k, big + 1 - (size_t)k, "<e/>");
	snprintf(x + k, big + 1 - (size_t)k, "</imsss:sequencing>");
	assert_int_equal(try_build(a, x, NULL, &err), LMS_ETOOBIG);
	free(x);

	/* unknown vocabulary is ignored, not fatal */
	assert_int_equal(try_build(a,
	                           SEQ("<imsss:controlMode choice=\"maybe\" flow=\"true\"/>"
	                               "<imsss:sequencingRules><imsss:preConditionRule>"
	                               "<imsss:ruleConditions><imsss:ruleCondition condition=\"odd\"/>"
	                               "</imsss:ruleConditions><imsss:ruleAction action=\"fly\"/>"
	                               "</imsss:preConditionRule></imsss:sequencingRules>"
	                               "<imsss:randomizationControls reorderChildren=\"true\"/>"),
	                           NULL, &err),
	                 0);

	/* bad trees */
	lms_seq_item_in dup[] = {leaf(0, "a", NULL), leaf(0, "b", NULL)};
	lms_seq_tree *t;
	assert_int_equal(lms_seq_tree_build(LMS_CMI_2004, NULL, NULL, dup, 2, a, NULL, &t, NULL),
	                 LMS_EINVAL);
	lms_seq_item_in orphan[] = {leaf(0, "a", NULL), leaf(1, "b", NULL)};
	orphan[0].parent_ord = 1;
	assert_int_equal(lms_seq_tree_build(LMS_CMI_2004, NULL, NULL, orphan, 2, a, NULL, &t, NULL),
	                 LMS_EINVAL);
	lms_seq_item_in order[] = {leaf(0, "m", NULL), leaf(1, "x", NULL), leaf(2, "late", NULL)};
	order[2].parent_ord = 0; /* a child of m after a top-level sibling */
	assert_int_equal(lms_seq_tree_build(LMS_CMI_2004, NULL, NULL, order, 3, a, NULL, &t, NULL),
	                 LMS_EINVAL);
	assert_int_equal(lms_seq_tree_build(LMS_CMI_2004, NULL, NULL, order, 0, a, NULL, &t, NULL),
	                 LMS_EINVAL);
	lms_arena_free(a);
}

/* ---- the real packages ---- */

static const char *samples_dir(void)
{
	static char dir[4096];
	const char *env = getenv("PARLEARN_SCORM_SAMPLES");
	const char *f = __FILE__, *cut;
	struct stat st;

	if (env && *env && stat(env, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(dir, sizeof(dir), "%s", env);
		return dir;
	}
	cut = strstr(f, "tests/unit/test_sequencing.c");
	if (cut && f[0] == '/') {
		snprintf(dir, sizeof(dir), "%.*s../shared/scorm-samples", (int)(cut - f), f);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return dir;
	}
	return NULL;
}

/* The package's imsmanifest.xml (malloc'd), or NULL when the samples are not there. */
static char *sample_manifest(const char *name, size_t *len)
{
	const char *dir = samples_dir();
	char path[4200];
	zip_t *z;
	zip_stat_t st;
	zip_file_t *zf;
	char *xml;
	int zerr = 0;

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s.zip", dir, name);
	z = zip_open(path, ZIP_RDONLY, &zerr);
	assert_non_null(z);
	assert_int_equal(zip_stat(z, "imsmanifest.xml", 0, &st), 0);
	assert_true(st.size < 8 * 1024 * 1024);
	xml = malloc(st.size + 1);
	assert_non_null(xml);
	zf = zip_fopen(z, "imsmanifest.xml", 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, xml, st.size), (zip_int64_t)st.size);
	zip_fclose(zf);
	zip_discard(z);
	xml[st.size] = '\0';
	*len = st.size;
	return xml;
}

/* Items in document order, as the server will hand them over. */
static void flatten(const lms_mf_item *items, size_t n, int parent, lms_seq_item_in *out,
                    size_t *k, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		const lms_mf_item *it = &items[i];
		lms_seq_item_in *x = &out[*k];
		int ord = (int)*k;

		assert_true(*k < cap);
		memset(x, 0, sizeof(*x));
		x->ord = ord;
		x->parent_ord = parent;
		x->identifier = it->identifier;
		x->title = it->title;
		x->launchable = it->resource && it->resource->href;
		x->asset = it->resource && it->resource->scorm_type &&
		           strcasecmp(it->resource->scorm_type, "asset") == 0;
		x->visible = it->isvisible;
		x->sequencing_xml = it->sequencing_xml;
		x->prerequisites = it->prerequisites;
		x->completion_threshold = it->completion_threshold;
		(*k)++;
		flatten(it->children, it->n_children, ord, out, k, cap);
	}
}

static lms_seq_tree *sample_tree(lms_arena *a, const char *name, size_t *n_items)
{
	lms_seq_item_in items[64];
	lms_manifest *m = NULL;
	lms_seq_tree *t = NULL;
	lms_report rep;
	lms_err err;
	size_t len, k = 0;
	char *xml = sample_manifest(name, &len);

	if (!xml)
		return NULL;
	lms_report_init(&rep, a);
	assert_int_equal(lms_manifest_parse(xml, len, NULL, NULL, a, &rep, &m, &err), 0);
	free(xml);
	flatten(m->default_org->items, m->default_org->n_items, -1, items, &k, N(items));
	lms_err_clear(&err);
	if (lms_seq_tree_build(m->version == LMS_SCORM_12 ? LMS_CMI_12 : LMS_CMI_2004,
	                       m->default_org->sequencing_xml, m->sequencing_collection_xml, items, k,
	                       a, &rep, &t, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	*n_items = k;
	return t;
}

static void real_posttest_rollup_package(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	size_t n;
	lms_seq_tree *t = sample_tree(a, "SequencingPostTestRollup_SCORM20043rdEdition", &n);
	lms_seq_course c;

	if (!t) {
		print_message("SKIPPED: ../shared/scorm-samples not found (set PARLEARN_SCORM_SAMPLES)\n");
		lms_arena_free(a);
		return;
	}
	assert_int_equal(n, 5);
	delivered(nav(t, LMS_NAV_START, 0), 0);
	for (int i = 1; i < 5; i++) {
		assert_false(toc_entry(t, a, i)->choosable);
		report(t, i - 1, "completed", "passed", false, 0, NULL);
		assert_true(toc_entry(t, a, i)->choosable);
		if (i < 4)
			assert_false(toc_entry(t, a, i + 1)->choosable);
		delivered(nav(t, LMS_NAV_CONTINUE, 0), i);
	}
	lms_seq_course_status(t, &c);
	assert_false(c.completion_known);
	report(t, 4, "completed", "passed", true, 0.8, NULL);
	assert_true(nav(t, LMS_NAV_CONTINUE, 0).end_of_course);
	lms_seq_course_status(t, &c);
	assert_true(c.completed);
	assert_true(c.passed);
	assert_true(c.measure > 0.799 && c.measure < 0.801);
	lms_arena_free(a);
}

static void real_nested_12_package(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	size_t n, leaves = 0;
	lms_seq_tree *t = sample_tree(a, "ComplexNestedOrganization_SCORM12", &n);
	lms_seq_toc_entry *e;
	size_t ne;
	lms_seq_outcome o;
	int last = -1;

	if (!t) {
		print_message("SKIPPED: ../shared/scorm-samples not found (set PARLEARN_SCORM_SAMPLES)\n");
		lms_arena_free(a);
		return;
	}
	assert_int_equal(lms_seq_toc(t, a, &e, &ne), 0);
	assert_int_equal(ne, n);
	/* items with children are clusters even when they name a resource (this package's
	 * modules do): only leaves are delivered */
	bool *is_leaf = calloc(ne, sizeof(bool));
	assert_non_null(is_leaf);
	for (size_t i = 0; i < ne; i++)
		is_leaf[i] = e[i].launchable;
	for (size_t i = 0; i < ne; i++)
		if (e[i].parent_ord >= 0)
			is_leaf[e[i].parent_ord] = false;
	for (size_t i = 0; i < ne; i++)
		leaves += is_leaf[i];
	assert_int_equal(leaves, 6);
	/* flow visits every launchable item once, in document order, skipping containers */
	o = nav(t, LMS_NAV_START, 0);
	for (size_t i = 0; i < leaves; i++) {
		lms_seq_sco_result r = {0};
		assert_null(o.refused);
		assert_true(o.deliver_ord > last);
		assert_true(is_leaf[o.deliver_ord]);
		last = o.deliver_ord;
		r.lesson_status = "completed";
		assert_int_equal(lms_seq_report(t, o.deliver_ord, &r, NULL), 0);
		o = nav(t, LMS_NAV_CONTINUE, 0);
	}
	assert_true(o.end_of_course);
	free(is_leaf);
	lms_seq_course c;
	lms_seq_course_status(t, &c);
	assert_true(c.completed);
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(golf_posttest_rollup),
	        cmocka_unit_test(linear_forward_only),
	        cmocka_unit_test(defaults_no_flow),
	        cmocka_unit_test(attempt_limit_one),
	        cmocka_unit_test(skip_rule),
	        cmocka_unit_test(disabled_until_global),
	        cmocka_unit_test(exit_all_post_condition),
	        cmocka_unit_test(choice_constraints),
	        cmocka_unit_test(suspend_resume),
	        cmocka_unit_test(rollup_rules_and_measure),
	        cmocka_unit_test(prerequisites_12),
	        cmocka_unit_test(prerequisites_broken),
	        cmocka_unit_test(complete_12),
	        cmocka_unit_test(request_of),
	        cmocka_unit_test(damaged_state),
	        cmocka_unit_test(hostile_xml),
	        cmocka_unit_test(real_posttest_rollup_package),
	        cmocka_unit_test(real_nested_12_package),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
