#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The documentation still matches the code:
# - the diagram command of docs/handover.md (scripts/docs-diagram.sh)
#   still runs, regenerates into build/docs a well-formed SVG holding the
#   nodes of every layer of the handover;
# - docs/checks.md has a section for every check ID of lib/checks.h, in
#   catalogue order;
# - every khoprobe.NAME option of the payload's option table
#   (boot/options.c) appears in docs/*.md;
# - every doc the README points to exists;
# - (TODO, not fatal) the committed diagram and the addresses quoted from
#   khodump --explain in docs/handover.md are those the code produces now.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
OUT=$BUILD/docs
PY=$(command -v /usr/bin/python3 || command -v python3)

if [ ! -x "$BUILD/khodump" ] || [ ! -x "$BUILD/mkhandover" ] || ! command -v dot >/dev/null; then
	echo "1..0 # SKIP needs $BUILD/khodump, $BUILD/mkhandover and Graphviz"
	exit 0
fi

# ---- the diagram ---------------------------------------------------------
rm -f "$OUT/handover.svg" "$OUT/handover.dot" "$OUT/handover.explain"
BUILD=$BUILD sh scripts/docs-diagram.sh "$OUT" > "$OUT.log" 2>&1
check "scripts/docs-diagram.sh regenerates the diagram into $OUT" [ $? -eq 0 ]
check "the documented scenario passes and narrates every hop" \
	grep -q '^verdict: pass' "$OUT/handover.explain"
check "the SVG is well-formed XML with an <svg> root" \
	"$PY" -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
sys.exit(0 if r.tag.endswith("}svg") or r.tag == "svg" else 1)' "$OUT/handover.svg"
# Graphviz writes each node's name as its <title>.
for node in boot_params kho_data kho_fdt kho_map LUO flb_table iommu_flb \
	    iommu_units iommu_domains iommu_devices unit_0 dom_0 dev_0 pt_0 \
	    'root_[0-9a-f]*' 'ctx_[0-9a-f]*' 'pasid_[0-9a-f]*'; do
	has "$OUT/handover.svg" "<title>$node</title>" "the SVG has node $node"
done
has "$OUT/handover.svg" '<title>kho_fdt&#45;&gt;LUO</title>' \
	"the SVG has the KHO FDT -> LUO edge"

check "the committed docs/img/handover.svg is well-formed and shown by docs/handover.md" \
	sh -c '"$1" -c "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])" docs/img/handover.svg &&
	       grep -q "](img/handover.svg)" docs/handover.md' sh "$PY"

# ---- checks.md follows the catalogue ---------------------------------------
ids=$(sed -n 's/^[[:space:]]*X([A-Z_0-9]*,[[:space:]]*"\([a-z.-]*\)").*/\1/p' lib/checks.h)
check "lib/checks.h lists the check IDs" [ "$(echo "$ids" | wc -l)" -ge 30 ]
missing=
for id in $ids; do
	grep -q "^### \`$id\`" docs/checks.md || missing="$missing $id"
done
check "docs/checks.md has a section for every check ID${missing:+ (missing:$missing)}" \
	[ -z "$missing" ]
doc_order=$(sed -n 's/^### `\([a-z.-]*\)`.*/\1/p' docs/checks.md)
check "docs/checks.md sections are in catalogue order" [ "$doc_order" = "$ids" ]

# Each catalogue scenario that fails a check is named in that check's
# section, and every scenario name the page gives exists.
"$BUILD/mkhandover" --list | cut -f1,3 > "$OUT/catalogue"
bad=$(awk -F'\t' -v doc=docs/checks.md '
	BEGIN {
		while ((getline line < doc) > 0) {
			if (line ~ /^### `/) { split(line, a, "`"); sec = a[2] }
			else if (sec != "") text[sec] = text[sec] " " line
		}
	}
	$2 != "-" && index(text[$2], "`" $1 "`") == 0 { print $1 "(" $2 ")" }
' "$OUT/catalogue")
check "checks.md names every failing scenario under its check${bad:+ (missing: $(echo $bad))}" [ -z "$bad" ]
bad=
for s in $(grep -o '`\(corrupt\|vtd\|e2e\|valid\)-[a-z0-9-]*`' docs/checks.md docs/abi-generations.md docs/handover.md | cut -d'`' -f2 | sort -u); do
	grep -q "^$s	" "$OUT/catalogue" || bad="$bad $s"
done
check "every scenario the docs name is in the catalogue${bad:+ (unknown:$bad)}" [ -z "$bad" ]

# ---- options -----------------------------------------------------------------
opts=$(sed -n '/option_table\[\] = {/,/^};/s/^[[:space:]]*{ "\([a-z_0-9]*\)",.*/\1/p' boot/options.c)
check "boot/options.c has an option table" [ -n "$opts" ]
missing=
for o in $opts; do
	cat docs/*.md | grep -q "khoprobe\.$o\b" || missing="$missing $o"
done
check "every khoprobe.NAME option is documented${missing:+ (missing:$missing)}" [ -z "$missing" ]

# ---- README links --------------------------------------------------------------
missing=
for d in handover checks abi-generations real-hardware development payload chain restore; do
	[ -f "docs/$d.md" ] && grep -q "docs/$d.md" README.md || missing="$missing $d"
done
check "README points to every doc and each exists${missing:+ (missing:$missing)}" [ -z "$missing" ]

# ---- drift (TODO: the code moved on, regenerate and re-quote) ----------------------
todo() {	# todo STATUS DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then echo "ok $TAP_N - $2"; else echo "not ok $TAP_N - $2 # TODO make docs-img, re-quote"; fi
}
cmp -s "$OUT/handover.dot" docs/img/handover.dot
todo $? "docs/img/handover.dot is what the code draws now"
stale=$(sed -n '/<!-- explain:begin -->/,/<!-- explain:end -->/p' docs/handover.md |
	grep -v '^<!--\|^```\|^    \.\.\.$\|^\.\.\.$\|^$' | while IFS= read -r line; do
		grep -qxF -- "$line" "$OUT/handover.explain" || echo x
	done | wc -l)
todo "$stale" "the explain excerpts in docs/handover.md are verbatim ($stale stale)"
# Memory read by hand in docs/handover.md (docs-peek lines "0xADDR: 0xVALUE"),
# from the documented scenario or, in the kho-v1 example, vtd-legacy-a.
"$BUILD/mkhandover" vtd-legacy-a -o "$OUT/legacy-a.core" > /dev/null
peeks=$(grep -Eo '^ *0x[0-9a-f]+: 0x[0-9a-f]{16}' docs/handover.md | sed 's/^ *//; s/://')
stale=0
while read -r addr val; do
	for core in "$OUT/handover.core" "$OUT/legacy-a.core"; do
		sh scripts/docs-peek.sh "$core" "$addr" 1 | grep -q " $val\$" && continue 2
	done
	stale=$((stale + 1))
	diag "docs/handover.md quotes $addr = $val; the cores say otherwise"
done <<PEEKS
$peeks
PEEKS
check "docs/handover.md quotes memory read with docs-peek ($(echo "$peeks" | wc -l) values)" \
	[ "$(echo "$peeks" | wc -l)" -ge 20 ]
todo "$stale" "every value docs/handover.md reads from memory is still there ($stale stale)"

done_testing
