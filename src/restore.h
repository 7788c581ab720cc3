/* restore.h: a whole AccountLedger written back as a new account. */
#ifndef RESTORE_H
#define RESTORE_H

#include <libxml/tree.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct import_report;

/*
 * One restore under way, inside the write transaction import_document()
 * holds: a ledger Keepword exported (kwctl export, which names every
 * person's email) written as it was, as a new account. Opaque.
 */
struct restore;

/*
 * Start a restore into db; errors and counts go to report (strings in
 * arena a). Returns NULL when memory runs out.
 */
struct restore	*restore_new(struct db *, struct arena *a,
		    struct import_report *report);

/*
 * Restore one child of the AccountLedger: a header field, the Account
 * (its parties and people are found by name and email, or created; a
 * second restore of the same account is KW_CONFLICT), or a record with
 * everything nested in it, checking that each person acted on the side
 * the record says. Returns KW_OK, or the status of the error it added to
 * the report; after an error the caller must not go on (the
 * transaction holds part of a record) but roll back.
 */
enum kw_status	 restore_element(struct restore *, xmlNodePtr node);

/*
 * After the last element: every reference must have found its record;
 * the restore is audited. KW_OK or an error's status (in the report).
 * report->account_id names the new account.
 */
enum kw_status	 restore_finish(struct restore *);

/* Free r (NULL is a no-op). */
void		 restore_free(struct restore *r);

extern const struct db_stmt_table restore_stmts;

#endif /* RESTORE_H */
