/* route.c: the route table and path matching. */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "route.h"

/* Methods in the order an Allow header lists them. */
static const struct {
	enum req_method	 method;
	const char	*name;
} allow_order[] = {
	{ REQ_GET, "GET" },
	{ REQ_HEAD, "HEAD" },
	{ REQ_POST, "POST" },
};

static int
placeholder_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* The end of the segment at s: its next '/' or its NUL. Segments are
 * short, and a route is matched against dozens of patterns, so this
 * beats strcspn(). */
static const char *
segment_end(const char *s)
{
	while (*s != '\0' && *s != '/')
		s++;
	return s;
}

/*
 * Match path against pattern, segment by segment. On a match returns 1
 * and, when a is not NULL, records the placeholders in m (names and
 * values copied into a); otherwise returns 0.
 */
static int
match(const char *pattern, const char *path, struct arena *a,
    struct route_match *m)
{
	const char *pe, *se;
	size_t plen, slen, i;

	if (pattern[0] != '/' || path[0] != '/')
		return 0;
	if (strcmp(pattern, "/") == 0 || strcmp(path, "/") == 0)
		return strcmp(pattern, path) == 0;
	if (m != NULL)
		m->nparams = 0;
	while (*pattern == '/' && *path == '/') {
		pattern++;
		path++;
		pe = segment_end(pattern);
		se = segment_end(path);
		plen = (size_t)(pe - pattern);
		slen = (size_t)(se - path);
		if (plen > 1 && pattern[0] == ':') {
			if (slen == 0)
				return 0;
			for (i = 0; i < slen; i++)
				if (!placeholder_char(path[i]))
					return 0;
			if (m != NULL) {
				assert(m->nparams < ROUTE_PARAMS_MAX);
				m->names[m->nparams] = arena_xstrndup(a,
				    pattern + 1, plen - 1);
				m->values[m->nparams] = arena_xstrndup(a,
				    path, slen);
				m->nparams++;
			}
		} else if (plen != slen || strncmp(pattern, path, plen) != 0)
			return 0;
		pattern = pe;
		path = se;
	}
	return *pattern == '\0' && *path == '\0';
}

enum kw_status
route_find(const struct route *tbl, size_t n, enum req_method method,
    const char *path, struct arena *a, struct route_match *m,
    char *allow, size_t allowlen)
{
	unsigned allowed = 0;
	size_t i, len, used = 0;
	int found = -1;

	memset(m, 0, sizeof(*m));
	if (allow != NULL && allowlen > 0)
		allow[0] = '\0';
	if (path == NULL)
		return KW_NOTFOUND;

	/* The routes of the method first: only a miss needs the others. */
	for (i = 0; i < n; i++) {
		if ((tbl[i].method != method &&
		    (tbl[i].method != REQ_GET || method != REQ_HEAD)) ||
		    !match(tbl[i].pattern, path, NULL, NULL))
			continue;
		/* An explicit HEAD route wins over GET's. */
		if (found < 0 || tbl[i].method == method) {
			found = (int)i;
			if (tbl[i].method == method)
				break;
		}
	}
	if (found >= 0) {
		match(tbl[found].pattern, path, a, m);
		m->route = &tbl[found];
		return KW_OK;
	}
	for (i = 0; i < n; i++) {
		if (!match(tbl[i].pattern, path, NULL, NULL))
			continue;
		if (tbl[i].method < REQ_OTHER)
			allowed |= 1u << tbl[i].method;
		if (tbl[i].method == REQ_GET)
			allowed |= 1u << REQ_HEAD;
	}
	if (allowed == 0)
		return KW_NOTFOUND;

	/* 405: list the methods the path does answer. */
	for (i = 0; allow != NULL && i < sizeof(allow_order) /
	    sizeof(allow_order[0]); i++) {
		if (!(allowed & (1u << allow_order[i].method)))
			continue;
		len = strlen(allow_order[i].name);
		if (used + (used ? 2 : 0) + len + 1 > allowlen)
			break;
		if (used) {
			memcpy(allow + used, ", ", 2);
			used += 2;
		}
		memcpy(allow + used, allow_order[i].name, len);
		used += len;
		allow[used] = '\0';
	}
	return KW_NOMETHOD;
}

const char *
route_param(const struct route_match *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nparams; i++)
		if (strcmp(m->names[i], name) == 0)
			return m->values[i];
	return NULL;
}

long long
route_id(const struct route_match *m, const char *name)
{
	long long id;

	if (kw_parse_int(route_param(m, name), 1, INT64_MAX, &id) != 0)
		return 0;
	return id;
}

void
route_print(const struct route *tbl, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s %s\n", tbl[i].method == REQ_POST ? "POST" : "GET",
		    tbl[i].pattern);
}
