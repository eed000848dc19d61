/* SPDX-License-Identifier: GPL-2.0-only */
/* Internals of the LUO layer, split by concern across luo_*.c, memfd.c. */
#ifndef KHOPROBE_LUO_INT_H
#define KHOPROBE_LUO_INT_H

#include "kho_int.h"

#define LUO_SESSION_ENTRY	80
#define LUO_FILE_ENTRY		64
#define LUO_FLB_ENTRY		64
#define LUO_BLOCK_HDR		16
#define LUO_MAX_BLOCKS		10000	/* KHO_MAX_BLOCKS of the block ABI */

/*
 * @pa must be the head of a preserved block holding at least @need bytes;
 * a different order than @want_order (-1: any) is a warning.  Failures go
 * to check @id, naming @what.  True when it is; the block goes to @b (may
 * be NULL).
 */
bool luo_head(struct probe *p, enum check_id id, uint64_t pa,
	      const char *what, int want_order, uint64_t need, struct pblock *b);

/*
 * Spend @n units of the LUO walk's budget; false (and one failure on @id)
 * once it is exhausted, and the walk stops.
 */
bool luo_spend(struct probe *p, enum check_id id, uint64_t n);

/* luo_header.c: luo.header; fills gen, flb_pa, sessions_pa. */
void luo_check_header(struct probe *p);
/* luo_flb.c: luo.flb-table; fills flb[], flb_ok. */
void luo_check_flb(struct probe *p);
/* luo_sessions.c: luo.sessions (and memfd.folios through memfd.c). */
void luo_check_sessions(struct probe *p);

/*
 * A KHO block chain of @entry-byte records starting at @first: calls @fn
 * for each record (with its PA); returns records visited, failures noted
 * on check @id.
 */
typedef void (*luo_entry_fn)(struct probe *p, void *ctx, uint64_t pa,
			     const uint8_t *rec);
uint64_t luo_walk_chain(struct probe *p, enum check_id id, uint64_t first,
			unsigned int entry, const char *what, luo_entry_fn fn,
			void *ctx);

/* memfd.c: memfd.folios for one memfd-v1 file record. */
void memfd_check_file(struct probe *p, struct luo_file *f);

#endif
