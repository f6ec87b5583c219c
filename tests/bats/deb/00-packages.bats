#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The packages of "make deb", installed by dpkg into an overlay of the
# host's root (scripts/deb-vm-test.sh): the guest runs the kernel of the
# linux-image package and this root is that overlay. IOASID_DEB_KVERSION
# and IOASID_DEB_CTLVERSION are the versions of the .deb files the host
# installed.

load ../helpers

@test "the running kernel is the installed linux-image package's" {
	[ -n "$IOASID_DEB_KVERSION" ]
	assert_equal "$(uname -r)" "$IOASID_KVER"
	run dpkg-query -W -f '${db:Status-Abbrev}${Version}' "linux-image-$(uname -r)"
	assert_output "ii $IOASID_DEB_KVERSION"
	run dpkg -S "/boot/vmlinuz-$(uname -r)"
	assert_output "linux-image-$(uname -r): /boot/vmlinuz-$(uname -r)"
	# The package's configuration is the running kernel's
	grep -qx 'CONFIG_CGROUP_IOASIDS=y' "/boot/config-$(uname -r)"
	grep -qx 'CONFIG_IOASID_USER=y' "/boot/config-$(uname -r)"
	grep -qw ioasids /proc/cgroups
}

@test "ioasidctl is the package's: /usr/sbin/ioasidctl, without sanitizers" {
	[ -n "$IOASID_DEB_CTLVERSION" ]
	assert_equal "$IOASIDCTL" /usr/sbin/ioasidctl
	run dpkg-query -W -f '${db:Status-Abbrev}${Version}' ioasidctl
	assert_output "ii $IOASID_DEB_CTLVERSION"
	run dpkg -S /usr/sbin/ioasidctl
	assert_output "ioasidctl: /usr/sbin/ioasidctl"
	run ldd /usr/sbin/ioasidctl
	assert_output --partial libjansson.so.4
	refute_output --partial libasan
	refute_output --partial libubsan
	# Debian's hardening flags went in: full RELRO and a stack protector
	run readelf -d /usr/sbin/ioasidctl
	assert_output --regexp 'FLAGS.*BIND_NOW'
	run readelf -s --wide /usr/sbin/ioasidctl
	assert_output --partial __stack_chk_fail
}

@test "the package ships the man page, the bash completion and the udev example" {
	run dpkg -L ioasidctl
	assert_line /usr/share/man/man8/ioasidctl.8.gz
	assert_line /usr/share/bash-completion/completions/ioasidctl
	assert_line /usr/share/doc/ioasidctl/examples/60-ioasid.rules
	run zcat /usr/share/man/man8/ioasidctl.8.gz
	assert_line --index 1 --partial '.TH IOASIDCTL 8 '
	run bash -c '. /usr/share/bash-completion/completions/ioasidctl && complete -p ioasidctl'
	assert_success
	assert_output --regexp '^complete .*-F _ioasidctl[^ ]* ioasidctl$'
}

@test "the udev rule is shipped, not enabled, and matches /dev/ioasid's device" {
	[ ! -e /etc/udev/rules.d/60-ioasid.rules ]
	[ ! -e /lib/udev/rules.d/60-ioasid.rules ]
	[ ! -e /usr/lib/udev/rules.d/60-ioasid.rules ]
	rule=$(grep -v '^#' /usr/share/doc/ioasidctl/examples/60-ioasid.rules | grep .)
	assert_equal "$rule" 'SUBSYSTEM=="misc", KERNEL=="ioasid", GROUP="ioasid", MODE="0660"'
	# Its keys match what the kernel reports for the device
	assert_equal "$(basename "$(readlink /sys/class/misc/ioasid/subsystem)")" misc
	grep -qx 'DEVNAME=ioasid' /sys/class/misc/ioasid/uevent
	# Not enabled: the node keeps the kernel's mode
	assert_equal "$(stat -c '%a %G' /dev/ioasid)" "600 root"
}

@test "the packaged ioasidctl drives the controller and /dev/ioasid" {
	run /usr/sbin/ioasidctl info --json
	assert_success
	assert_equal "$(jq -r .capacity <<< "$output")" "$(cat $CG/ioasids.capacity)"
	run /usr/sbin/ioasidctl enable deb-pkg/a
	assert_success
	run /usr/sbin/ioasidctl set deb-pkg/a 2
	assert_success
	assert_equal "$(cat $CG/deb-pkg/a/ioasids.max)" 2
	# Two IDs fit under the cap; a third is refused with EDQUOT, counted
	run /usr/sbin/ioasidctl run --cgroup deb-pkg/a -- /usr/sbin/ioasidctl alloc -n 3
	assert_failure 1
	assert_line 'ioasidctl: /dev/ioasid: ID 3 of 3: Disk quota exceeded'
	run /usr/sbin/ioasidctl get deb-pkg/a --json
	assert_success
	assert_equal "$(jq -c . <<< "$output")" \
		'{"cgroup":"deb-pkg/a","current":0,"max":2,"peak":2,"events":1,"events_local":1}'
	cg_rmtree "$CG/deb-pkg"
}
