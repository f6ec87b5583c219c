#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ioasid-test.service: run the suite under systemd as PID 1, write its
# results as init.sh does, and power off.

out=/run/ioasid-out
mkdir -p $out
mount -t 9p -o trans=virtio,version=9p2000.L ioasid-out $out || systemctl poweroff --force
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Under the patched PID 1, its systemctl and systemd-run too
case $(readlink /proc/1/exe) in
"$IOASID_TOP"/*) PATH=$(. "$IOASID_TOP/scripts/lib.sh" && echo "$systemd_bin"):$PATH ;;
# or the ioasid-systemd package's (scripts/deb-vm-test.sh)
/usr/lib/ioasid-systemd/*) PATH=/usr/lib/ioasid-systemd:$PATH ;;
esac
export HOME=/root TMPDIR=/tmp LANG=C.UTF-8 TERM=dumb
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug

# IOASID_SUITE: Bats files or directories, separated by commas
cd "$IOASID_TOP" && bats --tap --timing ${IOASID_SUITE//,/ } > $out/bats.tap 2>&1
echo $? > $out/rc
dmesg > $out/dmesg.log
sync
umount $out
systemctl poweroff --force
