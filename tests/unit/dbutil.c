/* dbutil.c: the fixture and raw SQL helpers the database unit tests share. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/xpathInternals.h>
#include <sqlite3.h>

#include "account.h"
#include "comment.h"
#include "org.h"
#include "review.h"
#include "scorecard.h"

#include "arena.h"
#include "clock.h"
#include "db.h"
#include "dbutil.h"

/* Run a constant SQL statement on the raw handle; the SQLite code. */
int
raw(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		continue;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* raw() of the statement the printf-style fmt makes. */
int
rawf(struct db *db, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_true(len >= 0 && (size_t)len < sizeof(sql));
	return raw(db, sql);
}

/* The first column of the first row of sql as an integer (-1 if none). */
long long
raw_int(struct db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first column of the first row of sql as text in a ("" if none). */
const char *
raw_text(struct db *db, struct arena *a, const char *sql)
{
	sqlite3_stmt *st = NULL;
	const char *v = "";

	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		v = arena_xstrdup(a, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* ---- the fixture ---- */

static char tmpl_dir[64];
static char tmpl_path[128];
static struct fx tmpl;

void
rm_db(const char *path)
{
	char p[160];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
}

void
fx_fresh(struct fx *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/kwtest-db.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/kw.db", f->dir);
	assert_int_equal(db_open(f->path, &f->db), KW_OK);
	assert_int_equal(db_migrate(f->db), KW_OK);
	assert_non_null(f->a = arena_new(16 * 1024, 0));
}

void
fx_add_user(struct fx *f, long long org, const char *email, const char *name,
    enum user_role role, struct user *u)
{
	long long id;

	assert_int_equal(user_create(f->db, NULL, org, email, name, role, PW,
	    &id), KW_OK);
	assert_int_equal(user_get(f->db, f->a, id, u), KW_OK);
}

int
fx_group_setup(void **state)
{
	struct fx *f = &tmpl;

	(void)state;
	setenv(CLOCK_ENV, FX_NOW, 1);
	fx_fresh(f);
	assert_int_equal(org_create(f->db, NULL, "Buyer Co", &f->b), KW_OK);
	assert_int_equal(org_create(f->db, NULL, "Supplier Co", &f->s), KW_OK);
	assert_int_equal(org_create(f->db, NULL, "Unrelated Co", &f->x), KW_OK);
	assert_int_equal(org_create(f->db, NULL, "Operators", &f->o), KW_OK);
	fx_add_user(f, f->b, "Bea@Buyer.example", "Bea Admin", USER_ADMIN,
	    &f->b_admin);
	fx_add_user(f, f->b, "bob@buyer.example", "Bob Member", USER_MEMBER,
	    &f->b_member);
	fx_add_user(f, f->s, "sam@supplier.example", "Sam Admin", USER_ADMIN,
	    &f->s_admin);
	fx_add_user(f, f->x, "xena@unrelated.example", "Xena Admin", USER_ADMIN,
	    &f->x_admin);
	fx_add_user(f, f->o, "olga@ops.example", "Olga Op", USER_ADMIN, &f->op);
	assert_int_equal(user_set_operator(f->db, NULL, f->op.id, 1), KW_OK);
	assert_int_equal(user_get(f->db, f->a, f->op.id, &f->op), KW_OK);
	fx_add_user(f, f->s, "sue@supplier.example", "Sue Member",
	    USER_MEMBER, &f->s_member);
	assert_int_equal(account_create(f->db, &f->op, "B buys from S", f->b,
	    f->s, CADENCE_QUARTERLY, "2026-01-01", f->b_admin.id,
	    f->s_admin.id, &f->acct), KW_OK);
	memcpy(tmpl_dir, f->dir, sizeof(tmpl_dir));
	memcpy(tmpl_path, f->path, sizeof(tmpl_path));
	return 0;
}

int
fx_group_teardown(void **state)
{
	(void)state;
	db_close(tmpl.db);
	arena_free(tmpl.a);
	rm_db(tmpl_path);
	rmdir(tmpl_dir);
	return 0;
}

int
fx_setup(void **state)
{
	struct fx *f = xmalloc(sizeof(*f));

	*f = tmpl;
	snprintf(f->dir, sizeof(f->dir), "/tmp/kwtest-db.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kw.db", f->dir);
	if (db_backup(tmpl.db, f->path) != KW_OK ||
	    db_open(f->path, &f->db) != KW_OK || db_migrate(f->db) != KW_OK)
		return -1;
	if ((f->a = arena_new(16 * 1024, 0)) == NULL)
		return -1;
	*state = f;
	return 0;
}

void
fx_clock(const char *day_or_iso)
{
	char t[32];

	if (strlen(day_or_iso) == 10)
		snprintf(t, sizeof(t), "%sT09:00:00Z", day_or_iso);
	else
		snprintf(t, sizeof(t), "%s", day_or_iso);
	assert_int_equal(setenv(CLOCK_ENV, t, 1), 0);
}

int
fx_teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	arena_free(f->a);
	rm_db(f->path);
	rmdir(f->dir);
	free(f);
	setenv(CLOCK_ENV, FX_NOW, 1);
	return 0;
}

xmlXPathObjectPtr
xpath_eval(xmlDocPtr doc, const char *prefix, const char *uri,
    const char *expr)
{
	xmlXPathContextPtr c = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;

	assert_non_null(c);
	xmlXPathRegisterNs(c, (const xmlChar *)prefix, (const xmlChar *)uri);
	o = xmlXPathEvalExpression((const xmlChar *)expr, c);
	xmlXPathFreeContext(c);
	assert_non_null(o);
	return o;
}

xmlSchemaPtr
fx_schema(void)
{
	const char *top = getenv("top_srcdir");
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema = NULL;
	char path[1024], *xsd;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/static/exchange/"
	    "keepword-exchange-1.xsd", top != NULL ? top : ".");
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	xsd = xmalloc(1 << 20);
	n = fread(xsd, 1, 1 << 20, f);
	fclose(f);
	if ((pc = xmlSchemaNewMemParserCtxt(xsd, (int)n)) != NULL) {
		schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
	}
	free(xsd);
	return schema;
}

long long
fx_frozen_review(struct fx *f, const struct user *supplier, long long *pid)
{
	struct review_report r = { 0, 0 };
	long long rid;

	fx_clock("2026-04-01");
	assert_int_equal(review_open_due(f->db, f->a, "2026-04-01", &r),
	    KW_OK);
	rid = raw_int(f->db, "SELECT id FROM reviews");
	fx_clock("2026-04-02");
	assert_int_equal(review_add_action(f->db, f->a, supplier, f->acct, rid,
	    "Weekly stock report", "2026-05-01", pid, NULL), KW_OK);
	assert_int_equal(comment_add(f->db, f->a, &f->b_admin, f->acct,
	    "review", rid, "A good quarter", NULL), KW_OK);
	assert_int_equal(review_sign(f->db, f->a, &f->b_admin, f->acct, rid,
	    NULL), KW_OK);
	assert_int_equal(review_sign(f->db, f->a, supplier, f->acct, rid,
	    NULL), KW_OK);
	return rid;
}

enum kw_status
fx_side_trend(struct db *db, struct arena *a, const struct account *acct,
    enum account_side side, size_t n, const char *until, const char *today,
    const struct scorecard *latest, struct scorecard_point **pt,
    size_t *count)
{
	struct scorecard_point *l[SIDE__MAX];
	struct scorecard both[SIDE__MAX];
	enum kw_status ret;

	assert_true((int)side >= 0 && side < SIDE__MAX);
	*pt = NULL;
	if (latest != NULL) {
		memset(both, 0, sizeof(both));
		both[side] = *latest;
		both[account_other_side(side)].side = SIDE__MAX;
	}
	ret = scorecard_trend(db, a, acct, n, until, today,
	    latest != NULL ? both : NULL, l, count);
	*pt = l[side];
	return ret;
}
