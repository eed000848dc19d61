// SPDX-License-Identifier: GPL-2.0-only
/* The bzImage/PVH layout, from the symbols linker.ld defines. */
#include "../../boot/layout.h"

extern char _image_start[], __stack_guard[], __stack_bottom[], __stack_top[];
extern char __early_pt[], __heap_start[], __heap_end[], __pt_pool[];
extern char __pt_pool_end[], _image_end[];

void boot_layout_init(struct boot_layout *l)
{
	l->image_start = (uint64_t)_image_start;
	l->image_end = (uint64_t)_image_end;
	l->code_end = (uint64_t)__stack_guard;
	l->stack_lo = (uint64_t)__stack_bottom;
	l->stack_hi = (uint64_t)__stack_top;
	l->early_pt_lo = (uint64_t)__early_pt;
	l->early_pt_hi = (uint64_t)__heap_start;
	l->heap_lo = (uint64_t)__heap_start;
	l->heap_hi = (uint64_t)__heap_end;
	l->pool_lo = (uint64_t)__pt_pool;
	l->pool_hi = (uint64_t)__pt_pool_end;
}
