SHELL := /bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ioasid: fair sharing of PASIDs on Linux 6.1.
#
#   make demo       build the x86_64 kernel, boot it under QEMU (VT-d in
#                   scalable mode) and show the IOASID core at work
#   make check      everything CI runs: KUnit on UML, then Bats in the VM
#
# See README.md for the other targets.

TOP	:= $(abspath .)
BUILD	:= $(TOP)/build
LINUX	:= $(BUILD)/linux
JOBS	?= $(shell nproc)
CCACHE	:= $(shell command -v ccache 2>/dev/null)
KCC	:= $(if $(CCACHE),ccache gcc,gcc)
export CCACHE_DIR ?= $(HOME)/.cache/ccache
export CCACHE_MAXSIZE ?= 5G
export CCACHE_BASEDIR ?= $(TOP)

X86_OUT	:= $(BUILD)/out-x86_64
UML_OUT	:= $(BUILD)/out-kunit
BZIMAGE	:= $(X86_OUT)/arch/x86/boot/bzImage
DBG_OUT	:= $(BUILD)/out-x86_64-debug
DBG_BZIMAGE := $(DBG_OUT)/arch/x86/boot/bzImage
KMAKE	= $(MAKE) -C $(LINUX) CC="$(KCC)" HOSTCC="$(KCC)" -j$(JOBS)

.PHONY: all deps tree kernel-x86 kernel-x86-debug vm-test-debug kunit tools systemd vm-test check demo bench series series-check \
	checkpatch w1 sparse clean distclean

all: kernel-x86

deps:
	@scripts/install-deps.sh

tree: deps
	@scripts/prepare-tree.sh

$(X86_OUT)/.config: configs/x86_64.config | tree
	@mkdir -p $(X86_OUT)
	$(KMAKE) O=$(X86_OUT) ARCH=x86_64 x86_64_defconfig >/dev/null
	cd $(LINUX) && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O $(X86_OUT) \
		$(X86_OUT)/.config $(TOP)/configs/x86_64.config >/dev/null
	$(KMAKE) O=$(X86_OUT) ARCH=x86_64 olddefconfig >/dev/null
	@scripts/check-config.sh $(X86_OUT)/.config $(TOP)/configs/x86_64.config

kernel-x86: tree $(X86_OUT)/.config
	$(KMAKE) -s O=$(X86_OUT) ARCH=x86_64 bzImage
	@echo "  KERNEL  $(BZIMAGE)"

# The same kernel with lockdep, KASAN, kmemleak, UBSAN, debug objects,
# fault injection and the KUnit suites built in
$(DBG_OUT)/.config: configs/x86_64.config configs/x86_64-debug.config | tree
	@mkdir -p $(DBG_OUT)
	$(KMAKE) O=$(DBG_OUT) ARCH=x86_64 x86_64_defconfig >/dev/null
	cd $(LINUX) && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O $(DBG_OUT) \
		$(DBG_OUT)/.config $(TOP)/configs/x86_64.config \
		$(TOP)/configs/x86_64-debug.config >/dev/null
	$(KMAKE) O=$(DBG_OUT) ARCH=x86_64 olddefconfig >/dev/null
	@scripts/check-config.sh $(DBG_OUT)/.config $(TOP)/configs/x86_64-debug.config

kernel-x86-debug: tree $(DBG_OUT)/.config
	$(KMAKE) -s O=$(DBG_OUT) ARCH=x86_64 bzImage
	@echo "  KERNEL  $(DBG_BZIMAGE)"

kunit: tree
	cd $(LINUX) && python3 tools/testing/kunit/kunit.py run \
		--build_dir=$(UML_OUT) --kunitconfig=$(TOP)/configs/kunit.config \
		--jobs=$(JOBS) --make_options CC="$(KCC)" --make_options HOSTCC="$(KCC)" \
		2>&1 | tee $(BUILD)/kunit.log; test $${PIPESTATUS[0]} -eq 0

# ioasidctl as the VM tests run it: ASan and UBSan
tools:
	$(MAKE) -C tools/ioasidctl O=$(BUILD)/ioasidctl-asan SANITIZE=1

# Debian's systemd 252 with integrations/systemd/series (IOASIDMax=)
systemd: deps
	@scripts/build-systemd.sh

# Four boots: VT-d with PASIDs (its capacity comes from the PASID width, which
# QEMU makes 1 bit); VT-d without, for the full 20-bit space; then systemd as
# PID 1 on an overlay of the root, the patched one and Debian's own.
SD_INIT	= VM_INIT=$(TOP)/tests/vm/init-systemd.sh
vm-test: kernel-x86 tools systemd
	VM_IOMMU=intel-iommu,intremap=off,x-scalable-mode=on,x-pasid-mode=on \
		scripts/run-vm.sh $(BZIMAGE) tests/bats/vtd-pasid; a=$$?; \
	scripts/run-vm.sh $(BZIMAGE) tests/bats; b=$$?; \
	$(SD_INIT) scripts/run-vm.sh $(BZIMAGE) tests/bats/systemd \
		IOASID_SYSTEMD=$(BUILD)/systemd/out/systemd; c=$$?; \
	$(SD_INIT) scripts/run-vm.sh $(BZIMAGE) tests/bats/systemd-stock \
		IOASID_SYSTEMD=/lib/systemd/systemd; d=$$?; \
	test $$a -eq 0 -a $$b -eq 0 -a $$c -eq 0 -a $$d -eq 0

# The debug kernel: its KUnit suites at boot, then Bats with the debug-only
# tests (fault injection), then kmemleak; then the VT-d PASID suite. KASAN,
# lockdep and kmemleak under TCG make each test about 10x slower, so
# make check runs the Bats files on the kernel's own paths (charging,
# /dev/ioasid, its fuzzer, the stress run); DEBUG_SUITE=full runs all of
# them (about 40 min), before a release.
DEBUG_SUITE ?= ci
DBG_BATS_ci = tests/bats/20-cgroup-charge.bats,tests/bats/30-dev-ioasid.bats,$\
	tests/bats/75-fuzz-dev.bats,tests/bats/80-stress.bats,tests/bats/debug
DBG_BATS_full = tests/bats,tests/bats/debug
DBG_FUZZ_CALLS ?= 50000
DBG_VM	= VM_KMEMLEAK=1 VM_TIMEOUT=4800
vm-test-debug: kernel-x86-debug tools
	$(DBG_VM) VM_OUT=$(BUILD)/vm-debug/bats scripts/run-vm.sh $(DBG_BZIMAGE) \
		$(DBG_BATS_$(DEBUG_SUITE)) log_buf_len=16M \
		IOASID_FUZZ_CALLS=$(DBG_FUZZ_CALLS); a=$$?; \
	VM_IOMMU=intel-iommu,intremap=off,x-scalable-mode=on,x-pasid-mode=on \
		$(DBG_VM) VM_OUT=$(BUILD)/vm-debug/vtd-pasid scripts/run-vm.sh \
		$(DBG_BZIMAGE) tests/bats/vtd-pasid log_buf_len=16M \
		kunit.filter_glob=none; b=$$?; \
	test $$a -eq 0 -a $$b -eq 0

demo: kernel-x86 tools
	scripts/run-vm.sh $(BZIMAGE) tests/demo

# Benchmarks: figures and ratios, never a failure on a figure (README)
bench: tree
	scripts/bench.sh

check:
	scripts/check.sh

# W=1 and sparse over the files this project adds or changes
checkpatch: tree
	scripts/checkpatch.sh

w1 sparse: kernel-x86
	scripts/build-checks.sh $@ $(X86_OUT)

series: tree
	scripts/export-series.sh

series-check: series
	scripts/export-series.sh --check

clean:
	rm -rf $(X86_OUT) $(UML_OUT) $(BUILD)/vm $(BUILD)/series

distclean:
	rm -rf $(BUILD)
