/* page-auth.c: health, sign-in and sign-out. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "page.h"

#define SESSION_COOKIE	"kw_session"
#define CSRF_COOKIE	"kw_csrf"
#define SESSION_MAXAGE	(12L * 60 * 60)

const struct valid_field page_login_fields[] = {
	{ .name = "email", .kind = VALID_EMAIL, .flags = VALID_REQUIRED,
	  .label = "Email" },
	{ .name = "password", .kind = VALID_PASSWORD, .flags = VALID_REQUIRED,
	  .minlen = 1, .label = "Password" },
	{ .name = NULL },
};

void
page_health(struct page *p)
{
	p->ctype = "text/plain; charset=utf-8";
	if (db_ping(p->db) == KW_OK) {
		buf_puts(&p->req->body, "ok\n");
		return;
	}
	p->req->status = 503;
	buf_puts(&p->req->body, "database unavailable\n");
}

/* A token we issued has exactly this shape: base64url, no padding. */
static int
token_shaped(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n == AUTH_TOKEN_SIZE - 1 &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == n;
}

void
page_anon_csrf(struct page *p)
{
	const char *c = req_cookie(p->req, req_cookie_name(p->req,
	    CSRF_COOKIE));
	char *tok;

	if (token_shaped(c)) {
		p->csrf = c;
		return;
	}
	tok = arena_xalloc(p->arena, AUTH_TOKEN_SIZE);
	auth_token_new(tok);
	req_set_cookie(p->req, CSRF_COOKIE, tok, 0, REQ_COOKIE_HTTPONLY);
	p->csrf = tok;
}

void
page_login(struct page *p)
{
	if (p->authed) {
		page_redirect(p, "/");
		return;
	}
	page_render(p, 200, "Sign in", "login.tmpl");
}

/* End the visitor's current session, if any, on the server. */
static void
end_session(struct page *p)
{
	const char *token = req_cookie(p->req,
	    req_cookie_name(p->req, SESSION_COOKIE));

	if (token != NULL)
		(void)auth_logout(p->db, token);
}

void
page_login_post(struct page *p)
{
	struct auth_session s;
	struct user u;
	enum kw_status st;

	page_form_vars(p);
	if (p->nerrors > 0) {
		page_render(p, 400, "Sign in", "login.tmpl");
		return;
	}
	st = auth_login(p->db, p->arena, page_val(p, "email"),
	    page_val(p, "password"), p->req->remote_addr, &s, &u);
	switch (st) {
	case KW_OK:
		/* A sign-in always starts a fresh session: rotate. */
		end_session(p);
		req_set_cookie(p->req, SESSION_COOKIE, s.token,
		    SESSION_MAXAGE, REQ_COOKIE_HTTPONLY);
		req_set_cookie(p->req, CSRF_COOKIE, "", -1,
		    REQ_COOKIE_HTTPONLY);
		page_redirect(p, "/");
		return;
	case KW_UNAUTH:
		tmpl_set(p->vars, "login_error",
		    "That email and password do not match an active account.");
		page_render(p, 403, "Sign in", "login.tmpl");
		return;
	case KW_TOOMANY:
		tmpl_set(p->vars, "login_error", "Too many failed attempts. "
		    "Wait 15 minutes, then try again.");
		page_render(p, 429, "Sign in", "login.tmpl");
		return;
	default:
		page_error(p, st, NULL);
		return;
	}
}

void
page_logout(struct page *p)
{
	end_session(p);
	req_set_cookie(p->req, SESSION_COOKIE, "", -1, REQ_COOKIE_HTTPONLY);
	page_redirect_notice(p, "/login", "signed-out");
}
