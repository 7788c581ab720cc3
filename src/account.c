/* account.c: accounts (one buyer org + one supplier org) and their owners. */
#include "config.h"

#include <stddef.h>
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
	STMT_ACCT_ORG_EXISTS,
	STMT_ACCT_USER_ORG,
	STMT_ACCT_OWNER_CURRENT,
	STMT_ACCT_OWNER_END,
	STMT_ACCT_OWNER_INSERT,
	STMT_ACCT_OWNER_HISTORY,
	STMT_ACCT_HANDOVER,
	STMT_ACCT__MAX
};

/* An account with both org names and the current owner of each side. */
#define ACCT_COLS \
	"SELECT a.id, a.title, a.buyer_org_id, a.supplier_org_id, " \
	"b.name, s.name, a.cadence, a.start_date, a.created_at, " \
	"coalesce(ob.user_id, 0), coalesce(ub.name, ''), " \
	"coalesce(os.user_id, 0), coalesce(us.name, '') " \
	"FROM accounts a " \
	"JOIN orgs b ON b.id = a.buyer_org_id " \
	"JOIN orgs s ON s.id = a.supplier_org_id " \
	"LEFT JOIN account_owners ob ON ob.account_id = a.id " \
	"AND ob.side = 'buyer' AND ob.until IS NULL " \
	"LEFT JOIN users ub ON ub.id = ob.user_id " \
	"LEFT JOIN account_owners os ON os.account_id = a.id " \
	"AND os.side = 'supplier' AND os.until IS NULL " \
	"LEFT JOIN users us ON us.id = os.user_id "

static const char *const account_sql[STMT_ACCT__MAX] = {
	[STMT_ACCT_INSERT] =
	    "INSERT INTO accounts (title, buyer_org_id, supplier_org_id, "
	    "cadence, start_date, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* Tenant isolation: ?2, the viewer's org, must be a party. */
	[STMT_ACCT_GET] = ACCT_COLS
	    "WHERE a.id = ?1 AND (a.buyer_org_id = ?2 OR "
	    "a.supplier_org_id = ?2)",
	[STMT_ACCT_LIST_ORG] = ACCT_COLS
	    "WHERE a.buyer_org_id = ?1 OR a.supplier_org_id = ?1 "
	    "ORDER BY a.title, a.id LIMIT " LIST_MAX,
	[STMT_ACCT_LIST_ALL] = ACCT_COLS
	    "ORDER BY a.title, a.id LIMIT " LIST_MAX,
	[STMT_ACCT_PARTIES] =
	    "SELECT buyer_org_id, supplier_org_id FROM accounts WHERE id = ?1",
	[STMT_ACCT_ORG_EXISTS] =
	    "SELECT 1 FROM orgs WHERE id = ?1",
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

/* a->my_side: the side of org viewer (0 = none), or SIDE__MAX. */
static void
set_side(struct account *a, long long viewer)
{
	if (viewer != 0 && viewer == a->buyer_org_id)
		a->my_side = SIDE_BUYER;
	else if (viewer != 0 && viewer == a->supplier_org_id)
		a->my_side = SIDE_SUPPLIER;
	else
		a->my_side = SIDE__MAX;
}

/* 1 if org id exists, 0 if not, -1 on error. */
static int
org_exists(struct db *db, long long id)
{
	return db_exists(db, &account_stmts, STMT_ACCT_ORG_EXISTS, id);
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
	    title)) != KW_OK)
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
account_list_for_org(struct db *db, struct arena *a, long long org_id,
    struct account **list, size_t *n)
{
	if (org_id <= 0) {
		*list = NULL;
		*n = 0;
		return KW_OK;
	}
	return account_list(db, a, STMT_ACCT_LIST_ORG, org_id, list, n);
}

enum kw_status
account_list_all(struct db *db, struct arena *a, struct account **list,
    size_t *n)
{
	return account_list(db, a, STMT_ACCT_LIST_ALL, 0, list, n);
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

/* UTC midnight of the first day of period k of len months from start. */
static time_t
period_start(const struct tm *start, int len, long k)
{
	struct tm t;
	int mday;

	memset(&t, 0, sizeof(t));
	t.tm_year = start->tm_year;
	t.tm_mon = start->tm_mon + (int)(k * len) + 1;
	t.tm_mday = 0;			/* the last day of the month before */
	(void)timegm(&t);
	mday = t.tm_mday;
	t.tm_mday = start->tm_mday < mday ? start->tm_mday : mday;
	return timegm(&t);
}

int
account_period(const struct account *acct, const char *date,
    char from[11], char to[11])
{
	static const int months[CADENCE__MAX] = {
		[CADENCE_MONTHLY] = 1,
		[CADENCE_QUARTERLY] = 3,
		[CADENCE_HALF_YEARLY] = 6,
		[CADENCE_YEARLY] = 12,
	};
	struct tm s, d, e;
	time_t ts, td, p0, p1;
	long k;
	int len;

	from[0] = to[0] = '\0';
	if (acct == NULL || (int)acct->cadence < 0 ||
	    acct->cadence >= CADENCE__MAX ||
	    clock_parse_date(acct->start_date, &ts) != 0 ||
	    clock_parse_date(date, &td) != 0 || td < ts ||
	    gmtime_r(&ts, &s) == NULL || gmtime_r(&td, &d) == NULL)
		return -1;
	len = months[acct->cadence];

	/* Whole months between the two dates give k or k + 1. */
	k = ((long)(d.tm_year - s.tm_year) * 12 + d.tm_mon - s.tm_mon) / len;
	while (k > 0 && period_start(&s, len, k) > td)
		k--;
	p0 = period_start(&s, len, k);
	while ((p1 = period_start(&s, len, k + 1)) <= td) {
		k++;
		p0 = p1;
	}
	p1 -= 24 * 60 * 60;
	if (gmtime_r(&p1, &e) == NULL || e.tm_year + 1900 > 9999)
		return -1;
	clock_date(p0, from, 11);
	clock_date(p1, to, 11);
	return 0;
}
