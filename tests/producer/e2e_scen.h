/* SPDX-License-Identifier: GPL-2.0-only */
/* The end-to-end scenario builder, shared by the e2e*.c scenario files. */
#ifndef KHOPROBE_E2E_SCEN_H
#define KHOPROBE_E2E_SCEN_H

#include <stdint.h>

struct hb;

/*
 * edu 00:02.0 in a preserved domain, plus the stand-in's descriptor with
 * @flags (tests/standin/e2e_desc.h).
 */
void e2e_build(struct hb *h, uint32_t flags);

#endif
