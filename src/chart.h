/* chart.h: server-rendered SVG trend charts for the account reviews. */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>

#include "buf.h"

#define CHART_MAX_PERIODS	24
#define CHART_MAX_SERIES	4
#define CHART_MAX_ID		32	/* bytes of struct chart's id */
#define CHART_MAX_ABS		1e9	/* |min|, |max| and every value */

/*
 * One line of the chart: a value for each of the chart's n periods.
 * has[i] == 0 means "no value in period i" (nothing fell due, nobody
 * answered): the line breaks there and nothing is drawn, and v[i] is not
 * read. has == NULL means every period has a value.
 */
struct chart_series {
	const char		*name;	/* legend text, e.g. an org name */
	const double		*v;	/* n values */
	const unsigned char	*has;	/* n flags, or NULL */
};

/*
 * A chart of up to CHART_MAX_SERIES series over n periods, oldest first.
 * Series i is drawn in style i (colour, marker, dash): series 0 in the
 * buyer's blue and series 1 in the supplier's purple of keepword.css.
 * Values outside [min, max] are drawn at the nearest edge; the generated
 * description states them as they are.
 */
struct chart {
	const char		*id;	/* [a-z0-9-]+, unique on the page */
	const char		*title;	/* accessible name, not drawn */
	const char		*desc;	/* NULL: generated from the data */
	const char *const	*labels; /* n period labels, e.g. "2026-Q1" */
	size_t			 n;
	double			 min, max; /* the value axis */
	const char		*unit;	/* "%", "of 5", "" or NULL */
	const struct chart_series *series;
	size_t			 nseries;
};

/*
 * Appends one <svg> element (inline HTML5 or XML, no declaration) drawing
 * c to out: role="img" named by its <title> and <desc> (ids ID-title and
 * ID-desc), a value axis with ticks at min, mid and max, the period labels,
 * one line with markers per series and a legend; "No data" when no series
 * has a value. Every text is escaped; control characters become spaces and
 * invalid UTF-8 becomes U+FFFD. Numbers are written from integers in tenths,
 * whatever the locale. Returns 0, or -1 with out's length unchanged when c
 * is invalid (n or nseries 0 or too large, a NULL title, label or name, a
 * bad id, min >= max, a value that is not finite or beyond CHART_MAX_ABS),
 * or when out fails (out->status then tells why).
 */
int	 chart_svg(struct buf *out, const struct chart *c);

#endif /* CHART_H */
