#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Debug the PVH payload in QEMU with gdb (what `make gdb` runs): produce a
# catalogue scenario's segments, start QEMU halted (-S) with its gdbstub on
# a TCP port, point khoprobe at the handover, and attach gdb with
# scripts/khoprobe.gdb (symbols, helpers).  QEMU is stopped when gdb ends.
#
#   scripts/docs-gdb.sh [GDB-COMMAND-FILE]
#
# With a command file gdb runs in batch mode and executes it after
# attaching (tests/t/61-gdb.t does that).  Environment:
#   GDB_SCENARIO  scenario to hand over (default vtd-scalable-ss-c)
#   GDB_PORT      gdbstub TCP port on 127.0.0.1 (default 1234, as -s)
#   GDB_APPEND    extra khoprobe options for the command line
#   GDB_QEMU_ARGS extra QEMU arguments, e.g. "-device intel-iommu"
#   BUILD         build directory (default build)
# The serial log goes to $BUILD/gdb/serial.log (tail -f it while stepping).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
build=${BUILD:-build}
dir=$build/gdb
scenario=${GDB_SCENARIO:-vtd-scalable-ss-c}
port=${GDB_PORT:-1234}
batch=${1:-}

for f in "$build/khoprobe.elf" "$build/mkhandover"; do
	[ -e "$f" ] || { echo "docs-gdb: build $f first (make all)" >&2; exit 1; }
done
command -v gdb >/dev/null || { echo "docs-gdb: needs gdb (apt-get install gdb)" >&2; exit 1; }

rm -rf "$dir" && mkdir -p "$dir"
"$build/mkhandover" "$scenario" --segments "$dir/seg" > "$dir/seg.txt" || exit 1
bp=$(sed -n 's/^boot_params=//p' "$dir/seg.txt")
# shellcheck disable=SC2046
set -- $(grep '^-device' "$dir/seg.txt")

timeout -k 5 "${GDB_TIMEOUT:-3600}" qemu-system-x86_64 \
	-M q35 -m 1G -cpu qemu64 -accel tcg -nodefaults -no-reboot \
	-display none -monitor none -serial "file:$dir/serial.log" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$build/khoprobe.elf" \
	-append "khoprobe.boot_params=$bp ${GDB_APPEND:-}" \
	-S -gdb "tcp:127.0.0.1:$port" ${GDB_QEMU_ARGS:-} "$@" \
	</dev/null >"$dir/qemu.out" 2>&1 &
qemu=$!
trap 'kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null' EXIT TERM
# Ctrl-C belongs to gdb (it stops the guest): the shell waits it out, and
# QEMU, started in the background, ignores it.
trap : INT

# Wait for the gdbstub to listen (QEMU starts in well under a second).
i=0
while ! grep -q ":$(printf '%04X' "$port") " /proc/net/tcp 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$qemu" 2>/dev/null; then
		echo "docs-gdb: QEMU did not open port $port:" >&2
		cat "$dir/qemu.out" >&2
		exit 1
	fi
	sleep 0.1
done
echo "docs-gdb: scenario $scenario, zero page $bp; QEMU halted, gdbstub on 127.0.0.1:$port"
echo "docs-gdb: serial log in $dir/serial.log; try: khoprobe-entry, then bt, next, ..."

if [ -n "$batch" ]; then
	timeout -k 5 "${GDB_BATCH_TIMEOUT:-120}" gdb -q -nx -batch \
		-x scripts/khoprobe.gdb -ex "target remote 127.0.0.1:$port" \
		-x "$batch"
else
	gdb -q -nx -x scripts/khoprobe.gdb -ex "target remote 127.0.0.1:$port"
fi
