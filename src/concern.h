/* concern.h: problems raised openly by one side and resolved together. */
#ifndef CONCERN_H
#define CONCERN_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/*
 * open ──the other side proposes a resolution──▶ proposed
 * proposed ──the raising side accepts──▶ resolved
 * proposed ──the raising side rejects (reason)──▶ open
 * open, proposed ──the raising side withdraws──▶ withdrawn
 */
enum concern_state {
	CONCERN_OPEN = 0,
	CONCERN_PROPOSED,
	CONCERN_RESOLVED,
	CONCERN_WITHDRAWN,
	CONCERN_STATE__MAX	/* also: "any state" in a filter */
};

enum concern_action {
	CONCERN_PROPOSE = 0,
	CONCERN_ACCEPT,
	CONCERN_REJECT,
	CONCERN_WITHDRAW,
	CONCERN_ACTION__MAX
};

/* "open", "proposed", "resolved", "withdrawn", NULL (VALID_ENUM). */
extern const char *const concern_state_names[CONCERN_STATE__MAX + 1];
/* "propose", "accept", "reject", "withdraw", NULL (audit actions). */
extern const char *const concern_action_names[CONCERN_ACTION__MAX + 1];

#define CONCERN_TITLE_MAX	200
#define CONCERN_DETAIL_MAX	10000
#define CONCERN_RESOLUTION_MAX	10000
#define CONCERN_REASON_MAX	2000

/* One concern. Strings live in the arena of the call that filled it. */
struct concern {
	long long		 id;
	long long		 account_id;
	enum account_side	 raised_by;	/* the raising side */
	const char		*title;
	const char		*detail;	/* "" = none */
	enum concern_state	 state;
	/* The latest proposed resolution ("" = none yet): the one to
	 * decide on (proposed), the accepted one (resolved), or the last
	 * one not accepted (open again). */
	const char		*resolution;
	const char		*proposed_by_name;
	const char		*proposed_at;
	const char		*reject_reason;	/* of the last rejection */
	long long		 created_by;
	const char		*created_by_name;
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*closed_by_name;	/* resolved/withdrawn */
	const char		*closed_at;
};

/* A promise linked to a concern (promises.concern_id). */
struct concern_promise {
	long long	 id;
	const char	*title;
	const char	*state;		/* as stored, e.g. "open" */
	const char	*due_date;	/* YYYY-MM-DD */
};

/*
 * Every function takes the acting user (actor) and the account, which
 * must be one actor's org is party to: otherwise KW_NOTFOUND, exactly as
 * for a missing account or entry. Writes are one transaction each, with
 * an audit event and the notices named; on any error nothing is changed.
 */

/*
 * Raise a concern from actor's side of account_id: title one line of
 * 1..200 bytes, detail NULL or "" (none) or at most 10000 bytes (LF and
 * TAB the only control characters). Every user of the other side is
 * notified (NOTIFY_CONCERN). *id (may be NULL) gets the new id.
 * KW_BADREQ for bad input.
 */
enum kw_status	 concern_raise(struct db *, const struct user *actor,
		    long long account_id, const char *title,
		    const char *detail, long long *id);

/*
 * Whether a user of side may take action on a concern raised by
 * raised_by that is in state: KW_OK; KW_NOTFOUND when side is not a
 * party (SIDE__MAX); KW_FORBIDDEN when the action belongs to the other
 * side (proposing is for the side that did not raise it, everything else
 * for the raising side), whatever the state; else KW_CONFLICT when the
 * state does not allow it. Pages use it to offer only allowed actions.
 */
enum kw_status	 concern_may(enum concern_state state,
		    enum account_side raised_by, enum account_side side,
		    enum concern_action action);

/*
 * Take action on concern id of account_id as actor, if concern_may()
 * allows it (its answer is returned otherwise). text is the resolution
 * for CONCERN_PROPOSE (1..10000 bytes, required), the reason for
 * CONCERN_REJECT (NULL or "" = none, at most 2000 bytes), ignored
 * otherwise (KW_BADREQ when bad). Proposing notifies the raising side
 * (NOTIFY_RESOLUTION); rejecting notifies the proposing side
 * (NOTIFY_CONCERN).
 */
enum kw_status	 concern_act(struct db *, const struct user *actor,
		    long long account_id, long long id,
		    enum concern_action action, const char *text);

/* Concern id of account_id into *c (arena). */
enum kw_status	 concern_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct concern *c);

/*
 * The concerns of account_id in state and raised by side (each by name;
 * NULL = any, a name that is none matches nothing), newest first, at
 * most limit (1..1000) from offset, into *list[0..*n-1] (arena); *total
 * gets the number matching. KW_BADREQ for a bad limit.
 */
enum kw_status	 concern_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *state, const char *side, size_t limit,
		    size_t offset, struct concern **list, size_t *n,
		    size_t *total);

/*
 * The concerns still open (open or proposed) of account_id by raising
 * side: open[SIDE_BUYER], open[SIDE_SUPPLIER]. actor NULL is the system
 * (a scheduled job), which sees every account.
 */
enum kw_status	 concern_open_counts(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    size_t open[SIDE__MAX]);

/*
 * The promises of account_id linked to its concern id, by due date,
 * into *list[0..*n-1] (arena); none for a concern that is not there.
 */
enum kw_status	 concern_promises(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct concern_promise **list, size_t *n);

extern const struct db_stmt_table concern_stmts;

#endif /* CONCERN_H */
