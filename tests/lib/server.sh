# tests/lib/server.sh — start and stop a real `parlearn serve` for a test script.
#
# Source it from a bash test driver. It needs PARLEARN_BIN (the parlearn executable under
# test; ctest sets it). Every server it starts gets its own temporary data folder, so it runs
# its own embedded PostgreSQL cluster, and a free loopback port.
#
#   pl_start [serve options...]   start; exports PL_URL PL_PORT PL_CONTENT_URL PL_CONTENT_PORT
#                                 PL_DATA PL_PID PL_LOG
#   pl_cli ARGS...                run a CLI subcommand on the same data folder
#   pl_user NAME ROLE PASSWORD [SCOPE_UNIT]   create an account (password on stdin)
#   pl_stop                       SIGTERM, wait, check no postgres is left, remove the folder
#
# Processes are stopped by PID only. pl_stop fails (returns 1) if the server does not exit
# with status 0 (a sanitizer report makes it non-zero) or if a postgres process of this data
# folder survives it.

: "${PARLEARN_BIN:?PARLEARN_BIN must name the parlearn executable}"

pl_free_port() {
	python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

pl_start() {
	local i attempt
	PL_DATA=$(mktemp -d "${TMPDIR:-/tmp}/parlearn-test.XXXXXX")
	chmod 0711 "$PL_DATA"
	PL_LOG="$PL_DATA/server.log"
	# A free port can be taken by another test between our check and the server's bind:
	# then pick new ports and start again.
	for attempt in 1 2 3; do
		PL_PORT=$(pl_free_port)
		PL_CONTENT_PORT=$(pl_free_port)
		while [ "$PL_CONTENT_PORT" = "$PL_PORT" ]; do PL_CONTENT_PORT=$(pl_free_port); done
		PL_URL="http://127.0.0.1:$PL_PORT"
		PL_CONTENT_URL="http://localhost:$PL_CONTENT_PORT"
		"$PARLEARN_BIN" serve --data "$PL_DATA/var" --port "$PL_PORT" \
			--content-port "$PL_CONTENT_PORT" "$@" >"$PL_LOG" 2>&1 &
		PL_PID=$!
		export PL_URL PL_PORT PL_CONTENT_PORT PL_CONTENT_URL PL_DATA PL_PID PL_LOG
		for i in $(seq 1 600); do
			if curl -fsS "$PL_URL/readyz" >/dev/null 2>&1; then
				return 0
			fi
			if ! kill -0 "$PL_PID" 2>/dev/null; then
				wait "$PL_PID" 2>/dev/null
				if grep -q "Failed to setup server ports" "$PL_LOG" && [ "$attempt" -lt 3 ]; then
					echo "pl_start: a port was taken meanwhile; trying other ports" >&2
					continue 2
				fi
				echo "pl_start: parlearn serve exited early; its log:" >&2
				cat "$PL_LOG" >&2
				return 1
			fi
			sleep 0.1
		done
		echo "pl_start: server not ready after 60 s; its log:" >&2
		cat "$PL_LOG" >&2
		return 1
	done
	return 1
}

pl_cli() {
	"$PARLEARN_BIN" "$@" --data "$PL_DATA/var"
}

pl_user() {
	local name=$1 role=$2 password=$3 scope=${4:-}
	local args=(user create --username "$name" --role "$role" --name "Test $name")
	[ -n "$scope" ] && args+=(--scope "$scope")
	printf '%s\n' "$password" | pl_cli "${args[@]}" --password-stdin
}

# pl_postgres_pids: PIDs of postgres processes of this data folder: postmasters whose command
# line names it, and their children (backends rename their command line).
pl_postgres_pids() {
	local p
	for p in $(pgrep -x postgres 2>/dev/null); do
		if tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF "$PL_DATA/"; then
			echo "$p"
			pgrep -P "$p" 2>/dev/null
		fi
	done
}

pl_stop() {
	local rc=0 i status=0
	if [ -n "${PL_PID:-}" ] && kill -0 "$PL_PID" 2>/dev/null; then
		kill -TERM "$PL_PID"
		for i in $(seq 1 300); do
			kill -0 "$PL_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$PL_PID" 2>/dev/null; then
			echo "pl_stop: server $PL_PID did not stop within 30 s" >&2
			kill -KILL "$PL_PID" 2>/dev/null
			rc=1
		fi
	fi
	# A server that died before we asked it to stop (a crash) fails too: its exit status
	# is still ours to collect when it was started by this shell.
	if [ -n "${PL_PID:-}" ]; then
		wait "$PL_PID" 2>/dev/null || status=$?
		if [ "$status" -ne 0 ] && [ "$status" -ne 127 ]; then
			echo "pl_stop: parlearn serve exited with status $status; the end of its log:" >&2
			tail -n 60 "$PL_LOG" >&2
			rc=1
		fi
	fi
	for i in $(seq 1 100); do
		[ -z "$(pl_postgres_pids)" ] && break
		sleep 0.1
	done
	if [ -n "$(pl_postgres_pids)" ]; then
		echo "pl_stop: postgres processes left behind: $(pl_postgres_pids)" >&2
		rc=1
	fi
	if [ "$rc" -ne 0 ] || [ -n "${PL_KEEP:-}" ]; then
		echo "pl_stop: keeping $PL_DATA for inspection" >&2
	else
		rm -rf "$PL_DATA"
	fi
	return $rc
}
