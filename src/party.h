/* party.h: the identifiers an organisation is known by in partner
 * systems (GLN, DUNS, VAT number, LEI), as the exchange carries them. */
#ifndef PARTY_H
#define PARTY_H

#include <stddef.h>

#include "kw.h"

struct arena;
struct db;
struct db_stmt_table;
struct user;

/* The identification schemes, exchanged as PartyIdentification/ID's
 * schemeID. */
enum party_scheme {
	PARTY_GLN = 0,	/* GS1 Global Location Number: 13 digits, check digit */
	PARTY_DUNS,	/* D-U-N-S number: 9 digits */
	PARTY_VAT,	/* VAT number: country prefix, 2 to 13 letters/digits */
	PARTY_LEI,	/* ISO 17442 LEI: 20 letters/digits, MOD 97-10 */
	PARTY_SCHEME__MAX
};

/* "GLN", "DUNS", "VAT", "LEI", NULL (usable as VALID_ENUM choices). */
extern const char *const party_scheme_names[PARTY_SCHEME__MAX + 1];

/* The longest identifier value, as stored. */
#define PARTY_VALUE_MAX	40

/* One current identifier of an org. Strings live in the arena of the
 * call that filled it. */
struct party_id {
	enum party_scheme	 scheme;
	const char		*value;
	const char		*set_at;	/* UTC ISO-8601 */
	const char		*set_by_name;	/* "" = the system */
};

/*
 * value in its stored form into dst (PARTY_VALUE_MAX + 1 bytes): spaces,
 * hyphens and dots left out, letters in upper case; KW_OK if it is then
 * a well-formed identifier of scheme (digits, length, check digits),
 * else KW_BADREQ (dst "").
 */
enum kw_status	 party_id_normalise(enum party_scheme scheme,
		    const char *value, char dst[PARTY_VALUE_MAX + 1]);

/*
 * Record value (normalised as above) as org_id's identifier in scheme,
 * replacing the current one, which is kept as removed; value NULL or ""
 * removes the current one. actor NULL (the system), an operator or an
 * active admin of org_id; anyone else KW_FORBIDDEN. KW_NOTFOUND for no
 * such org, KW_BADREQ for a bad scheme or value, KW_CONFLICT when the
 * value is the current one already or there is none to remove. One
 * transaction, audited ("org", org_id, "identifier", "GLN 4012345000009"
 * or "GLN removed"); every account the org is party to changes with it
 * (its change sequence number rises). On error nothing changes.
 */
enum kw_status	 party_id_set(struct db *, const struct user *actor,
		    long long org_id, enum party_scheme scheme,
		    const char *value);

/* The current identifiers of org_id, by scheme, into *list[0..*n-1]
 * (arena a). */
enum kw_status	 party_id_list(struct db *, struct arena *a,
		    long long org_id, struct party_id **list, size_t *n);

extern const struct db_stmt_table party_stmts;

#endif /* PARTY_H */
