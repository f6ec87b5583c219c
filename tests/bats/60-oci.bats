#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# OCI runtimes (Debian's crun and runc) cap a container's PASIDs through
# linux.resources.unified {"ioasids.max": N}, with /dev/ioasid passed in.

load helpers

# bundle DIR N ARGS...: an OCI bundle whose rootfs binds the host's
# /usr (Debian's merged /usr) and the repository, read-only
bundle() {
	local dir=$1 max=$2 args
	shift 2
	args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
	mkdir -p $dir/rootfs/{usr,dev,proc,sys,tmp,repo}
	for l in bin sbin lib lib64; do ln -sfn usr/$l $dir/rootfs/$l; done
	read major minor < <(stat -c '%t %T' /dev/ioasid)
	major=$((16#$major)) minor=$((16#$minor))
	cat > $dir/config.json <<JSON
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": { "uid": 0, "gid": 0 },
    "args": $args,
    "env": ["PATH=/usr/sbin:/usr/bin", "ASAN_OPTIONS=detect_leaks=0"],
    "cwd": "/",
    "noNewPrivileges": true
  },
  "root": { "path": "rootfs", "readonly": true },
  "hostname": "oci",
  "mounts": [
    { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"] },
    { "destination": "/tmp", "type": "tmpfs", "source": "tmpfs" },
    { "destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind", "ro"] },
    { "destination": "/repo", "type": "bind", "source": "$IOASID_TOP", "options": ["rbind", "ro"] }
  ],
  "linux": {
    "namespaces": [ { "type": "pid" }, { "type": "mount" }, { "type": "ipc" }, { "type": "uts" } ],
    "cgroupsPath": "/bats-oci/ctr",
    "devices": [
      { "path": "/dev/ioasid", "type": "c", "major": $major, "minor": $minor, "fileMode": 384, "uid": 0, "gid": 0 }
    ],
    "resources": {
      "devices": [
        { "allow": false, "access": "rwm" },
        { "allow": true, "type": "c", "major": $major, "minor": $minor, "access": "rw" }
      ],
      "unified": { "ioasids.max": "$max" }
    }
  }
}
JSON
}

setup() {
	B=$BATS_TEST_TMPDIR/bundle
	HOLDER_IN=/repo/${HOLDER#$IOASID_TOP/}
}

teardown() {
	for rt in crun runc; do $rt delete -f bats-$rt 2>/dev/null || true; done
	cg_teardown $CG/bats-oci
	# Leave the root as the runtimes found it
	echo -ioasids > $CG/cgroup.subtree_control 2>/dev/null || true
}

oci_cap() {
	local rt=$1
	bundle $B 2 $HOLDER_IN -n 3
	run $rt run --bundle $B bats-$rt
	assert_failure 1
	# stdout and stderr reach us through separate pipes: order free
	assert_line 'ioasid_holder: ID 3 of 3: Disk quota exceeded'
	assert_equal "$(printf '%s\n' "${lines[@]}" | grep -cx '[0-9][0-9]*')" 2
	assert_equal "${#lines[@]}" 3
	# The controller is enabled along the container's cgroup path
	run cat $CG/cgroup.subtree_control $CG/bats-oci/cgroup.subtree_control
	assert_line --index 0 --partial ioasids
	assert_line --index 1 --partial ioasids
}

oci_release() {
	local rt=$1
	bundle $B 4 $HOLDER_IN -n 4 -H
	$rt run --detach --bundle $B bats-$rt
	for i in $(seq 100); do
		[ "$(cat $CG/bats-oci/ctr/ioasids.current 2>/dev/null)" = 4 ] && break
		sleep 0.1
	done
	assert_equal "$(cat $CG/bats-oci/ctr/ioasids.max)" 4
	assert_equal "$(cat $CG/bats-oci/ctr/ioasids.current)" 4
	$rt kill bats-$rt KILL
	for i in $(seq 100); do
		[ "$(cat $CG/ioasids.current)" = 0 ] && break
		sleep 0.1
	done
	assert_equal "$(cat $CG/ioasids.current)" 0
	assert_equal "$(ioasid_debugfs free)" "$(ioasid_debugfs capacity)"
}

@test "runc enables the controller along its path and the cap holds" {
	oci_cap runc
}

@test "runc: a killed container's IDs are released" {
	oci_release runc
}

@test "crun 1.8 enables only the controllers it knows: ioasids must be enabled first" {
	# Without it, crun names the missing controller
	bundle $B 2 $HOLDER_IN -n 1
	run crun run --bundle $B bats-crun
	assert_failure
	assert_output --partial 'the requested cgroup controller `ioasids` is not available'
}

@test "crun, with the controller enabled on the path, caps the container" {
	$IOASIDCTL enable bats-oci/ctr
	oci_cap crun
}

@test "crun: a killed container's IDs are released" {
	$IOASIDCTL enable bats-oci/ctr
	oci_release crun
}
