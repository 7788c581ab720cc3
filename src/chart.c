/* chart.c: server-rendered SVG trend charts for the account reviews. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "chart.h"
#include "tmpl.h"

/*
 * Geometry in user units (CSS px when drawn at 1:1). Coordinates are
 * computed as integers in tenths of a unit and written by put_num(), so the
 * output is the same in every locale and on every platform.
 */
#define WIDTH		640
#define PLOT_T		16		/* y of the max tick */
#define PLOT_H		160
#define PLOT_B		(PLOT_T + PLOT_H) /* y of the min tick: the x axis */
#define PLOT_R		(WIDTH - 16)
#define LABEL_Y		(PLOT_B + 20)	/* baseline of the period labels */
#define LEGEND_Y	(PLOT_B + 44)	/* middle of the first legend row */
#define LEGEND_ROW	22
#define LEGEND_LINE	40		/* length of a legend's sample line */
#define BASELINE	45		/* tenths from a text's middle to its
					   baseline at FONT_SIZE */
#define FONT_SIZE	"13"
#define CHAR_W		7		/* assumed mean glyph width */
#define MAX_LABELS	8		/* period labels drawn at most */
#define MAX_UNIT	12		/* characters of the unit drawn */

#define INK		"#1b1f24"	/* text: 16:1 on white */
#define MUTED		"#4a5461"	/* axes, "No data": 7.6:1 */
#define GRID		"#c9d1db"	/* grid lines (decoration only) */

enum chart_mark {
	MARK_CIRCLE,
	MARK_SQUARE,
	MARK_TRIANGLE,
	MARK_DIAMOND,
	MARK__MAX
};

/* How series i is drawn: a dark colour, a dash pattern and a marker. */
static const struct chart_style {
	const char	*colour;
	const char	*dash;		/* NULL: solid */
	enum chart_mark	 mark;
} styles[CHART_MAX_SERIES] = {
	{ "#1f4e79", NULL, MARK_CIRCLE },	/* .side-buyer */
	{ "#6b3fa0", "7 4", MARK_SQUARE },	/* .side-supplier */
	{ "#a63d00", "2 3", MARK_TRIANGLE },
	{ "#1e6b35", "9 3 2 3", MARK_DIAMOND },
};

/* A number as put_num() writes it, made once for the several times a
 * chart draws it (a period's x is on its tick, its label, each line and
 * each marker). */
#define NUM_MAX		24
struct num {
	size_t	 n;
	char	 s[NUM_MAX];
};

/* Where the plot sits: its left edge and width in units. */
struct geom {
	long long	 left;		/* x of the value axis, in units */
	long long	 width;		/* of the plot, in units */
	size_t		 n;		/* periods */
	double		 min, max;
	struct num	 x[CHART_MAX_PERIODS];	/* of each period's middle */
};

/* ---------- text ---------- */

/*
 * Length of the valid UTF-8 sequence at s (n > 0 bytes left), storing its
 * code point in *cp; 0 for a byte that starts no valid sequence.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t i, len;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

enum text_class {
	TEXT_OK,
	TEXT_SPACE,	/* a control character: written as a space */
	TEXT_BAD	/* not allowed in XML or HTML: written as U+FFFD */
};

static enum text_class
text_class(uint32_t c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return TEXT_SPACE;
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return TEXT_BAD;
	return TEXT_OK;
}

/* Characters in s, counting each invalid byte as one. */
static size_t
text_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len, n = strlen(s), count = 0;
	uint32_t cp;

	for (i = 0; i < n; i += len ? len : 1)
		len = utf8_seq(p + i, n - i, &cp), count++;
	return count;
}

/*
 * Appends s as XML text, also fit for a quoted attribute: runs of good
 * characters through tmpl_escape_html, control characters as spaces,
 * invalid UTF-8 and noncharacters as U+FFFD. With max > 0 a text of more
 * than max characters is cut to max - 1 and an ellipsis.
 */
static void
put_text(struct buf *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, len, run, count, n = strlen(s), keep = SIZE_MAX;
	enum text_class cls;
	uint32_t cp;

	/* Printable ASCII that needs no escaping, short enough: as it is.
	 * (Labels and units are, nearly always.) */
	for (i = 0; i < n && p[i] >= 0x20 && p[i] < 0x7f && p[i] != '&' &&
	    p[i] != '<' && p[i] != '>' && p[i] != '"' && p[i] != '\''; i++)
		continue;
	if (i == n && (max == 0 || n <= max)) {
		buf_append(out, s, n);
		return;
	}
	if (max > 0 && text_chars(s) > max)
		keep = max - 1;
	for (i = run = count = 0; i < n && count < keep; i += len, count++) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			len = 1;	/* printable ASCII: the common case */
			continue;
		}
		len = utf8_seq(p + i, n - i, &cp);
		cls = len > 0 ? text_class(cp) : TEXT_BAD;
		if (len == 0)
			len = 1;
		if (cls == TEXT_OK)
			continue;
		tmpl_escape_html(out, s + run, i - run);
		buf_puts(out, cls == TEXT_SPACE ? " " : "\xef\xbf\xbd");
		run = i + len;
	}
	tmpl_escape_html(out, s + run, i - run);
	if (keep != SIZE_MAX)
		buf_puts(out, "\xe2\x80\xa6");
}

/* ---------- numbers ---------- */

/* v rounded to tenths, halves away from zero; |v| <= CHART_MAX_ABS. */
static long long
tenths(double v)
{
	v *= 10.0;
	return (long long)(v < 0 ? v - 0.5 : v + 0.5);
}

/* The digits of t tenths ("12", "12.5", "-0.5") into *v. A chart
 * writes hundreds of numbers, so they are made here, not by printf. */
static void
num_make(struct num *v, long long t)
{
	char d[NUM_MAX], *e = d + sizeof(d), *p = e;
	unsigned long long u;
	unsigned w;

	u = t < 0 ? -(unsigned long long)t : (unsigned long long)t;
	if (u % 10 != 0) {
		*--p = (char)('0' + u % 10);
		*--p = '.';
	}
	for (u /= 10; u > UINT_MAX; u /= 10)
		*--p = (char)('0' + u % 10);
	w = (unsigned)u;	/* the usual case: 32-bit division is cheaper */
	do
		*--p = (char)('0' + w % 10);
	while ((w /= 10) > 0);
	if (t < 0)
		*--p = '-';
	v->n = (size_t)(e - p);
	memcpy(v->s, p, v->n);
}

/* Appends a number made by num_make(). */
static void
put_numv(struct buf *out, const struct num *v)
{
	buf_append(out, v->s, v->n);
}

/* Appends t tenths. */
static void
put_num(struct buf *out, long long t)
{
	struct num v;

	num_make(&v, t);
	put_numv(out, &v);
}

/* Characters put_num() writes for t. */
static size_t
num_chars(long long t)
{
	unsigned long long u;
	size_t len;

	u = t < 0 ? -(unsigned long long)t : (unsigned long long)t;
	len = (t < 0) + (u % 10 != 0 ? 2 : 0);
	for (u /= 10, len++; u >= 10; u /= 10)
		len++;
	return len;
}

/* Whether the unit follows a number with a space ("3 of 5", not "80%"). */
static int
unit_spaced(const char *unit)
{
	return unit[0] != '%';
}

/* Appends a value with its unit: "80%", "3.5 of 5", "12". */
static void
put_value(struct buf *out, double v, const char *unit)
{
	put_num(out, tenths(v));
	if (unit[0] == '\0')
		return;
	if (unit_spaced(unit))
		buf_putc(out, ' ');
	put_text(out, unit, MAX_UNIT);
}

/* ---------- validation ---------- */

static int
valid_id(const char *id)
{
	size_t i;

	if (id == NULL)
		return 0;
	for (i = 0; id[i] != '\0'; i++)
		if (i >= CHART_MAX_ID || !((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return 0;
	return i > 0;
}

static int
valid_number(double v)
{
	return v >= -CHART_MAX_ABS && v <= CHART_MAX_ABS;	/* not NaN */
}

static int
has_value(const struct chart_series *s, size_t i)
{
	return s->has == NULL || s->has[i] != 0;
}

/* Whether series s has a value in any of n periods. */
static int
series_has_data(const struct chart_series *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (has_value(s, i))
			return 1;
	return 0;
}

static int
chart_valid(const struct chart *c)
{
	const struct chart_series *s;
	size_t i, j;

	if (c == NULL || !valid_id(c->id) || c->title == NULL ||
	    c->n == 0 || c->n > CHART_MAX_PERIODS || c->labels == NULL ||
	    c->nseries == 0 || c->nseries > CHART_MAX_SERIES ||
	    c->series == NULL || !valid_number(c->min) ||
	    !valid_number(c->max) || !(c->min < c->max))
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->labels[i] == NULL)
			return 0;
	for (j = 0; j < c->nseries; j++) {
		s = &c->series[j];
		if (s->name == NULL || s->v == NULL)
			return 0;
		for (i = 0; i < c->n; i++)
			if (has_value(s, i) && !valid_number(s->v[i]))
				return 0;
	}
	return 1;
}

/* ---------- drawing ---------- */

/* x of period i's middle, in tenths. */
static long long
x_of(const struct geom *g, size_t i)
{
	return g->left * 10 +
	    (long long)(2 * i + 1) * g->width * 10 / (long long)(2 * g->n);
}

/* y of value v, in tenths; values outside [min, max] sit on the edge. */
static long long
y_of(const struct geom *g, double v)
{
	if (v < g->min)
		v = g->min;
	if (v > g->max)
		v = g->max;
	return PLOT_B * 10 - tenths((v - g->min) / (g->max - g->min) * PLOT_H);
}

/* Appends the attributes xa="x" ya="y". */
static void
put_xyv(struct buf *out, const char *xa, const struct num *x, const char *ya,
    const struct num *y)
{
	buf_putc(out, ' ');
	buf_puts(out, xa);
	buf_puts(out, "=\"");
	put_numv(out, x);
	buf_puts(out, "\" ");
	buf_puts(out, ya);
	buf_puts(out, "=\"");
	put_numv(out, y);
	buf_putc(out, '"');
}

/* put_xyv() of x and y in tenths. */
static void
put_xy(struct buf *out, const char *xa, long long x, const char *ya,
    long long y)
{
	struct num xn, yn;

	num_make(&xn, x);
	num_make(&yn, y);
	put_xyv(out, xa, &xn, ya, &yn);
}

/* Appends a path command with one point: "M12 34". */
static void
put_pointv(struct buf *out, char cmd, const struct num *x,
    const struct num *y)
{
	buf_putc(out, cmd);
	put_numv(out, x);
	buf_putc(out, ' ');
	put_numv(out, y);
}

/* put_pointv() of x and y in tenths. */
static void
put_point(struct buf *out, char cmd, long long x, long long y)
{
	struct num xn, yn;

	num_make(&xn, x);
	num_make(&yn, y);
	put_pointv(out, cmd, &xn, &yn);
}

/* Appends marker m centred on (x, y), in tenths and as xn and yn; fill
 * and stroke are the enclosing group's. Each shape covers about the same
 * area. */
static void
put_marker(struct buf *out, enum chart_mark m, long long x, long long y,
    const struct num *xn, const struct num *yn)
{
	struct num up;

	switch (m) {
	case MARK_CIRCLE:
		buf_puts(out, "<circle");
		put_xyv(out, "cx", xn, "cy", yn);
		buf_puts(out, " r=\"4.5\"/>\n");
		break;
	case MARK_SQUARE:
		buf_puts(out, "<rect");
		put_xy(out, "x", x - 40, "y", y - 40);
		buf_puts(out, " width=\"8\" height=\"8\"/>\n");
		break;
	case MARK_TRIANGLE:
	case MARK_DIAMOND:
		num_make(&up, y - 60);
		buf_puts(out, "<path d=\"");
		put_pointv(out, 'M', xn, &up);
		buf_puts(out, m == MARK_TRIANGLE ? "l5.5 9.5h-11z\"/>\n" :
		    "l6 6-6 6-6-6z\"/>\n");
		break;
	case MARK__MAX:
		break;
	}
}

/* Opens the group that gives series i's colour to its line and markers. */
static void
put_series_group(struct buf *out, size_t i)
{
	buf_puts(out, "<g fill=\"");
	buf_puts(out, styles[i].colour);
	buf_puts(out, "\" stroke=\"");
	buf_puts(out, styles[i].colour);
	buf_puts(out, "\">\n");
}

/* Appends the attributes of series i's line after "<path d=\"...". */
static void
put_line_attrs(struct buf *out, size_t i)
{
	buf_puts(out, "\" fill=\"none\" stroke-width=\"2\""
	    " stroke-linejoin=\"round\"");
	if (styles[i].dash != NULL) {
		buf_puts(out, " stroke-dasharray=\"");
		buf_puts(out, styles[i].dash);
		buf_putc(out, '"');
	}
	buf_puts(out, "/>\n");
}

/* The <desc> text made from the data: "Buyer: Q1 80%, Q2 no value." */
static void
put_summary(struct buf *out, const struct chart *c, const char *unit)
{
	const struct chart_series *s;
	size_t i, j;

	for (j = 0; j < c->nseries; j++) {
		s = &c->series[j];
		if (j > 0)
			buf_putc(out, ' ');
		put_text(out, s->name, 0);
		buf_puts(out, ":");
		if (!series_has_data(s, c->n)) {
			buf_puts(out, " no data.");
			continue;
		}
		for (i = 0; i < c->n; i++) {
			buf_puts(out, i > 0 ? ", " : " ");
			put_text(out, c->labels[i], 0);
			buf_putc(out, ' ');
			if (has_value(s, i))
				put_value(out, s->v[i], unit);
			else
				buf_puts(out, "no value");
		}
		buf_putc(out, '.');
	}
}

/* Grid, axes, ticks, tick labels and period labels. */
static void
put_axes(struct buf *out, const struct chart *c, const struct geom *g,
    const char *unit)
{
	const double ticks[3] = { c->max, (c->min + c->max) / 2, c->min };
	long long left = g->left * 10, right = PLOT_R * 10, y;
	struct num base, label_y;
	size_t i, k, max;

	num_make(&base, PLOT_B * 10);
	num_make(&label_y, LABEL_Y * 10);
	buf_puts(out, "<path d=\"");
	put_point(out, 'M', left, PLOT_T * 10);
	put_point(out, 'L', right, PLOT_T * 10);
	put_point(out, 'M', left, (PLOT_T + PLOT_H / 2) * 10);
	put_point(out, 'L', right, (PLOT_T + PLOT_H / 2) * 10);
	buf_puts(out, "\" fill=\"none\" stroke=\"" GRID "\"/>\n");

	/* The axes, a tick left of each value and under each period. */
	buf_puts(out, "<path d=\"");
	put_point(out, 'M', left, PLOT_T * 10);
	put_point(out, 'L', left, PLOT_B * 10);
	put_point(out, 'L', right, PLOT_B * 10);
	for (i = 0; i < 3; i++) {
		put_point(out, 'M', left, PLOT_T * 10 + (long long)i *
		    PLOT_H * 5);
		buf_puts(out, "h-5");
	}
	for (i = 0; i < g->n; i++) {
		put_pointv(out, 'M', &g->x[i], &base);
		buf_puts(out, "v5");
	}
	buf_puts(out, "\" fill=\"none\" stroke=\"" MUTED "\"/>\n");

	buf_puts(out, "<g text-anchor=\"end\">\n");
	for (i = 0; i < 3; i++) {
		y = PLOT_T * 10 + (long long)i * PLOT_H * 5 + BASELINE;
		buf_puts(out, "<text");
		put_xy(out, "x", left - 80, "y", y);
		buf_putc(out, '>');
		put_value(out, ticks[i], unit);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</g>\n");

	/* At most MAX_LABELS period labels, always the latest period's. */
	k = (g->n + MAX_LABELS - 1) / MAX_LABELS;
	max = (size_t)(g->width * (long long)k / (long long)g->n / CHAR_W);
	buf_puts(out, "<g text-anchor=\"middle\">\n");
	for (i = 0; i < g->n; i++) {
		if ((g->n - 1 - i) % k != 0)
			continue;
		buf_puts(out, "<text");
		put_xyv(out, "x", &g->x[i], "y", &label_y);
		buf_putc(out, '>');
		put_text(out, c->labels[i], max < 3 ? 3 : max);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</g>\n");
}

/* Series j: one subpath per run of two or more values, a marker on each
 * value (a lone value is only a marker). */
static void
put_series(struct buf *out, const struct chart *c, const struct geom *g,
    size_t j)
{
	const struct chart_series *s = &c->series[j];
	struct num y[CHART_MAX_PERIODS];
	size_t i;
	int prev, next, open = 0;

	for (i = 0; i < c->n; i++)
		if (has_value(s, i))
			num_make(&y[i], y_of(g, s->v[i]));
	put_series_group(out, j);
	for (i = 0; i < c->n; i++) {
		if (!has_value(s, i))
			continue;
		prev = i > 0 && has_value(s, i - 1);
		next = i + 1 < c->n && has_value(s, i + 1);
		if (!prev && !next)
			continue;
		if (!open)
			buf_puts(out, "<path d=\"");
		open = 1;
		put_pointv(out, prev ? 'L' : 'M', &g->x[i], &y[i]);
	}
	if (open)
		put_line_attrs(out, j);
	for (i = 0; i < c->n; i++)
		if (has_value(s, i))
			put_marker(out, styles[j].mark, x_of(g, i),
			    y_of(g, s->v[i]), &g->x[i], &y[i]);
	buf_puts(out, "</g>\n");
}

/* One legend row per series: a sample line with the marker, the name. */
static void
put_legend(struct buf *out, const struct chart *c, const struct geom *g)
{
	long long x = g->left * 10, y;
	struct num xn, yn;
	size_t j, max;

	max = (size_t)((PLOT_R - g->left - LEGEND_LINE - 10) / CHAR_W);
	buf_puts(out, "<g class=\"legend\">\n");
	for (j = 0; j < c->nseries; j++) {
		y = (LEGEND_Y + (long long)j * LEGEND_ROW) * 10;
		put_series_group(out, j);
		buf_puts(out, "<path d=\"");
		put_point(out, 'M', x, y);
		buf_putc(out, 'h');
		put_num(out, LEGEND_LINE * 10);
		put_line_attrs(out, j);
		num_make(&xn, x + LEGEND_LINE * 5);
		num_make(&yn, y);
		put_marker(out, styles[j].mark, x + LEGEND_LINE * 5, y, &xn,
		    &yn);
		buf_puts(out, "</g>\n<text");
		put_xy(out, "x", x + (LEGEND_LINE + 10) * 10, "y", y + BASELINE);
		buf_putc(out, '>');
		put_text(out, c->series[j].name, max);
		if (!series_has_data(&c->series[j], c->n))
			buf_puts(out, " (no data)");
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</g>\n");
}

int
chart_svg(struct buf *out, const struct chart *c)
{
	const char *unit;
	struct geom g;
	size_t start, j, ulen, width;
	long long t;
	int any = 0;

	if (out == NULL || out->status != BUF_OK || !chart_valid(c))
		return -1;
	start = out->len;
	unit = c->unit != NULL ? c->unit : "";

	/* Room left of the plot for the widest tick label. */
	ulen = 0;
	if (unit[0] != '\0') {
		ulen = text_chars(unit);
		ulen = (size_t)unit_spaced(unit) +
		    (ulen > MAX_UNIT ? MAX_UNIT : ulen);
	}
	width = 0;
	for (j = 0; j < 3; j++) {
		t = tenths(j == 0 ? c->min : j == 1 ? (c->min + c->max) / 2 :
		    c->max);
		if (num_chars(t) + ulen > width)
			width = num_chars(t) + ulen;
	}
	g.left = 16 + CHAR_W * (long long)width;
	if (g.left < 48)
		g.left = 48;
	g.width = PLOT_R - g.left;
	g.n = c->n;
	g.min = c->min;
	g.max = c->max;
	for (j = 0; j < g.n; j++)
		num_make(&g.x[j], x_of(&g, j));

	/* The id is checked (valid_id()): it needs no escaping. */
	buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\""
	    " class=\"chart\" viewBox=\"0 0 ");
	put_num(out, WIDTH * 10);
	buf_putc(out, ' ');
	put_num(out, (LEGEND_Y + LEGEND_ROW * (long long)(c->nseries - 1) +
	    16) * 10);
	buf_puts(out, "\" role=\"img\" aria-labelledby=\"");
	buf_puts(out, c->id);
	buf_puts(out, "-title ");
	buf_puts(out, c->id);
	buf_puts(out, "-desc\" font-size=\"" FONT_SIZE "\" fill=\"" INK
	    "\">\n<title id=\"");
	buf_puts(out, c->id);
	buf_puts(out, "-title\">");
	put_text(out, c->title, 0);
	buf_puts(out, "</title>\n<desc id=\"");
	buf_puts(out, c->id);
	buf_puts(out, "-desc\">");
	if (c->desc != NULL)
		put_text(out, c->desc, 0);
	else
		put_summary(out, c, unit);
	buf_puts(out, "</desc>\n");

	put_axes(out, c, &g, unit);
	for (j = 0; j < c->nseries; j++) {
		if (!series_has_data(&c->series[j], c->n))
			continue;
		put_series(out, c, &g, j);
		any = 1;
	}
	if (!any) {
		buf_puts(out, "<text");
		put_xy(out, "x", (g.left + PLOT_R) * 5, "y",
		    (PLOT_T + PLOT_H / 2) * 10 + BASELINE);
		buf_puts(out, " text-anchor=\"middle\" fill=\"" MUTED
		    "\">No data</text>\n");
	}
	put_legend(out, c, &g);
	buf_puts(out, "</svg>\n");

	if (out->status != BUF_OK) {
		buf_truncate(out, start);
		return -1;
	}
	return 0;
}
