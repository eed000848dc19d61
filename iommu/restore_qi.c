// SPDX-License-Identifier: GPL-2.0-only
/*
 * The register side of the restore rehearsal: GCMD changes by the write
 * protocol (one-shot status bits masked out of the GSTS copy), the
 * invalidation queue stopped and re-created, SRTP, and queued global
 * invalidations ending in a wait descriptor whose status write lands in a
 * page the payload owns.  Every wait is bounded by TSC time: QEMU, for
 * one, leaves a stuck queue stuck forever.  32-bit registers are only ever
 * accessed 4 bytes wide (wider accesses abort QEMU).
 */
#include <string.h>

#include "../lib/physmem.h"
#include "../lib/platform.h"
#include "restore.h"
#include "vtd_defs.h"

#define REG_GCMD	0x018	/* 32, write-only */
#define REG_IQH		0x080	/* 64 */
#define REG_IQT		0x088	/* 64 */
#define REG_IQA		0x090	/* 64 */

#define GCMD_KEEP	0x96ffffffu	/* GSTS without SRTP, SFL, WBF, SIRTP */
#define GCMD_TE		(1u << 31)
#define GCMD_SRTP	(1u << 30)
#define GCMD_QIE	(1u << 26)

#define IQA_DW		(1ull << 11)
#define QUEUE_BYTES	4096u	/* QS = 0: one page */

/* Descriptor types and fields (128-bit layout; 256-bit adds zeros). */
#define DESC_CC		1ull
#define DESC_IOTLB	2ull
#define DESC_WAIT	5ull
#define DESC_PC		7ull
#define GRAN_GLOBAL	(1ull << 4)
#define PC_ALL		(3ull << 4)
#define IOTLB_DW	(1ull << 6)
#define IOTLB_DR	(1ull << 7)
#define WAIT_SW		(1ull << 5)

#define CAP_DWD(c)	(((c) >> 54) & 1)
#define CAP_DRD(c)	(((c) >> 55) & 1)

#define STEP_MS		100u	/* bound of every register wait */

static uint32_t rd32(const struct restore_hw *h, unsigned int off)
{
	return h->plat->mmio_read32(h->base + off);
}

static uint64_t rd64(const struct restore_hw *h, unsigned int off)
{
	return h->plat->mmio_read64(h->base + off);
}

uint32_t restore_gsts(const struct restore_hw *h)
{
	return rd32(h, VTD_REG_GSTS);
}

uint32_t restore_fsts(const struct restore_hw *h)
{
	return rd32(h, VTD_REG_FSTS);
}

uint64_t restore_rtaddr(const struct restore_hw *h)
{
	return rd64(h, VTD_REG_RTADDR);
}

static bool expired(const struct restore_hw *h, uint64_t t0, unsigned int ms)
{
	return h->plat->tsc() - t0 > h->hz / 1000 * ms;
}

void restore_queue_pos(const struct restore_hw *h, bool dw, uint64_t *head,
		       uint64_t *tail)
{
	unsigned int shift = dw ? 5 : 4;

	*head = (rd64(h, REG_IQH) & 0x7fff0ull) >> shift;
	*tail = (rd64(h, REG_IQT) & 0x7fff0ull) >> shift;
}

int restore_queue_drain(const struct restore_hw *h, bool dw, unsigned int ms)
{
	uint64_t t0 = h->plat->tsc(), head, tail;

	for (;;) {
		restore_queue_pos(h, dw, &head, &tail);
		if (head == tail)
			return 0;
		if (expired(h, t0, ms))
			return -1;
	}
}

int restore_gcmd(const struct restore_hw *h, uint32_t cmd, bool on,
		 uint32_t status, const char **why)
{
	uint32_t v = rd32(h, VTD_REG_GSTS) & GCMD_KEEP;
	uint64_t t0;

	v = on ? v | cmd : v & ~cmd;
	h->plat->mmio_write32(h->base + REG_GCMD, v);
	t0 = h->plat->tsc();
	while (!!(rd32(h, VTD_REG_GSTS) & status) != on) {
		if (expired(h, t0, STEP_MS)) {
			*why = "GSTS did not follow the GCMD write within 100 ms";
			return -1;
		}
	}
	return 0;
}

int restore_qi_stop(const struct restore_hw *h, const char **why)
{
	if (restore_gcmd(h, GCMD_QIE, false, VTD_GSTS_QIES, why)) {
		*why = "GSTS.QIES stayed set after clearing GCMD.QIE (the queue's last descriptor was not a wait?)";
		return -1;
	}
	return 0;
}

void restore_qi_reset_tail(const struct restore_hw *h)
{
	h->plat->mmio_write64(h->base + REG_IQT, 0);
}

int restore_qi_start(struct restore_hw *h, const char **why)
{
	static const uint8_t zero[QUEUE_BYTES];

	h->dw = VTD_ECAP_SMTS(h->ecap);	/* as Linux: 256-bit in scalable mode */
	h->tail = 0;
	if (h->plat->phys_write(h->queue, zero, sizeof(zero))) {
		*why = "our queue page is not writable";
		return -1;
	}
	h->plat->mmio_write64(h->base + REG_IQT, 0);
	h->plat->mmio_write64(h->base + REG_IQA,
			      h->queue | (h->dw ? IQA_DW : 0));	/* QS 0 */
	if (restore_gcmd(h, GCMD_QIE, true, VTD_GSTS_QIES, why)) {
		*why = "GSTS.QIES did not come on after setting GCMD.QIE";
		return -1;
	}
	return 0;
}

int restore_set_root(const struct restore_hw *h, uint64_t root, unsigned int ttm,
		     const char **why)
{
	h->plat->mmio_write64(h->base + VTD_REG_RTADDR,
			      root | (uint64_t)(ttm & 3) << 10);
	if (restore_gcmd(h, GCMD_SRTP, true, VTD_GSTS_RTPS, why)) {
		*why = "GSTS.RTPS did not show the root table pointer set";
		return -1;
	}
	if (!(restore_gsts(h) & VTD_GSTS_TES)) {
		*why = "translation went off across SRTP";
		return -1;
	}
	return 0;
}

/* Write one descriptor at the tail; IQT moves only in submit(). */
static int put(struct restore_hw *h, uint64_t qw0, uint64_t qw1)
{
	uint64_t d[4] = { qw0, qw1, 0, 0 };
	unsigned int size = h->dw ? 32 : 16;

	if (h->tail >= QUEUE_BYTES / size)
		return -1;
	if (h->plat->phys_write(h->queue + (uint64_t)h->tail * size, d, size))
		return -1;
	h->tail++;
	return 0;
}

static void submit(struct restore_hw *h)
{
	h->plat->mmio_write64(h->base + REG_IQT,
			      (uint64_t)h->tail << (h->dw ? 5 : 4));
}

static int read_status(const struct restore_hw *h, uint32_t *v)
{
	uint8_t b[4];

	if (phys_read(h->pm, h->status, b, 4, NULL))
		return -1;
	*v = get_le32(b);
	return 0;
}

int restore_invalidate(struct restore_hw *h, bool scalable, const char **why)
{
	uint64_t iotlb = DESC_IOTLB | GRAN_GLOBAL;
	uint32_t zero = 0, v = 0;
	uint64_t t0;

	if (CAP_DWD(h->cap))
		iotlb |= IOTLB_DW;
	if (CAP_DRD(h->cap))
		iotlb |= IOTLB_DR;
	h->seq++;
	if (h->plat->phys_write(h->status, &zero, sizeof(zero)) ||
	    put(h, DESC_CC | GRAN_GLOBAL, 0) ||
	    (scalable && put(h, DESC_PC | PC_ALL, 0)) ||
	    put(h, iotlb, 0) ||
	    put(h, DESC_WAIT | WAIT_SW | (uint64_t)h->seq << 32, h->status)) {
		*why = "our queue page is full or not writable";
		return -1;
	}
	submit(h);
	t0 = h->plat->tsc();
	while (!read_status(h, &v) && v != h->seq) {
		if (restore_fsts(h) & VTD_FSTS_IQE) {
			*why = "the unit flagged FSTS.IQE on our descriptors";
			return -1;
		}
		if (expired(h, t0, STEP_MS)) {
			*why = "the wait descriptor's status write did not arrive within 100 ms";
			return -1;
		}
	}
	if (v != h->seq) {
		*why = "our status word is not readable";
		return -1;
	}
	if (restore_queue_drain(h, h->dw, STEP_MS)) {
		*why = "IQH did not reach IQT after the wait completed";
		return -1;
	}
	return 0;
}
