/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared between the entry assembly and C: how we were entered, and the
 * selectors of our own GDT.
 */
#ifndef KHOPROBE_ARCH_ENTRY_H
#define KHOPROBE_ARCH_ENTRY_H

/* boot_main()'s first argument: which loader entered us. */
#define BOOT_PVH	1	/* PVH 32-bit entry, info = hvm_start_info */
#define BOOT_LINUX32	2	/* Linux 32-bit protocol, info = boot_params */
#define BOOT_LINUX64	3	/* Linux 64-bit entry (kexec), info = boot_params */
#define BOOT_EFI	4	/* UEFI application, info unused */

/* GDT selectors: 0x10/0x18 as the Linux boot protocol expects. */
#define SEL_CODE64	0x10
#define SEL_DATA	0x18
#define SEL_CODE32	0x20
#define SEL_TSS		0x28
#define GDT_ENTRIES	7

/* MSRs and control register bits the entry code touches. */
#define MSR_EFER	0xc0000080
#define MSR_FS_BASE	0xc0000100
#define EFER_LME	(1 << 8)
#define CR4_PAE		(1 << 5)
#define CR4_LA57	(1 << 12)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)

/* Each exception stub is this many bytes, so stub i = stubs + i * size. */
#define ISR_STUB_SIZE	16

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stdnoreturn.h>

/* Register state saved by the exception stubs, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* C entry, after our GDT, IDT, SSE, FS base and relocation are in place. */
noreturn void boot_main(unsigned int kind, uint64_t info);
/* Exception stubs land here. */
noreturn void exception_handler(struct trap_frame *f);

/* Runtime address of the image start (set by the entry code). */
extern uint64_t arch_image_base;
/* EFI: switch to our stack, GDT, IDT, SSE and enter boot_main(). */
noreturn void arch_efi_enter(uint64_t stack_top, unsigned int kind,
			     uint64_t info);
extern uint64_t arch_gdt[GDT_ENTRIES];
extern uint8_t arch_idt[256 * 16];
#endif

#endif
