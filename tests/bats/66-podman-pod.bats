#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A pod-wide PASID cap with podman (Debian's 4.3), over runc and crun: the
# pod's cgroup parent carries ioasids.max=3, each container below it its
# own --cgroup-conf=ioasids.max=2, and together they cannot pass the pod's.
#
# podman 4.3 makes a pod's own cgroup (PARENT/<pod ID>) through
# containers/common, whose cgroup v2 handlers call runc's fs2 Set() with
# the pod's resources: no device rules and SkipDevices unset, so a
# deny-all BPF_CGROUP_DEVICE program is attached to it. The kernel runs
# the programs of every ancestor too, so nothing in the pod may open or
# mknod a device: runc fails "error reopening /dev/null", crun
# "mknod `/dev/null`". --share-parent=false skips that cgroup: the infra
# container and every container given --cgroup-parent=PARENT run directly
# below PARENT, which the admin made and capped.

load helpers
load podman

setup() {
	podman_setup
	POD=$CG/bats-pod
}

teardown() {
	"${PODMAN[@]}" pod rm -af > /dev/null 2>&1 || true
	"${PODMAN[@]}" rm -af > /dev/null 2>&1 || true
	cg_teardown $POD
}

# pod_holder RUNTIME OPTIONS... -- ARGS...: a detached holder with ARGS in
# pod-a, below /bats-pod, under its own cap of 2; prints its container ID
pod_holder() {
	local rt=$1
	local -a opts=()
	shift
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	"${PODMAN[@]}" run -d --pod pod-a --runtime $rt --cgroup-parent=/bats-pod \
		--cgroup-conf=ioasids.max=2 --device /dev/ioasid \
		-v /usr:/usr:ro -v $IOASID_TOP:/repo:ro -e ASAN_OPTIONS=detect_leaks=0 \
		"${opts[@]}" --rootfs $R $HOLDER_IN -H -p "$@"
}

# wait_current CGROUP N: until CGROUP's ioasids.current is N (60 s at most)
wait_current() {
	local i
	for ((i = 0; i < 600; i++)); do
		[ "$(cat $1/ioasids.current)" = "$2" ] && return 0
		sleep 0.1
	done
	cat $1/ioasids.current
	return 1
}

# wait_log CONTAINER LINE: until the container's log has LINE (30 s at most)
wait_log() {
	local i
	for ((i = 0; i < 60; i++)); do
		"${PODMAN[@]}" logs "$1" 2>&1 | grep -x "$2" > /dev/null && return 0
		sleep 0.5
	done
	"${PODMAN[@]}" logs "$1"
	return 1
}

# pod_cap RUNTIME: A takes 3, its own cap refuses the third; B then takes
# 1 and the pod's cap refuses its second; all back when the pod stops
pod_cap() {
	local rt=$1 a b
	cg_mkpath bats-pod > /dev/null
	echo 3 > $POD/ioasids.max

	run "${PODMAN[@]}" --runtime $rt pod create --name pod-a --network none \
		--share-parent=false --cgroup-parent=/bats-pod
	assert_success
	run "${PODMAN[@]}" pod start pod-a
	assert_success
	run "${PODMAN[@]}" pod inspect --format '{{.State}} {{.CgroupParent}} {{.NumContainers}}' pod-a
	assert_output "Running /bats-pod 1"
	# The infra (pause) container runs below the pod's parent
	infra=$("${PODMAN[@]}" pod inspect --format '{{.InfraContainerID}}' pod-a)
	assert [ -d $POD/libpod-$infra ]

	a=$(pod_holder $rt --name ctr-a -- -n 3)
	wait_log ctr-a 'holding 2'
	b=$(pod_holder $rt --name ctr-b -- -n 2)
	wait_log ctr-b 'holding 1'
	run "${PODMAN[@]}" pod inspect --format '{{.NumContainers}}' pod-a
	assert_output 3

	# Inside: A took 2 and its own cap refused the third; B took 1 and
	# the pod's cap refused its second
	run "${PODMAN[@]}" logs ctr-a
	assert_line 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_line 'holding 2'
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx '[0-9][0-9]*')" 2
	run "${PODMAN[@]}" logs ctr-b
	assert_line 'ioasid_holder: ID 2 of 2: Disk quota exceeded'
	assert_line 'holding 1'
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx '[0-9][0-9]*')" 1

	# Each container's cgroup is below the pod's, capped at 2
	assert_equal "$(cat $POD/libpod-$a/ioasids.max $POD/libpod-$b/ioasids.max)" "2
2"
	assert_equal "$(cat $POD/libpod-$a/ioasids.current)" 2
	assert_equal "$(cat $POD/libpod-$b/ioasids.current)" 1
	assert_equal "$(cat $POD/ioasids.current)" 3
	# Which level refused: A's own limit (A's events.local), then the
	# pod's (the pod's events.local); the pod's events count both, B's none
	assert_equal "$(cat $POD/libpod-$a/ioasids.events.local)" "max 1"
	assert_equal "$(cat $POD/libpod-$b/ioasids.events)" "max 0"
	assert_equal "$(cat $POD/libpod-$b/ioasids.events.local)" "max 0"
	assert_equal "$(cat $POD/ioasids.events.local)" "max 1"
	assert_equal "$(cat $POD/ioasids.events)" "max 2"

	# The holders free their IDs on SIGTERM, podman's stop signal
	run "${PODMAN[@]}" pod stop -t 20 pod-a
	assert_success
	wait_current $POD 0
	assert_equal "$(cat $POD/ioasids.peak)" 3
	assert_equal "$(cat $CG/ioasids.current)" 0
}

@test "podman pod over runc: the pod's parent caps at 3 what two containers capped at 2 take together" {
	pod_cap runc
}

@test "podman pod over crun: the same pod-wide cap" {
	pod_cap crun
}

@test "podman 4.3's own pod cgroup denies every device (why --share-parent=false)" {
	cg_mkpath bats-pod > /dev/null
	"${PODMAN[@]}" --runtime runc pod create --name pod-a --network none \
		--cgroup-parent=/bats-pod > /dev/null
	run "${PODMAN[@]}" pod inspect --format '{{.CgroupPath}}' pod-a
	assert_output --regexp '^/bats-pod/[0-9a-f]{64}$'
	pc=$CG$output
	run "${PODMAN[@]}" pod start pod-a
	assert_failure
	assert_output --partial 'error reopening /dev/null inside container: open /dev/null: operation not permitted'
	# Any process below the pod's cgroup is denied /dev/null; beside it,
	# in the admin's parent, it is not
	mkdir $pc/probe $POD/probe
	run cg_exec $pc/probe head -c 1 /dev/null
	assert_failure
	assert_output --partial 'Operation not permitted'
	run cg_exec $POD/probe head -c 1 /dev/null
	assert_success
}
