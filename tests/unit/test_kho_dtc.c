// SPDX-License-Identifier: GPL-2.0-only
/*
 * The producer checked by a tool we did not write: every FDT it emits (KHO
 * root, LUO, memblock) in every valid scenario must decompile with dtc.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../producer/handover.h"
#include "../tap.h"

static int have_dtc(void)
{
	return system("dtc --version > /dev/null 2>&1") == 0;
}

/* dtc -I dtb -O dts on the FDT at @pa; @want must appear in the source. */
static int dtc_ok(struct hb *h, uint64_t pa, const char *want)
{
	char dtb[] = "/tmp/khoprobe-dtb-XXXXXX", cmd[256];
	const void *fdt = hb_page(h, pa);
	int fd = mkstemp(dtb), ret;
	FILE *f;

	if (fd < 0)
		return 0;
	f = fdopen(fd, "wb");
	fwrite(fdt, 1, fdt_totalsize(fdt), f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "dtc -q -I dtb -O dts %s 2>&1 | grep -q '%s'", dtb, want);
	ret = system(cmd) == 0;
	remove(dtb);
	return ret;
}

int main(void)
{
	size_t n;
	const struct hb_scenario *const *all = hb_scenarios(&n);

	if (!have_dtc()) {
		printf("1..0 # SKIP dtc not installed\n");
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct hb h;

		if (!all[i]->expect_pass)
			continue;
		hb_build_scenario(&h, all[i]);
		ok(dtc_ok(&h, h.out.fdt, "preserved-memory-map"),
		   "%s: dtc decompiles the KHO FDT", all[i]->name);
		if (h.luo == HB_LUO_FDT)
			ok(dtc_ok(&h, h.out.luo, "luo-flb-header"),
			   "%s: dtc decompiles the LUO FDT", all[i]->name);
		for (unsigned int s = 0; s < h.nsub; s++)
			if (!strcmp(h.sub[s].name, "memblock"))
				ok(dtc_ok(&h, h.sub[s].pa, "reserve-mem-v1"),
				   "%s: dtc decompiles the memblock FDT",
				   all[i]->name);
		hb_release(&h);
	}
	return done_testing();
}
