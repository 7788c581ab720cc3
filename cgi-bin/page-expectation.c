/* page-expectation.c: an account's expectations: list, new, detail and actions. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "clock.h"
#include "expectation.h"
#include "page.h"

const struct valid_field page_expectation_fields[] = {
	{ .name = "title", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = EXPECTATION_TITLE_MAX, .label = "Title" },
	{ .name = "detail", .kind = VALID_TEXT,
	  .maxlen = EXPECTATION_DETAIL_MAX, .label = "Detail" },
	{ .name = "target", .kind = VALID_LINE,
	  .maxlen = EXPECTATION_TARGET_MAX, .label = "Measurable target" },
	{ .name = NULL },
};

const struct valid_field page_expectation_retire_fields[] = {
	{ .name = "reason", .kind = VALID_TEXT,
	  .maxlen = EXPECTATION_REASON_MAX, .label = "Reason" },
	{ .name = NULL },
};

const struct valid_field page_expectation_assess_fields[] = {
	{ .name = "rating", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = expectation_rating_names, .label = "Rating" },
	{ .name = "period", .kind = VALID_DATE, .label = "Period" },
	{ .name = "note", .kind = VALID_TEXT,
	  .maxlen = EXPECTATION_NOTE_MAX, .label = "Note" },
	{ .name = NULL },
};

/* How a rating reads on a page. */
static const char *const rating_labels[EXPECTATION_RATING__MAX] = {
	[EXPECTATION_MET] = "Met",
	[EXPECTATION_PARTLY] = "Partly met",
	[EXPECTATION_NOT_MET] = "Not met",
};

/* What a refused action says, by action, when it is the other side's to
 * take (403) and when the state does not allow it (409). */
static const char *const refusals[EXPECTATION_ACTION__MAX][2] = {
	[EXPECTATION_ACKNOWLEDGE] = {
	    "Your side stated this expectation: the other side "
	    "acknowledges it.",
	    "Only a proposed expectation can be acknowledged." },
	[EXPECTATION_RETIRE] = {
	    "Only the side that stated this expectation can retire it.",
	    "This expectation is retired already." },
	[EXPECTATION_ASSESS] = {
	    "Only the side that stated this expectation assesses it.",
	    "Only an acknowledged expectation can be assessed." },
};

static enum kw_status	list_fill(struct page *, const struct account *,
			    const struct valid_value *, const struct pager *,
			    size_t *);
static void		detail_render(struct page *, const struct account *,
			    long long, int, const char *);

static const struct valid_field filter_fields[PAGE_LIST_FILTERS + 1] = {
	{ .name = "state", .kind = VALID_ENUM,
	  .choices = expectation_state_names, .label = "State" },
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Stated by" },
	{ .name = "from", .kind = VALID_DATE, .label = "Period from" },
	{ .name = "to", .kind = VALID_DATE, .label = "Period up to" },
	{ .name = "assessed", .kind = VALID_ENUM,
	  .choices = expectation_assessed_names, .label = "Assessed" },
	{ .name = NULL },
};

/* What a list filtered by assessment shows, by enum
 * expectation_assessed (__MAX: all a period's scorecard counts). */
static const char *const assessed_words[EXPECTATION_ASSESSED__MAX + 1] = {
	[EXPECTATION_ASSESSED_MET] = ", assessed met",
	[EXPECTATION_ASSESSED_PARTLY] = ", assessed partly met",
	[EXPECTATION_ASSESSED_NOT_MET] = ", assessed not met",
	[EXPECTATION_NOT_YET] = ", not yet assessed",
	[EXPECTATION_ASSESSED__MAX] = ", counted",
};

static const struct page_entry expectations = {
	.plural = "expectations", .heading = "Expectations",
	.list_tmpl = "expectations.tmpl", .filters = filter_fields,
	.fill = list_fill, .detail = detail_render,
};

static const char *
rating_label(const char *name)
{
	int i = kw_name_index(expectation_rating_names, name);

	return i < 0 ? "" : rating_labels[i];
}

/* The list of a's expectations, for page_entry. */
static enum kw_status
list_fill(struct page *p, const struct account *a,
    const struct valid_value *filter, const struct pager *pg, size_t *total)
{
	struct expectation_query q = {
		.state = filter[0].s != NULL ?
		    (enum expectation_state)filter[0].i :
		    EXPECTATION_STATE__MAX,
		.side = filter[1].s != NULL ? (enum account_side)filter[1].i :
		    SIDE__MAX,
		.from = filter[2].s, .to = filter[3].s,
		.assessed = filter[4].s != NULL ?
		    (enum expectation_assessed)filter[4].i :
		    EXPECTATION_ASSESSED__MAX,
		.limit = pg->per, .offset = pg->offset,
	};
	const char *words[3] = { NULL, NULL, NULL }, *days;
	struct expectation *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	if (q.side != SIDE__MAX)
		words[0] = arena_xprintf(p->arena, " stated by %s",
		    page_side_org(a, q.side));
	if (q.state != EXPECTATION_STATE__MAX)
		words[1] = arena_xprintf(p->arena, ", %s",
		    expectation_state_names[q.state]);
	days = page_days_words(p, " for the period", q.from, q.to);
	if (days != NULL || q.assessed != EXPECTATION_ASSESSED__MAX)
		words[2] = arena_xprintf(p->arena, "%s%s",
		    assessed_words[q.assessed], days != NULL ? days : "");
	page_filter_summary(p, "Expectations", words, 3);
	st = expectation_list(p->db, p->arena, &p->user, a->id, &q, &list,
	    &n, total);
	if (st != KW_OK)
		return st;
	loop = tmpl_add_loop(p->vars, "expectations");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", list[i].id);
		tmpl_set(row, "title", list[i].title);
		tmpl_set(row, "from_side", account_side_name(list[i].from_side));
		tmpl_set(row, "state", expectation_state_names[list[i].state]);
		tmpl_set(row, "target", list[i].target);
		tmpl_set(row, "rating", list[i].last_rating);
		tmpl_set(row, "rating_label", rating_label(list[i].last_rating));
		tmpl_set(row, "rating_period", list[i].last_period);
		tmpl_set_bool(row, "to_acknowledge", expectation_may(
		    list[i].state, list[i].from_side, a->my_side,
		    EXPECTATION_ACKNOWLEDGE) == KW_OK);
	}
	return KW_OK;
}

void
page_expectations(struct page *p)
{
	page_entry_list(p, &expectations);
}

void
page_expectations_add(struct page *p)
{
	struct account a;
	long long id = 0;
	enum kw_status st;

	if (page_entry_post(p, &expectations, &a, 0) != 0)
		return;
	st = expectation_create(p->db, p->arena, &p->user, a.id,
	    page_val(p, "title"), page_val(p, "detail"),
	    page_val(p, "target"), &id);
	page_entry_done(p, &expectations, &a, id, st, "expectation-added",
	    NULL, NULL);
}

/* Put the assessments of e into the "assessments" loop. */
static enum kw_status
assessment_vars(struct page *p, const struct account *a, long long eid)
{
	struct expectation_assessment *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	st = expectation_assessments(p->db, p->arena, &p->user, a->id, eid,
	    &list, &n);
	if (st != KW_OK)
		return st;
	loop = tmpl_add_loop(p->vars, "assessments");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		tmpl_set(row, "period_start", list[i].period_start);
		tmpl_set(row, "period_end", list[i].period_end);
		tmpl_set(row, "rating",
		    expectation_rating_names[list[i].rating]);
		tmpl_set(row, "rating_label", rating_labels[list[i].rating]);
		tmpl_set(row, "note", list[i].note);
		tmpl_set(row, "by", list[i].assessed_by_name);
		tmpl_set(row, "at", list[i].assessed_at);
		tmpl_set(row, "on", page_day(p, list[i].assessed_at));
	}
	return KW_OK;
}

/*
 * Render expectation eid of a with status; action_error (NULL = none)
 * says why an action was refused.
 */
static void
detail_render(struct page *p, const struct account *a, long long eid,
    int status, const char *action_error)
{
	static const char *const can[EXPECTATION_ACTION__MAX] = {
		[EXPECTATION_ACKNOWLEDGE] = "can_acknowledge",
		[EXPECTATION_RETIRE] = "can_retire",
		[EXPECTATION_ASSESS] = "can_assess",
	};
	struct expectation e;
	char today[11], from[11], to[11];
	enum kw_status st;
	int i;

	st = eid == 0 ? KW_NOTFOUND : expectation_get(p->db, p->arena,
	    &p->user, a->id, eid, &e);
	if (st == KW_OK)
		st = assessment_vars(p, a, eid);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set_int(p->vars, "eid", e.id);
	tmpl_set(p->vars, "e_title", e.title);
	tmpl_set(p->vars, "detail", e.detail);
	tmpl_set(p->vars, "target", e.target);
	tmpl_set(p->vars, "state", expectation_state_names[e.state]);
	tmpl_set(p->vars, "from_side", account_side_name(e.from_side));
	tmpl_set(p->vars, "to_side",
	    account_side_name(account_other_side(e.from_side)));
	tmpl_set_bool(p->vars, "mine", e.from_side == a->my_side);
	tmpl_set(p->vars, "created_by", e.created_by_name);
	tmpl_set(p->vars, "created_at", e.created_at);
	tmpl_set(p->vars, "created_on", page_day(p, e.created_at));
	tmpl_set(p->vars, "acknowledged_by", e.acknowledged_by_name);
	tmpl_set(p->vars, "acknowledged_at", e.acknowledged_at);
	tmpl_set(p->vars, "acknowledged_on", page_day(p, e.acknowledged_at));
	tmpl_set(p->vars, "retired_by", e.retired_by_name);
	tmpl_set(p->vars, "retired_at", e.retired_at);
	tmpl_set(p->vars, "retired_on", page_day(p, e.retired_at));
	tmpl_set(p->vars, "retire_reason", e.retire_reason);
	for (i = 0; i < EXPECTATION_ACTION__MAX; i++)
		tmpl_set_bool(p->vars, can[i], expectation_may(e.state,
		    e.from_side, a->my_side, (enum expectation_action)i) ==
		    KW_OK);
	clock_date(clock_now(), today, sizeof(today));
	if (account_period(p->db, a, today, from, to) == KW_OK) {
		tmpl_set(p->vars, "period_from", from);
		tmpl_set(p->vars, "period_to", to);
	}
	page_entry_render(p, a, "expectation", e.id, status, action_error,
	    e.title, "expectation.tmpl");
}

void
page_expectation(struct page *p)
{
	page_entry_detail(p, &expectations);
}

/* Finish action on expectation eid that the core answered with st. */
static void
action_done(struct page *p, const struct account *a, long long eid,
    enum expectation_action action, enum kw_status st, const char *notice)
{
	page_entry_done(p, &expectations, a, eid, st, notice,
	    refusals[action][0], refusals[action][1]);
}

void
page_expectation_acknowledge(struct page *p)
{
	struct account a;
	long long eid = page_id(p, "eid");

	if (page_entry_post(p, &expectations, &a, 1) != 0)
		return;
	action_done(p, &a, eid, EXPECTATION_ACKNOWLEDGE,
	    expectation_acknowledge(p->db, p->arena, &p->user, a.id, eid),
	    "expectation-acknowledged");
}

void
page_expectation_retire(struct page *p)
{
	struct account a;
	long long eid = page_id(p, "eid");

	if (page_entry_post(p, &expectations, &a, 1) != 0)
		return;
	action_done(p, &a, eid, EXPECTATION_RETIRE,
	    expectation_retire(p->db, p->arena, &p->user, a.id, eid,
	    page_val(p, "reason")), "expectation-retired");
}

void
page_expectation_assess(struct page *p)
{
	struct account a;
	struct expectation e;
	char from[11], to[11];
	long long eid = page_id(p, "eid");
	enum kw_status st;

	if (page_entry_post(p, &expectations, &a, 1) != 0)
		return;
	st = expectation_assess(p->db, p->arena, &p->user, a.id, eid,
	    page_val(p, "period"),
	    (enum expectation_rating)page_int(p, "rating"),
	    page_val(p, "note"), from, to);
	if (st == KW_BADREQ) {
		page_field_error(p, "period", arena_xprintf(p->arena,
		    "Choose a day in a review period that has begun; the "
		    "first began on %s.", a.start_date));
		detail_render(p, &a, eid, 400, NULL);
		return;
	}
	/* A conflict on an acknowledged expectation is the period's. */
	if (st == KW_CONFLICT && expectation_get(p->db, p->arena, &p->user,
	    a.id, eid, &e) == KW_OK && e.state == EXPECTATION_ACKNOWLEDGED) {
		page_field_error(p, "period", arena_xprintf(p->arena,
		    "The period %s to %s is assessed already.", from, to));
		detail_render(p, &a, eid, 409, NULL);
		return;
	}
	action_done(p, &a, eid, EXPECTATION_ASSESS, st,
	    "expectation-assessed");
}
