-- export-account.sql: for ./keepword bench (bench/export.sh), an account
-- between the demo's Northwind Foods and Acme Packaging with N promises,
-- N from the temporary table bench_n made first in the same sqlite3 run:
--   sqlite3 DB "CREATE TEMP TABLE bench_n AS SELECT 100000 AS n" \
--       ".read bench/export-account.sql"
-- Two promises in three are kept, each with its confirmed delivery; every
-- promise has a detail text with characters XML escapes. Prints the new
-- account's id.

CREATE TEMP TABLE g AS
SELECT (SELECT id FROM orgs WHERE name = 'Northwind Foods') AS buyer,
    (SELECT id FROM orgs WHERE name = 'Acme Packaging') AS supplier,
    (SELECT id FROM users WHERE email = 'anna@northwind.example') AS anna,
    (SELECT id FROM users WHERE email = 'carla@acme.example') AS carla,
    (SELECT n FROM bench_n) AS n;

BEGIN;
INSERT INTO accounts (title, buyer_org_id, supplier_org_id, cadence,
    start_date, created_at)
SELECT 'Northwind ⇄ Acme, ' || n || ' promises', buyer, supplier,
    'quarterly', '2020-01-01', '2020-01-01T08:00:00Z' FROM g;
CREATE TEMP TABLE a AS SELECT last_insert_rowid() AS id;
INSERT INTO account_cadences (account_id, cadence, from_date, set_at)
SELECT a.id, 'quarterly', '2020-01-01', '2020-01-01T08:00:00Z' FROM a;

INSERT INTO promises (account_id, promisor_side, title, detail, due_date,
    original_due, state, created_by, created_at, kept_on, on_time, closed_at)
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s
    WHERE i < (SELECT n FROM g)),
d(i, due) AS (SELECT i, date('2020-01-01', '+' || (i % 2000) || ' days')
    FROM s)
SELECT a.id, CASE d.i % 2 WHEN 0 THEN 'supplier' ELSE 'buyer' END,
    'Delivery ' || d.i || ' of the framework agreement',
    'Ship the agreed quantity to the central warehouse & confirm the '
    || 'pallets <' || d.i || '>.',
    d.due, d.due, CASE d.i % 3 WHEN 0 THEN 'open' ELSE 'kept' END,
    CASE d.i % 2 WHEN 0 THEN g.carla ELSE g.anna END,
    date(d.due, '-20 days') || 'T09:00:00Z',
    CASE d.i % 3 WHEN 0 THEN NULL ELSE d.due END,
    CASE d.i % 3 WHEN 0 THEN NULL ELSE 1 END,
    CASE d.i % 3 WHEN 0 THEN NULL ELSE d.due || 'T16:00:00Z' END
FROM d, a, g;

INSERT INTO promise_deliveries (promise_id, delivered_on, note, delivered_by,
    delivered_at, outcome, decided_by, decided_at)
SELECT p.id, p.kept_on, 'Delivered in full.', p.created_by,
    p.kept_on || 'T15:00:00Z', 'confirmed',
    CASE p.promisor_side WHEN 'buyer' THEN g.carla ELSE g.anna END,
    p.closed_at
FROM promises p, a, g WHERE p.account_id = a.id AND p.state = 'kept';
COMMIT;

SELECT id FROM a;
