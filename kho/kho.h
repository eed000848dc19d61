/* SPDX-License-Identifier: GPL-2.0-only */
/* KHO layer: boot_params → setup_data → KHO FDT, memory map, scratch. */
#ifndef KHOPROBE_KHO_H
#define KHOPROBE_KHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pset.h"

struct probe;
struct json;
struct out;

/* KHO ABI generations, by the root compatible string. */
enum kho_gen {
	KHO_GEN_UNKNOWN = 0,
	KHO_GEN_V1,	/* "fdt" child property, chunk/bitmap map */
	KHO_GEN_V2,	/* "preserved-data", radix map */
	KHO_GEN_V3,	/* + "blob-size" */
	KHO_GEN_V4,	/* as v3, KHO block chains; may be composite */
};

#define KHO_E820_MAX		128
#define KHO_SETUP_MAX		64	/* setup_data nodes walked */
#define KHO_SCRATCH_MAX		64
#define KHO_SUBTREE_MAX		32
#define KHO_NAME_LEN		64
#define KHO_FDT_MAX		(1u << 20)	/* largest root FDT we copy */
#define KHO_MAX_ORDER		10		/* MAX_PAGE_ORDER */
/*
 * Separate runs of preserved blocks decoded: memory grows with runs, not
 * blocks, so a large contiguous set (a 64 GiB memfd of 4 KiB pages) costs
 * little; the metadata-page cap bounds the blocks a map can claim.
 */
#define KHO_MAX_RUNS		(1u << 21)
#define KHO_MAX_META_PAGES	(1u << 18)	/* map pages walked */

struct kho_e820 {
	uint64_t addr, size;
	uint32_t type;
};

struct kho_area {
	uint64_t addr, size;
};

enum kho_subtree_kind {
	KHO_SUB_UNKNOWN = 0,
	KHO_SUB_LUO,
	KHO_SUB_MEMBLOCK,
	KHO_SUB_KEXEC_METADATA,
};

struct kho_subtree {
	char name[KHO_NAME_LEN];
	enum kho_subtree_kind kind;
	uint64_t pa;		/* fdt / preserved-data value */
	uint64_t size;		/* blob-size (v3+) */
	bool has_ptr, has_size;
	int order;		/* order of the preserved block at pa, or -1 */
};

/* What the KHO layer decoded; later layers read it. */
struct kho_state {
	bool present;		/* a usable KHO FDT was found */
	uint64_t fdt_pa, fdt_size, scratch_pa, scratch_size;
	struct pset preserved;	/* finished when memory_map_ok */
	bool memory_map_ok;

	/* boot_params and setup_data */
	uint64_t boot_params_pa, kho_data_pa;
	struct kho_e820 e820[KHO_E820_MAX];
	unsigned int ne820;
	unsigned int nsetup;	/* setup_data nodes walked */

	/* the root FDT: a private copy, valid when fdt_ok */
	void *fdt;
	uint32_t fdt_len;
	bool fdt_ok;
	enum kho_gen gen;
	char compatible[KHO_NAME_LEN];	/* first string of the root compatible */

	/* preserved-memory map */
	uint64_t map_pa;
	uint64_t map_pages;	/* metadata pages read (chunks, bitmaps, nodes) */
	unsigned int max_order;	/* largest order recorded */

	/* scratch */
	struct kho_area scratch[KHO_SCRATCH_MAX];
	unsigned int nscratch;
	bool scratch_ok;

	/* children of the root */
	struct kho_subtree sub[KHO_SUBTREE_MAX];
	unsigned int nsub;
};

/* boot.*, kho.* (all but kho.self-in-scratch when offline). */
void kho_run_from_boot_params(struct probe *p, uint64_t boot_params_pa);
void kho_run_from_kho_data(struct probe *p, uint64_t kho_data_pa);
void kho_release(struct kho_state *k);

/* The child node @name of the root, or NULL. */
const struct kho_subtree *kho_subtree(const struct kho_state *k,
				      const char *name);
/* "kho-v1".."kho-v4" or "unknown". */
const char *kho_gen_name(enum kho_gen gen);
/* True (and @b, may be NULL) when the map decoded and @pa is exactly the
 * head of a preserved block. */
bool kho_preserved_head(const struct kho_state *k, uint64_t pa,
			struct pblock *b);

/* This layer's part of the JSON "handover" object and human summary. */
void kho_json(struct json *j, const struct probe *p);
void kho_summary(struct out *o, const struct probe *p);

#endif
