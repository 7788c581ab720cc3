/* test-auth.c: unit tests of passwords, login throttling, sessions and CSRF. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "kw.h"
#include "org.h"
#include "dbutil.h"

#define EMAIL	"ann@example.org"
#define T0	"2026-03-02T09:00:00Z"

struct afx {
	char		 dir[64];
	char		 path[128];
	struct db	*db;
	struct arena	*a;
	long long	 org, ann, bo;	/* ann: admin; bo: member */
	time_t		 t0;
};

/* Fix the clock at secs seconds after T0. */
static void
at(const struct afx *f, long secs)
{
	char iso[32];

	clock_iso(f->t0 + secs, iso, sizeof(iso));
	assert_int_equal(setenv(CLOCK_ENV, iso, 1), 0);
}

/* Set ann's stored hash to h (bound, like everything else). */
static void
set_hash(struct afx *f, const char *h)
{
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_prepare_v2(db_handle(f->db),
	    "UPDATE users SET password_hash = ?1 WHERE id = ?2", -1, &st,
	    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, h, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, f->ann);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static int
setup(void **state)
{
	struct afx *f = xcalloc(1, sizeof(*f));

	if (clock_parse_iso(T0, &f->t0) != 0)
		return -1;
	at(f, 0);
	snprintf(f->dir, sizeof(f->dir), "/tmp/kwtest-auth.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/kw.db", f->dir);
	if (db_open(f->path, &f->db) != KW_OK || db_migrate(f->db) != KW_OK)
		return -1;
	if ((f->a = arena_new(16 * 1024, 0)) == NULL)
		return -1;
	if (org_create(f->db, NULL, "Example Org", &f->org) != KW_OK ||
	    user_create(f->db, NULL, f->org, EMAIL, "Ann", USER_ADMIN, PW,
	    &f->ann) != KW_OK ||
	    user_create(f->db, NULL, f->org, "bo@example.org", "Bo",
	    USER_MEMBER, PW, &f->bo) != KW_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct afx *f = *state;
	char p[160];

	db_close(f->db);
	arena_free(f->a);
	unlink(f->path);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	unsetenv(CLOCK_ENV);
	return 0;
}

/* Log ann in from addr; returns the status, fills s. */
static enum kw_status
login(struct afx *f, const char *email, const char *pw, const char *addr,
    struct auth_session *s)
{
	struct user u;

	return auth_login(f->db, f->a, email, pw, addr, s, &u);
}

/* ---- passwords ----------------------------------------------------------- */

static void
test_hash_verify_roundtrip(void **state)
{
	char h[AUTH_HASH_SIZE], h2[AUTH_HASH_SIZE];
	char p64[65], p200[201];

	(void)state;
	assert_int_equal(auth_hash(PW, h), KW_OK);
	assert_memory_equal(h, "$argon2id$v=19$m=65536,t=2,p=1$", 31);
	assert_true(auth_verify(h, PW));
	assert_false(auth_verify(h, "correct horse batterY"));
	assert_false(auth_verify(h, ""));
	assert_false(auth_verify("not a hash", PW));
	assert_false(auth_needs_rehash(h));
	/* same password, different salt */
	assert_int_equal(auth_hash(PW, h2), KW_OK);
	assert_string_not_equal(h, h2);
	/* long passwords are not truncated */
	memset(p64, 'x', 64);
	p64[64] = '\0';
	memset(p200, 'y', 200);
	p200[200] = '\0';
	assert_int_equal(auth_hash(p64, h), KW_OK);
	assert_true(auth_verify(h, p64));
	p64[63] = 'z';
	assert_false(auth_verify(h, p64));
	assert_int_equal(auth_hash(p200, h), KW_OK);
	assert_true(auth_verify(h, p200));
}

static void
test_hash_rejects_bad_length(void **state)
{
	char h[AUTH_HASH_SIZE], *big;

	(void)state;
	assert_int_equal(auth_hash("seven77", h), KW_BADREQ);
	assert_int_equal(auth_hash(NULL, h), KW_BADREQ);
	big = xmalloc(AUTH_PASSWORD_MAX + 2);
	memset(big, 'a', AUTH_PASSWORD_MAX + 1);
	big[AUTH_PASSWORD_MAX + 1] = '\0';
	assert_int_equal(auth_hash(big, h), KW_BADREQ);
	free(big);
}

static void
test_weak_hash_needs_rehash(void **state)
{
	char h[crypto_pwhash_STRBYTES];

	(void)state;
	assert_int_equal(auth_init(), 0);
	assert_int_equal(crypto_pwhash_str(h, PW, strlen(PW),
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_true(auth_verify(h, PW));
	assert_true(auth_needs_rehash(h));
}

static void
test_login_upgrades_weak_hash(void **state)
{
	struct afx *f = *state;
	struct auth_session s;
	char h[crypto_pwhash_STRBYTES];
	const char *now;

	assert_int_equal(crypto_pwhash_str(h, PW, strlen(PW),
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	set_hash(f, h);
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s), KW_OK);
	now = raw_text(f->db, f->a, "SELECT password_hash FROM users "
	    "WHERE email = 'ann@example.org'");
	assert_string_not_equal(now, h);
	assert_false(auth_needs_rehash(now));
	assert_true(auth_verify(now, PW));
}

/* ---- login --------------------------------------------------------------- */

static void
test_login_success_issues_new_token(void **state)
{
	struct afx *f = *state;
	struct auth_session s1, s2, g;
	struct user u;
	char *t1;

	assert_int_equal(auth_login(f->db, f->a, "Ann@Example.org", PW,
	    "192.0.2.1", &s1, &u), KW_OK);
	assert_int_equal(u.id, f->ann);
	assert_string_equal(u.org_name, "Example Org");
	assert_non_null(s1.token);
	assert_int_equal(strlen(s1.token), AUTH_TOKEN_SIZE - 1);
	assert_int_equal(strlen(s1.csrf), AUTH_TOKEN_SIZE - 1);
	assert_string_not_equal(s1.token, s1.csrf);
	t1 = arena_xstrdup(f->a, s1.token);
	/* a second login rotates: a different token */
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s2), KW_OK);
	assert_string_not_equal(t1, s2.token);
	assert_string_not_equal(s1.csrf, s2.csrf);
	/* the token is only stored hashed */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM sessions"), 2);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM sessions WHERE "
	    "length(token_hash) = 64"), 2);
	assert_int_equal(auth_session_get(f->db, f->a, s2.token, &g, &u),
	    KW_OK);
	assert_int_equal(g.user_id, f->ann);
	assert_null(g.token);
	assert_string_equal(g.csrf, s2.csrf);
	assert_string_equal(u.email, EMAIL);
}

static void
test_unknown_user_and_wrong_password_look_alike(void **state)
{
	struct afx *f = *state;
	struct auth_session s;
	struct user u;

	assert_int_equal(auth_login(f->db, f->a, "nobody@example.org", PW,
	    "192.0.2.1", &s, &u), KW_UNAUTH);
	assert_null(s.token);
	assert_int_equal(u.id, 0);
	assert_int_equal(auth_login(f->db, f->a, EMAIL, "wrong password",
	    "192.0.2.1", &s, &u), KW_UNAUTH);
	assert_null(s.token);
	assert_int_equal(u.id, 0);
	assert_int_equal(login(f, "", PW, "192.0.2.1", &s), KW_UNAUTH);
	assert_int_equal(login(f, NULL, NULL, NULL, &s), KW_UNAUTH);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM sessions"), 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM login_attempts"),
	    2);
}

static void
test_inactive_user_cannot_login(void **state)
{
	struct afx *f = *state;
	struct auth_session s;

	assert_int_equal(user_set_active(f->db, NULL, f->bo, 0), KW_OK);
	assert_int_equal(login(f, "bo@example.org", PW, "192.0.2.1", &s),
	    KW_UNAUTH);
	assert_int_equal(user_set_active(f->db, NULL, f->bo, 1), KW_OK);
	assert_int_equal(login(f, "bo@example.org", PW, "192.0.2.1", &s),
	    KW_OK);
}

static void
test_throttle_per_email(void **state)
{
	struct afx *f = *state;
	struct auth_session s;
	char addr[32];
	int i;

	for (i = 0; i < AUTH_FAIL_MAX_EMAIL; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", i);
		assert_int_equal(login(f, EMAIL, "wrong password", addr, &s),
		    KW_UNAUTH);
	}
	/* now even the right password is refused, from anywhere */
	assert_int_equal(login(f, EMAIL, PW, "203.0.113.9", &s), KW_TOOMANY);
	assert_int_equal(login(f, "ANN@example.org", PW, "203.0.113.9", &s),
	    KW_TOOMANY);
	/* other accounts are not affected */
	assert_int_equal(login(f, "bo@example.org", PW, "203.0.113.9", &s),
	    KW_OK);
	/* throttled attempts do not extend the lock */
	at(f, AUTH_FAIL_WINDOW + 1);
	assert_int_equal(login(f, EMAIL, PW, "203.0.113.9", &s), KW_OK);
}

static void
test_throttle_per_address(void **state)
{
	struct afx *f = *state;
	struct auth_session s;
	char email[64];
	int i;

	for (i = 0; i < AUTH_FAIL_MAX_ADDR; i++) {
		snprintf(email, sizeof(email), "guess%d@example.org", i);
		assert_int_equal(login(f, email, PW, "192.0.2.66", &s),
		    KW_UNAUTH);
	}
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.66", &s), KW_TOOMANY);
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.67", &s), KW_OK);
	at(f, AUTH_FAIL_WINDOW + 1);
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.66", &s), KW_OK);
	/* old attempts are pruned */
	assert_int_equal(login(f, EMAIL, "wrong password", "192.0.2.1", &s),
	    KW_UNAUTH);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM login_attempts"),
	    1);
}

static void
test_success_clears_email_failures(void **state)
{
	struct afx *f = *state;
	struct auth_session s;
	int i;

	for (i = 0; i < AUTH_FAIL_MAX_EMAIL - 1; i++)
		assert_int_equal(login(f, EMAIL, "wrong password", "192.0.2.1",
		    &s), KW_UNAUTH);
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s), KW_OK);
	for (i = 0; i < AUTH_FAIL_MAX_EMAIL - 1; i++)
		assert_int_equal(login(f, EMAIL, "wrong password", "192.0.2.1",
		    &s), KW_UNAUTH);
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s), KW_OK);
}

/* ---- sessions ------------------------------------------------------------ */

static void
test_session_idle_expiry(void **state)
{
	struct afx *f = *state;
	struct auth_session s, g;
	struct user u;
	char *tok;

	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s), KW_OK);
	tok = arena_xstrdup(f->a, s.token);
	at(f, AUTH_IDLE_SECS);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u), KW_OK);
	at(f, 2 * AUTH_IDLE_SECS + 1);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u),
	    KW_UNAUTH);
	assert_int_equal(u.id, 0);
	assert_null(g.csrf);
	/* the expired session is gone */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM sessions"), 0);
}

static void
test_session_absolute_expiry(void **state)
{
	struct afx *f = *state;
	struct auth_session s, g;
	struct user u;
	char *tok;
	long t;

	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s), KW_OK);
	tok = arena_xstrdup(f->a, s.token);
	/* busy all day: one request an hour keeps it from idling */
	for (t = 3600; t <= AUTH_ABSOLUTE_SECS; t += 3600) {
		at(f, t);
		assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u),
		    KW_OK);
	}
	at(f, AUTH_ABSOLUTE_SECS + 1);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u),
	    KW_UNAUTH);
}

static void
test_last_seen_updated_once_a_minute(void **state)
{
	struct afx *f = *state;
	struct auth_session s, g;
	struct user u;
	char *tok;

	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s), KW_OK);
	tok = arena_xstrdup(f->a, s.token);
	at(f, AUTH_TOUCH_SECS - 1);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u), KW_OK);
	assert_string_equal(raw_text(f->db, f->a, "SELECT last_seen_at FROM "
	    "sessions"), T0);
	assert_false(g.touched);
	at(f, AUTH_TOUCH_SECS);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u), KW_OK);
	assert_string_equal(raw_text(f->db, f->a, "SELECT last_seen_at FROM "
	    "sessions"), "2026-03-02T09:01:00Z");
	assert_string_equal(g.last_seen_at, "2026-03-02T09:01:00Z");
	assert_true(g.touched);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u), KW_OK);
	assert_false(g.touched);
}

static void
test_bad_tokens_are_unauth(void **state)
{
	struct afx *f = *state;
	struct auth_session g;
	struct user u;
	char tok[AUTH_TOKEN_SIZE];

	auth_token_new(tok);
	assert_int_equal(auth_session_get(f->db, f->a, tok, &g, &u),
	    KW_UNAUTH);
	assert_int_equal(auth_session_get(f->db, f->a, NULL, &g, &u),
	    KW_UNAUTH);
	assert_int_equal(auth_session_get(f->db, f->a, "", &g, &u),
	    KW_UNAUTH);
	assert_int_equal(auth_session_get(f->db, f->a, "' OR 1=1 --", &g, &u),
	    KW_UNAUTH);
}

static void
test_logout_ends_session(void **state)
{
	struct afx *f = *state;
	struct auth_session s1, s2, g;
	struct user u;
	char *t1;

	assert_int_equal(login(f, EMAIL, PW, "192.0.2.1", &s1), KW_OK);
	t1 = arena_xstrdup(f->a, s1.token);
	assert_int_equal(login(f, EMAIL, PW, "192.0.2.2", &s2), KW_OK);
	assert_int_equal(auth_logout(f->db, t1), KW_OK);
	assert_int_equal(auth_session_get(f->db, f->a, t1, &g, &u), KW_UNAUTH);
	/* the other device stays signed in */
	assert_int_equal(auth_session_get(f->db, f->a, s2.token, &g, &u),
	    KW_OK);
	assert_int_equal(auth_logout(f->db, t1), KW_OK);
	assert_int_equal(auth_logout(f->db, "junk"), KW_OK);
}

static void
test_deactivation_ends_sessions(void **state)
{
	struct afx *f = *state;
	struct auth_session s1, s2, g;
	struct user u;
	char *t1;

	assert_int_equal(login(f, "bo@example.org", PW, "192.0.2.1", &s1),
	    KW_OK);
	t1 = arena_xstrdup(f->a, s1.token);
	assert_int_equal(login(f, "bo@example.org", PW, "192.0.2.2", &s2),
	    KW_OK);
	assert_int_equal(user_get(f->db, f->a, f->ann, &u), KW_OK);
	assert_int_equal(user_set_active(f->db, &u, f->bo, 0), KW_OK);
	assert_int_equal(auth_session_get(f->db, f->a, t1, &g, &u), KW_UNAUTH);
	assert_int_equal(auth_session_get(f->db, f->a, s2.token, &g, &u),
	    KW_UNAUTH);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM sessions"), 0);
}

static void
test_password_reset_ends_sessions(void **state)
{
	struct afx *f = *state;
	struct auth_session s, g;
	struct user u;

	assert_int_equal(login(f, "bo@example.org", PW, "192.0.2.1", &s),
	    KW_OK);
	assert_int_equal(user_set_password(f->db, NULL, f->bo,
	    "a brand new password"), KW_OK);
	assert_int_equal(auth_session_get(f->db, f->a, s.token, &g, &u),
	    KW_UNAUTH);
	assert_int_equal(login(f, "bo@example.org", PW, "192.0.2.1", &s),
	    KW_UNAUTH);
	assert_int_equal(login(f, "bo@example.org", "a brand new password",
	    "192.0.2.1", &s), KW_OK);
}

/* ---- tokens and CSRF ----------------------------------------------------- */

static void
test_tokens_are_random_and_shaped(void **state)
{
	char (*toks)[AUTH_TOKEN_SIZE];
	size_t i, j, n = 1000;

	(void)state;
	toks = xcalloc(n, sizeof(*toks));
	for (i = 0; i < n; i++) {
		auth_token_new(toks[i]);
		assert_int_equal(strlen(toks[i]), AUTH_TOKEN_SIZE - 1);
		assert_int_equal(strspn(toks[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_"),
		    AUTH_TOKEN_SIZE - 1);
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(toks[i], toks[j]);
	free(toks);
}

static void
test_csrf_compare(void **state)
{
	char a[AUTH_TOKEN_SIZE], b[AUTH_TOKEN_SIZE];

	(void)state;
	auth_token_new(a);
	memcpy(b, a, sizeof(b));
	assert_true(auth_token_equal(a, b));
	b[10] = b[10] == 'A' ? 'B' : 'A';
	assert_false(auth_token_equal(a, b));
	assert_false(auth_token_equal(a, ""));
	assert_false(auth_token_equal("", a));
	b[AUTH_TOKEN_SIZE - 2] = '\0';
	memcpy(b, a, AUTH_TOKEN_SIZE - 2);
	assert_false(auth_token_equal(a, b));	/* a prefix */
	assert_false(auth_token_equal(a, NULL));
	assert_false(auth_token_equal(NULL, NULL));
}

#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify_roundtrip),
		cmocka_unit_test(test_hash_rejects_bad_length),
		cmocka_unit_test(test_weak_hash_needs_rehash),
		T(test_login_upgrades_weak_hash),
		T(test_login_success_issues_new_token),
		T(test_unknown_user_and_wrong_password_look_alike),
		T(test_inactive_user_cannot_login),
		T(test_throttle_per_email),
		T(test_throttle_per_address),
		T(test_success_clears_email_failures),
		T(test_session_idle_expiry),
		T(test_session_absolute_expiry),
		T(test_last_seen_updated_once_a_minute),
		T(test_bad_tokens_are_unauth),
		T(test_logout_ends_session),
		T(test_deactivation_ends_sessions),
		T(test_password_reset_ends_sessions),
		cmocka_unit_test(test_tokens_are_random_and_shaped),
		cmocka_unit_test(test_csrf_compare),
	};

	kw_log_init("test-auth");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
