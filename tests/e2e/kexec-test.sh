#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Real Linux as the loader: Debian's kernel boots an initramfs whose init
# loads build/khoprobe.bzImage with kexec -s (kexec_file_load) or
# kexec -l -t bzImage64 (kexec_load) and runs kexec -e.  Debian's 6.1 has
# no KHO, so khoprobe must come up from a real kexec and say cleanly that
# there is no handover.  TAP on stdout.
#
#   kexec-test.sh s|l
. "$(dirname "$0")/lib.sh"

mode=${1:?usage: kexec-test.sh s|l}
e2e_need "$E2E_KERNEL" "$E2E_INIT" "$KHOPROBE_BZ"
e2e_tmp
echo "1..8"

echo "console=ttyS0 khoprobe.chain=never" >"$E2E_TMP/cmdline"
sh "$E2E_TOOLS/mkinitramfs.sh" "$E2E_TMP/initrd.cpio" "$E2E_INIT" --kexec \
	"payload.bz=$KHOPROBE_BZ" "payload.cmdline=$E2E_TMP/cmdline"
log=$E2E_TMP/serial.log
e2e_linux "$log" 120 "kexec-$mode" "$E2E_TMP/initrd.cpio"
rc=$?

grep -q "E2E-INIT: loaded, kexec -e" "$log"
ok $? "Debian's Linux loaded khoprobe.bzImage with kexec -$mode"
grep -q "KHOPROBE-JSON: " "$log"
ok $? "khoprobe came up after kexec -e and printed its JSON report"
grep -q '^KTAP version' "$log"
ok $? "KTAP report present"
[ "$(e2e_check_status "$log" boot.params)" = pass ]
ok $? "boot.params passes on the zero page Linux's kexec built"
[ "$(e2e_check_status "$log" boot.setup-data)" = pass ]
ok $? "boot.setup-data passes"
st=$(e2e_check_status "$log" kho.present)
[ "$st" = fail ] && e2e_check_detail "$log" kho.present | grep -qi 'no.*\(kho\|type 10\|setup_data\)'
ok $? "kho.present reports that this kernel handed over nothing (got: $st: $(e2e_check_detail "$log" kho.present))"
[ "$(e2e_check_status "$log" kho.fdt)" = skip ]
ok $? "checks that need a handover skip instead of failing"
expect=$(e2e_payload_rc "$(e2e_verdict "$log")")
[ "$rc" = "$expect" ]
ok $? "QEMU exit status $rc is the documented one for verdict $(e2e_verdict "$log") ($expect)"

if [ "$tap_fail" != 0 ]; then
	echo "# serial log:"
	tail -n 60 "$log" | diag
	tail -n 5 "$log.qemu" | diag
fi
exit 0
