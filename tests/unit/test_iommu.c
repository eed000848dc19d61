// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IOMMU layer on hand-built memory: every ABI revision restores into
 * the right model, the walker yields exact runs for 3/4/5-level tables with
 * 4K/2M/1G leaves, and each memory check fails on a one-field corruption
 * with a reason naming the object, and passes without it.
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/probe.h"
#include "../../iommu/iommu_abi.h"
#include "../producer/gmem.h"
#include "../producer/vtd_build.h"
#include "../producer/vtd_mem.h"
#include "../producer/vtd_probe.h"
#include "../tap.h"

#define REG0		0xfed90000ull
#define REG1		0xfed91000ull
#define GIB		(1ull << 30)
#define MIB		(1ull << 20)
#define BIG_RAM		(4 * GIB)	/* extra RAM for 1 GiB leaves */
#define UNPRESERVED	0x2f000000ull	/* old-kernel memory nobody preserved */

struct fx {
	struct gmem *g;
	struct pset ps;
	struct vtd_gmem vg;
	struct vtd_mem m;
	struct vtdb b;
	struct physmem pm;
	struct probe *p;
	uint64_t flb;
	const char *flb_name;	/* override */
	unsigned int nextra_flb;
	uint64_t data[4];	/* preserved leaf memory */
};

static void fx_init(struct fx *f, enum vtdb_rev rev)
{
	memset(f, 0, sizeof(*f));
	f->g = gmem_new();
	gmem_add_ram(f->g, 0x100000, 0x3ffe0000 - 0x100000);
	gmem_add_ram(f->g, BIG_RAM, 4 * GIB);
	pset_init(&f->ps);
	vtd_mem_gmem(&f->m, &f->vg, f->g, &f->ps, 0x10000000, 0x2e000000);
	vtdb_init(&f->b, &f->m, rev);
}

static void fx_run(struct fx *f)
{
	struct probe *p = vtd_probe_new(f->g, &f->pm, &f->ps, NULL,
					f->flb_name ? f->flb_name :
						      vtdb_flb_name(&f->b),
					f->flb);

	for (unsigned int i = 0; i < f->nextra_flb; i++) {
		snprintf(p->luo.flb[1 + i].name, LUO_FLB_NAME_LEN, "%s",
			 i ? "iommu-v1" : "memfd-lfb");
		p->luo.flb[1 + i].data = f->flb;
		p->luo.nflb++;
	}
	iommu_run(p);
	iommu_hw_run(p);
	f->p = p;
}

static void fx_free(struct fx *f)
{
	if (f->p) {
		probe_release(f->p);
		free(f->p);
	}
	pset_free(&f->ps);
	gmem_free(f->g);
}

static enum check_status st(const struct fx *f, enum check_id id)
{
	return f->p->rep.r[id].status;
}

static const char *detail(const struct fx *f, enum check_id id)
{
	return f->p->rep.r[id].detail;
}

/* The first failure line of @id mentioning @what (detail or extras). */
static const char *mention(const struct fx *f, enum check_id id,
			   const char *what)
{
	const struct check_result *r = &f->p->rep.r[id];

	if (strstr(r->detail, what))
		return r->detail;
	for (unsigned int i = 0; i < r->nextra && i < CHECK_MAX_EXTRA; i++)
		if (strstr(r->extra[i], what))
			return r->extra[i];
	return NULL;
}

static uint64_t pres(struct fx *f, unsigned int order)
{
	return f->m.alloc_preserved(f->m.ctx, order);
}

/* The IOMMU checks that must pass on a valid handover. */
static const enum check_id all_mem[] = {
	CK_IOMMU_FLB, CK_IOMMU_ARRAYS, CK_IOMMU_HEADERS, CK_IOMMU_UNITS,
	CK_IOMMU_UNIT_REFCOUNT, CK_IOMMU_DEVICE_LINKS, CK_IOMMU_DOMAINS,
	CK_IOMMU_DID, CK_VTD_ROOT_TABLE, CK_VTD_CONTEXT_TABLES,
	CK_VTD_DEVICE_CONTEXT, CK_VTD_PAGE_TABLES, CK_VTD_LEAF_TARGETS,
	CK_DMA_CONTAINMENT,
};

static bool all_pass(const struct fx *f, bool pasid)
{
	bool good = true;

	for (size_t i = 0; i < sizeof(all_mem) / sizeof(all_mem[0]); i++)
		if (st(f, all_mem[i]) != CHECK_PASS) {
			diag("%s: %s %s", check_name(all_mem[i]),
			     check_status_name(st(f, all_mem[i])),
			     detail(f, all_mem[i]));
			good = false;
		}
	if (pasid && st(f, CK_VTD_PASID) != CHECK_PASS) {
		diag("vtd.pasid: %s", detail(f, CK_VTD_PASID));
		good = false;
	}
	return good;
}

/*
 * The standard world: unit 0 (legacy or scalable) with two domains and
 * three devices, unit 1 legacy with one; 4 KiB and 2 MiB leaves.
 */
static void build_world(struct fx *f, bool scalable, enum vtdb_fmt fmt)
{
	struct vtdb *b = &f->b;
	int u0 = vtdb_add_unit(b, REG0, scalable);
	int u1 = vtdb_add_unit(b, REG1, false);
	int d0 = vtdb_add_domain(b, fmt, fmt == VTDB_FS ? 3 : 2);
	int d1 = vtdb_add_domain(b, fmt, 3);
	int d2 = vtdb_add_domain(b, VTDB_SS, 2);

	f->data[0] = pres(f, 9);
	f->data[1] = pres(f, 9);
	f->data[2] = pres(f, 4);
	vtdb_map(b, d0, 0x100000, f->data[0], 2 * MIB, 4096, true);
	vtdb_map(b, d1, 0x40000000, f->data[1], 2 * MIB, 2 * MIB, false);
	vtdb_map(b, d1, 0x7f000000000ull, f->data[2], 64 * 1024, 4096, true);
	vtdb_map(b, d2, 0, f->data[2], 64 * 1024, 4096, true);
	vtdb_add_device(b, u0, d0, 0x0010, 5);
	vtdb_add_device(b, u0, d0, 0x0018, 5);
	vtdb_add_device(b, u0, d1, 0x0320, 6);
	vtdb_add_device(b, u1, d2, 0x8100, 2);
	f->flb = vtdb_finish(b);
}

static void test_valid_world(bool scalable, enum vtdb_fmt fmt,
			     enum vtdb_rev rev, const char *want_rev)
{
	struct fx f;

	fx_init(&f, rev);
	build_world(&f, scalable, fmt);
	fx_run(&f);
	ok(all_pass(&f, scalable), "valid %s %s rev %s: every check passes",
	   scalable ? "scalable" : "legacy",
	   fmt == VTDB_FS ? "first-stage" : "second-stage", want_rev);
	is_str(f.p->iommu.layout ? f.p->iommu.layout->rev : "", want_rev,
	       "detected ABI revision %s (%s)", want_rev,
	       f.p->iommu.layout_note);
	is_u64(f.p->iommu.nunit, 2, "two units restored");
	is_u64(f.p->iommu.ndev, 4, "four devices restored");
	is_u64(f.p->iommu.unit[0].scalable, scalable, "unit 0 mode");
	is_u64(f.p->iommu.dom[0].fmt,
	       fmt == VTDB_FS && scalable ? 2 : 1, "domain 0 format");
	/* d0: 2 MiB of 4K pages, contiguous: one run */
	is_u64(f.p->iommu.dom[0].nrun, 1, "512 4K leaves merge into one run");
	is_u64(f.p->iommu.dom[0].mapped, 2 * MIB, "2 MiB mapped");
	is_u64(f.p->iommu.dom[0].run[0].iova, 0x100000, "run IOVA");
	is_u64(f.p->iommu.dom[0].run[0].pa, f.data[0], "run PA");
	is_u64(f.p->iommu.dom[1].nrun, 2, "domain 1: 2M leaf + 4K run");
	is_u64(f.p->iommu.dom[1].run[0].perm, 1, "read-only 2 MiB leaf");
	is_u64(f.p->iommu.mapped, 4 * MIB + 128 * 1024, "total mapped");
	fx_free(&f);
}

static void test_revisions(void)
{
	static const struct { enum vtdb_rev rev; const char *want; } t[] = {
		{ VTDB_V1, "v1" }, { VTDB_A, "A" }, { VTDB_A40, "A+" },
		{ VTDB_A40C, "A+C" }, { VTDB_V2, "v2" }, { VTDB_C, "C" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		test_valid_world(false, VTDB_SS, t[i].rev, t[i].want);
	test_valid_world(true, VTDB_SS, VTDB_C, "C");
	test_valid_world(true, VTDB_FS, VTDB_C, "C");
	test_valid_world(true, VTDB_SS, VTDB_A, "A");
	test_valid_world(true, VTDB_FS, VTDB_A40C, "A+C");
}

static void test_rev_b(void)
{
	struct fx f;

	fx_init(&f, VTDB_B);
	build_world(&f, false, VTDB_SS);
	fx_run(&f);
	is_str(f.p->iommu.layout->rev, "B", "revision B detected: %s",
	       f.p->iommu.layout_note);
	ok(st(&f, CK_IOMMU_DEVICE_LINKS) == CHECK_PASS &&
	   st(&f, CK_IOMMU_UNIT_REFCOUNT) == CHECK_PASS,
	   "rev B model links and ref counts pass");
	ok(st(&f, CK_VTD_ROOT_TABLE) == CHECK_SKIP,
	   "rev B: VT-d table checks skip (%s)", detail(&f, CK_VTD_ROOT_TABLE));
	fx_free(&f);
}

/* Chains of several pages, DELETED slots, many devices and domains. */
static void test_long_chains(void)
{
	struct fx f;
	struct vtdb *b = &f.b;
	int u, d[130];

	fx_init(&f, VTDB_C);
	vtdb_add_deleted(b, 0, 40);
	u = vtdb_add_unit(b, REG0, false);
	f.data[0] = pres(&f, 8);
	vtdb_add_deleted(b, 1, 7);
	for (int i = 0; i < 130; i++) {
		d[i] = vtdb_add_domain(b, VTDB_SS, i % 2 ? 3 : 2);
		vtdb_map(b, d[i], 0x1000ull * i, f.data[0] + 0x1000ull * i,
			 0x1000, 0x1000, true);
	}
	vtdb_add_deleted(b, 2, 11);
	for (int i = 0; i < 130; i++)
		vtdb_add_device(b, u, d[i], (uint16_t)(0x100 + i),
				(uint64_t)(10 + i));
	f.flb = vtdb_finish(b);
	fx_run(&f);
	ok(b->npage[0] == 2 && b->npage[1] == 2 && b->npage[2] == 3,
	   "chains span 2/2/3 pages");
	ok(all_pass(&f, false), "multi-page chains with DELETED slots pass");
	is_u64(f.p->iommu.ndev, 141, "141 device slots decoded");
	is_u64(f.p->iommu.unit[40].ndev, 130, "130 live devices on the unit");
	is_u64(f.p->iommu.nruns, 130, "one run per domain");
	fx_free(&f);
}

/* 3/4/5-level second- and first-stage tables, 4K/2M/1G leaves. */
static void test_walker_shapes(void)
{
	static const struct { enum vtdb_fmt fmt; unsigned int top; } t[] = {
		{ VTDB_SS, 2 }, { VTDB_SS, 3 }, { VTDB_SS, 4 },
		{ VTDB_FS, 3 }, { VTDB_FS, 4 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct fx f;
		struct vtdb *b = &f.b;
		int u, d;
		uint64_t small, mid, huge = BIG_RAM + GIB;

		fx_init(&f, VTDB_C);
		u = vtdb_add_unit(b, REG0, t[i].fmt == VTDB_FS);
		d = vtdb_add_domain(b, t[i].fmt, t[i].top);
		small = pres(&f, 2);
		mid = pres(&f, 10);
		pset_add(&f.ps, huge, 18);	/* 1 GiB, preserved */
		vtdb_map(b, d, 0x3000, small, 0x4000, 0x1000, true);
		vtdb_map(b, d, 0x200000, mid, 4 * MIB, 2 * MIB, true);
		vtdb_map(b, d, 0x600000, mid, 0x1000, 0x1000, false);
		vtdb_map(b, d, GIB, huge, GIB, GIB, true);
		if (t[i].top >= 3)
			vtdb_map(b, d, 1ull << 40, small, 0x2000, 0x1000, true);
		vtdb_add_device(b, u, d, 0x10, 3);
		f.flb = vtdb_finish(b);
		fx_run(&f);
		ok(all_pass(&f, t[i].fmt == VTDB_FS),
		   "%s %u-level walk passes", t[i].fmt == VTDB_FS ? "FS" : "SS",
		   t[i].top + 1);
		is_u64(f.p->iommu.dom[0].mapped,
		       0x4000 + 4 * MIB + 0x1000 + GIB +
		       (t[i].top >= 3 ? 0x2000 : 0), "mapped bytes exact");
		/* 4K run; 2x2M merged; 4K RO run (different perm); 1G; high */
		is_u64(f.p->iommu.dom[0].nrun, t[i].top >= 3 ? 5 : 4,
		       "runs merged where contiguous");
		is_u64(f.p->iommu.dom[0].nptes, 4 + 2 + 1 + 1 +
		       (t[i].top >= 3 ? 2 : 0) + f.p->iommu.dom[0].ntables - 1,
		       "PTE count (leaves + table links)");
		fx_free(&f);
	}
}

/* ---- corruptions ---------------------------------------------------------- */

struct corrupt {
	const char *name;
	enum check_id id;
	bool scalable;
	enum vtdb_fmt fmt;
	void (*apply)(struct fx *f);
	const char *must_mention;	/* substring of the reason */
};

static void w64(struct fx *f, uint64_t pa, uint64_t v)
{
	gmem_write_u64(f->g, pa, v);
}

static uint64_t r64(struct fx *f, uint64_t pa)
{
	return gmem_read_u64(f->g, pa);
}

static void c_flb_unpreserved(struct fx *f)
{
	uint64_t pa = f->m.alloc(f->m.ctx, 4096, 4096);

	gmem_write(f->g, pa, gmem_page_ptr(f->g, f->flb, 32), 32);
	f->flb = pa;
}

static void c_flb_name(struct fx *f) { f->flb_name = "iommu-liveupdate-v9"; }
static void c_flb_two(struct fx *f) { f->nextra_flb = 2; }
static void c_version(struct fx *f) { w64(f, f->flb, 2); }
static void c_chain_cycle(struct fx *f) { w64(f, f->b.page[1][0], f->b.page[1][0]); }
static void c_nr_over(struct fx *f) { w64(f, f->b.page[1][0] + 8, 500); }
static void c_slot_tail(struct fx *f)
{
	w64(f, f->b.page[2][0] + 16 + 72 * 10, 0x1234);
}

static void c_array_unpreserved(struct fx *f)
{
	uint64_t pa = f->m.alloc(f->m.ctx, 4096, 4096);

	gmem_write(f->g, pa, gmem_page_ptr(f->g, f->b.page[0][0], 4096), 4096);
	w64(f, f->flb + 8, pa);
}

static void c_incoming(struct fx *f) { gmem_write_u32(f->g, f->b.dev[0].slot + 4, 2); }
static void c_dom_ref(struct fx *f) { gmem_write_u32(f->g, f->b.dom[0].slot, 2); }
static void c_restored_dom(struct fx *f) { w64(f, f->b.dom[1].slot + 32, 0xffff888012345678ull); }
static void c_unit_restored(struct fx *f) { w64(f, f->b.unit[0].slot + 24, 1); }
static void c_unit_type(struct fx *f) { w64(f, f->b.unit[1].slot + 16, 2); }
static void c_unit_token(struct fx *f) { w64(f, f->b.unit[1].slot + 8, REG0); w64(f, f->b.unit[1].slot + 32, REG0); }
static void c_unit_ref(struct fx *f) { gmem_write_u32(f->g, f->b.unit[0].slot, 7); }
static void c_link_off(struct fx *f) { w64(f, f->b.dev[3].slot + 40, f->b.unit[1].slot + 8); }
static void c_link_dup(struct fx *f) { gmem_write_u32(f->g, f->b.dev[1].slot + 8, 0x0010); }
static void c_dom_level(struct fx *f) { w64(f, f->b.dom[2].slot + 24, 57); }
static void c_dom_top(struct fx *f)
{
	/* a domain nobody uses, with an unpreserved top table */
	w64(f, f->b.dom[2].slot + 8, UNPRESERVED);
	gmem_write_u32(f->g, f->b.dev[3].slot + 4, 1);	/* DELETE its device */
	gmem_write_u32(f->g, f->b.unit[1].slot, 0);
}
static void c_did_split(struct fx *f)
{
	w64(f, f->b.dev[1].slot + 24, 9);
	/* keep the context entry consistent with the record */
	w64(f, f->b.dev[1].ctx_entry + 8, 1 | 9 << 8);
}
static void c_did_zero(struct fx *f)
{
	w64(f, f->b.dev[3].slot + 24, 0);
	w64(f, f->b.dev[3].ctx_entry + 8, 1);
}
static void c_root_bitmap(struct fx *f) { w64(f, f->b.unit[0].slot + 48, r64(f, f->b.unit[0].slot + 48) | 1ull << 8); }
static void c_root_hi(struct fx *f) { w64(f, f->b.unit[0].root + 8, 0x1000); }
static void c_ctx_stray(struct fx *f)
{
	uint64_t t = f->b.unit[0].ctx[0];

	w64(f, t + 16 * 0x28, f->data[1] | 1);		/* 00:05.0 */
	w64(f, t + 16 * 0x28 + 8, 1 | 77 << 8);
}
static void c_ctx_pre(struct fx *f) { w64(f, f->b.dev[0].ctx_entry, r64(f, f->b.dev[0].ctx_entry) | 0x10); }
static void c_ctx_unpreserved(struct fx *f)
{
	uint64_t pa = f->m.alloc(f->m.ctx, 4096, 4096), r = f->b.unit[0].root;

	gmem_write(f->g, pa, gmem_page_ptr(f->g, f->b.unit[0].ctx[0], 4096), 4096);
	w64(f, r, pa | 1);
}
static void c_dev_did(struct fx *f) { w64(f, f->b.dev[3].ctx_entry + 8, 1 | 3 << 8); }
static void c_dev_aw(struct fx *f) { w64(f, f->b.dev[3].ctx_entry + 8, 2 | 2 << 8); }
static void c_dev_tt(struct fx *f) { w64(f, f->b.dev[3].ctx_entry, r64(f, f->b.dev[3].ctx_entry) | 8); }
static void c_dev_dir(struct fx *f) { w64(f, f->b.dev[2].ctx_entry, f->b.dev[0].pasid_dir | 1); }
static void c_pasid_pgtt(struct fx *f)
{
	uint64_t pe = f->b.dev[0].pasid_entry;

	w64(f, pe, (r64(f, pe) & ~(7ull << 6)) | 4ull << 6);
}
static void c_pasid_did(struct fx *f) { w64(f, f->b.dev[0].pasid_entry + 8, 99); }
/* The selected stage's pointer and depth (pe qword 0: SS, qword 2: FS). */
static void c_pasid_ssptr(struct fx *f)
{
	uint64_t pe = f->b.dev[0].pasid_entry;

	w64(f, pe, r64(f, pe) + 0x1000);
}
static void c_pasid_aw(struct fx *f)
{
	uint64_t pe = f->b.dev[0].pasid_entry;

	w64(f, pe, r64(f, pe) ^ 1ull << 3);	/* AW (bits 4:2) off by 2 */
}
static void c_pasid_fsptr(struct fx *f)
{
	uint64_t pe = f->b.dev[0].pasid_entry + 16;

	w64(f, pe, r64(f, pe) + 0x1000);
}
static void c_pasid_flpm(struct fx *f)
{
	uint64_t pe = f->b.dev[0].pasid_entry + 16;

	w64(f, pe, r64(f, pe) ^ 1ull << 2);	/* FLPM (bits 3:2) */
}
static void c_pasid_tbl(struct fx *f)
{
	uint64_t pa = f->m.alloc(f->m.ctx, 4096, 4096);

	gmem_write(f->g, pa, gmem_page_ptr(f->g, f->b.dev[2].pasid_tbl, 4096), 4096);
	w64(f, f->b.dev[2].pasid_dir, pa | 1);
}
static void c_pte_rsvd(struct fx *f)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(&f->b, 0, 0x105000, &lvl);

	w64(f, at, r64(f, at) | 1ull << 62);
}
static void c_pt_unpreserved(struct fx *f)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(&f->b, 0, 0x100000, &lvl);
	uint64_t leaf = at & ~0xfffull, pa = f->m.alloc(f->m.ctx, 4096, 4096);
	uint64_t top = f->b.dom[0].top, e;

	gmem_write(f->g, pa, gmem_page_ptr(f->g, leaf, 4096), 4096);
	/* repoint the level-1 entry (3-level SS: top -> L1 -> L0) */
	e = r64(f, top);
	w64(f, (e & 0x000ffffffffff000ull), (r64(f, e & 0x000ffffffffff000ull) & 0xfff) | pa);
}
static void c_pt_shared(struct fx *f)
{
	uint64_t top = f->b.dom[0].top, l1 = r64(f, top) & 0x000ffffffffff000ull;

	w64(f, l1 + 8 * 5, r64(f, l1));		/* second PDE -> same PT */
}
static void c_pt_unaligned(struct fx *f)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(&f->b, 1, 0x40000000, &lvl);

	w64(f, at, r64(f, at) + 0x1000);
}
static void c_leaf_unpreserved(struct fx *f)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(&f->b, 0, 0x101000, &lvl);

	w64(f, at, (r64(f, at) & 0xfff) | UNPRESERVED);
}
static void c_leaf_scratch(struct fx *f)
{
	unsigned int lvl;
	uint64_t at = vtdb_pte_pa(&f->b, 2, 0x2000, &lvl);

	w64(f, at, (r64(f, at) & 0xfff) | 0x02000000);
}
static void c_alias_pt(struct fx *f)
{
	uint64_t t = f->b.unit[1].ctx[2 * 0x81];
	uint64_t e = f->b.dev[3].ctx_entry;

	/* 81:00.1 aliases 81:00.0's tables, but as pass-through */
	w64(f, t + 16, r64(f, e) | 8);
	w64(f, t + 24, r64(f, e + 8));
}
static void c_pasid_other_pt(struct fx *f)
{
	uint64_t pe = f->b.dev[0].pasid_tbl + 64 * 5;	/* PASID 5 */

	w64(f, pe, 1 | 4ull << 6);
	w64(f, pe + 8, 5);
}
static void c_ctx_rsvd(struct fx *f) { w64(f, f->b.dev[3].ctx_entry, r64(f, f->b.dev[3].ctx_entry) | 0x100); }
static void c_pasid_junk(struct fx *f) { w64(f, f->b.dev[0].pasid_tbl + 64 * 9 + 16, 0x1234000); }
static void c_pt_cycle(struct fx *f)
{
	uint64_t top = f->b.dom[0].top;

	/* every top entry points back at the top: 512^2 paths */
	for (int i = 0; i < 512; i++)
		w64(f, top + 8 * i, top | 3);
}
static void c_hostile_head(struct fx *f) { w64(f, f->flb + 16, 0x7f00000000ull); }
static void c_hostile_top(struct fx *f)
{
	w64(f, f->b.dom[2].slot + 8, 0x10000000000ull);
}

static const struct corrupt corrupts[] = {
	{ "FLB data not preserved", CK_IOMMU_FLB, 0, VTDB_SS, c_flb_unpreserved, "not the head" },
	{ "unknown IOMMU FLB name", CK_IOMMU_FLB, 0, VTDB_SS, c_flb_name, "iommu-liveupdate-v9" },
	{ "two IOMMU FLBs", CK_IOMMU_FLB, 0, VTDB_SS, c_flb_two, "second IOMMU FLB" },
	{ "FLB version 2", CK_IOMMU_FLB_VERSION, 0, VTDB_SS, c_version, "version 2" },
	{ "domain chain cycle", CK_IOMMU_ARRAYS, 0, VTDB_SS, c_chain_cycle, "cycles" },
	{ "nr_objects past capacity", CK_IOMMU_ARRAYS, 0, VTDB_SS, c_nr_over, "capacity" },
	{ "bytes past nr_objects", CK_IOMMU_ARRAYS, 0, VTDB_SS, c_slot_tail, "not zero" },
	{ "array page not preserved", CK_IOMMU_ARRAYS, 0, VTDB_SS, c_array_unpreserved, "not a preserved page" },
	{ "INCOMING set", CK_IOMMU_HEADERS, 0, VTDB_SS, c_incoming, "INCOMING" },
	{ "domain ref_count 2", CK_IOMMU_HEADERS, 0, VTDB_SS, c_dom_ref, "ref_count 2" },
	{ "restored_domain set", CK_IOMMU_HEADERS, 0, VTDB_SS, c_restored_dom, "restored_domain" },
	{ "unit restored", CK_IOMMU_HEADERS, 0, VTDB_SS, c_unit_restored, "intel.restored" },
	{ "unit type 2", CK_IOMMU_UNITS, 0, VTDB_SS, c_unit_type, "not Intel" },
	{ "duplicate unit token", CK_IOMMU_UNITS, 0, VTDB_SS, c_unit_token, "share token" },
	{ "unit ref_count 7", CK_IOMMU_UNIT_REFCOUNT, 0, VTDB_SS, c_unit_ref, "ref_count 7" },
	{ "iommu_phys off a slot", CK_IOMMU_DEVICE_LINKS, 0, VTDB_SS, c_link_off, "slot boundary" },
	{ "duplicate RID", CK_IOMMU_DEVICE_LINKS, 0, VTDB_SS, c_link_dup, "0000:00:02.0" },
	{ "vasz vs top_level", CK_IOMMU_DOMAINS, 0, VTDB_SS, c_dom_level, "vasz 57" },
	{ "unused domain, top not preserved", CK_IOMMU_DOMAINS, 0, VTDB_SS, c_dom_top, "not a preserved page" },
	{ "one domain, two DIDs", CK_IOMMU_DID, 0, VTDB_SS, c_did_split, "DIDs 5 and 9" },
	{ "DID 0", CK_IOMMU_DID, 0, VTDB_SS, c_did_zero, "DID 0" },
	{ "bitmap bit without root entry", CK_VTD_ROOT_TABLE, 0, VTDB_SS, c_root_bitmap, "bus 0x04" },
	{ "legacy root upper half", CK_VTD_ROOT_TABLE, 0, VTDB_SS, c_root_hi, "upper half" },
	{ "stray context entry", CK_VTD_CONTEXT_TABLES, 0, VTDB_SS, c_ctx_stray, "0000:00:05.0" },
	{ "PRE on a preserved device", CK_VTD_CONTEXT_TABLES, 1, VTDB_SS, c_ctx_pre, "PRE" },
	{ "context table not preserved", CK_VTD_CONTEXT_TABLES, 0, VTDB_SS, c_ctx_unpreserved, "not a preserved page" },
	{ "context DID mismatch", CK_VTD_DEVICE_CONTEXT, 0, VTDB_SS, c_dev_did, "DID 3" },
	{ "context AW mismatch", CK_VTD_DEVICE_CONTEXT, 0, VTDB_SS, c_dev_aw, "AW 2" },
	{ "context pass-through", CK_VTD_DEVICE_CONTEXT, 0, VTDB_SS, c_dev_tt, "pass-through" },
	{ "scalable PASID dir mismatch", CK_VTD_DEVICE_CONTEXT, 1, VTDB_SS, c_dev_dir, "PASID directory" },
	{ "legacy context reserved bits", CK_VTD_DEVICE_CONTEXT, 0, VTDB_SS, c_ctx_rsvd, "reserved bits" },
	{ "junk in a non-present PASID entry", CK_VTD_PASID, 1, VTDB_SS, c_pasid_junk, "PASID entry 9" },
	{ "RID_PASID PGTT 4", CK_VTD_PASID, 1, VTDB_SS, c_pasid_pgtt, "PGTT 4" },
	{ "PASID DID mismatch", CK_VTD_PASID, 1, VTDB_FS, c_pasid_did, "DID 99" },
	{ "PASID SSPTPTR not the domain's top", CK_VTD_PASID, 1, VTDB_SS, c_pasid_ssptr, "SSPTPTR 0x" },
	{ "PASID AW vs top_level", CK_VTD_PASID, 1, VTDB_SS, c_pasid_aw, ": AW " },
	{ "PASID FSPTPTR not the domain's top", CK_VTD_PASID, 1, VTDB_FS, c_pasid_fsptr, "FSPTPTR 0x" },
	{ "PASID FLPM vs top_level", CK_VTD_PASID, 1, VTDB_FS, c_pasid_flpm, ": FLPM " },
	{ "PASID table not preserved", CK_VTD_PASID, 1, VTDB_SS, c_pasid_tbl, "not a preserved page" },
	{ "reserved PTE bit", CK_VTD_PAGE_TABLES, 0, VTDB_SS, c_pte_rsvd, "reserved" },
	{ "table page not preserved", CK_VTD_PAGE_TABLES, 0, VTDB_SS, c_pt_unpreserved, "not a preserved page" },
	{ "shared table page", CK_VTD_PAGE_TABLES, 0, VTDB_SS, c_pt_shared, "reached twice" },
	{ "self-referencing tables", CK_VTD_PAGE_TABLES, 0, VTDB_SS, c_pt_cycle, "exceeds the number of preserved blocks" },
	{ "unaligned 2 MiB leaf", CK_VTD_PAGE_TABLES, 0, VTDB_SS, c_pt_unaligned, "not aligned" },
	{ "leaf outside preserved memory", CK_VTD_LEAF_TARGETS, 0, VTDB_SS, c_leaf_unpreserved, "not preserved memory" },
	{ "leaf in scratch", CK_VTD_LEAF_TARGETS, 0, VTDB_SS, c_leaf_scratch, "scratch" },
	{ "pass-through alias", CK_DMA_CONTAINMENT, 0, VTDB_SS, c_alias_pt, "pass-through" },
	{ "pass-through PASID 5", CK_DMA_CONTAINMENT, 1, VTDB_SS, c_pasid_other_pt, "PASID 5" },
	{ "hostile chain head", CK_IOMMU_ARRAYS, 0, VTDB_SS, c_hostile_head, "0x7f00000000" },
	{ "hostile top table", CK_IOMMU_DOMAINS, 0, VTDB_SS, c_hostile_top, "0x10000000000" },
};

static void test_corruptions(void)
{
	for (size_t i = 0; i < sizeof(corrupts) / sizeof(corrupts[0]); i++) {
		const struct corrupt *c = &corrupts[i];
		struct fx f;

		fx_init(&f, VTDB_C);
		build_world(&f, c->scalable, c->fmt);
		c->apply(&f);
		fx_run(&f);
		if (!ok(st(&f, c->id) == CHECK_FAIL, "%s: %s fails", c->name,
			check_name(c->id)))
			diag("status %s: %s", check_status_name(st(&f, c->id)),
			     detail(&f, c->id));
		if (!ok(mention(&f, c->id, c->must_mention),
			"  reason names it: %s",
			mention(&f, c->id, c->must_mention) ?
			mention(&f, c->id, c->must_mention) : detail(&f, c->id)))
			diag("wanted '%s'", c->must_mention);
		fx_free(&f);
	}
}

int main(void)
{
	test_revisions();
	test_rev_b();
	test_long_chains();
	test_walker_shapes();
	test_corruptions();
	return done_testing();
}
