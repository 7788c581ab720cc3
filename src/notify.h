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

extern const struct db_stmt_table notify_stmts;

#endif /* NOTIFY_H */
