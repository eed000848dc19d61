/* SPDX-License-Identifier: GPL-2.0-only */
/* Old-kernel stand-in: bare-metal helpers shared by its files. */
#ifndef KHOPROBE_STANDIN_H
#define KHOPROBE_STANDIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Port I/O, rdtsc and control registers: the payload's own wrappers. */
#include "../../arch/x86/cpu.h"

/* QEMU exits with (0x3f << 1) | 1 = 127 when the stand-in gives up. */
#define STANDIN_FAIL_CODE	0x3f

static inline uint32_t mmio_read32(uint64_t pa)
{
	return *(volatile uint32_t *)(uintptr_t)pa;
}

static inline uint64_t mmio_read64(uint64_t pa)
{
	return *(volatile uint64_t *)(uintptr_t)pa;
}

static inline void mmio_write32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)pa = v;
}

static inline void mmio_write64(uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)pa = v;
}

/* The stand-in runs identity mapped: a physical address is a pointer. */
static inline void *phys(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);

/* serial.c: COM1 output and a small printf (%s %c %d %u %x, l/ll). */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void debug_exit(uint32_t code);
/* Bounded spin: true while fewer than @cycles TSC ticks passed since @t0. */
static inline int within(uint64_t t0, uint64_t cycles)
{
	return rdtsc() - t0 < cycles;
}
#define SPIN_LIMIT	(20ULL * 1000 * 1000 * 1000)	/* >= 5 s at 4 GHz */

/* pci.c */
uint32_t pci_read32(unsigned int bdf, unsigned int off);
void pci_write32(unsigned int bdf, unsigned int off, uint32_t v);
/* edu.c: enable it as a driver would, and one DMA (RAM -> device). */
uint64_t edu_enable(unsigned int bdf);
int edu_dma_read(uint64_t bar, uint64_t iova, uint32_t len);
/* Start a device -> RAM transfer and return at once (it lands ~100 ms on). */
void edu_dma_write_start(uint64_t bar, uint64_t iova, uint32_t len);

/* vtd.c */
struct vtd_setup {
	uint64_t reg_base;
	uint64_t root_table;
	int scalable, qi, translate;
};
void vtd_program(const struct vtd_setup *s);
void vtd_flush_iotlb(uint64_t reg_base);
void vtd_jam_queue(uint64_t reg_base);

/* entry.S */
__attribute__((noreturn)) void standin_jump(uint64_t entry, uint64_t zero_page,
					    uint64_t cr3, uint64_t stack,
					    uint64_t wait_for_host, uint64_t cr4);


#define CR4_PAE		0x20UL
#define CR4_LA57	0x1000UL

#endif
