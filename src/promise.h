/* promise.h: promises one side makes to the other, and how they are kept. */
#ifndef PROMISE_H
#define PROMISE_H

#include <stddef.h>

#include "account.h"
#include "kw.h"
#include "valid.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/*
 * The stored states (see DESIGN.md, "Promise state machine"). Overdue is
 * not a state: an open or disputed promise whose due date is before
 * today is overdue, derived from the clock whenever it is read.
 */
enum promise_state {
	PROMISE_OPEN = 0,
	PROMISE_DELIVERED,
	PROMISE_DISPUTED,
	PROMISE_KEPT,
	PROMISE_BROKEN,
	PROMISE_STATE__MAX
};

/* "open", "delivered", "disputed", "kept", "broken", NULL. */
extern const char *const promise_state_names[PROMISE_STATE__MAX + 1];

/*
 * What a user can do to a promise, and which side may: the promisor
 * delivers, proposes a new due date (renegotiate) and gives up (break);
 * the promisee confirms or disputes a delivery and accepts or declines
 * a proposed due date.
 */
enum promise_action {
	PROMISE_DELIVER = 0,
	PROMISE_CONFIRM,
	PROMISE_DISPUTE,
	PROMISE_RENEGOTIATE,
	PROMISE_ACCEPT_DUE,
	PROMISE_DECLINE_DUE,
	PROMISE_BREAK,
	PROMISE_ACTION__MAX
};

/* "deliver", "confirm", "dispute", "renegotiate", "accept-due",
 * "decline-due", "break", NULL: the URL verbs and audit actions. */
extern const char *const promise_action_names[PROMISE_ACTION__MAX + 1];

/* List filters: a stored state, or overdue (derived). */
enum promise_filter {
	PROMISE_FILTER_OPEN = 0,
	PROMISE_FILTER_OVERDUE,
	PROMISE_FILTER_DELIVERED,
	PROMISE_FILTER_DISPUTED,
	PROMISE_FILTER_KEPT,
	PROMISE_FILTER_BROKEN,
	PROMISE_FILTER__MAX	/* also: no filter */
};

/* "open", "overdue", "delivered", "disputed", "kept", "broken", NULL
 * (VALID_ENUM choices of the list's state filter). */
extern const char *const promise_filter_names[PROMISE_FILTER__MAX + 1];

/*
 * What became of a promise that fell due, as a review's scorecard counts
 * it (struct promise_stats): kept on time, kept late, broken, delivered
 * (awaiting the promisee's answer), still overdue (open or disputed),
 * disputed, renegotiated (a new due date was accepted). A list filter.
 */
enum promise_outcome {
	PROMISE_OUTCOME_ON_TIME = 0,
	PROMISE_OUTCOME_LATE,
	PROMISE_OUTCOME_BROKEN,
	PROMISE_OUTCOME_DELIVERED,
	PROMISE_OUTCOME_OVERDUE,
	PROMISE_OUTCOME_DISPUTED,
	PROMISE_OUTCOME_RENEGOTIATED,
	PROMISE_OUTCOME__MAX	/* also: any outcome */
};

/* "kept-on-time", "kept-late", "broken", "delivered", "overdue",
 * "disputed", "renegotiated", NULL (VALID_ENUM choices). */
extern const char *const promise_outcome_names[PROMISE_OUTCOME__MAX + 1];

/*
 * Declared input, shared by the portal's routes and the core's own
 * checks (the same names, limits and messages):
 *   promise_fields: title, detail, due_date, expectation_id, concern_id;
 *   promise_deliver_fields: delivered_on, note;
 *   promise_dispute_fields: dispute_reason;
 *   promise_renegotiate_fields: new_due, due_reason;
 *   promise_break_fields: break_reason;
 *   promise_list_fields: state (a filter name), side (of the promisor),
 *     due_from, due_to (a range of due dates), outcome (an outcome name).
 * Each array ends with an entry whose name is NULL.
 */
extern const struct valid_field promise_fields[];
extern const struct valid_field promise_deliver_fields[];
extern const struct valid_field promise_dispute_fields[];
extern const struct valid_field promise_renegotiate_fields[];
extern const struct valid_field promise_break_fields[];
extern const struct valid_field promise_list_fields[];

/*
 * Why a call was refused: the input field at fault (NULL when it is not
 * one field: a wrong side, a state conflict) and a sentence for the user
 * (static, or in the arena of the call).
 */
struct promise_err {
	const char	*field;
	const char	*msg;
};

/* One promise. Strings live in the arena of the call that filled it;
 * "" stands for none. */
struct promise {
	long long		 id;
	long long		 account_id;
	enum account_side	 promisor;
	enum account_side	 promisee;
	const char		*title;
	const char		*detail;
	const char		*due_date;	/* in force, YYYY-MM-DD */
	const char		*original_due;
	enum promise_state	 state;
	int			 overdue;	/* derived from the clock */
	long long		 expectation_id;	/* 0 = none */
	const char		*expectation_title;
	long long		 concern_id;		/* 0 = none */
	const char		*concern_title;
	const char		*created_by_name;
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*kept_on;	/* the confirmed delivery's date */
	int			 on_time;	/* 1, 0, or -1 until kept */
	const char		*closed_at;
	const char		*broken_reason;
	const char		*broken_by_name;
	long long		 delivery_id;	/* the delivery awaiting an answer, 0 */
	const char		*delivered_on;	/* its date */
	long long		 change_id;	/* the pending due change, 0 */
	const char		*proposed_due;	/* its new date */
	const char		*proposed_reason;
	int			 renegotiated;	/* accepted due changes */
};

/* One time the promisor marked the promise delivered, and the answer. */
struct promise_delivery {
	long long	 id;
	const char	*delivered_on;
	const char	*note;
	const char	*delivered_by_name;
	const char	*delivered_at;
	const char	*outcome;	/* "pending", "confirmed", "disputed" */
	const char	*reason;	/* why it was disputed */
	const char	*decided_by_name;
	const char	*decided_at;
};

/* One proposed due date and its outcome. */
struct promise_due_change {
	long long	 id;
	const char	*old_due;
	const char	*new_due;
	const char	*reason;
	const char	*proposed_by_name;
	const char	*proposed_at;
	/* "pending", "accepted", "declined", or "lapsed" (the promise was
	 * closed before the promisee answered) */
	const char	*outcome;
	const char	*decided_by_name;
	const char	*decided_at;
};

/* A new promise. detail may be NULL; ids 0 = no link. */
struct promise_new {
	const char	*title;
	const char	*detail;
	const char	*due_date;
	long long	 expectation_id;
	long long	 concern_id;
};

/* The input of an action: date is the delivery date (deliver) or the
 * new due date (renegotiate); text is the delivery note (deliver) or the
 * reason (dispute, renegotiate, break). Unused members may be NULL. */
struct promise_input {
	const char	*date;
	const char	*text;
};

/* Which promises promise_list() returns: one page of them. */
struct promise_query {
	enum promise_filter	 filter;	/* PROMISE_FILTER__MAX: all */
	enum account_side	 promisor;	/* SIDE__MAX: either side */
	size_t			 limit;		/* 1..1000 */
	size_t			 offset;
	/* due in force on a day due_from..due_to (YYYY-MM-DD, inclusive;
	 * NULL leaves that end open) */
	const char		*due_from;
	const char		*due_to;
	/* of those due before today, what became of them */
	enum promise_outcome	 outcome;	/* PROMISE_OUTCOME__MAX: any */
};

/*
 * Access, for every function taking an actor: account_id must be an
 * account of the actor's org (account_get), and the promise one of that
 * account; otherwise KW_NOTFOUND, exactly as for a missing id. A user of
 * the side that may not take the action gets KW_FORBIDDEN; an action the
 * promise's state does not allow, KW_CONFLICT; bad input, KW_BADREQ. In
 * each of these cases err (may be NULL) says why and nothing changes.
 * Every change is one transaction with an audit event and a notice to
 * the other side.
 */

/*
 * The actor's side promises in to the other side. title 1..200 bytes,
 * detail at most 10000, due_date a date not before today; the links must
 * name an expectation or concern of the same account. *id (may be NULL)
 * gets the new promise's id.
 */
enum kw_status	 promise_create(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct promise_new *in, long long *id,
		    struct promise_err *err);

/*
 * promise_create() for a caller that holds the transaction (db_begin())
 * and writes more in it, e.g. a review linking the promise as an agreed
 * action: the same checks, insert, audit event and notice, without
 * beginning or ending a transaction. On any status but KW_OK the caller
 * must roll back (db_finish()), as a step may already have been written;
 * *id (may be NULL) is set only on KW_OK.
 */
enum kw_status	 promise_create_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct promise_new *in, long long *id,
		    struct promise_err *err);

/*
 * Take action on promise id with input in (see struct promise_input):
 *   deliver: promisor, from open or disputed → delivered (a new delivery
 *     awaiting the answer; delivered on a date not after today);
 *   confirm: promisee, from delivered → kept, on time if the delivery
 *     date is not after the due date in force;
 *   dispute: promisee, from delivered → disputed, with a reason;
 *   renegotiate: promisor, while open or disputed and no other proposal
 *     waits: proposes a new due date (not before today, not the current
 *     one) with a reason;
 *   accept-due / decline-due: promisee, while a proposal waits and the
 *     promise is not closed: the due date changes (the old one is kept
 *     in the history) or stays;
 *   break: promisor, from open or disputed → broken, with a reason.
 * Closing a promise (kept, broken) lets a waiting proposal lapse.
 */
enum kw_status	 promise_act(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, enum promise_action act,
		    const struct promise_input *in, struct promise_err *err);

/*
 * promise_act() inside a transaction the caller holds (db_begin()): the
 * same checks, change, audit event and notice (in NULL: no input). On
 * any status but KW_OK the caller must roll back (db_finish()).
 */
enum kw_status	 promise_act_in(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, enum promise_action act,
		    const struct promise_input *in, struct promise_err *err);

/*
 * Whether actor may take act on promise id now, checking everything but
 * the input: KW_OK, or the status (and err) promise_act() would answer.
 */
enum kw_status	 promise_check(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, enum promise_action act,
		    struct promise_err *err);

/* 1 if a user of side may take act on p as read, else 0 (for showing
 * only the forms that user can use). */
int		 promise_may(const struct promise *p, enum account_side side,
		    enum promise_action act);

/* Promise id of account_id as seen by actor, into *p. */
enum kw_status	 promise_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct promise *p);

/*
 * The deliveries and due-date proposals of promise_id, oldest first,
 * into *dl[0..*nd-1] and *dc[0..*nc-1] (arena). Call it only for a
 * promise obtained from promise_get() for the viewer.
 */
enum kw_status	 promise_history(struct db *, struct arena *,
		    long long promise_id, struct promise_delivery **dl,
		    size_t *nd, struct promise_due_change **dc, size_t *nc);

/*
 * One page of the promises of account_id that match q, outstanding ones
 * first by due date, then closed ones, into *list[0..*n-1] (arena);
 * *total gets the number of all that match. q's outcome counts as
 * promise_integrity() does; with the due dates of a period (due_to as
 * promise_due_by() gives it) they are exactly the promises behind one
 * figure of its struct promise_stats. KW_BADREQ for a bad query (a bad
 * date, or due_from after due_to).
 */
enum kw_status	 promise_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct promise_query *q, struct promise **list,
		    size_t *n, size_t *total);

/* The account's open expectations or concerns a new promise may be
 * linked to, by id. */
struct promise_link {
	long long	 id;
	const char	*title;
};

/* The open expectations and concerns of account_id (at most 200 each,
 * arena). Call it only for an account from account_get() for the
 * viewer. */
enum kw_status	 promise_links(struct db *, struct arena *,
		    long long account_id, struct promise_link **exp,
		    size_t *nexp, struct promise_link **con, size_t *ncon);

/* The outstanding promises of one side (as promisor), for the account
 * overview. overdue counts open and disputed ones due before today. */
struct promise_figures {
	long long	 open;
	long long	 delivered;	/* awaiting the promisee's answer */
	long long	 disputed;
	long long	 overdue;
};

/*
 * The figures of side's promises in account_id on date today
 * (YYYY-MM-DD). Call it only for an account from account_get() for the
 * viewer. KW_BADREQ for a bad side or date.
 */
enum kw_status	 promise_figures(struct db *, long long account_id,
		    enum account_side side, const char *today,
		    struct promise_figures *out);

/*
 * The last day of a period ending on to (YYYY-MM-DD) whose promises have
 * fallen due on today, into last: to once the period has ended, else the
 * day before today (a promise due today has not fallen due yet). -1 if
 * today is not a date, else 0.
 */
int		 promise_due_by(const char *to, const char *today,
		    char last[11]);

/*
 * Integrity of one side over a period. The promises that fell due are
 * those whose due date in force lies in [from, to] (the last day
 * included; a renegotiated promise in the period of its new date) and is
 * before today (a period still running counts only what is already due).
 * Of them: kept on time and kept late count confirmed deliveries only
 * (never the promisor's own report), on time when the confirmed
 * delivery is dated on or before the due date in force, whenever it was
 * confirmed; delivered waits for the promisee's answer; still overdue is
 * open or disputed (disputed also counts apart); these five add up to
 * fallen_due. renegotiated had a new due date accepted.
 */
struct promise_stats {
	long long	 fallen_due;
	long long	 kept_on_time;
	long long	 kept_late;
	long long	 broken;
	long long	 delivered;
	long long	 still_overdue;
	long long	 disputed;
	long long	 renegotiated;
	int		 integrity;	/* kept on time ÷ fallen due, in whole
					 * percent rounded down; -1 if none fell due */
};

/*
 * The integrity of side's promises in account_id for [from, to] on date
 * today (all YYYY-MM-DD). Call it only for an account from account_get()
 * for the viewer. KW_BADREQ for a bad side, a bad date or from > to.
 */
enum kw_status	 promise_integrity(struct db *, long long account_id,
		    enum account_side side, const char *from, const char *to,
		    const char *today, struct promise_stats *out);

/*
 * promise_integrity() of both sides for each of the periods per[0..n-1]
 * (in order, not overlapping) into out[side * n + i], in one query.
 */
enum kw_status	 promise_integrity_periods(struct db *, long long account_id,
		    const struct account_period *per, size_t n,
		    const char *today, struct promise_stats *out);

/*
 * Lazily create the due-soon (due within 7 days) and overdue notices of
 * every open or disputed promise in the accounts of viewer's org, for
 * the active users of each promise's promisor side. Idempotent: the keys
 * "due-soon:promise:ID:DUE" and "overdue:promise:ID:DUE" make one notice
 * per user and due date; when every notice exists already nothing is
 * written. Call it before listing a user's inbox. Returns KW_OK or a
 * database status (nothing is half written).
 */
enum kw_status	 promise_notify_due(struct db *, const struct user *viewer);

extern const struct db_stmt_table promise_stmts;

#endif /* PROMISE_H */
