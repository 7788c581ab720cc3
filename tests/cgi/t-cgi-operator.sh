#!/bin/sh
# t-cgi-operator.sh: operators create organisations and open accounts.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

cgi_login anna@northwind.example; ok $? "anna (admin, not operator) signs in"
cgi GET /operator "" "$SESSION"
is "$STATUS" 403 "a non-operator cannot open the operator page"
cgi POST /operator/orgs "csrf=$CSRF&org_name=Sneaky" "$SESSION"
is "$STATUS" 403 "a non-operator cannot create organisations"
is "$(sql "SELECT count(*) FROM orgs WHERE name = 'Sneaky'")" 0 "nothing was written"

cgi_login ops@keepword.example; ok $? "the operator signs in"
cgi GET /operator "" "$SESSION"
is "$STATUS" 200 "the operator page opens"
like "$OUT" 'Northwind Foods' "organisations are listed"
like "$OUT" '<option value="quarterly" selected>' "quarterly is the default cadence"

cgi POST /operator/orgs "csrf=$CSRF&org_name=" "$SESSION"
is "$STATUS" 400 "an empty name is refused"
like "$OUT" 'id="org_name-err">Name is required' "the error is next to the field"
cgi POST /operator/orgs "csrf=$CSRF&org_name=Cedar%20Analytics" "$SESSION"
is "$STATUS" 303 "an organisation is created"
is "$(sql "SELECT count(*) FROM orgs WHERE name = 'Cedar Analytics'")" 1 "the row exists"
cgi POST /operator/orgs "csrf=$CSRF&org_name=Cedar%20Analytics" "$SESSION"
is "$STATUS" 409 "a duplicate name is a conflict"

nw=$(sql "SELECT id FROM orgs WHERE name = 'Northwind Foods'")
cedar=$(sql "SELECT id FROM orgs WHERE name = 'Cedar Analytics'")
before=$(sql "SELECT count(*) FROM accounts")
cgi POST /operator/accounts "csrf=$CSRF&title=Self&buyer=$nw&supplier=$nw&cadence=monthly" "$SESSION"
is "$STATUS" 400 "buyer and supplier must differ"
like "$OUT" 'id="supplier-err">' "the supplier field says why"
cgi POST /operator/accounts "csrf=$CSRF&title=X&buyer=$nw&supplier=$cedar&cadence=weekly&start=2026-02-30" "$SESSION"
is "$STATUS" 400 "an unknown cadence and an impossible date are refused"
like "$OUT" 'id="cadence-err">' "the cadence error is shown"
like "$OUT" 'id="start-err">' "the date error is shown"
cgi POST /operator/accounts "csrf=$CSRF&title=X&buyer=$nw&supplier=$cedar&cadence=monthly&buyer_owner=carla%40acme.example" "$SESSION"
is "$STATUS" 400 "an owner from the wrong org is refused"
is "$(sql "SELECT count(*) FROM accounts")" "$before" "nothing was written"

cgi POST /operator/accounts "csrf=$CSRF&title=Northwind%20%E2%87%84%20Cedar%20data&buyer=$nw&supplier=$cedar&cadence=monthly&start=2026-01-01&buyer_owner=ben%40northwind.example" "$SESSION"
is "$STATUS" 303 "an account is opened"
is "$(sql "SELECT cadence || '|' || start_date FROM accounts WHERE title = 'Northwind ⇄ Cedar data'")" "monthly|2026-01-01" "the account row is right"

cgi_login ben@northwind.example; ok $? "ben signs in"
cgi GET / "" "$SESSION"
like "$OUT" 'Northwind ⇄ Cedar data' "the buyer's people see the new account"

done_testing
