// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scratch: the areas the next kernel may use before it has read the map.
 * kho.scratch checks the array, kho.scratch-disjoint that no preserved
 * block lies in it, kho.self-in-scratch (payload) that we live inside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

static int cmp_area(const void *a, const void *b)
{
	const struct kho_area *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static void check_area(struct probe *p, unsigned int i,
		       const struct kho_area *a)
{
	if (!a->size)
		check_fail(&p->rep, CK_KHO_SCRATCH, "scratch[%u] at 0x%llx is empty",
			   i, (unsigned long long)a->addr);
	else if (!kho_page_aligned(a->addr) || !kho_page_aligned(a->size))
		check_fail(&p->rep, CK_KHO_SCRATCH,
			   "scratch[%u] [0x%llx, +0x%llx) is not page-aligned", i,
			   (unsigned long long)a->addr, (unsigned long long)a->size);
	else if (!phys_is_ram(p->pm, a->addr, a->size))
		check_fail(&p->rep, CK_KHO_SCRATCH,
			   "scratch[%u] [0x%llx, +0x%llx) is not inside RAM", i,
			   (unsigned long long)a->addr, (unsigned long long)a->size);
}

void kho_check_scratch(struct probe *p)
{
	struct kho_state *k = &p->kho;
	struct kho_area sorted[KHO_SCRATCH_MAX];
	uint8_t buf[16 * KHO_SCRATCH_MAX];
	uint64_t n = k->scratch_size / 16;
	const char *why;

	explain(p, "scratch array at 0x%llx: %llu area%s {addr, size}; the next "
		"kernel allocates only from scratch until it has read the map",
		(unsigned long long)k->scratch_pa, (unsigned long long)n,
		n == 1 ? "" : "s");
	dot_node(p, "scratch", "scratch array");
	dot_edge(p, "kho_data", "scratch", "scratch_addr");
	if (k->scratch_size % 16 || !n || n > KHO_SCRATCH_MAX) {
		check_fail(&p->rep, CK_KHO_SCRATCH,
			   "scratch array 0x%llx: size %llu is not 16 x (1..%u)",
			   (unsigned long long)k->scratch_pa,
			   (unsigned long long)k->scratch_size, KHO_SCRATCH_MAX);
		return;
	}
	if (phys_read(p->pm, k->scratch_pa, buf, 16 * n, &why)) {
		check_fail(&p->rep, CK_KHO_SCRATCH, "scratch array 0x%llx: %s",
			   (unsigned long long)k->scratch_pa, why);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct kho_area *a = &k->scratch[i];

		a->addr = get_le64(buf + 16 * i);
		a->size = get_le64(buf + 16 * i + 8);
		explain(p, "  scratch[%u] [0x%llx, 0x%llx) %llu MiB", i,
			(unsigned long long)a->addr,
			(unsigned long long)(a->addr + a->size),
			(unsigned long long)(a->size >> 20));
		check_area(p, i, a);
	}
	k->nscratch = (unsigned int)n;
	memcpy(sorted, k->scratch, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_area);
	for (unsigned int i = 1; i < n; i++)
		if (sorted[i].addr < sorted[i - 1].addr + sorted[i - 1].size)
			check_fail(&p->rep, CK_KHO_SCRATCH,
				   "scratch areas at 0x%llx and 0x%llx overlap",
				   (unsigned long long)sorted[i - 1].addr,
				   (unsigned long long)sorted[i].addr);
	k->scratch_ok = !check_failed(&p->rep, CK_KHO_SCRATCH);
	check_done(&p->rep, CK_KHO_SCRATCH, "%u area%s", k->nscratch,
		   k->nscratch == 1 ? "" : "s");
}

/* Index of a run at or before the first that may reach @pa. */
static size_t first_run_near(const struct pset *s, uint64_t pa)
{
	size_t i = pset_run_from(s, pa);

	/* A run starting below @pa may extend into it. */
	return i > 0 ? i - 1 : i;
}

/* Reports each run reaching into scratch area @i by its first block there. */
static void runs_in_area(struct probe *p, unsigned int i,
			 const struct kho_area *a)
{
	const struct pset *s = &p->kho.preserved;
	uint64_t last = a->addr + a->size - 1;
	bool named = false;

	for (size_t j = first_run_near(s, a->addr);
	     j < s->nrun && s->run[j].pa <= last; j++) {
		const struct prun *r = &s->run[j];
		struct pblock b;

		if (prun_last(r) < a->addr)
			continue;
		b = prun_block(r, r->pa >= a->addr ? 0 :
			       (a->addr - r->pa) >> prun_shift(r));
		check_fail(&p->rep, CK_KHO_SCRATCH_DISJOINT,
			   "preserved block 0x%llx order %u lies in scratch[%u] "
			   "[0x%llx, 0x%llx)", (unsigned long long)b.pa,
			   b.order, i, (unsigned long long)a->addr,
			   (unsigned long long)(a->addr + a->size));
		named = true;
		if (p->rep.r[CK_KHO_SCRATCH_DISJOINT].nfail > 64)
			return;
	}
	/* overlapping runs may hide the one reaching in from further below */
	if (!named)
		check_fail(&p->rep, CK_KHO_SCRATCH_DISJOINT,
			   "preserved memory lies in scratch[%u] [0x%llx, 0x%llx)",
			   i, (unsigned long long)a->addr,
			   (unsigned long long)(a->addr + a->size));
}

void kho_check_scratch_disjoint(struct probe *p)
{
	struct kho_state *k = &p->kho;
	const struct pset *s = &k->preserved;

	if (!k->memory_map_ok || !k->nscratch) {
		check_skip(&p->rep, CK_KHO_SCRATCH_DISJOINT,
			   !k->memory_map_ok ? "memory map did not decode" :
			   "no scratch areas");
		return;
	}
	for (unsigned int i = 0; i < k->nscratch; i++) {
		const struct kho_area *a = &k->scratch[i];

		if (a->size && pset_intersects(s, a->addr, a->size))
			runs_in_area(p, i, a);
	}
	check_done(&p->rep, CK_KHO_SCRATCH_DISJOINT,
		   "no preserved block in %u scratch area%s", k->nscratch,
		   k->nscratch == 1 ? "" : "s");
}

void kho_check_self_in_scratch(struct probe *p)
{
	const struct kho_state *k = &p->kho;
	const struct platform *pl = p->plat;

	if (!k->scratch_ok) {
		check_skip(&p->rep, CK_KHO_SELF_IN_SCRATCH, "no valid scratch array");
		return;
	}
	for (size_t i = 0; i < pl->nfootprint && i < PLATFORM_MAX_FOOTPRINT; i++) {
		const struct phys_range *r = &pl->footprint[i];
		uint64_t pa = r->start;
		bool moved = true;

		/* Walk forward through areas that cover pa (they may abut). */
		while (pa < r->end && moved) {
			moved = false;
			for (unsigned int a = 0; a < k->nscratch; a++) {
				const struct kho_area *s = &k->scratch[a];

				if (pa >= s->addr && pa < s->addr + s->size) {
					pa = s->addr + s->size;
					moved = true;
				}
			}
		}
		if (pa < r->end)
			check_fail(&p->rep, CK_KHO_SELF_IN_SCRATCH,
				   "%s [0x%llx, 0x%llx): 0x%llx is outside scratch",
				   r->what ? r->what : "payload range",
				   (unsigned long long)r->start,
				   (unsigned long long)r->end, (unsigned long long)pa);
	}
	check_done(&p->rep, CK_KHO_SELF_IN_SCRATCH,
		   "%zu payload ranges inside scratch", pl->nfootprint);
}
