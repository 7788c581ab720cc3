/* test-concern.c: unit tests of concerns: raising, the state machine, lists. */
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
#include "concern.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "dbutil.h"

/* Who acts on a concern: its raising side, the other side, an outsider. */
enum who { WHO_RAISER, WHO_OTHER, WHO_STRANGER, WHO__MAX };

static const char *const who_names[WHO__MAX] = {
	"raiser", "other side", "stranger",
};

/* What every action answers in every state, for every actor. */
static const enum kw_status expect[CONCERN_STATE__MAX][CONCERN_ACTION__MAX]
    [WHO__MAX] = {
	[CONCERN_OPEN] = {
		[CONCERN_PROPOSE] = { KW_FORBIDDEN, KW_OK, KW_NOTFOUND },
		[CONCERN_ACCEPT] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_REJECT] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_WITHDRAW] = { KW_OK, KW_FORBIDDEN, KW_NOTFOUND },
	},
	[CONCERN_PROPOSED] = {
		[CONCERN_PROPOSE] = { KW_FORBIDDEN, KW_CONFLICT, KW_NOTFOUND },
		[CONCERN_ACCEPT] = { KW_OK, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_REJECT] = { KW_OK, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_WITHDRAW] = { KW_OK, KW_FORBIDDEN, KW_NOTFOUND },
	},
	[CONCERN_RESOLVED] = {
		[CONCERN_PROPOSE] = { KW_FORBIDDEN, KW_CONFLICT, KW_NOTFOUND },
		[CONCERN_ACCEPT] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_REJECT] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_WITHDRAW] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
	},
	[CONCERN_WITHDRAWN] = {
		[CONCERN_PROPOSE] = { KW_FORBIDDEN, KW_CONFLICT, KW_NOTFOUND },
		[CONCERN_ACCEPT] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_REJECT] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
		[CONCERN_WITHDRAW] = { KW_CONFLICT, KW_FORBIDDEN, KW_NOTFOUND },
	},
};

/* The state an allowed action leads to. */
static const enum concern_state after[CONCERN_ACTION__MAX] = {
	[CONCERN_PROPOSE] = CONCERN_PROPOSED,
	[CONCERN_ACCEPT] = CONCERN_RESOLVED,
	[CONCERN_REJECT] = CONCERN_OPEN,
	[CONCERN_WITHDRAW] = CONCERN_WITHDRAWN,
};

/* The text each action is given in the table test. */
static const char *const texts[CONCERN_ACTION__MAX] = {
	[CONCERN_PROPOSE] = "We add a second packing shift.",
	[CONCERN_REJECT] = "A second shift does not fix the labels.",
};

/* The result of query fmt about concern id, as text (in f's arena) or
 * as an integer. */
#define q_text(f, fmt, id) \
	raw_text((f)->db, (f)->a, arena_xprintf((f)->a, fmt, (long long)(id)))
#define q_int(f, fmt, id) \
	raw_int((f)->db, arena_xprintf((f)->a, fmt, (long long)(id)))

/* Everything stored about concern id, its audit events and notices. */
static const char *
snapshot(struct fx *f, long long id)
{
	return arena_xprintf(f->a, "%s / %lld audit / %lld notices",
	    q_text(f, "SELECT state || '|' || coalesce(resolution, '-') || "
	    "'|' || coalesce(proposed_by, '-') || '|' || "
	    "coalesce(proposed_at, '-') || '|' || "
	    "coalesce(reject_reason, '-') || '|' || coalesce(closed_by, '-') "
	    "|| '|' || coalesce(closed_at, '-') FROM concerns WHERE id = %lld",
	    id),
	    q_int(f, "SELECT count(*) FROM audit_events WHERE entity = "
	    "'concern' AND entity_id = %lld", id),
	    q_int(f, "SELECT count(*) FROM notifications WHERE entity = "
	    "'concern' AND entity_id = %lld", id));
}

static const char *
state_of(struct fx *f, long long id)
{
	return q_text(f, "SELECT state FROM concerns WHERE id = %lld", id);
}

/* A new concern raised by raiser, brought into state by the allowed
 * steps (other is of the other side). */
static long long
concern_in(struct fx *f, const struct user *raiser, const struct user *other,
    enum concern_state state)
{
	long long id;

	assert_int_equal(concern_raise(f->db, raiser, f->acct,
	    "Pallets arrive late", "Three weeks in a row.", &id), KW_OK);
	if (state == CONCERN_PROPOSED || state == CONCERN_RESOLVED)
		assert_int_equal(concern_act(f->db, other, f->acct, id,
		    CONCERN_PROPOSE, "New carrier from May."), KW_OK);
	if (state == CONCERN_RESOLVED)
		assert_int_equal(concern_act(f->db, raiser, f->acct, id,
		    CONCERN_ACCEPT, NULL), KW_OK);
	if (state == CONCERN_WITHDRAWN)
		assert_int_equal(concern_act(f->db, raiser, f->acct, id,
		    CONCERN_WITHDRAW, NULL), KW_OK);
	assert_string_equal(state_of(f, id), concern_state_names[state]);
	return id;
}

/* Every state × action × actor, for concerns raised by either side. */
static void
test_state_action_side_table(void **state)
{
	struct fx *f = *state;
	const struct user *who[2][WHO__MAX] = {
		{ &f->b_member, &f->s_member, &f->x_admin },
		{ &f->s_admin, &f->b_admin, &f->x_admin },
	};
	const char *before;
	enum kw_status want, got;
	long long id, n;
	int r, s, act, w;

	for (r = 0; r < 2; r++)
	for (s = 0; s < CONCERN_STATE__MAX; s++)
	for (act = 0; act < CONCERN_ACTION__MAX; act++)
	for (w = 0; w < WHO__MAX; w++) {
		id = concern_in(f, who[r][WHO_RAISER], who[r][WHO_OTHER],
		    (enum concern_state)s);
		before = snapshot(f, id);
		n = q_int(f, "SELECT count(*) FROM audit_events WHERE "
		    "entity_id = %lld", id);
		want = expect[s][act][w];
		got = concern_act(f->db, who[r][w], f->acct, id,
		    (enum concern_action)act, texts[act]);
		if (got != want)
			fail_msg("raised by %s, %s, %s by the %s: got %s, "
			    "want %s", r == 0 ? "buyer" : "supplier",
			    concern_state_names[s], concern_action_names[act],
			    who_names[w], kw_status_str(got),
			    kw_status_str(want));
		if (want != KW_OK) {
			/* refused: nothing changed at all */
			assert_string_equal(snapshot(f, id), before);
			continue;
		}
		assert_string_equal(state_of(f, id),
		    concern_state_names[after[act]]);
		assert_int_equal(q_int(f, "SELECT count(*) FROM audit_events "
		    "WHERE entity_id = %lld", id), n + 1);
		assert_string_equal(q_text(f, "SELECT action FROM audit_events "
		    "WHERE entity = 'concern' AND entity_id = %lld "
		    "ORDER BY id DESC LIMIT 1", id),
		    concern_action_names[act]);
	}
}

/* concern_may() answers as the table does, without the database. */
static void
test_may_matches_table(void **state)
{
	enum account_side raised, side[WHO__MAX];
	int s, act, w;

	(void)state;
	for (raised = SIDE_BUYER; raised < SIDE__MAX; raised++) {
		side[WHO_RAISER] = raised;
		side[WHO_OTHER] = account_other_side(raised);
		side[WHO_STRANGER] = SIDE__MAX;
		for (s = 0; s < CONCERN_STATE__MAX; s++)
		for (act = 0; act < CONCERN_ACTION__MAX; act++)
		for (w = 0; w < WHO__MAX; w++)
			assert_int_equal(concern_may((enum concern_state)s,
			    raised, side[w], (enum concern_action)act),
			    expect[s][act][w]);
	}
	assert_int_equal(concern_may(CONCERN_OPEN, SIDE_BUYER, SIDE_SUPPLIER,
	    CONCERN_ACTION__MAX), KW_BADREQ);
}

static void
test_raise_records_audits_and_notifies(void **state)
{
	struct fx *f = *state;
	struct concern c;
	long long id;

	assert_int_equal(concern_raise(f->db, &f->b_member, f->acct,
	    "Étiquettes <b>illisibles</b> ✓", "Line one.\nLine two.", &id),
	    KW_OK);
	assert_int_equal(concern_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &c), KW_OK);
	assert_string_equal(c.title, "Étiquettes <b>illisibles</b> ✓");
	assert_string_equal(c.detail, "Line one.\nLine two.");
	assert_int_equal(c.raised_by, SIDE_BUYER);
	assert_int_equal(c.state, CONCERN_OPEN);
	assert_string_equal(c.created_by_name, "Bob Member");
	assert_string_equal(c.created_at, "2026-03-02T09:00:00Z");
	assert_string_equal(c.resolution, "");
	assert_int_equal(q_int(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'concern' AND action = 'create' AND entity_id = %lld",
	    id), 1);
	/* every user of the other side, and nobody of the raising side */
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications n "
	    "JOIN users u ON u.id = n.user_id WHERE n.kind = 'concern' AND "
	    "n.entity_id = %lld AND u.org_id = (SELECT supplier_org_id FROM "
	    "accounts LIMIT 1)", id), 2);
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications "
	    "WHERE entity_id = %lld", id), 2);
	assert_string_equal(q_text(f, "SELECT text FROM notifications WHERE "
	    "entity_id = %lld LIMIT 1", id),
	    "Concern raised: Étiquettes <b>illisibles</b> ✓");
}

static void
test_raise_bad_input(void **state)
{
	struct fx *f = *state;
	char *longtitle, *longdetail;
	long long id = 0;

	longtitle = arena_xalloc(f->a, 202);
	memset(longtitle, 'x', 201);
	longtitle[201] = '\0';
	longdetail = arena_xalloc(f->a, 10002);
	memset(longdetail, 'y', 10001);
	longdetail[10001] = '\0';
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct, "", NULL,
	    &id), KW_BADREQ);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct, NULL,
	    NULL, &id), KW_BADREQ);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct,
	    longtitle, NULL, &id), KW_BADREQ);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct,
	    "Two\nlines", NULL, &id), KW_BADREQ);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct, "Fine",
	    longdetail, &id), KW_BADREQ);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct, "Fine",
	    "bell\a", &id), KW_BADREQ);
	assert_int_equal(concern_raise(f->db, &f->b_admin, f->acct, "\xff",
	    NULL, &id), KW_BADREQ);
	/* a non-party learns nothing, whatever the input */
	assert_int_equal(concern_raise(f->db, &f->x_admin, f->acct, "",
	    NULL, &id), KW_NOTFOUND);
	assert_int_equal(concern_raise(f->db, NULL, f->acct, "Fine", NULL,
	    &id), KW_NOTFOUND);
	assert_int_equal(id, 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM concerns"), 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM notifications"),
	    0);
}

static void
test_action_text_is_checked(void **state)
{
	struct fx *f = *state;
	const char *before;
	char *longtext;
	long long open, proposed;

	longtext = arena_xalloc(f->a, 10002);
	memset(longtext, 'z', 10001);
	longtext[10001] = '\0';
	open = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	before = snapshot(f, open);
	assert_int_equal(concern_act(f->db, &f->s_admin, f->acct, open,
	    CONCERN_PROPOSE, NULL), KW_BADREQ);
	assert_int_equal(concern_act(f->db, &f->s_admin, f->acct, open,
	    CONCERN_PROPOSE, ""), KW_BADREQ);
	assert_int_equal(concern_act(f->db, &f->s_admin, f->acct, open,
	    CONCERN_PROPOSE, longtext), KW_BADREQ);
	assert_string_equal(snapshot(f, open), before);

	proposed = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_PROPOSED);
	before = snapshot(f, proposed);
	longtext[2001] = '\0';
	assert_int_equal(concern_act(f->db, &f->b_admin, f->acct, proposed,
	    CONCERN_REJECT, longtext), KW_BADREQ);
	assert_string_equal(snapshot(f, proposed), before);
	assert_int_equal(concern_act(f->db, &f->b_admin, f->acct, proposed,
	    (enum concern_action)CONCERN_ACTION__MAX, NULL), KW_BADREQ);
	assert_string_equal(snapshot(f, proposed), before);
}

/* A full round: proposal, rejection with a reason, a second proposal,
 * acceptance; each notice reaches the right side, once. */
static void
test_resolution_round_trip(void **state)
{
	struct fx *f = *state;
	struct concern c;
	long long id;

	id = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	assert_int_equal(concern_act(f->db, &f->s_member, f->acct, id,
	    CONCERN_PROPOSE, "Relabel by hand."), KW_OK);
	/* the raising side (buyer: 2 users) hears of the proposal */
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications n JOIN "
	    "users u ON u.id = n.user_id WHERE n.kind = 'resolution' AND "
	    "n.entity_id = %lld AND u.email IN ('bea@buyer.example', "
	    "'bob@buyer.example')", id), 2);
	assert_int_equal(concern_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &c), KW_OK);
	assert_int_equal(c.state, CONCERN_PROPOSED);
	assert_string_equal(c.resolution, "Relabel by hand.");
	assert_string_equal(c.proposed_by_name, "Sue Member");

	assert_int_equal(concern_act(f->db, &f->b_member, f->acct, id,
	    CONCERN_REJECT, "By hand will not last."), KW_OK);
	assert_int_equal(concern_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &c), KW_OK);
	assert_int_equal(c.state, CONCERN_OPEN);
	assert_string_equal(c.resolution, "Relabel by hand.");
	assert_string_equal(c.reject_reason, "By hand will not last.");
	/* the proposing side hears of the rejection */
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'concern' AND text LIKE 'Resolution not accepted:%%' AND "
	    "entity_id = %lld", id), 2);
	assert_string_equal(q_text(f, "SELECT detail FROM audit_events WHERE "
	    "action = 'reject' AND entity_id = %lld", id),
	    "By hand will not last.");

	/* a second proposal clears the reason and notifies again */
	assert_int_equal(concern_act(f->db, &f->s_admin, f->acct, id,
	    CONCERN_PROPOSE, "New label printer."), KW_OK);
	assert_int_equal(concern_get(f->db, f->a, &f->b_admin, f->acct, id,
	    &c), KW_OK);
	assert_string_equal(c.reject_reason, "");
	assert_string_equal(c.resolution, "New label printer.");
	assert_int_equal(q_int(f, "SELECT count(*) FROM notifications WHERE "
	    "kind = 'resolution' AND entity_id = %lld", id), 4);

	assert_int_equal(concern_act(f->db, &f->b_admin, f->acct, id,
	    CONCERN_ACCEPT, NULL), KW_OK);
	assert_int_equal(concern_get(f->db, f->a, &f->s_admin, f->acct, id,
	    &c), KW_OK);
	assert_int_equal(c.state, CONCERN_RESOLVED);
	assert_string_equal(c.resolution, "New label printer.");
	assert_string_equal(c.closed_by_name, "Bea Admin");
	assert_string_equal(c.closed_at, "2026-03-02T09:00:00Z");
	/* a rejection without a reason stores none */
	id = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_PROPOSED);
	assert_int_equal(concern_act(f->db, &f->b_admin, f->acct, id,
	    CONCERN_REJECT, ""), KW_OK);
	assert_string_equal(q_text(f, "SELECT coalesce(reject_reason, 'none') "
	    "FROM concerns WHERE id = %lld", id), "none");
}

static void
test_other_account_and_strangers_see_nothing(void **state)
{
	struct fx *f = *state;
	struct concern c, *list;
	struct concern_promise *pr;
	size_t n, total, open[SIDE__MAX];
	long long id, other;

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	id = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	/* the stranger is party to the other account, not to this one */
	assert_int_equal(concern_get(f->db, f->a, &f->x_admin, f->acct, id,
	    &c), KW_NOTFOUND);
	assert_int_equal(concern_get(f->db, f->a, &f->x_admin, other, id,
	    &c), KW_NOTFOUND);
	/* the buyer is party to both: the entry is looked up with its
	 * account */
	assert_int_equal(concern_get(f->db, f->a, &f->b_admin, other, id,
	    &c), KW_NOTFOUND);
	assert_int_equal(concern_act(f->db, &f->b_admin, other, id,
	    CONCERN_WITHDRAW, NULL), KW_NOTFOUND);
	assert_string_equal(state_of(f, id), "open");
	assert_int_equal(concern_list(f->db, f->a, &f->x_admin, f->acct, NULL,
	    NULL, 20, 0, &list, &n, &total), KW_NOTFOUND);
	assert_int_equal(concern_open_counts(f->db, f->a, &f->x_admin,
	    f->acct, open), KW_NOTFOUND);
	assert_int_equal(concern_promises(f->db, f->a, &f->x_admin, f->acct,
	    id, &pr, &n), KW_NOTFOUND);
	assert_int_equal(concern_get(f->db, f->a, &f->b_admin, 999999, id,
	    &c), KW_NOTFOUND);
	assert_int_equal(concern_get(f->db, f->a, &f->b_admin, f->acct,
	    999999, &c), KW_NOTFOUND);
}

static void
test_list_filters_and_pages(void **state)
{
	struct fx *f = *state;
	struct concern *list;
	size_t n, total;
	long long first;
	int i;

	first = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	(void)concern_in(f, &f->s_admin, &f->b_admin, CONCERN_PROPOSED);
	(void)concern_in(f, &f->s_admin, &f->b_admin, CONCERN_RESOLVED);
	for (i = 0; i < 22; i++)
		(void)concern_in(f, &f->b_member, &f->s_member,
		    CONCERN_WITHDRAWN);

	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    NULL, NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 25);
	assert_int_equal(n, 20);
	assert_true(list[0].id > list[1].id);	/* newest first */
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    NULL, NULL, 20, 20, &list, &n, &total), KW_OK);
	assert_int_equal(n, 5);
	assert_int_equal(list[4].id, first);

	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    "open", NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].id, first);
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    NULL, "supplier", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 2);
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    "resolved", "supplier", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list[0].state, CONCERN_RESOLVED);
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    "resolved", "buyer", 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 0);
	assert_null(list);
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    "closed", NULL, 20, 0, &list, &n, &total), KW_OK);
	assert_int_equal(total, 0);
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    NULL, NULL, 0, 0, &list, &n, &total), KW_BADREQ);
	assert_int_equal(concern_list(f->db, f->a, &f->s_member, f->acct,
	    NULL, NULL, 1001, 0, &list, &n, &total), KW_BADREQ);
}

static void
test_open_counts_per_raising_side(void **state)
{
	struct fx *f = *state;
	size_t open[SIDE__MAX];

	assert_int_equal(concern_open_counts(f->db, f->a, &f->b_admin,
	    f->acct, open), KW_OK);
	assert_int_equal(open[SIDE_BUYER], 0);
	assert_int_equal(open[SIDE_SUPPLIER], 0);
	(void)concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	(void)concern_in(f, &f->b_admin, &f->s_admin, CONCERN_PROPOSED);
	(void)concern_in(f, &f->b_admin, &f->s_admin, CONCERN_RESOLVED);
	(void)concern_in(f, &f->b_admin, &f->s_admin, CONCERN_WITHDRAWN);
	(void)concern_in(f, &f->s_member, &f->b_member, CONCERN_OPEN);
	assert_int_equal(concern_open_counts(f->db, f->a, &f->s_admin,
	    f->acct, open), KW_OK);
	assert_int_equal(open[SIDE_BUYER], 2);
	assert_int_equal(open[SIDE_SUPPLIER], 1);
	/* the system (a scheduled job) counts without an actor */
	assert_int_equal(concern_open_counts(f->db, f->a, NULL, f->acct,
	    open), KW_OK);
	assert_int_equal(open[SIDE_BUYER], 2);
}

/* A promise row as the promise module would write it. */
#define INS_PROMISE \
	"INSERT INTO promises (account_id, promisor_side, title, " \
	"due_date, original_due, state, concern_id, created_by, " \
	"created_at) VALUES (%lld, 'supplier', '%s', '%s', '%s', '%s', " \
	"%lld, %lld, '2026-03-02T09:00:00Z')"

static void
test_linked_promises(void **state)
{
	struct fx *f = *state;
	struct concern_promise *pr;
	size_t n;
	long long id, other, lone;

	id = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	lone = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_OPEN);
	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	assert_int_equal(raw(f->db, arena_xprintf(f->a, INS_PROMISE, f->acct,
	    "Second printer", "2026-04-15", "2026-04-15", "open", id,
	    f->s_admin.id)), SQLITE_OK);
	assert_int_equal(raw(f->db, arena_xprintf(f->a, INS_PROMISE, f->acct,
	    "Relabel stock", "2026-03-20", "2026-03-10", "kept", id,
	    f->s_admin.id)), SQLITE_OK);
	/* another account's promise naming this concern is not shown */
	assert_int_equal(raw(f->db, arena_xprintf(f->a, INS_PROMISE, other,
	    "Elsewhere", "2026-03-01", "2026-03-01", "open", id,
	    f->x_admin.id)), SQLITE_OK);

	assert_int_equal(concern_promises(f->db, f->a, &f->b_member, f->acct,
	    id, &pr, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(pr[0].title, "Relabel stock");
	assert_string_equal(pr[0].state, "kept");
	assert_string_equal(pr[0].due_date, "2026-03-20");
	assert_string_equal(pr[1].title, "Second printer");
	assert_true(pr[0].id > 0 && pr[1].id > 0);
	assert_int_equal(concern_promises(f->db, f->a, &f->b_member, f->acct,
	    lone, &pr, &n), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(concern_promises(f->db, f->a, &f->b_member, other,
	    id, &pr, &n), KW_OK);
	assert_int_equal(n, 0);
}

static void
test_concerns_are_never_deleted(void **state)
{
	struct fx *f = *state;
	long long id;

	id = concern_in(f, &f->b_admin, &f->s_admin, CONCERN_WITHDRAWN);
	assert_int_not_equal(raw(f->db, arena_xprintf(f->a,
	    "DELETE FROM concerns WHERE id = %lld", id)), SQLITE_OK);
	assert_string_equal(state_of(f, id), "withdrawn");
}

static void
test_name_tables_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CONCERN_STATE__MAX; i++)
		assert_non_null(concern_state_names[i]);
	assert_null(concern_state_names[CONCERN_STATE__MAX]);
	for (i = 0; i < CONCERN_ACTION__MAX; i++)
		assert_non_null(concern_action_names[i]);
	assert_null(concern_action_names[CONCERN_ACTION__MAX]);
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_state_action_side_table),
		cmocka_unit_test(test_may_matches_table),
		T(test_raise_records_audits_and_notifies),
		T(test_raise_bad_input),
		T(test_action_text_is_checked),
		T(test_resolution_round_trip),
		T(test_other_account_and_strangers_see_nothing),
		T(test_list_filters_and_pages),
		T(test_open_counts_per_raising_side),
		T(test_linked_promises),
		T(test_concerns_are_never_deleted),
		cmocka_unit_test(test_name_tables_complete),
	};

	kw_log_init("test-concern");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
