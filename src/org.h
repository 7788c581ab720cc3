/* org.h: organisations and their users. */
#ifndef ORG_H
#define ORG_H

#include <stddef.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct sqlite3_stmt;

enum user_role {
	USER_MEMBER = 0,
	USER_ADMIN,
	USER_ROLE__MAX
};

/* "member", "admin", then NULL (usable as VALID_ENUM choices). */
extern const char *const user_role_names[USER_ROLE__MAX + 1];

/* The name of role, or "" if out of range. */
const char	*user_role_name(enum user_role);

/* Strings live in the arena passed to the call that filled it. */
struct org {
	long long	 id;
	const char	*name;
	const char	*created_at;
};

struct user {
	long long	 id;
	long long	 org_id;
	const char	*org_name;
	const char	*email;		/* lower case */
	const char	*name;
	enum user_role	 role;
	int		 is_operator;
	int		 active;
	const char	*created_at;
};

/*
 * A user's columns (users u joined with their orgs o), first in a row
 * that user_row(), a db_row_fn for a struct user, reads.
 */
#define USER_FIELDS \
	"u.id, u.org_id, o.name, u.email, u.name, u.role, u.is_operator, " \
	"u.active, u.created_at "
#define USER_FIELDS_N	9
void		 user_row(struct arena *, struct sqlite3_stmt *, void *out);

/*
 * Permissions are checked here, from actor (NULL = the system: kwctl):
 * creating orgs needs an operator; managing users needs an admin of the
 * user's org, or an operator. Denied → KW_FORBIDDEN. A user of another
 * org that an admin may not manage answers KW_NOTFOUND, like a missing
 * id. Every write is one transaction and appends an audit event.
 */

/* Create org name (1..200 bytes, unique). *id (may be NULL) gets its id.
 * KW_BADREQ bad name, KW_CONFLICT name taken, KW_FORBIDDEN. */
enum kw_status	 org_create(struct db *, const struct user *actor,
		    const char *name, long long *id);

/* All orgs by name into *list[0..*n-1] (arena). */
enum kw_status	 org_list(struct db *, struct arena *, struct org **list,
		    size_t *n);

/* Org id, or by exact name. KW_NOTFOUND if none. */
enum kw_status	 org_get(struct db *, struct arena *, long long id,
		    struct org *);
enum kw_status	 org_by_name(struct db *, struct arena *, const char *name,
		    struct org *);

/*
 * Create a user of org_id; email is trimmed and lower-cased (must look
 * like an address, at most 254 bytes), name 1..200 bytes, password is
 * hashed with auth_hash(). *id (may be NULL) gets the new id.
 * KW_BADREQ bad input, KW_NOTFOUND no such org, KW_CONFLICT email taken,
 * KW_FORBIDDEN actor may not manage org_id's users.
 */
enum kw_status	 user_create(struct db *, const struct user *actor,
		    long long org_id, const char *email, const char *name,
		    enum user_role role, const char *password, long long *id);

/*
 * The lower-cased, trimmed copy of email in a, as users' emails are
 * kept, or NULL if it is not a plausible address (local@domain, at most
 * 254 bytes, no blanks).
 */
char		*user_email_norm(struct arena *, const char *email);

/* User id or by email (case-insensitive). KW_NOTFOUND if none. */
enum kw_status	 user_get(struct db *, struct arena *, long long id,
		    struct user *);
enum kw_status	 user_by_email(struct db *, struct arena *,
		    const char *email, struct user *);

/* The users of org_id by name into *list[0..*n-1] (arena). */
enum kw_status	 user_list_org(struct db *, struct arena *, long long org_id,
		    struct user **list, size_t *n);

/* Set user_id's password (hashed) and end all of their sessions.
 * KW_BADREQ bad password, KW_NOTFOUND, KW_FORBIDDEN. */
enum kw_status	 user_set_password(struct db *, const struct user *actor,
		    long long user_id, const char *password);

/* Activate or deactivate user_id; deactivation ends their sessions.
 * KW_CONFLICT if actor deactivates themselves; KW_NOTFOUND, KW_FORBIDDEN. */
enum kw_status	 user_set_active(struct db *, const struct user *actor,
		    long long user_id, int active);

/* Grant or revoke the site operator flag. Only operators (or NULL). */
enum kw_status	 user_set_operator(struct db *, const struct user *actor,
		    long long user_id, int is_operator);

/* 1 if actor may manage the users of org_id (NULL, operator, or admin
 * of that org), else 0. */
int		 user_can_manage(const struct user *actor, long long org_id);

/* 1 if org id exists, 0 if not, -1 on a database error. */
int		 org_exists(struct db *, long long id);

/*
 * Log that actor (NULL: the system) was refused what fmt says, as
 * "denied: user ID (org ID) may not WHAT", and return st: every refusal
 * of the core is logged alike.
 */
enum kw_status	 user_denied(const struct user *actor, enum kw_status st,
		    const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

extern const struct db_stmt_table org_stmts;

#endif /* ORG_H */
