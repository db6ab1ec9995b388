#!/bin/bash
# `make stress`: boot the ARCH guest (the debug kernel with DEBUG=1) with
# the programs of build/clients-ARCH/root in /extra and run
# scripts/guest/run-stress for STRESS_SECONDS (default 600): stress-ng's
# memory and userfaultfd stressors while the userfaultfd selftests run,
# then trinity on the memory syscalls while uffd-fuzz runs. Prints a line
# per part and the splats; the console log is build/stress-VARIANT.log.
# Fails on a failed part, a splat or a hung guest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${STRESS_SECONDS:-600}
log=$top/build/stress-$variant.log
echo "stress: $variant, $secs s"
KERNEL=${KERNEL:-$out/$image} LOG=$log TIMEOUT=$((secs + 1800)) \
	EXTRA=$top/build/clients-$ARCH/root CMD="sh /extra/run-stress $secs" \
	"$top/scripts/vm.sh" > /dev/null 2>&1 && rc=0 || rc=$?
tr -d '\r' < "$log" | grep -a '^@stress ' | sed 's/^@stress /stress: /' || true
splat=$("$top/scripts/splats.sh" --first "$log")
echo "stress: splats: ${splat:-none}"
[ $rc = 0 ] || echo "stress: the guest failed (exit $rc): $log" >&2
exit $rc
