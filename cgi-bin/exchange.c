/* exchange.c: the XML API for partner systems, authenticated by API token. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlwriter.h>

#include "account.h"
#include "arena.h"
#include "buf.h"
#include "db.h"
#include "export.h"
#include "feed.h"
#include "import.h"
#include "org.h"
#include "program.h"
#include "req.h"
#include "route.h"
#include "token.h"
#include "xmlin.h"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)		((const xmlChar *)(s))

#define REALM		"Bearer realm=\"keepword\""

/* Route flags. */
#define EX_PUBLIC	0x1u	/* no token needed */
#define EX_WRITE	0x2u	/* a read-write token needed */

/* One request being served (route.h leaves this type to each program). */
struct page {
	struct program		*prog;
	struct req		*req;
	struct db		*db;
	struct route_match	 match;
	struct token		 token;	/* the caller's; id 0 = none */
	struct user		 actor;	/* the token's org, for the core */
	long long		 account_id;	/* the route's :id */
	const char		*ctype;	/* of a streamed response */
	const char		*query;	/* what the audit detail says of the
					   query; "" = nothing */
	int			 cut;	/* failed after the first byte */
};

static void ex_health(struct page *);
static void ex_ledger(struct page *);
static void ex_import(struct page *);
static void ex_review(struct page *);
static void ex_feed(struct page *);

/* Every URL the exchange answers, below /exchange. */
static const struct route routes[] = {
	{ REQ_GET, "/health", ex_health, EX_PUBLIC, NULL },
	{ REQ_GET, "/accounts/:id", ex_ledger, 0, NULL },
	{ REQ_POST, "/accounts/:id", ex_import, EX_WRITE, NULL },
	{ REQ_GET, "/accounts/:id/reviews/:eid", ex_review, 0, NULL },
	{ REQ_GET, "/accounts/:id/feed", ex_feed, 0, NULL },
};

/* The Code of an Error for each status (keepword-exchange-status-1.xsd). */
static const char *const error_codes[KW_STATUS__MAX] = {
	[KW_OK] = "internal",
	[KW_BADREQ] = "bad-request",
	[KW_UNAUTH] = "unauthorized",
	[KW_FORBIDDEN] = "forbidden",
	[KW_NOTFOUND] = "not-found",
	[KW_NOMETHOD] = "method-not-allowed",
	[KW_CONFLICT] = "conflict",
	[KW_TOOBIG] = "too-large",
	[KW_TOOMANY] = "too-many-requests",
	[KW_INTERNAL] = "internal",
	[KW_BUSY] = "unavailable",
};

/* export_sink write: into the response's body. */
static int
body_write(void *ctx, const char *data, size_t len)
{
	struct req *r = ctx;

	return buf_append(&r->body, data, len) == BUF_OK ? 0 : -1;
}

/*
 * Answer status with the document <root xmlns=...><code_el>code</code_el>
 * [<MessageText>text</MessageText>]</root>, written into r->body by
 * export_writer() like every other document of the exchange (a 500 if
 * it cannot be built).
 */
static void
status_doc(struct req *r, int status, const char *root, const char *code_el,
    const char *code, const char *text)
{
	const struct export_sink sink = { body_write, r };
	xmlTextWriterPtr w;
	int rc = -1;

	r->status = status;
	buf_clear(&r->body);
	if ((w = export_writer(&sink)) == NULL)
		goto out;
	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0 &&
	    xmlTextWriterStartElementNS(w, NULL, XC(root),
	    XC(EXPORT_NS)) >= 0 &&
	    xmlTextWriterWriteElement(w, XC(code_el), XC(code)) >= 0 &&
	    (text == NULL || xmlTextWriterWriteElement(w, XC("MessageText"),
	    XC(text)) >= 0) &&
	    xmlTextWriterEndDocument(w) >= 0)
		rc = 0;
	xmlFreeTextWriter(w);	/* flushes the rest into the body */
	if (r->body.status != BUF_OK)
		rc = -1;
out:
	if (rc != 0) {
		r->status = 500;
		buf_clear(&r->body);
	}
}

/* Answer st with an Error saying msg (NULL: the status's text). */
static void
ex_error(struct page *p, enum kw_status st, const char *msg)
{
	if ((int)st <= KW_OK || st >= KW_STATUS__MAX)
		st = KW_INTERNAL;
	status_doc(p->req, kw_status_http(st), "Error", "Code",
	    error_codes[st], msg != NULL ? msg : kw_status_str(st));
}

/* 401 with the Bearer challenge; why (an RFC 6750 error code) or NULL
 * when no token was sent. */
static void
ex_unauthorized(struct page *p, const char *why, const char *msg)
{
	req_header(p->req, "WWW-Authenticate", why == NULL ? REALM :
	    arena_xprintf(p->req->arena, REALM ", error=\"%s\"", why));
	ex_error(p, KW_UNAUTH, msg);
}

/* export_sink write: the response, streamed (the first piece sends the
 * 200 and its headers). */
static int
stream_write(void *ctx, const char *data, size_t len)
{
	struct page *p = ctx;

	return req_stream(p->req, p->ctype, data, len);
}

/*
 * The end of a streamed answer whose core call returned st: nothing to do
 * on KW_OK; before the first byte, an Error (notfound: the message for
 * KW_NOTFOUND, badreq: for KW_BADREQ); after it, the document is cut
 * short, which is logged (and its client sees it is not well-formed).
 */
static void
streamed(struct page *p, enum kw_status st, const char *notfound,
    const char *badreq)
{
	if (st == KW_OK)
		return;
	if (p->req->sent) {
		p->cut = 1;
		kw_logx("exchange: %s %s cut short (%s)", p->req->method_name,
		    p->req->path, kw_status_str(st));
		return;
	}
	ex_error(p, st, st == KW_NOTFOUND ? notfound : st == KW_BADREQ ?
	    badreq : NULL);
}

static void
ex_health(struct page *p)
{
	if (p->db != NULL && db_ping(p->db) == KW_OK)
		status_doc(p->req, 200, "Health", "StatusCode", "ok", NULL);
	else
		status_doc(p->req, 503, "Health", "StatusCode", "unavailable",
		    "The database cannot be reached.");
}

#define NO_ACCOUNT	"No such account, or this token does not reach it."

static void
ex_ledger(struct page *p)
{
	const struct export_sink out = { stream_write, p };
	const char *s = req_query(p->req, "since");
	long long since = 0;
	enum kw_status st;

	if (s != NULL && kw_parse_int(s, 0, LLONG_MAX, &since) !=
	    0) {
		ex_error(p, KW_BADREQ, "since must be a change sequence number "
		    "(0 or more).");
		return;
	}
	if (s != NULL)
		p->query = arena_xprintf(p->req->arena, "?since=%lld", since);
	p->ctype = EXPORT_MIME;
	st = export_ledger(p->db, p->req->arena, &p->actor, p->account_id,
	    since, &out, NULL);
	streamed(p, st, NO_ACCOUNT, "since is beyond the latest change: ask "
	    "with the LastChangeSequenceNumeric of a document you received.");
}

static void
ex_review(struct page *p)
{
	const struct export_sink out = { stream_write, p };
	long long rid = route_id(&p->match, "eid");
	enum kw_status st;

	if (rid == 0) {
		ex_error(p, KW_NOTFOUND, "No such review of this account.");
		return;
	}
	p->ctype = EXPORT_MIME;
	st = export_review(p->db, p->req->arena, &p->actor, p->account_id,
	    rid, &out, NULL);
	streamed(p, st, "No such review of this account.", NULL);
}

static void
ex_feed(struct page *p)
{
	const struct export_sink out = { stream_write, p };
	int side = kw_name_index(account_side_names,
	    req_query(p->req, "side"));
	enum kw_status st;

	if (side < 0) {
		ex_error(p, KW_BADREQ, "side must be buyer or supplier.");
		return;
	}
	p->query = arena_xprintf(p->req->arena, "?side=%s",
	    account_side_names[side]);
	p->ctype = FEED_MIME;
	st = feed_write(p->db, p->req->arena, &p->actor, p->account_id,
	    (enum account_side)side, p->prog->base_url, &out);
	streamed(p, st, NO_ACCOUNT, NULL);
}

/*
 * An AccountLedgerSubmission in the body, applied for the token's org
 * (acting through its owner of the account) by the same rules as the
 * portal, all records or none; the answer is the ImportReport, with the
 * status of its first error.
 */
static void
ex_import(struct page *p)
{
	const struct export_sink out = { stream_write, p };
	struct import_report rep;
	const char *data = NULL;
	size_t len = 0;
	enum kw_status st;

	memset(&rep, 0, sizeof(rep));
	if ((st = req_body(p->req, &data, &len)) != KW_OK)
		import_report_add(&rep, p->req->arena, 0, st, "The request's "
		    "body could not be read whole.");
	else if (len == 0)
		import_report_add(&rep, p->req->arena, 0, KW_BADREQ, "The "
		    "request has no AccountLedgerSubmission in its body.");
	else
		(void)import_document(p->db, p->req->arena, &p->actor,
		    p->account_id, data, len, &rep);
	p->ctype = EXPORT_MIME;
	p->req->status = kw_status_http(rep.status);
	streamed(p, import_report_write(&rep, &out), NULL, NULL);
}

/* The token of an "Authorization: Bearer TOKEN" header, or NULL. */
static const char *
bearer(struct page *p)
{
	const char *h = req_param(p->req, "HTTP_AUTHORIZATION");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	for (h += 7; *h == ' '; h++)
		continue;
	return *h != '\0' ? h : NULL;
}

/*
 * The token of the request, its reach and scope: 0 to go on, or -1 when
 * the request has been answered (401, 404, 403, 503).
 */
static int
authorise(struct page *p)
{
	const char *sent = bearer(p);
	enum kw_status st;

	if (sent == NULL) {
		ex_unauthorized(p, NULL, "Send an API token: Authorization: "
		    "Bearer TOKEN.");
		return -1;
	}
	if (p->db == NULL) {
		ex_error(p, KW_BUSY, "The database cannot be reached just now. "
		    "Please try again in a moment.");
		return -1;
	}
	if ((st = token_check(p->db, p->req->arena, sent, &p->token)) !=
	    KW_OK) {
		if (st != KW_UNAUTH)
			ex_error(p, st, NULL);
		else {
			kw_logx("exchange: refused %s token from %s",
			    p->token.id != 0 ? "a revoked" : "an unknown",
			    p->req->remote_addr);
			ex_unauthorized(p, "invalid_token", "This token is "
			    "not valid: it is unknown, or it was revoked.");
		}
		return -1;
	}
	p->actor.org_id = p->token.org_id;
	if ((p->account_id = route_id(&p->match, "id")) == 0)
		st = KW_NOTFOUND;
	else
		st = token_reaches(p->db, &p->token, p->account_id);
	if (st != KW_OK) {
		ex_error(p, st, st == KW_NOTFOUND ? NO_ACCOUNT : NULL);
		return -1;
	}
	if ((p->match.route->flags & EX_WRITE) &&
	    p->token.scope != TOKEN_READ_WRITE) {
		req_header(p->req, "WWW-Authenticate", REALM
		    ", error=\"insufficient_scope\", scope=\"read-write\"");
		ex_error(p, KW_FORBIDDEN, "This token may only read: writing "
		    "takes a read-write token.");
		return -1;
	}
	return 0;
}

/* Record the call in the token's audit trail: the request and its status
 * (never the token, nor a query beyond what was understood). */
static void
audit_call(struct page *p)
{
	const char *detail;

	if (p->token.id == 0 || p->db == NULL)
		return;
	detail = arena_xprintf(p->req->arena, "%s %s%s%s: %d%s",
	    p->req->method_name, p->req->script, p->req->path, p->query,
	    p->req->status, p->cut ? " (cut short)" : "");
	if (token_call(p->db, &p->token, detail) != KW_OK)
		kw_logx("exchange: the call of token %lld was not recorded: %s",
		    p->token.id, detail);
}

/* Route, authenticate and authorise, then call the handler. */
static void
dispatch(struct page *p)
{
	struct req *r = p->req;
	char allow[64];
	enum kw_status st;

	st = route_find(routes, sizeof(routes) / sizeof(routes[0]),
	    r->method, r->path, r->arena, &p->match, allow, sizeof(allow));
	if (st == KW_NOMETHOD)
		req_header(r, "Allow", allow);
	if (st != KW_OK) {
		ex_error(p, st, st == KW_NOMETHOD ? arena_xprintf(r->arena,
		    "This address accepts %s.", allow) : "No such resource.");
		return;
	}
	if (!(p->match.route->flags & EX_PUBLIC) && authorise(p) != 0)
		return;
	p->match.route->fn(p);
}

static void
handle(const struct req_io *io, void *ud)
{
	struct program *ex = ud;
	struct req r;
	struct page p;
	enum kw_status st;

	memset(&p, 0, sizeof(p));
	p.prog = ex;
	p.req = &r;
	p.query = "";
	st = req_parse(&r, ex->arena, io, &ex->limits);
	p.db = program_db(ex);
	if (st != KW_OK)
		ex_error(&p, st, st == KW_TOOBIG ? "The request is larger than "
		    "Keepword accepts." : "The request could not be read.");
	else
		dispatch(&p);
	req_send(&r, "application/xml; charset=utf-8");
	audit_call(&p);		/* once the answer is on its way */
	buf_free(&r.head);
	buf_free(&r.body);
	arena_reset(ex->arena);
}

static int
worker_init(void *ud)
{
	LIBXML_TEST_VERSION
	/* The safe reader of untrusted XML: its deny-all entity loader and
	 * the schema, compiled once. */
	if (xmlin_init() != 0) {
		kw_logx("exchange: the XML reader cannot start");
		return -1;
	}
	return program_worker_init(ud);
}

static void
worker_fini(void *ud)
{
	program_worker_fini(ud);
	xmlin_fini();
	xmlCleanupParser();
}

int
main(int argc, char *argv[])
{
	struct program ex;
	struct serve_app app;
	int rc;

	kw_log_init(argv[0]);
	/* The route table, for the tests. */
	if (argc == 2 && strcmp(argv[1], "--routes") == 0) {
		route_print(routes, sizeof(routes) / sizeof(routes[0]));
		return 0;
	}
	if ((rc = program_args(&ex, "exchange", "Serves the Keepword XML "
	    "exchange for partner systems over FastCGI.", argc, argv)) >= 0)
		return rc;
	/* An import's XML body is the handler's to read, up to the size the
	 * import takes (a larger one is answered 413 unread). */
	ex.limits.raw_body = 1;
	ex.limits.body_max = XMLIN_MAX;
	app.worker_init = worker_init;
	app.handle = handle;
	app.worker_fini = worker_fini;
	app.ud = &ex;
	return serve_run(&ex.serve, &app);
}
