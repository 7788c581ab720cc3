/* test-base.c: unit tests of the status table, buffer, arena and clock. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "buf.h"
#include "clock.h"
#include "kw.h"

static void
test_status_tables_complete(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < KW_STATUS__MAX; i++) {
		assert_non_null(kw_status_str(i));
		assert_true(kw_status_http(i) >= 200);
	}
	assert_int_equal(kw_status_http(KW_NOTFOUND), 404);
	assert_int_equal(kw_status_http(KW_CONFLICT), 409);
	assert_int_equal(kw_status_http(KW_TOOBIG), 413);
	assert_string_equal(kw_status_str(KW_FORBIDDEN), "Forbidden");
}

static void
test_parse_int_bounds(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(kw_parse_int("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(kw_parse_int("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(kw_parse_int("101", 0, 100, &v), -1);
	assert_int_equal(kw_parse_int("", 0, 100, &v), -1);
	assert_int_equal(kw_parse_int(NULL, 0, 100, &v), -1);
	assert_int_equal(kw_parse_int("1x", 0, 100, &v), -1);
	assert_int_equal(kw_parse_int(" 1", 0, 100, &v), -1);
	assert_int_equal(kw_parse_int("+1", 0, 100, &v), -1);
	assert_int_equal(kw_parse_int("99999999999999999999", 0, INT64_MAX,
	    &v), -1);
}

/* kw_vsnprintf() against the C library's vsnprintf() for fmt, at every
 * buffer size from 0 to one more than the text. */
static void check_format(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
check_format(const char *fmt, ...)
{
	char want[256], got[256];
	va_list ap, cp;
	int n, m;
	size_t size;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(want, sizeof(want), fmt, cp);
	va_end(cp);
	assert_true(n >= 0 && (size_t)n < sizeof(want));
	for (size = 0; size <= (size_t)n + 1; size++) {
		memset(got, '#', sizeof(got));
		va_copy(cp, ap);
		m = kw_vsnprintf(size > 0 ? got : NULL, size, fmt, cp);
		va_end(cp);
		assert_int_equal(m, n);
		if (size > 0) {
			assert_memory_equal(got, want, size - 1);
			assert_int_equal(got[size - 1], '\0');
			assert_int_equal(got[size], '#');
		}
	}
	va_end(ap);
}

static void
test_format_agrees_with_libc(void **state)
{
	(void)state;
	check_format("plain text");
	check_format("%s", "");
	check_format("/accounts/%lld/promises?side=%s&due_from=%s%s",
	    9223372036854775807LL, "buyer", "2026-10-01", "&outcome=kept");
	check_format("%d%% (%lld of %lld on time)", -2147483647 - 1,
	    -9223372036854775807LL - 1, 0LL);
	check_format("%u|%ld|%zu|%%|%s", 4294967295U, -42L,
	    (size_t)18446744073709551615ULL, "end");
	/* Conversions it leaves to the C library. */
	check_format("%.1f of 5 (%lld rating%s)", 3.45, 2LL, "s");
	check_format("%02x %-6s|%5d|%c", 10, "ab", 7, 'z');
	check_format("%lu %llu", 1UL, 2ULL);
}

/* Means and changes to one decimal, halves away from zero. */
static void
test_tenths(void **state)
{
	char b[KW_TENTHS_SIZE];

	(void)state;
	assert_string_equal(kw_tenths(b, 3.25), "3.3");
	assert_string_equal(kw_tenths(b, 3.24), "3.2");
	assert_string_equal(kw_tenths(b, 5), "5.0");
	assert_string_equal(kw_tenths(b, 0.04), "0.0");
	assert_string_equal(kw_tenths(b, -0.04), "0.0");
	assert_string_equal(kw_tenths(b, -0.05), "-0.1");
	assert_string_equal(kw_tenths(b, -2.35), "-2.4");
	assert_string_equal(kw_tenths(b, 123456789012.34), "123456789012.3");
}

static void
test_buf_append_and_printf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "abc"), BUF_OK);
	assert_int_equal(buf_printf(&b, "-%d-%s", 7, "x"), BUF_OK);
	assert_int_equal(buf_putc(&b, '!'), BUF_OK);
	assert_string_equal(b.data, "abc-7-x!");
	assert_int_equal(b.len, 8);
	buf_truncate(&b, 3);
	assert_string_equal(b.data, "abc");
	buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void
test_buf_limit_is_sticky(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8, 0);
	assert_int_equal(buf_puts(&b, "12345678"), BUF_OK);
	assert_int_equal(buf_puts(&b, "9"), BUF_ETOOBIG);
	assert_int_equal(buf_puts(&b, ""), BUF_ETOOBIG);
	assert_int_equal(b.status, BUF_ETOOBIG);
	assert_string_equal(b.data, "12345678");
	buf_clear(&b);
	assert_int_equal(b.status, BUF_OK);
	/* printf into room the buffer has, past its limit: nothing stays */
	assert_int_equal(buf_puts(&b, "1234"), BUF_OK);
	assert_int_equal(buf_printf(&b, "%s", "56789"), BUF_ETOOBIG);
	assert_string_equal(b.data, "1234");
	assert_int_equal(b.len, 4);
	buf_clear(&b);
	/* and within it, it fits in place, then after growing */
	assert_int_equal(buf_printf(&b, "%d%s", 12, "345"), BUF_OK);
	assert_string_equal(b.data, "12345");
	buf_free(&b);
	buf_init(&b, 0, 0);
	assert_int_equal(buf_printf(&b, "%300s|", "x"), BUF_OK);
	assert_int_equal(buf_printf(&b, "%300s|", "y"), BUF_OK);
	assert_int_equal(b.len, 602);
	assert_int_equal(b.data[300], '|');
	assert_int_equal(b.data[600], 'y');
	buf_free(&b);
}

static void
test_buf_grows_large(void **state)
{
	struct buf b;
	size_t i;

	(void)state;
	buf_init(&b, 0, 1024);
	for (i = 0; i < 100000; i++)
		buf_putc(&b, 'a' + (int)(i % 26));
	assert_int_equal(b.status, BUF_OK);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.data[26], 'a');
	buf_clear(&b);
	assert_null(b.data);	/* cap > keep: storage released */
	buf_free(&b);
}

static void
test_arena_alignment_and_reset(void **state)
{
	struct arena *a = arena_new(1024, 0);
	char *p, *big;
	size_t i;

	(void)state;
	assert_non_null(a);
	for (i = 1; i < 100; i++) {
		p = arena_alloc(a, i);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 'x', i);
	}
	big = arena_alloc(a, 100000);
	assert_non_null(big);
	memset(big, 'y', 100000);
	assert_true(arena_used(a) >= 100000);
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	assert_string_equal(arena_xstrdup(a, "héllo"), "héllo");
	assert_string_equal(arena_xprintf(a, "%s-%d", "n", 5), "n-5");
	arena_free(a);
	arena_free(NULL);
}

static void
test_arena_limit_returns_null(void **state)
{
	struct arena *a = arena_new(1024, 4096);

	(void)state;
	assert_non_null(arena_alloc(a, 4000));
	assert_null(arena_alloc(a, 200));
	assert_null(arena_strndup(a, "abc", SIZE_MAX));
	arena_reset(a);
	assert_non_null(arena_alloc(a, 200));
	arena_free(a);
}

static void
test_clock_dates(void **state)
{
	time_t t;
	char s[32];

	(void)state;
	assert_int_equal(clock_parse_date("2024-02-29", &t), 0);
	clock_date(t, s, sizeof(s));
	assert_string_equal(s, "2024-02-29");
	assert_int_equal(clock_parse_date("2023-02-29", &t), -1);
	assert_int_equal(clock_parse_date("2023-13-01", &t), -1);
	assert_int_equal(clock_parse_date("2023-1-01", &t), -1);
	assert_int_equal(clock_parse_date("2023-01-01x", &t), -1);
	assert_int_equal(clock_parse_date("", &t), -1);
	assert_int_equal(clock_parse_iso("2026-11-22T10:20:30Z", &t), 0);
	clock_iso(t, s, sizeof(s));
	assert_string_equal(s, "2026-11-22T10:20:30Z");
	assert_int_equal(clock_parse_iso("2026-11-22 10:20:30", &t), -1);
}

/* The calendar arithmetic agrees with the C library's gmtime_r() and
 * timegm() on every day from 1900 to 2200, and at each second of a day. */
static void
test_clock_agrees_with_libc(void **state)
{
	char mine[32], libc[32];
	struct tm tm;
	time_t t, back;

	(void)state;
	for (t = -2208988800; t < 7258118400; t += 86400) {
		gmtime_r(&t, &tm);
		strftime(libc, sizeof(libc), "%Y-%m-%d", &tm);
		clock_date(t, mine, sizeof(mine));
		assert_string_equal(mine, libc);
		assert_int_equal(clock_parse_date(mine, &back), 0);
		assert_true(back == t);
	}
	for (t = 1767225600 - 86400; t < 1767225600 + 86400; t += 7) {
		gmtime_r(&t, &tm);
		strftime(libc, sizeof(libc), "%Y-%m-%dT%H:%M:%SZ", &tm);
		clock_iso(t, mine, sizeof(mine));
		assert_string_equal(mine, libc);
		assert_int_equal(clock_parse_iso(mine, &back), 0);
		assert_true(back == t);
	}
	/* a short buffer gets what fits */
	clock_date(0, mine, 5);
	assert_string_equal(mine, "1970");
}

static void
test_clock_fixed_by_environment(void **state)
{
	char s[32];

	(void)state;
	setenv(CLOCK_ENV, "2030-01-02T03:04:05Z", 1);
	clock_iso(clock_now(), s, sizeof(s));
	assert_string_equal(s, "2030-01-02T03:04:05Z");
	setenv(CLOCK_ENV, "garbage", 1);
	assert_true(clock_now() > 1700000000);
	unsetenv(CLOCK_ENV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_tables_complete),
		cmocka_unit_test(test_parse_int_bounds),
		cmocka_unit_test(test_format_agrees_with_libc),
		cmocka_unit_test(test_tenths),
		cmocka_unit_test(test_buf_append_and_printf),
		cmocka_unit_test(test_buf_limit_is_sticky),
		cmocka_unit_test(test_buf_grows_large),
		cmocka_unit_test(test_arena_alignment_and_reset),
		cmocka_unit_test(test_arena_limit_returns_null),
		cmocka_unit_test(test_clock_dates),
		cmocka_unit_test(test_clock_agrees_with_libc),
		cmocka_unit_test(test_clock_fixed_by_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
