/* store_pg_report.c — the HR reports' storage (reports.h, lms_report_ops; schemas/sql/0012).
 *
 * The reports read report_enrolment, whose rows carry each fact already attributed to the
 * person's unit on the fact's day (kept exact by the 0012 triggers), so a report is a few
 * grouped index scans, not a join of every fact with the roster history. Each call runs in
 * one read-only REPEATABLE READ transaction (one snapshot for all its statements), with JIT
 * off (its compile time would exceed the query's) and a larger work_mem for the grouping.
 * Long lists (the people, an indicator's list) go through a cursor, FETCH_ROWS at a time, and
 * each row goes to the caller's callback before the next batch is read: memory stays flat
 * whatever the size of the export. Prepared-statement slots PGX_REPORT_SLOT .. +31.
 *
 * It does not decide who may see what (reports.c and the handlers do) and never returns
 * identification numbers.
 */
#include "pg_util.h"
#include "store_pg_int.h"

#include "lms/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A report's SQL is longer than the 4095 characters ISO C asks every compiler to take in one
 * string literal; GCC and Clang take any length. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"

#define FETCH_ROWS "500"
#define VI " COLLATE \"vi-VN-x-icu\""

/* The subtree of root $1 (top: the child of the root a unit lies under; 0 for the root
 * itself); the predecessors of its units that began after the first day $2, followed back
 * through unit_successor (since: the day the unit of the subtree began); reach: both. */
#define TREE                                                                                   \
	"WITH RECURSIVE sub AS (SELECT id, 0::bigint AS top FROM org_unit WHERE id = $1::bigint "  \
	" UNION ALL SELECT c.id, CASE WHEN sub.top = 0 THEN c.id ELSE sub.top END "                \
	" FROM org_unit c JOIN sub ON c.parent_id = sub.id), "                                     \
	"pred AS (SELECT us.unit_id AS id, w.valid_from AS since FROM unit_successor us "          \
	"  JOIN org_unit w ON w.id = us.successor_id "                                             \
	" WHERE us.successor_id IN (SELECT id FROM sub) AND w.valid_from > $2::date "              \
	"  AND us.unit_id NOT IN (SELECT id FROM sub) "                                            \
	" UNION SELECT us.unit_id, pred.since FROM unit_successor us "                             \
	"  JOIN pred ON us.successor_id = pred.id WHERE us.unit_id NOT IN (SELECT id FROM sub)), " \
	"predm AS (SELECT id, min(since) AS since FROM pred GROUP BY id), "                        \
	"reach AS (SELECT id FROM sub UNION SELECT id FROM predm), "

/* A predecessor's row x (unit x.unit, person x.person_id) counts under the unit of the
 * subtree the person was in on the day its successor began. */
#define PRED_MAP(x)                                                                            \
	" JOIN predm ON predm.id = " x ".unit "                                                   \
	" JOIN person_history h2 ON h2.person_id = " x ".person_id AND h2.valid_from <= predm.since " \
	"  AND (h2.valid_to IS NULL OR h2.valid_to >= predm.since) "                               \
	" JOIN sub s ON s.id = h2.unit_id "

/* The audience filters: $6 leader ('', 'leader', 'staff'), $7 PAR role ('', 'par',
 * 'dedicated', 'concurrent', 'none'), on the leader flag l and PAR role p of the fact's day. */
#define AUD(l, p)                                                                              \
	" ($6::text = '' OR ($6::text = 'leader') = " l ") "                                      \
	" AND ($7::text = '' OR " p " = $7::text OR ($7::text = 'par' AND " p " <> 'none')) "

/* The versions of course $4 (0: all) and PAR area $5 ('': all). */
#define CRS                                                                                    \
	"crs AS (SELECT v.id FROM course_version v WHERE ($4::bigint = 0 OR v.course_id = $4::bigint) " \
	" AND ($5::text = '' OR v.par_area = $5::text)), "

#define YEAR0 "date_trunc('year', $3::date)::date"

/* The facts of the period, each with its unit on its day: enrolments made (en), completions
 * (cm), periods credited in the year to date (pe); and the head count on the last day (hc:
 * every active person of the reach, with od, their assignments due by then and not completed
 * then, and tgt, whether they had reached 40 periods this year by then). */
#define FACTS                                                                                  \
	"en AS NOT MATERIALIZED (SELECT f.en_unit AS unit, f.person_id, f.enrolled_on AS day, "     \
	"  (f.completed_on <= $3::date) AS done FROM report_enrolment f "                          \
	" WHERE f.enrolled_on BETWEEN $2::date AND $3::date AND f.version_id IN (SELECT id FROM crs) " \
	"  AND f.en_unit IN (SELECT id FROM reach) AND " AUD("f.en_leader", "f.en_par") "), "        \
	"cm AS NOT MATERIALIZED (SELECT f.cm_unit AS unit, f.person_id, f.completed_on AS day, "    \
	"  f.passed, f.active_s, f.reported_s FROM report_enrolment f "                            \
	" WHERE f.completed_on BETWEEN $2::date AND $3::date AND f.version_id IN (SELECT id FROM crs) " \
	"  AND f.cm_unit IN (SELECT id FROM reach) AND " AUD("f.cm_leader", "f.cm_par") "), "        \
	"pe AS NOT MATERIALIZED (SELECT f.cm_unit AS unit, f.person_id, f.periods "                 \
	" FROM report_enrolment f WHERE f.completed_on BETWEEN " YEAR0 " AND $3::date "            \
	"  AND f.periods > 0 AND f.cm_unit IN (SELECT id FROM reach) "                             \
	"  AND " AUD("f.cm_leader", "f.cm_par") "), "                                               \
	"od AS (SELECT f.person_id, count(*) AS n FROM report_enrolment f "                        \
	" WHERE f.assigned AND f.due_on <= $3::date AND f.enrolled_on <= $3::date "                \
	"  AND (f.completed_on IS NULL OR f.completed_on > $3::date) "                             \
	"  AND f.version_id IN (SELECT id FROM crs) GROUP BY f.person_id), "                       \
	"tg AS (SELECT DISTINCT t.person_id FROM report_enrolment t WHERE t.cum_periods >= 40 "     \
	"  AND t.completed_on BETWEEN " YEAR0 " AND $3::date), "                                   \
	"hc AS NOT MATERIALIZED (SELECT h.unit_id AS unit, h.person_id, "                           \
	"  (tg.person_id IS NOT NULL) AS tgt, coalesce(od.n, 0) AS od FROM person_history h "      \
	"  LEFT JOIN tg ON tg.person_id = h.person_id LEFT JOIN od ON od.person_id = h.person_id " \
	" WHERE h.valid_from <= $3::date AND (h.valid_to IS NULL OR h.valid_to >= $3::date) "      \
	"  AND h.active AND h.unit_id IN (SELECT id FROM reach) "                                  \
	"  AND " AUD("h.is_leader", "h.par_role") "), "

#define COUNT_COLS "en, en_done, cm, fl, act, rep, per, od, people, tgt"
/* Rows of a unit of the subtree are grouped by unit; a predecessor's rows stay per person. */
#define PID "CASE WHEN unit IN (SELECT id FROM predm) THEN person_id END"

static const char SQL_COMPLETION[] =
	TREE CRS FACTS
	"u AS (SELECT unit, " PID " AS person_id, count(*) AS en, count(*) FILTER (WHERE done) AS en_done, "
	"  0::bigint AS cm, 0::bigint AS fl, 0::numeric AS act, 0::numeric AS rep, 0::numeric AS per, "
	"  0::numeric AS od, 0::bigint AS people, 0::bigint AS tgt FROM en GROUP BY 1, 2 "
	" UNION ALL SELECT unit, " PID ", 0, 0, count(*) FILTER (WHERE passed IS NOT FALSE), "
	"  count(*) FILTER (WHERE passed IS FALSE), sum(active_s), sum(reported_s), 0, 0, 0, 0 "
	"  FROM cm GROUP BY 1, 2 "
	" UNION ALL SELECT unit, " PID ", 0, 0, 0, 0, 0, 0, sum(periods), 0, 0, 0 FROM pe GROUP BY 1, 2 "
	" UNION ALL SELECT unit, " PID ", 0, 0, 0, 0, 0, 0, 0, sum(od), count(*), "
	"  count(*) FILTER (WHERE tgt) FROM hc GROUP BY 1, 2), "
	"m AS (SELECT s.top, " COUNT_COLS " FROM u JOIN sub s ON s.id = u.unit "
	" UNION ALL SELECT s.top, u.en, u.en_done, u.cm, u.fl, u.act, u.rep, u.per, u.od, u.people, "
	"  u.tgt FROM u " PRED_MAP("u") "), "
	"agg AS (SELECT top, sum(en)::bigint AS en, sum(en_done)::bigint AS en_done, sum(cm)::bigint AS cm, "
	"  sum(fl)::bigint AS fl, sum(act)::bigint AS act, sum(rep)::bigint AS rep, sum(per)::bigint AS per, "
	"  sum(od)::bigint AS od, sum(people)::bigint AS people, sum(tgt)::bigint AS tgt FROM m GROUP BY top), "
	"tops AS (SELECT c.id AS top FROM org_unit c WHERE c.parent_id = $1::bigint "
	"  AND (c.valid_from IS NULL OR c.valid_from <= $3::date) "
	"  AND (c.valid_to IS NULL OR c.valid_to >= $2::date) UNION SELECT top FROM agg) "
	"SELECT t.top, ou.code, ou.name, ou.kind, coalesce(to_char(ou.valid_from, 'YYYY-MM-DD'), ''), "
	" coalesce(to_char(ou.valid_to, 'YYYY-MM-DD'), ''), "
	" t.top <> 0 AND EXISTS (SELECT 1 FROM org_unit k WHERE k.parent_id = ou.id), "
	" coalesce(a.people, 0), coalesce(a.en, 0), coalesce(a.en_done, 0), coalesce(a.cm, 0), "
	" coalesce(a.fl, 0), coalesce(a.od, 0), coalesce(a.act, 0), coalesce(a.rep, 0), "
	" coalesce(a.per, 0), coalesce(a.tgt, 0) "
	"FROM tops t LEFT JOIN agg a ON a.top = t.top "
	"JOIN org_unit ou ON ou.id = CASE WHEN t.top = 0 THEN $1::bigint ELSE t.top END "
	"ORDER BY t.top = 0, ou.name" VI ", ou.code";

/* The same report when no unit of the subtree began after the first day (no predecessor to
 * reach: the usual case): every fact grouped by its unit straight from the base tables, so
 * PostgreSQL can read each part with parallel workers, then added up under the child units.
 * The completions of the period and the periods of the year to date come from one range of
 * report_enrolment_cm (the year's, or the period's when it starts earlier), each counted
 * under its own FILTER; the overdue assignments from the two ranges of report_enrolment_open
 * (0019) that can be overdue — never completed, completed after the end — not from every
 * assignment due by then. */
#define CRS_IN                                                                                 \
	" f.version_id IN (SELECT v.id FROM course_version v WHERE ($4::bigint = 0 "              \
	"  OR v.course_id = $4::bigint) AND ($5::text = '' OR v.par_area = $5::text)) "
#define AT_END(h)                                                                              \
	" " h ".valid_from <= $3::date AND (" h ".valid_to IS NULL OR " h ".valid_to >= $3::date) " \
	" AND " h ".active "

static const char SQL_COMPLETION_FAST[] =
	"WITH RECURSIVE sub AS (SELECT id, 0::bigint AS top FROM org_unit WHERE id = $1::bigint "
	" UNION ALL SELECT c.id, CASE WHEN sub.top = 0 THEN c.id ELSE sub.top END "
	" FROM org_unit c JOIN sub ON c.parent_id = sub.id), "
	"u AS (SELECT f.en_unit AS unit, count(*) AS en, "
	"  count(*) FILTER (WHERE f.completed_on <= $3::date) AS en_done, 0::bigint AS cm, "
	"  0::bigint AS fl, 0::numeric AS act, 0::numeric AS rep, 0::numeric AS per, 0::bigint AS od, "
	"  0::bigint AS people, 0::bigint AS tgt FROM report_enrolment f "
	"  WHERE f.enrolled_on BETWEEN $2::date AND $3::date AND " CRS_IN
	"   AND " AUD("f.en_leader", "f.en_par") " GROUP BY 1 "
	" UNION ALL SELECT f.cm_unit, 0, 0, count(*) FILTER (WHERE q.cm AND f.passed IS NOT FALSE), "
	"  count(*) FILTER (WHERE q.cm AND f.passed IS FALSE), sum(f.active_s) FILTER (WHERE q.cm), "
	"  sum(f.reported_s) FILTER (WHERE q.cm), "
	"  sum(f.periods) FILTER (WHERE f.periods > 0 AND f.completed_on >= " YEAR0 "), 0, 0, 0 "
	"  FROM report_enrolment f, LATERAL (SELECT f.completed_on >= $2::date AND " CRS_IN " AS cm) q "
	"  WHERE f.completed_on BETWEEN least($2::date, " YEAR0 ") AND $3::date "
	"   AND " AUD("f.cm_leader", "f.cm_par") " GROUP BY 1 "
	" UNION ALL SELECT h.unit_id, 0, 0, 0, 0, 0, 0, 0, 0, count(*), "
	"  count(*) FILTER (WHERE h.person_id IN (SELECT t.person_id FROM report_enrolment t "
	"   WHERE t.cum_periods >= 40 AND t.completed_on BETWEEN " YEAR0 " AND $3::date)) "
	"  FROM person_history h WHERE " AT_END("h") " AND " AUD("h.is_leader", "h.par_role")
	"  GROUP BY 1 "
	" UNION ALL SELECT h.unit_id, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0 FROM ("
	"  SELECT f.person_id, f.version_id FROM report_enrolment f WHERE f.assigned "
	"   AND f.completed_on IS NULL AND f.due_on <= $3::date AND f.enrolled_on <= $3::date "
	"  UNION ALL SELECT f.person_id, f.version_id FROM report_enrolment f WHERE f.assigned "
	"   AND f.completed_on > $3::date AND f.due_on <= $3::date AND f.enrolled_on <= $3::date) f "
	"  JOIN person_history h ON h.person_id = f.person_id AND " AT_END("h")
	"  WHERE " CRS_IN " AND " AUD("h.is_leader", "h.par_role") " GROUP BY 1), "
	"agg AS (SELECT s.top, sum(en)::bigint AS en, sum(en_done)::bigint AS en_done, "
	"  sum(cm)::bigint AS cm, sum(fl)::bigint AS fl, sum(act)::bigint AS act, sum(rep)::bigint AS rep, "
	"  sum(per)::bigint AS per, sum(od)::bigint AS od, sum(people)::bigint AS people, "
	"  sum(tgt)::bigint AS tgt FROM u JOIN sub s ON s.id = u.unit GROUP BY s.top), "
	"tops AS (SELECT c.id AS top FROM org_unit c WHERE c.parent_id = $1::bigint "
	"  AND (c.valid_from IS NULL OR c.valid_from <= $3::date) "
	"  AND (c.valid_to IS NULL OR c.valid_to >= $2::date) UNION SELECT top FROM agg) "
	"SELECT t.top, ou.code, ou.name, ou.kind, coalesce(to_char(ou.valid_from, 'YYYY-MM-DD'), ''), "
	" coalesce(to_char(ou.valid_to, 'YYYY-MM-DD'), ''), "
	" t.top <> 0 AND EXISTS (SELECT 1 FROM org_unit k WHERE k.parent_id = ou.id), "
	" coalesce(a.people, 0), coalesce(a.en, 0), coalesce(a.en_done, 0), coalesce(a.cm, 0), "
	" coalesce(a.fl, 0), coalesce(a.od, 0), coalesce(a.act, 0), coalesce(a.rep, 0), "
	" coalesce(a.per, 0), coalesce(a.tgt, 0) "
	"FROM tops t LEFT JOIN agg a ON a.top = t.top "
	"JOIN org_unit ou ON ou.id = CASE WHEN t.top = 0 THEN $1::bigint ELSE t.top END "
	"ORDER BY t.top = 0, ou.name" VI ", ou.code";

static const char SQL_SERIES_FAST[] =
	"WITH RECURSIVE sub AS (SELECT id FROM org_unit WHERE id = $1::bigint "
	" UNION ALL SELECT c.id FROM org_unit c JOIN sub ON c.parent_id = sub.id), "
	"g AS MATERIALIZED (SELECT to_char(day, 'YYYY-MM') AS m, version_id, sum(e) AS e, sum(c) AS c "
	" FROM (SELECT f.enrolled_on AS day, f.version_id, 1 AS e, 0 AS c FROM report_enrolment f "
	"  WHERE f.enrolled_on BETWEEN $2::date AND $3::date AND " CRS_IN
	"   AND f.en_unit IN (SELECT id FROM sub) AND " AUD("f.en_leader", "f.en_par")
	" UNION ALL SELECT f.completed_on, f.version_id, 0, 1 FROM report_enrolment f "
	"  WHERE f.completed_on BETWEEN $2::date AND $3::date AND f.passed IS NOT FALSE AND " CRS_IN
	"   AND f.cm_unit IN (SELECT id FROM sub) AND " AUD("f.cm_leader", "f.cm_par") ") x "
	" GROUP BY 1, 2) "
	"SELECT 'm', m, '', sum(e)::bigint, sum(c)::bigint FROM g GROUP BY m "
	"UNION ALL SELECT 'a', coalesce(v.par_area, ''), '', sum(e)::bigint, sum(c)::bigint "
	" FROM g JOIN course_version v ON v.id = g.version_id GROUP BY 2 "
	"UNION ALL SELECT 'c', co.code, co.title, sum(e)::bigint, sum(c)::bigint FROM g "
	" JOIN course_version v ON v.id = g.version_id JOIN course co ON co.id = v.course_id "
	" GROUP BY co.code, co.title "
	"ORDER BY 1, 2";

static const char SQL_SERIES[] =
	TREE CRS
	"fx AS NOT MATERIALIZED (SELECT 'e'::text AS k, f.enrolled_on AS day, f.version_id, "
	"  f.en_unit AS unit, f.person_id FROM report_enrolment f "
	" WHERE f.enrolled_on BETWEEN $2::date AND $3::date AND f.version_id IN (SELECT id FROM crs) "
	"  AND f.en_unit IN (SELECT id FROM reach) AND " AUD("f.en_leader", "f.en_par")
	" UNION ALL SELECT 'c', f.completed_on, f.version_id, f.cm_unit, f.person_id "
	" FROM report_enrolment f WHERE f.completed_on BETWEEN $2::date AND $3::date "
	"  AND f.passed IS NOT FALSE AND f.version_id IN (SELECT id FROM crs) "
	"  AND f.cm_unit IN (SELECT id FROM reach) AND " AUD("f.cm_leader", "f.cm_par") "), "
	"fr AS (SELECT k, day, version_id FROM fx WHERE unit IN (SELECT id FROM sub) "
	" UNION ALL SELECT fx.k, fx.day, fx.version_id FROM fx " PRED_MAP("fx") "), "
	"g AS MATERIALIZED (SELECT to_char(day, 'YYYY-MM') AS m, version_id, "
	"  count(*) FILTER (WHERE k = 'e') AS e, count(*) FILTER (WHERE k = 'c') AS c "
	"  FROM fr GROUP BY 1, 2) "
	"SELECT 'm', m, '', sum(e)::bigint, sum(c)::bigint FROM g GROUP BY m "
	"UNION ALL SELECT 'a', coalesce(v.par_area, ''), '', sum(e)::bigint, sum(c)::bigint "
	" FROM g JOIN course_version v ON v.id = g.version_id GROUP BY 2 "
	"UNION ALL SELECT 'c', co.code, co.title, sum(e)::bigint, sum(c)::bigint FROM g "
	" JOIN course_version v ON v.id = g.version_id JOIN course co ON co.id = v.course_id "
	" GROUP BY co.code, co.title "
	"ORDER BY 1, 2";

static const char SQL_PREDS[] =
	TREE
	"x AS (SELECT 1) "
	"SELECT o.code, o.name, o.kind, coalesce(to_char(o.valid_to, 'YYYY-MM-DD'), ''), "
	" coalesce((SELECT string_agg(w.code, ',' ORDER BY w.code) FROM unit_successor us "
	"  JOIN org_unit w ON w.id = us.successor_id WHERE us.unit_id = o.id "
	"  AND w.id IN (SELECT id FROM reach)), '') "
	"FROM predm JOIN org_unit o ON o.id = predm.id ORDER BY o.name" VI ", o.code";

static const char SQL_PEOPLE[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR "
	TREE CRS FACTS
	"pf AS NOT MATERIALIZED (SELECT unit, person_id, day, 1 AS en, done::int AS en_done, 0 AS cm, "
	"  0 AS fl, 0::bigint AS act, 0::bigint AS rep FROM en "
	" UNION ALL SELECT unit, person_id, day, 0, 0, (passed IS NOT FALSE)::int, "
	"  (passed IS FALSE)::int, active_s, reported_s FROM cm), "
	"pm AS (SELECT pf.*, pf.unit AS eff FROM pf WHERE pf.unit IN (SELECT id FROM sub) "
	" UNION ALL SELECT pf.*, h2.unit_id FROM pf " PRED_MAP("pf") "), "
	"pp AS (SELECT person_id, sum(en) AS en, sum(en_done) AS en_done, sum(cm) AS cm, sum(fl) AS fl, "
	"  sum(act) AS act, sum(rep) AS rep, "
	"  (array_agg(eff ORDER BY day DESC, eff))[1] AS last_unit FROM pm GROUP BY person_id), "
	"hm AS (SELECT hc.person_id, hc.unit AS eff, hc.od FROM hc WHERE hc.unit IN (SELECT id FROM sub) "
	" UNION ALL SELECT hc.person_id, h2.unit_id, hc.od FROM hc " PRED_MAP("hc") "), "
	"r AS MATERIALIZED (SELECT coalesce(hm.person_id, pp.person_id) AS person_id, "
	"  coalesce(hm.eff, pp.last_unit) AS unit, hm.person_id IS NOT NULL AS on_roster, "
	"  pp.en, pp.en_done, pp.cm, pp.fl, hm.od, pp.act, pp.rep "
	"  FROM hm FULL JOIN pp ON pp.person_id = hm.person_id), "
	"ytd AS (SELECT f.person_id, sum(f.periods) AS periods FROM report_enrolment f "
	" WHERE f.completed_on BETWEEN " YEAR0 " AND $3::date AND f.periods > 0 "
	"  AND f.person_id IN (SELECT person_id FROM r) GROUP BY f.person_id) "
	"SELECT p.employee_code, p.full_name, u.code, u.name, coalesce(h.position, p.position), "
	" coalesce(h.is_leader, p.is_leader), coalesce(h.par_role, p.par_role), r.on_roster, "
	" coalesce(r.en, 0), coalesce(r.en_done, 0), coalesce(r.cm, 0), coalesce(r.fl, 0), "
	" coalesce(r.od, 0), coalesce(r.act, 0), coalesce(r.rep, 0), coalesce(y.periods, 0), "
	" count(*) OVER () "
	"FROM r JOIN person p ON p.id = r.person_id JOIN org_unit u ON u.id = r.unit "
	"LEFT JOIN LATERAL (SELECT hh.position, hh.is_leader, hh.par_role FROM person_history hh "
	" WHERE hh.person_id = r.person_id AND hh.valid_from <= $3::date "
	"  AND (hh.valid_to IS NULL OR hh.valid_to >= $3::date) ORDER BY hh.valid_from DESC LIMIT 1) h ON true "
	"LEFT JOIN ytd y ON y.person_id = r.person_id "
	"ORDER BY u.name" VI ", u.code, p.full_name" VI ", p.employee_code "
	"LIMIT $8::bigint OFFSET $9::bigint";

/* ---- the indicators ---- */

/* The people of the indicators on the last day $3 (hc: the active leaders, PAR staff and
 * holders of a PAR position of the reach), mapped into the subtree (hm, eff); the versions
 * of PAR training courses (parv); the expert
 * certificates valid at the end; the reporting units (departments, districts, and the wards,
 * communes and special zone directly under the city) and the PAR position holders, with
 * every unit above them (hup). */
#define IND_BASE                                                                               \
	"flagged AS (SELECT id, name FROM job_position WHERE par_position), "                      \
	"fp AS MATERIALIZED (SELECT ps.id AS person_id, fl.name FROM flagged fl "                  \
	"  JOIN person ps ON ps.position_id = fl.id), "                                            \
	"hc AS MATERIALIZED (SELECT h.person_id, h.unit_id AS unit, h.is_leader, h.par_role, "     \
	"  h.position, h.valid_to IS NULL AS open FROM person_history h "                          \
	" WHERE h.valid_from <= $3::date AND (h.valid_to IS NULL OR h.valid_to >= $3::date) "      \
	"  AND h.active AND h.unit_id IN (SELECT id FROM reach) "                                  \
	"  AND (h.is_leader OR h.par_role <> 'none' OR h.position IN (SELECT name FROM flagged) "  \
	"   OR (h.valid_to IS NULL AND h.person_id IN (SELECT person_id FROM fp)))), "             \
	"hm AS MATERIALIZED (SELECT hc.*, hc.unit AS eff FROM hc WHERE hc.unit IN (SELECT id FROM sub) " \
	" UNION ALL SELECT hc.*, h2.unit_id FROM hc " PRED_MAP("hc") "), "                          \
	"parv AS (SELECT v.id FROM course_version v JOIN course c ON c.id = v.course_id "          \
	" WHERE coalesce(c.par_training, coalesce(v.par_area, '') <> '')), "                       \
	"cert0 AS (SELECT c.person_id, c.unit_id AS unit, c.serial, c.title, c.issued_at "         \
	" FROM certificate c JOIN course co ON co.id = c.course_id "                               \
	" WHERE co.expert_programme AND c.person_id IS NOT NULL "                                  \
	"  AND c.issued_at < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') "          \
	"  AND (c.revoked_at IS NULL "                                                             \
	"   OR c.revoked_at >= (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')) "       \
	"  AND c.unit_id IN (SELECT id FROM reach)), "                                             \
	"cert AS (SELECT cert0.*, cert0.unit AS eff FROM cert0 WHERE cert0.unit IN (SELECT id FROM sub) " \
	" UNION ALL SELECT cert0.*, h2.unit_id FROM cert0 " PRED_MAP("cert0") "), "                 \
	"ru AS (SELECT o.id FROM org_unit o LEFT JOIN org_unit pu ON pu.id = o.parent_id "         \
	" WHERE o.id IN (SELECT id FROM sub) "                                                     \
	"  AND (o.valid_from IS NULL OR o.valid_from <= $3::date) "                                \
	"  AND (o.valid_to IS NULL OR o.valid_to >= $3::date) "                                    \
	"  AND (o.kind IN ('department', 'district') "                                             \
	"   OR (o.kind IN ('ward', 'commune', 'special_zone') AND pu.kind = 'city'))), "            \
	"holders AS (SELECT hc.unit, hc.person_id, coalesce(fp.name, hc.position) AS pos FROM hc "  \
	" LEFT JOIN fp ON fp.person_id = hc.person_id AND hc.open "                                \
	" WHERE hc.unit IN (SELECT id FROM sub) AND (fp.person_id IS NOT NULL "                    \
	"  OR hc.position IN (SELECT name FROM flagged))), "                                       \
	"hup AS (SELECT unit AS id, person_id, pos FROM holders "                                  \
	" UNION ALL SELECT o.parent_id, hup.person_id, hup.pos FROM hup "                          \
	"  JOIN org_unit o ON o.id = hup.id WHERE o.parent_id IS NOT NULL), "

/* Did person pid complete a PAR training course in the period? */
#define PAR_DONE(pid)                                                                          \
	"EXISTS (SELECT 1 FROM report_enrolment f WHERE f.person_id = " pid                        \
	" AND f.completed_on BETWEEN $2::date AND $3::date AND f.passed IS NOT FALSE "             \
	" AND f.version_id IN (SELECT id FROM parv))"

/* Each PAR staff member's assigned courses (n) and those due by the end, not completed (or
 * failed) then (unmet): index lookups per person, as few as the subtree has PAR staff. */
#define REQ                                                                                    \
	"req AS (SELECT hm.person_id, hm.eff, x.n, x.unmet FROM hm, LATERAL (SELECT "              \
	"  count(*) AS n, count(*) FILTER (WHERE (f.completed_on IS NULL "                         \
	"   OR f.completed_on > $3::date OR f.passed IS FALSE) "                                   \
	"   AND (f.due_on IS NULL OR f.due_on <= $3::date)) AS unmet "                             \
	"  FROM report_enrolment f WHERE f.person_id = hm.person_id AND f.assigned "               \
	"   AND f.enrolled_on <= $3::date) x WHERE hm.par_role <> 'none'), "

static const char SQL_INDICATORS[] =
	TREE IND_BASE REQ
	"i1 AS (SELECT count(*) AS d, count(*) FILTER (WHERE " PAR_DONE("hm.person_id") ") AS n "
	" FROM hm WHERE hm.is_leader), "
	"i2 AS (SELECT count(*) AS d, count(*) FILTER (WHERE n > 0 AND unmet = 0) AS n FROM req), "
	"i3 AS (SELECT count(*) AS d, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM report_enrolment f "
	"  WHERE f.person_id = hm.person_id AND f.enrolled_on <= $3::date)) AS n FROM hm "
	" WHERE hm.par_role <> 'none'), "
	"i4 AS (SELECT count(DISTINCT person_id) AS n FROM cert), "
	"i5 AS (SELECT count(DISTINCT hm.person_id) AS n FROM hm WHERE hm.par_role <> 'none' "
	"  AND EXISTS (SELECT 1 FROM talent_pool tp WHERE tp.person_id = hm.person_id "
	"   AND tp.track = 'leader' AND tp.status = 'approved' "
	"   AND tp.decided_at < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'))), "
	"i6 AS (SELECT count(*) AS d, count(*) FILTER (WHERE ru.id IN (SELECT id FROM hup)) AS n FROM ru) "
	"SELECT 0, i1.n, i1.d FROM i1 UNION ALL SELECT 1, i2.n, i2.d FROM i2 "
	"UNION ALL SELECT 2, i3.n, i3.d FROM i3 UNION ALL SELECT 3, i4.n, 0 FROM i4 "
	"UNION ALL SELECT 4, i5.n, 0 FROM i5 UNION ALL SELECT 5, i6.n, i6.d FROM i6 ORDER BY 1";

/* The lists: x(person_id, eff, counted, n1, n2, detail), then one tail for people. $4 only
 * ('', 'counted', 'missing'), $5 limit (NULL: all), $6 offset. */
#define LIST_TAIL                                                                              \
	"SELECT p.employee_code, p.full_name, u.code, u.name, x.counted, x.n1::bigint, x.n2::bigint, " \
	" x.detail, count(*) OVER () FROM x JOIN person p ON p.id = x.person_id "                  \
	" JOIN org_unit u ON u.id = x.eff WHERE ($4::text = '' OR ($4::text = 'counted') = x.counted) " \
	"ORDER BY x.counted DESC, u.name" VI ", u.code, p.full_name" VI ", p.employee_code "           \
	"LIMIT $5::bigint OFFSET $6::bigint"

static const char SQL_LIST_LEADERS[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE IND_BASE
	"x AS (SELECT hm.person_id, hm.eff, count(f.enrolment_id) > 0 AS counted, "
	"  count(f.enrolment_id) AS n1, coalesce(sum(f.periods), 0) AS n2, "
	"  (array_agg(co.title ORDER BY f.completed_on DESC) FILTER (WHERE co.id IS NOT NULL))[1] AS detail "
	" FROM hm LEFT JOIN report_enrolment f ON f.person_id = hm.person_id "
	"  AND f.completed_on BETWEEN $2::date AND $3::date AND f.passed IS NOT FALSE "
	"  AND f.version_id IN (SELECT id FROM parv) "
	" LEFT JOIN course co ON co.id = f.course_id WHERE hm.is_leader GROUP BY hm.person_id, hm.eff) "
	LIST_TAIL;

static const char SQL_LIST_REQUIRED[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE IND_BASE REQ
	"x AS (SELECT person_id, eff, n > 0 AND unmet = 0 AS counted, n AS n1, unmet AS n2, "
	"  NULL::text AS detail FROM req) "
	LIST_TAIL;

static const char SQL_LIST_ACCESS[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE IND_BASE
	"x AS (SELECT hm.person_id, hm.eff, count(f.enrolment_id) > 0 AS counted, "
	"  count(f.enrolment_id) AS n1, "
	"  (SELECT count(*) FROM launch l JOIN app_user a ON a.id = l.user_id "
	"   WHERE a.person_id = hm.person_id "
	"   AND l.opened_at < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')) AS n2, "
	"  NULL::text AS detail "
	" FROM hm LEFT JOIN report_enrolment f ON f.person_id = hm.person_id "
	"  AND f.enrolled_on <= $3::date WHERE hm.par_role <> 'none' GROUP BY hm.person_id, hm.eff) "
	LIST_TAIL;

static const char SQL_LIST_EXPERTS[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE IND_BASE
	"x AS (SELECT person_id, (array_agg(eff ORDER BY issued_at))[1] AS eff, true AS counted, "
	"  count(*) AS n1, min(extract(year FROM issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))::bigint AS n2, "
	"  string_agg(serial || ' — ' || title, '; ' ORDER BY issued_at) AS detail "
	" FROM cert GROUP BY person_id) "
	LIST_TAIL;

static const char SQL_LIST_UNITS[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE IND_BASE
	"x AS (SELECT ru.id, count(hup.person_id) > 0 AS counted, count(hup.person_id) AS n1, "
	"  (SELECT count(*) FROM person_history h WHERE h.unit_id = ru.id AND h.active "
	"    AND h.valid_from <= $3::date AND (h.valid_to IS NULL OR h.valid_to >= $3::date)) AS n2, "
	"  string_agg(DISTINCT hup.pos, '; ') AS detail "
	" FROM ru LEFT JOIN hup ON hup.id = ru.id GROUP BY ru.id) "
	"SELECT o.code, o.name, coalesce(pu.code, ''), coalesce(pu.name, ''), x.counted, x.n1::bigint, "
	" x.n2::bigint, x.detail, count(*) OVER () FROM x JOIN org_unit o ON o.id = x.id "
	" LEFT JOIN org_unit pu ON pu.id = o.parent_id "
	" WHERE ($4::text = '' OR ($4::text = 'counted') = x.counted) "
	"ORDER BY x.counted DESC, o.name" VI ", o.code LIMIT $5::bigint OFFSET $6::bigint";


/* ---- quiz and exam results ---- */

/* The end of the last day $3, city time, as a timestamptz. */
#define END_TS "(($3::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')"
#define CITY_DAY(ts) "((" ts ") AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"

/* The assessments asked for (asm): $8 one (0: all), $9 kind ('', 'quiz', 'exam'), a quiz
 * always, an exam once its results are published; course $4 and PAR area $5 through the
 * assessment's course. The attempts (at0): submitted in the period, of a roster person,
 * final (graded, no essay waiting) or waiting for an essay's grade (pend), under the unit the
 * person had at the start (attempt.unit_id; the roster's unit on the submission day when it
 * is missing), with the leader flag and PAR role of the submission day for the audience
 * filters; band: the tenth of the score, 90..100 % in the last. Then mapped into the subtree
 * (m, top) as the completion report does, predecessors person by person. */
static const char SQL_EXAMS[] =
	TREE
	"asm AS (SELECT a.id FROM assessment a WHERE ($8::bigint = 0 OR a.id = $8::bigint) "
	" AND ($9::text = '' OR a.kind = $9::text) "
	" AND (a.kind = 'quiz' OR a.results_published_at IS NOT NULL) "
	" AND ($4::bigint = 0 OR a.course_id = $4::bigint) "
	" AND ($5::text = '' OR EXISTS (SELECT 1 FROM course_version v WHERE v.course_id = a.course_id "
	"  AND v.par_area = $5::text))), "
	"at0 AS MATERIALIZED (SELECT t.assessment_id, t.person_id, coalesce(t.unit_id, h.unit_id) AS unit, "
	"  t.needs_manual AS pend, coalesce(t.passed, false) AS passed, coalesce(t.fraction, 0) AS fraction, "
	"  least(floor(coalesce(t.fraction, 0) * 10 + 1e-9), 9)::int AS band "
	" FROM attempt t JOIN asm ON asm.id = t.assessment_id "
	" LEFT JOIN person_history h ON h.person_id = t.person_id "
	"  AND h.valid_from <= " CITY_DAY("t.submitted_at") " "
	"  AND (h.valid_to IS NULL OR h.valid_to >= " CITY_DAY("t.submitted_at") ") "
	" WHERE t.submitted_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') "
	"  AND t.submitted_at < " END_TS " AND t.person_id IS NOT NULL "
	"  AND (t.needs_manual OR (t.graded_at IS NOT NULL AND t.fraction IS NOT NULL)) "
	"  AND " AUD("h.is_leader", "h.par_role") "), "
	"m AS (SELECT s.top, x.* FROM at0 x JOIN sub s ON s.id = x.unit "
	" UNION ALL SELECT s.top, x.* FROM at0 x " PRED_MAP("x") "), "
	"g AS (SELECT CASE WHEN grouping(top) = 0 THEN 'u' WHEN grouping(assessment_id) = 0 THEN 'a' "
	"  ELSE 't' END AS k, top, assessment_id, count(*) FILTER (WHERE NOT pend) AS n, "
	"  count(DISTINCT person_id) FILTER (WHERE NOT pend) AS people, "
	"  count(*) FILTER (WHERE NOT pend AND passed) AS passed, count(*) FILTER (WHERE pend) AS pend, "
	"  coalesce(sum(fraction::numeric) FILTER (WHERE NOT pend), 0) * 100 AS ssum, "
	"  count(*) FILTER (WHERE NOT pend AND band = 0) AS b0, count(*) FILTER (WHERE NOT pend AND band = 1) AS b1, "
	"  count(*) FILTER (WHERE NOT pend AND band = 2) AS b2, count(*) FILTER (WHERE NOT pend AND band = 3) AS b3, "
	"  count(*) FILTER (WHERE NOT pend AND band = 4) AS b4, count(*) FILTER (WHERE NOT pend AND band = 5) AS b5, "
	"  count(*) FILTER (WHERE NOT pend AND band = 6) AS b6, count(*) FILTER (WHERE NOT pend AND band = 7) AS b7, "
	"  count(*) FILTER (WHERE NOT pend AND band = 8) AS b8, count(*) FILTER (WHERE NOT pend AND band = 9) AS b9 "
	" FROM m GROUP BY GROUPING SETS ((top), (assessment_id), ())), "
	"tops AS (SELECT c.id AS top FROM org_unit c WHERE c.parent_id = $1::bigint "
	"  AND (c.valid_from IS NULL OR c.valid_from <= $3::date) "
	"  AND (c.valid_to IS NULL OR c.valid_to >= $2::date) UNION SELECT top FROM g WHERE k = 'u') "
	"SELECT * FROM ("
	" SELECT 'u' AS k, t.top = 0 AS own, ou.code, ou.name, ou.kind, "
	"  coalesce(to_char(ou.valid_from, 'YYYY-MM-DD'), '') AS vf, "
	"  coalesce(to_char(ou.valid_to, 'YYYY-MM-DD'), '') AS vt, "
	"  t.top <> 0 AND EXISTS (SELECT 1 FROM org_unit k WHERE k.parent_id = ou.id) AS kids, "
	"  NULL::text AS course, '' AS pub, g.n, g.people, g.passed, g.pend, g.ssum, "
	"  g.b0, g.b1, g.b2, g.b3, g.b4, g.b5, g.b6, g.b7, g.b8, g.b9 "
	" FROM tops t LEFT JOIN g ON g.k = 'u' AND g.top = t.top "
	" JOIN org_unit ou ON ou.id = CASE WHEN t.top = 0 THEN $1::bigint ELSE t.top END "
	" UNION ALL SELECT 'a', false, a.code, a.title, a.kind, '', '', false, co.code, "
	"  coalesce(to_char(" CITY_DAY("a.results_published_at") ", 'YYYY-MM-DD'), ''), g.n, g.people, "
	"  g.passed, g.pend, g.ssum, g.b0, g.b1, g.b2, g.b3, g.b4, g.b5, g.b6, g.b7, g.b8, g.b9 "
	" FROM g JOIN assessment a ON a.id = g.assessment_id LEFT JOIN course co ON co.id = a.course_id "
	" WHERE g.k = 'a' "
	" UNION ALL SELECT 't', false, '', '', '', '', '', false, NULL, '', g.n, g.people, g.passed, "
	"  g.pend, g.ssum, g.b0, g.b1, g.b2, g.b3, g.b4, g.b5, g.b6, g.b7, g.b8, g.b9 FROM g WHERE g.k = 't'"
	") z ORDER BY k, own, name" VI ", code";

/* ---- the talent-pool list ---- */

/* The entries proposed by the end of the last day $3, with the status they had then (st), of
 * the people whose roster unit on that day lies in the subtree (predecessors reached as in
 * the completion report); $4 status ('' all), $5 limit (NULL: all), $6 offset. */
static const char SQL_POOL[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE
	"tp AS MATERIALIZED (SELECT tp.*, CASE WHEN tp.decided_at < " END_TS " THEN tp.status "
	"  ELSE 'proposed' END AS st FROM talent_pool tp WHERE tp.proposed_at < " END_TS "), "
	"hp AS (SELECT h.person_id, h.unit_id AS unit FROM person_history h "
	" WHERE h.valid_from <= $3::date AND (h.valid_to IS NULL OR h.valid_to >= $3::date) "
	"  AND h.unit_id IN (SELECT id FROM reach) AND h.person_id IN (SELECT person_id FROM tp)), "
	"hm AS (SELECT hp.person_id, hp.unit AS eff FROM hp WHERE hp.unit IN (SELECT id FROM sub) "
	" UNION ALL SELECT hp.person_id, h2.unit_id FROM hp " PRED_MAP("hp") "), "
	"x AS (SELECT tp.*, hm.eff FROM tp JOIN hm ON hm.person_id = tp.person_id "
	" WHERE ($4::text = '' OR tp.st = $4::text)) "
	"SELECT p.employee_code, p.full_name, u.code, u.name, x.track, a.code, a.title, x.rank, x.score, "
	" coalesce(t.fraction, -1), x.st, x.proposed_by, "
	" to_char(x.proposed_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"'), "
	" CASE WHEN x.st <> 'proposed' THEN x.decided_by END, "
	" CASE WHEN x.st <> 'proposed' THEN to_char(x.decided_at AT TIME ZONE 'Asia/Ho_Chi_Minh', "
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"') END, "
	" CASE WHEN x.st <> 'proposed' THEN x.note END, count(*) OVER () "
	"FROM x JOIN person p ON p.id = x.person_id JOIN org_unit u ON u.id = x.eff "
	"JOIN assessment a ON a.id = x.assessment_id LEFT JOIN attempt t ON t.id = x.attempt_id "
	"ORDER BY u.name" VI ", u.code, x.track, x.rank, p.full_name" VI ", p.employee_code, x.id "
	"LIMIT $5::bigint OFFSET $6::bigint";

static const char SQL_LIST_POOL[] =
	"DECLARE rep_cur NO SCROLL CURSOR FOR " TREE IND_BASE
	"x AS (SELECT hm.person_id, hm.eff, true AS counted, count(*) AS n1, min(tp.rank) AS n2, "
	"  string_agg(a.code || ' — ' || a.title, '; ' ORDER BY tp.decided_at, a.code) AS detail "
	" FROM hm JOIN talent_pool tp ON tp.person_id = hm.person_id AND tp.track = 'leader' "
	"  AND tp.status = 'approved' AND tp.decided_at < " END_TS
	" JOIN assessment a ON a.id = tp.assessment_id WHERE hm.par_role <> 'none' "
	" GROUP BY hm.person_id, hm.eff) "
	LIST_TAIL;

enum {
	R_BEGIN_RR,
	R_SETTINGS,
	R_ROOT,
	R_COURSE,
	R_COMPLETION,
	R_COMPLETION_FAST,
	R_SERIES,
	R_SERIES_FAST,
	R_PREDS,
	R_PEOPLE,
	R_INDICATORS,
	R_LIST_LEADERS,
	R_LIST_REQUIRED,
	R_LIST_ACCESS,
	R_LIST_EXPERTS,
	R_LIST_UNITS,
	R_FETCH,
	R_CLOSE,
	R_FLAG_COURSE,
	R_FLAG_POSITION,
	R_AUDIT,
	R_ASSESSMENT,
	R_EXAMS,
	R_POOL,
	R_LIST_POOL,
	R__COUNT
};
_Static_assert(PGX_REPORT_SLOT + R__COUNT <= PGX_REPORT_SLOT_END, "too many report statements");
_Static_assert(PGX_REPORT_SLOT_END <= PGX_SLOTS - PGX_SLOT_BASE, "report slots past the table");

static const pgx_stmt stmts[R__COUNT] = {
	[R_BEGIN_RR] = { "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, 0 },
	[R_SETTINGS] = { "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), "
	                 "set_config('plan_cache_mode', 'force_custom_plan', true)",
	                 0, 0 },
	[R_ROOT] = { "SELECT code FROM org_unit WHERE parent_id IS NULL "
	             "ORDER BY (kind = 'city') DESC, id LIMIT 1",
	             0, 1 },
	[R_COURSE] = { "SELECT id FROM course WHERE code = $1", 1, 1 },
	[R_COMPLETION] = { SQL_COMPLETION, 7, 0 },
	[R_COMPLETION_FAST] = { SQL_COMPLETION_FAST, 7, 0 },
	[R_SERIES] = { SQL_SERIES, 7, 0 },
	[R_SERIES_FAST] = { SQL_SERIES_FAST, 7, 0 },
	[R_PREDS] = { SQL_PREDS, 2, 0 },
	[R_PEOPLE] = { SQL_PEOPLE, 9, 0 },
	[R_INDICATORS] = { SQL_INDICATORS, 3, 0 },
	[R_LIST_LEADERS] = { SQL_LIST_LEADERS, 6, 0 },
	[R_LIST_REQUIRED] = { SQL_LIST_REQUIRED, 6, 0 },
	[R_LIST_ACCESS] = { SQL_LIST_ACCESS, 6, 0 },
	[R_LIST_EXPERTS] = { SQL_LIST_EXPERTS, 6, 0 },
	[R_LIST_UNITS] = { SQL_LIST_UNITS, 6, 0 },
	[R_FETCH] = { "FETCH " FETCH_ROWS " FROM rep_cur", 0, 0 },
	[R_CLOSE] = { "CLOSE rep_cur", 0, 0 },
	[R_FLAG_COURSE] = {
		"UPDATE course SET par_training = CASE $2::text WHEN 'true' THEN true WHEN 'false' THEN false "
		" WHEN 'auto' THEN NULL ELSE par_training END, "
		" expert_programme = CASE $3::text WHEN 'true' THEN true WHEN 'false' THEN false "
		" ELSE expert_programme END WHERE code = $1 RETURNING id",
		3, 0 },
	[R_FLAG_POSITION] = { "UPDATE job_position SET par_position = $2::boolean, updated_at = now() "
	                      "WHERE code = $1 RETURNING id",
	                      2, 0 },
	[R_AUDIT] = { "INSERT INTO audit_log (actor, user_id, action, params, row_count, client_addr, "
	              "request_id) VALUES ($1, nullif($2::bigint, 0), $3, $4::jsonb, "
	              "nullif($5::bigint, -1), $6, $7)",
	              7, 0 },
	[R_ASSESSMENT] = { "SELECT id FROM assessment WHERE code = $1", 1, 1 },
	[R_EXAMS] = { SQL_EXAMS, 9, 0 },
	[R_POOL] = { SQL_POOL, 6, 0 },
	[R_LIST_POOL] = { SQL_LIST_POOL, 6, 0 },
};

#pragma GCC diagnostic pop

static PGresult *run(lms_store *s, int id, const char *const *v, int *rc, lms_err *err)
{
	return pgx_run(s, PGX_REPORT_SLOT + id, &stmts[id], v, rc, err);
}

/* Opens the report's transaction: one snapshot, read only, JIT off, work_mem for grouping. */
static int begin_read(lms_store *s, lms_err *err)
{
	PGresult *r;
	int rc;

	if ((rc = pgx_begin(s, err)) < 0)
		return rc;
	if (!(r = run(s, R_BEGIN_RR, NULL, &rc, err)))
		goto fail;
	PQclear(r);
	if (!(r = run(s, R_SETTINGS, NULL, &rc, err)))
		goto fail;
	PQclear(r);
	return LMS_OK;
fail:
	pgx_rollback(s);
	return rc;
}

/* Ends it: a read-only transaction has nothing to keep; COMMIT tells a lost connection. */
static int end_read(lms_store *s, int rc, lms_err *err)
{
	if (rc < 0) {
		pgx_rollback(s);
		return rc;
	}
	return pgx_commit(s, err);
}

static const char *leader_text(lms_rep_leader l)
{
	return l == LMS_REP_LEADERS ? "leader" : l == LMS_REP_STAFF ? "staff" : "";
}

static const char *par_text(lms_rep_par p)
{
	switch (p) {
	case LMS_REP_PAR_STAFF: return "par";
	case LMS_REP_PAR_DEDICATED: return "dedicated";
	case LMS_REP_PAR_CONCURRENT: return "concurrent";
	case LMS_REP_PAR_NONE: return "none";
	default: return "";
	}
}

/* $1..$7 of the report statements. */
static void query_params(lms_arena *a, const lms_rep_query *q, const char **v)
{
	v[0] = pgu_num(a, q->unit_id);
	v[1] = lms_arena_strdup(a, q->period.from);
	v[2] = lms_arena_strdup(a, q->period.to);
	v[3] = pgu_num(a, q->course_id);
	v[4] = q->par_area ? q->par_area : "";
	v[5] = leader_text(q->leader);
	v[6] = par_text(q->par);
}

static void fill_counts(const PGresult *r, int i, int col, lms_rep_counts *c)
{
	/* people, en, en_done, cm, fl, od, act, rep, per, tgt */
	c->people = pgu_i64(r, i, col);
	c->enrolled = pgu_i64(r, i, col + 1);
	c->enrolled_done = pgu_i64(r, i, col + 2);
	c->completed = pgu_i64(r, i, col + 3);
	c->failed = pgu_i64(r, i, col + 4);
	c->overdue = pgu_i64(r, i, col + 5);
	c->active_s = pgu_i64(r, i, col + 6);
	c->reported_s = pgu_i64(r, i, col + 7);
	c->periods = pgu_i64(r, i, col + 8);
	c->at_target = pgu_i64(r, i, col + 9);
}

static void add_counts(lms_rep_counts *t, const lms_rep_counts *c)
{
	t->people += c->people;
	t->enrolled += c->enrolled;
	t->enrolled_done += c->enrolled_done;
	t->completed += c->completed;
	t->failed += c->failed;
	t->overdue += c->overdue;
	t->active_s += c->active_s;
	t->reported_s += c->reported_s;
	t->periods += c->periods;
	t->at_target += c->at_target;
}

static int op_root(lms_store *s, lms_arena *a, lms_unit *out, lms_err *err)
{
	PGresult *r;
	char *code;
	int rc;

	if (!(r = run(s, R_ROOT, NULL, &rc, err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "unit", "there are no units yet");
	}
	code = lms_arena_strdup(a, PQgetvalue(r, 0, 0));
	PQclear(r);
	return s->ops->unit_find(s, code, a, out, err);
}

static int op_course_id(lms_store *s, const char *code, int64_t *id, lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(s, R_COURSE, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "course", "course %s: no such course",
		                   code);
	}
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

static int op_completion(lms_store *s, const lms_rep_query *q, lms_arena *a, lms_rep_completion *out,
                         lms_err *err)
{
	const char *v[7];
	lms_rep_completion c;
	PGresult *r = NULL;
	int rc, i, n;

	memset(&c, 0, sizeof(c));
	query_params(a, q, v);
	if ((rc = begin_read(s, err)) < 0)
		return rc;
	/* the predecessors first: without any, the simpler statements answer */
	if (!(r = run(s, R_PREDS, v, &rc, err)))
		goto done;
	n = PQntuples(r);
	c.preds = lms_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*c.preds));
	for (i = 0; i < n; i++) {
		lms_rep_pred *p = &c.preds[i];
		p->code = pgu_str(a, r, i, 0);
		p->name = pgu_str(a, r, i, 1);
		p->kind = pgu_str(a, r, i, 2);
		snprintf(p->valid_to, sizeof(p->valid_to), "%s", PQgetvalue(r, i, 3));
		p->successor_code = pgu_str(a, r, i, 4);
	}
	c.n_preds = (size_t)n;
	PQclear(r);
	if (!(r = run(s, c.n_preds ? R_COMPLETION : R_COMPLETION_FAST, v, &rc, err)))
		goto done;
	n = PQntuples(r);
	c.rows = lms_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*c.rows));
	for (i = 0; i < n; i++) {
		lms_rep_unit_row *u = &c.rows[i];
		u->own = pgu_i64(r, i, 0) == 0;
		u->code = pgu_str(a, r, i, 1);
		u->name = pgu_str(a, r, i, 2);
		u->kind = pgu_str(a, r, i, 3);
		snprintf(u->valid_from, sizeof(u->valid_from), "%s", PQgetvalue(r, i, 4));
		snprintf(u->valid_to, sizeof(u->valid_to), "%s", PQgetvalue(r, i, 5));
		u->has_children = pgu_bool(r, i, 6);
		/* columns: people, en, en_done, cm, fl, od, act, rep, per, tgt */
		fill_counts(r, i, 7, &u->c);
		add_counts(&c.total, &u->c);
	}
	c.n_rows = (size_t)n;
	PQclear(r);
	if (!(r = run(s, c.n_preds ? R_SERIES : R_SERIES_FAST, v, &rc, err)))
		goto done;
	n = PQntuples(r);
	c.series = lms_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*c.series));
	for (i = 0; i < n; i++) {
		lms_rep_series *x = &c.series[i];
		x->kind = PQgetvalue(r, i, 0)[0];
		x->key = pgu_str(a, r, i, 1);
		x->label = pgu_str(a, r, i, 2);
		x->enrolled = pgu_i64(r, i, 3);
		x->completed = pgu_i64(r, i, 4);
	}
	c.n_series = (size_t)n;
	PQclear(r);
	r = NULL;
done:
	PQclear(r);
	if ((rc = end_read(s, rc, err)) == 0)
		*out = c;
	return rc;
}

/* Runs a DECLAREd statement and hands every row to each(ctx, result, row), FETCH_ROWS at a
 * time. *total from the last column of the first row (0 when none). */
typedef int (*row_fn)(void *ctx, const PGresult *r, int i, lms_err *err);

static int cursor_rows(lms_store *s, int stmt, const char *const *v, row_fn each, void *ctx,
                       int64_t *total, lms_err *err)
{
	PGresult *r;
	int rc = 0, n, i;
	bool first = true;

	*total = 0;
	if ((rc = begin_read(s, err)) < 0)
		return rc;
	if (!(r = run(s, stmt, v, &rc, err)))
		return end_read(s, rc, err);
	PQclear(r);
	for (;;) {
		if (!(r = run(s, R_FETCH, NULL, &rc, err)))
			break;
		n = PQntuples(r);
		if (first && n > 0)
			*total = pgu_i64(r, 0, PQnfields(r) - 1);
		first = false;
		for (i = 0; i < n && rc == 0; i++)
			rc = each(ctx, r, i, err);
		PQclear(r);
		if (rc < 0 || n == 0)
			break;
	}
	if (rc == 0 && (r = run(s, R_CLOSE, NULL, &rc, err)))
		PQclear(r);
	return end_read(s, rc, err);
}

static int no_row(void *ctx, const PGresult *r, int i, lms_err *err)
{
	(void)ctx;
	(void)r;
	(void)i;
	(void)err;
	return 0;
}

/* A page past the last row has no row to carry count(*) OVER (): the same statement again
 * from the first row, one row long, gives the total (v[at] limit, v[at + 1] offset). */
static int count_again(lms_store *s, int stmt, const char **v, int at, int64_t *total,
                       lms_err *err)
{
	const char *keep_limit = v[at], *keep_offset = v[at + 1];
	int rc;

	v[at] = "1";
	v[at + 1] = "0";
	rc = cursor_rows(s, stmt, v, no_row, NULL, total, err);
	v[at] = keep_limit;
	v[at + 1] = keep_offset;
	return rc;
}

typedef struct person_ctx {
	lms_rep_person_cb cb;
	void *ctx;
} person_ctx;

static const char *cell(const PGresult *r, int i, int col)
{
	return PQgetisnull(r, i, col) ? NULL : PQgetvalue(r, i, col);
}

static int person_each(void *ctx, const PGresult *r, int i, lms_err *err)
{
	person_ctx *pc = ctx;
	lms_rep_person_row p;

	memset(&p, 0, sizeof(p));
	p.employee_code = cell(r, i, 0);
	p.full_name = cell(r, i, 1);
	p.unit_code = cell(r, i, 2);
	p.unit_name = cell(r, i, 3);
	p.position = cell(r, i, 4);
	p.is_leader = pgu_bool(r, i, 5);
	p.par_role = cell(r, i, 6);
	p.on_roster = pgu_bool(r, i, 7);
	p.c.people = p.on_roster ? 1 : 0;
	p.c.enrolled = pgu_i64(r, i, 8);
	p.c.enrolled_done = pgu_i64(r, i, 9);
	p.c.completed = pgu_i64(r, i, 10);
	p.c.failed = pgu_i64(r, i, 11);
	p.c.overdue = pgu_i64(r, i, 12);
	p.c.active_s = pgu_i64(r, i, 13);
	p.c.reported_s = pgu_i64(r, i, 14);
	p.periods_year = pgu_i64(r, i, 15);
	p.c.periods = p.periods_year;
	p.c.at_target = p.on_roster && p.periods_year >= LMS_REP_PERIOD_TARGET;
	return pc->cb(pc->ctx, &p, err);
}

static int op_people(lms_store *s, const lms_rep_query *q, int limit, int offset,
                     lms_rep_person_cb cb, void *ctx, int64_t *total, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[9];
	person_ctx pc = { cb, ctx };
	int rc;

	query_params(a, q, v);
	v[7] = limit < 0 ? NULL : pgu_num(a, limit);
	v[8] = pgu_num(a, offset < 0 ? 0 : offset);
	rc = cursor_rows(s, R_PEOPLE, v, person_each, &pc, total, err);
	if (rc == 0 && *total == 0 && offset > 0)
		rc = count_again(s, R_PEOPLE, v, 7, total, err);
	lms_arena_free(a);
	return rc;
}

static int op_indicators(lms_store *s, const lms_rep_query *q, lms_rep_indicator *out,
                         lms_err *err)
{
	lms_arena *a = lms_arena_new();
	lms_rep_indicator ind[LMS_IND_COUNT];
	const char *v[7];
	PGresult *r = NULL;
	int rc, i;

	memset(ind, 0, sizeof(ind));
	for (i = 0; i < LMS_IND_COUNT; i++) {
		ind[i].ind = (lms_rep_ind)i;
		ind[i].available = true;
		ind[i].share = i != LMS_IND_EXPERTS && i != LMS_IND_POOL;
		ind[i].target = i == LMS_IND_EXPERTS ? 50 : i == LMS_IND_POOL ? 20 : 100;
	}
	query_params(a, q, v);
	if ((rc = begin_read(s, err)) < 0)
		goto out;
	if ((r = run(s, R_INDICATORS, v, &rc, err))) {
		for (i = 0; i < PQntuples(r); i++) {
			int64_t k = pgu_i64(r, i, 0);
			if (k < 0 || k >= LMS_IND_COUNT)
				continue;
			ind[k].numerator = pgu_i64(r, i, 1);
			ind[k].denominator = pgu_i64(r, i, 2);
		}
		PQclear(r);
	}
	if ((rc = end_read(s, rc, err)) == 0)
		memcpy(out, ind, sizeof(ind));
out:
	lms_arena_free(a);
	return rc;
}

typedef struct item_ctx {
	lms_rep_item_cb cb;
	void *ctx;
} item_ctx;

static int item_each(void *ctx, const PGresult *r, int i, lms_err *err)
{
	item_ctx *ic = ctx;
	lms_rep_item it;

	memset(&it, 0, sizeof(it));
	it.code = cell(r, i, 0);
	it.name = cell(r, i, 1);
	it.unit_code = cell(r, i, 2);
	it.unit_name = cell(r, i, 3);
	it.counted = pgu_bool(r, i, 4);
	it.n1 = pgu_i64(r, i, 5);
	it.n2 = pgu_i64(r, i, 6);
	it.detail = cell(r, i, 7);
	return ic->cb(ic->ctx, &it, err);
}

static int op_indicator_list(lms_store *s, const lms_rep_query *q, lms_rep_ind ind,
                             lms_rep_only only, int limit, int offset, lms_rep_item_cb cb,
                             void *ctx, int64_t *total, lms_err *err)
{
	static const int stmt_of[LMS_IND_COUNT] = {
		[LMS_IND_LEADERS_TRAINED] = R_LIST_LEADERS, [LMS_IND_REQUIRED_DONE] = R_LIST_REQUIRED,
		[LMS_IND_ACCESS] = R_LIST_ACCESS,           [LMS_IND_EXPERTS] = R_LIST_EXPERTS,
		[LMS_IND_POOL] = R_LIST_POOL,               [LMS_IND_UNITS_POSITION] = R_LIST_UNITS,
	};
	lms_arena *a;
	const char *v[7];
	item_ctx ic = { cb, ctx };
	int rc;

	*total = 0;
	if ((unsigned)ind >= LMS_IND_COUNT || stmt_of[ind] < 0)
		return LMS_OK; /* no data behind it yet: an empty list */
	a = lms_arena_new();
	query_params(a, q, v);
	v[3] = only == LMS_REP_COUNTED ? "counted" : only == LMS_REP_MISSING ? "missing" : "";
	v[4] = limit < 0 ? NULL : pgu_num(a, limit);
	v[5] = pgu_num(a, offset < 0 ? 0 : offset);
	rc = cursor_rows(s, stmt_of[ind], v, item_each, &ic, total, err);
	if (rc == 0 && *total == 0 && offset > 0)
		rc = count_again(s, stmt_of[ind], v, 4, total, err);
	lms_arena_free(a);
	return rc;
}

static int op_flag_course(lms_store *s, const char *course_code, int par_training, int expert,
                          lms_err *err)
{
	const char *v[3];
	PGresult *r;
	int rc;

	v[0] = course_code;
	v[1] = par_training == -2 ? "keep" : par_training == -1 ? "auto" : par_training ? "true" : "false";
	v[2] = expert < 0 ? "keep" : expert ? "true" : "false";
	if (!(r = run(s, R_FLAG_COURSE, v, &rc, err)))
		return rc;
	rc = PQntuples(r) ? LMS_OK
	                  : lms_err_set(err, LMS_ENOTFOUND, "not_found", "course",
	                                "course %s: no such course", course_code);
	PQclear(r);
	return rc;
}

static int op_flag_position(lms_store *s, const char *position_code, bool par, lms_err *err)
{
	const char *v[2] = { position_code, par ? "true" : "false" };
	PGresult *r;
	int rc;

	if (!(r = run(s, R_FLAG_POSITION, v, &rc, err)))
		return rc;
	rc = PQntuples(r) ? LMS_OK
	                  : lms_err_set(err, LMS_ENOTFOUND, "not_found", "position",
	                                "position %s: no such job position", position_code);
	PQclear(r);
	return rc;
}

static int op_audit(lms_store *s, const lms_audit *in, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[7];
	PGresult *r;
	int rc;

	v[0] = in->actor;
	v[1] = pgu_num(a, in->user_id);
	v[2] = in->action;
	v[3] = in->params_json ? in->params_json : "{}";
	v[4] = pgu_num(a, in->row_count);
	v[5] = in->client_addr;
	v[6] = in->request_id;
	if ((r = run(s, R_AUDIT, v, &rc, err)))
		PQclear(r);
	lms_arena_free(a);
	return r ? LMS_OK : rc;
}

static int op_assessment_id(lms_store *s, const char *code, int64_t *id, lms_err *err)
{
	const char *v[1] = { code };
	PGresult *r;
	int rc;

	if (!(r = run(s, R_ASSESSMENT, v, &rc, err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return lms_err_set(err, LMS_ENOTFOUND, "not_found", "assessment",
		                   "assessment %s: no such quiz or exam", code);
	}
	*id = pgu_i64(r, 0, 0);
	PQclear(r);
	return LMS_OK;
}

/* Columns of SQL_EXAMS from 10: n, people, passed, pend, ssum, b0 .. b9 (NULL: 0). */
static void fill_exam_counts(const PGresult *r, int i, lms_rep_exam_counts *c)
{
	int b;

	memset(c, 0, sizeof(*c));
	c->attempts = pgu_i64(r, i, 10);
	c->people = pgu_i64(r, i, 11);
	c->passed = pgu_i64(r, i, 12);
	c->pending = pgu_i64(r, i, 13);
	c->score_sum = PQgetisnull(r, i, 14) ? 0 : strtod(PQgetvalue(r, i, 14), NULL);
	for (b = 0; b < LMS_REP_BANDS; b++)
		c->bands[b] = pgu_i64(r, i, 15 + b);
}

static int op_exams(lms_store *s, const lms_rep_query *q, lms_arena *a, lms_rep_exams *out,
                    lms_err *err)
{
	const char *v[9];
	lms_rep_exams x;
	PGresult *r = NULL;
	size_t nu = 0, na = 0;
	int rc, i, n;

	memset(&x, 0, sizeof(x));
	query_params(a, q, v);
	v[7] = pgu_num(a, q->assessment_id);
	v[8] = q->akind == LMS_REP_AK_QUIZ ? "quiz" : q->akind == LMS_REP_AK_EXAM ? "exam" : "";
	if ((rc = begin_read(s, err)) < 0)
		return rc;
	if (!(r = run(s, R_PREDS, v, &rc, err)))
		goto done;
	n = PQntuples(r);
	x.preds = lms_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*x.preds));
	for (i = 0; i < n; i++) {
		lms_rep_pred *p = &x.preds[i];
		p->code = pgu_str(a, r, i, 0);
		p->name = pgu_str(a, r, i, 1);
		p->kind = pgu_str(a, r, i, 2);
		snprintf(p->valid_to, sizeof(p->valid_to), "%s", PQgetvalue(r, i, 3));
		p->successor_code = pgu_str(a, r, i, 4);
	}
	x.n_preds = (size_t)n;
	PQclear(r);
	if (!(r = run(s, R_EXAMS, v, &rc, err)))
		goto done;
	n = PQntuples(r);
	x.rows = lms_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*x.rows));
	x.assessments = lms_arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*x.assessments));
	for (i = 0; i < n; i++) {
		char k = PQgetvalue(r, i, 0)[0];
		lms_rep_exam_line *l;
		if (k == 't') {
			fill_exam_counts(r, i, &x.total);
			continue;
		}
		l = k == 'u' ? &x.rows[nu++] : &x.assessments[na++];
		memset(l, 0, sizeof(*l));
		l->own = pgu_bool(r, i, 1);
		l->code = pgu_str(a, r, i, 2);
		l->name = pgu_str(a, r, i, 3);
		l->kind = pgu_str(a, r, i, 4);
		snprintf(l->valid_from, sizeof(l->valid_from), "%s", PQgetvalue(r, i, 5));
		snprintf(l->valid_to, sizeof(l->valid_to), "%s", PQgetvalue(r, i, 6));
		l->has_children = pgu_bool(r, i, 7);
		l->course_code = PQgetisnull(r, i, 8) ? NULL : pgu_str(a, r, i, 8);
		snprintf(l->published, sizeof(l->published), "%s", PQgetvalue(r, i, 9));
		fill_exam_counts(r, i, &l->c);
	}
	x.n_rows = nu;
	x.n_assessments = na;
	PQclear(r);
	r = NULL;
done:
	PQclear(r);
	if ((rc = end_read(s, rc, err)) == 0)
		*out = x;
	return rc;
}

typedef struct pool_ctx {
	lms_rep_pool_cb cb;
	void *ctx;
} pool_ctx;

static int pool_each(void *ctx, const PGresult *r, int i, lms_err *err)
{
	pool_ctx *pc = ctx;
	lms_rep_pool_row p;

	memset(&p, 0, sizeof(p));
	p.employee_code = cell(r, i, 0);
	p.full_name = cell(r, i, 1);
	p.unit_code = cell(r, i, 2);
	p.unit_name = cell(r, i, 3);
	p.track = cell(r, i, 4);
	p.assessment_code = cell(r, i, 5);
	p.assessment_title = cell(r, i, 6);
	p.rank = pgu_i64(r, i, 7);
	p.score = strtod(PQgetvalue(r, i, 8), NULL);
	p.fraction = strtod(PQgetvalue(r, i, 9), NULL);
	p.status = cell(r, i, 10);
	p.proposed_by = cell(r, i, 11);
	p.proposed_at = cell(r, i, 12);
	p.decided_by = cell(r, i, 13);
	p.decided_at = cell(r, i, 14);
	p.note = cell(r, i, 15);
	return pc->cb(pc->ctx, &p, err);
}

static int op_talent_pool(lms_store *s, const lms_rep_query *q, int limit, int offset,
                          lms_rep_pool_cb cb, void *ctx, int64_t *total, lms_err *err)
{
	lms_arena *a = lms_arena_new();
	const char *v[7];
	pool_ctx pc = { cb, ctx };
	int rc;

	query_params(a, q, v);
	v[3] = q->pool_status == 1   ? "proposed"
	       : q->pool_status == 2 ? "approved"
	       : q->pool_status == 3 ? "rejected"
	                             : "";
	v[4] = limit < 0 ? NULL : pgu_num(a, limit);
	v[5] = pgu_num(a, offset < 0 ? 0 : offset);
	rc = cursor_rows(s, R_POOL, v, pool_each, &pc, total, err);
	if (rc == 0 && *total == 0 && offset > 0)
		rc = count_again(s, R_POOL, v, 4, total, err);
	lms_arena_free(a);
	return rc;
}

const lms_report_ops pgrep_ops = {
	.root = op_root,
	.course_id = op_course_id,
	.completion = op_completion,
	.people = op_people,
	.indicators = op_indicators,
	.indicator_list = op_indicator_list,
	.flag_course = op_flag_course,
	.flag_position = op_flag_position,
	.audit = op_audit,
	.assessment_id = op_assessment_id,
	.exams = op_exams,
	.talent_pool = op_talent_pool,
	.surveys = pgsv_report_list,          /* store_pg_survey.c: the survey tables' SQL */
	.survey_results = pgsv_report_results,
};
