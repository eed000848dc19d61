/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rendering one run's results: the human report, KTAP and the JSON object
 * (spec/interfaces.md).  Both programs print through these, so their
 * outputs match line for line.
 */
#ifndef KHOPROBE_REPORT_H
#define KHOPROBE_REPORT_H

#include "checks.h"
#include "json.h"
#include "out.h"

#define KHOPROBE_VERSION	"0.1.0"

/* Fills the "handover" member of the JSON object; may be NULL. */
typedef void (*report_json_fn)(struct json *j, void *arg);

/* One line per check: "[PASS] kho.fdt: detail", extra failure lines. */
void report_human(struct out *o, const struct report *rep);
/* KTAP version 1, one test per check ID, skips as "# SKIP". */
void report_ktap(struct out *o, const struct report *rep);
/*
 * The JSON object of interfaces.md, without a trailing newline:
 * {"tool":..., "version":..., "verdict":..., "checks":[...], "handover":{...}}
 */
void report_json(struct out *o, const struct report *rep, const char *tool,
		 report_json_fn handover, void *arg);

#endif
