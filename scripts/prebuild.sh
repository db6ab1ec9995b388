#!/bin/bash
# Build kernels ahead of the flow, at nice 19, while a guest runs: under
# QEMU TCG a guest leaves part of the two CPUs idle, and this build takes
# it. build-kernel.sh holds a lock on each output directory, so the flow's
# own build of a kernel waits for this one, then finds little left to do.
# Output goes to build/prebuild.log, each build's time to stage-times
# (prebuild-VARIANT); a failure is left to the flow's own build to report.
#
#   scripts/prebuild.sh VARIANT...    (x86_64, arm64, arm64-debug, ...)
top=$(cd "$(dirname "$0")/.." && pwd)
for v in "$@"; do
	arch=${v%-debug} debug=0
	[ "$v" = "$arch" ] || debug=1
	"$top/scripts/stage.sh" "prebuild-$v" env ARCH="$arch" DEBUG=$debug \
		nice -n 19 "$top/scripts/build-kernel.sh" || true
done
