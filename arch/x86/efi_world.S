# SPDX-License-Identifier: GPL-2.0-only
#
# UEFI build: run the checks in our own CPU world (GDT, IDT, page tables,
# stack, interrupts off) while boot services still exist, step back into
# the firmware's world to print a summary on ConOut and leave boot
# services, then resume where the checks stopped.
#
#   efi_world_call(stack_top, kind, info)   firmware -> ours; returns when
#                                            ours calls efi_world_leave()
#   efi_world_leave()                        ours -> firmware (the return of
#                                            efi_world_call); returns when
#                                            the firmware side calls
#   efi_world_resume()                       -> ours again, never returns

#include "entry.h"

#define MSR_GS_BASE	0xc0000101

	.text
	.code64

	.globl efi_world_call
	.type efi_world_call, @function
efi_world_call:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	pushfq
	cli
	mov	%rdi, %r12			# our stack top
	mov	%rsi, %r13			# kind
	mov	%rdx, %r14			# info
	sgdt	fw_gdt(%rip)
	sidt	fw_idt(%rip)
	mov	%cs, fw_cs(%rip)
	mov	%ss, fw_ss(%rip)
	mov	%ds, fw_ds(%rip)
	mov	%es, fw_es(%rip)
	mov	%fs, fw_fs(%rip)
	mov	%gs, fw_gs(%rip)
	str	fw_tr(%rip)
	mov	%cr0, %rax
	mov	%rax, fw_cr0(%rip)
	mov	%cr3, %rax
	mov	%rax, fw_cr3(%rip)
	mov	$MSR_FS_BASE, %ecx
	rdmsr
	mov	%eax, fw_fsbase(%rip)
	mov	%edx, fw_fsbase+4(%rip)
	mov	$MSR_GS_BASE, %ecx
	rdmsr
	mov	%eax, fw_gsbase(%rip)
	mov	%edx, fw_gsbase+4(%rip)
	mov	%rsp, fw_rsp(%rip)

	mov	%r12, %rsp
	call	cpu_setup
	mov	%r13, %rdi
	mov	%r14, %rsi
	xor	%ebp, %ebp
	call	boot_main
1:	cli
	hlt
	jmp	1b
	.size efi_world_call, . - efi_world_call

	.globl efi_world_leave
	.type efi_world_leave, @function
efi_world_leave:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, our_rsp(%rip)

	mov	fw_cr3(%rip), %rax		# firmware map: identity as well
	mov	%rax, %cr3
	mov	fw_cr0(%rip), %rax
	mov	%rax, %cr0
	lgdt	fw_gdt(%rip)
	movzwl	fw_cs(%rip), %eax
	lea	2f(%rip), %rcx
	push	%rax
	push	%rcx
	lretq
2:	mov	fw_ss(%rip), %ss
	mov	fw_ds(%rip), %ds
	mov	fw_es(%rip), %es
	mov	fw_fs(%rip), %fs
	mov	fw_gs(%rip), %gs
	lidt	fw_idt(%rip)
	# The firmware's task register, if it had one: its descriptor is
	# still marked busy, so make it available before loading it again.
	movzwl	fw_tr(%rip), %eax
	and	$~7, %eax
	jz	3f
	mov	fw_gdt+2(%rip), %rcx
	andb	$~0x02, 5(%rcx, %rax)
	ltr	%ax
3:	mov	$MSR_FS_BASE, %ecx
	mov	fw_fsbase(%rip), %eax
	mov	fw_fsbase+4(%rip), %edx
	wrmsr
	mov	$MSR_GS_BASE, %ecx
	mov	fw_gsbase(%rip), %eax
	mov	fw_gsbase+4(%rip), %edx
	wrmsr
	mov	fw_rsp(%rip), %rsp
	popfq
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret					# from efi_world_call
	.size efi_world_leave, . - efi_world_leave

	.globl efi_world_resume
	.type efi_world_resume, @function
efi_world_resume:
	cli
	mov	our_rsp(%rip), %rsp
	call	cpu_setup
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret					# from efi_world_leave
	.size efi_world_resume, . - efi_world_resume

	.data
	.balign	16
fw_gdt:	.word	0
	.quad	0
	.balign	16
fw_idt:	.word	0
	.quad	0
	.balign	8
fw_cr0:	.quad	0
fw_cr3:	.quad	0
fw_rsp:	.quad	0
fw_fsbase: .quad 0
fw_gsbase: .quad 0
our_rsp: .quad	0
fw_cs:	.word	0
fw_ss:	.word	0
fw_ds:	.word	0
fw_es:	.word	0
fw_fs:	.word	0
fw_gs:	.word	0
fw_tr:	.word	0

	.section .note.GNU-stack, "", @progbits
