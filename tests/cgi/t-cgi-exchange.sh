#!/bin/sh
# t-cgi-exchange.sh: the exchange program, run as a CGI program with API
# tokens issued in the portal: the whole ledger, the changes since a
# sequence number and a review snapshot validate against the published
# schema; the Atom feed is well-formed Atom; a token of another org, one
# that does not reach the account and a revoked one are refused as the
# browser would be; a read-only token cannot write; every call is audited.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init_history || { echo "Bail out! kwctl demo failed"; exit 1; }
"$KWCTL" -d "$T_DB" reviews run >/dev/null 2>&1 || { echo "Bail out! kwctl reviews run failed"; exit 1; }

ACME=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
BLUE=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")

# ex METHOD PATH [TOKEN] [EXTRA_ENV...]: call the exchange with the token
# as a Bearer token (none when TOKEN is empty).
ex() {
	e_m=$1 e_p=$2 e_t=${3-}
	shift 2; [ $# -gt 0 ] && shift
	if [ -n "$e_t" ]; then
		cgi_prog "$EXCHANGE" "$e_m" "$e_p" "" "" "HTTP_AUTHORIZATION=Bearer $e_t" "$@"
	else
		cgi_prog "$EXCHANGE" "$e_m" "$e_p" "" "" "$@"
	fi
	cat "$T_TMP/err" >>"$T_TMP/all.err"
}
# error STATUS CODE NAME: the last answer is an Error of the status schema
error() {
	is "$STATUS" "$1" "$3: $1"
	valid "$OUT" "$STATUS_XSD"
	ok $? "$3: an Error of the status schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -5
	is "$(xp "$OUT" "string(/*[local-name()='Error']/*[local-name()='Code'])")" "$2" "$3: says $2"
}
# issue EMAIL NAME SCOPE ACCOUNT...: an API token issued in the portal
issue() {
	i_email=$1 i_name=$2 i_scope=$3
	shift 3
	cgi_login "$i_email" || return 1
	i_body="csrf=$CSRF&name=$(urlenc "$i_name")&scope=$i_scope"
	for a in "$@"; do i_body="$i_body&account=$a"; done
	cgi POST /org/tokens "$i_body" "$SESSION"
	sed -n 's/.*id="secret"[^>]*value="\(kwt_[^"]*\)".*/\1/p' "$OUT" | head -1
}
calls() { sql "SELECT count(*) FROM audit_events WHERE entity = 'token' AND action = 'call'"; }

NW_READ=$(issue anna@northwind.example "ERP sync" read "$ACME")
NW_RW=$(issue anna@northwind.example Importer read-write "$ACME")
NW_BLUE=$(issue anna@northwind.example "Freight only" read "$BLUE")
BF=$(issue erik@bluefield.example "Bluefield ERP" read-write "$BLUE")
for t in "$NW_READ" "$NW_RW" "$NW_BLUE" "$BF"; do
	[ -n "$t" ] || { echo "Bail out! a token was not issued"; exit 1; }
done

# ---- the routes --------------------------------------------------------------------
"$EXCHANGE" --routes >"$T_TMP/routes"
is "$(tr '\n' ';' <"$T_TMP/routes")" \
	"GET /health;GET /accounts/:id;POST /accounts/:id;GET /accounts/:id/reviews/:eid;GET /accounts/:id/feed;" \
	"the exchange answers the routes this test covers"
ex GET /health
is "$STATUS" 200 "health needs no token"
valid "$OUT" "$STATUS_XSD"
ok $? "and is a Health of the status schema"

# ---- no token, a bad one, a token elsewhere ----------------------------------------
before=$(calls)
ex GET "/accounts/$ACME"
error 401 unauthorized "no token"
is "$(header WWW-Authenticate)" 'Bearer realm="keepword"' "the answer asks for a Bearer token"
ex GET "/accounts/$ACME?access_token=$NW_READ"
is "$STATUS" 401 "a token in the query string is not accepted"
ex GET "/accounts/$ACME?token=$NW_READ"
is "$STATUS" 401 "under any name"
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi_prog "$EXCHANGE" GET "/accounts/$ACME" "" "$SESSION"
is "$STATUS" 401 "nor is a portal session"
ex GET "/accounts/$ACME" "" "HTTP_AUTHORIZATION=Basic $(printf 'anna:keepword-demo' | base64)"
is "$STATUS" 401 "nor a password"
ex GET "/accounts/$ACME" "kwt_1_not-a-token"
error 401 unauthorized "a malformed token"
is "$(header WWW-Authenticate)" 'Bearer realm="keepword", error="invalid_token"' "named invalid_token"
wrong=$(printf '%s' "$NW_READ" | sed 's/.$//')A
[ "$wrong" = "$NW_READ" ] && wrong=$(printf '%s' "$NW_READ" | sed 's/.$//')B
ex GET "/accounts/$ACME" "$wrong"
is "$STATUS" 401 "a token with a wrong secret"
is "$(calls)" "$before" "calls without a known token are not recorded against any"

ex GET "/accounts/$ACME" "$BF"
error 404 not-found "another org's token"
cp "$OUT" "$T_TMP/other.xml"
ex GET /accounts/999999 "$BF"
is "$STATUS" 404 "a missing account answers the same"
cmp -s "$OUT" "$T_TMP/other.xml"
ok $? "with the same document"
ex GET "/accounts/$ACME" "$NW_BLUE"
is "$STATUS" 404 "a token of the org that does not reach that account"
ex GET "/accounts/$ACME/feed?side=buyer" "$BF"
is "$STATUS" 404 "another org's token gets no feed"
ex GET "/accounts/$BLUE" "$BF"
is "$STATUS" 200 "Bluefield's token reads the account it reaches"
unlike "$OUT" 'Acme' "and nothing of the Acme account"

# ---- the whole ledger --------------------------------------------------------------
ex GET "/accounts/$ACME" "$NW_READ"
is "$STATUS" 200 "a read token exports the ledger"
like "$HDR" '^Content-Type: application/xml; charset=utf-8$' "as XML"
unlike "$HDR" '^Content-Length:' "streamed, with no length given in advance"
is "$(header Cache-Control)" no-store "not cached"
cp "$OUT" "$T_TMP/full.xml"
valid "$T_TMP/full.xml"
ok $? "it validates against the schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -20
is "$(xp "$T_TMP/full.xml" "string(//*[local-name()='ProfileExecutionID'])")" "$ACME" "of the account asked for"
is "$(n "$T_TMP/full.xml" Promise)" "$(sql "SELECT count(*) FROM promises WHERE account_id = $ACME")" "with every promise"
last=$(xp "$T_TMP/full.xml" "string(//*[local-name()='LastChangeSequenceNumeric'])")
is "$last" "$(sql "SELECT seq FROM change_seq")" "and the high-water mark"
is "$(xp "$T_TMP/full.xml" "count(//*[local-name()='ElectronicMailText'][not(contains(., '@northwind.example'))])")" 0 \
	"the token's org sees only its own people's emails"
"$KWCTL" -d "$T_DB" export "$ACME" >"$T_TMP/kwctl.xml"
grep -v 'UUID\|IssueTime\|IssueDate\|ElectronicMailText' "$T_TMP/full.xml" >"$T_TMP/full.cmp"
grep -v 'UUID\|IssueTime\|IssueDate\|ElectronicMailText' "$T_TMP/kwctl.xml" >"$T_TMP/kwctl.cmp"
diff "$T_TMP/full.cmp" "$T_TMP/kwctl.cmp" >"$T_TMP/cmp.diff"
ok $? "the same document as kwctl export, but for the emails" || head -10 "$T_TMP/cmp.diff" | sed 's/^/# /'
ex HEAD "/accounts/$ACME" "$NW_READ"
is "$STATUS" 200 "HEAD answers 200"
is "$(wc -c <"$OUT")" 0 "with no body"

# ---- the changes since -----------------------------------------------------------------
cgi_login dev@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
open=$(sql "SELECT id FROM promises WHERE account_id = $ACME AND state = 'open' ORDER BY id LIMIT 1")
cgi POST "/accounts/$ACME/promises/$open/comments" "csrf=$CSRF&comment_body=$(urlenc 'Tom & "Jerry" <b>')" "$SESSION"
is "$STATUS" 303 "dev comments on an open promise"
ex GET "/accounts/$ACME?since=$last" "$NW_READ"
is "$STATUS" 200 "the changes since the last document"
cp "$OUT" "$T_TMP/since.xml"
valid "$T_TMP/since.xml"
ok $? "validate against the schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -20
is "$(xp "$T_TMP/since.xml" "count(/*/*[*[local-name()='ChangeSequenceNumeric']])")" 1 "one record changed"
is "$(xp "$T_TMP/since.xml" "string(/*/*[local-name()='Promise']/*[local-name()='ID'])")" "$open" "the promise commented on"
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='SinceChangeSequenceNumeric'])")" "$last" "since the mark asked for"
new=$(xp "$T_TMP/since.xml" "string(//*[local-name()='LastChangeSequenceNumeric'])")
[ "$new" -gt "$last" ]; ok $? "with a new, higher mark"
is "$(xp "$T_TMP/since.xml" "string(//*[local-name()='Comment'][last()]/*[local-name()='BodyText'])")" 'Tom & "Jerry" <b>' \
	"the comment's text comes back as written"
ex GET "/accounts/$ACME?since=$new" "$NW_READ"
is "$(xp "$OUT" "count(/*/*[*[local-name()='ChangeSequenceNumeric']])")" 0 "nothing since the new mark"
ex GET "/accounts/$ACME?since=99999999" "$NW_READ"
error 400 bad-request "a mark beyond the latest"
ex GET "/accounts/$ACME?since=-1" "$NW_READ"
error 400 bad-request "a negative mark"
ex GET "/accounts/$ACME?since=abc" "$NW_READ"
is "$STATUS" 400 "a mark that is not a number"

# ---- a review snapshot ------------------------------------------------------------
rid=$(sql "SELECT max(id) FROM reviews WHERE account_id = $ACME")
ex GET "/accounts/$ACME/reviews/$rid" "$NW_READ"
is "$STATUS" 200 "a review snapshot"
cp "$OUT" "$T_TMP/review.xml"
valid "$T_TMP/review.xml"
ok $? "validates against the schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -20
like "$T_TMP/review.xml" '^<ReviewSnapshot xmlns="urn:keepword:exchange:1">' "a ReviewSnapshot"
is "$(xp "$T_TMP/review.xml" "string(//*[local-name()='Review']/*[local-name()='ID'])")" "$rid" "of that review"
sql "INSERT INTO reviews (account_id, period_start, period_end, state, opened_at) VALUES ($BLUE, '2026-01-01', '2026-03-31', 'open', '2026-04-01T00:00:00Z')"
brid=$(sql "SELECT max(id) FROM reviews WHERE account_id = $BLUE")
ex GET "/accounts/$ACME/reviews/$brid" "$NW_READ"
error 404 not-found "a review of another account"
ex GET "/accounts/$BLUE/reviews/$brid" "$NW_READ"
is "$STATUS" 404 "the token reaches only its accounts' reviews"

# ---- the Atom feed ---------------------------------------------------------------------
ex GET "/accounts/$ACME/feed?side=supplier" "$NW_READ"
is "$STATUS" 200 "the feed of the supplier's side"
like "$HDR" '^Content-Type: application/atom\+xml; charset=utf-8$' "as Atom"
cp "$OUT" "$T_TMP/feed.xml"
xmllint --noout --nonet "$T_TMP/feed.xml"
ok $? "well-formed"
atom() { xp "$T_TMP/feed.xml" "$1"; }
is "$(atom "namespace-uri(/*)")" "http://www.w3.org/2005/Atom" "in the Atom namespace"
is "$(atom "name(/*)")" feed "a feed"
for el in id title updated; do
	is "$(atom "count(/*/*[local-name()='$el'])")" 1 "the feed has one $el"
done
like "$T_TMP/feed.xml" "<id>http://127.0.0.1:8080/exchange/accounts/$ACME/feed\\?side=supplier</id>" "its id is its address"
entries=$(atom "count(/*/*[local-name()='entry'])")
[ "$entries" -gt 5 ] && [ "$entries" -le 50 ]; ok $? "it has entries, at most 50 ($entries)"
for el in id title updated link; do
	is "$(atom "count(/*/*[local-name()='entry'][count(*[local-name()='$el']) != 1])")" 0 "every entry has one $el"
done
is "$(atom "count(//*[local-name()='entry']/*[local-name()='link'][not(starts-with(@href, 'http://127.0.0.1:8080/accounts/$ACME/'))])")" 0 \
	"every entry links to its page in the portal"
is "$(atom "count(//*[local-name()='entry']/*[local-name()='author']/*[local-name()='name'])")" "$entries" "and names who acted"
for i in $(seq 1 "$entries"); do atom "string(/*/*[local-name()='entry'][$i]/*[local-name()='id'])"; done >"$T_TMP/ids"
is "$(sort "$T_TMP/ids" | uniq -d)" "" "entry ids are unique"
for i in $(seq 1 "$entries"); do atom "string(/*/*[local-name()='entry'][$i]/*[local-name()='updated'])"; done >"$T_TMP/times"
sort -r "$T_TMP/times" | cmp -s - "$T_TMP/times"
ok $? "newest first"
is "$(atom "string(/*/*[local-name()='updated'])")" "$(head -1 "$T_TMP/times")" "the feed is as new as its newest entry"
is "$(atom "count(//*[local-name()='category'][@term='update'])")" \
	"$(sql "SELECT min(count(*), 50) FROM updates WHERE account_id = $ACME AND side = 'supplier' AND withdrawn_at IS NULL")" \
	"the supplier's updates are in it"
unlike "$T_TMP/feed.xml" "$(sql "SELECT title FROM updates WHERE account_id = $ACME AND side = 'buyer' LIMIT 1")" \
	"the buyer's are not"
ex GET "/accounts/$ACME/feed?side=supplier" "$NW_READ"
for i in $(seq 1 "$entries"); do xp "$OUT" "string(/*/*[local-name()='entry'][$i]/*[local-name()='id'])"; done >"$T_TMP/ids2"
cmp -s "$T_TMP/ids" "$T_TMP/ids2"
ok $? "the same entries keep the same ids"
ex GET "/accounts/$ACME/feed?side=buyer" "$NW_READ"
is "$STATUS" 200 "the buyer's side too"
xmllint --noout --nonet "$OUT"
ok $? "well-formed"
ex GET "/accounts/$ACME/feed" "$NW_READ"
error 400 bad-request "a feed without a side"
ex GET "/accounts/$ACME/feed?side=seller" "$NW_READ"
is "$STATUS" 400 "or with another side"

# ---- writing ---------------------------------------------------------------------------
printf '<AccountLedgerSubmission xmlns="urn:keepword:exchange:1"/>' >"$T_TMP/doc.xml"
ex POST "/accounts/$ACME" "$NW_READ" CONTENT_TYPE=application/xml
error 403 forbidden "a read token may not import"
like "$HDR" '^WWW-Authenticate: Bearer realm="keepword", error="insufficient_scope"' "it says the scope is short"
ex POST "/accounts/$ACME" "$NW_RW" CONTENT_TYPE=application/xml
is "$STATUS" 400 "a read-write token reaches the import: without a body, 400"
is "$(xp "$OUT" "string(//*[local-name()='StatusCode'])")" rejected "in an ImportReport that rejects it"

# post TOKEN FILE [SED]: POST the corpus document FILE (made for the Acme
# account; SED changes it further) to the Acme account, its length given
# in bytes whatever the locale.
CORPUS="$top_srcdir/tests/fuzz/corpus/import"
post() {
	p_body=$(sed -e "s|<ProfileExecutionID>1<|<ProfileExecutionID>$ACME<|" \
	    -e "${3:-s/^//}" "$CORPUS/$2")
	cgi_prog "$EXCHANGE" POST "/accounts/$ACME" "$p_body" "" \
	    "HTTP_AUTHORIZATION=Bearer $1" CONTENT_TYPE=application/xml \
	    "CONTENT_LENGTH=$(printf '%s' "$p_body" | wc -c | tr -d ' ')" \
	    KEEPWORD_NOW=2026-11-26T12:00:00Z
	cat "$T_TMP/err" >>"$T_TMP/all.err"
}
# report NAME: the text of the first element NAME of the last answer
report() { xp "$OUT" "string(//*[local-name()='$1'])"; }
# reported NAME REGEX TEST: that text matches REGEX
reported() { report "$1" >"$T_TMP/reported"; like "$T_TMP/reported" "$2" "$3"; }
AC_RW=$(issue carla@acme.example "Acme ERP" read-write "$ACME")
case $AC_RW in kwt_*) ok 0 "the supplier issues a read-write token" ;; *) ok 1 "the supplier issues a read-write token" ;; esac
ledger() { sql "SELECT (SELECT count(*) FROM promises) || '/' || (SELECT count(*) FROM contacts) || '/' || (SELECT count(*) FROM updates) || '/' || (SELECT count(*) FROM expectations)"; }
before=$(ledger)
post "$AC_RW" 01-submission.xml
is "$STATUS" 200 "the supplier's submission is imported"
valid "$OUT"
ok $? "its ImportReport validates against the schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -5
is "$(report StatusCode)" accepted "and accepts it"
is "$(sql "SELECT count(*) FROM promises WHERE external_id = 'ACME-PRM-41' AND state = 'delivered'")" 1 "the promise is there, delivered, awaiting the buyer"
is "$(sql "SELECT count(*) FROM contacts WHERE external_id = 'ACME-CT-9'")" 1 "and the contact"
after=$(ledger)
post "$AC_RW" 01-submission.xml
is "$STATUS" 200 "the same document again is accepted"
is "$(ledger)" "$after" "and changes nothing"
post "$AC_RW" 02-confirm.xml
is "$STATUS" 403 "the supplier cannot confirm its own promise through XML either"
reported DescriptionText "Only the side the promise was made to can confirm it" "the report says why"
is "$(ledger)" "$after" "and nothing of that document is written"
for f in 03-not-well-formed.xml 04-invalid.xml 05-xxe.xml 06-billion-laughs.xml 07-external-dtd.xml 08-xinclude.xml; do
	post "$AC_RW" "$f"
	is "$STATUS" 400 "$f: refused with 400"
	reported LineNumeric '^[0-9][0-9]*$' "$f: the error has a line number"
done
is "$(ledger)" "$after" "the refused documents wrote nothing"
unlike "$OUT" 'root:x:0' "no file was read for an external entity"
post "$NW_RW" 01-submission.xml
is "$STATUS" 200 "the buyer sending the supplier's records as they stand changes nothing"
is "$(ledger)" "$after" "and writes nothing"
post "$NW_RW" 01-submission.xml 's/ACME-/NW-/g'
is "$STATUS" 403 "the buyer cannot make records of the supplier's side"
is "$(ledger)" "$after" "nor write any of them"
ex POST "/accounts/$ACME" "$BF" CONTENT_TYPE=application/xml
is "$STATUS" 404 "another org's read-write token may not write to the account"
ex PUT "/accounts/$ACME" "$NW_RW"
error 405 method-not-allowed "PUT"
is "$(header Allow)" "GET, HEAD, POST" "with the methods allowed"
ex GET /no/such "$NW_READ"
error 404 not-found "an unknown address"

# ---- revoked ---------------------------------------------------------------------------
cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
tid=$(sql "SELECT id FROM api_tokens WHERE name = 'ERP sync'")
cgi POST "/org/tokens/$tid/revoke" "csrf=$CSRF" "$SESSION"
is "$STATUS" 303 "anna revokes the ERP token"
used=$(sql "SELECT last_used_at FROM api_tokens WHERE id = $tid")
ex GET "/accounts/$ACME" "$NW_READ"
error 401 unauthorized "a revoked token"
is "$(header WWW-Authenticate)" 'Bearer realm="keepword", error="invalid_token"' "named invalid_token"
ex GET "/accounts/$ACME/feed?side=buyer" "$NW_READ"
is "$STATUS" 401 "gets no feed either"
is "$(sql "SELECT last_used_at FROM api_tokens WHERE id = $tid")" "$used" "its refused calls are no use"

# ---- every call is audited -----------------------------------------------------------
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'token' AND action = 'call' AND entity_id = $tid")" 18 \
	"each call of the ERP token is in the audit trail"
is "$(sql "SELECT detail FROM audit_events WHERE entity = 'token' AND action = 'call' AND entity_id = $tid ORDER BY id LIMIT 1")" \
	"GET /accounts/$ACME: 200" "with the request and its status"
is "$(sql "SELECT count(*) FROM audit_events WHERE action = 'call' AND entity_id = $tid AND detail = 'GET /accounts/$ACME?since=99999999: 400'")" 1 \
	"refusals too"
is "$(sql "SELECT count(*) FROM audit_events WHERE action = 'call' AND entity_id = $tid AND detail LIKE '%: 401'")" 2 \
	"and the calls after it was revoked"
is "$(sql "SELECT count(*) FROM audit_events WHERE action = 'call' AND detail LIKE '%token=%'")" 0 \
	"never with a token from the query"
is "$(sql "SELECT count(DISTINCT actor_org_id) FROM audit_events WHERE action = 'call' AND entity_id = $tid AND actor_user_id IS NULL")" 1 \
	"made by the org, not by a person"
is "$(sql "SELECT count(*) FROM audit_events WHERE action = 'call' AND account_id IS NOT NULL")" 0 \
	"and kept off the accounts' activity"
[ -n "$(sql "SELECT last_used_at FROM api_tokens WHERE name = 'Importer'")" ]
ok $? "each token's last use is recorded"
sql .dump >"$T_TMP/dump.sql"
for t in "$NW_READ" "$NW_RW" "$NW_BLUE" "$BF"; do
	grep -qF -- "${t#kwt_*_}" "$T_TMP/dump.sql" "$T_TMP/all.err"
	is "$?" 1 "no token is in the database or the log"
done

done_testing
