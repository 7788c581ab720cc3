#!/bin/sh
# t-cgi-basics.sh: health, unknown routes, methods and the headers on every response.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; cat "$T_TMP/demo.out"; exit 1; }

cgi GET /health
is "$STATUS" 200 "health answers 200 with a reachable database"
like "$OUT" '^ok$' "health says ok"
like "$HDR" '^Content-Type: text/plain' "health is plain text"

cgi GET /login
for h in "Content-Security-Policy: .*default-src 'self'" \
	"Content-Security-Policy: .*frame-ancestors 'none'" \
	"X-Content-Type-Options: nosniff" "Referrer-Policy: " \
	"Content-Type: text/html; charset=utf-8"; do
	like "$HDR" "^$h" "login page sends $h"
done
unlike "$HDR" "script-src[^;]*'unsafe-inline'" "no inline script is allowed"

cgi GET /no/such/page
is "$STATUS" 404 "an unknown route answers 404"
like "$OUT" '<h1>Not Found</h1>' "the 404 page says Not Found"
like "$HDR" "^Content-Security-Policy: " "error pages carry the security headers too"

cgi PUT /login
is "$STATUS" 405 "PUT on a GET/POST route answers 405"
like "$HDR" '^Allow: .*GET' "405 lists the allowed methods"

cgi HEAD /login
is "$STATUS" 200 "HEAD is answered like GET"
is "$(wc -c < "$OUT" | tr -d ' ')" 0 "HEAD has no body"

cgi GET /
is "$STATUS" 303 "the dashboard sends anonymous visitors to sign in"
like "$HDR" '^Location: http://127.0.0.1:8080/login$' "redirects use the configured base URL"

KEEPWORD_DB="$T_TMP/missing/dir/x.db"
T_DB_SAVE=$T_DB; T_DB=$KEEPWORD_DB
cgi GET /health
is "$STATUS" 503 "health answers 503 when the database cannot be opened"
cgi GET /login
is "$STATUS" 503 "pages answer 503 too, not a crash"
like "$OUT" 'cannot reach its database' "and say why"
T_DB=$T_DB_SAVE

done_testing
