/* page-token.c: an org admin issues and revokes the API tokens with which
 * the org's partner systems call the XML exchange. */
#include "config.h"

#include <string.h>

#include "account.h"
#include "arena.h"
#include "clock.h"
#include "export.h"
#include "page.h"
#include "token.h"

const struct valid_field page_token_fields[] = {
	{ .name = "name", .kind = VALID_LINE, .flags = VALID_REQUIRED,
	  .maxlen = TOKEN_NAME_MAX, .label = "Name" },
	{ .name = "scope", .kind = VALID_ENUM, .flags = VALID_REQUIRED,
	  .choices = token_scope_names, .label = "Access" },
	/* Checkboxes: every value of it counts (chosen_accounts()). */
	{ .name = "account", .kind = VALID_ID, .label = "Accounts" },
	{ .name = NULL },
};

/* What each scope allows, as the pages say it. */
static const char *const scope_words[TOKEN_SCOPE__MAX] = {
	[TOKEN_READ] = "Read",
	[TOKEN_READ_WRITE] = "Read and write",
};

/* 1 if id is among ids[0..n-1]. */
static int
chosen(const long long *ids, size_t n, long long id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

/*
 * Every value sent for the checkboxes "account" as ids, into *ids[0..*n-1]
 * (arena): 0, or -1 (with the field's error set) when one is not an id or
 * there are more than a token may reach. Repeats are kept once.
 */
static int
chosen_accounts(struct page *p, long long **ids, size_t *n)
{
	const struct req *r = p->req;
	long long id;
	size_t i;

	*ids = arena_xcalloc(p->arena, TOKEN_ACCOUNTS_MAX, sizeof(**ids));
	*n = 0;
	for (i = 0; i < r->nform; i++) {
		if (strcmp(r->form[i].key, "account") != 0)
			continue;
		if (kw_parse_int(r->form[i].val, 1, INT64_MAX, &id) != 0) {
			page_field_error(p, "account", "Choose accounts from "
			    "the list.");
			return -1;
		}
		if (chosen(*ids, *n, id))
			continue;
		if (*n == TOKEN_ACCOUNTS_MAX) {
			page_field_error(p, "account", arena_xprintf(p->arena,
			    "A token reaches at most %d accounts.",
			    TOKEN_ACCOUNTS_MAX));
			return -1;
		}
		(*ids)[(*n)++] = id;
	}
	return 0;
}

/* The loop "tokens" of the org's tokens; has_tokens when there are any. */
static enum kw_status
token_rows(struct page *p)
{
	struct token *list = NULL;
	tmpl_loop *loop, *accts;
	tmpl_vars *row, *arow;
	size_t i, j, n = 0;
	enum kw_status st;

	if ((st = token_list(p->db, p->arena, p->user.org_id, &list, &n)) !=
	    KW_OK)
		return st;
	loop = tmpl_add_loop(p->vars, "tokens");
	for (i = 0; i < n; i++) {
		const struct token *t = &list[i];

		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", t->id);
		tmpl_set(row, "name", t->name);
		tmpl_set(row, "scope", scope_words[t->scope]);
		tmpl_set(row, "created_at", t->created_at);
		tmpl_set(row, "created_text", page_datetime(p, t->created_at));
		tmpl_set(row, "created_by", t->created_by_name);
		tmpl_set(row, "used_at", t->last_used_at);
		tmpl_set(row, "used_text", page_datetime(p, t->last_used_at));
		tmpl_set(row, "revoked_at", t->revoked_at);
		tmpl_set(row, "revoked_text", page_datetime(p, t->revoked_at));
		tmpl_set(row, "revoked_by", t->revoked_by_name);
		accts = tmpl_add_loop(row, "token_accounts");
		for (j = 0; j < t->naccounts; j++) {
			arow = tmpl_loop_row(accts);
			tmpl_set_int(arow, "account", t->accounts[j].id);
			tmpl_set(arow, "account_title", t->accounts[j].title);
		}
	}
	tmpl_set_bool(p->vars, "has_tokens", n > 0);
	return KW_OK;
}

/*
 * Render the tokens page with status: the org's tokens and the form to
 * issue one, its checkboxes checked for ids[0..n-1].
 */
static void
tokens_render(struct page *p, int status, const long long *ids, size_t n)
{
	struct account_summary *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	char today[16];
	size_t i, na = 0;
	enum kw_status st;

	clock_date(clock_now(), today, sizeof(today));
	if ((st = token_rows(p)) == KW_OK)
		st = account_list_for_org(p->db, p->arena, p->user.org_id,
		    today, &list, &na);
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "nav", "users");
	loop = tmpl_add_loop(p->vars, "accounts");
	for (i = 0; i < na; i++) {
		const struct account *a = &list[i].acct;

		row = tmpl_loop_row(loop);
		tmpl_set_int(row, "id", a->id);
		tmpl_set(row, "title", a->title);
		tmpl_set(row, "counterpart", page_side_org(a,
		    account_other_side(a->my_side)));
		tmpl_set_bool(row, "checked", chosen(ids, n, a->id));
	}
	tmpl_set_bool(p->vars, "has_accounts", na > 0);
	page_render(p, status, "API tokens", "tokens.tmpl");
}

void
page_tokens(struct page *p)
{
	tmpl_set(p->vars, "scope_in", token_scope_names[TOKEN_READ]);
	tokens_render(p, 200, NULL, 0);
}

/* The page that shows new token id, secret, once. */
static void
created_render(struct page *p, long long id, const char *secret)
{
	struct token *list = NULL;
	tmpl_loop *loop;
	tmpl_vars *row;
	size_t i, j, n = 0;
	enum kw_status st;

	if ((st = token_list(p->db, p->arena, p->user.org_id, &list, &n)) !=
	    KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	tmpl_set(p->vars, "nav", "users");
	tmpl_set(p->vars, "secret", secret);
	tmpl_setn(p->vars, "base_url", p->conf->base_url,
	    req_base_len(p->conf->base_url));
	tmpl_set(p->vars, "schema_path", EXPORT_SCHEMA_PATH);
	loop = tmpl_add_loop(p->vars, "token_accounts");
	for (i = 0; i < n; i++) {
		if (list[i].id != id)
			continue;
		tmpl_set(p->vars, "token_name", list[i].name);
		tmpl_set(p->vars, "scope", scope_words[list[i].scope]);
		for (j = 0; j < list[i].naccounts; j++) {
			row = tmpl_loop_row(loop);
			tmpl_set_int(row, "account", list[i].accounts[j].id);
			tmpl_set(row, "account_title",
			    list[i].accounts[j].title);
			if (j == 0)
				tmpl_set_int(p->vars, "first_account",
				    list[i].accounts[j].id);
		}
	}
	page_render(p, 200, "Your new API token", "token-created.tmpl");
}

void
page_tokens_add(struct page *p)
{
	char secret[TOKEN_SECRET_SIZE];
	long long *ids, id;
	size_t n;
	int bad;
	enum kw_status st;

	page_form_vars(p);
	bad = chosen_accounts(p, &ids, &n) != 0;
	if (!bad && n == 0) {
		page_field_error(p, "account", "Choose at least one account.");
		bad = 1;
	}
	if (p->nerrors > 0 || bad) {
		tokens_render(p, 400, ids, n);
		return;
	}
	st = token_create(p->db, &p->user, p->user.org_id,
	    page_val(p, "name"), (enum token_scope)page_int(p, "scope"), ids,
	    n, &id, secret);
	if (st == KW_BADREQ) {
		page_field_error(p, "account", "Choose only accounts of your "
		    "organisation.");
		tokens_render(p, 400, ids, n);
		return;
	}
	if (st != KW_OK) {
		page_error(p, st, NULL);
		return;
	}
	/* Shown once, in this answer to the POST: never in a URL. */
	created_render(p, id, secret);
	memset(secret, 0, sizeof(secret));
}

void
page_token_revoke(struct page *p)
{
	long long id = page_id(p, "id");
	enum kw_status st;

	st = id == 0 ? KW_NOTFOUND :
	    token_revoke(p->db, &p->user, p->user.org_id, id);
	if (st != KW_OK) {
		page_error(p, st, st == KW_CONFLICT ?
		    "This token was revoked already." : NULL);
		return;
	}
	page_redirect_notice(p, "/org/tokens", "token-revoked");
}
