/* page-concern.c: concerns raised by either side and their resolution. */
#include "config.h"

#include "account.h"
#include "concern.h"
#include "page.h"

static enum kw_status	concerns_fill(struct page *, const struct account *,
			    const struct valid_value *, const struct pager *,
			    size_t *);
static void		concern_render(struct page *, const struct account *,
			    long long, int, const char *);

static const struct valid_field filter_fields[PAGE_LIST_FILTERS + 1] = {
	{ .name = "state", .kind = VALID_ENUM,
	  .choices = concern_state_names, .label = "State" },
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Raised by" },
	{ .name = NULL },
};

static const struct page_entry concerns = {
	.plural = "concerns", .heading = "Concerns",
	.list_tmpl = "concerns.tmpl", .filters = filter_fields,
	.fill = concerns_fill, .detail = concern_render,
};

const struct valid_field page_concern_fields[] = {
	{ .name = "title", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = CONCERN_TITLE_MAX, .label = "Title" },
	{ .name = "detail", .kind = VALID_TEXT,
	  .maxlen = CONCERN_DETAIL_MAX, .label = "Detail" },
	{ .name = NULL },
};

const struct valid_field page_concern_propose_fields[] = {
	{ .name = "resolution", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = CONCERN_RESOLUTION_MAX, .label = "Resolution" },
	{ .name = NULL },
};

const struct valid_field page_concern_reject_fields[] = {
	{ .name = "reason", .kind = VALID_TEXT,
	  .maxlen = CONCERN_REASON_MAX, .label = "Reason" },
	{ .name = NULL },
};

/* Per action: the notice after it, and why it was refused. */
static const struct {
	const char	*notice;
	const char	*forbidden;	/* KW_FORBIDDEN: the wrong side */
	const char	*conflict;	/* KW_CONFLICT */
} acts[CONCERN_ACTION__MAX] = {
	[CONCERN_PROPOSE] = { "concern-proposed",
	    "Only the side that did not raise this concern can propose "
	    "a resolution.",
	    "A resolution can only be proposed while the concern is "
	    "open." },
	[CONCERN_ACCEPT] = { "concern-accepted",
	    "Only the side that raised this concern can accept a "
	    "resolution.",
	    "There is no proposed resolution to accept." },
	[CONCERN_REJECT] = { "concern-rejected",
	    "Only the side that raised this concern can reject a "
	    "resolution.",
	    "There is no proposed resolution to reject." },
	[CONCERN_WITHDRAW] = { "concern-withdrawn",
	    "Only the side that raised this concern can withdraw it.",
	    "Only a concern that is open or has a proposed resolution "
	    "can be withdrawn." },
};

/* The fields of c that the list and the detail page both show. */
static void
concern_vars(tmpl_vars *v, const struct concern *c)
{
	tmpl_set_int(v, "id", c->id);
	tmpl_set(v, "concern_title", c->title);
	tmpl_set(v, "state", concern_state_names[c->state]);
	tmpl_set(v, "side", account_side_name(c->raised_by));
	tmpl_set(v, "by", c->created_by_name);
	tmpl_set(v, "created_at", c->created_at);
}

/* The list of a's concerns, for page_entry. */
static enum kw_status
concerns_fill(struct page *p, const struct account *a,
    const struct valid_value *filter, const struct pager *pg, size_t *total)
{
	struct concern *list = NULL;
	tmpl_loop *loop;
	size_t i, n = 0;
	enum kw_status st;

	st = concern_list(p->db, p->arena, &p->user, a->id, filter[0].s,
	    filter[1].s, pg->per, pg->offset, &list, &n, total);
	loop = tmpl_add_loop(p->vars, "concerns");
	for (i = 0; i < n; i++)
		concern_vars(tmpl_loop_row(loop), &list[i]);
	return st;
}

void
page_concerns(struct page *p)
{
	page_entry_list(p, &concerns);
}

void
page_concerns_add(struct page *p)
{
	struct account a;
	long long id = 0;
	enum kw_status st;

	if (page_entry_post(p, &concerns, &a, 0) != 0)
		return;
	st = concern_raise(p->db, &p->user, a.id, page_val(p, "title"),
	    page_val(p, "detail"), &id);
	page_entry_done(p, &concerns, &a, id, st, "concern-raised", NULL,
	    NULL);
}

/*
 * The detail page of concern id of a with status; message (may be NULL)
 * says why an action was refused. The actions offered are those
 * concern_may() allows the user's side.
 */
static void
concern_render(struct page *p, const struct account *a, long long id,
    int status, const char *message)
{
	static const char *const can[CONCERN_ACTION__MAX] = {
		[CONCERN_PROPOSE] = "can_propose",
		[CONCERN_ACCEPT] = "can_accept",
		[CONCERN_REJECT] = "can_reject",
		[CONCERN_WITHDRAW] = "can_withdraw",
	};
	struct concern c;
	struct concern_promise *pr = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;
	int k;

	st = concern_get(p->db, p->arena, &p->user, a->id, id, &c);
	if (st == KW_OK)
		st = concern_promises(p->db, p->arena, &p->user, a->id, id,
		    &pr, &n);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	concern_vars(p->vars, &c);
	tmpl_set(p->vars, "detail", c.detail);
	tmpl_set(p->vars, "resolution", c.resolution);
	tmpl_set(p->vars, "proposed_by", c.proposed_by_name);
	tmpl_set(p->vars, "proposed_at", c.proposed_at);
	tmpl_set(p->vars, "reject_reason", c.reject_reason);
	tmpl_set(p->vars, "closed_by", c.closed_by_name);
	tmpl_set(p->vars, "closed_at", c.closed_at);
	tmpl_set_bool(p->vars, "mine", c.raised_by == a->my_side);
	for (k = 0; k < CONCERN_ACTION__MAX; k++)
		tmpl_set_bool(p->vars, can[k], concern_may(c.state,
		    c.raised_by, a->my_side, (enum concern_action)k) == KW_OK);
	loop = tmpl_add_loop(p->vars, "promises");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "pid", pr[i].id);
		tmpl_set(row, "title", pr[i].title);
		tmpl_set(row, "state", pr[i].state);
		tmpl_set(row, "due_date", pr[i].due_date);
	}
	page_entry_render(p, a, "concern", c.id, status, message,
	    arena_xprintf(p->arena, "%s · %s", c.title, a->title),
	    "concern.tmpl");
}

void
page_concern(struct page *p)
{
	page_entry_detail(p, &concerns);
}

/*
 * Take action on the route's concern with the text of field (NULL:
 * none); a refusal re-renders the detail page with its reason. The side
 * and the state come before the text: a message next to a form the user
 * is not offered would go unseen.
 */
static void
act(struct page *p, enum concern_action action, const char *field)
{
	struct account a;
	struct concern c;
	long long id = page_id(p, "eid");
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	page_form_vars(p);
	st = concern_get(p->db, p->arena, &p->user, a.id, id, &c);
	if (st == KW_OK)
		st = concern_may(c.state, c.raised_by, a.my_side, action);
	if (st == KW_OK && p->nerrors > 0)
		st = KW_BADREQ;
	if (st == KW_OK && (st = concern_act(p->db, &p->user, a.id, id,
	    action, field != NULL ? page_val(p, field) : NULL)) ==
	    KW_CONFLICT)	/* changed meanwhile: say what it is now */
		(void)concern_get(p->db, p->arena, &p->user, a.id, id, &c);
	if (st == KW_BADREQ)
		concern_render(p, &a, id, 400, NULL);
	else
		page_entry_done(p, &concerns, &a, id, st, acts[action].notice,
		    acts[action].forbidden, st != KW_CONFLICT ? NULL :
		    arena_xprintf(p->arena, "%s This concern is %s.",
		    acts[action].conflict, concern_state_names[c.state]));
}

void
page_concern_propose(struct page *p)
{
	act(p, CONCERN_PROPOSE, "resolution");
}

void
page_concern_accept(struct page *p)
{
	act(p, CONCERN_ACCEPT, NULL);
}

void
page_concern_reject(struct page *p)
{
	act(p, CONCERN_REJECT, "reason");
}

void
page_concern_withdraw(struct page *p)
{
	act(p, CONCERN_WITHDRAW, NULL);
}
