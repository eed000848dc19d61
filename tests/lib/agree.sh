# SPDX-License-Identifier: GPL-2.0-only
# khodump and the payload on the same catalogue scenario.  Source after
# tap.sh; it skips the whole test when a tool is missing.
#
#   agree_run NAME 'kho\.[a-z-]*'   writes $T/host (khodump's report lines
#                                   of the matching checks) and $T/live
#                                   (the PVH payload's, the handover placed
#                                   in a QEMU guest with -device loader);
#                                   returns QEMU's status, 255 when the
#                                   scenario could not be produced.

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

agree_run() {
	rm -rf "$T/seg"
	"$MK" "$1" --segments "$T/seg" > "$T/seg.txt" 2>&1 &&
		"$MK" "$1" -o "$T/core" > /dev/null 2>&1 || return 255
	agree_bp=$(sed -n 's/^boot_params=//p' "$T/seg.txt")
	"$KD" --boot-params "$agree_bp" "$T/core" |
		grep -E "^\[[A-Z]+\] ($2): " > "$T/host"
	# shellcheck disable=SC2046
	sh "$TAP_ROOT/tests/lib/qemu.sh" --timeout 60 --log "$T/log" \
		--append "khoprobe.boot_params=$agree_bp" "$IMG" -- \
		$(grep '^-device' "$T/seg.txt") 2>/dev/null
	agree_rc=$?
	grep -E "^\[[A-Z]+\] ($2): " "$T/log" > "$T/live"
	return $agree_rc
}
