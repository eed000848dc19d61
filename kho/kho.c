// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KHO layer in order: boot_params and setup_data (or a given kho_data),
 * the root FDT and its ABI generation, the preserved-memory map, scratch,
 * and the children of the root.  Later checks skip when what they need did
 * not decode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

static const char *const gen_names[] = {
	[KHO_GEN_UNKNOWN] = "unknown", [KHO_GEN_V1] = "kho-v1",
	[KHO_GEN_V2] = "kho-v2", [KHO_GEN_V3] = "kho-v3",
	[KHO_GEN_V4] = "kho-v4",
};

const char *kho_gen_name(enum kho_gen gen)
{
	return gen <= KHO_GEN_V4 ? gen_names[gen] : "unknown";
}

const struct kho_subtree *kho_subtree(const struct kho_state *k,
				      const char *name)
{
	for (unsigned int i = 0; i < k->nsub; i++)
		if (!strcmp(k->sub[i].name, name))
			return &k->sub[i];
	return NULL;
}

bool kho_preserved_head(const struct kho_state *k, uint64_t pa,
			struct pblock *b)
{
	return k->memory_map_ok && pset_head(&k->preserved, pa, b);
}

static void skip_from(struct probe *p, enum check_id first, const char *why)
{
	for (int id = first; id <= CK_KHO_SUBTREES; id++)
		check_skip(&p->rep, (enum check_id)id, "%s", why);
}

static int read_kho_data(struct probe *p, uint64_t pa)
{
	struct kho_state *k = &p->kho;
	uint8_t d[KHO_DATA_LEN];
	const char *why;
	char label[96];

	k->kho_data_pa = pa;
	if (phys_read(p->pm, pa, d, sizeof(d), &why)) {
		check_fail(&p->rep, CK_KHO_PRESENT, "kho_data 0x%llx unreadable: %s",
			   (unsigned long long)pa, why);
		return -1;
	}
	k->fdt_pa = get_le64(d);
	k->fdt_size = get_le64(d + 8);
	k->scratch_pa = get_le64(d + 16);
	k->scratch_size = get_le64(d + 24);
	explain(p, "kho_data at 0x%llx: fdt_addr 0x%llx, fdt_size %llu, "
		"scratch_addr 0x%llx, scratch_size %llu (16 bytes per area)",
		(unsigned long long)pa, (unsigned long long)k->fdt_pa,
		(unsigned long long)k->fdt_size,
		(unsigned long long)k->scratch_pa,
		(unsigned long long)k->scratch_size);
	snprintf(label, sizeof(label), "kho_data 0x%llx", (unsigned long long)pa);
	dot_node(p, "kho_data", label);
	if (k->boot_params_pa) {
		char node[32];

		snprintf(node, sizeof(node), "setup_data_%llx",
			 (unsigned long long)(pa - 16));
		dot_edge(p, node, "kho_data", "payload");
	}
	check_pass(&p->rep, CK_KHO_PRESENT, "KHO node: kho_data at 0x%llx", 
		   (unsigned long long)pa);
	return 0;
}

static void run_from_kho_data(struct probe *p, uint64_t pa)
{
	struct kho_state *k = &p->kho;

	pset_init(&k->preserved);
	if (read_kho_data(p, pa)) {
		skip_from(p, CK_KHO_FDT, "no kho_data");
		return;
	}
	kho_check_scratch(p);
	if (!kho_check_fdt(p)) {
		skip_from(p, CK_KHO_MEMORY_MAP, "no usable KHO FDT");
		return;
	}
	k->present = true;
	kho_check_memory_map(p);
	kho_check_scratch_disjoint(p);
	kho_check_subtrees(p);
	if (p->plat)
		kho_check_self_in_scratch(p);
}

void kho_run_from_boot_params(struct probe *p, uint64_t bp)
{
	uint64_t kho_data;

	pset_init(&p->kho.preserved);
	if (kho_walk_boot_params(p, bp, &kho_data)) {
		skip_from(p, CK_KHO_FDT, "no KHO setup_data node");
		return;
	}
	run_from_kho_data(p, kho_data);
}

void kho_run_from_kho_data(struct probe *p, uint64_t pa)
{
	check_skip(&p->rep, CK_BOOT_PARAMS, "started from kho_data (--kho)");
	check_skip(&p->rep, CK_BOOT_SETUP_DATA, "started from kho_data (--kho)");
	explain(p, "starting from the 32-byte kho_data at 0x%llx (no zero page)",
		(unsigned long long)pa);
	run_from_kho_data(p, pa);
}

void kho_release(struct kho_state *k)
{
	pset_free(&k->preserved);
	free(k->fdt);
	k->fdt = NULL;
	k->fdt_ok = false;
}
