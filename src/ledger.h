/* ledger.h: plumbing that the ledger's entry modules (expectation, update) share. */
#ifndef LEDGER_H
#define LEDGER_H

#include <stddef.h>

#include <sqlite3.h>

#include "account.h"
#include "kw.h"
#include "notify.h"

struct arena;
struct db;
struct user;

/*
 * The tenant check every entry function starts with: account_id as
 * actor's org sees it, into *acct. KW_FORBIDDEN for a NULL actor (the
 * system is no party), KW_NOTFOUND for a missing account or one of
 * other orgs.
 */
enum kw_status	 ledger_party(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    struct account *acct);

/*
 * Inside the caller's write transaction, after inserting entity id on
 * the actor's side of acct: audit it ("create", detail) and notify the
 * other side's users of kind with text (1..400 bytes), once per user
 * (key "ENTITY-ID"). Returns KW_OK or a database status.
 */
enum kw_status	 ledger_created(struct db *, struct arena *,
		    const struct user *actor, const struct account *acct,
		    const char *entity, long long id, const char *detail,
		    enum notify_kind kind, const char *text);

/*
 * Insert an entry and announce it, in one transaction: run st, a new
 * entry's INSERT from db_stmt() (or NULL if it did not prepare) whose
 * ?1 (account), ?2 (side), ?6 (created_by) and ?7 (created_at) are bound
 * here to acct, the actor's side, the actor and now, the rest by the
 * caller; then ledger_created(). *id (may be NULL) gets the new id. On
 * error nothing is written and st is given back.
 */
enum kw_status	 ledger_create(struct db *, struct arena *,
		    const struct user *actor, const struct account *acct,
		    sqlite3_stmt *st, const char *entity, const char *detail,
		    enum notify_kind kind, const char *text, long long *id);

/* End a write transaction begun with db_begin(): commit when ret is
 * KW_OK and return the commit's status, else roll back and return ret. */
enum kw_status	 ledger_finish(struct db *, enum kw_status ret);

/* Log that actor may not take action on entity id and return st. */
enum kw_status	 ledger_denied(const struct user *actor, const char *entity,
		    const char *action, long long id, enum kw_status st);

/* names[i], or NULL (an unset filter) when i is not in 0..n-1. */
const char	*ledger_name(const char *const *names, int n, int i);

/* The index in names (NULL-ended) of text column col, or fallback. */
int		 ledger_col_enum(sqlite3_stmt *, int col,
		    const char *const *names, int fallback);

/* Fill one element (size bytes at elem, zeroed) from the current row. */
typedef void	(*ledger_row_fn)(struct arena *, sqlite3_stmt *, void *elem);

/*
 * Step st (a bound statement from db_stmt(), or NULL if it did not
 * prepare) to its end, one element of size bytes a row filled by fn,
 * into *list[0..*n-1] (arena), and give it back. KW_OK or a database
 * status (then *list is NULL and *n 0).
 */
enum kw_status	 ledger_rows(struct db *, struct arena *, sqlite3_stmt *st,
		    size_t size, ledger_row_fn fn, void **list, size_t *n);

/* Step st (as above), a count, and give it back: *n gets the count. */
enum kw_status	 ledger_count(struct db *, sqlite3_stmt *st, size_t *n);

/* Step st (as above), expected to yield at most one row, into elem with
 * fn, and give it back: KW_OK, KW_NOTFOUND or a database status. */
enum kw_status	 ledger_one(struct db *, struct arena *, sqlite3_stmt *st,
		    ledger_row_fn fn, void *elem);

/*
 * One page of a list: bind limit (1..1000, else KW_BADREQ) and offset
 * to ?4 and ?5 of st, the bound list statement, and read its rows as
 * ledger_rows() does; then, when total is not NULL, step cst, the bound
 * count of all rows that match, into *total. Both statements (either
 * may be NULL if it did not prepare) are given back in every case.
 */
enum kw_status	 ledger_page(struct db *, struct arena *, sqlite3_stmt *st,
		    sqlite3_stmt *cst, size_t limit, size_t offset,
		    size_t size, ledger_row_fn fn, void **list, size_t *n,
		    size_t *total);

#endif /* LEDGER_H */
