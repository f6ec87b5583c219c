#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The VM runs the patched systemd as PID 1, and it knows the controller

load sd

@test "PID 1 is the patched systemd" {
	run readlink /proc/1/exe
	assert_output "$systemd_out/systemd"
	run systemctl --version
	assert_line --index 0 --partial '+ioasid)'
}

@test "systemd's own unit tests of the controller table pass" {
	run "$systemd_out/test-cgroup-mask"
	assert_success
	assert_output --partial 'test_cg_mask_to_string'
	refute_output --partial 'skipping'
}

@test "the root slice reports the IDs held system-wide as IOASIDCurrent" {
	systemd-run --unit=bats-root -p IOASIDMax=8 -p StandardOutput=file:/run/bats-root.out \
		-- $HOLDER -n 2 -H
	wait_line /run/bats-root.out 'holding 2'
	run systemctl show -P IOASIDCurrent -- -.slice
	assert_output "$(cat $CG/ioasids.current)"
	[ "$output" -ge 2 ]
	systemctl stop bats-root.service
	run systemctl show -P IOASIDCurrent -- -.slice
	assert_output 0
}
