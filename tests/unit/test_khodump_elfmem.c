// SPDX-License-Identifier: GPL-2.0-only
/*
 * khodump's ELF-core physmem: file bytes, zero tails, reads spanning
 * adjacent segments, segments cut off by the end of the file, overlapping
 * segments, and cores it must refuse.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/khodump/elfmem.h"
#include "../tap.h"

struct seg {
	uint64_t pa, off, filesz, memsz;
};

/* An ELF core with @n PT_LOADs; data bytes are (offset & 0xff) | 1. */
static uint8_t *make_core(const struct seg *s, int n, size_t len,
			  uint16_t type, uint16_t machine)
{
	uint8_t *buf = calloc(1, len);
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;

	for (size_t i = sizeof(*eh) + n * sizeof(Elf64_Phdr); i < len; i++)
		buf[i] = (uint8_t)(i | 1);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (uint16_t)n;
	for (int i = 0; i < n; i++) {
		Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh)) + i;

		ph->p_type = PT_LOAD;
		ph->p_paddr = s[i].pa;
		ph->p_offset = s[i].off;
		ph->p_filesz = s[i].filesz;
		ph->p_memsz = s[i].memsz;
	}
	return buf;
}

static void test_reads(void)
{
	static const struct seg s[] = {
		{ 0x1000, 0x1000, 0x1000, 0x3000 },	/* 8 KiB zero tail */
		{ 0x4000, 0x2000, 0x1000, 0x1000 },	/* adjacent */
		{ 0x10000, 0x2800, 0x1000, 0x1000 },	/* cut by end of file */
		{ 0x1800, 0x2000, 0x1000, 0x1000 },	/* overlaps the first */
		{ 0x20000, 0x9000000, 0x1000, 0x1000 },	/* offset past the file */
	};
	size_t len = 0x3000;
	uint8_t *core = make_core(s, 5, len, ET_CORE, EM_X86_64), b[32];
	struct elfmem m;
	const char *why = NULL;
	int zero = 1;

	ok(!elfmem_open(&m, core, len, &why), "core opens");
	ok(!phys_read(&m.pm, 0x1000, b, 8, &why) && b[0] == (uint8_t)(0x1000 | 1),
	   "file bytes at the segment start");
	ok(!phys_read(&m.pm, 0x1ff8, b, 16, &why), "read into the zero tail");
	for (int i = 8; i < 16; i++)
		zero &= !b[i];
	ok(zero && b[0] == (uint8_t)(0x1ff8 | 1), "tail reads as zero");
	ok(!phys_read(&m.pm, 0x3ff8, b, 16, &why) && !b[0] &&
	   b[8] == (uint8_t)(0x2000 | 1), "read spanning two adjacent segments");
	ok(phys_read(&m.pm, 0x5000, b, 1, &why) && why, "a hole is not in the dump");
	ok(!phys_is_ram(&m.pm, 0x4ff0, 32), "is_ram is false across a hole");
	ok(phys_is_ram(&m.pm, 0x1000, 0x4000), "is_ram across adjacent segments");
	ok(!phys_is_ram(&m.pm, 0x10800, 8), "bytes cut off by the end of file are absent");
	ok(phys_is_ram(&m.pm, 0x10000, 0x800), "the part inside the file is there");
	ok(!phys_is_ram(&m.pm, 0x20000, 8), "a segment past the file is absent");
	ok(phys_read(&m.pm, UINT64_MAX - 3, b, 8, &why), "wrapping read refused");
	elfmem_close(&m);
	free(core);
}

static void test_refusals(void)
{
	static const struct seg s[] = { { 0x1000, 0x1000, 0x1000, 0x1000 } };
	struct elfmem m;
	const char *why;
	uint8_t *core;

	int r;

	core = make_core(s, 1, 0x2000, ET_EXEC, EM_X86_64);
	r = elfmem_open(&m, core, 0x2000, &why);
	ok(r, "ET_EXEC refused: %s", why);
	free(core);
	core = make_core(s, 1, 0x2000, ET_CORE, EM_AARCH64);
	r = elfmem_open(&m, core, 0x2000, &why);
	ok(r, "aarch64 refused: %s", why);
	free(core);
	core = make_core(s, 1, 0x2000, ET_CORE, EM_X86_64);
	r = elfmem_open(&m, core, 70, &why);
	ok(r, "truncated program headers refused: %s", why);
	r = elfmem_open(&m, (const uint8_t *)"hello", 5, &why);
	ok(r, "not ELF: %s", why);
	((Elf64_Ehdr *)core)->e_phnum = 0;
	r = elfmem_open(&m, core, 0x2000, &why);
	ok(r, "no PT_LOAD refused: %s", why);
	free(core);
}

int main(void)
{
	test_reads();
	test_refusals();
	return done_testing();
}
