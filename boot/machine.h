/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One normalized view of the machine, whichever way we were booted (Linux
 * boot_params from kexec or our 16-bit stub, PVH start info, UEFI).
 */
#ifndef KHOPROBE_BOOT_MACHINE_H
#define KHOPROBE_BOOT_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/out.h"

#define MACHINE_MAX_MEM		512
#define MACHINE_CMDLINE_MAX	2048

struct mem_range {
	uint64_t start, end;	/* [start, end) */
	uint32_t type;		/* E820_* */
};

struct machine {
	unsigned int kind;		/* BOOT_* of arch/x86/entry.h */
	const char *entry;		/* "pvh", "linux64", ... */
	const char *mem_source;
	struct mem_range mem[MACHINE_MAX_MEM];
	size_t nmem;
	size_t mem_dropped;		/* entries beyond MACHINE_MAX_MEM */
	char cmdline[MACHINE_CMDLINE_MAX];
	uint64_t cmdline_pa;
	bool cmdline_cut;
	uint64_t rsdp_pa;
	const char *rsdp_source;
	uint64_t initrd_pa, initrd_size;
	uint64_t setup_data_pa;		/* head of the chain, 0 if none */
	uint64_t boot_params_pa;	/* from the loader, 0 if none */
	uint64_t start_info_pa;		/* PVH */
	uint64_t efi_systab_pa;
	uint8_t loader_type;		/* boot_params type_of_loader */
};

/* The memory our program occupies, in physical addresses. */
struct boot_layout {
	/* Everything below lies in [image_start, image_end) for bzImage/PVH. */
	uint64_t image_start, image_end;
	uint64_t code_end;		/* end of code, data and .bss */
	uint64_t stack_lo, stack_hi;	/* stack_lo - 4 KiB is the guard */
	uint64_t heap_lo, heap_hi;
	/* Free KHO scratch the heap grows into; 0, 0 when none. */
	uint64_t heap_ext_lo, heap_ext_hi;
	uint64_t pool_lo, pool_hi;	/* page tables */
	uint64_t early_pt_lo, early_pt_hi;
};

extern struct machine machine;
extern struct boot_layout boot_layout;

/* Copy what the loader handed over before anything can overwrite it. */
void machine_from_boot_params(struct machine *m, uint64_t bp_pa);
void machine_from_pvh(struct machine *m, uint64_t start_info_pa);
/* Append a range, merging with the previous one when contiguous. */
void machine_add_mem(struct machine *m, uint64_t start, uint64_t size,
		     uint32_t type);
/* Sort by start and merge touching ranges of the same type. */
void machine_sort_mem(struct machine *m);
/* After paging: RSDP fallbacks (EFI tables, legacy BIOS scan). */
void machine_find_rsdp(struct machine *m);

/* Inside the memory map (any type) / inside type-RAM entries. */
bool machine_covers(const struct machine *m, uint64_t pa, uint64_t len,
		    bool ram_only);
const char *mem_type_name(uint32_t type);

/* Human lines "machine: ..." describing the view. */
void machine_print(struct out *o, const struct machine *m);

#endif
