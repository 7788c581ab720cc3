/* concern.c: problems raised openly by one side and resolved together. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "concern.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "notify.h"
#include "org.h"
#include "valid.h"

#define PROMISES_MAX	"1000"

const char *const concern_state_names[CONCERN_STATE__MAX + 1] = {
	[CONCERN_OPEN] = "open",
	[CONCERN_PROPOSED] = "proposed",
	[CONCERN_RESOLVED] = "resolved",
	[CONCERN_WITHDRAWN] = "withdrawn",
	[CONCERN_STATE__MAX] = NULL,
};

const char *const concern_action_names[CONCERN_ACTION__MAX + 1] = {
	[CONCERN_PROPOSE] = "propose",
	[CONCERN_ACCEPT] = "accept",
	[CONCERN_REJECT] = "reject",
	[CONCERN_WITHDRAW] = "withdraw",
	[CONCERN_ACTION__MAX] = NULL,
};

enum concern_stmt {
	STMT_CONCERN_INSERT,
	STMT_CONCERN_GET,
	STMT_CONCERN_LIST,
	STMT_CONCERN_COUNT,
	STMT_CONCERN_STATE,
	STMT_CONCERN_PROPOSE,
	STMT_CONCERN_ACCEPT,
	STMT_CONCERN_REJECT,
	STMT_CONCERN_WITHDRAW,
	STMT_CONCERN_OPEN_COUNTS,
	STMT_CONCERN_PROMISES,
	STMT_CONCERN__MAX
};

#define CONCERN_COLS \
	"SELECT c.id, c.account_id, c.raised_by_side, c.title, c.detail, " \
	"c.state, coalesce(c.resolution, ''), coalesce(pu.name, ''), " \
	"coalesce(c.proposed_at, ''), coalesce(c.reject_reason, ''), " \
	"c.created_by, u.name, c.created_at, coalesce(cu.name, ''), " \
	"coalesce(c.closed_at, '') " \
	"FROM concerns c JOIN users u ON u.id = c.created_by " \
	"LEFT JOIN users pu ON pu.id = c.proposed_by " \
	"LEFT JOIN users cu ON cu.id = c.closed_by "

/* A list filter: ?2 state, ?3 raising side; NULL = any. */
#define CONCERN_MATCH \
	"WHERE c.account_id = ?1 AND (?2 IS NULL OR c.state = ?2) " \
	"AND (?3 IS NULL OR c.raised_by_side = ?3) "

/* A transition of concern ?1 of account ?2. */
#define CONCERN_SET	"UPDATE concerns SET "
#define CONCERN_WHERE	" WHERE id = ?1 AND account_id = ?2"

static const char *const concern_sql[STMT_CONCERN__MAX] = {
	[STMT_CONCERN_INSERT] =
	    "INSERT INTO concerns (account_id, raised_by_side, created_by, "
	    "created_at, title, detail) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_CONCERN_GET] = CONCERN_COLS
	    "WHERE c.id = ?1 AND c.account_id = ?2",
	[STMT_CONCERN_LIST] = CONCERN_COLS CONCERN_MATCH
	    "ORDER BY c.id DESC LIMIT ?4 OFFSET ?5",
	[STMT_CONCERN_COUNT] =
	    "SELECT count(*) FROM concerns c " CONCERN_MATCH,
	[STMT_CONCERN_STATE] =
	    "SELECT state, raised_by_side, title FROM concerns"
	    CONCERN_WHERE,
	/* ?3 the resolution, ?4 the actor, ?5 the time. */
	[STMT_CONCERN_PROPOSE] = CONCERN_SET
	    "state = 'proposed', resolution = ?3, proposed_by = ?4, "
	    "proposed_at = ?5, reject_reason = NULL" CONCERN_WHERE,
	/* ?3 the actor, ?4 the time. */
	[STMT_CONCERN_ACCEPT] = CONCERN_SET
	    "state = 'resolved', closed_by = ?3, closed_at = ?4"
	    CONCERN_WHERE,
	/* ?3 the reason (NULL = none). */
	[STMT_CONCERN_REJECT] = CONCERN_SET
	    "state = 'open', reject_reason = ?3" CONCERN_WHERE,
	/* ?3 the actor, ?4 the time. */
	[STMT_CONCERN_WITHDRAW] = CONCERN_SET
	    "state = 'withdrawn', closed_by = ?3, closed_at = ?4"
	    CONCERN_WHERE,
	[STMT_CONCERN_OPEN_COUNTS] =
	    "SELECT raised_by_side, count(*) FROM concerns "
	    "WHERE account_id = ?1 AND state IN ('open', 'proposed') "
	    "GROUP BY raised_by_side",
	[STMT_CONCERN_PROMISES] =
	    "SELECT p.id, p.title, p.state, p.due_date FROM promises p "
	    "JOIN concerns c ON c.id = p.concern_id "
	    "WHERE c.id = ?1 AND c.account_id = ?2 AND p.account_id = ?2 "
	    "ORDER BY p.due_date, p.id LIMIT " PROMISES_MAX,
};

const struct db_stmt_table concern_stmts = {
	"concern", concern_sql, STMT_CONCERN__MAX
};

/* Who may take an action, from which states, with which statement. */
static const struct concern_rule {
	int		 by_raiser;	/* 1: the raising side, 0: the other */
	unsigned	 from;		/* 1u << state, per allowed state */
	int		 stmt;
} rules[CONCERN_ACTION__MAX] = {
	[CONCERN_PROPOSE] = { 0, 1u << CONCERN_OPEN, STMT_CONCERN_PROPOSE },
	[CONCERN_ACCEPT] = { 1, 1u << CONCERN_PROPOSED, STMT_CONCERN_ACCEPT },
	[CONCERN_REJECT] = { 1, 1u << CONCERN_PROPOSED, STMT_CONCERN_REJECT },
	[CONCERN_WITHDRAW] = { 1, (1u << CONCERN_OPEN) |
	    (1u << CONCERN_PROPOSED), STMT_CONCERN_WITHDRAW },
};

/* db_row_fn for a struct concern. */
static void
concern_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct concern *c = out;

	c->id = sqlite3_column_int64(st, 0);
	c->account_id = sqlite3_column_int64(st, 1);
	c->raised_by = (enum account_side)db_col_enum(st, 2,
	    account_side_names, SIDE__MAX);
	c->title = db_col_text(a, st, 3);
	c->detail = db_col_text(a, st, 4);
	c->state = (enum concern_state)db_col_enum(st, 5, concern_state_names,
	    CONCERN_OPEN);
	c->resolution = db_col_text(a, st, 6);
	c->proposed_by_name = db_col_text(a, st, 7);
	c->proposed_at = db_col_text(a, st, 8);
	c->reject_reason = db_col_text(a, st, 9);
	c->created_by = sqlite3_column_int64(st, 10);
	c->created_by_name = db_col_text(a, st, 11);
	c->created_at = db_col_text(a, st, 12);
	c->closed_by_name = db_col_text(a, st, 13);
	c->closed_at = db_col_text(a, st, 14);
}

/* Notify side `to` of acct about concern id: "<what>: <title>", once per
 * key concern:<id>:<tag>. */
static enum kw_status
tell(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, enum account_side to, enum notify_kind kind,
    long long id, const char *what, const char *title, const char *tag)
{
	return notify_side(db, actor, acct, to, kind, "concern", id,
	    arena_xprintf(a, "%s: %s", what, title),
	    arena_xprintf(a, "concern:%lld:%s", id, tag));
}

/* entry_bind_fn for a new struct concern. */
static void
concern_bind(sqlite3_stmt *st, const void *in)
{
	const struct concern *c = in;

	db_bind_text(st, 5, c->title);
	db_bind_text(st, 6, c->detail != NULL ? c->detail : "");
}

/* entry_created_fn: the other side hears of a new concern. */
static enum kw_status
concern_created(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, const char *entity, long long id,
    const void *in)
{
	const struct concern *c = in;

	(void)entity;
	return tell(db, a, actor, acct, account_other_side(acct->my_side),
	    NOTIFY_CONCERN, id, "Concern raised", c->title, "raised");
}

static const struct entry_table concern_kind = {
	.entity = "concern",
	.t = &concern_stmts,
	.sid_insert = STMT_CONCERN_INSERT,
	.bind = concern_bind,
	.created = concern_created,
	.sid_get = STMT_CONCERN_GET,
	.sid_count = STMT_CONCERN_COUNT,
	.sid_list = STMT_CONCERN_LIST,
	.sid_side = -1,		/* withdrawn through concern_act() */
	.sid_withdraw = -1,
	.size = sizeof(struct concern),
	.row = concern_row,
};

enum kw_status
concern_raise(struct db *db, const struct user *actor, long long account_id,
    const char *title, const char *detail, long long *id)
{
	struct concern in;
	int ok;

	memset(&in, 0, sizeof(in));
	in.title = title;
	in.detail = detail;
	ok = valid_text_ok(title, 1, CONCERN_TITLE_MAX, 0) &&
	    valid_text_ok(detail, 0, CONCERN_DETAIL_MAX, 1);
	return entry_create(db, actor, account_id, &concern_kind, &in, ok,
	    ok ? title : NULL, id);
}

enum kw_status
concern_may(enum concern_state state, enum account_side raised_by,
    enum account_side side, enum concern_action action)
{
	const struct concern_rule *r;

	if ((int)side < 0 || side >= SIDE__MAX || (int)raised_by < 0 ||
	    raised_by >= SIDE__MAX)
		return KW_NOTFOUND;
	if ((int)action < 0 || action >= CONCERN_ACTION__MAX ||
	    (int)state < 0 || state >= CONCERN_STATE__MAX)
		return KW_BADREQ;
	r = &rules[action];
	if ((side == raised_by) != r->by_raiser)
		return KW_FORBIDDEN;
	return (r->from & (1u << state)) ? KW_OK : KW_CONFLICT;
}

/* 1 if text is acceptable for action (see concern_act()). */
static int
text_ok(enum concern_action action, const char *text)
{
	switch (action) {
	case CONCERN_PROPOSE:
		return valid_text_ok(text, 1, CONCERN_RESOLUTION_MAX, 1);
	case CONCERN_REJECT:
		return valid_text_ok(text, 0, CONCERN_REASON_MAX, 1);
	default:
		return 1;
	}
}

/*
 * Inside the transaction: the state change of action on concern id,
 * audited, with its notice (title is the concern's).
 */
static enum kw_status
apply(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, long long id, enum concern_action action,
    const char *text, enum account_side raised_by, const char *title)
{
	sqlite3_stmt *st;
	char now[32];
	const char *tag;
	enum kw_status ret;

	if ((st = db_stmt(db, &concern_stmts, rules[action].stmt)) == NULL)
		return KW_INTERNAL;
	clock_iso(clock_now(), now, sizeof(now));
	if (text != NULL && *text == '\0')
		text = NULL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, acct->id);
	switch (action) {
	case CONCERN_PROPOSE:
		db_bind_text(st, 3, text);
		db_bind_int(st, 4, actor->id);
		db_bind_text(st, 5, now);
		break;
	case CONCERN_REJECT:
		db_bind_text(st, 3, text);
		break;
	default:
		db_bind_int(st, 3, actor->id);
		db_bind_text(st, 4, now);
		break;
	}
	if ((ret = db_exec(db, st)) != KW_OK ||
	    (ret = audit_log(db, actor, acct->id, "concern", id,
	    concern_action_names[action], text)) != KW_OK)
		return ret;
	/* The audit event's id keeps each round's notice apart. */
	tag = arena_xprintf(a, "%s:%lld", concern_action_names[action],
	    db_last_id(db));
	if (action == CONCERN_PROPOSE)
		return tell(db, a, actor, acct, raised_by, NOTIFY_RESOLUTION,
		    id, "Resolution proposed", title, tag);
	if (action == CONCERN_REJECT)
		return tell(db, a, actor, acct, account_other_side(raised_by),
		    NOTIFY_CONCERN, id, "Resolution not accepted", title, tag);
	return KW_OK;
}

/* Where concern_act() finds a concern. */
struct standing {
	enum concern_state	 state;
	enum account_side	 raised_by;
	const char		*title;
};

/* db_row_fn for STMT_CONCERN_STATE into a struct standing. */
static void
standing_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct standing *s = out;

	s->state = (enum concern_state)db_col_enum(st, 0, concern_state_names,
	    CONCERN_STATE__MAX);
	s->raised_by = (enum account_side)db_col_enum(st, 1,
	    account_side_names, SIDE__MAX);
	s->title = db_col_text(a, st, 2);
}

/* Inside the transaction: take action on concern id of acct with text,
 * if concern_may() allows it (a refusal is logged). */
static enum kw_status
act_tx(struct db *db, struct arena *a, const struct user *actor,
    const struct account *acct, long long id, enum concern_action action,
    const char *text)
{
	struct standing s;
	sqlite3_stmt *st;
	enum kw_status ret;

	if ((st = db_stmt(db, &concern_stmts, STMT_CONCERN_STATE)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, acct->id);
	}
	if ((ret = db_one(db, a, st, standing_row, &s)) != KW_OK)
		return ret;
	ret = concern_may(s.state, s.raised_by, acct->my_side, action);
	if (ret == KW_FORBIDDEN || ret == KW_CONFLICT)
		return user_denied(actor, ret, "%s concern %lld",
		    concern_action_names[action], id);
	if (ret != KW_OK)
		return ret;
	return apply(db, a, actor, acct, id, action, text, s.raised_by,
	    s.title);
}

enum kw_status
concern_act(struct db *db, const struct user *actor, long long account_id,
    long long id, enum concern_action action, const char *text)
{
	struct arena *a;
	struct account acct;
	enum kw_status ret;

	if ((a = arena_new(1024, 0)) == NULL)
		return KW_INTERNAL;
	ret = entry_account(db, a, actor, account_id, &acct);
	if (ret == KW_OK && ((int)action < 0 ||
	    action >= CONCERN_ACTION__MAX || !text_ok(action, text)))
		ret = KW_BADREQ;
	if (ret == KW_OK && (ret = db_begin(db)) == KW_OK)
		ret = db_finish(db, act_tx(db, a, actor, &acct, id, action,
		    text));
	arena_free(a);
	return ret;
}

enum kw_status
concern_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct concern *c)
{
	memset(c, 0, sizeof(*c));
	return entry_get(db, a, actor, account_id, &concern_kind, id, c);
}

enum kw_status
concern_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *state, const char *side,
    size_t limit, size_t offset, struct concern **list, size_t *n,
    size_t *total)
{
	const char *const filter[2] = { state, side };
	void *l;
	enum kw_status ret;

	ret = entry_list(db, a, actor, account_id, &concern_kind, filter,
	    limit, offset, &l, n, total);
	*list = l;
	return ret;
}

enum kw_status
concern_open_counts(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, size_t open[SIDE__MAX])
{
	struct account acct;
	sqlite3_stmt *st;
	enum account_side side;
	enum kw_status ret;
	int rc;

	open[SIDE_BUYER] = open[SIDE_SUPPLIER] = 0;
	if (actor != NULL && (ret = entry_account(db, a, actor, account_id,
	    &acct)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &concern_stmts, STMT_CONCERN_OPEN_COUNTS)) ==
	    NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		side = (enum account_side)db_col_enum(st, 0,
		    account_side_names, SIDE__MAX);
		if (side < SIDE__MAX)
			open[side] = (size_t)sqlite3_column_int64(st, 1);
	}
	db_stmt_done(st);
	return db_status(rc);
}

/* db_row_fn for a struct concern_promise. */
static void
promise_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct concern_promise *p = out;

	p->id = sqlite3_column_int64(st, 0);
	p->title = db_col_text(a, st, 1);
	p->state = db_col_text(a, st, 2);
	p->due_date = db_col_text(a, st, 3);
}

enum kw_status
concern_promises(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct concern_promise **list,
    size_t *n)
{
	struct account acct;
	sqlite3_stmt *st;
	void *rows = NULL;
	enum kw_status ret;

	*list = NULL;
	*n = 0;
	if ((ret = entry_account(db, a, actor, account_id, &acct)) != KW_OK)
		return ret;
	if ((st = db_stmt(db, &concern_stmts, STMT_CONCERN_PROMISES)) != NULL) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, acct.id);
	}
	ret = db_rows(db, a, st, sizeof(**list), promise_row, &rows, n);
	*list = rows;
	return ret;
}
