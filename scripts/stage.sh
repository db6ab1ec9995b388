#!/bin/bash
# Run one stage of the flow: announce it, run it, print and record its wall
# time in build/stage-times.
name=$1
shift
echo "==> $name"
start=$(date +%s)
"$@"
rc=$?
t=$(($(date +%s) - start))
state=
[ $rc = 0 ] || state=" FAILED (exit $rc)"
echo "<== $name: ${t}s$state"
mkdir -p "$(dirname "$0")/../build"
printf '%-22s %5ss%s\n' "$name" "$t" "$state" >> "$(dirname "$0")/../build/stage-times"
exit $rc
