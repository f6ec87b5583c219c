#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-crun.sh: Debian's crun 1.8.1 with integrations/crun/series applied,
# and only its crun binary (and tests/init, which crun's own test suite
# puts in its containers).
#
#   build/crun/dl     "apt-get source crun" (Debian's patches applied)
#   build/crun/tree   that tree with this project's series on top, and what
#                     debian/rules changes before building: the OCI specs of
#                     Debian's golang packages, the gperf tables made again;
#                     only files whose content changed are rewritten, so
#                     make and ccache stay incremental
#   build/crun/out    the configure build directory: out/crun, out/tests/init
#
# Configured as Debian's package is (paths, hardening flags, the same
# features: systemd, seccomp, caps, eBPF, yajl), so that it differs from
# /usr/bin/crun by the series only.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

series_dir=$top/integrations/crun
b=$buildroot/crun
want=$(cat "$series_dir/BASE_VERSION")
specs=/usr/share/gocode/src/github.com/opencontainers
mkdir -p "$b/dl"

csrc=$(find "$b/dl" -maxdepth 1 -type d -name 'crun-1.8*' | sort | tail -1)
if [ -z "$csrc" ]; then
	echo "  SOURCE  crun (apt-get source)"
	(cd "$b/dl" && apt-get source -qq crun >/dev/null 2>&1) || {
		echo "build-crun: 'apt-get source crun' failed; enable deb-src (make deps does)" >&2
		exit 1
	}
	csrc=$(find "$b/dl" -maxdepth 1 -type d -name 'crun-1.8*' | sort | tail -1)
fi
have=$(cd "$csrc" && dpkg-parsechangelog -S Version)
if [ "$have" != "$want" ]; then
	echo "build-crun: warning: the series is made against $want, this is $have" >&2
fi

# Stage pristine + series + debian/rules' changes, then copy over only
# what differs
rm -rf "$b/stage"
cp -a "$csrc" "$b/stage"
while read -r p; do
	case $p in ''|'#'*) continue ;; esac
	patch -d "$b/stage" -p1 -s --batch --no-backup-if-mismatch < "$series_dir/$p" || {
		echo "build-crun: $p does not apply to crun $have" >&2
		exit 1
	}
done < "$series_dir/series"
for spec in image-spec runtime-spec; do
	rm -rf "$b/stage/libocispec/$spec"
	cp -r "$specs/$spec" "$b/stage/libocispec/"
done
gperf --lookup-function-name libcrun_signal_in_word_set -m 100 --null-strings --pic -tCEG -S1 \
	"$b/stage/src/libcrun/signals.perf" > "$b/stage/src/libcrun/signals.c"
gperf --lookup-function-name libcrun_mount_flag_in_word_set -m 100 -tCEG -S1 \
	"$b/stage/src/libcrun/mount_flags.perf" > "$b/stage/src/libcrun/mount_flags.c"
mkdir -p "$b/tree"
rsync -rlc --delete "$b/stage/" "$b/tree/"
rm -rf "$b/stage"

if [ ! -f "$crun_out/Makefile" ]; then
	echo "  CONFIG  crun $have"
	mkdir -p "$crun_out"
	(
		cd "$crun_out"
		eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
		"$b/tree/configure" --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
			--runstatedir=/run --libdir=/usr/lib/x86_64-linux-gnu \
			--disable-maintainer-mode CC="$kcc" PYTHON=/usr/bin/python3
	) > "$b/configure.log" 2>&1 || {
		tail -20 "$b/configure.log" >&2
		exit 1
	}
fi
echo "  MAKE    crun tests/init"
{
	make -C "$crun_out" git-version.h &&
	make -C "$crun_out" -j"$jobs" crun tests/init
} > "$b/make.log" 2>&1 || {
	grep -B2 -A10 'error\|Error' "$b/make.log" | head -40 >&2
	exit 1
}
