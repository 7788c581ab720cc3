#!/bin/sh
# t-kwctl-demo.sh: kwctl demo creates the demo data once, with a year of
# history in the Acme account that obeys every rule of the ledger.
. "${top_srcdir:-.}/tests/lib.sh"

export KEEPWORD_NOW=2026-11-26T10:00:00Z
"$KWCTL" -d "$T_DB" demo >"$T_TMP/out" 2>&1
ok $? "kwctl demo succeeds"
like "$T_TMP/out" 'anna@northwind.example' "it prints the demo logins"
"$KWCTL" -d "$T_DB" demo >"$T_TMP/out2" 2>&1
ok $? "a second run succeeds"
like "$T_TMP/out2" 'nothing changed' "and changes nothing"
is "$(sql "SELECT count(*) FROM promises")" 15 "the history holds fifteen promises"

acct=$(sql "SELECT id FROM accounts WHERE title LIKE '%Acme%'")
is "$(sql "SELECT start_date FROM accounts WHERE id = $acct")" 2025-11-01 \
	"the Acme account started a year ago, at the start of a month"
is "$(sql "SELECT cadence || '|' || from_date FROM account_cadences WHERE account_id = $acct")" \
	"quarterly|2025-11-01" "its cadence history starts with it"
is "$(sql "SELECT group_concat(p, ' ') FROM (SELECT DISTINCT period_start || '..' || period_end AS p FROM expectation_assessments ORDER BY p)")" \
	"2025-11-01..2025-12-31 2026-01-01..2026-03-31 2026-04-01..2026-06-30 2026-07-01..2026-09-30" \
	"expectations were assessed by calendar quarter, the first from the start"
is "$(sql "SELECT count(*) FROM expectation_assessments x JOIN expectations e ON e.id = x.expectation_id WHERE x.period_end < substr(e.acknowledged_at, 1, 10) OR x.assessed_at <= x.period_end")" 0 \
	"each assessment is of a period after the acknowledgement, made after it ended"
is "$(sql "SELECT count(*) FROM expectations WHERE account_id = $acct AND state = 'proposed'")" 1 \
	"one expectation awaits acknowledgement"
is "$(sql "SELECT group_concat(state, ',') FROM (SELECT state FROM promises WHERE account_id = $acct GROUP BY state ORDER BY state)")" \
	"broken,delivered,disputed,kept,open" "promises in every state"
is "$(sql "SELECT count(*) FROM promises WHERE state = 'kept' AND on_time = 0")" 2 "two promises were kept late"

# Each rule of the state machine holds in the history.
is "$(sql "SELECT count(*) FROM promises p WHERE state = 'kept' AND (SELECT count(*) FROM promise_deliveries d WHERE d.promise_id = p.id AND d.outcome = 'confirmed') <> 1")" 0 \
	"every kept promise has exactly one confirmed delivery"
is "$(sql "SELECT count(*) FROM promises WHERE state = 'kept' AND on_time IS NOT (kept_on <= due_date)")" 0 \
	"on time means delivered on or before the due date in force"
is "$(sql "SELECT count(*) FROM promises WHERE state = 'broken' AND (broken_reason IS NULL OR broken_by IS NULL)")" 0 \
	"every broken promise has a reason and who gave up"
is "$(sql "SELECT count(*) FROM promise_deliveries d JOIN promises p ON p.id = d.promise_id JOIN accounts a ON a.id = p.account_id JOIN users u ON u.id = d.delivered_by WHERE u.org_id <> CASE p.promisor_side WHEN 'buyer' THEN a.buyer_org_id ELSE a.supplier_org_id END")" 0 \
	"only the promisor's side marked deliveries"
is "$(sql "SELECT count(*) FROM promise_deliveries d JOIN promises p ON p.id = d.promise_id JOIN accounts a ON a.id = p.account_id JOIN users u ON u.id = d.decided_by WHERE u.org_id <> CASE p.promisor_side WHEN 'buyer' THEN a.supplier_org_id ELSE a.buyer_org_id END")" 0 \
	"only the promisee's side confirmed or disputed"
is "$(sql "SELECT count(*) FROM promise_due_changes WHERE outcome = 'accepted'")" 1 \
	"one due date was renegotiated, the old date kept"
is "$(sql "SELECT count(*) FROM concerns c JOIN users u ON u.id = c.closed_by JOIN accounts a ON a.id = c.account_id WHERE c.state = 'resolved' AND u.org_id <> CASE c.raised_by_side WHEN 'buyer' THEN a.buyer_org_id ELSE a.supplier_org_id END")" 0 \
	"resolved concerns were accepted by the side that raised them"
is "$(sql "SELECT count(*) FROM update_reads r JOIN updates u ON u.id = r.update_id JOIN users p ON p.id = r.user_id JOIN accounts a ON a.id = u.account_id WHERE p.org_id = CASE u.side WHEN 'buyer' THEN a.buyer_org_id ELSE a.supplier_org_id END")" 0 \
	"updates were read by the other side only"
is "$(sql "SELECT count(*) FROM feedback WHERE created_at > '2026-11-26'")" 0 "nothing lies in the future"
is "$(sql "SELECT u.email FROM account_owners o JOIN users u ON u.id = o.user_id WHERE o.account_id = $acct AND o.side = 'supplier' AND o.until IS NULL")" \
	dev@acme.example "the supplier's side was handed over to Dev"
like_sql() { sql "$1" >"$T_TMP/q"; like "$T_TMP/q" "$2" "$3"; }
like_sql "SELECT handover_note FROM account_owners WHERE account_id = $acct AND until IS NULL AND side = 'supplier'" \
	'takes over' "with a handover note"
is "$(sql "SELECT count(*) FROM promises p WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity = 'promise' AND e.entity_id = p.id AND e.action = 'create')")" 0 \
	"every promise's creation is in the audit trail"
is "$(sql "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'anna@northwind.example' AND read_at IS NULL")" 4 \
	"Anna finds four things in her inbox"
is "$(sql "SELECT count(*) FROM promises WHERE account_id <> $acct")" 0 \
	"the Bluefield account starts empty"

done_testing
