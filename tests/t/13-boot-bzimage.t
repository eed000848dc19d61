#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The bzImage through QEMU -kernel: QEMU enters the 16-bit stub, which
# builds a zero page with the BIOS E820 map and enters the 32-bit entry;
# the core then runs at 0x100000 although it is linked at 0, so its own
# relocation has been applied.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 30 --log "$T/log" \
	--append "console=ttyS0 khoprobe.console=ttyS0" "$BUILD/khoprobe.bzImage"
rc=$?
check "verdict fail without a handover, QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/log" '^machine: entered via linux 32-bit protocol, boot_params 0x18000 \(loader type 0xb0\)' "16-bit stub's zero page, QEMU as loader"
has "$T/log" '^machine: memory map from boot_params e820, [1-9][0-9]* entries' "E820 map collected by the stub"
has "$T/log" '^machine:   \[0x000000100000-0x00003ffe0000\) ram' "RAM entry"
has "$T/log" '^machine: command line "console=ttyS0 khoprobe.console=ttyS0"' "command line via cmd_line_ptr"
has "$T/log" '^machine: rsdp 0x[0-9a-f]+ \(bios area scan\)' "RSDP by legacy scan"
has "$T/log" '^footprint: image +\[0x100000-' "running at 0x100000 (linked at 0: relocated)"
has "$T/log" '^probe: starting from boot_params 0x18000 \(from the loader\)' "the loader's zero page is the start"
has "$T/log" '^\[PASS\] boot\.params: boot_params 0x18000' "boot.params checks that zero page"
json_ok "$T/log" fail

# The initrd QEMU loads is seen through ramdisk_image/ramdisk_size.
head -c 12345 /dev/zero > "$T/initrd"
sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 30 --log "$T/initrd.log" \
	"$BUILD/khoprobe.bzImage" -- -initrd "$T/initrd" 2>/dev/null
range=$(sed -n 's/^machine: initrd \[\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\))$/\1 \2/p' "$T/initrd.log")
set -- $range
check "initrd from the zero page, 12345 bytes (${1:-?}-${2:-?})" [ -n "$range" -a "$((${2:-0} - ${1:-0}))" -eq 12345 ]
done_testing
