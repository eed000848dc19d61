#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build a small initramfs (newc cpio, uncompressed: quicker under TCG).
#
#   mkinitramfs.sh OUT.cpio INIT [--kexec] [DEST=SRC ...]
#
# INIT becomes /init.  --kexec adds /sbin/kexec and every shared library it
# needs (found with ldd).  Each DEST=SRC copies the host file SRC to /DEST.
set -eu

out=${1:?usage: mkinitramfs.sh OUT INIT [--kexec] [DEST=SRC ...]}
init=${2:?missing INIT}
shift 2

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/proc" "$stage/sys" "$stage/dev" "$stage/sbin" "$stage/tmp"
mknod "$stage/dev/console" c 5 1 2>/dev/null || true
cp "$init" "$stage/init"
chmod 755 "$stage/init"

copy_with_libs() {
	cp "$1" "$stage$2"
	ldd "$1" | awk '/=>/ { print $3 } /^\t\// { print $1 }' |
	while read -r lib; do
		[ -f "$lib" ] || continue
		mkdir -p "$stage$(dirname "$lib")"
		cp -L "$lib" "$stage$lib"
	done
}

for arg in "$@"; do
	case "$arg" in
	--kexec)
		copy_with_libs "$(command -v kexec || echo /usr/sbin/kexec)" /sbin/kexec ;;
	*=*)
		dest=${arg%%=*}
		src=${arg#*=}
		mkdir -p "$stage/$(dirname "$dest")"
		cp "$src" "$stage/$dest" ;;
	*)
		echo "mkinitramfs: bad argument $arg" >&2
		exit 1 ;;
	esac
done

(cd "$stage" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
