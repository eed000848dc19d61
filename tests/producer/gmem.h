/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sparse guest physical memory for building handovers in tests.
 *
 * Declare RAM extents, write bytes anywhere inside them (backing pages are
 * allocated on first write, unwritten RAM reads as zero), then save it as
 * the ELF core of spec/interfaces.md or read it through a physmem.
 */
#ifndef KHOPROBE_GMEM_H
#define KHOPROBE_GMEM_H

#include <stddef.h>
#include <stdint.h>

#include "../../lib/physmem.h"

#define GMEM_PAGE	4096ULL

struct gmem;

struct gmem *gmem_new(void);
void gmem_free(struct gmem *g);

/* Declare [pa, pa + size) as RAM (page-aligned). Extents must not overlap. */
void gmem_add_ram(struct gmem *g, uint64_t pa, uint64_t size);
/* Whole range inside declared RAM. */
int gmem_is_ram(const struct gmem *g, uint64_t pa, uint64_t len);

/* Write/read bytes; the range must be RAM (aborts the test otherwise). */
void gmem_write(struct gmem *g, uint64_t pa, const void *buf, size_t len);
void gmem_read(const struct gmem *g, uint64_t pa, void *buf, size_t len);
void gmem_write_u64(struct gmem *g, uint64_t pa, uint64_t v);
void gmem_write_u32(struct gmem *g, uint64_t pa, uint32_t v);
uint64_t gmem_read_u64(const struct gmem *g, uint64_t pa);
/*
 * A writable pointer to [pa, pa + len) when it does not cross a 4 KiB
 * page; backing is allocated (zeroed) on demand.
 */
void *gmem_page_ptr(struct gmem *g, uint64_t pa, size_t len);

/* A bump allocator over one window of RAM, for placing structures. */
struct galloc {
	struct gmem *g;
	uint64_t next, end;
};

void galloc_init(struct galloc *a, struct gmem *g, uint64_t start,
		 uint64_t end);
/* Aligned, zero-filled range; aborts when the window is exhausted. */
uint64_t galloc(struct galloc *a, uint64_t size, uint64_t align);

/* Save as an ELF64 core (ET_CORE, EM_X86_64, one PT_LOAD per run). */
int gmem_write_core(const struct gmem *g, const char *path);

/* Read it back through the physmem interface (for unit tests). */
void gmem_physmem(const struct gmem *g, struct physmem *pm);

/* Backed (written) pages, for sizing and benchmarks. */
size_t gmem_backed_pages(const struct gmem *g);

#endif
