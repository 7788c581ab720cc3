#!/bin/sh
# t-e2e-login.sh: logging in and out through nginx, and who sees which account.
. "$(dirname "$0")/../lib.sh"
. "$top_srcdir/tests/stack.sh"

stack_start 2 || bail_out "the stack did not start"

http GET /health
is "$STATUS" 200 "health answers 200 through nginx"
is "$(cat "$OUT")" ok "health says ok"

# ---- the login page ------------------------------------------------------
JAR="$T_TMP/jar.anon"
http GET /login
is "$STATUS" 200 "login page answers 200"
like_i "$HDR" '^content-security-policy: ' "login page sends a Content-Security-Policy"
like_i "$HDR" '^content-security-policy: .*frame-ancestors' "the policy sets frame-ancestors"
like_i "$HDR" '^x-content-type-options: nosniff' "login page sends X-Content-Type-Options: nosniff"
test -n "$(csrf_of "$OUT")"
ok $? "login form carries a csrf token"

# ---- anna sees both of Northwind's accounts ----------------------------
login anna@northwind.example
is "$STATUS" 303 "anna logs in (303)"
like_i "$HDR" '^location: (https?://[^/]+)?/$' "login redirects to the dashboard"
test -n "$(cookie_of kw_session)"
ok $? "login sets the kw_session cookie"
ANNA_JAR=$JAR

http GET /
is "$STATUS" 200 "anna's dashboard answers 200"
like "$OUT" 'Acme packaging supply' "anna's dashboard lists the Acme account"
like "$OUT" 'Bluefield freight' "anna's dashboard lists the Bluefield account"
cp "$OUT" "$T_TMP/anna-dashboard.html"
ACME_ID=$(account_id "$OUT" 'Acme packaging supply')
test -n "$ACME_ID"
ok $? "the dashboard links to the Acme account (id '$ACME_ID')"
http GET "/accounts/${ACME_ID:-0}"
is "$STATUS" 200 "anna opens the Acme account"
like "$OUT" 'Acme packaging supply' "the account page shows its title"

# ---- a wrong password and an unknown email look the same -----------------
# The pages may differ only in attribute values (the email typed, the
# csrf token), in tokens and in the email itself.
normalise() {
	sed -e 's/value="[^"]*"/value=""/g' -e 's/[a-z]*@northwind\.example//g' \
	    -e 's/[A-Za-z0-9_-]\{20,\}/TOKEN/g' "$1"
}
login anna@northwind.example not-the-password "$T_TMP/jar.wrong"
WRONG_STATUS=$STATUS
normalise "$OUT" >"$T_TMP/wrong.html"
test "$WRONG_STATUS" != 303
ok $? "a wrong password does not log in (status $WRONG_STATUS)"
test -z "$(cookie_of kw_session)"
ok $? "a wrong password sets no session cookie"
login nobody@northwind.example keepword-demo "$T_TMP/jar.unknown"
is "$STATUS" "$WRONG_STATUS" "an unknown email answers the same status"
test -z "$(cookie_of kw_session)"
ok $? "an unknown email sets no session cookie"
normalise "$OUT" >"$T_TMP/unknown.html"
cmp -s "$T_TMP/wrong.html" "$T_TMP/unknown.html"
ok $? "an unknown email answers the same page as a wrong password"
if ! cmp -s "$T_TMP/wrong.html" "$T_TMP/unknown.html"; then
	diag "$(diff "$T_TMP/wrong.html" "$T_TMP/unknown.html" | head -n 20)"
fi

# ---- fay (Bluefield) never sees the Acme account ---------------------------
login fay@bluefield.example
is "$STATUS" 303 "fay logs in"
http GET /
is "$STATUS" 200 "fay's dashboard answers 200"
like "$OUT" 'Bluefield freight' "fay's dashboard lists the Bluefield account"
unlike "$OUT" 'Acme packaging' "fay's dashboard does not list the Acme account"
http GET "/accounts/${ACME_ID:-0}"
is "$STATUS" 404 "fay gets 404 on the Acme account"
http GET /accounts/999999
is "$STATUS" 404 "fay gets 404 on a missing account too"

# ---- logout ends the session --------------------------------------------------
JAR=$ANNA_JAR
SESSION=$(cookie_of kw_session)
http GET /
LOGOUT_CSRF=$(csrf_of "$OUT")
test -n "$LOGOUT_CSRF"
ok $? "the dashboard carries a csrf token for logout"
http POST /logout --data-urlencode "csrf=$LOGOUT_CSRF"
case $STATUS in 2??|3??) r=0 ;; *) r=1 ;; esac
ok $r "logout answers a success or a redirect (status $STATUS)"
http GET /
is "$STATUS" 303 "after logout the dashboard redirects"
like_i "$HDR" '^location: (https?://[^/]+)?/login' "... to /login"
JAR=
http GET / -H "Cookie: kw_session=$SESSION"
is "$STATUS" 303 "the old session cookie no longer works"

# ---- static files ---------------------------------------------------------------
http GET /static/keepword.css
is "$STATUS" 200 "nginx serves the stylesheet"
like_i "$HDR" '^content-type: text/css' "as text/css"
cmp -s "$OUT" "$top_srcdir/static/keepword.css"
ok $? "with the tree's bytes"
http GET /static/exchange/keepword-exchange-1.xsd
is "$STATUS" 200 "nginx publishes the exchange's XML schema"
like_i "$HDR" '^content-type: application/xml' "as application/xml"
cmp -s "$OUT" "$top_srcdir/static/exchange/keepword-exchange-1.xsd"
ok $? "with the tree's bytes"

done_testing
