# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
#
# The harness library: every script of scripts/ and the Bats helpers source
# it for the paths, the project's kernel files, the kernel make command, the
# pattern of a kernel splat and the TAP bookkeeping. Sourcing it only sets
# variables and defines functions.

top=${IOASID_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

# The kernel line: KERNEL=6.1 (the default) or KERNEL=6.12. Each has its
# series under patches/KERNEL/ and its builds under build/KERNEL/; what does
# not depend on the kernel (ioasidctl, systemd, the results of make check)
# is built once, in build/.
kernel_series=${KERNEL:-6.1}
kernel_lines="6.1 6.12"
case " $kernel_lines " in
*" $kernel_series "*) ;;
*)	echo "KERNEL=$kernel_series: not a kernel line of this project ($kernel_lines)" >&2
	exit 2 ;;
esac
buildroot=${BUILD:-$top/build}
build=$buildroot/$kernel_series
patchdir=$top/patches/$kernel_series

# The pristine source, extracted from Debian's tarball, and the patched tree
kernel_tarball=${KERNEL_TARBALL:-/usr/src/linux-source-$kernel_series.tar.xz}
src=$build/src/linux-source-$kernel_series
linux=$build/linux

# Build directories: the x86_64 test kernel, its debug build, UML for KUnit
out_x86=$build/out-x86_64
out_dbg=$build/out-x86_64-debug
out_uml=$build/out-kunit
out_chk=$build/out-buildcheck	# objects no test kernel builds, compiled alone
bzimage_x86=$out_x86/arch/x86/boot/bzImage
bzimage_dbg=$out_dbg/arch/x86/boot/bzImage

# ioasidctl as its tests in the VM run it, built with ASan and UBSan
testbin=$buildroot/ioasidctl-asan
# tools/testing/selftests/ioasid of the patched tree: the kselftests and
# the programs the kernel's Bats tests drive it with
kselftest=$build/selftests/ioasid
kselftest_progs="test_ioasids"
# Debian's systemd with integrations/systemd/series: meson's build
# directory, and links to its systemctl and systemd-run for PATH
systemd_out=$buildroot/systemd/out
systemd_bin=$buildroot/systemd/bin
# Debian's crun with integrations/crun/series: configure's build directory
# and the patched crun in it
crun_out=$buildroot/crun/out
crun_patched=$crun_out/crun
# One TAP file per stage of make check, and the stage times
results=$buildroot/results

jobs=${JOBS:-$(nproc)}
if command -v ccache >/dev/null 2>&1; then
	kcc="ccache gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
	export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$top}
else
	kcc=gcc
fi

# A kernel log line that means something went wrong. Messages the harness
# prints itself never match it.
splat_pattern='WARNING:|BUG:|Oops|Call Trace|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|KASAN|UBSAN|kmemleak: [1-9]'

# kmake ARGS...: make in the patched tree, through ccache when it is there
kmake() {
	make -C "$linux" CC="$kcc" HOSTCC="$kcc" -j"$jobs" "$@"
}

# config_fragments NAME: the configuration fragment configs/NAME.config and,
# after it, the kernel line's own additions, configs/KERNEL/NAME.config
config_fragments() {
	local f
	for f in "$top/configs/$1.config" "$top/configs/$kernel_series/$1.config"; do
		if [ -f "$f" ]; then echo "$f"; fi
	done
}

# buildcheck_dirs: the directories whose objects configs/buildcheck.config
# compiles, one per line
buildcheck_dirs() {
	sed -n 's,^# dirs:,,p' "$top/configs/buildcheck.config" | tr ' ' '\n' | sed '/^$/d'
}

# in_buildcheck_dirs PATH: true if PATH is below one of buildcheck_dirs
in_buildcheck_dirs() {
	local d
	while read -r d; do
		[ "${1#"$d"}" = "$1" ] || return 0
	done < <(buildcheck_dirs)
	return 1
}

# buildcheck_config OUTDIR: configure OUTDIR, in the tree $linux names, as
# allnoconfig + configs/x86_64.config + configs/buildcheck.config: the
# configuration that compiles, object by object, the series' edits of
# drivers no test kernel builds. Made again only when a fragment changes.
buildcheck_config() {
	local out=$1
	mkdir -p "$out"
	cat $(config_fragments x86_64) $(config_fragments buildcheck) > "$out/ioasid.config.new"
	if [ -f "$out/.config" ] && cmp -s "$out/ioasid.config.new" "$out/ioasid.config"; then
		rm -f "$out/ioasid.config.new"
		return 0
	fi
	mv "$out/ioasid.config.new" "$out/ioasid.config"
	kmake -s O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$out/ioasid.config" allnoconfig &&
		"$top/scripts/check-config.sh" "$out/.config" "$out/ioasid.config"
}

# series_patches: the patches of patches/KERNEL/series, in order
series_patches() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$patchdir/series" | awk '{ print $1 }'
}

# new_files: the project's files at kernel paths (new files, or rewrites of
# 6.1's)
new_files() {
	(cd "$top" && find Documentation drivers include kernel tools/testing -type f \
		! -name '*.orig' ! -name '*~' 2>/dev/null | sort)
}

# patched_files: the files of the kernel tree the series edits, renames
# included (a pure rename has no ---/+++ lines)
patched_files() {
	local p
	for p in $(series_patches); do
		sed -n -e 's,^--- a/\([^\t ]*\).*,\1,p' -e 's,^+++ b/\([^\t ]*\).*,\1,p' \
			-e 's,^rename \(from\|to\) \(.*\),\2,p' \
			-e 's,^copy \(from\|to\) \(.*\),\2,p' \
			"$patchdir/$p"
	done | sort -u
}

# kernel_files: every file of the kernel tree the project adds or changes
kernel_files() {
	{ new_files; patched_files; } | sort -u
}

# patch_has_diff PATCH: true unless every change of PATCH is to files of
# this repository (patches/KERNEL/overlay), so that its patch file holds only the
# commit message
patch_has_diff() {
	grep -q '^diff --git ' "$patchdir/$1"
}

# overlay_patch FILE: the patch of the series that adds FILE (patches/KERNEL/overlay)
overlay_patch() {
	awk -v f="$1" '$2 == f { print $1 }' "$patchdir/overlay"
}

# overlay_files PATCH: the files of this repository that PATCH adds
overlay_files() {
	awk -v p="$1" '$1 == p { print $2 }' "$patchdir/overlay"
}

# splat_check LOG...: print the splat lines of kernel logs; false if any
splat_check() {
	local found
	found=$(grep -hE "$splat_pattern" "$@" 2>/dev/null | sort -u)
	[ -z "$found" ] && return 0
	echo "$found" | head -20
	return 1
}

# tap_line OK DESCRIPTION: one TAP result on stdout ("ok" when OK is 0)
tap_line() {
	if [ "$1" -eq 0 ]; then
		echo "ok - $2"
	else
		echo "not ok - $2"
	fi
}

# tap_count FILE...: "PASSED FAILED" over TAP files (a skip passes)
tap_count() {
	cat "$@" 2>/dev/null | awk '
		/^ok /		{ p++ }
		/^not ok /	{ f++ }
		END		{ printf "%d %d\n", p, f }'
}

# kunit_tap JSON: kunit.py's --json results as TAP, one line per case
kunit_tap() {
	jq -r '.. | objects | select(has("test_cases")) | .name as $s |
		.test_cases[] |
		(if .status == "PASS" or .status == "SKIP" then "ok" else "not ok" end) +
		" - kunit: " + $s + "." + .name + (if .status == "SKIP" then " # SKIP" else "" end)' "$1"
}

# kselftest_tap TAP: the results of kselftest programs as TAP lines of
# this harness; a skip fails (the test kernels have what the tests need)
kselftest_tap() {
	sed -n -e 's/^ok [0-9]* \(.*\) # SKIP\(.*\)/not ok - kselftest: \1 (skipped:\2)/p' \
		-e 's/^ok [0-9]* \(.*\)/ok - kselftest: \1/p' \
		-e 's/^not ok [0-9]* \(.*\)/not ok - kselftest: \1/p' "$1"
}

# kselftest_cases: how many tests the kselftest programs declare
kselftest_cases() {
	cat "$top"/tools/testing/selftests/ioasid/test_*.c | grep -c '^TEST\(_F\)\?('
}

# kunit_cases: how many KUnit cases the project's suites declare for the
# kernel line (the SVA cases need IOASID_SVA_KUNIT_TEST, which only the
# 6.1 series has)
kunit_cases() {
	local sva=0
	grep -q '^config IOASID_SVA_KUNIT_TEST' "$linux/drivers/iommu/ioasid/Kconfig" && sva=1
	cat "$top"/drivers/iommu/ioasid/*_kunit.c "$top"/kernel/cgroup/*_kunit.c |
		awk -v sva=$sva '/^#if IS_ENABLED\(CONFIG_IOASID_SVA_KUNIT_TEST\)/ { skip = !sva }
			/^#endif/ { skip = 0 } !skip && /KUNIT_CASE/ { n++ } END { print n + 0 }'
}

# elapsed SECONDS: "12m05s"
elapsed() {
	printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}
