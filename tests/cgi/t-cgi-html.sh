#!/bin/sh
# t-cgi-html.sh: every page, as each kind of user sees it, is valid HTML5
# by the W3C's Nu validator (vnu.jar from tests/web, run with Java).
. "${top_srcdir:-.}/tests/lib.sh"

VNU="$top_srcdir/tests/web/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -r "$VNU" ] || ! command -v java >/dev/null 2>&1; then
	# ./keepword test installs both and sets KEEPWORD_REQUIRE_WEB.
	if [ -n "${KEEPWORD_REQUIRE_WEB-}" ]; then
		echo "Bail out! vnu.jar or java missing (npm ci in tests/web)"
		exit 1
	fi
	echo "1..0 # SKIP vnu.jar or java missing (npm ci in tests/web)"
	exit 0
fi
t_db_init_history || { echo "Bail out! kwctl demo failed"; exit 1; }

PAGES="$T_TMP/pages"
mkdir -p "$PAGES"
# keep NAME: save the last page for validation; it has a main landmark
keep() {
	cp "$OUT" "$PAGES/$1.html"
	like "$OUT" '<main[ >]' "the $1 page ($STATUS) has a main landmark"
}

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
cgi GET /login;					keep login
anon=$(set_cookie kw_csrf)
cgi POST /login "csrf=$anon&email=x%40y.example&password=wrong-one" "kw_csrf=$anon"
keep login-refused
cgi POST /login "csrf=$anon&email=&password=" "kw_csrf=$anon"
keep login-invalid
cgi GET /no/such/page;				keep not-found

cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET / "" "$SESSION";			keep dashboard
cgi GET "/?notice=signed-out" "" "$SESSION";	keep dashboard-notice
cgi GET "/accounts/$acct" "" "$SESSION";	keep account
cgi GET /org/users "" "$SESSION";		keep users
cgi POST /org/users "csrf=$CSRF&name=&email=not-an-email&role=boss&password=x" "$SESSION"
keep users-invalid
cgi GET /org/identifiers "" "$SESSION";	keep identifiers-empty
cgi POST /org/identifiers "csrf=$CSRF&scheme=GLN&value=4012345000009" "$SESSION"
cgi GET "/org/identifiers?notice=identifier-saved" "" "$SESSION"
keep identifiers
cgi POST /org/identifiers "csrf=$CSRF&scheme=ISBN&value=12" "$SESSION"
keep identifiers-invalid
cgi GET /org/tokens "" "$SESSION";		keep tokens-empty
cgi POST /org/tokens "csrf=$CSRF&name=&scope=admin&account=x" "$SESSION"
keep tokens-invalid
cgi POST /org/tokens "csrf=$CSRF&name=$(urlenc 'ERP <sync>')&scope=read&account=$acct" "$SESSION"
keep token-created
cgi POST /org/tokens "csrf=$CSRF&name=Importer&scope=read-write&account=$acct" "$SESSION"
cgi POST "/org/tokens/$(sql "SELECT min(id) FROM api_tokens")/revoke" "csrf=$CSRF" "$SESSION"
cgi GET "/org/tokens?notice=token-revoked" "" "$SESSION"
keep tokens
cgi GET /operator "" "$SESSION";		keep forbidden
ANNA=$SESSION; ANNA_CSRF=$CSRF

# promises: lists, details in each state and side, forms with errors
cgi GET "/accounts/$acct/promises" "" "$SESSION";	keep promises-empty
cgi POST "/accounts/$acct/promises" "csrf=$CSRF&title=&due_date=2026-02-30&expectation_id=abc" "$SESSION"
keep promises-invalid
cgi POST "/accounts/$acct/promises" "csrf=$CSRF&title=$(urlenc 'Pay <b>invoice</b> für Zoë')&detail=Two%0Alines&due_date=2099-03-10" "$SESSION"
pb=$(sql "SELECT max(id) FROM promises")
cgi GET "/accounts/$acct/promises/$pb?notice=promise-created" "" "$SESSION"
keep promise-promisor
cgi POST "/accounts/$acct/promises/$pb/deliver" "csrf=$CSRF&note=&delivered_on=2099-01-01" "$SESSION"
keep promise-deliver-invalid
cgi POST "/accounts/$acct/promises/$pb/renegotiate" "csrf=$CSRF&new_due=2000-01-01&due_reason=" "$SESSION"
keep promise-renegotiate-invalid
cgi POST "/accounts/$acct/promises/$pb/break" "csrf=$CSRF&break_reason=" "$SESSION"
keep promise-break-invalid
cgi POST "/accounts/$acct/promises/$pb/confirm" "csrf=$CSRF" "$SESSION"
keep promise-wrong-side
cgi POST "/accounts/$acct/promises/$pb/renegotiate" "csrf=$CSRF&new_due=2099-04-01&due_reason=Budget" "$SESSION"
cgi POST "/accounts/$acct/promises/$pb/deliver" "csrf=$CSRF&note=Paid&delivered_on=2026-01-02" "$SESSION"
cgi GET "/accounts/$acct/promises/$pb" "" "$SESSION";	keep promise-delivered-promisor
cgi POST "/accounts/$acct/promises/$pb/deliver" "csrf=$CSRF&note=Paid&delivered_on=2026-01-02" "$SESSION"
keep promise-conflict
cgi GET "/accounts/$acct/promises?state=overdue&side=buyer" "" "$SESSION"
keep promises-filtered
cgi GET "/accounts/$acct/promises?state=bogus&side=seller" "" "$SESSION"
keep promises-bad-filter

cgi_login ops@keepword.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET /operator "" "$SESSION";		keep operator
cgi POST /operator/accounts "csrf=$CSRF&title=&buyer=1&supplier=1&cadence=weekly&start_date=2026-02-30" "$SESSION"
keep operator-invalid

cgi_login dev@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET / "" "$SESSION";			keep dashboard-supplier
cgi GET "/accounts/$acct" "" "$SESSION";	keep account-supplier
cgi GET "/accounts/$acct/promises" "" "$SESSION";	keep promises-supplier
cgi GET "/accounts/$acct/promises/$pb" "" "$SESSION";	keep promise-promisee
cgi POST "/accounts/$acct/promises/$pb/dispute" "csrf=$CSRF&dispute_reason=" "$SESSION"
keep promise-dispute-invalid
cgi POST "/accounts/$acct/promises/$pb/dispute" "csrf=$CSRF&dispute_reason=Not+received" "$SESSION"
cgi POST "/accounts/$acct/promises/$pb/accept-due" "csrf=$CSRF" "$SESSION"
cgi GET "/accounts/$acct/promises/$pb" "" "$SESSION";	keep promise-disputed-promisee
cgi POST "/accounts/$acct/promises/$pb/break" "csrf=$ANNA_CSRF&break_reason=$(urlenc 'Budget <i>frozen</i>')" "$ANNA"
cgi GET "/accounts/$acct/promises/$pb" "" "$SESSION";	keep promise-broken

# comments, inbox, activity, owners
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
ANNA=$SESSION; ANNA_CSRF=$CSRF
anna=$(sql "SELECT id FROM users WHERE email = 'anna@northwind.example'")
ben=$(sql "SELECT id FROM users WHERE email = 'ben@northwind.example'")
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, created_by, created_at) VALUES ($acct, 'supplier', 'Samples', '2026-04-01', '2026-04-01', $anna, '2026-03-01T10:00:00Z')"
promise=$(sql "SELECT max(id) FROM promises")
cgi POST "/accounts/$acct/promises/$promise/comments" "csrf=$CSRF&comment_body=$(urlenc '<b>Hello</b> «Zoë»
two lines')" "$SESSION"
cgi POST "/accounts/$acct/promises/$promise/comments" "csrf=$CSRF&comment_body=To+withdraw" "$SESSION"
cid=$(sql "SELECT max(id) FROM comments")
cgi POST "/accounts/$acct/comments/$cid/withdraw" "csrf=$CSRF" "$SESSION"
cgi POST "/accounts/$acct/promises/$promise/comments" "csrf=$CSRF&comment_body=" "$SESSION"
keep comment-error
cgi GET /inbox "" "$SESSION";			keep inbox-empty
for k in 1 2 3; do
	sql "INSERT INTO notifications (user_id, account_id, kind, entity, entity_id, text, key, created_at) VALUES ($anna, $acct, 'delivery', 'promise', $promise, 'Delivery <$k> to confirm', 'k$k', '2026-03-01T10:00:00Z')"
done
cgi GET "/inbox/$(sql "SELECT min(id) FROM notifications")" "" "$SESSION"
cgi GET /inbox "" "$SESSION";			keep inbox
cgi GET "/inbox?state=unread" "" "$SESSION";	keep inbox-unread
cgi GET "/accounts/$acct/activity" "" "$SESSION"; keep activity
cgi GET "/accounts/$acct/owners" "" "$SESSION";	keep owners
cgi POST "/accounts/$acct/owners" "csrf=$CSRF&owner=&note=$(urlenc '<i>kept</i>')" "$SESSION"
keep owners-invalid
cgi POST "/accounts/$acct/owners" "csrf=$CSRF&owner=$ben&note=$(urlenc 'Call Carla «Zoë»')" "$SESSION"
cgi_login ben@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET "/accounts/$acct/owners" "" "$SESSION";	keep owners-handed-over
cgi_login dev@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET "/accounts/$acct/owners" "" "$SESSION";	keep owners-member

# Contacts, feedback and concerns: lists, details, forms with errors.
today=$(date -u +%Y-%m-%d)
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi GET "/accounts/$acct/contacts" "" "$ANNA";	keep contacts-empty
cgi POST "/accounts/$acct/contacts" "csrf=$ANNA_CSRF&date=$today&channel=call&participants=Anna%2C%20Carla&summary=Line%20one%0ALine%20two" "$ANNA"
contact=$(sql "SELECT max(id) FROM contacts")
cgi GET "/accounts/$acct/contacts?notice=contact-logged" "" "$ANNA"; keep contacts
cgi POST "/accounts/$acct/contacts" "csrf=$ANNA_CSRF&date=2999-01-01&channel=fax&participants=&summary=" "$ANNA"
keep contacts-invalid
cgi GET "/accounts/$acct/contacts?channel=fax" "" "$ANNA"; keep contacts-filter-invalid
cgi GET "/accounts/$acct/contacts/$contact" "" "$ANNA"; keep contact
cgi POST "/accounts/$acct/feedback" "csrf=$ANNA_CSRF&rating=4&aspect=quality&comment=Good" "$ANNA"
fb=$(sql "SELECT max(id) FROM feedback")
cgi GET "/accounts/$acct/feedback" "" "$ANNA";	keep feedback-list
cgi POST "/accounts/$acct/feedback" "csrf=$ANNA_CSRF&rating=abc&aspect=price" "$ANNA"
keep feedback-invalid
cgi GET "/accounts/$acct/feedback/$fb" "" "$ANNA"; keep feedback
cgi POST "/accounts/$acct/concerns" "csrf=$ANNA_CSRF&title=Late%20pallets&detail=Three%20times" "$ANNA"
concern=$(sql "SELECT max(id) FROM concerns")
cgi GET "/accounts/$acct/concerns" "" "$ANNA";	keep concerns
cgi POST "/accounts/$acct/concerns" "csrf=$ANNA_CSRF&title=&detail=" "$ANNA"
keep concerns-invalid
cgi GET "/accounts/$acct/concerns?state=closed" "" "$ANNA"; keep concerns-filter-invalid
cgi GET "/accounts/$acct/concerns/$concern" "" "$ANNA"; keep concern-raiser
cgi POST "/accounts/$acct/concerns/$concern/propose" "csrf=$ANNA_CSRF&resolution=Mine" "$ANNA"
keep concern-forbidden

cgi_login carla@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET "/accounts/$acct/concerns/$concern" "" "$SESSION"; keep concern-other
cgi POST "/accounts/$acct/concerns/$concern/propose" "csrf=$CSRF&resolution=" "$SESSION"
keep concern-propose-invalid
cgi POST "/accounts/$acct/concerns/$concern/propose" "csrf=$CSRF&resolution=A%20second%20carrier" "$SESSION"
cgi POST "/accounts/$acct/contacts/$contact/withdraw" "csrf=$CSRF" "$SESSION"
keep contact-forbidden
cgi POST "/accounts/$acct/feedback/$fb/withdraw" "csrf=$CSRF" "$SESSION"
keep feedback-forbidden
cgi GET "/accounts/$acct/concerns/$concern" "" "$ANNA"; keep concern-proposed
cgi POST "/accounts/$acct/concerns/$concern/reject" "csrf=$ANNA_CSRF&reason=$(printf "%2001s" "" | tr ' ' x)" "$ANNA"
keep concern-reject-invalid
cgi POST "/accounts/$acct/concerns/$concern/accept" "csrf=$ANNA_CSRF" "$ANNA"
sql "INSERT INTO promises (account_id, promisor_side, title, due_date, original_due, concern_id, created_by, created_at)
	SELECT $acct, 'supplier', 'Book a carrier', '2026-04-01', '2026-04-01', $concern, id, '2026-03-02T09:00:00Z'
	FROM users WHERE email = 'carla@acme.example'"
cgi GET "/accounts/$acct/concerns/$concern" "" "$ANNA"; keep concern-resolved
cgi POST "/accounts/$acct/concerns/$concern/accept" "csrf=$ANNA_CSRF" "$ANNA"
keep concern-conflict
cgi POST "/accounts/$acct/contacts/$contact/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
cgi GET "/accounts/$acct/contacts/$contact" "" "$ANNA"; keep contact-withdrawn
cgi POST "/accounts/$acct/contacts/$contact/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
keep contact-conflict

# Expectations and strategic updates, as each side sees them.
A="/accounts/$acct"; E="$A/expectations"; U="$A/updates"
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi GET "$E" "" "$ANNA";			keep expectations-empty
cgi POST "$E" "csrf=$ANNA_CSRF&title=&detail=Kept&target=$(printf '%0201d' 0)" "$ANNA"
keep expectations-invalid
cgi POST "$E" "csrf=$ANNA_CSRF&title=On-time+delivery&detail=Two%0Alines&target=98%25" "$ANNA"
eid=$(sql "SELECT max(id) FROM expectations")
cgi GET "$E" "" "$ANNA";			keep expectations
cgi GET "$E?state=bogus&side=nobody" "" "$ANNA";	keep expectations-bad-filter
cgi GET "$E/$eid?notice=expectation-added" "" "$ANNA";	keep expectation
cgi POST "$E/$eid/acknowledge" "csrf=$ANNA_CSRF" "$ANNA"
keep expectation-forbidden
cgi POST "$E/$eid/retire" "csrf=$ANNA_CSRF&reason=$(printf '%02001d' 0)" "$ANNA"
keep expectation-retire-invalid
cgi GET "$U" "" "$ANNA";			keep updates-empty
cgi POST "$U" "csrf=$ANNA_CSRF&kind=gossip&title=&body=" "$ANNA"
keep updates-invalid
cgi POST "$U" "csrf=$ANNA_CSRF&kind=direction&title=Growth+plan&body=Two%0Alines" "$ANNA"
uid=$(sql "SELECT max(id) FROM updates")
cgi GET "$U/$uid?notice=update-posted" "" "$ANNA";	keep update
cgi GET "$U?kind=gossip" "" "$ANNA";		keep updates-bad-filter

cgi_login dev@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
DEV=$SESSION; DEV_CSRF=$CSRF
cgi GET "$E/$eid" "" "$DEV";			keep expectation-supplier
cgi POST "$E/$eid/acknowledge" "csrf=$DEV_CSRF" "$DEV"
cgi POST "$E/$eid/acknowledge" "csrf=$DEV_CSRF" "$DEV"
keep expectation-conflict
cgi GET "$U" "" "$DEV";				keep updates-unread
cgi GET "$U/$uid" "" "$DEV";			keep update-supplier
cgi POST "$U/$uid/read" "csrf=$DEV_CSRF" "$DEV"
cgi GET "$U/$uid?notice=update-read" "" "$DEV";	keep update-read
cgi POST "$U/$uid/read" "csrf=$DEV_CSRF" "$ANNA"
cgi POST "$U/$uid/read" "csrf=$ANNA_CSRF" "$ANNA"
keep update-forbidden

cgi GET "$E/$eid" "" "$ANNA";			keep expectation-acknowledged
cgi POST "$E/$eid/assess" "csrf=$ANNA_CSRF&rating=superb&period=2026-02-30&note=Kept" "$ANNA"
keep expectation-assess-invalid
cgi POST "$E/$eid/assess" "csrf=$ANNA_CSRF&rating=partly&note=Late+twice" "$ANNA"
cgi GET "$E/$eid?notice=expectation-assessed" "" "$ANNA"
keep expectation-assessed
cgi POST "$E/$eid/assess" "csrf=$ANNA_CSRF&rating=met" "$ANNA"
keep expectation-assess-conflict
cgi POST "$E/$eid/retire" "csrf=$ANNA_CSRF&reason=Superseded" "$ANNA"
cgi GET "$E/$eid" "" "$DEV";			keep expectation-retired
cgi POST "$U/$uid/withdraw" "csrf=$ANNA_CSRF" "$ANNA"
cgi GET "$U/$uid" "" "$DEV";			keep update-withdrawn

# Reviews: the list, a draft, an open review with its forms, errors,
# refusals and a frozen one with the "changed since" note.
R="/accounts/$acct/reviews"
cgi GET "$R" "" "$ANNA";			keep reviews-empty
"$KWCTL" -d "$T_DB" reviews run >/dev/null 2>&1
rid=$(sql "SELECT max(id) FROM reviews WHERE account_id = $acct")
cgi GET "$R" "" "$ANNA";			keep reviews
cgi POST "$R" "csrf=$ANNA_CSRF" "$ANNA"
draft=$(sql "SELECT max(id) FROM reviews WHERE state = 'draft'")
cgi GET "$R/$draft?notice=review-drafted" "" "$ANNA"; keep review-draft
cgi POST "$R" "csrf=$ANNA_CSRF" "$ANNA";	keep reviews-conflict
cgi GET "$R/$rid" "" "$ANNA";			keep review
cgi POST "$R/$rid/actions" "csrf=$ANNA_CSRF&title=&due_date=2020-01-01" "$ANNA"
keep review-action-invalid
cgi POST "$R/$rid/actions" "csrf=$ANNA_CSRF&title=Monthly+call&due_date=2999-01-01" "$ANNA"
# anna handed the buyer side to ben above: he signs, she may not
cgi POST "$R/$rid/sign" "csrf=$ANNA_CSRF" "$ANNA"; keep review-sign-forbidden
cgi_login ben@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi POST "$R/$rid/sign" "csrf=$CSRF" "$SESSION"
cgi GET "$R/$rid?notice=review-signed" "" "$SESSION"; keep review-signed
cgi POST "$R/$rid/sign" "csrf=$CSRF" "$SESSION"; keep review-sign-conflict
cgi POST "$R/$rid/sign" "csrf=$DEV_CSRF" "$DEV"
sql "UPDATE promises SET state = 'broken' WHERE account_id = $acct AND promisor_side = 'supplier' AND due_date BETWEEN (SELECT period_start FROM reviews WHERE id = $rid) AND (SELECT period_end FROM reviews WHERE id = $rid)"
sql "INSERT INTO feedback (account_id, from_side, rating, created_by, created_at) SELECT $acct, 'buyer', 1, id, (SELECT period_start FROM reviews WHERE id = $rid) || 'T12:00:00Z' FROM users WHERE email = 'anna@northwind.example'"
cgi GET "$R/$rid" "" "$DEV";			keep review-frozen-changed

# Lists filtered as the scorecards' figures link to them, and bad filters.
cgi GET "$A/promises?side=supplier&due_from=2025-10-01&due_to=2025-12-31&outcome=kept-on-time" "" "$ANNA"
keep promises-period
cgi GET "$A/promises?due_from=2026-02-30&due_to=2025-01-01&outcome=lost" "" "$ANNA"
keep promises-bad-period
cgi GET "$E?side=buyer&from=2025-10-01&to=2025-12-31&assessed=not-yet" "" "$ANNA"
keep expectations-period
cgi GET "$E?from=2025-12-31&to=2025-10-01&assessed=maybe" "" "$ANNA"
keep expectations-bad-period
cgi GET "$U?side=buyer&from=2025-10-01&to=2025-12-31&read=yes" "" "$ANNA"
keep updates-period
cgi GET "$U?from=31.12.2025&read=perhaps" "" "$ANNA"
keep updates-bad-period
cgi GET "$A/contacts?from=2025-10-01&to=2025-12-31" "" "$ANNA"
keep contacts-period
cgi GET "$A/contacts?from=2025-12-31&to=2025-10-01" "" "$ANNA"
keep contacts-bad-period
cgi GET "$A/feedback?side=buyer&from=2025-10-01&to=2025-12-31" "" "$ANNA"
keep feedback-period
cgi GET "$A/feedback?to=2025-02-29" "" "$ANNA"
keep feedback-bad-period

java -Xss4m -jar "$VNU" --errors-only --format gnu "$PAGES"/*.html \
	>"$T_TMP/vnu.out" 2>&1
vnu_rc=$?
[ $vnu_rc -le 1 ]; ok $? "the validator ran (exit $vnu_rc)"
for f in "$PAGES"/*.html; do
	name=$(basename "$f" .html)
	if grep -F "/$name.html\"" "$T_TMP/vnu.out" >"$T_TMP/errs"; then
		ok 1 "the $name page is valid HTML5"
		diag "$(head -20 "$T_TMP/errs")"
	else
		ok 0 "the $name page is valid HTML5"
	fi
done

done_testing
