#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# IOASIDMax= in unit files, systemctl set-property, systemd-run -p,
# daemon-reload and Delegate=, with the patched systemd as PID 1

load sd

teardown() {
	sd_cleanup bats-four-a.service bats-four-b.service bats-four.slice \
		bats-run.service bats-zero.service bats-pct.slice bats-bad.slice \
		bats-deleg.service

}

four_slice() {
	printf '[Slice]\nIOASIDMax=4\n' > $UNITS/bats-four.slice
	holder_unit bats-four-a bats-four.slice -n 3 -p
	holder_unit bats-four-b bats-four.slice -n 3 -p
	systemctl daemon-reload
	systemctl start bats-four-a.service
	wait_line /run/bats-four-a.out 'holding 3'
	systemctl start bats-four-b.service
	wait_line /run/bats-four-b.out 'holding 1'
}

@test "a slice with IOASIDMax=4: two services asking for 3 each get 4, the rest is EDQUOT" {
	four_slice
	cg=$(unit_cg bats-four.slice)
	assert_equal "$cg" "$CG/bats.slice/bats-four.slice"
	# systemd enabled the controller along the path and wrote the limit
	run cat $CG/cgroup.subtree_control $CG/bats.slice/cgroup.subtree_control
	assert_line --index 0 --partial ioasids
	assert_line --index 1 --partial ioasids
	assert_equal "$(cat $cg/ioasids.max)" 4
	assert_equal "$(cat $cg/ioasids.current)" 4
	assert_equal "$(cat $cg/ioasids.events)" "max 2"
	run cat /run/bats-four-b.err
	assert_line --index 0 'ioasid_holder: ID 2 of 3: Disk quota exceeded'
	assert_line --index 1 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "${#lines[@]}" 2
	assert_equal "$(grep -c '^[0-9]*$' /run/bats-four-a.out)" 3
	assert_equal "$(grep -c '^[0-9]*$' /run/bats-four-b.out)" 1
	run systemctl show -P IOASIDMax bats-four.slice
	assert_output 4
	run systemctl show -P IOASIDCurrent bats-four.slice
	assert_output 4
	run systemctl status --no-pager bats-four.slice
	assert_line --regexp '^ +IOASIDs: 4 \(limit: 4\)$'
	# Stopping the services gives the IDs back
	systemctl stop bats-four-a.service bats-four-b.service
	assert_equal "$(cat $cg/ioasids.current)" 0
}

@test "systemctl set-property lowers a running slice's cap, persistently" {
	four_slice
	cg=$(unit_cg bats-four.slice)
	systemctl set-property bats-four.slice IOASIDMax=2
	assert_equal "$(cat $cg/ioasids.max)" 2
	# The holders keep what they have; nothing new fits
	assert_equal "$(cat $cg/ioasids.current)" 4
	run cat /etc/systemd/system.control/bats-four.slice.d/50-IOASIDMax.conf
	assert_line 'IOASIDMax=2'
	run systemctl show -P IOASIDMax bats-four.slice
	assert_output 2
	# With no limit the slice no longer needs the controller, unless
	# IOASIDAccounting= asks for it, as TasksAccounting= does for pids
	systemctl set-property --runtime bats-four.slice IOASIDMax=infinity
	run systemctl show -P IOASIDMax bats-four.slice
	assert_output infinity
	[ ! -e $cg/ioasids.max ]
	run systemctl show -P IOASIDCurrent bats-four.slice
	assert_output '[not set]'
	systemctl set-property --runtime bats-four.slice IOASIDAccounting=yes
	assert_equal "$(cat $cg/ioasids.max)" max
	# A charge stays with the controller state it was taken in: the four
	# IDs held across the toggle are still counted system-wide, not here
	# (Documentation/admin-guide/cgroup-v2.rst, "IOASIDs")
	[ "$(cat $CG/ioasids.current)" -ge 4 ]
	assert_equal "$(cat $cg/ioasids.current)" 0
	run systemctl show -P IOASIDCurrent bats-four.slice
	assert_output 0
	run systemctl status --no-pager bats-four.slice
	assert_line --regexp '^ +IOASIDs: 0$'
}

@test "IOASIDMax=N% is a share of ioasids.capacity; 0 forbids; bad values are refused" {
	cap=$(cat $CG/ioasids.capacity)
	printf '[Slice]\nIOASIDMax=25%%\n' > $UNITS/bats-pct.slice
	printf '[Slice]\nIOASIDMax=lots\n' > $UNITS/bats-bad.slice
	cat > $UNITS/bats-zero.service <<UNIT
[Service]
Type=oneshot
Slice=bats-pct.slice
IOASIDMax=0
ExecStart=$HOLDER -n 1
StandardError=file:/run/bats-zero.err
UNIT
	systemctl daemon-reload
	run systemctl start bats-zero.service
	assert_failure
	assert_equal "$(cat $(unit_cg bats-pct.slice)/ioasids.max)" $((cap / 4))
	run systemctl show -P IOASIDMax bats-pct.slice
	assert_output $((cap / 4))
	run cat /run/bats-zero.err
	assert_output 'ioasid_holder: ID 1 of 1: Disk quota exceeded'
	# An unparsable value is ignored with a warning, as for TasksMax=
	run systemctl show -P IOASIDMax bats-bad.slice
	assert_output infinity
	# systemctl refuses bad values before they reach PID 1
	run systemctl set-property bats-pct.slice IOASIDMax=-1
	assert_failure
	assert_output --partial 'IOASIDMax'
	run systemctl set-property bats-pct.slice IOASIDMax=1x
	assert_failure
	run systemctl show -P IOASIDMax bats-pct.slice
	assert_output $((cap / 4))
}

@test "systemd-run -p IOASIDMax=2 caps a transient unit" {
	systemd-run --unit=bats-run -p IOASIDMax=2 -p StandardOutput=file:/run/bats-run.out \
		-p StandardError=file:/run/bats-run.err -- $HOLDER -n 3 -H -p
	wait_line /run/bats-run.out 'holding 2'
	cg=$(unit_cg bats-run.service)
	assert_equal "$(cat $cg/ioasids.max)" 2
	assert_equal "$(cat $cg/ioasids.current)" 2
	run cat /run/bats-run.err
	assert_output 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	run systemctl show -P IOASIDMax bats-run.service
	assert_output 2
	# The transient unit's file carries the setting
	run grep -h IOASIDMax /run/systemd/transient/bats-run.service
	assert_output 'IOASIDMax=2'
	systemctl stop bats-run.service
	run systemd-run --wait --quiet -p IOASIDMax=0 -- $HOLDER -n 1
	assert_failure
}

@test "daemon-reload keeps the caps" {
	four_slice
	cg=$(unit_cg bats-four.slice)
	systemctl set-property bats-four.slice IOASIDMax=3
	systemctl daemon-reload
	assert_equal "$(cat $cg/ioasids.max)" 3
	run systemctl show -P IOASIDMax bats-four.slice
	assert_output 3
	assert_equal "$(cat $cg/ioasids.current)" 4
	run systemctl show -P IOASIDCurrent bats-four.slice
	assert_output 4
}

@test "Delegate=yes: the unit manages the controller below it, but not its own cap" {
	cat > /run/bats-deleg.sh <<'SH'
#!/bin/bash
cg=/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)
mkdir $cg/payload $cg/sub && echo $$ > $cg/payload/cgroup.procs &&
	echo +ioasids > $cg/cgroup.subtree_control && echo 1 > $cg/sub/ioasids.max &&
	echo delegated
( echo 100 > $cg/ioasids.max ) 2>&1 | sed 's/.*: //'
exec sleep infinity
SH
	chmod 755 /run/bats-deleg.sh
	cat > $UNITS/bats-deleg.service <<UNIT
[Service]
User=nobody
Delegate=yes
IOASIDMax=5
ExecStart=/run/bats-deleg.sh
StandardOutput=file:/run/bats-deleg.out
UNIT
	systemctl daemon-reload
	systemctl start bats-deleg.service
	wait_line /run/bats-deleg.out delegated
	wait_line /run/bats-deleg.out 'Permission denied'
	cg=$(unit_cg bats-deleg.service)
	run systemctl show -P DelegateControllers bats-deleg.service
	assert_output --partial ioasids
	assert_equal "$(cat $cg/ioasids.max)" 5
	assert_equal "$(cat $cg/sub/ioasids.max)" 1
	assert_equal "$(stat -c %U $cg/sub/ioasids.max)" nobody
	# The delegated limit holds: root puts a holder in the unit's sub-cgroup
	holder_start $cg/sub -n 2 -p
	run cat "$HOLDER_OUT"
	assert_line 'holding 1'
	assert_line 'ioasid_holder: ID 2 of 2: Disk quota exceeded'
	assert_equal "$(cat $cg/ioasids.current)" 1
	assert_equal "$(cat $cg/sub/ioasids.events)" "max 1"
	holder_stop $HOLDER_PID
}
