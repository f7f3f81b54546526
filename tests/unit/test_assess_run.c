/* test_assess_run.c — the use cases of quizzes and exams (assess_run.c) over a fake table of
 * the store's assessment operations: starting draws and stores a paper without keys within
 * one transaction and refuses who may not start; a save past the deadline is refused and the
 * attempt submitted by the server, with a late_save event; a submission grades the answers
 * given in shown positions and writes the result within one transaction; any failing store
 * call leaves no transaction open and nothing leaked (fault injection, call by call). */
#include "support.h"

#include "lms/assess_store.h"
#include "lms/qbank.h"

#include <stdio.h>
#include <string.h>

#define NOW (INT64_C(1767600000) * LMS_SECOND_US)

static const char GIFT[] =
	"::S::Chọn một.{=Đúng ~Sai một ~Sai hai}\n\n"
	"::T::Đúng hay sai.{T}\n";

/* ---- the fake ---------------------------------------------------------------------------- */

typedef struct fake {
	lms_arena *a;
	const char *body[2];        /* the two versions' JSON */
	int calls, fail_at;         /* fail the fail_at-th call (1-based), 0 never */
	int begins, commits, rollbacks;
	bool in_tx;
	/* start */
	bool eligible;
	int used;
	lms_as_new_attempt inserted;
	bool have_inserted;
	char shown[2][4096];
	/* the attempt */
	bool submitted;
	const char *submitted_by;
	int64_t deadline_us;
	lms_as_save_status save_status;
	lms_as_answer answers[2];
	size_t n_answers;
	lms_as_graded graded;
	lms_as_slot_result results[2];
	bool have_graded;
	char events[8][32];
	int n_events;
} fake;

static fake F;

static int step(lms_err *err)
{
	if (F.fail_at && ++F.calls == F.fail_at)
		return lms_err_set(err, LMS_EUNAVAIL, "db_unavailable", NULL, "injected failure");
	return LMS_OK;
}

static int f_begin(lms_store *s, lms_err *err)
{
	(void)s;
	assert_false(F.in_tx);
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	F.begins++;
	F.in_tx = true;
	return LMS_OK;
}

static int f_commit(lms_store *s, lms_err *err)
{
	(void)s;
	assert_true(F.in_tx);
	F.in_tx = false;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	F.commits++;
	return LMS_OK;
}

static void f_rollback(lms_store *s)
{
	(void)s;
	assert_true(F.in_tx);
	F.in_tx = false;
	F.rollbacks++;
}

static const int64_t FIXED[2] = { 11, 12 };

static int f_start_info(lms_store *s, const char *code, int64_t user_id, lms_arena *a,
                        lms_as_start_info *out, lms_err *err)
{
	(void)s;
	(void)a;
	(void)user_id;
	assert_true(F.in_tx);
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	memset(out, 0, sizeof(*out));
	out->as.id = 5;
	out->as.code = code;
	out->as.status = LMS_AS_OPEN;
	out->as.def.kind = LMS_AS_EXAM;
	out->as.def.fixed = FIXED;
	out->as.def.n_fixed = 2;
	out->as.def.max_attempts = 1;
	out->as.def.opens_us = NOW - 60 * LMS_SECOND_US;
	out->as.def.closes_us = NOW + 3600 * LMS_SECOND_US;
	out->as.def.time_limit_us = 600 * LMS_SECOND_US;
	out->as.def.pass_fraction = 0.5;
	out->as.def.show_score = LMS_AS_SHOW_AFTER_PUBLISH;
	out->eligible = F.eligible;
	out->used = F.used;
	return LMS_OK;
}

static int f_pool(lms_store *s, const lms_as_def *def, lms_arena *a, lms_as_candidate **out,
                  size_t *n, lms_err *err)
{
	lms_as_candidate *c = lms_arena_alloc(a, 2 * sizeof(*c));
	size_t i;

	(void)s;
	(void)def;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	for (i = 0; i < 2; i++) {
		c[i].question_id = FIXED[i];
		c[i].version_id = 100 + (int64_t)i;
		c[i].category = "CCHC";
		c[i].default_mark = 1;
	}
	*out = c;
	*n = 2;
	return LMS_OK;
}

static int f_versions(lms_store *s, const int64_t *ids, size_t n, lms_arena *a,
                      lms_as_version **out, lms_err *err)
{
	lms_as_version *v = lms_arena_alloc(a, (n + 1) * sizeof(*v));
	size_t i;

	(void)s;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	for (i = 0; i < n; i++) {
		assert_true(ids[i] == 100 || ids[i] == 101);
		v[i].version_id = ids[i];
		v[i].body = F.body[ids[i] - 100];
		v[i].body_len = strlen(v[i].body);
	}
	*out = v;
	return LMS_OK;
}

static int f_attempt_insert(lms_store *s, const lms_as_new_attempt *in, int64_t *id, lms_err *err)
{
	size_t i;

	(void)s;
	assert_true(F.in_tx);
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	F.inserted = *in;
	for (i = 0; i < in->n_slots && i < 2; i++)
		snprintf(F.shown[i], sizeof(F.shown[i]), "%s", in->slots[i].shown);
	F.have_inserted = true;
	*id = 9;
	return LMS_OK;
}

/* The attempt of the fake: slot 0 = version 100 (S), slot 1 = version 101 (T), seeds 1, 2. */
static int f_attempt_get(lms_store *s, int64_t id, int64_t user_id, lms_arena *a,
                         lms_as_attempt *out, lms_err *err)
{
	size_t i;

	(void)s;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	if (id != 9 || (user_id && user_id != 7))
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "attempt", "no attempt");
	memset(out, 0, sizeof(*out));
	out->id = 9;
	out->user_id = 7;
	out->def.kind = LMS_AS_EXAM;
	out->def.pass_fraction = 0.5;
	out->deadline_us = F.deadline_us;
	out->submitted_us = F.submitted ? NOW : 0;
	out->max_score = 2;
	out->slots = lms_arena_alloc(a, 2 * sizeof(*out->slots));
	out->n_slots = 2;
	for (i = 0; i < 2; i++) {
		out->slots[i].slot_no = (int)i;
		out->slots[i].question_id = FIXED[i];
		out->slots[i].version_id = 100 + (int64_t)i;
		out->slots[i].points = 1;
		out->slots[i].layout_seed = i + 1;
	}
	return LMS_OK;
}

static int f_save(lms_store *s, const lms_as_save_in *in, lms_as_save_out *out, lms_err *err)
{
	(void)s;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	assert_non_null(in->response);
	memset(out, 0, sizeof(*out));
	out->status = F.save_status;
	out->rev = in->rev;
	return LMS_OK;
}

static int f_event(lms_store *s, int64_t attempt_id, int64_t user_id, const char *kind,
                   const char *source, const char *detail, const char *client_at,
                   int64_t session_id, int64_t at_us, lms_err *err)
{
	(void)s;
	(void)attempt_id;
	(void)user_id;
	(void)source;
	(void)detail;
	(void)client_at;
	(void)session_id;
	(void)at_us;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	if (F.n_events < 8)
		snprintf(F.events[F.n_events++], sizeof(F.events[0]), "%s", kind);
	return LMS_OK;
}

static int f_submit_mark(lms_store *s, int64_t id, int64_t user_id, const char *by, int64_t at_us,
                         lms_err *err)
{
	(void)s;
	(void)id;
	(void)user_id;
	(void)at_us;
	assert_true(F.in_tx);
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	if (F.submitted)
		return lms_err_set(err, LMS_ECONFLICT, "attempt_submitted", NULL, "submitted already");
	F.submitted = true;
	F.submitted_by = by;
	return LMS_OK;
}

static int f_answers(lms_store *s, int64_t id, lms_arena *a, lms_as_answer **out, size_t *n,
                     lms_err *err)
{
	(void)s;
	(void)id;
	(void)a;
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	*out = F.answers;
	*n = F.n_answers;
	return LMS_OK;
}

static int f_submit_write(lms_store *s, int64_t id, const lms_as_graded *g, int64_t now_us,
                          lms_err *err)
{
	size_t i;

	(void)s;
	(void)id;
	(void)now_us;
	assert_true(F.in_tx);
	if (step(err) < 0)
		return LMS_EUNAVAIL;
	F.graded = *g;
	for (i = 0; i < g->n_slots && i < 2; i++)
		F.results[i] = g->slots[i];
	F.have_graded = true;
	return LMS_OK;
}

static const lms_assess_ops FAKE_OPS = {
	.begin = f_begin, .commit = f_commit, .rollback = f_rollback, .start_info = f_start_info,
	.pool = f_pool, .versions = f_versions, .attempt_insert = f_attempt_insert,
	.attempt_get = f_attempt_get, .save = f_save, .event = f_event,
	.submit_mark = f_submit_mark, .answers = f_answers, .submit_write = f_submit_write,
};
static const lms_store_ops STORE_OPS = { .assess = &FAKE_OPS };
static lms_store STORE = { &STORE_OPS, NULL };

static int setup(void **state)
{
	lms_qset set;
	lms_qreport rep;
	lms_err err;
	size_t i;

	(void)state;
	memset(&F, 0, sizeof(F));
	F.a = lms_arena_new();
	lms_qreport_init(&rep, F.a);
	assert_int_equal(lms_gift_parse(GIFT, strlen(GIFT), NULL, F.a, &set, &rep, &err), 0);
	assert_int_equal(set.n, 2);
	for (i = 0; i < 2; i++) {
		lms_jsonw w;
		lms_jsonw_init(&w, F.a);
		assert_int_equal(lms_question_to_json(set.items[i], &w, &err), 0);
		F.body[i] = lms_jsonw_text(&w);
	}
	F.eligible = true;
	F.deadline_us = NOW + 600 * LMS_SECOND_US;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lms_arena_free(F.a);
	return 0;
}

static void reset_counts(void)
{
	F.calls = F.begins = F.commits = F.rollbacks = F.n_events = 0;
	F.submitted = false;
	F.have_graded = F.have_inserted = false;
}

/* ---- the tests --------------------------------------------------------------------------- */

static void a_start_draws_a_paper_without_keys(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_user u;
	lms_err err;
	int64_t id = 0;
	bool resumed = true;

	memset(&u, 0, sizeof(u));
	u.id = 7;
	assert_int_equal(lms_as_start(&STORE, "EX", &u, NOW, a, &id, &resumed, &err), 0);
	assert_int_equal(id, 9);
	assert_false(resumed);
	assert_int_equal(F.commits, 1);
	assert_int_equal(F.rollbacks, 0);
	assert_true(F.have_inserted);
	assert_int_equal(F.inserted.n_slots, 2);
	assert_int_equal(F.inserted.attempt_no, 1);
	assert_true(F.inserted.deadline_us == NOW + 600 * LMS_SECOND_US);
	assert_true(F.inserted.seed != 0); /* from RAND_bytes: 0 has a chance of 2^-64 */
	assert_string_equal(F.inserted.slots[0].rkind, "choice");
	assert_int_equal(F.inserted.slots[0].n_a, 3);
	assert_string_equal(F.inserted.slots[1].rkind, "bool");
	/* the paper as shown: the options, never their fractions or which is right */
	assert_non_null(strstr(F.shown[0], "Sai một"));
	assert_null(strstr(F.shown[0], "fraction"));
	assert_null(strstr(F.shown[1], "\"tf_answer\""));
	/* who may not: refused, the transaction rolled back */
	reset_counts();
	F.eligible = false;
	assert_int_equal(lms_as_start(&STORE, "EX", &u, NOW, a, &id, &resumed, &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "not_eligible");
	assert_int_equal(F.rollbacks, 1);
	assert_int_equal(F.commits, 0);
	F.eligible = true;
	F.used = 1; /* the exam's one attempt is used */
	reset_counts();
	assert_int_equal(lms_as_start(&STORE, "EX", &u, NOW, a, &id, &resumed, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "no_attempts_left");
	assert_int_equal(F.rollbacks, 1);
	F.used = 0;
	lms_arena_free(a);
}

static void a_save_after_the_deadline_submits(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_as_save_in in;
	lms_as_save_out out;
	lms_response r;
	lms_err err;

	memset(&in, 0, sizeof(in));
	memset(&r, 0, sizeof(r));
	in.attempt_id = 9;
	in.user_id = 7;
	in.rev = 2;
	in.now_us = NOW;
	r.kind = LMS_R_CHOICE;
	r.choice = 1;
	reset_counts();
	F.save_status = LMS_AS_SAVED;
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), 0);
	assert_string_equal(in.response, "{\"choice\":1}");
	F.save_status = LMS_AS_SAVE_STALE;
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), 0);
	assert_int_equal(out.status, LMS_AS_SAVE_STALE);
	F.save_status = LMS_AS_SAVE_NO_SLOT;
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), LMS_EINVAL);
	assert_string_equal(err.code, "not_in_paper");
	assert_string_equal(err.field, "slot");
	F.save_status = LMS_AS_SAVE_NO_ATTEMPT;
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), LMS_ENOTFOUND);
	/* past the deadline: refused, recorded, and the server submits the attempt */
	F.save_status = LMS_AS_SAVE_DEADLINE;
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), LMS_EFORBIDDEN);
	assert_string_equal(err.code, "deadline_passed");
	assert_true(F.submitted);
	assert_string_equal(F.submitted_by, "server");
	assert_int_equal(F.n_events, 2);
	assert_string_equal(F.events[0], "late_save");
	assert_string_equal(F.events[1], "server_submit");
	assert_int_equal(F.commits, 1);
	/* an answer of no possible shape never reaches the store */
	r.choice = LMS_Q_MAX_OPTIONS;
	reset_counts();
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), LMS_EINVAL);
	assert_string_equal(err.code, "response_shape");
	in.rev = 0;
	r.choice = 0;
	assert_int_equal(lms_as_save(&STORE, &in, &r, a, &out, &err), LMS_EINVAL);
	assert_string_equal(err.field, "rev");
	lms_arena_free(a);
}

/* The answers in the positions shown: the right option wherever the layout put it. */
static void prepare_right_answers(void)
{
	lms_arena *a = lms_arena_new();
	lms_question *q;
	lms_qlayout l;
	lms_qlimits lim;
	lms_err err;
	size_t p;

	lms_qlimits_default(&lim);
	assert_int_equal(lms_question_from_json(F.body[0], strlen(F.body[0]), &lim, a, &q, &err), 0);
	assert_int_equal(lms_question_layout(q, 1, a, &l, &err), 0);
	memset(F.answers, 0, sizeof(F.answers));
	F.answers[0].slot_no = 0;
	F.answers[0].rev = 3;
	F.answers[0].shown.kind = LMS_R_CHOICE;
	for (p = 0; p < l.n_options; p++)
		if (l.option_order[p] == 0) /* "Đúng" is stored first */
			F.answers[0].shown.choice = p;
	F.answers[1].slot_no = 1;
	F.answers[1].rev = 1;
	F.answers[1].shown.kind = LMS_R_BOOL;
	F.answers[1].shown.value = true;
	F.n_answers = 2;
	lms_arena_free(a);
}

static void a_submission_grades_in_one_transaction(void **state)
{
	(void)state;
	lms_err err;

	prepare_right_answers();
	reset_counts();
	assert_int_equal(lms_as_submit(&STORE, 9, 7, "learner", NOW, &err), 0);
	assert_int_equal(F.begins, 1);
	assert_int_equal(F.commits, 1);
	assert_true(F.have_graded);
	assert_true(F.graded.score == 2);
	assert_true(F.graded.passed);
	assert_false(F.graded.needs_manual);
	assert_int_equal(F.results[0].choice, 0); /* the stored index, for item analysis */
	assert_int_equal(F.results[0].rev, 3);
	assert_true(F.results[1].answered);
	assert_int_equal(F.n_events, 0);
	/* a second submission: refused, nothing written */
	F.have_graded = false;
	assert_int_equal(lms_as_submit(&STORE, 9, 7, "learner", NOW, &err), LMS_ECONFLICT);
	assert_string_equal(err.code, "attempt_submitted");
	assert_false(F.have_graded);
	assert_int_equal(F.rollbacks, 1);
	/* a wrong answer in the shown position of a wrong option scores nothing */
	F.answers[0].shown.choice = (F.answers[0].shown.choice + 1) % 3;
	reset_counts();
	assert_int_equal(lms_as_submit(&STORE, 9, 7, "learner", NOW, &err), 0);
	assert_true(F.graded.score == 1);
}

/* Every store call of a start and of a submission fails in turn: the use case fails cleanly,
 * no transaction stays open, nothing is written after the failure, nothing leaks. */
static void every_failing_call_is_clean(void **state)
{
	(void)state;
	lms_arena *a = lms_arena_new();
	lms_user u;
	lms_err err;
	int64_t id;
	bool resumed;
	int k, rc;

	memset(&u, 0, sizeof(u));
	u.id = 7;
	prepare_right_answers();
	for (k = 1; k <= 12; k++) {
		reset_counts();
		F.fail_at = k;
		rc = lms_as_start(&STORE, "EX", &u, NOW, a, &id, &resumed, &err);
		assert_false(F.in_tx);
		if (rc < 0) {
			assert_int_equal(rc, LMS_EUNAVAIL);
			assert_int_equal(F.commits, 0);
		}
		reset_counts();
		F.fail_at = k;
		rc = lms_as_submit(&STORE, 9, 7, "learner", NOW, &err);
		assert_false(F.in_tx);
		if (rc < 0) {
			assert_int_equal(rc, LMS_EUNAVAIL);
			assert_int_equal(F.commits, 0);
		} else {
			assert_int_equal(F.commits, 1);
		}
	}
	F.fail_at = 0;
	lms_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_start_draws_a_paper_without_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(a_save_after_the_deadline_submits, setup, teardown),
		cmocka_unit_test_setup_teardown(a_submission_grades_in_one_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(every_failing_call_is_clean, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
