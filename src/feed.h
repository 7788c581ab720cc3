/* feed.h: an Atom feed of one side's strategic updates and promise events. */
#ifndef FEED_H
#define FEED_H

#include "account.h"
#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct export_sink;
struct user;

#define FEED_MIME	"application/atom+xml; charset=utf-8"
#define FEED_ENTRIES_MAX 50
/* The feed's own address under the site's base URL (account, side). */
#define FEED_PATH	"/exchange/accounts/%lld/feed?side=%s"

/*
 * Write the Atom 1.0 feed of side of account_id, as actor sees it, to out
 * (as export_ledger() writes, see export.h): the strategic updates that
 * side shared (withdrawn ones left out) and the events of the promises
 * that side made (made, delivered, kept, disputed, a new due date
 * proposed, accepted or declined, given up), newest first, at most
 * FEED_ENTRIES_MAX. Each entry links to its page on the portal at
 * base_url, and its id is that address (with a fragment naming the event
 * for a promise), so it stays the same however often the feed is read.
 * The feed's id and self link are base_url + FEED_PATH. actor is read as
 * in export_ledger() (only org_id).
 *
 * Before anything is written: KW_NOTFOUND for a missing account or one
 * actor's org is not party to; KW_BADREQ for a side out of range;
 * KW_BUSY or KW_INTERNAL when the database cannot be read. After writing
 * began: KW_OK, or KW_INTERNAL when the database failed or out->write
 * refused (the document is then incomplete).
 */
enum kw_status	 feed_write(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    enum account_side side, const char *base_url,
		    const struct export_sink *out);

extern const struct db_stmt_table feed_stmts;

#endif /* FEED_H */
