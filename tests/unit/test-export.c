/* test-export.c: unit tests of the XML export, the change sequence numbers
 * and the organisations' party identifiers. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "buf.h"
#include "clock.h"
#include "comment.h"
#include "db.h"
#include "export.h"
#include "kw.h"
#include "org.h"
#include "party.h"
#include "promise.h"
#include "review.h"
#include "dbutil.h"

/* The compiled schema, shared by every test. */
static xmlSchemaPtr schema;

/* What a sink received. */
struct sink {
	struct buf	 b;
	size_t		 calls;
	size_t		 biggest;	/* the largest piece */
	int		 refuse;	/* answer -1 from this call on (0 = never) */
};

static int
sink_write(void *ctx, const char *data, size_t len)
{
	struct sink *s = ctx;

	s->calls++;
	if (s->refuse != 0 && s->calls >= (size_t)s->refuse)
		return -1;
	if (len > s->biggest)
		s->biggest = len;
	buf_append(&s->b, data, len);
	return 0;
}

/* Export into s: the ledger of the fixture account after since as actor
 * sees it, or review rid's snapshot when rid is not 0. */
static enum kw_status
run_export(struct fx *f, const struct user *actor, long long since,
    long long rid, struct sink *s, struct export_info *info)
{
	const struct export_sink out = { sink_write, s };

	memset(s, 0, sizeof(*s));
	buf_init(&s->b, 0, 0);
	if (rid != 0)
		return export_review(f->db, f->a, actor, f->acct, rid, &out,
		    info);
	return export_ledger(f->db, f->a, actor, f->acct, since, &out, info);
}

/* The document in s, parsed; it must be well-formed and valid. */
static xmlDocPtr
valid_doc(struct sink *s)
{
	xmlSchemaValidCtxtPtr v;
	xmlDocPtr doc;

	doc = xmlReadMemory(buf_str(&s->b), (int)s->b.len, "export.xml", NULL,
	    XML_PARSE_NONET);
	assert_non_null(doc);
	assert_non_null(v = xmlSchemaNewValidCtxt(schema));
	assert_int_equal(xmlSchemaValidateDoc(v, doc), 0);
	xmlSchemaFreeValidCtxt(v);
	buf_free(&s->b);
	return doc;
}

/* The XPath expression expr (prefix k: the exchange namespace) of doc
 * as a number, or as a string in dst (len bytes). */
static double
xp_num(xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr o = xpath_eval(doc, "k", EXPORT_NS, expr);
	double v = xmlXPathCastToNumber(o);

	xmlXPathFreeObject(o);
	return v;
}

static const char *
xp_str(xmlDocPtr doc, const char *expr, char *dst, size_t len)
{
	xmlXPathObjectPtr o = xpath_eval(doc, "k", EXPORT_NS, expr);
	xmlChar *s = xmlXPathCastToString(o);

	snprintf(dst, len, "%s", (const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(o);
	return dst;
}

#define COUNT(doc, expr)	((int)xp_num(doc, "count(" expr ")"))

/* A promise of actor's side due on 2026-03-20 titled title. */
static long long
add_promise(struct fx *f, const struct user *actor, const char *title)
{
	struct promise_new in = { title, NULL, "2026-03-20", 0, 0 };
	long long id;

	assert_int_equal(promise_create(f->db, f->a, actor, f->acct, &in, &id,
	    NULL), KW_OK);
	return id;
}

/* n open promises of the supplier, written by hand (quickly). */
static void
add_many(struct fx *f, int n)
{
	assert_int_equal(rawf(f->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION "
	    "ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO promises "
	    "(account_id, promisor_side, title, due_date, original_due, "
	    "created_by, created_at) SELECT %lld, 'supplier', 'Promise ' || "
	    "i, '2026-04-01', '2026-04-01', %lld, '" FX_NOW "' FROM n", n,
	    f->acct, f->s_admin.id), SQLITE_OK);
}

static void
deliver(struct fx *f, long long pid)
{
	struct promise_input in = { "2026-03-02", "Sent" };

	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, pid,
	    PROMISE_DELIVER, &in, NULL), KW_OK);
}

static int
group_setup(void **state)
{
	if ((schema = fx_schema()) == NULL)
		return -1;
	return fx_group_setup(state);
}

static int
group_teardown(void **state)
{
	xmlSchemaFree(schema);
	return fx_group_teardown(state);
}

/* ---- the statements ------------------------------------------------------- */

static void
test_export_statements_never_sort(void **state)
{
	struct fx *f = *state;
	sqlite3_stmt *st;
	char sql[8192];
	const char *detail;
	size_t i;

	/* Reading row by row only keeps memory flat if SQLite never has to
	 * collect and sort the rows first. */
	for (i = 0; i < export_stmts.n; i++) {
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		    export_stmts.sql[i]);
		assert_int_equal(sqlite3_prepare_v2(db_handle(f->db), sql, -1,
		    &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			detail = (const char *)sqlite3_column_text(st, 3);
			if (strstr(detail, "TEMP B-TREE") != NULL)
				fail_msg("statement %zu sorts: %s", i, detail);
		}
		sqlite3_finalize(st);
	}
}

/* ---- change sequence numbers ---------------------------------------------- */

static void
test_seq_rises_with_every_change(void **state)
{
	struct fx *f = *state;
	long long pid, before, after, c0;

	c0 = raw_int(f->db, "SELECT seq FROM change_seq");
	pid = add_promise(f, &f->s_admin, "Samples");
	before = raw_int(f->db, "SELECT seq FROM promises");
	assert_true(before > c0);
	assert_int_equal(before, raw_int(f->db, "SELECT seq FROM change_seq"));
	/* a new delivery, nested in the promise, raises the promise too */
	deliver(f, pid);
	after = raw_int(f->db, "SELECT seq FROM promises");
	assert_true(raw_int(f->db, "SELECT seq FROM promise_deliveries") >
	    before);
	assert_true(after >= raw_int(f->db,
	    "SELECT seq FROM promise_deliveries"));
	/* and so does a comment on it */
	before = after;
	assert_int_equal(comment_add(f->db, f->a, &f->b_member, f->acct,
	    "promise", pid, "Thanks", NULL), KW_OK);
	after = raw_int(f->db, "SELECT seq FROM promises");
	assert_true(raw_int(f->db, "SELECT seq FROM comments") > before);
	assert_true(after >= raw_int(f->db, "SELECT seq FROM comments"));
	/* the counter is never behind any record */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises "
	    "WHERE seq > (SELECT seq FROM change_seq)"), 0);
	/* a change of another kind leaves the promise alone */
	before = after;
	assert_int_equal(account_set_owner(f->db, &f->s_admin, f->acct,
	    SIDE_SUPPLIER, f->s_member.id, "Over to you"), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT seq FROM promises"), before);
	assert_true(raw_int(f->db, "SELECT seq FROM accounts") > before);
}

/* ---- the ledger -------------------------------------------------------------- */

static void
test_export_ledger_whole_is_valid(void **state)
{
	struct fx *f = *state;
	struct export_info info;
	struct sink s;
	xmlDocPtr doc;
	char v[256];
	long long pid;

	pid = add_promise(f, &f->s_admin, "Ship samples");
	deliver(f, pid);
	add_promise(f, &f->b_admin, "Pay on time");
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", pid, "Received, checking", NULL), KW_OK);
	assert_int_equal(run_export(f, NULL, 0, 0, &s, &info), KW_OK);
	doc = valid_doc(&s);
	assert_int_equal(info.records, 3);	/* the account, two promises */
	assert_int_equal(info.last_seq,
	    raw_int(f->db, "SELECT seq FROM change_seq"));
	assert_int_equal((long long)xp_num(doc,
	    "/k:AccountLedger/k:LastChangeSequenceNumeric"), info.last_seq);
	assert_int_equal(COUNT(doc, "/k:AccountLedger/k:Account"), 1);
	assert_int_equal(COUNT(doc, "//k:Promise"), 2);
	assert_string_equal(xp_str(doc, "//k:Account/k:TitleText", v,
	    sizeof(v)), raw_text(f->db, f->a, "SELECT title FROM accounts"));
	assert_int_equal((long long)xp_num(doc, "/k:AccountLedger/"
	    "k:ProfileExecutionID"), f->acct);
	/* the history is nested in its promise, with the comment */
	snprintf(v, sizeof(v), "count(//k:Promise[k:ID = %lld]/"
	    "k:PromiseDelivery[k:OutcomeCode = 'pending'])", pid);
	assert_int_equal((int)xp_num(doc, v), 1);
	assert_int_equal(COUNT(doc, "//k:Promise/k:Comment"
	    "[k:BodyText = 'Received, checking']"), 1);
	/* records come in the order of their change sequence numbers:
	 * the delivered promise changed last */
	snprintf(v, sizeof(v), "//k:Promise[2]/k:ID = %lld", pid);
	assert_int_equal((int)xp_num(doc, v), 1);
	/* the header */
	assert_string_equal(xp_str(doc, "/k:AccountLedger/k:VersionID", v,
	    sizeof(v)), EXPORT_VERSION);
	assert_string_equal(xp_str(doc, "/k:AccountLedger/k:IssueDate", v,
	    sizeof(v)), "2026-03-02");
	assert_string_equal(xp_str(doc, "/k:AccountLedger/k:IssueTime", v,
	    sizeof(v)), "09:00:00Z");
	assert_int_equal(strlen(xp_str(doc, "/k:AccountLedger/k:UUID", v,
	    sizeof(v))), 36);
	xmlFreeDoc(doc);
}

static void
test_export_ledger_since_has_only_changes(void **state)
{
	struct fx *f = *state;
	struct export_info info, again;
	struct sink s;
	xmlDocPtr doc;
	char v[128];
	long long p1, p2;

	p1 = add_promise(f, &f->s_admin, "First");
	p2 = add_promise(f, &f->s_admin, "Second");
	assert_int_equal(run_export(f, NULL, 0, 0, &s, &info), KW_OK);
	buf_free(&s.b);
	deliver(f, p2);
	assert_int_equal(run_export(f, NULL, info.last_seq, 0, &s, &again),
	    KW_OK);
	doc = valid_doc(&s);
	assert_int_equal(again.records, 1);
	assert_true(again.last_seq > info.last_seq);
	assert_int_equal((long long)xp_num(doc,
	    "//k:SinceChangeSequenceNumeric"), info.last_seq);
	assert_int_equal(COUNT(doc, "//k:Account"), 0);
	assert_int_equal(COUNT(doc, "//k:Promise"), 1);
	snprintf(v, sizeof(v), "//k:Promise/k:ID = %lld", p2);
	assert_int_equal((int)xp_num(doc, v), 1);
	/* complete: the whole promise, with its delivery */
	assert_int_equal(COUNT(doc, "//k:Promise/k:PromiseDelivery"), 1);
	xmlFreeDoc(doc);
	(void)p1;
	/* nothing since the high-water mark */
	assert_int_equal(run_export(f, NULL, again.last_seq, 0, &s, &info),
	    KW_OK);
	doc = valid_doc(&s);
	assert_int_equal(info.records, 0);
	assert_int_equal(info.last_seq, again.last_seq);
	xmlFreeDoc(doc);
}

static void
test_export_refuses_before_writing(void **state)
{
	struct fx *f = *state;
	struct export_info info;
	struct sink s;
	long long acct = f->acct;

	/* an org not party to the account: exactly as a missing one */
	assert_int_equal(run_export(f, &f->x_admin, 0, 0, &s, NULL),
	    KW_NOTFOUND);
	assert_int_equal(s.calls, 0);
	f->acct = 9999;
	assert_int_equal(run_export(f, NULL, 0, 0, &s, NULL), KW_NOTFOUND);
	assert_int_equal(s.calls, 0);
	f->acct = acct;
	/* a change number this database never gave out */
	assert_int_equal(run_export(f, NULL, 0, 0, &s, &info), KW_OK);
	buf_free(&s.b);
	assert_int_equal(run_export(f, NULL, info.last_seq + 1, 0, &s, NULL),
	    KW_BADREQ);
	assert_int_equal(s.calls, 0);
	assert_int_equal(run_export(f, NULL, -1, 0, &s, NULL), KW_BADREQ);
	assert_int_equal(s.calls, 0);
	/* no read transaction is left open */
	assert_true(sqlite3_get_autocommit(db_handle(f->db)));
}

static void
test_export_emails_of_own_org_only(void **state)
{
	struct fx *f = *state;
	struct sink s;
	xmlDocPtr doc;

	add_promise(f, &f->s_admin, "Samples");
	assert_int_equal(run_export(f, &f->b_member, 0, 0, &s, NULL), KW_OK);
	doc = valid_doc(&s);
	/* b_admin owns the buyer's side, s_admin the supplier's */
	assert_int_equal(COUNT(doc, "//k:AccountOwner/k:OwnerPerson"
	    "[k:SideCode = 'buyer']/k:ElectronicMailText"), 1);
	assert_int_equal(COUNT(doc, "//k:OwnerPerson[k:SideCode = 'supplier']"
	    "/k:Name"), 1);
	assert_int_equal(COUNT(doc, "//*[k:SideCode = 'supplier']"
	    "/k:ElectronicMailText"), 0);
	xmlFreeDoc(doc);
	/* the system sees everyone's */
	assert_int_equal(run_export(f, NULL, 0, 0, &s, NULL), KW_OK);
	doc = valid_doc(&s);
	assert_int_equal(COUNT(doc, "//k:CreatedByPerson[k:SideCode = "
	    "'supplier']/k:ElectronicMailText"), 1);
	xmlFreeDoc(doc);
}

static void
test_export_text_round_trips_escaped(void **state)
{
	struct fx *f = *state;
	static const char title[] = "<b>\"Q&A\"</b> 'it' \xc3\xa9t\xc3\xa9 "
	    "\xe2\x87\x84 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\xa6";
	static const char body[] = "line one\nline two\ttabbed ]]> &amp;";
	struct sink s;
	xmlDocPtr doc;
	char v[512];
	long long pid;

	pid = add_promise(f, &f->s_admin, title);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", pid, body, NULL), KW_OK);
	assert_int_equal(run_export(f, NULL, 0, 0, &s, NULL), KW_OK);
	assert_non_null(strstr(buf_str(&s.b), "&lt;b&gt;"));
	doc = valid_doc(&s);
	assert_string_equal(xp_str(doc, "//k:Promise/k:TitleText", v,
	    sizeof(v)), title);
	assert_string_equal(xp_str(doc, "//k:Promise/k:Comment/k:BodyText",
	    v, sizeof(v)), body);
	xmlFreeDoc(doc);
	/* a carriage return (stored by hand: the portal keeps none) is
	 * escaped, so that a parser keeps it */
	assert_int_equal(rawf(f->db, "UPDATE promises SET detail = "
	    "'cr' || char(13, 10) || 'lf' WHERE id = %lld", pid), SQLITE_OK);
	assert_int_equal(run_export(f, NULL, 0, 0, &s, NULL), KW_OK);
	assert_non_null(strstr(buf_str(&s.b), "cr&#13;\nlf"));
	doc = valid_doc(&s);
	assert_string_equal(xp_str(doc, "//k:Promise/k:DetailText", v,
	    sizeof(v)), "cr\r\nlf");
	xmlFreeDoc(doc);
	/* text XML cannot carry is replaced, never breaks the document */
	assert_int_equal(rawf(f->db, "UPDATE promises SET detail = "
	    "'a' || char(1) || 'b' || char(65535) WHERE id = %lld", pid),
	    SQLITE_OK);
	assert_int_equal(run_export(f, NULL, 0, 0, &s, NULL), KW_OK);
	doc = valid_doc(&s);
	assert_string_equal(xp_str(doc, "//k:Promise/k:DetailText", v,
	    sizeof(v)), "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd");
	xmlFreeDoc(doc);
}

static void
test_export_streams_in_pieces(void **state)
{
	struct fx *f = *state;
	struct export_info info;
	struct sink s;
	xmlDocPtr doc;

	add_many(f, 2000);
	assert_int_equal(run_export(f, NULL, 0, 0, &s, &info), KW_OK);
	assert_int_equal(info.records, 2001);
	/* the document arrives as it is made, a few kilobytes at a time */
	assert_true(s.calls > 50);
	assert_true(s.biggest <= 64 * 1024);
	doc = valid_doc(&s);
	assert_int_equal(COUNT(doc, "//k:Promise"), 2000);
	xmlFreeDoc(doc);
}

static void
test_export_stops_when_the_sink_refuses(void **state)
{
	struct fx *f = *state;
	struct sink s;
	const struct export_sink out = { sink_write, &s };

	add_many(f, 500);
	memset(&s, 0, sizeof(s));
	buf_init(&s.b, 0, 0);
	s.refuse = 2;
	assert_int_equal(export_ledger(f->db, f->a, NULL, f->acct, 0, &out,
	    NULL), KW_INTERNAL);
	assert_int_equal(s.calls, 2);	/* it stopped at the refusal */
	buf_free(&s.b);
	assert_true(sqlite3_get_autocommit(db_handle(f->db)));
}

/* ---- review snapshots ------------------------------------------------------ */

static void
test_export_review_snapshot(void **state)
{
	struct fx *f = *state;
	struct export_info info;
	struct sink s;
	xmlDocPtr doc;
	char v[128];
	long long rid, pid;

	add_promise(f, &f->s_admin, "Not an action");
	rid = fx_frozen_review(f, &f->s_admin, &pid);
	assert_int_equal(run_export(f, &f->s_member, 0, rid, &s, &info),
	    KW_OK);
	doc = valid_doc(&s);
	assert_int_equal(COUNT(doc, "/k:ReviewSnapshot/k:Account"), 1);
	assert_int_equal(COUNT(doc, "/k:ReviewSnapshot/k:Review"), 1);
	assert_string_equal(xp_str(doc, "//k:Review/k:StatusCode", v,
	    sizeof(v)), "frozen");
	assert_int_equal(COUNT(doc, "//k:Review/k:Scorecard"), 2);
	assert_int_equal(COUNT(doc, "//k:Review/k:BuyerSignature/"
	    "k:SignedByPerson"), 1);
	assert_int_equal(COUNT(doc, "//k:Review/k:SellerSignature"), 1);
	assert_string_equal(xp_str(doc, "//k:Review/k:FreezeDate", v,
	    sizeof(v)), "2026-04-02");
	assert_int_equal(COUNT(doc, "//k:Review/k:Comment"), 1);
	/* the action, and the promise it is, but no other promise */
	snprintf(v, sizeof(v), "//k:ReviewAction/k:PromiseReference/k:ID = "
	    "%lld", pid);
	assert_int_equal((int)xp_num(doc, v), 1);
	assert_int_equal(COUNT(doc, "/k:ReviewSnapshot/k:Promise"), 1);
	snprintf(v, sizeof(v), "/k:ReviewSnapshot/k:Promise/k:ID = %lld", pid);
	assert_int_equal((int)xp_num(doc, v), 1);
	xmlFreeDoc(doc);
	/* the ledger holds the frozen review too */
	assert_int_equal(run_export(f, NULL, 0, 0, &s, NULL), KW_OK);
	doc = valid_doc(&s);
	assert_int_equal(COUNT(doc, "//k:Review/k:Scorecard"), 2);
	xmlFreeDoc(doc);
	/* a review of another account, or another org, is not found */
	assert_int_equal(run_export(f, &f->x_admin, 0, rid, &s, NULL),
	    KW_NOTFOUND);
	assert_int_equal(s.calls, 0);
	assert_int_equal(run_export(f, NULL, 0, rid + 1, &s, NULL),
	    KW_NOTFOUND);
	assert_int_equal(s.calls, 0);
}

/* ---- party identifiers --------------------------------------------------------- */

static void
test_party_id_normalise(void **state)
{
	char v[PARTY_VALUE_MAX + 1];

	(void)state;
	assert_int_equal(party_id_normalise(PARTY_GLN, "40 12345 00000 9", v),
	    KW_OK);
	assert_string_equal(v, "4012345000009");
	assert_int_equal(party_id_normalise(PARTY_GLN, "4012345000008", v),
	    KW_BADREQ);	/* wrong check digit */
	assert_string_equal(v, "");
	assert_int_equal(party_id_normalise(PARTY_DUNS, "15-048-3782", v),
	    KW_OK);
	assert_string_equal(v, "150483782");
	assert_int_equal(party_id_normalise(PARTY_DUNS, "15048378", v),
	    KW_BADREQ);
	assert_int_equal(party_id_normalise(PARTY_VAT, "de 123456789", v),
	    KW_OK);
	assert_string_equal(v, "DE123456789");
	assert_int_equal(party_id_normalise(PARTY_VAT, "123456789", v),
	    KW_BADREQ);
	assert_int_equal(party_id_normalise(PARTY_LEI, "5493001KJTIIGC8Y1R12",
	    v), KW_OK);
	assert_int_equal(party_id_normalise(PARTY_LEI, "5493001KJTIIGC8Y1R13",
	    v), KW_BADREQ);
	assert_int_equal(party_id_normalise(PARTY_LEI,
	    "5493001KJTIIGC8Y1R12XXXXXXXXXXXXXXXXXXXXXXXXXXXXX", v), KW_BADREQ);
	assert_int_equal(party_id_normalise(PARTY_SCHEME__MAX, "1", v),
	    KW_BADREQ);
}

static void
test_party_id_set_rules(void **state)
{
	struct fx *f = *state;
	struct party_id *list;
	struct sink s;
	xmlDocPtr doc;
	char v[64];
	long long before;
	size_t n;

	before = raw_int(f->db, "SELECT seq FROM accounts");
	assert_int_equal(party_id_set(f->db, &f->b_member, f->b, PARTY_GLN,
	    "4012345000009"), KW_FORBIDDEN);
	assert_int_equal(party_id_set(f->db, &f->x_admin, f->b, PARTY_GLN,
	    "4012345000009"), KW_FORBIDDEN);
	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_GLN,
	    "4012345000008"), KW_BADREQ);
	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_GLN,
	    NULL), KW_CONFLICT);	/* nothing to remove */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "org_identifiers"), 0);
	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_GLN,
	    "4012345000009"), KW_OK);
	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_GLN,
	    "4012345 000009"), KW_CONFLICT);	/* the same value */
	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_VAT,
	    "DE123456789"), KW_OK);
	assert_int_equal(party_id_set(f->db, NULL, 9999, PARTY_VAT,
	    "DE123456789"), KW_NOTFOUND);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'org' AND action = 'identifier'"), 2);
	/* the account the org is party to changed with it */
	assert_true(raw_int(f->db, "SELECT seq FROM accounts") > before);
	assert_int_equal(party_id_list(f->db, f->a, f->b, &list, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].scheme, PARTY_GLN);
	assert_string_equal(list[0].set_by_name, f->b_admin.name);
	assert_int_equal(run_export(f, &f->s_admin, 0, 0, &s, NULL), KW_OK);
	doc = valid_doc(&s);
	assert_string_equal(xp_str(doc, "//k:BuyerCustomerParty/k:Party/"
	    "k:PartyIdentification/k:ID[@schemeID = 'GLN']", v, sizeof(v)),
	    "4012345000009");
	assert_int_equal(COUNT(doc, "//k:SellerSupplierParty//"
	    "k:PartyIdentification"), 0);
	xmlFreeDoc(doc);
	/* replaced, then removed: the old values are kept */
	assert_int_equal(party_id_set(f->db, &f->op, f->b, PARTY_GLN,
	    "0614141000005"), KW_OK);
	assert_int_equal(party_id_set(f->db, &f->b_admin, f->b, PARTY_VAT,
	    ""), KW_OK);
	assert_int_equal(party_id_list(f->db, f->a, f->b, &list, &n), KW_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].value, "0614141000005");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "org_identifiers"), 3);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_export_statements_never_sort),
		T(test_seq_rises_with_every_change),
		T(test_export_ledger_whole_is_valid),
		T(test_export_ledger_since_has_only_changes),
		T(test_export_refuses_before_writing),
		T(test_export_emails_of_own_org_only),
		T(test_export_text_round_trips_escaped),
		T(test_export_streams_in_pieces),
		T(test_export_stops_when_the_sink_refuses),
		T(test_export_review_snapshot),
		T(test_party_id_normalise),
		T(test_party_id_set_rules),
	};
#undef T

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
