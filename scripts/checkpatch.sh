#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict, as a maintainer would run it: on every patch of
# patches/KERNEL/series, on each new kernel file of the project, and on the
# diff against the pristine kernel of each project file that rewrites an
# existing one.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

cp_strict() { (cd "$linux" && scripts/checkpatch.pl --strict --quiet --show-types "$@"); }
# checkpatch_except FILE: what checkpatch may not say of a file that is new
# on this kernel line, and why. ioasid_t was 6.1's and 6.12's iommu.h
# typedef: 6.12's series moves it to ioasid.h, where 6.1 has it already.
checkpatch_except() {
	case $kernel_series:$1 in
	6.12:include/linux/ioasid.h)	echo "--ignore NEW_TYPEDEFS" ;;
	esac
}

cd "$top" || exit 1
rc=0 n=0
for p in $(series_patches); do
	# a patch whose changes are all new files is checked for its message
	# here and for its files below
	if patch_has_diff "$p"; then
		cp_strict --ignore FILE_PATH_CHANGES "$patchdir/$p" || rc=1
	else
		cp_strict --ignore FILE_PATH_CHANGES,NOT_UNIFIED_DIFF "$patchdir/$p" || rc=1
	fi
	n=$((n + 1))
done
for f in $(new_files | grep -E '\.[ch]$|/Kconfig$|/Makefile$|\.rst$'); do
	if [ -f "$src/$f" ]; then
		{ diff -u --label "a/$f" --label "b/$f" "$src/$f" "$f" || true; } |
			cp_strict --no-signoff --ignore FILE_PATH_CHANGES,COMMIT_MESSAGE - || rc=1
	else
		cp_strict --no-tree $(checkpatch_except "$f") -f "$f" || rc=1
	fi
	n=$((n + 1))
done
if [ $rc -eq 0 ]; then
	echo "  CHECKPATCH --strict clean: $n patches and files"
fi
exit $rc
