/* page-review.c: the periodic reviews of an account: the list, one
 * review with both scorecards, signing and agreed actions. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "clock.h"
#include "entry.h"
#include "expectation.h"
#include "page.h"
#include "promise.h"
#include "review.h"
#include "scorecard.h"

const struct valid_field page_review_action_fields[] = {
	{ .name = "title", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = 200, .label = "Action" },
	{ .name = "due_date", .kind = VALID_DATE, .flags = VALID_REQUIRED,
	  .label = "Due date" },
	{ .name = NULL },
};

/* The day it is, YYYY-MM-DD. */
static void
today_str(char today[16])
{
	clock_date(clock_now(), today, 16);
}

/* Whether the viewer may open the running period's review as a draft
 * (review_draft() checks the same). */
static int
may_draft(const struct page *p, const struct account *a)
{
	return review_is_owner(&p->user, a) || p->user.role == USER_ADMIN;
}

/* Who signed side of r, for a list or the review page. */
static void
signed_vars(tmpl_vars *v, const struct review *r)
{
	tmpl_set(v, "buyer_signed", r->signed_by_name[SIDE_BUYER]);
	tmpl_set(v, "buyer_signed_at", r->signed_at[SIDE_BUYER]);
	tmpl_set(v, "supplier_signed", r->signed_by_name[SIDE_SUPPLIER]);
	tmpl_set(v, "supplier_signed_at", r->signed_at[SIDE_SUPPLIER]);
}

/* The list of a's reviews with status; refusal (may be NULL) says why
 * a draft was refused. */
static void
list_render(struct page *p, const struct account *a, int status,
    const char *refusal)
{
	struct review *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	if ((st = review_list(p->db, p->arena, &p->user, a->id, &list, &n)) !=
	    KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	loop = tmpl_add_loop(p->vars, "reviews");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "rid", list[i].id);
		tmpl_set(row, "period_start", list[i].period_start);
		tmpl_set(row, "period_end", list[i].period_end);
		tmpl_set(row, "state", review_state_names[list[i].state]);
		signed_vars(row, &list[i]);
	}
	tmpl_set_bool(p->vars, "can_draft", may_draft(p, a));
	if (refusal != NULL)
		tmpl_set(p->vars, "action_error", refusal);
	page_render(p, status, arena_xprintf(p->arena, "Reviews · %s",
	    a->title), "reviews.tmpl");
}

void
page_reviews(struct page *p)
{
	struct account a;

	if (page_account_load(p, &a) == KW_OK)
		list_render(p, &a, 200, NULL);
}

void
page_reviews_add(struct page *p)
{
	struct account a;
	long long id = 0;
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	st = review_draft(p->db, p->arena, &p->user, a.id, &id);
	if (st == KW_OK)
		page_redirect_notice(p, arena_xprintf(p->arena,
		    "/accounts/%lld/reviews/%lld", a.id, id), "review-drafted");
	else if (st == KW_FORBIDDEN)
		list_render(p, &a, 403, "Only an owner of the account or an "
		    "admin can open a review early.");
	else if (st == KW_CONFLICT)
		list_render(p, &a, 409, "The running period has a review "
		    "already, or the account has not started.");
	else
		page_error(p, st, NULL);
}

/* A figure as the page shows it: the count, or none. */
static const char *
count_text(struct page *p, long long n)
{
	return arena_xprintf(p->arena, "%lld", n);
}

/* One row of the scorecards' table: label and each side's text. */
static void
figure(tmpl_loop *loop, const char *label, const char *buyer,
    const char *supplier)
{
	tmpl_vars *row = tmpl_loop_row(loop);

	tmpl_set(row, "label", label);
	tmpl_set(row, "buyer", buyer);
	tmpl_set(row, "supplier", supplier);
}

/* A row of two counts, one per side, picked from the scorecards. */
#define COUNT_ROW(label, field) \
	figure(loop, label, count_text(p, sc[SIDE_BUYER].field), \
	    count_text(p, sc[SIDE_SUPPLIER].field))

/* The integrity of a scorecard as words. */
static const char *
integrity_text(struct page *p, const struct scorecard *c)
{
	if (c->promises.integrity < 0)
		return "no promises fell due";
	return arena_xprintf(p->arena, "%d%% (%lld of %lld on time)",
	    c->promises.integrity, c->promises.kept_on_time,
	    c->promises.fallen_due);
}

/* The mean rating of a scorecard as words. */
static const char *
rating_text(struct page *p, const struct scorecard *c)
{
	if (c->ratings == 0)
		return "no ratings";
	return arena_xprintf(p->arena, "%.1f of 5 (%lld rating%s)",
	    c->rating_mean, c->ratings, c->ratings == 1 ? "" : "s");
}

/* The last contact of a scorecard as words. */
static const char *
contact_text(struct page *p, const struct scorecard *c)
{
	if (c->days_since_contact < 0)
		return "none";
	return arena_xprintf(p->arena, "%s (%lld day%s before the end)",
	    c->last_contact, c->days_since_contact,
	    c->days_since_contact == 1 ? "" : "s");
}

/* Both scorecards as the loop "figures". */
static void
figures_vars(struct page *p, const struct scorecard sc[SIDE__MAX])
{
	tmpl_loop *loop = tmpl_add_loop(p->vars, "figures");

	COUNT_ROW("Promises that fell due", promises.fallen_due);
	COUNT_ROW("Kept on time", promises.kept_on_time);
	COUNT_ROW("Kept late", promises.kept_late);
	COUNT_ROW("Broken", promises.broken);
	COUNT_ROW("Delivered, awaiting confirmation", promises.delivered);
	COUNT_ROW("Still overdue", promises.still_overdue);
	COUNT_ROW("Of them disputed", promises.disputed);
	COUNT_ROW("Renegotiated", promises.renegotiated);
	figure(loop, "Integrity", integrity_text(p, &sc[SIDE_BUYER]),
	    integrity_text(p, &sc[SIDE_SUPPLIER]));
	COUNT_ROW("Expectations met", expectations[EXPECTATION_MET]);
	COUNT_ROW("Expectations partly met", expectations[EXPECTATION_PARTLY]);
	COUNT_ROW("Expectations not met", expectations[EXPECTATION_NOT_MET]);
	COUNT_ROW("Expectations not yet assessed", expectations_unassessed);
	COUNT_ROW("Updates shared", updates_shared);
	COUNT_ROW("Updates read by the other side", updates_acknowledged);
	COUNT_ROW("Contacts (either side)", contacts);
	figure(loop, "Last contact", contact_text(p, &sc[SIDE_BUYER]),
	    contact_text(p, &sc[SIDE_SUPPLIER]));
	figure(loop, "Satisfaction received",
	    rating_text(p, &sc[SIDE_BUYER]),
	    rating_text(p, &sc[SIDE_SUPPLIER]));
}

/* The acknowledged expectations the viewer's side holds of the other,
 * to assess for review r, as the loop "assess". */
static enum kw_status
assess_vars(struct page *p, const struct account *a, const struct review *r)
{
	static const char *const labels[EXPECTATION_RATING__MAX] = {
		[EXPECTATION_MET] = "met",
		[EXPECTATION_PARTLY] = "partly met",
		[EXPECTATION_NOT_MET] = "not met",
	};
	struct expectation *list = NULL;
	tmpl_loop *loop, *opts;
	tmpl_vars *row, *o;
	size_t i, n = 0;
	int k;
	enum kw_status st;

	st = expectation_list(p->db, p->arena, &p->user, a->id,
	    EXPECTATION_ACKNOWLEDGED, a->my_side, ENTRY_LIST_MAX, 0, &list,
	    &n, NULL);
	loop = tmpl_add_loop(p->vars, "assess");
	for (i = 0; st == KW_OK && i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "xid", list[i].id);
		tmpl_set(row, "title", list[i].title);
		tmpl_set(row, "period", r->period_start);
		if (strcmp(list[i].last_period, r->period_start) == 0)
			tmpl_set(row, "rating", list[i].last_rating);
		opts = tmpl_add_loop(row, "ratings");
		for (k = 0; k < EXPECTATION_RATING__MAX; k++) {
			o = tmpl_loop_row(opts);
			tmpl_set(o, "value", expectation_rating_names[k]);
			tmpl_set(o, "label", labels[k]);
		}
	}
	return st;
}

/* The actions agreed in review id as the loop "actions". */
static enum kw_status
actions_vars(struct page *p, long long id)
{
	struct review_action *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	st = review_actions(p->db, p->arena, id, &list, &n);
	loop = tmpl_add_loop(p->vars, "actions");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "pid", list[i].promise_id);
		tmpl_set(row, "title", list[i].title);
		tmpl_set(row, "side", account_side_name(list[i].side));
		tmpl_set(row, "due_date", list[i].due_date);
		tmpl_set(row, "state", list[i].state);
	}
	return st;
}

/* The page of review id of a with status; refusal (may be NULL) says
 * why an action was refused. */
static void
review_render(struct page *p, const struct account *a, long long id,
    int status, const char *refusal)
{
	struct scorecard sc[SIDE__MAX];
	struct review r;
	char today[16];
	int changed = 0;
	enum kw_status st;

	st = review_get(p->db, p->arena, &p->user, a->id, id, &r);
	if (st == KW_OK)
		st = review_scores(p->db, p->arena, a, &r, sc, &changed);
	if (st == KW_OK)
		st = assess_vars(p, a, &r);
	if (st == KW_OK)
		st = actions_vars(p, r.id);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	today_str(today);
	tmpl_set_int(p->vars, "rid", r.id);
	tmpl_set(p->vars, "period_start", r.period_start);
	tmpl_set(p->vars, "period_end", r.period_end);
	tmpl_set(p->vars, "state", review_state_names[r.state]);
	tmpl_set(p->vars, "opened_by", r.opened_by_name);
	tmpl_set(p->vars, "opened_at", page_day(p, r.opened_at));
	tmpl_set(p->vars, "frozen_at", page_day(p, r.frozen_at));
	tmpl_set_bool(p->vars, "changed", changed);
	tmpl_set_bool(p->vars, "ended", strcmp(r.period_end, today) < 0);
	signed_vars(p->vars, &r);
	tmpl_set_bool(p->vars, "i_signed", r.signed_by[a->my_side] != 0);
	tmpl_set_bool(p->vars, "can_sign", r.state != REVIEW_FROZEN &&
	    r.signed_by[a->my_side] == 0 && review_is_owner(&p->user, a) &&
	    strcmp(r.period_end, today) < 0);
	tmpl_set_bool(p->vars, "can_act", r.state != REVIEW_FROZEN);
	figures_vars(p, sc);
	/* The trends up to this review's period, whose scorecards are
	 * counted already. */
	if (page_trends(p, a, r.period_end, sc) != KW_OK) {
		page_error(p, KW_INTERNAL, NULL);
		return;
	}
	page_entry_render(p, a, "review", r.id, status, refusal,
	    arena_xprintf(p->arena, "Review %s to %s · %s", r.period_start,
	    r.period_end, a->title), "review.tmpl");
}

void
page_review(struct page *p)
{
	struct account a;

	if (page_account_load(p, &a) == KW_OK)
		review_render(p, &a, page_id(p, "eid"), 200, NULL);
}

void
page_review_sign(struct page *p)
{
	struct account a;
	const char *msg = NULL;
	long long id = page_id(p, "eid");
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	st = review_sign(p->db, p->arena, &p->user, a.id, id, &msg);
	if (st == KW_OK)
		page_redirect_notice(p, arena_xprintf(p->arena,
		    "/accounts/%lld/reviews/%lld", a.id, id), "review-signed");
	else if ((st == KW_FORBIDDEN || st == KW_CONFLICT) && msg != NULL)
		review_render(p, &a, id, kw_status_http(st), msg);
	else
		page_error(p, st, NULL);
}

void
page_review_action(struct page *p)
{
	struct account a;
	struct promise_err err = { NULL, NULL };
	long long id = page_id(p, "eid");
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	page_form_vars(p);
	if (p->nerrors > 0) {
		review_render(p, &a, id, 400, NULL);
		return;
	}
	st = review_add_action(p->db, p->arena, &p->user, a.id, id,
	    page_val(p, "title"), page_val(p, "due_date"), NULL, &err);
	if (st == KW_OK)
		page_redirect_notice(p, arena_xprintf(p->arena,
		    "/accounts/%lld/reviews/%lld", a.id, id),
		    "review-action-added");
	else if (st == KW_BADREQ && err.field != NULL) {
		page_field_error(p, err.field, err.msg);
		review_render(p, &a, id, 400, NULL);
	} else if (st == KW_CONFLICT || st == KW_FORBIDDEN)
		review_render(p, &a, id, kw_status_http(st), err.msg);
	else
		page_error(p, st, NULL);
}
