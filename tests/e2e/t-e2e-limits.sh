#!/bin/sh
# t-e2e-limits.sh: oversized, forged and malformed requests through nginx get clean errors.
. "$(dirname "$0")/../lib.sh"
. "$top_srcdir/tests/stack.sh"

stack_start 2 || bail_out "the stack did not start"
WORKERS_BEFORE=$(pgrep -P "$KW_PORTAL_PID" | sort | tr '\n' ' ')

# ---- size ------------------------------------------------------------------
head -c 2097152 /dev/zero | tr '\0' a >"$T_TMP/big"
http POST /login -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "@$T_TMP/big"
is "$STATUS" 413 "a 2 MB POST answers 413"

# ---- CSRF ------------------------------------------------------------------
JAR="$T_TMP/jar.anon"
http GET /login
http POST /login --data-urlencode "email=anna@northwind.example" \
    --data-urlencode "password=keepword-demo"
is "$STATUS" 403 "a login POST without csrf answers 403"
test -z "$(cookie_of kw_session)"
ok $? "... and logs nobody in"
http POST /login --data-urlencode "email=anna@northwind.example" \
    --data-urlencode "password=keepword-demo" --data-urlencode "csrf=forged"
is "$STATUS" 403 "a login POST with a forged csrf answers 403"

login anna@northwind.example || bail_out "anna cannot log in (status $STATUS)"
http POST /logout --data-urlencode "x=1"
is "$STATUS" 403 "a logout POST without csrf answers 403"
http GET /
is "$STATUS" 200 "... and the session is still there"

# ---- malformed input -----------------------------------------------------------
JAR="$T_TMP/jar.anon2"
http GET /login
CSRF=$(csrf_of "$OUT")
http POST /login -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "email=%zz&password=keepword-demo&csrf=$CSRF"
is "$STATUS" 400 "malformed percent-encoding in a form answers 400"
http GET '/accounts/%zz'
is "$STATUS" 400 "malformed percent-encoding in the path answers 400"

# ---- routes and methods -----------------------------------------------------------
JAR="$T_TMP/jar.anna@northwind.example"
http GET /no/such/route
is "$STATUS" 404 "an unknown route answers 404"
http PUT /
is "$STATUS" 405 "PUT / answers 405"
http DELETE /login
is "$STATUS" 405 "DELETE /login answers 405"

# ---- still alive ------------------------------------------------------------------
http GET /health
is "$STATUS" 200 "health still answers 200"
WORKERS_AFTER=$(pgrep -P "$KW_PORTAL_PID" | sort | tr '\n' ' ')
is "$WORKERS_AFTER" "$WORKERS_BEFORE" "no portal worker died"

done_testing
