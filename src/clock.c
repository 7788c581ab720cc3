/* clock.c: the wall clock, fixable for tests. */
#include "config.h"

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

/*
 * Civil dates and days since the epoch by plain arithmetic on the
 * proleptic Gregorian calendar (H. Hinnant's days_from_civil and
 * civil_from_days): the C library's timegm() and gmtime_r() take a lock
 * and consult the time zone on every call, and pages convert dates by
 * the hundred.
 */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void
civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Write v as n digits (zero-padded; the lowest n of a larger v) at p. */
static void
put_digits(char *p, long long v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Format t as "YYYY-MM-DD" or, with time, "YYYY-MM-DDTHH:MM:SSZ" into
 * dst (truncated to len - 1 bytes; "" for a year outside 0..9999). */
static void
format(time_t t, int with_time, char *dst, size_t len)
{
	char s[21];
	long long days, secs, y;
	size_t n;
	int m, d;

	if (len == 0)
		return;
	days = (long long)t / 86400;
	secs = (long long)t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		dst[0] = '\0';
		return;
	}
	memcpy(s, "0000-00-00T00:00:00Z", sizeof(s));
	put_digits(s, y, 4);
	put_digits(s + 5, m, 2);
	put_digits(s + 8, d, 2);
	put_digits(s + 11, secs / 3600, 2);
	put_digits(s + 14, secs / 60 % 60, 2);
	put_digits(s + 17, secs % 60, 2);
	n = with_time ? 20 : 10;
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

void
clock_ymd(int y, int m, int d, char out[11])
{
	memcpy(out, "0000-00-00", 11);
	put_digits(out, y, 4);
	put_digits(out + 5, m, 2);
	put_digits(out + 8, d, 2);
}

void
clock_iso(time_t t, char *dst, size_t len)
{
	format(t, 1, dst, len);
}

void
clock_date(time_t t, char *dst, size_t len)
{
	format(t, 0, dst, len);
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

int
clock_days_in_month(int y, int m)
{
	static const int dm[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Parse the "YYYY-MM-DD" prefix of s into its UTC midnight *t; 0 or
 * -1. */
static int
parse_ymd(const char *s, time_t *t)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > clock_days_in_month(y, m))
		return -1;
	*t = (time_t)(days_from_civil(y, m, d) * 86400);
	return 0;
}

int
clock_parse_date(const char *s, time_t *out)
{
	time_t t;

	if (s == NULL || strlen(s) != 10 || parse_ymd(s, &t) != 0)
		return -1;
	*out = t;
	return 0;
}

int
clock_date_ok(const char *s)
{
	time_t t;

	return clock_parse_date(s, &t) == 0;
}

int
clock_parse_iso(const char *s, time_t *out)
{
	time_t t;
	int h, mi, se;

	if (s == NULL || strlen(s) != 20 || parse_ymd(s, &t) != 0 ||
	    s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &se) || s[19] != 'Z' ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	*out = t + h * 3600 + mi * 60 + se;
	return 0;
}
