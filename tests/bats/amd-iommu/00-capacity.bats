#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Under QEMU's AMD IOMMU: AMD-Vi bounds the IOASID capacity by the PASID
# width of its units (patch 0008), and the bound holds for /dev/ioasid.

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

@test "AMD-Vi set the IOASID capacity from its PASID width" {
	# PASmax (bits 36:32): PASIDs up to 2^(PASmax + 1) - 1; 0 is never allocated
	efr=$(amd_efr)
	expect=$(( (1 << (((efr >> 32) & 0x1f) + 1)) - 1 ))
	assert_equal "$(ioasid_debugfs capacity)" "$expect"
	assert_equal "$(cat /sys/fs/cgroup/ioasids.capacity)" "$expect"
	run dmesg
	assert_output --partial "ioasid: capacity $expect"
}

@test "/dev/ioasid hands out IDs up to the capacity and none above" {
	cap=$(ioasid_debugfs capacity)
	run $HOLDER -m "$cap" -M "$cap"
	assert_success
	assert_output "$cap"
	run $HOLDER -m "$((cap + 1))" -M "$((cap + 2))"
	assert_failure 1
	assert_output 'ioasid_holder: ID 1 of 1: No space left on device'
	assert_equal "$(ioasid_debugfs free)" "$cap"
}

@test "the kernel log has no warning, oops or lockdep splat" {
	run bash -c "dmesg | grep -E '$splat_pattern'"
	assert_output ''
}
