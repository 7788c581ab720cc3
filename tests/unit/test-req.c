/* test-req.c: unit tests of the request layer, validators and router. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "buf.h"
#include "kw.h"
#include "req.h"
#include "route.h"
#include "valid.h"

/* ---- a request transport in memory ------------------------------------- */

struct fake {
	const char	*const *params;	/* name, value, ..., NULL */
	const char	*body;
	size_t		 bodylen;
	size_t		 pos;		/* body bytes read so far */
	size_t		 chunk;		/* at most this per read; 0 = any */
	struct buf	 out;
};

static const char *
fake_param(void *ud, const char *name)
{
	struct fake *f = ud;
	size_t i;

	for (i = 0; f->params != NULL && f->params[i] != NULL; i += 2)
		if (strcmp(f->params[i], name) == 0)
			return f->params[i + 1];
	return NULL;
}

static long
fake_read(void *ud, char *dst, size_t n)
{
	struct fake *f = ud;
	size_t left = f->bodylen - f->pos;

	if (n > left)
		n = left;
	if (f->chunk != 0 && n > f->chunk)
		n = f->chunk;
	memcpy(dst, f->body + f->pos, n);
	f->pos += n;
	return (long)n;
}

static int
fake_write(void *ud, const void *p, size_t n)
{
	struct fake *f = ud;

	return buf_append(&f->out, p, n) == BUF_OK ? 0 : -1;
}

static void
fake_init(struct fake *f, struct req_io *io, const char *const *params,
    const char *body)
{
	memset(f, 0, sizeof(*f));
	f->params = params;
	f->body = body != NULL ? body : "";
	f->bodylen = strlen(f->body);
	buf_init(&f->out, 0, 0);
	io->param = fake_param;
	io->read = fake_read;
	io->write = fake_write;
	io->ud = f;
}

/* Per-test state: an arena, a fake transport and a request. */
struct t {
	struct arena	*a;
	struct fake	 f;
	struct req_io	 io;
	struct req	 r;
};

static int
setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->a = arena_new(16 * 1024, 0)) == NULL)
		return -1;
	buf_init(&t->f.out, 0, 0);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	buf_free(&t->r.head);
	buf_free(&t->r.body);
	buf_free(&t->f.out);
	arena_free(t->a);
	free(t);
	return 0;
}

/* req_parse() over the fake transport. */
static enum kw_status
parse(struct t *t, const char *const *params, const char *body,
    const struct req_limits *lim)
{
	fake_init(&t->f, &t->io, params, body);
	return req_parse(&t->r, t->a, &t->io, lim);
}

/* A GET request with nothing set, ready for building a response. */
static void
plain_get(struct t *t, int https)
{
	static const char *const p[] = { "REQUEST_METHOD", "GET",
	    "PATH_INFO", "/", NULL };
	static const char *const ps[] = { "REQUEST_METHOD", "GET",
	    "PATH_INFO", "/", "HTTPS", "on", NULL };

	assert_int_equal(parse(t, https ? ps : p, NULL, NULL), KW_OK);
}

static enum kw_status
form(struct t *t, const char *s, const struct req_limits *lim,
    struct req_pair **pairs, size_t *n)
{
	return req_parse_urlencoded(t->a, s, strlen(s), lim, pairs, n);
}

/* ---- urlencoded ------------------------------------------------------------ */

static void
test_form_good(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(form(t, "a=1&name=J%C3%BCrgen&empty=", NULL, &p, &n),
	    KW_OK);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].key, "a");
	assert_string_equal(p[0].val, "1");
	assert_string_equal(p[1].key, "name");
	assert_string_equal(p[1].val, "J\xc3\xbcrgen");
	assert_int_equal(p[1].vallen, 7);
	assert_string_equal(p[2].val, "");
}

static void
test_form_plus_is_space(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(form(t, "q=a+b%2Bc&x+y=1", NULL, &p, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].val, "a b+c");
	assert_string_equal(p[1].key, "x y");
}

static void
test_form_bad_encoding(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(form(t, "a=%zz", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%4", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a%g1=1", NULL, &p, &n), KW_BADREQ);
}

static void
test_form_nul_escape(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(form(t, "a=x%00y", NULL, &p, &n), KW_BADREQ);
}

static void
test_form_raw_nul(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(req_parse_urlencoded(t->a, "a=x\0y", 5, NULL, &p,
	    &n), KW_BADREQ);
}

static void
test_form_invalid_utf8(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(form(t, "a=%C3%28", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%C0%AF", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%ED%A0%80", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%F4%90%80%80", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%E2%82", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=\xff", NULL, &p, &n), KW_BADREQ);
	assert_int_equal(form(t, "a=%F0%9F%98%80", NULL, &p, &n), KW_OK);
}

static void
test_form_too_many_fields(void **state)
{
	struct t *t = *state;
	struct req_limits lim;
	struct req_pair *p;
	size_t n;

	req_limits_default(&lim);
	lim.fields_max = 3;
	assert_int_equal(form(t, "a=1&b=2&c=3", &lim, &p, &n), KW_OK);
	assert_int_equal(form(t, "a=1&b=2&c=3&d=4", &lim, &p, &n),
	    KW_TOOBIG);
}

static void
test_form_value_too_long(void **state)
{
	struct t *t = *state;
	struct req_limits lim;
	struct req_pair *p;
	size_t n;

	req_limits_default(&lim);
	lim.field_max = 4;
	assert_int_equal(form(t, "a=abcd", &lim, &p, &n), KW_OK);
	assert_int_equal(form(t, "a=abcde", &lim, &p, &n), KW_TOOBIG);
	assert_int_equal(form(t, "a=%41%41%41%41", &lim, &p, &n), KW_OK);
	assert_int_equal(form(t, "abcde=1", &lim, &p, &n), KW_TOOBIG);
}

static void
test_form_empty_pairs_skipped(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	assert_int_equal(form(t, "&&a=1&&=x&b&", NULL, &p, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].key, "a");
	assert_string_equal(p[1].key, "b");
	assert_string_equal(p[1].val, "");
	assert_int_equal(form(t, "", NULL, &p, &n), KW_OK);
	assert_int_equal(n, 0);
	assert_null(p);
}

static void
test_form_duplicate_first_wins(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "GET",
	    "QUERY_STRING", "id=1&id=2", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_int_equal(t->r.nquery, 2);
	assert_string_equal(req_query(&t->r, "id"), "1");
	assert_null(req_query(&t->r, "nope"));
}

/* ---- cookies --------------------------------------------------------------- */

static void
test_cookies_parsed(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	req_parse_cookies(t->a, "a=1; b=two;c=\"q\" ;  d = 4 ", &p, &n);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].key, "a");
	assert_string_equal(p[0].val, "1");
	assert_string_equal(p[1].val, "two");
	assert_string_equal(p[2].val, "q");
	assert_string_equal(p[3].key, "d");
	assert_string_equal(p[3].val, "4");
}

static void
test_cookies_malformed_skipped(void **state)
{
	struct t *t = *state;
	struct req_pair *p;
	size_t n;

	req_parse_cookies(t->a, "noeq; =x; a b=1; bad=x\x01y; sp=a b; "
	    "hi=\xc3\xa9; good=yes;", &p, &n);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].key, "good");
	req_parse_cookies(t->a, "", &p, &n);
	assert_int_equal(n, 0);
	req_parse_cookies(t->a, NULL, &p, &n);
	assert_int_equal(n, 0);
}

static void
test_cookie_lookup_first_wins(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "GET",
	    "HTTP_COOKIE", "s=first; s=second", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_string_equal(req_cookie(&t->r, "s"), "first");
	assert_null(req_cookie(&t->r, "x"));
}

/* ---- response headers and cookies -------------------------------------- */

static void
test_header_added(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_header(&t->r, "X-Test", "a value"), 0);
	assert_string_equal(buf_str(&t->r.head), "X-Test: a value\r\n");
}

static void
test_header_rejects_crlf(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_header(&t->r, "X-Test", "a\r\nSet-Cookie: x=1"),
	    -1);
	assert_int_equal(req_header(&t->r, "X-Test", "a\nb"), -1);
	assert_int_equal(req_header(&t->r, "X-Test", "a\rb"), -1);
	assert_int_equal(req_header(&t->r, "X-Test", "a\x01"), -1);
	assert_int_equal(req_header(&t->r, "X-Te\r\nst", "a"), -1);
	assert_int_equal(req_header(&t->r, "X Test", "a"), -1);
	assert_int_equal(req_header(&t->r, "", "a"), -1);
	assert_int_equal(t->r.head.len, 0);
}

static void
test_cookie_flags_http(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_set_cookie(&t->r, "sid", "abc", 0,
	    REQ_COOKIE_HTTPONLY), 0);
	assert_string_equal(buf_str(&t->r.head), "Set-Cookie: sid=abc; "
	    "Path=/; SameSite=Lax; HttpOnly\r\n");
	assert_string_equal(req_cookie_name(&t->r, "sid"), "sid");
}

static void
test_cookie_flags_https(void **state)
{
	struct t *t = *state;

	plain_get(t, 1);
	assert_int_equal(req_set_cookie(&t->r, "sid", "abc", 3600,
	    REQ_COOKIE_HTTPONLY), 0);
	assert_string_equal(buf_str(&t->r.head), "Set-Cookie: __Host-sid=abc; "
	    "Path=/; SameSite=Lax; Max-Age=3600; Secure; HttpOnly\r\n");
	assert_string_equal(req_cookie_name(&t->r, "sid"), "__Host-sid");
}

static void
test_cookie_delete(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_set_cookie(&t->r, "sid", "", -1, 0), 0);
	assert_non_null(strstr(buf_str(&t->r.head), "sid=; Path=/; "
	    "SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970"));
}

static void
test_cookie_bad_value_rejected(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_set_cookie(&t->r, "sid", "a;b", 0, 0), -1);
	assert_int_equal(req_set_cookie(&t->r, "sid", "a b", 0, 0), -1);
	assert_int_equal(req_set_cookie(&t->r, "sid", "a\r\nb", 0, 0), -1);
	assert_int_equal(req_set_cookie(&t->r, "s;d", "a", 0, 0), -1);
	assert_int_equal(t->r.head.len, 0);
}

static void
test_redirect_303(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_redirect(&t->r, "https://kw.example/",
	    "/accounts/7?notice=x"), 0);
	assert_int_equal(t->r.status, 303);
	assert_string_equal(buf_str(&t->r.head),
	    "Location: https://kw.example/accounts/7?notice=x\r\n");
}

static void
test_redirect_rejects_offsite(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	assert_int_equal(req_redirect(&t->r, "https://kw.example",
	    "//evil.example/"), -1);
	assert_int_equal(req_redirect(&t->r, "https://kw.example",
	    "/\\evil.example/"), -1);
	assert_int_equal(req_redirect(&t->r, "https://kw.example",
	    "https://evil.example/"), -1);
	assert_int_equal(req_redirect(&t->r, "https://kw.example",
	    "/x\r\nSet-Cookie: a=b"), -1);
	assert_int_equal(t->r.status, 200);
	assert_int_equal(t->r.head.len, 0);
}

/* ---- req_send ---------------------------------------------------------- */

static void
test_send_status_line(void **state)
{
	struct t *t = *state;
	const char *out;

	plain_get(t, 0);
	t->r.status = 404;
	buf_puts(&t->r.body, "gone");
	assert_int_equal(req_send(&t->r, "text/plain; charset=utf-8"), 0);
	out = buf_str(&t->f.out);
	assert_true(strncmp(out, "Status: 404 Not Found\r\n", 23) == 0);
	assert_non_null(strstr(out, "\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\n"));
	assert_non_null(strstr(out, "\r\nContent-Length: 4\r\n"));
	assert_non_null(strstr(out, "\r\n\r\ngone"));
	assert_int_equal(strlen(strstr(out, "\r\n\r\n")), 8);
}

static void
test_send_security_headers(void **state)
{
	struct t *t = *state;
	const char *out;

	plain_get(t, 0);
	req_header(&t->r, "X-Extra", "1");
	assert_int_equal(req_send(&t->r, NULL), 0);
	out = buf_str(&t->f.out);
	assert_non_null(strstr(out, "\r\nContent-Security-Policy: "
	    "default-src 'self'; script-src 'self'; style-src 'self'; "
	    "img-src 'self' data:; form-action 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'"));
	assert_non_null(strstr(out, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(out, "\r\nReferrer-Policy: same-origin\r\n"));
	assert_non_null(strstr(out, "\r\nX-Frame-Options: DENY\r\n"));
	assert_non_null(strstr(out, "\r\nCache-Control: no-store\r\n"));
	assert_non_null(strstr(out, "\r\nContent-Type: text/html; "
	    "charset=utf-8\r\n"));
	assert_non_null(strstr(out, "\r\nX-Extra: 1\r\n\r\n"));
	assert_null(strstr(out, "Strict-Transport-Security"));
}

static void
test_send_hsts_over_https(void **state)
{
	struct t *t = *state;

	plain_get(t, 1);
	assert_int_equal(req_send(&t->r, NULL), 0);
	assert_non_null(strstr(buf_str(&t->f.out),
	    "\r\nStrict-Transport-Security: max-age=31536000; "
	    "includeSubDomains\r\n"));
}

static void
test_send_own_cache_control_kept(void **state)
{
	struct t *t = *state;
	const char *out;

	plain_get(t, 0);
	req_header(&t->r, "Cache-Control", "public, max-age=60");
	assert_int_equal(req_send(&t->r, NULL), 0);
	out = buf_str(&t->f.out);
	assert_null(strstr(out, "no-store"));
	assert_non_null(strstr(out, "Cache-Control: public, max-age=60\r\n"));
}

static void
test_send_head_has_no_body(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "HEAD",
	    "PATH_INFO", "/", NULL };
	struct t *t = *state;
	const char *out;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_int_equal(t->r.method, REQ_HEAD);
	buf_puts(&t->r.body, "hello");
	assert_int_equal(req_send(&t->r, NULL), 0);
	out = buf_str(&t->f.out);
	assert_non_null(strstr(out, "\r\nContent-Length: 5\r\n"));
	assert_string_equal(strstr(out, "\r\n\r\n"), "\r\n\r\n");
}

static void
test_send_only_once(void **state)
{
	struct t *t = *state;
	size_t len;

	plain_get(t, 0);
	assert_int_equal(req_send(&t->r, NULL), 0);
	len = t->f.out.len;
	assert_int_equal(req_send(&t->r, NULL), 0);
	assert_int_equal(t->f.out.len, len);
}

static void
test_send_failed_body_is_500(void **state)
{
	struct t *t = *state;
	const char *out;

	plain_get(t, 0);
	t->r.body.max = 4;
	buf_puts(&t->r.body, "too long");
	assert_int_equal(req_send(&t->r, NULL), 0);
	out = buf_str(&t->f.out);
	assert_true(strncmp(out, "Status: 500 Internal Server Error\r\n",
	    35) == 0);
	assert_non_null(strstr(out, "X-Content-Type-Options: nosniff"));
}

/* ---- routes ---------------------------------------------------------------- */

static void h_a(struct page *p) { (void)p; }
static void h_b(struct page *p) { (void)p; }

static const struct route routes[] = {
	{ REQ_GET, "/", h_a, 0, NULL },
	{ REQ_GET, "/login", h_a, 0, NULL },
	{ REQ_POST, "/login", h_b, 0, NULL },
	{ REQ_GET, "/accounts/:id", h_a, 0, NULL },
	{ REQ_POST, "/org/users/:id/password", h_b, 0, NULL },
	{ REQ_GET, "/a/:x/b/:y", h_a, 0, NULL },
	{ REQ_POST, "/only-post", h_b, 0, NULL },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static enum kw_status
find(struct t *t, enum req_method m, const char *path,
    struct route_match *rm, char *allow, size_t allowlen)
{
	return route_find(routes, NROUTES, m, path, t->a, rm, allow,
	    allowlen);
}

static void
test_route_literal(void **state)
{
	struct t *t = *state;
	struct route_match m;

	assert_int_equal(find(t, REQ_GET, "/login", &m, NULL, 0), KW_OK);
	assert_ptr_equal(m.route, &routes[1]);
	assert_int_equal(find(t, REQ_POST, "/login", &m, NULL, 0), KW_OK);
	assert_ptr_equal(m.route, &routes[2]);
	assert_int_equal(find(t, REQ_GET, "/", &m, NULL, 0), KW_OK);
	assert_ptr_equal(m.route, &routes[0]);
}

static void
test_route_placeholders(void **state)
{
	struct t *t = *state;
	struct route_match m;

	assert_int_equal(find(t, REQ_GET, "/accounts/42", &m, NULL, 0), KW_OK);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(route_param(&m, "id"), "42");
	assert_null(route_param(&m, "other"));
	assert_int_equal(find(t, REQ_POST, "/org/users/7/password", &m, NULL,
	    0), KW_OK);
	assert_string_equal(route_param(&m, "id"), "7");
	assert_int_equal(find(t, REQ_GET, "/a/x-1/b/Y_2", &m, NULL, 0), KW_OK);
	assert_string_equal(route_param(&m, "x"), "x-1");
	assert_string_equal(route_param(&m, "y"), "Y_2");
}

static void
test_route_placeholder_rejects_bad_segment(void **state)
{
	struct t *t = *state;
	struct route_match m;

	assert_int_equal(find(t, REQ_GET, "/accounts/", &m, NULL, 0),
	    KW_NOTFOUND);
	assert_int_equal(find(t, REQ_GET, "/accounts/4.2", &m, NULL, 0),
	    KW_NOTFOUND);
	assert_int_equal(find(t, REQ_GET, "/accounts/%2e", &m, NULL, 0),
	    KW_NOTFOUND);
	assert_int_equal(find(t, REQ_GET, "/accounts/1/2", &m, NULL, 0),
	    KW_NOTFOUND);
}

static void
test_route_not_found(void **state)
{
	struct t *t = *state;
	struct route_match m;
	char allow[64] = "junk";

	assert_int_equal(find(t, REQ_GET, "/nope", &m, allow, sizeof(allow)),
	    KW_NOTFOUND);
	assert_null(m.route);
	assert_string_equal(allow, "");
	assert_int_equal(find(t, REQ_GET, "", &m, NULL, 0), KW_NOTFOUND);
	assert_int_equal(find(t, REQ_GET, "login", &m, NULL, 0), KW_NOTFOUND);
}

static void
test_route_trailing_slash_not_matched(void **state)
{
	struct t *t = *state;
	struct route_match m;

	assert_int_equal(find(t, REQ_GET, "/login/", &m, NULL, 0),
	    KW_NOTFOUND);
	assert_int_equal(find(t, REQ_GET, "//login", &m, NULL, 0),
	    KW_NOTFOUND);
}

static void
test_route_405_allow(void **state)
{
	struct t *t = *state;
	struct route_match m;
	char allow[64];

	assert_int_equal(find(t, REQ_GET, "/only-post", &m, allow,
	    sizeof(allow)), KW_NOMETHOD);
	assert_string_equal(allow, "POST");
	assert_int_equal(find(t, REQ_OTHER, "/login", &m, allow,
	    sizeof(allow)), KW_NOMETHOD);
	assert_string_equal(allow, "GET, HEAD, POST");
	assert_int_equal(find(t, REQ_POST, "/accounts/1", &m, allow,
	    sizeof(allow)), KW_NOMETHOD);
	assert_string_equal(allow, "GET, HEAD");
	/* Too small a buffer truncates at a whole method. */
	assert_int_equal(find(t, REQ_OTHER, "/login", &m, allow, 10),
	    KW_NOMETHOD);
	assert_string_equal(allow, "GET, HEAD");
}

static void
test_route_head_answered_by_get(void **state)
{
	struct t *t = *state;
	struct route_match m;

	assert_int_equal(find(t, REQ_HEAD, "/accounts/3", &m, NULL, 0), KW_OK);
	assert_ptr_equal(m.route, &routes[3]);
	assert_string_equal(route_param(&m, "id"), "3");
	assert_int_equal(find(t, REQ_HEAD, "/only-post", &m, NULL, 0),
	    KW_NOMETHOD);
}

/* ---- validators -------------------------------------------------------------- */

/* Validate one field against one pair; returns the outcome. */
static struct valid_value
check(struct t *t, const struct valid_field *f, const char *val)
{
	struct req_pair p = { f->name, val, val != NULL ? strlen(val) : 0 };
	struct valid_value v;

	valid_fields(t->a, &p, val != NULL ? 1 : 0, f, 1, &v);
	return v;
}

static void
test_valid_line(void **state)
{
	static const struct valid_field f = { .name = "title",
	    .kind = VALID_LINE, .flags = VALID_REQUIRED, .label = "Title" };
	struct t *t = *state;
	struct valid_value v;
	char big[202];

	v = check(t, &f, "  Quarterly review \t");
	assert_null(v.error);
	assert_string_equal(v.s, "Quarterly review");
	assert_string_equal(v.raw, "  Quarterly review \t");
	assert_true(v.present);
	v = check(t, &f, "two\nlines");
	assert_string_equal(v.error, "Title contains characters that are "
	    "not allowed.");
	assert_null(v.s);
	memset(big, 'x', 201);
	big[201] = '\0';
	v = check(t, &f, big);
	assert_string_equal(v.error, "Title must be at most 200 characters.");
	big[200] = '\0';
	assert_null(check(t, &f, big).error);
}

static void
test_valid_required(void **state)
{
	static const struct valid_field f = { .name = "title",
	    .kind = VALID_LINE, .flags = VALID_REQUIRED, .label = "Title" };
	static const struct valid_field g = { .name = "nick",
	    .kind = VALID_LINE, .flags = VALID_REQUIRED };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, NULL);
	assert_string_equal(v.error, "Title is required.");
	assert_false(v.present);
	assert_string_equal(v.raw, "");
	v = check(t, &f, "   ");
	assert_string_equal(v.error, "Title is required.");
	assert_true(v.present);
	assert_string_equal(check(t, &g, NULL).error, "nick is required.");
}

static void
test_valid_optional_absent(void **state)
{
	static const struct valid_field f = { .name = "note",
	    .kind = VALID_INT, .label = "Note" };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, NULL);
	assert_null(v.error);
	assert_null(v.s);
	v = check(t, &f, "");
	assert_null(v.error);
	assert_null(v.s);
}

static void
test_valid_undeclared_ignored(void **state)
{
	static const struct valid_field f[] = {
		{ .name = "a", .kind = VALID_LINE },
		{ .name = "b", .kind = VALID_LINE },
	};
	static const struct req_pair p[] = {
		{ "evil", "\x01", 1 }, { "b", "2", 1 }, { "b", "3", 1 },
	};
	struct t *t = *state;
	struct valid_value v[2];

	assert_int_equal(valid_fields(t->a, p, 3, f, 2, v), 0);
	assert_null(v[0].s);
	assert_string_equal(v[1].s, "2");
}

static void
test_valid_text(void **state)
{
	static const struct valid_field f = { .name = "body",
	    .kind = VALID_TEXT, .label = "Notes", .maxlen = 13 };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, "\r\none\r\ntwo\rthree\t\n");
	assert_null(v.error);
	assert_string_equal(v.s, "one\ntwo\nthree");
	v = check(t, &f, "bell\x07");
	assert_non_null(v.error);
	v = check(t, &f, "0123456789abcd");
	assert_string_equal(v.error, "Notes must be at most 13 characters.");
}

static void
test_valid_email(void **state)
{
	static const struct valid_field f = { .name = "email",
	    .kind = VALID_EMAIL, .label = "Email" };
	static const char *const bad[] = { "plain", "a@b", "@example.com",
	    "a@@example.com", "a@b@example.com", "a..b@example.com",
	    ".a@example.com", "a.@example.com", "a@-example.com",
	    "a@example-.com", "a@example..com", "a@.example.com",
	    "a b@example.com", "a@exa mple.com", "a@example.com.",
	    "a\"b@example.com", "a@ex_ample.com", NULL };
	struct t *t = *state;
	struct valid_value v;
	char big[300];
	size_t i;

	v = check(t, &f, "  Jane.Doe+kw@Example.COM ");
	assert_null(v.error);
	assert_string_equal(v.s, "jane.doe+kw@example.com");
	for (i = 0; bad[i] != NULL; i++) {
		v = check(t, &f, bad[i]);
		if (v.error == NULL)
			fail_msg("accepted %s", bad[i]);
		assert_null(v.s);
	}
	assert_string_equal(check(t, &f, "x").error, "Email must be an email "
	    "address like name@example.com.");
	memset(big, 'a', sizeof(big));
	memcpy(big + 240, "@example.com", 13);
	assert_non_null(check(t, &f, big).error);
}

static void
test_valid_int(void **state)
{
	static const struct valid_field f = { .name = "n", .kind = VALID_INT,
	    .min = -5, .max = 10, .label = "Count" };
	static const struct valid_field any = { .name = "n",
	    .kind = VALID_INT, .label = "Count" };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, "-5");
	assert_null(v.error);
	assert_int_equal(v.i, -5);
	assert_int_equal(check(t, &f, " 10 ").i, 10);
	assert_string_equal(check(t, &f, "11").error,
	    "Count must be between -5 and 10.");
	assert_string_equal(check(t, &f, "1x").error,
	    "Count must be a whole number.");
	assert_non_null(check(t, &f, "+1").error);
	assert_non_null(check(t, &f, "1.0").error);
	assert_non_null(check(t, &f, "-").error);
	assert_non_null(check(t, &any, "9223372036854775808").error);
	assert_int_equal(check(t, &any, "-9223372036854775808").i, INT64_MIN);
}

static void
test_valid_id(void **state)
{
	static const struct valid_field f = { .name = "id", .kind = VALID_ID,
	    .label = "Account" };
	struct t *t = *state;

	assert_int_equal(check(t, &f, "7").i, 7);
	assert_null(check(t, &f, "9223372036854775807").error);
	assert_string_equal(check(t, &f, "0").error,
	    "Account is not a valid choice.");
	assert_non_null(check(t, &f, "-1").error);
	assert_non_null(check(t, &f, "9223372036854775808").error);
	assert_non_null(check(t, &f, "0x10").error);
}

static void
test_valid_date(void **state)
{
	static const struct valid_field f = { .name = "d", .kind = VALID_DATE,
	    .label = "Start date" };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, "2024-02-29");
	assert_null(v.error);
	assert_string_equal(v.s, "2024-02-29");
	assert_int_equal(v.i, 1709164800);
	assert_string_equal(check(t, &f, "2023-02-29").error,
	    "Enter a date as YYYY-MM-DD.");
	assert_non_null(check(t, &f, "29/02/2024").error);
	assert_non_null(check(t, &f, "2024-2-9").error);
}

static void
test_valid_enum(void **state)
{
	static const char *const roles[] = { "member", "admin", NULL };
	static const struct valid_field f = { .name = "role",
	    .kind = VALID_ENUM, .choices = roles, .label = "Role" };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, "admin");
	assert_null(v.error);
	assert_int_equal(v.i, 1);
	assert_string_equal(v.s, "admin");
	assert_string_equal(check(t, &f, "Admin").error,
	    "Role is not one of the choices.");
	assert_non_null(check(t, &f, "root").error);
}

static void
test_valid_password(void **state)
{
	static const struct valid_field f = { .name = "pw",
	    .kind = VALID_PASSWORD, .flags = VALID_REQUIRED,
	    .label = "Password" };
	struct t *t = *state;
	struct valid_value v;
	char big[1026];

	v = check(t, &f, " spaces kept ");
	assert_null(v.error);
	assert_string_equal(v.s, " spaces kept ");
	assert_string_equal(check(t, &f, "short").error,
	    "Password must be at least 8 characters.");
	assert_non_null(check(t, &f, "long enough\n").error);
	memset(big, 'p', 1025);
	big[1025] = '\0';
	assert_string_equal(check(t, &f, big).error,
	    "Password must be at most 1024 characters.");
	assert_string_equal(check(t, &f, NULL).error, "Password is required.");
}

static void
test_valid_bool(void **state)
{
	static const struct valid_field f = { .name = "agree",
	    .kind = VALID_BOOL, .label = "Agree" };
	struct t *t = *state;
	struct valid_value v;

	v = check(t, &f, "on");
	assert_null(v.error);
	assert_int_equal(v.i, 1);
	v = check(t, &f, NULL);
	assert_null(v.error);
	assert_int_equal(v.i, 0);
}

static void
test_valid_invalid_utf8(void **state)
{
	static const struct valid_field f = { .name = "t",
	    .kind = VALID_LINE, .label = "Title" };
	struct t *t = *state;

	assert_non_null(check(t, &f, "a\xc3(").error);
	assert_null(check(t, &f, "\xc3\xa9t\xc3\xa9").error);
}

/* ---- req_parse through the fake transport ------------------------------- */

static void
test_parse_get(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "GET",
	    "PATH_INFO", "/accounts/3", "SCRIPT_NAME", "/kw",
	    "QUERY_STRING", "tab=open&q=a%20b", "HTTP_COOKIE", "sid=xyz",
	    "REMOTE_ADDR", "127.0.0.1", "REQUEST_SCHEME", "https",
	    "HTTP_SEC_FETCH_SITE", "same-origin", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_int_equal(t->r.method, REQ_GET);
	assert_string_equal(t->r.method_name, "GET");
	assert_string_equal(t->r.path, "/accounts/3");
	assert_string_equal(t->r.script, "/kw");
	assert_string_equal(t->r.remote_addr, "127.0.0.1");
	assert_string_equal(t->r.content_type, "");
	assert_null(t->r.origin);
	assert_true(t->r.https);
	assert_string_equal(req_query(&t->r, "q"), "a b");
	assert_string_equal(req_cookie(&t->r, "sid"), "xyz");
	assert_string_equal(req_param(&t->r, "HTTP_SEC_FETCH_SITE"),
	    "same-origin");
	assert_null(req_param(&t->r, "HTTP_NOPE"));
	assert_int_equal(t->r.nform, 0);
	assert_int_equal(t->r.status, 200);
}

static void
test_parse_defaults(void **state)
{
	static const char *const params[] = { NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_int_equal(t->r.method, REQ_GET);
	assert_string_equal(t->r.path, "/");
	assert_string_equal(t->r.script, "");
	assert_false(t->r.https);
}

static void
test_parse_other_method(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "PUT",
	    "PATH_INFO", "/x", "CONTENT_LENGTH", "3", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, "abc", NULL), KW_OK);
	assert_int_equal(t->r.method, REQ_OTHER);
	assert_string_equal(t->r.method_name, "PUT");
	assert_int_equal(t->f.pos, 0);
}

static void
test_parse_post_form(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "PATH_INFO", "/login", "CONTENT_TYPE",
	    "application/x-www-form-urlencoded", "CONTENT_LENGTH", "36",
	    "HTTP_ORIGIN", "https://kw.example", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params,
	    "email=a%40b.example&password=p+w&x=1", NULL), KW_OK);
	assert_int_equal(t->r.method, REQ_POST);
	assert_int_equal(t->r.nform, 3);
	assert_string_equal(req_form(&t->r, "email"), "a@b.example");
	assert_string_equal(req_form(&t->r, "password"), "p w");
	assert_string_equal(t->r.origin, "https://kw.example");
}

static void
test_parse_post_form_in_small_reads(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
	    "CONTENT_LENGTH", "11", NULL };
	struct t *t = *state;

	fake_init(&t->f, &t->io, params, "a=1&bb=22&c");
	t->f.chunk = 2;
	assert_int_equal(req_parse(&t->r, t->a, &t->io, NULL), KW_OK);
	assert_int_equal(t->r.nform, 3);
	assert_string_equal(req_form(&t->r, "bb"), "22");
}

static void
test_parse_body_over_limit_not_read(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "11", NULL };
	struct t *t = *state;
	struct req_limits lim;

	req_limits_default(&lim);
	lim.body_max = 10;
	assert_int_equal(parse(t, params, "a=123456789", &lim), KW_TOOBIG);
	assert_int_equal(t->f.pos, 0);
	/* The request can still answer. */
	t->r.status = 413;
	assert_int_equal(req_send(&t->r, NULL), 0);
	assert_true(strncmp(buf_str(&t->f.out), "Status: 413 ", 12) == 0);
}

static void
test_parse_content_length_overflow(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "184467440737095516160000", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, "a=1", NULL), KW_TOOBIG);
	assert_int_equal(t->f.pos, 0);
}

static void
test_parse_content_length_malformed(void **state)
{
	static const char *const p1[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "3x", NULL };
	static const char *const p2[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "-3", NULL };
	static const char *const p3[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", " 3", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, p1, "a=1", NULL), KW_BADREQ);
	buf_free(&t->r.head);
	buf_free(&t->r.body);
	assert_int_equal(parse(t, p2, "a=1", NULL), KW_BADREQ);
	buf_free(&t->r.head);
	buf_free(&t->r.body);
	assert_int_equal(parse(t, p3, "a=1", NULL), KW_BADREQ);
}

static void
test_parse_short_body(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "10", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, "a=1", NULL), KW_BADREQ);
	assert_int_equal(t->r.nform, 0);
}

static void
test_parse_reads_only_declared_length(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "3", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, "a=1&b=2", NULL), KW_OK);
	assert_int_equal(t->f.pos, 3);
	assert_int_equal(t->r.nform, 1);
	assert_null(req_form(&t->r, "b"));
}

static void
test_parse_wrong_content_type(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "multipart/form-data; boundary=x",
	    "CONTENT_LENGTH", "3", NULL };
	static const char *const p2[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencodedX",
	    "CONTENT_LENGTH", "3", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, "a=1", NULL), KW_BADREQ);
	assert_int_equal(t->f.pos, 0);
	buf_free(&t->r.head);
	buf_free(&t->r.body);
	assert_int_equal(parse(t, p2, "a=1", NULL), KW_BADREQ);
}

static void
test_parse_empty_post(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_LENGTH", "", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_int_equal(t->r.nform, 0);
}

static void
test_parse_bad_form_body(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "POST",
	    "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "6", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, "a=%zz1", NULL), KW_BADREQ);
	assert_int_equal(t->r.nform, 0);
	assert_null(req_form(&t->r, "a"));
}

static void
test_parse_bad_query(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "GET",
	    "QUERY_STRING", "a=%ff", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_BADREQ);
	assert_int_equal(t->r.nquery, 0);
	t->r.status = 400;
	assert_int_equal(req_send(&t->r, NULL), 0);
	assert_true(strncmp(buf_str(&t->f.out), "Status: 400 Bad Request\r\n",
	    25) == 0);
}

static void
test_parse_path_with_control_char(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "GET",
	    "PATH_INFO", "/a\nb", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_BADREQ);
	assert_string_equal(t->r.path, "/");
}

static void
test_utf8_validator(void **state)
{
	(void)state;
	assert_true(req_utf8_valid("", 0));
	assert_true(req_utf8_valid("\xf4\x8f\xbf\xbf", 4));
	assert_false(req_utf8_valid("\xf4\x90\x80\x80", 4));
	assert_false(req_utf8_valid("\xe0\x80\xaf", 3));
	assert_false(req_utf8_valid("\xc1\xbf", 2));
	assert_false(req_utf8_valid("\x80", 1));
	assert_false(req_utf8_valid("\xf8\x88\x80\x80\x80", 5));
}

/* ---- req_stream ------------------------------------------------------- */

/* A transport write that fails from the nth call on (1-based). */
static int fail_from;
static int fail_calls;

static int
failing_write(void *ud, const void *p, size_t n)
{
	if (++fail_calls >= fail_from)
		return -1;
	return fake_write(ud, p, n);
}

static void
test_stream_head_then_pieces(void **state)
{
	struct t *t = *state;
	const char *out;

	plain_get(t, 0);
	req_header(&t->r, "X-Extra", "1");
	assert_int_equal(req_stream(&t->r, "application/xml; charset=utf-8",
	    "<a>", 3), 0);
	assert_int_equal(req_stream(&t->r, NULL, "</a>", 4), 0);
	out = buf_str(&t->f.out);
	assert_true(strncmp(out, "Status: 200 OK\r\n", 16) == 0);
	assert_non_null(strstr(out, "\r\nContent-Type: application/xml; "
	    "charset=utf-8\r\n"));
	assert_null(strstr(out, "Content-Length"));
	assert_non_null(strstr(out, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(out, "\r\nCache-Control: no-store\r\n"));
	assert_non_null(strstr(out, "\r\nX-Extra: 1\r\n\r\n<a></a>"));
	assert_string_equal(strstr(out, "\r\n\r\n"), "\r\n\r\n<a></a>");
}

static void
test_stream_then_send_writes_nothing(void **state)
{
	struct t *t = *state;
	size_t len;

	plain_get(t, 0);
	assert_int_equal(req_stream(&t->r, NULL, "x", 1), 0);
	len = t->f.out.len;
	t->r.status = 500;
	buf_puts(&t->r.body, "oops");
	assert_int_equal(req_send(&t->r, NULL), 0);
	assert_int_equal(t->f.out.len, len);
}

static void
test_stream_after_send_fails(void **state)
{
	struct t *t = *state;
	size_t len;

	plain_get(t, 0);
	assert_int_equal(req_send(&t->r, NULL), 0);
	len = t->f.out.len;
	assert_int_equal(req_stream(&t->r, NULL, "x", 1), -1);
	assert_int_equal(t->f.out.len, len);
}

static void
test_stream_head_has_no_body(void **state)
{
	static const char *const params[] = { "REQUEST_METHOD", "HEAD",
	    "PATH_INFO", "/", NULL };
	struct t *t = *state;

	assert_int_equal(parse(t, params, NULL, NULL), KW_OK);
	assert_int_equal(req_stream(&t->r, NULL, "<a/>", 4), 0);
	assert_string_equal(strstr(buf_str(&t->f.out), "\r\n\r\n"), "\r\n\r\n");
}

static void
test_stream_client_gone_stops(void **state)
{
	struct t *t = *state;

	plain_get(t, 0);
	t->io.write = failing_write;
	fail_calls = 0;
	fail_from = 3;		/* the head, "a", then "b" fails */
	assert_int_equal(req_stream(&t->r, NULL, "a", 1), 0);
	assert_int_equal(req_stream(&t->r, NULL, "b", 1), -1);
	assert_int_equal(req_stream(&t->r, NULL, "c", 1), -1);
	assert_int_equal(fail_calls, 3);
}

/* ---- req_body ------------------------------------------------------------ */

/* req_parse() with the XML body left for req_body(); body_max 0 is the
 * default. */
static enum kw_status
parse_raw(struct t *t, const char *const *params, const char *body,
    size_t body_max)
{
	struct req_limits lim;

	req_limits_default(&lim);
	lim.raw_body = 1;
	if (body_max != 0)
		lim.body_max = body_max;
	return parse(t, params, body, &lim);
}

#define XML_POST(len) { "REQUEST_METHOD", "POST", \
	"CONTENT_TYPE", "application/xml", "CONTENT_LENGTH", len, NULL }

static void
test_body_raw_left_for_handler(void **state)
{
	static const char *const params[] = XML_POST("9");
	struct t *t = *state;
	const char *data;
	size_t len;

	assert_int_equal(parse_raw(t, params, "<a>b</a>\n", 0), KW_OK);
	assert_int_equal(t->f.pos, 0);
	assert_int_equal(t->r.nform, 0);
	t->f.chunk = 2;
	assert_int_equal(req_body(&t->r, &data, &len), KW_OK);
	assert_int_equal(len, 9);
	assert_string_equal(data, "<a>b</a>\n");
	/* Only once. */
	assert_int_equal(req_body(&t->r, &data, &len), KW_BADREQ);
	assert_int_equal(len, 0);
}

static void
test_body_raw_refused_without_flag(void **state)
{
	static const char *const params[] = XML_POST("4");
	struct t *t = *state;

	assert_int_equal(parse(t, params, "<a/>", NULL), KW_BADREQ);
}

static void
test_body_raw_over_limit(void **state)
{
	static const char *const params[] = XML_POST("11");
	struct t *t = *state;

	assert_int_equal(parse_raw(t, params, "<a>123</a>\n", 10), KW_TOOBIG);
	assert_int_equal(t->f.pos, 0);
}

static void
test_body_raw_short(void **state)
{
	static const char *const params[] = XML_POST("20");
	struct t *t = *state;
	const char *data;
	size_t len;

	assert_int_equal(parse_raw(t, params, "<a/>", 0), KW_OK);
	assert_int_equal(req_body(&t->r, &data, &len), KW_BADREQ);
	assert_int_equal(len, 0);
}

static void
test_body_absent_is_empty(void **state)
{
	struct t *t = *state;
	const char *data;
	size_t len = 1;

	plain_get(t, 0);
	assert_int_equal(req_body(&t->r, &data, &len), KW_OK);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_form_good),
		T(test_form_plus_is_space),
		T(test_form_bad_encoding),
		T(test_form_nul_escape),
		T(test_form_raw_nul),
		T(test_form_invalid_utf8),
		T(test_form_too_many_fields),
		T(test_form_value_too_long),
		T(test_form_empty_pairs_skipped),
		T(test_form_duplicate_first_wins),
		T(test_cookies_parsed),
		T(test_cookies_malformed_skipped),
		T(test_cookie_lookup_first_wins),
		T(test_header_added),
		T(test_header_rejects_crlf),
		T(test_cookie_flags_http),
		T(test_cookie_flags_https),
		T(test_cookie_delete),
		T(test_cookie_bad_value_rejected),
		T(test_redirect_303),
		T(test_redirect_rejects_offsite),
		T(test_send_status_line),
		T(test_send_security_headers),
		T(test_send_hsts_over_https),
		T(test_send_own_cache_control_kept),
		T(test_send_head_has_no_body),
		T(test_send_only_once),
		T(test_send_failed_body_is_500),
		T(test_route_literal),
		T(test_route_placeholders),
		T(test_route_placeholder_rejects_bad_segment),
		T(test_route_not_found),
		T(test_route_trailing_slash_not_matched),
		T(test_route_405_allow),
		T(test_route_head_answered_by_get),
		T(test_valid_line),
		T(test_valid_required),
		T(test_valid_optional_absent),
		T(test_valid_undeclared_ignored),
		T(test_valid_text),
		T(test_valid_email),
		T(test_valid_int),
		T(test_valid_id),
		T(test_valid_date),
		T(test_valid_enum),
		T(test_valid_password),
		T(test_valid_bool),
		T(test_valid_invalid_utf8),
		T(test_parse_get),
		T(test_parse_defaults),
		T(test_parse_other_method),
		T(test_parse_post_form),
		T(test_parse_post_form_in_small_reads),
		T(test_parse_body_over_limit_not_read),
		T(test_parse_content_length_overflow),
		T(test_parse_content_length_malformed),
		T(test_parse_short_body),
		T(test_parse_reads_only_declared_length),
		T(test_parse_wrong_content_type),
		T(test_parse_empty_post),
		T(test_parse_bad_form_body),
		T(test_parse_bad_query),
		T(test_parse_path_with_control_char),
		T(test_utf8_validator),
		T(test_stream_head_then_pieces),
		T(test_stream_then_send_writes_nothing),
		T(test_stream_after_send_fails),
		T(test_stream_head_has_no_body),
		T(test_stream_client_gone_stops),
		T(test_body_raw_left_for_handler),
		T(test_body_raw_refused_without_flag),
		T(test_body_raw_over_limit),
		T(test_body_raw_short),
		T(test_body_absent_is_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
