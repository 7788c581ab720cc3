/* export.h: an account's ledger as XML for partner systems, streamed. */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "kw.h"

struct arena;
struct buf;
struct db;
struct db_stmt_table;
struct user;

/*
 * The documents follow static/exchange/keepword-exchange-1.xsd (namespace
 * EXPORT_NS): an AccountLedger (the whole ledger of an account, or the
 * records changed since a change sequence number) or a ReviewSnapshot (one
 * review). They are written with libxml2's streaming writer, reading the
 * database row by row in one read transaction, so memory stays the same
 * whatever the size of the account, and every document is one consistent
 * state of the ledger.
 */
#define EXPORT_NS		"urn:keepword:exchange:1"
#define EXPORT_VERSION		"1.0"
/* Where the schema is published, under the site's base URL. */
#define EXPORT_SCHEMA_PATH	"/static/exchange/keepword-exchange-1.xsd"
#define EXPORT_MIME		"application/xml; charset=utf-8"

/*
 * Where a document goes: write(ctx, data, len) receives it in order, in
 * pieces of a few kilobytes, as it is made (so a FastCGI handler writes
 * each piece to the response, and kwctl to stdout). It returns 0, or -1
 * to stop the export (e.g. the client went away).
 *
 * The first call comes only after every check has passed: when an
 * export returns an error without having called write, nothing was
 * written and the caller may still answer with an error status (a
 * handler sends its 200 headers on the first call).
 */
struct export_sink {
	int		(*write)(void *ctx, const char *data, size_t len);
	void		*ctx;
};

/* What an export wrote. */
struct export_info {
	long long	 last_seq;	/* LastChangeSequenceNumeric: the
					   high-water mark to ask since next */
	size_t		 records;	/* top-level records written (the
					   Account, Expectations, ...) */
};

/*
 * Write the AccountLedger of account_id as actor sees it to out: every
 * record when since is 0, else only the records whose change sequence
 * number is greater than since (each complete, with everything nested
 * in it). actor NULL is the system (kwctl), which sees every account and
 * every person's email; a user sees an account their org is party to
 * and the emails of their own org's people only. (The exchange program
 * passes a user of the API token's org: only org_id is read.) info (may
 * be NULL) gets the high-water mark and the number of records.
 *
 * Before anything is written: KW_NOTFOUND for a missing account or one
 * actor's org is not party to; KW_BADREQ when since is negative or beyond
 * the high-water mark (a number this database never gave out); KW_BUSY or
 * KW_INTERNAL when the database cannot be read. After writing began: KW_OK,
 * or KW_INTERNAL when the database failed or out->write refused (the
 * document is then incomplete, and not well-formed).
 */
enum kw_status	 export_ledger(struct db *, struct arena *,
		    const struct user *actor,
		    long long account_id, long long since,
		    const struct export_sink *out, struct export_info *info);

/*
 * Write the ReviewSnapshot of review review_id of account_id to out: the
 * account, the review with its signatures, its frozen scorecards (once
 * both sides have signed), actions and comments, and the promises its
 * actions are. Access, statuses and info as for export_ledger();
 * KW_NOTFOUND also for a review that is not account_id's.
 */
enum kw_status	 export_review(struct db *, struct arena *,
		    const struct user *actor,
		    long long account_id, long long review_id,
		    const struct export_sink *out, struct export_info *info);

/*
 * A libxml2 text writer whose output goes to out, in pieces, as the
 * exports write theirs (for the exchange's other documents, such as the
 * feed); it keeps a copy of *out. NULL if libxml2 cannot make one. Free
 * it with xmlFreeTextWriter(), which flushes what is left to out.
 */
xmlTextWriterPtr export_writer(const struct export_sink *out);

/*
 * s (n bytes, NUL-terminated) as text XML can carry: s itself when it is,
 * else a copy in clean with every byte that is not part of a character
 * XML 1.0 allows replaced by U+FFFD; NULL if clean failed (out of room).
 * The portal never stores such text; this keeps every document
 * well-formed whatever the database holds.
 */
const char	*export_xml_text(struct buf *clean, const char *s, size_t n);

/* A random (version 4) UUID in canonical lower-case form into dst, for
 * a document's UUID. Call auth_init() first (libsodium). */
void		 export_uuid(char dst[37]);

extern const struct db_stmt_table export_stmts;

#endif /* EXPORT_H */
