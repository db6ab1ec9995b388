#!/bin/bash
# `make fuzz`: boot the ARCH guest (the debug kernel with DEBUG=1, or
# KERNEL=image, such as upstream 6.12's from `make bench`) and run uffd-fuzz
# over successive seeds (scripts/guest/run-fuzz).
#
#   FUZZ_SECONDS  how long (default 600)
#   FUZZ_SEED     the first seed (default: from the clock)
#   FUZZ_OPS      operations per seed (default 20000)
#
# Prints the seeds, operations, failures and splats; the console log is
# build/fuzz-VARIANT.log. Fails on a failed seed, a splat or a hung guest.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
secs=${FUZZ_SECONDS:-600}
seed=${FUZZ_SEED:-$(date +%s)}
ops=${FUZZ_OPS:-20000}
log=$top/build/fuzz-$variant.log
echo "fuzz: $variant, ${secs} s from seed $seed, $ops operations each"
KERNEL=${KERNEL:-$out/$image} LOG=$log TIMEOUT=$((secs + 600)) \
	CMD="run-fuzz $secs $seed $ops" "$top/scripts/vm.sh" > /dev/null 2>&1 && rc=0 || rc=$?
tr -d '\r' < "$log" | awk -v v="$variant" '
/^ok 1 uffd-fuzz seed / { seeds++; ops += $(NF - 4) }
/^not ok 1 uffd-fuzz seed / { seeds++; failed++; print "fuzz: " $0 }
/^# reproduce:/ { print "fuzz:  " substr($0, 3) }
END { printf "fuzz: %s: %d seeds, %d operations, %d failed\n", v, seeds, ops, failed }'
splat=$("$top/scripts/splats.sh" --first "$log")
echo "fuzz: splats: ${splat:-none}"
[ $rc = 0 ] || echo "fuzz: the guest failed (exit $rc): $log" >&2
exit $rc
