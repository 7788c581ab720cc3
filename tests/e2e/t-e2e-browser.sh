#!/bin/sh
# t-e2e-browser.sh: the browser tests of tests/web (Debian's Chromium,
# driven by playwright-core) against a whole stack behind nginx: every
# page (pages.mjs) and the printed account page (print.mjs).
. "$(dirname "$0")/../lib.sh"
. "$top_srcdir/tests/stack.sh"

WEB="$top_srcdir/tests/web"
if [ ! -d "$WEB/node_modules/playwright-core" ] || [ ! -x /usr/bin/chromium ] ||
    ! command -v node >/dev/null 2>&1; then
	if [ -n "${KEEPWORD_REQUIRE_WEB-}" ]; then
		echo "Bail out! chromium, node or tests/web/node_modules missing"
		exit 1
	fi
	echo "1..0 # SKIP chromium, node or tests/web/node_modules missing"
	exit 0
fi

stack_start 2 || bail_out "the stack did not start"
# The reviews of the demo account's past periods, as the daily job opens them.
"$KWCTL" -d "$STACK_STATE/keepword.db" reviews run >"$T_TMP/reviews.out" 2>&1 ||
	bail_out "kwctl reviews run failed"
# Each script continues the numbering of the one before; one plan at the end.
rc=0
for t in ${BROWSER_TESTS:-pages print}; do
	KW_BASE=$BASE KW_ARTEFACTS="$top_builddir/tests/artefacts" \
	    KW_TAP_FIRST=$(($(cat "$T_TMP/n" 2>/dev/null || echo 0) + 1)) \
	    KW_TAP_COUNT="$T_TMP/n" KW_TAP_PLAN=no node "$WEB/$t.mjs" || rc=1
done
echo "1..$(cat "$T_TMP/n")"
exit $rc
