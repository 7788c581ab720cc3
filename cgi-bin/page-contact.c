/* page-contact.c: an account's log of contacts between the two sides. */
#include "config.h"

#include "account.h"
#include "clock.h"
#include "contact.h"
#include "page.h"

#define EXCERPT_MAX	160

static enum kw_status	contacts_fill(struct page *, const struct account *,
			    const struct valid_value *, const struct pager *,
			    size_t *);
static void		contact_render(struct page *, const struct account *,
			    long long, int, const char *);

static const struct valid_field filter_fields[PAGE_LIST_FILTERS + 1] = {
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Logged by" },
	{ .name = "channel", .kind = VALID_ENUM,
	  .choices = contact_channel_names, .label = "Channel" },
	{ .name = "from", .kind = VALID_DATE, .label = "Dated from" },
	{ .name = "to", .kind = VALID_DATE, .label = "Dated up to" },
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

static const struct page_entry contacts = {
	.plural = "contacts", .heading = "Contacts",
	.list_tmpl = "contacts.tmpl", .filters = filter_fields,
	.fill = contacts_fill, .detail = contact_render,
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

/* The list of a's contacts and the log form, for page_entry. */
static enum kw_status
contacts_fill(struct page *p, const struct account *a,
    const struct valid_value *filter, const struct pager *pg, size_t *total)
{
	struct contact_query q = {
		.side = filter[0].s, .channel = filter[1].s,
		.from = filter[2].s, .to = filter[3].s,
		.limit = pg->per, .offset = pg->offset,
	};
	static const struct page_list_words words = {
		"Contacts", " logged by ", ", by ", " dated",
	};
	struct contact *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	char today[16];
	size_t i, n = 0;
	enum kw_status st;

	/* A new contact happened today, unless the form says otherwise. */
	clock_date(clock_now(), today, sizeof(today));
	tmpl_set(p->vars, "today", today);
	if (p->vals == NULL)
		tmpl_set(p->vars, "date_in", today);
	page_options(p, "channel_opts", contact_channel_names,
	    page_val(p, "channel"));
	page_standing_summary(p, a, &words, filter);
	st = contact_list(p->db, p->arena, &p->user, a->id, &q, &list, &n,
	    total);
	loop = tmpl_add_loop(p->vars, "contacts");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		contact_vars(row, &list[i]);
		tmpl_set(row, "summary", page_excerpt(p, list[i].summary,
		    EXCERPT_MAX));
	}
	return st;
}

void
page_contacts(struct page *p)
{
	page_entry_list(p, &contacts);
}

void
page_contacts_add(struct page *p)
{
	struct account a;
	struct contact in;
	const char *why;
	long long id = 0;
	enum kw_status st;

	if (page_entry_post(p, &contacts, &a, 0) != 0)
		return;
	in.date = page_val(p, "date");
	in.channel = (enum contact_channel)page_int(p, "channel");
	in.participants = page_val(p, "participants");
	in.summary = page_val(p, "summary");
	in.next_step = page_val(p, "next_step");
	st = contact_log(p->db, &p->user, a.id, &in, &id);
	if (st == KW_BADREQ && (why = contact_date_error(in.date)) != NULL) {
		page_field_error(p, "date", why);
		page_entry_list_render(p, &contacts, &a, 400);
		return;
	}
	page_entry_done(p, &contacts, &a, id, st, "contact-logged", NULL,
	    NULL);
}

/* The detail page of contact eid of a with status; message (may be
 * NULL) says why an action was refused. */
static void
contact_render(struct page *p, const struct account *a, long long eid,
    int status, const char *message)
{
	struct contact c;
	enum kw_status st;

	st = contact_get(p->db, p->arena, &p->user, a->id, eid, &c);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	contact_vars(p->vars, &c);
	tmpl_set(p->vars, "summary", c.summary);
	tmpl_set(p->vars, "created_at", c.created_at);
	tmpl_set_bool(p->vars, "can_withdraw", c.side == a->my_side &&
	    *c.withdrawn_at == '\0');
	page_entry_render(p, a, "contact", c.id, status, message,
	    arena_xprintf(p->arena, "Contact on %s · %s", c.date, a->title),
	    "contact.tmpl");
}

void
page_contact(struct page *p)
{
	page_entry_detail(p, &contacts);
}

void
page_contact_withdraw(struct page *p)
{
	struct account a;
	long long eid = page_id(p, "eid");

	if (page_entry_post(p, &contacts, &a, 1) != 0)
		return;
	page_entry_done(p, &contacts, &a, eid, contact_withdraw(p->db,
	    &p->user, a.id, eid), "contact-withdrawn",
	    "Only the side that logged this contact can withdraw it.",
	    "This contact has already been withdrawn.");
}
