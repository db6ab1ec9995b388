#!/bin/bash
# Build the harness's own guest programs statically for ARCH into
# build/bench-ARCH: the benchmark (bench/wt-bench.c) and the fuzzer
# (fuzz/uffd-fuzz.c). As the selftests are built: against the series' uapi
# headers (build-selftests.sh installs them), so that they speak the upstream
# ABI on every kernel.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
hdr=$out/kselftest/usr/include
[ -f "$hdr/linux/userfaultfd.h" ] || { echo "build-bench: no uapi headers in $hdr; run make selftests" >&2; exit 1; }

cflags=(-static -O2 -Wall -pthread -I"$hdr")
if [ "$ARCH" = arm64 ]; then
	"$top/scripts/sysroot.sh" >/dev/null
	sr=$top/build/sysroot-arm64
	cflags+=(-I"$sr/usr/include" -L"$sr/usr/lib/aarch64-linux-gnu")
fi
mkdir -p "$top/build/bench-$ARCH"
"${cross}gcc" "${cflags[@]}" -o "$top/build/bench-$ARCH/wt-bench" "$top/bench/wt-bench.c"
"${cross}gcc" "${cflags[@]}" -o "$top/build/bench-$ARCH/uffd-fuzz" "$top/fuzz/uffd-fuzz.c"
echo "build-bench: wt-bench and uffd-fuzz in $top/build/bench-$ARCH"
