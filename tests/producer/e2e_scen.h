/* SPDX-License-Identifier: GPL-2.0-only */
/* The end-to-end scenario builder, shared by the e2e*.c scenario files. */
#ifndef KHOPROBE_E2E_SCEN_H
#define KHOPROBE_E2E_SCEN_H

#include <stdint.h>

#include "handover.h"

/*
 * edu 00:02.0 in a preserved domain, plus the stand-in's descriptor with
 * @flags (tests/standin/e2e_desc.h).
 */
void e2e_build(struct hb *h, uint32_t flags);

/* Register an e2e scenario built by @fn (as a memory image it is valid). */
#define E2E_SCENARIO_FN(id, nm, fn, desc)				\
	HB_SCENARIO(id) = { .name = nm, .description = desc,		\
			    .expect_pass = true, .build = fn,		\
			    .kho = HB_KHO_V3, .luo = HB_LUO_STRUCT_B }

/* Register the e2e handover with the stand-in descriptor's @flags. */
#define E2E_SCENARIO(id, nm, flags, desc)				\
	static void id##_build(struct hb *h) { e2e_build(h, flags); }	\
	E2E_SCENARIO_FN(id, nm, id##_build, desc)

#endif
