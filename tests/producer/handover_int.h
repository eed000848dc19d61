/* SPDX-License-Identifier: GPL-2.0-only */
/* Internals shared by the handover builder's files. */
#ifndef KHOPROBE_HANDOVER_INT_H
#define KHOPROBE_HANDOVER_INT_H

#include "handover.h"

void hb_die(const char *what) __attribute__((noreturn));
uint64_t hb_segment(struct hb *h, uint64_t size, uint64_t align);
struct hb_subtree *hb_find_subtree(struct hb *h, const char *name);
void hb_meta_add(struct hb *h, uint64_t pa);
void hb_put_le64(void *dst, uint64_t v);

/* handover_map.c: the preserved-memory map; returns its root PA. */
uint64_t hb_write_bitmap_map(struct hb *h);
uint64_t hb_write_radix_map(struct hb *h);
/* handover_fdt.c: the KHO root FDT into h->out.fdt. */
void hb_write_kho_fdt(struct hb *h);
/* handover_luo.c: LUO blobs, FLB table, sessions; adds the LUO subtree. */
void hb_write_luo(struct hb *h);

#endif
