#!/bin/sh
# t-cgi-reviews.sh: a review period's whole cycle with a fixed clock: the
# period ends, the daily job opens its review, both sides assess and sign,
# the scorecards freeze and later changes leave them as signed.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
R="/accounts/$acct/reviews"
run() { "$KWCTL" -d "$T_DB" reviews run 2>/dev/null; }
# at DATE: move the fixed clock there and sign everyone in again (their
# sessions would have expired over the days in between)
at() {
	KEEPWORD_NOW=${1}T09:00:00Z
	cgi_login anna@northwind.example; ANNA=$SESSION; ANNA_CSRF=$CSRF
	cgi_login ben@northwind.example; BEN=$SESSION; BEN_CSRF=$CSRF
	cgi_login carla@acme.example; CARLA=$SESSION; CARLA_CSRF=$CSRF
	cgi_login erik@bluefield.example; ERIK=$SESSION; ERIK_CSRF=$CSRF
}
at 2026-03-02

# ---- during the period: expectations each way, a promise delivered -------
cgi POST "/accounts/$acct/expectations" "csrf=$ANNA_CSRF&title=Full+pallets" "$ANNA"
e_buyer=$(sql "SELECT max(id) FROM expectations")
cgi POST "/accounts/$acct/expectations/$e_buyer/acknowledge" "csrf=$CARLA_CSRF" "$CARLA"
cgi POST "/accounts/$acct/expectations" "csrf=$CARLA_CSRF&title=Forecasts+monthly" "$CARLA"
e_supplier=$(sql "SELECT max(id) FROM expectations")
cgi POST "/accounts/$acct/expectations/$e_supplier/acknowledge" "csrf=$ANNA_CSRF" "$ANNA"
cgi POST "/accounts/$acct/promises" "csrf=$CARLA_CSRF&title=Ship+samples&due_date=2026-03-20" "$CARLA"
pid=$(sql "SELECT max(id) FROM promises")
is "$STATUS" 303 "the supplier promises samples in the period"
at 2026-03-19
cgi POST "/accounts/$acct/promises/$pid/deliver" "csrf=$CARLA_CSRF&delivered_on=2026-03-19&note=Sent" "$CARLA"
is "$STATUS" 303 "and reports them delivered on time"

cgi GET "$R" "" "$ANNA"
is "$STATUS" 200 "the reviews page opens"
like "$OUT" 'No reviews yet' "it has none yet"
like "$OUT" "action=\"$R\"" "an owner is offered a draft"
cgi GET "$R" "" "$BEN"
unlike "$OUT" "action=\"$R\"" "a member is not"

# ---- the job: nothing before the period ends, once after -----------------
at 2026-03-31
out=$(run)
like_s() { case $1 in *$2*) ok 0 "$3" ;; *) ok 1 "$3"; diag "got: $1" ;; esac; }
like_s "$out" "opened 0 reviews" "the last day of the period opens nothing"
is "$(sql "SELECT count(*) FROM notifications WHERE kind = 'review' AND key LIKE 'review:$acct:2026-03-02:ending'")" 4 "both sides are told the period ends"
at 2026-04-01
out=$(run)
like_s "$out" "opened 2 reviews" "the day after, the job opens both accounts' reviews"
out=$(run)
is "$out" "opened 0 reviews, 0 reminders" "a second run changes nothing"
rid=$(sql "SELECT id FROM reviews WHERE account_id = $acct")
is "$(sql "SELECT period_start || ' ' || period_end || ' ' || state || ' ' || coalesce(opened_by, 'system') FROM reviews WHERE id = $rid")" \
	"2026-03-02 2026-03-31 open system" "the review covers the ended period, opened by the system"
is "$(sql "SELECT count(*) FROM notifications WHERE kind = 'review' AND key = 'review:$rid:open'")" 4 "both sides' people are told"

# ---- the review page -----------------------------------------------------
cgi GET "$R" "" "$BEN"
like "$OUT" "href=\"$R/$rid\"" "the list links the review"
cgi GET "$R/$rid" "" "$ANNA"
is "$STATUS" 200 "the review page opens"
like "$OUT" '<th scope="row">Integrity</th><td>no promises fell due</td><td>0% \(0 of 1 on time\)</td>' "integrity side by side; none due reads as words"
like "$OUT" '<th scope="row">Delivered, awaiting confirmation</th><td>0</td><td><a href="[^"]*">1<' "each figure with its count, linked unless 0"
like "$OUT" "<a href=\"/accounts/$acct/promises\\?side=supplier&amp;due_from=2026-03-02&amp;due_to=2026-03-31&amp;outcome=delivered\">1<span class=\"sr-only\"> \\(supplier: Delivered, awaiting confirmation\\)</span></a>" "to the list of the entries it counts"
like "$OUT" "action=\"/accounts/$acct/expectations/$e_buyer/assess\"" "anna may assess her side's expectation"
unlike "$OUT" "expectations/$e_supplier/assess" "but not the supplier's"
like "$OUT" "action=\"$R/$rid/sign\"" "the owner may sign"
like "$OUT" 'id="comments"' "the review has a comment thread"
cgi GET "$R/$rid" "" "$BEN"
unlike "$OUT" "action=\"$R/$rid/sign\"" "a member is not offered to sign"

# ---- refusals --------------------------------------------------------------
cgi GET "$R/$rid" "" "$ERIK"
is "$STATUS" 404 "erik (no party) gets 404 for the review"
cgi GET "$R" "" "$ERIK"
is "$STATUS" 404 "and for the list"
cgi POST "$R/$rid/sign" "csrf=$ERIK_CSRF" "$ERIK"
is "$STATUS" 404 "and cannot sign it"
cgi POST "$R/$rid/sign" "csrf=nope" "$ANNA"
is "$STATUS" 403 "a wrong CSRF token is refused"
cgi POST "$R/$rid/sign" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 403 "a member who does not own the side may not sign"
like "$OUT" 'Only the owner of your side' "and is told why"
is "$(sql "SELECT coalesce(buyer_signed_by, 0) FROM reviews WHERE id = $rid")" 0 "nothing was signed"

# ---- assessing, an agreed action, signing ----------------------------------
cgi POST "/accounts/$acct/expectations/$e_buyer/assess" "csrf=$ANNA_CSRF&rating=partly&period=2026-03-02" "$ANNA"
is "$STATUS" 303 "anna assesses from the review's form"
cgi POST "/accounts/$acct/expectations/$e_supplier/assess" "csrf=$CARLA_CSRF&rating=met&period=2026-03-02" "$CARLA"
cgi GET "$R/$rid" "" "$ANNA"
like "$OUT" 'assessed <strong>partly</strong>' "the review shows the assessment"
like "$OUT" "<th scope=\"row\">Expectations partly met</th><td>0</td><td><a href=\"/accounts/$acct/expectations\\?side=buyer&amp;from=2026-03-02&amp;to=2026-03-31&amp;assessed=partly\">1<" "the supplier's scorecard counts it"
cgi POST "$R/$rid/actions" "csrf=$CARLA_CSRF&title=Weekly+stock+report&due_date=2026-05-01" "$CARLA"
is "$STATUS" 303 "carla agrees an action"
is "$(sql "SELECT p.promisor_side || ' ' || p.title FROM review_actions a JOIN promises p ON p.id = a.promise_id WHERE a.review_id = $rid")" \
	"supplier Weekly stock report" "it is a promise of her side, linked to the review"
cgi POST "$R/$rid/actions" "csrf=$CARLA_CSRF&title=&due_date=2026-01-01" "$CARLA"
is "$STATUS" 400 "an action without a title is refused"
like "$OUT" 'id="title-err"' "with a message at the field"
cgi POST "$R/$rid/sign" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "anna signs for the buyer"
cgi POST "$R/$rid/sign" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "signing twice is a conflict"
like "$OUT" 'has signed this review already' "and says so"
is "$(sql "SELECT state || ' ' || (SELECT count(*) FROM review_scores WHERE review_id = $rid) FROM reviews WHERE id = $rid")" "open 0" "one signature does not freeze"
at 2026-04-02
cgi POST "$R/$rid/sign" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 303 "carla signs for the supplier"
is "$(sql "SELECT state || ' ' || frozen_at FROM reviews WHERE id = $rid")" "frozen 2026-04-02T09:00:00Z" "both signatures freeze the review"
is "$(sql "SELECT group_concat(side || ':' || delivered || ':' || kept_on_time || ':' || partly, ' ') FROM (SELECT * FROM review_scores WHERE review_id = $rid ORDER BY side)")" \
	"buyer:0:0:0 supplier:1:0:1" "both scorecards are stored"
cgi POST "$R/$rid/sign" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 409 "signing a frozen review is a conflict"
cgi POST "$R/$rid/actions" "csrf=$CARLA_CSRF&title=Too+late&due_date=2026-05-01" "$CARLA"
is "$STATUS" 409 "no actions are added once frozen"
cgi GET "$R/$rid" "" "$ANNA"
like "$OUT" 'Frozen on 2026-04-02' "the page says when it froze"
unlike "$OUT" 'changed since it was frozen' "nothing has changed yet"
unlike "$OUT" "action=\"$R/$rid/sign\"" "no sign button once frozen"

# ---- a later change does not touch the snapshot ----------------------------
cgi POST "/accounts/$acct/promises/$pid/confirm" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "anna confirms the delivery after the freeze"
cgi GET "$R/$rid" "" "$CARLA"
like "$OUT" 'changed since it was frozen' "the page notes the period changed since"
like "$OUT" '<th scope="row">Kept on time</th><td>0</td><td>0 <span class="now">\(now <a href="[^"]*outcome=kept-on-time">1<' "the frozen figures stay as signed, with a link to today's count"
like "$OUT" '<th scope="row">Delivered, awaiting confirmation</th><td>0</td><td>1 <span class="now">\(now 0\)</span></td>' "all of them; a count now 0 links nowhere"
is "$(sql "SELECT kept_on_time FROM review_scores WHERE review_id = $rid AND side = 'supplier'")" 0 "the stored snapshot is unchanged"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'review' AND entity_id = $rid")" 5 "open, action, two signatures and the freeze are audited"

# ---- a draft of the running period ------------------------------------------
cgi POST "$R" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 403 "a member cannot open a draft"
cgi POST "$R" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 303 "an owner opens the running period's review as a draft"
draft=$(sql "SELECT max(id) FROM reviews WHERE account_id = $acct")
is "$(sql "SELECT period_start || ' ' || state FROM reviews WHERE id = $draft")" "2026-04-01 draft" "for the running period"
cgi POST "$R" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "a second draft of the same period is a conflict"
cgi POST "$R/$draft/sign" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "a draft cannot be signed before its period ends"
like "$OUT" 'has not ended yet' "and says so"

done_testing
