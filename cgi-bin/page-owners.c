/* page-owners.c: who owns each side of an account, and handing one over. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "org.h"
#include "page.h"

#define HANDOVER_NOTE_MAX	2000

static const char not_allowed[] = "Only an admin or the current owner of "
    "your side can hand it over.";

const struct valid_field page_owner_fields[] = {
	{ .name = "owner", .kind = VALID_ID, .flags = VALID_REQUIRED,
	  .label = "New owner" },
	{ .name = "note", .kind = VALID_TEXT, .maxlen = HANDOVER_NOTE_MAX,
	  .label = "Handover note" },
	{ .name = NULL },
};

/* One side's history as a row of the "sides" loop. */
static void
side_row(struct page *p, tmpl_loop *sides, const struct account *a,
    enum account_side side, const struct account_owner *hist, size_t n)
{
	tmpl_vars *row = tmpl_loop_row(sides), *r;
	tmpl_loop *loop;
	size_t i;

	tmpl_set(row, "side", account_side_name(side));
	tmpl_set(row, "side_org", page_side_org(a, side));
	tmpl_set_bool(row, "ours", side == a->my_side);
	loop = tmpl_add_loop(row, "history");
	for (i = 0; i < n; i++) {
		if (hist[i].side != side)
			continue;
		r = tmpl_loop_row(loop);
		tmpl_set(r, "name", hist[i].user_name);
		tmpl_set(r, "since", hist[i].since);
		tmpl_set(r, "since_text", page_datetime(p, hist[i].since));
		tmpl_set(r, "until", hist[i].until);
		tmpl_set(r, "until_text", page_datetime(p, hist[i].until));
		tmpl_set(r, "note", hist[i].handover_note);
		tmpl_set(r, "by", hist[i].set_by_name);
	}
}

/* The handover form's choice of the active people of the user's org. */
static enum kw_status
owner_options(struct page *p, const struct account *a)
{
	struct user *users = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	long long owner = a->my_side == SIDE_BUYER ? a->buyer_owner_id :
	    a->supplier_owner_id;
	enum kw_status st;

	st = user_list_org(p->db, p->arena, p->user.org_id, &users, &n);
	if (st != KW_OK)
		return st;
	loop = tmpl_add_loop(p->vars, "owner_opts");
	for (i = 0; i < n; i++) {
		if (!users[i].active)
			continue;
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "uid", users[i].id);
		tmpl_set(row, "name", users[i].name);
		tmpl_set_bool(row, "current", users[i].id == owner);
		tmpl_set_bool(row, "selected",
		    users[i].id == page_int(p, "owner"));
	}
	return KW_OK;
}

/* The owners page of a (as page_account_load() gave it) with status. */
static void
owners_render(struct page *p, int status, const struct account *a)
{
	struct account_owner *hist = NULL;
	struct account_handover h;
	tmpl_loop *sides;
	size_t n = 0;
	enum kw_status st;

	st = account_owner_history(p->db, p->arena, a->id, &hist, &n);
	if (st == KW_OK && account_may_set_owner(&p->user, a)) {
		tmpl_set(p->vars, "can_hand_over", "1");
		st = owner_options(p, a);
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	/* The note left for the user who took over their side. */
	st = account_handover(p->db, p->arena, p->user.org_id, a->id,
	    a->my_side, &h);
	if (st == KW_OK && h.user_id == p->user.id &&
	    (*h.from_name != '\0' || *h.note != '\0')) {
		tmpl_set(p->vars, "handover_by", h.by_name);
		/* The one who handed over is usually the owner before. */
		if (strcmp(h.from_name, h.by_name) != 0)
			tmpl_set(p->vars, "handover_from", h.from_name);
		tmpl_set(p->vars, "handover_on", h.since);
		tmpl_set(p->vars, "handover_on_text", page_datetime(p,
		    h.since));
		tmpl_set(p->vars, "handover_note", h.note);
		tmpl_set(p->vars, "handed_to_me", "1");
	}
	tmpl_set(p->vars, "my_org", page_side_org(a, a->my_side));
	sides = tmpl_add_loop(p->vars, "sides");
	side_row(p, sides, a, a->my_side, hist, n);
	side_row(p, sides, a, account_other_side(a->my_side), hist, n);
	page_render(p, status, arena_xprintf(p->arena, "Owners · %s",
	    a->title), "owners.tmpl");
}

void
page_owners(struct page *p)
{
	struct account a;

	if (page_account_load(p, &a) == KW_OK)
		owners_render(p, 200, &a);
}

void
page_owners_set(struct page *p)
{
	struct account a;
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	if (!account_may_set_owner(&p->user, &a)) {
		page_error(p, KW_FORBIDDEN, not_allowed);
		return;
	}
	page_form_vars(p);
	if (p->nerrors > 0) {
		owners_render(p, 400, &a);
		return;
	}
	st = account_set_owner(p->db, &p->user, a.id, a.my_side,
	    page_int(p, "owner"), page_val(p, "note"));
	if (st == KW_BADREQ || st == KW_CONFLICT) {
		page_field_error(p, "owner", st == KW_CONFLICT ?
		    "This person already owns your side. Choose someone else." :
		    arena_xprintf(p->arena, "Choose an active person of %s.",
		    page_side_org(&a, a.my_side)));
		owners_render(p, st == KW_CONFLICT ? 409 : 400, &a);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, st == KW_FORBIDDEN ? not_allowed : NULL);
		return;
	}
	page_redirect_notice(p, arena_xprintf(p->arena, "/accounts/%lld/owners",
	    a.id), "owner-handed-over");
}
