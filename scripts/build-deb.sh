#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-deb.sh kernel|ioasidctl|systemd...
#
# Debian packages, built with Debian's own tooling, into build/deb/:
#
#   kernel     linux-image, linux-headers and linux-libc-dev of the kernel
#              line KERNEL, by the kernel's "bindeb-pkg" in its built
#              x86_64 tree (build/KERNEL/out-x86_64, "make kernel-x86"):
#              the objects are there, so it compiles init/version.o again
#              (the package revision is in UTS_VERSION), relinks and packs.
#              Version RELEASE-1+ioasidSTAMP, STAMP the time of the
#              repository's last commit.
#   ioasidctl  the source package of packaging/ioasidctl/debian with
#              tools/ioasidctl and its uapi header, laid out as in this
#              repository in build/deb/src/ioasidctl-VERSION, built with
#              "dpkg-buildpackage -b", then checked by lintian (an error
#              or a warning fails; its output is in build/deb/lintian.log).
#              The sources are the working tree's, or with DEB_GIT_REV=REV
#              those of the commit REV (git archive)
#   systemd    ioasid-systemd: the programs and private libraries that
#              scripts/build-systemd.sh built (make systemd), repacked by
#              packaging/ioasid-systemd/debian under /usr/lib/ioasid-systemd/
#              with their run path made $ORIGIN; it depends on Debian's
#              systemd of exactly the version built and replaces none of
#              its files (init=/usr/lib/ioasid-systemd/systemd boots it).
#              A repack, not a build of the systemd source package: that
#              builds the whole of systemd, not the four programs and two
#              libraries here
#
# Prints each step's time. The kernel must not be built by another make in
# the same directory meanwhile: make check runs this in its builds lane,
# right after the line's kernel-x86 stage.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

debdir=$buildroot/deb
mkdir -p "$debdir"

# step NAME COMMAND...: COMMAND, timed
step() {
	local t0=$SECONDS name=$1
	shift
	"$@"
	echo "  DEB     $name: $(elapsed $((SECONDS - t0)))"
}

kernel_debs() {
	local krel ver stamp
	if [ ! -f "$out_x86/vmlinux" ] || [ ! -f "$out_x86/include/config/kernel.release" ]; then
		echo "build-deb: no built kernel in $out_x86 (KERNEL=$kernel_series make kernel-x86)" >&2
		return 1
	fi
	krel=$(cat "$out_x86/include/config/kernel.release")
	stamp=$(git -C "$top" log -1 --format=%cd --date=format:%Y%m%d%H%M 2>/dev/null ||
		date -u +%Y%m%d%H%M)
	ver=$krel-1+ioasid$stamp
	# No packages of the line until these are built (the deb boot tests them)
	rm -f "$debdir/kernel-$kernel_series"
	# dpkg-buildpackage writes the packages next to the build directory
	rm -f "$build"/linux-*_"$krel"-*
	kmake -s O="$out_x86" ARCH=x86_64 \
		KDEB_PKGVERSION="$ver" KDEB_CHANGELOG_DIST=bookworm \
		DEBFULLNAME="ioasid maintainers" \
		DEBEMAIL=maintainers@users.noreply.r-seed-d59d1e41.example \
		bindeb-pkg > "$debdir/bindeb-pkg-$kernel_series.log" 2>&1 || {
		tail -30 "$debdir/bindeb-pkg-$kernel_series.log" >&2
		return 1
	}
	rm -f "$debdir"/linux-*_"$krel"-*
	mv "$build"/linux-*_"$ver"_* "$debdir/"
	echo "$krel $ver" > "$debdir/kernel-$kernel_series"
	ls "$debdir"/linux-*_"$ver"_*.deb | sed "s,^$debdir/,  DEB     ,"
}

ioasidctl_deb() {
	local ver srcdir
	ver=$(dpkg-parsechangelog -l "$top/packaging/ioasidctl/debian/changelog" -S Version)
	srcdir=$debdir/src/ioasidctl-$ver
	rm -rf "$debdir/src" "$debdir"/ioasidctl_* "$debdir"/ioasidctl-dbgsym_*
	mkdir -p "$srcdir/tools" "$srcdir/include/uapi/linux"
	if [ -n "${DEB_GIT_REV:-}" ]; then
		# A commit's files (DEB_GIT_REV=HEAD: without uncommitted edits)
		git -C "$top" archive --format=tar "$DEB_GIT_REV" tools/ioasidctl \
			include/uapi/linux/ioasid.h packaging/ioasidctl/debian |
			tar -x -C "$srcdir"
		mv "$srcdir/packaging/ioasidctl/debian" "$srcdir/"
		rm -r "$srcdir/packaging"
	else
		# The working tree, as "make tools" builds it
		rsync -a --exclude='*.o' "$top/tools/ioasidctl" "$srcdir/tools/"
		cp "$top/include/uapi/linux/ioasid.h" "$srcdir/include/uapi/linux/"
		cp -r "$top/packaging/ioasidctl/debian" "$srcdir/"
	fi
	(cd "$srcdir" && dpkg-buildpackage -b -us -uc) > "$debdir/ioasidctl-build.log" 2>&1 || {
		tail -30 "$debdir/ioasidctl-build.log" >&2
		return 1
	}
	mv "$debdir/src"/ioasidctl*_"$ver"_* "$debdir/"
	ls "$debdir"/ioasidctl_"$ver"_*.deb | sed "s,^$debdir/,  DEB     ,"
}

ioasidctl_lintian() {
	local ver changes rc=0
	ver=$(dpkg-parsechangelog -l "$top/packaging/ioasidctl/debian/changelog" -S Version)
	changes=$(ls "$debdir"/ioasidctl_"$ver"_*.changes)
	# Errors and warnings fail; info and pedantic tags are printed, not counted
	lintian --allow-root --fail-on error,warning --display-info --pedantic "$changes" > "$debdir/lintian.log" 2>&1 || rc=$?
	sed 's/^/  LINTIAN /' "$debdir/lintian.log"
	[ -s "$debdir/lintian.log" ] || echo "  LINTIAN $(basename "$changes"): no tag"
	return $rc
}

# ioasid-systemd: a repack of what scripts/build-systemd.sh built, under
# /usr/lib/ioasid-systemd/, for the exact systemd version it was built from
systemd_deb() {
	local ver sdver srcdir p
	ver=$(dpkg-parsechangelog -l "$top/packaging/ioasid-systemd/debian/changelog" -S Version)
	sdver=$(dpkg-parsechangelog -l "$buildroot/systemd/tree/debian/changelog" -S Version)
	if [ "${ver%+ioasid*}" != "$sdver" ]; then
		echo "build-deb: ioasid-systemd $ver is not of the systemd built, $sdver" >&2
		return 1
	fi
	srcdir=$debdir/src-systemd/ioasid-systemd-$ver
	rm -rf "$debdir/src-systemd" "$debdir"/ioasid-systemd_* "$debdir"/ioasid-systemd-dbgsym_*
	mkdir -p "$srcdir/prebuilt"
	for p in systemd systemctl systemd-run systemd-cgtop src/shared/libsystemd-shared-252.so \
		src/core/libsystemd-core-252.so; do
		cp "$systemd_out/$p" "$srcdir/prebuilt/"
	done
	echo "$sdver" > "$srcdir/prebuilt/systemd-version"
	cp -r "$top/packaging/ioasid-systemd/debian" "$srcdir/"
	{ cat "$buildroot/systemd/tree/debian/copyright"; cat "$srcdir/debian/copyright.ioasid"; } \
		> "$srcdir/debian/copyright"
	rm "$srcdir/debian/copyright.ioasid"
	(cd "$srcdir" && dpkg-buildpackage -b -us -uc) > "$debdir/ioasid-systemd-build.log" 2>&1 || {
		tail -30 "$debdir/ioasid-systemd-build.log" >&2
		return 1
	}
	mv "$debdir/src-systemd"/ioasid-systemd*_"$ver"_* "$debdir/"
	ls "$debdir"/ioasid-systemd_"$ver"_*.deb | sed "s,^$debdir/,  DEB     ,"
	# Errors fail. Its info tags: no _FORTIFY_SOURCE (build-systemd.sh's
	# meson build does not take dpkg-buildflags), a misspelling of systemd's
	local rc=0
	lintian --allow-root --fail-on error,warning --display-info --pedantic \
		"$debdir"/ioasid-systemd_"$ver"_*.changes > "$debdir/lintian-systemd.log" 2>&1 || rc=$?
	sed 's/^/  LINTIAN /' "$debdir/lintian-systemd.log"
	return $rc
}

[ $# -gt 0 ] || { echo "usage: build-deb.sh kernel|ioasidctl|systemd..." >&2; exit 2; }
for what; do
	case $what in
	kernel)		step "bindeb-pkg $kernel_series" kernel_debs ;;
	ioasidctl)	step "ioasidctl package" ioasidctl_deb
			step "lintian ioasidctl" ioasidctl_lintian ;;
	systemd)	step "ioasid-systemd package" systemd_deb ;;
	*)		echo "build-deb: no package set $what" >&2; exit 2 ;;
	esac
done
