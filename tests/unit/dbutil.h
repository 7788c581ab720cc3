/* dbutil.h: raw SQL helpers the database unit tests share. */
#ifndef DBUTIL_H
#define DBUTIL_H

#include "arena.h"
#include "db.h"

/* Run a constant SQL statement on the raw handle; the SQLite code. */
int		 raw(struct db *db, const char *sql);

/* The first column of the first row of sql as an integer (-1 if none). */
long long	 raw_int(struct db *db, const char *sql);

/* The first column of the first row of sql as text in a ("" if none). */
const char	*raw_text(struct db *db, struct arena *a, const char *sql);

#endif /* DBUTIL_H */
