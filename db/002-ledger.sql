-- 002-ledger.sql: the shared ledger of an account: the history of its
-- review cadence, expectations, strategic updates, promises (with their
-- deliveries and due-date changes), contacts, feedback, concerns,
-- periodic reviews, comments and notifications.
--
-- Every entry belongs to one account and names the side that wrote it
-- ('buyer' or 'supplier'). Entries are withdrawn or retired, never
-- deleted. State rules (who may move an entry where) live in src/; the
-- CHECKs here only keep impossible values out.

-- The review cadence of an account over time. The first row is the
-- cadence it opened with, from its start_date; each change adds a row
-- that takes effect from from_date, the day after the review period it
-- was made in ends, so periods that have begun never change. On a day,
-- the latest row (by from_date, then id) with from_date on or before it
-- is in force; accounts.cadence is the latest one set.
CREATE TABLE account_cadences (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	cadence		TEXT NOT NULL CHECK (cadence IN ('monthly', 'quarterly',
			    'half-yearly', 'yearly')),
	from_date	TEXT NOT NULL CHECK (from_date GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	set_by		INTEGER REFERENCES users (id),
	set_at		TEXT NOT NULL
);
CREATE INDEX account_cadences_account
	ON account_cadences (account_id, from_date, id);
CREATE INDEX account_cadences_set_by ON account_cadences (set_by);
INSERT INTO account_cadences (account_id, cadence, from_date, set_at)
SELECT id, cadence, start_date, created_at FROM accounts;

-- What one side (from_side) expects of the other.
CREATE TABLE expectations (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	from_side	TEXT NOT NULL CHECK (from_side IN ('buyer', 'supplier')),
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	detail		TEXT NOT NULL DEFAULT ''
			CHECK (length(detail) <= 10000),
	target		TEXT NOT NULL DEFAULT ''
			CHECK (length(target) <= 200),
	state		TEXT NOT NULL DEFAULT 'proposed'
			CHECK (state IN ('proposed', 'acknowledged', 'retired')),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	acknowledged_by	INTEGER REFERENCES users (id),
	acknowledged_at	TEXT,
	retired_by	INTEGER REFERENCES users (id),
	retired_at	TEXT,
	retire_reason	TEXT CHECK (retire_reason IS NULL
			    OR length(retire_reason) <= 2000)
);
CREATE INDEX expectations_account ON expectations (account_id, state, id);
-- The list, newest first, whatever its filters: no sort.
CREATE INDEX expectations_list ON expectations (account_id, id);
CREATE INDEX expectations_created_by ON expectations (created_by);
CREATE INDEX expectations_acknowledged_by ON expectations (acknowledged_by);
CREATE INDEX expectations_retired_by ON expectations (retired_by);

-- How well an expectation was met in one review period, by the side that
-- holds it. One assessment per expectation and period.
CREATE TABLE expectation_assessments (
	id		INTEGER PRIMARY KEY,
	expectation_id	INTEGER NOT NULL REFERENCES expectations (id),
	period_start	TEXT NOT NULL,
	period_end	TEXT NOT NULL,
	rating		TEXT NOT NULL CHECK (rating IN ('met', 'partly',
			    'not-met')),
	note		TEXT NOT NULL DEFAULT ''
			CHECK (length(note) <= 2000),
	assessed_by	INTEGER NOT NULL REFERENCES users (id),
	assessed_at	TEXT NOT NULL,
	UNIQUE (expectation_id, period_start),
	CHECK (period_start <= period_end)
);
CREATE INDEX expectation_assessments_by
	ON expectation_assessments (assessed_by);

-- A strategic update from one side to the other.
CREATE TABLE updates (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	side		TEXT NOT NULL CHECK (side IN ('buyer', 'supplier')),
	kind		TEXT NOT NULL CHECK (kind IN ('direction', 'need',
			    'development', 'organisation')),
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	body		TEXT NOT NULL DEFAULT ''
			CHECK (length(body) <= 10000),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	withdrawn_at	TEXT
);
CREATE INDEX updates_account ON updates (account_id, id);
CREATE INDEX updates_side ON updates (account_id, side, created_at);
CREATE INDEX updates_created_by ON updates (created_by);

-- Who of the other side has read an update.
CREATE TABLE update_reads (
	update_id	INTEGER NOT NULL REFERENCES updates (id),
	user_id		INTEGER NOT NULL REFERENCES users (id),
	read_at		TEXT NOT NULL,
	PRIMARY KEY (update_id, user_id)
) WITHOUT ROWID;
CREATE INDEX update_reads_user ON update_reads (user_id);

-- A promise by promisor_side to the other side. due_date is the date in
-- force; due-date changes keep the old dates in promise_due_changes.
-- Overdue is derived from the clock (open or disputed past due_date).
CREATE TABLE promises (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	promisor_side	TEXT NOT NULL CHECK (promisor_side IN ('buyer',
			    'supplier')),
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	detail		TEXT NOT NULL DEFAULT ''
			CHECK (length(detail) <= 10000),
	due_date	TEXT NOT NULL CHECK (due_date GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	original_due	TEXT NOT NULL,
	state		TEXT NOT NULL DEFAULT 'open'
			CHECK (state IN ('open', 'delivered', 'disputed',
			    'kept', 'broken')),
	expectation_id	INTEGER REFERENCES expectations (id),
	concern_id	INTEGER REFERENCES concerns (id),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	-- set when confirmed: the confirmed delivery's date, and whether it
	-- was on or before the due date in force then
	kept_on		TEXT,
	on_time		INTEGER CHECK (on_time IS NULL OR on_time IN (0, 1)),
	closed_at	TEXT,
	broken_reason	TEXT CHECK (broken_reason IS NULL
			    OR length(broken_reason) <= 2000),
	broken_by	INTEGER REFERENCES users (id)
);
CREATE INDEX promises_account ON promises (account_id, state, due_date);
CREATE INDEX promises_due ON promises (account_id, due_date);
-- The scorecard counts a side's promises by due date and outcome from
-- this index alone.
CREATE INDEX promises_side_due
	ON promises (account_id, promisor_side, due_date, state, on_time);
CREATE INDEX promises_expectation ON promises (expectation_id);
CREATE INDEX promises_concern ON promises (concern_id);
CREATE INDEX promises_created_by ON promises (created_by);
CREATE INDEX promises_broken_by ON promises (broken_by);

-- Each time the promisor marks a promise delivered; the promisee's answer.
CREATE TABLE promise_deliveries (
	id		INTEGER PRIMARY KEY,
	promise_id	INTEGER NOT NULL REFERENCES promises (id),
	delivered_on	TEXT NOT NULL CHECK (delivered_on GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	note		TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
	delivered_by	INTEGER NOT NULL REFERENCES users (id),
	delivered_at	TEXT NOT NULL,
	outcome		TEXT NOT NULL DEFAULT 'pending'
			CHECK (outcome IN ('pending', 'confirmed',
			    'disputed')),
	reason		TEXT CHECK (reason IS NULL OR length(reason) <= 2000),
	decided_by	INTEGER REFERENCES users (id),
	decided_at	TEXT
);
CREATE INDEX promise_deliveries_promise ON promise_deliveries (promise_id, id);
CREATE UNIQUE INDEX promise_deliveries_one_pending
	ON promise_deliveries (promise_id) WHERE outcome = 'pending';
CREATE INDEX promise_deliveries_delivered_by
	ON promise_deliveries (delivered_by);
CREATE INDEX promise_deliveries_decided_by ON promise_deliveries (decided_by);

-- A renegotiation: the promisor proposes a new due date, the promisee
-- accepts or declines it. Accepted rows are the history of due dates. A
-- proposal still pending when the promise is closed (kept or broken)
-- lapses.
CREATE TABLE promise_due_changes (
	id		INTEGER PRIMARY KEY,
	promise_id	INTEGER NOT NULL REFERENCES promises (id),
	old_due		TEXT NOT NULL,
	new_due		TEXT NOT NULL CHECK (new_due GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	reason		TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
	proposed_by	INTEGER NOT NULL REFERENCES users (id),
	proposed_at	TEXT NOT NULL,
	outcome		TEXT NOT NULL DEFAULT 'pending'
			CHECK (outcome IN ('pending', 'accepted',
			    'declined', 'lapsed')),
	decided_by	INTEGER REFERENCES users (id),
	decided_at	TEXT
);
CREATE INDEX promise_due_changes_promise
	ON promise_due_changes (promise_id, id);
CREATE UNIQUE INDEX promise_due_changes_one_pending
	ON promise_due_changes (promise_id) WHERE outcome = 'pending';
CREATE INDEX promise_due_changes_proposed_by
	ON promise_due_changes (proposed_by);
CREATE INDEX promise_due_changes_decided_by
	ON promise_due_changes (decided_by);

-- A logged interaction between the two sides.
CREATE TABLE contacts (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	side		TEXT NOT NULL CHECK (side IN ('buyer', 'supplier')),
	contact_date	TEXT NOT NULL CHECK (contact_date GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	channel		TEXT NOT NULL CHECK (channel IN ('meeting', 'call',
			    'visit', 'video', 'email')),
	participants	TEXT NOT NULL CHECK (length(participants)
			    BETWEEN 1 AND 2000),
	summary		TEXT NOT NULL CHECK (length(summary)
			    BETWEEN 1 AND 10000),
	next_step	TEXT NOT NULL DEFAULT ''
			CHECK (length(next_step) <= 2000),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	withdrawn_at	TEXT
);
CREATE INDEX contacts_account ON contacts (account_id, contact_date);
-- The scorecard counts the standing contacts from this index alone.
CREATE INDEX contacts_standing ON contacts (account_id, contact_date)
	WHERE withdrawn_at IS NULL;
CREATE INDEX contacts_created_by ON contacts (created_by);

-- A satisfaction rating from from_side about the other side.
CREATE TABLE feedback (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	from_side	TEXT NOT NULL CHECK (from_side IN ('buyer', 'supplier')),
	rating		INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
	aspect		TEXT CHECK (aspect IS NULL OR aspect IN ('quality',
			    'delivery', 'communication', 'value')),
	comment		TEXT NOT NULL DEFAULT ''
			CHECK (length(comment) <= 10000),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	withdrawn_at	TEXT
);
CREATE INDEX feedback_account ON feedback (account_id, created_at);
-- The scorecard reads the standing ratings a side gave from this index
-- alone.
CREATE INDEX feedback_side ON feedback (account_id, from_side, created_at,
	rating) WHERE withdrawn_at IS NULL;
CREATE INDEX feedback_created_by ON feedback (created_by);

-- A problem raised openly. The other side proposes a resolution; the
-- raising side accepts it (resolved) or not (back to open, with an
-- optional reject_reason). resolution is the latest proposal.
CREATE TABLE concerns (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	raised_by_side	TEXT NOT NULL CHECK (raised_by_side IN ('buyer',
			    'supplier')),
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	detail		TEXT NOT NULL DEFAULT ''
			CHECK (length(detail) <= 10000),
	state		TEXT NOT NULL DEFAULT 'open'
			CHECK (state IN ('open', 'proposed', 'resolved',
			    'withdrawn')),
	resolution	TEXT CHECK (resolution IS NULL
			    OR length(resolution) <= 10000),
	proposed_by	INTEGER REFERENCES users (id),
	proposed_at	TEXT,
	reject_reason	TEXT CHECK (reject_reason IS NULL
			    OR length(reject_reason) <= 2000),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	closed_by	INTEGER REFERENCES users (id),
	closed_at	TEXT
);
CREATE INDEX concerns_account ON concerns (account_id, state, id);
CREATE INDEX concerns_created_by ON concerns (created_by);
CREATE INDEX concerns_proposed_by ON concerns (proposed_by);
CREATE INDEX concerns_closed_by ON concerns (closed_by);

-- The review of one period of an account: opened (by the system when the
-- period has ended, or by an owner as a draft of the running period),
-- signed by each side's owner, frozen when both have signed.
CREATE TABLE reviews (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	period_start	TEXT NOT NULL CHECK (period_start GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	period_end	TEXT NOT NULL CHECK (period_end GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	state		TEXT NOT NULL
			CHECK (state IN ('draft', 'open', 'frozen')),
	opened_at	TEXT NOT NULL,
	opened_by	INTEGER REFERENCES users (id),	-- NULL = the system
	buyer_signed_by	INTEGER REFERENCES users (id),
	buyer_signed_at	TEXT,
	supplier_signed_by INTEGER REFERENCES users (id),
	supplier_signed_at TEXT,
	frozen_at	TEXT,
	CHECK (period_start <= period_end),
	UNIQUE (account_id, period_start)
);
-- The dashboard counts each account's reviews awaiting signatures, and
-- those of them each side has not signed, from this index alone.
CREATE INDEX reviews_account_state ON reviews (account_id, state,
	buyer_signed_by, supplier_signed_by);
-- The trends read the frozen reviews of a run of periods from this
-- index alone, then each one's scores.
CREATE INDEX reviews_period_state ON reviews (account_id, period_start,
	state, period_end);
CREATE INDEX reviews_opened_by ON reviews (opened_by);
CREATE INDEX reviews_buyer_signed_by ON reviews (buyer_signed_by);
CREATE INDEX reviews_supplier_signed_by ON reviews (supplier_signed_by);

-- The scorecard of each side as it stood when the review froze (see
-- src/scorecard.h for what each figure counts).
CREATE TABLE review_scores (
	review_id	INTEGER NOT NULL REFERENCES reviews (id),
	side		TEXT NOT NULL CHECK (side IN ('buyer', 'supplier')),
	fallen_due	INTEGER NOT NULL,
	kept_on_time	INTEGER NOT NULL,
	kept_late	INTEGER NOT NULL,
	broken		INTEGER NOT NULL,
	delivered	INTEGER NOT NULL,
	still_overdue	INTEGER NOT NULL,
	disputed	INTEGER NOT NULL,
	renegotiated	INTEGER NOT NULL,
	integrity	INTEGER NOT NULL,	-- -1 = no promise fell due
	met		INTEGER NOT NULL,
	partly		INTEGER NOT NULL,
	not_met		INTEGER NOT NULL,
	unassessed	INTEGER NOT NULL,
	updates_shared	INTEGER NOT NULL,
	updates_acknowledged INTEGER NOT NULL,
	contacts	INTEGER NOT NULL,
	last_contact	TEXT NOT NULL,		-- '' = none
	days_since_contact INTEGER NOT NULL,	-- -1 = none
	ratings		INTEGER NOT NULL,
	rating_mean	REAL NOT NULL,
	PRIMARY KEY (review_id, side)
) WITHOUT ROWID;	-- read by review, both sides at once: one b-tree

-- The actions agreed in a review: promises made from it.
CREATE TABLE review_actions (
	id		INTEGER PRIMARY KEY,
	review_id	INTEGER NOT NULL REFERENCES reviews (id),
	promise_id	INTEGER NOT NULL UNIQUE REFERENCES promises (id)
);
CREATE INDEX review_actions_review ON review_actions (review_id, id);

-- A discussion thread on any ledger entry.
CREATE TABLE comments (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	entity		TEXT NOT NULL CHECK (entity IN ('expectation',
			    'update', 'promise', 'contact', 'feedback',
			    'concern', 'review')),
	entity_id	INTEGER NOT NULL,
	side		TEXT NOT NULL CHECK (side IN ('buyer', 'supplier')),
	body		TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
	created_by	INTEGER NOT NULL REFERENCES users (id),
	created_at	TEXT NOT NULL,
	withdrawn_at	TEXT
);
CREATE INDEX comments_entry ON comments (account_id, entity, entity_id, id);
CREATE INDEX comments_created_by ON comments (created_by);

-- One user's inbox. key makes a notification idempotent (e.g. the
-- "falling due" notice of a promise is made once per due date).
CREATE TABLE notifications (
	id		INTEGER PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users (id),
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	kind		TEXT NOT NULL CHECK (kind IN ('update', 'delivery',
			    'dispute', 'due-soon', 'overdue', 'concern',
			    'expectation', 'due-change', 'resolution',
			    'promise', 'review')),
	entity		TEXT NOT NULL,
	entity_id	INTEGER NOT NULL,
	text		TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 400),
	key		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	read_at		TEXT,
	UNIQUE (user_id, key)
);
CREATE INDEX notifications_unread ON notifications (user_id, read_at, id);
CREATE INDEX notifications_account ON notifications (account_id);

-- Each user's unread notifications, kept by the triggers below: every
-- page shows the figure, so it is read, not counted.
ALTER TABLE users ADD COLUMN unread_notifications INTEGER NOT NULL DEFAULT 0
	CHECK (unread_notifications >= 0);
CREATE TRIGGER notifications_unread_insert AFTER INSERT ON notifications
WHEN new.read_at IS NULL
BEGIN
	UPDATE users SET unread_notifications = unread_notifications + 1
	WHERE id = new.user_id;
END;
CREATE TRIGGER notifications_unread_update AFTER UPDATE OF read_at
ON notifications WHEN (old.read_at IS NULL) != (new.read_at IS NULL)
BEGIN
	UPDATE users SET unread_notifications = unread_notifications +
	    CASE WHEN new.read_at IS NULL THEN 1 ELSE -1 END
	WHERE id = new.user_id;
END;
CREATE TRIGGER notifications_unread_delete AFTER DELETE ON notifications
WHEN old.read_at IS NULL
BEGIN
	UPDATE users SET unread_notifications = unread_notifications - 1
	WHERE id = old.user_id;
END;

-- The ledger is append-only in the sense that matters: nothing is deleted.
CREATE TRIGGER account_cadences_no_delete BEFORE DELETE ON account_cadences
BEGIN SELECT RAISE(ABORT, 'the cadence history is never deleted'); END;
CREATE TRIGGER expectations_no_delete BEFORE DELETE ON expectations
BEGIN SELECT RAISE(ABORT, 'expectations are retired, never deleted'); END;
CREATE TRIGGER expectation_assessments_no_delete
BEFORE DELETE ON expectation_assessments
BEGIN SELECT RAISE(ABORT, 'assessments are never deleted'); END;
CREATE TRIGGER updates_no_delete BEFORE DELETE ON updates
BEGIN SELECT RAISE(ABORT, 'updates are withdrawn, never deleted'); END;
CREATE TRIGGER promises_no_delete BEFORE DELETE ON promises
BEGIN SELECT RAISE(ABORT, 'promises are never deleted'); END;
CREATE TRIGGER promise_deliveries_no_delete BEFORE DELETE ON promise_deliveries
BEGIN SELECT RAISE(ABORT, 'deliveries are never deleted'); END;
CREATE TRIGGER promise_due_changes_no_delete
BEFORE DELETE ON promise_due_changes
BEGIN SELECT RAISE(ABORT, 'due-date history is never deleted'); END;
CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN SELECT RAISE(ABORT, 'contacts are withdrawn, never deleted'); END;
CREATE TRIGGER feedback_no_delete BEFORE DELETE ON feedback
BEGIN SELECT RAISE(ABORT, 'feedback is withdrawn, never deleted'); END;
CREATE TRIGGER concerns_no_delete BEFORE DELETE ON concerns
BEGIN SELECT RAISE(ABORT, 'concerns are withdrawn, never deleted'); END;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
BEGIN SELECT RAISE(ABORT, 'comments are withdrawn, never deleted'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are never deleted'); END;
CREATE TRIGGER review_scores_no_delete BEFORE DELETE ON review_scores
BEGIN SELECT RAISE(ABORT, 'review scores are never deleted'); END;
CREATE TRIGGER review_actions_no_delete BEFORE DELETE ON review_actions
BEGIN SELECT RAISE(ABORT, 'review actions are never deleted'); END;

-- ---- the XML exchange with partner systems --------------------------------
-- (static/exchange/keepword-exchange-1.xsd describes what is exchanged.)

-- The identifiers an organisation is known by in partner systems, recorded
-- by its admins: at most one current value per scheme; a replaced or
-- removed value is kept with removed_at set. They are exchanged as
-- PartyIdentification/ID with schemeID = scheme.
CREATE TABLE org_identifiers (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs (id),
	scheme		TEXT NOT NULL CHECK (scheme IN ('GLN', 'DUNS', 'VAT',
			    'LEI')),
	value		TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 40),
	set_by		INTEGER REFERENCES users (id),
	set_at		TEXT NOT NULL,
	removed_at	TEXT
);
CREATE UNIQUE INDEX org_identifiers_current
	ON org_identifiers (org_id, scheme) WHERE removed_at IS NULL;
CREATE INDEX org_identifiers_set_by ON org_identifiers (set_by);
CREATE TRIGGER org_identifiers_no_delete BEFORE DELETE ON org_identifiers
BEGIN SELECT RAISE(ABORT, 'identifiers are removed, never deleted'); END;

-- Every exchanged record carries an optional external_id, the partner
-- system's own id for it (unique among its siblings), and seq, its change
-- sequence number: the value of the one database-wide counter
-- change_seq.seq when the record, or a part the exchange nests in it,
-- last changed. The triggers below keep both seq columns current: each
-- insert or update of a record raises the counter and stamps the record
-- and the record it is nested in (a delivery stamps its promise, a
-- comment its entry, an owner or an org's identifier the account).
-- Writes are serialised, so a reader that sees the counter at N sees
-- every change numbered up to N. Numbers are local to this database.
CREATE TABLE change_seq (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	seq		INTEGER NOT NULL
);
INSERT INTO change_seq (id, seq) VALUES (1, 1);

ALTER TABLE accounts ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE account_owners ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE account_cadences ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE expectations ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE expectation_assessments ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE updates ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE promises ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE promise_deliveries ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE promise_due_changes ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE feedback ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE concerns ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE comments ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE reviews ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
ALTER TABLE review_actions ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;

ALTER TABLE accounts ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE account_owners ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE account_cadences ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE expectations ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE expectation_assessments ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE updates ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE promises ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE promise_deliveries ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE promise_due_changes ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE contacts ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE feedback ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE concerns ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE comments ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE reviews ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);
ALTER TABLE review_actions ADD COLUMN external_id TEXT
	CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 100);

-- An external id names one record among its siblings.
CREATE UNIQUE INDEX account_owners_external
	ON account_owners (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX account_cadences_external
	ON account_cadences (account_id, external_id)
	WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX expectations_external
	ON expectations (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX expectation_assessments_external
	ON expectation_assessments (expectation_id, external_id)
	WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX updates_external
	ON updates (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX promises_external
	ON promises (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX promise_deliveries_external
	ON promise_deliveries (promise_id, external_id)
	WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX promise_due_changes_external
	ON promise_due_changes (promise_id, external_id)
	WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX contacts_external
	ON contacts (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX feedback_external
	ON feedback (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX concerns_external
	ON concerns (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX comments_external
	ON comments (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX reviews_external
	ON reviews (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX review_actions_external
	ON review_actions (review_id, external_id) WHERE external_id IS NOT NULL;

-- An export reads an account's records in the order of their seq, each
-- kind from one of these indexes, and every nested part from its
-- parent's index: no sorting, whatever the size of the account.
CREATE INDEX expectations_seq ON expectations (account_id, seq);
CREATE INDEX updates_seq ON updates (account_id, seq);
CREATE INDEX promises_seq ON promises (account_id, seq);
CREATE INDEX contacts_seq ON contacts (account_id, seq);
CREATE INDEX feedback_seq ON feedback (account_id, seq);
CREATE INDEX concerns_seq ON concerns (account_id, seq);
CREATE INDEX reviews_seq ON reviews (account_id, seq);

-- Stamping. Inserting (kind, id) into the view change_stamps raises the
-- counter and stamps record id of that kind with it; kind 'party' stamps
-- every account org id is party to. Each table's triggers name what a
-- change of one of its rows stamps: the row, and the record it is nested
-- in. The stamp itself (an update that sets seq) stamps nothing more:
-- WHEN NEW.seq = OLD.seq.
CREATE VIEW change_stamps (kind, id) AS SELECT NULL, NULL WHERE 0;
CREATE TRIGGER change_stamps_insert INSTEAD OF INSERT ON change_stamps
BEGIN
	UPDATE change_seq SET seq = seq + 1;
	UPDATE accounts SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'account' AND id = NEW.id;
	UPDATE accounts SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'party'
	    AND (buyer_org_id = NEW.id OR supplier_org_id = NEW.id);
	UPDATE account_owners SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'owner' AND id = NEW.id;
	UPDATE account_cadences SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'cadence' AND id = NEW.id;
	UPDATE expectations SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'expectation' AND id = NEW.id;
	UPDATE expectation_assessments SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'assessment' AND id = NEW.id;
	UPDATE updates SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'update' AND id = NEW.id;
	UPDATE promises SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'promise' AND id = NEW.id;
	UPDATE promise_deliveries SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'delivery' AND id = NEW.id;
	UPDATE promise_due_changes SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'due-change' AND id = NEW.id;
	UPDATE contacts SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'contact' AND id = NEW.id;
	UPDATE feedback SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'feedback' AND id = NEW.id;
	UPDATE concerns SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'concern' AND id = NEW.id;
	UPDATE comments SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'comment' AND id = NEW.id;
	UPDATE reviews SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'review' AND id = NEW.id;
	UPDATE review_actions SET seq = (SELECT seq FROM change_seq)
	WHERE NEW.kind = 'action' AND id = NEW.id;
END;

CREATE TRIGGER accounts_stamp_insert AFTER INSERT ON accounts
BEGIN INSERT INTO change_stamps VALUES ('account', NEW.id); END;
CREATE TRIGGER accounts_stamp_update AFTER UPDATE ON accounts
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('account', NEW.id); END;
CREATE TRIGGER account_owners_stamp_insert AFTER INSERT ON account_owners
BEGIN INSERT INTO change_stamps VALUES ('owner', NEW.id),
	('account', NEW.account_id); END;
CREATE TRIGGER account_owners_stamp_update AFTER UPDATE ON account_owners
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('owner', NEW.id),
	('account', NEW.account_id); END;
CREATE TRIGGER account_cadences_stamp_insert AFTER INSERT ON account_cadences
BEGIN INSERT INTO change_stamps VALUES ('cadence', NEW.id),
	('account', NEW.account_id); END;
CREATE TRIGGER account_cadences_stamp_update AFTER UPDATE ON account_cadences
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('cadence', NEW.id),
	('account', NEW.account_id); END;
CREATE TRIGGER org_identifiers_stamp_insert AFTER INSERT ON org_identifiers
BEGIN INSERT INTO change_stamps VALUES ('party', NEW.org_id); END;
CREATE TRIGGER org_identifiers_stamp_update AFTER UPDATE ON org_identifiers
BEGIN INSERT INTO change_stamps VALUES ('party', NEW.org_id); END;
CREATE TRIGGER expectations_stamp_insert AFTER INSERT ON expectations
BEGIN INSERT INTO change_stamps VALUES ('expectation', NEW.id); END;
CREATE TRIGGER expectations_stamp_update AFTER UPDATE ON expectations
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('expectation', NEW.id); END;
CREATE TRIGGER expectation_assessments_stamp_insert
AFTER INSERT ON expectation_assessments
BEGIN INSERT INTO change_stamps VALUES ('assessment', NEW.id),
	('expectation', NEW.expectation_id); END;
CREATE TRIGGER expectation_assessments_stamp_update
AFTER UPDATE ON expectation_assessments WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('assessment', NEW.id),
	('expectation', NEW.expectation_id); END;
CREATE TRIGGER updates_stamp_insert AFTER INSERT ON updates
BEGIN INSERT INTO change_stamps VALUES ('update', NEW.id); END;
CREATE TRIGGER updates_stamp_update AFTER UPDATE ON updates
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('update', NEW.id); END;
-- An acknowledgement has no number of its own: it is part of its update.
CREATE TRIGGER update_reads_stamp_insert AFTER INSERT ON update_reads
BEGIN INSERT INTO change_stamps VALUES ('update', NEW.update_id); END;
CREATE TRIGGER update_reads_stamp_update AFTER UPDATE ON update_reads
BEGIN INSERT INTO change_stamps VALUES ('update', NEW.update_id); END;
CREATE TRIGGER promises_stamp_insert AFTER INSERT ON promises
BEGIN INSERT INTO change_stamps VALUES ('promise', NEW.id); END;
CREATE TRIGGER promises_stamp_update AFTER UPDATE ON promises
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('promise', NEW.id); END;
CREATE TRIGGER promise_deliveries_stamp_insert
AFTER INSERT ON promise_deliveries
BEGIN INSERT INTO change_stamps VALUES ('delivery', NEW.id),
	('promise', NEW.promise_id); END;
CREATE TRIGGER promise_deliveries_stamp_update
AFTER UPDATE ON promise_deliveries WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('delivery', NEW.id),
	('promise', NEW.promise_id); END;
CREATE TRIGGER promise_due_changes_stamp_insert
AFTER INSERT ON promise_due_changes
BEGIN INSERT INTO change_stamps VALUES ('due-change', NEW.id),
	('promise', NEW.promise_id); END;
CREATE TRIGGER promise_due_changes_stamp_update
AFTER UPDATE ON promise_due_changes WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('due-change', NEW.id),
	('promise', NEW.promise_id); END;
CREATE TRIGGER contacts_stamp_insert AFTER INSERT ON contacts
BEGIN INSERT INTO change_stamps VALUES ('contact', NEW.id); END;
CREATE TRIGGER contacts_stamp_update AFTER UPDATE ON contacts
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('contact', NEW.id); END;
CREATE TRIGGER feedback_stamp_insert AFTER INSERT ON feedback
BEGIN INSERT INTO change_stamps VALUES ('feedback', NEW.id); END;
CREATE TRIGGER feedback_stamp_update AFTER UPDATE ON feedback
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('feedback', NEW.id); END;
CREATE TRIGGER concerns_stamp_insert AFTER INSERT ON concerns
BEGIN INSERT INTO change_stamps VALUES ('concern', NEW.id); END;
CREATE TRIGGER concerns_stamp_update AFTER UPDATE ON concerns
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('concern', NEW.id); END;
-- A comment is nested in the entry it is on (entity names the kind).
CREATE TRIGGER comments_stamp_insert AFTER INSERT ON comments
BEGIN INSERT INTO change_stamps VALUES ('comment', NEW.id),
	(NEW.entity, NEW.entity_id); END;
CREATE TRIGGER comments_stamp_update AFTER UPDATE ON comments
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('comment', NEW.id),
	(NEW.entity, NEW.entity_id); END;
CREATE TRIGGER reviews_stamp_insert AFTER INSERT ON reviews
BEGIN INSERT INTO change_stamps VALUES ('review', NEW.id); END;
CREATE TRIGGER reviews_stamp_update AFTER UPDATE ON reviews
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('review', NEW.id); END;
-- A frozen scorecard is part of its review.
CREATE TRIGGER review_scores_stamp_insert AFTER INSERT ON review_scores
BEGIN INSERT INTO change_stamps VALUES ('review', NEW.review_id); END;
CREATE TRIGGER review_scores_stamp_update AFTER UPDATE ON review_scores
BEGIN INSERT INTO change_stamps VALUES ('review', NEW.review_id); END;
CREATE TRIGGER review_actions_stamp_insert AFTER INSERT ON review_actions
BEGIN INSERT INTO change_stamps VALUES ('action', NEW.id),
	('review', NEW.review_id); END;
CREATE TRIGGER review_actions_stamp_update AFTER UPDATE ON review_actions
WHEN NEW.seq = OLD.seq
BEGIN INSERT INTO change_stamps VALUES ('action', NEW.id),
	('review', NEW.review_id); END;

-- ---- API tokens of partner systems -------------------------------------------
-- An org admin issues a token for the org's partner systems to call the
-- exchange: it reaches the accounts listed in api_token_accounts (each one
-- its org is party to), to read them or to read and write them. The token
-- is shown once; only its BLAKE2b hash is kept. Revoked, never deleted.
CREATE TABLE api_tokens (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs (id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	token_hash	TEXT NOT NULL UNIQUE,
	scope		TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
	created_by	INTEGER REFERENCES users (id),
	created_at	TEXT NOT NULL,
	last_used_at	TEXT,
	revoked_by	INTEGER REFERENCES users (id),
	revoked_at	TEXT
);
CREATE INDEX api_tokens_org ON api_tokens (org_id, id);
CREATE INDEX api_tokens_created_by ON api_tokens (created_by);
CREATE INDEX api_tokens_revoked_by ON api_tokens (revoked_by);
CREATE TRIGGER api_tokens_no_delete BEFORE DELETE ON api_tokens
BEGIN SELECT RAISE(ABORT, 'tokens are revoked, never deleted'); END;

-- The accounts a token reaches; fixed when it is issued.
CREATE TABLE api_token_accounts (
	token_id	INTEGER NOT NULL REFERENCES api_tokens (id),
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	PRIMARY KEY (token_id, account_id)
) WITHOUT ROWID;
CREATE INDEX api_token_accounts_account ON api_token_accounts (account_id);
CREATE TRIGGER api_token_accounts_no_delete BEFORE DELETE ON api_token_accounts
BEGIN SELECT RAISE(ABORT, 'a token''s accounts are never changed'); END;
