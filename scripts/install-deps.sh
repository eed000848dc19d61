#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages khoprobe builds and tests with.  Idempotent:
# does nothing when every package is already there.  Needs root for apt-get.
set -eu

PKGS="make gcc binutils libc6-dev gnu-efi libfdt-dev newlib-source
qemu-system-x86 ovmf device-tree-compiler libelf-dev graphviz
kexec-tools cpio gzip perl clang llvm xz-utils gdb python3"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: run as root (apt-get needs it)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
