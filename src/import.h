/* import.h: exchange documents applied to the ledger, whole or not at all. */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct export_sink;
struct user;

/* The most errors a report lists; one more says how many were left out. */
#define IMPORT_ERRORS_MAX	100

/* One error of an imported document. */
struct import_error {
	long		 line;		/* of the document; 0 = all of it */
	enum kw_status	 status;	/* KW_BADREQ, KW_FORBIDDEN, ... */
	const char	*msg;		/* one sentence or two, in the arena */
};

/* What an import did, or why it did nothing. Strings live in the arena
 * of the import_document() call. */
struct import_report {
	enum kw_status		 status;	/* import_document()'s */
	long long		 account_id;	/* imported into; 0 = none */
	const char		*doc_id;	/* the header's ID, UUID; */
	const char		*doc_uuid;	/*   NULL if not read */
	size_t			 created;	/* top-level records: new, */
	size_t			 changed;	/*   existing and changed, */
	size_t			 unchanged;	/*   existing as they were */
	struct import_error	*errors;	/* [0..nerrors-1], in order */
	size_t			 nerrors;
	size_t			 dropped;	/* errors beyond the most */
};

/*
 * Apply the exchange document xml (len bytes) to the database in one
 * transaction: every record, or none. The document is read as untrusted
 * input (xmlin_read(): size capped at XMLIN_MAX before parsing, no DTD or
 * entities, streamed and validated against the built-in schema).
 *
 * An AccountLedgerSubmission goes into account account_id (> 0), which
 * its header's ProfileExecutionID must name. actor says who submits it:
 *   - a user (actor->id > 0): that user's organisation's side, by them;
 *   - an organisation (actor->id == 0, actor->org_id > 0): its side, by
 *     the people the records name, else its owner of the account;
 *   - NULL, the system (kwctl): each record's own side, by the people
 *     the records name, else that side's owner.
 * Records are created and changed through the same core functions and
 * rules as in the portal (expectation_create_in(), promise_act_in() ...):
 * a side creates only its own records and takes only the steps that are
 * its own (the promisor never confirms its promise). Records are matched
 * by ID or ExternalID; what is recorded already is left as it is, so
 * importing the same document twice changes nothing the second time
 * (see the schema's AccountLedgerSubmission for the rules).
 *
 * An AccountLedger (a whole ledger exported by kwctl) is restored as a
 * new account when account_id is 0 and actor is NULL (the operator):
 * its organisations and people are found by name and email or created,
 * and every record is written as it was, with its times and authors;
 * report->account_id gets the new account. Restoring the same ledger a
 * second time is refused (KW_CONFLICT) and writes nothing.
 *
 * report (zeroed first) gets the counts and every error, each with its
 * line. Returns KW_OK when the document was applied. Otherwise nothing
 * was written, and the status is KW_BADREQ for a document that is not
 * well-formed or not valid (whatever else was wrong), else that of its
 * first error: KW_TOOBIG (larger than XMLIN_MAX), KW_BADREQ (a DOCTYPE,
 * a value or a kind of document that cannot be imported here),
 * KW_NOTFOUND (the account is not actor's, or a record named by ID is
 * not in it), KW_FORBIDDEN (a step that is the other side's),
 * KW_CONFLICT (a step the record's state does not allow, or text that
 * differs from the recorded one), KW_BUSY or KW_INTERNAL.
 * report->status is the same.
 */
enum kw_status	 import_document(struct db *, struct arena *,
		    const struct user *actor, long long account_id,
		    const char *xml, size_t len, struct import_report *report);

/*
 * Add an error at line (0: the whole document) to report (a is its
 * arena): at most IMPORT_ERRORS_MAX are kept, then they are counted in
 * report->dropped. The first error's status becomes report->status.
 * For callers that refuse a document before import_document() (e.g. a
 * request without a body) and want to answer with a report.
 */
void		 import_report_add(struct import_report *report,
		    struct arena *a, long line, enum kw_status status,
		    const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/* import_report_add() of the text "name: " and fmt's (name: the element
 * of the document the error is about); returns status. */
enum kw_status	 import_report_at(struct import_report *report,
		    struct arena *a, long line, const char *name,
		    enum kw_status status, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));

/*
 * import_report_at() about node (an xmlNodePtr) of the document: "Name:
 * msg" with node's line (xmlin.h). x is the import under way, holding
 * the report (rep) and its arena (a). Returns status.
 */
#define IMPORT_FAIL(x, node, status, ...) \
	import_report_at((x)->rep, (x)->a, xmlin_line(node), \
	    xmlin_name(node), status, __VA_ARGS__)

/* The ReasonCode of an error status in the schema's ErrorReasonCodeType
 * ("invalid", "forbidden", "not-found", "conflict", "too-large",
 * "unavailable", "internal"). */
const char	*import_reason_code(enum kw_status);

/*
 * Write report as an ImportReport document (urn:keepword:exchange:1) to
 * out, with libxml2's writer: StatusCode accepted when report->status is
 * KW_OK, else rejected with its ReasonCode and every Error. KW_OK, or
 * KW_INTERNAL when the
 * writer failed or out refused (the document is then incomplete).
 */
enum kw_status	 import_report_write(const struct import_report *report,
		    const struct export_sink *out);

extern const struct db_stmt_table import_stmts;

#endif /* IMPORT_H */
