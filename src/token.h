/* token.h: the API tokens with which partner systems call the exchange. */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>

#include "auth.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* What a token may do on the accounts it reaches. */
enum token_scope {
	TOKEN_READ = 0,		/* export, review snapshots, the feed */
	TOKEN_READ_WRITE,	/* also import */
	TOKEN_SCOPE__MAX
};

/* "read", "read-write", NULL (usable as VALID_ENUM choices). */
extern const char *const token_scope_names[TOKEN_SCOPE__MAX + 1];

#define TOKEN_NAME_MAX		100	/* bytes of a token's name */
#define TOKEN_ACCOUNTS_MAX	200	/* accounts one token reaches */
#define TOKEN_PREFIX		"kwt_"

/*
 * A token as its holder sends it: "kwt_", the token's id, "_" and 43
 * characters of base64url (256 random bits), e.g. kwt_12_Zm9v...; the id
 * finds the row, the random part is the secret. With its NUL it takes at
 * most TOKEN_SECRET_SIZE bytes.
 */
#define TOKEN_SECRET_SIZE	(sizeof(TOKEN_PREFIX) - 1 + 20 + 1 + \
				    AUTH_TOKEN_SIZE)

/* An account a token reaches. */
struct token_account {
	long long	 id;
	const char	*title;
};

/* A token as its org's admins see it (never its secret). Strings live in
 * the arena of the call that filled it. */
struct token {
	long long		 id;
	long long		 org_id;
	const char		*name;
	enum token_scope	 scope;
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*created_by_name; /* "" = the system */
	const char		*last_used_at;	/* "" = never used */
	const char		*revoked_at;	/* "" = in force */
	const char		*revoked_by_name; /* "" = the system */
	/* the accounts it reaches, by title (token_list() only) */
	struct token_account	*accounts;
	size_t			 naccounts;
};

/*
 * Issue a token named name (1..TOKEN_NAME_MAX bytes of one line) for
 * org_id with scope, reaching accounts[0..n-1] (1..TOKEN_ACCOUNTS_MAX
 * ids, repeats ignored), each an account org_id is party to. actor NULL
 * (the system), an operator or an active admin of org_id; anyone else
 * KW_FORBIDDEN. KW_BADREQ for a bad name, scope or list of accounts
 * (an account org_id is not party to included); KW_NOTFOUND for no such
 * org. One transaction, audited ("token", id, "create"). On success *id
 * (may be NULL) gets the token's id and secret the token itself, which
 * is shown to the admin once and stored nowhere: only a hash of it is
 * kept. On error nothing changes and secret is "".
 */
enum kw_status	 token_create(struct db *, const struct user *actor,
		    long long org_id, const char *name,
		    enum token_scope scope, const long long *accounts,
		    size_t n, long long *id, char secret[TOKEN_SECRET_SIZE]);

/*
 * Revoke token token_id of org_id: it is refused from then on. Who may:
 * as for token_create(). KW_NOTFOUND for a token that is not org_id's,
 * KW_CONFLICT for one revoked already. One transaction, audited ("token",
 * id, "revoke").
 */
enum kw_status	 token_revoke(struct db *, const struct user *actor,
		    long long org_id, long long token_id);

/* The tokens of org_id, newest first, revoked ones included, each with
 * the accounts it reaches, into *list[0..*n-1] (arena). */
enum kw_status	 token_list(struct db *, struct arena *, long long org_id,
		    struct token **list, size_t *n);

/*
 * The token that secret (as its holder sends it) is, into *out (strings
 * in the arena), comparing the hash in constant time. KW_OK for a token
 * in force; KW_UNAUTH for a malformed or unknown one, a wrong secret, or
 * a revoked token (then *out is filled, revoked_at set, so the refusal
 * can be recorded against it; otherwise out->id is 0); a database status
 * on error.
 */
enum kw_status	 token_check(struct db *, struct arena *,
		    const char *secret, struct token *out);

/* KW_OK if token t reaches account_id (it was issued for it, and its org
 * is still a party of it), else KW_NOTFOUND, like a missing account; or
 * a database status. */
enum kw_status	 token_reaches(struct db *, const struct token *t,
		    long long account_id);

/*
 * Record one call made with token t: its last use (unless it is revoked)
 * and an audit event ("token", id, "call", detail: the request and its
 * status; never the secret), in one transaction. KW_OK or a database
 * status (the caller logs it: the response has gone out already).
 */
enum kw_status	 token_call(struct db *, const struct token *t,
		    const char *detail);

extern const struct db_stmt_table token_stmts;

#endif /* TOKEN_H */
