/* store_pg_report_flags.c — what counts in the Decision's indicators, read for the
 * administrators' page (reports.h, "what counts in the indicators"; docs/reports.md, "Setting
 * what counts"): the courses with their PAR-training and expert-programme flags, the job
 * positions with their PAR flag and the people holding them, and a transaction to change one
 * and log it together.
 *
 * Invariants: the courses' "counts" is exactly the leaders' indicator's rule (store_pg_report.c,
 * parv: coalesce(course.par_training, the version names a PAR area)); a position's people are
 * those the units indicator would see as holders today (person.position_id, or the person's
 * position text equal to the position's name). It changes nothing itself: the flags are
 * written by the report module's flag_course and flag_position (the CLI's statements).
 */
#include "store_pg_int.h"

#include "pg_util.h"

#include "lms/reports.h"

#include <string.h>

enum { F_COURSES, F_COURSE, F_POSITIONS, F_POSITION, F__COUNT };
_Static_assert(PGX_REPORT_FLAGS_SLOT + F__COUNT <= PGX_REPORT_FLAGS_SLOT_END,
               "indicator flags have 16 slots");
_Static_assert(PGX_REPORT_FLAGS_SLOT_END + PGX_SLOT_BASE <= PGX_SLOTS, "slots");

/* code, title, PAR area (latest version naming one), par_training (-1 NULL, 0, 1), counts,
 * expert programme */
#define COURSE_COLS                                                                          \
	"SELECT c.code, c.title, a.par_area, "                                                  \
	" CASE WHEN c.par_training IS NULL THEN -1 WHEN c.par_training THEN 1 ELSE 0 END, "     \
	" coalesce(c.par_training, a.par_area IS NOT NULL), c.expert_programme "                \
	"FROM course c LEFT JOIN LATERAL (SELECT v.par_area FROM course_version v "             \
	" WHERE v.course_id = c.id AND coalesce(v.par_area, '') <> '' "                         \
	" ORDER BY v.version_no DESC LIMIT 1) a ON true "

/* Who holds which position now: (person, position) pairs, each once. */
#define HELD(where_id, where_name)                                                           \
	"WITH held AS (SELECT p.id AS person_id, p.position_id AS jid FROM person p "            \
	" WHERE p.active AND p.position_id IS NOT NULL" where_id " "                            \
	" UNION SELECT p.id, j.id FROM person p JOIN job_position j ON j.name = p.position "     \
	" WHERE p.active" where_name "), "                                                      \
	"cnt AS (SELECT jid, count(*) AS n FROM held GROUP BY jid) "                            \
	"SELECT jp.code, jp.name, jp.par_position, coalesce(cnt.n, 0) "                         \
	"FROM job_position jp LEFT JOIN cnt ON cnt.jid = jp.id "

#define POS_ID "(SELECT id FROM job_position WHERE code = $1)"

static const pgx_stmt stmts[F__COUNT] = {
	[F_COURSES] = { COURSE_COLS "ORDER BY c.title COLLATE \"vi-VN-x-icu\", c.code", 0, 1 },
	[F_COURSE] = { COURSE_COLS "WHERE c.code = $1 FOR UPDATE OF c", 1, 0 },
	[F_POSITIONS] = { HELD("", "") "ORDER BY jp.name COLLATE \"vi-VN-x-icu\", jp.code", 0, 1 },
	[F_POSITION] = { HELD(" AND p.position_id = " POS_ID, " AND j.code = $1")
	                 "WHERE jp.code = $1 FOR UPDATE OF jp", 1, 0 },
};

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_REPORT_FLAGS_SLOT + id, &stmts[id], v, rc, err);
}

static void fill_course(lms_arena *a, const PGresult *r, int i, lms_rep_flag_course *c)
{
	c->code = pgu_str(a, r, i, 0);
	c->title = pgu_str(a, r, i, 1);
	c->par_area = pgu_str(a, r, i, 2);
	c->par_training = (int)pgu_i64(r, i, 3);
	c->counts = pgu_bool(r, i, 4);
	c->expert_programme = pgu_bool(r, i, 5);
}

static void fill_position(lms_arena *a, const PGresult *r, int i, lms_rep_flag_position *p)
{
	p->code = pgu_str(a, r, i, 0);
	p->name = pgu_str(a, r, i, 1);
	p->par_position = pgu_bool(r, i, 2);
	p->people = pgu_i64(r, i, 3);
}

static int op_courses(lms_store *s, lms_arena *a, lms_rep_flag_course **out, size_t *n,
                      lms_err *err)
{
	lms_rep_flag_course *v;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, F_COURSES, NULL, &rc, err)))
		return rc;
	rows = PQntuples(r);
	v = lms_arena_alloc(a, sizeof(*v) * (size_t)(rows ? rows : 1));
	for (i = 0; i < rows; i++)
		fill_course(a, r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return LMS_OK;
}

static int op_positions(lms_store *s, lms_arena *a, lms_rep_flag_position **out, size_t *n,
                        lms_err *err)
{
	lms_rep_flag_position *v;
	PGresult *r;
	int rc, i, rows;

	if (!(r = run(s, F_POSITIONS, NULL, &rc, err)))
		return rc;
	rows = PQntuples(r);
	v = lms_arena_alloc(a, sizeof(*v) * (size_t)(rows ? rows : 1));
	for (i = 0; i < rows; i++)
		fill_position(a, r, i, &v[i]);
	PQclear(r);
	*out = v;
	*n = (size_t)rows;
	return LMS_OK;
}

static int op_course(lms_store *s, const char *code, lms_arena *a, lms_rep_flag_course *out,
                     lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(s, F_COURSE, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0)
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "course %s: no such course",
		                 code);
	else {
		fill_course(a, r, 0, out);
		rc = LMS_OK;
	}
	PQclear(r);
	return rc;
}

static int op_position(lms_store *s, const char *code, lms_arena *a, lms_rep_flag_position *out,
                       lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(s, F_POSITION, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0)
		rc = lms_err_set(err, LMS_ENOTFOUND, "not_found", "position",
		                 "position %s: no such job position", code);
	else {
		fill_position(a, r, 0, out);
		rc = LMS_OK;
	}
	PQclear(r);
	return rc;
}

static int op_in_transaction(lms_store *s, lms_rep_tx_fn fn, void *ctx, lms_err *err)
{
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		return rc;
	if ((rc = fn(s, ctx, err)) < 0) {
		pgx_rollback(s);
		return rc;
	}
	return pgx_commit(s, err);
}

const lms_rep_flags_ops pgrf_ops = {
	.courses = op_courses,
	.positions = op_positions,
	.course = op_course,
	.position = op_position,
	.in_transaction = op_in_transaction,
};
