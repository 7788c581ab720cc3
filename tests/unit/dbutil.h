/* dbutil.h: the fixture and raw SQL helpers the database unit tests share. */
#ifndef DBUTIL_H
#define DBUTIL_H

#include <libxml/xpath.h>
#include <libxml/xmlschemas.h>

#include "account.h"
#include "arena.h"
#include "db.h"
#include "org.h"

/* The fixture's clock (KEEPWORD_NOW), as each test starts. */
#define FX_NOW	"2026-03-02T09:00:00Z"

/* The password of every fixture user. */
#define PW	"correct horse battery"

/*
 * The fixture: orgs B (buyer), S (supplier), X (unrelated) and O
 * (operators); users: b_admin, b_member (B), s_admin, s_member (S),
 * x_admin (X), op (O, operator); account acct between B and S owned by
 * b_admin and s_admin, quarterly from 2026-01-01; the clock fixed at
 * 2026-03-02T09:00:00Z. Built once into a template database by
 * fx_group_setup; fx_setup gives each test its own copy (cmocka's
 * state is a struct fx *).
 */
struct fx {
	char		 dir[64];
	char		 path[128];
	struct db	*db;
	struct arena	*a;
	long long	 b, s, x, o;
	struct user	 b_admin, b_member, s_admin, s_member, x_admin, op;
	long long	 acct;
};

int		 fx_group_setup(void **state);
int		 fx_group_teardown(void **state);
int		 fx_setup(void **state);
/* Move the fixed clock to iso (YYYY-MM-DDTHH:MM:SSZ), or to day
 * (YYYY-MM-DD) at 09:00 UTC; fx_teardown() sets it back to FX_NOW. */
void		 fx_clock(const char *day_or_iso);

/* Drop the test's copy and set the clock back to FX_NOW. */
int		 fx_teardown(void **state);

/*
 * The fixture account's Q1 2026 review, opened on 2026-04-01 and frozen on
 * 2026-04-02 (the clock is left there): an action of the supplier's
 * agreed in it (*pid, may be NULL, gets its promise), a comment of
 * b_admin, signed by b_admin and supplier (the supplier's owner). Returns
 * its id.
 */
long long	 fx_frozen_review(struct fx *f, const struct user *supplier,
		    long long *pid);

/* The exchange schema (static/exchange/keepword-exchange-1.xsd under
 * $top_srcdir) compiled from the file's bytes, so that no entity loader
 * is asked (the importer's refuses every load); NULL if it cannot be.
 * Free it with xmlSchemaFree(). */
xmlSchemaPtr	 fx_schema(void);

/* A fresh, migrated database in a new temporary directory. */
void		 fx_fresh(struct fx *f);

/* Create a user of org with PW and read it back into *u. */
void		 fx_add_user(struct fx *f, long long org, const char *email,
		    const char *name, enum user_role role, struct user *u);

/* Remove a database file and its -wal, -shm and -journal companions. */
void		 rm_db(const char *path);

/* Run a constant SQL statement on the raw handle; the SQLite code. */
int		 raw(struct db *db, const char *sql);

/* raw() of the statement the printf-style fmt makes (from constants
 * and numbers only; at most 4095 bytes). */
int		 rawf(struct db *db, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* The first column of the first row of sql as an integer (-1 if none). */
long long	 raw_int(struct db *db, const char *sql);

/* The first column of the first row of sql as text in a ("" if none). */
const char	*raw_text(struct db *db, struct arena *a, const char *sql);

/* The XPath 1.0 expression expr evaluated over doc with prefix bound to
 * the namespace uri (the test fails if it cannot be); free the result
 * with xmlXPathFreeObject(). */
xmlXPathObjectPtr xpath_eval(xmlDocPtr doc, const char *prefix,
		    const char *uri, const char *expr);

/* One side's trend, as scorecard_trend() gives both: latest (may be
 * NULL) is that side's scorecard of the last period. */
struct scorecard;
struct scorecard_point;
enum kw_status	 fx_side_trend(struct db *, struct arena *,
		    const struct account *acct, enum account_side side,
		    size_t n, const char *until, const char *today,
		    const struct scorecard *latest,
		    struct scorecard_point **pt, size_t *count);

#endif /* DBUTIL_H */
