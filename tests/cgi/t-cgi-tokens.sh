#!/bin/sh
# t-cgi-tokens.sh: an org admin issues API tokens for partner systems
# (shown once, stored hashed, scoped to read or read-write and to chosen
# accounts of the org) and revokes them; members and other orgs cannot;
# bad input is refused next to the field and nothing is written.
. "${top_srcdir:-.}/tests/lib.sh"
t_db_init || { echo "Bail out! kwctl demo failed"; exit 1; }

ACME=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
BLUE=$(sql "SELECT id FROM accounts WHERE title LIKE '%Bluefield%'")
tokens() { sql "SELECT group_concat(name || ':' || scope || ':' || coalesce(revoked_at, 'in force'), ' ') FROM api_tokens"; }
# secret_of FILE: the token the page shows
secret_of() { sed -n 's/.*id="secret"[^>]*value="\(kwt_[^"]*\)".*/\1/p' "$1" | head -1; }

cgi_login anna@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET /org/users "" "$SESSION"
like "$OUT" 'href="/org/tokens"' "the people page links the API tokens"
cgi GET /org/tokens "" "$SESSION"
is "$STATUS" 200 "an admin opens the API tokens page"
like "$OUT" 'No tokens issued yet' "none yet"
like "$OUT" '<label for="name">Name</label>' "the form labels its name"
like "$OUT" "<input type=\"checkbox\" id=\"account-$ACME\" name=\"account\" value=\"$ACME\"> <label for=\"account-$ACME\">Northwind ⇄ Acme" \
	"a labelled checkbox for each of Northwind's accounts"
like "$OUT" "id=\"account-$BLUE\"" "both of them"
like "$OUT" '<legend>Access</legend>' "the access choice is a labelled group"
like "$OUT" 'id="scope-read" name="scope" value="read" checked' "read only by default"

# ---- refused input -----------------------------------------------------------
bad_form "a token without a name" tokens /org/tokens "csrf=$CSRF&name=&scope=read&account=$ACME" "$SESSION" \
	name 'Name is required.'
bad_form "a token without an account" tokens /org/tokens "csrf=$CSRF&name=ERP&scope=read" "$SESSION" \
	account 'Choose at least one account.' 'value="ERP"'
bad_form "an unknown access" tokens /org/tokens "csrf=$CSRF&name=ERP&scope=admin&account=$ACME" "$SESSION" \
	scope 'Access is not one of the choices.' "id=\"account-$ACME\" name=\"account\" value=\"$ACME\" checked"
bad_form "an account that is not an id" tokens /org/tokens "csrf=$CSRF&name=ERP&scope=read&account=$ACME&account=x" "$SESSION" \
	account 'Choose accounts from the list.'
other=$(sql "INSERT INTO accounts (title, buyer_org_id, supplier_org_id, start_date, created_at) SELECT 'Acme ⇄ Bluefield', a.id, b.id, '2026-01-01', '2026-01-01T00:00:00Z' FROM orgs a, orgs b WHERE a.name = 'Acme Packaging' AND b.name = 'Bluefield Logistics'; SELECT last_insert_rowid()")
bad_form "another org's account" tokens /org/tokens "csrf=$CSRF&name=ERP&scope=read&account=$ACME&account=$other" "$SESSION" \
	account 'Choose only accounts of your organisation.'
long=$(long 101)
bad_form "a name too long" tokens /org/tokens "csrf=$CSRF&name=$long&scope=read&account=$ACME" "$SESSION" \
	name 'Name'
cgi POST /org/tokens "name=ERP&scope=read&account=$ACME" "$SESSION"
is "$STATUS" 403 "no CSRF token, no token"
is "$(tokens)" "" "nothing was issued"

# ---- issued: shown once ------------------------------------------------------
cgi POST /org/tokens "csrf=$CSRF&name=$(urlenc 'ERP <sync>')&scope=read&account=$ACME&account=$BLUE&account=$ACME" "$SESSION"
is "$STATUS" 200 "anna issues a read token for both accounts"
secret=$(secret_of "$OUT")
case $secret in kwt_[0-9]*_*) ok 0 "the page shows the token" ;; *) ok 1 "the page shows the token ('$secret')" ;; esac
is "$(printf '%s' "${secret#kwt_*_}" | wc -c)" 43 "with 256 random bits"
like "$OUT" 'Keepword shows it only this once' "and warns that it is shown only once"
like "$OUT" 'ERP &lt;sync&gt;' "its name is shown as text"
like "$OUT" "/exchange/accounts/$ACME" "with an example call"
is "$(header Cache-Control)" "no-store" "the page is not cached"
unlike "$HDR" 'kwt_' "the token is in no header"
is "$(tokens)" "ERP <sync>:read:in force" "one token, read only"
is "$(sql "SELECT group_concat(account_id, ' ') FROM (SELECT account_id FROM api_token_accounts ORDER BY account_id)")" "$ACME $BLUE" \
	"reaching both accounts, each once"
is "$(sql "SELECT length(token_hash) FROM api_tokens")" 64 "only a hash of it is stored"
sql .dump >"$T_TMP/dump.sql"
unlike "$T_TMP/dump.sql" "${secret#kwt_*_}" "the token is nowhere in the database"
unlike "$T_TMP/err" "${secret#kwt_*_}" "nor in the log"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'token' AND action = 'create' AND actor_user_id = (SELECT id FROM users WHERE email = 'anna@northwind.example')")" 1 \
	"issuing it is audited"
tid=$(sql "SELECT id FROM api_tokens")
cgi GET /org/tokens "" "$SESSION"
like "$OUT" '<th scope="row">ERP &lt;sync&gt; <span class="muted">\(no\. '"$tid"'\)</span></th>' "the page lists it"
like "$OUT" '<td>Read</td>' "with its access"
like "$OUT" "<li><a href=\"/accounts/$ACME\">Northwind ⇄ Acme packaging supply</a></li>" "and its accounts"
like "$OUT" '<td>never</td>' "never used yet"
unlike "$OUT" "${secret#kwt_*_}" "never showing the token again"

cgi POST /org/tokens "csrf=$CSRF&name=Importer&scope=read-write&account=$ACME" "$SESSION"
is "$STATUS" 200 "a read-write token"
is "$(sql "SELECT scope FROM api_tokens WHERE name = 'Importer'")" read-write "is stored so"

# ---- who may ------------------------------------------------------------------
ANNA=$SESSION ANNA_CSRF=$CSRF
cgi_login ben@northwind.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET /org/tokens "" "$SESSION"
is "$STATUS" 403 "a member may not open the page"
cgi POST /org/tokens "csrf=$CSRF&name=Mine&scope=read&account=$ACME" "$SESSION"
is "$STATUS" 403 "nor issue a token"
cgi POST "/org/tokens/$tid/revoke" "csrf=$CSRF" "$SESSION"
is "$STATUS" 403 "nor revoke one"

cgi_login carla@acme.example || { echo "Bail out! cannot sign in"; exit 1; }
cgi GET /org/tokens "" "$SESSION"
unlike "$OUT" 'ERP &lt;sync&gt;' "Acme's admin does not see Northwind's tokens"
like "$OUT" "id=\"account-$ACME\"" "she may choose the account Acme shares with Northwind"
unlike "$OUT" "id=\"account-$BLUE\"" "but not Northwind's account with Bluefield"
cgi POST "/org/tokens/$tid/revoke" "csrf=$CSRF" "$SESSION"
is "$STATUS" 404 "nor may she revoke Northwind's token"
is "$(sql "SELECT revoked_at IS NULL FROM api_tokens WHERE id = $tid")" 1 "which stays in force"

# ---- revoked --------------------------------------------------------------------
cgi POST "/org/tokens/$tid/revoke" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 303 "anna revokes the token"
is "$(header Location)" "http://127.0.0.1:8080/org/tokens?notice=token-revoked" "back to the page, with a notice"
is "$(sql "SELECT revoked_at IS NOT NULL AND revoked_by IS NOT NULL FROM api_tokens WHERE id = $tid")" 1 "it is revoked, by her"
is "$(sql "SELECT count(*) FROM api_tokens")" 2 "and kept"
is "$(sql "SELECT count(*) FROM audit_events WHERE entity = 'token' AND entity_id = $tid AND action = 'revoke'")" 1 "revoking is audited"
cgi GET "/org/tokens?notice=token-revoked" "" "$ANNA"
like "$OUT" 'The token was revoked' "the page says so"
like "$OUT" '<td>revoked <time datetime=' "and shows it revoked"
cgi POST "/org/tokens/$tid/revoke" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 409 "revoking it again is a conflict"
cgi POST "/org/tokens/999999/revoke" "csrf=$ANNA_CSRF" "$ANNA"
is "$STATUS" 404 "an unknown token is not found"

# ---- kwctl ---------------------------------------------------------------------------
"$KWCTL" -d "$T_DB" token add --name Nightly --scope read-write "Acme Packaging" "$ACME" >"$T_TMP/kw.out" 2>"$T_TMP/kw.err"
ok $? "kwctl token add issues a token"
case $(cat "$T_TMP/kw.out") in kwt_[0-9]*_*) ok 0 "and prints it alone" ;; *) ok 1 "and prints it alone" ;; esac
"$KWCTL" -d "$T_DB" token add --name Nope "Acme Packaging" "$BLUE" >/dev/null 2>&1
is "$?" 1 "not for an account of another org"
"$KWCTL" -d "$T_DB" token list "Acme Packaging" >"$T_TMP/kw.out"
like "$T_TMP/kw.out" "	Nightly	read-write	never used	in force	accounts $ACME\$" "kwctl token list shows it"
kid=$(cut -f1 "$T_TMP/kw.out")
"$KWCTL" -d "$T_DB" token revoke "Northwind Foods" "$kid" >/dev/null 2>&1
is "$?" 1 "kwctl token revoke needs the token's org"
"$KWCTL" -d "$T_DB" token revoke "Acme Packaging" "$kid" >/dev/null
ok $? "and revokes it"

done_testing
