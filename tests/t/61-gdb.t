#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# `make gdb` works: QEMU starts halted with its gdbstub and a produced
# handover, gdb (batch mode, scripts/khoprobe.gdb) loads the PVH image's
# symbols, a hardware breakpoint on the C entry boot_main hits at the
# symbol's address with the image at its link address 0x0100_0000, a
# second one in probe_run hits with a sane backtrace, and gdb quits and
# takes QEMU down.  Also the bzImage helper: khoprobe-bz BASE relocates
# the core's symbols to where QEMU's bzImage loader put the image.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if ! command -v gdb >/dev/null || [ ! -e "$BUILD/khoprobe.elf" ] ||
   [ ! -x "$BUILD/mkhandover" ]; then
	echo "1..0 # SKIP needs gdb, $BUILD/khoprobe.elf and $BUILD/mkhandover"
	exit 0
fi
# A port of our own, so parallel runs do not collide.
port=$((20000 + $$ % 20000))

cat > "$T/cmds.gdb" <<'CMDS'
khoprobe-entry
printf "CHECK pc 0x%lx boot_main 0x%lx\n", $pc, &boot_main
hbreak probe_run
continue
bt 3
kill
CMDS
make -s gdb BUILD="$BUILD" GDB_PORT=$port GDB_BATCH="$T/cmds.gdb" > "$T/out" 2>&1
rc=$?
check "make gdb (batch) ends cleanly" [ $rc -eq 0 ]
has "$T/out" "gdbstub on 127.0.0.1:$port" "QEMU started halted with its gdbstub"
has "$T/out" '^Breakpoint 1, boot_main \(kind=1, ' "the breakpoint at the C entry hits (PVH entry kind)"
has "$T/out" 'image at 0x1000000$' "the PVH image runs at its link address: no symbol offset"
pc=$(sed -n 's/^CHECK pc \(0x[0-9a-f]*\) boot_main \(0x[0-9a-f]*\)$/\1 \2/p' "$T/out")
check "it stopped exactly at &boot_main ($pc)" [ -n "$pc" ] && [ "${pc% *}" = "${pc#* }" ]
has "$T/out" '^Breakpoint 2, probe_run ' "a second breakpoint in the checking core hits"
has "$T/out" '^#1  .* in boot_main ' "the backtrace goes through boot_main"
has "$BUILD/gdb/serial.log" 'khoprobe .*: KHO/LUO/IOMMU live-update handover checker' \
	"the payload ran under the debugger and printed its banner"
sleep 0.2
check "no QEMU left listening on port $port" \
	sh -c "! grep -q ':$(printf '%04X' $port) ' /proc/net/tcp"

# Interactive, on a terminal: Ctrl-C stops the guest and gives the prompt
# back (it must not take QEMU or the make down), and quit ends it all.
PY=$(command -v /usr/bin/python3 || command -v python3)
cat > "$T/gdb_on_pty.py" <<'PYEOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("make", ["make", "-s", "gdb", "BUILD=" + sys.argv[1],
                       "GDB_PORT=" + sys.argv[2],
                       "GDB_APPEND=khoprobe.exit=halt khoprobe.chain=never"])
out = b""
def pump(secs, until=None):
    global out
    end = time.time() + secs
    while time.time() < end and not (until and until in out):
        if select.select([fd], [], [], 0.1)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:
                return
pump(20, b"(gdb) ")
os.write(fd, b"continue\n"); pump(20, b"Continuing.")
time.sleep(2)
os.write(fd, b"\x03"); pump(10, b"SIGINT")
os.write(fd, b"printf \"TTY pc=0x%lx\\n\", $pc\n"); pump(5, b"TTY pc=0x1")
os.write(fd, b"kill\n"); pump(5, b"killed")
os.write(fd, b"quit\n"); pump(10)
sys.stdout.write(out.decode(errors="replace"))
PYEOF
if [ -n "$PY" ]; then
	timeout -k 5 90 "$PY" "$T/gdb_on_pty.py" "$BUILD" $((port + 2)) > "$T/tty" 2>&1
	has "$T/tty" 'Program received signal SIGINT' "on a terminal, Ctrl-C stops the guest"
	has "$T/tty" 'TTY pc=0x1[0-9a-f]{6}' "gdb still talks to QEMU after Ctrl-C (pc inside the image)"
	has "$T/tty" 'Inferior 1 .* killed' "kill ends the guest"
	sleep 0.2
	check "quit leaves no QEMU listening" \
		sh -c "! grep -q ':$(printf '%04X' $((port + 2))) ' /proc/net/tcp"
else
	skip "no python3 to drive a terminal"
fi

# The bzImage: QEMU -kernel puts the 32-bit part at 0x100000.
timeout -k 5 60 qemu-system-x86_64 -M q35 -m 1G -cpu qemu64 -accel tcg \
	-nodefaults -no-reboot -display none -monitor none \
	-serial "file:$T/bz.log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$BUILD/khoprobe.bzImage" -S -gdb "tcp:127.0.0.1:$((port + 1))" \
	</dev/null >/dev/null 2>&1 &
q=$!
sleep 0.5
timeout -k 5 60 gdb -q -nx -batch -x scripts/khoprobe.gdb \
	-ex 'khoprobe-bz 0x100000' -ex "target remote 127.0.0.1:$((port + 1))" \
	-ex khoprobe-entry -ex kill > "$T/bz" 2>&1
kill $q 2>/dev/null
wait $q 2>/dev/null
has "$T/bz" '^Breakpoint 1, boot_main \(kind=2, ' "khoprobe-bz: boot_main hits in the relocated bzImage core"
has "$T/bz" 'image at 0x100000$' "khoprobe-bz: the image base is the offset given"

done_testing
