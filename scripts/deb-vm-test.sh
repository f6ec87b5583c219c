#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-vm-test.sh [systemd]: boot what "make deb" packaged, installed by dpkg.
#
# In a private mount namespace, an overlay whose lower layer is the host's
# / and whose upper and work directories are build/deb/root-KERNEL/ gets
# the linux-image package of the kernel line KERNEL and the ioasidctl
# package, installed by "dpkg -i" run in it (chroot): the host itself is
# not changed. QEMU then boots the installed /boot/vmlinuz-RELEASE with
# that overlay as the guest's root (scripts/run-vm.sh's VM_ROOT), and the
# guest runs tests/bats/deb/ and smoke Bats files (DEB_BATS: others) with
# IOASIDCTL=/usr/sbin/ioasidctl, the packaged program. Results as
# run-vm.sh writes them, in VM_OUT (default build/KERNEL/vm/deb).
#
# With "systemd", the ioasid-systemd package too, and its systemd is PID 1
# (tests/vm/init-systemd.sh): tests/bats/deb-systemd/ and the patched
# systemd's IOASIDMax= and cgtop suites, with the package's tools.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$top"
debdir=$buildroot/deb
# 6.1 runs the smoke files too; on 6.12 (whose other boots run them with
# its kernel) the packages' own tests and the boot's are enough
suite=tests/bats/deb,tests/bats/00-boot.bats,tests/bats/10-cgroup-files.bats,tests/bats/40-ioasidctl.bats
[ "$kernel_series" = 6.1 ] || suite=tests/bats/deb,tests/bats/00-boot.bats
mode=${1:-}
debs=()
if [ "$mode" = systemd ]; then
	suite=tests/bats/deb-systemd,tests/bats/systemd/10-ioasidmax.bats,tests/bats/systemd/20-cgtop.bats
	sdver=$(dpkg-parsechangelog -l "$top/packaging/ioasid-systemd/debian/changelog" -S Version)
	debs=("$debdir/ioasid-systemd_${sdver}_amd64.deb")
	export VM_INIT=$top/tests/vm/init-systemd.sh
fi
suite=${DEB_BATS:-$suite}

if [ ! -f "$debdir/kernel-$kernel_series" ]; then
	echo "deb-vm-test: no kernel package of $kernel_series in $debdir (make deb)" >&2
	exit 1
fi
read -r krel kver < "$debdir/kernel-$kernel_series"
image=$debdir/linux-image-${krel}_${kver}_amd64.deb
ctlver=$(dpkg-parsechangelog -l "$top/packaging/ioasidctl/debian/changelog" -S Version)
ctl=$debdir/ioasidctl_${ctlver}_amd64.deb
debs=("$image" "$ctl" "${debs[@]}")
for f in "${debs[@]}"; do
	[ -f "$f" ] || { echo "deb-vm-test: no $f (make deb)" >&2; exit 1; }
done

# Everything below in a mount namespace of its own: the overlay is seen
# only by this script, dpkg and QEMU, and goes when they end
if [ -z "${IOASID_DEB_NS:-}" ]; then
	exec unshare --mount --propagation private env IOASID_DEB_NS=1 "$0" "$@"
fi

root=$debdir/root-$kernel_series${mode:+-$mode}
rm -rf "$root"
mkdir -p "$root/upper" "$root/work" "$root/merged"
if ! mount -t overlay overlay \
	-o "lowerdir=/,upperdir=$root/upper,workdir=$root/work" "$root/merged" 2>/dev/null; then
	# A kernel that refuses an upper directory inside the lower layer
	# (ELOOP): the upper and work directories on a tmpfs of their own
	mount -t tmpfs -o mode=755 ioasid-deb "$root/upper"
	mkdir -p "$root/upper/u" "$root/upper/w"
	mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$root/upper/u,workdir=$root/upper/w" "$root/merged"
fi
# The repository (the Bats files, the packages, the kselftest programs)
# at its path, should it be on another file system than /, which the
# overlay does not reach (a clone in a tmpfs /tmp)
mkdir -p "$root/merged$top"
mount --bind "$top" "$root/merged$top"
# The host's kernel hooks (update-grub, initramfs-tools) are for the
# host's boot, not this root's, and need what the chroot lacks: masked
mkdir -p "$root/nohooks"
for d in postinst.d postrm.d preinst.d prerm.d; do
	[ -d "$root/merged/etc/kernel/$d" ] &&
		mount --bind "$root/nohooks" "$root/merged/etc/kernel/$d"
done
t0=$SECONDS
chroot "$root/merged" env DEBIAN_FRONTEND=noninteractive \
	dpkg --force-confdef --force-confold -i "${debs[@]}" > "$root/dpkg.log" 2>&1 || {
	cat "$root/dpkg.log" >&2
	exit 1
}
echo "  DPKG    ${debs[*]##*/} into $root/merged ($(elapsed $((SECONDS - t0))))"

VM_ROOT=$root/merged VM_KVER=$krel scripts/run-vm.sh "$root/merged/boot/vmlinuz-$krel" \
	"$suite" IOASIDCTL=/usr/sbin/ioasidctl \
	IOASID_DEB_KVERSION="$kver" IOASID_DEB_CTLVERSION="$ctlver" \
	${mode:+IOASID_SYSTEMD=/usr/lib/ioasid-systemd/systemd}
