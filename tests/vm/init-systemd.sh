#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the systemd test VM, until it hands over. The root is the host's,
# read-only over 9p: put a tmpfs overlay on it, write the test units into
# the overlay, pivot into it and exec systemd ($IOASID_SYSTEMD: the patched
# build, or Debian's /lib/systemd/systemd) as PID 1 with ioasid-test.target
# as the only thing to start.

mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# On the console; the host finds no results and reports that
die() {
	echo "init-systemd: $*" > /dev/console
	echo o > /proc/sysrq-trigger
	sleep 10
}

mount -t tmpfs -o mode=755 tmpfs /mnt || die "tmpfs on /mnt"
mkdir -p /mnt/upper /mnt/work /mnt/root
mount -t overlay -o lowerdir=/,upperdir=/mnt/upper,workdir=/mnt/work overlay /mnt/root ||
	die "overlay of / on /mnt/root"
root=/mnt/root

# This VM is not the container the host root may come from
rm -f $root/.dockerenv $root/run/.containerenv

# A machine ID, so that systemd does not treat this as a first boot
# (which would run preset-all over the host's units)
tr -d - < /proc/sys/kernel/random/uuid > $root/etc/machine-id

mkdir -p $root/etc/systemd/system
# Early-boot units that would clean the host's /tmp through the overlay
# (slowly, over 9p, and the repository may live there)
for u in systemd-tmpfiles-setup.service systemd-tmpfiles-clean.timer tmp.mount; do
	ln -sf /dev/null $root/etc/systemd/system/$u
done

cat > $root/etc/systemd/system/ioasid-test.target <<EOF
[Unit]
Description=ioasid tests
Requires=ioasid-test.service
AllowIsolate=yes
EOF
cat > $root/etc/systemd/system/ioasid-test.service <<EOF
[Unit]
Description=ioasid Bats suite $IOASID_SUITE
# Default dependencies: the suite starts after basic.target, so that the
# early-boot units (tmpfiles cleaning /tmp among them) are done with

[Service]
Type=oneshot
TimeoutStartSec=infinity
Environment=IOASID_TOP=$IOASID_TOP IOASID_SUITE=$IOASID_SUITE
ExecStart=/bin/bash $IOASID_TOP/tests/vm/systemd-suite.sh
EOF

cd $root || die "cd $root"
mkdir -p .oldroot
pivot_root . .oldroot || die "pivot_root"
umount -l /.oldroot
# The dynamic loader resolves the build's $ORIGIN rpath through /proc
mount -t proc proc /proc
exec chroot . "$IOASID_SYSTEMD" --unit=ioasid-test.target --show-status=no
