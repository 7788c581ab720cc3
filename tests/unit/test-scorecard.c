/* test-scorecard.c: unit tests of how a scorecard counts, at the edges. */
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
#include "contact.h"
#include "db.h"
#include "expectation.h"
#include "feedback.h"
#include "kw.h"
#include "org.h"
#include "promise.h"
#include "scorecard.h"
#include "update.h"
#include "dbutil.h"

/* ---- helpers --------------------------------------------------------- */

/* Run the SQL statement a printf format makes; assert it works. */
#define assert_sql(f, ...) \
	assert_int_equal(rawf((f)->db, __VA_ARGS__), SQLITE_OK)

/* Let the fixture's account (quarterly) start on 2025-10-01, so that
 * Q4 2025 is its first period and Q1 2026 its second. */
static void
older(struct fx *f)
{
	assert_sql(f, "UPDATE accounts SET start_date = '2025-10-01' WHERE id = "
	    "%lld", f->acct);
	assert_sql(f, "UPDATE account_cadences SET from_date = '2025-10-01' "
	    "WHERE account_id = %lld", f->acct);
}

/* The fixture's account as its buyer sees it. */
static struct account
acct_of(struct fx *f)
{
	struct account a;

	assert_int_equal(account_get(f->db, f->a, f->b, f->acct, &a), KW_OK);
	return a;
}

/* The scorecard of side for from..to on today; asserts it works. */
static struct scorecard
card(struct fx *f, enum account_side side, const char *from, const char *to,
    const char *today)
{
	struct account a = acct_of(f);
	struct scorecard sc;

	assert_int_equal(scorecard_compute(f->db, f->a, &a, side, from, to,
	    today, &sc), KW_OK);
	assert_int_equal(sc.side, side);
	assert_string_equal(sc.from, from);
	assert_string_equal(sc.to, to);
	return sc;
}

/* A promise by who (its side is the promisor) due on due, made today;
 * its id. */
static long long
promise(struct fx *f, const struct user *who, const char *due)
{
	struct promise_new in = { "A promise", NULL, due, 0, 0 };
	struct promise_err err = { NULL, NULL };
	long long id = 0;

	assert_int_equal(promise_create(f->db, f->a, who, f->acct, &in, &id,
	    &err), KW_OK);
	return id;
}

/* On day, who takes act on promise id with date and text. */
static void
act(struct fx *f, const char *day, const struct user *who, long long id,
    enum promise_action a, const char *date, const char *text)
{
	struct promise_input in = { date, text };
	struct promise_err err = { NULL, NULL };

	fx_clock(day);
	if (promise_act(f->db, f->a, who, f->acct, id, a, &in, &err) != KW_OK)
		fail_msg("promise %lld: %s on %s refused: %s", id,
		    promise_action_names[a], day, err.msg != NULL ? err.msg :
		    "");
}

/* The parts of a scorecard, each told in words by figures(). */
enum part {
	PROMISES,	/* "8 due: 3 on time, 1 late, 1 broken, 1 delivered,
			   2 overdue (1 disputed), 1 renegotiated: 37%" */
	EXPECTATIONS,	/* "1 met, 1 partly, 1 not met, 2 not assessed" */
	UPDATES,	/* "3 shared, 1 acknowledged" */
	CONTACTS,	/* "3 contacts, last 2026-03-31 (0 days)" */
	RATINGS		/* "2 ratings, mean 4.50" */
};

/* One part of the scorecard of side for from..to on today, in words (in
 * the fixture's arena). The promises' five outcomes must add up to
 * those that fell due. */
static const char *
figures(struct fx *f, enum part part, enum account_side side,
    const char *from, const char *to, const char *today)
{
	struct scorecard sc = card(f, side, from, to, today);
	const struct promise_stats *p = &sc.promises;
	const long long *e = sc.expectations;

	switch (part) {
	case PROMISES:
		assert_int_equal(p->kept_on_time + p->kept_late + p->broken +
		    p->delivered + p->still_overdue, p->fallen_due);
		return arena_xprintf(f->a, "%lld due: %lld on time, %lld late, "
		    "%lld broken, %lld delivered, %lld overdue (%lld "
		    "disputed), %lld renegotiated: %d%%", p->fallen_due,
		    p->kept_on_time, p->kept_late, p->broken, p->delivered,
		    p->still_overdue, p->disputed, p->renegotiated,
		    p->integrity);
	case EXPECTATIONS:
		return arena_xprintf(f->a, "%lld met, %lld partly, %lld not "
		    "met, %lld not assessed", e[EXPECTATION_MET],
		    e[EXPECTATION_PARTLY], e[EXPECTATION_NOT_MET],
		    sc.expectations_unassessed);
	case UPDATES:
		return arena_xprintf(f->a, "%lld shared, %lld acknowledged",
		    sc.updates_shared, sc.updates_acknowledged);
	case CONTACTS:
		return arena_xprintf(f->a, "%lld contacts, last %s (%lld days)",
		    sc.contacts, *sc.last_contact != '\0' ? sc.last_contact :
		    "none", sc.days_since_contact);
	default:
		return arena_xprintf(f->a, "%lld ratings, mean %.2f",
		    sc.ratings, sc.rating_mean);
	}
}

/* The number of entries u sees in the promise list filtered as the
 * review page links the figure of outcome (PROMISE_OUTCOME__MAX: those
 * that fell due) of sc. */
static size_t
promises_listed(struct fx *f, const struct scorecard *sc,
    enum promise_outcome outcome)
{
	struct promise_query q = { .filter = PROMISE_FILTER__MAX,
	    .promisor = sc->side, .limit = 1, .due_from = sc->from,
	    .due_to = sc->promises_to, .outcome = outcome };
	struct promise *l;
	size_t n, total;

	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	return total;
}

/* The same in the expectation list, with assessed. */
static size_t
expectations_listed(struct fx *f, const struct scorecard *sc,
    enum expectation_assessed assessed)
{
	struct expectation_query q = { .state = EXPECTATION_STATE__MAX,
	    .side = account_other_side(sc->side), .from = sc->from,
	    .to = sc->to, .assessed = assessed, .limit = 1 };
	struct expectation *l;
	size_t n, total;

	assert_int_equal(expectation_list(f->db, f->a, &f->s_admin, f->acct,
	    &q, &l, &n, &total), KW_OK);
	return total;
}

/* The same in the update list, with seen. */
static size_t
updates_listed(struct fx *f, const struct scorecard *sc,
    enum update_seen seen)
{
	struct update_query q = { .kind = UPDATE_KIND__MAX, .side = sc->side,
	    .from = sc->from, .to = sc->to, .seen = seen, .limit = 1 };
	struct update *l;
	size_t n, total;

	assert_int_equal(update_list(f->db, f->a, &f->b_member, f->acct, &q,
	    &l, &n, &total), KW_OK);
	return total;
}

/*
 * Every count of sc is the number of entries that the list it links to
 * shows (the filters the review page puts in its links): the lists and
 * the scorecard count alike.
 */
static void
lists_agree(struct fx *f, const struct scorecard *sc)
{
	const struct promise_stats *p = &sc->promises;
	const long long want[PROMISE_OUTCOME__MAX] = {
		[PROMISE_OUTCOME_ON_TIME] = p->kept_on_time,
		[PROMISE_OUTCOME_LATE] = p->kept_late,
		[PROMISE_OUTCOME_BROKEN] = p->broken,
		[PROMISE_OUTCOME_DELIVERED] = p->delivered,
		[PROMISE_OUTCOME_OVERDUE] = p->still_overdue,
		[PROMISE_OUTCOME_DISPUTED] = p->disputed,
		[PROMISE_OUTCOME_RENEGOTIATED] = p->renegotiated,
	};
	struct contact_query cq = { .from = sc->from, .to = sc->contacts_to,
	    .limit = 1 };
	struct feedback_query fq = { .side =
	    account_side_name(account_other_side(sc->side)), .from = sc->from,
	    .to = sc->to, .limit = 1 };
	struct contact *cl;
	struct feedback *fl;
	size_t n, total;
	int i;

	assert_int_equal(promises_listed(f, sc, PROMISE_OUTCOME__MAX),
	    p->fallen_due);
	for (i = 0; i < PROMISE_OUTCOME__MAX; i++)
		if (promises_listed(f, sc, (enum promise_outcome)i) !=
		    (size_t)want[i])
			fail_msg("%s %s..%s: %zu promises listed %s, %lld "
			    "counted", account_side_name(sc->side), sc->from,
			    sc->promises_to, promises_listed(f, sc,
			    (enum promise_outcome)i), promise_outcome_names[i],
			    want[i]);
	for (i = 0; i < EXPECTATION_RATING__MAX; i++)
		assert_int_equal(expectations_listed(f, sc,
		    (enum expectation_assessed)i), sc->expectations[i]);
	assert_int_equal(expectations_listed(f, sc, EXPECTATION_NOT_YET),
	    sc->expectations_unassessed);
	assert_int_equal(updates_listed(f, sc, UPDATE_SEEN__MAX),
	    sc->updates_shared);
	assert_int_equal(updates_listed(f, sc, UPDATE_SEEN),
	    sc->updates_acknowledged);
	assert_int_equal(contact_list(f->db, f->a, &f->s_member, f->acct, &cq,
	    &cl, &n, &total), KW_OK);
	assert_int_equal(total, sc->contacts);
	assert_int_equal(feedback_list(f->db, f->a, &f->b_admin, f->acct, &fq,
	    &fl, &n, &total), KW_OK);
	assert_int_equal(total, sc->ratings);
}

/* What one part of a scorecard should say. */
struct check {
	enum part		 part;
	enum account_side	 side;
	const char		*from, *to, *today;
	const char		*want;
};

/* Assert every check of c[0..n-1], and that the lists behind the
 * scorecard it looks at show as many entries as each figure says on its
 * day (the clock stays as it was). */
static void
checks(struct fx *f, const struct check *c, size_t n)
{
	struct scorecard sc;
	const char *got, *now = getenv(CLOCK_ENV);
	char was[32];
	size_t i;

	snprintf(was, sizeof(was), "%s", now != NULL ? now : FX_NOW);
	for (i = 0; i < n; i++) {
		sc = card(f, c[i].side, c[i].from, c[i].to, c[i].today);
		fx_clock(c[i].today);
		lists_agree(f, &sc);
		fx_clock(was);
		got = figures(f, c[i].part, c[i].side, c[i].from, c[i].to,
		    c[i].today);
		if (strcmp(got, c[i].want) != 0)
			fail_msg("check %zu (%s, %s..%s on %s): got \"%s\", "
			    "want \"%s\"", i, account_side_name(c[i].side),
			    c[i].from, c[i].to, c[i].today, got, c[i].want);
	}
}
#define CHECKS(f, c)	checks((f), (c), sizeof(c) / sizeof((c)[0]))

/* The quarters the tests look at, as from, to. */
#define Q4	"2025-10-01", "2025-12-31"
#define Q1	"2026-01-01", "2026-03-31"
#define Q2	"2026-04-01", "2026-06-30"

/* On day, who of the stating side states an expectation; acknowledged
 * (by the other side's admin) the same day unless ack is 0. Its id. */
static long long
expectation(struct fx *f, const char *day, const struct user *who, int ack)
{
	const struct user *other = who->org_id == f->b ? &f->s_admin :
	    &f->b_admin;
	long long id = 0;

	fx_clock(day);
	assert_int_equal(expectation_create(f->db, f->a, who, f->acct,
	    "Full and on time", "", "", &id), KW_OK);
	if (ack)
		assert_int_equal(expectation_acknowledge(f->db, f->a, other,
		    f->acct, id), KW_OK);
	return id;
}

/* who assesses expectation id for the period holding date. */
static void
assess(struct fx *f, const struct user *who, long long id, const char *date,
    enum expectation_rating rating)
{
	assert_int_equal(expectation_assess(f->db, f->a, who, f->acct, id,
	    date, rating, "", NULL, NULL), KW_OK);
}

/* At time iso, who shares an update; its id. */
static long long
update(struct fx *f, const char *iso, const struct user *who)
{
	long long id = 0;

	fx_clock(iso);
	assert_int_equal(update_create(f->db, f->a, who, f->acct,
	    UPDATE_DIRECTION, "Where we are going", "Two new lines.", &id),
	    KW_OK);
	return id;
}

/* who logs a contact dated date (today must not be before it); its id. */
static long long
contact(struct fx *f, const struct user *who, const char *date)
{
	struct contact in;
	long long id = 0;

	memset(&in, 0, sizeof(in));
	in.date = date;
	in.channel = CONTACT_CALL;
	in.participants = "Both owners";
	in.summary = "Weekly call";
	assert_int_equal(contact_log(f->db, who, f->acct, &in, &id), KW_OK);
	return id;
}

/* At time iso, who gives rating; its id. */
static long long
rate(struct fx *f, const char *iso, const struct user *who, int rating)
{
	struct feedback in;
	long long id = 0;

	memset(&in, 0, sizeof(in));
	in.rating = rating;
	in.aspect = FEEDBACK_ASPECT__MAX;
	in.comment = "";
	fx_clock(iso);
	assert_int_equal(feedback_give(f->db, who, f->acct, &in, &id), KW_OK);
	return id;
}

/* ---- promises -------------------------------------------------------- */

static void
test_scorecard_promises_at_period_edges(void **state)
{
	struct fx *f = *state;
	const struct user *s = &f->s_admin, *b = &f->b_admin;
	long long last, first, before, after, conf_on_time, conf_late,
	    moved_out, moved_in, disputed, overdue, waiting;
	/*
	 * Q1 seen on 2026-04-20. Fell due: last (its last day), first,
	 * conf_on_time (confirmed after the end, delivered on time),
	 * conf_late (delivered after the due date), moved_in (renegotiated
	 * into Q1, then broken), disputed (disputed at the end, still
	 * disputed, so still overdue too), overdue, waiting. Not: before,
	 * after, moved_out, the buyer's. Q2: after (due 04-01) and
	 * moved_out (renegotiated into Q2, due 04-15). Q4 2025: before,
	 * due on its last day. The buyer: only the buyer's promise.
	 */
	static const struct check c[] = {
		{ PROMISES, SIDE_SUPPLIER, Q1, "2026-04-20", "8 due: 3 on "
		  "time, 1 late, 1 broken, 1 delivered, 2 overdue (1 "
		  "disputed), 1 renegotiated: 37%" },
		{ PROMISES, SIDE_SUPPLIER, Q2, "2026-04-20", "2 due: 0 on "
		  "time, 0 late, 0 broken, 0 delivered, 2 overdue (0 "
		  "disputed), 1 renegotiated: 0%" },
		{ PROMISES, SIDE_SUPPLIER, Q4, "2026-04-20", "1 due: 0 on "
		  "time, 0 late, 0 broken, 0 delivered, 1 overdue (0 "
		  "disputed), 0 renegotiated: 0%" },
		{ PROMISES, SIDE_BUYER, Q1, "2026-04-20", "1 due: 0 on time, "
		  "0 late, 0 broken, 0 delivered, 1 overdue (0 disputed), "
		  "0 renegotiated: 0%" },
	};

	older(f);
	fx_clock("2025-12-01");
	last = promise(f, s, "2026-03-31");		/* kept on time */
	first = promise(f, s, "2026-01-01");		/* kept on time */
	before = promise(f, s, "2025-12-31");		/* Q4's, open */
	after = promise(f, s, "2026-04-01");		/* Q2's, open */
	conf_on_time = promise(f, s, "2026-03-20");	/* confirmed in Q2 */
	conf_late = promise(f, s, "2026-03-20");	/* delivered in Q2 */
	moved_out = promise(f, s, "2026-03-15");	/* due in Q2 now */
	moved_in = promise(f, s, "2025-12-20");		/* due in Q1 now */
	disputed = promise(f, s, "2026-03-25");
	overdue = promise(f, s, "2026-02-10");
	waiting = promise(f, s, "2026-03-05");		/* not yet confirmed */
	promise(f, b, "2026-02-01");			/* the buyer's */

	act(f, "2025-12-15", s, moved_in, PROMISE_RENEGOTIATE, "2026-01-10",
	    "the press is down");
	act(f, "2025-12-15", b, moved_in, PROMISE_ACCEPT_DUE, NULL, NULL);
	act(f, "2026-01-01", s, first, PROMISE_DELIVER, "2026-01-01", "done");
	act(f, "2026-01-01", b, first, PROMISE_CONFIRM, NULL, NULL);
	act(f, "2026-01-20", s, moved_in, PROMISE_BREAK, NULL, "no film");
	act(f, "2026-03-05", s, waiting, PROMISE_DELIVER, "2026-03-05", "done");
	act(f, "2026-03-10", s, moved_out, PROMISE_RENEGOTIATE, "2026-04-15",
	    "late film");
	act(f, "2026-03-10", b, moved_out, PROMISE_ACCEPT_DUE, NULL, NULL);
	act(f, "2026-03-19", s, conf_on_time, PROMISE_DELIVER, "2026-03-19",
	    "done");
	act(f, "2026-03-24", s, disputed, PROMISE_DELIVER, "2026-03-24",
	    "done");
	act(f, "2026-03-26", b, disputed, PROMISE_DISPUTE, NULL, "half");
	act(f, "2026-03-31", s, last, PROMISE_DELIVER, "2026-03-31", "done");
	act(f, "2026-04-02", b, last, PROMISE_CONFIRM, NULL, NULL);
	act(f, "2026-04-05", s, conf_late, PROMISE_DELIVER, "2026-04-05",
	    "done");
	act(f, "2026-04-06", b, conf_late, PROMISE_CONFIRM, NULL, NULL);
	act(f, "2026-04-10", b, conf_on_time, PROMISE_CONFIRM, NULL, NULL);
	(void)before;
	(void)after;
	(void)overdue;

	CHECKS(f, c);
}

static void
test_scorecard_running_period_counts_due_before_today(void **state)
{
	struct fx *f = *state;
	const struct user *s = &f->s_admin, *b = &f->b_admin;
	long long yesterday, today;
	/* on 03-02 the one due today, kept already, has not fallen due;
	 * on 03-04 the third is due and not kept: integrity drops */
	static const struct check c[] = {
		{ PROMISES, SIDE_SUPPLIER, Q1, "2026-03-02", "1 due: 1 on "
		  "time, 0 late, 0 broken, 0 delivered, 0 overdue (0 "
		  "disputed), 0 renegotiated: 100%" },
		{ PROMISES, SIDE_SUPPLIER, Q1, "2026-03-03", "2 due: 2 on "
		  "time, 0 late, 0 broken, 0 delivered, 0 overdue (0 "
		  "disputed), 0 renegotiated: 100%" },
		{ PROMISES, SIDE_SUPPLIER, Q1, "2026-03-04", "3 due: 2 on "
		  "time, 0 late, 0 broken, 0 delivered, 1 overdue (0 "
		  "disputed), 0 renegotiated: 66%" },
	};

	fx_clock("2026-03-01");
	yesterday = promise(f, s, "2026-03-01");
	today = promise(f, s, "2026-03-02");
	promise(f, s, "2026-03-03");
	act(f, "2026-03-01", s, yesterday, PROMISE_DELIVER, "2026-03-01", "ok");
	act(f, "2026-03-01", b, yesterday, PROMISE_CONFIRM, NULL, NULL);
	act(f, "2026-03-01", s, today, PROMISE_DELIVER, "2026-03-01", "ok");
	act(f, "2026-03-01", b, today, PROMISE_CONFIRM, NULL, NULL);

	CHECKS(f, c);
}

static void
test_scorecard_empty_period_is_not_zero(void **state)
{
	struct fx *f = *state;
	/* nothing at all, then one broken promise: 0%, which is not "no
	 * promise fell due" */
	static const struct check none[] = {
		{ PROMISES, SIDE_SUPPLIER, Q1, "2026-03-02", "0 due: 0 on "
		  "time, 0 late, 0 broken, 0 delivered, 0 overdue (0 "
		  "disputed), 0 renegotiated: -1%" },
		{ EXPECTATIONS, SIDE_SUPPLIER, Q1, "2026-03-02", "0 met, "
		  "0 partly, 0 not met, 0 not assessed" },
		{ UPDATES, SIDE_SUPPLIER, Q1, "2026-03-02", "0 shared, "
		  "0 acknowledged" },
		{ CONTACTS, SIDE_SUPPLIER, Q1, "2026-03-02", "0 contacts, "
		  "last none (-1 days)" },
		{ RATINGS, SIDE_SUPPLIER, Q1, "2026-03-02", "0 ratings, "
		  "mean 0.00" },
	}, broken[] = {
		{ PROMISES, SIDE_SUPPLIER, Q1, "2026-03-02", "1 due: 0 on "
		  "time, 0 late, 1 broken, 0 delivered, 0 overdue (0 "
		  "disputed), 0 renegotiated: 0%" },
		{ PROMISES, SIDE_BUYER, Q1, "2026-03-02", "0 due: 0 on time, "
		  "0 late, 0 broken, 0 delivered, 0 overdue (0 disputed), "
		  "0 renegotiated: -1%" },
	};

	CHECKS(f, none);
	fx_clock("2026-03-01");
	act(f, "2026-03-01", &f->s_admin, promise(f, &f->s_admin,
	    "2026-03-01"), PROMISE_BREAK, NULL, "no stock");
	CHECKS(f, broken);
}

/* ---- expectations ---------------------------------------------------- */

static void
test_scorecard_expectations_assessed_and_not(void **state)
{
	struct fx *f = *state;
	const struct user *b = &f->b_admin;
	long long e1, e2, e3, e5, e6, e7, s1;
	/* Q1: e5 (acknowledged in it) and e7 (retired on its first day)
	 * wait for an assessment; e6 was retired before it began. Q4: e1
	 * met; e2, e3, e6 (retired in it) and e7 not assessed; e5 was
	 * acknowledged only after Q4 ended. The buyer: the supplier's one
	 * expectation of it. */
	static const struct check c[] = {
		{ EXPECTATIONS, SIDE_SUPPLIER, Q1, "2026-04-05", "1 met, "
		  "1 partly, 1 not met, 2 not assessed" },
		{ EXPECTATIONS, SIDE_SUPPLIER, Q4, "2026-04-05", "1 met, "
		  "0 partly, 0 not met, 4 not assessed" },
		{ EXPECTATIONS, SIDE_BUYER, Q1, "2026-04-05", "1 met, "
		  "0 partly, 0 not met, 0 not assessed" },
		{ EXPECTATIONS, SIDE_BUYER, Q4, "2026-04-05", "0 met, "
		  "0 partly, 0 not met, 1 not assessed" },
	};

	/* the buyer's expectations of the supplier, and one the other way */
	older(f);
	e1 = expectation(f, "2025-10-05", b, 1);
	e2 = expectation(f, "2025-10-05", b, 1);
	e3 = expectation(f, "2025-10-05", b, 1);
	expectation(f, "2025-10-05", b, 0);		/* never acknowledged */
	e6 = expectation(f, "2025-10-05", b, 1);	/* retired in Q4 */
	e7 = expectation(f, "2025-10-05", b, 1);	/* retired 01-01 */
	s1 = expectation(f, "2025-10-05", &f->s_admin, 1);
	e5 = expectation(f, "2025-12-01", b, 0);	/* acknowledged in Q1 */
	fx_clock("2025-12-15");
	assert_int_equal(expectation_retire(f->db, f->a, b, f->acct, e6,
	    NULL), KW_OK);
	fx_clock("2026-01-01T00:00:00Z");
	assert_int_equal(expectation_retire(f->db, f->a, b, f->acct, e7,
	    NULL), KW_OK);
	fx_clock("2026-02-10");
	assert_int_equal(expectation_acknowledge(f->db, f->a, &f->s_admin,
	    f->acct, e5), KW_OK);
	fx_clock("2026-04-05");
	assess(f, b, e1, "2026-02-01", EXPECTATION_MET);
	assess(f, b, e2, "2026-03-31", EXPECTATION_PARTLY);
	assess(f, b, e3, "2026-01-01", EXPECTATION_NOT_MET);
	assess(f, b, e1, "2025-11-01", EXPECTATION_MET);
	assess(f, &f->s_admin, s1, "2026-02-01", EXPECTATION_MET);

	CHECKS(f, c);
}

/* ---- updates --------------------------------------------------------- */

static void
test_scorecard_updates_shared_and_acknowledged(void **state)
{
	struct fx *f = *state;
	const struct user *s = &f->s_admin;
	long long first, self, gone, before;
	/* Q1: first (on its first instant), the unread one (its last) and
	 * self; gone was withdrawn */
	static const struct check c[] = {
		{ UPDATES, SIDE_SUPPLIER, Q1, "2026-04-02", "3 shared, "
		  "1 acknowledged" },
		{ UPDATES, SIDE_BUYER, Q1, "2026-04-02", "1 shared, "
		  "0 acknowledged" },
		{ UPDATES, SIDE_SUPPLIER, Q4, "2026-04-02", "1 shared, "
		  "1 acknowledged" },
	};

	older(f);
	before = update(f, "2025-12-31T23:59:59Z", s);
	first = update(f, "2026-01-01T00:00:00Z", s);
	update(f, "2026-03-31T23:59:59Z", s);		/* never read */
	self = update(f, "2026-02-01", s);
	gone = update(f, "2026-02-02", s);
	update(f, "2026-04-01T00:00:00Z", s);		/* Q2's */
	update(f, "2026-02-03", &f->b_admin);		/* the buyer's */
	fx_clock("2026-04-02");
	assert_int_equal(update_mark_read(f->db, f->a, &f->b_member, f->acct,
	    first), KW_OK);
	assert_int_equal(update_mark_read(f->db, f->a, &f->b_admin, f->acct,
	    first), KW_OK);
	assert_int_equal(update_mark_read(f->db, f->a, &f->b_admin, f->acct,
	    before), KW_OK);
	assert_int_equal(update_mark_read(f->db, f->a, &f->b_admin, f->acct,
	    gone), KW_OK);
	assert_int_equal(update_withdraw(f->db, f->a, s, f->acct, gone),
	    KW_OK);
	/* a read by the sharing side itself (the portal refuses it) is no
	 * acknowledgement */
	assert_sql(f, "INSERT INTO update_reads (update_id, user_id, read_at) "
	    "VALUES (%lld, %lld, '2026-04-02T10:00:00Z')", self, f->s_member.id);

	CHECKS(f, c);
}

/* ---- contacts -------------------------------------------------------- */

static void
test_scorecard_contacts_and_days_since(void **state)
{
	struct fx *f = *state;
	/* Q1 has ended: either side's, not withdrawn, as of its last day;
	 * Q2 is running: as of today; Q1 seen on 03-15: as of that day
	 * (min(to, today)); Q4: its last day's, and none the day before */
	static const struct check c[] = {
		{ CONTACTS, SIDE_SUPPLIER, Q1, "2026-04-10", "3 contacts, "
		  "last 2026-03-31 (0 days)" },
		{ CONTACTS, SIDE_BUYER, Q1, "2026-04-10", "3 contacts, "
		  "last 2026-03-31 (0 days)" },
		{ CONTACTS, SIDE_BUYER, Q2, "2026-04-10", "1 contacts, "
		  "last 2026-04-01 (9 days)" },
		{ CONTACTS, SIDE_BUYER, Q1, "2026-03-15", "2 contacts, "
		  "last 2026-02-15 (28 days)" },
		{ CONTACTS, SIDE_BUYER, Q4, "2026-04-10", "1 contacts, "
		  "last 2025-12-31 (0 days)" },
		{ CONTACTS, SIDE_BUYER, "2025-10-01", "2025-12-30",
		  "2026-04-10", "0 contacts, last none (-1 days)" },
	};

	older(f);
	fx_clock("2026-04-10");
	contact(f, &f->b_admin, "2025-12-31");
	contact(f, &f->b_admin, "2026-01-01");
	contact(f, &f->s_member, "2026-02-15");
	assert_int_equal(contact_withdraw(f->db, &f->s_admin, f->acct,
	    contact(f, &f->s_admin, "2026-03-20")), KW_OK);
	contact(f, &f->b_member, "2026-03-31");
	contact(f, &f->s_admin, "2026-04-01");

	CHECKS(f, c);
}

/* ---- satisfaction ---------------------------------------------------- */

static void
test_scorecard_satisfaction_received(void **state)
{
	struct fx *f = *state;
	const struct user *b = &f->b_admin;
	/* the supplier received what the buyer gave, on the days of the
	 * period from its first instant to its last */
	static const struct check c[] = {
		{ RATINGS, SIDE_SUPPLIER, Q1, "2026-04-02", "2 ratings, "
		  "mean 4.50" },
		{ RATINGS, SIDE_BUYER, Q1, "2026-04-02", "1 ratings, "
		  "mean 2.00" },
		{ RATINGS, SIDE_SUPPLIER, Q4, "2026-04-02", "1 ratings, "
		  "mean 1.00" },
		{ RATINGS, SIDE_BUYER, Q4, "2026-04-02", "0 ratings, "
		  "mean 0.00" },
	};

	older(f);
	rate(f, "2025-12-31T23:59:59Z", b, 1);
	rate(f, "2026-01-01T00:00:00Z", b, 5);
	rate(f, "2026-03-31T23:59:59Z", b, 4);
	assert_int_equal(feedback_withdraw(f->db, b, f->acct,
	    rate(f, "2026-02-01", b, 1)), KW_OK);
	rate(f, "2026-04-01T00:00:00Z", b, 1);
	rate(f, "2026-02-01", &f->s_admin, 2);

	CHECKS(f, c);
}

/* ---- bad input ------------------------------------------------------- */

static void
test_scorecard_bad_input(void **state)
{
	struct fx *f = *state;
	struct account a = acct_of(f);
	struct scorecard sc;
	struct scorecard_point *pt;
	size_t n = 9;

	assert_int_equal(scorecard_compute(f->db, f->a, &a, SIDE__MAX,
	    "2026-01-01", "2026-03-31", "2026-03-02", &sc), KW_BADREQ);
	assert_int_equal(scorecard_compute(f->db, f->a, &a, SIDE_BUYER,
	    "2026-03-31", "2026-01-01", "2026-03-02", &sc), KW_BADREQ);
	assert_int_equal(scorecard_compute(f->db, f->a, &a, SIDE_BUYER,
	    "2026-01-01", "2026-02-30", "2026-03-02", &sc), KW_BADREQ);
	assert_int_equal(scorecard_compute(f->db, f->a, &a, SIDE_BUYER,
	    "2026-01-01", "2026-03-31", "today", &sc), KW_BADREQ);
	assert_int_equal(scorecard_compute(f->db, f->a, NULL, SIDE_BUYER,
	    "2026-01-01", "2026-03-31", "2026-03-02", &sc), KW_BADREQ);
	assert_int_equal(sc.promises.integrity, -1);
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_BUYER, 0,
	    "2026-03-02", "2026-03-02", NULL, &pt, &n), KW_BADREQ);
	assert_int_equal(n, 0);
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_BUYER,
	    SCORECARD_TREND_MAX + 1, "2026-03-02", "2026-03-02", NULL, &pt,
	    &n), KW_BADREQ);
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_BUYER, 4,
	    "2026-13-02", "2026-13-02", NULL, &pt, &n), KW_BADREQ);
	assert_null(pt);
}

/* ---- trends ---------------------------------------------------------- */

static void
test_scorecard_trend_per_period(void **state)
{
	struct fx *f = *state;
	const struct user *s = &f->s_admin, *b = &f->b_admin;
	struct account a;
	struct scorecard_point *pt;
	long long kept, broke;
	size_t n;

	older(f);
	fx_clock("2025-10-02");
	kept = promise(f, s, "2025-11-01");
	broke = promise(f, s, "2026-02-01");
	promise(f, s, "2026-04-20");
	act(f, "2025-10-30", s, kept, PROMISE_DELIVER, "2025-10-30", "done");
	act(f, "2025-10-30", b, kept, PROMISE_CONFIRM, NULL, NULL);
	act(f, "2026-01-15", s, broke, PROMISE_BREAK, NULL, "no film");
	fx_clock("2026-04-10");
	contact(f, b, "2025-10-10");
	contact(f, s, "2025-11-10");
	contact(f, s, "2026-02-10");
	rate(f, "2025-12-01", b, 4);
	rate(f, "2026-01-10", b, 2);
	rate(f, "2026-03-10", b, 3);
	fx_clock("2026-04-10");

	a = acct_of(f);
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_SUPPLIER, 3,
	    "2026-04-10", "2026-04-10", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 3);
	assert_string_equal(pt[0].from, "2025-10-01");
	assert_string_equal(pt[0].to, "2025-12-31");
	assert_int_equal(pt[0].integrity, 100);
	assert_int_equal(pt[0].fallen_due, 1);
	assert_int_equal(pt[0].kept_on_time, 1);
	assert_int_equal(pt[0].contacts, 2);
	assert_int_equal(pt[0].ratings, 1);
	assert_true(pt[0].rating_mean > 3.99 && pt[0].rating_mean < 4.01);
	assert_string_equal(pt[1].from, "2026-01-01");
	assert_int_equal(pt[1].integrity, 0);
	assert_int_equal(pt[1].fallen_due, 1);
	assert_int_equal(pt[1].contacts, 1);
	assert_int_equal(pt[1].ratings, 2);
	assert_true(pt[1].rating_mean > 2.49 && pt[1].rating_mean < 2.51);
	/* the running quarter: nothing due yet, no contact, no rating */
	assert_string_equal(pt[2].from, "2026-04-01");
	assert_string_equal(pt[2].to, "2026-06-30");
	assert_int_equal(pt[2].integrity, -1);
	assert_int_equal(pt[2].contacts, 0);
	assert_int_equal(pt[2].ratings, 0);

	/* more periods than the account has: all of them */
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_SUPPLIER, 12,
	    "2026-04-10", "2026-04-10", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 3);
	/* the buyer's trend: nothing of its own fell due, no rating */
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_BUYER, 2,
	    "2026-04-10", "2026-04-10", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(pt[0].integrity, -1);
	assert_int_equal(pt[0].ratings, 0);
	assert_int_equal(pt[0].contacts, 1);
	/* the latest period, counted already by the caller, is taken as
	 * given; a scorecard of another period is not */
	{
		struct scorecard sc;

		assert_int_equal(scorecard_compute(f->db, f->a, &a,
		    SIDE_SUPPLIER, "2026-04-01", "2026-06-30", "2026-04-10",
		    &sc), KW_OK);
		sc.contacts = 99;
		assert_int_equal(fx_side_trend(f->db, f->a, &a,
		    SIDE_SUPPLIER, 3, "2026-04-10", "2026-04-10", &sc, &pt,
		    &n), KW_OK);
		assert_int_equal(n, 3);
		assert_int_equal(pt[2].contacts, 99);
		assert_int_equal(pt[1].contacts, 1);
		assert_int_equal(fx_side_trend(f->db, f->a, &a,
		    SIDE_SUPPLIER, 2, "2026-03-31", "2026-04-10", &sc, &pt,
		    &n), KW_OK);
		assert_string_equal(pt[1].from, "2026-01-01");
		assert_int_equal(pt[1].contacts, 1);
	}
	/* before the account starts: none */
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_BUYER, 2,
	    "2025-09-30", "2025-09-30", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 0);
}

/* The months k 0..119 from 2016-04-01, day d its first, in accounts
 * a(id) %lld and %lld. */
#define MONTHS \
	"WITH RECURSIVE m(k, d) AS (SELECT 0, '2016-04-01' UNION ALL " \
	"SELECT k + 1, date('2016-04-01', '+' || (k + 1) || ' months') " \
	"FROM m WHERE k < 119), a(id) AS (VALUES (%lld), (%lld)) "

/* Ten years of monthly history in the fixture's account (made monthly
 * from 2016-04-01) and as much again in another account: each month one
 * promise of the supplier kept on time, one contact, one rating. */
static void
ten_years(struct fx *f)
{
	long long other = 0;

	assert_sql(f, "UPDATE accounts SET cadence = 'monthly', start_date = "
	    "'2016-04-01' WHERE id = %lld", f->acct);
	assert_sql(f, "UPDATE account_cadences SET cadence = 'monthly', "
	    "from_date = '2016-04-01' WHERE account_id = %lld", f->acct);
	assert_int_equal(account_create(f->db, &f->op, "Noise", f->b, f->s,
	    CADENCE_MONTHLY, "2016-04-01", 0, 0, &other), KW_OK);
	assert_sql(f, MONTHS
	    "INSERT INTO promises (account_id, promisor_side, title, "
	    "due_date, original_due, state, created_by, created_at, kept_on, "
	    "on_time, closed_at) SELECT a.id, 'supplier', 'Monthly report', "
	    "m.d, m.d, 'kept', %lld, '2016-03-01T09:00:00Z', m.d, 1, "
	    "m.d || 'T09:00:00Z' FROM m, a", f->acct, other, f->s_admin.id);
	assert_sql(f, MONTHS
	    "INSERT INTO contacts (account_id, side, contact_date, channel, "
	    "participants, summary, created_by, created_at) "
	    "SELECT a.id, 'buyer', m.d, 'call', 'Both', 'Monthly call', "
	    "%lld, m.d || 'T10:00:00Z' FROM m, a", f->acct, other,
	    f->b_admin.id);
	assert_sql(f, MONTHS
	    "INSERT INTO feedback (account_id, from_side, rating, created_by, "
	    "created_at) SELECT a.id, 'buyer', 1 + m.k %% 5, %lld, "
	    "m.d || 'T11:00:00Z' FROM m, a", f->acct, other, f->b_admin.id);
}

static void
test_scorecard_trend_ten_years_monthly(void **state)
{
	struct fx *f = *state;
	struct account a;
	struct scorecard_point *pt;
	size_t i, n;

	ten_years(f);
	a = acct_of(f);
	assert_int_equal(fx_side_trend(f->db, f->a, &a, SIDE_SUPPLIER,
	    SCORECARD_TREND_MAX, "2026-03-02", "2026-03-02", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 120);
	assert_string_equal(pt[0].from, "2016-04-01");
	assert_string_equal(pt[0].to, "2016-04-30");
	assert_string_equal(pt[119].from, "2026-03-01");
	assert_string_equal(pt[119].to, "2026-03-31");
	for (i = 0; i < n; i++) {
		assert_int_equal(pt[i].fallen_due, 1);
		assert_int_equal(pt[i].integrity, 100);
		assert_int_equal(pt[i].contacts, 1);
		assert_int_equal(pt[i].ratings, 1);
		assert_true(pt[i].rating_mean == (double)(1 + i % 5));
	}
}

/* Every statement prepared on h so far: fail on one that the query
 * planner answers with a full scan of a table or index (scanning the
 * one row of an aggregate subquery, or the list of periods bound to a
 * statement, is none); the number of queries checked. Their plans go
 * to seen[0..len-1], one line each. */
static size_t
plans_use_indexes(sqlite3 *h, char *seen, size_t len)
{
	sqlite3_stmt *st, *plan;
	const char *sql, *d;
	char *q;
	size_t n = 0, used = 0;

	for (st = sqlite3_next_stmt(h, NULL); st != NULL;
	    st = sqlite3_next_stmt(h, st)) {
		sql = sqlite3_sql(st);
		if (strncmp(sql, "SELECT", 6) != 0 &&
		    strncmp(sql, "WITH", 4) != 0)
			continue;
		assert_non_null(q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s",
		    sql));
		assert_int_equal(sqlite3_prepare_v2(h, q, -1, &plan, NULL),
		    SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(plan, 3);
			if (d != NULL && strncmp(d, "SCAN ", 5) == 0 &&
			    strcmp(d, "SCAN CONSTANT ROW") != 0 &&
			    strncmp(d, "SCAN (subquery-", 15) != 0 &&
			    strncmp(d, "SCAN json_each VIRTUAL TABLE", 28) != 0)
				fail_msg("%s in: %s", d, sql);
			if (d != NULL && used < len)
				used += (size_t)snprintf(seen + used,
				    len - used, "%s\n", d);
		}
		sqlite3_finalize(plan);
		sqlite3_free(q);
		n++;
	}
	return n;
}

static void
test_scorecard_queries_use_indexes(void **state)
{
	struct fx *f = *state;
	struct account a;
	struct scorecard sc;
	struct scorecard_point *pt;
	struct db *db = NULL;
	char seen[8192] = "";
	size_t n;

	ten_years(f);
	a = acct_of(f);
	/* a connection of its own holds the scorecard's statements only */
	assert_int_equal(db_open(f->path, &db), KW_OK);
	assert_int_equal(scorecard_compute(db, f->a, &a, SIDE_SUPPLIER,
	    "2026-01-01", "2026-01-31", "2026-03-02", &sc), KW_OK);
	assert_int_equal(sc.promises.fallen_due, 1);
	assert_int_equal(fx_side_trend(db, f->a, &a, SIDE_BUYER, 12,
	    "2026-03-02", "2026-03-02", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 12);
	/* promises, expectations (2), updates, contacts, feedback, periods */
	assert_true(plans_use_indexes(db_handle(db), seen, sizeof(seen)) >=
	    7);
	/* each ledger table through the index made for the period's range */
	assert_non_null(strstr(seen, "promises_side_due (account_id=? AND "
	    "promisor_side=? AND due_date>? AND due_date<?)"));
	assert_non_null(strstr(seen, "updates_side (account_id=? AND "
	    "side=? AND created_at>? AND created_at<?)"));
	assert_non_null(strstr(seen, "feedback_side (account_id=? AND "
	    "from_side=? AND created_at>? AND created_at<?)"));
	assert_non_null(strstr(seen, "contacts_standing (account_id=? AND "
	    "contact_date>? AND contact_date<?)"));
	assert_non_null(strstr(seen, "account_cadences_account"));
	db_close(db);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_scorecard_promises_at_period_edges),
		T(test_scorecard_running_period_counts_due_before_today),
		T(test_scorecard_empty_period_is_not_zero),
		T(test_scorecard_expectations_assessed_and_not),
		T(test_scorecard_updates_shared_and_acknowledged),
		T(test_scorecard_contacts_and_days_since),
		T(test_scorecard_satisfaction_received),
		T(test_scorecard_bad_input),
		T(test_scorecard_trend_per_period),
		T(test_scorecard_trend_ten_years_monthly),
		T(test_scorecard_queries_use_indexes),
	};
#undef T

	return cmocka_run_group_tests(tests, fx_group_setup,
	    fx_group_teardown);
}
