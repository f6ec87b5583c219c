#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# /dev/ioasid through ioasidctl alloc and a raw ioctl prober: errors,
# ownership, release on close and on kill.

load helpers

setup() {
	T=$(cg_mkpath bats-dev)
	W=$T/w
	mkdir $W
	PROBE=$testbin/ioasid-probe
}

teardown() {
	cg_teardown $T
}

@test "alloc with SPIDs prints each ID and its SPID, and frees them" {
	run $IOASIDCTL alloc -n 3 --spid 100
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp '^[0-9]+ spid 100$'
	assert_line --index 2 --regexp '^[0-9]+ spid 102$'
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "a range is honoured and an exhausted range gives ENOSPC" {
	run $IOASIDCTL alloc -n 2 --min 500 --max 501
	assert_success
	assert_output "500
501"
	run $IOASIDCTL alloc -n 3 --min 500 --max 501
	assert_failure 1
	assert_line --index 2 'ioasidctl: /dev/ioasid: ID 3 of 3: No space left on device'
}

@test "the ioctl interface refuses bad sizes, flags, reserved fields and foreign IDs" {
	run $PROBE
	assert_success
	assert_output --partial 'version 1'
	refute_output --partial 'FAIL'
	assert_output --partial 'all checks passed'
}

@test "a process cannot free, find or attach another process's IDs" {
	holder_start $W -n 1 --spid 7
	id=$(head -1 $HOLDER_OUT | cut -d' ' -f1)
	run $PROBE foreign $id 7
	assert_success
	assert_output "free: Permission denied
attach: Permission denied
find-spid: No such file or directory"
	# Still held by its owner
	assert_equal "$(cat $T/ioasids.current)" 1
	holder_stop $HOLDER_PID
	assert_equal "$(cat $T/ioasids.current)" 0
}

@test "an unprivileged user cannot open /dev/ioasid" {
	run setpriv --reuid=65534 --regid=65534 --clear-groups -- $IOASIDCTL info
	assert_failure 1
	assert_output 'ioasidctl: /dev/ioasid: Permission denied'
}

@test "a per-file quota gives EDQUOT" {
	old=$(cat /sys/module/ioasid_user/parameters/file_quota)
	echo 2 > /sys/module/ioasid_user/parameters/file_quota
	run $IOASIDCTL alloc -n 3
	echo $old > /sys/module/ioasid_user/parameters/file_quota
	assert_failure 1
	assert_line --index 2 'ioasidctl: /dev/ioasid: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(cat $CG/ioasids.current)" 0
}
