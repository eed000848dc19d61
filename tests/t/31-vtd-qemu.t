#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The payload reads the real VT-d hardware under QEMU (q35, intel-iommu):
# RSDP -> RSDT -> DMAR, the DRHD at 0xfed90000, and its registers with the
# access sizes QEMU demands (a wrong size aborts QEMU, so reaching the
# report at all proves them).  Legacy, scalable and 48-bit configurations,
# and a machine without VT-d.
cd "$(dirname "$0")/../.." || exit 1
IMG=build/khoprobe.elf
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() {	# ok STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
if [ ! -r "$IMG" ] || ! command -v qemu-system-x86_64 > /dev/null; then
	echo "1..0 # SKIP needs $IMG and qemu-system-x86_64"
	exit 0
fi

boot() {	# boot NAME QEMU-ARGS...: serial log in $T/NAME
	name=$1
	shift
	sh tests/lib/qemu.sh --timeout 60 --log "$T/$name" "$IMG" -- "$@" 2> "$T/$name.err"
	st=$?
	# a verdict was written (1 pass, 3 fail): no abort, no hang
	[ $st = 1 ] || [ $st = 3 ]
	ok $? "$name: the payload ran to its verdict (status $st)"
}
has() {	# has NAME PATTERN DESCRIPTION
	grep -q -- "$2" "$T/$1"
	ok $? "$1: $3"
}

boot legacy -device intel-iommu
has legacy '^\[PASS\] vtd.dmar-table: DMAR 0x[0-9a-f]*: 1 DRHD' "DMAR found via the RSDP and parsed"
has legacy '^  DRHD 0xfed90000 segment 0, [0-9]* device scope' "the q35 DRHD with its device scopes"
has legacy 'CAP 0x00d2008c22260206  ECAP 0x0000000000f00f4a' "CAP and ECAP are QEMU 7.2's defaults"
has legacy 'guest address width 39 bits (MGAW), page tables: 3-level (39-bit)' "CAP decoded: MGAW and SAGAW"
has legacy '65536 domain IDs; large pages: 2 MiB yes, 1 GiB yes' "CAP decoded: ND and SLLPS"
has legacy 'modes: legacy yes, scalable no' "ECAP decoded: no scalable mode"
has legacy 'queued invalidation yes, interrupt remapping yes' "ECAP decoded: QI and IR"
has legacy 'translation off, root table 0x0 (legacy)' "GSTS/RTADDR: translation off after reset"
has legacy '^\[PASS\] vtd.hw-faults: 1 unit' "FSTS and the fault record read: no faults"
has legacy '"vtd_platform":{"dmar":true' "the platform report is in the JSON line"

boot scalable -device intel-iommu,x-scalable-mode=on
has scalable 'ECAP 0x0000480080f00f4a' "ECAP with SMTS, SLTS and SRS in scalable mode"
has scalable 'modes: legacy yes, scalable yes (second-stage yes, first-stage no)' "scalable mode decoded"

boot aw48 -device intel-iommu,aw-bits=48
has aw48 'CAP 0x00d2008c222f0606' "CAP with 48-bit MGAW and 4-level SAGAW"
has aw48 'page tables: 3-level (39-bit), 4-level (48-bit)' "both table depths in words"

boot none
has none '^\[SKIP\] vtd.dmar-table: no VT-d on this machine' "no DMAR: the hardware checks skip"

# The UEFI image under OVMF: RSDP from the configuration table, XSDT.
EFI=build/khoprobe.efi
OVMF=${OVMF_FD:-/usr/share/ovmf/OVMF.fd}
if [ -r "$EFI" ] && [ -r "$OVMF" ]; then
	sh tests/lib/qemu.sh --efi --timeout 90 --log "$T/efi" "$EFI" -- \
		-device intel-iommu,x-scalable-mode=on 2> /dev/null
	st=$?
	[ $st = 1 ] || [ $st = 3 ]
	ok $? "efi: the UEFI image ran to its verdict (status $st)"
	has efi '^VT-d platform: DMAR 0x[0-9a-f]* via XSDT ' "DMAR found through the XSDT"
	has efi 'ECAP 0x0000480080f00f4a' "the platform report reads the registers"
fi
echo "1..$n"
[ $fails = 0 ]
