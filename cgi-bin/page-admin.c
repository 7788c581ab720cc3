/* page-admin.c: an org admin manages the people of their organisation. */
#include "config.h"

#include "org.h"
#include "page.h"

static const char *const roles[] = { "member", "admin", NULL };

const struct valid_field page_user_fields[] = {
	{ .name = "name", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = 200, .label = "Name" },
	{ .name = "email", .kind = VALID_EMAIL, .flags = VALID_REQUIRED,
	  .label = "Email" },
	{ .name = "role", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = roles, .label = "Role" },
	{ .name = "password", .kind = VALID_PASSWORD, .flags = VALID_REQUIRED,
	  .minlen = 10, .label = "Initial password" },
	{ .name = NULL },
};

const struct valid_field page_password_fields[] = {
	{ .name = "password", .kind = VALID_PASSWORD, .flags = VALID_REQUIRED,
	  .minlen = 10, .label = "New password" },
	{ .name = NULL },
};

/*
 * Render the people page with status; when err_user is non-zero, that
 * row's password form shows pw_error.
 */
static void
users_render(struct page *p, int status, long long err_user,
    const char *pw_error)
{
	struct user *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	st = user_list_org(p->db, p->arena, p->user.org_id, &list, &n);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "nav", "users");
	loop = tmpl_add_loop(p->vars, "users");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", (long long)list[i].id);
		tmpl_set(row, "name", list[i].name);
		tmpl_set(row, "email", list[i].email);
		tmpl_set(row, "role", user_role_name(list[i].role));
		tmpl_set_bool(row, "active", list[i].active);
		tmpl_set_bool(row, "is_self", list[i].id == p->user.id);
		tmpl_set(row, "pw_error",
		    list[i].id == err_user ? pw_error : "");
	}
	page_render(p, status, "People", "users.tmpl");
}

void
page_users(struct page *p)
{
	tmpl_set(p->vars, "role_in", "member");
	users_render(p, 200, 0, NULL);
}

void
page_users_add(struct page *p)
{
	long long id;
	enum kw_status st;

	page_form_vars(p);
	if (p->nerrors > 0) {
		users_render(p, 400, 0, NULL);
		return;
	}
	st = user_create(p->db, &p->user, p->user.org_id,
	    page_val(p, "email"), page_val(p, "name"),
	    page_int(p, "role") == 1 ? USER_ADMIN : USER_MEMBER,
	    page_val(p, "password"), &id);
	if (st == KW_CONFLICT) {
		page_field_error(p, "email",
		    "Someone already uses this email address.");
		users_render(p, 409, 0, NULL);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, "/org/users", "user-created");
}

void
page_user_password(struct page *p)
{
	long long id = page_id(p, "id");
	enum kw_status st;

	if (id == 0) {
		page_error(p, KW_NOTFOUND, NULL);
		return;
	}
	if (p->nerrors > 0) {
		users_render(p, 400, id, p->vals[0].error);
		return;
	}
	st = user_set_password(p->db, &p->user, id, page_val(p, "password"));
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, "/org/users", "password-reset");
}

/* Deactivate or reactivate the user named in the path. */
static void
set_active(struct page *p, int active)
{
	long long id = page_id(p, "id");
	enum kw_status st;

	st = id == 0 ? KW_NOTFOUND :
	    user_set_active(p->db, &p->user, id, active);
	if (st != KW_OK) {
		page_error(p, st, st == KW_CONFLICT ?
		    "You cannot deactivate yourself." : NULL);
		return;
	}
	page_redirect_notice(p, "/org/users",
	    active ? "user-activated" : "user-deactivated");
}

void
page_user_deactivate(struct page *p)
{
	set_active(p, 0);
}

void
page_user_activate(struct page *p)
{
	set_active(p, 1);
}
