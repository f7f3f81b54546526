/* store_pg_int.h — what the PostgreSQL store's modules share (not for use outside
 * lms-core/storage/pg): the statement runner and the player's operations (store_pg_player.c).
 */
#ifndef STORE_PG_INT_H
#define STORE_PG_INT_H

#include "lms/player.h"
#include "lms/store.h"

#include <libpq-fe.h>

/* A statement: SQL text with $n parameters, run prepared. */
typedef struct pgx_stmt {
	const char *sql;
	int nparams;
	int idempotent; /* safe to run again after a dropped connection */
} pgx_stmt;

/* Prepared-statement slots: store_pg.c uses 0 .. PGX_SLOT_BASE-1, the player module the
 * slots after. */
#define PGX_SLOT_BASE 64
#define PGX_SLOTS 384

/* Runs st (prepared once per connection in PGX_SLOT_BASE + slot) with text parameters, with
 * the store's timeouts, reconnection and error mapping. Returns the result (the caller
 * clears it) or NULL with *rc and err set. */
PGresult *pgx_run(lms_store *s, int slot, const pgx_stmt *st, const char *const *vals, int *rc,
                  lms_err *err);

/* The player's operations (store_pg_player.c). */
int pgp_catalogue(lms_store *s, int64_t user_id, lms_arena *a, lms_catalogue_entry **out,
                  size_t *n, lms_err *err);
int pgp_enrol(lms_store *s, int64_t user_id, const char *course_code, const char *source,
              const char *assigned_by, const char *due_at, int64_t at_us, lms_arena *a,
              lms_enrolment *out, bool *created, lms_err *err);
int pgp_enrolment_list(lms_store *s, int64_t user_id, const char *course_code, lms_arena *a,
                       lms_enrolment **out, size_t *n, lms_err *err);
int pgp_item_list(lms_store *s, int64_t version_id, lms_arena *a, lms_item **out, size_t *n,
                  lms_err *err);
int pgp_item_status_list(lms_store *s, int64_t enrolment_id, lms_arena *a,
                         lms_item_status **out, size_t *n, lms_err *err);
int pgp_attempt_latest(lms_store *s, int64_t enrolment_id, int item_ord, lms_arena *a,
                       lms_attempt_row *out, lms_err *err);
int pgp_launch_create(lms_store *s, const lms_launch_in *in, int64_t *launch_id, lms_err *err);
int pgp_launch_load(lms_store *s, const unsigned char hash[32], lms_arena *a,
                    lms_launch_ctx *out, lms_err *err);
int pgp_rt_write(lms_store *s, const lms_rt_write *w, lms_arena *a, lms_err *err);
int pgp_beat_write(lms_store *s, int64_t launch_id, int64_t user_id, int64_t expect_clock_us,
                   const lms_tot_beat_in *in, const lms_tot_beat_out *o, int64_t at_us,
                   lms_err *err);
int pgp_completion_record(lms_store *s, const lms_completion_in *in, bool *created,
                          lms_err *err);
int pgp_time_sessions(lms_store *s, int64_t user_id, const char *course_code, lms_arena *a,
                      lms_time_session **out, size_t *n, lms_time_beat **beats, size_t *nb,
                      lms_err *err);
int pgp_seq_save(lms_store *s, int64_t enrolment_id, int64_t expect_rev, const char *state,
                 lms_err *err);
int pgp_launch_expire(lms_store *s, int64_t idle_before_us, int64_t *closed, lms_err *err);

/* The sync outbox (store_pg_sync.c), prepared in slots after the player's. */
#define PGX_SYNC_SLOT 48
int pgs_claim(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
              lms_sync_event **out, size_t *n, lms_err *err);
int pgs_done(lms_store *s, int64_t seq, const char *state, int64_t at_us, int64_t next_us,
             const char *error, lms_err *err);
int pgs_retry_dead(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err);
int pgs_backlog(lms_store *s, int64_t *n, int64_t *oldest_us, lms_err *err);
int pgs_apikey_create(lms_store *s, const char *name, const char *scope_unit_code,
                      const unsigned char hash[32], lms_err *err);
int pgs_apikey_lookup(lms_store *s, const unsigned char hash[32], int64_t *key_id,
                      int64_t *scope_unit_id, lms_err *err);
int pgs_apikey_revoke(lms_store *s, const char *name, lms_err *err);
int pgs_report(lms_store *s, const char *unit_code, int64_t from_us, int64_t to_us,
               lms_arena *a, lms_sync_report_row **out, size_t *n, lms_err *err);
int pgs_resend(lms_store *s, int64_t from, int64_t to, int64_t *n, lms_err *err);
int pgs_records_page(lms_store *s, int64_t scope_unit_id, int64_t after, int limit,
                     int64_t settle_us, lms_arena *a, lms_sync_event **out, size_t *n,
                     lms_err *err);

/* The roster import (store_pg_roster.c), in slots 64 on. It runs its own transaction: */
#define PGX_ROSTER_SLOT 64
int pgx_begin(lms_store *s, lms_err *err);
int pgx_commit(lms_store *s, lms_err *err);
void pgx_rollback(lms_store *s);
int pgr_begin(lms_store *s, const char *source, const char *scope_code, lms_arena *a,
              struct lms_roster_current *out, lms_err *err);
int pgr_apply(lms_store *s, const struct lms_roster_plan *plan, lms_arena *a, lms_err *err);
int pgr_end(lms_store *s, bool commit, const struct lms_roster *in,
            const struct lms_roster_opts *opts, const struct lms_roster_result *r,
            int64_t *import_id, lms_err *err);
int pgr_delivery_claim(lms_store *s, const char *webhook_id, bool *fresh, lms_err *err);

/* xAPI delivery state (store_pg_xapi.c), in slots 80 on. */
#define PGX_XAPI_SLOT 80
int pgx_xapi_claim(lms_store *s, int64_t now_us, int64_t lease_us, int max, lms_arena *a,
                   lms_sync_event **out, size_t *n, lms_err *err);
int pgx_xapi_done(lms_store *s, int64_t seq, const char *state, int64_t next_us,
                  const char *error, lms_err *err);

/* Certificates (store_pg_cert.c), in slots 84 on. */
#define PGX_CERT_SLOT 84
int pgc_pending(lms_store *s, int64_t user_id, int limit, lms_arena *a, int64_t **ids, size_t *n,
                lms_err *err);
int pgc_issue(lms_store *s, int64_t completion_id, const struct lms_cert_issue_in *in,
              bool *issued, lms_err *err);
/* Issues one certificate with insert (slot insert_slot): the year's next serial, its signed
 * code, then insert($1 source id, $2 serial, $3 code, $4 key id, $5 issuer code, $6 public
 * URL, $7 issue time) which answers (rows inserted, events, [sources without an issuer]), in
 * one transaction; *issued false when the source had one already. Course completions use it,
 * and exam attempts (store_pg_assess.c). */
int pgc_issue_with(lms_store *s, int insert_slot, const pgx_stmt *insert, int64_t source_id,
                   const struct lms_cert_issue_in *in, bool *issued, lms_err *err);
int pgc_get(lms_store *s, const char *serial, lms_arena *a, struct lms_cert_row *out,
            lms_err *err);
int pgc_list(lms_store *s, int64_t user_id, lms_arena *a, struct lms_cert_row **out, size_t *n,
             lms_err *err);
int pgc_revoke(lms_store *s, const char *serial, const char *by, const char *reason,
               const char *public_url, lms_err *err);

/* Certificate signing keys (store_pg_cert_key.c), in slots 92 to 95. */
#define PGX_CERT_KEY_SLOT 92
struct lms_cert_key_row;
int pgk_list(lms_store *s, lms_arena *a, struct lms_cert_key_row **out, size_t *n, lms_err *err);
int pgk_get(lms_store *s, unsigned id, unsigned char *key, bool *found, lms_err *err);
int pgk_rotate(lms_store *s, unsigned *id, lms_err *err);
int pgk_retire(lms_store *s, unsigned id, bool *retired, lms_err *err);

/* Surveys (store_pg_survey.c), in slots 96 to 127. */
#define PGX_SURVEY_SLOT 96
#define PGX_SURVEY_SLOT_END 128
int pgsv_create(lms_store *s, const struct lms_survey *sv, int64_t *id, lms_err *err);
int pgsv_get(lms_store *s, const char *code, lms_arena *a, struct lms_survey *out, lms_err *err);
int pgsv_update(lms_store *s, const struct lms_survey *sv, int64_t expect_rev, bool structural,
                lms_err *err);
int pgsv_set_status(lms_store *s, int64_t id, int from, int to, lms_err *err);
int pgsv_list(lms_store *s, int64_t user_id, bool all, const lms_scope *trainer,
              const lms_scope *hr, const char *code, int limit, lms_arena *a,
              struct lms_survey **out, size_t *n, lms_err *err);
int pgsv_offers(lms_store *s, int64_t user_id, int64_t survey_id, const char *course_code,
                lms_arena *a, struct lms_sv_offer **out, size_t *n, lms_err *err);
int pgsv_respond(lms_store *s, const struct lms_sv_submit *in, lms_err *err);
int pgsv_results(lms_store *s, const struct lms_sv_filter *f, lms_arena *a,
                 struct lms_sv_results *out, lms_err *err);
int pgsv_texts(lms_store *s, const struct lms_sv_filter *f, int qid, int limit, int offset,
               lms_arena *a, struct lms_sv_text **out, size_t *n, int64_t *total, lms_err *err);
/* The HR report's survey section (reports.h: lms_report_ops surveys, survey_results). */
struct lms_rep_query;
struct lms_period;
int pgsv_report_list(lms_store *s, const struct lms_rep_query *q, int limit, lms_arena *a,
                     const char ***codes, size_t *n, lms_err *err);
int pgsv_report_results(lms_store *s, const struct lms_sv_filter *f, const struct lms_period *p,
                        lms_arena *a, struct lms_sv_results *out, lms_err *err);

/* Question banks (store_pg_qbank.c, qbank.h), in slots 128..159: store->ops->qbank. */
struct lms_qbank_ops;
extern const struct lms_qbank_ops pgq_ops;

/* HR reports (store_pg_report.c, reports.h), in slots 160..191: store->ops->report. */
#define PGX_REPORT_SLOT 160
#define PGX_REPORT_SLOT_END 192
struct lms_report_ops;
extern const struct lms_report_ops pgrep_ops;

/* Quizzes and exams (store_pg_assess.c, assess_store.h), in slots 192..255:
 * store->ops->assess. */
#define PGX_ASSESS_SLOT 192
#define PGX_ASSESS_SLOT_END 256
struct lms_assess_ops;
extern const struct lms_assess_ops pga_ops;

/* Assignment rules (store_pg_assign.c, assign.h), in slots 288..303: store->ops->assign. */
#define PGX_ASSIGN_SLOT 288
#define PGX_ASSIGN_SLOT_END 304
struct lms_assign_ops;
extern const struct lms_assign_ops pgasg_ops;

/* What counts in the indicators (store_pg_report_flags.c, reports.h), in slots 304..319:
 * store->ops->report_flags. 320 is the last module slot (PGX_SLOTS - PGX_SLOT_BASE). */
#define PGX_REPORT_FLAGS_SLOT 304
#define PGX_REPORT_FLAGS_SLOT_END 320
struct lms_rep_flags_ops;
extern const struct lms_rep_flags_ops pgrf_ops;

#define PGX_PLAYER_OPS                                                                     \
	.catalogue = pgp_catalogue, .enrol = pgp_enrol, .enrolment_list = pgp_enrolment_list, \
	.item_list = pgp_item_list, .item_status_list = pgp_item_status_list,                \
	.attempt_latest = pgp_attempt_latest, .launch_create = pgp_launch_create,            \
	.launch_load = pgp_launch_load, .rt_write = pgp_rt_write, .beat_write = pgp_beat_write, \
	.completion_record = pgp_completion_record, .time_sessions = pgp_time_sessions,      \
	.launch_expire = pgp_launch_expire, .seq_save = pgp_seq_save,                      \
	.sync_claim = pgs_claim, .sync_done = pgs_done, .sync_retry_dead = pgs_retry_dead, \
	.sync_backlog = pgs_backlog, .apikey_create = pgs_apikey_create,                    \
	.apikey_lookup = pgs_apikey_lookup, .apikey_revoke = pgs_apikey_revoke,              \
	.records_page = pgs_records_page, .sync_report = pgs_report, .sync_resend = pgs_resend, \
	PGX_SYNC_STATUS_OPS

/* The reconciliation page and the metrics (store_pg_sync.c). */
int pgs_status(lms_store *s, const lms_scope *scope, const char *unit_code, int64_t from_us,
               int64_t to_us, bool by_month, int64_t cutoff_us, int limit, lms_arena *a,
               lms_sync_status_row **out, size_t *n, lms_err *err);
int pgs_problems(lms_store *s, const lms_scope *scope, const char *unit_code, int64_t cutoff_us,
                 int limit, lms_arena *a, lms_sync_problem **out, size_t *n, int64_t *dead_total,
                 int64_t *overdue_total, lms_err *err);
int pgs_totals(lms_store *s, int64_t cutoff_us, lms_sync_report_row *out, int64_t *overdue,
               lms_err *err);
#define PGX_SYNC_STATUS_OPS \
	.sync_status = pgs_status, .sync_problems = pgs_problems, .sync_totals = pgs_totals,

#endif
