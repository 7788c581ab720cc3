/* entry.h: what the ledger's entries share: their kinds and URL paths,
 * the tenant check, and creating, reading, listing and withdrawing them. */
#ifndef ENTRY_H
#define ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "account.h"
#include "db.h"
#include "kw.h"
#include "notify.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* The ledger entities that comments, notifications and the activity
 * page refer to; names as stored in the entity columns. */
enum entry_kind {
	ENTRY_EXPECTATION = 0,
	ENTRY_UPDATE,
	ENTRY_PROMISE,
	ENTRY_CONTACT,
	ENTRY_FEEDBACK,
	ENTRY_CONCERN,
	ENTRY_REVIEW,
	ENTRY__MAX
};

/* "expectation", "update", ..., NULL. */
extern const char *const entry_names[ENTRY__MAX + 1];
/* The URL segment of each kind's list: "expectations", "updates",
 * "promises", "contacts", "feedback", "concerns", "reviews", NULL. */
extern const char *const entry_plurals[ENTRY__MAX + 1];

/* The kind named name (singular) or plural (URL segment); -1 if none. */
int		 entry_parse(const char *name);
int		 entry_parse_plural(const char *plural);

/*
 * The path of an entry's page, "/accounts/ID/PLURAL/EID", allocated in
 * a; NULL if entity is not a ledger entity name.
 */
const char	*entry_path(struct arena *a, long long account_id,
		    const char *entity, long long entity_id);

/*
 * Whether entry id of kind exists in account_id: KW_OK, KW_NOTFOUND
 * (also for a bad kind or an entry of another account), or a database
 * status. The CALLER must have checked that the viewer may see the
 * account (account_get); each kind is read from its own fixed table.
 */
enum kw_status	 entry_exists(struct db *, enum entry_kind kind,
		    long long account_id, long long id);

extern const struct db_stmt_table entry_stmts;

/* Most entries one list call returns. */
#define ENTRY_LIST_MAX	1000
/* The largest offset into a list. */
#define ENTRY_OFFSET_MAX	((size_t)INT32_MAX)

/*
 * The tenant check every entry function starts with: account account_id
 * as actor's org sees it, into *acct (arena a). KW_NOTFOUND for a missing
 * account or one actor's org is not party to. A NULL actor, the system,
 * is party to no account either: KW_NOTFOUND, with *acct zeroed and
 * my_side SIDE__MAX.
 */
enum kw_status	 entry_account(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    struct account *acct);

/* The tenant check alone (account_party()) for actor, for reads that
 * need nothing of the account; actor NULL gets KW_NOTFOUND. */
enum kw_status	 entry_party(struct db *, const struct user *actor,
		    long long account_id);

/* The value of a list filter on an enum: names[i], or NULL (any) when i
 * is not in 0..n-1 (n, the enum's __MAX, means "any"). */
const char	*entry_filter(const char *const *names, int n, int i);

/* The ends of an open period filter: no day of the ledger lies outside
 * them, and the day after the last is a date too (for SQL's "< date(to,
 * '+1 day')"). */
#define ENTRY_DAY_FIRST	"1900-01-01"
#define ENTRY_DAY_LAST	"9999-12-30"

/*
 * A list's period filter: the days from..to (inclusive, YYYY-MM-DD; NULL
 * leaves that end open). 1 if both are NULL or good dates and from is
 * not after to, else 0.
 */
int		 entry_days_ok(const char *from, const char *to);

/*
 * Bind the period filter from..to (checked with entry_days_ok()) to ?i
 * and ?i+1 of st: both NULL when from and to are (no filter: a statement
 * tests "?i IS NULL"); otherwise from, or the earliest day, and to, or
 * ENTRY_DAY_LAST.
 */
void		 entry_bind_days(sqlite3_stmt *st, int i, const char *from,
		    const char *to);

/* Statement sid of t with ?1 account_id and the list filters ?2 and ?3
 * (filter[0], filter[1]; NULL = any) bound; NULL if it did not prepare. */
sqlite3_stmt	*entry_filter_stmt(struct db *, const struct db_stmt_table *t,
		    int sid, long long account_id, const char *const filter[2]);

/*
 * One page of a list: bind limit (1..ENTRY_LIST_MAX) and offset (at most
 * ENTRY_OFFSET_MAX; else KW_BADREQ) to ?4 and ?5 of st, the bound list
 * statement, and read its rows as db_rows() does into *list[0..*n-1];
 * then, when total is not NULL, read cst, the bound count of all rows
 * that match, into *total as db_count() does. Both statements (either
 * NULL if it did not prepare) are given back in every case.
 */
enum kw_status	 entry_page(struct db *, struct arena *a, sqlite3_stmt *st,
		    sqlite3_stmt *cst, size_t limit, size_t offset,
		    size_t size, db_row_fn fn, void **list, size_t *n,
		    size_t *total);

/* After entity id was inserted from in on actor's side of acct, inside
 * the same transaction (e.g. to notify the other side). */
typedef enum kw_status (*entry_created_fn)(struct db *, struct arena *a,
		    const struct user *actor, const struct account *acct,
		    const char *entity, long long id, const void *in);

/*
 * Insert a new entry in one transaction: run st, the entry's INSERT from
 * db_stmt() (NULL if it did not prepare) with the entry's own values
 * bound from ?5 on; ?1 (account), ?2 (side), ?3 (created_by) and ?4
 * (created_at) are bound here to acct, actor's side, actor and now. Then
 * the audit event "create" of entity (detail may be NULL) and, unless
 * NULL, created(..., in). *id (may be NULL) gets the new id. st is given
 * back in every case; on error nothing is written.
 */
enum kw_status	 entry_insert(struct db *, struct arena *a,
		    const struct user *actor, const struct account *acct,
		    sqlite3_stmt *st, const char *entity, const char *detail,
		    entry_created_fn created, const void *in, long long *id);

/*
 * entry_insert() inside a transaction the caller holds (db_begin()): the
 * same insert, audit event and created() call, without beginning or
 * ending one. On error st is given back and the caller must roll back
 * what ran so far (db_finish()); *id is set only on KW_OK.
 */
enum kw_status	 entry_insert_in(struct db *, struct arena *a,
		    const struct user *actor, const struct account *acct,
		    sqlite3_stmt *st, const char *entity, const char *detail,
		    entry_created_fn created, const void *in, long long *id);

/* What the other side is told of a new entry. */
struct entry_notice {
	enum notify_kind	 kind;
	const char		*text;	/* 1..400 bytes */
};

/* entry_created_fn that tells the active users of the other side of
 * acct in, a struct entry_notice, once per user (key "ENTITY-ID"). */
enum kw_status	 entry_announce(struct db *, struct arena *a,
		    const struct user *actor, const struct account *acct,
		    const char *entity, long long id, const void *in);

/* Bind the entry's own values from in to an insert, from ?5 on. */
typedef void	(*entry_bind_fn)(sqlite3_stmt *st, const void *in);

/* How to create, read, list and withdraw one kind of entry. */
struct entry_table {
	const char			*entity;	/* audit trail */
	const struct db_stmt_table	*t;
	int	 sid_insert;	/* ?1 account id, ?2 side, ?3 created_by,
				   ?4 created_at, ?5... bind() */
	entry_bind_fn	 bind;
	entry_created_fn created;	/* NULL = nothing more to do */
	int	 sid_get;	/* ?1 id, ?2 account id: the entry's row */
	int	 sid_count;	/* ?1 account id, ?2, ?3 filters (NULL =
				   any): SELECT count(*) */
	int	 sid_list;	/* the same and ?4 limit, ?5 offset: rows */
	int	 sid_side;	/* ?1 id, ?2 account id: the side that wrote
				   it, withdrawn (0/1); -1 = cannot be
				   withdrawn */
	int	 sid_withdraw;	/* ?1 id, ?2 account id, ?3 the time */
	size_t		 size;		/* of one entry */
	db_row_fn	 row;
};

/*
 * The functions below take an entry_table k. For each, a NULL actor, a
 * missing account or one actor's org is not party to is KW_NOTFOUND
 * (entry_account()); so is an entry id that is not in account_id.
 */

/*
 * Create an entry of kind k from in on actor's side of account_id, as
 * entry_insert() does. valid says whether in passed the module's checks:
 * if not, KW_BADREQ (after the account check). *id (may be NULL) gets
 * the new id.
 */
enum kw_status	 entry_create(struct db *, const struct user *actor,
		    long long account_id, const struct entry_table *k,
		    const void *in, int valid, const char *detail,
		    long long *id);

/* entry_create() inside a transaction the caller holds (db_begin()),
 * with arena a: on any status but KW_OK the caller must roll back. */
enum kw_status	 entry_create_in(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, const void *in, int valid,
		    const char *detail, long long *id);

/* Entry id of account_id as actor sees it into out (arena a). */
enum kw_status	 entry_get(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, long long id, void *out);

/*
 * The entries of account_id matching filter (two values, NULL = any),
 * one page as entry_page() reads it: *list gets an array of *n entries
 * (arena a; NULL if none), *total the number matching.
 */
enum kw_status	 entry_list(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, const char *const filter[2],
		    size_t limit, size_t offset, void **list, size_t *n,
		    size_t *total);

/*
 * entry_list() of a kind whose list and count statements filter by the
 * days from..to too, as ?6 and ?7 (entry_bind_days()). KW_BADREQ for
 * bad days (entry_days_ok()).
 */
enum kw_status	 entry_list_days(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, const char *const filter[2],
		    const char *from, const char *to, size_t limit,
		    size_t offset, void **list, size_t *n, size_t *total);

/*
 * Withdraw entry id of account_id on behalf of actor, in one transaction
 * audited as "withdraw". KW_FORBIDDEN if actor is not of the writing
 * side, KW_CONFLICT if already withdrawn; then nothing is changed.
 */
enum kw_status	 entry_withdraw(struct db *, const struct user *actor,
		    long long account_id, const struct entry_table *k,
		    long long id);

/* entry_withdraw() inside a transaction the caller holds, with arena a:
 * on any status but KW_OK the caller must roll back. */
enum kw_status	 entry_withdraw_in(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, long long id);

/*
 * The period from..to for entry_figures(): from NULL is the earliest day
 * (1900-01-01), to NULL today. KW_BADREQ if either is too long to be a
 * date (entry_figures() checks them).
 */
enum kw_status	 entry_period(struct account_period *p, const char *from,
		    const char *to);

/*
 * Figures about account_id per review period, for the overview, the
 * reviews and the trends, in one query. Statement sid of t gets ?1 = the
 * account id, ?2 = the first day of the first period and ?3 = the last
 * day of the last one; it returns the rows that count, each starting
 * with its day (YYYY-MM-DD, or a UTC ISO-8601 time on that day) and,
 * when by_side, the side it counts for (account_side_names). For each
 * row on a day of one of the periods per[0..n-1] (from..to each, in
 * order and not overlapping; a period may be empty, to before from),
 * row() adds the row to that period's element of the array out
 * (elements of size bytes, which the caller initialises): out[i], or
 * out[side * n + i] when by_side (both sides' periods, the buyer's
 * first); rows on other days are skipped. actor NULL is the system (a scheduled
 * job), which sees every account; otherwise KW_NOTFOUND as for
 * entry_account(). KW_BADREQ for a malformed date, periods out of order
 * or n of 0.
 */
enum kw_status	 entry_figures(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct db_stmt_table *t, int sid, int by_side,
		    const struct account_period *per, size_t n, db_row_fn row,
		    void *out, size_t size);

#endif /* ENTRY_H */
