/* account.h: accounts (one buyer org + one supplier org) and their owners. */
#ifndef ACCOUNT_H
#define ACCOUNT_H

#include <stddef.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;
typedef struct sqlite3_stmt sqlite3_stmt;

enum account_side {
	SIDE_BUYER = 0,
	SIDE_SUPPLIER,
	SIDE__MAX	/* also: "not a party" in struct account.my_side */
};

enum account_cadence {
	CADENCE_MONTHLY = 0,
	CADENCE_QUARTERLY,
	CADENCE_HALF_YEARLY,
	CADENCE_YEARLY,
	CADENCE__MAX
};

/* "buyer", "supplier", NULL. */
extern const char *const account_side_names[SIDE__MAX + 1];
/* "monthly", "quarterly", "half-yearly", "yearly", NULL (VALID_ENUM). */
extern const char *const account_cadence_names[CADENCE__MAX + 1];

/* Names of a side/cadence, or "" if out of range. */
const char	*account_side_name(enum account_side);
const char	*account_cadence_name(enum account_cadence);

/* Column col of st's current row, a side as stored (CHECKed to be
 * "buyer" or "supplier"). */
enum account_side account_side_col(sqlite3_stmt *st, int col);

/* The other party: buyer <-> supplier (SIDE__MAX stays SIDE__MAX). */
enum account_side account_other_side(enum account_side);

/* The cadence called name as its index in account_cadence_names, or -1
 * (e.g. cadence from the CLI). */
int		 account_cadence_parse(const char *name);

/* Strings live in the arena passed to the call that filled it. */
struct account {
	long long		 id;
	const char		*title;
	long long		 buyer_org_id;
	long long		 supplier_org_id;
	const char		*buyer_name;
	const char		*supplier_name;
	enum account_cadence	 cadence;
	const char		*start_date;		/* YYYY-MM-DD */
	const char		*created_at;
	long long		 buyer_owner_id;	/* 0 = none */
	long long		 supplier_owner_id;
	const char		*buyer_owner_name;	/* "" = none */
	const char		*supplier_owner_name;
	enum account_side	 my_side;	/* viewer's side; SIDE__MAX if none */
};

/* The side org is in acct (only its org ids are read); SIDE__MAX when it
 * is neither party. */
enum account_side account_org_side(const struct account *acct, long long org);

/* One period of ownership of one side of an account. */
struct account_owner {
	long long		 id;
	long long		 account_id;
	enum account_side	 side;
	long long		 user_id;
	const char		*user_name;
	const char		*user_email;
	const char		*since;		/* UTC ISO-8601 */
	const char		*until;		/* "" = current owner */
	const char		*handover_note;	/* "" = none */
	const char		*set_by_name;	/* "" = the system */
};

/*
 * Open an account (operators only, or actor NULL). buyer and supplier
 * must be existing, distinct orgs (KW_NOTFOUND / KW_BADREQ); title
 * 1..200 bytes; start_date YYYY-MM-DD; buyer_owner/supplier_owner are 0
 * (none yet) or active users of the buyer's/supplier's org (else
 * KW_BADREQ). *id (may be NULL) gets the new id. KW_FORBIDDEN for a
 * non-operator. One transaction, audited; the cadence's history starts
 * with it (in force from start_date).
 */
enum kw_status	 account_create(struct db *, const struct user *actor,
		    const char *title, long long buyer, long long supplier,
		    enum account_cadence cadence, const char *start_date,
		    long long buyer_owner, long long supplier_owner,
		    long long *id);

/* An account as its org's dashboard lists it. */
struct account_summary {
	struct account	 acct;
	long long	 reviews_unsigned;	/* of ended periods, not
						   frozen yet */
	long long	 reviews_unsigned_by_me; /* of them, those the
						   viewer's side has not
						   signed */
	char		 next_review[11];	/* the day the running
						   period's review opens;
						   "" if unknown */
};

/*
 * The accounts where org_id is the buyer or the supplier, by title, into
 * *list[0..*n-1] (arena), with counterpart, current owners and my_side,
 * and their reviews as of today (YYYY-MM-DD): those awaiting signatures
 * and the day the next one opens (the day after the running period, or
 * the first one for an account that has not started, ends). One query.
 * KW_BADREQ for a bad date.
 */
enum kw_status	 account_list_for_org(struct db *, struct arena *,
		    long long org_id, const char *today,
		    struct account_summary **list, size_t *n);

/*
 * Every account (my_side = SIDE__MAX). For operator pages and kwctl
 * only: the CALLER must have checked that the viewer is an operator.
 */
enum kw_status	 account_list_all(struct db *, struct arena *,
		    struct account **list, size_t *n);

/*
 * The tenant check alone, for reads that need nothing of the account but
 * its id: KW_OK if viewer_org_id is the buyer or the supplier of account
 * id, else KW_NOTFOUND, as account_get() answers. One lookup.
 */
enum kw_status	 account_party(struct db *, long long viewer_org_id,
		    long long id);

/*
 * Account id as seen by viewer_org_id. KW_NOTFOUND when it does not
 * exist OR viewer_org_id is not one of its parties: tenant isolation is
 * in this query, and the two cases are indistinguishable.
 */
enum kw_status	 account_get(struct db *, struct arena *,
		    long long viewer_org_id, long long id, struct account *);

/*
 * Account id without a tenant check (my_side SIDE__MAX), KW_NOTFOUND if it
 * does not exist. For the system (kwctl, scheduled jobs) only: the CALLER
 * must not act for a user.
 */
enum kw_status	 account_get_any(struct db *, struct arena *, long long id,
		    struct account *);

/*
 * Hand side of account_id to user_id (an active user of that side's org,
 * else KW_BADREQ), ending the current ownership and keeping the history
 * with handover_note (NULL or ""  = none, at most 2000 bytes). actor must be of
 * that side's org and its admin or current owner, or NULL (the system);
 * another org's actor gets KW_NOTFOUND (not a party) or KW_FORBIDDEN.
 * KW_CONFLICT if user_id already owns that side. Audited.
 */
enum kw_status	 account_set_owner(struct db *, const struct user *actor,
		    long long account_id, enum account_side side,
		    long long user_id, const char *handover_note);

/*
 * The owner history of account_id, newest first, into *list[0..*n-1].
 * Call it only for an account obtained from account_get() for the viewer.
 */
enum kw_status	 account_owner_history(struct db *, struct arena *,
		    long long account_id, struct account_owner **list,
		    size_t *n);

/* The current ownership of one side, as its new owner should see it. */
struct account_handover {
	long long	 user_id;	/* the current owner */
	const char	*user_name;
	const char	*since;		/* UTC ISO-8601 */
	const char	*by_name;	/* who handed over; "" = the system */
	const char	*from_name;	/* the owner before; "" = none */
	const char	*note;		/* handover note; "" = none */
};

/*
 * The current owner of side of account_id with the handover note they
 * were given, into *h (arena), e.g. for "Handed over to you by X on D:
 * note" on the account overview. KW_NOTFOUND when that side has no owner
 * or viewer_org_id is not a party of the account.
 */
enum kw_status	 account_handover(struct db *, struct arena *,
		    long long viewer_org_id, long long account_id,
		    enum account_side side, struct account_handover *h);

/*
 * 1 if actor may hand over their own side of acct (as account_get()
 * gave it for actor's org): an active admin of that side's org or the
 * side's current owner. account_set_owner() enforces the same rule; this
 * is for showing or hiding the form.
 */
int		 account_may_set_owner(const struct user *actor,
		    const struct account *acct);

/*
 * Review periods follow the calendar: a monthly period is a calendar
 * month; quarterly ones are January-March, April-June, July-September
 * and October-December; half-yearly ones January-June and July-December;
 * a yearly one is a calendar year (all days UTC, YYYY-MM-DD).
 *
 * The account's first period starts on its start_date and ends with the
 * calendar period holding start_date, so it may be shorter. A change of
 * cadence (account_set_cadence()) takes effect from the day after the
 * period it was made in ends: the first period of the new cadence starts
 * that day and ends with the new cadence's calendar period holding it
 * (shorter too, e.g. quarterly from 1 March: 1 to 31 March, then April
 * to June). Periods that have begun never change.
 *
 * The history of cadences is kept in account_cadences, one row per
 * cadence with the day it takes effect from (the first row: start_date);
 * accounts.cadence is the latest one set, which may take effect only
 * later. An account without a row in force on a day (made by hand) uses
 * accounts.cadence from start_date.
 */

/* The first and last day of one review period. */
struct account_period {
	char	 from[11];
	char	 to[11];
};

/*
 * The review period of acct (id, start_date and cadence as account_get()
 * or account_list_all() filled them) that holds date: from and to get its
 * first and last day. Returns KW_OK; KW_NOTFOUND (from and to "") when
 * date lies before start_date: it has no period; KW_BADREQ when date or
 * start_date is not a date; or a database status.
 */
enum kw_status	 account_period(struct db *, const struct account *acct,
		    const char *date, char from[11], char to[11]);

/*
 * The last n review periods of acct up to and including the one that
 * holds today (YYYY-MM-DD), oldest first and newest last, into
 * out[0..*count-1] (the caller's array of n); fewer when the account is
 * younger, none (KW_OK, *count 0) when it starts after today. KW_BADREQ
 * for a bad date; *count 0 on any error.
 */
enum kw_status	 account_periods(struct db *, const struct account *acct,
		    size_t n, const char *today, struct account_period *out,
		    size_t *count);

/*
 * Change the review cadence of account_id. actor must be an active admin
 * of the buyer's or the supplier's org, or an operator, or NULL (the
 * system); another org's actor gets KW_NOTFOUND (exactly as for a missing
 * account), a member KW_FORBIDDEN. The new cadence takes effect from the
 * day after the current period (the one holding today) ends, or from
 * start_date for an account that has not started; from (may be NULL)
 * gets that day. KW_BADREQ for a bad cadence; KW_CONFLICT when cadence
 * is already the latest one set. One transaction: a row of
 * account_cadences, accounts.cadence, and an audit event ("account",
 * "cadence", "CADENCE from DAY"); on error nothing changes.
 */
enum kw_status	 account_set_cadence(struct db *, const struct user *actor,
		    long long account_id, enum account_cadence cadence,
		    char from[11]);

extern const struct db_stmt_table account_stmts;

#endif /* ACCOUNT_H */
