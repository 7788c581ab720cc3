/* clock.c: the wall clock, fixable for tests. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"

time_t
clock_now(void)
{
	const char *fixed = getenv(CLOCK_ENV);
	time_t t;

	if (fixed != NULL && clock_parse_iso(fixed, &t) == 0)
		return t;
	return time(NULL);
}

void
clock_iso(time_t t, char *dst, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(dst, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
clock_date(time_t t, char *dst, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(dst, len, "%Y-%m-%d", &tm);
}

/* Read exactly n digits from s into *v. */
static int
digits(const char *s, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Parse the "YYYY-MM-DD" prefix of s into tm; 0 or -1. */
static int
parse_ymd(const char *s, struct tm *tm)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 0;
}

int
clock_parse_date(const char *s, time_t *out)
{
	struct tm tm;

	if (s == NULL || strlen(s) != 10 || parse_ymd(s, &tm) != 0)
		return -1;
	*out = timegm(&tm);
	return 0;
}

int
clock_parse_iso(const char *s, time_t *out)
{
	struct tm tm;
	int h, mi, se;

	if (s == NULL || strlen(s) != 20 || parse_ymd(s, &tm) != 0 ||
	    s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se) || s[19] != 'Z' ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm);
	return 0;
}
