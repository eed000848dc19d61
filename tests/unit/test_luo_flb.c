// SPDX-License-Identifier: GPL-2.0-only
/*
 * The FLB table as later layers see it: a full table of 63 entries is
 * accepted and exported in order; odd bytes in names are made printable;
 * an entry with no dependent files is a warning, not a failure; no FLB
 * table at all (luo_ser with flbs_pa 0) passes with flb_ok set.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../lib/probe.h"
#include "../producer/handover.h"
#include "../tap.h"

static struct probe *run(struct hb *h, uint64_t bp)
{
	struct probe *p = calloc(1, sizeof(*p));
	static struct physmem pm;

	gmem_physmem(h->g, &pm);
	probe_init(p, &pm, NULL);
	p->start_pa = bp;
	probe_run(p);
	return p;
}

static void test_full(void)
{
	struct probe *p;
	struct hb h;
	char name[48];
	uint64_t bp;
	int in_order = 1;

	hb_init(&h, HB_KHO_V2, HB_LUO_FDT);
	for (int i = 0; i < 63; i++) {
		snprintf(name, sizeof(name), "flb-%02d%s", i, i == 5 ? "\x01\xff" : "");
		hb_add_flb(&h, name, hb_alloc_preserved(&h, 0), i == 7 ? 0 : 1);
	}
	bp = hb_finish(&h);
	p = run(&h, bp);
	ok(check_passed(&p->rep, CK_LUO_FLB_TABLE) && p->luo.flb_ok,
	   "63 entries accepted: %s", p->rep.r[CK_LUO_FLB_TABLE].detail);
	is_u64(p->luo.nflb, 63, "all exported");
	for (int i = 0; i < 63; i++)
		in_order &= p->luo.flb[i].data == h.flb[i].data;
	ok(in_order, "in table order, with their data");
	is_str(p->luo.flb[5].name, "flb-05??", "odd bytes made printable");
	ok(p->rep.r[CK_LUO_FLB_TABLE].nwarn == 1, "count 0 is a warning");
	probe_release(p);
	free(p);
	hb_release(&h);
}

static void test_none(void)
{
	struct probe *p;
	struct hb h;
	uint64_t bp;

	hb_init(&h, HB_KHO_V3, HB_LUO_STRUCT_A);
	bp = hb_finish(&h);
	p = run(&h, bp);
	ok(check_passed(&p->rep, CK_LUO_FLB_TABLE) && p->luo.flb_ok &&
	   !p->luo.nflb, "flbs_pa 0: no FLBs, table trusted (%s)",
	   p->rep.r[CK_LUO_FLB_TABLE].detail);
	ok(check_passed(&p->rep, CK_LUO_SESSIONS), "no sessions: %s",
	   p->rep.r[CK_LUO_SESSIONS].detail);
	ok(p->rep.r[CK_MEMFD_FOLIOS].status == CHECK_SKIP, "memfd.folios skips");
	probe_release(p);
	free(p);
	hb_release(&h);
}

int main(void)
{
	test_full();
	test_none();
	return done_testing();
}
