#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# /dev/ioasid through ioasidctl alloc and a raw ioctl prober: errors,
# ownership, release on close and on kill.

load helpers

setup() {
	T=$(cg_mkpath bats-dev)
	W=$T/w
	mkdir $W
	PROBE=$kselftest/ioasid-probe
}

teardown() {
	cg_teardown $T
}

@test "alloc with SPIDs prints each ID and its SPID, and frees them" {
	run $HOLDER -n 3 -s 100
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp '^[0-9]+ spid 100$'
	assert_line --index 2 --regexp '^[0-9]+ spid 102$'
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "a range is honoured and an exhausted range gives ENOSPC" {
	run $HOLDER -n 2 -m 500 -M 501
	assert_success
	assert_output "500
501"
	run $HOLDER -n 3 -m 500 -M 501
	assert_failure 1
	assert_line --index 2 'ioasid_holder: ID 3 of 3: No space left on device'
}

@test "the ioctl interface refuses bad sizes, flags, reserved fields and foreign IDs" {
	run $PROBE
	assert_success
	assert_output --partial 'version 1'
	refute_output --partial 'FAIL'
	assert_output --partial 'all checks passed'
}

@test "a process cannot free, find or attach another process's IDs" {
	holder_start $W -n 1 -s 7
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
	run $HOLDER -n 3
	echo $old > /sys/module/ioasid_user/parameters/file_quota
	assert_failure 1
	assert_line --index 2 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(cat $CG/ioasids.current)" 0
}

@test "PASID 0 and IDs above the capacity or 20 bits are never handed out" {
	cap=$(ioasid_debugfs capacity)
	last=$((cap < 1048575 ? cap : 1048575))
	run $HOLDER -m 0 -M 0
	assert_failure 1
	assert_output 'ioasid_holder: ID 1 of 1: No space left on device'
	run $HOLDER -m 0 -M 1
	assert_success
	assert_output 1
	run $HOLDER -n 2 -m $last -M $((last + 10))
	assert_failure 1
	assert_line --index 0 "$last"
	assert_line --index 1 'ioasid_holder: ID 2 of 2: No space left on device'
	assert_equal "$(ioasid_debugfs free)" "$cap"
}

@test "a file's quota defaults to 1024, at most half the capacity" {
	assert_equal "$(cat /sys/module/ioasid_user/parameters/file_quota)" 1024
	cap=$(ioasid_debugfs capacity)
	want=$((cap / 2 < 1024 ? cap / 2 : 1024))
	run $PROBE info
	assert_success
	assert_output "capacity $cap free $cap quota $want count 0"
}

@test "a refusal by the system leaves ioasids.peak and events as they were" {
	echo 5 > $W/ioasids.max
	old=$(cat /sys/module/ioasid_user/parameters/file_quota)
	echo 2 > /sys/module/ioasid_user/parameters/file_quota
	run cg_exec $W $HOLDER -n 3
	echo $old > /sys/module/ioasid_user/parameters/file_quota
	assert_failure 1
	assert_line --index 2 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	# The file's quota refused the third: the cgroup never counted it
	assert_equal "$(cat $W/ioasids.peak)" 2
	# An exhausted range, likewise
	run cg_exec $W $HOLDER -n 2 -m 600 -M 600
	assert_failure 1
	assert_line --index 1 'ioasid_holder: ID 2 of 2: No space left on device'
	assert_equal "$(cat $W/ioasids.peak)" 2
	assert_equal "$(cat $W/ioasids.events)" "max 0"
	assert_equal "$(cat $W/ioasids.current)" 0
}

@test "an allocation undone after a failed copy-out frees its own ID, not another thread's" {
	run $PROBE free-race 5
	assert_success
	assert_output 'rounds many, copy-out failures many, other results 0, lost 0'
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "the kernel memory of a task's IDs is charged to its memory cgroup, and memory.max bounds it" {
	grep -qw memory $CG/cgroup.controllers || skip "no memory controller"
	for d in $CG $T $W; do
		grep -qw memory $d/cgroup.subtree_control || echo +memory > $d/cgroup.subtree_control
	done
	mkdir $W/one $W/many $W/small
	old=$(cat /sys/module/ioasid_user/parameters/file_quota)
	echo 100000 > /sys/module/ioasid_user/parameters/file_quota
	run cg_exec $W/one $PROBE fill 1
	assert_success
	assert_output "took 1"
	run cg_exec $W/many $PROBE fill 20000
	assert_success
	assert_output "took 20000"
	one=$(cat $W/one/memory.peak) many=$(cat $W/many/memory.peak)
	# 20,000 IDs with SPIDs cost well over 64 bytes each
	[ $((many - one)) -gt $((20000 * 64)) ] || fail "memory.peak $one with 1 ID, $many with 20000"
	echo "# memory.peak grows by $(((many - one) / 20000)) bytes per ID with an SPID" >&3
	# A limit with room for the process and a few IDs stops the rest
	echo $((one + 256 * 1024)) > $W/small/memory.max
	run cg_exec $W/small $PROBE fill 100000
	echo $old > /sys/module/ioasid_user/parameters/file_quota
	# ENOMEM for the allocation, not the OOM killer for the cgroup
	assert_failure 1
	assert_output --regexp '^took [0-9]+, then Cannot allocate memory$'
	[ "$(awk '$1 == "max" { print $2 }' $W/small/memory.events)" -gt 0 ]
	assert_equal "$(awk '$1 == "oom_kill" { print $2 }' $W/small/memory.events)" 0
	assert_equal "$(cat $W/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "sparse SPIDs cost their task memory within memory.max, never past it" {
	grep -qw memory $CG/cgroup.controllers || skip "no memory controller"
	for d in $CG $T $W; do
		grep -qw memory $d/cgroup.subtree_control || echo +memory > $d/cgroup.subtree_control
	done
	mkdir $W/one $W/sparse
	old=$(cat /sys/module/ioasid_user/parameters/file_quota)
	echo 100000 > /sys/module/ioasid_user/parameters/file_quota
	run cg_exec $W/one $PROBE fill 1
	assert_success
	one=$(cat $W/one/memory.peak)
	# SPIDs 4096 apart: each needs xarray nodes of its own, most of what
	# an ID costs. Taken under a spinlock with GFP_ATOMIC, they would be
	# charged past the limit.
	max=$((one + 256 * 1024))
	echo $max > $W/sparse/memory.max
	run cg_exec $W/sparse $PROBE fill 100000 4096
	echo $old > /sys/module/ioasid_user/parameters/file_quota
	assert_failure 1
	assert_output --regexp '^took [0-9]+, then Cannot allocate memory$'
	peak=$(cat $W/sparse/memory.peak)
	echo "# memory.peak $peak of memory.max $max" >&3
	[ "$peak" -le "$max" ] || fail "memory.peak $peak is past memory.max $max"
	assert_equal "$(awk '$1 == "oom_kill" { print $2 }' $W/sparse/memory.events)" 0
	assert_equal "$(cat $W/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}
