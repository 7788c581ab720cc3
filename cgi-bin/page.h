/* page.h: the portal's per-request context and shared page helpers. */
#ifndef PAGE_H
#define PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "auth.h"
#include "kw.h"
#include "org.h"
#include "req.h"
#include "route.h"
#include "tmpl.h"
#include "valid.h"

struct account;
struct arena;
struct db;
struct scorecard;

/* Route flags: who may reach a route before its handler runs. The core
 * checks the same rules again; these only give early, uniform answers. */
#define PAGE_PUBLIC	0x1u	/* no login needed */
#define PAGE_ADMIN	0x2u	/* org admins only */
#define PAGE_OPERATOR	0x4u	/* site operators only */
/* Not an access rule: make the signed-in user's due-soon and overdue
 * notices (promise_notify_due()) on every visit. Other pages make them
 * only on a session's first request of each minute, which keeps the
 * navigation's count cheap; a page that lists the notices themselves
 * (the inbox) must show every one that is due as it is opened. */
#define PAGE_DUE_NOTICES	0x8u

/* Process-wide configuration, set once at start. */
struct page_conf {
	const char	*base_url;	/* e.g. "https://keepword.example" */
	tmpl_env	*tmpl;
};

/* One request being served by the portal. */
struct page {
	const struct page_conf	*conf;
	struct req		*req;
	struct arena		*arena;
	struct db		*db;
	struct route_match	 match;
	struct valid_value	*vals;		/* one per declared field */
	size_t			 nerrors;	/* fields with an error */
	int			 authed;	/* user and session are valid */
	struct user		 user;
	struct auth_session	 session;
	const char		*csrf;		/* token for forms on this page */
	tmpl_vars		*vars;		/* root scope of the page */
	const char		*ctype;		/* response Content-Type */
};

/*
 * Render templates/NAME with p->vars (title is the page's <title>) into
 * the response body with status (200, or 4xx for a form re-rendered with
 * errors). A template failure becomes a plain 500 page and is logged.
 */
void		 page_render(struct page *p, int status, const char *title,
		    const char *name);

/* Answer status with the error page, saying msg (NULL: the status text). */
void		 page_error(struct page *p, enum kw_status st, const char *msg);

/* 303 to path on the configured base URL. */
void		 page_redirect(struct page *p, const char *path);

/*
 * 303 to path with a notice shown once on the next page: path gets
 * "?notice=KEY" (KEY from the notice table in page.c, e.g. "user-created").
 */
void		 page_redirect_notice(struct page *p, const char *path,
		    const char *key);

/* The validated value of declared field name: normalised text, or the
 * raw input if it was invalid (for re-rendering), or "" if absent. */
const char	*page_val(const struct page *p, const char *name);
/* The validated integer of declared field name (0 if absent/invalid). */
long long	 page_int(const struct page *p, const char *name);

/*
 * Put the submitted values and the error messages of all declared fields
 * into p->vars as NAME and NAME_error, and "form_error" when any field is
 * wrong, so that a form re-renders with the user's input.
 */
void		 page_form_vars(struct page *p);

/* Mark field name as wrong with msg (for errors found by the core after
 * validation, e.g. "That email is already in use."). */
void		 page_field_error(struct page *p, const char *name,
		    const char *msg);

/* The text of a notice key, or NULL if unknown. */
const char	*page_notice_text(const char *key);

/* Route parameter name parsed as a positive id; 0 if malformed. */
long long	 page_id(const struct page *p, const char *name);

/* One page of a long list, from the query's page=N (1-based). */
struct pager {
	size_t	 per;		/* items per page */
	size_t	 page;		/* 1.. */
	size_t	 offset;	/* (page - 1) * per: the list query's OFFSET */
};

/* Read ?page= (absent or malformed: 1) for a list of per items a page. */
void		 page_pager(struct page *p, size_t per, struct pager *pg);

/*
 * After the list query, with total the number of matching items: set
 * pager_page, pager_pages and, where they exist, pager_prev and
 * pager_next (links to path with the query parameters named in keep, a
 * NULL-terminated list such as the list's filters, carried over).
 * templates/pager.tmpl shows them.
 */
void		 page_pager_vars(struct page *p, const struct pager *pg,
		    size_t total, const char *path, const char *const *keep);

/* An ISO-8601 UTC time "YYYY-MM-DDTHH:MM:SSZ" as people read it,
 * "YYYY-MM-DD HH:MM UTC" (arena); anything else is returned as is. */
const char	*page_datetime(struct page *p, const char *iso);
/* The day (YYYY-MM-DD) of a UTC ISO-8601 time, for display; "" stays "". */
const char	*page_day(struct page *p, const char *iso);

/*
 * The account of the route's :id as the signed-in user sees it, into *a,
 * with account_id, account_title, my_side, other_side and counterpart
 * set in p->vars for breadcrumbs. On failure (KW_NOTFOUND for a
 * malformed id, a missing account or one the user's org is not party
 * to) the error page is rendered and the status returned.
 */
enum kw_status	 page_account_load(struct page *p, struct account *a);

/*
 * Validate the query's list filters against the n declared fields into
 * vals[0..n-1] and put each into p->vars as filter_NAME (as sent), its
 * choices (VALID_ENUM) as the loop filter_NAME_opts (see page_options())
 * and, when wrong, filter_NAME_error and filter_error. Two dates in a
 * row are the first and last day of a period: the second is wrong when
 * it comes before the first. The dates also make the loop filter_dates
 * (fd_name, fd_label, fd_value, fd_error) for templates/filter-dates.tmpl.
 * Returns the number of wrong ones; a wrong filter should be treated as
 * absent.
 */
size_t		 page_filters(struct page *p, const struct valid_field *fields,
		    size_t n, struct valid_value *vals);

/*
 * The filters of a list page: page_filters() of the NULL-ended fields
 * (at most PAGE_LIST_FILTERS) into vals, and their names, NULL-ended,
 * into keep (for page_pager_vars()). Returns the number of wrong ones.
 */
size_t		 page_list_filters(struct page *p,
		    const struct valid_field *fields, struct valid_value *vals,
		    const char **keep);

/* The organisation on side of a (its name). */
const char	*page_side_org(const struct account *a, enum account_side side);

/*
 * The days from..to of a list filter as words after verb ("due", "dated"):
 * "due 2026-01-01 to 2026-01-31", "due from 2026-01-01", "due up to
 * 2026-01-31" (arena); NULL when both are NULL.
 */
const char	*page_days_words(struct page *p, const char *verb,
		    const char *from, const char *to);

/*
 * Say in words what a filtered list shows, for templates/filter-summary.tmpl:
 * filter_summary is what ("Promises") followed by each phrase of
 * phrases[0..n-1] that is not NULL (each starts with its own space or
 * comma); it stays unset when all are NULL, an unfiltered list.
 */
void		 page_filter_summary(struct page *p, const char *what,
		    const char *const *phrases, size_t n);

/* The words of a list of entries that can be withdrawn, whose filters
 * are the side that wrote them, a second choice and the days of the
 * standing ones (filter[0..3]), for page_standing_summary(). */
struct page_list_words {
	const char	*what;	/* "Contacts" */
	const char	*by;	/* " logged by ", before the side's org */
	const char	*choice;	/* ", by ", before filter[1] */
	const char	*dated;	/* " dated", before the days */
};

/* page_filter_summary() of such a list of a filtered by filter[0..3]. */
void		 page_standing_summary(struct page *p, const struct account *a,
		    const struct page_list_words *w,
		    const struct valid_value *filter);

/* A loop called name of rows value (each of the NULL-ended names) and
 * selected (value equals sel; sel may be NULL), for a <select>. */
void		 page_options(struct page *p, const char *name,
		    const char *const *names, const char *sel);

/* s, or its first at most max bytes cut at a character boundary and
 * followed by "…" (in the arena). */
const char	*page_excerpt(struct page *p, const char *s, size_t max);

/* Handlers and declared fields, one group per page file. */

/* page-auth.c */
extern const struct valid_field page_login_fields[];
void	 page_health(struct page *);
void	 page_login(struct page *);
void	 page_login_post(struct page *);
void	 page_logout(struct page *);
/* Set p->csrf for an anonymous visitor (cookie-bound token). */
void	 page_anon_csrf(struct page *);

/* page-home.c */
void	 page_home(struct page *);

/* page-trend.c: the trends of acct's last review periods up to the one
 * holding until (integrity, satisfaction, contacts) as the SVG charts
 * chart_integrity, chart_satisfaction and chart_contacts, the loop
 * "trend" of the same figures for a table, and SIDE_integrity_delta /
 * SIDE_satisfaction_delta (the latest period against the one before).
 * latest (may be NULL): both sides' scorecards of the last period, if
 * the page counted them already (scorecard_trend()). */
enum kw_status	 page_trends(struct page *, const struct account *acct,
		    const char *until, const struct scorecard *latest);

/* page-account.c */
extern const struct valid_field page_cadence_fields[];
void	 page_account(struct page *);
void	 page_account_cadence(struct page *);

/* page-admin.c */
extern const struct valid_field page_user_fields[];
extern const struct valid_field page_password_fields[];
void	 page_users(struct page *);
void	 page_users_add(struct page *);
void	 page_user_password(struct page *);
void	 page_user_deactivate(struct page *);
void	 page_user_activate(struct page *);

/* page-party.c */
extern const struct valid_field page_party_fields[];
void	 page_party(struct page *);
void	 page_party_set(struct page *);

/* page-token.c */
extern const struct valid_field page_token_fields[];
void	 page_tokens(struct page *);
void	 page_tokens_add(struct page *);
void	 page_token_revoke(struct page *);

/* page-promise.c (its fields are the core's: promise.h) */
void	 page_promises(struct page *);
void	 page_promises_add(struct page *);
void	 page_promise(struct page *);
void	 page_promise_deliver(struct page *);
void	 page_promise_confirm(struct page *);
void	 page_promise_dispute(struct page *);
void	 page_promise_renegotiate(struct page *);
void	 page_promise_accept_due(struct page *);
void	 page_promise_decline_due(struct page *);
void	 page_promise_break(struct page *);
/* page-entry.c: the flow an account's ledger entries share. */

/* A list page of one kind of an account's entries: PAGE_LIST_PER a
 * page, filtered by at most PAGE_LIST_FILTERS query fields. */
#define PAGE_LIST_PER		20
#define PAGE_LIST_FILTERS	6

/* One kind of entry: its URLs, list page and detail page. */
struct page_entry {
	const char		*plural;	/* URL segment, "expectations" */
	const char		*heading;	/* list <title>, "Expectations" */
	const char		*list_tmpl;	/* "expectations.tmpl" */
	const struct valid_field *filters;	/* at most PAGE_LIST_FILTERS,
						   ending with a NULL name */
	/*
	 * Put what the list page of a shows besides its filters and pager
	 * into p->vars: page pg of the entries that match filter (the
	 * validated filters: s is NULL for any, i the choice's index) and
	 * what the form for a new one needs; *total gets the number that
	 * match.
	 */
	enum kw_status	(*fill)(struct page *, const struct account *a,
			    const struct valid_value *filter,
			    const struct pager *pg, size_t *total);
	/* Render entry eid of a with status; refusal (NULL = none) says
	 * why an action was refused. */
	void	(*detail)(struct page *, const struct account *a,
		    long long eid, int status, const char *refusal);
};

/* GET of the list / of one entry (:eid) of the route's account. */
void	 page_entry_list(struct page *, const struct page_entry *);
void	 page_entry_detail(struct page *, const struct page_entry *);

/* The list page of a with status (400 instead of 200 after a wrong
 * filter), its filters, its pager (which keeps them) and list_path, its
 * URL; the submitted values of its form are the caller's. */
void	 page_entry_list_render(struct page *, const struct page_entry *,
	    const struct account *a, int status);

/*
 * The start of a POST to the list (entry 0) or to an entry's action:
 * the account into *a and the submitted values kept for the form.
 * Returns 0 to go on; -1 when the page has been answered: the error page,
 * or the list or the entry again with status 400 for bad fields.
 */
int	 page_entry_post(struct page *, const struct page_entry *,
	    struct account *a, int entry);

/*
 * The end of an entry's detail page: refusal (NULL = none) as
 * action_error, the comment thread of entity id in a (page_comments(),
 * for templates/comments.tmpl), then templates/NAME rendered with
 * status and title.
 */
void	 page_entry_render(struct page *, const struct account *a,
	    const char *entity, long long id, int status,
	    const char *refusal, const char *title, const char *name);

/*
 * The end of a POST that the core answered with st about entry eid: a
 * redirect to the entry with notice on KW_OK; the entry again with 403
 * and forbidden, or 409 and conflict (when not NULL); else the error page.
 */
void	 page_entry_done(struct page *, const struct page_entry *,
	    const struct account *a, long long eid, enum kw_status st,
	    const char *notice, const char *forbidden, const char *conflict);

/* page-expectation.c */
extern const struct valid_field page_expectation_fields[];
extern const struct valid_field page_expectation_retire_fields[];
extern const struct valid_field page_expectation_assess_fields[];
void	 page_expectations(struct page *);
void	 page_expectations_add(struct page *);
void	 page_expectation(struct page *);
void	 page_expectation_acknowledge(struct page *);
void	 page_expectation_retire(struct page *);
void	 page_expectation_assess(struct page *);

/* page-update.c */
extern const struct valid_field page_update_fields[];
extern const struct valid_field page_update_read_fields[];
void	 page_updates(struct page *);
void	 page_updates_add(struct page *);
void	 page_update(struct page *);
void	 page_update_read(struct page *);
void	 page_update_withdraw(struct page *);

/* page-operator.c */
extern const struct valid_field page_org_fields[];
extern const struct valid_field page_account_fields[];
void	 page_operator(struct page *);
void	 page_operator_org(struct page *);
void	 page_operator_account(struct page *);

/* page-comment.c */
extern const struct valid_field page_comment_fields[];
void	 page_comment_add(struct page *);
void	 page_comment_withdraw(struct page *);
/*
 * For an entry page: fill the "comments" loop, comment_count and the
 * add form's action (comments_action) for entry entity_id of kind
 * entity ("promise", ...) in account_id; the page then includes
 * templates/comments.tmpl. Returns KW_OK or the core's status (KW_NOTFOUND
 * for an account the user cannot see), for page_error().
 */
enum kw_status	 page_comments(struct page *, long long account_id,
		    const char *entity, long long entity_id);

/* page-inbox.c */
void	 page_inbox(struct page *);
void	 page_inbox_open(struct page *);
void	 page_inbox_read_all(struct page *);

/* page-activity.c */
/* The loop "events" of activity.tmpl's table (events-table.tmpl) from
 * list[0..n-1]. */
struct audit_event;
void	 page_activity_rows(struct page *, const struct audit_event *list,
	    size_t n);
void	 page_activity(struct page *);

/* page-owners.c */
extern const struct valid_field page_owner_fields[];
void	 page_owners(struct page *);
void	 page_owners_set(struct page *);
/* page-contact.c */
extern const struct valid_field page_contact_fields[];
void	 page_contacts(struct page *);
void	 page_contacts_add(struct page *);
void	 page_contact(struct page *);
void	 page_contact_withdraw(struct page *);

/* page-feedback.c */
extern const struct valid_field page_feedback_fields[];
void	 page_feedback_list(struct page *);
void	 page_feedback_add(struct page *);
void	 page_feedback(struct page *);
void	 page_feedback_withdraw(struct page *);

/* page-review.c */
extern const struct valid_field page_review_action_fields[];
void	 page_reviews(struct page *);
void	 page_reviews_add(struct page *);
void	 page_review(struct page *);
void	 page_review_sign(struct page *);
void	 page_review_action(struct page *);

/* page-concern.c */
extern const struct valid_field page_concern_fields[];
extern const struct valid_field page_concern_propose_fields[];
extern const struct valid_field page_concern_reject_fields[];
void	 page_concerns(struct page *);
void	 page_concerns_add(struct page *);
void	 page_concern(struct page *);
void	 page_concern_propose(struct page *);
void	 page_concern_accept(struct page *);
void	 page_concern_reject(struct page *);
void	 page_concern_withdraw(struct page *);

#endif /* PAGE_H */
