/* buf.h: the one growable string buffer, with a sticky error flag. */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* Sticky status values; numerically equal to TMPL_E_NOMEM/TMPL_E_TOOBIG. */
enum {
	BUF_OK = 0,
	BUF_ENOMEM = -1,
	BUF_ETOOBIG = -5
};

/*
 * A caller-owned buffer. data is NUL-terminated after every successful
 * append (and NULL before the first). Once an append fails, status keeps
 * the first failure and every later append is a no-op returning it, so a
 * builder may check once at the end.
 */
struct buf {
	char	*data;
	size_t	 len, cap;
	size_t	 max;	/* growth limit in bytes; 0 = unlimited */
	size_t	 keep;	/* buf_clear() frees storage if cap > keep; 0 = never */
	int	 status;
};

void	 buf_init(struct buf *, size_t max, size_t keep);
/* Make room for n more bytes at once, so that the appends that follow
 * need not grow the buffer step by step. Sticky like the appends. */
int	 buf_reserve(struct buf *, size_t n);
/* Growing appends; buf_append() and friends below call it when the
 * bytes do not fit in the room left. */
int	 buf_append_grow(struct buf *, const void *, size_t);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Shorten to len (no-op if len >= current length); keeps status. */
void	 buf_truncate(struct buf *, size_t len);
/* len = 0 and status = BUF_OK; frees the storage if cap > keep. */
void	 buf_clear(struct buf *);
void	 buf_free(struct buf *);
/* The contents as a string: "" for an empty buffer, never NULL. */
const char *buf_str(const struct buf *);

/*
 * Appends n bytes. A page makes thousands of small appends, so the
 * common case (they fit) is inline; only growing is a call.
 */
static inline int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->status != BUF_OK || n >= b->cap - b->len ||
	    (b->max != 0 && n > b->max - b->len))
		return buf_append_grow(b, p, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return BUF_OK;
}

static inline int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

static inline int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_append(b, &ch, 1);
}

#endif /* BUF_H */
