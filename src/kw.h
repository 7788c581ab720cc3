/* kw.h: project-wide status codes, allocation wrappers and logging. */
#ifndef KW_H
#define KW_H

#include <stdarg.h>
#include <stddef.h>

/*
 * The one status enum. Every fallible function in src/ returns one of
 * these; kw_status_http() maps it to the HTTP status a page answers with.
 */
enum kw_status {
	KW_OK = 0,
	KW_BADREQ,	/* malformed or invalid input: 400 */
	KW_UNAUTH,	/* no or bad credentials: 401 */
	KW_FORBIDDEN,	/* authenticated but not allowed: 403 */
	KW_NOTFOUND,	/* missing, or not visible to the caller: 404 */
	KW_NOMETHOD,	/* route exists, method does not: 405 */
	KW_CONFLICT,	/* state or constraint conflict: 409 */
	KW_TOOBIG,	/* a size limit was exceeded: 413 */
	KW_TOOMANY,	/* throttled: 429 */
	KW_INTERNAL,	/* a bug or an unexpected library error: 500 */
	KW_BUSY,	/* database busy or full, try again: 503 */
	KW_STATUS__MAX
};

/* Short English text for a status, e.g. "Not Found". Never NULL. */
const char	*kw_status_str(enum kw_status);

/* HTTP status code for a status, e.g. 404. */
int		 kw_status_http(enum kw_status);

/*
 * Allocation wrappers: they never return NULL. Out of memory (or a size
 * overflow in xcalloc/xreallocarray) logs and aborts the process; a
 * FastCGI worker is then restarted by its supervisor.
 */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
int		 xasprintf(char **, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Logging to stderr (nginx's error log for FastCGI workers), one line
 * per call, prefixed with the program name and pid. Control characters
 * in the message are escaped so that input cannot forge log lines.
 */
void		 kw_log_init(const char *progname);
void		 kw_logx(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
void		 kw_vlogx(const char *, va_list)
		    __attribute__((format(printf, 1, 0)));

/* Size of a buffer for kw_itoa(): any long long and its NUL. */
#define KW_ITOA_SIZE	24

/*
 * v in decimal, written at the end of buf (KW_ITOA_SIZE bytes) without
 * printf, which pages call by the hundred; returns where it starts.
 */
char		*kw_itoa(char buf[KW_ITOA_SIZE], long long v);

/* Size of a buffer for kw_tenths(). */
#define KW_TENTHS_SIZE	(KW_ITOA_SIZE + 2)

/*
 * v (|v| below 1e15) to one decimal, halves away from zero, as the charts
 * round: "3.5", "-0.1", "2.0". Every mean and change a page shows is
 * written by it, so that a table and a chart never differ by a rounding.
 */
char		*kw_tenths(char buf[KW_TENTHS_SIZE], double v);

/*
 * vsnprintf(), with the same result and return value. The conversions
 * pages use by the hundred -- %s, %d, %u, %ld, %lld, %zu and %%, without
 * flags, width or precision -- are made here, several times faster than
 * the C library; a format with any other goes to vsnprintf().
 */
int		 kw_vsnprintf(char *, size_t, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

/* Parse a decimal integer in [min, max]; the whole string must be digits
 * (an optional leading '-'). Returns 0 on success, -1 on any error. */
int		 kw_parse_int(const char *, long long min, long long max,
		    long long *out);

/* The index of s in names, a NULL-ended table of names such as
 * account_side_names; -1 if s is NULL or not in it. The one lookup of a
 * name in such a table. */
int		 kw_name_index(const char *const *names, const char *s);

#endif /* KW_H */
