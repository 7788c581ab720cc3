/* test-review.c: unit tests of the periodic reviews: opening, reminders,
 * signing, the frozen snapshot and agreed actions. */
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
#include "kw.h"
#include "org.h"
#include "promise.h"
#include "review.h"
#include "scorecard.h"
#include "dbutil.h"

/* Run the scheduled job on day; its report. */
static struct review_report
run_job(struct fx *f, const char *day)
{
	struct review_report r = { 0, 0 };

	fx_clock(day);
	assert_int_equal(review_open_due(f->db, f->a, day, &r), KW_OK);
	assert_int_equal(review_remind(f->db, f->a, day, &r), KW_OK);
	return r;
}

/* How many reminders the job sends on day. */
static size_t
reminders_on(struct fx *f, const char *day)
{
	return run_job(f, day).reminders;
}

/* The id of the fixture account's review of Q1 2026 (opened on 2 April). */
static long long
q1_review(struct fx *f)
{
	struct review_report r = run_job(f, "2026-04-02");

	assert_int_equal(r.opened, 1);
	return raw_int(f->db, "SELECT id FROM reviews "
	    "WHERE period_start = '2026-01-01'");
}

static void
test_review_open_due_is_idempotent(void **state)
{
	struct fx *f = *state;
	struct review_report r;
	struct review *list;
	size_t n;

	/* the running period is never opened by the job */
	r = run_job(f, "2026-03-02");
	assert_int_equal(r.opened, 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM reviews"), 0);
	r = run_job(f, "2026-04-01");
	assert_int_equal(r.opened, 1);
	r = run_job(f, "2026-04-01");
	assert_int_equal(r.opened, 0);
	assert_int_equal(r.reminders, 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM reviews "
	    "WHERE state = 'open' AND opened_by IS NULL AND "
	    "period_end = '2026-03-31'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'review' AND action = 'open'"), 1);
	/* both sides' users are told */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications "
	    "WHERE kind = 'review' AND key LIKE 'review:%:open'"), 4);
	/* a later run opens the next ended periods only */
	r = run_job(f, "2026-10-05");
	assert_int_equal(r.opened, 2);
	assert_int_equal(review_list(f->db, f->a, &f->b_member, f->acct,
	    &list, &n), KW_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].period_start, "2026-07-01");
	assert_int_equal(review_list(f->db, f->a, &f->x_admin, f->acct,
	    &list, &n), KW_NOTFOUND);
}

static void
test_review_reminders_are_idempotent(void **state)
{
	struct fx *f = *state;

	/* 7 days before Q1 ends: both sides, once */
	assert_int_equal(reminders_on(f, "2026-03-23"), 0);
	assert_int_equal(reminders_on(f, "2026-03-24"), 4);
	assert_int_equal(reminders_on(f, "2026-03-25"), 0);
	/* opened on 1 April; a week later each unsigned side is reminded */
	assert_int_equal(reminders_on(f, "2026-04-01"), 0);
	assert_int_equal(reminders_on(f, "2026-04-08"), 4);
	assert_int_equal(reminders_on(f, "2026-04-09"), 0);
	/* the buyer signs: only the supplier is reminded the next week */
	fx_clock("2026-04-10");
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct,
	    raw_int(f->db, "SELECT id FROM reviews"), NULL), KW_OK);
	assert_int_equal(reminders_on(f, "2026-04-15"), 2);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications "
	    "WHERE key LIKE 'review:%:remind:supplier:2'"), 2);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications "
	    "WHERE key LIKE 'review:%:remind:buyer:2'"), 0);
}

static void
test_review_draft(void **state)
{
	struct fx *f = *state;
	struct review rv;
	long long id, id2;
	const char *msg;

	assert_int_equal(review_draft(f->db, f->a, &f->s_member, f->acct,
	    &id), KW_FORBIDDEN);
	assert_int_equal(review_draft(f->db, f->a, &f->x_admin, f->acct,
	    &id), KW_NOTFOUND);
	assert_int_equal(review_draft(f->db, f->a, &f->b_admin, f->acct,
	    &id), KW_OK);
	assert_int_equal(review_draft(f->db, f->a, &f->s_admin, f->acct,
	    &id2), KW_CONFLICT);
	assert_int_equal(id2, id);
	assert_int_equal(review_get(f->db, f->a, &f->s_member, f->acct, id,
	    &rv), KW_OK);
	assert_int_equal(rv.state, REVIEW_DRAFT);
	assert_int_equal(rv.opened_by, f->b_admin.id);
	assert_string_equal(rv.period_end, "2026-03-31");
	/* a draft of the running period cannot be signed */
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, id,
	    &msg), KW_CONFLICT);
	assert_non_null(msg);
	/* the job opens it when the period ends, and no second one */
	assert_int_equal(run_job(f, "2026-04-01").opened, 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM reviews"), 1);
	assert_int_equal(review_get(f->db, f->a, &f->s_member, f->acct, id,
	    &rv), KW_OK);
	assert_int_equal(rv.state, REVIEW_OPEN);
}

static void
test_review_sign_rules(void **state)
{
	struct fx *f = *state;
	struct review rv;
	long long id = q1_review(f);
	const char *msg;

	/* members and admins who do not own the side may not sign */
	assert_int_equal(review_sign(f->db, f->a, &f->b_member, f->acct, id,
	    &msg), KW_FORBIDDEN);
	assert_int_equal(review_sign(f->db, f->a, &f->x_admin, f->acct, id,
	    &msg), KW_NOTFOUND);
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, 999,
	    &msg), KW_NOTFOUND);
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, id,
	    &msg), KW_OK);
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, id,
	    &msg), KW_CONFLICT);
	assert_non_null(msg);
	assert_int_equal(review_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &rv), KW_OK);
	assert_int_equal(rv.state, REVIEW_OPEN);
	assert_int_equal(rv.signed_by[SIDE_BUYER], f->b_admin.id);
	assert_int_equal(rv.signed_by[SIDE_SUPPLIER], 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM review_scores"),
	    0);
	assert_int_equal(review_sign(f->db, f->a, &f->s_admin, f->acct, id,
	    &msg), KW_OK);
	assert_int_equal(review_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &rv), KW_OK);
	assert_int_equal(rv.state, REVIEW_FROZEN);
	assert_string_not_equal(rv.frozen_at, "");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM review_scores"),
	    2);
	assert_int_equal(review_sign(f->db, f->a, &f->s_admin, f->acct, id,
	    &msg), KW_CONFLICT);
	assert_string_equal(msg, "This review is signed by both sides and "
	    "frozen.");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'review' AND action IN ('sign', 'freeze')"), 3);
	/* nothing of a review is ever deleted */
	assert_int_not_equal(raw(f->db, "DELETE FROM review_scores"),
	    SQLITE_OK);
	assert_int_not_equal(raw(f->db, "DELETE FROM reviews"), SQLITE_OK);
}

static void
test_review_freeze_keeps_snapshot(void **state)
{
	struct fx *f = *state;
	struct scorecard sc[SIDE__MAX], live[SIDE__MAX];
	struct promise_new in = { "Ship the samples", NULL, "2026-03-20",
	    0, 0 };
	struct promise_input deliver = { "2026-03-19", "Shipped" };
	struct account acct;
	struct review rv;
	struct scorecard_point *pt;
	size_t n;
	long long pid, id;
	int changed;

	assert_int_equal(promise_create(f->db, f->a, &f->s_member, f->acct,
	    &in, &pid, NULL), KW_OK);
	fx_clock("2026-03-19");
	assert_int_equal(promise_act(f->db, f->a, &f->s_member, f->acct, pid,
	    PROMISE_DELIVER, &deliver, NULL), KW_OK);
	id = q1_review(f);
	fx_clock("2026-04-03");
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, id,
	    NULL), KW_OK);
	assert_int_equal(review_sign(f->db, f->a, &f->s_admin, f->acct, id,
	    NULL), KW_OK);
	assert_int_equal(account_get(f->db, f->a, f->b, f->acct, &acct),
	    KW_OK);
	assert_int_equal(review_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &rv), KW_OK);
	assert_int_equal(review_scores(f->db, f->a, &acct, &rv, sc, NULL,
	    &changed), KW_OK);
	assert_int_equal(changed, 0);
	assert_int_equal(sc[SIDE_SUPPLIER].promises.fallen_due, 1);
	assert_int_equal(sc[SIDE_SUPPLIER].promises.delivered, 1);
	assert_int_equal(sc[SIDE_SUPPLIER].promises.kept_on_time, 0);
	assert_int_equal(sc[SIDE_SUPPLIER].promises.integrity, 0);
	assert_int_equal(sc[SIDE_BUYER].promises.integrity, -1);
	/* the buyer confirms the delivery later: the snapshot stays */
	fx_clock("2026-04-05");
	assert_int_equal(promise_act(f->db, f->a, &f->b_member, f->acct, pid,
	    PROMISE_CONFIRM, &(struct promise_input){ NULL, NULL }, NULL),
	    KW_OK);
	assert_int_equal(review_scores(f->db, f->a, &acct, &rv, sc, live,
	    &changed), KW_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(live[SIDE_SUPPLIER].promises.kept_on_time, 1);
	assert_int_equal(sc[SIDE_SUPPLIER].promises.kept_on_time, 0);
	assert_int_equal(sc[SIDE_SUPPLIER].promises.delivered, 1);
	assert_int_equal(raw_int(f->db, "SELECT kept_on_time FROM "
	    "review_scores WHERE side = 'supplier'"), 0);
	/* the trend shows the frozen period as both signed it, though the
	 * ledger now counts the promise kept on time */
	assert_int_equal(scorecard_compute(f->db, f->a, &acct, SIDE_SUPPLIER,
	    "2026-01-01", "2026-03-31", "2026-04-05", &sc[0]), KW_OK);
	assert_int_equal(sc[0].promises.integrity, 100);
	assert_int_equal(fx_side_trend(f->db, f->a, &acct, SIDE_SUPPLIER, 2,
	    "2026-04-05", "2026-04-05", NULL, &pt, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(pt[0].from, "2026-01-01");
	assert_int_equal(pt[0].fallen_due, 1);
	assert_int_equal(pt[0].kept_on_time, 0);
	assert_int_equal(pt[0].integrity, 0);
	assert_string_equal(pt[1].from, "2026-04-01");
	assert_int_equal(pt[1].integrity, -1);
}

static void
test_review_actions_become_promises(void **state)
{
	struct fx *f = *state;
	struct review_action *list;
	struct promise_err err;
	size_t n;
	long long id = q1_review(f), pid;

	assert_int_equal(review_add_action(f->db, f->a, &f->s_member,
	    f->acct, id, "Weekly stock report", "2026-05-01", &pid, &err),
	    KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises "
	    "WHERE promisor_side = 'supplier' AND due_date = '2026-05-01'"),
	    1);
	assert_int_equal(review_add_action(f->db, f->a, &f->s_member,
	    f->acct, id, "", "2026-05-01", &pid, &err), KW_BADREQ);
	assert_non_null(err.field);
	assert_int_equal(review_add_action(f->db, f->a, &f->x_admin,
	    f->acct, id, "Nope", "2026-05-01", &pid, &err), KW_NOTFOUND);
	assert_int_equal(review_actions(f->db, f->a, id, &list, &n), KW_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].title, "Weekly stock report");
	assert_int_equal(list[0].side, SIDE_SUPPLIER);
	assert_string_equal(list[0].state, "open");
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, id,
	    NULL), KW_OK);
	assert_int_equal(review_sign(f->db, f->a, &f->s_admin, f->acct, id,
	    NULL), KW_OK);
	assert_int_equal(review_add_action(f->db, f->a, &f->s_member,
	    f->acct, id, "Late", "2026-05-01", &pid, &err), KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises"), 1);
}

/* The number of rows the query fmt (printf-style, ids as long long)
 * counts. */
#define COUNT(f, fmt, ...) \
	raw_int((f)->db, arena_xprintf((f)->a, "SELECT count(*) FROM " fmt, \
	    __VA_ARGS__))

static void
test_review_action_writes_promise_link_and_audit(void **state)
{
	struct fx *f = *state;
	struct promise_err err = { NULL, NULL };
	long long id = q1_review(f), pid = 0;

	assert_int_equal(review_add_action(f->db, f->a, &f->s_member,
	    f->acct, id, "Weekly stock report", "2026-05-01", &pid, &err),
	    KW_OK);
	assert_true(pid > 0);
	assert_int_equal(COUNT(f, "promises WHERE id = %lld AND "
	    "account_id = %lld AND promisor_side = 'supplier' AND "
	    "title = 'Weekly stock report' AND due_date = '2026-05-01'", pid,
	    f->acct), 1);
	assert_int_equal(COUNT(f, "review_actions WHERE review_id = %lld "
	    "AND promise_id = %lld", id, pid), 1);
	assert_int_equal(COUNT(f, "audit_events WHERE entity = 'promise' "
	    "AND entity_id = %lld AND action = 'create' AND "
	    "actor_user_id = %lld", pid, f->s_member.id), 1);
	assert_int_equal(COUNT(f, "audit_events WHERE entity = 'review' "
	    "AND entity_id = %lld AND action = 'action' AND "
	    "detail = 'promise %lld'", id, pid), 1);
	assert_int_equal(COUNT(f, "notifications WHERE entity = 'promise' "
	    "AND entity_id = %lld AND user_id = %lld", pid, f->b_admin.id),
	    1);
}

static void
test_review_action_failed_link_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct promise_err err = { NULL, NULL };
	long long id = q1_review(f), pid = 0, audits, notices;

	/* The promise's insert, audit and notice succeed; the link fails. */
	assert_int_equal(raw(f->db, "CREATE TRIGGER review_actions_fail "
	    "BEFORE INSERT ON review_actions BEGIN "
	    "SELECT RAISE(ABORT, 'link refused'); END"), SQLITE_OK);
	audits = raw_int(f->db, "SELECT count(*) FROM audit_events");
	notices = raw_int(f->db, "SELECT count(*) FROM notifications");
	assert_int_equal(review_add_action(f->db, f->a, &f->s_member,
	    f->acct, id, "Weekly stock report", "2026-05-01", &pid, &err),
	    KW_CONFLICT);
	assert_int_equal(pid, 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises"), 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM review_actions"),
	    0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events"),
	    audits);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications"),
	    notices);

	/* Nothing was left open: the next action goes through. */
	assert_int_equal(raw(f->db, "DROP TRIGGER review_actions_fail"),
	    SQLITE_OK);
	assert_int_equal(review_add_action(f->db, f->a, &f->s_member,
	    f->acct, id, "Weekly stock report", "2026-05-01", &pid, &err),
	    KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM review_actions"),
	    1);
}

static void
test_review_bad_input(void **state)
{
	struct fx *f = *state;
	struct review_report r = { 0, 0 };

	assert_int_equal(review_open_due(f->db, f->a, "2026-13-40", &r),
	    KW_BADREQ);
	assert_int_equal(review_remind(f->db, f->a, NULL, &r), KW_BADREQ);
	assert_string_equal(review_state_names[REVIEW_FROZEN], "frozen");
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_review_open_due_is_idempotent),
		T(test_review_reminders_are_idempotent),
		T(test_review_draft),
		T(test_review_sign_rules),
		T(test_review_freeze_keeps_snapshot),
		T(test_review_actions_become_promises),
		T(test_review_action_writes_promise_link_and_audit),
		T(test_review_action_failed_link_writes_nothing),
		T(test_review_bad_input),
	};
#undef T

	return cmocka_run_group_tests(tests, fx_group_setup,
	    fx_group_teardown);
}
