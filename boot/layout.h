/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KHOPROBE_BOOT_LAYOUT_H
#define KHOPROBE_BOOT_LAYOUT_H

#include "machine.h"

/*
 * Where our image, stack, heap and page-table pool are.  The bzImage and
 * PVH builds take it from the linker script (arch/x86/layout.c); the EFI
 * build from its boot-services allocations (boot/efi.c).
 */
void boot_layout_init(struct boot_layout *l);

struct probe;
/*
 * Called once the report is printed, before chaining or the exit: the
 * UEFI build steps back into the firmware here to show a summary on
 * ConOut and leave boot services.  NULL in the other builds.
 */
extern void (*boot_report_done)(struct probe *p);

#endif
