/* account.c: accounts (one buyer org + one supplier org) and their owners. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "valid.h"

#define TITLE_MAX	200
#define NOTE_MAX	2000
#define LIST_MAX	"10000"

const char *const account_side_names[SIDE__MAX + 1] = {
	[SIDE_BUYER] = "buyer",
	[SIDE_SUPPLIER] = "supplier",
	[SIDE__MAX] = NULL,
};

const char *const account_cadence_names[CADENCE__MAX + 1] = {
	[CADENCE_MONTHLY] = "monthly",
	[CADENCE_QUARTERLY] = "quarterly",
	[CADENCE_HALF_YEARLY] = "half-yearly",
	[CADENCE_YEARLY] = "yearly",
	[CADENCE__MAX] = NULL,
};

enum account_stmt {
	STMT_ACCT_INSERT,
	STMT_ACCT_GET,
	STMT_ACCT_LIST_ORG,
	STMT_ACCT_LIST_ALL,
	STMT_ACCT_PARTIES,
	STMT_ACCT_PARTY,
	STMT_ACCT_USER_ORG,
	STMT_ACCT_OWNER_CURRENT,
	STMT_ACCT_OWNER_END,
	STMT_ACCT_OWNER_INSERT,
	STMT_ACCT_OWNER_HISTORY,
	STMT_ACCT_HANDOVER,
	STMT_ACCT_GET_ANY,
	STMT_ACCT_CADENCES,
	STMT_ACCT_CADENCE_INSERT,
	STMT_ACCT_CADENCE_SET,
	STMT_ACCT__MAX
};

/* An account with both org names and the current owner of each side:
 * the columns, and the tables they come from. */
#define ACCT_FIELDS \
	"SELECT a.id, a.title, a.buyer_org_id, a.supplier_org_id, " \
	"b.name, s.name, a.cadence, a.start_date, a.created_at, " \
	"coalesce(ob.user_id, 0), coalesce(ub.name, ''), " \
	"coalesce(os.user_id, 0), coalesce(us.name, '') "
#define ACCT_FROM \
	"FROM accounts a " \
	"JOIN orgs b ON b.id = a.buyer_org_id " \
	"JOIN orgs s ON s.id = a.supplier_org_id " \
	"LEFT JOIN account_owners ob ON ob.account_id = a.id " \
	"AND ob.side = 'buyer' AND ob.until IS NULL " \
	"LEFT JOIN users ub ON ub.id = ob.user_id " \
	"LEFT JOIN account_owners os ON os.account_id = a.id " \
	"AND os.side = 'supplier' AND os.until IS NULL " \
	"LEFT JOIN users us ON us.id = os.user_id "
#define ACCT_COLS ACCT_FIELDS ACCT_FROM

static const char *const account_sql[STMT_ACCT__MAX] = {
	[STMT_ACCT_INSERT] =
	    "INSERT INTO accounts (title, buyer_org_id, supplier_org_id, "
	    "cadence, start_date, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* Tenant isolation: ?2, the viewer's org, must be a party. */
	[STMT_ACCT_GET] = ACCT_COLS
	    "WHERE a.id = ?1 AND (a.buyer_org_id = ?2 OR "
	    "a.supplier_org_id = ?2)",
	/*
	 * The accounts of org ?1 for its dashboard on day ?2, each with its
	 * reviews awaiting signatures (ended, not frozen), those of them
	 * org ?1's side has not signed, and the day its latest cadence takes
	 * effect: a later one than ?2 (or the start, if later) is a change
	 * still to come.
	 */
	[STMT_ACCT_LIST_ORG] = ACCT_FIELDS ", "
	    "(SELECT count(*) FROM reviews r "
	    "WHERE r.account_id = a.id AND r.state = 'open'), "
	    "(SELECT count(*) FROM reviews r "
	    "WHERE r.account_id = a.id AND r.state = 'open' AND "
	    "CASE WHEN a.buyer_org_id = ?1 THEN r.buyer_signed_by "
	    "ELSE r.supplier_signed_by END IS NULL), "
	    "(SELECT max(from_date) FROM account_cadences "
	    "WHERE account_id = a.id) "
	    ACCT_FROM "WHERE a.buyer_org_id = ?1 OR a.supplier_org_id = ?1 "
	    "ORDER BY a.title, a.id LIMIT " LIST_MAX,
	[STMT_ACCT_LIST_ALL] = ACCT_COLS
	    "ORDER BY a.title, a.id LIMIT " LIST_MAX,
	/* The tenant check alone: org ?2 is party to account ?1. */
	[STMT_ACCT_PARTY] =
	    "SELECT 1 FROM accounts WHERE id = ?1 "
	    "AND (buyer_org_id = ?2 OR supplier_org_id = ?2)",
	[STMT_ACCT_PARTIES] =
	    "SELECT buyer_org_id, supplier_org_id FROM accounts WHERE id = ?1",
	[STMT_ACCT_USER_ORG] =
	    "SELECT org_id, active FROM users WHERE id = ?1",
	[STMT_ACCT_OWNER_CURRENT] =
	    "SELECT user_id FROM account_owners "
	    "WHERE account_id = ?1 AND side = ?2 AND until IS NULL",
	[STMT_ACCT_OWNER_END] =
	    "UPDATE account_owners SET until = ?3 "
	    "WHERE account_id = ?1 AND side = ?2 AND until IS NULL",
	[STMT_ACCT_OWNER_INSERT] =
	    "INSERT INTO account_owners (account_id, side, user_id, since, "
	    "until, handover_note, set_by) "
	    "VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)",
	[STMT_ACCT_OWNER_HISTORY] =
	    "SELECT o.id, o.account_id, o.side, o.user_id, u.name, u.email, "
	    "o.since, coalesce(o.until, ''), coalesce(o.handover_note, ''), "
	    "coalesce(sb.name, '') "
	    "FROM account_owners o JOIN users u ON u.id = o.user_id "
	    "LEFT JOIN users sb ON sb.id = o.set_by "
	    "WHERE o.account_id = ?1 ORDER BY o.id DESC LIMIT " LIST_MAX,
	/* The current owner of side ?2, the one before, and the note;
	 * ?3, the viewer's org, must be a party. */
	[STMT_ACCT_HANDOVER] =
	    "SELECT o.user_id, u.name, o.since, coalesce(sb.name, ''), "
	    "coalesce((SELECT pu.name FROM account_owners p "
	    "JOIN users pu ON pu.id = p.user_id WHERE p.account_id = "
	    "o.account_id AND p.side = o.side AND p.id < o.id "
	    "ORDER BY p.id DESC LIMIT 1), ''), "
	    "coalesce(o.handover_note, '') "
	    "FROM account_owners o JOIN accounts a ON a.id = o.account_id "
	    "JOIN users u ON u.id = o.user_id "
	    "LEFT JOIN users sb ON sb.id = o.set_by "
	    "WHERE o.account_id = ?1 AND o.side = ?2 AND o.until IS NULL "
	    "AND (a.buyer_org_id = ?3 OR a.supplier_org_id = ?3)",
	/* No tenant check: for operators and the system only. */
	[STMT_ACCT_GET_ANY] = ACCT_COLS "WHERE a.id = ?1",
	/* The cadence history, in the order the rows took effect. */
	[STMT_ACCT_CADENCES] =
	    "SELECT cadence, from_date FROM account_cadences "
	    "WHERE account_id = ?1 ORDER BY from_date, id",
	[STMT_ACCT_CADENCE_INSERT] =
	    "INSERT INTO account_cadences (account_id, cadence, from_date, "
	    "set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_ACCT_CADENCE_SET] =
	    "UPDATE accounts SET cadence = ?2 WHERE id = ?1",
};

const struct db_stmt_table account_stmts = {
	"account", account_sql, STMT_ACCT__MAX
};

enum account_side
account_side_col(sqlite3_stmt *st, int col)
{
	return (enum account_side)db_col_enum(st, col, account_side_names,
	    SIDE_BUYER);
}

enum account_side
account_other_side(enum account_side s)
{
	switch (s) {
	case SIDE_BUYER:
		return SIDE_SUPPLIER;
	case SIDE_SUPPLIER:
		return SIDE_BUYER;
	default:
		return SIDE__MAX;
	}
}

const char *
account_side_name(enum account_side s)
{
	if ((int)s < 0 || s >= SIDE__MAX)
		return "";
	return account_side_names[s];
}

const char *
account_cadence_name(enum account_cadence c)
{
	if ((int)c < 0 || c >= CADENCE__MAX)
		return "";
	return account_cadence_names[c];
}

int
account_cadence_parse(const char *name)
{
	return kw_name_index(account_cadence_names, name);
}

/* db_row_fn for a struct account, from a row of ACCT_COLS, all but
 * my_side (set_side()). */
static void
account_row(struct arena *ar, sqlite3_stmt *st, void *out)
{
	struct account *a = out;

	a->id = sqlite3_column_int64(st, 0);
	a->title = db_col_text(ar, st, 1);
	a->buyer_org_id = sqlite3_column_int64(st, 2);
	a->supplier_org_id = sqlite3_column_int64(st, 3);
	a->buyer_name = db_col_text(ar, st, 4);
	a->supplier_name = db_col_text(ar, st, 5);
	a->cadence = (enum account_cadence)db_col_enum(st, 6,
	    account_cadence_names, CADENCE_QUARTERLY);
	a->start_date = db_col_text(ar, st, 7);
	a->created_at = db_col_text(ar, st, 8);
	a->buyer_owner_id = sqlite3_column_int64(st, 9);
	a->buyer_owner_name = db_col_text(ar, st, 10);
	a->supplier_owner_id = sqlite3_column_int64(st, 11);
	a->supplier_owner_name = db_col_text(ar, st, 12);
}

enum account_side
account_org_side(const struct account *a, long long org)
{
	if (org > 0 && org == a->buyer_org_id)
		return SIDE_BUYER;
	if (org > 0 && org == a->supplier_org_id)
		return SIDE_SUPPLIER;
	return SIDE__MAX;
}

/* a->my_side: the side of org viewer (0 = none), or SIDE__MAX. */
static void
set_side(struct account *a, long long viewer)
{
	a->my_side = account_org_side(a, viewer);
}

/* KW_OK if user_id is an active user of org_id, KW_BADREQ if not. */
static enum kw_status
user_in_org(struct db *db, long long user_id, long long org_id)
{
	sqlite3_stmt *st;
	enum kw_status ret = KW_BADREQ;
	int rc;

	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_USER_ORG)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, user_id);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == org_id &&
	    sqlite3_column_int(st, 1) != 0)
		ret = KW_OK;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = db_status(rc);
	db_stmt_done(st);
	return ret;
}

/* The current owner of side (0 = none), or -1 on error. */
static long long
owner_current(struct db *db, long long account_id, enum account_side side)
{
	sqlite3_stmt *st;
	long long uid = -1;
	int rc;

	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_OWNER_CURRENT)) ==
	    NULL)
		return -1;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, account_side_names[side]);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		uid = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		uid = 0;
	db_stmt_done(st);
	return uid;
}

/*
 * Inside a transaction: end the current ownership of side (if any) and
 * make user_id the owner since now.
 */
static enum kw_status
owner_put(struct db *db, const struct user *actor, long long account_id,
    enum account_side side, long long user_id, const char *note,
    const char *now)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_OWNER_END)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, account_side_names[side]);
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_OWNER_INSERT)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, account_side_names[side]);
	db_bind_int(st, 3, user_id);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, note != NULL && *note != '\0' ? note : NULL);
	db_bind_id(st, 6, actor != NULL ? actor->id : 0);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	return audit_log(db, actor, account_id, "account_owner",
	    db_last_id(db), "set", account_side_names[side]);
}

/* Inside a transaction: cadence takes effect on account_id from day. */
static enum kw_status
cadence_put(struct db *db, const struct user *actor, long long account_id,
    enum account_cadence cadence, const char *day, const char *now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_CADENCE_INSERT)) ==
	    NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, account_cadence_names[cadence]);
	db_bind_text(st, 3, day);
	db_bind_id(st, 4, actor != NULL ? actor->id : 0);
	db_bind_text(st, 5, now);
	return db_exec(db, st);
}

enum kw_status
account_create(struct db *db, const struct user *actor, const char *title,
    long long buyer, long long supplier, enum account_cadence cadence,
    const char *start_date, long long buyer_owner, long long supplier_owner,
    long long *id)
{
	sqlite3_stmt *st;
	char now[32];
	time_t day;
	long long nid = 0;
	enum kw_status ret;
	int intx = 0, ex;

	if (actor != NULL && !actor->is_operator)
		return user_denied(actor, KW_FORBIDDEN,
		    "create an account, id 0");
	if (!valid_text_ok(title, 1, TITLE_MAX, 0) || (int)cadence < 0 ||
	    cadence >= CADENCE__MAX || start_date == NULL ||
	    strlen(start_date) != 10 ||
	    clock_parse_date(start_date, &day) != 0 ||
	    buyer_owner < 0 || supplier_owner < 0)
		return KW_BADREQ;
	if ((ex = org_exists(db, buyer)) != 1 ||
	    (ex = org_exists(db, supplier)) != 1)
		return ex == 0 ? KW_NOTFOUND : KW_INTERNAL;
	if (buyer == supplier)
		return KW_BADREQ;

	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((buyer_owner != 0 &&
	    (ret = user_in_org(db, buyer_owner, buyer)) != KW_OK) ||
	    (supplier_owner != 0 &&
	    (ret = user_in_org(db, supplier_owner, supplier)) != KW_OK))
		goto out;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_INSERT)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_text(st, 1, title);
	db_bind_int(st, 2, buyer);
	db_bind_int(st, 3, supplier);
	db_bind_text(st, 4, account_cadence_names[cadence]);
	db_bind_text(st, 5, start_date);
	db_bind_text(st, 6, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	nid = db_last_id(db);
	if ((ret = audit_log(db, actor, nid, "account", nid, "create",
	    title)) != KW_OK ||
	    (ret = cadence_put(db, actor, nid, cadence, start_date, now)) !=
	    KW_OK)
		goto out;
	if (buyer_owner != 0 && (ret = owner_put(db, actor, nid, SIDE_BUYER,
	    buyer_owner, NULL, now)) != KW_OK)
		goto out;
	if (supplier_owner != 0 && (ret = owner_put(db, actor, nid,
	    SIDE_SUPPLIER, supplier_owner, NULL, now)) != KW_OK)
		goto out;
	intx = 0;
	if ((ret = db_commit(db)) != KW_OK)
		goto out;
	if (id != NULL)
		*id = nid;
out:
	if (intx)
		db_rollback(db);
	return ret;
}

/* Run list statement sid (bound to org_id unless 0) into *list. */
static enum kw_status
account_list(struct db *db, struct arena *a, int sid, long long org_id,
    struct account **list, size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	size_t i;
	enum kw_status ret;

	if ((st = db_stmt(db, &account_stmts, sid)) != NULL && org_id != 0)
		db_bind_int(st, 1, org_id);
	ret = db_rows(db, a, st, sizeof(**list), account_row, &rows, n);
	*list = rows;
	for (i = 0; i < *n; i++)
		set_side(&(*list)[i], org_id);
	return ret;
}

enum kw_status
account_list_all(struct db *db, struct arena *a, struct account **list,
    size_t *n)
{
	return account_list(db, a, STMT_ACCT_LIST_ALL, 0, list, n);
}

enum kw_status
account_party(struct db *db, long long viewer_org_id, long long id)
{
	sqlite3_stmt *st;

	if (viewer_org_id <= 0 || id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_PARTY)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, viewer_org_id);
	}
	return db_one(db, NULL, st, NULL, NULL);
}

enum kw_status
account_get(struct db *db, struct arena *a, long long viewer_org_id,
    long long id, struct account *acct)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	memset(acct, 0, sizeof(*acct));
	acct->my_side = SIDE__MAX;
	if (viewer_org_id <= 0 || id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_GET)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, viewer_org_id);
	}
	if ((ret = db_one(db, a, st, account_row, acct)) == KW_OK)
		set_side(acct, viewer_org_id);
	return ret;
}

enum kw_status
account_get_any(struct db *db, struct arena *a, long long id,
    struct account *acct)
{
	sqlite3_stmt *st;

	memset(acct, 0, sizeof(*acct));
	acct->my_side = SIDE__MAX;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_GET_ANY)) != NULL)
		db_bind_int(st, 1, id);
	return db_one(db, a, st, account_row, acct);
}

enum kw_status
account_set_owner(struct db *db, const struct user *actor,
    long long account_id, enum account_side side, long long user_id,
    const char *handover_note)
{
	sqlite3_stmt *st;
	char now[32];
	long long party = 0, cur;
	enum kw_status ret;
	int rc, intx = 0;

	if ((int)side < 0 || side >= SIDE__MAX || user_id <= 0)
		return KW_BADREQ;
	if (!valid_text_ok(handover_note, 0, NOTE_MAX, 1))
		return KW_BADREQ;

	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_PARTIES)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	db_bind_int(st, 1, account_id);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		party = sqlite3_column_int64(st, side == SIDE_BUYER ? 0 : 1);
	ret = rc == SQLITE_ROW ? KW_OK :
	    rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
	/* A non-party gets the same answer as for a missing account. */
	if (ret == KW_OK && actor != NULL && rc == SQLITE_ROW &&
	    actor->org_id != sqlite3_column_int64(st, 0) &&
	    actor->org_id != sqlite3_column_int64(st, 1))
		ret = user_denied(actor, KW_NOTFOUND, "see account %lld",
		    account_id);
	db_stmt_done(st);
	if (ret != KW_OK)
		goto out;
	if ((cur = owner_current(db, account_id, side)) < 0) {
		ret = KW_INTERNAL;
		goto out;
	}
	if (actor != NULL && (actor->org_id != party || !actor->active ||
	    (actor->role != USER_ADMIN && actor->id != cur))) {
		ret = user_denied(actor, KW_FORBIDDEN,
		    "set the owner of account %lld", account_id);
		goto out;
	}
	if ((ret = user_in_org(db, user_id, party)) != KW_OK)
		goto out;
	if (cur == user_id) {
		ret = KW_CONFLICT;
		goto out;
	}
	clock_iso(clock_now(), now, sizeof(now));
	if ((ret = owner_put(db, actor, account_id, side, user_id,
	    handover_note, now)) != KW_OK)
		goto out;
	intx = 0;
	ret = db_commit(db);
out:
	if (intx)
		db_rollback(db);
	return ret;
}

/* db_row_fn for a struct account_owner. */
static void
owner_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct account_owner *o = out;

	o->id = sqlite3_column_int64(st, 0);
	o->account_id = sqlite3_column_int64(st, 1);
	o->side = account_side_col(st, 2);
	o->user_id = sqlite3_column_int64(st, 3);
	o->user_name = db_col_text(a, st, 4);
	o->user_email = db_col_text(a, st, 5);
	o->since = db_col_text(a, st, 6);
	o->until = db_col_text(a, st, 7);
	o->handover_note = db_col_text(a, st, 8);
	o->set_by_name = db_col_text(a, st, 9);
}

enum kw_status
account_owner_history(struct db *db, struct arena *a, long long account_id,
    struct account_owner **list, size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_OWNER_HISTORY)) !=
	    NULL)
		db_bind_int(st, 1, account_id);
	ret = db_rows(db, a, st, sizeof(**list), owner_row, &rows, n);
	*list = rows;
	return ret;
}

/* db_row_fn for a struct account_handover. */
static void
handover_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct account_handover *h = out;

	h->user_id = sqlite3_column_int64(st, 0);
	h->user_name = db_col_text(a, st, 1);
	h->since = db_col_text(a, st, 2);
	h->by_name = db_col_text(a, st, 3);
	h->from_name = db_col_text(a, st, 4);
	h->note = db_col_text(a, st, 5);
}

enum kw_status
account_handover(struct db *db, struct arena *a, long long viewer_org_id,
    long long account_id, enum account_side side, struct account_handover *h)
{
	sqlite3_stmt *st;

	memset(h, 0, sizeof(*h));
	if ((int)side < 0 || side >= SIDE__MAX || viewer_org_id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_HANDOVER)) != NULL) {
		db_bind_int(st, 1, account_id);
		db_bind_text(st, 2, account_side_names[side]);
		db_bind_int(st, 3, viewer_org_id);
	}
	return db_one(db, a, st, handover_row, h);
}

int
account_may_set_owner(const struct user *actor, const struct account *acct)
{
	long long owner;

	if (!actor->active || acct->my_side == SIDE__MAX)
		return 0;
	owner = acct->my_side == SIDE_BUYER ? acct->buyer_owner_id :
	    acct->supplier_owner_id;
	return actor->role == USER_ADMIN || owner == actor->id;
}

/* Months in a period of each cadence. */
static const int cadence_months[CADENCE__MAX] = {
	[CADENCE_MONTHLY] = 1,
	[CADENCE_QUARTERLY] = 3,
	[CADENCE_HALF_YEARLY] = 6,
	[CADENCE_YEARLY] = 12,
};

/* The day days after (or before, if negative) date into out: 0, or -1
 * if either is not a date of years 1900..9999. */
static int
day_add(const char *date, int days, char out[11])
{
	time_t t;

	out[0] = '\0';
	if (clock_parse_date(date, &t) != 0)
		return -1;
	clock_date(t + (time_t)days * 24 * 60 * 60, out, 11);
	return clock_parse_date(out, &t) == 0 ? 0 : -1;
}

/* The calendar period of cadence c that holds date (a checked
 * YYYY-MM-DD): quarters are January to March, and so on. */
static void
calendar_period(enum account_cadence c, const char *date, char from[11],
    char to[11])
{
	int len = cadence_months[c], y, m;

	y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 +
	    (date[2] - '0') * 10 + (date[3] - '0');
	m = (date[5] - '0') * 10 + (date[6] - '0');
	m = (m - 1) / len * len + 1;		/* the first month */
	clock_ymd(y, m, 1, from);
	m += len - 1;				/* the last month */
	clock_ymd(y, m, clock_days_in_month(y, m), to);
}

/* One row of an account's cadence history. */
struct cadence_row {
	enum account_cadence	 cadence;
	char			 from[11];	/* the day it took effect */
};

/* An account's cadence history, in the order the rows took effect. */
struct cadences {
	struct cadence_row	*v;
	size_t			 n;
};

/* db_row_fn for STMT_ACCT_CADENCES into a struct cadence_row (a row
 * with an unknown cadence gets CADENCE__MAX, which periods refuse). */
static void
cadence_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct cadence_row *r = out;
	const unsigned char *v = sqlite3_column_text(st, 1);

	(void)a;
	r->cadence = (enum account_cadence)db_col_enum(st, 0,
	    account_cadence_names, CADENCE__MAX);
	snprintf(r->from, sizeof(r->from), "%s", v != NULL ?
	    (const char *)v : "");
}

/* The cadence history of acct into *h (arena a), in one query. */
static enum kw_status
cadences_load(struct db *db, struct arena *a, const struct account *acct,
    struct cadences *h)
{
	sqlite3_stmt *st;
	void *v = NULL;
	enum kw_status ret;

	h->v = NULL;
	h->n = 0;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_CADENCES)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, acct->id);
	ret = db_rows(db, a, st, sizeof(*h->v), cadence_row, &v, &h->n);
	h->v = v;
	return ret;
}

/*
 * The review period of acct with cadence history h that holds date (its
 * UTC midnight day): the cadence in force on date (the latest row that
 * took effect by then; without one acct->cadence since start_date),
 * cut to begin no earlier than the account and that cadence, and to end
 * before the next cadence takes effect.
 */
static enum kw_status
period_of(const struct account *acct, const struct cadences *h,
    const char *date, char from[11], char to[11])
{
	enum account_cadence c = acct->cadence;
	const char *since = acct->start_date, *next = NULL;
	size_t i;

	for (i = 0; i < h->n; i++) {
		if (strcmp(h->v[i].from, date) > 0) {
			next = h->v[i].from;
			break;
		}
		c = h->v[i].cadence;
		since = h->v[i].from;
	}
	if ((int)c < 0 || c >= CADENCE__MAX)
		return KW_BADREQ;
	calendar_period(c, date, from, to);
	if (strcmp(from, acct->start_date) < 0)
		memcpy(from, acct->start_date, 11);
	if (strcmp(from, since) < 0)
		snprintf(from, 11, "%s", since);
	if (next != NULL && strcmp(to, next) >= 0 &&
	    day_add(next, -1, to) != 0) {
		from[0] = to[0] = '\0';
		return KW_BADREQ;
	}
	return KW_OK;
}

/*
 * The last n periods of acct up to the one holding date (checked), with
 * cadence history h, newest first into out[0..*count-1].
 */
static enum kw_status
periods_back(const struct account *acct, const struct cadences *h,
    const char *date, size_t n, struct account_period *out, size_t *count)
{
	char day[11];
	size_t k = 0;
	enum kw_status ret = KW_OK;

	*count = 0;
	if (!clock_date_ok(acct->start_date) || !clock_date_ok(date))
		return KW_BADREQ;
	snprintf(day, sizeof(day), "%s", date);
	/* Dates compare as text: walk back while day is not before the
	 * start. */
	while (k < n && strcmp(day, acct->start_date) >= 0) {
		if ((ret = period_of(acct, h, day, out[k].from, out[k].to)) !=
		    KW_OK)
			return ret;
		k++;
		if (strcmp(out[k - 1].from, acct->start_date) <= 0 ||
		    day_add(out[k - 1].from, -1, day) != 0)
			break;
	}
	*count = k;
	return KW_OK;
}

/* The last n periods of acct up to the one holding date, as
 * periods_back() gives them, after reading the cadence history. */
static enum kw_status
periods_of(struct db *db, const struct account *acct, const char *date,
    size_t n, struct account_period *out, size_t *count)
{
	struct arena *a;
	struct cadences h;
	enum kw_status ret;

	*count = 0;
	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	if ((ret = cadences_load(db, a, acct, &h)) == KW_OK)
		ret = periods_back(acct, &h, date, n, out, count);
	arena_free(a);
	return ret;
}

enum kw_status
account_period(struct db *db, const struct account *acct, const char *date,
    char from[11], char to[11])
{
	struct account_period p;
	time_t day, start;
	size_t n;
	enum kw_status ret;

	from[0] = to[0] = '\0';
	if (acct == NULL || clock_parse_date(acct->start_date, &start) != 0 ||
	    clock_parse_date(date, &day) != 0)
		return KW_BADREQ;
	if (day < start)
		return KW_NOTFOUND;
	if ((ret = periods_of(db, acct, date, 1, &p, &n)) != KW_OK)
		return ret;
	memcpy(from, p.from, 11);
	memcpy(to, p.to, 11);
	return KW_OK;
}

enum kw_status
account_periods(struct db *db, const struct account *acct, size_t n,
    const char *today, struct account_period *out, size_t *count)
{
	size_t i, k;
	enum kw_status ret;

	*count = 0;
	if (acct == NULL)
		return KW_BADREQ;
	if ((ret = periods_of(db, acct, today, n, out, &k)) != KW_OK)
		return ret;
	/* newest first → oldest first */
	for (i = 0; i < k / 2; i++) {
		struct account_period t = out[i];

		out[i] = out[k - 1 - i];
		out[k - 1 - i] = t;
	}
	*count = k;
	return KW_OK;
}

/* A row of STMT_ACCT_LIST_ORG: the summary and the day its latest
 * cadence takes effect ("" if none is recorded). */
struct summary_row {
	struct account_summary	 s;
	char			 latest_cadence[11];
};

/* db_row_fn for a struct summary_row. */
static void
summary_row(struct arena *ar, sqlite3_stmt *st, void *out)
{
	struct summary_row *w = out;
	const unsigned char *v = sqlite3_column_text(st, 15);

	account_row(ar, st, &w->s.acct);
	w->s.reviews_unsigned = sqlite3_column_int64(st, 13);
	w->s.reviews_unsigned_by_me = sqlite3_column_int64(st, 14);
	snprintf(w->latest_cadence, sizeof(w->latest_cadence), "%s",
	    v != NULL ? (const char *)v : "");
}

enum kw_status
account_list_for_org(struct db *db, struct arena *a, long long org_id,
    const char *today, struct account_summary **list, size_t *n)
{
	struct account_summary *l;
	struct summary_row *rows;
	struct account_period p;
	struct cadences none = { NULL, 0 };
	struct account *acct;
	sqlite3_stmt *st;
	const char *day;
	void *v = NULL;
	size_t i, k;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (org_id <= 0)
		return KW_OK;
	if (!clock_date_ok(today))
		return KW_BADREQ;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_LIST_ORG)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, org_id);
	if ((ret = db_rows(db, a, st, sizeof(*rows), summary_row, &v,
	    n)) != KW_OK)
		return ret;
	rows = v;
	l = arena_xcalloc(a, *n > 0 ? *n : 1, sizeof(*l));
	for (i = 0; i < *n; i++) {
		l[i] = rows[i].s;
		acct = &l[i].acct;
		set_side(acct, org_id);
		/* The next review opens the day after the running period
		 * (before the start: the first one) ends. Without a cadence
		 * change to come, the latest cadence is the one in force and
		 * no query is needed; with one, the history is read. */
		day = strcmp(today, acct->start_date) < 0 ? acct->start_date :
		    today;
		if (strcmp(rows[i].latest_cadence, day) <= 0)
			ret = periods_back(acct, &none, day, 1, &p, &k);
		else
			ret = periods_of(db, acct, day, 1, &p, &k);
		if (ret != KW_OK && ret != KW_BADREQ)
			return ret;	/* a bad start date only hides it */
		if (ret == KW_OK && k == 1)
			(void)day_add(p.to, 1, l[i].next_review);
	}
	*list = l;
	return KW_OK;
}

enum kw_status
account_set_cadence(struct db *db, const struct user *actor,
    long long account_id, enum account_cadence cadence, char from[11])
{
	struct arena *a = NULL;
	struct account acct;
	sqlite3_stmt *st;
	char now[32], today[11], pf[11], pt[11], day[11];
	enum kw_status ret;
	int intx = 0;

	if (from != NULL)
		from[0] = '\0';
	if ((int)cadence < 0 || cadence >= CADENCE__MAX)
		return KW_BADREQ;
	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((ret = account_get_any(db, a, account_id, &acct)) != KW_OK)
		goto out;
	set_side(&acct, actor != NULL ? actor->org_id : 0);
	if (actor != NULL && !actor->is_operator &&
	    acct.my_side == SIDE__MAX) {
		ret = user_denied(actor, KW_NOTFOUND, "see account %lld",
		    account_id);
		goto out;
	}
	if (!user_can_manage(actor, acct.buyer_org_id) &&
	    !user_can_manage(actor, acct.supplier_org_id)) {
		ret = user_denied(actor, KW_FORBIDDEN,
		    "set the cadence of account %lld", account_id);
		goto out;
	}
	if (acct.cadence == cadence) {
		ret = KW_CONFLICT;
		goto out;
	}

	/* From the day after the current period, or the account's start. */
	clock_iso(clock_now(), now, sizeof(now));
	clock_date(clock_now(), today, sizeof(today));
	ret = account_period(db, &acct, today, pf, pt);
	if (ret == KW_NOTFOUND) {
		snprintf(day, sizeof(day), "%s", acct.start_date);
		ret = KW_OK;
	} else if (ret == KW_OK && day_add(pt, 1, day) != 0)
		ret = KW_BADREQ;
	if (ret != KW_OK ||
	    (ret = cadence_put(db, actor, account_id, cadence, day, now)) !=
	    KW_OK)
		goto out;
	if ((st = db_stmt(db, &account_stmts, STMT_ACCT_CADENCE_SET)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, account_cadence_names[cadence]);
	if ((ret = db_exec(db, st)) != KW_OK ||
	    (ret = audit_log(db, actor, account_id, "account", account_id,
	    "cadence", arena_xprintf(a, "%s from %s",
	    account_cadence_names[cadence], day))) != KW_OK)
		goto out;
	intx = 0;
	if ((ret = db_commit(db)) == KW_OK && from != NULL)
		memcpy(from, day, 11);
out:
	if (intx)
		db_rollback(db);
	arena_free(a);
	return ret;
}
