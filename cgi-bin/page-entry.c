/* page-entry.c: the page flow that an account's ledger entries share. */
#include "config.h"

#include "account.h"
#include "arena.h"
#include "page.h"

void
page_entry_list(struct page *p, const struct page_entry *pe)
{
	struct account a;

	if (page_account_load(p, &a) == KW_OK)
		page_entry_list_render(p, pe, &a, 200);
}

void
page_entry_detail(struct page *p, const struct page_entry *pe)
{
	struct account a;

	if (page_account_load(p, &a) == KW_OK)
		pe->detail(p, &a, page_id(p, "eid"), 200, NULL);
}

void
page_entry_list_render(struct page *p, const struct page_entry *pe,
    const struct account *a, int status)
{
	struct valid_value fv[PAGE_LIST_FILTERS];
	const char *keep[PAGE_LIST_FILTERS + 1];
	const char *path;
	struct pager pg;
	size_t total = 0;
	enum kw_status st;

	if (page_list_filters(p, pe->filters, fv, keep) > 0 && status == 200)
		status = 400;
	page_pager(p, PAGE_LIST_PER, &pg);
	if ((st = pe->fill(p, a, fv, &pg, &total)) != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	path = arena_xprintf(p->arena, "/accounts/%lld/%s", a->id, pe->plural);
	tmpl_set(p->vars, "list_path", path);
	page_pager_vars(p, &pg, total, path, keep);
	page_render(p, status, arena_xprintf(p->arena, "%s · %s",
	    pe->heading, a->title), pe->list_tmpl);
}

void
page_entry_render(struct page *p, const struct account *a,
    const char *entity, long long id, int status, const char *refusal,
    const char *title, const char *name)
{
	if (refusal != NULL)
		tmpl_set(p->vars, "action_error", refusal);
	if (page_comments(p, a->id, entity, id) != KW_OK) {
		page_error(p, KW_INTERNAL, NULL);
		return;
	}
	page_render(p, status, title, name);
}

int
page_entry_post(struct page *p, const struct page_entry *pe,
    struct account *a, int entry)
{
	if (page_account_load(p, a) != KW_OK)
		return -1;
	page_form_vars(p);
	if (p->nerrors == 0)
		return 0;
	if (entry)
		pe->detail(p, a, page_id(p, "eid"), 400, NULL);
	else
		page_entry_list_render(p, pe, a, 400);
	return -1;
}

void
page_entry_done(struct page *p, const struct page_entry *pe,
    const struct account *a, long long eid, enum kw_status st,
    const char *notice, const char *forbidden, const char *conflict)
{
	if (st == KW_OK)
		page_redirect_notice(p, arena_xprintf(p->arena,
		    "/accounts/%lld/%s/%lld", a->id, pe->plural, eid), notice);
	else if ((st == KW_FORBIDDEN && forbidden != NULL) ||
	    (st == KW_CONFLICT && conflict != NULL))
		pe->detail(p, a, eid, kw_status_http(st),
		    st == KW_FORBIDDEN ? forbidden : conflict);
	else
		page_error(p, st, NULL);
}
