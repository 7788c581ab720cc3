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
#include "valid.h"

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
	/* ?1..?4 as entry_insert() binds them. */
	[STMT_COMMENT_INSERT] =
	    "INSERT INTO comments (account_id, side, created_by, created_at, "
	    "entity, entity_id, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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

/* db_row_fn for a struct comment, from a row of COMMENT_COLS. */
static void
comment_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct comment *c = out;

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

/* 1 if s is multi-line text of 1..COMMENT_MAX bytes (valid_text_ok())
 * with something besides white space. */
static int
body_ok(const char *s)
{
	return valid_text_ok(s, 1, COMMENT_MAX, 1) &&
	    s[strspn(s, " \t\n")] != '\0';
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

/* comment_add() inside the caller's transaction (in_tx) or in one of its
 * own. */
static enum kw_status
add(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    const char *body, long long *id, int in_tx)
{
	struct account acct;
	sqlite3_stmt *st;
	const char *detail;
	enum kw_status ret;

	if ((ret = comment_target(db, a, actor, account_id, entity,
	    entity_id, &acct)) != KW_OK)
		return ret;
	if (!body_ok(body))
		return KW_BADREQ;
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_INSERT)) != NULL) {
		db_bind_text(st, 5, entity);
		db_bind_int(st, 6, entity_id);
		db_bind_text(st, 7, body);
	}
	detail = arena_xprintf(a, "on %s %lld", entity, entity_id);
	return (in_tx ? entry_insert_in : entry_insert)(db, a, actor, &acct,
	    st, "comment", detail, NULL, NULL, id);
}

enum kw_status
comment_add(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    const char *body, long long *id)
{
	return add(db, a, actor, account_id, entity, entity_id, body, id, 0);
}

enum kw_status
comment_add_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    const char *body, long long *id)
{
	return add(db, a, actor, account_id, entity, entity_id, body, id, 1);
}

enum kw_status
comment_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long comment_id, struct comment *c)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;

	memset(c, 0, sizeof(*c));
	if ((ret = account_get(db, a, actor->org_id, account_id, &acct)) !=
	    KW_OK)
		return ret;
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_GET)) != NULL) {
		db_bind_int(st, 1, comment_id);
		db_bind_int(st, 2, account_id);
	}
	return db_one(db, a, st, comment_row, c);
}

enum kw_status
comment_withdraw_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long comment_id, struct comment *c)
{
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;

	if ((ret = comment_get(db, a, actor, account_id, comment_id, c)) !=
	    KW_OK)
		return ret;
	if (c->author_id != actor->id)
		return user_denied(actor, KW_FORBIDDEN, "withdraw comment %lld",
		    comment_id);
	if (*c->withdrawn_at != '\0')
		return KW_CONFLICT;
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_WITHDRAW)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, comment_id);
	db_bind_text(st, 2, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	return audit_log(db, actor, account_id, "comment", comment_id,
	    "withdraw", arena_xprintf(a, "on %s %lld", c->entity,
	    c->entity_id));
}

enum kw_status
comment_withdraw(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long comment_id, struct comment *out)
{
	struct comment c;
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	ret = db_finish(db, comment_withdraw_in(db, a, actor, account_id,
	    comment_id, &c));
	if (ret == KW_OK && out != NULL)
		*out = c;
	return ret;
}

enum kw_status
comment_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *entity, long long entity_id,
    struct comment **list, size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if ((ret = account_party(db, actor->org_id, account_id)) != KW_OK)
		return ret;
	if (entry_parse(entity) < 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &comment_stmts, STMT_COMMENT_LIST)) != NULL) {
		db_bind_int(st, 1, account_id);
		db_bind_text(st, 2, entity);
		db_bind_int(st, 3, entity_id);
	}
	ret = db_rows(db, a, st, sizeof(**list), comment_row, &rows, n);
	*list = rows;
	return ret;
}
