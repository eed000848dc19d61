#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build newlib from Debian's newlib-source tarball into $1 (default
# build/newlib) for the freestanding payload: position independent, no red
# zone, no stack protector, C99 printf formats (%zu, %llx) without floats,
# the small malloc.  Does nothing when $1/lib/libc.a already exists.
set -eu

OUT=$(realpath -m "${1:-build/newlib}")
TARBALL=${NEWLIB_TARBALL:-/usr/src/newlib/newlib-3.3.0.tar.xz}

if [ -f "$OUT/lib/libc.a" ] && [ -f "$OUT/include/stdio.h" ]; then
	exit 0
fi
[ -f "$TARBALL" ] || { echo "build-newlib: $TARBALL missing (newlib-source)" >&2; exit 1; }

WORK="$OUT.work"
rm -rf "$WORK"
mkdir -p "$WORK/src" "$WORK/obj"
echo "build-newlib: building newlib into $OUT (about 2 minutes)"
tar -C "$WORK/src" -xf "$TARBALL"
SRC=$(ls -d "$WORK"/src/*/ | head -n 1)

FLAGS="-O2 -g -ffreestanding -fpic -mno-red-zone -fno-stack-protector"
FLAGS="$FLAGS -fno-asynchronous-unwind-tables"
cd "$WORK/obj"
"$SRC/configure" --target=x86_64-elf --prefix="$WORK/inst" \
	--disable-multilib --disable-newlib-supplied-syscalls \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--disable-newlib-io-float --enable-newlib-nano-malloc \
	--disable-newlib-multithread --disable-nls \
	CC_FOR_TARGET=gcc CXX_FOR_TARGET=g++ AR_FOR_TARGET=ar \
	AS_FOR_TARGET=as LD_FOR_TARGET=ld NM_FOR_TARGET=nm \
	RANLIB_FOR_TARGET=ranlib OBJDUMP_FOR_TARGET=objdump \
	READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip \
	CFLAGS_FOR_TARGET="$FLAGS" > "$WORK/configure.log" 2>&1
make -j"${NEWLIB_JOBS:-2}" all-target-newlib > "$WORK/build.log" 2>&1 || {
	tail -n 30 "$WORK/build.log" >&2; exit 1; }
make install-target-newlib > "$WORK/install.log" 2>&1
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r "$WORK/inst/x86_64-elf/include" "$OUT/include"
cp -r "$WORK/inst/x86_64-elf/lib" "$OUT/lib"
rm -rf "$WORK"
echo "build-newlib: done"
