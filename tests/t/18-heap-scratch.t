#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The heap grows into free KHO scratch.  heap-scattered-150k preserves
# 150,000 isolated 4 KiB pages (a VM's scattered memfd) in a 6 GiB guest:
# their runs need about 10 MiB of heap.  As produced, khoprobe takes part
# of the free scratch (the "heap (scratch)" footprint range, inside
# scratch, clear of the kexec segments) and decodes the map; with the
# scratch array shrunk to 4 MiB around the image nothing is free, only the
# fixed 1 MiB heap is there, and the decode runs out of memory.  Without a
# handover nothing is taken.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MK=$BUILD/mkhandover
IMG=$BUILD/khoprobe.elf
if [ ! -x "$MK" ] || [ ! -r "$IMG" ] || ! command -v qemu-system-x86_64 > /dev/null; then
	echo "1..0 # SKIP needs $MK, $IMG and QEMU"
	exit 0
fi
"$MK" heap-scattered-150k --segments "$T/seg" > "$T/seg.txt" || exit 1
bp=$(sed -n 's/^boot_params=//p' "$T/seg.txt")
kd=$(sed -n 's/^kho_data=//p' "$T/seg.txt")
loaders=$(grep '^-device' "$T/seg.txt")
run() {
	name=$1
	shift
	# shellcheck disable=SC2086
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 60 --mem 6G --log "$T/$name" \
		--append "$*" "$IMG" -- $loaders 2>/dev/null
}
hex() { printf '%d' "$1"; }

run grown "khoprobe.boot_params=$bp"
rc=$?
check "grown heap: verdict pass (status $rc)" [ "$rc" -eq 1 ]
has "$T/grown" '^\[PASS\] kho\.memory-map: .*: 15[0-9]{4} blocks' "kho.memory-map decodes the 150,000 scattered blocks"
has "$T/grown" '^\[PASS\] kho\.preserved-overlap: 15[0-9]{4} blocks in 15[0-9]{4} disjoint ranges' "every block is its own range"
nfp=$(grep -c '^footprint: [a-z ()]* *\[0x' "$T/grown")
has "$T/grown" "^\[PASS\] kho\.self-in-scratch: $nfp payload ranges inside scratch" "kho.self-in-scratch counts all $nfp footprint ranges, the extension among them, and passes"
has "$T/grown" '^heap: took [1-9][0-9]* MiB of free KHO scratch ' "one line says what was taken"
ext=$(sed -n 's/^footprint: heap (scratch) *\[\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)).*/\1 \2/p' "$T/grown")
# shellcheck disable=SC2086
set -- $ext 0 0
lo=$(hex "$1") hi=$(hex "$2")
sc=$(sed -n 's/.*"scratch":\[{"addr":"\(0x[0-9a-f]*\)","size":"\(0x[0-9a-f]*\)"}\].*/\1 \2/p' "$T/grown")
# shellcheck disable=SC2086
set -- $sc 0 0
sa=$(hex "$1") se=$(($(hex "$1") + $(hex "$2")))
img_end=$(sed -n 's/^footprint: total .* within \[0x[0-9a-f]*-\(0x[0-9a-f]*\))$/\1/p' "$T/grown")
check "heap (scratch) [$ext) lies inside scratch $sc" \
	[ "$lo" -gt 0 -a "$lo" -ge "$sa" -a "$hi" -le "$se" -a "$lo" -lt "$hi" ]
check "it is 2 MiB aligned, at most 64 MiB" \
	[ $((lo % 2097152)) -eq 0 -a $((hi % 2097152)) -eq 0 -a $((hi - lo)) -le 67108864 ]
check "it is clear of the image and of the kexec segments (boot_params $bp)" \
	[ "$lo" -ge "$(hex "${img_end:-0}")" -a "$hi" -le "$(hex "$bp")" ]
used=$(sed -n 's/^footprint: heap used \([0-9]*\) of.*/\1/p' "$T/grown")
check "the run used more than the fixed 1 MiB heap (${used:-?} KiB)" [ "${used:-0}" -gt 1024 ]
# Read-only protection splits a 2 MiB page around each scattered range:
# more table pages than the fixed pool holds, lent from the extension.
has "$T/grown" '^paging: 150007 preserved ranges, [0-9]* bytes of RAM mapped read-only$' "every scattered range is mapped read-only, none failed"
has "$T/grown" '^paging: [1-9][0-9]* more table pages from the heap.s scratch extension$' "the extra table pages came from the heap's scratch extension"

# The same handover with its only scratch area cut to [16 MiB, 20 MiB).
sp=$(od -An -tu8 -j $(($(hex "$kd") - $(hex "$bp") + 16)) -N8 "$T/seg/seg-008000000.bin" | tr -d ' ')
printf '\0\0\100\0\0\0\0\0' | dd of="$T/seg/seg-008000000.bin" bs=1 \
	seek=$((sp - $(hex "$bp") + 8)) conv=notrunc 2>/dev/null
run fixed "khoprobe.boot_params=$bp"
has "$T/fixed" '^\[PASS\] kho\.scratch: 1 area' "shrunk scratch array still valid"
has "$T/fixed" '^heap: fixed 1024 KiB only, no scratch extension: no free gap' "no free scratch: the fixed heap only, said so"
lacks "$T/fixed" '^footprint: heap \(scratch\)' "no extension in the footprint"
has "$T/fixed" '^\[FAIL\] kho\.memory-map: .*out of memory' "the fixed 1 MiB heap cannot hold the set: kho.memory-map runs out of memory"

loaders=
run none ""
has "$T/none" '^heap: fixed 1024 KiB only, no scratch extension: no KHO handover$' "no handover: nothing taken"
lacks "$T/none" '^footprint: heap \(scratch\)' "no extension in the footprint"
done_testing
