#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The UEFI application boots under OVMF (QEMU -bios OVMF.fd -kernel), takes
# its command line from LoadOptions, the RSDP from the configuration table
# and the memory map from GetMemoryMap, runs the checks in its own CPU
# world, shows a summary on ConOut, leaves boot services and exits.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

sh "$TAP_ROOT/tests/lib/qemu.sh" --efi --timeout 60 --log "$T/log" \
	--append "khoprobe.efitest=1" "$BUILD/khoprobe.efi"
rc=$?
check "EFI run: verdict fail without a handover, QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/log" '^khoprobe 0\.1\.0: UEFI application at 0x[0-9a-f]+; checking, the report goes to serial port 0x3f8' "ConOut banner"
has "$T/log" '^machine: entered via uefi, efi system table 0x' "entered as a UEFI application"
has "$T/log" '^machine: memory map from uefi memory map, [0-9]+ entries' "memory map from GetMemoryMap"
has "$T/log" '^machine: command line "khoprobe\.efitest=1"' "command line from LoadOptions"
has "$T/log" '^option: unknown option khoprobe\.efitest' "unknown option reported"
has "$T/log" '^machine: rsdp 0x[0-9a-f]+ \(efi configuration table\)' "RSDP from the configuration table"
has "$T/log" '^paging: 4-level identity map' "own page tables after ExitBootServices"
has "$T/log" '^footprint: heap ' "footprint"
has "$T/log" '^\[FAIL\] kho\.present: ' "human report"
has "$T/log" '^KTAP version 1$' "KTAP"
json_ok "$T/log" fail
has "$T/log" '^khoprobe: verdict fail, 1 of [0-9]+ checks failed$' "summary on ConOut after the report"
has "$T/log" '^  \[FAIL\] kho\.present: ' "summary names the failed check"
has "$T/log" '^khoprobe: exit fail \(isa-debug-exit 1' "resumed after ExitBootServices and exited"
n=$(grep -n '^khoprobe: verdict fail, ' "$T/log" | cut -d: -f1)
j=$(grep -n '^KHOPROBE-JSON: ' "$T/log" | cut -d: -f1)
check "summary comes after the JSON line (lines ${j:-?} < ${n:-?})" [ "${j:-0}" -gt 0 -a "${n:-0}" -gt "${j:-0}" ]

# From pflash firmware (OVMF_CODE_4M + variables) and a vvfat ESP, as
# EFI/BOOT/BOOTX64.EFI: the firmware's boot manager starts it.
sh "$TAP_ROOT/tests/lib/qemu.sh" --efi-disk --timeout 60 --log "$T/disk" \
	"$BUILD/khoprobe.efi" 2>/dev/null
rc=$?
check "ESP boot: QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/disk" '^machine: entered via uefi, efi system table 0x' "ESP boot: entered as a UEFI application"
has "$T/disk" '^machine: rsdp 0x[0-9a-f]+ \(efi configuration table\)' "ESP boot: RSDP"
json_ok "$T/disk" fail
done_testing
