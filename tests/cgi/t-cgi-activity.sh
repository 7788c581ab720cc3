#!/bin/sh
# t-cgi-activity.sh: an account's activity page (its audit trail).
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acme=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
carla=$(sql "SELECT id FROM users WHERE email = 'carla@acme.example'")
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at) VALUES ($acme, 'supplier', 'Samples', '2026-04-01', '2026-04-01', $carla, '2026-03-01T10:00:00Z')"
p=$(sql "SELECT id FROM promises")
# A ledger module's own event, with HTML and Unicode in its detail.
sql "INSERT INTO audit_events (at, actor_user_id, actor_org_id, account_id, entity, entity_id, action, detail) SELECT '2026-03-01T10:00:00Z', id, org_id, $acme, 'promise', $p, 'create', '<b>Samples</b> «Zoë» ⇄' FROM users WHERE id = $carla"

cgi_login ben@northwind.example; ok $? "ben signs in"
i=1
while [ $i -le 21 ]; do
	cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=Comment+$i" "$SESSION"
	i=$((i + 1))
done
is "$STATUS" 303 "ben comments 21 times"
last=$(sql "SELECT max(id) FROM comments")
events=$(sql "SELECT count(*) FROM audit_events WHERE account_id = $acme")

cgi GET "/accounts/$acme/activity" "" "$SESSION"
is "$STATUS" 200 "the activity page answers 200"
like "$OUT" '<h1>Activity</h1>' "it has its heading"
like "$OUT" "href=\"/accounts/$acme\">Northwind ⇄ Acme packaging supply</a>" "the breadcrumb leads back to the account"
like "$OUT" ": $events events\." "it counts the account's events"
is "$(grep -c '<time datetime=' "$OUT")" 20 "20 events a page"
first=$(grep -m1 -A6 '<tbody>' "$OUT" | tr -d '\n')
case $first in *"#comment-$last\">comment $last<"*) ok 0 "newest first" ;; *) ok 1 "newest first"; diag "$first" ;; esac
like "$OUT" 'Ben Okafor <span class="muted">· Northwind Foods</span>' "who, with their org"
like "$OUT" "href=\"/accounts/$acme/promises/$p#comment-$last\">comment $last</a>" "a comment links to its place in the entry's thread"
like "$OUT" "<td>on promise $p</td>" "the detail is shown"
like "$OUT" '<td>create</td>' "the action is shown"
like "$OUT" 'Page 1 of 2' "the list is paged"
like "$OUT" "href=\"/accounts/$acme/activity\\?page=2\" rel=\"next\"" "with a link to the next page"

cgi GET "/accounts/$acme/activity?page=2" "" "$SESSION"
is "$STATUS" 200 "the second page answers"
like "$OUT" "href=\"/accounts/$acme/promises/$p\">promise $p</a>" "a ledger entity links to its entry"
like "$OUT" '&lt;b&gt;Samples&lt;/b&gt; «Zoë» ⇄' "HTML in a detail is shown as text, Unicode intact"
unlike "$OUT" '<b>Samples' "no markup is injected"
like "$OUT" 'Carla Diaz <span class="muted">· Acme Packaging</span>' "the other side's actors are shown"
like "$OUT" "href=\"/accounts/$acme\">account $acme</a>" "the account's own events link to it"
like "$OUT" "href=\"/accounts/$acme/owners\">account owner [0-9]*</a>" "owner changes link to the owners page"
like "$OUT" 'Northwind ⇄ Acme packaging supply</td>' "the account's creation shows its title"
cgi GET "/accounts/$acme/activity?page=99" "" "$SESSION"
is "$STATUS" 200 "a page past the end answers"
like "$OUT" 'Nothing has been recorded yet|Page 99 of 2' "and shows no events"
cgi GET "/accounts/$acme/activity?page=abc" "" "$SESSION"
is "$STATUS" 200 "a malformed page number means the first page"

cgi GET "/accounts/$blue/activity" "" "$SESSION"
is "$STATUS" 200 "the other account's activity answers"
unlike "$OUT" 'Comment 1' "and holds none of this account's events"

cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
cgi GET "/accounts/$acme/activity" "" "$SESSION"
is "$STATUS" 200 "the other party sees the same activity"
like "$OUT" ": $events events\." "all of it"

cgi_login erik@bluefield.example; ok $? "erik (unrelated supplier) signs in"
cgi GET "/accounts/$acme/activity" "" "$SESSION"
is "$STATUS" 404 "another org gets 404"
unlike "$OUT" 'Comment|Okafor' "and sees nothing of it"
cgi GET "/accounts/999999/activity" "" "$SESSION"
is "$STATUS" 404 "a missing account answers 404"
cgi GET "/accounts/abc/activity" "" "$SESSION"
is "$STATUS" 404 "a malformed account id answers 404"
cgi POST "/accounts/$acme/activity" "csrf=$CSRF" "$SESSION"
is "$STATUS" 405 "the activity page only answers GET"

cgi GET "/accounts/$acme/activity"
is "$STATUS" 303 "anonymous visitors are sent to sign in"

done_testing
