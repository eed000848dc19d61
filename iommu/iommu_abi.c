// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which layouts each FLB name may mean.  The name (and for the versioned
 * name the version) narrows the choice; the data picks among what is left
 * (iommu_chain.c) and the report says which one it was.
 */
#include <string.h>

#include "iommu_abi.h"

#define DOM32(f) offsetof(struct iommu_domain_ser_32, f)
#define DOM40(f) offsetof(struct iommu_domain_ser_40, f)
#define DEVA(f) offsetof(struct iommu_device_ser_a, f)
#define DEVB(f) offsetof(struct iommu_device_ser_b, f)
#define DEVC(f) offsetof(struct iommu_device_ser_c, f)

/* The 1-bit sign_extend lives in byte 28 of the 37-byte record. */
#define DOM37_SIGN	28u
#define DOM37_RESTORED	29u

#define FLB_V1POST							\
	.flb = IOMMU_FLB_V1POST, .flb_size = 24,			\
	.off_units = offsetof(struct iommu_flb_ser_v1post, iommus_phys), \
	.off_domains = offsetof(struct iommu_flb_ser_v1post, iommu_domains_phys), \
	.off_devices = offsetof(struct iommu_flb_ser_v1post, devices_phys)
#define FLB_A								\
	.flb = IOMMU_FLB_A, .flb_size = 24,				\
	.off_units = offsetof(struct iommu_flb_ser_a, iommu_array_phys), \
	.off_domains = offsetof(struct iommu_flb_ser_a, iommu_domain_array_phys), \
	.off_devices = offsetof(struct iommu_flb_ser_a, device_array_phys)
#define FLB_BC								\
	.flb = IOMMU_FLB_VERSIONED, .flb_size = 32,			\
	.off_units = offsetof(struct iommu_flb_ser_bc, iommu_array_phys), \
	.off_domains = offsetof(struct iommu_flb_ser_bc, iommu_domain_array_phys), \
	.off_devices = offsetof(struct iommu_flb_ser_bc, device_array_phys)

#define HW_INTEL .hw = IOMMU_HW_INTEL, .hw_size = sizeof(struct iommu_hw_ser_intel)
#define HW_BARE .hw = IOMMU_HW_BARE, .hw_size = sizeof(struct iommu_hw_ser_bare)

#define DOM_32 .dom = IOMMU_DOM_32, .dom_size = 32,			\
	.dom_off_restored = DOM32(restored_domain)
#define DOM_37 .dom = IOMMU_DOM_37, .dom_size = 37,			\
	.dom_off_vasz = 24, .dom_off_sign = DOM37_SIGN,			\
	.dom_off_restored = DOM37_RESTORED
#define DOM_40 .dom = IOMMU_DOM_40, .dom_size = 40,			\
	.dom_off_vasz = DOM40(vasz), .dom_off_sign = DOM40(sign_extend), \
	.dom_off_restored = DOM40(restored_domain)

#define DEV_A .dev = IOMMU_DEV_A, .dev_size = 56,			\
	.dev_off_map = DEVA(domain_iommu_ser), .dev_off_intel = DEVA(intel), \
	.dev_off_pasid = DEVA(intel.pasid_table),			\
	.dev_off_max_pasid = DEVA(intel.max_pasid)
#define DEV_B .dev = IOMMU_DEV_B, .dev_size = 40,			\
	.dev_off_map = DEVB(domain_iommu_ser)
#define DEV_C .dev = IOMMU_DEV_C, .dev_size = 72,			\
	.dev_off_owner = DEVC(dma_owner_token),				\
	.dev_off_map = DEVC(domain_iommu_ser), .dev_off_intel = DEVC(intel), \
	.dev_intel_restored = 1,					\
	.dev_off_pasid = DEVC(intel.pasid_table),			\
	.dev_off_max_pasid = DEVC(intel.max_pasid)

_Static_assert(DOM37_RESTORED ==
	       offsetof(struct iommu_domain_ser_37, restored_domain),
	       "37-byte record offsets");

static const struct iommu_layout v1post[] = {
	{ .rev = "v1", .what = "first posting (iommu-v1), 32-byte domains, "
	  "56-byte devices", FLB_V1POST, HW_INTEL, DOM_32, DEV_A },
	{ .rev = "v1", .what = "first posting (iommu-v1), 37-byte domains, "
	  "56-byte devices", FLB_V1POST, HW_INTEL, DOM_37, DEV_A },
};

static const struct iommu_layout unversioned[] = {
	{ .rev = "A", .what = "revision A: 37-byte domains, 56-byte devices",
	  FLB_A, HW_INTEL, DOM_37, DEV_A },
	{ .rev = "A+", .what = "revision A with the 40-byte domain record, "
	  "56-byte devices", FLB_A, HW_INTEL, DOM_40, DEV_A },
	{ .rev = "A+C", .what = "revision A with the 40-byte domain record "
	  "and 72-byte devices", FLB_A, HW_INTEL, DOM_40, DEV_C },
	{ .rev = "A/C", .what = "revision A with 37-byte domains and "
	  "72-byte devices", FLB_A, HW_INTEL, DOM_37, DEV_C },
	{ .rev = "v2", .what = "v2 as posted: 32-byte domains (no vasz), "
	  "56-byte devices", FLB_A, HW_INTEL, DOM_32, DEV_A },
};

static const struct iommu_layout versioned[] = {
	{ .rev = "C", .what = "revision C: 40-byte domains, 72-byte devices, "
	  "Intel unions", FLB_BC, HW_INTEL, DOM_40, DEV_C },
	{ .rev = "B", .what = "revision B: no vendor unions, 37-byte domains, "
	  "40-byte devices", FLB_BC, HW_BARE, DOM_37, DEV_B },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct iommu_layout *iommu_layouts_for(const char *name, size_t *n)
{
	if (!strcmp(name, "iommu-liveupdate-v1")) {
		*n = N(unversioned);
		return unversioned;
	}
	if (!strcmp(name, "iommu-liveupdate")) {
		*n = N(versioned);
		return versioned;
	}
	if (!strcmp(name, "iommu-v1")) {
		*n = N(v1post);
		return v1post;
	}
	*n = 0;
	return NULL;
}

int iommu_flb_name_known(const char *name)
{
	size_t n;

	return iommu_layouts_for(name, &n) != NULL;
}
