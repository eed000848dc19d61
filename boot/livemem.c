// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "../arch/x86/cpu.h"
#include "../arch/x86/paging.h"
#include "livemem.h"
#include "machine.h"

int live_read(uint64_t pa, void *buf, size_t len)
{
	if (len && pa + len - 1 < pa)
		return -1;
	if (!paging_query(pa, len, NULL))
		return -1;
	memcpy(buf, (const void *)pa, len);
	return 0;
}

static int pm_read(void *ctx, uint64_t pa, void *buf, size_t len,
		   const char **why)
{
	const struct machine *m = ctx;

	if (!machine_covers(m, pa, len, true)) {
		*why = machine_covers(m, pa, len, false) ?
			"not usable RAM" : "not in the memory map";
		return -1;
	}
	if (live_read(pa, buf, len)) {
		*why = "not mapped";
		return -1;
	}
	return 0;
}

static bool pm_is_ram(void *ctx, uint64_t pa, uint64_t len)
{
	return machine_covers(ctx, pa, len, true);
}

void livemem_init(struct physmem *pm, const struct machine *m)
{
	memset(pm, 0, sizeof(*pm));
	pm->read = pm_read;
	pm->is_ram = pm_is_ram;
	pm->ctx = (void *)m;
}

/* MMIO: map the page uncached on first use. */
static uint32_t mmio_read32(uint64_t pa)
{
	if (paging_map_mmio(pa, 4))
		return ~0u;
	return *(volatile uint32_t *)pa;
}

static uint64_t mmio_read64(uint64_t pa)
{
	if (paging_map_mmio(pa, 8))
		return ~0ull;
	return *(volatile uint64_t *)pa;
}

static void mmio_write32(uint64_t pa, uint32_t v)
{
	if (!paging_map_mmio(pa, 4))
		*(volatile uint32_t *)pa = v;
}

static void mmio_write64(uint64_t pa, uint64_t v)
{
	if (!paging_map_mmio(pa, 8))
		*(volatile uint64_t *)pa = v;
}

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc

static uint32_t pci_read32(unsigned int bdf, unsigned int off)
{
	outl(PCI_ADDR, 0x80000000u | (bdf & 0xffff) << 8 | (off & 0xfc));
	return inl(PCI_DATA);
}

static void pci_write32(unsigned int bdf, unsigned int off, uint32_t v)
{
	outl(PCI_ADDR, 0x80000000u | (bdf & 0xffff) << 8 | (off & 0xfc));
	outl(PCI_DATA, v);
}

static const struct machine *live_machine;

static int phys_write(uint64_t pa, const void *buf, size_t len)
{
	uint64_t attr;

	if (!machine_covers(live_machine, pa, len, true) ||
	    !paging_query(pa, len, &attr) || !(attr & PTE_RW))
		return -1;
	memcpy((void *)pa, buf, len);
	return 0;
}

/* Firmware tables may sit in reserved or ACPI ranges of the map. */
static int fw_read(uint64_t pa, void *buf, size_t len)
{
	if (!machine_covers(live_machine, pa, len, false))
		return -1;
	return live_read(pa, buf, len);
}

static uint64_t tsc_read(void)
{
	return rdtsc();
}

/* TSC frequency against PIT channel 2 over 10 ms (bounded). */
static uint64_t tsc_from_pit(void)
{
	const unsigned int pit_hz = 1193182, ticks = pit_hz / 100;
	uint64_t t0, t1;
	unsigned long spins = 0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch 2, lo/hi, mode 0 */
	outb(0x42, ticks & 0xff);
	outb(0x42, ticks >> 8);
	t0 = rdtsc();
	/* ~1 us per port read on hardware: give up after about 2 s. */
	while (!(inb(0x61) & 0x20) && ++spins < 2000000ul)
		;
	t1 = rdtsc();
	if (!(inb(0x61) & 0x20))
		return 0;
	return (t1 - t0) * 100;
}

/* CPUID leaf 0x15 (TSC/crystal ratio) when it is complete, else the PIT. */
static uint64_t tsc_calibrate(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			return (uint64_t)r[2] * r[1] / r[0];
	}
	return tsc_from_pit();
}

static void add_footprint(struct platform *p, uint64_t lo, uint64_t hi,
			  const char *what)
{
	if (hi > lo && p->nfootprint < PLATFORM_MAX_FOOTPRINT)
		p->footprint[p->nfootprint++] =
			(struct phys_range){ lo, hi, what };
}

void platform_init(struct platform *p, const struct machine *m,
		   const struct boot_layout *l)
{
	memset(p, 0, sizeof(*p));
	live_machine = m;
	p->mmio_read32 = mmio_read32;
	p->mmio_read64 = mmio_read64;
	p->mmio_write32 = mmio_write32;
	p->mmio_write64 = mmio_write64;
	p->pci_read32 = pci_read32;
	p->pci_write32 = pci_write32;
	p->phys_write = phys_write;
	p->fw_read = fw_read;
	p->tsc = tsc_read;
	p->tsc_hz = tsc_calibrate();
	p->rsdp_pa = m->rsdp_pa;
	add_footprint(p, l->image_start, l->code_end, "image");
	add_footprint(p, l->stack_lo - 4096, l->stack_hi, "stack");
	add_footprint(p, l->heap_lo, l->heap_hi, "heap");
	add_footprint(p, l->pool_lo, l->pool_hi, "page tables");
	add_footprint(p, l->early_pt_lo, l->early_pt_hi, "early page tables");
}
