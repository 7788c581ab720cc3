/* test-contact.c: unit tests of logged contacts and their figures. */
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
#include "contact.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "dbutil.h"

/* A good contact to start from. */
static struct contact
good(void)
{
	struct contact c;

	memset(&c, 0, sizeof(c));
	c.date = "2026-02-27";
	c.channel = CONTACT_CALL;
	c.participants = "Bea, Sam";
	c.summary = "Went through the Q1 forecast.";
	c.next_step = "";
	return c;
}

/* Log a contact of date and channel as u; its id. */
static long long
log_one(struct fx *f, const struct user *u, const char *date,
    enum contact_channel channel)
{
	struct contact c = good();
	long long id;

	c.date = date;
	c.channel = channel;
	assert_int_equal(contact_log(f->db, u, f->acct, &c, &id), KW_OK);
	return id;
}

/* One page of the contacts u sees, logged by side through channel
 * (NULL: any), as contact_list() returns it. */
static enum kw_status
contacts_page(struct fx *f, const struct user *u, const char *side,
    const char *channel, size_t limit, size_t offset, struct contact **list,
    size_t *n, size_t *total)
{
	struct contact_query q = { .side = side, .channel = channel,
	    .limit = limit, .offset = offset };

	return contact_list(f->db, f->a, u, f->acct, &q, list, n, total);
}

static long long
count_contacts(struct fx *f)
{
	return raw_int(f->db, "SELECT count(*) FROM contacts");
}

static void
test_log_and_read_back(void **state)
{
	struct fx *f = *state;
	struct contact in = good(), c;
	long long id;

	in.channel = CONTACT_VISIT;
	in.participants = "Bea (buyer)\nSam & Sue (supplier)";
	in.summary = "Site visit: <b>line 3</b> is running again. Müller ✓";
	in.next_step = "Send the audit report.";
	assert_int_equal(contact_log(f->db, &f->b_member, f->acct, &in, &id),
	    KW_OK);
	assert_int_equal(contact_get(f->db, f->a, &f->s_member, f->acct, id,
	    &c), KW_OK);
	assert_int_equal(c.id, id);
	assert_int_equal(c.account_id, f->acct);
	assert_int_equal(c.side, SIDE_BUYER);
	assert_string_equal(c.date, "2026-02-27");
	assert_int_equal(c.channel, CONTACT_VISIT);
	assert_string_equal(c.participants, in.participants);
	assert_string_equal(c.summary, in.summary);
	assert_string_equal(c.next_step, "Send the audit report.");
	assert_int_equal(c.created_by, f->b_member.id);
	assert_string_equal(c.created_by_name, "Bob Member");
	assert_string_equal(c.created_at, "2026-03-02T09:00:00Z");
	assert_string_equal(c.withdrawn_at, "");
	assert_string_equal(raw_text(f->db, f->a, "SELECT entity || ' ' || "
	    "action || ' ' || detail || ' ' || actor_user_id FROM "
	    "audit_events ORDER BY id DESC LIMIT 1"),
	    arena_xprintf(f->a, "contact create 2026-02-27 visit %lld",
	    f->b_member.id));
	/* today is fine, and the next step may be left out */
	in = good();
	in.date = "2026-03-02";
	in.next_step = NULL;
	assert_int_equal(contact_log(f->db, &f->s_admin, f->acct, &in, &id),
	    KW_OK);
	assert_int_equal(contact_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &c), KW_OK);
	assert_int_equal(c.side, SIDE_SUPPLIER);
	assert_string_equal(c.next_step, "");
}

static void
test_log_bad_input(void **state)
{
	struct fx *f = *state;
	struct contact c;
	char *big;
	long long id = 0;

	big = arena_xalloc(f->a, 10002);
	memset(big, 'x', 10001);
	big[10001] = '\0';
#define BAD(field, value) do {						\
	c = good();							\
	c.field = value;						\
	assert_int_equal(contact_log(f->db, &f->b_admin, f->acct, &c,	\
	    &id), KW_BADREQ);						\
} while (0)
	BAD(date, "2026-03-03");	/* tomorrow */
	BAD(date, "2026-02-30");
	BAD(date, "27.02.2026");
	BAD(date, "");
	BAD(date, NULL);
	BAD(channel, CONTACT_CHANNEL__MAX);
	BAD(channel, (enum contact_channel)-1);
	BAD(participants, "");
	BAD(participants, NULL);
	BAD(summary, "");
	BAD(summary, NULL);
	BAD(summary, big);
	BAD(summary, "nul\x01");
	big[2001] = '\0';
	BAD(participants, big);
	BAD(next_step, big);
	BAD(participants, "\xc3\x28");
#undef BAD
	assert_int_equal(id, 0);
	assert_int_equal(count_contacts(f), 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'contact'"), 0);
}

static void
test_date_error_messages(void **state)
{
	(void)state;
	assert_null(contact_date_error("2026-03-02"));
	assert_null(contact_date_error("1999-12-31"));
	assert_string_equal(contact_date_error("2026-03-03"),
	    "The date cannot be in the future.");
	assert_string_equal(contact_date_error("2026-13-01"),
	    "Enter a date as YYYY-MM-DD.");
	assert_string_equal(contact_date_error(NULL),
	    "Enter a date as YYYY-MM-DD.");
}

static void
test_strangers_and_other_accounts_see_nothing(void **state)
{
	struct fx *f = *state;
	struct contact in = good(), c, *list;
	struct contact_stats cs;
	size_t n, total;
	long long id, other;

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	id = log_one(f, &f->b_admin, "2026-02-27", CONTACT_CALL);
	assert_int_equal(contact_log(f->db, &f->x_admin, f->acct, &in, NULL),
	    KW_NOTFOUND);
	assert_int_equal(contact_log(f->db, NULL, f->acct, &in, NULL),
	    KW_NOTFOUND);
	assert_int_equal(contact_log(f->db, &f->b_admin, 999999, &in, NULL),
	    KW_NOTFOUND);
	assert_int_equal(contact_get(f->db, f->a, &f->x_admin, f->acct, id,
	    &c), KW_NOTFOUND);
	assert_int_equal(contact_get(f->db, f->a, &f->b_admin, other, id,
	    &c), KW_NOTFOUND);
	assert_int_equal(contact_withdraw(f->db, &f->x_admin, f->acct, id),
	    KW_NOTFOUND);
	assert_int_equal(contact_withdraw(f->db, &f->b_admin, other, id),
	    KW_NOTFOUND);
	assert_int_equal(contacts_page(f, &f->x_admin, NULL,
	    NULL, 20, 0, &list, &n, &total), KW_NOTFOUND);
	assert_int_equal(contact_stats(f->db, f->a, &f->x_admin, f->acct,
	    NULL, NULL, &cs), KW_NOTFOUND);
	assert_int_equal(count_contacts(f), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM contacts WHERE "
	    "withdrawn_at IS NOT NULL"), 0);
}

static void
test_withdraw_by_the_logging_side_only(void **state)
{
	struct fx *f = *state;
	struct contact c;
	long long id;

	id = log_one(f, &f->s_admin, "2026-02-20", CONTACT_MEETING);
	assert_int_equal(contact_withdraw(f->db, &f->b_admin, f->acct, id),
	    KW_FORBIDDEN);
	assert_int_equal(contact_withdraw(f->db, &f->b_admin, f->acct,
	    999999), KW_NOTFOUND);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM contacts WHERE "
	    "withdrawn_at IS NOT NULL"), 0);
	/* anyone of the logging side, not only its author */
	assert_int_equal(contact_withdraw(f->db, &f->s_member, f->acct, id),
	    KW_OK);
	assert_int_equal(contact_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &c), KW_OK);
	assert_string_equal(c.withdrawn_at, "2026-03-02T09:00:00Z");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'contact' AND action = 'withdraw'"), 1);
	assert_int_equal(contact_withdraw(f->db, &f->s_admin, f->acct, id),
	    KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'contact' AND action = 'withdraw'"), 1);
	/* nothing is deleted */
	assert_int_not_equal(raw(f->db, "DELETE FROM contacts"), SQLITE_OK);
	assert_int_equal(count_contacts(f), 1);
}

static void
test_list_newest_first_filtered_and_paged(void **state)
{
	struct fx *f = *state;
	struct contact *list;
	size_t n, total;
	long long a, b, c;
	int i;

	a = log_one(f, &f->b_admin, "2026-01-05", CONTACT_EMAIL);
	b = log_one(f, &f->s_admin, "2026-02-10", CONTACT_VIDEO);
	c = log_one(f, &f->b_member, "2026-02-10", CONTACT_CALL);
	for (i = 0; i < 22; i++)
		(void)log_one(f, &f->s_member, "2025-12-01", CONTACT_MEETING);
	assert_int_equal(contact_withdraw(f->db, &f->b_admin, f->acct, a),
	    KW_OK);

	assert_int_equal(contacts_page(f, &f->b_member,
	    NULL, NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 25);	/* withdrawn ones stay listed */
	assert_int_equal(n, 20);
	/* by date, then the later entry first */
	assert_int_equal(list[0].id, c);
	assert_int_equal(list[1].id, b);
	assert_int_equal(list[2].id, a);
	assert_string_equal(list[2].withdrawn_at, "2026-03-02T09:00:00Z");
	assert_int_equal(contacts_page(f, &f->b_member,
	    NULL, NULL, 20, 20, &list, &n, &total), KW_OK);
	assert_int_equal(n, 5);

	assert_int_equal(contacts_page(f, &f->b_member,
	    "buyer", NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(contacts_page(f, &f->b_member,
	    "supplier", "video", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, b);
	assert_int_equal(contacts_page(f, &f->b_member,
	    NULL, "fax", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 0);
	assert_null(list);
	assert_int_equal(contacts_page(f, &f->b_member,
	    NULL, NULL, 0, 0, &list, &n, &total), KW_BADREQ);
}

/* The number of contacts b_member sees with q. */
static size_t
listed(struct fx *f, const struct contact_query *q)
{
	struct contact *l;
	size_t n, total;

	assert_int_equal(contact_list(f->db, f->a, &f->b_member, f->acct, q,
	    &l, &n, &total), KW_OK);
	return total;
}

static void
test_list_by_days_counts_standing_ones(void **state)
{
	struct fx *f = *state;
	struct contact_query q = { .from = "2026-02-01", .to = "2026-02-28",
	    .limit = 20 };
	struct contact_stats cs;
	struct contact *l;
	size_t n, total;
	long long first, last, gone;

	(void)log_one(f, &f->b_admin, "2026-01-31", CONTACT_CALL);
	first = log_one(f, &f->s_admin, "2026-02-01", CONTACT_MEETING);
	gone = log_one(f, &f->s_admin, "2026-02-10", CONTACT_VIDEO);
	last = log_one(f, &f->b_admin, "2026-02-28", CONTACT_EMAIL);
	(void)log_one(f, &f->b_admin, "2026-03-01", CONTACT_CALL);
	assert_int_equal(contact_withdraw(f->db, &f->s_member, f->acct, gone),
	    KW_OK);

	/* as many as contact_stats() counts: withdrawn ones left out */
	assert_int_equal(contact_list(f->db, f->a, &f->b_member, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(l[0].id, last);
	assert_int_equal(l[1].id, first);
	assert_int_equal(contact_stats(f->db, f->a, &f->b_member, f->acct,
	    q.from, q.to, &cs), KW_OK);
	assert_int_equal(cs.count, total);
	/* with the other filters, and an end left open */
	q.side = "buyer";
	assert_int_equal(listed(f, &q), 1);
	q.side = NULL;
	q.channel = "meeting";
	assert_int_equal(listed(f, &q), 1);
	q.channel = NULL;
	q.to = NULL;
	assert_int_equal(listed(f, &q), 3);
	q.from = NULL;
	q.to = "2026-02-01";
	assert_int_equal(listed(f, &q), 2);
	/* no days: every contact, withdrawn ones too */
	q.to = NULL;
	assert_int_equal(listed(f, &q), 5);

	q.from = "2026-02-02";
	q.to = "2026-02-01";
	assert_int_equal(contact_list(f->db, f->a, &f->b_member, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.to = "2026-02-30";
	assert_int_equal(contact_list(f->db, f->a, &f->b_member, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
}

static void
test_stats_count_and_days_since(void **state)
{
	struct fx *f = *state;
	struct contact_stats cs;
	long long late;

	assert_int_equal(contact_stats(f->db, f->a, &f->b_admin, f->acct,
	    NULL, NULL, &cs), KW_OK);
	assert_int_equal(cs.count, 0);
	assert_int_equal(cs.days_since, -1);
	assert_string_equal(cs.last_date, "");

	(void)log_one(f, &f->b_admin, "2026-01-10", CONTACT_CALL);
	(void)log_one(f, &f->s_admin, "2026-02-01", CONTACT_MEETING);
	(void)log_one(f, &f->s_admin, "2026-02-20", CONTACT_VIDEO);
	late = log_one(f, &f->b_admin, "2026-02-28", CONTACT_EMAIL);

	/* the overview: since ever, as of today (2026-03-02) */
	assert_int_equal(contact_stats(f->db, f->a, &f->s_member, f->acct,
	    NULL, NULL, &cs), KW_OK);
	assert_int_equal(cs.count, 4);
	assert_string_equal(cs.last_date, "2026-02-28");
	assert_int_equal(cs.days_since, 2);

	/* a review period: February, as of its last day */
	assert_int_equal(contact_stats(f->db, f->a, &f->s_member, f->acct,
	    "2026-02-01", "2026-02-28", &cs), KW_OK);
	assert_int_equal(cs.count, 3);
	assert_int_equal(cs.days_since, 0);
	assert_int_equal(contact_stats(f->db, f->a, &f->s_member, f->acct,
	    "2026-01-01", "2026-01-31", &cs), KW_OK);
	assert_int_equal(cs.count, 1);
	assert_int_equal(cs.days_since, 21);

	/* withdrawn contacts do not count */
	assert_int_equal(contact_withdraw(f->db, &f->b_member, f->acct, late),
	    KW_OK);
	assert_int_equal(contact_stats(f->db, f->a, NULL, f->acct, NULL,
	    NULL, &cs), KW_OK);
	assert_int_equal(cs.count, 3);
	assert_string_equal(cs.last_date, "2026-02-20");
	assert_int_equal(cs.days_since, 10);

	assert_int_equal(contact_stats(f->db, f->a, &f->b_admin, f->acct,
	    "2026-02-31", NULL, &cs), KW_BADREQ);
	assert_int_equal(contact_stats(f->db, f->a, &f->b_admin, f->acct,
	    NULL, "soon", &cs), KW_BADREQ);
}

static void
test_channel_names_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CONTACT_CHANNEL__MAX; i++)
		assert_non_null(contact_channel_names[i]);
	assert_null(contact_channel_names[CONTACT_CHANNEL__MAX]);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_log_and_read_back),
		T(test_log_bad_input),
		cmocka_unit_test(test_date_error_messages),
		T(test_strangers_and_other_accounts_see_nothing),
		T(test_withdraw_by_the_logging_side_only),
		T(test_list_newest_first_filtered_and_paged),
		T(test_list_by_days_counts_standing_ones),
		T(test_stats_count_and_days_since),
		cmocka_unit_test(test_channel_names_complete),
	};

	kw_log_init("test-contact");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
