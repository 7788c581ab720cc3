#!/bin/sh
# t-cgi-identifiers.sh: an org admin records the identifiers partner
# systems know the organisation by; members cannot; bad values are refused
# next to the field and nothing is written.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

ids() { sql "SELECT group_concat(o.name || ':' || i.scheme || ':' || i.value, ' ') FROM org_identifiers i JOIN orgs o ON o.id = i.org_id WHERE i.removed_at IS NULL"; }

cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET /org/users "" "$SESSION"
like "$OUT" 'href="/org/identifiers"' "the people page links the identifiers"
cgi GET /org/identifiers "" "$SESSION"
is "$STATUS" 200 "an admin opens the identifiers page"
like "$OUT" 'None recorded yet' "none yet"
like "$OUT" '<label for="value">Identifier</label>' "the form labels its fields"

cgi POST /org/identifiers "csrf=$CSRF&scheme=GLN&value=$(urlenc '40 12345 000009')" "$SESSION"
is "$STATUS" 303 "anna records Northwind's GLN"
is "$(header Location)" "http://127.0.0.1:8080/org/identifiers?notice=identifier-saved" "back to the page, with a notice"
is "$(ids)" "Northwind Foods:GLN:4012345000009" "stored without its spaces"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'org' AND action = 'identifier' AND detail = 'GLN 4012345000009'")" 1 \
	"and audited"
cgi GET "/org/identifiers?notice=identifier-saved" "" "$SESSION"
like "$OUT" '<td>4012345000009</td>' "the page lists it"
like "$OUT" 'The identifier was recorded' "and says so"

bad_form "a wrong check digit" ids /org/identifiers "csrf=$CSRF&scheme=GLN&value=4012345000008" "$SESSION" \
	value 'This is not a valid GLN.' 'value="4012345000008"'
bad_form "an unknown scheme" ids /org/identifiers "csrf=$CSRF&scheme=ISBN&value=123" "$SESSION" \
	scheme 'Scheme'
cgi POST /org/identifiers "csrf=$CSRF&scheme=GLN&value=4012345000009" "$SESSION"
is "$STATUS" 409 "recording the same value again is a conflict"
like "$OUT" 'id="value-err">This is the GLN recorded already.' "said next to the field"

cgi POST /org/identifiers "csrf=$CSRF&scheme=VAT&value=de+123456789" "$SESSION"
is "$STATUS" 303 "a VAT number too"
cgi POST /org/identifiers "csrf=$CSRF&scheme=GLN&value=" "$SESSION"
is "$STATUS" 303 "the GLN is removed"
is "$(header Location)" "http://127.0.0.1:8080/org/identifiers?notice=identifier-removed" "with its notice"
is "$(ids)" "Northwind Foods:VAT:DE123456789" "the VAT number stays"
is "$(sql "SELECT count(*) FROM org_identifiers WHERE scheme = 'GLN' AND removed_at IS NOT NULL")" 1 "the old GLN is kept as removed"
cgi POST /org/identifiers "csrf=$CSRF&scheme=GLN&value=" "$SESSION"
is "$STATUS" 409 "removing it again is a conflict"
like "$OUT" 'There is no GLN to remove.' "and says so"
cgi POST /org/identifiers "csrf=nope&scheme=DUNS&value=150483782" "$SESSION"
is "$STATUS" 403 "a wrong CSRF token is refused"

cgi_login ben@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET /org/identifiers "" "$SESSION"
is "$STATUS" 403 "a member may not open the page"
cgi POST /org/identifiers "csrf=$CSRF&scheme=DUNS&value=150483782" "$SESSION"
is "$STATUS" 403 "nor record an identifier"

cgi_login carla@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi POST /org/identifiers "csrf=$CSRF&scheme=DUNS&value=15-048-3782" "$SESSION"
is "$STATUS" 303 "carla records Acme's D-U-N-S number"
cgi GET /org/identifiers "" "$SESSION"
unlike "$OUT" '<td>DE123456789</td>' "she sees her own org's identifiers only"
like "$OUT" '<td>150483782</td>' "and sees Acme's"
is "$(ids)" "Northwind Foods:VAT:DE123456789 Acme Packaging:DUNS:150483782" "each org keeps its own"

done_testing
