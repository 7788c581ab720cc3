/* test-token.c: unit tests of the API tokens partner systems call with. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "arena.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "token.h"
#include "dbutil.h"

/* Issue a token of B reaching the fixture account; its id. */
static long long
issue(struct fx *f, enum token_scope scope, char secret[TOKEN_SECRET_SIZE])
{
	long long id = 0;

	assert_int_equal(token_create(f->db, &f->b_admin, f->b, "ERP sync",
	    scope, &f->acct, 1, &id, secret), KW_OK);
	assert_true(id > 0);
	return id;
}

/* token_create() by actor for org, the token itself not kept. */
static enum kw_status
create_as(struct fx *f, const struct user *actor, long long org,
    const char *name, enum token_scope scope, const long long *accts,
    size_t n)
{
	char secret[TOKEN_SECRET_SIZE];

	return token_create(f->db, actor, org, name, scope, accts, n, NULL,
	    secret);
}

static long long
count_tokens(struct fx *f)
{
	return raw_int(f->db, "SELECT count(*) FROM api_tokens");
}

static void
test_token_create_shows_secret_once(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE], prefix[32];
	long long id = issue(f, TOKEN_READ, secret);
	const char *random;

	snprintf(prefix, sizeof(prefix), "kwt_%lld_", id);
	assert_true(strncmp(secret, prefix, strlen(prefix)) == 0);
	random = secret + strlen(prefix);
	assert_int_equal(strlen(random), 43);
	assert_int_equal(strspn(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	/* Only a hash is stored: 64 hex digits, nothing of the secret. */
	assert_int_equal(raw_int(f->db, "SELECT length(token_hash) FROM "
	    "api_tokens"), 64);
	assert_null(strstr(raw_text(f->db, f->a, "SELECT token_hash || name "
	    "|| scope FROM api_tokens"), random));
	assert_string_equal(raw_text(f->db, f->a, "SELECT scope FROM "
	    "api_tokens"), "read");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'token' AND action = 'create' AND account_id IS "
	    "NULL AND detail = 'ERP sync, read, accounts 1'"), 1);
}

static void
test_token_secrets_differ(void **state)
{
	struct fx *f = *state;
	char s1[TOKEN_SECRET_SIZE], s2[TOKEN_SECRET_SIZE];

	issue(f, TOKEN_READ, s1);
	issue(f, TOKEN_READ, s2);
	assert_string_not_equal(strchr(s1 + 4, '_'), strchr(s2 + 4, '_'));
}

static void
test_token_create_admins_only(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE];

	assert_int_equal(token_create(f->db, &f->b_member, f->b, "x",
	    TOKEN_READ, &f->acct, 1, NULL, secret), KW_FORBIDDEN);
	assert_string_equal(secret, "");
	/* an admin of another org, even of the account's other party */
	assert_int_equal(create_as(f, &f->s_admin, f->b, "x",
	    TOKEN_READ, &f->acct, 1), KW_FORBIDDEN);
	assert_int_equal(create_as(f, &f->x_admin, f->b, "x",
	    TOKEN_READ, &f->acct, 1), KW_FORBIDDEN);
	assert_int_equal(count_tokens(f), 0);
	/* the system (kwctl) may */
	assert_int_equal(token_create(f->db, NULL, f->b, "x", TOKEN_READ,
	    &f->acct, 1, NULL, secret), KW_OK);
}

static void
test_token_create_own_accounts_only(void **state)
{
	struct fx *f = *state;
	long long other, both[2];

	assert_int_equal(account_create(f->db, &f->op, "S sells to X", f->x,
	    f->s, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	both[0] = f->acct;
	both[1] = other;
	/* B is not party to S ⇄ X */
	assert_int_equal(create_as(f, &f->b_admin, f->b, "x",
	    TOKEN_READ, both, 2), KW_BADREQ);
	assert_int_equal(create_as(f, &f->b_admin, f->b, "x",
	    TOKEN_READ, &other, 1), KW_BADREQ);
	both[1] = 999999;
	assert_int_equal(create_as(f, &f->b_admin, f->b, "x",
	    TOKEN_READ, both, 2), KW_BADREQ);
	assert_int_equal(count_tokens(f), 0);
	/* S is party to both */
	both[1] = other;
	assert_int_equal(create_as(f, &f->s_admin, f->s, "x",
	    TOKEN_READ_WRITE, both, 2), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "api_token_accounts"), 2);
}

static void
test_token_create_bad_input(void **state)
{
	static char long_name[TOKEN_NAME_MAX + 2];
	static const struct {
		const char		*name;
		enum token_scope	 scope;
		size_t			 n;	/* of the fixture account */
	} bad[] = {
		{ "", TOKEN_READ, 1 },
		{ NULL, TOKEN_READ, 1 },
		{ long_name, TOKEN_READ, 1 },
		{ "a\nb", TOKEN_READ, 1 },
		{ "x", TOKEN_SCOPE__MAX, 1 },
		{ "x", TOKEN_READ, 0 },
	};
	struct fx *f = *state;
	long long twice[2];
	size_t i;

	memset(long_name, 'n', sizeof(long_name) - 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(create_as(f, &f->b_admin, f->b, bad[i].name,
		    bad[i].scope, &f->acct, bad[i].n), KW_BADREQ);
	assert_int_equal(create_as(f, &f->b_admin, f->b, "x", TOKEN_READ,
	    NULL, 1), KW_BADREQ);
	assert_int_equal(count_tokens(f), 0);
	/* a repeated account counts once */
	twice[0] = twice[1] = f->acct;
	assert_int_equal(create_as(f, &f->b_admin, f->b, "x", TOKEN_READ,
	    twice, 2), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM "
	    "api_token_accounts"), 1);
}

static void
test_token_check_accepts_its_secret(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE];
	struct token t;
	long long id = issue(f, TOKEN_READ_WRITE, secret);

	assert_int_equal(token_check(f->db, f->a, secret, &t), KW_OK);
	assert_int_equal(t.id, id);
	assert_int_equal(t.org_id, f->b);
	assert_int_equal(t.scope, TOKEN_READ_WRITE);
	assert_string_equal(t.name, "ERP sync");
	assert_string_equal(t.revoked_at, "");
	assert_string_equal(t.last_used_at, "");
}

static void
test_token_check_refuses_the_rest(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE], bad[TOKEN_SECRET_SIZE + 8];
	struct token t;
	long long id = issue(f, TOKEN_READ, secret);
	size_t n = strlen(secret);

	/* one character of the secret changed */
	memcpy(bad, secret, n + 1);
	bad[n - 1] = bad[n - 1] == 'A' ? 'B' : 'A';
	assert_int_equal(token_check(f->db, f->a, bad, &t), KW_UNAUTH);
	assert_int_equal(t.id, 0);
	/* the right secret under another id */
	snprintf(bad, sizeof(bad), "kwt_%lld%s", id + 1,
	    strchr(secret + 4, '_'));
	assert_int_equal(token_check(f->db, f->a, bad, &t), KW_UNAUTH);
	/* malformed */
	assert_int_equal(token_check(f->db, f->a, NULL, &t), KW_UNAUTH);
	assert_int_equal(token_check(f->db, f->a, "", &t), KW_UNAUTH);
	assert_int_equal(token_check(f->db, f->a, secret + 4, &t), KW_UNAUTH);
	snprintf(bad, sizeof(bad), "%sx", secret);
	assert_int_equal(token_check(f->db, f->a, bad, &t), KW_UNAUTH);
	memcpy(bad, secret, n + 1);
	bad[n - 1] = '\0';
	assert_int_equal(token_check(f->db, f->a, bad, &t), KW_UNAUTH);
	snprintf(bad, sizeof(bad), "kwt_0%lld%s", id,
	    strchr(secret + 4, '_'));
	assert_int_equal(token_check(f->db, f->a, bad, &t), KW_UNAUTH);
	memcpy(bad, secret, n + 1);
	bad[n - 2] = '=';
	assert_int_equal(token_check(f->db, f->a, bad, &t), KW_UNAUTH);
	assert_int_equal(t.id, 0);
}

static void
test_token_revoke(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE];
	struct token t;
	long long id = issue(f, TOKEN_READ, secret);

	/* another org's admin does not find it; a member may not */
	assert_int_equal(token_revoke(f->db, &f->s_admin, f->s, id),
	    KW_NOTFOUND);
	assert_int_equal(token_revoke(f->db, &f->s_admin, f->b, id),
	    KW_NOTFOUND);
	assert_int_equal(token_revoke(f->db, &f->b_member, f->b, id),
	    KW_FORBIDDEN);
	assert_int_equal(token_revoke(f->db, &f->b_admin, f->b, id + 1),
	    KW_NOTFOUND);
	assert_int_equal(token_check(f->db, f->a, secret, &t), KW_OK);

	assert_int_equal(token_revoke(f->db, &f->b_admin, f->b, id), KW_OK);
	assert_int_equal(token_check(f->db, f->a, secret, &t), KW_UNAUTH);
	/* known, so that the refusal can be recorded against it */
	assert_int_equal(t.id, id);
	assert_string_not_equal(t.revoked_at, "");
	assert_int_equal(token_reaches(f->db, &t, f->acct), KW_NOTFOUND);
	assert_int_equal(token_revoke(f->db, &f->b_admin, f->b, id),
	    KW_CONFLICT);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'token' AND action = 'revoke'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT revoked_by FROM api_tokens"),
	    f->b_admin.id);
}

static void
test_token_reaches_its_accounts_only(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE];
	struct token t;
	long long other;

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	issue(f, TOKEN_READ, secret);
	assert_int_equal(token_check(f->db, f->a, secret, &t), KW_OK);
	assert_int_equal(token_reaches(f->db, &t, f->acct), KW_OK);
	/* B is party to it, but the token was not issued for it */
	assert_int_equal(token_reaches(f->db, &t, other), KW_NOTFOUND);
	assert_int_equal(token_reaches(f->db, &t, 999999), KW_NOTFOUND);
	assert_int_equal(token_reaches(f->db, &t, 0), KW_NOTFOUND);
}

static void
test_token_call_recorded(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE];
	struct token t;
	long long id = issue(f, TOKEN_READ, secret);

	assert_int_equal(token_check(f->db, f->a, secret, &t), KW_OK);
	assert_int_equal(token_call(f->db, &t, "GET /exchange/accounts/1: "
	    "200"), KW_OK);
	assert_string_equal(raw_text(f->db, f->a, "SELECT last_used_at FROM "
	    "api_tokens"), "2026-03-02T09:00:00Z");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE entity = 'token' AND action = 'call' "
	    "AND actor_user_id IS NULL AND account_id IS NULL "
	    "AND detail = 'GET /exchange/accounts/1: 200'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT actor_org_id FROM audit_events "
	    "WHERE action = 'call'"), f->b);
	assert_int_equal(raw_int(f->db, "SELECT entity_id FROM audit_events "
	    "WHERE action = 'call'"), id);

	/* a revoked token's call is recorded, but it is no use */
	assert_int_equal(raw(f->db, "UPDATE api_tokens SET last_used_at = "
	    "NULL"), SQLITE_OK);
	assert_int_equal(token_revoke(f->db, &f->b_admin, f->b, id), KW_OK);
	assert_int_equal(token_check(f->db, f->a, secret, &t), KW_UNAUTH);
	assert_int_equal(token_call(f->db, &t, "GET /exchange/accounts/1: "
	    "401"), KW_OK);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM audit_events "
	    "WHERE action = 'call'"), 2);
	assert_int_equal(raw_int(f->db, "SELECT last_used_at IS NULL FROM "
	    "api_tokens"), 1);
}

static void
test_token_list_newest_first(void **state)
{
	struct fx *f = *state;
	char secret[TOKEN_SECRET_SIZE];
	struct token *list;
	size_t n;
	long long first, second, other, both[2];

	assert_int_equal(account_create(f->db, &f->op, "B buys from X", f->b,
	    f->x, CADENCE_QUARTERLY, "2026-01-01", 0, 0, &other), KW_OK);
	first = issue(f, TOKEN_READ, secret);
	both[0] = other;
	both[1] = f->acct;
	assert_int_equal(token_create(f->db, &f->b_admin, f->b, "Reports",
	    TOKEN_READ_WRITE, both, 2, &second, secret), KW_OK);
	assert_int_equal(token_revoke(f->db, &f->b_admin, f->b, first), KW_OK);
	/* S's token is not B's */
	assert_int_equal(create_as(f, &f->s_admin, f->s, "S",
	    TOKEN_READ, &f->acct, 1), KW_OK);

	assert_int_equal(token_list(f->db, f->a, f->b, &list, &n), KW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, second);
	assert_string_equal(list[0].name, "Reports");
	assert_int_equal(list[0].scope, TOKEN_READ_WRITE);
	assert_int_equal(list[0].naccounts, 2);
	/* by title */
	assert_string_equal(list[0].accounts[0].title, "B buys from S");
	assert_string_equal(list[0].accounts[1].title, "B buys from X");
	assert_string_equal(list[0].revoked_at, "");
	assert_int_equal(list[1].id, first);
	assert_int_equal(list[1].naccounts, 1);
	assert_int_equal(list[1].accounts[0].id, f->acct);
	assert_string_equal(list[1].revoked_at, "2026-03-02T09:00:00Z");
	assert_string_equal(list[1].revoked_by_name,
	    f->b_admin.name);
	assert_string_equal(list[1].created_by_name, f->b_admin.name);

	assert_int_equal(token_list(f->db, f->a, f->x, &list, &n), KW_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
#define T(name)	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_token_create_shows_secret_once),
		T(test_token_secrets_differ),
		T(test_token_create_admins_only),
		T(test_token_create_own_accounts_only),
		T(test_token_create_bad_input),
		T(test_token_check_accepts_its_secret),
		T(test_token_check_refuses_the_rest),
		T(test_token_revoke),
		T(test_token_reaches_its_accounts_only),
		T(test_token_call_recorded),
		T(test_token_list_newest_first),
	};
#undef T

	return cmocka_run_group_tests(tests, fx_group_setup, fx_group_teardown);
}
