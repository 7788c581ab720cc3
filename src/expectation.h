/* expectation.h: what one side of an account expects of the other. */
#ifndef EXPECTATION_H
#define EXPECTATION_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/*
 * The life of an expectation: the stating side proposes it, the other
 * side acknowledges it, the stating side assesses it once per review
 * period and may retire it at any time before.
 */
enum expectation_state {
	EXPECTATION_PROPOSED = 0,
	EXPECTATION_ACKNOWLEDGED,
	EXPECTATION_RETIRED,
	EXPECTATION_STATE__MAX
};

/* What a user may do to an existing expectation. */
enum expectation_action {
	EXPECTATION_ACKNOWLEDGE = 0,	/* the other side: proposed only */
	EXPECTATION_RETIRE,		/* the stating side: not yet retired */
	EXPECTATION_ASSESS,		/* the stating side: acknowledged only */
	EXPECTATION_ACTION__MAX
};

/* How well an expectation was met in a review period. */
enum expectation_rating {
	EXPECTATION_MET = 0,
	EXPECTATION_PARTLY,
	EXPECTATION_NOT_MET,
	EXPECTATION_RATING__MAX
};

/*
 * A list filter on the assessments of a review period, as its scorecard
 * counts them: assessed with one rating, or not yet assessed.
 */
enum expectation_assessed {
	EXPECTATION_ASSESSED_MET = EXPECTATION_MET,
	EXPECTATION_ASSESSED_PARTLY = EXPECTATION_PARTLY,
	EXPECTATION_ASSESSED_NOT_MET = EXPECTATION_NOT_MET,
	EXPECTATION_NOT_YET = EXPECTATION_RATING__MAX,
	EXPECTATION_ASSESSED__MAX	/* also: any of them */
};

/* "met", "partly", "not-met" (the ratings' names) and "not-yet", NULL
 * (VALID_ENUM choices). */
extern const char *const expectation_assessed_names[EXPECTATION_ASSESSED__MAX + 1];

/* Names as stored and used in forms and audit rows, each NULL-ended
 * (usable as VALID_ENUM choices): "proposed", "acknowledged",
 * "retired"; "acknowledge", "retire", "assess"; "met", "partly",
 * "not-met". */
extern const char *const expectation_state_names[EXPECTATION_STATE__MAX + 1];
extern const char *const expectation_action_names[EXPECTATION_ACTION__MAX + 1];
extern const char *const expectation_rating_names[EXPECTATION_RATING__MAX + 1];

/* Limits in bytes, as the schema checks them. */
#define EXPECTATION_TITLE_MAX	200
#define EXPECTATION_DETAIL_MAX	10000
#define EXPECTATION_TARGET_MAX	200
#define EXPECTATION_REASON_MAX	2000
#define EXPECTATION_NOTE_MAX	2000

/* One expectation. Strings live in the arena of the call that filled it;
 * a missing user is id 0 and name "", a missing time "". */
struct expectation {
	long long		 id;
	long long		 account_id;
	enum account_side	 from_side;	/* who states it */
	const char		*title;
	const char		*detail;	/* "" = none */
	const char		*target;	/* "" = none */
	enum expectation_state	 state;
	long long		 created_by;
	const char		*created_by_name;
	const char		*created_at;	/* UTC ISO-8601 */
	long long		 acknowledged_by;
	const char		*acknowledged_by_name;
	const char		*acknowledged_at;
	long long		 retired_by;
	const char		*retired_by_name;
	const char		*retired_at;
	const char		*retire_reason;	/* "" = none given */
	const char		*last_rating;	/* latest period's; "" = none */
	const char		*last_period;	/* its period_start, or "" */
};

/* One assessment of an expectation for one review period. */
struct expectation_assessment {
	long long		 id;
	long long		 expectation_id;
	const char		*period_start;	/* YYYY-MM-DD */
	const char		*period_end;
	enum expectation_rating	 rating;
	const char		*note;		/* "" = none */
	long long		 assessed_by;
	const char		*assessed_by_name;
	const char		*assessed_at;
};

/* Counts of an account's expectations by stating side and state. */
struct expectation_summary {
	size_t	 count[SIDE__MAX][EXPECTATION_STATE__MAX];
	size_t	 to_acknowledge;	/* proposed by the other side */
};

/*
 * Every function takes the acting user (never NULL) and the account as
 * the caller sees it; an account the actor's org is not party to, and
 * an entry that is not in that account, answer KW_NOTFOUND. Writes are
 * one transaction each with an audit row ("expectation", id, action);
 * when a write is refused nothing changes.
 */

/*
 * Whether a user of side may take action on an expectation stated by
 * from_side and now in state: KW_OK; KW_FORBIDDEN when it is the other
 * side's to take (or side is no party); KW_CONFLICT when the side is
 * right but the state does not allow it. The rules of the pages and of
 * every write below.
 */
enum kw_status	 expectation_may(enum expectation_state state,
		    enum account_side from_side, enum account_side side,
		    enum expectation_action action);

/*
 * The actor's side states a new expectation of the other: title 1..200
 * bytes on one line, detail (multi-line) and target (one line) optional
 * ("" or NULL). It starts proposed; the other side's active users are
 * notified (NOTIFY_EXPECTATION). *id (may be NULL) gets the new id.
 * KW_BADREQ for bad text.
 */
enum kw_status	 expectation_create(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *title, const char *detail, const char *target,
		    long long *id);

/*
 * expectation_create() for a caller that holds the transaction
 * (db_begin()) and writes more in it (the XML import): the same checks,
 * insert, audit event and notice, without beginning or ending one. On
 * any status but KW_OK the caller must roll back (db_finish()); *id is
 * set only on KW_OK.
 */
enum kw_status	 expectation_create_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *title, const char *detail, const char *target,
		    long long *id);

/* Which expectations expectation_list() returns: one page of them. */
struct expectation_query {
	enum expectation_state	 state;		/* __MAX: any */
	enum account_side	 side;		/* stating; SIDE__MAX: either */
	/*
	 * A review period's days from..to (YYYY-MM-DD, NULL leaves an end
	 * open) with assessed: those its scorecard counts with that
	 * assessment (expectation_figures()); with EXPECTATION_ASSESSED__MAX
	 * every one it counts. No days and no assessment: no such filter.
	 */
	const char		*from;
	const char		*to;
	enum expectation_assessed assessed;
	size_t			 limit;		/* 1..1000 */
	size_t			 offset;
};

/*
 * One page of the account's expectations that match q, newest first:
 * into *list[0..*n-1] (arena); *total (may be NULL) gets the number of
 * all that match. KW_BADREQ for a bad query (a bad date, from after to).
 */
enum kw_status	 expectation_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct expectation_query *q,
		    struct expectation **list, size_t *n, size_t *total);

/*
 * What the scorecards of a review period from..to (YYYY-MM-DD) count of
 * the expectations each side states in account_id (those it holds of the
 * other side), in one query: the assessments of the periods starting on
 * those days by rating into rated[side][], and into unassessed[side]
 * those acknowledged by to, not retired before from and not assessed for
 * such a period. Call it only for an account from account_get() (the
 * caller checked access). KW_BADREQ for a bad period; the figures are 0
 * on error.
 */
enum kw_status	 expectation_figures(struct db *, long long account_id,
		    const char *from, const char *to,
		    long long rated[SIDE__MAX][EXPECTATION_RATING__MAX],
		    long long unassessed[SIDE__MAX]);

/* Expectation id of account_id into *e (arena). */
enum kw_status	 expectation_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct expectation *e);

/* The assessments of expectation id, latest period first, into
 * *list[0..*n-1] (arena). */
enum kw_status	 expectation_assessments(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct expectation_assessment **list,
		    size_t *n);

/* The other side acknowledges a proposed expectation. KW_FORBIDDEN for
 * the stating side; KW_CONFLICT unless it is proposed. */
enum kw_status	 expectation_acknowledge(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id);

/* The stating side retires a proposed or acknowledged expectation, with
 * an optional reason (NULL or "", at most 2000 bytes, multi-line).
 * KW_FORBIDDEN for the other side; KW_CONFLICT if already retired. */
enum kw_status	 expectation_retire(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, const char *reason);

/*
 * The stating side assesses an acknowledged expectation for the review
 * period that holds date (YYYY-MM-DD; NULL or "" = today), as
 * account_period() computes it, with rating and an optional note (at
 * most 2000 bytes, multi-line). One assessment per expectation and
 * period: a second for the same period is KW_CONFLICT and the first one
 * stays as it was (assessments are never changed or deleted). KW_BADREQ
 * for a bad note or rating, or a date that is not one, lies before the
 * account's start or in a period that has not begun; KW_FORBIDDEN for
 * the other side; KW_CONFLICT unless acknowledged. from and to (may be
 * NULL) get the period assessed, on success or KW_CONFLICT.
 */
enum kw_status	 expectation_assess(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, const char *date,
		    enum expectation_rating rating, const char *note,
		    char from[11], char to[11]);

/* The input of an action; members an action does not use are ignored
 * (and may be NULL). */
struct expectation_input {
	const char		*reason;	/* retire: NULL or "" = none */
	const char		*date;		/* assess: a day of the period;
						   NULL or "" = today */
	enum expectation_rating	 rating;	/* assess */
	const char		*note;		/* assess: NULL = none */
};

/*
 * expectation_acknowledge(), expectation_retire() or
 * expectation_assess() (by action, with in; NULL = no input) inside a
 * transaction the caller holds, with the same checks, statuses and audit
 * event. from and to (may be NULL) get an assessment's period as
 * expectation_assess() gives it ("" when there is none). On any status
 * but KW_OK the caller must roll back.
 */
enum kw_status	 expectation_act_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, enum expectation_action action,
		    const struct expectation_input *in, char from[11],
		    char to[11]);

/* Counts for the account overview: by stating side and state, and how
 * many the actor's side has yet to acknowledge. */
enum kw_status	 expectation_summary(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    struct expectation_summary *);

extern const struct db_stmt_table expectation_stmts;

#endif /* EXPECTATION_H */
