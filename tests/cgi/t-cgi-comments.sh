#!/bin/sh
# t-cgi-comments.sh: comment threads on ledger entries: adding, withdrawing,
# bad input, tenant isolation. Entries are inserted straight into the tables.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acme=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
carla=$(sql "SELECT id FROM users WHERE email = 'carla@acme.example'")
ben=$(sql "SELECT id FROM users WHERE email = 'ben@northwind.example'")
now="'2026-03-01T10:00:00Z'"

# one entry of each kind in the Acme account, and a promise elsewhere
sql "INSERT INTO expectations (account_id, from_side, title, created_by, created_at) VALUES ($acme, 'buyer', 'Full pallets', $ben, $now)"
sql "INSERT INTO updates (account_id, side, kind, title, created_by, created_at) VALUES ($acme, 'supplier', 'direction', 'New plant', $carla, $now)"
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at) VALUES ($acme, 'supplier', 'Samples', '2026-04-01', '2026-04-01', $carla, $now)"
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at) VALUES ($acme, 'supplier', 'Second', '2026-04-01', '2026-04-01', $carla, $now)"
sql "INSERT INTO contacts (account_id, side, contact_date, channel, participants, summary, created_by, created_at) VALUES ($acme, 'buyer', '2026-02-27', 'call', 'Anna, Carla', 'Kick-off', $ben, $now)"
sql "INSERT INTO feedback (account_id, from_side, rating, created_by, created_at) VALUES ($acme, 'buyer', 4, $ben, $now)"
sql "INSERT INTO concerns (account_id, raised_by_side, title, created_by, created_at) VALUES ($acme, 'buyer', 'Late trucks', $ben, $now)"
p=$(sql "SELECT min(id) FROM promises WHERE account_id = $acme")
p2=$(sql "SELECT max(id) FROM promises WHERE account_id = $acme")
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at) VALUES ($blue, 'buyer', 'Elsewhere', '2026-04-01', '2026-04-01', $ben, $now)"
q=$(sql "SELECT id FROM promises WHERE account_id = $blue")
comments() { sql "SELECT count(*) FROM comments"; }

cgi_login ben@northwind.example; ok $? "ben (buyer member) signs in"
BEN=$SESSION; BEN_CSRF=$CSRF

# ---- adding ----
text='<b>Samples</b> by Friday? «Zoë» ⇄ 😀'
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=$(urlenc "$text")" "$SESSION"
is "$STATUS" 303 "a comment is added"
is "$(header Location)" "http://127.0.0.1:8080/accounts/$acme/promises/$p#comments" "back to the entry's comments"
is "$(sql "SELECT body || '|' || entity || '|' || entity_id || '|' || side || '|' || created_by FROM comments")" \
	"$text|promise|$p|buyer|$ben" "the row holds the text as typed, Unicode intact"
c1=$(sql "SELECT max(id) FROM comments")
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'comment' AND entity_id = $c1 AND action = 'create' AND actor_user_id = $ben AND account_id = $acme AND detail = 'on promise $p'")" 1 \
	"the comment is audited with its actor"

# every plural maps to its entity and its own table
for pair in expectations:expectation updates:update promises:promise \
    contacts:contact feedback:feedback concerns:concern; do
	plural=${pair%%:*}; entity=${pair#*:}
	eid=$(sql "SELECT min(id) FROM $plural WHERE account_id = $acme")
	cgi POST "/accounts/$acme/$plural/$eid/comments" "csrf=$CSRF&comment_body=On+$entity" "$SESSION"
	is "$STATUS" 303 "a comment on a $entity is added"
	is "$(header Location)" "http://127.0.0.1:8080/accounts/$acme/$plural/$eid#comments" "back to the $entity"
	is "$(sql "SELECT entity || '|' || entity_id FROM comments WHERE body = 'On $entity'")" "$entity|$eid" \
		"the comment is on that $entity"
done

# ---- entries that are not there ----
before=$(comments)
cgi POST "/accounts/$acme/reviews/$p/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "an unknown kind of entry answers 404"
cgi POST "/accounts/$acme/comments/$p/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "comments on comments answer 404"
cgi POST "/accounts/$acme/concerns/$p2/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "a promise's id under concerns answers 404"
cgi POST "/accounts/$acme/promises/$q/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "an entry of another account answers 404"
cgi POST "/accounts/$acme/promises/999999/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "a missing entry answers 404"
cgi POST "/accounts/$acme/promises/abc/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "a malformed entry id answers 404"
cgi POST "/accounts/999999/promises/$p/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "a missing account answers 404"
is "$(comments)" "$before" "nothing was written"
cgi GET "/accounts/$acme/promises/$p/comments" "" "$SESSION"
is "$STATUS" 405 "the comments address only takes POST"

# ---- bad input ----
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=" "$SESSION"
is "$STATUS" 400 "an empty comment is refused"
like "$OUT" 'id="comment-body-err">Comment is required' "the message sits next to the field"
like "$OUT" 'aria-invalid="true"' "the field is marked invalid"
like "$OUT" '<label for="comment-body">' "the field has a label"
like "$OUT" "action=\"/accounts/$acme/promises/$p/comments\"" "the form posts to the same entry"
like "$OUT" "href=\"/accounts/$acme/promises/$p\"" "the page links back to the entry"
like "$OUT" '&lt;b&gt;Samples&lt;/b&gt; by Friday\? «Zoë» ⇄ 😀' "the thread shows earlier comments, HTML as text"
unlike "$OUT" '<b>Samples' "no markup is injected"
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=$(urlenc '   
	 ')" "$SESSION"
is "$STATUS" 400 "a blank comment is refused"
long=$(printf '%10001s' '' | tr ' ' 'a')
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=%3Ci%3E+$long" "$SESSION"
is "$STATUS" 400 "an over-long comment is refused"
like "$OUT" 'id="comment-body-err">Comment must be at most 10000 characters' "the length is named next to the field"
like "$OUT" "&lt;i&gt; a{10001}</textarea>" "the text is kept, HTML as text"
is "$(comments)" "$before" "nothing was written for bad input"

cgi POST "/accounts/$acme/promises/$p/comments" "csrf=wrong&comment_body=x" "$SESSION"
is "$STATUS" 403 "a wrong CSRF token is refused"
cgi POST "/accounts/$acme/promises/$p/comments" "comment_body=x" "$SESSION"
is "$STATUS" 403 "a missing CSRF token is refused"
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=x"
is "$STATUS" 303 "an anonymous visitor is sent to sign in, not heard"
is "$(comments)" "$before" "nothing was written without a valid token"

# ---- the other side, and withdrawing ----
cgi_login dev@acme.example; ok $? "dev (supplier member) signs in"
DEV=$SESSION; DEV_CSRF=$CSRF
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=$(urlenc 'Thursday.
Two pallets.')" "$SESSION"
is "$STATUS" 303 "the other side answers in the thread"
is "$(sql "SELECT side FROM comments WHERE body LIKE 'Thursday.%'")" supplier "the answer is on the supplier's side"
cgi POST "/accounts/$acme/comments/$c1/withdraw" "csrf=$CSRF" "$SESSION"
is "$STATUS" 403 "someone else's comment cannot be withdrawn"
like "$OUT" 'Only the author' "the reason is given"
is "$(sql "SELECT count(*) FROM comments WHERE withdrawn_at IS NOT NULL")" 0 "nothing was withdrawn"

cgi POST "/accounts/$acme/comments/$c1/withdraw" "csrf=wrong" "$BEN"
is "$STATUS" 403 "withdrawing needs the CSRF token"
cgi POST "/accounts/$blue/comments/$c1/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 404 "a comment under another account's address answers 404"
cgi POST "/accounts/$acme/comments/999999/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 404 "a missing comment answers 404"
cgi POST "/accounts/$acme/comments/$c1/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 303 "the author withdraws the comment"
is "$(header Location)" "http://127.0.0.1:8080/accounts/$acme/promises/$p?notice=comment-withdrawn#comments" \
	"back to the entry's comments with a notice"
is "$(sql "SELECT withdrawn_at IS NOT NULL FROM comments WHERE id = $c1")" 1 "the row is marked withdrawn"
is "$(sql "SELECT body FROM comments WHERE id = $c1")" "$text" "and kept, not deleted"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'comment' AND entity_id = $c1 AND action = 'withdraw' AND actor_user_id = $ben")" 1 \
	"the withdrawal is audited"
cgi POST "/accounts/$acme/comments/$c1/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 409 "a withdrawn comment cannot be withdrawn again"
like "$OUT" 'already withdrawn' "the conflict is explained"

cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$BEN_CSRF&comment_body=" "$BEN"
like "$OUT" '<em>withdrawn</em>' "a withdrawn comment shows as withdrawn"
unlike "$OUT" 'Samples&lt;/b&gt; by Friday' "without its text"
like "$OUT" 'Thursday\.' "the other side's comment is shown"
is "$(grep -c 'comments/[0-9]*/withdraw' "$OUT")" 1 "ben may withdraw only his standing comment"
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$DEV_CSRF&comment_body=" "$DEV"
is "$(grep -c 'comments/[0-9]*/withdraw' "$OUT")" 1 "dev may withdraw their own comment"
like "$OUT" '<time datetime="[0-9T:-]*Z">' "each comment says when"

# ---- another org ----
cgi_login erik@bluefield.example; ok $? "erik (unrelated supplier) signs in"
before=$(comments)
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=x" "$SESSION"
is "$STATUS" 404 "another org cannot comment on the account's entries"
cgi POST "/accounts/$acme/promises/$p/comments" "csrf=$CSRF&comment_body=" "$SESSION"
is "$STATUS" 404 "another org gets 404, not a form, for bad input"
unlike "$OUT" 'Thursday' "and sees none of the thread"
c2=$(sql "SELECT id FROM comments WHERE body LIKE 'Thursday.%'")
cgi POST "/accounts/$acme/comments/$c2/withdraw" "csrf=$CSRF" "$SESSION"
is "$STATUS" 404 "another org cannot withdraw a comment"
is "$(comments)" "$before" "nothing was written"
is "$(sql "SELECT count(*) FROM comments WHERE withdrawn_at IS NOT NULL")" 1 "nothing was withdrawn"

done_testing
