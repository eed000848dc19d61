# SPDX-License-Identifier: GPL-2.0-only
#
# The bzImage real-mode part: boot sector with the first setup-header
# fields, the rest of the header (protocol 2.12) at 0x200, then a 16-bit
# stub for loaders that enter in real mode (QEMU -kernel): it builds a
# fresh zero page with the BIOS E820 map, switches to protected mode and
# jumps to code32_start (startup_32 in head.S) with ESI = that zero page.
# kexec never runs any of this: it enters the protected-mode part at +0x200.
#
# Linked at 0: symbol values are offsets from the start of the file, which
# is also the real-mode segment base (DS) the loader gives us.

#define SETUP_SECTS	1
#define ZERO_PAGE	0x8000		/* offset of our new boot_params */
#define STACK_TOP	0xf000
#define SMAP		0x534d4150

	.code16
	.section .setup, "ax"
	.globl _setup_start
_setup_start:
	.org	0x1f1
setup_sects:	.byte	SETUP_SECTS
root_flags:	.word	0
syssize:	.long	SETUP_SYSSIZE
ram_size:	.word	0
vid_mode:	.word	0xffff
root_dev:	.word	0
boot_flag:	.word	0xaa55

	.org	0x200
	.byte	0xeb, hdr_end - 0x202	# short jump over the header
	.ascii	"HdrS"
version:	.word	0x020c
realmode_swtch:	.long	0
start_sys_seg:	.word	0x1000
kernel_version:	.word	version_str - 0x200
type_of_loader:	.byte	0
loadflags:	.byte	0x01		# LOADED_HIGH
setup_move_size: .word	0x8000
code32_start:	.long	0x100000
ramdisk_image:	.long	0
ramdisk_size:	.long	0
bootsect_kludge: .long	0
heap_end_ptr:	.word	0
ext_loader_ver:	.byte	0
ext_loader_type: .byte	0
cmd_line_ptr:	.long	0
initrd_addr_max: .long	0x7fffffff
kernel_alignment: .long	0x200000
relocatable_kernel: .byte 1
min_alignment:	.byte	12		# runs at any 4 KiB-aligned address
xloadflags:	.word	0x0023		# KERNEL_64 | CAN_BE_LOADED_ABOVE_4G | 5LEVEL
cmdline_size:	.long	2047
hardware_subarch: .long	0
hardware_subarch_data: .quad 0
payload_offset:	.long	0
payload_length:	.long	0
setup_data:	.quad	0
pref_address:	.quad	0x1000000
init_size:	.long	SETUP_INIT_SIZE
handover_offset: .long	0
hdr_end:

# Real mode, CS = segment + 0x20, IP = 0 (i.e. here via the jump above).
start16:
	cli
	cld
	mov	%cs, %ax
	sub	$0x20, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$STACK_TOP, %sp

	# Fresh zero page: zeroes, then the setup header as the loader
	# patched it (cmd_line_ptr, ramdisk_*, type_of_loader ...).
	mov	$ZERO_PAGE, %di
	xor	%ax, %ax
	mov	$2048, %cx
	rep stosw
	mov	$0x1f1, %si
	mov	$(ZERO_PAGE + 0x1f1), %di
	mov	$(hdr_end - 0x1f1), %cx
	rep movsb

	# BIOS E820 map into boot_params.e820_table (at most 128 entries).
	xor	%ebx, %ebx
	xor	%bp, %bp
	mov	$(ZERO_PAGE + 0x2d0), %di
1:	mov	$0xe820, %eax
	mov	$SMAP, %edx
	mov	$20, %ecx
	int	$0x15
	jc	2f
	cmp	$SMAP, %eax
	jne	2f
	add	$20, %di
	inc	%bp
	test	%ebx, %ebx
	jz	2f
	cmp	$128, %bp
	jb	1b
2:	mov	%bp, %ax
	mov	%al, ZERO_PAGE + 0x1e8

	# A20 through the fast gate.
	in	$0x92, %al
	or	$2, %al
	and	$0xfe, %al
	out	%al, $0x92

	# Linear addresses: ebx = segment base.
	xor	%ebx, %ebx
	mov	%ds, %bx
	shl	$4, %ebx
	lea	gdt(%ebx), %eax
	mov	%eax, gdt_desc + 2
	lgdt	gdt_desc
	mov	code32_start, %eax
	mov	%eax, far_target
	lea	ZERO_PAGE(%ebx), %esi
	lea	STACK_TOP(%ebx), %esp

	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	mov	$0x18, %ax		# flat data, as the 32-bit protocol wants
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
	xor	%ebp, %ebp
	xor	%edi, %edi
	# CS still has the real-mode base, segment + 0x200.
	ljmpl	*%cs:(far_target - 0x200)

	.balign	8
gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff	# 0x10: flat 32-bit code
	.quad	0x00cf92000000ffff	# 0x18: flat data
gdt_desc:
	.word	4 * 8 - 1
	.long	0
far_target:
	.long	0
	.word	0x10
version_str:
	.asciz	"khoprobe"

	.org	(SETUP_SECTS + 1) * 512
