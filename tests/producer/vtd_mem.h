/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory sources for the VT-d producer (vtd_build.h). */
#ifndef KHOPROBE_VTD_MEM_H
#define KHOPROBE_VTD_MEM_H

#include "../../kho/pset.h"
#include "gmem.h"
#include "vtd_build.h"

struct vtd_gmem {
	struct gmem *g;
	struct galloc a;
	struct pset *ps;
};

/* Allocate from [start, end) of @g; preserved blocks go to @ps. */
void vtd_mem_gmem(struct vtd_mem *m, struct vtd_gmem *v, struct gmem *g,
		  struct pset *ps, uint64_t start, uint64_t end);

#endif
