#!/usr/bin/env bash
# scripts/gen-dataset on a running server: a small generated city (3,000 people, 6 courses,
# 2 years) loads into the embedded cluster while parlearn serves, respects the unit tree's
# reform (every old unit has a successor, people moved on 2025-07-01 have two periods),
# keeps completions and launches consistent, is readable through the API, and a second run
# on the same database is refused and changes nothing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"
gen=$here/../../scripts/gen-dataset

pl_start || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -q -A -t -F '|' "host=$PL_DATA/var/pg/run dbname=parlearn user=postgres" -c "$1"; }

out=$("$gen" --data "$PL_DATA/var" --people 3000 --courses 6 --years 2 --today 2026-11-28 2>&1)
rc=$?
is "the generator succeeds" "0" "$rc"
has "it prints rows per table" "| launch |" "$out"
has "and the elapsed time and database size" "database size" "$out"

is "3,000 people" "3000" "$(sql "SELECT count(*) FROM person")"
is "an account per person" "3000" "$(sql "SELECT count(*) FROM app_user WHERE person_id IS NOT NULL")"
is "every account is a learner" "3000" "$(sql "SELECT count(*) FROM user_role WHERE role = 'learner'")"
ok "HR officers and trainers have a unit" test "$(sql "SELECT count(*) FROM user_role WHERE role IN ('hr_officer', 'trainer')")" -gt 100
is "6 courses" "6" "$(sql "SELECT count(*) FROM course")"
is "168 wards, communes and the special zone of today" "168" \
	"$(sql "SELECT count(*) FROM org_unit WHERE valid_from = '2025-07-01' AND kind IN ('ward', 'commune', 'special_zone')")"
is "of which one special zone, 113 wards, 54 communes" "commune|54 special_zone|1 ward|113" \
	"$(sql "SELECT string_agg(kind || '|' || n, ' ' ORDER BY kind) FROM (SELECT kind, count(*) n FROM org_unit WHERE valid_from = '2025-07-01' GROUP BY kind) x")"
is "the old districts and Thủ Đức city end on 2025-06-30" "22" \
	"$(sql "SELECT count(*) FROM org_unit WHERE kind = 'district' AND valid_to = '2025-06-30'")"
is "Quận 2, Quận 9 and Quận Thủ Đức became Thủ Đức city in 2021" "Q2|TD Q9|TD QTD|TD" \
	"$(sql "SELECT string_agg(a.code || '|' || b.code, ' ' ORDER BY a.code) FROM unit_successor s JOIN org_unit a ON a.id = s.unit_id JOIN org_unit b ON b.id = s.successor_id WHERE a.valid_to = '2020-12-31'")"
is "every unit that ended has a successor" "0" \
	"$(sql "SELECT count(*) FROM org_unit u WHERE valid_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unit_successor s WHERE s.unit_id = u.id)")"
is "every successor of an old ward is valid from the reform" "0" \
	"$(sql "SELECT count(*) FROM unit_successor s JOIN org_unit a ON a.id = s.unit_id JOIN org_unit b ON b.id = s.successor_id WHERE a.valid_to = '2025-06-30' AND b.valid_from <> '2025-07-01'")"
is "every unit code is well formed" "0" "$(sql "SELECT count(*) FROM org_unit WHERE code !~ '^[A-Za-z0-9._-]{1,32}$'")"

moved="SELECT person_id FROM person_history h JOIN org_unit u ON u.id = h.unit_id
       WHERE h.valid_to = '2025-06-30' AND u.valid_to = '2025-06-30'"
ok "people sat in old wards and districts before the reform" test "$(sql "SELECT count(*) FROM ($moved) m")" -gt 1000
is "each of them has a period ending 2025-06-30 then one from 2025-07-01 in a successor" "0" \
	"$(sql "SELECT count(*) FROM ($moved) m WHERE NOT EXISTS (
	        SELECT 1 FROM person_history a JOIN person_history b ON b.person_id = a.person_id
	          JOIN unit_successor s ON s.unit_id = a.unit_id AND s.successor_id = b.unit_id
	         WHERE a.person_id = m.person_id AND a.valid_to = '2025-06-30' AND b.valid_from = '2025-07-01')")"
is "every person has exactly one open period, matching the person row" "0" \
	"$(sql "SELECT count(*) FROM person p WHERE (SELECT count(*) FROM person_history h WHERE h.person_id = p.id AND h.valid_to IS NULL) <> 1
	        OR NOT EXISTS (SELECT 1 FROM person_history h WHERE h.person_id = p.id AND h.valid_to IS NULL AND h.unit_id = p.unit_id AND h.active = p.active)")"
is "no two periods of a person overlap" "0" \
	"$(sql "SELECT count(*) FROM person_history a JOIN person_history b ON a.person_id = b.person_id AND a.id < b.id
	        AND daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')")"
is "nobody is active in a unit outside its validity" "0" \
	"$(sql "SELECT count(*) FROM person_history h JOIN org_unit u ON u.id = h.unit_id
	        WHERE h.active AND (h.valid_from < coalesce(u.valid_from, '-infinity') OR coalesce(h.valid_to, 'infinity') > coalesce(u.valid_to, 'infinity'))")"

ok "enrolments, attempts, launches, completions were made" \
	test "$(sql "SELECT least((SELECT count(*) FROM enrolment), (SELECT count(*) FROM sco_attempt), (SELECT count(*) FROM launch), (SELECT count(*) FROM completion), (SELECT count(*) FROM launch_beat))")" -gt 0
rate=$(sql "SELECT round(100.0 * (SELECT count(*) FROM completion) / (SELECT count(*) FROM enrolment))")
ok "about 60-70 % of enrolments are completed ($rate %)" test "$rate" -ge 55 -a "$rate" -le 75
is "every completion's enrolment belongs to the same user, course and version" "0" \
	"$(sql "SELECT count(*) FROM completion c LEFT JOIN enrolment e ON e.id = c.enrolment_id
	        WHERE e.id IS NULL OR e.user_id <> c.user_id OR e.course_id <> c.course_id OR e.version_id <> c.version_id
	           OR e.completed_at IS DISTINCT FROM c.completed_at")"
is "every completion has at least the minimum time" "0" \
	"$(sql "SELECT count(*) FROM completion c JOIN course_version v ON v.id = c.version_id WHERE c.active_s < v.minimum_time_s")"
is "completion evidence is JSON with its items" "0" \
	"$(sql "SELECT count(*) FROM completion WHERE jsonb_array_length(evidence::jsonb -> 'items') < 1")"
is "completions fall before and after the reform" "2" \
	"$(sql "SELECT count(DISTINCT completed_at >= '2025-07-01') FROM completion")"
is "no launch has more active time than wall time" "0" \
	"$(sql "SELECT count(*) FROM launch WHERE active_us > extract(epoch FROM closed_at - opened_at) * 1000000")"
is "no two launches of a learner overlap" "0" \
	"$(sql "SELECT count(*) FROM launch a JOIN launch b ON a.user_id = b.user_id AND a.id < b.id
	        AND tstzrange(a.opened_at, a.closed_at) && tstzrange(b.opened_at, b.closed_at)")"
is "a sampled launch's heartbeats add up to its active time" "0" \
	"$(sql "SELECT count(*) FROM launch l JOIN (SELECT launch_id, sum(credited_us) s FROM launch_beat GROUP BY 1) b ON b.launch_id = l.id WHERE b.s <> l.active_us")"
is "no activity after the last day" "0" \
	"$(sql "SELECT count(*) FROM launch WHERE closed_at >= '2026-11-29 00:00+07'")"
is "launches belong to the enrolment's learner" "0" \
	"$(sql "SELECT count(*) FROM launch l JOIN sco_attempt a ON a.id = l.attempt_id JOIN enrolment e ON e.id = a.enrolment_id WHERE e.user_id <> l.user_id")"

# A generated learner through the API: the placeholder hash never verifies; with a password
# set by the CLI, the learner sees their enrolments.
u=$(sql "SELECT u.username FROM app_user u JOIN enrolment e ON e.user_id = u.id GROUP BY u.username ORDER BY u.username LIMIT 1")
n=$(sql "SELECT count(*) FROM enrolment e JOIN app_user u ON u.id = e.user_id WHERE u.username = '$u'")
r=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"$u\",\"password\":\"anything-at-all\"}" "$PL_URL/api/auth/login")
has "a generated account cannot log in (placeholder password hash)" '"code":"invalid_credentials"' "$r"
printf 'Mat-khau-dai-123\n' | pl_cli user passwd --username "$u" --password-stdin >/dev/null 2>&1
curl -s -c "$PL_DATA/cj" -H 'Content-Type: application/json' -d "{\"username\":\"$u\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" -o /dev/null
r=$(curl -s -b "$PL_DATA/cj" "$PL_URL/api/my/courses")
is "with a password set, the learner sees their $n enrolments" "$n" \
	"$(printf '%s' "$r" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["enrolments"]))' 2>/dev/null)"

before=$(sql "SELECT (SELECT count(*) FROM person) || '/' || (SELECT count(*) FROM org_unit) || '/' || (SELECT count(*) FROM enrolment)")
out=$("$gen" --data "$PL_DATA/var" --people 10 --courses 1 --years 1 2>&1)
rc=$?
is "a second run is refused (exit 2)" "2" "$rc"
has "with a clear message" "the database already has 3000 people" "$out"
is "and changes nothing" "$before" \
	"$(sql "SELECT (SELECT count(*) FROM person) || '/' || (SELECT count(*) FROM org_unit) || '/' || (SELECT count(*) FROM enrolment)")"
out=$("$gen" --data "$PL_DATA/var" --people 10 --append 2>&1)
has "--append is refused too" "--append is not supported" "$out"
out=$("$gen" --data "$PL_DATA/var" --people abc 2>&1)
has "a bad size is refused" "--people must be a positive integer" "$out"

ok "the server kept running" kill -0 "$PL_PID"
is "and answers" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/readyz")"
finish
