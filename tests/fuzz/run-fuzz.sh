#!/bin/sh
# run-fuzz.sh: make-check smoke run of every fuzz target, one TAP line each.
#
# Each target runs for FUZZ_SECONDS (default 5) on a copy of its seed corpus
# tests/fuzz/corpus/NAME. A libFuzzer build (--enable-fuzzing) gets
# -max_total_time; a plain build links tests/fuzz/driver.c and gets -t.
# Crash details go to the TAP output as comments.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
secs=${FUZZ_SECONDS:-5}
targets="form tmpl import"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

set -- $targets
echo "1..$#"
i=0
for t in $targets; do
	i=$((i + 1))
	bin=$top_builddir/tests/fuzz/fuzz-$t
	seeds=$top_srcdir/tests/fuzz/corpus/$t
	work=$tmp/$t
	log=$tmp/$t.log
	mkdir -p "$work/corpus" "$work/seeds"
	if [ ! -x "$bin" ]; then
		echo "not ok $i - fuzz-$t: $bin not built"
		continue
	fi
	# Copy the seeds: libFuzzer adds new inputs to its first corpus dir,
	# and the source tree may be read-only (distcheck).
	if [ -d "$seeds" ]; then
		find "$seeds" -maxdepth 1 -type f ! -name '.*' \
		    -exec cp {} "$work/seeds/" \;
	fi

	if "$bin" -help=1 2>&1 | grep -q 'max_total_time'; then
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		    -max_len=65536 -print_final_stats=1 \
		    -artifact_prefix="$work/" \
		    "$work/corpus" "$work/seeds" >"$log" 2>&1
		rc=$?
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	else
		"$bin" -t "$secs" "$work/seeds" >"$log" 2>&1
		rc=$?
		runs=$(sed -n 's/^ok 1 - .*: \([0-9]*\) inputs$/\1/p' "$log")
	fi

	if [ "$rc" -eq 0 ]; then
		echo "ok $i - fuzz-$t: ${runs:-?} inputs in ${secs}s"
	else
		echo "not ok $i - fuzz-$t: exit status $rc"
		tail -n 60 "$log" | sed 's/^/# /'
		for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* \
		    "$work"/oom-*; do
			[ -f "$f" ] || continue
			cp "$f" "$top_builddir/tests/fuzz/fuzz-$t-${f##*/}"
			echo "# reproducer saved as" \
			    "$top_builddir/tests/fuzz/fuzz-$t-${f##*/}"
		done
	fi
done
exit 0
