/* page-account.c: one account's overview: the relationship at a glance. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "concern.h"
#include "contact.h"
#include "entry.h"
#include "expectation.h"
#include "feedback.h"
#include "page.h"
#include "promise.h"
#include "update.h"

/* How many of the latest events the overview shows. */
#define OVERVIEW_EVENTS	5

/* Both sides' integrity and satisfaction received this period
 * (from..to, on today) into ps[] and fb[]: a query for each. */
static enum kw_status
period_sides(struct page *p, const struct account *a, const char *from,
    const char *to, const char *today, struct promise_stats ps[SIDE__MAX],
    struct feedback_stats fb[SIDE__MAX])
{
	struct account_period per;
	enum kw_status st;

	if ((st = entry_period(&per, from, to)) != KW_OK ||
	    (st = promise_integrity_periods(p->db, a->id, &per, 1, today,
	    ps)) != KW_OK)
		return st;
	return feedback_received_periods(p->db, p->arena, &p->user, a->id,
	    &per, 1, fb);
}

/* One side's promise figures, integrity and satisfaction this period,
 * into row. */
static void
side_row(const struct account *a, enum account_side s,
    const struct promise_figures *fig, const struct promise_stats *ps,
    const struct feedback_stats *fb, tmpl_vars *row)
{
	char mean[KW_TENTHS_SIZE];

	tmpl_set(row, "side", account_side_name(s));
	tmpl_set(row, "party", page_side_org(a, s));
	tmpl_set_bool(row, "mine", s == a->my_side);
	tmpl_set_int(row, "open", fig->open);
	tmpl_set_int(row, "overdue", fig->overdue);
	tmpl_set_int(row, "delivered", fig->delivered);
	tmpl_set_int(row, "disputed", fig->disputed);
	tmpl_set_int(row, "fallen_due", ps->fallen_due);
	tmpl_set_int(row, "kept_on_time", ps->kept_on_time);
	tmpl_set_int(row, "kept_late", ps->kept_late);
	tmpl_set_int(row, "broken", ps->broken);
	if (ps->integrity >= 0)
		tmpl_set_int(row, "integrity", ps->integrity);
	tmpl_set_int(row, "ratings", (long long)fb->count);
	if (fb->count > 0)
		tmpl_set(row, "rating_mean", kw_tenths(mean, fb->mean));
}

/* The figures of what waits on the viewer's side. */
static enum kw_status
attention(struct page *p, const struct account *a,
    const struct promise_figures fig[SIDE__MAX])
{
	enum account_side other = account_other_side(a->my_side);
	const struct promise_figures *theirs = &fig[other];
	const struct promise_figures *ours = &fig[a->my_side];
	struct expectation_summary es;
	size_t unread, open[SIDE__MAX];
	enum kw_status st;

	if ((st = expectation_summary(p->db, p->arena, &p->user, a->id,
	    &es)) != KW_OK ||
	    (st = update_unread_count(p->db, p->arena, &p->user, a->id,
	    &unread)) != KW_OK ||
	    (st = concern_open_counts(p->db, p->arena, &p->user, a->id,
	    open)) != KW_OK)
		return st;
	tmpl_set(p->vars, "other_side", account_side_name(other));
	tmpl_set_int(p->vars, "to_confirm", theirs->delivered);
	tmpl_set_int(p->vars, "my_overdue", ours->overdue);
	tmpl_set_int(p->vars, "to_acknowledge", (long long)es.to_acknowledge);
	tmpl_set_int(p->vars, "unread_updates", (long long)unread);
	tmpl_set_int(p->vars, "their_concerns", (long long)open[other]);
	tmpl_set_int(p->vars, "our_concerns", (long long)open[a->my_side]);
	tmpl_set_bool(p->vars, "attention", theirs->delivered > 0 ||
	    ours->overdue > 0 || es.to_acknowledge > 0 || unread > 0 ||
	    open[other] > 0);
	return KW_OK;
}

/* Contacts in the period and since the last one. */
static enum kw_status
contacts(struct page *p, const struct account *a, const char *from)
{
	struct contact_stats cs;
	enum kw_status st;

	if ((st = contact_stats(p->db, p->arena, &p->user, a->id, from, NULL,
	    &cs)) != KW_OK)
		return st;
	tmpl_set_int(p->vars, "contacts_period", (long long)cs.count);
	if (cs.days_since >= 0) {
		tmpl_set_int(p->vars, "days_since_contact", cs.days_since);
		tmpl_set(p->vars, "last_contact", cs.last_date);
	}
	return KW_OK;
}

/* "Handed over to you by X on D: note" for the new owner of my side. */
static void
handover(struct page *p, const struct account *a)
{
	struct account_handover h;

	if (account_handover(p->db, p->arena, p->user.org_id, a->id,
	    a->my_side, &h) != KW_OK || h.user_id != p->user.id ||
	    (*h.note == '\0' && *h.from_name == '\0'))
		return;
	tmpl_set(p->vars, "handover_by", *h.by_name != '\0' ? h.by_name :
	    h.from_name);
	tmpl_set(p->vars, "handover_on", page_day(p, h.since));
	tmpl_set(p->vars, "handover_note", h.note);
}

const struct valid_field page_cadence_fields[] = {
	{ .name = "cadence", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = account_cadence_names, .label = "Review cadence" },
	{ .name = NULL },
};

/* The overview of the route's account with status (a form's outcome). */
static void
account_render(struct page *p, int status)
{
	struct account a;
	struct audit_event *ev = NULL;
	struct promise_figures fig[SIDE__MAX];
	struct promise_stats ps[SIDE__MAX];
	struct feedback_stats fb[SIDE__MAX];
	enum account_side s;
	tmpl_loop *loop;
	tmpl_vars *row;
	const char *want;
	char today[16], from[11], to[11];
	size_t nev = 0;
	enum kw_status st;
	int c;

	if (page_account_load(p, &a) != KW_OK)
		return;
	clock_date(clock_now(), today, sizeof(today));
	if ((st = account_period(p->db, &a, today, from, to)) == KW_NOTFOUND) {
		/* An account that starts later: nothing has fallen due. */
		memcpy(from, today, sizeof(from));
		memcpy(to, today, sizeof(to));
	} else if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "period_from", from);
	tmpl_set(p->vars, "period_to", to);
	tmpl_set(p->vars, "buyer_name", a.buyer_name);
	tmpl_set(p->vars, "supplier_name", a.supplier_name);
	tmpl_set(p->vars, "buyer_owner", a.buyer_owner_name);
	tmpl_set(p->vars, "supplier_owner", a.supplier_owner_name);
	tmpl_set(p->vars, "cadence", account_cadence_name(a.cadence));
	tmpl_set(p->vars, "start_date", a.start_date);
	/* The same rule account_set_cadence() enforces. */
	tmpl_set_bool(p->vars, "may_set_cadence", p->user.is_operator ||
	    p->user.role == USER_ADMIN);
	/* The choice just sent, kept after an error; else the current one. */
	want = page_val(p, "cadence");
	if (*want == '\0')
		want = account_cadence_name(a.cadence);
	loop = tmpl_add_loop(p->vars, "cadences");
	for (c = 0; c < CADENCE__MAX; c++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "name", account_cadence_names[c]);
		tmpl_set_bool(row, "selected",
		    strcmp(account_cadence_names[c], want) == 0);
	}

	/* Each side's promise figures, once, for the table and the to-do. */
	for (s = SIDE_BUYER, st = KW_OK; st == KW_OK && s < SIDE__MAX; s++)
		st = promise_figures(p->db, a.id, s, today, &fig[s]);
	if (st == KW_OK)
		st = attention(p, &a, fig);
	if (st == KW_OK)
		st = period_sides(p, &a, from, to, today, ps, fb);
	loop = tmpl_add_loop(p->vars, "sides");
	for (s = SIDE_BUYER; st == KW_OK && s < SIDE__MAX; s++)
		side_row(&a, s, &fig[s], &ps[s], &fb[s], tmpl_loop_row(loop));
	if (st == KW_OK)
		st = contacts(p, &a, from);
	if (st == KW_OK)
		st = page_trends(p, &a, today, NULL);
	if (st == KW_OK)
		st = audit_list_account(p->db, p->arena, p->user.org_id, a.id,
		    OVERVIEW_EVENTS, 0, &ev, &nev);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	handover(p, &a);
	page_activity_rows(p, ev, nev);
	page_render(p, status, a.title, "account.tmpl");
}

void
page_account(struct page *p)
{
	account_render(p, 200);
}

void
page_account_cadence(struct page *p)
{
	long long id = page_id(p, "id");
	enum kw_status st;

	page_form_vars(p);
	if (p->nerrors > 0) {
		account_render(p, 400);
		return;
	}
	st = id == 0 ? KW_NOTFOUND : account_set_cadence(p->db, &p->user, id,
	    (enum account_cadence)page_int(p, "cadence"), NULL);
	switch (st) {
	case KW_OK:
		page_redirect_notice(p, arena_xprintf(p->arena,
		    "/accounts/%lld", id), "cadence-changed");
		return;
	case KW_CONFLICT:
		page_field_error(p, "cadence", "That is already the account's "
		    "review cadence.");
		account_render(p, 409);
		return;
	case KW_FORBIDDEN:
		page_error(p, st, "Only an admin of either side or an "
		    "operator may change the review cadence.");
		return;
	default:
		page_error(p, st, NULL);
		return;
	}
}
