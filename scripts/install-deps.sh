#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the tests need; idempotent.
set -euo pipefail

pkgs=(linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev
      python3 cpio kmod rsync xz-utils ccache sparse git
      qemu-system-x86 busybox-static bats bats-assert bats-support jq
      libjansson-dev libcmocka-dev g++ util-linux cgroup-tools crun runc)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root or install them)" >&2
	exit 1
fi
echo "  APT     ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
