# SPDX-License-Identifier: GPL-2.0-only
#
# gdb commands for debugging the payload under QEMU's gdbstub.  Run from
# the top of the tree (`make gdb` does; see docs/development.md).
#
# Symbols: build/khoprobe.elf is the PVH image.  QEMU loads it at its link
# address 0x0100_0000 and head.S computes a relocation delta of 0 there
# (the ELF has no relocations), so its symbols are right as they stand.
# The bzImage core (build/payload/core-bz.elf) is linked at 0 and relocates
# itself to wherever the loader put it: `khoprobe-bz BASE` loads its
# symbols at BASE, the address on the report's "footprint: image" line.
#
# Breakpoints: use hbreak before the image has started.  QEMU's PVH
# option ROM copies the image into RAM after the CPU starts, which would
# overwrite a software breakpoint planted in it early.

set pagination off
set confirm off
set architecture i386:x86-64
file build/khoprobe.elf

define khoprobe-bz
	symbol-file
	add-symbol-file build/payload/core-bz.elf -o $arg0
end
document khoprobe-bz
khoprobe-bz BASE: use the bzImage core's symbols, relocated to BASE.
end

define khoprobe-entry
	hbreak boot_main
	continue
	printf "boot_main(kind=%d, info=0x%lx), image at 0x%lx\n", $rdi, $rsi, arch_image_base
end
document khoprobe-entry
khoprobe-entry: run to the C entry boot_main and say where the image is.
end
