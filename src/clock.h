/* clock.h: the wall clock, fixable for tests. */
#ifndef CLOCK_H
#define CLOCK_H

#include <stddef.h>
#include <time.h>

/* Environment variable that fixes the clock: "YYYY-MM-DDTHH:MM:SSZ". */
#define CLOCK_ENV	"KEEPWORD_NOW"

/* Seconds since the epoch: the fixed time if KEEPWORD_NOW is set and
 * valid, else the real time. */
time_t	 clock_now(void);

/* Format t as UTC ISO-8601 "YYYY-MM-DDTHH:MM:SSZ" (needs 21 bytes). */
void	 clock_iso(time_t t, char *dst, size_t len);

/* Format t as the UTC date "YYYY-MM-DD" (needs 11 bytes). */
void	 clock_date(time_t t, char *dst, size_t len);

/* Parse "YYYY-MM-DD" (a real calendar date, years 1900..9999) into the
 * UTC midnight of that day. Returns 0, or -1 if s is not such a date. */
int	 clock_parse_date(const char *s, time_t *out);

/* The date y-m-d as "YYYY-MM-DD" (y 0..9999, m 1..12, d 1..31). */
void	 clock_ymd(int y, int m, int d, char out[11]);

/* The days in month m (1..12) of year y of the Gregorian calendar. */
int	 clock_days_in_month(int y, int m);

/* Whether s is such a date "YYYY-MM-DD". */
int	 clock_date_ok(const char *s);

/* Parse "YYYY-MM-DDTHH:MM:SSZ". Returns 0, or -1. */
int	 clock_parse_iso(const char *s, time_t *out);

#endif /* CLOCK_H */
