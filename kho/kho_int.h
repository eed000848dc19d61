/* SPDX-License-Identifier: GPL-2.0-only */
/* Internals of the KHO layer, split by concern across kho_*.c. */
#ifndef KHOPROBE_KHO_INT_H
#define KHOPROBE_KHO_INT_H

#include <stdlib.h>
#include <string.h>

#include "../lib/probe.h"
#include "u64set.h"

#define KHO_PAGE		4096ULL
#define KHO_SETUP_KEXEC_KHO	10
#define KHO_DATA_LEN		32

/* get_le64 for hot loops: one load on little-endian hosts. */
static inline uint64_t kho_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
#else
	return get_le64(p);
#endif
}

/*
 * True when the 64 bytes at @p are all zero: the hot loop of every map
 * decode.  Vector extensions become SIMD where the target has it and plain
 * 64-bit operations where it does not (the payload).
 */
typedef uint64_t kho_vec __attribute__((vector_size(16)));

static inline bool kho_zero64(const uint8_t *p)
{
	kho_vec a, b, c, d;

	memcpy(&a, p, 16);
	memcpy(&b, p + 16, 16);
	memcpy(&c, p + 32, 16);
	memcpy(&d, p + 48, 16);
	a = (a | b) | (c | d);
	return !(a[0] | a[1]);
}

/* True when the 64 bytes at @p are all ones: 512 blocks of a dense map. */
static inline bool kho_ones64(const uint8_t *p)
{
	kho_vec a, b, c, d;

	memcpy(&a, p, 16);
	memcpy(&b, p + 16, 16);
	memcpy(&c, p + 32, 16);
	memcpy(&d, p + 48, 16);
	a = (a & b) & (c & d);
	return !~(a[0] & a[1]);
}

/* A name read from memory, made safe to print: odd bytes become '?'. */
static inline void kho_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static inline bool kho_page_aligned(uint64_t pa)
{
	return !(pa & (KHO_PAGE - 1));
}

/* kho_boot.c: boot.params, boot.setup-data, kho.present. Returns 0 and
 * the kho_data PA when a KHO node was found. */
int kho_walk_boot_params(struct probe *p, uint64_t bp, uint64_t *kho_data);
/* kho_fdt.c: kho.fdt and kho.compatible; true when the FDT is usable. */
bool kho_check_fdt(struct probe *p);
/*
 * A raw little-endian u64 property: 0 when present with exactly 8 bytes;
 * -1 when missing; otherwise the length found (as a positive number).
 */
int kho_fdt_u64(const void *fdt, int node, const char *name, uint64_t *v);
/* kho_map.c: kho.memory-map, kho.preserved-overlap. */
void kho_check_memory_map(struct probe *p);
/* kho_map_bitmap.c / kho_map_radix.c: add runs; failures recorded. */
void kho_decode_bitmap(struct probe *p, uint64_t first_chunk);
void kho_decode_radix(struct probe *p, uint64_t root);
/*
 * kho_map.c: a 4 KiB bitmap page whose bit i preserves the order-@order
 * block @pa + i * block size; false when decoding must stop.
 */
bool kho_decode_bits(struct probe *p, const uint8_t *bm, uint64_t pa,
		     unsigned int order);
/* Adds @count decoded blocks (bounded); false when decoding must stop. */
bool kho_add_run_slow(struct probe *p, uint64_t pa, unsigned int order,
		      uint64_t count);

/*
 * The decoders emit runs of set bits; consecutive runs usually continue
 * each other (a full bitmap word, the next word, the next leaf), so the
 * common case only grows the last run.  The cap counts runs: at most
 * KHO_MAX_META_PAGES * 32768 blocks can be claimed, so the block count
 * cannot overflow.
 */
static inline bool kho_add_run(struct probe *p, uint64_t pa,
			       unsigned int order, uint64_t count)
{
	struct pset *s = &p->kho.preserved;

	if (pset_extend(s, pa, order, count))
		return true;
	/* a new run: room left, order already seen (no wrap: see decoders) */
	if (s->nrun < s->cap && s->nrun < KHO_MAX_RUNS &&
	    order <= p->kho.max_order) {
		pset_push(s, pa, order, count);
		return true;
	}
	return kho_add_run_slow(p, pa, order, count);
}
/*
 * Page-aligned scratch pages for map metadata (@raw is what to free):
 * copies into them do not run into 4 KiB address aliasing with their
 * source, which otherwise makes a copy several times slower depending
 * on where the heap happened to put the buffer.
 */
static inline uint8_t *kho_page_bufs(size_t npages, void **raw)
{
	uint8_t *b = malloc((npages + 1) * KHO_PAGE);

	*raw = b;
	if (!b)
		return NULL;
	return b + (KHO_PAGE - ((uintptr_t)b & (KHO_PAGE - 1)));
}

/* kho_scratch.c */
void kho_check_scratch(struct probe *p);
void kho_check_scratch_disjoint(struct probe *p);
void kho_check_self_in_scratch(struct probe *p);
/* kho_subtrees.c */
void kho_check_subtrees(struct probe *p);

#endif
