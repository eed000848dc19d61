# SPDX-License-Identifier: GPL-2.0-only
# TAP helpers for shell tests: source it, call check/has/lacks, then done.
#
#   . tests/lib/tap.sh
#   check "QEMU status is 3" [ "$rc" -eq 3 ]
#   has "$log" 'verdict: fail' "report has the verdict"
#   done_testing

TAP_N=0
TAP_FAILED=0
TAP_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TAP_ROOT/build}

tap_result() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	desc=$1
	shift
	"$@" >/dev/null 2>&1
	tap_result $? "$desc"
}

# has FILE REGEX DESCRIPTION: FILE has a line matching the extended REGEX.
has() {
	grep -Eq -- "$2" "$1"
	r=$?
	tap_result $r "$3"
	[ $r -eq 0 ] || echo "# no line matching /$2/ in $1"
}

# lacks FILE REGEX DESCRIPTION: no line of FILE matches.
lacks() {
	if grep -Eq -- "$2" "$1"; then
		tap_result 1 "$3"
		grep -E -- "$2" "$1" | head -n 3 | sed 's/^/# /'
	else
		tap_result 0 "$3"
	fi
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N # SKIP $1"
}

diag() {
	echo "# $*"
}

# The KHOPROBE-JSON line of FILE parses as JSON with the expected tool and
# verdict ($2).
json_ok() {
	line=$(grep '^KHOPROBE-JSON: ' "$1" | tail -n 1 | sed 's/^KHOPROBE-JSON: //')
	printf '%s' "$line" | perl -MJSON::PP -e '
		local $/; my $j = decode_json(<STDIN>);
		exit 1 unless $j->{tool} eq "khoprobe" && $j->{verdict} eq $ARGV[0];
		exit 1 unless ref $j->{checks} eq "ARRAY" && @{$j->{checks}} > 30;
		exit 1 unless ref $j->{handover} eq "HASH";' "$2"
	tap_result $? "KHOPROBE-JSON parses, tool khoprobe, verdict $2"
}

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
