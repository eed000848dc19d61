// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>

#include "../../lib/probe.h"
#include "handover.h"
#include "vtd_probe.h"

struct probe *vtd_probe_new(struct gmem *g, struct physmem *pm,
			    struct pset *ps, const struct platform *plat,
			    const char *flb_name, uint64_t flb)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	gmem_physmem(g, pm);
	probe_init(p, pm, plat);
	pset_finish(ps, NULL, NULL);
	pset_move(&p->kho.preserved, ps);
	p->kho.memory_map_ok = true;
	p->kho.scratch[0].addr = HB_SCRATCH0_START;
	p->kho.scratch[0].size = HB_SCRATCH0_END - HB_SCRATCH0_START;
	p->kho.nscratch = 1;
	p->luo.flb_ok = true;
	if (flb_name) {
		p->luo.present = true;
		snprintf(p->luo.flb[0].name, LUO_FLB_NAME_LEN, "%s", flb_name);
		p->luo.flb[0].data = flb;
		p->luo.flb[0].count = 1;
		p->luo.nflb = 1;
	}
	return p;
}
