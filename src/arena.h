/* arena.h: the per-request memory arena. */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

/*
 * An arena hands out 16-byte aligned memory from large blocks; nothing is
 * freed piece by piece. arena_reset() frees all of it at the end of a
 * request (keeping the first block for the next one).
 */
struct arena;

/* max_total 0 = unlimited. Returns NULL if out of memory. */
struct arena	*arena_new(size_t block_size, size_t max_total);
void		 arena_free(struct arena *);	/* NULL is a no-op */
void		 arena_reset(struct arena *);
size_t		 arena_used(const struct arena *);

/* These return NULL when malloc fails or max_total would be exceeded. */
void		*arena_alloc(struct arena *, size_t);
char		*arena_strndup(struct arena *, const char *, size_t);

/*
 * The x-variants never return NULL: failure aborts, like xmalloc(). For
 * application code on an arena without a limit.
 */
void		*arena_xalloc(struct arena *, size_t);
void		*arena_xcalloc(struct arena *, size_t, size_t);
char		*arena_xstrdup(struct arena *, const char *);
char		*arena_xstrndup(struct arena *, const char *, size_t);
char		*arena_xprintf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

#endif /* ARENA_H */
