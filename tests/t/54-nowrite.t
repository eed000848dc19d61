#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# No-write proof.  The stand-in stops just before its jump into khoprobe;
# all guest RAM is dumped over the QEMU monitor; khoprobe runs (translation
# and DMA live, khoprobe.exit=halt) and all RAM is dumped again.  No byte
# may differ outside khoprobe's declared footprint (which is inside
# scratch), so none in preserved memory.  Run without a canary and with
# one (the device writes the canary and writes its bytes back).  khodump
# then checks the handover in the after-dump.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_STANDIN" "$KHOPROBE_BZ" "$BUILD/mkhandover" "$BUILD/khodump"
e2e_tmp
echo "1..11"
MEM=0x20000000	# -m 512: all of RAM below the PCI hole

nowrite() {	# nowrite NAME EXTRA-CMDLINE [elf]
	dir=$E2E_TMP/$1
	mkdir -p "$dir"
	(
		trap - EXIT INT TERM
		E2E_SERIAL="unix:$dir/serial.sock,server=on,wait=on" SI_WAIT=1 \
		SI_MEM=512 SI_SRC=0x18000000 \
		SI_CMDLINE="console=ttyS0 khoprobe.exit=halt khoprobe.chain=never $2" \
			e2e_standin "$dir/qemu" 120 e2e-legacy \
			-monitor "unix:$dir/monitor.sock,server=on,wait=off"
	) &
	qpid=$!
	E2E_QEMU_PID=$qpid
	perl "$E2E_TOOLS/nowrite.pl" "$dir/serial.sock" "$dir/monitor.sock" \
		"$dir" "$MEM" "${3:-}" 2>"$dir/nowrite.err"
	driver=$?
	wait "$qpid"
	E2E_QEMU_PID=
	log=$dir/serial.log
	allow=$(sed -n 's/^footprint: [a-z ()]*\[\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)).*/\1-\2/p' "$log" |
		grep -v '^$' | tr '\n' ' ')
	# shellcheck disable=SC2086
	[ -f "$dir/after.bin" ] && perl "$E2E_TOOLS/memdiff.pl" "$dir/before.bin" \
		"$dir/after.bin" $allow >"$dir/diff.txt"
	outside=$(sed -n 's/^outside //p' "$dir/diff.txt" 2>/dev/null)
	inside=$(sed -n 's/^inside //p' "$dir/diff.txt" 2>/dev/null)
}

for run in readonly canary; do
	f=$tap_fail
	if [ $run = canary ]; then
		nowrite $run "khoprobe.dma_canary=0000:00:02.0@0x102000+0x400"
	else
		nowrite $run "" elf
	fi
	[ "$driver" = 0 ] && [ -s "$dir/before.bin" ] && [ -s "$dir/after.bin" ]
	ok $? "$run: RAM dumped before the jump into khoprobe and after its report"
	[ "$(e2e_verdict "$log")" = pass ] && [ "$(e2e_check_status "$log" dma.live)" = pass ]
	ok $? "$run: khoprobe's verdict pass, dma.live pass ($(e2e_check_detail "$log" dma.live | cut -c1-60)...)"
	[ -n "$allow" ] && [ "${inside:-0}" -gt 0 ]
	ok $? "$run: the comparison sees khoprobe's own writes inside its footprint ($inside bytes in $allow)"
	[ "$outside" = 0 ]
	ok $? "$run: 0 bytes changed outside khoprobe's footprint, preserved memory included (got ${outside:-none})"
	if [ $run = readonly ]; then
		bp=$(sed -n 's/^machine: entered via .*boot_params \(0x[0-9a-f]*\) .*/\1/p' "$log")
		"$BUILD/khodump" --json --boot-params "$bp" "$dir/after.elf" >"$dir/khodump.json" 2>&1
		[ $? = 0 ] && grep -q '"verdict":"pass"' "$dir/khodump.json"
		ok $? "$run: khodump on the after-dump (QEMU dump-guest-memory) finds the handover intact"
	fi
	if [ "$tap_fail" != "$f" ]; then
		cat "$dir/nowrite.err" "$dir/diff.txt" 2>/dev/null | head -20 | diag
		tail -n 20 "$log" 2>/dev/null | cut -c1-200 | diag
	fi
	rm -f "$dir/before.bin" "$dir/after.bin" "$dir/after.elf"
done

# The comparison itself: one byte changed in a copy must show up outside.
printf 'abcdefgh' >"$E2E_TMP/a.bin"
printf 'abcdXfgh' >"$E2E_TMP/b.bin"
perl "$E2E_TOOLS/memdiff.pl" "$E2E_TMP/a.bin" "$E2E_TMP/b.bin" 0-4 | grep -q '^outside 1$'
ok $? "memdiff counts a changed byte outside the allowed ranges"
perl "$E2E_TOOLS/memdiff.pl" "$E2E_TMP/a.bin" "$E2E_TMP/b.bin" 4-5 | grep -q '^outside 0$'
ok $? "memdiff does not count a changed byte inside an allowed range"
exit 0
