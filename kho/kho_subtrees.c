// SPDX-License-Identifier: GPL-2.0-only
/*
 * kho.subtrees: every child of the KHO root names a subsystem and holds an
 * 8-byte pointer (fdt in kho-v1, preserved-data in v2+, plus blob-size in
 * v3+) to the head of a preserved block.  Known children (memblock,
 * kexec-metadata) are decoded a little further; LUO is the next layer's.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

#define KEXEC_METADATA_LEN	73
#define MEMBLOCK_FDT_MAX	(64u << 10)

static enum kho_subtree_kind kind_of(const char *name)
{
	if (!strcmp(name, "LUO"))
		return KHO_SUB_LUO;
	if (!strcmp(name, "memblock"))
		return KHO_SUB_MEMBLOCK;
	if (!strcmp(name, "kexec-metadata"))
		return KHO_SUB_KEXEC_METADATA;
	return KHO_SUB_UNKNOWN;
}

static const char *kind_name(enum kho_subtree_kind kind)
{
	switch (kind) {
	case KHO_SUB_LUO: return "Live Update Orchestrator state";
	case KHO_SUB_MEMBLOCK: return "reserve_mem regions (memblock-v1 FDT)";
	case KHO_SUB_KEXEC_METADATA: return "kexec metadata (packed struct)";
	default: return "unknown subsystem";
	}
}

static void check_kexec_metadata(struct probe *p, const struct kho_subtree *s)
{
	uint8_t blob[KEXEC_METADATA_LEN];
	uint32_t version;

	if (p->kho.gen < KHO_GEN_V3 || s->size < KEXEC_METADATA_LEN) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "kexec-metadata 0x%llx: blob-size %llu < %u",
			   (unsigned long long)s->pa, (unsigned long long)s->size,
			   KEXEC_METADATA_LEN);
		return;
	}
	if (phys_read(p->pm, s->pa, blob, sizeof(blob), NULL)) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "kexec-metadata 0x%llx unreadable",
			   (unsigned long long)s->pa);
		return;
	}
	version = get_le32(blob);
	blob[68] = 0;
	if (version != 1)
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "kexec-metadata 0x%llx: version %u, want 1",
			   (unsigned long long)s->pa, version);
	else
		explain(p, "  kexec-metadata: previous release '%s', kexec count %u",
			(const char *)blob + 4, get_le32(blob + 69));
}

static void check_memblock_region(struct probe *p, const void *fdt, int node)
{
	const struct kho_state *k = &p->kho;
	const char *name = fdt_get_name(fdt, node, NULL);
	uint64_t start, size;

	if (kho_fdt_u64(fdt, node, "start", &start) ||
	    kho_fdt_u64(fdt, node, "size", &size)) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "memblock region '%s': start/size not 8-byte properties",
			   name ? name : "?");
		return;
	}
	explain(p, "  reserve_mem region '%s' [0x%llx, +0x%llx)", name ? name : "?",
		(unsigned long long)start, (unsigned long long)size);
	for (unsigned int i = 0; i < k->nscratch; i++)
		if (start < k->scratch[i].addr + k->scratch[i].size &&
		    k->scratch[i].addr < start + size)
			check_fail(&p->rep, CK_KHO_SUBTREES,
				   "memblock region '%s' 0x%llx overlaps scratch[%u]",
				   name ? name : "?", (unsigned long long)start, i);
	if (k->memory_map_ok && !pset_covers(&k->preserved, start, size))
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "memblock region '%s' [0x%llx, +0x%llx) is not preserved",
			   name ? name : "?", (unsigned long long)start,
			   (unsigned long long)size);
}

static void check_memblock(struct probe *p, const struct kho_subtree *s,
			   uint64_t limit)
{
	/* libfdt refuses a header that is not 8-byte aligned (-Os packs it) */
	uint8_t hdr[sizeof(struct fdt_header)] __attribute__((aligned(8)));
	uint32_t total;
	void *fdt;
	int node;

	if (phys_read(p->pm, s->pa, hdr, sizeof(hdr), NULL) ||
	    fdt_check_header(hdr)) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "memblock 0x%llx is not an FDT", (unsigned long long)s->pa);
		return;
	}
	total = fdt_totalsize(hdr);
	if (total > limit || total > MEMBLOCK_FDT_MAX) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "memblock FDT 0x%llx: totalsize %u exceeds its block",
			   (unsigned long long)s->pa, total);
		return;
	}
	fdt = malloc(total);
	if (!fdt || phys_read(p->pm, s->pa, fdt, total, NULL) ||
	    fdt_check_full(fdt, total) ||
	    fdt_node_check_compatible(fdt, 0, "memblock-v1")) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "memblock FDT 0x%llx invalid or not memblock-v1",
			   (unsigned long long)s->pa);
		free(fdt);
		return;
	}
	fdt_for_each_subnode(node, fdt, 0)
		check_memblock_region(p, fdt, node);
	free(fdt);
}

static void check_pointer(struct probe *p, struct kho_subtree *s,
			  const char *prop)
{
	const struct kho_state *k = &p->kho;
	struct pblock b;
	bool head = kho_preserved_head(k, s->pa, &b);
	uint64_t limit;

	s->order = head ? (int)b.order : -1;
	if (!k->memory_map_ok)
		return;		/* noted once by the caller */
	if (!head) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "child '%s': %s 0x%llx is not the head of a preserved block",
			   s->name, prop, (unsigned long long)s->pa);
		return;
	}
	limit = pblock_size(&b);
	if (s->has_size && s->size > limit) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   "child '%s': blob-size %llu exceeds its order-%u block 0x%llx",
			   s->name, (unsigned long long)s->size, b.order,
			   (unsigned long long)s->pa);
		return;
	}
	if (s->kind == KHO_SUB_MEMBLOCK)
		check_memblock(p, s, limit);
	else if (s->kind == KHO_SUB_KEXEC_METADATA)
		check_kexec_metadata(p, s);
}

static void check_child(struct probe *p, int node, struct kho_subtree *s)
{
	struct kho_state *k = &p->kho;
	const char *prop = k->gen == KHO_GEN_V1 ? "fdt" : "preserved-data";
	const char *name = fdt_get_name(k->fdt, node, NULL);
	char label[128];
	int r;

	snprintf(s->name, sizeof(s->name), "%s", name ? name : "?");
	kho_printable(s->name);
	s->kind = kind_of(s->name);
	r = kho_fdt_u64(k->fdt, node, prop, &s->pa);
	s->has_ptr = !r;
	if (r) {
		check_fail(&p->rep, CK_KHO_SUBTREES,
			   r < 0 ? "child '%s' has no '%s' property%s" :
			   "child '%s': '%s' is not 8 bytes%s", s->name, prop,
			   k->gen != KHO_GEN_V1 && fdt_getprop(k->fdt, node, "fdt", NULL) ?
			   " (it has kho-v1's 'fdt')" : "");
		return;
	}
	if (k->gen >= KHO_GEN_V3) {
		r = kho_fdt_u64(k->fdt, node, "blob-size", &s->size);
		s->has_size = !r;
		if (r)
			check_fail(&p->rep, CK_KHO_SUBTREES,
				   "child '%s': %s blob-size (kho-v3+ needs 8 bytes)",
				   s->name, r < 0 ? "no" : "malformed");
	}
	explain(p, "child node '%s' (%s): %s = 0x%llx%s", s->name,
		kind_name(s->kind), prop, (unsigned long long)s->pa,
		s->has_size ? ", with blob-size" : "");
	snprintf(label, sizeof(label), "%s\n0x%llx", s->name,
		 (unsigned long long)s->pa);
	dot_node(p, s->name, label);
	dot_edge(p, "kho_fdt", s->name, prop);
	check_pointer(p, s, prop);
}

void kho_check_subtrees(struct probe *p)
{
	struct kho_state *k = &p->kho;
	struct kho_subtree extra;
	unsigned int total = 0;
	int node;

	fdt_for_each_subnode(node, k->fdt, 0) {
		struct kho_subtree *s = k->nsub < KHO_SUBTREE_MAX ?
					&k->sub[k->nsub++] : &extra;

		memset(s, 0, sizeof(*s));
		check_child(p, node, s);
		total++;
	}
	if (!k->memory_map_ok && total)
		check_warn(&p->rep, CK_KHO_SUBTREES,
			   "pointers not checked against the preserved map (it did not decode)");
	check_done(&p->rep, CK_KHO_SUBTREES, "%u child node%s", total,
		   total == 1 ? "" : "s");
}
