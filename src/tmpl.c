/* tmpl.c: the Keepword template engine: loader, parser, cache, renderer. */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "kw.h"
#include "tmpl.h"

#define DEF_INCLUDE_DEPTH	16
#define MAX_INCLUDE_DEPTH	64
#define DEF_TEMPLATE_BYTES	((size_t)4 << 20)
#define DEF_NESTING		100
#define MAX_NESTING		1000
#define MAX_PATH_LEN		1024	/* longest template name */
#define SINK_STAGE		8192	/* sink flush size */
#define VIA_MAX			8	/* include sites listed */
#define NBUCKETS		256	/* template cache hash buckets */
#define TMPL_ARENA_BLOCK	4096
#define VLEN_REF		SIZE_MAX	/* value length: strlen */

/* ---------- status texts ---------- */

#define NSTATUS	16	/* TMPL_OK .. TMPL_E_SINK, indexed by -code */

static const char *const status_names[NSTATUS] = {
	[0] = "OK",
	[-TMPL_E_NOMEM] = "E_NOMEM",
	[-TMPL_E_INVAL] = "E_INVAL",
	[-TMPL_E_IO] = "E_IO",
	[-TMPL_E_PATH] = "E_PATH",
	[-TMPL_E_TOOBIG] = "E_TOOBIG",
	[-TMPL_E_SYNTAX] = "E_SYNTAX",
	[-TMPL_E_UNKNOWN_TAG] = "E_UNKNOWN_TAG",
	[-TMPL_E_STRUCTURE] = "E_STRUCTURE",
	[-TMPL_E_COMMENT] = "E_COMMENT",
	[-TMPL_E_FMT] = "E_FMT",
	[-TMPL_E_LEVEL] = "E_LEVEL",
	[-TMPL_E_DEPTH] = "E_DEPTH",
	[-TMPL_E_UNDEF] = "E_UNDEF",
	[-TMPL_E_FORMATTER] = "E_FORMATTER",
	[-TMPL_E_SINK] = "E_SINK",
};

static const char *const status_texts[NSTATUS] = {
	[0] = "OK: success",
	[-TMPL_E_NOMEM] = "E_NOMEM: out of memory",
	[-TMPL_E_INVAL] = "E_INVAL: invalid argument",
	[-TMPL_E_IO] = "E_IO: template file missing or unreadable",
	[-TMPL_E_PATH] = "E_PATH: invalid template name",
	[-TMPL_E_TOOBIG] = "E_TOOBIG: size limit exceeded",
	[-TMPL_E_SYNTAX] = "E_SYNTAX: malformed tag",
	[-TMPL_E_UNKNOWN_TAG] = "E_UNKNOWN_TAG: unknown tag",
	[-TMPL_E_STRUCTURE] = "E_STRUCTURE: bad if/loop structure",
	[-TMPL_E_COMMENT] = "E_COMMENT: unterminated comment",
	[-TMPL_E_FMT] = "E_FMT: unknown formatter",
	[-TMPL_E_LEVEL] = "E_LEVEL: bad break/continue level",
	[-TMPL_E_DEPTH] = "E_DEPTH: include depth limit exceeded",
	[-TMPL_E_UNDEF] = "E_UNDEF: undefined variable",
	[-TMPL_E_FORMATTER] = "E_FORMATTER: formatter failed",
	[-TMPL_E_SINK] = "E_SINK: output callback failed",
};

/* ---------- formatters ---------- */

enum fmt_kind {
	FMT_HTML,
	FMT_ATTR,
	FMT_ENTITY,
	FMT_URL,
	FMT_JS,
	FMT_RAW,
	FMT__MAX
};

static tmpl_status	esc_raw(tmpl_buf *, const char *, size_t);

static const struct builtin_fmt {
	const char	 *name;
	tmpl_status	(*fn)(tmpl_buf *, const char *, size_t);
} builtin_fmts[FMT__MAX] = {
	[FMT_HTML] = { "html", tmpl_escape_html },
	[FMT_ATTR] = { "attr", tmpl_escape_attr },
	[FMT_ENTITY] = { "entity", tmpl_escape_entity },
	[FMT_URL] = { "url", tmpl_escape_url },
	[FMT_JS] = { "js", tmpl_escape_js },
	[FMT_RAW] = { "raw", esc_raw },
};

/* A user formatter, registered with tmpl_env_add_fmt(). */
struct fmtent {
	struct fmtent	*next;
	tmpl_fmt_fn	 fn;
	void		*ud;
	char		 name[];
};

/* ---------- tags and attributes ---------- */

enum attr_kind {
	ATTR_NAME,
	ATTR_VALUE,
	ATTR_DEFAULT,
	ATTR_FMT,
	ATTR_LEVEL,
	ATTR__MAX
};

static const char *const attr_names[ATTR__MAX] = {
	[ATTR_NAME] = "name",
	[ATTR_VALUE] = "value",
	[ATTR_DEFAULT] = "default",
	[ATTR_FMT] = "fmt",
	[ATTR_LEVEL] = "level",
};

#define A(k)	(1u << (k))

enum tag_kind {
	TAG_VAR,
	TAG_INCLUDE,
	TAG_IF,
	TAG_ELSIF,
	TAG_ELSE,
	TAG_ENDIF,
	TAG_LOOP,
	TAG_ENDLOOP,
	TAG_BREAK,
	TAG_CONTINUE,
	TAG__MAX
};

static const struct tagdef {
	const char	*kw;		/* keyword after any '/' */
	const char	*show;		/* how messages write the tag */
	int		 closer;	/* written with a leading '/' */
	int		 selfclose;	/* "/>" allowed */
	unsigned	 attrs;		/* allowed attributes */
} tagdefs[TAG__MAX] = {
	[TAG_VAR] = { "TMPL_VAR", "<TMPL_VAR>", 0, 1,
	    A(ATTR_NAME) | A(ATTR_DEFAULT) | A(ATTR_FMT) },
	[TAG_INCLUDE] = { "TMPL_INCLUDE", "<TMPL_INCLUDE>", 0, 1,
	    A(ATTR_NAME) },
	[TAG_IF] = { "TMPL_IF", "<TMPL_IF>", 0, 0,
	    A(ATTR_NAME) | A(ATTR_VALUE) },
	[TAG_ELSIF] = { "TMPL_ELSIF", "<TMPL_ELSIF>", 0, 1,
	    A(ATTR_NAME) | A(ATTR_VALUE) },
	[TAG_ELSE] = { "TMPL_ELSE", "<TMPL_ELSE>", 0, 1, 0 },
	[TAG_ENDIF] = { "TMPL_IF", "</TMPL_IF>", 1, 0, 0 },
	[TAG_LOOP] = { "TMPL_LOOP", "<TMPL_LOOP>", 0, 0, A(ATTR_NAME) },
	[TAG_ENDLOOP] = { "TMPL_LOOP", "</TMPL_LOOP>", 1, 0, 0 },
	[TAG_BREAK] = { "TMPL_BREAK", "<TMPL_BREAK>", 0, 1, A(ATTR_LEVEL) },
	[TAG_CONTINUE] = { "TMPL_CONTINUE", "<TMPL_CONTINUE>", 0, 1,
	    A(ATTR_LEVEL) },
};

/* ---------- the parsed tree ---------- */

enum node_kind {
	NODE_TEXT,
	NODE_VAR,
	NODE_IF,
	NODE_LOOP,
	NODE_INCLUDE,
	NODE_BREAK,
	NODE_CONTINUE,
	NODE__MAX
};

struct node;

/* One TMPL_IF or TMPL_ELSIF arm. */
struct arm {
	struct arm	*next;
	const char	*name;
	size_t		 namelen;
	uint32_t	 namehash;	/* name_hash() */
	const char	*value;		/* NULL: no value attribute */
	size_t		 valuelen;
	struct node	*body;
};

struct node {
	struct node	*next;
	enum node_kind	 kind;
	unsigned	 line, col;	/* of the tag's '<'; 0 for text */
	union {
		struct {
			const char	*p;
			size_t		 n;
		} text;
		struct {
			const char		*name;
			size_t			 namelen;
			uint32_t		 namehash;	/* name_hash() */
			const char		*def;	/* or NULL */
			size_t			 deflen;
			enum fmt_kind		 fmt;
			const struct fmtent	*user;	/* or NULL */
		} var;
		struct {
			struct arm	*arms;
			struct node	*els;
		} cond;
		struct {
			const char	*name;
			size_t		 namelen;
			struct node	*body;
		} loop;
		const struct tmpl	*inc;
		unsigned		 level;
	} u;
};

struct tmpl {
	struct tmpl	*hnext;		/* hash chain */
	struct tmpl	*anext;		/* env->all, or the load unit */
	tmpl_env	*env;
	struct arena	*arena;		/* this struct and its nodes */
	char		*name;		/* path under root, or NAME */
	char		*label;		/* name, or "string:NAME" */
	int		 is_string;
	int		 parsed;
	unsigned	 hash;
	struct node	*body;
	/* file identity, for tmpl_env_refresh() */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	/* while loading: the include tag that first asked for this file */
	const struct tmpl *site;
	unsigned	 site_line, site_col;
};

struct tmpl_env {
	int		 rootfd;
	unsigned	 flags;
	size_t		 limit[TMPL_LIMIT__MAX];
	struct fmtent	*fmts;
	struct tmpl	*bucket[NBUCKETS];
	struct tmpl	*all;
	unsigned long	 reads;
};

/* ---------- variables ---------- */

struct vstate {
	struct arena	*arena;
	tmpl_status	 status;
};

struct var {
	struct var	*next;		/* in the scope, newest first */
	struct var	*hnext;		/* in its bucket, newest first */
	const char	*name;
	size_t		 namelen;
	uint32_t	 hash;		/* name_hash(name) */
	const char	*value;
	size_t		 vlen;		/* or VLEN_REF: NUL-terminated */
};

/*
 * A scope with more than a few variables (a page's root holds a hundred
 * or more) also keeps them in a hash table, so that a lookup that falls
 * through a loop row to the root does not walk them all.
 */
#define SCOPE_TABLE_MIN		8	/* variables before a table is made */
#define SCOPE_TABLE_SIZE	64	/* buckets, a power of two */

struct tmpl_vars {
	struct vstate	*st;
	struct var	*vars;		/* newest first */
	struct var	**table;	/* SCOPE_TABLE_SIZE buckets, or NULL */
	size_t		 nvars;
	struct tmpl_loop *loops;
	struct tmpl_vars *next;		/* next row of the same loop */
};

struct tmpl_loop {
	struct tmpl_loop *next;
	struct vstate	*st;
	const char	*name;
	size_t		 namelen;
	struct tmpl_vars *first, *last;
	size_t		 n;
};

/* FNV-1a of a variable's name, for the scopes' hash tables. */
static uint32_t
name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* ---------- errors ---------- */

static void
err_clear(tmpl_error *e)
{
	if (e == NULL)
		return;
	e->code = TMPL_OK;
	e->file[0] = e->msg[0] = e->via[0] = '\0';
	e->line = e->col = 0;
}

/* Fills e (if not NULL); control bytes in the message become '?'. */
static tmpl_status
err_set(tmpl_error *e, tmpl_status code, const char *file, unsigned line,
    unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static tmpl_status
err_set(tmpl_error *e, tmpl_status code, const char *file, unsigned line,
    unsigned col, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (e == NULL)
		return code;
	e->code = code;
	snprintf(e->file, sizeof(e->file), "%s", file != NULL ? file : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	for (p = e->msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	for (p = e->file; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	e->via[0] = '\0';
	return code;
}

const char *
tmpl_strerror(tmpl_status code)
{
	if (code > 0 || code <= -NSTATUS)
		return "E_UNKNOWN: unknown status";
	return status_texts[-code];
}

static const char *
status_name(tmpl_status code)
{
	if (code > 0 || code <= -NSTATUS)
		return "E_UNKNOWN";
	return status_names[-code];
}

/* snprintf into dst at *off, counting the full length in *off. */
static void
fmt_at(char *dst, size_t dstlen, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
fmt_at(char *dst, size_t dstlen, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (dst != NULL && *off < dstlen)
		n = vsnprintf(dst + *off, dstlen - *off, fmt, ap);
	else
		n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

size_t
tmpl_error_format(const tmpl_error *e, char *dst, size_t dstlen)
{
	size_t off = 0;
	const char *p, *nl;

	if (dst != NULL && dstlen > 0)
		dst[0] = '\0';
	if (e == NULL)
		return 0;
	if (e->file[0] != '\0' && e->line != 0)
		fmt_at(dst, dstlen, &off, "%s:%u:%u: ", e->file, e->line,
		    e->col);
	else if (e->file[0] != '\0')
		fmt_at(dst, dstlen, &off, "%s: ", e->file);
	fmt_at(dst, dstlen, &off, "error: %s [%s]", e->msg,
	    status_name(e->code));
	for (p = e->via; *p != '\0'; p = nl + (*nl != '\0')) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			fmt_at(dst, dstlen, &off, "\n  %.*s", (int)(nl - p), p);
	}
	return off;
}

/* ---------- buffer wrapper ---------- */

tmpl_status
tmpl_buf_printf(tmpl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int st;

	va_start(ap, fmt);
	st = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return (tmpl_status)st;
}

/* ---------- escaping ---------- */

static const char *const html_map[256] = {
	[0] = "",
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
};

static const char *const attr_map[256] = {
	[0] = "",
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
	['\n'] = "&#10;", ['\r'] = "&#13;", ['\t'] = "&#9;", ['`'] = "&#96;",
};

static const char *const entity_map[256] = {
	[0] = "",
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;",
	['"'] = "&quot;", ['\''] = "&#39;",
	['\n'] = "&#10;", ['\r'] = "&#13;",
};

#define U(x)	[0x##x] = "\\u00" #x
static const char *const js_map[256] = {
	U(00), U(01), U(02), U(03), U(04), U(05), U(06), U(07), U(08),
	U(0B), U(0C), U(0E), U(0F),
	U(10), U(11), U(12), U(13), U(14), U(15), U(16), U(17),
	U(18), U(19), U(1A), U(1B), U(1C), U(1D), U(1E), U(1F), U(7F),
	['\t'] = "\\t", ['\n'] = "\\n", ['\r'] = "\\r",
	['\\'] = "\\\\", ['"'] = "\\u0022", ['\''] = "\\u0027",
	['`'] = "\\u0060", ['<'] = "\\u003C", ['>'] = "\\u003E",
	['&'] = "\\u0026", ['/'] = "\\/",
};
#undef U

/* Appends s[0..n) replacing each byte that has an entry in map. */
static tmpl_status
escape_map(tmpl_buf *out, const char *s, size_t n, const char *const *map)
{
	size_t i, run = 0;
	const char *r;

	for (i = 0; i < n; i++) {
		if ((r = map[(unsigned char)s[i]]) == NULL)
			continue;
		if (i > run)
			buf_append(out, s + run, i - run);
		if (*r != '\0')
			buf_puts(out, r);
		run = i + 1;
	}
	if (n > run)
		buf_append(out, s + run, n - run);
	return (tmpl_status)out->status;
}

tmpl_status
tmpl_escape_html(tmpl_buf *out, const char *s, size_t n)
{
	return escape_map(out, s, n, html_map);
}

tmpl_status
tmpl_escape_attr(tmpl_buf *out, const char *s, size_t n)
{
	return escape_map(out, s, n, attr_map);
}

tmpl_status
tmpl_escape_entity(tmpl_buf *out, const char *s, size_t n)
{
	return escape_map(out, s, n, entity_map);
}

static int
url_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

tmpl_status
tmpl_escape_url(tmpl_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run = 0;
	unsigned char c;
	char pct[3];

	pct[0] = '%';
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (url_unreserved(c))
			continue;
		if (i > run)
			buf_append(out, s + run, i - run);
		pct[1] = hex[c >> 4];
		pct[2] = hex[c & 0xf];
		buf_append(out, pct, sizeof(pct));
		run = i + 1;
	}
	if (n > run)
		buf_append(out, s + run, n - run);
	return (tmpl_status)out->status;
}

tmpl_status
tmpl_escape_js(tmpl_buf *out, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *r;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == 0xe2 && n - i >= 3 &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 ||
		    (unsigned char)s[i + 2] == 0xa9)) {
			if (i > run)
				buf_append(out, s + run, i - run);
			buf_puts(out, (unsigned char)s[i + 2] == 0xa8 ?
			    "\\u2028" : "\\u2029");
			i += 2;
			run = i + 1;
			continue;
		}
		if ((r = js_map[c]) == NULL)
			continue;
		if (i > run)
			buf_append(out, s + run, i - run);
		buf_puts(out, r);
		run = i + 1;
	}
	if (n > run)
		buf_append(out, s + run, n - run);
	return (tmpl_status)out->status;
}

static tmpl_status
esc_raw(tmpl_buf *out, const char *s, size_t n)
{
	return (tmpl_status)buf_append(out, s, n);
}

/* ---------- environment ---------- */

tmpl_env *
tmpl_env_new(const char *root_dir, unsigned flags)
{
	tmpl_env *env = NULL;
	int fd = -1;

	if (root_dir == NULL)
		goto out;
	if ((fd = open(root_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		goto out;
	if ((env = calloc(1, sizeof(*env))) == NULL)
		goto out;
	env->rootfd = fd;
	fd = -1;
	env->flags = flags;
	env->limit[TMPL_LIMIT_INCLUDE_DEPTH] = DEF_INCLUDE_DEPTH;
	env->limit[TMPL_LIMIT_TEMPLATE_BYTES] = DEF_TEMPLATE_BYTES;
	env->limit[TMPL_LIMIT_NESTING] = DEF_NESTING;
out:
	if (fd != -1)
		close(fd);
	return env;
}

tmpl_status
tmpl_env_set_limit(tmpl_env *env, enum tmpl_limit which, size_t value)
{
	if (env == NULL)
		return TMPL_E_INVAL;
	switch (which) {
	case TMPL_LIMIT_INCLUDE_DEPTH:
		if (value < 1 || value > MAX_INCLUDE_DEPTH)
			return TMPL_E_INVAL;
		break;
	case TMPL_LIMIT_TEMPLATE_BYTES:
		if (value < 1 || value > SIZE_MAX / 2)
			return TMPL_E_INVAL;
		break;
	case TMPL_LIMIT_NESTING:
		if (value < 1 || value > MAX_NESTING)
			return TMPL_E_INVAL;
		break;
	default:
		return TMPL_E_INVAL;
	}
	env->limit[which] = value;
	return TMPL_OK;
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_word(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static int
is_bare(unsigned char c)
{
	return is_word(c) || c == '.' || c == '-';
}

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const struct fmtent *
user_fmt(const tmpl_env *env, const char *name, size_t len)
{
	const struct fmtent *f;

	for (f = env->fmts; f != NULL; f = f->next)
		if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
			return f;
	return NULL;
}

static int
builtin_fmt(const char *name, size_t len)
{
	int i;

	for (i = 0; i < FMT__MAX; i++)
		if (strlen(builtin_fmts[i].name) == len &&
		    memcmp(builtin_fmts[i].name, name, len) == 0)
			return i;
	return -1;
}

tmpl_status
tmpl_env_add_fmt(tmpl_env *env, const char *name, tmpl_fmt_fn fn, void *ud)
{
	struct fmtent *f;
	size_t i, len;

	if (env == NULL || name == NULL || fn == NULL)
		return TMPL_E_INVAL;
	len = strlen(name);
	if (len == 0 || !is_alpha((unsigned char)name[0]))
		return TMPL_E_INVAL;
	for (i = 1; i < len; i++)
		if (!is_word((unsigned char)name[i]) && name[i] != '-')
			return TMPL_E_INVAL;
	if (builtin_fmt(name, len) >= 0 || user_fmt(env, name, len) != NULL)
		return TMPL_E_INVAL;
	if ((f = malloc(sizeof(*f) + len + 1)) == NULL)
		return TMPL_E_NOMEM;
	memcpy(f->name, name, len + 1);
	f->fn = fn;
	f->ud = ud;
	f->next = env->fmts;
	env->fmts = f;
	return TMPL_OK;
}

static void
template_free(struct tmpl *t)
{
	struct arena *a;

	if (t == NULL)
		return;
	a = t->arena;
	arena_free(a);
}

/* Frees every cached template. */
static void
cache_drop(tmpl_env *env)
{
	struct tmpl *t, *next;

	for (t = env->all; t != NULL; t = next) {
		next = t->anext;
		template_free(t);
	}
	env->all = NULL;
	memset(env->bucket, 0, sizeof(env->bucket));
}

int
tmpl_env_refresh(tmpl_env *env)
{
	const struct tmpl *t;
	struct stat st;
	int changed = 0;

	if (env == NULL)
		return TMPL_E_INVAL;
	if (!(env->flags & TMPL_ENV_RELOAD))
		return 0;
	for (t = env->all; t != NULL && !changed; t = t->anext) {
		if (t->is_string)
			continue;
		if (fstatat(env->rootfd, t->name, &st, 0) == -1 ||
		    st.st_dev != t->dev || st.st_ino != t->ino ||
		    st.st_size != t->size ||
		    st.st_mtim.tv_sec != t->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != t->mtime.tv_nsec)
			changed = 1;
	}
	if (changed)
		cache_drop(env);
	return changed;
}

void
tmpl_env_free(tmpl_env *env)
{
	struct fmtent *f, *next;

	if (env == NULL)
		return;
	cache_drop(env);
	for (f = env->fmts; f != NULL; f = next) {
		next = f->next;
		free(f);
	}
	close(env->rootfd);
	free(env);
}

unsigned long
tmpl_env_reads(const tmpl_env *env)
{
	return env != NULL ? env->reads : 0;
}

const char *
tmpl_name(const tmpl *t)
{
	return t != NULL ? t->label : "";
}

/* ---------- cache ---------- */

static unsigned
hash_name(const char *s, int is_string)
{
	unsigned h = 2166136261u ^ (unsigned)is_string;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct tmpl *
cache_find(const tmpl_env *env, const char *name, int is_string)
{
	struct tmpl *t;
	unsigned h = hash_name(name, is_string);

	for (t = env->bucket[h % NBUCKETS]; t != NULL; t = t->hnext)
		if (t->hash == h && t->is_string == is_string &&
		    strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/*
 * A new, unparsed template called name (a string template if is_string).
 * NULL if out of memory.
 */
static struct tmpl *
template_new(tmpl_env *env, const char *name, size_t len, int is_string)
{
	struct arena *a;
	struct tmpl *t = NULL;
	size_t llen;

	if ((a = arena_new(TMPL_ARENA_BLOCK, 0)) == NULL)
		return NULL;
	if ((t = arena_alloc(a, sizeof(*t))) == NULL)
		goto fail;
	memset(t, 0, sizeof(*t));
	t->arena = a;
	t->env = env;
	t->is_string = is_string;
	if ((t->name = arena_strndup(a, name, len)) == NULL)
		goto fail;
	if (is_string) {
		llen = len + sizeof("string:");
		if ((t->label = arena_alloc(a, llen)) == NULL)
			goto fail;
		snprintf(t->label, llen, "string:%s", t->name);
	} else
		t->label = t->name;
	t->hash = hash_name(t->name, is_string);
	return t;
fail:
	arena_free(a);
	return NULL;
}

/* ---------- loading ---------- */

/* One load unit: a template and everything it includes. */
struct loader {
	tmpl_env	*env;
	struct tmpl	*pending;	/* in creation order */
	struct tmpl	**ptail;
	struct buf	 text;		/* the text node being built */
	tmpl_error	*err;
};

static void
loader_init(struct loader *l, tmpl_env *env, tmpl_error *err)
{
	memset(l, 0, sizeof(*l));
	l->env = env;
	l->ptail = &l->pending;
	l->err = err;
	buf_init(&l->text, 0, 0);
}

static void
loader_add(struct loader *l, struct tmpl *t)
{
	t->anext = NULL;
	*l->ptail = t;
	l->ptail = &t->anext;
}

/* Moves the unit into the cache. */
static void
loader_commit(struct loader *l)
{
	struct tmpl *t, *next;
	unsigned b;

	for (t = l->pending; t != NULL; t = next) {
		next = t->anext;
		b = t->hash % NBUCKETS;
		t->hnext = l->env->bucket[b];
		l->env->bucket[b] = t;
		t->anext = l->env->all;
		l->env->all = t;
	}
	l->pending = NULL;
	l->ptail = &l->pending;
}

/* Frees the unit (after a failure) and the loader's scratch space. */
static void
loader_finish(struct loader *l)
{
	struct tmpl *t, *next;

	for (t = l->pending; t != NULL; t = next) {
		next = t->anext;
		template_free(t);
	}
	l->pending = NULL;
	buf_free(&l->text);
}

static struct tmpl *
loader_find(const struct loader *l, const char *name)
{
	struct tmpl *t;

	if ((t = cache_find(l->env, name, 0)) != NULL)
		return t;
	for (t = l->pending; t != NULL; t = t->anext)
		if (!t->is_string && strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* NULL if name[0..n) is a valid template name, else why not. */
static const char *
path_problem(const char *name, size_t n)
{
	size_t i, seg = 0;

	if (n == 0)
		return "empty template name";
	if (n > MAX_PATH_LEN)
		return "template name too long";
	if (name[0] == '/')
		return "absolute template name";
	for (i = 0; i <= n; i++) {
		if (i < n && name[i] == '\\')
			return "backslash in template name";
		if (i < n && name[i] == '\0')
			return "NUL byte in template name";
		if (i < n && name[i] != '/')
			continue;
		if (i == seg)
			return "empty segment in template name";
		if ((i - seg == 1 && name[seg] == '.') ||
		    (i - seg == 2 && name[seg] == '.' && name[seg + 1] == '.'))
			return "'.' or '..' segment in template name";
		seg = i + 1;
	}
	return NULL;
}

/* Reads file t->name into a malloc'd *data. */
static tmpl_status
read_file(struct loader *l, struct tmpl *t, char **data, size_t *len)
{
	tmpl_env *env = l->env;
	const char *efile = t->site != NULL ? t->site->label : t->label;
	unsigned eline = t->site != NULL ? t->site_line : 0;
	unsigned ecol = t->site != NULL ? t->site_col : 0;
	size_t max = env->limit[TMPL_LIMIT_TEMPLATE_BYTES], have = 0;
	struct stat st;
	char *p = NULL;
	ssize_t r;
	int fd, saved;
	tmpl_status rc = TMPL_OK;

	*data = NULL;
	*len = 0;
	fd = openat(env->rootfd, t->name,
	    O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		saved = errno;
		return err_set(l->err, TMPL_E_IO, efile, eline, ecol,
		    "cannot open '%s': %s", t->name, strerror(saved));
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		rc = err_set(l->err, TMPL_E_IO, efile, eline, ecol,
		    "'%s' is not a regular file", t->name);
		goto out;
	}
	if ((uintmax_t)st.st_size > max) {
		rc = err_set(l->err, TMPL_E_TOOBIG, t->label, 0, 0,
		    "template is larger than %zu bytes", max);
		goto out;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL) {
		rc = err_set(l->err, TMPL_E_NOMEM, t->label, 0, 0,
		    "out of memory");
		goto out;
	}
	/* Read at most the stat size; a file that grew meanwhile is cut. */
	while (have < (size_t)st.st_size) {
		r = read(fd, p + have, (size_t)st.st_size - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			saved = errno;
			rc = err_set(l->err, TMPL_E_IO, efile, eline, ecol,
			    "cannot read '%s': %s", t->name, strerror(saved));
			goto out;
		}
		if (r == 0)
			break;
		have += (size_t)r;
	}
	env->reads++;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->size = st.st_size;
	t->mtime = st.st_mtim;
	*data = p;
	*len = have;
	p = NULL;
out:
	free(p);
	close(fd);
	return rc;
}

/* ---------- lexer and parser ---------- */

struct lexer {
	struct loader	*l;
	struct tmpl	*t;
	const char	*src;
	size_t		 len;
	size_t		 pos_off;	/* position cache for lx_pos() */
	size_t		 pos_ls;	/* offset of that line's start */
	unsigned	 pos_line;
};

/* An open IF or LOOP (or the file itself, at the bottom). */
struct frame {
	struct node	*node;		/* NULL for the file */
	struct node	**tail;		/* where the next node goes */
	struct arm	*arm;		/* IF: the last arm */
	int		 in_else;
};

struct attr {
	int		 present;
	size_t		 off;		/* of the attribute name */
	const char	*v;
	size_t		 vlen;
};

struct tag {
	enum tag_kind	 kind;
	size_t		 off;		/* of '<' */
	unsigned	 line, col;
	int		 selfclosed;
	struct attr	 a[ATTR__MAX];
};

static void
lx_pos(struct lexer *lx, size_t off, unsigned *line, unsigned *col)
{
	const char *p, *end;

	if (off < lx->pos_off) {
		lx->pos_off = lx->pos_ls = 0;
		lx->pos_line = 1;
	}
	end = lx->src + off;
	for (p = lx->src + lx->pos_off;
	    (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
		lx->pos_line++;
		lx->pos_ls = (size_t)(p - lx->src) + 1;
	}
	lx->pos_off = off;
	*line = lx->pos_line;
	*col = (unsigned)(off - lx->pos_ls + 1);
}

static tmpl_status
lx_error(struct lexer *lx, tmpl_status code, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static tmpl_status
lx_error(struct lexer *lx, tmpl_status code, size_t off, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(((tmpl_error *)0)->msg)];
	unsigned line, col;

	lx_pos(lx, off, &line, &col);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(lx->l->err, code, lx->t->label, line, col, "%s", msg);
}

static tmpl_status
lx_nomem(struct lexer *lx)
{
	return err_set(lx->l->err, TMPL_E_NOMEM, lx->t->label, 0, 0,
	    "out of memory");
}

/* Is the '<' at off the start of a tag candidate (II.3)? */
static int
is_candidate(const char *s, size_t n, size_t off)
{
	size_t p = off + 1;

	if (n - p >= 3 && memcmp(s + p, "!--", 3) == 0) {
		p += 3;
		while (p < n && is_ws((unsigned char)s[p]))
			p++;
	}
	if (p < n && s[p] == '/')
		p++;
	return n - p >= 5 && strncasecmp(s + p, "TMPL_", 5) == 0;
}

/* Lexes the tag candidate at lt into tg; *endp is the offset after it. */
static tmpl_status
lex_tag(struct lexer *lx, size_t lt, struct tag *tg, size_t *endp)
{
	const char *s = lx->src;
	const struct tagdef *def = NULL;
	size_t n = lx->len, p = lt + 1, kw, an, v;
	int comment = 0, slash = 0, k, i;
	unsigned char c, q;

	memset(tg, 0, sizeof(*tg));
	tg->off = lt;
	lx_pos(lx, lt, &tg->line, &tg->col);
	if (n - p >= 3 && memcmp(s + p, "!--", 3) == 0) {
		comment = 1;
		for (p += 3; p < n && is_ws((unsigned char)s[p]); p++)
			continue;
	}
	if (s[p] == '/') {
		slash = 1;
		p++;
	}
	for (kw = p; p < n && is_word((unsigned char)s[p]); p++)
		continue;
	for (i = 0; i < TAG__MAX; i++)
		if (tagdefs[i].closer == slash &&
		    strlen(tagdefs[i].kw) == p - kw &&
		    strncasecmp(tagdefs[i].kw, s + kw, p - kw) == 0)
			break;
	if (i == TAG__MAX) {
		if (!slash && p - kw == 11 &&
		    strncasecmp(s + kw, "TMPL_ELSEIF", 11) == 0)
			return lx_error(lx, TMPL_E_UNKNOWN_TAG, lt,
			    "unknown tag <TMPL_ELSEIF> "
			    "(did you mean <TMPL_ELSIF>?)");
		return lx_error(lx, TMPL_E_UNKNOWN_TAG, lt,
		    "unknown tag <%s%.*s>", slash ? "/" : "",
		    (int)(p - kw > 40 ? 40 : p - kw), s + kw);
	}
	tg->kind = (enum tag_kind)i;
	def = &tagdefs[i];

	for (;;) {
		while (p < n && is_ws((unsigned char)s[p]))
			p++;
		if (p >= n)
			return lx_error(lx, TMPL_E_SYNTAX, lt,
			    "%s tag is not terminated", def->show);
		c = (unsigned char)s[p];
		if (comment) {
			if (n - p >= 3 && memcmp(s + p, "-->", 3) == 0) {
				p += 3;
				break;
			}
		} else if (c == '>') {
			p++;
			break;
		} else if (c == '/' && p + 1 < n && s[p + 1] == '>') {
			tg->selfclosed = 1;
			p += 2;
			break;
		}
		if (!is_alpha(c)) {
			if (c >= 0x21 && c < 0x7f)
				return lx_error(lx, TMPL_E_SYNTAX, p,
				    "unexpected character '%c' in %s",
				    c, def->show);
			return lx_error(lx, TMPL_E_SYNTAX, p,
			    "unexpected byte 0x%02X in %s", c, def->show);
		}

		/* An attribute: name [ws] = [ws] value. */
		for (an = p; p < n && is_word((unsigned char)s[p]); p++)
			continue;
		for (k = 0; k < ATTR__MAX; k++)
			if (strlen(attr_names[k]) == p - an &&
			    strncasecmp(attr_names[k], s + an, p - an) == 0)
				break;
		if (def->attrs == 0)
			return lx_error(lx, TMPL_E_SYNTAX, an,
			    "%s takes no attributes", def->show);
		if (k == ATTR__MAX || !(def->attrs & A(k)))
			return lx_error(lx, TMPL_E_SYNTAX, an,
			    "unknown attribute '%.*s' in %s",
			    (int)(p - an > 40 ? 40 : p - an), s + an,
			    def->show);
		if (tg->a[k].present)
			return lx_error(lx, TMPL_E_SYNTAX, an,
			    "duplicate attribute '%s' in %s",
			    attr_names[k], def->show);
		while (p < n && is_ws((unsigned char)s[p]))
			p++;
		if (p < n && s[p] == '=')
			for (p++; p < n && is_ws((unsigned char)s[p]); p++)
				continue;
		else if (p < n)
			return lx_error(lx, TMPL_E_SYNTAX, an,
			    "attribute '%s' has no value", attr_names[k]);
		if (p >= n)
			return lx_error(lx, TMPL_E_SYNTAX, lt,
			    "%s tag is not terminated", def->show);
		if (p < n && (s[p] == '"' || s[p] == '\'')) {
			q = (unsigned char)s[p];
			for (v = p + 1; v < n && (unsigned char)s[v] != q &&
			    s[v] != '\n'; v++)
				continue;
			if (v >= n || (unsigned char)s[v] != q)
				return lx_error(lx, TMPL_E_SYNTAX, p,
				    "unterminated quoted value");
			tg->a[k].v = s + p + 1;
			tg->a[k].vlen = v - p - 1;
			p = v + 1;
		} else if (p < n && is_bare((unsigned char)s[p])) {
			for (v = p; p < n && is_bare((unsigned char)s[p]); p++)
				continue;
			tg->a[k].v = s + v;
			tg->a[k].vlen = p - v;
		} else
			return lx_error(lx, TMPL_E_SYNTAX, an,
			    "attribute '%s' has no value", attr_names[k]);
		tg->a[k].present = 1;
		tg->a[k].off = an;
	}

	if (tg->selfclosed && !def->selfclose)
		return lx_error(lx, TMPL_E_SYNTAX, lt,
		    "%s cannot be self-closed", def->show);
	if (def->attrs & A(ATTR_NAME)) {
		if (!tg->a[ATTR_NAME].present)
			return lx_error(lx, TMPL_E_SYNTAX, lt,
			    "%s needs a name attribute", def->show);
		if (tg->a[ATTR_NAME].vlen == 0)
			return lx_error(lx, TMPL_E_SYNTAX,
			    tg->a[ATTR_NAME].off, "empty name in %s",
			    def->show);
	}
	*endp = p;
	return TMPL_OK;
}

static struct node *
node_new(struct lexer *lx, enum node_kind kind, const struct tag *tg)
{
	struct node *n;

	if ((n = arena_alloc(lx->t->arena, sizeof(*n))) == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	if (tg != NULL) {
		n->line = tg->line;
		n->col = tg->col;
	}
	return n;
}

static void
frame_append(struct frame *f, struct node *n)
{
	*f->tail = n;
	f->tail = &n->next;
}

/* Ends the current text run as a node of frame f. */
static tmpl_status
flush_text(struct lexer *lx, struct frame *f)
{
	struct buf *b = &lx->l->text;
	struct node *n;

	if (b->status != BUF_OK)
		return lx_nomem(lx);
	if (b->len == 0)
		return TMPL_OK;
	if ((n = node_new(lx, NODE_TEXT, NULL)) == NULL ||
	    (n->u.text.p = arena_strndup(lx->t->arena, b->data, b->len)) ==
	    NULL)
		return lx_nomem(lx);
	n->u.text.n = b->len;
	frame_append(f, n);
	buf_truncate(b, 0);
	return TMPL_OK;
}

/* Copies attribute k of tg into the template's arena. */
static const char *
attr_dup(struct lexer *lx, const struct tag *tg, enum attr_kind k)
{
	return arena_strndup(lx->t->arena, tg->a[k].v, tg->a[k].vlen);
}

/* Resolves the include of tg to a loaded or pending template. */
static tmpl_status
resolve_include(struct lexer *lx, const struct tag *tg, struct node *n)
{
	const struct attr *a = &tg->a[ATTR_NAME];
	struct loader *l = lx->l;
	char path[MAX_PATH_LEN + 2];
	const char *why, *slash;
	size_t plen, dlen = 0;
	struct tmpl *inc;
	int len;

	if (a->vlen >= 4 && memcmp(a->v, ".../", 4) == 0) {
		if ((slash = strrchr(lx->t->name, '/')) != NULL)
			dlen = (size_t)(slash - lx->t->name) + 1;
		if (dlen + a->vlen - 4 > MAX_PATH_LEN)
			return lx_error(lx, TMPL_E_PATH, a->off,
			    "template name too long");
		len = snprintf(path, sizeof(path), "%.*s%.*s", (int)dlen,
		    lx->t->name, (int)(a->vlen - 4), a->v + 4);
	} else {
		if (a->vlen > MAX_PATH_LEN)
			return lx_error(lx, TMPL_E_PATH, a->off,
			    "template name too long");
		len = snprintf(path, sizeof(path), "%.*s", (int)a->vlen,
		    a->v);
	}
	plen = len > 0 ? (size_t)len : 0;
	if ((why = path_problem(path, plen)) != NULL)
		return lx_error(lx, TMPL_E_PATH, a->off, "%s: '%s'", why,
		    path);
	if ((inc = loader_find(l, path)) == NULL) {
		if ((inc = template_new(l->env, path, plen, 0)) == NULL)
			return lx_nomem(lx);
		inc->site = lx->t;
		lx_pos(lx, a->off, &inc->site_line, &inc->site_col);
		loader_add(l, inc);
	}
	n->u.inc = inc;
	return TMPL_OK;
}

/* Builds the node(s) for tag tg, opening and closing frames. */
static tmpl_status
apply_tag(struct lexer *lx, struct frame *fr, size_t *nfr, const struct tag *tg)
{
	const tmpl_env *env = lx->l->env;
	struct frame *top = &fr[*nfr - 1];
	const struct attr *a;
	struct node *n = NULL;
	struct arm *arm;
	const char *show = tagdefs[tg->kind].show;
	size_t i, loops, level;
	tmpl_status rc;
	int f;

	switch (tg->kind) {
	case TAG_VAR:
		if ((n = node_new(lx, NODE_VAR, tg)) == NULL ||
		    (n->u.var.name = attr_dup(lx, tg, ATTR_NAME)) == NULL)
			return lx_nomem(lx);
		n->u.var.namelen = tg->a[ATTR_NAME].vlen;
		n->u.var.namehash = name_hash(n->u.var.name,
		    n->u.var.namelen);
		if (tg->a[ATTR_DEFAULT].present) {
			if ((n->u.var.def = attr_dup(lx, tg, ATTR_DEFAULT)) ==
			    NULL)
				return lx_nomem(lx);
			n->u.var.deflen = tg->a[ATTR_DEFAULT].vlen;
		}
		n->u.var.fmt = FMT_HTML;
		a = &tg->a[ATTR_FMT];
		if (a->present) {
			if ((f = builtin_fmt(a->v, a->vlen)) >= 0)
				n->u.var.fmt = (enum fmt_kind)f;
			else if ((n->u.var.user = user_fmt(env, a->v,
			    a->vlen)) == NULL)
				return lx_error(lx, TMPL_E_FMT, a->off,
				    "unknown formatter '%.*s'",
				    (int)(a->vlen > 40 ? 40 : a->vlen), a->v);
		}
		frame_append(top, n);
		break;
	case TAG_INCLUDE:
		if ((n = node_new(lx, NODE_INCLUDE, tg)) == NULL)
			return lx_nomem(lx);
		if ((rc = resolve_include(lx, tg, n)) != TMPL_OK)
			return rc;
		frame_append(top, n);
		break;
	case TAG_IF:
	case TAG_LOOP:
		if (*nfr - 1 >= env->limit[TMPL_LIMIT_NESTING])
			return lx_error(lx, TMPL_E_SYNTAX, tg->off,
			    "IF/LOOP nesting deeper than %zu",
			    env->limit[TMPL_LIMIT_NESTING]);
		n = node_new(lx, tg->kind == TAG_IF ? NODE_IF : NODE_LOOP, tg);
		if (n == NULL)
			return lx_nomem(lx);
		frame_append(top, n);
		top = &fr[(*nfr)++];
		memset(top, 0, sizeof(*top));
		top->node = n;
		if (tg->kind == TAG_LOOP) {
			if ((n->u.loop.name = attr_dup(lx, tg, ATTR_NAME)) ==
			    NULL)
				return lx_nomem(lx);
			n->u.loop.namelen = tg->a[ATTR_NAME].vlen;
			top->tail = &n->u.loop.body;
			break;
		}
		/* An IF goes on with its first arm. */
		/* FALLTHROUGH */
	case TAG_ELSIF:
		if (tg->kind == TAG_ELSIF) {
			if (top->node == NULL || top->node->kind != NODE_IF)
				return lx_error(lx, TMPL_E_STRUCTURE, tg->off,
				    "%s outside <TMPL_IF>", show);
			if (top->in_else)
				return lx_error(lx, TMPL_E_STRUCTURE, tg->off,
				    "%s after <TMPL_ELSE>", show);
		}
		if ((arm = arena_alloc(lx->t->arena, sizeof(*arm))) == NULL)
			return lx_nomem(lx);
		memset(arm, 0, sizeof(*arm));
		if ((arm->name = attr_dup(lx, tg, ATTR_NAME)) == NULL)
			return lx_nomem(lx);
		arm->namelen = tg->a[ATTR_NAME].vlen;
		arm->namehash = name_hash(arm->name, arm->namelen);
		if (tg->a[ATTR_VALUE].present) {
			if ((arm->value = attr_dup(lx, tg, ATTR_VALUE)) == NULL)
				return lx_nomem(lx);
			arm->valuelen = tg->a[ATTR_VALUE].vlen;
		}
		if (top->arm == NULL)
			top->node->u.cond.arms = arm;
		else
			top->arm->next = arm;
		top->arm = arm;
		top->tail = &arm->body;
		break;
	case TAG_ELSE:
		if (top->node == NULL || top->node->kind != NODE_IF)
			return lx_error(lx, TMPL_E_STRUCTURE, tg->off,
			    "<TMPL_ELSE> outside <TMPL_IF>");
		if (top->in_else)
			return lx_error(lx, TMPL_E_STRUCTURE, tg->off,
			    "second <TMPL_ELSE> in <TMPL_IF>");
		top->in_else = 1;
		top->tail = &top->node->u.cond.els;
		break;
	case TAG_ENDIF:
	case TAG_ENDLOOP:
		if (top->node == NULL)
			return lx_error(lx, TMPL_E_STRUCTURE, tg->off,
			    "%s without %s", show,
			    tg->kind == TAG_ENDIF ? "<TMPL_IF>" :
			    "<TMPL_LOOP>");
		if (top->node->kind !=
		    (tg->kind == TAG_ENDIF ? NODE_IF : NODE_LOOP))
			return lx_error(lx, TMPL_E_STRUCTURE, tg->off,
			    "%s closes %s opened at %u:%u", show,
			    top->node->kind == NODE_IF ? "<TMPL_IF>" :
			    "<TMPL_LOOP>", top->node->line, top->node->col);
		(*nfr)--;
		break;
	case TAG_BREAK:
	case TAG_CONTINUE:
		for (loops = 0, i = 1; i < *nfr; i++)
			if (fr[i].node->kind == NODE_LOOP)
				loops++;
		if (loops == 0)
			return lx_error(lx, TMPL_E_LEVEL, tg->off,
			    "%s outside <TMPL_LOOP>", show);
		level = 1;
		a = &tg->a[ATTR_LEVEL];
		if (a->present) {
			for (level = 0, i = 0; i < a->vlen; i++) {
				if (!is_digit((unsigned char)a->v[i])) {
					level = 0;
					break;
				}
				if (level <= MAX_NESTING)
					level = level * 10 +
					    (size_t)(a->v[i] - '0');
			}
			if (level < 1 || level > loops)
				return lx_error(lx, TMPL_E_LEVEL, a->off,
				    "bad level '%.*s' in %s (must be 1..%zu)",
				    (int)(a->vlen > 20 ? 20 : a->vlen), a->v,
				    show, loops);
		}
		n = node_new(lx, tg->kind == TAG_BREAK ? NODE_BREAK :
		    NODE_CONTINUE, tg);
		if (n == NULL)
			return lx_nomem(lx);
		n->u.level = (unsigned)level;
		frame_append(top, n);
		break;
	default:
		return lx_error(lx, TMPL_E_SYNTAX, tg->off, "unknown tag");
	}
	return TMPL_OK;
}

/* Parses src[0..len) into t->body. */
static tmpl_status
parse(struct loader *l, struct tmpl *t, const char *src, size_t len)
{
	struct lexer lx;
	struct frame *fr = NULL;
	struct buf *text = &l->text;
	struct tag tg;
	const char *e, *nul;
	size_t nfr = 0, p, q = 0, k;
	tmpl_status rc = TMPL_OK;

	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) {
		src += 3;
		len -= 3;
	}
	memset(&lx, 0, sizeof(lx));
	lx.l = l;
	lx.t = t;
	lx.src = src;
	lx.len = len;
	lx.pos_line = 1;
	buf_clear(text);

	if ((nul = memchr(src, '\0', len)) != NULL) {
		rc = lx_error(&lx, TMPL_E_SYNTAX, (size_t)(nul - src),
		    "NUL byte in template");
		goto out;
	}
	fr = calloc(l->env->limit[TMPL_LIMIT_NESTING] + 1, sizeof(*fr));
	if (fr == NULL) {
		rc = lx_nomem(&lx);
		goto out;
	}
	fr[0].tail = &t->body;
	nfr = 1;

	for (p = 0; p < len; ) {
		if (src[p] == '\\') {
			/* The backslash/line-end rule (I.2). */
			for (q = p; q < len && src[q] == '\\'; q++)
				continue;
			k = q - p;
			if (q < len && src[q] == '\n')
				e = "\n";
			else if (len - q >= 2 && src[q] == '\r' &&
			    src[q + 1] == '\n')
				e = "\r\n";
			else {
				buf_append(text, src + p, k);
				p = q;
				continue;
			}
			buf_append(text, src + p, k - 1);
			if (k > 1)
				buf_puts(text, e);
			p = q + strlen(e);
		} else if (src[p] == '<' && p + 1 < len && src[p + 1] == '*') {
			e = memmem(src + p + 2, len - p - 2, "*>", 2);
			if (e == NULL) {
				rc = lx_error(&lx, TMPL_E_COMMENT, p,
				    "comment is not closed");
				goto out;
			}
			p = (size_t)(e - src) + 2;
		} else if (src[p] == '<' && is_candidate(src, len, p)) {
			if ((rc = flush_text(&lx, &fr[nfr - 1])) != TMPL_OK ||
			    (rc = lex_tag(&lx, p, &tg, &q)) != TMPL_OK ||
			    (rc = apply_tag(&lx, fr, &nfr, &tg)) != TMPL_OK)
				goto out;
			p = q;
		} else {
			for (q = p + 1; q < len && src[q] != '<' &&
			    src[q] != '\\'; q++)
				continue;
			buf_append(text, src + p, q - p);
			p = q;
		}
	}
	if ((rc = flush_text(&lx, &fr[nfr - 1])) != TMPL_OK)
		goto out;
	if (nfr > 1) {
		rc = err_set(l->err, TMPL_E_STRUCTURE, t->label,
		    fr[nfr - 1].node->line, fr[nfr - 1].node->col,
		    "%s is not closed", fr[nfr - 1].node->kind == NODE_IF ?
		    "<TMPL_IF>" : "<TMPL_LOOP>");
		goto out;
	}
	t->parsed = 1;
out:
	free(fr);
	return rc;
}

/* Reads and parses every pending template of the unit. */
static tmpl_status
load_pending(struct loader *l)
{
	struct tmpl *t;
	char *data;
	size_t len;
	tmpl_status rc;

	for (t = l->pending; t != NULL; t = t->anext) {
		if (t->parsed)
			continue;
		if ((rc = read_file(l, t, &data, &len)) != TMPL_OK)
			return rc;
		rc = parse(l, t, data, len);
		free(data);
		if (rc != TMPL_OK)
			return rc;
	}
	return TMPL_OK;
}

const tmpl *
tmpl_get(tmpl_env *env, const char *name, tmpl_error *err)
{
	struct loader l;
	struct tmpl *t, *res = NULL;
	const char *why;

	err_clear(err);
	if (env == NULL || name == NULL) {
		err_set(err, TMPL_E_INVAL, "", 0, 0, "invalid argument");
		return NULL;
	}
	if ((why = path_problem(name, strlen(name))) != NULL) {
		err_set(err, TMPL_E_PATH, name, 0, 0, "%s", why);
		return NULL;
	}
	if ((t = cache_find(env, name, 0)) != NULL)
		return t;
	loader_init(&l, env, err);
	if ((t = template_new(env, name, strlen(name), 0)) == NULL) {
		err_set(err, TMPL_E_NOMEM, name, 0, 0, "out of memory");
		goto out;
	}
	loader_add(&l, t);
	if (load_pending(&l) != TMPL_OK)
		goto out;
	loader_commit(&l);
	res = t;
out:
	loader_finish(&l);
	return res;
}

const tmpl *
tmpl_from_string(tmpl_env *env, const char *name, const char *src,
    size_t len, tmpl_error *err)
{
	struct loader l;
	struct tmpl *t, *res = NULL;

	err_clear(err);
	if (env == NULL || name == NULL || (src == NULL && len > 0)) {
		err_set(err, TMPL_E_INVAL, "", 0, 0, "invalid argument");
		return NULL;
	}
	if (cache_find(env, name, 1) != NULL) {
		err_set(err, TMPL_E_INVAL, "", 0, 0,
		    "string template 'string:%s' is already registered", name);
		return NULL;
	}
	loader_init(&l, env, err);
	if ((t = template_new(env, name, strlen(name), 1)) == NULL) {
		err_set(err, TMPL_E_NOMEM, "", 0, 0, "out of memory");
		goto out;
	}
	loader_add(&l, t);
	if (len > env->limit[TMPL_LIMIT_TEMPLATE_BYTES]) {
		err_set(err, TMPL_E_TOOBIG, t->label, 0, 0,
		    "template is larger than %zu bytes",
		    env->limit[TMPL_LIMIT_TEMPLATE_BYTES]);
		goto out;
	}
	if (parse(&l, t, src != NULL ? src : "", len) != TMPL_OK ||
	    load_pending(&l) != TMPL_OK)
		goto out;
	loader_commit(&l);
	res = t;
out:
	loader_finish(&l);
	return res;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Loads the matching files under directory dir ("" = root), recursively. */
static tmpl_status
preload(tmpl_env *env, const char *dir, const char *suffix, tmpl_error *err)
{
	DIR *d = NULL;
	struct dirent *de;
	struct stat st;
	char **names = NULL, **nn, *path = NULL;
	size_t n = 0, cap = 0, i, plen;
	int fd = -1, saved;
	tmpl_status rc = TMPL_OK;

	/* Not dup(): that would share (and exhaust) rootfd's offset. */
	fd = openat(env->rootfd, *dir == '\0' ? "." : dir,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		saved = errno;
		rc = err_set(err, TMPL_E_IO, dir, 0, 0,
		    "cannot open directory: %s", strerror(saved));
		goto out;
	}
	fd = -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nn = realloc(names, cap * sizeof(*names))) ==
			    NULL)
				goto nomem;
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);

	for (i = 0; i < n && rc == TMPL_OK; i++) {
		plen = strlen(dir) + strlen(names[i]) + 2;
		free(path);
		if ((path = malloc(plen)) == NULL)
			goto nomem;
		snprintf(path, plen, "%s%s%s", dir, *dir ? "/" : "", names[i]);
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) ==
		    -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = preload(env, path, suffix, err);
			continue;
		}
		/* Follow links to files, never to directories (no loops). */
		if (S_ISLNK(st.st_mode) &&
		    fstatat(dirfd(d), names[i], &st, 0) == -1)
			continue;
		if (S_ISREG(st.st_mode) && has_suffix(names[i], suffix) &&
		    tmpl_get(env, path, err) == NULL)
			rc = err != NULL ? err->code : TMPL_E_IO;
	}
	goto out;
nomem:
	rc = err_set(err, TMPL_E_NOMEM, dir, 0, 0, "out of memory");
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(path);
	if (d != NULL)
		closedir(d);
	if (fd != -1)
		close(fd);
	return rc;
}

tmpl_status
tmpl_preload_dir(tmpl_env *env, const char *suffix, tmpl_error *err)
{
	err_clear(err);
	if (env == NULL)
		return err_set(err, TMPL_E_INVAL, "", 0, 0,
		    "invalid argument");
	return preload(env, "", suffix != NULL ? suffix : ".tmpl", err);
}

/* ---------- variables ---------- */

tmpl_vars *
tmpl_vars_new(tmpl_arena *a)
{
	struct {
		struct vstate	 st;
		struct tmpl_vars v;
	} *root;

	if (a == NULL || (root = arena_alloc(a, sizeof(*root))) == NULL)
		return NULL;
	memset(root, 0, sizeof(*root));
	root->st.arena = a;
	root->v.st = &root->st;
	return &root->v;
}

static tmpl_status
nomem(struct vstate *st)
{
	return st->status = TMPL_E_NOMEM;
}

/*
 * Adds name = value[0..n) (n is VLEN_REF for a NUL-terminated value to
 * measure at render time); the value is copied if copy is set.
 */
static tmpl_status
set_var(tmpl_vars *v, const char *name, const char *value, size_t n,
    int copy)
{
	struct var *e, *tail[SCOPE_TABLE_SIZE], **b;
	size_t namelen, size;
	char *p;

	if (v == NULL || name == NULL || value == NULL)
		return TMPL_E_INVAL;
	if (v->st->status != TMPL_OK)
		return v->st->status;
	/* The entry, its name and the value's copy in one allocation. */
	namelen = strlen(name);
	size = sizeof(*e) + namelen + 1;
	if (copy && n > SIZE_MAX - size - 1)
		return nomem(v->st);
	if ((e = arena_alloc(v->st->arena, copy ? size + n + 1 : size)) ==
	    NULL)
		return nomem(v->st);
	p = (char *)(e + 1);
	memcpy(p, name, namelen);
	p[namelen] = '\0';
	e->name = p;
	e->namelen = namelen;
	e->hash = name_hash(name, namelen);
	if (copy) {
		p += namelen + 1;
		memcpy(p, value, n);
		p[n] = '\0';
		value = p;
	}
	e->value = value;
	e->vlen = n;
	e->next = v->vars;
	v->vars = e;
	if (v->table != NULL) {
		b = &v->table[e->hash & (SCOPE_TABLE_SIZE - 1)];
		e->hnext = *b;
		*b = e;
	} else if (++v->nvars == SCOPE_TABLE_MIN) {
		/* Make the table; each bucket keeps the newest first. */
		if ((v->table = arena_alloc(v->st->arena,
		    SCOPE_TABLE_SIZE * sizeof(*v->table))) == NULL)
			return nomem(v->st);
		memset(v->table, 0, SCOPE_TABLE_SIZE * sizeof(*v->table));
		memset(tail, 0, sizeof(tail));
		for (e = v->vars; e != NULL; e = e->next) {
			b = &v->table[e->hash & (SCOPE_TABLE_SIZE - 1)];
			e->hnext = NULL;
			if (tail[b - v->table] == NULL)
				*b = e;
			else
				tail[b - v->table]->hnext = e;
			tail[b - v->table] = e;
		}
	}
	return TMPL_OK;
}

tmpl_status
tmpl_set(tmpl_vars *v, const char *name, const char *value)
{
	return set_var(v, name, value, value != NULL ? strlen(value) : 0, 1);
}

tmpl_status
tmpl_setn(tmpl_vars *v, const char *name, const char *value, size_t n)
{
	if (n == VLEN_REF)
		return TMPL_E_INVAL;
	return set_var(v, name, value, n, 1);
}

tmpl_status
tmpl_set_ref(tmpl_vars *v, const char *name, const char *value)
{
	return set_var(v, name, value, VLEN_REF, 0);
}

tmpl_status
tmpl_setf(tmpl_vars *v, const char *name, const char *fmt, ...)
{
	va_list ap;
	char tmp[256], *p;
	int n;

	if (v == NULL || name == NULL || fmt == NULL)
		return TMPL_E_INVAL;
	if (v->st->status != TMPL_OK)
		return v->st->status;
	/* Most values fit the stack: format once and copy. */
	va_start(ap, fmt);
	n = kw_vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return TMPL_E_INVAL;
	if ((p = arena_alloc(v->st->arena, (size_t)n + 1)) == NULL)
		return nomem(v->st);
	if ((size_t)n < sizeof(tmp))
		memcpy(p, tmp, (size_t)n + 1);
	else {
		va_start(ap, fmt);
		kw_vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	/* p already lives in the arena: no second copy. */
	return set_var(v, name, p, (size_t)n, 0);
}

tmpl_status
tmpl_set_int(tmpl_vars *v, const char *name, long long x)
{
	char tmp[KW_ITOA_SIZE];

	return tmpl_set(v, name, kw_itoa(tmp, x));
}

tmpl_status
tmpl_set_bool(tmpl_vars *v, const char *name, int cond)
{
	return set_var(v, name, cond ? "1" : "", cond ? 1 : 0, 0);
}

tmpl_status
tmpl_set_many_(tmpl_vars *v, ...)
{
	va_list ap;
	const char *name, *value;
	tmpl_status st, rc = TMPL_OK;

	va_start(ap, v);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (value == NULL)
			continue;
		if ((st = tmpl_set(v, name, value)) != TMPL_OK &&
		    rc == TMPL_OK)
			rc = st;
	}
	va_end(ap);
	return rc;
}

tmpl_loop *
tmpl_add_loop(tmpl_vars *v, const char *name)
{
	struct tmpl_loop *l;
	size_t len;

	if (v == NULL || name == NULL || v->st->status != TMPL_OK)
		return NULL;
	len = strlen(name);
	for (l = v->loops; l != NULL; l = l->next)
		if (l->namelen == len && memcmp(l->name, name, len) == 0)
			return l;
	if ((l = arena_alloc(v->st->arena, sizeof(*l))) == NULL) {
		nomem(v->st);
		return NULL;
	}
	memset(l, 0, sizeof(*l));
	l->st = v->st;
	l->namelen = len;
	if ((l->name = arena_strndup(v->st->arena, name, len)) == NULL) {
		nomem(v->st);
		return NULL;
	}
	l->next = v->loops;
	v->loops = l;
	return l;
}

tmpl_vars *
tmpl_loop_row(tmpl_loop *l)
{
	struct tmpl_vars *r;

	if (l == NULL || l->st->status != TMPL_OK)
		return NULL;
	if ((r = arena_alloc(l->st->arena, sizeof(*r))) == NULL) {
		nomem(l->st);
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->st = l->st;
	if (l->last == NULL)
		l->first = r;
	else
		l->last->next = r;
	l->last = r;
	l->n++;
	return r;
}

size_t
tmpl_loop_len(const tmpl_loop *l)
{
	return l != NULL ? l->n : 0;
}

tmpl_status
tmpl_vars_status(const tmpl_vars *v)
{
	return v != NULL ? v->st->status : TMPL_E_INVAL;
}

/* ---------- rendering ---------- */

/* One level of the scope stack: a loop row, or the root set. */
struct scope {
	const struct tmpl_vars	*v;
	const struct scope	*up;
};

struct rctx {
	struct buf		*out;
	tmpl_sink_fn		 sink;		/* NULL: buffer mode */
	void			*ud;
	tmpl_error		*err;
	int			 strict;
	unsigned		 maxdepth;
	unsigned		 depth;
	/* include sites, outermost first: from[i] includes at site[i] */
	const struct tmpl	*from[MAX_INCLUDE_DEPTH];
	const struct node	*site[MAX_INCLUDE_DEPTH];
};

/* Control results of render_body(): level << 1 | is_continue. */
#define CTL(level, cont)	((int)((level) << 1) | (cont))

/* The innermost variable called name (len bytes, name_hash() hash). */
static const struct var *
lookup_var(const struct scope *s, const char *name, size_t len,
    uint32_t hash)
{
	const struct var *e;

	for (; s != NULL; s = s->up) {
		if (s->v->table == NULL)
			e = s->v->vars;
		else
			e = s->v->table[hash & (SCOPE_TABLE_SIZE - 1)];
		for (; e != NULL; e = s->v->table == NULL ? e->next : e->hnext)
			if (e->hash == hash && e->namelen == len &&
			    memcmp(e->name, name, len) == 0)
				return e;
	}
	return NULL;
}

static const struct tmpl_loop *
lookup_loop(const struct scope *s, const char *name, size_t len)
{
	const struct tmpl_loop *l;

	for (; s != NULL; s = s->up)
		for (l = s->v->loops; l != NULL; l = l->next)
			if (l->namelen == len &&
			    memcmp(l->name, name, len) == 0)
				return l;
	return NULL;
}

static size_t
var_len(const struct var *e)
{
	return e->vlen == VLEN_REF ? strlen(e->value) : e->vlen;
}

/* The truth of one IF/ELSIF arm (II.6). */
static int
arm_true(const struct arm *arm, const struct scope *s)
{
	const struct var *v = lookup_var(s, arm->name, arm->namelen,
	    arm->namehash);
	const struct tmpl_loop *l;
	int set;

	if (arm->value != NULL && arm->valuelen > 0)
		return v != NULL && var_len(v) == arm->valuelen &&
		    memcmp(v->value, arm->value, arm->valuelen) == 0;
	if (v != NULL)
		set = var_len(v) > 0;
	else
		set = (l = lookup_loop(s, arm->name, arm->namelen)) != NULL &&
		    l->n > 0;
	return arm->value != NULL ? !set : set;
}

/* Fills the error for node n of t, with the include chain. */
static tmpl_status
render_error(struct rctx *c, const struct tmpl *t, const struct node *n,
    tmpl_status code, const char *msg)
{
	tmpl_error *e = c->err;
	size_t off = 0, i, shown;
	int r;

	err_set(e, code, t->label, n != NULL ? n->line : 0,
	    n != NULL ? n->col : 0, "%s", msg);
	if (e == NULL)
		return code;
	for (i = c->depth, shown = 0; i > 0; i--, shown++) {
		if (shown == VIA_MAX) {
			r = snprintf(e->via + off, sizeof(e->via) - off,
			    "\n...(%u more)", (unsigned)i);
			break;
		}
		r = snprintf(e->via + off, sizeof(e->via) - off,
		    "%sincluded from %s:%u:%u", shown ? "\n" : "",
		    c->from[i - 1]->label, c->site[i - 1]->line,
		    c->site[i - 1]->col);
		if (r < 0 || (size_t)r >= sizeof(e->via) - off)
			break;
		off += (size_t)r;
	}
	return code;
}

/* Passes the staged output to the sink once it is big enough. */
static tmpl_status
stage_flush(struct rctx *c, size_t min)
{
	if (c->sink == NULL || c->out->len < min || c->out->len == 0)
		return TMPL_OK;
	if (c->sink(c->ud, c->out->data, c->out->len) != 0)
		return TMPL_E_SINK;
	buf_truncate(c->out, 0);
	return TMPL_OK;
}

static tmpl_status
render_var(struct rctx *c, const struct tmpl *t, const struct node *n,
    const struct scope *s)
{
	const struct var *v;
	const struct fmtent *f = n->u.var.user;
	const char *p;
	size_t len;
	int r;

	if ((v = lookup_var(s, n->u.var.name, n->u.var.namelen,
	    n->u.var.namehash)) != NULL) {
		p = v->value;
		len = var_len(v);
	} else if (n->u.var.def != NULL) {
		p = n->u.var.def;
		len = n->u.var.deflen;
	} else if (c->strict) {
		char msg[128];

		snprintf(msg, sizeof(msg), "variable '%.*s' is not defined",
		    (int)(n->u.var.namelen > 60 ? 60 : n->u.var.namelen),
		    n->u.var.name);
		return render_error(c, t, n, TMPL_E_UNDEF, msg);
	} else
		return TMPL_OK;
	if (f == NULL)
		return builtin_fmts[n->u.var.fmt].fn(c->out, p, len);
	r = f->fn(c->out, p, len, f->ud);
	if (c->out->status != BUF_OK)
		return (tmpl_status)c->out->status;
	if (r != 0) {
		char msg[128];

		snprintf(msg, sizeof(msg), "formatter '%.60s' failed",
		    f->name);
		return render_error(c, t, n, TMPL_E_FORMATTER, msg);
	}
	return TMPL_OK;
}

/*
 * Renders the node list body of template t in scope s. Returns TMPL_OK,
 * a negative status (err filled), or a positive CTL() for BREAK/CONTINUE.
 */
static int
render_body(struct rctx *c, const struct tmpl *t, const struct node *body,
    const struct scope *s)
{
	const struct node *n;
	const struct arm *arm;
	const struct tmpl_loop *l;
	const struct tmpl_vars *row;
	struct scope inner;
	int rc;

	for (n = body; n != NULL; n = n->next) {
		rc = TMPL_OK;
		switch (n->kind) {
		case NODE_TEXT:
			buf_append(c->out, n->u.text.p, n->u.text.n);
			break;
		case NODE_VAR:
			rc = render_var(c, t, n, s);
			if (rc == TMPL_E_UNDEF || rc == TMPL_E_FORMATTER)
				return rc;
			break;
		case NODE_IF:
			for (arm = n->u.cond.arms; arm != NULL; arm = arm->next)
				if (arm_true(arm, s))
					break;
			rc = render_body(c, t, arm != NULL ? arm->body :
			    n->u.cond.els, s);
			if (rc != TMPL_OK)
				return rc;
			break;
		case NODE_LOOP:
			l = lookup_loop(s, n->u.loop.name, n->u.loop.namelen);
			if (l == NULL)
				break;
			inner.up = s;
			for (row = l->first; row != NULL; row = row->next) {
				inner.v = row;
				rc = render_body(c, t, n->u.loop.body, &inner);
				if (rc < 0)
					return rc;
				if (rc > 0 && rc >> 1 > 1)
					return CTL((rc >> 1) - 1, rc & 1);
				if (rc > 0 && !(rc & 1))
					break;
			}
			rc = TMPL_OK;
			break;
		case NODE_INCLUDE:
			if (c->depth >= c->maxdepth) {
				char msg[64];

				snprintf(msg, sizeof(msg),
				    "include depth limit %u exceeded",
				    c->maxdepth);
				return render_error(c, t, n, TMPL_E_DEPTH, msg);
			}
			c->from[c->depth] = t;
			c->site[c->depth] = n;
			c->depth++;
			rc = render_body(c, n->u.inc, n->u.inc->body, s);
			c->depth--;
			if (rc < 0)
				return rc;
			rc = TMPL_OK;
			break;
		case NODE_BREAK:
			return CTL(n->u.level, 0);
		case NODE_CONTINUE:
			return CTL(n->u.level, 1);
		default:
			break;
		}
		if (c->out->status != BUF_OK)
			return render_error(c, t, n,
			    (tmpl_status)c->out->status,
			    c->out->status == BUF_ETOOBIG ?
			    "output larger than the buffer limit" :
			    "out of memory");
		if (stage_flush(c, SINK_STAGE) != TMPL_OK)
			return render_error(c, t, n, TMPL_E_SINK,
			    "output callback failed");
	}
	return TMPL_OK;
}

/* Common part of both render calls; c->out is set. */
static tmpl_status
render_top(struct rctx *c, const tmpl *t, const tmpl_vars *vars)
{
	struct scope root;
	int rc;

	if (vars != NULL && vars->st->status != TMPL_OK)
		return err_set(c->err, vars->st->status, t->label, 0, 0,
		    "variables incomplete: out of memory");
	c->strict = (t->env->flags & TMPL_ENV_STRICT) != 0;
	c->maxdepth = (unsigned)t->env->limit[TMPL_LIMIT_INCLUDE_DEPTH];
	root.v = vars;
	root.up = NULL;
	rc = render_body(c, t, t->body, vars != NULL ? &root : NULL);
	return rc < 0 ? (tmpl_status)rc : TMPL_OK;
}

tmpl_status
tmpl_render(const tmpl *t, const tmpl_vars *vars, tmpl_buf *out,
    tmpl_error *err)
{
	struct rctx c;
	size_t start;
	int status;
	tmpl_status rc;

	err_clear(err);
	if (t == NULL || out == NULL)
		return err_set(err, TMPL_E_INVAL, "", 0, 0,
		    "invalid argument");
	if (out->status != BUF_OK)
		return err_set(err, (tmpl_status)out->status, t->label, 0, 0,
		    "output buffer already failed");
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.err = err;
	start = out->len;
	status = out->status;
	if ((rc = render_top(&c, t, vars)) != TMPL_OK) {
		buf_truncate(out, start);
		out->status = status;
	}
	return rc;
}

tmpl_status
tmpl_render_sink(const tmpl *t, const tmpl_vars *vars, tmpl_sink_fn sink,
    void *ud, tmpl_error *err)
{
	struct rctx c;
	struct buf stage;
	tmpl_status rc;

	err_clear(err);
	if (t == NULL || sink == NULL)
		return err_set(err, TMPL_E_INVAL, "", 0, 0,
		    "invalid argument");
	buf_init(&stage, 0, 0);
	memset(&c, 0, sizeof(c));
	c.out = &stage;
	c.sink = sink;
	c.ud = ud;
	c.err = err;
	if ((rc = render_top(&c, t, vars)) == TMPL_OK &&
	    stage_flush(&c, 1) != TMPL_OK)
		rc = err_set(err, TMPL_E_SINK, t->label, 0, 0,
		    "output callback failed");
	buf_free(&stage);
	return rc;
}
