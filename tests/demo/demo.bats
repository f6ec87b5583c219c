#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# `make demo`: what the patched kernel shows about IOASIDs.

load ../bats/helpers

@test "kernel, IOMMU and IOASID capacity" {
	{
		echo "# kernel:   $(uname -r) on $(nproc) CPUs"
		echo "# cmdline:  $(cat /proc/cmdline | tr -s ' \n' ' ' | cut -c1-120)..."
		dmesg | grep -E 'DMAR: (Intel|IOMMU)|ioasid:' | sed 's/^/# dmesg:    /'
		sed 's/^/# ioasid:   /' /sys/kernel/debug/ioasid
	} >&3
	[ "$(ioasid_debugfs capacity)" -gt 0 ]
}
