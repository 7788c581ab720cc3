/* test-db.c: unit tests of the database layer, orgs, users, accounts, audit. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "comment.h"
#include "db.h"
#include "entry.h"
#include "export.h"
#include "import.h"
#include "concern.h"
#include "contact.h"
#include "db.h"
#include "feedback.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "promise.h"
#include "expectation.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "party.h"
#include "restore.h"
#include "review.h"
#include "scorecard.h"
#include "feed.h"
#include "token.h"
#include "update.h"
#include "dbutil.h"


/* Every statement table of the core, for the prepare-all test. */
static const struct db_stmt_table *const tables[] = {
	&db_stmts, &auth_stmts, &org_stmts, &account_stmts, &audit_stmts,
	&notify_stmts,
	&entry_stmts, &comment_stmts,
	&promise_stmts,
	&contact_stmts, &feedback_stmts, &concern_stmts,
	&expectation_stmts, &update_stmts,
	&scorecard_stmts, &review_stmts,
	&party_stmts, &export_stmts, &import_stmts, &restore_stmts,
	&token_stmts, &feed_stmts,
};

/* ---- database layer ---------------------------------------------------- */

static void
test_migrate_fresh_sets_user_version(void **state)
{
	struct fx f;

	(void)state;
	memset(&f, 0, sizeof(f));
	fx_fresh(&f);
	assert_true(db_schema_version() >= 1);
	assert_int_equal(db_user_version(f.db), db_schema_version());
	/* a second run is a no-op */
	assert_int_equal(db_migrate(f.db), KW_OK);
	assert_int_equal(db_user_version(f.db), db_schema_version());
	assert_int_equal(raw_int(f.db, "SELECT count(*) FROM sqlite_schema "
	    "WHERE type = 'table' AND name = 'audit_events'"), 1);
	db_close(f.db);
	arena_free(f.a);
	rm_db(f.path);
	rmdir(f.dir);
}

static void
test_migrate_refuses_newer_database(void **state)
{
	struct fx *f = *state;

	assert_int_equal(raw(f->db, "PRAGMA user_version = 999"), SQLITE_OK);
	assert_int_equal(db_migrate(f->db), KW_INTERNAL);
	assert_int_equal(db_user_version(f->db), 999);
}

static void
test_migrations_are_numbered(void **state)
{
	size_t i;

	(void)state;
	assert_true(db_migrations_count >= 1);
	for (i = 0; i < db_migrations_count; i++) {
		assert_int_equal(db_migrations[i].version, (int)i + 1);
		assert_non_null(db_migrations[i].sql);
		assert_non_null(strstr(db_migrations[i].sql,
		    "PRAGMA user_version"));
	}
}

static void
test_pragmas_read_back(void **state)
{
	struct fx *f = *state;
	int v = -1;

	assert_string_equal(raw_text(f->db, f->a, "PRAGMA journal_mode"),
	    "wal");
	assert_int_equal(raw_int(f->db, "PRAGMA synchronous"), 2);
	assert_int_equal(raw_int(f->db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(raw_int(f->db, "PRAGMA trusted_schema"), 0);
	assert_int_equal(raw_int(f->db, "PRAGMA busy_timeout"), 5000);
	assert_int_equal(sqlite3_db_config(db_handle(f->db),
	    SQLITE_DBCONFIG_DEFENSIVE, -1, &v), SQLITE_OK);
	assert_int_equal(v, 1);
}

static void
test_defensive_blocks_schema_writes(void **state)
{
	struct fx *f = *state;

	(void)raw(f->db, "PRAGMA writable_schema = ON");
	assert_int_not_equal(raw(f->db, "UPDATE sqlite_schema SET sql = 'x' "
	    "WHERE name = 'users'"), SQLITE_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM users"), 6);
}

static void
test_every_statement_prepares(void **state)
{
	struct fx *f = *state;
	size_t i, j;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		for (j = 0; j < tables[i]->n; j++) {
			/* no empty slot in any table */
			assert_non_null(tables[i]->sql[j]);
			assert_true(tables[i]->sql[j][0] != '\0');
		}
		assert_int_equal(db_stmt_check(f->db, tables[i]), 0);
	}
}

static void
test_stmt_table_rejects_bad_sql(void **state)
{
	static const char *const bad_sql[] = {
		"SELECT nosuchcolumn FROM orgs",
		"SELECT 1; SELECT 2",
		NULL,
	};
	static const struct db_stmt_table bad = { "bad", bad_sql, 3 };
	struct fx *f = *state;

	assert_int_equal(db_stmt_check(f->db, &bad), 3);
	assert_null(db_stmt(f->db, &bad, 1));
}

static void
test_stmt_is_cached_and_reset(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *a, *b;

	a = db_stmt(f->db, &db_stmts, 3);	/* SELECT 1 */
	assert_non_null(a);
	assert_int_equal(db_step(f->db, a), SQLITE_ROW);
	/* not given back: the next user still gets it reset */
	b = db_stmt(f->db, &db_stmts, 3);
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(f->db, b), SQLITE_ROW);
	db_stmt_done(b);
	assert_int_equal(db_ping(f->db), KW_OK);
}

static void
test_status_mapping(void **state)
{
	(void)state;
	assert_int_equal(db_status(SQLITE_OK), KW_OK);
	assert_int_equal(db_status(SQLITE_DONE), KW_OK);
	assert_int_equal(db_status(SQLITE_CONSTRAINT_UNIQUE), KW_CONFLICT);
	assert_int_equal(db_status(SQLITE_CONSTRAINT_FOREIGNKEY), KW_CONFLICT);
	assert_int_equal(db_status(SQLITE_BUSY), KW_BUSY);
	assert_int_equal(db_status(SQLITE_BUSY_SNAPSHOT), KW_BUSY);
	assert_int_equal(db_status(SQLITE_LOCKED), KW_BUSY);
	assert_int_equal(db_status(SQLITE_FULL), KW_BUSY);
	assert_int_equal(db_status(SQLITE_IOERR_WRITE), KW_INTERNAL);
	assert_int_equal(db_status(SQLITE_CORRUPT), KW_INTERNAL);
}

static void
test_foreign_keys_enforced(void **state)
{
	struct fx *f = *state;

	assert_int_equal(raw(f->db, "INSERT INTO users (org_id, email, name, "
	    "password_hash, created_at) VALUES (9999, 'z@z.example', 'Z', "
	    "'h', 't')") & 0xff, SQLITE_CONSTRAINT);
}

static void
test_busy_database_answers_busy(void **state)
{
	struct fx *f = *state;
	struct db *other = NULL;

	assert_int_equal(db_open(f->path, &other), KW_OK);
	sqlite3_busy_timeout(db_handle(other), 50);
	assert_int_equal(db_begin(f->db), KW_OK);
	assert_int_equal(db_begin(other), KW_BUSY);
	db_rollback(other);
	db_rollback(f->db);
	db_rollback(f->db);	/* no transaction: harmless */
	assert_int_equal(db_begin(other), KW_OK);
	assert_int_equal(db_commit(other), KW_OK);
	db_close(other);
}

/* A snapshot reads the database as of one moment; a write ends it and
 * is committed as without one. */
static void
test_snapshot_reads_one_moment(void **state)
{
	struct fx *f = *state;
	struct db *other = NULL;
	const char *count = "SELECT count(*) FROM orgs";
	long long before, id;
	size_t n;

	assert_int_equal(db_open(f->path, &other), KW_OK);
	before = raw_int(f->db, count);
	assert_int_equal(db_snapshot_begin(f->db), KW_OK);
	assert_int_equal(raw_int(f->db, count), before);
	assert_int_equal(org_create(other, NULL, "Later Org", &id), KW_OK);
	assert_int_equal(raw_int(f->db, count), before);
	db_snapshot_end(f->db);
	db_snapshot_end(f->db);		/* ended: harmless */
	assert_int_equal(raw_int(f->db, count), before + 1);
	/* a transaction of the core's, begun within a snapshot */
	assert_int_equal(db_snapshot_begin(f->db), KW_OK);
	assert_int_equal(raw_int(f->db, count), before + 1);
	assert_int_equal(org_create(f->db, NULL, "Snapshot Org", &id), KW_OK);
	assert_int_equal(raw_int(other, count), before + 2);
	db_snapshot_end(f->db);
	/* a statement that writes on its own */
	assert_int_equal(db_snapshot_begin(f->db), KW_OK);
	assert_int_equal(raw_int(f->db, count), before + 2);
	assert_int_equal(notify_mark_all_read(f->db, &f->b_member, &n), KW_OK);
	assert_int_equal(sqlite3_get_autocommit(db_handle(f->db)), 1);
	db_snapshot_end(f->db);
	/* inside a write transaction it is that transaction */
	assert_int_equal(db_begin(f->db), KW_OK);
	assert_int_equal(db_snapshot_begin(f->db), KW_OK);
	db_snapshot_end(f->db);
	assert_int_equal(sqlite3_get_autocommit(db_handle(f->db)), 0);
	db_rollback(f->db);
	db_snapshot_end(NULL);
	assert_int_equal(db_snapshot_begin(NULL), KW_OK);
	db_close(other);
}

static void
test_backup_is_valid_copy(void **state)
{
	struct fx *f = *state;
	struct db *copy = NULL;
	char path[160];

	snprintf(path, sizeof(path), "%s/backup.db", f->dir);
	assert_int_equal(db_backup(f->db, path), KW_OK);
	assert_int_equal(db_backup(f->db, path), KW_CONFLICT);
	assert_int_equal(db_open(path, &copy), KW_OK);
	assert_int_equal(db_user_version(copy), db_schema_version());
	assert_string_equal(raw_text(copy, f->a, "PRAGMA integrity_check"),
	    "ok");
	assert_int_equal(raw_int(copy, "SELECT count(*) FROM users"), 6);
	assert_int_equal(raw_int(copy, "SELECT count(*) FROM accounts"), 1);
	db_close(copy);
	rm_db(path);
}

static void
test_close_null_is_noop(void **state)
{
	(void)state;
	db_close(NULL);
	db_stmt_done(NULL);
}

/* ---- audit --------------------------------------------------------------- */

static void
test_audit_rows_cannot_change(void **state)
{
	struct fx *f = *state;
	long long n = raw_int(f->db, "SELECT count(*) FROM audit_events");
	int rc;

	assert_true(n > 0);
	rc = raw(f->db, "UPDATE audit_events SET action = 'x'");
	assert_int_equal(db_status(rc), KW_CONFLICT);
	rc = raw(f->db, "DELETE FROM audit_events");
	assert_int_equal(db_status(rc), KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events"),
	    n);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE action = 'x'"), 0);
}

static void
test_audit_log_records_actor(void **state)
{
	struct fx *f = *state;
	struct audit_event *ev;
	size_t n;

	assert_int_equal(db_begin(f->db), KW_OK);
	assert_int_equal(audit_log(f->db, &f->b_member, f->acct, "note", 7,
	    "create", "hello"), KW_OK);
	assert_int_equal(db_commit(f->db), KW_OK);
	assert_int_equal(audit_list_account(f->db, f->a, f->b, f->acct, 10,
	    0, &ev, &n), KW_OK);
	assert_true(n >= 1);
	assert_string_equal(ev[0].entity, "note");
	assert_string_equal(ev[0].action, "create");
	assert_string_equal(ev[0].detail, "hello");
	assert_string_equal(ev[0].actor_name, "Bob Member");
	assert_string_equal(ev[0].actor_org_name, "Buyer Co");
	assert_int_equal(ev[0].account_id, f->acct);
	assert_string_equal(ev[0].at, "2026-03-02T09:00:00Z");
}

static void
test_audit_list_is_tenant_scoped(void **state)
{
	struct fx *f = *state;
	struct audit_event *ev;
	size_t n, ns;

	assert_int_equal(audit_list_account(f->db, f->a, f->b, f->acct, 100,
	    0, &ev, &n), KW_OK);
	assert_true(n >= 3);	/* create + two owners */
	assert_int_equal(audit_list_account(f->db, f->a, f->s, f->acct, 100,
	    0, &ev, &ns), KW_OK);
	assert_int_equal(ns, n);
	assert_int_equal(audit_list_account(f->db, f->a, f->x, f->acct, 100,
	    0, &ev, &n), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(audit_list_account(f->db, f->a, f->b, f->acct, 0,
	    0, &ev, &n), KW_BADREQ);
	assert_int_equal(audit_list_account(f->db, f->a, f->b, f->acct, 1,
	    1, &ev, &n), KW_OK);
	assert_int_equal(n, 1);
}

static void
test_writes_are_audited(void **state)
{
	struct fx *f = *state;
	long long before = raw_int(f->db, "SELECT count(*) FROM audit_events");
	long long id;

	assert_int_equal(user_create(f->db, &f->b_admin, f->b,
	    "new@buyer.example", "New Person", USER_MEMBER, PW, &id), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events"),
	    before + 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'user' AND action = 'create' AND actor_user_id = "
	    "(SELECT id FROM users WHERE email = 'bea@buyer.example') AND "
	    "actor_org_id = (SELECT id FROM orgs WHERE name = 'Buyer Co') "
	    "AND entity_id = (SELECT max(id) FROM users)"), 1);
}

/* ---- orgs and users ------------------------------------------------------ */

static void
test_org_duplicate_name_conflicts(void **state)
{
	struct fx *f = *state;
	struct org *list;
	size_t n;

	assert_int_equal(org_create(f->db, NULL, "Buyer Co", NULL),
	    KW_CONFLICT);
	assert_int_equal(org_create(f->db, NULL, "", NULL), KW_BADREQ);
	assert_int_equal(org_create(f->db, NULL, "Bad\nName", NULL),
	    KW_BADREQ);
	assert_int_equal(org_list(f->db, f->a, &list, &n), KW_OK);
	assert_int_equal(n, 4);
	assert_string_equal(list[0].name, "Buyer Co");
}

static void
test_org_create_needs_operator(void **state)
{
	struct fx *f = *state;
	struct org o;
	long long id;

	assert_int_equal(org_create(f->db, &f->b_admin, "Sneaky", &id),
	    KW_FORBIDDEN);
	assert_int_equal(org_by_name(f->db, f->a, "Sneaky", &o), KW_NOTFOUND);
	assert_int_equal(org_create(f->db, &f->op, "Fine Co", &id), KW_OK);
	assert_int_equal(org_get(f->db, f->a, id, &o), KW_OK);
	assert_string_equal(o.name, "Fine Co");
}

static void
test_user_email_is_normalised(void **state)
{
	struct fx *f = *state;
	struct user u;

	assert_int_equal(user_by_email(f->db, f->a, "BEA@buyer.EXAMPLE", &u),
	    KW_OK);
	assert_string_equal(u.email, "bea@buyer.example");
	assert_string_equal(u.org_name, "Buyer Co");
	assert_int_equal(u.role, USER_ADMIN);
	assert_true(u.active);
	assert_false(u.is_operator);
	assert_int_equal(user_by_email(f->db, f->a, "nobody@x.example", &u),
	    KW_NOTFOUND);
}

static void
test_user_duplicate_email_conflicts(void **state)
{
	struct fx *f = *state;
	long long before = raw_int(f->db, "SELECT count(*) FROM users");

	assert_int_equal(user_create(f->db, NULL, f->s, "BOB@buyer.example",
	    "Other Bob", USER_MEMBER, PW, NULL), KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM users"), before);
}

static void
test_user_create_bad_input(void **state)
{
	struct fx *f = *state;

	assert_int_equal(user_create(f->db, NULL, f->b, "not-an-email",
	    "N", USER_MEMBER, PW, NULL), KW_BADREQ);
	assert_int_equal(user_create(f->db, NULL, f->b, "a@b.example", "",
	    USER_MEMBER, PW, NULL), KW_BADREQ);
	assert_int_equal(user_create(f->db, NULL, f->b, "a@b.example", "N",
	    USER_MEMBER, "short", NULL), KW_BADREQ);
	assert_int_equal(user_create(f->db, NULL, 9999, "a@b.example", "N",
	    USER_MEMBER, PW, NULL), KW_NOTFOUND);
}

static void
test_member_cannot_create_users(void **state)
{
	struct fx *f = *state;
	long long before = raw_int(f->db, "SELECT count(*) FROM users");

	assert_int_equal(user_create(f->db, &f->b_member, f->b,
	    "m@buyer.example", "M", USER_ADMIN, PW, NULL), KW_FORBIDDEN);
	/* an admin of another org neither */
	assert_int_equal(user_create(f->db, &f->s_admin, f->b,
	    "m@buyer.example", "M", USER_ADMIN, PW, NULL), KW_FORBIDDEN);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM users"), before);
	assert_int_equal(user_create(f->db, &f->b_admin, f->b,
	    "m@buyer.example", "M", USER_MEMBER, PW, NULL), KW_OK);
	assert_int_equal(user_create(f->db, &f->op, f->x,
	    "n@unrelated.example", "N", USER_MEMBER, PW, NULL), KW_OK);
}

static void
test_user_list_org(void **state)
{
	struct fx *f = *state;
	struct user *list;
	size_t n;

	assert_int_equal(user_list_org(f->db, f->a, f->b, &list, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "Bea Admin");
	assert_string_equal(list[1].name, "Bob Member");
	assert_int_equal(user_list_org(f->db, f->a, 9999, &list, &n), KW_OK);
	assert_int_equal(n, 0);
}

static void
test_user_admin_rules(void **state)
{
	struct fx *f = *state;

	/* deactivating yourself is refused */
	assert_int_equal(user_set_active(f->db, &f->b_admin, f->b_admin.id, 0),
	    KW_CONFLICT);
	/* another org's user looks missing */
	assert_int_equal(user_set_active(f->db, &f->b_admin, f->s_admin.id,
	    0), KW_NOTFOUND);
	assert_int_equal(user_set_password(f->db, &f->b_admin, f->s_admin.id,
	    "new password 1"), KW_NOTFOUND);
	/* a member cannot manage a colleague */
	assert_int_equal(user_set_active(f->db, &f->b_member, f->b_admin.id,
	    0), KW_FORBIDDEN);
	assert_int_equal(user_set_active(f->db, &f->b_admin, 9999, 0),
	    KW_NOTFOUND);
	assert_int_equal(user_set_active(f->db, &f->b_admin, f->b_member.id,
	    0), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT active FROM users WHERE "
	    "email = 'bob@buyer.example'"), 0);
	assert_int_equal(user_set_active(f->db, &f->b_admin, f->b_member.id,
	    1), KW_OK);
	assert_int_equal(user_set_operator(f->db, &f->b_admin, f->b_member.id,
	    1), KW_FORBIDDEN);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'user' AND action IN ('activate', 'deactivate')"),
	    2);
}

static void
test_users_are_never_deleted(void **state)
{
	struct fx *f = *state;

	assert_int_equal(db_status(raw(f->db, "DELETE FROM users")),
	    KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM users"), 6);
}

/* ---- accounts ------------------------------------------------------------ */

static void
test_account_get_non_party_is_notfound(void **state)
{
	struct fx *f = *state;
	struct account a;

	assert_int_equal(account_get(f->db, f->a, f->x, f->acct, &a),
	    KW_NOTFOUND);
	assert_null(a.title);
	/* exactly like a missing id */
	assert_int_equal(account_get(f->db, f->a, f->b, f->acct + 100, &a),
	    KW_NOTFOUND);
	assert_int_equal(account_get(f->db, f->a, 0, f->acct, &a),
	    KW_NOTFOUND);
	assert_int_equal(account_get(f->db, f->a, f->b, f->acct, &a), KW_OK);
	assert_int_equal(a.my_side, SIDE_BUYER);
	assert_string_equal(a.title, "B buys from S");
	assert_string_equal(a.supplier_name, "Supplier Co");
	assert_string_equal(a.buyer_owner_name, "Bea Admin");
	assert_string_equal(a.supplier_owner_name, "Sam Admin");
	assert_int_equal(a.cadence, CADENCE_QUARTERLY);
	assert_string_equal(a.start_date, "2026-01-01");
	assert_int_equal(account_get(f->db, f->a, f->s, f->acct, &a), KW_OK);
	assert_int_equal(a.my_side, SIDE_SUPPLIER);
}

static void
test_account_list_for_org(void **state)
{
	struct fx *f = *state;
	struct account_summary *l;
	struct account *all;
	size_t n;

	assert_int_equal(account_create(f->db, NULL, "A: S buys from X", f->s,
	    f->x, CADENCE_MONTHLY, "2026-05-15", 0, 0, NULL), KW_OK);
	assert_int_equal(account_list_for_org(f->db, f->a, f->b, "2026-03-02",
	    &l, &n), KW_OK);
	assert_int_equal(n, 1);
	assert_string_equal(l[0].acct.supplier_name, "Supplier Co");
	assert_int_equal(l[0].acct.my_side, SIDE_BUYER);
	/* the running quarter's review opens the day after it ends */
	assert_string_equal(l[0].next_review, "2026-04-01");
	assert_int_equal(l[0].reviews_unsigned, 0);
	assert_int_equal(account_list_for_org(f->db, f->a, f->s, "2026-03-02",
	    &l, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(l[0].acct.title, "A: S buys from X");
	assert_int_equal(l[0].acct.my_side, SIDE_BUYER);
	assert_string_equal(l[0].acct.buyer_owner_name, "");
	assert_int_equal(l[0].acct.buyer_owner_id, 0);
	/* not started: its first period runs to the end of May */
	assert_string_equal(l[0].next_review, "2026-06-01");
	assert_int_equal(l[1].acct.my_side, SIDE_SUPPLIER);
	/* reviews awaiting signatures, and those awaiting this side's */
	assert_int_equal(rawf(f->db, "INSERT INTO reviews (account_id, "
	    "period_start, period_end, state, opened_at, buyer_signed_by, "
	    "buyer_signed_at) VALUES (%lld, '2025-10-01', '2025-12-31', "
	    "'open', '2026-01-01T00:00:00Z', %lld, '2026-01-02T00:00:00Z'), "
	    "(%lld, '2025-07-01', '2025-09-30', 'open', "
	    "'2025-10-01T00:00:00Z', NULL, NULL), (%lld, '2025-04-01', "
	    "'2025-06-30', 'frozen', '2025-07-01T00:00:00Z', NULL, NULL)",
	    f->acct, f->b_admin.id, f->acct, f->acct), 0);
	assert_int_equal(account_list_for_org(f->db, f->a, f->s, "2026-03-02",
	    &l, &n), KW_OK);
	assert_int_equal(l[1].reviews_unsigned, 2);
	assert_int_equal(l[1].reviews_unsigned_by_me, 2);
	assert_int_equal(account_list_for_org(f->db, f->a, f->b, "2026-03-02",
	    &l, &n), KW_OK);
	assert_int_equal(l[0].reviews_unsigned, 2);
	assert_int_equal(l[0].reviews_unsigned_by_me, 1);
	/* a cadence change from the next period on: the running one ends
	 * as before, the one after it by the new cadence */
	assert_int_equal(account_set_cadence(f->db, NULL, f->acct,
	    CADENCE_MONTHLY, NULL), KW_OK);
	assert_int_equal(account_list_for_org(f->db, f->a, f->b, "2026-04-10",
	    &l, &n), KW_OK);
	assert_string_equal(l[0].next_review, "2026-05-01");
	assert_int_equal(account_list_for_org(f->db, f->a, f->b, "2026-3-02",
	    &l, &n), KW_BADREQ);
	assert_int_equal(account_list_for_org(f->db, f->a, f->o, "2026-03-02",
	    &l, &n), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(account_list_all(f->db, f->a, &all, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(all[0].my_side, SIDE__MAX);
}

static void
test_non_operator_cannot_create_accounts(void **state)
{
	struct fx *f = *state;

	assert_int_equal(account_create(f->db, &f->b_admin, "Mine", f->b,
	    f->x, CADENCE_YEARLY, "2026-01-01", 0, 0, NULL), KW_FORBIDDEN);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM accounts"), 1);
}

static void
test_account_create_bad_input(void **state)
{
	struct fx *f = *state;

	assert_int_equal(account_create(f->db, &f->op, "T", f->b, f->b,
	    CADENCE_YEARLY, "2026-01-01", 0, 0, NULL), KW_BADREQ);
	assert_int_equal(account_create(f->db, &f->op, "T", f->b, 9999,
	    CADENCE_YEARLY, "2026-01-01", 0, 0, NULL), KW_NOTFOUND);
	assert_int_equal(account_create(f->db, &f->op, "T", f->b, f->x,
	    CADENCE__MAX, "2026-01-01", 0, 0, NULL), KW_BADREQ);
	assert_int_equal(account_create(f->db, &f->op, "T", f->b, f->x,
	    CADENCE_YEARLY, "2026-02-30", 0, 0, NULL), KW_BADREQ);
	assert_int_equal(account_create(f->db, &f->op, "", f->b, f->x,
	    CADENCE_YEARLY, "2026-02-01", 0, 0, NULL), KW_BADREQ);
	/* an owner from the wrong org: nothing at all is written */
	assert_int_equal(account_create(f->db, &f->op, "T", f->b, f->x,
	    CADENCE_YEARLY, "2026-02-01", f->b_admin.id, f->s_admin.id, NULL),
	    KW_BADREQ);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM accounts"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM account_owners"),
	    2);
}

static void
test_account_set_owner_keeps_history(void **state)
{
	struct fx *f = *state;
	struct account_owner *h;
	struct account a;
	size_t n;

	/* a plain member who does not own the side may not hand over */
	assert_int_equal(account_set_owner(f->db, &f->b_member, f->acct,
	    SIDE_BUYER, f->b_member.id, NULL), KW_FORBIDDEN);
	/* the other side's admin may not set our owner */
	assert_int_equal(account_set_owner(f->db, &f->s_admin, f->acct,
	    SIDE_BUYER, f->s_admin.id, NULL), KW_FORBIDDEN);
	/* a non-party sees nothing */
	assert_int_equal(account_set_owner(f->db, &f->x_admin, f->acct,
	    SIDE_BUYER, f->x_admin.id, NULL), KW_NOTFOUND);
	/* the new owner must be of that side's org */
	assert_int_equal(account_set_owner(f->db, &f->b_admin, f->acct,
	    SIDE_BUYER, f->s_admin.id, NULL), KW_BADREQ);
	assert_int_equal(account_set_owner(f->db, &f->b_admin, f->acct,
	    SIDE_BUYER, f->b_admin.id, NULL), KW_CONFLICT);

	setenv("KEEPWORD_NOW", "2026-04-01T10:00:00Z", 1);
	assert_int_equal(account_set_owner(f->db, &f->b_admin, f->acct,
	    SIDE_BUYER, f->b_member.id, "Bob takes over; see Q1 notes."),
	    KW_OK);
	setenv("KEEPWORD_NOW", "2026-03-02T09:00:00Z", 1);
	assert_int_equal(account_get(f->db, f->a, f->b, f->acct, &a), KW_OK);
	assert_string_equal(a.buyer_owner_name, "Bob Member");
	assert_int_equal(a.buyer_owner_id, f->b_member.id);

	/* the current owner (a member) may hand back */
	assert_int_equal(account_set_owner(f->db, &f->b_member, f->acct,
	    SIDE_BUYER, f->b_admin.id, NULL), KW_OK);

	assert_int_equal(account_owner_history(f->db, f->a, f->acct, &h, &n),
	    KW_OK);
	assert_int_equal(n, 4);
	assert_int_equal(h[0].side, SIDE_BUYER);
	assert_string_equal(h[0].user_name, "Bea Admin");
	assert_string_equal(h[0].until, "");
	assert_string_equal(h[0].set_by_name, "Bob Member");
	assert_string_equal(h[1].user_name, "Bob Member");
	assert_string_equal(h[1].since, "2026-04-01T10:00:00Z");
	assert_string_equal(h[1].handover_note,
	    "Bob takes over; see Q1 notes.");
	assert_string_equal(h[1].until, "2026-03-02T09:00:00Z");
	assert_string_equal(h[3].until, "2026-04-01T10:00:00Z");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM account_owners "
	    "WHERE until IS NULL"), 2);
}

static void
test_owner_trigger_blocks_wrong_org(void **state)
{
	struct fx *f = *state;
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO account_owners (account_id, "
	    "side, user_id, since) VALUES (%lld, 'buyer', %lld, 'x')",
	    f->acct, f->x_admin.id);
	assert_int_equal(db_status(raw(f->db, sql)), KW_CONFLICT);
}

static void
test_role_and_side_tables_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < USER_ROLE__MAX; i++)
		assert_true(user_role_names[i] != NULL &&
		    *user_role_name(i) != '\0');
	assert_null(user_role_names[USER_ROLE__MAX]);
	for (i = 0; i < SIDE__MAX; i++)
		assert_true(*account_side_name(i) != '\0');
	assert_null(account_side_names[SIDE__MAX]);
	for (i = 0; i < CADENCE__MAX; i++) {
		assert_true(*account_cadence_name(i) != '\0');
		assert_int_equal(account_cadence_parse(account_cadence_names[i]),
		    i);
	}
	assert_null(account_cadence_names[CADENCE__MAX]);
	assert_int_equal(account_cadence_parse("weekly"), -1);
	assert_string_equal(account_cadence_name(CADENCE__MAX), "");
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_fresh_sets_user_version),
		T(test_migrate_refuses_newer_database),
		cmocka_unit_test(test_migrations_are_numbered),
		T(test_pragmas_read_back),
		T(test_defensive_blocks_schema_writes),
		T(test_every_statement_prepares),
		T(test_stmt_table_rejects_bad_sql),
		T(test_stmt_is_cached_and_reset),
		cmocka_unit_test(test_status_mapping),
		T(test_foreign_keys_enforced),
		T(test_busy_database_answers_busy),
		T(test_snapshot_reads_one_moment),
		T(test_backup_is_valid_copy),
		cmocka_unit_test(test_close_null_is_noop),
		T(test_audit_rows_cannot_change),
		T(test_audit_log_records_actor),
		T(test_audit_list_is_tenant_scoped),
		T(test_writes_are_audited),
		T(test_org_duplicate_name_conflicts),
		T(test_org_create_needs_operator),
		T(test_user_email_is_normalised),
		T(test_user_duplicate_email_conflicts),
		T(test_user_create_bad_input),
		T(test_member_cannot_create_users),
		T(test_user_list_org),
		T(test_user_admin_rules),
		T(test_users_are_never_deleted),
		T(test_account_get_non_party_is_notfound),
		T(test_account_list_for_org),
		T(test_non_operator_cannot_create_accounts),
		T(test_account_create_bad_input),
		T(test_account_set_owner_keeps_history),
		T(test_owner_trigger_blocks_wrong_org),
		cmocka_unit_test(test_role_and_side_tables_complete),
	};

	kw_log_init("test-db");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
