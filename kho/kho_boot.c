// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86 entry to a handover: the zero page (boot_params), its e820 table
 * and the setup_data chain that leads to the KHO node (type 10).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

#define BP_E820_COUNT	0x1e8	/* u8 */
#define BP_SETUP_DATA	0x250	/* u64, hdr.setup_data */
#define BP_E820_TABLE	0x2d0	/* 128 entries of 20 bytes */
#define E820_ENTRY	20
#define E820_RAM	1

static int cmp_e820(const void *a, const void *b)
{
	const struct kho_e820 *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

static const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case 1: return "usable RAM";
	case 2: return "reserved";
	case 3: return "ACPI data";
	case 4: return "ACPI NVS";
	case 5: return "unusable";
	default: return "other";
	}
}

static void check_e820(struct probe *p, const uint8_t *zp)
{
	struct kho_state *k = &p->kho;
	struct kho_e820 sorted[KHO_E820_MAX];
	unsigned int n = zp[BP_E820_COUNT], ram = 0;

	if (n > KHO_E820_MAX) {
		check_fail(&p->rep, CK_BOOT_PARAMS,
			   "boot_params 0x%llx: e820 count %u > %u",
			   (unsigned long long)k->boot_params_pa, n, KHO_E820_MAX);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *e = zp + BP_E820_TABLE + E820_ENTRY * i;
		struct kho_e820 *d = &k->e820[i];

		d->addr = get_le64(e);
		d->size = get_le64(e + 8);
		d->type = get_le32(e + 16);
		explain(p, "  e820[%u] [0x%llx, 0x%llx) %s", i,
			(unsigned long long)d->addr,
			(unsigned long long)(d->addr + d->size),
			e820_type_name(d->type));
		if (!d->size)
			check_fail(&p->rep, CK_BOOT_PARAMS,
				   "e820 entry %u at 0x%llx has zero length", i,
				   (unsigned long long)d->addr);
		else if (d->addr + d->size < d->addr)
			check_fail(&p->rep, CK_BOOT_PARAMS,
				   "e820 entry %u at 0x%llx wraps the address space",
				   i, (unsigned long long)d->addr);
		if (d->type == E820_RAM && d->size)
			ram++;
	}
	k->ne820 = n;
	memcpy(sorted, k->e820, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_e820);
	for (unsigned int i = 1; i < n; i++)
		if (sorted[i].addr < sorted[i - 1].addr + sorted[i - 1].size)
			check_fail(&p->rep, CK_BOOT_PARAMS,
				   "e820 entries at 0x%llx and 0x%llx overlap",
				   (unsigned long long)sorted[i - 1].addr,
				   (unsigned long long)sorted[i].addr);
	if (!ram)
		check_fail(&p->rep, CK_BOOT_PARAMS,
			   "e820 table of boot_params 0x%llx has no usable RAM",
			   (unsigned long long)k->boot_params_pa);
	check_done(&p->rep, CK_BOOT_PARAMS, "boot_params 0x%llx, %u e820 entries",
		   (unsigned long long)k->boot_params_pa, n);
}

/* Visits the chain; returns the KHO node PA (0 if none). */
static uint64_t walk_setup_data(struct probe *p, uint64_t first)
{
	uint64_t seen[KHO_SETUP_MAX], node = first, kho = 0;
	unsigned int n = 0;
	char id[32], prev[32] = "boot_params";

	while (node) {
		uint8_t hdr[16];
		const char *why;
		uint32_t type, len;

		for (unsigned int i = 0; i < n; i++)
			if (seen[i] == node) {
				check_fail(&p->rep, CK_BOOT_SETUP_DATA,
					   "setup_data chain loops back to 0x%llx",
					   (unsigned long long)node);
				goto out;
			}
		if (n == KHO_SETUP_MAX) {
			check_fail(&p->rep, CK_BOOT_SETUP_DATA,
				   "setup_data chain longer than %u nodes",
				   KHO_SETUP_MAX);
			goto out;
		}
		seen[n++] = node;
		if (phys_read(p->pm, node, hdr, sizeof(hdr), &why)) {
			check_fail(&p->rep, CK_BOOT_SETUP_DATA,
				   "setup_data node 0x%llx unreadable: %s",
				   (unsigned long long)node, why);
			goto out;
		}
		type = get_le32(hdr + 8);
		len = get_le32(hdr + 12);
		explain(p, "setup_data node 0x%llx: type %u, len %u, next 0x%llx%s",
			(unsigned long long)node, type, len,
			(unsigned long long)get_le64(hdr),
			type == KHO_SETUP_KEXEC_KHO ?
			" (SETUP_KEXEC_KHO: the KHO handover)" : "");
		snprintf(id, sizeof(id), "setup_data_%llx", (unsigned long long)node);
		{
			char label[64];

			snprintf(label, sizeof(label), "setup_data 0x%llx\ntype %u len %u",
				 (unsigned long long)node, type, len);
			dot_node(p, id, label);
			dot_edge(p, prev, id, n == 1 ? "hdr.setup_data" : "next");
			snprintf(prev, sizeof(prev), "%s", id);
		}
		if (!phys_is_ram(p->pm, node + 16, len)) {
			check_fail(&p->rep, CK_BOOT_SETUP_DATA,
				   "setup_data node 0x%llx: payload of %u bytes is not in RAM",
				   (unsigned long long)node, len);
			goto out;
		}
		if (type == KHO_SETUP_KEXEC_KHO && !kho) {
			if (len != KHO_DATA_LEN)
				check_fail(&p->rep, CK_KHO_PRESENT,
					   "KHO setup_data node 0x%llx has len %u, want %u",
					   (unsigned long long)node, len, KHO_DATA_LEN);
			else
				kho = node;
		}
		node = get_le64(hdr);
	}
out:
	p->kho.nsetup = n;
	check_done(&p->rep, CK_BOOT_SETUP_DATA, "%u setup_data node%s", n,
		   n == 1 ? "" : "s");
	return kho;
}

int kho_walk_boot_params(struct probe *p, uint64_t bp, uint64_t *kho_data)
{
	uint8_t *zp = malloc(KHO_PAGE);
	const char *why;
	uint64_t node;

	p->kho.boot_params_pa = bp;
	if (!zp || phys_read(p->pm, bp, zp, KHO_PAGE, &why)) {
		check_fail(&p->rep, CK_BOOT_PARAMS,
			   "boot_params 0x%llx unreadable: %s",
			   (unsigned long long)bp, zp ? why : "out of memory");
		check_skip(&p->rep, CK_BOOT_SETUP_DATA, "no boot_params");
		check_skip(&p->rep, CK_KHO_PRESENT, "no boot_params");
		free(zp);
		return -1;
	}
	explain(p, "boot_params (zero page) at 0x%llx: e820 count at +0x1e8, "
		"table at +0x2d0, setup_data list head at +0x250",
		(unsigned long long)bp);
	{
		char label[64];

		snprintf(label, sizeof(label), "boot_params\n0x%llx",
			 (unsigned long long)bp);
		dot_node(p, "boot_params", label);
	}
	check_e820(p, zp);
	node = get_le64(zp + BP_SETUP_DATA);
	free(zp);
	explain(p, "boot_params.hdr.setup_data = 0x%llx: first node of the "
		"setup_data list", (unsigned long long)node);
	node = walk_setup_data(p, node);
	if (!node) {
		check_fail(&p->rep, CK_KHO_PRESENT,
			   "no setup_data node of type 10 (KHO) with len 32 in "
			   "%u node%s", p->kho.nsetup, p->kho.nsetup == 1 ? "" : "s");
		return -1;
	}
	*kho_data = node + 16;
	return 0;
}
