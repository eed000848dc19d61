#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make bench (e2e): one QEMU run (q35, intel-iommu, edu, 1 GiB, TCG) of the
# whole path: stand-in -> khoprobe (default options: dma.live reads only,
# chain=pass) -> Debian's Linux -> its init.  From that run:
#   khoprobe's entry to verdict (its TSC, converted with its calibration),
#   wall clock from QEMU start to the verdict line (host),
#   Linux from khoprobe's jump to its /init (guest TSC: same CPU, same run),
#   and the ratio of the two guest figures (target: below 1/20).
. "$(dirname "$0")/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover" "$E2E_KERNEL" "$E2E_INIT" >/dev/null
out=$E2E/bench
rm -rf "$out" && mkdir -p "$out"
E2E_TMP=$out
sh "$E2E_TOOLS/mkinitramfs.sh" "$out/marker.cpio" "$E2E_INIT"
sh "$E2E_TOOLS/mkchain.sh" "$out/chain.cpio" "$E2E_KERNEL" "$out/marker.cpio" \
	"console=ttyS0 panic=-1 quiet nokaslr e2e.mode=marker"
e2e_handover e2e-legacy "$out/seg-e2e-legacy"

# Host time of every serial line, in ms since just before QEMU starts.
{
	SI_INITRD=$out/chain.cpio SI_INITRD_DST=0x7000000 \
	SI_CMDLINE="console=ttyS0" E2E_STDOUT=1 \
		e2e_standin "$out/serial" 120 e2e-legacy
	echo $? >"$out/status"
} | perl -MTime::HiRes=time -ne 'BEGIN { $t0 = time; $| = 1 }
	s/\r//g; printf "%.1f %s", (time - $t0) * 1000, $_' >"$out/timed.log"

sed 's/^[0-9.]* //' "$out/timed.log" >"$out/serial.log"
log=$out/serial.log
rc=$(cat "$out/status")
if [ "$rc" != "$E2E_RC_INIT_OK" ]; then
	echo "bench-e2e: the run did not reach Linux's init (status $rc), see $log" >&2
	exit 1
fi
perl -ne '
	$kp = $1 / 1000 if /^timing: entry to verdict (\d+) us/;
	$jump = $1 if /^chain: jumping at tsc (\d+)/;
	($init, $hz) = ($1, $2) if /^E2E-INIT: tsc=(\d+) tsc_hz=(\d+)/;
	END {
		die "bench-e2e: figures missing\n" unless $kp && $jump && $init && $hz;
		$linux = ($init - $jump) * 1000 / $hz;
		printf "bench e2e-khoprobe-entry-to-verdict: %.1f ms\n", $kp;
		printf "bench e2e-linux-boot-to-init: %.1f ms\n", $linux;
		printf "bench e2e-khoprobe-over-linux: %.4f ratio\n", $kp / $linux;
		printf "bench e2e-linux-over-khoprobe: %.1f x\n", $linux / $kp;
		printf STDERR "bench-e2e: khoprobe takes 1/%.0f of the kernel'"'"'s boot to init (target: under 1/20)%s\n",
			$linux / $kp, $kp * 20 < $linux ? "" : " -- MISSED";
	}' "$log" || exit 1
awk '/ verdict: / && !v { v = $1 }
     / E2E-INIT: reached/ { init = $1 }
     END {
	printf "bench e2e-qemu-start-to-verdict: %.0f ms\n", v
	printf "bench e2e-qemu-start-to-linux-init: %.0f ms\n", init
     }' "$out/timed.log"
