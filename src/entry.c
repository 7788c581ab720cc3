/* entry.c: the kinds of ledger entry, their URL paths and existence checks. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <sqlite3.h>

#include "arena.h"
#include "db.h"
#include "entry.h"
#include "kw.h"

const char *const entry_names[ENTRY__MAX + 1] = {
	[ENTRY_EXPECTATION] = "expectation",
	[ENTRY_UPDATE] = "update",
	[ENTRY_PROMISE] = "promise",
	[ENTRY_CONTACT] = "contact",
	[ENTRY_FEEDBACK] = "feedback",
	[ENTRY_CONCERN] = "concern",
	[ENTRY__MAX] = NULL,
};

const char *const entry_plurals[ENTRY__MAX + 1] = {
	[ENTRY_EXPECTATION] = "expectations",
	[ENTRY_UPDATE] = "updates",
	[ENTRY_PROMISE] = "promises",
	[ENTRY_CONTACT] = "contacts",
	[ENTRY_FEEDBACK] = "feedback",
	[ENTRY_CONCERN] = "concerns",
	[ENTRY__MAX] = NULL,
};

/* One statement per kind, indexed by enum entry_kind: the table name is
 * fixed here, never taken from input. */
static const char *const entry_sql[ENTRY__MAX] = {
	[ENTRY_EXPECTATION] =
	    "SELECT 1 FROM expectations WHERE id = ?1 AND account_id = ?2",
	[ENTRY_UPDATE] =
	    "SELECT 1 FROM updates WHERE id = ?1 AND account_id = ?2",
	[ENTRY_PROMISE] =
	    "SELECT 1 FROM promises WHERE id = ?1 AND account_id = ?2",
	[ENTRY_CONTACT] =
	    "SELECT 1 FROM contacts WHERE id = ?1 AND account_id = ?2",
	[ENTRY_FEEDBACK] =
	    "SELECT 1 FROM feedback WHERE id = ?1 AND account_id = ?2",
	[ENTRY_CONCERN] =
	    "SELECT 1 FROM concerns WHERE id = ?1 AND account_id = ?2",
};

const struct db_stmt_table entry_stmts = {
	"entry", entry_sql, ENTRY__MAX
};

/* Index of name in the NULL-ended table t[0..ENTRY__MAX-1], or -1. */
static int
lookup(const char *const *t, const char *name)
{
	int i;

	for (i = 0; name != NULL && i < ENTRY__MAX; i++)
		if (strcmp(name, t[i]) == 0)
			return i;
	return -1;
}

int
entry_parse(const char *name)
{
	return lookup(entry_names, name);
}

int
entry_parse_plural(const char *plural)
{
	return lookup(entry_plurals, plural);
}

const char *
entry_path(struct arena *a, long long account_id, const char *entity,
    long long entity_id)
{
	int k = entry_parse(entity);

	if (k < 0)
		return NULL;
	return arena_xprintf(a, "/accounts/%lld/%s/%lld", account_id,
	    entry_plurals[k], entity_id);
}

enum kw_status
entry_exists(struct db *db, enum entry_kind kind, long long account_id,
    long long id)
{
	sqlite3_stmt *st;
	int rc;

	if ((int)kind < 0 || kind >= ENTRY__MAX || id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &entry_stmts, (int)kind)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, account_id);
	rc = db_step(db, st);
	db_stmt_done(st);
	if (rc == SQLITE_ROW)
		return KW_OK;
	return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
}
