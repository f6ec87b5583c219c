#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The ioasids controller on a legacy (v1) hierarchy, as pids offers it.
# Runs in the VM whose cgroup2 hierarchy has not enabled the controller.

load ../helpers

setup() {
	V1=$BATS_TEST_TMPDIR/v1
	mkdir -p $V1
}

teardown() {
	[ -d $V1/g ] && { cat $V1/g/tasks | xargs -r kill -TERM; sleep 0.1; rmdir $V1/g; }
	umount $V1 2>/dev/null || true
}

@test "ioasids mounts as a v1 hierarchy with the same files and semantics" {
	run grep -w ioasids /proc/cgroups
	assert_success
	mount -t cgroup -o ioasids ioasids $V1
	[ -e $V1/ioasids.current ]
	[ -e $V1/ioasids.capacity ]
	[ ! -e $V1/ioasids.max ]
	mkdir $V1/g
	assert_equal "$(cat $V1/g/ioasids.max)" max
	run cg_write $V1/g/ioasids.max -1
	assert_output 'Invalid argument'

	echo 0 > $V1/g/ioasids.max
	run sh -c "echo \$\$ > $V1/g/tasks && exec $HOLDER -n 1"
	assert_failure 1
	assert_output 'ioasid_holder: ID 1 of 1: Disk quota exceeded'
	assert_equal "$(cat $V1/g/ioasids.events)" "max 1"

	# QEMU's vIOMMU has 1-bit PASIDs: the capacity is one ID
	echo 1 > $V1/g/ioasids.max
	run sh -c "echo \$\$ > $V1/g/tasks && exec $HOLDER -n 2"
	assert_failure 1
	assert_line --index 1 'ioasid_holder: ID 2 of 2: Disk quota exceeded'
	assert_equal "$(cat $V1/g/ioasids.peak)" 1
	assert_equal "$(cat $V1/g/ioasids.current)" 0
}

@test "an exhausted system gives ENOSPC, not EDQUOT" {
	assert_equal "$(cat $CG/ioasids.capacity)" 1
	holder_start $CG -n 1
	run $HOLDER -n 1
	assert_failure 1
	assert_output 'ioasid_holder: ID 1 of 1: No space left on device'
	assert_equal "$(cat $CG/ioasids.current)" 1
	holder_stop $HOLDER_PID
	assert_equal "$(cat $CG/ioasids.current)" 0
}
