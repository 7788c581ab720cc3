#!/bin/sh
# t-cgi-expectations.sh: each side states, acknowledges, assesses and retires expectations.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
freight=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
# Two review periods have begun: 2025-10-01..12-31 and 2026-01-01..03-31.
sql "UPDATE accounts SET start_date = '2025-10-01' WHERE id = $acct"
sql "UPDATE account_cadences SET from_date = '2025-10-01' WHERE account_id = $acct"
uid() { sql "SELECT id FROM users WHERE email = '$1'"; }
anna=$(uid anna@northwind.example); carla=$(uid carla@acme.example)
L="/accounts/$acct/expectations"
exps() { sql "SELECT count(*) FROM expectations"; }
audits() { sql "SELECT count(*) FROM audit_events"; }

# ---- the list and stating a new expectation ---------------------------------
cgi_login anna@northwind.example; ok $? "anna (buyer admin) signs in"
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi GET "$L" "" "$ANNA"
is "$STATUS" 200 "the list opens"
like "$OUT" '<h1>Expectations</h1>' "it is the expectations page"
like "$OUT" 'No expectations yet' "an empty list says so"
like "$OUT" '<label for="title">Title</label>' "the title field has a label"
like "$OUT" '<label for="detail">Detail' "the detail field has a label"
like "$OUT" '<label for="target">Measurable target' "the target field has a label"
like "$OUT" '<label for="f-state">State</label>' "the state filter has a label"
like "$OUT" '<label for="f-side">Stated by</label>' "the side filter has a label"

cgi POST "$L" "csrf=wrong&title=Sneaky" "$ANNA"
is "$STATUS" 403 "a wrong CSRF token is refused"
is "$(exps)" 0 "and nothing is written"

before=$(audits)
cgi POST "$L" "csrf=$ANNA_CSRF&title=&detail=$(urlenc 'Kept <detail>')&target=98" "$ANNA"
is "$STATUS" 400 "an empty title is a bad request"
like "$OUT" 'id="title-err">Title is required' "the message sits next to the title"
like "$OUT" 'aria-describedby="title-err"' "the field points to its message"
like "$OUT" '>Kept &lt;detail&gt;</textarea>' "the detail is kept"
like "$OUT" 'id="target" name="target" type="text" maxlength="200" value="98"' "the target is kept"
long=$(printf '%0201d' 0)
cgi POST "$L" "csrf=$ANNA_CSRF&title=$long" "$ANNA"
is "$STATUS" 400 "a title over 200 characters is refused"
like "$OUT" 'id="title-err">Title must be at most 200' "the message says the limit"
like "$OUT" "value=\"$long\"" "the long title is kept"
cgi POST "$L" "csrf=$ANNA_CSRF&title=Ok&target=$(printf '%0201d' 0)" "$ANNA"
is "$STATUS" 400 "a target over 200 characters is refused"
like "$OUT" 'id="target-err">' "the message sits next to the target"
is "$(exps)" 0 "no bad input is written"
is "$(audits)" "$before" "nor audited"

title='<b>Zoë’s</b> deliveries ✓ on time'
cgi POST "$L" "csrf=$ANNA_CSRF&title=$(urlenc "$title")&detail=$(urlenc '<script>alert(1)</script>
Second line')&target=$(urlenc '≥ 98 % complete')" "$ANNA"
is "$STATUS" 303 "a valid expectation is stated"
e=$(sql "SELECT max(id) FROM expectations")
like "$HDR" "^Location: .*$L/$e\\?notice=expectation-added" "to the new expectation with a notice"
is "$(sql "SELECT from_side || '|' || state || '|' || title || '|' || target || '|' || created_by FROM expectations WHERE id = $e")" \
	"buyer|proposed|$title|≥ 98 % complete|$anna" "the row holds the text as typed, Unicode intact"
is "$(sql "SELECT detail FROM expectations WHERE id = $e")" "<script>alert(1)</script>
Second line" "the detail keeps its lines"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'expectation' AND entity_id = $e AND action = 'create' AND actor_user_id = $anna AND account_id = $acct")" 1 "the statement is audited"
is "$(sql "SELECT group_concat(u.email, ' ') FROM (SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = 'expectation' AND n.entity = 'expectation' AND n.entity_id = $e ORDER BY u.email) u")" \
	"carla@acme.example dev@acme.example" "everyone of the other side is notified, nobody of hers"

cgi GET "$L/$e?notice=expectation-added" "" "$ANNA"
is "$STATUS" 200 "the expectation opens"
like "$OUT" 'role="status">The expectation was recorded' "the notice is shown"
like "$OUT" '<h1>&lt;b&gt;Zoë’s&lt;/b&gt; deliveries ✓ on time</h1>' "HTML in the title is shown as text"
like "$OUT" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "HTML in the detail is shown as text"
unlike "$OUT" '<script>alert|<b>Zoë' "no markup is injected"
like "$OUT" '≥ 98 % complete' "the target is shown"
like "$OUT" 'state-proposed">proposed' "the state is shown"
like "$OUT" 'by Anna Berg \(buyer\)' "who stated it is shown"
like "$OUT" 'Acknowledged</dt><dd>not yet' "it is not acknowledged yet"
like "$OUT" "action=\"$L/$e/retire\"" "the stating side may retire it"
unlike "$OUT" "action=\"$L/$e/acknowledge\"" "but not acknowledge it"
unlike "$OUT" "action=\"$L/$e/assess\"" "nor assess it before it is acknowledged"

# ---- the wrong side, the wrong state, another org --------------------------
before=$(audits)
cgi POST "$L/$e/acknowledge" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 403 "the stating side cannot acknowledge its own expectation"
like "$OUT" 'role="alert">Your side stated this expectation' "the page says why"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met" "$ANNA"
is "$STATUS" 409 "a proposed expectation cannot be assessed"
like "$OUT" 'role="alert">Only an acknowledged expectation can be assessed' "the page says why"
is "$(sql "SELECT state || '|' || coalesce(acknowledged_by, '-') FROM expectations WHERE id = $e")" "proposed|-" "nothing changed"
is "$(sql "SELECT count(*) FROM expectation_assessments")" 0 "no assessment was written"
is "$(audits)" "$before" "nothing was audited"

cgi_login erik@bluefield.example; ok $? "erik (another supplier) signs in"
ERIK=$SESSION
cgi GET "$L" "" "$ERIK"
is "$STATUS" 404 "another org's list answers 404"
cgi GET "$L/$e" "" "$ERIK"
is "$STATUS" 404 "another org's expectation answers 404"
unlike "$OUT" 'Zoë' "and shows nothing of it"
cgi POST "$L" "csrf=$CSRF&title=Intrusion" "$ERIK"
is "$STATUS" 404 "another org cannot state expectations here"
cgi POST "$L/$e/acknowledge" "csrf=$CSRF" "$ERIK"
is "$STATUS" 404 "another org cannot acknowledge"
cgi POST "$L/$e/retire" "csrf=$CSRF" "$ERIK"
is "$STATUS" 404 "another org cannot retire"
cgi POST "$L/$e/assess" "csrf=$CSRF&rating=met" "$ERIK"
is "$STATUS" 404 "another org cannot assess"
is "$(exps)|$(sql "SELECT state FROM expectations WHERE id = $e")" "1|proposed" "nothing changed"
cgi GET "/accounts/$freight/expectations/$e" "" "$ANNA"
is "$STATUS" 404 "an expectation is not found under another account"
cgi POST "/accounts/$freight/expectations/$e/retire" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 404 "nor retired through it"
cgi GET "$L/99999" "" "$ANNA"
is "$STATUS" 404 "a missing expectation answers 404"
cgi GET "$L/abc" "" "$ANNA"
is "$STATUS" 404 "a malformed id answers 404"

# ---- the other side acknowledges -------------------------------------------
cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi GET "$L" "" "$CARLA"
like "$OUT" 'yours to acknowledge' "the list marks what the supplier has to acknowledge"
cgi GET "$L/$e" "" "$CARLA"
like "$OUT" "action=\"$L/$e/acknowledge\"" "the other side may acknowledge"
unlike "$OUT" "action=\"$L/$e/retire\"" "but not retire"
cgi POST "$L/$e/retire" "csrf=$CARLA_CSRF&reason=mine" "$CARLA"
is "$STATUS" 403 "the other side cannot retire it"
like "$OUT" 'Only the side that stated this expectation can retire it' "the page says why"
is "$(sql "SELECT state FROM expectations WHERE id = $e")" proposed "it stays proposed"
cgi POST "$L/$e/acknowledge" "csrf=wrong" "$CARLA"
is "$STATUS" 403 "acknowledging needs the CSRF token"
is "$(sql "SELECT state FROM expectations WHERE id = $e")" proposed "it stays proposed"
cgi POST "$L/$e/acknowledge" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 303 "the other side acknowledges"
like "$HDR" "^Location: .*$L/$e\\?notice=expectation-acknowledged" "back to it with a notice"
is "$(sql "SELECT state || '|' || acknowledged_by || '|' || acknowledged_at FROM expectations WHERE id = $e")" \
	"acknowledged|$carla|2026-03-02T09:00:00Z" "it is acknowledged by her, now"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'expectation' AND entity_id = $e AND action = 'acknowledge' AND actor_user_id = $carla")" 1 "the acknowledgement is audited"
before=$(audits)
cgi POST "$L/$e/acknowledge" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 409 "acknowledging twice is a conflict"
like "$OUT" 'role="alert">Only a proposed expectation can be acknowledged' "the page says why"
is "$(audits)" "$before" "nothing more is audited"
cgi POST "$L/$e/assess" "csrf=$CARLA_CSRF&rating=not-met" "$CARLA"
is "$STATUS" 403 "the other side cannot assess it"
is "$(sql "SELECT count(*) FROM expectation_assessments")" 0 "no assessment was written"

# ---- the stating side assesses ---------------------------------------------
cgi GET "$L/$e" "" "$ANNA"
like "$OUT" 'by Carla Diaz \(supplier\)' "who acknowledged it is shown"
like "$OUT" "action=\"$L/$e/assess\"" "now it can be assessed"
like "$OUT" '<label for="rating">Rating</label>' "the rating has a label"
like "$OUT" '<label for="period">' "the period has a label"
like "$OUT" '<label for="note">' "the note has a label"
like "$OUT" 'the current period, 2026-01-01 to 2026-03-31' "the current period is named"

cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=superb&period=2026-02-30&note=$(urlenc 'Kept note ✓')" "$ANNA"
is "$STATUS" 400 "an unknown rating and a bad date are refused"
like "$OUT" 'id="rating-err">Rating is not one of the choices' "the rating message sits next to it"
like "$OUT" 'id="period-err">Enter a date as YYYY-MM-DD' "the period message sits next to it"
like "$OUT" '>Kept note ✓</textarea>' "the note is kept"
like "$OUT" 'value="2026-02-30"' "the period is kept"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&period=2026-02-01" "$ANNA"
is "$STATUS" 400 "a missing rating is refused"
like "$OUT" 'id="rating-err">Rating is required' "and named"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met&period=2025-09-30" "$ANNA"
is "$STATUS" 400 "a day before the account began is refused"
like "$OUT" 'id="period-err">Choose a day in a review period that has begun; the first began on 2025-10-01' "the message says why"
like "$OUT" 'value="2025-09-30"' "the period is kept"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met&period=2026-04-01" "$ANNA"
is "$STATUS" 400 "a period that has not begun is refused"
like "$OUT" 'id="period-err">' "the message sits next to the period"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met&note=$(printf '%02001d' 0)" "$ANNA"
is "$STATUS" 400 "a note over 2000 characters is refused"
like "$OUT" 'id="note-err">Note must be at most 2000' "the message sits next to the note"
is "$(sql "SELECT count(*) FROM expectation_assessments")" 0 "no bad assessment is written"
cgi POST "$L/$e/assess" "csrf=wrong&rating=met" "$ANNA"
is "$STATUS" 403 "assessing needs the CSRF token"

cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=partly&note=$(urlenc 'Two late “deliveries” <i>again</i>')" "$ANNA"
is "$STATUS" 303 "the stating side assesses the current period"
like "$HDR" "^Location: .*$L/$e\\?notice=expectation-assessed" "back to it with a notice"
is "$(sql "SELECT period_start || '|' || period_end || '|' || rating || '|' || note || '|' || assessed_by FROM expectation_assessments WHERE expectation_id = $e")" \
	"2026-01-01|2026-03-31|partly|Two late “deliveries” <i>again</i>|$anna" "the current period is assessed"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'expectation' AND entity_id = $e AND action = 'assess' AND detail = '2026-01-01..2026-03-31 partly'")" 1 "the assessment is audited"
before=$(audits)
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met&period=2026-02-10" "$ANNA"
is "$STATUS" 409 "a second assessment of the same period is a conflict"
like "$OUT" 'id="period-err">The period 2026-01-01 to 2026-03-31 is assessed already' "the message sits next to the period"
is "$(sql "SELECT count(*) || '|' || max(rating) FROM expectation_assessments")" "1|partly" "the first assessment stays as it was"
is "$(audits)" "$before" "nothing more is audited"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met&period=2025-11-15" "$ANNA"
is "$STATUS" 303 "an earlier period can be assessed"
is "$(sql "SELECT period_end || '|' || rating FROM expectation_assessments WHERE expectation_id = $e AND period_start = '2025-10-01'")" \
	"2025-12-31|met" "it is the period holding that day"

cgi GET "$L/$e" "" "$CARLA"
like "$OUT" '2026-01-01 to 2026-03-31</th><td><span class="rating rating-partly">Partly met' "both sides see the assessments"
like "$OUT" 'Two late “deliveries” &lt;i&gt;again&lt;/i&gt;' "the note is shown as text"
like "$OUT" '2025-10-01 to 2025-12-31' "the earlier period is listed too"

# ---- the list: filters and pages -------------------------------------------
cgi_login dev@acme.example; ok $? "dev (supplier member) signs in"
DEV=$SESSION
cgi POST "$L" "csrf=$CSRF&title=$(urlenc 'Forecasts by the 5th')" "$DEV"
is "$STATUS" 303 "the supplier states an expectation too"
cgi GET "$L/$(sql "SELECT max(id) FROM expectations")" "" "$ANNA"
like "$OUT" 'Measurable target</dt><dd>none given' "a missing target says so"
like "$OUT" "action=\"$L/[0-9]+/acknowledge\"" "the buyer may acknowledge the supplier's expectation"
cgi GET "$L" "" "$ANNA"
like "$OUT" 'rating-partly">Partly met</span> <span class="muted">\(period from 2026-01-01\)' "the list shows the latest assessment"
like "$OUT" 'Forecasts by the 5th' "and both sides' expectations"
cgi GET "$L?state=acknowledged" "" "$ANNA"
is "$STATUS" 200 "the state filter works"
like "$OUT" 'Zoë' "it keeps the acknowledged one"
unlike "$OUT" 'Forecasts by the 5th' "and drops the proposed one"
like "$OUT" '<option value="acknowledged" selected>' "the filter shows its choice"
cgi GET "$L?side=supplier" "" "$ANNA"
like "$OUT" 'Forecasts by the 5th' "the side filter keeps the supplier's"
unlike "$OUT" 'Zoë' "and drops the buyer's"
cgi GET "$L?state=retired&side=buyer" "" "$ANNA"
like "$OUT" 'No expectation matches these filters' "an empty filtered list says so"
cgi GET "$L?state=bogus" "" "$ANNA"
is "$STATUS" 400 "an unknown state filter is a bad request"
like "$OUT" 'id="f-state-err">State is not one of the choices' "the message sits next to the filter"
like "$OUT" 'Forecasts by the 5th' "the list is still shown"
cgi GET "$L?side=nobody" "" "$ANNA"
is "$STATUS" 400 "an unknown side filter is a bad request"
like "$OUT" 'id="f-side-err">Stated by is not one of the choices' "the message sits next to the filter"

sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
	INSERT INTO expectations (account_id, from_side, title, created_by, created_at)
	SELECT $acct, 'buyer', 'Bulk ' || i, $anna, '2026-03-01T00:00:00Z' FROM n"
cgi GET "$L?state=proposed" "" "$ANNA"
like "$OUT" 'Page 1 of 2' "a long list is paged"
like "$OUT" "href=\"$L\\?state=proposed&amp;page=2\" rel=\"next\"" "the next page keeps the filter"
cgi GET "$L?state=proposed&page=2" "" "$ANNA"
like "$OUT" 'Page 2 of 2' "the second page opens"
like "$OUT" 'Bulk 1<' "with the oldest entries"
unlike "$OUT" 'Bulk 25<' "and not the newest"

# ---- retiring ---------------------------------------------------------------
cgi POST "$L/$e/retire" "csrf=$ANNA_CSRF&reason=$(printf '%02001d' 0)" "$ANNA"
is "$STATUS" 400 "a reason over 2000 characters is refused"
like "$OUT" 'id="reason-err">Reason must be at most 2000' "the message sits next to the reason"
is "$(sql "SELECT state FROM expectations WHERE id = $e")" acknowledged "it is not retired"
cgi POST "$L/$e/retire" "csrf=wrong" "$ANNA"
is "$STATUS" 403 "retiring needs the CSRF token"
cgi POST "$L/$e/retire" "csrf=$ANNA_CSRF&reason=$(urlenc 'Superseded by the <em>framework</em> — 2026')" "$ANNA"
is "$STATUS" 303 "the stating side retires it"
like "$HDR" "^Location: .*$L/$e\\?notice=expectation-retired" "back to it with a notice"
is "$(sql "SELECT state || '|' || retired_by || '|' || retire_reason FROM expectations WHERE id = $e")" \
	"retired|$anna|Superseded by the <em>framework</em> — 2026" "it is retired with the reason"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'expectation' AND entity_id = $e AND action = 'retire' AND actor_user_id = $anna")" 1 "the retirement is audited"
is "$(sql "SELECT count(*) FROM expectation_assessments WHERE expectation_id = $e")" 2 "its assessments stay"
before=$(audits)
cgi POST "$L/$e/retire" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "retiring twice is a conflict"
like "$OUT" 'role="alert">This expectation is retired already' "the page says why"
cgi POST "$L/$e/assess" "csrf=$ANNA_CSRF&rating=met" "$ANNA"
is "$STATUS" 409 "a retired expectation cannot be assessed"
cgi POST "$L/$e/acknowledge" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 409 "nor acknowledged"
is "$(audits)" "$before" "nothing more is audited"
cgi GET "$L/$e" "" "$CARLA"
like "$OUT" 'Superseded by the &lt;em&gt;framework&lt;/em&gt; — 2026' "the reason is shown as text"
unlike "$OUT" "action=\"$L/$e/(acknowledge|retire|assess)\"" "no actions are offered any more"

done_testing
