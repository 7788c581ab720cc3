/* entry.c: what the ledger's entries share: their kinds and URL paths,
 * existence checks, and creating, reading, listing and withdrawing them. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "org.h"

const char *const entry_names[ENTRY__MAX + 1] = {
	[ENTRY_EXPECTATION] = "expectation",
	[ENTRY_UPDATE] = "update",
	[ENTRY_PROMISE] = "promise",
	[ENTRY_CONTACT] = "contact",
	[ENTRY_FEEDBACK] = "feedback",
	[ENTRY_CONCERN] = "concern",
	[ENTRY__MAX] = NULL,
};

const char *const entry_plurals[ENTRY__MAX + 1] = {
	[ENTRY_EXPECTATION] = "expectations",
	[ENTRY_UPDATE] = "updates",
	[ENTRY_PROMISE] = "promises",
	[ENTRY_CONTACT] = "contacts",
	[ENTRY_FEEDBACK] = "feedback",
	[ENTRY_CONCERN] = "concerns",
	[ENTRY__MAX] = NULL,
};

/* One statement per kind, indexed by enum entry_kind: the table name is
 * fixed here, never taken from input. */
static const char *const entry_sql[ENTRY__MAX] = {
	[ENTRY_EXPECTATION] =
	    "SELECT 1 FROM expectations WHERE id = ?1 AND account_id = ?2",
	[ENTRY_UPDATE] =
	    "SELECT 1 FROM updates WHERE id = ?1 AND account_id = ?2",
	[ENTRY_PROMISE] =
	    "SELECT 1 FROM promises WHERE id = ?1 AND account_id = ?2",
	[ENTRY_CONTACT] =
	    "SELECT 1 FROM contacts WHERE id = ?1 AND account_id = ?2",
	[ENTRY_FEEDBACK] =
	    "SELECT 1 FROM feedback WHERE id = ?1 AND account_id = ?2",
	[ENTRY_CONCERN] =
	    "SELECT 1 FROM concerns WHERE id = ?1 AND account_id = ?2",
};

const struct db_stmt_table entry_stmts = {
	"entry", entry_sql, ENTRY__MAX
};

int
entry_parse(const char *name)
{
	return entry_index(entry_names, name);
}

int
entry_parse_plural(const char *plural)
{
	return entry_index(entry_plurals, plural);
}

const char *
entry_path(struct arena *a, long long account_id, const char *entity,
    long long entity_id)
{
	int k = entry_parse(entity);

	if (k < 0)
		return NULL;
	return arena_xprintf(a, "/accounts/%lld/%s/%lld", account_id,
	    entry_plurals[k], entity_id);
}

enum kw_status
entry_exists(struct db *db, enum entry_kind kind, long long account_id,
    long long id)
{
	sqlite3_stmt *st;
	int rc;

	if ((int)kind < 0 || kind >= ENTRY__MAX || id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &entry_stmts, (int)kind)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, account_id);
	rc = db_step(db, st);
	db_stmt_done(st);
	if (rc == SQLITE_ROW)
		return KW_OK;
	return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
}

int
entry_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; s != NULL && names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

enum account_side
entry_side(const char *s)
{
	int i = entry_index(account_side_names, s);

	return i < 0 ? SIDE__MAX : (enum account_side)i;
}

enum kw_status
entry_account(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, struct account *acct)
{
	if (actor == NULL) {
		memset(acct, 0, sizeof(*acct));
		acct->my_side = SIDE__MAX;
		return KW_NOTFOUND;
	}
	return account_get(db, a, actor->org_id, account_id, acct);
}

/* The status of a statement that should have yielded a row but gave rc. */
static enum kw_status
no_row(int rc)
{
	return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
}

enum kw_status
entry_create(struct db *db, const struct user *actor, long long account_id,
    const struct entry_table *k, const void *in, int valid,
    const char *detail, long long *id)
{
	struct arena *a;
	struct account acct;
	sqlite3_stmt *st;
	char now[32];
	long long nid = 0;
	enum kw_status ret;
	int intx = 0;

	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		goto out;
	if (!valid) {
		ret = KW_BADREQ;
		goto out;
	}
	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((st = db_stmt(db, k->t, k->sid_insert)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, acct.id);
	db_bind_text(st, 2, account_side_name(acct.my_side));
	db_bind_int(st, 3, actor->id);
	db_bind_text(st, 4, now);
	k->bind(st, in);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	nid = db_last_id(db);
	if ((ret = audit_log(db, actor, acct.id, k->entity, nid, "create",
	    detail)) != KW_OK || (k->created != NULL &&
	    (ret = k->created(db, a, actor, &acct, nid, in)) != KW_OK))
		goto out;
	intx = 0;
	if ((ret = db_commit(db)) == KW_OK && id != NULL)
		*id = nid;
out:
	if (intx)
		db_rollback(db);
	arena_free(a);
	return ret;
}

enum kw_status
entry_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k, long long id,
    void *out)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;
	int rc;

	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, k->t, k->sid_get)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, acct.id);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		k->row(a, st, out);
	db_stmt_done(st);
	return rc == SQLITE_ROW ? KW_OK : no_row(rc);
}

/* Bind the account and the filters as ?1..?3 of st. */
static void
bind_filter(sqlite3_stmt *st, long long account_id,
    const char *const filter[2])
{
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, filter[0]);
	db_bind_text(st, 3, filter[1]);
}

enum kw_status
entry_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k,
    const char *const filter[2], size_t limit, size_t offset, void **list,
    size_t *n, size_t *total)
{
	struct account acct;
	sqlite3_stmt *st;
	char *l = NULL;
	size_t cap = 0, cnt = 0;
	enum kw_status ret;
	int rc;

	*list = NULL;
	*n = *total = 0;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if (limit == 0 || limit > ENTRY_LIST_MAX || offset > (size_t)1 << 40)
		return KW_BADREQ;
	if ((st = db_stmt(db, k->t, k->sid_count)) == NULL)
		return KW_INTERNAL;
	bind_filter(st, acct.id, filter);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*total = (size_t)sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	if (rc != SQLITE_ROW)
		return no_row(rc);
	if ((st = db_stmt(db, k->t, k->sid_list)) == NULL)
		return KW_INTERNAL;
	bind_filter(st, acct.id, filter);
	db_bind_int(st, 4, (long long)limit);
	db_bind_int(st, 5, (long long)offset);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		l = db_list_grow(a, l, cnt, &cap, k->size);
		k->row(a, st, l + cnt++ * k->size);
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	*list = l;
	*n = cnt;
	return KW_OK;
}

/* Inside the transaction: whether actor (of acct) may withdraw entry id
 * of kind k. */
static enum kw_status
may_withdraw(struct db *db, const struct account *acct,
    const struct entry_table *k, long long id)
{
	sqlite3_stmt *st;
	enum account_side side = SIDE__MAX;
	int rc, withdrawn = 0;

	if ((st = db_stmt(db, k->t, k->sid_side)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, acct->id);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		side = entry_side((const char *)sqlite3_column_text(st, 0));
		withdrawn = sqlite3_column_int(st, 1) != 0;
	}
	db_stmt_done(st);
	if (rc != SQLITE_ROW)
		return no_row(rc);
	if (side != acct->my_side)
		return KW_FORBIDDEN;
	return withdrawn ? KW_CONFLICT : KW_OK;
}

enum kw_status
entry_withdraw(struct db *db, const struct user *actor, long long account_id,
    const struct entry_table *k, long long id)
{
	struct arena *a;
	struct account acct;
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;
	int intx = 0;

	assert(k->sid_side >= 0 && k->sid_withdraw >= 0);
	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK ||
	    (ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((ret = may_withdraw(db, &acct, k, id)) != KW_OK)
		goto out;
	if ((st = db_stmt(db, k->t, k->sid_withdraw)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, acct.id);
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK ||
	    (ret = audit_log(db, actor, acct.id, k->entity, id, "withdraw",
	    NULL)) != KW_OK)
		goto out;
	intx = 0;
	ret = db_commit(db);
out:
	if (intx)
		db_rollback(db);
	arena_free(a);
	return ret;
}

enum kw_status
entry_figures(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct db_stmt_table *t, int sid,
    const char *from, const char *to, const char *extra, entry_row_fn row,
    void *out)
{
	struct account acct;
	sqlite3_stmt *st;
	char today[16];
	time_t day;
	enum kw_status ret;
	int rc;

	if (actor != NULL && (ret = entry_account(db, a, actor, account_id,
	    &acct)) != KW_OK)
		return ret;
	clock_date(clock_now(), today, sizeof(today));
	if ((from != NULL && clock_parse_date(from, &day) != 0) ||
	    (to != NULL && clock_parse_date(to, &day) != 0))
		return KW_BADREQ;
	if ((st = db_stmt(db, t, sid)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, from != NULL ? from : "0001-01-01");
	db_bind_text(st, 3, to != NULL ? to : today);
	if (extra != NULL)
		db_bind_text(st, 4, extra);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		row(a, st, out);
	db_stmt_done(st);
	return rc == SQLITE_ROW ? KW_OK : no_row(rc);
}
