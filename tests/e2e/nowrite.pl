#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-only
# Drive a stand-in run for the no-write proof.  QEMU was started with COM1
# on unix socket SERIAL (server) and the monitor on unix socket MONITOR, and
# the stand-in with wait=1.  Dumps all guest RAM [0, SIZE) with pmemsave
# while the stand-in waits just before its jump to khoprobe, lets it go,
# waits for khoprobe's "khoprobe: exit" line (khoprobe.exit=halt keeps the
# machine halted), dumps again (raw and as an ELF core), and quits QEMU.
#
#   nowrite.pl SERIAL MONITOR OUTDIR SIZE [elf]
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Select;

my ($serpath, $monpath, $dir, $size, $elf) = @ARGV;
die "usage: nowrite.pl SERIAL MONITOR OUTDIR SIZE\n" unless defined $size;

sub connect_unix {
	my ($path) = @_;
	for (1 .. 300) {
		my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path);
		return $s if $s;
		select(undef, undef, undef, 0.1);
	}
	die "nowrite.pl: cannot connect to $path\n";
}

my $ser = connect_unix($serpath);
open(my $log, '>', "$dir/serial.log") or die "$dir/serial.log: $!\n";
$log->autoflush(1);
my $sersel = IO::Select->new($ser);
my $seen = '';

sub serial_until {
	my ($re, $limit) = @_;
	my $end = time + $limit;
	while (time < $end) {
		return 1 if $seen =~ $re;
		next unless $sersel->can_read(0.2);
		my $n = sysread($ser, my $chunk, 65536);
		die "nowrite.pl: serial closed\n" unless $n;
		$chunk =~ s/\r//g;
		print $log $chunk;
		$seen .= $chunk;
	}
	return $seen =~ $re;
}

my $mon = connect_unix($monpath);
my $monsel = IO::Select->new($mon);

my $t0 = time;
sub monitor {
	my ($cmd) = @_;
	printf STDERR "nowrite: +%ds %s\n", time - $t0, $cmd;
	print $mon "$cmd\n";
	if ($cmd eq 'quit') {	# wait for QEMU to hang up
		my $end = time + 10;
		while (time < $end) {
			next unless $monsel->can_read(0.2);
			last unless sysread($mon, my $chunk, 65536);
		}
		return;
	}
	my $buf = '';
	my $end = time + 120;
	while (time < $end) {
		next unless $monsel->can_read(0.2);
		my $n = sysread($mon, my $chunk, 65536);
		last unless $n;
		$buf .= $chunk;
		last if $buf =~ /\(qemu\) $/ && $buf =~ /\Q$cmd\E/;
	}
}
monitor('info status');

serial_until(qr/STANDIN: waiting for a byte/, 60)
	or die "nowrite.pl: the stand-in never stopped before its jump\n";
monitor("pmemsave 0 $size \"$dir/before.bin\"");
print $ser "g";
serial_until(qr/^khoprobe: exit .*\n/m, 120)
	or die "nowrite.pl: khoprobe never reported\n";
select(undef, undef, undef, 0.2);
monitor("pmemsave 0 $size \"$dir/after.bin\"");
monitor("dump-guest-memory \"$dir/after.elf\"") if $elf;
monitor('quit');
