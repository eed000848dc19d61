/* SPDX-License-Identifier: GPL-2.0-only */
/* LUO layer: the LUO blob, sessions, files, FLBs, memfd. */
#ifndef KHOPROBE_LUO_H
#define KHOPROBE_LUO_H

#include <stdbool.h>
#include <stdint.h>

struct probe;
struct json;
struct out;

#define LUO_FLB_NAME_LEN	48
#define LUO_FLB_MAX		63

struct luo_flb {
	char name[LUO_FLB_NAME_LEN];
	uint64_t data;
	uint64_t count;
};

struct luo_state {
	bool present;
	struct luo_flb flb[LUO_FLB_MAX];
	unsigned int nflb;
	bool flb_ok;		/* luo.flb-table passed: flb[] is trustworthy */
};

/* luo.*, memfd.folios. */
void luo_run(struct probe *p);

/* This layer's part of the JSON "handover" object and human summary. */
void luo_json(struct json *j, const struct probe *p);
void luo_summary(struct out *o, const struct probe *p);

#endif
