#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# podman (Debian's 4.3) caps a container's PASIDs with
# --cgroup-conf=ioasids.max=N, over runc and crun, from a local root
# filesystem (--rootfs: no image, no registry).

load helpers
load podman

setup() {
	podman_setup
}

teardown() {
	"${PODMAN[@]}" rm -af > /dev/null 2>&1 || true
	cg_teardown $CG/bats-podman
	echo -ioasids > $CG/cgroup.subtree_control 2>/dev/null || true
}

# prun RUNTIME OPTIONS... -- ARGS...: podman run of the holder with ARGS
# in the root filesystem $R, /usr and the repository bound read-only,
# /dev/ioasid passed in
prun() {
	local rt=$1
	local -a opts=()
	shift
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	"${PODMAN[@]}" run --runtime $rt --network none --device /dev/ioasid \
		-v /usr:/usr:ro -v $IOASID_TOP:/repo:ro -e ASAN_OPTIONS=detect_leaks=0 \
		"${opts[@]}" --rootfs $R $HOLDER_IN "$@"
}

# podman_cap RUNTIME: 2 IDs taken, the third refused inside, all back at exit
podman_cap() {
	run prun $1 --rm --cgroup-parent=/bats-podman --cgroup-conf=ioasids.max=2 \
		-- -n 3
	assert_failure 1
	assert_line 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx '[0-9][0-9]*')" 2
	assert_equal "$(cat $CG/bats-podman/ioasids.events)" "max 1"
	assert_equal "$(cat $CG/bats-podman/ioasids.peak)" 2
	assert_equal "$(cat $CG/ioasids.current)" 0
}

@test "podman --cgroup-conf=ioasids.max=2 over runc: 2 taken, the third EDQUOT, all back at exit" {
	podman_cap runc
}

@test "podman over crun 1.8: podman enables the controller on the parent, so crun caps the container too" {
	# Run directly, stock crun refuses (tests/bats/60-oci.bats); podman's
	# cgroupfs manager makes the parent with every controller enabled
	podman_cap crun
	run cat $CG/cgroup.subtree_control $CG/bats-podman/cgroup.subtree_control
	assert_line --index 0 --partial ioasids
	assert_line --index 1 --partial ioasids
}
