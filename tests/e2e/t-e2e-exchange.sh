#!/bin/sh
# t-e2e-exchange.sh: a partner system's calls through nginx: an admin
# issues a token in the portal, curl exports the ledger (streamed, valid
# against the schema), the changes since its mark and the Atom feed with
# it, and the token stops working once it is revoked.
. "$(dirname "$0")/../lib.sh"
. "$top_srcdir/tests/stack.sh"

stack_start 2 || bail_out "the stack did not start"

# ---- a token from the portal -----------------------------------------------------
login anna@northwind.example || bail_out "anna cannot log in (status $STATUS)"
http GET /
ACME=$(account_id "$OUT" 'Acme packaging supply')
[ -n "$ACME" ] || bail_out "no Acme account on the dashboard"
http GET /org/tokens
is "$STATUS" 200 "anna opens the API tokens page"
CSRF=$(csrf_of "$OUT")
http POST /org/tokens --data-urlencode "csrf=$CSRF" --data-urlencode "name=ERP sync" \
    --data-urlencode scope=read --data-urlencode "account=$ACME"
is "$STATUS" 200 "and issues a token for the Acme account"
TOKEN=$(sed -n 's/.*id="secret"[^>]*value="\(kwt_[^"]*\)".*/\1/p' "$OUT" | head -1)
[ -n "$TOKEN" ] || bail_out "no token on the page"
ANNA_JAR=$JAR
JAR=

# ---- the partner system calls ----------------------------------------------------
http GET "/exchange/accounts/$ACME" -H "Authorization: Bearer $TOKEN"
is "$STATUS" 200 "curl exports the ledger with the token"
like_i "$HDR" '^content-type: application/xml' "as XML"
like_i "$HDR" '^transfer-encoding: chunked' "streamed through nginx"
cp "$OUT" "$T_TMP/full.xml"
xmllint --noout --nonet --schema "$XSD" "$T_TMP/full.xml" 2>"$T_TMP/xmllint.out"
ok $? "it validates against the schema" || sed 's/^/# /' "$T_TMP/xmllint.out" | head -10
is "$(xp "$T_TMP/full.xml" "string(//*[local-name()='ProfileExecutionID'])")" "$ACME" "the Acme account's ledger"
last=$(xp "$T_TMP/full.xml" "string(//*[local-name()='LastChangeSequenceNumeric'])")
http GET "/exchange/accounts/$ACME?since=$last" -H "Authorization: Bearer $TOKEN"
is "$STATUS" 200 "the changes since its high-water mark"
xmllint --noout --nonet --schema "$XSD" "$OUT" 2>"$T_TMP/xmllint.out"
ok $? "validate too"
is "$(xp "$OUT" "count(/*/*[*[local-name()='ChangeSequenceNumeric']])")" 0 "none since"
http GET "/exchange/accounts/$ACME/feed?side=supplier" -H "Authorization: Bearer $TOKEN"
is "$STATUS" 200 "the supplier's feed"
like_i "$HDR" '^content-type: application/atom\+xml' "as Atom"
is "$(xp "$OUT" "namespace-uri(/*)")" "http://www.w3.org/2005/Atom" "an Atom feed"

http GET "/exchange/accounts/$ACME"
is "$STATUS" 401 "without the token: 401"
like_i "$HDR" '^www-authenticate: Bearer' "asking for a Bearer token"
http GET "/exchange/accounts/$ACME" -b "$ANNA_JAR"
is "$STATUS" 401 "a portal session is no token"

# ---- the call is recorded; a revoked token is refused -------------------------------
JAR=$ANNA_JAR
http GET /org/tokens
like "$OUT" '<td><time datetime="[0-9T:Z-]+">' "the portal shows when the token was last used"

# ---- a partner system writes ---------------------------------------------------
JAR=
AC_RW=$("$KWCTL" -d "$KW_DB" token add --name "Acme ERP" --scope read-write \
    "Acme Packaging" "$ACME" 2>/dev/null)
sed "s|<ProfileExecutionID>1<|<ProfileExecutionID>$ACME<|" \
    "$top_srcdir/tests/fuzz/corpus/import/01-submission.xml" >"$T_TMP/sub.xml"
http POST "/exchange/accounts/$ACME" -H "Authorization: Bearer $AC_RW" \
    -H "Content-Type: application/xml" --data-binary "@$T_TMP/sub.xml"
is "$STATUS" 200 "the supplier's system imports a submission through nginx"
is "$(xp "$OUT" "string(//*[local-name()='StatusCode'])")" accepted "and it is accepted"
# a document above nginx's usual 1 MiB reaches the exchange, which reads it
{ printf '<AccountLedgerSubmission xmlns="urn:keepword:exchange:1">'
  head -c 1500000 /dev/zero | tr '\0' ' '; } >"$T_TMP/big.xml"
http POST "/exchange/accounts/$ACME" -H "Authorization: Bearer $AC_RW" \
    -H "Content-Type: application/xml" --data-binary "@$T_TMP/big.xml"
is "$STATUS" 400 "a 1.5 MB document that is not well-formed gets the exchange's 400, not nginx's 413"
like "$OUT" '<LineNumeric>' "with the line of the error"

JAR=$ANNA_JAR
http GET /org/tokens
CSRF=$(csrf_of "$OUT")
TID=${TOKEN#kwt_}
TID=${TID%%_*}
http POST "/org/tokens/$TID/revoke" --data-urlencode "csrf=$CSRF"
is "$STATUS" 303 "anna revokes it"
JAR=
http GET "/exchange/accounts/$ACME" -H "Authorization: Bearer $TOKEN"
is "$STATUS" 401 "the revoked token is refused"
if [ -r "$KW_LOGS/nginx-access.log" ]; then
	grep -qF -- "${TOKEN#kwt_*_}" "$KW_LOGS"/*
	is "$?" 1 "the token is in no log"
fi

done_testing
