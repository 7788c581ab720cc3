/* page-inbox.c: the signed-in user's notifications. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "entry.h"
#include "notify.h"
#include "page.h"

#define INBOX_PER_PAGE	20

/* What each kind of notification asks of the reader. */
static const char *const kind_labels[NOTIFY__MAX] = {
	[NOTIFY_UPDATE] = "Update to read",
	[NOTIFY_DELIVERY] = "Delivery to confirm",
	[NOTIFY_DISPUTE] = "Delivery disputed",
	[NOTIFY_DUE_SOON] = "Falling due",
	[NOTIFY_OVERDUE] = "Overdue",
	[NOTIFY_CONCERN] = "Concern raised",
	[NOTIFY_EXPECTATION] = "Expectation to acknowledge",
	[NOTIFY_DUE_CHANGE] = "New due date proposed",
	[NOTIFY_RESOLUTION] = "Resolution to accept",
	[NOTIFY_REVIEW] = "Review to sign",
};

/* The label of a stored kind; the kind itself if it has none. */
static const char *
kind_label(const char *kind)
{
	int i = kw_name_index(notify_kind_names, kind);

	return i >= 0 && kind_labels[i] != NULL ? kind_labels[i] : kind;
}

void
page_inbox(struct page *p)
{
	static const char *const keep[] = { "state", NULL };
	struct notification *list = NULL;
	const struct notification *n;
	const char *state = req_query(p->req, "state");
	int unread_only = state != NULL && strcmp(state, "unread") == 0;
	struct pager pg;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, cnt = 0, total = 0;
	enum kw_status st;

	page_pager(p, INBOX_PER_PAGE, &pg);
	st = notify_count(p->db, &p->user, unread_only, &total);
	if (st == KW_OK)
		st = notify_list(p->db, p->arena, &p->user, unread_only, pg.per,
		    pg.offset, &list, &cnt);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "nav", "inbox");
	tmpl_set(p->vars, "filter", unread_only ? "unread" : "all");
	tmpl_set_int(p->vars, "total", (long long)total);
	loop = tmpl_add_loop(p->vars, "notes");
	for (i = 0; i < cnt; i++) {
		n = &list[i];
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "nid", n->id);
		tmpl_set(row, "text", n->text);
		tmpl_set(row, "account", n->account_title);
		tmpl_set(row, "kind", kind_label(n->kind));
		tmpl_set(row, "at", n->created_at);
		tmpl_set(row, "at_text", page_datetime(p, n->created_at));
		tmpl_set_bool(row, "unread", *n->read_at == '\0');
	}
	page_pager_vars(p, &pg, total, "/inbox", keep);
	page_render(p, 200, "Inbox", "inbox.tmpl");
}

void
page_inbox_open(struct page *p)
{
	struct notification n;
	const char *path;
	long long nid = page_id(p, "nid");
	enum kw_status st;

	/* Another user's notification is as missing as one that is not. */
	st = nid == 0 ? KW_NOTFOUND :
	    notify_get(p->db, p->arena, &p->user, nid, &n);
	if (st == KW_OK && *n.read_at == '\0')
		st = notify_mark_read(p->db, &p->user, nid);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	if ((path = entry_path(p->arena, n.account_id, n.entity,
	    n.entity_id)) == NULL)
		path = arena_xprintf(p->arena, "/accounts/%lld", n.account_id);
	page_redirect(p, path);
}

void
page_inbox_read_all(struct page *p)
{
	enum kw_status st;

	if ((st = notify_mark_all_read(p->db, &p->user, NULL)) != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, "/inbox", "inbox-read");
}
