#!/bin/bash
# Print each stage's wall time, each arch's result and the overall
# "N passed, N failed, N skipped" line; exit 1 if anything failed or is missing.
# VARIANTS: the guests whose results count (default "x86_64 arm64").
set -uo pipefail
b=$(cd "$(dirname "$0")/.." && pwd)/build
echo "== stage times"
cat "$b/stage-times" 2>/dev/null
echo "== results"
p=0 f=0 s=0
for v in ${VARIANTS:-x86_64 arm64}; do
	if [ -f "$b/results-$v" ]; then
		line=$(cat "$b/results-$v")
	else
		line="$v: 0 passed, 1 failed, 0 skipped"
		echo "$v: FAIL  did not get as far as running its tests"
	fi
	echo "$line"
	read -r _ np _ nf _ ns _ <<< "$line"
	p=$((p + np)) f=$((f + nf)) s=$((s + ns))
done
for r in "$b"/clients/*-smoke.txt; do
	[ -f "$r" ] || continue
	echo "== clients smoke check (make clients-smoke)"
	sed "s/^@client /$(basename "$r" -smoke.txt): /" "$r"
done
grep -q FAILED "$b/stage-times" 2>/dev/null && [ $f = 0 ] && f=1
echo "total: $p passed, $f failed, $s skipped"
[ $f = 0 ]
