/* route.h: the route table and path matching. */
#ifndef ROUTE_H
#define ROUTE_H

#include <stddef.h>

#include "kw.h"
#include "req.h"

struct valid_field;

/* The application's per-request context; each program defines it. */
struct page;
typedef void (*route_fn)(struct page *);

#define ROUTE_PARAMS_MAX	4

/*
 * One route. pattern is a path whose segments are literals or ":name"
 * placeholders, e.g. "/accounts/:id/users". A placeholder matches one
 * non-empty segment of [A-Za-z0-9_-]. A GET route also answers HEAD.
 * flags are the application's (access rules), opaque to the router.
 */
struct route {
	enum req_method			 method;
	const char			*pattern;
	route_fn			 fn;
	unsigned			 flags;
	/* Declared input: an array ended by an entry with name NULL, or
	 * NULL for none. Undeclared fields never reach the handler. */
	const struct valid_field	*fields;
};

struct route_match {
	const struct route	*route;
	size_t			 nparams;
	const char		*names[ROUTE_PARAMS_MAX];
	const char		*values[ROUTE_PARAMS_MAX];	/* in the arena */
};

/*
 * Find the route for method and path in tbl[0..n-1]. Returns KW_OK and
 * fills m; KW_NOMETHOD if the path matches but no route has that method
 * (405: the caller should send an Allow header; allow is filled with
 * e.g. "GET, HEAD, POST" when non-NULL, allowlen bytes); KW_NOTFOUND
 * otherwise. A trailing slash does not match (except for "/").
 */
enum kw_status	 route_find(const struct route *tbl, size_t n,
		    enum req_method method, const char *path,
		    struct arena *a, struct route_match *m,
		    char *allow, size_t allowlen);

/* The value of placeholder name in m, or NULL. */
const char	*route_param(const struct route_match *m, const char *name);

/* Placeholder name of m as a record id (1..INT64_MAX), or 0 if it is
 * not one. */
long long	 route_id(const struct route_match *m, const char *name);

/* The table tbl[0..n-1], a "METHOD pattern" line each, on stdout (a
 * program's --routes, for the tests). */
void		 route_print(const struct route *tbl, size_t n);

#endif /* ROUTE_H */
