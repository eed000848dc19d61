// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until khodump lands. */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "khodump: not built yet\n");
	return 2;
}
