// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkhandover: build one catalogue scenario as an ELF core, or as raw
 * segment files for QEMU's generic loader.
 *
 *   mkhandover --list
 *   mkhandover NAME -o core.elf
 *   mkhandover NAME --segments DIR
 *
 * Prints boot_params=, kho_data=, expect= and fail_check= lines (and the
 * QEMU -device loader arguments with --segments).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../handover.h"
#include "../../../tools/khodump/elfmem.h"

static int list(void)
{
	size_t n;
	const struct hb_scenario *const *all = hb_scenarios(&n);

	for (size_t i = 0; i < n; i++)
		printf("%s\t%s\t%s\t%s\n", all[i]->name,
		       all[i]->expect_pass ? "pass" : "fail",
		       all[i]->fail_check ? all[i]->fail_check : "-",
		       all[i]->description);
	return 0;
}

static int slurp(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long sz;

	if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		return -1;
	*len = (size_t)sz;
	*buf = malloc(*len + 1);
	if (!*buf || fread(*buf, 1, *len, f) != *len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* One raw file per PT_LOAD with file bytes, and its loader argument. */
static int write_segments(const char *dir, const char *core)
{
	struct elfmem m;
	const char *why;
	uint8_t *buf;
	size_t len;

	if (slurp(core, &buf, &len) || elfmem_open(&m, buf, len, &why)) {
		fprintf(stderr, "mkhandover: cannot reread %s\n", core);
		return -1;
	}
	for (size_t i = 0; i < m.nseg; i++) {
		const struct elfmem_seg *s = &m.seg[i];
		char path[4096];
		FILE *f;

		if (!s->filesz)
			continue;
		snprintf(path, sizeof(path), "%s/seg-%09llx.bin", dir,
			 (unsigned long long)s->pa);
		f = fopen(path, "wb");
		if (!f || fwrite(buf + s->off, 1, s->filesz, f) != s->filesz ||
		    fclose(f)) {
			fprintf(stderr, "mkhandover: %s: %s\n", path, strerror(errno));
			return -1;
		}
		printf("-device loader,file=%s,addr=0x%llx,force-raw=on\n", path,
		       (unsigned long long)s->pa);
	}
	elfmem_close(&m);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	const struct hb_scenario *s;
	const char *out = NULL, *segdir = NULL;
	char core[4096];
	struct hb h;
	uint64_t bp;

	if (argc == 2 && !strcmp(argv[1], "--list"))
		return list();
	if (argc != 4 || (strcmp(argv[2], "-o") && strcmp(argv[2], "--segments"))) {
		fprintf(stderr, "usage: mkhandover --list | NAME -o CORE | "
			"NAME --segments DIR\n");
		return 2;
	}
	s = hb_scenario_find(argv[1]);
	if (!s) {
		fprintf(stderr, "mkhandover: no scenario '%s' (see --list)\n", argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "-o")) {
		out = argv[3];
	} else {
		segdir = argv[3];
		mkdir(segdir, 0777);
		snprintf(core, sizeof(core), "%s/core.elf", segdir);
		out = core;
	}
	bp = hb_build_scenario(&h, s);
	if (gmem_write_core(h.g, out)) {
		fprintf(stderr, "mkhandover: cannot write %s\n", out);
		return 1;
	}
	printf("boot_params=0x%llx\nkho_data=0x%llx\nexpect=%s\nfail_check=%s\n",
	       (unsigned long long)bp, (unsigned long long)h.out.kho_data,
	       s->expect_pass ? "pass" : "fail",
	       s->fail_check ? s->fail_check : "-");
	hb_release(&h);
	if (segdir && write_segments(segdir, out))
		return 1;
	return 0;
}
