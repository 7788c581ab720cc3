/* fuzz-form.c: libFuzzer target for the urlencoded, cookie and request parsers. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "kw.h"
#include "req.h"
#include "route.h"
#include "valid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The request the fake transport delivers: params and a body. */
struct fake {
	const char	*params[16];
	const char	*body;
	size_t		 len, pos;
	size_t		 out;		/* bytes "sent" */
};

static const char *
fake_param(void *ud, const char *name)
{
	struct fake *f = ud;
	size_t i;

	for (i = 0; f->params[i] != NULL; i += 2)
		if (strcmp(f->params[i], name) == 0)
			return f->params[i + 1];
	return NULL;
}

/* Short reads on purpose, to exercise the read loop. */
static long
fake_read(void *ud, char *dst, size_t n)
{
	struct fake *f = ud;
	size_t left = f->len - f->pos;

	if (n > left)
		n = left;
	if (n > 7)
		n = 7;
	memcpy(dst, f->body + f->pos, n);
	f->pos += n;
	return (long)n;
}

static int
fake_write(void *ud, const void *p, size_t n)
{
	struct fake *f = ud;

	(void)p;
	f->out += n;
	return 0;
}

/* The parsers' promises: every pair is NUL-free, valid UTF-8 text. */
static void
check_pairs(const struct req_pair *p, size_t n, int decoded)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i].key == NULL || p[i].val == NULL || p[i].key[0] == '\0')
			abort();
		if (strlen(p[i].val) != p[i].vallen)
			abort();
		if (decoded && (!req_utf8_valid(p[i].key, strlen(p[i].key)) ||
		    !req_utf8_valid(p[i].val, p[i].vallen)))
			abort();
	}
}

static void h_any(struct page *p) { (void)p; }

static const char *const choices[] = { "a", "b", NULL };

static const struct valid_field fields[] = {
	{ .name = "a", .kind = VALID_LINE, .flags = VALID_REQUIRED },
	{ .name = "b", .kind = VALID_TEXT, .maxlen = 50 },
	{ .name = "c", .kind = VALID_EMAIL },
	{ .name = "d", .kind = VALID_INT, .min = -10, .max = 10 },
	{ .name = "e", .kind = VALID_ID },
	{ .name = "f", .kind = VALID_DATE },
	{ .name = "g", .kind = VALID_ENUM, .choices = choices },
	{ .name = "h", .kind = VALID_PASSWORD },
	{ .name = "i", .kind = VALID_BOOL },
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static const struct route routes[] = {
	{ REQ_GET, "/", h_any, 0, NULL },
	{ REQ_GET, "/a/:id", h_any, 0, NULL },
	{ REQ_POST, "/a/:id/b/:x", h_any, 0, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a;
	struct req_limits lim;
	struct req_pair *pairs;
	struct valid_value vals[NFIELDS];
	struct route_match m;
	struct req_io io;
	struct fake f;
	struct req r;
	const uint8_t *nl;
	const char *head;
	char *str, len[32], allow[32];
	size_t n;

	if ((a = arena_new(4096, 0)) == NULL)
		abort();
	req_limits_default(&lim);
	lim.fields_max = 64;
	lim.field_max = 512;

	/* The raw parsers. */
	if (req_parse_urlencoded(a, (const char *)data, size, &lim, &pairs,
	    &n) == KW_OK)
		check_pairs(pairs, n, 1);
	str = arena_xstrndup(a, (const char *)data, size);
	req_parse_cookies(a, str, &pairs, &n);
	check_pairs(pairs, n, 0);

	/*
	 * A whole request through a fake transport, then a response. A
	 * first line, if any, is the path, query and cookie header; the
	 * rest is the body.
	 */
	memset(&f, 0, sizeof(f));
	nl = memchr(data, '\n', size);
	head = nl != NULL ? arena_xstrndup(a, (const char *)data,
	    (size_t)(nl - data)) : "";
	f.body = nl != NULL ? (const char *)nl + 1 : (const char *)data;
	f.len = size - (size_t)(f.body - (const char *)data);
	snprintf(len, sizeof(len), "%zu", f.len);
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = size > 0 && data[0] == 'G' ? "GET" : "POST";
	f.params[2] = "CONTENT_TYPE";
	f.params[3] = "application/x-www-form-urlencoded";
	f.params[4] = "CONTENT_LENGTH";
	f.params[5] = len;
	f.params[6] = "QUERY_STRING";
	f.params[7] = head;
	f.params[8] = "HTTP_COOKIE";
	f.params[9] = head;
	f.params[10] = head[0] == '/' ? "PATH_INFO" : "SCRIPT_NAME";
	f.params[11] = head;
	io.param = fake_param;
	io.read = fake_read;
	io.write = fake_write;
	io.ud = &f;
	if (req_parse(&r, a, &io, &lim) == KW_OK) {
		check_pairs(r.form, r.nform, 1);
		check_pairs(r.query, r.nquery, 1);
		valid_fields(a, r.form, r.nform, fields, NFIELDS, vals);
		if (route_find(routes, sizeof(routes) / sizeof(routes[0]),
		    r.method, r.path, a, &m, allow, sizeof(allow)) == KW_OK)
			(void)route_param(&m, "id");
		req_header(&r, "X-Fuzz", str);
		req_set_cookie(&r, "s", str, 0, REQ_COOKIE_HTTPONLY);
		req_redirect(&r, "https://kw.example", str);
		buf_append(&r.body, data, size);
	} else
		r.status = 400;
	if (f.pos > f.len)
		abort();
	req_send(&r, NULL);
	buf_free(&r.head);
	buf_free(&r.body);
	arena_free(a);
	return 0;
}
