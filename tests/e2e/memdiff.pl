#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-only
# Compare two raw guest-memory dumps taken at physical address 0 and print
# every changed range, merged, as "changed 0xSTART-0xEND N bytes"; then
# "outside N" = changed bytes not inside any ALLOWED range
# (START-END, hex, end exclusive) and "inside N".
#
#   memdiff.pl BEFORE AFTER [START-END ...]
use strict;
use warnings;

my ($a, $b, @allow) = @ARGV;
die "usage: memdiff.pl BEFORE AFTER [START-END ...]\n" unless defined $b;
my @ok = map { my ($s, $e) = split /-/; [hex $s, hex $e] } @allow;
open(my $fa, '<:raw', $a) or die "$a: $!\n";
open(my $fb, '<:raw', $b) or die "$b: $!\n";
die "memdiff.pl: dumps differ in size\n" if -s $a != -s $b;

my $chunk = 1 << 20;
my ($off, $outside, $inside) = (0, 0, 0);
my @ranges;

sub allowed {
	my ($pa) = @_;
	for (@ok) { return 1 if $pa >= $_->[0] && $pa < $_->[1]; }
	return 0;
}

while (1) {
	my $na = read($fa, my $ba, $chunk);
	my $nb = read($fb, my $bb, $chunk);
	last unless $na;
	if ($ba ne $bb) {
		my $x = $ba ^ $bb;
		while ($x =~ /[^\0]+/g) {
			my ($s, $e) = ($off + $-[0], $off + $+[0]);
			for my $pa ($s .. $e - 1) {
				allowed($pa) ? $inside++ : $outside++;
			}
			if (@ranges && $s - $ranges[-1][1] <= 64) {
				$ranges[-1][1] = $e;
				$ranges[-1][2] += $e - $s;
			} else {
				push @ranges, [$s, $e, $e - $s];
			}
		}
	}
	$off += $na;
}
printf "changed 0x%x-0x%x %d bytes%s\n", $_->[0], $_->[1], $_->[2],
	(allowed($_->[0]) && allowed($_->[1] - 1)) ? '' : ' OUTSIDE' for @ranges;
print "outside $outside\ninside $inside\n";
