#!/bin/sh
# t-cgi-accounts.sh: the dashboard and account pages, and tenant isolation.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acme=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
[ -n "$acme" ] && [ -n "$blue" ]; ok $? "the demo data holds both accounts"

cgi_login anna@northwind.example; ok $? "anna (buyer admin) signs in"
cgi GET / "" "$SESSION"
is "$STATUS" 200 "anna's dashboard answers 200"
like "$OUT" "href=\"/accounts/$acme\">Northwind ⇄ Acme packaging supply<" "anna sees the Acme account"
like "$OUT" "href=\"/accounts/$blue\">Northwind ⇄ Bluefield freight<" "anna sees the Bluefield account"
like "$OUT" 'side-buyer' "anna's side is buyer"
like "$OUT" 'Acme Packaging' "the counterpart is named"

cgi GET "/accounts/$acme" "" "$SESSION"
is "$STATUS" 200 "anna opens the Acme account"
like "$OUT" '<h1>Northwind ⇄ Acme packaging supply</h1>' "the account page shows its title"
like "$OUT" 'Carla Diaz' "the supplier's owner is shown"
like "$OUT" 'quarterly' "the cadence is shown"

cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
cgi GET "/accounts/$acme" "" "$SESSION"
is "$STATUS" 200 "the supplier opens the same account"
like "$OUT" 'You are the <strong>supplier</strong>' "the supplier sees its side"
cgi GET "/accounts/$blue" "" "$SESSION"
is "$STATUS" 404 "Acme cannot open the Bluefield account"
cgi GET / "" "$SESSION"
unlike "$OUT" 'Bluefield freight' "Acme's dashboard does not list the Bluefield account"

cgi_login fay@bluefield.example; ok $? "fay (another supplier) signs in"
cgi GET "/accounts/$acme" "" "$SESSION"
is "$STATUS" 404 "a third org gets 404 on the Acme account"
cp "$OUT" "$T_TMP/forbidden"
cgi GET "/accounts/999999" "" "$SESSION"
is "$STATUS" 404 "a missing account answers 404"
cmp -s "$OUT" "$T_TMP/forbidden"; ok $? "another org's account looks exactly like a missing one"
cgi GET "/accounts/abc" "" "$SESSION"
is "$STATUS" 404 "a malformed id answers 404"
cgi GET "/accounts/-1" "" "$SESSION"
is "$STATUS" 404 "a negative id answers 404"
cgi GET "/accounts/99999999999999999999999" "" "$SESSION"
is "$STATUS" 404 "an overflowing id answers 404"

cgi GET "/accounts/$acme"
is "$STATUS" 303 "anonymous visitors are sent to sign in"

done_testing
