// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every vector ends here: print vector, error code, RIP, CR2, registers
 * and a frame-pointer backtrace on the serial console, then exit with
 * EXIT_EXCEPTION.  Runs before relocation too, so it uses no pointer
 * tables and no libc.
 *
 * #NMI, #DF, #SS, #PF and #MC run on their own IST stack, so a stack
 * overflow (a write into the unmapped guard page) is reported as a #PF
 * instead of escalating to a triple fault.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "entry.h"
#include "exceptions.h"
#include "exit.h"
#include "serial.h"

/* Fixed-width names: no pointer table, nothing to relocate. */
static const char vector_name[32][24] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP error", "alignment check",
	"machine check", "SIMD FP error", "virtualization",
	"control protection", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security", "reserved",
};

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");
_Static_assert(offsetof(struct tss64, ist) == 0x24, "TSS IST offset");

static struct tss64 tss;
static uint8_t ist_stack[16384] __attribute__((aligned(16)));

uint64_t exc_stack_lo, exc_stack_hi;
static volatile int in_handler;

void cpu_init_tss(void)
{
	static const uint8_t ist_vectors[] = { 2, 8, 12, 14, 18 };
	uint64_t base = (uint64_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	tss.ist[0] = (uint64_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = sizeof(tss);
	arch_gdt[SEL_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
				0x89ull << 40 | ((limit >> 16) & 0xf) << 48 |
				((base >> 24) & 0xff) << 56;
	arch_gdt[SEL_TSS / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
	for (size_t i = 0; i < sizeof(ist_vectors); i++)
		arch_idt[ist_vectors[i] * 16 + 4] = 1;
}

static void put_addr(uint64_t a)
{
	serial_put_hex(a);
	if (arch_image_base && a >= arch_image_base &&
	    a - arch_image_base < 0x1000000) {
		serial_puts(" (image+");
		serial_put_hex(a - arch_image_base);
		serial_puts(")");
	}
}

static void put_reg(const char *name, uint64_t v)
{
	serial_puts(" ");
	serial_puts(name);
	serial_puts("=");
	serial_put_hex(v);
}

static bool frame_ok(uint64_t rbp)
{
	if (!rbp || (rbp & 7))
		return false;
	if (exc_stack_hi)
		return rbp >= exc_stack_lo && rbp + 16 <= exc_stack_hi;
	return false;
}

static void backtrace(const struct trap_frame *f)
{
	uint64_t rbp = f->rbp;

	serial_puts("khoprobe:   backtrace: ");
	put_addr(f->rip);
	serial_puts("\n");
	for (int depth = 0; depth < 8 && frame_ok(rbp); depth++) {
		const uint64_t *fp = (const uint64_t *)rbp;

		serial_puts("khoprobe:     called from ");
		put_addr(fp[1]);
		serial_puts("\n");
		if (fp[0] <= rbp)
			break;
		rbp = fp[0];
	}
}

noreturn void exception_handler(struct trap_frame *f)
{
	uint64_t v = f->vector;

	if (in_handler++) {
		serial_puts("\nkhoprobe: EXCEPTION inside the exception handler, vector ");
		serial_put_dec(v);
		serial_puts("\n");
		arch_exit(EXIT_EXCEPTION);
	}
	serial_puts("\nkhoprobe: EXCEPTION vector ");
	serial_put_dec(v);
	serial_puts(" (");
	serial_puts(v < 32 ? vector_name[v] : "unexpected interrupt");
	serial_puts(") error ");
	serial_put_hex(f->error);
	serial_puts(" rip ");
	put_addr(f->rip);
	serial_puts(" cr2 ");
	serial_put_hex(read_cr2());
	serial_puts("\nkhoprobe:  ");
	put_reg("cs", f->cs);
	put_reg("rflags", f->rflags);
	put_reg("rsp", f->rsp);
	put_reg("cr0", read_cr0());
	put_reg("cr3", read_cr3());
	put_reg("cr4", read_cr4());
	serial_puts("\nkhoprobe:  ");
	put_reg("rax", f->rax);
	put_reg("rbx", f->rbx);
	put_reg("rcx", f->rcx);
	put_reg("rdx", f->rdx);
	put_reg("rsi", f->rsi);
	put_reg("rdi", f->rdi);
	serial_puts("\nkhoprobe:  ");
	put_reg("rbp", f->rbp);
	put_reg("r8", f->r8);
	put_reg("r9", f->r9);
	put_reg("r10", f->r10);
	put_reg("r11", f->r11);
	put_reg("r12", f->r12);
	serial_puts("\nkhoprobe:  ");
	put_reg("r13", f->r13);
	put_reg("r14", f->r14);
	put_reg("r15", f->r15);
	serial_puts("\n");
	if (v == 14)
		serial_puts(f->error & 1 ? "khoprobe:   page fault: protection violation"
					 : "khoprobe:   page fault: page not mapped");
	if (v == 14)
		serial_puts(f->error & 2 ? " on write\n" : " on read\n");
	backtrace(f);
	arch_exit(EXIT_EXCEPTION);
}
