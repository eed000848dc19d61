#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The bzImage entered at +0x200 in 64-bit mode, as kexec's purgatory does
# (CR4 = PAE only, IDT limit 0, RSI = zero page), at different load
# addresses: 32 MiB, an address aligned to 4 KiB only, and above 4 GiB
# with the zero page above 4 GiB too.  The old-kernel stand-in
# (tests/standin) does the loading; the core relocates itself each time.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
STANDIN=$BUILD/e2e/standin.elf
BZ=$BUILD/khoprobe.bzImage
if [ ! -r "$STANDIN" ]; then
	echo "1..0 # SKIP $STANDIN not built (make check builds it)"
	exit 0
fi
size=$(stat -c %s "$BZ")

enter() {
	name=$1 load=$2 zp=$3 mem=$4
	shift 4
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 30 --mem "$mem" --log "$T/$name" \
		--append "image=0x4000000,$size load=$load zp=$zp -- khoprobe.console=ttyS0 $*" \
		"$STANDIN" -- -device "loader,file=$BZ,addr=0x4000000,force-raw=on" 2>/dev/null
}

for case in "low 0x2000000 0x8000000 1G" "odd 0x2345000 0x8000000 1G" \
	    "high 0x140000000 0x150000000 6G"; do
	set -- $case
	enter "$@"
	rc=$?
	check "$1: load $2, zero page $3: runs to the verdict (status $rc)" [ "$rc" -eq 3 ]
	has "$T/$1" "^machine: entered via linux 64-bit entry \(kexec\), boot_params $3 \(loader type 0xd0\)" "$1: 64-bit entry with RSI = $3"
	has "$T/$1" "^footprint: image +\[$2-" "$1: image runs at $2"
	has "$T/$1" '^\[PASS\] boot\.params: ' "$1: report"
	json_ok "$T/$1" fail
done

enter fault 0x140000000 0x150000000 6G khoprobe.selftest=fault
rc=$?
check "above 4 GiB, selftest=fault: status 5 (got $rc)" [ "$rc" -eq 5 ]
has "$T/fault" '^khoprobe: EXCEPTION vector 14 \(page fault\) error 0x3 rip 0x14[0-9a-f]{7} \(image\+0x' "exception report with RIP above 4 GiB, as an image offset"
done_testing
