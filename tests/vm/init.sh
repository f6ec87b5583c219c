#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test VM. The root is the host's, read-only over 9p; give it
# the writable places a test needs, run the suite, write its results to the
# host's results directory (a second 9p share, scripts/run-vm.sh), power off.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs -o mode=755 tmpfs /run
# The repository may live under a directory the tmpfs mounts below hide
# (CI clones anywhere, /tmp included): reach it through a bind mount.
mkdir -p /run/ioasid-top
mount --bind "$IOASID_TOP" /run/ioasid-top
export IOASID_TOP=/run/ioasid-top
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /root
mount -t tmpfs -o mode=755 tmpfs /var/tmp 2>/dev/null
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
mount -t debugfs debugfs /sys/kernel/debug
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/tmp LANG=C.UTF-8 TERM=dumb
hostname ioasid-vm

out=/run/ioasid-out
mkdir -p $out
mount -t 9p -o trans=virtio,version=9p2000.L ioasid-out $out || busybox poweroff -f
cd "$IOASID_TOP" || busybox poweroff -f

# The debug kernel: what leaked by the end of boot (the KUnit suites run
# then), then, after a clear, only what the suites leak. kmemleak reports
# objects at least 5 s old.
kmemleak=/sys/kernel/debug/kmemleak
if [ -w $kmemleak ]; then
	sleep 5
	echo scan > $kmemleak
	cat $kmemleak > /run/kmemleak-boot
	echo clear > $kmemleak
fi

# IOASID_KSELFTEST=1: the kselftests of tools/testing/selftests/ioasid
# first, each program's TAP in kselftest.tap
if [ -n "${IOASID_KSELFTEST:-}" ]; then
	. "$IOASID_TOP/scripts/lib.sh"
	for t in $kselftest_progs; do
		"$kselftest/$t"
	done > $out/kselftest.tap 2>&1
fi

# IOASID_SUITE: Bats files or directories, separated by commas
bats --tap --timing ${IOASID_SUITE//,/ } > $out/bats.tap 2>&1
echo $? > $out/rc
if [ -w $kmemleak ]; then
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	cat /run/kmemleak-boot $kmemleak > $out/kmemleak.log
fi
dmesg > $out/dmesg.log
sync
umount $out
busybox poweroff -f
