/* page-comment.c: the comment thread under every ledger entry. */
#include "config.h"

#include "account.h"
#include "arena.h"
#include "comment.h"
#include "entry.h"
#include "page.h"

const struct valid_field page_comment_fields[] = {
	{ .name = "comment_body", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = COMMENT_MAX, .label = "Comment" },
	{ .name = NULL },
};

enum kw_status
page_comments(struct page *p, long long account_id, const char *entity,
    long long entity_id)
{
	struct comment *list = NULL;
	const struct comment *c;
	const char *path;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	if ((path = entry_path(p->arena, account_id, entity, entity_id)) ==
	    NULL)
		return KW_NOTFOUND;
	st = comment_list(p->db, p->arena, &p->user, account_id, entity,
	    entity_id, &list, &n);
	if (st != KW_OK)
		return st;
	tmpl_set(p->vars, "comments_action",
	    arena_xprintf(p->arena, "%s/comments", path));
	tmpl_set_int(p->vars, "comment_count", (long long)n);
	loop = tmpl_add_loop(p->vars, "comments");
	for (i = 0; i < n; i++) {
		c = &list[i];
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "cid", c->id);
		tmpl_set(row, "author", c->author_name);
		tmpl_set(row, "org", c->author_org);
		tmpl_set(row, "side", account_side_name(c->side));
		tmpl_set(row, "at", c->created_at);
		tmpl_set(row, "at_text", page_datetime(p, c->created_at));
		tmpl_set(row, "body", c->body);
		tmpl_set_bool(row, "withdrawn", *c->withdrawn_at != '\0');
		tmpl_set_bool(row, "mine", c->author_id == p->user.id &&
		    *c->withdrawn_at == '\0');
		tmpl_set(row, "withdraw_action", arena_xprintf(p->arena,
		    "/accounts/%lld/comments/%lld/withdraw", account_id,
		    c->id));
	}
	return KW_OK;
}

/*
 * The comment could not be added: show the thread and the form again
 * with the text kept and the message next to the field.
 */
static void
comment_error_render(struct page *p, int status, const struct account *a,
    const char *entity, long long entity_id)
{
	enum kw_status st;

	page_form_vars(p);
	if ((st = page_comments(p, a->id, entity, entity_id)) != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set_int(p->vars, "account_id", a->id);
	tmpl_set(p->vars, "account_title", a->title);
	tmpl_set(p->vars, "entity", entity);
	tmpl_set_int(p->vars, "entity_id", entity_id);
	tmpl_set(p->vars, "entry_path",
	    entry_path(p->arena, a->id, entity, entity_id));
	page_render(p, status, "Comment not added", "comment-error.tmpl");
}

void
page_comment_add(struct page *p)
{
	struct account a;
	const char *entity;
	long long id = page_id(p, "id"), eid = page_id(p, "eid"), cid;
	int kind = entry_parse_plural(route_param(&p->match, "kind"));
	enum kw_status st;

	if (id == 0 || eid == 0 || kind < 0) {
		page_error(p, KW_NOTFOUND, NULL);
		return;
	}
	entity = entry_names[kind];
	/* An entry the user cannot see answers 404 whatever the form says. */
	st = comment_target(p->db, p->arena, &p->user, id, entity, eid, &a);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	if (p->nerrors > 0) {
		comment_error_render(p, 400, &a, entity, eid);
		return;
	}
	st = comment_add(p->db, p->arena, &p->user, id, entity, eid,
	    page_val(p, "comment_body"), &cid);
	if (st == KW_BADREQ) {
		page_field_error(p, "comment_body", "Write a comment of up to "
		    "10000 characters, without control characters.");
		comment_error_render(p, 400, &a, entity, eid);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect(p, arena_xprintf(p->arena, "%s#comments",
	    entry_path(p->arena, id, entity, eid)));
}

void
page_comment_withdraw(struct page *p)
{
	struct comment c;
	const char *path;
	long long id = page_id(p, "id"), cid = page_id(p, "cid");
	enum kw_status st;

	st = id == 0 || cid == 0 ? KW_NOTFOUND :
	    comment_withdraw(p->db, p->arena, &p->user, id, cid, &c);
	if (st == KW_FORBIDDEN) {
		page_error(p, st, "Only the author of a comment can withdraw "
		    "it.");
		return;
	}
	if (st == KW_CONFLICT) {
		page_error(p, st, "This comment was already withdrawn.");
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	if ((path = entry_path(p->arena, id, c.entity, c.entity_id)) == NULL)
		path = arena_xprintf(p->arena, "/accounts/%lld", id);
	page_redirect(p, arena_xprintf(p->arena,
	    "%s?notice=comment-withdrawn#comments", path));
}
