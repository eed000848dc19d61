#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Every catalogue scenario through the sanitized khodump: verdict, exit code
# and the failing check ID must match the scenario's expectation; every
# boot/KHO/LUO/memfd check ID must fail somewhere and pass somewhere.
cd "$(dirname "$0")/../.." || exit 1
MK=build/mkhandover
KD=build/asan/khodump
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() {	# ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

if [ ! -x "$MK" ] || [ ! -x "$KD" ]; then
	echo "1..0 # SKIP build $MK and $KD first (make check-prereqs)"
	exit 0
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

"$MK" --list > "$T/list"
while IFS="$(printf '\t')" read -r name expect check desc; do
	"$MK" "$name" -o "$T/core" > "$T/mk" 2>&1 || { ok 1 "$name: mkhandover"; continue; }
	bp=$(sed -n 's/^boot_params=//p' "$T/mk")
	timeout 20 "$KD" --boot-params "$bp" "$T/core" > "$T/out" 2> "$T/err"
	rc=$?
	failed=$(sed -n 's/^\[FAIL\] \([^:]*\):.*/\1/p' "$T/out" | tr '\n' ' ')
	echo "$failed" | tr ' ' '\n' | grep . >> "$T/failed-ids"
	if [ "$expect" = pass ]; then
		grep -q '^verdict: pass$' "$T/out" && [ $rc = 0 ] && [ ! -s "$T/err" ]
		ok $? "$name passes (rc=$rc${failed:+, failed: $failed})"
		sed -n 's/^\[PASS\] \([^:]*\):.*/\1/p' "$T/out" >> "$T/passed-ids"
	else
		echo "$check" >> "$T/expected-ids"
		grep -q '^verdict: fail$' "$T/out" && [ $rc = 1 ] && [ ! -s "$T/err" ] &&
			echo " $failed" | grep -q " $check "
		ok $? "$name fails $check (rc=$rc, failed: $failed)"
	fi
	[ -s "$T/err" ] && sed 's/^/# /' "$T/err" | head -20
done < "$T/list"

for id in boot.params boot.setup-data kho.present kho.fdt kho.compatible \
	  kho.memory-map kho.scratch kho.scratch-disjoint kho.preserved-overlap \
	  kho.subtrees luo.present luo.header luo.flb-table luo.sessions \
	  memfd.folios; do
	grep -qx "$id" "$T/expected-ids" && grep -qx "$id" "$T/failed-ids"
	ok $? "$id fails in some corrupt scenario"
	grep -qx "$id" "$T/passed-ids"
	ok $? "$id passes in the valid scenarios"
done
echo "1..$n"
[ $fails = 0 ]
