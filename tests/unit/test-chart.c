/* test-chart.c: unit tests of the SVG trend charts. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "chart.h"

#define SVG_NS	"http://www.w3.org/2000/svg"
#define BUYER	"#1f4e79"
#define GRID	"#c9d1db"

/* libxml2 strings are unsigned; this cast keeps const (BAD_CAST drops it). */
#define XC(s)	((const xmlChar *)(s))
#define SC(s)	((const char *)(s))

static const char *const quarters[] = {
	"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
	"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
};

/* ---------- checks on the parsed SVG ---------- */

/* What a test drew: the buffer and the parsed document. */
struct drawn {
	struct buf	 b;
	xmlDoc		*doc;
};

#define DOC(state)	(((struct drawn *)*(state))->doc)

/* WCAG relative luminance of "#rrggbb". */
static double
luminance(const char *hex)
{
	double ch[3];
	unsigned v;
	int i;

	assert_int_equal(strlen(hex), 7);
	assert_int_equal(sscanf(hex + 1, "%x", &v), 1);
	for (i = 0; i < 3; i++) {
		ch[i] = ((v >> (16 - 8 * i)) & 0xff) / 255.0;
		ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 :
		    pow((ch[i] + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

/* Contrast ratio of a colour against white. */
static double
contrast(const char *hex)
{
	return 1.05 / (luminance(hex) + 0.05);
}

/* The ids met so far while walking a document. */
struct seen {
	char	*ids[16];
	size_t	 nids;
};

static xmlXPathObject *
xpath(xmlDoc *doc, const char *expr)
{
	xmlXPathContext *ctx;
	xmlXPathObject *o;

	ctx = xmlXPathNewContext(doc);
	assert_non_null(ctx);
	assert_int_equal(xmlXPathRegisterNs(ctx, XC("s"), XC(SVG_NS)), 0);
	o = xmlXPathEvalExpression(XC(expr), ctx);
	xmlXPathFreeContext(ctx);
	assert_non_null(o);
	return o;
}

/* The value of an XPath number expression such as count(...). */
static int
xcount(void **state, const char *expr)
{
	xmlXPathObject *o = xpath(DOC(state), expr);
	int n;

	assert_int_equal(o->type, XPATH_NUMBER);
	n = (int)o->floatval;
	xmlXPathFreeObject(o);
	return n;
}

/* Asserts that the string value of expr is want. */
static void
assert_xstring(void **state, const char *expr, const char *want)
{
	xmlXPathObject *o;
	char s[256];

	snprintf(s, sizeof(s), "string(%s)", expr);
	o = xpath(DOC(state), s);
	assert_int_equal(o->type, XPATH_STRING);
	assert_string_equal(SC(o->stringval), want);
	xmlXPathFreeObject(o);
}

/* The value of the first attribute expr selects, "" if none; the text
 * stays valid until the document is freed. */
static const char *
xattr(xmlDoc *doc, const char *expr)
{
	xmlXPathObject *o = xpath(doc, expr);
	const char *v = "";

	if (o->nodesetval != NULL && o->nodesetval->nodeNr > 0 &&
	    o->nodesetval->nodeTab[0]->children != NULL)
		v = SC(o->nodesetval->nodeTab[0]->children->content);
	xmlXPathFreeObject(o);
	return v;
}

/*
 * Every element: SVG namespace, not script/foreignObject/image/use, no
 * style or event attribute and no reference (href); ids are unique; any
 * font-size is at least 12; every colour but the grid's has 3:1 against
 * white, and text colours 4.5:1.
 */
static void
check_node(xmlNode *node, struct seen *seen)
{
	static const char *const banned[] = {
		"script", "foreignObject", "image", "use", "a", "style",
	};
	xmlAttr *a;
	const char *name, *val;
	size_t i;

	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		assert_non_null(node->ns);
		assert_string_equal(SC(node->ns->href), SVG_NS);
		for (i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
			assert_string_not_equal(SC(node->name), banned[i]);
		for (a = node->properties; a != NULL; a = a->next) {
			name = SC(a->name);
			val = a->children != NULL ?
			    SC(a->children->content) : "";
			assert_string_not_equal(name, "style");
			assert_string_not_equal(name, "href");
			assert_false(strncmp(name, "on", 2) == 0);
			if (strcmp(name, "id") == 0) {
				for (i = 0; i < seen->nids; i++)
					assert_string_not_equal(seen->ids[i],
					    val);
				assert_true(seen->nids < 16);
				seen->ids[seen->nids++] = strdup(val);
			}
			if (strcmp(name, "font-size") == 0)
				assert_true(atof(val) >= 12);
			if ((strcmp(name, "fill") == 0 ||
			    strcmp(name, "stroke") == 0) && val[0] == '#' &&
			    strcmp(val, GRID) != 0)
				assert_true(contrast(val) >= 3.0);
			if (strcmp(name, "fill") == 0 && val[0] == '#' &&
			    (strcmp(SC(node->name), "text") == 0 ||
			    strcmp(SC(node->name), "svg") == 0))
				assert_true(contrast(val) >= 4.5);
		}
		check_node(node->children, seen);
	}
}

/*
 * Parses s as XML (no network, no DTD allowed) and checks what every chart
 * must be; returns the document for more checks.
 */
static xmlDoc *
parse_svg(const char *s)
{
	struct seen seen = { .nids = 0 };
	xmlDoc *doc;
	xmlNode *root;
	xmlChar *v;
	char want[128];
	size_t i;

	assert_true(strncmp(s, "<svg ", 5) == 0);
	doc = xmlReadMemory(s, (int)strlen(s), "chart.svg", "UTF-8",
	    XML_PARSE_NONET);
	assert_non_null(doc);
	assert_null(doc->intSubset);
	root = xmlDocGetRootElement(doc);
	assert_non_null(root);
	assert_string_equal(SC(root->name), "svg");
	assert_null(xmlHasProp(root, XC("width")));
	assert_null(xmlHasProp(root, XC("height")));
	assert_non_null(xmlHasProp(root, XC("viewBox")));
	v = xmlGetProp(root, XC("role"));
	assert_string_equal(SC(v), "img");
	xmlFree(v);
	check_node(root, &seen);

	for (i = 0; i < seen.nids; i++)
		free(seen.ids[i]);

	/* aria-labelledby names the <title> and then the <desc>. */
	v = xmlGetProp(root, XC("aria-labelledby"));
	assert_non_null(v);
	snprintf(want, sizeof(want), "%s %s", xattr(doc, "/s:svg/s:title/@id"),
	    xattr(doc, "/s:svg/s:desc/@id"));
	assert_string_equal(SC(v), want);
	xmlFree(v);
	return doc;
}

/* Occurrences of needle in s. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* ---------- chart fixtures ---------- */

/* A chart of n quarters with the given series, 0 to 100 %. */
static struct chart
percent_chart(const struct chart_series *s, size_t nseries, size_t n)
{
	struct chart c = {
		.id = "integrity",
		.title = "Integrity",
		.labels = quarters,
		.n = n,
		.min = 0,
		.max = 100,
		.unit = "%",
		.series = s,
		.nseries = nseries,
	};

	return c;
}

static int
setup(void **state)
{
	*state = calloc(1, sizeof(struct drawn));
	return *state == NULL ? -1 : 0;
}

/* Frees what render() made; the fixture may render again. */
static void
unrender(void **state)
{
	struct drawn *d = *state;

	if (d->doc != NULL)
		xmlFreeDoc(d->doc);
	d->doc = NULL;
	buf_free(&d->b);
}

static int
teardown(void **state)
{
	unrender(state);
	free(*state);
	return 0;
}

/* Renders c (which must succeed), parses and checks it; returns the text,
 * valid until the test ends. */
static const char *
render(void **state, const struct chart *c)
{
	struct drawn *d = *state;

	buf_init(&d->b, 0, 0);
	assert_int_equal(chart_svg(&d->b, c), 0);
	d->doc = parse_svg(buf_str(&d->b));
	return buf_str(&d->b);
}

/* ---------- tests ---------- */

static void
test_chart_golden_small(void **state)
{
	static const double v[] = { 80, 0, 100 };
	static const unsigned char has[] = { 1, 0, 1 };
	const struct chart_series s = { "Buyer", v, has };
	struct chart c = percent_chart(&s, 1, 3);
	const char *out;

	out = render(state, &c);
	assert_non_null(strstr(out, "<svg xmlns=\"" SVG_NS "\" class=\"chart\""
	    " viewBox=\"0 0 640 236\" role=\"img\""
	    " aria-labelledby=\"integrity-title integrity-desc\""
	    " font-size=\"13\" fill=\"#1b1f24\">\n"
	    "<title id=\"integrity-title\">Integrity</title>\n"
	    "<desc id=\"integrity-desc\">Buyer: 2025-Q1 80%, 2025-Q2 no value,"
	    " 2025-Q3 100%.</desc>\n"));
	/* Grid at max and mid; the axes with a tick per value and period. */
	assert_non_null(strstr(out, "<path d=\"M48 16L624 16M48 96L624 96\""
	    " fill=\"none\" stroke=\"" GRID "\"/>\n"
	    "<path d=\"M48 16L48 176L624 176M48 16h-5M48 96h-5M48 176h-5"
	    "M144 176v5M336 176v5M528 176v5\" fill=\"none\""
	    " stroke=\"#4a5461\"/>\n"));
	/* Ticks at max, mid, min; period labels under their ticks. */
	assert_non_null(strstr(out, "<text x=\"40\" y=\"20.5\">100%</text>\n"
	    "<text x=\"40\" y=\"100.5\">50%</text>\n"
	    "<text x=\"40\" y=\"180.5\">0%</text>\n"));
	assert_non_null(strstr(out, "<text x=\"144\" y=\"196\">2025-Q1</text>\n"
	    "<text x=\"336\" y=\"196\">2025-Q2</text>\n"
	    "<text x=\"528\" y=\"196\">2025-Q3</text>\n"));
	/* Two lone values: markers, no line. */
	assert_non_null(strstr(out, "<g fill=\"" BUYER "\" stroke=\"" BUYER
	    "\">\n<circle cx=\"144\" cy=\"48\" r=\"4.5\"/>\n"
	    "<circle cx=\"528\" cy=\"16\" r=\"4.5\"/>\n</g>\n"));
	assert_xstring(state, "/s:svg/s:g[@class='legend']/s:text", "Buyer");
	assert_true(out[strlen(out) - 1] == '\n');
	assert_non_null(strstr(out, "</svg>\n"));
}

static void
test_chart_appends_to_buffer(void **state)
{
	static const double v[] = { 50 };
	const struct chart_series s = { "Buyer", v, NULL };
	struct chart c = percent_chart(&s, 1, 1);
	struct drawn *d = *state;

	buf_puts(&d->b, "<p>before</p>");
	assert_int_equal(chart_svg(&d->b, &c), 0);
	assert_true(strncmp(buf_str(&d->b), "<p>before</p><svg ", 18) == 0);
}

/* Numbers as large as a chart takes, and negative ones, are written in
 * full: their tenths do not fit 32 bits. */
static void
test_chart_large_numbers(void **state)
{
	static const double v[] = { -CHART_MAX_ABS, 4294967.5, CHART_MAX_ABS };
	const struct chart_series s = { "Buyer", v, NULL };
	struct chart c = percent_chart(&s, 1, 3);
	const char *out;

	c.min = -CHART_MAX_ABS;
	c.max = CHART_MAX_ABS;
	c.unit = "";
	out = render(state, &c);
	assert_non_null(strstr(out, ">1000000000</text>"));
	assert_non_null(strstr(out, ">0</text>"));
	assert_non_null(strstr(out, ">-1000000000</text>"));
	assert_non_null(strstr(out, "2025-Q1 -1000000000, 2025-Q2 4294967.5, "
	    "2025-Q3 1000000000."));
}

static void
test_chart_escapes_hostile_names(void **state)
{
	static const char name[] =
	    "<script>alert(\"x\")</script> & 'Ölmühle' ]]> 🙂";
	static const char *const labels[] = { "Q1 <b>", "\"Q2\"" };
	static const double v[] = { 10, 20 };
	const struct chart_series s = { name, v, NULL };
	struct chart c = {
		.id = "hostile", .title = "A & B <i>", .desc = NULL,
		.labels = labels, .n = 2, .min = 0, .max = 5,
		.unit = "\"><x", .series = &s, .nseries = 1,
	};
	const char *out;

	out = render(state, &c);
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "<b>"));
	assert_null(strstr(out, "<x"));
	assert_non_null(strstr(out, "&lt;script&gt;alert(&quot;x&quot;)"
	    "&lt;/script&gt; &amp; &#39;Ölmühle&#39; ]]&gt; 🙂"));
	/* The texts come back unchanged from the parser. */
	assert_xstring(state, "/s:svg/s:title", "A & B <i>");
	assert_xstring(state, "/s:svg/s:g[@class='legend']/s:text", name);
	assert_xstring(state, "/s:svg/s:g/s:text[. = 'Q1 <b>']", "Q1 <b>");
	assert_xstring(state, "/s:svg/s:g/s:text[. = '\"Q2\"']", "\"Q2\"");
	assert_xstring(state, "/s:svg/s:g/s:text[1]", "5 \"><x");
}

static void
test_chart_replaces_bad_bytes(void **state)
{
	/* Invalid byte, control characters, U+FFFE, overlong '/', surrogate,
	 * a truncated sequence at the end. */
	static const char name[] = "a\xff" "b\x01\x1b" "c\xef\xbf\xbe"
	    "d\xc0\xaf" "e\xed\xa0\x80" "f\xe2\x82";
	static const double v[] = { 1 };
	const struct chart_series s = { name, v, NULL };
	struct chart c = percent_chart(&s, 1, 1);

	c.title = "tab\there\nnewline";
	render(state, &c);
	assert_xstring(state, "/s:svg/s:title", "tab here newline");
	assert_xstring(state, "/s:svg/s:g[@class='legend']/s:text",
	    "a\xef\xbf\xbd" "b  c\xef\xbf\xbd"
	    "d\xef\xbf\xbd\xef\xbf\xbd"
	    "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "f\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_chart_gap_breaks_line(void **state)
{
	static const double v[] = { 10, 20, -1, 40, 50 };
	static const unsigned char has[] = { 1, 1, 0, 1, 1 };
	const struct chart_series s = { "Buyer", v, has };
	struct chart c = percent_chart(&s, 1, 5);
	xmlXPathObject *o;
	const char *d;
	const char *out;

	out = render(state, &c);
	/* One path with two subpaths, four markers, nothing at 0 for Q3. */
	o = xpath(DOC(state),
	    "string(/s:svg/s:g[@stroke='" BUYER "']/s:path/@d)");
	d = SC(o->stringval);
	assert_int_equal(count(d, "M"), 2);
	assert_int_equal(count(d, "L"), 2);
	xmlXPathFreeObject(o);
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@stroke='" BUYER "']/s:circle)"), 4);
	assert_int_equal(xcount(state,
	    "count(//s:circle[@cy='176'])"), 0);
	assert_non_null(strstr(out, "2025-Q3 no value"));
}

static void
test_chart_lone_values_are_markers(void **state)
{
	static const double v[] = { 10, 0, 30, 0, 50 };
	static const unsigned char has[] = { 1, 0, 1, 0, 1 };
	const struct chart_series s = { "Buyer", v, has };
	struct chart c = percent_chart(&s, 1, 5);

	render(state, &c);
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@stroke='" BUYER "']/s:path)"), 0);
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@stroke='" BUYER "']/s:circle)"), 3);
}

static void
test_chart_single_period(void **state)
{
	static const double v[] = { 4.2 };
	static const char *const label[] = { "2026-Q1" };
	const struct chart_series s = { "Buyer", v, NULL };
	struct chart c = {
		.id = "sat", .title = "Satisfaction", .labels = label, .n = 1,
		.min = 1, .max = 5, .unit = "of 5", .series = &s,
		.nseries = 1,
	};
	const char *out;

	out = render(state, &c);
	/* "5 of 5" is 6 characters: the plot starts at 16 + 6 * 7 = 58. */
	assert_non_null(strstr(out, ">5 of 5</text>"));
	assert_non_null(strstr(out, ">3 of 5</text>"));
	assert_non_null(strstr(out, ">1 of 5</text>"));
	assert_non_null(strstr(out, "<circle cx=\"341\" cy=\"48\" r=\"4.5\"/>"));
	assert_non_null(strstr(out, "<text x=\"341\" y=\"196\">2026-Q1</text>"));
	assert_non_null(strstr(out, "Buyer: 2026-Q1 4.2 of 5."));
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@stroke='" BUYER "']/s:path)"), 0);
}

static void
test_chart_all_missing_says_no_data(void **state)
{
	static const double v[] = { NAN, NAN, NAN };
	static const unsigned char none[] = { 0, 0, 0 };
	const struct chart_series s[] = {
		{ "Buyer", v, none }, { "Supplier", v, none },
	};
	struct chart c = percent_chart(s, 2, 3);
	const char *out;

	out = render(state, &c);
	assert_non_null(strstr(out, " text-anchor=\"middle\" fill=\"#4a5461\">"
	    "No data</text>"));
	assert_non_null(strstr(out, ">Buyer: no data. Supplier: no data.<"));
	/* The axes and ticks are there, no series outside the legend. */
	assert_non_null(strstr(out, ">0%</text>"));
	assert_non_null(strstr(out, ">2025-Q3</text>"));
	assert_int_equal(xcount(state, "count(/s:svg/s:g[@stroke])"), 0);
	assert_int_equal(xcount(state, "count(//s:circle | //s:rect)"), 2);
	assert_xstring(state, "/s:svg/s:g[@class='legend']/s:text[2]",
	    "Supplier (no data)");
}

static void
test_chart_one_series_missing(void **state)
{
	static const double v[] = { 60, 70 };
	static const unsigned char none[] = { 0, 0 };
	const struct chart_series s[] = {
		{ "Buyer", v, NULL }, { "Supplier", v, none },
	};
	struct chart c = percent_chart(s, 2, 2);
	const char *out;

	out = render(state, &c);
	assert_null(strstr(out, "No data</text>"));
	assert_int_equal(xcount(state, "count(/s:svg/s:g[@stroke])"), 1);
	assert_xstring(state, "/s:svg/s:g[@class='legend']/s:text[2]",
	    "Supplier (no data)");
}

static void
test_chart_extremes_and_clamping(void **state)
{
	static const double v[] = { 0, 100, -20, 150, 33.35 };
	const struct chart_series s = { "Buyer", v, NULL };
	struct chart c = percent_chart(&s, 1, 5);
	const char *out;

	out = render(state, &c);
	/* 0 on the x axis (176), 100 at the top (16); beyond: the edge. */
	assert_int_equal(xcount(state, "count(//s:circle[@cy='176'])"), 2);
	assert_int_equal(xcount(state, "count(//s:circle[@cy='16'])"), 2);
	assert_int_equal(xcount(state, "count(//s:circle[@cy='122.6'])"), 1);
	/* The description tells the real values. */
	assert_non_null(strstr(out, "2025-Q3 -20%, 2025-Q4 150%,"
	    " 2026-Q1 33.4%."));
}

static void
test_chart_negative_axis(void **state)
{
	static const double v[] = { -2.5, 0, 2.5 };
	const struct chart_series s = { "Change", v, NULL };
	struct chart c = percent_chart(&s, 1, 3);
	const char *out;

	c.min = -5;
	c.max = 5;
	c.unit = "";
	out = render(state, &c);
	assert_non_null(strstr(out, ">5</text>"));
	assert_non_null(strstr(out, ">0</text>"));
	assert_non_null(strstr(out, ">-5</text>"));
	assert_non_null(strstr(out, "2025-Q1 -2.5, 2025-Q2 0, 2025-Q3 2.5."));
	assert_int_equal(xcount(state, "count(//s:circle[@cy='96'])"), 1);
}

static void
test_chart_series_differ_without_colour(void **state)
{
	static const double v[] = { 10, 20, 30 };
	const struct chart_series s[] = {
		{ "A", v, NULL }, { "B", v, NULL }, { "C", v, NULL },
		{ "D", v, NULL },
	};
	struct chart c = percent_chart(s, 4, 3);
	const char *dash[4], *colour[4];
	char expr[128];
	int i, j;

	render(state, &c);
	/* Each series' plot group: a different marker, 3 of them. */
	assert_int_equal(xcount(state, "count(/s:svg/s:g[@stroke][1]/s:circle)"),
	    3);
	assert_int_equal(xcount(state, "count(/s:svg/s:g[@stroke][2]/s:rect)"),
	    3);
	assert_int_equal(xcount(state, "count(/s:svg/s:g[@stroke][3]"
	    "/s:path[contains(@d, 'l5.5 9.5h-11z')])"), 3);
	assert_int_equal(xcount(state, "count(/s:svg/s:g[@stroke][4]"
	    "/s:path[contains(@d, 'l6 6-6 6-6-6z')])"), 3);
	/* The legend repeats marker and line for each name. */
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@class='legend']/s:g)"), 4);
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@class='legend']/s:g[1]/s:circle)"), 1);
	assert_int_equal(xcount(state,
	    "count(/s:svg/s:g[@class='legend']/s:g[2]/s:rect)"), 1);
	/* Dash patterns and colours differ. */
	for (i = 0; i < 4; i++) {
		snprintf(expr, sizeof(expr), "/s:svg/s:g[@stroke][%d]"
		    "/s:path[1]/@stroke-dasharray", i + 1);
		dash[i] = xattr(DOC(state), expr);
		snprintf(expr, sizeof(expr), "/s:svg/s:g[@stroke][%d]/@stroke",
		    i + 1);
		colour[i] = xattr(DOC(state), expr);
		for (j = 0; j < i; j++) {
			assert_string_not_equal(dash[i], dash[j]);
			assert_string_not_equal(colour[i], colour[j]);
		}
	}
}

static void
test_chart_long_texts_are_cut(void **state)
{
	static const double v[] = { 1, 2 };
	static const char *const labels[] = {
		"A very long period label", "B",
	};
	char name[301];
	const struct chart_series s = { name, v, NULL };
	struct chart c = percent_chart(&s, 1, 2);
	xmlXPathObject *o;
	const char *legend;
	const char *out;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	c.labels = labels;
	out = render(state, &c);
	o = xpath(DOC(state), "string(/s:svg/s:g[@class='legend']/s:text)");
	legend = SC(o->stringval);
	assert_true(strlen(legend) < 100);
	assert_non_null(strstr(legend, "xxx\xe2\x80\xa6"));
	xmlXPathFreeObject(o);
	/* The period label fits its slot: 288 / 7 = 41 characters. */
	assert_non_null(strstr(out, ">A very long period label<"));
	/* The description keeps the whole name. */
	assert_non_null(strstr(out, name));
}

static void
test_chart_many_periods_label_some(void **state)
{
	static const char *const labels[CHART_MAX_PERIODS] = {
		"P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08",
		"P09", "P10", "P11", "P12", "P13", "P14", "P15", "P16",
		"P17", "P18", "P19", "P20", "P21", "P22", "P23", "P24",
	};
	double v[CHART_MAX_PERIODS];
	const struct chart_series s = { "Contacts", v, NULL };
	struct chart c = percent_chart(&s, 1, CHART_MAX_PERIODS);
	size_t i;

	for (i = 0; i < CHART_MAX_PERIODS; i++)
		v[i] = (double)i;
	c.labels = labels;
	c.max = 30;
	c.unit = NULL;
	render(state, &c);
	/* Every third label, ending with the latest period. */
	assert_int_equal(xcount(state, "count(//s:text[starts-with(., 'P')])"),
	    8);
	assert_int_equal(xcount(state, "count(//s:text[. = 'P24'])"), 1);
	assert_int_equal(xcount(state, "count(//s:text[. = 'P03'])"), 1);
	assert_int_equal(xcount(state, "count(//s:text[. = 'P01'])"), 0);
	assert_int_equal(xcount(state, "count(//s:circle)"),
	    CHART_MAX_PERIODS + 1);
}

static void
test_chart_bad_input_leaves_buffer(void **state)
{
	static const double v[] = { 10, 20 };
	static const double nan[] = { 10, NAN };
	static const double inf[] = { INFINITY, 20 };
	static const double big[] = { 10, 2e9 };
	static const unsigned char has[] = { 1, 1 };
	static const char *const null_label[] = { "Q1", NULL };
	struct chart_series s[CHART_MAX_SERIES + 1];
	struct chart good, c;
	struct buf b;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i <= CHART_MAX_SERIES; i++)
		s[i] = (struct chart_series){ "S", v, has };
	good = percent_chart(s, 1, 2);
	buf_init(&b, 0, 0);
	buf_puts(&b, "keep");

#define BAD(stmt) do {							\
		c = good;						\
		s[0] = (struct chart_series){ "S", v, has };		\
		stmt;							\
		r = chart_svg(&b, &c);					\
		assert_int_equal(r, -1);				\
		assert_string_equal(buf_str(&b), "keep");		\
		assert_int_equal(b.status, BUF_OK);			\
	} while (0)
	BAD(c.n = 0);
	BAD(c.n = CHART_MAX_PERIODS + 1);
	BAD(c.nseries = 0);
	BAD(c.nseries = CHART_MAX_SERIES + 1);
	BAD(c.min = 100);
	BAD(c.min = 101);
	BAD(c.min = NAN);
	BAD(c.max = INFINITY);
	BAD(c.max = 2e9);
	BAD(c.title = NULL);
	BAD(c.labels = NULL);
	BAD(c.labels = null_label);
	BAD(c.series = NULL);
	BAD(s[0].name = NULL);
	BAD(s[0].v = NULL);
	BAD(s[0].v = nan);
	BAD(s[0].v = inf);
	BAD(s[0].v = big);
	BAD(s[0].has = NULL; s[0].v = nan);
	BAD(c.id = NULL);
	BAD(c.id = "");
	BAD(c.id = "Chart");
	BAD(c.id = "a b");
	BAD(c.id = "a_b");
	BAD(c.id = "x\"onload=\"y");
	BAD(c.id = "a123456789012345678901234567890123");
#undef BAD
	assert_int_equal(chart_svg(&b, NULL), -1);
	assert_int_equal(chart_svg(NULL, &good), -1);
	assert_string_equal(buf_str(&b), "keep");

	/* A missing value may be anything; 32 id bytes are fine. */
	s[0] = (struct chart_series){ "S", nan, (const unsigned char[]){ 1, 0 } };
	c = good;
	c.id = "a1234567890123456789012345678901";
	assert_int_equal(chart_svg(&b, &c), 0);
	buf_free(&b);
}

static void
test_chart_full_buffer_leaves_it(void **state)
{
	static const double v[] = { 10, 20 };
	const struct chart_series s = { "S", v, NULL };
	struct chart c = percent_chart(&s, 1, 2);
	struct buf b;

	(void)state;
	buf_init(&b, 200, 0);
	buf_puts(&b, "keep");
	assert_int_equal(chart_svg(&b, &c), -1);
	assert_string_equal(buf_str(&b), "keep");
	assert_int_equal(b.status, BUF_ETOOBIG);
	/* A buffer that has already failed gets nothing. */
	assert_int_equal(chart_svg(&b, &c), -1);
	assert_string_equal(buf_str(&b), "keep");
	buf_free(&b);
}

/* Numbers are the same under a locale with a decimal comma; where no such
 * locale is installed, only the C locale's output is checked. */
static void
test_chart_ignores_locale(void **state)
{
	static const char *const locales[] = {
		"de_DE.UTF-8", "fr_FR.UTF-8", "nl_NL.UTF-8",
	};
	static const double v[] = { 33.3, 4.5 };
	const struct chart_series s = { "S", v, NULL };
	struct chart c = percent_chart(&s, 1, 2);
	struct buf b1, b2;
	size_t i;

	(void)state;
	buf_init(&b1, 0, 0);
	assert_int_equal(chart_svg(&b1, &c), 0);
	assert_non_null(strstr(buf_str(&b1), "2025-Q1 33.3%, 2025-Q2 4.5%."));
	assert_non_null(strstr(buf_str(&b1), " cy=\"122.7\""));
	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++) {
		if (setlocale(LC_NUMERIC, locales[i]) == NULL)
			continue;
		buf_init(&b2, 0, 0);
		assert_int_equal(chart_svg(&b2, &c), 0);
		setlocale(LC_NUMERIC, "C");
		assert_string_equal(buf_str(&b1), buf_str(&b2));
		buf_free(&b2);
	}
	buf_free(&b1);
}

/* xorshift64: the same numbers on every platform. */
static uint64_t
next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A random text of up to 40 bytes, mostly nasty ones. */
static void
random_text(uint64_t *x, char *dst, size_t size)
{
	static const char *const bits[] = {
		"<", ">", "&", "\"", "'", "]]>", "<!--", "\xc3\xa4", "🙂",
		"\xff", "\xc3", "\x01", "\n", "\t", "\xef\xbf\xbe", "&amp;",
		"\xed\xa0\x80", "a", "Acme Ltd", " ", "\xe2\x80\xae",
	};
	size_t len = 0, k, i, pieces = next_random(x) % 8;

	for (i = 0; i < pieces; i++) {
		const char *p = bits[next_random(x) % (sizeof(bits) /
		    sizeof(bits[0]))];
		char raw[2];

		if (next_random(x) % 5 == 0) {
			raw[0] = (char)(next_random(x) % 255 + 1);
			raw[1] = '\0';
			p = raw;
		}
		k = strlen(p);
		if (len + k >= size)
			break;
		memcpy(dst + len, p, k);
		len += k;
	}
	dst[len] = '\0';
}

static void
test_chart_random_series_are_well_formed(void **state)
{
	static const char *const units[] = { "%", "of 5", "", NULL, "<u>" };
	static const char *const ids[] = { "a", "review-7-buyer", "0-9" };
	uint64_t x = 0x6b656570776f7264ULL;	/* fixed seed */
	char names[CHART_MAX_SERIES][48], labels[CHART_MAX_PERIODS][48];
	char title[48], desc[48];
	const char *lp[CHART_MAX_PERIODS];
	double v[CHART_MAX_SERIES][CHART_MAX_PERIODS];
	unsigned char has[CHART_MAX_SERIES][CHART_MAX_PERIODS];
	struct chart_series s[CHART_MAX_SERIES];
	struct chart c;
	size_t i, j, round;

	for (round = 0; round < 400; round++) {
		memset(&c, 0, sizeof(c));
		c.n = 1 + next_random(&x) % CHART_MAX_PERIODS;
		c.nseries = 1 + next_random(&x) % CHART_MAX_SERIES;
		c.min = (double)(next_random(&x) % 2001) / 10.0 - 100.0;
		c.max = c.min + 0.1 + (double)(next_random(&x) % 5000) / 10.0;
		c.unit = units[next_random(&x) % 5];
		c.id = ids[next_random(&x) % 3];
		random_text(&x, title, sizeof(title));
		c.title = title;
		random_text(&x, desc, sizeof(desc));
		c.desc = next_random(&x) % 2 ? desc : NULL;
		for (i = 0; i < c.n; i++) {
			random_text(&x, labels[i], sizeof(labels[i]));
			lp[i] = labels[i];
		}
		c.labels = lp;
		for (j = 0; j < c.nseries; j++) {
			random_text(&x, names[j], sizeof(names[j]));
			for (i = 0; i < c.n; i++) {
				has[j][i] = next_random(&x) % 3 != 0;
				v[j][i] = c.min - 100.0 + (double)
				    (next_random(&x) % 100000) / 100.0 *
				    (c.max - c.min + 200.0) / 1000.0;
			}
			s[j] = (struct chart_series){ names[j], v[j],
			    has[j] };
		}
		c.series = s;
		render(state, &c);
		unrender(state);
	}
}

/* A test that renders into the fixture. */
#define DRAWN(test)	cmocka_unit_test_setup_teardown(test, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		DRAWN(test_chart_golden_small),
		DRAWN(test_chart_appends_to_buffer),
		DRAWN(test_chart_large_numbers),
		DRAWN(test_chart_escapes_hostile_names),
		DRAWN(test_chart_replaces_bad_bytes),
		DRAWN(test_chart_gap_breaks_line),
		DRAWN(test_chart_lone_values_are_markers),
		DRAWN(test_chart_single_period),
		DRAWN(test_chart_all_missing_says_no_data),
		DRAWN(test_chart_one_series_missing),
		DRAWN(test_chart_extremes_and_clamping),
		DRAWN(test_chart_negative_axis),
		DRAWN(test_chart_series_differ_without_colour),
		DRAWN(test_chart_long_texts_are_cut),
		DRAWN(test_chart_many_periods_label_some),
		cmocka_unit_test(test_chart_bad_input_leaves_buffer),
		cmocka_unit_test(test_chart_full_buffer_leaves_it),
		cmocka_unit_test(test_chart_ignores_locale),
		DRAWN(test_chart_random_series_are_well_formed),
	};
	int rc;

	LIBXML_TEST_VERSION
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
