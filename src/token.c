/* token.c: the API tokens with which partner systems call the exchange. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "token.h"
#include "valid.h"

#define SECRET_LEN	(AUTH_TOKEN_SIZE - 1)
#define TOKEN_LIST_MAX	"1000"

const char *const token_scope_names[TOKEN_SCOPE__MAX + 1] = {
	[TOKEN_READ] = "read",
	[TOKEN_READ_WRITE] = "read-write",
	[TOKEN_SCOPE__MAX] = NULL,
};

enum token_stmt {
	STMT_TOKEN_INSERT,
	STMT_TOKEN_ACCOUNT_INSERT,
	STMT_TOKEN_REVOKE,
	STMT_TOKEN_STATE,
	STMT_TOKEN_LIST,
	STMT_TOKEN_LIST_ACCOUNTS,
	STMT_TOKEN_GET,
	STMT_TOKEN_REACHES,
	STMT_TOKEN_USED,
	STMT_TOKEN__MAX
};

/* The columns of a struct token (token_row()). */
#define TOKEN_COLS \
	"SELECT t.id, t.org_id, t.name, t.scope, t.created_at, " \
	"coalesce(cu.name, ''), coalesce(t.last_used_at, ''), " \
	"coalesce(t.revoked_at, ''), coalesce(ru.name, ''), t.token_hash " \
	"FROM api_tokens t LEFT JOIN users cu ON cu.id = t.created_by " \
	"LEFT JOIN users ru ON ru.id = t.revoked_by "

static const char *const token_sql[STMT_TOKEN__MAX] = {
	[STMT_TOKEN_INSERT] =
	    "INSERT INTO api_tokens (org_id, name, token_hash, scope, "
	    "created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_TOKEN_ACCOUNT_INSERT] =
	    "INSERT OR IGNORE INTO api_token_accounts (token_id, account_id) "
	    "VALUES (?1, ?2)",
	[STMT_TOKEN_REVOKE] =
	    "UPDATE api_tokens SET revoked_at = ?3, revoked_by = ?4 "
	    "WHERE id = ?1 AND org_id = ?2 AND revoked_at IS NULL",
	/* 1 if token ?1 of org ?2 is in force, 0 if revoked, no row if it
	 * is not the org's */
	[STMT_TOKEN_STATE] =
	    "SELECT revoked_at IS NULL FROM api_tokens "
	    "WHERE id = ?1 AND org_id = ?2",
	[STMT_TOKEN_LIST] = TOKEN_COLS
	    "WHERE t.org_id = ?1 ORDER BY t.id DESC LIMIT " TOKEN_LIST_MAX,
	[STMT_TOKEN_LIST_ACCOUNTS] =
	    "SELECT ta.token_id, a.id, a.title FROM api_tokens t "
	    "JOIN api_token_accounts ta ON ta.token_id = t.id "
	    "JOIN accounts a ON a.id = ta.account_id "
	    "WHERE t.org_id = ?1 ORDER BY ta.token_id DESC, a.title, a.id",
	[STMT_TOKEN_GET] = TOKEN_COLS "WHERE t.id = ?1",
	[STMT_TOKEN_REACHES] =
	    "SELECT 1 FROM api_token_accounts ta "
	    "JOIN accounts a ON a.id = ta.account_id "
	    "WHERE ta.token_id = ?1 AND ta.account_id = ?2 "
	    "AND (a.buyer_org_id = ?3 OR a.supplier_org_id = ?3)",
	[STMT_TOKEN_USED] =
	    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
};

const struct db_stmt_table token_stmts = {
	"token", token_sql, STMT_TOKEN__MAX
};

/* db_row_fn for a struct token (TOKEN_COLS; the hash is not kept). */
static void
token_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct token *t = out;

	t->id = sqlite3_column_int64(st, 0);
	t->org_id = sqlite3_column_int64(st, 1);
	t->name = db_col_text(a, st, 2);
	t->scope = (enum token_scope)db_col_enum(st, 3, token_scope_names,
	    TOKEN_READ);
	t->created_at = db_col_text(a, st, 4);
	t->created_by_name = db_col_text(a, st, 5);
	t->last_used_at = db_col_text(a, st, 6);
	t->revoked_at = db_col_text(a, st, 7);
	t->revoked_by_name = db_col_text(a, st, 8);
}

/*
 * Inside the caller's transaction: the row of a new token of org_id with
 * the hash of secret, its accounts, and its audit event. *id gets its id.
 */
static enum kw_status
insert(struct db *db, const struct user *actor, long long org_id,
    const char *name, enum token_scope scope, const long long *accounts,
    size_t n, const char *secret, long long *id)
{
	sqlite3_stmt *st;
	struct buf detail;
	char hash[AUTH_DIGEST_SIZE], now[32];
	enum kw_status ret;
	size_t i;

	auth_token_digest(secret, hash);
	clock_iso(clock_now(), now, sizeof(now));
	if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_INSERT)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, org_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, hash);
	db_bind_text(st, 4, token_scope_names[scope]);
	db_bind_id(st, 5, actor != NULL ? actor->id : 0);
	db_bind_text(st, 6, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	*id = db_last_id(db);
	buf_init(&detail, 0, 0);
	buf_printf(&detail, "%s, %s, accounts", name,
	    token_scope_names[scope]);
	for (i = 0; i < n; i++) {
		if ((st = db_stmt(db, &token_stmts,
		    STMT_TOKEN_ACCOUNT_INSERT)) == NULL) {
			ret = KW_INTERNAL;
			goto out;
		}
		db_bind_int(st, 1, *id);
		db_bind_int(st, 2, accounts[i]);
		if ((ret = db_exec(db, st)) != KW_OK)
			goto out;
		if (db_changes(db) == 1)
			buf_printf(&detail, " %lld", accounts[i]);
	}
	ret = detail.status == BUF_OK ? audit_log(db, actor, 0, "token", *id,
	    "create", buf_str(&detail)) : KW_INTERNAL;
out:
	buf_free(&detail);
	return ret;
}

enum kw_status
token_create(struct db *db, const struct user *actor, long long org_id,
    const char *name, enum token_scope scope, const long long *accounts,
    size_t n, long long *id, char secret[TOKEN_SECRET_SIZE])
{
	char random[AUTH_TOKEN_SIZE];
	long long nid = 0;
	enum kw_status ret;
	size_t i;
	int ex;

	secret[0] = '\0';
	if (!user_can_manage(actor, org_id))
		return user_denied(actor, KW_FORBIDDEN,
		    "issue an API token for org %lld", org_id);
	if (!valid_text_ok(name, 1, TOKEN_NAME_MAX, 0) || (int)scope < 0 ||
	    scope >= TOKEN_SCOPE__MAX || accounts == NULL || n == 0 ||
	    n > TOKEN_ACCOUNTS_MAX)
		return KW_BADREQ;
	if ((ex = org_exists(db, org_id)) != 1)
		return ex == 0 ? KW_NOTFOUND : KW_INTERNAL;
	for (i = 0; i < n; i++)
		if ((ret = account_party(db, org_id, accounts[i])) != KW_OK)
			return ret == KW_NOTFOUND ? KW_BADREQ : ret;

	auth_token_new(random);
	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	ret = db_finish(db, insert(db, actor, org_id, name, scope, accounts,
	    n, random, &nid));
	if (ret == KW_OK) {
		snprintf(secret, TOKEN_SECRET_SIZE, TOKEN_PREFIX "%lld_%s",
		    nid, random);
		if (id != NULL)
			*id = nid;
	}
out:
	sodium_memzero(random, sizeof(random));
	return ret;
}

/* Inside the caller's transaction: 1 if token_id of org_id is in force,
 * 0 if it is revoked, -2 if it is not org_id's, -1 on a database error. */
static int
token_state(struct db *db, long long token_id, long long org_id)
{
	sqlite3_stmt *st;
	int rc, v = -1;

	if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_STATE)) == NULL)
		return -1;
	db_bind_int(st, 1, token_id);
	db_bind_int(st, 2, org_id);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0) != 0;
	else if (rc == SQLITE_DONE)
		v = -2;
	db_stmt_done(st);
	return v;
}

enum kw_status
token_revoke(struct db *db, const struct user *actor, long long org_id,
    long long token_id)
{
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;
	int state;

	if (!user_can_manage(actor, org_id))
		return user_denied(actor, actor != NULL &&
		    actor->org_id == org_id ? KW_FORBIDDEN : KW_NOTFOUND,
		    "revoke API token %lld", token_id);
	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	state = token_state(db, token_id, org_id);
	if (state != 1)
		ret = state == 0 ? KW_CONFLICT : state == -2 ? KW_NOTFOUND :
		    KW_INTERNAL;
	else if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_REVOKE)) == NULL)
		ret = KW_INTERNAL;
	else {
		clock_iso(clock_now(), now, sizeof(now));
		db_bind_int(st, 1, token_id);
		db_bind_int(st, 2, org_id);
		db_bind_text(st, 3, now);
		db_bind_id(st, 4, actor != NULL ? actor->id : 0);
		ret = db_exec(db, st);
	}
	if (ret == KW_OK)
		ret = audit_log(db, actor, 0, "token", token_id, "revoke",
		    NULL);
	return db_finish(db, ret);
}

enum kw_status
token_list(struct db *db, struct arena *a, long long org_id,
    struct token **list, size_t *n)
{
	sqlite3_stmt *st;
	struct token *t, *last = NULL;
	void *rows = NULL;
	size_t i = 0, cap = 0;
	long long tid;
	enum kw_status ret;
	int rc;

	*list = NULL;
	*n = 0;
	if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_LIST)) != NULL)
		db_bind_int(st, 1, org_id);
	if ((ret = db_rows(db, a, st, sizeof(**list), token_row, &rows,
	    n)) != KW_OK)
		return ret;
	*list = rows;

	/* The accounts, in the same order of tokens: a merge. */
	if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_LIST_ACCOUNTS)) ==
	    NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, org_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		tid = sqlite3_column_int64(st, 0);
		while (i < *n && (*list)[i].id > tid)
			i++;
		if (i == *n)
			break;
		if ((*list)[i].id != tid)
			continue;
		t = &(*list)[i];
		if (t != last) {
			last = t;
			cap = 0;
		}
		t->accounts = db_list_grow(a, t->accounts, t->naccounts, &cap,
		    sizeof(*t->accounts));
		t->accounts[t->naccounts].id = sqlite3_column_int64(st, 1);
		t->accounts[t->naccounts].title = db_col_text(a, st, 2);
		t->naccounts++;
	}
	db_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_status(rc);
	return KW_OK;
}

/* The id and random part of a token as its holder sends it: 0 and the
 * random part's start, or -1 if it does not have the shape we issue. */
static int
parse_secret(const char *s, long long *id, const char **random)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	const char *p, *us;
	char digits[24];
	size_t nd;

	if (s == NULL || strncmp(s, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1)
	    != 0)
		return -1;
	p = s + sizeof(TOKEN_PREFIX) - 1;
	if ((us = strchr(p, '_')) == NULL)
		return -1;
	nd = (size_t)(us - p);
	if (nd == 0 || nd >= sizeof(digits) || p[0] == '0')
		return -1;
	memcpy(digits, p, nd);
	digits[nd] = '\0';
	if (kw_parse_int(digits, 1, 9223372036854775807LL, id) != 0)
		return -1;
	*random = us + 1;
	if (strnlen(*random, SECRET_LEN + 1) != SECRET_LEN ||
	    strspn(*random, alphabet) != SECRET_LEN)
		return -1;
	return 0;
}

enum kw_status
token_check(struct db *db, struct arena *a, const char *secret,
    struct token *out)
{
	sqlite3_stmt *st;
	char hash[AUTH_DIGEST_SIZE];
	const char *random, *stored = NULL;
	long long id;
	int rc, match;

	memset(out, 0, sizeof(*out));
	if (parse_secret(secret, &id, &random) != 0)
		return KW_UNAUTH;
	auth_token_digest(random, hash);
	if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_GET)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		token_row(a, st, out);
		stored = db_col_text(a, st, 9);
	}
	db_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_status(rc);
	match = stored != NULL && auth_token_equal(stored, hash);
	sodium_memzero(hash, sizeof(hash));
	if (!match) {
		memset(out, 0, sizeof(*out));
		return KW_UNAUTH;
	}
	return *out->revoked_at == '\0' ? KW_OK : KW_UNAUTH;
}

enum kw_status
token_reaches(struct db *db, const struct token *t, long long account_id)
{
	sqlite3_stmt *st;

	if (t->id <= 0 || *t->revoked_at != '\0' || account_id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_REACHES)) != NULL) {
		db_bind_int(st, 1, t->id);
		db_bind_int(st, 2, account_id);
		db_bind_int(st, 3, t->org_id);
	}
	return db_one(db, NULL, st, NULL, NULL);
}

enum kw_status
token_call(struct db *db, const struct token *t, const char *detail)
{
	struct user actor;
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret = KW_OK;

	/* The org calls; no person does. */
	memset(&actor, 0, sizeof(actor));
	actor.org_id = t->org_id;
	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	if (*t->revoked_at == '\0') {
		if ((st = db_stmt(db, &token_stmts, STMT_TOKEN_USED)) == NULL)
			ret = KW_INTERNAL;
		else {
			clock_iso(clock_now(), now, sizeof(now));
			db_bind_int(st, 1, t->id);
			db_bind_text(st, 2, now);
			ret = db_exec(db, st);
		}
	}
	if (ret == KW_OK)
		ret = audit_log(db, &actor, 0, "token", t->id, "call", detail);
	return db_finish(db, ret);
}
