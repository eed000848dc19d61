#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A short coverage-guided fuzz run of khodump's input path (libFuzzer with
# ASan and UBSan), seeded with every catalogue scenario: no crash, leak,
# hang or read outside the core.  Longer runs: make fuzz-kho FUZZ_SECONDS=600
cd "$(dirname "$0")/../.." || exit 1
F=build/fuzz/fuzz_khodump
S=build/fuzz/seeds
secs=${FUZZ_SMOKE_SECONDS:-20}
if [ ! -x "$F" ] || [ ! -f "$S/.stamp" ]; then
	echo "1..0 # SKIP $F or its seeds not built (make check-prereqs)"
	exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
echo "1..2"
"$F" -runs=0 -timeout=10 -rss_limit_mb=2048 -max_len=1048576 "$S" > "$T/seeds.log" 2>&1
st=$?
[ $st = 0 ] && echo "ok 1 - every seed runs cleanly" || {
	echo "not ok 1 - every seed runs cleanly (exit $st)"; tail -30 "$T/seeds.log" | sed 's/^/# /'; }
timeout $((secs + 60)) "$F" -max_total_time="$secs" -timeout=10 \
	-rss_limit_mb=2048 -max_len=1048576 -artifact_prefix=build/fuzz/smoke- \
	"$T" "$S" > "$T/fuzz.log" 2>&1
st=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$T/fuzz.log")
if [ $st = 0 ]; then
	echo "ok 2 - ${secs}s fuzz run: ${runs:-?} inputs, no findings"
else
	echo "not ok 2 - fuzz run found a problem (exit $st)"
	grep -A30 'ERROR\|runtime error\|timeout' "$T/fuzz.log" | head -40 | sed 's/^/# /'
	ls build/fuzz | grep "^smoke-" | sed "s/^/# artifact: build\/fuzz\//"
fi
