/* player.h — the learner's side: enrolments, launching a SCO, committing its run-time data,
 * heartbeats and time-on-task, and course completion (docs/player-api.md).
 *
 * The records below are what the store keeps (store.h has the operations); the functions
 * at the end are the player's use cases, each a short sequence of store calls around the
 * pure rules of runtime.h and time_on_task.h. Strings live in the arena passed in. Times are
 * microseconds since the epoch, on the server's clock.
 */
#ifndef LMS_PLAYER_H
#define LMS_PLAYER_H

#include "lms/arena.h"
#include "lms/clock.h"
#include "lms/cmi.h"
#include "lms/error.h"
#include "lms/model.h"
#include "lms/runtime.h"
#include "lms/store.h"
#include "lms/time_on_task.h"

#include <stdbool.h>
#include <stdint.h>

/* A course as the catalogue shows it: its latest version. */
typedef struct lms_catalogue_entry {
	const char *code, *title, *kind;
	int version_no;
	const char *par_area, *audience;
	int training_periods;
	int64_t expected_duration_s, minimum_time_s;
	bool enrolled;
} lms_catalogue_entry;

/* A learner's enrolment with what the pages show of its progress. */
typedef struct lms_enrolment {
	int64_t id, user_id, course_id, version_id;
	const char *course_code, *course_title, *kind;
	int version_no;
	const char *source;          /* "self", "assigned" */
	const char *due_at;          /* "YYYY-MM-DD" or NULL */
	int64_t enrolled_us, started_us, completed_us; /* 0 when not yet */
	int scos_total, scos_done;
	bool has_score;
	double score;                /* the completion's score, else the mean of the SCOs' */
	int passed;                  /* -1 unknown, 0 failed, 1 passed */
	int64_t active_us;           /* server-counted, all launches */
	int64_t minimum_time_s;
	const char *storage_key;
	const char *seq_state;       /* the sequencer's tracking state (sequencing.h) */
	int64_t rev;                 /* guards seq_state */
	const char *org_sequencing_xml, *sequencing_collection_xml;
} lms_enrolment;

/* An item of a version, with what the player needs to launch it. */
typedef struct lms_item {
	int ord, parent_ord;
	const char *identifier, *title;
	const char *href;            /* with parameters joined; NULL for a container */
	bool asset;                  /* adlcp:scormtype asset */
	bool visible;
	const char *mastery_score, *prerequisites, *max_time_allowed, *time_limit_action;
	const char *data_from_lms, *completion_threshold, *sequencing_xml;
} lms_item;

/* The latest attempt of one item, as the course page shows it. */
typedef struct lms_item_status {
	int ord;
	int attempts;
	const char *completion_status, *success_status; /* NULL when unknown */
	bool has_score;
	double score;
	int64_t active_us;
	bool suspended;              /* the latest attempt has not ended (suspended or left open) */
	int64_t last_us;             /* when the latest attempt last changed */
} lms_item_status;

/* The latest attempt of an item with its state (attempt_latest); id 0 when there is none. */
typedef struct lms_attempt_row {
	int64_t id;
	int attempt_no;
	bool ended;
	int64_t rev;
	lms_rt_pair *pairs;
	size_t n_pairs;
} lms_attempt_row;

/* What a launch token opens: the launch, its attempt, state, item and learner. */
typedef struct lms_launch_ctx {
	int64_t launch_id, attempt_id, enrolment_id, user_id, version_id, course_id;
	int item_ord, attempt_no;
	int last_seq;
	bool closed;
	int64_t rev;                 /* the attempt's */
	lms_cmi_version cmi;
	const char *kind;            /* version kind */
	const char *storage_key;
	const lms_rt_pair *pairs;    /* the attempt's stored state, any order */
	size_t n_pairs;
	lms_item item;
	const char *username, *learner_name;
	int64_t opened_us, last_seen_us, minimum_time_s;
	/* time-on-task */
	lms_tot_launch tot;
	int64_t clock_counted_us;    /* the learner's clock (learner_clock) */
} lms_launch_ctx;

/* One commit to write: the new state and its log entry, guarded by the revision read. */
typedef struct lms_rt_write {
	int64_t launch_id, attempt_id, expect_rev;
	int seq_from, seq_to;        /* the batches applied; seq_to is the new last_seq */
	int expect_last_seq;
	int64_t at_us;
	const lms_rt_state *state;
	const char *log_json;        /* [[element, value, error], ...] */
	int refused;
	/* statuses for reports */
	const char *completion_status, *success_status;
	bool has_score;
	double score;
	int64_t total_time_cs;
	/* finish */
	bool finish;
	bool attempt_ended;          /* not suspended: the attempt is over */
	int64_t reported_cs;         /* the content's session_time */
	bool flagged;
} lms_rt_write;

/* A new launch (and, when attempt_id is 0, a new attempt with attempt_no). */
typedef struct lms_launch_in {
	int64_t enrolment_id, user_id, web_session_id;
	int item_ord;
	int64_t attempt_id;          /* 0: create attempt attempt_no */
	int attempt_no;
	int64_t expect_rev;          /* for an existing attempt */
	const lms_rt_state *state;   /* the state the launch starts from */
	unsigned char token_hash[32];
	int64_t at_us;
	const char *seq_state;       /* the enrolment's new sequencing state, or NULL */
	int64_t expect_seq_rev;      /* the enrolment's rev it was read at */
} lms_launch_in;

/* A learning session as the time report shows it. */
typedef struct lms_time_session {
	int64_t id;
	const char *item_identifier, *item_title;
	int attempt_no;
	int64_t opened_us, closed_us, last_seen_us;
	const char *closed_reason;   /* NULL while open */
	int64_t active_us;
	int64_t reported_cs;         /* -1 when the content reported none */
	int beats;
	bool flagged;
} lms_time_session;

typedef struct lms_time_beat {
	int64_t launch_id;
	int n;
	int64_t at_us;
	bool visible;
	int64_t idle_ms, hidden_ms, credited_us;
	const char *reason;
} lms_time_beat;

/* A completion to record (once per enrolment). */
typedef struct lms_completion_in {
	int64_t enrolment_id, user_id, course_id, version_id;
	int64_t at_us;
	int passed;                  /* -1 unknown */
	bool has_score;
	double score;
	int64_t active_s, reported_s;
	const char *evidence_json;
} lms_completion_in;

/* ---- use cases (player.c) ---- */

/* How long a launch may go without a commit or heartbeat before it is closed as timed out. */
#define LMS_LAUNCH_TIMEOUT_US (30LL * 60 * 1000000)

typedef enum {
	LMS_NAV_REQ_START = 1,    /* where the learner left off (resume), else the first item */
	LMS_NAV_REQ_RESUME,       /* the same */
	LMS_NAV_REQ_CHOICE,       /* item_identifier */
	LMS_NAV_REQ_CONTINUE,
	LMS_NAV_REQ_PREVIOUS,
	LMS_NAV_REQ_EXIT,         /* end the current item; nothing is delivered */
	LMS_NAV_REQ_EXIT_ALL,     /* end the course session */
	LMS_NAV_REQ_SUSPEND_ALL   /* suspend the course session, to resume later */
} lms_nav_req;

typedef struct lms_launch_out {
	char token[44];              /* base64url of 32 random bytes; "" when nothing launched */
	const lms_item *item;        /* the delivered item, NULL for exit / exitAll / suspendAll */
	bool new_attempt;
	bool can_previous, can_continue;
	bool ended, suspended;       /* the request ended or suspended the course session */
	lms_enrolment enrolment;
} lms_launch_out;

/* Runs a navigation request for user on a course (docs/sequencing.md): enrols (self) when
 * not enrolled, brings the sequencer up to date with the current item's stored run-time
 * data, navigates, and for a delivered item opens or resumes its attempt and creates the
 * launch, saving the sequencer's state in the same transaction. Refusals: LMS_ECONFLICT
 * "nav_refused" with the sequencer's reason in err->field ("end_of_course", "start_of_course",
 * "prerequisites", "choice_disabled", "flow_disabled", "attempt_limit", "hidden", ...);
 * LMS_ENOTFOUND for the course or the item. */
int lms_player_launch(lms_store *s, const lms_clock *clock, const lms_user *u,
                      int64_t web_session_id, const char *course_code, lms_nav_req nav,
                      const char *item_identifier, lms_arena *a, lms_launch_out *out,
                      lms_err *err);

/* The course page of an enrolment: the table of contents as the sequencer sees it. */
typedef struct lms_toc_item {
	const lms_item *item;
	int depth;
	bool choosable;              /* the learner may open it now */
	const char *refused;         /* why not, or NULL */
	const char *status;          /* "not_attempted", "incomplete", "completed", "passed",
	                                "failed", "browsed" */
	bool current, suspended;
} lms_toc_item;

typedef struct lms_course_page {
	lms_toc_item *toc;
	size_t n;
	bool can_continue, can_previous, has_suspended;
	int current_ord;             /* -1 when none */
	const char *course_status;   /* the rolled-up status of the whole course */
} lms_course_page;

int lms_player_course_page(lms_store *s, const lms_enrolment *e, lms_arena *a,
                           lms_course_page *out, lms_err *err);

/* The course page of the enrolment a launch belongs to (for the launcher's
 * adl.nav.request_valid values). */
int lms_player_launch_page(lms_store *s, const lms_launch_ctx *ctx, lms_arena *a,
                           lms_course_page *out, lms_err *err);

/* The initial run-time data of a launch: the stored state plus the LMS-supplied values. */
int lms_player_init(const lms_launch_ctx *ctx, lms_arena *a, lms_rt_pair **pairs, size_t *n,
                    lms_err *err);

typedef struct lms_commit_batch {
	int seq;
	const lms_rt_change *changes;
	size_t n;
} lms_commit_batch;

typedef struct lms_commit_refusal {
	int seq, index;
	const char *element;
	int error;
} lms_commit_refusal;

typedef struct lms_commit_out {
	int acked;                   /* the last seq applied */
	lms_commit_refusal *refused;
	size_t n_refused;
	bool finished;
	bool duplicate;              /* every batch had been applied before */
	const char *nav_request;     /* 2004 adl.nav.request at finish, or NULL */
	int expected;                /* on a gap (LMS_ECONFLICT "seq_gap"): the seq wanted */
} lms_commit_out;

/* Applies commit batches for the launch whose token hashes to token_hash (see
 * docs/player-api.md): skips batches already applied, refuses a gap (LMS_ECONFLICT
 * "seq_gap", out->expected), re-checks every change, writes state + log in one statement,
 * retrying on a concurrent writer. finish: adds the session time to the total, closes the
 * launch and evaluates completion. LMS_EUNAUTH "launch_unknown", LMS_ECONFLICT "launch_closed". */
int lms_player_commit(lms_store *s, const lms_clock *clock, const unsigned char token_hash[32],
                      const lms_commit_batch *batches, size_t n_batches, bool finish,
                      lms_arena *a, lms_commit_out *out, lms_err *err);

/* Records a heartbeat (time_on_task.h rules). LMS_ETHROTTLED "too_many_heartbeats" within
 * LMS_TOT_MIN_BEAT_US of the previous one. *active_us gets the launch's active time. */
int lms_player_beat(lms_store *s, const lms_clock *clock, const lms_tot_params *p,
                    const unsigned char token_hash[32], const lms_tot_beat_in *in,
                    int64_t *active_us, lms_err *err);

/* Checks whether the enrolment's course is complete and records the completion once: the
 * content rule (the rollup completed and not failed, the minimum active time) and, when the
 * course has quizzes that count toward it, each of them passed (course_quiz.h). */
int lms_player_check_completion(lms_store *s, const lms_clock *clock, int64_t enrolment_id,
                                int64_t user_id, lms_arena *a, lms_err *err);

/* What the completion rule says of an enrolment now, recording nothing: *content when the
 * content rule holds, *quizzes when besides it the counting quizzes are passed (both true for a
 * completed enrolment; *quizzes is false whenever *content is). */
int lms_player_completion_state(lms_store *s, int64_t enrolment_id, int64_t user_id,
                                lms_arena *a, bool *content, bool *quizzes, lms_err *err);

/* Finds the launch context of a token (for init). */
int lms_player_open(lms_store *s, const unsigned char token_hash[32], lms_arena *a,
                    lms_launch_ctx *out, lms_err *err);

/* The SCORM version of a version kind: 1.2 for "scorm12", 2004 for the others (native
 * lessons play through the 2004 API). */
lms_cmi_version lms_player_cmi_version(const char *kind);

#endif
