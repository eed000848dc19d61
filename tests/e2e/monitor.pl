#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-only
# Send QEMU human-monitor commands over a unix socket, one per argument, and
# wait for each to finish (the next "(qemu)" prompt).  Waits up to 20 s for
# the socket to appear.  Prints what the monitor answered.
#
#   monitor.pl SOCKET 'pmemsave 0 0x40000000 "mem.bin"' quit
use strict;
use warnings;
use IO::Socket::UNIX;
use IO::Select;

my $path = shift or die "usage: monitor.pl SOCKET CMD...\n";
my $sock;
for (1 .. 200) {
	$sock = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path);
	last if $sock;
	select(undef, undef, undef, 0.1);
}
die "monitor.pl: cannot connect to $path\n" unless $sock;
my $sel = IO::Select->new($sock);

sub until_prompt {
	my ($limit) = @_;
	my $buf = '';
	my $end = time + $limit;
	while (time < $end) {
		next unless $sel->can_read(0.2);
		my $n = sysread($sock, my $chunk, 65536);
		last unless $n;
		$buf .= $chunk;
		return $buf if $buf =~ /\(qemu\) $/;
	}
	return $buf;
}

until_prompt(20);
for my $cmd (@ARGV) {
	print $sock "$cmd\n";
	last if $cmd eq 'quit';
	my $out = until_prompt(120);
	$out =~ s/\e\[[0-9;]*[A-Za-z]//g;
	$out =~ s/\r//g;
	$out =~ s/\(qemu\) $//;
	print $out;
}
close $sock;
