/* db.c: the SQLite connection, migrations, transactions and statement tables. */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "arena.h"
#include "db.h"
#include "kw.h"

#define DB_BUSY_MS		5000
#define DB_LIMIT_LENGTH		(32 * 1024 * 1024)	/* largest value */
#define DB_BACKUP_TRIES		50
#define DB_BACKUP_SLEEP_MS	100

enum db_stmt_id {
	STMT_DB_BEGIN,
	STMT_DB_COMMIT,
	STMT_DB_ROLLBACK,
	STMT_DB_PING,
	STMT_DB_USER_VERSION,
	STMT_DB_FOREIGN_KEYS,
	STMT_DB_JOURNAL_WAL,
	STMT_DB_SYNC_FULL,
	STMT_DB_TRUSTED_SCHEMA,
	STMT_DB_INTEGRITY,
	STMT_DB_FOREIGN_KEYS_GET,
	STMT_DB_SYNC_GET,
	STMT_DB_BEGIN_READ,
	STMT_DB__MAX
};

static const char *const db_sql[STMT_DB__MAX] = {
	[STMT_DB_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_DB_COMMIT] = "COMMIT",
	[STMT_DB_ROLLBACK] = "ROLLBACK",
	[STMT_DB_PING] = "SELECT 1",
	[STMT_DB_USER_VERSION] = "PRAGMA user_version",
	[STMT_DB_FOREIGN_KEYS] = "PRAGMA foreign_keys = ON",
	[STMT_DB_JOURNAL_WAL] = "PRAGMA journal_mode = WAL",
	[STMT_DB_SYNC_FULL] = "PRAGMA synchronous = FULL",
	[STMT_DB_TRUSTED_SCHEMA] = "PRAGMA trusted_schema = OFF",
	[STMT_DB_INTEGRITY] = "PRAGMA integrity_check",
	[STMT_DB_FOREIGN_KEYS_GET] = "PRAGMA foreign_keys",
	[STMT_DB_SYNC_GET] = "PRAGMA synchronous",
	[STMT_DB_BEGIN_READ] = "BEGIN DEFERRED",
};

const struct db_stmt_table db_stmts = { "db", db_sql, STMT_DB__MAX };

/* The prepared statements of one table on one connection. */
struct stmt_cache {
	const struct db_stmt_table	*t;
	sqlite3_stmt			**stmts;	/* t->n slots */
};

struct db {
	sqlite3			*h;
	struct stmt_cache	*caches;
	size_t			 ncaches;
	int			 snapshot;	/* db_snapshot_begin() began
						   the open transaction */
};

enum kw_status
db_status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return KW_OK;
	case SQLITE_CONSTRAINT:
		return KW_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
		return KW_BUSY;
	default:
		return KW_INTERNAL;
	}
}

/* 1 if s holds only white space and SQL comments (after a statement). */
static int
only_blank(const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
			continue;
		}
		return *s == '\0';
	}
}

/*
 * Compile exactly one statement sql (with flags for prepare_v3). Returns
 * it, or NULL after logging (a compile error, or text after it).
 */
static sqlite3_stmt *
prepare_one(sqlite3 *h, const char *module, const char *sql,
    unsigned int flags)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	if (sql == NULL) {
		kw_logx("db: %s: empty statement slot", module);
		return NULL;
	}
	rc = sqlite3_prepare_v3(h, sql, -1, flags, &st, &tail);
	if (rc != SQLITE_OK || st == NULL) {
		kw_logx("db: %s: prepare: %s [%s]", module,
		    sqlite3_errmsg(h), sql);
		sqlite3_finalize(st);
		return NULL;
	}
	if (tail != NULL && !only_blank(tail)) {
		kw_logx("db: %s: more than one statement [%s]", module, sql);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *
db_stmt(struct db *db, const struct db_stmt_table *t, int id)
{
	struct stmt_cache *c = NULL;
	size_t i;

	assert(db != NULL && t != NULL);
	assert(id >= 0 && (size_t)id < t->n);

	for (i = 0; i < db->ncaches; i++)
		if (db->caches[i].t == t) {
			c = &db->caches[i];
			break;
		}
	if (c == NULL) {
		db->caches = xreallocarray(db->caches, db->ncaches + 1,
		    sizeof(*db->caches));
		c = &db->caches[db->ncaches++];
		c->t = t;
		c->stmts = xcalloc(t->n, sizeof(*c->stmts));
	}
	if (c->stmts[id] == NULL) {
		c->stmts[id] = prepare_one(db->h, t->module, t->sql[id],
		    SQLITE_PREPARE_PERSISTENT);
		return c->stmts[id];
	}
	/* A caller that forgot db_stmt_done() must not leak state. */
	sqlite3_reset(c->stmts[id]);
	sqlite3_clear_bindings(c->stmts[id]);
	return c->stmts[id];
}

void
db_stmt_done(sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int
db_step(struct db *db, sqlite3_stmt *st)
{
	int rc;

	/* A write ends a snapshot first: it cannot be part of one. */
	if (db->snapshot && !sqlite3_stmt_readonly(st))
		db_snapshot_end(db);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	if ((rc & 0xff) != SQLITE_CONSTRAINT)
		kw_logx("db: %s (%d) [%s]", sqlite3_errmsg(db->h), rc,
		    sqlite3_sql(st));
	return rc;
}

enum kw_status
db_exec(struct db *db, sqlite3_stmt *st)
{
	int rc;

	if (st == NULL)
		return KW_INTERNAL;
	while ((rc = db_step(db, st)) == SQLITE_ROW)
		continue;
	db_stmt_done(st);
	return db_status(rc);
}

int
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int
db_bind_int(sqlite3_stmt *st, int idx, long long v)
{
	return sqlite3_bind_int64(st, idx, v);
}

int
db_bind_id(sqlite3_stmt *st, int idx, long long id)
{
	if (id == 0)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int64(st, idx, id);
}

const char *
db_col_text(struct arena *a, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (s == NULL)
		return "";
	return arena_xstrndup(a, (const char *)s,
	    (size_t)sqlite3_column_bytes(st, col));
}

int
db_col_enum(sqlite3_stmt *st, int col, const char *const *names,
    int fallback)
{
	int i = kw_name_index(names, (const char *)sqlite3_column_text(st,
	    col));

	return i < 0 ? fallback : i;
}

enum kw_status
db_one(struct db *db, struct arena *a, sqlite3_stmt *st, db_row_fn fn,
    void *elem)
{
	int rc;

	if (st == NULL)
		return KW_INTERNAL;
	if ((rc = db_step(db, st)) == SQLITE_ROW && fn != NULL)
		fn(a, st, elem);
	db_stmt_done(st);
	if (rc == SQLITE_ROW)
		return KW_OK;
	return rc == SQLITE_DONE ? KW_NOTFOUND : db_status(rc);
}

enum kw_status
db_rows(struct db *db, struct arena *a, sqlite3_stmt *st, size_t size,
    db_row_fn fn, void **list, size_t *n)
{
	char *l = NULL;
	size_t cap = 0, cnt = 0;
	int rc;

	*list = NULL;
	*n = 0;
	if (st == NULL)
		return KW_INTERNAL;
	while ((rc = db_step(db, st)) == SQLITE_ROW) {
		l = db_list_grow(a, l, cnt, &cap, size);
		fn(a, st, l + cnt++ * size);
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_status(rc);
	*list = l;
	*n = cnt;
	return KW_OK;
}

enum kw_status
db_count(struct db *db, sqlite3_stmt *st, size_t *n)
{
	int rc;

	*n = 0;
	if (st == NULL)
		return KW_INTERNAL;
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	return db_status(rc);
}

enum kw_status
db_ints(struct db *db, sqlite3_stmt *st, long long *v, int n)
{
	int i, rc;

	for (i = 0; i < n; i++)
		v[i] = 0;
	if (st == NULL)
		return KW_INTERNAL;
	if ((rc = db_step(db, st)) == SQLITE_ROW)
		for (i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(st, i);
	db_stmt_done(st);
	return db_status(rc);
}

void *
db_list_grow(struct arena *a, void *list, size_t n, size_t *cap,
    size_t size)
{
	size_t ncap;
	void *p;

	if (list != NULL && n < *cap)
		return list;
	ncap = *cap < 8 ? 8 : *cap * 2;
	if (ncap <= n)
		ncap = n + 1;
	p = arena_xcalloc(a, ncap, size);
	if (list != NULL && n > 0)
		memcpy(p, list, n * size);
	*cap = ncap;
	return p;
}

long long
db_last_id(struct db *db)
{
	return (long long)sqlite3_last_insert_rowid(db->h);
}

int
db_exists(struct db *db, const struct db_stmt_table *t, int sid,
    long long id)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_stmt(db, t, sid)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(db, st);
	db_stmt_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

int
db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

sqlite3 *
db_handle(struct db *db)
{
	return db->h;
}

size_t
db_stmt_check(struct db *db, const struct db_stmt_table *t)
{
	sqlite3_stmt *st;
	size_t i, bad = 0;

	for (i = 0; i < t->n; i++) {
		if ((st = prepare_one(db->h, t->module, t->sql[i], 0)) == NULL)
			bad++;
		sqlite3_finalize(st);
	}
	return bad;
}

/* Run one of our own statements to its end. */
static enum kw_status
run(struct db *db, int id)
{
	return db_exec(db, db_stmt(db, &db_stmts, id));
}

/* Run one of our own statements and return its first column as text in
 * dst (empty if no row). */
static enum kw_status
run_text(struct db *db, int id, char *dst, size_t len)
{
	sqlite3_stmt *st = db_stmt(db, &db_stmts, id);
	const unsigned char *s;
	int rc;

	dst[0] = '\0';
	if (st == NULL)
		return KW_INTERNAL;
	if ((rc = db_step(db, st)) == SQLITE_ROW) {
		if ((s = sqlite3_column_text(st, 0)) != NULL)
			snprintf(dst, len, "%s", (const char *)s);
		while ((rc = db_step(db, st)) == SQLITE_ROW)
			continue;
	}
	db_stmt_done(st);
	return db_status(rc);
}

void
db_close(struct db *db)
{
	size_t i, j;
	int rc;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncaches; i++) {
		for (j = 0; j < db->caches[i].t->n; j++)
			sqlite3_finalize(db->caches[i].stmts[j]);
		free(db->caches[i].stmts);
	}
	free(db->caches);
	if ((rc = sqlite3_close(db->h)) != SQLITE_OK)
		kw_logx("db: close: %s", sqlite3_errstr(rc));
	free(db);
}

/* The per-connection settings that need the C API. */
static enum kw_status
configure_handle(sqlite3 *h)
{
	int v = -1;

	sqlite3_extended_result_codes(h, 1);
	if (sqlite3_busy_timeout(h, DB_BUSY_MS) != SQLITE_OK)
		goto fail;
	if (sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, &v) !=
	    SQLITE_OK || v != 1)
		goto fail;
	if (sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &v) !=
	    SQLITE_OK || v != 0)
		goto fail;
	/* No double-quoted string literals: a typo must not become text. */
	if (sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DML, 0, &v) !=
	    SQLITE_OK ||
	    sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DDL, 0, &v) != SQLITE_OK)
		goto fail;
	if (sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    &v) != SQLITE_OK)
		goto fail;
	sqlite3_limit(h, SQLITE_LIMIT_LENGTH, DB_LIMIT_LENGTH);
	sqlite3_limit(h, SQLITE_LIMIT_ATTACHED, 0);
	return KW_OK;
fail:
	kw_logx("db: cannot configure connection: %s", sqlite3_errmsg(h));
	return KW_INTERNAL;
}

/*
 * Every program uses SQLite from one thread (the workers are processes),
 * so the library needs neither its mutexes nor its memory statistics,
 * which take a mutex on every allocation. This must come before SQLite
 * initialises; if something initialised it already, it stays as it is.
 */
static void
configure_library(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	(void)sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum kw_status
db_open(const char *path, struct db **out)
{
	struct db *db = NULL;
	char mode[32], fk[8], sync[8];
	enum kw_status st = KW_INTERNAL;
	int rc;

	*out = NULL;
	if (path == NULL || *path == '\0') {
		kw_logx("db: no database path");
		return KW_INTERNAL;
	}
	configure_library();
	db = xcalloc(1, sizeof(*db));
	rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		kw_logx("db: open %s: %s", path, db->h != NULL ?
		    sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		st = db_status(rc) == KW_BUSY ? KW_BUSY : KW_INTERNAL;
		goto out;
	}
	if ((st = configure_handle(db->h)) != KW_OK)
		goto out;
	if ((st = run(db, STMT_DB_FOREIGN_KEYS)) != KW_OK ||
	    (st = run(db, STMT_DB_TRUSTED_SCHEMA)) != KW_OK)
		goto out;
	if ((st = run_text(db, STMT_DB_JOURNAL_WAL, mode, sizeof(mode))) !=
	    KW_OK)
		goto out;
	if (strcmp(mode, "wal") != 0 &&
	    !(strcmp(path, ":memory:") == 0 && strcmp(mode, "memory") == 0)) {
		kw_logx("db: %s: cannot use WAL (journal mode %s)", path, mode);
		st = KW_INTERNAL;
		goto out;
	}
	if ((st = run(db, STMT_DB_SYNC_FULL)) != KW_OK)
		goto out;
	/* Read the settings back: never serve with weaker ones. */
	if ((st = run_text(db, STMT_DB_FOREIGN_KEYS_GET, fk, sizeof(fk))) !=
	    KW_OK || (st = run_text(db, STMT_DB_SYNC_GET, sync, sizeof(sync))) !=
	    KW_OK)
		goto out;
	if (strcmp(fk, "1") != 0 || strcmp(sync, "2") != 0) {
		kw_logx("db: %s: foreign_keys=%s synchronous=%s, refusing",
		    path, fk, sync);
		st = KW_INTERNAL;
		goto out;
	}
	*out = db;
	db = NULL;
	st = KW_OK;
out:
	db_close(db);
	return st;
}

int
db_schema_version(void)
{
	return (int)db_migrations_count;
}

int
db_user_version(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, &db_stmts, STMT_DB_USER_VERSION);
	int v = -1;

	if (st == NULL)
		return -1;
	if (db_step(db, st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	db_stmt_done(st);
	return v;
}

enum kw_status
db_begin(struct db *db)
{
	db_snapshot_end(db);
	return run(db, STMT_DB_BEGIN);
}

enum kw_status
db_snapshot_begin(struct db *db)
{
	enum kw_status st;

	if (db == NULL || !sqlite3_get_autocommit(db->h))
		return KW_OK;	/* a transaction is one snapshot already */
	if ((st = run(db, STMT_DB_BEGIN_READ)) == KW_OK)
		db->snapshot = 1;
	return st;
}

void
db_snapshot_end(struct db *db)
{
	if (db == NULL || !db->snapshot)
		return;
	db->snapshot = 0;
	/* It only read: if the commit fails, a rollback loses nothing and
	 * leaves no transaction open. */
	if (run(db, STMT_DB_COMMIT) != KW_OK)
		db_rollback(db);
}

enum kw_status
db_commit(struct db *db)
{
	enum kw_status st;

	if ((st = run(db, STMT_DB_COMMIT)) != KW_OK)
		db_rollback(db);
	return st;
}

enum kw_status
db_finish(struct db *db, enum kw_status ret)
{
	if (ret == KW_OK)
		return db_commit(db);
	db_rollback(db);
	return ret;
}

void
db_rollback(struct db *db)
{
	sqlite3_stmt *st;

	if (db == NULL || sqlite3_get_autocommit(db->h))
		return;	/* no transaction (SQLite may have ended it) */
	if ((st = db_stmt(db, &db_stmts, STMT_DB_ROLLBACK)) != NULL) {
		(void)db_step(db, st);
		db_stmt_done(st);
	}
}

enum kw_status
db_ping(struct db *db)
{
	char one[8];

	if (db == NULL)
		return KW_INTERNAL;
	return run_text(db, STMT_DB_PING, one, sizeof(one));
}

enum kw_status
db_run_script(struct db *db, const char *name, const char *sql)
{
	sqlite3_stmt *st = NULL;
	const char *p = sql, *tail;
	int rc;

	while (*p != '\0') {
		rc = sqlite3_prepare_v2(db->h, p, -1, &st, &tail);
		if (rc != SQLITE_OK) {
			kw_logx("db: script %s: %s", name,
			    sqlite3_errmsg(db->h));
			return db_status(rc) == KW_BUSY ? KW_BUSY : KW_INTERNAL;
		}
		if (st == NULL)		/* only blanks or comments left */
			break;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			continue;
		if (rc != SQLITE_DONE) {
			kw_logx("db: script %s: %s [%s]", name,
			    sqlite3_errmsg(db->h), sqlite3_sql(st));
			sqlite3_finalize(st);
			return db_status(rc) == KW_BUSY ? KW_BUSY : KW_INTERNAL;
		}
		sqlite3_finalize(st);
		st = NULL;
		p = tail;
	}
	return KW_OK;
}

enum kw_status
db_migrate(struct db *db)
{
	const struct db_migration *m;
	enum kw_status st;
	size_t i;
	int v;

	if ((v = db_user_version(db)) < 0)
		return KW_INTERNAL;
	if (v > db_schema_version()) {
		kw_logx("db: schema version %d is newer than this program "
		    "knows (%d); refusing to use it", v, db_schema_version());
		return KW_INTERNAL;
	}
	for (i = 0; i < db_migrations_count; i++) {
		m = &db_migrations[i];
		assert(m->version == (int)i + 1);
		if (m->version <= v)
			continue;
		if ((st = db_begin(db)) != KW_OK)
			return st;
		/* Another process may have migrated meanwhile. */
		if ((v = db_user_version(db)) < 0) {
			db_rollback(db);
			return KW_INTERNAL;
		}
		if (m->version <= v) {
			db_rollback(db);
			continue;
		}
		if ((st = db_run_script(db, m->name, m->sql)) != KW_OK) {
			db_rollback(db);
			return st;
		}
		if ((st = db_commit(db)) != KW_OK)
			return st;
		v = m->version;
		kw_logx("db: applied migration %s", m->name);
	}
	return KW_OK;
}

/* Check the database file at path with PRAGMA integrity_check. */
static enum kw_status
check_copy(const char *path)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	const unsigned char *res;
	enum kw_status ret = KW_INTERNAL;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		kw_logx("db: backup %s: open: %s", path, sqlite3_errmsg(h));
		goto out;
	}
	if ((st = prepare_one(h, "db", db_sql[STMT_DB_INTEGRITY], 0)) == NULL)
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW ||
	    (res = sqlite3_column_text(st, 0)) == NULL ||
	    strcmp((const char *)res, "ok") != 0) {
		kw_logx("db: backup %s fails integrity_check", path);
		goto out;
	}
	ret = KW_OK;
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ret;
}

enum kw_status
db_backup(struct db *db, const char *path)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b = NULL;
	enum kw_status st = KW_INTERNAL;
	int fd, rc = SQLITE_OK, tries, created = 0;

	/* Create the file ourselves so that an existing one is never hit. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		kw_logx("db: backup %s: %s", path, strerror(errno));
		return errno == EEXIST ? KW_CONFLICT : KW_INTERNAL;
	}
	close(fd);
	created = 1;
	if ((rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL)) !=
	    SQLITE_OK) {
		kw_logx("db: backup %s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	if ((b = sqlite3_backup_init(dst, "main", db->h, "main")) == NULL) {
		kw_logx("db: backup %s: %s", path, sqlite3_errmsg(dst));
		goto out;
	}
	/* One step copies everything under one read snapshot; WAL readers
	 * do not block writers, so only a brief lock can make us retry. */
	for (tries = 0; tries < DB_BACKUP_TRIES; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(DB_BACKUP_SLEEP_MS);
	}
	rc = sqlite3_backup_finish(b);
	b = NULL;
	if (rc != SQLITE_OK) {
		kw_logx("db: backup %s: %s", path, sqlite3_errmsg(dst));
		st = db_status(rc) == KW_BUSY ? KW_BUSY : KW_INTERNAL;
		goto out;
	}
	if ((rc = sqlite3_close(dst)) != SQLITE_OK) {
		kw_logx("db: backup %s: close: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	dst = NULL;
	if ((st = check_copy(path)) != KW_OK)
		goto out;
	created = 0;	/* keep it */
out:
	if (b != NULL)
		sqlite3_backup_finish(b);
	sqlite3_close(dst);
	if (created)
		unlink(path);
	return st;
}
