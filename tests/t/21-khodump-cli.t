#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# khodump's command line contract (spec/interfaces.md): --json is one JSON
# object, --dot renders with Graphviz, --explain narrates the hops, --kho
# starts from kho_data, addresses in decimal or hex, exit codes 0/1/2, and
# hostile files end cleanly.  Runs the sanitized build.
cd "$(dirname "$0")/../.." || exit 1
MK=build/mkhandover
KD=build/asan/khodump
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
if [ ! -x "$MK" ] || [ ! -x "$KD" ]; then
	echo "1..0 # SKIP build $MK and $KD first"
	exit 0
fi
export UBSAN_OPTIONS=halt_on_error=1

"$MK" valid-kho-v3-luo-struct-b -o "$T/good" > "$T/good.mk"
"$MK" corrupt-map-radix-cycle -o "$T/bad" > "$T/bad.mk"
BP=$(sed -n 's/^boot_params=//p' "$T/good.mk")
KDATA=$(sed -n 's/^kho_data=//p' "$T/good.mk")

"$KD" --json --boot-params "$BP" "$T/good" > "$T/j"; rc=$?
[ $rc = 0 ]; ok $? "valid core: exit 0"
python3 - "$T/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"] == "khodump" and d["verdict"] == "pass"
assert {c["id"] for c in d["checks"]} >= {"kho.fdt", "luo.flb-table", "memfd.folios"}
k, l = d["handover"]["kho"], d["handover"]["luo"]
assert k["generation"] == "kho-v3" and k["memory_map"]["encoding"] == "radix"
assert k["memory_map"]["preserved_blocks"] > 0 and k["scratch"]
assert {s["name"] for s in k["subtrees"]} == {"LUO", "memblock", "kexec-metadata"}
assert l["generation"] == "luo-ser-b" and l["flbs"][0]["name"] == "liveupdate-test-flb-v1"
assert l["sessions"][0]["files"][0]["memfd"]["folios"] == 8
PY
ok $? "--json: one object with decoded generations, scratch, subtrees, LUO"
[ "$(wc -l < "$T/j")" = 1 ]; ok $? "--json: a single line"

"$KD" --json --boot-params "$BP" "$T/bad" > "$T/jb"; rc=$?
[ $rc = 1 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdict"]=="fail"; assert [c for c in d["checks"] if c["id"]=="kho.memory-map"][0]["status"]=="fail"' "$T/jb"
ok $? "--json on a corrupt core: verdict fail, exit 1"

"$KD" --dot "$T/g.dot" --boot-params "$BP" "$T/good" > /dev/null &&
	head -1 "$T/g.dot" | grep -q '^digraph' && dot -Tsvg "$T/g.dot" > "$T/g.svg" &&
	grep -q 'kho_fdt' "$T/g.dot" && grep -q 'flb_table' "$T/g.dot"
ok $? "--dot writes a digraph that dot -Tsvg renders"
"$KD" --dot "$T/b.dot" --boot-params "$BP" "$T/bad" > /dev/null
dot -Tsvg "$T/b.dot" > /dev/null
ok $? "--dot on a corrupt core renders too"

"$KD" --explain --boot-params "$BP" "$T/good" > "$T/e"
grep -q "^setup_data node 0x[0-9a-f]*: type 10, len 32" "$T/e" &&
	grep -q "^preserved-memory-map = 0x[0-9a-f]*: level-5 root" "$T/e" &&
	grep -q "^LUO blob 0x[0-9a-f]* is luo_ser variant B" "$T/e" &&
	grep -q "^FLB table at 0x" "$T/e" && grep -q "memfd_luo_ser 0x" "$T/e"
ok $? "--explain narrates each hop with its address"
"$KD" --json --explain --boot-params "$BP" "$T/good" 2> "$T/e2" > "$T/j2"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/j2" && grep -q "KHO root FDT" "$T/e2"
ok $? "--json --explain: JSON alone on stdout, narration on stderr"

"$MK" valid-kho-v1-luo-fdt -o "$T/v1" > /dev/null
"$KD" --explain --boot-params "$BP" "$T/v1" | grep -q "chunk 0x[0-9a-f]*: order"
ok $? "--explain walks kho-v1 chunks"

"$KD" --kho "$KDATA" "$T/good" > "$T/k"; rc=$?
[ $rc = 0 ] && grep -q '^\[SKIP\] boot.params: started from kho_data' "$T/k"
ok $? "--kho ADDR starts from kho_data"
"$KD" --boot-params "$(printf '%d' "$BP")" "$T/good" > /dev/null
ok $? "decimal address accepted"

"$KD" --boot-params 0x7f00000000 "$T/good" > "$T/o"; rc=$?
[ $rc = 1 ] && grep -q '^\[FAIL\] boot.params: boot_params 0x7f00000000 unreadable' "$T/o"
ok $? "boot_params outside the dump: a failed check, exit 1"

expect2() {	# expect2 DESCRIPTION ARGS...
	d=$1; shift
	"$KD" "$@" > "$T/o2" 2> "$T/e2"; rc=$?
	[ $rc = 2 ] && [ -s "$T/e2" ] && ! grep -q 'Sanitizer' "$T/e2"
	ok $? "exit 2: $d"
}
printf 'not an elf\n' > "$T/text"
: > "$T/empty"
expect2 "no such file" --boot-params "$BP" "$T/nonexistent"
expect2 "not an ELF file" --boot-params "$BP" "$T/text"
expect2 "empty file" --boot-params "$BP" "$T/empty"
expect2 "ELF but not a core" --boot-params "$BP" "$MK"
expect2 "unknown option" --frobnicate --boot-params "$BP" "$T/good"
expect2 "bad address" --boot-params 0xZZ "$T/good"
expect2 "negative address" --boot-params -5 "$T/good"
expect2 "no start address" "$T/good"
expect2 "two start addresses" --kho 1 --boot-params 2 "$T/good"
expect2 "two files" --boot-params "$BP" "$T/good" "$T/good"
expect2 "a directory" --boot-params "$BP" "$T"

# Hostile files: truncated, header-only, bytes flipped: never a crash.
head -c 64 "$T/good" > "$T/hdr"
head -c 5000 "$T/good" > "$T/trunc"
python3 - "$T/good" "$T/flip" <<'PY'
import sys, random
b = bytearray(open(sys.argv[1], "rb").read())
r = random.Random(1)
for _ in range(4000):
	b[r.randrange(len(b))] ^= 1 << r.randrange(8)
open(sys.argv[2], "wb").write(b)
PY
for f in hdr trunc flip; do
	timeout 20 "$KD" --json --boot-params "$BP" "$T/$f" > "$T/o3" 2> "$T/e3"; rc=$?
	{ [ $rc = 1 ] || [ $rc = 2 ] || [ $rc = 0 ]; } && ! grep -q 'Sanitizer\|runtime error' "$T/e3"
	ok $? "hostile core '$f': clean exit $rc"
done
# --segments: raw files and QEMU loader arguments covering the zero page
"$MK" valid-kho-v2-luo-fdt --segments "$T/seg" > "$T/seg.out"
bp=$(sed -n 's/^boot_params=//p' "$T/seg.out")
python3 - "$T/seg.out" "$bp" <<'PY'
import os, re, sys
lines = open(sys.argv[1]).read().splitlines()
bp = int(sys.argv[2], 16)
segs = [re.fullmatch(r"-device loader,file=(\S+),addr=0x([0-9a-f]+),force-raw=on", l)
        for l in lines if l.startswith("-device")]
assert segs and all(segs)
cover = False
for m in segs:
	size, addr = os.path.getsize(m.group(1)), int(m.group(2), 16)
	assert size > 0 and size % 4096 == 0 and addr % 4096 == 0
	assert addr >= 0x100000 and addr + size <= 0x3ffe0000
	cover |= addr <= bp < addr + size
assert cover
PY
ok $? "--segments: raw files and -device loader arguments inside guest RAM"

echo "1..$n"
[ $fails = 0 ]
