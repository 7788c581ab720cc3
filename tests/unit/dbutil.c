/* dbutil.c: raw SQL helpers the database unit tests share. */
#include "config.h"

#include <sqlite3.h>

#include "arena.h"
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
