#!/usr/bin/env bash
# Certificates (docs/certificates.md): a learner who completes a course gets a certificate with
# a serial and a signed verification code; its PDF is theirs (and their HR officer's, not a
# neighbour's); anyone can verify the code at /verify/<code>, where an altered code is not
# genuine; a revocation shows there and stops the PDF; issuing and revoking each send their
# event to the personnel system, valid against the contract's schema; a failed course gets none.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/../lib/server.sh"
source "$here/../lib/check.sh"

export PARLEARN_CERT_ISSUER=SNV
pl_start --public-url https://parlearn.example.vn >/dev/null || exit 1
trap 'pl_stop >/dev/null 2>&1' EXIT
sql() { psql -X -At -h "$PL_DATA/var/pg/run" -U postgres -d parlearn -c "$1"; }
pl_cli unit create --code HCM --name "Thành phố Hồ Chí Minh" --kind city >/dev/null
pl_cli unit create --code SNV --name "Sở Nội vụ" --kind department --parent HCM >/dev/null
pl_cli unit create --code Q1 --name "Ủy ban nhân dân phường Sài Gòn" --kind ward --parent HCM >/dev/null
pl_cli unit create --code Q3 --name "Ủy ban nhân dân phường Bàn Cờ" --kind ward --parent HCM >/dev/null
(cd "$src/content/courses/5s-scorm12" && zip -qr "$PL_DATA/5s.zip" .)
pl_cli package import "$PL_DATA/5s.zip" --course 5s-scorm12 >/dev/null 2>&1
login() { # login USER -> cookie jar path; exports CSRF_<user>
	curl -s -c "$PL_DATA/cj.$1" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"Mat-khau-dai-123\"}" "$PL_URL/api/auth/login" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["csrf_token"])' >"$PL_DATA/csrf.$1"
}
complete() { # complete USER STATUS
	local csrf t
	login "$1"
	csrf=$(cat "$PL_DATA/csrf.$1")
	t=$(curl -s -b "$PL_DATA/cj.$1" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d '{"course":"5s-scorm12","nav":"start"}' "$PL_URL/api/launch" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["launch_token"])')
	curl -s -o /dev/null -H 'Content-Type: text/plain' -d "{\"t\":\"$t\"}" "$PL_URL/api/rt/init"
	curl -s -o /dev/null -H 'Content-Type: text/plain' \
		-d "{\"t\":\"$t\",\"finish\":true,\"batches\":[{\"seq\":1,\"changes\":[[\"cmi.core.lesson_status\",\"$2\"],[\"cmi.core.score.raw\",\"85\"]]}]}" \
		"$PL_URL/api/rt/commit"
}
get() { curl -s -b "$PL_DATA/cj.$1" "$PL_URL$2"; }
printf '099000000201\n' | pl_cli person create --employee-code NV-201 --unit Q1 --name "Nguyễn Thị Ánh Tuyết" >/dev/null
printf '099000000202\n' | pl_cli person create --employee-code NV-202 --unit Q1 --name "Đặng Văn Hưởng" >/dev/null
for u in 1 2; do
	printf 'Mat-khau-dai-123\n' | pl_cli user create --username "hv$u" --role learner --person "NV-20$u" --password-stdin >/dev/null
done
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hrq1 --role hr_officer --scope Q1 --password-stdin >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hrq3 --role hr_officer --scope Q3 --password-stdin >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username admin1 --role admin --password-stdin >/dev/null

complete hv1 passed
complete hv2 failed
year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
r=$(get hv1 /api/my/certificates)
serial=$(printf '%s' "$r" | python3 -c 'import json,sys;c=json.load(sys.stdin)["certificates"];print(c[0]["serial"] if c else "")')
code=$(printf '%s' "$r" | python3 -c 'import json,sys;c=json.load(sys.stdin)["certificates"];print(c[0]["code"] if c else "")')
is "the learner who passed has a certificate, numbered from 1 in the year" "PAR-$year-000001" "$serial"
has "the verification link is on parlearn's public address" "\"verify_url\":\"https://parlearn.example.vn/verify/$code\"" "$r"
is "the learner who failed has none" '{"certificates":[]}' "$(get hv2 /api/my/certificates)"
is "issued by the configured unit" "SNV" "$(sql "SELECT u.code FROM certificate c JOIN org_unit u ON u.id = c.issuing_unit_id")"

# The PDF.
curl -s -b "$PL_DATA/cj.hv1" -o "$PL_DATA/c.pdf" -D "$PL_DATA/c.h" "$PL_URL/api/certificate.pdf?serial=$serial"
has "the PDF comes as an attachment named by its serial" "filename=\"chung-nhan-$serial.pdf\"" "$(cat "$PL_DATA/c.h")"
text=$(pdftotext "$PL_DATA/c.pdf" - 2>/dev/null)
has "it names the learner, with every diacritic" "Nguyễn Thị Ánh Tuyết" "$text"
has "and carries the verification code (a wrapped line may drop a dash)" "$(printf '%s' "$code" | tr -d -)" "$(printf '%s' "$text" | tr -d '\n -')"
has "and the serial" "$serial" "$text"
login hrq1; login hrq3; login admin1
is "the learner's HR officer may download it" "200" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.hrq1" "$PL_URL/api/certificate.pdf?serial=$serial")"
is "a neighbouring ward's HR officer may not (404, not even its existence)" "404" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.hrq3" "$PL_URL/api/certificate.pdf?serial=$serial")"
is "another learner may not" "404" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.hv2" "$PL_URL/api/certificate.pdf?serial=$serial")"
is "without a session: 401" "401" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/api/certificate.pdf?serial=$serial")"

# Public verification.
page=$(curl -s "$PL_URL/verify/$code")
has "the verification page says it is genuine" "Giấy chứng nhận hợp lệ" "$page"
has "with the learner's name" "Nguyễn Thị Ánh Tuyết" "$page"
hasnt "but not their employee code" "NV-201" "$page"
lower=$(printf '%s' "$code" | tr 'A-Z' 'a-z')
has "a code typed in lower case still verifies" "Giấy chứng nhận hợp lệ" "$(curl -s "$PL_URL/verify/$lower")"
last=${code: -1}; swap=$([ "$last" = A ] && echo B || echo A)
forged="${code%?}$swap"
is "an altered code is not genuine: 404" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/verify/$forged")"
has "and says so" "Không có giấy chứng nhận nào mang mã xác minh này" "$(curl -s "$PL_URL/verify/$forged")"
is "a code that is not one: 400" "400" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/verify/%3Cscript%3E")"
hasnt "and the page does not echo markup" "<script>" "$(curl -s "$PL_URL/verify/%3Cscript%3E")"
has "the JSON verification answers too" '"genuine":true' "$(curl -s "$PL_URL/api/verify?code=$code")"

# Events to the personnel system, valid against the contract.
sql "SELECT payload FROM sync_outbox WHERE kind = 'certificate_issued'" >"$PL_DATA/issued.json"
ok "the certificate_issued event follows training-record.schema.json" \
	python3 "$src/tests/package/json_schema_check.py" "$src/schemas/personnel/training-record.schema.json" "$PL_DATA/issued.json"
has "it carries the serial and the evidence link" "\"certificate_serial\" : \"$serial\"" "$(cat "$PL_DATA/issued.json")"

# Revocation.
csrf=$(cat "$PL_DATA/csrf.admin1")
rv() { curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.$1" -H "X-CSRF-Token: $(cat "$PL_DATA/csrf.$1")" \
	-H 'Content-Type: application/json' -d "{\"serial\":\"$serial\",\"reason\":\"Cấp nhầm: ghi nhận hai lần.\"}" \
	"$PL_URL/api/certificates/revoke"; }
is "an HR officer cannot revoke" "403" "$(rv hrq1)"
is "an admin revokes" "204" "$(rv admin1)"
is "not twice" "409" "$(rv admin1)"
page=$(curl -s "$PL_URL/verify/$code")
has "the verification page shows the revocation" "ĐÃ BỊ THU HỒI" "$page"
has "and its reason" "Cấp nhầm: ghi nhận hai lần." "$page"
is "the PDF of a revoked certificate is gone: 410" "410" "$(curl -s -o /dev/null -w '%{http_code}' -b "$PL_DATA/cj.hv1" "$PL_URL/api/certificate.pdf?serial=$serial")"
sql "SELECT payload FROM sync_outbox WHERE kind = 'certificate_revoked'" >"$PL_DATA/revoked.json"
ok "the certificate_revoked event follows the schema" \
	python3 "$src/tests/package/json_schema_check.py" "$src/schemas/personnel/training-record.schema.json" "$PL_DATA/revoked.json"
has "and names the event it revokes" "\"revokes_event_id\" : \"crt_" "$(cat "$PL_DATA/revoked.json")"
out=$(sql "UPDATE certificate SET title = 'x'" 2>&1)
has "a certificate cannot be edited in the database either" "a certificate changes only by being revoked" "$out"

# A completion whose certificate was not issued yet (a crash) is caught up by the CLI pass.
sql "INSERT INTO completion (enrolment_id, user_id, course_id, version_id, completed_at, passed, score_scaled, active_s, reported_s, evidence)
     SELECT e.id, e.user_id, e.course_id, e.version_id, now(), true, 0.9, 600, 600, '{}' FROM enrolment e
     JOIN app_user u ON u.id = e.user_id WHERE u.username = 'hv2'" >/dev/null
has "the issuing pass issues what is missing" "1 certificate(s) issued" "$(pl_cli certificate issue 2>&1)"
is "numbered next, without a gap" "PAR-$year-000002" "$(sql "SELECT serial FROM certificate ORDER BY id DESC LIMIT 1")"

# Key rotation (docs/certificates.md "Keys and rotation"): a new key signs from then on, the
# old one keeps verifying what it signed until it is retired; an id is never made twice.
code2=$(sql "SELECT code FROM certificate WHERE serial = 'PAR-$year-000002'")
vfy() { curl -s "$PL_URL/api/verify?code=$1" | python3 -c 'import json,sys;print(json.load(sys.stdin).get("genuine", False))' 2>/dev/null || echo none; }
has "key 1 is the current key and has signed both certificates" "$(printf '1\t')" "$(pl_cli certificate key list | grep -P '^1\t.*\tcurrent\t2$')"
has "the current key cannot be retired" "make a new key first" "$(pl_cli certificate key retire --id 1 2>&1 || true)"
has "rotation makes key 2" "certificate key 2 made" "$(pl_cli certificate key rotate 2>&1)"
printf '099000000203\n' | pl_cli person create --employee-code NV-203 --unit Q1 --name "Lê Thị Thu Ba" >/dev/null
printf 'Mat-khau-dai-123\n' | pl_cli user create --username hv3 --role learner --person NV-203 --password-stdin >/dev/null
complete hv3 passed
code3=$(get hv3 /api/my/certificates | python3 -c 'import json,sys;c=json.load(sys.stdin)["certificates"];print(c[0]["code"] if c else "")')
is "a certificate issued after the rotation is signed with key 2" "2" "$(sql "SELECT key_id FROM certificate WHERE code = '$code3'")"
is "it verifies" "True" "$(vfy "$code3")"
is "the one signed with key 1 still verifies" "True" "$(vfy "$code2")"
has "retiring key 1" "certificate key 1 retired" "$(pl_cli certificate key retire --id 1 2>&1)"
is "what key 1 signed no longer verifies" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/verify/$code2")"
is "what key 2 signed still does" "True" "$(vfy "$code3")"
is "the retired key's bytes are gone from the database" "0" "$(sql "SELECT length(value) FROM app_secret WHERE name = 'cert_key_1'")"
has "not twice" "retired already" "$(pl_cli certificate key retire --id 1 2>&1 || true)"
has "an unknown key is named" "no certificate key 9" "$(pl_cli certificate key retire --id 9 2>&1 || true)"
has "a key id that is not one is refused" "a key id from 1 to 1023" "$(pl_cli certificate key retire --id x 2>&1 || true)"
has "the next rotation makes key 3: a retired id is never reused" "certificate key 3 made" "$(pl_cli certificate key rotate 2>&1)"
out=$(pl_cli certificate key list)
has "the list: 1 retired" "retired" "$(printf '%s\n' "$out" | grep -P '^1\t')"
has "the list: 2 verifies only" "verifies only" "$(printf '%s\n' "$out" | grep -P '^2\t')"
has "the list: 3 current" "current" "$(printf '%s\n' "$out" | grep -P '^3\t')"

# Rate limit of the public page.
n429=0
for i in $(seq 1 35); do
	c=$(curl -s -o /dev/null -w '%{http_code}' "$PL_URL/api/verify?code=$code")
	[ "$c" = 429 ] && n429=$((n429 + 1))
done
ok "verification is rate-limited per address (429 after 30 a minute)" test "$n429" -ge 1

finish
