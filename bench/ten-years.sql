-- ten-years.sql: for ./keepword bench, a second account between the demo's
-- Northwind Foods and Acme Packaging with ten years of monthly reviews:
-- 120 months, each with six promises (kept on time, kept late, broken),
-- three contacts, two ratings and two updates, so that the review page is
-- measured on a long history. Run with sqlite3 on the demo database.

CREATE TEMP TABLE b AS
SELECT (SELECT id FROM orgs WHERE name = 'Northwind Foods') AS buyer,
    (SELECT id FROM orgs WHERE name = 'Acme Packaging') AS supplier,
    (SELECT id FROM users WHERE email = 'anna@northwind.example') AS anna,
    (SELECT id FROM users WHERE email = 'carla@acme.example') AS carla,
    date('now', 'start of month', '-120 months') AS start;

INSERT INTO accounts (title, buyer_org_id, supplier_org_id, cadence,
    start_date, created_at)
SELECT 'Northwind ⇄ Acme, ten years', buyer, supplier, 'monthly', start,
    start || 'T08:00:00Z' FROM b;
CREATE TEMP TABLE a AS SELECT last_insert_rowid() AS id;

INSERT INTO account_cadences (account_id, cadence, from_date, set_at)
SELECT a.id, 'monthly', b.start, b.start || 'T08:00:00Z' FROM a, b;
INSERT INTO account_owners (account_id, side, user_id, since)
SELECT a.id, 'buyer', b.anna, b.start || 'T08:00:00Z' FROM a, b
UNION ALL
SELECT a.id, 'supplier', b.carla, b.start || 'T08:00:00Z' FROM a, b;

-- Month m (0..119) and item k (0..5) within it.
CREATE TEMP TABLE m AS
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 119)
SELECT i, date((SELECT start FROM b), '+' || i || ' months') AS day FROM n;
CREATE TEMP TABLE k AS
SELECT 0 AS j UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3
UNION ALL SELECT 4 UNION ALL SELECT 5;

INSERT INTO promises (account_id, promisor_side, title, due_date,
    original_due, state, created_by, created_at, kept_on, on_time, closed_at,
    broken_reason, broken_by)
SELECT a.id, CASE k.j % 2 WHEN 0 THEN 'supplier' ELSE 'buyer' END,
    'Monthly delivery ' || m.i || '-' || k.j,
    date(m.day, '+' || (4 + k.j * 4) || ' days'),
    date(m.day, '+' || (4 + k.j * 4) || ' days'),
    CASE k.j WHEN 5 THEN 'broken' ELSE 'kept' END,
    CASE k.j % 2 WHEN 0 THEN b.carla ELSE b.anna END, m.day || 'T09:00:00Z',
    CASE k.j WHEN 5 THEN NULL
	ELSE date(m.day, '+' || (4 + k.j * 4 + (k.j = 3) * 2) || ' days') END,
    CASE k.j WHEN 5 THEN NULL WHEN 3 THEN 0 ELSE 1 END,
    date(m.day, '+' || (6 + k.j * 4) || ' days') || 'T10:00:00Z',
    CASE k.j WHEN 5 THEN 'Plans changed.' END,
    CASE k.j WHEN 5 THEN b.anna END
FROM a, b, m, k;

INSERT INTO promise_deliveries (promise_id, delivered_on, note, delivered_by,
    delivered_at, outcome, decided_by, decided_at)
SELECT p.id, p.kept_on, 'Delivered.', p.created_by, p.kept_on || 'T15:00:00Z',
    'confirmed', CASE p.promisor_side WHEN 'buyer' THEN b.carla
    ELSE b.anna END, p.closed_at
FROM promises p, a, b WHERE p.account_id = a.id AND p.state = 'kept';

INSERT INTO contacts (account_id, side, contact_date, channel, participants,
    summary, created_by, created_at)
SELECT a.id, CASE k.j WHEN 1 THEN 'supplier' ELSE 'buyer' END,
    date(m.day, '+' || (3 + k.j * 9) || ' days'), 'call', 'Anna, Carla',
    'Monthly call ' || m.i, b.anna, m.day || 'T10:00:00Z'
FROM a, b, m, k WHERE k.j < 3;

INSERT INTO feedback (account_id, from_side, rating, comment, created_by,
    created_at)
SELECT a.id, CASE k.j WHEN 0 THEN 'buyer' ELSE 'supplier' END,
    3 + (m.i + k.j) % 3, 'Month ' || m.i,
    CASE k.j WHEN 0 THEN b.anna ELSE b.carla END,
    date(m.day, '+20 days') || 'T12:00:00Z'
FROM a, b, m, k WHERE k.j < 2;

INSERT INTO updates (account_id, side, kind, title, body, created_by,
    created_at)
SELECT a.id, CASE k.j WHEN 0 THEN 'buyer' ELSE 'supplier' END,
    CASE k.j WHEN 0 THEN 'need' ELSE 'development' END,
    'Update ' || m.i || '-' || k.j, 'News of the month.',
    CASE k.j WHEN 0 THEN b.anna ELSE b.carla END,
    date(m.day, '+2 days') || 'T08:00:00Z'
FROM a, b, m, k WHERE k.j < 2;

INSERT INTO update_reads (update_id, user_id, read_at)
SELECT u.id, CASE u.side WHEN 'buyer' THEN b.carla ELSE b.anna END,
    u.created_at
FROM updates u, a, b WHERE u.account_id = a.id;

SELECT id FROM a;
