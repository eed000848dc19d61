// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho.memory-map and kho.preserved-overlap: read the preserved-memory-map
 * root property, decode the generation's encoding into p->kho.preserved
 * (runs of contiguous blocks), put the runs in address order and look for
 * overlaps.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

bool kho_add_run_slow(struct probe *p, uint64_t pa, unsigned int order,
		      uint64_t count)
{
	struct pset *s = &p->kho.preserved;

	/* kho_add_run() already tried to grow the last run: this is a new one */
	if (s->nrun >= KHO_MAX_RUNS) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "more than %u separate runs of preserved blocks "
			   "(khoprobe's limit): map 0x%llx not decoded further",
			   KHO_MAX_RUNS, (unsigned long long)p->kho.map_pa);
		return false;
	}
	if (pset_add_run(s, pa, order, count)) {
		check_fail(&p->rep, CK_KHO_MEMORY_MAP,
			   "cannot record block 0x%llx order %u (out of memory)",
			   (unsigned long long)pa, order);
		return false;
	}
	if (order > p->kho.max_order)
		p->kho.max_order = order;
	return true;
}

/*
 * One 64-byte group of a bitmap page, not all zero, first bit at @pa.
 * Runs of set bits become runs of blocks: a full word continues the run
 * by 64 blocks at once, other words give their runs of ones via ctz.
 * Kept out of line so the scan over zero groups stays a tight loop.
 */
static __attribute__((noinline)) bool
decode_group(struct probe *p, const uint8_t *grp, uint64_t pa,
	     unsigned int order)
{
	unsigned int shift = 12 + order, busy = 0;

	for (unsigned int w = 0; w < 8; w++)		/* no branches: a mask */
		busy |= (unsigned int)(kho_le64(grp + 8 * w) != 0) << w;
	while (busy) {
		unsigned int w = (unsigned int)__builtin_ctz(busy);
		uint64_t word = kho_le64(grp + 8 * w);
		uint64_t base = pa + ((64ULL * w) << shift);

		busy &= busy - 1;
		if (word == UINT64_MAX) {
			if (!kho_add_run(p, base, order, 64))
				return false;
			continue;
		}
		while (word) {
			unsigned int b = (unsigned int)__builtin_ctzll(word);
			uint64_t rest = ~(word >> b);
			unsigned int n = rest ? (unsigned int)__builtin_ctzll(rest)
					      : 64 - b;

			word = b + n >= 64 ? 0 : word & (~0ULL << (b + n));
			if (!kho_add_run(p, base + ((uint64_t)b << shift), order, n))
				return false;
		}
	}
	return true;
}

bool kho_decode_bits(struct probe *p, const uint8_t *bm, uint64_t pa,
		     unsigned int order)
{
	unsigned int shift = 12 + order;

	/*
	 * A sparse bitmap is mostly zero 64-byte groups, a dense one mostly
	 * full groups: 512 blocks that continue the run at once.
	 */
	for (unsigned int g = 0; g < KHO_PAGE; g += 64) {
		uint64_t at = pa + ((8ULL * g) << shift);

		if (kho_zero64(bm + g))
			continue;
		if (kho_ones64(bm + g) ? !kho_add_run(p, at, order, 512) :
		    !decode_group(p, bm + g, at, order))
			return false;
	}
	return true;
}

/*
 * Both encodings emit one ascending sequence of runs per order (per chunk
 * group in v1).  When those sequences cover disjoint address ranges, as
 * they do in any valid map, putting them in order is a linear copy;
 * otherwise pset_finish() sorts.
 */
struct seq {
	size_t start, len;
};

static int cmp_prun(const struct prun *x, const struct prun *y)
{
	if (x->pa != y->pa)
		return x->pa < y->pa ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

static void sort_seqs(struct seq *q, size_t n, const struct prun *run)
{
	for (size_t i = 1; i < n; i++) {	/* few sequences: insertion sort */
		struct seq cur = q[i];
		size_t k = i;

		while (k && cmp_prun(&run[q[k - 1].start], &run[cur.start]) > 0) {
			q[k] = q[k - 1];
			k--;
		}
		q[k] = cur;
	}
}

/*
 * Interleaved sequences: one k-way pass.  Take the sequence with the
 * smallest head, copy the whole stretch of it that sorts before every
 * other sequence's head (found by binary search), repeat.  Valid maps
 * interleave only a little, so this is a handful of memcpy()s.
 */
static size_t stretch(const struct prun *a, size_t from, size_t end,
		      const struct prun *limit)
{
	size_t lo = from + 1, hi = end;	/* a[from] is known to go first */

	if (!limit)
		return end - from;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_prun(&a[mid], limit) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - from;
}

static void merge_seqs(struct pset *s, struct seq *q, size_t nq,
		       struct prun *tmp)
{
	const struct prun *a = s->run;
	size_t out = 0;

	while (out < s->nrun) {
		const struct prun *second = NULL;
		struct seq *first = NULL;
		size_t n;

		for (size_t i = 0; i < nq; i++) {
			const struct prun *h = &a[q[i].start];

			if (!q[i].len)
				continue;
			if (!first || cmp_prun(h, &a[first->start]) < 0) {
				if (first)
					second = &a[first->start];
				first = &q[i];
			} else if (!second || cmp_prun(h, second) < 0) {
				second = h;
			}
		}
		n = stretch(a, first->start, first->start + first->len, second);
		memcpy(tmp + out, a + first->start, n * sizeof(*tmp));
		out += n;
		first->start += n;
		first->len -= n;
	}
}

static int order_runs(struct pset *s)
{
	struct seq q[64];
	size_t nq = 0, out = 0;
	bool disjoint = true;
	struct prun *tmp;

	if (!s->unsorted || s->nrun <= PSET_SMALL_SORT)
		return 0;	/* in order, or sorted in place by pset_finish() */
	for (size_t i = 0; i < s->nrun; i++) {
		if (i && cmp_prun(&s->run[i - 1], &s->run[i]) <= 0) {
			q[nq - 1].len++;
			continue;
		}
		if (nq == 64)
			return 0;	/* many sequences: leave it to the sort */
		q[nq++] = (struct seq){ i, 1 };
	}
	if (nq <= 1)
		return 0;
	sort_seqs(q, nq, s->run);
	tmp = malloc(s->nrun * sizeof(*tmp));
	if (!tmp)
		return -1;
	for (size_t i = 1; i < nq; i++)
		if (cmp_prun(&s->run[q[i - 1].start + q[i - 1].len - 1],
			     &s->run[q[i].start]) > 0)
			disjoint = false;
	if (!disjoint) {
		merge_seqs(s, q, nq, tmp);
	} else {
		for (size_t i = 0; i < nq; i++) {
			memcpy(tmp + out, s->run + q[i].start,
			       q[i].len * sizeof(*tmp));
			out += q[i].len;
		}
	}
	free(s->run);
	s->run = tmp;
	s->cap = s->nrun;
	s->unsorted = false;	/* ascending sequences, merged */
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
			   "out of memory sorting %zu runs", k->preserved.nrun);
		return;
	}
	if (check_failed(&p->rep, CK_KHO_MEMORY_MAP)) {
		check_skip(&p->rep, CK_KHO_PRESERVED_OVERLAP,
			   "memory map did not decode");
		return;
	}
	k->memory_map_ok = true;
	bytes = pset_bytes(&k->preserved);
	explain(p, "memory map decoded: %llu preserved blocks, %llu bytes, "
		"%llu metadata pages, largest order %u",
		(unsigned long long)k->preserved.nblocks,
		(unsigned long long)bytes, (unsigned long long)k->map_pages,
		k->max_order);
	explain(p, "from here on every pointer the next kernel restores must be "
		"the exact head of one of these blocks (the kho_restore_folio "
		"rule), and no block may touch scratch");
	check_pass(&p->rep, CK_KHO_MEMORY_MAP,
		   "%s map 0x%llx: %llu blocks, %llu bytes, %llu metadata pages",
		   k->gen == KHO_GEN_V1 ? "bitmap" : "radix",
		   (unsigned long long)k->map_pa,
		   (unsigned long long)k->preserved.nblocks,
		   (unsigned long long)bytes, (unsigned long long)k->map_pages);
	check_done(&p->rep, CK_KHO_PRESERVED_OVERLAP,
		   "%llu blocks in %zu disjoint ranges",
		   (unsigned long long)k->preserved.nblocks, k->preserved.nrng);
}
