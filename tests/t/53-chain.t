#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Chaining.  The stand-in hands over to khoprobe with translation and DMA
# live; khoprobe's initrd is a chain archive (docs/chain.md).
#  1. next = a second khoprobe: it must verify the same handover and report
#     the same chain.intact digest as the first.
#  2. next = Debian's Linux with a tiny initramfs: it must reach its /init.
#  3. khoprobe.chain=pass with a failing verdict must not chain.
#  4. a device write into the handover lands while khoprobe runs
#     (scenario e2e-dma-late): chain.intact fails and even
#     khoprobe.chain=always refuses to chain.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover" "$E2E_KERNEL" "$E2E_INIT"
e2e_tmp
echo "1..18"
CANARY="khoprobe.dma_canary=0000:00:02.0@0x102000+0x400"
digest() { sed -n 's/.*chain.intact: digest \([0-9a-f]*\) .*/\1/p' "$1"; }

# 1: into a second khoprobe
sh "$E2E_TOOLS/mkchain.sh" "$E2E_TMP/kp.cpio" "$KHOPROBE_BZ" - \
	"console=ttyS0 khoprobe.chain=never"
log=$E2E_TMP/kp.log
SI_INITRD=$E2E_TMP/kp.cpio SI_INITRD_DST=0x7000000 \
SI_CMDLINE="console=ttyS0 khoprobe.chain=always $CANARY" \
	e2e_standin "$log" 60 e2e-legacy
rc=$?
[ "$(grep -c '^khoprobe .*live-update handover checker' "$log")" = 2 ]
ok $? "khoprobe started a second khoprobe"
grep -q '^chain: handover digest [0-9a-f]* unchanged; next kernel' "$log"
ok $? "the first re-verified the handover just before the jump"
grep -q 'boot_params 0x[0-9a-f]* (loader type 0xd0)' "$log" &&
	[ "$(grep -c 'machine: entered via linux 64-bit entry (kexec)' "$log")" = 2 ]
ok $? "both were entered at the 64-bit entry with a kexec-style zero page"
d1=$(digest "$log" | sed -n 1p)
d2=$(digest "$log" | sed -n 2p)
[ -n "$d1" ] && [ "$d1" = "$d2" ]
ok $? "chain.intact: both report the same handover digest ($d1 = $d2)"
[ "$(grep -c '^\[PASS\] chain.intact' "$log")" = 2 ]
ok $? "chain.intact passes in both"
[ "$(grep -c '^verdict: pass' "$log")" = 2 ] && [ "$rc" = 1 ]
ok $? "the second khoprobe's verdict is pass too (status $rc)"
grep -q '^\[PASS\] dma.live' "$log" && grep -q 'kho.present: KHO node' "$log"
ok $? "the handover still carried KHO and live DMA after the chain"
[ "$tap_fail" = 0 ] || tail -n 30 "$log" | cut -c1-200 | diag

# 2: into Debian's Linux
f=$tap_fail
sh "$E2E_TOOLS/mkinitramfs.sh" "$E2E_TMP/marker.cpio" "$E2E_INIT"
sh "$E2E_TOOLS/mkchain.sh" "$E2E_TMP/linux.cpio" "$E2E_KERNEL" \
	"$E2E_TMP/marker.cpio" "console=ttyS0 panic=-1 quiet nokaslr e2e.mode=marker"
log=$E2E_TMP/linux.log
SI_INITRD=$E2E_TMP/linux.cpio SI_INITRD_DST=0x7000000 \
SI_CMDLINE="console=ttyS0 $CANARY" \
	e2e_standin "$log" 120 e2e-legacy
rc=$?
grep -q '^verdict: pass' "$log"
ok $? "khoprobe's verdict is pass (default khoprobe.chain=pass chains)"
grep -q 'chain: handover digest .*(init_size 0x[0-9a-f]*), entry .* initrd 0x[0-9a-f]*+0x[0-9a-f]*, setup_data 0x' "$log"
ok $? "khoprobe placed Debian's kernel and its initrd in scratch and passed setup_data on"
grep -q 'E2E-INIT: reached /init of Linux' "$log"
ok $? "Debian's Linux reached its init: $(sed -n 's/E2E-INIT: reached \/init of //p' "$log")"
[ "$rc" = "$E2E_RC_INIT_OK" ]
ok $? "QEMU status $rc is the init's marker status $E2E_RC_INIT_OK"
[ "$tap_fail" = "$f" ] || tail -n 30 "$log" | cut -c1-200 | diag

# 3: a failing verdict with khoprobe.chain=pass stays put
f=$tap_fail
log=$E2E_TMP/nochain.log
SI_INITRD=$E2E_TMP/kp.cpio SI_INITRD_DST=0x7000000 \
SI_CMDLINE="console=ttyS0 khoprobe.chain=pass $CANARY" \
	e2e_standin "$log" 60 e2e-stale-iotlb
rc=$?
grep -q 'chain: not chaining: the verdict is fail (khoprobe.chain=pass)' "$log"
ok $? "chain=pass: a failed verdict (dma.live) does not chain"
[ "$(grep -c '^khoprobe .*live-update handover checker' "$log")" = 1 ] && [ "$rc" = 3 ]
ok $? "only one khoprobe ran, status 3 (got $rc)"
log=$E2E_TMP/always.log
SI_INITRD=$E2E_TMP/kp.cpio SI_INITRD_DST=0x7000000 \
SI_CMDLINE="console=ttyS0 khoprobe.chain=always $CANARY" \
	e2e_standin "$log" 60 e2e-stale-iotlb
[ "$(grep -c '^khoprobe .*live-update handover checker' "$log")" = 2 ]
ok $? "chain=always chains even after a failed verdict"
[ "$tap_fail" = "$f" ] || tail -n 30 "$log" | cut -c1-200 | diag

# 4: the handover changes under khoprobe
f=$tap_fail
log=$E2E_TMP/late.log
SI_INITRD=$E2E_TMP/kp.cpio SI_INITRD_DST=0x7000000 \
SI_CMDLINE="console=ttyS0 khoprobe.chain=always" \
	e2e_standin "$log" 60 e2e-dma-late
rc=$?
grep -q 'STANDIN: edu write to IOVA .* started, lands after the jump' "$log"
ok $? "late DMA: the stand-in left a device write in flight"
[ "$(e2e_check_status "$log" chain.intact)" = fail ] &&
	e2e_check_detail "$log" chain.intact | grep -q 'changed since the checks read it'
ok $? "late DMA: chain.intact fails: $(e2e_check_detail "$log" chain.intact | cut -c1-70)"
grep -q '^chain: refusing to chain: page 0x[0-9a-f]* of the handover changed' "$log" &&
	[ "$(grep -c '^khoprobe .*live-update handover checker' "$log")" = 1 ]
ok $? "late DMA: khoprobe.chain=always still refuses to chain a changed handover"
[ "$rc" = 3 ] && [ "$(grep -c '^\[FAIL\]' "$log")" = 1 ]
ok $? "late DMA: chain.intact is the only failing check, status 3 (got $rc)"
[ "$tap_fail" = "$f" ] || tail -n 30 "$log" | cut -c1-200 | diag
exit 0
