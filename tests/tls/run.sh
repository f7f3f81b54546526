#!/usr/bin/env bash
# tests/tls/run.sh — TLS termination end to end: curl → nginx (TLS) → parlearn (plain HTTP).
#
# Proves the shipped server/nginx/parlearn.conf, not a copy of it: the nginx config used here
# is generated from that file by sed, rewriting only ports, certificate paths, log paths and
# the upstream port; every other directive (proxy_bind 127.0.0.2, X-Forwarded-*, TLS
# settings, HSTS, the redirect) is exercised as shipped.
#
# Needs: PARLEARN_BIN (the parlearn executable), nginx, openssl, curl, python3.
# Runs as root or not; listens on 127.0.0.1 only. Stops what it started, by PID.
# Prints `N passed, M failed` last; exits non-zero on any failure.
#
# PL_KEEP=1 keeps the temporary folders for inspection.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/lib/server.sh
source "$here/../lib/server.sh"

SHIPPED_CONF=$repo/server/nginx/parlearn.conf
USER_NAME=tls_user
USER_PASS='S3cure-pass!word'
LOGIN_BODY="{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASS\"}"

pass=0
fail=0
summary_done=
NGINX_PID=
T=

ok() { pass=$((pass + 1)); echo "ok   - $1"; }
not_ok() {
	fail=$((fail + 1))
	echo "FAIL - $1"
	[ $# -lt 2 ] || printf '       %s\n' "${@:2}"
}

summary() {
	summary_done=1
	echo "$pass passed, $fail failed"
}

stop_nginx() {
	[ -n "$NGINX_PID" ] || return 0
	if kill -0 "$NGINX_PID" 2>/dev/null; then
		kill -QUIT "$NGINX_PID" 2>/dev/null || true # graceful: workers finish, then exit
		local i
		for i in $(seq 1 100); do
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$NGINX_PID" 2>/dev/null; then
			echo "nginx $NGINX_PID did not stop within 10 s; killing it" >&2
			kill -KILL "$NGINX_PID" 2>/dev/null || true
		fi
	fi
	wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=
}

cleanup() {
	local rc=$?
	set +e
	trap - EXIT
	if [ "$fail" -gt 0 ] || [ "$rc" -ne 0 ]; then
		if [ -n "$T" ] && [ -s "$T/error.log" ]; then
			echo "--- nginx error.log (tail) ---" >&2
			tail -n 20 "$T/error.log" >&2
		fi
		if [ -n "${PL_LOG:-}" ] && [ -s "$PL_LOG" ]; then
			echo "--- parlearn log (tail) ---" >&2
			tail -n 20 "$PL_LOG" >&2
		fi
	fi
	stop_nginx
	if [ -n "${PL_DATA:-}" ]; then
		pl_stop || { not_ok "pl_stop: server and its postgres stopped cleanly"; rc=1; }
	fi
	if [ -n "$T" ]; then
		if [ -n "${PL_KEEP:-}" ]; then echo "keeping $T" >&2; else rm -rf "$T"; fi
	fi
	if [ -z "$summary_done" ]; then
		# Reached only when setup failed before the checks finished.
		[ "$rc" -eq 0 ] || not_ok "setup (see the messages above)"
		summary
	fi
	[ "$fail" -eq 0 ] || rc=1
	exit "$rc"
}
trap cleanup EXIT

# http_req OUT_PREFIX CURL_ARGS... — one request; writes OUT_PREFIX.headers and
# OUT_PREFIX.body, prints the status code ("000" when no HTTP answer came back).
http_req() {
	local out=$1
	shift
	curl -sS --max-time 10 -o "$out.body" -D "$out.headers" -w '%{http_code}' "$@" 2>"$out.err" || true
}

# header VALUE_OF NAME FILE — value of the first header NAME (case-insensitive), no CR.
header() {
	{ grep -i "^$1:" "$2" || true; } | head -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'
}

# session_cookie FILE — the parlearn_session Set-Cookie line's value part "name=value".
session_cookie() {
	header 'Set-Cookie' "$1" | grep -o '^parlearn_session=[^;]*' || true
}

# cookie_has ATTR FILE — the parlearn_session Set-Cookie line carries attribute ATTR.
cookie_has() {
	grep -i '^Set-Cookie: *parlearn_session=' "$2" | tr -d '\r' | tr ';' '\n' |
		sed 's/^ *//' | grep -qix -- "$1\(=.*\)\?"
}

command -v nginx >/dev/null || { echo "nginx is not installed" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-tls.XXXXXX")
# nginx workers drop to nobody when started as root; they must reach the temp paths below.
chmod 0711 "$T"

# --- certificate -----------------------------------------------------------------------
# The subjectAltName makes the certificate valid for https://127.0.0.1 (curl ignores the CN).
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
	-addext 'subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:hr-api.parlearn.example.gov.vn' \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>"$T/openssl.err" ||
	{ cat "$T/openssl.err" >&2; exit 1; }
# The personnel system's client certificates: a CA of its own, two certificates it issued (one
# to be registered with parlearn, one not), and a self-signed one nginx must refuse.
{
	openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=So Noi vu HR CA' -days 1 \
		-keyout "$T/ca.key" -out "$T/ca.pem"
	for c in client other; do
		openssl req -newkey rsa:2048 -nodes -subj "/CN=hr-system-$c" -keyout "$T/$c.key" -out "$T/$c.csr"
		openssl x509 -req -in "$T/$c.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 1 -out "$T/$c.pem"
	done
	openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=intruder' -days 1 -keyout "$T/self.key" -out "$T/self.pem"
} >"$T/openssl.err" 2>&1 || { cat "$T/openssl.err" >&2; exit 1; }

# --- parlearn --------------------------------------------------------------------------
pl_start --trusted-proxy 127.0.0.2
pl_user "$USER_NAME" learner "$USER_PASS" >/dev/null

# --- nginx config generated from the shipped file ------------------------------------------
TLS_PORT=$(pl_free_port)
HTTP_PORT=$(pl_free_port)
while [ "$HTTP_PORT" = "$TLS_PORT" ]; do HTTP_PORT=$(pl_free_port); done

cp "$SHIPPED_CONF" "$T/site.conf"
# rewrite ERE REPLACEMENT — sed -E on the generated site file; fails if ERE matches nothing,
# so a reshaped shipped file breaks this test loudly instead of testing something else.
rewrite() {
	if ! grep -qE "$1" "$T/site.conf"; then
		echo "tests/tls: '$1' not found in $SHIPPED_CONF; update the rewrite rules" >&2
		exit 1
	fi
	sed -E -i "s#$1#$2#" "$T/site.conf"
}
rewrite '^([[:space:]]*)listen 443 ssl http2;' "\\1listen 127.0.0.1:$TLS_PORT ssl http2;"
rewrite '^([[:space:]]*)listen 80;' "\\1listen 127.0.0.1:$HTTP_PORT;"
rewrite '^[[:space:]]*listen \[::\]:.*$' ''
# shellcheck disable=SC2153 # PL_PORT is exported by pl_start
rewrite '^([[:space:]]*)server 127\.0\.0\.1:8080;' "\\1server 127.0.0.1:$PL_PORT;"
rewrite '^([[:space:]]*)ssl_certificate [^;]+;' "\\1ssl_certificate $T/cert.pem;"
rewrite '^([[:space:]]*)ssl_certificate_key [^;]+;' "\\1ssl_certificate_key $T/key.pem;"
rewrite '^([[:space:]]*)ssl_client_certificate [^;]+;' "\\1ssl_client_certificate $T/ca.pem;"
rewrite '^([[:space:]]*)access_log [^;]+;' "\\1access_log $T/access.log;"
rewrite '^([[:space:]]*)error_log [^;]+;' "\\1error_log $T/error.log;"

# The main config: the minimum that Debian's /etc/nginx/nginx.conf would give the site,
# with every writable path inside $T.
cat >"$T/nginx.conf" <<EOF
worker_processes 1;
events { worker_connections 128; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	access_log $T/access.log;
	client_body_temp_path $T/body;
	proxy_temp_path $T/proxy;
	fastcgi_temp_path $T/fastcgi;
	uwsgi_temp_path $T/uwsgi;
	scgi_temp_path $T/scgi;
	include $T/site.conf;
}
EOF

NGINX_ARGS=(-c "$T/nginx.conf" -p "$T" -e "$T/error.log"
	-g "daemon off; pid $T/nginx.pid; error_log $T/error.log;")
if ! nginx -t -q "${NGINX_ARGS[@]}" 2>"$T/nginx-t.err"; then
	cat "$T/nginx-t.err" >&2
	not_ok "nginx -t accepts the config generated from server/nginx/parlearn.conf"
	exit 1
fi
ok "nginx -t accepts the config generated from server/nginx/parlearn.conf"

nginx "${NGINX_ARGS[@]}" &
NGINX_PID=$!

TLS_URL=https://127.0.0.1:$TLS_PORT
CURL_TLS=(--cacert "$T/cert.pem")
for i in $(seq 1 100); do
	if curl -s -o /dev/null --max-time 2 "${CURL_TLS[@]}" "$TLS_URL/healthz"; then
		break
	fi
	if ! kill -0 "$NGINX_PID" 2>/dev/null; then
		echo "nginx exited early" >&2
		exit 1
	fi
	[ "$i" -lt 100 ] || { echo "nginx did not answer within 10 s" >&2; exit 1; }
	sleep 0.1
done

R=$T/r # response file prefix

# --- checks through nginx --------------------------------------------------------------------
code=$(http_req "$R" "${CURL_TLS[@]}" "$TLS_URL/healthz")
if [ "$code" = 200 ]; then ok "GET /healthz via nginx → 200"; else not_ok "GET /healthz via nginx → 200" "got $code: $(cat "$R.err" "$R.body")"; fi

hsts=$(header Strict-Transport-Security "$R.headers")
case "$hsts" in
max-age=*) ok "HTTPS responses carry HSTS ($hsts)" ;;
*) not_ok "HTTPS responses carry HSTS" "Strict-Transport-Security: '$hsts'" ;;
esac

ver=$(curl -s -o /dev/null --max-time 10 --http2 -w '%{http_version}' "${CURL_TLS[@]}" "$TLS_URL/healthz" || true)
if [ "$ver" = 2 ]; then ok "HTTP/2 is negotiated over TLS"; else not_ok "HTTP/2 is negotiated over TLS" "http_version '$ver'"; fi

for v in 1.2 1.3; do
	code=$(http_req "$R" "${CURL_TLS[@]}" --tlsv"$v" --tls-max "$v" "$TLS_URL/healthz")
	if [ "$code" = 200 ]; then ok "TLS $v accepted"; else not_ok "TLS $v accepted" "got $code: $(cat "$R.err")"; fi
done
# A CBC suite with RSA key exchange, which OpenSSL 3's client still offers: nginx must refuse.
code=$(http_req "$R" "${CURL_TLS[@]}" --tls-max 1.2 --ciphers AES128-SHA "$TLS_URL/healthz")
if [ "$code" = 000 ]; then ok "weak TLS 1.2 suite (AES128-SHA) refused"; else not_ok "weak TLS 1.2 suite (AES128-SHA) refused" "got $code"; fi

code=$(http_req "$R" "${CURL_TLS[@]}" -H 'Content-Type: application/json' --data-binary "$LOGIN_BODY" "$TLS_URL/api/auth/login")
if [ "$code" = 200 ]; then ok "POST /api/auth/login via nginx → 200"; else not_ok "POST /api/auth/login via nginx → 200" "got $code: $(cat "$R.err" "$R.body")"; fi
cookie=$(session_cookie "$R.headers")
for attr in Secure HttpOnly SameSite=Lax Path=/; do
	if cookie_has "$attr" "$R.headers"; then
		ok "session cookie via nginx has $attr"
	else
		not_ok "session cookie via nginx has $attr" "$(grep -i '^Set-Cookie:' "$R.headers" | tr -d '\r' || echo 'no Set-Cookie')"
	fi
done

if [ -n "$cookie" ]; then
	code=$(http_req "$R" "${CURL_TLS[@]}" -H "Cookie: $cookie" "$TLS_URL/api/me")
	if [ "$code" = 200 ] && grep -q "\"username\": *\"$USER_NAME\"" "$R.body"; then
		ok "GET /api/me via nginx with the cookie → 200, username $USER_NAME"
	else
		not_ok "GET /api/me via nginx with the cookie → 200, username $USER_NAME" "got $code: $(cat "$R.body")"
	fi
else
	not_ok "GET /api/me via nginx with the cookie → 200" "no parlearn_session cookie from login"
fi

code=$(http_req "$R" "http://127.0.0.1:$HTTP_PORT/api/me?x=1")
loc=$(header Location "$R.headers")
if [ "$code" = 301 ] && [ "$loc" = "https://127.0.0.1/api/me?x=1" ]; then
	ok "plain HTTP to nginx → 301 to https (Location $loc)"
else
	not_ok "plain HTTP to nginx → 301 to https with the same path" "got $code, Location '$loc'"
fi
if grep -qi '^Set-Cookie:' "$R.headers"; then
	not_ok "the HTTP redirect sets no cookie"
else
	ok "the HTTP redirect sets no cookie"
fi

# --- checks directly against parlearn (plain HTTP, from 127.0.0.1) ------------------------
code=$(http_req "$R" -H 'Content-Type: application/json' --data-binary "$LOGIN_BODY" "$PL_URL/api/auth/login")
if [ "$code" = 200 ] && [ -n "$(session_cookie "$R.headers")" ]; then
	ok "direct POST /api/auth/login → 200 with a session cookie"
else
	not_ok "direct POST /api/auth/login → 200 with a session cookie" "got $code: $(cat "$R.body")"
fi
if cookie_has Secure "$R.headers"; then
	not_ok "direct login (plain HTTP): cookie is NOT Secure" "$(grep -i '^Set-Cookie:' "$R.headers" | tr -d '\r')"
else
	ok "direct login (plain HTTP): cookie is NOT Secure"
fi

code=$(http_req "$R" -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
	-H 'X-Forwarded-For: 203.0.113.7' --data-binary "$LOGIN_BODY" "$PL_URL/api/auth/login")
if [ "$code" = 200 ] && ! cookie_has Secure "$R.headers"; then
	ok "direct login with forged X-Forwarded-Proto: https from 127.0.0.1: cookie is NOT Secure"
else
	not_ok "direct login with forged X-Forwarded-Proto: https from 127.0.0.1: cookie is NOT Secure" \
		"got $code: $(grep -i '^Set-Cookie:' "$R.headers" | tr -d '\r' || true)"
fi

# Positive control for the check above: the same request from the trusted address 127.0.0.2
# does get a Secure cookie, so trust really is decided by the peer address (and the
# negative result above is not just a server that never sets Secure without nginx).
code=$(http_req "$R" --interface 127.0.0.2 -H 'Content-Type: application/json' \
	-H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 198.51.100.4' \
	--data-binary "$LOGIN_BODY" "$PL_URL/api/auth/login")
if [ "$code" = 200 ] && cookie_has Secure "$R.headers"; then
	ok "control: the same request from the trusted 127.0.0.2: cookie is Secure"
else
	not_ok "control: the same request from the trusted 127.0.0.2: cookie is Secure" \
		"got $code: $(grep -i '^Set-Cookie:' "$R.headers" | tr -d '\r' || cat "$R.err")"
fi
ctl_rid=$(header X-Request-Id "$R.headers")

# --- the client address parlearn records (its access log, found by X-Request-Id) ------------
# access_line REQUEST_ID — parlearn's access-log line for that request (waits up to 2 s).
access_line() {
	local i
	for i in $(seq 1 20); do
		if [ -n "$1" ] && grep -F " $1 " "$PL_LOG" 2>/dev/null | head -n 1 | grep .; then
			return 0
		fi
		sleep 0.1
	done
	return 0
}

line=$(access_line "$ctl_rid")
case "$line" in
*" 198.51.100.4 "*) ok "control: X-Forwarded-For from 127.0.0.2 is believed (logged as 198.51.100.4)" ;;
*) not_ok "control: X-Forwarded-For from 127.0.0.2 is believed (logged as 198.51.100.4)" "log line: '$line'" ;;
esac

# nginx overwrites X-Forwarded-For with the TCP peer, so an address a client injects never
# reaches parlearn: the request is logged with 127.0.0.1 (curl's address), not 203.0.113.9.
code=$(http_req "$R" "${CURL_TLS[@]}" -H 'X-Forwarded-For: 203.0.113.9' "$TLS_URL/healthz")
line=$(access_line "$(header X-Request-Id "$R.headers")")
case "$line" in
*203.0.113.9*) not_ok "client-sent X-Forwarded-For is overwritten by nginx" "log line: '$line'" ;;
*" 127.0.0.1 "*) ok "client-sent X-Forwarded-For is overwritten by nginx (logged as 127.0.0.1)" ;;
*) not_ok "client-sent X-Forwarded-For is overwritten by nginx" "status $code, log line: '$line'" ;;
esac

# parlearn may also cope with an appended list, but the shipped file must not rely on that.
# shellcheck disable=SC2016 # a literal $remote_addr
if grep -qE '^[[:space:]]*proxy_set_header X-Forwarded-For \$remote_addr;' "$T/site.conf" &&
	! grep -vE '^[[:space:]]*#' "$T/site.conf" | grep -q 'proxy_add_x_forwarded_for'; then
	ok "shipped config sets X-Forwarded-For to \$remote_addr (overwrite, not append)"
else
	not_ok "shipped config sets X-Forwarded-For to \$remote_addr (overwrite, not append)"
fi

# --- the personnel system's pull API with a client certificate (the hr-api server) ----------
HR=(--resolve "hr-api.parlearn.example.gov.vn:$TLS_PORT:127.0.0.1" "${CURL_TLS[@]}")
HR_URL=https://hr-api.parlearn.example.gov.vn:$TLS_PORT/api/hr/v1/training-records
out=$(pl_cli apikey create --name hr-cert --client-cert "$T/client.pem" 2>&1)
case "$out" in
*"registered as hr-cert, SHA-256 "*) ok "a client certificate is registered ($out)" ;;
*) not_ok "a client certificate is registered" "$out" ;;
esac
code=$(http_req "$R" "${HR[@]}" --cert "$T/client.pem" --key "$T/client.key" "$HR_URL")
if [ "$code" = 200 ] && grep -q '"records"' "$R.body"; then ok "the registered certificate reads the training records → 200"
else not_ok "the registered certificate reads the training records → 200" "got $code: $(cat "$R.body" "$R.err")"; fi
code=$(http_req "$R" "${HR[@]}" --cert "$T/other.pem" --key "$T/other.key" "$HR_URL")
if [ "$code" = 401 ]; then ok "a certificate of the same CA that was not registered → 401"
else not_ok "a certificate of the same CA that was not registered → 401" "got $code"; fi
code=$(http_req "$R" "${HR[@]}" --cert "$T/self.pem" --key "$T/self.key" "$HR_URL")
if [ "$code" != 200 ] && ! grep -q '"records"' "$R.body"; then ok "a certificate of another CA is refused by nginx ($code)"
else not_ok "a certificate of another CA is refused by nginx" "got $code"; fi
code=$(http_req "$R" "${HR[@]}" "$HR_URL")
if [ "$code" = 400 ]; then ok "no client certificate on the hr-api server → 400 from nginx"
else not_ok "no client certificate on the hr-api server → 400 from nginx" "got $code"; fi
code=$(http_req "$R" "${HR[@]}" --cert "$T/client.pem" --key "$T/client.key" \
	"https://hr-api.parlearn.example.gov.vn:$TLS_PORT/api/me")
if [ "$code" = 404 ]; then ok "the hr-api server serves nothing but /api/hr/v1/ → 404"
else not_ok "the hr-api server serves nothing but /api/hr/v1/ → 404" "got $code"; fi
# A browser on the main site forging the headers nginx sets: they are dropped.
escaped=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(open(sys.argv[1]).read()))' "$T/client.pem")
code=$(http_req "$R" "${CURL_TLS[@]}" -H 'X-Client-Verify: SUCCESS' -H "X-Client-Cert: $escaped" \
	"$TLS_URL/api/hr/v1/training-records")
if [ "$code" = 401 ]; then ok "forged client-certificate headers on the main site are dropped → 401"
else not_ok "forged client-certificate headers on the main site are dropped → 401" "got $code"; fi
pl_cli apikey revoke --name hr-cert >/dev/null
code=$(http_req "$R" "${HR[@]}" --cert "$T/client.pem" --key "$T/client.key" "$HR_URL")
if [ "$code" = 401 ]; then ok "a revoked certificate → 401"
else not_ok "a revoked certificate → 401" "got $code"; fi

stop_nginx
if pl_stop; then
	ok "parlearn and its embedded postgres stopped cleanly"
else
	not_ok "parlearn and its embedded postgres stopped cleanly"
fi
PL_DATA= # stopped; nothing left for cleanup
summary
