#!/bin/sh
# t-e2e-workers.sh: the exchange answers through nginx, a killed worker is replaced, SIGTERM stops everything.
. "$(dirname "$0")/../lib.sh"
. "$top_srcdir/tests/stack.sh"

N=2
stack_start $N || bail_out "the stack did not start"

# ---- exchange ------------------------------------------------------------------
http GET /exchange/health
is "$STATUS" 200 "exchange health answers 200 through nginx"
like_i "$HDR" '^content-type: [a-z]+/([a-z.+-]+\+)?xml' "with an XML content type"
xmllint --noout --nonet "$OUT" 2>"$T_TMP/xmllint.err"
ok $? "the body is well-formed XML"
test -n "$(xmllint --nonet --xpath 'name(/*)' "$OUT" 2>/dev/null)"
ok $? "... with a root element"

# ---- a killed worker is replaced ----------------------------------------------
login anna@northwind.example || bail_out "anna cannot log in (status $STATUS)"
http GET /
is "$STATUS" 200 "the dashboard answers 200"
workers() { pgrep -P "$KW_PORTAL_PID" | sort | tr '\n' ' '; }
BEFORE=$(workers)
is "$(echo "$BEFORE" | wc -w)" $N "the portal runs $N workers"
VICTIM=${BEFORE%% *}
kill -9 "$VICTIM"
n=0 back=1
while [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
	NOW=$(workers)
	case " $NOW " in *" $VICTIM "*) continue ;; esac
	[ "$(echo "$NOW" | wc -w)" -eq $N ] || continue
	http GET /
	[ "$STATUS" = 200 ] || continue
	back=0
	break
done
ok $back "within 5 s of kill -9 the dashboard answers again"
is "$(echo "$NOW" | wc -w)" $N "... and the portal is back to $N workers"
case " $NOW " in *" $VICTIM "*) r=1 ;; *) r=0 ;; esac
ok $r "... the killed worker was replaced"
like "$OUT" 'Acme packaging supply' "... and still shows anna's accounts"

# ---- SIGTERM stops everything ----------------------------------------------------
test -S "$KW_RUN/portal.sock" && test -S "$KW_RUN/exchange.sock"
ok $? "both sockets exist while running"
stack_stop
ok $? "SIGTERM to the stack leaves no process behind"
test ! -e "$KW_RUN/portal.sock"
ok $? "the portal removed its socket"
test ! -e "$KW_RUN/exchange.sock"
ok $? "the exchange removed its socket"
STATUS=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$BASE/health")
is "$STATUS" 000 "nothing answers on the port any more"

done_testing
