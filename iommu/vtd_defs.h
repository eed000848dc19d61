/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VT-d register offsets and in-memory entry fields (reference:
 * vtd-qemu.md §1-§3, iommu-series.md §3), as our own definitions.
 */
#ifndef KHOPROBE_VTD_DEFS_H
#define KHOPROBE_VTD_DEFS_H

#include <stdint.h>

/* Registers (offsets from the DRHD base) and their access widths. */
#define VTD_REG_VER	0x000	/* 32 */
#define VTD_REG_CAP	0x008	/* 64 */
#define VTD_REG_ECAP	0x010	/* 64 */
#define VTD_REG_GSTS	0x01c	/* 32 */
#define VTD_REG_RTADDR	0x020	/* 64 (never read the high dword alone) */
#define VTD_REG_FSTS	0x034	/* 32 */
#define VTD_REG_FECTL	0x038	/* 32 */

#define VTD_GSTS_TES	(1u << 31)
#define VTD_GSTS_RTPS	(1u << 30)
#define VTD_GSTS_FLS	(1u << 29)
#define VTD_GSTS_QIES	(1u << 26)
#define VTD_GSTS_IRES	(1u << 25)

#define VTD_FSTS_PFO	(1u << 0)
#define VTD_FSTS_PPF	(1u << 1)
#define VTD_FSTS_IQE	(1u << 4)

#define VTD_RTADDR_TTM(v)	(((v) >> 10) & 3)
#define VTD_TTM_LEGACY		0
#define VTD_TTM_SCALABLE	1

/* CAP fields */
#define VTD_CAP_ND(c)		((unsigned int)((c) & 7))
#define VTD_CAP_RWBF(c)		(((c) >> 4) & 1)
#define VTD_CAP_CM(c)		(((c) >> 7) & 1)
#define VTD_CAP_SAGAW(c)	((unsigned int)(((c) >> 8) & 0x1f))
#define VTD_CAP_MGAW(c)		((unsigned int)(((c) >> 16) & 0x3f) + 1)
#define VTD_CAP_FRO(c)		((unsigned int)(((c) >> 24) & 0x3ff) * 16)
#define VTD_CAP_SLLPS(c)	((unsigned int)(((c) >> 34) & 0xf))
#define VTD_CAP_PSI(c)		(((c) >> 39) & 1)
#define VTD_CAP_NFR(c)		((unsigned int)(((c) >> 40) & 0xff) + 1)
#define VTD_CAP_FL1GP(c)	(((c) >> 56) & 1)
#define VTD_CAP_FL5LP(c)	(((c) >> 60) & 1)

/* ECAP fields */
#define VTD_ECAP_C(e)		((e) & 1)
#define VTD_ECAP_QI(e)		(((e) >> 1) & 1)
#define VTD_ECAP_DT(e)		(((e) >> 2) & 1)
#define VTD_ECAP_IR(e)		(((e) >> 3) & 1)
#define VTD_ECAP_EIM(e)		(((e) >> 4) & 1)
#define VTD_ECAP_PT(e)		(((e) >> 6) & 1)
#define VTD_ECAP_SC(e)		(((e) >> 7) & 1)
#define VTD_ECAP_IRO(e)		((unsigned int)(((e) >> 8) & 0x3ff) * 16)
#define VTD_ECAP_NEST(e)	(((e) >> 26) & 1)
#define VTD_ECAP_PRS(e)		(((e) >> 29) & 1)
#define VTD_ECAP_PASID(e)	(((e) >> 40) & 1)
#define VTD_ECAP_SMTS(e)	(((e) >> 43) & 1)
#define VTD_ECAP_SLTS(e)	(((e) >> 46) & 1)
#define VTD_ECAP_FLTS(e)	(((e) >> 47) & 1)

/* Fault recording register, high qword */
#define VTD_FRCD_F		(1ull << 63)
#define VTD_FRCD_SID(hi)	((unsigned int)((hi) & 0xffff))
#define VTD_FRCD_FR(hi)		((unsigned int)(((hi) >> 32) & 0xff))

/* Root entry */
#define VTD_PRESENT		1ull
#define VTD_ADDR_MASK		0x000ffffffffff000ull	/* bits 51:12 */
#define VTD_PTR_MASK		0xfffffffffffff000ull	/* bits 63:12 */
#define VTD_ROOT_RSVD_LO	0xffeull		/* bits 11:1 */

/* Legacy context entry */
#define VTD_CTX_TT(lo)		((unsigned int)(((lo) >> 2) & 3))
#define VTD_TT_TRANSLATE	0
#define VTD_TT_DEVTLB		1
#define VTD_TT_PASSTHROUGH	2
#define VTD_CTX_AW(hi)		((unsigned int)((hi) & 7))
#define VTD_CTX_DID(hi)		(((hi) >> 8) & 0xffff)

/* Scalable-mode context entry */
#define VTD_SMCTX_PASIDE	(1ull << 3)
#define VTD_SMCTX_PRE		(1ull << 4)
#define VTD_SMCTX_PDTS(lo)	((unsigned int)(((lo) >> 9) & 7))
#define VTD_SMCTX_RID_PASID(hi)	((unsigned int)((hi) & 0xfffff))

/* PASID entry (qwords 0..2 of 8) */
#define VTD_PE_AW(q0)		((unsigned int)(((q0) >> 2) & 7))
#define VTD_PE_PGTT(q0)		((unsigned int)(((q0) >> 6) & 7))
#define VTD_PGTT_FS		1
#define VTD_PGTT_SS		2
#define VTD_PGTT_NESTED		3
#define VTD_PGTT_PT		4
#define VTD_PE_DID(q1)		((q1) & 0xffff)
#define VTD_PE_FLPM(q2)		((unsigned int)(((q2) >> 2) & 3))

#define VTD_PASID_ENTRY_SIZE	64
#define VTD_PASID_PER_TABLE	64
#define VTD_MAX_PASID		(1u << 20)

/* Page-table entries: second-stage (vtdss) */
#define SS_R			(1ull << 0)
#define SS_W			(1ull << 1)
#define SS_PS			(1ull << 7)
#define SS_A			(1ull << 8)
#define SS_D			(1ull << 9)
#define SS_SNP			(1ull << 11)
/* Ignored by hardware, used by software: bits 10, 52-60, 63. */
#define SS_SW			((1ull << 10) | (0x1ffull << 52) | (1ull << 63))
/* Everything neither known nor ignored: bits 2-6, 61, 62. */
#define SS_RSVD			((0x1full << 2) | (3ull << 61))

/* First-stage (x86-64 format) */
#define FS_P			(1ull << 0)
#define FS_RW			(1ull << 1)
#define FS_US			(1ull << 2)
#define FS_A			(1ull << 5)
#define FS_D			(1ull << 6)
#define FS_PS			(1ull << 7)
#define FS_PAT_LARGE		(1ull << 12)
#define FS_XD			(1ull << 63)
#define FS_TABLE_BITS		(FS_P | FS_RW | FS_US | FS_A)
/* Bits 9-11 and 52-62 are ignored; nothing else is reserved below 52. */

#endif
