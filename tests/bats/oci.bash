# SPDX-License-Identifier: GPL-2.0
# The OCI bundle of the runtime tests (60-oci.bats, 62-crun.bats).

# bundle DIR N ARGS...: an OCI bundle whose rootfs binds the host's
# /usr (Debian's merged /usr) and the repository, read-only, that runs
# ARGS in the cgroup $OCI_CGROUP (default /bats-oci/ctr) with
# "ioasids.max": N in its unified map and /dev/ioasid passed in
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
    "cgroupsPath": "${OCI_CGROUP:-/bats-oci/ctr}",
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
