#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The restore rehearsal (khoprobe.restore=hw, vtd.restore) under QEMU with
# the old-kernel stand-in: khoprobe takes the live VT-d unit over the way
# the next kernel will (own invalidation queue, SRTP with the preserved
# root while translation stays on, global invalidations, DID reservation)
# with dma.live proving the device's DMA between every step, in legacy and
# scalable mode, with and without queued invalidation left on.  Where the
# stand-in leaves a unit that must not be taken over (another root table,
# translation off, a queue that never drains) the rehearsal refuses, says
# why, touches nothing and never hangs.  The default stays read-only.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover"
e2e_tmp
echo "1..44"
CANARY="khoprobe.dma_canary=0000:00:02.0@0x102000+0x400"
RESTORE="khoprobe.restore=hw"

# run NAME SCENARIO CMDLINE [ENV...]: log in $E2E_TMP/NAME.log, status in $rc
run() {
	_n=$1
	_s=$2
	_c=$3
	shift 3
	_t0=$(date +%s)
	env SI_CMDLINE="console=ttyS0 khoprobe.chain=never $_c" "$@" \
		sh -c '. "$0"; E2E_TMP=$1; e2e_standin "$2" 60 "$3"' \
		"$E2E_TOOLS/lib.sh" "$E2E_TMP" "$E2E_TMP/$_n.log" "$_s"
	rc=$?
	secs=$(($(date +%s) - _t0))
	log=$E2E_TMP/$_n.log
}

st() { e2e_check_status "$log" "$1"; }
detail() { e2e_check_detail "$log" vtd.restore; }
steps() { sed -n 's/^restore: //p' "$log"; }
# in_order PATTERN...: the restore step lines match the patterns in this order
in_order() {
	steps | perl -e '@p = @ARGV; while (<STDIN>) { shift @p if @p && /$p[0]/ } exit(@p ? 1 : 0)' "$@"
}
show() { [ "$tap_fail" = "$1" ] || { grep -E '^(restore|\[FAIL\]|STANDIN)' "$log" | cut -c1-300 | diag; tail -n 3 "$log.qemu" | diag; }; }

good() {	# good NAME: the checks every good path must show
	[ "$rc" = 1 ] && [ "$(e2e_verdict "$log")" = pass ]
	ok $? "$1: verdict pass, QEMU status 1 (got $rc)"
	[ "$(st vtd.restore)" = pass ] && detail | grep -q 'taken over (queue, SRTP, invalidations), [0-9]* blocks claimed, 1 DID(s) reserved; dma.live passed at all [0-9]* points'
	ok $? "$1: vtd.restore passes: $(detail | cut -c1-150)"
	[ "$(st dma.live)" = pass ] && [ "$(st chain.intact)" = pass ]
	ok $? "$1: dma.live and chain.intact still pass after the rehearsal"
}

f=$tap_fail
run legacy e2e-legacy "$RESTORE $CANARY"
good "legacy, QI off"
in_order 'claims: [0-9]+ preserved blocks' 'DIDs: unit 0xfed90000: 1 reserved' \
	'DMA before the takeover: dma.live pass' \
	'own queue at 0x[0-9a-f]+ \(128-bit descriptors\), IQT 0, QI enabled' 'DMA on our queue: dma.live pass' \
	'RTADDR 0x[0-9a-f]+ TTM 0, SRTP, translation still on' 'DMA after SRTP: dma.live pass' \
	'global context-cache and IOTLB invalidation, wait status 1 written' 'DMA after the invalidations: dma.live pass' \
	'QI disabled again and IQT 0, as found on entry' 'DMA with QI off again: dma.live pass'
ok $? "legacy, QI off: claims, DIDs, own queue, SRTP, invalidations, QI off again, with a passing DMA proof after each"
detail | grep -q 'dma.live passed at all 5 points'
ok $? "legacy, QI off: five DMA proofs (device copy over the canary, checked at the walk's PA)"
show "$f"

f=$tap_fail
run legacyqi e2e-restore-legacy-qi "$RESTORE"
grep -q 'STANDIN: VT-d .*(legacy), QI on, translation on' "$log"
ok $? "legacy, QI on: the stand-in left queued invalidation on"
good "legacy, QI on, no canary"
in_order 'DMA before the takeover: dma.live pass' 'inherited queue drained, QI disabled' 'DMA with QI disabled: dma.live pass' \
	'own queue .*128-bit' 'DMA on our queue' 'SRTP' 'invalidation, wait status' 'DMA after the invalidations: dma.live pass'
ok $? "legacy, QI on: the inherited queue is drained and stopped before ours starts"
! steps | grep -q 'QI disabled again'
ok $? "legacy, QI on: our queue stays on, as the unit's queue was on at entry"
[ "$(steps | grep -c 'dma.live pass')" = 5 ] && e2e_check_detail "$log" dma.live | grep -q 'read of unmapped IOVA .* faulted'
ok $? "legacy, QI on: without a canary each proof is dma.live's read/fault probe (5 passes)"
show "$f"

f=$tap_fail
run scalable e2e-scalable-qi "$RESTORE $CANARY" SI_SCALABLE=1
grep -q 'STANDIN: VT-d .*(scalable), QI on, translation on' "$log"
ok $? "scalable, QI on: the stand-in left scalable mode with queued invalidation"
good "scalable, QI on"
in_order 'inherited queue drained, QI disabled' 'own queue .*\(256-bit descriptors\)' 'TTM 1, SRTP' \
	'global context-cache, PASID-cache and IOTLB invalidation'
ok $? "scalable, QI on: 256-bit queue, TTM kept scalable, PASID-cache invalidation included"
show "$f"

f=$tap_fail
run scalableoff e2e-restore-scalable "$RESTORE $CANARY" SI_SCALABLE=1
grep -q 'STANDIN: VT-d .*(scalable), QI off, translation on' "$log"
ok $? "scalable, QI off: the stand-in left queued invalidation off"
good "scalable, QI off"
in_order 'own queue .*256-bit' 'TTM 1, SRTP' 'PASID-cache' 'QI disabled again and IQT 0, as found on entry' 'DMA with QI off again: dma.live pass'
ok $? "scalable, QI off: our queue is set up, used and stopped again"
show "$f"

f=$tap_fail
run high e2e-legacy-high "$RESTORE $CANARY" SI_MEM=6144 SI_LOAD=0x100000000
good "khoprobe above 4 GiB"
steps | grep -q 'own queue at 0x1[0-9a-f]\{8\} '
ok $? "khoprobe above 4 GiB: its queue and status word lie above 4 GiB ($(steps | sed -n 's/.*own queue at \(0x[0-9a-f]*\).*/\1/p'))"
show "$f"

f=$tap_fail
run default e2e-legacy "$CANARY"
[ "$(st vtd.restore)" = skip ] && detail | grep -q 'not requested'
ok $? "default: vtd.restore skips, the rehearsal was not requested"
[ -z "$(steps)" ] && [ "$rc" = 1 ]
ok $? "default: no rehearsal step taken, verdict pass"
digest() { sed -n 's/.*chain.intact: digest \([0-9a-f]*\) .*/\1/p' "$1"; }
d1=$(digest "$E2E_TMP/legacy.log")
d2=$(digest "$log")
[ -n "$d1" ] && [ "$d1" = "$d2" ]
ok $? "chain.intact digest with the rehearsal equals the one without ($d1 = $d2)"
show "$f"

# refuse CASE: vtd.restore fails with the refusal, nothing was touched
refused() {
	[ "$(st vtd.restore)" = fail ] && detail | grep -q "^takeover refused: $2"
	ok $? "$1: vtd.restore refuses: $(detail | cut -c1-160)"
	! steps | grep -q '^unit \|^claims\|^DMA '
	ok $? "$1: no claim, no DMA, no register written"
	[ "$rc" = 3 ] && [ "$secs" -lt 40 ]
	ok $? "$1: verdict fail, QEMU status 3 (got $rc) after ${secs}s: no hang"
}

f=$tap_fail
run rootcopy e2e-restore-root-copy "$RESTORE $CANARY"
grep -q 'STANDIN: VT-d .*RTADDR' "$log" && [ "$(st vtd.hw-translation)" = fail ]
ok $? "root copy: the unit translates through another root table (vtd.hw-translation fails too)"
refused "root copy" 'unit 0xfed90000 translates through root table 0x[0-9a-f]*, not the preserved 0x'
show "$f"

f=$tap_fail
run teoff e2e-te-off "$RESTORE $CANARY"
refused "TE off" 'translation is off on unit 0xfed90000'
show "$f"

f=$tap_fail
run stuck e2e-restore-qi-stuck "$RESTORE $CANARY"
grep -q 'STANDIN: queue jammed: .*FSTS 10' "$log" && [ "$(st vtd.hw-faults)" = pass ]
ok $? "stuck queue: the stand-in jammed the queue (FSTS.IQE); the read-only checks cannot see it"
refused "stuck queue" 'invalidation queue of unit 0xfed90000 does not drain: IQH [0-9]*, IQT [0-9]* after 100 ms, FSTS.IQE set'
show "$f"

f=$tap_fail
run sstuck e2e-restore-scalable-qi-stuck "$RESTORE" SI_SCALABLE=1
refused "scalable stuck queue" 'invalidation queue of unit 0xfed90000 does not drain: IQH [0-9]*, IQT [0-9]* after 100 ms, FSTS.IQE set'
show "$f"

[ -z "$(cat "$E2E_TMP"/*.log.qemu | grep -i 'hardware error\|abort\|assert')" ]
ok $? "QEMU reported no device errors or aborts in any run"
exit 0
