/* fuzz-import.c: libFuzzer target for the XML import: all or nothing. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "export.h"
#include "import.h"
#include "kw.h"
#include "org.h"
#include "xmlin.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The clock the seed documents are dated by (tests/fuzz/corpus/import). */
#define NOW	"2026-11-26T10:00:00Z"

/*
 * The fixture, in memory: Northwind Foods (buyer: anna) and Acme
 * Packaging (supplier: dev, carla) in account 1, owned by anna and
 * carla, with a buyer's expectation NW-EXP-1. pristine is a copy to go
 * back to after an import that wrote, so that every input meets the
 * same database.
 */
static struct db	*db;
static sqlite3		*pristine;
static struct arena	*arena;
static struct user	 dev;

/* Run sql (constants only) on the fixture, or abort. */
static void
run(const char *sql)
{
	if (sqlite3_exec(db_handle(db), sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz-import: %s: %s\n", sql,
		    sqlite3_errmsg(db_handle(db)));
		abort();
	}
}

/* Copy database from into to (both open), or abort. */
static void
copy_db(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");

	if (b == NULL || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
}

static void
setup(void)
{
	long long b, s, id;

	setenv(CLOCK_ENV, NOW, 1);
	if (auth_init() != 0 || xmlin_init() != 0 ||
	    (arena = arena_new(64 * 1024, 0)) == NULL ||
	    db_open(":memory:", &db) != KW_OK || db_migrate(db) != KW_OK ||
	    org_create(db, NULL, "Northwind Foods", &b) != KW_OK ||
	    org_create(db, NULL, "Acme Packaging", &s) != KW_OK)
		abort();
	/* Users by hand: nobody signs in here, so no password is hashed. */
	run("INSERT INTO users (org_id, email, name, role, password_hash, "
	    "created_at) VALUES "
	    "(1, 'anna@northwind.example', 'Anna Berg', 'admin', '!', '" NOW
	    "'), (2, 'carla@acme.example', 'Carla Diaz', 'admin', '!', '" NOW
	    "'), (2, 'dev@acme.example', 'Dev Patel', 'member', '!', '" NOW
	    "')");
	if (account_create(db, NULL, "Northwind ⇄ Acme packaging supply", b,
	    s, CADENCE_QUARTERLY, "2026-01-01", 1, 2, &id) != KW_OK ||
	    id != 1 || user_get(db, arena, 3, &dev) != KW_OK)
		abort();
	run("INSERT INTO expectations (account_id, from_side, title, state, "
	    "created_by, created_at, external_id) VALUES (1, 'buyer', "
	    "'On-time delivery', 'proposed', 1, '" NOW "', 'NW-EXP-1')");
	dev.email = strdup(dev.email);
	dev.name = strdup(dev.name);
	dev.org_name = NULL;
	dev.created_at = NULL;
	if (dev.email == NULL || dev.name == NULL ||
	    sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		abort();
	copy_db(pristine, db_handle(db));
	arena_reset(arena);
}

/* What any write changes: the change counter, the audit trail, the
 * notices, the people, the accounts. */
static void
fingerprint(long long v[6])
{
	sqlite3_stmt *st;
	int i;

	if (sqlite3_prepare_v2(db_handle(db), "SELECT "
	    "(SELECT seq FROM change_seq), "
	    "(SELECT count(*) FROM audit_events), "
	    "(SELECT count(*) FROM notifications), "
	    "(SELECT count(*) FROM users), (SELECT count(*) FROM orgs), "
	    "(SELECT count(*) FROM accounts)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		abort();
	for (i = 0; i < 6; i++)
		v[i] = sqlite3_column_int64(st, i);
	sqlite3_finalize(st);
}

/* export_sink that only counts. */
static int
count_bytes(void *ctx, const char *data, size_t len)
{
	(void)data;
	*(size_t *)ctx += len;
	return 0;
}

/* 1 if needle is in the n bytes at data. */
static int
has(const uint8_t *data, size_t n, const char *needle)
{
	size_t len = strlen(needle), i;

	for (i = 0; i + len <= n; i++)
		if (memcmp(data + i, needle, len) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_report rep;
	size_t written = 0, i;
	struct export_sink out = { count_bytes, &written };
	long long before[6], after[6];
	enum kw_status st;
	int restore;

	if (db == NULL)
		setup();
	fingerprint(before);

	/* A ledger is restored by the system as a new account; anything
	 * else is a submission of the supplier's user to account 1. */
	restore = has(data, size, "<AccountLedger ") ||
	    has(data, size, "<AccountLedger>");
	st = import_document(db, arena, restore ? NULL : &dev,
	    restore ? 0 : 1, (const char *)data, size, &rep);

	/* The report agrees with the status, and every error says why. */
	if (rep.status != st || (st == KW_OK) != (rep.nerrors == 0) ||
	    rep.nerrors > IMPORT_ERRORS_MAX)
		abort();
	for (i = 0; i < rep.nerrors; i++)
		if (rep.errors[i].msg == NULL || *rep.errors[i].msg == '\0' ||
		    rep.errors[i].line < 0)
			abort();
	if (import_report_write(&rep, &out) != KW_OK || written == 0)
		abort();

	/* All or nothing: a refused document wrote nothing. */
	fingerprint(after);
	if (st != KW_OK && memcmp(before, after, sizeof(before)) != 0) {
		fprintf(stderr, "fuzz-import: a refused document (%s) "
		    "wrote\n", kw_status_str(st));
		abort();
	}
	if (memcmp(before, after, sizeof(before)) != 0)
		copy_db(db_handle(db), pristine);
	arena_reset(arena);
	return 0;
}
