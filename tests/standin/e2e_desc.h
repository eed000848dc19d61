/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the old kernel knows about the state it leaves, for the stand-in.
 *
 * An e2e scenario (tests/producer/e2e*.c) writes this descriptor into guest
 * memory at E2E_DESC_PA, inside the stand-in's own window [1 MiB, 16 MiB),
 * next to the handover it produced.  The stand-in reads it to program the
 * IOMMU exactly as the preserving kernel would have left it and, for the
 * corrupt scenarios, to break a mapping afterwards.  Shared by the host
 * producer and the freestanding stand-in, so only fixed-size fields.
 */
#ifndef KHOPROBE_E2E_DESC_H
#define KHOPROBE_E2E_DESC_H

#include <stdint.h>

#define E2E_DESC_PA		0x00f00000ULL
#define E2E_DESC_MAGIC		0x4353454432455048ULL	/* "HPE2EDSC" */
#define E2E_DESC_VERSION	1

/* flags */
#define E2E_SCALABLE		(1u << 0)  /* RTADDR.TTM = scalable */
#define E2E_QI			(1u << 1)  /* leave queued invalidation on */
#define E2E_TE_OFF		(1u << 2)  /* normal shutdown: translation off */
#define E2E_BREAK_STALE		(1u << 3)  /* rewrite a PTE, no invalidation */
#define E2E_BREAK_INVAL		(1u << 4)  /* rewrite a PTE, then invalidate */
#define E2E_ROOT_COPY		(1u << 5)  /* translate via a copy of the root table */
#define E2E_QI_STUCK		(1u << 6)  /* with E2E_QI: queue stuck on a bad descriptor */
#define E2E_DMA_LATE		(1u << 7)  /* a device write lands after the jump */

struct e2e_desc {
	uint64_t magic;
	uint32_t version;
	uint32_t flags;
	uint64_t boot_params;	/* the produced zero page */
	uint64_t kho_node;	/* its SETUP_KEXEC_KHO setup_data node */
	uint64_t root_table;	/* preserved root (or scalable root) table */
	uint64_t reg_base;	/* VT-d register base of the preserved unit */
	uint32_t edu_bdf;	/* the preserved device (bus << 8 | devfn) */
	uint32_t did;		/* its domain id */
	uint64_t dma_iova;	/* a preserved mapping of the device ... */
	uint64_t dma_pa;	/* ... and where the tables send it */
	uint64_t dma_len;
	/* E2E_BREAK_*: after enabling translation (and a DMA at break_iova
	 * that loads the IOTLB), write break_val at break_pte. */
	uint64_t break_pte;
	uint64_t break_val;
	uint64_t break_iova;
	/* E2E_DMA_LATE: edu writes 8 bytes (of dma_iova's data) at late_iova,
	 * started just before the jump, landing ~100 ms later. */
	uint64_t late_iova;
	uint64_t reserved[3];
};

_Static_assert(sizeof(struct e2e_desc) == 136, "e2e_desc layout");
_Static_assert(__builtin_offsetof(struct e2e_desc, edu_bdf) == 48,
	       "e2e_desc layout");

#endif
