#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The UEFI application boots under OVMF (QEMU -bios OVMF.fd -kernel), takes
# its command line from LoadOptions, the RSDP from the configuration table
# and the memory map from GetMemoryMap, runs the checks in its own CPU
# world, shows what it printed and a summary on ConOut, leaves boot
# services and exits.
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
# OVMF mirrors ConOut on this port: our report, then its copy on ConOut.
n=$(grep -n '^khoprobe: verdict fail, ' "$T/log" | tail -n 1 | cut -d: -f1)
j=$(grep -n '^KHOPROBE-JSON: ' "$T/log" | tail -n 1 | cut -d: -f1)
check "summary comes after the JSON line (lines ${j:-?} < ${n:-?})" [ "${j:-0}" -gt 0 -a "${n:-0}" -gt "${j:-0}" ]

# The firmware console alone: our serial console on COM2 (ttyS1, a second
# -serial), so COM1 carries only what OVMF's ConOut prints there.  ConOut
# must show the whole run (khoprobe.conout=full, the default), not only the
# summary: a shell user without a serial cable sees the full report.
efi_com2() {	# NAME OPTIONS: COM1 (ConOut) in $T/NAME, COM2 (ours) in $T/NAME.s
	: > "$T/$1.raw"
	sh "$TAP_ROOT/tests/lib/qemu.sh" --efi --timeout 60 --log "$T/$1" \
		--append "khoprobe.console=ttyS1 $2" "$BUILD/khoprobe.efi" -- \
		-serial "file:$T/$1.raw" 2>/dev/null
	r=$?
	tr -d '\r' < "$T/$1.raw" | sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g' > "$T/$1.s"
	return $r
}
efi_com2 full ""
rc=$?
c=$T/full
check "ConOut full: QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$c" '^khoprobe 0\.1\.0: UEFI application at 0x[0-9a-f]+; checking, the report goes to serial port 0x2f8' "ConOut full: banner names COM2"
lacks "$c" '^khoprobe: exit fail' "ConOut full: COM1 does not carry our serial console (exit line only on COM2)"
has "$T/full.s" '^khoprobe: exit fail \(isa-debug-exit 1' "ConOut full: our serial console is on COM2"
has "$c" '^machine: entered via uefi, efi system table 0x' "ConOut full: machine view"
has "$c" '^footprint: total [0-9]+ KiB' "ConOut full: footprint"
has "$c" '^\[PASS\] boot\.params: ' "ConOut full: [PASS] boot.params"
has "$c" '^\[FAIL\] kho\.present: ' "ConOut full: [FAIL] kho.present"
has "$c" '^\[SKIP\] kho\.fdt: ' "ConOut full: [SKIP] kho.fdt"
has "$c" '^\[SKIP\] luo\.sessions: ' "ConOut full: [SKIP] luo.sessions"
has "$c" '^\[SKIP\] vtd\.dmar-table: ' "ConOut full: [SKIP] vtd.dmar-table"
has "$c" '^\[SKIP\] chain\.intact: ' "ConOut full: [SKIP] chain.intact"
has "$c" '^verdict: fail$' "ConOut full: verdict line"
has "$c" '^VT-d platform: ' "ConOut full: VT-d platform summary"
has "$c" '^KTAP version 1$' "ConOut full: KTAP"
has "$c" '^not ok 3 kho\.present$' "ConOut full: KTAP result lines"
json_ok "$c" fail
has "$c" '^khoprobe: verdict fail, 1 of [0-9]+ checks failed$' "ConOut full: summary"
has "$c" '^khoprobe: the full report is above and on serial port 0x2f8$' "ConOut full: summary points up and to COM2"
lacks "$c" 'bytes of the report are only on serial' "ConOut full: nothing dropped"
n=$(grep -n '^khoprobe: verdict fail, ' "$c" | cut -d: -f1)
j=$(grep -n '^KHOPROBE-JSON: ' "$c" | cut -d: -f1)
check "ConOut full: one report, the summary after it (JSON line ${j:-?} < ${n:-?})" \
	[ "$(echo "$j" | wc -l)" -eq 1 -a "${j:-0}" -gt 0 -a "${n:-0}" -gt "${j:-0}" ]
# Our serial console is unchanged: its report (the first one on COM2, where
# OVMF mirrors ConOut as well) matches the ConOut copy line for line.
sed -n '/^khoprobe 0\.1\.0: KHO\/LUO/,/^timing: /{p;/^timing: /q}' "$T/full.s" > "$T/serial.rep"
sed -n '/^khoprobe 0\.1\.0: KHO\/LUO/,/^timing: /p' "$c" > "$T/conout.rep"
check "ConOut full: the ConOut copy equals the serial report ($(wc -l < "$T/conout.rep") lines)" \
	cmp -s "$T/serial.rep" "$T/conout.rep"

efi_com2 summary "khoprobe.conout=summary"
rc=$?
c=$T/summary
check "ConOut summary: QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$c" '^khoprobe 0\.1\.0: UEFI application at ' "ConOut summary: banner"
has "$c" '^khoprobe: verdict fail, 1 of [0-9]+ checks failed$' "ConOut summary: verdict"
has "$c" '^  \[FAIL\] kho\.present: ' "ConOut summary: the failed check"
has "$c" '^khoprobe: the full report is on serial port 0x2f8$' "ConOut summary: points to COM2"
lacks "$c" '^\[(PASS|SKIP|FAIL)\] ' "ConOut summary: no human report"
lacks "$c" '^(KTAP version|KHOPROBE-JSON|machine: )' "ConOut summary: no KTAP, JSON or machine view"
has "$T/summary.s" '^\[SKIP\] kho\.fdt: ' "ConOut summary: the serial report is still complete"
json_ok "$T/summary.s" fail

efi_com2 off "khoprobe.conout=off"
rc=$?
check "ConOut off: QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/off" '^khoprobe 0\.1\.0: UEFI application at ' "ConOut off: banner"
lacks "$T/off" '^(khoprobe: verdict|\[(PASS|SKIP|FAIL)\] |verdict: )' "ConOut off: neither report nor summary"

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
