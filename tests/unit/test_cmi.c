/* test_cmi.c — the SCORM run-time data model checks of lms-core (cmi.h): a table of
 * SetValue calls for SCORM 1.2 and 2004 (examples from the standards, boundaries, unknown
 * elements, read-only and write-only elements, keywords, index order and dependency rules),
 * length limits counted in characters, GetValue readability, and the time parsers with
 * their round trips. */
#include "support.h"

#include "lms/cmi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The attempt every table row is checked against:
 *   interactions 0: no id yet; 1: id, no type; 2..11: id and type true-false .. other,
 *   each with one objective and one correct response;
 *   objectives 0: id set; 1: no id; one comment from the learner. */
static lms_cmi_interaction_state inter[12];
static const lms_cmi_objective_state obj[2] = {{true}, {false}};
static lms_cmi_counts counts = {12, inter, 2, obj, 1};

static int setup(void **state)
{
	(void)state;
	memset(inter, 0, sizeof inter);
	inter[1].has_id = true;
	for (int i = 2; i < 12; i++) {
		inter[i].has_id = true;
		inter[i].type = (lms_cmi_itype)(i - 1);
		inter[i].objectives = 1;
		inter[i].correct_responses = 1;
	}
	return 0;
}

struct row {
	lms_cmi_version v;
	const char *element, *value;
	int expect; /* 0, or the SCORM error number */
};

#define V12 LMS_CMI_12
#define V04 LMS_CMI_2004

static const struct row rows[] = {
	/* ---- SCORM 1.2: cmi.core ---- */
	{V12, "cmi.core.lesson_location", "page-3", 0},
	{V12, "cmi.core.lesson_location", "", 0},
	{V12, "cmi.core.lesson_status", "passed", 0},
	{V12, "cmi.core.lesson_status", "completed", 0},
	{V12, "cmi.core.lesson_status", "failed", 0},
	{V12, "cmi.core.lesson_status", "incomplete", 0},
	{V12, "cmi.core.lesson_status", "browsed", 0},
	{V12, "cmi.core.lesson_status", "not attempted", 405},
	{V12, "cmi.core.lesson_status", "Passed", 405},
	{V12, "cmi.core.lesson_status", "", 405},
	{V12, "cmi.core.lesson_status", "unknown", 405},
	{V12, "cmi.core.score.raw", "0", 0},
	{V12, "cmi.core.score.raw", "100", 0},
	{V12, "cmi.core.score.raw", "85.5", 0},
	{V12, "cmi.core.score.raw", "", 0},
	{V12, "cmi.core.score.raw", "-1", 405},
	{V12, "cmi.core.score.raw", "100.01", 405},
	{V12, "cmi.core.score.raw", "abc", 405},
	{V12, "cmi.core.score.raw", "1e2", 405},
	{V12, "cmi.core.score.raw", " 5", 405},
	{V12, "cmi.core.score.raw", ".5", 405},
	{V12, "cmi.core.score.min", "0", 0},
	{V12, "cmi.core.score.max", "100", 0},
	{V12, "cmi.core.score.max", "101", 405},
	{V12, "cmi.core.exit", "time-out", 0},
	{V12, "cmi.core.exit", "suspend", 0},
	{V12, "cmi.core.exit", "logout", 0},
	{V12, "cmi.core.exit", "", 0},
	{V12, "cmi.core.exit", "normal", 405},
	{V12, "cmi.core.session_time", "0000:00:00.00", 0},
	{V12, "cmi.core.session_time", "00:00:00", 0},
	{V12, "cmi.core.session_time", "12:34:56.7", 0},
	{V12, "cmi.core.session_time", "9999:59:59.99", 0},
	{V12, "cmi.core.session_time", "9999:99:99.99", 405},
	{V12, "cmi.core.session_time", "10000:00:00", 405},
	{V12, "cmi.core.session_time", "0:00:00", 405},
	{V12, "cmi.core.session_time", "00:00:00.123", 405},
	{V12, "cmi.core.session_time", "PT1H", 405},
	{V12, "cmi.core.session_time", "", 405},
	{V12, "cmi.core.student_id", "x", 403},
	{V12, "cmi.core.student_name", "x", 403},
	{V12, "cmi.core.credit", "credit", 403},
	{V12, "cmi.core.entry", "resume", 403},
	{V12, "cmi.core.total_time", "0000:00:00", 403},
	{V12, "cmi.core.lesson_mode", "normal", 403},
	{V12, "cmi.launch_data", "x", 403},
	{V12, "cmi.comments_from_lms", "x", 403},
	{V12, "cmi.student_data.mastery_score", "80", 403},
	{V12, "cmi.student_data.max_time_allowed", "00:10:00", 403},
	{V12, "cmi.student_data.time_limit_action", "exit,message", 403},
	/* keywords */
	{V12, "cmi._version", "3.4", 402},
	{V12, "cmi.core._children", "x", 402},
	{V12, "cmi.core.score._children", "x", 402},
	{V12, "cmi.objectives._count", "1", 402},
	{V12, "cmi.interactions._count", "1", 402},
	{V12, "cmi.interactions._children", "id", 402},
	{V12, "cmi.interactions.0.objectives._count", "0", 402},
	{V12, "cmi.interactions.0.correct_responses._count", "0", 402},
	{V12, "cmi.student_preference._children", "x", 402},
	{V12, "cmi.core.lesson_status._children", "x", 202},
	{V12, "cmi.core._count", "1", 203},
	{V12, "cmi.suspend_data._count", "1", 203},
	/* unknown elements */
	{V12, "cmi.core.lesson_statuss", "passed", 201},
	{V12, "cmi.core", "x", 201},
	{V12, "cmi", "x", 201},
	{V12, "", "x", 201},
	{V12, "cmi.completion_status", "completed", 201},
	{V12, "cmi.session_time", "PT1S", 201},
	{V12, "adl.nav.request", "continue", 201},
	{V12, "cmi.core.lesson_status.", "passed", 201},
	{V12, ".cmi.core.lesson_status", "passed", 201},
	{V12, "CMI.CORE.LESSON_STATUS", "passed", 201},
	/* suspend data, comments, preferences */
	{V12, "cmi.suspend_data", "", 0},
	{V12, "cmi.suspend_data", "a=1;b=2", 0},
	{V12, "cmi.comments", "Hay qu\xC3\xA1", 0},
	{V12, "cmi.comments", "bad \xC3", 405},
	{V12, "cmi.student_preference.audio", "-1", 0},
	{V12, "cmi.student_preference.audio", "100", 0},
	{V12, "cmi.student_preference.audio", "101", 405},
	{V12, "cmi.student_preference.audio", "-2", 405},
	{V12, "cmi.student_preference.audio", "1.5", 405},
	{V12, "cmi.student_preference.speed", "-100", 0},
	{V12, "cmi.student_preference.speed", "100", 0},
	{V12, "cmi.student_preference.speed", "-101", 405},
	{V12, "cmi.student_preference.text", "-1", 0},
	{V12, "cmi.student_preference.text", "0", 0},
	{V12, "cmi.student_preference.text", "1", 0},
	{V12, "cmi.student_preference.text", "2", 405},
	{V12, "cmi.student_preference.text", "", 405},
	{V12, "cmi.student_preference.language", "vi", 0},
	/* objectives */
	{V12, "cmi.objectives.0.id", "obj-1", 0},
	{V12, "cmi.objectives.2.id", "obj-3", 0},
	{V12, "cmi.objectives.3.id", "obj-4", 201},
	{V12, "cmi.objectives.0.id", "", 405},
	{V12, "cmi.objectives.0.id", "has space", 405},
	{V12, "cmi.objectives.1.score.raw", "50", 0},
	{V12, "cmi.objectives.2.score.raw", "50", 0},
	{V12, "cmi.objectives.0.score.raw", "150", 405},
	{V12, "cmi.objectives.0.score.min", "", 0},
	{V12, "cmi.objectives.0.status", "not attempted", 0},
	{V12, "cmi.objectives.0.status", "passed", 0},
	{V12, "cmi.objectives.0.status", "done", 405},
	{V12, "cmi.objectives.0.score._children", "x", 402},
	{V12, "cmi.objectives.01.id", "x", 201},
	{V12, "cmi.objectives.-1.id", "x", 201},
	{V12, "cmi.objectives.n.id", "x", 201},
	{V12, "cmi.objectives.99999999999999999999.id", "x", 201},
	/* interactions: write-only in 1.2, no dependency rules */
	{V12, "cmi.interactions.0.id", "q1", 0},
	{V12, "cmi.interactions.12.id", "q13", 0},
	{V12, "cmi.interactions.13.id", "q14", 201},
	{V12, "cmi.interactions.12.type", "choice", 0},
	{V12, "cmi.interactions.0.type", "true-false", 0},
	{V12, "cmi.interactions.0.type", "long-fill-in", 405},
	{V12, "cmi.interactions.0.type", "other", 405},
	{V12, "cmi.interactions.0.time", "09:30:00", 0},
	{V12, "cmi.interactions.0.time", "23:59:59.99", 0},
	{V12, "cmi.interactions.0.time", "24:00:00", 405},
	{V12, "cmi.interactions.0.time", "9:30:00", 405},
	{V12, "cmi.interactions.0.weighting", "1.5", 0},
	{V12, "cmi.interactions.0.weighting", "-2", 0},
	{V12, "cmi.interactions.0.weighting", "x", 405},
	{V12, "cmi.interactions.0.result", "correct", 0},
	{V12, "cmi.interactions.0.result", "wrong", 0},
	{V12, "cmi.interactions.0.result", "unanticipated", 0},
	{V12, "cmi.interactions.0.result", "neutral", 0},
	{V12, "cmi.interactions.0.result", "0.75", 0},
	{V12, "cmi.interactions.0.result", "incorrect", 405},
	{V12, "cmi.interactions.0.latency", "00:00:05.5", 0},
	{V12, "cmi.interactions.0.latency", "PT5S", 405},
	{V12, "cmi.interactions.0.objectives.0.id", "obj-1", 0},
	{V12, "cmi.interactions.0.objectives.1.id", "obj-1", 201},
	{V12, "cmi.interactions.2.objectives.1.id", "obj-2", 0},
	{V12, "cmi.interactions.2.objectives.2.id", "obj-3", 201},
	{V12, "cmi.interactions.2.student_response", "t", 0},
	{V12, "cmi.interactions.2.student_response", "0", 0},
	{V12, "cmi.interactions.2.student_response", "1", 0},
	{V12, "cmi.interactions.2.student_response", "true", 405},
	{V12, "cmi.interactions.2.correct_responses.0.pattern", "f", 0},
	{V12, "cmi.interactions.2.correct_responses.1.pattern", "f", 0},
	{V12, "cmi.interactions.2.correct_responses.2.pattern", "f", 201},
	{V12, "cmi.interactions.3.student_response", "a,b,c", 0},
	{V12, "cmi.interactions.3.student_response", "{a,b}", 0},
	{V12, "cmi.interactions.3.student_response", "a", 0},
	{V12, "cmi.interactions.3.student_response", "a,,b", 405},
	{V12, "cmi.interactions.3.student_response", "A", 405},
	{V12, "cmi.interactions.9.student_response", "3", 0},
	{V12, "cmi.interactions.9.student_response", "34", 405},
	{V12, "cmi.interactions.10.student_response", "3.25", 0},
	{V12, "cmi.interactions.10.student_response", "three", 405},
	{V12, "cmi.interactions.4.student_response", "Ha Noi", 0},
	{V12, "cmi.interactions.0.student_response", "anything at all", 0},
	{V12, "cmi.interactions.0.student_response", "bad \xFF", 405},
	{V12, "cmi.interactions.0.id", "bad id", 405},

	/* ---- SCORM 2004 4th edition ---- */
	{V04, "cmi.completion_status", "completed", 0},
	{V04, "cmi.completion_status", "incomplete", 0},
	{V04, "cmi.completion_status", "not attempted", 0},
	{V04, "cmi.completion_status", "unknown", 0},
	{V04, "cmi.completion_status", "passed", 406},
	{V04, "cmi.completion_status", "", 406},
	{V04, "cmi.success_status", "passed", 0},
	{V04, "cmi.success_status", "failed", 0},
	{V04, "cmi.success_status", "unknown", 0},
	{V04, "cmi.success_status", "completed", 406},
	{V04, "cmi.exit", "time-out", 0},
	{V04, "cmi.exit", "suspend", 0},
	{V04, "cmi.exit", "logout", 0},
	{V04, "cmi.exit", "normal", 0},
	{V04, "cmi.exit", "", 0},
	{V04, "cmi.exit", "quit", 406},
	{V04, "cmi.score.scaled", "-1", 0},
	{V04, "cmi.score.scaled", "1", 0},
	{V04, "cmi.score.scaled", "1.0", 0},
	{V04, "cmi.score.scaled", "0.8765432", 0},
	{V04, "cmi.score.scaled", "1.0000001", 407},
	{V04, "cmi.score.scaled", "-1.0000001", 407},
	{V04, "cmi.score.scaled", "2", 407},
	{V04, "cmi.score.scaled", "abc", 406},
	{V04, "cmi.score.scaled", "", 406},
	{V04, "cmi.score.scaled", "1e0", 406},
	{V04, "cmi.score.scaled", "+1", 406},
	{V04, "cmi.score.raw", "-500.5", 0},
	{V04, "cmi.score.raw", "1000000", 0},
	{V04, "cmi.score.min", "0", 0},
	{V04, "cmi.score.max", "100", 0},
	{V04, "cmi.score.max", "", 406},
	{V04, "cmi.progress_measure", "0", 0},
	{V04, "cmi.progress_measure", "1", 0},
	{V04, "cmi.progress_measure", "0.5", 0},
	{V04, "cmi.progress_measure", "-0.1", 407},
	{V04, "cmi.progress_measure", "1.1", 407},
	{V04, "cmi.session_time", "PT1H30M", 0},
	{V04, "cmi.session_time", "PT0S", 0},
	{V04, "cmi.session_time", "P1Y2M3DT4H5M6.78S", 0},
	{V04, "cmi.session_time", "PT1.5S", 0},
	{V04, "cmi.session_time", "P1D", 0},
	{V04, "cmi.session_time", "P", 406},
	{V04, "cmi.session_time", "PT", 406},
	{V04, "cmi.session_time", "P1DT", 406},
	{V04, "cmi.session_time", "PT1H1H", 406},
	{V04, "cmi.session_time", "PT1M1H", 406},
	{V04, "cmi.session_time", "P1H", 406},
	{V04, "cmi.session_time", "-PT1S", 406},
	{V04, "cmi.session_time", "PT1,5S", 406},
	{V04, "cmi.session_time", "PT.5S", 406},
	{V04, "cmi.session_time", "00:00:10", 406},
	{V04, "cmi.session_time", "", 406},
	{V04, "cmi.total_time", "PT1S", 404},
	{V04, "cmi.location", "", 0},
	{V04, "cmi.location", "chapter-2/page-7", 0},
	{V04, "cmi.suspend_data", "", 0},
	{V04, "cmi.launch_data", "x", 404},
	{V04, "cmi.learner_id", "x", 404},
	{V04, "cmi.learner_name", "x", 404},
	{V04, "cmi.credit", "credit", 404},
	{V04, "cmi.entry", "resume", 404},
	{V04, "cmi.mode", "normal", 404},
	{V04, "cmi.completion_threshold", "0.5", 404},
	{V04, "cmi.scaled_passing_score", "0.5", 404},
	{V04, "cmi.max_time_allowed", "PT1H", 404},
	{V04, "cmi.time_limit_action", "exit,message", 404},
	{V04, "cmi.comments_from_lms.0.comment", "x", 404},
	{V04, "cmi.comments_from_lms.0.location", "x", 404},
	{V04, "cmi.comments_from_lms.0.timestamp", "2020", 404},
	{V04, "adl.nav.request_valid.continue", "true", 404},
	{V04, "adl.nav.request_valid.previous", "true", 404},
	{V04, "adl.nav.request_valid.choice.{target=sco.1}", "true", 404},
	{V04, "adl.nav.request_valid.jump.{target=sco-1}", "true", 404},
	{V04, "adl.nav.request_valid.choice.{target=}", "true", 401},
	/* keywords are read-only in 2004 */
	{V04, "cmi._version", "1.0", 404},
	{V04, "cmi.score._children", "x", 404},
	{V04, "cmi.interactions._count", "1", 404},
	{V04, "cmi.interactions._children", "x", 404},
	{V04, "cmi.objectives._count", "1", 404},
	{V04, "cmi.objectives._children", "x", 404},
	{V04, "cmi.objectives.0.score._children", "x", 404},
	{V04, "cmi.interactions.0.objectives._count", "1", 404},
	{V04, "cmi.interactions.0.correct_responses._count", "1", 404},
	{V04, "cmi.learner_preference._children", "x", 404},
	{V04, "cmi.comments_from_learner._count", "1", 404},
	{V04, "cmi.comments_from_lms._children", "x", 404},
	{V04, "cmi.location._children", "x", 401},
	{V04, "cmi.score._count", "x", 401},
	/* unknown elements */
	{V04, "cmi.core.lesson_status", "passed", 401},
	{V04, "cmi.core.score.raw", "5", 401},
	{V04, "cmi.suspend_data.x", "a", 401},
	{V04, "cmi.foo", "a", 401},
	{V04, "", "a", 401},
	{V04, "adl.nav.request_valid", "x", 401},
	{V04, "cmi.student_preference.audio", "1", 401},
	{V04, "cmi.interactions.0.student_response", "x", 401},
	/* learner preferences */
	{V04, "cmi.learner_preference.audio_level", "0", 0},
	{V04, "cmi.learner_preference.audio_level", "2.5", 0},
	{V04, "cmi.learner_preference.audio_level", "-0.1", 407},
	{V04, "cmi.learner_preference.delivery_speed", "1", 0},
	{V04, "cmi.learner_preference.delivery_speed", "-1", 407},
	{V04, "cmi.learner_preference.audio_captioning", "-1", 0},
	{V04, "cmi.learner_preference.audio_captioning", "0", 0},
	{V04, "cmi.learner_preference.audio_captioning", "1", 0},
	{V04, "cmi.learner_preference.audio_captioning", "2", 406},
	{V04, "cmi.learner_preference.language", "vi", 0},
	{V04, "cmi.learner_preference.language", "en-US", 0},
	{V04, "cmi.learner_preference.language", "", 0},
	{V04, "cmi.learner_preference.language", "i-klingon", 0},
	{V04, "cmi.learner_preference.language", "x-a-b", 0},
	{V04, "cmi.learner_preference.language", "e", 406},
	{V04, "cmi.learner_preference.language", "engl", 406},
	{V04, "cmi.learner_preference.language", "en-", 406},
	{V04, "cmi.learner_preference.language", "en-toolongsub", 406},
	/* navigation requests */
	{V04, "adl.nav.request", "continue", 0},
	{V04, "adl.nav.request", "previous", 0},
	{V04, "adl.nav.request", "exit", 0},
	{V04, "adl.nav.request", "exitAll", 0},
	{V04, "adl.nav.request", "abandon", 0},
	{V04, "adl.nav.request", "abandonAll", 0},
	{V04, "adl.nav.request", "suspendAll", 0},
	{V04, "adl.nav.request", "_none_", 0},
	{V04, "adl.nav.request", "{target=sco-2}choice", 0},
	{V04, "adl.nav.request", "{target=urn:adl:sco.2}jump", 0},
	{V04, "adl.nav.request", "choice", 406},
	{V04, "adl.nav.request", "{target=}choice", 406},
	{V04, "adl.nav.request", "{target=a b}choice", 406},
	{V04, "adl.nav.request", "{target=x}continue", 406},
	{V04, "adl.nav.request", "start", 406},
	{V04, "adl.nav.request", "resumeAll", 406},
	{V04, "adl.nav.request", "Continue", 406},
	/* comments from the learner */
	{V04, "cmi.comments_from_learner.0.comment", "{lang=vi}R\xE1\xBA\xA5t hay", 0},
	{V04, "cmi.comments_from_learner.1.comment", "new", 0},
	{V04, "cmi.comments_from_learner.2.comment", "gap", 351},
	{V04, "cmi.comments_from_learner.0.comment", "{lang=}x", 406},
	{V04, "cmi.comments_from_learner.0.comment", "{lang=en", 406},
	{V04, "cmi.comments_from_learner.0.location", "p3", 0},
	{V04, "cmi.comments_from_learner.0.timestamp", "2025-03-01T10:00:00", 0},
	{V04, "cmi.comments_from_learner.0.timestamp", "2025-02-29", 406},
	/* objectives: index order (351) and id first (408) */
	{V04, "cmi.objectives.0.id", "obj-1", 0},
	{V04, "cmi.objectives.2.id", "obj-3", 0},
	{V04, "cmi.objectives.3.id", "obj-4", 351},
	{V04, "cmi.objectives.3.success_status", "passed", 351},
	{V04, "cmi.objectives.0.id", "", 406},
	{V04, "cmi.objectives.0.id", "a b", 406},
	{V04, "cmi.objectives.0.id", "urn:adl:obj-1", 0},
	{V04, "cmi.objectives.0.id", "urn::x", 406},
	{V04, "cmi.objectives.0.id", "urn:adl:", 406},
	{V04, "cmi.objectives.0.success_status", "passed", 0},
	{V04, "cmi.objectives.1.success_status", "passed", 408},
	{V04, "cmi.objectives.2.success_status", "passed", 408},
	{V04, "cmi.objectives.1.score.scaled", "2", 408},
	{V04, "cmi.objectives.0.completion_status", "completed", 0},
	{V04, "cmi.objectives.0.completion_status", "done", 406},
	{V04, "cmi.objectives.0.score.scaled", "0.5", 0},
	{V04, "cmi.objectives.0.score.scaled", "1.5", 407},
	{V04, "cmi.objectives.0.score.raw", "12", 0},
	{V04, "cmi.objectives.0.score.min", "0", 0},
	{V04, "cmi.objectives.0.score.max", "20", 0},
	{V04, "cmi.objectives.0.progress_measure", "1", 0},
	{V04, "cmi.objectives.0.progress_measure", "1.5", 407},
	{V04, "cmi.objectives.0.description", "{lang=en}Find the area", 0},
	{V04, "cmi.objectives.0.description", "plain", 0},
	/* interactions: order, id first, type before responses */
	{V04, "cmi.interactions.0.id", "q1", 0},
	{V04, "cmi.interactions.12.id", "q13", 0},
	{V04, "cmi.interactions.13.id", "q14", 351},
	{V04, "cmi.interactions.12.type", "choice", 408},
	{V04, "cmi.interactions.0.type", "choice", 408},
	{V04, "cmi.interactions.0.timestamp", "2025-01-01", 408},
	{V04, "cmi.interactions.0.objectives.0.id", "obj-1", 408},
	{V04, "cmi.interactions.1.type", "choice", 0},
	{V04, "cmi.interactions.1.type", "long-fill-in", 0},
	{V04, "cmi.interactions.1.type", "other", 0},
	{V04, "cmi.interactions.1.type", "essay", 406},
	{V04, "cmi.interactions.1.learner_response", "a", 408},
	{V04, "cmi.interactions.1.correct_responses.0.pattern", "a", 408},
	{V04, "cmi.interactions.1.objectives.0.id", "obj-1", 0},
	{V04, "cmi.interactions.1.objectives.1.id", "obj-1", 351},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08:30:00.25Z", 0},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08:30:00+07:00", 0},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08:30:00.5-05", 0},
	{V04, "cmi.interactions.1.timestamp", "2025", 0},
	{V04, "cmi.interactions.1.timestamp", "2025-06", 0},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08", 0},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08:30", 0},
	{V04, "cmi.interactions.1.timestamp", "2024-02-29T00:00:00", 0},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T24:00:00", 406},
	{V04, "cmi.interactions.1.timestamp", "2025-13-01", 406},
	{V04, "cmi.interactions.1.timestamp", "2025-04-31", 406},
	{V04, "cmi.interactions.1.timestamp", "1969-12-31", 406},
	{V04, "cmi.interactions.1.timestamp", "2039-01-01", 406},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08:30:00.123", 406},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T08:30:00+7", 406},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15 08:30:00", 406},
	{V04, "cmi.interactions.1.timestamp", "2025-06-15T", 406},
	{V04, "cmi.interactions.1.weighting", "1", 0},
	{V04, "cmi.interactions.1.weighting", "-0.5", 0},
	{V04, "cmi.interactions.1.weighting", "one", 406},
	{V04, "cmi.interactions.1.result", "correct", 0},
	{V04, "cmi.interactions.1.result", "incorrect", 0},
	{V04, "cmi.interactions.1.result", "unanticipated", 0},
	{V04, "cmi.interactions.1.result", "neutral", 0},
	{V04, "cmi.interactions.1.result", "-3.5", 0},
	{V04, "cmi.interactions.1.result", "wrong", 406},
	{V04, "cmi.interactions.1.latency", "PT12.5S", 0},
	{V04, "cmi.interactions.1.latency", "00:00:12", 406},
	{V04, "cmi.interactions.1.description", "{lang=vi-VN}C\xC3\xA2u 1", 0},
	{V04, "cmi.interactions.1.description", "{lang=1x}bad", 406},
	/* learner_response and correct_responses.n.pattern by type (RTE 4.2.9) */
	{V04, "cmi.interactions.2.learner_response", "true", 0},
	{V04, "cmi.interactions.2.learner_response", "false", 0},
	{V04, "cmi.interactions.2.learner_response", "t", 406},
	{V04, "cmi.interactions.2.learner_response", "1", 406},
	{V04, "cmi.interactions.2.correct_responses.0.pattern", "true", 0},
	{V04, "cmi.interactions.2.correct_responses.1.pattern", "false", 351},
	{V04, "cmi.interactions.2.correct_responses.2.pattern", "false", 351},
	{V04, "cmi.interactions.3.learner_response", "a", 0},
	{V04, "cmi.interactions.3.learner_response", "a[,]b[,]c", 0},
	{V04, "cmi.interactions.3.learner_response", "", 0},
	{V04, "cmi.interactions.3.learner_response", "a[,]a", 406},
	{V04, "cmi.interactions.3.learner_response", "a[,]", 406},
	{V04, "cmi.interactions.3.learner_response", "a b", 406},
	{V04, "cmi.interactions.3.correct_responses.0.pattern", "choice1[,]choice2", 0},
	{V04, "cmi.interactions.3.correct_responses.1.pattern", "choice3", 0},
	{V04, "cmi.interactions.3.correct_responses.2.pattern", "choice3", 351},
	{V04, "cmi.interactions.4.learner_response", "Ha Noi", 0},
	{V04, "cmi.interactions.4.learner_response", "{lang=vi}H\xC3\xA0 N\xE1\xBB\x99i[,]Hue", 0},
	{V04, "cmi.interactions.4.learner_response", "", 0},
	{V04, "cmi.interactions.4.learner_response", "{lang=??}x", 406},
	{V04, "cmi.interactions.4.correct_responses.0.pattern",
	 "{case_matters=true}{order_matters=false}red[,]blue", 0},
	{V04, "cmi.interactions.4.correct_responses.0.pattern", "{order_matters=true}red", 0},
	{V04, "cmi.interactions.4.correct_responses.0.pattern", "{case_matters=yes}red", 406},
	{V04, "cmi.interactions.4.correct_responses.0.pattern",
	 "{case_matters=true}{case_matters=true}red", 406},
	{V04, "cmi.interactions.5.learner_response", "A long answer in prose.", 0},
	{V04, "cmi.interactions.5.correct_responses.0.pattern", "{case_matters=false}prose", 0},
	{V04, "cmi.interactions.5.correct_responses.0.pattern", "{order_matters=false}prose", 406},
	{V04, "cmi.interactions.6.learner_response", "1[.]a[,]2[.]c[,]3[.]b", 0},
	{V04, "cmi.interactions.6.learner_response", "1[.]a[,]2", 406},
	{V04, "cmi.interactions.6.learner_response", "1[.][,]2[.]c", 406},
	{V04, "cmi.interactions.6.correct_responses.0.pattern", "tile_1[.]target_2", 0},
	{V04, "cmi.interactions.7.learner_response", "step1[.]inspect[,]step2[.]3.5", 0},
	{V04, "cmi.interactions.7.learner_response", "[.]answer", 0},
	{V04, "cmi.interactions.7.learner_response", "[.]", 406},
	{V04, "cmi.interactions.7.learner_response", "step1", 406},
	{V04, "cmi.interactions.7.correct_responses.0.pattern",
	 "{order_matters=false}step1[.]1[:]5[,]step2[.]ok", 0},
	{V04, "cmi.interactions.7.correct_responses.0.pattern", "{case_matters=true}a[.]b", 406},
	{V04, "cmi.interactions.8.learner_response", "c[,]a[,]b", 0},
	{V04, "cmi.interactions.8.learner_response", "", 406},
	{V04, "cmi.interactions.8.correct_responses.0.pattern", "a[,]b[,]c", 0},
	{V04, "cmi.interactions.9.learner_response", "strongly_agree", 0},
	{V04, "cmi.interactions.9.learner_response", "a[,]b", 406},
	{V04, "cmi.interactions.9.learner_response", "", 406},
	{V04, "cmi.interactions.9.correct_responses.0.pattern", "agree", 0},
	{V04, "cmi.interactions.9.correct_responses.1.pattern", "agree", 351},
	{V04, "cmi.interactions.10.learner_response", "3.14", 0},
	{V04, "cmi.interactions.10.learner_response", "-2", 0},
	{V04, "cmi.interactions.10.learner_response", "1[:]2", 406},
	{V04, "cmi.interactions.10.learner_response", "pi", 406},
	{V04, "cmi.interactions.10.correct_responses.0.pattern", "1.5[:]3", 0},
	{V04, "cmi.interactions.10.correct_responses.0.pattern", "[:]3", 0},
	{V04, "cmi.interactions.10.correct_responses.0.pattern", "1[:]", 0},
	{V04, "cmi.interactions.10.correct_responses.0.pattern", "7", 0},
	{V04, "cmi.interactions.10.correct_responses.0.pattern", "5[:]1", 406},
	{V04, "cmi.interactions.10.correct_responses.0.pattern", "a[:]b", 406},
	{V04, "cmi.interactions.10.correct_responses.1.pattern", "1[:]2", 351},
	{V04, "cmi.interactions.11.learner_response", "anything, at all [.] really", 0},
	{V04, "cmi.interactions.11.learner_response", "", 0},
	{V04, "cmi.interactions.11.correct_responses.0.pattern", "free text", 0},
	{V04, "cmi.interactions.11.correct_responses.1.pattern", "more", 351},
	{V04, "cmi.interactions.11.learner_response", "bad \xC0\xAF", 406},
	/* index syntax */
	{V04, "cmi.interactions.01.id", "q", 401},
	{V04, "cmi.interactions.+1.id", "q", 401},
	{V04, "cmi.interactions..id", "q", 401},
	{V04, "cmi.interactions.1", "q", 401},
	{V04, "cmi.interactions.99999999999999999999.id", "q", 351},
	{V04, "cmi.interactions.1.objectives.0.id.x", "q", 401},
	{V04, "a.b.c.d.e.f.g.h.i.j.k", "q", 401},
};

static void table(void **state)
{
	size_t fails = 0;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		int err = -1;
		int rc = lms_cmi_check_set(r->v, r->element, r->value, &counts, &err);
		if (err != r->expect || rc != (r->expect ? LMS_EINVAL : 0)) {
			fprintf(stderr, "row %zu: %s %s = \"%s\": got %d (rc %d), want %d\n", i,
			        r->v == V12 ? "1.2" : "2004", r->element, r->value, err, rc,
			        r->expect);
			fails++;
		}
	}
	fprintf(stderr, "%zu table rows\n", sizeof rows / sizeof rows[0]);
	assert_int_equal(fails, 0);
}

/* A string of n copies of the UTF-8 character c (malloc'd). */
static char *rep(const char *c, size_t n)
{
	size_t cl = strlen(c);
	char *s = malloc(n * cl + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * cl, c, cl);
	s[n * cl] = '\0';
	return s;
}

static int check(lms_cmi_version v, const char *el, const char *val)
{
	int err = -1;
	int rc = lms_cmi_check_set(v, el, val, &counts, &err);
	assert_int_equal(rc, err ? LMS_EINVAL : 0);
	return err;
}

static void limit(lms_cmi_version v, const char *el, size_t max, int err)
{
	/* "ệ" is 3 bytes: the limits count characters, not bytes */
	const char *chars[] = {"a", "\xE1\xBB\x87"};
	for (int k = 0; k < 2; k++) {
		char *ok = rep(chars[k], max), *over = rep(chars[k], max + 1);
		assert_int_equal(check(v, el, ok), 0);
		assert_int_equal(check(v, el, over), err);
		free(ok);
		free(over);
	}
}

static void length_limits(void **state)
{
	(void)state;
	limit(V12, "cmi.core.lesson_location", 255, 405);
	limit(V12, "cmi.student_preference.language", 255, 405);
	limit(V12, "cmi.comments", 4096, 405);
	limit(V12, "cmi.suspend_data", 64000, 405); /* issue 4: 64,000, not 1.2's 4096 */
	limit(V12, "cmi.interactions.4.student_response", 255, 405);
	limit(V04, "cmi.location", 1000, 406);
	limit(V04, "cmi.suspend_data", 64000, 406);
	limit(V04, "cmi.comments_from_learner.0.comment", 4000, 406);
	limit(V04, "cmi.comments_from_learner.0.location", 250, 406);
	limit(V04, "cmi.interactions.1.description", 250, 406);
	limit(V04, "cmi.objectives.0.description", 250, 406);
	limit(V04, "cmi.interactions.1.id", 4000, 406);
	limit(V04, "cmi.objectives.0.id", 4000, 406);
	limit(V04, "cmi.interactions.5.learner_response", 4000, 406);
	limit(V04, "cmi.interactions.11.learner_response", 4000, 406);
	limit(V04, "cmi.interactions.9.learner_response", 250, 406);

	/* a {lang=..} prefix does not count against the limit */
	{
		char *s = rep("a", 250), *t = malloc(260);
		assert_non_null(t);
		snprintf(t, 260, "{lang=vi}%s", s);
		assert_int_equal(check(V04, "cmi.interactions.1.description", t), 0);
		free(s);
		free(t);
	}
	/* 1 MB of suspend data, as the "Bad input" has it */
	{
		char *s = rep("x", 1000000);
		assert_int_equal(check(V12, "cmi.suspend_data", s), 405);
		assert_int_equal(check(V04, "cmi.suspend_data", s), 406);
		free(s);
	}
	/* CMIIdentifier: 255 characters */
	{
		char *s = rep("i", 255), *t = rep("i", 256);
		assert_int_equal(check(V12, "cmi.objectives.0.id", s), 0);
		assert_int_equal(check(V12, "cmi.objectives.0.id", t), 405);
		free(s);
		free(t);
	}
	/* element names are capped */
	{
		char *s = rep("a", 5000);
		assert_int_equal(check(V12, s, "x"), 201);
		assert_int_equal(check(V04, s, "x"), 401);
		free(s);
	}
}

static void counts_may_be_null(void **state)
{
	int err;
	(void)state;
	assert_int_equal(lms_cmi_check_set(V04, "cmi.interactions.0.id", "q1", NULL, &err), 0);
	assert_int_equal(err, 0);
	assert_int_equal(lms_cmi_check_set(V04, "cmi.interactions.1.id", "q1", NULL, &err),
	                 LMS_EINVAL);
	assert_int_equal(err, 351);
	assert_int_equal(lms_cmi_check_set(V12, "cmi.objectives.1.id", "o", NULL, &err),
	                 LMS_EINVAL);
	assert_int_equal(err, 201);
	assert_int_equal(lms_cmi_check_set(V04, "cmi.objectives.0.score.raw", "1", NULL, &err),
	                 LMS_EINVAL);
	assert_int_equal(err, 408);
	assert_int_equal(lms_cmi_check_set(V04, "cmi.location", "x", NULL, &err), 0);
}

static void readable(void **state)
{
	(void)state;
	assert_true(lms_cmi_readable(V12, "cmi.core.lesson_status"));
	assert_true(lms_cmi_readable(V12, "cmi.core.student_name"));
	assert_true(lms_cmi_readable(V12, "cmi.core._children"));
	assert_true(lms_cmi_readable(V12, "cmi.interactions._count"));
	assert_true(lms_cmi_readable(V12, "cmi.objectives.3.status"));
	assert_false(lms_cmi_readable(V12, "cmi.core.exit"));
	assert_false(lms_cmi_readable(V12, "cmi.core.session_time"));
	assert_false(lms_cmi_readable(V12, "cmi.interactions.0.id"));
	assert_false(lms_cmi_readable(V12, "cmi.interactions.0.student_response"));
	assert_false(lms_cmi_readable(V12, "cmi.completion_status"));
	assert_false(lms_cmi_readable(V12, "cmi.nothing"));
	assert_true(lms_cmi_readable(V04, "cmi.completion_status"));
	assert_true(lms_cmi_readable(V04, "cmi.total_time"));
	assert_true(lms_cmi_readable(V04, "cmi.interactions.0.learner_response"));
	assert_true(lms_cmi_readable(V04, "cmi.interactions.0.id"));
	assert_true(lms_cmi_readable(V04, "cmi._version"));
	assert_true(lms_cmi_readable(V04, "adl.nav.request_valid.choice.{target=a.b}"));
	assert_false(lms_cmi_readable(V04, "cmi.exit"));
	assert_false(lms_cmi_readable(V04, "cmi.session_time"));
	assert_false(lms_cmi_readable(V04, "cmi.core.lesson_status"));
}

static void itype_parse(void **state)
{
	(void)state;
	assert_int_equal(lms_cmi_itype_parse(V04, "true-false"), LMS_CMI_ITYPE_TRUE_FALSE);
	assert_int_equal(lms_cmi_itype_parse(V04, "other"), LMS_CMI_ITYPE_OTHER);
	assert_int_equal(lms_cmi_itype_parse(V12, "other"), LMS_CMI_ITYPE_UNSET);
	assert_int_equal(lms_cmi_itype_parse(V12, "numeric"), LMS_CMI_ITYPE_NUMERIC);
	assert_int_equal(lms_cmi_itype_parse(V04, "Choice"), LMS_CMI_ITYPE_UNSET);
}

static int64_t dur(const char *s)
{
	int64_t cs = -1;
	assert_true(lms_cmi_parse_duration(s, &cs));
	return cs;
}

static int64_t span12(const char *s)
{
	int64_t cs = -1;
	assert_true(lms_cmi_parse_timespan12(s, &cs));
	return cs;
}

static void parsers(void **state)
{
	int64_t cs;
	double d;
	(void)state;
	assert_int_equal(dur("PT0S"), 0);
	assert_int_equal(dur("PT1H30M"), 540000);
	assert_int_equal(dur("PT1.5S"), 150);
	assert_int_equal(dur("PT1.05S"), 105);
	assert_int_equal(dur("PT1.059S"), 105); /* truncated to hundredths */
	assert_int_equal(dur("P1D"), 8640000);
	assert_int_equal(dur("P1M"), 30LL * 8640000);
	assert_int_equal(dur("P1Y"), 365LL * 8640000);
	assert_int_equal(dur("PT90M"), 540000);
	assert_int_equal(dur("P1DT1S"), 8640100);
	assert_false(lms_cmi_parse_duration("P1.5D", &cs));
	assert_false(lms_cmi_parse_duration("PT1.5M", &cs));
	assert_false(lms_cmi_parse_duration("PT1234567890S", &cs));
	assert_false(lms_cmi_parse_duration("P1W", &cs));
	assert_false(lms_cmi_parse_duration("PT1S ", &cs));
	assert_int_equal(dur("P999999999Y999999999M999999999DT999999999H999999999M999999999S"),
	                 INT64_C(999999999) * (365 + 30 + 1) * 8640000 +
	                     INT64_C(999999999) * (360000 + 6000 + 100));

	assert_int_equal(span12("00:00:00"), 0);
	assert_int_equal(span12("01:02:03.4"), 372340);
	assert_int_equal(span12("0001:02:03.45"), 372345);
	assert_int_equal(span12("9999:59:59.99"), INT64_C(3599999999));
	assert_false(lms_cmi_parse_timespan12("00:60:00", &cs));
	assert_false(lms_cmi_parse_timespan12("00:00:60", &cs));
	assert_false(lms_cmi_parse_timespan12("00:00:00.", &cs));
	assert_false(lms_cmi_parse_timespan12("00:0:00", &cs));
	assert_false(lms_cmi_parse_timespan12("-01:00:00", &cs));

	assert_true(lms_cmi_parse_time("1970-01-01T00:00:00Z"));
	assert_true(lms_cmi_parse_time("2038-12-31T23:59:59.99+14:00"));
	assert_true(lms_cmi_parse_time("2000-02-29"));
	assert_false(lms_cmi_parse_time("1900-02-29"));
	assert_false(lms_cmi_parse_time("2100-02-29"));
	assert_false(lms_cmi_parse_time("2025-06-15T08:30:00Z "));
	assert_false(lms_cmi_parse_time("2025-06-15T08:30:00.Z"));

	assert_true(lms_cmi_real("0.1234567", &d));
	assert_true(d > 0.1234566 && d < 0.1234568);
	assert_true(lms_cmi_real("-0", &d));
	assert_false(lms_cmi_real("1.", &d));
	assert_false(lms_cmi_real("-", &d));
	assert_false(lms_cmi_real("NaN", &d));
	assert_false(lms_cmi_real("inf", &d));
	assert_false(lms_cmi_real("0x10", &d));
	assert_false(lms_cmi_real("", &d));
}

static void round_trips(void **state)
{
	static const int64_t values[] = {0, 1, 99, 100, 150, 6000, 359999, 360000, 372345,
	                                 8640000, INT64_C(3599999999), INT64_C(123456789012)};
	char buf[40];
	int64_t back;
	(void)state;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		assert_int_equal(lms_cmi_format_duration(values[i], buf, sizeof buf), 0);
		assert_true(lms_cmi_parse_duration(buf, &back));
		assert_int_equal(back, values[i]);
		assert_int_equal(lms_cmi_format_timespan12(values[i], buf, sizeof buf), 0);
		assert_true(lms_cmi_parse_timespan12(buf, &back));
		if (values[i] <= INT64_C(3599999999))
			assert_int_equal(back, values[i]);
		else
			assert_int_equal(back, INT64_C(3599999999)); /* clamped */
	}
	assert_int_equal(lms_cmi_format_duration(0, buf, sizeof buf), 0);
	assert_string_equal(buf, "PT0H0M0S");
	assert_int_equal(lms_cmi_format_duration(372345, buf, sizeof buf), 0);
	assert_string_equal(buf, "PT1H2M3.45S");
	assert_int_equal(lms_cmi_format_duration(5, buf, sizeof buf), 0);
	assert_string_equal(buf, "PT0H0M0.05S");
	assert_int_equal(lms_cmi_format_timespan12(372345, buf, sizeof buf), 0);
	assert_string_equal(buf, "0001:02:03.45");
	assert_int_equal(lms_cmi_format_timespan12(0, buf, 14), 0);
	assert_int_equal(lms_cmi_format_timespan12(0, buf, 13), LMS_ETOOBIG);
	assert_int_equal(lms_cmi_format_duration(372345, buf, 5), LMS_ETOOBIG);
	assert_int_equal(lms_cmi_format_duration(-1, buf, sizeof buf), LMS_EINVAL);
	assert_int_equal(lms_cmi_format_timespan12(-1, buf, sizeof buf), LMS_EINVAL);
	assert_int_equal(lms_cmi_format_duration(INT64_MAX, buf, 32), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(table, setup),
		cmocka_unit_test_setup(length_limits, setup),
		cmocka_unit_test_setup(counts_may_be_null, setup),
		cmocka_unit_test(readable),
		cmocka_unit_test(itype_parse),
		cmocka_unit_test(parsers),
		cmocka_unit_test(round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
