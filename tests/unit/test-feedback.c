/* test-feedback.c: unit tests of satisfaction ratings and their means. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "db.h"
#include "feedback.h"
#include "kw.h"
#include "org.h"
#include "dbutil.h"

/* Give rating on aspect as u at time now (UTC ISO-8601); its id. */
static long long
give(struct fx *f, const struct user *u, int rating,
    enum feedback_aspect aspect, const char *now)
{
	struct feedback in;
	long long id;

	memset(&in, 0, sizeof(in));
	in.rating = rating;
	in.aspect = aspect;
	setenv("KEEPWORD_NOW", now, 1);
	assert_int_equal(feedback_give(f->db, u, f->acct, &in, &id), KW_OK);
	setenv("KEEPWORD_NOW", "2026-03-02T09:00:00Z", 1);
	return id;
}

/* One page of the ratings u sees, given by side on aspect (NULL: any),
 * as feedback_list() returns it. */
static enum kw_status
feedback_page(struct fx *f, const struct user *u, const char *side,
    const char *aspect, size_t limit, size_t offset, struct feedback **list,
    size_t *n, size_t *total)
{
	struct feedback_query q = { .side = side, .aspect = aspect,
	    .limit = limit, .offset = offset };

	return feedback_list(f->db, f->a, u, f->acct, &q, list, n, total);
}

static long long
count_feedback(struct fx *f)
{
	return raw_int(f->db, "SELECT count(*) FROM feedback");
}

static void
test_give_and_read_back(void **state)
{
	struct fx *f = *state;
	struct feedback in, fb;
	long long id;

	memset(&in, 0, sizeof(in));
	in.rating = 4;
	in.aspect = FEEDBACK_DELIVERY;
	in.comment = "On time <i>every</i> week.\nMerci ✓";
	assert_int_equal(feedback_give(f->db, &f->b_member, f->acct, &in,
	    &id), KW_OK);
	assert_int_equal(feedback_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &fb), KW_OK);
	assert_int_equal(fb.from_side, SIDE_BUYER);
	assert_int_equal(fb.rating, 4);
	assert_int_equal(fb.aspect, FEEDBACK_DELIVERY);
	assert_string_equal(fb.comment, in.comment);
	assert_string_equal(fb.created_by_name, "Bob Member");
	assert_string_equal(fb.created_at, "2026-03-02T09:00:00Z");
	assert_string_equal(fb.withdrawn_at, "");
	assert_string_equal(raw_text(f->db, f->a, "SELECT entity || ' ' || "
	    "action || ' ' || detail FROM audit_events ORDER BY id DESC "
	    "LIMIT 1"), "feedback create 4 of 5 on delivery");

	/* overall (no aspect), no comment */
	in.rating = 1;
	in.aspect = FEEDBACK_ASPECT__MAX;
	in.comment = NULL;
	assert_int_equal(feedback_give(f->db, &f->s_member, f->acct, &in,
	    &id), KW_OK);
	assert_int_equal(feedback_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &fb), KW_OK);
	assert_int_equal(fb.from_side, SIDE_SUPPLIER);
	assert_int_equal(fb.aspect, FEEDBACK_ASPECT__MAX);
	assert_string_equal(fb.comment, "");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM feedback WHERE "
	    "aspect IS NULL"), 1);
	assert_string_equal(raw_text(f->db, f->a, "SELECT detail FROM "
	    "audit_events ORDER BY id DESC LIMIT 1"), "1 of 5");
}

static void
test_give_bad_input(void **state)
{
	struct fx *f = *state;
	struct feedback in;
	char *big;
	long long id = 0;

	big = arena_xalloc(f->a, 10002);
	memset(big, 'x', 10001);
	big[10001] = '\0';
	memset(&in, 0, sizeof(in));
	in.aspect = FEEDBACK_QUALITY;
	in.rating = 0;
	assert_int_equal(feedback_give(f->db, &f->b_admin, f->acct, &in,
	    &id), KW_BADREQ);
	in.rating = 6;
	assert_int_equal(feedback_give(f->db, &f->b_admin, f->acct, &in,
	    &id), KW_BADREQ);
	in.rating = 3;
	in.aspect = (enum feedback_aspect)(FEEDBACK_ASPECT__MAX + 1);
	assert_int_equal(feedback_give(f->db, &f->b_admin, f->acct, &in,
	    &id), KW_BADREQ);
	in.aspect = FEEDBACK_VALUE;
	in.comment = big;
	assert_int_equal(feedback_give(f->db, &f->b_admin, f->acct, &in,
	    &id), KW_BADREQ);
	in.comment = "esc\x1b";
	assert_int_equal(feedback_give(f->db, &f->b_admin, f->acct, &in,
	    &id), KW_BADREQ);
	in.comment = NULL;
	assert_int_equal(feedback_give(f->db, &f->x_admin, f->acct, &in,
	    &id), KW_NOTFOUND);
	assert_int_equal(id, 0);
	assert_int_equal(count_feedback(f), 0);
}

static void
test_withdraw_by_the_giving_side_only(void **state)
{
	struct fx *f = *state;
	struct feedback fb;
	long long id, other;

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	id = give(f, &f->b_admin, 2, FEEDBACK_QUALITY, "2026-03-01T10:00:00Z");
	assert_int_equal(feedback_withdraw(f->db, &f->s_admin, f->acct, id),
	    KW_FORBIDDEN);
	assert_int_equal(feedback_withdraw(f->db, &f->x_admin, f->acct, id),
	    KW_NOTFOUND);
	assert_int_equal(feedback_withdraw(f->db, &f->b_admin, other, id),
	    KW_NOTFOUND);
	assert_int_equal(feedback_get(f->db, f->a, &f->x_admin, other, id,
	    &fb), KW_NOTFOUND);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM feedback WHERE "
	    "withdrawn_at IS NOT NULL"), 0);
	assert_int_equal(feedback_withdraw(f->db, &f->b_member, f->acct, id),
	    KW_OK);
	assert_int_equal(feedback_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &fb), KW_OK);
	assert_string_equal(fb.withdrawn_at, "2026-03-02T09:00:00Z");
	assert_int_equal(feedback_withdraw(f->db, &f->b_member, f->acct, id),
	    KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'feedback' AND action = 'withdraw'"), 1);
	assert_int_not_equal(raw(f->db, "DELETE FROM feedback"), SQLITE_OK);
}

static void
test_list_filters_and_pages(void **state)
{
	struct fx *f = *state;
	struct feedback *list;
	size_t n, total;
	long long first, last;
	int i;

	first = give(f, &f->b_admin, 5, FEEDBACK_VALUE,
	    "2026-01-02T08:00:00Z");
	for (i = 0; i < 21; i++)
		(void)give(f, &f->s_admin, 3, FEEDBACK_ASPECT__MAX,
		    "2026-02-02T08:00:00Z");
	last = give(f, &f->b_member, 4, FEEDBACK_QUALITY,
	    "2026-03-01T08:00:00Z");

	assert_int_equal(feedback_page(f, &f->s_member,
	    NULL, NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 23);
	assert_int_equal(n, 20);
	assert_int_equal(list[0].id, last);
	assert_int_equal(feedback_page(f, &f->s_member,
	    NULL, NULL, 20, 20, &list, &n, &total), KW_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[2].id, first);
	assert_int_equal(feedback_page(f, &f->s_member,
	    "buyer", NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(feedback_page(f, &f->s_member,
	    "buyer", "value", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, first);
	assert_int_equal(feedback_page(f, &f->s_member,
	    NULL, "price", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 0);
	assert_int_equal(feedback_page(f, &f->x_admin,
	    NULL, NULL, 20, 0, &list, &n, &total), KW_NOTFOUND);
	assert_int_equal(feedback_page(f, &f->s_member,
	    NULL, NULL, 1001, 0, &list, &n, &total), KW_BADREQ);
}

/* The number of ratings s_member sees with q. */
static size_t
listed(struct fx *f, const struct feedback_query *q)
{
	struct feedback *l;
	size_t n, total;

	assert_int_equal(feedback_list(f->db, f->a, &f->s_member, f->acct, q,
	    &l, &n, &total), KW_OK);
	return total;
}

static void
test_list_by_days_counts_standing_ones(void **state)
{
	struct fx *f = *state;
	struct feedback_query q = { .side = "buyer", .from = "2026-02-01",
	    .to = "2026-02-28", .limit = 20 };
	struct feedback_stats fs;
	struct feedback *l;
	size_t n, total;
	long long first, last;

	(void)give(f, &f->b_admin, 1, FEEDBACK_ASPECT__MAX,
	    "2026-01-31T23:59:59Z");
	first = give(f, &f->b_admin, 5, FEEDBACK_QUALITY,
	    "2026-02-01T00:00:00Z");
	last = give(f, &f->b_member, 4, FEEDBACK_ASPECT__MAX,
	    "2026-02-28T23:59:59Z");
	(void)give(f, &f->b_admin, 2, FEEDBACK_ASPECT__MAX,
	    "2026-03-01T00:00:00Z");
	(void)give(f, &f->s_admin, 3, FEEDBACK_ASPECT__MAX,
	    "2026-02-10T08:00:00Z");
	assert_int_equal(feedback_withdraw(f->db, &f->b_admin, f->acct,
	    give(f, &f->b_admin, 1, FEEDBACK_VALUE, "2026-02-10T09:00:00Z")),
	    KW_OK);

	/* as many as feedback_received() counts: withdrawn ones left out */
	assert_int_equal(feedback_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(l[0].id, last);
	assert_int_equal(l[1].id, first);
	assert_int_equal(feedback_received(f->db, f->a, &f->s_member, f->acct,
	    SIDE_SUPPLIER, q.from, q.to, &fs), KW_OK);
	assert_int_equal(fs.count, total);
	/* with the aspect, either side, an end left open */
	q.aspect = "quality";
	assert_int_equal(listed(f, &q), 1);
	q.aspect = NULL;
	q.side = NULL;
	assert_int_equal(listed(f, &q), 3);
	q.side = "buyer";
	q.to = NULL;
	assert_int_equal(listed(f, &q), 3);
	q.from = NULL;
	q.to = "2026-01-31";
	assert_int_equal(listed(f, &q), 1);
	/* no days: every rating, withdrawn ones too */
	q.to = NULL;
	assert_int_equal(listed(f, &q), 5);

	q.from = "2026-03-01";
	q.to = "2026-02-28";
	assert_int_equal(feedback_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.from = "01.02.2026";
	assert_int_equal(feedback_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
}

static void
test_mean_received_per_side_and_period(void **state)
{
	struct fx *f = *state;
	struct feedback_stats fs;
	long long gone;

	assert_int_equal(feedback_received(f->db, f->a, &f->b_admin, f->acct,
	    SIDE_SUPPLIER, NULL, NULL, &fs), KW_OK);
	assert_int_equal(fs.count, 0);
	assert_true(fs.mean == 0);

	/* the buyer rates the supplier */
	(void)give(f, &f->b_admin, 4, FEEDBACK_QUALITY, "2026-01-15T10:00:00Z");
	(void)give(f, &f->b_member, 2, FEEDBACK_DELIVERY,
	    "2026-02-10T23:59:59Z");
	(void)give(f, &f->b_admin, 3, FEEDBACK_ASPECT__MAX,
	    "2026-03-01T00:00:00Z");
	gone = give(f, &f->b_admin, 1, FEEDBACK_VALUE, "2026-02-11T10:00:00Z");
	assert_int_equal(feedback_withdraw(f->db, &f->b_admin, f->acct, gone),
	    KW_OK);
	/* the supplier rates the buyer */
	(void)give(f, &f->s_admin, 5, FEEDBACK_COMMUNICATION,
	    "2026-02-12T10:00:00Z");

	assert_int_equal(feedback_received(f->db, f->a, &f->s_member, f->acct,
	    SIDE_SUPPLIER, NULL, NULL, &fs), KW_OK);
	assert_int_equal(fs.count, 3);
	assert_true(fs.mean > 2.99 && fs.mean < 3.01);
	assert_int_equal(feedback_received(f->db, f->a, &f->s_member, f->acct,
	    SIDE_SUPPLIER, "2026-01-01", "2026-02-10", &fs), KW_OK);
	assert_int_equal(fs.count, 2);
	assert_true(fs.mean > 2.99 && fs.mean < 3.01);
	assert_int_equal(feedback_received(f->db, f->a, NULL, f->acct,
	    SIDE_SUPPLIER, "2026-02-11", "2026-03-31", &fs), KW_OK);
	assert_int_equal(fs.count, 1);
	assert_true(fs.mean > 2.99 && fs.mean < 3.01);
	assert_int_equal(feedback_received(f->db, f->a, &f->b_member, f->acct,
	    SIDE_BUYER, NULL, NULL, &fs), KW_OK);
	assert_int_equal(fs.count, 1);
	assert_true(fs.mean > 4.99 && fs.mean < 5.01);

	assert_int_equal(feedback_received(f->db, f->a, &f->b_member, f->acct,
	    SIDE__MAX, NULL, NULL, &fs), KW_BADREQ);
	assert_int_equal(feedback_received(f->db, f->a, &f->b_member, f->acct,
	    SIDE_BUYER, "yesterday", NULL, &fs), KW_BADREQ);
	assert_int_equal(feedback_received(f->db, f->a, &f->x_admin, f->acct,
	    SIDE_BUYER, NULL, NULL, &fs), KW_NOTFOUND);
}

static void
test_aspect_names_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < FEEDBACK_ASPECT__MAX; i++)
		assert_non_null(feedback_aspect_names[i]);
	assert_null(feedback_aspect_names[FEEDBACK_ASPECT__MAX]);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_give_and_read_back),
		T(test_give_bad_input),
		T(test_withdraw_by_the_giving_side_only),
		T(test_list_filters_and_pages),
		T(test_list_by_days_counts_standing_ones),
		T(test_mean_received_per_side_and_period),
		cmocka_unit_test(test_aspect_names_complete),
	};

	kw_log_init("test-feedback");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
