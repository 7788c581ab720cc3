/* valid.c: declarative validation of form and query fields. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "clock.h"
#include "kw.h"
#include "req.h"
#include "valid.h"

/* Kind defaults for minlen and maxlen, in bytes. */
static const size_t kind_min[VALID_KIND__MAX] = {
	[VALID_PASSWORD] = VALID_PASSWORD_MIN,
};

static const size_t kind_max[VALID_KIND__MAX] = {
	[VALID_LINE] = VALID_LINE_MAX,
	[VALID_TEXT] = VALID_TEXT_MAX,
	[VALID_EMAIL] = VALID_EMAIL_MAX,
	[VALID_INT] = VALID_OTHER_MAX,
	[VALID_ID] = VALID_OTHER_MAX,
	[VALID_DATE] = VALID_OTHER_MAX,
	[VALID_ENUM] = VALID_OTHER_MAX,
	[VALID_PASSWORD] = VALID_PASSWORD_MAX,
	[VALID_BOOL] = VALID_OTHER_MAX,
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether s has a control character; multi-line text may hold TAB and
 * LF (a TEXT field's CR has become LF by then). */
static int
has_control(const char *s, size_t len, int multiline)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (multiline && (c == '\t' || c == '\n'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}

/* A copy of s with surrounding characters for which trim() is true cut. */
static char *
trimmed(struct arena *a, const char *s, int (*trim)(char))
{
	size_t len = strlen(s);

	while (len > 0 && trim(s[len - 1]))
		len--;
	while (len > 0 && trim(*s)) {
		s++;
		len--;
	}
	return arena_xstrndup(a, s, len);
}

/* TEXT: CRLF and lone CR become LF, in place. */
static void
normalise_newlines(char *s)
{
	char *d = s;

	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			*d++ = '\n';
			if (s[1] == '\n')
				s++;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

/* A plausible address: local@domain, domain with a dot, sane labels.
 * s is already lower-cased. */
static int
email_ok(const char *s)
{
	static const char local_ok[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-";
	const char *at = strchr(s, '@'), *d, *p;
	size_t llen, lab = 0;

	if (at == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	llen = (size_t)(at - s);
	if (llen == 0 || llen > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++)
		if (strchr(local_ok, *p) == NULL || (p[0] == '.' && p[1] == '.'))
			return 0;
	d = at + 1;
	if (*d == '\0' || strchr(d, '.') == NULL)
		return 0;
	for (p = d; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (lab == 0 || lab > 63 || p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			lab = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-') || (lab == 0 && *p == '-'))
			return 0;
		lab++;
	}
	return 1;
}

/* Decimal integer in [min, max] with strtoll and an end pointer. */
static int
int_ok(const char *s, long long min, long long max, long long *out)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return -1;
	if (v < min || v > max)
		return 1;
	*out = v;
	return 0;
}

static const char *
pair_value(const struct req_pair *pairs, size_t npairs, const char *name)
{
	size_t i;

	for (i = 0; i < npairs; i++)
		if (strcmp(pairs[i].key, name) == 0)
			return pairs[i].val;
	return NULL;
}

/* Validate one field; fills v (raw and present already set). */
static void
validate(struct arena *a, const struct valid_field *f, struct valid_value *v)
{
	const char *label = f->label != NULL ? f->label : f->name;
	size_t minlen, maxlen, len, k;
	long long min, max, n;
	time_t t;
	char *s;
	int rc;

	minlen = f->minlen != 0 ? f->minlen : kind_min[f->kind];
	maxlen = f->maxlen != 0 ? f->maxlen : kind_max[f->kind];

	switch (f->kind) {
	case VALID_TEXT:
		s = trimmed(a, v->raw, is_space);
		normalise_newlines(s);
		break;
	case VALID_PASSWORD:
		s = arena_xstrdup(a, v->raw);
		break;
	default:
		s = trimmed(a, v->raw, is_blank);
		break;
	}
	len = strlen(s);

	/* Empty counts as absent. */
	if (len == 0) {
		if (f->flags & VALID_REQUIRED)
			v->error = arena_xprintf(a, "%s is required.", label);
		return;
	}
	if (!req_utf8_valid(s, len) ||
	    has_control(s, len, f->kind == VALID_TEXT)) {
		v->error = arena_xprintf(a, "%s contains characters that are "
		    "not allowed.", label);
		return;
	}
	if (len > maxlen) {
		v->error = arena_xprintf(a, "%s must be at most %zu "
		    "characters.", label, maxlen);
		return;
	}
	if (len < minlen) {
		v->error = arena_xprintf(a, "%s must be at least %zu "
		    "characters.", label, minlen);
		return;
	}

	switch (f->kind) {
	case VALID_LINE:
	case VALID_TEXT:
	case VALID_PASSWORD:
		break;
	case VALID_EMAIL:
		for (k = 0; k < len; k++)
			if (s[k] >= 'A' && s[k] <= 'Z')
				s[k] = (char)(s[k] - 'A' + 'a');
		if (!email_ok(s)) {
			v->error = arena_xprintf(a, "%s must be an email "
			    "address like name@example.com.", label);
			return;
		}
		break;
	case VALID_INT:
		min = f->min;
		max = f->max;
		if (min == 0 && max == 0) {
			min = LLONG_MIN;
			max = LLONG_MAX;
		}
		if ((rc = int_ok(s, min, max, &n)) < 0) {
			v->error = arena_xprintf(a, "%s must be a whole number.",
			    label);
			return;
		} else if (rc > 0) {
			v->error = arena_xprintf(a, "%s must be between %lld "
			    "and %lld.", label, min, max);
			return;
		}
		v->i = n;
		break;
	case VALID_ID:
		if (int_ok(s, 1, LLONG_MAX, &n) != 0) {
			v->error = arena_xprintf(a, "%s is not a valid choice.",
			    label);
			return;
		}
		v->i = n;
		break;
	case VALID_DATE:
		if (clock_parse_date(s, &t) != 0) {
			v->error = arena_xstrdup(a,
			    "Enter a date as YYYY-MM-DD.");
			return;
		}
		v->i = (long long)t;
		break;
	case VALID_ENUM:
		if (f->choices == NULL ||
		    (rc = kw_name_index(f->choices, s)) < 0) {
			v->error = arena_xprintf(a, "%s is not one of the "
			    "choices.", label);
			return;
		}
		v->i = rc;
		break;
	case VALID_BOOL:
		v->i = 1;
		s = arena_xstrdup(a, "1");
		break;
	default:
		v->error = arena_xprintf(a, "%s cannot be checked.", label);
		return;
	}
	v->s = s;
}

int
valid_text_ok(const char *s, size_t minlen, size_t maxlen, int multiline)
{
	size_t len = s != NULL ? strlen(s) : 0;

	if (len < minlen || len > maxlen)
		return 0;
	return len == 0 ||
	    (req_utf8_valid(s, len) && !has_control(s, len, multiline));
}

size_t
valid_fields(struct arena *a, const struct req_pair *pairs, size_t npairs,
    const struct valid_field *fields, size_t n, struct valid_value *out)
{
	const char *raw;
	size_t i, nerr = 0;

	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		raw = pair_value(pairs, npairs, fields[i].name);
		out[i].present = raw != NULL;
		out[i].raw = raw != NULL ? raw : "";
		if ((unsigned)fields[i].kind >= VALID_KIND__MAX) {
			out[i].error = arena_xstrdup(a, "Unknown field kind.");
			nerr++;
			continue;
		}
		validate(a, &fields[i], &out[i]);
		if (out[i].error != NULL)
			nerr++;
	}
	return nerr;
}
