#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The ioasids controller as the kernel log shows it. Its charging (limits
# at every depth, events, peak, poll, migration, dying cgroups,
# delegation) is tested by tools/testing/selftests/ioasid/test_ioasids.c.

load helpers

setup() {
	T=$(cg_mkpath bats-charge)
}

teardown() {
	cg_teardown $CG/bats-charge
}

@test "the first refusal in a cgroup is logged once, naming the cgroup" {
	mkdir $T/logged
	echo 0 > $T/logged/ioasids.max
	for i in 1 2 3 4 5; do
		sh -c "echo \$\$ > $T/logged/cgroup.procs && exec $HOLDER -n 1" 2>/dev/null || true
	done
	assert_equal "$(cat $T/logged/ioasids.events.local)" "max 5"
	run sh -c "dmesg | grep -c 'ioasids: IOASID allocation refused by the limit of cgroup /bats-charge/logged$'"
	assert_output 1
}
