#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# crun with integrations/crun/series (make crun: build/crun/out/crun)
# enables the controller of a unified key when the cgroup root offers it,
# as runc does, so "ioasids.max" caps a container under a parent that has
# not enabled ioasids; Debian's crun 1.8.1 refuses it.

load helpers
load oci

# The patched crun; IOASID_CRUN names another
PATCHED=${IOASID_CRUN:-$crun_patched}
STOCK=/usr/bin/crun

setup() {
	B=$BATS_TEST_TMPDIR/bundle
	HOLDER_IN=/repo/${HOLDER#$IOASID_TOP/}
	# A new parent that has not enabled ioasids, under a root that has
	# not either (unless a cgroup left by another file keeps it there)
	OCI_CGROUP=/bats-crun/ctr
	echo -ioasids > $CG/cgroup.subtree_control 2>/dev/null || true
	cg_teardown $CG/bats-crun
	mkdir $CG/bats-crun
	run cat $CG/bats-crun/cgroup.subtree_control
	refute_output --partial ioasids
	read -r ROOT_CTL < $CG/cgroup.subtree_control || true
}

teardown() {
	for rt in $PATCHED $STOCK; do $rt delete -f bats-crun 2>/dev/null || true; done
	cg_teardown $CG/bats-crun
	echo -ioasids > $CG/cgroup.subtree_control 2>/dev/null || true
	case " $ROOT_CTL " in
	*" misc "*) ;;
	*) echo -misc > $CG/cgroup.subtree_control 2>/dev/null || true ;;
	esac
}

# need_patched: fail, not skip, when make crun has not built it
need_patched() {
	[ -x "$PATCHED" ] || fail "no patched crun at $PATCHED (make crun)"
}

@test "patched crun: unified ioasids.max=2 under a parent without ioasids: 2 taken, the third EDQUOT, all back at exit" {
	need_patched
	bundle $B 2 $HOLDER_IN -n 3
	run $PATCHED run --bundle $B bats-crun
	assert_failure 1
	assert_line 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx '[0-9][0-9]*')" 2
	assert_equal "${#lines[@]}" 3
	# crun enabled the controller in the parent, which setup checked
	# had it off (and in the root, if no other file kept it on there)
	run cat $CG/cgroup.subtree_control $CG/bats-crun/cgroup.subtree_control
	assert_line --index 0 --partial ioasids
	assert_line --index 1 --partial ioasids
	# The parent counts the container's refusal and peak
	assert_equal "$(cat $CG/bats-crun/ioasids.events)" "max 1"
	assert_equal "$(cat $CG/bats-crun/ioasids.peak)" 2
	assert_equal "$(cat $CG/bats-crun/ioasids.current)" 0
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "patched crun: the container's own ioasids files while it holds 2 of 3, all back after kill" {
	need_patched
	bundle $B 2 $HOLDER_IN -n 3 -p -H
	$PATCHED run --detach --bundle $B bats-crun
	for i in $(seq 100); do
		[ "$(cat $CG/bats-crun/ctr/ioasids.events 2>/dev/null)" = "max 1" ] && break
		sleep 0.1
	done
	assert_equal "$(cat $CG/bats-crun/ctr/ioasids.max)" 2
	assert_equal "$(cat $CG/bats-crun/ctr/ioasids.current)" 2
	assert_equal "$(cat $CG/bats-crun/ctr/ioasids.peak)" 2
	assert_equal "$(cat $CG/bats-crun/ctr/ioasids.events)" "max 1"
	assert_equal "$(cat $CG/bats-crun/ctr/ioasids.events.local)" "max 1"
	assert_equal "$(cat $CG/ioasids.current)" 2
	$PATCHED kill bats-crun KILL
	for i in $(seq 100); do
		[ "$(cat $CG/ioasids.current)" = 0 ] && break
		sleep 0.1
	done
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "stock crun 1.8.1 refuses the same bundle: the controller is not available" {
	bundle $B 2 $HOLDER_IN -n 3
	run $STOCK run --bundle $B bats-crun
	assert_failure
	assert_output --partial 'the requested cgroup controller `ioasids` is not available'
	refute_output --partial 'ioasid_holder'
	run cat $CG/bats-crun/cgroup.subtree_control
	refute_output --partial ioasids
	assert_equal "$(cat $CG/ioasids.current)" 0
}

@test "crun's own test of the series (tests/test_resources.py) passes with the patched crun, fails with stock" {
	need_patched
	local t=$crun_out/../tree/tests
	cd $BATS_TEST_TMPDIR
	export INIT=$crun_out/tests/init
	export RUN_TESTS="resources-unified-enable-controller resources-unified-invalid-controller"
	run env OCI_RUNTIME=$PATCHED python3 $t/test_resources.py
	assert_line 'ok 1 - resources-unified-invalid-controller'
	assert_line 'ok 2 - resources-unified-enable-controller'
	run env OCI_RUNTIME=$STOCK python3 $t/test_resources.py
	assert_line 'ok 1 - resources-unified-invalid-controller'
	assert_line 'not ok 2 - resources-unified-enable-controller'
	assert_output --partial 'the requested cgroup controller `misc` is not available'
}
