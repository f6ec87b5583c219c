#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The VM for the main suites: VT-d without PASID support, so the capacity
# is the full 20-bit space; /dev/ioasid and the controller are there.

load helpers

@test "the patched kernel is the one running, with VT-d" {
	assert_equal "$(uname -r)" "$IOASID_KVER"
	[ -d /sys/class/iommu/dmar0 ]
}

@test "without PASID support the capacity is the whole 20-bit space" {
	assert_equal "$(ioasid_debugfs capacity)" 1048576
	assert_equal "$(cat $CG/ioasids.capacity)" 1048576
}

@test "/dev/ioasid is a root-only character device" {
	[ -c /dev/ioasid ]
	assert_equal "$(stat -c '%a %U %G' /dev/ioasid)" "600 root root"
}

@test "ioasidctl info reads the system from /dev/ioasid" {
	run $IOASIDCTL info
	assert_success
	assert_output "capacity 1048576
free 1048576
used 0"
}
