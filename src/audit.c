/* audit.c: the append-only audit trail. */
#include "config.h"

#include <assert.h>
#include <stddef.h>

#include <sqlite3.h>

#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"

#define AUDIT_LIST_MAX	1000

enum audit_stmt {
	STMT_AUDIT_INSERT,
	STMT_AUDIT_LIST_ACCOUNT,
	STMT_AUDIT_COUNT_ACCOUNT,
	STMT_AUDIT__MAX
};

static const char *const audit_sql[STMT_AUDIT__MAX] = {
	[STMT_AUDIT_INSERT] =
	    "INSERT INTO audit_events (at, actor_user_id, actor_org_id, "
	    "account_id, entity, entity_id, action, detail) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* ?2 is the viewer's org: it must be a party of the account. */
	[STMT_AUDIT_LIST_ACCOUNT] =
	    "SELECT e.id, e.at, coalesce(e.actor_user_id, 0), "
	    "coalesce(u.name, ''), coalesce(o.name, ''), e.account_id, "
	    "e.entity, e.entity_id, e.action, coalesce(e.detail, '') "
	    "FROM audit_events e "
	    "JOIN accounts a ON a.id = e.account_id "
	    "LEFT JOIN users u ON u.id = e.actor_user_id "
	    "LEFT JOIN orgs o ON o.id = e.actor_org_id "
	    "WHERE e.account_id = ?1 "
	    "AND (a.buyer_org_id = ?2 OR a.supplier_org_id = ?2) "
	    "ORDER BY e.id DESC LIMIT ?3 OFFSET ?4",
	[STMT_AUDIT_COUNT_ACCOUNT] =
	    "SELECT count(*) FROM audit_events e "
	    "JOIN accounts a ON a.id = e.account_id "
	    "WHERE e.account_id = ?1 "
	    "AND (a.buyer_org_id = ?2 OR a.supplier_org_id = ?2)",
};

const struct db_stmt_table audit_stmts = {
	"audit", audit_sql, STMT_AUDIT__MAX
};

enum kw_status
audit_log(struct db *db, const struct user *actor, long long account_id,
    const char *entity, long long entity_id, const char *action,
    const char *detail)
{
	sqlite3_stmt *st;
	char now[32];

	assert(entity != NULL && action != NULL);
	if ((st = db_stmt(db, &audit_stmts, STMT_AUDIT_INSERT)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_text(st, 1, now);
	db_bind_id(st, 2, actor != NULL ? actor->id : 0);
	db_bind_id(st, 3, actor != NULL ? actor->org_id : 0);
	db_bind_id(st, 4, account_id);
	db_bind_text(st, 5, entity);
	db_bind_int(st, 6, entity_id);
	db_bind_text(st, 7, action);
	db_bind_text(st, 8, detail != NULL && *detail != '\0' ? detail : NULL);
	return db_exec(db, st);
}

/* db_row_fn for a struct audit_event. */
static void
event_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct audit_event *e = out;

	e->id = sqlite3_column_int64(st, 0);
	e->at = db_col_text(a, st, 1);
	e->actor_user_id = sqlite3_column_int64(st, 2);
	e->actor_name = db_col_text(a, st, 3);
	e->actor_org_name = db_col_text(a, st, 4);
	e->account_id = sqlite3_column_int64(st, 5);
	e->entity = db_col_text(a, st, 6);
	e->entity_id = sqlite3_column_int64(st, 7);
	e->action = db_col_text(a, st, 8);
	e->detail = db_col_text(a, st, 9);
}

/* Statement sid with the account and the viewer's org bound. */
static sqlite3_stmt *
account_stmt(struct db *db, int sid, long long viewer_org_id,
    long long account_id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &audit_stmts, sid)) != NULL) {
		db_bind_int(st, 1, account_id);
		db_bind_int(st, 2, viewer_org_id);
	}
	return st;
}

enum kw_status
audit_list_account(struct db *db, struct arena *a, long long viewer_org_id,
    long long account_id, size_t limit, size_t offset,
    struct audit_event **list, size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (limit == 0 || limit > AUDIT_LIST_MAX || offset > (size_t)1 << 40)
		return KW_BADREQ;
	if ((st = account_stmt(db, STMT_AUDIT_LIST_ACCOUNT, viewer_org_id,
	    account_id)) != NULL) {
		db_bind_int(st, 3, (long long)limit);
		db_bind_int(st, 4, (long long)offset);
	}
	ret = db_rows(db, a, st, sizeof(**list), event_row, &rows, n);
	*list = rows;
	return ret;
}

enum kw_status
audit_count_account(struct db *db, long long viewer_org_id,
    long long account_id, size_t *n)
{
	return db_count(db, account_stmt(db, STMT_AUDIT_COUNT_ACCOUNT,
	    viewer_org_id, account_id), n);
}
