#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# khodump and the payload agree on the KHO/LUO catalogue: each scenario is
# placed in a QEMU guest (-device loader) and the PVH payload checks it
# live; every boot.*, kho.* (but self-in-scratch), luo.* and memfd.folios
# line (status and reason) must equal khodump's on the same handover, and
# QEMU's status must carry the scenario's verdict (the memory backends'
# own words for an unreadable address aside).  Scenarios that declare
# RAM beyond the 1 GiB guest (scattered) are left to khodump.
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
# Each memory backend words an unreadable address its own way.
BACKEND='s/: not in dump$/: unreadable/; s/: not in the memory map$/: unreadable/'
IDS='boot\.[a-z-]*|kho\.(present|fdt|compatible|memory-map|scratch|scratch-disjoint|preserved-overlap|subtrees)|luo\.[a-z-]*|memfd\.folios'

"$MK" --list | grep -E '^(valid-kho|corrupt)-' | grep -v scattered > "$T/list"
while IFS="$(printf '\t')" read -r name expect check desc; do
	rm -rf "$T/seg"
	"$MK" "$name" --segments "$T/seg" > "$T/seg.txt" 2>&1 &&
		"$MK" "$name" -o "$T/core" > /dev/null 2>&1 || {
		tap_result 1 "$name: produced"
		continue
	}
	bp=$(sed -n 's/^boot_params=//p' "$T/seg.txt")
	loaders=$(grep '^-device' "$T/seg.txt")
	"$KD" --boot-params "$bp" "$T/core" | grep -E "^\[[A-Z]+\] ($IDS): " |
		sed "$BACKEND" > "$T/host"
	# shellcheck disable=SC2086
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 60 --log "$T/log" \
		--append "khoprobe.boot_params=$bp" "$IMG" -- $loaders 2>/dev/null
	rc=$?
	grep -E "^\[[A-Z]+\] ($IDS): " "$T/log" | sed "$BACKEND" > "$T/live"
	want=1
	[ "$expect" = fail ] && want=3
	[ "$(wc -l < "$T/host")" -eq 15 ] && cmp -s "$T/host" "$T/live" &&
		[ "$rc" -eq "$want" ]
	tap_result $? "$name: payload (status $rc) and khodump agree on 15 KHO/LUO lines"
	cmp -s "$T/host" "$T/live" || diff "$T/host" "$T/live" | sed 's/^/# /' | head -8
done < "$T/list"
done_testing
