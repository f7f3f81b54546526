#!/usr/bin/env bash
# HR reports on a small generated city (scripts/gen-dataset: 3,000 people, 6 courses, 2
# years, seed 7): the completion report and the indicators of Decision 2709, as
# `parlearn report … --format json` gives them, against counts written here independently,
# straight from enrolment, completion, app_user, person_history and course_version (not from
# report_enrolment, which the reports read): the whole city for a quarter after the reform,
# Quận 1 for a quarter before it, a ward of today for a quarter before it existed (its
# predecessors reached person by person), and the 40-period target over a year. Then the
# report rows follow a move made after the load (the triggers), and a file is audit-logged.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
gen=$here/../../scripts/gen-dataset

pl_start || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -q -A -t -F '|' "host=$PL_DATA/var/pg/run dbname=parlearn user=postgres" -c "$1"; }
rep() { pl_cli report "$@" --format json; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {"d": d}))' "$1"; }

out=$("$gen" --data "$PL_DATA/var" --people 3000 --courses 6 --years 2 --seed 7 --today 2026-11-28 2>&1)
is "the generated city loads (with the report triggers in place)" "0" "$?"
is "every enrolment has its report row" "$(sql "SELECT count(*) FROM enrolment")" "$(sql "SELECT count(*) FROM report_enrolment")"

# A fact's unit: the person's roster record on the fact's day in the city (UTC+7).
d() { echo "(($1) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"; }
at() { echo "h.person_id = u.person_id AND h.valid_from <= $1 AND (h.valid_to IS NULL OR h.valid_to >= $1)"; }
F=2026-07-01 T=2026-09-30

# --- the city, 2026-Q3 ------------------------------------------------------------------
city=$(rep completion --unit HCM --period 2026-Q3)
tot() { echo "$city" | field "d['total']['$1']"; }
is "city: people on the roster on 30 September" \
	"$(sql "SELECT count(*) FROM person_history h WHERE h.valid_from <= '$T' AND (h.valid_to IS NULL OR h.valid_to >= '$T') AND h.active")" "$(tot people)"
is "city: enrolments made in the quarter, of people on the roster that day" \
	"$(sql "SELECT count(*) FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN person_history h ON $(at "$(d e.enrolled_at)")
	        WHERE $(d e.enrolled_at) BETWEEN '$F' AND '$T'")" "$(tot enrolled)"
is "city: of those, completed by 30 September" \
	"$(sql "SELECT count(*) FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN person_history h ON $(at "$(d e.enrolled_at)")
	        JOIN completion c ON c.enrolment_id = e.id WHERE $(d e.enrolled_at) BETWEEN '$F' AND '$T' AND $(d c.completed_at) <= '$T'")" "$(tot enrolled_completed)"
is "city: completions in the quarter, not failed" \
	"$(sql "SELECT count(*) FROM completion c JOIN app_user u ON u.id = c.user_id JOIN person_history h ON $(at "$(d c.completed_at)")
	        WHERE $(d c.completed_at) BETWEEN '$F' AND '$T' AND c.passed IS NOT FALSE")" "$(tot completed)"
is "city: server-measured seconds of those completions" \
	"$(sql "SELECT sum(c.active_s) FROM completion c JOIN app_user u ON u.id = c.user_id JOIN person_history h ON $(at "$(d c.completed_at)")
	        WHERE $(d c.completed_at) BETWEEN '$F' AND '$T'")" "$(tot active_s)"
is "city: assignments overdue on 30 September, of the people on the roster then" \
	"$(sql "SELECT count(*) FROM enrolment e JOIN app_user u ON u.id = e.user_id JOIN person_history h ON $(at "'$T'::date") AND h.active
	        LEFT JOIN completion c ON c.enrolment_id = e.id
	        WHERE e.source = 'assigned' AND e.due_at <= '$T' AND $(d e.enrolled_at) <= '$T'
	          AND (c.id IS NULL OR $(d c.completed_at) > '$T')")" "$(tot overdue)"
is "city: training periods credited from 1 January to 30 September" \
	"$(sql "SELECT sum(v.training_periods) FROM completion c JOIN course_version v ON v.id = c.version_id JOIN app_user u ON u.id = c.user_id
	        JOIN person_history h ON $(at "$(d c.completed_at)")
	        WHERE $(d c.completed_at) BETWEEN '2026-01-01' AND '$T' AND c.passed IS NOT FALSE")" "$(tot periods)"
ytd() {
	echo "SELECT u.person_id, sum(v.training_periods) p FROM completion c JOIN course_version v ON v.id = c.version_id
	      JOIN app_user u ON u.id = c.user_id WHERE $(d c.completed_at) BETWEEN '$1' AND '$2' AND c.passed IS NOT FALSE GROUP BY 1"
}
is "city: people at 40 periods or more (2026 by 30 September)" \
	"$(sql "SELECT count(*) FROM ($(ytd 2026-01-01 $T)) y JOIN person_history h ON h.person_id = y.person_id
	        AND h.valid_from <= '$T' AND (h.valid_to IS NULL OR h.valid_to >= '$T') AND h.active WHERE y.p >= 40")" "$(tot at_target)"
is "city: a line per department and ward of today (children valid in the quarter)" \
	"$(sql "SELECT count(*) FROM org_unit WHERE parent_id = (SELECT id FROM org_unit WHERE code = 'HCM')
	        AND (valid_from IS NULL OR valid_from <= '$T') AND (valid_to IS NULL OR valid_to >= '$F')")" \
	"$(echo "$city" | field "len(d['rows'])")"
is "city: the lines add up to the total" "$(tot completed)" "$(echo "$city" | field "sum(r['completed'] for r in d['rows'])")"
is "city: no predecessor after the reform" "0" "$(echo "$city" | field "len(d['predecessors'])")"
is "city: the months of the series add up" "$(tot completed)" "$(echo "$city" | field "sum(m['completed'] for m in d['series']['months'])")"

# the 40-period target, a whole year (more people reach it)
y=$(rep completion --unit HCM --period 2025)
is "city 2025: people at 40 periods or more on 31 December" \
	"$(sql "SELECT count(*) FROM ($(ytd 2025-01-01 2025-12-31)) y JOIN person_history h ON h.person_id = y.person_id
	        AND h.valid_from <= '2025-12-31' AND (h.valid_to IS NULL OR h.valid_to >= '2025-12-31') AND h.active WHERE y.p >= 40")" \
	"$(echo "$y" | field "d['total']['at_target']")"

# --- the indicators, the city, 2026-Q3 ----------------------------------------------------
ind=$(rep indicators --unit HCM --period 2026-Q3)
nd() { echo "$ind" | field "[(i['numerator'], i['denominator']) for i in d['indicators'] if i['id'] == '$1'][0]"; }
endh="h.valid_from <= '$T' AND (h.valid_to IS NULL OR h.valid_to >= '$T') AND h.active"
is "leaders trained in PAR in the quarter / leaders on 30 September" \
	"($(sql "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM completion c JOIN app_user u ON u.id = c.user_id
	          JOIN course_version v ON v.id = c.version_id WHERE u.person_id = h.person_id AND c.passed IS NOT FALSE
	          AND coalesce(v.par_area, '') <> '' AND $(d c.completed_at) BETWEEN '$F' AND '$T'))
	        || ', ' || count(*) FROM person_history h WHERE $endh AND h.is_leader"))" "$(nd leaders_trained)"
is "PAR staff with every assigned course due completed / PAR staff" \
	"($(sql "SELECT count(*) FILTER (WHERE n > 0 AND unmet = 0) || ', ' || count(*) FROM (
	        SELECT h.person_id, count(e.id) n, count(e.id) FILTER (WHERE (c.id IS NULL OR $(d c.completed_at) > '$T' OR c.passed IS FALSE)
	                AND (e.due_at IS NULL OR e.due_at <= '$T')) unmet
	          FROM person_history h LEFT JOIN app_user u ON u.person_id = h.person_id
	          LEFT JOIN enrolment e ON e.user_id = u.id AND e.source = 'assigned' AND $(d e.enrolled_at) <= '$T'
	          LEFT JOIN completion c ON c.enrolment_id = e.id
	         WHERE $endh AND h.par_role <> 'none' GROUP BY h.person_id) x"))" "$(nd par_required_done)"
is "PAR staff with an enrolment by 30 September / PAR staff" \
	"($(sql "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM enrolment e JOIN app_user u ON u.id = e.user_id
	          WHERE u.person_id = h.person_id AND $(d e.enrolled_at) <= '$T')) || ', ' || count(*)
	        FROM person_history h WHERE $endh AND h.par_role <> 'none'"))" "$(nd par_access)"
is "units with a PAR position: no position flagged yet / the 20 departments and 168 units of today" \
	"(0, 188)" "$(nd units_par_position)"
is "the leadership pool: PAR staff on 30 September with an approved leader-track entry decided by then" \
	"($(sql "SELECT count(DISTINCT h.person_id) FROM person_history h JOIN talent_pool tp ON tp.person_id = h.person_id
	        WHERE h.valid_from <= '$T' AND (h.valid_to IS NULL OR h.valid_to >= '$T') AND h.active AND h.par_role <> 'none'
	          AND tp.track = 'leader' AND tp.status = 'approved' AND $(d tp.decided_at) <= '$T'"), None)" "$(nd leadership_pool)"
ok "the leadership pool has some (the check is not vacuous)" test "$(echo "$ind" | field "[i['numerator'] for i in d['indicators'] if i['id'] == 'leadership_pool'][0]")" -gt 0

# --- quiz and exam results, 2026-Q3: the city, and Quận 1 before the reform ----------------
# counted: submitted in the period, final (graded, no essay waiting), an exam only once published
cnt="FROM attempt t JOIN assessment a ON a.id = t.assessment_id WHERE t.person_id IS NOT NULL
     AND (a.kind = 'quiz' OR a.results_published_at IS NOT NULL)"
ex=$(rep exams --unit HCM --period 2026-Q3)
is "city: attempts counted in 2026-Q3" \
	"$(sql "SELECT count(*) $cnt AND $(d t.submitted_at) BETWEEN '$F' AND '$T' AND NOT t.needs_manual AND t.graded_at IS NOT NULL")" \
	"$(echo "$ex" | field "d['total']['attempts']")"
is "city: essays waiting, shown apart" \
	"$(sql "SELECT count(*) $cnt AND $(d t.submitted_at) BETWEEN '$F' AND '$T' AND t.needs_manual")" \
	"$(echo "$ex" | field "d['total']['pending_essays']")"
is "city: the average score" \
	"$(sql "SELECT round(avg(t.fraction::numeric) * 100, 1) $cnt AND $(d t.submitted_at) BETWEEN '$F' AND '$T' AND NOT t.needs_manual AND t.graded_at IS NOT NULL")" \
	"$(echo "$ex" | field "'%.1f' % d['total']['average_score']")"
is "city: the ten bands add up to the attempts" "$(echo "$ex" | field "d['total']['attempts']")" "$(echo "$ex" | field "sum(d['total']['bands'])")"
is "city: the lines add up to the total" "$(echo "$ex" | field "d['total']['attempts']")" "$(echo "$ex" | field "sum(r['attempts'] for r in d['rows'])")"
ok "city: some attempts (the check is not vacuous)" test "$(echo "$ex" | field "d['total']['attempts']")" -gt 0
eq1=$(rep exams --unit Q1 --period 2025-Q2)
is "Quận 1: attempts of 2025-Q2 under its wards at the start" \
	"$(sql "WITH RECURSIVE s AS (SELECT id FROM org_unit WHERE code = 'Q1' UNION SELECT o.id FROM org_unit o JOIN s ON o.parent_id = s.id)
	        SELECT count(*) $cnt AND $(d t.submitted_at) BETWEEN '2025-04-01' AND '2025-06-30' AND NOT t.needs_manual
	          AND t.graded_at IS NOT NULL AND t.unit_id IN (SELECT id FROM s)")" "$(echo "$eq1" | field "d['total']['attempts']")"

# --- Quận 1, 2025-Q2 (before the reform) ----------------------------------------------------
q1=$(rep completion --unit Q1 --period 2025-Q2)
sub="WITH RECURSIVE s AS (SELECT id FROM org_unit WHERE code = 'Q1' UNION SELECT o.id FROM org_unit o JOIN s ON o.parent_id = s.id)"
is "Quận 1: completions in 2025-Q2 under its wards on their day" \
	"$(sql "$sub SELECT count(*) FROM completion c JOIN app_user u ON u.id = c.user_id JOIN person_history h ON $(at "$(d c.completed_at)")
	        WHERE $(d c.completed_at) BETWEEN '2025-04-01' AND '2025-06-30' AND c.passed IS NOT FALSE AND h.unit_id IN (SELECT id FROM s)")" \
	"$(echo "$q1" | field "d['total']['completed']")"
is "Quận 1: people on 30 June 2025" \
	"$(sql "$sub SELECT count(*) FROM person_history h WHERE h.valid_from <= '2025-06-30' AND (h.valid_to IS NULL OR h.valid_to >= '2025-06-30')
	        AND h.active AND h.unit_id IN (SELECT id FROM s)")" "$(echo "$q1" | field "d['total']['people']")"

# --- a ward of today, 2025-Q2: its predecessors, person by person ---------------------------
w=$(sql "SELECT b.code FROM unit_successor s JOIN org_unit a ON a.id = s.unit_id JOIN org_unit b ON b.id = s.successor_id
         JOIN org_unit d ON d.id = a.parent_id WHERE d.code = 'Q1' ORDER BY b.code LIMIT 1")
wr=$(rep completion --unit "$w" --period 2025-Q2)
preds="WITH RECURSIVE p AS (SELECT s.unit_id AS id FROM unit_successor s JOIN org_unit b ON b.id = s.successor_id WHERE b.code = '$w'
       UNION SELECT s.unit_id FROM unit_successor s JOIN p ON s.successor_id = p.id)"
is "$w: its predecessors are named" "$(sql "$preds SELECT count(*) FROM p")" "$(echo "$wr" | field "len(d['predecessors'])")"
is "$w: 2025-Q2 completions of the people of its predecessors who were in $w on 1 July 2025" \
	"$(sql "$preds SELECT count(*) FROM completion c JOIN app_user u ON u.id = c.user_id JOIN person_history h ON $(at "$(d c.completed_at)")
	        JOIN person_history h2 ON h2.person_id = u.person_id AND h2.valid_from <= '2025-07-01' AND (h2.valid_to IS NULL OR h2.valid_to >= '2025-07-01')
	        WHERE $(d c.completed_at) BETWEEN '2025-04-01' AND '2025-06-30' AND c.passed IS NOT FALSE
	          AND h.unit_id IN (SELECT id FROM p) AND h2.unit_id = (SELECT id FROM org_unit WHERE code = '$w')")" \
	"$(echo "$wr" | field "d['total']['completed']")"
ok "$w: it has some (the check is not vacuous)" test "$(echo "$wr" | field "d['total']['completed']")" -gt 0

# --- the rows follow the roster: a move made now, effective 1 August 2026 -------------------
mover=$(sql "SELECT p.employee_code || '|' || (SELECT code FROM org_unit WHERE id = h.unit_id) FROM completion c JOIN app_user u ON u.id = c.user_id
             JOIN person p ON p.id = u.person_id JOIN person_history h ON h.person_id = p.id AND h.valid_to IS NULL
            WHERE $(d c.completed_at) BETWEEN '2026-08-10' AND '$T' AND c.passed IS NOT FALSE
              AND h.valid_from <= '2026-01-01' ORDER BY c.id LIMIT 1")
code=${mover%%|*} from=${mover#*|}
to=$(sql "SELECT code FROM org_unit WHERE kind = 'department' AND code <> '$from' ORDER BY code LIMIT 1")
before=$(rep completion --unit "$to" --period 2026-Q3 | field "d['total']['completed']")
sql "BEGIN; SET LOCAL parlearn.effective_date = '2026-08-01';
     UPDATE person SET unit_id = (SELECT id FROM org_unit WHERE code = '$to') WHERE employee_code = '$code'; COMMIT;" >/dev/null
after=$(rep completion --unit "$to" --period 2026-Q3 | field "d['total']['completed']")
ok "a person moved from $from to $to on 1 August brings their later completions with them" test "$after" -gt "$before"

# --- a file is logged ----------------------------------------------------------------------
pl_cli report indicators --unit HCM --period 2026-Q3 --format csv --out "$PL_DATA/ind.csv" >/dev/null 2>&1
is "the CSV has its header and six indicators" "7" "$(grep -c $'\r$' "$PL_DATA/ind.csv")"
has "the export is in the audit log, with its rows" "report.indicators.csv|6|HCM" \
	"$(sql "SELECT action || '|' || row_count || '|' || (params->>'unit') FROM audit_log ORDER BY id DESC LIMIT 1")"

finish
