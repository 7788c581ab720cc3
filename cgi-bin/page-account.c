/* page-account.c: one account's overview. */
#include "config.h"

#include "account.h"
#include "page.h"

void
page_account(struct page *p)
{
	struct account a;
	struct account_owner *hist = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	long long id = page_id(p, "id");
	enum kw_status st;

	/* The core answers KW_NOTFOUND for an account of other orgs. */
	st = id == 0 ? KW_NOTFOUND :
	    account_get(p->db, p->arena, p->user.org_id, id, &a);
	if (st == KW_OK)
		st = account_owner_history(p->db, p->arena, a.id, &hist, &n);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "account_title", a.title);
	tmpl_set(p->vars, "my_side", account_side_name(a.my_side));
	tmpl_set(p->vars, "counterpart", a.my_side == SIDE_BUYER ?
	    a.supplier_name : a.buyer_name);
	tmpl_set(p->vars, "buyer_name", a.buyer_name);
	tmpl_set(p->vars, "supplier_name", a.supplier_name);
	tmpl_set(p->vars, "buyer_owner", a.buyer_owner_name);
	tmpl_set(p->vars, "supplier_owner", a.supplier_owner_name);
	tmpl_set(p->vars, "cadence", account_cadence_name(a.cadence));
	tmpl_set(p->vars, "start_date", a.start_date);
	loop = tmpl_add_loop(p->vars, "owners");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "side", account_side_name(hist[i].side));
		tmpl_set(row, "name", hist[i].user_name);
		tmpl_set(row, "since", hist[i].since);
		tmpl_set(row, "until", hist[i].until);
		tmpl_set(row, "note", hist[i].handover_note);
	}
	page_render(p, 200, a.title, "account.tmpl");
}
