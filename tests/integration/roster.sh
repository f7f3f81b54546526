#!/usr/bin/env bash
# Units, people and their history in PostgreSQL: the unit tree with its validity dates and
# successors, a person's unit and position history, Vietnamese order, and the personal
# identification number kept out of every API answer and every log line.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

pl_start || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -q -A -t -F '|' "host=$PL_DATA/var/pg/run dbname=parlearn user=postgres" -c "$1"; }
cli() { pl_cli "$@" 2>&1; }

cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city --valid-from 1976-07-02 >/dev/null
cli unit create --code Q1 --name "Quận 1" --kind district --parent HCM --valid-from 1976-07-02 --valid-to 2025-06-30 >/dev/null
cli unit create --code Q1-BN --name "Phường Bến Nghé" --kind ward --parent Q1 --valid-to 2025-06-30 >/dev/null
cli unit create --code P-SG --name "Phường Sài Gòn" --kind ward --parent HCM --valid-from 2025-07-01 >/dev/null
out=$(cli unit succeed --code Q1-BN --successor P-SG)
has "a successor link is recorded" "succeeded by P-SG" "$out"
is "the link is stored" "Q1-BN|P-SG" "$(sql "SELECT a.code, b.code FROM unit_successor s JOIN org_unit a ON a.id = s.unit_id JOIN org_unit b ON b.id = s.successor_id")"
is "validity dates are stored" "2025-06-30" "$(sql "SELECT valid_to FROM org_unit WHERE code = 'Q1'")"

out=$(cli unit create --code BAD --name "X" --kind ward --valid-from 2025-07-01 --valid-to 2025-06-30)
has "a unit that ends before it begins is refused" "--valid-to is before --valid-from" "$out"
out=$(cli unit create --code Q1 --name "Quận 1 bis" --kind district)
has "a code in use is refused" "a unit with code Q1 exists already" "$out"
out=$(cli unit create --code X2 --name "X" --kind ward --parent NOPE)
has "an unknown parent is refused" "parent: no unit with code NOPE" "$out"
out=$(cli unit create --code "A B" --name "X" --kind ward)
has "a malformed code is refused" "code: must be 1 to 32 characters" "$out"
out=$(cli unit create --code X3 --name "X" --kind planet)
has "an unknown kind is refused" "--kind must be" "$out"
out=$(cli unit create --code X4 --name "X" --kind ward --valid-from 2025-02-29)
has "an impossible date is refused" "must be a date YYYY-MM-DD" "$out"

# People: the identification number comes from stdin and must be 12 digits.
out=$(printf '079190000111\n' | cli person create --employee-code NV-1 --name "Đỗ Thị Hoa" --unit Q1-BN --position "Công chức" --par-role concurrent --since 2020-01-01)
has "a person is created" "person NV-1 created" "$out"
out=$(printf '07919000011\n' | cli person create --employee-code NV-2 --name "X" --unit Q1-BN)
has "an identification number of 11 digits is refused" "must be exactly 12 digits" "$out"
hasnt "and not echoed" "07919000011" "$out"
out=$(printf '079190000111\n' | cli person create --employee-code NV-3 --name "Y" --unit Q1-BN)
has "a second person with the same identification number is refused" "exists already" "$out"
hasnt "without echoing it" "079190000111" "$out"

# History: the person moves to the new ward on 1 July 2025.
sql "BEGIN; SELECT set_config('parlearn.effective_date', '2025-07-01', true);
     UPDATE person SET unit_id = (SELECT id FROM org_unit WHERE code = 'P-SG'), position = 'Chuyên viên' WHERE employee_code = 'NV-1'; COMMIT;" >/dev/null
hist=$(sql "SELECT u.code, h.position, h.valid_from, coalesce(h.valid_to::text, '') FROM person_history h JOIN org_unit u ON u.id = h.unit_id JOIN person p ON p.id = h.person_id WHERE p.employee_code = 'NV-1' ORDER BY h.valid_from")
is "the unit and position history is kept, dated" "Q1-BN|Công chức|2020-01-01|2025-06-30
P-SG|Chuyên viên|2025-07-01|" "$hist"
sql "UPDATE person SET active = false WHERE employee_code = 'NV-1'" >/dev/null
is "deactivating closes the open period and opens an inactive one" "f" "$(sql "SELECT h.active FROM person_history h JOIN person p ON p.id = h.person_id WHERE p.employee_code = 'NV-1' AND h.valid_to IS NULL")"
is "nothing is deleted" "3" "$(sql "SELECT count(*) FROM person_history h JOIN person p ON p.id = h.person_id WHERE p.employee_code = 'NV-1'")"

# Vietnamese order (ICU vi-VN): A Ă Â B C D Đ E Ê ... O Ô Ơ ... U Ư ...
n=0
for name in "Ưng Hoàng" "Đinh Lễ" "Ánh Dương" "Ân Tình" "Ăn Khế" "Bùi An" "Dương Quá" "Ông Văn" "Ơn Nghĩa" "Uông Bí" "Ê Đê"; do
	n=$((n + 1))
	printf '0791900020%02d\n' "$n" | cli person create --employee-code "S-$n" --name "$name" --unit P-SG >/dev/null
done
order=$(sql "SELECT string_agg(full_name, ',' ORDER BY full_name COLLATE \"vi-VN-x-icu\") FROM person WHERE employee_code LIKE 'S-%'")
is "names sort in Vietnamese order" "Ánh Dương,Ăn Khế,Ân Tình,Bùi An,Dương Quá,Đinh Lễ,Ê Đê,Ông Văn,Ơn Nghĩa,Uông Bí,Ưng Hoàng" "$order"

# The API never shows the identification number, and no log line holds one.
printf 'Mat-khau-dai-123\n' | cli user create --username ad --role admin --password-stdin >/dev/null
curl -s -c "$PL_DATA/cj" -H 'Content-Type: application/json' -d '{"username":"ad","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login" -o /dev/null
people=$(curl -s -b "$PL_DATA/cj" "$PL_URL/api/people?limit=500")
has "the admin sees people" '"employee_code":"NV-1"' "$people"
hasnt "no identification number in the API answer" "0791900" "$people"
# Disabling an account ends its sessions and stops its logins; enabling lets it back in.
out=$(cli user disable --username ad)
has "an account can be disabled" "account ad disabled" "$out"
r=$(curl -s -b "$PL_DATA/cj" "$PL_URL/api/me")
has "its open session ends at once" '"code":"session_expired"' "$r"
r=$(curl -s -H 'Content-Type: application/json' -d '{"username":"ad","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login")
has "a disabled account cannot log in (same answer as a wrong password)" '"code":"invalid_credentials"' "$r"
cli user enable --username ad >/dev/null
r=$(curl -s -c "$PL_DATA/cj" -H 'Content-Type: application/json' -d '{"username":"ad","password":"Mat-khau-dai-123"}' "$PL_URL/api/auth/login")
has "an enabled account logs in again" '"username":"ad"' "$r"
out=$(cli user disable --username nobody)
has "disabling an unknown account says so" "no account named nobody" "$out"

# Odd paths and parameters: a forged log line, a NUL, an over-long unit code.
curl -s -o /dev/null "$PL_URL/healthz%0aFORGED%20LINE"
ok "a newline in the path cannot forge an access-log line" bash -c "! grep -q '^FORGED' '$PL_LOG'"
has "it is logged as sent" 'healthz%0aFORGED%20LINE' "$(cat "$PL_LOG")"
is "a NUL in the path is refused" "400" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj" "$PL_URL/api/me%00")"
long=$(printf 'X%.0s' $(seq 1 60))
r=$(curl -s -b "$PL_DATA/cj" "$PL_URL/api/people?unit=$long")
has "an over-long unit code is refused, not ignored" '"field":"unit"' "$r"

ok "no identification number in the server log" bash -c "! grep -q '0791900' '$PL_LOG'"
ok "no identification number in PostgreSQL's log" bash -c "! grep -q '0791900' '$PL_DATA/var/pg/postgres.log'"
finish
