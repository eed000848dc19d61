// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KHO root FDT: in RAM, valid for libfdt, no larger than the handover
 * says, and a root compatible naming a known ABI generation.  A private
 * copy is kept in the state for the later layers.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kho_int.h"

int kho_fdt_u64(const void *fdt, int node, const char *name, uint64_t *v)
{
	int len;
	const uint8_t *val = fdt_getprop(fdt, node, name, &len);

	if (!val)
		return -1;
	if (len != 8)
		return len > 0 ? len : 1;
	*v = get_le64(val);	/* raw CPU bytes, not FDT cells */
	return 0;
}

static bool copy_fdt(struct probe *p)
{
	struct kho_state *k = &p->kho;
	/* libfdt refuses a header that is not 8-byte aligned (-Os packs it) */
	uint8_t hdr[sizeof(struct fdt_header)] __attribute__((aligned(8)));
	const char *why;
	uint32_t total;
	int err;

	if (!k->fdt_size || k->fdt_size > KHO_FDT_MAX) {
		check_fail(&p->rep, CK_KHO_FDT,
			   "KHO FDT 0x%llx: fdt_size %llu out of range (1..%u)",
			   (unsigned long long)k->fdt_pa,
			   (unsigned long long)k->fdt_size, KHO_FDT_MAX);
		return false;
	}
	if (!phys_is_ram(p->pm, k->fdt_pa, k->fdt_size) ||
	    phys_read(p->pm, k->fdt_pa, hdr, sizeof(hdr), &why)) {
		check_fail(&p->rep, CK_KHO_FDT,
			   "KHO FDT [0x%llx, +%llu) is not in RAM",
			   (unsigned long long)k->fdt_pa,
			   (unsigned long long)k->fdt_size);
		return false;
	}
	err = fdt_check_header(hdr);
	total = fdt_totalsize(hdr);
	if (err) {
		check_fail(&p->rep, CK_KHO_FDT, "KHO FDT 0x%llx: bad header: %s",
			   (unsigned long long)k->fdt_pa, fdt_strerror(err));
		return false;
	}
	if (total > k->fdt_size) {
		check_fail(&p->rep, CK_KHO_FDT,
			   "KHO FDT 0x%llx: totalsize %u > fdt_size %llu",
			   (unsigned long long)k->fdt_pa, total,
			   (unsigned long long)k->fdt_size);
		return false;
	}
	k->fdt = malloc(total);
	if (!k->fdt || phys_read(p->pm, k->fdt_pa, k->fdt, total, &why)) {
		check_fail(&p->rep, CK_KHO_FDT, "KHO FDT 0x%llx: cannot copy: %s",
			   (unsigned long long)k->fdt_pa,
			   k->fdt ? why : "out of memory");
		return false;
	}
	k->fdt_len = total;
	err = fdt_check_full(k->fdt, total);
	if (err) {
		check_fail(&p->rep, CK_KHO_FDT,
			   "KHO FDT 0x%llx fails libfdt validation: %s",
			   (unsigned long long)k->fdt_pa, fdt_strerror(err));
		return false;
	}
	return true;
}

/* First string of the root compatible; kho-v4 may be composite. */
static enum kho_gen parse_compatible(struct probe *p)
{
	struct kho_state *k = &p->kho;
	int len;
	const char *c = fdt_getprop(k->fdt, 0, "compatible", &len);
	static const struct { const char *s; enum kho_gen g; } known[] = {
		{ "kho-v1", KHO_GEN_V1 }, { "kho-v2", KHO_GEN_V2 },
		{ "kho-v3", KHO_GEN_V3 }, { "kho-v4", KHO_GEN_V4 },
	};

	if (!c || len <= 0) {
		check_fail(&p->rep, CK_KHO_COMPATIBLE,
			   "KHO FDT 0x%llx: root has no compatible property",
			   (unsigned long long)k->fdt_pa);
		return KHO_GEN_UNKNOWN;
	}
	if (!memchr(c, '\0', (size_t)len)) {
		check_fail(&p->rep, CK_KHO_COMPATIBLE,
			   "KHO FDT 0x%llx: root compatible is not NUL-terminated",
			   (unsigned long long)k->fdt_pa);
		return KHO_GEN_UNKNOWN;
	}
	snprintf(k->compatible, sizeof(k->compatible), "%s", c);
	kho_printable(k->compatible);
	for (unsigned int i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i].s);

		if (!strcmp(c, known[i].s))
			return known[i].g;
		/* "kho-v4" followed by sub-compatibles, e.g. "kho-v4,radix-v1" */
		if (known[i].g == KHO_GEN_V4 && !strncmp(c, known[i].s, n) &&
		    (c[n] < '0' || c[n] > '9'))
			return known[i].g;
	}
	check_fail(&p->rep, CK_KHO_COMPATIBLE,
		   "KHO FDT 0x%llx: unknown KHO ABI generation '%s'",
		   (unsigned long long)k->fdt_pa, k->compatible);
	return KHO_GEN_UNKNOWN;
}

bool kho_check_fdt(struct probe *p)
{
	struct kho_state *k = &p->kho;
	char label[96];

	explain(p, "KHO root FDT at 0x%llx: a flattened device tree (big-endian "
		"structure) whose u64 properties hold raw little-endian values",
		(unsigned long long)k->fdt_pa);
	snprintf(label, sizeof(label), "KHO FDT\n0x%llx",
		 (unsigned long long)k->fdt_pa);
	dot_node(p, "kho_fdt", label);
	dot_edge(p, "kho_data", "kho_fdt", "fdt_addr");
	if (!copy_fdt(p)) {
		check_skip(&p->rep, CK_KHO_COMPATIBLE, "no valid KHO FDT");
		return false;
	}
	check_pass(&p->rep, CK_KHO_FDT, "KHO FDT 0x%llx, %u of %llu bytes",
		   (unsigned long long)k->fdt_pa, k->fdt_len,
		   (unsigned long long)k->fdt_size);
	k->fdt_ok = true;
	k->gen = parse_compatible(p);
	if (k->gen == KHO_GEN_UNKNOWN)
		return false;
	explain(p, "root compatible '%s': KHO ABI %s (%s child pointers, %s map)",
		k->compatible, kho_gen_name(k->gen),
		k->gen == KHO_GEN_V1 ? "'fdt'" :
		k->gen == KHO_GEN_V2 ? "'preserved-data'" :
				       "'preserved-data' + 'blob-size'",
		k->gen == KHO_GEN_V1 ? "chunk/bitmap" : "radix-tree");
	check_pass(&p->rep, CK_KHO_COMPATIBLE, "'%s' (%s)", k->compatible,
		   kho_gen_name(k->gen));
	return true;
}
