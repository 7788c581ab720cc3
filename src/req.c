/* req.c: the HTTP request and response over FastCGI (libfcgi) or CGI. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "arena.h"
#include "buf.h"
#include "kw.h"
#include "req.h"

#define HEAD_MAX	(64u * 1024)		/* extra response headers */
#define BODY_MAX	(32u * 1024 * 1024)	/* response body */
#define BODY_START	(32u * 1024)		/* its room to start with */
#define COOKIES_MAX	64			/* cookies kept per request */
#define COOKIE_LEN_MAX	4096			/* bytes of one cookie value */

#define FORM_CTYPE	"application/x-www-form-urlencoded"

static const char *const method_names[REQ_METHOD__MAX + 1] = {
	[REQ_GET] = "GET",
	[REQ_HEAD] = "HEAD",
	[REQ_POST] = "POST",
	[REQ_OTHER] = "",
	[REQ_METHOD__MAX] = NULL,
};

/* The security headers of every response (see req.h). */
static const char security_headers[] =
	"Content-Security-Policy: default-src 'self'; script-src 'self'; "
	"style-src 'self'; img-src 'self' data:; form-action 'self'; "
	"frame-ancestors 'none'; base-uri 'none'; object-src 'none'\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"Referrer-Policy: same-origin\r\n"
	"X-Frame-Options: DENY\r\n"
	"Cross-Origin-Opener-Policy: same-origin\r\n";

#define HSTS_HEADER \
	"Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n"

/* ---- the two request transports ---------------------------------------- */

static const char *
cgi_param(void *ud, const char *name)
{
	(void)ud;
	return getenv(name);
}

static long
cgi_read(void *ud, char *dst, size_t n)
{
	ssize_t got;

	(void)ud;
	if (n > LONG_MAX)
		n = LONG_MAX;
	do
		got = read(STDIN_FILENO, dst, n);
	while (got < 0 && errno == EINTR);
	return got < 0 ? -1 : (long)got;
}

static int
cgi_write(void *ud, const void *p, size_t n)
{
	(void)ud;
	if (n > 0 && fwrite(p, 1, n, stdout) != n)
		return -1;
	return fflush(stdout) == 0 ? 0 : -1;
}

const struct req_io req_io_cgi = {
	cgi_param, cgi_read, cgi_write, NULL
};

static const char *
fcgx_param(void *ud, const char *name)
{
	FCGX_Request *rq = ud;

	return FCGX_GetParam(name, rq->envp);
}

/* FCGX_GetStr takes an int: read in chunks until n bytes or the end. */
static long
fcgx_read(void *ud, char *dst, size_t n)
{
	FCGX_Request *rq = ud;
	size_t done = 0;
	int want, got;

	if (n > LONG_MAX)
		n = LONG_MAX;
	while (done < n) {
		want = n - done > INT_MAX ? INT_MAX : (int)(n - done);
		got = FCGX_GetStr(dst + done, want, rq->in);
		if (got < 0 || FCGX_GetError(rq->in) != 0)
			return -1;
		done += (size_t)got;
		if (got < want)
			break;
	}
	return (long)done;
}

/* FCGX_PutStr takes an int: write in chunks. */
static int
fcgx_write(void *ud, const void *p, size_t n)
{
	FCGX_Request *rq = ud;
	const char *s = p;
	int chunk;

	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (FCGX_PutStr(s, chunk, rq->out) != chunk)
			return -1;
		s += chunk;
		n -= (size_t)chunk;
	}
	return FCGX_GetError(rq->out) == 0 ? 0 : -1;
}

const struct req_io req_io_fcgx = {
	fcgx_param, fcgx_read, fcgx_write, NULL
};

/* ---- decoding ------------------------------------------------------------ */

void
req_limits_default(struct req_limits *lim)
{
	lim->body_max = 1024 * 1024;
	lim->fields_max = 256;
	lim->field_max = 64 * 1024;
	lim->raw_body = 0;
}

int
req_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, need, k;
	unsigned char c, lo, hi;

	while (i < len) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* above U+10FFFF */
		} else
			return 0;
		if (len - i - 1 < need)
			return 0;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k <= need; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return 0;
		i += need + 1;
	}
	return 1;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode s[0..len-1] ('+' is a space) into a new arena string.
 * Returns KW_OK and sets *out and *outlen; KW_BADREQ for a bad escape,
 * a NUL byte (raw or %00) or invalid UTF-8; KW_TOOBIG if the result
 * would be longer than max bytes.
 */
static enum kw_status
decode(struct arena *a, const char *s, size_t len, size_t max,
    char **out, size_t *outlen)
{
	char *d;
	size_t i, j = 0;
	int hi, lo;
	unsigned char c;

	/* The decoded text is at most len bytes and at least len / 3. */
	if (len / 3 > max)
		return KW_TOOBIG;
	d = arena_xalloc(a, len + 1);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (len - i < 3 ||
			    (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return KW_BADREQ;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+')
			c = ' ';
		if (c == '\0')
			return KW_BADREQ;
		if (j == max)
			return KW_TOOBIG;
		d[j++] = (char)c;
	}
	d[j] = '\0';
	if (!req_utf8_valid(d, j))
		return KW_BADREQ;
	*out = d;
	*outlen = j;
	return KW_OK;
}

/* The pair s[i..] up to the next '&' or len: its end. */
static size_t
pair_end(const char *s, size_t i, size_t len)
{
	const char *amp = memchr(s + i, '&', len - i);

	return amp != NULL ? (size_t)(amp - s) : len;
}

enum kw_status
req_parse_urlencoded(struct arena *a, const char *s, size_t len,
    const struct req_limits *lim, struct req_pair **out, size_t *nout)
{
	struct req_limits def;
	struct req_pair *pairs = NULL;
	const char *eq;
	size_t i, e, n = 0, npairs = 0, klen, vlen;
	char *key, *val;
	enum kw_status st;

	*out = NULL;
	*nout = 0;
	if (lim == NULL) {
		req_limits_default(&def);
		lim = &def;
	}
	if (s == NULL || len == 0)
		return KW_OK;

	/*
	 * Count the pairs first so that the array is sized once. Empty
	 * pairs ("a=1&&b=2") and empty names ("=x") are skipped.
	 */
	for (i = 0; i < len; i = e + 1) {
		e = pair_end(s, i, len);
		if (e > i && s[i] != '=' && ++npairs > lim->fields_max)
			return KW_TOOBIG;
	}
	if (npairs == 0)
		return KW_OK;
	pairs = arena_xcalloc(a, npairs, sizeof(*pairs));

	for (i = 0; i < len; i = e + 1) {
		e = pair_end(s, i, len);
		if (e == i || s[i] == '=')
			continue;
		eq = memchr(s + i, '=', e - i);
		klen = eq != NULL ? (size_t)(eq - (s + i)) : e - i;
		vlen = eq != NULL ? e - i - klen - 1 : 0;
		if ((st = decode(a, s + i, klen, lim->field_max, &key,
		    &klen)) != KW_OK)
			return st;
		if ((st = decode(a, eq != NULL ? eq + 1 : "", vlen,
		    lim->field_max, &val, &vlen)) != KW_OK)
			return st;
		pairs[n].key = key;
		pairs[n].val = val;
		pairs[n].vallen = vlen;
		n++;
	}
	*out = pairs;
	*nout = n;
	return KW_OK;
}

/* A token character of RFC 9110 (cookie and header names). */
static int
is_tchar(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return 0;
	return strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

static int
is_token(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A cookie-octet of RFC 6265: visible ASCII but '"', ',', ';', '\'. */
static int
is_cookie_octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

void
req_parse_cookies(struct arena *a, const char *s, struct req_pair **out,
    size_t *nout)
{
	struct req_pair *pairs;
	const char *p, *semi, *eq, *k, *ke, *v, *ve;
	size_t n = 0, i;

	*out = NULL;
	*nout = 0;
	if (s == NULL || *s == '\0')
		return;
	pairs = arena_xcalloc(a, COOKIES_MAX, sizeof(*pairs));
	for (p = s; *p != '\0' && n < COOKIES_MAX; p = *semi ? semi + 1 : semi) {
		semi = p + strcspn(p, ";");
		if ((eq = memchr(p, '=', (size_t)(semi - p))) == NULL)
			continue;
		/* Trim optional whitespace around name and value. */
		for (k = p; k < eq && (*k == ' ' || *k == '\t'); k++)
			continue;
		for (ke = eq; ke > k && (ke[-1] == ' ' || ke[-1] == '\t'); ke--)
			continue;
		for (v = eq + 1; v < semi && (*v == ' ' || *v == '\t'); v++)
			continue;
		for (ve = semi; ve > v && (ve[-1] == ' ' || ve[-1] == '\t'); ve--)
			continue;
		if (ve - v >= 2 && *v == '"' && ve[-1] == '"') {
			v++;
			ve--;
		}
		if (!is_token(k, (size_t)(ke - k)) ||
		    (size_t)(ve - v) > COOKIE_LEN_MAX)
			continue;
		for (i = 0; v + i < ve; i++)
			if (!is_cookie_octet((unsigned char)v[i]))
				break;
		if (v + i < ve)
			continue;
		pairs[n].key = arena_xstrndup(a, k, (size_t)(ke - k));
		pairs[n].val = arena_xstrndup(a, v, (size_t)(ve - v));
		pairs[n].vallen = (size_t)(ve - v);
		n++;
	}
	if (n > 0) {
		*out = pairs;
		*nout = n;
	}
}

/* ---- the request ------------------------------------------------------- */

/* A parameter copied into the arena; NULL if absent. */
static const char *
param_dup(struct req *r, const char *name)
{
	const char *v = r->io->param(r->io->ud, name);

	return v != NULL ? arena_xstrdup(r->arena, v) : NULL;
}

static const char *
param_or(struct req *r, const char *name, const char *fallback)
{
	const char *v = param_dup(r, name);

	return v != NULL ? v : fallback;
}

/* Text fit for routing and logs: valid UTF-8, no control characters. */
static int
clean_text(const char *s)
{
	size_t i, len = strlen(s);

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return req_utf8_valid(s, len);
}

/*
 * CONTENT_LENGTH: absent or empty is 0, otherwise digits only. Returns
 * KW_OK, KW_BADREQ for anything else, KW_TOOBIG when it exceeds max
 * (overflow included).
 */
static enum kw_status
content_length(const char *s, size_t max, size_t *out)
{
	size_t v = 0;
	unsigned d;

	*out = 0;
	if (s == NULL || *s == '\0')
		return KW_OK;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return KW_BADREQ;
		d = (unsigned)(*s - '0');
		if (v > (SIZE_MAX - d) / 10)
			v = SIZE_MAX;		/* saturate; still checked */
		else
			v = v * 10 + d;
	}
	if (v > max)
		return KW_TOOBIG;
	*out = v;
	return KW_OK;
}

/* Whether a Content-Type names the urlencoded form type. */
static int
is_form_type(const char *ct)
{
	size_t n = sizeof(FORM_CTYPE) - 1;

	if (strncasecmp(ct, FORM_CTYPE, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* Read exactly len body bytes; a shorter body is KW_BADREQ. */
static enum kw_status
read_body(struct req *r, size_t len, char **out)
{
	char *body = arena_xalloc(r->arena, len + 1);
	size_t done = 0;
	long got;

	while (done < len) {
		got = r->io->read(r->io->ud, body + done, len - done);
		if (got < 0) {
			kw_logx("reading the request body failed");
			return KW_BADREQ;
		}
		if (got == 0)
			break;
		done += (size_t)got;
	}
	if (done != len) {
		kw_logx("request body shorter than CONTENT_LENGTH "
		    "(%zu of %zu bytes)", done, len);
		return KW_BADREQ;
	}
	body[len] = '\0';
	*out = body;
	return KW_OK;
}

enum kw_status
req_parse(struct req *r, struct arena *a, const struct req_io *io,
    const struct req_limits *lim)
{
	struct req_limits def;
	const char *v, *q;
	char *body = NULL;
	size_t len;
	int i;
	enum kw_status st;

	if (lim == NULL) {
		req_limits_default(&def);
		lim = &def;
	}
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->io = io;
	r->status = 200;
	buf_init(&r->head, HEAD_MAX, 0);
	buf_init(&r->body, BODY_MAX, 0);
	/* Room for a typical page at once, not by doubling from small. */
	buf_reserve(&r->body, BODY_START);
	r->method = REQ_GET;
	r->method_name = "GET";
	r->path = "/";
	r->script = "";
	r->remote_addr = "";
	r->content_type = "";

	/* The scalars first, so that an error page can use them. */
	if ((v = param_dup(r, "REQUEST_METHOD")) != NULL && *v != '\0') {
		r->method_name = v;
		i = kw_name_index(method_names, v);
		r->method = i < 0 ? REQ_OTHER : (enum req_method)i;
	}
	r->script = param_or(r, "SCRIPT_NAME", "");
	r->remote_addr = param_or(r, "REMOTE_ADDR", "");
	r->content_type = param_or(r, "CONTENT_TYPE", "");
	r->origin = param_dup(r, "HTTP_ORIGIN");
	r->https = ((v = param_dup(r, "HTTPS")) != NULL &&
	    strcasecmp(v, "on") == 0) ||
	    ((v = param_dup(r, "REQUEST_SCHEME")) != NULL &&
	    strcasecmp(v, "https") == 0);
	req_parse_cookies(a, param_dup(r, "HTTP_COOKIE"), &r->cookies,
	    &r->ncookies);
	if ((v = param_dup(r, "PATH_INFO")) != NULL && *v != '\0') {
		if (!clean_text(v))
			return KW_BADREQ;
		r->path = v;
	}

	q = param_or(r, "QUERY_STRING", "");
	if ((st = req_parse_urlencoded(a, q, strlen(q), lim, &r->query,
	    &r->nquery)) != KW_OK) {
		r->query = NULL;
		r->nquery = 0;
		return st;
	}

	if (r->method != REQ_POST)
		return KW_OK;
	if ((st = content_length(param_dup(r, "CONTENT_LENGTH"),
	    lim->body_max, &len)) != KW_OK)
		return st;
	if (!is_form_type(r->content_type)) {
		if (len == 0)
			return KW_OK;
		if (!lim->raw_body)
			return KW_BADREQ;
		r->body_len = len;
		r->body_unread = 1;
		return KW_OK;
	}
	if (len == 0)
		return KW_OK;
	if ((st = read_body(r, len, &body)) != KW_OK)
		return st;
	if ((st = req_parse_urlencoded(a, body, len, lim, &r->form,
	    &r->nform)) != KW_OK) {
		r->form = NULL;
		r->nform = 0;
		return st;
	}
	return KW_OK;
}

enum kw_status
req_body(struct req *r, const char **data, size_t *len)
{
	char *body;
	enum kw_status st;

	*data = "";
	*len = 0;
	if (!r->body_unread)
		return r->body_len == 0 ? KW_OK : KW_BADREQ;
	r->body_unread = 0;
	if ((st = read_body(r, r->body_len, &body)) != KW_OK)
		return st;
	*data = body;
	*len = r->body_len;
	return KW_OK;
}

/* ---- lookups ------------------------------------------------------------- */

static const char *
pair_find(const struct req_pair *p, size_t n, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(p[i].key, name) == 0)
			return p[i].val;
	return NULL;
}

const char *
req_param(const struct req *r, const char *name)
{
	const char *v = r->io->param(r->io->ud, name);

	return v != NULL ? arena_xstrdup(r->arena, v) : NULL;
}

const char *
req_query(const struct req *r, const char *name)
{
	return pair_find(r->query, r->nquery, name);
}

const char *
req_form(const struct req *r, const char *name)
{
	return pair_find(r->form, r->nform, name);
}

const char *
req_cookie(const struct req *r, const char *name)
{
	return pair_find(r->cookies, r->ncookies, name);
}

/* ---- the response -------------------------------------------------------- */

/* A header value: no control characters (CR and LF in particular). */
static int
is_header_value(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
req_header(struct req *r, const char *name, const char *value)
{
	size_t mark = r->head.len;

	if (name == NULL || value == NULL ||
	    !is_token(name, strlen(name)) || !is_header_value(value))
		return -1;
	if (buf_printf(&r->head, "%s: %s\r\n", name, value) != BUF_OK) {
		buf_truncate(&r->head, mark);
		return -1;
	}
	return 0;
}

const char *
req_cookie_name(const struct req *r, const char *name)
{
	if (!r->https)
		return name;
	return arena_xprintf(r->arena, "__Host-%s", name);
}

int
req_set_cookie(struct req *r, const char *name, const char *value,
    long max_age, unsigned flags)
{
	struct buf b;
	size_t i;
	int rc = -1;

	buf_init(&b, 0, 0);
	if (name == NULL || value == NULL || !is_token(name, strlen(name)))
		goto out;
	for (i = 0; value[i] != '\0'; i++)
		if (!is_cookie_octet((unsigned char)value[i]))
			goto out;
	buf_printf(&b, "%s=%s; Path=/; SameSite=Lax",
	    req_cookie_name(r, name), value);
	if (max_age < 0)
		buf_puts(&b, "; Max-Age=0; "
		    "Expires=Thu, 01 Jan 1970 00:00:00 GMT");
	else if (max_age > 0)
		buf_printf(&b, "; Max-Age=%ld", max_age);
	if (r->https)
		buf_puts(&b, "; Secure");
	if (flags & REQ_COOKIE_HTTPONLY)
		buf_puts(&b, "; HttpOnly");
	if (b.status != BUF_OK)
		goto out;
	rc = req_header(r, "Set-Cookie", buf_str(&b));
out:
	buf_free(&b);
	return rc;
}

size_t
req_base_len(const char *base_url)
{
	size_t n = strlen(base_url);

	while (n > 0 && base_url[n - 1] == '/')
		n--;
	return n;
}

int
req_redirect(struct req *r, const char *base_url, const char *path)
{
	const char *url;
	size_t blen;

	if (base_url == NULL || path == NULL || path[0] != '/' ||
	    path[1] == '/' || path[1] == '\\')
		return -1;
	if ((blen = req_base_len(base_url)) > INT_MAX)
		return -1;
	url = arena_xprintf(r->arena, "%.*s%s", (int)blen, base_url, path);
	if (req_header(r, "Location", url) != 0)
		return -1;
	r->status = 303;
	return 0;
}

static const char *
reason(int code)
{
	switch (code) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return code < 400 ? "OK" : "Error";
	}
}

/* Whether the handler added header name itself. */
static int
has_header(const struct req *r, const char *name)
{
	const char *p = buf_str(&r->head), *nl;
	size_t n = strlen(name);

	while (*p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return 1;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

/*
 * Write the status line and headers of a response with code and ctype
 * (ignored when nobody), with Content-Length: *length unless length is
 * NULL. Returns 0, or -1 if they could not be built or written.
 */
static int
send_head(struct req *r, int code, const char *ctype, int nobody,
    const size_t *length)
{
	struct buf h;
	int rc = -1;

	buf_init(&h, 0, 0);
	if (code < 100 || code > 599)
		code = 500;
	if (ctype == NULL || !is_header_value(ctype))
		ctype = "text/html; charset=utf-8";
	buf_printf(&h, "Status: %d %s\r\n", code, reason(code));
	if (!nobody)
		buf_printf(&h, "Content-Type: %s\r\n", ctype);
	if (length != NULL)
		buf_printf(&h, "Content-Length: %zu\r\n", *length);
	buf_puts(&h, security_headers);
	if (r->https)
		buf_puts(&h, HSTS_HEADER);
	if (!has_header(r, "Cache-Control"))
		buf_puts(&h, "Cache-Control: no-store\r\n");
	buf_append(&h, buf_str(&r->head), r->head.len);
	buf_puts(&h, "\r\n");
	if (h.status == BUF_OK && r->io->write(r->io->ud, h.data, h.len) == 0)
		rc = 0;
	buf_free(&h);
	return rc;
}

int
req_send(struct req *r, const char *ctype)
{
	static const char fallback[] = "500 Internal Server Error\n";
	size_t bodylen;
	int code = r->status, nobody;

	if (r->sent)
		return 0;
	r->sent = 1;

	/* A response that could not be built becomes a plain 500. */
	if (r->head.status != BUF_OK || r->body.status != BUF_OK) {
		kw_logx("response too large or out of memory; sending 500");
		buf_free(&r->head);
		buf_free(&r->body);
		buf_init(&r->head, HEAD_MAX, 0);
		buf_init(&r->body, BODY_MAX, 0);
		buf_append(&r->body, fallback, sizeof(fallback) - 1);
		code = 500;
		ctype = "text/plain; charset=utf-8";
	}
	nobody = code == 204 || code == 304;
	bodylen = nobody ? 0 : r->body.len;
	if (send_head(r, code, ctype, nobody, &bodylen) != 0)
		return -1;
	if (r->method != REQ_HEAD && bodylen > 0 &&
	    r->io->write(r->io->ud, r->body.data, bodylen) != 0)
		return -1;
	return 0;
}

int
req_stream(struct req *r, const char *ctype, const void *data, size_t len)
{
	if (r->stream_failed || (r->sent && !r->streaming))
		return -1;
	if (!r->sent) {
		r->sent = r->streaming = 1;
		if (r->head.status != BUF_OK || send_head(r, r->status, ctype,
		    0, NULL) != 0) {
			r->stream_failed = 1;
			return -1;
		}
	}
	if (r->method != REQ_HEAD && len > 0 &&
	    r->io->write(r->io->ud, data, len) != 0) {
		r->stream_failed = 1;
		return -1;
	}
	return 0;
}
