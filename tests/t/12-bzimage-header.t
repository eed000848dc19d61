#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# build/khoprobe.bzImage, field by field: what Linux kexec_file_load and
# kexec-tools' bzImage64 probe require (boot protocol >= 2.12, HdrS,
# 0xAA55, LOADED_HIGH, KERNEL_64 | CAN_BE_LOADED_ABOVE_4G | 5LEVEL) and
# what our own design promises (size, alignment, init_size, entries).
. "$(dirname "$0")/../lib/tap.sh"
exec perl -e '
use strict; use warnings;
my ($f) = @ARGV;
open(my $fh, "<:raw", $f) or die "$f: $!";
local $/; my $img = <$fh>;
my $n = 0; my $bad = 0;
sub ok { my ($c, $d) = @_; $n++; print(($c ? "ok" : "not ok") . " $n - $d\n"); $bad++ unless $c; }
sub u8 { unpack("C", substr($img, $_[0], 1)) }
sub u16 { unpack("v", substr($img, $_[0], 2)) }
sub u32 { unpack("V", substr($img, $_[0], 4)) }
sub u64 { unpack("Q<", substr($img, $_[0], 8)) }
my $len = length $img;
ok($len >= 1024, "at least two sectors ($len bytes)");
ok($len < 256 * 1024, sprintf("image under 256 KiB (%d KiB)", $len / 1024));
ok(u16(0x1fe) == 0xaa55, "boot_flag 0xAA55");
ok(substr($img, 0x202, 4) eq "HdrS", "header magic HdrS at 0x202");
ok(u16(0x206) >= 0x020c, sprintf("protocol version 0x%04x >= 2.12", u16(0x206)));
ok(u8(0x200) == 0xeb && u8(0x201) == 0x66, "short jump at 0x200 to the end of a 2.12 header (0x268)");
my $ss = u8(0x1f1) || 4;
my $pm_off = ($ss + 1) * 512;
my $pm_len = $len - $pm_off;
ok($len > $pm_off, "setup_sects $ss: protected-mode part at file offset $pm_off");
ok(u32(0x1f4) * 16 >= $pm_len, "syssize covers the protected-mode part");
ok(u8(0x211) & 1, "loadflags LOADED_HIGH");
ok(u16(0x236) == 0x23, sprintf("xloadflags 0x%x = KERNEL_64 | CAN_BE_LOADED_ABOVE_4G | 5LEVEL", u16(0x236)));
my $ka = u32(0x230);
ok($ka >= 4096 && ($ka & ($ka - 1)) == 0, sprintf("kernel_alignment 0x%x is a power of two >= 4 KiB", $ka));
ok(u8(0x234) == 1, "relocatable_kernel");
ok((1 << u8(0x235)) <= $ka, "min_alignment 2^" . u8(0x235) . " <= kernel_alignment");
ok(u32(0x238) >= 255 && u32(0x238) <= 2047, "cmdline_size " . u32(0x238) . " (room for kexec_file\x27s 30-byte slack)");
my $is = u32(0x260);
ok($is >= $pm_len && $is % 4096 == 0, sprintf("init_size 0x%x page-aligned, covers the file part", $is));
ok($is < 4 * 1024 * 1024, sprintf("init_size under 4 MiB (%d KiB)", $is / 1024));
ok(u64(0x258) == 0x1000000, sprintf("pref_address 0x%x (KHO scratch in the canonical layout)", u64(0x258)));
ok(u32(0x214) == 0x100000, "code32_start 0x100000");
ok(u32(0x264) == 0, "no EFI handover entry");
ok(u64(0x250) == 0 && u32(0x228) == 0 && u32(0x218) == 0, "loader-written fields are zero in the file");
my $mb = 0;
for (my $o = 0; $o + 4 <= 8192 && $o + 4 <= $len; $o += 4) {
	my $v = u32($o);
	$mb = 1 if $v == 0x1BADB002 || $v == 0xE85250D6;
}
ok(!$mb, "no multiboot header in the first 8 KiB (kexec -s would pick multiboot)");
ok(substr($img, 0, 2) ne "MZ", "not a PE file (the UEFI build is separate)");
ok(u8($pm_off) == 0xfa, "32-bit entry at +0x000 starts with cli");
ok(u8($pm_off + 0x200) == 0xfa, "64-bit entry at +0x200 starts with cli");
print "1..$n\n";
exit($bad ? 1 : 0);
' "$BUILD/khoprobe.bzImage"
