#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A produced handover placed in guest RAM (-device loader) and the PVH
# payload pointed at it with khoprobe.boot_params= or khoprobe.kho=: the
# KHO/LUO layers run on live memory, preserved memory is mapped read-only
# in the after_kho hook, and a write to it then faults.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MK=$BUILD/mkhandover
if [ ! -x "$MK" ]; then
	echo "1..0 # SKIP $MK not built"
	exit 0
fi
"$MK" valid-kho-v1-luo-fdt --segments "$T/seg" > "$T/seg.txt" || exit 1
bp=$(sed -n 's/^boot_params=//p' "$T/seg.txt")
kd=$(sed -n 's/^kho_data=//p' "$T/seg.txt")
loaders=$(grep '^-device' "$T/seg.txt")
run() {
	name=$1
	shift
	# shellcheck disable=SC2086
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 30 --log "$T/$name" \
		--append "$*" "$BUILD/khoprobe.elf" -- $loaders 2>/dev/null
}

run bp "khoprobe.boot_params=$bp"
rc=$?
check "boot_params=$bp: runs to a verdict (status $rc)" [ "$rc" -eq 1 -o "$rc" -eq 3 ]
has "$T/bp" "^probe: starting from boot_params $bp \(khoprobe\.boot_params\)" "starts from the option's zero page"
for id in boot.params boot.setup-data kho.present kho.fdt kho.compatible \
	  kho.memory-map kho.scratch kho.preserved-overlap kho.self-in-scratch \
	  luo.present luo.sessions; do
	has "$T/bp" "^\[PASS\] $id: " "$id passes on the live handover"
done
has "$T/bp" '^paging: [1-9][0-9]* preserved ranges, [1-9][0-9]* bytes of RAM mapped read-only$' "preserved memory mapped read-only"

run kho "khoprobe.kho=$kd"
rc=$?
check "kho=$kd: runs to a verdict (status $rc)" [ "$rc" -eq 1 -o "$rc" -eq 3 ]
has "$T/kho" "^probe: starting from KHO data $kd \(khoprobe\.kho\)" "starts from the KHO data"
has "$T/kho" '^\[PASS\] kho\.memory-map: ' "kho.memory-map passes from the KHO data"

run ro "khoprobe.boot_params=$bp khoprobe.selftest=preserved"
rc=$?
check "a write to preserved memory faults: status 5 (got $rc)" [ "$rc" -eq 5 ]
pa=$(sed -n 's/^selftest: writing to preserved memory at \(0x[0-9a-f]*\)$/\1/p' "$T/ro")
has "$T/ro" "^khoprobe: EXCEPTION vector 14 \(page fault\) error 0x3 .* cr2 ${pa:-none}\$" "#PF at the preserved address ${pa:-?}"
done_testing
