#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The PVH ELF boots under TCG, shows its machine view and footprint, runs
# the probe and reports (human, KTAP, JSON); its verdict reaches QEMU's
# exit status.  Options: unknown ones are reported, the console moves.
. "$(dirname "$0")/../lib/tap.sh"
QEMU_SH="$TAP_ROOT/tests/lib/qemu.sh"
ELF=$BUILD/khoprobe.elf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

sh "$QEMU_SH" --timeout 30 --log "$T/log" \
	--append "console=ttyS0 khoprobe.bogus=1 khoprobe.selftest=nope" "$ELF"
rc=$?
check "no handover: verdict fail, QEMU status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/log" '^khoprobe 0\.1\.0: ' "banner"
has "$T/log" '^machine: entered via pvh, pvh start info 0x' "entered via PVH"
has "$T/log" '^machine: memory map from pvh start info, [0-9]+ entries' "memory map from start info"
has "$T/log" '^machine:   \[0x000000100000-0x00003ffe0000\) ram' "RAM entry of the 1 GiB guest"
has "$T/log" '^machine: command line "console=ttyS0 khoprobe.bogus=1' "command line"
has "$T/log" '^machine: rsdp 0x[0-9a-f]+ \(pvh start info\)' "RSDP from the start info"
has "$T/log" '^option: unknown option khoprobe\.bogus' "unknown option reported"
has "$T/log" '^option: bad value "nope" for khoprobe\.selftest' "bad value reported"
has "$T/log" '^option:   khoprobe\.console=' "known options listed after an unknown one"
has "$T/log" '^paging: 4-level identity map, 2 MiB pages' "own 4-level identity map"
has "$T/log" '^footprint: image +\[0x1000000-0x' "image linked at 0x0100_0000"
has "$T/log" '^footprint: (stack|heap|page tables) ' "stack, heap, page tables in the footprint"
has "$T/log" '^footprint: total [0-9]+ KiB' "footprint total"
has "$T/log" '^probe: no boot_params from the loader' "says the zero page is synthesized"
has "$T/log" '^\[PASS\] boot\.params: ' "human report line"
has "$T/log" '^\[FAIL\] kho\.present: ' "kho.present fails without a handover"
has "$T/log" '^verdict: fail$' "human verdict"
has "$T/log" '^KTAP version 1$' "KTAP header"
has "$T/log" '^not ok 3 kho\.present$' "KTAP failure line"
json_ok "$T/log" fail
has "$T/log" '^khoprobe: exit fail \(isa-debug-exit 1, QEMU status 3\)' "exit announced"
kib=$(sed -n 's/^footprint: total \([0-9]*\) KiB.*/\1/p' "$T/log")
check "footprint under 4 MiB (${kib:-?} KiB)" [ "${kib:-99999}" -lt 4096 ]

# An initrd (PVH module) appears in the machine view with its size.
head -c 5000 /dev/zero > "$T/initrd"
sh "$QEMU_SH" --timeout 30 --log "$T/initrd.log" "$ELF" -- -initrd "$T/initrd" 2>/dev/null
range=$(sed -n 's/^machine: initrd \[\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\))$/\1 \2/p' "$T/initrd.log")
set -- $range
check "initrd from the PVH module list, 5000 bytes (${1:-?}-${2:-?})" [ -n "$range" -a "$((${2:-0} - ${1:-0}))" -eq 5000 ]

# Console on COM2: COM1 stays silent, COM2 gets the report.
sh "$QEMU_SH" --timeout 30 --log "$T/com1" --append "khoprobe.console=ttyS1" \
	"$ELF" -- -serial "file:$T/com2" 2>/dev/null
rc=$?
check "console=ttyS1 run ends with status 3 (got $rc)" [ "$rc" -eq 3 ]
has "$T/com2" '^verdict: fail' "report on COM2"
lacks "$T/com1" 'verdict' "nothing on COM1"

# A port number works too, and exit=halt suppresses isa-debug-exit.
sh "$QEMU_SH" --timeout 5 --log "$T/halt" \
	--append "khoprobe.console=0x3f8 khoprobe.exit=halt" "$ELF" 2>/dev/null
rc=$?
check "exit=halt: no verdict written, QEMU runs into the timeout (got $rc)" [ "$rc" -eq 124 ]
has "$T/halt" '^verdict: fail' "report still printed with console=0x3f8"

done_testing
