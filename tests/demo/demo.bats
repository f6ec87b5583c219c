#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# `make demo`: the patched kernel, the IOASID core and the ioasids
# controller at work, narrated on the terminal.

load ../bats/helpers

say() { echo "# $*" >&3; }
show() {
	local c="$*"
	c=${c//$IOASIDCTL/ioasidctl}
	say "\$ ${c//$HOLDER/ioasid_holder}"
	"$@" 2>&1 | sed 's/^/#   /' >&3 || true
}

@test "the IOASID core and the ioasids cgroup controller at work" {
	say "kernel $(uname -r), $(nproc) CPUs, VT-d: $(ls /sys/class/iommu | tr '\n' ' ')"
	show cat /sys/kernel/debug/ioasid
	show $IOASIDCTL info

	say ""
	say "Two tenants share the PASID space: cap tenant a at 3, b at 2."
	show $IOASIDCTL enable tenants/a
	show $IOASIDCTL enable tenants/b
	show $IOASIDCTL set tenants/a 3
	show $IOASIDCTL set tenants/b 2

	say ""
	say "Tenant a holds 3 PASIDs; a fourth is refused with EDQUOT."
	holder_start $CG/tenants/a -n 3
	show sh -c "echo \$\$ > $CG/tenants/a/cgroup.procs && exec $IOASIDCTL alloc -n 1"
	say "Tenant b is unaffected and takes its 2."
	show sh -c "echo \$\$ > $CG/tenants/b/cgroup.procs && exec $IOASIDCTL alloc -n 2"
	show $IOASIDCTL tree tenants
	show cat $CG/tenants/a/ioasids.events $CG/tenants/a/ioasids.peak
	show sh -c "dmesg | grep ioasids:"

	say ""
	say "The holder exits: its PASIDs return to the system."
	holder_stop $HOLDER_PID
	show $IOASIDCTL tree tenants --json
	[ "$(cat $CG/tenants/a/ioasids.current)" = 0 ]
	[ "$(cat $CG/tenants/a/ioasids.events)" = "max 1" ]
	rmdir $CG/tenants/a $CG/tenants/b $CG/tenants
}

@test "a VMM's guest PASIDs are capped the same way" {
	say ""
	say "A VMM backs its guest's PASIDs with host ones, each carrying the"
	say "guest's number (a set-private ID). Cap the VM's cgroup at 2; the"
	say "guest asks for 3."
	show $IOASIDCTL enable vms/vm1
	show $IOASIDCTL set vms/vm1 2
	show sh -c "echo \$\$ > $CG/vms/vm1/cgroup.procs && exec $HOLDER -n 3 -s 100"
	show cat $CG/vms/vm1/ioasids.events $CG/vms/vm1/ioasids.peak
	[ "$(cat $CG/vms/vm1/ioasids.events)" = "max 1" ]
	[ "$(cat $CG/vms/vm1/ioasids.peak)" = 2 ]
	[ "$(cat $CG/vms/vm1/ioasids.current)" = 0 ]

	say ""
	say "A process bound to a device for SVA takes its PASID through the same"
	say "charge (the mm's set). x86 stable kernels refuse SVA binds (the fix"
	say "for CVE-2025-71089) and QEMU has no SVA device, so the demo cannot"
	say "show one: the charge and the limit are the ones shown above."
	rmdir $CG/vms/vm1 $CG/vms
}
