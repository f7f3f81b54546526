/* runtime.h — an attempt's SCORM run-time state and the rules that change it.
 *
 * The server applies each commit (a batch of SetValue calls the browser's API adapter already
 * answered) to the attempt's stored state, re-checking every call with lms_cmi_check_set
 * (cmi.h); it accumulates cmi.total_time when a session ends and decides how the next session
 * enters. Pure functions: no I/O, no database, no global state; every output lives in the
 * caller's arena. Storage (the current state row, the append-only log) is the caller's.
 */
#ifndef LMS_RUNTIME_H
#define LMS_RUNTIME_H

#include "lms/arena.h"
#include "lms/cmi.h"
#include "lms/error.h"

#include <stddef.h>
#include <stdint.h>

/* Limits of one attempt's state. A change that would pass either is refused like any invalid
 * SetValue, with the general error (1.2: 101, 2004: 351); a stored state over them does not
 * load (LMS_ETOOBIG). */
#define LMS_RT_MAX_PAIRS 20000          /* elements with a value */
#define LMS_RT_MAX_BYTES (4u << 20)     /* sum of strlen(element) + strlen(value) */

/* One element and its value (both NUL-terminated). */
typedef struct lms_rt_pair {
	const char *element;
	const char *value;
} lms_rt_pair;

/* One SetValue of a commit, in the order the SCO called it. */
typedef lms_rt_pair lms_rt_change;

/* An attempt's run-time state: pairs sorted by strcmp of element, each element at most once,
 * and the counts derived from them (what lms_cmi_check_set needs):
 *   cmi.interactions._count     = highest n of any cmi.interactions.n.* pair, + 1 (else 0);
 *     interaction[n].has_id     = a cmi.interactions.n.id pair exists;
 *     interaction[n].type       = lms_cmi_itype_parse of cmi.interactions.n.type, or UNSET;
 *     interaction[n].objectives = highest m of cmi.interactions.n.objectives.m.id, + 1;
 *     interaction[n].correct_responses = highest m of ...correct_responses.m.pattern, + 1;
 *   cmi.objectives._count       = highest n of any cmi.objectives.n.* pair, + 1;
 *     objective[n].has_id       = a cmi.objectives.n.id pair exists;
 *   comments_from_learner       = highest n of cmi.comments_from_learner.n.* (2004), + 1.
 * Treat as read-only; build one with lms_rt_state_load (or a zeroed struct for an empty state). */
typedef struct lms_rt_state {
	const lms_rt_pair *pairs;
	size_t n;
	size_t bytes;           /* sum of strlen(element) + strlen(value) */
	lms_cmi_counts counts;
} lms_rt_state;

/* Builds *out from pairs in any order (e.g. rows read from storage), copying the strings into
 * a. Returns 0; LMS_EINVAL when an element appears twice or cmi.interactions, cmi.objectives
 * or cmi.comments_from_learner has a gap (an index n present while some index below it has
 * no pair: the validator's order rule makes that impossible, so the stored state is damaged;
 * the nested interactions.n.objectives / correct_responses are only bounded by the number of
 * pairs, not gap-checked); LMS_ETOOBIG over LMS_RT_MAX_PAIRS or
 * LMS_RT_MAX_BYTES. Values are not re-validated. *out is set only on success. */
int lms_rt_state_load(lms_cmi_version v, const lms_rt_pair *pairs, size_t n, lms_arena *a,
                      lms_rt_state *out, lms_err *err);

/* The value of element in st, or NULL when it has none (binary search, borrowed). */
const char *lms_rt_get(const lms_rt_state *st, const char *element);

/* Applies a commit: changes[0..n) in order, each checked by lms_cmi_check_set against the
 * counts as the earlier changes of the same batch left them (so interactions.0.id then
 * interactions.0.type in one batch is valid). Beyond the validator, for 2004:
 *   - cmi.interactions.n.id and cmi.objectives.n.id, once set, may only be set again to the
 *     same value (a different one: 351);
 *   - a cmi.objectives.n.id equal to the id of another objective m != n: 351;
 *   - a cmi.interactions.n.objectives.m.id equal to another of that interaction's: 351.
 * (SCORM 1.2 has none of these rules: its ids may be rewritten.) A change over the limits
 * above is refused with the general error. results[i] is 0 for an applied change, else the
 * SCORM error number (what SetValue returned); refused changes are skipped and the others
 * still apply. An applied change replaces the element's value or adds the pair.
 * *next (strings and arrays in a; cur is not changed and may be a zeroed struct) is the state
 * after the batch. Returns 0 (a batch with refused changes is still a success), or
 * LMS_EINVAL when v is neither version. */
int lms_rt_apply(lms_cmi_version v, const lms_rt_state *cur, const lms_rt_change *changes,
                 size_t n, lms_arena *a, lms_rt_state *next, int *results, lms_err *err);

/* Ends a session (Terminate / LMSFinish): adds the session time (2004 cmi.session_time, ISO
 * 8601 duration; 1.2 cmi.core.session_time, HHHH:MM:SS.SS) to the attempt's total (2004
 * cmi.total_time written by lms_cmi_format_duration; 1.2 cmi.core.total_time written by
 * lms_cmi_format_timespan12, which saturates at 9999:59:59.99) and removes the session-time
 * pair, so finishing the same state twice adds nothing the second time. No session time:
 * adds 0 (and still writes the total: "PT0S" / "0000:00:00.00" on a first session).
 * *session_cs gets the session's hundredths of a second (may be NULL). Returns 0, or
 * LMS_EINVAL when a stored session or total time does not parse (damaged state). */
int lms_rt_finish(lms_cmi_version v, const lms_rt_state *cur, lms_arena *a,
                  lms_rt_state *next, int64_t *session_cs, lms_err *err);

typedef enum {
	LMS_RT_AB_INITIO = 1,   /* a new attempt: fresh (empty) state, cmi.entry "ab-initio" */
	LMS_RT_RESUME = 2       /* the same attempt: state kept, cmi.entry "resume" */
} lms_rt_entry;

/* How the next session of a learner on this SCO enters, from the state the last session left
 * (after lms_rt_finish; NULL or empty: no previous session):
 *   1.2:  cmi.core.exit "suspend"                                  -> RESUME;
 *         "logout", "time-out", "" or no value                     -> AB_INITIO.
 *   2004: cmi.exit "suspend", or adl.nav.request "suspendAll"      -> RESUME;
 *         "normal", "logout", "time-out", "" or no value          -> AB_INITIO.
 * (SCORM's "" entry for re-entering an ended attempt is not used: an attempt that ended
 * without suspend is over, and the next launch starts a new one.) */
lms_rt_entry lms_rt_next_entry(lms_cmi_version v, const lms_rt_state *last);

/* The state the next session starts from: for RESUME, last without its exit, session-time
 * and adl.nav.request pairs; for AB_INITIO, an empty state. In both, the entry element
 * (1.2 cmi.core.entry, 2004 cmi.entry) is set to "resume" or "ab-initio". The LMS-supplied
 * read-only values (learner id and name, launch_data, mastery score ...) are the caller's to
 * add. *entry (may be NULL) gets lms_rt_next_entry's answer. Returns 0, or LMS_EINVAL when v
 * is neither version. */
int lms_rt_begin(lms_cmi_version v, const lms_rt_state *last, lms_arena *a,
                 lms_rt_state *next, lms_rt_entry *entry, lms_err *err);

#endif
