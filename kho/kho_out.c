// SPDX-License-Identifier: GPL-2.0-only
/* The KHO layer's part of the JSON "handover" object and human summary. */
#include <stdio.h>

#include "kho_int.h"

static const char *sub_kind(enum kho_subtree_kind kind)
{
	switch (kind) {
	case KHO_SUB_LUO: return "luo";
	case KHO_SUB_MEMBLOCK: return "memblock";
	case KHO_SUB_KEXEC_METADATA: return "kexec-metadata";
	default: return "unknown";
	}
}

static void json_orders(struct json *j, const struct pset *s)
{
	uint64_t count[PSET_MAX_ORDER + 1] = { 0 };

	for (size_t i = 0; i < s->nrun; i++)
		count[s->run[i].order] += s->run[i].count;
	json_obj_begin(j, "orders");
	for (unsigned int o = 0; o <= PSET_MAX_ORDER; o++) {
		char key[8];

		if (!count[o])
			continue;
		snprintf(key, sizeof(key), "%u", o);
		json_u64(j, key, count[o]);
	}
	json_obj_end(j);
}

void kho_json(struct json *j, const struct probe *p)
{
	const struct kho_state *k = &p->kho;

	json_obj_begin(j, "kho");
	json_bool(j, "present", k->present);
	if (k->boot_params_pa)
		json_hex(j, "boot_params", k->boot_params_pa);
	json_hex(j, "kho_data", k->kho_data_pa);
	json_hex(j, "fdt", k->fdt_pa);
	json_u64(j, "fdt_size", k->fdt_size);
	json_str(j, "generation", kho_gen_name(k->gen));
	json_str(j, "compatible", k->compatible);
	json_obj_begin(j, "memory_map");
	json_str(j, "encoding", k->gen == KHO_GEN_UNKNOWN ? "unknown" :
		 k->gen == KHO_GEN_V1 ? "bitmap" : "radix");
	json_hex(j, "root", k->map_pa);
	json_bool(j, "decoded", k->memory_map_ok);
	json_u64(j, "metadata_pages", k->map_pages);
	json_u64(j, "preserved_blocks", k->preserved.nblocks);
	json_u64(j, "preserved_bytes", k->memory_map_ok ?
		 pset_bytes(&k->preserved) : 0);
	json_u64(j, "preserved_ranges", k->preserved.nrng);
	json_orders(j, &k->preserved);
	json_obj_end(j);
	json_arr_begin(j, "scratch");
	for (unsigned int i = 0; i < k->nscratch; i++) {
		json_obj_begin(j, NULL);
		json_hex(j, "addr", k->scratch[i].addr);
		json_hex(j, "size", k->scratch[i].size);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "subtrees");
	for (unsigned int i = 0; i < k->nsub; i++) {
		const struct kho_subtree *s = &k->sub[i];

		json_obj_begin(j, NULL);
		json_str(j, "name", s->name);
		json_str(j, "kind", sub_kind(s->kind));
		json_hex(j, "pa", s->pa);
		if (s->has_size)
			json_u64(j, "size", s->size);
		json_i64(j, "order", s->order);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void kho_summary(struct out *o, const struct probe *p)
{
	const struct kho_state *k = &p->kho;

	if (!k->kho_data_pa && !k->boot_params_pa)
		return;
	out_printf(o, "KHO: %s ('%s'), FDT 0x%llx (%u bytes), %u scratch area%s\n",
		   kho_gen_name(k->gen), k->compatible,
		   (unsigned long long)k->fdt_pa, k->fdt_len, k->nscratch,
		   k->nscratch == 1 ? "" : "s");
	if (k->memory_map_ok)
		out_printf(o, "  preserved: %llu blocks, %llu bytes in %zu ranges "
			   "(%s map 0x%llx, %llu metadata pages)\n",
			   (unsigned long long)k->preserved.nblocks,
			   (unsigned long long)pset_bytes(&k->preserved),
			   k->preserved.nrng,
			   k->gen == KHO_GEN_V1 ? "bitmap" : "radix",
			   (unsigned long long)k->map_pa,
			   (unsigned long long)k->map_pages);
	for (unsigned int i = 0; i < k->nsub; i++)
		out_printf(o, "  subtree %-16s 0x%llx%s (%s)\n", k->sub[i].name,
			   (unsigned long long)k->sub[i].pa,
			   k->sub[i].order >= 0 ? "" : " [not a preserved head]",
			   sub_kind(k->sub[i].kind));
}
