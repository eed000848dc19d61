#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot an image in QEMU (TCG, q35, no default devices, no reboot) with the
# serial console captured, and report how it ended.
#
#   tests/lib/qemu.sh [options] IMAGE [-- EXTRA QEMU ARGS...]
#
#   --append STR   kernel command line (-append)
#   --efi          boot IMAGE as a UEFI application under OVMF (-bios, -kernel)
#   --efi-disk     the same from pflash firmware (OVMF_CODE_4M.fd + a copy of
#                  its variables), IMAGE as EFI/BOOT/BOOTX64.EFI on a vvfat
#                  ESP; there is no command line on this path
#   --log FILE     write the serial log there (default: stdout)
#   --show         print the serial log on stdout as well as to --log
#   --timeout S    wall-clock limit (default 60)
#   --mem SIZE     guest memory (default 1G, the canonical test guest)
#
# The log has \r and ANSI escapes removed.  Exit status:
#   the QEMU status when the guest wrote isa-debug-exit (odd: 1 pass,
#   3 fail, 5 CPU exception, 7 boot error for khoprobe);
#   124 on timeout;
#   200 when QEMU ended without a verdict (status 0 = triple fault or
#       reset under -no-reboot, or any even status): always a failure;
#   202 when QEMU itself failed (bad arguments, missing file): status 1,
#       an error from QEMU and nothing on the serial port, which would
#       otherwise read as a pass.
# QEMU_CPU overrides the CPU model (default qemu64), QEMU overrides the
# binary.  One line "qemu.sh: status N after T s" goes to stderr.
set -u

append= efi= efidisk= log= show= timeout=60 mem=1G
while [ $# -gt 0 ]; do
	case "$1" in
	--append) append=$2; shift 2 ;;
	--efi) efi=1; shift ;;
	--efi-disk) efidisk=1; shift ;;
	--log) log=$2; shift 2 ;;
	--show) show=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "qemu.sh: unknown option $1" >&2; exit 201 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: qemu.sh [options] IMAGE [-- QEMU ARGS]" >&2; exit 201; }
image=$1
shift
[ "${1:-}" = "--" ] && shift
[ -r "$image" ] || { echo "qemu.sh: cannot read $image" >&2; exit 201; }

raw=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$raw" "$work"' EXIT
qerr=$work/qemu.err
if [ -n "$efidisk" ]; then
	ovmf=${OVMF_DIR:-/usr/share/OVMF}
	mkdir -p "$work/esp/EFI/BOOT"
	cp "$image" "$work/esp/EFI/BOOT/BOOTX64.EFI"
	cp "$ovmf/OVMF_VARS_4M.fd" "$work/vars.fd"
	set -- -drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf/OVMF_CODE_4M.fd" \
		-drive "if=pflash,format=raw,unit=1,file=$work/vars.fd" \
		-drive "file=fat:rw:$work/esp,format=raw,media=disk" "$@"
else
	set -- -kernel "$image" "$@"
	[ -n "$append" ] && set -- -append "$append" "$@"
	if [ -n "$efi" ]; then
		set -- -bios "${OVMF_FD:-/usr/share/ovmf/OVMF.fd}" "$@"
	fi
fi

start=$(date +%s.%N)
timeout -k 5 "$timeout" "${QEMU:-qemu-system-x86_64}" \
	-M q35 -m "$mem" -cpu "${QEMU_CPU:-qemu64}" -accel tcg \
	-nodefaults -no-reboot -display none -monitor none \
	-serial "file:$raw" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	"$@" </dev/null 2>"$qerr"
status=$?
cat "$qerr" >&2
end=$(date +%s.%N)

clean() {
	tr -d '\r' < "$raw" | sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g; s/\x1b[()][A-Z0-9]//g'
}
if [ -n "$log" ]; then
	clean > "$log"
	[ -n "$show" ] && cat "$log"
else
	clean
fi

secs=$(echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }')
echo "qemu.sh: status $status after $secs s" >&2
if [ "$status" -eq 1 ] && [ ! -s "$raw" ] && [ -s "$qerr" ]; then
	echo "qemu.sh: QEMU failed before the guest ran" >&2
	exit 202
fi
case $status in
124|137) exit 124 ;;
*) [ $((status % 2)) -eq 1 ] && exit "$status"
   echo "qemu.sh: no verdict from the guest (QEMU status $status: triple fault, reset or crash)" >&2
   exit 200 ;;
esac
