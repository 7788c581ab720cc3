/* test-promise.c: unit tests of promises: the state machine, figures, notices. */
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
#include "kw.h"
#include "org.h"
#include "promise.h"
#include "dbutil.h"

/* The first column of sql (a printf format) as an integer. */
static long long
q_int(struct fx *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static long long
q_int(struct fx *f, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return raw_int(f->db, sql);
}

/* The first column of sql (a printf format) as text. */
static const char *
q_text(struct fx *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static const char *
q_text(struct fx *f, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return raw_text(f->db, f->a, sql);
}

/* A promise by who (its side is the promisor) due on due; its id. */
static long long
make(struct fx *f, const struct user *who, const char *title,
    const char *due)
{
	struct promise_new in = { title, NULL, due, 0, 0 };
	struct promise_err err = { NULL, NULL };
	long long id = 0;

	assert_int_equal(promise_create(f->db, f->a, who, f->acct, &in, &id,
	    &err), KW_OK);
	assert_true(id > 0);
	return id;
}

/* Take act on promise id as who with date and text; assert OK. */
static void
act(struct fx *f, const struct user *who, long long id,
    enum promise_action a, const char *date, const char *text)
{
	struct promise_input in = { date, text };
	struct promise_err err = { NULL, NULL };

	assert_int_equal(promise_act(f->db, f->a, who, f->acct, id, a, &in,
	    &err), KW_OK);
}

/* Everything about promise id that an action could change, as text. */
static const char *
snapshot(struct fx *f, long long id)
{
	return q_text(f, "SELECT p.state || '|' || p.due_date || '|' || "
	    "coalesce(p.kept_on, '-') || '|' || coalesce(p.on_time, '-') || "
	    "'|' || coalesce(p.closed_at, '-') || '|' || "
	    "coalesce((SELECT group_concat(outcome || coalesce(reason, ''), "
	    "',') FROM promise_deliveries WHERE promise_id = p.id), '-') || "
	    "'|' || coalesce((SELECT group_concat(new_due || outcome, ',') "
	    "FROM promise_due_changes WHERE promise_id = p.id), '-') || '|' || "
	    "(SELECT count(*) FROM audit_events) || '|' || "
	    "(SELECT count(*) FROM notifications) "
	    "FROM promises p WHERE p.id = %lld", id);
}

/* ---- making promises --------------------------------------------------- */

static void
test_create_records_and_notifies_promisee(void **state)
{
	struct fx *f = *state;
	struct promise p;
	long long id;

	id = make(f, &f->s_member, "Ship 4000 trays", "2026-03-10");
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.promisor, SIDE_SUPPLIER);
	assert_int_equal(p.promisee, SIDE_BUYER);
	assert_int_equal(p.state, PROMISE_OPEN);
	assert_string_equal(p.due_date, "2026-03-10");
	assert_string_equal(p.original_due, "2026-03-10");
	assert_string_equal(p.created_by_name, "Sue Member");
	assert_int_equal(p.overdue, 0);
	assert_int_equal(p.on_time, -1);

	/* the buyer's users are told, the supplier's are not */
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications "
	    "WHERE kind = 'promise' AND entity = 'promise' AND entity_id = %lld "
	    "AND user_id IN (%lld, %lld)", id, f->b_admin.id, f->b_member.id),
	    2);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications "
	    "WHERE user_id IN (%lld, %lld)", f->s_admin.id, f->s_member.id), 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'promise' AND entity_id = %lld AND "
	    "action = 'create' AND actor_user_id = %lld AND account_id = %lld",
	    id, f->s_member.id, f->acct), 1);
}

static void
test_create_bad_input_names_the_field(void **state)
{
	struct fx *f = *state;
	struct promise_new in = { "", NULL, "2026-03-10", 0, 0 };
	struct promise_err err = { NULL, NULL };
	char long_title[202];
	long long before = raw_int(f->db, "SELECT count(*) FROM promises");

	assert_int_equal(promise_create(f->db, f->a, &f->b_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "title");
	assert_string_equal(err.msg, "Title is required.");

	memset(long_title, 'x', 201);
	long_title[201] = '\0';
	in.title = long_title;
	assert_int_equal(promise_create(f->db, f->a, &f->b_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "title");

	in.title = "Pay the March invoice";
	in.due_date = "2026-02-30";
	assert_int_equal(promise_create(f->db, f->a, &f->b_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "due_date");

	in.due_date = "2026-03-01";
	assert_int_equal(promise_create(f->db, f->a, &f->b_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "due_date");
	assert_string_equal(err.msg, "The due date cannot be in the past.");

	in.due_date = "2026-03-02";	/* today is fine */
	in.detail = "line\001";
	assert_int_equal(promise_create(f->db, f->a, &f->b_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "detail");

	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises"),
	    before);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'promise'"), 0);
}

static void
test_create_links_only_entries_of_the_account(void **state)
{
	struct fx *f = *state;
	struct promise_new in = { "Fix the labels", NULL, "2026-03-20", 0, 0 };
	struct promise_err err = { NULL, NULL };
	struct promise p;
	long long other, e_mine, e_other, c_mine, c_other, id;
	char sql[512];

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO expectations (account_id, "
	    "from_side, title, created_by, created_at) VALUES "
	    "(%lld, 'buyer', 'Labels readable', %lld, '" FX_NOW "'), "
	    "(%lld, 'buyer', 'Other account', %lld, '" FX_NOW "')",
	    f->acct, f->b_admin.id, other, f->b_admin.id);
	assert_int_equal(raw(f->db, sql), SQLITE_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO concerns (account_id, "
	    "raised_by_side, title, created_by, created_at) VALUES "
	    "(%lld, 'buyer', 'Labels smudge', %lld, '" FX_NOW "'), "
	    "(%lld, 'buyer', 'Other account', %lld, '" FX_NOW "')",
	    f->acct, f->b_admin.id, other, f->b_admin.id);
	assert_int_equal(raw(f->db, sql), SQLITE_OK);
	e_mine = q_int(f, "SELECT id FROM expectations WHERE account_id = "
	    "%lld", f->acct);
	e_other = q_int(f, "SELECT id FROM expectations WHERE account_id = "
	    "%lld", other);
	c_mine = q_int(f, "SELECT id FROM concerns WHERE account_id = %lld",
	    f->acct);
	c_other = q_int(f, "SELECT id FROM concerns WHERE account_id = %lld",
	    other);

	in.expectation_id = e_other;
	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "expectation_id");
	in.expectation_id = 99999;
	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "expectation_id");
	in.expectation_id = 0;
	in.concern_id = c_other;
	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &in, NULL, &err), KW_BADREQ);
	assert_string_equal(err.field, "concern_id");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM promises"), 0);

	in.expectation_id = e_mine;
	in.concern_id = c_mine;
	assert_int_equal(promise_create(f->db, f->a, &f->s_admin, f->acct,
	    &in, &id, &err), KW_OK);
	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.expectation_id, e_mine);
	assert_string_equal(p.expectation_title, "Labels readable");
	assert_int_equal(p.concern_id, c_mine);
	assert_string_equal(p.concern_title, "Labels smudge");
}

static void
test_non_party_sees_nothing(void **state)
{
	struct fx *f = *state;
	struct promise_new in = { "Anything", NULL, "2026-03-20", 0, 0 };
	struct promise_err err = { NULL, NULL };
	struct promise_query q = { .filter = PROMISE_FILTER__MAX,
	    .promisor = SIDE__MAX, .limit = 20,
	    .outcome = PROMISE_OUTCOME__MAX };
	struct promise p, *l;
	size_t n, total;
	long long id, other, oid;

	assert_int_equal(promise_create(f->db, f->a, &f->x_admin, f->acct,
	    &in, NULL, &err), KW_NOTFOUND);
	id = make(f, &f->b_admin, "Pay on time", "2026-03-20");
	assert_int_equal(promise_get(f->db, f->a, &f->x_admin, f->acct, id,
	    &p), KW_NOTFOUND);
	assert_int_equal(promise_list(f->db, f->a, &f->x_admin, f->acct, &q,
	    &l, &n, &total), KW_NOTFOUND);
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, 99999,
	    &p), KW_NOTFOUND);

	/* a promise of another account is not found through this one */
	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	assert_int_equal(promise_create(f->db, f->a, &f->x_admin, other, &in,
	    &oid, &err), KW_OK);
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, oid,
	    &p), KW_NOTFOUND);
	assert_int_equal(promise_act(f->db, f->a, &f->b_admin, f->acct, oid,
	    PROMISE_CONFIRM, NULL, &err), KW_NOTFOUND);
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, other, oid,
	    &p), KW_OK);
}

/* ---- the state machine, as a table ------------------------------------ */

/* The states a promise can be in, with and without a proposed due date. */
enum setup {
	S_OPEN, S_OPEN_PROPOSAL, S_DELIVERED, S_DELIVERED_PROPOSAL,
	S_DISPUTED, S_DISPUTED_PROPOSAL, S_KEPT, S_BROKEN, S__MAX
};

static const char *const setup_names[S__MAX] = {
	"open", "open+proposal", "delivered", "delivered+proposal",
	"disputed", "disputed+proposal", "kept", "broken",
};

/* A supplier promise due 2026-03-20, brought into setup s. */
static long long
make_in(struct fx *f, enum setup s)
{
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-20");
	int proposal = s == S_OPEN_PROPOSAL || s == S_DELIVERED_PROPOSAL ||
	    s == S_DISPUTED_PROPOSAL;

	if (proposal && s != S_DISPUTED_PROPOSAL)
		act(f, &f->s_admin, id, PROMISE_RENEGOTIATE, "2026-03-25",
		    "a strike at the port");
	if (s == S_DELIVERED || s == S_DELIVERED_PROPOSAL ||
	    s == S_DISPUTED || s == S_DISPUTED_PROPOSAL || s == S_KEPT)
		act(f, &f->s_admin, id, PROMISE_DELIVER, "2026-03-02",
		    "all 4000 trays");
	if (s == S_DISPUTED || s == S_DISPUTED_PROPOSAL)
		act(f, &f->b_admin, id, PROMISE_DISPUTE, NULL,
		    "only 3000 arrived");
	if (s == S_DISPUTED_PROPOSAL)
		act(f, &f->s_admin, id, PROMISE_RENEGOTIATE, "2026-03-25",
		    "the rest comes by sea");
	if (s == S_KEPT)
		act(f, &f->b_admin, id, PROMISE_CONFIRM, NULL, NULL);
	if (s == S_BROKEN)
		act(f, &f->s_admin, id, PROMISE_BREAK, NULL, "plant closed");
	return id;
}

/* Which actions each setup allows (to the right side): 1 = KW_OK. */
static const int allowed[S__MAX][PROMISE_ACTION__MAX] = {
	/*		 deliver confirm dispute reneg accept decline break */
	[S_OPEN] =		{ 1, 0, 0, 1, 0, 0, 1 },
	[S_OPEN_PROPOSAL] =	{ 1, 0, 0, 0, 1, 1, 1 },
	[S_DELIVERED] =		{ 0, 1, 1, 0, 0, 0, 0 },
	[S_DELIVERED_PROPOSAL] = { 0, 1, 1, 0, 1, 1, 0 },
	[S_DISPUTED] =		{ 1, 0, 0, 1, 0, 0, 1 },
	[S_DISPUTED_PROPOSAL] =	{ 1, 0, 0, 0, 1, 1, 1 },
	[S_KEPT] =		{ 0, 0, 0, 0, 0, 0, 0 },
	[S_BROKEN] =		{ 0, 0, 0, 0, 0, 0, 0 },
};

/* 1 if the promisor takes the action, 0 if the promisee does. */
static const int by_promisor[PROMISE_ACTION__MAX] = { 1, 0, 0, 1, 0, 0, 1 };

/* The state after a successful action (-1: unchanged). */
static const int state_after[PROMISE_ACTION__MAX] = {
	PROMISE_DELIVERED, PROMISE_KEPT, PROMISE_DISPUTED, -1, -1, -1,
	PROMISE_BROKEN,
};

static void
test_transition_table(void **state)
{
	struct fx *f = *state;
	struct promise_err err;
	struct promise before, after;
	struct promise_input in;
	const struct user *who;
	const char *snap;
	enum kw_status want, got, checked;
	int s, a, promisor, cases = 0;
	long long id;

	for (s = 0; s < S__MAX; s++)
	for (a = 0; a < PROMISE_ACTION__MAX; a++)
	for (promisor = 0; promisor < 2; promisor++) {
		id = make_in(f, (enum setup)s);
		assert_int_equal(promise_get(f->db, f->a, &f->b_admin,
		    f->acct, id, &before), KW_OK);
		/* the users acting are members: any user of a side counts */
		who = promisor ? &f->s_member : &f->b_member;
		if (promisor != by_promisor[a])
			want = KW_FORBIDDEN;
		else
			want = allowed[s][a] ? KW_OK : KW_CONFLICT;
		in.date = a == PROMISE_RENEGOTIATE ? "2026-03-28" :
		    "2026-03-02";
		in.text = "because";
		snap = snapshot(f, id);

		memset(&err, 0, sizeof(err));
		checked = promise_check(f->db, f->a, who, f->acct, id, a,
		    &err);
		memset(&err, 0, sizeof(err));
		got = promise_act(f->db, f->a, who, f->acct, id, a, &in, &err);
		if (got != want || checked != want)
			fail_msg("%s, %s by the %s: got %s (check %s), want "
			    "%s", setup_names[s], promise_action_names[a],
			    promisor ? "promisor" : "promisee",
			    kw_status_str(got), kw_status_str(checked),
			    kw_status_str(want));
		/* the pages' promise_may() agrees with the core */
		assert_int_equal(promise_may(&before, promisor ?
		    SIDE_SUPPLIER : SIDE_BUYER, a), want == KW_OK);
		assert_int_equal(promise_get(f->db, f->a, &f->b_admin,
		    f->acct, id, &after), KW_OK);
		if (want != KW_OK) {
			/* refused: a reason, and nothing changed at all */
			assert_non_null(err.msg);
			assert_null(err.field);
			assert_string_equal(snapshot(f, id), snap);
		} else {
			assert_int_equal(after.state, state_after[a] < 0 ?
			    (int)before.state : state_after[a]);
			assert_int_equal(q_int(f, "SELECT count(*) FROM "
			    "audit_events WHERE entity = 'promise' AND "
			    "entity_id = %lld AND action = '%s' AND "
			    "actor_user_id = %lld", id,
			    promise_action_names[a], who->id), 1);
		}
		cases++;
	}
	assert_int_equal(cases, S__MAX * PROMISE_ACTION__MAX * 2);

	/* a non-party gets 404 for every action */
	id = make_in(f, S_OPEN);
	for (a = 0; a < PROMISE_ACTION__MAX; a++)
		assert_int_equal(promise_act(f->db, f->a, &f->x_admin,
		    f->acct, id, a, &in, NULL), KW_NOTFOUND);
}

/* ---- each action's effect ---------------------------------------------- */

static void
test_deliver_and_confirm_on_time(void **state)
{
	struct fx *f = *state;
	struct promise p;
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-02");

	act(f, &f->s_admin, id, PROMISE_DELIVER, "2026-03-02", "4000 trays");
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'delivery' AND entity_id = %lld AND user_id IN "
	    "(%lld, %lld)", id, f->b_admin.id, f->b_member.id), 2);
	assert_string_equal(q_text(f, "SELECT outcome || note FROM "
	    "promise_deliveries WHERE promise_id = %lld", id),
	    "pending4000 trays");

	act(f, &f->b_member, id, PROMISE_CONFIRM, NULL, NULL);
	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.state, PROMISE_KEPT);
	assert_string_equal(p.kept_on, "2026-03-02");
	assert_int_equal(p.on_time, 1);
	assert_string_equal(p.closed_at, FX_NOW);
	assert_string_equal(q_text(f, "SELECT outcome || '|' || decided_by "
	    "FROM promise_deliveries WHERE promise_id = %lld", id),
	    q_text(f, "SELECT 'confirmed|' || %lld", f->b_member.id));
}

static void
test_confirm_late_delivery(void **state)
{
	struct fx *f = *state;
	struct promise p;
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-03");

	fx_clock("2026-03-06");
	act(f, &f->s_admin, id, PROMISE_DELIVER, "2026-03-05", "late trays");
	act(f, &f->b_admin, id, PROMISE_CONFIRM, NULL, NULL);
	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.state, PROMISE_KEPT);
	assert_string_equal(p.kept_on, "2026-03-05");
	assert_int_equal(p.on_time, 0);
	assert_int_equal(p.overdue, 0);
}

static void
test_deliver_rejects_future_date(void **state)
{
	struct fx *f = *state;
	struct promise_input in = { "2026-03-03", "tomorrow's trays" };
	struct promise_err err = { NULL, NULL };
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-10");
	const char *snap = snapshot(f, id);

	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, id,
	    PROMISE_DELIVER, &in, &err), KW_BADREQ);
	assert_string_equal(err.field, "delivered_on");
	in.date = "2026-03-02";
	in.text = "";
	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, id,
	    PROMISE_DELIVER, &in, &err), KW_BADREQ);
	assert_string_equal(err.field, "note");
	assert_string_equal(snapshot(f, id), snap);
}

static void
test_dispute_then_redeliver(void **state)
{
	struct fx *f = *state;
	struct promise_input in = { NULL, "" };
	struct promise_err err = { NULL, NULL };
	struct promise p;
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-10");

	act(f, &f->s_admin, id, PROMISE_DELIVER, "2026-03-01", "first lot");
	/* a dispute needs a reason */
	assert_int_equal(promise_act(f->db, f->a, &f->b_admin, f->acct, id,
	    PROMISE_DISPUTE, &in, &err), KW_BADREQ);
	assert_string_equal(err.field, "dispute_reason");
	act(f, &f->b_admin, id, PROMISE_DISPUTE, NULL, "3000, not 4000");
	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.state, PROMISE_DISPUTED);
	assert_int_equal(p.delivery_id, 0);
	assert_string_equal(q_text(f, "SELECT outcome || '|' || reason FROM "
	    "promise_deliveries WHERE promise_id = %lld", id),
	    "disputed|3000, not 4000");
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'dispute' AND entity_id = %lld AND user_id IN "
	    "(%lld, %lld)", id, f->s_admin.id, f->s_member.id), 2);

	act(f, &f->s_member, id, PROMISE_DELIVER, "2026-03-02", "the rest");
	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.state, PROMISE_DELIVERED);
	assert_string_equal(q_text(f, "SELECT group_concat(outcome, ',') FROM "
	    "(SELECT outcome FROM promise_deliveries WHERE promise_id = %lld "
	    "ORDER BY id)", id), "disputed,pending");
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'delivery' AND entity_id = %lld AND user_id = %lld", id,
	    f->b_admin.id), 2);
}

static void
test_renegotiation_keeps_history(void **state)
{
	struct fx *f = *state;
	struct promise_delivery *dl;
	struct promise_due_change *dc;
	struct promise p;
	size_t nd, nc;
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-10");

	act(f, &f->s_admin, id, PROMISE_RENEGOTIATE, "2026-03-20", "strike");
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'due-change' AND entity_id = %lld AND user_id IN "
	    "(%lld, %lld)", id, f->b_admin.id, f->b_member.id), 2);
	act(f, &f->b_admin, id, PROMISE_ACCEPT_DUE, NULL, NULL);
	act(f, &f->s_admin, id, PROMISE_RENEGOTIATE, "2026-03-30", "again");
	act(f, &f->b_member, id, PROMISE_DECLINE_DUE, NULL, NULL);

	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_string_equal(p.due_date, "2026-03-20");
	assert_string_equal(p.original_due, "2026-03-10");
	assert_int_equal(p.renegotiated, 1);
	assert_int_equal(p.change_id, 0);
	assert_int_equal(promise_history(f->db, f->a, id, &dl, &nd, &dc, &nc),
	    KW_OK);
	assert_int_equal(nd, 0);
	assert_int_equal(nc, 2);
	assert_string_equal(dc[0].old_due, "2026-03-10");
	assert_string_equal(dc[0].new_due, "2026-03-20");
	assert_string_equal(dc[0].outcome, "accepted");
	assert_string_equal(dc[0].decided_by_name, "Bea Admin");
	assert_string_equal(dc[1].old_due, "2026-03-20");
	assert_string_equal(dc[1].outcome, "declined");
	assert_string_equal(dc[1].reason, "again");
	/* the promisor hears both answers */
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'due-change' AND entity_id = %lld AND user_id = %lld", id,
	    f->s_admin.id), 2);
}

static void
test_renegotiation_bad_dates(void **state)
{
	struct fx *f = *state;
	struct promise_input in = { "2026-03-01", "too late already" };
	struct promise_err err = { NULL, NULL };
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-10");
	const char *snap = snapshot(f, id);

	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, id,
	    PROMISE_RENEGOTIATE, &in, &err), KW_BADREQ);
	assert_string_equal(err.field, "new_due");
	assert_string_equal(err.msg, "The new due date cannot be in the past.");
	in.date = "2026-03-10";
	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, id,
	    PROMISE_RENEGOTIATE, &in, &err), KW_BADREQ);
	assert_string_equal(err.msg, "That is already the due date.");
	in.date = "2026-03-11";
	in.text = NULL;
	assert_int_equal(promise_act(f->db, f->a, &f->s_admin, f->acct, id,
	    PROMISE_RENEGOTIATE, &in, &err), KW_BADREQ);
	assert_string_equal(err.field, "due_reason");
	assert_string_equal(snapshot(f, id), snap);
}

static void
test_closing_lets_a_proposal_lapse(void **state)
{
	struct fx *f = *state;
	struct promise p;
	long long kept = make_in(f, S_DELIVERED_PROPOSAL);
	long long broken = make_in(f, S_OPEN_PROPOSAL);

	act(f, &f->b_admin, kept, PROMISE_CONFIRM, NULL, NULL);
	act(f, &f->s_admin, broken, PROMISE_BREAK, NULL, "plant closed");
	assert_string_equal(q_text(f, "SELECT outcome || '|' || "
	    "coalesce(decided_by, 'none') FROM promise_due_changes WHERE "
	    "promise_id = %lld", kept), "lapsed|none");
	assert_string_equal(q_text(f, "SELECT outcome FROM "
	    "promise_due_changes WHERE promise_id = %lld", broken), "lapsed");
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, broken,
	    &p), KW_OK);
	assert_int_equal(p.state, PROMISE_BROKEN);
	assert_string_equal(p.broken_reason, "plant closed");
	assert_string_equal(p.broken_by_name, "Sam Admin");
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'promise' AND entity_id = %lld AND user_id = %lld", broken,
	    f->b_admin.id), 2);
}

static void
test_accepting_a_later_date_makes_a_delivery_on_time(void **state)
{
	struct fx *f = *state;
	struct promise p;
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-03");

	act(f, &f->s_admin, id, PROMISE_RENEGOTIATE, "2026-03-09", "strike");
	fx_clock("2026-03-08");
	act(f, &f->s_admin, id, PROMISE_DELIVER, "2026-03-07", "trays");
	act(f, &f->b_admin, id, PROMISE_ACCEPT_DUE, NULL, NULL);
	act(f, &f->b_admin, id, PROMISE_CONFIRM, NULL, NULL);
	assert_int_equal(promise_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.on_time, 1);
	assert_string_equal(p.due_date, "2026-03-09");
}

/* ---- reading: overdue, lists, figures, integrity ----------------------- */

static void
test_overdue_is_derived_from_the_clock(void **state)
{
	struct fx *f = *state;
	struct promise_query q = { .filter = PROMISE_FILTER_OVERDUE,
	    .promisor = SIDE__MAX, .limit = 20,
	    .outcome = PROMISE_OUTCOME__MAX };
	struct promise_figures fig;
	struct promise p, *l;
	size_t n, total;
	long long id = make(f, &f->s_admin, "Ship trays", "2026-03-03");

	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.overdue, 0);
	fx_clock("2026-03-03");
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.overdue, 0);	/* due today is not overdue */
	fx_clock("2026-03-04");
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.overdue, 1);
	assert_string_equal(q_text(f, "SELECT state FROM promises WHERE id = "
	    "%lld", id), "open");
	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(l[0].id, id);
	assert_int_equal(l[0].overdue, 1);
	assert_int_equal(promise_figures(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-03-04", &fig), KW_OK);
	assert_int_equal(fig.open, 1);
	assert_int_equal(fig.overdue, 1);

	/* delivered is no longer overdue, even past the date */
	act(f, &f->s_admin, id, PROMISE_DELIVER, "2026-03-04", "trays");
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.overdue, 0);
	/* disputed past the date is overdue again */
	act(f, &f->b_admin, id, PROMISE_DISPUTE, NULL, "wrong size");
	assert_int_equal(promise_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &p), KW_OK);
	assert_int_equal(p.overdue, 1);
}

static void
test_list_filters_and_pages(void **state)
{
	struct fx *f = *state;
	struct promise_query q = { .filter = PROMISE_FILTER__MAX,
	    .promisor = SIDE__MAX, .limit = 3,
	    .outcome = PROMISE_OUTCOME__MAX };
	struct promise *l;
	size_t n, total;
	char title[32];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(title, sizeof(title), "Supplier promise %d", i);
		make(f, &f->s_admin, title, i % 2 ? "2026-03-11" :
		    "2026-03-10");
	}
	make(f, &f->b_admin, "Buyer promise", "2026-03-05");
	make_in(f, S_KEPT);

	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 7);
	assert_int_equal(n, 3);
	/* outstanding first, by due date */
	assert_string_equal(l[0].title, "Buyer promise");
	assert_string_equal(l[0].due_date, "2026-03-05");
	q.offset = 6;
	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].state, PROMISE_KEPT);	/* closed last */

	q.offset = 0;
	q.limit = 20;
	q.promisor = SIDE_BUYER;
	assert_int_equal(promise_list(f->db, f->a, &f->s_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(l[0].promisor, SIDE_BUYER);
	q.promisor = SIDE_SUPPLIER;
	q.filter = PROMISE_FILTER_KEPT;
	assert_int_equal(promise_list(f->db, f->a, &f->s_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	q.filter = PROMISE_FILTER_OPEN;
	assert_int_equal(promise_list(f->db, f->a, &f->s_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 5);
	q.filter = PROMISE_FILTER_BROKEN;
	assert_int_equal(promise_list(f->db, f->a, &f->s_admin, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);

	q.limit = 0;
	assert_int_equal(promise_list(f->db, f->a, &f->s_admin, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
}

/* The number of promises b_admin sees with q. */
static size_t
listed(struct fx *f, const struct promise_query *q)
{
	struct promise *l;
	size_t n, total;

	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, q,
	    &l, &n, &total), KW_OK);
	return total;
}

static void
test_list_due_range_and_outcome(void **state)
{
	struct fx *f = *state;
	const struct user *s = &f->s_admin, *b = &f->b_admin;
	struct promise_query q = { .filter = PROMISE_FILTER__MAX,
	    .promisor = SIDE_SUPPLIER, .limit = 20, .due_from = "2026-03-01",
	    .due_to = "2026-03-31", .outcome = PROMISE_OUTCOME__MAX };
	/* the supplier's promises due in March, by outcome on 04-05 */
	static const size_t want[PROMISE_OUTCOME__MAX] = {
		[PROMISE_OUTCOME_ON_TIME] = 1,		/* on_time */
		[PROMISE_OUTCOME_LATE] = 1,		/* late */
		[PROMISE_OUTCOME_BROKEN] = 1,		/* last */
		[PROMISE_OUTCOME_DELIVERED] = 1,	/* waiting */
		[PROMISE_OUTCOME_OVERDUE] = 2,		/* moved, disputed */
		[PROMISE_OUTCOME_DISPUTED] = 1,		/* disputed */
		[PROMISE_OUTCOME_RENEGOTIATED] = 1,	/* moved */
	};
	struct promise *l;
	size_t n, total;
	long long on_time, late, moved, waiting, disputed, last, early;
	int i;

	on_time = make(f, s, "On time", "2026-03-05");
	late = make(f, s, "Late", "2026-03-10");
	moved = make(f, s, "Moved", "2026-03-20");
	disputed = make(f, s, "Disputed", "2026-03-15");
	waiting = make(f, s, "Waiting", "2026-03-30");
	last = make(f, s, "Last day", "2026-03-31");
	make(f, s, "April's", "2026-04-01");
	early = make(f, s, "Kept early", "2026-04-20");
	make(f, b, "The buyer's", "2026-03-10");
	act(f, s, on_time, PROMISE_DELIVER, "2026-03-02", "done");
	act(f, b, on_time, PROMISE_CONFIRM, NULL, NULL);
	act(f, s, early, PROMISE_DELIVER, "2026-03-02", "done");
	act(f, b, early, PROMISE_CONFIRM, NULL, NULL);
	act(f, s, moved, PROMISE_RENEGOTIATE, "2026-03-25", "no film");
	act(f, b, moved, PROMISE_ACCEPT_DUE, NULL, NULL);
	fx_clock("2026-03-12");
	act(f, s, late, PROMISE_DELIVER, "2026-03-12", "done");
	act(f, b, late, PROMISE_CONFIRM, NULL, NULL);
	act(f, s, disputed, PROMISE_DELIVER, "2026-03-12", "half");
	act(f, b, disputed, PROMISE_DISPUTE, NULL, "half of it");
	act(f, s, last, PROMISE_BREAK, NULL, "no stock");
	fx_clock("2026-03-30");
	act(f, s, waiting, PROMISE_DELIVER, "2026-03-30", "done");
	fx_clock("2026-04-05");

	assert_int_equal(listed(f, &q), 6);
	for (i = 0; i < PROMISE_OUTCOME__MAX; i++) {
		q.outcome = (enum promise_outcome)i;
		if (listed(f, &q) != want[i])
			fail_msg("%s: %zu listed, want %zu",
			    promise_outcome_names[i], listed(f, &q), want[i]);
	}
	q.outcome = PROMISE_OUTCOME_RENEGOTIATED;
	assert_int_equal(promise_list(f->db, f->a, &f->s_member, f->acct, &q,
	    &l, &n, &total), KW_OK);
	assert_int_equal(l[0].id, moved);
	assert_string_equal(l[0].due_date, "2026-03-25");

	/* an outcome of those that fell due: not yet one due on 04-20 */
	q.outcome = PROMISE_OUTCOME_ON_TIME;
	q.due_from = q.due_to = NULL;
	assert_int_equal(listed(f, &q), 1);
	fx_clock("2026-04-21");
	assert_int_equal(listed(f, &q), 2);
	fx_clock("2026-04-05");
	q.due_from = "2026-03-01";
	q.due_to = "2026-03-31";

	/* the days are inclusive; either end may stay open */
	q.outcome = PROMISE_OUTCOME__MAX;
	q.due_to = "2026-03-04";
	assert_int_equal(listed(f, &q), 0);
	q.due_from = q.due_to = "2026-03-05";
	assert_int_equal(listed(f, &q), 1);
	q.due_from = NULL;
	q.due_to = "2026-03-10";
	assert_int_equal(listed(f, &q), 2);
	q.due_from = "2026-03-25";
	q.due_to = NULL;
	assert_int_equal(listed(f, &q), 5);
	/* with the other filters */
	q.promisor = SIDE__MAX;
	q.due_from = "2026-03-10";
	q.due_to = "2026-03-10";
	assert_int_equal(listed(f, &q), 2);
	q.filter = PROMISE_FILTER_KEPT;
	q.outcome = PROMISE_OUTCOME_LATE;
	assert_int_equal(listed(f, &q), 1);
	q.filter = PROMISE_FILTER_OPEN;
	assert_int_equal(listed(f, &q), 0);

	/* bad queries */
	q.filter = PROMISE_FILTER__MAX;
	q.due_from = "2026-03-11";
	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.due_from = "2026-02-30";
	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.due_from = NULL;
	q.outcome = (enum promise_outcome)(PROMISE_OUTCOME__MAX + 1);
	assert_int_equal(promise_list(f->db, f->a, &f->b_admin, f->acct, &q,
	    &l, &n, &total), KW_BADREQ);
	q.outcome = PROMISE_OUTCOME__MAX;
	assert_int_equal(promise_list(f->db, f->a, &f->x_admin, f->acct, &q,
	    &l, &n, &total), KW_NOTFOUND);
}

static void
test_due_by_is_the_day_before_today_while_running(void **state)
{
	char last[11];

	(void)state;
	assert_int_equal(promise_due_by("2026-03-31", "2026-04-01", last), 0);
	assert_string_equal(last, "2026-03-31");
	assert_int_equal(promise_due_by("2026-03-31", "2026-03-31", last), 0);
	assert_string_equal(last, "2026-03-30");
	assert_int_equal(promise_due_by("2026-03-31", "2026-03-01", last), 0);
	assert_string_equal(last, "2026-02-28");
	assert_int_equal(promise_due_by("2026-03-31", "today", last), -1);
}

static void
test_integrity_counts_confirmed_deliveries_only(void **state)
{
	struct fx *f = *state;
	struct promise_stats s;
	struct promise_figures fig;
	long long on_time, late, broken, overdue, disputed, reneg, claimed;

	/* all made on 2026-03-02, falling due in March */
	on_time = make(f, &f->s_admin, "On time", "2026-03-04");
	late = make(f, &f->s_admin, "Late", "2026-03-04");
	broken = make(f, &f->s_admin, "Broken", "2026-03-05");
	overdue = make(f, &f->s_admin, "Overdue", "2026-03-05");
	disputed = make(f, &f->s_admin, "Disputed", "2026-03-06");
	reneg = make(f, &f->s_admin, "Renegotiated", "2026-03-03");
	claimed = make(f, &f->s_admin, "Claimed only", "2026-03-06");
	make(f, &f->s_admin, "Due later", "2026-03-20");
	make(f, &f->s_admin, "Next month", "2026-04-02");
	make(f, &f->b_admin, "The buyer's", "2026-03-04");

	act(f, &f->s_admin, on_time, PROMISE_DELIVER, "2026-03-02", "done");
	act(f, &f->b_admin, on_time, PROMISE_CONFIRM, NULL, NULL);
	act(f, &f->s_admin, reneg, PROMISE_RENEGOTIATE, "2026-03-06", "fog");
	act(f, &f->b_admin, reneg, PROMISE_ACCEPT_DUE, NULL, NULL);
	act(f, &f->s_admin, broken, PROMISE_BREAK, NULL, "no stock");
	fx_clock("2026-03-06");
	act(f, &f->s_admin, late, PROMISE_DELIVER, "2026-03-05", "done");
	act(f, &f->b_admin, late, PROMISE_CONFIRM, NULL, NULL);
	act(f, &f->s_admin, reneg, PROMISE_DELIVER, "2026-03-06", "done");
	act(f, &f->b_admin, reneg, PROMISE_CONFIRM, NULL, NULL);
	act(f, &f->s_admin, disputed, PROMISE_DELIVER, "2026-03-06", "done");
	act(f, &f->b_admin, disputed, PROMISE_DISPUTE, NULL, "not done");
	act(f, &f->s_admin, claimed, PROMISE_DELIVER, "2026-03-06", "done");
	(void)overdue;

	/* March, seen on 2026-03-10: fallen due are those due before then */
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-03-01", "2026-03-31", "2026-03-10", &s), KW_OK);
	assert_int_equal(s.fallen_due, 7);
	assert_int_equal(s.kept_on_time, 2);	/* on time + renegotiated */
	assert_int_equal(s.kept_late, 1);
	assert_int_equal(s.broken, 1);
	assert_int_equal(s.delivered, 1);	/* claimed, not confirmed */
	assert_int_equal(s.still_overdue, 2);	/* overdue + disputed */
	assert_int_equal(s.disputed, 1);
	assert_int_equal(s.renegotiated, 1);
	assert_int_equal(s.integrity, 28);	/* 2 / 7 */

	/* seen on 2026-03-06: only what was due by 03-05 has fallen due */
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-03-01", "2026-03-31", "2026-03-06", &s), KW_OK);
	assert_int_equal(s.fallen_due, 4);
	/* a period that has ended counts up to its last day */
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-03-01", "2026-03-04", "2026-04-30", &s), KW_OK);
	assert_int_equal(s.fallen_due, 2);
	assert_int_equal(s.integrity, 50);
	/* the buyer's own promise, nothing kept */
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_BUYER,
	    "2026-03-01", "2026-03-31", "2026-03-10", &s), KW_OK);
	assert_int_equal(s.fallen_due, 1);
	assert_int_equal(s.still_overdue, 1);
	assert_int_equal(s.integrity, 0);
	/* a period before anything fell due */
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-01-01", "2026-02-28", "2026-03-10", &s), KW_OK);
	assert_int_equal(s.fallen_due, 0);
	assert_int_equal(s.integrity, -1);

	assert_int_equal(promise_figures(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-03-10", &fig), KW_OK);
	assert_int_equal(fig.open, 3);	/* overdue, due later, next month */
	assert_int_equal(fig.delivered, 1);
	assert_int_equal(fig.disputed, 1);
	assert_int_equal(fig.overdue, 2);

	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_SUPPLIER,
	    "2026-03-31", "2026-03-01", "2026-03-10", &s), KW_BADREQ);
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE__MAX,
	    "2026-03-01", "2026-03-31", "2026-03-10", &s), KW_BADREQ);
	assert_int_equal(promise_integrity(f->db, f->acct, SIDE_BUYER,
	    "2026-03-01", "March", "2026-03-10", &s), KW_BADREQ);
	assert_int_equal(promise_figures(f->db, f->acct, SIDE_BUYER,
	    "today", &fig), KW_BADREQ);
}

/* ---- due-soon and overdue notices -------------------------------------- */

static void
test_notify_due_is_lazy_and_idempotent(void **state)
{
	struct fx *f = *state;
	long long soon, later, overdue, buyers, kept;
	long long total;

	/* made on 2026-03-02, looked at on 2026-03-03 */
	soon = make(f, &f->s_admin, "Soon", "2026-03-10");	/* 7 days */
	later = make(f, &f->s_admin, "Later", "2026-03-11");	/* 8 days */
	overdue = make(f, &f->s_admin, "Overdue", "2026-03-02");
	buyers = make(f, &f->b_admin, "Buyer's", "2026-03-04");
	kept = make(f, &f->s_admin, "Kept", "2026-03-03");
	act(f, &f->s_admin, kept, PROMISE_DELIVER, "2026-03-02", "done");
	act(f, &f->b_admin, kept, PROMISE_CONFIRM, NULL, NULL);
	fx_clock("2026-03-03");

	total = raw_int(f->db, "SELECT count(*) FROM notifications");
	/* any viewer of the account makes the notices for the promisors */
	assert_int_equal(promise_notify_due(f->db, &f->b_member), KW_OK);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'due-soon' AND key = 'due-soon:promise:%lld:2026-03-10' "
	    "AND user_id IN (%lld, %lld)", soon, f->s_admin.id,
	    f->s_member.id), 2);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'overdue' AND key = 'overdue:promise:%lld:2026-03-02' "
	    "AND user_id IN (%lld, %lld)", overdue, f->s_admin.id,
	    f->s_member.id), 2);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'due-soon' AND entity_id = %lld AND user_id IN "
	    "(%lld, %lld)", buyers, f->b_admin.id, f->b_member.id), 2);
	/* never to the promisee, never for later or closed promises */
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind IN ('due-soon', 'overdue') AND entity_id = %lld", later), 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind IN ('due-soon', 'overdue') AND entity_id = %lld", kept), 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind IN ('due-soon', 'overdue') AND entity_id = %lld AND "
	    "user_id IN (%lld, %lld)", soon, f->b_admin.id, f->b_member.id), 0);
	total = raw_int(f->db, "SELECT count(*) FROM notifications") - total;
	assert_int_equal(total, 6);

	/* a second call adds nothing */
	total = raw_int(f->db, "SELECT count(*) FROM notifications");
	assert_int_equal(promise_notify_due(f->db, &f->s_admin), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications"),
	    total);

	/* a day later, the buyer's promise is overdue: one more notice each */
	fx_clock("2026-03-05");
	assert_int_equal(promise_notify_due(f->db, &f->s_member), KW_OK);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'overdue' AND entity_id = %lld", buyers), 2);

	/* a renegotiated due date gets its own notice */
	act(f, &f->s_admin, overdue, PROMISE_RENEGOTIATE, "2026-03-06", "fog");
	act(f, &f->b_admin, overdue, PROMISE_ACCEPT_DUE, NULL, NULL);
	assert_int_equal(promise_notify_due(f->db, &f->b_admin), KW_OK);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "key = 'due-soon:promise:%lld:2026-03-06'", overdue), 2);

	/* another org's viewer touches nothing of this account */
	total = raw_int(f->db, "SELECT count(*) FROM notifications");
	fx_clock("2026-03-20");
	assert_int_equal(promise_notify_due(f->db, &f->x_admin), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications"),
	    total);
}

static void
test_name_tables_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < PROMISE_STATE__MAX; i++)
		assert_non_null(promise_state_names[i]);
	assert_null(promise_state_names[PROMISE_STATE__MAX]);
	for (i = 0; i < PROMISE_ACTION__MAX; i++)
		assert_non_null(promise_action_names[i]);
	assert_null(promise_action_names[PROMISE_ACTION__MAX]);
	for (i = 0; i < PROMISE_FILTER__MAX; i++)
		assert_non_null(promise_filter_names[i]);
	assert_null(promise_filter_names[PROMISE_FILTER__MAX]);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_records_and_notifies_promisee),
		T(test_create_bad_input_names_the_field),
		T(test_create_links_only_entries_of_the_account),
		T(test_non_party_sees_nothing),
		T(test_transition_table),
		T(test_deliver_and_confirm_on_time),
		T(test_confirm_late_delivery),
		T(test_deliver_rejects_future_date),
		T(test_dispute_then_redeliver),
		T(test_renegotiation_keeps_history),
		T(test_renegotiation_bad_dates),
		T(test_closing_lets_a_proposal_lapse),
		T(test_accepting_a_later_date_makes_a_delivery_on_time),
		T(test_overdue_is_derived_from_the_clock),
		T(test_list_filters_and_pages),
		T(test_list_due_range_and_outcome),
		T(test_due_by_is_the_day_before_today_while_running),
		T(test_integrity_counts_confirmed_deliveries_only),
		T(test_notify_due_is_lazy_and_idempotent),
		cmocka_unit_test(test_name_tables_complete),
	};

	kw_log_init("test-promise");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
