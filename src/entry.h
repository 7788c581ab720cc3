/* entry.h: the kinds of ledger entry, their URL paths and existence checks. */
#ifndef ENTRY_H
#define ENTRY_H

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;

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

#endif /* ENTRY_H */
