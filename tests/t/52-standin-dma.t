#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The old-kernel stand-in boots under QEMU with intel-iommu and edu, takes a
# produced handover, leaves translation on through the preserved tables
# (legacy, scalable with QI, khoprobe above 4 GiB) and enters khoprobe.bzImage
# the way kexec does.  dma.live must pass on the good scenarios (with and
# without a canary) and fail when the stand-in broke a mapping live.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover"
e2e_tmp
echo "1..28"
CANARY="khoprobe.dma_canary=0000:00:02.0@0x102000+0x400"

# run NAME SCENARIO CMDLINE [ENV...]: log in $E2E_TMP/NAME.log, status in $rc
run() {
	_n=$1
	_s=$2
	_c=$3
	shift 3
	env SI_CMDLINE="console=ttyS0 khoprobe.chain=never $_c" "$@" \
		sh -c '. "$0"; E2E_TMP=$1; e2e_standin "$2" 60 "$3"' \
		"$E2E_TOOLS/lib.sh" "$E2E_TMP" "$E2E_TMP/$_n.log" "$_s"
	rc=$?
	log=$E2E_TMP/$_n.log
}

st() { e2e_check_status "$log" "$1"; }
show() { [ "$tap_fail" = "$1" ] || { tail -n 40 "$log" | cut -c1-300 | diag; tail -n 3 "$log.qemu" | diag; }; }

f=$tap_fail
run legacy e2e-legacy "$CANARY"
grep -q 'STANDIN: VT-d .*(legacy), QI off, translation on' "$log"
ok $? "legacy: stand-in left translation on through the preserved root table"
grep -q 'machine: entered via linux 64-bit entry (kexec).*loader type 0xd0' "$log"
ok $? "legacy: khoprobe entered at +0x200 with the zero page in RSI"
[ "$rc" = 1 ] && [ "$(e2e_verdict "$log")" = pass ]
ok $? "legacy: verdict pass, QEMU status 1 (got $rc)"
[ "$(st vtd.hw-translation)" = pass ] && [ "$(st vtd.hw-faults)" = pass ]
ok $? "legacy: vtd.hw-translation and vtd.hw-faults pass on the live unit"
[ "$(st dma.live)" = pass ] && e2e_check_detail "$log" dma.live | grep -q 'landed at PA .* as the walk predicts'
ok $? "legacy: dma.live passes: the device's copy landed at the walk's PA"
show "$f"

f=$tap_fail
run readonly e2e-legacy ""
[ "$(st dma.live)" = pass ] && e2e_check_detail "$log" dma.live | grep -q 'canary: nothing written'
ok $? "no canary: dma.live reads only and says so"
e2e_check_detail "$log" dma.live | grep -q 'read of unmapped IOVA .* faulted'
ok $? "no canary: a read of an unmapped IOVA faulted as the walk predicts"
[ "$rc" = 1 ]
ok $? "no canary: verdict pass"
show "$f"

f=$tap_fail
run scalable e2e-scalable-qi "$CANARY" SI_SCALABLE=1
grep -q 'STANDIN: VT-d .*(scalable), QI on, translation on' "$log"
ok $? "scalable: x-scalable-mode with queued invalidation left on"
[ "$(st vtd.hw-translation)" = pass ] && [ "$(st dma.live)" = pass ]
ok $? "scalable: hardware translation and dma.live pass"
[ "$rc" = 1 ]
ok $? "scalable: verdict pass (status $rc)"
show "$f"

f=$tap_fail
run high e2e-legacy-high "$CANARY" SI_MEM=6144 SI_LOAD=0x100000000
grep -q 'footprint: total .* within \[0x100000000-' "$log"
ok $? "above 4 GiB: khoprobe ran from the scratch area at 4 GiB"
[ "$(st kho.self-in-scratch)" = pass ] && [ "$(st kho.scratch)" = pass ]
ok $? "above 4 GiB: kho.scratch and kho.self-in-scratch pass"
[ "$(st dma.live)" = pass ] && [ "$rc" = 1 ]
ok $? "above 4 GiB: dma.live and the verdict pass"
show "$f"

f=$tap_fail
run la57 e2e-scalable-qi "$CANARY" SI_SCALABLE=1 SI_CPU=max,+la57
grep -q 'STANDIN: kexec jump to .* CR4 1020 (5-level paging)' "$log"
ok $? "5-level: the stand-in entered khoprobe with CR4 = PAE | LA57"
grep -q '^paging: 5-level identity map' "$log"
ok $? "5-level: khoprobe kept 5-level paging"
[ "$(st dma.live)" = pass ] && [ "$rc" = 1 ]
ok $? "5-level: dma.live and the verdict pass (status $rc)"
show "$f"

f=$tap_fail
run stale e2e-stale-iotlb "$CANARY"
grep -q 'STANDIN: broke IOVA 102000: .* IOTLB left stale' "$log"
ok $? "stale IOTLB: the stand-in rewrote the canary PTE without invalidating"
[ "$(st dma.live)" = fail ] && e2e_check_detail "$log" dma.live | grep -q 'is not at PA .* where the walk sends it'
ok $? "stale IOTLB: dma.live fails: data did not land where the tables say"
[ "$(st vtd.page-tables)" = pass ] && [ "$(st vtd.leaf-targets)" = pass ]
ok $? "stale IOTLB: the tables in memory alone look fine"
[ "$rc" = 3 ]
ok $? "stale IOTLB: verdict fail, QEMU status 3 (got $rc)"
show "$f"

f=$tap_fail
run remap e2e-remap-unpreserved "$CANARY"
grep -q 'IOTLB invalidated' "$log"
ok $? "remap: the stand-in remapped the canary and invalidated"
[ "$(st dma.live)" = fail ] && e2e_check_detail "$log" dma.live | grep -q 'not preserved memory: no DMA done'
ok $? "remap: dma.live fails and does not DMA into unpreserved memory"
[ "$(st vtd.leaf-targets)" = fail ] && [ "$rc" = 3 ]
ok $? "remap: vtd.leaf-targets fails too, verdict fail"
show "$f"

f=$tap_fail
run teoff e2e-te-off "$CANARY"
grep -q 'STANDIN: VT-d .*translation off' "$log"
ok $? "TE off: the stand-in shut translation off like a normal kexec"
[ "$(st dma.live)" = fail ] && e2e_check_detail "$log" dma.live | grep -q 'translation is off'
ok $? "TE off: dma.live fails without doing a DMA"
[ "$(st vtd.hw-translation)" = fail ] && [ "$rc" = 3 ]
ok $? "TE off: vtd.hw-translation fails, verdict fail"
show "$f"

[ -z "$(cat "$E2E_TMP"/*.log.qemu | grep -i 'hardware error\|abort')" ]
ok $? "QEMU reported no device errors in any run"
exit 0
