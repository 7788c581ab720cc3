/* review.c: the periodic review of an account, signed by both sides'
 * owners and frozen with both scorecards when both have signed. */
#include "config.h"

#include <stddef.h>
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
#include "review.h"
#include "scorecard.h"

const char *const review_state_names[REVIEW_STATE__MAX + 1] = {
	[REVIEW_DRAFT] = "draft",
	[REVIEW_OPEN] = "open",
	[REVIEW_FROZEN] = "frozen",
	[REVIEW_STATE__MAX] = NULL,
};

enum review_stmt {
	STMT_REVIEW_INSERT,
	STMT_REVIEW_OPEN_DRAFT,
	STMT_REVIEW_ID,
	STMT_REVIEW_GET,
	STMT_REVIEW_LIST,
	STMT_REVIEW_SIGN_BUYER,
	STMT_REVIEW_SIGN_SUPPLIER,
	STMT_REVIEW_FREEZE,
	STMT_REVIEW_UNSIGNED,
	STMT_REVIEW_NOTICES,
	STMT_SCORE_INSERT,
	STMT_SCORE_GET,
	STMT_ACTION_INSERT,
	STMT_ACTION_LIST,
	STMT_REVIEW__MAX
};

#define REVIEW_COLS \
	"r.id, r.account_id, r.period_start, r.period_end, r.state, " \
	"r.opened_at, coalesce(r.opened_by, 0), coalesce(uo.name, ''), " \
	"coalesce(r.buyer_signed_by, 0), coalesce(ub.name, ''), " \
	"coalesce(r.buyer_signed_at, ''), " \
	"coalesce(r.supplier_signed_by, 0), coalesce(us.name, ''), " \
	"coalesce(r.supplier_signed_at, ''), coalesce(r.frozen_at, '') " \
	"FROM reviews r " \
	"LEFT JOIN users uo ON uo.id = r.opened_by " \
	"LEFT JOIN users ub ON ub.id = r.buyer_signed_by " \
	"LEFT JOIN users us ON us.id = r.supplier_signed_by "

#define SCORE_COLS \
	"fallen_due, kept_on_time, kept_late, broken, delivered, " \
	"still_overdue, disputed, renegotiated, integrity, met, partly, " \
	"not_met, unassessed, updates_shared, updates_acknowledged, " \
	"contacts, last_contact, days_since_contact, ratings, rating_mean"

static const char *const review_sql[STMT_REVIEW__MAX] = {
	[STMT_REVIEW_INSERT] =
	    "INSERT INTO reviews (account_id, period_start, period_end, "
	    "state, opened_at, opened_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	    "ON CONFLICT (account_id, period_start) DO NOTHING",
	[STMT_REVIEW_OPEN_DRAFT] =
	    "UPDATE reviews SET state = 'open' WHERE account_id = ?1 "
	    "AND period_start = ?2 AND state = 'draft'",
	[STMT_REVIEW_ID] =
	    "SELECT id FROM reviews WHERE account_id = ?1 "
	    "AND period_start = ?2",
	[STMT_REVIEW_GET] =
	    "SELECT " REVIEW_COLS "WHERE r.id = ?1 AND r.account_id = ?2",
	[STMT_REVIEW_LIST] =
	    "SELECT " REVIEW_COLS "WHERE r.account_id = ?1 "
	    "ORDER BY r.period_start DESC",
	[STMT_REVIEW_SIGN_BUYER] =
	    "UPDATE reviews SET buyer_signed_by = ?2, buyer_signed_at = ?3 "
	    "WHERE id = ?1 AND buyer_signed_by IS NULL",
	[STMT_REVIEW_SIGN_SUPPLIER] =
	    "UPDATE reviews SET supplier_signed_by = ?2, "
	    "supplier_signed_at = ?3 "
	    "WHERE id = ?1 AND supplier_signed_by IS NULL",
	[STMT_REVIEW_FREEZE] =
	    "UPDATE reviews SET state = 'frozen', frozen_at = ?2 "
	    "WHERE id = ?1 AND state <> 'frozen'",
	[STMT_REVIEW_UNSIGNED] =
	    "SELECT id, period_start, period_end, "
	    "buyer_signed_by IS NULL, supplier_signed_by IS NULL "
	    "FROM reviews WHERE account_id = ?1 AND state = 'open'",
	[STMT_REVIEW_NOTICES] =
	    "SELECT count(*) FROM notifications WHERE kind = 'review'",
	[STMT_SCORE_INSERT] =
	    "INSERT INTO review_scores (review_id, side, " SCORE_COLS ") "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
	[STMT_SCORE_GET] =
	    "SELECT " SCORE_COLS " FROM review_scores "
	    "WHERE review_id = ?1 AND side = ?2",
	[STMT_ACTION_INSERT] =
	    "INSERT INTO review_actions (review_id, promise_id) "
	    "VALUES (?1, ?2)",
	[STMT_ACTION_LIST] =
	    "SELECT p.id, p.promisor_side, p.title, p.due_date, p.state "
	    "FROM review_actions ra JOIN promises p ON p.id = ra.promise_id "
	    "WHERE ra.review_id = ?1 ORDER BY ra.id",
};

const struct db_stmt_table review_stmts = {
	"review", review_sql, STMT_REVIEW__MAX
};

/* db_row_fn for a struct review from a row of REVIEW_COLS. */
static void
review_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct review *r = out;
	int side, col;

	r->id = sqlite3_column_int64(st, 0);
	r->account_id = sqlite3_column_int64(st, 1);
	r->period_start = db_col_text(a, st, 2);
	r->period_end = db_col_text(a, st, 3);
	r->state = db_col_enum(st, 4, review_state_names, REVIEW_OPEN);
	r->opened_at = db_col_text(a, st, 5);
	r->opened_by = sqlite3_column_int64(st, 6);
	r->opened_by_name = db_col_text(a, st, 7);
	for (side = 0, col = 8; side < SIDE__MAX; side++, col += 3) {
		r->signed_by[side] = sqlite3_column_int64(st, col);
		r->signed_by_name[side] = db_col_text(a, st, col + 1);
		r->signed_at[side] = db_col_text(a, st, col + 2);
	}
	r->frozen_at = db_col_text(a, st, 14);
}

/* db_row_fn for a struct review_action. */
static void
action_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct review_action *x = out;

	x->promise_id = sqlite3_column_int64(st, 0);
	x->side = account_side_col(st, 1);
	x->title = db_col_text(a, st, 2);
	x->due_date = db_col_text(a, st, 3);
	x->state = db_col_text(a, st, 4);
}

static void
today_str(char *dst, size_t len)
{
	clock_date(clock_now(), dst, len);
}

/* Tell both sides of acct of review id (the system's notice). */
static enum kw_status
notify_both(struct db *db, const struct user *actor,
    const struct account *acct, long long id, const char *text,
    const char *key)
{
	enum kw_status ret = KW_OK;
	int side;

	for (side = 0; side < SIDE__MAX && ret == KW_OK; side++)
		ret = notify_side(db, actor, acct, side, NOTIFY_REVIEW,
		    "review", id, text, key);
	return ret;
}

/* Insert the review of p for acct in state, opened by actor (NULL: the
 * system), inside the caller's transaction; *id gets it, 0 if the period
 * has one already. */
static enum kw_status
insert_review(struct db *db, const struct account *acct,
    const struct account_period *p, enum review_state state,
    const struct user *actor, long long *id)
{
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;

	*id = 0;
	if ((st = db_stmt(db, &review_stmts, STMT_REVIEW_INSERT)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, acct->id);
	db_bind_text(st, 2, p->from);
	db_bind_text(st, 3, p->to);
	db_bind_text(st, 4, review_state_names[state]);
	db_bind_text(st, 5, now);
	db_bind_id(st, 6, actor != NULL ? actor->id : 0);
	if ((ret = db_exec(db, st)) == KW_OK && db_changes(db) == 1)
		*id = db_last_id(db);
	return ret;
}

/* The id of acct's review of the period starting on from, or 0. */
static long long
review_id(struct db *db, long long account_id, const char *from)
{
	sqlite3_stmt *st;
	long long id;

	if ((st = db_stmt(db, &review_stmts, STMT_REVIEW_ID)) == NULL)
		return 0;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, from);
	(void)db_ints(db, st, &id, 1);
	return id;
}

/* Open the review of ended period p of acct, or its draft; *opened
 * grows by one if it did. Inside the caller's transaction. */
static enum kw_status
open_one(struct db *db, struct arena *a, const struct account *acct,
    const struct account_period *p, size_t *opened)
{
	sqlite3_stmt *st;
	long long id;
	enum kw_status ret;

	if ((ret = insert_review(db, acct, p, REVIEW_OPEN, NULL, &id)) !=
	    KW_OK)
		return ret;
	if (id == 0) {
		if ((st = db_stmt(db, &review_stmts,
		    STMT_REVIEW_OPEN_DRAFT)) == NULL)
			return KW_INTERNAL;
		db_bind_int(st, 1, acct->id);
		db_bind_text(st, 2, p->from);
		if ((ret = db_exec(db, st)) != KW_OK || db_changes(db) != 1)
			return ret;
		id = review_id(db, acct->id, p->from);
	}
	(*opened)++;
	if ((ret = audit_log(db, NULL, acct->id, "review", id, "open",
	    arena_xprintf(a, "%s to %s", p->from, p->to))) != KW_OK)
		return ret;
	return notify_both(db, NULL, acct, id,
	    arena_xprintf(a, "The review of %s to %s is open: look it over "
	    "and sign it.", p->from, p->to),
	    arena_xprintf(a, "review:%lld:open", id));
}

/* The periods of acct up to the one holding today into p[0..*n-1]. */
static enum kw_status
periods(struct db *db, const struct account *acct, const char *today,
    struct account_period p[SCORECARD_TREND_MAX], size_t *n)
{
	return account_periods(db, acct, SCORECARD_TREND_MAX, today, p, n);
}

enum kw_status
review_open_due(struct db *db, struct arena *a, const char *today,
    struct review_report *report)
{
	struct account *list;
	struct account_period p[SCORECARD_TREND_MAX];
	size_t n, np, i, j;
	enum kw_status ret;

	if (!clock_date_ok(today))
		return KW_BADREQ;
	if ((ret = account_list_all(db, a, &list, &n)) != KW_OK)
		return ret;
	for (i = 0; i < n; i++) {
		if ((ret = periods(db, &list[i], today, p, &np)) != KW_OK)
			return ret;
		for (j = 0; j < np && strcmp(p[j].to, today) < 0; j++) {
			if ((ret = db_begin(db)) != KW_OK ||
			    (ret = db_finish(db, open_one(db, a, &list[i],
			    &p[j], &report->opened))) != KW_OK)
				return ret;
		}
	}
	return KW_OK;
}

/* The number of review notices there are. */
static size_t
notices(struct db *db)
{
	size_t n;

	(void)db_count(db, db_stmt(db, &review_stmts, STMT_REVIEW_NOTICES),
	    &n);
	return n;
}

/* The days from date from to date to (both valid YYYY-MM-DD). */
static long long
days_between(const char *from, const char *to)
{
	time_t f = 0, t = 0;

	(void)clock_parse_date(from, &f);
	(void)clock_parse_date(to, &t);
	return (long long)(t - f) / 86400;
}

/* The reminders of acct on today (inside the caller's transaction). */
static enum kw_status
remind_account(struct db *db, struct arena *a, const struct account *acct,
    const char *today)
{
	struct account_period p;
	sqlite3_stmt *st;
	long long days, id;
	int rc, side;
	enum kw_status ret;

	ret = account_period(db, acct, today, p.from, p.to);
	if (ret == KW_NOTFOUND)
		return KW_OK;	/* the account has not started */
	if (ret != KW_OK)
		return ret;
	days = days_between(today, p.to);
	if (days >= 0 && days <= 7 && (ret = notify_both(db, NULL, acct,
	    acct->id, arena_xprintf(a, "The review period %s to %s ends "
	    "on %s: its review follows.", p.from, p.to, p.to),
	    arena_xprintf(a, "review:%lld:%s:ending", acct->id, p.from))) !=
	    KW_OK)
		return ret;
	if ((st = db_stmt(db, &review_stmts, STMT_REVIEW_UNSIGNED)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, acct->id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		days = days_between((const char *)sqlite3_column_text(st, 2),
		    today) / 7;
		for (side = 0; side < SIDE__MAX && ret == KW_OK; side++)
			if (days >= 1 && sqlite3_column_int(st, 3 + side))
				ret = notify_side(db, NULL, acct, side,
				    NOTIFY_REVIEW, "review", id,
				    arena_xprintf(a, "The review of %s to %s "
				    "waits for the %s's signature.",
				    sqlite3_column_text(st, 1),
				    sqlite3_column_text(st, 2),
				    account_side_names[side]),
				    arena_xprintf(a, "review:%lld:remind:%s:%lld",
				    id, account_side_names[side], days));
		if (ret != KW_OK)
			break;
	}
	db_stmt_done(st);
	return ret != KW_OK ? ret : db_status(rc);
}

enum kw_status
review_remind(struct db *db, struct arena *a, const char *today,
    struct review_report *report)
{
	struct account *list;
	size_t n, i, before;
	enum kw_status ret;

	if (!clock_date_ok(today))
		return KW_BADREQ;
	if ((ret = account_list_all(db, a, &list, &n)) != KW_OK)
		return ret;
	before = notices(db);
	for (i = 0; i < n; i++)
		if ((ret = db_begin(db)) != KW_OK ||
		    (ret = db_finish(db, remind_account(db, a, &list[i],
		    today))) != KW_OK)
			return ret;
	report->reminders += notices(db) - before;
	return KW_OK;
}

int
review_is_owner(const struct user *actor, const struct account *acct)
{
	long long owner = acct->my_side == SIDE_BUYER ?
	    acct->buyer_owner_id : acct->supplier_owner_id;

	return acct->my_side < SIDE__MAX && owner == actor->id;
}

enum kw_status
review_draft(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long *id)
{
	struct account acct;
	struct account_period p;
	char today[16];
	long long rid;
	enum kw_status ret;

	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if (!review_is_owner(actor, &acct) && actor->role != USER_ADMIN)
		return KW_FORBIDDEN;
	today_str(today, sizeof(today));
	if ((ret = account_period(db, &acct, today, p.from, p.to)) ==
	    KW_NOTFOUND)
		return KW_CONFLICT;	/* the account has not started */
	if (ret != KW_OK || (ret = db_begin(db)) != KW_OK)
		return ret;
	ret = insert_review(db, &acct, &p, REVIEW_DRAFT, actor, &rid);
	if (ret == KW_OK && rid == 0) {
		rid = review_id(db, acct.id, p.from);
		ret = KW_CONFLICT;
	}
	if (ret == KW_OK)
		ret = audit_log(db, actor, acct.id, "review", rid, "draft",
		    arena_xprintf(a, "%s to %s", p.from, p.to));
	if (ret == KW_OK)
		ret = notify_side(db, actor, &acct,
		    account_other_side(acct.my_side), NOTIFY_REVIEW, "review",
		    rid, arena_xprintf(a, "The %s opened the review of %s to "
		    "%s.", account_side_names[acct.my_side], p.from, p.to),
		    arena_xprintf(a, "review:%lld:draft", rid));
	if (id != NULL)
		*id = rid;
	return db_finish(db, ret);
}

/* Review id of acct (already checked) into *r. */
static enum kw_status
get_review(struct db *db, struct arena *a, long long account_id,
    long long id, struct review *r)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof(*r));
	if ((st = db_stmt(db, &review_stmts, STMT_REVIEW_GET)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, account_id);
	}
	return db_one(db, a, st, review_row, r);
}

enum kw_status
review_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct review *r)
{
	enum kw_status ret;

	if ((ret = entry_party(db, actor, account_id)) != KW_OK)
		return ret;
	return get_review(db, a, account_id, id, r);
}

enum kw_status
review_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, struct review **list, size_t *n)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if ((ret = entry_party(db, actor, account_id)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &review_stmts, STMT_REVIEW_LIST)) != NULL)
		db_bind_int(st, 1, account_id);
	return db_rows(db, a, st, sizeof(**list), review_row, (void **)list,
	    n);
}

/* Store scorecard c of review id. */
static enum kw_status
store_score(struct db *db, long long id, const struct scorecard *c)
{
	const struct promise_stats *s = &c->promises;
	const long long v[] = {
		s->fallen_due, s->kept_on_time, s->kept_late, s->broken,
		s->delivered, s->still_overdue, s->disputed, s->renegotiated,
		s->integrity, c->expectations[EXPECTATION_MET],
		c->expectations[EXPECTATION_PARTLY],
		c->expectations[EXPECTATION_NOT_MET],
		c->expectations_unassessed, c->updates_shared,
		c->updates_acknowledged, c->contacts,
	};
	sqlite3_stmt *st;
	size_t i;

	if ((st = db_stmt(db, &review_stmts, STMT_SCORE_INSERT)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, account_side_names[c->side]);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		db_bind_int(st, 3 + (int)i, v[i]);
	db_bind_text(st, 19, c->last_contact);
	db_bind_int(st, 20, c->days_since_contact);
	db_bind_int(st, 21, c->ratings);
	sqlite3_bind_double(st, 22, c->rating_mean);
	return db_exec(db, st);
}

/* The stored scorecard of side of review r into *c. */
static void
score_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct scorecard *c = out;
	struct promise_stats *s = &c->promises;

	s->fallen_due = sqlite3_column_int64(st, 0);
	s->kept_on_time = sqlite3_column_int64(st, 1);
	s->kept_late = sqlite3_column_int64(st, 2);
	s->broken = sqlite3_column_int64(st, 3);
	s->delivered = sqlite3_column_int64(st, 4);
	s->still_overdue = sqlite3_column_int64(st, 5);
	s->disputed = sqlite3_column_int64(st, 6);
	s->renegotiated = sqlite3_column_int64(st, 7);
	s->integrity = sqlite3_column_int(st, 8);
	c->expectations[EXPECTATION_MET] = sqlite3_column_int64(st, 9);
	c->expectations[EXPECTATION_PARTLY] = sqlite3_column_int64(st, 10);
	c->expectations[EXPECTATION_NOT_MET] = sqlite3_column_int64(st, 11);
	c->expectations_unassessed = sqlite3_column_int64(st, 12);
	c->updates_shared = sqlite3_column_int64(st, 13);
	c->updates_acknowledged = sqlite3_column_int64(st, 14);
	c->contacts = sqlite3_column_int64(st, 15);
	c->last_contact = db_col_text(a, st, 16);
	c->days_since_contact = sqlite3_column_int64(st, 17);
	c->ratings = sqlite3_column_int64(st, 18);
	c->rating_mean = sqlite3_column_double(st, 19);
}

/* Freeze review r of acct: both scorecards as of today. */
static enum kw_status
freeze(struct db *db, struct arena *a, const struct account *acct,
    const struct review *r, const char *today, const char *now)
{
	struct scorecard c[SIDE__MAX];
	sqlite3_stmt *st;
	int side;
	enum kw_status ret;

	if ((ret = scorecard_sides(db, a, acct, r->period_start,
	    r->period_end, today, c)) != KW_OK)
		return ret;
	for (side = 0; side < SIDE__MAX; side++)
		if ((ret = store_score(db, r->id, &c[side])) != KW_OK)
			return ret;
	if ((st = db_stmt(db, &review_stmts, STMT_REVIEW_FREEZE)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, r->id);
	db_bind_text(st, 2, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	if ((ret = audit_log(db, NULL, acct->id, "review", r->id, "freeze",
	    arena_xprintf(a, "%s to %s", r->period_start, r->period_end))) !=
	    KW_OK)
		return ret;
	return notify_both(db, NULL, acct, r->id,
	    arena_xprintf(a, "The review of %s to %s is signed by both "
	    "sides and frozen.", r->period_start, r->period_end),
	    arena_xprintf(a, "review:%lld:frozen", r->id));
}

/* Sign review r of acct for actor's side; freeze it if both have. */
static enum kw_status
sign(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, const struct review *r, const char *today)
{
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;

	if ((st = db_stmt(db, &review_stmts, acct->my_side == SIDE_BUYER ?
	    STMT_REVIEW_SIGN_BUYER : STMT_REVIEW_SIGN_SUPPLIER)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	db_bind_int(st, 1, r->id);
	db_bind_int(st, 2, actor->id);
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	if (db_changes(db) != 1)
		return KW_CONFLICT;
	if ((ret = audit_log(db, actor, acct->id, "review", r->id, "sign",
	    account_side_names[acct->my_side])) != KW_OK ||
	    (ret = notify_side(db, actor, acct,
	    account_other_side(acct->my_side), NOTIFY_REVIEW, "review", r->id,
	    arena_xprintf(a, "The %s signed the review of %s to %s.",
	    account_side_names[acct->my_side], r->period_start,
	    r->period_end), arena_xprintf(a, "review:%lld:signed:%s", r->id,
	    account_side_names[acct->my_side]))) != KW_OK)
		return ret;
	if (r->signed_by[account_other_side(acct->my_side)] == 0)
		return KW_OK;
	return freeze(db, a, acct, r, today, now);
}

enum kw_status
review_sign(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, const char **msg)
{
	struct account acct;
	struct review r;
	char today[16];
	enum kw_status ret;

	if (msg != NULL)
		*msg = NULL;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	today_str(today, sizeof(today));
	if ((ret = get_review(db, a, acct.id, id, &r)) != KW_OK)
		return db_finish(db, ret);
	if (!review_is_owner(actor, &acct)) {
		if (msg != NULL)
			*msg = "Only the owner of your side of the account "
			    "signs its reviews.";
		return db_finish(db, KW_FORBIDDEN);
	}
	if (msg != NULL && r.state == REVIEW_FROZEN)
		*msg = "This review is signed by both sides and frozen.";
	else if (msg != NULL && r.signed_by[acct.my_side] != 0)
		*msg = "Your side has signed this review already.";
	else if (msg != NULL && strcmp(r.period_end, today) >= 0)
		*msg = "The period has not ended yet: sign its review after "
		    "it ends.";
	if (r.state == REVIEW_FROZEN || r.signed_by[acct.my_side] != 0 ||
	    strcmp(r.period_end, today) >= 0)
		return db_finish(db, KW_CONFLICT);
	return db_finish(db, sign(db, a, actor, &acct, &r, today));
}

/* 1 if scorecards x and y count the same. */
static int
same_score(const struct scorecard *x, const struct scorecard *y)
{
	const struct promise_stats *p = &x->promises, *q = &y->promises;

	return p->fallen_due == q->fallen_due &&
	    p->kept_on_time == q->kept_on_time &&
	    p->kept_late == q->kept_late && p->broken == q->broken &&
	    p->delivered == q->delivered &&
	    p->still_overdue == q->still_overdue &&
	    p->disputed == q->disputed &&
	    p->renegotiated == q->renegotiated &&
	    p->integrity == q->integrity &&
	    memcmp(x->expectations, y->expectations,
	    sizeof(x->expectations)) == 0 &&
	    x->expectations_unassessed == y->expectations_unassessed &&
	    x->updates_shared == y->updates_shared &&
	    x->updates_acknowledged == y->updates_acknowledged &&
	    x->contacts == y->contacts &&
	    strcmp(x->last_contact, y->last_contact) == 0 &&
	    x->days_since_contact == y->days_since_contact &&
	    x->ratings == y->ratings && x->rating_mean == y->rating_mean;
}

enum kw_status
review_scores(struct db *db, struct arena *a, const struct account *acct,
    const struct review *r, struct scorecard out[SIDE__MAX],
    struct scorecard live[SIDE__MAX], int *changed)
{
	struct scorecard now[SIDE__MAX];
	sqlite3_stmt *st;
	char today[16];
	int side;
	enum kw_status ret;

	if (changed != NULL)
		*changed = 0;
	if (live == NULL)
		live = now;
	today_str(today, sizeof(today));
	if ((ret = scorecard_sides(db, a, acct, r->period_start,
	    r->period_end, today, live)) != KW_OK)
		return ret;
	for (side = 0; side < SIDE__MAX; side++) {
		out[side] = live[side];
		if (r->state != REVIEW_FROZEN)
			continue;
		if ((st = db_stmt(db, &review_stmts, STMT_SCORE_GET)) !=
		    NULL) {
			db_bind_int(st, 1, r->id);
			db_bind_text(st, 2, account_side_names[side]);
		}
		if ((ret = db_one(db, a, st, score_row, &out[side])) != KW_OK)
			return ret;
		if (changed != NULL && !same_score(&out[side], &live[side]))
			*changed = 1;
	}
	return KW_OK;
}

enum kw_status
review_actions(struct db *db, struct arena *a, long long id,
    struct review_action **list, size_t *n)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &review_stmts, STMT_ACTION_LIST)) != NULL)
		db_bind_int(st, 1, id);
	return db_rows(db, a, st, sizeof(**list), action_row, (void **)list,
	    n);
}

/* Link promise pid to review id of account_id, audited. */
static enum kw_status
link_action(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, long long pid)
{
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((st = db_stmt(db, &review_stmts, STMT_ACTION_INSERT)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, pid);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	return audit_log(db, actor, account_id, "review", id, "action",
	    arena_xprintf(a, "promise %lld", pid));
}

/* review_add_action() inside the caller's transaction: *pid gets the
 * new promise's id. */
static enum kw_status
add_action(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, const char *title,
    const char *due_date, long long *pid, struct promise_err *err)
{
	struct promise_new in;
	struct review r;
	enum kw_status ret;

	if ((ret = review_get(db, a, actor, account_id, id, &r)) != KW_OK)
		return ret;
	if (r.state == REVIEW_FROZEN) {
		if (err != NULL) {
			err->field = NULL;
			err->msg = "This review is frozen: agree new actions "
			    "as promises.";
		}
		return KW_CONFLICT;
	}
	memset(&in, 0, sizeof(in));
	in.title = title;
	in.due_date = due_date;
	if ((ret = promise_create_in(db, a, actor, account_id, &in, pid,
	    err)) != KW_OK)
		return ret;
	return link_action(db, a, actor, account_id, id, *pid);
}

enum kw_status
review_add_action(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, const char *title,
    const char *due_date, long long *promise_id, struct promise_err *err)
{
	long long pid = 0;
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	ret = db_finish(db, add_action(db, a, actor, account_id, id, title,
	    due_date, &pid, err));
	if (ret == KW_OK && promise_id != NULL)
		*promise_id = pid;
	return ret;
}
