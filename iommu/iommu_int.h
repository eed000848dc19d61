/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared between the files of the IOMMU layer; not for other layers. */
#ifndef KHOPROBE_IOMMU_INT_H
#define KHOPROBE_IOMMU_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "../lib/probe.h"
#include "iommu_abi.h"
#include "iommu.h"

#define PAGE_4K		4096ull
#define PAGE_MASK_4K	(PAGE_4K - 1)

static inline bool iommu_is_head(const struct probe *p, uint64_t pa)
{
	return pset_head(&p->kho.preserved, pa, NULL);
}

static inline unsigned int iommu_stride(const struct iommu_layout *l,
					enum iommu_chain_id c)
{
	return c == IOMMU_UNITS ? l->hw_size :
	       c == IOMMU_DOMAINS ? l->dom_size : l->dev_size;
}

extern const char *const iommu_chain_name[IOMMU_NCHAIN];

/* iommu_chain.c: FLB, array chains, layout choice. */
int iommu_find_flb(struct probe *p);
void iommu_walk_chains(struct probe *p);
void iommu_pick_layout(struct probe *p);
void iommu_check_arrays(struct probe *p);
/*
 * Resolve a slot PA inside chain @c at @stride to its model index.
 * Returns 0, or -1 with *why saying what is wrong with the pointer.
 */
int iommu_slot(const struct iommu_chain *c, uint64_t pa, unsigned int stride,
	       size_t *idx, const char **why);

/* iommu_model.c: objects and the iommu.* checks on them. */
int iommu_decode(struct probe *p);
void iommu_check_model(struct probe *p);
void iommu_check_domains(struct probe *p);
/* Domain-ID space of a unit: from CAP.ND when read, else 2^16. */
uint64_t iommu_did_limit(const struct probe *p, const struct iommu_unit *u);

/* vtd_ctx.c: root, context and PASID structures. */
void vtd_check_tables(struct probe *p);
/* Context entry of @devid behind unit @u: 16 (legacy) or 32 bytes, or NULL. */
const uint8_t *vtd_context_entry(const struct iommu_unit *u, unsigned int devid);

/* vtd_pt.c: page-table walker. */
struct vtd_walk_result {
	uint64_t ntables, nptes, mapped;
	unsigned int nbad;
};
void vtd_walk_domains(struct probe *p);
const char *vtd_fmt_name(enum vtd_fmt f);

/*
 * Context-table geometry of a unit's mode: a legacy table holds 256
 * 16-byte entries (all devfns of bus bit / 2); a scalable one 128 32-byte
 * entries, the lower (even bit) or upper (odd bit) half of the devfns.
 */
static inline unsigned int vtd_ctx_entries(const struct iommu_unit *u)
{
	return u->scalable ? 128 : 256;
}

static inline unsigned int vtd_ctx_entry_size(const struct iommu_unit *u)
{
	return u->scalable ? 32 : 16;
}

/* The requester ID of entry @i of the table behind bitmap bit @bit. */
static inline unsigned int vtd_ctx_devid(const struct iommu_unit *u,
					 unsigned int bit, unsigned int i)
{
	unsigned int devfn = u->scalable ? (bit & 1) * 128 + i : i;

	return (bit / 2) << 8 | devfn;
}

/* vtd_leaf.c: vtd.leaf-targets and dma.containment. */
void vtd_check_leaves(struct probe *p);

/* acpi_dmar.c: RSDP → RSDT/XSDT → DMAR. */
void acpi_find_dmar(struct probe *p);

/* vtd_hw.c */
void vtd_read_units(struct probe *p);

/* iommu_out.c */
void iommu_fmt_bdf(char *buf, size_t len, uint32_t seg, uint32_t devid);

#endif
