#!/bin/sh
# t-cgi-links.sh: every figure of a review's scorecards links to the list of
# the entries behind it. On a fixed clock, with ledger entries on and just
# past the edges of the period, each link on a review page (an ended period
# and a running one) is followed: the list shows exactly as many entries as
# the figure says, says so in words and keeps its filters across pages. Bad
# filters are refused with 400; another org's user gets 404.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-03-02T09:00:00Z; export KEEPWORD_NOW
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
A="/accounts/$acct"
uid() { sql "SELECT id FROM users WHERE email = '$1@$2.example'"; }
anna=$(uid anna northwind); ben=$(uid ben northwind)
carla=$(uid carla acme); dev=$(uid dev acme)

# ---- the ledger: the account's first period is 2026-03-02..2026-03-31 ----
# promise SIDE DUE STATE [ON_TIME]: a promise made on 03-01; its id
promise() {
	sql "INSERT INTO promises (account_id, promisor_side, title, due_date,
		original_due, state, on_time, kept_on, created_by, created_at)
		VALUES ($acct, '$1', 'Due $2', '$2', '$2', '$3', ${4:-NULL},
		CASE WHEN '$3' = 'kept' THEN '$2' END,
		CASE '$1' WHEN 'buyer' THEN $anna ELSE $carla END,
		'2026-03-01T09:00:00Z');
		SELECT last_insert_rowid()"
}
# moved ID OLD: promise ID's due date was moved from OLD, accepted
moved() {
	sql "INSERT INTO promise_due_changes (promise_id, old_due, new_due,
		reason, proposed_by, proposed_at, outcome, decided_by, decided_at)
		SELECT id, '$2', due_date, 'Later', $carla, '2026-03-03T09:00:00Z',
		'accepted', $anna, '2026-03-03T10:00:00Z' FROM promises
		WHERE id = $1"
}
promise supplier 2026-03-02 kept 1 >/dev/null	# the first day: on time
promise supplier 2026-03-31 kept 0 >/dev/null	# the last day: late
promise supplier 2026-03-01 open >/dev/null	# the day before: not counted
promise supplier 2026-03-15 broken >/dev/null
promise supplier 2026-03-20 delivered >/dev/null
promise supplier 2026-03-25 disputed >/dev/null
moved "$(promise supplier 2026-03-10 open)" 2026-03-05	# moved within
moved "$(promise supplier 2026-04-20 open)" 2026-03-28	# moved out of it
promise supplier 2026-04-01 open >/dev/null	# the day after: Q2's
promise supplier 2026-04-09 open >/dev/null	# due the day before 04-10
promise supplier 2026-04-10 open >/dev/null	# due on 04-10: not yet
promise buyer 2026-03-31 kept 1 >/dev/null
promise buyer 2026-03-02 open >/dev/null

# expectation SIDE ACK [RETIRED]: stated on 03-01, acknowledged at ACK
# (none if empty), retired at RETIRED; its id
expectation() {
	sql "INSERT INTO expectations (account_id, from_side, title, state,
		created_by, created_at, acknowledged_by, acknowledged_at,
		retired_by, retired_at)
		VALUES ($acct, '$1', 'Acknowledged $2',
		CASE WHEN '${3-}' <> '' THEN 'retired' WHEN '$2' <> ''
		THEN 'acknowledged' ELSE 'proposed' END, $anna,
		'2026-03-01T09:00:00Z', NULLIF($ben * ('$2' <> ''), 0),
		NULLIF('$2', ''), NULLIF($ben * ('${3-}' <> ''), 0),
		NULLIF('${3-}', ''));
		SELECT last_insert_rowid()"
}
# assess ID START END RATING
assess() {
	sql "INSERT INTO expectation_assessments (expectation_id, period_start,
		period_end, rating, assessed_by, assessed_at)
		VALUES ($1, '$2', '$3', '$4', $anna, '2026-04-05T09:00:00Z')"
}
P="2026-03-02 2026-03-31"
assess "$(expectation buyer 2026-03-02T09:00:00Z)" $P met
assess "$(expectation buyer 2026-03-05T09:00:00Z)" $P partly
assess "$(expectation buyer 2026-03-31T23:59:59Z)" $P not-met
expectation buyer 2026-03-31T23:59:59Z >/dev/null	# waits: the last instant
expectation buyer 2026-04-01T00:00:00Z >/dev/null	# acknowledged too late
expectation buyer 2026-03-02T00:00:00Z 2026-03-02T00:00:00Z >/dev/null
expectation buyer "" >/dev/null			# never acknowledged
assess "$(expectation buyer 2026-03-10T09:00:00Z)" 2026-04-01 2026-06-30 met
assess "$(expectation supplier 2026-03-10T09:00:00Z)" $P met

# update SIDE AT [WITHDRAWN]: its id
update() {
	sql "INSERT INTO updates (account_id, side, kind, title, body,
		created_by, created_at, withdrawn_at)
		VALUES ($acct, '$1', 'direction', 'At $2', 'Text',
		CASE '$1' WHEN 'buyer' THEN $anna ELSE $carla END, '$2',
		NULLIF('${3-}', ''));
		SELECT last_insert_rowid()"
}
# read ID USER: USER read update ID
read_by() {
	sql "INSERT INTO update_reads (update_id, user_id, read_at)
		VALUES ($1, $2, '2026-04-02T09:00:00Z')"
}
read_by "$(update supplier 2026-03-02T00:00:00Z)" "$ben"
update supplier 2026-03-31T23:59:59Z >/dev/null	# never read
update supplier 2026-03-01T23:59:59Z >/dev/null	# the instant before
update supplier 2026-04-01T00:00:00Z >/dev/null	# the instant after
read_by "$(update supplier 2026-03-10T09:00:00Z 2026-03-11T09:00:00Z)" "$anna"
read_by "$(update supplier 2026-03-11T09:00:00Z)" "$dev"	# its own side
read_by "$(update buyer 2026-03-12T09:00:00Z)" "$carla"

# contact DATE [WITHDRAWN] [SIDE]
contact() {
	sql "INSERT INTO contacts (account_id, side, contact_date, channel,
		participants, summary, created_by, created_at, withdrawn_at)
		VALUES ($acct, '${3:-buyer}', '$1', 'call', 'Both owners',
		'Call', $anna, '$1T18:00:00Z', NULLIF('${2-}', ''))"
}
contact 2026-03-02; contact 2026-03-31 "" supplier
contact 2026-03-01; contact 2026-04-01; contact 2026-04-10
contact 2026-03-15 2026-03-16T09:00:00Z
i=0; while [ $i -lt 21 ]; do contact 2026-03-20; i=$((i + 1)); done

# rating SIDE AT RATING [WITHDRAWN]
rating() {
	sql "INSERT INTO feedback (account_id, from_side, rating, created_by,
		created_at, withdrawn_at)
		VALUES ($acct, '$1', $3,
		CASE '$1' WHEN 'buyer' THEN $anna ELSE $carla END, '$2',
		NULLIF('${4-}', ''))"
}
rating buyer 2026-03-02T00:00:00Z 5; rating buyer 2026-03-31T23:59:59Z 3
rating buyer 2026-03-01T23:59:59Z 1; rating buyer 2026-04-01T00:00:00Z 1
rating buyer 2026-03-10T09:00:00Z 1 2026-03-11T09:00:00Z
rating supplier 2026-03-15T09:00:00Z 4

# ---- the reviews ------------------------------------------------------------
KEEPWORD_NOW=2026-04-10T09:00:00Z
"$KWCTL" -d "$T_DB" reviews run >/dev/null 2>&1
rid=$(sql "SELECT id FROM reviews WHERE account_id = $acct AND period_start = '2026-03-02'")
is "$(sql "SELECT period_end || ' ' || state FROM reviews WHERE id = $rid")" \
	"2026-03-31 open" "the job opened the ended period's review"
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
ANNA=$SESSION; ANNA_CSRF=$CSRF
cgi POST "$A/reviews" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "anna opens the running period's review as a draft"
draft=$(sql "SELECT id FROM reviews WHERE account_id = $acct AND period_start = '2026-04-01'")

# unamp: an href as the page escapes it, as a path again
unamp() { printf '%s' "$1" | sed 's/&amp;/\&/g'; }
# entries PLURAL: the number of entries the list in OUT links to
entries() { grep -Eo "href=\"$A/$1/[0-9]+\"" "$OUT" | wc -l | tr -d ' '; }
# listed PATH: follow PATH and the list's "next" links; LISTED gets the
# number of entries on all its pages, LISTED_PAGES how many pages
listed() {
	l_path=$1; LISTED=0; LISTED_PAGES=0
	l_plural=${1#"$A"/}; l_plural=${l_plural%%\?*}
	while [ -n "$l_path" ]; do
		cgi GET "$l_path" "" "$ANNA"
		[ "$STATUS" = 200 ] || { LISTED="status $STATUS"; return; }
		LISTED=$((LISTED + $(entries "$l_plural")))
		LISTED_PAGES=$((LISTED_PAGES + 1))
		l_path=$(unamp "$(sed -n 's/.*<a href="\([^"]*\)" rel="next">.*/\1/p' "$OUT")")
	done
}

# check_links NAME PATH MIN: every figure link of the review page at PATH
# (at least MIN of them) leads to a list of as many entries as it says;
# one test per link
check_links() {
	cgi GET "$2" "" "$ANNA"
	is "$STATUS" 200 "$1: the review page opens"
	grep -o '<a href="[^"]*">[^<]*<span class="sr-only"> ([^<]*)</span>' "$OUT" \
		>"$T_TMP/links"
	cl_n=$(wc -l <"$T_TMP/links" | tr -d ' ')
	[ "$cl_n" -ge "$3" ]; ok $? "$1: its scorecards have figure links ($cl_n)"
	while IFS= read -r cl_a; do
		cl_href=$(unamp "$(printf '%s' "$cl_a" | sed 's/<a href="\([^"]*\)".*/\1/')")
		cl_text=$(printf '%s' "$cl_a" | sed 's/<a href="[^"]*">\([^<]*\)<.*/\1/')
		cl_what=$(printf '%s' "$cl_a" | sed 's/.*class="sr-only"> (\(.*\))<\/span>.*/\1/')
		case $cl_text in
		*rating*) cl_want=$(printf '%s' "$cl_text" | sed 's/.*(\([0-9]*\) rating.*/\1/') ;;
		*) cl_want=$cl_text ;;
		esac
		listed "$cl_href"
		is "$LISTED" "$cl_want" "$1: $cl_what: $cl_want, and the list shows $LISTED"
	done <"$T_TMP/links"
}

check_links "ended period" "$A/reviews/$rid" 20
# the figures themselves, at the edges
cgi GET "$A/reviews/$rid" "" "$ANNA"
row() { grep -o "<th scope=\"row\">$1</th>.*</tr>" "$OUT" | sed 's/<span class="sr-only">[^<]*<\/span>//g; s/<a href="[^"]*">//g; s/<\/a>//g'; }
is "$(row 'Promises that fell due')" '<th scope="row">Promises that fell due</th><td>2</td><td>6</td></tr>' \
	"the promises due on the first and the last day count, a moved one where it is due now"
is "$(row 'Broken')" '<th scope="row">Broken</th><td>0</td><td>1</td></tr>' "a zero stays plain text"
like "$OUT" '<th scope="row">Broken</th><td>0</td>' "with no link"
is "$(row 'Renegotiated')" '<th scope="row">Renegotiated</th><td>0</td><td>1</td></tr>' "renegotiated"
is "$(row 'Expectations not yet assessed')" '<th scope="row">Expectations not yet assessed</th><td>0</td><td>3</td></tr>' \
	"not yet assessed: acknowledged by the last instant, retired on the first day, assessed only for another period"
is "$(row 'Updates shared')" '<th scope="row">Updates shared</th><td>1</td><td>3</td></tr>' "updates from the first to the last instant"
is "$(row 'Updates read by the other side')" '<th scope="row">Updates read by the other side</th><td>1</td><td>1</td></tr>' \
	"read by the other side's org only"
is "$(row 'Contacts (either side)')" '<th scope="row">Contacts (either side)</th><td>23</td><td>23</td></tr>' \
	"contacts from the first to the last day, standing ones"
like "$OUT" '<th scope="row">Satisfaction received</th><td><a href="[^"]*">4.0 of 5 \(1 rating\)' "the buyer's satisfaction links its rating"
like "$OUT" "href=\"$A/promises\\?side=supplier&amp;due_from=2026-03-02&amp;due_to=2026-03-31&amp;outcome=kept-late\"" \
	"an ended period's promises run to its last day"

check_links "running period" "$A/reviews/$draft" 9
cgi GET "$A/reviews/$draft" "" "$ANNA"
like "$OUT" "href=\"$A/promises\\?side=supplier&amp;due_from=2026-04-01&amp;due_to=2026-04-09\"" \
	"a running period's promises run to the day before today"
is "$(row 'Promises that fell due')" '<th scope="row">Promises that fell due</th><td>0</td><td>2</td></tr>' \
	"the one due today has not fallen due"
like "$OUT" "href=\"$A/contacts\\?from=2026-04-01&amp;to=2026-04-10\"" "its contacts run to today"
is "$(row 'Expectations met')" '<th scope="row">Expectations met</th><td>0</td><td>1</td></tr>' \
	"an assessment counts in its own period"

# ---- frozen, then changed: the figures as signed, links to today's -------
cgi_login carla@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
CARLA=$SESSION; CARLA_CSRF=$CSRF
cgi POST "$A/reviews/$rid/sign" "csrf=$ANNA_CSRF" "$ANNA"
cgi POST "$A/reviews/$rid/sign" "csrf=$CARLA_CSRF" "$CARLA"
is "$(sql "SELECT state FROM reviews WHERE id = $rid")" frozen "both sides sign: the review freezes"
sql "UPDATE promises SET state = 'kept', on_time = 1, kept_on = due_date
	WHERE account_id = $acct AND due_date = '2026-03-20'"
check_links "frozen, then changed" "$A/reviews/$rid" 20
cgi GET "$A/reviews/$rid" "" "$ANNA"
like "$OUT" '<th scope="row">Kept on time</th><td><a [^>]*>1<span [^>]*>[^<]*</span></a></td><td>1 <span class="now">\(now <a href="[^"]*outcome=kept-on-time">2<' \
	"a figure that changed stays as signed, unlinked, and links today's count"
like "$OUT" '<th scope="row">Delivered, awaiting confirmation</th><td>0</td><td>1 <span class="now">\(now 0\)</span></td>' \
	"a count that is 0 now links nowhere"

# ---- the lists say what they show, and keep it across pages ----------------
cgi GET "$A/promises?side=supplier&due_from=2026-03-02&due_to=2026-03-31&outcome=kept-on-time" "" "$ANNA"
is "$STATUS" 200 "a filtered list opens"
like "$OUT" '<p class="filter-summary">Promises of Acme Packaging due 2026-03-02 to 2026-03-31, kept on time — <strong>2</strong> · <a href="/accounts/[0-9]+/promises">Show all</a></p>' \
	"it says what it shows, how many, and the way back to all"
like "$OUT" 'id="f-due_from" name="due_from" type="date" value="2026-03-02"' "the form keeps the dates"
like "$OUT" '<option value="kept-on-time" selected>' "and the outcome"
listed "$A/contacts?from=2026-03-02&to=2026-03-31"
is "$LISTED $LISTED_PAGES" "23 2" "a long list takes two pages and all its entries"
cgi GET "$A/contacts?from=2026-03-02&to=2026-03-31" "" "$ANNA"
like "$OUT" "rel=\"next\"" "the first page links the next"
like "$OUT" "href=\"$A/contacts\\?from=2026-03-02&amp;to=2026-03-31&amp;page=2\" rel=\"next\"" "keeping the filters"
like "$OUT" 'Contacts dated 2026-03-02 to 2026-03-31, not withdrawn — <strong>23</strong>' "the contacts say so"
cgi GET "$A/expectations?side=buyer&from=2026-03-02&to=2026-03-31&assessed=not-yet" "" "$ANNA"
like "$OUT" 'Expectations stated by Northwind Foods, not yet assessed for the period 2026-03-02 to 2026-03-31 — <strong>3</strong>' "the expectations say so"
cgi GET "$A/updates?side=supplier&from=2026-03-02&to=2026-03-31&read=yes" "" "$ANNA"
like "$OUT" 'Updates by Acme Packaging shared 2026-03-02 to 2026-03-31, read by the other side — <strong>1</strong>' "the updates say so"
cgi GET "$A/feedback?side=buyer&from=2026-03-02&to=2026-03-31" "" "$ANNA"
like "$OUT" 'Feedback by Northwind Foods given 2026-03-02 to 2026-03-31, not withdrawn — <strong>2</strong>' "the feedback says so"
cgi GET "$A/feedback" "" "$ANNA"
unlike "$OUT" 'filter-summary' "an unfiltered list says nothing of filters"

# ---- bad filters: 400 with the reason at the field ---------------------------
cgi GET "$A/promises?due_from=2026-02-30&outcome=kept-on-time" "" "$ANNA"
is "$STATUS" 400 "a date that is none is refused"
like "$OUT" 'id="f-due_from-err">Enter a date as YYYY-MM-DD.' "with the reason next to the field"
like "$OUT" 'aria-describedby="f-due_from-err"' "which points to it"
like "$OUT" 'value="2026-02-30"' "keeping what was sent"
cgi GET "$A/promises?outcome=lost" "" "$ANNA"
is "$STATUS" 400 "an unknown outcome is refused"
like "$OUT" 'id="outcome-err">Outcome is not one of the choices.' "with the reason"
cgi GET "$A/contacts?from=2026-03-31&to=2026-03-02" "" "$ANNA"
is "$STATUS" 400 "a period that ends before it begins is refused"
like "$OUT" 'id="f-to-err">This date is before the one in “Dated from”.' "with the reason"
cgi GET "$A/expectations?assessed=maybe" "" "$ANNA"
is "$STATUS" 400 "an unknown assessment is refused"
cgi GET "$A/updates?read=perhaps&from=31.03.2026" "" "$ANNA"
is "$STATUS" 400 "as are an unknown reading and a date in another form"
like "$OUT" 'id="f-from-err">Enter a date as YYYY-MM-DD.' "each with its reason"
like "$OUT" 'id="f-read-err">' "both"
cgi GET "$A/feedback?to=2026-04-31" "" "$ANNA"
is "$STATUS" 400 "the feedback refuses a bad date too"

# ---- tenant isolation --------------------------------------------------------
cgi_login erik@bluefield.example || { echo "Bail out! cannot sign in"; exit 1; }
for l in "promises?side=supplier&due_from=2026-03-02&due_to=2026-03-31" \
	"expectations?from=2026-03-02&to=2026-03-31&assessed=met" \
	"updates?from=2026-03-02&to=2026-03-31&read=yes" \
	"contacts?from=2026-03-02&to=2026-03-31" \
	"feedback?from=2026-03-02&to=2026-03-31"; do
	cgi GET "$A/$l" "" "$SESSION"
	is "$STATUS" 404 "another org's user gets 404 for ${l%%\?*} filtered"
done

done_testing
