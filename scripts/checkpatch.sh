#!/bin/bash
# Run the tree's checkpatch.pl --strict over every patch of patches/series.
# Errors fail; warnings and checks are listed.
set -euo pipefail
cd "$(dirname "$0")/.."
cp=build/linux/scripts/checkpatch.pl
[ -x $cp ] || { echo "checkpatch: no $cp; run make tree" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -vE '^[[:space:]]*(#|$)' patches/series > "$tmp/series"
# A second or more per patch: one checkpatch.pl per CPU, read in order below.
(cd build/linux && xargs -P "$(nproc)" -I{} sh -c \
	'./scripts/checkpatch.pl --strict --terse --show-types "../../patches/$1" > "$2/$1.out" 2>&1 || true' \
	_ {} "$tmp") < "$tmp/series"
errors=0 warnings=0 n=0
while read -r p; do
	n=$((n + 1))
	outp=$(cat "$tmp/$p.out")
	e=$(grep -c ': ERROR:' <<< "$outp" || true)
	w=$(grep -cE ': (WARNING|CHECK):' <<< "$outp" || true)
	errors=$((errors + e)) warnings=$((warnings + w))
	if [ "$e" != 0 ] || [ "$w" != 0 ]; then
		grep -E ': (ERROR|WARNING|CHECK):' <<< "$outp" | sed "s|^|checkpatch: |"
	fi
done < "$tmp/series"
echo "checkpatch: $n patches, $errors errors, $warnings warnings/checks"
[ "$errors" = 0 ]
