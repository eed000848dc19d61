#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The whole live-update story in one QEMU run (make demo):
#   1. an old kernel (the stand-in) preserved QEMU's edu device and its
#      IOMMU domain, left VT-d translating through the preserved tables,
#      and kexecs into khoprobe with a handover (scenario e2e-legacy);
#   2. khoprobe verifies the handover, makes edu DMA through a preserved
#      mapping into a canary and shows it landed where the tables say;
#   3. khoprobe chains into Debian's Linux, which reaches its init.
# The serial console is shown as it comes; a summary follows.
. "$(dirname "$0")/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover" "$E2E_KERNEL" "$E2E_INIT"
out=$E2E/demo
rm -rf "$out" && mkdir -p "$out"
E2E_TMP=$out
CANARY=0000:00:02.0@0x102000+0x400
NEXT="console=ttyS0 panic=-1 quiet nokaslr e2e.mode=marker"

echo "demo: old kernel: the stand-in (build/e2e/standin.elf) with handover e2e-legacy:"
echo "demo:   edu 00:02.0 in a preserved VT-d domain, IOVA 0x100000 -> 16 preserved pages, translation on"
echo "demo: khoprobe: build/khoprobe.bzImage, khoprobe.dma_canary=$CANARY"
echo "demo: next OS: Debian's $(cat "$E2E/kernel/version") with a one-file initramfs (chain archive, docs/chain.md)"
echo
sh "$E2E_TOOLS/mkinitramfs.sh" "$out/marker.cpio" "$E2E_INIT"
sh "$E2E_TOOLS/mkchain.sh" "$out/chain.cpio" "$E2E_KERNEL" "$out/marker.cpio" "$NEXT"

start=$(date +%s.%N)
{
	SI_INITRD=$out/chain.cpio SI_INITRD_DST=0x7000000 \
	SI_CMDLINE="console=ttyS0 khoprobe.dma_canary=$CANARY" E2E_STDOUT=1 \
		e2e_standin "$out/serial" 120 e2e-legacy
	echo $? >"$out/status"
} | sed -u 's/\r//g; s/\x1b\[[0-9;?]*[A-Za-z]//g' | tee "$out/serial.log" |
	grep --line-buffered -v '^\(ok\|not ok\) [0-9]\|^# \|^1\.\.\|^KTAP\|^[[:space:]]*$' |
	sed -u 's/^\(KHOPROBE-JSON: .\{100\}\).*/\1 .../'
end=$(date +%s.%N)
rc=$(cat "$out/status")
log=$out/serial.log
echo
echo "demo: ---- summary ----"
echo "demo: khoprobe verdict: $(e2e_verdict "$log")"
for id in vtd.hw-translation dma.containment dma.live chain.intact; do
	echo "demo: $id: $(e2e_check_status "$log" "$id"): $(e2e_check_detail "$log" "$id")"
done
grep '^timing:' "$log" | sed 's/^/demo: khoprobe /'
if grep -q 'E2E-INIT: reached /init' "$log"; then
	echo "demo: chained: $(sed -n 's/^E2E-INIT: //p' "$log" | head -n 1)"
else
	echo "demo: the next OS did not reach its init"
fi
echo "demo: QEMU status $rc after $(awk "BEGIN { printf \"%.1f\", $end - $start }") s; full log: $log"
[ "$rc" = "$E2E_RC_INIT_OK" ]
