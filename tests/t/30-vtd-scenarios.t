#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The VT-d scenarios through the sanitized khodump: every iommu.*, vtd.*
# (memory) and dma.containment check fails in a corrupt scenario (with a
# reason naming an address) and passes in a valid one; each ABI revision is
# reported as detected; JSON, --explain and --dot carry the IOMMU hops.
cd "$(dirname "$0")/../.." || exit 1
MK=build/mkhandover
KD=build/asan/khodump
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

if [ ! -x "$MK" ] || [ ! -x "$KD" ]; then
	echo "1..0 # SKIP build $MK and $KD first (make check-prereqs)"
	exit 0
fi
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run() {	# run NAME [khodump options]: output in $T/out, rc in $rc
	name=$1
	shift
	"$MK" "$name" -o "$T/core" > "$T/mk" 2>&1 || { rc=99; return; }
	bp=$(sed -n 's/^boot_params=//p' "$T/mk")
	timeout 20 "$KD" "$@" --boot-params "$bp" "$T/core" > "$T/out" 2> "$T/err"
	rc=$?
}

"$MK" --list | grep '^vtd-' > "$T/list"
[ -s "$T/list" ]
ok $? "the catalogue has VT-d scenarios"
while IFS="$(printf '\t')" read -r name expect check desc; do
	run "$name"
	if [ "$expect" = pass ]; then
		[ $rc = 0 ] && ! grep -q '^\[FAIL\]' "$T/out"
		ok $? "$name: valid, every check passes or skips (rc=$rc)"
		sed -n 's/^\[PASS\] \([^:]*\):.*/\1/p' "$T/out" >> "$T/passed"
	else
		line=$(grep "^\[FAIL\] $check: " "$T/out" | head -1)
		[ $rc = 1 ] && echo "$line" | grep -q '0x[0-9a-f]\{4,\}\|[0-9a-f]\{4\}:[0-9a-f]\{2\}:'
		ok $? "$name: $check fails naming the object (${line#*: })"
		echo "$check" >> "$T/failed"
	fi
	[ -s "$T/err" ] && sed 's/^/# /' "$T/err" | head -10
done < "$T/list"

for id in iommu.flb iommu.flb-version iommu.arrays iommu.headers iommu.units \
	  iommu.unit-refcount iommu.device-links iommu.domains iommu.did \
	  vtd.root-table vtd.context-tables vtd.device-context vtd.pasid \
	  vtd.page-tables vtd.leaf-targets dma.containment; do
	grep -qx "$id" "$T/failed"
	ok $? "$id fails in a corrupt VT-d scenario"
	grep -qx "$id" "$T/passed"
	ok $? "$id passes in a valid VT-d scenario"
done

# The revision is chosen from the name (+version) and the data, and said.
for pair in vtd-legacy-a:A vtd-legacy-a40c:A+C vtd-legacy-v2:v2 \
	    vtd-legacy-v1post:v1 vtd-legacy-c:C vtd-rev-b:B; do
	run "${pair%%:*}"
	grep -q "^IOMMU FLB .*, ABI ${pair#*:}\$" "$T/out" && grep -q '^  layout: .*fits' "$T/out"
	ok $? "${pair%%:*}: ABI revision ${pair#*:} detected and reported"
done

run vtd-scalable-fs-c --json
grep -q '"abi_revision":"C"' "$T/out" && grep -q '"format":"first-stage"' "$T/out" &&
	grep -q '"mapping":{"runs":4,"mapped_bytes":4308992' "$T/out"
ok $? "JSON: revision, first-stage domains and the mapping summary"

run vtd-scalable-ss-c --explain --dot "$T/g.dot"
grep -q 'PASID dir 0x[0-9a-f]* -> table 0x[0-9a-f]* -> entry PGTT 2' "$T/out" &&
	grep -q 'domain 0x[0-9a-f]*: second-stage, 3 levels from 0x' "$T/out"
ok $? "--explain narrates FLB -> device -> PASID -> page tables"
grep -q '"iommu_flb" -> "iommu_units"' "$T/g.dot" && grep -q '"dev_0" -> "dom_0"' "$T/g.dot" &&
	grep -q '"dom_0" -> "pt_0"' "$T/g.dot"
ok $? "--dot draws FLB -> arrays -> devices -> domains -> page tables"
if command -v dot > /dev/null; then
	dot -Tsvg "$T/g.dot" > /dev/null 2>&1
	ok $? "graphviz accepts the graph"
fi
echo "1..$n"
[ $fails = 0 ]
