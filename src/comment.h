/* comment.h: discussion threads on ledger entries. */
#ifndef COMMENT_H
#define COMMENT_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* Longest comment, in bytes. */
#define COMMENT_MAX	10000

/* One comment. Strings live in the arena passed to the call. */
struct comment {
	long long		 id;
	long long		 account_id;
	const char		*entity;	/* "promise", ... */
	long long		 entity_id;
	enum account_side	 side;		/* the author's side */
	long long		 author_id;
	const char		*author_name;
	const char		*author_org;
	const char		*body;		/* "" once withdrawn */
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*withdrawn_at;	/* "" = standing */
};

/*
 * Whether actor may comment on entry entity_id of kind entity (a name
 * of entry_names: "expectation", ...) in account_id: KW_OK, or
 * KW_NOTFOUND when the account is not visible to actor's org, entity is
 * not a ledger entity, or the entry is not in that account. acct (may
 * be NULL) gets the account as account_get() gives it. Pages call it to
 * answer 404 before they look at the form.
 */
enum kw_status	 comment_target(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *entity, long long entity_id,
		    struct account *acct);

/*
 * Add actor's comment body (1..COMMENT_MAX bytes of UTF-8, not blank,
 * no control characters but LF and TAB) to the entry, as
 * comment_target() checks it. *id (may be NULL) gets the new id.
 * KW_NOTFOUND as for comment_target(), KW_BADREQ for a bad body; on
 * error nothing is written. One transaction, audited.
 */
enum kw_status	 comment_add(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *entity, long long entity_id, const char *body,
		    long long *id);

/*
 * Withdraw comment comment_id of account_id: its text is no longer
 * shown, the row stays. Only its author may (KW_FORBIDDEN otherwise);
 * KW_NOTFOUND for a comment that is not in an account visible to actor;
 * KW_CONFLICT if it is already withdrawn. out (may be NULL) gets the
 * comment as it was before, so a page knows its entry. One transaction,
 * audited; on error nothing changes.
 */
enum kw_status	 comment_withdraw(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long comment_id, struct comment *out);

/* comment_add() and comment_withdraw() (c gets the comment, as read
 * before the change) inside a transaction the caller holds (db_begin()):
 * the same checks, statuses and audit events; on any status but KW_OK
 * the caller must roll back. */
enum kw_status	 comment_add_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *entity, long long entity_id, const char *body,
		    long long *id);
enum kw_status	 comment_withdraw_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long comment_id, struct comment *c);

/*
 * Comment comment_id of account_id as seen by actor into *c.
 * KW_NOTFOUND if missing or in an account actor's org is not party to.
 */
enum kw_status	 comment_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long comment_id, struct comment *c);

/*
 * The thread of an entry, oldest first, into *list[0..*n-1] (arena);
 * withdrawn comments come with body "". KW_NOTFOUND if the account is
 * not visible to actor's org or entity is not a ledger entity. At most
 * 1000 comments.
 */
enum kw_status	 comment_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *entity, long long entity_id,
		    struct comment **list, size_t *n);

extern const struct db_stmt_table comment_stmts;

#endif /* COMMENT_H */
