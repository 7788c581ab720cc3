/* promise.c: promises one side makes to the other, and how they are kept. */
#include "config.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "promise.h"
#include "req.h"
#include "valid.h"

#define HISTORY_MAX	"1000"
#define LINKS_MAX	"200"
#define NOTE_MAX	2000
#define DUE_SOON_DAYS	7
#define DUE_BATCH_MAX	"1000"
#define FIELDS_MAX	5	/* the most fields of one input (promise_fields) */

const char *const promise_state_names[PROMISE_STATE__MAX + 1] = {
	[PROMISE_OPEN] = "open",
	[PROMISE_DELIVERED] = "delivered",
	[PROMISE_DISPUTED] = "disputed",
	[PROMISE_KEPT] = "kept",
	[PROMISE_BROKEN] = "broken",
	[PROMISE_STATE__MAX] = NULL,
};

const char *const promise_action_names[PROMISE_ACTION__MAX + 1] = {
	[PROMISE_DELIVER] = "deliver",
	[PROMISE_CONFIRM] = "confirm",
	[PROMISE_DISPUTE] = "dispute",
	[PROMISE_RENEGOTIATE] = "renegotiate",
	[PROMISE_ACCEPT_DUE] = "accept-due",
	[PROMISE_DECLINE_DUE] = "decline-due",
	[PROMISE_BREAK] = "break",
	[PROMISE_ACTION__MAX] = NULL,
};

const char *const promise_filter_names[PROMISE_FILTER__MAX + 1] = {
	[PROMISE_FILTER_OPEN] = "open",
	[PROMISE_FILTER_OVERDUE] = "overdue",
	[PROMISE_FILTER_DELIVERED] = "delivered",
	[PROMISE_FILTER_DISPUTED] = "disputed",
	[PROMISE_FILTER_KEPT] = "kept",
	[PROMISE_FILTER_BROKEN] = "broken",
	[PROMISE_FILTER__MAX] = NULL,
};

const char *const promise_outcome_names[PROMISE_OUTCOME__MAX + 1] = {
	[PROMISE_OUTCOME_ON_TIME] = "kept-on-time",
	[PROMISE_OUTCOME_LATE] = "kept-late",
	[PROMISE_OUTCOME_BROKEN] = "broken",
	[PROMISE_OUTCOME_DELIVERED] = "delivered",
	[PROMISE_OUTCOME_OVERDUE] = "overdue",
	[PROMISE_OUTCOME_DISPUTED] = "disputed",
	[PROMISE_OUTCOME_RENEGOTIATED] = "renegotiated",
	[PROMISE_OUTCOME__MAX] = NULL,
};

/* The stored state each filter selects (overdue: open or disputed). */
static const enum promise_state filter_state[PROMISE_FILTER__MAX] = {
	[PROMISE_FILTER_OPEN] = PROMISE_OPEN,
	[PROMISE_FILTER_OVERDUE] = PROMISE_STATE__MAX,
	[PROMISE_FILTER_DELIVERED] = PROMISE_DELIVERED,
	[PROMISE_FILTER_DISPUTED] = PROMISE_DISPUTED,
	[PROMISE_FILTER_KEPT] = PROMISE_KEPT,
	[PROMISE_FILTER_BROKEN] = PROMISE_BROKEN,
};

const struct valid_field promise_fields[] = {
	{ .name = "title", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = 200, .label = "Title" },
	{ .name = "detail", .kind = VALID_TEXT, .maxlen = 10000,
	  .label = "Detail" },
	{ .name = "due_date", .kind = VALID_DATE, .flags = VALID_REQUIRED,
	  .label = "Due date" },
	{ .name = "expectation_id", .kind = VALID_ID,
	  .label = "Expectation" },
	{ .name = "concern_id", .kind = VALID_ID, .label = "Concern" },
	{ .name = NULL },
};

const struct valid_field promise_deliver_fields[] = {
	{ .name = "delivered_on", .kind = VALID_DATE, .flags = VALID_REQUIRED,
	  .label = "Delivered on" },
	{ .name = "note", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = NOTE_MAX, .label = "What was delivered" },
	{ .name = NULL },
};

const struct valid_field promise_dispute_fields[] = {
	{ .name = "dispute_reason", .kind = VALID_TEXT,
	  .flags = VALID_REQUIRED, .maxlen = NOTE_MAX,
	  .label = "Reason for the dispute" },
	{ .name = NULL },
};

const struct valid_field promise_renegotiate_fields[] = {
	{ .name = "new_due", .kind = VALID_DATE, .flags = VALID_REQUIRED,
	  .label = "New due date" },
	{ .name = "due_reason", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = NOTE_MAX, .label = "Reason for the new date" },
	{ .name = NULL },
};

const struct valid_field promise_break_fields[] = {
	{ .name = "break_reason", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = NOTE_MAX, .label = "Reason for giving up" },
	{ .name = NULL },
};

const struct valid_field promise_list_fields[] = {
	{ .name = "state", .kind = VALID_ENUM,
	  .choices = promise_filter_names, .label = "State" },
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Promised by" },
	{ .name = "due_from", .kind = VALID_DATE, .label = "Due from" },
	{ .name = "due_to", .kind = VALID_DATE, .label = "Due by" },
	{ .name = "outcome", .kind = VALID_ENUM,
	  .choices = promise_outcome_names, .label = "Outcome" },
	{ .name = NULL },
};

/* The input each action takes (NULL: none). */
static const struct valid_field *const action_fields[PROMISE_ACTION__MAX] = {
	[PROMISE_DELIVER] = promise_deliver_fields,
	[PROMISE_DISPUTE] = promise_dispute_fields,
	[PROMISE_RENEGOTIATE] = promise_renegotiate_fields,
	[PROMISE_BREAK] = promise_break_fields,
};

#define ST(s)	(1u << (s))
#define LIVE	(ST(PROMISE_OPEN) | ST(PROMISE_DISPUTED))
#define UNCLOSED	(LIVE | ST(PROMISE_DELIVERED))

/* Who may take each action, from which states, and what they are told
 * otherwise. The state machine of DESIGN.md in one table. */
static const struct rule {
	int		 by_promisor;	/* 1: the promisor acts; 0: the promisee */
	unsigned	 states;	/* ST() of the states it starts from */
	int		 proposal;	/* 1: needs a waiting due date; -1: none */
	const char	*forbidden;	/* for the other side */
	const char	*conflict;	/* for a state it cannot start from */
} rules[PROMISE_ACTION__MAX] = {
	[PROMISE_DELIVER] = { 1, LIVE, 0,
	    "Only the side that made the promise can mark it delivered.",
	    "This promise is already marked delivered and waits for the "
	    "other side to confirm or dispute it." },
	[PROMISE_CONFIRM] = { 0, ST(PROMISE_DELIVERED), 0,
	    "Only the side the promise was made to can confirm it.",
	    "There is no delivery to confirm: the promise has not been "
	    "marked delivered." },
	[PROMISE_DISPUTE] = { 0, ST(PROMISE_DELIVERED), 0,
	    "Only the side the promise was made to can dispute a delivery.",
	    "There is no delivery to dispute: the promise has not been "
	    "marked delivered." },
	[PROMISE_RENEGOTIATE] = { 1, LIVE, -1,
	    "Only the side that made the promise can propose a new due date.",
	    "A new due date cannot be proposed while a delivery waits for "
	    "the other side's answer." },
	[PROMISE_ACCEPT_DUE] = { 0, UNCLOSED, 1,
	    "Only the side the promise was made to can accept a new due "
	    "date.",
	    "There is no proposed due date to accept." },
	[PROMISE_DECLINE_DUE] = { 0, UNCLOSED, 1,
	    "Only the side the promise was made to can decline a new due "
	    "date.",
	    "There is no proposed due date to decline." },
	[PROMISE_BREAK] = { 1, LIVE, 0,
	    "Only the side that made the promise can give it up.",
	    "This promise cannot be given up while a delivery waits for the "
	    "other side's answer." },
};

static const char *const closed_msg[PROMISE_STATE__MAX] = {
	[PROMISE_KEPT] = "This promise was kept and is closed: it cannot "
	    "change any more.",
	[PROMISE_BROKEN] = "This promise was given up and is closed: it "
	    "cannot change any more.",
};

enum promise_stmt {
	STMT_PROMISE_INSERT,
	STMT_PROMISE_GET,
	STMT_PROMISE_LIST,
	STMT_PROMISE_COUNT,
	STMT_PROMISE_SET_STATE,
	STMT_PROMISE_KEEP,
	STMT_PROMISE_BREAK,
	STMT_PROMISE_SET_DUE,
	STMT_PROMISE_OPEN_EXPECTATIONS,
	STMT_PROMISE_OPEN_CONCERNS,
	STMT_DELIVERY_INSERT,
	STMT_DELIVERY_DECIDE,
	STMT_DELIVERY_LIST,
	STMT_CHANGE_INSERT,
	STMT_CHANGE_DECIDE,
	STMT_CHANGE_LIST,
	STMT_PROMISE_FIGURES,
	STMT_PROMISE_INTEGRITY,
	STMT_PROMISE_DUE_UNNOTIFIED,
	STMT_PROMISE__MAX
};

/* A promise with its names, its waiting delivery and due change (at most
 * one of each: unique indexes) and how often its due date changed. */
#define PROMISE_COLS \
	"SELECT p.id, p.account_id, p.promisor_side, p.title, p.detail, " \
	"p.due_date, p.original_due, p.state, " \
	"coalesce(p.expectation_id, 0), coalesce(e.title, ''), " \
	"coalesce(p.concern_id, 0), coalesce(c.title, ''), u.name, " \
	"p.created_at, coalesce(p.kept_on, ''), coalesce(p.on_time, -1), " \
	"coalesce(p.closed_at, ''), coalesce(p.broken_reason, ''), " \
	"coalesce(bu.name, ''), coalesce(d.id, 0), " \
	"coalesce(d.delivered_on, ''), coalesce(ch.id, 0), " \
	"coalesce(ch.new_due, ''), coalesce(ch.reason, ''), " \
	"(SELECT count(*) FROM promise_due_changes x " \
	"WHERE x.promise_id = p.id AND x.outcome = 'accepted') " \
	"FROM promises p JOIN users u ON u.id = p.created_by " \
	"LEFT JOIN users bu ON bu.id = p.broken_by " \
	"LEFT JOIN expectations e ON e.id = p.expectation_id " \
	"LEFT JOIN concerns c ON c.id = p.concern_id " \
	"LEFT JOIN promise_deliveries d ON d.promise_id = p.id " \
	"AND d.outcome = 'pending' " \
	"LEFT JOIN promise_due_changes ch ON ch.promise_id = p.id " \
	"AND ch.outcome = 'pending' "

/*
 * How the scorecard counts promise p (struct promise_stats), shared by
 * STMT_PROMISE_INTEGRITY and the list's filters so that the two cannot
 * drift apart: it fell due on the days lo..hi (SQL expressions), and
 * what became of it.
 */
#define PROMISE_DUE_IN(lo, hi)	"p.due_date BETWEEN " lo " AND " hi " "
#define PROMISE_ON_TIME		"p.state = 'kept' AND p.on_time = 1"
#define PROMISE_LATE		"p.state = 'kept' AND p.on_time = 0"
#define PROMISE_BROKEN_		"p.state = 'broken'"
#define PROMISE_DELIVERED_	"p.state = 'delivered'"
#define PROMISE_OVERDUE		"p.state IN ('open', 'disputed')"
#define PROMISE_DISPUTED_	"p.state = 'disputed'"
#define PROMISE_RENEGOTIATED \
	"EXISTS (SELECT 1 FROM promise_due_changes c " \
	"WHERE c.promise_id = p.id AND c.outcome = 'accepted')"

/*
 * The list filters: ?2 state, ?3 promisor side, ?6 today for overdue,
 * ?7..?8 the days the due date lies in (entry_bind_days()), ?9 an
 * outcome (promise_outcome_names) of those that fell due before ?10,
 * today; NULL means no filter (?4 and ?5 are entry_page()'s).
 */
#define PROMISE_WHERE \
	"WHERE p.account_id = ?1 AND (?2 IS NULL OR p.state = ?2) " \
	"AND (?3 IS NULL OR p.promisor_side = ?3) " \
	"AND (?6 IS NULL OR (p.state IN ('open', 'disputed') " \
	"AND p.due_date < ?6)) " \
	"AND (?7 IS NULL OR " PROMISE_DUE_IN("?7", "?8") ") " \
	"AND (?9 IS NULL OR p.due_date < ?10 AND CASE ?9 " \
	"WHEN 'kept-on-time' THEN (" PROMISE_ON_TIME ") " \
	"WHEN 'kept-late' THEN (" PROMISE_LATE ") " \
	"WHEN 'broken' THEN (" PROMISE_BROKEN_ ") " \
	"WHEN 'delivered' THEN (" PROMISE_DELIVERED_ ") " \
	"WHEN 'overdue' THEN (" PROMISE_OVERDUE ") " \
	"WHEN 'disputed' THEN (" PROMISE_DISPUTED_ ") " \
	"WHEN 'renegotiated' THEN " PROMISE_RENEGOTIATED " END) "

/* Side's promises for STMT_PROMISE_INTEGRITY: a range of
 * promises_side_due. (Both sides at once by "IN" would build a table of
 * the two names on every run.) */
#define PROMISE_SCORED(side) \
	"SELECT p.due_date, '" side "', " PROMISE_ON_TIME ", " \
	PROMISE_LATE ", " PROMISE_BROKEN_ ", " PROMISE_DELIVERED_ ", " \
	PROMISE_OVERDUE ", " PROMISE_DISPUTED_ ", " PROMISE_RENEGOTIATED \
	" FROM promises p WHERE p.account_id = ?1 " \
	"AND p.promisor_side = '" side "' AND " PROMISE_DUE_IN("?2", "?3")

static const char *const promise_sql[STMT_PROMISE__MAX] = {
	/* ?1..?4 as entry_insert() binds them. */
	[STMT_PROMISE_INSERT] =
	    "INSERT INTO promises (account_id, promisor_side, created_by, "
	    "created_at, title, detail, due_date, original_due, "
	    "expectation_id, concern_id) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
	[STMT_PROMISE_GET] = PROMISE_COLS
	    "WHERE p.id = ?1 AND p.account_id = ?2",
	[STMT_PROMISE_LIST] = PROMISE_COLS PROMISE_WHERE
	    "ORDER BY p.state IN ('kept', 'broken'), p.due_date, p.id "
	    "LIMIT ?4 OFFSET ?5",
	[STMT_PROMISE_COUNT] =
	    "SELECT count(*) FROM promises p " PROMISE_WHERE,
	[STMT_PROMISE_SET_STATE] =
	    "UPDATE promises SET state = ?2 WHERE id = ?1",
	/* On time: delivered ?2 on or before the due date in force. */
	[STMT_PROMISE_KEEP] =
	    "UPDATE promises SET state = 'kept', kept_on = ?2, "
	    "on_time = (?2 <= due_date), closed_at = ?3 WHERE id = ?1",
	[STMT_PROMISE_BREAK] =
	    "UPDATE promises SET state = 'broken', broken_reason = ?2, "
	    "closed_at = ?3, broken_by = ?4 WHERE id = ?1",
	[STMT_PROMISE_SET_DUE] =
	    "UPDATE promises SET due_date = ?2 WHERE id = ?1",
	[STMT_PROMISE_OPEN_EXPECTATIONS] =
	    "SELECT id, title FROM expectations WHERE account_id = ?1 "
	    "AND state IN ('proposed', 'acknowledged') "
	    "ORDER BY id DESC LIMIT " LINKS_MAX,
	[STMT_PROMISE_OPEN_CONCERNS] =
	    "SELECT id, title FROM concerns WHERE account_id = ?1 "
	    "AND state IN ('open', 'proposed') "
	    "ORDER BY id DESC LIMIT " LINKS_MAX,
	[STMT_DELIVERY_INSERT] =
	    "INSERT INTO promise_deliveries (promise_id, delivered_on, note, "
	    "delivered_by, delivered_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_DELIVERY_DECIDE] =
	    "UPDATE promise_deliveries SET outcome = ?2, reason = ?3, "
	    "decided_by = ?4, decided_at = ?5 "
	    "WHERE id = ?1 AND outcome = 'pending'",
	[STMT_DELIVERY_LIST] =
	    "SELECT d.id, d.delivered_on, d.note, u.name, d.delivered_at, "
	    "d.outcome, coalesce(d.reason, ''), coalesce(x.name, ''), "
	    "coalesce(d.decided_at, '') "
	    "FROM promise_deliveries d JOIN users u ON u.id = d.delivered_by "
	    "LEFT JOIN users x ON x.id = d.decided_by "
	    "WHERE d.promise_id = ?1 ORDER BY d.id LIMIT " HISTORY_MAX,
	[STMT_CHANGE_INSERT] =
	    "INSERT INTO promise_due_changes (promise_id, new_due, reason, "
	    "proposed_by, proposed_at, old_due) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* Decide the waiting proposal; ?3 NULL when it lapses. */
	[STMT_CHANGE_DECIDE] =
	    "UPDATE promise_due_changes SET outcome = ?2, decided_by = ?3, "
	    "decided_at = ?4 WHERE promise_id = ?1 AND outcome = 'pending'",
	[STMT_CHANGE_LIST] =
	    "SELECT c.id, c.old_due, c.new_due, c.reason, u.name, "
	    "c.proposed_at, c.outcome, coalesce(x.name, ''), "
	    "coalesce(c.decided_at, '') "
	    "FROM promise_due_changes c JOIN users u ON u.id = c.proposed_by "
	    "LEFT JOIN users x ON x.id = c.decided_by "
	    "WHERE c.promise_id = ?1 ORDER BY c.id LIMIT " HISTORY_MAX,
	[STMT_PROMISE_FIGURES] =
	    "SELECT coalesce(sum(state = 'open'), 0), "
	    "coalesce(sum(state = 'delivered'), 0), "
	    "coalesce(sum(state = 'disputed'), 0), "
	    "coalesce(sum(state IN ('open', 'disputed') AND due_date < ?3), 0) "
	    "FROM promises WHERE account_id = ?1 AND promisor_side = ?2",
	/* Both sides' promises due on the days ?2..?3 (?3 is the period's
	 * last day, or the day before today while it runs), for the
	 * scorecard: when each is due, its side, its state, whether it was
	 * kept on time, and whether a new due date was accepted. */
	[STMT_PROMISE_INTEGRITY] = PROMISE_SCORED("buyer") "UNION ALL "
	    PROMISE_SCORED("supplier"),
	/*
	 * Open or disputed promises in the accounts of org ?1 due by ?3
	 * (today ?2 + 7 days) for which some active user of the promisor
	 * side lacks the notice keyed as in due_key().
	 */
	[STMT_PROMISE_DUE_UNNOTIFIED] =
	    "SELECT p.id, p.account_id, a.buyer_org_id, a.supplier_org_id, "
	    "p.promisor_side, p.title, p.due_date "
	    "FROM promises p JOIN accounts a ON a.id = p.account_id "
	    "WHERE (a.buyer_org_id = ?1 OR a.supplier_org_id = ?1) "
	    "AND p.state IN ('open', 'disputed') AND p.due_date <= ?3 "
	    "AND EXISTS (SELECT 1 FROM users u WHERE u.active = 1 "
	    "AND u.org_id = CASE p.promisor_side WHEN 'buyer' "
	    "THEN a.buyer_org_id ELSE a.supplier_org_id END "
	    "AND NOT EXISTS (SELECT 1 FROM notifications n "
	    "WHERE n.user_id = u.id AND n.key = "
	    "CASE WHEN p.due_date < ?2 THEN 'overdue' ELSE 'due-soon' END "
	    "|| ':promise:' || p.id || ':' || p.due_date)) "
	    "ORDER BY p.id LIMIT " DUE_BATCH_MAX,
};

const struct db_stmt_table promise_stmts = {
	"promise", promise_sql, STMT_PROMISE__MAX
};

static void
today_str(char *dst, size_t len)
{
	clock_date(clock_now(), dst, len);
}

/* db_row_fn for a struct promise from a row of PROMISE_COLS, all but
 * overdue (mark_overdue()). */
static void
promise_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct promise *p = out;

	p->id = sqlite3_column_int64(st, 0);
	p->account_id = sqlite3_column_int64(st, 1);
	p->promisor = account_side_col(st, 2);
	p->promisee = account_other_side(p->promisor);
	p->title = db_col_text(a, st, 3);
	p->detail = db_col_text(a, st, 4);
	p->due_date = db_col_text(a, st, 5);
	p->original_due = db_col_text(a, st, 6);
	p->state = (enum promise_state)db_col_enum(st, 7, promise_state_names,
	    PROMISE_OPEN);
	p->expectation_id = sqlite3_column_int64(st, 8);
	p->expectation_title = db_col_text(a, st, 9);
	p->concern_id = sqlite3_column_int64(st, 10);
	p->concern_title = db_col_text(a, st, 11);
	p->created_by_name = db_col_text(a, st, 12);
	p->created_at = db_col_text(a, st, 13);
	p->kept_on = db_col_text(a, st, 14);
	p->on_time = sqlite3_column_int(st, 15);
	p->closed_at = db_col_text(a, st, 16);
	p->broken_reason = db_col_text(a, st, 17);
	p->broken_by_name = db_col_text(a, st, 18);
	p->delivery_id = sqlite3_column_int64(st, 19);
	p->delivered_on = db_col_text(a, st, 20);
	p->change_id = sqlite3_column_int64(st, 21);
	p->proposed_due = db_col_text(a, st, 22);
	p->proposed_reason = db_col_text(a, st, 23);
	p->renegotiated = sqlite3_column_int(st, 24);
}

/* Whether p is overdue: open or disputed, and due before today. */
static void
mark_overdue(struct promise *p, const char *today)
{
	p->overdue = (p->state == PROMISE_OPEN ||
	    p->state == PROMISE_DISPUTED) && strcmp(p->due_date, today) < 0;
}

/* Read promise id of account_id into *p: KW_OK, KW_NOTFOUND or a
 * database status. */
static enum kw_status
promise_read(struct db *db, struct arena *a, long long account_id,
    long long id, struct promise *p)
{
	sqlite3_stmt *st;
	char today[16];
	enum kw_status ret;

	memset(p, 0, sizeof(*p));
	if (id <= 0)
		return KW_NOTFOUND;
	if ((st = db_stmt(db, &promise_stmts, STMT_PROMISE_GET)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, account_id);
	}
	if ((ret = db_one(db, a, st, promise_row, p)) == KW_OK) {
		today_str(today, sizeof(today));
		mark_overdue(p, today);
	}
	return ret;
}

/* Set *err (may be NULL) and return st. */
static enum kw_status
fail(struct promise_err *err, enum kw_status st, const char *field,
    const char *msg)
{
	if (err != NULL) {
		err->field = field;
		err->msg = msg;
	}
	return st;
}

/* Whether a user of side may take act on p: KW_OK, KW_FORBIDDEN or
 * KW_CONFLICT (with err). */
static enum kw_status
rule_check(const struct promise *p, enum account_side side,
    enum promise_action act, struct promise_err *err)
{
	const struct rule *r;

	if ((int)act < 0 || act >= PROMISE_ACTION__MAX)
		return fail(err, KW_BADREQ, NULL, "There is no such action.");
	r = &rules[act];
	if ((r->by_promisor ? p->promisor : p->promisee) != side)
		return fail(err, KW_FORBIDDEN, NULL, r->forbidden);
	if (p->state == PROMISE_KEPT || p->state == PROMISE_BROKEN)
		return fail(err, KW_CONFLICT, NULL, closed_msg[p->state]);
	if (r->proposal > 0 && p->change_id == 0)
		return fail(err, KW_CONFLICT, NULL, r->conflict);
	if (r->proposal < 0 && p->change_id != 0)
		return fail(err, KW_CONFLICT, NULL, "A proposed due date "
		    "already waits for the other side's answer.");
	if (!(r->states & ST(p->state)))
		return fail(err, KW_CONFLICT, NULL, r->conflict);
	return KW_OK;
}

int
promise_may(const struct promise *p, enum account_side side,
    enum promise_action act)
{
	return rule_check(p, side, act, NULL) == KW_OK;
}

/*
 * Check values[i] (NULL = absent) against fields[i] (at most FIELDS_MAX)
 * the way a form is checked; out[i] gets the outcome. KW_OK, or
 * KW_BADREQ with err naming the first faulty field.
 */
static enum kw_status
check_input(struct arena *a, const struct valid_field *fields,
    const char *const *values, struct valid_value *out,
    struct promise_err *err)
{
	struct req_pair pairs[FIELDS_MAX];
	size_t i, n, np = 0;

	for (n = 0; fields[n].name != NULL; n++) {
		assert(n < FIELDS_MAX);
		if (values[n] == NULL)
			continue;
		pairs[np].key = fields[n].name;
		pairs[np].val = values[n];
		pairs[np++].vallen = strlen(values[n]);
	}
	if (valid_fields(a, pairs, np, fields, n, out) == 0)
		return KW_OK;
	for (i = 0; out[i].error == NULL; i++)
		continue;
	return fail(err, KW_BADREQ, fields[i].name, out[i].error);
}

/* KW_OK if id is 0 (no link) or names an entry of kind in account_id;
 * else KW_BADREQ with msg for field, or a database status. */
static enum kw_status
link_check(struct db *db, enum entry_kind kind, long long id,
    long long account_id, const char *field, const char *msg,
    struct promise_err *err)
{
	enum kw_status ret;

	if (id == 0)
		return KW_OK;
	if ((ret = entry_exists(db, kind, account_id, id)) == KW_NOTFOUND)
		return fail(err, KW_BADREQ, field, msg);
	return ret;
}

/* entry_created_fn: the other side is told of promise id with in, the
 * notice's text. */
static enum kw_status
promise_created(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, const char *entity, long long id,
    const void *in)
{
	return notify_side(db, actor, acct, account_other_side(acct->my_side),
	    NOTIFY_PROMISE, entity, id, in,
	    arena_xprintf(a, "promise:%lld:made", id));
}

enum kw_status
promise_create_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct promise_new *in, long long *id,
    struct promise_err *err)
{
	struct account acct;
	struct valid_value v[FIELDS_MAX];
	const char *values[FIELDS_MAX];
	sqlite3_stmt *st;
	char today[16];
	enum kw_status ret;

	if ((ret = account_get(db, a, actor->org_id, account_id, &acct)) !=
	    KW_OK)
		return fail(err, ret, NULL, NULL);
	values[0] = in->title;
	values[1] = in->detail;
	values[2] = in->due_date;
	values[3] = values[4] = NULL;
	if ((ret = check_input(a, promise_fields, values, v, err)) != KW_OK)
		return ret;
	today_str(today, sizeof(today));
	if (strcmp(v[2].s, today) < 0)
		return fail(err, KW_BADREQ, "due_date",
		    "The due date cannot be in the past.");
	/* Entries are never deleted: a link checked now stays good. */
	if ((ret = link_check(db, ENTRY_EXPECTATION, in->expectation_id,
	    acct.id, "expectation_id", "Choose an expectation of this "
	    "account, or none.", err)) != KW_OK ||
	    (ret = link_check(db, ENTRY_CONCERN, in->concern_id, acct.id,
	    "concern_id", "Choose a concern of this account, or none.",
	    err)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &promise_stmts, STMT_PROMISE_INSERT)) != NULL) {
		db_bind_text(st, 5, v[0].s);
		db_bind_text(st, 6, v[1].s != NULL ? v[1].s : "");
		db_bind_text(st, 7, v[2].s);
		db_bind_id(st, 8, in->expectation_id);
		db_bind_id(st, 9, in->concern_id);
	}
	return entry_insert_in(db, a, actor, &acct, st, "promise",
	    arena_xprintf(a, "due %s", v[2].s), promise_created,
	    arena_xprintf(a, "The %s promised \"%s\" by %s.",
	    account_side_names[acct.my_side], v[0].s, v[2].s), id);
}

enum kw_status
promise_create(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct promise_new *in, long long *id,
    struct promise_err *err)
{
	long long nid = 0;
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	ret = db_finish(db, promise_create_in(db, a, actor, account_id, in,
	    &nid, err));
	if (ret == KW_OK && id != NULL)
		*id = nid;
	return ret;
}

/* Set one column of promise id with sid (STMT_PROMISE_SET_STATE or
 * STMT_PROMISE_SET_DUE) to value. */
static enum kw_status
set_column(struct db *db, int sid, long long id, const char *value)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &promise_stmts, sid)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, value);
	return db_exec(db, st);
}

/* Answer the waiting delivery did: outcome, reason (NULL = none). */
static enum kw_status
decide_delivery(struct db *db, long long did, const char *outcome,
    const char *reason, const struct user *actor, const char *now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &promise_stmts, STMT_DELIVERY_DECIDE)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, did);
	db_bind_text(st, 2, outcome);
	db_bind_text(st, 3, reason);
	db_bind_int(st, 4, actor->id);
	db_bind_text(st, 5, now);
	return db_exec(db, st);
}

/* Decide the waiting due change of promise id, if any: accepted or
 * declined by actor, or lapsed (actor NULL). */
static enum kw_status
decide_change(struct db *db, long long id, const char *outcome,
    const struct user *actor, const char *now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &promise_stmts, STMT_CHANGE_DECIDE)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, outcome);
	db_bind_id(st, 3, actor != NULL ? actor->id : 0);
	db_bind_text(st, 4, now);
	return db_exec(db, st);
}

/* Run one of the statements that close promise id (STMT_PROMISE_KEEP with
 * the delivery date, STMT_PROMISE_BREAK with the reason); a waiting due
 * change lapses. */
static enum kw_status
close_promise(struct db *db, int sid, long long id, const char *text,
    const struct user *actor, const char *now)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((st = db_stmt(db, &promise_stmts, sid)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, text);
	db_bind_text(st, 3, now);
	if (sid == STMT_PROMISE_BREAK)
		db_bind_int(st, 4, actor->id);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	return decide_change(db, id, "lapsed", NULL, now);
}

/* Insert a delivery (date, note) or a due change (date, reason) of p by
 * actor with statement sid. */
static enum kw_status
add_entry(struct db *db, int sid, const struct promise *p, const char *date,
    const char *text, const struct user *actor, const char *now)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &promise_stmts, sid)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, text);
	db_bind_int(st, 4, actor->id);
	db_bind_text(st, 5, now);
	if (sid == STMT_CHANGE_INSERT)
		db_bind_text(st, 6, p->due_date);
	return db_exec(db, st);
}

/* What an action writes besides the promise: the audit detail, and the
 * notice to the other side (kind, text, key). */
struct effect {
	const char		*detail;
	enum notify_kind	 kind;
	const char		*text;
	const char		*key;
};

/*
 * Apply act (already allowed) to p inside the transaction, with the
 * validated input date and text, and describe it in *e. KW_OK or a
 * database status.
 */
static enum kw_status
apply(struct db *db, struct arena *a, const struct user *actor,
    const struct promise *p, enum promise_action act, const char *date,
    const char *text, const char *now, struct effect *e)
{
	const char *side = account_side_names[rules[act].by_promisor ?
	    p->promisor : p->promisee];
	const char *answer = act == PROMISE_ACCEPT_DUE ? "accepted" :
	    "declined";
	long long pid = p->id;
	enum kw_status ret;

	switch (act) {
	case PROMISE_DELIVER:
		if ((ret = add_entry(db, STMT_DELIVERY_INSERT, p, date, text,
		    actor, now)) != KW_OK)
			return ret;
		e->detail = arena_xprintf(a, "delivered on %s", date);
		e->kind = NOTIFY_DELIVERY;
		e->text = arena_xprintf(a, "The %s marked \"%s\" delivered: "
		    "please confirm or dispute it.", side, p->title);
		e->key = arena_xprintf(a, "delivery:promise:%lld:%lld", pid,
		    db_last_id(db));
		return set_column(db, STMT_PROMISE_SET_STATE, pid,
		    "delivered");
	case PROMISE_CONFIRM:
		e->detail = arena_xprintf(a, "kept on %s, %s", p->delivered_on,
		    strcmp(p->delivered_on, p->due_date) <= 0 ? "on time" :
		    "late");
		e->kind = NOTIFY_PROMISE;
		e->text = arena_xprintf(a, "The %s confirmed \"%s\" as kept.",
		    side, p->title);
		e->key = arena_xprintf(a, "promise:%lld:kept", pid);
		if ((ret = decide_delivery(db, p->delivery_id, "confirmed",
		    NULL, actor, now)) != KW_OK)
			return ret;
		return close_promise(db, STMT_PROMISE_KEEP, pid,
		    p->delivered_on, actor, now);
	case PROMISE_DISPUTE:
		e->detail = arena_xprintf(a, "delivery of %s disputed",
		    p->delivered_on);
		e->kind = NOTIFY_DISPUTE;
		e->text = arena_xprintf(a, "The %s disputed the delivery of "
		    "\"%s\".", side, p->title);
		e->key = arena_xprintf(a, "dispute:promise:%lld:%lld", pid,
		    p->delivery_id);
		if ((ret = decide_delivery(db, p->delivery_id, "disputed",
		    text, actor, now)) != KW_OK)
			return ret;
		return set_column(db, STMT_PROMISE_SET_STATE, pid,
		    "disputed");
	case PROMISE_RENEGOTIATE:
		if ((ret = add_entry(db, STMT_CHANGE_INSERT, p, date, text,
		    actor, now)) != KW_OK)
			return ret;
		e->detail = arena_xprintf(a, "proposed due %s instead of %s",
		    date, p->due_date);
		e->kind = NOTIFY_DUE_CHANGE;
		e->text = arena_xprintf(a, "The %s proposes %s as the new due "
		    "date of \"%s\".", side, date, p->title);
		e->key = arena_xprintf(a, "due-change:promise:%lld:%lld", pid,
		    db_last_id(db));
		return KW_OK;
	case PROMISE_ACCEPT_DUE:
	case PROMISE_DECLINE_DUE:
		e->detail = arena_xprintf(a, "due %s %s", p->proposed_due,
		    answer);
		e->kind = NOTIFY_DUE_CHANGE;
		e->text = arena_xprintf(a, "The %s %s %s as the new due date "
		    "of \"%s\".", side, answer, p->proposed_due, p->title);
		e->key = arena_xprintf(a, "due-change:promise:%lld:%lld:%s",
		    pid, p->change_id, answer);
		if ((ret = decide_change(db, pid, answer, actor, now)) !=
		    KW_OK || act == PROMISE_DECLINE_DUE)
			return ret;
		return set_column(db, STMT_PROMISE_SET_DUE, pid,
		    p->proposed_due);
	case PROMISE_BREAK:
		e->detail = "given up";
		e->kind = NOTIFY_PROMISE;
		e->text = arena_xprintf(a, "The %s gave up the promise \"%s\".",
		    side, p->title);
		e->key = arena_xprintf(a, "promise:%lld:broken", pid);
		return close_promise(db, STMT_PROMISE_BREAK, pid, text, actor,
		    now);
	default:
		return KW_BADREQ;
	}
}

/* Load promise id for actor and check act: the shared first half of
 * promise_act() and promise_check(). */
static enum kw_status
load_check(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum promise_action act,
    struct account *acct, struct promise *p, struct promise_err *err)
{
	enum kw_status ret;

	if ((ret = account_get(db, a, actor->org_id, account_id, acct)) !=
	    KW_OK || (ret = promise_read(db, a, acct->id, id, p)) != KW_OK)
		return fail(err, ret, NULL, NULL);
	return rule_check(p, acct->my_side, act, err);
}

enum kw_status
promise_check(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum promise_action act,
    struct promise_err *err)
{
	struct account acct;
	struct promise p;

	return load_check(db, a, actor, account_id, id, act, &acct, &p, err);
}

enum kw_status
promise_act_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum promise_action act,
    const struct promise_input *in, struct promise_err *err)
{
	static const struct promise_input none;
	struct account acct;
	struct promise p;
	struct effect e;
	struct valid_value v[FIELDS_MAX];
	const struct valid_field *f;
	const char *values[FIELDS_MAX], *date = NULL, *text = NULL;
	char today[16], now[32];
	enum kw_status ret;
	size_t i;

	if (in == NULL)
		in = &none;
	if ((ret = load_check(db, a, actor, account_id, id, act, &acct, &p,
	    err)) != KW_OK)
		return ret;
	if ((f = action_fields[act]) != NULL) {
		for (i = 0; f[i].name != NULL; i++)
			values[i] = f[i].kind == VALID_DATE ? in->date :
			    in->text;
		if ((ret = check_input(a, f, values, v, err)) != KW_OK)
			return ret;
		for (i = 0; f[i].name != NULL; i++)
			if (f[i].kind == VALID_DATE)
				date = v[i].s;
			else
				text = v[i].s;
	}
	today_str(today, sizeof(today));
	if (act == PROMISE_DELIVER && strcmp(date, today) > 0)
		return fail(err, KW_BADREQ, "delivered_on",
		    "The delivery date cannot be in the future.");
	if (act == PROMISE_RENEGOTIATE && (strcmp(date, today) < 0 ||
	    strcmp(date, p.due_date) == 0))
		return fail(err, KW_BADREQ, "new_due", strcmp(date, today) < 0 ?
		    "The new due date cannot be in the past." :
		    "That is already the due date.");
	clock_iso(clock_now(), now, sizeof(now));
	if ((ret = apply(db, a, actor, &p, act, date, text, now, &e)) !=
	    KW_OK || (ret = audit_log(db, actor, acct.id, "promise", p.id,
	    promise_action_names[act], e.detail)) != KW_OK)
		return ret;
	/* Every action concerns the other side. */
	return notify_side(db, actor, &acct, account_other_side(acct.my_side),
	    e.kind, "promise", p.id, e.text, e.key);
}

enum kw_status
promise_act(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum promise_action act,
    const struct promise_input *in, struct promise_err *err)
{
	enum kw_status ret;

	/* The state is read inside the write transaction: no other request
	 * can move the promise between the check and the change. */
	if ((ret = db_begin(db)) != KW_OK)
		return fail(err, ret, NULL, NULL);
	return db_finish(db, promise_act_in(db, a, actor, account_id, id, act,
	    in, err));
}

enum kw_status
promise_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct promise *p)
{
	struct account acct;
	enum kw_status ret;

	memset(p, 0, sizeof(*p));
	if ((ret = account_get(db, a, actor->org_id, account_id, &acct)) !=
	    KW_OK)
		return ret;
	return promise_read(db, a, acct.id, id, p);
}

/* The rows of statement sid with ?1 bound to id, as db_rows() reads
 * them. */
static enum kw_status
collect(struct db *db, struct arena *a, int sid, long long id, size_t size,
    db_row_fn fill, void **list, size_t *n)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &promise_stmts, sid)) != NULL)
		db_bind_int(st, 1, id);
	return db_rows(db, a, st, size, fill, list, n);
}

static void
delivery_row(struct arena *a, sqlite3_stmt *st, void *p)
{
	struct promise_delivery *d = p;

	d->id = sqlite3_column_int64(st, 0);
	d->delivered_on = db_col_text(a, st, 1);
	d->note = db_col_text(a, st, 2);
	d->delivered_by_name = db_col_text(a, st, 3);
	d->delivered_at = db_col_text(a, st, 4);
	d->outcome = db_col_text(a, st, 5);
	d->reason = db_col_text(a, st, 6);
	d->decided_by_name = db_col_text(a, st, 7);
	d->decided_at = db_col_text(a, st, 8);
}

static void
change_row(struct arena *a, sqlite3_stmt *st, void *p)
{
	struct promise_due_change *c = p;

	c->id = sqlite3_column_int64(st, 0);
	c->old_due = db_col_text(a, st, 1);
	c->new_due = db_col_text(a, st, 2);
	c->reason = db_col_text(a, st, 3);
	c->proposed_by_name = db_col_text(a, st, 4);
	c->proposed_at = db_col_text(a, st, 5);
	c->outcome = db_col_text(a, st, 6);
	c->decided_by_name = db_col_text(a, st, 7);
	c->decided_at = db_col_text(a, st, 8);
}

static void
link_row(struct arena *a, sqlite3_stmt *st, void *p)
{
	struct promise_link *l = p;

	l->id = sqlite3_column_int64(st, 0);
	l->title = db_col_text(a, st, 1);
}

enum kw_status
promise_history(struct db *db, struct arena *a, long long promise_id,
    struct promise_delivery **dl, size_t *nd, struct promise_due_change **dc,
    size_t *nc)
{
	void *d = NULL, *c = NULL;
	enum kw_status ret;

	*nc = 0;
	if ((ret = collect(db, a, STMT_DELIVERY_LIST, promise_id, sizeof(**dl),
	    delivery_row, &d, nd)) == KW_OK)
		ret = collect(db, a, STMT_CHANGE_LIST, promise_id,
		    sizeof(**dc), change_row, &c, nc);
	*dl = d;
	*dc = c;
	return ret;
}

/* Statement sid with the filters of q (and today, for overdue) bound as
 * PROMISE_WHERE reads them; NULL if it did not prepare. */
static sqlite3_stmt *
query_stmt(struct db *db, int sid, long long account_id,
    const struct promise_query *q, const char *today)
{
	const char *const filter[2] = {
		q->filter < PROMISE_FILTER__MAX ?
		    entry_filter(promise_state_names, PROMISE_STATE__MAX,
		    filter_state[q->filter]) : NULL,
		entry_filter(account_side_names, SIDE__MAX, q->promisor),
	};
	sqlite3_stmt *st;

	if ((st = entry_filter_stmt(db, &promise_stmts, sid, account_id,
	    filter)) != NULL) {
		db_bind_text(st, 6, q->filter == PROMISE_FILTER_OVERDUE ?
		    today : NULL);
		entry_bind_days(st, 7, q->due_from, q->due_to);
		db_bind_text(st, 9, entry_filter(promise_outcome_names,
		    PROMISE_OUTCOME__MAX, q->outcome));
		db_bind_text(st, 10, today);
	}
	return st;
}

enum kw_status
promise_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct promise_query *q,
    struct promise **list, size_t *n, size_t *total)
{
	struct account acct;
	char today[16];
	void *rows = NULL;
	size_t i;
	enum kw_status ret;

	*list = NULL;
	*n = *total = 0;
	if ((ret = account_get(db, a, actor->org_id, account_id, &acct)) !=
	    KW_OK)
		return ret;
	if ((int)q->filter < 0 || q->filter > PROMISE_FILTER__MAX ||
	    (int)q->promisor < 0 || q->promisor > SIDE__MAX ||
	    (int)q->outcome < 0 || q->outcome > PROMISE_OUTCOME__MAX ||
	    !entry_days_ok(q->due_from, q->due_to))
		return KW_BADREQ;
	today_str(today, sizeof(today));
	ret = entry_page(db, a,
	    query_stmt(db, STMT_PROMISE_LIST, acct.id, q, today),
	    query_stmt(db, STMT_PROMISE_COUNT, acct.id, q, today), q->limit,
	    q->offset, sizeof(**list), promise_row, &rows, n, total);
	*list = rows;
	for (i = 0; i < *n; i++)
		mark_overdue(&(*list)[i], today);
	return ret;
}

enum kw_status
promise_links(struct db *db, struct arena *a, long long account_id,
    struct promise_link **exp, size_t *nexp, struct promise_link **con,
    size_t *ncon)
{
	void *e = NULL, *c = NULL;
	enum kw_status ret;

	*ncon = 0;
	if ((ret = collect(db, a, STMT_PROMISE_OPEN_EXPECTATIONS, account_id,
	    sizeof(**exp), link_row, &e, nexp)) == KW_OK)
		ret = collect(db, a, STMT_PROMISE_OPEN_CONCERNS, account_id,
		    sizeof(**con), link_row, &c, ncon);
	*exp = e;
	*con = c;
	return ret;
}

/* Run the one-row count statement sid with the texts t[0..nt-1] bound
 * after ?1 account_id, reading n columns into out[0..n-1]. */
static enum kw_status
counts(struct db *db, int sid, long long account_id,
    const char *const *t, int nt, long long *out, int n)
{
	sqlite3_stmt *st;
	int i;

	if ((st = db_stmt(db, &promise_stmts, sid)) != NULL) {
		db_bind_int(st, 1, account_id);
		for (i = 0; i < nt; i++)
			db_bind_text(st, i + 2, t[i]);
	}
	return db_ints(db, st, out, n);
}

enum kw_status
promise_figures(struct db *db, long long account_id, enum account_side side,
    const char *today, struct promise_figures *out)
{
	long long c[4];
	enum kw_status ret;

	memset(out, 0, sizeof(*out));
	if ((int)side < 0 || side >= SIDE__MAX || !clock_date_ok(today))
		return KW_BADREQ;
	if ((ret = counts(db, STMT_PROMISE_FIGURES, account_id,
	    (const char *const[]){ account_side_names[side], today }, 2, c,
	    4)) != KW_OK)
		return ret;
	out->open = c[0];
	out->delivered = c[1];
	out->disputed = c[2];
	out->overdue = c[3];
	return KW_OK;
}

int
promise_due_by(const char *to, const char *today, char last[11])
{
	time_t t;

	if (clock_parse_date(today, &t) != 0)
		return -1;
	if (strcmp(to, today) < 0)
		snprintf(last, 11, "%s", to);
	else
		clock_date(t - 24 * 60 * 60, last, 11);
	return 0;
}

/* db_row_fn for STMT_PROMISE_INTEGRITY: count the promise in the struct
 * promise_stats of its period by the statement's flags of what became
 * of it (the PROMISE_ON_TIME... rules). */
static void
integrity_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct promise_stats *ps = out;

	(void)a;
	ps->fallen_due++;
	ps->kept_on_time += sqlite3_column_int(st, 2);
	ps->kept_late += sqlite3_column_int(st, 3);
	ps->broken += sqlite3_column_int(st, 4);
	ps->delivered += sqlite3_column_int(st, 5);
	ps->still_overdue += sqlite3_column_int(st, 6);
	ps->disputed += sqlite3_column_int(st, 7);
	ps->renegotiated += sqlite3_column_int(st, 8);
}

enum kw_status
promise_integrity_periods(struct db *db, long long account_id,
    const struct account_period *per, size_t n, const char *today,
    struct promise_stats *out)
{
	struct account_period *due;
	size_t i;
	enum kw_status ret;

	for (i = 0; i < SIDE__MAX * n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].integrity = -1;
	}
	if (n < 1 || !clock_date_ok(today))
		return KW_BADREQ;
	for (i = 0; i < n; i++)
		if (!clock_date_ok(per[i].from) || !clock_date_ok(per[i].to) ||
		    strcmp(per[i].from, per[i].to) > 0)
			return KW_BADREQ;
	/* Each period up to its last day whose promises have fallen due:
	 * one range of promises_side_due for them all. */
	if ((due = calloc(n, sizeof(*due))) == NULL)
		return KW_INTERNAL;
	for (i = 0; i < n; i++) {
		memcpy(due[i].from, per[i].from, sizeof(due[i].from));
		(void)promise_due_by(per[i].to, today, due[i].to);
	}
	ret = entry_figures(db, NULL, NULL, account_id, &promise_stmts,
	    STMT_PROMISE_INTEGRITY, 1, due, n, integrity_row, out,
	    sizeof(*out));
	free(due);
	for (i = 0; i < SIDE__MAX * n; i++)
		if (out[i].fallen_due > 0)
			out[i].integrity = (int)(out[i].kept_on_time * 100 /
			    out[i].fallen_due);
	return ret;
}

enum kw_status
promise_integrity(struct db *db, long long account_id,
    enum account_side side, const char *from, const char *to,
    const char *today, struct promise_stats *out)
{
	struct account_period p;
	struct promise_stats both[SIDE__MAX];
	enum kw_status ret;

	memset(out, 0, sizeof(*out));
	out->integrity = -1;
	if ((int)side < 0 || side >= SIDE__MAX ||
	    entry_period(&p, from, to) != KW_OK || from == NULL || to == NULL)
		return KW_BADREQ;
	if ((ret = promise_integrity_periods(db, account_id, &p, 1, today,
	    both)) == KW_OK)
		*out = both[side];
	return ret;
}

/* One promise that wants a due-soon or overdue notice. */
struct due {
	struct account	 acct;		/* id and org ids only */
	long long	 id;
	enum account_side promisor;
	const char	*title;
	const char	*due_date;
};

/* db_row_fn for a struct due, from STMT_PROMISE_DUE_UNNOTIFIED. */
static void
due_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct due *d = out;

	d->id = sqlite3_column_int64(st, 0);
	d->acct.id = sqlite3_column_int64(st, 1);
	d->acct.buyer_org_id = sqlite3_column_int64(st, 2);
	d->acct.supplier_org_id = sqlite3_column_int64(st, 3);
	d->promisor = account_side_col(st, 4);
	d->title = db_col_text(a, st, 5);
	d->due_date = db_col_text(a, st, 6);
}

/* Inside the transaction: tell the promisor side of d that it falls due
 * soon, or is overdue (due before today). */
static enum kw_status
notify_due(struct db *db, struct arena *a, const struct due *d,
    const char *today)
{
	int overdue = strcmp(d->due_date, today) < 0;

	return notify_side(db, NULL, &d->acct, d->promisor,
	    overdue ? NOTIFY_OVERDUE : NOTIFY_DUE_SOON, "promise", d->id,
	    arena_xprintf(a, overdue ? "\"%s\" was due on %s and is overdue." :
	    "\"%s\" falls due on %s.", d->title, d->due_date),
	    arena_xprintf(a, "%s:promise:%lld:%s", overdue ? "overdue" :
	    "due-soon", d->id, d->due_date));
}

enum kw_status
promise_notify_due(struct db *db, const struct user *viewer)
{
	struct arena *a;
	struct due *l;
	sqlite3_stmt *st;
	void *rows;
	char today[16], soon[16];
	size_t i, n = 0;
	enum kw_status ret;

	if (viewer == NULL || viewer->org_id <= 0)
		return KW_OK;
	if ((a = arena_new(4096, 0)) == NULL)
		return KW_INTERNAL;
	today_str(today, sizeof(today));
	clock_date(clock_now() + DUE_SOON_DAYS * 86400, soon, sizeof(soon));

	/* Read first (no lock taken when every notice exists already). */
	if ((st = db_stmt(db, &promise_stmts, STMT_PROMISE_DUE_UNNOTIFIED)) !=
	    NULL) {
		db_bind_int(st, 1, viewer->org_id);
		db_bind_text(st, 2, today);
		db_bind_text(st, 3, soon);
	}
	ret = db_rows(db, a, st, sizeof(*l), due_row, &rows, &n);
	l = rows;
	if (ret == KW_OK && n > 0 && (ret = db_begin(db)) == KW_OK) {
		for (i = 0; i < n && ret == KW_OK; i++)
			ret = notify_due(db, a, &l[i], today);
		ret = db_finish(db, ret);
	}
	arena_free(a);
	return ret;
}
