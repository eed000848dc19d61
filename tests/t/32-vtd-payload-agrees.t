#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# khodump and the payload agree on every VT-d scenario: the handover is
# placed in a QEMU guest (-device loader) and the PVH payload checks it
# live; every iommu.*, vtd.* memory and dma.containment line (status and
# reason) must equal khodump's on the same handover.
. "$(dirname "$0")/../lib/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MK=$BUILD/mkhandover
KD=$BUILD/khodump
IMG=$BUILD/khoprobe.elf
if [ ! -x "$MK" ] || [ ! -x "$KD" ] || [ ! -r "$IMG" ] ||
   ! command -v qemu-system-x86_64 > /dev/null; then
	echo "1..0 # SKIP needs $MK, $KD, $IMG and QEMU"
	exit 0
fi
IDS='iommu\.[a-z-]*|vtd\.(root-table|context-tables|device-context|pasid|page-tables|leaf-targets)|dma\.containment'

"$MK" --list | cut -f1 | grep '^vtd-' > "$T/list"
while read -r name; do
	rm -rf "$T/seg"
	"$MK" "$name" --segments "$T/seg" > "$T/seg.txt" 2>&1 &&
		"$MK" "$name" -o "$T/core" > /dev/null 2>&1 || {
		tap_result 1 "$name: produced"
		continue
	}
	bp=$(sed -n 's/^boot_params=//p' "$T/seg.txt")
	loaders=$(grep '^-device' "$T/seg.txt")
	"$KD" --boot-params "$bp" "$T/core" | grep -E "^\[[A-Z]+\] ($IDS): " > "$T/host"
	# shellcheck disable=SC2086
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 60 --log "$T/log" \
		--append "khoprobe.boot_params=$bp" "$IMG" -- $loaders 2>/dev/null
	rc=$?
	# the payload also proves the runs clear of its own footprint
	grep -E "^\[[A-Z]+\] ($IDS): " "$T/log" |
		sed 's/, clear of scratch and the payload$/, clear of scratch/' > "$T/live"
	[ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]
	tap_result $? "$name: the payload reached a verdict (status $rc)"
	[ "$(wc -l < "$T/host")" -eq 16 ] && cmp -s "$T/host" "$T/live"
	tap_result $? "$name: payload and khodump give the same 16 IOMMU lines"
	cmp -s "$T/host" "$T/live" || diff "$T/host" "$T/live" | sed 's/^/# /' | head -8
done < "$T/list"
done_testing
