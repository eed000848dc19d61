// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the IOMMU layer lands: every check skips. */
#include "../lib/probe.h"

void iommu_run(struct probe *p)
{
	for (int id = CK_IOMMU_FLB; id <= CK_VTD_LEAF_TARGETS; id++)
		check_skip(&p->rep, (enum check_id)id, "not implemented");
	check_skip(&p->rep, CK_DMA_CONTAINMENT, "not implemented");
}

void iommu_hw_run(struct probe *p)
{
	for (int id = CK_VTD_DMAR_TABLE; id <= CK_VTD_HW_FAULTS; id++)
		check_skip(&p->rep, (enum check_id)id,
			   p->plat ? "not implemented" : "no hardware offline");
}

void iommu_json(struct json *j, const struct probe *p)
{
	(void)j;
	(void)p;
}

void iommu_summary(struct out *o, const struct probe *p)
{
	(void)o;
	(void)p;
}
