/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The check catalogue (spec/checks.md) and the results of one run.
 *
 * IDs are stable: the enum order is the report order and the strings are
 * what users grep for.  Add a check by adding a line to CHECK_LIST.
 */
#ifndef KHOPROBE_CHECKS_H
#define KHOPROBE_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#define CHECK_LIST(X)					\
	X(BOOT_PARAMS,		"boot.params")		\
	X(BOOT_SETUP_DATA,	"boot.setup-data")	\
	X(KHO_PRESENT,		"kho.present")		\
	X(KHO_FDT,		"kho.fdt")		\
	X(KHO_COMPATIBLE,	"kho.compatible")	\
	X(KHO_MEMORY_MAP,	"kho.memory-map")	\
	X(KHO_SCRATCH,		"kho.scratch")		\
	X(KHO_SCRATCH_DISJOINT,	"kho.scratch-disjoint")	\
	X(KHO_PRESERVED_OVERLAP, "kho.preserved-overlap") \
	X(KHO_SUBTREES,		"kho.subtrees")		\
	X(KHO_SELF_IN_SCRATCH,	"kho.self-in-scratch")	\
	X(LUO_PRESENT,		"luo.present")		\
	X(LUO_HEADER,		"luo.header")		\
	X(LUO_FLB_TABLE,	"luo.flb-table")	\
	X(LUO_SESSIONS,		"luo.sessions")		\
	X(MEMFD_FOLIOS,		"memfd.folios")		\
	X(IOMMU_FLB,		"iommu.flb")		\
	X(IOMMU_FLB_VERSION,	"iommu.flb-version")	\
	X(IOMMU_ARRAYS,		"iommu.arrays")		\
	X(IOMMU_HEADERS,	"iommu.headers")	\
	X(IOMMU_UNITS,		"iommu.units")		\
	X(IOMMU_UNIT_REFCOUNT,	"iommu.unit-refcount")	\
	X(IOMMU_DEVICE_LINKS,	"iommu.device-links")	\
	X(IOMMU_DOMAINS,	"iommu.domains")	\
	X(IOMMU_DID,		"iommu.did")		\
	X(VTD_ROOT_TABLE,	"vtd.root-table")	\
	X(VTD_CONTEXT_TABLES,	"vtd.context-tables")	\
	X(VTD_DEVICE_CONTEXT,	"vtd.device-context")	\
	X(VTD_PASID,		"vtd.pasid")		\
	X(VTD_PAGE_TABLES,	"vtd.page-tables")	\
	X(VTD_LEAF_TARGETS,	"vtd.leaf-targets")	\
	X(VTD_DMAR_TABLE,	"vtd.dmar-table")	\
	X(VTD_HW_TRANSLATION,	"vtd.hw-translation")	\
	X(VTD_HW_FAULTS,	"vtd.hw-faults")	\
	X(VTD_RESTORE,		"vtd.restore")		\
	X(DMA_CONTAINMENT,	"dma.containment")	\
	X(DMA_LIVE,		"dma.live")		\
	X(CHAIN_INTACT,		"chain.intact")

enum check_id {
#define CHECK_ENUM(sym, name) CK_##sym,
	CHECK_LIST(CHECK_ENUM)
#undef CHECK_ENUM
	CK_COUNT
};

enum check_status {
	CHECK_NOT_RUN = 0,	/* reported as skip, "not run" */
	CHECK_SKIP,
	CHECK_PASS,
	CHECK_FAIL,
};

#define CHECK_DETAIL_LEN	200
#define CHECK_MAX_EXTRA		7	/* further failure lines kept per check */

struct check_result {
	enum check_status status;
	char detail[CHECK_DETAIL_LEN];	/* first failure, or pass/skip note */
	unsigned int nfail;		/* failures recorded, >= 1 if FAIL */
	unsigned int nwarn;
	unsigned int nextra;
	char extra[CHECK_MAX_EXTRA][CHECK_DETAIL_LEN];
};

struct report {
	struct check_result r[CK_COUNT];
};

const char *check_name(enum check_id id);
/* Returns CK_COUNT when @name is not a catalogue ID. */
enum check_id check_lookup(const char *name);
const char *check_status_name(enum check_status st);

void report_init(struct report *rep);

/*
 * Record an outcome.  A failure always wins over pass and skip; the first
 * failure's reason is the detail, later ones are kept as extra lines (up to
 * CHECK_MAX_EXTRA) and counted.  check_pass() on a check that already
 * failed keeps the failure.  check_skip() never overrides pass or fail.
 */
void check_pass(struct report *rep, enum check_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_fail(struct report *rep, enum check_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_skip(struct report *rep, enum check_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A warning: noted in the detail, does not change the status. */
void check_warn(struct report *rep, enum check_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Mark a check passed unless something failed it already: the usual way to
 * close a check whose code calls check_fail() for each violation found.
 */
void check_done(struct report *rep, enum check_id id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool check_failed(const struct report *rep, enum check_id id);
bool check_passed(const struct report *rep, enum check_id id);
/* "pass" unless any check failed. */
bool report_verdict_pass(const struct report *rep);

#endif
