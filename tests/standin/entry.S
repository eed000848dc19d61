# SPDX-License-Identifier: GPL-2.0-only
#
# Old-kernel stand-in: PVH entry (32-bit, paging off, EBX = hvm_start_info),
# identity map of the first 8 GiB with 2 MiB pages, long mode, C.  Also the
# final jump, which leaves exactly the machine state kexec's purgatory leaves.

#define IDENT_GIB	8

	.section .note.pvh, "a", @note
	.balign 4
	.long 4			# name size ("Xen\0")
	.long 8			# descriptor size
	.long 18		# XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.quad pvh_entry

	.section .text.entry, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	mov	%ebx, %edi		# start_info, first C argument later
	lgdt	gdt_ptr
	ljmp	$0x08, $1f
1:	mov	$0x18, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	$stack_top, %esp

	# PML4[0] -> PDPT; PDPT[i] -> PD page i; every PD entry a 2 MiB page.
	mov	$boot_pdpt, %eax
	or	$0x3, %eax
	mov	%eax, boot_pml4
	xor	%ecx, %ecx
2:	mov	%ecx, %eax
	shl	$12, %eax
	add	$boot_pd, %eax
	or	$0x3, %eax
	mov	%eax, boot_pdpt(,%ecx,8)
	inc	%ecx
	cmp	$IDENT_GIB, %ecx
	jne	2b
	xor	%ecx, %ecx		# PD entry index over all PD pages
3:	mov	%ecx, %eax
	shl	$21, %eax		# low 32 bits of the 2 MiB frame
	or	$0x83, %eax		# present, writable, large
	mov	%eax, boot_pd(,%ecx,8)
	mov	%ecx, %eax
	shr	$11, %eax		# high bits: index * 2 MiB >> 32
	mov	%eax, boot_pd+4(,%ecx,8)
	inc	%ecx
	cmp	$(IDENT_GIB * 512), %ecx
	jne	3b

	# 5-level paging when the CPU has it (-cpu max,+la57), as a kernel on
	# such a machine runs and so leaves CR4.LA57 set across kexec.
	mov	$boot_pml4, %eax
	or	$0x3, %eax
	mov	%eax, boot_pml5
	mov	$0x20, %esi		# CR4.PAE
	mov	$boot_pml4, %ebp
	xor	%eax, %eax
	cpuid
	cmp	$7, %eax
	jb	4f
	mov	$7, %eax
	xor	%ecx, %ecx
	cpuid
	test	$(1 << 16), %ecx
	jz	4f
	or	$0x1000, %esi		# CR4.LA57
	mov	$boot_pml5, %ebp
4:	mov	%esi, %cr4
	mov	%ebp, %cr3
	mov	$0xc0000080, %ecx	# EFER.LME
	rdmsr
	or	$0x100, %eax
	wrmsr
	mov	$0x80000033, %eax	# PG | NE | ET | MP | PE, as Linux runs
	mov	%eax, %cr0
	ljmp	$0x10, $long_entry

	.code64
long_entry:
	mov	$0x18, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	$stack_top, %rsp
	mov	%edi, %edi
	call	standin_main
4:	hlt
	jmp	4b

# void standin_jump(u64 entry, u64 zero_page, u64 cr3, u64 stack, u64 wait,
#		    u64 cr4)
#
# What purgatory's entry64 leaves (boot-toolchain.md 1.5): long mode, CS 0x10
# and data 0x18 from a GDT in our memory, IDT limit 0, IF 0, CR4 = PAE,
# CR0 = 0x80000033, RSI = zero page, RBX and all other GPRs 0, RSP a small
# stack in our memory, CR3 an identity map of RAM that we built.
	.globl standin_jump
standin_jump:
	cli
	mov	%rdx, %cr3
	mov	%r9, %cr4		# PAE, plus LA57 when it is on
	mov	$0x80000033, %eax
	mov	%rax, %cr0
	lgdt	gdt_ptr
	lidt	idt_null
	mov	$0x18, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%rcx, %rsp
	push	%rdi			# consumed by the final ret
	test	%r8, %r8		# wait: say so, then poll COM1 for one
	jz	6f			# byte, in registers only, so memory
	lea	wait_msg, %r9		# stays as a dump taken now shows it
	mov	$0x3f8, %dx
7:	movzbl	(%r9), %eax
	test	%al, %al
	jz	8f
	outb	%al, %dx
	inc	%r9
	jmp	7b
8:	mov	$0x3fd, %dx
5:	pause
	inb	%dx, %al
	test	$1, %al
	jz	5b
	mov	$0x3f8, %dx
	inb	%dx, %al
6:
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret

	.section .rodata
wait_msg:
	.asciz "STANDIN: waiting for a byte on COM1 before the jump\r\n"
	.balign 16
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	# 0x08: flat 32-bit code (PVH entry only)
	.quad 0x00af9a000000ffff	# 0x10: 64-bit code, as purgatory's
	.quad 0x00cf92000000ffff	# 0x18: flat data, as purgatory's
gdt_end:
	.balign 16
gdt_ptr:
	.word gdt_end - gdt - 1
	.quad gdt
	.balign 16
idt_null:
	.word 0
	.quad 0

	.section .bss
	.balign 4096
boot_pml5:	.skip 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4096 * IDENT_GIB
	.balign 16
	.skip 65536
stack_top:
	.section .note.GNU-stack, "", @progbits
