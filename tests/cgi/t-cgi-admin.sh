#!/bin/sh
# t-cgi-admin.sh: org admins manage their people; members cannot.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }
users() { sql "SELECT count(*) FROM users"; }

cgi_login ben@northwind.example; ok $? "ben (member) signs in"
cgi GET /org/users "" "$SESSION"
is "$STATUS" 403 "a member cannot open the people page"
cgi POST /org/users "csrf=$CSRF&name=X&email=x%40northwind.example&role=admin&password=long-enough-pw" "$SESSION"
is "$STATUS" 403 "a member cannot add people"
unlike "$OUT" 'People at' "nothing of the page is shown"

cgi_login anna@northwind.example; ok $? "anna (admin) signs in"
cgi GET /org/users "" "$SESSION"
is "$STATUS" 200 "an admin opens the people page"
like "$OUT" 'ben@northwind.example' "the org's people are listed"
unlike "$OUT" 'carla@acme.example' "people of other orgs are not listed"
like "$OUT" '<label for="password">Initial password</label>' "every field has a label"

before=$(users)
cgi POST /org/users "csrf=$CSRF&name=&email=not-an-email&role=boss&password=short" "$SESSION"
is "$STATUS" 400 "bad input is a bad request"
like "$OUT" 'id="name-err">Name is required' "the empty name is named"
like "$OUT" 'id="email-err">' "the bad email is named"
like "$OUT" 'id="role-err">' "the unknown role is named"
like "$OUT" 'id="password-err">' "the short password is named"
like "$OUT" 'value="not-an-email"' "the input is kept"
is "$(users)" "$before" "nothing was written"

cgi POST /org/users "csrf=$CSRF&name=$(urlenc '<script>alert(1)</script> Zoë')&email=zoe%40northwind.example&role=member&password=long-enough-pw" "$SESSION"
is "$STATUS" 303 "a valid person is added"
like "$HDR" '^Location: .*/org/users\?notice=user-created' "back to the list with a notice"
is "$(sql "SELECT name || '|' || role || '|' || active FROM users WHERE email = 'zoe@northwind.example'")" \
	"<script>alert(1)</script> Zoë|member|1" "the row holds the text as typed, Unicode intact"
cgi GET "/org/users?notice=user-created" "" "$SESSION"
like "$OUT" '&lt;script&gt;alert\(1\)&lt;/script&gt; Zoë' "HTML in a name is shown as text"
unlike "$OUT" '<script>alert' "no markup is injected"
like "$OUT" 'role="status">The person was added' "the notice is shown"
is "$(sql "SELECT count(*) FROM audit_events a JOIN users u ON u.id = a.entity_id WHERE a.entity = 'user' AND a.action = 'create' AND u.email = 'zoe@northwind.example' AND a.actor_user_id = (SELECT id FROM users WHERE email = 'anna@northwind.example')")" 1 "the addition is audited, with its actor"

cgi POST /org/users "csrf=$CSRF&name=Again&email=ZOE%40northwind.example&role=member&password=long-enough-pw" "$SESSION"
is "$STATUS" 409 "a taken email is a conflict"
like "$OUT" 'already uses this email' "the conflict is explained next to the field"

zoe=$(sql "SELECT id FROM users WHERE email = 'zoe@northwind.example'")
cgi POST "/org/users/$zoe/password" "csrf=$CSRF&password=short" "$SESSION"
is "$STATUS" 400 "a short new password is refused"
like "$OUT" "id=\"pw-err-$zoe\"" "the error sits next to that person's form"
cgi POST "/org/users/$zoe/password" "csrf=$CSRF&password=brand-new-secret" "$SESSION"
is "$STATUS" 303 "an admin resets a password"
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi_login zoe@northwind.example brand-new-secret; ok $? "the person signs in with the new password"
ZOE=$SESSION

cgi POST "/org/users/$zoe/deactivate" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "an admin deactivates a person"
cgi GET / "" "$ZOE"
is "$STATUS" 303 "deactivation ends the person's sessions"
cgi_login zoe@northwind.example brand-new-secret; ok $((1 - $?)) "a deactivated person cannot sign in"
cgi POST "/org/users/$zoe/activate" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "an admin reactivates a person"

anna=$(sql "SELECT id FROM users WHERE email = 'anna@northwind.example'")
cgi POST "/org/users/$anna/deactivate" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "an admin cannot deactivate themselves"

carla=$(sql "SELECT id FROM users WHERE email = 'carla@acme.example'")
cgi POST "/org/users/$carla/deactivate" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 404 "a person of another org answers 404"
is "$(sql "SELECT active FROM users WHERE id = $carla")" 1 "and stays active"
cgi POST "/org/users/$carla/password" "csrf=$ANNA_CSRF&password=hijacked-password" "$ANNA"
is "$STATUS" 404 "another org's password cannot be reset"

cgi POST "/org/users/$zoe/deactivate" "csrf=wrong" "$ANNA"
is "$STATUS" 403 "a wrong CSRF token is refused"

done_testing
