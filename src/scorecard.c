/* scorecard.c: one side's scorecard of a review period, from the ledger. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "arena.h"
#include "clock.h"
#include "contact.h"
#include "db.h"
#include "expectation.h"
#include "feedback.h"
#include "kw.h"
#include "promise.h"
#include "scorecard.h"
#include "update.h"

enum scorecard_stmt {
	STMT_SC_FROZEN,
	STMT_SC__MAX
};

static const char *const scorecard_sql[STMT_SC__MAX] = {
	/* Both sides' snapshots of the frozen reviews of the periods
	 * starting in ?2..?3. */
	[STMT_SC_FROZEN] =
	    "SELECT r.period_start, r.period_end, s.side, s.integrity, "
	    "s.fallen_due, s.kept_on_time, s.ratings, s.rating_mean, "
	    "s.contacts FROM reviews r JOIN review_scores s "
	    "ON s.review_id = r.id WHERE r.account_id = ?1 "
	    "AND r.period_start BETWEEN ?2 AND ?3 AND r.state = 'frozen'",
};

const struct db_stmt_table scorecard_stmts = {
	"scorecard", scorecard_sql, STMT_SC__MAX
};

/* The last day of the contacts counted for a period ending on to, seen
 * on today: to, or today while the period runs (a contact is never
 * dated after the day it is logged). */
static void
contacts_asof(const char *to, const char *today, char out[11])
{
	snprintf(out, 11, "%s", strcmp(to, today) < 0 ? to : today);
}

/*
 * What a scorecard and a trend both count, for both sides over the
 * periods per[0..n-1] on today (all checked): the promises, the contacts
 * (up to each period's end or today, whichever comes first) and the
 * satisfaction received, into ps[side * n + i], cs[i] (the same for both
 * sides) and fs[side * n + i]: a query for each.
 */
static enum kw_status
period_figures(struct db *db, struct arena *a, const struct account *acct,
    const struct account_period *per, size_t n, const char *today,
    struct promise_stats *ps, struct contact_stats *cs,
    struct feedback_stats *fs)
{
	struct account_period *asof;
	size_t i;
	enum kw_status ret;

	asof = arena_xcalloc(a, n, sizeof(*asof));
	for (i = 0; i < n; i++) {
		memcpy(asof[i].from, per[i].from, sizeof(asof[i].from));
		contacts_asof(per[i].to, today, asof[i].to);
	}
	if ((ret = promise_integrity_periods(db, acct->id, per, n, today,
	    ps)) != KW_OK ||
	    (ret = contact_stats_periods(db, a, NULL, acct->id, asof, n,
	    cs)) != KW_OK)
		return ret;
	return feedback_received_periods(db, a, NULL, acct->id, per, n, fs);
}

/* Zero *out for side and from..to; KW_BADREQ unless they and today are
 * good. */
static enum kw_status
start(const struct account *acct, enum account_side side, const char *from,
    const char *to, const char *today, struct scorecard *out)
{
	memset(out, 0, sizeof(*out));
	out->side = side;
	out->promises.integrity = -1;
	out->last_contact = "";
	out->days_since_contact = -1;
	if (acct == NULL || (int)side < 0 || side >= SIDE__MAX ||
	    !clock_date_ok(from) || !clock_date_ok(to) || !clock_date_ok(today) ||
	    strcmp(from, to) > 0)
		return KW_BADREQ;
	memcpy(out->from, from, sizeof(out->from));
	memcpy(out->to, to, sizeof(out->to));
	promise_due_by(to, today, out->promises_to);
	contacts_asof(to, today, out->contacts_to);
	return KW_OK;
}

enum kw_status
scorecard_sides(struct db *db, struct arena *a, const struct account *acct,
    const char *from, const char *to, const char *today,
    struct scorecard out[SIDE__MAX])
{
	struct account_period per;
	struct promise_stats ps[SIDE__MAX];
	struct contact_stats cs;
	struct feedback_stats fs[SIDE__MAX];
	long long rated[SIDE__MAX][EXPECTATION_RATING__MAX];
	long long unassessed[SIDE__MAX], shared[SIDE__MAX], seen[SIDE__MAX];
	struct scorecard *c;
	enum account_side s, o;
	enum kw_status ret;

	for (s = SIDE_BUYER; s < SIDE__MAX; s++)
		if ((ret = start(acct, s, from, to, today, &out[s])) != KW_OK)
			return ret;
	memcpy(per.from, from, sizeof(per.from));
	memcpy(per.to, to, sizeof(per.to));
	if ((ret = period_figures(db, a, acct, &per, 1, today, ps, &cs,
	    fs)) != KW_OK ||
	    (ret = expectation_figures(db, acct->id, from, to, rated,
	    unassessed)) != KW_OK ||
	    (ret = update_figures(db, acct->id, from, to, shared, seen)) !=
	    KW_OK)
		return ret;
	for (s = SIDE_BUYER; s < SIDE__MAX; s++) {
		c = &out[s];
		o = account_other_side(s);
		c->promises = ps[s];
		c->contacts = (long long)cs.count;
		c->last_contact = cs.last_date;
		c->days_since_contact = cs.days_since;
		c->ratings = (long long)fs[s].count;
		c->rating_mean = fs[s].mean;
		/* The expectations the other side holds of this one. */
		memcpy(c->expectations, rated[o], sizeof(c->expectations));
		c->expectations_unassessed = unassessed[o];
		c->updates_shared = shared[s];
		c->updates_acknowledged = seen[s];
	}
	return KW_OK;
}

enum kw_status
scorecard_compute(struct db *db, struct arena *a, const struct account *acct,
    enum account_side side, const char *from, const char *to,
    const char *today, struct scorecard *out)
{
	struct scorecard both[SIDE__MAX];
	enum kw_status ret;

	if ((ret = start(acct, side, from, to, today, out)) != KW_OK)
		return ret;
	if ((ret = scorecard_sides(db, a, acct, from, to, today, both)) ==
	    KW_OK)
		*out = both[side];
	return ret;
}

/*
 * The points of the periods per[0..n-1] whose review is frozen, from
 * both sides' snapshots, into pt[side][] (marking them in done[side][]).
 */
static enum kw_status
frozen_points(struct db *db, const struct account *acct,
    const struct account_period *per, size_t n,
    struct scorecard_point *pt[SIDE__MAX], unsigned char *done[SIDE__MAX])
{
	struct scorecard_point *q;
	sqlite3_stmt *st;
	const char *from, *to;
	size_t i;
	int rc, side;

	if ((st = db_stmt(db, &scorecard_stmts, STMT_SC_FROZEN)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, acct->id);
	db_bind_text(st, 2, per[0].from);
	db_bind_text(st, 3, per[n - 1].from);
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		from = (const char *)sqlite3_column_text(st, 0);
		to = (const char *)sqlite3_column_text(st, 1);
		side = db_col_enum(st, 2, account_side_names, -1);
		for (i = 0; from != NULL && to != NULL && i < n; i++)
			if (strcmp(per[i].from, from) == 0 &&
			    strcmp(per[i].to, to) == 0)
				break;
		if (i == n || side < 0)
			continue;	/* not one of these periods */
		done[side][i] = 1;
		q = &pt[side][i];
		q->integrity = sqlite3_column_int(st, 3);
		q->fallen_due = sqlite3_column_int64(st, 4);
		q->kept_on_time = sqlite3_column_int64(st, 5);
		q->ratings = sqlite3_column_int64(st, 6);
		q->rating_mean = sqlite3_column_double(st, 7);
		q->contacts = sqlite3_column_int64(st, 8);
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? KW_OK : db_status(rc);
}

/* The point of scorecard c. */
static void
point_of(const struct scorecard *c, struct scorecard_point *pt)
{
	pt->integrity = c->promises.integrity;
	pt->fallen_due = c->promises.fallen_due;
	pt->kept_on_time = c->promises.kept_on_time;
	pt->ratings = c->ratings;
	pt->rating_mean = c->rating_mean;
	pt->contacts = c->contacts;
}

/* The points of the periods per[0..n-1] not done yet for a side (in
 * done[side][]), counted from the ledger in one go, into pt[side][]. */
static enum kw_status
live_points(struct db *db, struct arena *a, const struct account *acct,
    const struct account_period *per, size_t n, const char *today,
    struct scorecard_point *pt[SIDE__MAX], unsigned char *done[SIDE__MAX])
{
	struct account_period *live;
	struct promise_stats *ps;
	struct contact_stats *cs;
	struct feedback_stats *fs;
	struct scorecard_point *q;
	size_t i, k, j, nl = 0;
	int s;
	enum kw_status ret;

	live = arena_xcalloc(a, n, sizeof(*live));
	for (i = 0; i < n; i++)
		if (!done[SIDE_BUYER][i] || !done[SIDE_SUPPLIER][i])
			live[nl++] = per[i];
	if (nl == 0)
		return KW_OK;
	ps = arena_xcalloc(a, SIDE__MAX * nl, sizeof(*ps));
	cs = arena_xcalloc(a, nl, sizeof(*cs));
	fs = arena_xcalloc(a, SIDE__MAX * nl, sizeof(*fs));
	if ((ret = period_figures(db, a, acct, live, nl, today, ps, cs,
	    fs)) != KW_OK)
		return ret;
	for (i = k = 0; i < n; i++) {
		if (done[SIDE_BUYER][i] && done[SIDE_SUPPLIER][i])
			continue;
		for (s = 0; s < SIDE__MAX; s++) {
			if (done[s][i])
				continue;
			q = &pt[s][i];
			j = (size_t)s * nl + k;
			q->integrity = ps[j].integrity;
			q->fallen_due = ps[j].fallen_due;
			q->kept_on_time = ps[j].kept_on_time;
			q->ratings = (long long)fs[j].count;
			q->rating_mean = fs[j].mean;
			q->contacts = (long long)cs[k].count;
		}
		k++;
	}
	return KW_OK;
}

enum kw_status
scorecard_trend(struct db *db, struct arena *a, const struct account *acct,
    size_t n, const char *until, const char *today,
    const struct scorecard *latest, struct scorecard_point *list[SIDE__MAX],
    size_t *count)
{
	struct account_period *per;
	unsigned char *done[SIDE__MAX];
	size_t i, np = 0;
	int s;
	enum kw_status ret;

	list[SIDE_BUYER] = list[SIDE_SUPPLIER] = NULL;
	*count = 0;
	if (acct == NULL || n < 1 || n > SCORECARD_TREND_MAX ||
	    !clock_date_ok(until) || !clock_date_ok(today))
		return KW_BADREQ;
	per = arena_xcalloc(a, n, sizeof(*per));
	if ((ret = account_periods(db, acct, n, until, per, &np)) != KW_OK ||
	    np == 0)
		return ret;
	for (s = 0; s < SIDE__MAX; s++) {
		list[s] = arena_xcalloc(a, np, sizeof(*list[s]));
		done[s] = arena_xcalloc(a, np, 1);
		for (i = 0; i < np; i++) {
			memcpy(list[s][i].from, per[i].from, sizeof(per[i].from));
			memcpy(list[s][i].to, per[i].to, sizeof(per[i].to));
		}
	}
	if ((ret = frozen_points(db, acct, per, np, list, done)) != KW_OK)
		return ret;
	for (s = 0; s < SIDE__MAX; s++) {
		if (latest != NULL && !done[s][np - 1] &&
		    latest[s].side == (enum account_side)s &&
		    strcmp(latest[s].from, per[np - 1].from) == 0 &&
		    strcmp(latest[s].to, per[np - 1].to) == 0) {
			point_of(&latest[s], &list[s][np - 1]);
			done[s][np - 1] = 1;	/* counted: not again */
		}
	}
	if ((ret = live_points(db, a, acct, per, np, today, list, done)) !=
	    KW_OK)
		return ret;
	*count = np;
	return KW_OK;
}
