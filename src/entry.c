/* entry.c: what the ledger's entries share: their kinds and URL paths,
 * the tenant check, and creating, reading, listing and withdrawing them. */
#include "config.h"

#include <assert.h>
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
#include "entry.h"
#include "kw.h"
#include "notify.h"
#include "org.h"

const char *const entry_names[ENTRY__MAX + 1] = {
	[ENTRY_EXPECTATION] = "expectation",
	[ENTRY_UPDATE] = "update",
	[ENTRY_PROMISE] = "promise",
	[ENTRY_CONTACT] = "contact",
	[ENTRY_FEEDBACK] = "feedback",
	[ENTRY_CONCERN] = "concern",
	[ENTRY_REVIEW] = "review",
	[ENTRY__MAX] = NULL,
};

const char *const entry_plurals[ENTRY__MAX + 1] = {
	[ENTRY_EXPECTATION] = "expectations",
	[ENTRY_UPDATE] = "updates",
	[ENTRY_PROMISE] = "promises",
	[ENTRY_CONTACT] = "contacts",
	[ENTRY_FEEDBACK] = "feedback",
	[ENTRY_CONCERN] = "concerns",
	[ENTRY_REVIEW] = "reviews",
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
	[ENTRY_REVIEW] =
	    "SELECT 1 FROM reviews WHERE id = ?1 AND account_id = ?2",
};

const struct db_stmt_table entry_stmts = {
	"entry", entry_sql, ENTRY__MAX
};

int
entry_parse(const char *name)
{
	return kw_name_index(entry_names, name);
}

int
entry_parse_plural(const char *plural)
{
	return kw_name_index(entry_plurals, plural);
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

	if ((int)kind < 0 || kind >= ENTRY__MAX || id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &entry_stmts, (int)kind)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, account_id);
	}
	return db_one(db, NULL, st, NULL, NULL);
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

enum kw_status
entry_party(struct db *db, const struct user *actor, long long account_id)
{
	if (actor == NULL)
		return KW_NOTFOUND;
	return account_party(db, actor->org_id, account_id);
}

const char *
entry_filter(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : NULL;
}

int
entry_days_ok(const char *from, const char *to)
{
	if ((from != NULL && !clock_date_ok(from)) ||
	    (to != NULL && !clock_date_ok(to)))
		return 0;
	return from == NULL || to == NULL || strcmp(from, to) <= 0;
}

void
entry_bind_days(sqlite3_stmt *st, int i, const char *from, const char *to)
{
	if (from == NULL && to == NULL) {
		db_bind_text(st, i, NULL);
		db_bind_text(st, i + 1, NULL);
		return;
	}
	db_bind_text(st, i, from != NULL ? from : ENTRY_DAY_FIRST);
	db_bind_text(st, i + 1, to != NULL && strcmp(to, ENTRY_DAY_LAST) < 0 ?
	    to : ENTRY_DAY_LAST);
}

enum kw_status
entry_page(struct db *db, struct arena *a, sqlite3_stmt *st,
    sqlite3_stmt *cst, size_t limit, size_t offset, size_t size,
    db_row_fn fn, void **list, size_t *n, size_t *total)
{
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (total != NULL)
		*total = 0;
	if (limit == 0 || limit > ENTRY_LIST_MAX || offset > ENTRY_OFFSET_MAX) {
		db_stmt_done(st);
		db_stmt_done(cst);
		return KW_BADREQ;
	}
	if (st != NULL) {
		db_bind_int(st, 4, (long long)limit);
		db_bind_int(st, 5, (long long)offset);
	}
	if ((ret = db_rows(db, a, st, size, fn, list, n)) != KW_OK ||
	    total == NULL) {
		db_stmt_done(cst);
		return ret;
	}
	return db_count(db, cst, total);
}

enum kw_status
entry_insert_in(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, sqlite3_stmt *st, const char *entity,
    const char *detail, entry_created_fn created, const void *in,
    long long *id)
{
	char now[32];
	long long nid;
	enum kw_status ret;

	if (st == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, acct->id);
	db_bind_text(st, 2, account_side_name(acct->my_side));
	db_bind_int(st, 3, actor->id);
	db_bind_text(st, 4, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	nid = db_last_id(db);
	ret = audit_log(db, actor, acct->id, entity, nid, "create", detail);
	if (ret == KW_OK && created != NULL)
		ret = created(db, a, actor, acct, entity, nid, in);
	if (ret == KW_OK && id != NULL)
		*id = nid;
	return ret;
}

enum kw_status
entry_insert(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, sqlite3_stmt *st, const char *entity,
    const char *detail, entry_created_fn created, const void *in,
    long long *id)
{
	long long nid = 0;
	enum kw_status ret;

	if (st == NULL)
		return KW_INTERNAL;
	if ((ret = db_begin(db)) != KW_OK) {
		db_stmt_done(st);
		return ret;
	}
	ret = db_finish(db, entry_insert_in(db, a, actor, acct, st, entity,
	    detail, created, in, &nid));
	if (ret == KW_OK && id != NULL)
		*id = nid;
	return ret;
}

enum kw_status
entry_announce(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, const char *entity, long long id,
    const void *in)
{
	const struct entry_notice *nt = in;

	return notify_side(db, actor, acct, account_other_side(acct->my_side),
	    nt->kind, entity, id, nt->text, arena_xprintf(a, "%s-%lld",
	    entity, id));
}

enum kw_status
entry_create_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k, const void *in,
    int valid, const char *detail, long long *id)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if (!valid)
		return KW_BADREQ;
	if ((st = db_stmt(db, k->t, k->sid_insert)) != NULL)
		k->bind(st, in);
	return entry_insert_in(db, a, actor, &acct, st, k->entity, detail,
	    k->created, in, id);
}

enum kw_status
entry_create(struct db *db, const struct user *actor, long long account_id,
    const struct entry_table *k, const void *in, int valid,
    const char *detail, long long *id)
{
	struct arena *a;
	long long nid = 0;
	enum kw_status ret;

	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	if ((ret = db_begin(db)) == KW_OK)
		ret = db_finish(db, entry_create_in(db, a, actor, account_id, k,
		    in, valid, detail, &nid));
	if (ret == KW_OK && id != NULL)
		*id = nid;
	arena_free(a);
	return ret;
}

/* Bind the entry id and its account as ?1 and ?2 of statement sid of k;
 * NULL if it did not prepare. */
static sqlite3_stmt *
entry_stmt(struct db *db, const struct entry_table *k, int sid, long long id,
    long long account_id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, k->t, sid)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, account_id);
	}
	return st;
}

enum kw_status
entry_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k, long long id,
    void *out)
{
	enum kw_status ret;

	if ((ret = entry_party(db, actor, account_id)) != KW_OK)
		return ret;
	return db_one(db, a, entry_stmt(db, k, k->sid_get, id, account_id),
	    k->row, out);
}

sqlite3_stmt *
entry_filter_stmt(struct db *db, const struct db_stmt_table *t, int sid,
    long long account_id, const char *const filter[2])
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, t, sid)) != NULL) {
		db_bind_int(st, 1, account_id);
		db_bind_text(st, 2, filter[0]);
		db_bind_text(st, 3, filter[1]);
	}
	return st;
}

/* Statement sid of k bound as a list's: ?1 account_id, ?2..?3 filter
 * and, when days, ?6..?7 from..to; NULL if it did not prepare. */
static sqlite3_stmt *
list_stmt(struct db *db, const struct entry_table *k, int sid,
    long long account_id, const char *const filter[2], int days,
    const char *from, const char *to)
{
	sqlite3_stmt *st;

	if ((st = entry_filter_stmt(db, k->t, sid, account_id, filter)) !=
	    NULL && days)
		entry_bind_days(st, 6, from, to);
	return st;
}

/* entry_list(), and entry_list_days() when days. */
static enum kw_status
list_page(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k,
    const char *const filter[2], int days, const char *from,
    const char *to, size_t limit, size_t offset, void **list, size_t *n,
    size_t *total)
{
	enum kw_status ret;

	*list = NULL;
	*n = *total = 0;
	if ((ret = entry_party(db, actor, account_id)) != KW_OK)
		return ret;
	if (days && !entry_days_ok(from, to))
		return KW_BADREQ;
	return entry_page(db, a, list_stmt(db, k, k->sid_list, account_id,
	    filter, days, from, to), list_stmt(db, k, k->sid_count, account_id,
	    filter, days, from, to), limit, offset, k->size, k->row, list, n,
	    total);
}

enum kw_status
entry_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k,
    const char *const filter[2], size_t limit, size_t offset, void **list,
    size_t *n, size_t *total)
{
	return list_page(db, a, actor, account_id, k, filter, 0, NULL, NULL,
	    limit, offset, list, n, total);
}

enum kw_status
entry_list_days(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k,
    const char *const filter[2], const char *from, const char *to,
    size_t limit, size_t offset, void **list, size_t *n, size_t *total)
{
	return list_page(db, a, actor, account_id, k, filter, 1, from, to,
	    limit, offset, list, n, total);
}

enum kw_status
entry_withdraw_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct entry_table *k, long long id)
{
	struct account acct;
	sqlite3_stmt *st;
	enum account_side side = SIDE__MAX;
	char now[32];
	enum kw_status ret;
	int rc, withdrawn = 0;

	assert(k->sid_side >= 0 && k->sid_withdraw >= 0);
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((st = entry_stmt(db, k, k->sid_side, id, acct.id)) == NULL)
		return KW_INTERNAL;
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		side = (enum account_side)db_col_enum(st, 0,
		    account_side_names, SIDE__MAX);
		withdrawn = sqlite3_column_int(st, 1) != 0;
	}
	db_stmt_done(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
	if (side != acct.my_side)
		return KW_FORBIDDEN;
	if (withdrawn)
		return KW_CONFLICT;
	if ((st = entry_stmt(db, k, k->sid_withdraw, id, acct.id)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	return audit_log(db, actor, acct.id, k->entity, id, "withdraw", NULL);
}

enum kw_status
entry_withdraw(struct db *db, const struct user *actor, long long account_id,
    const struct entry_table *k, long long id)
{
	struct arena *a;
	enum kw_status ret;

	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	if ((ret = db_begin(db)) == KW_OK)
		ret = db_finish(db, entry_withdraw_in(db, a, actor, account_id,
		    k, id));
	arena_free(a);
	return ret;
}

enum kw_status
entry_period(struct account_period *p, const char *from, const char *to)
{
	int n;

	if (from == NULL)
		from = ENTRY_DAY_FIRST;
	if (to == NULL)
		clock_date(clock_now(), p->to, sizeof(p->to));
	else if ((n = snprintf(p->to, sizeof(p->to), "%s", to)) < 0 ||
	    (size_t)n >= sizeof(p->to))
		return KW_BADREQ;
	if ((n = snprintf(p->from, sizeof(p->from), "%s", from)) < 0 ||
	    (size_t)n >= sizeof(p->from))
		return KW_BADREQ;
	return KW_OK;
}

/* Whether the periods per[0..n-1] are dates in order, none overlapping
 * the next (each may be empty: to before from). */
static int
periods_ok(const struct account_period *per, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!clock_date_ok(per[i].from) || !clock_date_ok(per[i].to) ||
		    (i > 0 && (strcmp(per[i - 1].from, per[i].from) >= 0 ||
		    strcmp(per[i - 1].to, per[i].from) >= 0)))
			return 0;
	return 1;
}

/* The index of the period of per[0..n-1] (as periods_ok() wants them)
 * holding day (the first 10 bytes of text), or n if none does. */
static size_t
period_index(const struct account_period *per, size_t n, const char *text)
{
	size_t lo = 0, hi = n, mid;

	if (text == NULL || strlen(text) < 10)
		return n;
	/* the last period starting on or before day */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strncmp(per[mid].from, text, 10) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strncmp(text, per[lo - 1].to, 10) > 0)
		return n;
	return lo - 1;
}

enum kw_status
entry_figures(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct db_stmt_table *t, int sid,
    int by_side, const struct account_period *per, size_t n,
    db_row_fn row, void *out, size_t size)
{
	sqlite3_stmt *st;
	size_t i;
	int rc, side = 0;
	enum kw_status ret;

	if (actor != NULL && (ret = entry_party(db, actor, account_id)) !=
	    KW_OK)
		return ret;
	if (n < 1 || !periods_ok(per, n))
		return KW_BADREQ;
	if ((st = db_stmt(db, t, sid)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, per[0].from);
	db_bind_text(st, 3, per[n - 1].to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if (by_side && (side = db_col_enum(st, 1, account_side_names,
		    -1)) < 0)
			continue;
		if ((i = period_index(per, n, (const char *)
		    sqlite3_column_text(st, 0))) < n)
			row(a, st, (char *)out + ((size_t)side * n + i) * size);
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? KW_OK : db_status(rc);
}
