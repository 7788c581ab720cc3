/* auth.h: passwords, login throttling, sessions and CSRF tokens (libsodium). */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* A token: 32 random bytes as base64url without padding (43) + NUL. */
#define AUTH_TOKEN_SIZE		44
/* An encoded argon2id hash incl. NUL (crypto_pwhash_STRBYTES). */
#define AUTH_HASH_SIZE		128

#define AUTH_IDLE_SECS		(2 * 60 * 60)	/* idle expiry */
#define AUTH_ABSOLUTE_SECS	(12 * 60 * 60)	/* absolute expiry */
#define AUTH_TOUCH_SECS		60	/* last_seen_at resolution */
#define AUTH_FAIL_WINDOW	(15 * 60)	/* throttling window */
#define AUTH_FAIL_MAX_EMAIL	5	/* failures per email in the window */
#define AUTH_FAIL_MAX_ADDR	20	/* failures per address in the window */
#define AUTH_PASSWORD_MIN	8	/* bytes; enforced by auth_hash */
#define AUTH_PASSWORD_MAX	1024

/* A session. Strings live in the arena passed to the call. */
struct auth_session {
	long long	 id;
	long long	 user_id;
	const char	*token;		/* plain token: only set by auth_login */
	const char	*csrf;		/* this session's CSRF token */
	const char	*created_at;	/* UTC ISO-8601 */
	const char	*last_seen_at;
	int		 touched;	/* last_seen_at was moved on by this
					 * call: the first request of a minute */
	long long	 unread;	/* the user's unread notifications
					 * when the session was read */
};

/*
 * Initialise libsodium once (every function here also does it). Returns
 * 0, or -1 if the library cannot be used (logged).
 */
int		 auth_init(void);

/*
 * Hash password with argon2id (crypto_pwhash_str, OPSLIMIT/MEMLIMIT
 * _INTERACTIVE) into out. KW_BADREQ if its length is outside
 * [AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX] or it holds a NUL; KW_INTERNAL
 * if hashing fails (out of memory). Never truncated or case-folded.
 */
enum kw_status	 auth_hash(const char *password, char out[AUTH_HASH_SIZE]);

/* 1 if password matches the encoded hash, else 0 (also for bad hashes). */
int		 auth_verify(const char *hash, const char *password);

/* 1 if hash was made with other parameters than auth_hash() uses now. */
int		 auth_needs_rehash(const char *hash);

/*
 * Sign in. email is matched case-insensitively. On success a new session
 * is stored (its token and CSRF token are fresh random values; only
 * their hash is stored for the token), *out gets the plain token (valid
 * for this arena's life), *user the user, earlier failures for this
 * email are forgotten, and an outdated password hash is upgraded.
 * Returns KW_UNAUTH alike for an unknown email, a wrong password and an
 * inactive user (after the same argon2id work), KW_TOOMANY when the
 * email or the address addr (may be NULL) has too many recent failures
 * (then the password is not checked), KW_BUSY/KW_INTERNAL on database
 * errors. Each outcome is logged without secrets.
 */
enum kw_status	 auth_login(struct db *, struct arena *, const char *email,
		    const char *password, const char *addr,
		    struct auth_session *out, struct user *user);

/*
 * The session for a plain token and its user. KW_UNAUTH if the token is
 * malformed, unknown, idle longer than AUTH_IDLE_SECS, older than
 * AUTH_ABSOLUTE_SECS (expired sessions are deleted) or its user is
 * inactive. Updates last_seen_at at most once per AUTH_TOUCH_SECS.
 * out->token is NULL. Strings live in the arena.
 */
enum kw_status	 auth_session_get(struct db *, struct arena *,
		    const char *token, struct auth_session *out,
		    struct user *user);

/* Delete the session of token (nothing if unknown). KW_OK or a db error. */
enum kw_status	 auth_logout(struct db *, const char *token);

/*
 * Delete all sessions of user_id. For use inside the caller's transaction
 * (password reset, deactivation). KW_OK or a db error.
 */
enum kw_status	 auth_end_sessions(struct db *, long long user_id);

/* Fill dst (AUTH_TOKEN_SIZE bytes) with a new random token. */
void		 auth_token_new(char *dst);

/* The stored form of a secret token: the hex of its BLAKE2b-256 hash
 * (crypto_generichash) and a NUL. Fit for secrets of 128 random bits or
 * more (sessions, API tokens), not for passwords. */
#define AUTH_DIGEST_SIZE	65
void		 auth_token_digest(const char *token,
		    char dst[AUTH_DIGEST_SIZE]);

/* 1 if a and b are equal strings, compared in constant time for equal
 * lengths (sodium_memcmp); 0 otherwise, also if either is NULL. */
int		 auth_token_equal(const char *a, const char *b);

extern const struct db_stmt_table auth_stmts;

#endif /* AUTH_H */
