#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Debian's own systemd 252 as PID 1, which knows nothing of the ioasids
# controller: "ioasidctl --unit" caps units by name, at unit start too.

load ../systemd/sd

teardown() {
	sd_cleanup bats-stock-a.service bats-stock-b.service bats-stock.slice \
		bats-pre.service bats-dead.service
}

@test "PID 1 is Debian's systemd" {
	run readlink /proc/1/exe
	assert_output --regexp '^(/usr)?/lib/systemd/systemd$'
	run systemctl show -P IOASIDMax -- -.slice
	assert_output ''
}

@test "ioasidctl set --unit caps a running slice, and the cap survives daemon-reload" {
	printf '[Slice]\n' > $UNITS/bats-stock.slice
	holder_unit bats-stock-a bats-stock.slice -n 2
	holder_unit bats-stock-b bats-stock.slice -n 3 -p
	systemctl daemon-reload
	# An empty slice has its cgroup once started: cap it before it fills
	systemctl start bats-stock.slice
	run $IOASIDCTL set --unit bats-stock.slice 3
	assert_success
	assert_output ''
	cg=$(unit_cg bats-stock.slice)
	assert_equal "$(cat $cg/ioasids.max)" 3
	systemctl start bats-stock-a.service
	wait_line /run/bats-stock-a.out 'holding 2'
	systemctl start bats-stock-b.service
	wait_line /run/bats-stock-b.out 'holding 1'
	run cat /run/bats-stock-b.err
	assert_output $'ioasid_holder: ID 2 of 3: Disk quota exceeded\nioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(cat $cg/ioasids.current)" 3
	run $IOASIDCTL get --unit bats-stock.slice
	assert_line --index 0 'max 3'
	assert_line --index 1 'current 3'
	# A systemd that does not know the controller leaves it alone
	systemctl daemon-reload
	systemctl restart bats-stock-a.service
	wait_line /run/bats-stock-a.out 'holding 2'
	assert_equal "$(cat $cg/ioasids.max)" 3
	assert_equal "$(cat $cg/ioasids.current)" 3
	grep -qw ioasids $CG/cgroup.subtree_control
	# An unprivileged user (over the system bus, as on any running host)
	# can read the cap by unit name, not raise it
	systemctl start dbus.socket
	run setpriv --reuid=nobody --regid=nogroup --clear-groups $IOASIDCTL get --unit bats-stock.slice
	assert_success
	assert_line --index 0 'max 3'
	run setpriv --reuid=nobody --regid=nogroup --clear-groups $IOASIDCTL set --unit bats-stock.slice 50
	assert_failure 1
	assert_output --partial 'Permission denied'
	assert_equal "${#lines[@]}" 1
	assert_equal "$(cat $cg/ioasids.max)" 3
}

@test "ExecStartPre=+ioasidctl set --unit %n caps a service before it starts" {
	cat > $UNITS/bats-pre.service <<UNIT
[Service]
ExecStartPre=+$IOASIDCTL set --unit %n 2
ExecStart=$IOASIDCTL alloc --hold -n 3 --partial
StandardOutput=file:/run/bats-pre.out
StandardError=file:/run/bats-pre.err
UNIT
	systemctl daemon-reload
	systemctl start bats-pre.service
	wait_line /run/bats-pre.out 'holding 2'
	cg=$(unit_cg bats-pre.service)
	assert_equal "$(cat $cg/ioasids.max)" 2
	assert_equal "$(cat $cg/ioasids.current)" 2
	assert_equal "$(cat $cg/ioasids.events)" "max 1"
	run cat /run/bats-pre.err
	assert_output 'ioasidctl: /dev/ioasid: ID 3 of 3: Disk quota exceeded'
}

@test "ioasidctl --unit: unknown, stopped and cgroup-less units are one-line errors" {
	run $IOASIDCTL set --unit bats-nosuch.service 2
	assert_failure 1
	assert_output 'ioasidctl: bats-nosuch.service: no such unit loaded'
	run $IOASIDCTL get --unit multi-user.target
	assert_failure 1
	assert_output --partial 'ioasidctl: multi-user.target: not a unit name with a cgroup'
	run $IOASIDCTL get --unit '../x.service'
	assert_failure 1
	# A failed unit stays loaded, without a cgroup
	printf '[Service]\nType=oneshot\nExecStart=/bin/false\n' > $UNITS/bats-dead.service
	systemctl daemon-reload
	run systemctl start bats-dead.service
	assert_failure
	run $IOASIDCTL get --unit bats-dead.service
	assert_failure 1
	assert_output 'ioasidctl: bats-dead.service: the unit has no cgroup (it is not running)'
	run $IOASIDCTL set 2 --unit
	assert_failure 2
	assert_output --partial '--unit needs a unit NAME'
}
