/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test producer for the IOMMU live-update state: what an old kernel with
 * the IOMMU series leaves behind for preserved VT-d devices.  HW-unit,
 * domain and device arrays in any ABI revision, root and context tables
 * (legacy and scalable), PASID directories and tables, second- and
 * first-stage page tables with 4 KiB / 2 MiB / 1 GiB leaves.
 *
 * The byte offsets here are written from the reference tables on their own
 * (not shared with the checking code), so a wrong offset on either side
 * shows up as a failing test.
 *
 * Memory comes from a struct vtd_mem: the handover builder (vtd_mem_hb) or
 * any gmem + preserved-set pair (unit tests, benchmarks).
 */
#ifndef KHOPROBE_VTD_BUILD_H
#define KHOPROBE_VTD_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gmem.h"

struct vtd_mem {
	struct gmem *g;
	void *ctx;
	/* zeroed, not preserved */
	uint64_t (*alloc)(void *ctx, uint64_t size, uint64_t align);
	/* zeroed, naturally aligned 2^order pages, recorded preserved */
	uint64_t (*alloc_preserved)(void *ctx, unsigned int order);
};

struct hb;
void vtd_mem_hb(struct vtd_mem *m, struct hb *h);

enum vtdb_rev {
	VTDB_V1,	/* "iommu-v1": FLB {domains, devices, units}, 32/56 */
	VTDB_A,		/* "iommu-liveupdate-v1": 37-byte domains, 56 devices */
	VTDB_A40,	/* "iommu-liveupdate-v1" with the 40-byte domain */
	VTDB_A40C,	/* "iommu-liveupdate-v1", 40-byte domain, 72 devices */
	VTDB_V2,	/* "iommu-liveupdate-v1", 32-byte domain (no vasz) */
	VTDB_B,		/* "iommu-liveupdate" v1, no unions: 24/37/40 */
	VTDB_C,		/* "iommu-liveupdate" v1, unions: 112/40/72 */
};

enum vtdb_fmt { VTDB_SS = 1, VTDB_FS = 2 };

#define VTDB_MAX_UNITS		48
#define VTDB_MAX_DOMAINS	512
#define VTDB_MAX_DEVICES	512
#define VTDB_MAX_PAGES		64	/* per array chain */

struct vtdb_unit {
	uint64_t reg_base;
	bool scalable, deleted;
	uint16_t segment;
	uint64_t root;		/* after finish */
	uint64_t ctx[512];	/* by bitmap bit, after finish */
	uint64_t bitmap[8];
	uint64_t slot;
	unsigned int nref;
};

struct vtdb_domain {
	enum vtdb_fmt fmt;
	unsigned int top_level;
	uint32_t vasz;
	bool deleted;
	uint64_t top;		/* top table PA */
	uint64_t slot;
	uint64_t ntables;
	/* one-entry cache per level for fast sequential mapping */
	uint64_t cache_key[5], cache_pa[5];
};

struct vtdb_device {
	int unit, dom;
	uint16_t segment, devid;
	uint64_t did;
	bool deleted;
	uint32_t max_pasid;
	uint64_t slot;
	uint64_t pasid_dir, pasid_tbl;	/* scalable, after finish */
	uint64_t ctx_entry;		/* PA of its context entry */
	uint64_t pasid_entry;		/* PA of its RID_PASID entry */
};

struct vtdb {
	struct vtd_mem m;
	enum vtdb_rev rev;
	struct vtdb_unit unit[VTDB_MAX_UNITS];
	unsigned int nunit;
	struct vtdb_domain dom[VTDB_MAX_DOMAINS];
	unsigned int ndom;
	struct vtdb_device dev[VTDB_MAX_DEVICES];
	unsigned int ndev;
	/* aliases: a context entry copied from a device to another RID */
	struct { int dev; uint16_t devid; } alias[16];
	unsigned int nalias;
	/* outputs of vtdb_finish */
	uint64_t flb;
	uint64_t page[3][VTDB_MAX_PAGES];	/* units, domains, devices */
	unsigned int npage[3];
};

void vtdb_init(struct vtdb *b, const struct vtd_mem *m, enum vtdb_rev rev);
const char *vtdb_flb_name(const struct vtdb *b);
/* Object sizes of the revision (units, domains, devices). */
unsigned int vtdb_stride(const struct vtdb *b, int chain);

int vtdb_add_unit(struct vtdb *b, uint64_t reg_base, bool scalable);
/* Allocates the (preserved) top table; vasz follows top_level. */
int vtdb_add_domain(struct vtdb *b, enum vtdb_fmt fmt, unsigned int top_level);
/*
 * Map [iova, iova + size) to [pa, pa + size) with pages of @pgsize (4 KiB,
 * 2 MiB or 1 GiB); interior tables are allocated preserved on demand.
 * Leaf memory is the caller's to preserve.  @writable sets W/RW.
 */
void vtdb_map(struct vtdb *b, int dom, uint64_t iova, uint64_t pa,
	      uint64_t size, uint64_t pgsize, bool writable);
int vtdb_add_device(struct vtdb *b, int unit, int dom, uint16_t devid,
		    uint64_t did);
/* A context entry for @devid identical to device @dev's (a DMA alias). */
void vtdb_add_alias(struct vtdb *b, int dev, uint16_t devid);
/* DELETED filler slots (slots are never reused): chain 0/1/2. */
void vtdb_add_deleted(struct vtdb *b, int chain, unsigned int n);

/* Writes tables, arrays and the FLB struct; returns the FLB struct PA. */
uint64_t vtdb_finish(struct vtdb *b);

/* Entry encodings, for tests that edit tables after finish. */
uint64_t vtdb_pte(enum vtdb_fmt fmt, uint64_t pa, unsigned int level,
		  bool leaf, bool writable);
/* PA of the leaf PTE mapping @iova in domain @dom (after mapping). */
uint64_t vtdb_pte_pa(struct vtdb *b, int dom, uint64_t iova,
		     unsigned int *level);

#endif
