/* notify.h: each user's inbox of things that want their attention. */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* The kinds of notification; names as stored. */
enum notify_kind {
	NOTIFY_UPDATE = 0,	/* a strategic update to read */
	NOTIFY_DELIVERY,	/* a delivery to confirm */
	NOTIFY_DISPUTE,		/* a delivery was disputed */
	NOTIFY_DUE_SOON,	/* a promise falls due within 7 days */
	NOTIFY_OVERDUE,		/* a promise is overdue */
	NOTIFY_CONCERN,		/* a concern was raised */
	NOTIFY_EXPECTATION,	/* an expectation to acknowledge */
	NOTIFY_DUE_CHANGE,	/* a new due date to accept or decline */
	NOTIFY_RESOLUTION,	/* a resolution to accept */
	NOTIFY_PROMISE,		/* a promise made, confirmed kept or given up */
	NOTIFY_REVIEW,		/* a review to hold or sign */
	NOTIFY__MAX
};

extern const char *const notify_kind_names[NOTIFY__MAX + 1];

/*
 * Notify every active user of the org on side `to` of account acct (as
 * returned by account_get) of kind about entity/entity_id, with text
 * (1..400 bytes, plain text; templates escape it). The actor is never
 * notified of their own action. key makes the notice idempotent per
 * user: a second call with the same key adds nothing. Call it inside
 * the caller's write transaction. Returns KW_OK or a database status.
 */
enum kw_status	 notify_side(struct db *, const struct user *actor,
		    const struct account *acct, enum account_side to,
		    enum notify_kind kind, const char *entity,
		    long long entity_id, const char *text, const char *key);

/* One notification in a user's inbox. Strings live in the arena. */
struct notification {
	long long	 id;
	long long	 account_id;
	const char	*account_title;
	const char	*kind;		/* a notify_kind_names entry */
	const char	*entity;	/* "promise", ... */
	long long	 entity_id;
	const char	*text;
	const char	*created_at;	/* UTC ISO-8601 */
	const char	*read_at;	/* "" = unread */
};

/*
 * actor's notifications, newest first, only the unread ones if
 * unread_only, at most limit (1..1000) from offset, into *list[0..*n-1]
 * (arena). KW_BADREQ for limit outside 1..1000.
 */
enum kw_status	 notify_list(struct db *, struct arena *,
		    const struct user *actor, int unread_only, size_t limit,
		    size_t offset, struct notification **list, size_t *n);

/* How many notifications actor has (only unread ones if unread_only)
 * into *n. One indexed query: cheap enough for every page. */
enum kw_status	 notify_count(struct db *, const struct user *actor,
		    int unread_only, size_t *n);

/* The figure the navigation shows: the unread ones, read from a count
 * the database keeps, so that it costs every page the same. From
 * NOTIFY_BADGE_MAX on, the navigation shows "99+". */
#define NOTIFY_BADGE_MAX	100
enum kw_status	 notify_unread_count(struct db *, const struct user *actor,
		    size_t *n);

/* Notification id of actor into *out; KW_NOTFOUND if it is missing or
 * another user's. */
enum kw_status	 notify_get(struct db *, struct arena *,
		    const struct user *actor, long long id,
		    struct notification *out);

/* Mark actor's notification id read (a no-op if it already is).
 * KW_NOTFOUND if it is missing or another user's; nothing changes. */
enum kw_status	 notify_mark_read(struct db *, const struct user *actor,
		    long long id);

/* Mark all of actor's notifications read; *n (may be NULL) gets how
 * many were unread. */
enum kw_status	 notify_mark_all_read(struct db *, const struct user *actor,
		    size_t *n);

extern const struct db_stmt_table notify_stmts;

#endif /* NOTIFY_H */
