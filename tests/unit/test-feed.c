/* test-feed.c: unit tests of the Atom feed of a side's updates and promises. */
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
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "account.h"
#include "arena.h"
#include "buf.h"
#include "clock.h"
#include "db.h"
#include "export.h"
#include "feed.h"
#include "kw.h"
#include "org.h"
#include "promise.h"
#include "update.h"
#include "dbutil.h"

#define BASE	"https://keepword.example/"

/* What a sink received. */
struct sink {
	struct buf	 b;
	size_t		 calls;
};

static int
sink_write(void *ctx, const char *data, size_t len)
{
	struct sink *s = ctx;

	s->calls++;
	buf_append(&s->b, data, len);
	return 0;
}

/* The feed of side as actor sees it, into s. */
static enum kw_status
run_feed(struct fx *f, const struct user *actor, enum account_side side,
    struct sink *s)
{
	const struct export_sink out = { sink_write, s };

	memset(s, 0, sizeof(*s));
	buf_init(&s->b, 0, 0);
	return feed_write(f->db, f->a, actor, f->acct, side, BASE, &out);
}

/* The document in s, parsed; it must be well-formed. */
static xmlDocPtr
doc_of(struct sink *s)
{
	xmlDocPtr d = xmlReadMemory(s->b.data, (int)s->b.len, "feed.xml",
	    NULL, XML_PARSE_NONET);

	assert_non_null(d);
	return d;
}

/* XPath expr over d (prefix a: Atom) as a string in dst (n bytes). */
static const char *
xp(xmlDocPtr d, const char *expr, char *dst, size_t n)
{
	xmlXPathObjectPtr o = xpath_eval(d, "a", "http://www.w3.org/2005/Atom",
	    expr);
	xmlChar *v = xmlXPathCastToString(o);

	snprintf(dst, n, "%s", (const char *)v);
	xmlFree(v);
	xmlXPathFreeObject(o);
	return dst;
}

static long
xp_count(xmlDocPtr d, const char *expr)
{
	char v[32], q[512];

	snprintf(q, sizeof(q), "count(%s)", expr);
	return strtol(xp(d, q, v, sizeof(v)), NULL, 10);
}

/* Set the clock to 2026-03-02T09:MM:00Z. */
static void
at(int minute)
{
	char t[32];

	snprintf(t, sizeof(t), "2026-03-02T09:%02d:00Z", minute);
	fx_clock(t);
}

static void
act(struct fx *f, const struct user *u, long long pid, enum promise_action a,
    const char *date, const char *text)
{
	struct promise_input in = { date, text };

	assert_int_equal(promise_act(f->db, f->a, u, f->acct, pid, a, &in,
	    NULL), KW_OK);
}

static long long
promise(struct fx *f, const char *title)
{
	struct promise_new in = { title, "In full.", "2026-03-20", 0, 0 };
	long long id;

	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &in, &id, NULL), KW_OK);
	return id;
}

/*
 * The supplier's story: an update, a promise delivered, disputed,
 * delivered again and kept, another renegotiated and given up; the buyer
 * posts an update; a withdrawn update of the supplier. One minute each.
 */
static void
story(struct fx *f, long long *p1, long long *p2)
{
	long long u;

	at(0);
	assert_int_equal(update_create(f->db, f->a, &f->s_admin, f->acct,
	    UPDATE_DIRECTION, "Capacity plan", "A second line in May.", &u),
	    KW_OK);
	at(1);
	assert_int_equal(update_create(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_NEED, "Buyer's need", "Pouches.", &u), KW_OK);
	at(2);
	*p1 = promise(f, "Samples");
	at(3);
	act(f, &f->s_admin, *p1, PROMISE_DELIVER, "2026-03-02", "Sent");
	at(4);
	act(f, &f->b_admin, *p1, PROMISE_DISPUTE, NULL, "Two missing");
	at(5);
	act(f, &f->s_admin, *p1, PROMISE_DELIVER, "2026-03-02", "All of them");
	at(6);
	act(f, &f->b_admin, *p1, PROMISE_CONFIRM, NULL, NULL);
	at(7);
	*p2 = promise(f, "Report");
	at(8);
	act(f, &f->s_admin, *p2, PROMISE_RENEGOTIATE, "2026-03-27", "Audit");
	at(9);
	act(f, &f->b_admin, *p2, PROMISE_ACCEPT_DUE, NULL, NULL);
	at(10);
	act(f, &f->s_admin, *p2, PROMISE_BREAK, NULL, "Plans changed");
	at(11);
	assert_int_equal(update_create(f->db, f->a, &f->s_admin, f->acct,
	    UPDATE_NEED, "Withdrawn", "Never mind.", &u), KW_OK);
	at(12);
	assert_int_equal(update_withdraw(f->db, f->a, &f->s_admin, f->acct, u),
	    KW_OK);
	fx_clock(FX_NOW);
}

static void
test_feed_supplier_story_newest_first(void **state)
{
	static const char *const terms[] = {
		"promise-broken", "promise-due-accepted",
		"promise-due-proposed", "promise-made", "promise-kept",
		"promise-delivered", "promise-disputed", "promise-delivered",
		"promise-made", "update",
	};
	struct fx *f = *state;
	struct sink s;
	xmlDocPtr d;
	char v[512], q[256], want[256];
	long long p1, p2;
	size_t i;

	story(f, &p1, &p2);
	assert_int_equal(run_feed(f, &f->b_member, SIDE_SUPPLIER, &s), KW_OK);
	d = doc_of(&s);
	assert_string_equal(xp(d, "name(/*)", v, sizeof(v)), "feed");
	assert_string_equal(xp(d, "string(/a:feed/a:id)", v, sizeof(v)),
	    "https://keepword.example/exchange/accounts/1/feed?side=supplier");
	assert_string_equal(xp(d, "string(/a:feed/a:link[@rel='self']/@href)",
	    v, sizeof(v)),
	    "https://keepword.example/exchange/accounts/1/feed?side=supplier");
	assert_string_equal(xp(d, "string(/a:feed/a:updated)", v, sizeof(v)),
	    "2026-03-02T09:10:00Z");
	assert_int_equal(xp_count(d, "/a:feed/a:title"), 1);
	assert_int_equal(xp_count(d, "/a:feed/a:entry"), 10);
	for (i = 0; i < sizeof(terms) / sizeof(terms[0]); i++) {
		snprintf(q, sizeof(q), "string(/a:feed/a:entry[%zu]/"
		    "a:category/@term)", i + 1);
		assert_string_equal(xp(d, q, v, sizeof(v)), terms[i]);
		/* every entry has what Atom requires */
		snprintf(q, sizeof(q), "/a:feed/a:entry[%zu]/*[local-name()="
		    "'id' or local-name()='title' or local-name()='updated' or "
		    "local-name()='link' or local-name()='author']", i + 1);
		assert_int_equal(xp_count(d, q), 5);
	}
	/* ids: the entry's page, and the event */
	snprintf(want, sizeof(want), "https://keepword.example/accounts/1/"
	    "promises/%lld#broken", p2);
	assert_string_equal(xp(d, "string(/a:feed/a:entry[1]/a:id)", v,
	    sizeof(v)), want);
	snprintf(want, sizeof(want), "https://keepword.example/accounts/1/"
	    "promises/%lld", p2);
	assert_string_equal(xp(d, "string(/a:feed/a:entry[1]/a:link/@href)",
	    v, sizeof(v)), want);
	assert_int_equal(xp_count(d, "/a:feed/a:entry[a:id = "
	    "preceding-sibling::a:entry/a:id]"), 0);
	assert_string_equal(xp(d, "string(/a:feed/a:entry[1]/a:title)", v,
	    sizeof(v)), "Promise given up: Report");
	assert_string_equal(xp(d, "string(/a:feed/a:entry[1]/a:content)", v,
	    sizeof(v)), "Plans changed");
	assert_string_equal(xp(d, "string(/a:feed/a:entry[7]/a:content)", v,
	    sizeof(v)), "The delivery of 2026-03-02 was disputed: Two missing");
	assert_string_equal(xp(d, "string(/a:feed/a:entry[7]/a:author/a:name)",
	    v, sizeof(v)), f->b_admin.name);
	assert_string_equal(xp(d, "string(/a:feed/a:entry[10]/a:title)", v,
	    sizeof(v)), "Strategic update (direction): Capacity plan");
	/* the buyer's update and the withdrawn one are not in it */
	assert_int_equal(xp_count(d, "//a:title[contains(., 'Buyer') or "
	    "contains(., 'Withdrawn')]"), 0);
	xmlFreeDoc(d);
	buf_free(&s.b);
}

static void
test_feed_is_the_same_each_time(void **state)
{
	struct fx *f = *state;
	struct sink s1, s2;
	long long p1, p2;

	story(f, &p1, &p2);
	assert_int_equal(run_feed(f, &f->s_member, SIDE_SUPPLIER, &s1), KW_OK);
	assert_int_equal(run_feed(f, &f->b_admin, SIDE_SUPPLIER, &s2), KW_OK);
	assert_int_equal(s1.b.len, s2.b.len);
	assert_memory_equal(s1.b.data, s2.b.data, s1.b.len);
	buf_free(&s1.b);
	buf_free(&s2.b);
}

static void
test_feed_buyer_side(void **state)
{
	struct fx *f = *state;
	struct sink s;
	xmlDocPtr d;
	char v[256];
	long long p1, p2;

	story(f, &p1, &p2);
	assert_int_equal(run_feed(f, &f->s_admin, SIDE_BUYER, &s), KW_OK);
	d = doc_of(&s);
	assert_int_equal(xp_count(d, "/a:feed/a:entry"), 1);
	assert_string_equal(xp(d, "string(/a:feed/a:entry/a:category/@term)",
	    v, sizeof(v)), "update");
	assert_string_equal(xp(d, "string(/a:feed/a:author/a:name)", v,
	    sizeof(v)), "Buyer Co");
	xmlFreeDoc(d);
	buf_free(&s.b);
}

static void
test_feed_empty_is_valid(void **state)
{
	struct fx *f = *state;
	struct sink s;
	xmlDocPtr d;
	char v[64];

	assert_int_equal(run_feed(f, &f->b_admin, SIDE_BUYER, &s), KW_OK);
	d = doc_of(&s);
	assert_int_equal(xp_count(d, "/a:feed/a:entry"), 0);
	/* as new as the account */
	assert_string_not_equal(xp(d, "string(/a:feed/a:updated)", v,
	    sizeof(v)), "");
	xmlFreeDoc(d);
	buf_free(&s.b);
}

static void
test_feed_bounded(void **state)
{
	struct fx *f = *state;
	struct sink s;
	xmlDocPtr d;

	assert_int_equal(rawf(f->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION "
	    "ALL SELECT i + 1 FROM n WHERE i < %d) INSERT INTO promises "
	    "(account_id, promisor_side, title, due_date, original_due, "
	    "created_by, created_at) SELECT %lld, 'supplier', 'Promise ' || "
	    "i, '2026-04-01', '2026-04-01', %lld, '" FX_NOW "' FROM n",
	    FEED_ENTRIES_MAX + 10, f->acct, f->s_admin.id), SQLITE_OK);
	assert_int_equal(run_feed(f, &f->b_admin, SIDE_SUPPLIER, &s), KW_OK);
	d = doc_of(&s);
	assert_int_equal(xp_count(d, "/a:feed/a:entry"), FEED_ENTRIES_MAX);
	xmlFreeDoc(d);
	buf_free(&s.b);
}

static void
test_feed_refuses_before_writing(void **state)
{
	struct fx *f = *state;
	struct sink s;

	/* a stranger's org is not party: as for a missing account */
	assert_int_equal(run_feed(f, &f->x_admin, SIDE_BUYER, &s),
	    KW_NOTFOUND);
	assert_int_equal(s.calls, 0);
	assert_int_equal(run_feed(f, NULL, SIDE_BUYER, &s), KW_NOTFOUND);
	assert_int_equal(run_feed(f, &f->b_admin, SIDE__MAX, &s), KW_BADREQ);
	assert_int_equal(s.calls, 0);
	buf_free(&s.b);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_feed_supplier_story_newest_first),
		T(test_feed_is_the_same_each_time),
		T(test_feed_buyer_side),
		T(test_feed_empty_is_valid),
		T(test_feed_bounded),
		T(test_feed_refuses_before_writing),
	};
#undef T

	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
