/* page-feedback.c: an account's satisfaction ratings, given by either side. */
#include "config.h"

#include "account.h"
#include "feedback.h"
#include "page.h"

#define EXCERPT_MAX	160

static enum kw_status	feedback_fill(struct page *, const struct account *,
			    const struct valid_value *, const struct pager *,
			    size_t *);
static void		feedback_render(struct page *, const struct account *,
			    long long, int, const char *);

static const struct valid_field filter_fields[PAGE_LIST_FILTERS + 1] = {
	{ .name = "side", .kind = VALID_ENUM,
	  .choices = account_side_names, .label = "Given by" },
	{ .name = "aspect", .kind = VALID_ENUM,
	  .choices = feedback_aspect_names, .label = "Aspect" },
	{ .name = "from", .kind = VALID_DATE, .label = "Given from" },
	{ .name = "to", .kind = VALID_DATE, .label = "Given up to" },
	{ .name = NULL },
};

static const struct page_entry feedback = {
	.plural = "feedback", .heading = "Feedback",
	.list_tmpl = "feedback-list.tmpl", .filters = filter_fields,
	.fill = feedback_fill, .detail = feedback_render,
};

const struct valid_field page_feedback_fields[] = {
	{ .name = "rating", .kind = VALID_INT, .flags = VALID_REQUIRED,
	  .min = FEEDBACK_RATING_MIN, .max = FEEDBACK_RATING_MAX,
	  .label = "Rating" },
	{ .name = "aspect", .kind = VALID_ENUM,
	  .choices = feedback_aspect_names, .label = "Aspect" },
	{ .name = "comment", .kind = VALID_TEXT,
	  .maxlen = FEEDBACK_COMMENT_MAX, .label = "Comment" },
	{ .name = NULL },
};

/* What each rating means, for the form. */
static const char *const rating_words[FEEDBACK_RATING_MAX + 1] = {
	NULL, "very poor", "poor", "fair", "good", "excellent",
};

/* "★★★★☆" for rating (clamped to 0..5), in the arena. */
static const char *
stars(struct page *p, int rating)
{
	if (rating < 0)
		rating = 0;
	if (rating > FEEDBACK_RATING_MAX)
		rating = FEEDBACK_RATING_MAX;
	return arena_xprintf(p->arena, "%.*s%.*s", rating * 3,
	    "★★★★★", (FEEDBACK_RATING_MAX - rating) * 3, "☆☆☆☆☆");
}

/* The fields of fb that the list and the detail page both show. */
static void
feedback_vars(struct page *p, tmpl_vars *v, const struct feedback *fb)
{
	tmpl_set_int(v, "id", fb->id);
	tmpl_set_int(v, "rating", fb->rating);
	tmpl_set(v, "stars", stars(p, fb->rating));
	tmpl_set(v, "aspect", fb->aspect < FEEDBACK_ASPECT__MAX ?
	    feedback_aspect_names[fb->aspect] : "");
	tmpl_set(v, "side", account_side_name(fb->from_side));
	tmpl_set(v, "to_side",
	    account_side_name(account_other_side(fb->from_side)));
	tmpl_set(v, "by", fb->created_by_name);
	tmpl_set(v, "created_at", fb->created_at);
	tmpl_set(v, "withdrawn_at", fb->withdrawn_at);
}

/* The rating radio buttons, the one given in the form checked. */
static void
rating_options(struct page *p)
{
	tmpl_loop *loop = tmpl_add_loop(p->vars, "rating_opts");
	tmpl_vars *row;
	long long sel = page_int(p, "rating");
	int i;

	for (i = FEEDBACK_RATING_MAX; i >= FEEDBACK_RATING_MIN; i--) {
		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "value", i);
		tmpl_set(row, "words", rating_words[i]);
		tmpl_set_bool(row, "checked", sel == i);
	}
}

/* The list of a's feedback and the form for more, for page_entry. */
static enum kw_status
feedback_fill(struct page *p, const struct account *a,
    const struct valid_value *filter, const struct pager *pg, size_t *total)
{
	struct feedback_query q = {
		.side = filter[0].s, .aspect = filter[1].s,
		.from = filter[2].s, .to = filter[3].s,
		.limit = pg->per, .offset = pg->offset,
	};
	static const struct page_list_words words = {
		"Feedback", " by ", ", on ", " given",
	};
	struct feedback *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, n = 0;
	enum kw_status st;

	page_options(p, "aspect_opts", feedback_aspect_names,
	    page_val(p, "aspect"));
	rating_options(p);
	page_standing_summary(p, a, &words, filter);
	st = feedback_list(p->db, p->arena, &p->user, a->id, &q, &list, &n,
	    total);
	loop = tmpl_add_loop(p->vars, "feedback");
	for (i = 0; i < n; i++) {
		row = tmpl_loop_row(loop);
		feedback_vars(p, row, &list[i]);
		tmpl_set(row, "comment", page_excerpt(p, list[i].comment,
		    EXCERPT_MAX));
	}
	return st;
}

void
page_feedback_list(struct page *p)
{
	page_entry_list(p, &feedback);
}

void
page_feedback_add(struct page *p)
{
	struct account a;
	struct feedback in;
	long long id = 0;
	enum kw_status st;

	if (page_entry_post(p, &feedback, &a, 0) != 0)
		return;
	in.rating = (int)page_int(p, "rating");
	in.aspect = *page_val(p, "aspect") != '\0' ?
	    (enum feedback_aspect)page_int(p, "aspect") :
	    FEEDBACK_ASPECT__MAX;
	in.comment = page_val(p, "comment");
	st = feedback_give(p->db, &p->user, a.id, &in, &id);
	page_entry_done(p, &feedback, &a, id, st, "feedback-given", NULL,
	    NULL);
}

/* The detail page of rating eid of a with status; message (may be NULL)
 * says why an action was refused. */
static void
feedback_render(struct page *p, const struct account *a, long long eid,
    int status, const char *message)
{
	struct feedback fb;
	enum kw_status st;

	st = feedback_get(p->db, p->arena, &p->user, a->id, eid, &fb);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	feedback_vars(p, p->vars, &fb);
	tmpl_set(p->vars, "comment", fb.comment);
	tmpl_set_bool(p->vars, "can_withdraw", fb.from_side == a->my_side &&
	    *fb.withdrawn_at == '\0');
	page_entry_render(p, a, "feedback", fb.id, status, message,
	    arena_xprintf(p->arena, "Feedback %d of %d · %s", fb.rating,
	    FEEDBACK_RATING_MAX, a->title), "feedback.tmpl");
}

void
page_feedback(struct page *p)
{
	page_entry_detail(p, &feedback);
}

void
page_feedback_withdraw(struct page *p)
{
	struct account a;
	long long eid = page_id(p, "eid");

	if (page_entry_post(p, &feedback, &a, 1) != 0)
		return;
	page_entry_done(p, &feedback, &a, eid, feedback_withdraw(p->db,
	    &p->user, a.id, eid), "feedback-withdrawn",
	    "Only the side that gave this feedback can withdraw it.",
	    "This feedback has already been withdrawn.");
}
