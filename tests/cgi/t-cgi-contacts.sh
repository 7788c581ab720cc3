#!/bin/sh
# t-cgi-contacts.sh: an account's contact log: list, log, detail, withdraw.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
anna_id=$(sql "SELECT id FROM users WHERE email = 'anna@northwind.example'")
contacts() { sql "SELECT count(*) || '/' || count(withdrawn_at) FROM contacts"; }
audits() { sql "SELECT count(*) FROM audit_events WHERE entity = 'contact'"; }
LIST="/accounts/$acct/contacts"

cgi_login anna@northwind.example; ok $? "anna (buyer admin) signs in"
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi GET "$LIST" "" "$ANNA"
is "$STATUS" 200 "the contact log opens"
like "$OUT" '<h1>Contacts</h1>' "it is headed Contacts"
like "$OUT" 'No contacts have been logged yet' "an empty log says so"
for f in date channel participants summary next_step f-side f-channel; do
	like "$OUT" "<label for=\"$f\">" "the $f field has a label"
done
like "$OUT" 'id="date" name="date" type="date" required max="2026-03-02" value="2026-03-02"' \
	"the date defaults to today, which is also the latest allowed"
like "$OUT" '<option value="video">video</option>' "every channel is offered"

# ---- logging a contact ----------------------------------------------------
summary=$(printf '<script>alert(1)</script> Qualität geprüft ✓\nSecond line')
cgi POST "$LIST" "csrf=$ANNA_CSRF&date=2026-02-27&channel=visit&participants=$(urlenc 'Anna Berg, Carla Díaz')&summary=$(urlenc "$summary")&next_step=$(urlenc 'Send the <b>specs</b>')" "$ANNA"
is "$STATUS" 303 "a contact is logged"
c1=$(sql "SELECT max(id) FROM contacts")
like "$HDR" "^Location: .*/accounts/$acct/contacts/$c1\\?notice=contact-logged\$" \
	"then the new contact is shown, with a notice"
is "$(sql "SELECT side || '|' || contact_date || '|' || channel || '|' || participants || '|' || next_step || '|' || created_by FROM contacts WHERE id = $c1")" \
	"buyer|2026-02-27|visit|Anna Berg, Carla Díaz|Send the <b>specs</b>|$anna_id" \
	"the row holds what was typed, Unicode intact"
is "$(sql "SELECT summary FROM contacts WHERE id = $c1")" "$summary" "a multi-line summary round-trips"
is "$(sql "SELECT action || ' ' || detail || ' ' || actor_user_id FROM audit_events WHERE entity = 'contact' AND entity_id = $c1")" \
	"create 2026-02-27 visit $anna_id" "the contact is audited with its actor"
is "$(sql "SELECT count(*) FROM notifications")" 0 "logging a contact notifies nobody"

cgi GET "$LIST/$c1?notice=contact-logged" "" "$ANNA"
is "$STATUS" 200 "the contact's page opens"
like "$OUT" 'role="status">The contact was logged' "the notice is shown"
like "$OUT" '&lt;script&gt;alert\(1\)&lt;/script&gt; Qualität geprüft ✓' "HTML in the summary is shown as text"
unlike "$OUT" '<script>alert' "no markup is injected"
like "$OUT" 'Send the &lt;b&gt;specs&lt;/b&gt;' "the next step is escaped too"
like "$OUT" 'Carla Díaz' "participants are shown"
like "$OUT" '>Withdraw contact</button>' "the logging side may withdraw it"

cgi GET "$LIST" "" "$ANNA"
like "$OUT" "href=\"/accounts/$acct/contacts/$c1\"><time datetime=\"2026-02-27\">2026-02-27</time>" "the list links the contact by date"
like "$OUT" '&lt;script&gt;alert' "the list escapes the summary"

# ---- bad input --------------------------------------------------------------
state() { echo "$(contacts)|$(audits)"; }
bad() { bad_form "$1" state "$LIST" "csrf=$ANNA_CSRF&$2" "$ANNA" "$3" "$4" "${5-}"; }
good="channel=call&participants=Anna&summary=Talked"
bad "an empty date" "date=&$good" date 'Date is required.'
bad "a date that is not a date" "date=2026-02-30&$good" date 'Enter a date as YYYY-MM-DD.' 'value="2026-02-30"'
bad "a date in words" "date=yesterday&$good" date 'Enter a date as YYYY-MM-DD.' 'value="yesterday"'
bad "a date in the future" "date=2026-03-03&$good" date 'The date cannot be in the future.' 'value="2026-03-03"'
bad "an unknown channel" "date=2026-03-01&channel=fax&participants=Anna&summary=Talked" channel 'Channel is not one of the choices.' '>Talked</textarea>'
bad "no channel" "date=2026-03-01&participants=Anna&summary=Talked" channel 'Channel is required.'
bad "empty participants" "date=2026-03-01&channel=call&participants=&summary=Kept%20text" participants 'Participants is required.' '>Kept text</textarea>'
bad "an empty summary" "date=2026-03-01&channel=call&participants=Ann%C3%A9&summary=%20%20" summary 'Summary is required.' '>Anné</textarea>'
bad "over-long participants" "date=2026-03-01&channel=call&participants=$(long 2001)&summary=x" participants 'Participants must be at most 2000 characters.'
bad "an over-long summary" "date=2026-03-01&channel=call&participants=x&summary=$(long 10001)" summary 'Summary must be at most 10000 characters.'
bad "an over-long next step" "date=2026-03-01&channel=call&participants=x&summary=x&next_step=$(long 2001)" next_step 'Next step must be at most 2000 characters.'
bad "a control character" "date=2026-03-01&channel=call&participants=x&summary=a%07b" summary 'Summary contains characters that are not allowed.'
like "$OUT" 'class="error" role="alert">Please correct the fields marked below' "the form says something is wrong"

before=$(contacts)
cgi POST "$LIST" "csrf=wrong&date=2026-03-01&$good" "$ANNA"
is "$STATUS" 403 "a wrong CSRF token is refused"
cgi POST "$LIST" "date=2026-03-01&$good" "$ANNA"
is "$STATUS" 403 "a missing CSRF token is refused"
is "$(contacts)" "$before" "nothing is written without the token"

# ---- the other side, and strangers -----------------------------------------
cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi GET "$LIST/$c1" "" "$CARLA"
is "$STATUS" 200 "the other side sees the contact"
unlike "$OUT" '>Withdraw contact</button>' "but is not offered to withdraw it"
abefore=$(audits)
cgi POST "$LIST/$c1/withdraw" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 403 "the other side cannot withdraw it"
like "$OUT" 'role="alert">Only the side that logged this contact can withdraw it.' "the page says why"
is "$(contacts)|$(audits)" "$before|$abefore" "the contact stays as it was"
cgi POST "$LIST" "csrf=$CARLA_CSRF&date=2026-03-02&channel=video&participants=Carla%2C%20Ben&summary=Weekly%20call" "$CARLA"
is "$STATUS" 303 "the supplier logs a contact too"
c2=$(sql "SELECT max(id) FROM contacts")
is "$(sql "SELECT side FROM contacts WHERE id = $c2")" supplier "it is the supplier's"

cgi_login erik@bluefield.example; ok $? "erik (not party to the Acme account) signs in"
ERIK=$SESSION
before=$(contacts); abefore=$(audits)
cgi GET "$LIST" "" "$ERIK"
is "$STATUS" 404 "a stranger gets 404 on the log"
unlike "$OUT" 'Carla' "and sees nothing of it"
cgi GET "$LIST/$c1" "" "$ERIK"
is "$STATUS" 404 "a stranger gets 404 on a contact"
cgi POST "$LIST" "csrf=$CSRF&date=2026-03-01&$good" "$ERIK"
is "$STATUS" 404 "a stranger cannot log a contact"
cgi POST "$LIST/$c1/withdraw" "csrf=$CSRF" "$ERIK"
is "$STATUS" 404 "a stranger cannot withdraw a contact"
is "$(contacts)|$(audits)" "$before|$abefore" "strangers change nothing"

cgi GET "/accounts/$blue/contacts/$c1" "" "$ANNA"
is "$STATUS" 404 "a contact is only found under its own account"
cgi GET "$LIST/999999" "" "$ANNA"
is "$STATUS" 404 "a missing contact answers 404"
cgi GET "$LIST/abc" "" "$ANNA"
is "$STATUS" 404 "a malformed id answers 404"
cgi POST "$LIST/999999/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 404 "withdrawing a missing contact answers 404"
cgi GET "$LIST"
is "$STATUS" 303 "anonymous visitors are sent to sign in"

# ---- withdrawing --------------------------------------------------------------
cgi_login ben@northwind.example; ok $? "ben (buyer member) signs in"
BEN=$SESSION; BEN_CSRF=$CSRF
cgi POST "$LIST/$c1/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 303 "anyone of the logging side may withdraw it"
like "$HDR" "^Location: .*/accounts/$acct/contacts/$c1\\?notice=contact-withdrawn\$" "back to the contact with a notice"
is "$(sql "SELECT withdrawn_at FROM contacts WHERE id = $c1")" "2026-03-02T09:00:00Z" "the row is marked withdrawn, not deleted"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'contact' AND entity_id = $c1 AND action = 'withdraw'")" 1 "the withdrawal is audited"
cgi GET "$LIST/$c1?notice=contact-withdrawn" "" "$BEN"
like "$OUT" 'role="status">The contact was withdrawn.' "the notice is shown"
like "$OUT" 'class="tag">withdrawn</span> on 2026-03-02T09:00:00Z' "the contact shows it is withdrawn"
unlike "$OUT" '>Withdraw contact</button>' "and offers no second withdrawal"
before=$(contacts); abefore=$(audits)
cgi POST "$LIST/$c1/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 409 "withdrawing twice is a conflict"
like "$OUT" 'role="alert">This contact has already been withdrawn.' "the page says why"
is "$(contacts)|$(audits)" "$before|$abefore" "nothing changes"

# ---- filters and pages ----------------------------------------------------
cgi GET "$LIST?side=supplier" "" "$BEN"
is "$STATUS" 200 "the log filters by side"
like "$OUT" "contacts/$c2\"" "the supplier's contact is listed"
unlike "$OUT" "contacts/$c1\"" "the buyer's is not"
like "$OUT" '<option value="supplier" selected>' "the filter shows what is chosen"
like "$OUT" '<td class="text">—</td>' "a contact without a next step shows a dash"
cgi GET "$LIST?channel=visit" "" "$BEN"
like "$OUT" "contacts/$c1\"" "the log filters by channel"
unlike "$OUT" "contacts/$c2\"" "other channels are left out"
like "$OUT" 'class="tag">withdrawn' "withdrawn contacts stay listed, marked"
cgi GET "$LIST?channel=meeting" "" "$BEN"
like "$OUT" 'No contacts match these filters' "an empty result says so"
cgi GET "$LIST?channel=fax" "" "$BEN"
is "$STATUS" 400 "an unknown channel filter is refused"
like "$OUT" 'id="f-channel-err">Channel is not one of the choices.' "the message is next to the filter"
like "$OUT" "contacts/$c1\"" "and the whole log is shown"
cgi GET "$LIST?side=nobody" "" "$BEN"
is "$STATUS" 400 "an unknown side filter is refused"
like "$OUT" 'id="f-side-err">Logged by is not one of the choices.' "the message is next to that filter"

e200=$(printf '%200s' "" | sed 's/ /é/g'); e80=$(printf '%80s' "" | sed 's/ /é/g')
cgi POST "$LIST" "csrf=$BEN_CSRF&date=2026-03-01&channel=email&participants=Ben&summary=$(urlenc "$e200")" "$BEN"
is "$STATUS" 303 "a long summary is logged"
c3=$(sql "SELECT max(id) FROM contacts")
cgi GET "$LIST?channel=email" "" "$BEN"
like "$OUT" "<td class=\"text\">$e80…</td>" "the list shows its start, cut between characters"
cgi GET "$LIST/$c3" "" "$BEN"
like "$OUT" "<dd class=\"text\">$e200</dd>" "the contact's page shows all of it"

sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
	INSERT INTO contacts (account_id, side, contact_date, channel, participants, summary, created_by, created_at)
	SELECT $acct, 'buyer', '2025-12-' || printf('%02d', i), 'call', 'Team', 'Call ' || i, $anna_id, '2026-03-02T09:00:00Z' FROM n"
cgi GET "$LIST?side=buyer" "" "$BEN"
like "$OUT" 'Page 1 of 2' "a long log is paged"
like "$OUT" "href=\"/accounts/$acct/contacts\\?side=buyer&amp;page=2\" rel=\"next\"" "the next page keeps the filter"
is "$(grep -c 'contacts/[0-9]*"><time' "$OUT")" 20 "twenty contacts a page"
cgi GET "$LIST?side=buyer&page=2" "" "$BEN"
is "$(grep -c 'contacts/[0-9]*"><time' "$OUT")" 7 "the rest on page two"
like "$OUT" 'rel="prev"' "page two links back"

done_testing
