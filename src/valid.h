/* valid.h: declarative validation of form and query fields. */
#ifndef VALID_H
#define VALID_H

#include <stddef.h>

struct arena;
struct req_pair;

enum valid_kind {
	VALID_LINE,	/* one line of text: no control characters */
	VALID_TEXT,	/* multi-line text: LF, CR and TAB allowed */
	VALID_EMAIL,	/* trimmed, lower-cased, at most 254 bytes */
	VALID_INT,	/* decimal integer in [min, max] */
	VALID_ID,	/* positive integer id */
	VALID_DATE,	/* YYYY-MM-DD, a real calendar date */
	VALID_ENUM,	/* one of choices[] */
	VALID_PASSWORD,	/* any bytes but NUL/control, minlen..maxlen */
	VALID_BOOL,	/* checkbox: present (non-empty) = 1, absent = 0 */
	VALID_KIND__MAX
};

#define VALID_REQUIRED	0x1u

/*
 * Default length bounds in bytes (minlen/maxlen 0 = these). Messages say
 * "characters"; for non-ASCII text the byte count is what is checked.
 */
#define VALID_LINE_MAX		200
#define VALID_TEXT_MAX		10000
#define VALID_EMAIL_MAX		254
#define VALID_PASSWORD_MIN	8
#define VALID_PASSWORD_MAX	1024
#define VALID_OTHER_MAX		64	/* INT, ID, DATE, ENUM, BOOL input */

struct valid_field {
	const char		*name;
	enum valid_kind		 kind;
	unsigned		 flags;
	size_t			 minlen, maxlen;	/* text kinds; 0 = kind default */
	long long		 min, max;		/* VALID_INT */
	const char *const	*choices;		/* VALID_ENUM, NULL-ended */
	const char		*label;			/* for messages, e.g. "Title" */
};

/* The outcome for one field. */
struct valid_value {
	const char	*raw;	/* what was sent (for re-rendering), "" if absent */
	const char	*s;	/* normalised text; NULL if absent or invalid */
	long long	 i;	/* VALID_INT/ID/BOOL value; enum index for VALID_ENUM */
	const char	*error;	/* a message for the user, or NULL */
	int		 present;
};

/*
 * Validate pairs against the n declared fields, filling out[0..n-1].
 * Undeclared pairs are ignored; of duplicates the first one counts.
 * Missing optional fields are fine; a missing required field gets
 * "<label> is required." (label defaults to name). Messages are
 * allocated in a. Returns the number of fields with an error.
 *
 * Per kind: LINE and EMAIL are trimmed of surrounding blanks, TEXT of
 * surrounding white space, with CRLF and lone CR turned into LF; EMAIL is
 * lower-cased; PASSWORD is never trimmed. An empty value (after
 * trimming) counts as absent, for every kind. INT/ID/BOOL/ENUM leave s
 * as the accepted text and i as the value; DATE sets i to the UTC
 * midnight of the day (seconds since the epoch). For
 * VALID_INT, min == max == 0 means the whole long long range.
 */
size_t	 valid_fields(struct arena *a, const struct req_pair *pairs,
	    size_t npairs, const struct valid_field *fields, size_t n,
	    struct valid_value *out);

/*
 * 1 if s is minlen..maxlen bytes of well-formed UTF-8 without control
 * characters (TAB and LF are allowed when multiline: the form layer has
 * turned CR into LF), else 0; NULL counts as "" (an absent optional
 * value). The core checks its own input with it, whoever the caller is.
 */
int	 valid_text_ok(const char *s, size_t minlen, size_t maxlen,
	    int multiline);

#endif /* VALID_H */
