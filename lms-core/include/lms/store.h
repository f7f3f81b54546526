/* store.h — the storage interface: what the core asks of the store of record.
 *
 * A table of functions, so that the core is tested against an in-memory fake and runs
 * against PostgreSQL (lms-core/storage/pg). One lms_store serves one thread at a time.
 * Every function returns 0 or a negative LMS_* code with err filled in; outputs are set only
 * on success and their strings live in the arena passed in. Times are microseconds since
 * the epoch.
 *
 * Failure classes every implementation keeps: LMS_EUNAVAIL when the database cannot be
 * reached (the caller answers 503 and a later call may succeed), LMS_ECONFLICT for a unique
 * key already taken, LMS_ENOTFOUND for a missing row the call was about, LMS_ESTORAGE for
 * anything else (logged with the SQLSTATE, never shown to a user).
 */
#ifndef LMS_STORE_H
#define LMS_STORE_H

#include "lms/arena.h"
#include "lms/error.h"
#include "lms/model.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct lms_store lms_store;
struct lms_version_in;       /* course.h */
struct lms_course_version;   /* course.h */
struct lms_catalogue_entry;  /* player.h, the player's records */
struct lms_enrolment;
struct lms_item;
struct lms_item_status;
struct lms_attempt_row;
struct lms_launch_in;
struct lms_launch_ctx;
struct lms_rt_write;
struct lms_tot_beat_in;
struct lms_tot_beat_out;
struct lms_completion_in;
struct lms_time_session;
struct lms_time_beat;
struct lms_sync_event;       /* store.h below */
struct lms_sync_report_row;

/* One line of the reconciliation page (sync_status): one unit, one period. */
typedef struct lms_sync_status_row {
	const char *unit_code, *unit_name;  /* NULL for events with no unit (unroutable) */
	const char *period;                 /* "YYYY-MM-DD" or "YYYY-MM", Ho Chi Minh City time */
	int64_t produced, delivered, pending, dead, unroutable;
	int64_t oldest_pending_us;          /* 0 when none */
	int64_t overdue;                    /* pending or dead, occurred at or before the cutoff */
} lms_sync_status_row;

/* An event an operator must look at (sync_problems): a dead letter, or an undelivered event
 * older than the alert age. Never the payload, so never anything of the person but the code. */
typedef struct lms_sync_problem {
	int64_t seq;
	const char *event_id, *kind;
	const char *employee_code;          /* NULL when unroutable */
	const char *unit_code, *unit_name;  /* NULL when unroutable */
	int64_t occurred_us;
	const char *state;                  /* "pending" or "dead" */
	int attempts;
	const char *last_error;             /* NULL when none */
	bool overdue;                       /* occurred at or before the cutoff */
	bool blocked;                       /* pending behind a dead letter of the same person */
} lms_sync_problem;
struct lms_survey;           /* survey.h */
struct lms_sv_offer;
struct lms_sv_submit;
struct lms_sv_filter;
struct lms_sv_results;
struct lms_sv_text;
struct lms_cert_row;         /* certs.h */
struct lms_cert_issue_in;
struct lms_cert_key_row;
struct lms_roster;           /* roster.h */
struct lms_roster_opts;
struct lms_roster_result;
struct lms_roster_current;
struct lms_roster_plan;

/* The reach of a caller: every unit (all == true) or the subtrees of roots. */
typedef struct lms_scope {
	bool all;
	const int64_t *roots;
	size_t n_roots;
} lms_scope;

typedef struct lms_login_counts {
	int user_failures;        /* failures for this username since the window start */
	int addr_failures;        /* failures from this address since the window start */
	int64_t user_oldest_us;   /* time of the oldest counted failure, 0 when none */
	int64_t addr_oldest_us;
} lms_login_counts;

typedef enum lms_login_outcome {
	LMS_LOGIN_SUCCESS = 1,
	LMS_LOGIN_FAILURE = 2,
	LMS_LOGIN_THROTTLED = 3
} lms_login_outcome;

typedef struct lms_store_ops {
	/* Is the store reachable? LMS_EUNAVAIL when not. */
	int (*ping)(lms_store *s, lms_err *err);

	/* Units. unit_create fails LMS_ENOTFOUND (field parent) for an unknown parent and
	 * LMS_ECONFLICT for a code in use. */
	int (*unit_create)(lms_store *s, const lms_unit_input *in, int64_t *id, lms_err *err);
	int (*unit_add_successor)(lms_store *s, const char *code, const char *successor,
	                          lms_err *err);
	int (*unit_find)(lms_store *s, const char *code, lms_arena *a, lms_unit *out,
	                 lms_err *err);
	/* Units within scope, in Vietnamese order of name. */
	int (*unit_list)(lms_store *s, const lms_scope *scope, lms_arena *a, lms_unit **out,
	                 size_t *n, lms_err *err);
	/* Is unit_id inside scope? */
	int (*unit_within)(lms_store *s, int64_t unit_id, const lms_scope *scope, bool *out,
	                   lms_err *err);

	/* People. person_create records the first history row. */
	int (*person_create)(lms_store *s, const lms_person_input *in, int64_t *id,
	                     lms_err *err);
	/* People within scope (or within the subtree of unit_id when not 0), Vietnamese order. */
	int (*person_list)(lms_store *s, const lms_scope *scope, int64_t unit_id, int limit,
	                   int offset, lms_arena *a, lms_person **out, size_t *n,
	                   int64_t *total, lms_err *err);

	/* The roster import (roster.h), one transaction over three calls on one store:
	 * roster_begin opens it, takes the import lock (one import at a time) and loads every
	 * unit, position and person (in_scope set for people of the subtree of scope_code, or
	 * all when NULL) and the last import of source; roster_apply writes the plan;
	 * roster_end commits (commit true) or rolls back, and records the import with its
	 * outcome and counts (in_ NULL: roll back only, record nothing). */
	int (*roster_begin)(lms_store *s, const char *source, const char *scope_code,
	                    lms_arena *a, struct lms_roster_current *out, lms_err *err);
	int (*roster_apply)(lms_store *s, const struct lms_roster_plan *plan, lms_arena *a,
	                    lms_err *err);
	int (*roster_end)(lms_store *s, bool commit, const struct lms_roster *in_,
	                  const struct lms_roster_opts *opts, const struct lms_roster_result *r,
	                  int64_t *import_id, lms_err *err);
	/* xAPI delivery (0008_xapi.sql): up to max routable events whose xAPI state is pending
	 * and due, oldest first, leased for lease_us (attempts counted); then each outcome:
	 * state "delivered", "pending" (retry at next_us), "dead" or "skipped". */
	int (*xapi_claim)(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
	                  struct lms_sync_event **out, size_t *n, lms_err *err);
	int (*xapi_done)(lms_store *s, int64_t seq, const char *state, int64_t next_us,
	                 const char *error, lms_err *err);
	/* Certificates (certs.h, 0009_certificate.sql). cert_pending: completions (of user_id,
	 * or all when 0) not failed and without a certificate, oldest first. cert_issue: one
	 * certificate and its certificate_issued event in one transaction, the serial the next
	 * of the issue year; *issued false when another node issued it first. cert_get by
	 * serial (LMS_ENOTFOUND). cert_list: a user's, newest first. cert_revoke: once, with its
	 * certificate_revoked event in the same transaction (LMS_ENOTFOUND, LMS_ECONFLICT when
	 * revoked already). */
	int (*cert_pending)(lms_store *s, int64_t user_id, int limit, lms_arena *a, int64_t **ids,
	                    size_t *n, lms_err *err);
	int (*cert_issue)(lms_store *s, int64_t completion_id, const struct lms_cert_issue_in *in,
	                  bool *issued, lms_err *err);
	int (*cert_get)(lms_store *s, const char *serial, lms_arena *a, struct lms_cert_row *out,
	                lms_err *err);
	int (*cert_list)(lms_store *s, int64_t user_id, lms_arena *a, struct lms_cert_row **out,
	                 size_t *n, lms_err *err);
	int (*cert_revoke)(lms_store *s, const char *serial, const char *by, const char *reason,
	                   const char *public_url, lms_err *err);
	/* The signing keys (certs.h "keys"): cert_key_list, every key made, by id;
	 * cert_key_get, one key's bytes (*found false when never made or retired; never makes
	 * one); cert_key_rotate makes the next id with fresh random bytes; cert_key_retire
	 * destroys a key's bytes, keeping its id (*retired false when it is unknown, retired
	 * already, or the current one). */
	int (*cert_key_list)(lms_store *s, lms_arena *a, struct lms_cert_key_row **out, size_t *n,
	                     lms_err *err);
	int (*cert_key_get)(lms_store *s, unsigned id, unsigned char *key, bool *found,
	                    lms_err *err);
	int (*cert_key_rotate)(lms_store *s, unsigned *id, lms_err *err);
	int (*cert_key_retire)(lms_store *s, unsigned id, bool *retired, lms_err *err);
	/* A signed roster push's webhook-id: *fresh false when it was received before (a
	 * replay). Recorded at once, in its own transaction. */
	int (*roster_delivery_claim)(lms_store *s, const char *webhook_id, bool *fresh,
	                             lms_err *err);

	/* ---- surveys (survey.h, docs/surveys.md; storage/pg/store_pg_survey.c) ---- */
	/* The records are survey.h's (declared at the top of this file). */
	/* Stores a checked definition as a draft, its units, courses and questions in one
	 * transaction; *id. LMS_ECONFLICT "survey_code_taken" (field code); LMS_ENOTFOUND for
	 * an unknown unit or course (field "units[i]", "courses[i]"). */
	int (*survey_create)(lms_store *s, const struct lms_survey *sv, int64_t *id, lms_err *err);
	/* The survey with code, its questions, audience (with unit ids) and courses, and its
	 * number of responses. LMS_ENOTFOUND. */
	int (*survey_get)(lms_store *s, const char *code, lms_arena *a, struct lms_survey *out,
	                  lms_err *err);
	/* Replaces survey sv->id's definition (rev bumped) if its rev is still expect_rev, else
	 * LMS_ECONFLICT "survey_changed". structural: questions, audience or courses change too,
	 * refused with LMS_ECONFLICT "survey_has_responses" when a response exists (checked
	 * under the survey's row lock, which answers take too). Unknown codes as survey_create. */
	int (*survey_update)(lms_store *s, const struct lms_survey *sv, int64_t expect_rev,
	                     bool structural, lms_err *err);
	/* Moves survey id from status from to status to (publish: draft → open; close: open →
	 * closed), bumping rev; LMS_ECONFLICT "survey_changed" when it is not in from any more.
	 * Closing an anonymous survey rewrites its responses in a random order with new keys
	 * (docs/surveys.md, "What the database keeps"). */
	int (*survey_set_status)(lms_store *s, int64_t id, int from, int to, lms_err *err);
	/* Surveys the caller may see, newest first, at most limit, without questions, with
	 * manage and hr_read set: every one when all; those user_id created, whose unit lies in
	 * trainer's reach or whose whole audience does (manage); published ones addressed to
	 * units meeting hr's reach, and course surveys (hr_read). code not NULL: that one only. */
	int (*survey_list)(lms_store *s, int64_t user_id, bool all, const lms_scope *trainer,
	                   const lms_scope *hr, const char *code, int limit, lms_arena *a,
	                   struct lms_survey **out, size_t *n, lms_err *err);
	/* Open surveys (survey_id 0) or survey survey_id in any status, with what the store knows
	 * of user_id for each; course_code not NULL: only that course counts as completed. */
	int (*survey_offers)(lms_store *s, int64_t user_id, int64_t survey_id,
	                     const char *course_code, lms_arena *a, struct lms_sv_offer **out,
	                     size_t *n, lms_err *err);
	/* Records a response in one transaction: the survey must still be open at expect_rev
	 * (LMS_ECONFLICT "survey_changed"); the respondents row (LMS_ECONFLICT
	 * "already_responded" when there is one) and the response row. */
	int (*survey_respond)(lms_store *s, const struct lms_sv_submit *in, lms_err *err);
	/* Counts for the results (lms_sv_results) within f. */
	int (*survey_results)(lms_store *s, const struct lms_sv_filter *f, lms_arena *a,
	                      struct lms_sv_results *out, lms_err *err);
	/* Free-text answers to question qid within f, in the order of the responses' random
	 * keys, limit from offset; *total counts them all. */
	int (*survey_texts)(lms_store *s, const struct lms_sv_filter *f, int qid, int limit,
	                    int offset, lms_arena *a, struct lms_sv_text **out, size_t *n,
	                    int64_t *total, lms_err *err);

	/* Question banks (qbank.h, schemas/sql/0011_question_bank.sql): a table of their own,
	 * declared in qbank.h with the types it takes; NULL in a store that keeps none. */
	const struct lms_qbank_ops *qbank;

	/* HR reports (reports.h, schemas/sql/0012_reports.sql): a table of their own, declared in
	 * reports.h with the types it takes; NULL in a store that keeps none. */
	const struct lms_report_ops *report;

	/* Quizzes and exams (assess_store.h, schemas/sql/0014_assessment.sql): a table of their
	 * own, declared in assess_store.h with the types it takes; NULL in a store that keeps none. */
	const struct lms_assess_ops *assess;

	/* Assignment rules (assign.h, schemas/sql/0018_assignment.sql): a table of their own,
	 * declared in assign.h; NULL in a store that keeps none. */
	const struct lms_assign_ops *assign;

	/* What counts in the indicators (reports.h, "what counts in the indicators"): the
	 * administrators' page reads; NULL in a store that keeps none. */
	const struct lms_rep_flags_ops *report_flags;

	/* Accounts. */
	int (*user_create)(lms_store *s, const lms_user_input *in, int64_t *id, lms_err *err);
	/* unit_code NULL for roles without reach. Adding a role held already is a no-op. */
	int (*user_add_role)(lms_store *s, int64_t user_id, lms_role_kind role,
	                     const char *unit_code, lms_err *err);
	int (*user_set_password)(lms_store *s, int64_t user_id, const char *password_hash,
	                         lms_err *err);
	/* Enables or disables an account; disabling ends its sessions. */
	int (*user_set_active)(lms_store *s, int64_t user_id, bool active, lms_err *err);
	/* Lookups fill roles and person; by_username also fills password_hash. */
	int (*user_by_username)(lms_store *s, const char *username, lms_arena *a,
	                        lms_user *out, lms_err *err);
	int (*user_by_id)(lms_store *s, int64_t id, lms_arena *a, lms_user *out, lms_err *err);

	/* Login attempts, for throttling and the audit trail. login_begin records a 'pending'
	 * attempt and returns its id and the counts of failed or pending attempts since
	 * since_us for the username and the address, other than this one (so parallel
	 * attempts see each other). login_end sets the outcome. */
	int (*login_begin)(lms_store *s, const char *username, const char *addr, int64_t at_us,
	                   int64_t since_us, int64_t *attempt_id, lms_login_counts *counts,
	                   lms_err *err);
	int (*login_end)(lms_store *s, int64_t attempt_id, lms_login_outcome outcome,
	                 lms_err *err);

	/* Sessions, keyed by the SHA-256 of the token. */
	int (*session_create)(lms_store *s, const unsigned char token_hash[32],
	                      lms_session *sess, const char *addr, const char *user_agent,
	                      lms_err *err); /* sets sess->id */
	/* The session (ended ones too: see lms_session.ended) and its account (roles and
	 * person filled, no password hash), in one round trip: every authenticated request
	 * makes this call. LMS_ENOTFOUND when no session has this hash. */
	int (*session_lookup)(lms_store *s, const unsigned char token_hash[32], lms_arena *a,
	                      lms_session *out, lms_user *user, lms_err *err);
	int (*session_touch)(lms_store *s, int64_t session_id, int64_t at_us, lms_err *err);
	/* Ends a session (sets its end time; a no-op for one ended already). */
	int (*session_end)(lms_store *s, int64_t session_id, int64_t at_us, lms_err *err);

	/* Courses and versions (course.h). version_save creates the course when its code is
	 * new, numbers the version after the last one, and stores the version, its items and
	 * files in one transaction; *out gets id, version_no and the rest. */
	int (*version_save)(lms_store *s, const struct lms_version_in *in, lms_arena *a,
	                    struct lms_course_version *out, lms_err *err);
	/* Versions of one course (code) or of all (NULL), newest first per course. */
	int (*version_list)(lms_store *s, const char *course_code, lms_arena *a,
	                    struct lms_course_version **out, size_t *n, lms_err *err);
	/* A secret of the installation (made with fresh random bytes the first time any node
	 * asks); nbytes <= 64. */
	int (*secret_get)(lms_store *s, const char *name, size_t nbytes, unsigned char *out,
	                  lms_err *err);

	/* Housekeeping: deletes sessions that ended or expired before ended_before, or were
	 * last seen before idle_before, and login attempts older than attempts_before.
	 * *deleted gets the number of rows. */
	int (*purge_expired)(lms_store *s, int64_t ended_before_us, int64_t idle_before_us,
	                     int64_t attempts_before_us, int64_t *deleted, lms_err *err);

	/* ---- the player (player.h; docs/player-api.md) ---- */

	/* The latest version of every course, with whether user_id is enrolled. */
	int (*catalogue)(lms_store *s, int64_t user_id, lms_arena *a,
	                 struct lms_catalogue_entry **out, size_t *n, lms_err *err);
	/* Enrols user_id on the course's latest version; an existing enrolment is returned as
	 * it is (*created false). LMS_ENOTFOUND for an unknown course. */
	int (*enrol)(lms_store *s, int64_t user_id, const char *course_code, const char *source,
	             const char *assigned_by, const char *due_at, int64_t at_us, lms_arena *a,
	             struct lms_enrolment *out, bool *created, lms_err *err);
	/* user_id's enrolments (one course when course_code is not NULL), with progress. */
	int (*enrolment_list)(lms_store *s, int64_t user_id, const char *course_code, lms_arena *a,
	                      struct lms_enrolment **out, size_t *n, lms_err *err);
	/* A version's items in document order. */
	int (*item_list)(lms_store *s, int64_t version_id, lms_arena *a, struct lms_item **out,
	                 size_t *n, lms_err *err);
	/* The latest attempt of each item attempted in an enrolment, by ord. */
	int (*item_status_list)(lms_store *s, int64_t enrolment_id, lms_arena *a,
	                        struct lms_item_status **out, size_t *n, lms_err *err);
	int (*attempt_latest)(lms_store *s, int64_t enrolment_id, int item_ord, lms_arena *a,
	                      struct lms_attempt_row *out, lms_err *err);
	/* Creates the launch (and the attempt when in->attempt_id is 0, else replaces its state
	 * if its rev is still in->expect_rev: LMS_ECONFLICT otherwise), marks the enrolment
	 * started, and makes sure the learner's clock row exists; one transaction. */
	int (*launch_create)(lms_store *s, const struct lms_launch_in *in, int64_t *launch_id,
	                     lms_err *err);
	/* The launch whose token hashes to hash, with its attempt's state. LMS_ENOTFOUND. */
	int (*launch_load)(lms_store *s, const unsigned char hash[32], lms_arena *a,
	                   struct lms_launch_ctx *out, lms_err *err);
	/* Writes a commit: state, statuses, last_seq, the log row (and at finish the launch's
	 * close), in one statement guarded by the attempt's rev: LMS_ECONFLICT when another
	 * writer came first (read again and retry). */
	int (*rt_write)(lms_store *s, const struct lms_rt_write *w, lms_arena *a, lms_err *err);
	/* Records a heartbeat and its credit, guarded by the learner's clock (LMS_ECONFLICT when
	 * it moved since it was read). */
	int (*beat_write)(lms_store *s, int64_t launch_id, int64_t user_id, int64_t expect_clock_us,
	                  const struct lms_tot_beat_in *in, const struct lms_tot_beat_out *o,
	                  int64_t at_us, lms_err *err);
	/* Records a completion unless the enrolment has one (*created false then). */
	int (*completion_record)(lms_store *s, const struct lms_completion_in *in, bool *created,
	                         lms_err *err);
	/* The launches of user_id in a course, oldest first, and (beats not NULL) their beats. */
	int (*time_sessions)(lms_store *s, int64_t user_id, const char *course_code, lms_arena *a,
	                     struct lms_time_session **out, size_t *n, struct lms_time_beat **beats,
	                     size_t *nb, lms_err *err);
	/* Saves an enrolment's sequencing state if its rev is still expect_rev (LMS_ECONFLICT
	 * otherwise). */
	int (*seq_save)(lms_store *s, int64_t enrolment_id, int64_t expect_rev, const char *state,
	                lms_err *err);
	/* ---- the personnel sync outbox (sync.h; docs/personnel-sync.md) ---- */

	/* Claims up to max due events (pending, next attempt due at now_us), in seq order, only
	 * the earliest undelivered one of each person (an earlier pending or dead event of the
	 * same person holds the later ones back), skipping rows another worker holds (SKIP
	 * LOCKED). A claimed event's attempts is counted up and its next attempt moved to
	 * now_us + lease_us, so no other worker takes it while it is being sent. */
	int (*sync_claim)(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
	                  struct lms_sync_event **out, size_t *n, lms_err *err);
	/* Records the outcome of sending event seq: state "delivered", "pending" (with the next
	 * attempt's time) or "dead", and the error text (NULL when delivered). */
	int (*sync_done)(lms_store *s, int64_t seq, const char *state, int64_t at_us,
	                 int64_t next_us, const char *error, lms_err *err);
	/* Makes dead events pending again (seq in [from, to]; 0 and 0 for all); *n gets how
	 * many. */
	int (*sync_retry_dead)(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err);
	/* The number of events not yet delivered (pending or dead, routable) and when the
	 * oldest of them happened (0 when none). */
	int (*sync_backlog)(lms_store *s, int64_t *n, int64_t *oldest_us, lms_err *err);

	/* API keys (the pull API). apikey_create: LMS_ENOTFOUND for an unknown scope unit,
	 * LMS_ECONFLICT for a name in use. apikey_lookup: LMS_ENOTFOUND for an unknown or
	 * revoked key; *scope_unit_id 0 for the whole city. */
	int (*apikey_create)(lms_store *s, const char *name, const char *scope_unit_code,
	                     const unsigned char hash[32], lms_err *err);
	int (*apikey_lookup)(lms_store *s, const unsigned char hash[32], int64_t *key_id,
	                     int64_t *scope_unit_id, lms_err *err);
	int (*apikey_revoke)(lms_store *s, const char *name, lms_err *err);
	/* Routable events with seq > after whose unit lies in the subtree of scope_unit_id (0:
	 * all), older than settle_us before now, in seq order, at most limit. */
	int (*records_page)(lms_store *s, int64_t scope_unit_id, int64_t after, int limit,
	                    int64_t settle_us, lms_arena *a, struct lms_sync_event **out, size_t *n,
	                    lms_err *err);

	/* Reconciliation: events per unit (the person's unit when it happened) that occurred in
	 * [from_us, to_us), within the subtree of unit_code (NULL: all), by state. */
	int (*sync_report)(lms_store *s, const char *unit_code, int64_t from_us, int64_t to_us,
	                   lms_arena *a, struct lms_sync_report_row **out, size_t *n, lms_err *err);
	/* Sends events seq in [from, to] again (delivered or dead ones become pending); *n gets
	 * how many. The receiver deduplicates by event id. */
	int (*sync_resend)(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err);
	/* The reconciliation page: events that occurred in [from_us, to_us) whose unit (the
	 * person's when it happened) lies within scope and, when unit_code is not NULL, within
	 * its subtree, by unit and by day (by_month false) or month of Ho Chi Minh City time;
	 * overdue counts pending and dead events that occurred at or before cutoff_us. Units in
	 * Vietnamese order of name, periods in time order, at most limit rows. Events with no
	 * unit (unroutable) come last, and only for a scope of all units and no unit_code. */
	int (*sync_status)(lms_store *s, const lms_scope *scope, const char *unit_code,
	                   int64_t from_us, int64_t to_us, bool by_month, int64_t cutoff_us,
	                   int limit, lms_arena *a, lms_sync_status_row **out, size_t *n,
	                   lms_err *err);
	/* Dead letters and overdue events (pending or dead, occurred at or before cutoff_us) of
	 * any time, within scope and unit_code's subtree as above, in seq order, at most limit;
	 * *dead_total and *overdue_total count them all. */
	int (*sync_problems)(lms_store *s, const lms_scope *scope, const char *unit_code,
	                     int64_t cutoff_us, int limit, lms_arena *a, lms_sync_problem **out,
	                     size_t *n, int64_t *dead_total, int64_t *overdue_total, lms_err *err);
	/* The whole outbox (for the metrics): events by state in *out (unit fields NULL,
	 * produced = all, oldest_pending_us of the oldest pending one) and in *overdue those
	 * pending or dead that occurred at or before cutoff_us. */
	int (*sync_totals)(lms_store *s, int64_t cutoff_us, struct lms_sync_report_row *out,
	                   int64_t *overdue, lms_err *err);

	/* Closes launches last seen before idle_before_us ("timeout"). */
	int (*launch_expire)(lms_store *s, int64_t idle_before_us, int64_t *closed, lms_err *err);
} lms_store_ops;

/* An outbox event claimed for delivery. */
typedef struct lms_sync_event {
	int64_t seq;
	const char *event_id;
	const char *payload;     /* the JSON body to send */
	int attempts;            /* including this one */
} lms_sync_event;

/* One unit's line of the reconciliation report. */
typedef struct lms_sync_report_row {
	const char *unit_code, *unit_name;  /* NULL for events with no unit (unroutable) */
	int64_t produced, delivered, pending, dead, unroutable;
	int64_t oldest_pending_us;          /* 0 when none */
} lms_sync_report_row;

struct lms_store {
	const lms_store_ops *ops;
	void *impl;
};

#endif
