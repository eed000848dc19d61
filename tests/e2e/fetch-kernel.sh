#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Fetch Debian's current bookworm kernel image without installing it and
# extract its vmlinuz.  The version is whatever linux-image-amd64 depends on
# today (apt-cache), so the test follows Debian's security updates.
#
#   fetch-kernel.sh OUTDIR      -> OUTDIR/vmlinuz, OUTDIR/version
set -eu

out=${1:?usage: fetch-kernel.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -s "$out/vmlinuz" ] && [ -s "$out/version" ]; then
	touch "$out/vmlinuz"	# newer than this script: make is satisfied
	exit 0
fi

kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1
}

pkg=$(kernel_package)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	# A fresh machine may have no package lists yet.
	apt-get update -qq >/dev/null 2>&1 || true
	pkg=$(kernel_package)
fi
if [ -z "$pkg" ]; then
	echo "fetch-kernel: cannot find the kernel linux-image-amd64 depends on" >&2
	exit 1
fi

cd "$out"
rm -f ./*.deb
# _apt cannot write to a root-owned build dir; the download is still verified.
apt-get download "$pkg" >/dev/null 2>&1 || apt-get download "$pkg"
deb=$(ls ./*.deb | head -n1)
rm -rf x && mkdir x
dpkg-deb --fsys-tarfile "$deb" | tar -x -C x --wildcards './boot/vmlinuz-*'
vmlinuz=$(ls x/boot/vmlinuz-* | head -n1)
mv "$vmlinuz" vmlinuz.tmp && mv vmlinuz.tmp vmlinuz && touch vmlinuz
basename "$vmlinuz" | sed 's/^vmlinuz-//' > version
rm -rf x "$deb"
echo "fetch-kernel: $(cat version) from $pkg"
