#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-systemd.sh: Debian's systemd 252 with integrations/systemd/series
# applied, and only the programs the VM tests run.
#
#   build/systemd/dl     "apt-get source systemd" (Debian's patches applied)
#   build/systemd/tree   that tree with this project's series on top; only
#                        files whose content changed are rewritten, so
#                        ninja and ccache stay incremental
#   build/systemd/out    meson build directory: systemd, systemctl,
#                        systemd-run, test-cgroup-mask
#
# The programs are built for Debian's layout (split /usr, units in
# /lib/systemd/system) so that the patched PID 1 drives the host's units.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

sd=$top/integrations/systemd
b=$buildroot/systemd
want=$(cat "$sd/BASE_VERSION")
mkdir -p "$b/dl"

sdsrc=$(find "$b/dl" -maxdepth 1 -type d -name 'systemd-252*' | sort | tail -1)
if [ -z "$sdsrc" ]; then
	echo "  SOURCE  systemd (apt-get source)"
	(cd "$b/dl" && apt-get source -qq systemd >/dev/null 2>&1) || {
		echo "build-systemd: 'apt-get source systemd' failed; enable deb-src (make deps does)" >&2
		exit 1
	}
	sdsrc=$(find "$b/dl" -maxdepth 1 -type d -name 'systemd-252*' | sort | tail -1)
fi
have=$(cd "$sdsrc" && dpkg-parsechangelog -S Version)
if [ "$have" != "$want" ]; then
	echo "build-systemd: warning: the series is made against $want, this is $have" >&2
fi

# Stage pristine + series, then copy over only what differs
rm -rf "$b/stage"
cp -a "$sdsrc" "$b/stage"
while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	patch -d "$b/stage" -p1 -s --batch --no-backup-if-mismatch < "$sd/$p" || {
		echo "build-systemd: $p does not apply to systemd $have" >&2
		exit 1
	}
done < "$sd/series"
mkdir -p "$b/tree"
rsync -rlc --delete "$b/stage/" "$b/tree/"
rm -rf "$b/stage"

if [ ! -f "$systemd_out/build.ninja" ]; then
	echo "  MESON   systemd $have"
	CC="$kcc" meson setup "$systemd_out" "$b/tree" \
		-Dmode=release -Dsplit-usr=true \
		-Drootlibdir=/usr/lib/x86_64-linux-gnu \
		-Ddefault-hierarchy=unified \
		-Dauto_features=disabled \
		-Dman=false -Dhtml=false -Dtests=true -Dinstall-tests=false \
		-Dslow-tests=false -Dfuzz-tests=false \
		-Dlink-systemctl-shared=true \
		-Dversion-tag="$have+ioasid" > "$b/meson.log" 2>&1 || {
		tail -20 "$b/meson.log" >&2
		exit 1
	}
fi
echo "  NINJA   systemd systemctl systemd-run systemd-cgtop test-cgroup-mask"
ninja -C "$systemd_out" systemd systemctl systemd-run systemd-cgtop test-cgroup-mask > "$b/ninja.log" 2>&1 || {
	grep -B2 -A10 'error\|FAILED' "$b/ninja.log" | head -40 >&2
	exit 1
}

# What the tests put first in PATH: links keep the programs' $ORIGIN rpath
mkdir -p "$systemd_bin"
for p in systemctl systemd-run systemd-cgtop; do
	ln -sfn "$systemd_out/$p" "$systemd_bin/$p"
done
