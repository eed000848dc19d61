// SPDX-License-Identifier: GPL-2.0-only
/*
 * UEFI application entry (gnu-efi: crt0 applies our relocations and calls
 * efi_main).  While boot services last we take the command line, the
 * RSDP and memory for our stack, heap and page tables, and print on the
 * firmware console; then we leave boot services and continue exactly like
 * the other entries, on our own stack, GDT, IDT and page tables, with the
 * serial console.
 */
#include <efi.h>
#include <stdio.h>
#include <string.h>

#include "../arch/x86/entry.h"
#include "../arch/x86/serial.h"
#include "bootparams.h"
#include "console.h"
#include "layout.h"
#include "machine.h"
#include "options.h"

#define STACK_BYTES	(64 * 1024)
#define HEAP_BYTES	(1024 * 1024)
#define POOL_BYTES	(1024 * 1024)
#define EBS_TRIES	4

static EFI_SYSTEM_TABLE *systab;
static struct boot_layout efi_layout;

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

void boot_layout_init(struct boot_layout *l)
{
	*l = efi_layout;
}

static void conout_write(const char *buf, size_t len)
{
	CHAR16 tmp[130];
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			tmp[n++] = L'\r';
		tmp[n++] = (CHAR16)(unsigned char)buf[i];
		if (n >= 126 || i + 1 == len) {
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

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_LOADED_IMAGE *li = NULL;
	uint8_t *map = NULL;
	UINTN map_size = 0, desc_size = 0;
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
	printf("khoprobe %s: UEFI application at 0x%lx; leaving boot services, the report follows on serial port 0x%x\n",
	       "0.1.0", (unsigned long)efi_layout.image_start, opt.console_port);
	fflush(stdout);
	s = exit_boot_services(image, &map, &map_size, &desc_size);
	console_firmware_write = NULL;
	if (EFI_ERROR(s)) {
		console_serial_enabled = true;
		serial_init(opt.console_port);
		printf("khoprobe: ExitBootServices failed (0x%lx)\n", (unsigned long)s);
		fflush(stdout);
		return s;
	}
	take_memory_map(map, map_size, desc_size);
	arch_efi_enter(efi_layout.stack_hi, BOOT_EFI, 0);
}
