// SPDX-License-Identifier: GPL-2.0-only
/* Handover builder: layout, allocation, preserved blocks, hb_finish(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover.h"
#include "handover_int.h"

void hb_die(const char *what)
{
	fprintf(stderr, "handover: %s\n", what);
	abort();
}

void hb_init_gmem(struct hb *h, struct gmem *g, enum hb_kho_gen kho,
		  enum hb_luo_gen luo)
{
	memset(h, 0, sizeof(*h));
	h->g = g;
	h->kho = kho;
	h->luo = luo;
	h->liveupdate_num = 1;
	galloc_init(&h->old, g, HB_OLD_START, HB_OLD_END);
	galloc_init(&h->seg, g, HB_SEGMENTS_START, HB_SCRATCH0_END);
	h->scratch[0] = (struct hb_range){ HB_SCRATCH0_START,
					   HB_SCRATCH0_END - HB_SCRATCH0_START };
	h->nscratch = 1;
	h->e820[0] = (struct hb_range){ 0, HB_RAM_LOW_END };
	h->e820[1] = (struct hb_range){ HB_RAM_START,
					HB_RAM_END - HB_RAM_START };
	h->ne820 = 2;
}

void hb_init(struct hb *h, enum hb_kho_gen kho, enum hb_luo_gen luo)
{
	struct gmem *g = gmem_new();

	gmem_add_ram(g, 0, HB_RAM_LOW_END & ~(HB_PAGE - 1));
	gmem_add_ram(g, HB_RAM_START, HB_RAM_END - HB_RAM_START);
	hb_init_gmem(h, g, kho, luo);
}

void hb_release(struct hb *h)
{
	gmem_free(h->g);
	free(h->pres);
	free(h->out.meta);
	memset(h, 0, sizeof(*h));
}

uint64_t hb_alloc(struct hb *h, uint64_t size, uint64_t align)
{
	return galloc(&h->old, size, align ? align : 8);
}

void hb_preserve(struct hb *h, uint64_t pa, unsigned int order)
{
	if (h->npres == h->cappres) {
		h->cappres = h->cappres ? 2 * h->cappres : 64;
		h->pres = realloc(h->pres, h->cappres * sizeof(*h->pres));
		if (!h->pres)
			hb_die("out of memory");
	}
	h->pres[h->npres++] = (struct hb_block){ pa, order };
}

uint64_t hb_alloc_preserved(struct hb *h, unsigned int order)
{
	uint64_t size = HB_PAGE << order;
	uint64_t pa = galloc(&h->old, size, size);

	hb_preserve(h, pa, order);
	return pa;
}

uint64_t hb_segment(struct hb *h, uint64_t size, uint64_t align)
{
	return galloc(&h->seg, size, align);
}

void hb_set_scratch(struct hb *h, unsigned int n, const struct hb_range *r)
{
	if (n > HB_MAX_SCRATCH)
		hb_die("too many scratch areas");
	memcpy(h->scratch, r, n * sizeof(*r));
	h->nscratch = n;
}

void hb_set_e820(struct hb *h, unsigned int n, const struct hb_range *r)
{
	if (n > HB_MAX_E820)
		hb_die("too many e820 entries");
	memcpy(h->e820, r, n * sizeof(*r));
	h->ne820 = n;
}

void hb_add_subtree(struct hb *h, const char *name, uint64_t pa,
		    uint64_t size)
{
	struct hb_subtree *s;

	if (h->nsub == HB_MAX_SUBTREES)
		hb_die("too many subtrees");
	s = &h->sub[h->nsub++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->pa = pa;
	s->size = size;
}

struct hb_subtree *hb_find_subtree(struct hb *h, const char *name)
{
	for (unsigned int i = 0; i < h->nsub; i++)
		if (!strcmp(h->sub[i].name, name))
			return &h->sub[i];
	return NULL;
}

void hb_meta_add(struct hb *h, uint64_t pa)
{
	struct hb_out *o = &h->out;

	if (!o->nmeta || (o->nmeta >= 16 && !(o->nmeta & (o->nmeta - 1)))) {
		size_t cap = o->nmeta ? 2 * o->nmeta : 16;

		o->meta = realloc(o->meta, cap * sizeof(*o->meta));
		if (!o->meta)
			hb_die("out of memory");
	}
	o->meta[o->nmeta++] = pa;
}

void *hb_page(struct hb *h, uint64_t pa)
{
	return gmem_page_ptr(h->g, pa & ~(HB_PAGE - 1), HB_PAGE);
}

void hb_put_le64(void *dst, uint64_t v)
{
	uint8_t *b = dst;

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* e820 at 0x2d0 (count at 0x1e8), setup_data head at 0x250. */
static void write_zero_page(struct hb *h, uint64_t bp, uint64_t setup)
{
	for (unsigned int i = 0; i < h->ne820; i++) {
		uint64_t e = bp + 0x2d0 + 20 * i;

		gmem_write_u64(h->g, e, h->e820[i].start);
		gmem_write_u64(h->g, e + 8, h->e820[i].size);
		gmem_write_u32(h->g, e + 16, 1);	/* usable RAM */
	}
	gmem_write(h->g, bp + 0x1e8, &(uint8_t){ (uint8_t)h->ne820 }, 1);
	gmem_write(h->g, bp + 0x1fe, "\x55\xaa", 2);	/* boot_flag */
	gmem_write(h->g, bp + 0x202, "HdrS", 4);
	gmem_write(h->g, bp + 0x206, "\x0f\x02", 2);	/* protocol 2.15 */
	gmem_write_u64(h->g, bp + 0x250, setup);
}

/* KHO node first (as the kernel links it), then an RNG seed node. */
static uint64_t write_setup_data(struct hb *h)
{
	uint64_t kho = hb_segment(h, 16 + 32, 16);
	uint64_t rng = hb_segment(h, 16 + 32, 16);
	struct hb_out *o = &h->out;

	gmem_write_u64(h->g, kho, rng);
	gmem_write_u32(h->g, kho + 8, HB_SETUP_KEXEC_KHO);
	gmem_write_u32(h->g, kho + 12, 32);
	gmem_write_u64(h->g, kho + 16, o->fdt);
	gmem_write_u64(h->g, kho + 24, HB_PAGE);
	gmem_write_u64(h->g, kho + 32, o->scratch_array);
	gmem_write_u64(h->g, kho + 40, 16ULL * h->nscratch);
	gmem_write_u64(h->g, rng, 0);
	gmem_write_u32(h->g, rng + 8, 9);	/* SETUP_RNG_SEED */
	gmem_write_u32(h->g, rng + 12, 32);
	for (int i = 0; i < 32; i++)
		gmem_write(h->g, rng + 16 + i, &(uint8_t){ (uint8_t)(i * 37) },
			   1);
	o->setup_data = kho;
	o->kho_data = kho + 16;
	return kho;
}

static void write_scratch_array(struct hb *h)
{
	uint64_t pa = hb_segment(h, 16ULL * h->nscratch, HB_PAGE);

	for (unsigned int i = 0; i < h->nscratch; i++) {
		gmem_write_u64(h->g, pa + 16 * i, h->scratch[i].start);
		gmem_write_u64(h->g, pa + 16 * i + 8, h->scratch[i].size);
	}
	h->out.scratch_array = pa;
}

uint64_t hb_finish(struct hb *h)
{
	struct hb_out *o = &h->out;
	uint64_t bp;

	if (h->finished)
		hb_die("hb_finish twice");
	if (h->before_finish)
		h->before_finish(h);
	bp = hb_segment(h, HB_PAGE, HB_PAGE);	/* zero page first */
	o->boot_params = bp;
	hb_write_luo(h);
	o->fdt = h->fdt_in_scratch ? hb_segment(h, HB_PAGE, HB_PAGE) :
				     hb_alloc_preserved(h, 0);
	o->map = h->kho == HB_KHO_V1 ? hb_write_bitmap_map(h) :
				       hb_write_radix_map(h);
	hb_write_kho_fdt(h);
	write_scratch_array(h);
	write_zero_page(h, bp, write_setup_data(h));
	h->finished = true;
	if (h->after_finish)
		h->after_finish(h);
	return bp;
}
