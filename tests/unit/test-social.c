/* test-social.c: unit tests of comments, the inbox, activity and handover. */
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
#include "audit.h"
#include "comment.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "dbutil.h"

/* Insert a promise of account_id straight into the table; its id. */
static long long
add_promise(struct fx *f, long long account_id)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO promises (account_id, "
	    "promisor_side, title, due_date, original_due, created_by, "
	    "created_at) VALUES (%lld, 'supplier', 'Deliver samples', "
	    "'2026-04-01', '2026-04-01', %lld, '2026-03-01T10:00:00Z')",
	    account_id, f->s_admin.id);
	assert_int_equal(raw(f->db, sql), SQLITE_OK);
	return sqlite3_last_insert_rowid(db_handle(f->db));
}

/* A second account, between X (buyer) and S; its id. */
static long long
other_account(struct fx *f)
{
	long long id;

	assert_int_equal(account_create(f->db, &f->op, "X buys from S", f->x,
	    f->s, CADENCE_QUARTERLY, "2026-01-01", f->x_admin.id, 0, &id),
	    KW_OK);
	return id;
}

static long long
count(struct fx *f, const char *sql)
{
	return raw_int(f->db, sql);
}

/* ---- entries ---------------------------------------------------------- */

static void
test_entry_tables_complete(void **state)
{
	struct arena *a = arena_new(1024, 0);
	int i;

	(void)state;
	for (i = 0; i < ENTRY__MAX; i++) {
		assert_non_null(entry_names[i]);
		assert_non_null(entry_plurals[i]);
		assert_int_equal(entry_parse(entry_names[i]), i);
		assert_int_equal(entry_parse_plural(entry_plurals[i]), i);
	}
	assert_null(entry_names[ENTRY__MAX]);
	assert_null(entry_plurals[ENTRY__MAX]);
	assert_int_equal(entry_parse("comment"), -1);
	assert_int_equal(entry_parse_plural("promise"), -1);
	assert_int_equal(entry_parse(NULL), -1);
	assert_string_equal(entry_path(a, 7, "promise", 12),
	    "/accounts/7/promises/12");
	assert_string_equal(entry_path(a, 7, "feedback", 3),
	    "/accounts/7/feedback/3");
	assert_null(entry_path(a, 7, "account", 7));
	arena_free(a);
}

static void
test_entry_exists_is_scoped_to_account(void **state)
{
	struct fx *f = *state;
	long long other = other_account(f), p = add_promise(f, f->acct);

	assert_int_equal(entry_exists(f->db, ENTRY_PROMISE, f->acct, p), KW_OK);
	assert_int_equal(entry_exists(f->db, ENTRY_PROMISE, other, p),
	    KW_NOTFOUND);
	assert_int_equal(entry_exists(f->db, ENTRY_CONCERN, f->acct, p),
	    KW_NOTFOUND);
	assert_int_equal(entry_exists(f->db, ENTRY_PROMISE, f->acct, p + 1),
	    KW_NOTFOUND);
	assert_int_equal(entry_exists(f->db, ENTRY__MAX, f->acct, p),
	    KW_NOTFOUND);
}

/* ---- comments --------------------------------------------------------- */

static void
test_comment_thread_oldest_first(void **state)
{
	struct fx *f = *state;
	struct comment *l;
	long long p = add_promise(f, f->acct), c1, c2;
	size_t n;

	assert_int_equal(comment_add(f->db, f->a, &f->b_member, f->acct,
	    "promise", p, "Can we have them by Friday? «Zoë» ⇄", &c1), KW_OK);
	setenv("KEEPWORD_NOW", "2026-03-03T10:30:00Z", 1);
	assert_int_equal(comment_add(f->db, f->a, &f->s_admin, f->acct,
	    "promise", p, "Yes.\nThursday even.", &c2), KW_OK);
	setenv("KEEPWORD_NOW", "2026-03-02T09:00:00Z", 1);
	assert_true(c2 > c1);

	assert_int_equal(comment_list(f->db, f->a, &f->s_member, f->acct,
	    "promise", p, &l, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].id, c1);
	assert_string_equal(l[0].body, "Can we have them by Friday? «Zoë» ⇄");
	assert_string_equal(l[0].author_name, "Bob Member");
	assert_string_equal(l[0].author_org, "Buyer Co");
	assert_int_equal(l[0].side, SIDE_BUYER);
	assert_string_equal(l[0].created_at, "2026-03-02T09:00:00Z");
	assert_string_equal(l[0].withdrawn_at, "");
	assert_string_equal(l[1].body, "Yes.\nThursday even.");
	assert_int_equal(l[1].side, SIDE_SUPPLIER);
	assert_string_equal(l[1].created_at, "2026-03-03T10:30:00Z");

	/* another entry's thread is empty; a non-party sees nothing */
	assert_int_equal(comment_list(f->db, f->a, &f->b_admin, f->acct,
	    "concern", p, &l, &n), KW_OK);
	assert_int_equal(n, 0);
	assert_int_equal(comment_list(f->db, f->a, &f->x_admin, f->acct,
	    "promise", p, &l, &n), KW_NOTFOUND);
	assert_int_equal(comment_list(f->db, f->a, &f->b_admin, f->acct,
	    "invoice", p, &l, &n), KW_NOTFOUND);
}

static void
test_comment_add_is_audited(void **state)
{
	struct fx *f = *state;
	long long p = add_promise(f, f->acct), c;
	char sql[256];

	assert_int_equal(comment_add(f->db, f->a, &f->b_member, f->acct,
	    "promise", p, "Noted.", &c), KW_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'comment' AND entity_id = %lld AND action = 'create' "
	    "AND actor_user_id = %lld AND account_id = %lld AND detail = "
	    "'on promise %lld'", c, f->b_member.id, f->acct, p);
	assert_int_equal(count(f, sql), 1);
}

static void
test_comment_add_needs_a_visible_entry(void **state)
{
	struct fx *f = *state;
	long long other = other_account(f);
	long long p = add_promise(f, f->acct), q = add_promise(f, other);

	/* a non-party, an unknown entity, an entry of another account, a
	 * missing entry: all look missing, and nothing is written */
	assert_int_equal(comment_add(f->db, f->a, &f->x_admin, f->acct,
	    "promise", p, "Hello", NULL), KW_NOTFOUND);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "review", p, "Hello", NULL), KW_NOTFOUND);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", q, "Hello", NULL), KW_NOTFOUND);
	assert_int_equal(comment_add(f->db, f->a, &f->s_admin, other,
	    "promise", p, "Hello", NULL), KW_NOTFOUND);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", q + 100, "Hello", NULL), KW_NOTFOUND);
	assert_int_equal(comment_target(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, NULL), KW_OK);
	assert_int_equal(comment_target(f->db, f->a, &f->x_admin, f->acct,
	    "promise", p, NULL), KW_NOTFOUND);
	assert_int_equal(count(f, "SELECT count(*) FROM comments"), 0);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'comment'"), 0);
}

static void
test_comment_bad_body_is_refused(void **state)
{
	struct fx *f = *state;
	long long p = add_promise(f, f->acct);
	char *big = xmalloc(COMMENT_MAX + 2);

	memset(big, 'a', COMMENT_MAX + 1);
	big[COMMENT_MAX + 1] = '\0';
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, "", NULL), KW_BADREQ);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, NULL, NULL), KW_BADREQ);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, " \n\t ", NULL), KW_BADREQ);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, "bell\a", NULL), KW_BADREQ);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, big, NULL), KW_BADREQ);
	assert_int_equal(count(f, "SELECT count(*) FROM comments"), 0);
	big[COMMENT_MAX] = '\0';
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "promise", p, big, NULL), KW_OK);
	assert_int_equal(count(f, "SELECT length(body) FROM comments"),
	    COMMENT_MAX);
	free(big);
}

static void
test_comment_withdraw_by_author_only(void **state)
{
	struct fx *f = *state;
	struct comment c, *l;
	long long p = add_promise(f, f->acct), cid;
	size_t n;
	char sql[256];

	assert_int_equal(comment_add(f->db, f->a, &f->b_member, f->acct,
	    "promise", p, "Oops, wrong promise.", &cid), KW_OK);
	/* not the author: not even their admin, nor the other side */
	assert_int_equal(comment_withdraw(f->db, f->a, &f->b_admin, f->acct,
	    cid, NULL), KW_FORBIDDEN);
	assert_int_equal(comment_withdraw(f->db, f->a, &f->s_admin, f->acct,
	    cid, NULL), KW_FORBIDDEN);
	assert_int_equal(comment_withdraw(f->db, f->a, &f->x_admin, f->acct,
	    cid, NULL), KW_NOTFOUND);
	assert_int_equal(comment_withdraw(f->db, f->a, &f->b_member,
	    f->acct + 1, cid, NULL), KW_NOTFOUND);
	assert_int_equal(count(f, "SELECT count(*) FROM comments WHERE "
	    "withdrawn_at IS NOT NULL"), 0);

	assert_int_equal(comment_withdraw(f->db, f->a, &f->b_member, f->acct,
	    cid, &c), KW_OK);
	assert_string_equal(c.entity, "promise");
	assert_int_equal(c.entity_id, p);
	assert_int_equal(comment_withdraw(f->db, f->a, &f->b_member, f->acct,
	    cid, NULL), KW_CONFLICT);

	/* the row stays, its text is no longer handed out */
	assert_int_equal(comment_list(f->db, f->a, &f->s_admin, f->acct,
	    "promise", p, &l, &n), KW_OK);
	assert_int_equal(n, 1);
	assert_string_equal(l[0].body, "");
	assert_string_equal(l[0].withdrawn_at, "2026-03-02T09:00:00Z");
	assert_int_equal(comment_get(f->db, f->a, &f->s_admin, f->acct, cid,
	    &c), KW_OK);
	assert_string_equal(c.body, "");
	assert_int_equal(comment_get(f->db, f->a, &f->x_admin, f->acct, cid,
	    &c), KW_NOTFOUND);
	assert_string_equal(raw_text(f->db, f->a, "SELECT body FROM comments"),
	    "Oops, wrong promise.");
	assert_int_not_equal(raw(f->db, "DELETE FROM comments"), SQLITE_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_events WHERE "
	    "entity = 'comment' AND entity_id = %lld AND action = 'withdraw' "
	    "AND actor_user_id = %lld", cid, f->b_member.id);
	assert_int_equal(count(f, sql), 1);
}

/* ---- inbox ------------------------------------------------------------ */

/* n notifications for the buyer side from s_admin. */
static void
notify_buyers(struct fx *f, int n)
{
	struct account a;
	char key[32], text[64];
	int i;

	assert_int_equal(account_get(f->db, f->a, f->s, f->acct, &a), KW_OK);
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(text, sizeof(text), "Notice %d", i);
		assert_int_equal(notify_side(f->db, &f->s_admin, &a,
		    SIDE_BUYER, NOTIFY_UPDATE, "update", 100 + i, text, key),
		    KW_OK);
	}
}

static void
test_inbox_lists_newest_first_and_pages(void **state)
{
	struct fx *f = *state;
	struct notification *l;
	size_t n, total;

	notify_buyers(f, 25);
	assert_int_equal(notify_count(f->db, &f->b_member, 0, &total), KW_OK);
	assert_int_equal(total, 25);
	assert_int_equal(notify_unread_count(f->db, &f->b_member, &total),
	    KW_OK);
	assert_int_equal(total, 25);
	assert_int_equal(notify_list(f->db, f->a, &f->b_member, 0, 20, 0, &l,
	    &n), KW_OK);
	assert_int_equal(n, 20);
	assert_string_equal(l[0].text, "Notice 24");
	assert_string_equal(l[0].account_title, "B buys from S");
	assert_string_equal(l[0].kind, "update");
	assert_string_equal(l[0].entity, "update");
	assert_int_equal(l[0].entity_id, 124);
	assert_string_equal(l[0].read_at, "");
	assert_int_equal(notify_list(f->db, f->a, &f->b_member, 0, 20, 20, &l,
	    &n), KW_OK);
	assert_int_equal(n, 5);
	assert_string_equal(l[4].text, "Notice 0");
	/* the other side and the actor got nothing */
	assert_int_equal(notify_count(f->db, &f->s_member, 0, &total), KW_OK);
	assert_int_equal(total, 0);
	assert_int_equal(notify_list(f->db, f->a, &f->b_member, 0, 0, 0, &l,
	    &n), KW_BADREQ);
	assert_int_equal(notify_list(f->db, f->a, &f->b_member, 0, 1001, 0,
	    &l, &n), KW_BADREQ);
}

static void
test_inbox_mark_read_is_per_user(void **state)
{
	struct fx *f = *state;
	struct notification *l, one;
	size_t n, unread;
	long long nid;

	notify_buyers(f, 3);
	assert_int_equal(notify_list(f->db, f->a, &f->b_member, 0, 20, 0, &l,
	    &n), KW_OK);
	nid = l[1].id;
	/* another user's notification: missing, and it stays unread */
	assert_int_equal(notify_get(f->db, f->a, &f->b_admin, nid, &one),
	    KW_NOTFOUND);
	assert_int_equal(notify_mark_read(f->db, &f->b_admin, nid),
	    KW_NOTFOUND);
	assert_int_equal(notify_mark_read(f->db, &f->b_member, 0),
	    KW_NOTFOUND);
	assert_int_equal(notify_unread_count(f->db, &f->b_member, &unread),
	    KW_OK);
	assert_int_equal(unread, 3);

	assert_int_equal(notify_mark_read(f->db, &f->b_member, nid), KW_OK);
	assert_int_equal(notify_mark_read(f->db, &f->b_member, nid), KW_OK);
	assert_int_equal(notify_get(f->db, f->a, &f->b_member, nid, &one),
	    KW_OK);
	assert_string_equal(one.read_at, "2026-03-02T09:00:00Z");
	assert_int_equal(notify_unread_count(f->db, &f->b_member, &unread),
	    KW_OK);
	assert_int_equal(unread, 2);
	assert_int_equal(notify_list(f->db, f->a, &f->b_member, 1, 20, 0, &l,
	    &n), KW_OK);
	assert_int_equal(n, 2);
	assert_true(l[0].id != nid && l[1].id != nid);
	assert_int_equal(notify_count(f->db, &f->b_member, 0, &n), KW_OK);
	assert_int_equal(n, 3);

	assert_int_equal(notify_mark_all_read(f->db, &f->b_member, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(notify_unread_count(f->db, &f->b_member, &unread),
	    KW_OK);
	assert_int_equal(unread, 0);
	/* b_admin's own stay unread */
	assert_int_equal(notify_unread_count(f->db, &f->b_admin, &unread),
	    KW_OK);
	assert_int_equal(unread, 3);
}

/* ---- activity --------------------------------------------------------- */

static void
test_audit_count_matches_list(void **state)
{
	struct fx *f = *state;
	struct audit_event *l;
	long long p = add_promise(f, f->acct);
	size_t n, total;
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
		    "promise", p, "More.", NULL), KW_OK);
	assert_int_equal(audit_count_account(f->db, f->b, f->acct, &total),
	    KW_OK);
	assert_int_equal(audit_list_account(f->db, f->a, f->b, f->acct, 1000,
	    0, &l, &n), KW_OK);
	assert_int_equal(total, n);
	assert_true(total >= 3);
	assert_int_equal(audit_count_account(f->db, f->x, f->acct, &total),
	    KW_OK);
	assert_int_equal(total, 0);
}

/* ---- owners ----------------------------------------------------------- */

static void
test_handover_note_for_new_owner(void **state)
{
	struct fx *f = *state;
	struct account_handover h;
	long long other = other_account(f);

	/* the first owner was set by the system, without a note */
	assert_int_equal(account_handover(f->db, f->a, f->b, f->acct,
	    SIDE_BUYER, &h), KW_OK);
	assert_int_equal(h.user_id, f->b_admin.id);
	assert_string_equal(h.by_name, "Olga Op");
	assert_string_equal(h.from_name, "");
	assert_string_equal(h.note, "");

	setenv("KEEPWORD_NOW", "2026-03-05T08:00:00Z", 1);
	assert_int_equal(account_set_owner(f->db, &f->b_admin, f->acct,
	    SIDE_BUYER, f->b_member.id, "Call Sam first. «Q2» ⇄"), KW_OK);
	setenv("KEEPWORD_NOW", "2026-03-02T09:00:00Z", 1);
	assert_int_equal(account_handover(f->db, f->a, f->b, f->acct,
	    SIDE_BUYER, &h), KW_OK);
	assert_int_equal(h.user_id, f->b_member.id);
	assert_string_equal(h.user_name, "Bob Member");
	assert_string_equal(h.by_name, "Bea Admin");
	assert_string_equal(h.from_name, "Bea Admin");
	assert_string_equal(h.since, "2026-03-05T08:00:00Z");
	assert_string_equal(h.note, "Call Sam first. «Q2» ⇄");
	/* the other party may read it too; a third org may not */
	assert_int_equal(account_handover(f->db, f->a, f->s, f->acct,
	    SIDE_BUYER, &h), KW_OK);
	assert_int_equal(account_handover(f->db, f->a, f->x, f->acct,
	    SIDE_BUYER, &h), KW_NOTFOUND);
	/* a side without an owner */
	assert_int_equal(account_handover(f->db, f->a, f->s, other,
	    SIDE_SUPPLIER, &h), KW_NOTFOUND);
	assert_int_equal(account_handover(f->db, f->a, f->b, f->acct,
	    SIDE__MAX, &h), KW_NOTFOUND);
}

static void
test_may_set_owner_rule(void **state)
{
	struct fx *f = *state;
	struct account b, s;
	struct user inactive;

	assert_int_equal(account_get(f->db, f->a, f->b, f->acct, &b), KW_OK);
	assert_int_equal(account_get(f->db, f->a, f->s, f->acct, &s), KW_OK);
	assert_true(account_may_set_owner(&f->b_admin, &b));
	assert_false(account_may_set_owner(&f->b_member, &b));
	assert_true(account_may_set_owner(&f->s_admin, &s));
	assert_false(account_may_set_owner(&f->s_member, &s));
	inactive = f->b_admin;
	inactive.active = 0;
	assert_false(account_may_set_owner(&inactive, &b));
	/* the owner, a member, may hand over */
	assert_int_equal(account_set_owner(f->db, &f->s_admin, f->acct,
	    SIDE_SUPPLIER, f->s_member.id, NULL), KW_OK);
	assert_int_equal(account_get(f->db, f->a, f->s, f->acct, &s), KW_OK);
	assert_true(account_may_set_owner(&f->s_member, &s));
	b.my_side = SIDE__MAX;
	assert_false(account_may_set_owner(&f->b_admin, &b));
}

#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_tables_complete),
		T(test_entry_exists_is_scoped_to_account),
		T(test_comment_thread_oldest_first),
		T(test_comment_add_is_audited),
		T(test_comment_add_needs_a_visible_entry),
		T(test_comment_bad_body_is_refused),
		T(test_comment_withdraw_by_author_only),
		T(test_inbox_lists_newest_first_and_pages),
		T(test_inbox_mark_read_is_per_user),
		T(test_audit_count_matches_list),
		T(test_handover_note_for_new_owner),
		T(test_may_set_owner_rule),
	};

	kw_log_init("test-social");
	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
