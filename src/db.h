/* db.h: the SQLite connection, migrations, transactions and statement tables. */
#ifndef DB_H
#define DB_H

#include <stddef.h>

#include <sqlite3.h>

#include "kw.h"

struct arena;

/*
 * One connection to the Keepword database. A process opens its own after
 * fork() and never shares it between processes or threads. Opaque.
 */
struct db;

/*
 * A module's SQL: every statement is a constant in one table indexed by
 * the module's enum, e.g.
 *
 *	enum org_stmt { STMT_ORG_INSERT, ..., STMT_ORG__MAX };
 *	static const char *const org_sql[STMT_ORG__MAX] = {
 *		[STMT_ORG_INSERT] = "INSERT INTO orgs ...",
 *	};
 *	const struct db_stmt_table org_stmts = { "org", org_sql, STMT_ORG__MAX };
 *
 * Each statement is prepared once per connection on first use and kept
 * until db_close(). Values are bound with sqlite3_bind_*() only.
 */
struct db_stmt_table {
	const char		*module;	/* for logs, e.g. "org" */
	const char *const	*sql;		/* sql[0..n-1], one statement each */
	size_t			 n;
};

/*
 * Open (creating if needed) the database file at path and configure the
 * connection: busy timeout 5000 ms, foreign_keys=ON, journal_mode=WAL,
 * synchronous=FULL, trusted_schema=OFF and SQLITE_DBCONFIG_DEFENSIVE,
 * then reads them back and refuses (KW_INTERNAL) if any did not take. It
 * does not migrate (see db_migrate()). On success *out is the new
 * connection (free with db_close()) and KW_OK is returned; on error *out
 * is NULL, the reason is logged and KW_INTERNAL or KW_BUSY is returned.
 */
enum kw_status	 db_open(const char *path, struct db **out);

/* Finalise all statements and close. NULL is a no-op. */
void		 db_close(struct db *);

/*
 * Apply every embedded migration (db/NNN-*.sql) newer than the file's
 * PRAGMA user_version, each in its own BEGIN IMMEDIATE transaction that
 * also sets user_version. A database newer than this code is refused
 * with KW_INTERNAL and left unchanged; a failed migration is rolled back.
 */
enum kw_status	 db_migrate(struct db *);

/* The schema version this code knows (the last migration's number). */
int		 db_schema_version(void);

/* PRAGMA user_version of the open file, or -1 on error (logged). */
int		 db_user_version(struct db *);

/*
 * Transactions. db_begin() starts a write transaction (BEGIN IMMEDIATE),
 * so a busy database fails here with KW_BUSY rather than later.
 * db_rollback() may be called when no transaction is active (after SQLite
 * rolled back by itself); it never fails. Transactions do not nest.
 */
enum kw_status	 db_begin(struct db *);
enum kw_status	 db_commit(struct db *);
void		 db_rollback(struct db *);

/*
 * A snapshot: a read transaction (BEGIN DEFERRED) around many queries,
 * so that they see the database as of one moment and take its locks
 * once rather than per statement. A no-op inside a transaction.
 * db_begin(), or a statement that writes, ends the snapshot first: what
 * follows runs as without one. db_snapshot_end() ends it if it is still
 * open (never fails).
 */
enum kw_status	 db_snapshot_begin(struct db *);
void		 db_snapshot_end(struct db *);

/*
 * End a write transaction begun with db_begin(): commit when ret is
 * KW_OK and return the commit's status, else roll back and return ret.
 * The one ending of a write: begin, then return db_finish(db, work()).
 */
enum kw_status	 db_finish(struct db *, enum kw_status ret);

/* Run a trivial query: KW_OK if the database answers (health checks). */
enum kw_status	 db_ping(struct db *);

/*
 * Online backup of the whole database into the new file path (which must
 * not exist) with the sqlite3_backup API; the copy is then checked with
 * PRAGMA integrity_check. On any failure the partial file is removed and
 * KW_INTERNAL (or KW_BUSY/KW_CONFLICT if path exists) is returned.
 */
enum kw_status	 db_backup(struct db *, const char *path);

/*
 * The prepared statement id of table t on this connection, prepared on
 * first use; reset and with cleared bindings, ready to bind. NULL if it
 * does not compile (logged with its text) — a bug caught by the tests.
 * Give it back with db_stmt_done() after stepping.
 */
sqlite3_stmt	*db_stmt(struct db *, const struct db_stmt_table *t, int id);

/* Reset and clear the bindings of a statement from db_stmt(). NULL ok. */
void		 db_stmt_done(sqlite3_stmt *);

/*
 * Step a statement from db_stmt(). Returns SQLITE_ROW, SQLITE_DONE, or
 * another SQLite result code, in which case the statement's text and
 * sqlite3_errmsg() have been logged (constraint failures are not logged:
 * they are expected, e.g. a duplicate email).
 */
int		 db_step(struct db *, sqlite3_stmt *);

/*
 * Step a statement that returns no rows (INSERT/UPDATE/DELETE) to its
 * end and give it back (db_stmt_done). Returns KW_OK or db_status().
 */
enum kw_status	 db_exec(struct db *, sqlite3_stmt *);

/*
 * Map an SQLite result code: OK/ROW/DONE → KW_OK, CONSTRAINT →
 * KW_CONFLICT, BUSY/LOCKED/FULL → KW_BUSY, anything else → KW_INTERNAL.
 */
enum kw_status	 db_status(int rc);

/* Bind helpers: text (NULL binds SQL NULL), copied by SQLite; 64-bit
 * integer; id (0 binds SQL NULL). They return the sqlite3_bind_* code. */
int		 db_bind_text(sqlite3_stmt *, int idx, const char *);
int		 db_bind_int(sqlite3_stmt *, int idx, long long);
int		 db_bind_id(sqlite3_stmt *, int idx, long long);

/* Column col of the current row as a string in arena a: "" for NULL. */
const char	*db_col_text(struct arena *a, sqlite3_stmt *, int col);

/* Column col of the current row, a name stored from the NULL-ended
 * names, as its index there; fallback for NULL or any other text. */
int		 db_col_enum(sqlite3_stmt *, int col,
		    const char *const *names, int fallback);

/* Fill the element at elem (zeroed, unless the caller set it) from the
 * current row of st, strings in arena a. */
typedef void	(*db_row_fn)(struct arena *a, sqlite3_stmt *st, void *elem);

/*
 * The readers of a bound statement st from db_stmt() (NULL if it did not
 * prepare: KW_INTERNAL). Each steps st and gives it back (db_stmt_done)
 * in every case; a database error is a database status.
 *
 * db_one: at most one row, into elem with fn; KW_NOTFOUND if none (fn
 * NULL: only whether there is a row).
 * db_rows: every row, one element of size bytes each (zeroed, then
 * filled by fn), into *list[0..*n-1] in arena a; on error *list is NULL
 * and *n 0.
 * db_count: one number, column 0 of the row, into *n (0 on error).
 * db_ints: the first n columns of the row as integers into v[0..n-1]
 * (each 0 when there is no row or on error), e.g. for the sums of one
 * aggregate query.
 */
enum kw_status	 db_one(struct db *, struct arena *a, sqlite3_stmt *st,
		    db_row_fn fn, void *elem);
enum kw_status	 db_rows(struct db *, struct arena *a, sqlite3_stmt *st,
		    size_t size, db_row_fn fn, void **list, size_t *n);
enum kw_status	 db_count(struct db *, sqlite3_stmt *st, size_t *n);
enum kw_status	 db_ints(struct db *, sqlite3_stmt *st, long long *v,
		    int n);

/*
 * Grow an arena array for one more element: list holds n elements of
 * size bytes with room for *cap; returns list, or a larger copy (in a)
 * with room for at least n + 1. Aborts when out of memory.
 */
void		*db_list_grow(struct arena *a, void *list, size_t n,
		    size_t *cap, size_t size);

/* rowid of the last INSERT on this connection. */
long long	 db_last_id(struct db *);

/*
 * Run sql, several statements embedded at build time (never input), one
 * by one in the caller's transaction; name is for the log.
 */
enum kw_status	 db_run_script(struct db *, const char *name, const char *sql);

/* Run statement id of t with id bound to ?1: 1 if it yields a row, 0 if
 * none, -1 on a database error (logged). */
int		 db_exists(struct db *, const struct db_stmt_table *t, int sid,
		    long long id);

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int		 db_changes(struct db *);

/*
 * Prepare every statement of t without caching it (for the tests: a
 * typo fails `make check`). Returns the number that failed (logged);
 * an empty (NULL) slot counts as a failure.
 */
size_t		 db_stmt_check(struct db *, const struct db_stmt_table *t);

/* The raw handle, for tests and db-layer modules only. */
sqlite3		*db_handle(struct db *);

/* This module's own statements (pragmas, ping, transactions). */
extern const struct db_stmt_table db_stmts;

/*
 * An embedded migration; the table db_migrations[0..db_migrations_count-1]
 * is generated by db/embed.sh from db/NNN-name.sql (NNN = 1, 2, ... with
 * no gaps, version == index + 1).
 */
struct db_migration {
	int		 version;
	const char	*name;
	const char	*sql;
};
extern const struct db_migration db_migrations[];
extern const size_t db_migrations_count;

#endif /* DB_H */
