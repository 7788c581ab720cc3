#!/bin/sh
# t-cgi-overview.sh: the account page shows the relationship at a glance,
# from the year of demo history, for each side.
. "${top_srcdir:-.}/tests/lib.sh"

export KEEPWORD_NOW=2026-11-26T10:00:00Z
t_db_init_history || { echo "Bail out! kwctl demo failed"; exit 1; }
acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")

# ---- the buyer ---------------------------------------------------------------
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET "/accounts/$acct" "" "$SESSION"
is "$STATUS" 200 "the buyer's admin opens the account"
like "$OUT" 'You are the <strong>buyer</strong>' "the page says which side she is on"
like "$OUT" 'runs from <time datetime="2026-10-01">2026-10-01</time> to <time datetime="2026-12-31">2026-12-31</time>' \
	"the review period is the current calendar quarter"
like "$OUT" 'state=delivered&amp;side=supplier">1 delivery to confirm or dispute' "a delivery waits for her confirmation"
like "$OUT" '>1 expectation to acknowledge<' "an expectation waits for acknowledgement"
like "$OUT" '>1 unread update from Acme Packaging<' "an unread update is counted"
like "$OUT" '>1 open concern raised by Acme Packaging<' "the supplier's open concern is counted"
unlike "$OUT" 'of your promises' "none of the buyer's promises is overdue"
like "$OUT" '<strong>25%</strong> <span class="muted">\(1 of 4 kept on time\)' \
	"the supplier's integrity this period counts only confirmed deliveries"
like "$OUT" 'nothing fell due yet' "nothing of the buyer's fell due yet this period"
like "$OUT" '<strong class="overdue">2 overdue</strong>' "the supplier's overdue promises are marked in words"
like "$OUT" '<time datetime="2026-11-14">2026-11-14</time>, 12 days ago' "the days since the last contact"
unlike "$OUT" 'Handed over to you' "no handover banner for an owner from the start"
like "$OUT" 'href="/accounts/'"$acct"'/updates/9107">update 9107</a>' "the latest activity links to its entries"
# Trends over the last periods: charts, and the same figures as a table.
is "$(grep -c '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' "$OUT")" 3 \
	"three trend charts are drawn on the server"
like "$OUT" 'role="img" aria-labelledby="trend-integrity-title trend-integrity-desc"' "each chart is named for assistive tech"
unlike "$OUT" '<script' "without any script"
tr -d '\n' <"$OUT" >"$T_TMP/flat"
like "$T_TMP/flat" 'Oct 2026 <span class="muted">\(<time datetime="2026-10-01">2026-10-01</time> to <time datetime="2026-12-31">2026-12-31</time>\)</span></th><td>no promises fell due</td><td>25% \(1 of 4\)</td><td>no ratings</td><td>4.0 \(1\)</td><td>2</td>' \
	"the table gives this quarter's figures, and 'no promises fell due' rather than 0%"
like "$OUT" 'Acme Packaging: \+25.0 points' "the change against the quarter before is shown"
for list in expectations updates promises contacts feedback concerns activity owners; do
	grep -q "href=\"/accounts/$acct/$list\"" "$OUT"
	ok $? "the account links to its $list"
done

# ---- the supplier --------------------------------------------------------------
cgi_login dev@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET "/accounts/$acct" "" "$SESSION"
is "$STATUS" 200 "the supplier's new owner opens the account"
like "$OUT" 'Handed over to you' "the new owner sees the handover"
like "$OUT" 'By Carla Diaz on 2026-09-27' "who handed over, and when"
like "$OUT" 'Dev takes over day-to-day' "and the handover note"
like "$OUT" '>2 of your promises are overdue<' "his side's overdue promises wait on him"
unlike "$OUT" 'delivery to confirm' "no delivery of the buyer's waits on the supplier"

cgi_login carla@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET "/accounts/$acct" "" "$SESSION"
unlike "$OUT" 'Handed over to you' "the former owner sees no handover banner"

# Once the delivery is confirmed, integrity and the to-do list follow.
cgi_login anna@northwind.example
cgi GET "/accounts/$acct/promises/9311" "" "$SESSION"
cgi POST "/accounts/$acct/promises/9311/confirm" "csrf=$CSRF" "$SESSION"
is "$STATUS" 303 "the buyer confirms the delivery"
cgi GET "/accounts/$acct" "" "$SESSION"
unlike "$OUT" 'delivery to confirm' "nothing is left to confirm"
like "$OUT" '\(1 of 4 kept on time, 1 late\)' "a delivery made after its due date counts as late"

# ---- the review cadence -----------------------------------------------------
cadences() { sql "SELECT group_concat(cadence || '@' || from_date, ' ') FROM (SELECT cadence, from_date FROM account_cadences WHERE account_id = $acct ORDER BY id)"; }
before=$(cadences)
cgi_login ben@northwind.example
cgi POST "/accounts/$acct/cadence" "csrf=$CSRF&cadence=monthly" "$SESSION"
is "$STATUS" 403 "a member cannot change the review cadence"
like "$OUT" 'Only an admin of either side or an operator' "and is told why"
is "$(cadences)" "$before" "nothing was written"
cgi_login anna@northwind.example
cgi GET "/accounts/$acct" "" "$SESSION"
like "$OUT" '<label for="cadence">Review cadence from the next period</label>' "an admin sees the cadence form, labelled"
cgi POST "/accounts/$acct/cadence" "csrf=$CSRF&cadence=fortnightly" "$SESSION"
is "$STATUS" 400 "an unknown cadence is refused"
like "$OUT" 'aria-describedby="cadence-err"' "with the message tied to the field"
cgi POST "/accounts/$acct/cadence" "csrf=$CSRF&cadence=monthly" "$SESSION"
is "$STATUS" 303 "an admin changes the cadence to monthly"
like "$HDR" "^Location: .*/accounts/$acct\\?notice=cadence-changed" "back to the account with a notice"
is "$(cadences)" "$before monthly@2027-01-01" "monthly reviews start after the current quarter"
is "$(sql "SELECT count(*) FROM audit_events WHERE account_id = $acct AND action = 'cadence'")" 1 "the change is audited"
cgi GET "/accounts/$acct?notice=cadence-changed" "" "$SESSION"
like "$OUT" 'runs from <time datetime="2026-10-01">2026-10-01</time> to <time datetime="2026-12-31">2026-12-31</time>' \
	"the current quarter ends as planned"
like "$OUT" 'applies from the next review period' "the notice says when it applies"
cgi POST "/accounts/$acct/cadence" "csrf=$CSRF&cadence=monthly" "$SESSION"
is "$STATUS" 409 "setting the same cadence again is a conflict"
like "$OUT" 'id="cadence-err">That is already the account(&#39;|&#x27;|.)s review cadence' "explained next to the field"

cgi_login erik@bluefield.example
cgi GET "/accounts/$acct" "" "$SESSION"
is "$STATUS" 404 "an unrelated org gets 404"

done_testing
