#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ioasid-test.service: run the suite under systemd as PID 1, report like
# init.sh does, and power off.

out=/dev/ttyS1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Under the patched PID 1, its systemctl and systemd-run too
case $(readlink /proc/1/exe) in
"$IOASID_TOP"/*) PATH=$IOASID_TOP/build/systemd/bin:$PATH ;;
esac
export HOME=/root TMPDIR=/tmp LANG=C.UTF-8 TERM=dumb
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug

cd "$IOASID_TOP" || echo "IOASID-VM-RC=99" > $out
bats --tap "$IOASID_SUITE" > $out 2>&1
echo "IOASID-VM-RC=$?" > $out
echo "IOASID-VM-DMESG-BEGIN" > $out
dmesg > $out
systemctl poweroff --force
