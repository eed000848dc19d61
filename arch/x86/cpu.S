# SPDX-License-Identifier: GPL-2.0-only
#
# CPU state every entry path shares: our GDT, the IDT with one stub per
# vector, SSE and the FS base libfdt's stack protector reads (%fs:0x28).
# Nothing here needs relocated data, so it runs before self-relocation.

#include "entry.h"

	.text
	.code64

# cpu_setup: load GDT (reload CS/DS/ES/SS/FS/GS), build and load the IDT,
# enable SSE, set the FS base.  Needs a stack; clobbers rax, rcx, rdx, rdi,
# r8, r9.
	.globl cpu_setup
	.type cpu_setup, @function
cpu_setup:
	lea	arch_gdt(%rip), %rax
	mov	%rax, gdt_desc+2(%rip)
	lgdt	gdt_desc(%rip)
	lea	1f(%rip), %rax
	pushq	$SEL_CODE64
	push	%rax
	lretq
1:	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs

	# IDT: 256 interrupt gates, DPL 0, selector SEL_CODE64.
	lea	arch_idt(%rip), %rdi
	lea	isr_stubs(%rip), %rdx
	xor	%ecx, %ecx
2:	mov	%rdx, %rax		# offset 15:0
	and	$0xffff, %eax
	mov	$SEL_CODE64, %r8d
	shl	$16, %r8
	or	%r8, %rax
	mov	$0x8e, %r8d		# present, interrupt gate
	shl	$40, %r8
	or	%r8, %rax
	mov	%rdx, %r8		# offset 31:16
	shr	$16, %r8
	and	$0xffff, %r8d
	shl	$48, %r8
	or	%r8, %rax
	mov	%rax, (%rdi)
	mov	%rdx, %r8		# offset 63:32
	shr	$32, %r8
	mov	%r8, 8(%rdi)
	add	$16, %rdi
	add	$ISR_STUB_SIZE, %rdx
	inc	%ecx
	cmp	$256, %ecx
	jne	2b
	lea	arch_idt(%rip), %rax
	mov	%rax, idt_desc+2(%rip)
	lidt	idt_desc(%rip)

	# SSE: CR0.EM=0, TS=0, MP=1, NE=1; CR4.OSFXSR|OSXMMEXCPT.
	mov	%cr0, %rax
	and	$~0xc, %rax
	or	$0x22, %rax
	mov	%rax, %cr0
	mov	%cr4, %rax
	or	$(CR4_OSFXSR | CR4_OSXMMEXCPT), %rax
	mov	%rax, %cr4
	fninit
	pushq	$0x1f80
	ldmxcsr	(%rsp)
	add	$8, %rsp

	# FS base -> our TLS block (stack-protector canary at +0x28).
	lea	arch_tls(%rip), %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	mov	$MSR_FS_BASE, %ecx
	wrmsr
	ret
	.size cpu_setup, . - cpu_setup

# arch_efi_enter(stack_top, kind, info): after ExitBootServices.
	.globl arch_efi_enter
	.type arch_efi_enter, @function
arch_efi_enter:
	cli
	cld
	mov	%rdi, %rsp
	mov	%rsi, %r12
	mov	%rdx, %r13
	call	cpu_setup
	mov	%r12, %rdi
	mov	%r13, %rsi
	xor	%ebp, %ebp
	call	boot_main
3:	cli
	hlt
	jmp	3b
	.size arch_efi_enter, . - arch_efi_enter

# One 16-byte stub per vector: push a zero error code where the CPU pushes
# none, push the vector, go to the common path.
	.balign	ISR_STUB_SIZE
	.globl isr_stubs
isr_stubs:
	vec = 0
	.rept	256
	.balign	ISR_STUB_SIZE
	.if (vec == 8) | (vec == 10) | (vec == 11) | (vec == 12) | (vec == 13) | (vec == 14) | (vec == 17) | (vec == 21) | (vec == 29) | (vec == 30)
	pushq	$vec
	.else
	pushq	$0
	pushq	$vec
	.endif
	jmp	isr_common
	vec = vec + 1
	.endr

isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	and	$~0xf, %rsp
	call	exception_handler
4:	cli
	hlt
	jmp	4b

	.data
	.balign	16
	.globl arch_gdt
arch_gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff	# 0x10: 64-bit code
	.quad	0x00cf92000000ffff	# 0x18: flat data
	.quad	0x00cf9a000000ffff	# 0x20: flat 32-bit code
	.quad	0			# 0x28: TSS, filled in C
	.quad	0
	.globl gdt_desc
gdt_desc:
	.word	GDT_ENTRIES * 8 - 1
	.quad	0
	.balign	16
idt_desc:
	.word	256 * 16 - 1
	.quad	0

	.balign	64
arch_tls:
	.fill	5, 8, 0
	.quad	0x6b686f70726f6265	# +0x28: stack-protector canary
	.fill	2, 8, 0

	.globl arch_image_base
	.balign	8
arch_image_base:
	.quad	0

	.bss
	.balign	4096
	.globl arch_idt
arch_idt:
	.skip	256 * 16

	.section .note.GNU-stack, "", @progbits
