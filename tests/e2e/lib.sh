# SPDX-License-Identifier: GPL-2.0-only
# Shared helpers of the end-to-end QEMU tests (sourced by tests/t/5*.t,
# tests/e2e/*.sh).  Every QEMU run is wrapped in timeout, logs COM1 to a
# file and leaves through isa-debug-exit.

E2E_TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$E2E_TOP/build}
case "$BUILD" in /*) ;; *) BUILD=$E2E_TOP/$BUILD ;; esac
E2E=$BUILD/e2e
E2E_KERNEL=$E2E/kernel/vmlinuz
E2E_INIT=$E2E/init
E2E_STANDIN=$E2E/standin.elf
E2E_TOOLS=$E2E_TOP/tests/e2e
KHOPROBE_BZ=$BUILD/khoprobe.bzImage

# QEMU exit statuses: isa-debug-exit turns value v into (v << 1) | 1.
E2E_RC_INIT_OK=99	# tests/e2e/init.c reached its marker
E2E_RC_STANDIN_FAIL=127	# tests/standin gave up

tap_n=0
tap_fail=0
ok() {	# ok COND-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=$((tap_fail + 1))
	fi
}
diag() { sed 's/^/# /'; }

# e2e_need FILE...: skip the whole test when a build product is missing.
e2e_need() {
	for f in "$@"; do
		if [ ! -e "$f" ]; then
			echo "1..0 # SKIP $f not built (make check builds it)"
			exit 0
		fi
	done
}

e2e_tmp() {
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/khoprobe-e2e.XXXXXX")
	trap 'e2e_cleanup' EXIT INT TERM
}

e2e_cleanup() {
	[ -n "${E2E_QEMU_PID:-}" ] && kill "$E2E_QEMU_PID" 2>/dev/null
	[ -n "${E2E_KEEP:-}" ] || rm -rf "$E2E_TMP"
}

# e2e_qemu LOG SECONDS QEMU-ARGS...: run QEMU (TCG), COM1 into LOG (with
# \r and escape sequences removed afterwards); returns QEMU's exit status.
e2e_qemu() {
	_log=$1
	_secs=$2
	shift 2
	if [ -n "${E2E_STDOUT:-}" ]; then	# COM1 on stdout, as it comes
		timeout --kill-after=5 "$_secs" qemu-system-x86_64 -accel tcg \
			-nodefaults -display none -no-reboot -serial stdio \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
			2>"$_log.qemu"
		return $?
	fi
	timeout --kill-after=5 "$_secs" qemu-system-x86_64 -accel tcg \
		-nodefaults -display none -no-reboot \
		-serial "${E2E_SERIAL:-file:$_log.raw}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
		>"$_log.qemu" 2>&1
	_rc=$?
	[ -f "$_log.raw" ] && e2e_clean_log "$_log.raw" >"$_log"
	return $_rc
}

e2e_clean_log() {
	tr -d '\r' <"$1" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}

# e2e_linux LOG SECONDS MODE INITRD [QEMU-ARGS...]: Debian's kernel with
# INITRD; the init's mode (tests/e2e/init.c) is MODE.
e2e_linux() {
	_l=$1
	_s=$2
	_m=$3
	_i=$4
	shift 4
	e2e_qemu "$_l" "$_s" -M q35 -m 1024 -kernel "$E2E_KERNEL" \
		-initrd "$_i" \
		-append "console=ttyS0 panic=-1 quiet e2e.mode=$_m" "$@"
}

# e2e_json LOG: the KHOPROBE-JSON line of the last report in LOG.
e2e_json() {
	sed -n 's/^.*KHOPROBE-JSON: //p' "$1" | tail -n 1
}

# e2e_check_status LOG ID: pass | fail | skip | warn ("" when absent), from
# the JSON line of the last report in LOG.
e2e_check_status() {
	e2e_json "$1" | perl -ne '
		if (/"id":\s*"\Q'"$2"'\E",\s*"status":\s*"([a-z]+)"/) { print $1; exit }'
}

e2e_check_detail() {
	e2e_json "$1" | perl -ne '
		if (/"id":\s*"\Q'"$2"'\E",\s*"status":\s*"[a-z]+",\s*"detail":\s*"((?:[^"\\]|\\.)*)"/) { print $1; exit }'
}

e2e_verdict() {
	e2e_json "$1" | perl -ne 'if (/"verdict":\s*"([a-z]+)"/) { print $1; exit }'
}

# khoprobe's documented statuses (arch/x86/exit.h): pass 1, fail 3,
# CPU exception 5, boot error 7.
e2e_payload_rc() {
	case "$1" in
	pass) echo 1 ;;
	fail) echo 3 ;;
	*) echo 7 ;;
	esac
}

# e2e_handover SCENARIO DIR: produce SCENARIO as raw segments in DIR; the
# QEMU -device loader arguments go to DIR/loader.args.
e2e_handover() {
	mkdir -p "$2"
	"$BUILD/mkhandover" "$1" --segments "$2" >"$2/mkhandover.out" || return 1
	grep '^-device loader' "$2/mkhandover.out" >"$2/loader.args"
}

# e2e_standin LOG SECONDS SCENARIO [QEMU-ARGS...]: the old-kernel stand-in
# with SCENARIO's handover in RAM hands over to a kernel, khoprobe.bzImage
# unless SI_IMAGE says otherwise.  Environment:
#   SI_MEM (1024)        guest RAM in MiB
#   SI_SCALABLE          non-empty: intel-iommu x-scalable-mode=on
#   SI_LOAD (0x1000000)  where the stand-in places the kernel (scratch)
#   SI_ZP (0x7f00000)    its zero page and command line (scratch)
#   SI_INITRD            a file passed as initrd, placed at SI_INITRD_DST
#   SI_CMDLINE           the kernel's command line
#   SI_WAIT              non-empty: stop before the jump until COM1 input
#   SI_CPU               QEMU -cpu model (e.g. max,+la57 for 5-level paging)
#   SI_SRC (0x30000000)  where QEMU loads the kernel file, outside scratch
#                        (SI_SRC + 64 MiB for the initrd file)
e2e_standin() {
	_log=$1
	_secs=$2
	_scen=$3
	shift 3
	_seg=$E2E_TMP/seg-$_scen
	[ -f "$_seg/loader.args" ] || e2e_handover "$_scen" "$_seg" || return 1
	_img=${SI_IMAGE:-$KHOPROBE_BZ}
	_iommu=intel-iommu,aw-bits=39
	[ -n "${SI_SCALABLE:-}" ] && _iommu=$_iommu,x-scalable-mode=on
	_src=$(printf '0x%x' "${SI_SRC:-0x30000000}")
	_isrc=$(printf '0x%x' $((_src + 0x4000000)))
	_args="image=$_src,$(stat -c %s "$_img") load=${SI_LOAD:-0x1000000} zp=${SI_ZP:-0x7f00000}"
	_initrd=""
	if [ -n "${SI_INITRD:-}" ]; then
		_args="$_args initrd=$_isrc,$(stat -c %s "$SI_INITRD") initrd_dst=${SI_INITRD_DST:-0x5000000}"
		_initrd="-device loader,file=$SI_INITRD,addr=$_isrc,force-raw=on"
	fi
	[ -n "${SI_WAIT:-}" ] && _args="$_args wait=1"
	_cpu=""
	[ -n "${SI_CPU:-}" ] && _cpu="-cpu $SI_CPU"
	# shellcheck disable=SC2046,SC2086
	e2e_qemu "$_log" "$_secs" -M q35 -m "${SI_MEM:-1024}" \
		-device "$_iommu" -device edu,addr=02.0 \
		-kernel "$E2E_STANDIN" \
		-append "$_args -- ${SI_CMDLINE:-}" \
		-device "loader,file=$_img,addr=$_src,force-raw=on" \
		$_cpu $_initrd $(cat "$_seg/loader.args") "$@"
}
