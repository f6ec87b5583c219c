#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A bounded stress run (tools/testing/selftests/ioasid/ioasid-stress.c): holders take
# and release IDs through /dev/ioasid while child cgroups come and go, the
# holders move between them, limits go down and up and holders are killed
# with SIGKILL. At the end nothing is charged, every ID is free, no cgroup is
# left dying and the refusals seen match ioasids.events.

load helpers

STRESS=${IOASID_STRESS:-$kselftest/ioasid-stress}
STRESS_SECONDS=${IOASID_STRESS_SECONDS:-20}
SEED=${IOASID_STRESS_SEED:-$(date +%s)}

teardown() {
	cg_teardown $CG/bats-stress
}

# fig NAME: the figure NAME of the summary in $output
fig() {
	echo "$output" | awk -v k="$1" '$1 == k { print $2 }'
}

@test "stress: alloc/free, cgroup churn, migration, limit changes and SIGKILL for ${STRESS_SECONDS}s leave nothing behind" {
	P=$(cg_mkpath bats-stress)
	mark="ioasid-stress-begin-$$-$SEED"
	echo "$mark" > /dev/kmsg

	run timeout $((STRESS_SECONDS + 120)) $STRESS --seconds $STRESS_SECONDS --holders 16 \
		--limit 32 --hold 6 --seed $SEED $P
	echo "$output" | sed 's/^/# /' >&3
	assert_success
	assert_line 'balance ok'
	assert_line --regexp '^refusals: (exact|bounded),'

	# Every part of the stress happened, not only the exit code
	assert_equal "$(fig errors)" 0
	[ "$(fig allocs)" -ge $((STRESS_SECONDS * 20)) ]
	[ "$(fig frees)" -ge $((STRESS_SECONDS * 10)) ]
	[ "$(fig spid_ops)" -gt 0 ]
	[ "$(fig refusals_seen)" -gt 0 ]
	[ "$(fig kills)" -gt 0 ]
	[ "$(fig migrations)" -gt 0 ]
	[ "$(fig cgroups_created)" -gt 2 ]
	assert_equal "$(fig cgroups_removed)" "$(fig cgroups_created)"
	[ "$(fig limit_writes)" -gt 0 ]
	[ "$(fig limits_below_current)" -gt 0 ]

	# The refusals: the kernel's hierarchical count is the sum of the local
	# ones, and matches what the holders saw, exactly unless a kill landed
	# between an ioctl and its counting
	seen=$(fig refusals_seen) events=$(fig events_max) inflight=$(fig inflight_kills)
	assert_equal "$events" "$(fig events_local_sum)"
	if [ "$inflight" -eq 0 ]; then
		assert_equal "$events" "$seen"
	else
		[ "$seen" -le "$events" ] && [ "$events" -le $((seen + inflight)) ]
	fi

	# The final balance, as the program saw it and as we see it now
	assert_equal "$(fig final_current)" 0
	assert_equal "$(fig final_dying)" 0
	assert_equal "$(fig free)" "$(fig capacity)"
	assert_equal "$(cat $P/ioasids.current)" 0
	assert_equal "$(awk '$1 == "nr_dying_descendants" { print $2 }' $P/cgroup.stat)" 0
	assert_equal "$(awk '$1 == "nr_descendants" { print $2 }' $P/cgroup.stat)" 0
	assert_equal "$(cat $P/cgroup.procs)" ""
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
	assert_equal "$(cat $P/ioasids.max)" 32

	# And the kernel said nothing bad meanwhile
	run bash -c "dmesg | sed -n '/$mark/,\$p' | grep -E '$splat_pattern'"
	assert_failure
}
