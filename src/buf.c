/* buf.c: the growable string buffer. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kw.h"

void
buf_init(struct buf *b, size_t max, size_t keep)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	b->keep = keep;
}

/* Make room for n more bytes plus the terminating NUL. */
static int
grow(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->status != BUF_OK)
		return b->status;
	if (n > SIZE_MAX - b->len - 1)
		return b->status = BUF_ETOOBIG;
	need = b->len + n + 1;
	if (b->max != 0 && need - 1 > b->max)
		return b->status = BUF_ETOOBIG;
	if (need <= b->cap)
		return BUF_OK;
	cap = b->cap < 256 ? 256 : b->cap;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return b->status = BUF_ENOMEM;
	b->data = p;
	b->cap = cap;
	return BUF_OK;
}

int
buf_reserve(struct buf *b, size_t n)
{
	return grow(b, n);
}

int
buf_append_grow(struct buf *b, const void *p, size_t n)
{
	int st;

	if ((st = grow(b, n)) != BUF_OK)
		return st;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return BUF_OK;
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	size_t room = b->cap - b->len;
	int n, st;

	if (b->status != BUF_OK)
		return b->status;
	/* Format straight into the free room; only what does not fit is
	 * formatted again, after growing. */
	va_copy(cp, ap);
	n = kw_vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0)
		return b->status = BUF_ENOMEM;
	if ((size_t)n < room && (b->max == 0 || b->len + (size_t)n <= b->max)) {
		b->len += (size_t)n;
		return BUF_OK;
	}
	if (room > 0)
		b->data[b->len] = '\0';	/* undo the part written */
	if ((st = grow(b, (size_t)n)) != BUF_OK)
		return st;
	kw_vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return BUF_OK;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	st = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void
buf_clear(struct buf *b)
{
	if (b->keep != 0 && b->cap > b->keep) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	b->status = BUF_OK;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}
