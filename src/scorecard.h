/* scorecard.h: one side's scorecard of a review period, from the ledger. */
#ifndef SCORECARD_H
#define SCORECARD_H

#include <stddef.h>

#include "account.h"
#include "expectation.h"
#include "kw.h"
#include "promise.h"

struct arena;
struct db;
struct db_stmt_table;

/*
 * How a scorecard counts, for side S of an account over the days from..to
 * (inclusive, YYYY-MM-DD, UTC; normally one review period from
 * account_period()) as seen on the day today. Everything is read as the
 * ledger stands now, so a period's scorecard still changes while its
 * promises are being settled (a review freezes it when both sides sign).
 *
 * Promises S made (S is the promisor): struct promise_stats, as
 * promise_integrity() counts it.
 *  - A promise falls due in the period of its due date in force: due
 *    date in from..to, the last day included. A promise renegotiated
 *    across periods belongs to the period of its new due date and counts
 *    there as renegotiated too (any accepted due-date change).
 *  - In a period still running, only promises due before today count:
 *    one due today has not fallen due yet.
 *  - Of those that fell due: kept on time (confirmed, with the confirmed
 *    delivery's date on or before the due date in force), kept late
 *    (confirmed, delivered after it), broken, delivered (awaiting the
 *    promisee's answer), still overdue (open or disputed; every promise
 *    counted is past its due date). These five add up to fallen_due.
 *    When a delivery was confirmed does not matter, so a promise due in
 *    the period and confirmed after it ends still counts there, on time
 *    or late by its delivery date. disputed counts the still overdue
 *    ones that are disputed now (they are in still_overdue too).
 *    Only a confirmation by the promisee makes a promise kept.
 *  - integrity = kept on time × 100 ÷ fallen due, rounded down; -1 when
 *    no promise fell due (never shown as 0% or 100%).
 *
 * Expectations of S (those the other side holds of S, from_side the
 * other side), as expectation_figures() counts them:
 *  - met, partly, not met: the assessments of the periods starting in
 *    from..to (one per expectation and period), whatever the
 *    expectation's state is now.
 *  - not yet assessed: expectations acknowledged on or before to, not
 *    retired before from, without an assessment of a period starting in
 *    from..to.
 *
 * Updates S shared (update_figures()): not withdrawn, created on a day
 * in from..to; of them, acknowledged: read by at least one user of the
 * other side's org (at any time up to now).
 *
 * Contacts: all of the account's (logged by either side), not
 * withdrawn, dated from from up to min(to, today) (a contact is never
 * dated after the day it is logged); the latest one dated on or before
 * min(to, today), and the days from it to min(to, today) (-1 and ""
 * when there is none).
 *
 * Satisfaction S received: the ratings the other side gave, not
 * withdrawn, given on a day in from..to: their number and mean.
 *
 * Each count is the number of entries that the matching list filter
 * (promise_list(), expectation_list(), update_list(), contact_list(),
 * feedback_list()) shows for the same days: each module counts with the
 * SQL its list filters by. promises_to and contacts_to are the last
 * days those two counts cover.
 */
struct scorecard {
	enum account_side	 side;
	char			 from[11];
	char			 to[11];
	char			 promises_to[11];	/* promise_due_by() */
	char			 contacts_to[11];	/* to, or today while
							   the period runs */
	struct promise_stats	 promises;
	/* assessments by rating (EXPECTATION_MET, _PARTLY, _NOT_MET) */
	long long		 expectations[EXPECTATION_RATING__MAX];
	long long		 expectations_unassessed;
	long long		 updates_shared;
	long long		 updates_acknowledged;
	long long		 contacts;
	const char		*last_contact;		/* "" = none */
	long long		 days_since_contact;	/* -1 = none */
	long long		 ratings;
	double			 rating_mean;		/* 0 if ratings is 0 */
};

/*
 * Both sides' scorecards of acct (as account_get() gave it to a viewer
 * of the account, or account_list_all() to the system: the CALLER has
 * checked access) for from..to on today (all YYYY-MM-DD), into
 * out[side] (last_contact in arena a). Each kind of figure is one
 * indexed query for both sides; nothing of the ledger is loaded.
 * KW_BADREQ for a bad date, or from after to; else KW_OK or a database
 * status.
 */
enum kw_status	 scorecard_sides(struct db *, struct arena *a,
		    const struct account *acct, const char *from,
		    const char *to, const char *today,
		    struct scorecard out[SIDE__MAX]);

/* The scorecard of one side, as scorecard_sides() counts it; KW_BADREQ
 * for a bad side too. */
enum kw_status	 scorecard_compute(struct db *, struct arena *a,
		    const struct account *acct, enum account_side side,
		    const char *from, const char *to, const char *today,
		    struct scorecard *out);

/* One review period of a trend: what a chart of it needs. */
struct scorecard_point {
	char		 from[11];
	char		 to[11];
	int		 integrity;	/* as in struct promise_stats: -1 =
					   no promise fell due */
	long long	 fallen_due;
	long long	 kept_on_time;
	long long	 ratings;	/* satisfaction side received */
	double		 rating_mean;	/* 0 if ratings is 0 */
	long long	 contacts;
};

/* The most periods one trend covers (ten years of monthly reviews). */
#define SCORECARD_TREND_MAX	120

/*
 * The trends of both sides of acct (access checked as for
 * scorecard_sides()) over its last n (1..SCORECARD_TREND_MAX) review
 * periods up to and including the one holding until, counted as of
 * today (both YYYY-MM-DD; account_periods()), oldest first, into
 * list[side][0..*count-1] (arena a); fewer for a younger account, none
 * before it starts. A period whose review is frozen counts as its
 * snapshot says: the figures both sides signed, even if entries of that
 * period were edited afterwards (the review page notes such edits).
 * latest (may be NULL) is both sides' scorecards of the last of those
 * periods as the caller counted them already (the review page has
 * them), taken rather than counted again when their period is that one.
 * Every other period counts as in scorecard_sides(), all of them in
 * one query per figure. KW_BADREQ for a bad n or date.
 */
enum kw_status	 scorecard_trend(struct db *, struct arena *a,
		    const struct account *acct, size_t n, const char *until,
		    const char *today, const struct scorecard *latest,
		    struct scorecard_point *list[SIDE__MAX], size_t *count);

extern const struct db_stmt_table scorecard_stmts;

#endif /* SCORECARD_H */
