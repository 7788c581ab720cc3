/* arena.c: the per-request memory arena. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kw.h"

#define ALIGN	16u

struct block {
	struct block	*next;
	size_t		 size;	/* usable bytes in data */
	size_t		 used;
	/* max_align_t keeps data 16-byte aligned on x86-64. */
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block	*head;	/* current block; its chain ends at first */
	struct block	*first;
	size_t		 block_size;
	size_t		 max_total;
	size_t		 total;	/* bytes handed out since the last reset */
};

static struct block *
block_new(size_t size)
{
	struct block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	if ((b = malloc(sizeof(*b) + size)) == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *
arena_new(size_t block_size, size_t max_total)
{
	struct arena *a;

	if (block_size < 1024)
		block_size = 1024;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->first = block_new(block_size)) == NULL) {
		free(a);
		return NULL;
	}
	a->head = a->first;
	a->block_size = block_size;
	a->max_total = max_total;
	return a;
}

void
arena_reset(struct arena *a)
{
	struct block *b, *next;

	for (b = a->head; b != a->first; b = next) {
		next = b->next;
		free(b);
	}
	a->head = a->first;
	a->first->used = 0;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block *b;
	size_t off, size;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	if (a->max_total != 0 &&
	    (n > a->max_total || a->total > a->max_total - n))
		return NULL;
	b = a->head;
	off = (b->used + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (off > b->size || b->size - off < n) {
		size = n > a->block_size ? n : a->block_size;
		if ((b = block_new(size)) == NULL)
			return NULL;
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	b->used = off + n;
	a->total += n;
	return b->data + off;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
arena_xalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	if (p == NULL) {
		kw_logx("arena exhausted (%zu bytes requested)", n);
		abort();
	}
	return p;
}

void *
arena_xcalloc(struct arena *a, size_t n, size_t sz)
{
	void *p;

	if (sz != 0 && n > SIZE_MAX / sz) {
		kw_logx("arena allocation overflow");
		abort();
	}
	p = arena_xalloc(a, n * sz);
	memset(p, 0, n * sz);
	return p;
}

char *
arena_xstrndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_xalloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_xstrdup(struct arena *a, const char *s)
{
	return arena_xstrndup(a, s, strlen(s));
}

char *
arena_xprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char tmp[256], *p;
	int n;

	/* Most texts fit the stack: format once and copy. */
	va_start(ap, fmt);
	n = kw_vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0) {
		kw_logx("arena_xprintf: bad format");
		abort();
	}
	p = arena_xalloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof(tmp)) {
		memcpy(p, tmp, (size_t)n + 1);
		return p;
	}
	va_start(ap, fmt);
	kw_vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
