#!/bin/bash
# Run the installed selftests in the ARCH guest and judge the console log:
# scripts/vm.sh fails on a timeout or a splat, scripts/results.sh on a failed
# case. The summary line goes to build/results-ARCH (-debug). SUITE=uffd
# runs only the userfaultfd and pagemap tests (with the fuzzer's smoke run
# and, on a debug kernel, a kmemleak scan).
set -uo pipefail
source "$(dirname "$0")/lib.sh"
log=$top/build/test-$variant.log
res=$top/build/results-$variant
rm -f "$res"
# A normal guest runs the suite, every 1G case included, in 7 (x86_64) to 11
# (arm64) minutes under TCG on a slow machine; a debug one takes 15 to 25 on a
# fast machine: the limits leave room to grow but keep a hung guest from
# eating CI's time. Each test program gets the guest's time less two minutes.
limit=${TIMEOUT:-1800}
if [ "${DEBUG:-0}" = 1 ]; then
	limit=${TIMEOUT:-3600}
fi
LOG=$log TIMEOUT=$limit CMD="run-selftests $((limit - 120)) ${SUITE:-}" \
	"$top/scripts/vm.sh"
vm_rc=$?
runfail=
if [ $vm_rc != 0 ]; then
	splat=$("$top/scripts/splats.sh" --first "$log")
	if [ -n "$splat" ]; then
		runfail="kernel splat: $splat"
	elif ! grep -qa '^@@@ guest exit status' "$log"; then
		runfail="the guest did not finish (timeout or crash; console tail above)"
	else
		runfail="the guest's test command failed (exit $vm_rc)"
	fi
fi
echo "guest-test: console log in $log; slowest cases (seconds):"
sort -rn "$log.times" 2>/dev/null | head -n 8 | sed 's/^/guest-test:   /'
"$top/scripts/results.sh" "$variant" "$log" "$runfail" | tee "$res.cases"
rc=${PIPESTATUS[0]}
tail -n 1 "$res.cases" > "$res"
exit "$rc"
