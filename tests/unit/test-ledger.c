/* test-ledger.c: unit tests of expectations, strategic updates and review periods. */
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
#include "clock.h"
#include "db.h"
#include "expectation.h"
#include "kw.h"
#include "org.h"
#include "update.h"
#include "valid.h"
#include "dbutil.h"

/* ---- helpers ------------------------------------------------------------ */

/* The number the query fmt (printf-style) returns. */
static long long count_id(struct fx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static long long
count_id(struct fx *f, const char *fmt, ...)
{
	char q[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return raw_int(f->db, q);
}

/* A new expectation stated by actor's side; its id. */
static long long
expect(struct fx *f, const struct user *actor, const char *title)
{
	long long id = 0;

	assert_int_equal(expectation_create(f->db, f->a, actor, f->acct, title,
	    "", "", &id), KW_OK);
	return id;
}

/* An expectation by the buyer, brought into state. */
static long long
expect_in(struct fx *f, enum expectation_state state)
{
	long long id = expect(f, &f->b_admin, "Deliveries complete");

	if (state == EXPECTATION_PROPOSED)
		return id;
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->s_admin,
	    f->acct, id), KW_OK);
	if (state == EXPECTATION_RETIRED)
		assert_int_equal(expectation_retire(f->db, f->a, &f->b_admin,
		    f->acct, id, NULL), KW_OK);
	return id;
}

/* A new update posted by actor's side; its id. */
static long long
post(struct fx *f, const struct user *actor, enum update_kind kind,
    const char *title)
{
	long long id = 0;

	assert_int_equal(update_create(f->db, f->a, actor, f->acct, kind,
	    title, "Body text", &id), KW_OK);
	return id;
}

/* An account between B and X, for entries of another account. */
static long long
other_account(struct fx *f)
{
	long long id = 0;

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_MONTHLY, "2026-01-15", 0, 0, &id), KW_OK);
	return id;
}

/* ---- review periods ------------------------------------------------------ */

static const struct period_case {
	enum account_cadence	 cadence;
	const char		*start, *date, *from, *to;
} period_cases[] = {
	/* quarterly from the first of a month */
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-01-01", "2026-01-01", "2026-03-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-03-02", "2026-01-01", "2026-03-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-03-31", "2026-01-01", "2026-03-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-04-01", "2026-04-01", "2026-06-30" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-12-31", "2026-10-01", "2026-12-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2027-01-01", "2027-01-01", "2027-03-31" },
	/* mid-month starts keep their day */
	{ CADENCE_QUARTERLY, "2025-11-15", "2026-02-14", "2025-11-15", "2026-02-14" },
	{ CADENCE_QUARTERLY, "2025-11-15", "2026-02-15", "2026-02-15", "2026-05-14" },
	/* month ends: the day is clamped to a shorter month */
	{ CADENCE_MONTHLY, "2026-01-31", "2026-02-27", "2026-01-31", "2026-02-27" },
	{ CADENCE_MONTHLY, "2026-01-31", "2026-02-28", "2026-02-28", "2026-03-30" },
	{ CADENCE_MONTHLY, "2026-01-31", "2026-03-31", "2026-03-31", "2026-04-29" },
	{ CADENCE_MONTHLY, "2026-01-31", "2026-04-30", "2026-04-30", "2026-05-30" },
	{ CADENCE_MONTHLY, "2026-03-01", "2026-03-01", "2026-03-01", "2026-03-31" },
	/* leap years */
	{ CADENCE_MONTHLY, "2024-01-31", "2024-02-29", "2024-02-29", "2024-03-30" },
	{ CADENCE_MONTHLY, "2024-01-30", "2024-02-29", "2024-02-29", "2024-03-29" },
	{ CADENCE_YEARLY, "2024-02-29", "2025-02-27", "2024-02-29", "2025-02-27" },
	{ CADENCE_YEARLY, "2024-02-29", "2025-02-28", "2025-02-28", "2026-02-27" },
	{ CADENCE_YEARLY, "2024-02-29", "2028-02-29", "2028-02-29", "2029-02-27" },
	{ CADENCE_QUARTERLY, "2023-11-30", "2024-02-29", "2024-02-29", "2024-05-29" },
	{ CADENCE_HALF_YEARLY, "2026-08-31", "2027-02-27", "2026-08-31", "2027-02-27" },
	{ CADENCE_HALF_YEARLY, "2026-08-31", "2027-02-28", "2027-02-28", "2027-08-30" },
	{ CADENCE_HALF_YEARLY, "2027-08-31", "2028-02-29", "2028-02-29", "2028-08-30" },
	{ CADENCE_YEARLY, "2026-01-01", "2030-06-15", "2030-01-01", "2030-12-31" },
};

static void
test_account_period_table(void **state)
{
	struct account acct;
	char from[11], to[11];
	size_t i;

	(void)state;
	memset(&acct, 0, sizeof(acct));
	for (i = 0; i < sizeof(period_cases) / sizeof(period_cases[0]); i++) {
		const struct period_case *c = &period_cases[i];

		acct.cadence = c->cadence;
		acct.start_date = c->start;
		if (account_period(&acct, c->date, from, to) != 0)
			fail_msg("case %zu: %s from %s refused", i, c->date,
			    c->start);
		if (strcmp(from, c->from) != 0 || strcmp(to, c->to) != 0)
			fail_msg("case %zu: %s %s from %s: got %s..%s, want "
			    "%s..%s", i, account_cadence_name(c->cadence),
			    c->date, c->start, from, to, c->from, c->to);
	}
}

static void
test_account_period_periods_tile(void **state)
{
	struct account acct;
	char from[11], to[11], prev_to[11] = "", date[11];
	time_t t, t0;
	int c;

	(void)state;
	memset(&acct, 0, sizeof(acct));
	acct.start_date = "2024-01-31";
	/* every day of three years lies in exactly one period, and each
	 * period starts the day after the previous one ended */
	for (c = 0; c < CADENCE__MAX; c++) {
		acct.cadence = (enum account_cadence)c;
		assert_int_equal(clock_parse_date("2024-01-31", &t0), 0);
		prev_to[0] = '\0';
		for (t = t0; t < t0 + 3 * 366 * 86400; t += 86400) {
			clock_date(t, date, sizeof(date));
			assert_int_equal(account_period(&acct, date, from, to),
			    0);
			assert_true(strcmp(from, date) <= 0);
			assert_true(strcmp(date, to) <= 0);
			if (strcmp(from, date) == 0 && prev_to[0] != '\0') {
				char next[11];
				time_t pt;

				assert_int_equal(clock_parse_date(prev_to, &pt),
				    0);
				clock_date(pt + 86400, next, sizeof(next));
				assert_string_equal(next, from);
			}
			memcpy(prev_to, to, sizeof(prev_to));
		}
	}
}

static void
test_account_period_bad_dates(void **state)
{
	struct account acct;
	char from[11] = "x", to[11] = "y";

	(void)state;
	memset(&acct, 0, sizeof(acct));
	acct.cadence = CADENCE_QUARTERLY;
	acct.start_date = "2026-01-01";
	assert_int_equal(account_period(&acct, "2025-12-31", from, to), -1);
	assert_string_equal(from, "");
	assert_string_equal(to, "");
	assert_int_equal(account_period(&acct, "2026-02-30", from, to), -1);
	assert_int_equal(account_period(&acct, "2026-1-01", from, to), -1);
	assert_int_equal(account_period(&acct, "", from, to), -1);
	assert_int_equal(account_period(&acct, NULL, from, to), -1);
	acct.start_date = "nonsense";
	assert_int_equal(account_period(&acct, "2026-03-01", from, to), -1);
	acct.start_date = "2026-01-01";
	acct.cadence = CADENCE__MAX;
	assert_int_equal(account_period(&acct, "2026-03-01", from, to), -1);
	assert_int_equal(account_period(NULL, "2026-03-01", from, to), -1);
}

/* ---- expectations: the rules ------------------------------------------- */

/* What each side gets for each action in each state (side check first). */
static const struct rule_case {
	enum expectation_state	 state;
	enum expectation_action	 action;
	enum kw_status		 stating, other;
} rule_cases[] = {
	{ EXPECTATION_PROPOSED, EXPECTATION_ACKNOWLEDGE, KW_FORBIDDEN, KW_OK },
	{ EXPECTATION_PROPOSED, EXPECTATION_RETIRE, KW_OK, KW_FORBIDDEN },
	{ EXPECTATION_PROPOSED, EXPECTATION_ASSESS, KW_CONFLICT, KW_FORBIDDEN },
	{ EXPECTATION_ACKNOWLEDGED, EXPECTATION_ACKNOWLEDGE, KW_FORBIDDEN,
	  KW_CONFLICT },
	{ EXPECTATION_ACKNOWLEDGED, EXPECTATION_RETIRE, KW_OK, KW_FORBIDDEN },
	{ EXPECTATION_ACKNOWLEDGED, EXPECTATION_ASSESS, KW_OK, KW_FORBIDDEN },
	{ EXPECTATION_RETIRED, EXPECTATION_ACKNOWLEDGE, KW_FORBIDDEN,
	  KW_CONFLICT },
	{ EXPECTATION_RETIRED, EXPECTATION_RETIRE, KW_CONFLICT, KW_FORBIDDEN },
	{ EXPECTATION_RETIRED, EXPECTATION_ASSESS, KW_CONFLICT, KW_FORBIDDEN },
};
#define NRULES	(sizeof(rule_cases) / sizeof(rule_cases[0]))

static void
test_expectation_may_table(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(NRULES,
	    EXPECTATION_STATE__MAX * EXPECTATION_ACTION__MAX);
	for (i = 0; i < NRULES; i++) {
		const struct rule_case *c = &rule_cases[i];

		assert_int_equal(expectation_may(c->state, SIDE_BUYER,
		    SIDE_BUYER, c->action), c->stating);
		assert_int_equal(expectation_may(c->state, SIDE_SUPPLIER,
		    SIDE_SUPPLIER, c->action), c->stating);
		assert_int_equal(expectation_may(c->state, SIDE_BUYER,
		    SIDE_SUPPLIER, c->action), c->other);
		assert_int_equal(expectation_may(c->state, SIDE_SUPPLIER,
		    SIDE_BUYER, c->action), c->other);
		assert_int_equal(expectation_may(c->state, SIDE_BUYER,
		    SIDE__MAX, c->action), KW_FORBIDDEN);
	}
	assert_int_equal(expectation_may(EXPECTATION_STATE__MAX, SIDE_BUYER,
	    SIDE_BUYER, EXPECTATION_RETIRE), KW_BADREQ);
	assert_int_equal(expectation_may(EXPECTATION_PROPOSED, SIDE_BUYER,
	    SIDE_BUYER, EXPECTATION_ACTION__MAX), KW_BADREQ);
}

/* Run action on expectation id as actor (assessments of today). */
static enum kw_status
run_action(struct fx *f, const struct user *actor, long long id,
    enum expectation_action action)
{
	switch (action) {
	case EXPECTATION_ACKNOWLEDGE:
		return expectation_acknowledge(f->db, f->a, actor, f->acct, id);
	case EXPECTATION_RETIRE:
		return expectation_retire(f->db, f->a, actor, f->acct, id,
		    "No longer needed");
	default:
		return expectation_assess(f->db, f->a, actor, f->acct, id,
		    NULL, EXPECTATION_PARTLY, "Late twice", NULL, NULL);
	}
}

/* A snapshot of everything an action could change. */
static const char *
snapshot(struct fx *f, long long id)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT state || '|' || "
	    "coalesce(acknowledged_by, '') || '|' || "
	    "coalesce(acknowledged_at, '') || '|' || "
	    "coalesce(retired_by, '') || '|' || coalesce(retire_reason, '') "
	    "|| '|' || (SELECT count(*) FROM expectation_assessments "
	    "WHERE expectation_id = %lld) || '|' || (SELECT count(*) FROM "
	    "audit_events) FROM expectations WHERE id = %lld", id, id);
	return raw_text(f->db, f->a, q);
}

static void
test_expectation_state_action_side(void **state)
{
	static const enum expectation_state after[EXPECTATION_ACTION__MAX] = {
		[EXPECTATION_ACKNOWLEDGE] = EXPECTATION_ACKNOWLEDGED,
		[EXPECTATION_RETIRE] = EXPECTATION_RETIRED,
		[EXPECTATION_ASSESS] = EXPECTATION_ACKNOWLEDGED,
	};
	struct fx *f = *state;
	const struct user *actor;
	struct expectation e;
	const char *before;
	enum kw_status want, got;
	long long id, audits;
	size_t i;
	int other;

	for (i = 0; i < NRULES; i++) {
		const struct rule_case *c = &rule_cases[i];

		for (other = 0; other < 2; other++) {
			/* members: the role plays no part, the side does */
			actor = other ? &f->s_member : &f->b_member;
			want = other ? c->other : c->stating;
			id = expect_in(f, c->state);
			before = snapshot(f, id);
			audits = raw_int(f->db, "SELECT count(*) FROM "
			    "audit_events");
			got = run_action(f, actor, id, c->action);
			if (got != want)
				fail_msg("%s %s by the %s side: got %d, want "
				    "%d", expectation_state_names[c->state],
				    expectation_action_names[c->action],
				    other ? "other" : "stating", got, want);
			if (want != KW_OK) {
				assert_string_equal(snapshot(f, id), before);
				continue;
			}
			assert_int_equal(expectation_get(f->db, f->a, actor,
			    f->acct, id, &e), KW_OK);
			assert_int_equal(e.state, after[c->action]);
			assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
			    "audit_events"), audits + 1);
			assert_int_equal(count_id(f, "SELECT count(*) FROM "
			    "audit_events WHERE entity = 'expectation' AND "
			    "entity_id = %lld", id), c->state ==
			    EXPECTATION_PROPOSED ? 2 : c->state ==
			    EXPECTATION_ACKNOWLEDGED ? 3 : 4);
		}
	}
}

/* ---- expectations: create, read, list ---------------------------------- */

static void
test_expectation_create_notifies_other_side(void **state)
{
	struct fx *f = *state;
	struct expectation e;
	long long id = 0;

	assert_int_equal(expectation_create(f->db, f->a, &f->b_member, f->acct,
	    "Orders complete — “always”", "Line one\nLine two",
	    "98 % complete", &id), KW_OK);
	assert_int_equal(expectation_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &e), KW_OK);
	assert_int_equal(e.from_side, SIDE_BUYER);
	assert_int_equal(e.state, EXPECTATION_PROPOSED);
	assert_string_equal(e.title, "Orders complete — “always”");
	assert_string_equal(e.detail, "Line one\nLine two");
	assert_string_equal(e.target, "98 % complete");
	assert_string_equal(e.created_by_name, "Bob Member");
	assert_string_equal(e.created_at, "2026-03-02T09:00:00Z");
	assert_string_equal(e.acknowledged_at, "");
	/* everyone of the supplier, nobody of the buyer */
	assert_int_equal(count_id(f, "SELECT count(*) FROM notifications "
	    "WHERE kind = 'expectation' AND entity = 'expectation' AND "
	    "entity_id = %lld", id), 2);
	assert_int_equal(count_id(f, "SELECT count(*) FROM notifications n "
	    "JOIN users u ON u.id = n.user_id WHERE u.org_id = %lld",
	    f->b), 0);
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'expectation' AND action = 'create' AND entity_id = "
	    "%lld", id), 1);
}

static void
test_expectation_create_bad_input(void **state)
{
	struct fx *f = *state;
	char long_title[202];
	long long id = 0;

	memset(long_title, 'a', 201);
	long_title[201] = '\0';
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin, f->acct,
	    "", "", "", &id), KW_BADREQ);
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin, f->acct,
	    NULL, "", "", &id), KW_BADREQ);
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin, f->acct,
	    long_title, "", "", &id), KW_BADREQ);
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin, f->acct,
	    "Two\nlines", "", "", &id), KW_BADREQ);
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin, f->acct,
	    "Ok", "", long_title, &id), KW_BADREQ);
	long_title[200] = '\0';
	assert_int_equal(expectation_create(f->db, f->a, &f->b_admin, f->acct,
	    long_title, NULL, NULL, &id), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expectations"),
	    1);
}

static void
test_expectation_non_party_is_notfound(void **state)
{
	struct fx *f = *state;
	struct expectation e, *list;
	struct expectation_summary sum;
	size_t n;
	long long id = expect(f, &f->b_admin, "Invoices on time"), nid = 0;
	long long other = other_account(f);

	assert_int_equal(expectation_create(f->db, f->a, &f->x_admin, f->acct,
	    "Intrusion", "", "", &nid), KW_NOTFOUND);
	assert_int_equal(expectation_get(f->db, f->a, &f->x_admin, f->acct,
	    id, &e), KW_NOTFOUND);
	assert_int_equal(expectation_list(f->db, f->a, &f->x_admin, f->acct,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 20, 0, &list, &n, NULL),
	    KW_NOTFOUND);
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->x_admin,
	    f->acct, id), KW_NOTFOUND);
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->s_admin,
	    f->acct, id + 100), KW_NOTFOUND);
	assert_int_equal(expectation_acknowledge(f->db, f->a, NULL, f->acct,
	    id), KW_NOTFOUND);
	/* B is party to the other account, but the entry is not in it */
	assert_int_equal(expectation_get(f->db, f->a, &f->b_admin, other, id,
	    &e), KW_NOTFOUND);
	assert_int_equal(expectation_retire(f->db, f->a, &f->b_admin, other,
	    id, NULL), KW_NOTFOUND);
	assert_int_equal(expectation_summary(f->db, f->a, &f->x_admin, f->acct,
	    &sum), KW_NOTFOUND);
	assert_string_equal(raw_text(f->db, f->a, "SELECT state FROM "
	    "expectations"), "proposed");
}

static void
test_expectation_list_filters_and_pages(void **state)
{
	struct fx *f = *state;
	struct expectation *list;
	size_t n, total;
	long long first = 0;
	char title[32];
	int i;

	for (i = 0; i < 25; i++) {
		snprintf(title, sizeof(title), "Buyer expects %d", i);
		if (i == 0)
			first = expect(f, &f->b_admin, title);
		else
			(void)expect(f, &f->b_admin, title);
	}
	(void)expect(f, &f->s_member, "Supplier expects forecasts");
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->s_admin,
	    f->acct, first), KW_OK);

	assert_int_equal(expectation_list(f->db, f->a, &f->b_admin, f->acct,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 20, 0, &list, &n, &total),
	    KW_OK);
	assert_int_equal(n, 20);
	assert_int_equal(total, 26);
	assert_string_equal(list[0].title, "Supplier expects forecasts");
	assert_int_equal(expectation_list(f->db, f->a, &f->b_admin, f->acct,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 20, 20, &list, &n, &total),
	    KW_OK);
	assert_int_equal(n, 6);
	assert_int_equal(list[5].id, first);

	assert_int_equal(expectation_list(f->db, f->a, &f->s_admin, f->acct,
	    EXPECTATION_STATE__MAX, SIDE_SUPPLIER, 20, 0, &list, &n, &total),
	    KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].from_side, SIDE_SUPPLIER);
	assert_int_equal(expectation_list(f->db, f->a, &f->s_admin, f->acct,
	    EXPECTATION_ACKNOWLEDGED, SIDE__MAX, 20, 0, &list, &n, &total),
	    KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, first);
	assert_string_equal(list[0].acknowledged_by_name, "Sam Admin");
	assert_int_equal(expectation_list(f->db, f->a, &f->s_admin, f->acct,
	    EXPECTATION_RETIRED, SIDE_BUYER, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	assert_int_equal(expectation_list(f->db, f->a, &f->s_admin, f->acct,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 0, 0, &list, &n, &total),
	    KW_BADREQ);
	assert_int_equal(expectation_list(f->db, f->a, &f->s_admin, f->acct,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 1001, 0, &list, &n, &total),
	    KW_BADREQ);
}

static void
test_expectation_summary_counts(void **state)
{
	struct fx *f = *state;
	struct expectation_summary sb, ss;

	(void)expect_in(f, EXPECTATION_PROPOSED);
	(void)expect_in(f, EXPECTATION_PROPOSED);
	(void)expect_in(f, EXPECTATION_ACKNOWLEDGED);
	(void)expect_in(f, EXPECTATION_RETIRED);
	(void)expect(f, &f->s_admin, "Forecasts monthly");
	assert_int_equal(expectation_summary(f->db, f->a, &f->b_member,
	    f->acct, &sb), KW_OK);
	assert_int_equal(sb.count[SIDE_BUYER][EXPECTATION_PROPOSED], 2);
	assert_int_equal(sb.count[SIDE_BUYER][EXPECTATION_ACKNOWLEDGED], 1);
	assert_int_equal(sb.count[SIDE_BUYER][EXPECTATION_RETIRED], 1);
	assert_int_equal(sb.count[SIDE_SUPPLIER][EXPECTATION_PROPOSED], 1);
	assert_int_equal(sb.to_acknowledge, 1);
	assert_int_equal(expectation_summary(f->db, f->a, &f->s_member,
	    f->acct, &ss), KW_OK);
	assert_int_equal(ss.to_acknowledge, 2);
}

/* ---- expectations: retire and assess ----------------------------------- */

static void
test_expectation_retire_keeps_reason(void **state)
{
	struct fx *f = *state;
	struct expectation e;
	char reason[2002];
	long long id = expect_in(f, EXPECTATION_ACKNOWLEDGED);

	memset(reason, 'r', 2001);
	reason[2001] = '\0';
	assert_int_equal(expectation_retire(f->db, f->a, &f->b_admin, f->acct,
	    id, reason), KW_BADREQ);
	assert_int_equal(expectation_retire(f->db, f->a, &f->b_admin, f->acct,
	    id, "Replaced by\nthe framework contract"), KW_OK);
	assert_int_equal(expectation_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &e), KW_OK);
	assert_int_equal(e.state, EXPECTATION_RETIRED);
	assert_string_equal(e.retire_reason,
	    "Replaced by\nthe framework contract");
	assert_string_equal(e.retired_by_name, "Bea Admin");
	assert_string_equal(e.acknowledged_by_name, "Sam Admin");
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'expectation' AND action = 'retire' AND entity_id = "
	    "%lld AND detail LIKE 'Replaced by%%'", id), 1);
	/* retiring without a reason stores none */
	id = expect_in(f, EXPECTATION_PROPOSED);
	assert_int_equal(expectation_retire(f->db, f->a, &f->b_member,
	    f->acct, id, ""), KW_OK);
	assert_int_equal(count_id(f, "SELECT count(*) FROM expectations "
	    "WHERE id = %lld AND retire_reason IS NULL", id), 1);
}

static void
test_expectation_assess_current_period(void **state)
{
	struct fx *f = *state;
	struct expectation e;
	struct expectation_assessment *list;
	char from[11], to[11];
	size_t n;
	long long id = expect_in(f, EXPECTATION_ACKNOWLEDGED);

	assert_int_equal(expectation_assess(f->db, f->a, &f->b_member, f->acct,
	    id, NULL, EXPECTATION_MET, "Fine", from, to), KW_OK);
	assert_string_equal(from, "2026-01-01");
	assert_string_equal(to, "2026-03-31");
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_member, f->acct,
	    id, "2025-12-01", EXPECTATION_PARTLY, "", from, to), KW_BADREQ);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_member, f->acct,
	    id, "2026-04-01", EXPECTATION_PARTLY, "", from, to), KW_BADREQ);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_member, f->acct,
	    id, "2026-02-30", EXPECTATION_PARTLY, "", from, to), KW_BADREQ);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_member, f->acct,
	    id, NULL, EXPECTATION_RATING__MAX, "", from, to), KW_BADREQ);

	/* a second assessment of the period is refused; the first stays */
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, "2026-02-14", EXPECTATION_NOT_MET, "Changed my mind", from,
	    to), KW_CONFLICT);
	assert_string_equal(from, "2026-01-01");
	assert_int_equal(expectation_assessments(f->db, f->a, &f->s_member,
	    f->acct, id, &list, &n), KW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].rating, EXPECTATION_MET);
	assert_string_equal(list[0].note, "Fine");
	assert_string_equal(list[0].period_end, "2026-03-31");
	assert_string_equal(list[0].assessed_by_name, "Bob Member");
	assert_int_equal(expectation_get(f->db, f->a, &f->s_member, f->acct,
	    id, &e), KW_OK);
	assert_string_equal(e.last_rating, "met");
	assert_string_equal(e.last_period, "2026-01-01");
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'expectation' AND action = 'assess' AND entity_id = "
	    "%lld AND detail = '2026-01-01..2026-03-31 met'", id), 1);
}

static void
test_expectation_assess_earlier_period(void **state)
{
	struct fx *f = *state;
	struct expectation_assessment *list;
	size_t n;
	long long id;

	/* the fixture's clock is 2026-03-02; make the account older */
	assert_int_equal(raw(f->db, "UPDATE accounts SET cadence = "
	    "'monthly', start_date = '2025-12-31'"), SQLITE_OK);
	id = expect_in(f, EXPECTATION_ACKNOWLEDGED);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, "2026-01-15", EXPECTATION_PARTLY, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, "2026-02-28", EXPECTATION_MET, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, NULL, EXPECTATION_MET, "", NULL, NULL), KW_CONFLICT);
	assert_int_equal(expectation_assessments(f->db, f->a, &f->b_admin,
	    f->acct, id, &list, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].period_start, "2026-02-28");
	assert_string_equal(list[0].period_end, "2026-03-30");
	assert_string_equal(list[1].period_start, "2025-12-31");
	assert_string_equal(list[1].period_end, "2026-01-30");
}

static void
test_expectation_assessments_never_deleted(void **state)
{
	struct fx *f = *state;
	long long id = expect_in(f, EXPECTATION_ACKNOWLEDGED);

	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, NULL, EXPECTATION_MET, "", NULL, NULL), KW_OK);
	assert_int_not_equal(raw(f->db, "DELETE FROM expectation_assessments"),
	    SQLITE_OK);
	assert_int_not_equal(raw(f->db, "DELETE FROM expectations"),
	    SQLITE_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "expectation_assessments"), 1);
}

/* ---- updates ----------------------------------------------------------- */

static void
test_update_may_table(void **state)
{
	(void)state;
	assert_int_equal(update_may(SIDE_BUYER, 0, SIDE_SUPPLIER, UPDATE_READ),
	    KW_OK);
	assert_int_equal(update_may(SIDE_BUYER, 0, SIDE_BUYER, UPDATE_READ),
	    KW_FORBIDDEN);
	assert_int_equal(update_may(SIDE_BUYER, 1, SIDE_SUPPLIER, UPDATE_READ),
	    KW_CONFLICT);
	assert_int_equal(update_may(SIDE_BUYER, 1, SIDE_BUYER, UPDATE_READ),
	    KW_FORBIDDEN);
	assert_int_equal(update_may(SIDE_SUPPLIER, 0, SIDE_SUPPLIER,
	    UPDATE_WITHDRAW), KW_OK);
	assert_int_equal(update_may(SIDE_SUPPLIER, 0, SIDE_BUYER,
	    UPDATE_WITHDRAW), KW_FORBIDDEN);
	assert_int_equal(update_may(SIDE_SUPPLIER, 1, SIDE_SUPPLIER,
	    UPDATE_WITHDRAW), KW_CONFLICT);
	assert_int_equal(update_may(SIDE_SUPPLIER, 1, SIDE_BUYER,
	    UPDATE_WITHDRAW), KW_FORBIDDEN);
	assert_int_equal(update_may(SIDE_SUPPLIER, 0, SIDE__MAX,
	    UPDATE_READ), KW_FORBIDDEN);
	assert_int_equal(update_may(SIDE_SUPPLIER, 0, SIDE_BUYER,
	    UPDATE_ACTION__MAX), KW_BADREQ);
}

/* Everything a refused update action could have changed. */
static const char *
update_snapshot(struct fx *f, long long id)
{
	char q[512];

	snprintf(q, sizeof(q), "SELECT coalesce(withdrawn_at, '') || '|' || "
	    "(SELECT count(*) FROM update_reads) || '|' || (SELECT count(*) "
	    "FROM audit_events) || '|' || (SELECT count(*) FROM notifications "
	    "WHERE read_at IS NOT NULL) FROM updates WHERE id = %lld", id);
	return raw_text(f->db, f->a, q);
}

static void
test_update_withdrawn_action_side(void **state)
{
	static const struct {
		int			 withdrawn;
		enum update_action	 action;
		enum kw_status		 author, other;
	} cases[] = {
		{ 0, UPDATE_READ, KW_FORBIDDEN, KW_OK },
		{ 0, UPDATE_WITHDRAW, KW_OK, KW_FORBIDDEN },
		{ 1, UPDATE_READ, KW_FORBIDDEN, KW_CONFLICT },
		{ 1, UPDATE_WITHDRAW, KW_CONFLICT, KW_FORBIDDEN },
	};
	struct fx *f = *state;
	const struct user *actor;
	const char *before;
	enum kw_status want, got;
	long long id;
	size_t i;
	int other;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (other = 0; other < 2; other++) {
			actor = other ? &f->b_member : &f->s_member;
			want = other ? cases[i].other : cases[i].author;
			id = post(f, &f->s_admin, UPDATE_DEVELOPMENT,
			    "New recyclable carton");
			if (cases[i].withdrawn)
				assert_int_equal(update_withdraw(f->db, f->a,
				    &f->s_admin, f->acct, id), KW_OK);
			before = update_snapshot(f, id);
			got = cases[i].action == UPDATE_READ ?
			    update_mark_read(f->db, f->a, actor, f->acct, id) :
			    update_withdraw(f->db, f->a, actor, f->acct, id);
			if (got != want)
				fail_msg("%s %s by the %s side: got %d, want "
				    "%d", cases[i].withdrawn ? "withdrawn" :
				    "posted",
				    update_action_names[cases[i].action],
				    other ? "other" : "author's", got, want);
			if (want != KW_OK)
				assert_string_equal(update_snapshot(f, id),
				    before);
			else
				assert_string_not_equal(update_snapshot(f, id),
				    before);
		}
	}
}

static void
test_update_create_notifies_and_validates(void **state)
{
	struct fx *f = *state;
	struct update u;
	char long_title[202];
	long long id = 0;

	memset(long_title, 't', 201);
	long_title[201] = '\0';
	assert_int_equal(update_create(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_KIND__MAX, "Title", "Body", &id), KW_BADREQ);
	assert_int_equal(update_create(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_NEED, "", "Body", &id), KW_BADREQ);
	assert_int_equal(update_create(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_NEED, long_title, "Body", &id), KW_BADREQ);
	assert_int_equal(update_create(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_NEED, "Title", "", &id), KW_BADREQ);
	assert_int_equal(update_create(f->db, f->a, &f->x_admin, f->acct,
	    UPDATE_NEED, "Title", "Body", &id), KW_NOTFOUND);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM updates"), 0);

	assert_int_equal(update_create(f->db, f->a, &f->b_member, f->acct,
	    UPDATE_NEED, "Q3 volumes ↑ 20 %", "We expect\nmore orders.", &id),
	    KW_OK);
	assert_int_equal(update_get(f->db, f->a, &f->s_member, f->acct, id,
	    &u), KW_OK);
	assert_int_equal(u.side, SIDE_BUYER);
	assert_int_equal(u.kind, UPDATE_NEED);
	assert_string_equal(u.title, "Q3 volumes ↑ 20 %");
	assert_string_equal(u.body, "We expect\nmore orders.");
	assert_string_equal(u.created_by_name, "Bob Member");
	assert_true(u.unread);
	assert_int_equal(count_id(f, "SELECT count(*) FROM notifications "
	    "WHERE kind = 'update' AND entity_id = %lld", id), 2);
	assert_int_equal(count_id(f, "SELECT count(*) FROM notifications n "
	    "JOIN users s ON s.id = n.user_id WHERE s.org_id = %lld",
	    f->b), 0);
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'update' AND action = 'create' AND entity_id = %lld",
	    id), 1);
	/* the author's side does not see its own update as unread */
	assert_int_equal(update_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &u), KW_OK);
	assert_false(u.unread);
}

static void
test_update_read_is_idempotent_per_user(void **state)
{
	struct fx *f = *state;
	struct update_reader *readers;
	struct update u;
	size_t n, audience, unread;
	long long id = post(f, &f->b_admin, UPDATE_DIRECTION, "Growth plan");

	assert_int_equal(update_unread_count(f->db, f->a, &f->s_member,
	    f->acct, &unread), KW_OK);
	assert_int_equal(unread, 1);
	assert_int_equal(update_mark_read(f->db, f->a, &f->s_member, f->acct,
	    id), KW_OK);
	assert_int_equal(update_mark_read(f->db, f->a, &f->s_member, f->acct,
	    id), KW_OK);
	assert_int_equal(count_id(f, "SELECT count(*) FROM update_reads WHERE "
	    "update_id = %lld", id), 1);
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'update' AND action = 'read' AND entity_id = %lld", id),
	    1);
	/* the reader's notice is read now, the colleague's is not */
	assert_int_equal(count_id(f, "SELECT count(*) FROM notifications "
	    "WHERE entity_id = %lld AND read_at IS NOT NULL", id), 1);
	assert_int_equal(count_id(f, "SELECT count(*) FROM notifications "
	    "WHERE entity_id = %lld AND read_at IS NULL", id), 1);
	assert_int_equal(update_unread_count(f->db, f->a, &f->s_member,
	    f->acct, &unread), KW_OK);
	assert_int_equal(unread, 0);
	assert_int_equal(update_unread_count(f->db, f->a, &f->s_admin,
	    f->acct, &unread), KW_OK);
	assert_int_equal(unread, 1);
	assert_int_equal(update_unread_count(f->db, f->a, &f->b_admin,
	    f->acct, &unread), KW_OK);
	assert_int_equal(unread, 0);

	assert_int_equal(update_readers(f->db, f->a, &f->b_admin, f->acct, id,
	    &readers, &n, &audience), KW_OK);
	assert_int_equal(n, 1);
	assert_string_equal(readers[0].name, "Sue Member");
	assert_string_equal(readers[0].read_at, "2026-03-02T09:00:00Z");
	assert_int_equal(audience, 2);
	assert_int_equal(update_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &u), KW_OK);
	assert_int_equal(u.reads, 1);
	assert_int_equal(update_readers(f->db, f->a, &f->x_admin, f->acct, id,
	    &readers, &n, &audience), KW_NOTFOUND);
}

static void
test_update_list_unread_first(void **state)
{
	struct fx *f = *state;
	struct update *list;
	size_t n, total;
	long long old_b, mine, new_b, read_b;

	old_b = post(f, &f->b_admin, UPDATE_DIRECTION, "Old buyer update");
	read_b = post(f, &f->b_admin, UPDATE_NEED, "Read buyer update");
	mine = post(f, &f->s_admin, UPDATE_DEVELOPMENT, "Supplier update");
	new_b = post(f, &f->b_member, UPDATE_NEED, "New buyer update");
	assert_int_equal(update_mark_read(f->db, f->a, &f->s_member, f->acct,
	    read_b), KW_OK);

	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(n, 4);
	assert_int_equal(total, 4);
	assert_int_equal(list[0].id, new_b);
	assert_true(list[0].unread);
	assert_int_equal(list[1].id, old_b);
	assert_true(list[1].unread);
	assert_int_equal(list[2].id, mine);
	assert_false(list[2].unread);
	assert_int_equal(list[3].id, read_b);
	assert_false(list[3].unread);

	/* for the buyer nothing is unread: newest first */
	assert_int_equal(update_list(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(list[0].id, mine);
	assert_int_equal(list[1].id, new_b);

	/* filters and pages */
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct,
	    UPDATE_NEED, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct,
	    UPDATE_KIND__MAX, SIDE_SUPPLIER, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, mine);
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct,
	    UPDATE_KIND__MAX, SIDE__MAX, 3, 3, &list, &n, &total), KW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 4);
	assert_int_equal(list[0].id, read_b);
	assert_int_equal(update_list(f->db, f->a, &f->x_admin, f->acct,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total),
	    KW_NOTFOUND);
}

static void
test_update_withdrawn_leaves_lists(void **state)
{
	struct fx *f = *state;
	struct update *list, u;
	size_t n, total, unread;
	long long id = post(f, &f->b_admin, UPDATE_ORGANISATION,
	    "New category manager");
	long long other = other_account(f);

	assert_int_equal(update_withdraw(f->db, f->a, &f->b_admin, other, id),
	    KW_NOTFOUND);
	assert_int_equal(update_withdraw(f->db, f->a, &f->b_member, f->acct,
	    id), KW_OK);
	assert_int_equal(update_list(f->db, f->a, &f->s_admin, f->acct,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	assert_int_equal(update_list(f->db, f->a, &f->b_admin, f->acct,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(update_unread_count(f->db, f->a, &f->s_admin,
	    f->acct, &unread), KW_OK);
	assert_int_equal(unread, 0);
	assert_int_equal(update_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &u), KW_OK);
	assert_string_equal(u.withdrawn_at, "2026-03-02T09:00:00Z");
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'update' AND action = 'withdraw' AND entity_id = %lld",
	    id), 1);
	assert_int_not_equal(raw(f->db, "DELETE FROM updates"), SQLITE_OK);
}

static void
test_ledger_names_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < EXPECTATION_STATE__MAX; i++)
		assert_int_equal(kw_name_index(expectation_state_names,
		    expectation_state_names[i]), i);
	for (i = 0; i < EXPECTATION_RATING__MAX; i++)
		assert_non_null(expectation_rating_names[i]);
	for (i = 0; i < EXPECTATION_ACTION__MAX; i++)
		assert_non_null(expectation_action_names[i]);
	for (i = 0; i < UPDATE_KIND__MAX; i++)
		assert_non_null(update_kind_names[i]);
	for (i = 0; i < UPDATE_ACTION__MAX; i++)
		assert_non_null(update_action_names[i]);
	assert_null(expectation_state_names[EXPECTATION_STATE__MAX]);
	assert_null(expectation_rating_names[EXPECTATION_RATING__MAX]);
	assert_null(update_kind_names[UPDATE_KIND__MAX]);
	assert_int_equal(kw_name_index(update_kind_names, "gossip"), -1);
	assert_int_equal(kw_name_index(update_kind_names, NULL), -1);
}

static void
test_valid_text_ok_bounds(void **state)
{
	(void)state;
	assert_true(valid_text_ok("abc", 1, 3, 0));
	assert_false(valid_text_ok("abcd", 1, 3, 0));
	assert_false(valid_text_ok("", 1, 3, 0));
	assert_true(valid_text_ok("", 0, 3, 0));
	assert_true(valid_text_ok(NULL, 0, 3, 0));
	assert_false(valid_text_ok(NULL, 1, 3, 0));
	assert_false(valid_text_ok("a\nb", 1, 9, 0));
	assert_true(valid_text_ok("a\nb\tc", 1, 9, 1));
	assert_false(valid_text_ok("a\rb", 1, 9, 1));
	assert_false(valid_text_ok("a\x7f", 1, 9, 1));
	assert_true(valid_text_ok("Zoë ✓", 1, 9, 0));
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_account_period_table),
		cmocka_unit_test(test_account_period_periods_tile),
		cmocka_unit_test(test_account_period_bad_dates),
		cmocka_unit_test(test_expectation_may_table),
		T(test_expectation_state_action_side),
		T(test_expectation_create_notifies_other_side),
		T(test_expectation_create_bad_input),
		T(test_expectation_non_party_is_notfound),
		T(test_expectation_list_filters_and_pages),
		T(test_expectation_summary_counts),
		T(test_expectation_retire_keeps_reason),
		T(test_expectation_assess_current_period),
		T(test_expectation_assess_earlier_period),
		T(test_expectation_assessments_never_deleted),
		cmocka_unit_test(test_update_may_table),
		T(test_update_withdrawn_action_side),
		T(test_update_create_notifies_and_validates),
		T(test_update_read_is_idempotent_per_user),
		T(test_update_list_unread_first),
		T(test_update_withdrawn_leaves_lists),
		cmocka_unit_test(test_ledger_names_complete),
		cmocka_unit_test(test_valid_text_ok_bounds),
	};

	kw_log_init("test-ledger");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
