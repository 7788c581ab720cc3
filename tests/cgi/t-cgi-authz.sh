#!/bin/sh
# t-cgi-authz.sh: the authorisation matrix (tests/cgi/authz.txt). Every
# route, every kind of user, the status each must get; a route of the
# portal that the matrix does not list fails the test.
. "${top_srcdir:-.}/tests/lib.sh"

MATRIX="$top_srcdir/tests/cgi/authz.txt"
ROLES="anon ben anna dev carla erik"
t_db_init_history || { echo "Bail out! kwctl demo failed"; exit 1; }

# ---- the routes and the matrix agree --------------------------------------
"$PORTAL" --routes >"$T_TMP/routes"
[ -s "$T_TMP/routes" ]; ok $? "the portal lists its routes"
awk '!/^#/ && NF { print $1, $2 }' "$MATRIX" >"$T_TMP/rows"
while read -r m p; do
	grep -qxF "$m $p" "$T_TMP/rows"
	ok $? "$m $p has a row in the matrix"
done <"$T_TMP/routes"
while read -r m p; do
	grep -qxF "$m $p" "$T_TMP/routes"
	ok $? "the matrix row $m $p is a route of the portal"
done <"$T_TMP/rows"

# ---- the database every request starts from ------------------------------
ACCOUNT=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
BEN=$(sql "SELECT id FROM users WHERE email = 'ben@northwind.example'")
KIND_PROMISES=promises
PROMISE_KEPT=$(sql "SELECT min(id) FROM promises WHERE account_id = $ACCOUNT AND state = 'kept'")
COMMENT_BEN=$(sql "SELECT min(c.id) FROM comments c JOIN users u ON u.id = c.created_by WHERE u.email = 'ben@northwind.example' AND c.account_id = $ACCOUNT")
TODAY=$(date -u +%Y-%m-%d)
FUTURE=$(date -u -d '+30 days' +%Y-%m-%d)
PROMISE_OPEN=$(sql "SELECT min(id) FROM promises WHERE account_id = $ACCOUNT AND state = 'open' AND promisor_side = 'supplier'")
PROMISE_DELIVERED=$(sql "SELECT min(id) FROM promises WHERE account_id = $ACCOUNT AND state = 'delivered' AND promisor_side = 'supplier'")
PROMISE_DUE_CHANGE=$(sql "SELECT max(id) FROM promises WHERE account_id = $ACCOUNT AND state = 'open' AND promisor_side = 'supplier'")
sql "INSERT INTO promise_due_changes (promise_id, old_due, new_due, reason, proposed_by, proposed_at) SELECT id, due_date, date(due_date, '+14 days'), 'Press maintenance', (SELECT id FROM users WHERE email = 'dev@acme.example'), '$TODAY' || 'T09:00:00Z' FROM promises WHERE id = $PROMISE_DUE_CHANGE"
CONTACT_BUYER=$(sql "SELECT min(id) FROM contacts WHERE account_id = $ACCOUNT AND side = 'buyer'")
FEEDBACK_BUYER=$(sql "SELECT min(id) FROM feedback WHERE account_id = $ACCOUNT AND from_side = 'buyer'")
CONCERN_OPEN=$(sql "SELECT min(id) FROM concerns WHERE account_id = $ACCOUNT AND state = 'open' AND raised_by_side = 'supplier'")
sql "INSERT INTO concerns (account_id, raised_by_side, title, state, resolution, proposed_by, proposed_at, created_by, created_at) SELECT $ACCOUNT, 'supplier', 'Pallet labels', 'proposed', 'New printer', $BEN, '$TODAY' || 'T10:00:00Z', id, '$TODAY' || 'T09:00:00Z' FROM users WHERE email = 'dev@acme.example'"
CONCERN_PROPOSED=$(sql "SELECT max(id) FROM concerns WHERE state = 'proposed'")
EXPECTATION_PROPOSED=$(sql "SELECT min(id) FROM expectations WHERE account_id = $ACCOUNT AND state = 'proposed' AND from_side = 'supplier'")
EXPECTATION_ACKED=$(sql "SELECT min(id) FROM expectations WHERE account_id = $ACCOUNT AND state = 'acknowledged' AND from_side = 'buyer'")
UPDATE_SUPPLIER=$(sql "SELECT max(id) FROM updates WHERE account_id = $ACCOUNT AND side = 'supplier'")
sql "INSERT INTO reviews (account_id, period_start, period_end, state, opened_at) VALUES ($ACCOUNT, date('$TODAY', 'start of month', '-3 months'), date('$TODAY', 'start of month', '-1 day'), 'open', '$TODAY' || 'T00:10:00Z')"
REVIEW_OPEN=$(sql "SELECT max(id) FROM reviews WHERE account_id = $ACCOUNT AND state = 'open'")
sql "INSERT INTO api_tokens (org_id, name, token_hash, scope, created_at) SELECT id, 'ERP', lower(hex(randomblob(32))), 'read', '$TODAY' || 'T09:00:00Z' FROM orgs WHERE name = 'Northwind Foods'"
TOKEN_NORTHWIND=$(sql "SELECT max(id) FROM api_tokens")
sql "INSERT INTO api_token_accounts (token_id, account_id) VALUES ($TOKEN_NORTHWIND, $ACCOUNT)"
NOTICE_ANNA=$(sql "SELECT min(n.id) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'anna@northwind.example'")

for role in $ROLES; do
	[ "$role" = anon ] && continue
	case $role in
	ben|anna) email=$role@northwind.example ;;
	dev|carla) email=$role@acme.example ;;
	erik) email=$role@bluefield.example ;;
	esac
	cgi_login "$email" || { echo "Bail out! $email cannot sign in"; exit 1; }
	eval "SESSION_$role=\$SESSION CSRF_$role=\$CSRF"
done
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$T_DB" "$T_TMP/start.db"

# fill PATTERN VARS: the path with each :name replaced as VARS says
fill() {
	path=$1
	[ "$2" = - ] && { echo "$path"; return; }
	for kv in $(echo "$2" | tr ',' ' '); do
		eval "v=\$${kv#*=}"
		path=$(echo "$path" | sed "s|:${kv%%=*}\\b|$v|")
	done
	echo "$path"
}

# ---- every row, every role -----------------------------------------------
grep -v '^#' "$MATRIX" >"$T_TMP/matrix"
while read -r m p vars body bar s1 s2 s3 s4 s5 s6; do
	[ -n "$m" ] || continue
	[ "$bar" = "|" ] || { ok 1 "row $m $p is well formed"; continue; }
	path=$(fill "$p" "$vars")
	set -- $s1 $s2 $s3 $s4 $s5 $s6
	for role in $ROLES; do
		want=$1; shift
		cp "$T_TMP/start.db" "$T_DB"
		rm -f "$T_DB-wal" "$T_DB-shm"
		cookie= form=
		[ "$body" = - ] || eval "form=\"$body\""
		if [ "$role" != anon ]; then
			eval "cookie=\$SESSION_$role csrf=\$CSRF_$role"
			[ "$m" = POST ] && form="csrf=$csrf${form:+&$form}"
		fi
		cgi "$m" "$path" "$form" "$cookie"
		if [ "$role" = anon ] && [ "$want" = 303 ] && [ "$p" != /logout ]; then
			grep -q '^Location: .*/login$' "$HDR"
			ok $? "$role: $m $p is sent to sign in"
		else
			is "$STATUS" "$want" "$role: $m $p answers $want"
		fi
	done
done <"$T_TMP/matrix"

done_testing
