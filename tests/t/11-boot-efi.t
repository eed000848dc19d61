#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The UEFI application boots under OVMF (QEMU -bios OVMF.fd -kernel), takes
# its command line from LoadOptions, the RSDP from the configuration table
# and the memory map from GetMemoryMap, leaves boot services and reports.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

sh "$TAP_ROOT/tests/lib/qemu.sh" --efi --timeout 60 --log "$T/log" \
	--append "khoprobe.efitest=1" "$BUILD/khoprobe.efi"
rc=$?
check "EFI run: verdict fail without a handover, QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/log" '^khoprobe 0\.1\.0: UEFI application at 0x[0-9a-f]+; leaving boot services' "ConOut banner before ExitBootServices"
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
