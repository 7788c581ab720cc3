/* page.c: shared page helpers: rendering, errors, redirects, form values. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "page.h"

/* Notices shown once after a redirect, by key. */
static const struct notice {
	const char	*key;
	const char	*text;
} notices[] = {
	{ "signed-out", "You have signed out." },
	{ "user-created", "The person was added. Share the initial password with them privately." },
	{ "password-reset", "The password was reset and the person's sessions were ended." },
	{ "user-deactivated", "The person was deactivated and signed out everywhere." },
	{ "user-activated", "The person was reactivated." },
	{ "org-created", "The organisation was added." },
	{ "account-created", "The account was opened." },
};

const char *
page_notice_text(const char *key)
{
	size_t i;

	if (key == NULL)
		return NULL;
	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(notices[i].key, key) == 0)
			return notices[i].text;
	return NULL;
}

/* Last resort when a template cannot be rendered: a minimal page. */
static void
plain_error(struct page *p, int status, const char *text)
{
	struct req *r = p->req;

	buf_clear(&r->body);
	r->status = status;
	buf_printf(&r->body, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>%d</title></head><body><main>"
	    "<h1>%s</h1></main></body></html>\n", status, text);
	p->ctype = "text/html; charset=utf-8";
}

void
page_render(struct page *p, int status, const char *title, const char *name)
{
	tmpl_error err;
	const tmpl *t;
	char line[1024];

	tmpl_set(p->vars, "title", title);
	p->req->status = status;
	p->ctype = "text/html; charset=utf-8";
	if ((t = tmpl_get(p->conf->tmpl, name, &err)) != NULL &&
	    tmpl_render(t, p->vars, &p->req->body, &err) == TMPL_OK)
		return;
	tmpl_error_format(&err, line, sizeof(line));
	kw_logx("template %s: %s", name, line);
	plain_error(p, 500, "Internal Server Error");
}

void
page_error(struct page *p, enum kw_status st, const char *msg)
{
	int code = kw_status_http(st);

	buf_clear(&p->req->body);
	tmpl_set(p->vars, "message", msg != NULL ? msg :
	    "Something went wrong on our side. Please try again.");
	if (msg == NULL && st == KW_NOTFOUND)
		tmpl_set(p->vars, "message",
		    "There is nothing here, or it is not shared with you.");
	if (p->conf->tmpl == NULL) {
		plain_error(p, code, kw_status_str(st));
		return;
	}
	page_render(p, code, kw_status_str(st), "error.tmpl");
}

void
page_redirect(struct page *p, const char *path)
{
	if (req_redirect(p->req, p->conf->base_url, path) != 0)
		page_error(p, KW_INTERNAL, NULL);
}

void
page_redirect_notice(struct page *p, const char *path, const char *key)
{
	page_redirect(p, arena_xprintf(p->arena, "%s?notice=%s", path, key));
}

/* Index of declared field name in the matched route, or -1. */
static long
field_index(const struct page *p, const char *name)
{
	const struct valid_field *f = p->match.route != NULL ?
	    p->match.route->fields : NULL;
	long i;

	for (i = 0; f != NULL && f[i].name != NULL; i++)
		if (strcmp(f[i].name, name) == 0)
			return p->vals != NULL ? i : -1;
	return -1;
}

const char *
page_val(const struct page *p, const char *name)
{
	long i = field_index(p, name);

	if (i < 0)
		return "";
	if (p->vals[i].s != NULL && p->vals[i].error == NULL)
		return p->vals[i].s;
	return p->vals[i].raw != NULL ? p->vals[i].raw : "";
}

long long
page_int(const struct page *p, const char *name)
{
	long i = field_index(p, name);

	if (i < 0 || p->vals[i].error != NULL)
		return 0;
	return p->vals[i].i;
}

void
page_field_error(struct page *p, const char *name, const char *msg)
{
	tmpl_set(p->vars, arena_xprintf(p->arena, "%s_error", name), msg);
	tmpl_set(p->vars, "form_error", "1");
}

void
page_form_vars(struct page *p)
{
	const struct valid_field *f;
	size_t i;

	if (p->match.route == NULL || (f = p->match.route->fields) == NULL ||
	    p->vals == NULL)
		return;
	for (i = 0; f[i].name != NULL; i++) {
		/* Passwords are never echoed back into a page. */
		if (f[i].kind != VALID_PASSWORD)
			tmpl_set(p->vars, arena_xprintf(p->arena, "%s_in",
			    f[i].name), page_val(p, f[i].name));
		if (p->vals[i].error != NULL)
			page_field_error(p, f[i].name, p->vals[i].error);
	}
}

long long
page_id(const struct page *p, const char *name)
{
	long long id;

	if (kw_parse_int(route_param(&p->match, name), 1, INT64_MAX,
	    &id) != 0)
		return 0;
	return id;
}
