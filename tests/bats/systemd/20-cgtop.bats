#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# systemd-cgtop's IOASIDs column (the systemd series, patch 0005), with the
# patched systemd as PID 1

load sd

teardown() {
	sd_cleanup bats-top-a.service bats-top-b.service bats-top.slice
}

# Two services that account IOASIDs, in one slice: a holds 1 ID, b holds 3
# (so that ordering by IOASIDs is not the order of the paths)
two_holders() {
	holder_unit bats-top-a bats-top.slice -n 1 -p
	holder_unit bats-top-b bats-top.slice -n 3 -p
	echo IOASIDAccounting=yes >> $UNITS/bats-top-a.service
	echo IOASIDAccounting=yes >> $UNITS/bats-top-b.service
	systemctl daemon-reload
	systemctl start bats-top-a.service bats-top-b.service
	wait_line /run/bats-top-a.out 'holding 1'
	wait_line /run/bats-top-b.out 'holding 3'
}

# line_of OUTPUT NAME: the line number of NAME's cgroup
line_of() {
	echo "$1" | grep -n "$2 " | cut -d: -f1
}

# ioasids_of OUTPUT NAME: the last field (IOASIDs) of the line of the cgroup
# named NAME ("/" for the root)
ioasids_of() {
	echo "$1" | awk -v n="$2" '$1 == n || substr($1, length($1) - length(n)) == "/" n { print $NF }'
}

@test "systemd-cgtop -b -r shows each cgroup's IOASIDs last, the root's system-wide" {
	two_holders
	run systemd-cgtop -b -n 1 -r --depth=3
	assert_success
	assert_equal "$(ioasids_of "$output" bats-top-a.service)" 1
	assert_equal "$(ioasids_of "$output" bats-top-b.service)" 3
	assert_equal "$(ioasids_of "$output" bats-top.slice)" 4
	assert_equal "$(ioasids_of "$output" /)" "$(cat $CG/ioasids.current)"
	# Seven columns: path, tasks, CPU, memory, input, output, IOASIDs
	assert_equal "$(echo "$output" | awk '$1 ~ /bats-top-a\.service$/ { print NF }')" 7
}

@test "systemd-cgtop --order=ioasids and -a put the cgroup holding more first" {
	two_holders
	for opt in --order=ioasids -a; do
		run systemd-cgtop -b -n 1 -r --depth=3 $opt
		assert_success
		a=$(line_of "$output" bats-top-a.service)
		b=$(line_of "$output" bats-top-b.service)
		[ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt "$a" ]
	done
	# By path, a comes first
	run systemd-cgtop -b -n 1 -r --depth=3 --order=path
	a=$(line_of "$output" bats-top-a.service)
	b=$(line_of "$output" bats-top-b.service)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
	run systemd-cgtop -b -n 1 --order=pasids
	assert_failure
	assert_output --partial 'Invalid argument to --order=: pasids'
}

@test "on a terminal, the header names the IOASIDs column" {
	two_holders
	run script -qec 'COLUMNS=200 LINES=100 systemd-cgtop -b -n 1 --order=ioasids' /dev/null
	assert_success
	assert_output --partial 'IOASIDs'
	assert_output --partial 'bats-top-b.service'
}
