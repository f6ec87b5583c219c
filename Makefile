SHELL := /bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ioasid: fair sharing of PASIDs on Linux 6.1 and 6.12.
#
#   make demo       build the x86_64 kernel, boot it under QEMU (VT-d in
#                   scalable mode) and show the IOASID core at work
#   make check      everything CI runs, for both kernel lines: KUnit on UML,
#                   kselftests and Bats in the VM, the code and doc checks
#
# KERNEL=6.1 (the default) or KERNEL=6.12 selects the kernel line of every
# target; make check runs both unless KERNEL names one.
#
# See README.md for the other targets.

# Paths, the kernel make command and the configurations live in
# scripts/lib.sh; these targets only name the scripts.
lib	= $(shell bash -c '. scripts/lib.sh && echo $$$(1)')

.PHONY: all deps tree kernel-x86 kernel-x86-debug vm-test-debug kunit tools selftests systemd crun vm-test check demo bench series series-check \
	checkpatch docs-check w1 sparse deb clean distclean

all: kernel-x86

deps:
	@scripts/install-deps.sh

tree: deps
	@scripts/prepare-tree.sh

# The x86_64 test kernel, built up from allnoconfig (configs/x86_64.config)
kernel-x86: tree
	@scripts/build-kernel.sh x86

# The same kernel with lockdep, KASAN, kmemleak, UBSAN, debug objects,
# fault injection and the KUnit suites built in
kernel-x86-debug: tree
	@scripts/build-kernel.sh debug

# KUnit on UML; KUNIT_FILTER=cgroup-ioasids runs one suite
kunit: tree
	@scripts/kunit.sh $(KUNIT_FILTER)

# ioasidctl as the VM tests run it: ASan and UBSan
tools:
	@$(MAKE) -s -C tools/ioasidctl O=$(call lib,testbin) SANITIZE=1

# tools/testing/selftests/ioasid of the patched tree
selftests: tree
	@scripts/build-selftests.sh

# Debian's systemd 252 with integrations/systemd/series (IOASIDMax=)
systemd: deps
	@scripts/build-systemd.sh

# Debian's crun 1.8.1 with integrations/crun/series (unified keys of any
# controller the cgroup root offers)
crun: deps
	@scripts/build-crun.sh

# The boots of each kernel (scripts/vm-test.sh); VM_BOOTS="bats" runs one.
# The deb boots install make deb's packages of the line: built first
vm-test: kernel-x86 tools selftests systemd crun
	@case " $(or $(VM_BOOTS),deb) " in *" deb"*) scripts/build-deb.sh kernel ioasidctl systemd ;; esac
	@scripts/vm-test.sh x86 $(VM_BOOTS)

# Debian packages in build/deb/ (scripts/build-deb.sh): each kernel line's
# by bindeb-pkg in its built x86_64 kernel (KERNEL=6.12: that line only),
# ioasidctl and the patched systemd (ioasid-systemd), checked by lintian
deb: deps
	@for l in $(or $(KERNEL),6.1 6.12); do \
		KERNEL=$$l $(MAKE) -s kernel-x86 && KERNEL=$$l scripts/build-deb.sh kernel || exit 1; \
	done
	@scripts/build-deb.sh ioasidctl
	@$(MAKE) -s systemd && scripts/build-deb.sh systemd

# DEBUG_SUITE=full runs every Bats file on the debug kernel (about 40 min)
vm-test-debug: kernel-x86-debug tools selftests crun
	@scripts/vm-test.sh debug $(VM_BOOTS)

demo: deps
	@scripts/demo.sh

# Benchmarks: figures and ratios, never a failure on a figure (README)
bench: tree
	scripts/bench.sh

check:
	scripts/check.sh

# kernel-doc and docutils over the project's comments and pages
docs-check: tree
	@scripts/docs-check.sh

# W=1 and sparse over the files this project adds or changes
checkpatch: tree
	scripts/checkpatch.sh

w1 sparse: kernel-x86-debug
	@scripts/build-checks.sh $@

series: tree
	scripts/export-series.sh

# exports the series itself before checking it
series-check: tree
	scripts/export-series.sh --check

clean:
	rm -rf $(addprefix $(call lib,build)/,out-* vm* series* results)

distclean:
	rm -rf $(call lib,build)
