#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Linux -> khoprobe -> Linux with real kexec: Debian's kernel loads
# khoprobe.bzImage with kexec -s and, as its initrd, a chain archive holding
# Debian's kernel again and a marker initramfs.  khoprobe (no KHO from 6.1,
# so its verdict is fail and khoprobe.chain=always is needed) places the
# next kernel in free RAM and starts it; that kernel must reach its init.
. "$(dirname "$0")/../e2e/lib.sh"

e2e_need "$E2E_KERNEL" "$E2E_INIT" "$KHOPROBE_BZ"
e2e_tmp
echo "1..5"

sh "$E2E_TOOLS/mkinitramfs.sh" "$E2E_TMP/marker.cpio" "$E2E_INIT"
sh "$E2E_TOOLS/mkchain.sh" "$E2E_TMP/chain.cpio" "$E2E_KERNEL" \
	"$E2E_TMP/marker.cpio" "console=ttyS0 panic=-1 quiet e2e.mode=marker"
echo "console=ttyS0 khoprobe.chain=always" >"$E2E_TMP/cmdline"
sh "$E2E_TOOLS/mkinitramfs.sh" "$E2E_TMP/initrd.cpio" "$E2E_INIT" --kexec \
	"payload.bz=$KHOPROBE_BZ" "payload.cmdline=$E2E_TMP/cmdline" \
	"payload.initrd=$E2E_TMP/chain.cpio"
log=$E2E_TMP/serial.log
e2e_linux "$log" 150 kexec-s "$E2E_TMP/initrd.cpio"
rc=$?

grep -q 'E2E-INIT: loaded, kexec -e' "$log" && grep -q '^machine: initrd \[0x' "$log"
ok $? "kexec -s loaded khoprobe with the chain archive as its initrd"
[ "$(e2e_verdict "$log")" = fail ] && [ "$(e2e_check_status "$log" kho.present)" = fail ]
ok $? "khoprobe reported on what 6.1 gave it: no KHO node"
grep -q '^chain: .*next kernel 0x[0-9a-f]* bytes at 0x[0-9a-f]*' "$log"
ok $? "khoprobe.chain=always placed the next kernel: $(sed -n 's/^chain: .*\(next kernel [^,]*\),.*/\1/p' "$log")"
grep -q 'E2E-INIT: reached /init of Linux' "$log"
ok $? "the next Linux reached its init"
[ "$rc" = "$E2E_RC_INIT_OK" ]
ok $? "QEMU status $rc is the init marker's $E2E_RC_INIT_OK"
[ "$tap_fail" = 0 ] || { tail -n 30 "$log" | cut -c1-200 | diag; tail -n 3 "$log.qemu" | diag; }
exit 0
