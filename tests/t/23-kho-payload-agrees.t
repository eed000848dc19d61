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
. "$(dirname "$0")/../lib/agree.sh"
# Each memory backend words an unreadable address its own way.
BACKEND='s/: not in dump$/: unreadable/; s/: not in the memory map$/: unreadable/'
IDS='boot\.[a-z-]*|kho\.(present|fdt|compatible|memory-map|scratch|scratch-disjoint|preserved-overlap|subtrees)|luo\.[a-z-]*|memfd\.folios'

"$MK" --list | grep -E '^(valid-kho|corrupt)-' | grep -v scattered > "$T/list"
while IFS="$(printf '\t')" read -r name expect check desc; do
	agree_run "$name" "$IDS"
	rc=$?
	if [ "$rc" -eq 255 ]; then
		tap_result 1 "$name: produced"
		continue
	fi
	sed -i "$BACKEND" "$T/host" "$T/live"
	want=1
	[ "$expect" = fail ] && want=3
	[ "$(wc -l < "$T/host")" -eq 15 ] && cmp -s "$T/host" "$T/live" &&
		[ "$rc" -eq "$want" ]
	tap_result $? "$name: payload (status $rc) and khodump agree on 15 KHO/LUO lines"
	cmp -s "$T/host" "$T/live" || diff "$T/host" "$T/live" | sed 's/^/# /' | head -8
done < "$T/list"
done_testing
