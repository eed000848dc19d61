#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Our page tables follow the CPU: 5-level when CR4.LA57 is on (as on the
# servers XLF_5LEVEL is for), 1 GiB pages when CPUID has them, 2 MiB
# otherwise; read-only mappings fault on write in every configuration.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
run() {
	name=$1 cpu=$2
	shift 2
	QEMU_CPU=$cpu sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 30 \
		--log "$T/$name" "$@" 2>/dev/null
}

run la57 qemu64,+la57 "$BUILD/khoprobe.elf"
rc=$?
check "la57 CPU: runs to the verdict (status $rc)" [ "$rc" -eq 3 ]
has "$T/la57" '^paging: 5-level identity map, 2 MiB pages' "5-level tables with LA57"
has "$T/la57" '^cpu: cr0 0x[0-9a-f]+ cr4 0x1[0-9a-f]{3},' "CR4.LA57 set"

run la57fault qemu64,+la57 --append khoprobe.selftest=fault "$BUILD/khoprobe.elf"
rc=$?
check "la57 selftest=fault: status 5 (got $rc)" [ "$rc" -eq 5 ]
has "$T/la57fault" '^khoprobe: EXCEPTION vector 14 \(page fault\) error 0x3 ' "read-only page faults under 5-level paging"

run gb qemu64,+pdpe1gb "$BUILD/khoprobe.elf"
rc=$?
check "1 GiB pages CPU: runs to the verdict (status $rc)" [ "$rc" -eq 3 ]
has "$T/gb" '^paging: 4-level identity map, 1 GiB pages' "1 GiB pages when CPUID has them"

run gbfault qemu64,+pdpe1gb --append khoprobe.selftest=fault "$BUILD/khoprobe.elf"
rc=$?
check "1 GiB pages selftest=fault: status 5 (got $rc)" [ "$rc" -eq 5 ]
has "$T/gbfault" '^khoprobe: EXCEPTION vector 14 \(page fault\) error 0x3 ' "splitting a 1 GiB page down to 4 KiB read-only"

# The 64-bit entry with CR4.LA57 already on (what XLF_5LEVEL promises):
# a 5-level khoprobe chains, kexec-style, into the bzImage.
MKCHAIN=$TAP_ROOT/tests/e2e/mkchain.sh
if [ -r "$MKCHAIN" ] && sh "$MKCHAIN" "$T/chain.cpio" "$BUILD/khoprobe.bzImage" - \
	"khoprobe.chain=never" >/dev/null 2>&1; then
	run chain57 qemu64,+la57 --append khoprobe.chain=always "$BUILD/khoprobe.elf" \
		-- -initrd "$T/chain.cpio"
	rc=$?
	check "5-level chain: the second khoprobe reaches its verdict (status $rc)" [ "$rc" -eq 3 ]
	has "$T/chain57" '^machine: entered via linux 64-bit entry \(kexec\)' "bzImage entered at +0x200"
	n=$(grep -c '^paging: 5-level identity map' "$T/chain57")
	check "both khoprobes ran 5-level tables ($n paging lines, 4 expected)" [ "$n" -eq 4 ]
else
	skip "tests/e2e/mkchain.sh unavailable"
fi

run small qemu64 "$BUILD/khoprobe.elf"
has "$T/small" '^paging: 4-level identity map, 2 MiB pages' "2 MiB pages without pdpe1gb"
has "$T/small" '^machine:   \[0x00fd00000000-0x010000000000\) reserved' "the reserved hole below 1 TiB is in the map (mapped uncached)"
done_testing
