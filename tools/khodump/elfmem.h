/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Physical memory from an ELF64 core (spec/interfaces.md): every PT_LOAD
 * maps [p_paddr, p_paddr + p_memsz), file bytes for the first p_filesz and
 * zeros after.  Works over any in-memory buffer; never reads outside it.
 */
#ifndef KHOPROBE_ELFMEM_H
#define KHOPROBE_ELFMEM_H

#include <stddef.h>
#include <stdint.h>

#include "../../lib/physmem.h"

struct elfmem_seg {
	uint64_t pa, memsz, filesz, off;
};

struct elfmem {
	const uint8_t *buf;
	size_t len;
	struct elfmem_seg *seg;	/* sorted by pa */
	size_t nseg;
	struct physmem pm;
};

/*
 * Parse @buf (kept, not copied).  Returns 0, or -1 with *why set when it is
 * not a usable x86-64 ELF core.
 */
int elfmem_open(struct elfmem *m, const uint8_t *buf, size_t len,
		const char **why);
void elfmem_close(struct elfmem *m);

#endif
