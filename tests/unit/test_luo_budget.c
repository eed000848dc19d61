// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile LUO state whose sessions all share one long file chain: every
 * chain is finite and acyclic, yet the walk would visit sessions x files
 * records.  The global budget stops it with a failed luo.sessions.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../lib/probe.h"
#include "../producer/handover.h"
#include "../tap.h"

#define CHAIN_BLOCKS	40
#define SESSIONS	60

static uint64_t chain_first;

/* Before hb_finish: the chain's blocks must be in the preserved map. */
static void build_chain(struct hb *h)
{
	uint64_t prev = 0;

	for (int i = 0; i < CHAIN_BLOCKS; i++) {
		uint64_t b = hb_alloc_preserved(h, 0);

		if (prev)
			gmem_write_u64(h->g, prev, b);
		else
			chain_first = b;
		gmem_write_u64(h->g, b + 8, 63);	/* 63 empty records */
		prev = b;
	}
}

/* After: every session record points at the same chain. */
static void share_chain(struct hb *h)
{
	uint64_t ses = h->out.sessions;

	for (int i = 0; i < SESSIONS; i++) {
		uint64_t rec;

		if (i && i % 51 == 0)
			ses = gmem_read_u64(h->g, ses);
		rec = ses + 16 + 80 * (i % 51);
		gmem_write_u64(h->g, rec + 64, chain_first);
		gmem_write_u64(h->g, rec + 72, 63 * CHAIN_BLOCKS);
	}
}

static struct probe *run(uint64_t budget, struct hb *h, uint64_t bp)
{
	struct probe *p = calloc(1, sizeof(*p));
	static struct physmem pm;

	gmem_physmem(h->g, &pm);
	probe_init(p, &pm, NULL);
	p->start_pa = bp;
	p->luo.budget = budget;
	probe_run(p);
	return p;
}

int main(void)
{
	struct probe *p;
	struct hb h;
	uint64_t bp;
	char name[16];

	hb_init(&h, HB_KHO_V3, HB_LUO_STRUCT_A);
	for (int i = 0; i < SESSIONS; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		hb_add_session(&h, name);
	}
	build_chain(&h);
	h.after_finish = share_chain;
	bp = hb_finish(&h);
	p = run(0, &h, bp);
	ok(check_passed(&p->rep, CK_LUO_SESSIONS),
	   "within the default budget the shared chain is walked: %s",
	   p->rep.r[CK_LUO_SESSIONS].detail);
	is_u64(p->luo.total_files, (uint64_t)SESSIONS * 63 * CHAIN_BLOCKS,
	       "every file record visited");
	probe_release(p);
	free(p);
	p = run(10000, &h, bp);
	ok(check_failed(&p->rep, CK_LUO_SESSIONS), "luo.sessions fails: %s",
	   p->rep.r[CK_LUO_SESSIONS].detail);
	ok(p->luo.work <= 10000 + 63 + 1, "the walk stopped near its budget (%llu)",
	   (unsigned long long)p->luo.work);
	probe_release(p);
	free(p);
	hb_release(&h);
	return done_testing();
}
