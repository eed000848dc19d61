// SPDX-License-Identifier: GPL-2.0-only
/*
 * Program QEMU's intel-iommu the way a live-update kernel leaves it:
 * optionally queued invalidation on (as Linux runs it), RTADDR = the
 * preserved root table with TTM, SRTP, global context-cache and IOTLB
 * invalidation, then translation on (or off, for a normal shutdown).
 */
#include "standin.h"

#define R_ECAP		0x10
#define R_GCMD		0x18
#define R_GSTS		0x1c
#define R_RTADDR	0x20
#define R_CCMD		0x28
#define R_IQT		0x88
#define R_IQA		0x90

#define G_TE		(1u << 31)
#define G_SRTP		(1u << 30)
#define G_QIE		(1u << 26)
#define ONE_SHOT_MASK	0x96ffffffu	/* drop SRTP, SFL, WBF, SIRTP */

#define TTM_SCALABLE	(1ull << 10)

static uint8_t queue[4096] __attribute__((aligned(4096)));
static volatile uint32_t wait_status;
static unsigned int queue_tail, queue_dw;
static int queue_on;

static void gcmd(uint64_t base, uint32_t bit, int on, uint32_t status)
{
	uint32_t v = mmio_read32(base + R_GSTS) & ONE_SHOT_MASK;
	uint64_t t0 = rdtsc();

	mmio_write32(base + R_GCMD, on ? v | bit : v & ~bit);
	while (!!(mmio_read32(base + R_GSTS) & status) != !!on)
		if (!within(t0, SPIN_LIMIT))
			die("VT-d GSTS %x never showed %x", mmio_read32(base + R_GSTS),
			    status);
}

static void qi_submit(uint64_t base, uint64_t qw0, uint64_t qw1)
{
	unsigned int size = queue_dw ? 32 : 16;
	uint64_t *d = (uint64_t *)(queue + queue_tail * size);

	memset(d, 0, size);
	d[0] = qw0;
	d[1] = qw1;
	queue_tail = (queue_tail + 1) % (sizeof(queue) / size);
	mmio_write64(base + R_IQT, (uint64_t)queue_tail << (queue_dw ? 5 : 4));
}

/* A wait descriptor with a status write, so the batch ends like Linux's. */
static void qi_wait(uint64_t base)
{
	uint64_t t0 = rdtsc();

	wait_status = 0;
	qi_submit(base, 5 | 1u << 5 | (uint64_t)1 << 32,
		  (uint64_t)(uintptr_t)&wait_status);
	while (wait_status != 1)
		if (!within(t0, SPIN_LIMIT))
			die("VT-d invalidation wait never completed");
}

static void qi_enable(uint64_t base, int scalable)
{
	queue_dw = scalable;	/* Linux uses 256-bit descriptors in scalable mode */
	queue_tail = 0;
	memset(queue, 0, sizeof(queue));
	mmio_write64(base + R_IQT, 0);
	mmio_write64(base + R_IQA, (uint64_t)(uintptr_t)queue |
		     (uint64_t)queue_dw << 11);
	gcmd(base, G_QIE, 1, G_QIE);
	queue_on = 1;
}

static void reg_invalidate(uint64_t base)
{
	uint64_t iotlb = base + ((mmio_read64(base + R_ECAP) >> 8) & 0x3ff) * 16 + 8;
	uint64_t t0 = rdtsc();

	mmio_write64(base + R_CCMD, 1ull << 63 | 1ull << 61);
	while (mmio_read64(base + R_CCMD) >> 63)
		if (!within(t0, SPIN_LIMIT))
			die("VT-d context invalidation never completed");
	mmio_write64(iotlb, 1ull << 63 | 1ull << 60);
	while (mmio_read64(iotlb) >> 63)
		if (!within(t0, SPIN_LIMIT))
			die("VT-d IOTLB invalidation never completed");
}

static void global_invalidate(uint64_t base, int scalable)
{
	if (!queue_on) {
		reg_invalidate(base);
		return;
	}
	qi_submit(base, 1 | 1u << 4, 0);		/* context cache, global */
	if (scalable)
		qi_submit(base, 7 | 3u << 4, 0);	/* PASID cache, all */
	qi_submit(base, 2 | 1u << 4, 0);		/* IOTLB, global */
	qi_wait(base);
}

void vtd_flush_iotlb(uint64_t base)
{
	if (queue_on) {
		qi_submit(base, 2 | 1u << 4, 0);
		qi_wait(base);
		return;
	}
	reg_invalidate(base);
}

/*
 * A descriptor of an undefined type: the unit sets FSTS.IQE and its head
 * stays on it, so the queue never drains (the takeover must be refused).
 */
void vtd_jam_queue(uint64_t base)
{
	if (!queue_on)
		die("no queue to jam: the scenario needs E2E_QI");
	qi_submit(base, 0xf, 0);
	con_printf("STANDIN: queue jammed: IQH %lx IQT %lx FSTS %x\n",
		   mmio_read64(base + 0x80), mmio_read64(base + R_IQT),
		   mmio_read32(base + 0x34));
}

void vtd_program(const struct vtd_setup *s)
{
	uint64_t base = s->reg_base;

	if (s->qi)
		qi_enable(base, s->scalable);
	mmio_write64(base + R_RTADDR, s->root_table |
		     (s->scalable ? TTM_SCALABLE : 0));
	gcmd(base, G_SRTP, 1, G_SRTP);
	global_invalidate(base, s->scalable);
	if (s->translate)
		gcmd(base, G_TE, 1, G_TE);
	con_printf("STANDIN: VT-d at %lx: RTADDR %lx (%s), QI %s, translation %s, GSTS %x\n",
		   base, mmio_read64(base + R_RTADDR),
		   s->scalable ? "scalable" : "legacy", s->qi ? "on" : "off",
		   s->translate ? "on" : "off", mmio_read32(base + R_GSTS));
}
