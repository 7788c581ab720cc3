-- demo-history.sql: a believable year of the demo account "Northwind ⇄
-- Acme packaging supply", so that a new user sees a living relationship.
--
-- kwctl demo runs it once, in the transaction that opens the account,
-- after filling temp.demo with the account id, the four people's ids and
-- today's date; every date below is relative to that day. It writes the
-- ledger as the portal would have, audit trail included: promises kept
-- on time, kept late, broken and disputed over four quarters; updates,
-- contacts, feedback, a resolved concern and an open one; a handover of
-- the supplier's side.

-- The people and the days everything below is counted from.
CREATE TEMP VIEW dd AS
	SELECT acct, anna, ben, carla, dev, today,
	    date(today, 'start of month', '-12 months') AS start
	FROM temp.demo;

UPDATE accounts SET start_date = (SELECT start FROM dd),
    created_at = (SELECT start FROM dd) || 'T08:30:00Z'
WHERE id = (SELECT acct FROM dd);
UPDATE account_cadences SET from_date = (SELECT start FROM dd),
    set_at = (SELECT start FROM dd) || 'T08:30:00Z'
WHERE account_id = (SELECT acct FROM dd);

-- The supplier's side changed hands two months ago.
UPDATE account_owners SET since = (SELECT start FROM dd) || 'T08:30:00Z'
WHERE account_id = (SELECT acct FROM dd);
UPDATE account_owners
SET until = (SELECT date(today, '-60 days') FROM dd) || 'T16:00:00Z'
WHERE account_id = (SELECT acct FROM dd) AND side = 'supplier';
INSERT INTO account_owners (account_id, side, user_id, since, handover_note,
    set_by)
SELECT acct, 'supplier', dev, date(today, '-60 days') || 'T16:00:00Z',
    'Dev takes over day-to-day. Open items: the Q4 cost-down proposal and '
    || 'the mono-material switch for the snack line. Northwind''s packaging '
    || 'lead changed in the summer; Ben is the best first call. Forecast '
    || 'accuracy is the topic to raise at the next review.', carla
FROM dd;

-- ---- expectations ---------------------------------------------------------
INSERT INTO expectations (id, account_id, from_side, title, detail, target,
    state, created_by, created_at, acknowledged_by, acknowledged_at)
SELECT 9001, acct, 'buyer', 'Orders delivered in full and on time',
    'Every call-off for the Leeds and Bristol plants arrives complete on '
    || 'the agreed day.', '97% of order lines in full, on time', 'acknowledged',
    anna, date(start, '+3 days') || 'T09:10:00Z',
    carla, date(start, '+4 days') || 'T11:00:00Z' FROM dd
UNION ALL
SELECT 9002, acct, 'buyer', 'Recyclable film for the snack range',
    'Our 2027 packaging pledge needs every snack pack recyclable at kerbside.',
    '100% mono-material PE film by the end of next quarter', 'acknowledged',
    anna, date(start, '+10 days') || 'T14:00:00Z',
    carla, date(start, '+12 days') || 'T09:30:00Z' FROM dd
UNION ALL
SELECT 9003, acct, 'supplier', 'A twelve-week rolling forecast',
    'Press time is booked eight weeks out; a reliable forecast keeps lead '
    || 'times short.', 'Shared by the 5th working day of each month, within 15%',
    'acknowledged', carla, date(start, '+5 days') || 'T10:00:00Z',
    anna, date(start, '+6 days') || 'T08:45:00Z' FROM dd
UNION ALL
SELECT 9004, acct, 'buyer', 'A costed saving proposal every quarter',
    'Ideas that take cost out of the pack without touching shelf appeal.',
    'One costed proposal per quarter', 'acknowledged',
    ben, date(start, '+40 days') || 'T13:00:00Z',
    carla, date(start, '+41 days') || 'T15:20:00Z' FROM dd
UNION ALL
SELECT 9005, acct, 'supplier', 'Artwork approved within three working days',
    'Late approvals push jobs out of their press slot.',
    'Approval or comments within 3 working days of proof', 'proposed',
    dev, date(today, '-9 days') || 'T10:40:00Z', NULL, NULL FROM dd;

-- The account's review periods: calendar quarters, the first one from
-- the account's start to the end of its quarter (q0 is that quarter's
-- first day).
CREATE TEMP VIEW dq AS
	SELECT q.n, max(s.start, date(s.q0, '+' || (q.n * 3) || ' months'))
	    AS pstart,
	    date(s.q0, '+' || ((q.n + 1) * 3) || ' months', '-1 day') AS pend
	FROM (SELECT start, date(start, '-' || ((CAST(strftime('%m', start)
	    AS INTEGER) - 1) % 3) || ' months') AS q0 FROM dd) s,
	    (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL
	     SELECT 3) q;

-- How each acknowledged expectation was met, quarter by quarter, each
-- assessed a week after its quarter ended.
INSERT INTO expectation_assessments (expectation_id, period_start,
    period_end, rating, note, assessed_by, assessed_at)
SELECT e.id, q.pstart, q.pend,
    CASE WHEN e.id = 9001 THEN
	    CASE q.n WHEN 1 THEN 'partly' ELSE 'met' END
	WHEN e.id = 9002 THEN
	    CASE q.n WHEN 0 THEN 'not-met' WHEN 1 THEN 'partly' ELSE 'met' END
	WHEN e.id = 9003 THEN
	    CASE q.n WHEN 3 THEN 'partly' ELSE 'met' END
	ELSE CASE q.n WHEN 2 THEN 'not-met' ELSE 'met' END END,
    CASE WHEN e.id = 9001 AND q.n = 1 THEN
	    '95.8% — pallet damage at Leeds cost two deliveries.'
	WHEN e.id = 9003 AND q.n = 3 THEN
	    'The last month''s forecast was 22% under actual call-offs.'
	ELSE '' END,
    CASE e.from_side WHEN 'buyer' THEN dd.anna ELSE dd.carla END,
    date(q.pend, '+7 days') || 'T10:00:00Z'
FROM expectations e, dd, dq q
WHERE e.account_id = dd.acct AND e.state = 'acknowledged'
AND date(q.pend, '+7 days') < dd.today
AND q.pend >= substr(e.acknowledged_at, 1, 10);

-- ---- strategic updates -------------------------------------------------------
INSERT INTO updates (id, account_id, side, kind, title, body, created_by,
    created_at)
SELECT 9101, acct, 'buyer', 'direction', 'Plant-based range launches in spring',
    'Twelve new lines across two plants. Packaging has to say “recyclable” on '
    || 'the front; expect briefs in the next month.', anna,
    date(start, '+20 days') || 'T09:00:00Z' FROM dd
UNION ALL
SELECT 9102, acct, 'supplier', 'development', 'New 10-colour flexo press commissioned',
    'Shorter runs at the same unit price from next month; ideal for '
    || 'seasonal packs.', carla, date(start, '+55 days') || 'T11:30:00Z' FROM dd
UNION ALL
SELECT 9103, acct, 'buyer', 'need', 'A resealable pouch for the granola line',
    'Consumers ask for it; retailers list it from the autumn. Looking for a '
    || 'proposal with trial quantities.', ben,
    date(start, '+95 days') || 'T15:00:00Z' FROM dd
UNION ALL
SELECT 9104, acct, 'buyer', 'organisation', 'New category manager for packaging',
    'Ben Okafor now owns packaging day to day; Anna stays the account owner.',
    anna, date(start, '+150 days') || 'T08:30:00Z' FROM dd
UNION ALL
SELECT 9105, acct, 'supplier', 'development',
    'Mono-material PE laminate passes shelf-life trial',
    'Twelve weeks at 30 °C with no seal failures. Ready to quote for the '
    || 'snack range.', dev, date(today, '-45 days') || 'T10:00:00Z' FROM dd
UNION ALL
SELECT 9106, acct, 'supplier', 'organisation',
    'A dedicated key-account team for Northwind',
    'Dev Patel leads it, with a planner and a technical lead on call.',
    carla, date(today, '-58 days') || 'T09:00:00Z' FROM dd
UNION ALL
SELECT 9107, acct, 'buyer', 'need', 'Volume for 2027 is up 18%',
    'The spring range adds volume from March. Please confirm press capacity '
    || 'for the second quarter.', anna, date(today, '-4 days') || 'T14:10:00Z'
FROM dd;

-- The other side read all but the newest of each side.
INSERT INTO update_reads (update_id, user_id, read_at)
SELECT u.id, p.uid, strftime('%Y-%m-%dT%H:%M:%SZ', u.created_at, '+1 day')
FROM updates u, dd,
    (SELECT 'buyer' AS side, carla AS uid FROM dd UNION ALL
     SELECT 'buyer', dev FROM dd UNION ALL
     SELECT 'supplier', anna FROM dd UNION ALL
     SELECT 'supplier', ben FROM dd) p
WHERE u.account_id = dd.acct AND u.side = p.side
AND u.id NOT IN (9105, 9107);

-- ---- concerns ---------------------------------------------------------------
INSERT INTO concerns (id, account_id, raised_by_side, title, detail, state,
    resolution, proposed_by, proposed_at, created_by, created_at, closed_by,
    closed_at)
SELECT 9201, acct, 'buyer', 'Pallet damage on deliveries to Leeds',
    'Crushed corners on 6 of 40 pallets in the last month; the line stopped '
    || 'twice for re-packing.', 'resolved',
    'Corner boards on every pallet, a new stretch-wrap pattern, and weekly '
    || 'damage figures until three clean months.', carla,
    date(start, '+112 days') || 'T10:00:00Z', ben,
    date(start, '+100 days') || 'T16:40:00Z', ben,
    date(start, '+190 days') || 'T09:00:00Z' FROM dd
UNION ALL
SELECT 9202, acct, 'supplier', 'Forecast accuracy below 80% in October',
    'Call-offs ran 22% over forecast; two jobs went to overtime and one was '
    || 'late.', 'open', NULL, NULL, NULL, dev,
    date(today, '-24 days') || 'T11:00:00Z', NULL, NULL FROM dd;

-- ---- promises -------------------------------------------------------------
-- (id, promisor side, title, days counted from the account's start or
-- from today, due in days, final state, made by, made in days, linked
-- expectation and concern)
CREATE TEMP TABLE dp (id INTEGER, side TEXT, title TEXT, ref TEXT,
    due INTEGER, state TEXT, who TEXT, made INTEGER, link_e INTEGER,
    link_c INTEGER);
INSERT INTO dp VALUES
	(9301, 'supplier', 'Trial reels of recyclable film', 'start', 30, 'kept', 'carla', 10, 9002, NULL),
	(9302, 'supplier', 'Cost-down proposal for corrugated cases', 'start', 50, 'kept', 'carla', 20, 9004, NULL),
	(9303, 'buyer', 'Share the twelve-week forecast for the second quarter', 'start', 80, 'kept', 'anna', 45, 9003, NULL),
	(9304, 'supplier', 'Shelf-life test report for the PE laminate', 'start', 150, 'kept', 'carla', 100, 9002, NULL),
	(9305, 'supplier', 'Pallet damage below 0.5% for a month', 'start', 160, 'kept', 'carla', 112, 9001, 9201),
	(9306, 'buyer', 'Approve the new pouch artwork', 'start', 140, 'broken', 'ben', 110, NULL, NULL),
	(9307, 'supplier', 'First production run of resealable pouches', 'start', 230, 'kept', 'carla', 190, NULL, NULL),
	(9308, 'supplier', 'Vendor-managed stock at the Leeds plant', 'start', 250, 'broken', 'carla', 200, 9001, NULL),
	(9309, 'buyer', 'Access to the Leeds warehouse system', 'start', 240, 'kept', 'anna', 200, NULL, NULL),
	(9310, 'supplier', 'Quarterly business review pack', 'today', -40, 'kept', 'dev', -60, NULL, NULL),
	(9311, 'supplier', 'Cost-down proposal for the fourth quarter', 'today', -20, 'delivered', 'dev', -50, 9004, NULL),
	(9312, 'supplier', 'Switch the snack line to mono-material film', 'today', 25, 'open', 'dev', -40, 9002, NULL),
	(9313, 'supplier', 'Root-cause report on carton crush', 'today', -5, 'open', 'dev', -30, 9001, NULL),
	(9314, 'buyer', 'Confirm the 2027 volume forecast', 'today', 10, 'open', 'anna', -20, 9003, 9202),
	(9315, 'supplier', 'Corrective action for the label misprint', 'today', -10, 'disputed', 'dev', -25, NULL, NULL);

CREATE TEMP VIEW dpd AS
	SELECT dp.*,
	    date(CASE ref WHEN 'start' THEN dd.start ELSE dd.today END,
		due || ' days') AS due_date,
	    date(CASE ref WHEN 'start' THEN dd.start ELSE dd.today END,
		made || ' days') AS made_on,
	    CASE who WHEN 'anna' THEN dd.anna WHEN 'ben' THEN dd.ben
	    WHEN 'carla' THEN dd.carla ELSE dd.dev END AS uid
	FROM dp, dd;

INSERT INTO promises (id, account_id, promisor_side, title, detail,
    due_date, original_due, state, expectation_id, concern_id, created_by,
    created_at)
SELECT id, (SELECT acct FROM dd), side, title, '', due_date, due_date,
    'open', link_e, link_c, uid, made_on || 'T10:00:00Z' FROM dpd;

-- The shelf-life report was renegotiated a fortnight later, and accepted.
UPDATE promises SET due_date = date(due_date, '+14 days') WHERE id = 9304;
INSERT INTO promise_due_changes (promise_id, old_due, new_due, reason,
    proposed_by, proposed_at, outcome, decided_by, decided_at)
SELECT 9304, original_due, due_date,
    'The climate chamber failed in week 6; the trial restarted.',
    (SELECT carla FROM dd), date(original_due, '-20 days') || 'T09:00:00Z',
    'accepted', (SELECT anna FROM dd),
    date(original_due, '-19 days') || 'T12:00:00Z'
FROM promises WHERE id = 9304;

-- Deliveries: (promise, days after due (+ late, - early), outcome).
CREATE TEMP TABLE dv (pid INTEGER, late INTEGER, outcome TEXT, note TEXT,
    reason TEXT);
INSERT INTO dv VALUES
	(9301, -2, 'confirmed', 'Six reels shipped to Leeds for the trial.', NULL),
	(9302, 5, 'confirmed', 'Proposal sent: 7% saving with a lighter flute.', NULL),
	(9303, -1, 'confirmed', 'Forecast uploaded to the shared folder.', NULL),
	(9304, -1, 'confirmed', 'Report attached: no seal failures in 12 weeks.', NULL),
	(9305, -3, 'disputed', 'Damage rate 0.4% over the last four weeks.',
	    'Our goods-in count shows 0.9% in the same weeks.'),
	(9305, 21, 'confirmed', 'Damage rate 0.3% over four weeks, joint count.', NULL),
	(9307, -1, 'confirmed', 'Run of 120,000 pouches delivered to Bristol.', NULL),
	(9309, -1, 'confirmed', 'Read-only access set up for the Acme planner.', NULL),
	(9310, -1, 'confirmed', 'Pack shared ahead of the review meeting.', NULL),
	(9311, 2, 'pending', 'Proposal sent: switch cases to a 4-colour print.', NULL),
	(9315, -2, 'disputed', 'New labels printed and swapped at Leeds.',
	    'Two pallets at Bristol still carry the old label.');

INSERT INTO promise_deliveries (promise_id, delivered_on, note, delivered_by,
    delivered_at, outcome, reason, decided_by, decided_at)
SELECT dv.pid, date(p.due_date, dv.late || ' days'), dv.note, p.created_by,
    date(p.due_date, dv.late || ' days') || 'T15:00:00Z', dv.outcome,
    dv.reason,
    CASE dv.outcome WHEN 'pending' THEN NULL ELSE
	CASE p.promisor_side WHEN 'supplier' THEN dd.anna ELSE dd.carla END END,
    CASE dv.outcome WHEN 'pending' THEN NULL ELSE
	date(p.due_date, (dv.late + 2) || ' days') || 'T09:30:00Z' END
FROM dv JOIN promises p ON p.id = dv.pid, dd
ORDER BY dv.pid, dv.late;

-- Final states, as the state machine leaves them.
UPDATE promises SET state = 'kept',
    kept_on = (SELECT delivered_on FROM promise_deliveries d
	WHERE d.promise_id = promises.id AND d.outcome = 'confirmed'),
    closed_at = (SELECT decided_at FROM promise_deliveries d
	WHERE d.promise_id = promises.id AND d.outcome = 'confirmed')
WHERE id IN (SELECT id FROM dp WHERE state = 'kept');
UPDATE promises SET on_time = (kept_on <= due_date)
WHERE id IN (SELECT id FROM dp WHERE state = 'kept');
UPDATE promises SET state = 'delivered' WHERE id = 9311;
UPDATE promises SET state = 'disputed' WHERE id = 9315;
UPDATE promises SET state = 'broken',
    broken_reason = CASE id WHEN 9306 THEN
	'The brand refresh moved the artwork to next year.'
	ELSE 'Northwind''s IT integration moved to next year; we cannot '
	|| 'run the stock without it.' END,
    broken_by = created_by,
    closed_at = date(due_date, '-3 days') || 'T17:00:00Z'
WHERE id IN (9306, 9308);

-- ---- contacts -------------------------------------------------------------
INSERT INTO contacts (account_id, side, contact_date, channel, participants,
    summary, next_step, created_by, created_at)
SELECT acct, c.side, CASE WHEN c.day >= 0 THEN date(start, '+' || c.day || ' days')
	ELSE date(today, c.day || ' days') END, c.channel, c.who, c.summary,
    c.next, CASE WHEN c.side = 'buyer' THEN anna WHEN c.day < 0 THEN dev
	ELSE carla END,
    CASE WHEN c.day >= 0 THEN date(start, '+' || c.day || ' days')
	ELSE date(today, c.day || ' days') END || 'T17:00:00Z'
FROM dd, (
	SELECT 'buyer' AS side, 2 AS day, 'meeting' AS channel,
	    'Anna Berg, Ben Okafor; Carla Diaz' AS who,
	    'Kick-off: expectations for the year, the recyclable-film pledge.' AS summary,
	    'Acme to send trial reels.' AS next
	UNION ALL SELECT 'supplier', 35, 'visit', 'Carla Diaz; Ben Okafor',
	    'Line visit at Leeds to see the trial film run.', 'Shelf-life trial.'
	UNION ALL SELECT 'buyer', 92, 'meeting', 'Anna Berg; Carla Diaz, Dev Patel',
	    'First quarterly review. Delivery 98%, forecast on time.', ''
	UNION ALL SELECT 'buyer', 101, 'call', 'Ben Okafor; Carla Diaz',
	    'Escalated pallet damage at Leeds.', 'Acme to propose a fix.'
	UNION ALL SELECT 'supplier', 130, 'video', 'Dev Patel; Ben Okafor',
	    'Pouch design options for granola.', 'Artwork from Northwind.'
	UNION ALL SELECT 'buyer', 183, 'meeting', 'Anna Berg; Carla Diaz',
	    'Second quarterly review. Damage fixed; artwork promise broken.', ''
	UNION ALL SELECT 'supplier', 210, 'email', 'Carla Diaz; Anna Berg',
	    'VMI pilot postponed after the IT plan changed.', ''
	UNION ALL SELECT 'buyer', 275, 'meeting', 'Anna Berg, Ben Okafor; Carla Diaz, Dev Patel',
	    'Third quarterly review and introduction of Dev as account lead.', ''
	UNION ALL SELECT 'supplier', -24, 'call', 'Dev Patel; Ben Okafor',
	    'October call-offs far above forecast; raised as a concern.',
	    'Northwind to confirm the 2027 forecast.'
	UNION ALL SELECT 'supplier', -12, 'visit', 'Dev Patel; Ben Okafor',
	    'Label misprint at Bristol: swapped on site.', 'Check the remaining pallets.'
) c;

-- ---- feedback -------------------------------------------------------------
INSERT INTO feedback (account_id, from_side, rating, aspect, comment,
    created_by, created_at)
SELECT acct, f.side, f.rating, f.aspect, f.comment,
    CASE f.side WHEN 'buyer' THEN anna ELSE carla END,
    date(start, '+' || f.day || ' days') || 'T12:00:00Z'
FROM dd, (
	SELECT 'buyer' AS side, 90 AS day, 4 AS rating, 'delivery' AS aspect,
	    'Reliable, and quick to answer.' AS comment
	UNION ALL SELECT 'supplier', 91, 4, 'communication',
	    'Clear briefs; the forecast came on time.'
	UNION ALL SELECT 'buyer', 182, 3, 'quality',
	    'Pallet damage hurt, though the fix was good.'
	UNION ALL SELECT 'supplier', 184, 3, 'communication',
	    'The artwork delay was announced late.'
	UNION ALL SELECT 'buyer', 273, 4, 'value',
	    'The pouch run and the cost-down ideas paid off.'
	UNION ALL SELECT 'supplier', 274, 4, NULL,
	    'Good partnership; forecast accuracy needs work.'
	UNION ALL SELECT 'buyer', 340, 4, 'communication',
	    'Dev keeps us well informed.'
) f
WHERE date(start, '+' || f.day || ' days') < today;

-- ---- comments -------------------------------------------------------------
INSERT INTO comments (account_id, entity, entity_id, side, body, created_by,
    created_at)
SELECT acct, 'promise', 9305, 'buyer',
    'Shall we count together at goods-in next time?', ben,
    date(start, '+165 days') || 'T09:00:00Z' FROM dd
UNION ALL SELECT acct, 'promise', 9305, 'supplier',
    'Yes — joint count every Monday until it is settled.', carla,
    date(start, '+165 days') || 'T11:30:00Z' FROM dd
UNION ALL SELECT acct, 'concern', 9202, 'buyer',
    'Agreed. The spring launch skewed October; the 2027 forecast will show it.',
    ben, date(today, '-22 days') || 'T10:00:00Z' FROM dd;

-- ---- the audit trail of all of it ---------------------------------------------
INSERT INTO audit_events (at, actor_user_id, actor_org_id, account_id,
    entity, entity_id, action, detail)
SELECT e.at, e.uid, (SELECT org_id FROM users WHERE id = e.uid), e.acct,
    e.entity, e.eid, e.action, e.detail
FROM (
	SELECT created_at AS at, created_by AS uid, account_id AS acct,
	    'expectation' AS entity, id AS eid, 'create' AS action,
	    title AS detail FROM expectations
	UNION ALL SELECT acknowledged_at, acknowledged_by, account_id,
	    'expectation', id, 'acknowledge', title FROM expectations
	    WHERE acknowledged_at IS NOT NULL
	UNION ALL SELECT created_at, created_by, account_id, 'update', id,
	    'create', title FROM updates
	UNION ALL SELECT created_at, created_by, account_id, 'promise', id,
	    'create', title FROM promises
	UNION ALL SELECT d.delivered_at, d.delivered_by, p.account_id,
	    'promise', p.id, 'deliver', d.note FROM promise_deliveries d
	    JOIN promises p ON p.id = d.promise_id
	UNION ALL SELECT d.decided_at, d.decided_by, p.account_id, 'promise',
	    p.id, CASE d.outcome WHEN 'confirmed' THEN 'confirm'
	    ELSE 'dispute' END, d.reason FROM promise_deliveries d
	    JOIN promises p ON p.id = d.promise_id WHERE d.decided_at IS NOT NULL
	UNION ALL SELECT c.proposed_at, c.proposed_by, p.account_id, 'promise',
	    p.id, 'renegotiate', c.old_due || ' → ' || c.new_due
	    FROM promise_due_changes c JOIN promises p ON p.id = c.promise_id
	UNION ALL SELECT closed_at, broken_by, account_id, 'promise', id,
	    'break', broken_reason FROM promises WHERE state = 'broken'
	UNION ALL SELECT created_at, created_by, account_id, 'contact', id,
	    'create', summary FROM contacts
	UNION ALL SELECT created_at, created_by, account_id, 'feedback', id,
	    'create', rating || ' of 5' FROM feedback
	UNION ALL SELECT created_at, created_by, account_id, 'concern', id,
	    'create', title FROM concerns
	UNION ALL SELECT proposed_at, proposed_by, account_id, 'concern', id,
	    'propose', resolution FROM concerns WHERE proposed_at IS NOT NULL
	UNION ALL SELECT closed_at, closed_by, account_id, 'concern', id,
	    'accept', NULL FROM concerns WHERE state = 'resolved'
) e, dd
WHERE e.acct = dd.acct
ORDER BY e.at;

-- ---- what waits in the inboxes today -----------------------------------------
INSERT INTO notifications (user_id, account_id, kind, entity, entity_id,
    text, key, created_at)
SELECT u.id, dd.acct, n.kind, n.entity, n.eid, n.text, n.key,
    dd.today || 'T07:00:00Z'
FROM dd, users u, (
	SELECT 'buyer' AS side, 'delivery' AS kind, 'promise' AS entity,
	    9311 AS eid,
	    'Acme Packaging delivered “Cost-down proposal for the fourth '
	    || 'quarter”: please confirm or dispute.' AS text,
	    'delivery:promise:9311:1' AS key
	UNION ALL SELECT 'supplier', 'dispute', 'promise', 9315,
	    'Northwind Foods disputed the delivery of “Corrective action for '
	    || 'the label misprint”.', 'dispute:promise:9315:1'
	UNION ALL SELECT 'buyer', 'expectation', 'expectation', 9005,
	    'Acme Packaging expects: “Artwork approved within three working '
	    || 'days”. Please acknowledge it.', 'expectation:9005'
	UNION ALL SELECT 'buyer', 'update', 'update', 9105,
	    'Acme Packaging shared an update: “Mono-material PE laminate '
	    || 'passes shelf-life trial”.', 'update:9105'
	UNION ALL SELECT 'supplier', 'update', 'update', 9107,
	    'Northwind Foods shared an update: “Volume for 2027 is up 18%”.',
	    'update:9107'
	UNION ALL SELECT 'buyer', 'concern', 'concern', 9202,
	    'Acme Packaging raised a concern: “Forecast accuracy below 80% in '
	    || 'October”.', 'concern:9202'
) n
WHERE u.org_id = (SELECT CASE n.side WHEN 'buyer' THEN buyer_org_id
	ELSE supplier_org_id END FROM accounts WHERE id = dd.acct)
AND u.active = 1;

DROP VIEW dpd;
DROP VIEW dq;
DROP TABLE dp;
DROP TABLE dv;
DROP VIEW dd;
