/* party.c: the identifiers an organisation is known by in partner
 * systems (GLN, DUNS, VAT number, LEI), as the exchange carries them. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "arena.h"
#include "audit.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "party.h"

const char *const party_scheme_names[PARTY_SCHEME__MAX + 1] = {
	[PARTY_GLN] = "GLN",
	[PARTY_DUNS] = "DUNS",
	[PARTY_VAT] = "VAT",
	[PARTY_LEI] = "LEI",
	[PARTY_SCHEME__MAX] = NULL,
};

enum party_stmt {
	STMT_PARTY_CURRENT,
	STMT_PARTY_REMOVE,
	STMT_PARTY_INSERT,
	STMT_PARTY_LIST,
	STMT_PARTY__MAX
};

static const char *const party_sql[STMT_PARTY__MAX] = {
	[STMT_PARTY_CURRENT] =
	    "SELECT value FROM org_identifiers "
	    "WHERE org_id = ?1 AND scheme = ?2 AND removed_at IS NULL",
	[STMT_PARTY_REMOVE] =
	    "UPDATE org_identifiers SET removed_at = ?3 "
	    "WHERE org_id = ?1 AND scheme = ?2 AND removed_at IS NULL",
	[STMT_PARTY_INSERT] =
	    "INSERT INTO org_identifiers (org_id, scheme, value, set_by, "
	    "set_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_PARTY_LIST] =
	    "SELECT i.scheme, i.value, i.set_at, coalesce(u.name, '') "
	    "FROM org_identifiers i LEFT JOIN users u ON u.id = i.set_by "
	    "WHERE i.org_id = ?1 AND i.removed_at IS NULL ORDER BY i.scheme",
};

const struct db_stmt_table party_stmts = {
	"party", party_sql, STMT_PARTY__MAX
};

/* 1 if s is n digits and nothing else. */
static int
all_digits(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* 1 if s is a GLN: 13 digits, the last the GS1 check digit. */
static int
gln_ok(const char *s)
{
	int i, sum = 0;

	if (!all_digits(s, 13))
		return 0;
	/* Weights 3 and 1 alternate from the digit next to the check. */
	for (i = 11; i >= 0; i--)
		sum += (s[i] - '0') * ((11 - i) % 2 == 0 ? 3 : 1);
	return (10 - sum % 10) % 10 == s[12] - '0';
}

/* 1 if s is letters A-Z and digits only, from min to max of them. */
static int
alnum_span(const char *s, size_t min, size_t max)
{
	size_t i, n = strlen(s);

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/* 1 if s is an LEI: 20 letters and digits, ISO 7064 MOD 97-10 valid. */
static int
lei_ok(const char *s)
{
	int i, v, rem = 0;

	if (!alnum_span(s, 20, 20) || !all_digits(s + 18, 2))
		return 0;
	/* Letters count as 10..35, each of two digits. */
	for (i = 0; i < 20; i++) {
		v = s[i] >= 'A' ? s[i] - 'A' + 10 : s[i] - '0';
		rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
	}
	return rem == 1;
}

/* 1 if s is a VAT number: two letters, then 2 to 13 letters/digits. */
static int
vat_ok(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	    alnum_span(s + 2, 2, 13);
}

enum kw_status
party_id_normalise(enum party_scheme scheme, const char *value,
    char dst[PARTY_VALUE_MAX + 1])
{
	size_t n = 0;
	const char *p;
	int ok;

	dst[0] = '\0';
	if (value == NULL || (int)scheme < 0 || scheme >= PARTY_SCHEME__MAX)
		return KW_BADREQ;
	for (p = value; *p != '\0'; p++) {
		if (*p == ' ' || *p == '-' || *p == '.')
			continue;
		if (n == PARTY_VALUE_MAX) {
			dst[0] = '\0';
			return KW_BADREQ;
		}
		dst[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') :
		    *p;
	}
	dst[n] = '\0';
	switch (scheme) {
	case PARTY_GLN:
		ok = gln_ok(dst);
		break;
	case PARTY_DUNS:
		ok = all_digits(dst, 9);
		break;
	case PARTY_VAT:
		ok = vat_ok(dst);
		break;
	default:
		ok = lei_ok(dst);
		break;
	}
	if (!ok)
		dst[0] = '\0';
	return ok ? KW_OK : KW_BADREQ;
}

/* Inside the caller's transaction: org_id's current value in scheme
 * into cur ("" if none). */
static enum kw_status
current(struct db *db, long long org_id, enum party_scheme scheme,
    char cur[PARTY_VALUE_MAX + 1])
{
	sqlite3_stmt *st;
	const unsigned char *v;
	int rc;

	cur[0] = '\0';
	if ((st = db_stmt(db, &party_stmts, STMT_PARTY_CURRENT)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, org_id);
	db_bind_text(st, 2, party_scheme_names[scheme]);
	if ((rc = db_step(db, st)) == SQLITE_ROW &&
	    (v = sqlite3_column_text(st, 0)) != NULL)
		snprintf(cur, PARTY_VALUE_MAX + 1, "%s", (const char *)v);
	db_stmt_done(st);
	return db_status(rc);
}

/* Inside the caller's transaction: replace org_id's value in scheme by
 * v ("" = remove it) and audit it. */
static enum kw_status
put(struct db *db, const struct user *actor, long long org_id,
    enum party_scheme scheme, const char *v)
{
	sqlite3_stmt *st;
	char cur[PARTY_VALUE_MAX + 1], now[32], detail[64];
	enum kw_status ret;

	if ((ret = current(db, org_id, scheme, cur)) != KW_OK)
		return ret;
	if (strcmp(cur, v) == 0)
		return KW_CONFLICT;	/* no change, or nothing to remove */
	clock_iso(clock_now(), now, sizeof(now));
	if ((st = db_stmt(db, &party_stmts, STMT_PARTY_REMOVE)) == NULL)
		return KW_INTERNAL;
	db_bind_int(st, 1, org_id);
	db_bind_text(st, 2, party_scheme_names[scheme]);
	db_bind_text(st, 3, now);
	if ((ret = db_exec(db, st)) != KW_OK)
		return ret;
	if (*v != '\0') {
		if ((st = db_stmt(db, &party_stmts, STMT_PARTY_INSERT)) ==
		    NULL)
			return KW_INTERNAL;
		db_bind_int(st, 1, org_id);
		db_bind_text(st, 2, party_scheme_names[scheme]);
		db_bind_text(st, 3, v);
		db_bind_id(st, 4, actor != NULL ? actor->id : 0);
		db_bind_text(st, 5, now);
		if ((ret = db_exec(db, st)) != KW_OK)
			return ret;
	}
	snprintf(detail, sizeof(detail), "%s %s", party_scheme_names[scheme],
	    *v != '\0' ? v : "removed");
	return audit_log(db, actor, 0, "org", org_id, "identifier", detail);
}

enum kw_status
party_id_set(struct db *db, const struct user *actor, long long org_id,
    enum party_scheme scheme, const char *value)
{
	char v[PARTY_VALUE_MAX + 1];
	enum kw_status ret;
	int ex;

	if (!user_can_manage(actor, org_id))
		return user_denied(actor, KW_FORBIDDEN,
		    "set the identifiers of org %lld", org_id);
	v[0] = '\0';
	if ((int)scheme < 0 || scheme >= PARTY_SCHEME__MAX)
		return KW_BADREQ;
	if (value != NULL && *value != '\0' &&
	    (ret = party_id_normalise(scheme, value, v)) != KW_OK)
		return ret;
	if ((ex = org_exists(db, org_id)) != 1)
		return ex == 0 ? KW_NOTFOUND : KW_INTERNAL;
	if ((ret = db_begin(db)) != KW_OK)
		return ret;
	return db_finish(db, put(db, actor, org_id, scheme, v));
}

/* db_row_fn for a struct party_id. */
static void
party_row(struct arena *a, sqlite3_stmt *st, void *out)
{
	struct party_id *p = out;

	p->scheme = (enum party_scheme)db_col_enum(st, 0, party_scheme_names,
	    PARTY_GLN);
	p->value = db_col_text(a, st, 1);
	p->set_at = db_col_text(a, st, 2);
	p->set_by_name = db_col_text(a, st, 3);
}

enum kw_status
party_id_list(struct db *db, struct arena *a, long long org_id,
    struct party_id **list, size_t *n)
{
	sqlite3_stmt *st;

	if ((st = db_stmt(db, &party_stmts, STMT_PARTY_LIST)) != NULL)
		db_bind_int(st, 1, org_id);
	return db_rows(db, a, st, sizeof(**list), party_row, (void **)list,
	    n);
}
