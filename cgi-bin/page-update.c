/* page-update.c: an account's strategic updates: list, post, detail and actions. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "page.h"
#include "update.h"

#define PER_PAGE	20
#define EXCERPT_MAX	280	/* bytes of a body shown in the list */

const struct valid_field page_update_fields[] = {
	{ .name = "kind", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = update_kind_names, .label = "Kind" },
	{ .name = "title", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = UPDATE_TITLE_MAX, .label = "Title" },
	{ .name = "body", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = UPDATE_BODY_MAX, .label = "Update" },
	{ .name = NULL },
};

/* Where to go after marking an update read: the list or the update. */
static const char *const back_names[] = { "detail", "list", NULL };

const struct valid_field page_update_read_fields[] = {
	{ .name = "back", .kind = VALID_ENUM, .choices = back_names,
	  .label = "Back" },
	{ .name = NULL },
};

/* How a kind reads on a page. */
static const char *const kind_labels[UPDATE_KIND__MAX] = {
	[UPDATE_DIRECTION] = "Direction",
	[UPDATE_NEED] = "Need",
	[UPDATE_DEVELOPMENT] = "Development",
	[UPDATE_ORGANISATION] = "Organisation",
};

static void	list_render(struct page *, const struct account *, int);
static void	detail_render(struct page *, const struct account *,
		    long long, int, const char *);

static const char *const filters[] = { "kind", "side", NULL };

static const struct page_entry updates = {
	.plural = "updates", .heading = "Updates",
	.list_tmpl = "updates.tmpl", .keep = filters,
	.list = list_render, .detail = detail_render,
};

/* The start of body, at most EXCERPT_MAX bytes cut at a UTF-8 character
 * boundary, with "…" when something was left out. */
static const char *
excerpt(struct page *p, const char *body)
{
	size_t n = strlen(body);

	if (n <= EXCERPT_MAX)
		return body;
	n = EXCERPT_MAX;
	while (n > 0 && ((unsigned char)body[n] & 0xc0) == 0x80)
		n--;
	return arena_xprintf(p->arena, "%.*s…", (int)n, body);
}

/* The variables every view of update u shares, into v. */
static void
update_vars(struct page *p, tmpl_vars *v, const struct update *u)
{
	tmpl_set_int(v, "id", u->id);
	tmpl_set(v, "u_title", u->title);
	tmpl_set(v, "kind", update_kind_names[u->kind]);
	tmpl_set(v, "kind_label", kind_labels[u->kind]);
	tmpl_set(v, "side", account_side_name(u->side));
	tmpl_set(v, "author", u->created_by_name);
	tmpl_set(v, "created_at", u->created_at);
	tmpl_set(v, "created_on", page_day(p, u->created_at));
	tmpl_set_bool(v, "unread", u->unread);
	tmpl_set_int(v, "reads", (long long)u->reads);
}

/* Render the list page with status (400 after a bad filter or form). */
static void
list_render(struct page *p, const struct account *a, int status)
{
	struct update *list = NULL;
	struct pager pg;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0, total = 0, unread = 0;
	int kind, side;
	enum kw_status st;

	kind = page_filter(p, "kind", update_kind_names, "Kind");
	side = page_filter(p, "side", account_side_names, "Posted by");
	page_pager(p, PER_PAGE, &pg);
	st = update_list(p->db, p->arena, &p->user, a->id,
	    kind < 0 ? UPDATE_KIND__MAX : (enum update_kind)kind,
	    side < 0 ? SIDE__MAX : (enum account_side)side, pg.per, pg.offset,
	    &list, &n, &total);
	if (st == KW_OK)
		st = update_unread_count(p->db, p->arena, &p->user, a->id,
		    &unread);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set_int(p->vars, "unread_count", (long long)unread);
	/* A new post's kind: what the side typically shares. */
	if (p->vals == NULL)
		tmpl_set(p->vars, "kind_in", a->my_side == SIDE_SUPPLIER ?
		    "development" : "direction");
	loop = tmpl_add_loop(p->vars, "updates");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		update_vars(p, row, &list[i]);
		tmpl_set(row, "excerpt", excerpt(p, list[i].body));
	}
	page_entry_list_render(p, &updates, a, &pg, total, status);
}

void
page_updates(struct page *p)
{
	page_entry_list(p, &updates);
}

void
page_updates_add(struct page *p)
{
	struct account a;
	long long id = 0;
	enum kw_status st;

	if (page_entry_post(p, &updates, &a, 0) != 0)
		return;
	st = update_create(p->db, p->arena, &p->user, a.id,
	    (enum update_kind)page_int(p, "kind"), page_val(p, "title"),
	    page_val(p, "body"), &id);
	page_entry_done(p, &updates, &a, id, st, "update-posted", NULL, NULL);
}

/* Render update eid of a with status; action_error (NULL = none) says
 * why an action was refused. */
static void
detail_render(struct page *p, const struct account *a, long long eid,
    int status, const char *action_error)
{
	struct update u;
	struct update_reader *readers = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0, audience = 0;
	enum kw_status st;

	st = eid == 0 ? KW_NOTFOUND : update_get(p->db, p->arena, &p->user,
	    a->id, eid, &u);
	if (st == KW_OK)
		st = update_readers(p->db, p->arena, &p->user, a->id, eid,
		    &readers, &n, &audience);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	update_vars(p, p->vars, &u);
	tmpl_set(p->vars, "body", u.body);
	tmpl_set(p->vars, "withdrawn_at", u.withdrawn_at);
	tmpl_set(p->vars, "withdrawn_on", page_day(p, u.withdrawn_at));
	tmpl_set_bool(p->vars, "mine", u.side == a->my_side);
	tmpl_set(p->vars, "audience_org", u.side == SIDE_BUYER ?
	    a->supplier_name : a->buyer_name);
	tmpl_set_int(p->vars, "audience", (long long)audience);
	tmpl_set_bool(p->vars, "can_read", u.unread && update_may(u.side,
	    *u.withdrawn_at != '\0', a->my_side, UPDATE_READ) == KW_OK);
	tmpl_set_bool(p->vars, "can_withdraw", update_may(u.side,
	    *u.withdrawn_at != '\0', a->my_side, UPDATE_WITHDRAW) == KW_OK);
	loop = tmpl_add_loop(p->vars, "readers");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "name", readers[i].name);
		tmpl_set(row, "at", readers[i].read_at);
		tmpl_set(row, "on", page_day(p, readers[i].read_at));
	}
	tmpl_set(p->vars, "action_error", action_error);
	if (page_comments(p, a->id, "update", u.id) != KW_OK) {
		page_error(p, KW_INTERNAL, NULL);
		return;
	}
	page_render(p, status, u.title, "update.tmpl");
}

void
page_update(struct page *p)
{
	page_entry_detail(p, &updates);
}

void
page_update_read(struct page *p)
{
	struct account a;
	long long eid = page_id(p, "eid");
	enum kw_status st;

	/* A bad "back" is no error: it only changes where the user lands. */
	if (page_account_load(p, &a) != KW_OK)
		return;
	st = update_mark_read(p->db, p->arena, &p->user, a.id, eid);
	if (st == KW_OK && strcmp(page_val(p, "back"), "list") == 0)
		page_redirect_notice(p, arena_xprintf(p->arena,
		    "/accounts/%lld/updates", a.id), "update-read");
	else
		page_entry_done(p, &updates, &a, eid, st, "update-read",
		    "Your side posted this update: only the other side marks "
		    "it read.", "This update was withdrawn.");
}

void
page_update_withdraw(struct page *p)
{
	struct account a;
	long long eid = page_id(p, "eid");

	if (page_entry_post(p, &updates, &a, 1) != 0)
		return;
	page_entry_done(p, &updates, &a, eid, update_withdraw(p->db, p->arena,
	    &p->user, a.id, eid), "update-withdrawn",
	    "Only the side that posted this update can withdraw it.",
	    "This update was withdrawn already.");
}
