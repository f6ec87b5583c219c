#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# OCI runtimes (Debian's crun and runc) cap a container's PASIDs through
# linux.resources.unified {"ioasids.max": N}, with /dev/ioasid passed in.

load helpers
load oci

setup() {
	B=$BATS_TEST_TMPDIR/bundle
	HOLDER_IN=/repo/${HOLDER#$IOASID_TOP/}
}

teardown() {
	for rt in crun runc; do $rt delete -f bats-$rt 2>/dev/null || true; done
	cg_teardown $CG/bats-oci
	# Leave the root as the runtimes found it
	echo -ioasids > $CG/cgroup.subtree_control 2>/dev/null || true
}

oci_cap() {
	local rt=$1
	bundle $B 2 $HOLDER_IN -n 3
	run $rt run --bundle $B bats-$rt
	assert_failure 1
	# stdout and stderr reach us through separate pipes: order free
	assert_line 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx '[0-9][0-9]*')" 2
	assert_equal "${#lines[@]}" 3
	# The controller is enabled along the container's cgroup path
	run cat $CG/cgroup.subtree_control $CG/bats-oci/cgroup.subtree_control
	assert_line --index 0 --partial ioasids
	assert_line --index 1 --partial ioasids
}

oci_release() {
	local rt=$1
	bundle $B 4 $HOLDER_IN -n 4 -H
	$rt run --detach --bundle $B bats-$rt
	for i in $(seq 100); do
		[ "$(cat $CG/bats-oci/ctr/ioasids.current 2>/dev/null)" = 4 ] && break
		sleep 0.1
	done
	assert_equal "$(cat $CG/bats-oci/ctr/ioasids.max)" 4
	assert_equal "$(cat $CG/bats-oci/ctr/ioasids.current)" 4
	$rt kill bats-$rt KILL
	for i in $(seq 100); do
		[ "$(cat $CG/ioasids.current)" = 0 ] && break
		sleep 0.1
	done
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "runc enables the controller along its path and the cap holds" {
	oci_cap runc
}

@test "runc: a killed container's IDs are released" {
	oci_release runc
}

@test "crun 1.8 enables only the controllers it knows: ioasids must be enabled first" {
	# Without it, crun names the missing controller
	bundle $B 2 $HOLDER_IN -n 1
	run crun run --bundle $B bats-crun
	assert_failure
	assert_output --partial 'the requested cgroup controller `ioasids` is not available'
}

@test "crun, with the controller enabled on the path, caps the container" {
	$IOASIDCTL enable bats-oci/ctr
	oci_cap crun
}

@test "crun: a killed container's IDs are released" {
	$IOASIDCTL enable bats-oci/ctr
	oci_release crun
}
