// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory half of the restore rehearsal on hand-built handovers: the
 * next kernel's KHO claims (exact head, recorded order, once) and its DID
 * reservation, each passing on a valid handover and failing with a reason
 * naming the page or device on a one-field change; vtd.restore itself
 * skips offline and when not requested.  The register half runs in QEMU
 * (tests/t/70-restore.t).
 */
#include <stdlib.h>
#include <string.h>

#include "../../lib/probe.h"
#include "../../iommu/restore.h"
#include "../producer/gmem.h"
#include "../producer/vtd_build.h"
#include "../producer/vtd_mem.h"
#include "../producer/vtd_probe.h"
#include "../tap.h"

#define REG0	0xfed90000ull
#define MIB	(1ull << 20)

struct fx {
	struct gmem *g;
	struct pset ps;
	struct vtd_gmem vg;
	struct vtd_mem m;
	struct vtdb b;
	struct physmem pm;
	struct probe *p;
};

/*
 * One unit, domains d0 (3-level, 2 MiB of 4 KiB pages from 1 MiB: top, L2
 * and two L1 tables) and
 * d1 (3-level, one 2 MiB leaf: top + L2), devices 00:02.0 and 00:03.0 in
 * d0 (DID 5) and 00:04.0 in d1 (DID 6).
 */
static void fx_build(struct fx *f, bool scalable)
{
	struct vtdb *b = &f->b;
	uint64_t data;
	int u, d0, d1;

	memset(f, 0, sizeof(*f));
	f->g = gmem_new();
	gmem_add_ram(f->g, 0x100000, 0x3ffe0000 - 0x100000);
	pset_init(&f->ps);
	vtd_mem_gmem(&f->m, &f->vg, f->g, &f->ps, 0x10000000, 0x2e000000);
	vtdb_init(b, &f->m, VTDB_C);
	u = vtdb_add_unit(b, REG0, scalable);
	d0 = vtdb_add_domain(b, VTDB_SS, 2);
	d1 = vtdb_add_domain(b, VTDB_SS, 2);
	data = f->m.alloc_preserved(f->m.ctx, 9);
	vtdb_map(b, d0, 0x100000, data, 2 * MIB, 4096, true);
	vtdb_map(b, d1, 0x400000, data, 2 * MIB, 2 * MIB, true);
	vtdb_add_device(b, u, d0, 0x0010, 5);
	vtdb_add_device(b, u, d0, 0x0018, 5);
	vtdb_add_device(b, u, d1, 0x0020, 6);
}

static void fx_run(struct fx *f)
{
	uint64_t flb = vtdb_finish(&f->b);
	struct probe *p = vtd_probe_new(f->g, &f->pm, &f->ps, NULL,
					vtdb_flb_name(&f->b), flb);

	iommu_run(p);
	f->p = p;
}

static void fx_free(struct fx *f)
{
	probe_release(f->p);
	free(f->p);
	pset_free(&f->ps);
	gmem_free(f->g);
}

static void test_valid(bool scalable)
{
	const char *mode = scalable ? "scalable" : "legacy";
	struct restore_claims c;
	char why[200] = "";
	unsigned int ndid = 9;
	struct fx f;

	fx_build(&f, scalable);
	fx_run(&f);
	ok(f.p->iommu.model_ok && f.p->iommu.ndom == 2, "%s: model restored", mode);
	is_u64(restore_claim_all(f.p, &c), 0, "%s: every claim succeeds (%s)",
	       mode, c.first_bad);
	/*
	 * FLB + one page per array chain + root + context table + d0's four
	 * table pages + d1's two; scalable: a PASID directory and table per
	 * device on top.
	 */
	is_u64(c.pages, 1 + 3 + 2 + 4 + 2 + (scalable ? 3 * 2 : 0),
	       "%s: claims counted once per preserved block", mode);
	is_u64(restore_reserve_dids(f.p, 0, &ndid, why, sizeof(why)), 0,
	       "%s: DIDs reserve (%s)", mode, why);
	is_u64(ndid, 2, "%s: two DIDs, the shared domain reserves one", mode);
	fx_free(&f);
}

static void test_double_claim(void)
{
	struct restore_claims c;
	struct fx f;

	fx_build(&f, false);
	fx_run(&f);
	/* d1 adopting d0's top table: the second restore finds it taken. */
	f.p->iommu.dom[1].top_table_phys = f.p->iommu.dom[0].top_table_phys;
	ok(restore_claim_all(f.p, &c) && c.nbad >= 1 &&
	   strstr(c.first_bad, "page-table page 0x") &&
	   strstr(c.first_bad, "is claimed a second time"),
	   "a page-table page restored twice is a refused claim: %s", c.first_bad);
	fx_free(&f);
}

static void test_not_head(void)
{
	struct restore_claims c;
	struct fx f;

	fx_build(&f, false);
	fx_run(&f);
	f.p->iommu.unit[0].root_table += 0x800;
	ok(restore_claim_all(f.p, &c) &&
	   strstr(c.first_bad, "root table 0x") &&
	   strstr(c.first_bad, "is not the head of a preserved block"),
	   "a root table that is no block head is refused: %s", c.first_bad);
	fx_free(&f);
}

/* Record the block headed at @pa as order @order instead (set rebuilt). */
static bool set_recorded_order(struct pset *s, uint64_t pa, unsigned int order)
{
	struct pset t;
	bool found = false;

	pset_init(&t);
	for (size_t i = 0; i < s->nrun; i++) {
		const struct prun *r = &s->run[i];

		for (uint64_t k = 0; k < r->count; k++) {
			struct pblock b = prun_block(r, k);

			found |= b.pa == pa;
			pset_add(&t, b.pa, b.pa == pa ? order : b.order);
		}
	}
	pset_finish(&t, NULL, NULL);
	pset_free(s);
	*s = t;
	return found;
}

static void test_order(void)
{
	struct restore_claims c;
	struct fx f;

	fx_build(&f, false);
	fx_run(&f);
	ok(set_recorded_order(&f.p->kho.preserved, f.p->iommu.unit[0].root_table,
			      1), "the root table is a preserved block");
	ok(restore_claim_all(f.p, &c) &&
	   strstr(c.first_bad, "recorded order 1, the restore expects 0"),
	   "a root table recorded as order 1 is refused: %s", c.first_bad);
	fx_free(&f);
}

static void test_dids(void)
{
	char why[200] = "";
	unsigned int n;
	struct fx f;

	fx_build(&f, false);
	fx_run(&f);
	f.p->iommu.dev[2].attachment_id = 5;	/* d1 takes d0's DID */
	ok(restore_reserve_dids(f.p, 0, &n, why, sizeof(why)) &&
	   strstr(why, "DID 5 is reserved for two domains"),
	   "one DID for two domains is a conflict: %s", why);
	f.p->iommu.dev[2].attachment_id = 6;
	f.p->iommu.dev[1].attachment_id = 7;	/* d0 under two DIDs */
	ok(restore_reserve_dids(f.p, 0, &n, why, sizeof(why)) &&
	   strstr(why, "share a domain but carry DIDs 5 and 7"),
	   "one domain under two DIDs is a conflict: %s", why);
	f.p->iommu.dev[1].attachment_id = 1u << 16;
	ok(restore_reserve_dids(f.p, 0, &n, why, sizeof(why)) &&
	   strstr(why, "DID 65536 of device 00:03.0 is outside 1..65535"),
	   "a DID beyond CAP.ND's range cannot be reserved: %s", why);
	fx_free(&f);
}

static void test_check_skips(void)
{
	struct fx f;

	fx_build(&f, false);
	fx_run(&f);
	vtd_restore_run(f.p);
	ok(f.p->rep.r[CK_VTD_RESTORE].status == CHECK_SKIP &&
	   strstr(f.p->rep.r[CK_VTD_RESTORE].detail, "not requested"),
	   "vtd.restore skips unless requested");
	f.p->rep.r[CK_VTD_RESTORE].status = CHECK_NOT_RUN;
	f.p->restore_hw = true;
	vtd_restore_run(f.p);
	ok(f.p->rep.r[CK_VTD_RESTORE].status == CHECK_SKIP &&
	   strstr(f.p->rep.r[CK_VTD_RESTORE].detail, "offline"),
	   "vtd.restore skips offline even when requested: %s",
	   f.p->rep.r[CK_VTD_RESTORE].detail);
	fx_free(&f);
}

int main(void)
{
	test_valid(false);
	test_valid(true);
	test_double_claim();
	test_not_head();
	test_order();
	test_dids();
	test_check_skips();
	return done_testing();
}
