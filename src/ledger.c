/* ledger.c: plumbing that the ledger's entry modules (expectation, update) share. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "ledger.h"
#include "kw.h"
#include "notify.h"
#include "org.h"

#define PAGE_MAX	1000

enum kw_status
ledger_party(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, struct account *acct)
{
	if (actor == NULL) {
		memset(acct, 0, sizeof(*acct));
		acct->my_side = SIDE__MAX;
		return KW_FORBIDDEN;
	}
	return account_get(db, a, actor->org_id, account_id, acct);
}

enum kw_status
ledger_created(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, const char *entity, long long id,
    const char *detail, enum notify_kind kind, const char *text)
{
	enum kw_status ret;

	if ((ret = audit_log(db, actor, acct->id, entity, id, "create",
	    detail)) != KW_OK)
		return ret;
	return notify_side(db, actor, acct, account_other_side(acct->my_side),
	    kind, entity, id, text, arena_xprintf(a, "%s-%lld", entity, id));
}

enum kw_status
ledger_create(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, sqlite3_stmt *st, const char *entity,
    const char *detail, enum notify_kind kind, const char *text,
    long long *id)
{
	char now[32];
	long long nid;
	enum kw_status ret;

	if (st == NULL)
		return KW_INTERNAL;
	if ((ret = db_begin(db)) != KW_OK) {
		db_stmt_done(st);
		return ret;
	}
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, acct->id);
	db_bind_text(st, 2, account_side_names[acct->my_side]);
	db_bind_int(st, 6, actor->id);
	db_bind_text(st, 7, now);
	if ((ret = db_exec(db, st)) == KW_OK) {
		nid = db_last_id(db);
		ret = ledger_created(db, a, actor, acct, entity, nid, detail,
		    kind, text);
		if (ret == KW_OK && id != NULL)
			*id = nid;
	}
	return ledger_finish(db, ret);
}

enum kw_status
ledger_finish(struct db *db, enum kw_status ret)
{
	if (ret == KW_OK)
		return db_commit(db);
	db_rollback(db);
	return ret;
}

enum kw_status
ledger_denied(const struct user *actor, const char *entity,
    const char *action, long long id, enum kw_status st)
{
	kw_logx("denied: user %lld (org %lld) may not %s %s %lld",
	    actor != NULL ? actor->id : 0, actor != NULL ? actor->org_id : 0,
	    action, entity, id);
	return st;
}

const char *
ledger_name(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : NULL;
}

int
ledger_col_enum(sqlite3_stmt *st, int col, const char *const *names,
    int fallback)
{
	int i = kw_name_index(names, (const char *)sqlite3_column_text(st,
	    col));

	return i < 0 ? fallback : i;
}

enum kw_status
ledger_rows(struct db *db, struct arena *a, sqlite3_stmt *st, size_t size,
    ledger_row_fn fn, void **list, size_t *n)
{
	char *l = NULL;
	size_t cap = 0, cnt = 0;
	int rc;

	*list = NULL;
	*n = 0;
	if (st == NULL)
		return KW_INTERNAL;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		l = db_list_grow(a, l, cnt, &cap, size);
		memset(l + cnt * size, 0, size);
		fn(a, st, l + cnt * size);
		cnt++;
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	*list = l;
	*n = cnt;
	return KW_OK;
}

enum kw_status
ledger_count(struct db *db, sqlite3_stmt *st, size_t *n)
{
	int rc;

	*n = 0;
	if (st == NULL)
		return KW_INTERNAL;
	rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	return rc == SQLITE_ROW ? KW_OK : db_status(rc);
}

enum kw_status
ledger_one(struct db *db, struct arena *a, sqlite3_stmt *st, ledger_row_fn fn,
    void *elem)
{
	enum kw_status ret;
	int rc;

	if (st == NULL)
		return KW_INTERNAL;
	rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		fn(a, st, elem);
		ret = KW_OK;
	} else
		ret = rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
	db_stmt_done(st);
	return ret;
}

enum kw_status
ledger_page(struct db *db, struct arena *a, sqlite3_stmt *st,
    sqlite3_stmt *cst, size_t limit, size_t offset, size_t size,
    ledger_row_fn fn, void **list, size_t *n, size_t *total)
{
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (limit == 0 || limit > PAGE_MAX || offset > (size_t)INT64_MAX) {
		db_stmt_done(st);
		db_stmt_done(cst);
		return KW_BADREQ;
	}
	if (st != NULL) {
		db_bind_int(st, 4, (long long)limit);
		db_bind_int(st, 5, (long long)offset);
	}
	if ((ret = ledger_rows(db, a, st, size, fn, list, n)) != KW_OK ||
	    total == NULL) {
		db_stmt_done(cst);
		return ret;
	}
	return ledger_count(db, cst, total);
}
