/* notify.c: each user's inbox of things that want their attention. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
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
	[NOTIFY_PROMISE] = "promise",
	[NOTIFY_REVIEW] = "review",
	[NOTIFY__MAX] = NULL,
};

#define NOTIFY_LIST_MAX	1000

enum notify_stmt {
	STMT_NOTIFY_SIDE,
	STMT_NOTIFY_LIST_ALL,
	STMT_NOTIFY_LIST_UNREAD,
	STMT_NOTIFY_COUNT_ALL,
	STMT_NOTIFY_COUNT_UNREAD,
	STMT_NOTIFY_BADGE,
	STMT_NOTIFY_GET,
	STMT_NOTIFY_OWNED,
	STMT_NOTIFY_READ,
	STMT_NOTIFY_READ_ALL,
	STMT_NOTIFY__MAX
};

/* A notification with its account's title; the recipient's org must
 * still be a party of the account. */
#define NOTE_COLS \
	"SELECT n.id, n.account_id, a.title, n.kind, n.entity, n.entity_id, " \
	"n.text, n.created_at, coalesce(n.read_at, '') " \
	"FROM notifications n JOIN users u ON u.id = n.user_id " \
	"JOIN accounts a ON a.id = n.account_id " \
	"AND (a.buyer_org_id = u.org_id OR a.supplier_org_id = u.org_id) "

static const char *const notify_sql[STMT_NOTIFY__MAX] = {
	/* One row per active user of org ?1 except the actor ?2. */
	[STMT_NOTIFY_SIDE] =
	    "INSERT OR IGNORE INTO notifications (user_id, account_id, kind, "
	    "entity, entity_id, text, key, created_at) "
	    "SELECT id, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM users "
	    "WHERE org_id = ?1 AND active = 1 AND id IS NOT ?2",
	[STMT_NOTIFY_LIST_ALL] = NOTE_COLS
	    "WHERE n.user_id = ?1 ORDER BY n.id DESC LIMIT ?2 OFFSET ?3",
	[STMT_NOTIFY_LIST_UNREAD] = NOTE_COLS
	    "WHERE n.user_id = ?1 AND n.read_at IS NULL "
	    "ORDER BY n.id DESC LIMIT ?2 OFFSET ?3",
	[STMT_NOTIFY_COUNT_ALL] =
	    "SELECT count(*) FROM notifications WHERE user_id = ?1",
	[STMT_NOTIFY_COUNT_UNREAD] =
	    "SELECT count(*) FROM notifications "
	    "WHERE user_id = ?1 AND read_at IS NULL",
	/* The navigation's figure, which triggers keep (db/002-ledger.sql),
	 * so a full inbox costs every page no more than an empty one. */
	[STMT_NOTIFY_BADGE] =
	    "SELECT unread_notifications FROM users WHERE id = ?1",
	[STMT_NOTIFY_GET] = NOTE_COLS
	    "WHERE n.user_id = ?1 AND n.id = ?2",
	[STMT_NOTIFY_OWNED] =
	    "SELECT 1 FROM notifications WHERE user_id = ?1 AND id = ?2",
	[STMT_NOTIFY_READ] =
	    "UPDATE notifications SET read_at = ?3 "
	    "WHERE user_id = ?1 AND id = ?2 AND read_at IS NULL",
	[STMT_NOTIFY_READ_ALL] =
	    "UPDATE notifications SET read_at = ?2 "
	    "WHERE user_id = ?1 AND read_at IS NULL",
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

/* db_row_fn for a struct notification, from a row of NOTE_COLS. */
static void
note_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct notification *n = out;

	n->id = sqlite3_column_int64(st, 0);
	n->account_id = sqlite3_column_int64(st, 1);
	n->account_title = db_col_text(a, st, 2);
	n->kind = db_col_text(a, st, 3);
	n->entity = db_col_text(a, st, 4);
	n->entity_id = sqlite3_column_int64(st, 5);
	n->text = db_col_text(a, st, 6);
	n->created_at = db_col_text(a, st, 7);
	n->read_at = db_col_text(a, st, 8);
}

enum kw_status
notify_list(struct db *db, struct arena *a, const struct user *actor,
    int unread_only, size_t limit, size_t offset, struct notification **list,
    size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (limit == 0 || limit > NOTIFY_LIST_MAX || offset > (size_t)1 << 40)
		return KW_BADREQ;
	if ((st = db_stmt(db, &notify_stmts, unread_only ?
	    STMT_NOTIFY_LIST_UNREAD : STMT_NOTIFY_LIST_ALL)) != NULL) {
		db_bind_int(st, 1, actor->id);
		db_bind_int(st, 2, (long long)limit);
		db_bind_int(st, 3, (long long)offset);
	}
	ret = db_rows(db, a, st, sizeof(**list), note_row, &rows, n);
	*list = rows;
	return ret;
}

enum kw_status
notify_count(struct db *db, const struct user *actor, int unread_only,
    size_t *n)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &notify_stmts, unread_only ?
	    STMT_NOTIFY_COUNT_UNREAD : STMT_NOTIFY_COUNT_ALL)) != NULL)
		db_bind_int(st, 1, actor->id);
	return db_count(db, st, n);
}

enum kw_status
notify_unread_count(struct db *db, const struct user *actor, size_t *n)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &notify_stmts, STMT_NOTIFY_BADGE)) != NULL)
		db_bind_int(st, 1, actor->id);
	return db_count(db, st, n);
}

enum kw_status
notify_get(struct db *db, struct arena *a, const struct user *actor,
    long long id, struct notification *out)
{
	sqlite3_stmt *st;

	memset(out, 0, sizeof(*out));
	if ((st = db_stmt(db, &notify_stmts, STMT_NOTIFY_GET)) != NULL) {
		db_bind_int(st, 1, actor->id);
		db_bind_int(st, 2, id);
	}
	return db_one(db, a, st, note_row, out);
}

/* Run read statement sid for actor (and id, unless 0) stamped now. */
static enum kw_status
mark_read(struct db *db, const struct user *actor, int sid, long long id)
{
	sqlite3_stmt *st;
	char now[32];

	if ((st = db_stmt(db, &notify_stmts, sid)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, actor->id);
	if (id != 0) {
		db_bind_int(st, 2, id);
		db_bind_text(st, 3, now);
	} else
		db_bind_text(st, 2, now);
	return db_exec(db, st);
}

enum kw_status
notify_mark_read(struct db *db, const struct user *actor, long long id)
{
	sqlite3_stmt *st;
	int rc;

	if (id <= 0)
		return KW_NOTFOUND;
	/* Ownership first: another user's id changes nothing. */
	if ((st = db_stmt(db, &notify_stmts, STMT_NOTIFY_OWNED)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, actor->id);
	db_bind_int(st, 2, id);
	rc = db_step(db, st);
	db_stmt_done(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
	return mark_read(db, actor, STMT_NOTIFY_READ, id);
}

enum kw_status
notify_mark_all_read(struct db *db, const struct user *actor, size_t *n)
{
	enum kw_status ret;

	ret = mark_read(db, actor, STMT_NOTIFY_READ_ALL, 0);
	if (n != NULL)
		*n = ret == KW_OK ? (size_t)db_changes(db) : 0;
	return ret;
}
