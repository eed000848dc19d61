// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho.memory-map and kho.preserved-overlap: read the preserved-memory-map
 * root property, decode the generation's encoding into p->kho.preserved,
 * put the blocks in address order and look for overlaps.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

bool kho_add_block_slow(struct probe *p, uint64_t pa, unsigned int order)
{
	struct pset *s = &p->kho.preserved;

	if (s->n >= KHO_MAX_BLOCKS) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "more than %u preserved blocks: map 0x%llx looks hostile",
			   KHO_MAX_BLOCKS, (unsigned long long)p->kho.map_pa);
		return false;
	}
	if (pset_add(s, pa, order)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "cannot record block 0x%llx order %u (out of memory)",
			   (unsigned long long)pa, order);
		return false;
	}
	if (order > p->kho.max_order)
		p->kho.max_order = order;
	return true;
}

static int cmp_pblock(const struct pblock *x, const struct pblock *y)
{
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * Both encodings emit one ascending run per order (per chunk group in v1).
 * When those runs cover disjoint address ranges, as they do in any valid
 * map, putting the runs in order is a linear copy; otherwise pset_finish()
 * sorts.
 */
struct run {
	size_t start, len;
};

static int cmp_run_first(const void *a, const void *b, void *blk)
{
	const struct pblock *v = blk;
	const struct run *x = a, *y = b;

	return cmp_pblock(&v[x->start], &v[y->start]);
}

static void sort_runs(struct run *r, size_t n, const struct pblock *blk)
{
	for (size_t i = 1; i < n; i++) {	/* few runs: insertion sort */
		struct run cur = r[i];
		size_t k = i;

		while (k && cmp_run_first(&r[k - 1], &cur, (void *)blk) > 0) {
			r[k] = r[k - 1];
			k--;
		}
		r[k] = cur;
	}
}

/*
 * Interleaved runs: one k-way pass.  Take the run with the smallest head,
 * copy the whole stretch of it that sorts before every other run's head
 * (found by binary search), repeat.  Valid maps interleave only a little,
 * so this is a handful of memcpy()s.
 */
static size_t stretch(const struct pblock *a, size_t from, size_t end,
		      const struct pblock *limit)
{
	size_t lo = from + 1, hi = end;	/* a[from] is known to go first */

	if (!limit)
		return end - from;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_pblock(&a[mid], limit) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - from;
}

static int merge_runs(struct pset *s, struct run *run, size_t nrun,
		      struct pblock *tmp)
{
	const struct pblock *a = s->blk;
	size_t out = 0;

	while (out < s->n) {
		const struct pblock *second = NULL;
		struct run *first = NULL;
		size_t n;

		for (size_t i = 0; i < nrun; i++) {
			const struct pblock *h = &a[run[i].start];

			if (!run[i].len)
				continue;
			if (!first || cmp_pblock(h, &a[first->start]) < 0) {
				if (first)
					second = &a[first->start];
				first = &run[i];
			} else if (!second || cmp_pblock(h, second) < 0) {
				second = h;
			}
		}
		n = stretch(a, first->start, first->start + first->len, second);
		memcpy(tmp + out, a + first->start, n * sizeof(*tmp));
		out += n;
		first->start += n;
		first->len -= n;
	}
	free(s->blk);
	s->blk = tmp;
	s->cap = s->n;
	return 0;
}

static int order_runs(struct pset *s)
{
	struct run run[64];
	size_t nrun = 0, out = 0;
	struct pblock *tmp;

	for (size_t i = 0; i < s->n; i++) {
		if (i && cmp_pblock(&s->blk[i - 1], &s->blk[i]) <= 0) {
			run[nrun - 1].len++;
			continue;
		}
		if (nrun == 64)
			return 0;	/* many runs: leave it to the sort */
		run[nrun++] = (struct run){ i, 1 };
	}
	if (nrun <= 1)
		return 0;
	sort_runs(run, nrun, s->blk);
	tmp = malloc(s->n * sizeof(*tmp));
	if (!tmp)
		return -1;
	for (size_t i = 1; i < nrun; i++)
		if (cmp_pblock(&s->blk[run[i - 1].start + run[i - 1].len - 1],
			       &s->blk[run[i].start]) > 0)
			return merge_runs(s, run, nrun, tmp);
	for (size_t i = 0; i < nrun; i++) {
		memcpy(tmp + out, s->blk + run[i].start,
		       run[i].len * sizeof(*tmp));
		out += run[i].len;
	}
	free(s->blk);
	s->blk = tmp;
	s->cap = s->n;
	return 0;
}

static void on_overlap(void *arg, const struct pblock *a,
		       const struct pblock *b)
{
	struct probe *p = arg;

	check_fail(&p->rep, CK_KHO_PRESERVED_OVERLAP,
		   "preserved block 0x%llx order %u overlaps block 0x%llx order %u",
		   (unsigned long long)b->pa, b->order,
		   (unsigned long long)a->pa, a->order);
}

static bool read_map_property(struct probe *p)
{
	struct kho_state *k = &p->kho;
	int r = kho_fdt_u64(k->fdt, 0, "preserved-memory-map", &k->map_pa);

	if (r < 0)
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "KHO FDT 0x%llx has no preserved-memory-map property",
			   (unsigned long long)k->fdt_pa);
	else if (r > 0)
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "preserved-memory-map is %d bytes, want 8", r);
	else if (!k->map_pa)
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "preserved-memory-map is 0: no preserved memory");
	return !r && k->map_pa;
}

void kho_check_memory_map(struct probe *p)
{
	struct kho_state *k = &p->kho;
	char label[96];
	uint64_t bytes;

	if (!read_map_property(p)) {
		check_skip(&p->rep, CK_KHO_PRESERVED_OVERLAP, "no memory map");
		return;
	}
	snprintf(label, sizeof(label), "%s\n0x%llx",
		 k->gen == KHO_GEN_V1 ? "chunk list" : "radix root",
		 (unsigned long long)k->map_pa);
	dot_node(p, "kho_map", label);
	dot_edge(p, "kho_fdt", "kho_map", "preserved-memory-map");
	if (k->gen == KHO_GEN_V1) {
		explain(p, "preserved-memory-map = 0x%llx: first khoser_mem_chunk "
			"(kho-v1: per-order chunks of {phys_start, bitmap} pairs)",
			(unsigned long long)k->map_pa);
		kho_decode_bitmap(p, k->map_pa);
	} else {
		explain(p, "preserved-memory-map = 0x%llx: level-5 root of the "
			"radix tree (keys carry the order as a marker bit)",
			(unsigned long long)k->map_pa);
		kho_decode_radix(p, k->map_pa);
	}
	/* overlaps are only worth reporting in a map that decoded */
	if (order_runs(&k->preserved) ||
	    pset_finish(&k->preserved, check_failed(&p->rep, CK_KHO_MEMORY_MAP) ?
			NULL : on_overlap, p)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "out of memory sorting %zu blocks", k->preserved.n);
		return;
	}
	if (check_failed(&p->rep, CK_KHO_MEMORY_MAP)) {
		check_skip(&p->rep, CK_KHO_PRESERVED_OVERLAP,
			   "memory map did not decode");
		return;
	}
	k->memory_map_ok = true;
	bytes = pset_bytes(&k->preserved);
	explain(p, "memory map decoded: %zu preserved blocks, %llu bytes, "
		"%llu metadata pages, largest order %u", k->preserved.n,
		(unsigned long long)bytes, (unsigned long long)k->map_pages,
		k->max_order);
	explain(p, "from here on every pointer the next kernel restores must be "
		"the exact head of one of these blocks (the kho_restore_folio "
		"rule), and no block may touch scratch");
	check_pass(&p->rep, CK_KHO_MEMORY_MAP,
		   "%s map 0x%llx: %zu blocks, %llu bytes, %llu metadata pages",
		   k->gen == KHO_GEN_V1 ? "bitmap" : "radix",
		   (unsigned long long)k->map_pa, k->preserved.n,
		   (unsigned long long)bytes, (unsigned long long)k->map_pages);
	check_done(&p->rep, CK_KHO_PRESERVED_OVERLAP,
		   "%zu blocks in %zu disjoint ranges", k->preserved.n,
		   k->preserved.nrng);
}
