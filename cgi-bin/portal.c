/* portal.c: the HTML portal, a pre-forked FastCGI server or one CGI request. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "notify.h"
#include "page.h"
#include "program.h"
#include "promise.h"

/* Every URL the portal answers; dispatch goes only through this table. */
static const struct route routes[] = {
	{ REQ_GET, "/health", page_health, PAGE_PUBLIC, NULL },
	{ REQ_GET, "/login", page_login, PAGE_PUBLIC, NULL },
	{ REQ_POST, "/login", page_login_post, PAGE_PUBLIC, page_login_fields },
	{ REQ_POST, "/logout", page_logout, 0, NULL },
	{ REQ_GET, "/", page_home, 0, NULL },
	{ REQ_GET, "/accounts/:id", page_account, 0, NULL },
	{ REQ_POST, "/accounts/:id/cadence", page_account_cadence, 0,
	  page_cadence_fields },
	{ REQ_GET, "/accounts/:id/promises", page_promises, 0, NULL },
	{ REQ_POST, "/accounts/:id/promises", page_promises_add, 0,
	  promise_fields },
	{ REQ_GET, "/accounts/:id/promises/:eid", page_promise, 0, NULL },
	{ REQ_POST, "/accounts/:id/promises/:eid/deliver",
	  page_promise_deliver, 0, promise_deliver_fields },
	{ REQ_POST, "/accounts/:id/promises/:eid/confirm",
	  page_promise_confirm, 0, NULL },
	{ REQ_POST, "/accounts/:id/promises/:eid/dispute",
	  page_promise_dispute, 0, promise_dispute_fields },
	{ REQ_POST, "/accounts/:id/promises/:eid/renegotiate",
	  page_promise_renegotiate, 0, promise_renegotiate_fields },
	{ REQ_POST, "/accounts/:id/promises/:eid/accept-due",
	  page_promise_accept_due, 0, NULL },
	{ REQ_POST, "/accounts/:id/promises/:eid/decline-due",
	  page_promise_decline_due, 0, NULL },
	{ REQ_POST, "/accounts/:id/promises/:eid/break",
	  page_promise_break, 0, promise_break_fields },
	{ REQ_GET, "/accounts/:id/contacts", page_contacts, 0, NULL },
	{ REQ_POST, "/accounts/:id/contacts", page_contacts_add, 0,
	  page_contact_fields },
	{ REQ_GET, "/accounts/:id/contacts/:eid", page_contact, 0, NULL },
	{ REQ_POST, "/accounts/:id/contacts/:eid/withdraw",
	  page_contact_withdraw, 0, NULL },
	{ REQ_GET, "/accounts/:id/feedback", page_feedback_list, 0, NULL },
	{ REQ_POST, "/accounts/:id/feedback", page_feedback_add, 0,
	  page_feedback_fields },
	{ REQ_GET, "/accounts/:id/feedback/:eid", page_feedback, 0, NULL },
	{ REQ_POST, "/accounts/:id/feedback/:eid/withdraw",
	  page_feedback_withdraw, 0, NULL },
	{ REQ_GET, "/accounts/:id/concerns", page_concerns, 0, NULL },
	{ REQ_POST, "/accounts/:id/concerns", page_concerns_add, 0,
	  page_concern_fields },
	{ REQ_GET, "/accounts/:id/concerns/:eid", page_concern, 0, NULL },
	{ REQ_POST, "/accounts/:id/concerns/:eid/propose",
	  page_concern_propose, 0, page_concern_propose_fields },
	{ REQ_POST, "/accounts/:id/concerns/:eid/accept", page_concern_accept,
	  0, NULL },
	{ REQ_POST, "/accounts/:id/concerns/:eid/reject", page_concern_reject,
	  0, page_concern_reject_fields },
	{ REQ_POST, "/accounts/:id/concerns/:eid/withdraw",
	  page_concern_withdraw, 0, NULL },
	{ REQ_GET, "/accounts/:id/reviews", page_reviews, 0, NULL },
	{ REQ_POST, "/accounts/:id/reviews", page_reviews_add, 0, NULL },
	{ REQ_GET, "/accounts/:id/reviews/:eid", page_review, 0, NULL },
	{ REQ_POST, "/accounts/:id/reviews/:eid/sign", page_review_sign, 0,
	  NULL },
	{ REQ_POST, "/accounts/:id/reviews/:eid/actions", page_review_action,
	  0, page_review_action_fields },
	{ REQ_GET, "/accounts/:id/expectations", page_expectations, 0, NULL },
	{ REQ_POST, "/accounts/:id/expectations", page_expectations_add, 0,
	  page_expectation_fields },
	{ REQ_GET, "/accounts/:id/expectations/:eid", page_expectation, 0,
	  NULL },
	{ REQ_POST, "/accounts/:id/expectations/:eid/acknowledge",
	  page_expectation_acknowledge, 0, NULL },
	{ REQ_POST, "/accounts/:id/expectations/:eid/retire",
	  page_expectation_retire, 0, page_expectation_retire_fields },
	{ REQ_POST, "/accounts/:id/expectations/:eid/assess",
	  page_expectation_assess, 0, page_expectation_assess_fields },
	{ REQ_GET, "/accounts/:id/updates", page_updates, 0, NULL },
	{ REQ_POST, "/accounts/:id/updates", page_updates_add, 0,
	  page_update_fields },
	{ REQ_GET, "/accounts/:id/updates/:eid", page_update, 0, NULL },
	{ REQ_POST, "/accounts/:id/updates/:eid/read", page_update_read, 0,
	  page_update_read_fields },
	{ REQ_POST, "/accounts/:id/updates/:eid/withdraw",
	  page_update_withdraw, 0, NULL },
	{ REQ_GET, "/org/users", page_users, PAGE_ADMIN, NULL },
	{ REQ_POST, "/org/users", page_users_add, PAGE_ADMIN, page_user_fields },
	{ REQ_POST, "/org/users/:id/password", page_user_password, PAGE_ADMIN,
	  page_password_fields },
	{ REQ_POST, "/org/users/:id/deactivate", page_user_deactivate,
	  PAGE_ADMIN, NULL },
	{ REQ_POST, "/org/users/:id/activate", page_user_activate,
	  PAGE_ADMIN, NULL },
	{ REQ_GET, "/org/identifiers", page_party, PAGE_ADMIN, NULL },
	{ REQ_POST, "/org/identifiers", page_party_set, PAGE_ADMIN,
	  page_party_fields },
	{ REQ_GET, "/org/tokens", page_tokens, PAGE_ADMIN, NULL },
	{ REQ_POST, "/org/tokens", page_tokens_add, PAGE_ADMIN,
	  page_token_fields },
	{ REQ_POST, "/org/tokens/:id/revoke", page_token_revoke, PAGE_ADMIN,
	  NULL },
	{ REQ_GET, "/operator", page_operator, PAGE_OPERATOR, NULL },
	{ REQ_POST, "/operator/orgs", page_operator_org, PAGE_OPERATOR,
	  page_org_fields },
	{ REQ_POST, "/operator/accounts", page_operator_account, PAGE_OPERATOR,
	  page_account_fields },
	{ REQ_POST, "/accounts/:id/:kind/:eid/comments", page_comment_add, 0,
	  page_comment_fields },
	{ REQ_POST, "/accounts/:id/comments/:cid/withdraw",
	  page_comment_withdraw, 0, NULL },
	{ REQ_GET, "/inbox", page_inbox, PAGE_DUE_NOTICES, NULL },
	{ REQ_GET, "/inbox/:nid", page_inbox_open, 0, NULL },
	{ REQ_POST, "/inbox/read-all", page_inbox_read_all, 0, NULL },
	{ REQ_GET, "/accounts/:id/activity", page_activity, 0, NULL },
	{ REQ_GET, "/accounts/:id/owners", page_owners, 0, NULL },
	{ REQ_POST, "/accounts/:id/owners", page_owners_set, 0,
	  page_owner_fields },
};

#define SESSION_COOKIE	"kw_session"

/* Per-process state; each worker opens its own database after fork. */
struct portal {
	struct program		 prog;
	struct page_conf	 conf;
};

static int
worker_init(void *ud)
{
	struct portal *pt = ud;

	return program_worker_init(&pt->prog);
}

static void
worker_fini(void *ud)
{
	struct portal *pt = ud;

	program_worker_fini(&pt->prog);
}

/* The origin (scheme://host[:port]) of the configured base URL. */
static size_t
base_origin_len(const char *base)
{
	const char *p = strstr(base, "://");

	if (p == NULL)
		return strlen(base);
	p += 3;
	return (size_t)(p - base) + strcspn(p, "/");
}

/*
 * A state-changing request must come from our own pages: its Origin (when
 * the browser sends one) is ours, it is not a cross-site fetch, and it
 * carries the CSRF token of this session (or of the anonymous visitor).
 */
static int
csrf_ok(struct page *p)
{
	const char *origin = p->req->origin;
	const char *site = req_param(p->req, "HTTP_SEC_FETCH_SITE");
	const char *sent = req_form(p->req, "csrf");
	size_t olen = base_origin_len(p->conf->base_url);

	if (origin != NULL && (strlen(origin) != olen ||
	    strncmp(origin, p->conf->base_url, olen) != 0))
		return 0;
	if (site != NULL && strcmp(site, "cross-site") == 0)
		return 0;
	if (sent == NULL || p->csrf == NULL)
		return 0;
	return auth_token_equal(sent, p->csrf);
}

/* Find the visitor's session and fill the page chrome's variables. */
static void
load_session(struct page *p)
{
	const char *token = req_cookie(p->req,
	    req_cookie_name(p->req, SESSION_COOKIE));
	size_t unread = 0;

	if (token != NULL && auth_session_get(p->db, p->arena, token,
	    &p->session, &p->user) == KW_OK) {
		p->authed = 1;
		p->csrf = p->session.csrf;
		tmpl_set(p->vars, "authed", "1");
		tmpl_set(p->vars, "user_name", p->user.name);
		tmpl_set(p->vars, "org_name", p->user.org_name);
		tmpl_set_bool(p->vars, "is_admin", p->user.role == USER_ADMIN);
		tmpl_set_bool(p->vars, "is_operator", p->user.is_operator);
		/* Due-soon and overdue notices are made when someone looks:
		 * on the routes flagged PAGE_DUE_NOTICES (the inbox), and on
		 * a session's first request of each minute, so the count in
		 * the navigation includes them without a search on every
		 * page. */
		unread = (size_t)p->session.unread;
		if (p->session.touched ||
		    (p->match.route->flags & PAGE_DUE_NOTICES)) {
			if (promise_notify_due(p->db, &p->user) != KW_OK)
				kw_logx("due notices for user %lld not made",
				    p->user.id);
			if (notify_unread_count(p->db, &p->user, &unread) !=
			    KW_OK)
				unread = 0;
		}
		if (unread >= NOTIFY_BADGE_MAX)
			tmpl_setf(p->vars, "inbox_unread", "%d+",
			    NOTIFY_BADGE_MAX - 1);
		else
			tmpl_set_int(p->vars, "inbox_unread", (long long)unread);
	} else
		page_anon_csrf(p);
	tmpl_set(p->vars, "csrf", p->csrf != NULL ? p->csrf : "");
}

/* Route, authenticate, authorise and validate, then call the handler. */
static void
dispatch(struct page *p)
{
	struct req *r = p->req;
	const struct route *rt;
	const struct valid_field *f;
	char allow[64];
	size_t n;
	enum kw_status st;

	st = route_find(routes, sizeof(routes) / sizeof(routes[0]),
	    r->method, r->path, p->arena, &p->match, allow, sizeof(allow));
	if (st == KW_NOMETHOD)
		req_header(r, "Allow", allow);
	if (st != KW_OK) {
		page_error(p, st, st == KW_NOMETHOD ?
		    "This address does not accept that kind of request." :
		    NULL);
		return;
	}
	rt = p->match.route;
	if (rt->fn == page_health) {
		rt->fn(p);
		return;
	}
	if (p->db == NULL) {
		page_error(p, KW_BUSY, "Keepword cannot reach its database "
		    "just now. Please try again in a moment.");
		return;
	}
	load_session(p);
	tmpl_set(p->vars, "notice",
	    page_notice_text(req_query(r, "notice")));
	/* Anonymous visitors are sent to sign in, whatever they asked. */
	if (!(rt->flags & PAGE_PUBLIC) && !p->authed) {
		page_redirect(p, "/login");
		return;
	}
	if (((rt->flags & PAGE_ADMIN) && p->user.role != USER_ADMIN) ||
	    ((rt->flags & PAGE_OPERATOR) && !p->user.is_operator)) {
		page_error(p, KW_FORBIDDEN,
		    "Your role does not allow this page.");
		return;
	}
	if (r->method == REQ_POST && !csrf_ok(p)) {
		page_error(p, KW_FORBIDDEN, "This form has expired or did not "
		    "come from Keepword. Go back, reload the page and try "
		    "again.");
		return;
	}
	if ((f = rt->fields) != NULL) {
		for (n = 0; f[n].name != NULL; n++)
			continue;
		p->vals = arena_xcalloc(p->arena, n, sizeof(*p->vals));
		p->nerrors = valid_fields(p->arena, r->form, r->nform, f, n,
		    p->vals);
	}
	/* A page reads the database as of one moment, with its locks
	 * taken once; a write on the way ends the snapshot. */
	if (r->method != REQ_POST && db_snapshot_begin(p->db) != KW_OK)
		kw_logx("no snapshot for %s", r->path);
	rt->fn(p);
	db_snapshot_end(p->db);
}

static void
handle(const struct req_io *io, void *ud)
{
	struct portal *pt = ud;
	struct req r;
	struct page p;
	enum kw_status st;

	memset(&p, 0, sizeof(p));
	p.conf = &pt->conf;
	p.req = &r;
	p.arena = pt->prog.arena;
	p.db = program_db(&pt->prog);
	p.ctype = "text/html; charset=utf-8";
	st = req_parse(&r, p.arena, io, &pt->prog.limits);
	p.vars = tmpl_vars_new(p.arena);
	if (st != KW_OK)
		page_error(&p, st, st == KW_TOOBIG ?
		    "The request is larger than Keepword accepts." :
		    "The request could not be understood.");
	else
		dispatch(&p);
	req_send(&r, p.ctype);
	buf_free(&r.head);
	buf_free(&r.body);
	arena_reset(p.arena);
}

int
main(int argc, char *argv[])
{
	struct portal pt;
	struct serve_app app;
	tmpl_error err;
	char line[1024];
	int rc;

	kw_log_init(argv[0]);
	/* The route table, for the authorisation matrix test. */
	if (argc == 2 && strcmp(argv[1], "--routes") == 0) {
		route_print(routes, sizeof(routes) / sizeof(routes[0]));
		return 0;
	}
	memset(&pt, 0, sizeof(pt));
	if ((rc = program_args(&pt.prog, "portal", "Serves the Keepword "
	    "portal's HTML pages over FastCGI.", argc, argv)) >= 0)
		return rc;
	pt.conf.base_url = pt.prog.base_url;

	/* Parse every template once, before fork: workers share the pages. */
	if ((pt.conf.tmpl = tmpl_env_new(pt.prog.templates, 0)) == NULL) {
		kw_logx("cannot use template directory %s", pt.prog.templates);
		return 1;
	}
	if (tmpl_preload_dir(pt.conf.tmpl, ".tmpl", &err) != TMPL_OK) {
		tmpl_error_format(&err, line, sizeof(line));
		kw_logx("templates: %s", line);
		tmpl_env_free(pt.conf.tmpl);
		return 1;
	}

	app.worker_init = worker_init;
	app.handle = handle;
	app.worker_fini = worker_fini;
	app.ud = &pt;
	rc = serve_run(&pt.prog.serve, &app);
	tmpl_env_free(pt.conf.tmpl);
	return rc;
}
