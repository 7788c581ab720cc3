/* import.c: exchange documents applied to the ledger, whole or not at all. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "comment.h"
#include "contact.h"
#include "db.h"
#include "entry.h"
#include "expectation.h"
#include "export.h"
#include "import.h"
#include "kw.h"
#include "org.h"
#include "promise.h"
#include "req.h"
#include "restore.h"
#include "update.h"
#include "xmlin.h"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)		((const xmlChar *)(s))

/* Longest error message kept, in bytes (DescriptionText holds 2000
 * characters). */
#define MSG_MAX		1000

enum import_stmt {
	STMT_IMP_SAVEPOINT,
	STMT_IMP_ROLLBACK_TO,
	STMT_IMP_RELEASE,
	STMT_IMP_PERSON,
	STMT_IMP_EXP_BY_ID,
	STMT_IMP_EXP_BY_EXT,
	STMT_IMP_EXP_SET_EXT,
	STMT_IMP_UPD_BY_ID,
	STMT_IMP_UPD_BY_EXT,
	STMT_IMP_UPD_SET_EXT,
	STMT_IMP_PROM_BY_ID,
	STMT_IMP_PROM_BY_EXT,
	STMT_IMP_PROM_SET_EXT,
	STMT_IMP_CONT_BY_ID,
	STMT_IMP_CONT_BY_EXT,
	STMT_IMP_CONT_SET_EXT,
	STMT_IMP_CONC_BY_EXT,
	STMT_IMP_ASSESSMENTS,
	STMT_IMP_ASSESS_SET_EXT,
	STMT_IMP_READERS,
	STMT_IMP_DELIVERIES,
	STMT_IMP_DELIV_SET_EXT,
	STMT_IMP_CHANGES,
	STMT_IMP_CHANGE_SET_EXT,
	STMT_IMP_COMMENTS,
	STMT_IMP_COMMENT_SET_EXT,
	STMT_IMP__MAX
};

/* The statements of one kind of top-level record: ?1 id, ?2 account
 * (external id, id). */
#define BY_ID(t)	"SELECT coalesce(external_id, '') FROM " t \
			" WHERE id = ?1 AND account_id = ?2"
#define BY_EXT(t)	"SELECT id FROM " t \
			" WHERE account_id = ?1 AND external_id = ?2"
#define SET_EXT(t)	"UPDATE " t " SET external_id = ?2 WHERE id = ?1"

static const char *const import_sql[STMT_IMP__MAX] = {
	[STMT_IMP_SAVEPOINT] = "SAVEPOINT import_record",
	[STMT_IMP_ROLLBACK_TO] = "ROLLBACK TO import_record",
	[STMT_IMP_RELEASE] = "RELEASE import_record",
	/* an active user of org ?1 by id ?2 or email ?3, the id first */
	[STMT_IMP_PERSON] =
	    "SELECT id FROM users WHERE org_id = ?1 AND active = 1 "
	    "AND (id = ?2 OR email = lower(?3)) ORDER BY id = ?2 DESC LIMIT 1",
	[STMT_IMP_EXP_BY_ID] = BY_ID("expectations"),
	[STMT_IMP_EXP_BY_EXT] = BY_EXT("expectations"),
	[STMT_IMP_EXP_SET_EXT] = SET_EXT("expectations"),
	[STMT_IMP_UPD_BY_ID] = BY_ID("updates"),
	[STMT_IMP_UPD_BY_EXT] = BY_EXT("updates"),
	[STMT_IMP_UPD_SET_EXT] = SET_EXT("updates"),
	[STMT_IMP_PROM_BY_ID] = BY_ID("promises"),
	[STMT_IMP_PROM_BY_EXT] = BY_EXT("promises"),
	[STMT_IMP_PROM_SET_EXT] = SET_EXT("promises"),
	[STMT_IMP_CONT_BY_ID] = BY_ID("contacts"),
	[STMT_IMP_CONT_BY_EXT] = BY_EXT("contacts"),
	[STMT_IMP_CONT_SET_EXT] = SET_EXT("contacts"),
	[STMT_IMP_CONC_BY_EXT] = BY_EXT("concerns"),
	/* The recorded parts of a record, each as a struct part: id,
	 * external id, then up to three values to compare and a flag. */
	[STMT_IMP_ASSESSMENTS] =
	    "SELECT id, coalesce(external_id, ''), period_start, rating, "
	    "note, 0 FROM expectation_assessments WHERE expectation_id = ?1 "
	    "ORDER BY period_start",
	[STMT_IMP_ASSESS_SET_EXT] = SET_EXT("expectation_assessments"),
	[STMT_IMP_READERS] =
	    "SELECT r.user_id, '', u.email, NULL, NULL, 0 "
	    "FROM update_reads r JOIN users u ON u.id = r.user_id "
	    "WHERE r.update_id = ?1",
	[STMT_IMP_DELIVERIES] =
	    "SELECT id, coalesce(external_id, ''), delivered_on, note, "
	    "outcome, 0 FROM promise_deliveries WHERE promise_id = ?1 "
	    "ORDER BY id",
	[STMT_IMP_DELIV_SET_EXT] = SET_EXT("promise_deliveries"),
	[STMT_IMP_CHANGES] =
	    "SELECT id, coalesce(external_id, ''), new_due, reason, outcome, "
	    "0 FROM promise_due_changes WHERE promise_id = ?1 ORDER BY id",
	[STMT_IMP_CHANGE_SET_EXT] = SET_EXT("promise_due_changes"),
	[STMT_IMP_COMMENTS] =
	    "SELECT id, coalesce(external_id, ''), body, NULL, NULL, "
	    "withdrawn_at IS NOT NULL FROM comments "
	    "WHERE account_id = ?1 AND entity = ?2 AND entity_id = ?3 "
	    "ORDER BY id",
	[STMT_IMP_COMMENT_SET_EXT] = SET_EXT("comments"),
};

const struct db_stmt_table import_stmts = {
	"import", import_sql, STMT_IMP__MAX
};

/* ---- the report --------------------------------------------------------- */

const char *
import_reason_code(enum kw_status st)
{
	switch (st) {
	case KW_BADREQ:
		return "invalid";
	case KW_FORBIDDEN:
	case KW_UNAUTH:
		return "forbidden";
	case KW_NOTFOUND:
		return "not-found";
	case KW_CONFLICT:
		return "conflict";
	case KW_TOOBIG:
		return "too-large";
	case KW_BUSY:
	case KW_TOOMANY:
		return "unavailable";
	default:
		return "internal";
	}
}

/* s made fit for DescriptionText in place: control characters become
 * spaces, and text that is not UTF-8 loses its non-ASCII bytes. */
static void
clean_msg(char *s)
{
	size_t n = strlen(s), i;
	int utf8 = req_utf8_valid(s, n);

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = ' ';
		else if (!utf8 && (unsigned char)s[i] >= 0x80)
			s[i] = '?';
	}
	/* Never end inside a character (a message cut at MSG_MAX). */
	while (n > 0 && (unsigned char)s[n - 1] >= 0x80 &&
	    !req_utf8_valid(s, n))
		s[--n] = '\0';
}

void
import_report_add(struct import_report *r, struct arena *a, long line,
    enum kw_status status, const char *fmt, ...)
{
	struct import_error *e;
	char msg[MSG_MAX];
	va_list ap;

	if (r->nerrors == 0)
		r->status = status;
	if (r->nerrors >= IMPORT_ERRORS_MAX) {
		r->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clean_msg(msg);
	if (r->nerrors == 0)
		r->errors = arena_xcalloc(a, IMPORT_ERRORS_MAX,
		    sizeof(*r->errors));
	e = &r->errors[r->nerrors++];
	e->line = line > 0 ? line : 0;
	e->status = status;
	e->msg = arena_xstrdup(a, *msg != '\0' ? msg : "Error.");
}

enum kw_status
import_report_at(struct import_report *r, struct arena *a, long line,
    const char *name, enum kw_status status, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	import_report_add(r, a, line, status, "%s: %s", name, msg);
	return status;
}

/* The report being written (export_writer()), and whether a write
 * failed. */
struct out {
	xmlTextWriterPtr	 w;
	int			 failed;
};

/* <name>text</name>; a failure is noted. */
static void
put(struct out *o, const char *name, const char *text)
{
	if (xmlTextWriterWriteElement(o->w, XC(name), XC(text)) < 0)
		o->failed = 1;
}

static void
put_int(struct out *o, const char *name, long long v)
{
	char n[KW_ITOA_SIZE];

	put(o, name, kw_itoa(n, v));
}

static void
open_el(struct out *o, const char *name)
{
	if (xmlTextWriterStartElement(o->w, XC(name)) < 0)
		o->failed = 1;
}

static void
close_el(struct out *o)
{
	if (xmlTextWriterEndElement(o->w) < 0)
		o->failed = 1;
}

/* One Error element. */
static void
put_error(struct out *o, enum kw_status st, long line, const char *msg)
{
	open_el(o, "Error");
	put(o, "ReasonCode", import_reason_code(st));
	if (line > 0)
		put_int(o, "LineNumeric", line);
	put(o, "DescriptionText", msg);
	close_el(o);
}

enum kw_status
import_report_write(const struct import_report *r,
    const struct export_sink *sink)
{
	struct out o;
	char uuid[37], now[32], day[11], n[64];
	size_t i;

	if (auth_init() != 0)
		return KW_INTERNAL;
	memset(&o, 0, sizeof(o));
	if ((o.w = export_writer(sink)) == NULL)
		return KW_INTERNAL;
	export_uuid(uuid);
	clock_iso(clock_now(), now, sizeof(now));
	memcpy(day, now, 10);
	day[10] = '\0';
	if (xmlTextWriterSetIndent(o.w, 1) < 0 ||
	    xmlTextWriterSetIndentString(o.w, XC(" ")) < 0 ||
	    xmlTextWriterStartDocument(o.w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(o.w, NULL, XC("ImportReport"),
	    XC(EXPORT_NS)) < 0)
		o.failed = 1;
	put(&o, "UUID", uuid);
	put(&o, "IssueDate", day);
	put(&o, "IssueTime", now + 11);
	put(&o, "VersionID", EXPORT_VERSION);
	if (r->account_id > 0)
		put_int(&o, "ProfileExecutionID", r->account_id);
	if (r->doc_id != NULL || r->doc_uuid != NULL) {
		open_el(&o, "DocumentReference");
		if (r->doc_id != NULL)
			put(&o, "ID", r->doc_id);
		if (r->doc_uuid != NULL)
			put(&o, "UUID", r->doc_uuid);
		close_el(&o);
	}
	put(&o, "StatusCode", r->status == KW_OK ? "accepted" : "rejected");
	if (r->status != KW_OK)
		put(&o, "ReasonCode", import_reason_code(r->status));
	put_int(&o, "CreatedQuantity", (long long)r->created);
	put_int(&o, "ChangedQuantity", (long long)r->changed);
	put_int(&o, "UnchangedQuantity", (long long)r->unchanged);
	for (i = 0; i < r->nerrors; i++)
		put_error(&o, r->errors[i].status, r->errors[i].line,
		    r->errors[i].msg);
	if (r->dropped > 0) {
		snprintf(n, sizeof(n), "%zu more errors were left out.",
		    r->dropped);
		put_error(&o, r->status, 0, n);
	}
	if (r->status != KW_OK && r->nerrors == 0)
		put_error(&o, r->status, 0, kw_status_str(r->status));
	if (xmlTextWriterEndDocument(o.w) < 0 || xmlTextWriterFlush(o.w) < 0)
		o.failed = 1;
	xmlFreeTextWriter(o.w);
	return o.failed ? KW_INTERNAL : KW_OK;
}

/* ---- an import under way ------------------------------------------------ */

/* What the root element is. */
enum root {
	ROOT_NONE = 0,
	ROOT_SUBMISSION,
	ROOT_LEDGER,
	ROOT_OTHER
};

struct imp {
	struct db		*db;
	struct arena		*a;	/* the caller's: the report */
	struct arena		*tmp;	/* one record's, reset after it */
	const struct user	*actor;	/* NULL: the system */
	struct user		 reader; /* reads records for a NULL actor */
	long long		 account_id;	/* 0: a restore */
	struct account		 acct;
	enum account_side	 side;	/* actor's; SIDE__MAX: the system */
	struct import_report	*rep;
	enum root		 root;
	struct restore		*restore;
	int			 stop;	/* apply nothing more */
};

/* An error about a node of the document (import.h). */
#define FAIL	IMPORT_FAIL

/* A database status as an error of node. */
static enum kw_status
db_failed(struct imp *x, xmlNodePtr node, enum kw_status ret)
{
	if (ret == KW_BUSY)
		return FAIL(x, node, ret, "The database is busy; send the "
		    "document again later.");
	return FAIL(x, node, ret, "The database failed (%s).",
	    kw_status_str(ret));
}

/* The side the code child name of node names (SIDE__MAX: none). */
#define SIDE(x, node, name) \
	((enum account_side)xmlin_code((x)->tmp, node, name, \
	    account_side_names, SIDE__MAX))

/* "the buyer" / "the supplier". */
static const char *
the(enum account_side side)
{
	return side == SIDE_BUYER ? "the buyer" : side == SIDE_SUPPLIER ?
	    "the supplier" : "neither side";
}

/*
 * Who takes a step of side for the import, into *u: the user the Person
 * element person names (by ID or email) when they are an active user of
 * the acting organisation; else the submitting user; else the acting
 * side's owner of the account. The acting organisation is actor's, or
 * for the system the one on side. KW_OK, KW_BADREQ (no one can act) or
 * a database status.
 */
static enum kw_status
acting(struct imp *x, xmlNodePtr node, enum account_side side,
    xmlNodePtr person, struct user *u)
{
	enum account_side as = x->actor != NULL ? x->side : side;
	long long org, pid = 0, id = 0, owner;
	sqlite3_stmt *st;
	enum kw_status ret;

	org = as == SIDE_BUYER ? x->acct.buyer_org_id :
	    x->acct.supplier_org_id;
	if (person != NULL) {
		if (xmlin_int(person, "ID", 1, INT64_MAX, &pid) != 0)
			pid = 0;
		if ((st = db_stmt(x->db, &import_stmts, STMT_IMP_PERSON)) !=
		    NULL) {
			db_bind_int(st, 1, org);
			db_bind_int(st, 2, pid);
			db_bind_text(st, 3, xmlin_token(x->tmp, person,
			    "ElectronicMailText"));
		}
		if ((ret = db_ints(x->db, st, &id, 1)) != KW_OK ||
		    (id > 0 && (ret = user_get(x->db, x->tmp, id, u)) !=
		    KW_OK))
			return db_failed(x, node, ret);
		if (id > 0)
			return KW_OK;
	}
	if (x->actor != NULL && x->actor->id > 0) {
		*u = *x->actor;
		return KW_OK;
	}
	owner = as == SIDE_BUYER ? x->acct.buyer_owner_id :
	    x->acct.supplier_owner_id;
	if (owner == 0)
		return FAIL(x, node, KW_BADREQ, "No one can act for %s: name "
		    "a person of its organisation, or give the account an "
		    "owner for %s.", the(as), the(as));
	if ((ret = user_get(x->db, x->tmp, owner, u)) != KW_OK)
		return db_failed(x, node, ret);
	return KW_OK;
}

/*
 * A core function answered ret to step what (e.g. "confirming a
 * delivery"), which is side's to take, tried by u: the error, with the
 * core's own message (may be NULL) when it gave one.
 */
static enum kw_status
step_failed(struct imp *x, xmlNodePtr node, enum kw_status ret,
    const char *what, enum account_side side, const struct user *u,
    const char *msg)
{
	switch (ret) {
	case KW_FORBIDDEN:
		return FAIL(x, node, ret, "%s%s%s is for %s; %s cannot do it, "
		    "through XML either.", msg != NULL ? msg : "",
		    msg != NULL ? " " : "", what, the(side),
		    the(account_org_side(&x->acct, u->org_id)));
	case KW_CONFLICT:
		return FAIL(x, node, ret, "%s: %s", what, msg != NULL ? msg :
		    "the record's state does not allow it (or it was done "
		    "already).");
	case KW_BADREQ:
		return FAIL(x, node, ret, "%s: %s", what, msg != NULL ? msg :
		    "a value is not acceptable (too long, a control character, "
		    "a date in the future or a past due date...).");
	case KW_NOTFOUND:
		return FAIL(x, node, ret, "%s: %s", what, msg != NULL ? msg :
		    "the record is not in this account.");
	default:
		return db_failed(x, node, ret);
	}
}

/*
 * Who writes a new record node of side (what: "An expectation"...), into
 * *u: as acting() finds them from its CreatedByPerson. KW_FORBIDDEN when
 * they are not of that side: a side writes only its own records.
 */
static enum kw_status
author(struct imp *x, xmlNodePtr node, enum account_side side,
    const char *what, struct user *u)
{
	enum account_side us;
	enum kw_status ret;

	if ((ret = acting(x, node, side, xmlin_child(node, "CreatedByPerson"),
	    u)) != KW_OK ||
	    (us = account_org_side(&x->acct, u->org_id)) == side)
		return ret;
	return FAIL(x, node, KW_FORBIDDEN, "%s of %s can only be written by "
	    "%s; %s cannot write it.", what, the(side), the(side), the(us));
}

/* 1 if the submitted text s (NULL: absent) differs from the recorded
 * text rec ("" or NULL: none). */
static int
differs(const char *s, const char *rec)
{
	return strcmp(s != NULL ? s : "", rec != NULL ? rec : "") != 0;
}

/* The error of a record whose field name differs from the recorded one. */
static enum kw_status
not_recorded(struct imp *x, xmlNodePtr node, const char *name,
    const char *what)
{
	return FAIL(x, node, KW_CONFLICT, "%s differs from the recorded %s: "
	    "recorded entries do not change.", name, what);
}

/* A field of a record as submitted and as recorded. */
struct same {
	const char	*name;	/* its element; NULL ends a list */
	const char	*doc;	/* submitted; NULL: absent */
	const char	*rec;	/* recorded; NULL or "": none */
};

/* KW_OK if each field of the list s is as recorded in the what record
 * node names; else the conflict of the first that is not. */
static enum kw_status
as_recorded(struct imp *x, xmlNodePtr node, const char *what,
    const struct same *s)
{
	for (; s->name != NULL; s++)
		if (differs(s->doc, s->rec))
			return not_recorded(x, node, s->name, what);
	return KW_OK;
}

/* Run statement sid with id ?1 and text ?2 (an external id). */
static enum kw_status
set_text(struct imp *x, int sid, long long id, const char *text)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(x->db, &import_stmts, sid)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, text);
	return db_exec(x->db, st);
}

/*
 * Give part id (recorded with external id rec, "" for none) the external
 * id ext of node (NULL: none given) with statement sid: nothing when it
 * has it already; *changed is set when it is recorded now. KW_CONFLICT
 * when it has another one, or another record has it.
 */
static enum kw_status
match_ext(struct imp *x, xmlNodePtr node, int sid, long long id,
    const char *rec, const char *ext, int *changed)
{
	enum kw_status ret;

	if (ext == NULL || strcmp(ext, rec) == 0)
		return KW_OK;
	if (*rec != '\0')
		return FAIL(x, node, KW_CONFLICT, "ExternalID \"%s\" differs "
		    "from the recorded \"%s\".", ext, rec);
	if ((ret = set_text(x, sid, id, ext)) == KW_CONFLICT)
		return FAIL(x, node, ret, "ExternalID \"%s\" names another "
		    "record already.", ext);
	if (ret != KW_OK)
		return db_failed(x, node, ret);
	*changed = 1;
	return KW_OK;
}

/* ---- records and their recorded parts ----------------------------------- */

/* The statements of one kind of top-level record. */
struct kind {
	const char	*element;	/* "Expectation" */
	const char	*what;		/* "expectation", for messages */
	const char	*entity;	/* comments' entity name */
	int		 by_id, by_ext, set_ext;
};

/* A top-level record of a submission being applied. */
struct rec {
	xmlNodePtr		 node;
	const struct kind	*k;
	long long		 id;	/* recorded (found or created); 0 new */
	const char		*ext;	/* its ExternalID; NULL none */
	int			 created, changed;
};

/* A recorded part of a record (a delivery, a comment...): its id, its
 * external id ("" = none), up to three values and a flag, as the
 * statement that read it says. */
struct part {
	long long	 id;
	const char	*ext;
	const char	*v[3];
	int		 flag;
};

/* db_row_fn of a struct part. */
static void
part_row(struct arena *a, sqlite3_stmt *st, void *elem)
{
	struct part *p = elem;
	int i;

	p->id = sqlite3_column_int64(st, 0);
	p->ext = db_col_text(a, st, 1);
	for (i = 0; i < 3; i++)
		p->v[i] = db_col_text(a, st, 2 + i);
	p->flag = sqlite3_column_int(st, 5);
}

/* The recorded parts of id with statement sid (?1 = id; comments: ?1
 * account, ?2 entity, ?3 id) into *list[0..*n-1] (tmp arena). */
static enum kw_status
parts(struct imp *x, int sid, long long id, const char *entity,
    struct part **list, size_t *n)
{
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	if ((st = db_stmt(x->db, &import_stmts, sid)) != NULL) {
		if (entity != NULL) {
			db_bind_int(st, 1, x->acct.id);
			db_bind_text(st, 2, entity);
			db_bind_int(st, 3, id);
		} else
			db_bind_int(st, 1, id);
	}
	ret = db_rows(x->db, x->tmp, st, sizeof(**list), part_row, &rows, n);
	*list = rows;
	return ret;
}

/*
 * Find the record r names: by ID (it must be a record of this kind in
 * the account), else by an ExternalID it was recorded with; neither is
 * a new record (r->id 0). A given ExternalID is recorded for a record
 * found by ID that has none.
 */
static enum kw_status
identify(struct imp *x, struct rec *r)
{
	sqlite3_stmt *st;
	const char *rec = NULL;
	long long id = 0;
	enum kw_status ret;
	int rc;

	r->ext = xmlin_token(x->tmp, r->node, "ExternalID");
	rc = xmlin_int(r->node, "ID", 1, INT64_MAX, &id);
	if (rc < 0)
		return FAIL(x, r->node, KW_NOTFOUND, "ID is no %s of this "
		    "account.", r->k->what);
	if (rc == 0) {
		if ((st = db_stmt(x->db, &import_stmts, r->k->by_id)) == NULL)
			return db_failed(x, r->node, KW_INTERNAL);
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, x->acct.id);
		if ((rc = db_step(x->db, st)) == SQLITE_ROW)
			rec = db_col_text(x->tmp, st, 0);
		db_stmt_done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_failed(x, r->node, db_status(rc));
		if (rec == NULL)
			return FAIL(x, r->node, KW_NOTFOUND, "there is no %s "
			    "%lld in this account.", r->k->what, id);
		r->id = id;
		return match_ext(x, r->node, r->k->set_ext, id, rec, r->ext,
		    &r->changed);
	}
	if (r->ext == NULL)
		return KW_OK;
	if ((st = db_stmt(x->db, &import_stmts, r->k->by_ext)) != NULL) {
		db_bind_int(st, 1, x->acct.id);
		db_bind_text(st, 2, r->ext);
	}
	if ((ret = db_ints(x->db, st, &id, 1)) != KW_OK)
		return db_failed(x, r->node, ret);
	r->id = id;
	return KW_OK;
}

/* Record r->ext for the record r created. */
static enum kw_status
created(struct imp *x, struct rec *r)
{
	int changed = 0;

	r->created = 1;
	return match_ext(x, r->node, r->k->set_ext, r->id, "", r->ext,
	    &changed);
}

/*
 * The record ref (an ExpectationReference or ConcernReference; NULL: no
 * link) names, into *id (0 for none): by its ExternalID if one is
 * recorded, else by its ID; it must be in the account.
 */
static enum kw_status
reference(struct imp *x, xmlNodePtr ref, enum entry_kind kind, int by_ext,
    long long *id)
{
	sqlite3_stmt *st;
	const char *ext;
	long long v = 0;
	enum kw_status ret;

	*id = 0;
	if (ref == NULL)
		return KW_OK;
	if ((ext = xmlin_token(x->tmp, ref, "ExternalID")) != NULL) {
		if ((st = db_stmt(x->db, &import_stmts, by_ext)) != NULL) {
			db_bind_int(st, 1, x->acct.id);
			db_bind_text(st, 2, ext);
		}
		if ((ret = db_ints(x->db, st, id, 1)) != KW_OK)
			return db_failed(x, ref, ret);
		if (*id > 0)
			return KW_OK;
	}
	if (xmlin_int(ref, "ID", 1, INT64_MAX, &v) == 0) {
		if ((ret = entry_exists(x->db, kind, x->acct.id, v)) ==
		    KW_OK) {
			*id = v;
			return KW_OK;
		}
		if (ret != KW_NOTFOUND)
			return db_failed(x, ref, ret);
	}
	return FAIL(x, ref, KW_NOTFOUND, "it names no %s of this account.",
	    entry_names[kind]);
}

/*
 * The Comment elements of record r, matched by position with the
 * comments recorded on it: those recorded come back unchanged (a
 * withdrawal may be added by their author), those after them are added
 * by their author's side.
 */
static enum kw_status
apply_comments(struct imp *x, struct rec *r)
{
	struct part *rec;
	struct comment cm;
	struct user u;
	xmlNodePtr c;
	const char *body, *ext;
	enum account_side side;
	long long cid;
	enum kw_status ret;
	size_t n, i = 0;
	int withdrawn, dummy;

	if ((ret = parts(x, STMT_IMP_COMMENTS, r->id, r->k->entity, &rec,
	    &n)) != KW_OK)
		return db_failed(x, r->node, ret);
	for (c = xmlin_child(r->node, "Comment"); c != NULL;
	    c = xmlin_next(c, "Comment"), i++) {
		body = xmlin_text(x->tmp, c, "BodyText");
		ext = xmlin_token(x->tmp, c, "ExternalID");
		side = SIDE(x, c, "AuthorSideCode");
		withdrawn = xmlin_child(c, "WithdrawalDate") != NULL;
		if (i < n) {
			if (differs(body, rec[i].v[0]))
				return not_recorded(x, c, "BodyText",
				    "comment");
			if (rec[i].flag && !withdrawn)
				return FAIL(x, c, KW_CONFLICT, "the comment "
				    "was withdrawn: it cannot stand again.");
			if ((ret = match_ext(x, c, STMT_IMP_COMMENT_SET_EXT,
			    rec[i].id, rec[i].ext, ext, &r->changed)) !=
			    KW_OK)
				return ret;
			if (rec[i].flag || !withdrawn)
				continue;
			cid = rec[i].id;
		} else {
			if ((ret = author(x, c, side, "A comment", &u)) !=
			    KW_OK)
				return ret;
			if ((ret = comment_add_in(x->db, x->tmp, &u,
			    x->acct.id, r->k->entity, r->id, body, &cid)) !=
			    KW_OK)
				return step_failed(x, c, ret, "Adding a "
				    "comment", side, &u, NULL);
			r->changed = 1;
			if ((ret = match_ext(x, c, STMT_IMP_COMMENT_SET_EXT,
			    cid, "", ext, &dummy)) != KW_OK)
				return ret;
			if (!withdrawn)
				continue;
		}
		if ((ret = acting(x, c, side, xmlin_child(c,
		    "CreatedByPerson"), &u)) != KW_OK)
			return ret;
		ret = comment_withdraw_in(x->db, x->tmp, &u, x->acct.id, cid,
		    &cm);
		if (ret == KW_FORBIDDEN)
			return FAIL(x, c, ret, "only its author can withdraw "
			    "a comment.");
		if (ret != KW_OK)
			return step_failed(x, c, ret, "Withdrawing a comment",
			    side, &u, NULL);
		r->changed = 1;
	}
	if (i < n)
		return FAIL(x, r->node, KW_CONFLICT, "%zu comments are "
		    "recorded on this %s; the document lists %zu. Send the "
		    "whole record, with every comment.", n, r->k->what, i);
	return KW_OK;
}

/* ---- expectations ------------------------------------------------------- */

/*
 * The ExpectationAssessment elements of expectation r (stated by side):
 * matched by their period with the recorded assessments, which must be
 * the same; new ones are made by the stating side.
 */
static enum kw_status
apply_assessments(struct imp *x, struct rec *r, enum account_side side)
{
	struct expectation_input in;
	struct part *rec;
	struct user u;
	xmlNodePtr a, per;
	const char *start, *end, *ext;
	char from[11], to[11];
	enum kw_status ret;
	size_t n, i;
	int changed;

	if ((ret = parts(x, STMT_IMP_ASSESSMENTS, r->id, NULL, &rec, &n)) !=
	    KW_OK)
		return db_failed(x, r->node, ret);
	for (a = xmlin_child(r->node, "ExpectationAssessment"); a != NULL;
	    a = xmlin_next(a, "ExpectationAssessment")) {
		per = xmlin_child(a, "AssessmentPeriod");
		start = xmlin_token(x->tmp, per, "StartDate");
		end = xmlin_token(x->tmp, per, "EndDate");
		ext = xmlin_token(x->tmp, a, "ExternalID");
		memset(&in, 0, sizeof(in));
		in.date = start;
		in.note = xmlin_text(x->tmp, a, "NoteText");
		in.rating = (enum expectation_rating)xmlin_code(x->tmp, a,
		    "RatingCode", expectation_rating_names,
		    EXPECTATION_RATING__MAX);
		for (i = 0; i < n && strcmp(rec[i].v[0], start) != 0; i++)
			continue;
		if (i < n) {
			if (differs(xmlin_token(x->tmp, a, "RatingCode"),
			    rec[i].v[1]))
				return not_recorded(x, a, "RatingCode",
				    "assessment of that period");
			if (differs(in.note, rec[i].v[2]))
				return not_recorded(x, a, "NoteText",
				    "assessment of that period");
			if ((ret = match_ext(x, a, STMT_IMP_ASSESS_SET_EXT,
			    rec[i].id, rec[i].ext, ext, &r->changed)) !=
			    KW_OK)
				return ret;
			continue;
		}
		if ((ret = acting(x, a, side, xmlin_child(a,
		    "AssessedByPerson"), &u)) != KW_OK)
			return ret;
		if ((ret = expectation_act_in(x->db, x->tmp, &u, x->acct.id,
		    r->id, EXPECTATION_ASSESS, &in, from, to)) != KW_OK)
			return step_failed(x, a, ret,
			    "Assessing an expectation", side, &u, NULL);
		if (strcmp(from, start) != 0 || strcmp(to, end) != 0)
			return FAIL(x, per, KW_BADREQ, "%s..%s is not a review "
			    "period of the account; the period holding %s is "
			    "%s..%s.", start, end, start, from, to);
		r->changed = 1;
		if (ext == NULL)
			continue;
		/* The new assessment's external id. */
		if ((ret = parts(x, STMT_IMP_ASSESSMENTS, r->id, NULL, &rec,
		    &n)) != KW_OK)
			return db_failed(x, r->node, ret);
		for (i = 0; i < n && strcmp(rec[i].v[0], start) != 0; i++)
			continue;
		if (i < n && (ret = match_ext(x, a, STMT_IMP_ASSESS_SET_EXT,
		    rec[i].id, rec[i].ext, ext, &changed)) != KW_OK)
			return ret;
	}
	return KW_OK;
}

/* Take step action (NULL input) on expectation r, which is side's to
 * take, by the person child person of r names. */
static enum kw_status
expectation_step(struct imp *x, struct rec *r, enum expectation_action act,
    const struct expectation_input *in, enum account_side side,
    const char *person, const char *what)
{
	struct user u;
	enum kw_status ret;

	if ((ret = acting(x, r->node, side, xmlin_child(r->node, person),
	    &u)) != KW_OK)
		return ret;
	if ((ret = expectation_act_in(x->db, x->tmp, &u, x->acct.id, r->id,
	    act, in, NULL, NULL)) != KW_OK)
		return step_failed(x, r->node, ret, what, side, &u, NULL);
	r->changed = 1;
	return KW_OK;
}

/*
 * An Expectation: stated by its side when new; acknowledged by the other
 * side, assessed and retired by the stating side as its StatusCode and
 * assessments say.
 */
static enum kw_status
apply_expectation(struct imp *x, struct rec *r)
{
	struct expectation_input in;
	struct expectation e;
	struct user u;
	xmlNodePtr n = r->node;
	enum account_side side = SIDE(x, n, "ExpectingSideCode");
	const char *title = xmlin_text(x->tmp, n, "TitleText");
	const char *detail = xmlin_text(x->tmp, n, "DetailText");
	const char *target = xmlin_text(x->tmp, n, "TargetText");
	int want = xmlin_code(x->tmp, n, "StatusCode",
	    expectation_state_names, -1);
	enum expectation_state state;
	enum kw_status ret;

	if (r->id == 0) {
		if ((ret = author(x, n, side, "An expectation", &u)) != KW_OK)
			return ret;
		if ((ret = expectation_create_in(x->db, x->tmp, &u,
		    x->acct.id, title, detail, target, &r->id)) != KW_OK)
			return step_failed(x, n, ret, "Stating an expectation",
			    side, &u, NULL);
		if ((ret = created(x, r)) != KW_OK)
			return ret;
		state = EXPECTATION_PROPOSED;
	} else {
		if ((ret = expectation_get(x->db, x->tmp, &x->reader,
		    x->acct.id, r->id, &e)) != KW_OK)
			return db_failed(x, n, ret);
		{
			const struct same same[] = {
				{ "ExpectingSideCode", account_side_name(side),
				    account_side_name(e.from_side) },
				{ "TitleText", title, e.title },
				{ "DetailText", detail, e.detail },
				{ "TargetText", target, e.target },
				{ NULL, NULL, NULL },
			};

			if ((ret = as_recorded(x, n, "expectation", same)) !=
			    KW_OK)
				return ret;
		}
		state = e.state;
	}

	/* Acknowledged: now, or before it was retired. */
	if (state == EXPECTATION_PROPOSED &&
	    (want == EXPECTATION_ACKNOWLEDGED ||
	    (want == EXPECTATION_RETIRED &&
	    xmlin_child(n, "AcknowledgementDate") != NULL))) {
		if ((ret = expectation_step(x, r, EXPECTATION_ACKNOWLEDGE, NULL,
		    account_other_side(side), "AcknowledgedByPerson",
		    "Acknowledging an expectation")) != KW_OK)
			return ret;
		state = EXPECTATION_ACKNOWLEDGED;
	}
	if (want == EXPECTATION_PROPOSED && state != EXPECTATION_PROPOSED)
		return FAIL(x, n, KW_CONFLICT, "StatusCode: the expectation "
		    "is %s already.", expectation_state_names[state]);
	if ((ret = apply_assessments(x, r, side)) != KW_OK)
		return ret;
	if (want == EXPECTATION_RETIRED && state != EXPECTATION_RETIRED) {
		memset(&in, 0, sizeof(in));
		in.reason = xmlin_text(x->tmp, n, "RetirementReasonText");
		if ((ret = expectation_step(x, r, EXPECTATION_RETIRE, &in, side,
		    "RetiredByPerson", "Retiring an expectation")) != KW_OK)
			return ret;
	} else if (want != EXPECTATION_RETIRED && state == EXPECTATION_RETIRED)
		return FAIL(x, n, KW_CONFLICT, "StatusCode: the expectation "
		    "was retired; it cannot be held again.");
	return apply_comments(x, r);
}

/* ---- updates ------------------------------------------------------------ */

/*
 * An Update: posted by its side when new; each UpdateAcknowledgement not
 * recorded yet (by its person's ID or email) is made by the other side;
 * a withdrawal by the author's side.
 */
static enum kw_status
apply_update(struct imp *x, struct rec *r)
{
	struct update up;
	struct part *read;
	struct user u;
	xmlNodePtr n = r->node, k, p;
	enum account_side side = SIDE(x, n, "AuthorSideCode");
	const char *kind = xmlin_token(x->tmp, n, "UpdateTypeCode");
	const char *title = xmlin_text(x->tmp, n, "TitleText");
	const char *body = xmlin_text(x->tmp, n, "BodyText");
	const char *email;
	long long pid;
	int withdrawn = xmlin_child(n, "WithdrawalDate") != NULL;
	enum kw_status ret;
	size_t nread, i;

	if (r->id == 0) {
		if ((ret = author(x, n, side, "An update", &u)) != KW_OK)
			return ret;
		if ((ret = update_create_in(x->db, x->tmp, &u, x->acct.id,
		    (enum update_kind)xmlin_code(x->tmp, n, "UpdateTypeCode",
		    update_kind_names, UPDATE_KIND__MAX), title, body,
		    &r->id)) != KW_OK)
			return step_failed(x, n, ret, "Posting an update", side,
			    &u, NULL);
		if ((ret = created(x, r)) != KW_OK)
			return ret;
		memset(&up, 0, sizeof(up));
		up.withdrawn_at = "";
	} else {
		if ((ret = update_get(x->db, x->tmp, &x->reader, x->acct.id,
		    r->id, &up)) != KW_OK)
			return db_failed(x, n, ret);
		{
			const struct same same[] = {
				{ "AuthorSideCode", account_side_name(side),
				    account_side_name(up.side) },
				{ "UpdateTypeCode", kind,
				    update_kind_names[up.kind] },
				{ "TitleText", title, up.title },
				{ "BodyText", body, up.body },
				{ NULL, NULL, NULL },
			};

			if ((ret = as_recorded(x, n, "update", same)) != KW_OK)
				return ret;
		}
		if (*up.withdrawn_at != '\0' && !withdrawn)
			return FAIL(x, n, KW_CONFLICT, "the update was "
			    "withdrawn; it cannot stand again.");
	}

	if ((ret = parts(x, STMT_IMP_READERS, r->id, NULL, &read, &nread)) !=
	    KW_OK)
		return db_failed(x, n, ret);
	for (k = xmlin_child(n, "UpdateAcknowledgement"); k != NULL;
	    k = xmlin_next(k, "UpdateAcknowledgement")) {
		p = xmlin_child(k, "AcknowledgedByPerson");
		if (xmlin_int(p, "ID", 1, INT64_MAX, &pid) != 0)
			pid = 0;
		email = xmlin_token(x->tmp, p, "ElectronicMailText");
		for (i = 0; i < nread && read[i].id != pid &&
		    (email == NULL || strcmp(read[i].v[0], email) != 0); i++)
			continue;
		if (i < nread)
			continue;	/* read already */
		if ((ret = acting(x, k, account_other_side(side), p, &u)) !=
		    KW_OK)
			return ret;
		if ((ret = update_act_in(x->db, x->tmp, &u, x->acct.id, r->id,
		    UPDATE_READ)) != KW_OK)
			return step_failed(x, k, ret, "Acknowledging an update",
			    account_other_side(side), &u, NULL);
		r->changed = 1;
	}
	if (withdrawn && *up.withdrawn_at == '\0') {
		if ((ret = acting(x, n, side, NULL, &u)) != KW_OK)
			return ret;
		if ((ret = update_act_in(x->db, x->tmp, &u, x->acct.id, r->id,
		    UPDATE_WITHDRAW)) != KW_OK)
			return step_failed(x, n, ret, "Withdrawing an update",
			    side, &u, NULL);
		r->changed = 1;
	}
	return apply_comments(x, r);
}

/* ---- contacts ----------------------------------------------------------- */

/* A Contact: logged by its side when new; withdrawn by it. */
static enum kw_status
apply_contact(struct imp *x, struct rec *r)
{
	struct contact in, c;
	struct user u;
	xmlNodePtr n = r->node;
	enum account_side side = SIDE(x, n, "AuthorSideCode");
	const char *channel = xmlin_token(x->tmp, n, "ChannelCode");
	int withdrawn = xmlin_child(n, "WithdrawalDate") != NULL;
	enum kw_status ret;

	memset(&in, 0, sizeof(in));
	in.date = xmlin_token(x->tmp, n, "ContactDate");
	in.channel = (enum contact_channel)xmlin_code(x->tmp, n, "ChannelCode",
	    contact_channel_names, CONTACT_CHANNEL__MAX);
	in.participants = xmlin_text(x->tmp, n, "ParticipantsText");
	in.summary = xmlin_text(x->tmp, n, "SummaryText");
	in.next_step = xmlin_text(x->tmp, n, "NextStepText");
	if (r->id == 0) {
		if ((ret = author(x, n, side, "A contact", &u)) != KW_OK)
			return ret;
		if ((ret = contact_log_in(x->db, x->tmp, &u, x->acct.id, &in,
		    &r->id)) != KW_OK)
			return step_failed(x, n, ret, "Logging a contact", side,
			    &u, contact_date_error(in.date));
		if ((ret = created(x, r)) != KW_OK)
			return ret;
		c.withdrawn_at = "";
	} else {
		if ((ret = contact_get(x->db, x->tmp, &x->reader, x->acct.id,
		    r->id, &c)) != KW_OK)
			return db_failed(x, n, ret);
		{
			const struct same same[] = {
				{ "AuthorSideCode", account_side_name(side),
				    account_side_name(c.side) },
				{ "ContactDate", in.date, c.date },
				{ "ChannelCode", channel,
				    contact_channel_names[c.channel] },
				{ "ParticipantsText", in.participants,
				    c.participants },
				{ "SummaryText", in.summary, c.summary },
				{ "NextStepText", in.next_step, c.next_step },
				{ NULL, NULL, NULL },
			};

			if ((ret = as_recorded(x, n, "contact", same)) !=
			    KW_OK)
				return ret;
		}
		if (*c.withdrawn_at != '\0' && !withdrawn)
			return FAIL(x, n, KW_CONFLICT, "the contact was "
			    "withdrawn; it cannot stand again.");
	}
	if (withdrawn && *c.withdrawn_at == '\0') {
		if ((ret = acting(x, n, side, NULL, &u)) != KW_OK)
			return ret;
		if ((ret = contact_withdraw_in(x->db, x->tmp, &u, x->acct.id,
		    r->id)) != KW_OK)
			return step_failed(x, n, ret, "Withdrawing a contact",
			    side, &u, NULL);
		r->changed = 1;
	}
	return apply_comments(x, r);
}

/* ---- promises ----------------------------------------------------------- */

/* One step of a promise's history that is not recorded yet. */
struct pstep {
	xmlNodePtr		 node;		/* the part it comes from */
	enum promise_action	 act;
	enum account_side	 side;		/* whose step it is */
	const char		*person;	/* the child naming who
						   took it */
	const char		*what;		/* for messages */
	struct promise_input	 in;
};

/* The two kinds of history part of a promise. */
struct history {
	const char	*element;	/* "PromiseDelivery" */
	const char	*what;		/* "delivery" */
	int		 sid_list, sid_set_ext;
	const char	*date, *text;	/* the elements compared */
	const char	*by;		/* who adds one */
};

static const struct history deliveries = {
	"PromiseDelivery", "delivery", STMT_IMP_DELIVERIES,
	STMT_IMP_DELIV_SET_EXT, "DeliveryDate", "NoteText",
	"DeliveredByPerson",
};

static const struct history due_changes = {
	"PromiseDueDateChange", "due-date change", STMT_IMP_CHANGES,
	STMT_IMP_CHANGE_SET_EXT, "ProposedDueDate", "ReasonText",
	"ProposedByPerson",
};

/* Add step act of side to s[*n]. */
static struct pstep *
add_step(struct pstep *s, size_t *n, xmlNodePtr node, enum promise_action act,
    enum account_side side, const char *person, const char *what)
{
	struct pstep *p = &s[(*n)++];

	memset(p, 0, sizeof(*p));
	p->node = node;
	p->act = act;
	p->side = side;
	p->person = person;
	p->what = what;
	return p;
}

/*
 * The steps the parts h of promise r (made by promisor) add to what is
 * recorded, into *out[0..*n-1], in order: the parts are matched by
 * position with the recorded ones, which must be the same (an answer
 * may be added to a part that awaits one); the parts after them are new.
 */
static enum kw_status
history_steps(struct imp *x, struct rec *r, const struct history *h,
    enum account_side promisor, struct pstep **out, size_t *n)
{
	enum account_side promisee = account_other_side(promisor);
	struct part *rec = NULL;
	struct pstep *s, *p;
	xmlNodePtr c;
	const char *date, *text, *outcome;
	enum kw_status ret;
	size_t nrec = 0, count, i = 0;

	*n = 0;
	if (r->id != 0 && (ret = parts(x, h->sid_list, r->id, NULL, &rec,
	    &nrec)) != KW_OK)
		return db_failed(x, r->node, ret);
	count = xmlin_count(r->node, h->element);
	*out = s = arena_xcalloc(x->tmp, 2 * count + 1, sizeof(*s));
	for (c = xmlin_child(r->node, h->element); c != NULL;
	    c = xmlin_next(c, h->element), i++) {
		date = xmlin_token(x->tmp, c, h->date);
		text = xmlin_text(x->tmp, c, h->text);
		outcome = xmlin_token(x->tmp, c, "OutcomeCode");
		if (i < nrec) {
			if (differs(date, rec[i].v[0]))
				return not_recorded(x, c, h->date, h->what);
			if (differs(text, rec[i].v[1]))
				return not_recorded(x, c, h->text, h->what);
			if (!differs(outcome, rec[i].v[2]))
				continue;
			if (strcmp(rec[i].v[2], "pending") != 0)
				return FAIL(x, c, KW_CONFLICT, "the %s was "
				    "answered already: it is %s.", h->what,
				    rec[i].v[2]);
		} else if (h == &deliveries) {
			p = add_step(s, n, c, PROMISE_DELIVER, promisor,
			    h->by, "Marking a promise delivered");
			p->in.date = date;
			p->in.text = text;
		} else {
			p = add_step(s, n, c, PROMISE_RENEGOTIATE, promisor,
			    h->by, "Proposing a new due date");
			p->in.date = date;
			p->in.text = text;
		}
		if (strcmp(outcome, "confirmed") == 0)
			add_step(s, n, c, PROMISE_CONFIRM, promisee,
			    "DecidedByPerson", "Confirming a delivery");
		else if (strcmp(outcome, "disputed") == 0) {
			p = add_step(s, n, c, PROMISE_DISPUTE, promisee,
			    "DecidedByPerson", "Disputing a delivery");
			p->in.text = xmlin_text(x->tmp, c, "DisputeReasonText");
		} else if (strcmp(outcome, "accepted") == 0)
			add_step(s, n, c, PROMISE_ACCEPT_DUE, promisee,
			    "DecidedByPerson", "Accepting a new due date");
		else if (strcmp(outcome, "declined") == 0)
			add_step(s, n, c, PROMISE_DECLINE_DUE, promisee,
			    "DecidedByPerson", "Declining a new due date");
	}
	if (i < nrec)
		return FAIL(x, r->node, KW_CONFLICT, "%zu %s%s recorded for "
		    "this promise; the document lists %zu. Send the whole "
		    "record, with its history.", nrec, h->what,
		    nrec == 1 ? " is" : "s are", i);
	return KW_OK;
}

/* Take step s on promise r as u: KW_OK or the core's refusal, reported. */
static enum kw_status
take(struct imp *x, struct rec *r, const struct pstep *s,
    const struct user *u)
{
	struct promise_err err = { NULL, NULL };
	enum kw_status ret;

	if ((ret = promise_act_in(x->db, x->tmp, u, x->acct.id, r->id,
	    s->act, &s->in, &err)) != KW_OK)
		return step_failed(x, s->node, ret, s->what, s->side, u,
		    err.msg);
	r->changed = 1;
	return KW_OK;
}

/*
 * Whether step s of promise r may be taken now, into *ok; *u gets who
 * would take it. KW_OK, or the error of finding no one to take it.
 */
static enum kw_status
may_take(struct imp *x, struct rec *r, const struct pstep *s,
    struct user *u, int *ok)
{
	enum kw_status ret;

	*ok = 0;
	if ((ret = acting(x, s->node, s->side, xmlin_child(s->node,
	    s->person), u)) != KW_OK)
		return ret;
	*ok = promise_check(x->db, x->tmp, u, x->acct.id, r->id, s->act,
	    NULL) == KW_OK;
	return KW_OK;
}

/*
 * Take the steps of both histories, each in its order, interleaved as
 * the state machine allows (a due date proposed after a dispute, before
 * the next delivery); a step that no order allows gets the core's
 * refusal.
 */
static enum kw_status
take_steps(struct imp *x, struct rec *r, const struct pstep *c, size_t nc,
    const struct pstep *d, size_t nd)
{
	const struct pstep *s;
	const struct user *u;
	struct user uc, ud;
	enum kw_status ret;
	size_t i = 0, j = 0;
	int okc = 0, okd = 0;

	while (i < nc || j < nd) {
		if (i < nc && (ret = may_take(x, r, &c[i], &uc, &okc)) !=
		    KW_OK)
			return ret;
		if (!okc && j < nd && (ret = may_take(x, r, &d[j], &ud,
		    &okd)) != KW_OK)
			return ret;
		if (i < nc && (okc || !okd || j == nd)) {
			s = &c[i++];
			u = &uc;
		} else {
			s = &d[j++];
			u = &ud;
		}
		if ((ret = take(x, r, s, u)) != KW_OK)
			return ret;
		okc = okd = 0;
	}
	return KW_OK;
}

/*
 * After the steps: every part of h must be recorded with the outcome the
 * document says (a proposal lapses only when the promise closes), and
 * gets its ExternalID.
 */
static enum kw_status
history_check(struct imp *x, struct rec *r, const struct history *h)
{
	struct part *rec;
	xmlNodePtr c;
	const char *outcome;
	enum kw_status ret;
	size_t n, i = 0;

	if ((ret = parts(x, h->sid_list, r->id, NULL, &rec, &n)) != KW_OK)
		return db_failed(x, r->node, ret);
	for (c = xmlin_child(r->node, h->element); c != NULL && i < n;
	    c = xmlin_next(c, h->element), i++) {
		outcome = xmlin_token(x->tmp, c, "OutcomeCode");
		if (differs(outcome, rec[i].v[2]))
			return FAIL(x, c, KW_CONFLICT, "OutcomeCode says %s, "
			    "but with the history applied the %s is %s.",
			    outcome, h->what, rec[i].v[2]);
		if ((ret = match_ext(x, c, h->sid_set_ext, rec[i].id,
		    rec[i].ext, xmlin_token(x->tmp, c, "ExternalID"),
		    &r->changed)) != KW_OK)
			return ret;
	}
	return KW_OK;
}

/*
 * A Promise: made by the promisor's side when new; then the deliveries
 * and due-date changes it adds to the recorded history are taken by the
 * side each step belongs to (the promisor delivers and proposes, the
 * promisee confirms, disputes, accepts and declines), and it is given
 * up when its StatusCode says broken. The outcome must be the StatusCode
 * and DueDate the document gives.
 */
static enum kw_status
apply_promise(struct imp *x, struct rec *r)
{
	struct promise_err err = { NULL, NULL };
	struct promise_new in;
	struct promise p;
	struct pstep *cs, *ds, brk;
	struct user u;
	xmlNodePtr n = r->node;
	enum account_side promisor = SIDE(x, n, "PromisorSideCode");
	const char *want = xmlin_token(x->tmp, n, "StatusCode");
	const char *due = xmlin_token(x->tmp, n, "DueDate");
	const char *orig = xmlin_token(x->tmp, n, "OriginalDueDate");
	enum kw_status ret;
	size_t nc, nd;

	memset(&in, 0, sizeof(in));
	in.title = xmlin_text(x->tmp, n, "TitleText");
	in.detail = xmlin_text(x->tmp, n, "DetailText");
	in.due_date = orig;
	if ((ret = reference(x, xmlin_child(n, "ExpectationReference"),
	    ENTRY_EXPECTATION, STMT_IMP_EXP_BY_EXT,
	    &in.expectation_id)) != KW_OK ||
	    (ret = reference(x, xmlin_child(n, "ConcernReference"),
	    ENTRY_CONCERN, STMT_IMP_CONC_BY_EXT, &in.concern_id)) != KW_OK)
		return ret;
	if (r->id == 0) {
		if ((ret = author(x, n, promisor, "A promise", &u)) != KW_OK)
			return ret;
		if ((ret = promise_create_in(x->db, x->tmp, &u, x->acct.id,
		    &in, &r->id, &err)) != KW_OK)
			return step_failed(x, n, ret, "Making a promise",
			    promisor, &u, err.msg);
		if ((ret = created(x, r)) != KW_OK)
			return ret;
	} else {
		if ((ret = promise_get(x->db, x->tmp, &x->reader, x->acct.id,
		    r->id, &p)) != KW_OK)
			return db_failed(x, n, ret);
		{
			const struct same same[] = {
				{ "PromisorSideCode",
				    account_side_name(promisor),
				    account_side_name(p.promisor) },
				{ "TitleText", in.title, p.title },
				{ "DetailText", in.detail, p.detail },
				{ "OriginalDueDate", orig, p.original_due },
				{ NULL, NULL, NULL },
			};

			if ((ret = as_recorded(x, n, "promise", same)) !=
			    KW_OK)
				return ret;
		}
		if (in.expectation_id != p.expectation_id ||
		    in.concern_id != p.concern_id)
			return not_recorded(x, n, in.concern_id !=
			    p.concern_id ? "ConcernReference" :
			    "ExpectationReference", "promise");
	}

	if ((ret = history_steps(x, r, &due_changes, promisor, &cs, &nc)) !=
	    KW_OK || (ret = history_steps(x, r, &deliveries, promisor, &ds,
	    &nd)) != KW_OK || (ret = take_steps(x, r, cs, nc, ds, nd)) !=
	    KW_OK)
		return ret;
	if ((ret = promise_get(x->db, x->tmp, &x->reader, x->acct.id, r->id,
	    &p)) != KW_OK)
		return db_failed(x, n, ret);
	if (strcmp(want, "broken") == 0 && p.state != PROMISE_BROKEN) {
		memset(&brk, 0, sizeof(brk));
		brk.node = n;
		brk.act = PROMISE_BREAK;
		brk.side = promisor;
		brk.person = "BrokenByPerson";
		brk.what = "Giving up a promise";
		brk.in.text = xmlin_text(x->tmp, n, "BrokenReasonText");
		if ((ret = acting(x, n, promisor, xmlin_child(n,
		    brk.person), &u)) != KW_OK ||
		    (ret = take(x, r, &brk, &u)) != KW_OK)
			return ret;
		if ((ret = promise_get(x->db, x->tmp, &x->reader, x->acct.id,
		    r->id, &p)) != KW_OK)
			return db_failed(x, n, ret);
	}
	if (strcmp(want, promise_state_names[p.state]) != 0)
		return FAIL(x, n, KW_CONFLICT, "StatusCode says %s, but with "
		    "its history applied the promise is %s.", want,
		    promise_state_names[p.state]);
	if (differs(due, p.due_date))
		return FAIL(x, n, KW_CONFLICT, "DueDate %s is not the due date "
		    "in force with its history applied (%s).", due, p.due_date);
	if ((ret = history_check(x, r, &due_changes)) != KW_OK ||
	    (ret = history_check(x, r, &deliveries)) != KW_OK)
		return ret;
	return apply_comments(x, r);
}

/* ---- a submission ------------------------------------------------------- */

/* The records a submission carries, and how each is applied. */
static const struct skind {
	struct kind	 k;
	enum kw_status	(*apply)(struct imp *, struct rec *);
} skinds[] = {
	{ { "Expectation", "expectation", "expectation", STMT_IMP_EXP_BY_ID,
	    STMT_IMP_EXP_BY_EXT, STMT_IMP_EXP_SET_EXT }, apply_expectation },
	{ { "Update", "update", "update", STMT_IMP_UPD_BY_ID,
	    STMT_IMP_UPD_BY_EXT, STMT_IMP_UPD_SET_EXT }, apply_update },
	{ { "Promise", "promise", "promise", STMT_IMP_PROM_BY_ID,
	    STMT_IMP_PROM_BY_EXT, STMT_IMP_PROM_SET_EXT }, apply_promise },
	{ { "Contact", "contact", "contact", STMT_IMP_CONT_BY_ID,
	    STMT_IMP_CONT_BY_EXT, STMT_IMP_CONT_SET_EXT }, apply_contact },
};

/* Records of the ledger a submission does not carry (yet). */
static const char *const refused[] = {
	"Account", "Feedback", "Concern", "Review", NULL
};

/* Run savepoint statement sid; KW_OK or a database status. */
static enum kw_status
savepoint(struct imp *x, int sid)
{
	return db_exec(x->db, db_stmt(x->db, &import_stmts, sid));
}

/*
 * One record of a submission, in a savepoint of its own: when it fails,
 * what it wrote is undone and the next records are still tried, so that
 * the report lists every error (the whole transaction is rolled back at
 * the end anyway).
 */
static void
submit_record(struct imp *x, const struct skind *sk, xmlNodePtr node)
{
	struct rec r;
	size_t errors = x->rep->nerrors + x->rep->dropped;
	enum kw_status ret;

	memset(&r, 0, sizeof(r));
	r.node = node;
	r.k = &sk->k;
	if ((ret = savepoint(x, STMT_IMP_SAVEPOINT)) != KW_OK) {
		db_failed(x, node, ret);
		x->stop = 1;
		return;
	}
	if ((ret = identify(x, &r)) == KW_OK)
		ret = sk->apply(x, &r);
	/* Every failure is in the report: a status alone would commit. */
	if (ret != KW_OK && x->rep->nerrors + x->rep->dropped == errors)
		db_failed(x, node, ret);
	if ((ret != KW_OK && savepoint(x, STMT_IMP_ROLLBACK_TO) != KW_OK) ||
	    savepoint(x, STMT_IMP_RELEASE) != KW_OK) {
		db_failed(x, node, KW_INTERNAL);
		x->stop = 1;
	}
	if (ret == KW_BUSY || ret == KW_INTERNAL)
		x->stop = 1;
	if (ret != KW_OK)
		return;
	if (r.created)
		x->rep->created++;
	else if (r.changed)
		x->rep->changed++;
	else
		x->rep->unchanged++;
}

/* A child of an AccountLedgerSubmission: a header field or a record. */
static void
submit_element(struct imp *x, xmlNodePtr node)
{
	const char *name = xmlin_name(node);
	long long id = 0;
	size_t i;

	if (strcmp(name, "ProfileExecutionID") == 0) {
		if (xmlin_int(node, NULL, 1, INT64_MAX, &id) != 0 ||
		    id != x->account_id) {
			FAIL(x, node, KW_BADREQ, "the document is about "
			    "another account than the one it was sent to "
			    "(%lld).", x->account_id);
			x->stop = 1;
		}
		return;
	}
	for (i = 0; i < sizeof(skinds) / sizeof(skinds[0]); i++)
		if (strcmp(name, skinds[i].k.element) == 0) {
			submit_record(x, &skinds[i], node);
			return;
		}
	if (kw_name_index(refused, name) >= 0)
		FAIL(x, node, KW_BADREQ, "%s records cannot be submitted: a "
		    "submission carries Expectation, Update, Promise and "
		    "Contact records.", name);
}

/* ---- reading the document ----------------------------------------------- */

/* xmlin root callback: which kind of document, and may it come here. */
static int
on_root(void *ctx, const char *name, const char *ns, long line)
{
	struct imp *x = ctx;

	if (ns == NULL || strcmp(ns, EXPORT_NS) != 0)
		return 0;	/* the schema says what is wrong */
	if (strcmp(name, "AccountLedgerSubmission") == 0) {
		if (x->account_id == 0) {
			import_report_add(x->rep, x->a, line, KW_BADREQ,
			    "An AccountLedgerSubmission is imported into an "
			    "account: name the account.");
			return -1;
		}
		x->root = ROOT_SUBMISSION;
		return 0;
	}
	if (strcmp(name, "AccountLedger") == 0) {
		if (x->actor != NULL) {
			import_report_add(x->rep, x->a, line, KW_BADREQ,
			    "An AccountLedger is Keepword's own export: a "
			    "partner system sends an "
			    "AccountLedgerSubmission.");
			return -1;
		}
		if (x->account_id != 0) {
			import_report_add(x->rep, x->a, line, KW_BADREQ,
			    "An AccountLedger is restored as a new account "
			    "(kwctl import --new FILE), not into account "
			    "%lld.", x->account_id);
			return -1;
		}
		if ((x->restore = restore_new(x->db, x->a, x->rep)) == NULL) {
			import_report_add(x->rep, x->a, line, KW_INTERNAL,
			    "Out of memory.");
			return -1;
		}
		x->root = ROOT_LEDGER;
		return 0;
	}
	import_report_add(x->rep, x->a, line, KW_BADREQ, "A %s cannot be "
	    "imported: send an AccountLedgerSubmission.", name);
	x->root = ROOT_OTHER;
	return -1;
}

/* xmlin element callback: a header field or a record, applied while the
 * document is valid so far. */
static int
on_element(void *ctx, xmlNodePtr node, int valid)
{
	struct imp *x = ctx;
	const char *name = xmlin_name(node);

	if (!valid || x->stop)
		goto out;
	if (strcmp(name, "ID") == 0 && x->rep->doc_id == NULL)
		x->rep->doc_id = xmlin_token(x->a, node, NULL);
	else if (strcmp(name, "UUID") == 0 && x->rep->doc_uuid == NULL)
		x->rep->doc_uuid = xmlin_token(x->a, node, NULL);
	if (x->root == ROOT_LEDGER) {
		if (restore_element(x->restore, node) != KW_OK) {
			x->stop = 1;
			if (x->rep->nerrors == 0)
				db_failed(x, node, KW_INTERNAL);
		}
	} else if (x->root == ROOT_SUBMISSION)
		submit_element(x, node);
out:
	arena_reset(x->tmp);
	return x->rep->dropped > 0 ? -1 : 0;
}

/* xmlin error callback: a syntax or schema error. */
static void
on_error(void *ctx, long line, const char *msg)
{
	struct imp *x = ctx;

	import_report_add(x->rep, x->a, line, KW_BADREQ, "%s", msg);
	/* A document that is not valid is refused as such, whatever was
	 * found wrong in its records before. */
	x->rep->status = KW_BADREQ;
}

/* Before reading: the account a submission goes into, as actor sees
 * it. KW_OK or the error's status (reported). */
static enum kw_status
start(struct imp *x)
{
	enum kw_status ret;

	if (x->account_id < 0 || (x->actor != NULL &&
	    (x->actor->org_id <= 0 || x->actor->id < 0)))
		ret = KW_NOTFOUND;
	else if (x->account_id == 0)
		return KW_OK;	/* a restore: the root says more */
	else if (x->actor != NULL)
		ret = account_get(x->db, x->a, x->actor->org_id,
		    x->account_id, &x->acct);
	else
		ret = account_get_any(x->db, x->a, x->account_id, &x->acct);
	if (ret == KW_NOTFOUND)
		import_report_add(x->rep, x->a, 0, ret, "There is no account "
		    "%lld, or it is not one of your organisation's.",
		    x->account_id);
	else if (ret != KW_OK)
		import_report_add(x->rep, x->a, 0, ret, "The database failed "
		    "(%s).", kw_status_str(ret));
	if (ret != KW_OK)
		return ret;
	x->rep->account_id = x->account_id;
	if (x->actor != NULL) {
		x->side = x->acct.my_side;
		x->reader = *x->actor;
	} else {
		x->reader.id = x->acct.buyer_owner_id;
		x->reader.org_id = x->acct.buyer_org_id;
	}
	return KW_OK;
}

enum kw_status
import_document(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *xml, size_t len,
    struct import_report *rep)
{
	struct xmlin_handler h;
	struct imp x;
	enum kw_status ret;

	memset(rep, 0, sizeof(*rep));
	memset(&x, 0, sizeof(x));
	x.db = db;
	x.a = a;
	x.actor = actor;
	x.account_id = account_id;
	x.rep = rep;
	x.side = SIDE__MAX;
	if (len > XMLIN_MAX) {
		import_report_add(rep, a, 0, KW_TOOBIG, "The document is "
		    "larger than %zu bytes (32 MiB), the most Keepword "
		    "imports.", XMLIN_MAX);
		return rep->status;
	}
	if ((x.tmp = arena_new(16 * 1024, 0)) == NULL) {
		import_report_add(rep, a, 0, KW_INTERNAL, "Out of memory.");
		return rep->status;
	}
	if ((ret = start(&x)) != KW_OK)
		goto out;
	if ((ret = db_begin(db)) != KW_OK) {
		import_report_add(rep, a, 0, ret, ret == KW_BUSY ? "The "
		    "database is busy; send the document again later." :
		    "The database failed.");
		goto out;
	}
	h.ctx = &x;
	h.root = on_root;
	h.element = on_element;
	h.error = on_error;
	ret = xmlin_read(xml, len, &h);
	if (ret != KW_OK && rep->nerrors == 0)
		import_report_add(rep, a, 0, ret, "The document could not be "
		    "read (%s).", kw_status_str(ret));
	if (rep->nerrors == 0 && x.root == ROOT_LEDGER &&
	    restore_finish(x.restore) != KW_OK && rep->nerrors == 0)
		import_report_add(rep, a, 0, KW_INTERNAL, "The restore could "
		    "not be finished.");
	ret = db_finish(db, rep->nerrors == 0 ? KW_OK : rep->status);
	if (ret != KW_OK && rep->nerrors == 0)
		import_report_add(rep, a, 0, ret, "The import could not be "
		    "committed (%s).", kw_status_str(ret));
out:
	if (ret != KW_OK) {
		rep->created = rep->changed = rep->unchanged = 0;
		if (x.root == ROOT_LEDGER)
			rep->account_id = 0;
	}
	rep->status = ret;
	restore_free(x.restore);
	arena_free(x.tmp);
	return ret;
}
