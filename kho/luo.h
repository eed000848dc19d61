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
#define LUO_SESSION_NAME_LEN	64
#define LUO_FILE_NAME_LEN	48
/* Recorded for reports; more are checked but not kept. */
#define LUO_SESSIONS_KEPT	64
#define LUO_FILES_KEPT		256
/*
 * Records, blocks and folio pages the LUO walk may visit in all: session
 * and file chains may share blocks, so per-chain bounds alone do not bound
 * a hostile handover.
 */
#define LUO_MAX_WORK		(1u << 26)

enum luo_gen {
	LUO_GEN_UNKNOWN = 0,
	LUO_GEN_FDT,		/* luo-v1 FDT: luo-session, luo-flb nodes */
	LUO_GEN_STRUCT_A,	/* luo_ser {"luo-v3", num, sessions, flbs} */
	LUO_GEN_STRUCT_B,	/* luo_ser {features, num, sessions, flbs} */
};

struct luo_flb {
	char name[LUO_FLB_NAME_LEN];
	uint64_t data;
	uint64_t count;
};

struct luo_session {
	char name[LUO_SESSION_NAME_LEN];
	uint64_t files_pa;
	uint64_t nfiles;
};

struct luo_file {
	unsigned int session;		/* index into sessions[] */
	char compatible[LUO_FILE_NAME_LEN];
	uint64_t data, token;
	/* memfd-v1 only */
	bool memfd, memfd_ok;
	uint64_t memfd_size, memfd_folios, memfd_bytes;
};

struct luo_state {
	bool present;
	struct luo_flb flb[LUO_FLB_MAX];
	unsigned int nflb;
	bool flb_ok;		/* luo.flb-table passed: flb[] is trustworthy */

	enum luo_gen gen;
	uint64_t blob_pa, blob_size;
	bool header_ok;
	uint64_t liveupdate_num;
	bool has_num;
	uint64_t flb_pa;	/* 0: no FLB table */
	uint64_t sessions_pa;	/* session block or first block; 0: none */
	bool has_sessions;	/* a session pointer exists in the header */
	struct luo_session sessions[LUO_SESSIONS_KEPT];
	unsigned int nsessions;		/* kept */
	uint64_t total_sessions, total_files;
	struct luo_file files[LUO_FILES_KEPT];
	unsigned int nfiles;		/* kept */
	unsigned int nmemfd;		/* memfd-v1 files checked */
	uint64_t work;			/* records and pages visited (bounded) */
	uint64_t budget;		/* 0: LUO_MAX_WORK (tests set less) */
	bool over_budget;
};

/* luo.*, memfd.folios. */
void luo_run(struct probe *p);

/* This layer's part of the JSON "handover" object and human summary. */
void luo_json(struct json *j, const struct probe *p);
void luo_summary(struct out *o, const struct probe *p);

#endif
