-- 001-foundation.sql: orgs, users, accounts and owners, sessions, login
-- throttling and the append-only audit trail. Times are UTC ISO-8601 text
-- ("YYYY-MM-DDTHH:MM:SSZ"), dates "YYYY-MM-DD". Nothing is hard-deleted
-- except sessions and login attempts.

CREATE TABLE orgs (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE
			CHECK (length(name) BETWEEN 1 AND 200),
	created_at	TEXT NOT NULL
);

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	org_id		INTEGER NOT NULL REFERENCES orgs (id),
	email		TEXT NOT NULL UNIQUE
			CHECK (email = lower(email) AND instr(email, '@') > 1
			    AND length(email) BETWEEN 3 AND 254),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role		TEXT NOT NULL DEFAULT 'member'
			CHECK (role IN ('member', 'admin')),
	is_operator	INTEGER NOT NULL DEFAULT 0 CHECK (is_operator IN (0, 1)),
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	password_hash	TEXT NOT NULL,
	created_at	TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id, name);

CREATE TABLE accounts (
	id		INTEGER PRIMARY KEY,
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	buyer_org_id	INTEGER NOT NULL REFERENCES orgs (id),
	supplier_org_id	INTEGER NOT NULL REFERENCES orgs (id),
	cadence		TEXT NOT NULL DEFAULT 'quarterly'
			CHECK (cadence IN ('monthly', 'quarterly',
			    'half-yearly', 'yearly')),
	start_date	TEXT NOT NULL CHECK (start_date GLOB
			    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	created_at	TEXT NOT NULL,
	CHECK (buyer_org_id <> supplier_org_id)
);
CREATE INDEX accounts_buyer ON accounts (buyer_org_id, title);
CREATE INDEX accounts_supplier ON accounts (supplier_org_id, title);

-- One row per period of ownership of one side; until NULL = current.
CREATE TABLE account_owners (
	id		INTEGER PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES accounts (id),
	side		TEXT NOT NULL CHECK (side IN ('buyer', 'supplier')),
	user_id		INTEGER NOT NULL REFERENCES users (id),
	since		TEXT NOT NULL,
	until		TEXT,
	handover_note	TEXT CHECK (handover_note IS NULL
			    OR length(handover_note) <= 2000),
	set_by		INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX account_owners_current
	ON account_owners (account_id, side) WHERE until IS NULL;
CREATE INDEX account_owners_account ON account_owners (account_id, id);
CREATE INDEX account_owners_user ON account_owners (user_id);
CREATE INDEX account_owners_set_by ON account_owners (set_by);

-- An owner belongs to the org of the side they own.
CREATE TRIGGER account_owners_party BEFORE INSERT ON account_owners
WHEN (SELECT org_id FROM users WHERE id = NEW.user_id) IS NOT
    (SELECT CASE NEW.side WHEN 'buyer' THEN buyer_org_id
     ELSE supplier_org_id END FROM accounts WHERE id = NEW.account_id)
BEGIN
	SELECT RAISE(ABORT, 'account owner is not of that side''s org');
END;

-- Only the hash of a session token is stored.
CREATE TABLE sessions (
	id		INTEGER PRIMARY KEY,
	token_hash	TEXT NOT NULL UNIQUE,
	user_id		INTEGER NOT NULL REFERENCES users (id),
	csrf		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	last_seen_at	TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling per email and per client address.
CREATE TABLE login_attempts (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL,
	addr		TEXT NOT NULL,
	at		TEXT NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_addr ON login_attempts (addr, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

CREATE TABLE audit_events (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL,
	actor_user_id	INTEGER REFERENCES users (id),
	actor_org_id	INTEGER REFERENCES orgs (id),
	account_id	INTEGER REFERENCES accounts (id),
	entity		TEXT NOT NULL,
	entity_id	INTEGER NOT NULL,
	action		TEXT NOT NULL,
	detail		TEXT
);
CREATE INDEX audit_events_account ON audit_events (account_id, id);
CREATE INDEX audit_events_actor ON audit_events (actor_user_id);
CREATE INDEX audit_events_actor_org ON audit_events (actor_org_id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- Records are withdrawn or deactivated, never deleted.
CREATE TRIGGER orgs_no_delete BEFORE DELETE ON orgs
BEGIN
	SELECT RAISE(ABORT, 'organisations are never deleted');
END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
	SELECT RAISE(ABORT, 'users are deactivated, never deleted');
END;
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN
	SELECT RAISE(ABORT, 'accounts are never deleted');
END;
CREATE TRIGGER account_owners_no_delete BEFORE DELETE ON account_owners
BEGIN
	SELECT RAISE(ABORT, 'owner history is never deleted');
END;
