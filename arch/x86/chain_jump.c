// SPDX-License-Identifier: GPL-2.0-only
/*
 * chain_jump(copies, n, entry, zero_page, cr3, cr4): see chain_jump.h.
 * Position independent; runs on our own GDT (0x10 code, 0x18 data, as the
 * Linux 64-bit boot protocol asks) and our stack.  Written as one asm
 * block because nothing after the CR3 switch may touch memory C would use.
 */
#include "chain_jump.h"
#include "entry.h"

#define STR_(x) #x
#define STR(x) STR_(x)

__asm__(
	"	.text\n"
	"	.globl chain_jump\n"
	"	.type chain_jump, @function\n"
	"chain_jump:\n"
	"	cli\n"
	"	mov	%rdx, %r10\n"		/* entry */
	"	mov	%rcx, %r11\n"		/* zero page */
	"	mov	%r8, %cr3\n"
	"	mov	%r9, %cr4\n"
	"	mov	%cr0, %rax\n"		/* clear WP AM TS EM, as kexec */
	"	and	$~((1 << 16) | (1 << 18) | (1 << 3) | (1 << 2)), %rax\n"
	"	mov	%rax, %cr0\n"
	"	mov	%rdi, %r8\n"		/* copies */
	"	mov	%rsi, %r9\n"		/* count */
	"1:	test	%r9, %r9\n"
	"	jz	3f\n"
	"	mov	0(%r8), %rdi\n"
	"	mov	8(%r8), %rsi\n"
	"	mov	16(%r8), %rcx\n"
	"	test	%rsi, %rsi\n"
	"	jz	2f\n"
	"	rep movsb\n"
	"	jmp	4f\n"
	"2:	xor	%eax, %eax\n"
	"	rep stosb\n"
	"4:	add	$24, %r8\n"
	"	dec	%r9\n"
	"	jmp	1b\n"
	"3:	lidt	chain_idt_empty(%rip)\n"
	"	mov	$" STR(SEL_DATA) ", %eax\n"
	"	mov	%eax, %ds\n"
	"	mov	%eax, %es\n"
	"	mov	%eax, %ss\n"
	"	mov	%eax, %fs\n"
	"	mov	%eax, %gs\n"
	"	mov	%r11, %rsi\n"
	"	xor	%eax, %eax\n"
	"	xor	%ebx, %ebx\n"
	"	xor	%ecx, %ecx\n"
	"	xor	%edx, %edx\n"
	"	xor	%edi, %edi\n"
	"	xor	%ebp, %ebp\n"
	"	xor	%r8d, %r8d\n"
	"	xor	%r9d, %r9d\n"
	"	xor	%r11d, %r11d\n"
	"	xor	%r12d, %r12d\n"
	"	xor	%r13d, %r13d\n"
	"	xor	%r14d, %r14d\n"
	"	xor	%r15d, %r15d\n"
	"	jmp	*%r10\n"
	"	.size chain_jump, . - chain_jump\n"
	"	.section .rodata\n"
	"	.balign 16\n"
	"chain_idt_empty:\n"
	"	.word 0\n"
	"	.quad 0\n"
	"	.text\n");
