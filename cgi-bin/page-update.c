/* page-update.c: an account's strategic updates: list, post, detail and actions. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "page.h"
#include "update.h"

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

static enum kw_status	list_fill(struct page *, const struct account *,
			    const struct valid_value *, const struct pager *,
			    size_t *);
static void		detail_render(struct page *, const struct account *,
			    long long, int, const char *);

static const struct valid_field filter_fields[PAGE_LIST_FILTERS + 1] = {
	{ .name = "kind", .kind = VALID_ENUM,
	  .choices = update_kind_names, .label = "Kind" },
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Posted by" },
	{ .name = "from", .kind = VALID_DATE, .label = "Shared from" },
	{ .name = "to", .kind = VALID_DATE, .label = "Shared up to" },
	{ .name = "read", .kind = VALID_ENUM,
	  .choices = update_seen_names, .label = "Read by the other side" },
	{ .name = NULL },
};

/* What a list filtered by reading shows, by enum update_seen. */
static const char *const seen_words[UPDATE_SEEN__MAX] = {
	[UPDATE_SEEN] = ", read by the other side",
	[UPDATE_UNSEEN] = ", not read by the other side yet",
};

static const struct page_entry updates = {
	.plural = "updates", .heading = "Updates",
	.list_tmpl = "updates.tmpl", .filters = filter_fields,
	.fill = list_fill, .detail = detail_render,
};

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

/* The list of a's updates, its unread count and the form's default
 * kind, for page_entry. */
static enum kw_status
list_fill(struct page *p, const struct account *a,
    const struct valid_value *filter, const struct pager *pg, size_t *total)
{
	struct update_query q = {
		.kind = filter[0].s != NULL ? (enum update_kind)filter[0].i :
		    UPDATE_KIND__MAX,
		.side = filter[1].s != NULL ? (enum account_side)filter[1].i :
		    SIDE__MAX,
		.from = filter[2].s, .to = filter[3].s,
		.seen = filter[4].s != NULL ? (enum update_seen)filter[4].i :
		    UPDATE_SEEN__MAX,
		.limit = pg->per, .offset = pg->offset,
	};
	const char *words[4] = { NULL, NULL, NULL, NULL };
	struct update *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0, unread = 0;
	enum kw_status st;

	if (q.side != SIDE__MAX)
		words[0] = arena_xprintf(p->arena, " by %s",
		    page_side_org(a, q.side));
	words[1] = page_days_words(p, " shared", q.from, q.to);
	if (q.kind != UPDATE_KIND__MAX)
		words[2] = arena_xprintf(p->arena, ", about %s",
		    update_kind_names[q.kind]);
	if (q.seen != UPDATE_SEEN__MAX)
		words[3] = seen_words[q.seen];
	page_filter_summary(p, "Updates", words, 4);
	st = update_list(p->db, p->arena, &p->user, a->id, &q, &list, &n,
	    total);
	if (st == KW_OK)
		st = update_unread_count(p->db, p->arena, &p->user, a->id,
		    &unread);
	if (st != KW_OK)
		return st;
	tmpl_set_int(p->vars, "unread_count", (long long)unread);
	/* A new post's kind: what the side typically shares. */
	if (p->vals == NULL)
		tmpl_set(p->vars, "kind_in", a->my_side == SIDE_SUPPLIER ?
		    "development" : "direction");
	loop = tmpl_add_loop(p->vars, "updates");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		update_vars(p, row, &list[i]);
		tmpl_set(row, "excerpt", page_excerpt(p, list[i].body,
		    EXCERPT_MAX));
	}
	return KW_OK;
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
	tmpl_set(p->vars, "audience_org", page_side_org(a,
	    account_other_side(u.side)));
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
	page_entry_render(p, a, "update", u.id, status, action_error, u.title,
	    "update.tmpl");
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
