/* tmpl.h: Keepword template engine (see tmpl-spec.md, Parts II and III). */
#ifndef TMPL_H
#define TMPL_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

/* ---------- status and errors ---------- */

typedef enum tmpl_status {
	TMPL_OK = 0,
	TMPL_E_NOMEM = -1,
	TMPL_E_INVAL = -2,
	TMPL_E_IO = -3,
	TMPL_E_PATH = -4,
	TMPL_E_TOOBIG = -5,
	TMPL_E_SYNTAX = -6,
	TMPL_E_UNKNOWN_TAG = -7,
	TMPL_E_STRUCTURE = -8,
	TMPL_E_COMMENT = -9,
	TMPL_E_FMT = -10,
	TMPL_E_LEVEL = -11,
	TMPL_E_DEPTH = -12,
	TMPL_E_UNDEF = -13,
	TMPL_E_FORMATTER = -14,
	TMPL_E_SINK = -15
} tmpl_status;

/* A filled-in error. Every function taking a tmpl_error * accepts NULL. */
typedef struct tmpl_error {
	tmpl_status	 code;
	char		 file[256];	/* name under root, "string:NAME" or "" */
	unsigned	 line, col;	/* 1-based; 0 = no position */
	char		 msg[256];	/* text without position */
	char		 via[512];	/* render errors: lines "included from
					   a:1:2", innermost first, at most 8,
					   then "...(N more)"; "" otherwise */
} tmpl_error;

/* "E_SYNTAX: malformed tag" etc.; never NULL, also for unknown codes. */
const char	*tmpl_strerror(tmpl_status code);

/*
 * Write the canonical one-line form of e ("file:line:col: error: msg
 * [E_CODE]", plus one "  included from ..." line per include level, no
 * trailing newline) into dst, truncating like snprintf. Returns the length
 * the whole text needs (without the NUL). dst may be NULL if dstlen is 0.
 */
size_t		 tmpl_error_format(const tmpl_error *e, char *dst,
		    size_t dstlen);

/* ---------- arena (per request): the project's struct arena ---------- */

typedef struct arena tmpl_arena;

/* max_total 0 = unlimited. NULL if out of memory. */
static inline tmpl_arena *
tmpl_arena_new(size_t block_size, size_t max_total)
{
	return arena_new(block_size, max_total);
}

/* 16-byte aligned; NULL when malloc fails or max_total would be exceeded. */
static inline void *
tmpl_arena_alloc(tmpl_arena *a, size_t n)
{
	return arena_alloc(a, n);
}

/* A NUL-terminated copy of n bytes of s; NULL on failure. */
static inline char *
tmpl_arena_strndup(tmpl_arena *a, const char *s, size_t n)
{
	return arena_strndup(a, s, n);
}

/* Bytes handed out since the last reset. */
static inline size_t
tmpl_arena_used(const tmpl_arena *a)
{
	return arena_used(a);
}

/* Frees everything allocated; keeps the first block. */
static inline void
tmpl_arena_reset(tmpl_arena *a)
{
	arena_reset(a);
}

/* NULL is a no-op. */
static inline void
tmpl_arena_free(tmpl_arena *a)
{
	arena_free(a);
}

/* ---------- output buffer: the project's struct buf ---------- */

/* Fields data, len, cap, max, keep and status (a tmpl_status value). */
typedef struct buf tmpl_buf;

/* max: growth limit (0 = unlimited); keep: see tmpl_buf_clear(). */
static inline void
tmpl_buf_init(tmpl_buf *b, size_t max, size_t keep)
{
	buf_init(b, max, keep);
}

/* Appends n bytes; on failure the sticky status (E_NOMEM/E_TOOBIG). */
static inline tmpl_status
tmpl_buf_append(tmpl_buf *b, const char *p, size_t n)
{
	return (tmpl_status)buf_append(b, p, n);
}

static inline tmpl_status
tmpl_buf_puts(tmpl_buf *b, const char *s)
{
	return (tmpl_status)buf_puts(b, s);
}

/* printf-style append; same status rules as tmpl_buf_append(). */
tmpl_status	 tmpl_buf_printf(tmpl_buf *b, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Shortens to len (no-op if len >= b->len); keeps the status. */
static inline void
tmpl_buf_truncate(tmpl_buf *b, size_t len)
{
	buf_truncate(b, len);
}

/* len = 0, status = OK; frees the storage if keep != 0 and cap > keep. */
static inline void
tmpl_buf_clear(tmpl_buf *b)
{
	buf_clear(b);
}

/* Frees the storage; the buffer may be initialised again. */
static inline void
tmpl_buf_free(tmpl_buf *b)
{
	buf_free(b);
}

/* ---------- escaping helpers (the built-in formatters) ---------- */

/*
 * Each appends s[0..n) escaped for its context (tmpl-spec.md II.8) and
 * returns out's status: TMPL_OK, or E_NOMEM/E_TOOBIG.
 */
tmpl_status	 tmpl_escape_html(tmpl_buf *out, const char *s, size_t n);
tmpl_status	 tmpl_escape_attr(tmpl_buf *out, const char *s, size_t n);
tmpl_status	 tmpl_escape_entity(tmpl_buf *out, const char *s, size_t n);
tmpl_status	 tmpl_escape_url(tmpl_buf *out, const char *s, size_t n);
tmpl_status	 tmpl_escape_js(tmpl_buf *out, const char *s, size_t n);

/* User formatter: append the formatted value to out; 0, or non-zero on
 * failure (the render then fails with E_FORMATTER). */
typedef int	(*tmpl_fmt_fn)(tmpl_buf *out, const char *s, size_t n,
		    void *ud);

/* ---------- environment = root dir + formatters + cache ---------- */

typedef struct tmpl_env tmpl_env;

enum {
	TMPL_ENV_RELOAD = 1u << 0,	/* tmpl_env_refresh() checks files */
	TMPL_ENV_STRICT = 1u << 1	/* undefined TMPL_VAR: E_UNDEF */
};

enum tmpl_limit {
	TMPL_LIMIT_INCLUDE_DEPTH,	/* default 16, range 1..64 */
	TMPL_LIMIT_TEMPLATE_BYTES,	/* default 4 MiB, at least 1 */
	TMPL_LIMIT_NESTING,		/* default 100, range 1..1000 */
	TMPL_LIMIT__MAX
};

/*
 * A new environment for the templates under root_dir (opened now and kept
 * open). Returns NULL if out of memory or root_dir is not a readable
 * directory. Free it with tmpl_env_free().
 */
tmpl_env	*tmpl_env_new(const char *root_dir, unsigned flags);

/* Sets a limit for later loads and renders; E_INVAL if out of range. */
tmpl_status	 tmpl_env_set_limit(tmpl_env *env, enum tmpl_limit which,
		    size_t value);

/*
 * Registers formatter name (matching [A-Za-z][A-Za-z0-9_-]*) for templates
 * loaded from now on. E_INVAL for a bad or built-in or already registered
 * name, or a NULL fn; E_NOMEM if out of memory. ud must outlive env.
 */
tmpl_status	 tmpl_env_add_fmt(tmpl_env *env, const char *name,
		    tmpl_fmt_fn fn, void *ud);

/*
 * With TMPL_ENV_RELOAD: if any cached file changed (mtime, size, inode) or
 * vanished, drops the whole cache (string templates too) and returns 1;
 * every tmpl * from env is then invalid. Returns 0 if nothing changed or
 * the flag is not set, TMPL_E_INVAL (< 0) for a NULL env.
 */
int		 tmpl_env_refresh(tmpl_env *env);

/* Frees env and every template from it. NULL is a no-op. */
void		 tmpl_env_free(tmpl_env *env);

/* Test and diagnostic hook: template files read from disk so far. */
unsigned long	 tmpl_env_reads(const tmpl_env *env);

/* ---------- templates (immutable, owned by env) ---------- */

typedef struct tmpl tmpl;

/*
 * The template called name (a path under root), loading it and everything
 * it includes on first use; later calls return the cached pointer. On
 * error NULL is returned, err is filled and nothing is cached.
 */
const tmpl	*tmpl_get(tmpl_env *env, const char *name, tmpl_error *err);

/*
 * Loads src[0..len) as the template "string:NAME"; includes resolve under
 * root ('.../' uses the directory part of name). E_INVAL if name is
 * already registered. On error NULL is returned and nothing is cached.
 */
const tmpl	*tmpl_from_string(tmpl_env *env, const char *name,
		    const char *src, size_t len, tmpl_error *err);

/*
 * Loads every regular file under root whose name ends in suffix (NULL
 * means ".tmpl"), in sorted order, stopping at the first error, which is
 * returned and described in err. Use it before fork() and in CI.
 */
tmpl_status	 tmpl_preload_dir(tmpl_env *env, const char *suffix,
		    tmpl_error *err);

/* The name as used in errors: "dir/x.tmpl" or "string:NAME". */
const char	*tmpl_name(const tmpl *t);

/* ---------- variables (arena-allocated tree) ---------- */

typedef struct tmpl_vars tmpl_vars;	/* a scope: variables + loops */
typedef struct tmpl_loop tmpl_loop;	/* ordered rows (tmpl_vars) */

/* A new root scope in a; NULL if out of memory. Freed by arena reset. */
tmpl_vars	*tmpl_vars_new(tmpl_arena *a);

/*
 * Setters. A later set of the same name in the same scope wins. After
 * any allocation failure the whole tree is E_NOMEM and every later call
 * is a no-op returning E_NOMEM. NULL v or name: E_INVAL.
 * tmpl_set/tmpl_setn/tmpl_setf copy name and value into the arena;
 * tmpl_set_ref copies the name only: value must outlive the render.
 */
tmpl_status	 tmpl_set(tmpl_vars *v, const char *name, const char *value);
tmpl_status	 tmpl_setn(tmpl_vars *v, const char *name, const char *value,
		    size_t n);
tmpl_status	 tmpl_set_ref(tmpl_vars *v, const char *name,
		    const char *value);
tmpl_status	 tmpl_setf(tmpl_vars *v, const char *name,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
tmpl_status	 tmpl_set_int(tmpl_vars *v, const char *name, long long x);
/* Sets "1" if cond, else "". */
tmpl_status	 tmpl_set_bool(tmpl_vars *v, const char *name, int cond);
/* name, value, ... up to a NULL name; a pair with a NULL value is skipped.
 * Returns the first failure, or TMPL_OK. */
tmpl_status	 tmpl_set_many_(tmpl_vars *v, ...);
#define tmpl_set_many(v, ...) tmpl_set_many_((v), __VA_ARGS__, (const char *)0)

/* The loop name of scope v, created (with no rows) if absent; NULL on
 * OOM or bad arguments. */
tmpl_loop	*tmpl_add_loop(tmpl_vars *v, const char *name);
/* Appends a new empty row to l and returns it; NULL on OOM or NULL l. */
tmpl_vars	*tmpl_loop_row(tmpl_loop *l);
/* Number of rows in l (0 for NULL). */
size_t		 tmpl_loop_len(const tmpl_loop *l);
/* Sticky status of the whole tree v belongs to (E_INVAL for NULL). */
tmpl_status	 tmpl_vars_status(const tmpl_vars *v);

/* ---------- rendering ---------- */

/* Output callback: write p[0..n); 0 = ok. */
typedef int	(*tmpl_sink_fn)(void *ud, const char *p, size_t n);

/*
 * Renders t with vars (may be NULL) appended to out. On failure out->len
 * and out->status are restored to their values at entry and err says why.
 * A tree whose status is E_NOMEM renders nothing and returns E_NOMEM.
 */
tmpl_status	 tmpl_render(const tmpl *t, const tmpl_vars *vars,
		    tmpl_buf *out, tmpl_error *err);

/*
 * Like tmpl_render(), but streams the output to sink through an internal
 * 8 KiB staging buffer. Bytes already given to sink stay sent on failure;
 * a non-zero return from sink stops with E_SINK.
 */
tmpl_status	 tmpl_render_sink(const tmpl *t, const tmpl_vars *vars,
		    tmpl_sink_fn sink, void *ud, tmpl_error *err);

#endif /* TMPL_H */
