#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The VM harness: the patched kernel boots under VT-d and its log is clean.

load ../helpers

@test "the patched kernel is the one running" {
	[ -n "$IOASID_KVER" ]
	assert_equal "$(uname -r)" "$IOASID_KVER"
	assert_equal "$(uname -m)" "x86_64"
}

@test "the IOASID core is the kernel's PASID allocator" {
	run grep -cwE 'ioasid_set_alloc|ioasid_alloc_spid|ioasid_attach_spid' /proc/kallsyms
	assert_output 3
	run grep -cwE 'ioasid_set_data|ioasid_register_notifier' /proc/kallsyms
	assert_output 0
}

@test "VT-d runs in scalable mode on 2 CPUs" {
	assert_equal "$(nproc)" 2
	[ -d /sys/class/iommu/dmar0 ]
	run dmesg
	assert_output --partial 'Intel(R) Virtualization Technology for Directed I/O'
	refute_output --partial 'Scalable Mode not enabled'
}

@test "VT-d set the IOASID capacity from its PASID width" {
	# PASIDs per unit: 2 << ECAP.PSS (bits 39:35); PASID 0 is never allocated
	ecap=$(dmesg | sed -n 's/.*DMAR: dmar0: .* ecap \([0-9a-f]*\)$/\1/p')
	[ -n "$ecap" ]
	pasid=$(( (0x$ecap >> 40) & 1 ))
	assert_equal "$pasid" 1
	expect=$(( (2 << ((0x$ecap >> 35) & 0x1f)) - 1 ))
	assert_equal "$(ioasid_debugfs capacity)" "$expect"
	run dmesg
	assert_output --partial "ioasid: capacity $expect"
}

@test "no IOASID is held at boot" {
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "the kernel log has no warning, oops or lockdep splat" {
	run bash -c "dmesg | grep -E '$splat_pattern'"
	assert_output ''
}
