/* page-contact.c: an account's log of contacts between the two sides. */
#include "config.h"

#include "account.h"
#include "clock.h"
#include "contact.h"
#include "page.h"

#define EXCERPT_MAX	160

static const struct valid_field filter_fields[PAGE_LIST_FILTERS + 1] = {
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Logged by" },
	{ .name = "channel", .kind = VALID_ENUM,
	  .choices = contact_channel_names, .label = "Channel" },
	{ .name = NULL },
};

const struct valid_field page_contact_fields[] = {
	{ .name = "date", .kind = VALID_DATE, .flags = VALID_REQUIRED,
	  .label = "Date" },
	{ .name = "channel", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = contact_channel_names, .label = "Channel" },
	{ .name = "participants", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = CONTACT_PARTICIPANTS_MAX, .label = "Participants" },
	{ .name = "summary", .kind = VALID_TEXT, .flags = VALID_REQUIRED,
	  .maxlen = CONTACT_SUMMARY_MAX, .label = "Summary" },
	{ .name = "next_step", .kind = VALID_TEXT,
	  .maxlen = CONTACT_NEXT_STEP_MAX, .label = "Next step" },
	{ .name = NULL },
};

/* The fields of c that the list and the detail page both show. */
static void
contact_vars(tmpl_vars *v, const struct contact *c)
{
	tmpl_set_int(v, "id", c->id);
	tmpl_set(v, "date", c->date);
	tmpl_set(v, "channel", contact_channel_names[c->channel]);
	tmpl_set(v, "side", account_side_name(c->side));
	tmpl_set(v, "participants", c->participants);
	tmpl_set(v, "next_step", c->next_step);
	tmpl_set(v, "by", c->created_by_name);
	tmpl_set(v, "withdrawn_at", c->withdrawn_at);
}

/* page_list fill for contacts. */
static enum kw_status
contacts_fill(struct page *p, const struct account *a,
    const char *const *filter, const struct pager *pg, size_t *total)
{
	struct contact *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	st = contact_list(p->db, p->arena, &p->user, a->id, filter[0],
	    filter[1], pg->per, pg->offset, &list, &n, total);
	loop = tmpl_add_loop(p->vars, "contacts");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		contact_vars(row, &list[i]);
		tmpl_set(row, "summary", page_excerpt(p, list[i].summary,
		    EXCERPT_MAX));
	}
	return st;
}

/* The list page of account a with status (the log form keeps its
 * variables from the caller). */
static void
contacts_render(struct page *p, int status, const struct account *a)
{
	static const struct page_list l = {
		.plural = "contacts",
		.heading = "Contacts",
		.tmpl = "contacts.tmpl",
		.filters = filter_fields,
		.fill = contacts_fill,
	};
	char today[16];

	clock_date(clock_now(), today, sizeof(today));
	tmpl_set(p->vars, "today", today);
	page_options(p, "channel_opts", contact_channel_names,
	    page_val(p, "channel"));
	page_list(p, status, a, &l);
}

void
page_contacts(struct page *p)
{
	struct account a;
	char today[16];

	if (page_account_load(p, &a) != KW_OK)
		return;
	clock_date(clock_now(), today, sizeof(today));
	tmpl_set(p->vars, "date_in", today);
	contacts_render(p, 200, &a);
}

void
page_contacts_add(struct page *p)
{
	struct account a;
	struct contact in;
	const char *why;
	long long id;
	enum kw_status st;

	if (page_account_load(p, &a) != KW_OK)
		return;
	page_form_vars(p);
	if (p->nerrors > 0) {
		contacts_render(p, 400, &a);
		return;
	}
	in.date = page_val(p, "date");
	in.channel = (enum contact_channel)page_int(p, "channel");
	in.participants = page_val(p, "participants");
	in.summary = page_val(p, "summary");
	in.next_step = page_val(p, "next_step");
	st = contact_log(p->db, &p->user, a.id, &in, &id);
	if (st == KW_BADREQ && (why = contact_date_error(in.date)) != NULL) {
		page_field_error(p, "date", why);
		contacts_render(p, 400, &a);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	page_redirect_notice(p, page_entry_path(p, a.id, "contacts", id),
	    "contact-logged");
}

/* The detail page of the route's contact with status; message (may be
 * NULL) says why an action was refused. */
static void
contact_render(struct page *p, int status, const struct account *a,
    const char *message)
{
	struct contact c;
	enum kw_status st;

	st = contact_get(p->db, p->arena, &p->user, a->id, page_id(p, "eid"),
	    &c);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	contact_vars(p->vars, &c);
	tmpl_set(p->vars, "summary", c.summary);
	tmpl_set(p->vars, "created_at", c.created_at);
	tmpl_set_bool(p->vars, "can_withdraw", c.side == a->my_side &&
	    *c.withdrawn_at == '\0');
	if (message != NULL)
		tmpl_set(p->vars, "action_error", message);
	if (page_comments(p, a->id, "contact", c.id) != KW_OK) {
		page_error(p, KW_INTERNAL, NULL);
		return;
	}
	page_render(p, status, arena_xprintf(p->arena, "Contact on %s · %s",
	    c.date, a->title), "contact.tmpl");
}

void
page_contact(struct page *p)
{
	page_entry_show(p, contact_render);
}

void
page_contact_withdraw(struct page *p)
{
	static const struct page_withdrawal w = {
		.withdraw = contact_withdraw,
		.render = contact_render,
		.plural = "contacts",
		.notice = "contact-withdrawn",
		.forbidden = "Only the side that logged this contact can "
		    "withdraw it.",
		.conflict = "This contact has already been withdrawn.",
	};

	page_withdraw(p, &w);
}
