/* page-home.c: the dashboard: the accounts the user's org is party to. */
#include "config.h"

#include "account.h"
#include "clock.h"
#include "page.h"

void
page_home(struct page *p)
{
	struct account_summary *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	char today[16];
	size_t i, n = 0;
	enum kw_status st;

	clock_date(clock_now(), today, sizeof(today));
	st = account_list_for_org(p->db, p->arena, p->user.org_id, today,
	    &list, &n);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "nav", "home");
	tmpl_set_int(p->vars, "account_count", (long long)n);
	loop = tmpl_add_loop(p->vars, "accounts");
	for (i = 0; i < n; i++) {
		const struct account *a = &list[i].acct;
		int buyer = a->my_side == SIDE_BUYER;

		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", (long long)a->id);
		tmpl_set(row, "title", a->title);
		tmpl_set(row, "side", account_side_name(a->my_side));
		tmpl_set(row, "counterpart",
		    buyer ? a->supplier_name : a->buyer_name);
		tmpl_set(row, "our_owner",
		    buyer ? a->buyer_owner_name : a->supplier_owner_name);
		tmpl_set(row, "their_owner",
		    buyer ? a->supplier_owner_name : a->buyer_owner_name);
		tmpl_set(row, "cadence", account_cadence_name(a->cadence));
		tmpl_set(row, "next_review", list[i].next_review);
		tmpl_set_int(row, "unsigned", list[i].reviews_unsigned);
		tmpl_set_int(row, "unsigned_by_us",
		    list[i].reviews_unsigned_by_me);
	}
	page_render(p, 200, "Your accounts", "dashboard.tmpl");
}
