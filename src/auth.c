/* auth.c: passwords, login throttling, sessions and CSRF tokens (libsodium). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"

#define TOKEN_BYTES	32
#define TOKEN_LEN	(AUTH_TOKEN_SIZE - 1)
#define PW_OPSLIMIT	crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEMLIMIT	crypto_pwhash_MEMLIMIT_INTERACTIVE
#define EMAIL_MAX	254
#define ADDR_MAX	64

_Static_assert(AUTH_HASH_SIZE == crypto_pwhash_STRBYTES,
    "AUTH_HASH_SIZE must be crypto_pwhash_STRBYTES");
_Static_assert(AUTH_DIGEST_SIZE == crypto_generichash_BYTES * 2 + 1,
    "AUTH_DIGEST_SIZE must fit the hex of a BLAKE2b-256 hash");
_Static_assert(AUTH_TOKEN_SIZE == sodium_base64_ENCODED_LEN(TOKEN_BYTES,
    sodium_base64_VARIANT_URLSAFE_NO_PADDING),
    "AUTH_TOKEN_SIZE must fit 32 bytes as base64url");

/*
 * Verified against when the email is unknown, so that an unknown user
 * costs the same argon2id work as a wrong password (same parameters as
 * auth_hash() uses). It matches no password anyone would type.
 */
static const char dummy_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$wcEMEOkzHGRsMk/dSrmJtQ$"
    "X6yQQPrA+nHh4MmEv7VO0hi3a4xSKDeL1kkdKmP87Zg";

enum auth_stmt {
	STMT_AUTH_FAILS_EMAIL,
	STMT_AUTH_FAILS_ADDR,
	STMT_AUTH_FAIL_INSERT,
	STMT_AUTH_FAILS_PRUNE,
	STMT_AUTH_FAILS_CLEAR,
	STMT_AUTH_USER_LOGIN,
	STMT_AUTH_REHASH,
	STMT_AUTH_SESSION_INSERT,
	STMT_AUTH_SESSION_GET,
	STMT_AUTH_SESSION_TOUCH,
	STMT_AUTH_SESSION_DELETE,
	STMT_AUTH_SESSION_DELETE_ID,
	STMT_AUTH_SESSIONS_END_USER,
	STMT_AUTH__MAX
};

static const char *const auth_sql[STMT_AUTH__MAX] = {
	[STMT_AUTH_FAILS_EMAIL] =
	    "SELECT count(*) FROM login_attempts WHERE email = ?1 AND at > ?2",
	[STMT_AUTH_FAILS_ADDR] =
	    "SELECT count(*) FROM login_attempts WHERE addr = ?1 AND at > ?2",
	[STMT_AUTH_FAIL_INSERT] =
	    "INSERT INTO login_attempts (email, addr, at) VALUES (?1, ?2, ?3)",
	[STMT_AUTH_FAILS_PRUNE] =
	    "DELETE FROM login_attempts WHERE at <= ?1",
	[STMT_AUTH_FAILS_CLEAR] =
	    "DELETE FROM login_attempts WHERE email = ?1",
	[STMT_AUTH_USER_LOGIN] =
	    "SELECT id, password_hash, active FROM users WHERE email = ?1",
	[STMT_AUTH_REHASH] =
	    "UPDATE users SET password_hash = ?3 "
	    "WHERE id = ?1 AND password_hash = ?2",
	[STMT_AUTH_SESSION_INSERT] =
	    "INSERT INTO sessions (token_hash, user_id, csrf, created_at, "
	    "last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
	/* The session with its user and the user's unread notifications,
	 * which every page needs. */
	[STMT_AUTH_SESSION_GET] =
	    "SELECT " USER_FIELDS ", s.id, s.csrf, s.created_at, "
	    "s.last_seen_at, u.unread_notifications FROM sessions s "
	    "JOIN users u ON u.id = s.user_id "
	    "JOIN orgs o ON o.id = u.org_id WHERE s.token_hash = ?1",
	[STMT_AUTH_SESSION_TOUCH] =
	    "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",
	[STMT_AUTH_SESSION_DELETE] =
	    "DELETE FROM sessions WHERE token_hash = ?1",
	[STMT_AUTH_SESSION_DELETE_ID] =
	    "DELETE FROM sessions WHERE id = ?1",
	[STMT_AUTH_SESSIONS_END_USER] =
	    "DELETE FROM sessions WHERE user_id = ?1",
};

const struct db_stmt_table auth_stmts = { "auth", auth_sql, STMT_AUTH__MAX };

static int sodium_ready;

int
auth_init(void)
{
	if (sodium_ready)
		return 0;
	if (sodium_init() < 0) {
		kw_logx("auth: libsodium cannot be initialised");
		return -1;
	}
	sodium_ready = 1;
	return 0;
}

/* Like auth_init(), for places that cannot fail: without a CSPRNG we
 * must not hand out tokens. */
static void
auth_init_or_die(void)
{
	if (auth_init() != 0)
		abort();
}

enum kw_status
auth_hash(const char *password, char out[AUTH_HASH_SIZE])
{
	size_t n;

	out[0] = '\0';
	if (password == NULL)
		return KW_BADREQ;
	n = strlen(password);
	if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX)
		return KW_BADREQ;
	if (auth_init() != 0)
		return KW_INTERNAL;
	if (crypto_pwhash_str(out, password, n, PW_OPSLIMIT, PW_MEMLIMIT) !=
	    0) {
		kw_logx("auth: crypto_pwhash_str failed (out of memory?)");
		out[0] = '\0';
		return KW_INTERNAL;
	}
	return KW_OK;
}

int
auth_verify(const char *hash, const char *password)
{
	if (hash == NULL || password == NULL || auth_init() != 0)
		return 0;
	if (strnlen(hash, AUTH_HASH_SIZE) >= AUTH_HASH_SIZE)
		return 0;
	return crypto_pwhash_str_verify(hash, password,
	    strlen(password)) == 0;
}

int
auth_needs_rehash(const char *hash)
{
	if (hash == NULL || auth_init() != 0)
		return 1;
	return crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT,
	    PW_MEMLIMIT) != 0;
}

void
auth_token_new(char *dst)
{
	unsigned char bin[TOKEN_BYTES];

	auth_init_or_die();
	randombytes_buf(bin, sizeof(bin));
	sodium_bin2base64(dst, AUTH_TOKEN_SIZE, bin, sizeof(bin),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bin, sizeof(bin));
}

int
auth_token_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return 0;
	if ((n = strlen(a)) != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}

/* 1 if s has the shape of a token we issue. */
static int
token_shaped(const char *s)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";

	return s != NULL && strnlen(s, TOKEN_LEN + 1) == TOKEN_LEN &&
	    strspn(s, alphabet) == TOKEN_LEN;
}

void
auth_token_digest(const char *token, char dst[AUTH_DIGEST_SIZE])
{
	unsigned char h[crypto_generichash_BYTES];

	auth_init_or_die();
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(dst, AUTH_DIGEST_SIZE, h, sizeof(h));
}

/* Count the rows of statement sid for (text, since); -1 on error. */
static long long
count_fails(struct db *db, int sid, const char *text, const char *since)
{
	sqlite3_stmt *st;
	long long n = -1;

	if ((st = db_stmt(db, &auth_stmts, sid)) == NULL)
		return -1;
	db_bind_text(st, 1, text);
	db_bind_text(st, 2, since);
	if (db_step(db, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	return n;
}

/* Record a failed attempt and forget those older than the window. */
static enum kw_status
record_failure(struct db *db, const char *email, const char *addr,
    const char *now, const char *since)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_FAIL_INSERT)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, addr);
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_FAILS_PRUNE)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	db_bind_text(st, 1, since);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	return db_commit(db);
out:
	db_rollback(db);
	return ret;
}

/* The lower-cased copy of email in a (ASCII letters only; the core
 * stores emails that way), or NULL if empty or too long. */
static char *
email_key(struct arena *a, const char *email)
{
	char *e;
	size_t i, n;

	if (email == NULL || (n = strlen(email)) == 0 || n > EMAIL_MAX)
		return NULL;
	e = arena_xstrndup(a, email, n);
	for (i = 0; i < n; i++)
		if (e[i] >= 'A' && e[i] <= 'Z')
			e[i] = (char)(e[i] - 'A' + 'a');
	return e;
}

/* Store a new session for user_id; fill out (strings in a). */
static enum kw_status
session_new(struct db *db, struct arena *a, long long user_id,
    const char *now, struct auth_session *out)
{
	sqlite3_stmt *st;
	char token[AUTH_TOKEN_SIZE], csrf[AUTH_TOKEN_SIZE];
	char hash[AUTH_DIGEST_SIZE];
	enum kw_status ret;

	auth_token_new(token);
	auth_token_new(csrf);
	auth_token_digest(token, hash);
	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_SESSION_INSERT)) == NULL)
		return KW_INTERNAL;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, csrf);
	db_bind_text(st, 4, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	out->id = db_last_id(db);
	out->user_id = user_id;
	out->token = arena_xstrdup(a, token);
	out->csrf = arena_xstrdup(a, csrf);
	out->created_at = arena_xstrdup(a, now);
	out->last_seen_at = out->created_at;
out:
	sodium_memzero(token, sizeof(token));
	return ret;
}

enum kw_status
auth_login(struct db *db, struct arena *a, const char *email,
    const char *password, const char *addr, struct auth_session *out,
    struct user *user)
{
	sqlite3_stmt *st;
	char now[32], since[32], newhash[AUTH_HASH_SIZE];
	const char *e, *hash = NULL;
	long long uid = 0, nemail, naddr;
	enum kw_status ret = KW_INTERNAL;
	int active = 0, ok, rc, intx = 0, rehash = 0;
	time_t t;

	memset(out, 0, sizeof(*out));
	memset(user, 0, sizeof(*user));
	newhash[0] = '\0';
	if (auth_init() != 0)
		return KW_INTERNAL;
	if (password == NULL)
		password = "";
	if (addr == NULL || strlen(addr) > ADDR_MAX)
		addr = "";
	t = clock_now();
	clock_iso(t, now, sizeof(now));
	clock_iso(t - AUTH_FAIL_WINDOW, since, sizeof(since));

	if ((e = email_key(a, email)) == NULL) {
		(void)auth_verify(dummy_hash, password);
		kw_logx("login failed: malformed email, addr %s", addr);
		return KW_UNAUTH;
	}

	/* Throttle before the password is looked at. */
	nemail = count_fails(db, STMT_AUTH_FAILS_EMAIL, e, since);
	naddr = *addr == '\0' ? 0 :
	    count_fails(db, STMT_AUTH_FAILS_ADDR, addr, since);
	if (nemail < 0 || naddr < 0)
		return KW_INTERNAL;
	if (nemail >= AUTH_FAIL_MAX_EMAIL || naddr >= AUTH_FAIL_MAX_ADDR) {
		kw_logx("login throttled: email %s, addr %s", e, addr);
		return KW_TOOMANY;
	}

	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_USER_LOGIN)) == NULL)
		return KW_INTERNAL;
	db_bind_text(st, 1, e);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		uid = sqlite3_column_int64(st, 0);
		hash = db_col_text(a, st, 1);
		active = sqlite3_column_int(st, 2) != 0;
	}
	db_stmt_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_status(rc);

	/* The same work whether or not the user exists or is active. */
	ok = auth_verify(hash != NULL ? hash : dummy_hash, password);
	if (!ok || !active || uid == 0) {
		if ((ret = record_failure(db, e, addr, now, since)) != KW_OK)
			return ret;
		kw_logx("login failed: email %s, addr %s", e, addr);
		return KW_UNAUTH;
	}

	/* Upgrade an outdated hash while we know the password. */
	if (auth_needs_rehash(hash) && auth_hash(password, newhash) == KW_OK)
		rehash = 1;

	if ((ret = db_begin(db)) != KW_OK)
		goto out;
	intx = 1;
	if (rehash) {
		if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_REHASH)) == NULL) {
			ret = KW_INTERNAL;
			goto out;
		}
		db_bind_int(st, 1, uid);
		db_bind_text(st, 2, hash);
		db_bind_text(st, 3, newhash);
		if ((ret = db_exec(db, st)) != KW_OK)
			goto out;
	}
	if ((ret = session_new(db, a, uid, now, out)) != KW_OK)
		goto out;
	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_FAILS_CLEAR)) == NULL) {
		ret = KW_INTERNAL;
		goto out;
	}
	db_bind_text(st, 1, e);
	if ((ret = db_exec(db, st)) != KW_OK)
		goto out;
	intx = 0;
	if ((ret = db_commit(db)) != KW_OK)
		goto out;
	if ((ret = user_get(db, a, uid, user)) != KW_OK)
		goto out;
	kw_logx("login: user %lld (org %lld), addr %s%s", user->id,
	    user->org_id, addr, rehash ? ", password hash upgraded" : "");
out:
	if (intx)
		db_rollback(db);
	if (ret != KW_OK) {
		memset(out, 0, sizeof(*out));
		memset(user, 0, sizeof(*user));
	}
	return ret;
}

/* Delete one session by id, outside any transaction (one statement). */
static void
session_drop(struct db *db, long long id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_SESSION_DELETE_ID)) !=
	    NULL) {
		db_bind_int(st, 1, id);
		(void)db_exec(db, st);
	}
}

enum kw_status
auth_session_get(struct db *db, struct arena *a, const char *token,
    struct auth_session *out, struct user *user)
{
	sqlite3_stmt *st;
	char hash[AUTH_DIGEST_SIZE], now[32];
	time_t t, created, seen;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(user, 0, sizeof(*user));
	if (!token_shaped(token))
		return KW_UNAUTH;
	auth_token_digest(token, hash);
	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_SESSION_GET)) == NULL)
		return KW_INTERNAL;
	db_bind_text(st, 1, hash);
	rc = db_step(db, st);
	if (rc == SQLITE_ROW) {
		user_row(a, st, user);
		out->user_id = user->id;
		out->id = sqlite3_column_int64(st, USER_FIELDS_N);
		out->csrf = db_col_text(a, st, USER_FIELDS_N + 1);
		out->created_at = db_col_text(a, st, USER_FIELDS_N + 2);
		out->last_seen_at = db_col_text(a, st, USER_FIELDS_N + 3);
		out->unread = sqlite3_column_int64(st, USER_FIELDS_N + 4);
	}
	db_stmt_done(st);
	if (rc != SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		memset(user, 0, sizeof(*user));
		return rc == SQLITE_DONE ? KW_UNAUTH : db_status(rc);
	}

	t = clock_now();
	if (clock_parse_iso(out->created_at, &created) != 0 ||
	    clock_parse_iso(out->last_seen_at, &seen) != 0 || !user->active ||
	    t - seen > AUTH_IDLE_SECS || t - created > AUTH_ABSOLUTE_SECS) {
		session_drop(db, out->id);
		memset(out, 0, sizeof(*out));
		memset(user, 0, sizeof(*user));
		return KW_UNAUTH;
	}
	if (t - seen >= AUTH_TOUCH_SECS &&
	    (st = db_stmt(db, &auth_stmts, STMT_AUTH_SESSION_TOUCH)) != NULL) {
		clock_iso(t, now, sizeof(now));
		db_bind_int(st, 1, out->id);
		db_bind_text(st, 2, now);
		/* A busy database must not sign the user out. */
		if (db_exec(db, st) == KW_OK) {
			out->last_seen_at = arena_xstrdup(a, now);
			out->touched = 1;
		}
	}
	return KW_OK;
}

enum kw_status
auth_logout(struct db *db, const char *token)
{
	sqlite3_stmt *st;
	char hash[AUTH_DIGEST_SIZE];

	if (!token_shaped(token))
		return KW_OK;
	auth_token_digest(token, hash);
	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_SESSION_DELETE)) == NULL)
		return KW_INTERNAL;
	db_bind_text(st, 1, hash);
	return db_exec(db, st);
}

enum kw_status
auth_end_sessions(struct db *db, long long user_id)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &auth_stmts, STMT_AUTH_SESSIONS_END_USER)) ==
	    NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, user_id);
	return db_exec(db, st);
}
