// SPDX-License-Identifier: GPL-2.0-only
/*
 * luo.header: the blob the LUO child points at is either a luo-v1 FDT
 * (luo-session and luo-flb nodes holding u64 PAs) or, in kho-v3+ with a
 * blob-size, a packed struct luo_ser: variant A starts with the string
 * "luo-v3", variant B with feature words {supported, required, active}.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "luo_int.h"

#define LUO_SER_A_LEN	32
#define LUO_SER_B_LEN	152
#define LUO_FEAT_KNOWN	0x7ULL	/* NUMBER, SESSIONS, FLBS */

static void dot_blob(struct probe *p, const char *label)
{
	char l[96];

	snprintf(l, sizeof(l), "%s\n0x%llx", label,
		 (unsigned long long)p->luo.blob_pa);
	dot_node(p, "LUO", l);
}

/* Node @name with compatible in @compat (NULL-ended) and u64 @prop. */
static int fdt_child_u64(struct probe *p, const void *fdt, const char *name,
			 const char *const *compat, const char *prop,
			 uint64_t *val)
{
	int node = fdt_subnode_offset(fdt, 0, name);
	int r;

	if (node < 0)
		return -1;
	for (; *compat; compat++)
		if (!fdt_node_check_compatible(fdt, node, *compat))
			break;
	if (!*compat) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO FDT node '%s' has an unknown compatible", name);
		return -2;
	}
	r = kho_fdt_u64(fdt, node, prop, val);
	if (r) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO FDT node '%s': '%s' %s", name, prop,
			   r < 0 ? "missing" : "is not 8 bytes");
		return -2;
	}
	return 0;
}

static void parse_fdt(struct probe *p, const struct pblock *b)
{
	static const char *const ses_compat[] = { "luo-session-v2",
						  "luo-session-v1", NULL };
	static const char *const flb_compat[] = { "luo-flb-v1", NULL };
	struct luo_state *l = &p->luo;
	/* libfdt refuses a header that is not 8-byte aligned (-Os packs it) */
	uint8_t hdr[sizeof(struct fdt_header)] __attribute__((aligned(8)));
	uint32_t total;
	void *fdt = NULL;
	int r;

	if (phys_read(p->pm, l->blob_pa, hdr, sizeof(hdr), NULL) ||
	    fdt_check_header(hdr)) {
		check_fail(&p->rep, CK_LUO_HEADER, "LUO FDT 0x%llx: bad FDT header",
			   (unsigned long long)l->blob_pa);
		return;
	}
	total = fdt_totalsize(hdr);
	if (total > pblock_size(b) || total > KHO_FDT_MAX) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO FDT 0x%llx: totalsize %u exceeds its order-%u block",
			   (unsigned long long)l->blob_pa, total, b->order);
		return;
	}
	fdt = malloc(total);
	if (!fdt || phys_read(p->pm, l->blob_pa, fdt, total, NULL) ||
	    (r = fdt_check_full(fdt, total))) {
		check_fail(&p->rep, CK_LUO_HEADER, "LUO FDT 0x%llx fails libfdt "
			   "validation", (unsigned long long)l->blob_pa);
		goto out;
	}
	if (fdt_node_check_compatible(fdt, 0, "luo-v1")) {
		const char *c = fdt_getprop(fdt, 0, "compatible", NULL);

		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO FDT 0x%llx: compatible '%.40s', want luo-v1",
			   (unsigned long long)l->blob_pa, c ? c : "(none)");
		goto out;
	}
	r = kho_fdt_u64(fdt, 0, "liveupdate-number", &l->liveupdate_num);
	l->has_num = !r;
	if (r > 0)
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO FDT: liveupdate-number is not 8 bytes");
	r = fdt_child_u64(p, fdt, "luo-session", ses_compat,
			  "luo-session-header", &l->sessions_pa);
	if (r == -1)
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO FDT 0x%llx has no luo-session node",
			   (unsigned long long)l->blob_pa);
	l->has_sessions = !r;
	if (fdt_child_u64(p, fdt, "luo-flb", flb_compat, "luo-flb-header",
			  &l->flb_pa) == -1)
		l->flb_pa = 0;	/* LUO before FLB support */
	l->gen = LUO_GEN_FDT;
	explain(p, "LUO blob 0x%llx is a luo-v1 FDT: liveupdate-number %llu, "
		"luo-session-header 0x%llx, luo-flb-header 0x%llx",
		(unsigned long long)l->blob_pa,
		(unsigned long long)l->liveupdate_num,
		(unsigned long long)l->sessions_pa,
		(unsigned long long)l->flb_pa);
	dot_blob(p, "LUO FDT (luo-v1)");
out:
	free(fdt);
}

static void parse_struct_a(struct probe *p, const uint8_t *s)
{
	struct luo_state *l = &p->luo;

	if (memcmp(s, "luo-v3\0", 7)) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "luo_ser 0x%llx: compatible '%.8s', want luo-v3",
			   (unsigned long long)l->blob_pa, (const char *)s);
		return;
	}
	l->gen = LUO_GEN_STRUCT_A;
	l->liveupdate_num = get_le64(s + 8);
	l->has_num = true;
	l->sessions_pa = get_le64(s + 16);
	l->flb_pa = get_le64(s + 24);
	l->has_sessions = true;
	explain(p, "LUO blob 0x%llx is luo_ser variant A ('luo-v3'): number %llu, "
		"sessions_pa 0x%llx, flbs_pa 0x%llx", (unsigned long long)l->blob_pa,
		(unsigned long long)l->liveupdate_num,
		(unsigned long long)l->sessions_pa, (unsigned long long)l->flb_pa);
	dot_blob(p, "luo_ser A (luo-v3)");
}

static void parse_struct_b(struct probe *p, const uint8_t *s)
{
	struct luo_state *l = &p->luo;
	uint64_t supp = get_le64(s), req = get_le64(s + 8);
	uint64_t active = get_le64(s + 16);

	if (req & ~LUO_FEAT_KNOWN) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "luo_ser 0x%llx requires unknown features 0x%llx",
			   (unsigned long long)l->blob_pa,
			   (unsigned long long)(req & ~LUO_FEAT_KNOWN));
		return;
	}
	if (active & ~supp) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "luo_ser 0x%llx: active features 0x%llx not supported (0x%llx)",
			   (unsigned long long)l->blob_pa,
			   (unsigned long long)active, (unsigned long long)supp);
		return;
	}
	for (int i = 3; i < 16; i++)
		if (get_le64(s + 8 * i))
			check_warn(&p->rep, CK_LUO_HEADER,
				   "luo_ser 0x%llx: reserved feature word %d is set",
				   (unsigned long long)l->blob_pa, i - 3);
	l->gen = LUO_GEN_STRUCT_B;
	l->liveupdate_num = get_le64(s + 128);
	l->has_num = active & 1;
	l->sessions_pa = get_le64(s + 136);
	l->has_sessions = true;
	l->flb_pa = get_le64(s + 144);
	explain(p, "LUO blob 0x%llx is luo_ser variant B: features supported 0x%llx "
		"required 0x%llx active 0x%llx, sessions_pa 0x%llx, flbs_pa 0x%llx",
		(unsigned long long)l->blob_pa, (unsigned long long)supp,
		(unsigned long long)req, (unsigned long long)active,
		(unsigned long long)l->sessions_pa, (unsigned long long)l->flb_pa);
	dot_blob(p, "luo_ser B (features)");
}

void luo_check_header(struct probe *p)
{
	struct luo_state *l = &p->luo;
	struct pblock b;
	uint8_t s[LUO_SER_B_LEN];

	explain(p, "LUO child -> blob 0x%llx%s", (unsigned long long)l->blob_pa,
		l->blob_size ? " (with blob-size)" : "");
	if (!luo_head(p, CK_LUO_HEADER, l->blob_pa, "LUO blob", 0, 8, &b))
		return;
	if (phys_read(p->pm, l->blob_pa, s, 8, NULL)) {
		check_fail(&p->rep, CK_LUO_HEADER, "LUO blob 0x%llx unreadable",
			   (unsigned long long)l->blob_pa);
		return;
	}
	if (get_le32(s) == 0xedfe0dd0) {	/* FDT magic, big-endian bytes */
		parse_fdt(p, &b);
	} else if (p->kho.gen < KHO_GEN_V3 || !l->blob_size) {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO blob 0x%llx is not an FDT and has no blob-size "
			   "(a luo_ser needs kho-v3+)", (unsigned long long)l->blob_pa);
	} else if (l->blob_size == LUO_SER_A_LEN) {
		if (!phys_read(p->pm, l->blob_pa, s, LUO_SER_A_LEN, NULL))
			parse_struct_a(p, s);
	} else if (l->blob_size >= LUO_SER_B_LEN &&
		   l->blob_size <= pblock_size(&b)) {
		if (!phys_read(p->pm, l->blob_pa, s, LUO_SER_B_LEN, NULL))
			parse_struct_b(p, s);
	} else {
		check_fail(&p->rep, CK_LUO_HEADER,
			   "LUO blob 0x%llx: blob-size %llu is no known luo_ser",
			   (unsigned long long)l->blob_pa,
			   (unsigned long long)l->blob_size);
	}
	if (l->gen == LUO_GEN_UNKNOWN || check_failed(&p->rep, CK_LUO_HEADER))
		return;
	l->header_ok = true;
	check_done(&p->rep, CK_LUO_HEADER, "%s at 0x%llx",
		   l->gen == LUO_GEN_FDT ? "luo-v1 FDT" :
		   l->gen == LUO_GEN_STRUCT_A ? "luo_ser A (luo-v3)" :
						"luo_ser B (feature flags)",
		   (unsigned long long)l->blob_pa);
}
