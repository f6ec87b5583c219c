#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Under QEMU's AMD IOMMU: AMD-Vi bounds the IOASID capacity by the PASID
# width of its units (6.1: patch 0008; 6.12: the IOMMU core, patch 0004,
# from the max_pasids AMD-Vi registers), and the bound holds for /dev/ioasid.

load ../helpers

# The extended feature register AMD-Vi prints at init
amd_efr() {
	dmesg | sed -n 's/.*AMD-Vi: Extended features (\(0x[0-9a-f]*\),.*/\1/p' | head -1
}

@test "AMD-Vi runs and has guest translation" {
	efr=$(amd_efr)
	[ -n "$efr" ]
	# FEATURE_GT is bit 4
	assert_equal "$(( (efr >> 4) & 1 ))" 1
}

# The capacity AMD-Vi's PASID width gives, or "" if it leaves the capacity
# alone. PASmax (EFR bits 36:32): PASIDs up to 2^(PASmax + 1) - 1, and 0 is
# never allocated. 6.12's AMD-Vi registers max_pasids = 2^(PASmax + 1) - 1
# and its IOMMU core allocates below it, one fewer; with QEMU's PASmax of 0
# that is none, which leaves the capacity alone.
amd_capacity() {
	local efr=$1 ids
	ids=$(( (1 << (((efr >> 32) & 0x1f) + 1)) - 1 ))
	[ "$kernel_series" = 6.1 ] || ids=$((ids - 1))
	if [ "$ids" -gt 0 ]; then echo "$ids"; fi
}

@test "AMD-Vi set the IOASID capacity from its PASID width" {
	expect=$(amd_capacity "$(amd_efr)")
	if [ -n "$expect" ]; then
		assert_equal "$(ioasid_debugfs capacity)" "$expect"
		assert_equal "$(cat /sys/fs/cgroup/ioasids.capacity)" "$expect"
		run dmesg
		assert_output --partial "ioasid: capacity $expect"
	else
		assert_equal "$(ioasid_debugfs capacity)" 1048576
		run dmesg
		assert_output --partial "IOASID capacity left at 1048576: "
		assert_output --partial " has no PASID to allocate"
	fi
}

@test "/dev/ioasid hands out IDs up to the capacity and none above" {
	cap=$(ioasid_debugfs capacity)
	top=$(( cap < 1048575 ? cap : 1048575 ))
	run $HOLDER -m "$top" -M "$top"
	assert_success
	assert_output "$top"
	run $HOLDER -m "$((top + 1))" -M "$((top + 2))"
	assert_failure 1
	assert_output 'ioasid_holder: ID 1 of 1: No space left on device'
	assert_equal "$(ioasid_debugfs free)" "$cap"
}

@test "the kernel log has no warning, oops or lockdep splat" {
	run bash -c "dmesg | grep -E '$splat_pattern'"
	assert_output ''
}
