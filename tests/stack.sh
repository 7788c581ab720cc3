# stack.sh: a whole Keepword stack (portal, exchange, nginx) for the end-to-end tests.
#
# Sourced after lib.sh. stack_start [WORKERS] starts the stack on a free
# loopback port through `keepword serve` and sets BASE (http://127.0.0.1:PORT)
# and the KW_* variables of its stack.env (KW_PORTAL_PID, KW_RUN, ...);
# stack_stop stops it (lib.sh calls it on exit). http, login and csrf_of
# talk to it with curl.

# Without nginx or curl there is nothing to test: skip the whole script.
PATH=$PATH:/usr/sbin:/sbin
if ! command -v nginx >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
	echo "1..0 # SKIP nginx or curl is not installed"
	exit 0
fi

STACK_PID=
STACK_STATE="$T_TMP/stack"
STACK_LEFT=
BASE=
JAR=

# stack_alive PID: the process exists and is not a zombie.
stack_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# stack_logs: the end of every log of the stack, as TAP comments.
stack_logs() {
	for f in "$T_TMP/stack.out" "$STACK_STATE"/logs/*; do
		[ -s "$f" ] || continue
		diag "---- $f"
		diag "$(tail -n 15 "$f")"
	done
}

# stack_start [WORKERS]: start the stack; returns 0 when /health answers
# 200 through nginx, or 1 (with the logs as TAP comments).
stack_start() {
	# As root nginx's workers run as www-data and must reach the sockets.
	if [ "$(id -u)" -eq 0 ]; then chmod 0711 "$T_TMP"; fi
	"$top_srcdir/keepword" serve --builddir "$top_builddir" \
	    --state "$STACK_STATE" --port auto --workers "${1:-2}" \
	    >"$T_TMP/stack.out" 2>&1 &
	STACK_PID=$!
	n=0
	while [ $n -lt 300 ]; do
		if [ -r "$STACK_STATE/stack.env" ]; then
			. "$STACK_STATE/stack.env"
			BASE=$KW_URL
			return 0
		fi
		stack_alive "$STACK_PID" || break
		sleep 0.1
		n=$((n + 1))
	done
	diag "the stack did not start"
	stack_logs
	return 1
}

# stack_stop: SIGTERM the stack and wait for it. Returns 0 if every process
# it ran (masters and workers) has gone; otherwise STACK_LEFT lists those
# still there, which are then killed, and 1 is returned.
stack_stop() {
	[ -n "$STACK_PID" ] || return 0
	pids=
	for p in ${KW_PORTAL_PID-} ${KW_EXCHANGE_PID-} ${KW_NGINX_PID-}; do
		pids="$pids $p $(pgrep -P "$p" | tr '\n' ' ')"
	done
	kill -TERM "$STACK_PID" 2>/dev/null
	n=0
	while stack_alive "$STACK_PID" && [ $n -lt 200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	STACK_LEFT=
	for p in $STACK_PID $pids; do
		if stack_alive "$p"; then STACK_LEFT="$STACK_LEFT $p"; fi
	done
	if [ -n "$STACK_LEFT" ]; then
		diag "still running after SIGTERM:$STACK_LEFT"
		# shellcheck disable=SC2086
		kill -KILL $STACK_LEFT 2>/dev/null
	fi
	wait "$STACK_PID" 2>/dev/null
	STACK_PID=
	[ -z "$STACK_LEFT" ]
}

# http METHOD PATH [CURL_ARGS...]: one request through nginx, with the
# cookie jar $JAR if set. Sets STATUS, HDR (headers, CR removed) and OUT.
http() {
	h_method=$1 h_path=$2
	shift 2
	if [ -n "$JAR" ]; then set -- -b "$JAR" -c "$JAR" "$@"; fi
	HDR="$T_TMP/hdr"
	OUT="$T_TMP/out"
	STATUS=$(curl -s -g --path-as-is -m 20 -X "$h_method" -D "$HDR.raw" \
	    -o "$OUT" -w '%{http_code}' "$@" "$BASE$h_path")
	tr -d '\r' <"$HDR.raw" >"$HDR"
}

# like_i FILE REGEX NAME: like, ignoring case (for header names).
like_i() {
	if grep -Eiq -- "$2" "$1"; then ok 0 "$3"; else
		ok 1 "$3"; diag "no match for /$2/ in:"; head -c 2000 "$1" | sed 's/^/#   /'
	fi
}

# csrf_of FILE: the value of the first hidden input named csrf in FILE.
csrf_of() {
	tr '\n' ' ' <"$1" | sed 's/<input/\n<input/g' | grep 'name="csrf"' |
	    sed -n 's/.*value="\([^"]*\)".*/\1/p' | head -n 1
}

# cookie_of NAME [JARFILE]: the value of cookie NAME in the jar.
cookie_of() {
	awk -v n="$1" '$6 == n { v = $7 } END { print v }' "${2:-$JAR}" 2>/dev/null
}

# account_id FILE TITLE_REGEX: the id in the first /accounts/ID link whose
# text matches TITLE_REGEX.
account_id() {
	tr '\n' ' ' <"$1" | sed 's/<a /\n<a /g' | grep -E -- "$2" |
	    sed -n 's/.*href="[^"]*\/accounts\/\([0-9][0-9]*\)".*/\1/p' | head -n 1
}

# login EMAIL [PASSWORD] [JARFILE]: log in with a fresh cookie jar (default
# $T_TMP/jar.EMAIL, which becomes $JAR). Leaves STATUS/HDR/OUT of the POST;
# returns 0 on the 303 of a successful login.
login() {
	JAR=${3:-$T_TMP/jar.$1}
	rm -f "$JAR"
	http GET /login
	[ "$STATUS" = 200 ] || return 1
	l_csrf=$(csrf_of "$OUT")
	http POST /login --data-urlencode "email=$1" \
	    --data-urlencode "password=${2:-keepword-demo}" \
	    --data-urlencode "csrf=$l_csrf"
	[ "$STATUS" = 303 ]
}

# bail_out MESSAGE: stop the test script (TAP "Bail out!").
bail_out() {
	echo "Bail out! $*"
	exit 1
}
