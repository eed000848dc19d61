// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing the preserved-memory map: kho-v1 chunk/bitmap list, kho-v2+
 * 6-level radix tree.  Metadata pages are old-kernel memory, not preserved.
 */
#include <stdlib.h>
#include <string.h>

#include "handover_int.h"

#define CHUNK_ENTRIES	255
#define BITMAP_BITS	32768ULL

static int cmp_order_pa(const void *a, const void *b)
{
	const struct hb_block *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->pa > y->pa) - (x->pa < y->pa);
}

static void set_bit(struct hb *h, uint64_t page, uint64_t bit)
{
	uint8_t *b = gmem_page_ptr(h->g, page + bit / 8, 1);

	*b |= (uint8_t)(1u << (bit % 8));
}

static uint64_t meta_page(struct hb *h)
{
	uint64_t pa = hb_alloc(h, HB_PAGE, HB_PAGE);

	gmem_page_ptr(h->g, pa, HB_PAGE);	/* back it: zero page in the core */
	hb_meta_add(h, pa);
	return pa;
}

/* A chunk entry is {phys_start, bitmap}; chunks chain through hdr.next. */
struct chunk_writer {
	struct hb *h;
	uint64_t first, cur, prev_next_field;
	unsigned int order, n;
};

static void chunk_start(struct chunk_writer *w, unsigned int order)
{
	uint64_t pa = meta_page(w->h);

	if (w->prev_next_field)
		gmem_write_u64(w->h->g, w->prev_next_field, pa);
	else
		w->first = pa;
	w->prev_next_field = pa;	/* hdr.next at offset 0 */
	w->cur = pa;
	w->order = order;
	w->n = 0;
	gmem_write_u32(w->h->g, pa + 8, order);
}

static void chunk_add(struct chunk_writer *w, unsigned int order,
		      uint64_t phys_start, uint64_t bitmap)
{
	if (!w->cur || w->order != order || w->n == CHUNK_ENTRIES)
		chunk_start(w, order);
	gmem_write_u64(w->h->g, w->cur + 16 + 16 * w->n, phys_start);
	gmem_write_u64(w->h->g, w->cur + 16 + 16 * w->n + 8, bitmap);
	w->n++;
	gmem_write_u32(w->h->g, w->cur + 12, w->n);
}

uint64_t hb_write_bitmap_map(struct hb *h)
{
	struct hb_block *b = malloc((h->npres + 1) * sizeof(*b));
	struct chunk_writer w = { .h = h };
	uint64_t bitmap = 0, cur_idx = 0;
	unsigned int cur_order = ~0u;

	if (!b)
		hb_die("out of memory");
	memcpy(b, h->pres, h->npres * sizeof(*b));
	qsort(b, h->npres, sizeof(*b), cmp_order_pa);
	for (size_t i = 0; i < h->npres; i++) {
		uint64_t blk = b[i].pa >> (12 + b[i].order);
		uint64_t idx = blk / BITMAP_BITS;

		if (b[i].order != cur_order || idx != cur_idx) {
			bitmap = meta_page(h);
			chunk_add(&w, b[i].order,
				  (idx * BITMAP_BITS) << (12 + b[i].order),
				  bitmap);
			cur_order = b[i].order;
			cur_idx = idx;
		}
		set_bit(h, bitmap, blk % BITMAP_BITS);
	}
	free(b);
	if (!w.first)
		chunk_start(&w, 0);	/* an empty list still has one chunk */
	return w.first;
}

#define RADIX_MARK0	52

static uint64_t radix_key(uint64_t pa, unsigned int order)
{
	return (1ULL << (RADIX_MARK0 - order)) | (pa >> (12 + order));
}

/* Table entry @idx of node @node, allocating the child on demand. */
static uint64_t radix_child(struct hb *h, uint64_t node, unsigned int idx)
{
	uint64_t slot = node + 8ULL * idx, child = gmem_read_u64(h->g, slot);

	if (!child) {
		child = meta_page(h);
		gmem_write_u64(h->g, slot, child);
	}
	return child;
}

uint64_t hb_write_radix_map(struct hb *h)
{
	uint64_t root = meta_page(h);

	for (size_t i = 0; i < h->npres; i++) {
		uint64_t key = radix_key(h->pres[i].pa, h->pres[i].order);
		uint64_t node = root;

		for (int level = 5; level >= 1; level--)
			node = radix_child(h, node,
					   (key >> (15 + 9 * (level - 1))) & 511);
		set_bit(h, node, key & (BITMAP_BITS - 1));
	}
	return root;
}
