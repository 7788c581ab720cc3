/* page-party.c: an org admin records the identifiers partner systems know
 * their organisation by (GLN, D-U-N-S, VAT number, LEI). */
#include "config.h"

#include "party.h"
#include "page.h"

const struct valid_field page_party_fields[] = {
	{ .name = "scheme", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = party_scheme_names, .label = "Scheme" },
	{ .name = "value", .kind = VALID_LINE, .maxlen = 60,
	  .label = "Identifier" },
	{ .name = NULL },
};

/* Render the identifiers page with status. */
static void
party_render(struct page *p, int status)
{
	struct party_id *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	st = party_id_list(p->db, p->arena, p->user.org_id, &list, &n);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	loop = tmpl_add_loop(p->vars, "ids");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "scheme", party_scheme_names[list[i].scheme]);
		tmpl_set(row, "value", list[i].value);
		tmpl_set(row, "set_on", page_day(p, list[i].set_at));
		tmpl_set(row, "set_by", list[i].set_by_name);
	}
	tmpl_set_bool(p->vars, "has_ids", n > 0);
	page_render(p, status, "Identifiers", "identifiers.tmpl");
}

void
page_party(struct page *p)
{
	tmpl_set(p->vars, "scheme_in", "GLN");
	party_render(p, 200);
}

void
page_party_set(struct page *p)
{
	enum party_scheme s;
	const char *scheme, *value;
	enum kw_status st;

	page_form_vars(p);
	if (p->nerrors > 0) {
		party_render(p, 400);
		return;
	}
	s = (enum party_scheme)page_int(p, "scheme");
	scheme = party_scheme_names[s];
	value = page_val(p, "value");
	st = party_id_set(p->db, &p->user, p->user.org_id, s, value);
	if (st == KW_BADREQ || st == KW_CONFLICT) {
		page_field_error(p, "value", st == KW_BADREQ ?
		    arena_xprintf(p->arena, "This is not a valid %s.", scheme) :
		    *value == '\0' ? arena_xprintf(p->arena, "There is no %s "
		    "to remove.", scheme) : arena_xprintf(p->arena, "This is "
		    "the %s recorded already.", scheme));
		party_render(p, st == KW_BADREQ ? 400 : 409);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, "/org/identifiers", *value == '\0' ?
	    "identifier-removed" : "identifier-saved");
}
