#!/bin/sh
# t-cgi-concerns.sh: concerns: raise, propose, accept, reject, withdraw.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
uid() { sql "SELECT id FROM users WHERE email = '$1'"; }
anna_id=$(uid anna@northwind.example); carla_id=$(uid carla@acme.example)
# Everything stored about concern $1, its audit events and notices.
snap() {
	sql "SELECT state || '|' || coalesce(resolution, '-') || '|' || coalesce(reject_reason, '-') || '|' || coalesce(closed_by, '-')
		|| '|' || (SELECT count(*) FROM audit_events WHERE entity = 'concern' AND entity_id = $1)
		|| '|' || (SELECT count(*) FROM notifications WHERE entity = 'concern' AND entity_id = $1)
		FROM concerns WHERE id = $1"
}
concerns() { sql "SELECT count(*) FROM concerns"; }
notices() { # notices KIND CONCERN: the emails notified, sorted
	sql "SELECT group_concat(email, ' ') FROM (SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.kind = '$1' AND n.entity = 'concern' AND n.entity_id = $2 ORDER BY u.email)"
}
LIST="/accounts/$acct/concerns"

cgi_login anna@northwind.example; ok $? "anna (buyer admin) signs in"
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi GET "$LIST" "" "$ANNA"
is "$STATUS" 200 "the concerns page opens"
like "$OUT" '<h1>Concerns</h1>' "it is headed Concerns"
like "$OUT" 'No concerns have been raised yet' "an empty list says so"
for f in title detail f-state f-side; do
	like "$OUT" "<label for=\"$f\">" "the $f field has a label"
done

# ---- raising ------------------------------------------------------------------
title='Pallets <b>late</b> — Lieferung verspätet ✓'
detail=$(printf 'Three weeks in a row.\n<script>x()</script>')
cgi POST "$LIST" "csrf=$ANNA_CSRF&title=$(urlenc "$title")&detail=$(urlenc "$detail")" "$ANNA"
is "$STATUS" 303 "a concern is raised"
c1=$(sql "SELECT max(id) FROM concerns")
like "$HDR" "^Location: .*/accounts/$acct/concerns/$c1\\?notice=concern-raised\$" "then it is shown, with a notice"
is "$(sql "SELECT raised_by_side || '|' || state || '|' || title || '|' || created_by FROM concerns WHERE id = $c1")" \
	"buyer|open|$title|$anna_id" "the row holds the concern, Unicode intact"
is "$(sql "SELECT detail FROM concerns WHERE id = $c1")" "$detail" "the detail round-trips"
is "$(sql "SELECT action || ' ' || actor_user_id FROM audit_events WHERE entity = 'concern' AND entity_id = $c1")" \
	"create $anna_id" "raising is audited"
is "$(notices concern "$c1")" "carla@acme.example dev@acme.example" "everyone of the other side is notified, nobody else"
is "$(sql "SELECT DISTINCT text FROM notifications WHERE entity_id = $c1")" "Concern raised: $title" "the notice names the concern"

cgi GET "$LIST/$c1?notice=concern-raised" "" "$ANNA"
is "$STATUS" 200 "the concern's page opens"
like "$OUT" 'role="status">The concern was raised. The other side has been notified.' "the notice is shown"
like "$OUT" '<h1>Pallets &lt;b&gt;late&lt;/b&gt; — Lieferung verspätet ✓</h1>' "HTML in the title is shown as text"
like "$OUT" '&lt;script&gt;x\(\)&lt;/script&gt;' "and in the detail"
unlike "$OUT" '<script>x' "no markup is injected"
like "$OUT" 'No resolution has been proposed yet.' "there is no resolution yet"
like "$OUT" '>Withdraw concern</button>' "the raiser may withdraw it"
unlike "$OUT" '>Propose resolution</button>' "but not propose a resolution"
unlike "$OUT" '>Accept resolution</button>' "nor accept one"
like "$OUT" 'No promises are linked to this concern yet.' "no promises yet"

# ---- bad input when raising -----------------------------------------------
state() { echo "$(concerns)|$(sql "SELECT count(*) FROM notifications")"; }
bad() { bad_form "$1" state "$LIST" "csrf=$ANNA_CSRF&$2" "$ANNA" "$3" "$4" "${5-}"; }
bad "an empty title" "title=%20&detail=Kept%20detail" title 'Title is required.' '>Kept detail</textarea>'
bad "an over-long title" "title=$(long 201)" title 'Title must be at most 200 characters.' "value=\"$(long 201)\""
bad "a title with a line break" "title=a%0Ab" title 'Title contains characters that are not allowed.'
bad "an over-long detail" "title=Fine%20%C3%A9&detail=$(long 10001)" detail 'Detail must be at most 10000 characters.' 'value="Fine é"'
like "$OUT" 'class="error" role="alert">Please correct the fields marked below' "the form says something is wrong"

# ---- strangers --------------------------------------------------------------
cgi_login erik@bluefield.example; ok $? "erik (not party to the Acme account) signs in"
ERIK=$SESSION; ERIK_CSRF=$CSRF
before=$(snap "$c1"); n=$(concerns)
cgi GET "$LIST" "" "$ERIK"
is "$STATUS" 404 "a stranger gets 404 on the list"
cgi GET "$LIST/$c1" "" "$ERIK"
is "$STATUS" 404 "a stranger gets 404 on a concern"
unlike "$OUT" 'Pallets' "and sees nothing of it"
cgi POST "$LIST" "csrf=$ERIK_CSRF&title=Hijack" "$ERIK"
is "$STATUS" 404 "a stranger cannot raise a concern"
for a in propose accept reject withdraw; do
	cgi POST "$LIST/$c1/$a" "csrf=$ERIK_CSRF&resolution=Mine&reason=No" "$ERIK"
	is "$STATUS" 404 "a stranger cannot $a"
done
is "$(snap "$c1")|$(concerns)" "$before|$n" "strangers change nothing"
cgi GET "/accounts/$blue/concerns/$c1" "" "$ANNA"
is "$STATUS" 404 "a concern is only found under its own account"
cgi GET "$LIST/999999" "" "$ANNA"
is "$STATUS" 404 "a missing concern answers 404"
cgi POST "$LIST/999999/accept" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 404 "acting on a missing concern answers 404"

# ---- wrong side: 403, nothing changes ------------------------------------------
before=$(snap "$c1")
cgi POST "$LIST/$c1/propose" "csrf=$ANNA_CSRF&resolution=We%20fix%20it%20ourselves" "$ANNA"
is "$STATUS" 403 "the raiser cannot propose a resolution to its own concern"
like "$OUT" 'role="alert">Only the side that did not raise this concern can propose a resolution.' "the page says why"
is "$(snap "$c1")" "$before" "nothing changes"
cgi POST "$LIST/$c1/propose" "csrf=$ANNA_CSRF&resolution=" "$ANNA"
is "$STATUS" 403 "the wrong side is told so even with an empty resolution"
is "$(snap "$c1")" "$before" "nothing changes"

cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi GET "$LIST/$c1" "" "$CARLA"
like "$OUT" '>Propose resolution</button>' "the other side is offered to propose"
like "$OUT" '<label for="resolution">Resolution</label>' "the resolution field has a label"
unlike "$OUT" '>Withdraw concern</button>' "but not to withdraw"
cgi POST "$LIST/$c1/withdraw" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 403 "the other side cannot withdraw the concern"
like "$OUT" 'role="alert">Only the side that raised this concern can withdraw it.' "the page says why"
is "$(snap "$c1")" "$before" "nothing changes"

# ---- 409: an action the state does not allow ------------------------------
cgi POST "$LIST/$c1/accept" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "there is nothing to accept while the concern is open"
like "$OUT" 'role="alert">There is no proposed resolution to accept. This concern is open.' "the page says why"
cgi POST "$LIST/$c1/reject" "csrf=$ANNA_CSRF&reason=No" "$ANNA"
is "$STATUS" 409 "there is nothing to reject while the concern is open"
is "$(snap "$c1")" "$before" "nothing changes"

# ---- proposing ------------------------------------------------------------
cgi POST "$LIST/$c1/propose" "csrf=$CARLA_CSRF&resolution=%20%0A" "$CARLA"
is "$STATUS" 400 "an empty resolution is refused"
like "$OUT" 'id="resolution-err">Resolution is required.' "the message is next to the field"
like "$OUT" 'aria-describedby="resolution-hint resolution-err"' "the field points to it"
cgi POST "$LIST/$c1/propose" "csrf=$CARLA_CSRF&resolution=$(long 10001)" "$CARLA"
is "$STATUS" 400 "an over-long resolution is refused"
like "$OUT" 'id="resolution-err">Resolution must be at most 10000 characters.' "and the message says so"
like "$OUT" ">$(long 10001)</textarea>" "the input is kept"
is "$(snap "$c1")" "$before" "nothing is written"
cgi POST "$LIST/$c1/propose" "csrf=wrong&resolution=Fine" "$CARLA"
is "$STATUS" 403 "a wrong CSRF token is refused"
is "$(snap "$c1")" "$before" "nothing is written without the token"

resolution=$(printf 'A second <b>carrier</b> from May — garantiert ✓\nWeekly check.')
cgi POST "$LIST/$c1/propose" "csrf=$CARLA_CSRF&resolution=$(urlenc "$resolution")" "$CARLA"
is "$STATUS" 303 "the other side proposes a resolution"
like "$HDR" "^Location: .*/accounts/$acct/concerns/$c1\\?notice=concern-proposed\$" "back to the concern with a notice"
is "$(sql "SELECT state || '|' || proposed_by || '|' || proposed_at FROM concerns WHERE id = $c1")" \
	"proposed|$carla_id|2026-03-02T09:00:00Z" "the concern is proposed"
is "$(sql "SELECT resolution FROM concerns WHERE id = $c1")" "$resolution" "the resolution round-trips"
is "$(notices resolution "$c1")" "anna@northwind.example ben@northwind.example" "the raising side is notified"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'concern' AND entity_id = $c1 AND action = 'propose' AND actor_user_id = $carla_id")" 1 "the proposal is audited"
cgi POST "$LIST/$c1/propose" "csrf=$CARLA_CSRF&resolution=Another" "$CARLA"
is "$STATUS" 409 "a second proposal while one is pending is a conflict"
like "$OUT" 'A resolution can only be proposed while the concern is open. This concern is proposed.' "the page says why"
cgi POST "$LIST/$c1/accept" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 403 "the proposing side cannot accept its own resolution"
like "$OUT" 'role="alert">Only the side that raised this concern can accept a resolution.' "the page says why"
is "$(sql "SELECT state FROM concerns WHERE id = $c1")" proposed "the concern is still proposed"

# ---- rejecting --------------------------------------------------------------
cgi_login ben@northwind.example; ok $? "ben (buyer member) signs in"
BEN=$SESSION; BEN_CSRF=$CSRF
cgi GET "$LIST/$c1" "" "$BEN"
like "$OUT" 'A second &lt;b&gt;carrier&lt;/b&gt; from May — garantiert ✓' "the raising side reads the proposal, escaped"
like "$OUT" '>Accept resolution</button>' "it is offered to accept"
like "$OUT" '>Reject resolution</button>' "or to reject"
like "$OUT" '<label for="reason">Reason for not accepting' "the reason has a label"
unlike "$OUT" '>Propose resolution</button>' "but not to propose"
before=$(snap "$c1")
cgi POST "$LIST/$c1/reject" "csrf=$BEN_CSRF&reason=$(long 2001)" "$BEN"
is "$STATUS" 400 "an over-long reason is refused"
like "$OUT" 'id="reason-err">Reason must be at most 2000 characters.' "the message is next to the field"
like "$OUT" 'aria-describedby="reason-err"' "the field points to it"
like "$OUT" ">$(long 2001)</textarea>" "the input is kept"
is "$(snap "$c1")" "$before" "nothing is written"
cgi POST "$LIST/$c1/reject" "csrf=$BEN_CSRF&reason=$(urlenc 'May is too late — zu spät')" "$BEN"
is "$STATUS" 303 "the raising side rejects the resolution"
like "$HDR" "notice=concern-rejected" "with a notice"
is "$(sql "SELECT state || '|' || reject_reason FROM concerns WHERE id = $c1")" "open|May is too late — zu spät" "the concern is open again, with the reason"
is "$(notices concern "$c1")" "carla@acme.example carla@acme.example dev@acme.example dev@acme.example" "the proposing side is notified again"
cgi GET "$LIST/$c1" "" "$BEN"
like "$OUT" 'was not accepted:' "the page shows the last proposal was not accepted"
like "$OUT" 'May is too late — zu spät' "and why"

# ---- accepting ------------------------------------------------------------
cgi POST "$LIST/$c1/propose" "csrf=$CARLA_CSRF&resolution=Second%20carrier%20from%20April" "$CARLA"
is "$STATUS" 303 "a new resolution is proposed"
is "$(sql "SELECT state || '|' || coalesce(reject_reason, 'cleared') FROM concerns WHERE id = $c1")" "proposed|cleared" "the old reason is cleared"
cgi POST "$LIST/$c1/accept" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "the raising side accepts"
like "$HDR" "notice=concern-accepted" "with a notice"
is "$(sql "SELECT state || '|' || resolution || '|' || closed_by || '|' || closed_at FROM concerns WHERE id = $c1")" \
	"resolved|Second carrier from April|$anna_id|2026-03-02T09:00:00Z" "the concern is resolved"
cgi GET "$LIST/$c1?notice=concern-accepted" "" "$ANNA"
like "$OUT" 'role="status">The resolution was accepted. The concern is resolved.' "the notice is shown"
like "$OUT" '<p>Accepted. Proposed by Carla Diaz' "the accepted resolution is shown"
unlike "$OUT" '>Withdraw concern</button>' "nothing more is offered"
before=$(snap "$c1")
cgi POST "$LIST/$c1/accept" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "accepting twice is a conflict"
like "$OUT" 'There is no proposed resolution to accept. This concern is resolved.' "the page says why"
cgi POST "$LIST/$c1/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "a resolved concern cannot be withdrawn"
like "$OUT" 'Only a concern that is open or has a proposed resolution can be withdrawn. This concern is resolved.' "the page says why"
cgi POST "$LIST/$c1/propose" "csrf=$CARLA_CSRF&resolution=More" "$CARLA"
is "$STATUS" 409 "nothing can be proposed for a resolved concern"
is "$(snap "$c1")" "$before" "nothing changes"

# ---- withdrawing --------------------------------------------------------------
cgi POST "$LIST" "csrf=$CARLA_CSRF&title=Forecasts%20arrive%20late" "$CARLA"
is "$STATUS" 303 "the supplier raises a concern"
c2=$(sql "SELECT max(id) FROM concerns")
is "$(notices concern "$c2")" "anna@northwind.example ben@northwind.example" "the buyer side is notified"
cgi POST "$LIST/$c2/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 403 "the buyer cannot withdraw the supplier's concern"
cgi_login dev@acme.example; ok $? "dev (supplier member) signs in"
DEV=$SESSION; DEV_CSRF=$CSRF
cgi POST "$LIST/$c2/withdraw" "csrf=$DEV_CSRF" "$DEV"
is "$STATUS" 303 "anyone of the raising side may withdraw it"
like "$HDR" "notice=concern-withdrawn" "with a notice"
is "$(sql "SELECT state || '|' || closed_by FROM concerns WHERE id = $c2")" "withdrawn|$(uid dev@acme.example)" "the concern is withdrawn, not deleted"
before=$(snap "$c2")
cgi POST "$LIST/$c2/withdraw" "csrf=$DEV_CSRF" "$DEV"
is "$STATUS" 409 "withdrawing twice is a conflict"
is "$(snap "$c2")" "$before" "nothing changes"

# ---- linked promises ---------------------------------------------------------
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, state, concern_id, created_by, created_at)
	VALUES ($acct, 'supplier', 'Book a <i>second</i> carrier', '2026-04-01', '2026-04-01', 'open', $c1, $carla_id, '2026-03-02T09:00:00Z'),
	       ($acct, 'supplier', 'Report on-time rate', '2026-03-15', '2026-03-15', 'kept', $c1, $carla_id, '2026-03-02T09:00:00Z')"
p1=$(sql "SELECT id FROM promises WHERE title LIKE 'Book%'")
cgi GET "$LIST/$c1" "" "$ANNA"
like "$OUT" "<a href=\"/accounts/$acct/promises/$p1\">Book a &lt;i&gt;second&lt;/i&gt; carrier</a>" "linked promises are listed and linked"
like "$OUT" '<td>kept</td>' "with their state"
like "$OUT" '<time datetime="2026-03-15">2026-03-15</time>' "and due date"
[ "$(grep -n 'Report on-time' "$OUT" | cut -d: -f1)" -lt "$(grep -n 'Book a' "$OUT" | cut -d: -f1)" ]
ok $? "the earliest due comes first"

# ---- filters and pages ----------------------------------------------------
cgi GET "$LIST?state=resolved" "" "$ANNA"
is "$STATUS" 200 "the list filters by state"
like "$OUT" "concerns/$c1\"" "the resolved concern is listed"
unlike "$OUT" "concerns/$c2\"" "the withdrawn one is not"
cgi GET "$LIST?side=supplier" "" "$ANNA"
like "$OUT" "concerns/$c2\"" "the list filters by raising side"
unlike "$OUT" "concerns/$c1\"" "the other side's concerns are left out"
cgi GET "$LIST?state=open&side=buyer" "" "$ANNA"
like "$OUT" 'No concerns match these filters' "an empty result says so"
cgi GET "$LIST?state=closed" "" "$ANNA"
is "$STATUS" 400 "an unknown state filter is refused"
like "$OUT" 'id="f-state-err">State is not one of the choices.' "the message is next to the filter"
like "$OUT" "concerns/$c1\"" "and the whole list is shown"
cgi GET "$LIST?side=anyone" "" "$ANNA"
is "$STATUS" 400 "an unknown side filter is refused"
like "$OUT" 'id="f-side-err">Raised by is not one of the choices.' "the message is next to that filter"

sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 21)
	INSERT INTO concerns (account_id, raised_by_side, title, created_by, created_at)
	SELECT $acct, 'buyer', 'Batch ' || i, $anna_id, '2026-03-02T09:00:00Z' FROM n"
cgi GET "$LIST?state=open" "" "$ANNA"
like "$OUT" 'Page 1 of 2' "a long list is paged"
like "$OUT" "href=\"/accounts/$acct/concerns\\?state=open&amp;page=2\" rel=\"next\"" "the next page keeps the filter"
cgi GET "$LIST?state=open&page=2" "" "$ANNA"
is "$(grep -c 'concerns/[0-9]*">' "$OUT")" 1 "the rest on page two"

done_testing
