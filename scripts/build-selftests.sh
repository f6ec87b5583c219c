#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh: build tools/testing/selftests/ioasid of the patched
# tree (patch 0015) into $kselftest, against the tree's own UAPI headers,
# as the test VMs run them. Fails on a compiler warning.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out_hdr=$build/out-headers
kmake -s O="$out_hdr" headers
mkdir -p "$kselftest"
# kselftests build without -Werror; the project's allow no warning
log=$build/selftests/build.log
make -s -C "$linux/tools/testing/selftests/ioasid" OUTPUT="$kselftest" \
	CC="$kcc" KHDR_INCLUDES="-isystem $out_hdr/usr/include" 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
if grep -q 'warning:' "$log"; then
	echo "build-selftests: the selftests build with warnings" >&2
	exit 1
fi
