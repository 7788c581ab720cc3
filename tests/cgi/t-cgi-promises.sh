#!/bin/sh
# t-cgi-promises.sh: an account's promises: list, create, detail and every
# action, who may take it and when, and what is written.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
base="/accounts/$acct/promises"
uid() { sql "SELECT id FROM users WHERE email = '$1'"; }
count() { sql "SELECT count(*) FROM $1"; }
# everything an action on promise $1 could change, as one line
snap() {
	sql "SELECT state || due_date || coalesce(kept_on, '') ||
	    coalesce(closed_at, '') || coalesce(broken_reason, '') ||
	    (SELECT count(*) || coalesce(group_concat(outcome), '') FROM promise_deliveries WHERE promise_id = $1) ||
	    (SELECT count(*) || coalesce(group_concat(outcome), '') FROM promise_due_changes WHERE promise_id = $1) ||
	    (SELECT count(*) FROM audit_events) || (SELECT count(*) FROM notifications WHERE kind NOT IN ('due-soon', 'overdue'))
	    FROM promises WHERE id = $1"
}
# notified KIND PROMISE EMAIL: notices of KIND about PROMISE to EMAIL
notified() {
	sql "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
	    WHERE n.kind = '$1' AND n.entity = 'promise' AND n.entity_id = $2 AND u.email = '$3'"
}
# audited ACTION PROMISE EMAIL
audited() {
	sql "SELECT count(*) FROM audit_events a JOIN users u ON u.id = a.actor_user_id
	    WHERE a.entity = 'promise' AND a.entity_id = $2 AND a.action = '$1'
	    AND a.account_id = $acct AND u.email = '$3'"
}

cgi_login carla@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi_login dev@acme.example; DEV=$SESSION; DEV_CSRF=$CSRF
cgi_login anna@northwind.example; ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi_login ben@northwind.example; BEN=$SESSION; BEN_CSRF=$CSRF
cgi_login erik@bluefield.example; ERIK=$SESSION; ERIK_CSRF=$CSRF

# ---- the list and the form ---------------------------------------------
cgi GET "$base" "" "$CARLA"
is "$STATUS" 200 "the supplier opens the promises of the account"
like "$OUT" '<h2 id="new-h">Make a promise to Northwind Foods</h2>' "the form promises to the other side"
like "$OUT" 'No promises yet\.' "an empty list says so"
like "$OUT" '<label for="title">What you promise</label>' "the title field has a label"
like "$OUT" '<label for="due_date">Due date</label>' "the due date field has a label"
like "$OUT" 'type="date" min="2026-03-02" required' "the due date cannot be set before today"
like "$OUT" '<label for="f-state">State</label>' "the state filter has a label"
cgi GET "$base"
is "$STATUS" 303 "anonymous visitors are sent to sign in"

# ---- another org sees nothing -------------------------------------------
cgi GET "$base" "" "$ERIK"
is "$STATUS" 404 "another org's user gets 404 on the list"
cgi POST "$base" "csrf=$ERIK_CSRF&title=Sneaky&due_date=2026-03-10" "$ERIK"
is "$STATUS" 404 "another org's user cannot make a promise here"
is "$(count promises)" 0 "nothing was written"

# ---- bad input ------------------------------------------------------------
cgi POST "$base" "csrf=$CARLA_CSRF&title=&detail=Kept+detail&due_date=2026-03-10" "$CARLA"
is "$STATUS" 400 "an empty title is refused"
like "$OUT" 'id="title-err">Title is required' "the message sits next to the title"
like "$OUT" 'aria-invalid="true" aria-describedby="title-err"' "the title is marked invalid"
like "$OUT" 'value="2026-03-10"' "the due date is kept"
like "$OUT" '>Kept detail</textarea>' "the detail is kept"
long=$(printf '%0201d' 0)
cgi POST "$base" "csrf=$CARLA_CSRF&title=$long&due_date=2026-03-10" "$CARLA"
is "$STATUS" 400 "a title over 200 characters is refused"
like "$OUT" 'id="title-err">Title must be at most 200 characters' "the length is explained"
like "$OUT" "value=\"$long\"" "the long title is kept"
cgi POST "$base" "csrf=$CARLA_CSRF&title=Trays&due_date=2026-02-30" "$CARLA"
is "$STATUS" 400 "a date that does not exist is refused"
like "$OUT" 'id="due_date-err">Enter a date as YYYY-MM-DD' "the date format is explained"
like "$OUT" 'value="2026-02-30"' "the bad date is kept"
cgi POST "$base" "csrf=$CARLA_CSRF&title=Trays&due_date=next+week" "$CARLA"
is "$STATUS" 400 "text that is not a date is refused"
cgi POST "$base" "csrf=$CARLA_CSRF&title=Trays&due_date=2026-03-01" "$CARLA"
is "$STATUS" 400 "a due date in the past is refused"
like "$OUT" 'id="due_date-err">The due date cannot be in the past' "the past date is explained"
like "$OUT" 'value="Trays"' "the title is kept"
sql "INSERT INTO expectations (account_id, from_side, title, created_by, created_at)
	VALUES ($blue, 'buyer', 'Bluefield only', $(uid anna@northwind.example), '2026-03-01T00:00:00Z'),
	       ($acct, 'buyer', 'Trays on time', $(uid anna@northwind.example), '2026-03-01T00:00:00Z')"
exp_blue=$(sql "SELECT id FROM expectations WHERE account_id = $blue")
exp_acme=$(sql "SELECT id FROM expectations WHERE account_id = $acct")
cgi POST "$base" "csrf=$CARLA_CSRF&title=Trays&due_date=2026-03-10&expectation_id=$exp_blue" "$CARLA"
is "$STATUS" 400 "an expectation of another account cannot be linked"
like "$OUT" 'id="expectation_id-err">Choose an expectation of this account' "the link is named"
cgi POST "$base" "csrf=$CARLA_CSRF&title=Trays&due_date=2026-03-10&concern_id=99999" "$CARLA"
is "$STATUS" 400 "a missing concern cannot be linked"
like "$OUT" 'id="concern_id-err">Choose a concern of this account' "the concern is named"
cgi POST "$base" "csrf=$CARLA_CSRF&title=Trays&due_date=2026-03-10&expectation_id=abc" "$CARLA"
is "$STATUS" 400 "a malformed link is refused"
like "$OUT" 'id="expectation_id-err">' "next to the field"
is "$(count promises)" 0 "no bad input was written"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'promise'")" 0 "nor audited"

cgi POST "$base" "csrf=wrong&title=Trays&due_date=2026-03-10" "$CARLA"
is "$STATUS" 403 "a wrong CSRF token is refused"
cgi POST "$base" "title=Trays&due_date=2026-03-10" "$CARLA"
is "$STATUS" 403 "a missing CSRF token is refused"
is "$(count promises)" 0 "nothing was written"

# ---- a promise is made ---------------------------------------------------
title='Ship <b>4000</b> trays für Zoë ⇄ 東京'
cgi POST "$base" "csrf=$CARLA_CSRF&title=$(urlenc "$title")&detail=$(urlenc "Two lots.
<script>x</script>")&due_date=2026-03-10&expectation_id=$exp_acme" "$CARLA"
is "$STATUS" 303 "the supplier makes a promise"
p1=$(sql "SELECT max(id) FROM promises")
like "$HDR" "^Location: .*$base/$p1\\?notice=promise-created" "and lands on it with a notice"
is "$(sql "SELECT title FROM promises WHERE id = $p1")" "$title" "the title is stored as typed, Unicode intact"
is "$(sql "SELECT promisor_side || '|' || state || '|' || due_date || '|' || original_due || '|' || expectation_id FROM promises WHERE id = $p1")" \
	"supplier|open|2026-03-10|2026-03-10|$exp_acme" "the row holds side, state, dates and link"
is "$(audited create "$p1" carla@acme.example)" 1 "the promise is audited with its actor"
is "$(notified promise "$p1" anna@northwind.example)" 1 "the buyer's admin is told"
is "$(notified promise "$p1" ben@northwind.example)" 1 "the buyer's member is told"
is "$(notified promise "$p1" dev@acme.example)" 0 "the promising side is not"

cgi GET "$base/$p1?notice=promise-created" "" "$CARLA"
is "$STATUS" 200 "the promise page opens"
like "$OUT" 'role="status">The promise was made' "the notice is shown"
like "$OUT" '<h1>Ship &lt;b&gt;4000&lt;/b&gt; trays für Zoë ⇄ 東京</h1>' "HTML in the title is shown as text"
like "$OUT" '&lt;script&gt;x&lt;/script&gt;' "HTML in the detail is shown as text"
unlike "$OUT" '<script>x' "no markup is injected"
like "$OUT" "href=\"/accounts/$acct/expectations/$exp_acme\">Trays on time<" "the linked expectation is shown"
like "$OUT" "action=\"$base/$p1/deliver\"" "the promisor may mark it delivered"
like "$OUT" "action=\"$base/$p1/renegotiate\"" "the promisor may propose a new date"
like "$OUT" "action=\"$base/$p1/break\"" "the promisor may give it up"
unlike "$OUT" "action=\"$base/$p1/confirm\"" "the promisor may not confirm"
like "$OUT" '<label for="note">What was delivered</label>' "the delivery note has a label"
cgi GET "$base/$p1" "" "$BEN"
is "$STATUS" 200 "the buyer opens the promise"
like "$OUT" 'Nothing waits for your side just now' "the promisee has nothing to do yet"
unlike "$OUT" 'action="[^"]*/(deliver|confirm|dispute|break|renegotiate|accept-due|decline-due)"' "and sees no action forms"

cgi GET "$base" "" "$ANNA"
like "$OUT" "href=\"$base/$p1\">Ship &lt;b&gt;4000&lt;/b&gt; trays für Zoë ⇄ 東京</a>" "the list links the promise, as text"
like "$OUT" 'side-supplier">Acme Packaging</span> → <span class="side side-buyer">Northwind Foods<' "the list says who promised whom"
like "$OUT" '<time datetime="2026-03-10">2026-03-10</time>' "the list shows the due date"
like "$OUT" 'state-open">open<' "the list shows the state"

# ---- another org, on every route -------------------------------------------
cgi GET "$base/$p1" "" "$ERIK"
is "$STATUS" 404 "another org's user gets 404 on the promise"
before=$(snap "$p1")
for verb in deliver confirm dispute renegotiate accept-due decline-due break; do
	cgi POST "$base/$p1/$verb" "csrf=$ERIK_CSRF&note=x&delivered_on=2026-03-02&dispute_reason=x&new_due=2026-03-20&due_reason=x&break_reason=x" "$ERIK"
	is "$STATUS" 404 "another org's user gets 404 on $verb"
done
cgi POST "$base/$p1/deliver" "csrf=$ERIK_CSRF&note=&delivered_on=bad" "$ERIK"
is "$STATUS" 404 "bad input from another org still answers 404"
is "$(snap "$p1")" "$before" "nothing changed"
cgi GET "$base/abc" "" "$CARLA"
is "$STATUS" 404 "a malformed promise id answers 404"
cgi GET "$base/99999" "" "$CARLA"
is "$STATUS" 404 "a missing promise answers 404"
cgi GET "/accounts/$blue/promises/$p1" "" "$ANNA"
is "$STATUS" 404 "a promise is not found through another account"
cgi GET "$base/$p1/deliver" "" "$CARLA"
is "$STATUS" 405 "actions answer POST only"

# ---- wrong side and wrong state ---------------------------------------------
cgi POST "$base/$p1/deliver" "csrf=$ANNA_CSRF&note=Took+it&delivered_on=2026-03-02" "$ANNA"
is "$STATUS" 403 "the promisee cannot mark it delivered"
like "$OUT" 'role="alert">Only the side that made the promise can mark it delivered' "the page says why"
cgi POST "$base/$p1/confirm" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 403 "the promisor cannot confirm their own promise"
like "$OUT" 'Only the side the promise was made to can confirm it' "the page says why"
cgi POST "$base/$p1/confirm" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "nothing delivered cannot be confirmed"
like "$OUT" 'role="alert">There is no delivery to confirm' "the conflict is explained"
like "$OUT" 'Nothing was changed\.' "the page says nothing changed"
cgi POST "$base/$p1/accept-due" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "no proposed date cannot be accepted"
cgi POST "$base/$p1/decline-due" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 409 "no proposed date cannot be declined"
cgi POST "$base/$p1/dispute" "csrf=$BEN_CSRF&dispute_reason=Nothing+came" "$BEN"
is "$STATUS" 409 "nothing delivered cannot be disputed"
cgi POST "$base/$p1/dispute" "csrf=$CARLA_CSRF&dispute_reason=" "$CARLA"
is "$STATUS" 403 "the wrong side with bad input still gets 403"
cgi POST "$base/$p1/deliver" "csrf=wrong&note=x&delivered_on=2026-03-02" "$CARLA"
is "$STATUS" 403 "an action without the CSRF token is refused"
is "$(snap "$p1")" "$before" "none of these changed anything"

# ---- deliver -------------------------------------------------------------
cgi POST "$base/$p1/deliver" "csrf=$DEV_CSRF&note=&delivered_on=2026-03-03" "$DEV"
is "$STATUS" 400 "a delivery without a note is refused"
like "$OUT" 'id="note-err">What was delivered is required' "the note is named"
like "$OUT" 'value="2026-03-03"' "the date is kept"
cgi POST "$base/$p1/deliver" "csrf=$DEV_CSRF&note=All+4000&delivered_on=2026-03-03" "$DEV"
is "$STATUS" 400 "a delivery date in the future is refused"
like "$OUT" 'id="delivered_on-err">The delivery date cannot be in the future' "the date is named"
like "$OUT" '>All 4000</textarea>' "the note is kept"
cgi POST "$base/$p1/deliver" "csrf=$DEV_CSRF&note=All+4000&delivered_on=2026-3-1" "$DEV"
is "$STATUS" 400 "a malformed delivery date is refused"
is "$(snap "$p1")" "$before" "bad deliveries change nothing"

cgi POST "$base/$p1/deliver" "csrf=$DEV_CSRF&note=$(urlenc 'All 4000, lot Ü-7')&delivered_on=2026-03-02" "$DEV"
is "$STATUS" 303 "a supplier member marks it delivered"
like "$HDR" "^Location: .*$base/$p1\\?notice=promise-delivered" "back to the promise with a notice"
is "$(sql "SELECT state FROM promises WHERE id = $p1")" delivered "the promise is delivered"
is "$(sql "SELECT delivered_on || '|' || note || '|' || outcome FROM promise_deliveries WHERE promise_id = $p1")" \
	"2026-03-02|All 4000, lot Ü-7|pending" "the delivery waits for an answer"
is "$(audited deliver "$p1" dev@acme.example)" 1 "the delivery is audited"
is "$(notified delivery "$p1" anna@northwind.example)" 1 "the buyer is asked to confirm"
is "$(notified delivery "$p1" carla@acme.example)" 0 "the supplier is not"
before=$(snap "$p1")
cgi POST "$base/$p1/deliver" "csrf=$CARLA_CSRF&note=Again&delivered_on=2026-03-02" "$CARLA"
is "$STATUS" 409 "a delivered promise cannot be delivered again"
like "$OUT" 'already marked delivered' "the conflict is explained"
cgi POST "$base/$p1/renegotiate" "csrf=$CARLA_CSRF&new_due=2026-03-20&due_reason=x" "$CARLA"
is "$STATUS" 409 "no new date while a delivery waits"
cgi POST "$base/$p1/break" "csrf=$CARLA_CSRF&break_reason=x" "$CARLA"
is "$STATUS" 409 "no giving up while a delivery waits"
is "$(snap "$p1")" "$before" "the conflicts changed nothing"

cgi GET "$base/$p1" "" "$ANNA"
like "$OUT" "action=\"$base/$p1/confirm\"" "the promisee may now confirm"
like "$OUT" "action=\"$base/$p1/dispute\"" "or dispute"
like "$OUT" '<label for="dispute_reason">' "the dispute reason has a label"

# ---- dispute and re-deliver --------------------------------------------------
cgi POST "$base/$p1/dispute" "csrf=$BEN_CSRF&dispute_reason=" "$BEN"
is "$STATUS" 400 "a dispute without a reason is refused"
like "$OUT" 'id="dispute_reason-err">Reason for the dispute is required' "the reason is named"
is "$(snap "$p1")" "$before" "and nothing changed"
cgi POST "$base/$p1/dispute" "csrf=$CARLA_CSRF&dispute_reason=Fine" "$CARLA"
is "$STATUS" 403 "the promisor cannot dispute"
cgi POST "$base/$p1/dispute" "csrf=$BEN_CSRF&dispute_reason=$(urlenc 'Only 3000 arrived <b>late</b>')" "$BEN"
is "$STATUS" 303 "the buyer disputes the delivery"
is "$(sql "SELECT state FROM promises WHERE id = $p1")" disputed "the promise is disputed"
is "$(sql "SELECT outcome || '|' || reason FROM promise_deliveries WHERE promise_id = $p1")" \
	"disputed|Only 3000 arrived <b>late</b>" "the delivery keeps the reason"
is "$(audited dispute "$p1" ben@northwind.example)" 1 "the dispute is audited"
is "$(notified dispute "$p1" carla@acme.example)" 1 "the supplier is told of the dispute"
is "$(notified dispute "$p1" dev@acme.example)" 1 "every supplier user is"
cgi GET "$base/$p1" "" "$CARLA"
like "$OUT" 'disputed by Ben Okafor' "the delivery shows its answer"
like "$OUT" 'Only 3000 arrived &lt;b&gt;late&lt;/b&gt;' "and the reason, as text"

# ---- renegotiate: propose, decline, propose, accept -------------------------
before=$(snap "$p1")
cgi POST "$base/$p1/renegotiate" "csrf=$CARLA_CSRF&new_due=2026-03-01&due_reason=Strike" "$CARLA"
is "$STATUS" 400 "a new due date in the past is refused"
like "$OUT" 'id="new_due-err">The new due date cannot be in the past' "the date is named"
like "$OUT" '>Strike</textarea>' "the reason is kept"
cgi POST "$base/$p1/renegotiate" "csrf=$CARLA_CSRF&new_due=soon&due_reason=Strike" "$CARLA"
is "$STATUS" 400 "a new due date that is not a date is refused"
like "$OUT" 'value="soon"' "the bad date is kept"
cgi POST "$base/$p1/renegotiate" "csrf=$CARLA_CSRF&new_due=2026-03-20&due_reason=" "$CARLA"
is "$STATUS" 400 "a new due date needs a reason"
like "$OUT" 'id="due_reason-err">Reason for the new date is required' "the reason is named"
cgi POST "$base/$p1/renegotiate" "csrf=$ANNA_CSRF&new_due=2026-03-20&due_reason=x" "$ANNA"
is "$STATUS" 403 "the promisee cannot propose a new date"
is "$(snap "$p1")" "$before" "nothing changed"

cgi POST "$base/$p1/renegotiate" "csrf=$CARLA_CSRF&new_due=2026-03-20&due_reason=Port+strike" "$CARLA"
is "$STATUS" 303 "the promisor proposes a new due date"
is "$(sql "SELECT old_due || '>' || new_due || '|' || outcome FROM promise_due_changes WHERE promise_id = $p1")" \
	"2026-03-10>2026-03-20|pending" "the proposal waits"
is "$(notified due-change "$p1" anna@northwind.example)" 1 "the buyer is asked to answer"
is "$(audited renegotiate "$p1" carla@acme.example)" 1 "the proposal is audited"
cgi POST "$base/$p1/renegotiate" "csrf=$CARLA_CSRF&new_due=2026-03-21&due_reason=Again" "$CARLA"
is "$STATUS" 409 "one proposal at a time"
like "$OUT" 'already waits' "the conflict is explained"
cgi POST "$base/$p1/accept-due" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 403 "the promisor cannot accept their own proposal"
cgi GET "$base/$p1" "" "$ANNA"
like "$OUT" "action=\"$base/$p1/accept-due\"" "the promisee may accept"
like "$OUT" "action=\"$base/$p1/decline-due\"" "or decline"
cgi POST "$base/$p1/decline-due" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "the promisee declines"
like "$HDR" 'notice=promise-due-declined' "with a notice"
is "$(sql "SELECT due_date FROM promises WHERE id = $p1")" 2026-03-10 "the due date stays"
is "$(sql "SELECT outcome FROM promise_due_changes WHERE promise_id = $p1")" declined "the proposal is declined"
is "$(notified due-change "$p1" carla@acme.example)" 1 "the promisor hears the answer"
is "$(audited decline-due "$p1" anna@northwind.example)" 1 "the answer is audited"

cgi POST "$base/$p1/renegotiate" "csrf=$DEV_CSRF&new_due=2026-03-15&due_reason=Half+the+strike" "$DEV"
is "$STATUS" 303 "a second proposal"
cgi POST "$base/$p1/accept-due" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 303 "the promisee accepts"
is "$(sql "SELECT due_date || '|' || original_due FROM promises WHERE id = $p1")" \
	"2026-03-15|2026-03-10" "the new date is in force, the first one kept"
is "$(sql "SELECT group_concat(outcome) FROM (SELECT outcome FROM promise_due_changes WHERE promise_id = $p1 ORDER BY id)")" \
	"declined,accepted" "the history holds both proposals"
is "$(audited accept-due "$p1" ben@northwind.example)" 1 "the acceptance is audited"
cgi GET "$base/$p1" "" "$CARLA"
like "$OUT" 'first promised for <time datetime="2026-03-10">' "the page shows the first date"
like "$OUT" '2026-03-10</time> → <time datetime="2026-03-15">' "and the due-date history"

# ---- deliver again, confirm -------------------------------------------------
cgi POST "$base/$p1/deliver" "csrf=$CARLA_CSRF&note=The+other+1000&delivered_on=2026-03-02" "$CARLA"
is "$STATUS" 303 "the promisor delivers again after a dispute"
is "$(sql "SELECT count(*) FROM promise_deliveries WHERE promise_id = $p1")" 2 "a second delivery is recorded"
cgi POST "$base/$p1/confirm" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 303 "the promisee confirms"
like "$HDR" 'notice=promise-confirmed' "with a notice"
is "$(sql "SELECT state || '|' || kept_on || '|' || on_time || '|' || closed_at FROM promises WHERE id = $p1")" \
	"kept|2026-03-02|1|2026-03-02T09:00:00Z" "the promise is kept on time"
is "$(sql "SELECT group_concat(outcome) FROM (SELECT outcome FROM promise_deliveries WHERE promise_id = $p1 ORDER BY id)")" \
	"disputed,confirmed" "the delivery is confirmed"
is "$(notified promise "$p1" carla@acme.example)" 1 "the promisor hears it was kept"
is "$(audited confirm "$p1" ben@northwind.example)" 1 "the confirmation is audited"
before=$(snap "$p1")
cgi POST "$base/$p1/break" "csrf=$CARLA_CSRF&break_reason=Too+late" "$CARLA"
is "$STATUS" 409 "a kept promise cannot be given up"
like "$OUT" 'kept and is closed' "the conflict is explained"
cgi POST "$base/$p1/confirm" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "a kept promise cannot be confirmed twice"
cgi POST "$base/$p1/deliver" "csrf=$CARLA_CSRF&note=x&delivered_on=2026-03-02" "$CARLA"
is "$STATUS" 409 "a kept promise cannot be delivered"
is "$(snap "$p1")" "$before" "a closed promise does not change"
cgi GET "$base/$p1" "" "$CARLA"
like "$OUT" 'Nothing waits for your side just now' "a kept promise offers no action"
like "$OUT" 'delivered <time datetime="2026-03-02">2026-03-02</time>, on time' "the page says it was kept on time"

# ---- the buyer gives a promise up ---------------------------------------------
cgi POST "$base" "csrf=$ANNA_CSRF&title=Pay+invoice+118&due_date=2026-03-04" "$ANNA"
is "$STATUS" 303 "the buyer makes a promise"
p2=$(sql "SELECT max(id) FROM promises")
is "$(sql "SELECT promisor_side FROM promises WHERE id = $p2")" buyer "the buyer is the promisor"
is "$(notified promise "$p2" dev@acme.example)" 1 "the supplier is told"
before=$(snap "$p2")
cgi POST "$base/$p2/break" "csrf=$ANNA_CSRF&break_reason=" "$ANNA"
is "$STATUS" 400 "giving up needs a reason"
like "$OUT" 'id="break_reason-err">Reason for giving up is required' "the reason is named"
cgi POST "$base/$p2/break" "csrf=$CARLA_CSRF&break_reason=Not+yours" "$CARLA"
is "$STATUS" 403 "the promisee cannot give it up"
is "$(snap "$p2")" "$before" "nothing changed"
cgi POST "$base/$p2/break" "csrf=$BEN_CSRF&break_reason=$(urlenc 'Budget frozen – sorry')" "$BEN"
is "$STATUS" 303 "a buyer member gives it up"
like "$HDR" 'notice=promise-broken' "with a notice"
is "$(sql "SELECT state || '|' || broken_reason || '|' || broken_by FROM promises WHERE id = $p2")" \
	"broken|Budget frozen – sorry|$(uid ben@northwind.example)" "the promise is broken, with the reason"
is "$(notified promise "$p2" carla@acme.example)" 2 "the supplier is told"
is "$(audited break "$p2" ben@northwind.example)" 1 "giving up is audited"
cgi GET "$base/$p2" "" "$DEV"
like "$OUT" 'Given up</dt><dd>by Ben Okafor' "the page says who gave it up"

# ---- filters and pages -------------------------------------------------------
cgi GET "$base?state=kept" "" "$ANNA"
is "$STATUS" 200 "the list filters by state"
like "$OUT" "href=\"$base/$p1\"" "the kept promise is listed"
unlike "$OUT" "href=\"$base/$p2\"" "the broken one is not"
like "$OUT" '<option value="kept" selected>' "the filter shows as chosen"
cgi GET "$base?side=buyer" "" "$ANNA"
like "$OUT" "href=\"$base/$p2\"" "the list filters by the promising side"
unlike "$OUT" "href=\"$base/$p1\"" "the other side's promise is not listed"
cgi GET "$base?state=broken&side=supplier" "" "$ANNA"
like "$OUT" 'No promises match these filters' "an empty filtered list says so"
cgi GET "$base?state=bogus&side=seller" "" "$ANNA"
is "$STATUS" 400 "an unknown filter is a bad request"
like "$OUT" 'id="state-err">State is not one of the choices. You asked for “bogus”' "the unknown state is named and kept"
like "$OUT" 'id="side-err">Promised by is not one of the choices. You asked for “seller”' "the unknown side is named and kept"
like "$OUT" "href=\"$base/$p1\"" "the list is still shown, unfiltered"

sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
	INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at)
	SELECT $acct, 'supplier', 'Weekly batch ' || i, '2026-04-' || printf('%02d', i), '2026-04-' || printf('%02d', i),
	$(uid carla@acme.example), '2026-03-02T09:00:00Z' FROM n"
cgi GET "$base?state=open&side=supplier" "" "$ANNA"
like "$OUT" 'Page 1 of 2' "a long list has pages"
like "$OUT" 'Weekly batch 20<' "the first page holds 20"
unlike "$OUT" 'Weekly batch 21<' "and no more"
like "$OUT" "href=\"$base\\?state=open&amp;side=supplier&amp;page=2\" rel=\"next\"" "the next page keeps the filters"
cgi GET "$base?state=open&side=supplier&page=2" "" "$ANNA"
like "$OUT" 'Weekly batch 25<' "the second page holds the rest"
like "$OUT" 'Page 2 of 2' "and says where it is"

# ---- overdue, seen a few days later ----------------------------------------------
cgi POST "$base" "csrf=$CARLA_CSRF&title=Sample+lids&due_date=2026-03-03" "$CARLA"
p3=$(sql "SELECT max(id) FROM promises")
KEEPWORD_NOW=2026-03-05T09:00:00Z; export KEEPWORD_NOW
cgi_login anna@northwind.example; ANNA=$SESSION
cgi GET "$base?state=overdue" "" "$ANNA"
is "$STATUS" 200 "the overdue filter works"
like "$OUT" "href=\"$base/$p3\"" "the promise past its date is overdue"
like "$OUT" '<strong class="overdue">overdue</strong>' "and marked in words, not by colour alone"
unlike "$OUT" 'Weekly batch' "promises not yet due are not overdue"
is "$(sql "SELECT state FROM promises WHERE id = $p3")" open "overdue is never stored"
cgi GET "$base/$p3" "" "$ANNA"
like "$OUT" 'state-open">open</span> <strong class="overdue">overdue</strong>' "the promise page marks it overdue"

done_testing
