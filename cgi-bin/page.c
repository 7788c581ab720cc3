/* page.c: shared page helpers: rendering, errors, redirects, form values. */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "account.h"
#include "arena.h"
#include "page.h"

/* Notices shown once after a redirect, by key. */
static const struct notice {
	const char	*key;
	const char	*text;
} notices[] = {
	{ "signed-out", "You have signed out." },
	{ "user-created", "The person was added. Share the initial password with them privately." },
	{ "password-reset", "The password was reset and the person's sessions were ended." },
	{ "user-deactivated", "The person was deactivated and signed out everywhere." },
	{ "user-activated", "The person was reactivated." },
	{ "identifier-saved", "The identifier was recorded. Partner systems receive it with every account's exchange." },
	{ "identifier-removed", "The identifier was removed." },
	{ "token-revoked", "The token was revoked. Partner systems that use it are refused from now on." },
	{ "org-created", "The organisation was added." },
	{ "account-created", "The account was opened." },
	{ "cadence-changed", "The review cadence was changed. It applies from the next review period; the current one ends as planned." },
	{ "comment-withdrawn", "Your comment was withdrawn." },
	{ "inbox-read", "All notifications are marked as read." },
	{ "owner-handed-over", "Your side of the account was handed over." },
	{ "promise-created", "The promise was made. The other side has been told." },
	{ "promise-delivered", "The promise is marked delivered. The other side will confirm or dispute it." },
	{ "promise-confirmed", "The delivery is confirmed: the promise was kept." },
	{ "promise-disputed", "The delivery is disputed. The other side has been told why." },
	{ "promise-renegotiated", "The new due date was proposed. The other side will accept or decline it." },
	{ "promise-due-accepted", "The new due date is accepted and now in force." },
	{ "promise-due-declined", "The new due date is declined; the due date stays as it was." },
	{ "promise-broken", "The promise was given up." },
	{ "contact-logged", "The contact was logged." },
	{ "contact-withdrawn", "The contact was withdrawn." },
	{ "feedback-given", "Your feedback was recorded." },
	{ "feedback-withdrawn", "The feedback was withdrawn." },
	{ "review-drafted", "The review of the running period was opened as a draft. The other side has been notified." },
	{ "review-signed", "You signed the review for your side. Once both sides have signed, it is frozen." },
	{ "review-action-added", "The action was agreed as a promise of your side. The other side has been notified." },
	{ "concern-raised", "The concern was raised. The other side has been notified." },
	{ "concern-proposed", "The resolution was proposed. The side that raised the concern has been notified." },
	{ "concern-accepted", "The resolution was accepted. The concern is resolved." },
	{ "concern-rejected", "The resolution was not accepted. The concern is open again." },
	{ "concern-withdrawn", "The concern was withdrawn." },
	{ "expectation-added", "The expectation was recorded. The other side has been asked to acknowledge it." },
	{ "expectation-acknowledged", "You acknowledged the expectation." },
	{ "expectation-retired", "The expectation was retired." },
	{ "expectation-assessed", "The assessment was recorded." },
	{ "update-posted", "The update was posted. The other side has been notified." },
	{ "update-read", "The update was marked as read." },
	{ "update-withdrawn", "The update was withdrawn. It no longer shows in the lists." },
};

const char *
page_notice_text(const char *key)
{
	size_t i;

	if (key == NULL)
		return NULL;
	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(notices[i].key, key) == 0)
			return notices[i].text;
	return NULL;
}

/* Last resort when a template cannot be rendered: a minimal page. */
static void
plain_error(struct page *p, int status, const char *text)
{
	struct req *r = p->req;

	buf_clear(&r->body);
	r->status = status;
	buf_printf(&r->body, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>%d</title></head><body><main>"
	    "<h1>%s</h1></main></body></html>\n", status, text);
	p->ctype = "text/html; charset=utf-8";
}

void
page_render(struct page *p, int status, const char *title, const char *name)
{
	tmpl_error err;
	const tmpl *t;
	char line[1024];

	tmpl_set(p->vars, "title", title);
	p->req->status = status;
	p->ctype = "text/html; charset=utf-8";
	if ((t = tmpl_get(p->conf->tmpl, name, &err)) != NULL &&
	    tmpl_render(t, p->vars, &p->req->body, &err) == TMPL_OK)
		return;
	tmpl_error_format(&err, line, sizeof(line));
	kw_logx("template %s: %s", name, line);
	plain_error(p, 500, "Internal Server Error");
}

void
page_error(struct page *p, enum kw_status st, const char *msg)
{
	int code = kw_status_http(st);

	buf_clear(&p->req->body);
	tmpl_set(p->vars, "message", msg != NULL ? msg :
	    "Something went wrong on our side. Please try again.");
	if (msg == NULL && st == KW_NOTFOUND)
		tmpl_set(p->vars, "message",
		    "There is nothing here, or it is not shared with you.");
	if (p->conf->tmpl == NULL) {
		plain_error(p, code, kw_status_str(st));
		return;
	}
	page_render(p, code, kw_status_str(st), "error.tmpl");
}

void
page_redirect(struct page *p, const char *path)
{
	if (req_redirect(p->req, p->conf->base_url, path) != 0)
		page_error(p, KW_INTERNAL, NULL);
}

void
page_redirect_notice(struct page *p, const char *path, const char *key)
{
	page_redirect(p, arena_xprintf(p->arena, "%s?notice=%s", path, key));
}

/* Index of declared field name in the matched route, or -1. */
static long
field_index(const struct page *p, const char *name)
{
	const struct valid_field *f = p->match.route != NULL ?
	    p->match.route->fields : NULL;
	long i;

	for (i = 0; f != NULL && f[i].name != NULL; i++)
		if (strcmp(f[i].name, name) == 0)
			return p->vals != NULL ? i : -1;
	return -1;
}

const char *
page_val(const struct page *p, const char *name)
{
	long i = field_index(p, name);

	if (i < 0)
		return "";
	if (p->vals[i].s != NULL && p->vals[i].error == NULL)
		return p->vals[i].s;
	return p->vals[i].raw != NULL ? p->vals[i].raw : "";
}

long long
page_int(const struct page *p, const char *name)
{
	long i = field_index(p, name);

	if (i < 0 || p->vals[i].error != NULL)
		return 0;
	return p->vals[i].i;
}

void
page_field_error(struct page *p, const char *name, const char *msg)
{
	tmpl_set(p->vars, arena_xprintf(p->arena, "%s_error", name), msg);
	tmpl_set(p->vars, "form_error", "1");
}

void
page_form_vars(struct page *p)
{
	const struct valid_field *f;
	size_t i;

	if (p->match.route == NULL || (f = p->match.route->fields) == NULL ||
	    p->vals == NULL)
		return;
	for (i = 0; f[i].name != NULL; i++) {
		/* Passwords are never echoed back into a page. */
		if (f[i].kind != VALID_PASSWORD)
			tmpl_set(p->vars, arena_xprintf(p->arena, "%s_in",
			    f[i].name), page_val(p, f[i].name));
		if (p->vals[i].error != NULL)
			page_field_error(p, f[i].name, p->vals[i].error);
	}
}

long long
page_id(const struct page *p, const char *name)
{
	return route_id(&p->match, name);
}

void
page_pager(struct page *p, size_t per, struct pager *pg)
{
	long long n;

	pg->per = per;
	if (kw_parse_int(req_query(p->req, "page"), 1, 100000, &n) != 0)
		n = 1;
	pg->page = (size_t)n;
	pg->offset = (pg->page - 1) * per;
}

/* path?k1=v1&...&page=n, with the kept parameters URL-escaped. */
static const char *
pager_href(struct page *p, const char *path, const char *const *keep,
    size_t n)
{
	struct buf b;
	const char *v, *href;
	size_t i;

	buf_init(&b, 0, 0);
	buf_puts(&b, path);
	buf_puts(&b, "?");
	for (i = 0; keep != NULL && keep[i] != NULL; i++) {
		if ((v = req_query(p->req, keep[i])) == NULL || *v == '\0')
			continue;
		buf_printf(&b, "%s=", keep[i]);
		tmpl_escape_url(&b, v, strlen(v));
		buf_puts(&b, "&");
	}
	buf_printf(&b, "page=%zu", n);
	href = b.status == BUF_OK ? arena_xstrdup(p->arena, buf_str(&b)) :
	    path;
	buf_free(&b);
	return href;
}

void
page_pager_vars(struct page *p, const struct pager *pg, size_t total,
    const char *path, const char *const *keep)
{
	size_t pages = total == 0 ? 1 : (total + pg->per - 1) / pg->per;

	tmpl_set_int(p->vars, "pager_page", (long long)pg->page);
	tmpl_set_int(p->vars, "pager_pages", (long long)pages);
	tmpl_set_int(p->vars, "pager_total", (long long)total);
	if (pg->page > 1)
		tmpl_set(p->vars, "pager_prev", pager_href(p, path, keep,
		    pg->page - 1 < pages ? pg->page - 1 : pages));
	if (pg->page < pages)
		tmpl_set(p->vars, "pager_next", pager_href(p, path, keep,
		    pg->page + 1));
}

const char *
page_datetime(struct page *p, const char *iso)
{
	if (iso == NULL)
		return "";
	if (strlen(iso) != 20 || iso[10] != 'T' || iso[19] != 'Z')
		return iso;
	return arena_xprintf(p->arena, "%.10s %.5s UTC", iso, iso + 11);
}

const char *
page_day(struct page *p, const char *iso)
{
	if (iso == NULL)
		return "";
	return arena_xstrndup(p->arena, iso, strnlen(iso, 10));
}

enum kw_status
page_account_load(struct page *p, struct account *a)
{
	long long id = page_id(p, "id");
	enum kw_status st;

	st = id == 0 ? KW_NOTFOUND :
	    account_get(p->db, p->arena, p->user.org_id, id, a);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return st;
	}
	tmpl_set_int(p->vars, "account_id", a->id);
	tmpl_set(p->vars, "account_title", a->title);
	tmpl_set(p->vars, "my_side", account_side_name(a->my_side));
	tmpl_set(p->vars, "other_side",
	    account_side_name(account_other_side(a->my_side)));
	tmpl_set(p->vars, "counterpart", page_side_org(a,
	    account_other_side(a->my_side)));
	return KW_OK;
}

/* Whether dates i - 1 and i of fields make a period that ends before it
 * begins. */
static int
days_reversed(const struct valid_field *fields,
    const struct valid_value *vals, size_t i)
{
	return i > 0 && fields[i - 1].kind == VALID_DATE &&
	    fields[i].kind == VALID_DATE && vals[i - 1].s != NULL &&
	    vals[i - 1].error == NULL && vals[i].s != NULL &&
	    vals[i].error == NULL && strcmp(vals[i - 1].s, vals[i].s) > 0;
}

size_t
page_list_filters(struct page *p, const struct valid_field *fields,
    struct valid_value *vals, const char **keep)
{
	size_t n;

	for (n = 0; fields[n].name != NULL; n++) {
		assert(n < PAGE_LIST_FILTERS);
		keep[n] = fields[n].name;
	}
	keep[n] = NULL;
	return page_filters(p, fields, n, vals);
}

size_t
page_filters(struct page *p, const struct valid_field *fields, size_t n,
    struct valid_value *vals)
{
	tmpl_loop *dates = NULL;
	tmpl_vars *row;
	size_t i, nerr;

	nerr = valid_fields(p->arena, p->req->query, p->req->nquery, fields,
	    n, vals);
	for (i = 0; i < n; i++)
		if (days_reversed(fields, vals, i)) {
			vals[i].error = arena_xprintf(p->arena, "This date is "
			    "before the one in “%s”.", fields[i - 1].label);
			vals[i].s = NULL;
			nerr++;
		}
	for (i = 0; i < n; i++) {
		if (fields[i].kind == VALID_DATE) {
			if (dates == NULL)
				dates = tmpl_add_loop(p->vars, "filter_dates");
			row = tmpl_loop_row(dates);
			tmpl_set(row, "fd_name", fields[i].name);
			tmpl_set(row, "fd_label", fields[i].label);
			tmpl_set(row, "fd_value", vals[i].raw);
			tmpl_set(row, "fd_error", vals[i].error != NULL ?
			    vals[i].error : "");
		}
		tmpl_set(p->vars, arena_xprintf(p->arena, "filter_%s",
		    fields[i].name), vals[i].raw);
		if (fields[i].choices != NULL)
			page_options(p, arena_xprintf(p->arena,
			    "filter_%s_opts", fields[i].name),
			    fields[i].choices, vals[i].raw);
		if (vals[i].error == NULL)
			continue;
		tmpl_set(p->vars, arena_xprintf(p->arena, "filter_%s_error",
		    fields[i].name), vals[i].error);
		tmpl_set(p->vars, "filter_error", "1");
	}
	return nerr;
}

const char *
page_side_org(const struct account *a, enum account_side side)
{
	return side == SIDE_BUYER ? a->buyer_name : a->supplier_name;
}

const char *
page_days_words(struct page *p, const char *verb, const char *from,
    const char *to)
{
	if (from != NULL && to != NULL)
		return arena_xprintf(p->arena, "%s %s to %s", verb, from, to);
	if (from != NULL)
		return arena_xprintf(p->arena, "%s from %s", verb, from);
	if (to != NULL)
		return arena_xprintf(p->arena, "%s up to %s", verb, to);
	return NULL;
}

void
page_filter_summary(struct page *p, const char *what,
    const char *const *phrases, size_t n)
{
	struct buf b;
	size_t i;
	int any = 0;

	buf_init(&b, 0, 0);
	buf_puts(&b, what);
	for (i = 0; i < n; i++)
		if (phrases[i] != NULL) {
			buf_puts(&b, phrases[i]);
			any = 1;
		}
	if (any && b.status == BUF_OK)
		tmpl_set(p->vars, "filter_summary", buf_str(&b));
	buf_free(&b);
}

void
page_standing_summary(struct page *p, const struct account *a,
    const struct page_list_words *w, const struct valid_value *filter)
{
	const char *words[3] = { NULL, NULL, NULL };

	if (filter[0].s != NULL)
		words[0] = arena_xprintf(p->arena, "%s%s", w->by,
		    page_side_org(a, (enum account_side)filter[0].i));
	if (filter[2].s != NULL || filter[3].s != NULL)
		words[1] = arena_xprintf(p->arena, "%s, not withdrawn",
		    page_days_words(p, w->dated, filter[2].s, filter[3].s));
	if (filter[1].s != NULL)
		words[2] = arena_xprintf(p->arena, "%s%s", w->choice,
		    filter[1].s);
	page_filter_summary(p, w->what, words, 3);
}

void
page_options(struct page *p, const char *name, const char *const *names,
    const char *sel)
{
	tmpl_loop *loop = tmpl_add_loop(p->vars, name);
	tmpl_vars *row;
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "value", names[i]);
		tmpl_set_bool(row, "selected", sel != NULL &&
		    strcmp(sel, names[i]) == 0);
	}
}

const char *
page_excerpt(struct page *p, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return s;
	/* Back up to the first byte of a UTF-8 sequence. */
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return arena_xprintf(p->arena, "%.*s…", (int)n, s);
}
