#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh x86|debug
#
# Configure and build one of the two x86_64 test kernels in the patched tree:
#   x86     allnoconfig + configs/x86_64.config               (out-x86_64)
#   debug   allnoconfig + configs/x86_64.config + x86_64-debug.config
#                                                          (out-x86_64-debug)
# each followed by the kernel line's own additions (configs/KERNEL/*.config),
# in build/KERNEL/. Both are built up from allnoconfig: what is not in a
# fragment is not built.
# The configuration is made again only when a fragment changes, so an
# unchanged tree rebuilds nothing.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

case ${1:-} in
x86)	out=$out_x86; mapfile -t fragments < <(config_fragments x86_64) ;;
debug)	out=$out_dbg
	mapfile -t fragments < <(config_fragments x86_64; config_fragments x86_64-debug) ;;
*)	echo "usage: build-kernel.sh x86|debug" >&2; exit 2 ;;
esac

mkdir -p "$out"
cat "${fragments[@]}" > "$out/ioasid.config.new"
if [ ! -f "$out/.config" ] || ! cmp -s "$out/ioasid.config.new" "$out/ioasid.config"; then
	mv "$out/ioasid.config.new" "$out/ioasid.config"
	kmake -s O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$out/ioasid.config" allnoconfig
	"$top/scripts/check-config.sh" "$out/.config" "$out/ioasid.config" || {
		rm -f "$out/.config"
		exit 1
	}
else
	rm -f "$out/ioasid.config.new"
fi
kmake -s O="$out" ARCH=x86_64 bzImage
echo "  KERNEL  $out/arch/x86/boot/bzImage"
