/* SPDX-License-Identifier: GPL-2.0-only */
/* khodump's work on a core already in memory (shared with the fuzzer). */
#ifndef KHOPROBE_DUMP_H
#define KHOPROBE_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../lib/probe.h"

#define KHODUMP_OK	0
#define KHODUMP_FAIL	1
#define KHODUMP_UNUSABLE 2

struct khodump_opts {
	bool json;
	enum probe_start start;
	uint64_t start_pa;
	struct out *report;	/* human report or JSON */
	struct out *explain;	/* narration, or NULL */
	struct out *dot;	/* whole digraph, or NULL */
};

/* Exit status per spec/interfaces.md; *why set when it is 2. */
int khodump_core(const uint8_t *buf, size_t len,
		 const struct khodump_opts *o, const char **why);

#endif
