#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# No-write proof for the restore rehearsal.  As in test 54: the stand-in
# (scalable mode, queue left on) stops before its jump, all guest RAM is
# dumped over the QEMU monitor, khoprobe runs with khoprobe.restore=hw and
# a canary, and RAM is dumped again.  The takeover (queue stopped and
# re-created, SRTP, invalidations, DMA between every step) must change no
# byte outside khoprobe's own footprint: not a context, PASID or page-table
# entry, not the old kernel's queue, nothing preserved.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover"
e2e_tmp
echo "1..5"
MEM=0x20000000	# -m 512: all of RAM below the PCI hole
CMD="khoprobe.restore=hw khoprobe.dma_canary=0000:00:02.0@0x102000+0x400"

dir=$E2E_TMP/restore
mkdir -p "$dir"
(
	trap - EXIT INT TERM
	E2E_SERIAL="unix:$dir/serial.sock,server=on,wait=on" SI_WAIT=1 \
	SI_MEM=512 SI_SRC=0x18000000 SI_SCALABLE=1 \
	SI_CMDLINE="console=ttyS0 khoprobe.exit=halt khoprobe.chain=never $CMD" \
		e2e_standin "$dir/qemu" 120 e2e-scalable-qi \
		-monitor "unix:$dir/monitor.sock,server=on,wait=off"
) &
qpid=$!
E2E_QEMU_PID=$qpid
perl "$E2E_TOOLS/nowrite.pl" "$dir/serial.sock" "$dir/monitor.sock" \
	"$dir" "$MEM" 2>"$dir/nowrite.err"
driver=$?
wait "$qpid"
E2E_QEMU_PID=
log=$dir/serial.log
allow=$(sed -n 's/^footprint: [a-z ()]*\[\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)).*/\1-\2/p' "$log" |
	grep -v '^$' | tr '\n' ' ')
# shellcheck disable=SC2086
[ -f "$dir/after.bin" ] && perl "$E2E_TOOLS/memdiff.pl" "$dir/before.bin" \
	"$dir/after.bin" $allow >"$dir/diff.txt"
outside=$(sed -n 's/^outside //p' "$dir/diff.txt" 2>/dev/null)
inside=$(sed -n 's/^inside //p' "$dir/diff.txt" 2>/dev/null)

[ "$driver" = 0 ] && [ -s "$dir/before.bin" ] && [ -s "$dir/after.bin" ]
ok $? "RAM dumped before the jump into khoprobe and after its report"
[ "$(e2e_check_status "$log" vtd.restore)" = pass ] && [ "$(e2e_verdict "$log")" = pass ]
ok $? "the rehearsal ran and passed: $(e2e_check_detail "$log" vtd.restore | cut -c1-120)"
grep -q '^restore: unit 0xfed90000: inherited queue drained, QI disabled' "$log" &&
	grep -q '^restore: unit 0xfed90000: global context-cache, PASID-cache and IOTLB invalidation, wait status 1 written' "$log"
ok $? "it stopped the old queue and completed a wait descriptor on its own"
[ -n "$allow" ] && [ "${inside:-0}" -gt 0 ]
ok $? "the comparison sees khoprobe's own writes (its queue and status pages among them): $inside bytes inside its footprint"
[ "$outside" = 0 ]
ok $? "0 bytes changed outside khoprobe's footprint after the takeover (got ${outside:-none})"
if [ "$tap_fail" != 0 ]; then
	cat "$dir/nowrite.err" "$dir/diff.txt" 2>/dev/null | head -20 | diag
	tail -n 20 "$log" 2>/dev/null | cut -c1-200 | diag
fi
rm -f "$dir/before.bin" "$dir/after.bin" "$dir/after.elf"
exit 0
