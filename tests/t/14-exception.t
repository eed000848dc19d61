#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Deliberate exceptions are reported with vector, error code, RIP, CR2 and
# a backtrace, and end with isa-debug-exit code 2 (QEMU status 5), never a
# silent triple fault.  selftest=fault also proves paging_map_ro(): the
# write faults as a protection violation at exactly the announced page.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
run() {
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 30 --log "$T/$1" \
		--append "khoprobe.selftest=$1" "$2" 2>/dev/null
}

run fault "$BUILD/khoprobe.elf"
rc=$?
check "selftest=fault: QEMU status 5 (got $rc)" [ "$rc" -eq 5 ]
page=$(sed -n 's/^selftest: writing to read-only page \(0x[0-9a-f]*\)$/\1/p' "$T/fault")
check "the page to write is announced ($page)" [ -n "$page" ]
has "$T/fault" "^khoprobe: EXCEPTION vector 14 \(page fault\) error 0x3 rip 0x[0-9a-f]+ \(image\+0x[0-9a-f]+\) cr2 $page\$" "#PF, present+write, RIP in the image, CR2 = the page"
has "$T/fault" '^khoprobe:   page fault: protection violation on write$' "decoded as a write to a read-only page"
has "$T/fault" '^khoprobe:   backtrace: 0x' "backtrace"
has "$T/fault" '^khoprobe:     called from 0x[0-9a-f]+ \(image\+' "backtrace has callers"
has "$T/fault" '^khoprobe: exit exception \(isa-debug-exit 2, QEMU status 5\)' "exit announced"
lacks "$T/fault" '^verdict:' "no report after the fault"

run ud "$BUILD/khoprobe.elf"
rc=$?
check "selftest=ud: QEMU status 5 (got $rc)" [ "$rc" -eq 5 ]
has "$T/ud" '^khoprobe: EXCEPTION vector 6 \(invalid opcode\) error 0x0 rip 0x' "#UD reported"

run stack "$BUILD/khoprobe.elf"
rc=$?
check "selftest=stack: QEMU status 5 (got $rc)" [ "$rc" -eq 5 ]
guard=$(sed -n 's/^footprint: stack *\[\(0x[0-9a-f]*\)-.*/\1/p' "$T/stack")
cr2=$(sed -n 's/^khoprobe: EXCEPTION vector 14 (page fault) error 0x2 rip .* cr2 \(0x[0-9a-f]*\)$/\1/p' "$T/stack")
check "overflow: #PF on write at $cr2, inside the guard page $guard (on the IST stack)" \
	[ -n "$cr2" -a "$((${cr2:-0} >> 12))" -eq "$((${guard:-1} >> 12))" ]
has "$T/stack" '^khoprobe:   page fault: page not mapped on write$' "decoded as a write to an unmapped page"

# What the harness does with a triple fault (QEMU exits 0 under -no-reboot):
# never a pass, always 200 "no verdict".
run triple "$BUILD/khoprobe.elf"
rc=$?
check "selftest=triple: qemu.sh reports no verdict, 200 (got $rc)" [ "$rc" -eq 200 ]
has "$T/triple" '^selftest: invalid opcode with an empty IDT' "the triple fault was the deliberate one"

# The same through the bzImage (relocated core) and the UEFI build.
run fault "$BUILD/khoprobe.bzImage"
rc=$?
check "bzImage selftest=fault: QEMU status 5 (got $rc)" [ "$rc" -eq 5 ]
has "$T/fault" '^khoprobe: EXCEPTION vector 14 \(page fault\) error 0x3 rip 0x[0-9a-f]+ \(image\+0x' "bzImage: #PF reported"
sh "$TAP_ROOT/tests/lib/qemu.sh" --efi --timeout 60 --log "$T/efi" \
	--append "khoprobe.selftest=ud" "$BUILD/khoprobe.efi" 2>/dev/null
rc=$?
check "EFI selftest=ud: QEMU status 5 (got $rc)" [ "$rc" -eq 5 ]
has "$T/efi" '^khoprobe: EXCEPTION vector 6 \(invalid opcode\)' "EFI: #UD reported"
done_testing
