/* store_pg_assess.c — quizzes and capability exams in PostgreSQL (assess_store.h,
 * lms_assess_ops; schemas/sql/0014_assessment.sql).
 *
 * Invariants: every statement is a named constant run prepared with bound parameters. A save
 * is one statement: it bumps the attempt's rev and appends the answer only when the attempt
 * is the learner's, open, before its deadline (the server's time, a parameter), the slot is
 * of the paper and the answer of its shape, and the revision is newer; the same statement
 * reports which guard held it back. The attempt row is the lock that orders saves and the
 * submission: a save that waits for a submission re-reads the row and writes nothing. A
 * result and its exam_result event are written by one statement (like the completion's in
 * store_pg_player.c), so the event exists exactly when the final result does.
 * Not here: the rules (assess.c) and their use (assess_run.c).
 */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/assess_files.h"
#include "lms/assess_store.h"
#include "lms/cert_code.h"
#include "lms/certs.h"
#include "lms/course_quiz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TS(p) "('epoch'::timestamptz + " p "::bigint * interval '1 microsecond')"
#define US(c) "(extract(epoch from " c ") * 1000000)::bigint"
#define US0(c) "coalesce(" US(c) ", 0)"
#define SUBTREE(p)                                                                         \
	"(WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE id = ANY(" p "::bigint[]) "  \
	"UNION SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)"

/* The columns of an assessment (read_assessment). */
#define ASM_COLS                                                                           \
	"a.id, a.code, a.kind, a.title, a.description, a.status, u.code, u.name, c.code, "    \
	US0("a.opens_at") ", " US0("a.closes_at") ", a.time_limit_s, a.max_attempts, "       \
	"a.pass_fraction, a.grading, a.shuffle_questions, a.show_score, a.show_answers, "     \
	"a.show_feedback, a.rev, a.created_by, " US("a.created_at") ", " US0("a.opened_at")  \
	", " US0("a.closed_at") ", " US0("a.results_published_at") ", a.results_published_by, " \
	"a.counts_for_course "
#define ASM_NCOLS 27
#define ASM_COUNTS                                                                         \
	", (SELECT count(*) FROM attempt t WHERE t.assessment_id = a.id), "                   \
	"(SELECT count(*) FROM attempt t WHERE t.assessment_id = a.id AND t.submitted_at IS NOT NULL), " \
	"(SELECT count(*) FROM attempt t WHERE t.assessment_id = a.id AND t.needs_manual) "
#define ASM_FROM                                                                           \
	"FROM assessment a JOIN org_unit u ON u.id = a.unit_id LEFT JOIN course c ON c.id = a.course_id "

/* The current answer of a slot flattened for C (response r): kind, the positions as
 * "1,2,3" (pairs as "stem,choice,stem,choice"), the boolean, the text. */
#define ANSWER_COLS(r)                                                                     \
	"CASE WHEN " r " ? 'choice' THEN 'choice' WHEN " r " ? 'choices' THEN 'choices' "      \
	"WHEN " r " ? 'value' THEN 'bool' WHEN " r " ? 'text' THEN 'text' "                    \
	"WHEN " r " ? 'pairs' THEN 'pairs' WHEN " r " ? 'order' THEN 'order' ELSE 'none' END, " \
	"coalesce(" r "->>'choice', (SELECT string_agg(e, ',' ORDER BY o) FROM "               \
	"jsonb_array_elements_text(CASE WHEN " r " ? 'choices' THEN " r "->'choices' "        \
	"WHEN " r " ? 'order' THEN " r "->'order' END) WITH ORDINALITY x(e, o)), "             \
	"(SELECT string_agg((p->>'stem') || ',' || (p->>'choice'), ',' ORDER BY o) FROM "     \
	"jsonb_array_elements(CASE WHEN " r " ? 'pairs' THEN " r "->'pairs' END) "            \
	"WITH ORDINALITY x(p, o))), (" r "->>'value')::boolean, " r "->>'text' "

/* An attempt's exam_result event (docs/personnel-sync.md), from the attempt row t just
 * written, in the same statement: only for an exam whose result is final. */
#define EXAM_EVENT                                                                         \
	"o AS (INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, "   \
	" occurred_at, payload, state) SELECT 'exr_' || t.id, 'exam_result', p.id, "           \
	" p.employee_code, p.unit_id, t.graded_at, json_build_object('version', 1, "          \
	" 'event_id', 'exr_' || t.id, 'kind', 'exam_result', 'occurred_at', t.graded_at, "     \
	" 'employee_code', p.employee_code, 'unit_code', ou.code, 'exam_code', a.code, "       \
	" 'title', a.title, 'completed_at', t.submitted_at, "                                  \
	" 'passed_at', CASE WHEN t.passed THEN t.graded_at END, 'passed', t.passed, "          \
	" 'score', t.fraction, 'active_time_s', "                                              \
	" greatest(0, floor(extract(epoch from t.submitted_at - t.started_at)))::bigint, "     \
	" 'reported_time_s', NULL, 'certificate_serial', NULL, 'issuing_unit_code', au.code, " \
	" 'evidence_url', NULL), CASE WHEN p.id IS NULL THEN 'unroutable' ELSE 'pending' END " \
	" FROM t JOIN assessment a ON a.id = t.assessment_id JOIN org_unit au ON au.id = a.unit_id " \
	" LEFT JOIN person p ON p.id = t.person_id LEFT JOIN org_unit ou ON ou.id = p.unit_id " \
	" WHERE a.kind = 'exam' AND NOT t.needs_manual RETURNING seq) "

enum {
	A_INSERT, A_UPDATE, A_UPDATE_WHY, A_CLEAR, A_FIXED_MISSING, A_FIXED, A_RULES, A_AUDIENCE,
	A_NAMED_MISSING, A_NAMED, A_LOG, A_GET, A_GET_FIXED, A_GET_RULES, A_GET_AUDIENCE,
	A_GET_NAMED, A_LIST, A_STATUS, A_PUBLISH, A_GRANT, A_MINE, A_START_LOCK, A_START_INFO,
	A_POOL, A_VERSIONS, A_ATTEMPT_INSERT, A_ATTEMPT_GET, A_SLOTS, A_SAVE, A_SAVE_RECHECK,
	A_EVENT, A_DEVICE, A_EVENTS, A_SUBMIT_MARK, A_ANSWERS, A_SUBMIT_WRITE, A_DUE, A_ESSAYS,
	A_MANUAL, A_RESULT_WRITE, A_RESULTS, A_ITEM_CELLS, A_POOL_PROPOSE, A_POOL_LIST,
	A_POOL_DECIDE, A_POOL_WHY, A_CERT_PENDING, A_CERT_INSERT,
	A_COURSE_QUIZZES, A_CQ_ENROLMENT, /* quizzes that count toward a course (0015) */
	A_FILE,
	A_PERSON, A_PERSON_COURSES, A_PERSON_RESULTS, /* a person's learning record (read-only) */
	A__COUNT
};
_Static_assert(PGX_ASSESS_SLOT + A__COUNT <= PGX_ASSESS_SLOT_END, "assessments have slots 192..255");
_Static_assert(PGX_ASSESS_SLOT_END + PGX_SLOT_BASE <= PGX_SLOTS, "slots");

static const pgx_stmt stmts[A__COUNT] = {
	/* $1 code, $2 kind, $3 title, $4 description, $5 unit, $6 course, $7 opens (µs or NULL),
	 * $8 closes, $9 time limit s, $10 max attempts, $11 pass fraction, $12 grading,
	 * $13 shuffle, $14..$16 show score/answers/feedback, $17 actor */
	[A_INSERT] = {
		"INSERT INTO assessment (code, kind, title, description, unit_id, course_id, opens_at, "
		"closes_at, time_limit_s, max_attempts, pass_fraction, grading, shuffle_questions, "
		"show_score, show_answers, show_feedback, created_by, counts_for_course) "
		"SELECT $1, $2, $3, $4, u.id, c.id, " TS("$7") ", " TS("$8") ", $9::int, $10::int, "
		"$11::float8, $12, $13::boolean, $14, $15, $16, $17, $18::boolean FROM org_unit u "
		"LEFT JOIN course c ON c.code = $6 WHERE u.code = $5 "
		"RETURNING id, ($6::text IS NULL OR course_id IS NOT NULL)", 18, 0 },
	/* $18 id, $19 expected rev: the same values as A_INSERT (no code, no actor) */
	[A_UPDATE] = {
		"UPDATE assessment a SET kind = $2, title = $3, description = $4, "
		"unit_id = (SELECT id FROM org_unit WHERE code = $5), "
		"course_id = (SELECT id FROM course WHERE code = $6), opens_at = " TS("$7") ", "
		"closes_at = " TS("$8") ", time_limit_s = $9::int, max_attempts = $10::int, "
		"pass_fraction = $11::float8, grading = $12, shuffle_questions = $13::boolean, "
		"show_score = $14, show_answers = $15, show_feedback = $16, "
		"counts_for_course = $20::boolean, rev = rev + 1 "
		"WHERE id = $18::bigint AND rev = $19::bigint AND status = 'draft' AND code = $1 "
		"AND $17::text IS NOT NULL AND EXISTS (SELECT 1 FROM org_unit WHERE code = $5) "
		"AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM course WHERE code = $6)) "
		"RETURNING id", 20, 0 },
	[A_UPDATE_WHY] = {
		"SELECT status, rev, EXISTS (SELECT 1 FROM org_unit WHERE code = $2), "
		"($3::text IS NULL OR EXISTS (SELECT 1 FROM course WHERE code = $3)) "
		"FROM assessment WHERE id = $1::bigint", 3, 1 },
	[A_CLEAR] = {
		"WITH f AS (DELETE FROM assessment_fixed WHERE assessment_id = $1::bigint), "
		"r AS (DELETE FROM assessment_rule WHERE assessment_id = $1::bigint), "
		"au AS (DELETE FROM assessment_audience WHERE assessment_id = $1::bigint), "
		"c AS (DELETE FROM assessment_candidate WHERE assessment_id = $1::bigint) SELECT 1", 1, 0 },
	[A_FIXED_MISSING] = {
		"SELECT min(x.o) - 1 FROM unnest($1::bigint[]) WITH ORDINALITY x(q, o) "
		"WHERE NOT EXISTS (SELECT 1 FROM question q WHERE q.id = x.q AND q.retired_at IS NULL)", 1, 1 },
	[A_FIXED] = {
		"INSERT INTO assessment_fixed (assessment_id, ord, question_id) "
		"SELECT $1::bigint, x.o - 1, x.q FROM unnest($2::bigint[]) WITH ORDINALITY x(q, o)", 2, 0 },
	[A_RULES] = {
		"INSERT INTO assessment_rule (assessment_id, ord, category, difficulty, tag, count, points) "
		"SELECT $1::bigint, x.o - 1, x.c, x.d, x.t, x.n, x.p FROM unnest($2::text[], $3::text[], "
		"$4::text[], $5::int[], $6::float8[]) WITH ORDINALITY x(c, d, t, n, p, o)", 6, 0 },
	/* one line: $2 ord, $3 unit code or NULL, $4 positions, $5 PAR role, $6 leader */
	[A_AUDIENCE] = {
		"INSERT INTO assessment_audience (assessment_id, ord, unit_id, positions, par_role, is_leader) "
		"SELECT $1::bigint, $2::int, u.id, $4::text[], $5, $6::boolean FROM (SELECT 1) d "
		"LEFT JOIN org_unit u ON u.code = $3 WHERE $3::text IS NULL OR u.id IS NOT NULL "
		"RETURNING 1", 6, 0 },
	[A_NAMED_MISSING] = {
		"SELECT min(x.o) - 1 FROM unnest($1::text[]) WITH ORDINALITY x(c, o) "
		"WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.employee_code = x.c)", 1, 1 },
	[A_NAMED] = {
		"INSERT INTO assessment_candidate (assessment_id, person_id) SELECT $1::bigint, p.id "
		"FROM unnest($2::text[]) x(c) JOIN person p ON p.employee_code = x.c ON CONFLICT DO NOTHING", 2, 0 },
	[A_LOG] = {
		"INSERT INTO assessment_log (assessment_id, actor, action, detail) "
		"VALUES ($1::bigint, $2, $3, $4)", 4, 0 },
	[A_GET] = { "SELECT " ASM_COLS ASM_COUNTS ASM_FROM "WHERE a.code = $1", 1, 1 },
	[A_GET_FIXED] = { "SELECT question_id FROM assessment_fixed WHERE assessment_id = $1::bigint "
	                  "ORDER BY ord", 1, 1 },
	[A_GET_RULES] = { "SELECT category, difficulty, tag, count, points FROM assessment_rule "
	                  "WHERE assessment_id = $1::bigint ORDER BY ord", 1, 1 },
	[A_GET_AUDIENCE] = { "SELECT u.code, array_to_string(x.positions, chr(31)), x.par_role, "
	                     "x.is_leader FROM assessment_audience x LEFT JOIN org_unit u ON u.id = x.unit_id "
	                     "WHERE x.assessment_id = $1::bigint ORDER BY x.ord", 1, 1 },
	[A_GET_NAMED] = { "SELECT p.employee_code FROM assessment_candidate c JOIN person p ON p.id = c.person_id "
	                  "WHERE c.assessment_id = $1::bigint ORDER BY p.employee_code", 1, 1 },
	/* $1 every unit, $2 roots */
	[A_LIST] = { "SELECT " ASM_COLS ASM_COUNTS ASM_FROM
	             "WHERE $1::boolean OR a.unit_id IN " SUBTREE("$2")
	             " ORDER BY a.created_at DESC, a.id DESC LIMIT 500", 2, 1 },
	/* $1 id, $2 from, $3 to, $4 actor, $5 now */
	[A_STATUS] = {
		"WITH x AS (UPDATE assessment SET status = $3, rev = rev + 1, "
		"opened_at = CASE WHEN $3 = 'open' THEN " TS("$5") " ELSE opened_at END, "
		"opened_by = CASE WHEN $3 = 'open' THEN $4 ELSE opened_by END, "
		"closed_at = CASE WHEN $3 = 'closed' THEN " TS("$5") " ELSE closed_at END, "
		"closed_by = CASE WHEN $3 = 'closed' THEN $4 ELSE closed_by END "
		"WHERE id = $1::bigint AND status = $2 RETURNING id), "
		"l AS (INSERT INTO assessment_log (assessment_id, actor, action, at) "
		"SELECT id, $4, $3, " TS("$5") " FROM x) SELECT count(*) FROM x", 5, 0 },
	[A_PUBLISH] = {
		"WITH x AS (UPDATE assessment SET results_published_at = " TS("$3") ", "
		"results_published_by = $2, rev = rev + 1 WHERE id = $1::bigint "
		"AND results_published_at IS NULL AND status <> 'draft' RETURNING id), "
		"l AS (INSERT INTO assessment_log (assessment_id, actor, action, at) "
		"SELECT id, $2, 'publish', " TS("$3") " FROM x) SELECT count(*) FROM x", 3, 0 },
	/* $1 id, $2 username, $3 reason, $4 actor */
	[A_GRANT] = {
		"WITH u AS (SELECT id FROM app_user WHERE username = $2), "
		"g AS (INSERT INTO attempt_grant (assessment_id, user_id, reason, granted_by) "
		"SELECT $1::bigint, u.id, $3, $4 FROM u RETURNING id), "
		"l AS (INSERT INTO assessment_log (assessment_id, actor, action, detail) "
		"SELECT $1::bigint, $4, 'grant', $2 || ': ' || $3 FROM g) SELECT count(*) FROM g", 4, 0 },
	[A_MINE] = {
		"SELECT a.code, a.title, a.description, c.code, a.status, a.kind, " US0("a.opens_at") ", "
		US0("a.closes_at") ", a.time_limit_s, a.max_attempts, a.pass_fraction, a.grading, "
		"a.show_score, a.show_answers, a.show_feedback, a.results_published_at IS NOT NULL, "
		"assessment_eligible(a.id, $1::bigint), "
		"(SELECT count(*) FROM attempt t WHERE t.assessment_id = a.id AND t.user_id = $1::bigint), "
		"(SELECT count(*) FROM attempt_grant g WHERE g.assessment_id = a.id AND g.user_id = $1::bigint), "
		"coalesce(o.id, 0), " US0("o.deadline_at") ", coalesce(l.id, 0), coalesce(l.graded_at IS NOT NULL, false), "
		"coalesce(l.needs_manual, false), coalesce(l.passed, false), coalesce(l.fraction, 0), "
		"(SELECT string_agg(t.fraction::text, ',' ORDER BY t.attempt_no) FROM attempt t "
		" WHERE t.assessment_id = a.id AND t.user_id = $1::bigint AND t.graded_at IS NOT NULL "
		" AND NOT t.needs_manual) "
		"FROM assessment a LEFT JOIN course c ON c.id = a.course_id "
		"LEFT JOIN attempt o ON o.assessment_id = a.id AND o.user_id = $1::bigint AND o.submitted_at IS NULL "
		"LEFT JOIN LATERAL (SELECT * FROM attempt t WHERE t.assessment_id = a.id AND t.user_id = $1::bigint "
		" AND t.submitted_at IS NOT NULL ORDER BY t.attempt_no DESC LIMIT 1) l ON true "
		"WHERE a.status <> 'draft' AND (EXISTS (SELECT 1 FROM attempt t WHERE t.assessment_id = a.id "
		" AND t.user_id = $1::bigint) OR (a.status = 'open' AND assessment_eligible(a.id, $1::bigint))) "
		"ORDER BY a.status, a.closes_at NULLS LAST, a.title COLLATE \"vi-VN-x-icu\", a.code "
		"LIMIT 500", 1, 1 },
	/* one start at a time per account and assessment */
	[A_START_LOCK] = { "SELECT pg_advisory_xact_lock(7270014, hashtext($1 || ':' || $2))", 2, 0 },
	[A_START_INFO] = {
		"SELECT " ASM_COLS ", assessment_eligible(a.id, $2::bigint), "
		"(SELECT count(*) FROM attempt t WHERE t.assessment_id = a.id AND t.user_id = $2::bigint), "
		"(SELECT count(*) FROM attempt_grant g WHERE g.assessment_id = a.id AND g.user_id = $2::bigint), "
		"coalesce((SELECT t.id FROM attempt t WHERE t.assessment_id = a.id AND t.user_id = $2::bigint "
		" AND t.submitted_at IS NULL), 0), "
		"coalesce((SELECT person_id FROM app_user WHERE id = $2::bigint), 0), "
		"(SELECT string_agg(question_id::text, ',' ORDER BY ord) FROM assessment_fixed f "
		" WHERE f.assessment_id = a.id) " ASM_FROM "WHERE a.code = $1", 2, 0 },
	/* $1 fixed ids, $2 a rule takes any category, $3 the rules' categories */
	[A_POOL] = {
		"SELECT q.id, v.id, coalesce(c.path, ''), v.difficulty, "
		"coalesce((v.body->>'default_mark')::float8, 1), "
		"coalesce((SELECT string_agg(t.tag, chr(31) ORDER BY t.tag) FROM question_tag t "
		" WHERE t.question_id = q.id), '') "
		"FROM question q JOIN question_version v ON v.question_id = q.id AND v.version_no = q.current_version "
		"LEFT JOIN question_category c ON c.id = q.category_id WHERE q.retired_at IS NULL "
		"AND (q.id = ANY($1::bigint[]) OR (q.qtype <> 'description' AND ($2::boolean OR "
		" EXISTS (SELECT 1 FROM unnest($3::text[]) k WHERE c.path = k OR left(c.path, length(k) + 1) = k || '/')))) "
		"ORDER BY q.id", 3, 1 },
	[A_VERSIONS] = {
		"SELECT x.id, v.body::text FROM unnest($1::bigint[]) WITH ORDINALITY x(id, o) "
		"JOIN question_version v ON v.id = x.id ORDER BY x.o", 1, 1 },
	/* $1 assessment, $2 user, $3 attempt no, $4 seed, $5 start, $6 deadline or NULL, $7 max,
	 * $8.. the slots' columns as arrays */
	[A_ATTEMPT_INSERT] = {
		"WITH t AS (INSERT INTO attempt (assessment_id, user_id, person_id, unit_id, attempt_no, "
		" seed, started_at, deadline_at, max_score) SELECT $1::bigint, u.id, p.id, p.unit_id, "
		" $3::int, $4::bigint, " TS("$5") ", " TS("$6") ", $7::float8 FROM app_user u "
		" LEFT JOIN person p ON p.id = u.person_id WHERE u.id = $2::bigint RETURNING id), "
		"s AS (INSERT INTO attempt_slot (attempt_id, slot_no, question_id, version_id, points, "
		" layout_seed, qtype, rkind, n_a, n_b, shown) SELECT t.id, x.o - 1, x.q, x.v, x.p, x.ls, "
		" x.qt, x.rk, x.na, x.nb, x.sh FROM t, unnest($8::bigint[], $9::bigint[], $10::float8[], "
		" $11::bigint[], $12::text[], $13::text[], $14::int[], $15::int[], $16::jsonb[]) "
		" WITH ORDINALITY x(q, v, p, ls, qt, rk, na, nb, sh, o) RETURNING 1) "
		"SELECT t.id, (SELECT count(*) FROM s) FROM t", 16, 0 },
	[A_ATTEMPT_GET] = {
		"SELECT t.id, t.assessment_id, t.user_id, coalesce(t.person_id, 0), a.code, a.title, "
		"a.status, a.kind, " US0("a.opens_at") ", " US0("a.closes_at") ", a.time_limit_s, "
		"a.max_attempts, a.pass_fraction, a.grading, a.show_score, a.show_answers, a.show_feedback, "
		US0("a.results_published_at") ", t.attempt_no, t.seed, " US("t.started_at") ", "
		US0("t.deadline_at") ", " US0("t.submitted_at") ", t.submitted_by, "
		"t.graded_at IS NOT NULL, t.needs_manual, coalesce(t.passed, false), coalesce(t.score, 0), "
		"t.max_score, coalesce(t.fraction, 0), t.rev, t.device, coalesce(p.full_name, u.display_name), "
		"p.employee_code, ou.code "
		"FROM attempt t JOIN assessment a ON a.id = t.assessment_id JOIN app_user u ON u.id = t.user_id "
		"LEFT JOIN person p ON p.id = t.person_id LEFT JOIN org_unit ou ON ou.id = t.unit_id "
		"WHERE t.id = $1::bigint AND ($2::bigint = 0 OR t.user_id = $2::bigint)", 2, 1 },
	[A_SLOTS] = {
		"SELECT s.slot_no, s.question_id, s.version_id, s.points, s.layout_seed, s.qtype, s.rkind, "
		"s.n_a, s.n_b, s.shown::text, x.response::text, coalesce(x.rev, 0), " US0("x.saved_at") ", "
		"r.attempt_id IS NOT NULL, coalesce(r.answered, false), coalesce(r.needs_manual, false), "
		"coalesce(r.fraction, 0), coalesce(m.points, r.points, 0), m.id IS NOT NULL, m.comment "
		"FROM attempt_slot s LEFT JOIN LATERAL (SELECT rev, response, saved_at FROM attempt_answer y "
		" WHERE y.attempt_id = s.attempt_id AND y.slot_no = s.slot_no ORDER BY y.rev DESC LIMIT 1) x ON true "
		"LEFT JOIN attempt_result r ON r.attempt_id = s.attempt_id AND r.slot_no = s.slot_no "
		"LEFT JOIN LATERAL (SELECT id, points, comment FROM manual_grade g WHERE g.attempt_id = s.attempt_id "
		" AND g.slot_no = s.slot_no ORDER BY g.id DESC LIMIT 1) m ON true "
		"WHERE s.attempt_id = $1::bigint ORDER BY s.slot_no", 1, 1 },
	/* $1 attempt, $2 user, $3 slot, $4 rev, $5 response, $6 kind, $7 a, $8 b, $9 count,
	 * $10 now, $11 session */
	[A_SAVE] = {
		"WITH t AS (SELECT user_id, submitted_at, deadline_at FROM attempt WHERE id = $1::bigint), "
		"s AS (SELECT ($6 = 'none' OR rkind = $6) AND $7::int < n_a AND $8::int < n_b "
		" AND ($9::int < 0 OR $9::int = n_a) AS fits FROM attempt_slot "
		" WHERE attempt_id = $1::bigint AND slot_no = $3::int), "
		"cur AS (SELECT rev, saved_at FROM attempt_answer WHERE attempt_id = $1::bigint "
		" AND slot_no = $3::int ORDER BY rev DESC LIMIT 1), "
		"u AS (UPDATE attempt SET rev = rev + 1 WHERE id = $1::bigint AND user_id = $2::bigint "
		" AND submitted_at IS NULL AND (deadline_at IS NULL OR deadline_at > " TS("$10") ") "
		" AND (SELECT fits FROM s) AND $4::bigint > coalesce((SELECT rev FROM cur), 0) RETURNING id), "
		"i AS (INSERT INTO attempt_answer (attempt_id, slot_no, rev, response, saved_at, session_id) "
		" SELECT $1::bigint, $3::int, $4::bigint, $5::jsonb, " TS("$10") ", $11::bigint FROM u "
		" ON CONFLICT DO NOTHING RETURNING rev, saved_at) "
		"SELECT (SELECT count(*) FROM t WHERE user_id = $2::bigint), "
		"coalesce((SELECT submitted_at IS NOT NULL FROM t), false), "
		"coalesce((SELECT deadline_at <= " TS("$10") " FROM t), false), "
		"(SELECT count(*) FROM s), coalesce((SELECT fits FROM s), false), "
		"coalesce((SELECT rev FROM i), 0), coalesce((SELECT " US("saved_at") " FROM i), 0), "
		"coalesce((SELECT rev FROM cur), 0), coalesce((SELECT " US("saved_at") " FROM cur), 0), "
		"coalesce((SELECT " US("deadline_at") " FROM t), 0)", 11, 0 },
	/* after a save that lost a race: is the attempt closed now, and the slot's revision */
	[A_SAVE_RECHECK] = {
		"SELECT t.submitted_at IS NOT NULL, coalesce((SELECT max(rev) FROM attempt_answer x "
		" WHERE x.attempt_id = t.id AND x.slot_no = $2::int), 0), "
		"coalesce((SELECT " US("saved_at") " FROM attempt_answer x WHERE x.attempt_id = t.id "
		" AND x.slot_no = $2::int ORDER BY rev DESC LIMIT 1), 0) "
		"FROM attempt t WHERE t.id = $1::bigint", 2, 1 },
	/* $1 attempt, $2 user (0: any), $3 kind, $4 source, $5 detail, $6 client time,
	 * $7 session, $8 at */
	[A_EVENT] = {
		"INSERT INTO integrity_event (attempt_id, kind, at, source, detail, client_at, session_id) "
		"SELECT id, $3, " TS("$8") ", $4, $5, $6, nullif($7::bigint, 0) FROM attempt "
		"WHERE id = $1::bigint AND ($2::bigint = 0 OR user_id = $2::bigint) RETURNING id", 8, 0 },
	[A_DEVICE] = {
		"WITH u AS (UPDATE attempt SET device = $2 WHERE id = $1::bigint AND device IS NULL "
		" AND submitted_at IS NULL RETURNING device) "
		"SELECT coalesce((SELECT device FROM u), (SELECT device FROM attempt WHERE id = $1::bigint))", 2, 0 },
	[A_EVENTS] = {
		"SELECT kind, source, detail, client_at, " US("at") " FROM integrity_event "
		"WHERE attempt_id = $1::bigint ORDER BY id LIMIT 2000", 1, 1 },
	/* $1 attempt, $2 user (0: any), $3 by, $4 now: past the deadline the server closes it */
	[A_SUBMIT_MARK] = {
		"WITH t AS (SELECT id FROM attempt WHERE id = $1::bigint AND ($2::bigint = 0 OR user_id = $2::bigint)), "
		"u AS (UPDATE attempt SET "
		" submitted_at = CASE WHEN deadline_at IS NOT NULL AND deadline_at <= " TS("$4")
		"  THEN deadline_at ELSE " TS("$4") " END, "
		" submitted_by = CASE WHEN deadline_at IS NOT NULL AND deadline_at <= " TS("$4")
		"  THEN 'server' ELSE $3 END "
		" WHERE id = (SELECT id FROM t) AND submitted_at IS NULL RETURNING id) "
		"SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM u)", 4, 0 },
	[A_ANSWERS] = {
		"SELECT DISTINCT ON (slot_no) slot_no, rev, " ANSWER_COLS("response")
		"FROM attempt_answer WHERE attempt_id = $1::bigint ORDER BY slot_no, rev DESC", 1, 1 },
	/* $1 attempt, $2.. $8 the slots' grades as arrays, $9 score, $10 fraction, $11 passed,
	 * $12 needs manual, $13 now */
	[A_SUBMIT_WRITE] = {
		"WITH r AS (INSERT INTO attempt_result (attempt_id, slot_no, rev, answered, needs_manual, "
		" fraction, points, choice) SELECT $1::bigint, x.s, nullif(x.rev, 0), x.ans, x.nm, x.f, x.p, "
		" nullif(x.c, -1) FROM unnest($2::int[], $3::bigint[], $4::boolean[], $5::boolean[], "
		" $6::float8[], $7::float8[], $8::int[]) x(s, rev, ans, nm, f, p, c) RETURNING 1), "
		"t AS (UPDATE attempt SET score = $9::float8, fraction = $10::float8, passed = $11::boolean, "
		" needs_manual = $12::boolean, graded_at = " TS("$13") " WHERE id = $1::bigint "
		" AND submitted_at IS NOT NULL AND graded_at IS NULL RETURNING *), "
		EXAM_EVENT
		"SELECT (SELECT count(*) FROM r), (SELECT count(*) FROM t), (SELECT count(*) FROM o)", 13, 0 },
	[A_DUE] = {
		"SELECT id FROM attempt WHERE submitted_at IS NULL AND deadline_at <= " TS("$1")
		" ORDER BY deadline_at LIMIT $2::int", 2, 1 },
	[A_ESSAYS] = {
		"SELECT s.attempt_id, s.slot_no, coalesce(p.full_name, u.display_name), p.employee_code, "
		"s.points, s.shown::text, x.response::text, m.id IS NOT NULL, coalesce(m.points, 0), m.comment "
		"FROM attempt t JOIN attempt_slot s ON s.attempt_id = t.id AND s.qtype = 'essay' "
		"JOIN app_user u ON u.id = t.user_id LEFT JOIN person p ON p.id = t.person_id "
		"LEFT JOIN LATERAL (SELECT response FROM attempt_answer y WHERE y.attempt_id = s.attempt_id "
		" AND y.slot_no = s.slot_no ORDER BY y.rev DESC LIMIT 1) x ON true "
		"LEFT JOIN LATERAL (SELECT id, points, comment FROM manual_grade g WHERE g.attempt_id = s.attempt_id "
		" AND g.slot_no = s.slot_no ORDER BY g.id DESC LIMIT 1) m ON true "
		"WHERE t.assessment_id = $1::bigint AND t.graded_at IS NOT NULL "
		"ORDER BY m.id IS NOT NULL, t.id, s.slot_no LIMIT 2000", 1, 1 },
	/* $1 assessment, $2 attempt, $3 slot, $4 points, $5 comment, $6 grader, $7 now */
	[A_MANUAL] = {
		"WITH s AS (SELECT s.points, t.needs_manual FROM attempt t JOIN attempt_slot s "
		" ON s.attempt_id = t.id WHERE t.id = $2::bigint AND t.assessment_id = $1::bigint "
		" AND t.graded_at IS NOT NULL AND s.slot_no = $3::int AND s.qtype = 'essay' FOR UPDATE OF t), "
		"g AS (INSERT INTO manual_grade (attempt_id, slot_no, points, comment, grader, graded_at) "
		" SELECT $2::bigint, $3::int, $4::float8, $5, $6, " TS("$7") " FROM s "
		" WHERE s.needs_manual AND $4::float8 <= s.points RETURNING id), "
		"l AS (INSERT INTO assessment_log (assessment_id, actor, action, detail, at) "
		" SELECT $1::bigint, $6, 'grade', 'attempt ' || $2 || ' slot ' || $3 || ': ' || $4, " TS("$7")
		" FROM g) "
		"SELECT (SELECT count(*) FROM s), coalesce((SELECT needs_manual FROM s), false), "
		"(SELECT count(*) FROM g), (SELECT points FROM s)", 7, 0 },
	/* $1 attempt, $2 score, $3 fraction, $4 passed, $5 needs manual, $6 now */
	[A_RESULT_WRITE] = {
		"WITH t AS (UPDATE attempt SET score = $2::float8, fraction = $3::float8, passed = $4::boolean, "
		" needs_manual = $5::boolean, graded_at = " TS("$6") " WHERE id = $1::bigint AND needs_manual "
		" RETURNING *), " EXAM_EVENT
		"SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM o)", 6, 0 },
	/* $1 assessment, $2 every unit, $3 roots */
	[A_RESULTS] = {
		"SELECT t.id, t.user_id, coalesce(t.person_id, 0), t.attempt_no, "
		"coalesce(p.full_name, u.display_name), p.employee_code, ou.code, ou.name, p.position, "
		"coalesce(p.is_leader, false), " US("t.started_at") ", " US("t.submitted_at") ", "
		"t.submitted_by, t.graded_at IS NOT NULL, t.needs_manual, coalesce(t.passed, false), "
		"coalesce(t.score, 0), t.max_score, coalesce(t.fraction, 0), "
		"(SELECT count(*) FROM integrity_event e WHERE e.attempt_id = t.id AND e.source = 'client' "
		" OR e.attempt_id = t.id AND e.kind = 'second_device') "
		"FROM attempt t JOIN app_user u ON u.id = t.user_id LEFT JOIN person p ON p.id = t.person_id "
		"LEFT JOIN org_unit ou ON ou.id = t.unit_id "
		"WHERE t.assessment_id = $1::bigint AND t.submitted_at IS NOT NULL "
		"AND ($2::boolean OR t.unit_id IN " SUBTREE("$3") ") "
		"ORDER BY t.user_id, t.attempt_no LIMIT 20000", 3, 1 },
	[A_ITEM_CELLS] = {
		"SELECT s.attempt_id, s.version_id, s.question_id, r.fraction, s.points, coalesce(r.choice, -1) "
		"FROM attempt t JOIN attempt_result r ON r.attempt_id = t.id "
		"JOIN attempt_slot s ON s.attempt_id = r.attempt_id AND s.slot_no = r.slot_no "
		"WHERE t.assessment_id = $1::bigint AND t.graded_at IS NOT NULL AND NOT t.needs_manual "
		"AND s.qtype <> 'description' ORDER BY t.id, s.slot_no LIMIT 5000000", 1, 1 },
	/* $1 assessment, $2 attempt, $3 track, $4 rank, $5 score, $6 actor */
	[A_POOL_PROPOSE] = {
		"WITH x AS (INSERT INTO talent_pool (assessment_id, person_id, attempt_id, track, rank, score, "
		" proposed_by) SELECT $1::bigint, t.person_id, t.id, $3, $4::int, $5::float8, $6 FROM attempt t "
		" WHERE t.id = $2::bigint AND t.assessment_id = $1::bigint AND t.person_id IS NOT NULL "
		" AND t.graded_at IS NOT NULL AND NOT t.needs_manual ON CONFLICT DO NOTHING RETURNING id, person_id), "
		"l AS (INSERT INTO assessment_log (assessment_id, actor, action, detail) "
		" SELECT $1::bigint, $6, 'propose', 'attempt ' || $2 || ' as ' || $3 FROM x) "
		"SELECT (SELECT count(*) FROM x), EXISTS (SELECT 1 FROM attempt t WHERE t.id = $2::bigint "
		" AND t.assessment_id = $1::bigint AND t.person_id IS NOT NULL AND t.graded_at IS NOT NULL "
		" AND NOT t.needs_manual)", 6, 0 },
	/* $1 assessment (0 any), $2 every unit, $3 roots */
	[A_POOL_LIST] = {
		"SELECT tp.id, tp.attempt_id, a.code, a.title, p.employee_code, p.full_name, ou.code, ou.name, "
		"tp.track, tp.rank, tp.score, tp.proposed_by, " US("tp.proposed_at") ", tp.status, "
		"tp.decided_by, tp.note, " US0("tp.decided_at") " "
		"FROM talent_pool tp JOIN assessment a ON a.id = tp.assessment_id "
		"JOIN person p ON p.id = tp.person_id JOIN org_unit ou ON ou.id = p.unit_id "
		"WHERE ($1::bigint = 0 OR tp.assessment_id = $1::bigint) "
		"AND ($2::boolean OR p.unit_id IN " SUBTREE("$3") ") "
		"ORDER BY a.code, tp.track, tp.rank, p.full_name COLLATE \"vi-VN-x-icu\" LIMIT 5000", 3, 1 },
	/* $1 entry, $2 status, $3 actor, $4 note, $5 now, $6 every unit, $7 roots */
	[A_POOL_DECIDE] = {
		"WITH x AS (UPDATE talent_pool tp SET status = $2, decided_by = $3, decided_at = " TS("$5") ", "
		" note = $4 FROM person p WHERE tp.id = $1::bigint AND p.id = tp.person_id "
		" AND tp.status = 'proposed' AND ($6::boolean OR p.unit_id IN " SUBTREE("$7") ") "
		" RETURNING tp.id, tp.assessment_id), "
		"l AS (INSERT INTO assessment_log (assessment_id, actor, action, detail, at) "
		" SELECT x.assessment_id, $3, $2, 'talent pool entry ' || x.id, " TS("$5") " FROM x) "
		"SELECT count(*) FROM x", 7, 0 },
	[A_POOL_WHY] = {
		"SELECT tp.status FROM talent_pool tp JOIN person p ON p.id = tp.person_id "
		"WHERE tp.id = $1::bigint AND ($2::boolean OR p.unit_id IN " SUBTREE("$3") ")", 3, 1 },
	[A_CERT_PENDING] = {
		"SELECT t.id FROM attempt t JOIN assessment a ON a.id = t.assessment_id "
		"WHERE a.kind = 'exam' AND a.results_published_at IS NOT NULL AND t.passed "
		"AND t.graded_at IS NOT NULL AND NOT t.needs_manual "
		"AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.attempt_id = t.id) "
		"ORDER BY t.id LIMIT $1::int", 1, 1 },
	/* $1 attempt, $2 serial, $3 code, $4 key id, $5 issuer code or NULL (the exam's unit),
	 * $6 public URL, $7 now; the event as store_pg_cert.c writes a course's, with exam_code */
	[A_CERT_INSERT] = {
		"WITH src AS (SELECT t.id AS attempt_id, t.user_id, t.person_id, p.unit_id, "
		" coalesce(p.full_name, u.display_name) AS learner_name, p.employee_code, a.code AS exam, "
		" a.title, t.passed, t.fraction, t.submitted_at, coalesce((SELECT id FROM org_unit "
		" WHERE code = $5), a.unit_id) AS issuer FROM attempt t JOIN assessment a ON a.id = t.assessment_id "
		" JOIN app_user u ON u.id = t.user_id LEFT JOIN person p ON p.id = t.person_id "
		" WHERE t.id = $1::bigint AND t.passed AND a.kind = 'exam'), "
		"x AS (INSERT INTO certificate (serial, code, key_id, kind, attempt_id, user_id, person_id, "
		" unit_id, learner_name, employee_code, title, passed, score, completed_at, issued_at, "
		" issuing_unit_id) SELECT $2, $3, $4::int, 'exam', attempt_id, user_id, person_id, unit_id, "
		" learner_name, employee_code, title, passed, fraction, submitted_at, "
		" to_timestamp($7::bigint / 1000000.0), issuer FROM src ON CONFLICT (attempt_id) DO NOTHING "
		" RETURNING id, serial, code, person_id, title, issuing_unit_id, issued_at AS at), "
		"o AS (INSERT INTO sync_outbox (event_id, kind, person_id, employee_code, unit_id, occurred_at, "
		" payload, state) SELECT 'crt_' || x.id, 'certificate_issued', p.id, p.employee_code, p.unit_id, "
		" x.at, json_build_object('version', 1, 'event_id', 'crt_' || x.id, 'kind', 'certificate_issued', "
		" 'occurred_at', x.at, 'employee_code', p.employee_code, 'unit_code', pu.code, "
		" 'exam_code', (SELECT exam FROM src), 'title', x.title, 'certificate_serial', x.serial, "
		" 'issuing_unit_code', iu.code, 'evidence_url', CASE WHEN $6 LIKE 'https://%' "
		" THEN $6 || '/verify/' || x.code END), "
		" CASE WHEN p.id IS NULL THEN 'unroutable' ELSE 'pending' END "
		" FROM x LEFT JOIN person p ON p.id = x.person_id LEFT JOIN org_unit pu ON pu.id = p.unit_id "
		" JOIN org_unit iu ON iu.id = x.issuing_unit_id RETURNING seq) "
		"SELECT (SELECT count(*) FROM x), (SELECT count(*) FROM o)", 7, 0 },
	/* $1 attempt, $2 its learner, $3 slot, $4 the file's reference ("name", "dir/name"):
	 * the file of the slot's version, the version's JSON, and the attempt's and the
	 * assessment's state (assess_files.c decides) */
	[A_FILE] = {
		"SELECT f.version_id, f.ord, f.name, f.path, f.mime, f.sha256, f.bytes, v.body::text, "
		"a.kind, a.show_feedback, " US0("a.closes_at") ", t.submitted_at IS NOT NULL, "
		"a.results_published_at IS NOT NULL FROM attempt t "
		"JOIN attempt_slot s ON s.attempt_id = t.id AND s.slot_no = $3::int "
		"JOIN assessment a ON a.id = t.assessment_id "
		"JOIN question_version v ON v.id = s.version_id "
		"JOIN question_file f ON f.version_id = s.version_id AND f.path || f.name = '/' || $4::text "
		"WHERE t.id = $1::bigint AND t.user_id = $2::bigint ORDER BY f.ord LIMIT 1", 4, 1 },
	/* $1 user, $2 course code, $3 counting ones only: one row per submitted attempt (a quiz
	 * without one: a row with a NULL attempt), the quiz's columns repeated (lms_cq_quiz) */
	[A_COURSE_QUIZZES] = {
		"SELECT a.id, a.code, a.title, a.status, a.counts_for_course, a.grading, a.pass_fraction, "
		"a.show_score, " US0("a.opens_at") ", " US0("a.closes_at") ", a.time_limit_s, "
		"a.max_attempts, " US0("a.results_published_at") ", assessment_eligible(a.id, $1::bigint), "
		"(SELECT count(*) FROM attempt x WHERE x.assessment_id = a.id AND x.user_id = $1::bigint), "
		"(SELECT count(*) FROM attempt_grant g WHERE g.assessment_id = a.id AND g.user_id = $1::bigint), "
		"coalesce((SELECT x.id FROM attempt x WHERE x.assessment_id = a.id AND x.user_id = $1::bigint "
		" AND x.submitted_at IS NULL), 0), "
		"t.id, t.attempt_no, " US0("t.submitted_at") ", t.graded_at IS NOT NULL, t.needs_manual, "
		"coalesce(t.passed, false), coalesce(t.fraction, 0) "
		"FROM assessment a JOIN course c ON c.id = a.course_id "
		"LEFT JOIN attempt t ON t.assessment_id = a.id AND t.user_id = $1::bigint "
		" AND t.submitted_at IS NOT NULL "
		"WHERE c.code = $2 AND a.kind = 'quiz' AND a.status <> 'draft' "
		"AND (NOT $3::boolean OR a.counts_for_course) "
		"ORDER BY a.title COLLATE \"vi-VN-x-icu\", a.id, t.attempt_no LIMIT 20000", 3, 1 },
	/* $1 attempt: its learner and their open enrolment in the course its quiz counts toward */
	[A_CQ_ENROLMENT] = {
		"SELECT t.user_id, e.id FROM attempt t JOIN assessment a ON a.id = t.assessment_id "
		"JOIN enrolment e ON e.user_id = t.user_id AND e.course_id = a.course_id "
		"WHERE t.id = $1::bigint AND a.counts_for_course AND e.completed_at IS NULL", 1, 1 },
	/* $1 employee code: the person (never the PIN), their current unit, their account */
	[A_PERSON] = {
		"SELECT p.id, p.employee_code, p.full_name, u.code, u.name, p.position, p.is_leader, "
		"p.par_role, p.active, u.id, coalesce(au.id, 0), au.username "
		"FROM person p JOIN org_unit u ON u.id = p.unit_id "
		"LEFT JOIN app_user au ON au.person_id = p.id WHERE p.employee_code = $1", 1, 1 },
	/* $1 user: per enrolment, the version's training periods and the completion's figures */
	[A_PERSON_COURSES] = {
		"SELECT e.id, v.training_periods, cp.id IS NOT NULL, coalesce(cp.active_s, 0), "
		"coalesce(cp.reported_s, 0) FROM enrolment e JOIN course_version v ON v.id = e.version_id "
		"LEFT JOIN completion cp ON cp.enrolment_id = e.id WHERE e.user_id = $1::bigint "
		"ORDER BY e.id LIMIT 10000", 1, 1 },
	/* $1 user: submitted attempts an HR officer may see (quizzes; exams once published) */
	[A_PERSON_RESULTS] = {
		"SELECT a.code, a.title, a.kind, t.attempt_no, " US("t.submitted_at") ", "
		"t.graded_at IS NOT NULL AND NOT t.needs_manual, coalesce(t.passed, false), "
		"coalesce(t.fraction, 0) FROM attempt t JOIN assessment a ON a.id = t.assessment_id "
		"WHERE t.user_id = $1::bigint AND t.submitted_at IS NOT NULL "
		"AND (a.kind = 'quiz' OR a.results_published_at IS NOT NULL) "
		"ORDER BY t.submitted_at DESC, t.id DESC LIMIT 2000", 1, 1 },
};

/* ---- helpers ------------------------------------------------------------------------ */

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_ASSESS_SLOT + id, &stmts[id], v, rc, err);
}

static int exec(lms_store *s, int id, const char *const *v, lms_err *err)
{
	PGresult *r;
	int rc;

	if (!(r = run(s, id, v, &rc, err)))
		return rc;
	PQclear(r);
	return LMS_OK;
}

static double dbl(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtod(PQgetvalue(r, row, col), NULL);
}

static const char *dnum(lms_arena *a, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	return lms_arena_strdup(a, buf);
}

static const char *usec_or_null(lms_arena *a, int64_t us)
{
	return us ? pgu_num(a, us) : NULL;
}

static const char *bool_text(bool b)
{
	return b ? "true" : "false";
}

static lms_as_show show_of(const char *s)
{
	lms_as_show v = LMS_AS_SHOW_NEVER;

	(void)lms_as_show_parse(s, &v);
	return v;
}

static lms_as_status status_of(const char *s)
{
	return strcmp(s, "open") == 0 ? LMS_AS_OPEN : strcmp(s, "closed") == 0 ? LMS_AS_CLOSED
	                                                                       : LMS_AS_DRAFT;
}

static lms_qdifficulty difficulty_of(const char *s)
{
	if (!s)
		return LMS_QD_NONE;
	return strcmp(s, "easy") == 0 ? LMS_QD_EASY : strcmp(s, "medium") == 0 ? LMS_QD_MEDIUM
	       : strcmp(s, "hard") == 0 ? LMS_QD_HARD : LMS_QD_NONE;
}

static const char *difficulty_name(lms_qdifficulty d)
{
	return d == LMS_QD_EASY ? "easy" : d == LMS_QD_MEDIUM ? "medium" : d == LMS_QD_HARD ? "hard"
	                                                                                   : NULL;
}

/* Splits s at sep into a (n entries). */
static const char **split(lms_arena *a, const char *s, char sep, size_t *n)
{
	const char **out;
	size_t k = 1, i = 0;
	const char *p;

	*n = 0;
	if (!s || !*s)
		return NULL;
	for (p = s; *p; p++)
		k += *p == sep;
	out = lms_arena_alloc(a, (k + 1) * sizeof(*out));
	for (p = s;;) {
		const char *e = strchr(p, sep);
		out[i++] = lms_arena_strndup(a, p, e ? (size_t)(e - p) : strlen(p));
		if (!e)
			break;
		p = e + 1;
	}
	*n = i;
	return out;
}

/* "1,2,3" into sizes; false when a piece is not a small number. */
static bool sizes(lms_arena *a, const char *s, size_t **out, size_t *n)
{
	size_t k, i;
	const char **parts = split(a, s, ',', &k);
	size_t *v = lms_arena_alloc(a, (k + 1) * sizeof(*v));

	for (i = 0; i < k; i++) {
		char *end;
		unsigned long x = strtoul(parts[i], &end, 10);
		if (!*parts[i] || *end || x > 100000)
			return false;
		v[i] = (size_t)x;
	}
	*out = v;
	*n = k;
	return true;
}

/* Columns from `col` of ASM_COLS into as (scalars). */
static void read_assessment(lms_arena *a, const PGresult *r, int i, int col, lms_assessment *as)
{
	memset(as, 0, sizeof(*as));
	as->id = pgu_i64(r, i, col + 0);
	as->code = pgu_str(a, r, i, col + 1);
	as->def.kind = strcmp(PQgetvalue(r, i, col + 2), "exam") == 0 ? LMS_AS_EXAM : LMS_AS_QUIZ;
	as->title = pgu_str(a, r, i, col + 3);
	as->description = pgu_str(a, r, i, col + 4);
	as->status = status_of(PQgetvalue(r, i, col + 5));
	as->unit_code = pgu_str(a, r, i, col + 6);
	as->unit_name = pgu_str(a, r, i, col + 7);
	as->course_code = pgu_str(a, r, i, col + 8);
	as->def.opens_us = pgu_i64(r, i, col + 9);
	as->def.closes_us = pgu_i64(r, i, col + 10);
	as->def.time_limit_us = pgu_i64(r, i, col + 11) * LMS_SECOND_US;
	as->def.max_attempts = (int)pgu_i64(r, i, col + 12);
	as->def.pass_fraction = dbl(r, i, col + 13);
	as->def.grading = LMS_AS_GRADE_HIGHEST;
	(void)lms_as_grading_parse(PQgetvalue(r, i, col + 14), &as->def.grading);
	as->def.shuffle_questions = pgu_bool(r, i, col + 15);
	as->def.show_score = show_of(PQgetvalue(r, i, col + 16));
	as->def.show_answers = show_of(PQgetvalue(r, i, col + 17));
	as->def.show_feedback = show_of(PQgetvalue(r, i, col + 18));
	as->rev = pgu_i64(r, i, col + 19);
	as->created_by = pgu_str(a, r, i, col + 20);
	as->created_us = pgu_i64(r, i, col + 21);
	as->opened_us = pgu_i64(r, i, col + 22);
	as->closed_us = pgu_i64(r, i, col + 23);
	as->published_us = pgu_i64(r, i, col + 24);
	as->published_by = pgu_str(a, r, i, col + 25);
	as->counts_for_course = pgu_bool(r, i, col + 26);
}

static int rules_of(lms_store *s, int64_t id, lms_arena *a, lms_as_def *d, lms_err *err)
{
	const char *v[1] = { pgu_num(a, id) };
	lms_as_rule *rules;
	PGresult *r;
	int rc, i, n;

	if (!(r = run(s, A_GET_RULES, v, &rc, err)))
		return rc;
	n = PQntuples(r);
	rules = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*rules));
	for (i = 0; i < n; i++) {
		rules[i].category = pgu_str(a, r, i, 0);
		rules[i].difficulty = difficulty_of(PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1));
		rules[i].tag = pgu_str(a, r, i, 2);
		rules[i].count = (int)pgu_i64(r, i, 3);
		rules[i].points = dbl(r, i, 4);
	}
	d->rules = rules;
	d->n_rules = (size_t)n;
	PQclear(r);
	return LMS_OK;
}

static int fixed_from_text(lms_arena *a, const char *text, lms_as_def *d)
{
	size_t n = 0, i;
	const char **parts = split(a, text, ',', &n);
	int64_t *ids = lms_arena_alloc(a, (n + 1) * sizeof(*ids));

	for (i = 0; i < n; i++)
		ids[i] = strtoll(parts[i], NULL, 10);
	d->fixed = ids;
	d->n_fixed = n;
	return LMS_OK;
}

/* ---- transactions -------------------------------------------------------------------- */

static int op_begin(lms_store *s, lms_err *err)
{
	return pgx_begin(s, err);
}

static int op_commit(lms_store *s, lms_err *err)
{
	return pgx_commit(s, err);
}

static void op_rollback(lms_store *s)
{
	pgx_rollback(s);
}

/* ---- definitions --------------------------------------------------------------------- */

/* The scalar parameters shared by A_INSERT and A_UPDATE ($1..$17). */
static void def_params(lms_arena *a, const lms_assessment *in, const char *actor, const char **v)
{
	const lms_as_def *d = &in->def;

	v[0] = in->code;
	v[1] = lms_as_kind_name(d->kind);
	v[2] = in->title;
	v[3] = in->description ? in->description : "";
	v[4] = in->unit_code;
	v[5] = in->course_code;
	v[6] = usec_or_null(a, d->opens_us);
	v[7] = usec_or_null(a, d->closes_us);
	v[8] = pgu_num(a, d->time_limit_us / LMS_SECOND_US);
	v[9] = pgu_num(a, d->max_attempts);
	v[10] = dnum(a, d->pass_fraction);
	v[11] = lms_as_grading_name(d->grading >= LMS_AS_GRADE_HIGHEST ? d->grading
	                                                               : LMS_AS_GRADE_HIGHEST);
	v[12] = bool_text(d->shuffle_questions);
	v[13] = lms_as_show_name(d->show_score);
	v[14] = lms_as_show_name(d->show_answers);
	v[15] = lms_as_show_name(d->show_feedback);
	v[16] = actor;
}

/* Writes the children of assessment id (after A_CLEAR for an update). */
static int write_children(lms_store *s, int64_t id, const lms_assessment *in, lms_arena *a,
                          lms_err *err)
{
	const lms_as_def *d = &in->def;
	const char *v[6];
	PGresult *r;
	size_t i;
	int rc;

	v[0] = pgu_num(a, id);
	if (d->n_fixed) {
		const char *w[1] = { pgu_i64_array(a, d->fixed, d->n_fixed) };
		if (!(r = run(s, A_FIXED_MISSING, w, &rc, err)))
			return rc;
		if (!PQgetisnull(r, 0, 0)) {
			long long k = (long long)pgu_i64(r, 0, 0);
			PQclear(r);
			return lms_err_set(err, LMS_ENOTFOUND, "not_found", "fixed",
			                   "fixed[%lld]: no question %lld in the bank (or it is retired)", k,
			                   (long long)d->fixed[k]);
		}
		PQclear(r);
		v[1] = w[0];
		if ((rc = exec(s, A_FIXED, v, err)) < 0)
			return rc;
	}
	if (d->n_rules) {
		const char **cat = lms_arena_alloc(a, d->n_rules * sizeof(*cat));
		const char **dif = lms_arena_alloc(a, d->n_rules * sizeof(*dif));
		const char **tag = lms_arena_alloc(a, d->n_rules * sizeof(*tag));
		const char **cnt = lms_arena_alloc(a, d->n_rules * sizeof(*cnt));
		const char **pts = lms_arena_alloc(a, d->n_rules * sizeof(*pts));
		for (i = 0; i < d->n_rules; i++) {
			cat[i] = d->rules[i].category && *d->rules[i].category ? d->rules[i].category : NULL;
			dif[i] = difficulty_name(d->rules[i].difficulty);
			tag[i] = d->rules[i].tag && *d->rules[i].tag ? d->rules[i].tag : NULL;
			cnt[i] = pgu_num(a, d->rules[i].count);
			pts[i] = dnum(a, d->rules[i].points);
		}
		v[1] = pgu_text_array(a, cat, d->n_rules);
		v[2] = pgu_text_array(a, dif, d->n_rules);
		v[3] = pgu_text_array(a, tag, d->n_rules);
		v[4] = pgu_text_array(a, cnt, d->n_rules);
		v[5] = pgu_text_array(a, pts, d->n_rules);
		if ((rc = exec(s, A_RULES, v, err)) < 0)
			return rc;
	}
	for (i = 0; i < in->n_audience; i++) {
		const lms_as_audience *au = &in->audience[i];
		v[1] = pgu_num(a, (int64_t)i);
		v[2] = au->unit_code;
		v[3] = pgu_text_array(a, au->positions, au->n_positions);
		v[4] = au->par_role >= 0 ? lms_par_role_name((lms_par_role)au->par_role) : NULL;
		v[5] = au->leader < 0 ? NULL : au->leader ? "true" : "false";
		if (!(r = run(s, A_AUDIENCE, v, &rc, err)))
			return rc;
		rc = PQntuples(r);
		PQclear(r);
		if (rc != 1)
			return lms_err_set(err, LMS_ENOTFOUND, "not_found", "audience",
			                   "audience[%zu].unit: no unit %s", i, au->unit_code);
	}
	if (in->n_named) {
		const char *w[1] = { pgu_text_array(a, in->named, in->n_named) };
		if (!(r = run(s, A_NAMED_MISSING, w, &rc, err)))
			return rc;
		if (!PQgetisnull(r, 0, 0)) {
			long long k = (long long)pgu_i64(r, 0, 0);
			PQclear(r);
			return lms_err_set(err, LMS_ENOTFOUND, "not_found", "named",
			                   "named[%lld]: no person with the employee code %s", k,
			                   in->named[k]);
		}
		PQclear(r);
		v[1] = w[0];
		if ((rc = exec(s, A_NAMED, v, err)) < 0)
			return rc;
	}
	return LMS_OK;
}

static int log_action(lms_store *s, int64_t id, const char *actor, const char *action,
                      const char *detail, lms_arena *a, lms_err *err)
{
	const char *v[4] = { pgu_num(a, id), actor, action, detail ? detail : "" };

	return exec(s, A_LOG, v, err);
}

static int op_create(lms_store *s, const lms_assessment *in, const char *actor, int64_t *id,
                     lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[18];
	PGresult *r = NULL;
	int rc;

	def_params(a, in, actor, v);
	v[17] = bool_text(in->counts_for_course);
	if ((rc = pgx_begin(s, err)) < 0)
		goto out;
	if (!(r = run(s, A_INSERT, v, &rc, err))) {
		if (rc == LMS_ECONFLICT)
			rc = lms_err_set(err, LMS_ECONFLICT, "assessment_code_taken", "code",
			                 "code: an assessment %s exists already", in->code);
		goto rollback;
	}
	if (PQntuples(r) != 1) {
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "unit", "unit: no unit %s",
		                 in->unit_code);
		goto rollback;
	}
	if (!pgu_bool(r, 0, 1)) {
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "course: no course %s",
		                 in->course_code);
		goto rollback;
	}
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	r = NULL;
	if ((rc = write_children(s, *id, in, a, err)) < 0 ||
	    (rc = log_action(s, *id, actor, "create", NULL, a, err)) < 0)
		goto rollback;
	rc = pgx_commit(s, err);
	goto out;
rollback:
	PQclear(r);
	pgx_rollback(s);
out:
	lms_arena_free(a);
	return rc;
}

static int op_update(lms_store *s, const lms_assessment *in, int64_t expect_rev,
                     const char *actor, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[20];
	PGresult *r = NULL;
	int rc;

	def_params(a, in, actor, v);
	v[17] = pgu_num(a, in->id);
	v[18] = pgu_num(a, expect_rev);
	v[19] = bool_text(in->counts_for_course);
	if ((rc = pgx_begin(s, err)) < 0)
		goto out;
	if (!(r = run(s, A_UPDATE, v, &rc, err)))
		goto rollback;
	if (PQntuples(r) != 1) {
		const char *w[3] = { v[17], in->unit_code, in->course_code };
		PQclear(r);
		if (!(r = run(s, A_UPDATE_WHY, w, &rc, err)))
			goto rollback;
		if (PQntuples(r) != 1)
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "code", "no assessment %s", in->code);
		else if (strcmp(PQgetvalue(r, 0, 0), "draft") != 0)
			rc = lms_err_set(err, LMS_ECONFLICT, "not_draft", NULL,
			                 "only a draft can be edited: this one is %s", PQgetvalue(r, 0, 0));
		else if (pgu_i64(r, 0, 1) != expect_rev)
			rc = lms_err_set(err, LMS_ECONFLICT, "assessment_changed", "rev",
			                 "someone changed it meanwhile: reload it and edit again");
		else if (!pgu_bool(r, 0, 2))
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "unit", "unit: no unit %s",
			                 in->unit_code);
		else
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "course: no course %s",
			                 in->course_code ? in->course_code : "");
		goto rollback;
	}
	PQclear(r);
	r = NULL;
	{
		const char *w[1] = { v[17] };
		if ((rc = exec(s, A_CLEAR, w, err)) < 0)
			goto rollback;
	}
	if ((rc = write_children(s, in->id, in, a, err)) < 0 ||
	    (rc = log_action(s, in->id, actor, "update", NULL, a, err)) < 0)
		goto rollback;
	rc = pgx_commit(s, err);
	goto out;
rollback:
	PQclear(r);
	pgx_rollback(s);
out:
	lms_arena_free(a);
	return rc;
}

static int op_get(lms_store *s, const char *code, lms_arena *a, lms_assessment *out,
                  lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc, i, n;

	if (!(r = run(s, A_GET, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "code", "no assessment %s", code);
	}
	read_assessment(a, r, 0, 0, out);
	out->attempts = pgu_i64(r, 0, ASM_NCOLS);
	out->submitted = pgu_i64(r, 0, ASM_NCOLS + 1);
	out->to_grade = pgu_i64(r, 0, ASM_NCOLS + 2);
	PQclear(r);
	v[0] = pgu_num(a, out->id);
	if (!(r = run(s, A_GET_FIXED, v, &rc, err)))
		return rc;
	n = PQntuples(r);
	{
		int64_t *ids = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*ids));
		for (i = 0; i < n; i++)
			ids[i] = pgu_i64(r, i, 0);
		out->def.fixed = ids;
		out->def.n_fixed = (size_t)n;
	}
	PQclear(r);
	if ((rc = rules_of(s, out->id, a, &out->def, err)) < 0)
		return rc;
	if (!(r = run(s, A_GET_AUDIENCE, v, &rc, err)))
		return rc;
	n = PQntuples(r);
	out->audience = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*out->audience));
	for (i = 0; i < n; i++) {
		lms_as_audience *au = &out->audience[i];
		lms_par_role pr;
		au->unit_code = pgu_str(a, r, i, 0);
		au->positions = split(a, PQgetvalue(r, i, 1), '\x1f', &au->n_positions);
		au->par_role = !PQgetisnull(r, i, 2) && lms_par_role_parse(PQgetvalue(r, i, 2), &pr) == 0
		                   ? (int)pr : -1;
		au->leader = PQgetisnull(r, i, 3) ? -1 : pgu_bool(r, i, 3);
	}
	out->n_audience = (size_t)n;
	PQclear(r);
	if (!(r = run(s, A_GET_NAMED, v, &rc, err)))
		return rc;
	n = PQntuples(r);
	out->named = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*out->named));
	for (i = 0; i < n; i++)
		out->named[i] = pgu_str(a, r, i, 0);
	out->n_named = (size_t)n;
	PQclear(r);
	return LMS_OK;
}

static int op_list(lms_store *s, const lms_scope *scope, lms_arena *a, lms_assessment **out,
                   size_t *n, lms_err *err)
{
	const char *v[2] = { bool_text(scope->all), pgu_scope_roots(a, scope) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		read_assessment(a, r, i, 0, &(*out)[i]);
		(*out)[i].attempts = pgu_i64(r, i, ASM_NCOLS);
		(*out)[i].submitted = pgu_i64(r, i, ASM_NCOLS + 1);
		(*out)[i].to_grade = pgu_i64(r, i, ASM_NCOLS + 2);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int one_count(lms_store *s, int id, const char *const *v, int64_t *out, lms_err *err)
{
	PGresult *r;
	int rc;

	if (!(r = run(s, id, v, &rc, err)))
		return rc;
	*out = PQntuples(r) ? pgu_i64(r, 0, 0) : 0;
	PQclear(r);
	return LMS_OK;
}

static int op_set_status(lms_store *s, int64_t id, lms_as_status from, lms_as_status to,
                         const char *actor, int64_t now_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[5] = { pgu_num(a, id), lms_as_status_name(from), lms_as_status_name(to), actor,
		             pgu_num(a, now_us) };
	int64_t n = 0;
	int rc = one_count(s, A_STATUS, v, &n, err);

	if (rc == 0 && n != 1)
		rc = lms_err_set(err, LMS_ECONFLICT, "assessment_changed", NULL,
		                 "it is not %s any more", lms_as_status_name(from));
	lms_arena_free(a);
	return rc;
}

static int op_publish(lms_store *s, int64_t id, const char *actor, int64_t now_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[3] = { pgu_num(a, id), actor, pgu_num(a, now_us) };
	int64_t n = 0;
	int rc = one_count(s, A_PUBLISH, v, &n, err);

	if (rc == 0 && n != 1)
		rc = lms_err_set(err, LMS_ECONFLICT, "already_published", NULL,
		                 "the results were published already (or it is a draft)");
	lms_arena_free(a);
	return rc;
}

static int op_grant(lms_store *s, int64_t id, const char *username, const char *reason,
                    const char *actor, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[4] = { pgu_num(a, id), username, reason, actor };
	int64_t n = 0;
	int rc = one_count(s, A_GRANT, v, &n, err);

	if (rc == 0 && n != 1)
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "username", "username: no account %s",
		                 username);
	lms_arena_free(a);
	return rc;
}

static int op_log(lms_store *s, int64_t id, const char *actor, const char *action,
                  const char *detail, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	int rc = log_action(s, id, actor, action, detail, a, err);

	lms_arena_free(a);
	return rc;
}

/* ---- learners ------------------------------------------------------------------------ */

static int op_mine(lms_store *s, int64_t user_id, lms_arena *a, lms_as_mine **out, size_t *n,
                   lms_err *err)
{
	const char *v[1] = { pgu_num(a, user_id) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_MINE, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		lms_as_mine *m = &(*out)[i];
		size_t nf = 0, k;
		const char **fr;
		double *f;

		m->code = pgu_str(a, r, i, 0);
		m->title = pgu_str(a, r, i, 1);
		m->description = pgu_str(a, r, i, 2);
		m->course_code = pgu_str(a, r, i, 3);
		m->status = status_of(PQgetvalue(r, i, 4));
		m->def.kind = strcmp(PQgetvalue(r, i, 5), "exam") == 0 ? LMS_AS_EXAM : LMS_AS_QUIZ;
		m->def.opens_us = pgu_i64(r, i, 6);
		m->def.closes_us = pgu_i64(r, i, 7);
		m->def.time_limit_us = pgu_i64(r, i, 8) * LMS_SECOND_US;
		m->def.max_attempts = (int)pgu_i64(r, i, 9);
		m->def.pass_fraction = dbl(r, i, 10);
		m->def.grading = LMS_AS_GRADE_HIGHEST;
		(void)lms_as_grading_parse(PQgetvalue(r, i, 11), &m->def.grading);
		m->def.show_score = show_of(PQgetvalue(r, i, 12));
		m->def.show_answers = show_of(PQgetvalue(r, i, 13));
		m->def.show_feedback = show_of(PQgetvalue(r, i, 14));
		m->published = pgu_bool(r, i, 15);
		m->eligible = pgu_bool(r, i, 16);
		m->used = (int)pgu_i64(r, i, 17);
		m->granted = (int)pgu_i64(r, i, 18);
		m->open_attempt_id = pgu_i64(r, i, 19);
		m->open_deadline_us = pgu_i64(r, i, 20);
		m->last_attempt_id = pgu_i64(r, i, 21);
		m->last_graded = pgu_bool(r, i, 22);
		m->last_needs_manual = pgu_bool(r, i, 23);
		m->last_passed = pgu_bool(r, i, 24);
		m->last_fraction = dbl(r, i, 25);
		fr = split(a, PQgetisnull(r, i, 26) ? NULL : PQgetvalue(r, i, 26), ',', &nf);
		f = lms_arena_alloc(a, (nf + 1) * sizeof(*f));
		for (k = 0; k < nf; k++)
			f[k] = strtod(fr[k], NULL);
		m->final_fraction = lms_as_final_fraction(m->def.grading, f, nf);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_start_info(lms_store *s, const char *code, int64_t user_id, lms_arena *a,
                         lms_as_start_info *out, lms_err *err)
{
	const char *v[2] = { code, pgu_num(a, user_id) };
	PGresult *r;
	int rc;

	if ((rc = exec(s, A_START_LOCK, v, err)) < 0)
		return rc;
	if (!(r = run(s, A_START_INFO, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "code", "no assessment %s", code);
	}
	memset(out, 0, sizeof(*out));
	read_assessment(a, r, 0, 0, &out->as);
	out->eligible = pgu_bool(r, 0, ASM_NCOLS);
	out->used = (int)pgu_i64(r, 0, ASM_NCOLS + 1);
	out->granted = (int)pgu_i64(r, 0, ASM_NCOLS + 2);
	out->open_attempt_id = pgu_i64(r, 0, ASM_NCOLS + 3);
	out->person_id = pgu_i64(r, 0, ASM_NCOLS + 4);
	fixed_from_text(a, PQgetisnull(r, 0, ASM_NCOLS + 5) ? NULL : PQgetvalue(r, 0, ASM_NCOLS + 5),
	                &out->as.def);
	PQclear(r);
	if (out->open_attempt_id)
		return LMS_OK;
	return rules_of(s, out->as.id, a, &out->as.def, err);
}

static int op_pool(lms_store *s, const lms_as_def *d, lms_arena *a, lms_as_candidate **out,
                   size_t *n, lms_err *err)
{
	const char **cats = lms_arena_alloc(a, (d->n_rules + 1) * sizeof(*cats));
	const char *v[3];
	bool any = false;
	size_t i, nc = 0;
	PGresult *r;
	int rc, rows, k;

	for (i = 0; i < d->n_rules; i++) {
		if (!d->rules[i].category || !*d->rules[i].category)
			any = true;
		else
			cats[nc++] = d->rules[i].category;
	}
	v[0] = pgu_i64_array(a, d->fixed, d->n_fixed);
	v[1] = bool_text(any);
	v[2] = pgu_text_array(a, cats, nc);
	if (!(r = run(s, A_POOL, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (k = 0; k < rows; k++) {
		lms_as_candidate *c = &(*out)[k];
		c->question_id = pgu_i64(r, k, 0);
		c->version_id = pgu_i64(r, k, 1);
		c->category = pgu_str(a, r, k, 2);
		c->difficulty = difficulty_of(PQgetvalue(r, k, 3));
		c->default_mark = dbl(r, k, 4);
		c->tags = (const char *const *)split(a, PQgetvalue(r, k, 5), '\x1f', &c->n_tags);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_versions(lms_store *s, const int64_t *ids, size_t n, lms_arena *a,
                       lms_as_version **out, lms_err *err)
{
	const char *v[1] = { pgu_i64_array(a, ids, n) };
	PGresult *r;
	int rc;
	size_t i;

	if (!(r = run(s, A_VERSIONS, v, &rc, err)))
		return rc;
	if ((size_t)PQntuples(r) != n) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "a question version is missing");
	}
	*out = lms_arena_alloc(a, (n + 1) * sizeof(**out));
	for (i = 0; i < n; i++) {
		(*out)[i].version_id = pgu_i64(r, (int)i, 0);
		(*out)[i].body = pgu_str(a, r, (int)i, 1);
		(*out)[i].body_len = strlen((*out)[i].body);
	}
	PQclear(r);
	return LMS_OK;
}

static int op_attempt_insert(lms_store *s, const lms_as_new_attempt *in, int64_t *id,
                             lms_err *err)
{
	lms_arena *a = lms_arena_new();
	size_t n = in->n_slots, i;
	const char **q = lms_arena_alloc(a, (n + 1) * sizeof(*q)), **ver = lms_arena_alloc(a, (n + 1) * sizeof(*q));
	const char **p = lms_arena_alloc(a, (n + 1) * sizeof(*q)), **ls = lms_arena_alloc(a, (n + 1) * sizeof(*q));
	const char **qt = lms_arena_alloc(a, (n + 1) * sizeof(*q)), **rk = lms_arena_alloc(a, (n + 1) * sizeof(*q));
	const char **na = lms_arena_alloc(a, (n + 1) * sizeof(*q)), **nb = lms_arena_alloc(a, (n + 1) * sizeof(*q));
	const char **sh = lms_arena_alloc(a, (n + 1) * sizeof(*q));
	const char *v[16];
	PGresult *r;
	int rc = LMS_OK;

	for (i = 0; i < n; i++) {
		const lms_as_new_slot *x = &in->slots[i];
		q[i] = pgu_num(a, x->question_id);
		ver[i] = pgu_num(a, x->version_id);
		p[i] = dnum(a, x->points);
		ls[i] = pgu_num(a, (int64_t)x->layout_seed);
		qt[i] = x->qtype;
		rk[i] = x->rkind;
		na[i] = pgu_num(a, x->n_a);
		nb[i] = pgu_num(a, x->n_b);
		sh[i] = x->shown;
	}
	v[0] = pgu_num(a, in->assessment_id);
	v[1] = pgu_num(a, in->user_id);
	v[2] = pgu_num(a, in->attempt_no);
	v[3] = pgu_num(a, (int64_t)in->seed);
	v[4] = pgu_num(a, in->started_us);
	v[5] = usec_or_null(a, in->deadline_us);
	v[6] = dnum(a, in->max_score);
	v[7] = pgu_text_array(a, q, n);
	v[8] = pgu_text_array(a, ver, n);
	v[9] = pgu_text_array(a, p, n);
	v[10] = pgu_text_array(a, ls, n);
	v[11] = pgu_text_array(a, qt, n);
	v[12] = pgu_text_array(a, rk, n);
	v[13] = pgu_text_array(a, na, n);
	v[14] = pgu_text_array(a, nb, n);
	v[15] = pgu_text_array(a, sh, n);
	if (!(r = run(s, A_ATTEMPT_INSERT, v, &rc, err)))
		goto out;
	if (PQntuples(r) != 1 || (size_t)pgu_i64(r, 0, 1) != n)
		rc = lms_err_set(err, LMS_ESTORAGE, "internal", NULL, "the attempt was not written whole");
	else
		*id = pgu_i64(r, 0, 0);
	PQclear(r);
out:
	lms_arena_free(a);
	return rc;
}

static int op_attempt_get(lms_store *s, int64_t id, int64_t user_id, lms_arena *a,
                          lms_as_attempt *out, lms_err *err)
{
	const char *v[2] = { pgu_num(a, id), pgu_num(a, user_id) };
	PGresult *r;
	int rc, i, n;

	if (!(r = run(s, A_ATTEMPT_GET, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "attempt", "no attempt %lld of yours",
		                   (long long)id);
	}
	memset(out, 0, sizeof(*out));
	out->id = pgu_i64(r, 0, 0);
	out->assessment_id = pgu_i64(r, 0, 1);
	out->user_id = pgu_i64(r, 0, 2);
	out->person_id = pgu_i64(r, 0, 3);
	out->code = pgu_str(a, r, 0, 4);
	out->title = pgu_str(a, r, 0, 5);
	out->status = status_of(PQgetvalue(r, 0, 6));
	out->def.kind = strcmp(PQgetvalue(r, 0, 7), "exam") == 0 ? LMS_AS_EXAM : LMS_AS_QUIZ;
	out->def.opens_us = pgu_i64(r, 0, 8);
	out->def.closes_us = pgu_i64(r, 0, 9);
	out->def.time_limit_us = pgu_i64(r, 0, 10) * LMS_SECOND_US;
	out->def.max_attempts = (int)pgu_i64(r, 0, 11);
	out->def.pass_fraction = dbl(r, 0, 12);
	out->def.grading = LMS_AS_GRADE_HIGHEST;
	(void)lms_as_grading_parse(PQgetvalue(r, 0, 13), &out->def.grading);
	out->def.show_score = show_of(PQgetvalue(r, 0, 14));
	out->def.show_answers = show_of(PQgetvalue(r, 0, 15));
	out->def.show_feedback = show_of(PQgetvalue(r, 0, 16));
	out->published_us = pgu_i64(r, 0, 17);
	out->attempt_no = (int)pgu_i64(r, 0, 18);
	out->seed = (uint64_t)pgu_i64(r, 0, 19);
	out->started_us = pgu_i64(r, 0, 20);
	out->deadline_us = pgu_i64(r, 0, 21);
	out->submitted_us = pgu_i64(r, 0, 22);
	out->submitted_by = pgu_str(a, r, 0, 23);
	out->graded = pgu_bool(r, 0, 24);
	out->needs_manual = pgu_bool(r, 0, 25);
	out->passed = pgu_bool(r, 0, 26);
	out->score = dbl(r, 0, 27);
	out->max_score = dbl(r, 0, 28);
	out->fraction = dbl(r, 0, 29);
	out->rev = pgu_i64(r, 0, 30);
	out->device = pgu_str(a, r, 0, 31);
	out->learner_name = pgu_str(a, r, 0, 32);
	out->employee_code = pgu_str(a, r, 0, 33);
	out->unit_code = pgu_str(a, r, 0, 34);
	PQclear(r);
	v[1] = NULL;
	if (!(r = run(s, A_SLOTS, v, &rc, err)))
		return rc;
	n = PQntuples(r);
	out->slots = lms_arena_alloc(a, ((size_t)n + 1) * sizeof(*out->slots));
	for (i = 0; i < n; i++) {
		lms_as_slot_row *x = &out->slots[i];
		x->slot_no = (int)pgu_i64(r, i, 0);
		x->question_id = pgu_i64(r, i, 1);
		x->version_id = pgu_i64(r, i, 2);
		x->points = dbl(r, i, 3);
		x->layout_seed = (uint64_t)pgu_i64(r, i, 4);
		x->qtype = pgu_str(a, r, i, 5);
		x->rkind = pgu_str(a, r, i, 6);
		x->n_a = (int)pgu_i64(r, i, 7);
		x->n_b = (int)pgu_i64(r, i, 8);
		x->shown = pgu_str(a, r, i, 9);
		x->answer = pgu_str(a, r, i, 10);
		x->rev = pgu_i64(r, i, 11);
		x->saved_us = pgu_i64(r, i, 12);
		x->has_result = pgu_bool(r, i, 13);
		x->answered = pgu_bool(r, i, 14);
		x->needs_manual = pgu_bool(r, i, 15);
		x->fraction = dbl(r, i, 16);
		x->earned = dbl(r, i, 17);
		x->manual_graded = pgu_bool(r, i, 18);
		x->manual_comment = pgu_str(a, r, i, 19);
	}
	out->n_slots = (size_t)n;
	PQclear(r);
	return LMS_OK;
}

static int op_save(lms_store *s, const lms_as_save_in *in, lms_as_save_out *out, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[11];
	PGresult *r = NULL;
	int rc = LMS_OK;

	v[0] = pgu_num(a, in->attempt_id);
	v[1] = pgu_num(a, in->user_id);
	v[2] = pgu_num(a, in->slot_no);
	v[3] = pgu_num(a, in->rev);
	v[4] = in->response;
	v[5] = in->shape.rkind;
	v[6] = pgu_num(a, in->shape.a);
	v[7] = pgu_num(a, in->shape.b);
	v[8] = pgu_num(a, in->shape.count);
	v[9] = pgu_num(a, in->now_us);
	v[10] = pgu_num(a, in->session_id);
	memset(out, 0, sizeof(*out));
	if (!(r = run(s, A_SAVE, v, &rc, err)))
		goto done;
	out->deadline_us = pgu_i64(r, 0, 9);
	if (pgu_i64(r, 0, 5) > 0) {
		out->status = LMS_AS_SAVED;
		out->rev = pgu_i64(r, 0, 5);
		out->saved_us = pgu_i64(r, 0, 6);
	} else if (pgu_i64(r, 0, 0) != 1) {
		out->status = LMS_AS_SAVE_NO_ATTEMPT;
	} else if (pgu_bool(r, 0, 2)) {
		/* past the deadline: so it is said even when the server closed it already */
		out->status = LMS_AS_SAVE_DEADLINE;
	} else if (pgu_bool(r, 0, 1)) {
		out->status = LMS_AS_SAVE_SUBMITTED;
	} else if (pgu_i64(r, 0, 3) != 1) {
		out->status = LMS_AS_SAVE_NO_SLOT;
	} else if (!pgu_bool(r, 0, 4)) {
		out->status = LMS_AS_SAVE_SHAPE;
	} else if (in->rev <= pgu_i64(r, 0, 7)) {
		out->status = LMS_AS_SAVE_STALE;
		out->rev = pgu_i64(r, 0, 7);
		out->saved_us = pgu_i64(r, 0, 8);
	} else {
		/* every guard held when the statement began, yet nothing was written: it waited
		 * for a submission, or the same revision arrived twice at once */
		const char *w[2] = { v[0], v[2] };
		PQclear(r);
		if (!(r = run(s, A_SAVE_RECHECK, w, &rc, err)))
			goto done;
		if (PQntuples(r) == 1 && pgu_bool(r, 0, 0)) {
			out->status = LMS_AS_SAVE_SUBMITTED;
		} else {
			out->status = LMS_AS_SAVE_STALE;
			out->rev = PQntuples(r) == 1 ? pgu_i64(r, 0, 1) : 0;
			out->saved_us = PQntuples(r) == 1 ? pgu_i64(r, 0, 2) : 0;
		}
	}
	PQclear(r);
done:
	lms_arena_free(a);
	return rc;
}

static int op_event(lms_store *s, int64_t attempt_id, int64_t user_id, const char *kind,
                    const char *source, const char *detail, const char *client_at,
                    int64_t session_id, int64_t at_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[8] = { pgu_num(a, attempt_id), pgu_num(a, user_id), kind, source,
		             detail ? detail : "", client_at, pgu_num(a, session_id), pgu_num(a, at_us) };
	PGresult *r;
	int rc = LMS_OK;

	if ((r = run(s, A_EVENT, v, &rc, err))) {
		if (PQntuples(r) != 1)
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "attempt",
			                 "no attempt %lld of yours", (long long)attempt_id);
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

static int op_device(lms_store *s, int64_t attempt_id, const char *device, bool *second,
                     lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[2] = { pgu_num(a, attempt_id), device };
	PGresult *r;
	int rc = LMS_OK;

	*second = false;
	if ((r = run(s, A_DEVICE, v, &rc, err))) {
		*second = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) &&
		          strcmp(PQgetvalue(r, 0, 0), device) != 0;
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

static int op_events(lms_store *s, int64_t attempt_id, lms_arena *a, lms_as_event_row **out,
                     size_t *n, lms_err *err)
{
	const char *v[1] = { pgu_num(a, attempt_id) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_EVENTS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		(*out)[i].kind = pgu_str(a, r, i, 0);
		(*out)[i].source = pgu_str(a, r, i, 1);
		(*out)[i].detail = pgu_str(a, r, i, 2);
		(*out)[i].client_at = pgu_str(a, r, i, 3);
		(*out)[i].at_us = pgu_i64(r, i, 4);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_submit_mark(lms_store *s, int64_t id, int64_t user_id, const char *by,
                          int64_t at_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[4] = { pgu_num(a, id), pgu_num(a, user_id), by, pgu_num(a, at_us) };
	PGresult *r;
	int rc = LMS_OK;

	if ((r = run(s, A_SUBMIT_MARK, v, &rc, err))) {
		if (pgu_i64(r, 0, 0) != 1)
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "attempt",
			                 "no attempt %lld of yours", (long long)id);
		else if (pgu_i64(r, 0, 1) != 1)
			rc = lms_err_set(err, LMS_ECONFLICT, "attempt_submitted", NULL,
			                 "this attempt was submitted already");
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

static lms_rkind rkind_of(const char *k)
{
	static const struct { const char *name; lms_rkind kind; } kinds[] = {
		{ "choice", LMS_R_CHOICE }, { "choices", LMS_R_CHOICES }, { "bool", LMS_R_BOOL },
		{ "text", LMS_R_TEXT }, { "pairs", LMS_R_PAIRS }, { "order", LMS_R_ORDER },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(k, kinds[i].name) == 0)
			return kinds[i].kind;
	return LMS_R_NONE;
}

static int op_answers(lms_store *s, int64_t id, lms_arena *a, lms_as_answer **out, size_t *n,
                      lms_err *err)
{
	const char *v[1] = { pgu_num(a, id) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_ANSWERS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		lms_as_answer *x = &(*out)[i];
		lms_response *sh = &x->shown;
		size_t *pos = NULL, np = 0, k;
		const char *list = PQgetisnull(r, i, 3) ? NULL : PQgetvalue(r, i, 3);

		x->slot_no = (int)pgu_i64(r, i, 0);
		x->rev = pgu_i64(r, i, 1);
		sh->kind = rkind_of(PQgetvalue(r, i, 2));
		if (!sizes(a, list, &pos, &np)) {
			sh->kind = LMS_R_NONE; /* cannot happen: the save wrote it */
			continue;
		}
		switch (sh->kind) {
		case LMS_R_CHOICE:
			if (np != 1)
				sh->kind = LMS_R_NONE;
			else
				sh->choice = pos[0];
			break;
		case LMS_R_CHOICES:
			sh->choices = pos;
			sh->n_choices = np;
			break;
		case LMS_R_ORDER:
			sh->order = pos;
			sh->n_order = np;
			break;
		case LMS_R_PAIRS: {
			lms_rpair *pairs = lms_arena_alloc(a, (np / 2 + 1) * sizeof(*pairs));
			for (k = 0; k + 1 < np; k += 2) {
				pairs[k / 2].stem = pos[k];
				pairs[k / 2].choice = pos[k + 1];
			}
			sh->pairs = pairs;
			sh->n_pairs = np / 2;
			break;
		}
		case LMS_R_BOOL:
			sh->value = pgu_bool(r, i, 4);
			break;
		case LMS_R_TEXT:
			sh->text = pgu_str(a, r, i, 5);
			if (!sh->text)
				sh->text = "";
			break;
		default:
			break;
		}
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static double clamp01(double x)
{
	return !(x > 0) ? 0 : x > 1 ? 1 : x;
}

static int op_submit_write(lms_store *s, int64_t id, const lms_as_graded *g, int64_t now_us,
                           lms_err *err)
{
	lms_arena *a = lms_arena_new();
	size_t n = g->n_slots, i;
	const char **sl = lms_arena_alloc(a, (n + 1) * sizeof(*sl)), **rv = lms_arena_alloc(a, (n + 1) * sizeof(*sl));
	const char **an = lms_arena_alloc(a, (n + 1) * sizeof(*sl)), **nm = lms_arena_alloc(a, (n + 1) * sizeof(*sl));
	const char **fr = lms_arena_alloc(a, (n + 1) * sizeof(*sl)), **pt = lms_arena_alloc(a, (n + 1) * sizeof(*sl));
	const char **ch = lms_arena_alloc(a, (n + 1) * sizeof(*sl));
	const char *v[13];
	PGresult *r;
	int rc = LMS_OK;

	for (i = 0; i < n; i++) {
		const lms_as_slot_result *x = &g->slots[i];
		sl[i] = pgu_num(a, x->slot_no);
		rv[i] = pgu_num(a, x->rev);
		an[i] = bool_text(x->answered);
		nm[i] = bool_text(x->needs_manual);
		fr[i] = dnum(a, clamp01(x->fraction));
		pt[i] = dnum(a, x->points > 0 ? x->points : 0);
		ch[i] = pgu_num(a, x->choice);
	}
	v[0] = pgu_num(a, id);
	v[1] = pgu_text_array(a, sl, n);
	v[2] = pgu_text_array(a, rv, n);
	v[3] = pgu_text_array(a, an, n);
	v[4] = pgu_text_array(a, nm, n);
	v[5] = pgu_text_array(a, fr, n);
	v[6] = pgu_text_array(a, pt, n);
	v[7] = pgu_text_array(a, ch, n);
	v[8] = dnum(a, g->score > 0 ? g->score : 0);
	v[9] = dnum(a, clamp01(g->fraction));
	v[10] = bool_text(g->passed);
	v[11] = bool_text(g->needs_manual);
	v[12] = pgu_num(a, now_us);
	if ((r = run(s, A_SUBMIT_WRITE, v, &rc, err))) {
		if (pgu_i64(r, 0, 1) != 1)
			rc = lms_err_set(err, LMS_ECONFLICT, "attempt_submitted", NULL,
			                 "this attempt was graded already");
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

static int op_due(lms_store *s, int64_t now_us, int limit, lms_arena *a, int64_t **ids,
                  size_t *n, lms_err *err)
{
	const char *v[2] = { pgu_num(a, now_us), pgu_num(a, limit) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_DUE, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*ids = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**ids));
	for (i = 0; i < rows; i++)
		(*ids)[i] = pgu_i64(r, i, 0);
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

/* ---- essays -------------------------------------------------------------------------- */

static int op_essays(lms_store *s, int64_t id, lms_arena *a, lms_as_essay **out, size_t *n,
                     lms_err *err)
{
	const char *v[1] = { pgu_num(a, id) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_ESSAYS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		lms_as_essay *e = &(*out)[i];
		e->attempt_id = pgu_i64(r, i, 0);
		e->slot_no = (int)pgu_i64(r, i, 1);
		e->learner_name = pgu_str(a, r, i, 2);
		e->employee_code = pgu_str(a, r, i, 3);
		e->points = dbl(r, i, 4);
		e->shown = pgu_str(a, r, i, 5);
		e->answer = pgu_str(a, r, i, 6);
		e->graded = pgu_bool(r, i, 7);
		e->given = dbl(r, i, 8);
		e->comment = pgu_str(a, r, i, 9);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_manual_grade(lms_store *s, int64_t id, int64_t attempt_id, int slot_no,
                           double points, const char *comment, const char *grader,
                           int64_t now_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[7] = { pgu_num(a, id), pgu_num(a, attempt_id), pgu_num(a, slot_no),
		             dnum(a, points), comment, grader, pgu_num(a, now_us) };
	PGresult *r;
	int rc = LMS_OK;

	if ((r = run(s, A_MANUAL, v, &rc, err))) {
		if (pgu_i64(r, 0, 0) != 1)
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "slot",
			                 "no essay in slot %d of a submitted attempt %lld of this assessment",
			                 slot_no, (long long)attempt_id);
		else if (!pgu_bool(r, 0, 1))
			rc = lms_err_set(err, LMS_ECONFLICT, "result_final", NULL,
			                 "every essay of this attempt was graded: its result is final");
		else if (pgu_i64(r, 0, 2) != 1)
			rc = lms_err_set(err, LMS_EINVAL, "points_out_of_range", "points",
			                 "points: at most %g for this question", dbl(r, 0, 3));
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

static int op_result_write(lms_store *s, int64_t attempt_id, const lms_as_graded *g,
                           int64_t now_us, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[6] = { pgu_num(a, attempt_id), dnum(a, g->score > 0 ? g->score : 0),
		             dnum(a, clamp01(g->fraction)), bool_text(g->passed),
		             bool_text(g->needs_manual), pgu_num(a, now_us) };
	PGresult *r;
	int rc = LMS_OK;

	if ((r = run(s, A_RESULT_WRITE, v, &rc, err))) {
		if (pgu_i64(r, 0, 0) != 1)
			rc = lms_err_set(err, LMS_ECONFLICT, "result_final", NULL,
			                 "the result of this attempt is final");
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

/* ---- results ------------------------------------------------------------------------- */

static int op_results(lms_store *s, int64_t id, const lms_scope *scope, lms_arena *a,
                      lms_as_result_row **out, size_t *n, lms_err *err)
{
	const char *v[3] = { pgu_num(a, id), bool_text(!scope || scope->all), pgu_scope_roots(a, scope) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_RESULTS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		lms_as_result_row *x = &(*out)[i];
		x->attempt_id = pgu_i64(r, i, 0);
		x->user_id = pgu_i64(r, i, 1);
		x->person_id = pgu_i64(r, i, 2);
		x->attempt_no = (int)pgu_i64(r, i, 3);
		x->learner_name = pgu_str(a, r, i, 4);
		x->employee_code = pgu_str(a, r, i, 5);
		x->unit_code = pgu_str(a, r, i, 6);
		x->unit_name = pgu_str(a, r, i, 7);
		x->position = pgu_str(a, r, i, 8);
		x->is_leader = pgu_bool(r, i, 9);
		x->started_us = pgu_i64(r, i, 10);
		x->submitted_us = pgu_i64(r, i, 11);
		x->submitted_by = pgu_str(a, r, i, 12);
		x->graded = pgu_bool(r, i, 13);
		x->needs_manual = pgu_bool(r, i, 14);
		x->passed = pgu_bool(r, i, 15);
		x->score = dbl(r, i, 16);
		x->max_score = dbl(r, i, 17);
		x->fraction = dbl(r, i, 18);
		x->integrity_events = pgu_i64(r, i, 19);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_item_cells(lms_store *s, int64_t id, lms_arena *a, lms_as_item_cell **out,
                         size_t *n, lms_err *err)
{
	const char *v[1] = { pgu_num(a, id) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_ITEM_CELLS, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		lms_as_item_cell *c = &(*out)[i];
		c->attempt_id = pgu_i64(r, i, 0);
		c->version_id = pgu_i64(r, i, 1);
		c->question_id = pgu_i64(r, i, 2);
		c->fraction = dbl(r, i, 3);
		c->max_points = dbl(r, i, 4);
		c->choice = (int)pgu_i64(r, i, 5);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_pool_propose(lms_store *s, int64_t id, int64_t attempt_id, const char *track,
                           int rank, double score, const char *actor, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[6] = { pgu_num(a, id), pgu_num(a, attempt_id), track, pgu_num(a, rank),
		             dnum(a, score), actor };
	PGresult *r;
	int rc = LMS_OK;

	if ((r = run(s, A_POOL_PROPOSE, v, &rc, err))) {
		if (pgu_i64(r, 0, 0) == 1)
			rc = LMS_OK;
		else if (pgu_bool(r, 0, 1))
			rc = lms_err_set(err, LMS_ECONFLICT, "already_proposed", "attempt",
			                 "this person is on the list of this exam already");
		else
			rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "attempt",
			                 "no final result of a roster person in attempt %lld",
			                 (long long)attempt_id);
		PQclear(r);
	}
	lms_arena_free(a);
	return rc;
}

static int op_pool_list(lms_store *s, int64_t id, const lms_scope *scope, lms_arena *a,
                        lms_as_pool_row **out, size_t *n, lms_err *err)
{
	const char *v[3] = { pgu_num(a, id), bool_text(!scope || scope->all), pgu_scope_roots(a, scope) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_POOL_LIST, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*out = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		lms_as_pool_row *x = &(*out)[i];
		x->id = pgu_i64(r, i, 0);
		x->attempt_id = pgu_i64(r, i, 1);
		x->assessment_code = pgu_str(a, r, i, 2);
		x->assessment_title = pgu_str(a, r, i, 3);
		x->employee_code = pgu_str(a, r, i, 4);
		x->learner_name = pgu_str(a, r, i, 5);
		x->unit_code = pgu_str(a, r, i, 6);
		x->unit_name = pgu_str(a, r, i, 7);
		x->track = pgu_str(a, r, i, 8);
		x->rank = (int)pgu_i64(r, i, 9);
		x->score = dbl(r, i, 10);
		x->proposed_by = pgu_str(a, r, i, 11);
		x->proposed_us = pgu_i64(r, i, 12);
		x->status = pgu_str(a, r, i, 13);
		x->decided_by = pgu_str(a, r, i, 14);
		x->note = pgu_str(a, r, i, 15);
		x->decided_us = pgu_i64(r, i, 16);
	}
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

static int op_pool_decide(lms_store *s, int64_t entry_id, bool approve, const char *note,
                          const char *actor, const lms_scope *scope, int64_t now_us,
                          lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[7] = { pgu_num(a, entry_id), approve ? "approved" : "rejected", actor,
		             note && *note ? note : NULL, pgu_num(a, now_us),
		             bool_text(!scope || scope->all), pgu_scope_roots(a, scope) };
	int64_t n = 0;
	PGresult *r;
	int rc = one_count(s, A_POOL_DECIDE, v, &n, err);

	if (rc == 0 && n != 1) {
		const char *w[3] = { v[0], v[5], v[6] };
		if ((r = run(s, A_POOL_WHY, w, &rc, err))) {
			rc = PQntuples(r) == 1
			         ? lms_err_set(err, LMS_ECONFLICT, "already_decided", NULL,
			                       "this entry was %s already", PQgetvalue(r, 0, 0))
			         : lms_err_set(err, LMS_ENOTFOUND, "not_found", "id",
			                       "no talent-pool entry %lld in your units", (long long)entry_id);
			PQclear(r);
		}
	}
	lms_arena_free(a);
	return rc;
}

/* ---- exam certificates --------------------------------------------------------------- */

static int op_cert_pending(lms_store *s, int limit, lms_arena *a, int64_t **ids, size_t *n,
                           lms_err *err)
{
	const char *v[1] = { pgu_num(a, limit) };
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_CERT_PENDING, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	*ids = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(**ids));
	for (i = 0; i < rows; i++)
		(*ids)[i] = pgu_i64(r, i, 0);
	*n = (size_t)rows;
	PQclear(r);
	return LMS_OK;
}

/* The certificate of a passed exam attempt: the same issuing as a course's (store_pg_cert.c),
 * with this file's insert statement. */
static int op_cert_issue(lms_store *s, int64_t attempt_id, const lms_cert_issue_in *in,
                         bool *issued, lms_err *err)
{
	return pgc_issue_with(s, PGX_ASSESS_SLOT + A_CERT_INSERT, &stmts[A_CERT_INSERT], attempt_id,
	                      in, issued, err);
}

/* A bytea cell (text form) into a. */
static int bytes_of(lms_arena *a, const PGresult *r, int row, int col, const unsigned char **out,
                    size_t *n, lms_err *err)
{
	unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), n);
	unsigned char *d;

	if (!raw)
		return lms_err_set(err, LMS_EINTERNAL, "internal", NULL, "out of memory");
	d = lms_arena_alloc(a, *n + 1);
	if (*n)
		memcpy(d, raw, *n);
	d[*n] = 0;
	PQfreemem(raw);
	*out = d;
	return LMS_OK;
}

static int op_attempt_file(lms_store *s, int64_t attempt_id, int64_t user_id, int slot_no,
                           const char *ref, lms_arena *a, lms_as_file *out, lms_err *err)
{
	char slot[16];
	const char *v[4];
	PGresult *r;
	int rc;

	snprintf(slot, sizeof(slot), "%d", slot_no);
	v[0] = pgu_num(a, attempt_id);
	v[1] = pgu_num(a, user_id);
	v[2] = slot;
	v[3] = ref;
	if (!(r = run(s, A_FILE, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", NULL, "no such file");
	}
	memset(out, 0, sizeof(*out));
	out->file.version_id = pgu_i64(r, 0, 0);
	out->file.ord = (int)pgu_i64(r, 0, 1);
	out->file.name = pgu_str(a, r, 0, 2);
	out->file.path = pgu_str(a, r, 0, 3);
	out->file.mime = pgu_str(a, r, 0, 4);
	out->file.sha256 = pgu_str(a, r, 0, 5);
	if ((rc = bytes_of(a, r, 0, 6, &out->file.data, &out->file.size, err)) < 0) {
		PQclear(r);
		return rc;
	}
	out->body = pgu_str(a, r, 0, 7);
	out->body_len = (size_t)PQgetlength(r, 0, 7);
	out->kind = strcmp(PQgetvalue(r, 0, 8), "exam") == 0 ? LMS_AS_EXAM : LMS_AS_QUIZ;
	out->show_feedback = show_of(PQgetvalue(r, 0, 9));
	out->closes_us = pgu_i64(r, 0, 10);
	out->submitted = pgu_bool(r, 0, 11);
	out->published = pgu_bool(r, 0, 12);
	PQclear(r);
	return LMS_OK;
}

/* ---- quizzes that count toward a course (course_quiz.h) ------------------------------- */

static int op_course_quizzes(lms_store *s, int64_t user_id, const char *course_code,
                             bool counting_only, lms_arena *a, lms_cq_quiz **out, size_t *n,
                             lms_err *err)
{
	const char *v[3] = { pgu_num(a, user_id), course_code, bool_text(counting_only) };
	lms_cq_quiz *q, *cur = NULL;
	PGresult *r;
	int rc, i, rows;
	size_t k = 0;

	if (!(r = run(s, A_COURSE_QUIZZES, v, &rc, err)))
		return rc;
	rows = PQntuples(r);
	q = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*q));
	for (i = 0; i < rows; i++) {
		int64_t id = pgu_i64(r, i, 0);
		if (!cur || cur->id != id) {
			cur = &q[k++];
			memset(cur, 0, sizeof(*cur));
			cur->id = id;
			cur->code = pgu_str(a, r, i, 1);
			cur->title = pgu_str(a, r, i, 2);
			cur->status = (int)status_of(PQgetvalue(r, i, 3));
			cur->counts = pgu_bool(r, i, 4);
			cur->def.kind = LMS_AS_QUIZ;
			cur->def.grading = LMS_AS_GRADE_HIGHEST;
			(void)lms_as_grading_parse(PQgetvalue(r, i, 5), &cur->def.grading);
			cur->def.pass_fraction = dbl(r, i, 6);
			cur->def.show_score = show_of(PQgetvalue(r, i, 7));
			cur->def.opens_us = pgu_i64(r, i, 8);
			cur->def.closes_us = pgu_i64(r, i, 9);
			cur->def.time_limit_us = pgu_i64(r, i, 10) * LMS_SECOND_US;
			cur->def.max_attempts = (int)pgu_i64(r, i, 11);
			cur->published_us = pgu_i64(r, i, 12);
			cur->eligible = pgu_bool(r, i, 13);
			cur->used = (int)pgu_i64(r, i, 14);
			cur->granted = (int)pgu_i64(r, i, 15);
			cur->open_attempt_id = pgu_i64(r, i, 16);
			/* at most every row of this quiz */
			cur->attempts = lms_arena_alloc(a, ((size_t)(rows - i) + 1) * sizeof(*cur->attempts));
		}
		if (!PQgetisnull(r, i, 17)) {
			lms_cq_attempt *t = &cur->attempts[cur->n_attempts++];
			t->id = pgu_i64(r, i, 17);
			t->attempt_no = (int)pgu_i64(r, i, 18);
			t->submitted_us = pgu_i64(r, i, 19);
			t->graded = pgu_bool(r, i, 20);
			t->needs_manual = pgu_bool(r, i, 21);
			t->passed = pgu_bool(r, i, 22);
			t->fraction = dbl(r, i, 23);
		}
	}
	PQclear(r);
	*out = q;
	*n = k;
	return LMS_OK;
}

static int op_course_quiz_enrolment(lms_store *s, int64_t attempt_id, int64_t *user_id,
                                    int64_t *enrolment_id, lms_err *err)
{
	char id[24];
	const char *v[1] = { id };
	PGresult *r;
	int rc;

	snprintf(id, sizeof(id), "%lld", (long long)attempt_id);
	if (!(r = run(s, A_CQ_ENROLMENT, v, &rc, err)))
		return rc;
	*user_id = PQntuples(r) == 1 ? pgu_i64(r, 0, 0) : 0;
	*enrolment_id = PQntuples(r) == 1 ? pgu_i64(r, 0, 1) : 0;
	PQclear(r);
	return LMS_OK;
}

/* A person's learning record: three reads, no transaction (a page of figures to explain,
 * each figure also shown by the endpoint it comes from). */
static int op_person_record(lms_store *s, const char *employee_code, lms_arena *a,
                            lms_as_person_record *out, lms_err *err)
{
	const char *v[1] = { employee_code };
	lms_as_person_record rec;
	lms_par_role pr = LMS_PAR_NONE;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, A_PERSON, v, &rc, err)))
		return rc;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "employee_code",
		                   "no person has this employee code");
	}
	memset(&rec, 0, sizeof(rec));
	rec.person.id = pgu_i64(r, 0, 0);
	rec.person.employee_code = pgu_str(a, r, 0, 1);
	rec.person.full_name = pgu_str(a, r, 0, 2);
	rec.person.unit_code = pgu_str(a, r, 0, 3);
	rec.person.unit_name = pgu_str(a, r, 0, 4);
	rec.person.position = pgu_str(a, r, 0, 5);
	rec.person.is_leader = pgu_bool(r, 0, 6);
	(void)lms_par_role_parse(PQgetvalue(r, 0, 7), &pr);
	rec.person.par_role = pr;
	rec.person.active = pgu_bool(r, 0, 8);
	rec.unit_id = pgu_i64(r, 0, 9);
	rec.user_id = pgu_i64(r, 0, 10);
	rec.username = pgu_str(a, r, 0, 11);
	PQclear(r);
	if (rec.user_id) {
		v[0] = pgu_num(a, rec.user_id);
		if (!(r = run(s, A_PERSON_COURSES, v, &rc, err)))
			return rc;
		rows = PQntuples(r);
		rec.courses = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*rec.courses));
		for (i = 0; i < rows; i++) {
			lms_as_person_course *c = &rec.courses[i];
			c->enrolment_id = pgu_i64(r, i, 0);
			c->training_periods = (int)pgu_i64(r, i, 1);
			c->completed = pgu_bool(r, i, 2);
			c->completion_active_s = pgu_i64(r, i, 3);
			c->completion_reported_s = pgu_i64(r, i, 4);
		}
		rec.n_courses = (size_t)rows;
		PQclear(r);
		if (!(r = run(s, A_PERSON_RESULTS, v, &rc, err)))
			return rc;
		rows = PQntuples(r);
		rec.results = lms_arena_alloc(a, ((size_t)rows + 1) * sizeof(*rec.results));
		for (i = 0; i < rows; i++) {
			lms_as_person_result *x = &rec.results[i];
			x->code = pgu_str(a, r, i, 0);
			x->title = pgu_str(a, r, i, 1);
			x->kind = pgu_str(a, r, i, 2);
			x->attempt_no = (int)pgu_i64(r, i, 3);
			x->submitted_us = pgu_i64(r, i, 4);
			x->final = pgu_bool(r, i, 5);
			x->passed = pgu_bool(r, i, 6);
			x->fraction = dbl(r, i, 7);
		}
		rec.n_results = (size_t)rows;
		PQclear(r);
	}
	*out = rec;
	return LMS_OK;
}

const lms_assess_ops pga_ops = {
	.begin = op_begin, .commit = op_commit, .rollback = op_rollback,
	.create = op_create, .update = op_update, .get = op_get, .list = op_list,
	.set_status = op_set_status, .publish = op_publish, .grant = op_grant, .log = op_log,
	.mine = op_mine, .start_info = op_start_info, .pool = op_pool, .versions = op_versions,
	.attempt_insert = op_attempt_insert, .attempt_get = op_attempt_get, .save = op_save,
	.event = op_event, .device = op_device, .events = op_events,
	.submit_mark = op_submit_mark, .answers = op_answers, .submit_write = op_submit_write,
	.due = op_due, .essays = op_essays, .manual_grade = op_manual_grade,
	.result_write = op_result_write, .results = op_results, .item_cells = op_item_cells,
	.pool_propose = op_pool_propose, .pool_list = op_pool_list, .pool_decide = op_pool_decide,
	.cert_pending = op_cert_pending, .cert_issue = op_cert_issue,
	.course_quizzes = op_course_quizzes, .course_quiz_enrolment = op_course_quiz_enrolment,
	.attempt_file = op_attempt_file,
	.person_record = op_person_record,
};
