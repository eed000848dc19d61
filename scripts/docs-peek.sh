#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Read physical memory out of an ELF core (the format khodump takes), for
# following docs/handover.md by hand.
#
#   scripts/docs-peek.sh CORE ADDR [N]          N little-endian u64 (default 4)
#   scripts/docs-peek.sh CORE ADDR LEN --raw    LEN raw bytes on stdout
#
# ADDR is a physical address (0x-hex or decimal).  Bytes not in any
# PT_LOAD read as "--".
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
exec "$py" - "$@" <<'PY'
import struct, sys

def segments(f):
    f.seek(0)
    h = f.read(64)
    if h[:4] != b'\x7fELF' or h[4] != 2:
        sys.exit("docs-peek: not an ELF64 core")
    phoff, = struct.unpack_from('<Q', h, 32)
    phentsize, phnum = struct.unpack_from('<HH', h, 54)
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        typ, _, off, _, pa, filesz, memsz, _ = struct.unpack('<IIQQQQQQ', f.read(56))
        if typ == 1:
            yield pa, off, filesz, memsz

def read(f, segs, pa, n):
    out = bytearray()
    while n > 0:
        for s_pa, off, filesz, memsz in segs:
            if s_pa <= pa < s_pa + memsz:
                take = min(n, s_pa + memsz - pa)
                inf = max(0, min(take, s_pa + filesz - pa))
                f.seek(off + pa - s_pa)
                out += f.read(inf) + bytes(take - inf)
                pa += take
                n -= take
                break
        else:
            return None
    return bytes(out)

args = sys.argv[1:]
if len(args) < 2:
    sys.exit("usage: docs-peek.sh CORE ADDR [N] | CORE ADDR LEN --raw")
with open(args[0], 'rb') as f:
    segs = list(segments(f))
    pa = int(args[1], 0)
    if len(args) > 3 and args[3] == '--raw':
        b = read(f, segs, pa, int(args[2], 0))
        if b is None:
            sys.exit("docs-peek: range not in the core")
        sys.stdout.buffer.write(b)
    else:
        for i in range(int(args[2], 0) if len(args) > 2 else 4):
            b = read(f, segs, pa + 8 * i, 8)
            v = '--' if b is None else '0x%016x' % struct.unpack('<Q', b)[0]
            print('0x%x: %s' % (pa + 8 * i, v))
PY
