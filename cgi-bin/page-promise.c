/* page-promise.c: an account's promises: the list, one promise, its actions. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "clock.h"
#include "page.h"
#include "promise.h"

/* Template flags for the actions the viewer may take, by action. */
static const char *const may_vars[PROMISE_ACTION__MAX] = {
	[PROMISE_DELIVER] = "may_deliver",
	[PROMISE_CONFIRM] = "may_confirm",
	[PROMISE_DISPUTE] = "may_dispute",
	[PROMISE_RENEGOTIATE] = "may_renegotiate",
	[PROMISE_ACCEPT_DUE] = "may_accept_due",
	[PROMISE_DECLINE_DUE] = "may_decline_due",
	[PROMISE_BREAK] = "may_break",
};

/* The notice shown after each action succeeded. */
static const char *const done_notices[PROMISE_ACTION__MAX] = {
	[PROMISE_DELIVER] = "promise-delivered",
	[PROMISE_CONFIRM] = "promise-confirmed",
	[PROMISE_DISPUTE] = "promise-disputed",
	[PROMISE_RENEGOTIATE] = "promise-renegotiated",
	[PROMISE_ACCEPT_DUE] = "promise-due-accepted",
	[PROMISE_DECLINE_DUE] = "promise-due-declined",
	[PROMISE_BREAK] = "promise-broken",
};

/* What a list filtered by outcome shows, by enum promise_outcome. */
static const char *const outcome_words[PROMISE_OUTCOME__MAX] = {
	[PROMISE_OUTCOME_ON_TIME] = ", kept on time",
	[PROMISE_OUTCOME_LATE] = ", kept late",
	[PROMISE_OUTCOME_BROKEN] = ", given up",
	[PROMISE_OUTCOME_DELIVERED] = ", delivered and awaiting confirmation",
	[PROMISE_OUTCOME_OVERDUE] = ", still overdue",
	[PROMISE_OUTCOME_DISPUTED] = ", disputed",
	[PROMISE_OUTCOME_RENEGOTIATED] = ", renegotiated",
};

/* And by the state filter, by enum promise_filter. */
static const char *const filter_words[PROMISE_FILTER__MAX] = {
	[PROMISE_FILTER_OPEN] = ", open",
	[PROMISE_FILTER_OVERDUE] = ", overdue",
	[PROMISE_FILTER_DELIVERED] = ", delivered and awaiting an answer",
	[PROMISE_FILTER_DISPUTED] = ", disputed",
	[PROMISE_FILTER_KEPT] = ", kept",
	[PROMISE_FILTER_BROKEN] = ", given up",
};

/*
 * The account of the route as page_account_load() gives it, with the
 * variables every promise page adds: both orgs and today. On failure
 * the error page is rendered and the status returned.
 */
static enum kw_status
account_load(struct page *p, struct account *a)
{
	char today[16];
	enum kw_status st;

	if ((st = page_account_load(p, a)) != KW_OK)
		return st;
	clock_date(clock_now(), today, sizeof(today));
	tmpl_set(p->vars, "today", today);
	tmpl_set(p->vars, "buyer_name", a->buyer_name);
	tmpl_set(p->vars, "supplier_name", a->supplier_name);
	return KW_OK;
}

/* Who promised whom and how the promise stands, into scope v. */
static void
promise_vars(tmpl_vars *v, const struct account *a, const struct promise *pr)
{
	tmpl_set_int(v, "id", pr->id);
	tmpl_set(v, "promise_title", pr->title);
	tmpl_set(v, "promisor", page_side_org(a, pr->promisor));
	tmpl_set(v, "promisor_side", account_side_name(pr->promisor));
	tmpl_set(v, "promisee", page_side_org(a, pr->promisee));
	tmpl_set(v, "promisee_side", account_side_name(pr->promisee));
	tmpl_set(v, "due_date", pr->due_date);
	tmpl_set(v, "state", promise_state_names[pr->state]);
	tmpl_set_bool(v, "overdue", pr->overdue);
}

/* One <option> loop of link choices, marking the one with id sel. */
static void
link_options(struct page *p, const char *name,
    const struct promise_link *l, size_t n, long long sel)
{
	tmpl_loop *loop = tmpl_add_loop(p->vars, name);
	tmpl_vars *row;
	size_t i;

	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", l[i].id);
		tmpl_set(row, "label", l[i].title);
		tmpl_set_bool(row, "selected", l[i].id == sel);
	}
}

/*
 * The query of the list filters f[] (promise_list_fields, validated: a
 * bad one is left out), and what it shows in words.
 */
static void
list_query(struct page *p, const struct account *a,
    const struct valid_value *f, struct promise_query *q)
{
	const char *words[4] = { NULL, NULL, NULL, NULL };

	memset(q, 0, sizeof(*q));
	q->filter = f[0].s != NULL ? (enum promise_filter)f[0].i :
	    PROMISE_FILTER__MAX;
	q->promisor = f[1].s != NULL ? (enum account_side)f[1].i : SIDE__MAX;
	q->due_from = f[2].s;
	q->due_to = f[3].s;
	q->outcome = f[4].s != NULL ? (enum promise_outcome)f[4].i :
	    PROMISE_OUTCOME__MAX;
	if (q->promisor != SIDE__MAX)
		words[0] = arena_xprintf(p->arena, " of %s",
		    page_side_org(a, q->promisor));
	words[1] = page_days_words(p, " due", q->due_from, q->due_to);
	if (q->outcome != PROMISE_OUTCOME__MAX)
		words[2] = outcome_words[q->outcome];
	if (q->filter != PROMISE_FILTER__MAX)
		words[3] = filter_words[q->filter];
	page_filter_summary(p, "Promises", words, 4);
}

/*
 * Render the list of account :id's promises (filtered by the query's
 * promise_list_fields, one page of them) with the form for a new one,
 * with status; a bad filter is named next to its field (status 400).
 */
static void
list_render(struct page *p, int status)
{
	const char *keep[PAGE_LIST_FILTERS + 1];
	struct account a;
	struct promise_query q;
	struct promise *list = NULL;
	struct promise_link *exp = NULL, *con = NULL;
	struct valid_value f[PAGE_LIST_FILTERS];
	struct pager pg;
	tmpl_loop *loop;
	size_t i, n = 0, total = 0, nexp = 0, ncon = 0;
	const char *path;
	enum kw_status st;

	if (account_load(p, &a) != KW_OK)
		return;
	path = arena_xprintf(p->arena, "/accounts/%lld/promises", a.id);
	tmpl_set(p->vars, "list_path", path);

	/* The filters; a bad one is shown, not applied. */
	if (page_list_filters(p, promise_list_fields, f, keep) > 0)
		status = 400;
	list_query(p, &a, f, &q);
	page_pager(p, PAGE_LIST_PER, &pg);
	q.limit = pg.per;
	q.offset = pg.offset;
	st = promise_list(p->db, p->arena, &p->user, a.id, &q, &list, &n,
	    &total);
	if (st == KW_OK)
		st = promise_links(p->db, p->arena, a.id, &exp, &nexp, &con,
		    &ncon);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	loop = tmpl_add_loop(p->vars, "promises");
	for (i = 0; i < n; i++)
		promise_vars(tmpl_loop_row(loop), &a, &list[i]);
	tmpl_set_int(p->vars, "total", (long long)total);
	page_pager_vars(p, &pg, total, path, keep);
	link_options(p, "expectations", exp, nexp,
	    page_int(p, "expectation_id"));
	link_options(p, "concerns", con, ncon, page_int(p, "concern_id"));
	if (p->vals != NULL)
		page_form_vars(p);
	page_render(p, status, "Promises", "promises.tmpl");
}

void
page_promises(struct page *p)
{
	list_render(p, 200);
}

/*
 * Render promise :eid of account :id with its history and the forms of
 * the actions the viewer's side may take now, with status; alert (may
 * be NULL) says why the last action was refused. On a POST the input is
 * kept in the forms.
 */
static void
detail_render(struct page *p, int status, const char *alert)
{
	struct account a;
	struct promise pr;
	struct promise_delivery *dl = NULL;
	struct promise_due_change *dc = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	char today[16];
	size_t i, nd = 0, nc = 0;
	int act;
	enum kw_status st;

	if (account_load(p, &a) != KW_OK)
		return;
	st = promise_get(p->db, p->arena, &p->user, a.id, page_id(p, "eid"),
	    &pr);
	if (st == KW_OK)
		st = promise_history(p->db, p->arena, pr.id, &dl, &nd, &dc,
		    &nc);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	promise_vars(p->vars, &a, &pr);
	tmpl_set(p->vars, "alert", alert);
	tmpl_set(p->vars, "detail", pr.detail);
	tmpl_set_bool(p->vars, "mine", pr.promisor == a.my_side);
	if (strcmp(pr.original_due, pr.due_date) != 0)
		tmpl_set(p->vars, "original_due", pr.original_due);
	tmpl_set(p->vars, "created_by", pr.created_by_name);
	tmpl_set(p->vars, "created_at", pr.created_at);
	tmpl_set(p->vars, "kept_on", pr.kept_on);
	tmpl_set_bool(p->vars, "on_time", pr.on_time == 1);
	tmpl_set(p->vars, "closed_at", pr.closed_at);
	tmpl_set(p->vars, "broken_reason", pr.broken_reason);
	tmpl_set(p->vars, "broken_by", pr.broken_by_name);
	if (pr.expectation_id != 0) {
		tmpl_set_int(p->vars, "expectation_id", pr.expectation_id);
		tmpl_set(p->vars, "expectation_title", pr.expectation_title);
	}
	if (pr.concern_id != 0) {
		tmpl_set_int(p->vars, "concern_id", pr.concern_id);
		tmpl_set(p->vars, "concern_title", pr.concern_title);
	}
	tmpl_set(p->vars, "delivered_on", pr.delivered_on);
	tmpl_set(p->vars, "proposed_due", pr.proposed_due);
	tmpl_set(p->vars, "proposed_reason", pr.proposed_reason);

	/* Only the forms this user's side can use now. */
	for (act = 0; act < PROMISE_ACTION__MAX; act++)
		if (promise_may(&pr, a.my_side, (enum promise_action)act)) {
			tmpl_set(p->vars, may_vars[act], "1");
			tmpl_set(p->vars, "may_any", "1");
		}
	/* A delivery is most often recorded on its day. */
	clock_date(clock_now(), today, sizeof(today));
	tmpl_set(p->vars, "delivered_on_in", today);

	loop = tmpl_add_loop(p->vars, "deliveries");
	for (i = 0; i < nd; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "on", dl[i].delivered_on);
		tmpl_set(row, "note", dl[i].note);
		tmpl_set(row, "by", dl[i].delivered_by_name);
		tmpl_set(row, "at", dl[i].delivered_at);
		tmpl_set(row, "outcome", dl[i].outcome);
		tmpl_set(row, "reason", dl[i].reason);
		tmpl_set(row, "decided_by", dl[i].decided_by_name);
		tmpl_set(row, "decided_at", dl[i].decided_at);
	}
	loop = tmpl_add_loop(p->vars, "changes");
	for (i = 0; i < nc; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "old_due", dc[i].old_due);
		tmpl_set(row, "new_due", dc[i].new_due);
		tmpl_set(row, "reason", dc[i].reason);
		tmpl_set(row, "by", dc[i].proposed_by_name);
		tmpl_set(row, "at", dc[i].proposed_at);
		tmpl_set(row, "outcome", dc[i].outcome);
		tmpl_set(row, "decided_by", dc[i].decided_by_name);
		tmpl_set(row, "decided_at", dc[i].decided_at);
	}
	if (p->vals != NULL)
		page_form_vars(p);
	page_entry_render(p, &a, "promise", pr.id, status, NULL, pr.title,
	    "promise.tmpl");
}

void
page_promise(struct page *p)
{
	detail_render(p, 200, NULL);
}

/*
 * The answer to a refused write: a field error re-renders the form with
 * 400; a wrong side (403) or a state conflict (409) re-renders with the
 * reason; anything else is an error page (404 for a non-party).
 */
static void
refused(struct page *p, enum kw_status st, const struct promise_err *err,
    int detail)
{
	if (st == KW_BADREQ && err->field != NULL) {
		page_field_error(p, err->field, err->msg);
		if (detail)
			detail_render(p, 400, NULL);
		else
			list_render(p, 400);
	} else if ((st == KW_FORBIDDEN || st == KW_CONFLICT) && detail)
		detail_render(p, kw_status_http(st), err->msg);
	else
		page_error(p, st, err->msg);
}

void
page_promises_add(struct page *p)
{
	struct promise_new in;
	struct promise_err err = { NULL, NULL };
	long long aid = page_id(p, "id"), id = 0;
	enum kw_status st;

	if (p->nerrors > 0) {
		list_render(p, 400);
		return;
	}
	in.title = page_val(p, "title");
	in.detail = page_val(p, "detail");
	in.due_date = page_val(p, "due_date");
	in.expectation_id = page_int(p, "expectation_id");
	in.concern_id = page_int(p, "concern_id");
	st = promise_create(p->db, p->arena, &p->user, aid, &in, &id, &err);
	if (st != KW_OK) {
		refused(p, st, &err, 0);
		return;
	}
	page_redirect_notice(p, arena_xprintf(p->arena,
	    "/accounts/%lld/promises/%lld", aid, id), "promise-created");
}

/* Take action act on promise :eid of account :id with the route's
 * fields as input (a date field gives the date, a text the text). */
static void
act_on(struct page *p, enum promise_action act)
{
	const struct valid_field *f = p->match.route->fields;
	struct promise_input in = { NULL, NULL };
	struct promise_err err = { NULL, NULL };
	long long aid = page_id(p, "id"), id = page_id(p, "eid");
	enum kw_status st;
	size_t i;

	for (i = 0; f != NULL && f[i].name != NULL; i++)
		if (f[i].kind == VALID_DATE)
			in.date = page_val(p, f[i].name);
		else
			in.text = page_val(p, f[i].name);
	/* Bad input: still 404, 403 or 409 first, as without it. */
	if (p->nerrors > 0) {
		st = promise_check(p->db, p->arena, &p->user, aid, id, act,
		    &err);
		if (st == KW_OK)
			detail_render(p, 400, NULL);
		else
			refused(p, st, &err, 1);
		return;
	}
	st = promise_act(p->db, p->arena, &p->user, aid, id, act, &in, &err);
	if (st != KW_OK) {
		refused(p, st, &err, 1);
		return;
	}
	page_redirect_notice(p, arena_xprintf(p->arena,
	    "/accounts/%lld/promises/%lld", aid, id), done_notices[act]);
}

void
page_promise_deliver(struct page *p)
{
	act_on(p, PROMISE_DELIVER);
}

void
page_promise_confirm(struct page *p)
{
	act_on(p, PROMISE_CONFIRM);
}

void
page_promise_dispute(struct page *p)
{
	act_on(p, PROMISE_DISPUTE);
}

void
page_promise_renegotiate(struct page *p)
{
	act_on(p, PROMISE_RENEGOTIATE);
}

void
page_promise_accept_due(struct page *p)
{
	act_on(p, PROMISE_ACCEPT_DUE);
}

void
page_promise_decline_due(struct page *p)
{
	act_on(p, PROMISE_DECLINE_DUE);
}

void
page_promise_break(struct page *p)
{
	act_on(p, PROMISE_BREAK);
}
