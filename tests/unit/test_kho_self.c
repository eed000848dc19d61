// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho.self-in-scratch with a platform (as the payload runs it): the
 * payload's footprint must lie wholly inside scratch areas, abutting areas
 * counting as one.  Offline (no platform) the check is skipped.
 */
#include <stdlib.h>

#include "../../lib/probe.h"
#include "../producer/handover.h"
#include "../tap.h"

static enum check_status run(struct hb *h, uint64_t bp,
			     const struct platform *plat, char *detail)
{
	struct probe *p = calloc(1, sizeof(*p));
	struct physmem pm;
	enum check_status st;

	gmem_physmem(h->g, &pm);
	probe_init(p, &pm, plat);
	p->start_pa = bp;
	probe_run(p);
	st = p->rep.r[CK_KHO_SELF_IN_SCRATCH].status;
	strcpy(detail, p->rep.r[CK_KHO_SELF_IN_SCRATCH].detail);
	probe_release(p);
	free(p);
	return st;
}

int main(void)
{
	struct platform plat = { 0 };
	struct hb_range two[2] = {
		{ HB_SCRATCH0_START, 0x4000000 },		/* abutting areas */
		{ HB_SCRATCH0_START + 0x4000000, 0x4000000 },
	};
	char detail[CHECK_DETAIL_LEN];
	struct hb h;
	uint64_t bp;

	hb_init(&h, HB_KHO_V3, HB_LUO_STRUCT_B);
	hb_set_scratch(&h, 2, two);
	hb_typical(&h);
	bp = hb_finish(&h);

	plat.footprint[0] = (struct phys_range){ 0x1000000, 0x1400000, "image" };
	plat.footprint[1] = (struct phys_range){ 0x7f00000, 0x8000000, "heap" };
	plat.nfootprint = 2;
	ok(run(&h, bp, &plat, detail) == CHECK_PASS, "footprint inside: %s", detail);

	plat.footprint[1] = (struct phys_range){ 0x4f00000, 0x5100000, "stack" };
	ok(run(&h, bp, &plat, detail) == CHECK_PASS,
	   "range across two abutting areas: %s", detail);

	plat.footprint[1] = (struct phys_range){ 0x8f00000, 0x9100000, "page tables" };
	ok(run(&h, bp, &plat, detail) == CHECK_FAIL &&
	   strstr(detail, "page tables") && strstr(detail, "0x9000000"),
	   "range running out of scratch fails: %s", detail);

	plat.footprint[1] = (struct phys_range){ 0x200000, 0x300000, "heap" };
	ok(run(&h, bp, &plat, detail) == CHECK_FAIL, "range below scratch: %s",
	   detail);

	ok(run(&h, bp, NULL, detail) == CHECK_SKIP, "offline: skipped (%s)", detail);
	hb_release(&h);
	return done_testing();
}
