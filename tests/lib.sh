# lib.sh: shared shell helpers for the CGI-mode and end-to-end tests (TAP).
#
# A test sources this file, calls plan N (or done_testing at the end) and
# uses ok/is/like/unlike. cgi runs the portal as a plain CGI program.

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

T_NUM=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kwtest.XXXXXX")
trap 't_cleanup' EXIT INT TERM

t_cleanup() {
	if command -v stack_stop >/dev/null 2>&1; then stack_stop; fi
	rm -rf "$T_TMP"
}

plan() { echo "1..$1"; }
done_testing() { echo "1..$T_NUM"; }
diag() { printf '# %s\n' "$*" | sed '2,$s/^/# /'; }

# The exchange's schemas, and the XML checks of its tests (xmllint, never
# the network).
XSD="$top_srcdir/static/exchange/keepword-exchange-1.xsd"
STATUS_XSD="$top_srcdir/static/exchange/keepword-exchange-status-1.xsd"
# valid FILE [SCHEMA]: whether FILE follows SCHEMA ($XSD), xmllint's words
# in $T_TMP/xmllint.out
valid() { xmllint --noout --nonet --schema "${2:-$XSD}" "$1" >"$T_TMP/xmllint.out" 2>&1; }
# xp FILE EXPR: XPath 1.0 EXPR over FILE, as text
xp() { xmllint --nonet --xpath "$2" "$1" 2>/dev/null; }
# n FILE NAME: the number of elements called NAME in FILE
n() { xp "$1" "count(//*[local-name()='$2'])"; }

# ok COND_STATUS NAME: report a test from the exit status of the previous
# command; returns that status, so that "ok $? NAME || diag ..." shows
# what went wrong only when it did.
ok() {
	T_NUM=$((T_NUM + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_NUM - $2"
	else
		echo "not ok $T_NUM - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
	[ "$1" -eq 0 ]
}

# is GOT EXPECTED NAME
is() {
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"; diag "got: '$1'" "expected: '$2'"
	fi
}

# like FILE REGEX NAME: FILE contains a line matching the extended REGEX
like() {
	if grep -Eq -- "$2" "$1"; then ok 0 "$3"; else
		ok 1 "$3"; diag "no match for /$2/ in:"
		# end the excerpt with a newline, or the next TAP line joins it
		{ head -c 2000 "$1"; echo; } | sed 's/^/#   /'
	fi
}

# unlike FILE REGEX NAME
unlike() {
	if grep -Eq -- "$2" "$1"; then
		ok 1 "$3"; diag "unexpected match for /$2/:"; grep -E -- "$2" "$1" | head -5 | sed 's/^/#   /'
	else ok 0 "$3"; fi
}

# ---- CGI mode -------------------------------------------------------------
# The database and templates used by cgi; t_db_init creates a fresh demo db.
T_DB="$T_TMP/keepword.db"
PORTAL="$top_builddir/cgi-bin/portal"
EXCHANGE="$top_builddir/cgi-bin/exchange"
KWCTL="$top_builddir/src/kwctl"

# (without the demo history, so that each test sees only what it makes;
# t_db_init_history adds the year of history the demo account shows).
t_db_init() {
	"$KWCTL" -d "$T_DB" demo --no-history >"$T_TMP/demo.out" 2>&1
}
t_db_init_history() {
	"$KWCTL" -d "$T_DB" demo >"$T_TMP/demo.out" 2>&1
}

# cgi METHOD PATH [BODY] [COOKIE] [EXTRA_ENV...]: run the portal once.
# Sets STATUS (numeric), HDR (file of headers) and OUT (file of body).
cgi_prog() {
	prog=$1; shift
	method=$1; path=$2; body=${3-}; cookie=${4-}
	shift 2; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
	q=
	case $path in *\?*) q=${path#*\?}; path=${path%%\?*} ;; esac
	HDR="$T_TMP/hdr"; OUT="$T_TMP/out"; RAW="$T_TMP/raw"
	printf '%s' "$body" | env -i PATH="$PATH" \
		REQUEST_METHOD="$method" PATH_INFO="$path" QUERY_STRING="$q" \
		SCRIPT_NAME="" SERVER_PROTOCOL=HTTP/1.1 REMOTE_ADDR=127.0.0.1 \
		CONTENT_TYPE="application/x-www-form-urlencoded" \
		CONTENT_LENGTH="${#body}" HTTP_COOKIE="$cookie" \
		KEEPWORD_DB="$T_DB" KEEPWORD_TEMPLATES="$top_srcdir/templates" \
		KEEPWORD_BASE_URL="http://127.0.0.1:8080" \
		${KEEPWORD_NOW:+KEEPWORD_NOW="$KEEPWORD_NOW"} \
		ASAN_OPTIONS="${ASAN_OPTIONS-}" UBSAN_OPTIONS="${UBSAN_OPTIONS-}" \
		"$@" "$prog" >"$RAW" 2>"$T_TMP/err"
	CGI_RC=$?
	# split headers and body at the first empty line (CRLF or LF)
	awk 'BEGIN{h=1} h && /^\r?$/ {h=0; next} h {sub(/\r$/,""); print > "/dev/stderr"; next} {print}' \
		"$RAW" 2>"$HDR" >"$OUT"
	STATUS=$(sed -n 's/^Status: \([0-9][0-9][0-9]\).*/\1/p' "$HDR" | head -1)
	[ -n "$STATUS" ] || STATUS=200
}
cgi() { cgi_prog "$PORTAL" "$@"; }

# header NAME: the value of response header NAME from the last cgi call
header() { sed -n "s/^$1: //Ip" "$HDR" | head -1; }

# set_cookie NAME: the value that the last response set for cookie NAME
set_cookie() { sed -n "s/^Set-Cookie: $1=\([^;]*\).*/\1/Ip" "$HDR" | tail -1; }

# form_csrf: the CSRF token of the first form in the last page
form_csrf() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$OUT" | head -1; }

# urlenc STRING: percent-encode for a form body
urlenc() {
	printf '%s' "$1" | od -An -tu1 -v | awk '{
		for (i = 1; i <= NF; i++) {
			d = $i + 0
			if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) ||
			    (d >= 97 && d <= 122) || d == 45 || d == 46 || d == 95 || d == 126)
				printf "%c", d
			else
				printf "%%%02X", d
		}
	}'
}

# cgi_login EMAIL [PASSWORD]: sign in; sets SESSION (the cookie header
# value to send) and CSRF (the session's form token). Returns 1 on failure.
cgi_login() {
	cgi GET /login
	anon=$(set_cookie kw_csrf)
	cgi POST /login "csrf=$anon&email=$(urlenc "$1")&password=$(urlenc "${2:-keepword-demo}")" "kw_csrf=$anon"
	[ "$STATUS" = 303 ] || return 1
	SESSION="kw_session=$(set_cookie kw_session)"
	cgi GET / "" "$SESSION"
	CSRF=$(form_csrf)
	[ -n "$CSRF" ]
}

# sql QUERY: run a query against the test database
sql() { sqlite3 -batch -noheader "$T_DB" "$1"; }

# long N: a string of N x's (for over-long fields)
long() { printf "%${1}s" "" | tr ' ' x; }

# bad_form NAME STATE PATH BODY COOKIE FIELD MESSAGE [KEPT]: POST BODY to
# PATH; it must answer 400 with MESSAGE next to FIELD (an element with
# id FIELD-err that the field names in aria-describedby), show KEPT (a
# regex) when given, and leave the output of the command STATE as it was.
bad_form() {
	bf_before=$($2)
	cgi POST "$3" "$4" "$5"
	is "$STATUS" 400 "$1: refused with 400"
	like "$OUT" "id=\"$6-err\">$7" "$1: the message is next to the field"
	like "$OUT" "aria-describedby=\"([^\"]* )?$6-err\"" "$1: the field points to it"
	[ -z "${8-}" ] || like "$OUT" "$8" "$1: the input is kept"
	is "$($2)" "$bf_before" "$1: nothing is written"
}
