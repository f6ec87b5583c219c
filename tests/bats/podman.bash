# SPDX-License-Identifier: GPL-2.0
# The podman setup of 65-podman.bats and 66-podman-pod.bats.

# podman_setup: podman's state in the test's directory (the VM's root is
# read-only and no systemd runs in it), Debian's podman 4.3 with CNI's
# plugins and no network, and a local root filesystem $R (no image, no
# registry). Sets S, PODMAN, R and HOLDER_IN.
podman_setup() {
	S=$BATS_TEST_TMPDIR
	mkdir -p $S/networks
	printf '[network]\nnetwork_backend = "cni"\nnetwork_config_dir = "%s"\n' $S/networks > $S/containers.conf
	export CONTAINERS_CONF=$S/containers.conf
	PODMAN=(podman --root $S/storage --runroot $S/run --tmpdir $S/tmp
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend none)
	R=$S/rootfs
	mkdir -p $R/{usr,dev,proc,sys,tmp,repo,etc,run}
	for l in bin sbin lib lib64; do ln -sfn usr/$l $R/$l; done
	HOLDER_IN=/repo/${HOLDER#$IOASID_TOP/}
}
