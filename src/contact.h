/* contact.h: logged interactions between the two sides of an account. */
#ifndef CONTACT_H
#define CONTACT_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

enum contact_channel {
	CONTACT_MEETING = 0,
	CONTACT_CALL,
	CONTACT_VISIT,
	CONTACT_VIDEO,
	CONTACT_EMAIL,
	CONTACT_CHANNEL__MAX	/* also: "any channel" in a filter */
};

/* "meeting", "call", "visit", "video", "email", NULL (VALID_ENUM). */
extern const char *const contact_channel_names[CONTACT_CHANNEL__MAX + 1];

/* Bounds of the text fields, in bytes (the schema's CHECKs). */
#define CONTACT_PARTICIPANTS_MAX	2000
#define CONTACT_SUMMARY_MAX		10000
#define CONTACT_NEXT_STEP_MAX		2000

/* One logged contact. Strings live in the arena of the call that
 * filled it. */
struct contact {
	long long		 id;
	long long		 account_id;
	enum account_side	 side;		/* the side that logged it */
	const char		*date;		/* YYYY-MM-DD */
	enum contact_channel	 channel;
	const char		*participants;
	const char		*summary;
	const char		*next_step;	/* "" = none */
	long long		 created_by;
	const char		*created_by_name;
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*withdrawn_at;	/* "" = standing */
};

/* Figures for the overview and the reviews (withdrawn contacts never
 * count). */
struct contact_stats {
	size_t		 count;		/* contacts dated from..to */
	const char	*last_date;	/* latest on or before to; "" = none */
	long long	 days_since;	/* to - last_date in days; -1 = none */
};

/*
 * Every function takes the acting user (actor) and the account, which
 * must be one actor's org is party to: otherwise KW_NOTFOUND, exactly as
 * for a missing account or entry. Writes are one transaction each, with
 * an audit event; on any error nothing is changed.
 */

/*
 * Log in->date (YYYY-MM-DD, not after today), in->channel,
 * in->participants (1..2000 bytes), in->summary (1..10000 bytes) and
 * in->next_step (NULL or "" = none, at most 2000 bytes) for actor's side
 * of account_id. Multi-line text may hold LF and TAB, no other control
 * characters. Other fields of in are ignored. *id (may be NULL)
 * gets the new id. KW_BADREQ for bad input (contact_date_error() tells
 * whether it was the date).
 */
enum kw_status	 contact_log(struct db *, const struct user *actor,
		    long long account_id, const struct contact *in,
		    long long *id);

/* contact_log() and contact_withdraw() inside a transaction the caller
 * holds (db_begin()), with arena a: the same checks, statuses and audit
 * events; on any status but KW_OK the caller must roll back. */
enum kw_status	 contact_log_in(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct contact *in, long long *id);
enum kw_status	 contact_withdraw_in(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    long long id);

/*
 * Why date is not acceptable as a contact's date ("Enter a date as
 * YYYY-MM-DD.", "The date cannot be in the future."), or NULL if it is.
 */
const char	*contact_date_error(const char *date);

/*
 * Withdraw contact id of account_id. Only the side that logged it may:
 * KW_FORBIDDEN for the other side, KW_CONFLICT if already withdrawn.
 */
enum kw_status	 contact_withdraw(struct db *, const struct user *actor,
		    long long account_id, long long id);

/* Contact id of account_id into *c (arena). */
enum kw_status	 contact_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct contact *c);

/* Which contacts contact_list() returns: one page of them. */
struct contact_query {
	const char	*side;		/* who logged it, by name; NULL: any */
	const char	*channel;	/* by name; NULL: any */
	/* standing and dated from..to (YYYY-MM-DD, inclusive; NULL leaves
	 * an end open), as contact_stats() counts them; with neither,
	 * withdrawn ones too */
	const char	*from;
	const char	*to;
	size_t		 limit;		/* 1..1000 */
	size_t		 offset;
};

/*
 * The contacts of account_id that match q (a side or channel name that
 * is none matches nothing), newest first (by date, then by entry), into
 * *list[0..*n-1] (arena); *total gets the number matching. KW_BADREQ for
 * a bad limit or date, or from after to.
 */
enum kw_status	 contact_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct contact_query *q, struct contact **list,
		    size_t *n, size_t *total);

/*
 * The number of contacts of account_id dated from..to (inclusive,
 * YYYY-MM-DD; from NULL = since ever, to NULL = today) and the days from
 * the last contact on or before to until to. actor NULL is the system
 * (a scheduled job), which sees every account. KW_BADREQ for a bad date.
 */
enum kw_status	 contact_stats(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *from, const char *to,
		    struct contact_stats *out);

/*
 * contact_stats() for each of the periods per[0..n-1] (in order, not
 * overlapping) into out[0..n-1], each as of its last day (which the
 * caller keeps from lying after today): one query, and one more for
 * each period without a contact of its own.
 */
enum kw_status	 contact_stats_periods(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct account_period *per, size_t n,
		    struct contact_stats *out);

extern const struct db_stmt_table contact_stmts;

#endif /* CONTACT_H */
