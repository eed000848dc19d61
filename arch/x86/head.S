# SPDX-License-Identifier: GPL-2.0-only
#
# Entry points of the bzImage and PVH builds.  The image is linked as one
# position-independent blob; nothing here assumes where it was loaded.
#
#   image + 0x000  startup_32: Linux 32-bit protocol, ESI = boot_params
#   image + 0x200  startup_64: Linux 64-bit protocol (kexec), RSI = boot_params
#   pvh_start32:   PVH entry (named by the ELF note), EBX = hvm_start_info
#
# The 32-bit entries build a temporary identity map of the first 4 GiB and
# enter long mode; all paths then meet in common64, which installs our own
# stack, GDT, IDT, SSE and FS base, clears .bss, applies our own
# R_X86_64_RELATIVE relocations and calls boot_main(kind, info).  Until C
# builds our page tables the loader's tables stay in use (kexec maps all
# RAM and our segments, with CR4.LA57 when the old kernel ran 5-level).

#include "entry.h"

	.section .head.text, "ax"
	.code32
	.globl startup_32
startup_32:
	cli
	cld
	# No stack yet: the 32-bit protocol says code32_start (boot_params
	# +0x214) is where the loader put us.
	mov	0x214(%esi), %ebp
	mov	$BOOT_LINUX32, %edi
	jmp	enter32

#ifdef PVH_BUILD
	.globl pvh_start32
pvh_start32:
	cli
	cld
	# The PVH ELF is not relocatable: it runs where it is linked.
	mov	$startup_32, %ebp
	mov	$BOOT_PVH, %edi
	mov	%ebx, %esi
#endif

# ebp = image start, edi = kind, esi = info.  No stack until we set one.
enter32:
	mov	(rel_stack_top - startup_32)(%ebp), %eax
	lea	(rel_stack_top - startup_32)(%ebp, %eax), %esp # flat SS
	mov	(rel_gdt - startup_32)(%ebp), %eax
	lea	(rel_gdt - startup_32)(%ebp, %eax), %eax
	mov	(rel_gdt_desc - startup_32)(%ebp), %ecx
	lea	(rel_gdt_desc - startup_32)(%ebp, %ecx), %ecx
	mov	%eax, 2(%ecx)
	movl	$0, 6(%ecx)
	lgdt	(%ecx)
	lea	(2f - startup_32)(%ebp), %eax
	pushl	$SEL_CODE32
	pushl	%eax
	lret
2:	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	push	%esi
	push	%edi

	# Early tables: page 0 PML5, 1 PML4, 2 PDPT, 3..6 PDs (0-4 GiB, 2 MiB).
	mov	(rel_early_pt - startup_32)(%ebp), %ebx
	lea	(rel_early_pt - startup_32)(%ebp, %ebx), %ebx
	mov	%ebx, %edi
	xor	%eax, %eax
	mov	$(7 * 1024), %ecx
	rep stosl
	lea	0x1003(%ebx), %eax
	mov	%eax, (%ebx)			# PML5[0] -> PML4
	lea	0x2003(%ebx), %eax
	mov	%eax, 0x1000(%ebx)		# PML4[0] -> PDPT
	lea	0x3003(%ebx), %eax
	mov	%eax, 0x2000(%ebx)		# PDPT[0..3] -> PD0..3
	add	$0x1000, %eax
	mov	%eax, 0x2008(%ebx)
	add	$0x1000, %eax
	mov	%eax, 0x2010(%ebx)
	add	$0x1000, %eax
	mov	%eax, 0x2018(%ebx)
	lea	0x3000(%ebx), %edi
	mov	$0x83, %eax			# present, writable, 2 MiB
	xor	%ecx, %ecx
3:	mov	%eax, (%edi, %ecx, 8)
	movl	$0, 4(%edi, %ecx, 8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$2048, %ecx
	jne	3b

	# 5-level paging when the CPU has it, as servers run: the C side
	# then builds 5-level tables too, like after a kexec from such a host.
	mov	$CR4_PAE, %esi
	xor	%eax, %eax
	cpuid
	cmp	$7, %eax
	jb	4f
	mov	$7, %eax
	xor	%ecx, %ecx
	cpuid
	test	$(1 << 16), %ecx
	jz	4f
	or	$CR4_LA57, %esi
4:	mov	(rel_early_pt - startup_32)(%ebp), %edx
	lea	(rel_early_pt - startup_32)(%ebp, %edx), %edx	# CR3 = PML5 ...
	test	$CR4_LA57, %esi
	jnz	41f
	add	$0x1000, %edx			# ... or PML4
41:	mov	%esi, %cr4
	mov	%edx, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$0x80000001, %eax
	mov	%eax, %cr0
	lea	(5f - startup_32)(%ebp), %eax
	pushl	$SEL_CODE64
	pushl	%eax
	lret

# Where things are, relative to the word itself (PC-relative: valid
# wherever we were loaded, and no absolute relocation in the PIE).
	.balign	4
rel_stack_top:	.long	__stack_top - rel_stack_top
rel_gdt:	.long	arch_gdt - rel_gdt
rel_gdt_desc:	.long	gdt_desc - rel_gdt_desc
rel_early_pt:	.long	__early_pt - rel_early_pt

	.code64
5:	mov	(%rsp), %edi
	mov	4(%rsp), %esi
	jmp	common64

	.org	0x200
	.globl startup_64
startup_64:
	cli
	cld
	mov	$BOOT_LINUX64, %edi
	# RSI = boot_params, may be above 4 GiB: keep all 64 bits.

# edi = kind, rsi = info (64-bit).
common64:
	mov	%edi, %r12d
	mov	%rsi, %r13
	lea	__stack_top(%rip), %rsp
	xor	%ebp, %ebp

	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	shr	$3, %rcx
	xor	%eax, %eax
	rep stosq

	call	cpu_setup
	lea	_image_start(%rip), %rax
	mov	%rax, arch_image_base(%rip)

	# Self-relocation: delta = runtime start - link-time start.
	lea	_image_start(%rip), %rax
	sub	__link_base(%rip), %rax
	lea	__rela_start(%rip), %rsi
	lea	__rela_end(%rip), %rdi
6:	cmp	%rdi, %rsi
	jae	8f
	mov	8(%rsi), %ecx
	test	%ecx, %ecx			# R_X86_64_NONE
	jz	7f
	cmp	$8, %ecx			# R_X86_64_RELATIVE
	jne	reloc_bad
	mov	(%rsi), %rdx
	add	%rax, %rdx
	mov	16(%rsi), %rcx
	add	%rax, %rcx
	mov	%rcx, (%rdx)
7:	add	$24, %rsi
	jmp	6b

8:	mov	%r12d, %edi
	mov	%r13, %rsi
	call	boot_main
9:	cli
	hlt
	jmp	9b

# The build rejects other relocation types; should one slip through, this
# raises #UD and the exception report names this spot.
reloc_bad:
	ud2

	.section .note.GNU-stack, "", @progbits
