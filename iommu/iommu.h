/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOMMU live-update state: the FLB, the restored model (units → domains →
 * devices, as the next kernel rebuilds it), the VT-d tables behind it and
 * the live VT-d hardware.
 */
#ifndef KHOPROBE_IOMMU_H
#define KHOPROBE_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct probe;
struct json;
struct out;
struct iommu_layout;

/* Bounds on hostile input. */
#define IOMMU_MAX_CHAIN_PAGES	1024	/* per array chain */
#define VTD_MAX_DRHD		16
#define VTD_MAX_RMRR		16
#define VTD_MAX_SCOPES		32	/* kept per DRHD */
#define VTD_MAX_FRCD		16	/* fault records read per unit */
#define VTD_MAX_CTX_TABLES	16384	/* context tables read, all units */
#define VTD_MAX_PASID_BYTES	(64u << 20)	/* PASID dirs+tables read */

enum iommu_chain_id { IOMMU_UNITS, IOMMU_DOMAINS, IOMMU_DEVICES, IOMMU_NCHAIN };

struct iommu_page {
	uint64_t pa;
	uint64_t nr;		/* nr_objects as written */
	uint64_t next;
	uint8_t *data;		/* the whole 4 KiB page */
	size_t first;		/* model index of its slot 0 */
};

struct iommu_chain {
	uint64_t head;
	struct iommu_page *pg;
	size_t npg;
	size_t *by_pa;		/* page indices sorted by pa */
	bool complete;		/* walked to a zero next without error */
};

/* Page-table format, from what points at the table. */
enum vtd_fmt { VTD_FMT_NONE, VTD_FMT_SS, VTD_FMT_FS };

/* A merged run of leaves: IOVA [iova, iova + len) -> PA [pa, pa + len). */
struct vtd_run {
	uint64_t iova, pa, len;
	uint8_t perm;		/* bit 0 read, bit 1 write */
};

struct iommu_unit {
	uint64_t slot;		/* PA of the iommu_hw_ser */
	uint32_t ref_count, flags;
	uint64_t token, type;
	bool live;		/* not DELETED */
	bool has_intel;		/* the layout carries the Intel union */
	uint8_t restored;
	uint64_t phys_addr, root_table;
	uint64_t bitmap[8];
	bool pad_nonzero;
	/* derived */
	unsigned int ndev;	/* live devices pointing here */
	int segment;		/* from its devices, -1 unknown */
	bool scalable;		/* inferred from the device records */
	int drhd;		/* index in hw.drhd, -1 none */
	uint8_t *root;		/* root table bytes, or NULL */
	/* context tables by bitmap bit index (512 each, once root is read) */
	uint8_t **ctx;
	uint64_t *ctx_pa;
};

struct iommu_domain {
	uint64_t slot;
	uint32_t ref_count, flags;
	uint64_t top_table_phys, top_level;
	uint32_t vasz;
	uint8_t sign_extend;
	bool has_vasz;
	uint64_t restored_domain;
	bool live;
	/* derived */
	unsigned int ndev;
	enum vtd_fmt fmt;	/* from the first device reaching it */
	unsigned int levels;	/* top_level + 1 when walked */
	bool walked;
	unsigned int leaf_bad;	/* runs vtd.leaf-targets found outside */
	uint64_t runs_lost;	/* runs not kept: out of memory */
	uint8_t leaf_levels;	/* bit L: a leaf at level L (4K, 2M, 1G) */
	uint64_t max_pa;	/* highest byte a table or leaf uses, + 1 */
	uint64_t ntables, nptes, mapped;
	struct vtd_run *run;
	size_t nrun, caprun;
};

struct iommu_device {
	uint64_t slot;
	uint32_t ref_count, flags;
	uint32_t devid, segment;
	uint64_t owner_token;
	uint64_t attachment_id, domain_phys, iommu_phys;
	uint8_t intel_restored;
	uint64_t pasid_table, max_pasid;
	bool live;
	/* derived */
	int unit, domain;	/* indices, -1 when the link is broken */
};

struct vtd_scope {
	uint8_t type, enum_id, bus, dev, fn, depth;
};

struct vtd_drhd {
	uint64_t base;
	uint16_t segment;
	uint8_t flags;
	struct vtd_scope scope[VTD_MAX_SCOPES];
	unsigned int nscope, nscope_total;
	/* registers, when read */
	bool regs;
	uint32_t ver, gsts, fsts, fectl;
	uint64_t cap, ecap, rtaddr;
	unsigned int nfrcd, npending;
	uint64_t frcd_lo[VTD_MAX_FRCD], frcd_hi[VTD_MAX_FRCD];
	int unit;		/* preserved unit index, -1 none */
};

struct vtd_rmrr {
	uint16_t segment;
	uint64_t base, limit;
};

struct vtd_hw {
	bool ran;		/* a platform was there */
	uint64_t rsdp, sdt, dmar;
	bool xsdt;
	bool dmar_ok;
	char why[160];		/* why DMAR is missing/bad */
	uint8_t haw, dmar_flags;
	struct vtd_drhd drhd[VTD_MAX_DRHD];
	unsigned int ndrhd;
	struct vtd_rmrr rmrr[VTD_MAX_RMRR];
	unsigned int nrmrr;
};

struct iommu_state {
	bool present;		/* an IOMMU FLB entry was found */
	char flb_name[48];
	uint64_t flb_pa;	/* iommu_flb_ser */
	uint64_t version;	/* versioned layouts */
	const struct iommu_layout *layout;
	char layout_note[200];	/* how the revision was chosen */
	struct iommu_chain chain[IOMMU_NCHAIN];
	bool model_ok;		/* arrays decoded into the lists below */
	struct iommu_unit *unit;
	size_t nunit;
	struct iommu_domain *dom;
	size_t ndom;
	struct iommu_device *dev;
	size_t ndev;
	/* mapping summary over every walked domain */
	uint64_t nruns, mapped, ntables, nptes;
	/* budgets against hostile input, shared by all units and devices */
	unsigned int ctx_tables_read;
	uint64_t pasid_bytes_read;
	/* scratch areas (from the KHO layer's scratch array) */
	struct { uint64_t start, end; } scratch[16];
	unsigned int nscratch;
	struct vtd_hw hw;
};

/* iommu.*, vtd.* memory checks, dma.containment. */
void iommu_run(struct probe *p);
/* vtd.dmar-table, vtd.hw-*: payload only, skip without a platform. */
void iommu_hw_run(struct probe *p);
void iommu_release(struct iommu_state *s);

/* This layer's part of the JSON "handover" object and human summary. */
void iommu_json(struct json *j, const struct probe *p);
void iommu_summary(struct out *o, const struct probe *p);

#endif
