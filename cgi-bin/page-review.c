/* page-review.c: the periodic reviews of an account: the list, one
 * review with both scorecards, signing and agreed actions. */
#include "config.h"

#include <stddef.h>
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

/* The lists a scorecard's counts link to. */
enum figure_list {
	LIST_PROMISES,
	LIST_EXPECTATIONS,
	LIST_UPDATES,
	LIST_CONTACTS,
	LIST_FEEDBACK
};

/* One count of a scorecard: its label, where it is in the struct, and
 * the list that shows the entries behind it with the filter that adds
 * to the list's period (promise_list(), expectation_list(), ...). */
static const struct count_figure {
	const char		*label;
	size_t			 off;	/* of a long long in struct scorecard */
	enum figure_list	 list;
	const char		*filter;	/* "" = the period's only */
} counts[] = {
	{ "Promises that fell due",
	  offsetof(struct scorecard, promises.fallen_due), LIST_PROMISES, "" },
	{ "Kept on time", offsetof(struct scorecard, promises.kept_on_time),
	  LIST_PROMISES, "&outcome=kept-on-time" },
	{ "Kept late", offsetof(struct scorecard, promises.kept_late),
	  LIST_PROMISES, "&outcome=kept-late" },
	{ "Broken", offsetof(struct scorecard, promises.broken),
	  LIST_PROMISES, "&outcome=broken" },
	{ "Delivered, awaiting confirmation",
	  offsetof(struct scorecard, promises.delivered), LIST_PROMISES,
	  "&outcome=delivered" },
	{ "Still overdue", offsetof(struct scorecard, promises.still_overdue),
	  LIST_PROMISES, "&outcome=overdue" },
	{ "Of them disputed", offsetof(struct scorecard, promises.disputed),
	  LIST_PROMISES, "&outcome=disputed" },
	{ "Renegotiated", offsetof(struct scorecard, promises.renegotiated),
	  LIST_PROMISES, "&outcome=renegotiated" },
	{ "Expectations met",
	  offsetof(struct scorecard, expectations[EXPECTATION_MET]),
	  LIST_EXPECTATIONS, "&assessed=met" },
	{ "Expectations partly met",
	  offsetof(struct scorecard, expectations[EXPECTATION_PARTLY]),
	  LIST_EXPECTATIONS, "&assessed=partly" },
	{ "Expectations not met",
	  offsetof(struct scorecard, expectations[EXPECTATION_NOT_MET]),
	  LIST_EXPECTATIONS, "&assessed=not-met" },
	{ "Expectations not yet assessed",
	  offsetof(struct scorecard, expectations_unassessed),
	  LIST_EXPECTATIONS, "&assessed=not-yet" },
	{ "Updates shared", offsetof(struct scorecard, updates_shared),
	  LIST_UPDATES, "" },
	{ "Updates read by the other side",
	  offsetof(struct scorecard, updates_acknowledged), LIST_UPDATES,
	  "&read=yes" },
	{ "Contacts (either side)", offsetof(struct scorecard, contacts),
	  LIST_CONTACTS, "" },
};

/* The counts before which the integrity row stands (after the
 * promises'), and the last contact and satisfaction rows (at the end). */
#define INTEGRITY_AT	8

/* The count at off of scorecard c. */
static long long
count_of(const struct scorecard *c, size_t off)
{
	long long n;

	memcpy(&n, (const char *)c + off, sizeof(n));
	return n;
}

/*
 * The list of a that shows the entries behind a count of c (the
 * scorecard of c->side) in list, with filter added: the same days and
 * sides the scorecard counts (arena).
 */
static const char *
count_href(struct page *p, const struct account *a,
    const struct scorecard *c, enum figure_list list, const char *filter)
{
	const char *side = account_side_name(c->side),
	    *other = account_side_name(account_other_side(c->side));

	switch (list) {
	case LIST_PROMISES:
		return arena_xprintf(p->arena, "/accounts/%lld/promises?"
		    "side=%s&due_from=%s&due_to=%s%s", a->id, side, c->from,
		    c->promises_to, filter);
	case LIST_EXPECTATIONS:
		return arena_xprintf(p->arena, "/accounts/%lld/expectations?"
		    "side=%s&from=%s&to=%s%s", a->id, other, c->from, c->to,
		    filter);
	case LIST_UPDATES:
		return arena_xprintf(p->arena, "/accounts/%lld/updates?"
		    "side=%s&from=%s&to=%s%s", a->id, side, c->from, c->to,
		    filter);
	case LIST_CONTACTS:
		return arena_xprintf(p->arena, "/accounts/%lld/contacts?"
		    "from=%s&to=%s%s", a->id, c->from, c->contacts_to, filter);
	default:
		return arena_xprintf(p->arena, "/accounts/%lld/feedback?"
		    "side=%s&from=%s&to=%s%s", a->id, other, c->from, c->to,
		    filter);
	}
}

/*
 * One side's cell of a row, into loop: text (NULL: the count n), shown by
 * the scorecard as it counted n, linked to the list of f (from the live
 * scorecard) when the ledger counts n entries there now (live_n) and
 * there are some; when it counts otherwise (a frozen review whose period
 * changed since), "now" says how many it shows, linked.
 */
static void
cell(struct page *p, tmpl_loop *loop, const struct account *a,
    const struct scorecard *live, enum figure_list list, const char *filter,
    const char *text, long long n, long long live_n)
{
	tmpl_vars *c = tmpl_loop_row(loop);

	/* The texts live in the arena or are static: no copies. */
	if (text != NULL)
		tmpl_set_ref(c, "text", text);
	else
		tmpl_set_int(c, "text", n);
	tmpl_set_ref(c, "side", account_side_name(live->side));
	if (n != live_n) {
		tmpl_set_int(c, "now", live_n);
		if (live_n > 0)
			tmpl_set_ref(c, "now_href", count_href(p, a, live,
			    list, filter));
	} else if (n > 0)
		tmpl_set_ref(c, "href", count_href(p, a, live, list,
		    filter));
}

/* A row of label with each side's text (no link). */
static void
text_row(tmpl_loop *loop, const char *label, const char *buyer,
    const char *supplier)
{
	tmpl_vars *row = tmpl_loop_row(loop);
	tmpl_loop *cells = tmpl_add_loop(row, "cells");

	tmpl_set(row, "label", label);
	tmpl_set(tmpl_loop_row(cells), "text", buyer);
	tmpl_set(tmpl_loop_row(cells), "text", supplier);
}

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
	char mean[KW_TENTHS_SIZE];

	if (c->ratings == 0)
		return "no ratings";
	return arena_xprintf(p->arena, "%s of 5 (%lld rating%s)",
	    kw_tenths(mean, c->rating_mean), c->ratings,
	    c->ratings == 1 ? "" : "s");
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

/*
 * Both scorecards sc of a as the loop "figures", each count linked to
 * the list of the entries behind it. live are the scorecards as the
 * ledger counts them now (the same as sc unless a frozen review's
 * period changed since it froze): the lists show those.
 */
static void
figures_vars(struct page *p, const struct account *a,
    const struct scorecard sc[SIDE__MAX],
    const struct scorecard live[SIDE__MAX])
{
	tmpl_loop *loop = tmpl_add_loop(p->vars, "figures"), *cells;
	tmpl_vars *row;
	const struct count_figure *f;
	size_t i;
	int s;

	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		if (i == INTEGRITY_AT)
			text_row(loop, "Integrity",
			    integrity_text(p, &sc[SIDE_BUYER]),
			    integrity_text(p, &sc[SIDE_SUPPLIER]));
		f = &counts[i];
		row = tmpl_loop_row(loop);
		tmpl_set(row, "label", f->label);
		cells = tmpl_add_loop(row, "cells");
		for (s = 0; s < SIDE__MAX; s++)
			cell(p, cells, a, &live[s], f->list, f->filter, NULL,
			    count_of(&sc[s], f->off),
			    count_of(&live[s], f->off));
	}
	text_row(loop, "Last contact", contact_text(p, &sc[SIDE_BUYER]),
	    contact_text(p, &sc[SIDE_SUPPLIER]));
	row = tmpl_loop_row(loop);
	tmpl_set(row, "label", "Satisfaction received");
	cells = tmpl_add_loop(row, "cells");
	for (s = 0; s < SIDE__MAX; s++)
		cell(p, cells, a, &live[s], LIST_FEEDBACK, "",
		    rating_text(p, &sc[s]), sc[s].ratings, live[s].ratings);
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
	struct expectation_query q = {
		.state = EXPECTATION_ACKNOWLEDGED, .side = a->my_side,
		.assessed = EXPECTATION_ASSESSED__MAX, .limit = ENTRY_LIST_MAX,
	};
	struct expectation *list = NULL;
	tmpl_loop *loop, *opts;
	tmpl_vars *row, *o;
	size_t i, n = 0;
	int k;
	enum kw_status st;

	st = expectation_list(p->db, p->arena, &p->user, a->id, &q, &list,
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
	struct scorecard sc[SIDE__MAX], live[SIDE__MAX];
	struct review r;
	char today[16];
	int changed = 0;
	enum kw_status st;

	st = review_get(p->db, p->arena, &p->user, a->id, id, &r);
	if (st == KW_OK)
		st = review_scores(p->db, p->arena, a, &r, sc, live,
		    &changed);
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
	figures_vars(p, a, sc, live);
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
