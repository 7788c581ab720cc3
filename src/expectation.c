/* expectation.c: what one side of an account expects of the other. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "entry.h"
#include "expectation.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "valid.h"

#define ASSESSMENTS_MAX	"1000"

const char *const expectation_state_names[EXPECTATION_STATE__MAX + 1] = {
	[EXPECTATION_PROPOSED] = "proposed",
	[EXPECTATION_ACKNOWLEDGED] = "acknowledged",
	[EXPECTATION_RETIRED] = "retired",
	[EXPECTATION_STATE__MAX] = NULL,
};

const char *const expectation_action_names[EXPECTATION_ACTION__MAX + 1] = {
	[EXPECTATION_ACKNOWLEDGE] = "acknowledge",
	[EXPECTATION_RETIRE] = "retire",
	[EXPECTATION_ASSESS] = "assess",
	[EXPECTATION_ACTION__MAX] = NULL,
};

const char *const expectation_rating_names[EXPECTATION_RATING__MAX + 1] = {
	[EXPECTATION_MET] = "met",
	[EXPECTATION_PARTLY] = "partly",
	[EXPECTATION_NOT_MET] = "not-met",
	[EXPECTATION_RATING__MAX] = NULL,
};

const char *const expectation_assessed_names[EXPECTATION_ASSESSED__MAX + 1] = {
	[EXPECTATION_ASSESSED_MET] = "met",
	[EXPECTATION_ASSESSED_PARTLY] = "partly",
	[EXPECTATION_ASSESSED_NOT_MET] = "not-met",
	[EXPECTATION_NOT_YET] = "not-yet",
	[EXPECTATION_ASSESSED__MAX] = NULL,
};

/* Who takes each action (the stating side or the other one) and in which
 * states (one bit per enum expectation_state). */
static const struct rule {
	int		 stating;
	unsigned	 states;
} rules[EXPECTATION_ACTION__MAX] = {
	[EXPECTATION_ACKNOWLEDGE] = { 0, 1u << EXPECTATION_PROPOSED },
	[EXPECTATION_RETIRE] = { 1, (1u << EXPECTATION_PROPOSED) |
	    (1u << EXPECTATION_ACKNOWLEDGED) },
	[EXPECTATION_ASSESS] = { 1, 1u << EXPECTATION_ACKNOWLEDGED },
};

enum expectation_stmt {
	STMT_EXP_INSERT,
	STMT_EXP_GET,
	STMT_EXP_LIST,
	STMT_EXP_COUNT,
	STMT_EXP_ACKNOWLEDGE,
	STMT_EXP_RETIRE,
	STMT_EXP_ASSESS,
	STMT_EXP_ASSESSMENTS,
	STMT_EXP_SUMMARY,
	STMT_EXP_FIGURES,
	STMT_EXP__MAX
};

/* An expectation with the names of the people who moved it and its
 * latest assessment. */
#define EXP_COLS \
	"SELECT e.id, e.account_id, e.from_side, e.title, e.detail, " \
	"e.target, e.state, e.created_by, cu.name, e.created_at, " \
	"coalesce(e.acknowledged_by, 0), coalesce(au.name, ''), " \
	"coalesce(e.acknowledged_at, ''), coalesce(e.retired_by, 0), " \
	"coalesce(ru.name, ''), coalesce(e.retired_at, ''), " \
	"coalesce(e.retire_reason, ''), " \
	"coalesce((SELECT x.rating FROM expectation_assessments x " \
	"WHERE x.expectation_id = e.id ORDER BY x.period_start DESC " \
	"LIMIT 1), ''), " \
	"coalesce((SELECT max(x.period_start) FROM expectation_assessments x " \
	"WHERE x.expectation_id = e.id), '') " \
	"FROM expectations e JOIN users cu ON cu.id = e.created_by " \
	"LEFT JOIN users au ON au.id = e.acknowledged_by " \
	"LEFT JOIN users ru ON ru.id = e.retired_by "

/*
 * How a review period's scorecard counts expectation e for the days
 * lo..hi (SQL expressions), shared by its statements and the list's
 * filter so that the two cannot drift apart: x is an assessment of e for
 * a period starting on one of those days; e waits for one when it was
 * acknowledged by the end, not retired before the start and not
 * assessed for such a period.
 */
#define EXP_ASSESSED_IN(lo, hi) \
	"x.expectation_id = e.id AND x.period_start BETWEEN " lo " AND " hi " "
#define EXP_UNASSESSED_IN(lo, hi) \
	"e.acknowledged_at < date(" hi ", '+1 day') " \
	"AND (e.retired_at IS NULL OR e.retired_at >= " lo ") " \
	"AND NOT EXISTS (SELECT 1 FROM expectation_assessments x " \
	"WHERE " EXP_ASSESSED_IN(lo, hi) ") "

/*
 * ?1 account, ?2 state or NULL, ?3 stating side or NULL; ?6..?7 a
 * period (NULL: none, see entry_bind_days()) of which ?9 (1 or 0)
 * selects those waiting for an assessment and ?10 those assessed, with
 * rating ?8 (NULL: any).
 */
#define EXP_FILTER \
	"WHERE e.account_id = ?1 AND (?2 IS NULL OR e.state = ?2) " \
	"AND (?3 IS NULL OR e.from_side = ?3) " \
	"AND (?6 IS NULL OR (?9 AND " EXP_UNASSESSED_IN("?6", "?7") ") " \
	"OR (?10 AND EXISTS (SELECT 1 FROM expectation_assessments x " \
	"WHERE " EXP_ASSESSED_IN("?6", "?7") \
	"AND (?8 IS NULL OR x.rating = ?8)))) "

/* For STMT_EXP_FIGURES: what side states. (Both sides at once by "IN"
 * would build a table of the two names on every run.) */
#define EXP_FIGURES(side) \
	"SELECT '" side "', x.rating, count(*) FROM expectations e " \
	"JOIN expectation_assessments x ON " EXP_ASSESSED_IN("?2", "?3") \
	"WHERE e.account_id = ?1 AND e.from_side = '" side "' " \
	"GROUP BY x.rating UNION ALL " \
	"SELECT '" side "', NULL, count(*) FROM expectations e " \
	"WHERE e.account_id = ?1 AND e.from_side = '" side "' " \
	"AND " EXP_UNASSESSED_IN("?2", "?3")

static const char *const expectation_sql[STMT_EXP__MAX] = {
	/* ?1..?4 as entry_insert() binds them. */
	[STMT_EXP_INSERT] =
	    "INSERT INTO expectations (account_id, from_side, created_by, "
	    "created_at, title, detail, target, state) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'proposed')",
	[STMT_EXP_GET] = EXP_COLS
	    "WHERE e.id = ?1 AND e.account_id = ?2",
	[STMT_EXP_LIST] = EXP_COLS EXP_FILTER
	    "ORDER BY e.id DESC LIMIT ?4 OFFSET ?5",
	[STMT_EXP_COUNT] =
	    "SELECT count(*) FROM expectations e " EXP_FILTER,
	[STMT_EXP_ACKNOWLEDGE] =
	    "UPDATE expectations SET state = 'acknowledged', "
	    "acknowledged_by = ?3, acknowledged_at = ?4 "
	    "WHERE id = ?1 AND account_id = ?2 AND state = 'proposed'",
	[STMT_EXP_RETIRE] =
	    "UPDATE expectations SET state = 'retired', retired_by = ?3, "
	    "retired_at = ?4, retire_reason = ?5 "
	    "WHERE id = ?1 AND account_id = ?2 "
	    "AND state IN ('proposed', 'acknowledged')",
	[STMT_EXP_ASSESS] =
	    "INSERT INTO expectation_assessments (expectation_id, "
	    "period_start, period_end, rating, note, assessed_by, "
	    "assessed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_EXP_ASSESSMENTS] =
	    "SELECT x.id, x.expectation_id, x.period_start, x.period_end, "
	    "x.rating, x.note, x.assessed_by, u.name, x.assessed_at "
	    "FROM expectation_assessments x "
	    "JOIN users u ON u.id = x.assessed_by "
	    "WHERE x.expectation_id = ?1 ORDER BY x.period_start DESC "
	    "LIMIT " ASSESSMENTS_MAX,
	[STMT_EXP_SUMMARY] =
	    "SELECT from_side, state, count(*) FROM expectations "
	    "WHERE account_id = ?1 GROUP BY from_side, state",
	/*
	 * What each side states, for the scorecards of the period ?2..?3:
	 * the assessments of the periods starting on those days by rating,
	 * then (rating NULL) how many went unassessed.
	 */
	[STMT_EXP_FIGURES] = EXP_FIGURES("buyer") "UNION ALL "
	    EXP_FIGURES("supplier"),
};

const struct db_stmt_table expectation_stmts = {
	"expectation", expectation_sql, STMT_EXP__MAX
};

enum kw_status
expectation_may(enum expectation_state state, enum account_side from_side,
    enum account_side side, enum expectation_action action)
{
	if ((int)action < 0 || action >= EXPECTATION_ACTION__MAX ||
	    (int)state < 0 || state >= EXPECTATION_STATE__MAX)
		return KW_BADREQ;
	if ((int)side < 0 || side >= SIDE__MAX || (int)from_side < 0 ||
	    from_side >= SIDE__MAX ||
	    (side == from_side) != rules[action].stating)
		return KW_FORBIDDEN;
	if (!(rules[action].states & (1u << state)))
		return KW_CONFLICT;
	return KW_OK;
}

/* Fill *elem, a struct expectation, from a row of EXP_COLS. */
static void
exp_row(struct arena *a, sqlite3_stmt *st, void *elem)
{
	struct expectation *e = elem;

	e->id = sqlite3_column_int64(st, 0);
	e->account_id = sqlite3_column_int64(st, 1);
	e->from_side = (enum account_side)db_col_enum(st, 2,
	    account_side_names, SIDE__MAX);
	e->title = db_col_text(a, st, 3);
	e->detail = db_col_text(a, st, 4);
	e->target = db_col_text(a, st, 5);
	e->state = (enum expectation_state)db_col_enum(st, 6,
	    expectation_state_names, EXPECTATION_RETIRED);
	e->created_by = sqlite3_column_int64(st, 7);
	e->created_by_name = db_col_text(a, st, 8);
	e->created_at = db_col_text(a, st, 9);
	e->acknowledged_by = sqlite3_column_int64(st, 10);
	e->acknowledged_by_name = db_col_text(a, st, 11);
	e->acknowledged_at = db_col_text(a, st, 12);
	e->retired_by = sqlite3_column_int64(st, 13);
	e->retired_by_name = db_col_text(a, st, 14);
	e->retired_at = db_col_text(a, st, 15);
	e->retire_reason = db_col_text(a, st, 16);
	e->last_rating = db_col_text(a, st, 17);
	e->last_period = db_col_text(a, st, 18);
}

/* Fill *elem, a struct expectation_assessment, from a row of
 * STMT_EXP_ASSESSMENTS. */
static void
assessment_row(struct arena *a, sqlite3_stmt *st, void *elem)
{
	struct expectation_assessment *x = elem;

	x->id = sqlite3_column_int64(st, 0);
	x->expectation_id = sqlite3_column_int64(st, 1);
	x->period_start = db_col_text(a, st, 2);
	x->period_end = db_col_text(a, st, 3);
	x->rating = (enum expectation_rating)db_col_enum(st, 4,
	    expectation_rating_names, EXPECTATION_NOT_MET);
	x->note = db_col_text(a, st, 5);
	x->assessed_by = sqlite3_column_int64(st, 6);
	x->assessed_by_name = db_col_text(a, st, 7);
	x->assessed_at = db_col_text(a, st, 8);
}

/* Expectation id of account_id into *e, or KW_NOTFOUND. */
static enum kw_status
exp_load(struct db *db, struct arena *a, long long account_id, long long id,
    struct expectation *e)
{
	sqlite3_stmt *st;

	memset(e, 0, sizeof(*e));
	if ((st = db_stmt(db, &expectation_stmts, STMT_EXP_GET)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, account_id);
	}
	return db_one(db, a, st, exp_row, e);
}

/* expectation_create() inside the caller's transaction (in_tx) or in one
 * of its own. */
static enum kw_status
create(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *title, const char *detail,
    const char *target, long long *id, int in_tx)
{
	struct account acct;
	struct entry_notice nt;
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if (!valid_text_ok(title, 1, EXPECTATION_TITLE_MAX, 0) ||
	    !valid_text_ok(detail, 0, EXPECTATION_DETAIL_MAX, 1) ||
	    !valid_text_ok(target, 0, EXPECTATION_TARGET_MAX, 0))
		return KW_BADREQ;
	if ((st = db_stmt(db, &expectation_stmts, STMT_EXP_INSERT)) != NULL) {
		db_bind_text(st, 5, title);
		db_bind_text(st, 6, detail != NULL ? detail : "");
		db_bind_text(st, 7, target != NULL ? target : "");
	}
	nt.kind = NOTIFY_EXPECTATION;
	nt.text = arena_xprintf(a, "New expectation from the %s: %s",
	    account_side_names[acct.my_side], title);
	return (in_tx ? entry_insert_in : entry_insert)(db, a, actor, &acct,
	    st, "expectation", title, entry_announce, &nt, id);
}

enum kw_status
expectation_create(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *title, const char *detail,
    const char *target, long long *id)
{
	return create(db, a, actor, account_id, title, detail, target, id, 0);
}

enum kw_status
expectation_create_in(struct db *db, struct arena *a,
    const struct user *actor, long long account_id, const char *title,
    const char *detail, const char *target, long long *id)
{
	return create(db, a, actor, account_id, title, detail, target, id, 1);
}

/* Statement sid with ?1 account_id and the filters of q bound as
 * EXP_FILTER reads them; NULL if it did not prepare. */
static sqlite3_stmt *
query_stmt(struct db *db, int sid, long long account_id,
    const struct expectation_query *q)
{
	const char *const filter[2] = {
		entry_filter(expectation_state_names, EXPECTATION_STATE__MAX,
		    (int)q->state),
		entry_filter(account_side_names, SIDE__MAX, (int)q->side),
	};
	const char *from = q->from;
	sqlite3_stmt *st;

	/* An assessment without days: of any period. */
	if (from == NULL && q->to == NULL &&
	    q->assessed != EXPECTATION_ASSESSED__MAX)
		from = ENTRY_DAY_FIRST;
	if ((st = entry_filter_stmt(db, &expectation_stmts, sid, account_id,
	    filter)) == NULL)
		return NULL;
	entry_bind_days(st, 6, from, q->to);
	db_bind_text(st, 8, entry_filter(expectation_rating_names,
	    EXPECTATION_RATING__MAX, (int)q->assessed));
	db_bind_int(st, 9, q->assessed == EXPECTATION_NOT_YET ||
	    q->assessed == EXPECTATION_ASSESSED__MAX);
	db_bind_int(st, 10, q->assessed != EXPECTATION_NOT_YET);
	return st;
}

enum kw_status
expectation_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct expectation_query *q,
    struct expectation **list, size_t *n, size_t *total)
{
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if (total != NULL)
		*total = 0;
	if ((ret = entry_party(db, actor, account_id)) != KW_OK)
		return ret;
	if ((int)q->assessed < 0 || q->assessed > EXPECTATION_ASSESSED__MAX ||
	    !entry_days_ok(q->from, q->to))
		return KW_BADREQ;
	ret = entry_page(db, a, query_stmt(db, STMT_EXP_LIST, account_id, q),
	    total == NULL ? NULL : query_stmt(db, STMT_EXP_COUNT, account_id, q),
	    q->limit, q->offset, sizeof(**list), exp_row, &rows, n, total);
	*list = rows;
	return ret;
}

enum kw_status
expectation_figures(struct db *db, long long account_id, const char *from,
    const char *to, long long rated[SIDE__MAX][EXPECTATION_RATING__MAX],
    long long unassessed[SIDE__MAX])
{
	sqlite3_stmt *st;
	int rc, r, side;

	memset(rated, 0, SIDE__MAX * sizeof(rated[0]));
	memset(unassessed, 0, SIDE__MAX * sizeof(unassessed[0]));
	if (from == NULL || to == NULL || !entry_days_ok(from, to))
		return KW_BADREQ;
	if ((st = db_stmt(db, &expectation_stmts, STMT_EXP_FIGURES)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		if ((side = db_col_enum(st, 0, account_side_names, -1)) < 0)
			continue;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			unassessed[side] = sqlite3_column_int64(st, 2);
		else if ((r = db_col_enum(st, 1, expectation_rating_names,
		    -1)) >= 0)
			rated[side][r] = sqlite3_column_int64(st, 2);
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE) {
		memset(rated, 0, SIDE__MAX * sizeof(rated[0]));
		memset(unassessed, 0, SIDE__MAX * sizeof(unassessed[0]));
		return db_status(rc);
	}
	return KW_OK;
}

enum kw_status
expectation_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct expectation *e)
{
	struct account acct;
	enum kw_status ret;

	memset(e, 0, sizeof(*e));
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	return exp_load(db, a, account_id, id, e);
}

enum kw_status
expectation_assessments(struct db *db, struct arena *a,
    const struct user *actor, long long account_id, long long id,
    struct expectation_assessment **list, size_t *n)
{
	struct expectation e;
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if ((ret = expectation_get(db, a, actor, account_id, id, &e)) !=
	    KW_OK)
		return ret;
	if ((st = db_stmt(db, &expectation_stmts, STMT_EXP_ASSESSMENTS)) !=
	    NULL)
		db_bind_int(st, 1, id);
	ret = db_rows(db, a, st, sizeof(**list), assessment_row, &rows, n);
	*list = rows;
	return ret;
}

/*
 * The period of the day date (today if NULL or empty) into from/to:
 * KW_OK; KW_BADREQ for a date that is none, before the account's start
 * or in a period that has not begun; or a database status.
 */
static enum kw_status
assess_period(struct db *db, const struct account *acct, const char *date,
    char from[11], char to[11])
{
	char today[11];
	enum kw_status ret;

	clock_date(clock_now(), today, sizeof(today));
	ret = account_period(db, acct, date != NULL && *date != '\0' ? date :
	    today, from, to);
	if (ret == KW_NOTFOUND || (ret == KW_OK && strcmp(from, today) > 0))
		return KW_BADREQ;
	return ret;
}

/* Bind and run the write of action (input in, period from..to for an
 * assessment) on expectation e by actor (inside the transaction);
 * *detail gets the audit row's detail. */
static enum kw_status
act_write(struct db *db, struct arena *a, const struct user *actor,
    const struct expectation *e, enum expectation_action action,
    const struct expectation_input *in, const char *from, const char *to,
    const char **detail)
{
	static const int sid[EXPECTATION_ACTION__MAX] = {
		[EXPECTATION_ACKNOWLEDGE] = STMT_EXP_ACKNOWLEDGE,
		[EXPECTATION_RETIRE] = STMT_EXP_RETIRE,
		[EXPECTATION_ASSESS] = STMT_EXP_ASSESS,
	};
	sqlite3_stmt *st;
	char now[32];
	enum kw_status ret;

	if ((st = db_stmt(db, &expectation_stmts, sid[action])) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	*detail = NULL;
	db_bind_int(st, 1, e->id);
	if (action == EXPECTATION_ASSESS) {
		db_bind_text(st, 2, from);
		db_bind_text(st, 3, to);
		db_bind_text(st, 4, expectation_rating_names[in->rating]);
		db_bind_text(st, 5, in->note != NULL ? in->note : "");
		db_bind_int(st, 6, actor->id);
		db_bind_text(st, 7, now);
		*detail = arena_xprintf(a, "%s..%s %s", from, to,
		    expectation_rating_names[in->rating]);
	} else {
		db_bind_int(st, 2, e->account_id);
		db_bind_int(st, 3, actor->id);
		db_bind_text(st, 4, now);
		if (action == EXPECTATION_RETIRE) {
			*detail = in->reason != NULL && *in->reason != '\0' ?
			    in->reason : NULL;
			db_bind_text(st, 5, *detail);
		}
	}
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	return db_changes(db) == 1 ? KW_OK : KW_CONFLICT;
}

enum kw_status
expectation_act_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum expectation_action action,
    const struct expectation_input *in, char from[11], char to[11])
{
	static const struct expectation_input none;
	struct account acct;
	struct expectation e;
	const char *detail;
	char f[11] = "", t[11] = "";
	enum kw_status ret, period = KW_OK;

	if (in == NULL)
		in = &none;
	if (from != NULL)
		*from = '\0';
	if (to != NULL)
		*to = '\0';
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((int)action < 0 || action >= EXPECTATION_ACTION__MAX ||
	    (action == EXPECTATION_RETIRE && !valid_text_ok(in->reason, 0,
	    EXPECTATION_REASON_MAX, 1)) ||
	    (action == EXPECTATION_ASSESS && ((int)in->rating < 0 ||
	    in->rating >= EXPECTATION_RATING__MAX ||
	    !valid_text_ok(in->note, 0, EXPECTATION_NOTE_MAX, 1))))
		return KW_BADREQ;
	if (action == EXPECTATION_ASSESS) {
		period = assess_period(db, &acct, in->date, f, t);
		if (from != NULL)
			memcpy(from, f, sizeof(f));
		if (to != NULL)
			memcpy(to, t, sizeof(t));
	}
	if ((ret = exp_load(db, a, acct.id, id, &e)) != KW_OK)
		return ret;
	ret = expectation_may(e.state, e.from_side, acct.my_side, action);
	if (ret != KW_OK)
		return user_denied(actor, ret, "%s expectation %lld",
		    expectation_action_names[action], id);
	if (period != KW_OK)
		return period;
	if ((ret = act_write(db, a, actor, &e, action, in, f, t, &detail)) !=
	    KW_OK)
		return ret;
	return audit_log(db, actor, acct.id, "expectation", id,
	    expectation_action_names[action], detail);
}

/* expectation_act_in() in a transaction of its own. */
static enum kw_status
act(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, enum expectation_action action,
    const struct expectation_input *in, char from[11], char to[11])
{
	enum kw_status ret;

	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	return db_finish(db, expectation_act_in(db, a, actor, account_id, id,
	    action, in, from, to));
}

enum kw_status
expectation_acknowledge(struct db *db, struct arena *a,
    const struct user *actor, long long account_id, long long id)
{
	return act(db, a, actor, account_id, id, EXPECTATION_ACKNOWLEDGE,
	    NULL, NULL, NULL);
}

enum kw_status
expectation_retire(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, const char *reason)
{
	struct expectation_input in;

	memset(&in, 0, sizeof(in));
	in.reason = reason;
	return act(db, a, actor, account_id, id, EXPECTATION_RETIRE, &in,
	    NULL, NULL);
}

enum kw_status
expectation_assess(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, const char *date,
    enum expectation_rating rating, const char *note, char from[11],
    char to[11])
{
	struct expectation_input in;

	memset(&in, 0, sizeof(in));
	in.date = date;
	in.rating = rating;
	in.note = note;
	return act(db, a, actor, account_id, id, EXPECTATION_ASSESS, &in,
	    from, to);
}

enum kw_status
expectation_summary(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, struct expectation_summary *sum)
{
	struct account acct;
	sqlite3_stmt *st;
	enum kw_status ret;
	int rc, side, state;

	memset(sum, 0, sizeof(*sum));
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &expectation_stmts, STMT_EXP_SUMMARY)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		side = db_col_enum(st, 0, account_side_names, -1);
		state = db_col_enum(st, 1, expectation_state_names, -1);
		if (side >= 0 && state >= 0)
			sum->count[side][state] =
			    (size_t)sqlite3_column_int64(st, 2);
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	sum->to_acknowledge = sum->count[account_other_side(acct.my_side)]
	    [EXPECTATION_PROPOSED];
	return KW_OK;
}
