/* kw.c: status tables, allocation wrappers and logging. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kw.h"

static const char *const status_str[KW_STATUS__MAX] = {
	[KW_OK] = "OK",
	[KW_BADREQ] = "Bad Request",
	[KW_UNAUTH] = "Unauthorized",
	[KW_FORBIDDEN] = "Forbidden",
	[KW_NOTFOUND] = "Not Found",
	[KW_NOMETHOD] = "Method Not Allowed",
	[KW_CONFLICT] = "Conflict",
	[KW_TOOBIG] = "Content Too Large",
	[KW_TOOMANY] = "Too Many Requests",
	[KW_INTERNAL] = "Internal Server Error",
	[KW_BUSY] = "Service Unavailable",
};

static const int status_http[KW_STATUS__MAX] = {
	[KW_OK] = 200,
	[KW_BADREQ] = 400,
	[KW_UNAUTH] = 401,
	[KW_FORBIDDEN] = 403,
	[KW_NOTFOUND] = 404,
	[KW_NOMETHOD] = 405,
	[KW_CONFLICT] = 409,
	[KW_TOOBIG] = 413,
	[KW_TOOMANY] = 429,
	[KW_INTERNAL] = 500,
	[KW_BUSY] = 503,
};

static char logname[64] = "keepword";

const char *
kw_status_str(enum kw_status st)
{
	if ((unsigned)st >= KW_STATUS__MAX)
		st = KW_INTERNAL;
	return status_str[st];
}

int
kw_status_http(enum kw_status st)
{
	if ((unsigned)st >= KW_STATUS__MAX)
		st = KW_INTERNAL;
	return status_http[st];
}

static void
oom(void)
{
	static const char msg[] = "keepword: out of memory\n";

	/* Async-signal-safe and allocation-free on purpose. */
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n == 0 ? 1 : n);

	if (q == NULL)
		oom();
	return q;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	return xrealloc(p, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		oom();
	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return n;
}

void
kw_log_init(const char *progname)
{
	const char *base = strrchr(progname, '/');

	snprintf(logname, sizeof(logname), "%s", base ? base + 1 : progname);
}

void
kw_vlogx(const char *fmt, va_list ap)
{
	char raw[2048], out[4096];
	size_t i, j = 0;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	for (i = 0; raw[i] != '\0' && j + 5 < sizeof(out); i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c < 0x20 || c == 0x7f) {
			j += (size_t)snprintf(out + j, sizeof(out) - j,
			    "\\x%02x", c);
		} else
			out[j++] = (char)c;
	}
	out[j] = '\0';
	fprintf(stderr, "%s[%ld]: %s\n", logname, (long)getpid(), out);
}

void
kw_logx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kw_vlogx(fmt, ap);
	va_end(ap);
}

int
kw_parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return -1;
	if (*p == '-')
		p++;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
kw_name_index(const char *const *names, const char *s)
{
	int i;

	for (i = 0; s != NULL && names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* u in decimal, after '-' when neg, at the end of buf; where it starts. */
static char *
digits(char buf[KW_ITOA_SIZE], unsigned long long u, int neg)
{
	char *p = buf + KW_ITOA_SIZE - 1;

	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (neg)
		*--p = '-';
	return p;
}

char *
kw_itoa(char buf[KW_ITOA_SIZE], long long v)
{
	return digits(buf, v < 0 ? -(unsigned long long)v :
	    (unsigned long long)v, v < 0);
}

char *
kw_tenths(char buf[KW_TENTHS_SIZE], double v)
{
	long long t = (long long)(v < 0 ? v * 10 - 0.5 : v * 10 + 0.5);
	unsigned long long u = t < 0 ? -(unsigned long long)t :
	    (unsigned long long)t;
	char *s = digits(buf, u / 10, t < 0);

	/* The whole part ends where digits() put its NUL. */
	buf[KW_ITOA_SIZE - 1] = '.';
	buf[KW_ITOA_SIZE] = (char)('0' + u % 10);
	buf[KW_ITOA_SIZE + 1] = '\0';
	return s;
}

/* The length of the modifier and conversion at f (after '%') when
 * kw_vsnprintf() makes it itself, else 0. */
static size_t
simple_conversion(const char *f)
{
	switch (f[0]) {
	case 's':
	case 'd':
	case 'u':
	case '%':
		return 1;
	case 'z':
		return f[1] == 'u' ? 2 : 0;
	case 'l':
		return f[1] == 'd' ? 2 : f[1] == 'l' && f[2] == 'd' ? 3 : 0;
	default:
		return 0;
	}
}

/* Appends len bytes of s to dst as far as size - 1 allows; *n counts
 * them all. */
static void
put_bytes(char *dst, size_t size, size_t *n, const char *s, size_t len)
{
	size_t room = *n + 1 < size ? size - 1 - *n : 0;

	if (room > 0)
		memcpy(dst + *n, s, len < room ? len : room);
	*n += len;
}

int
kw_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap)
{
	char d[KW_ITOA_SIZE];
	const char *f, *run, *s;
	size_t n = 0, len;
	va_list cp;
	int ret;

	va_copy(cp, ap);	/* for vsnprintf(), should fmt need it */
	for (f = fmt; *f != '\0'; f += len) {
		for (run = f; *f != '\0' && *f != '%'; f++)
			continue;
		put_bytes(dst, size, &n, run, (size_t)(f - run));
		if (*f++ == '\0')
			break;
		if ((len = simple_conversion(f)) == 0) {
			ret = vsnprintf(dst, size, fmt, cp);
			va_end(cp);
			return ret;
		}
		switch (f[len - 1]) {
		case 's':
			if ((s = va_arg(ap, const char *)) == NULL)
				s = "(null)";
			break;
		case 'd':
			s = kw_itoa(d, len == 1 ? va_arg(ap, int) : len == 2 ?
			    va_arg(ap, long) : va_arg(ap, long long));
			break;
		case 'u':
			s = digits(d, len == 1 ? va_arg(ap, unsigned) :
			    va_arg(ap, size_t), 0);
			break;
		default:
			s = "%";
			break;
		}
		put_bytes(dst, size, &n, s, strlen(s));
	}
	va_end(cp);
	if (size > 0)
		dst[n < size ? n : size - 1] = '\0';
	return n > INT_MAX ? -1 : (int)n;
}
