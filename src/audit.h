/* audit.h: the append-only audit trail. */
#ifndef AUDIT_H
#define AUDIT_H

#include <stddef.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* One audit row. Strings live in the arena. */
struct audit_event {
	long long	 id;
	const char	*at;		/* UTC ISO-8601 */
	long long	 actor_user_id;	/* 0 = the system */
	const char	*actor_name;	/* "" = the system */
	const char	*actor_org_name;
	long long	 account_id;	/* 0 = none */
	const char	*entity;	/* e.g. "user", "account" */
	long long	 entity_id;
	const char	*action;	/* e.g. "create", "deactivate" */
	const char	*detail;	/* "" = none */
};

/*
 * Append an audit event at clock_now(): actor (NULL = the system) and
 * their org, account_id (0 = none), entity/entity_id/action (required),
 * detail (NULL = none; never secrets). Call it inside the caller's write
 * transaction so the event commits or rolls back with the change.
 * Returns KW_OK or a database status.
 */
enum kw_status	 audit_log(struct db *, const struct user *actor,
		    long long account_id, const char *entity,
		    long long entity_id, const char *action,
		    const char *detail);

/*
 * The events of account_id, newest first, at most limit (1..1000) from
 * offset, into *list[0..*n-1] (arena). Scoped in the query: nothing is
 * returned (KW_OK, *n = 0) unless viewer_org_id is a party of the
 * account. KW_BADREQ for limit outside 1..1000.
 */
enum kw_status	 audit_list_account(struct db *, struct arena *,
		    long long viewer_org_id, long long account_id,
		    size_t limit, size_t offset, struct audit_event **list,
		    size_t *n);

/* How many events audit_list_account() can list for viewer_org_id (0 if
 * it is not a party) into *n, for paging. */
enum kw_status	 audit_count_account(struct db *, long long viewer_org_id,
		    long long account_id, size_t *n);

extern const struct db_stmt_table audit_stmts;

#endif /* AUDIT_H */
