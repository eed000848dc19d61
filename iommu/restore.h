/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vtd.restore: the restore rehearsal (khoprobe.restore=hw).  After every
 * other check passed, take each preserved VT-d unit over the way the next
 * kernel will — claim the preserved pages, stop and re-create the
 * invalidation queue, re-program the root-table pointer with the preserved
 * root table while translation stays on, invalidate globally, reserve the
 * domain IDs — with dma.live proving device DMA between the steps.
 * Live hardware only (struct platform hooks); see docs/restore.md.
 */
#ifndef KHOPROBE_IOMMU_RESTORE_H
#define KHOPROBE_IOMMU_RESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct probe;
struct out;
struct iommu_unit;
struct vtd_drhd;
struct platform;

/* vtd.restore.  Skips unless p->restore_hw; skips offline. */
void vtd_restore_run(struct probe *p);
/* "restore: ..." lines, one per step taken, for the human report. */
void vtd_restore_summary(struct out *o, const struct probe *p);
void vtd_restore_release(struct probe *p);

/* ---- restore_claim.c: the KHO claims of the next kernel, in memory ---- */

struct restore_claims {
	uint64_t pages;		/* claims made (each a block head) */
	uint64_t bytes;
	unsigned int nbad;	/* claims refused */
	char first_bad[160];
};

/*
 * Claim, as the next kernel's restore would, every preserved page it
 * restores: the FLB and the array pages, each unit's root and context
 * tables, each scalable device's PASID directory and tables, each domain's
 * page-table pages.  A claim must hit a block head exactly, with the order
 * the restore expects, and only once.  0 when every claim succeeds.
 */
int restore_claim_all(struct probe *p, struct restore_claims *c);

/* ---- restore_did.c: the domain IDs the next kernel reserves ---- */

/* 0 when the DIDs of unit @u are in range and one per domain; else -1, *why. */
int restore_reserve_dids(const struct probe *p, size_t unit, unsigned int *ndid,
			 char *why, size_t whylen);

/* ---- restore_qi.c: VT-d registers and the invalidation queue ---- */

#define RESTORE_WORK_BYTES	8192	/* queue page + status page */

struct restore_hw {
	const struct platform *plat;
	const struct physmem *pm;	/* reads of our own status word */
	uint64_t base;			/* register base */
	uint64_t cap, ecap;
	uint64_t hz;			/* TSC ticks per second */
	uint64_t queue, status;		/* our queue page, our status word */
	bool dw;			/* 256-bit descriptors */
	unsigned int tail;		/* next free descriptor index */
	uint32_t seq;			/* last wait-descriptor status value */
};

uint32_t restore_gsts(const struct restore_hw *h);
uint32_t restore_fsts(const struct restore_hw *h);
uint64_t restore_rtaddr(const struct restore_hw *h);
/* IQH/IQT as descriptor indices (for the unit's current descriptor width). */
void restore_queue_pos(const struct restore_hw *h, bool dw, uint64_t *head,
		       uint64_t *tail);
/* Wait up to @ms for the running queue to drain (IQH == IQT): 0 or -1. */
int restore_queue_drain(const struct restore_hw *h, bool dw, unsigned int ms);
/* GCMD write protocol: change one bit, wait (bounded) for its status. */
int restore_gcmd(const struct restore_hw *h, uint32_t cmd, bool on,
		 uint32_t status, const char **why);
/* Disable QI (the queue must be drained). */
int restore_qi_stop(const struct restore_hw *h, const char **why);
/* With QI off: IQT = 0, as a unit that never ran a queue has it. */
void restore_qi_reset_tail(const struct restore_hw *h);
/* Our own queue: IQA, IQT = 0, enable. */
int restore_qi_start(struct restore_hw *h, const char **why);
/* RTADDR = @root | TTM, SRTP, wait RTPS; translation must stay on. */
int restore_set_root(const struct restore_hw *h, uint64_t root, unsigned int ttm,
		     const char **why);
/*
 * Global context-cache, PASID-cache (@scalable) and IOTLB invalidation,
 * then a wait descriptor with a status write, polled with a bound.
 */
int restore_invalidate(struct restore_hw *h, bool scalable, const char **why);

#endif
