// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOMMU live-update scenarios: VT-d state as the IOMMU series leaves it,
 * valid in every ABI revision and table mode, and corrupt ones breaking
 * one invariant each so that every iommu.*, vtd.* (memory) and
 * dma.containment check fails somewhere.
 *
 * Leaf memory is memfd folios preserved in the same LUO session, as
 * iommufd requires.  Everything sits in the canonical 1 GiB guest layout.
 */
#include <stdlib.h>
#include <string.h>

#include "handover.h"
#include "vtd_build.h"

#define REG0	0xfed90000ull	/* q35's DRHD */
#define REG1	0xfed91000ull
#define MIB	(1ull << 20)

struct world {
	struct vtdb *b;
	uint64_t f4k, f2m;	/* first memfd folios: 16 x 4 KiB, 2 x 2 MiB */
	const char *flb_name;	/* override */
	uint64_t flb_data;	/* override */
};

/*
 * Two units (the first legacy or scalable, the second legacy), three
 * domains (3- and 4-level, 4 KiB and 2 MiB leaves), four devices.
 */
static void world_build(struct hb *h, struct world *w, enum vtdb_rev rev,
			bool scalable, enum vtdb_fmt fmt)
{
	struct vtd_mem m;
	struct vtdb *b = calloc(1, sizeof(*b));
	unsigned int s;
	int u0, u1, d0, d1, d2;

	if (!b)
		abort();
	memset(w, 0, sizeof(*w));
	w->b = b;
	vtd_mem_hb(&m, h);
	vtdb_init(b, &m, rev);
	s = hb_add_session(h, "vfio-vm0");
	hb_add_memfd(h, s, 1, 16, 0, 0x11, &w->f4k);
	hb_add_memfd(h, s, 2, 2, 9, 0x22, &w->f2m);
	u0 = vtdb_add_unit(b, REG0, scalable);
	u1 = vtdb_add_unit(b, REG1, false);
	d0 = vtdb_add_domain(b, fmt, fmt == VTDB_FS ? 3 : 2);
	d1 = vtdb_add_domain(b, fmt, 3);
	d2 = vtdb_add_domain(b, VTDB_SS, 2);
	vtdb_map(b, d0, 0x100000, w->f4k, 64 * 1024, 4096, true);
	vtdb_map(b, d1, 0x40000000, w->f2m, 4 * MIB, 2 * MIB, true);
	vtdb_map(b, d1, 0x7f000000000ull, w->f4k, 16 * 1024, 4096, false);
	vtdb_map(b, d2, 0, w->f4k + 0x8000, 32 * 1024, 4096, true);
	vtdb_add_device(b, u0, d0, 0x0010, 5);
	vtdb_add_device(b, u0, d0, 0x0018, 5);
	vtdb_add_device(b, u0, d1, 0x0320, 6);
	vtdb_add_device(b, u1, d2, 0x8100, 2);
}

static void world_finish(struct hb *h, struct world *w)
{
	uint64_t flb = vtdb_finish(w->b);

	(void)flb;
}

static void world_publish(struct hb *h, struct world *w)
{
	hb_add_flb(h, w->flb_name ? w->flb_name : vtdb_flb_name(w->b),
		   w->flb_data ? w->flb_data : w->b->flb, 1);
	free(w->b);
}

static void build_plain(struct hb *h, enum vtdb_rev rev, bool scalable,
			enum vtdb_fmt fmt)
{
	struct world w;

	world_build(h, &w, rev, scalable, fmt);
	world_finish(h, &w);
	world_publish(h, &w);
}

/* ---- valid ------------------------------------------------------------- */

static void legacy_c(struct hb *h) { build_plain(h, VTDB_C, false, VTDB_SS); }
static void scalable_ss_c(struct hb *h) { build_plain(h, VTDB_C, true, VTDB_SS); }
static void scalable_fs_c(struct hb *h) { build_plain(h, VTDB_C, true, VTDB_FS); }
static void legacy_a(struct hb *h) { build_plain(h, VTDB_A, false, VTDB_SS); }
static void scalable_a(struct hb *h) { build_plain(h, VTDB_A, true, VTDB_SS); }
static void legacy_a40c(struct hb *h) { build_plain(h, VTDB_A40C, false, VTDB_SS); }
static void legacy_v2(struct hb *h) { build_plain(h, VTDB_V2, false, VTDB_SS); }
static void legacy_v1(struct hb *h) { build_plain(h, VTDB_V1, false, VTDB_SS); }
static void rev_b(struct hb *h) { build_plain(h, VTDB_B, false, VTDB_SS); }

/* Many domains and devices: chains of several pages, DELETED slots. */
static void long_chains(struct hb *h)
{
	struct vtd_mem m;
	struct vtdb *b = calloc(1, sizeof(*b));
	uint64_t data;
	unsigned int s;
	int u;

	if (!b)
		abort();
	vtd_mem_hb(&m, h);
	vtdb_init(b, &m, VTDB_C);
	s = hb_add_session(h, "vfio-many");
	hb_add_memfd(h, s, 1, 1, 8, 0x33, &data);	/* 1 MiB folio */
	vtdb_add_deleted(b, 0, 3);
	u = vtdb_add_unit(b, REG0, false);
	vtdb_add_deleted(b, 1, 9);
	vtdb_add_deleted(b, 2, 5);
	for (int i = 0; i < 130; i++) {
		int d = vtdb_add_domain(b, VTDB_SS, i % 3 == 0 ? 3 : 2);

		vtdb_map(b, d, 0x10000000 + 0x2000ull * i,
			 data + 0x2000ull * (i % 128), 0x2000, 0x1000, true);
		vtdb_add_device(b, u, d, (uint16_t)(0x0100 + i),
				(uint64_t)(16 + i));
	}
	vtdb_finish(b);
	hb_add_flb(h, vtdb_flb_name(b), b->flb, 1);
	free(b);
}

/* A DMA alias (a second RID sharing a preserved device's tables). */
static void legacy_alias(struct hb *h)
{
	struct world w;

	world_build(h, &w, VTDB_C, false, VTDB_SS);
	vtdb_add_alias(w.b, 3, 0x8101);		/* 81:00.1 behind 81:00.0 */
	world_finish(h, &w);
	world_publish(h, &w);
}

/* 5-level first-stage and 5-level second-stage next to each other. */
static void five_level(struct hb *h)
{
	struct vtd_mem m;
	struct vtdb *b = calloc(1, sizeof(*b));
	uint64_t f2m;
	unsigned int s;
	int u, d0, d1;

	if (!b)
		abort();
	vtd_mem_hb(&m, h);
	vtdb_init(b, &m, VTDB_C);
	s = hb_add_session(h, "vfio-57bit");
	hb_add_memfd(h, s, 1, 2, 9, 0x44, &f2m);
	u = vtdb_add_unit(b, REG0, true);
	d0 = vtdb_add_domain(b, VTDB_FS, 4);
	d1 = vtdb_add_domain(b, VTDB_SS, 4);
	vtdb_map(b, d0, 1ull << 50, f2m, 2 * MIB, 2 * MIB, true);
	vtdb_map(b, d0, 0x1000, f2m + 2 * MIB, 0x10000, 0x1000, true);
	vtdb_map(b, d1, 1ull << 52, f2m, 4 * MIB, 4096, false);
	vtdb_add_device(b, u, d0, 0x0100, 11);
	vtdb_add_device(b, u, d1, 0x0180, 12);
	vtdb_finish(b);
	hb_add_flb(h, vtdb_flb_name(b), b->flb, 1);
	free(b);
}

#define VALID(id, nm, k, l, fn, desc)					\
	HB_SCENARIO(id) = { .name = nm, .description = desc,		\
			    .expect_pass = true, .build = fn,		\
			    .kho = k, .luo = l }

VALID(vtd_legacy_c, "vtd-legacy-c", HB_KHO_V3, HB_LUO_STRUCT_B, legacy_c,
      "VT-d legacy mode, ABI revision C, 2 units, 3 domains, 4 devices");
VALID(vtd_scalable_ss_c, "vtd-scalable-ss-c", HB_KHO_V3, HB_LUO_STRUCT_B,
      scalable_ss_c, "VT-d scalable mode, second-stage, revision C");
VALID(vtd_scalable_fs_c, "vtd-scalable-fs-c", HB_KHO_V4, HB_LUO_STRUCT_B,
      scalable_fs_c, "VT-d scalable mode, first-stage 4-level, revision C");
VALID(vtd_legacy_a, "vtd-legacy-a", HB_KHO_V1, HB_LUO_FDT, legacy_a,
      "iommu-liveupdate-v1 (37-byte domains), legacy, kho-v1 + luo-v1");
VALID(vtd_scalable_a, "vtd-scalable-a", HB_KHO_V2, HB_LUO_FDT, scalable_a,
      "iommu-liveupdate-v1, scalable second-stage, kho-v2 + luo-v1");
VALID(vtd_legacy_a40c, "vtd-legacy-a40c", HB_KHO_V3, HB_LUO_FDT,
      legacy_a40c, "iommu-liveupdate-v1 with 40-byte domains and "
      "72-byte devices (detected from the data)");
VALID(vtd_legacy_v2, "vtd-legacy-v2", HB_KHO_V1, HB_LUO_FDT, legacy_v2,
      "iommu-liveupdate-v1 with 32-byte domains (v2 as posted)");
VALID(vtd_legacy_v1, "vtd-legacy-v1post", HB_KHO_V1, HB_LUO_FDT, legacy_v1,
      "iommu-v1 (first posting: FLB order domains, devices, units)");
VALID(vtd_rev_b, "vtd-rev-b", HB_KHO_V3, HB_LUO_STRUCT_A, rev_b,
      "iommu-liveupdate revision B: no VT-d unions (tables unchecked)");
VALID(vtd_legacy_alias, "vtd-legacy-alias", HB_KHO_V2, HB_LUO_FDT,
      legacy_alias, "legacy mode with a DMA alias sharing a preserved "
      "device's context entry");
VALID(vtd_five_level, "vtd-scalable-5level", HB_KHO_V3, HB_LUO_STRUCT_B,
      five_level, "5-level first- and second-stage domains, high IOVAs, "
      "upper and lower scalable context tables");
VALID(vtd_long_chains, "vtd-long-chains", HB_KHO_V3, HB_LUO_STRUCT_B,
      long_chains, "130 domains and devices: 2- and 3-page array chains "
      "with DELETED slots");

/* ---- corrupt ----------------------------------------------------------- */

static uint64_t r64(struct hb *h, uint64_t pa)
{
	return gmem_read_u64(h->g, pa);
}

static void w64(struct hb *h, uint64_t pa, uint64_t v)
{
	gmem_write_u64(h->g, pa, v);
}

static void w32(struct hb *h, uint64_t pa, uint32_t v)
{
	gmem_write_u32(h->g, pa, v);
}

typedef void (*breaker)(struct hb *h, struct world *w);

static void build_broken(struct hb *h, bool scalable, enum vtdb_fmt fmt,
			 breaker fn)
{
	struct world w;

	world_build(h, &w, VTDB_C, scalable, fmt);
	world_finish(h, &w);
	fn(h, &w);
	world_publish(h, &w);
}

static void b_flb_unpreserved(struct hb *h, struct world *w)
{
	uint64_t pa = hb_alloc(h, HB_PAGE, HB_PAGE);

	gmem_write(h->g, pa, gmem_page_ptr(h->g, w->b->flb, 32), 32);
	w->flb_data = pa;
}
static void b_flb_name(struct hb *h, struct world *w) { w->flb_name = "iommu-liveupdate-v9"; }
static void b_version(struct hb *h, struct world *w) { w64(h, w->b->flb, 2); }
static void b_chain_cycle(struct hb *h, struct world *w)
{
	w64(h, w->b->page[2][0], w->b->page[2][0]);
}
static void b_hostile_head(struct hb *h, struct world *w)
{
	w64(h, w->b->flb + 16, HB_BAD_PA);
}
static void b_incoming(struct hb *h, struct world *w)
{
	w32(h, w->b->dev[2].slot + 4, 2);
}
static void b_unit_type(struct hb *h, struct world *w)
{
	w64(h, w->b->unit[1].slot + 16, 2);
}
static void b_unit_ref(struct hb *h, struct world *w)
{
	w32(h, w->b->unit[0].slot, 9);
}
static void b_link(struct hb *h, struct world *w)
{
	w64(h, w->b->dev[3].slot + 40, w->b->unit[1].slot + 8);
}
static void b_vasz(struct hb *h, struct world *w)
{
	gmem_write_u32(h->g, w->b->dom[2].slot + 24, 57);
}
static void b_did(struct hb *h, struct world *w)
{
	w64(h, w->b->dev[1].slot + 24, 9);
	w64(h, w->b->dev[1].ctx_entry + 8, 1 | 9 << 8);
}
static void b_root_bitmap(struct hb *h, struct world *w)
{
	uint64_t at = w->b->unit[0].slot + 48;

	w64(h, at, r64(h, at) | 1ull << 8);	/* bus 4, no root entry */
}
static void b_stray_ctx(struct hb *h, struct world *w)
{
	uint64_t t = w->b->unit[0].ctx[0];

	w64(h, t + 16 * 0x28, w->f2m | 1);	/* 00:05.0, not preserved */
	w64(h, t + 16 * 0x28 + 8, 1 | 77 << 8);
}
static void b_ctx_did(struct hb *h, struct world *w)
{
	w64(h, w->b->dev[3].ctx_entry + 8, 1 | 3 << 8);
}
static void b_pasid_pgtt(struct hb *h, struct world *w)
{
	uint64_t pe = w->b->dev[0].pasid_entry;

	w64(h, pe, (r64(h, pe) & ~(7ull << 6)) | 4ull << 6);
}
static void b_pte_rsvd(struct hb *h, struct world *w)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(w->b, 0, 0x105000, &lvl);

	w64(h, at, r64(h, at) | 1ull << 62);
}
static void b_pt_unpreserved(struct hb *h, struct world *w)
{
	uint64_t top = w->b->dom[0].top, l1 = r64(h, top) & ~0xfffull;
	uint64_t l0 = r64(h, l1) & ~0xfffull, pa = hb_alloc(h, HB_PAGE, HB_PAGE);

	gmem_write(h->g, pa, gmem_page_ptr(h->g, l0, HB_PAGE), HB_PAGE);
	w64(h, l1, (r64(h, l1) & 0xfff) | pa);
}
static void b_leaf(struct hb *h, struct world *w)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(w->b, 0, 0x101000, &lvl);
	uint64_t pa = hb_alloc(h, HB_PAGE, HB_PAGE);

	w64(h, at, (r64(h, at) & 0xfff) | pa);
}
static void b_leaf_scratch(struct hb *h, struct world *w)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(w->b, 2, 0x1000, &lvl);

	w64(h, at, (r64(h, at) & 0xfff) | 0x02000000);
}
static void b_alias_pt(struct hb *h, struct world *w)
{
	uint64_t t = w->b->unit[1].ctx[2 * 0x81], e = w->b->dev[3].ctx_entry;

	w64(h, t + 16, r64(h, e) | 8);		/* 81:00.1, TT 2 */
	w64(h, t + 24, r64(h, e + 8));
}
static void b_pasid_pt(struct hb *h, struct world *w)
{
	uint64_t pe = w->b->dev[0].pasid_tbl + 64 * 5;

	w64(h, pe, 1 | 4ull << 6);		/* PASID 5: pass-through */
	w64(h, pe + 8, 5);
}

#define BROKEN(id, nm, chk, sc, fmt, fn, desc)				\
	static void id##_build(struct hb *h)				\
	{								\
		build_broken(h, sc, fmt, fn);				\
	}								\
	HB_SCENARIO(id) = { .name = nm, .description = desc,		\
			    .expect_pass = false, .fail_check = chk,	\
			    .build = id##_build, .kho = HB_KHO_V3,	\
			    .luo = HB_LUO_STRUCT_B }

BROKEN(vtd_c_flb, "vtd-corrupt-flb-unpreserved", "iommu.flb", false,
       VTDB_SS, b_flb_unpreserved, "IOMMU FLB data is not a preserved page");
BROKEN(vtd_c_flb_name, "vtd-corrupt-flb-name", "iommu.flb", false, VTDB_SS,
       b_flb_name, "IOMMU FLB named iommu-liveupdate-v9");
BROKEN(vtd_c_version, "vtd-corrupt-flb-version", "iommu.flb-version",
       false, VTDB_SS, b_version, "iommu_flb_ser.version 2");
BROKEN(vtd_c_cycle, "vtd-corrupt-array-cycle", "iommu.arrays", false,
       VTDB_SS, b_chain_cycle, "device array page links to itself");
BROKEN(vtd_c_hostile, "vtd-corrupt-array-hostile", "iommu.arrays", false,
       VTDB_SS, b_hostile_head, "device chain head far outside RAM");
BROKEN(vtd_c_incoming, "vtd-corrupt-incoming", "iommu.headers", false,
       VTDB_SS, b_incoming, "a device object has INCOMING set");
BROKEN(vtd_c_unit_type, "vtd-corrupt-unit-type", "iommu.units", false,
       VTDB_SS, b_unit_type, "a unit of type 2 (SMMUv3)");
BROKEN(vtd_c_unit_ref, "vtd-corrupt-unit-refcount", "iommu.unit-refcount",
       false, VTDB_SS, b_unit_ref, "unit ref_count 9 with 3 devices");
BROKEN(vtd_c_link, "vtd-corrupt-device-link", "iommu.device-links", false,
       VTDB_SS, b_link, "iommu_phys points inside a unit slot");
BROKEN(vtd_c_vasz, "vtd-corrupt-domain-vasz", "iommu.domains", false,
       VTDB_SS, b_vasz, "vasz 57 with a 3-level second-stage table");
BROKEN(vtd_c_did, "vtd-corrupt-did-split", "iommu.did", false, VTDB_SS,
       b_did, "two devices of one domain on one unit with DIDs 5 and 9");
BROKEN(vtd_c_root, "vtd-corrupt-root-bitmap", "vtd.root-table", false,
       VTDB_SS, b_root_bitmap, "bitmap bit for bus 4 without a root entry");
BROKEN(vtd_c_ctx, "vtd-corrupt-stray-context", "vtd.context-tables", false,
       VTDB_SS, b_stray_ctx, "present context entry of an unpreserved "
       "device");
BROKEN(vtd_c_ctxdid, "vtd-corrupt-context-did", "vtd.device-context",
       false, VTDB_SS, b_ctx_did, "legacy context entry DID != "
       "attachment_id");
BROKEN(vtd_c_pasid, "vtd-corrupt-pasid-pgtt", "vtd.pasid", true, VTDB_SS,
       b_pasid_pgtt, "RID_PASID entry is pass-through (PGTT 4)");
BROKEN(vtd_c_pte, "vtd-corrupt-pte-reserved", "vtd.page-tables", false,
       VTDB_SS, b_pte_rsvd, "a 4 KiB leaf with reserved bit 62");
BROKEN(vtd_c_ptpres, "vtd-corrupt-pt-unpreserved", "vtd.page-tables",
       false, VTDB_SS, b_pt_unpreserved, "a leaf table page not preserved");
BROKEN(vtd_c_leaf, "vtd-corrupt-leaf-unpreserved", "vtd.leaf-targets",
       false, VTDB_SS, b_leaf, "a leaf maps memory nobody preserved");
BROKEN(vtd_c_leafscr, "vtd-corrupt-leaf-scratch", "vtd.leaf-targets",
       false, VTDB_SS, b_leaf_scratch, "a leaf maps scratch memory");
BROKEN(vtd_c_alias, "vtd-corrupt-alias-passthrough", "dma.containment",
       false, VTDB_SS, b_alias_pt, "an alias context entry in "
       "pass-through");
BROKEN(vtd_c_pasidpt, "vtd-corrupt-pasid-passthrough", "dma.containment",
       true, VTDB_SS, b_pasid_pt, "PASID 5 of a preserved device is "
       "pass-through");
