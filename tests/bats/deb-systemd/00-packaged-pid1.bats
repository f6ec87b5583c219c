#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The ioasid-systemd package of "make deb", installed by dpkg with the
# kernel and ioasidctl packages into an overlay of the host's root
# (scripts/deb-vm-test.sh systemd), its systemd booted as PID 1 over
# Debian's units and helpers. systemd's own IOASIDMax= and cgtop suites run
# after this file, with the package's systemctl, systemd-run and
# systemd-cgtop first in PATH (tests/vm/systemd-suite.sh).

load ../systemd/sd

@test "PID 1 is the ioasid-systemd package's, beside Debian's systemd of its version" {
	run readlink /proc/1/exe
	assert_output /usr/lib/ioasid-systemd/systemd
	run dpkg -S /usr/lib/ioasid-systemd/systemd
	assert_output "ioasid-systemd: /usr/lib/ioasid-systemd/systemd"
	debver=$(dpkg-query -W -f '${Version}' systemd)
	run dpkg-query -W -f '${db:Status-Abbrev}${Version}' ioasid-systemd
	assert_output --regexp "^ii ${debver//./\\.}\+ioasid[0-9]+\$"
	# Debian's PID 1 is still there, unchanged
	run dpkg -S /lib/systemd/systemd
	assert_output "systemd: /lib/systemd/systemd"
}

@test "the package's systemctl is first in PATH and links its own libraries" {
	run command -v systemctl
	assert_output /usr/lib/ioasid-systemd/systemctl
	run systemctl --version
	assert_line --index 0 "systemd 252 ($(dpkg-query -W -f '${Version}' systemd)+ioasid)"
	run ldd /usr/lib/ioasid-systemd/systemctl /usr/lib/ioasid-systemd/systemd
	assert_line --partial 'libsystemd-shared-252.so => /usr/lib/ioasid-systemd/libsystemd-shared-252.so'
	assert_line --partial 'libsystemd-core-252.so => /usr/lib/ioasid-systemd/libsystemd-core-252.so'
	refute_output --partial 'not found'
}

# run_unit NAME ARGS...: ARGS as a transient service capped at two IDs (no
# --wait: that needs D-Bus, which this VM does not run); waits until it
# has exited and prints its result and exit status
run_unit() {
	local name=$1 i sub
	shift
	systemd-run --quiet --unit="$name" -p IOASIDMax=2 -p RemainAfterExit=yes \
		-p StandardOutput=null -p StandardError="file:/run/$name.err" -- "$@"
	for i in $(seq 200); do
		sub=$(systemctl show -P SubState "$name.service")
		[ "$sub" = exited ] || [ "$sub" = failed ] && break
		sleep 0.05
	done
	echo "$(systemctl show -P Result "$name.service") $(systemctl show -P ExecMainStatus "$name.service")"
}

@test "systemd-run -p IOASIDMax=2 caps the packaged ioasidctl at two IDs" {
	run run_unit deb-cap2 /usr/sbin/ioasidctl alloc -n 2
	assert_output "success 0"
	run run_unit deb-cap3 /usr/sbin/ioasidctl alloc -n 3
	assert_output "exit-code 1"
	run cat /run/deb-cap3.err
	assert_output 'ioasidctl: /dev/ioasid: ID 3 of 3: Disk quota exceeded'
	run systemctl show -P IOASIDMax deb-cap3.service
	assert_output 2
}

teardown() {
	sd_cleanup deb-cap2.service deb-cap3.service
}
