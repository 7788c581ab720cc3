#!/bin/sh
# t-cgi-owners.sh: the owners page: both sides' history, handing one's own
# side over with a note, the rules and the errors.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acme=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
anna=$(sql "SELECT id FROM users WHERE email = 'anna@northwind.example'")
ben=$(sql "SELECT id FROM users WHERE email = 'ben@northwind.example'")
carla=$(sql "SELECT id FROM users WHERE email = 'carla@acme.example'")
owner() { sql "SELECT user_id FROM account_owners WHERE account_id = $acme AND side = '$1' AND until IS NULL"; }
rows() { sql "SELECT count(*) FROM account_owners"; }

cgi_login anna@northwind.example; ok $? "anna (buyer admin) signs in"
ANNA=$SESSION; ANNA_CSRF=$CSRF
# a deactivated colleague, who cannot take over
cgi POST /org/users "csrf=$CSRF&name=Gus+Gone&email=gus%40northwind.example&role=member&password=long-enough-pw" "$SESSION"
gus=$(sql "SELECT id FROM users WHERE email = 'gus@northwind.example'")
cgi POST "/org/users/$gus/deactivate" "csrf=$CSRF" "$SESSION"
is "$(sql "SELECT active FROM users WHERE id = $gus")" 0 "a deactivated colleague exists"

cgi GET "/accounts/$acme/owners" "" "$SESSION"
is "$STATUS" 200 "the owners page answers 200"
like "$OUT" '<h1>Account owners</h1>' "it has its heading"
like "$OUT" 'Our side: Northwind Foods' "our side comes first"
like "$OUT" 'Their side: Acme Packaging' "their side is shown too"
like "$OUT" '<th scope="row">Anna Berg</th>' "our owner is listed"
like "$OUT" '<th scope="row">Carla Diaz</th>' "their owner is listed"
like "$OUT" '<strong>current owner</strong>' "the current owners are marked"
unlike "$OUT" 'Handed over to you' "a first owner has no handover to read"
like "$OUT" 'Hand our side over' "an admin gets the handover form"
like "$OUT" '<label for="owner">New owner</label>' "the owner field has a label"
like "$OUT" '<label for="note">Handover note</label>' "the note field has a label"
like "$OUT" "<option value=\"$ben\">Ben Okafor</option>" "the org's active people are offered"
like "$OUT" "<option value=\"$anna\">Anna Berg \\(current owner\\)</option>" "the current owner is marked"
unlike "$OUT" "<option value=\"$gus\">" "deactivated people are not offered"
unlike "$OUT" "<option value=\"$carla\">" "the other org's people are not offered"

# ---- bad input ----
before=$(rows)
note='<b>Call Carla</b> about «Zoë» ⇄'
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=&note=$(urlenc "$note")" "$SESSION"
is "$STATUS" 400 "a missing new owner is refused"
like "$OUT" 'id="owner-err">New owner is required' "the message sits next to the field"
like "$OUT" 'aria-invalid="true" aria-describedby="owner-err"' "the field is marked invalid"
like "$OUT" '&lt;b&gt;Call Carla&lt;/b&gt; about «Zoë» ⇄</textarea>' "the note is kept, HTML as text"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=abc&note=x" "$SESSION"
is "$STATUS" 400 "a malformed owner is refused"
like "$OUT" 'id="owner-err">' "the message sits next to the field"
long=$(printf '%2001s' '' | tr ' ' 'n')
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$ben&note=$long" "$SESSION"
is "$STATUS" 400 "an over-long note is refused"
like "$OUT" 'id="note-err">Handover note must be at most 2000 characters' "the length is named next to the note"
like "$OUT" "n{2001}</textarea>" "the note is kept"
like "$OUT" "<option value=\"$ben\" selected>Ben Okafor</option>" "the chosen owner is kept"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$carla&note=$(urlenc "$note")" "$SESSION"
is "$STATUS" 400 "a person of another org is refused"
like "$OUT" 'id="owner-err">Choose an active person of Northwind Foods' "the message says whom to choose"
like "$OUT" '&lt;b&gt;Call Carla&lt;/b&gt; about «Zoë» ⇄</textarea>' "the note is kept"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$gus&note=x" "$SESSION"
is "$STATUS" 400 "a deactivated person is refused"
like "$OUT" 'id="owner-err">Choose an active person' "the message sits next to the field"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=999999&note=x" "$SESSION"
is "$STATUS" 400 "a missing person is refused"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$anna&note=$(urlenc "$note")" "$SESSION"
is "$STATUS" 409 "handing over to the current owner is a conflict"
like "$OUT" 'id="owner-err">This person already owns your side' "the conflict is explained next to the field"
like "$OUT" '&lt;b&gt;Call Carla&lt;/b&gt; about «Zoë» ⇄</textarea>' "the note is kept"
cgi POST "/accounts/$acme/owners" "csrf=wrong&owner=$ben&note=x" "$SESSION"
is "$STATUS" 403 "a wrong CSRF token is refused"
is "$(rows)" "$before" "nothing was written"
is "$(owner buyer)" "$anna" "anna still owns the buyer side"

# ---- a member who does not own the side ----
cgi_login ben@northwind.example; ok $? "ben (member) signs in"
BEN=$SESSION; BEN_CSRF=$CSRF
cgi GET "/accounts/$acme/owners" "" "$SESSION"
is "$STATUS" 200 "a member sees the owners"
unlike "$OUT" 'Hand our side over' "but no handover form"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$ben&note=mine" "$SESSION"
is "$STATUS" 403 "a member who is not the owner cannot hand over"
like "$OUT" 'Only an admin or the current owner' "the reason is given"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=&note=" "$SESSION"
is "$STATUS" 403 "not even with bad input"
is "$(owner buyer)" "$anna" "nothing changed"

# ---- the handover ----
multi="$note
Second line."
cgi POST "/accounts/$acme/owners" "csrf=$ANNA_CSRF&owner=$ben&note=$(urlenc "$multi")" "$ANNA"
is "$STATUS" 303 "anna hands the buyer side to ben"
is "$(header Location)" "http://127.0.0.1:8080/accounts/$acme/owners?notice=owner-handed-over" "back to the owners page with a notice"
is "$(owner buyer)" "$ben" "ben owns the buyer side"
is "$(owner supplier)" "$carla" "the supplier side is untouched"
is "$(sql "SELECT handover_note || '|' || set_by FROM account_owners WHERE account_id = $acme AND side = 'buyer' AND until IS NULL")" \
	"$multi|$anna" "the note and who handed over are kept, Unicode intact"
is "$(sql "SELECT count(*) FROM account_owners WHERE account_id = $acme AND side = 'buyer' AND user_id = $anna AND until IS NOT NULL")" 1 \
	"anna's ownership is ended, not deleted"
is "$(sql "SELECT count(*) FROM audit_events WHERE account_id = $acme AND entity = 'account_owner' AND action = 'set' AND actor_user_id = $anna AND detail = 'buyer'")" 1 \
	"the handover is audited"

cgi GET "/accounts/$acme/owners?notice=owner-handed-over" "" "$BEN"
is "$STATUS" 200 "the new owner opens the owners page"
like "$OUT" 'role="status">Your side of the account was handed over' "the notice is shown"
like "$OUT" '<h2 id="handover-h">Handed over to you</h2>' "the new owner is told"
like "$OUT" 'Handed over to you by <strong>Anna Berg</strong> on <time datetime="[0-9T:-]*Z">' "by whom and when"
like "$OUT" '</time>:</p>' "the previous owner is not named twice"
like "$OUT" '<blockquote class="thread-body">&lt;b&gt;Call Carla&lt;/b&gt; about «Zoë» ⇄' "the note is shown as text"
like "$OUT" 'Hand our side over' "the owner, a member, may hand over"
cgi GET "/accounts/$acme/owners" "" "$ANNA"
unlike "$OUT" 'Handed over to you' "the note is for the new owner"
like "$OUT" '<td class="thread-body">&lt;b&gt;Call Carla' "the history shows the note to everyone"

cgi POST "/accounts/$acme/owners" "csrf=$BEN_CSRF&owner=$anna&note=" "$BEN"
is "$STATUS" 303 "the owner (a member) hands back, without a note"
is "$(owner buyer)" "$anna" "anna owns the buyer side again"
is "$(sql "SELECT handover_note IS NULL FROM account_owners WHERE account_id = $acme AND side = 'buyer' AND until IS NULL")" 1 "with no note"
cgi GET "/accounts/$acme/owners" "" "$ANNA"
like "$OUT" 'Handed over to you by <strong>Ben Okafor</strong>.*, without a note\.' "the new owner learns there is no note"

# ---- the other side ----
cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
cgi GET "/accounts/$acme/owners" "" "$SESSION"
like "$OUT" 'Our side: Acme Packaging' "the supplier's side comes first for the supplier"
like "$OUT" '<option value="[0-9]*">Dev Patel</option>' "the supplier's people are offered"
unlike "$OUT" "<option value=\"$ben\">" "not the buyer's"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$ben&note=x" "$SESSION"
is "$STATUS" 400 "the supplier cannot make a buyer its owner"
is "$(owner supplier)" "$carla" "nothing changed"

# ---- another org ----
cgi_login erik@bluefield.example; ok $? "erik (unrelated supplier admin) signs in"
before=$(rows)
cgi GET "/accounts/$acme/owners" "" "$SESSION"
is "$STATUS" 404 "another org gets 404"
unlike "$OUT" 'Anna Berg' "and sees nothing"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=$anna&note=x" "$SESSION"
is "$STATUS" 404 "another org cannot hand over"
cgi POST "/accounts/$acme/owners" "csrf=$CSRF&owner=&note=" "$SESSION"
is "$STATUS" 404 "another org gets 404, not a form, for bad input"
is "$(rows)" "$before" "nothing was written"
cgi GET "/accounts/999999/owners" "" "$SESSION"
is "$STATUS" 404 "a missing account answers 404"

cgi GET "/accounts/$acme/owners"
is "$STATUS" 303 "anonymous visitors are sent to sign in"

done_testing
