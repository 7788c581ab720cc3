/* feedback.c: satisfaction ratings one side gives the other. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "db.h"
#include "entry.h"
#include "feedback.h"
#include "kw.h"
#include "org.h"
#include "valid.h"

const char *const feedback_aspect_names[FEEDBACK_ASPECT__MAX + 1] = {
	[FEEDBACK_QUALITY] = "quality",
	[FEEDBACK_DELIVERY] = "delivery",
	[FEEDBACK_COMMUNICATION] = "communication",
	[FEEDBACK_VALUE] = "value",
	[FEEDBACK_ASPECT__MAX] = NULL,
};

enum feedback_stmt {
	STMT_FEEDBACK_INSERT,
	STMT_FEEDBACK_GET,
	STMT_FEEDBACK_LIST,
	STMT_FEEDBACK_COUNT,
	STMT_FEEDBACK_SIDE,
	STMT_FEEDBACK_WITHDRAW,
	STMT_FEEDBACK_RECEIVED,
	STMT_FEEDBACK__MAX
};

#define FEEDBACK_COLS \
	"SELECT f.id, f.account_id, f.from_side, f.rating, " \
	"coalesce(f.aspect, ''), f.comment, f.created_by, u.name, " \
	"f.created_at, coalesce(f.withdrawn_at, '') " \
	"FROM feedback f JOIN users u ON u.id = f.created_by "

/*
 * A rating of table t ("" or "f.") is counted on the days lo..hi (SQL
 * expressions): standing and given then. created_at is ISO-8601 text, so
 * the days lo..hi are the times from lo up to the day after hi: a range
 * on feedback_side. Shared by STMT_FEEDBACK_RECEIVED and the list's
 * filter so that the two cannot drift apart.
 */
#define FEEDBACK_GIVEN(t, lo, hi) \
	t "created_at >= " lo " " \
	"AND " t "created_at < date(" hi ", '+1 day') " \
	"AND " t "withdrawn_at IS NULL "

/* A list filter: ?2 giving side, ?3 aspect; NULL = any; ?6..?7 the days
 * of the standing ones counted (NULL: all, see entry_bind_days()). */
#define FEEDBACK_MATCH \
	"WHERE f.account_id = ?1 AND (?2 IS NULL OR f.from_side = ?2) " \
	"AND (?3 IS NULL OR f.aspect = ?3) " \
	"AND (?6 IS NULL OR (" FEEDBACK_GIVEN("f.", "?6", "?7") ")) "

/* For STMT_FEEDBACK_RECEIVED: the ratings side received, given by from.
 * (Both sides at once by "IN" would build a table of the two names on
 * every run.) */
#define FEEDBACK_RECEIVED(side, from) \
	"SELECT created_at, '" side "', rating FROM feedback " \
	"WHERE account_id = ?1 AND from_side = '" from "' " \
	"AND " FEEDBACK_GIVEN("", "?2", "?3")

static const char *const feedback_sql[STMT_FEEDBACK__MAX] = {
	[STMT_FEEDBACK_INSERT] =
	    "INSERT INTO feedback (account_id, from_side, created_by, "
	    "created_at, rating, aspect, comment) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[STMT_FEEDBACK_GET] = FEEDBACK_COLS
	    "WHERE f.id = ?1 AND f.account_id = ?2",
	[STMT_FEEDBACK_LIST] = FEEDBACK_COLS FEEDBACK_MATCH
	    "ORDER BY f.created_at DESC, f.id DESC LIMIT ?4 OFFSET ?5",
	[STMT_FEEDBACK_COUNT] =
	    "SELECT count(*) FROM feedback f " FEEDBACK_MATCH,
	[STMT_FEEDBACK_SIDE] =
	    "SELECT from_side, withdrawn_at IS NOT NULL FROM feedback "
	    "WHERE id = ?1 AND account_id = ?2",
	[STMT_FEEDBACK_WITHDRAW] =
	    "UPDATE feedback SET withdrawn_at = ?3 "
	    "WHERE id = ?1 AND account_id = ?2 AND withdrawn_at IS NULL",
	/* The standing ratings given on the days ?2..?3, each with the
	 * side that received it: a range of feedback_side per side. */
	[STMT_FEEDBACK_RECEIVED] = FEEDBACK_RECEIVED("supplier", "buyer")
	    "UNION ALL " FEEDBACK_RECEIVED("buyer", "supplier"),
};

const struct db_stmt_table feedback_stmts = {
	"feedback", feedback_sql, STMT_FEEDBACK__MAX
};

/* db_row_fn for a struct feedback. */
static void
feedback_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct feedback *fb = out;

	fb->id = sqlite3_column_int64(st, 0);
	fb->account_id = sqlite3_column_int64(st, 1);
	fb->from_side = (enum account_side)db_col_enum(st, 2,
	    account_side_names, SIDE__MAX);
	fb->rating = sqlite3_column_int(st, 3);
	fb->aspect = (enum feedback_aspect)db_col_enum(st, 4,
	    feedback_aspect_names, FEEDBACK_ASPECT__MAX);
	fb->comment = db_col_text(a, st, 5);
	fb->created_by = sqlite3_column_int64(st, 6);
	fb->created_by_name = db_col_text(a, st, 7);
	fb->created_at = db_col_text(a, st, 8);
	fb->withdrawn_at = db_col_text(a, st, 9);
}

/* entry_bind_fn for a new struct feedback. */
static void
feedback_bind(sqlite3_stmt *st, const void *in)
{
	const struct feedback *fb = in;

	db_bind_int(st, 5, fb->rating);
	db_bind_text(st, 6, feedback_aspect_names[fb->aspect]);
	db_bind_text(st, 7, fb->comment != NULL ? fb->comment : "");
}

static const struct entry_table feedback_kind = {
	.entity = "feedback",
	.t = &feedback_stmts,
	.sid_insert = STMT_FEEDBACK_INSERT,
	.bind = feedback_bind,
	.created = NULL,
	.sid_get = STMT_FEEDBACK_GET,
	.sid_count = STMT_FEEDBACK_COUNT,
	.sid_list = STMT_FEEDBACK_LIST,
	.sid_side = STMT_FEEDBACK_SIDE,
	.sid_withdraw = STMT_FEEDBACK_WITHDRAW,
	.size = sizeof(struct feedback),
	.row = feedback_row,
};

enum kw_status
feedback_give(struct db *db, const struct user *actor, long long account_id,
    const struct feedback *in, long long *id)
{
	char detail[64];
	int ok;

	ok = in->rating >= FEEDBACK_RATING_MIN &&
	    in->rating <= FEEDBACK_RATING_MAX && (int)in->aspect >= 0 &&
	    in->aspect <= FEEDBACK_ASPECT__MAX &&
	    valid_text_ok(in->comment, 0, FEEDBACK_COMMENT_MAX, 1);
	snprintf(detail, sizeof(detail), "%d of %d%s%s", in->rating,
	    FEEDBACK_RATING_MAX, ok && in->aspect < FEEDBACK_ASPECT__MAX ?
	    " on " : "", ok && in->aspect < FEEDBACK_ASPECT__MAX ?
	    feedback_aspect_names[in->aspect] : "");
	return entry_create(db, actor, account_id, &feedback_kind, in, ok,
	    detail, id);
}

enum kw_status
feedback_withdraw(struct db *db, const struct user *actor,
    long long account_id, long long id)
{
	return entry_withdraw(db, actor, account_id, &feedback_kind, id);
}

enum kw_status
feedback_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct feedback *fb)
{
	memset(fb, 0, sizeof(*fb));
	return entry_get(db, a, actor, account_id, &feedback_kind, id, fb);
}

enum kw_status
feedback_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct feedback_query *q,
    struct feedback **list, size_t *n, size_t *total)
{
	const char *const filter[2] = { q->side, q->aspect };
	void *l;
	enum kw_status ret;

	ret = entry_list_days(db, a, actor, account_id, &feedback_kind, filter,
	    q->from, q->to, q->limit, q->offset, &l, n, total);
	*list = l;
	return ret;
}

/* db_row_fn for STMT_FEEDBACK_RECEIVED: count the rating in the struct
 * feedback_stats of its period, whose mean holds the sum until all rows
 * are in. */
static void
stats_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct feedback_stats *fs = out;

	(void)a;
	fs->count++;
	fs->mean += sqlite3_column_double(st, 2);
}

enum kw_status
feedback_received_periods(struct db *db, struct arena *a,
    const struct user *actor, long long account_id,
    const struct account_period *per, size_t n, struct feedback_stats *out)
{
	size_t i;
	enum kw_status ret;

	for (i = 0; i < SIDE__MAX * n; i++) {
		out[i].count = 0;
		out[i].mean = 0;
	}
	ret = entry_figures(db, a, actor, account_id, &feedback_stmts,
	    STMT_FEEDBACK_RECEIVED, 1, per, n, stats_row, out, sizeof(*out));
	for (i = 0; i < SIDE__MAX * n; i++)
		if (out[i].count > 0)
			out[i].mean /= (double)out[i].count;
	return ret;
}

enum kw_status
feedback_received(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, enum account_side side, const char *from,
    const char *to, struct feedback_stats *out)
{
	struct account_period p;
	struct feedback_stats both[SIDE__MAX];
	enum kw_status ret;

	out->count = 0;
	out->mean = 0;
	if ((int)side < 0 || side >= SIDE__MAX)
		return KW_BADREQ;
	if ((ret = entry_period(&p, from, to)) != KW_OK)
		return ret;
	if ((ret = feedback_received_periods(db, a, actor, account_id, &p, 1,
	    both)) == KW_OK)
		*out = both[side];
	return ret;
}
