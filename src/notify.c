/* notify.c: each user's inbox of things that want their attention. */
#include "config.h"

#include <assert.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "notify.h"
#include "org.h"

const char *const notify_kind_names[NOTIFY__MAX + 1] = {
	[NOTIFY_UPDATE] = "update",
	[NOTIFY_DELIVERY] = "delivery",
	[NOTIFY_DISPUTE] = "dispute",
	[NOTIFY_DUE_SOON] = "due-soon",
	[NOTIFY_OVERDUE] = "overdue",
	[NOTIFY_CONCERN] = "concern",
	[NOTIFY_EXPECTATION] = "expectation",
	[NOTIFY_DUE_CHANGE] = "due-change",
	[NOTIFY_RESOLUTION] = "resolution",
	[NOTIFY__MAX] = NULL,
};

enum notify_stmt {
	STMT_NOTIFY_SIDE,
	STMT_NOTIFY__MAX
};

static const char *const notify_sql[STMT_NOTIFY__MAX] = {
	/* One row per active user of org ?1 except the actor ?2. */
	[STMT_NOTIFY_SIDE] =
	    "INSERT OR IGNORE INTO notifications (user_id, account_id, kind, "
	    "entity, entity_id, text, key, created_at) "
	    "SELECT id, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM users "
	    "WHERE org_id = ?1 AND active = 1 AND id IS NOT ?2",
};

const struct db_stmt_table notify_stmts = {
	"notify", notify_sql, STMT_NOTIFY__MAX
};

enum kw_status
notify_side(struct db *db, const struct user *actor,
    const struct account *acct, enum account_side to, enum notify_kind kind,
    const char *entity, long long entity_id, const char *text,
    const char *key)
{
	sqlite3_stmt *st;
	char now[32];
	size_t len;

	assert(acct != NULL && entity != NULL && text != NULL && key != NULL);
	len = strlen(text);
	if ((int)to < 0 || to >= SIDE__MAX || (int)kind < 0 ||
	    kind >= NOTIFY__MAX || len == 0 || len > 400)
		return KW_BADREQ;
	if ((st = db_stmt(db, &notify_stmts, STMT_NOTIFY_SIDE)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, to == SIDE_BUYER ? acct->buyer_org_id :
	    acct->supplier_org_id);
	db_bind_id(st, 2, actor != NULL ? actor->id : 0);
	db_bind_int(st, 3, acct->id);
	db_bind_text(st, 4, notify_kind_names[kind]);
	db_bind_text(st, 5, entity);
	db_bind_int(st, 6, entity_id);
	db_bind_text(st, 7, text);
	db_bind_text(st, 8, key);
	db_bind_text(st, 9, now);
	return db_exec(db, st);
}
