/* contact.c: logged interactions between the two sides of an account. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "clock.h"
#include "contact.h"
#include "db.h"
#include "entry.h"
#include "kw.h"
#include "org.h"
#include "valid.h"

const char *const contact_channel_names[CONTACT_CHANNEL__MAX + 1] = {
	[CONTACT_MEETING] = "meeting",
	[CONTACT_CALL] = "call",
	[CONTACT_VISIT] = "visit",
	[CONTACT_VIDEO] = "video",
	[CONTACT_EMAIL] = "email",
	[CONTACT_CHANNEL__MAX] = NULL,
};

enum contact_stmt {
	STMT_CONTACT_INSERT,
	STMT_CONTACT_GET,
	STMT_CONTACT_LIST,
	STMT_CONTACT_COUNT,
	STMT_CONTACT_SIDE,
	STMT_CONTACT_WITHDRAW,
	STMT_CONTACT_STATS,
	STMT_CONTACT_LAST,
	STMT_CONTACT__MAX
};

#define CONTACT_COLS \
	"SELECT c.id, c.account_id, c.side, c.contact_date, c.channel, " \
	"c.participants, c.summary, c.next_step, c.created_by, u.name, " \
	"c.created_at, coalesce(c.withdrawn_at, '') " \
	"FROM contacts c JOIN users u ON u.id = c.created_by "

/*
 * How the scorecard counts a contact of table t ("" or "c."), shared by
 * STMT_CONTACT_STATS and the list's filter so that the two cannot drift
 * apart: it stands (is not withdrawn), and is dated on the days lo..hi
 * (SQL expressions).
 */
#define CONTACT_STANDS(t)	t "withdrawn_at IS NULL "
#define CONTACT_DATED(t, lo, hi) \
	t "contact_date BETWEEN " lo " AND " hi " "

/* Standing contacts of account ?1. */
#define CONTACT_STANDING \
	"FROM contacts WHERE account_id = ?1 AND " CONTACT_STANDS("")

/* A list filter: ?2 side, ?3 channel; NULL = any; ?6..?7 the days of the
 * standing ones counted (NULL: all, see entry_bind_days()). */
#define CONTACT_MATCH \
	"WHERE c.account_id = ?1 AND (?2 IS NULL OR c.side = ?2) " \
	"AND (?3 IS NULL OR c.channel = ?3) " \
	"AND (?6 IS NULL OR (" CONTACT_STANDS("c.") "AND " \
	CONTACT_DATED("c.", "?6", "?7") ")) "

static const char *const contact_sql[STMT_CONTACT__MAX] = {
	[STMT_CONTACT_INSERT] =
	    "INSERT INTO contacts (account_id, side, created_by, created_at, "
	    "contact_date, channel, participants, summary, next_step) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_CONTACT_GET] = CONTACT_COLS
	    "WHERE c.id = ?1 AND c.account_id = ?2",
	[STMT_CONTACT_LIST] = CONTACT_COLS CONTACT_MATCH
	    "ORDER BY c.contact_date DESC, c.id DESC LIMIT ?4 OFFSET ?5",
	[STMT_CONTACT_COUNT] =
	    "SELECT count(*) FROM contacts c " CONTACT_MATCH,
	[STMT_CONTACT_SIDE] =
	    "SELECT side, withdrawn_at IS NOT NULL FROM contacts "
	    "WHERE id = ?1 AND account_id = ?2",
	[STMT_CONTACT_WITHDRAW] =
	    "UPDATE contacts SET withdrawn_at = ?3 "
	    "WHERE id = ?1 AND account_id = ?2 AND withdrawn_at IS NULL",
	/* The days of the standing contacts on the days ?3..?4. */
	[STMT_CONTACT_STATS] = "SELECT contact_date " CONTACT_STANDING
	    "AND " CONTACT_DATED("", "?2", "?3"),
	/* The day of the last standing contact on or before ?2. */
	[STMT_CONTACT_LAST] = "SELECT max(contact_date) " CONTACT_STANDING
	    "AND contact_date <= ?2",
};

const struct db_stmt_table contact_stmts = {
	"contact", contact_sql, STMT_CONTACT__MAX
};

/* db_row_fn for a struct contact. */
static void
contact_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct contact *c = out;

	c->id = sqlite3_column_int64(st, 0);
	c->account_id = sqlite3_column_int64(st, 1);
	c->side = (enum account_side)db_col_enum(st, 2, account_side_names,
	    SIDE__MAX);
	c->date = db_col_text(a, st, 3);
	c->channel = (enum contact_channel)db_col_enum(st, 4,
	    contact_channel_names, CONTACT_MEETING);
	c->participants = db_col_text(a, st, 5);
	c->summary = db_col_text(a, st, 6);
	c->next_step = db_col_text(a, st, 7);
	c->created_by = sqlite3_column_int64(st, 8);
	c->created_by_name = db_col_text(a, st, 9);
	c->created_at = db_col_text(a, st, 10);
	c->withdrawn_at = db_col_text(a, st, 11);
}

/* entry_bind_fn for a new struct contact. */
static void
contact_bind(sqlite3_stmt *st, const void *in)
{
	const struct contact *c = in;

	db_bind_text(st, 5, c->date);
	db_bind_text(st, 6, contact_channel_names[c->channel]);
	db_bind_text(st, 7, c->participants);
	db_bind_text(st, 8, c->summary);
	db_bind_text(st, 9, c->next_step != NULL ? c->next_step : "");
}

static const struct entry_table contact_kind = {
	.entity = "contact",
	.t = &contact_stmts,
	.sid_insert = STMT_CONTACT_INSERT,
	.bind = contact_bind,
	.created = NULL,
	.sid_get = STMT_CONTACT_GET,
	.sid_count = STMT_CONTACT_COUNT,
	.sid_list = STMT_CONTACT_LIST,
	.sid_side = STMT_CONTACT_SIDE,
	.sid_withdraw = STMT_CONTACT_WITHDRAW,
	.size = sizeof(struct contact),
	.row = contact_row,
};

const char *
contact_date_error(const char *date)
{
	char today[16];
	time_t t;

	if (clock_parse_date(date, &t) != 0)
		return "Enter a date as YYYY-MM-DD.";
	clock_date(clock_now(), today, sizeof(today));
	if (strcmp(date, today) > 0)
		return "The date cannot be in the future.";
	return NULL;
}

/* contact_log()'s checks of in and its audit detail (64 bytes). */
static int
contact_ok(const struct contact *in, char detail[64])
{
	int ok;

	ok = contact_date_error(in->date) == NULL &&
	    (int)in->channel >= 0 && in->channel < CONTACT_CHANNEL__MAX &&
	    valid_text_ok(in->participants, 1, CONTACT_PARTICIPANTS_MAX, 1) &&
	    valid_text_ok(in->summary, 1, CONTACT_SUMMARY_MAX, 1) &&
	    valid_text_ok(in->next_step, 0, CONTACT_NEXT_STEP_MAX, 1);
	snprintf(detail, 64, "%s %s", ok ? in->date : "",
	    ok ? contact_channel_names[in->channel] : "");
	return ok;
}

enum kw_status
contact_log(struct db *db, const struct user *actor, long long account_id,
    const struct contact *in, long long *id)
{
	char detail[64];
	int ok = contact_ok(in, detail);

	return entry_create(db, actor, account_id, &contact_kind, in, ok,
	    detail, id);
}

enum kw_status
contact_log_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct contact *in, long long *id)
{
	char detail[64];
	int ok = contact_ok(in, detail);

	return entry_create_in(db, a, actor, account_id, &contact_kind, in, ok,
	    detail, id);
}

enum kw_status
contact_withdraw(struct db *db, const struct user *actor,
    long long account_id, long long id)
{
	return entry_withdraw(db, actor, account_id, &contact_kind, id);
}

enum kw_status
contact_withdraw_in(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id)
{
	return entry_withdraw_in(db, a, actor, account_id, &contact_kind, id);
}

enum kw_status
contact_get(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, long long id, struct contact *c)
{
	memset(c, 0, sizeof(*c));
	return entry_get(db, a, actor, account_id, &contact_kind, id, c);
}

enum kw_status
contact_list(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const struct contact_query *q,
    struct contact **list, size_t *n, size_t *total)
{
	const char *const filter[2] = { q->side, q->channel };
	void *l;
	enum kw_status ret;

	ret = entry_list_days(db, a, actor, account_id, &contact_kind, filter,
	    q->from, q->to, q->limit, q->offset, &l, n, total);
	*list = l;
	return ret;
}

/* db_row_fn for STMT_CONTACT_STATS: count the contact in the struct
 * contact_stats of its period; rows come in order of their day, so the
 * last one is the latest. */
static void
stats_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct contact_stats *cs = out;

	cs->count++;
	cs->last_date = db_col_text(a, st, 0);
}

/* The last contact on or before the end of period p, into *cs, which
 * has none in p itself. */
static enum kw_status
last_before(struct db *db, struct arena *a, long long account_id,
    const struct account_period *p, struct contact_stats *cs)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, &contact_stmts, STMT_CONTACT_LAST)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, p->to);
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		cs->last_date = db_col_text(a, st, 0);
	db_stmt_done(st);
	return db_status(rc);
}

enum kw_status
contact_stats_periods(struct db *db, struct arena *a,
    const struct user *actor, long long account_id,
    const struct account_period *per, size_t n, struct contact_stats *out)
{
	time_t end, last;
	size_t i;
	enum kw_status ret;

	for (i = 0; i < n; i++) {
		out[i].count = 0;
		out[i].last_date = "";
		out[i].days_since = -1;
	}
	if ((ret = entry_figures(db, a, actor, account_id, &contact_stmts,
	    STMT_CONTACT_STATS, 0, per, n, stats_row, out,
	    sizeof(*out))) != KW_OK)
		return ret;
	for (i = 0; i < n; i++) {
		if (out[i].count == 0 && (ret = last_before(db, a, account_id,
		    &per[i], &out[i])) != KW_OK)
			return ret;
		if (clock_parse_date(out[i].last_date, &last) == 0 &&
		    clock_parse_date(per[i].to, &end) == 0)
			out[i].days_since = (long long)((end - last) / 86400);
	}
	return KW_OK;
}

enum kw_status
contact_stats(struct db *db, struct arena *a, const struct user *actor,
    long long account_id, const char *from, const char *to,
    struct contact_stats *out)
{
	struct account_period p;
	enum kw_status ret;

	out->count = 0;
	out->last_date = "";
	out->days_since = -1;
	if ((ret = entry_period(&p, from, to)) != KW_OK)
		return ret;
	return contact_stats_periods(db, a, actor, account_id, &p, 1, out);
}
