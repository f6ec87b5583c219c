#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The ioasids controller's files: presence, formats, writes good and bad,
# hierarchy, delegation.

load helpers

setup() {
	T=$(cg_mkpath bats-files)
}

teardown() {
	cg_rmtree "$CG/bats-files"
}

@test "the controller is available and enabled on the root" {
	run cat $CG/cgroup.controllers
	assert_output --regexp '(^| )ioasids( |$)'
	run cat $CG/cgroup.subtree_control
	assert_output --regexp '(^| )ioasids( |$)'
}

@test "the root has ioasids.capacity, ioasids.current and ioasids.stat only" {
	run ls $CG
	assert_line ioasids.capacity
	assert_line ioasids.current
	assert_line ioasids.stat
	refute_line ioasids.max
	refute_line ioasids.peak
	refute_line ioasids.events
	refute_line ioasids.events.local
	assert_equal "$(cat $CG/ioasids.capacity)" "$(ioasid_debugfs capacity)"
	assert_equal "$(cat $CG/ioasids.current)" \
		"$(( $(ioasid_debugfs capacity) - $(ioasid_debugfs free) ))"
}

@test "a new cgroup starts unlimited with zero counts" {
	assert_equal "$(cat $T/ioasids.max)" max
	assert_equal "$(cat $T/ioasids.current)" 0
	assert_equal "$(cat $T/ioasids.peak)" 0
	assert_equal "$(cat $T/ioasids.events)" "max 0"
	assert_equal "$(cat $T/ioasids.events.local)" "max 0"
	refute [ -e $T/ioasids.capacity ]
}

@test "ioasids.max takes a count or max and reads back the same form" {
	for v in 0 1 5 1048576 max 42; do
		run cg_write $T/ioasids.max "$v"
		assert_output ''
		assert_equal "$(cat $T/ioasids.max)" "$v"
	done
	# Whitespace and a trailing newline are fine
	echo " 7 " > $T/ioasids.max
	assert_equal "$(cat $T/ioasids.max)" 7
	echo max > $T/ioasids.max
	assert_equal "$(cat $T/ioasids.max)" max
}

@test "ioasids.max refuses anything else with EINVAL and changes nothing" {
	echo 9 > $T/ioasids.max
	# (an empty write is never made: the shell writes nothing)
	for v in -1 abc 5x x5 1048577 99999999999999999999 " " max5 maxx MAX \
		 0x10 1.5 "+" "5 6" "$(head -c 4096 /dev/zero | tr '\0' 7)"; do
		run cg_write $T/ioasids.max "$v"
		assert_equal "$v: $output" "$v: Invalid argument"
		assert_equal "$(cat $T/ioasids.max)" 9
	done
}

@test "read-only files refuse writes" {
	for f in current peak events events.local; do
		run cg_write $T/ioasids.$f 1
		refute_output ''
	done
	run cg_write $CG/ioasids.capacity 1
	refute_output ''
	assert_equal "$(cat $T/ioasids.current)" 0
}

@test "limits are set and read back at depths 1 to 8" {
	local v
	leaf=$(cg_mkpath bats-files/d1/d2/d3/d4/d5/d6/d7/d8)
	dir=$T
	for i in 1 2 3 4 5 6 7 8; do
		dir=$dir/d$i
		echo $((10 * i)) > $dir/ioasids.max
	done
	# (read, not $(cat): a fork costs about 0.1 s under TCG)
	dir=$T
	for i in 1 2 3 4 5 6 7 8; do
		dir=$dir/d$i
		read -r v < $dir/ioasids.max
		assert_equal "$v" $((10 * i))
		read -r v < $dir/ioasids.current
		assert_equal "$v" 0
	done
	[ "$dir" = "$leaf" ]
}

@test "with nsdelegate, the root of a cgroup namespace cannot write its own limit" {
	grep -q 'cgroup2.*nsdelegate' /proc/mounts
	echo 4 > $T/ioasids.max
	mkdir $T/ns
	echo 2 > $T/ns/ioasids.max
	run sh -c "echo \$\$ > $T/ns/cgroup.procs && exec unshare --cgroup sh -c '/bin/echo max > $T/ns/ioasids.max'"
	assert_failure
	assert_output --partial 'Operation not permitted'
	assert_equal "$(cat $T/ns/ioasids.max)" 2
}
