/* update.h: strategic updates that keep the other side of an account in the loop. */
#ifndef UPDATE_H
#define UPDATE_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* What an update is about. Either side may post any kind; the buyer
 * typically shares direction and needs, the supplier developments. */
enum update_kind {
	UPDATE_DIRECTION = 0,
	UPDATE_NEED,
	UPDATE_DEVELOPMENT,
	UPDATE_ORGANISATION,
	UPDATE_KIND__MAX
};

/* What a user may do to a posted update. */
enum update_action {
	UPDATE_READ = 0,	/* the other side's users, once each */
	UPDATE_WITHDRAW,	/* the author's side */
	UPDATE_ACTION__MAX
};

/* "direction", "need", "development", "organisation", NULL (VALID_ENUM
 * choices); "read", "withdraw", NULL (audit actions). */
extern const char *const update_kind_names[UPDATE_KIND__MAX + 1];
extern const char *const update_action_names[UPDATE_ACTION__MAX + 1];

/* A list filter: read by someone of the other side than the author's,
 * or not (yet). */
enum update_seen {
	UPDATE_SEEN = 0,
	UPDATE_UNSEEN,
	UPDATE_SEEN__MAX	/* also: either */
};

/* "yes", "no", NULL (VALID_ENUM choices of the filter). */
extern const char *const update_seen_names[UPDATE_SEEN__MAX + 1];

/* Limits in bytes, as the schema checks them. */
#define UPDATE_TITLE_MAX	200
#define UPDATE_BODY_MAX		10000

/* One update as a given user sees it. Strings live in the arena. */
struct update {
	long long		 id;
	long long		 account_id;
	enum account_side	 side;		/* the author's side */
	enum update_kind	 kind;
	const char		*title;
	const char		*body;
	long long		 created_by;
	const char		*created_by_name;
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*withdrawn_at;	/* "" = not withdrawn */
	int			 unread;	/* from the other side, not
						   yet read by the viewer */
	size_t			 reads;		/* users who have read it */
};

/* One user who has read an update. */
struct update_reader {
	long long	 user_id;
	const char	*name;
	const char	*read_at;	/* UTC ISO-8601 */
};

/*
 * Every function takes the acting user (never NULL) and the account as
 * the caller sees it; an account the actor's org is not party to, and
 * an update that is not in that account, answer KW_NOTFOUND. Writes are
 * one transaction each with an audit row ("update", id, action); when a
 * write is refused nothing changes.
 */

/*
 * Whether a user of side may take action on an update by author_side,
 * withdrawn or not: KW_OK; KW_FORBIDDEN for the wrong side (reading
 * one's own side's update, withdrawing the other side's) or no party;
 * KW_CONFLICT for a withdrawn update.
 */
enum kw_status	 update_may(enum account_side author_side, int withdrawn,
		    enum account_side side, enum update_action action);

/*
 * The actor's side posts an update of kind with title (1..200 bytes, one
 * line) and body (1..10000 bytes, multi-line). The other side's active
 * users are notified (NOTIFY_UPDATE). *id (may be NULL) gets its id.
 * KW_BADREQ for a bad kind or text.
 */
enum kw_status	 update_create(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    enum update_kind kind, const char *title, const char *body,
		    long long *id);

/*
 * update_create() for a caller that holds the transaction (db_begin())
 * and writes more in it (the XML import): the same checks, insert,
 * audit event and notices. On any status but KW_OK the caller must roll
 * back (db_finish()); *id is set only on KW_OK.
 */
enum kw_status	 update_create_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    enum update_kind kind, const char *title, const char *body,
		    long long *id);

/* Which updates update_list() returns: one page of them. */
struct update_query {
	enum update_kind	 kind;		/* UPDATE_KIND__MAX: any */
	enum account_side	 side;		/* author's; __MAX: any */
	/* shared on the days from..to (YYYY-MM-DD, inclusive; NULL leaves
	 * an end open), as update_figures() counts them */
	const char		*from;
	const char		*to;
	enum update_seen	 seen;		/* UPDATE_SEEN__MAX: either */
	size_t			 limit;		/* 1..1000 */
	size_t			 offset;
};

/*
 * One page of the account's updates that are not withdrawn and match q:
 * first the actor's unread ones from the other side, then the rest,
 * newest first in each group, into *list[0..*n-1] (arena); *total (may
 * be NULL) counts all that match. KW_BADREQ for a bad query (a bad date,
 * from after to).
 */
enum kw_status	 update_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct update_query *q, struct update **list,
		    size_t *n, size_t *total);

/*
 * What the scorecards of a review period from..to (YYYY-MM-DD) count of
 * the updates each side shared in acct, in one query: those not
 * withdrawn, created on those days, into shared[side], and of them those
 * someone of the other side's org has read (at any time) into
 * seen[side]. Call it only for an account from account_get() (the
 * caller checked access). KW_BADREQ for a bad period; the figures are 0
 * on error.
 */
enum kw_status	 update_figures(struct db *, long long account_id,
		    const char *from, const char *to,
		    long long shared[SIDE__MAX], long long seen[SIDE__MAX]);

/* Update id of account_id into *u (arena), withdrawn ones included. */
enum kw_status	 update_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct update *u);

/* Who has read update id, in the order they read it, into
 * *list[0..*n-1] (arena); *audience (may be NULL) gets the number of
 * active users on the side it was written for. */
enum kw_status	 update_readers(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct update_reader **list, size_t *n,
		    size_t *audience);

/*
 * The actor marks an update of the other side read; marking it again
 * changes nothing and is KW_OK. The actor's notifications of it are
 * marked read too. KW_FORBIDDEN for an update of the actor's own side;
 * KW_CONFLICT if it was withdrawn.
 */
enum kw_status	 update_mark_read(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id);

/* The author's side withdraws an update: it leaves the lists of both
 * sides and stays in the database. KW_FORBIDDEN for the other side;
 * KW_CONFLICT if already withdrawn. */
enum kw_status	 update_withdraw(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id);

/* update_mark_read() or update_withdraw() (by action) inside a
 * transaction the caller holds, with the same checks and statuses; on
 * any status but KW_OK the caller must roll back. */
enum kw_status	 update_act_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, enum update_action action);

/* How many updates of the other side, not withdrawn, the actor has not
 * read yet (for the account overview). */
enum kw_status	 update_unread_count(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    size_t *n);

extern const struct db_stmt_table update_stmts;

#endif /* UPDATE_H */
