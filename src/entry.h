/* entry.h: what the ledger's entries share: their kinds and URL paths,
 * existence checks, and creating, reading, listing and withdrawing them. */
#ifndef ENTRY_H
#define ENTRY_H

#include <stddef.h>

#include <sqlite3.h>

#include "account.h"
#include "kw.h"

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
	ENTRY__MAX
};

/* "expectation", "update", ..., NULL. */
extern const char *const entry_names[ENTRY__MAX + 1];
/* The URL segment of each kind's list: "expectations", "updates",
 * "promises", "contacts", "feedback", "concerns", NULL. */
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

/* Index of s in the NULL-ended names[], or -1 (NULL s: -1). */
int		 entry_index(const char *const *names, const char *s);

/* The side called s ("buyer", "supplier"); SIDE__MAX for anything else. */
enum account_side entry_side(const char *s);

/* Fill the entry at out from the current row of st (strings in a). */
typedef void	(*entry_row_fn)(struct arena *a, sqlite3_stmt *st,
		    void *out);

/*
 * Account account_id as actor sees it, into *acct (arena a).
 * KW_NOTFOUND for a NULL actor, a missing account or one actor's org is
 * not party to.
 */
enum kw_status	 entry_account(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    struct account *acct);

/* Bind the entry's own values from in to an insert, from ?5 on. */
typedef void	(*entry_bind_fn)(sqlite3_stmt *st, const void *in);

/* After entry id was inserted from in, inside the same transaction
 * (e.g. to notify the other side). */
typedef enum kw_status (*entry_created_fn)(struct db *, struct arena *a,
		    const struct user *actor, const struct account *acct,
		    long long id, const void *in);

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
	entry_row_fn	 row;
};

/*
 * Create an entry of kind k from in, on actor's side of account_id, in
 * one transaction with the audit event "create" (detail, may be NULL)
 * and k->created(). valid says whether in passed the module's checks:
 * if not, KW_BADREQ (after the account: KW_NOTFOUND as for
 * entry_account() comes first). *id (may be NULL) gets the new id. On
 * any error nothing is changed.
 */
enum kw_status	 entry_create(struct db *, const struct user *actor,
		    long long account_id, const struct entry_table *k,
		    const void *in, int valid, const char *detail,
		    long long *id);

/*
 * Entry id of account_id as actor sees it into out. KW_NOTFOUND as for
 * entry_account(), or if there is no such entry in the account.
 */
enum kw_status	 entry_get(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, long long id, void *out);

/*
 * The entries of account_id matching filter (two values, NULL = any), at
 * most limit (1..ENTRY_LIST_MAX) from offset, as actor sees them: *list
 * gets an array of *n entries (arena a; NULL if none), *total the number
 * matching. KW_NOTFOUND as for entry_account(); KW_BADREQ for a bad
 * limit.
 */
enum kw_status	 entry_list(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct entry_table *k, const char *const filter[2],
		    size_t limit, size_t offset, void **list, size_t *n,
		    size_t *total);

/*
 * Withdraw entry id of account_id on behalf of actor, in one transaction
 * audited as "withdraw". KW_NOTFOUND as for entry_get(), KW_FORBIDDEN if
 * actor is not of the writing side, KW_CONFLICT if already withdrawn;
 * then nothing is changed.
 */
enum kw_status	 entry_withdraw(struct db *, const struct user *actor,
		    long long account_id, const struct entry_table *k,
		    long long id);

/*
 * One row of figures about account_id for the overview and the reviews:
 * statement sid of t gets ?1 = account id, ?2 = from, ?3 = to (dates
 * YYYY-MM-DD, inclusive; from NULL = the earliest, to NULL = today) and
 * ?4 = extra (unless NULL), and row() reads its one row into out. actor NULL
 * is the system (a scheduled job), which sees every account; otherwise
 * KW_NOTFOUND as for entry_account(). KW_BADREQ for a malformed date.
 */
enum kw_status	 entry_figures(struct db *, struct arena *a,
		    const struct user *actor, long long account_id,
		    const struct db_stmt_table *t, int sid, const char *from,
		    const char *to, const char *extra, entry_row_fn row,
		    void *out);

#endif /* ENTRY_H */
