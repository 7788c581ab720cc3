/* comment.c: discussion threads on ledger entries. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "comment.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "org.h"

#define THREAD_MAX	"1000"

enum comment_stmt {
	STMT_COMMENT_INSERT,
	STMT_COMMENT_GET,
	STMT_COMMENT_LIST,
	STMT_COMMENT_WITHDRAW,
	STMT_COMMENT__MAX
};

/* A comment with its author; the text of a withdrawn one never leaves
 * the database. */
#define COMMENT_COLS \
	"SELECT c.id, c.account_id, c.entity, c.entity_id, c.side, " \
	"c.created_by, u.name, o.name, " \
	"CASE WHEN c.withdrawn_at IS NULL THEN c.body ELSE '' END, " \
	"c.created_at, coalesce(c.withdrawn_at, '') " \
	"FROM comments c JOIN users u ON u.id = c.created_by " \
	"JOIN orgs o ON o.id = u.org_id "

static const char *const comment_sql[STMT_COMMENT__MAX] = {
	[STMT_COMMENT_INSERT] =
	    "INSERT INTO comments (account_id, entity, entity_id, side, body, "
	    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_COMMENT_GET] = COMMENT_COLS
	    "WHERE c.id = ?1 AND c.account_id = ?2",
	[STMT_COMMENT_LIST] = COMMENT_COLS
	    "WHERE c.account_id = ?1 AND c.entity = ?2 AND c.entity_id = ?3 "
	    "ORDER BY c.id LIMIT " THREAD_MAX,
	[STMT_COMMENT_WITHDRAW] =
	    "UPDATE comments SET withdrawn_at = ?2 "
	    "WHERE id = ?1 AND withdrawn_at IS NULL",
};

const struct db_stmt_table comment_stmts = {
	"comment", comment_sql, STMT_COMMENT__MAX
};

/* Fill c from a row of COMMENT_COLS. */
static void
comment_row(struct arena *a, sqlite3_stmt *st, struct comment *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->account_id = sqlite3_column_int64(st, 1);
	c->entity = db_col_text(a, st, 2);
	c->entity_id = sqlite3_column_int64(st, 3);
	c->side = account_side_col(st, 4);
	c->author_id = sqlite3_column_int64(st, 5);
	c->author_name = db_col_text(a, st, 6);
	c->author_org = db_col_text(a, st, 7);
	c->body = db_col_text(a, st, 8);
	c->created_at = db_col_text(a, st, 9);
	c->withdrawn_at = db_col_text(a, st, 10);
}

/* 1 if s is 1..COMMENT_MAX bytes with something besides white space and
 * no control characters but LF and TAB. */
static int
body_ok(const char *s)
{
	size_t i, len;
	int seen = 0;

	if (s == NULL || (len = strlen(s)) == 0 || len > COMMENT_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\n' || ch == '\t' || ch == ' ')
			continue;
		if (ch < 0x20 || ch == 0x7f)
			return 0;
		seen = 1;
	}
	return seen;
}

enum kw_status
comment_target(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    struct account *acct)
{
	struct account tmp;
	enum kw_status ret;
	int kind;

	if (acct == NULL)
		acct = &tmp;
	if ((ret = account_get(db, a, actor->org_id, account_id, acct)) !=
	    KW_OK)
		return ret;
	if ((kind = entry_parse(entity)) < 0)
		return KW_NOTFOUND;
	return entry_exists(db, (enum entry_kind)kind, account_id, entity_id);
}

enum kw_status
comment_add(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    const char *body, long long *id)
{
	struct account acct;
	sqlite3_stmt *st;
	char now[32];
	long long nid;
	enum kw_status ret;
	int intx = 0;

	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((ret = comment_target(db, a, actor, account_id, entity,
	    entity_id, &acct)) != KW_OK)
		goto out;
	if (!body_ok(body)) {
		ret = KW_BADREQ;
		goto out;
	}
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_INSERT)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, entity);
	db_bind_int(st, 3, entity_id);
	db_bind_text(st, 4, account_side_name(acct.my_side));
	db_bind_text(st, 5, body);
	db_bind_int(st, 6, actor->id);
	db_bind_text(st, 7, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	nid = db_last_id(db);
	if ((ret = audit_log(db, actor, account_id, "comment", nid, "create",
	    arena_xprintf(a, "on %s %lld", entity, entity_id))) != KW_OK)
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

enum kw_status
comment_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long comment_id, struct comment *c)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((ret = account_get(db, a, actor->org_id, account_id, &acct)) !=
	    KW_OK)
		return ret;
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_GET)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, comment_id);
	db_bind_int(st, 2, account_id);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW)
		comment_row(a, st, c);
	db_stmt_done(st);
	if (rc == SQLITE_ROW)
		return KW_OK;
	return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
}

enum kw_status
comment_withdraw(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long comment_id, struct comment *out)
{
	struct comment c;
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;
	int intx = 0;

	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if ((ret = comment_get(db, a, actor, account_id, comment_id, &c)) !=
	    KW_OK)
		goto out;
	if (c.author_id != actor->id) {
		kw_logx("denied: user %lld may not withdraw comment %lld",
		    actor->id, comment_id);
		ret = KW_FORBIDDEN;
		goto out;
	}
	if (*c.withdrawn_at != '\0') {
		ret = KW_CONFLICT;
		goto out;
	}
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_WITHDRAW)) ==
	    NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, comment_id);
	db_bind_text(st, 2, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	if ((ret = audit_log(db, actor, account_id, "comment", comment_id,
	    "withdraw", arena_xprintf(a, "on %s %lld", c.entity,
	    c.entity_id))) != KW_OK)
		goto out;
	intx = 0;
	ret = db_commit(db);
out:
	if (intx)
		db_rollback(db);
	if (ret == KW_OK && out != NULL)
		*out = c;
	return ret;
}

enum kw_status
comment_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    struct comment **list, size_t *n)
{
	struct account acct;
	struct comment *l = NULL;
	sqlite3_stmt *st;
	size_t cap = 0, cnt = 0;
	enum kw_status ret;
	int rc;

	*list = NULL;
	*n = 0;
	if ((ret = account_get(db, a, actor->org_id, account_id, &acct)) !=
	    KW_OK)
		return ret;
	if (entry_parse(entity) < 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_LIST)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, entity);
	db_bind_int(st, 3, entity_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		l = db_list_grow(a, l, cnt, &cap, sizeof(*l));
		comment_row(a, st, &l[cnt++]);
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	*list = l;
	*n = cnt;
	return KW_OK;
}
