#!/bin/sh
# t-e2e-story.sh: the two-sided story of tests/web/story.mjs in Debian's
# Chromium against a whole stack behind nginx, in two acts on two days:
# the stack is restarted with a later clock between them.
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

# The demo without its history: the story starts on an empty account.
mkdir -p "$STACK_STATE"
export KEEPWORD_NOW=2026-11-10T09:00:00Z
"$KWCTL" -d "$STACK_STATE/keepword.db" demo --no-history >"$T_TMP/demo.out" 2>&1 ||
	bail_out "kwctl demo failed"

story() {
	KW_BASE=$BASE KW_ACT=$1 KW_ARTEFACTS="$top_builddir/tests/artefacts" \
	    KW_TAP_FIRST=$(($(cat "$T_TMP/n" 2>/dev/null || echo 0) + 1)) \
	    KW_TAP_COUNT="$T_TMP/n" KW_TAP_PLAN=no node "$WEB/story.mjs"
}

stack_start 2 || bail_out "the stack did not start"
story 1
stack_stop || bail_out "the stack did not stop"
rm -f "$STACK_STATE/stack.env"

export KEEPWORD_NOW=2026-11-16T09:00:00Z
stack_start 2 || bail_out "the stack did not start again"
story 2
echo "1..$(cat "$T_TMP/n")"
