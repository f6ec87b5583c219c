#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The debug kernel (configs/x86_64-debug.config) runs with its checkers on.
# (scripts/run-vm.sh reads the KUnit suites it ran at boot out of its log
# with kunit.py.)

load ../helpers

# (No sanitizer names in test names: the log check looks for them.)
@test "the checkers are on: lockdep, both sanitizers, kmemleak, debug objects, fault injection" {
	[ -e /proc/lockdep ]
	run dmesg
	assert_output --partial 'KernelAddressSanitizer initialized'
	grep -qw __ubsan_handle_out_of_bounds /proc/kallsyms
	[ -w /sys/kernel/debug/kmemleak ]
	[ -r /sys/kernel/debug/debug_objects/stats ]
	for f in failslab fail_page_alloc fail_usercopy fail_ioasids_charge; do
		[ -d /sys/kernel/debug/$f ]
	done
}

@test "debug objects found nothing wrong" {
	run sed -n 's/^warnings *: *//p' /sys/kernel/debug/debug_objects/stats
	assert_output 0
}
