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

bool kho_add_block(struct probe *p, uint64_t pa, unsigned int order)
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
 * Both encodings emit one ascending run per order (per chunk group in v1),
 * so a merge of natural runs is linear-ish where a general sort is not.
 */
static int merge_runs(struct pset *s)
{
	struct pblock *a = s->blk, *tmp;
	size_t n = s->n, runs = 1;

	for (size_t i = 1; i < n; i++)
		runs += cmp_pblock(&a[i - 1], &a[i]) > 0;
	if (runs <= 1 || runs > 64)
		return 0;	/* sorted already, or leave it to qsort */
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -1;
	while (runs > 1) {
		size_t out = 0, i = 0;

		runs = 0;
		while (i < n) {
			size_t m = i + 1, e;

			while (m < n && cmp_pblock(&a[m - 1], &a[m]) <= 0)
				m++;
			e = m < n ? m + 1 : m;
			while (e < n && cmp_pblock(&a[e - 1], &a[e]) <= 0)
				e++;
			{
				size_t x = i, y = m;

				while (x < m && y < e)
					tmp[out++] = cmp_pblock(&a[y], &a[x]) < 0 ?
						     a[y++] : a[x++];
				while (x < m)
					tmp[out++] = a[x++];
				while (y < e)
					tmp[out++] = a[y++];
			}
			runs++;
			i = e;
		}
		memcpy(a, tmp, n * sizeof(*a));
	}
	free(tmp);
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
	if (merge_runs(&k->preserved) ||
	    pset_finish(&k->preserved, on_overlap, p)) {
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
	explain(p, "memory map decoded: %zu preserved blocks, %llu bytes, "
		"%llu metadata pages, largest order %u", k->preserved.n,
		(unsigned long long)pset_bytes(&k->preserved),
		(unsigned long long)k->map_pages, k->max_order);
	check_pass(&p->rep, CK_KHO_MEMORY_MAP,
		   "%s map 0x%llx: %zu blocks, %llu bytes, %llu metadata pages",
		   k->gen == KHO_GEN_V1 ? "bitmap" : "radix",
		   (unsigned long long)k->map_pa, k->preserved.n,
		   (unsigned long long)pset_bytes(&k->preserved),
		   (unsigned long long)k->map_pages);
	check_done(&p->rep, CK_KHO_PRESERVED_OVERLAP,
		   "%zu blocks in %zu disjoint ranges", k->preserved.n,
		   k->preserved.nrng);
}
