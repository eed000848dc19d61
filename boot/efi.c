// SPDX-License-Identifier: GPL-2.0-only
/*
 * UEFI application entry (gnu-efi: crt0 applies our relocations and calls
 * efi_main).  While boot services last we take the command line, the
 * RSDP, the memory map and memory for our stack, heap and page tables.
 * Then the checks run in our own CPU world (arch/x86/efi_world.S: our
 * GDT, IDT, page tables, interrupts off, serial console), exactly as on the
 * other entries.  Once the report is printed we step back into the
 * firmware's world, show on ConOut everything printed meanwhile (a copy
 * kept in our own memory) and the summary, leave boot services, and
 * resume in ours to chain or exit.
 */
#include <efi.h>
#include <stdio.h>
#include <string.h>

#include "../arch/x86/entry.h"
#include "../arch/x86/exceptions.h"
#include "../arch/x86/paging.h"
#include "../arch/x86/serial.h"
#include "bootparams.h"
#include "console.h"
#include "layout.h"
#include "machine.h"
#include "options.h"
#include "../lib/probe.h"

#define STACK_BYTES	(64 * 1024)
#define HEAP_BYTES	(1024 * 1024)
#define POOL_BYTES	(1024 * 1024)
#define CAPTURE_BYTES	(256 * 1024)	/* the report copy shown on ConOut */
#define EBS_TRIES	4

static EFI_SYSTEM_TABLE *systab;
static struct boot_layout efi_layout;
static char summary[4096];
/*
 * The copy of the run's console output for ConOut.  In .bss, so inside
 * the image: our footprint, mapped writable in our world, no allocation.
 */
static char capture[CAPTURE_BYTES];

/* arch/x86/efi_world.S */
void efi_world_call(uint64_t stack_top, unsigned int kind, uint64_t info);
void efi_world_leave(void);
noreturn void efi_world_resume(void);

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

void boot_layout_init(struct boot_layout *l)
{
	*l = efi_layout;
}

/* ASCII text to ConOut in chunks of CHAR16, \n as \r\n, NULs skipped. */
static void conout_write(const char *buf, size_t len)
{
	CHAR16 tmp[258];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			tmp[n++] = L'\r';
		if (buf[i])
			tmp[n++] = (CHAR16)(unsigned char)buf[i];
		if (n && (n >= 254 || i + 1 == len)) {
			tmp[n] = 0;
			systab->ConOut->OutputString(systab->ConOut, tmp);
			n = 0;
		}
	}
}

static void take_cmdline(EFI_LOADED_IMAGE *li)
{
	const CHAR16 *s = li->LoadOptions;
	size_t n = li->LoadOptionsSize / sizeof(CHAR16), k = 0;

	for (size_t i = 0; s && i < n && s[i] && k + 1 < MACHINE_CMDLINE_MAX; i++)
		machine.cmdline[k++] = s[i] < 0x80 ? (char)s[i] : '?';
	machine.cmdline[k] = 0;
}

static uint64_t find_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < systab->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &systab->ConfigurationTable[i];

		if (!memcmp(&t->VendorGuid, guid, sizeof(*guid)))
			return (uint64_t)t->VendorTable;
	}
	return 0;
}

static uint32_t e820_type(UINT32 efi_type)
{
	switch (efi_type) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiConventionalMemory:
		return E820_RAM;
	case EfiUnusableMemory:
		return E820_UNUSABLE;
	case EfiACPIReclaimMemory:
		return E820_ACPI;
	case EfiACPIMemoryNVS:
		return E820_NVS;
	case 14:	/* EfiPersistentMemory */
		return E820_PMEM;
	default:
		return E820_RESERVED;
	}
}

static void take_memory_map(const uint8_t *map, UINTN size, UINTN desc_size)
{
	for (UINTN off = 0; desc_size && off + desc_size <= size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(map + off);

		machine_add_mem(&machine, d->PhysicalStart,
				d->NumberOfPages * 4096, e820_type(d->Type));
	}
	machine_sort_mem(&machine);
	machine.mem_source = "uefi memory map";
}

/* The memory map as the checks see it, taken before they run. */
static EFI_STATUS take_map_snapshot(void)
{
	EFI_BOOT_SERVICES *bs = systab->BootServices;
	UINTN size = 0, key, desc_size;
	UINT32 desc_ver;
	uint8_t *map = NULL;
	EFI_STATUS st;

	st = bs->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_ver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	size += 16 * desc_size;
	st = bs->AllocatePool(EfiLoaderData, size, (void **)&map);
	if (EFI_ERROR(st))
		return st;
	st = bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &key,
			      &desc_size, &desc_ver);
	if (!EFI_ERROR(st))
		take_memory_map(map, size, desc_size);
	bs->FreePool(map);
	return st;
}

static EFI_STATUS allocate_footprint(void)
{
	EFI_PHYSICAL_ADDRESS a = 0;
	UINTN pages = (4096 + STACK_BYTES + HEAP_BYTES + POOL_BYTES) / 4096;
	EFI_STATUS st;

	st = systab->BootServices->AllocatePages(AllocateAnyPages, EfiLoaderData,
						 pages, &a);
	if (EFI_ERROR(st))
		return st;
	efi_layout.stack_lo = a + 4096;		/* below it: the guard page */
	efi_layout.stack_hi = efi_layout.stack_lo + STACK_BYTES;
	efi_layout.heap_lo = efi_layout.stack_hi;
	efi_layout.heap_hi = efi_layout.heap_lo + HEAP_BYTES;
	efi_layout.pool_lo = efi_layout.heap_hi;
	efi_layout.pool_hi = efi_layout.pool_lo + POOL_BYTES;
	return EFI_SUCCESS;
}

/* Everything the run printed, on ConOut: the report without a serial cable. */
static void replay_capture(size_t len, size_t dropped)
{
	conout_write(capture, len);
	if (dropped)
		printf("%skhoprobe: %zu more bytes of the report are only on serial port 0x%x\n",
		       len && capture[len - 1] != '\n' ? "\n" : "", dropped,
		       opt.console_port);
}

/* Get the map and leave boot services, retrying with a fresh key. */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, uint8_t **map_out,
				     UINTN *size_out, UINTN *desc_out)
{
	EFI_BOOT_SERVICES *bs = systab->BootServices;
	UINTN size = 0, key, desc_size;
	UINT32 desc_ver;
	UINTN cap;
	uint8_t *map = NULL;
	EFI_STATUS st;

	st = bs->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_ver);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	cap = size + 16 * desc_size;
	st = bs->AllocatePool(EfiLoaderData, cap, (void **)&map);
	if (EFI_ERROR(st))
		return st;
	for (int i = 0; i < EBS_TRIES; i++) {
		size = cap;
		st = bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &key,
				      &desc_size, &desc_ver);
		if (EFI_ERROR(st))
			return st;
		st = bs->ExitBootServices(image, key);
		if (st == EFI_SUCCESS)
			break;
	}
	*map_out = map;
	*size_out = size;
	*desc_out = desc_size;
	return st;
}

/* The verdict and the failed checks, for the firmware console. */
static void summarize(const struct probe *p)
{
	size_t n = 0, nfail = 0;

	for (int i = 0; i < CK_COUNT; i++)
		nfail += p->rep.r[i].status == CHECK_FAIL;
	n += snprintf(summary + n, sizeof(summary) - n,
		      "khoprobe: verdict %s, %zu of %d checks failed\n",
		      report_verdict_pass(&p->rep) ? "pass" : "fail", nfail,
		      CK_COUNT);
	for (int i = 0; i < CK_COUNT && n < sizeof(summary) - 256; i++)
		if (p->rep.r[i].status == CHECK_FAIL)
			n += snprintf(summary + n, sizeof(summary) - n,
				      "  [FAIL] %s: %s\n",
				      check_name((enum check_id)i),
				      p->rep.r[i].detail);
	snprintf(summary + n, sizeof(summary) - n,
		 "khoprobe: the full report is %son serial port 0x%x\n",
		 opt.conout == CONOUT_FULL ? "above and " : "", opt.console_port);
}

/* boot_report_done: out to the firmware and back after ExitBootServices. */
static void report_done(struct probe *p)
{
	summarize(p);
	console_flush();
	efi_world_leave();
	cpu_init_tss();
	paging_activate();
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_LOADED_IMAGE *li = NULL;
	uint8_t *map = NULL;
	UINTN map_size = 0, desc_size = 0;
	size_t captured, dropped;
	EFI_STATUS s;

	systab = st;
	console_firmware_write = conout_write;
	console_serial_enabled = false;	/* OVMF mirrors ConOut to serial */
	s = st->BootServices->HandleProtocol(image, &loaded_image_guid,
					     (void **)&li);
	if (EFI_ERROR(s) || !li) {
		printf("khoprobe: no LoadedImage protocol (0x%lx)\n", (unsigned long)s);
		return s;
	}
	arch_image_base = (uint64_t)li->ImageBase;
	efi_layout.image_start = (uint64_t)li->ImageBase;
	efi_layout.image_end = efi_layout.image_start + li->ImageSize;
	efi_layout.code_end = efi_layout.image_end;
	take_cmdline(li);
	options_parse(machine.cmdline);
	machine.efi_systab_pa = (uint64_t)st;
	machine.rsdp_pa = find_table(&acpi20_guid);
	if (!machine.rsdp_pa)
		machine.rsdp_pa = find_table(&acpi10_guid);
	if (machine.rsdp_pa)
		machine.rsdp_source = "efi configuration table";
	s = allocate_footprint();
	if (EFI_ERROR(s)) {
		printf("khoprobe: cannot allocate memory (0x%lx)\n", (unsigned long)s);
		return s;
	}
	s = take_map_snapshot();
	if (EFI_ERROR(s)) {
		printf("khoprobe: cannot read the memory map (0x%lx)\n", (unsigned long)s);
		return s;
	}
	printf("khoprobe %s: UEFI application at 0x%lx; checking, the report goes to serial port 0x%x\n",
	       "0.1.0", (unsigned long)efi_layout.image_start, opt.console_port);
	fflush(stdout);

	console_firmware_write = NULL;
	boot_report_done = report_done;
	if (opt.conout == CONOUT_FULL)
		console_capture_start(capture, sizeof(capture));
	efi_world_call(efi_layout.stack_hi, BOOT_EFI, 0);

	/* Firmware world again, the report printed: it and the summary on ConOut. */
	captured = console_capture_stop(&dropped);
	console_firmware_write = conout_write;
	console_serial_enabled = false;
	if (opt.conout == CONOUT_FULL)
		replay_capture(captured, dropped);
	if (opt.conout != CONOUT_OFF)
		printf("%s", summary);
	fflush(stdout);
	console_firmware_write = NULL;
	console_serial_enabled = true;
	s = exit_boot_services(image, &map, &map_size, &desc_size);
	if (EFI_ERROR(s))
		printf("khoprobe: ExitBootServices failed (0x%lx): boot services stay frozen\n",
		       (unsigned long)s);
	efi_world_resume();
}
