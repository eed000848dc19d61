// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for khodump's input path: core bytes → ELF physmem →
 * probe_run → every renderer.  The last 9 input bytes choose the start:
 * mode (bit 0: --kho instead of --boot-params, bit 1: JSON, bit 2:
 * narration and Graphviz) and a little-endian start address.  The core part
 * is copied into a buffer of exactly its size, so any read past the file
 * is an AddressSanitizer report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../khodump/dump.h"

#define TRAILER	9

static void discard(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out sink = { discard, NULL };
	struct khodump_opts o = { 0 };
	const uint8_t *t;
	const char *why;
	uint8_t *core;
	size_t len;

	if (size < TRAILER)
		return 0;
	len = size - TRAILER;
	t = data + len;
	core = malloc(len ? len : 1);
	if (!core)
		return 0;
	memcpy(core, data, len);
	o.start = (t[0] & 1) ? PROBE_FROM_KHO_DATA : PROBE_FROM_BOOT_PARAMS;
	o.json = t[0] & 2;
	o.start_pa = get_le64(t + 1);
	o.report = &sink;
	if (t[0] & 4) {
		o.explain = &sink;
		o.dot = &sink;
	}
	khodump_core(core, len, &o, &why);
	free(core);
	return 0;
}
