/* req.h: one HTTP request and its response, over FastCGI or plain CGI. */
#ifndef REQ_H
#define REQ_H

#include <stddef.h>

#include "buf.h"
#include "kw.h"

struct arena;

enum req_method {
	REQ_GET,
	REQ_HEAD,
	REQ_POST,
	REQ_OTHER,
	REQ_METHOD__MAX
};

/* A decoded name/value pair; both NUL-terminated, in the request arena.
 * vallen is the decoded length (a value never holds a NUL: see below). */
struct req_pair {
	const char	*key;
	const char	*val;
	size_t		 vallen;
};

/* Bounds enforced while parsing; exceeding one is KW_TOOBIG (413). */
struct req_limits {
	size_t	 body_max;	/* request body bytes, default 1 MiB */
	size_t	 fields_max;	/* pairs in the query or the form, default 256 */
	size_t	 field_max;	/* bytes of one decoded value, default 64 KiB */
	int	 raw_body;	/* a POST body of another type than a form
				   is left for req_body(); default 0: it is
				   KW_BADREQ */
};

/*
 * How a request arrives: libfcgi (req_io_fcgx) or the CGI environment and
 * stdio (req_io_cgi). Everything above this interface runs unchanged in
 * both modes.
 */
struct req_io {
	/* A CGI/FastCGI parameter such as "PATH_INFO", or NULL if absent. */
	const char	*(*param)(void *ud, const char *name);
	/* Read up to n body bytes; returns the count, 0 at end, -1 on error. */
	long		 (*read)(void *ud, char *dst, size_t n);
	/* Write all n bytes of the response; 0, or -1 on error. */
	int		 (*write)(void *ud, const void *p, size_t n);
	void		*ud;
};

/* The CGI implementation: getenv(), stdin and stdout (ud unused). */
extern const struct req_io req_io_cgi;

/*
 * The FastCGI implementation over libfcgi: copy it and set ud to the
 * FCGX_Request * being served (serve.c does this for every worker).
 */
extern const struct req_io req_io_fcgx;

/*
 * A request being served. Every pointer below points into the request
 * arena and stays valid until that arena is reset, so nothing dangles
 * after FCGX_Finish_r().
 */
struct req {
	struct arena		*arena;
	const struct req_io	*io;
	enum req_method		 method;
	const char		*method_name;	/* as sent, e.g. "PUT" */
	const char		*path;		/* PATH_INFO (decoded), "/" if empty */
	const char		*script;	/* SCRIPT_NAME, "" if absent */
	const char		*remote_addr;	/* "" if absent */
	const char		*content_type;	/* "" if absent */
	const char		*origin;	/* HTTP_ORIGIN, NULL if absent */
	int			 https;		/* HTTPS=on or REQUEST_SCHEME=https */

	struct req_pair		*query;		/* QUERY_STRING, decoded */
	size_t			 nquery;
	struct req_pair		*form;		/* urlencoded POST body, decoded */
	size_t			 nform;
	struct req_pair		*cookies;	/* HTTP_COOKIE */
	size_t			 ncookies;

	/* The response, built here and written at once by req_send(), or
	 * as it is made by req_stream(). */
	int			 status;	/* default 200 */
	struct buf		 head;		/* extra header lines, CRLF-ended */
	struct buf		 body;
	int			 sent;		/* the head has gone out */
	int			 streaming;	/* by req_stream() */
	int			 stream_failed;	/* a write of it failed */

	/* A POST body left unread by req_parse() (see raw_body). */
	size_t			 body_len;	/* CONTENT_LENGTH */
	int			 body_unread;
};

/*
 * The POST body that req_parse() left unread (lim->raw_body), whole, in
 * the request arena, NUL-terminated: *data and *len. KW_OK (also for an
 * empty or absent body: *len 0); KW_BADREQ when it ends before
 * CONTENT_LENGTH or was read already. It was bounded by body_max.
 */
enum kw_status	 req_body(struct req *r, const char **data, size_t *len);

/* Default limits, as documented in struct req_limits. */
void		 req_limits_default(struct req_limits *);

/*
 * Read the parameters, query, cookies and (for a POST with content type
 * application/x-www-form-urlencoded) the body of the request that io
 * delivers, into r, allocating from a. Percent-decoding rejects bad
 * escapes, invalid UTF-8 and NUL bytes. Returns KW_OK; KW_TOOBIG if a
 * limit in lim is exceeded; KW_BADREQ for malformed encoding or a body
 * of another content type on a form route. r is always usable for
 * sending an error page afterwards.
 *
 * Details: lim NULL means the defaults. A missing REQUEST_METHOD counts
 * as GET. A PATH_INFO with control characters or invalid UTF-8 is
 * KW_BADREQ. CONTENT_LENGTH must be digits only (absent or empty = 0);
 * one above body_max is KW_TOOBIG and the body is not read; a body that
 * ends early is KW_BADREQ, and no more than the declared length is ever
 * read. A non-empty POST body of any other content type (multipart
 * included) is KW_BADREQ, unless lim->raw_body is set: then it is left
 * unread for req_body() (body_len and body_unread). r->head (64 KiB) and r->body (32 MiB) are
 * initialised here even on error; they are malloc-backed, so the caller
 * buf_free()s both after req_send().
 */
enum kw_status	 req_parse(struct req *r, struct arena *a,
		    const struct req_io *io, const struct req_limits *lim);

/* Parse application/x-www-form-urlencoded text (also used for the
 * query). Returns KW_OK, KW_TOOBIG or KW_BADREQ; on error *out is
 * unspecified. Exposed for the fuzzer and unit tests. Pairs are split
 * on '&'; empty pairs and empty names are skipped; a name without '='
 * has the value ""; duplicates are all kept (lookups take the first).
 * More than fields_max pairs, or a name or value decoding to more than
 * field_max bytes, is KW_TOOBIG. */
enum kw_status	 req_parse_urlencoded(struct arena *a, const char *s,
		    size_t len, const struct req_limits *lim,
		    struct req_pair **out, size_t *nout);

/* Parse a Cookie header ("a=1; b=2"); malformed pairs are skipped
 * (a name that is not a token, a value with bytes outside RFC 6265's
 * cookie-octet, a value over 4 KiB). Values are not decoded; surrounding
 * double quotes are removed. At most 64 cookies are kept. */
void		 req_parse_cookies(struct arena *a, const char *s,
		    struct req_pair **out, size_t *nout);

/* Whether s[0..len-1] is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF). NUL bytes count as valid here. */
int		 req_utf8_valid(const char *s, size_t len);

/* Lookups: the first value with that name, or NULL. req_param() copies
 * the CGI/FastCGI parameter into the request arena. */
const char	*req_param(const struct req *, const char *name);
const char	*req_query(const struct req *, const char *name);
const char	*req_form(const struct req *, const char *name);
const char	*req_cookie(const struct req *, const char *name);

/*
 * Add a response header. Returns 0, or -1 (and adds nothing) if name or
 * value holds CR, LF or another control character.
 */
int		 req_header(struct req *, const char *name, const char *value);

/* Cookie flags for req_set_cookie(). */
#define REQ_COOKIE_HTTPONLY	0x1u

/*
 * Set a cookie with Path=/ and SameSite=Lax. Over HTTPS the name gets the
 * __Host- prefix and the Secure flag (read back with req_cookie_name()).
 * max_age < 0 deletes the cookie; 0 makes a session cookie. Returns 0,
 * or -1 if name is not a token or value has a byte outside RFC 6265's
 * cookie-octet (space, '"', ',', ';', '\', controls, non-ASCII).
 */
int		 req_set_cookie(struct req *, const char *name,
		    const char *value, long max_age, unsigned flags);
/* The name under which req_set_cookie() stores name for this request. */
const char	*req_cookie_name(const struct req *, const char *name);

/* The length of base_url without its final '/'s: where a path goes on. */
size_t		 req_base_len(const char *base_url);

/*
 * Answer 303 See Other to base_url + path (base_url from the program's
 * configuration, never from the Host header). path must start with one
 * '/' (not "//" or "/\"), so the target stays on the site. Returns 0,
 * or -1 (and changes nothing) for a bad path or control characters.
 */
int		 req_redirect(struct req *, const char *base_url,
		    const char *path);

/*
 * Write status line, headers (the security headers below are always
 * added), Content-Type (ctype, e.g. "text/html; charset=utf-8"),
 * Content-Length and the body (omitted for HEAD) through r->io. Only the
 * first call writes. Returns 0, or -1 if the client went away.
 *
 * Always sent: Content-Security-Policy (default-src 'self'; no inline
 * script; frame-ancestors 'none'), X-Content-Type-Options: nosniff,
 * Referrer-Policy: same-origin, X-Frame-Options: DENY,
 * Cross-Origin-Opener-Policy: same-origin, Strict-Transport-Security
 * over HTTPS, Cache-Control: no-store unless the handler set its own.
 * A head or body buffer in error (too large, out of memory) turns the
 * response into a plain-text 500. 204 and 304 carry no body.
 */
int		 req_send(struct req *, const char *ctype);

/*
 * Stream a response whose length is not known beforehand, such as a large
 * export. The first call writes the status line (r->status) and headers
 * as req_send() does, Content-Type ctype, but no Content-Length (nginx
 * then sends the body chunked, so memory stays flat); each call then
 * writes data[0..len-1] (nothing for HEAD). req_send() writes nothing
 * after it; an error found before the first call is still answered with
 * req_send() as usual. Returns 0, or -1 once a write failed (the client
 * went away), after which every call fails: stop making the response.
 */
int		 req_stream(struct req *, const char *ctype, const void *data,
		    size_t len);

#endif /* REQ_H */
