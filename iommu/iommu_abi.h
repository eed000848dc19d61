/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IOMMU live-update FLB ABI, every revision we know of, as our own
 * packed little-endian structs (reference: iommu-series.md §1).
 *
 * The checking code never casts memory to these structs: it copies bytes
 * with phys_read and decodes with get_le*() at the offsets asserted here.
 * The structs exist so that each offset is computed by the compiler from
 * a declaration that mirrors the ABI, and pinned by _Static_assert.
 *
 * Revisions:
 *   v1  "iommu-v1" (first posting): FLB {domains, devices, units}
 *   A   "iommu-liveupdate-v1": FLB {units, domains, devices}, Intel unions,
 *       37-byte domain record (1-bit sign_extend, packed), 56-byte device
 *   B   "iommu-liveupdate" + version 1: no vendor unions (24-byte unit,
 *       40-byte device), 37-byte domain
 *   C   "iommu-liveupdate" + version 1: Intel unions, dma_owner_token,
 *       u8 sign_extend + pad (40-byte domain), 72-byte device
 * and v2 as posted may have had a 32-byte domain without vasz/sign_extend.
 */
#ifndef KHOPROBE_IOMMU_ABI_H
#define KHOPROBE_IOMMU_ABI_H

#include <stddef.h>
#include <stdint.h>

#define IOMMU_ARRAY_PAGE	4096u
#define IOMMU_FLB_VERSION	1u

#define IOMMU_SER_FLAG_DELETED	0x1u
#define IOMMU_SER_FLAG_INCOMING	0x2u

#define IOMMU_TYPE_INVALID	0u
#define IOMMU_TYPE_INTEL	1u
#define IOMMU_TYPE_ARM_SMMUV3	2u

#define ABI_PACKED __attribute__((packed))

/* ---- FLB top level ---------------------------------------------------- */

struct iommu_flb_ser_v1post {		/* "iommu-v1" */
	uint64_t iommu_domains_phys;
	uint64_t devices_phys;
	uint64_t iommus_phys;
} ABI_PACKED;

struct iommu_flb_ser_a {		/* "iommu-liveupdate-v1" */
	uint64_t iommu_array_phys;
	uint64_t iommu_domain_array_phys;
	uint64_t device_array_phys;
} ABI_PACKED;

struct iommu_flb_ser_bc {		/* "iommu-liveupdate", versioned */
	uint64_t version;
	uint64_t iommu_array_phys;
	uint64_t iommu_domain_array_phys;
	uint64_t device_array_phys;
} ABI_PACKED;

_Static_assert(sizeof(struct iommu_flb_ser_v1post) == 24, "v1 FLB size");
_Static_assert(offsetof(struct iommu_flb_ser_v1post, iommus_phys) == 16,
	       "v1 FLB units");
_Static_assert(sizeof(struct iommu_flb_ser_a) == 24, "A FLB size");
_Static_assert(offsetof(struct iommu_flb_ser_a, device_array_phys) == 16,
	       "A FLB devices");
_Static_assert(sizeof(struct iommu_flb_ser_bc) == 32, "B/C FLB size");
_Static_assert(offsetof(struct iommu_flb_ser_bc, iommu_array_phys) == 8,
	       "B/C FLB units");
_Static_assert(offsetof(struct iommu_flb_ser_bc, device_array_phys) == 24,
	       "B/C FLB devices");

/* ---- array pages and object header ------------------------------------ */

struct iommu_array_hdr_ser {
	uint64_t next_array_phys;
	uint64_t nr_objects;
} ABI_PACKED;

struct iommu_hdr_ser {
	uint32_t ref_count;
	uint32_t flags;		/* v2 as posted: deleted:1, incoming:1 */
} ABI_PACKED;

_Static_assert(sizeof(struct iommu_array_hdr_ser) == 16, "array header");
_Static_assert(sizeof(struct iommu_hdr_ser) == 8, "object header");
_Static_assert(offsetof(struct iommu_hdr_ser, flags) == 4, "hdr flags");

/* ---- HW unit ------------------------------------------------------------ */

struct iommu_intel_ser {		/* naturally aligned, 88 bytes */
	uint8_t restored;
	uint8_t padding[7];
	uint64_t phys_addr;
	uint64_t root_table;
	uint64_t context_tables_bitmap[8];
};

struct iommu_hw_ser_intel {		/* revisions v1, A, C */
	struct iommu_hdr_ser hdr;
	uint64_t token;
	uint64_t type;
	struct iommu_intel_ser intel;
} ABI_PACKED;

struct iommu_hw_ser_bare {		/* revision B: no vendor union */
	struct iommu_hdr_ser hdr;
	uint64_t token;
	uint64_t type;
} ABI_PACKED;

_Static_assert(sizeof(struct iommu_intel_ser) == 88, "intel unit union");
_Static_assert(offsetof(struct iommu_intel_ser, phys_addr) == 8, "phys_addr");
_Static_assert(offsetof(struct iommu_intel_ser, root_table) == 16, "root");
_Static_assert(offsetof(struct iommu_intel_ser, context_tables_bitmap) == 24,
	       "bitmap");
_Static_assert(sizeof(struct iommu_hw_ser_intel) == 112, "unit size");
_Static_assert(offsetof(struct iommu_hw_ser_intel, token) == 8, "token");
_Static_assert(offsetof(struct iommu_hw_ser_intel, type) == 16, "type");
_Static_assert(offsetof(struct iommu_hw_ser_intel, intel) == 24, "intel");
_Static_assert(sizeof(struct iommu_hw_ser_bare) == 24, "bare unit size");

/* ---- domain ------------------------------------------------------------- */

struct iommu_domain_ser_32 {		/* v2 DOC diagram: no vasz */
	struct iommu_hdr_ser hdr;
	uint64_t top_table_phys;
	uint64_t top_level;
	uint64_t restored_domain;
} ABI_PACKED;

struct iommu_domain_ser_37 {		/* revisions A, B */
	struct iommu_hdr_ser hdr;
	uint64_t top_table_phys;
	uint64_t top_level;
	uint32_t vasz;
	uint32_t sign_extend : 1;	/* packed to the bit: 1 byte used */
	uint64_t restored_domain;	/* unaligned, byte 29 */
} ABI_PACKED;

struct iommu_domain_ser_40 {		/* revision C */
	struct iommu_hdr_ser hdr;
	uint64_t top_table_phys;
	uint64_t top_level;
	uint32_t vasz;
	uint8_t sign_extend;
	uint8_t padding[3];
	uint64_t restored_domain;
} ABI_PACKED;

_Static_assert(sizeof(struct iommu_domain_ser_32) == 32, "domain 32");
_Static_assert(offsetof(struct iommu_domain_ser_32, restored_domain) == 24,
	       "domain 32 restored");
_Static_assert(sizeof(struct iommu_domain_ser_37) == 37, "domain 37");
_Static_assert(offsetof(struct iommu_domain_ser_37, vasz) == 24, "vasz");
_Static_assert(offsetof(struct iommu_domain_ser_37, restored_domain) == 29,
	       "domain 37 restored");
_Static_assert(sizeof(struct iommu_domain_ser_40) == 40, "domain 40");
_Static_assert(offsetof(struct iommu_domain_ser_40, sign_extend) == 28,
	       "sign_extend");
_Static_assert(offsetof(struct iommu_domain_ser_40, restored_domain) == 32,
	       "domain 40 restored");

/* ---- device ------------------------------------------------------------- */

struct iommu_dev_map_ser {
	uint64_t attachment_id;		/* VT-d: the DID */
	uint64_t domain_phys;		/* a domain slot */
	uint64_t iommu_phys;		/* a unit slot */
} ABI_PACKED;

struct iommu_device_intel_ser_a {
	uint64_t pasid_table;		/* PASID directory PA */
	uint64_t max_pasid;
} ABI_PACKED;

struct iommu_device_intel_ser_c {
	uint8_t restored;
	uint8_t padding[7];
	uint64_t pasid_table;
	uint64_t max_pasid;
} ABI_PACKED;

struct iommu_device_ser_a {		/* v1, A: 56 bytes */
	struct iommu_hdr_ser hdr;
	uint32_t devid;			/* bus << 8 | devfn */
	uint32_t pci_domain_nr;
	struct iommu_dev_map_ser domain_iommu_ser;
	struct iommu_device_intel_ser_a intel;
} ABI_PACKED;

struct iommu_device_ser_b {		/* B: 40 bytes */
	struct iommu_hdr_ser hdr;
	uint32_t devid;
	uint32_t pci_domain_nr;
	struct iommu_dev_map_ser domain_iommu_ser;
} ABI_PACKED;

struct iommu_device_ser_c {		/* C: 72 bytes */
	struct iommu_hdr_ser hdr;
	uint32_t devid;
	uint32_t pci_domain_nr;
	uint64_t dma_owner_token;
	struct iommu_dev_map_ser domain_iommu_ser;
	struct iommu_device_intel_ser_c intel;
} ABI_PACKED;

_Static_assert(sizeof(struct iommu_dev_map_ser) == 24, "dev map");
_Static_assert(offsetof(struct iommu_dev_map_ser, domain_phys) == 8, "dphys");
_Static_assert(offsetof(struct iommu_dev_map_ser, iommu_phys) == 16, "iphys");
_Static_assert(sizeof(struct iommu_device_ser_a) == 56, "device A");
_Static_assert(offsetof(struct iommu_device_ser_a, devid) == 8, "devid");
_Static_assert(offsetof(struct iommu_device_ser_a, pci_domain_nr) == 12,
	       "segment");
_Static_assert(offsetof(struct iommu_device_ser_a, domain_iommu_ser) == 16,
	       "device A map");
_Static_assert(offsetof(struct iommu_device_ser_a, intel) == 40,
	       "device A intel");
_Static_assert(sizeof(struct iommu_device_ser_b) == 40, "device B");
_Static_assert(sizeof(struct iommu_device_ser_c) == 72, "device C");
_Static_assert(offsetof(struct iommu_device_ser_c, dma_owner_token) == 16,
	       "owner token");
_Static_assert(offsetof(struct iommu_device_ser_c, domain_iommu_ser) == 24,
	       "device C map");
_Static_assert(offsetof(struct iommu_device_ser_c, intel) == 48,
	       "device C intel");
_Static_assert(offsetof(struct iommu_device_ser_c, intel.pasid_table) == 56,
	       "device C pasid");

/* ---- layouts: one combination of the pieces above ----------------------- */

enum iommu_hw_kind { IOMMU_HW_INTEL, IOMMU_HW_BARE };
enum iommu_dom_kind { IOMMU_DOM_32, IOMMU_DOM_37, IOMMU_DOM_40 };
enum iommu_dev_kind { IOMMU_DEV_A, IOMMU_DEV_B, IOMMU_DEV_C };
enum iommu_flb_kind { IOMMU_FLB_V1POST, IOMMU_FLB_A, IOMMU_FLB_VERSIONED };

struct iommu_layout {
	const char *rev;		/* "A", "B", "C", "v1", "v2?" */
	const char *what;		/* one line for reports */
	enum iommu_flb_kind flb;
	enum iommu_hw_kind hw;
	enum iommu_dom_kind dom;
	enum iommu_dev_kind dev;
	/* derived sizes and offsets */
	unsigned int flb_size, off_units, off_domains, off_devices;
	unsigned int hw_size, dom_size, dev_size;
	unsigned int dom_off_vasz, dom_off_sign, dom_off_restored;
	unsigned int dev_off_owner, dev_off_map, dev_off_intel;
	unsigned int dev_intel_restored;	/* 1 when the union has it */
	unsigned int dev_off_pasid, dev_off_max_pasid;
};

/* Objects that fit in one array page of that stride. */
static inline unsigned int iommu_capacity(unsigned int stride)
{
	return (IOMMU_ARRAY_PAGE - 16) / stride;
}

/*
 * The candidate layouts for an FLB name, most likely first; *n receives
 * the count, 0 for a name we do not know.
 */
const struct iommu_layout *iommu_layouts_for(const char *name, size_t *n);
/* True for every IOMMU FLB name the tool knows. */
int iommu_flb_name_known(const char *name);

#endif
