/* page-activity.c: an account's audit trail, newest first. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "audit.h"
#include "comment.h"
#include "entry.h"
#include "page.h"

#define ACTIVITY_PER_PAGE	20

/* Where an event's subject is shown, or NULL when it has no page. */
static const char *
event_href(struct page *p, const struct audit_event *e)
{
	struct comment c;
	const char *path;

	if ((path = entry_path(p->arena, e->account_id, e->entity,
	    e->entity_id)) != NULL)
		return path;
	if (strcmp(e->entity, "comment") == 0 &&
	    comment_get(p->db, p->arena, &p->user, e->account_id,
	    e->entity_id, &c) == KW_OK &&
	    (path = entry_path(p->arena, e->account_id, c.entity,
	    c.entity_id)) != NULL)
		return arena_xprintf(p->arena, "%s#comment-%lld", path, c.id);
	if (strcmp(e->entity, "account") == 0)
		return arena_xprintf(p->arena, "/accounts/%lld", e->account_id);
	if (strcmp(e->entity, "account_owner") == 0)
		return arena_xprintf(p->arena, "/accounts/%lld/owners",
		    e->account_id);
	return NULL;
}

void
page_activity_rows(struct page *p, const struct audit_event *list, size_t n)
{
	const struct audit_event *e;
	const char *href;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i;

	loop = tmpl_add_loop(p->vars, "events");
	for (i = 0; i < n; i++) {
		e = &list[i];
		row = tmpl_loop_row(loop);
		tmpl_set(row, "at", e->at);
		tmpl_set(row, "at_text", page_datetime(p, e->at));
		tmpl_set(row, "who", e->actor_name);
		tmpl_set(row, "org", e->actor_org_name);
		tmpl_set(row, "entity",
		    strcmp(e->entity, "account_owner") == 0 ? "account owner" :
		    e->entity);
		tmpl_set_int(row, "entity_id", e->entity_id);
		tmpl_set(row, "action", e->action);
		tmpl_set(row, "detail", e->detail);
		href = event_href(p, e);
		tmpl_set(row, "href", href != NULL ? href : "");
	}
}

void
page_activity(struct page *p)
{
	struct account a;
	struct audit_event *list = NULL;
	struct pager pg;
	size_t n = 0, total = 0;
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	page_pager(p, ACTIVITY_PER_PAGE, &pg);
	st = audit_count_account(p->db, p->user.org_id, a.id, &total);
	if (st == KW_OK)
		st = audit_list_account(p->db, p->arena, p->user.org_id, a.id,
		    pg.per, pg.offset, &list, &n);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set_int(p->vars, "total", (long long)total);
	page_activity_rows(p, list, n);
	page_pager_vars(p, &pg, total, arena_xprintf(p->arena,
	    "/accounts/%lld/activity", a.id), NULL);
	page_render(p, 200, arena_xprintf(p->arena, "Activity · %s", a.title),
	    "activity.tmpl");
}
