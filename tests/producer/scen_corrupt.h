/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shorthands for the corrupt-scenario files: each scenario builds the
 * typical valid content, breaks one invariant in a hook and names the
 * check that must catch it.
 */
#ifndef KHOPROBE_SCEN_CORRUPT_H
#define KHOPROBE_SCEN_CORRUPT_H

#include "handover.h"

#define CORRUPT(id, nm, k, l, check, fn, desc)				\
	HB_SCENARIO(id) = { .name = nm, .description = desc,		\
			    .expect_pass = false, .fail_check = check,	\
			    .build = fn, .kho = k, .luo = l }

/* Build the typical content, then run @body after hb_finish. */
#define AFTER(fname, body)						\
	static void fname##_hook(struct hb *h) { body; }		\
	static void fname(struct hb *h)					\
	{								\
		hb_typical(h);						\
		h->after_finish = fname##_hook;				\
	}

static inline void u64_at(struct hb *h, uint64_t pa, uint64_t v)
{
	gmem_write_u64(h->g, pa, v);
}

#endif
