#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# What the next kernel receives is unchanged by the restore rehearsal: the
# stand-in hands over to khoprobe with khoprobe.restore=hw, which takes the
# unit over (here taking over the stand-in's queue in scalable mode) and
# then chains into a second khoprobe that rehearses again — taking over the
# first one's queue — and verifies the same handover: same chain.intact
# digest, every check passing in both.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover"
e2e_tmp
echo "1..7"
CANARY="khoprobe.dma_canary=0000:00:02.0@0x102000+0x400"
digest() { sed -n 's/.*chain.intact: digest \([0-9a-f]*\) .*/\1/p' "$1"; }

sh "$E2E_TOOLS/mkchain.sh" "$E2E_TMP/kp.cpio" "$KHOPROBE_BZ" - \
	"console=ttyS0 khoprobe.chain=never khoprobe.restore=hw $CANARY"
log=$E2E_TMP/chain.log
SI_SCALABLE=1 SI_INITRD=$E2E_TMP/kp.cpio SI_INITRD_DST=0x7000000 \
SI_CMDLINE="console=ttyS0 khoprobe.chain=always khoprobe.restore=hw $CANARY" \
	e2e_standin "$log" 90 e2e-scalable-qi
rc=$?
[ "$(grep -c '^khoprobe .*live-update handover checker' "$log")" = 2 ]
ok $? "the first khoprobe, after its rehearsal, started a second khoprobe"
[ "$(grep -c '^\[PASS\] vtd.restore' "$log")" = 2 ]
ok $? "vtd.restore passes in both"
[ "$(grep -c '^restore: unit 0xfed90000: inherited queue drained, QI disabled' "$log")" = 2 ]
ok $? "each took over a live queue: the stand-in's, then the first khoprobe's"
d1=$(digest "$log" | sed -n 1p)
d2=$(digest "$log" | sed -n 2p)
[ -n "$d1" ] && [ "$d1" = "$d2" ]
ok $? "chain.intact: both report the same handover digest ($d1 = $d2)"
[ "$(grep -c '^\[PASS\] chain.intact' "$log")" = 2 ] &&
	grep -q '^chain: handover digest [0-9a-f]* unchanged; next kernel' "$log"
ok $? "chain.intact passes in both; the first re-verified the handover just before the jump"
[ "$(grep -c '^\[PASS\] dma.live' "$log")" = 2 ]
ok $? "dma.live passes in the second: DMA still lands where the preserved tables say"
[ "$(grep -c '^verdict: pass' "$log")" = 2 ] && [ "$rc" = 1 ]
ok $? "both verdicts pass, QEMU status 1 (got $rc)"
[ "$tap_fail" = 0 ] || grep -E '^(restore|\[FAIL\]|chain|verdict|khoprobe )' "$log" | cut -c1-200 | diag
exit 0
