#!/bin/sh
# t-e2e-browser.sh: the browser tests of tests/web (Debian's Chromium,
# driven by playwright-core) against a whole stack behind nginx.
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
KW_BASE=$BASE KW_ARTEFACTS="$top_builddir/tests/artefacts" \
	node "$WEB/${BROWSER_TEST:-pages}.mjs"
