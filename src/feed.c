/* feed.c: an Atom feed of one side's strategic updates and promise events. */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "entry.h"
#include "export.h"
#include "feed.h"
#include "kw.h"
#include "org.h"
#include "req.h"

#define ATOM_NS		"http://www.w3.org/2005/Atom"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)		((const xmlChar *)(s))

/* A STRINGIFY of FEED_ENTRIES_MAX for the query. */
#define STR(x)		#x
#define XSTR(x)		STR(x)

/*
 * The kinds of entries: a category term each, as the query names them,
 * the words before the entry's title, and how its id is made from the
 * page's address.
 */
enum feed_term {
	TERM_UPDATE,
	TERM_MADE,
	TERM_DELIVERED,
	TERM_KEPT,
	TERM_DISPUTED,
	TERM_DUE_PROPOSED,
	TERM_DUE_ACCEPTED,
	TERM_DUE_DECLINED,
	TERM_BROKEN,
	TERM__MAX
};

static const char *const term_names[TERM__MAX + 1] = {
	[TERM_UPDATE] = "update",
	[TERM_MADE] = "promise-made",
	[TERM_DELIVERED] = "promise-delivered",
	[TERM_KEPT] = "promise-kept",
	[TERM_DISPUTED] = "promise-disputed",
	[TERM_DUE_PROPOSED] = "promise-due-proposed",
	[TERM_DUE_ACCEPTED] = "promise-due-accepted",
	[TERM_DUE_DECLINED] = "promise-due-declined",
	[TERM_BROKEN] = "promise-broken",
	[TERM__MAX] = NULL,
};

static const char *const term_titles[TERM__MAX] = {
	[TERM_UPDATE] = "Strategic update",
	[TERM_MADE] = "Promise made",
	[TERM_DELIVERED] = "Promise delivered",
	[TERM_KEPT] = "Promise kept",
	[TERM_DISPUTED] = "Delivery disputed",
	[TERM_DUE_PROPOSED] = "New due date proposed",
	[TERM_DUE_ACCEPTED] = "New due date accepted",
	[TERM_DUE_DECLINED] = "New due date declined",
	[TERM_BROKEN] = "Promise given up",
};

/* An entry's id: the address of its entry's page (of kind), then pre,
 * the delivery's or due-date change's id when sub is set, and post. */
static const struct fragment {
	enum entry_kind	 kind;
	const char	*pre;
	int		 sub;
	const char	*post;
} term_fragments[TERM__MAX] = {
	[TERM_UPDATE] = { ENTRY_UPDATE, "", 0, "" },
	[TERM_MADE] = { ENTRY_PROMISE, "#made", 0, "" },
	[TERM_DELIVERED] = { ENTRY_PROMISE, "#delivery-", 1, "" },
	[TERM_KEPT] = { ENTRY_PROMISE, "#delivery-", 1, "-decision" },
	[TERM_DISPUTED] = { ENTRY_PROMISE, "#delivery-", 1, "-decision" },
	[TERM_DUE_PROPOSED] = { ENTRY_PROMISE, "#due-change-", 1, "" },
	[TERM_DUE_ACCEPTED] = { ENTRY_PROMISE, "#due-change-", 1,
	  "-decision" },
	[TERM_DUE_DECLINED] = { ENTRY_PROMISE, "#due-change-", 1,
	  "-decision" },
	[TERM_BROKEN] = { ENTRY_PROMISE, "#broken", 0, "" },
};

enum feed_stmt {
	STMT_FEED_EVENTS,
	STMT_FEED__MAX
};

/* Each branch: the time, the term, its entry's id, the delivery's or change's id (0 = none), the entry's title,
 * three texts (see entry_text()) and the person who acted; ?1 is the
 * account, ?2 the side. */
static const char *const feed_sql[STMT_FEED__MAX] = {
	[STMT_FEED_EVENTS] =
	    "SELECT d.created_at AS at, 'update', d.id AS eid, "
	    "0 AS sub, d.title, d.kind, d.body, '', u.name "
	    "FROM updates d JOIN users u ON u.id = d.created_by "
	    "WHERE d.account_id = ?1 AND d.side = ?2 "
	    "AND d.withdrawn_at IS NULL "
	    "UNION ALL "
	    "SELECT p.created_at, 'promise-made', p.id, 0, "
	    "p.title, p.original_due, p.detail, '', u.name "
	    "FROM promises p JOIN users u ON u.id = p.created_by "
	    "WHERE p.account_id = ?1 AND p.promisor_side = ?2 "
	    "UNION ALL "
	    "SELECT p.closed_at, 'promise-broken', p.id, 0, "
	    "p.title, '', coalesce(p.broken_reason, ''), '', u.name "
	    "FROM promises p JOIN users u ON u.id = p.broken_by "
	    "WHERE p.account_id = ?1 AND p.promisor_side = ?2 "
	    "AND p.state = 'broken' AND p.closed_at IS NOT NULL "
	    "UNION ALL "
	    "SELECT x.delivered_at, 'promise-delivered', p.id, "
	    "x.id, p.title, x.delivered_on, x.note, '', u.name "
	    "FROM promises p JOIN promise_deliveries x ON x.promise_id = p.id "
	    "JOIN users u ON u.id = x.delivered_by "
	    "WHERE p.account_id = ?1 AND p.promisor_side = ?2 "
	    "UNION ALL "
	    "SELECT x.decided_at, CASE x.outcome WHEN 'confirmed' "
	    "THEN 'promise-kept' ELSE 'promise-disputed' END, "
	    "p.id, x.id, p.title, x.delivered_on, coalesce(x.reason, ''), '', "
	    "u.name "
	    "FROM promises p JOIN promise_deliveries x ON x.promise_id = p.id "
	    "JOIN users u ON u.id = x.decided_by "
	    "WHERE p.account_id = ?1 AND p.promisor_side = ?2 "
	    "AND x.outcome IN ('confirmed', 'disputed') "
	    "AND x.decided_at IS NOT NULL "
	    "UNION ALL "
	    "SELECT c.proposed_at, 'promise-due-proposed', p.id, "
	    "c.id, p.title, c.old_due, c.new_due, c.reason, u.name "
	    "FROM promises p JOIN promise_due_changes c ON c.promise_id = p.id "
	    "JOIN users u ON u.id = c.proposed_by "
	    "WHERE p.account_id = ?1 AND p.promisor_side = ?2 "
	    "UNION ALL "
	    "SELECT c.decided_at, CASE c.outcome WHEN 'accepted' "
	    "THEN 'promise-due-accepted' ELSE 'promise-due-declined' END, "
	    "p.id, c.id, p.title, c.old_due, c.new_due, '', "
	    "u.name "
	    "FROM promises p JOIN promise_due_changes c ON c.promise_id = p.id "
	    "JOIN users u ON u.id = c.decided_by "
	    "WHERE p.account_id = ?1 AND p.promisor_side = ?2 "
	    "AND c.outcome IN ('accepted', 'declined') "
	    "AND c.decided_at IS NOT NULL "
	    "ORDER BY at DESC, eid DESC, sub DESC, 2 DESC "
	    "LIMIT " XSTR(FEED_ENTRIES_MAX),
};

const struct db_stmt_table feed_stmts = {
	"feed", feed_sql, STMT_FEED__MAX
};

/* The columns of STMT_FEED_EVENTS. */
enum {
	COL_AT, COL_TERM, COL_ID, COL_SUB, COL_TITLE, COL_A,
	COL_B, COL_C, COL_PERSON
};

/* One feed being written. */
struct feed {
	xmlTextWriterPtr	 w;
	struct buf		 text;	/* a title or content */
	struct buf		 clean;	/* text made fit for XML */
	struct buf		 url;	/* an address */
	struct buf		 id;	/* an entry's id */
	const char		*base;	/* base_url, */
	int			 baselen; /* without its final / */
	int			 failed;
};

/* Note the result rc of a writer call: < 0 is a failure. */
static void
wrote(struct feed *f, int rc)
{
	if (rc < 0)
		f->failed = 1;
}

/* <name>text</name>, the text made fit for XML. */
static void
put(struct feed *f, const char *name, const char *text)
{
	const char *t = export_xml_text(&f->clean, text, strlen(text));

	if (t == NULL)
		f->failed = 1;
	else
		wrote(f, xmlTextWriterWriteElement(f->w, XC(name), XC(t)));
}

/* Text content, made fit for XML. */
static void
put_string(struct feed *f, const char *text)
{
	const char *t = export_xml_text(&f->clean, text, strlen(text));

	if (t == NULL)
		f->failed = 1;
	else
		wrote(f, xmlTextWriterWriteString(f->w, XC(t)));
}

/* <link rel="rel" type="type" href="href"/> */
static void
put_link(struct feed *f, const char *rel, const char *type,
    const char *href)
{
	wrote(f, xmlTextWriterStartElement(f->w, XC("link")));
	wrote(f, xmlTextWriterWriteAttribute(f->w, XC("rel"), XC(rel)));
	wrote(f, xmlTextWriterWriteAttribute(f->w, XC("type"), XC(type)));
	wrote(f, xmlTextWriterWriteAttribute(f->w, XC("href"), XC(href)));
	wrote(f, xmlTextWriterEndElement(f->w));
}

/* <author><name>name</name></author> */
static void
put_author(struct feed *f, const char *name)
{
	wrote(f, xmlTextWriterStartElement(f->w, XC("author")));
	put(f, "name", *name != '\0' ? name : "Keepword");
	wrote(f, xmlTextWriterEndElement(f->w));
}

/* Column col of st as text, "" for NULL. */
static const char *
col(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);

	return s != NULL ? s : "";
}

/* The content of an entry of term t from the current row of st into
 * f->text: what happened, then the words written with it. */
static void
entry_text(struct feed *f, enum feed_term t, sqlite3_stmt *st)
{
	const char *a = col(st, COL_A), *b = col(st, COL_B);
	struct buf *x = &f->text;

	buf_clear(x);
	switch (t) {
	case TERM_UPDATE:
		buf_puts(x, b);
		break;
	case TERM_MADE:
		buf_printf(x, "Due %s.%s%s", a, *b != '\0' ? "\n\n" : "", b);
		break;
	case TERM_DELIVERED:
		buf_printf(x, "Delivered on %s: %s", a, b);
		break;
	case TERM_KEPT:
		buf_printf(x, "The delivery of %s was confirmed.", a);
		break;
	case TERM_DISPUTED:
		buf_printf(x, "The delivery of %s was disputed: %s", a, b);
		break;
	case TERM_DUE_PROPOSED:
		buf_printf(x, "From %s to %s: %s", a, b, col(st, COL_C));
		break;
	case TERM_DUE_ACCEPTED:
		buf_printf(x, "The promise is now due on %s.", b);
		break;
	case TERM_DUE_DECLINED:
		buf_printf(x, "The promise stays due on %s.", a);
		break;
	case TERM_BROKEN:
		buf_puts(x, b);
		break;
	case TERM__MAX:
		break;
	}
}

/* The entry of the current row of st. */
static void
write_entry(struct feed *f, sqlite3_stmt *st, long long account_id)
{
	const char *at = col(st, COL_AT);
	long long sub = sqlite3_column_int64(st, COL_SUB);
	int t = kw_name_index(term_names, col(st, COL_TERM));

	if (t < 0)
		return;
	buf_clear(&f->url);
	buf_printf(&f->url, "%.*s/accounts/%lld/%s/%lld", f->baselen, f->base,
	    account_id, entry_plurals[term_fragments[t].kind],
	    sqlite3_column_int64(st, COL_ID));
	buf_clear(&f->id);
	buf_puts(&f->id, buf_str(&f->url));
	buf_puts(&f->id, term_fragments[t].pre);
	if (term_fragments[t].sub)
		buf_printf(&f->id, "%lld", sub);
	buf_puts(&f->id, term_fragments[t].post);
	buf_clear(&f->text);
	buf_puts(&f->text, term_titles[t]);
	if (t == TERM_UPDATE)
		buf_printf(&f->text, " (%s)", col(st, COL_A));
	buf_printf(&f->text, ": %s", col(st, COL_TITLE));
	if (f->url.status != BUF_OK || f->id.status != BUF_OK ||
	    f->text.status != BUF_OK) {
		f->failed = 1;
		return;
	}

	wrote(f, xmlTextWriterStartElement(f->w, XC("entry")));
	put(f, "id", buf_str(&f->id));
	put(f, "title", buf_str(&f->text));
	put(f, "updated", at);
	put(f, "published", at);
	put_author(f, col(st, COL_PERSON));
	put_link(f, "alternate", "text/html", buf_str(&f->url));
	wrote(f, xmlTextWriterStartElement(f->w, XC("category")));
	wrote(f, xmlTextWriterWriteAttribute(f->w, XC("term"),
	    XC(term_names[t])));
	wrote(f, xmlTextWriterEndElement(f->w));
	entry_text(f, (enum feed_term)t, st);
	if (f->text.status != BUF_OK) {
		f->failed = 1;
		return;
	}
	if (f->text.len > 0) {
		wrote(f, xmlTextWriterStartElement(f->w, XC("content")));
		wrote(f, xmlTextWriterWriteAttribute(f->w, XC("type"),
		    XC("text")));
		put_string(f, buf_str(&f->text));
		wrote(f, xmlTextWriterEndElement(f->w));
	}
	wrote(f, xmlTextWriterEndElement(f->w));
}

/*
 * The feed's head and entries from st (bound, on its first row: rc) for
 * account acct and side: the feed is as new as its newest entry, or as
 * the account when it has none.
 */
static void
write_feed(struct feed *f, const struct account *acct,
    enum account_side side, sqlite3_stmt *st, int rc)
{
	const char *org = side == SIDE_BUYER ? acct->buyer_name :
	    acct->supplier_name;

	buf_clear(&f->url);
	buf_printf(&f->url, "%.*s" FEED_PATH, f->baselen, f->base, acct->id,
	    account_side_names[side]);
	buf_clear(&f->text);
	buf_printf(&f->text, "%s on %s: updates and promises", org,
	    acct->title);
	if (f->url.status != BUF_OK || f->text.status != BUF_OK) {
		f->failed = 1;
		return;
	}
	wrote(f, xmlTextWriterSetIndent(f->w, 1));
	wrote(f, xmlTextWriterSetIndentString(f->w, XC(" ")));
	wrote(f, xmlTextWriterStartDocument(f->w, "1.0", "UTF-8", NULL));
	wrote(f, xmlTextWriterStartElementNS(f->w, NULL, XC("feed"),
	    XC(ATOM_NS)));
	put(f, "id", buf_str(&f->url));
	put(f, "title", buf_str(&f->text));
	buf_clear(&f->text);
	buf_printf(&f->text, "The strategic updates %s (the %s) shared and "
	    "the events of the promises it made, newest first.", org,
	    account_side_names[side]);
	put(f, "subtitle", buf_str(&f->text));
	put(f, "updated", rc == SQLITE_ROW ? col(st, COL_AT) :
	    acct->created_at);
	put_link(f, "self", "application/atom+xml", buf_str(&f->url));
	buf_clear(&f->url);
	buf_printf(&f->url, "%.*s/accounts/%lld", f->baselen, f->base,
	    acct->id);
	put_link(f, "alternate", "text/html", buf_str(&f->url));
	put_author(f, org);
	put(f, "generator", "Keepword");
}

enum kw_status
feed_write(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, enum account_side side, const char *base_url,
    const struct export_sink *out)
{
	struct feed f;
	struct account acct;
	sqlite3_stmt *st = NULL;
	size_t blen;
	int rc;
	enum kw_status ret;

	if ((int)side < 0 || side >= SIDE__MAX)
		return KW_BADREQ;
	memset(&f, 0, sizeof(f));
	if ((blen = req_base_len(base_url)) > INT_MAX)
		return KW_INTERNAL;
	f.base = base_url;
	f.baselen = (int)blen;
	buf_init(&f.text, 0, 0);
	buf_init(&f.clean, 0, 0);
	buf_init(&f.url, 0, 0);
	buf_init(&f.id, 0, 0);

	/* Everything that can fail before the first byte, first. */
	if ((ret = db_snapshot_begin(db)) != KW_OK)
		goto out;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		goto done;
	if ((st = db_stmt(db, &feed_stmts, STMT_FEED_EVENTS)) == NULL) {
		ret = KW_INTERNAL;
		goto done;
	}
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, account_side_names[side]);
	if ((rc = db_step(db, st)) != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = db_status(rc);
		goto done;
	}
	if ((f.w = export_writer(out)) == NULL) {
		ret = KW_INTERNAL;
		goto done;
	}

	write_feed(&f, &acct, side, st, rc);
	while (rc == SQLITE_ROW && !f.failed) {
		write_entry(&f, st, account_id);
		rc = db_step(db, st);
	}
	if (!f.failed && rc == SQLITE_DONE) {
		wrote(&f, xmlTextWriterEndDocument(f.w));
		wrote(&f, xmlTextWriterFlush(f.w));
	}
	xmlFreeTextWriter(f.w);
	ret = KW_OK;
	if (f.failed || rc != SQLITE_DONE) {
		kw_logx("feed: account %lld: %s", account_id, f.failed ?
		    "the output was refused" : "database error");
		ret = KW_INTERNAL;
	}
done:
	db_stmt_done(st);
	db_snapshot_end(db);
out:
	buf_free(&f.text);
	buf_free(&f.clean);
	buf_free(&f.url);
	buf_free(&f.id);
	return ret;
}
