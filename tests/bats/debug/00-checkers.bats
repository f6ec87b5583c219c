#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The debug kernel (configs/x86_64-debug.config) runs with its checkers on,
# and the KUnit suites built into it passed at boot.

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

@test "the KUnit suites passed at boot: every case of ioasid and cgroup-ioasids" {
	# KTAP: cases indented by four spaces, then the suite's own line
	run sh -c "dmesg | sed -n 's/^\[[ 0-9.]*\] //p' | grep -E '^(    )?(not )?ok [0-9]+ '"
	sed 's/^/# /' <<< "$output" >&3
	refute_output --partial 'not ok'
	assert_line 'ok 1 cgroup-ioasids'
	assert_line --regexp '^ok [0-9]+ ioasid$'
	# As many cases as the two suites declare
	local cases
	cases=$(( $(grep -c KUNIT_CASE "$IOASID_TOP/drivers/iommu/ioasid/ioasid_kunit.c") +
		  $(grep -c KUNIT_CASE "$IOASID_TOP/kernel/cgroup/ioasids_kunit.c") ))
	assert_equal "$(echo "$output" | grep -cE '^    ok [0-9]+ ')" "$cases"
}

@test "debug objects found nothing wrong" {
	run sed -n 's/^warnings *: *//p' /sys/kernel/debug/debug_objects/stats
	assert_output 0
}
