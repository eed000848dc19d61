/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of the x86 zero page (boot_params), the PVH start info and
 * setup_data that the payload reads, as byte offsets (boot protocol 2.12+).
 */
#ifndef KHOPROBE_BOOT_BOOTPARAMS_H
#define KHOPROBE_BOOT_BOOTPARAMS_H

#include <stdint.h>

#define BP_SIZE			4096
#define BP_ACPI_RSDP		0x070	/* u64 */
#define BP_EXT_RAMDISK_IMAGE	0x0c0	/* u32, high half */
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_EFI_INFO		0x1c0	/* 32 bytes */
#define BP_EFI_SYSTAB_LO	0x1c4
#define BP_EFI_SYSTAB_HI	0x1d8
#define BP_E820_ENTRIES		0x1e8	/* u8 */
#define BP_SENTINEL		0x1ef
#define BP_HDR			0x1f1	/* setup header starts here */
#define BP_TYPE_OF_LOADER	0x210
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_SETUP_DATA		0x250	/* u64 */
#define BP_E820_TABLE		0x2d0	/* 128 x 20 bytes */
#define BP_E820_MAX		128
#define E820_ENTRY_SIZE		20

#define EFI_LOADER_SIG64	0x34364c45u	/* "EL64" */

/* hvm_start_info (PVH), version 1. */
#define PVH_MAGIC		0x336ec578u
#define PVH_NR_MODULES		12	/* u32 */
#define PVH_MODLIST		16	/* u64 */
#define PVH_CMDLINE		24	/* u64 */
#define PVH_RSDP		32	/* u64 */
#define PVH_MEMMAP		40	/* u64 */
#define PVH_MEMMAP_ENTRIES	48	/* u32 */
#define PVH_INFO_SIZE		56
#define PVH_MEMMAP_ENTRY_SIZE	24
#define PVH_MODULE_SIZE		32

/* setup_data node header: u64 next, u32 type, u32 len, then len bytes. */
#define SETUP_DATA_HDR		16
#define SETUP_DATA_MAX_NODES	64
#define SETUP_E820_EXT		1

/* e820 types (also used for the normalized map). */
enum {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
	E820_PMEM = 7,
};

/* Entry @n of a zero page's e820 table: packed {u64 addr, u64 size, u32 type}. */
static inline void bp_put_e820(uint8_t *zp, unsigned int n, uint64_t addr,
			       uint64_t size, uint32_t type)
{
	uint8_t *e = zp + BP_E820_TABLE + n * E820_ENTRY_SIZE;

	for (int i = 0; i < 8; i++) {
		e[i] = (uint8_t)(addr >> 8 * i);
		e[8 + i] = (uint8_t)(size >> 8 * i);
	}
	for (int i = 0; i < 4; i++)
		e[16 + i] = (uint8_t)(type >> 8 * i);
}

#endif
