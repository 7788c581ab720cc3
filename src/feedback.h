/* feedback.h: satisfaction ratings one side gives the other. */
#ifndef FEEDBACK_H
#define FEEDBACK_H

#include <stddef.h>

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

enum feedback_aspect {
	FEEDBACK_QUALITY = 0,
	FEEDBACK_DELIVERY,
	FEEDBACK_COMMUNICATION,
	FEEDBACK_VALUE,
	FEEDBACK_ASPECT__MAX	/* also: overall (no aspect); any in a filter */
};

/* "quality", "delivery", "communication", "value", NULL (VALID_ENUM). */
extern const char *const feedback_aspect_names[FEEDBACK_ASPECT__MAX + 1];

#define FEEDBACK_RATING_MIN	1
#define FEEDBACK_RATING_MAX	5
#define FEEDBACK_COMMENT_MAX	10000

/* One rating. Strings live in the arena of the call that filled it. */
struct feedback {
	long long		 id;
	long long		 account_id;
	enum account_side	 from_side;	/* the side that gave it */
	int			 rating;	/* 1..5 */
	enum feedback_aspect	 aspect;	/* __MAX = overall */
	const char		*comment;	/* "" = none */
	long long		 created_by;
	const char		*created_by_name;
	const char		*created_at;	/* UTC ISO-8601 */
	const char		*withdrawn_at;	/* "" = standing */
};

/* What one side received in a period (withdrawn ratings never count). */
struct feedback_stats {
	size_t		 count;
	double		 mean;		/* 0 when count is 0 */
};

/*
 * Every function takes the acting user (actor) and the account, which
 * must be one actor's org is party to: otherwise KW_NOTFOUND, exactly as
 * for a missing account or entry. Writes are one transaction each, with
 * an audit event; on any error nothing is changed.
 */

/*
 * Give in->rating (1..5) about the other side of account_id, on
 * in->aspect (FEEDBACK_ASPECT__MAX = overall), with in->comment (NULL or
 * "" = none; at most 10000 bytes, LF and TAB the only control
 * characters). Other fields of in are ignored. *id (may be NULL) gets
 * the new id. KW_BADREQ for bad input.
 */
enum kw_status	 feedback_give(struct db *, const struct user *actor,
		    long long account_id, const struct feedback *in,
		    long long *id);

/*
 * Withdraw rating id of account_id. Only the giving side may:
 * KW_FORBIDDEN for the other side, KW_CONFLICT if already withdrawn.
 */
enum kw_status	 feedback_withdraw(struct db *, const struct user *actor,
		    long long account_id, long long id);

/* Rating id of account_id into *fb (arena). */
enum kw_status	 feedback_get(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    long long id, struct feedback *fb);

/* Which ratings feedback_list() returns: one page of them. */
struct feedback_query {
	const char	*side;		/* who gave it, by name; NULL: any */
	const char	*aspect;	/* by name; NULL: any */
	/* standing and given on the days from..to (YYYY-MM-DD, inclusive;
	 * NULL leaves an end open), as feedback_received() counts them;
	 * with neither, withdrawn ones too */
	const char	*from;
	const char	*to;
	size_t		 limit;		/* 1..1000 */
	size_t		 offset;
};

/*
 * The ratings of account_id that match q (a side or aspect name that is
 * none matches nothing), newest first, into *list[0..*n-1] (arena);
 * *total gets the number matching. KW_BADREQ for a bad limit or date,
 * or from after to.
 */
enum kw_status	 feedback_list(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct feedback_query *q, struct feedback **list,
		    size_t *n, size_t *total);

/*
 * The number and mean of the ratings side received (the other side gave)
 * in account_id on the days from..to (inclusive, YYYY-MM-DD, UTC; from
 * NULL = since ever, to NULL = today). actor NULL is the system (a
 * scheduled job), which sees every account. KW_BADREQ for a bad date or
 * side.
 */
enum kw_status	 feedback_received(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    enum account_side side, const char *from, const char *to,
		    struct feedback_stats *out);

/*
 * feedback_received() of both sides for each of the periods per[0..n-1]
 * (in order, not overlapping) into out[side * n + i], in one query.
 */
enum kw_status	 feedback_received_periods(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const struct account_period *per, size_t n,
		    struct feedback_stats *out);

extern const struct db_stmt_table feedback_stmts;

#endif /* FEEDBACK_H */
