#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Render the handover diagram of docs/handover.md: build one catalogue
# scenario as an ELF core, run khodump on it with --explain and --dot, and
# turn the Graphviz file into SVG.
#
#   scripts/docs-diagram.sh [OUTDIR]        (default build/docs)
#
# Writes OUTDIR/handover.{core,explain,dot,svg}.  DOC_SCENARIO picks the
# scenario (default vtd-scalable-ss-c), BUILD the build directory.
# `make docs-img` runs it with OUTDIR=docs/img and keeps the .dot and .svg.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
case "$build" in /*) ;; *) build=$top/$build ;; esac
out=${1:-$build/docs}
scenario=${DOC_SCENARIO:-vtd-scalable-ss-c}

for tool in "$build/mkhandover" "$build/khodump"; do
	[ -x "$tool" ] || { echo "docs-diagram: build $tool first (make all)" >&2; exit 1; }
done
command -v dot >/dev/null || { echo "docs-diagram: needs Graphviz's dot" >&2; exit 1; }
mkdir -p "$out"

"$build/mkhandover" "$scenario" -o "$out/handover.core" > "$out/handover.mk"
bp=$(sed -n 's/^boot_params=//p' "$out/handover.mk")
[ -n "$bp" ] || { echo "docs-diagram: no boot_params= from mkhandover" >&2; exit 1; }

# khodump exits 1 on a failing verdict; the documented scenario must pass.
"$build/khodump" --explain --dot "$out/handover.dot" --boot-params "$bp" \
	"$out/handover.core" > "$out/handover.explain"
dot -Tsvg "$out/handover.dot" -o "$out/handover.svg"
echo "docs-diagram: $scenario (boot_params $bp) -> $out/handover.svg"
