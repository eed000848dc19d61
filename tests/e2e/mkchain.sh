#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build khoprobe's chain initrd (docs/chain.md): a newc cpio archive with
# khoprobe/next-kernel, optionally khoprobe/next-initrd and
# khoprobe/next-cmdline.
#
#   mkchain.sh OUT.cpio KERNEL [INITRD|-] [CMDLINE]
set -eu

out=${1:?usage: mkchain.sh OUT KERNEL [INITRD|-] [CMDLINE]}
kernel=${2:?missing KERNEL}
initrd=${3:--}
cmdline=${4:-}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/khoprobe"
cp "$kernel" "$stage/khoprobe/next-kernel"
[ "$initrd" != - ] && cp "$initrd" "$stage/khoprobe/next-initrd"
[ -n "$cmdline" ] && printf '%s\n' "$cmdline" >"$stage/khoprobe/next-cmdline"
(cd "$stage" && find khoprobe -print | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
