// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end scenarios: handovers meant to be placed into a real QEMU
 * guest (q35, intel-iommu, -device edu,addr=02.0) where the old-kernel
 * stand-in (tests/standin) programs the IOMMU from them.  Each one
 * preserves QEMU's edu device (00:02.0, devid 0x0010) in a domain whose
 * tables map preserved data pages with distinct contents:
 *
 *   IOVA 0x100000 + 64 KiB -> 16 preserved 4 KiB pages (4 KiB leaves)
 *   IOVA 0x400000 + 2 MiB  -> a preserved 2 MiB block (one 2 MiB leaf)
 *
 * and writes the stand-in's descriptor (tests/standin/e2e_desc.h) next to
 * the stand-in.  As memory images they are valid handovers; the broken
 * ones are broken only by what the stand-in does live (a PTE rewritten
 * after preservation, translation left off), which khodump cannot see.
 */
#include <stdlib.h>
#include <string.h>

#include "../standin/e2e_desc.h"
#include "e2e_scen.h"
#include "handover.h"
#include "vtd_build.h"

#define E2E_REG_BASE	0xfed90000ULL
#define E2E_EDU_DEVID	0x0010		/* 00:02.0 */
#define E2E_DID		1
#define E2E_IOVA_4K	0x100000ULL	/* 16 pages */
#define E2E_IOVA_2M	0x400000ULL
#define E2E_CANARY	0x102000ULL	/* page 2 of the 4 KiB mapping */
#define E2E_IOVA_LATE	0x300000ULL	/* E2E_DMA_LATE: the top table page */
#define E2E_HIGH_SCRATCH	0x100000000ULL	/* 4 GiB, with -m 6G */
#define E2E_HIGH_SIZE	0x10000000ULL
#define E2E_HIGH_RAM_END	0x180000000ULL

struct e2e_priv {
	struct vtdb b;
	struct e2e_desc d;
};

static void fill_pattern(struct hb *h, uint64_t pa, unsigned int salt)
{
	uint8_t *p = gmem_page_ptr(h->g, pa, HB_PAGE);

	for (unsigned int i = 0; i < HB_PAGE; i++)
		p[i] = (uint8_t)(i * 7 + salt * 0x3b + (i >> 8));
}

static void write_desc(struct hb *h)
{
	struct e2e_priv *e = h->priv;

	e->d.boot_params = h->out.boot_params;
	e->d.kho_node = h->out.setup_data;
	gmem_write(h->g, E2E_DESC_PA, &e->d, sizeof(e->d));
	free(e);
	h->priv = NULL;
}

/* The domain, the device and the descriptor; @flags as in e2e_desc.h. */
void e2e_build(struct hb *h, uint32_t flags)
{
	struct e2e_priv *e = calloc(1, sizeof(*e));
	struct vtd_mem m;
	uint64_t data, big, flb;
	int unit, dom, dev;

	if (!e)
		abort();
	hb_typical(h);
	vtd_mem_hb(&m, h);
	vtdb_init(&e->b, &m, VTDB_C);
	unit = vtdb_add_unit(&e->b, E2E_REG_BASE, flags & E2E_SCALABLE);
	dom = vtdb_add_domain(&e->b, VTDB_SS, 2);	/* 3 levels: aw-bits 39 */
	data = hb_alloc_preserved(h, 4);
	big = hb_alloc_preserved(h, 9);
	for (unsigned int i = 0; i < 16; i++)
		fill_pattern(h, data + i * HB_PAGE, i + 1);
	fill_pattern(h, big, 0x40);
	vtdb_map(&e->b, dom, E2E_IOVA_4K, data, 16 * HB_PAGE, HB_PAGE, true);
	vtdb_map(&e->b, dom, E2E_IOVA_2M, big, 2ULL << 20, 2ULL << 20, true);
	if (flags & E2E_DMA_LATE)	/* the device may write its top table */
		vtdb_map(&e->b, dom, E2E_IOVA_LATE, e->b.dom[dom].top, HB_PAGE,
			 HB_PAGE, true);
	dev = vtdb_add_device(&e->b, unit, dom, E2E_EDU_DEVID, E2E_DID);
	(void)dev;
	flb = vtdb_finish(&e->b);
	hb_add_flb(h, vtdb_flb_name(&e->b), flb, 1);

	e->d = (struct e2e_desc){
		.magic = E2E_DESC_MAGIC,
		.version = E2E_DESC_VERSION,
		.flags = flags,
		.root_table = e->b.unit[unit].root,
		.reg_base = E2E_REG_BASE,
		.edu_bdf = E2E_EDU_DEVID,
		.did = E2E_DID,
		.dma_iova = E2E_CANARY,
		.dma_pa = data + (E2E_CANARY - E2E_IOVA_4K),
		.dma_len = 0x800,
		.break_iova = E2E_CANARY,
		/* the unused last slot of the top table */
		.late_iova = flags & E2E_DMA_LATE ? E2E_IOVA_LATE + 0xff8 : 0,
	};
	if (flags & (E2E_BREAK_STALE | E2E_BREAK_INVAL)) {
		unsigned int level;
		uint64_t target = data + 8 * HB_PAGE;	/* preserved, mapped elsewhere */

		if (flags & E2E_BREAK_INVAL)
			target = hb_alloc(h, HB_PAGE, HB_PAGE);	/* not preserved */
		e->d.break_pte = vtdb_pte_pa(&e->b, dom, E2E_CANARY, &level);
		e->d.break_val = vtdb_pte(VTDB_SS, target, level, true, true);
	}
	h->priv = e;
	h->after_finish = write_desc;
}

/* A second scratch area at 4 GiB (QEMU -m 6G puts RAM at [4 GiB, 6 GiB)). */
static void legacy_high(struct hb *h)
{
	const struct hb_range scratch[2] = {
		{ HB_SCRATCH0_START, HB_SCRATCH0_END - HB_SCRATCH0_START },
		{ E2E_HIGH_SCRATCH, E2E_HIGH_SIZE },
	};
	const struct hb_range e820[3] = {
		{ 0, HB_RAM_LOW_END },
		{ HB_RAM_START, HB_RAM_END - HB_RAM_START },
		{ E2E_HIGH_SCRATCH, E2E_HIGH_RAM_END - E2E_HIGH_SCRATCH },
	};

	gmem_add_ram(h->g, E2E_HIGH_SCRATCH, E2E_HIGH_RAM_END - E2E_HIGH_SCRATCH);
	hb_set_scratch(h, 2, scratch);
	hb_set_e820(h, 3, e820);
	e2e_build(h, E2E_QI);
}

E2E_SCENARIO(e2e_legacy, "e2e-legacy", 0,
	     "QEMU e2e: edu 00:02.0 in a preserved legacy-mode domain, translation on");
E2E_SCENARIO(e2e_scalable_qi, "e2e-scalable-qi", E2E_SCALABLE | E2E_QI,
	     "QEMU e2e: scalable mode (x-scalable-mode=on), queued invalidation left on");
E2E_SCENARIO_FN(e2e_legacy_high, "e2e-legacy-high", legacy_high,
		"QEMU e2e: second scratch area at 4 GiB (-m 6G), khoprobe loaded there");
E2E_SCENARIO(e2e_stale_iotlb, "e2e-stale-iotlb", E2E_BREAK_STALE,
	     "QEMU e2e: live, the stand-in rewrites the canary PTE without invalidating (dma.live fails)");
E2E_SCENARIO(e2e_remap_unpreserved, "e2e-remap-unpreserved",
	     E2E_BREAK_INVAL | E2E_QI,
	     "QEMU e2e: live, the stand-in remaps the canary to unpreserved memory and invalidates (dma.live, vtd.leaf-targets fail)");
E2E_SCENARIO(e2e_te_off, "e2e-te-off", E2E_TE_OFF,
	     "QEMU e2e: live, translation left off as by a normal shutdown (dma.live, vtd.hw-translation fail)");
/* The device may write its own top table, and a write is in flight. */
E2E_SCENARIO(e2e_dma_late, "e2e-dma-late", E2E_DMA_LATE,
	     "QEMU e2e: live, a device write into the handover lands while khoprobe runs (chain.intact fails)");
