#!/bin/bash
# Build kernels ahead of the flow, at nice 19, while a guest runs: under
# QEMU TCG a guest keeps about one of the two CPUs busy, and this build
# takes what it leaves. build-kernel.sh holds a lock on each output
# directory, so the flow's own build of a kernel waits for this one, then
# finds little left to do. Output goes to build/prebuild.log; a failure is
# left to the flow's own build to report.
#
#   scripts/prebuild.sh VARIANT...    (x86_64, arm64, arm64-debug, ...)
top=$(cd "$(dirname "$0")/.." && pwd)
for v in "$@"; do
	start=$(date +%s)
	arch=${v%-debug} debug=0
	[ "$v" = "$arch" ] || debug=1
	ARCH=$arch DEBUG=$debug nice -n 19 "$top/scripts/build-kernel.sh" || true
	printf '%-22s %5ss (in the background)\n' "prebuild-$v" \
		"$(($(date +%s) - start))" >> "$top/build/stage-times"
done
