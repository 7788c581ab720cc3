#!/bin/sh
# t-cgi-login.sh: signing in and out, CSRF, throttling.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

cgi GET /login
is "$STATUS" 200 "the login page answers 200"
anon=$(set_cookie kw_csrf)
[ ${#anon} -eq 43 ]; ok $? "an anonymous CSRF token of 256 bits is set"
like "$HDR" '^Set-Cookie: kw_csrf=[^;]*;.*HttpOnly' "the CSRF cookie is HttpOnly"
like "$OUT" "name=\"csrf\" value=\"$anon\"" "the form carries the token"
like "$OUT" '<label for="email">Email</label>' "the email field has a label"

cgi POST /login "email=anna%40northwind.example&password=keepword-demo" "kw_csrf=$anon"
is "$STATUS" 403 "a login without the CSRF field is refused"
cgi POST /login "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&email=anna%40northwind.example&password=keepword-demo" "kw_csrf=$anon"
is "$STATUS" 403 "a login with a wrong CSRF token is refused"
cgi POST /login "csrf=$anon&email=anna%40northwind.example&password=keepword-demo" "kw_csrf=$anon" HTTP_ORIGIN=https://evil.example
is "$STATUS" 403 "a login posted from another origin is refused"
cgi POST /login "csrf=$anon&email=anna%40northwind.example&password=keepword-demo" "kw_csrf=$anon" HTTP_SEC_FETCH_SITE=cross-site
is "$STATUS" 403 "a cross-site form post is refused"

cgi POST /login "csrf=$anon&email=anna%40northwind.example&password=keepword-demo" "kw_csrf=$anon" HTTP_ORIGIN=http://127.0.0.1:8080
is "$STATUS" 303 "the right password signs in"
like "$HDR" '^Location: http://127.0.0.1:8080/$' "sign-in leads to the dashboard"
like "$HDR" '^Set-Cookie: kw_session=[A-Za-z0-9_-]{43};.*HttpOnly' "the session cookie is HttpOnly"
like "$HDR" '^Set-Cookie: kw_session=.*SameSite=Lax' "the session cookie is SameSite=Lax"
unlike "$HDR" '^Set-Cookie: kw_session=.*Secure' "no Secure flag over plain http"
tok=$(set_cookie kw_session)
is "$(sql "SELECT count(*) FROM sessions WHERE token_hash = '$tok'")" 0 "the session token is not stored in clear"

cgi GET / "" "kw_session=$tok"
is "$STATUS" 200 "the session opens the dashboard"
like "$OUT" 'Anna Berg' "the dashboard greets the user"

cgi POST /login "csrf=$anon&email=anna%40northwind.example&password=keepword-demo" "__Host-kw_csrf=$anon" HTTPS=on
like "$HDR" '^Set-Cookie: __Host-kw_session=.*; Secure' "over HTTPS the cookie is __Host- and Secure"

cgi POST /login "csrf=$anon&email=anna%40northwind.example&password=wrong-password" "kw_csrf=$anon"
is "$STATUS" 403 "a wrong password is refused"
cp "$OUT" "$T_TMP/wrong"
like "$OUT" 'do not match an active account' "a wrong password says so"
like "$OUT" 'value="anna@northwind.example"' "the email is kept in the form"
unlike "$OUT" 'wrong-password' "the password is never echoed"
[ -z "$(set_cookie kw_session)" ]; ok $? "a failed login sets no session"

cgi POST /login "csrf=$anon&email=nobody%40nowhere.example&password=wrong-password" "kw_csrf=$anon"
is "$STATUS" 403 "an unknown email gets the same status"
like "$OUT" 'do not match an active account' "an unknown email gets the same message"

cgi POST /login "csrf=$anon&email=&password=" "kw_csrf=$anon"
is "$STATUS" 400 "an empty form is a bad request"
like "$OUT" 'id="email-err">Email is required' "the empty email is named next to the field"
like "$OUT" 'aria-invalid="true"' "the faulty field is marked invalid"

for i in 1 2 3 4 5 6; do
	cgi POST /login "csrf=$anon&email=ben%40northwind.example&password=bad-$i" "kw_csrf=$anon"
done
is "$STATUS" 429 "repeated failures throttle the account"
cgi POST /login "csrf=$anon&email=ben%40northwind.example&password=keepword-demo" "kw_csrf=$anon"
is "$STATUS" 429 "while throttled even the right password waits"

cgi GET / "" "kw_session=$tok"
csrf=$(form_csrf)
cgi POST /logout "csrf=$csrf" "kw_session=$tok"
is "$STATUS" 303 "sign-out redirects"
like "$HDR" '^Location: .*/login\?notice=signed-out' "sign-out leads to the login page"
cgi GET / "" "kw_session=$tok"
is "$STATUS" 303 "after sign-out the old session no longer works"

# Signing in again, even from a live session, replaces that session.
cgi_login anna@northwind.example
old=${SESSION#kw_session=}
cgi GET / "" "$SESSION"
csrf=$(form_csrf)
cgi POST /login "csrf=$csrf&email=anna%40northwind.example&password=keepword-demo" "$SESSION"
is "$STATUS" 303 "signing in over a live session succeeds"
new=$(set_cookie kw_session)
[ -n "$new" ] && [ "$new" != "$old" ]; ok $? "a new session token is issued"
cgi GET / "" "kw_session=$old"
is "$STATUS" 303 "the session in use before signing in has ended"
cgi GET / "" "kw_session=$new"
is "$STATUS" 200 "the new session works"

cgi POST /logout "csrf=" "kw_session=garbage"
is "$STATUS" 303 "a POST without a session is sent to sign in"
like "$HDR" '^Location: .*/login$' "to the login page"

done_testing
