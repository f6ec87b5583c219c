#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build the x86_64 kernel, ioasidctl and the selftests (the
# demo's holder is one), boot the kernel under QEMU with VT-d in scalable
# mode and narrate the IOASID core and the ioasids controller at work
# (tests/demo/); print how long it all took.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
make -s -C "$top" kernel-x86 tools selftests || exit 1
built=$(date +%s)
VM_OUT=$build/vm/demo "$top/scripts/run-vm.sh" "$bzimage_x86" tests/demo
rc=$?
end=$(date +%s)
echo "  DEMO    $(elapsed $((end - start))) (build $(elapsed $((built - start))), boot and demo $(elapsed $((end - built))))"
exit $rc
