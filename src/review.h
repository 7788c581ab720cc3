/* review.h: the periodic review of an account, signed by both sides'
 * owners and frozen with both scorecards when both have signed. */
#ifndef REVIEW_H
#define REVIEW_H

#include <stddef.h>

#include "account.h"
#include "kw.h"
#include "scorecard.h"

struct arena;
struct db;
struct db_stmt_table;
struct promise_err;
struct user;

/*
 * The life of a review: one per review period of an account
 * (account_period()). The system opens it when the period has ended
 * (review_open_due()); an owner or admin may open the running period's
 * review earlier as a draft (review_draft()), which the system opens in
 * turn when the period ends. Each side's CURRENT OWNER signs for that
 * side (an admin who is not the owner may not: the owner answers for the
 * side's scorecard); a draft cannot be signed before its period ends.
 * When the second side signs, the review freezes in the same
 * transaction: both scorecards, as scorecard_sides() counts them on
 * that day, are stored and shown from then on. There is no unsigning.
 */
enum review_state {
	REVIEW_DRAFT = 0,
	REVIEW_OPEN,
	REVIEW_FROZEN,
	REVIEW_STATE__MAX
};

/* "draft", "open", "frozen", NULL. */
extern const char *const review_state_names[REVIEW_STATE__MAX + 1];

/* One review. Strings live in the arena of the call that filled it; a
 * missing user is 0 and "", a missing time "". */
struct review {
	long long		 id;
	long long		 account_id;
	const char		*period_start;	/* YYYY-MM-DD */
	const char		*period_end;
	enum review_state	 state;
	const char		*opened_at;	/* UTC ISO-8601 */
	long long		 opened_by;	/* 0 = the system */
	const char		*opened_by_name;
	long long		 signed_by[SIDE__MAX];
	const char		*signed_by_name[SIDE__MAX];
	const char		*signed_at[SIDE__MAX];
	const char		*frozen_at;
};

/* What review_open_due() and review_remind() did. */
struct review_report {
	size_t	 opened;	/* reviews opened (new, or drafts whose
				   period ended) */
	size_t	 reminders;	/* notifications added */
};

/*
 * The scheduled job, as the system (no actor), on the day today
 * (YYYY-MM-DD): for every account, open a review of each period that
 * has ended (period_end before today) since its start and has none, and
 * open the drafts of ended periods. Each opening is one transaction,
 * audited ("review", id, "open"), notifying both sides (NOTIFY_REVIEW).
 * Running it again the same day changes nothing. report->opened grows by
 * the reviews opened. KW_BADREQ for a bad date.
 */
enum kw_status	 review_open_due(struct db *, struct arena *,
		    const char *today, struct review_report *report);

/*
 * The reminders of the scheduled job on today: to both sides of every
 * account, once per period, when its running period ends within 7 days
 * (today up to 7 days before period_end); and to each side that has not
 * signed an open review, once a week from its period's end. Each notice
 * is made once per user (idempotent keys). report->reminders grows by
 * the notifications added.
 */
enum kw_status	 review_remind(struct db *, struct arena *,
		    const char *today, struct review_report *report);

/*
 * An owner of either side, or an admin of either side's org, opens the
 * review of the running period (the one holding today) as a draft. *id
 * (may be NULL) gets its id. KW_FORBIDDEN for anyone else of the
 * account; KW_CONFLICT if that period has a review already (*id gets
 * it). Audited; the other side is notified.
 */
enum kw_status	 review_draft(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long *id);

/* 1 if actor owns their side of acct (from account_get() for actor's
 * org) now: the one who signs its reviews. */
int		 review_is_owner(const struct user *actor,
		    const struct account *acct);

/* Review id of account_id as actor sees it into *r. */
enum kw_status	 review_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct review *r);

/* The reviews of account_id, latest period first, into *list[0..*n-1]
 * (at most one per period: a handful a year, so never paged). */
enum kw_status	 review_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    struct review **list, size_t *n);

/*
 * The current owner of actor's side signs review id for that side.
 * KW_FORBIDDEN unless actor owns their side now; KW_CONFLICT when the
 * review is frozen, the side has signed already, or it is a draft whose
 * period has not ended; msg (may be NULL) gets why. When both sides have
 * signed, the review freezes in the same transaction (see above).
 * Audited ("sign", and "freeze"); the other side is notified.
 */
enum kw_status	 review_sign(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, const char **msg);

/*
 * Both scorecards of review r (from review_get()) of acct (account_get()
 * for the viewer), indexed by side: the frozen snapshot of a frozen
 * review, else computed now. live (may be NULL) gets both as the ledger
 * counts them now (the same as out unless r is frozen). *changed (may be
 * NULL) gets 1 when r is frozen and the ledger now counts the period
 * differently (an entry of the period changed since it froze), else 0.
 */
enum kw_status	 review_scores(struct db *, struct arena *,
		    const struct account *acct, const struct review *r,
		    struct scorecard out[SIDE__MAX],
		    struct scorecard live[SIDE__MAX], int *changed);

/* One action agreed in a review: a promise made from it. */
struct review_action {
	long long	 promise_id;
	enum account_side side;		/* the promisor */
	const char	*title;
	const char	*due_date;
	const char	*state;		/* the promise's state */
};

/* The actions of review id (from review_get()), oldest first. */
enum kw_status	 review_actions(struct db *, struct arena *,
		    long long id, struct review_action **list, size_t *n);

/*
 * An action agreed in review id becomes a promise of actor's side to
 * the other (promise_create(): title, due_date, err as there), linked to
 * the review; *promise_id (may be NULL) gets it. KW_CONFLICT once the
 * review is frozen. One transaction makes the promise (audited and
 * notified as promise_create() does) and links it (audited "review",
 * id, "action"); if any step fails nothing is written.
 */
enum kw_status	 review_add_action(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, const char *title, const char *due_date,
		    long long *promise_id, struct promise_err *err);

extern const struct db_stmt_table review_stmts;

#endif /* REVIEW_H */
