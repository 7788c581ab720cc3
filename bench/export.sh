#!/bin/sh
# export.sh: for ./keepword bench, the XML export of an account of 10 000
# and of 100 000 promises by the exchange program (run as a CGI program
# with an API token, streaming its answer to a file), against xmllint
# --stream reading the same file, in the same run.
#
#   bench/export.sh BUILDDIR WORKDIR
#
# Each size is measured in ROUNDS (3) interleaved rounds; the medians are
# printed as "export 100k: X MB/s, peak RSS Y MB; xmllint: Z MB/s" (MB =
# 10^6 bytes; RSS in MiB, from /usr/bin/time), then the targets: X at
# least half of Z, and Y at most 16 MB and the same (within 1 MB) for
# 10 000 and 100 000 promises, each "met" or "NOT met". Exits 1 only when
# the benchmark itself fails.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
BLD=$1
DIR=$2
ROUNDS=${KEEPWORD_BENCH_ROUNDS:-3}
DB="$DIR/export.db"

die() { echo "bench/export.sh: $*" >&2; exit 1; }
[ -x "$BLD/cgi-bin/exchange" ] && [ -x "$BLD/src/kwctl" ] ||
	die "build $BLD first"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time)"
mkdir -p "$DIR"
rm -f "$DB" "$DB-wal" "$DB-shm"
"$BLD/src/kwctl" -d "$DB" demo --no-history >"$DIR/kwctl.log" 2>&1 ||
	die "kwctl demo failed"

# The two accounts, and a token of Northwind's that reaches both.
acct() {
	sqlite3 "$DB" "CREATE TEMP TABLE bench_n AS SELECT $1 AS n" \
	    ".read $ROOT/bench/export-account.sql" || die "export-account.sql failed"
}
A10=$(acct 10000)
A100=$(acct 100000)
TOKEN=$("$BLD/src/kwctl" -d "$DB" token add --name bench "Northwind Foods" \
    "$A10" "$A100" 2>>"$DIR/kwctl.log") || die "kwctl token add failed"

now() { date +%s%N; }

# export N ACCOUNT: one export into $DIR/N.xml; appends "ns kb bytes" to
# $DIR/N.export.
export_once() {
	t0=$(now)
	/usr/bin/time -f %M -o "$DIR/rss" env -i PATH="$PATH" \
	    REQUEST_METHOD=GET PATH_INFO="/accounts/$2" SCRIPT_NAME=/exchange \
	    HTTP_AUTHORIZATION="Bearer $TOKEN" KEEPWORD_DB="$DB" \
	    "$BLD/cgi-bin/exchange" >"$DIR/$1.raw" 2>>"$DIR/exchange.log" ||
		die "the exchange failed"
	t1=$(now)
	head -c 200 "$DIR/$1.raw" | grep -q '^Status: 200' ||
		die "the export of $1 answered $(head -1 "$DIR/$1.raw")"
	# the body: after the head's empty line
	sed '1,/^\r$/d' "$DIR/$1.raw" >"$DIR/$1.xml"
	rm -f "$DIR/$1.raw"
	echo "$((t1 - t0)) $(tail -1 "$DIR/rss") $(wc -c <"$DIR/$1.xml")" >>"$DIR/$1.export"
}

# xmllint_once N: xmllint --stream reads $DIR/N.xml; appends "ns".
xmllint_once() {
	t0=$(now)
	xmllint --stream --noout "$DIR/$1.xml" || die "xmllint refused the export of $1"
	t1=$(now)
	echo "$((t1 - t0))" >>"$DIR/$1.xmllint"
}

rm -f "$DIR"/*.export "$DIR"/*.xmllint
for r in $(seq "$ROUNDS"); do
	for n in 10k:$A10 100k:$A100; do
		export_once "${n%%:*}" "${n#*:}"
		xmllint_once "${n%%:*}"
	done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The medians of size N: EX (ns), RSS (KiB), XL (ns), BYTES.
figures() {
	EX=$(cut -d' ' -f1 "$DIR/$1.export" | median)
	RSS=$(cut -d' ' -f2 "$DIR/$1.export" | median)
	BYTES=$(awk 'END { print $3 }' "$DIR/$1.export")
	XL=$(median <"$DIR/$1.xmllint")
}

# report N: the line for size N.
report() {
	figures "$1"
	awk -v n="$1" -v b="$BYTES" -v e="$EX" -v r="$RSS" -v x="$XL" 'BEGIN {
		printf "export %s: %.1f MB/s, peak RSS %.1f MB; xmllint: %.1f MB/s\n",
		    n, b / (e / 1e3), r / 1024, b / (x / 1e3)
	}'
}

figures 100k
echo "Export benchmark: $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB" \
    "of XML for 100 000 promises, medians of $ROUNDS rounds"
report 100k
report 10k
figures 100k
RATIO=$(awk -v e="$EX" -v x="$XL" 'BEGIN { printf "%.2f", x / e }')
RSS_100=$RSS
figures 10k
RSS_10=$RSS
if awk -v r="$RATIO" 'BEGIN { exit !(r >= 0.5) }'; then
	echo "target export >= 0.5 xmllint: met ($RATIO)"
else
	echo "target export >= 0.5 xmllint: NOT met ($RATIO)"
fi
if awk -v a="$RSS_10" -v b="$RSS_100" \
    'BEGIN { d = b - a; exit !(b <= 16 * 1024 && d <= 1024 && -d <= 1024) }'; then
	echo "target peak RSS <= 16 MB, the same at 10k and 100k: met"
else
	echo "target peak RSS <= 16 MB, the same at 10k and 100k: NOT met"
fi
