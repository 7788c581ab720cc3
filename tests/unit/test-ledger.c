/* test-ledger.c: unit tests of expectations, strategic updates and review periods. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* One page of the expectations u sees in state, stated by side (__MAX:
 * any), as expectation_list() returns it. */
static enum kw_status
expectation_page(struct fx *f, const struct user *u,
    enum expectation_state state, enum account_side side, size_t limit,
    size_t offset, struct expectation **list, size_t *n, size_t *total)
{
	struct expectation_query q = { .state = state, .side = side,
	    .assessed = EXPECTATION_ASSESSED__MAX, .limit = limit,
	    .offset = offset };

	return expectation_list(f->db, f->a, u, f->acct, &q, list, n, total);
}

/* One page of the updates u sees of kind, posted by side (__MAX: any),
 * as update_list() returns it. */
static enum kw_status
update_page(struct fx *f, const struct user *u, enum update_kind kind,
    enum account_side side, size_t limit, size_t offset,
    struct update **list, size_t *n, size_t *total)
{
	struct update_query q = { .kind = kind, .side = side,
	    .seen = UPDATE_SEEN__MAX, .limit = limit, .offset = offset };

	return update_list(f->db, f->a, u, f->acct, &q, list, n, total);
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

/* A new account between B and X with cadence from start; its id. */
static long long
account_from(struct fx *f, enum account_cadence cadence, const char *start)
{
	long long id = 0;

	assert_int_equal(account_create(f->db, &f->op, "Periods", f->b, f->x,
	    cadence, start, 0, 0, &id), KW_OK);
	return id;
}

/* Account id as b_admin sees it, in the fixture's arena. */
static struct account
seen(struct fx *f, long long id)
{
	struct account a;

	assert_int_equal(account_get(f->db, f->a, f->b, id, &a), KW_OK);
	return a;
}

/* The periods of account id (as b_admin sees it) that hold each of the
 * days (YYYY-MM-DD, space-separated), as "FROM..TO FROM..TO ..." in the
 * fixture's arena; the status's text for a day without one. */
static const char *
periods_at(struct fx *f, long long id, const char *days)
{
	struct account a = seen(f, id);
	char day[11], from[11], to[11];
	const char *s = "";
	enum kw_status ret;

	while (*days != '\0') {
		assert_true(strlen(days) >= 10);
		memcpy(day, days, 10);
		day[10] = '\0';
		days += days[10] == ' ' ? 11 : 10;
		if ((ret = account_period(f->db, &a, day, from, to)) != KW_OK)
			return kw_status_str(ret);
		s = arena_xprintf(f->a, "%s%s%s..%s", s, *s != '\0' ? " " : "",
		    from, to);
	}
	return s;
}

static const struct period_case {
	enum account_cadence	 cadence;
	const char		*start, *date, *from, *to;
} period_cases[] = {
	/* calendar quarters */
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-01-01", "2026-01-01", "2026-03-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-03-31", "2026-01-01", "2026-03-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-04-01", "2026-04-01", "2026-06-30" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-08-15", "2026-07-01", "2026-09-30" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2026-12-31", "2026-10-01", "2026-12-31" },
	{ CADENCE_QUARTERLY, "2026-01-01", "2027-01-01", "2027-01-01", "2027-03-31" },
	/* a partial first period, from start_date to its calendar end */
	{ CADENCE_QUARTERLY, "2025-11-15", "2025-11-15", "2025-11-15", "2025-12-31" },
	{ CADENCE_QUARTERLY, "2025-11-15", "2025-12-31", "2025-11-15", "2025-12-31" },
	{ CADENCE_QUARTERLY, "2025-11-15", "2026-01-01", "2026-01-01", "2026-03-31" },
	{ CADENCE_MONTHLY, "2026-01-31", "2026-01-31", "2026-01-31", "2026-01-31" },
	{ CADENCE_MONTHLY, "2026-01-31", "2026-02-01", "2026-02-01", "2026-02-28" },
	{ CADENCE_YEARLY, "2026-12-31", "2026-12-31", "2026-12-31", "2026-12-31" },
	{ CADENCE_YEARLY, "2026-12-31", "2027-01-01", "2027-01-01", "2027-12-31" },
	/* month ends */
	{ CADENCE_MONTHLY, "2026-01-01", "2026-02-15", "2026-02-01", "2026-02-28" },
	{ CADENCE_MONTHLY, "2026-01-01", "2026-04-30", "2026-04-01", "2026-04-30" },
	{ CADENCE_MONTHLY, "2026-01-01", "2026-05-01", "2026-05-01", "2026-05-31" },
	{ CADENCE_MONTHLY, "2026-01-01", "2026-12-31", "2026-12-01", "2026-12-31" },
	/* leap years: 2024 and 2000 are, 2100 is not */
	{ CADENCE_MONTHLY, "2024-01-01", "2024-02-29", "2024-02-01", "2024-02-29" },
	{ CADENCE_MONTHLY, "2024-01-01", "2024-02-01", "2024-02-01", "2024-02-29" },
	{ CADENCE_MONTHLY, "2000-01-01", "2000-02-10", "2000-02-01", "2000-02-29" },
	{ CADENCE_MONTHLY, "2024-01-01", "2100-02-15", "2100-02-01", "2100-02-28" },
	{ CADENCE_QUARTERLY, "2024-02-29", "2024-03-31", "2024-02-29", "2024-03-31" },
	{ CADENCE_YEARLY, "2024-02-29", "2024-02-29", "2024-02-29", "2024-12-31" },
	{ CADENCE_YEARLY, "2024-02-29", "2025-02-28", "2025-01-01", "2025-12-31" },
	{ CADENCE_YEARLY, "2024-02-29", "2028-02-29", "2028-01-01", "2028-12-31" },
	/* half years */
	{ CADENCE_HALF_YEARLY, "2026-01-01", "2026-06-30", "2026-01-01", "2026-06-30" },
	{ CADENCE_HALF_YEARLY, "2026-08-31", "2026-08-31", "2026-08-31", "2026-12-31" },
	{ CADENCE_HALF_YEARLY, "2026-08-31", "2027-02-28", "2027-01-01", "2027-06-30" },
	{ CADENCE_HALF_YEARLY, "2026-08-31", "2027-07-01", "2027-07-01", "2027-12-31" },
	/* years */
	{ CADENCE_YEARLY, "2026-01-01", "2030-06-15", "2030-01-01", "2030-12-31" },
	{ CADENCE_YEARLY, "2026-01-01", "9999-12-31", "9999-01-01", "9999-12-31" },
};

static void
test_account_period_table(void **state)
{
	struct fx *f = *state;
	const struct period_case *c;
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(period_cases) / sizeof(period_cases[0]); i++) {
		c = &period_cases[i];
		got = periods_at(f, account_from(f, c->cadence, c->start),
		    c->date);
		if (strcmp(got, arena_xprintf(f->a, "%s..%s", c->from,
		    c->to)) != 0)
			fail_msg("%s %s from %s: got %s, want %s..%s",
			    account_cadence_name(c->cadence), c->date,
			    c->start, got, c->from, c->to);
	}
}

/* 1 if date (YYYY-MM-DD) is the first day of a calendar period of len
 * months (last 0) or the last day of one (last 1). */
static int
calendar_edge(const char *date, int len, int last)
{
	time_t t;
	struct tm tm;
	int mon;

	assert_int_equal(clock_parse_date(date, &t), 0);
	if (last)
		t += 86400;
	assert_non_null(gmtime_r(&t, &tm));
	mon = tm.tm_mon;
	return tm.tm_mday == 1 && mon % len == 0;
}

static void
test_account_period_periods_tile(void **state)
{
	static const int len[CADENCE__MAX] = { 1, 3, 6, 12 };
	struct fx *f = *state;
	struct account a;
	char from[11], to[11], prev_to[11] = "", date[11], next[11];
	time_t t, t0, pt;
	int c;

	/* every day of three years lies in exactly one period; each starts
	 * the day after the one before ended, on a calendar period's first
	 * day (but the first, on start_date), and ends on a calendar
	 * period's last day */
	assert_int_equal(clock_parse_date("2024-01-31", &t0), 0);
	for (c = 0; c < CADENCE__MAX; c++) {
		a = seen(f, account_from(f, (enum account_cadence)c,
		    "2024-01-31"));
		prev_to[0] = '\0';
		for (t = t0; t < t0 + 3 * 366 * 86400; t += 86400) {
			clock_date(t, date, sizeof(date));
			assert_int_equal(account_period(f->db, &a, date, from,
			    to), KW_OK);
			assert_true(strcmp(from, date) <= 0);
			assert_true(strcmp(date, to) <= 0);
			assert_true(calendar_edge(to, len[c], 1));
			if (strcmp(from, date) != 0)
				continue;
			if (prev_to[0] == '\0') {
				assert_string_equal(from, "2024-01-31");
			} else {
				assert_true(calendar_edge(from, len[c], 0));
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
	struct fx *f = *state;
	struct account a = seen(f, f->acct);
	char from[11] = "x", to[11] = "y";

	/* the fixture's account is quarterly from 2026-01-01 */
	assert_int_equal(account_period(f->db, &a, "2025-12-31", from, to),
	    KW_NOTFOUND);
	assert_string_equal(from, "");
	assert_string_equal(to, "");
	assert_int_equal(account_period(f->db, &a, "2026-02-30", from, to),
	    KW_BADREQ);
	assert_int_equal(account_period(f->db, &a, "2026-1-01", from, to),
	    KW_BADREQ);
	assert_int_equal(account_period(f->db, &a, "", from, to), KW_BADREQ);
	assert_int_equal(account_period(f->db, &a, NULL, from, to),
	    KW_BADREQ);
	assert_int_equal(account_period(f->db, NULL, "2026-03-01", from, to),
	    KW_BADREQ);
	a.start_date = "nonsense";
	assert_int_equal(account_period(f->db, &a, "2026-03-01", from, to),
	    KW_BADREQ);
	assert_string_equal(from, "");
}

static void
test_account_period_without_history_uses_cadence(void **state)
{
	struct fx *f = *state;

	/* an account whose start was moved before its first cadence row
	 * (by hand) uses accounts.cadence until that row takes effect */
	assert_int_equal(raw(f->db, "UPDATE accounts SET start_date = "
	    "'2025-10-15'"), SQLITE_OK);
	assert_string_equal(periods_at(f, f->acct, "2025-10-15 2026-02-01"),
	    "2025-10-15..2025-12-31 2026-01-01..2026-03-31");
	assert_int_equal(raw(f->db, "UPDATE accounts SET cadence = 'yearly'"),
	    SQLITE_OK);
	assert_string_equal(periods_at(f, f->acct, "2025-11-01 2026-02-01"),
	    "2025-10-15..2025-12-31 2026-01-01..2026-03-31");
}

/* ---- review cadence changes ------------------------------------------ */

/* On day, actor sets the cadence of account id (asserting it works; the
 * clock goes back to the fixture's day); the day it takes effect from,
 * in the fixture's arena. */
static const char *
change_on(struct fx *f, const char *day, const struct user *actor,
    long long id, enum account_cadence cadence)
{
	char from[11] = "";

	fx_clock(day);
	assert_int_equal(account_set_cadence(f->db, actor, id, cadence, from),
	    KW_OK);
	fx_clock("2026-03-02");
	return arena_xstrdup(f->a, from);
}

static void
test_account_set_cadence_from_next_period(void **state)
{
	struct fx *f = *state;
	struct account a;
	char from[11] = "x";

	/* quarterly from 2026-01-01 (account_create() recorded it); today
	 * 2026-03-02 */
	assert_int_equal(count_id(f, "SELECT count(*) FROM account_cadences "
	    "WHERE account_id = %lld AND cadence = 'quarterly' AND from_date "
	    "= '2026-01-01' AND set_by = %lld", f->acct, f->op.id), 1);
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, f->acct,
	    CADENCE_MONTHLY, from), KW_OK);
	assert_string_equal(from, "2026-04-01");
	a = seen(f, f->acct);
	assert_int_equal(a.cadence, CADENCE_MONTHLY);
	/* the current period stays as it began; months from the next */
	assert_string_equal(periods_at(f, f->acct,
	    "2026-03-02 2026-03-31 2026-04-01 2026-05-20"),
	    "2026-01-01..2026-03-31 2026-01-01..2026-03-31 "
	    "2026-04-01..2026-04-30 2026-05-01..2026-05-31");
	assert_int_equal(count_id(f, "SELECT count(*) FROM account_cadences "
	    "WHERE account_id = %lld AND cadence = 'monthly' AND from_date = "
	    "'2026-04-01' AND set_by = %lld", f->acct, f->b_admin.id), 1);
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'account' AND entity_id = %lld AND action = "
	    "'cadence' AND detail = 'monthly from 2026-04-01' AND "
	    "actor_user_id = %lld", f->acct, f->b_admin.id), 1);
}

static void
test_account_set_cadence_partial_first_period(void **state)
{
	struct fx *f = *state;
	long long id = account_from(f, CADENCE_MONTHLY, "2026-01-01");

	/* set in February: quarterly from March, the rest of Q1 first */
	assert_string_equal(change_on(f, "2026-02-10", NULL, id,
	    CADENCE_QUARTERLY), "2026-03-01");
	assert_string_equal(periods_at(f, id,
	    "2026-02-28 2026-03-01 2026-03-31 2026-04-01"),
	    "2026-02-01..2026-02-28 2026-03-01..2026-03-31 "
	    "2026-03-01..2026-03-31 2026-04-01..2026-06-30");

	/* then yearly, set in April: from July to December */
	assert_string_equal(change_on(f, "2026-04-20", &f->op, id,
	    CADENCE_YEARLY), "2026-07-01");
	assert_string_equal(periods_at(f, id,
	    "2026-06-30 2026-07-01 2027-03-01 2026-01-15"),
	    "2026-04-01..2026-06-30 2026-07-01..2026-12-31 "
	    "2027-01-01..2027-12-31 2026-01-01..2026-01-31");
}

static void
test_account_set_cadence_latest_wins(void **state)
{
	struct fx *f = *state;
	char from[11];

	/* two changes in one period: the latest takes effect */
	assert_int_equal(account_set_cadence(f->db, &f->s_admin, f->acct,
	    CADENCE_MONTHLY, from), KW_OK);
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, f->acct,
	    CADENCE_HALF_YEARLY, from), KW_OK);
	assert_string_equal(from, "2026-04-01");
	assert_string_equal(periods_at(f, f->acct, "2026-04-15 2026-07-01"),
	    "2026-04-01..2026-06-30 2026-07-01..2026-12-31");
	/* back to the cadence in force: allowed, it is not the latest */
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, f->acct,
	    CADENCE_QUARTERLY, NULL), KW_OK);
	assert_string_equal(periods_at(f, f->acct, "2026-04-15 2026-07-01"),
	    "2026-04-01..2026-06-30 2026-07-01..2026-09-30");
	assert_int_equal(seen(f, f->acct).cadence, CADENCE_QUARTERLY);
}

static void
test_account_set_cadence_before_start(void **state)
{
	struct fx *f = *state;
	long long id = account_from(f, CADENCE_QUARTERLY, "2026-05-20");
	char from[11];

	/* an account that has not started changes from its start */
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, id,
	    CADENCE_MONTHLY, from), KW_OK);
	assert_string_equal(from, "2026-05-20");
	assert_string_equal(periods_at(f, id, "2026-05-20 2026-06-01"),
	    "2026-05-20..2026-05-31 2026-06-01..2026-06-30");
}

static void
test_account_set_cadence_refusals(void **state)
{
	struct fx *f = *state;
	char from[11] = "x";
	long long rows = count_id(f, "SELECT count(*) FROM account_cadences");
	long long audits = count_id(f, "SELECT count(*) FROM audit_events");

	assert_int_equal(account_set_cadence(f->db, &f->b_member, f->acct,
	    CADENCE_MONTHLY, from), KW_FORBIDDEN);
	assert_string_equal(from, "");
	assert_int_equal(account_set_cadence(f->db, &f->s_member, f->acct,
	    CADENCE_MONTHLY, NULL), KW_FORBIDDEN);
	assert_int_equal(account_set_cadence(f->db, &f->x_admin, f->acct,
	    CADENCE_MONTHLY, NULL), KW_NOTFOUND);
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, 99999,
	    CADENCE_MONTHLY, NULL), KW_NOTFOUND);
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, f->acct,
	    CADENCE__MAX, NULL), KW_BADREQ);
	assert_int_equal(account_set_cadence(f->db, &f->b_admin, f->acct,
	    CADENCE_QUARTERLY, NULL), KW_CONFLICT);
	assert_int_equal(count_id(f, "SELECT count(*) FROM account_cadences"),
	    rows);
	assert_int_equal(count_id(f, "SELECT count(*) FROM audit_events"),
	    audits);
	assert_int_equal(seen(f, f->acct).cadence, CADENCE_QUARTERLY);
	assert_int_not_equal(raw(f->db, "DELETE FROM account_cadences"),
	    SQLITE_OK);
}

/* The last n periods of a on today as "FROM..TO FROM..TO ...", or the
 * status's text (in the fixture's arena). */
static const char *
periods_text(struct fx *f, const struct account *a, size_t n,
    const char *today)
{
	struct account_period p[12];
	const char *s = "";
	size_t i, count = 99;
	enum kw_status ret;

	assert_true(n <= 12);
	if ((ret = account_periods(f->db, a, n, today, p, &count)) != KW_OK) {
		assert_int_equal(count, 0);
		return kw_status_str(ret);
	}
	for (i = 0; i < count; i++)
		s = arena_xprintf(f->a, "%s%s%s..%s", s, i > 0 ? " " : "",
		    p[i].from, p[i].to);
	return s;
}

static void
test_account_periods_newest_last(void **state)
{
	struct fx *f = *state;
	struct account a = seen(f, account_from(f, CADENCE_QUARTERLY,
	    "2025-05-15"));

	assert_string_equal(periods_text(f, &a, 3, "2026-03-02"),
	    "2025-07-01..2025-09-30 2025-10-01..2025-12-31 "
	    "2026-01-01..2026-03-31");
	/* a young account has fewer; the first one is partial */
	assert_string_equal(periods_text(f, &a, 10, "2026-03-02"),
	    "2025-05-15..2025-06-30 2025-07-01..2025-09-30 "
	    "2025-10-01..2025-12-31 2026-01-01..2026-03-31");
	/* none before the start, none asked for */
	assert_string_equal(periods_text(f, &a, 10, "2025-05-14"), "");
	assert_string_equal(periods_text(f, &a, 0, "2026-03-02"), "");
	assert_string_equal(periods_text(f, &a, 3, "2026-02-30"),
	    kw_status_str(KW_BADREQ));
}

static void
test_account_periods_across_a_cadence_change(void **state)
{
	struct fx *f = *state;
	struct account a;
	long long id = account_from(f, CADENCE_QUARTERLY, "2025-01-01");

	assert_string_equal(change_on(f, "2025-05-10", NULL, id,
	    CADENCE_MONTHLY), "2025-07-01");
	a = seen(f, id);
	assert_string_equal(periods_text(f, &a, 5, "2025-09-15"),
	    "2025-01-01..2025-03-31 2025-04-01..2025-06-30 "
	    "2025-07-01..2025-07-31 2025-08-01..2025-08-31 "
	    "2025-09-01..2025-09-30");
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
	assert_int_equal(expectation_page(f, &f->x_admin,
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

	assert_int_equal(expectation_page(f, &f->b_admin,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 20, 0, &list, &n, &total),
	    KW_OK);
	assert_int_equal(n, 20);
	assert_int_equal(total, 26);
	assert_string_equal(list[0].title, "Supplier expects forecasts");
	assert_int_equal(expectation_page(f, &f->b_admin,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 20, 20, &list, &n, &total),
	    KW_OK);
	assert_int_equal(n, 6);
	assert_int_equal(list[5].id, first);

	assert_int_equal(expectation_page(f, &f->s_admin,
	    EXPECTATION_STATE__MAX, SIDE_SUPPLIER, 20, 0, &list, &n, &total),
	    KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].from_side, SIDE_SUPPLIER);
	assert_int_equal(expectation_page(f, &f->s_admin,
	    EXPECTATION_ACKNOWLEDGED, SIDE__MAX, 20, 0, &list, &n, &total),
	    KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, first);
	assert_string_equal(list[0].acknowledged_by_name, "Sam Admin");
	assert_int_equal(expectation_page(f, &f->s_admin,
	    EXPECTATION_RETIRED, SIDE_BUYER, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	assert_int_equal(expectation_page(f, &f->s_admin,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 0, 0, &list, &n, &total),
	    KW_BADREQ);
	assert_int_equal(expectation_page(f, &f->s_admin,
	    EXPECTATION_STATE__MAX, SIDE__MAX, 1001, 0, &list, &n, &total),
	    KW_BADREQ);
}

/* The number of expectations b_member sees with q. */
static size_t
expectations_listed(struct fx *f, const struct expectation_query *q)
{
	struct expectation *l;
	size_t n, total;

	assert_int_equal(expectation_list(f->db, f->a, &f->b_member, f->acct,
	    q, &l, &n, &total), KW_OK);
	return total;
}

static void
test_expectation_list_by_assessment(void **state)
{
	struct fx *f = *state;
	/* the fixture's first quarter, running on 03-02 */
	struct expectation_query q = { .state = EXPECTATION_STATE__MAX,
	    .side = SIDE_BUYER, .from = "2026-01-01", .to = "2026-03-31",
	    .limit = 20 };
	/* the buyer's expectations of Q1 by assessment */
	static const size_t want[EXPECTATION_ASSESSED__MAX + 1] = {
		[EXPECTATION_ASSESSED_MET] = 1,
		[EXPECTATION_ASSESSED_PARTLY] = 1,
		[EXPECTATION_ASSESSED_NOT_MET] = 1,
		[EXPECTATION_NOT_YET] = 2,	/* waiting, retired */
		[EXPECTATION_ASSESSED__MAX] = 5,
	};
	struct expectation *l;
	size_t n, total;
	long long met, partly, not_met, waiting, retired;
	int i;

	met = expect_in(f, EXPECTATION_ACKNOWLEDGED);
	partly = expect_in(f, EXPECTATION_ACKNOWLEDGED);
	not_met = expect_in(f, EXPECTATION_ACKNOWLEDGED);
	waiting = expect_in(f, EXPECTATION_ACKNOWLEDGED);
	retired = expect_in(f, EXPECTATION_RETIRED);	/* retired in Q1 */
	expect_in(f, EXPECTATION_PROPOSED);		/* never acknowledged */
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->b_admin,
	    f->acct, expect(f, &f->s_admin, "Forecasts")), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    met, NULL, EXPECTATION_MET, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    partly, NULL, EXPECTATION_PARTLY, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    not_met, NULL, EXPECTATION_NOT_MET, "", NULL, NULL), KW_OK);

	for (i = 0; i <= EXPECTATION_ASSESSED__MAX; i++) {
		q.assessed = (enum expectation_assessed)i;
		if (expectations_listed(f, &q) != want[i])
			fail_msg("%s: %zu listed, want %zu", i <
			    EXPECTATION_ASSESSED__MAX ?
			    expectation_assessed_names[i] : "any",
			    expectations_listed(f, &q), want[i]);
	}
	q.assessed = EXPECTATION_ASSESSED_PARTLY;
	assert_int_equal(expectation_list(f->db, f->a, &f->s_member, f->acct,
	    &q, &l, &n, &total), KW_OK);
	assert_int_equal(l[0].id, partly);
	q.assessed = EXPECTATION_NOT_YET;
	assert_int_equal(expectation_list(f->db, f->a, &f->s_member, f->acct,
	    &q, &l, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(l[0].id, retired);
	assert_int_equal(l[1].id, waiting);

	/* either side; with the state; the next quarter: none assessed,
	 * the four standing ones wait (the retired one left in Q1) */
	q.side = SIDE__MAX;
	assert_int_equal(expectations_listed(f, &q), 3);
	q.state = EXPECTATION_RETIRED;
	assert_int_equal(expectations_listed(f, &q), 1);
	q.state = EXPECTATION_STATE__MAX;
	q.side = SIDE_BUYER;
	q.from = "2026-04-01";
	q.to = "2026-06-30";
	assert_int_equal(expectations_listed(f, &q), 4);
	q.assessed = EXPECTATION_ASSESSED_MET;
	assert_int_equal(expectations_listed(f, &q), 0);
	/* an assessment without days: in any period */
	q.from = q.to = NULL;
	assert_int_equal(expectations_listed(f, &q), 1);
	/* a period before any was acknowledged */
	q.assessed = EXPECTATION_NOT_YET;
	q.from = "2025-10-01";
	q.to = "2025-12-31";
	assert_int_equal(expectations_listed(f, &q), 0);

	q.from = "2026-01-01";
	assert_int_equal(expectation_list(f->db, f->a, &f->b_member, f->acct,
	    &q, &l, &n, &total), KW_BADREQ);
	q.from = "yesterday";
	assert_int_equal(expectation_list(f->db, f->a, &f->b_member, f->acct,
	    &q, &l, &n, &total), KW_BADREQ);
	q.from = NULL;
	q.assessed = (enum expectation_assessed)-1;
	assert_int_equal(expectation_list(f->db, f->a, &f->b_member, f->acct,
	    &q, &l, &n, &total), KW_BADREQ);
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
	assert_int_equal(raw(f->db, "UPDATE account_cadences SET cadence = "
	    "'monthly', from_date = '2025-12-31'"), SQLITE_OK);
	id = expect_in(f, EXPECTATION_ACKNOWLEDGED);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, "2025-12-31", EXPECTATION_PARTLY, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, "2026-02-28", EXPECTATION_MET, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, "2026-02-01", EXPECTATION_MET, "", NULL, NULL), KW_CONFLICT);
	assert_int_equal(expectation_assess(f->db, f->a, &f->b_admin, f->acct,
	    id, NULL, EXPECTATION_NOT_MET, "", NULL, NULL), KW_OK);
	assert_int_equal(expectation_assessments(f->db, f->a, &f->b_admin,
	    f->acct, id, &list, &n), KW_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].period_start, "2026-03-01");
	assert_string_equal(list[0].period_end, "2026-03-31");
	assert_string_equal(list[1].period_start, "2026-02-01");
	assert_string_equal(list[1].period_end, "2026-02-28");
	/* the first month is the one day the account had of December */
	assert_string_equal(list[2].period_start, "2025-12-31");
	assert_string_equal(list[2].period_end, "2025-12-31");
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

	assert_int_equal(update_page(f, &f->s_member,
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
	assert_int_equal(update_page(f, &f->b_admin,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(list[0].id, mine);
	assert_int_equal(list[1].id, new_b);

	/* filters and pages */
	assert_int_equal(update_page(f, &f->s_member,
	    UPDATE_NEED, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(update_page(f, &f->s_member,
	    UPDATE_KIND__MAX, SIDE_SUPPLIER, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, mine);
	assert_int_equal(update_page(f, &f->s_member,
	    UPDATE_KIND__MAX, SIDE__MAX, 3, 3, &list, &n, &total), KW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 4);
	assert_int_equal(list[0].id, read_b);
	assert_int_equal(update_page(f, &f->x_admin,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total),
	    KW_NOTFOUND);
}

/* The number of entries s_member sees with q. */
static size_t
updates_listed(struct fx *f, const struct update_query *q)
{
	struct update *l;
	size_t n, total;

	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct, q, &l,
	    &n, &total), KW_OK);
	return total;
}

static void
test_update_list_by_days_and_reading(void **state)
{
	struct fx *f = *state;
	struct update_query q = { .kind = UPDATE_KIND__MAX,
	    .side = SIDE_SUPPLIER, .from = "2026-02-01", .to = "2026-02-28",
	    .seen = UPDATE_SEEN__MAX, .limit = 20 };
	struct update *l;
	size_t n, total;
	long long first, last, gone, self;

	/* the supplier's, at the edges of February and past them */
	fx_clock("2026-01-31T23:59:59Z");
	post(f, &f->s_admin, UPDATE_DEVELOPMENT, "January's");
	fx_clock("2026-02-01T00:00:00Z");
	first = post(f, &f->s_admin, UPDATE_DEVELOPMENT, "First");
	fx_clock("2026-02-28T23:59:59Z");
	last = post(f, &f->s_admin, UPDATE_NEED, "Last");
	fx_clock("2026-03-01T00:00:00Z");
	post(f, &f->s_admin, UPDATE_DEVELOPMENT, "March's");
	fx_clock("2026-02-10");
	gone = post(f, &f->s_admin, UPDATE_DEVELOPMENT, "Withdrawn");
	self = post(f, &f->s_admin, UPDATE_DEVELOPMENT, "Read by its side");
	post(f, &f->b_admin, UPDATE_DIRECTION, "The buyer's");
	fx_clock("2026-03-02");
	assert_int_equal(update_mark_read(f->db, f->a, &f->b_member, f->acct,
	    first), KW_OK);
	assert_int_equal(update_mark_read(f->db, f->a, &f->b_admin, f->acct,
	    gone), KW_OK);
	assert_int_equal(update_withdraw(f->db, f->a, &f->s_admin, f->acct,
	    gone), KW_OK);
	/* a read by the posting side itself is not the other side's */
	assert_int_equal(rawf(f->db, "INSERT INTO update_reads (update_id, "
	    "user_id, read_at) VALUES (%lld, %lld, '2026-03-02T10:00:00Z')",
	    self, f->s_member.id), SQLITE_OK);

	assert_int_equal(updates_listed(f, &q), 3);
	q.seen = UPDATE_SEEN;
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(l[0].id, first);
	q.seen = UPDATE_UNSEEN;
	assert_int_equal(updates_listed(f, &q), 2);
	/* the reading filter alone, and with the kind */
	q.from = q.to = NULL;
	assert_int_equal(updates_listed(f, &q), 4);
	q.kind = UPDATE_NEED;
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(l[0].id, last);
	/* one end open; either side */
	q.kind = UPDATE_KIND__MAX;
	q.seen = UPDATE_SEEN__MAX;
	q.from = "2026-02-28";
	assert_int_equal(updates_listed(f, &q), 2);
	q.from = NULL;
	q.to = "2026-01-31";
	assert_int_equal(updates_listed(f, &q), 1);
	q.side = SIDE__MAX;
	q.from = q.to = "2026-02-10";
	assert_int_equal(updates_listed(f, &q), 2);

	q.from = "2026-02-11";
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.from = "2026-13-01";
	assert_int_equal(update_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.from = NULL;
	assert_int_equal(update_list(f->db, f->a, &f->x_admin, f->acct, &q,
	    &l, &n, &total), KW_NOTFOUND);
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
	assert_int_equal(update_page(f, &f->s_admin,
	    UPDATE_KIND__MAX, SIDE__MAX, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	assert_int_equal(update_page(f, &f->b_admin,
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
		T(test_account_period_table),
		T(test_account_period_periods_tile),
		T(test_account_period_bad_dates),
		T(test_account_period_without_history_uses_cadence),
		T(test_account_set_cadence_from_next_period),
		T(test_account_set_cadence_partial_first_period),
		T(test_account_set_cadence_latest_wins),
		T(test_account_set_cadence_before_start),
		T(test_account_set_cadence_refusals),
		T(test_account_periods_newest_last),
		T(test_account_periods_across_a_cadence_change),
		cmocka_unit_test(test_expectation_may_table),
		T(test_expectation_state_action_side),
		T(test_expectation_create_notifies_other_side),
		T(test_expectation_create_bad_input),
		T(test_expectation_non_party_is_notfound),
		T(test_expectation_list_filters_and_pages),
		T(test_expectation_list_by_assessment),
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
		T(test_update_list_by_days_and_reading),
		T(test_update_withdrawn_leaves_lists),
		cmocka_unit_test(test_ledger_names_complete),
		cmocka_unit_test(test_valid_text_ok_bounds),
	};

	kw_log_init("test-ledger");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
