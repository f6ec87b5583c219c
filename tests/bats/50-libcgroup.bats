#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# libcgroup's tools (Debian's cgroup-tools 2.0) on the ioasids files of a
# cgroup-v2 host.

load helpers

setup() {
	cg_mkpath bats-lcg > /dev/null
}

teardown() {
	cg_teardown $CG/bats-lcg
}

@test "cgcreate makes a cgroup with the ioasids controller" {
	run cgcreate -g ioasids:bats-lcg/made
	assert_success
	[ -f $CG/bats-lcg/made/ioasids.max ]
}

@test "cgset writes and cgget reads ioasids.max" {
	mkdir $CG/bats-lcg/g
	run cgset -r ioasids.max=6 bats-lcg/g
	assert_success
	assert_equal "$(cat $CG/bats-lcg/g/ioasids.max)" 6
	run cgget -n -v -r ioasids.max bats-lcg/g
	assert_success
	assert_output 6
	run cgget -n -r ioasids.current -r ioasids.events bats-lcg/g
	assert_success
	assert_line 'ioasids.current: 0'
	assert_line 'ioasids.events: max 0'
}

@test "cgset of a bad value fails and changes nothing" {
	mkdir $CG/bats-lcg/g
	echo 3 > $CG/bats-lcg/g/ioasids.max
	run cgset -r ioasids.max=-4 bats-lcg/g
	assert_failure
	assert_equal "$(cat $CG/bats-lcg/g/ioasids.max)" 3
}

@test "cgexec runs a task under the cgroup's cap" {
	mkdir $CG/bats-lcg/g
	cgset -r ioasids.max=2 bats-lcg/g
	run cgexec -g ioasids:bats-lcg/g $HOLDER -n 3
	assert_failure 1
	assert_line --index 2 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(cat $CG/bats-lcg/g/ioasids.events.local)" "max 1"
}

@test "cgconfigparser applies an ioasids group from cgconfig.conf" {
	cat > $BATS_TEST_TMPDIR/cgconfig.conf <<CONF
group bats-lcg/conf {
	ioasids {
		ioasids.max = 4;
	}
}
CONF
	run cgconfigparser -l $BATS_TEST_TMPDIR/cgconfig.conf
	assert_success
	assert_equal "$(cat $CG/bats-lcg/conf/ioasids.max)" 4
}
