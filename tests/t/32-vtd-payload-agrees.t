#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# khodump and the payload agree on every VT-d scenario: the handover is
# placed in a QEMU guest (-device loader) and the PVH payload checks it
# live; every iommu.*, vtd.* memory and dma.containment line (status and
# reason) must equal khodump's on the same handover.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/agree.sh"
IDS='iommu\.[a-z-]*|vtd\.(root-table|context-tables|device-context|pasid|page-tables|leaf-targets)|dma\.containment'

"$MK" --list | cut -f1 | grep '^vtd-' > "$T/list"
while read -r name; do
	agree_run "$name" "$IDS"
	rc=$?
	if [ "$rc" -eq 255 ]; then
		tap_result 1 "$name: produced"
		continue
	fi
	# the payload also proves the runs clear of its own footprint
	sed -i 's/, clear of scratch and the payload$/, clear of scratch/' "$T/live"
	[ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]
	tap_result $? "$name: the payload reached a verdict (status $rc)"
	[ "$(wc -l < "$T/host")" -eq 16 ] && cmp -s "$T/host" "$T/live"
	tap_result $? "$name: payload and khodump give the same 16 IOMMU lines"
	cmp -s "$T/host" "$T/live" || diff "$T/host" "$T/live" | sed 's/^/# /' | head -8
done < "$T/list"
done_testing
