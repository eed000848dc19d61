/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Handover builder: writes what an old kernel leaves behind for the next
 * one (zero page, setup_data, KHO FDT, preserved-memory map, scratch array,
 * LUO state) into a gmem, in any ABI generation, at the canonical
 * guest-physical layout of a 1 GiB q35 guest.
 *
 * Use:
 *	struct hb h;
 *	hb_init(&h, HB_KHO_V3, HB_LUO_STRUCT_B);
 *	pa = hb_alloc_preserved(&h, 0);		// old-kernel data
 *	hb_add_flb(&h, "iommu-liveupdate-v1", pa, 1);
 *	bp = hb_finish(&h);			// boot_params PA
 *	gmem_write_core(h.g, "core.elf");
 *	hb_release(&h);
 *
 * Layers add their own data with hb_alloc*, hb_preserve and hb_add_*; corrupt
 * scenarios break one invariant in a before/after hook (hooks see every PA
 * hb_finish chose, in struct hb_out).  Nothing here is checking code: the
 * builder trusts its caller and aborts on misuse.
 */
#ifndef KHOPROBE_HANDOVER_H
#define KHOPROBE_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gmem.h"

/* Canonical layout (see the project briefing). */
#define HB_RAM_LOW_END		0x9fc00ULL
#define HB_RAM_START		0x100000ULL
#define HB_RAM_END		0x3ffe0000ULL
#define HB_SCRATCH0_START	0x01000000ULL
#define HB_SCRATCH0_END		0x09000000ULL
#define HB_SEGMENTS_START	0x08000000ULL	/* kexec segments: top of scratch */
#define HB_OLD_START		0x10000000ULL	/* old-kernel memory */
#define HB_OLD_END		0x30000000ULL

/* Far outside any guest RAM, for hostile pointers. */
#define HB_BAD_PA		0x7f00000000ULL

#define HB_PAGE			4096ULL
#define HB_SETUP_KEXEC_KHO	10

enum hb_kho_gen {
	HB_KHO_V1 = 1,	/* "kho-v1": fdt property, chunk/bitmap map */
	HB_KHO_V2,	/* "kho-v2": preserved-data, radix map */
	HB_KHO_V3,	/* "kho-v3": + blob-size */
	HB_KHO_V4,	/* "kho-v4": as v3 (composite string optional) */
};

enum hb_luo_gen {
	HB_LUO_NONE = 0,	/* no LUO child */
	HB_LUO_FDT,		/* luo-v1 FDT, luo-session + luo-flb */
	HB_LUO_STRUCT_A,	/* luo_ser {"luo-v3", num, sessions, flbs} */
	HB_LUO_STRUCT_B,	/* luo_ser {features[16], num, sessions, flbs} */
};

#define HB_MAX_SUBTREES		16
#define HB_MAX_FLB		63
#define HB_MAX_SESSIONS		64
#define HB_MAX_FILES		80
#define HB_MAX_SCRATCH		8
#define HB_MAX_E820		16

struct hb_block {
	uint64_t pa;
	unsigned int order;
};

struct hb_subtree {
	char name[64];
	uint64_t pa;		/* preserved-data / fdt value */
	uint64_t size;		/* blob-size value (v3+) */
	bool no_size;		/* omit blob-size even in v3+ */
};

struct hb_flb {
	char name[48];
	uint64_t data, count;
};

struct hb_file {
	char compatible[48];	/* handler id, e.g. "memfd-v1" */
	uint64_t data, token;
};

struct hb_session {
	char name[64];
	struct hb_file file[HB_MAX_FILES];
	unsigned int nfile;
};

struct hb_range {
	uint64_t start, size;
};

struct hb;
typedef void (*hb_hook)(struct hb *h);

/* Where hb_finish() put things; valid in the after hook and afterwards. */
struct hb_out {
	uint64_t boot_params;	/* the zero page */
	uint64_t setup_data;	/* the KHO setup_data node (header) */
	uint64_t kho_data;	/* its 32-byte payload: node + 16 */
	uint64_t fdt;		/* KHO root FDT page */
	uint64_t scratch_array;
	uint64_t map;		/* preserved-memory-map value */
	uint64_t luo;		/* LUO FDT or luo_ser */
	uint64_t flb_table;	/* luo_flb_header_ser page, 0 if none */
	uint64_t sessions;	/* session block or first session block */
	uint64_t session_files[HB_MAX_SESSIONS];	/* file array per session */
	/* map metadata pages written (chunks+bitmaps or radix nodes+leaves) */
	uint64_t *meta;
	size_t nmeta;
};

struct hb {
	struct gmem *g;
	enum hb_kho_gen kho;
	enum hb_luo_gen luo;
	/* Root compatible override (e.g. "kho-v4\0radix-v1" style); NULL = default. */
	const char *compatible;
	size_t compatible_len;	/* bytes incl. NULs when compatible is set; 0 = strlen+1 */
	bool fdt_in_scratch;	/* place the KHO FDT as a segment (6.16 style) */
	uint64_t liveupdate_num;

	struct galloc old;	/* old-kernel memory window */
	struct galloc seg;	/* kexec segments in scratch */

	struct hb_block *pres;	/* preserved blocks, in call order */
	size_t npres, cappres;

	struct hb_subtree sub[HB_MAX_SUBTREES];
	unsigned int nsub;
	struct hb_flb flb[HB_MAX_FLB];
	unsigned int nflb;
	bool flb_always;	/* write an FLB table even with no entries */
	struct hb_session ses[HB_MAX_SESSIONS];
	unsigned int nses;

	struct hb_range scratch[HB_MAX_SCRATCH];
	unsigned int nscratch;
	struct hb_range e820[HB_MAX_E820];	/* usable RAM entries */
	unsigned int ne820;

	hb_hook before_finish;	/* first thing hb_finish runs */
	hb_hook after_finish;	/* last: everything written, see h->out */
	void *priv;		/* free for scenarios */

	struct hb_out out;
	bool finished;
};

/*
 * A gmem with the canonical RAM ([0, 0x9fc00) and [1 MiB, 0x3ffe0000)), one
 * scratch area [16 MiB, 144 MiB), e820 matching the RAM.
 */
void hb_init(struct hb *h, enum hb_kho_gen kho, enum hb_luo_gen luo);
/* Same builder over a caller-made gmem (benchmarks declare more RAM). */
void hb_init_gmem(struct hb *h, struct gmem *g, enum hb_kho_gen kho,
		  enum hb_luo_gen luo);
void hb_release(struct hb *h);	/* frees h->g too */

/* Old-kernel memory, zeroed, not preserved. */
uint64_t hb_alloc(struct hb *h, uint64_t size, uint64_t align);
/* A zeroed, naturally aligned block of 2^order pages, recorded preserved. */
uint64_t hb_alloc_preserved(struct hb *h, unsigned int order);
/* Record [pa, pa + 4 KiB << order) as preserved (no allocation). */
void hb_preserve(struct hb *h, uint64_t pa, unsigned int order);

/* Scratch areas and e820 (hb_init sets the canonical ones). */
void hb_set_scratch(struct hb *h, unsigned int n, const struct hb_range *r);
void hb_set_e820(struct hb *h, unsigned int n, const struct hb_range *r);

/* A KHO child node with its pointer (and size in v3+). */
void hb_add_subtree(struct hb *h, const char *name, uint64_t pa,
		    uint64_t size);
/* A memblock-v1 FDT child with one reserve-mem region (preserved). */
void hb_add_memblock(struct hb *h, const char *region, uint64_t start,
		     uint64_t size);
/* A kexec-metadata blob (v3+). */
void hb_add_kexec_metadata(struct hb *h, const char *release,
			   uint32_t count);

/* LUO FLB entry; name at most 47 characters. */
void hb_add_flb(struct hb *h, const char *name, uint64_t data_pa,
		uint64_t count);
/* A session; returns its index. */
unsigned int hb_add_session(struct hb *h, const char *name);
/* A file record in a session. */
void hb_add_file(struct hb *h, unsigned int session, const char *compatible,
		 uint64_t data, uint64_t token);
/*
 * A memfd-v1 file: nr_folios preserved folios of 2^folio_order pages each
 * (filled with @fill), their folio list in a kho_vmalloc chunk chain, the
 * memfd_luo_ser; the file is added to @session.  Returns the memfd_luo_ser
 * PA; *folios (when non-NULL) receives the first folio PA.
 */
uint64_t hb_add_memfd(struct hb *h, unsigned int session, uint64_t token,
		      unsigned int nr_folios, unsigned int folio_order,
		      uint8_t fill, uint64_t *first_folio);

/*
 * Writes LUO state, subtree list, KHO FDT (libfdt sequential-write), the
 * memory map in the generation's encoding, the scratch array, the KHO
 * setup_data node, e820 and the zero page.  Runs before_finish first and
 * after_finish last.  Returns the boot_params PA.
 */
uint64_t hb_finish(struct hb *h);

/* A writable pointer to the page holding @pa (for edits in hooks). */
void *hb_page(struct hb *h, uint64_t pa);
/*
 * Open the one-page FDT at @pa for libfdt read-write edits (fdt_setprop,
 * fdt_delprop, ...); hb_fdt_close() packs it again.
 */
void *hb_fdt_open(struct hb *h, uint64_t pa);
void hb_fdt_close(void *fdt);

/* ---- scenario catalogue --------------------------------------------- */

struct hb_scenario {
	const char *name;
	const char *description;
	bool expect_pass;
	const char *fail_check;	/* check ID expected to fail, NULL if none */
	/* Configure @h (hb_init already done with kho/luo below) and add data. */
	void (*build)(struct hb *h);
	enum hb_kho_gen kho;
	enum hb_luo_gen luo;
};

/*
 * Register a scenario from any file, no shared table:
 *	HB_SCENARIO(my_name) = { .name = "my-name", ... };
 * The linker collects the pointers in section khoprobe_scenarios.
 */
#define HB_SCENARIO(ident)						\
	static const struct hb_scenario ident;				\
	static const struct hb_scenario *const ident##_ptr		\
	__attribute__((section("khoprobe_scenarios"), used)) = &ident;	\
	static const struct hb_scenario ident

/* Every registered scenario, sorted by name; *n receives the count. */
const struct hb_scenario *const *hb_scenarios(size_t *n);
const struct hb_scenario *hb_scenario_find(const char *name);
/*
 * Build @s into a fresh hb (hb_init + build + hb_finish).  Returns the
 * boot_params PA to start from: h->out.boot_params, which an after hook may
 * redirect.
 */
uint64_t hb_build_scenario(struct hb *h, const struct hb_scenario *s);

/*
 * Typical old-kernel content for valid scenarios: preserved blocks of mixed
 * orders, a test FLB, a session with two memfd files, a memblock region,
 * kexec-metadata (v3+).  Other layers add theirs before or after.
 */
void hb_typical(struct hb *h);

#endif
