/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A probe that starts where the VT-d layer does, for tests and benchmarks
 * that build IOMMU state directly (vtd_build.h) without a whole handover.
 */
#ifndef KHOPROBE_VTD_PROBE_H
#define KHOPROBE_VTD_PROBE_H

#include <stdint.h>

#include "../../kho/pset.h"
#include "../../lib/platform.h"
#include "gmem.h"

struct physmem;
struct probe;

/*
 * The KHO layer as decoded: @ps (finished here, then moved into the
 * probe) is the preserved set, the canonical scratch area 0 the scratch.
 * The LUO layer: one FLB entry @flb_name at @flb, or no LUO state when
 * @flb_name is NULL.  Memory is read from @g through @pm; @plat is NULL
 * offline.  The caller runs the layers and probe_release()s and frees it.
 */
struct probe *vtd_probe_new(struct gmem *g, struct physmem *pm,
			    struct pset *ps, const struct platform *plat,
			    const char *flb_name, uint64_t flb);

#endif
