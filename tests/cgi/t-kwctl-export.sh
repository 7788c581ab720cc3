#!/bin/sh
# t-kwctl-export.sh: kwctl export writes the demo account's ledger, the
# changes since a high-water mark and one frozen review as XML that
# validates against the published schema, with text escaped as it must be.
. "${top_srcdir:-.}/tests/lib.sh"
KEEPWORD_NOW=2026-11-26T10:00:00Z; export KEEPWORD_NOW
t_db_init_history || { echo "Bail out! kwctl demo failed"; exit 1; }

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
export_to() { out=$1; shift; "$KWCTL" -d "$T_DB" export "$@" >"$out" 2>"$T_TMP/export.err"; }

# ---- the schema --------------------------------------------------------------
xmllint --noout "$XSD"
ok $? "the schema is well-formed"
is "$(xp "$XSD" "count(//*[local-name()='element'][not(*[local-name()='annotation']/*[local-name()='documentation'])])")" 0 \
	"every element is documented"
is "$(xp "$XSD" "count(//*[local-name()='complexType' or local-name()='simpleType'][not(*[local-name()='annotation'])])")" 0 \
	"so is every type"
is "$(xp "$XSD" "string(/*/@targetNamespace)")" "urn:keepword:exchange:1" "versioned by its namespace"
# an element of a simple type (or of simple content) is a leaf: its name
# ends in a representation term, as in UBL
grep -o '<xs:simpleType name="[^"]*"' "$XSD" | sed 's/.*name="//; s/"$//' >"$T_TMP/simple"
echo PartyIdentifierType >>"$T_TMP/simple"
grep -o '<xs:element name="[^"]*" type="[^"]*"' "$XSD" | sed 's/.*name="\([^"]*\)" type="\([^"]*\)"/\2 \1/' |
	awk 'NR == FNR { simple[$1] = 1; next } ($1 in simple) && $2 !~ /(ID|Code|Date|Time|Indicator|Quantity|Numeric|Percent|Name|Text)$/ { print $2 }' \
	"$T_TMP/simple" - >"$T_TMP/badnames"
is "$(cat "$T_TMP/badnames")" "" "leaf names end in a representation term"

# ---- the whole ledger ----------------------------------------------------------
export_to "$T_TMP/full.xml" "$acct"
ok $? "kwctl export writes the ledger"
valid "$T_TMP/full.xml"
ok $? "it validates against the schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -20
like "$T_TMP/full.xml" '^<AccountLedger xmlns="urn:keepword:exchange:1">' "an AccountLedger in the exchange namespace"
last=$(xp "$T_TMP/full.xml" "string(//*[local-name()='LastChangeSequenceNumeric'])")
is "$last" "$(sql "SELECT seq FROM change_seq")" "its high-water mark is the change counter"
is "$(xp "$T_TMP/full.xml" "string(//*[local-name()='ProfileExecutionID'])")" "$acct" "the header names the account"
for kind in Expectation:expectations Update:updates Promise:promises Contact:contacts Feedback:feedback Concern:concerns; do
	el=${kind%%:*}; tbl=${kind#*:}
	is "$(n "$T_TMP/full.xml" "$el")" "$(sql "SELECT count(*) FROM $tbl WHERE account_id = $acct")" "every ${el} of the account"
done
is "$(n "$T_TMP/full.xml" PromiseDelivery)" "$(sql "SELECT count(*) FROM promise_deliveries")" "every delivery, nested in its promise"
is "$(n "$T_TMP/full.xml" PromiseDueDateChange)" "$(sql "SELECT count(*) FROM promise_due_changes")" "every due-date change"
is "$(n "$T_TMP/full.xml" ExpectationAssessment)" "$(sql "SELECT count(*) FROM expectation_assessments")" "every assessment"
is "$(n "$T_TMP/full.xml" UpdateAcknowledgement)" "$(sql "SELECT count(*) FROM update_reads")" "every acknowledgement"
is "$(n "$T_TMP/full.xml" Comment)" "$(sql "SELECT count(*) FROM comments WHERE account_id = $acct")" "every comment"
is "$(n "$T_TMP/full.xml" AccountOwner)" 3 "the owners' history with the handover"
p=$(sql "SELECT id FROM promises WHERE account_id = $acct AND state = 'kept' AND on_time = 0 LIMIT 1")
is "$(xp "$T_TMP/full.xml" "string(//*[local-name()='Promise'][*[local-name()='ID'] = $p]/*[local-name()='OnTimeIndicator'])")" false \
	"a promise kept late says so"
is "$(xp "$T_TMP/full.xml" "count(//*[local-name()='Promise'][*[local-name()='StatusCode'] = 'kept'][not(*[local-name()='PromiseDelivery']/*[local-name()='OutcomeCode'] = 'confirmed')])")" 0 \
	"every kept promise carries its confirmed delivery"
# the operator's export shows every person's email
is "$(xp "$T_TMP/full.xml" "count(//*[local-name()='ElectronicMailText'])")" "$(xp "$T_TMP/full.xml" "count(//*[local-name()='Name'][parent::*[*[local-name()='SideCode']]])")" \
	"every person has an email in the system's export"

# ---- changes since the high-water mark ---------------------------------------
cgi_login dev@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
open=$(sql "SELECT id FROM promises WHERE account_id = $acct AND state = 'open' ORDER BY id LIMIT 1")
text='<b>Tom & "Jerry"</b> — Grüße ⇄ 日本 ]]> &amp;'
cgi POST "/accounts/$acct/promises/$open/comments" "csrf=$CSRF&comment_body=$(urlenc "$text")" "$SESSION"
is "$STATUS" 303 "dev comments on an open promise"
export_to "$T_TMP/since.xml" --since "$last" "$acct"
ok $? "kwctl export --since writes the changes"
valid "$T_TMP/since.xml"
ok $? "they validate" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -20
is "$(n "$T_TMP/since.xml" Promise)" 1 "only the changed promise"
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='Promise']/*[local-name()='ID'])")" "$open" "the one commented on"
is "$(xp "$T_TMP/since.xml" "count(/*/*[local-name()!='Promise'][*[local-name()='ChangeSequenceNumeric']])")" 0 \
	"and no other record"
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='SinceChangeSequenceNumeric'])")" "$last" "it names the mark it starts from"
new=$(xp "$T_TMP/since.xml" "string(//*[local-name()='LastChangeSequenceNumeric'])")
is "$new" "$(sql "SELECT seq FROM change_seq")" "and the new high-water mark"
[ "$new" -gt "$last" ]; ok $? "which is higher"
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='Promise']/*[local-name()='ChangeSequenceNumeric'])")" "$new" \
	"the promise carries the number of its latest change"

# ---- text is escaped and comes back as written -------------------------------
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='Comment'][last()]/*[local-name()='BodyText'])")" "$text" \
	"XML-special and non-ASCII text round-trips"
like "$T_TMP/since.xml" '&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; — Grüße ⇄ 日本 \]\]&gt; &amp;amp;' \
	"escaped in the document, UTF-8 kept as is"
# the system's export shows every person's email
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='Comment'][last()]/*[local-name()='CreatedByPerson']/*[local-name()='ElectronicMailText'])")" \
	dev@acme.example "the system sees dev's email"

export_to "$T_TMP/none.xml" --since "$new" "$acct"
valid "$T_TMP/none.xml"
ok $? "an export with no changes validates"
is "$(xp "$T_TMP/none.xml" "count(/*/*[*[local-name()='ChangeSequenceNumeric']])")" 0 "and holds no records"

# ---- party identifiers ------------------------------------------------------------
"$KWCTL" -d "$T_DB" org identifier "Northwind Foods" GLN "40 12345 000009" >"$T_TMP/id.out" 2>&1
ok $? "kwctl org identifier records a GLN"
"$KWCTL" -d "$T_DB" org identifier "Northwind Foods" GLN 4012345000008 >"$T_TMP/id.out" 2>&1
is "$?" 1 "a wrong check digit is refused"
like "$T_TMP/id.out" 'not a valid GLN' "and says so"
export_to "$T_TMP/party.xml" --since "$new" "$acct"
valid "$T_TMP/party.xml"
ok $? "the account with its identifier validates"
is "$(n "$T_TMP/party.xml" Account)" 1 "a new identifier changes the account"
is "$(xp "$T_TMP/party.xml" "string(//*[local-name()='BuyerCustomerParty']//*[local-name()='PartyIdentification']/*[local-name()='ID'][@schemeID='GLN'])")" \
	4012345000009 "the buyer carries its GLN with its scheme"

# ---- one frozen review ---------------------------------------------------------------
out=$("$KWCTL" -d "$T_DB" reviews run 2>/dev/null)
case $out in "opened "[1-9]*) ok 0 "the daily job opens the ended periods' reviews" ;; *) ok 1 "reviews run"; diag "$out" ;; esac
rid=$(sql "SELECT id FROM reviews WHERE account_id = $acct AND period_end = '2026-09-30'")
cgi POST "/accounts/$acct/reviews/$rid/sign" "csrf=$CSRF" "$SESSION"
is "$STATUS" 303 "dev signs the Q3 review for the supplier"
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi POST "/accounts/$acct/reviews/$rid/sign" "csrf=$CSRF" "$SESSION"
is "$STATUS" 303 "anna signs it for the buyer"
is "$(sql "SELECT state FROM reviews WHERE id = $rid")" frozen "the review is frozen"
export_to "$T_TMP/review.xml" --review "$rid" "$acct"
ok $? "kwctl export --review writes the snapshot"
valid "$T_TMP/review.xml"
ok $? "it validates" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -20
like "$T_TMP/review.xml" '^<ReviewSnapshot xmlns="urn:keepword:exchange:1">' "a ReviewSnapshot"
is "$(xp "$T_TMP/review.xml" "string(//*[local-name()='Review']/*[local-name()='StatusCode'])")" frozen "of the frozen review"
is "$(n "$T_TMP/review.xml" Scorecard)" 2 "with both sides' scorecards"
is "$(xp "$T_TMP/review.xml" "string(//*[local-name()='Scorecard'][*[local-name()='SideCode']='supplier']/*[local-name()='FallenDueQuantity'])")" \
	"$(sql "SELECT fallen_due FROM review_scores WHERE review_id = $rid AND side = 'supplier'")" "as they were frozen"
is "$(n "$T_TMP/review.xml" Review)" 1 "and no other review"
is "$(xp "$T_TMP/review.xml" "string(//*[local-name()='BuyerSignature']//*[local-name()='Name'])")" "Anna Berg" "signed by the owners"

# ---- refusals ------------------------------------------------------------------------------
export_to "$T_TMP/x.xml" 9999
is "$?" 1 "a missing account fails"
like "$T_TMP/export.err" 'not found' "and says so"
[ ! -s "$T_TMP/x.xml" ]; ok $? "writing nothing"
export_to "$T_TMP/x.xml" --since 99999999 "$acct"
is "$?" 1 "a change number beyond the latest fails"
[ ! -s "$T_TMP/x.xml" ]; ok $? "writing nothing either"
export_to "$T_TMP/x.xml" --review 9999 "$acct"
is "$?" 1 "a review of another account is not found"
export_to "$T_TMP/x.xml" --since -1 "$acct"
is "$?" 2 "a negative change number is a usage error"
export_to "$T_TMP/x.xml"
is "$?" 2 "so is a missing account id"

done_testing
