#!/bin/sh
# t-cgi-feedback.sh: satisfaction ratings: list, give, detail, withdraw.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
blue=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
dev_id=$(sql "SELECT id FROM users WHERE email = 'dev@acme.example'")
rows() { sql "SELECT count(*) || '/' || count(withdrawn_at) FROM feedback"; }
audits() { sql "SELECT count(*) FROM audit_events WHERE entity = 'feedback'"; }
LIST="/accounts/$acct/feedback"

cgi_login dev@acme.example; ok $? "dev (supplier member) signs in"
DEV=$SESSION; DEV_CSRF=$CSRF
cgi GET "$LIST" "" "$DEV"
is "$STATUS" 200 "the feedback page opens"
like "$OUT" '<h1>Feedback</h1>' "it is headed Feedback"
like "$OUT" 'No feedback has been given yet' "an empty list says so"
like "$OUT" 'Give feedback about Northwind Foods' "the form names the side it is about"
like "$OUT" '<legend>Rating</legend>' "the ratings are a labelled group"
for r in 1 2 3 4 5; do
	like "$OUT" "<label for=\"rating-$r\">$r of 5 – " "rating $r has a label in words"
done
for f in aspect comment f-side f-aspect; do
	like "$OUT" "<label for=\"$f\">" "the $f field has a label"
done

# ---- giving feedback ------------------------------------------------------
comment=$(printf 'Clear <em>forecasts</em>, merci beaucoup ✓\nKeep it up.')
cgi POST "$LIST" "csrf=$DEV_CSRF&rating=4&aspect=communication&comment=$(urlenc "$comment")" "$DEV"
is "$STATUS" 303 "feedback is given"
f1=$(sql "SELECT max(id) FROM feedback")
like "$HDR" "^Location: .*/accounts/$acct/feedback/$f1\\?notice=feedback-given\$" "then it is shown, with a notice"
is "$(sql "SELECT from_side || '|' || rating || '|' || aspect || '|' || created_by FROM feedback WHERE id = $f1")" \
	"supplier|4|communication|$dev_id" "the row holds the rating"
is "$(sql "SELECT comment FROM feedback WHERE id = $f1")" "$comment" "the comment round-trips, Unicode and lines intact"
is "$(sql "SELECT action || ' ' || detail || ' ' || actor_user_id FROM audit_events WHERE entity = 'feedback' AND entity_id = $f1")" \
	"create 4 of 5 on communication $dev_id" "the feedback is audited with its actor"

cgi GET "$LIST/$f1?notice=feedback-given" "" "$DEV"
is "$STATUS" 200 "the feedback's page opens"
like "$OUT" 'role="status">Your feedback was recorded.' "the notice is shown"
like "$OUT" '<h1>Feedback: 4 of 5 <span class="stars" aria-hidden="true">★★★★☆</span></h1>' \
	"the rating reads as text, the stars are decoration"
like "$OUT" 'Clear &lt;em&gt;forecasts&lt;/em&gt;, merci beaucoup ✓' "HTML in the comment is shown as text"
unlike "$OUT" '<em>forecasts' "no markup is injected"
like "$OUT" '<dt>Aspect</dt><dd>communication</dd>' "the aspect is shown"
like "$OUT" '>Withdraw feedback</button>' "the giving side may withdraw it"

cgi POST "$LIST" "csrf=$DEV_CSRF&rating=2&aspect=&comment=" "$DEV"
is "$STATUS" 303 "overall feedback without a comment is fine"
f2=$(sql "SELECT max(id) FROM feedback")
is "$(sql "SELECT rating || '|' || coalesce(aspect, 'overall') || '|' || comment FROM feedback WHERE id = $f2")" "2|overall|" "no aspect is stored as none"

cgi GET "$LIST" "" "$DEV"
like "$OUT" "feedback/$f1\">4 of 5</a>" "the list reads 4 of 5"
like "$OUT" "feedback/$f2\">2 of 5</a>" "and 2 of 5"
like "$OUT" '<td>overall</td>' "overall feedback is named so"

# ---- bad input --------------------------------------------------------------
state() { echo "$(rows)|$(audits)"; }
bad() { bad_form "$1" state "$LIST" "csrf=$DEV_CSRF&$2" "$DEV" "$3" "$4" "${5-}"; }
bad "no rating" "aspect=value&comment=Kept" rating 'Rating is required.' '>Kept</textarea>'
bad "rating 0" "rating=0&comment=Kept" rating 'Rating must be between 1 and 5.' '>Kept</textarea>'
bad "rating 6" "rating=6" rating 'Rating must be between 1 and 5.'
bad "rating abc" "rating=abc&aspect=quality" rating 'Rating must be a whole number.' '<option value="quality" selected>'
bad "an unknown aspect" "rating=4&aspect=price&comment=Z%C3%BCrich" aspect 'Aspect is not one of the choices.' '>Zürich</textarea>'
like "$OUT" 'id="rating-4" name="rating" value="4" checked' "the chosen rating stays checked"
bad "an over-long comment" "rating=3&comment=$(long 10001)" comment 'Comment must be at most 10000 characters.'
like "$OUT" 'class="error" role="alert">Please correct the fields marked below' "the form says something is wrong"

before=$(rows)
cgi POST "$LIST" "csrf=nope&rating=5" "$DEV"
is "$STATUS" 403 "a wrong CSRF token is refused"
is "$(rows)" "$before" "nothing is written without the token"

# ---- the other side, and strangers -----------------------------------------
cgi_login ben@northwind.example; ok $? "ben (buyer member) signs in"
BEN=$SESSION; BEN_CSRF=$CSRF
cgi GET "$LIST/$f1" "" "$BEN"
is "$STATUS" 200 "the side it is about sees the feedback"
unlike "$OUT" '>Withdraw feedback</button>' "but is not offered to withdraw it"
before=$(rows); abefore=$(audits)
cgi POST "$LIST/$f1/withdraw" "csrf=$BEN_CSRF" "$BEN"
is "$STATUS" 403 "the other side cannot withdraw it"
like "$OUT" 'role="alert">Only the side that gave this feedback can withdraw it.' "the page says why"
is "$(rows)|$(audits)" "$before|$abefore" "the feedback stays as it was"
cgi POST "$LIST" "csrf=$BEN_CSRF&rating=5&aspect=delivery" "$BEN"
is "$STATUS" 303 "the buyer gives feedback too"
f3=$(sql "SELECT max(id) FROM feedback")

cgi_login erik@bluefield.example; ok $? "erik (not party to the Acme account) signs in"
ERIK=$SESSION
before=$(rows); abefore=$(audits)
cgi GET "$LIST" "" "$ERIK"
is "$STATUS" 404 "a stranger gets 404 on the list"
cgi GET "$LIST/$f1" "" "$ERIK"
is "$STATUS" 404 "a stranger gets 404 on an entry"
unlike "$OUT" 'forecasts' "and sees nothing of it"
cgi POST "$LIST" "csrf=$CSRF&rating=1" "$ERIK"
is "$STATUS" 404 "a stranger cannot give feedback"
cgi POST "$LIST/$f1/withdraw" "csrf=$CSRF" "$ERIK"
is "$STATUS" 404 "a stranger cannot withdraw feedback"
is "$(rows)|$(audits)" "$before|$abefore" "strangers change nothing"
cgi GET "/accounts/$blue/feedback/$f1" "" "$BEN"
is "$STATUS" 404 "feedback is only found under its own account"
cgi GET "$LIST/999999" "" "$BEN"
is "$STATUS" 404 "missing feedback answers 404"

# ---- withdrawing --------------------------------------------------------------
cgi_login carla@acme.example; ok $? "carla (supplier admin) signs in"
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi POST "$LIST/$f1/withdraw" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 303 "anyone of the giving side may withdraw it"
like "$HDR" "^Location: .*/accounts/$acct/feedback/$f1\\?notice=feedback-withdrawn\$" "back to the entry with a notice"
is "$(sql "SELECT withdrawn_at FROM feedback WHERE id = $f1")" "2026-03-02T09:00:00Z" "the row is marked withdrawn, not deleted"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'feedback' AND entity_id = $f1 AND action = 'withdraw'")" 1 "the withdrawal is audited"
before=$(rows); abefore=$(audits)
cgi POST "$LIST/$f1/withdraw" "csrf=$CARLA_CSRF" "$CARLA"
is "$STATUS" 409 "withdrawing twice is a conflict"
like "$OUT" 'role="alert">This feedback has already been withdrawn.' "the page says why"
is "$(rows)|$(audits)" "$before|$abefore" "nothing changes"

# ---- filters and pages ----------------------------------------------------
cgi GET "$LIST?side=buyer" "" "$CARLA"
is "$STATUS" 200 "the list filters by the giving side"
like "$OUT" "feedback/$f3\"" "the buyer's feedback is listed"
unlike "$OUT" "feedback/$f2\"" "the supplier's is not"
cgi GET "$LIST?aspect=communication" "" "$CARLA"
like "$OUT" "feedback/$f1\"" "the list filters by aspect"
unlike "$OUT" "feedback/$f3\"" "other aspects are left out"
like "$OUT" 'class="tag">withdrawn' "withdrawn feedback stays listed, marked"
cgi GET "$LIST?aspect=price" "" "$CARLA"
is "$STATUS" 400 "an unknown aspect filter is refused"
like "$OUT" 'id="f-aspect-err">Aspect is not one of the choices.' "the message is next to the filter"
cgi GET "$LIST?side=both" "" "$CARLA"
is "$STATUS" 400 "an unknown side filter is refused"
like "$OUT" 'id="f-side-err">Given by is not one of the choices.' "the message is next to that filter"

sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
	INSERT INTO feedback (account_id, from_side, rating, comment, created_by, created_at)
	SELECT $acct, 'supplier', 1 + i % 5, 'Batch ' || i, $dev_id, '2026-01-01T09:00:00Z' FROM n"
cgi GET "$LIST?side=supplier" "" "$CARLA"
like "$OUT" 'Page 1 of 2' "a long list is paged"
like "$OUT" "href=\"/accounts/$acct/feedback\\?side=supplier&amp;page=2\" rel=\"next\"" "the next page keeps the filter"
cgi GET "$LIST?side=supplier&page=2" "" "$CARLA"
is "$(grep -c 'feedback/[0-9]*">[1-5] of 5' "$OUT")" 2 "the rest on page two"

done_testing
