/* SPDX-License-Identifier: GPL-2.0-only */
/* IOMMU live-update state: the FLB, the restored model, VT-d tables. */
#ifndef KHOPROBE_IOMMU_H
#define KHOPROBE_IOMMU_H

#include <stdbool.h>
#include <stdint.h>

struct probe;
struct json;
struct out;

struct iommu_state {
	bool present;
};

/* iommu.*, vtd.* memory checks, dma.containment. */
void iommu_run(struct probe *p);
/* vtd.dmar-table, vtd.hw-*: payload only, skip without a platform. */
void iommu_hw_run(struct probe *p);

/* This layer's part of the JSON "handover" object and human summary. */
void iommu_json(struct json *j, const struct probe *p);
void iommu_summary(struct out *o, const struct probe *p);

#endif
