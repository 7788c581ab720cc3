/* page-operator.c: site operators create organisations and open accounts. */
#include "config.h"

#include "account.h"
#include "clock.h"
#include "org.h"
#include "page.h"

const struct valid_field page_org_fields[] = {
	{ .name = "org_name", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = 200, .label = "Name" },
	{ .name = NULL },
};

const struct valid_field page_account_fields[] = {
	{ .name = "title", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = 200, .label = "Title" },
	{ .name = "buyer", .kind = VALID_ID, .flags = VALID_REQUIRED,
	  .label = "Buyer" },
	{ .name = "supplier", .kind = VALID_ID, .flags = VALID_REQUIRED,
	  .label = "Supplier" },
	{ .name = "cadence", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = account_cadence_names, .label = "Review cadence" },
	{ .name = "start", .kind = VALID_DATE, .label = "Start date" },
	{ .name = "buyer_owner", .kind = VALID_EMAIL,
	  .label = "Buyer's owner" },
	{ .name = "supplier_owner", .kind = VALID_EMAIL,
	  .label = "Supplier's owner" },
	{ .name = NULL },
};

/* One <option> loop over orgs, marking the one with id sel. */
static void
org_options(struct page *p, const char *name, const struct org *orgs,
    size_t n, long long sel)
{
	tmpl_loop *loop = tmpl_add_loop(p->vars, name);
	tmpl_vars *row;
	size_t i;

	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", (long long)orgs[i].id);
		tmpl_set(row, "org", orgs[i].name);
		tmpl_set_bool(row, "selected", orgs[i].id == sel);
	}
}

static void
operator_render(struct page *p, int status)
{
	struct org *orgs = NULL;
	struct account *accts = NULL;
	size_t i, norgs = 0, naccts = 0;
	tmpl_loop *loop;
	tmpl_vars *row;
	const char *cad = page_val(p, "cadence");
	enum kw_status st;

	st = org_list(p->db, p->arena, &orgs, &norgs);
	if (st == KW_OK)
		st = account_list_all(p->db, p->arena, &accts, &naccts);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "nav", "operator");
	loop = tmpl_add_loop(p->vars, "orgs");
	for (i = 0; i < norgs; i++)
		tmpl_set(tmpl_loop_row(loop), "org", orgs[i].name);
	loop = tmpl_add_loop(p->vars, "accounts");
	for (i = 0; i < naccts; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "title", accts[i].title);
		tmpl_set(row, "buyer", accts[i].buyer_name);
		tmpl_set(row, "supplier", accts[i].supplier_name);
	}
	org_options(p, "buyer_opts", orgs, norgs, page_int(p, "buyer"));
	org_options(p, "supplier_opts", orgs, norgs, page_int(p, "supplier"));
	if (*cad == '\0')
		cad = account_cadence_names[CADENCE_QUARTERLY];
	page_options(p, "cadence_opts", account_cadence_names, cad);
	page_render(p, status, "Operator", "operator.tmpl");
}

void
page_operator(struct page *p)
{
	operator_render(p, 200);
}

void
page_operator_org(struct page *p)
{
	long long id;
	enum kw_status st;

	page_form_vars(p);
	if (p->nerrors > 0) {
		operator_render(p, 400);
		return;
	}
	st = org_create(p->db, &p->user, page_val(p, "org_name"), &id);
	if (st == KW_CONFLICT) {
		page_field_error(p, "org_name",
		    "An organisation with this name exists already.");
		operator_render(p, 409);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, "/operator", "org-created");
}

/*
 * The id of the user with the email in field name, who must belong to
 * org; 0 when the field is empty; -1 (with a field error) otherwise.
 */
static long long
owner_id(struct page *p, const char *name, long long org)
{
	const char *email = page_val(p, name);
	struct user u;

	if (*email == '\0')
		return 0;
	if (user_by_email(p->db, p->arena, email, &u) != KW_OK ||
	    u.org_id != org || !u.active) {
		page_field_error(p, name, "No active person of that "
		    "organisation has this email.");
		return -1;
	}
	return u.id;
}

void
page_operator_account(struct page *p)
{
	long long buyer = page_int(p, "buyer"), supplier = page_int(p, "supplier");
	long long bo, so, id;
	char today[16];
	const char *start = page_val(p, "start");
	enum kw_status st;

	page_form_vars(p);
	if (p->nerrors == 0 && buyer == supplier) {
		page_field_error(p, "supplier", "The supplier must be another "
		    "organisation than the buyer.");
		p->nerrors++;
	}
	bo = p->nerrors == 0 ? owner_id(p, "buyer_owner", buyer) : 0;
	so = p->nerrors == 0 ? owner_id(p, "supplier_owner", supplier) : 0;
	if (p->nerrors > 0 || bo < 0 || so < 0) {
		operator_render(p, 400);
		return;
	}
	if (*start == '\0') {
		clock_date(clock_now(), today, sizeof(today));
		start = today;
	}
	st = account_create(p->db, &p->user, page_val(p, "title"), buyer,
	    supplier, (enum account_cadence)page_int(p, "cadence"), start,
	    bo, so, &id);
	if (st == KW_NOTFOUND) {
		page_field_error(p, "buyer", "Choose an existing organisation.");
		operator_render(p, 400);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, "/operator", "account-created");
}
