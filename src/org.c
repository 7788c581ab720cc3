/* org.c: organisations and their users. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "valid.h"

#define ORG_NAME_MAX	200
#define USER_NAME_MAX	200
#define USER_EMAIL_MAX	254
#define ORG_LIST_MAX	"10000"

const char *const user_role_names[USER_ROLE__MAX + 1] = {
	[USER_MEMBER] = "member",
	[USER_ADMIN] = "admin",
	[USER_ROLE__MAX] = NULL,
};

enum org_stmt {
	STMT_ORG_INSERT,
	STMT_ORG_LIST,
	STMT_ORG_GET,
	STMT_ORG_BY_NAME,
	STMT_USER_INSERT,
	STMT_USER_GET,
	STMT_USER_BY_EMAIL,
	STMT_USER_LIST_ORG,
	STMT_USER_BRIEF,
	STMT_USER_SET_PASSWORD,
	STMT_USER_SET_ACTIVE,
	STMT_USER_SET_OPERATOR,
	STMT_ORG__MAX
};

#define USER_COLS "SELECT " USER_FIELDS \
	"FROM users u JOIN orgs o ON o.id = u.org_id "

static const char *const org_sql[STMT_ORG__MAX] = {
	[STMT_ORG_INSERT] =
	    "INSERT INTO orgs (name, created_at) VALUES (?1, ?2)",
	[STMT_ORG_LIST] =
	    "SELECT id, name, created_at FROM orgs ORDER BY name, id "
	    "LIMIT " ORG_LIST_MAX,
	[STMT_ORG_GET] =
	    "SELECT id, name, created_at FROM orgs WHERE id = ?1",
	[STMT_ORG_BY_NAME] =
	    "SELECT id, name, created_at FROM orgs WHERE name = ?1",
	[STMT_USER_INSERT] =
	    "INSERT INTO users (org_id, email, name, role, is_operator, "
	    "active, password_hash, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, 0, 1, ?5, ?6)",
	[STMT_USER_GET] = USER_COLS "WHERE u.id = ?1",
	[STMT_USER_BY_EMAIL] = USER_COLS "WHERE u.email = ?1",
	[STMT_USER_LIST_ORG] = USER_COLS
	    "WHERE u.org_id = ?1 ORDER BY u.name, u.id LIMIT " ORG_LIST_MAX,
	[STMT_USER_BRIEF] =
	    "SELECT org_id, active, email FROM users WHERE id = ?1",
	[STMT_USER_SET_PASSWORD] =
	    "UPDATE users SET password_hash = ?2 WHERE id = ?1",
	[STMT_USER_SET_ACTIVE] =
	    "UPDATE users SET active = ?2 WHERE id = ?1",
	[STMT_USER_SET_OPERATOR] =
	    "UPDATE users SET is_operator = ?2 WHERE id = ?1",
};

const struct db_stmt_table org_stmts = { "org", org_sql, STMT_ORG__MAX };

const char *
user_role_name(enum user_role r)
{
	if ((int)r < 0 || r >= USER_ROLE__MAX)
		return "";
	return user_role_names[r];
}

int
user_can_manage(const struct user *actor, long long org_id)
{
	if (actor == NULL || actor->is_operator)
		return 1;
	return actor->active && actor->role == USER_ADMIN &&
	    actor->org_id == org_id;
}

enum kw_status
user_denied(const struct user *actor, enum kw_status st, const char *fmt,
    ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	kw_logx("denied: user %lld (org %lld) may not %s",
	    actor != NULL ? actor->id : 0, actor != NULL ? actor->org_id : 0,
	    what);
	return st;
}

char *
user_email_norm(struct arena *a, const char *email)
{
	const char *s = email, *e, *at;
	char *d;
	size_t i, n;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - s);
	if (n < 3 || n > USER_EMAIL_MAX)
		return NULL;
	d = arena_xstrndup(a, s, n);
	for (i = 0; i < n; i++) {
		if ((unsigned char)d[i] <= 0x20 || d[i] == 0x7f)
			return NULL;
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] - 'A' + 'a');
	}
	at = strchr(d, '@');
	if (at == NULL || at == d || at[1] == '\0' || strchr(at + 1, '@'))
		return NULL;
	return d;
}

/* db_row_fn for a struct org. */
static void
org_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct org *o = out;

	o->id = sqlite3_column_int64(st, 0);
	o->name = db_col_text(a, st, 1);
	o->created_at = db_col_text(a, st, 2);
}

void
user_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct user *u = out;

	u->id = sqlite3_column_int64(st, 0);
	u->org_id = sqlite3_column_int64(st, 1);
	u->org_name = db_col_text(a, st, 2);
	u->email = db_col_text(a, st, 3);
	u->name = db_col_text(a, st, 4);
	u->role = (enum user_role)db_col_enum(st, 5, user_role_names,
	    USER_MEMBER);
	u->is_operator = sqlite3_column_int(st, 6) != 0;
	u->active = sqlite3_column_int(st, 7) != 0;
	u->created_at = db_col_text(a, st, 8);
}

enum kw_status
org_create(struct db *db, const struct user *actor, const char *name,
    long long *id)
{
	sqlite3_stmt *st;
	char now[32];
	long long nid = 0;
	enum kw_status ret;

	if (actor != NULL && !actor->is_operator)
		return user_denied(actor, KW_FORBIDDEN, "create an org, id 0");
	if (!valid_text_ok(name, 1, ORG_NAME_MAX, 0))
		return KW_BADREQ;
	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &org_stmts, STMT_ORG_INSERT)) != NULL) {
		clock_iso(clock_now(), now, sizeof(now));
		db_bind_text(st, 1, name);
		db_bind_text(st, 2, now);
	}
	if ((ret = db_exec(db, st)) == KW_OK) {
		nid = db_last_id(db);
		ret = audit_log(db, actor, 0, "org", nid, "create", name);
	}
	if ((ret = db_finish(db, ret)) == KW_OK && id != NULL)
		*id = nid;
	return ret;
}

enum kw_status
org_list(struct db *db, struct arena *a, struct org **list, size_t *n)
{
	void *rows = NULL;
	enum kw_status ret;

	ret = db_rows(db, a, db_stmt(db, &org_stmts, STMT_ORG_LIST),
	    sizeof(**list), org_row, &rows, n);
	*list = rows;
	return ret;
}

/* The row of statement sid with ?1 bound to text, or to id if text is
 * NULL, into *out with fn, as db_one() reads it. */
static enum kw_status
org_one(struct db *db, struct arena *a, int sid, long long id,
    const char *text, db_row_fn fn, void *out)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &org_stmts, sid)) != NULL) {
		if (text != NULL)
			db_bind_text(st, 1, text);
		else
			db_bind_int(st, 1, id);
	}
	return db_one(db, a, st, fn, out);
}

enum kw_status
org_get(struct db *db, struct arena *a, long long id, struct org *o)
{
	memset(o, 0, sizeof(*o));
	return org_one(db, a, STMT_ORG_GET, id, NULL, org_row, o);
}

enum kw_status
org_by_name(struct db *db, struct arena *a, const char *name, struct org *o)
{
	memset(o, 0, sizeof(*o));
	if (name == NULL)
		return KW_NOTFOUND;
	return org_one(db, a, STMT_ORG_BY_NAME, 0, name, org_row, o);
}

enum kw_status
user_get(struct db *db, struct arena *a, long long id, struct user *u)
{
	memset(u, 0, sizeof(*u));
	return org_one(db, a, STMT_USER_GET, id, NULL, user_row, u);
}

enum kw_status
user_by_email(struct db *db, struct arena *a, const char *email,
    struct user *u)
{
	const char *e = user_email_norm(a, email);

	memset(u, 0, sizeof(*u));
	if (e == NULL)
		return KW_NOTFOUND;
	return org_one(db, a, STMT_USER_BY_EMAIL, 0, e, user_row, u);
}

enum kw_status
user_list_org(struct db *db, struct arena *a, long long org_id,
    struct user **list, size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	if ((st = db_stmt(db, &org_stmts, STMT_USER_LIST_ORG)) != NULL)
		db_bind_int(st, 1, org_id);
	ret = db_rows(db, a, st, sizeof(**list), user_row, &rows, n);
	*list = rows;
	return ret;
}

int
org_exists(struct db *db, long long id)
{
	return db_exists(db, &org_stmts, STMT_ORG_GET, id);
}

enum kw_status
user_create(struct db *db, const struct user *actor, long long org_id,
    const char *email, const char *name, enum user_role role,
    const char *password, long long *id)
{
	struct arena *a = NULL;
	sqlite3_stmt *st;
	char hash[AUTH_HASH_SIZE], now[32];
	const char *e;
	long long nid = 0;
	enum kw_status ret = KW_INTERNAL;
	int ex;

	hash[0] = '\0';
	if (!user_can_manage(actor, org_id)) {
		ret = user_denied(actor, KW_FORBIDDEN,
		    "create a user in org %lld", org_id);
		goto out;
	}
	if ((a = arena_new(1024, 0)) == NULL)
		goto out;
	ret = KW_BADREQ;
	if ((e = user_email_norm(a, email)) == NULL ||
	    !valid_text_ok(name, 1, USER_NAME_MAX, 0) || (int)role < 0 ||
	    role >= USER_ROLE__MAX)
		goto out;
	if ((ex = org_exists(db, org_id)) != 1) {
		ret = ex == 0 ? KW_NOTFOUND : KW_INTERNAL;
		goto out;
	}
	/* Hash before the transaction: it takes a while. */
	if ((ret = auth_hash(password, hash)) != KW_OK)
		goto out;
	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	if ((st = db_stmt(db, &org_stmts, STMT_USER_INSERT)) != NULL) {
		clock_iso(clock_now(), now, sizeof(now));
		db_bind_int(st, 1, org_id);
		db_bind_text(st, 2, e);
		db_bind_text(st, 3, name);
		db_bind_text(st, 4, user_role_names[role]);
		db_bind_text(st, 5, hash);
		db_bind_text(st, 6, now);
	}
	if ((ret = db_exec(db, st)) == KW_OK) {
		nid = db_last_id(db);
		ret = audit_log(db, actor, 0, "user", nid, "create",
		    arena_xprintf(a, "%s %s", e, user_role_names[role]));
	}
	if ((ret = db_finish(db, ret)) == KW_OK && id != NULL)
		*id = nid;
out:
	sodium_memzero(hash, sizeof(hash));
	arena_free(a);
	return ret;
}

/*
 * The org of user_id and whether actor may manage them: KW_OK,
 * KW_NOTFOUND (missing, or of another org and actor is no operator),
 * KW_FORBIDDEN (same org, not an admin) or a database status.
 */
static enum kw_status
target_check(struct db *db, const struct user *actor, long long user_id,
    const char *what)
{
	sqlite3_stmt *st;
	long long org_id;
	int rc;

	if ((st = db_stmt(db, &org_stmts, STMT_USER_BRIEF)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, user_id);
	rc = db_step(db, st);
	org_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	db_stmt_done(st);
	if (rc == SQLITE_DONE)
		return KW_NOTFOUND;
	if (rc != SQLITE_ROW)
		return db_status(rc);
	if (user_can_manage(actor, org_id))
		return KW_OK;
	return user_denied(actor, actor->org_id == org_id ? KW_FORBIDDEN :
	    KW_NOTFOUND, "%s %lld", what, user_id);
}

/* Run the UPDATE sid(user_id, text or v), end the user's sessions if
 * asked and audit action, all in one transaction. */
static enum kw_status
user_update(struct db *db, const struct user *actor, long long user_id,
    int sid, const char *text, long long v, int end_sessions,
    const char *action)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &org_stmts, sid)) != NULL) {
		db_bind_int(st, 1, user_id);
		if (text != NULL)
			db_bind_text(st, 2, text);
		else
			db_bind_int(st, 2, v);
	}
	if ((ret = db_exec(db, st)) == KW_OK && db_changes(db) != 1)
		ret = KW_NOTFOUND;
	if (ret == KW_OK && end_sessions)
		ret = auth_end_sessions(db, user_id);
	if (ret == KW_OK)
		ret = audit_log(db, actor, 0, "user", user_id, action, NULL);
	return db_finish(db, ret);
}

enum kw_status
user_set_password(struct db *db, const struct user *actor, long long user_id,
    const char *password)
{
	char hash[AUTH_HASH_SIZE];
	enum kw_status ret;

	hash[0] = '\0';
	if ((ret = target_check(db, actor, user_id, "reset the password of "
	    "user")) != KW_OK)
		return ret;
	if ((ret = auth_hash(password, hash)) == KW_OK)
		ret = user_update(db, actor, user_id, STMT_USER_SET_PASSWORD,
		    hash, 0, 1, "password-reset");
	sodium_memzero(hash, sizeof(hash));
	return ret;
}

enum kw_status
user_set_active(struct db *db, const struct user *actor, long long user_id,
    int active)
{
	enum kw_status ret;

	if ((ret = target_check(db, actor, user_id, active ?
	    "activate user" : "deactivate user")) != KW_OK)
		return ret;
	if (!active && actor != NULL && actor->id == user_id)
		return KW_CONFLICT;
	return user_update(db, actor, user_id, STMT_USER_SET_ACTIVE, NULL,
	    active ? 1 : 0, !active, active ? "activate" : "deactivate");
}

enum kw_status
user_set_operator(struct db *db, const struct user *actor,
    long long user_id, int is_operator)
{
	if (actor != NULL && !actor->is_operator)
		return user_denied(actor, KW_FORBIDDEN,
		    "change the operator flag of user %lld", user_id);
	return user_update(db, actor, user_id, STMT_USER_SET_OPERATOR, NULL,
	    is_operator ? 1 : 0, !is_operator,
	    is_operator ? "grant-operator" : "revoke-operator");
}
