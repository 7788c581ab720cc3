#!/bin/sh
# t-cgi-inbox.sh: the notifications inbox, the unread count in the
# navigation, opening and marking read. Notifications are inserted
# straight into the table, as the ledger modules' notify_side() makes them.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acme=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
anna=$(sql "SELECT id FROM users WHERE email = 'anna@northwind.example'")
ben=$(sql "SELECT id FROM users WHERE email = 'ben@northwind.example'")
# note USER KIND ENTITY ID TEXT KEY [CREATED_AT]
note() {
	sql "INSERT INTO notifications (user_id, account_id, kind, entity, entity_id, text, key, created_at) VALUES ($1, $acme, '$2', '$3', $4, '$5', '$6', '${7:-2026-03-01T10:00:00Z}')"
}
i=1
while [ $i -le 23 ]; do
	note "$ben" update update "$i" "Update $i to read" "u$i" "2026-03-01T10:$(printf %02d $i):00Z"
	i=$((i + 1))
done
note "$ben" delivery promise 7 'Acme says <b>Samples</b> «Zoë» ⇄ were delivered' d7 2026-03-02T08:00:00Z
note "$ben" concern concern 3 'A concern was raised' c3 2026-03-02T08:30:00Z
note "$anna" delivery promise 7 'For Anna only' d7 2026-03-02T08:00:00Z
unread() { sql "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL"; }

cgi_login ben@northwind.example; ok $? "ben signs in"
cgi GET / "" "$SESSION"
like "$OUT" '<a href="/inbox">Inbox<span class="sr-only">,</span> <span class="badge">25<span class="sr-only"> unread</span></span></a>' \
	"the navigation shows the unread count, labelled for screen readers"

cgi GET /inbox "" "$SESSION"
is "$STATUS" 200 "the inbox answers 200"
like "$OUT" '<h1>Inbox</h1>' "it has its heading"
like "$OUT" 'href="/inbox" aria-current="page">Inbox' "the navigation marks the inbox"
is "$(grep -c '<a href="/inbox/[0-9]*">' "$OUT")" 20 "20 notifications a page"
first=$(grep -o '<a href="/inbox/[0-9]*">[^<]*' "$OUT" | head -1)
like "$OUT" 'A concern was raised' "the newest is listed"
case $first in *'A concern was raised'*) ok 0 "newest first" ;; *) ok 1 "newest first"; diag "$first" ;; esac
like "$OUT" 'Acme says &lt;b&gt;Samples&lt;/b&gt; «Zoë» ⇄ were delivered' "HTML in a notice is shown as text, Unicode intact"
unlike "$OUT" '<b>Samples' "no markup is injected"
like "$OUT" '<span class="tag">Unread</span>' "unread ones say so in words"
like "$OUT" 'Delivery to confirm' "the kind is named"
like "$OUT" 'Northwind ⇄ Acme packaging supply' "the account is named"
unlike "$OUT" 'For Anna only' "another user's notifications are not listed"
like "$OUT" 'Page 1 of 2' "the list is paged"
like "$OUT" 'href="/inbox\?page=2" rel="next"' "with a link to the next page"
like "$OUT" 'action="/inbox/read-all"' "there is a mark-all-read form"
cgi GET "/inbox?page=2" "" "$SESSION"
is "$(grep -c '<a href="/inbox/[0-9]*">' "$OUT")" 5 "the second page holds the rest"
like "$OUT" 'Update 1 to read' "down to the oldest"

# opening one marks it read and goes to the entry
nid=$(sql "SELECT id FROM notifications WHERE key = 'd7' AND user_id = $ben")
cgi GET "/inbox/$nid" "" "$SESSION"
is "$STATUS" 303 "opening a notification redirects"
is "$(header Location)" "http://127.0.0.1:8080/accounts/$acme/promises/7" "to its entry"
is "$(sql "SELECT read_at IS NOT NULL FROM notifications WHERE id = $nid")" 1 "it is now read"
is "$(unread "$ben")" 24 "one fewer unread"
cgi GET "/inbox/$nid" "" "$SESSION"
is "$STATUS" 303 "opening it again still works"
cgi GET / "" "$SESSION"
like "$OUT" '<span class="badge">24<span class="sr-only"> unread</span>' "the count follows"
cgi GET "/inbox?state=unread" "" "$SESSION"
is "$STATUS" 200 "the unread filter answers"
like "$OUT" 'href="/inbox\?state=unread" aria-current="page"' "the filter is marked"
unlike "$OUT" 'were delivered' "a read notification is not among the unread"
like "$OUT" 'href="/inbox\?state=unread&amp;page=2"' "paging keeps the filter"
cgi GET "/inbox" "" "$SESSION"
like "$OUT" '<span class="muted">Read</span>' "read ones say so in words"

anna_nid=$(sql "SELECT id FROM notifications WHERE user_id = $anna")
cgi GET "/inbox/$anna_nid" "" "$SESSION"
is "$STATUS" 404 "another user's notification answers 404"
is "$(unread "$anna")" 1 "and stays unread"
cgi GET "/inbox/999999" "" "$SESSION"
is "$STATUS" 404 "a missing notification answers 404"
cgi GET "/inbox/abc" "" "$SESSION"
is "$STATUS" 404 "a malformed id answers 404"
cgi GET "/inbox/read-all" "" "$SESSION"
is "$STATUS" 404 "read-all is not a notification"

cgi POST /inbox/read-all "csrf=wrong" "$SESSION"
is "$STATUS" 403 "marking all read needs the CSRF token"
is "$(unread "$ben")" 24 "nothing changed"
cgi POST /inbox/read-all "csrf=$CSRF" "$SESSION"
is "$STATUS" 303 "everything is marked read"
is "$(header Location)" "http://127.0.0.1:8080/inbox?notice=inbox-read" "back to the inbox with a notice"
is "$(unread "$ben")" 0 "none of ben's is unread"
is "$(unread "$anna")" 1 "anna's are untouched"
cgi GET "/inbox?notice=inbox-read" "" "$SESSION"
like "$OUT" 'role="status">All notifications are marked as read' "the notice is shown"
like "$OUT" '<a href="/inbox" aria-current="page">Inbox</a>' "no unread count is shown any more"
unlike "$OUT" 'action="/inbox/read-all"' "nor the mark-all-read form"
cgi GET "/inbox?state=unread" "" "$SESSION"
like "$OUT" 'You have no unread notifications' "the unread filter is empty"

# a notification about something without a page of its own
note "$ben" update account "$acme" 'About the account' acct1
nid=$(sql "SELECT id FROM notifications WHERE key = 'acct1'")
cgi GET "/inbox/$nid" "" "$SESSION"
is "$(header Location)" "http://127.0.0.1:8080/accounts/$acme" "falls back to the account page"

# another org
cgi_login erik@bluefield.example; ok $? "erik (unrelated supplier) signs in"
cgi GET /inbox "" "$SESSION"
is "$STATUS" 200 "erik has an inbox"
like "$OUT" 'You have no notifications yet' "and it is empty"
unlike "$OUT" 'Acme' "nothing of the Acme account shows"
cgi GET "/inbox/$anna_nid" "" "$SESSION"
is "$STATUS" 404 "another org's notification answers 404"
cgi POST /inbox/read-all "csrf=$CSRF" "$SESSION"
is "$STATUS" 303 "erik may mark his own read"
is "$(unread "$anna")" 1 "which touches no one else's"

cgi GET /inbox
is "$STATUS" 303 "anonymous visitors are sent to sign in"
cgi POST /inbox/read-all "csrf=x"
is "$STATUS" 303 "an anonymous POST is sent to sign in"

# A full inbox: the navigation counts up to 99, then says 99+.
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150) INSERT INTO notifications (user_id, account_id, kind, entity, entity_id, text, key, created_at) SELECT $ben, $acme, 'update', 'update', i, 'Notice ' || i, 'bulk:' || i, '2026-03-01T10:00:00Z' FROM n"
cgi_login ben@northwind.example
cgi GET / "" "$SESSION"
like "$OUT" '<span class="badge">99\+<span class="sr-only"> unread</span>' "past 99 unread the badge says 99+"

# Due-soon and overdue notices are made on every visit of the inbox, and
# on other pages only on a session's first request of each minute.
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
carla=$(sql "SELECT id FROM users WHERE email = 'carla@acme.example'")
promise() {
	sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at) VALUES ($acme, 'supplier', '$1', '$2', '$2', $carla, '2026-03-01T10:00:00Z'); SELECT last_insert_rowid()"
}
# due_notes PROMISE: carla's due-soon and overdue notices of PROMISE
due_notes() {
	sql "SELECT count(*) FROM notifications WHERE user_id = $carla AND entity = 'promise' AND entity_id = $1 AND kind IN ('due-soon', 'overdue')"
}
soon=$(promise 'Pallet labels' 2026-03-05)
late=$(promise 'Shelf plan' 2026-02-27)
cgi_login carla@acme.example; ok $? "carla signs in"
cgi GET / "" "$SESSION"
is "$(due_notes "$soon")" 0 "another page in the session's minute makes no due notice"
cgi GET /inbox "" "$SESSION"
is "$(due_notes "$soon")" 1 "the inbox makes the due-soon notice at once"
is "$(due_notes "$late")" 1 "and the overdue one"
like "$OUT" '&quot;Pallet labels&quot; falls due on 2026-03-05' "and lists them"
like "$OUT" '&quot;Shelf plan&quot; was due on 2026-02-27 and is overdue' "both"
next=$(promise 'Crate count' 2026-03-06)
cgi GET / "" "$SESSION"
is "$(due_notes "$next")" 0 "within the minute other pages still make none"
cgi GET /inbox "" "$SESSION"
is "$(due_notes "$next")" 1 "the inbox makes it on every visit"
is "$(due_notes "$soon")" 1 "once per promise and due date"
last=$(promise 'Label stock' 2026-03-07)
KEEPWORD_NOW=2026-03-02T09:01:00Z
cgi GET / "" "$SESSION"
is "$(due_notes "$last")" 1 "a session's first request of a new minute makes them on any page"
unset KEEPWORD_NOW

done_testing
