/* SPDX-License-Identifier: GPL-2.0-only */
/* KHO layer: boot_params → setup_data → KHO FDT, memory map, scratch. */
#ifndef KHOPROBE_KHO_H
#define KHOPROBE_KHO_H

#include <stdbool.h>
#include <stdint.h>

#include "pset.h"

struct probe;
struct json;
struct out;

/* What the KHO layer decoded; later layers read it. */
struct kho_state {
	bool present;		/* a usable KHO FDT was found */
	uint64_t fdt_pa, fdt_size, scratch_pa, scratch_size;
	struct pset preserved;	/* finished when memory_map_ok */
	bool memory_map_ok;
};

/* boot.*, kho.* (all but kho.self-in-scratch when offline). */
void kho_run_from_boot_params(struct probe *p, uint64_t boot_params_pa);
void kho_run_from_kho_data(struct probe *p, uint64_t kho_data_pa);
void kho_release(struct kho_state *k);

/* This layer's part of the JSON "handover" object and human summary. */
void kho_json(struct json *j, const struct probe *p);
void kho_summary(struct out *o, const struct probe *p);

#endif
