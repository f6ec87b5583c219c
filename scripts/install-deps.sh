#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the build and the tests need; idempotent.
set -euo pipefail

pkgs=(linux-source-6.1 linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
      python3 python3-docutils cpio kmod rsync xz-utils ccache sparse git
      qemu-system-x86 busybox-static bats bats-assert bats-support jq
      libjansson-dev libcmocka-dev g++ util-linux cgroup-tools crun runc podman
      systemd libsystemd-dev dpkg-dev meson ninja-build gperf pkg-config
      libcap-dev libmount-dev libcrypt-dev python3-jinja2 gnuplot-nox
      libseccomp-dev libyajl-dev golang-github-opencontainers-specs-dev
      golang-github-opencontainers-image-spec-dev	# scripts/build-crun.sh
      clang libclang-rt-14-dev	# libFuzzer: make -C tools/ioasidctl fuzz
      libncurses-dev	# ioasidctl top
      tmux procps	# tests/bats/45-ioasidctl-ps-top.bats: top in a pane, pgrep
      chrpath debhelper fakeroot lintian)	# make deb (scripts/build-deb.sh)

# scripts/build-systemd.sh and build-crun.sh run "apt-get source"
need_src=0
if ! grep -Rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	need_src=1
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ $need_src -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]} (run as root or install them)" >&2
	exit 1
fi
if [ $need_src -eq 1 ]; then
	echo "  APT     enabling deb-src"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
	else
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/ioasid-src.list
	fi
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ ${#missing[@]} -eq 0 ] && exit 0
echo "  APT     ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
