/* page-trend.c: each side's integrity, satisfaction and contacts over the
 * last review periods, as SVG charts with a table of the same figures. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "chart.h"
#include "clock.h"
#include "kw.h"
#include "page.h"
#include "scorecard.h"

/* How many periods the trends cover. */
#define TREND_PERIODS	8

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* "Oct 2026" for a period starting 2026-10-01. */
static const char *
period_label(struct page *p, const char *from)
{
	char b[9];
	int m;

	if (strlen(from) != 10 || from[5] < '0' || from[5] > '1' ||
	    from[6] < '0' || from[6] > '9')
		return from;
	m = (from[5] - '0') * 10 + (from[6] - '0');
	if (m < 1 || m > 12)
		return from;
	memcpy(b, months[m - 1], 3);
	b[3] = ' ';
	memcpy(b + 4, from, 4);
	b[8] = '\0';
	return arena_xstrndup(p->arena, b, 8);
}

/*
 * Render chart c into the page variable name as markup; -1 if it cannot
 * be drawn (the table still shows the figures).
 */
static int
chart_var(struct page *p, const char *name, const struct chart *c)
{
	struct buf b;
	int rc;

	buf_init(&b, 0, 0);
	buf_reserve(&b, 8192);		/* a chart's size */
	if ((rc = chart_svg(&b, c)) == 0)
		tmpl_set(p->vars, name, buf_str(&b));
	buf_free(&b);
	return rc;
}

/* The table's variables of each side's figures of a period. */
static const char *const integrity_key[SIDE__MAX] = {
	[SIDE_BUYER] = "buyer_integrity",
	[SIDE_SUPPLIER] = "supplier_integrity",
};
static const char *const satisfaction_key[SIDE__MAX] = {
	[SIDE_BUYER] = "buyer_satisfaction",
	[SIDE_SUPPLIER] = "supplier_satisfaction",
};

/* Appends the decimal digits of v at *e. */
static void
put_int(char **e, long long v)
{
	char d[KW_ITOA_SIZE], *s = kw_itoa(d, v);
	size_t n = strlen(s);

	memcpy(*e, s, n);
	*e += n;
}

/* Appends s at *e. */
static void
put_str(char **e, const char *s)
{
	size_t n = strlen(s);

	memcpy(*e, s, n);
	*e += n;
}

/*
 * A cell of the trend table: "80% (4 of 5)" for integrity, "3.5 (2)" for
 * satisfaction (the mean to one decimal). Made without printf, which
 * costs a table of eight periods more than the rest of it.
 */
static const char *
trend_cell(struct page *p, const struct scorecard_point *q, int integrity)
{
	char b[4 * KW_ITOA_SIZE + 16], *e = b, mean[KW_TENTHS_SIZE];

	if (integrity) {
		put_int(&e, q->integrity);
		put_str(&e, "% (");
		put_int(&e, q->kept_on_time);
		put_str(&e, " of ");
		put_int(&e, q->fallen_due);
	} else {
		put_str(&e, kw_tenths(mean, q->rating_mean));
		put_str(&e, " (");
		put_int(&e, q->ratings);
	}
	*e++ = ')';
	return arena_xstrndup(p->arena, b, (size_t)(e - b));
}

/* "+12 points", "−0.5", "no change": latest against the period before. */
static const char *
delta(struct page *p, double now, double before, const char *unit)
{
	double d = now - before;
	char b[KW_TENTHS_SIZE];

	if (d > -0.05 && d < 0.05)
		return "no change";
	return arena_xprintf(p->arena, "%s%s%s", d > 0 ? "+" : "\xe2\x88\x92",
	    kw_tenths(b, d > 0 ? d : -d), unit);
}

enum kw_status
page_trends(struct page *p, const struct account *a, const char *until,
    const struct scorecard *latest)
{
	struct scorecard_point *pt[SIDE__MAX];
	double integ[SIDE__MAX][TREND_PERIODS], sat[SIDE__MAX][TREND_PERIODS];
	double contacts[TREND_PERIODS], top = 4;
	unsigned char has_i[SIDE__MAX][TREND_PERIODS];
	unsigned char has_s[SIDE__MAX][TREND_PERIODS];
	const char *labels[TREND_PERIODS], *names[SIDE__MAX];
	char today[16];
	struct chart_series si[SIDE__MAX], ss[SIDE__MAX], sc;
	struct chart c;
	size_t i, k;
	tmpl_loop *loop;
	tmpl_vars *row;
	enum account_side s;
	enum kw_status st;

	clock_date(clock_now(), today, sizeof(today));
	if ((st = scorecard_trend(p->db, p->arena, a, TREND_PERIODS, until,
	    today, latest, pt, &k)) != KW_OK || k == 0)
		return st;
	names[SIDE_BUYER] = a->buyer_name;
	names[SIDE_SUPPLIER] = a->supplier_name;
	tmpl_set(p->vars, "buyer_name", a->buyer_name);
	tmpl_set(p->vars, "supplier_name", a->supplier_name);
	loop = tmpl_add_loop(p->vars, "trend");
	for (i = 0; i < k; i++) {
		labels[i] = period_label(p, pt[SIDE_BUYER][i].from);
		/* The labels, points and cells live in the arena: no
		 * copies. */
		row = tmpl_loop_row(loop);
		tmpl_set_ref(row, "period", labels[i]);
		tmpl_set_ref(row, "from", pt[SIDE_BUYER][i].from);
		tmpl_set_ref(row, "to", pt[SIDE_BUYER][i].to);
		for (s = SIDE_BUYER; s < SIDE__MAX; s++) {
			const struct scorecard_point *q = &pt[s][i];

			integ[s][i] = q->integrity;
			has_i[s][i] = q->integrity >= 0;
			sat[s][i] = q->rating_mean;
			has_s[s][i] = q->ratings > 0;
			if (has_i[s][i])
				tmpl_set_ref(row, integrity_key[s],
				    trend_cell(p, q, 1));
			if (has_s[s][i])
				tmpl_set_ref(row, satisfaction_key[s],
				    trend_cell(p, q, 0));
		}
		contacts[i] = (double)pt[SIDE_BUYER][i].contacts;
		if (contacts[i] > top)
			top = contacts[i];
		tmpl_set_int(row, "contacts", pt[SIDE_BUYER][i].contacts);
	}
	/* The change of the latest period against the one before. */
	for (s = SIDE_BUYER; k > 1 && s < SIDE__MAX; s++) {
		const char *side = account_side_name(s);

		if (has_i[s][k - 1] && has_i[s][k - 2])
			tmpl_set(p->vars, arena_xprintf(p->arena,
			    "%s_integrity_delta", side), delta(p,
			    integ[s][k - 1], integ[s][k - 2], " points"));
		if (has_s[s][k - 1] && has_s[s][k - 2])
			tmpl_set(p->vars, arena_xprintf(p->arena,
			    "%s_satisfaction_delta", side), delta(p,
			    sat[s][k - 1], sat[s][k - 2], ""));
	}
	for (s = SIDE_BUYER; s < SIDE__MAX; s++) {
		si[s] = (struct chart_series){ names[s], integ[s], has_i[s] };
		ss[s] = (struct chart_series){ names[s], sat[s], has_s[s] };
	}
	sc = (struct chart_series){ "Contacts, either side", contacts, NULL };
	c = (struct chart){ .id = "trend-integrity", .title = "Promises kept "
	    "on time, per period", .labels = labels, .n = k, .min = 0,
	    .max = 100, .unit = "%", .series = si, .nseries = SIDE__MAX };
	(void)chart_var(p, "chart_integrity", &c);
	c = (struct chart){ .id = "trend-satisfaction", .title = "Mean "
	    "satisfaction received, per period", .labels = labels, .n = k,
	    .min = 1, .max = 5, .unit = "of 5", .series = ss,
	    .nseries = SIDE__MAX };
	(void)chart_var(p, "chart_satisfaction", &c);
	c = (struct chart){ .id = "trend-contacts", .title = "Contacts per "
	    "period", .labels = labels, .n = k, .min = 0, .max = top,
	    .unit = "", .series = &sc, .nseries = 1 };
	(void)chart_var(p, "chart_contacts", &c);
	return KW_OK;
}
