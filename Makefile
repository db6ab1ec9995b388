# uffd-5.10: userfaultfd write-protection, PTE markers, minor faults, WP_ASYNC
# and PAGEMAP_SCAN for Linux 5.10 LTS, as a patch series with its harness.
#
# The flow:  deps -> fetch -> tree (base + git am patches/) -> checkpatch
#            -> kernel -> selftests -> initramfs -> guest (QEMU/TCG) -> results
# per ARCH (x86_64, arm64). `make test` runs it all for both and summarizes.
# `make bench` boots the same guest on the patched kernel and on two
# references, upstream 6.12 (Debian's linux-source-6.12) and the base.

ARCH    ?= x86_64
ARCHES  := x86_64 arm64
DEBUG   ?= 0
export ARCH DEBUG

STAGE := scripts/stage.sh
V     := $(ARCH)$(if $(filter 1,$(DEBUG)),-debug)
# `make test` prepares the tree once, then builds and runs each arch, and
# then the clients smoke check on the kernel it built.
SETUP := $(if $(filter 1,$(TREE_READY)),,tree)
BUILT := $(if $(filter 1,$(KERNEL_READY)),,initramfs)

.PHONY: help deps fetch tree export checkpatch kernel selftests initramfs \
	guest-test debug-test vm-run test demo bench bench-build clients clients-smoke \
	fuzz stress clean

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## make deps                  install the Debian packages the harness needs
deps:
	@$(STAGE) deps scripts/deps.sh

## make fetch                 fetch and verify the 5.10.262 base tarball (BASE_TARBALL=...)
fetch: deps
	@$(STAGE) fetch scripts/fetch-base.sh

## make tree [FORCE=1]        build/linux = base + every patch in patches/series
tree: fetch
	@$(STAGE) apply scripts/tree.sh

## make export                build/linux commits on base -> patches/ and patches/series
export:
	@scripts/export.sh

## make checkpatch            checkpatch.pl --strict over every patch
checkpatch: tree
	@$(STAGE) checkpatch scripts/checkpatch.sh

## make kernel ARCH=a [DEBUG=1]   build the kernel (build/out-ARCH[-debug])
kernel: $(SETUP)
	@$(STAGE) build-kernel-$(V) scripts/build-kernel.sh

## make selftests ARCH=a      build tools/testing/selftests/vm statically
selftests: kernel
	@$(STAGE) build-selftests-$(ARCH) scripts/build-selftests.sh

## make bench-build ARCH=a    build bench/wt-bench.c statically (build/bench-ARCH)
bench-build: selftests
	@$(STAGE) build-bench-$(ARCH) scripts/build-bench.sh

## make initramfs ARCH=a      busybox + selftests + benchmark guest root
initramfs: bench-build
	@$(STAGE) initramfs-$(ARCH) scripts/initramfs.sh

## make guest-test ARCH=a     run all selftests in the guest, judge the log
guest-test: initramfs
	@$(STAGE) guest-run-$(V) scripts/guest-test.sh

## make vm-run ARCH=a CMD='...' [EXTRA=dir] [KERNEL=image]
##                            boot the guest, run CMD (EXTRA at /extra), return its status
vm-run: $(if $(KERNEL),,initramfs)
	@[ -f build/initramfs-$(ARCH).cpio ] || $(MAKE) --no-print-directory initramfs
	@scripts/vm.sh

## make test [DEBUG=1]        the whole suite: apply, checkpatch, both arches, the
##                            userfaultfd tests on the arm64 debug kernel, the clients
##                            smoke check on x86_64, summary (DEBUG=1: the whole suite
##                            on both debug kernels)
# The first kernel is built alone; the others are built at nice 19 while
# the guests run (scripts/prebuild.sh, build/prebuild.log).
AHEAD := $(if $(filter 1,$(DEBUG)),arm64-debug,arm64 arm64-debug)
test:
	@rm -f build/stage-times build/results-* build/clients/*-smoke.txt
	@$(MAKE) --no-print-directory checkpatch || { scripts/summary.sh; exit 1; }
	@fail=0; \
	$(MAKE) --no-print-directory kernel ARCH=x86_64 TREE_READY=1 || fail=1; \
	scripts/prebuild.sh $(AHEAD) > build/prebuild.log 2>&1 & \
	for a in $(ARCHES); do \
		$(MAKE) --no-print-directory guest-test ARCH=$$a TREE_READY=1 || fail=1; \
	done; \
	if [ "$(DEBUG)" != 1 ]; then \
		$(MAKE) --no-print-directory debug-test ARCH=arm64 KERNEL_READY=1 || fail=1; \
		$(MAKE) --no-print-directory clients-smoke ARCH=x86_64 KERNEL_READY=1 || fail=1; \
	fi; \
	wait; \
	VARIANTS="$(if $(filter 1,$(DEBUG)),$(ARCHES:%=%-debug),$(ARCHES) arm64-debug)" \
		scripts/summary.sh && [ $$fail = 0 ]

## make debug-test [ARCH=a]   the debug kernel's short run: the userfaultfd and pagemap
##                            tests, the fuzzer's smoke run and a kmemleak scan, with the
##                            normal kernel's initramfs
debug-test: $(BUILT)
	@$(MAKE) --no-print-directory kernel DEBUG=1 TREE_READY=1
	@$(STAGE) guest-run-$(ARCH)-debug env DEBUG=1 SUITE=uffd scripts/guest-test.sh

## make demo                  set up, boot the patched kernel, show the features (shell if interactive)
demo: initramfs
	@scripts/demo.sh

## make bench [ARCH=a] [KERNELS='patched upstream base'] [KERNEL=image] [BENCH_ARGS='...']
##                            write-tracking benchmark on the patched kernel, upstream
##                            6.12 and the base side by side: tables and plots in build/bench
bench: initramfs
	@$(STAGE) kernel-upstream-$(ARCH) env KIND=upstream scripts/build-kernel.sh
	@$(STAGE) kernel-base-$(ARCH) env KIND=base scripts/build-kernel.sh
	@$(STAGE) bench-$(ARCH) scripts/bench.sh

## make clients [ARCH=a] [KERNELS='patched upstream base'] [ONLY='qemu criu stress-ng']
##                            real programs (QEMU snapshots, CRIU, stress-ng) from Debian in
##                            the guest on the patched kernel, upstream 6.12 and the base,
##                            each built with configs/clients.config
clients: initramfs
	@for k in $(or $(KERNELS),patched upstream base); do \
		$(STAGE) kernel-$$k-clients-$(ARCH) env KIND=$$k CLIENTS=1 \
			scripts/build-kernel.sh || exit 1; \
	done
	@$(STAGE) clients-root-$(ARCH) scripts/clients-root.sh
	@$(STAGE) clients-$(ARCH) scripts/clients.sh

## make clients-smoke [ARCH=a] the cheapest client check, on the test kernel: QEMU's
##                            snapshot of anonymous RAM and stress-ng --vma
clients-smoke: $(BUILT)
	@$(STAGE) clients-root-$(ARCH) scripts/clients-root.sh
	@$(STAGE) clients-smoke-$(ARCH) env SMOKE=1 scripts/clients.sh

## make fuzz [ARCH=a] [DEBUG=1] [SECONDS=600] [SEED=n] [KERNEL=image]
##                            uffd-fuzz in the guest over successive seeds from SEED:
##                            random operations checked against a model of the memory
fuzz: initramfs
	@$(STAGE) fuzz-$(V) env FUZZ_SECONDS=$(or $(SECONDS),600) \
		$(if $(SEED),FUZZ_SEED=$(SEED)) scripts/fuzz.sh

## make stress [ARCH=a] [DEBUG=1] [SECONDS=600]
##                            stress-ng and trinity (Debian's) in the guest, alongside the
##                            userfaultfd selftests and uffd-fuzz
stress: initramfs
	@$(STAGE) clients-root-$(ARCH) scripts/clients-root.sh
	@$(STAGE) stress-$(V) env STRESS_SECONDS=$(or $(SECONDS),600) scripts/stress.sh

## make clean                 remove build/ (the cached base tarball stays)
clean:
	rm -rf build
